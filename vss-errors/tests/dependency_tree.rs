//! The cost to depend on vss-errors: `cargo tree -p vss-errors -e normal` on this host lists
//! only the windows-result/windows-core family (the `windows-*` macros' own build-time
//! dependencies aside, which are never linked), and `tracing` only behind its feature; without
//! default features (no `com`) only windows-result, and no proc-macro at all; `serde` adds serde
//! without its derive macro.

// It runs the host's cargo, which a Windows test binary (under Wine) cannot start.
#![cfg(not(windows))]

use std::process::Command;

/// What the tree links into a user's program, and the proc-macros it runs at build time.
#[derive(Debug, Default)]
struct Tree {
    linked: Vec<String>,
    proc_macros: Vec<String>,
}

fn tree(features: &[&str]) -> Tree {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root).args([
        "tree",
        "-p",
        "vss-errors",
        "-e",
        "normal",
        "--prefix",
        "depth",
        "--format",
        "{p}",
    ]);
    for f in features {
        if f.starts_with("--") {
            cmd.arg(f);
        } else {
            cmd.args(["--features", f]);
        }
    }
    let out = cmd.output().expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut t = Tree::default();
    // Depth of the proc-macro whose subtree we are in: its dependencies run at build time.
    let mut in_macro: Option<usize> = None;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        let Ok(depth) = line[..digits].parse::<usize>() else {
            continue;
        };
        let name = line[digits..]
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string();
        if in_macro.is_some_and(|d| depth > d) {
            continue;
        }
        in_macro = None;
        if line.contains("(proc-macro)") {
            in_macro = Some(depth);
            t.proc_macros.push(name);
        } else {
            t.linked.push(name);
        }
    }
    t.linked.sort();
    t.linked.dedup();
    t.proc_macros.sort();
    t.proc_macros.dedup();
    t
}

const FAMILY: &[&str] = &[
    "vss-errors",
    "vss-errors-core",
    "windows-core",
    "windows-link",
    "windows-result",
    "windows-strings",
];
const FAMILY_MACROS: &[&str] = &["windows-implement", "windows-interface"];

#[test]
fn default_features_depend_only_on_the_windows_result_core_family() {
    let t = tree(&[]);
    assert!(t.linked.iter().any(|n| n == "windows-result"), "{t:?}");
    assert!(t.linked.iter().any(|n| n == "vss-errors"), "{t:?}");
    let foreign: Vec<_> = t
        .linked
        .iter()
        .filter(|n| !FAMILY.contains(&n.as_str()))
        .collect();
    assert!(
        foreign.is_empty(),
        "outside the windows family: {foreign:?}"
    );
    let macros: Vec<_> = t
        .proc_macros
        .iter()
        .filter(|n| !FAMILY_MACROS.contains(&n.as_str()))
        .collect();
    assert!(
        macros.is_empty(),
        "proc-macros outside the family: {macros:?}"
    );
}

#[test]
fn tracing_comes_only_with_its_feature() {
    assert!(!tree(&[]).linked.iter().any(|n| n.starts_with("tracing")));
    let t = tree(&["tracing"]);
    assert!(t.linked.iter().any(|n| n == "tracing"), "{t:?}");
}

#[test]
fn without_com_only_windows_result_and_no_proc_macro() {
    let t = tree(&["--no-default-features"]);
    assert_eq!(
        t.linked,
        [
            "vss-errors",
            "vss-errors-core",
            "windows-link",
            "windows-result"
        ],
        "{t:?}"
    );
    assert_eq!(t.proc_macros, Vec::<String>::new(), "{t:?}");
}

#[test]
fn serde_adds_serde_alone_and_no_proc_macro() {
    let t = tree(&["--no-default-features", "serde"]);
    assert!(t.linked.iter().any(|n| n == "serde"), "{t:?}");
    assert!(
        t.linked.iter().all(|n| n.starts_with("vss-errors")
            || n.starts_with("windows-")
            || n.starts_with("serde")),
        "{t:?}"
    );
    assert_eq!(t.proc_macros, Vec::<String>::new(), "{t:?}");
}
