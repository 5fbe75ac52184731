//! Import from Microsoft's documentation: reads method pages (sdk-api Markdown, Learn Markdown,
//! rendered text) into catalog methods, recovers code names that a rendered page lost, and
//! lists where the documentation and the catalog differ. Pure: text in, model and messages
//! out; `cargo xtask import` does the file work.

pub mod drift;
pub mod header;
pub mod page;
pub mod recover;
pub mod table;
pub mod text;

use crate::model::{Catalog, Entry, Interface, Method, MethodKind};
use page::Subject;
use table::{Shape, Value};

/// A documentation page: a label naming it in messages (its path) and its text.
#[derive(Clone, Debug)]
pub struct PageText {
    pub label: String,
    pub text: String,
}

/// Which list of a method a row belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum List {
    /// The codes the call returns (`[[method.returns]]`).
    Returns,
    /// The status codes delivered through `pHrResult` (`[[method.status]]`).
    Status,
}

impl List {
    pub fn key(self) -> &'static str {
        match self {
            List::Returns => "returns",
            List::Status => "status",
        }
    }
}

/// A row whose code name the page lost (its value cell is empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unnamed {
    pub list: List,
    /// 1-based row number in its table.
    pub row: usize,
    /// The entry as read, with an empty `code`.
    pub entry: Entry,
    /// Where the name came from when it was recovered (`Some` only after recovery).
    pub recovered: Option<Recovered>,
    /// Why it could not be recovered.
    pub unrecovered: Option<String>,
}

/// A recovered code name and where it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recovered {
    pub code: String,
    /// `same method` or the other method whose text matched.
    pub from: String,
}

/// One method page, imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedMethod {
    /// The page's label.
    pub page: String,
    /// The method as the page documents it (spans are empty). `S_OK` rows are left out
    /// unless the catalog's method records `S_OK` itself.
    pub method: Method,
    /// The declaring header the page names.
    pub header: Option<String>,
    /// How the return values were written.
    pub shape: Shape,
    /// Values the page prints under code names.
    pub printed: Vec<(String, u32)>,
    /// Rows whose code name was lost, recovered or not.
    pub unnamed: Vec<Unnamed>,
    /// Why the page yields no codes, when it yields none.
    pub no_codes: Option<String>,
}

/// The result of importing a set of pages.
#[derive(Clone, Debug, Default)]
pub struct Imported {
    pub methods: Vec<ImportedMethod>,
    /// Interfaces read from interface overview pages.
    pub interfaces: Vec<Interface>,
    /// Pages that could not be read: label and what was unexpected.
    pub failed: Vec<(String, String)>,
}

/// Imports every page; pages that cannot be read are listed in `failed`, the rest are
/// imported. With a catalog, lost code names are recovered from it, success codes get the
/// catalog's outcome names, and `S_OK` is kept only for methods that record it. The result
/// is sorted by method, so it does not depend on the order of `pages`.
pub fn import(pages: &[PageText], catalog: Option<&Catalog>) -> Imported {
    let mut out = Imported::default();
    for p in pages {
        match import_page(p, catalog) {
            Ok(Parsed::Method(m)) => out.methods.push(*m),
            Ok(Parsed::Interface(i)) => out.interfaces.push(i),
            Err(e) => out.failed.push((p.label.clone(), e)),
        }
    }
    out.methods.sort_by(|a, b| {
        (a.method.qualified_name(), &a.page).cmp(&(b.method.qualified_name(), &b.page))
    });
    out.interfaces.sort_by(|a, b| a.name.cmp(&b.name));
    out.failed.sort();
    out
}

/// The methods that document codes, as JSON: `{"methods": [...]}` in the schema of
/// `cargo xtask export --json`, pretty-printed, followed by a newline.
pub fn json(imported: &Imported) -> String {
    let methods: Vec<serde_json::Value> = imported
        .methods
        .iter()
        .filter(|m| m.no_codes.is_none())
        .map(|m| crate::json::method(&m.method))
        .collect();
    let mut s = serde_json::to_string_pretty(&serde_json::json!({ "methods": methods }))
        .unwrap_or_default();
    s.push('\n');
    s
}

/// What one page held.
pub enum Parsed {
    Method(Box<ImportedMethod>),
    Interface(Interface),
}

