//! The ABI oracle against our declarations: every IID, vtable slot offset, vtable size and
//! structure layout that rustc computes for `vss_errors::com` must equal what the C compiler
//! computes from the SDK headers (tests/abi/oracle.c, compiled with mingw-w64 and run under
//! Wine by scripts/windows-tests.sh, which passes its output in `VSS_ABI_ORACLE`).
#![cfg(windows)]

use std::collections::BTreeMap;
use vss_errors::com::types::STRUCT_LAYOUT;
use vss_errors::com::{IIDS, VTABLE_LAYOUT};
use vss_errors::GUID;

fn guid(g: &GUID) -> String {
    let d4: String = g.data4.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{:08x}-{:04x}-{:04x}-{}-{}",
        g.data1,
        g.data2,
        g.data3,
        &d4[..4],
        &d4[4..]
    )
}

/// Our facts, keyed like the oracle's lines without their value.
fn ours() -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    for (i, g) in IIDS {
        m.insert(format!("iid {i}"), guid(g));
    }
    m.insert(
        "iid CLSID_VSSCoordinator".to_string(),
        guid(&vss_errors::com::management::CLSID_VSS_COORDINATOR),
    );
    for (i, slot, v) in VTABLE_LAYOUT {
        let key = if slot.is_empty() {
            format!("vtbl {i}")
        } else {
            format!("slot {i} {slot}")
        };
        m.insert(key, v.to_string());
    }
    for (s, field, v) in STRUCT_LAYOUT {
        let key = if field.is_empty() {
            format!("struct {s}")
        } else {
            format!("field {s} {field}")
        };
        m.insert(key, v.to_string());
    }
    m
}

fn oracle() -> BTreeMap<String, String> {
    let path = std::env::var("VSS_ABI_ORACLE").unwrap_or_default();
    assert!(
        !path.is_empty(),
        "set VSS_ABI_ORACLE to the output of tests/abi/oracle.c (scripts/windows-tests.sh does)"
    );
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the oracle's output {path}: {e}"));
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (key, value) = l.rsplit_once(' ').unwrap_or((l, ""));
            (key.to_string(), value.to_string())
        })
        .collect()
}

#[test]
fn every_iid_slot_and_layout_matches_the_c_compiler() {
    let (ours, theirs) = (ours(), oracle());
    let mut problems = Vec::new();
    for (k, v) in &theirs {
        match ours.get(k) {
            Some(o) if o == v => {}
            Some(o) => problems.push(format!("{k}: the headers give {v}, ours {o}")),
            None => problems.push(format!("{k}: in the headers ({v}), not declared by us")),
        }
    }
    for (k, v) in &ours {
        if !theirs.contains_key(k) {
            problems.push(format!(
                "{k}: declared by us ({v}), the oracle does not know it"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
