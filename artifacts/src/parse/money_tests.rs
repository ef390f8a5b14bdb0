//! Hand-written cases for the money rules.

use super::money::{MoneyFacts, Role, amounts, extract_money};

fn facts(prompt: &str) -> MoneyFacts {
    extract_money(prompt)
}

fn target(prompt: &str) -> Option<f64> {
    facts(prompt).target_mrr
}

fn current(prompt: &str) -> Option<f64> {
    facts(prompt).current_mrr
}

#[test]
fn notations_of_one_amount() {
    for p in [
        "get to $100k",
        "get to 100K MRR",
        "get to $100,000",
        "get to 100 grand a month",
        "get to $0.1M",
        "get to 0.1 million MRR",
        "get to 100,000 dollars",
        "get to USD 100k",
        "get to 100k USD",
        "get to $100 thousand",
        "get to 100000 bucks",
        "get to $1.2m arr",
        "get to $1,200,000 a year",
        "get to $1.2M annual recurring revenue",
        "get to $1.2M/yr",
        "get to 1.2 million per year",
        "get to $1.2M in ARR",
    ] {
        assert_eq!(target(p), Some(100_000.0), "{p}");
    }
}

#[test]
fn other_currencies_keep_their_amount() {
    assert_eq!(target("reach €50k MRR"), Some(50_000.0));
    assert_eq!(target("reach 50k€ per month"), Some(50_000.0));
    assert_eq!(target("reach £7,500/month"), Some(7_500.0));
    assert_eq!(target("reach EUR 20k"), Some(20_000.0));
    assert_eq!(target("reach 3,000 euros a month"), Some(3_000.0));
    assert_eq!(target("hit 900 pounds"), Some(900.0));
}

#[test]
fn from_x_to_y_and_current_cues() {
    let f = facts("go from $10k to $40k MRR");
    assert_eq!(
        (f.current_mrr, f.target_mrr),
        (Some(10_000.0), Some(40_000.0))
    );
    let f = facts("we're at 20k mrr, goal is 60k");
    assert_eq!(
        (f.current_mrr, f.target_mrr),
        (Some(20_000.0), Some(60_000.0))
    );
    let f = facts("currently at $5k/mo; want to reach $15k/mo by june");
    assert_eq!(
        (f.current_mrr, f.target_mrr),
        (Some(5_000.0), Some(15_000.0))
    );
    assert_eq!(current("we make $8k a month"), Some(8_000.0));
    assert_eq!(current("we have 30k MRR"), Some(30_000.0));
    assert_eq!(current("MRR is $12,500 now"), Some(12_500.0));
    assert_eq!(current("We hit $25k MRR today!"), Some(25_000.0));
    assert_eq!(
        current("today we're doing 40k monthly recurring revenue"),
        Some(40_000.0)
    );
    let f = facts("Our MRR is 12000 and the target is 30000");
    assert_eq!(
        (f.current_mrr, f.target_mrr),
        (Some(12_000.0), Some(30_000.0))
    );
}

#[test]
fn a_single_uncued_amount_is_the_target() {
    let f = facts("$75k MRR by end of year");
    assert_eq!((f.current_mrr, f.target_mrr), (None, Some(75_000.0)));
    assert_eq!(target("MRR tracker: 250k"), Some(250_000.0));
}

#[test]
fn arrows_and_uncued_pairs() {
    let f = facts("$10k -> $50k MRR");
    assert_eq!(
        (f.current_mrr, f.target_mrr),
        (Some(10_000.0), Some(50_000.0))
    );
    let f = facts("12k → 48k MRR in a year");
    assert_eq!(
        (f.current_mrr, f.target_mrr),
        (Some(12_000.0), Some(48_000.0))
    );
}

#[test]
fn arr_before_the_amount_sets_the_period() {
    assert_eq!(target("our ARR goal is $6M"), Some(500_000.0));
    assert_eq!(target("our MRR goal is $6M"), Some(6_000_000.0));
    let f = facts("ARR is $2.4M, we want $400k MRR");
    assert_eq!(
        (f.current_mrr, f.target_mrr),
        (Some(200_000.0), Some(400_000.0))
    );
}

