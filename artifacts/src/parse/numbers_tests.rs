//! Hand-written cases for team size, NPS, sample size and rates.

use super::numbers::{nps, rates, sample_size, team_size};

#[test]
fn team_sizes() {
    for (p, want) in [
        ("team of 6", 6),
        ("Our engineering team of 6 keeps missing goals", 6),
        ("6 engineers", 6),
        ("4 developers ship too slowly", 4),
        ("12 person startup", 12),
        ("a 12-person company", 12),
        ("we are 8 people", 8),
        ("we're 5 folks", 5),
        ("team of six", 6),
        ("twenty engineers", 20),
        ("our team size is 14", 14),
        ("headcount of 40", 40),
        ("3 full-time engineers", 3),
    ] {
        assert_eq!(team_size(p), Some(want), "{p}");
    }
}

#[test]
fn not_team_sizes() {
    for p in [
        "300 people answered the survey",
        "we need to hire 2 engineers",
        "team of 0",
        "team of 99999999999",
        "the team",
        "team of a few",
    ] {
        assert_eq!(team_size(p), None, "{p}");
    }
}

#[test]
fn nps_values() {
    for (p, want) in [
        ("NPS is 32", 32.0),
        ("NPS fell to 21", 21.0),
        ("NPS of -5", -5.0),
        ("net promoter score 40", 40.0),
        ("our nps: 45.", 45.0),
        ("NPS went from 30 to 21", 21.0),
        ("improve NPS from 21 to 40", 21.0),
        ("an NPS score of +12", 12.0),
        ("a 50 NPS", 50.0),
    ] {
        assert_eq!(nps(p), Some(want), "{p}");
    }
}

#[test]
fn not_nps_values() {
    for p in [
        "NPS comments",
        "NPS in 3 months",
        "NPS and 45 interviews",
        "NPS is 250",
        "NPS 1e999",
    ] {
        assert_eq!(nps(p), None, "{p}");
    }
}

#[test]
fn sample_sizes() {
    for (p, want) in [
        ("Make sense of 300 survey answers", 300),
        ("120 responses", 120),
        ("45 interviews", 45),
        ("500 tickets", 500),
        ("500 support tickets", 500),
        ("1,200 open-ended responses", 1200),
        ("2k NPS responses", 2000),
        ("we interviewed 30 customers", 30),
    ] {
        assert_eq!(sample_size(p), Some(want), "{p}");
    }
    assert_eq!(sample_size("team of 6 engineers handles tickets"), None);
    assert_eq!(sample_size("0 responses"), None);
}

#[test]
fn rates_in_order() {
    assert_eq!(
        rates("churn is 7% and I want it under 3%"),
        vec![0.07, 0.03]
    );
    assert_eq!(rates("40 percent"), vec![0.4]);
    assert_eq!(rates("from 40% to 25.5 %"), vec![0.4, 0.255]);
    assert_eq!(rates("Only 1 in 5 trial users"), vec![0.2]);
    assert_eq!(rates("3 out of 10 users and 12 pct"), vec![0.3, 0.12]);
    assert_eq!(rates("one in four"), vec![0.25]);
    assert_eq!(rates("hit 50 in 6 months"), Vec::<f64>::new());
    assert_eq!(rates("q4 5% v2"), vec![0.05]);
    assert!(rates(&"9".repeat(500)).is_empty());
    assert!(rates(&format!("{}%", "9".repeat(500))).is_empty());
}

#[test]
fn nps_next_to_a_sample_is_not_a_score() {
    assert_eq!(nps("45 NPS responses"), None);
    assert_eq!(sample_size("45 NPS responses"), Some(45));
    assert_eq!(team_size("team: 7"), Some(7));
    assert_eq!(team_size("team size: 9"), Some(9));
}
