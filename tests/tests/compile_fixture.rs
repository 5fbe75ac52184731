//! The `escaping` fixture's generated code is compiled for real, inside a copy of the runtime
//! core crate, and its Display must reproduce the tricky catalog text exactly.

use std::process::Command;

#[test]
fn escaping_fixture_compiles_and_displays_exactly() {
    let root = workspace_tests::root();
    let fixture = root.join("tests/fixtures/escaping");
    let cat = codegen::check_dir(&fixture).expect("the escaping fixture is valid");
    let files = codegen::emit::generate(&cat).expect("generates");

    let krate = std::env::temp_dir().join(format!("vss-errors-escaping-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&krate);
    // The catalog-independent runtime (the COM layer needs the real catalog's interfaces).
    std::fs::create_dir_all(krate.join("src")).unwrap();
    for f in ["catalog.rs", "code.rs", "error.rs", "lookup.rs"] {
        std::fs::copy(
            root.join("vss-errors-core/src").join(f),
            krate.join("src").join(f),
        )
        .unwrap();
    }
    std::fs::write(
        krate.join("src/lib.rs"),
        "//! The runtime core with a fixture's generated code.\npub mod catalog;\npub mod code;\npub mod error;\nmod generated;\nmod lookup;\npub mod methods {\n    pub use crate::generated::methods::*;\n}\n",
    )
    .unwrap();
    for f in &files {
        let rel = f.path.strip_prefix("vss-errors-core/").unwrap();
        std::fs::create_dir_all(krate.join(rel).parent().unwrap()).unwrap();
        std::fs::write(krate.join(rel), &f.contents).unwrap();
    }
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    std::fs::write(
        krate.join("Cargo.toml"),
        "[package]\nname = \"vss-errors\"\nversion = \"0.0.0\"\nedition = \"2021\"\n[workspace]\n[dependencies]\nwindows-result = \"0.4.1\"\nwindows-core = \"0.62.2\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(krate.join("tests")).unwrap();
    std::fs::copy(
        fixture.join("expected_text.txt"),
        krate.join("tests/expected_text.txt"),
    )
    .unwrap();
    std::fs::write(
        krate.join("tests/display.rs"),
        r#"
use vss_errors::methods::DoItError;
#[test]
fn display_reproduces_the_text() {
    let expected = include_str!("expected_text.txt");
    assert!(expected.contains("*/") && expected.contains('"') && expected.contains('\n') && expected.contains('🚀'));
    let e = DoItError::BadState;
    assert_eq!(e.text(), Some(expected));
    assert_eq!(e.to_string(), format!("IVssThing::DoIt: {expected} (VSS_E_BAD_STATE 0x80042301)"));
}
#[test]
fn control_and_bidi_characters_survive() {
    // A carriage return or a bidi override in a `///` comment would not compile.
    let text = "carriage\rreturn, \u{202e}override\u{202c} and \u{2066}isolate\u{2069}, nul\0, line\u{2028}separator, /// slashes\n//! bang";
    let e = vss_errors::methods::OddError::BadState;
    assert_eq!(e.text(), Some(text));
    assert_eq!(e.to_string(), format!("IVssThing::Odd: {text} (VSS_E_BAD_STATE 0x80042301)"));
    assert_eq!(vss_errors::code::WindowsVersion::WindowsOdd.name(), "/ odd\rname \u{202e}");
}
"#,
    )
    .unwrap();
    let target = root.join("target/fixture-crates");
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["test", "--offline", "--tests", "-q"])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let _ = std::fs::remove_dir_all(&krate);
    assert!(
        out.status.success(),
        "the generated code did not compile or its test failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
