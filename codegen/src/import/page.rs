//! The structure of a documentation page in each format it comes in: sdk-api Markdown with
//! YAML front matter, Microsoft Learn Markdown (`# Title`, `## Return value`), and rendered
//! plain text (a title line, then `Parameters`, `Return value`, … as lines of their own).

/// The format a page is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// MicrosoftDocs/sdk-api source: front matter, `## -returns`, HTML tables.
    SdkApi,
    /// Learn Markdown: `# Interface::Method`, `## Return value`, pipe tables.
    Learn,
    /// Rendered text copied from a browser: headings are bare lines.
    Rendered,
}

/// What a page is about, from its title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// `Interface::Method`.
    Method { interface: String, name: String },
    /// A free function.
    Function { name: String },
    /// An interface or class overview page.
    Interface { name: String },
}

/// A page split into the parts the importer reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub format: Format,
    pub subject: Subject,
    /// The declaring header (`vsbackup.h`), when the page names it.
    pub header: Option<String>,
    /// The sdk-api path (`vsbackup/nf-vsbackup-….md`) derived from the page's UID.
    pub doc_page: Option<String>,
    /// The return-value section.
    pub returns: Option<String>,
    /// Each parameter's name and description.
    pub params: Vec<(String, String)>,
    /// The inheritance section (interface pages).
    pub inheritance: Option<String>,
}

/// Splits a page; the error says what was unexpected.
pub fn parse(text: &str) -> Result<Page, String> {
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    if text.trim().is_empty() {
        return Err("the page is empty".into());
    }
    if text.starts_with("---\n") {
        sdk_api(&text)
    } else if text.starts_with("# ") {
        learn(&text)
    } else {
        rendered(&text)
    }
}

fn sdk_api(text: &str) -> Result<Page, String> {
    let body_start = text[4..]
        .find("\n---\n")
        .map(|i| i + 4)
        .ok_or("the YAML front matter opened by `---` is never closed")?;
    let front = &text[4..body_start];
    let body = &text[body_start + 5..];
    let field = |key: &str| {
        front.lines().find_map(|l| {
            l.strip_prefix(key)
                .and_then(|r| r.strip_prefix(':'))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        })
    };
    let api_name = front
        .lines()
        .skip_while(|l| !l.starts_with("api_name:"))
        .nth(1)
        .and_then(|l| {
            l.trim()
                .strip_prefix("- ")
                .or_else(|| l.trim().strip_prefix("-\t"))
        })
        .map(|s| s.trim().to_string());
    let heading = body
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(str::to_string);
    let title = field("title")
        .or(heading)
        .or_else(|| api_name.map(|a| a.replace('.', "::")))
        .ok_or("the page has no `title:` in its front matter and no `# ` heading")?;
    let topic = field("ms.topic").unwrap_or_default();
    let subject = subject(&title, &topic)?;
    let doc_page = field("UID").and_then(|uid| doc_page_from_uid(&uid));
    let sections = sections(body, |l| {
        l.strip_prefix("## -").map(|h| h.trim().to_string())
    });
    let params = sections
        .iter()
        .find(|(h, _)| h == "parameters")
        .map(|(_, s)| params(s, |l| l.strip_prefix("### -param ").map(param_name)))
        .unwrap_or_default();
    Ok(Page {
        format: Format::SdkApi,
        subject,
        header: field("req.header"),
        doc_page,
        returns: section(&sections, "returns"),
        params,
        inheritance: section(&sections, "inheritance"),
    })
}

fn learn(text: &str) -> Result<Page, String> {
    let title = text.lines().next().unwrap_or("")[2..].trim().to_string();
    let subject = subject(&title, "")?;
    let sections = sections(text, |l| {
        l.strip_prefix("## ").map(|h| h.trim().to_ascii_lowercase())
    });
    let params = sections
        .iter()
        .find(|(h, _)| h == "parameters")
        .map(|(_, s)| params(s, |l| l.strip_prefix("### ").map(param_name)))
        .unwrap_or_default();
    Ok(Page {
        format: Format::Learn,
        subject,
        header: None,
        doc_page: None,
        returns: section(&sections, "return value"),
        params,
        inheritance: None,
    })
}

const RENDERED_HEADINGS: &[&str] = &[
    "Syntax",
    "Parameters",
    "Return value",
    "Remarks",
    "Requirements",
    "See also",
    "Examples",
    "Inheritance",
];

