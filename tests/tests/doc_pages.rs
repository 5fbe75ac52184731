//! Every method's Microsoft Docs page exists among the sdk-api pages and is the page of that
//! very interface method (its title is `Interface::Method`).

#[test]
fn doc_pages_exist_and_name_the_method() {
    let Some(dir) = workspace_tests::shared("sdk-api") else {
        return;
    };
    let cat = workspace_tests::catalog();
    let mut checked = 0;
    for m in &cat.methods {
        let Some(page) = &m.doc_page else { continue };
        let text = std::fs::read_to_string(dir.join(page))
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
    assert!(checked >= 100, "only {checked} methods name a doc page");
}
