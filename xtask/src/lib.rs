//! `cargo xtask` internals: locating the workspace, and writing generated files atomically.

pub mod docs;
pub mod import;
pub mod write;

use std::path::{Path, PathBuf};

/// The workspace root (the folder holding `catalog/`).
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// Loads, validates and generates every file from the catalog under `root`.
pub fn generate(root: &Path) -> Result<Vec<codegen::GeneratedFile>, String> {
    let catalog = codegen::check_dir(&root.join("catalog")).map_err(|d| d.to_string())?;
    codegen::emit::generate(&catalog)
}
