//! MRR tracker: the growth path from current to target MRR, with milestones and a reality check.
//!
//! Every number follows DESIGN section 4: CMGR = (target / current)^(1/months) - 1, milestones for
//! each month from next month through the deadline month, new customers from net new plus churned
//! MRR over ARPA, and a verdict against the median growth of the current MRR band.

use std::fmt::Write;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::sections::{self, AlertRule, Monitor, NextAction, alert, monitor};
use super::{KindInput, KindOutput, to_value, typed};
use crate::benchmarks::{self, ASSUMED_ARPA, ASSUMED_MONTHLY_CHURN};
use crate::error::ArtifactError;
use crate::format::{money, money_short, percent, round_cents};
use crate::model::{Goal, Kind, Stage};

/// MRR tracker content; the keys are pinned by DESIGN section 4.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MrrTracker {
    /// Where MRR is today.
    pub current: Current,
    /// Where it should be, and by when.
    pub target: Target,
    /// The month-by-month path.
    pub path: GrowthPath,
    /// How the required growth compares with benchmarks.
    pub reality_check: RealityCheck,
    /// Every assumption behind the numbers.
    pub assumptions: Vec<String>,
    /// What to watch.
    pub monitoring: Vec<Monitor>,
    /// Alert rules.
    pub alerts: Vec<AlertRule>,
    /// What to do next.
    pub next_actions: Vec<NextAction>,
}

/// Current MRR and where that number comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Current {
    /// MRR in major units.
    pub mrr: f64,
    /// `prompt`, `stripe` or `stage-estimate`.
    pub source: String,
    /// The date the number is true for.
    pub as_of: String,
}

/// Target MRR and deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// Target MRR in major units.
    pub mrr: f64,
    /// Deadline, `YYYY-MM-DD`.
    pub deadline: NaiveDate,
    /// Whole months from this month to the deadline month, at least 1.
    pub months: u32,
}

/// The growth path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrowthPath {
    /// CMGR needed; null when starting from zero (the path is then linear).
    pub required_monthly_growth: Option<f64>,
    /// One milestone per month through the deadline month.
    pub milestones: Vec<Milestone>,
}

/// A month's milestone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    /// `YYYY-MM`.
    pub month: String,
    /// MRR to reach by the end of the month.
    pub target_mrr: f64,
    /// Increase over the previous month's target.
    pub net_new_mrr: f64,
    /// New customers needed to add that net new MRR and replace churned MRR.
    pub new_customers_needed: u64,
}

/// The verdict against benchmarks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RealityCheck {
    /// `on-track`, `ambitious` or `unrealistic`.
    pub verdict: String,
    /// Median monthly growth for the current MRR band.
    pub median_growth: f64,
    /// Why, with the figures.
    pub reasoning: String,
    /// Citations for every benchmark used.
    pub sources: Vec<String>,
}

/// Stage estimates of current MRR when neither the prompt nor data gives it.
pub fn stage_estimate(stage: Option<Stage>) -> f64 {
    match stage.unwrap_or(Stage::EarlyRevenue) {
        Stage::PreLaunch => 0.0,
        Stage::EarlyRevenue => 5_000.0,
        Stage::Seed => 25_000.0,
        Stage::SeriesA => 150_000.0,
        Stage::SeriesBPlus => 600_000.0,
    }
}

/// `months` of DESIGN section 4: whole calendar months from today's month to the deadline's.
pub fn months_between(today: NaiveDate, deadline: NaiveDate) -> u32 {
    let m = (deadline.year() - today.year()) * 12 + deadline.month() as i32 - today.month() as i32;
    m.max(1) as u32
}

/// Starting point assumed when current MRR is zero, to judge growth as a rate at all.
const FIRST_MONTH_MRR_FROM_ZERO: f64 = 1_000.0;

