//! The JSON forms (`explain --json` and `explain --scan --json`), serialized with serde in the
//! key order the README documents.

use crate::explain::{direction_name, kind_name, Documented, Explanation, Reading};
use serde::Serialize;
use vss_errors::{Code, WindowsVersion};

/// `explain --json`: one object, pretty-printed, ending in a newline.
pub fn explanation(ex: &Explanation) -> String {
    let d = ex.decoded();
    let v = ExplanationJson {
        input: &ex.input,
        value: format!("0x{:08X}", ex.value),
        signed: ex.value as i32,
        unsigned: ex.value,
        severity: if d.failure { "failure" } else { "success" },
        facility: d.facility,
        facility_name: d.facility_name(),
        code: d.code,
        win32: d.win32(),
        known: ex.known(),
        method: ex.method.map(|m| m.qualified_name()),
        readings: readings(&ex.readings),
        also: ex
            .also
            .iter()
            .map(|c| AlsoJson {
                name: c.name(),
                family: c.family().as_str(),
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&v).unwrap_or_default();
    out.push('\n');
    out
}

/// The `readings` array of both forms.
pub fn readings(readings: &[Reading]) -> Vec<ReadingJson> {
    readings.iter().map(reading).collect()
}

#[derive(Serialize)]
struct ExplanationJson<'a> {
    input: &'a str,
    value: String,
    signed: i32,
    unsigned: u32,
    severity: &'static str,
    facility: u16,
    facility_name: Option<&'static str>,
    code: u16,
    win32: Option<u16>,
    known: bool,
    method: Option<String>,
    readings: Vec<ReadingJson>,
    also: Vec<AlsoJson>,
}

#[derive(Serialize)]
struct AlsoJson {
    name: &'static str,
    family: &'static str,
}

/// One reading of a value: a code and what documents it.
#[derive(Serialize)]
pub struct ReadingJson {
    name: &'static str,
    family: &'static str,
    summary: &'static str,
    header: Option<&'static str>,
    interfaces: Vec<&'static str>,
    documented_by: Vec<DocumentedJson>,
    instead_of: Vec<InsteadOfJson>,
}

#[derive(Serialize)]
struct DocumentedJson {
    method: String,
    kind: &'static str,
    list: &'static str,
    text: &'static str,
    outcome: Option<&'static str>,
    async_only: bool,
    retry: Option<RetryJson>,
    retry_note: Option<&'static str>,
    os_notes: Vec<OsNoteJson>,
    links: Vec<LinkJson>,
}

#[derive(Serialize)]
struct RetryJson {
    wait_seconds: u32,
    max_attempts: u32,
}

#[derive(Serialize)]
struct OsNoteJson {
    versions: Vec<&'static str>,
    fallback: Option<&'static str>,
    supported_from: Vec<&'static str>,
    text: &'static str,
}

#[derive(Serialize)]
struct LinkJson {
    method: &'static str,
    parameter: &'static str,
    direction: &'static str,
}

#[derive(Serialize)]
struct InsteadOfJson {
    method: String,
    code: &'static str,
    versions: Vec<&'static str>,
}

fn version_ids(v: &[WindowsVersion]) -> Vec<&'static str> {
    v.iter().map(|v| v.id()).collect()
}

fn reading(r: &Reading) -> ReadingJson {
    let c = r.code;
    ReadingJson {
        name: c.name(),
        family: c.family().as_str(),
        summary: c.summary(),
        header: c.info().header,
        interfaces: r.interfaces.clone(),
        documented_by: r.documented.iter().map(documented).collect(),
        instead_of: r
            .instead_of
            .iter()
            .map(|i| InsteadOfJson {
                method: i.method.qualified_name(),
                code: i.code.name(),
                versions: version_ids(i.note.versions),
            })
            .collect(),
    }
}

fn documented(d: &Documented) -> DocumentedJson {
    let e = d.entry;
    DocumentedJson {
        method: d.method.qualified_name(),
        kind: kind_name(d.method),
        list: if d.status { "status" } else { "returns" },
        text: e.text(),
        outcome: e.outcome,
        async_only: e.async_only,
        retry: e.retry.map(|r| RetryJson {
            wait_seconds: r.wait_seconds,
            max_attempts: r.max_attempts,
        }),
        retry_note: e.retry_note(),
        os_notes: e
            .os_notes
            .iter()
            .map(|n| OsNoteJson {
                versions: version_ids(n.versions),
                fallback: n.fallback.map(Code::name),
                supported_from: version_ids(n.supported_from),
                text: n.text(),
            })
            .collect(),
        links: d
            .method
            .links
            .iter()
            .map(|l| LinkJson {
                method: l.method,
                parameter: l.parameter,
                direction: direction_name(l.direction),
            })
            .collect(),
    }
}