/// Imports one page.
pub fn import_page(p: &PageText, catalog: Option<&Catalog>) -> Result<Parsed, String> {
    let page = page::parse(&p.text)?;
    let rendered = page.format == page::Format::Rendered;
    let (kind, interface, name) = match &page.subject {
        Subject::Interface { name } => {
            return Ok(Parsed::Interface(Interface {
                name: name.clone(),
                header: page.header.clone(),
                extends: page.inheritance.as_deref().and_then(extends),
                iid: None,
                vtable: Vec::new(),
                spans: Default::default(),
            }))
        }
        Subject::Method { interface, name } => {
            (MethodKind::Method, Some(interface.clone()), name.clone())
        }
        Subject::Function { name } => (MethodKind::Function, None, name.clone()),
    };
    let mut method = Method {
        kind,
        interface,
        name,
        rust_name: None,
        header: None,
        seed_section: None,
        doc_page: page.doc_page.clone(),
        source: None,
        returns_async: page
            .params
            .iter()
            .any(|(n, _)| n == "ppAsync" || n == "pAsync"),
        cancellable: None,
        progress: None,
        links: Vec::new(),
        facts: Vec::new(),
        returns: Vec::new(),
        status: Vec::new(),
        spans: Default::default(),
    };
    if method.kind == MethodKind::Function {
        method.header = page.header.clone();
    }
    let known = catalog.and_then(|c| {
        c.methods
            .iter()
            .find(|m| m.kind == method.kind && m.qualified_name() == method.qualified_name())
    });
    let (shape, rows) = table::rows(page.returns.as_deref().unwrap_or(""), rendered)?;
    let mut lists = vec![(List::Returns, shape, rows)];
    if let Some((_, desc)) = page.params.iter().find(|(n, _)| n == "pHrResult") {
        let (shape, rows) = table::rows(desc, rendered)?;
        if !rows.is_empty() && matches!(shape, Shape::HtmlTable | Shape::PipeTable) {
            lists.push((List::Status, shape, rows));
        }
    }
    let mut imported = ImportedMethod {
        page: p.label.clone(),
        method,
        header: page.header.clone(),
        shape,
        printed: Vec::new(),
        unnamed: Vec::new(),
        no_codes: None,
    };
    let mut bools = 0;
    let mut only_s_ok = false;
    // Rows in document order: a read entry, or the index of an unnamed row.
    let mut slots: Vec<(List, Result<Entry, usize>)> = Vec::new();
    for (list, _, rows) in lists {
        for (i, row) in rows.into_iter().enumerate() {
            let code = match row.value {
                Value::Code(c) => c,
                Value::Bool => {
                    bools += 1;
                    continue;
                }
                Value::Missing => {
                    slots.push((list, Err(imported.unnamed.len())));
                    imported.unnamed.push(Unnamed {
                        list,
                        row: i + 1,
                        entry: text::entry("", &row.paragraphs),
                        recovered: None,
                        unrecovered: None,
                    });
                    continue;
                }
            };
            if let Some(v) = row.printed {
                imported.printed.push((code.clone(), v));
            }
            if code == "S_OK" && !records(known, list, "S_OK") {
                only_s_ok = true;
                continue;
            }
            slots.push((list, Ok(text::entry(&code, &row.paragraphs))));
        }
    }
    if let Some(cat) = catalog {
        let named: Vec<(List, String)> = slots
            .iter()
            .filter_map(|(l, s)| s.as_ref().ok().map(|e| (*l, e.code.clone())))
            .collect();
        recover::recover(cat, &imported.method, &named, &mut imported.unnamed);
    }
    for (list, slot) in slots {
        let entry = match slot {
            Ok(e) => e,
            Err(i) => match &imported.unnamed[i].recovered {
                Some(r) => Entry {
                    code: r.code.clone(),
                    ..imported.unnamed[i].entry.clone()
                },
                None => continue,
            },
        };
        if entry.code == "S_OK" && !records(known, list, "S_OK") {
            continue;
        }
        let entries = match list {
            List::Returns => &mut imported.method.returns,
            List::Status => &mut imported.method.status,
        };
        if !entries.iter().any(|e| e.code == entry.code) {
            entries.push(entry);
        }
    }
    for list in [List::Returns, List::Status] {
        let entries = match list {
            List::Returns => &mut imported.method.returns,
            List::Status => &mut imported.method.status,
        };
        for e in entries.iter_mut() {
            e.outcome = outcome(catalog, known, list, &e.code);
        }
    }
    if imported.method.returns.is_empty()
        && imported.method.status.is_empty()
        && imported.unnamed.is_empty()
    {
        let section = page.returns.as_deref().unwrap_or("").to_lowercase();
        imported.no_codes = Some(
            if bools > 0 {
                "the method returns a bool, not an HRESULT"
            } else if section.contains("does not return a value") {
                "the method does not return a value"
            } else if only_s_ok {
                "the page names no code but S_OK"
            } else if section.trim().is_empty() {
                "the page's return-value section is empty"
            } else {
                "the return-value section names no HRESULT code"
            }
            .to_string(),
        );
    }
    Ok(Parsed::Method(Box::new(imported)))
}

