//! Golden tests per fixture folder (`tests/fixtures/<name>/`): each holds a small catalog; its
//! snapshot is the generated output, or the exact error report for catalogs that must be
//! rejected. A rejected catalog must produce no output at all.

use std::path::PathBuf;

fn fixtures() -> Vec<(String, PathBuf)> {
    let dir = workspace_tests::root().join("tests").join("fixtures");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fixtures exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    out.sort();
    out
}

/// The generated files of a catalog folder, or its error report.
pub fn render(dir: &std::path::Path) -> Result<String, String> {
    let cat = codegen::check_dir(dir).map_err(|d| d.to_string())?;
    let files = codegen::emit::generate(&cat)?;
    Ok(files
        .iter()
        .map(|f| format!("==> {} <==\n{}", f.path, f.contents))
        .collect::<Vec<_>>()
        .join("\n"))
}

#[test]
fn fixture_outputs_match_their_snapshots() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() >= 15,
        "expected the fixture folders, found {}",
        fixtures.len()
    );
    for (name, dir) in fixtures {
        let output = match render(&dir) {
            Ok(generated) => {
                assert!(
                    name.starts_with("valid") || name == "escaping",
                    "fixture {name} should have been rejected"
                );
                generated
            }
            Err(report) => {
                assert!(
                    !name.starts_with("valid") && name != "escaping",
                    "fixture {name} was rejected:\n{report}"
                );
                assert!(report.ends_with("no file was written"), "{report}");
                for line in report.lines().filter(|l| l.contains(": error: ")) {
                    let loc = line.split(": error: ").next().unwrap_or_default();
                    let parts: Vec<&str> = loc.rsplitn(3, ':').collect();
                    assert_eq!(parts.len(), 3, "no file:line:col in {line:?}");
                    assert!(
                        parts[0].parse::<u32>().is_ok() && parts[1].parse::<u32>().is_ok(),
                        "no line:col in {line:?}"
                    );
                    let msg = line.split(": error: ").nth(1).unwrap_or_default();
                    assert!(!msg.ends_with('.'), "trailing period: {line:?}");
                }
                report
            }
        };
        insta::assert_snapshot!(name.clone(), output);
    }
}

#[test]
fn every_error_class_is_reported_in_one_run() {
    // One catalog with several independent problems reports all of them at once.
    let dir = workspace_tests::root()
        .join("tests")
        .join("fixtures")
        .join("unknown_key");
    let report = render(&dir).unwrap_err();
    assert!(report.contains("did you mean `summary`?"), "{report}");
    assert!(report.contains("did you mean `returns_async`?"), "{report}");
    assert!(report.contains("3 errors"), "{report}");
    assert!(
        report.contains("`code.summary`: missing required key"),
        "{report}"
    );
}

#[test]
fn shared_values_across_families_are_legal() {
    let dir = workspace_tests::root()
        .join("tests")
        .join("fixtures")
        .join("valid_minimal");
    let cat = codegen::check_dir(&dir).expect("valid");
    let shared: Vec<_> = cat
        .codes
        .iter()
        .filter(|c| c.value == 0x80042409)
        .map(|c| c.family.as_str())
        .collect();
    assert_eq!(shared, ["vds", "vss"]);
}
