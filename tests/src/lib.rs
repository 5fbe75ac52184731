//! Helpers shared by the workspace tests: locating the workspace and the shared documents,
//! and parsing the consolidated error table (seed 004).

pub mod seed;

/// The workspace README's examples, compiled and run as doc tests so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// The `shared/` folder beside the checkout, holding the seed documents and the sdk-api pages.
///
/// Under `CI=true` a missing folder fails the test; elsewhere the test is skipped with a
/// message naming what is missing (a clone elsewhere has no `../shared`).
pub fn shared(sub: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("VSS_ERRORS_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("..").join("shared"));
    let path = dir.join(sub);
    if path.exists() {
        return Some(path);
    }
    let msg = format!("{} is missing: it holds the documents the catalog is checked against (set VSS_ERRORS_SHARED to its folder)", path.display());
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}");
    }
    eprintln!("SKIPPED: {msg}");
    None
}

/// The catalog of the workspace, loaded and validated.
pub fn catalog() -> codegen::Checked {
    match codegen::check_dir(&root().join("catalog")) {
        Ok(c) => c,
        Err(d) => panic!("the catalog does not validate:\n{d}"),
    }
}
