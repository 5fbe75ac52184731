//! The `serde` feature: codes, catalog entries and errors serialize to the documented fields,
//! with values as `"0x%08X"` strings, as structured logs read them.

use serde_json::{json, to_value};
use vss_errors::methods::*;
use vss_errors::{AnyError, Code, HRESULT};

#[test]
fn a_documented_error_gives_method_value_name_text_and_retry() {
    let e = DoSnapshotSetError::ProviderVeto;
    let entry = e.entry().unwrap();
    assert_eq!(
        to_value(e).unwrap(),
        json!({
            "method": "IVssBackupComponents::DoSnapshotSet",
            "value": "0x80042306",
            "name": "VSS_E_PROVIDER_VETO",
            "text": entry.text(),
            "retry": {"wait_seconds": 600, "max_attempts": 3},
            "fallback": false,
        })
    );
    // The type-erased error serializes as the typed one it came from.
    assert_eq!(to_value(AnyError::new(e)).unwrap(), to_value(e).unwrap());
}

#[test]
fn an_older_windows_fallback_is_marked_and_keeps_the_value_returned() {
    let e = DoSnapshotSetError::from_hresult(HRESULT(0x8000FFFF_u32 as i32)).unwrap();
    let v = to_value(e).unwrap();
    assert_eq!(v["value"], "0x8000FFFF");
    assert_eq!(v["name"], "VSS_E_UNEXPECTED");
    assert_eq!(v["fallback"], true);
    assert_eq!(v["retry"], serde_json::Value::Null);
}

#[test]
fn an_undocumented_failure_has_no_name_text_or_retry() {
    let e = match DoSnapshotSetError::classify(HRESULT(0x80070002_u32 as i32)) {
        Err(e) => e,
        Ok(_) => panic!("0x80070002 is a failure"),
    };
    assert!(matches!(e, DoSnapshotSetError::Other(_)), "{e:?}");
    assert_eq!(
        to_value(e).unwrap(),
        json!({
            "method": "IVssBackupComponents::DoSnapshotSet",
            "value": "0x80070002",
            "name": null,
            "text": null,
            "retry": null,
            "fallback": false,
        })
    );
    if let DoSnapshotSetError::Other(u) = e {
        assert_eq!(to_value(u).unwrap(), json!("0x80070002"));
    }
}

#[test]
fn codes_and_entries_serialize_with_their_catalog_fields() {
    let c = Code::VSS_E_PROVIDER_VETO;
    assert_eq!(
        to_value(c).unwrap(),
        json!({
            "name": "VSS_E_PROVIDER_VETO",
            "value": "0x80042306",
            "family": "vss",
            "summary": c.summary(),
        })
    );
    let entry = DoSnapshotSetError::Unexpected { fallback: false }
        .entry()
        .unwrap();
    let v = to_value(entry).unwrap();
    assert_eq!(v["name"], "VSS_E_UNEXPECTED");
    assert_eq!(v["value"], "0x80042302");
    assert_eq!(v["text"], entry.text());
    let notes = v["os_notes"].as_array().unwrap();
    assert_eq!(notes.len(), entry.os_notes.len());
    assert!(!notes.is_empty());
    assert_eq!(notes[0]["fallback"], "E_UNEXPECTED");
    assert_eq!(
        notes[0]["versions"].as_array().unwrap().len(),
        entry.os_notes[0].versions.len()
    );
    assert!(notes[0]["versions"][0]
        .as_str()
        .unwrap()
        .starts_with("windows-"));
}
