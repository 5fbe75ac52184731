//! Property tests of the runtime: every method's error and outcome types (reached through
//! `Method::classify`) and `Display` never panic on any HRESULT, never print an empty message,
//! and give back the HRESULT they were made from; documented codes land on their entries.

use proptest::prelude::*;
use vss_errors::methods::{DoSnapshotSetError, LoadFromXmlError, QueryRevertStatusError};
use vss_errors::{AnyError, Code, Method, MethodError, HRESULT};

/// Every value the catalog names: codes and the fallbacks of OS notes.
fn documented_values() -> Vec<u32> {
    let mut values: Vec<u32> = Code::ALL.iter().map(|c| c.value()).collect();
    values.sort_unstable();
    values.dedup();
    values
}

/// Any value, biased towards documented ones, their neighbours and their other severity.
fn hresults() -> impl Strategy<Value = u32> {
    let documented = documented_values();
    prop_oneof![
        any::<u32>(),
        prop::sample::select(documented.clone()),
        (prop::sample::select(documented.clone()), -2i64..=2)
            .prop_map(|(v, d)| (i64::from(v) + d) as u32),
        prop::sample::select(documented).prop_map(|v| v ^ 0x8000_0000),
        Just(0x8000_FFFF),
        Just(0),
        Just(u32::MAX),
    ]
}

/// The value an entry's code or any of its fallbacks has.
fn documents(entries: &[vss_errors::Entry], v: u32) -> bool {
    entries.iter().any(|e| {
        e.code.value() == v
            || e.os_notes
                .iter()
                .any(|n| n.fallback.is_some_and(|f| f.value() == v))
    })
}

fn check_method(m: &'static Method, v: u32) -> Result<(), TestCaseError> {
    let hr = HRESULT(v as i32);
    let q = m.qualified_name();
    match m.classify(hr) {
        Ok(outcome) => {
            prop_assert!(
                v < 0x8000_0000,
                "{q}: failure 0x{v:08X} classified as success"
            );
            prop_assert_eq!(outcome.hresult(), hr);
            prop_assert!(std::ptr::eq(outcome.method(), m));
            match outcome.entry() {
                Some(e) => {
                    prop_assert_eq!(e.code.value(), v);
                    prop_assert!(e.outcome.is_some(), "{q}: {:?} has no outcome", e.code);
                }
                None => prop_assert!(
                    !m.entries.iter().any(|e| e.code.value() == v),
                    "{q}: documented success 0x{v:08X} lost its entry"
                ),
            }
        }
        Err(e) => {
            prop_assert!(
                v >= 0x8000_0000,
                "{q}: success 0x{v:08X} classified as failure"
            );
            prop_assert_eq!(e.hresult(), hr);
            prop_assert_eq!(HRESULT::from(e), hr);
            prop_assert!(std::ptr::eq(e.method(), m));
            let shown = e.to_string();
            prop_assert!(
                shown.starts_with(&format!("{q}: ")),
                "{q}: Display {shown:?} does not name the method"
            );
            prop_assert!(
                shown.len() > q.len() + 2 && shown.contains(&format!("0x{v:08X}")),
                "{q}: Display {shown:?} does not show the value"
            );
            prop_assert!(!shown.contains('\0'));
            match e.entry() {
                Some(entry) => {
                    prop_assert!(
                        shown.contains(entry.text()),
                        "{q}: {shown:?} lacks its text"
                    );
                    prop_assert_eq!(e.code(), Some(entry.code));
                    if e.is_fallback() {
                        prop_assert!(entry
                            .os_notes
                            .iter()
                            .any(|n| n.fallback.is_some_and(|f| f.value() == v)));
                    } else {
                        prop_assert_eq!(entry.code.value(), v);
                    }
                }
                None => {
                    prop_assert!(!e.is_fallback());
                    prop_assert!(
                        !documents(m.entries, v),
                        "{q}: documented failure 0x{v:08X} became undocumented"
                    );
                    prop_assert!(shown.contains("does not document"), "{shown:?}");
                }
            }
        }
    }
    Ok(())
}