/// Generates an MRR tracker.
pub fn generate(input: &KindInput<'_>) -> Result<KindOutput, ArtifactError> {
    let p = input.params;
    let mut assumptions = Vec::new();

    let (current_mrr, source, as_of) = if let Some(mrr) = p.current_mrr {
        (mrr, "prompt", input.today.to_string())
    } else if let Some(live) = input.live {
        (live.mrr, "stripe", live.as_of.clone())
    } else {
        let stage = input.context.stage;
        let est = stage_estimate(stage);
        assumptions.push(format!(
            "Current MRR is an estimate of {} for a company at the {} stage; connect Stripe or state it in the prompt to replace it.",
            money(est),
            stage.unwrap_or(Stage::EarlyRevenue).label().to_lowercase()
        ));
        (est, "stage-estimate", input.today.to_string())
    };

    let deadline = match p.deadline {
        Some(d) => d,
        None => {
            assumptions.push("No deadline was given: the plan runs 12 months.".to_string());
            input
                .today
                .checked_add_months(Months::new(12))
                .unwrap_or(input.today)
        }
    };
    if deadline < input.today {
        assumptions.push(format!(
            "The deadline {deadline} has passed: the plan covers the next month only."
        ));
    }
    let months = months_between(input.today, deadline);

    let target_mrr = match (p.target_mrr, p.target_multiple) {
        (Some(t), _) => t,
        (None, Some(x)) if current_mrr > 0.0 => round_cents(current_mrr * x),
        _ => {
            let t = default_target(current_mrr, months);
            assumptions.push(format!(
                "No target was given: {} is what growing at twice the median rate for your MRR band reaches by the deadline.",
                money(t)
            ));
            t
        }
    };

    let arpa = input
        .live
        .and_then(|l| l.arpa)
        .filter(|a| *a > 0.0)
        .unwrap_or(ASSUMED_ARPA);
    if input.live.and_then(|l| l.arpa).is_none() {
        assumptions.push(format!(
            "Average revenue per account is {} until billing data replaces it.",
            money(ASSUMED_ARPA)
        ));
    }
    assumptions.push(format!(
        "{} of MRR churns every month; new customers must replace it as well as add the net new MRR.",
        percent(ASSUMED_MONTHLY_CHURN)
    ));

    let growth = if current_mrr > 0.0 {
        Some((target_mrr / current_mrr).powf(1.0 / months as f64) - 1.0)
    } else {
        None
    };
    let milestones = milestones(input.today, current_mrr, target_mrr, months, growth, arpa);
    let reality_check = reality_check(current_mrr, target_mrr, months, growth, &mut assumptions);
    let target = Target {
        mrr: target_mrr,
        deadline,
        months,
    };
    let current = Current {
        mrr: current_mrr,
        source: source.to_string(),
        as_of,
    };
    let next_actions = next_actions(
        input,
        &current,
        &target,
        &milestones,
        &reality_check,
        growth,
    );
    let billing = if source == "stripe" {
        "Stripe"
    } else {
        "Stripe (connect it) or your billing export"
    };
    let monitoring = vec![
        monitor("MRR against plan", "weekly", billing),
        monitor("Net new MRR", "monthly", billing),
        monitor("New customers", "weekly", billing),
        monitor("MRR churn rate", "monthly", billing),
    ];
    let mut alerts = vec![alert("mrr-below-plan", "mrr", "below_plan", 0.95)];
    if let Some(g) = growth.filter(|g| *g > 0.0) {
        alerts.push(alert(
            "growth-below-required",
            "mrr_growth_mom",
            "below",
            round4(g),
        ));
    }
    alerts.push(alert(
        "churn-above-assumption",
        "mrr_churn_rate",
        "above",
        ASSUMED_MONTHLY_CHURN,
    ));

    let content = MrrTracker {
        current,
        target,
        path: GrowthPath {
            required_monthly_growth: growth,
            milestones,
        },
        reality_check,
        assumptions,
        monitoring,
        alerts,
        next_actions,
    };
    Ok(KindOutput {
        title: format!(
            "Path to {} MRR by {}",
            money_short(target_mrr),
            month_label(deadline)
        ),
        content: to_value(&content),
    })
}

