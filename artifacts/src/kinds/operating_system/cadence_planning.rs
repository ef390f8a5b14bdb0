//! The monthly, quarterly and annual rituals, sized to the team.

use super::Ritual;
use chrono::Weekday;

use super::rituals::{Starts, band, join_and, leaders, ritual};
use crate::benchmarks::board::{EOS_ANNUAL_MINUTES, EOS_QUARTERLY_MINUTES};
use crate::model::{Goal, Stage};

/// Appends the monthly, quarterly and annual rituals to `out`.
pub fn periodic(
    size: u32,
    stage: Stage,
    goal: Option<Goal>,
    starts: Starts,
    out: &mut Vec<Ritual>,
) {
    let band = band(size);
    let formal_board = matches!(stage, Stage::Seed | Stage::SeriesA | Stage::SeriesBPlus);
    let everyone = format!("all {size}");
    let leaders = join_and(&leaders(size));
    let finance_slot = if stage == Stage::PreLaunch {
        "What users did: sign-ups, activation, interviews"
    } else {
        "Scorecard trends over four weeks and forecast"
    };
    match band {
        "small" => {
            out.push(ritual(
                "Monthly metrics and cash review",
                "monthly",
                "first Monday of the month",
                starts.monthly,
                "CEO",
                "founders",
                "the founders".to_string(),
                &[
                    (finance_slot, 15),
                    ("Cash, burn and runway", 15),
                    ("OKR progress against time elapsed", 15),
                    ("Investor update draft", 15),
                ],
            ));
            if goal != Some(Goal::ShipFaster) {
                out.push(ritual(
                    "Demo and retro",
                    "monthly",
                    "first Friday of the month",
                    starts.monthly_on(Weekday::Fri),
                    "CTO",
                    "everyone",
                    everyone.clone(),
                    &[
                        ("Demos of what shipped", 20),
                        ("What went well and what did not", 15),
                        ("One process change to try", 10),
                    ],
                ));
            }
        }
        "mid" => out.push(ritual(
            "Monthly business review",
            "monthly",
            "first Monday of the month",
            starts.monthly,
            "CEO",
            "leadership",
            leaders.clone(),
            &[
                (finance_slot, 30),
                ("Cash, burn and runway", 20),
                ("OKR progress against time elapsed", 20),
                ("Hiring plan", 20),
            ],
        )),
        _ => {
            out.push(ritual(
                "All-hands",
                "monthly",
                "first Thursday of the month",
                starts.monthly_on(Weekday::Thu),
                "CEO",
                "everyone",
                everyone.clone(),
                &[
                    ("Wins and customer stories", 15),
                    ("Scorecard and OKR status", 15),
                    ("One deep dive", 15),
                    ("Open Q&A", 15),
                ],
            ));
            out.push(ritual(
                "Monthly business review",
                "monthly",
                "first Monday of the month",
                starts.monthly,
                "CEO",
                "leadership",
                leaders.clone(),
                &[
                    (finance_slot, 30),
                    ("Department reviews", 45),
                    ("Cash, burn and runway", 20),
                    ("Hiring plan", 25),
                ],
            ));
        }
    }
    let planning: [(&str, u32); 5] = [
        ("Score last quarter's key results 0-1", 60),
        ("Scorecard and targets review", 60),
        ("Issues: solve the top three", 150),
        ("Next quarter's objectives and key results", 150),
        ("Owners and how it cascades", EOS_QUARTERLY_MINUTES - 420),
    ];
    let q_when = "second-to-last week of each quarter";
    if band == "small" {
        out.push(ritual(
            "Quarterly planning",
            "quarterly",
            q_when,
            starts.quarterly,
            "CEO",
            "everyone",
            everyone.clone(),
            &[
                ("Score last quarter's key results 0-1", 45),
                ("Scorecard and targets review", 30),
                ("Issues: solve the top three", 75),
                ("Next quarter's objectives and key results", 75),
                ("Owners and first actions", 15),
            ],
        ));
    } else {
        out.push(ritual(
            "Quarterly leadership planning",
            "quarterly",
            q_when,
            starts.quarterly,
            "CEO",
            "leadership",
            leaders.clone(),
            &planning,
        ));
        let (name, audience, who, agenda): (&str, &str, String, &[(&str, u32)]) = if band == "mid" {
            (
                "Quarterly kickoff",
                "everyone",
                everyone.clone(),
                &[
                    ("Last quarter scored", 20),
                    ("This quarter's objectives and why", 40),
                    ("Team key results and Q&A", 30),
                ],
            )
        } else {
            (
                "Department planning",
                "function",
                "each department".to_string(),
                &[
                    ("Last quarter scored", 45),
                    ("Department key results under the company objectives", 120),
                    ("Capacity, dependencies and owners", 75),
                ],
            )
        };
        out.push(ritual(
            name,
            "quarterly",
            "first week of each quarter",
            starts.quarter_kickoff,
            if audience == "function" {
                "Each department head"
            } else {
                "CEO"
            },
            audience,
            who,
            agenda,
        ));
    }
    if formal_board {
        let minutes = if band == "large" { 180 } else { 120 };
        out.push(ritual(
            "Board meeting",
            "quarterly",
            "within three weeks of quarter end; pack sent 72 h ahead",
            starts.board,
            "CEO",
            "founders",
            "CEO, co-founders and directors".to_string(),
            &[
                (
                    "CEO update, financials and KPIs (pack read in advance)",
                    minutes / 4,
                ),
                ("Product, team and asks", minutes / 4),
                ("Discussion of the main issue", minutes / 2),
            ],
        ));
    }
    let a_when = "second-to-last week of the year; replaces that quarter's planning";
    if band == "small" {
        out.push(ritual(
            "Annual planning offsite",
            "annual",
            a_when,
            starts.annual,
            "CEO",
            "everyone",
            everyone,
            &[
                ("Last year in numbers", 60),
                ("Three-year picture and this year's goals", 150),
                ("Budget and hiring plan", 90),
                ("First quarter's objectives", 120),
                ("Team health and ways of working", 60),
            ],
        ));
    } else {
        out.push(ritual(
            "Annual leadership offsite",
            "annual",
            a_when,
            starts.annual,
            "CEO",
            "leadership",
            leaders,
            &[
                ("Last year in numbers", 120),
                ("Three-year picture and this year's goals", 300),
                ("Budget and hiring plan", 240),
                ("First quarter's objectives", EOS_ANNUAL_MINUTES - 660),
            ],
        ));
        let kickoff = if band == "mid" { 240 } else { 480 };
        out.push(ritual(
            "Company kickoff",
            "annual",
            "first week of the year",
            starts.year_kickoff,
            "CEO",
            "everyone",
            everyone,
            &[
                ("The year's goals and why", kickoff / 4),
                ("First quarter's objectives by team", kickoff / 2),
                ("Open Q&A", kickoff / 4),
            ],
        ));
    }
}
