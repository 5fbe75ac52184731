//! The Markdown reference in `docs/`: a plain `cargo test` fails, naming `cargo xtask docs`,
//! when it no longer matches the catalog; its links and anchors resolve; fixture catalogs'
//! rendered reference is snapshotted.

use codegen::GeneratedFile;
use std::collections::BTreeMap;
use std::path::Path;

fn render(dir: &Path) -> Vec<GeneratedFile> {
    match codegen::check_dir(dir) {
        Ok(cat) => codegen::docs::render(&cat),
        Err(d) => panic!("{} does not validate:\n{d}", dir.display()),
    }
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.path().is_dir() {
            walk(&e.path(), out);
        } else {
            out.push(e.path());
        }
    }
}

#[test]
fn docs_match_the_catalog() {
    let root = workspace_tests::root();
    let files = codegen::docs::render(&workspace_tests::catalog());
    let stale: Vec<&str> = files
        .iter()
        .filter(|f| {
            std::fs::read_to_string(root.join(&f.path)).ok().as_deref() != Some(&f.contents)
        })
        .map(|f| f.path.as_str())
        .collect();
    assert!(
        stale.is_empty(),
        "stale or missing docs: {stale:?}; run `cargo xtask docs` to regenerate them"
    );
    let mut on_disk = Vec::new();
    walk(&root.join("docs"), &mut on_disk);
    let leftover: Vec<String> = on_disk
        .iter()
        .filter_map(|p| p.strip_prefix(&root).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| !files.iter().any(|f| &f.path == p))
        .collect();
    assert!(
        leftover.is_empty(),
        "files in docs/ that are no longer generated: {leftover:?}; run `cargo xtask docs` to remove them"
    );
}

#[test]
fn docs_are_deterministic_and_independent_of_file_order() {
    let dir = workspace_tests::root().join("catalog");
    let mut files = codegen::source::read_dir(&dir).expect("catalog readable");
    let a = codegen::docs::render(&codegen::check(&files).unwrap());
    files.reverse();
    let crlf: Vec<_> = files
        .iter()
        .map(|f| codegen::SourceFile::new(f.path.clone(), f.text.replace('\n', "\r\n")))
        .collect();
    let b = codegen::docs::render(&codegen::check(&crlf).unwrap());
    assert_eq!(a, b, "file order or line endings changed the docs");
    for f in &a {
        assert!(f.path.starts_with("docs/"), "{}", f.path);
        assert!(!f.contents.contains('\r'), "{}", f.path);
        let first = f.contents.lines().next().unwrap_or_default();
        assert!(
            first == codegen::docs::NOTE || first == codegen::docs::TOML_NOTE,
            "{} lacks the generated note",
            f.path
        );
    }
}

/// The anchors a page's headings get on GitHub and in mdBook.
fn anchors(page: &str) -> Vec<String> {
    page.lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| codegen::docs::anchor(&l.trim_start_matches('#').trim().replace('\\', "")))
        .collect()
}

#[test]
fn every_link_and_anchor_resolves() {
    let files = codegen::docs::render(&workspace_tests::catalog());
    let pages: BTreeMap<&str, &str> = files
        .iter()
        .map(|f| (f.path.as_str(), f.contents.as_str()))
        .collect();
    let mut checked = 0;
    for f in &files {
        let dir = Path::new(&f.path).parent().unwrap();
        for piece in f.contents.split("](").skip(1) {
            let target = piece.split(')').next().unwrap();
            if target.starts_with("http") {
                continue;
            }
            let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
            let path = if file.is_empty() {
                f.path.clone()
            } else {
                let mut p = dir.to_path_buf();
                for part in file.split('/') {
                    if part == ".." {
                        p.pop();
                    } else {
                        p.push(part);
                    }
                }
                p.to_string_lossy().replace('\\', "/")
            };
            let Some(page) = pages.get(path.as_str()) else {
                panic!("{}: link to {target} names no page", f.path);
            };
            if !anchor.is_empty() {
                assert!(
                    anchors(page).iter().any(|a| a == anchor),
                    "{}: {target} names no heading of {path}",
                    f.path
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
    // SUMMARY.md lists every page but itself and the index it starts with.
    let summary = pages["docs/SUMMARY.md"];
    for f in files.iter().filter(|f| f.path.ends_with(".md")) {
        let rel = f.path.trim_start_matches("docs/");
        assert!(
            rel == "SUMMARY.md" || summary.contains(&format!("]({rel})")),
            "SUMMARY.md lacks {rel}"
        );
    }
}

#[test]
fn method_tables_and_code_pages_carry_the_catalog_facts() {
    let files = codegen::docs::render(&workspace_tests::catalog());
    let page = |p: &str| {
        files
            .iter()
            .find(|f| f.path == p)
            .map(|f| f.contents.as_str())
            .unwrap_or_else(|| panic!("{p} not rendered"))
    };
    let iface = page("docs/interfaces/IVssBackupComponents.md");
    let dss = iface
        .split("\n## DoSnapshotSet\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a DoSnapshotSet section");
    let veto = dss
        .lines()
        .find(|l| {
            l.starts_with(
                "| [`VSS_E_PROVIDER_VETO`](../codes/VSS_E_PROVIDER_VETO.md) | `0x80042306` |",
            )
        })
        .unwrap_or_else(|| panic!("no VSS_E_PROVIDER_VETO row in:\n{dss}"));
    assert!(
        veto.ends_with("| wait 600 s (10 min), then retry up to 3 times | — | QueryStatus only |"),
        "{veto}"
    );
    assert!(
        dss.contains("returns [`E_UNEXPECTED`](../codes/E_UNEXPECTED.md) instead"),
        "{dss}"
    );

    let code = page("docs/codes/VSS_E_PROVIDER_VETO.md");
    assert!(code.contains("| [`IVssBackupComponents::DoSnapshotSet`](../interfaces/IVssBackupComponents.md#dosnapshotset) | "), "{code}");
    assert!(code.contains("| Facility | 4 (`FACILITY_ITF`) |"), "{code}");
    let shared = page("docs/codes/VDS_E_OPERATION_PENDING.md");
    assert!(shared.contains("[`VSS_E_WRITER_STATUS_NOT_AVAILABLE`](../codes/VSS_E_WRITER_STATUS_NOT_AVAILABLE.md) in the `vss` family"), "{shared}");
    let unexpected = page("docs/codes/E_UNEXPECTED.md");
    assert!(
        unexpected.contains("## Returned instead of another code"),
        "{unexpected}"
    );
    let sets = page("docs/writer-failures.md");
    assert!(
        sets.contains("## IVssComponentEx2::WriterFailure\n"),
        "{sets}"
    );
}

#[test]
fn fixture_docs_match_their_snapshots() {
    for name in ["valid_minimal", "escaping"] {
        let dir = workspace_tests::root()
            .join("tests")
            .join("fixtures")
            .join(name);
        let rendered = render(&dir)
            .iter()
            .map(|f| format!("==> {} <==\n{}", f.path, f.contents))
            .collect::<Vec<_>>()
            .join("\n");
        insta::assert_snapshot!(format!("docs_{name}"), rendered);
    }
}