fn default_target(current: f64, months: u32) -> f64 {
    if current <= 0.0 {
        return 10_000.0;
    }
    let rate = 2.0 * benchmarks::median_monthly_growth(current).value;
    let raw = current * (1.0 + rate).powi(months as i32);
    // A round number is easier to rally a team around than $37,412.18.
    let step = if raw >= 100_000.0 { 10_000.0 } else { 1_000.0 };
    (raw / step).round().max(1.0) * step
}

fn milestones(
    today: NaiveDate,
    current: f64,
    target: f64,
    months: u32,
    growth: Option<f64>,
    arpa: f64,
) -> Vec<Milestone> {
    let mut out = Vec::with_capacity(months as usize);
    let mut previous = current;
    for i in 1..=months {
        let mrr = if i == months {
            target
        } else {
            match growth {
                Some(g) => round_cents(current * (1.0 + g).powi(i as i32)),
                None => round_cents(target * i as f64 / months as f64),
            }
        };
        let net_new = round_cents(mrr - previous);
        let churned = previous * ASSUMED_MONTHLY_CHURN;
        // Round away float noise before ceil so 12.0000000001 customers is 12, not 13.
        let customers = ((net_new + churned) / arpa * 1e6).round() / 1e6;
        let month = today
            .with_day(1)
            .and_then(|d| d.checked_add_months(Months::new(i)))
            .unwrap_or(today);
        out.push(Milestone {
            month: format!("{:04}-{:02}", month.year(), month.month()),
            target_mrr: mrr,
            net_new_mrr: net_new,
            new_customers_needed: customers.ceil().max(0.0) as u64,
        });
        previous = mrr;
    }
    out
}

fn reality_check(
    current: f64,
    target: f64,
    months: u32,
    growth: Option<f64>,
    assumptions: &mut Vec<String>,
) -> RealityCheck {
    let median = benchmarks::median_monthly_growth(current).value;
    let band = benchmarks::mrr_band_label(current);
    let mut sources = vec![
        benchmarks::CHARTMOGUL.to_string(),
        benchmarks::CMGR.to_string(),
    ];
    let (judged, mut reasoning) = match growth {
        Some(g) => (
            g,
            format!(
                "Reaching {} MRR from {} in {months} month{} needs {} growth every month (CMGR). Companies {band} grow a median {} a month (ChartMogul), so the plan needs {:.1}x the median.",
                money(target),
                money(current),
                plural(months),
                percent(g),
                percent(median),
                if median > 0.0 { g / median } else { 0.0 },
            ),
        ),
        None => {
            let remaining = months.saturating_sub(1).max(1);
            let g = if target <= FIRST_MONTH_MRR_FROM_ZERO {
                0.0
            } else {
                (target / FIRST_MONTH_MRR_FROM_ZERO).powf(1.0 / remaining as f64) - 1.0
            };
            assumptions.push(format!(
                "Starting from $0, growth is judged from a first month of {} MRR.",
                money(FIRST_MONTH_MRR_FROM_ZERO)
            ));
            (
                g,
                format!(
                    "Starting from $0, the path adds {} of new MRR a month to reach {} in {months} month{}. From a first month of {}, that is {} monthly growth, against a median {} for companies {band} (ChartMogul).",
                    money(round_cents(target / months as f64)),
                    money(target),
                    plural(months),
                    money(FIRST_MONTH_MRR_FROM_ZERO),
                    percent(g),
                    percent(median),
                ),
            )
        }
    };
    let verdict = if judged <= median {
        "on-track"
    } else if judged <= 3.0 * median {
        "ambitious"
    } else {
        "unrealistic"
    };
    reasoning.push_str(match verdict {
        "on-track" => " That is at or below the median: on track with steady execution.",
        "ambitious" => " That is above the median but within 3x of it: ambitious, reachable with focused execution.",
        _ => " That is more than 3x the median: unrealistic without a step change in pricing, channels or deal size.",
    });
    let weekly = (1.0 + judged).powf(12.0 / 52.0) - 1.0;
    if current < 100_000.0 && judged > 0.0 {
        let (lo, hi) = benchmarks::YC_WEEKLY_GOOD;
        let _ = write!(
            reasoning,
            " In weekly terms that is {}; Paul Graham calls {}-{} a week good and {} exceptional for an early startup.",
            percent(weekly),
            percent(lo),
            percent(hi),
            percent(benchmarks::YC_WEEKLY_EXCEPTIONAL)
        );
        sources.push(benchmarks::YC_GROWTH.to_string());
    }
    if current * 12.0 >= benchmarks::T2D3_START_ARR / 2.0 {
        let triple = benchmarks::t2d3_triple_monthly();
        let _ = write!(
            reasoning,
            " At {} ARR, T2D3 (tripling ARR in a year, {} a month) is the venture benchmark: this plan is {} it.",
            money(current * 12.0),
            percent(triple),
            if judged >= triple {
                "at or above"
            } else {
                "below"
            }
        );
        sources.push(benchmarks::T2D3.to_string());
    }
    RealityCheck {
        verdict: verdict.to_string(),
        median_growth: median,
        reasoning,
        sources,
    }
}