fn rendered(text: &str) -> Result<Page, String> {
    let first = text.lines().next().unwrap_or("").trim();
    let (title, header) = split_header(first);
    if !title.contains("::") && !title.ends_with(" function") && !title.ends_with(" method") {
        return Err(format!(
            "cannot tell the format: no front matter (`---`), no `# ` heading, and the first line {first:?} is not a title like \"IVssAsync::QueryStatus method (vss.h)\""
        ));
    }
    let subject = subject(first, "")?;
    let sections = sections(text, |l| {
        let t = l.trim();
        RENDERED_HEADINGS
            .contains(&t)
            .then(|| t.to_ascii_lowercase())
    });
    let params = sections
        .iter()
        .find(|(h, _)| h == "parameters")
        .map(|(_, s)| {
            params(s, |l| {
                let t = l.trim();
                ["[in] ", "[out] ", "[in, out] ", "[in,out] "]
                    .iter()
                    .find_map(|p| t.strip_prefix(p))
                    .filter(|n| !n.contains(' '))
                    .map(str::to_string)
            })
        })
        .unwrap_or_default();
    Ok(Page {
        format: Format::Rendered,
        subject,
        header,
        doc_page: None,
        returns: section(&sections, "return value"),
        params,
        inheritance: section(&sections, "inheritance"),
    })
}

/// `IVssAsync::QueryStatus method (vss.h)` → (`IVssAsync::QueryStatus method`, `vss.h`).
fn split_header(title: &str) -> (String, Option<String>) {
    let t = title.trim();
    if let Some(open) = t.rfind(" (") {
        let inner = &t[open + 2..];
        if let Some(h) = inner.strip_suffix(')') {
            if h.ends_with(".h") {
                return (t[..open].to_string(), Some(h.to_string()));
            }
        }
    }
    (t.to_string(), None)
}

/// Reads the subject from a title (`IVssAsync::QueryStatus`, `CreateWriter function (vswriter.h)`,
/// `IVssAsync (vss.h)`).
pub fn subject(title: &str, topic: &str) -> Result<Subject, String> {
    let (t, _) = split_header(title);
    let mut t = t.as_str();
    let mut kind = "";
    for suffix in [
        " method",
        " function",
        " interface",
        " class",
        " structure",
        " enumeration",
    ] {
        if let Some(s) = t.strip_suffix(suffix) {
            t = s;
            kind = suffix.trim();
            break;
        }
    }
    let ident = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '~')
    };
    if let Some((i, m)) = t.split_once("::") {
        if ident(i) && ident(m) {
            return Ok(Subject::Method {
                interface: i.to_string(),
                name: m.to_string(),
            });
        }
    } else if ident(t) {
        let is_function = kind == "function" || topic == "function";
        let is_interface =
            matches!(kind, "interface" | "class") || matches!(topic, "interface" | "class");
        if is_function {
            return Ok(Subject::Function {
                name: t.to_string(),
            });
        }
        if is_interface || title.contains(" (") {
            return Ok(Subject::Interface {
                name: t.to_string(),
            });
        }
    }
    Err(format!(
        "cannot read a method, function or interface from the title {title:?}; expected \"IVssAsync::QueryStatus\" or \"CreateWriter function (vswriter.h)\""
    ))
}

/// `NF:vsbackup.IVssBackupComponents.AbortBackup` →
/// `vsbackup/nf-vsbackup-ivssbackupcomponents-abortbackup.md` (how sdk-api names its files).
pub fn doc_page_from_uid(uid: &str) -> Option<String> {
    let (kind, rest) = uid.split_once(':')?;
    let folder = rest.split('.').next()?;
    if kind.is_empty() || folder.is_empty() || rest.contains(['/', '\\']) {
        return None;
    }
    Some(format!(
        "{folder}/{}-{}.md",
        kind.to_ascii_lowercase(),
        rest.to_ascii_lowercase().replace('.', "-")
    ))
}

/// `pwszVolume [in]` or `` `pHrResult` [out] `` → `pwszVolume`.
fn param_name(s: &str) -> String {
    s.split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches('`')
        .to_string()
}

type Sections = Vec<(String, String)>;

