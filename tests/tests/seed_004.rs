//! The catalog against the consolidated error table (seed 004): every section and entry is
//! present, with the same codes in the same order, the same text, and header values.

use std::collections::BTreeMap;
use workspace_tests::{catalog, seed, shared};

fn sections() -> Option<Vec<seed::Section>> {
    let dir = shared("seeds")?;
    let file = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("004_"))
        });
    let Some(file) = file else {
        panic!("{} has no 004_*.txt", dir.display());
    };
    Some(seed::parse(
        &std::fs::read_to_string(file).expect("seed 004 is readable"),
    ))
}

#[test]
fn every_section_and_entry_is_in_the_catalog() {
    let Some(sections) = sections() else { return };
    assert_eq!(sections.len(), 107, "seed 004 has 107 sections");
    assert_eq!(
        sections.iter().map(|s| s.entries.len()).sum::<usize>(),
        522,
        "seed 004 has 522 entries"
    );
    let cat = catalog();
    let by_section: BTreeMap<&str, &codegen::model::Method> = cat
        .methods
        .iter()
        .filter_map(|m| m.seed_section.as_deref().map(|s| (s, m)))
        .collect();
    assert_eq!(
        by_section.len(),
        107,
        "each seed section maps to exactly one catalog record"
    );
    let mut problems = Vec::new();
    for s in &sections {
        let Some(m) = by_section.get(s.title.as_str()) else {
            problems.push(format!(
                "section {:?} (line {}) has no catalog method",
                s.title, s.line
            ));
            continue;
        };
        let codes: Vec<&str> = m.returns.iter().map(|e| e.code.as_str()).collect();
        let seed_codes: Vec<&str> = s.entries.iter().map(|e| e.code.as_str()).collect();
        if codes != seed_codes {
            problems.push(format!(
                "{}: codes {codes:?} != seed {seed_codes:?}",
                m.qualified_name()
            ));
            continue;
        }
        for (e, se) in m.returns.iter().zip(&s.entries) {
            let mut ours: Vec<String> = vec![e.text.clone()];
            ours.extend(e.os_notes.iter().map(|n| n.text.clone()));
            let ours = ours.join("\n");
            let theirs = se.paragraphs.join("\n");
            if ours != theirs {
                problems.push(format!(
                    "{} {}: text differs\n  catalog: {ours:?}\n  seed:    {theirs:?}",
                    m.qualified_name(),
                    e.code
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn printed_values_match_the_header_or_are_recorded_as_discrepancies() {
    let Some(sections) = sections() else { return };
    let cat = catalog();
    let codes: BTreeMap<&str, &codegen::model::Code> =
        cat.codes.iter().map(|c| (c.name.as_str(), c)).collect();
    let mut checked = 0;
    for s in &sections {
        for e in &s.entries {
            let Some(printed) = e.printed_value else {
                continue;
            };
            let code = codes[e.code.as_str()];
            checked += 1;
            if printed != code.value {
                let recorded = code
                    .discrepancies
                    .iter()
                    .any(|d| d.documented_value == printed && d.source.contains(&s.title));
                assert!(recorded, "{} prints {} as 0x{printed:08X} but the header says 0x{:08X}, and no discrepancy records it", s.title, e.code, code.value);
            }
        }
    }
    assert!(
        checked > 20,
        "seed 004 prints values for many entries; parsed {checked}"
    );
    let e_notimpl = codes["E_NOTIMPL"];
    assert_eq!(e_notimpl.value, 0x80004001);
    assert_eq!(e_notimpl.discrepancies[0].documented_value, 0x80000001);
}

#[test]
fn retry_advice_and_async_only_follow_the_prose() {
    let Some(sections) = sections() else { return };
    let cat = catalog();
    let mut advised = 0;
    for m in &cat.methods {
        for e in &m.returns {
            let ten_minutes =
                e.text.contains("wait ten minutes") && e.text.contains("up to three times");
            assert_eq!(
                ten_minutes,
                e.retry
                    .is_some_and(|r| r.wait_seconds == 600 && r.max_attempts == 3),
                "{} {}",
                m.qualified_name(),
                e.code
            );
            advised += usize::from(ten_minutes);
            assert_eq!(
                e.text.contains("only returned via the QueryStatus method"),
                e.async_only,
                "{} {}",
                m.qualified_name(),
                e.code
            );
        }
    }
    assert!(
        advised >= 10 && !sections.is_empty(),
        "the seed advises timed retries in many entries; found {advised}"
    );
}

#[test]
fn mojibake_is_repaired() {
    let cat = catalog();
    let all_text: String = cat
        .methods
        .iter()
        .flat_map(|m| m.returns.iter().map(|e| e.text.as_str()))
        .collect();
    assert!(!all_text.contains("â€"), "mojibake left in the catalog");
    assert!(all_text.contains("valid—that"));
}