fn records(known: Option<&Method>, list: List, code: &str) -> bool {
    known.is_some_and(|m| {
        let entries = match list {
            List::Returns => &m.returns,
            List::Status => &m.status,
        };
        entries.iter().any(|e| e.code == code)
    })
}

/// The outcome of a success code: the catalog method's, else the code's variant name.
fn outcome(
    catalog: Option<&Catalog>,
    known: Option<&Method>,
    list: List,
    code: &str,
) -> Option<String> {
    let failure = catalog
        .and_then(|c| c.codes.iter().find(|x| x.name == code))
        .map(|c| c.is_failure())
        .unwrap_or_else(|| !(code.starts_with("S_") || code.contains("_S_")));
    if failure {
        return None;
    }
    let mine = known.and_then(|m| {
        let entries = match list {
            List::Returns => &m.returns,
            List::Status => &m.status,
        };
        entries.iter().find(|e| e.code == code)?.outcome.clone()
    });
    mine.or_else(|| {
        let variant = catalog
            .and_then(|c| c.codes.iter().find(|x| x.name == code))
            .map(|c| c.variant.clone())
            .unwrap_or_else(|| crate::naming::default_variant(code));
        Some(if variant == "Ok" && code != "S_OK" {
            "Succeeded".to_string()
        } else {
            variant
        })
    })
}