fn sections(body: &str, heading: impl Fn(&str) -> Option<String>) -> Sections {
    let mut out: Sections = Vec::new();
    for line in body.lines() {
        if let Some(h) = heading(line) {
            out.push((h, String::new()));
        } else if let Some((_, s)) = out.last_mut() {
            s.push_str(line);
            s.push('\n');
        }
    }
    out
}

fn section(sections: &Sections, name: &str) -> Option<String> {
    sections
        .iter()
        .find(|(h, _)| h == name)
        .map(|(_, s)| s.clone())
}

fn params(section: &str, heading: impl Fn(&str) -> Option<String>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in section.lines() {
        if let Some(name) = heading(line) {
            out.push((name, String::new()));
        } else if let Some((_, s)) = out.last_mut() {
            s.push_str(line);
            s.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_api_page_yields_subject_doc_page_and_sections() {
        let page = "---\nUID: NF:vss.IVssAsync.Wait\ntitle: IVssAsync::Wait (vss.h)\nreq.header: vss.h\n---\n\n# IVssAsync::Wait\n\n## -parameters\n\n### -param dwMilliseconds [in]\n\nTime.\n\n## -returns\n\nText.\n\n## -remarks\n";
        let p = parse(page).unwrap();
        assert_eq!(p.format, Format::SdkApi);
        assert_eq!(
            p.subject,
            Subject::Method {
                interface: "IVssAsync".into(),
                name: "Wait".into()
            }
        );
        assert_eq!(p.doc_page.as_deref(), Some("vss/nf-vss-ivssasync-wait.md"));
        assert_eq!(p.header.as_deref(), Some("vss.h"));
        assert_eq!(p.returns.as_deref().map(str::trim), Some("Text."));
        assert_eq!(p.params[0].0, "dwMilliseconds");
    }

    #[test]
    fn crlf_functions_and_interfaces() {
        let p = parse("---\r\nUID: NF:vswriter.CreateWriter\r\ntitle: CreateWriter function (vswriter.h)\r\n---\r\n## -returns\r\n").unwrap();
        assert_eq!(
            p.subject,
            Subject::Function {
                name: "CreateWriter".into()
            }
        );
        let p = parse("---\ntitle: IVssAsync (vss.h)\nms.topic: interface\n---\n").unwrap();
        assert_eq!(
            p.subject,
            Subject::Interface {
                name: "IVssAsync".into()
            }
        );
    }

    #[test]
    fn learn_and_rendered_pages() {
        let p = parse("# IVdsAsync::QueryStatus\n\n## Parameters\n\n### `pHrResult` [out]\n\nx\n\n## Return value\n\n| a | b |\n").unwrap();
        assert_eq!(p.format, Format::Learn);
        assert_eq!(p.params[0].0, "pHrResult");
        assert!(p.returns.unwrap().contains("| a | b |"));
        let p = parse("IVssAsync::QueryStatus method (vss.h)\nSyntax\nx\nParameters\n[out] pHrResult\nStatus.\nReturn value\nThe codes.\nRemarks\nr\n").unwrap();
        assert_eq!(p.format, Format::Rendered);
        assert_eq!(p.header.as_deref(), Some("vss.h"));
        assert_eq!(p.returns.as_deref(), Some("The codes.\n"));
        assert_eq!(
            p.params,
            vec![("pHrResult".to_string(), "Status.\n".to_string())]
        );
    }

    #[test]
    fn unreadable_pages_say_what_was_unexpected() {
        assert!(parse("").unwrap_err().contains("empty"));
        assert!(parse("---\ntitle: x\n")
            .unwrap_err()
            .contains("never closed"));
        assert!(parse("Just some text\nmore")
            .unwrap_err()
            .contains("cannot tell the format"));
        assert!(parse("---\nms.topic: method\n---\nbody")
            .unwrap_err()
            .contains("no `title:`"));
        assert!(parse("# What is VSS?\n")
            .unwrap_err()
            .contains("cannot read a method"));
    }

    #[test]
    fn doc_page_follows_sdk_api_file_names() {
        assert_eq!(
            doc_page_from_uid("NF:vswriter.CVssWriter.~CVssWriter").as_deref(),
            Some("vswriter/nf-vswriter-cvsswriter-~cvsswriter.md")
        );
        assert_eq!(doc_page_from_uid("garbage"), None);
    }
}
