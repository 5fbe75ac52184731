//! The cost to depend on vss-errors: `cargo tree -p vss-errors -e normal` on this host lists
//! only windows-result and windows-link, and no proc-macro at all, with default features (the
//! COM layer) as without them; windows-core and its macros come only with the `windows-core`
//! and `fake` features, `tracing` only behind its own; `serde` adds serde without its derive
//! macro.

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

/// What the default build links: the COM layer is on windows-link, with its own IUnknown
/// and GUID, so it needs neither windows-core nor any proc macro.
const LEAN: &[&str] = &[
    "vss-errors",
    "vss-errors-core",
    "windows-link",
    "windows-result",
];

#[test]
fn default_features_link_windows_result_and_windows_link_alone_and_run_no_proc_macro() {
    let t = tree(&[]);
    assert_eq!(t.linked, LEAN, "{t:?}");
    assert_eq!(t.proc_macros, Vec::<String>::new(), "{t:?}");
}

#[test]
fn windows_core_comes_only_with_the_features_that_ask_for_it() {
    for feature in ["windows-core", "fake"] {
        let t = tree(&[feature]);
        assert!(
            t.linked.iter().any(|n| n == "windows-core"),
            "{feature}: {t:?}"
        );
        let foreign: Vec<_> = t
            .linked
            .iter()
            .filter(|n| {
                !LEAN.contains(&n.as_str())
                    && !["windows-core", "windows-strings"].contains(&n.as_str())
            })
            .collect();
        assert!(
            foreign.is_empty(),
            "{feature}: outside the windows family: {foreign:?}"
        );
        assert_eq!(
            t.proc_macros,
            ["windows-implement", "windows-interface"],
            "{feature}: {t:?}"
        );
    }
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
