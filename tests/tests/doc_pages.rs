//! Every method's Microsoft Docs page exists among the sdk-api pages and is the page of that
//! very interface method (its title is `Interface::Method`).
//!
//! The shared folder holds vss/, vsbackup/ and vswriter/; the vsmgmt/ pages are read from
//! `../shared/sdk-api/vsmgmt/` where present, else from the folder `VSS_ERRORS_VSMGMT_PAGES`
//! names, and are skipped (with a message) when neither has them.

#[test]
fn doc_pages_exist_and_name_the_method() {
    let Some(dir) = workspace_tests::shared("sdk-api") else {
        return;
    };
    let cat = workspace_tests::catalog();
    let vsmgmt = Some(dir.join("vsmgmt"))
        .filter(|d| d.is_dir())
        .or_else(|| std::env::var_os("VSS_ERRORS_VSMGMT_PAGES").map(std::path::PathBuf::from));
    let mut checked = 0;
    let mut skipped = 0;
    for m in &cat.methods {
        let Some(page) = &m.doc_page else { continue };
        let path = match (page.strip_prefix("vsmgmt/"), &vsmgmt) {
            (Some(name), Some(d)) => d.join(name),
            (Some(_), None) => {
                skipped += 1;
                continue;
            }
            (None, _) => dir.join(page),
        };
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {page}: {e}", m.qualified_name()));
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("title: "))
            .unwrap_or_default()
            .trim();
        let expected = match &m.interface {
            Some(_) => m.qualified_name(),
            None => m.name.clone(),
        };
        assert!(
            title.starts_with(&expected),
            "{page} is titled {title:?}, expected {expected:?}"
        );
        checked += 1;
    }
    if skipped > 0 {
        eprintln!(
            "skipped {skipped} vsmgmt pages: neither sdk-api/vsmgmt/ nor VSS_ERRORS_VSMGMT_PAGES holds them"
        );
    }
    assert!(checked >= 100, "only {checked} methods name a doc page");
}
