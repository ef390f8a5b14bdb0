use proptest::prelude::*;

use super::*;

fn front(title: &str) -> FrontMatter {
    FrontMatter {
        id: "4NMNnkzFbLtqHmFamoGHjAQ7N5Xd".into(),
        kind: "mrr_tracker".into(),
        title: title.into(),
    }
}

fn body(title: &str, actions: &[(bool, &str)], notes: &str) -> String {
    let mut out = format!("# {title}\n\n> a prompt\n\n## Target\n\n**$50,000**\n\n");
    if !actions.is_empty() {
        out.push_str("## Next actions\n\n");
        for (done, text) in actions {
            out.push_str(&format!("- [{}] {text}\n", if *done { 'x' } else { ' ' }));
        }
        out.push('\n');
    }
    out.push_str("## Notes\n\n");
    out.push_str(notes);
    out
}

#[test]
fn a_rendered_file_reads_back_as_written() {
    let text = render(
        &front("Path to $50k MRR"),
        &body(
            "Path to $50k MRR",
            &[(false, "Call Dana"), (true, "Ship it")],
            "Some notes\n\n- a list",
        ),
    )
    .unwrap();
    assert!(text.starts_with("---\nid: 4NMNnkzFbLtqHmFamoGHjAQ7N5Xd\nkind: mrr_tracker\n"));
    assert!(text.ends_with("- a list\n"));
    let parsed = parse(&text).unwrap();
    assert_eq!(parsed.id, "4NMNnkzFbLtqHmFamoGHjAQ7N5Xd");
    assert_eq!(parsed.kind.as_deref(), Some("mrr_tracker"));
    assert_eq!(parsed.front_title.as_deref(), Some("Path to $50k MRR"));
    assert_eq!(parsed.h1.as_deref(), Some("Path to $50k MRR"));
    assert_eq!(parsed.notes.as_deref(), Some("Some notes\n\n- a list"));
    assert_eq!(
        parsed.actions,
        vec![(false, "Call Dana".into()), (true, "Ship it".into())]
    );
}

#[test]
fn titles_that_yaml_would_misread_are_quoted_and_read_back() {
    for title in [
        "yes",
        "no",
        "null",
        "2027",
        "1.5",
        "- dash",
        "a: b",
        "#hash",
        "'quoted'",
        "\"dq\"",
        "[x]",
        "{y}",
        "~",
        "@at",
        "café – 50k",
        "%p",
        "* star",
        "!tag",
        "&anchor",
    ] {
        let text = render(&front(title), &body(title, &[], "")).unwrap();
        let parsed = parse(&text).unwrap_or_else(|e| panic!("{title}: {e}\n{text}"));
        assert_eq!(parsed.front_title.as_deref(), Some(title), "{text}");
    }
}

#[test]
fn unquoted_scalars_a_founder_types_are_read_as_text() {
    let parsed = parse("---\nid: abc\ntitle: 2027\n---\n# x\n").unwrap();
    assert_eq!(parsed.front_title.as_deref(), Some("2027"));
    // YAML 1.2: `yes` is a string, `true` a bool.
    let parsed = parse("---\nid: abc\ntitle: yes\n---\n").unwrap();
    assert_eq!(parsed.front_title.as_deref(), Some("yes"));
    let parsed = parse("---\nid: abc\ntitle: true\n---\n").unwrap();
    assert_eq!(parsed.front_title.as_deref(), Some("true"));
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_are_not_edits() {
    let text = render(&front("T"), &body("T", &[(true, "A")], "n")).unwrap();
    let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let (a, b) = (parse(&text).unwrap(), parse(&windows).unwrap());
    assert_eq!(a, b);
    assert!(has_front_matter(&windows));
}

#[test]
fn checkbox_variants_editors_write_are_read() {
    let md = "---\nid: a\n---\n## Next actions\n\n- [X] upper\n* [x] star\n  - [ ] indented\n- [?] not a box\n- plain\n\n## Other\n\n- [x] not an action\n";
    let parsed = parse(md).unwrap();
    assert_eq!(
        parsed.actions,
        vec![
            (true, "upper".into()),
            (true, "star".into()),
            (false, "indented".into())
        ]
    );
    assert_eq!(parsed.notes, None);
}

#[test]
fn broken_front_matter_says_what_is_wrong() {
    for (text, expected) in [
        ("# just markdown\n", "does not start"),
        ("---\nid: a\n# no end\n", "no closing"),
        ("---\nid: [a\n---\n", "not valid YAML"),
        ("---\n- a\n- b\n---\n", "key: value"),
        ("---\ntitle: t\n---\n", "no `id`"),
        ("---\nid: [1, 2]\n---\n", "no `id`"),
    ] {
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains(expected), "{text:?}: {err}");
    }
}

#[test]
fn a_heading_in_the_notes_is_never_the_title() {
    let parsed = parse("---\nid: a\n---\n\n> prompt\n\n## Notes\n\n# Big idea\n").unwrap();
    assert_eq!(parsed.h1, None);
    assert_eq!(parsed.notes.as_deref(), Some("# Big idea"));
    assert!(parsed.untitled_body.contains("# Big idea"));
}

#[test]
fn front_matter_may_close_at_the_end_of_the_file() {
    assert_eq!(parse("---\nid: a\n---").unwrap().id, "a");
}

#[test]
fn the_first_heading_is_the_one_left_out_of_the_body_compared() {
    assert_eq!(
        untitled_body("\n# T\n\nx\n# Not the title\n"),
        "x\n# Not the title\n"
    );
}

proptest! {
    #[test]
    fn editable_fields_round_trip(
        title in "[^\\n\\r\\u{85}\\u{2028}\\u{2029}]{1,60}".prop_filter("not blank", |t| !t.trim().is_empty()),
        notes in "[a-zA-Z0-9 #*\\-\\[\\]\\n]{0,200}",
        actions in proptest::collection::vec((any::<bool>(), "[a-zA-Z0-9 ,.$]{1,40}"), 0..6),
    ) {
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        let actions: Vec<(bool, String)> = actions
            .into_iter()
            .map(|(d, t)| (d, t.trim().to_string()))
            .filter(|(_, t)| !t.is_empty())
            .collect();
        let refs: Vec<(bool, &str)> = actions.iter().map(|(d, t)| (*d, t.as_str())).collect();
        let text = render(&front(&title), &body(&title, &refs, &notes)).unwrap();
        let parsed = parse(&text).unwrap();
        prop_assert_eq!(parsed.front_title.as_deref(), Some(title.as_str()));
        prop_assert_eq!(parsed.h1.as_deref(), Some(title.as_str()));
        prop_assert_eq!(parsed.notes.as_deref(), Some(notes.trim()));
        prop_assert_eq!(&parsed.actions, &actions);
        // Rendering is a pure function of its input.
        prop_assert_eq!(text, render(&front(&title), &body(&title, &refs, &notes)).unwrap());
    }

    #[test]
    fn parsing_never_panics(text in "\\PC{0,400}") {
        let _ = parse(&text);
        let _ = normalise(&text);
    }
}
