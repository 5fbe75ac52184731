//! Fuzz target: arbitrary bytes as a catalog file, alone or added to the real catalog (the
//! first byte chooses), through the loader and the validator. Nothing may panic; every
//! diagnostic must name a position in the input and read as the project's messages do; a
//! file that passes alone must generate code that parses.
#![no_main]

use codegen::{load, validate, Catalog, Checked, Diagnostics, SourceFile};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const FUZZ_PATH: &str = "catalog/zz-fuzz.toml";

/// The real catalog, loaded once (not validated: the fuzzed file is validated with it).
fn real_catalog() -> &'static (Vec<SourceFile>, Catalog) {
    static REAL: OnceLock<(Vec<SourceFile>, Catalog)> = OnceLock::new();
    REAL.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog");
        let files = codegen::source::read_dir(&dir).expect("the real catalog reads");
        let cat = load::load(&files).expect("the real catalog loads");
        (files, cat)
    })
}

fn check_diagnostics(d: &Diagnostics, files: &[&SourceFile]) {
    assert!(!d.0.is_empty(), "an error report without errors");
    for diag in &d.0 {
        let file = files
            .iter()
            .find(|f| f.path == diag.loc.file)
            .unwrap_or_else(|| panic!("{diag}: names a file that was not read"));
        let lines = file.text.split('\n').count() as u32;
        assert!(
            diag.loc.line >= 1 && diag.loc.line <= lines && diag.loc.col >= 1,
            "{diag}: position outside the file ({lines} lines)"
        );
        let m = &diag.message;
        assert!(!m.trim().is_empty(), "{diag}: empty message");
        assert!(!m.ends_with('.'), "{diag}: trailing period");
        // Lowercase prose; a message may start with a name (`IVssAsync::Cancel`, Windows).
        let first = m.split(' ').next().unwrap_or_default();
        let mut chars = first.chars();
        let capitalized = chars.next().is_some_and(char::is_uppercase)
            && chars.clone().next().is_some()
            && chars.all(|c| c.is_ascii_lowercase());
        assert!(
            !capitalized || first == "Windows",
            "{diag}: message starts with a capital"
        );
    }
    let report = d.to_string();
    assert!(report.ends_with("no file was written"), "{report}");
}

fn check_generated(cat: &Checked) {
    let files = codegen::emit::generate(cat)
        .unwrap_or_else(|e| panic!("a validated catalog failed to generate: {e}"));
    for f in files {
        let parsed = syn::parse_file(&f.contents)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}\n{}", f.path, f.contents));
        // Printing again changes nothing: no comment or doc was lost on the way.
        let again = prettyplease::unparse(&parsed);
        assert!(
            f.contents.ends_with(&again),
            "{} is not stable under reformatting",
            f.path
        );
    }
    let _ = codegen::json::export(cat);
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let fuzzed = SourceFile::new(FUZZ_PATH, text);
    if mode & 1 == 0 {
        match codegen::check(std::slice::from_ref(&fuzzed)) {
            Ok(cat) => check_generated(&cat),
            Err(d) => check_diagnostics(&d, &[&fuzzed]),
        }
        return;
    }
    // The fuzzed file sorts after every real one, so loading the files one by one and
    // appending their records is what loading the folder does.
    let (real_files, real) = real_catalog();
    let mut all: Vec<&SourceFile> = real_files.iter().collect();
    all.push(&fuzzed);
    let added = match load::load(std::slice::from_ref(&fuzzed)) {
        Ok(added) => added,
        Err(d) => return check_diagnostics(&d, &all),
    };
    let mut cat = real.clone();
    cat.codes.extend(added.codes);
    cat.versions.extend(added.versions);
    cat.interfaces.extend(added.interfaces);
    cat.methods.extend(added.methods);
    // Generating the whole catalog takes far longer than validating it; generation from
    // accepted catalogs is checked in the standalone mode and by the `generate` target.
    if let Err(d) = validate::validate(cat) {
        check_diagnostics(&d, &all);
    }
});
