//! Unit tests of the classifier: the tuning set, typos, refusals, explanations, confidence.

use super::*;

/// The tuning set, "kind<TAB>prompt" per line ("none" = must be refused): written for tuning the
/// lexicon and kept apart from `tests/heldout_prompts.jsonl`, so accuracy there measures how the
/// classifier generalises.
const DEV_TSV: &str = include_str!("dev_prompts.tsv");

fn dev_set() -> Vec<(&'static str, Option<Kind>)> {
    DEV_TSV
        .lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (kind, prompt) = line.split_once('\t').unwrap();
            (prompt, (kind != "none").then(|| kind.parse().unwrap()))
        })
        .collect()
}

fn params(p: &str) -> Params {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    crate::parse::extract_params(p, today)
}

fn intent(p: &str) -> Result<Intent, ArtifactError> {
    classify(p, &params(p))
}

fn kind_of(p: &str) -> Kind {
    intent(p)
        .map(|i| i.kind)
        .unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn refused(p: &str) -> bool {
    matches!(intent(p), Err(ArtifactError::NoKindFits(_)))
}

#[test]
fn tuning_set_accuracy() {
    let dev = dev_set();
    assert!(dev.len() >= 150, "{}", dev.len());
    let mut misses = Vec::new();
    for &(p, want) in &dev {
        let got = intent(p).ok().map(|i| i.kind);
        if got != want {
            misses.push(format!(
                "{want:?} got {got:?}: {p}\n    {:?}",
                explain(p, &params(p))
            ));
        }
    }
    let accuracy = 1.0 - misses.len() as f64 / dev.len() as f64;
    println!("tuning set: {:.1}% of {}", accuracy * 100.0, dev.len());
    assert!(accuracy >= 0.97, "{:.3}\n{}", accuracy, misses.join("\n"));
}

#[test]
fn classifies_mrr_prompts() {
    assert_eq!(kind_of("Track our path to $100k MRR"), Kind::MrrTracker);
    assert_eq!(
        kind_of("Can we reach $1.2M ARR by Q4 2027?"),
        Kind::MrrTracker
    );
    assert_eq!(
        kind_of("is doubling mrr in 6 months realistic"),
        Kind::MrrTracker
    );
}

#[test]
fn tolerates_typos_and_says_so() {
    assert_eq!(
        kind_of("we have a retension problem"),
        Kind::RetentionAnalysis
    );
    assert_eq!(kind_of("activaton is low"), Kind::ActivationFunnel);
    assert_eq!(kind_of("bord meetng prep"), Kind::BoardPrep);
    assert_eq!(
        kind_of("operatng systm for the team"),
        Kind::OperatingSystem
    );
    let i = intent("chrun analysis").unwrap();
    assert!(
        i.cues.iter().any(|c| c == "churn (typed \"chrun\")"),
        "{:?}",
        i.cues
    );
}

#[test]
fn case_and_punctuation_do_not_matter() {
    for p in [
        "HELP ME PREPARE FOR OUR BOARD MEETING",
        "board-meeting prep!!!",
    ] {
        assert_eq!(kind_of(p), Kind::BoardPrep, "{p}");
    }
}

#[test]
fn the_requested_artifact_beats_topics_it_covers() {
    assert_eq!(
        kind_of("board deck with our churn numbers"),
        Kind::BoardPrep
    );
    assert_eq!(
        kind_of("investor update covering activation and NPS"),
        Kind::BoardPrep
    );
    assert_eq!(
        kind_of("churn keeps dragging our ARR growth down"),
        Kind::RetentionAnalysis
    );
}

#[test]
fn nonsense_fits_no_kind() {
    for p in [
        "asdf qwerty",
        "what's the weather in Paris",
        "",
        "   ",
        "!!!",
        "how do I grow basil indoors",
        "ship this parcel to Lyon",
        "I'm bored",
    ] {
        match intent(p) {
            Err(ArtifactError::NoKindFits(msg)) => {
                for kind in Kind::ALL {
                    assert!(msg.contains(kind.as_str()), "{msg}");
                }
            }
            other => panic!("{p}: {other:?}"),
        }
    }
}

#[test]
fn everyday_words_count_in_a_business_context() {
    assert!(refused("grow tomatoes"));
    assert_eq!(kind_of("how do we grow revenue"), Kind::MrrTracker);
    assert!(refused("ship a package"));
    assert_eq!(kind_of("how do we ship faster"), Kind::ProductVelocity);
    let i = intent("we ship every week, is that slow?").unwrap();
    assert_eq!(i.kind, Kind::ProductVelocity);
}

#[test]
fn reports_cues_alternatives_and_confidence() {
    let p = "Why are customers churning after the first month?";
    let i = intent(p).unwrap();
    assert_eq!(i.kind, Kind::RetentionAnalysis);
    assert!(i.cues.iter().any(|c| c == "churning"), "{:?}", i.cues);
    assert!(i.confidence > 0.5 && i.confidence <= 1.0);
    let mixed = intent("board deck with our churn numbers").unwrap();
    assert_eq!(mixed.alternatives.first(), Some(&Kind::RetentionAnalysis));
    assert!(mixed.confidence < intent("help me prepare our board deck").unwrap().confidence);
}

#[test]
fn confidence_rises_with_evidence_and_margin() {
    assert!(confidence(3.0, 0.0) > confidence(2.0, 0.0));
    assert!(confidence(6.0, 0.0) > confidence(6.0, 3.0));
    assert!((confidence(4.0, 4.0) - confidence(4.0, 0.0) / 2.0).abs() < 0.002);
    for (b, r) in [(2.0, 0.0), (50.0, 0.0), (2.0, 9.0)] {
        let c = confidence(b, r);
        assert!((0.0..=1.0).contains(&c), "{c}");
    }
}

#[test]
fn is_deterministic() {
    for (p, _) in dev_set().into_iter().take(40) {
        assert_eq!(intent(p).ok(), intent(p).ok(), "{p}");
    }
}

#[test]
fn long_rambling_prompts_stay_fast_and_sane() {
    let long =
        "We are a small team and things are fine. ".repeat(200) + "Our churn is the problem.";
    let start = std::time::Instant::now();
    assert_eq!(kind_of(&long), Kind::RetentionAnalysis);
    assert!(start.elapsed().as_millis() < 200, "{:?}", start.elapsed());
}