fn next_actions(
    input: &KindInput<'_>,
    current: &Current,
    target: &Target,
    milestones: &[Milestone],
    check: &RealityCheck,
    growth: Option<f64>,
) -> Vec<NextAction> {
    let mut actions = Vec::new();
    actions.push(NextAction::todo(match current.source.as_str() {
        "stripe" => "Review the Stripe numbers behind the current MRR once, so the team trusts the tracker.".to_string(),
        "prompt" => "Connect Stripe (cosos connect stripe) so actual MRR is tracked against every milestone automatically.".to_string(),
        _ => format!(
            "Connect Stripe (cosos connect stripe) to replace the {} stage estimate with your real MRR.",
            money(current.mrr)
        ),
    }));
    if let Some(first) = milestones.first() {
        actions.push(NextAction::todo(format!(
            "Win {} new customers in {} ({} net new MRR) to reach the first milestone of {}.",
            first.new_customers_needed,
            month_label_ym(&first.month),
            money(first.net_new_mrr),
            money(first.target_mrr)
        )));
    }
    actions.push(NextAction::todo(
        "Review MRR against plan every Monday, and dig in when it slips more than 5% below the milestone.",
    ));
    match check.verdict.as_str() {
        "unrealistic" => {
            let rate = 3.0 * check.median_growth;
            if current.mrr > 0.0 && target.mrr > current.mrr {
                let needed = ((target.mrr / current.mrr).ln() / (1.0 + rate).ln()).ceil() as u32;
                let date = input
                    .today
                    .checked_add_months(Months::new(needed))
                    .unwrap_or(target.deadline);
                actions.push(NextAction::todo(format!(
                    "Decide now whether to move the deadline to {} ({needed} months at {} a month, 3x the median) or to find a step change: pricing, a new channel or larger accounts.",
                    month_label(date),
                    percent(rate)
                )));
            } else {
                actions.push(NextAction::todo(
                    "Pick the one channel that can bring the first paying customers this month, and measure it weekly.",
                ));
            }
        }
        "ambitious" => {
            let avg = (target.mrr - current.mrr) / target.months as f64;
            actions.push(NextAction::todo(format!(
                "Name the two or three growth levers that together add {} of net new MRR a month, and give each an owner.",
                money(round_cents(avg.max(0.0)))
            )));
        }
        _ => actions.push(NextAction::todo(format!(
            "Protect the plan from churn: at {} a month it costs about {} of MRR a month right now.",
            percent(ASSUMED_MONTHLY_CHURN),
            money(round_cents(current.mrr * ASSUMED_MONTHLY_CHURN))
        ))),
    }
    if let Some(action) = goal_action(input, current, growth) {
        actions.push(NextAction::todo(action));
    }
    if let Some(challenge) = input
        .context
        .challenge
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        actions.push(NextAction::todo(format!(
            "Write down how \"{}\" slows the path to {} MRR, and which milestone it puts at risk first.",
            sections::one_line(challenge),
            money_short(target.mrr)
        )));
    }
    actions
}