/// The base interface named in an inheritance section: the first link or bold name after
/// "inherits from".
fn extends(section: &str) -> Option<String> {
    let i = section.find("inherits from")?;
    let tail = text::normalize_ws(&text::strip_tags(&section[i + "inherits from".len()..]));
    tail.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|w| {
            w.len() > 1 && w.starts_with(['I', 'C']) && w[1..].starts_with(char::is_uppercase)
        })
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(label: &str, text: &str) -> PageText {
        PageText {
            label: label.into(),
            text: text.into(),
        }
    }

    const WAIT: &str = "---\nUID: NF:vss.IVssAsync.Wait\ntitle: IVssAsync::Wait (vss.h)\nreq.header: vss.h\n---\n\n## -parameters\n\n### -param ppAsync [out]\n\nAn IVssAsync.\n\n## -returns\n\n<table>\n<tr><th>Value</th><th>Meaning</th></tr>\n<tr><td><dl><dt><b>S_OK</b></dt></dl></td><td>Done.</td></tr>\n<tr><td><dl><dt><b>S_FALSE</b></dt></dl></td><td>Nothing to do.</td></tr>\n<tr><td><dl><dt><b>VSS_E_PROVIDER_VETO</b></dt><dt>0x80042306L</dt></dl></td><td>\nVetoed. It is recommended to wait ten minutes and try again, up to three times. This error code is only returned via the QueryStatus method.\n<b>Windows XP:  </b>This value is not supported until Windows Vista. E_UNEXPECTED is used instead.\n</td></tr>\n</table>\n";

    #[test]
    fn imports_a_method_page() {
        let got = import(&[page("wait.md", WAIT)], None);
        assert!(got.failed.is_empty());
        let m = &got.methods[0];
        assert_eq!(m.method.qualified_name(), "IVssAsync::Wait");
        assert_eq!(
            m.method.doc_page.as_deref(),
            Some("vss/nf-vss-ivssasync-wait.md")
        );
        assert!(m.method.returns_async);
        let codes: Vec<&str> = m.method.returns.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["S_FALSE", "VSS_E_PROVIDER_VETO"], "S_OK is implied");
        assert_eq!(m.method.returns[0].outcome.as_deref(), Some("False"));
        let veto = &m.method.returns[1];
        assert!(veto.async_only);
        assert_eq!(
            veto.retry.map(|r| (r.wait_seconds, r.max_attempts)),
            Some((600, 3))
        );
        assert_eq!(veto.os_notes[0].fallback.as_deref(), Some("E_UNEXPECTED"));
        assert_eq!(veto.os_notes[0].supported_from, ["windows-vista"]);
        assert_eq!(m.printed, [("VSS_E_PROVIDER_VETO".to_string(), 0x80042306)]);
        assert_eq!(m.no_codes, None);
    }

    #[test]
    fn no_prefix_of_a_page_panics() {
        // Every truncation of every shape: each is either imported or reported.
        let shapes = [
            WAIT.to_string(),
            "# IVdsAsync::QueryStatus\n\n## Return value\n\n| Return code/value | Description |\n| --- | --- |\n| **S_OK**<br><br>0x0L | Done &amp; dusted. |\n".to_string(),
            "IVssAsync::QueryStatus method (vss.h)\nReturn value\nValue | Meaning |\n---|---|\n|\nText. |\n".to_string(),
            "---\ntitle: IVssAsync::Cancel\n---\n## -returns\n<dl><dt>E_FAIL</dt><dd>No &#x2014; never.</dd></dl>\n**E_POINTER**\n: Null.\n".to_string(),
        ];
        for text in shapes {
            for (i, _) in text.char_indices() {
                let p = page("prefix", &text[..i]);
                let _ = import(std::slice::from_ref(&p), None);
                let _ = import_page(&p, None);
            }
        }
    }

    #[test]
    fn bad_pages_are_reported_and_the_rest_imported() {
        let got = import(
            &[
                page("b.md", "---\ntitle: IVssAsync::Cancel\n---\n## -returns\n<table><tr><td>x y</td><td>z</td></tr></table>\n"),
                page("a.md", WAIT),
                page("c.txt", "nothing to see"),
            ],
            None,
        );
        assert_eq!(got.methods.len(), 1);
        assert_eq!(got.failed.len(), 2);
        assert_eq!(got.failed[0].0, "b.md");
        assert!(
            got.failed[0].1.contains("neither a code name"),
            "{}",
            got.failed[0].1
        );
        assert_eq!(got.failed[1].0, "c.txt");
    }

    #[test]
    fn pages_without_codes_say_why() {
        let reason = |returns: &str| {
            let t = format!(
                "---\ntitle: CVssWriter::OnIdentify\n---\n## -returns\n{returns}\n## -remarks\n"
            );
            match import_page(&page("p", &t), None).ok() {
                Some(Parsed::Method(m)) => m.no_codes.unwrap_or_default(),
                _ => "failed".into(),
            }
        };
        assert_eq!(
            reason("This method does not return a value."),
            "the method does not return a value"
        );
        assert_eq!(reason(""), "the page's return-value section is empty");
        assert_eq!(reason("If this method succeeds, it returns <b>S_OK</b>. Otherwise, it returns an <b>HRESULT</b> error code."), "the page names no code but S_OK");
        assert_eq!(
            reason("<table><tr><td><dl><dt><b>true</b></dt></dl></td><td>Yes.</td></tr></table>"),
            "the method returns a bool, not an HRESULT"
        );
        assert_eq!(
            reason("Returns the backup type."),
            "the return-value section names no HRESULT code"
        );
    }

    #[test]
    fn interface_pages_give_name_header_and_base() {
        let t = "---\ntitle: IVssComponentEx (vswriter.h)\nms.topic: interface\nreq.header: vswriter.h\n---\n## -inheritance\n\nThe <b>IVssComponentEx</b> interface inherits from <a href=\"x\">IVssComponent</a>.\n";
        let got = import(&[page("i.md", t)], None);
        assert_eq!(got.interfaces[0].name, "IVssComponentEx");
        assert_eq!(got.interfaces[0].extends.as_deref(), Some("IVssComponent"));
        assert_eq!(got.interfaces[0].header.as_deref(), Some("vswriter.h"));
    }

    #[test]
    fn status_codes_come_from_the_phrresult_table() {
        let t = "---\ntitle: IVssAsync::QueryStatus\n---\n## -parameters\n### -param pHrResult [out]\nStatus:\n<table><tr><td><dl><dt><b>VSS_S_ASYNC_PENDING</b></dt></dl></td><td>Still running.</td></tr></table>\n### -param pReserved [out]\nNULL.\n## -returns\n<table><tr><td><dl><dt><b>E_ACCESSDENIED</b></dt></dl></td><td>Denied.</td></tr></table>\n";
        let got = import(&[page("q.md", t)], None);
        let m = &got.methods[0].method;
        assert_eq!(m.status[0].code, "VSS_S_ASYNC_PENDING");
        assert_eq!(m.status[0].outcome.as_deref(), Some("AsyncPending"));
        assert_eq!(m.returns[0].code, "E_ACCESSDENIED");
    }
}