/// A typed error and its type-erased form say the same.
fn check_typed<E: MethodError + Into<std::io::Error>>(v: u32) -> Result<(), TestCaseError> {
    let hr = HRESULT(v as i32);
    match (E::classify(hr), E::method().classify(hr)) {
        (Err(typed), Err(erased)) => {
            prop_assert_eq!(AnyError::new(typed), erased);
            prop_assert_eq!(typed.to_string(), erased.to_string());
            prop_assert_eq!(typed.entry().is_some(), erased.entry().is_some());
            prop_assert_eq!(typed.is_fallback(), erased.is_fallback());
            let io: std::io::Error = typed.into();
            prop_assert_eq!(io.to_string(), erased.to_string());
            prop_assert_eq!(E::from_failure(hr).hresult(), hr);
        }
        (Ok(_), Ok(erased)) => {
            prop_assert_eq!(erased.hresult(), hr);
            // A success passed where a failure was promised is never a panic.
            prop_assert!(E::from_failure(hr).hresult().0 < 0);
        }
        (typed, erased) => prop_assert!(
            false,
            "0x{v:08X}: typed success {} but erased {erased:?}",
            typed.is_ok()
        ),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn every_method_classifies_any_hresult(v in hresults()) {
        for &m in Method::all() {
            check_method(m, v)?;
        }
    }

    #[test]
    fn typed_and_erased_errors_agree(v in hresults()) {
        check_typed::<DoSnapshotSetError>(v)?;
        check_typed::<LoadFromXmlError>(v)?;
        check_typed::<QueryRevertStatusError>(v)?;
    }

    #[test]
    fn code_names_are_found_in_any_case(index in any::<prop::sample::Index>(), flips in any::<u64>()) {
        let code = Code::ALL[index.index(Code::ALL.len())];
        let mixed: String = code
            .name()
            .chars()
            .enumerate()
            .map(|(i, c)| if flips >> (i % 64) & 1 == 1 { c.to_ascii_lowercase() } else { c })
            .collect();
        prop_assert_eq!(Code::from_name(&mixed), Some(code));
        prop_assert_eq!(Code::from_name(&format!(" {mixed}\n")), Some(code));
    }

    #[test]
    fn code_lookups_never_invent_codes(v in hresults()) {
        let hr = HRESULT(v as i32);
        for &c in Code::readings(hr) {
            prop_assert_eq!(c.value(), v);
            prop_assert_eq!(Code::from_hresult(c.family(), hr), Some(c));
        }
        prop_assert_eq!(
            Code::readings(hr).len(),
            Code::ALL.iter().filter(|c| c.value() == v).count()
        );
    }
}

#[test]
fn every_documented_failure_displays_its_own_text() {
    let mut checked = 0;
    for &m in Method::all() {
        let q = m.qualified_name();
        for e in m.entries.iter().filter(|e| !e.code.is_success()) {
            let v = e.code.value();
            let err = m.classify(e.code.hresult()).expect_err("a failure code");
            assert_eq!(err.code(), Some(e.code), "{q}");
            assert!(!err.is_fallback(), "{q}: {:?}", e.code);
            assert_eq!(
                err.to_string(),
                format!("{q}: {} ({} 0x{v:08X})", e.text(), e.code.name())
            );
            for f in e.os_notes.iter().filter_map(|n| n.fallback) {
                let err = m.classify(f.hresult()).expect_err("a fallback failure");
                assert!(
                    err.is_fallback() && err.code() == Some(e.code),
                    "{q}: {f:?}"
                );
                assert!(err.to_string().contains("returned instead of"), "{err}");
            }
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} documented failures");
}

#[test]
fn every_code_displays_its_name_and_value() {
    for &c in Code::ALL {
        let shown = c.to_string();
        assert!(!c.summary().trim().is_empty(), "{c:?}");
        assert!(
            shown.ends_with(&format!("({} 0x{:08X})", c.name(), c.value())),
            "{shown:?}"
        );
    }
}