fn goal_action(input: &KindInput<'_>, current: &Current, growth: Option<f64>) -> Option<String> {
    let median = benchmarks::median_monthly_growth(current.mrr).value;
    Some(match input.context.goal? {
        Goal::RaiseFunding => format!(
            "Put the growth chart in the fundraising deck: a plan of {} a month against the {} median for your band.",
            percent(growth.unwrap_or(0.0)),
            percent(median)
        ),
        Goal::ImproveRetention => format!(
            "Cut monthly churn below {}: each point saved keeps {} of MRR a month.",
            percent(ASSUMED_MONTHLY_CHURN),
            money(round_cents(current.mrr * 0.01))
        ),
        Goal::FindPmf => "Track MRR per customer segment, to see which segment grows without pushing.".to_string(),
        Goal::GrowRevenue => "List the top five deals that would move the next milestone, with a close date for each.".to_string(),
        Goal::ShipFaster | Goal::ReduceChaos | Goal::Other => return None,
    })
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// "June 2027" for a date.
pub fn month_label(d: NaiveDate) -> String {
    d.format("%B %Y").to_string()
}

/// "June 2027" for a `YYYY-MM` month; the input itself when it is not one.
pub fn month_label_ym(ym: &str) -> String {
    NaiveDate::parse_from_str(&format!("{ym}-01"), "%Y-%m-%d")
        .map(month_label)
        .unwrap_or_else(|_| ym.to_string())
}

/// Renders the MRR tracker's sections.
pub fn render_markdown(content: &serde_json::Value) -> Result<String, ArtifactError> {
    let c: MrrTracker = typed(Kind::MrrTracker, content)?;
    let mut out = String::new();
    let source = match c.current.source.as_str() {
        "prompt" => "from your prompt",
        "stripe" => "from Stripe",
        _ => "stage estimate",
    };
    let _ = writeln!(
        out,
        "## Where you are\n\nCurrent MRR: **{}** ({source}, as of {}).\n",
        money(c.current.mrr),
        c.current.as_of
    );
    let growth = match c.path.required_monthly_growth {
        Some(g) => format!("Required growth: **{}** a month (CMGR).", percent(g)),
        None => "Starting from $0, the path ramps linearly.".to_string(),
    };
    let _ = writeln!(
        out,
        "## Target\n\n**{}** MRR by **{}** ({} month{}). {growth}\n",
        money(c.target.mrr),
        c.target.deadline,
        c.target.months,
        plural(c.target.months)
    );
    out.push_str("## Milestones\n\n| Month | Target MRR | Net new MRR | New customers needed |\n|---|---:|---:|---:|\n");
    for m in &c.path.milestones {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            month_label_ym(&m.month),
            money(m.target_mrr),
            money(m.net_new_mrr),
            m.new_customers_needed
        );
    }
    let verdict = match c.reality_check.verdict.as_str() {
        "on-track" => "On track",
        "ambitious" => "Ambitious",
        _ => "Unrealistic",
    };
    let _ = writeln!(
        out,
        "\n## Reality check\n\n**{verdict}.** {}\n",
        sections::one_line(&c.reality_check.reasoning)
    );
    sections::render_list(&mut out, "Sources", &c.reality_check.sources);
    sections::render_list(&mut out, "Assumptions", &c.assumptions);
    sections::render_monitoring(&mut out, &c.monitoring);
    sections::render_alerts(&mut out, &c.alerts, |a| match a.metric.as_str() {
        "mrr" => format!("{} of plan", percent(a.threshold)),
        _ => percent(a.threshold),
    });
    sections::render_next_actions(&mut out, &c.next_actions);
    Ok(out)
}
