//! Drift: every difference between what the pages document and what the catalog records, per
//! method and code (`cargo xtask import --check`).

use super::{Imported, ImportedMethod, List};
use crate::json::hex;
use crate::model::{Catalog, Entry, OsNote};
use std::fmt;

/// One difference between a page and the catalog.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// `Interface::Method`.
    pub method: String,
    /// The code concerned, if the difference is about one code.
    pub code: Option<String>,
    /// What differs: lowercase, no trailing period.
    pub what: String,
    /// The page's label.
    pub page: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(c) => write!(f, "{}: {} {c}: {}", self.page, self.method, self.what),
            None => write!(f, "{}: {}: {}", self.page, self.method, self.what),
        }
    }
}

/// Every difference, sorted by method, code and page.
pub fn drift(cat: &Catalog, imported: &Imported) -> Vec<Difference> {
    let mut out = Vec::new();
    for m in &imported.methods {
        method(cat, m, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

fn method(cat: &Catalog, im: &ImportedMethod, out: &mut Vec<Difference>) {
    let q = im.method.qualified_name();
    let mut diff = |code: Option<&str>, what: String| {
        out.push(Difference {
            method: q.clone(),
            code: code.map(str::to_string),
            what,
            page: im.page.clone(),
        })
    };
    for (code, printed) in &im.printed {
        match cat.codes.iter().find(|c| &c.name == code) {
            None => diff(Some(code), "not defined in codes.toml".into()),
            Some(c) if c.value != *printed
                && !c.discrepancies.iter().any(|d| d.documented_value == *printed) =>
            {
                diff(Some(code), format!(
                    "the page prints {} but the header value is {}, and no `[[code.discrepancy]]` records it",
                    hex(*printed),
                    hex(c.value)
                ))
            }
            Some(_) => {}
        }
    }
    for e in im.method.returns.iter().chain(&im.method.status) {
        if !cat.codes.iter().any(|c| c.name == e.code)
            && !im.printed.iter().any(|(c, _)| c == &e.code)
        {
            diff(Some(&e.code), "not defined in codes.toml".into());
        }
    }
    let Some(c) = cat
        .methods
        .iter()
        .find(|m| m.kind == im.method.kind && m.qualified_name() == q)
    else {
        let n = im.method.returns.len() + im.method.status.len();
        if n > 0 {
            diff(
                None,
                format!("documented with {n} codes but not in the catalog"),
            );
        }
        return;
    };
    if let Some(reason) = &im.no_codes {
        if !c.returns.is_empty() {
            diff(
                None,
                format!(
                    "the page documents no codes ({reason}); the catalog records {}",
                    codes(&c.returns).join(", ")
                ),
            );
        }
        return;
    }
    match (&im.method.doc_page, &c.doc_page) {
        (Some(p), None) => diff(
            None,
            format!("the catalog records no doc_page; the page is {p}"),
        ),
        (Some(p), Some(cp)) if p != cp => diff(
            None,
            format!("doc_page is {cp} in the catalog but the page is {p}"),
        ),
        _ => {}
    }
    if im.method.returns_async != c.returns_async {
        diff(
            None,
            format!(
                "returns_async is {} in the catalog but the page says {}",
                c.returns_async, im.method.returns_async
            ),
        );
    }
    for list in [List::Returns, List::Status] {
        let (docs, ours) = match list {
            List::Returns => (&im.method.returns, &c.returns),
            List::Status => (&im.method.status, &c.status),
        };
        if list == List::Status && docs.is_empty() {
            continue; // only pages with a pHrResult table document status codes
        }
        entries(list, docs, ours, &mut diff);
    }
}

fn codes(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.code.as_str()).collect()
}

fn entries(
    list: List,
    docs: &[Entry],
    ours: &[Entry],
    diff: &mut impl FnMut(Option<&str>, String),
) {
    let key = list.key();
    for d in docs {
        let Some(o) = ours.iter().find(|o| o.code == d.code) else {
            diff(
                Some(&d.code),
                format!("documented but not in the catalog's `{key}`"),
            );
            continue;
        };
        if d.text != o.text {
            diff(
                Some(&d.code),
                format!(
                    "text differs\n    page:    {:?}\n    catalog: {:?}",
                    d.text, o.text
                ),
            );
        }
        if d.async_only != o.async_only {
            diff(
                Some(&d.code),
                format!(
                    "async_only is {} in the catalog but the text says {}",
                    o.async_only, d.async_only
                ),
            );
        }
        if d.retry != o.retry {
            let show = |r: &Option<crate::model::Retry>| match r {
                Some(r) => format!(
                    "{{ wait_seconds = {}, max_attempts = {} }}",
                    r.wait_seconds, r.max_attempts
                ),
                None => "none".into(),
            };
            diff(
                Some(&d.code),
                format!(
                    "retry is {} in the catalog but the text says {}",
                    show(&o.retry),
                    show(&d.retry)
                ),
            );
        }
        if !same_notes(&d.os_notes, &o.os_notes) {
            let show = |ns: &[OsNote]| {
                if ns.is_empty() {
                    return "none".to_string();
                }
                ns.iter()
                    .map(|n| {
                        format!(
                            "{:?} (versions {:?}, fallback {:?}, supported_from {:?})",
                            n.text, n.versions, n.fallback, n.supported_from
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            diff(
                Some(&d.code),
                format!(
                    "os notes differ\n    page:    {}\n    catalog: {}",
                    show(&d.os_notes),
                    show(&o.os_notes)
                ),
            );
        }
    }
    for o in ours {
        if !docs.iter().any(|d| d.code == o.code) {
            diff(
                Some(&o.code),
                format!("in the catalog's `{key}` but not documented on the page"),
            );
        }
    }
    let doc_order: Vec<&str> = codes(docs)
        .into_iter()
        .filter(|c| ours.iter().any(|o| o.code == *c))
        .collect();
    let our_order: Vec<&str> = codes(ours)
        .into_iter()
        .filter(|c| docs.iter().any(|d| d.code == *c))
        .collect();
    if doc_order != our_order {
        diff(
            None,
            format!(
                "`{key}` codes are in another order\n    page:    {}\n    catalog: {}",
                doc_order.join(", "),
                our_order.join(", ")
            ),
        );
    }
}

fn same_notes(a: &[OsNote], b: &[OsNote]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            (&x.versions, &x.fallback, &x.supported_from, &x.text)
                == (&y.versions, &y.fallback, &y.supported_from, &y.text)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{import, PageText};

    fn cat() -> Catalog {
        let toml = r#"
[[code]]
name = "E_FAIL"
value = "0x80004005"
family = "com"
summary = "failed"
[[code]]
name = "E_POINTER"
value = "0x80004003"
family = "com"
summary = "null"
[[code]]
name = "VSS_E_BAD_STATE"
value = "0x80042301"
family = "vss"
summary = "state"
[interface]
name = "IVssAsync"
[[method]]
name = "Wait"
doc_page = "vss/nf-vss-ivssasync-wait.md"
[[method.returns]]
code = "E_POINTER"
text = "A pointer is NULL."
[[method.returns]]
code = "E_FAIL"
text = "It failed."
"#;
        crate::check(&[crate::SourceFile {
            path: "catalog/x.toml".into(),
            text: toml.into(),
        }])
        .unwrap()
        .into_inner()
    }

    fn page(rows: &str) -> PageText {
        PageText {
            label: "wait.md".into(),
            text: format!("---\nUID: NF:vss.IVssAsync.Wait\ntitle: IVssAsync::Wait\n---\n## -returns\n<table>{rows}</table>\n"),
        }
    }

    fn row(code: &str, value: &str, text: &str) -> String {
        format!("<tr><td><dl><dt><b>{code}</b></dt>{value}</dl></td><td>{text}</td></tr>")
    }

    #[test]
    fn no_drift_when_page_and_catalog_agree() {
        let c = cat();
        let p = page(
            &(row("E_POINTER", "", "A pointer is\n NULL.")
                + &row("E_FAIL", "<dt>0x80004005L</dt>", "It failed.")),
        );
        assert_eq!(drift(&c, &import(&[p], Some(&c))), vec![]);
    }

    #[test]
    fn every_kind_of_drift_is_listed() {
        let c = cat();
        let p = page(
            &(row("E_FAIL", "<dt>0x80000001L</dt>", "It failed badly.")
                + &row("VSS_E_BAD_STATE", "", "Bad.")
                + &row("VSS_E_NEW", "", "New.")),
        );
        let got: Vec<String> = drift(&c, &import(&[p], Some(&c)))
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(got.len(), 6, "{got:#?}");
        assert!(
            got[0].starts_with(
                "wait.md: IVssAsync::Wait E_FAIL: text differs\n    page:    \"It failed badly.\""
            ),
            "{got:#?}"
        );
        assert!(got[1].starts_with("wait.md: IVssAsync::Wait E_FAIL: the page prints 0x80000001 but the header value is 0x80004005"));
        assert_eq!(got[2], "wait.md: IVssAsync::Wait E_POINTER: in the catalog's `returns` but not documented on the page");
        assert_eq!(got[3], "wait.md: IVssAsync::Wait VSS_E_BAD_STATE: documented but not in the catalog's `returns`");
        assert_eq!(
            got[5],
            "wait.md: IVssAsync::Wait VSS_E_NEW: not defined in codes.toml"
        );
    }

    #[test]
    fn methods_missing_from_the_catalog_and_order() {
        let c = cat();
        let p =
            page(&(row("E_FAIL", "", "It failed.") + &row("E_POINTER", "", "A pointer is NULL.")));
        let got: Vec<String> = drift(&c, &import(&[p], Some(&c)))
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(got.len(), 1);
        assert!(got[0].contains("`returns` codes are in another order"));
        let other = PageText { label: "x.md".into(), text: "---\ntitle: IVssAsync::Cancel\n---\n## -returns\n<table><tr><td>E_FAIL</td><td>No.</td></tr></table>\n".into() };
        let got = drift(&c, &import(&[other], Some(&c)));
        assert_eq!(
            got[0].what,
            "documented with 1 codes but not in the catalog"
        );
    }
}
