//! Loads, validates and renders the VSS error catalog; a pure library that writes no files.
//!
//! The pipeline has one module per phase:
//! [`source`] (read the catalog's TOML files) → [`load`] (parse them, keeping source spans) →
//! [`validate`] (check every rule, reporting all problems at once) → [`emit`] (Rust tokens
//! formatted with `prettyplease`) and [`json`] (the catalog as JSON).
//! The same catalog always renders to byte-identical output.

pub mod abi;
pub mod ctypes;
pub mod diagnostic;
pub mod docs;
pub mod emit;
pub mod import;
mod jobs;
pub mod json;
pub mod load;
pub mod model;
pub mod naming;
pub mod probe;
pub mod source;
pub mod validate;
pub mod wrappers;

pub use diagnostic::{Diagnostic, Diagnostics, Loc};
pub use emit::GeneratedFile;
pub use model::Catalog;
pub use source::SourceFile;
pub use validate::Checked;

/// Loads and validates a catalog from its source files.
pub fn check(files: &[SourceFile]) -> Result<Checked, Diagnostics> {
    let raw = load::load(files)?;
    validate::validate(raw)
}

/// Reads, loads and validates the catalog in `dir` (the `catalog/` folder).
pub fn check_dir(dir: &std::path::Path) -> Result<Checked, Diagnostics> {
    let files = source::read_dir(dir)?;
    check(&files)
}
