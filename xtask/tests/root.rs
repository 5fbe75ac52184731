//! `cargo xtask` finds the workspace at run time: the same binary run in another checkout
//! reads that checkout's catalog (a target directory shared by two checkouts reuses it).

use std::path::{Path, PathBuf};
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn another_checkout_is_read_from_its_own_folder() {
    let other = std::env::temp_dir().join(format!("vss-errors-root-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&other);
    copy_dir(&repo().join("catalog"), &other.join("catalog"));
    std::fs::write(other.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    // The other checkout differs: one interface fewer.
    std::fs::remove_file(other.join("catalog/interfaces/IVdsAsync.toml")).unwrap();
    std::fs::create_dir_all(other.join("deep/er")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["export", "--json"])
        .current_dir(other.join("deep/er"))
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("\"IVssAsync\""), "it exported a catalog");
    assert!(
        !stdout.contains("\"IVdsAsync\""),
        "it read the checkout it runs in, not the one it was built in"
    );
    // The manifest folder `cargo run` sets wins over the current folder.
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["export", "--json"])
        .current_dir(other.join("deep/er"))
        .env("CARGO_MANIFEST_DIR", repo().join("xtask"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"IVdsAsync\""));
    let _ = std::fs::remove_dir_all(&other);
}

#[test]
fn no_workspace_names_the_missing_catalog() {
    let nowhere = std::env::temp_dir().join(format!("vss-errors-noroot-{}", std::process::id()));
    std::fs::create_dir_all(&nowhere).unwrap();
    assert_eq!(xtask::find_root(None, &nowhere), nowhere);
    let _ = std::fs::remove_dir_all(&nowhere);
}