#[test]
fn multiples_derive_the_target_from_current() {
    let f = facts("double our $20k MRR by June");
    assert_eq!(f.target_multiple, Some(2.0));
    assert_eq!(
        (f.current_mrr, f.target_mrr),
        (Some(20_000.0), Some(40_000.0))
    );
    let f = facts("we're at $15k MRR and want to 3x it");
    assert_eq!(
        (f.current_mrr, f.target_mrr),
        (Some(15_000.0), Some(45_000.0))
    );
    assert_eq!(facts("triple revenue this year").target_multiple, Some(3.0));
    assert_eq!(facts("10x our MRR").target_multiple, Some(10.0));
    assert_eq!(facts("a tenfold increase").target_multiple, Some(10.0));
    let f = facts("Is doubling MRR in 6 months realistic?");
    assert_eq!(
        (f.target_multiple, f.current_mrr, f.target_mrr),
        (Some(2.0), None, None)
    );
    assert_eq!(facts("1x is flat").target_multiple, None);
    assert_eq!(facts("a 1920x1080 screenshot").target_multiple, None);
}

#[test]
fn percentages_counts_and_bare_numbers_are_not_money() {
    for p in [
        "churn is 7% and I want it under 3%",
        "our team of 6 engineers",
        "make sense of 300 survey answers",
        "a 12 person startup",
        "1 in 5 trial users finishes setup",
        "by June 2027",
        "in 18 months",
        "MRR growth in 9 months",
        "we have 100k users",
        "grew to 2M signups",
        "Q4 board deck",
        "40 percent of revenue",
    ] {
        assert_eq!(amounts(p), vec![], "{p}");
    }
}

#[test]
fn prices_spend_and_funding_are_not_mrr() {
    assert_eq!(
        target("we raised $2M and want to hit $50k MRR"),
        Some(50_000.0)
    );
    assert_eq!(facts("we burn $80k a month"), MoneyFacts::default());
    assert_eq!(facts("pricing is $49 per seat"), MoneyFacts::default());
    assert_eq!(facts("customers pay $100/user"), MoneyFacts::default());
    assert_eq!(facts("closing a $3M seed round"), MoneyFacts::default());
    let f = facts("how many customers at $99 each to hit $30k MRR");
    assert_eq!((f.current_mrr, f.target_mrr), (None, Some(30_000.0)));
}

#[test]
fn roles_are_reported_in_order() {
    let found = amounts("from 8,500 dollars a month to $30,000/month");
    let roles: Vec<Role> = found.iter().map(|a| a.role).collect();
    assert_eq!(roles, vec![Role::Current, Role::Target]);
    assert_eq!(found[0].mrr, 8_500.0);
}

#[test]
fn absurd_values_are_ignored() {
    assert_eq!(
        facts("$99999999999999999999999k MRR"),
        MoneyFacts::default()
    );
    assert_eq!(facts("$5000000000000000 MRR"), MoneyFacts::default());
    assert_eq!(target("reach $900B ARR"), Some(75e9));
    assert_eq!(facts("1000000x our MRR").target_multiple, None);
}

#[test]
fn past_values_yield_to_current_ones() {
    let f = facts("our MRR was $8k in January and is $14k now");
    assert_eq!((f.current_mrr, f.target_mrr), (Some(14_000.0), None));
    let f = facts("$14k MRR now, was $8k in January");
    assert_eq!((f.current_mrr, f.target_mrr), (Some(14_000.0), None));
    let f = facts("MRR was $12k last month, we want $30k");
    assert_eq!(
        (f.current_mrr, f.target_mrr),
        (Some(12_000.0), Some(30_000.0))
    );
    assert_eq!(current("we hit 30k MRR last month"), Some(30_000.0));
}

#[test]
fn targets_phrased_as_being_somewhere() {
    let f = facts("I want to be at 1 million ARR within 2 yrs");
    assert_eq!(
        (f.current_mrr, f.target_mrr.map(|t| t * 12.0)),
        (None, Some(1e6))
    );
    let f = facts("help us grow from zero to 10k MRR");
    assert_eq!((f.current_mrr, f.target_mrr), (Some(0.0), Some(10_000.0)));
    assert_eq!(target("We closed 2 deals worth $120k ARR"), None);
    assert_eq!(target("MRR tracker for 2027"), None);
}
