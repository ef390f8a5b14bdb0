//! The weekly rituals, sized to the team, plus the goal's weekly ritual and one-on-ones; the
//! monthly, quarterly and annual ones are in `operating_system_cadence_planning.rs`.

use chrono::{Days, NaiveDate};

use super::Ritual;
use super::rituals::{Starts, band, join_and, leaders, ritual, slots};
use crate::benchmarks::board::L10_MINUTES;
use crate::model::{Goal, Stage};

/// The rituals for a team of `size` at `stage` with `goal`.
pub fn rituals(size: u32, stage: Stage, goal: Option<Goal>, starts: Starts) -> Vec<Ritual> {
    let band = band(size);
    let everyone = format!("all {size}");
    let leaders = join_and(&leaders(size));
    let l10: [(&str, u32); 7] = [
        ("Good news, personal and business", 5),
        ("Scorecard: each metric on or off target", 5),
        ("OKRs: each key result on or off track", 5),
        ("Customer and team headlines", 5),
        ("Last week's to-dos: done or not", 5),
        (
            "Issues: identify, discuss, solve the top three",
            L10_MINUTES - 30,
        ),
        ("Recap to-dos, rate the meeting 1-10", 5),
    ];
    let mut out = Vec::new();
    match band {
        "small" => {
            let name = if size <= 2 {
                "Weekly co-founder sync"
            } else {
                "Weekly team meeting"
            };
            out.push(ritual(
                name,
                "weekly",
                "Mondays 10:00",
                starts.weekly,
                "CEO",
                "everyone",
                everyone.clone(),
                &[
                    ("Wins and headlines", 5),
                    ("Scorecard: off-target metrics only", 5),
                    ("OKRs: on or off track", 5),
                    ("Last week's to-dos", 5),
                    ("Issues: identify, discuss, solve", 35),
                    ("Recap to-dos, rate the meeting 1-10", 5),
                ],
            ));
        }
        "mid" => {
            out.push(ritual(
                "Leadership meeting (Level 10)",
                "weekly",
                "Mondays 10:00",
                starts.weekly,
                "CEO",
                "leadership",
                leaders.clone(),
                &l10,
            ));
            out.push(ritual(
                "All-hands",
                "weekly",
                "Mondays 16:00",
                starts.weekly,
                "CEO",
                "everyone",
                everyone.clone(),
                &[
                    ("Wins and customer stories", 10),
                    ("Scorecard highlights and OKR status", 10),
                    ("Announcements and open Q&A", 10),
                ],
            ));
            out.push(ritual(
                "Team meeting",
                "weekly",
                "Tuesdays, each team",
                starts.weekly,
                "Each team lead",
                "function",
                "each team".to_string(),
                &[
                    ("The team's scorecard metrics", 10),
                    ("Priorities for the week", 15),
                    ("Blockers and who removes them", 15),
                    ("Actions with owners", 5),
                ],
            ));
        }
        _ => {
            out.push(ritual(
                "Executive meeting (Level 10)",
                "weekly",
                "Mondays 10:00",
                starts.weekly,
                "CEO",
                "leadership",
                leaders.clone(),
                &l10,
            ));
            out.push(ritual(
                "Department meeting",
                "weekly",
                "Tuesdays, each department",
                starts.weekly,
                "Each department head",
                "function",
                "each department".to_string(),
                &[
                    ("Department scorecard", 10),
                    ("Priorities for the week", 20),
                    ("Blockers and cross-team asks", 20),
                    ("Actions with owners", 10),
                ],
            ));
        }
    }
    if let Some(extra) = goal_ritual(goal, band, starts.weekly) {
        out.push(extra);
    }
    if size >= 3 {
        out.push(ritual(
            "One-on-ones",
            "biweekly",
            "every other week, same slot",
            starts.weekly,
            if band == "small" {
                "Each founder"
            } else {
                "Each manager"
            },
            "one-on-one",
            if band == "small" {
                "each founder and their reports"
            } else {
                "each manager and report"
            }
            .to_string(),
            &[
                ("The report's topics first", 30),
                ("Their scorecard metric and key results", 15),
                ("Feedback both ways", 10),
                ("Actions", 5),
            ],
        ));
    }
    super::cadence_planning::periodic(size, stage, goal, starts, &mut out);
    out
}

fn goal_ritual(goal: Option<Goal>, band: &str, first: NaiveDate) -> Option<Ritual> {
    let (name, audience, attendees, owner, agenda): (&str, &str, &str, &str, [(&str, u32); 3]) =
        match goal? {
            Goal::GrowRevenue => (
                "Pipeline review",
                "leadership",
                "CEO and whoever sells",
                "CEO",
                [
                    ("New qualified pipeline against target", 10),
                    ("Top deals: next step and close date", 15),
                    ("Lost deals: one reason each", 5),
                ],
            ),
            Goal::FindPmf => (
                "Customer learning review",
                "leadership",
                "founders and product",
                "CEO",
                [
                    ("What this week's conversations said", 15),
                    ("Which segment shows pull", 10),
                    ("What to test next week", 5),
                ],
            ),
            Goal::ImproveRetention => (
                "At-risk accounts review",
                "leadership",
                "CEO and customer success",
                "Customer success lead",
                [
                    ("Accounts with falling usage", 15),
                    ("Churn reasons this week", 10),
                    ("Save plays with owners", 5),
                ],
            ),
            Goal::ShipFaster => (
                "Weekly demo",
                "everyone",
                "everyone",
                "CTO",
                [
                    ("Demos of what shipped this week", 20),
                    ("What slowed a change down", 5),
                    ("Next week's smallest shippable slices", 5),
                ],
            ),
            Goal::RaiseFunding => (
                "Fundraising pipeline review",
                "founders",
                "the founders",
                "CEO",
                [
                    ("Investor pipeline by stage", 10),
                    ("Follow-ups and materials asked for", 15),
                    ("Intros to request", 5),
                ],
            ),
            Goal::ReduceChaos | Goal::Other => return None,
        };
    let when = if band == "small" {
        "Thursdays"
    } else {
        "Thursdays, 30 minutes"
    };
    Some(Ritual {
        name: name.to_string(),
        cadence: "weekly".to_string(),
        when: when.to_string(),
        first: first.checked_add_days(Days::new(3)).unwrap_or(first),
        owner: owner.to_string(),
        audience: audience.to_string(),
        attendees: attendees.to_string(),
        duration_minutes: agenda.iter().map(|s| s.1).sum(),
        agenda: slots(&agenda),
    })
}
