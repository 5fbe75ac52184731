//! `cargo xtask codegen` on a copy of the workspace layout: a catalog with errors fails with a
//! non-zero exit, modifies no generated file and leaves no temp file; a valid one writes its
//! files, after which `--check` passes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A fresh folder holding `catalog/` (a copy of a fixture) and an old `generated/` folder.
fn workspace(fixture: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("xtask-codegen-{}-{fixture}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let from = xtask::workspace_root().join("tests/fixtures").join(fixture);
    std::fs::create_dir_all(root.join("catalog")).unwrap();
    for entry in std::fs::read_dir(&from).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::copy(&path, root.join("catalog").join(path.file_name().unwrap())).unwrap();
        }
    }
    let generated = root.join(codegen::emit::CORE_GENERATED_DIR);
    std::fs::create_dir_all(&generated).unwrap();
    for name in ["mod.rs", "codes.rs", "methods.rs", "texts.rs"] {
        std::fs::write(generated.join(name), format!("// old {name}\n")).unwrap();
    }
    root
}

/// Every file below `dir` with its contents.
fn contents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(contents(&path));
        } else {
            out.insert(path.clone(), std::fs::read(&path).unwrap());
        }
    }
    out
}

#[test]
fn a_bad_catalog_fails_and_writes_nothing() {
    let root = workspace("duplicate_code_name");
    let generated = root.join(codegen::emit::CORE_GENERATED_DIR);
    let before = contents(&generated);
    assert_eq!(xtask::codegen(&root, false), ExitCode::FAILURE);
    assert_eq!(xtask::codegen(&root, true), ExitCode::FAILURE);
    // The same files with the same bytes: nothing modified, no temp file left beside them.
    assert_eq!(contents(&generated), before);
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_valid_catalog_is_written_then_fresh() {
    let root = workspace("valid_minimal");
    let generated = root.join(codegen::emit::CORE_GENERATED_DIR);
    assert_eq!(
        xtask::codegen(&root, true),
        ExitCode::FAILURE,
        "the old files are stale"
    );
    assert_eq!(xtask::codegen(&root, false), ExitCode::SUCCESS);
    let written = contents(&generated);
    let expected = xtask::generate(&root).unwrap();
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        expected
            .iter()
            .map(|f| root.join(&f.path))
            .collect::<std::collections::BTreeSet<_>>()
            .iter()
            .collect::<Vec<_>>(),
        "exactly the generated files, no temp file"
    );
    for f in &expected {
        assert_eq!(
            written[&root.join(&f.path)],
            f.contents.as_bytes(),
            "{}",
            f.path
        );
    }
    assert_eq!(xtask::codegen(&root, true), ExitCode::SUCCESS);
    std::fs::remove_dir_all(&root).unwrap();
}
