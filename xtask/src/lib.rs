//! `cargo xtask` internals: locating the workspace, and writing generated files atomically.

pub mod docs;
pub mod import;
pub mod write;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use write::{stale, write_if_changed, Status};

/// The workspace root (the folder holding `catalog/`), found at run time: from the manifest
/// folder `cargo run` names in `CARGO_MANIFEST_DIR`, else walking up from the current folder.
/// Never the folder the binary was built in: a target directory shared by two checkouts
/// reuses one binary for both.
pub fn workspace_root() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    find_root(
        std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from),
        &cwd,
    )
}

/// The first of `manifest_dir`'s ancestors, else `cwd`'s, that holds `catalog/` and a
/// `Cargo.toml`; `cwd` itself when none does (the error then names its missing `catalog`).
pub fn find_root(manifest_dir: Option<PathBuf>, cwd: &Path) -> PathBuf {
    let is_root = |p: &Path| p.join("catalog").is_dir() && p.join("Cargo.toml").is_file();
    manifest_dir
        .iter()
        .flat_map(|m| m.ancestors().map(Path::to_path_buf).collect::<Vec<_>>())
        .chain(cwd.ancestors().map(Path::to_path_buf))
        .find(|p| is_root(p))
        .unwrap_or_else(|| cwd.to_path_buf())
}

/// Loads, validates and generates every file from the catalog under `root`.
pub fn generate(root: &Path) -> Result<Vec<codegen::GeneratedFile>, String> {
    let catalog = codegen::check_dir(&root.join("catalog")).map_err(|d| d.to_string())?;
    codegen::emit::generate(&catalog)
}

/// `cargo xtask codegen [--check]` for the workspace at `root`: generates every file from the
/// catalog, then writes the changed ones (or, with `check`, names the stale ones). A catalog
/// with any error is reported and writes nothing.
pub fn codegen(root: &Path, check: bool) -> ExitCode {
    let files = match generate(root) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if check {
        let stale = stale(root, &files);
        if stale.is_empty() {
            return ExitCode::SUCCESS;
        }
        for path in &stale {
            eprintln!("error: {path} is stale; run `cargo xtask codegen` to regenerate it");
        }
        return ExitCode::FAILURE;
    }
    for f in &files {
        match write_if_changed(&root.join(&f.path), &f.contents) {
            Ok(Status::Written) => eprintln!("wrote {}", f.path),
            Ok(Status::Unchanged) => {}
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", f.path);
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
