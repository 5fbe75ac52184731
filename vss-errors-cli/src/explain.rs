//! What an HRESULT means according to the catalog: its fields decoded, every reading across
//! interface families, and each documenting method's own text, retry advice and OS notes, as
//! the text `vss-errors explain` prints (the JSON form is [`crate::json`]).

use crate::query::Query;
use std::fmt::Write;
use vss_errors::catalog::{LinkDirection, MethodKind};
use vss_errors::{Code, Decoded, Entry, Method, OsNote, WindowsVersion, HRESULT};

/// Everything the command says about one value.
#[derive(Debug)]
pub struct Explanation {
    /// CODE as written.
    pub input: String,
    /// The 32-bit value.
    pub value: u32,
    /// `--method`, when given.
    pub method: Option<&'static Method>,
    /// One reading per family that defines the value (only the named code for a name).
    pub readings: Vec<Reading>,
    /// Other codes with the same value, not shown because CODE named one code.
    pub also: Vec<Code>,
}

/// One code the value can be, with what the catalog's methods say about it.
#[derive(Debug)]
pub struct Reading {
    /// The code.
    pub code: Code,
    /// The interfaces whose methods document it (all of them, whatever `--method` says).
    pub interfaces: Vec<&'static str>,
    /// The methods that document it (only `--method`'s, when given), in catalog order.
    pub documented: Vec<Documented>,
    /// Where the code is returned on older Windows in place of a documented code.
    pub instead_of: Vec<InsteadOf>,
}

/// One method's documentation of a code.
#[derive(Debug)]
pub struct Documented {
    /// The method, function or writer-failure set.
    pub method: &'static Method,
    /// Its entry for the code.
    pub entry: &'static Entry,
    /// Delivered as an async status through an out-parameter, not returned by the call.
    pub status: bool,
}

/// An OS note naming the code as the one returned instead of a documented code.
#[derive(Debug)]
pub struct InsteadOf {
    /// The method whose entry has the note.
    pub method: &'static Method,
    /// The documented code it stands in for.
    pub code: Code,
    /// The note.
    pub note: &'static OsNote,
}

/// Whether `m`'s documentation applies to `filter`: the same method, or a writer-failure set
/// that `filter` reports or accepts.
fn applies(m: &Method, filter: Option<&Method>) -> bool {
    match filter {
        None => true,
        Some(f) => {
            m == f
                || (m.kind == MethodKind::WriterFailureSet
                    && m.links.iter().any(|l| l.method == f.qualified_name()))
        }
    }
}

/// Explains a parsed CODE, keeping only `method`'s documentation when given.
pub fn explain(input: &str, query: Query, method: Option<&'static Method>) -> Explanation {
    let (value, codes, also): (u32, Vec<Code>, Vec<Code>) = match query {
        Query::Value(v) => (v, Code::readings(HRESULT(v as i32)).to_vec(), Vec::new()),
        Query::Name(c) => {
            let also = Code::readings(c.hresult())
                .iter()
                .copied()
                .filter(|o| *o != c)
                .collect();
            (c.value(), vec![c], also)
        }
    };
    let readings = codes
        .into_iter()
        .map(|code| {
            let mut documented = Vec::new();
            let mut instead_of = Vec::new();
            for m in Method::all().iter().copied() {
                for (entries, status) in [(m.entries, false), (m.status, true)] {
                    for e in entries {
                        if e.code == code {
                            documented.push(Documented {
                                method: m,
                                entry: e,
                                status,
                            });
                        }
                        for n in e.os_notes.iter().filter(|n| n.fallback == Some(code)) {
                            instead_of.push(InsteadOf {
                                method: m,
                                code: e.code,
                                note: n,
                            });
                        }
                    }
                }
            }
            let interfaces = interfaces(&documented);
            documented.retain(|d| applies(d.method, method));
            instead_of.retain(|i| applies(i.method, method));
            Reading {
                code,
                interfaces,
                documented,
                instead_of,
            }
        })
        .collect();
    Explanation {
        input: input.trim().to_string(),
        value,
        method,
        readings,
        also,
    }
}

pub(crate) fn kind_name(m: &Method) -> &'static str {
    match m.kind {
        MethodKind::Method => "method",
        MethodKind::Function => "function",
        MethodKind::WriterFailureSet => "writer_failure_set",
        _ => "method",
    }
}

pub(crate) fn direction_name(d: LinkDirection) -> &'static str {
    match d {
        LinkDirection::Reported => "reported",
        LinkDirection::Accepted => "accepted",
        _ => "linked",
    }
}

fn versions(v: &[WindowsVersion]) -> String {
    v.iter().map(|v| v.name()).collect::<Vec<_>>().join(", ")
}

/// The interfaces whose methods document a code (a set counts its linked methods').
fn interfaces(documented: &[Documented]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for d in documented {
        let names: Vec<&'static str> = match d.method.kind {
            MethodKind::WriterFailureSet => d
                .method
                .links
                .iter()
                .filter_map(|l| l.method.split_once("::").map(|(i, _)| i))
                .collect(),
            _ => d.method.interface.into_iter().collect(),
        };
        for n in names {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out.sort_unstable();
    out
}

fn retry_text(e: &Entry) -> Option<String> {
    match (e.retry, e.retry_note()) {
        (Some(r), _) => Some(format!(
            "wait {}, then try again at most {} {}",
            duration(r.wait_seconds),
            r.max_attempts,
            if r.max_attempts == 1 { "time" } else { "times" }
        )),
        (None, Some(note)) => Some(note.to_string()),
        (None, None) => None,
    }
}

fn duration(secs: u32) -> String {
    if secs >= 3600 && secs % 3600 == 0 {
        format!("{secs} s ({} h)", secs / 3600)
    } else if secs >= 60 && secs % 60 == 0 {
        format!("{secs} s ({} min)", secs / 60)
    } else {
        format!("{secs} s")
    }
}

/// `label     value`, continuation lines aligned under the value.
fn field(out: &mut String, indent: usize, label: &str, value: &str) {
    let pad = " ".repeat(indent);
    let mut lines = value.split('\n');
    let _ = writeln!(out, "{pad}{label:<10}{}", lines.next().unwrap_or_default());
    for line in lines {
        let _ = writeln!(out, "{pad}{:<10}{line}", "");
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Explanation {
    /// Whether the value or name is in the catalog.
    pub fn known(&self) -> bool {
        !self.readings.is_empty()
    }

    /// The value's severity, facility and code fields.
    pub fn decoded(&self) -> Decoded {
        Decoded::new(HRESULT(self.value as i32))
    }

    /// The explanation as text.
    pub fn to_text(&self) -> String {
        let d = self.decoded();
        let mut out = String::new();
        field(
            &mut out,
            0,
            "value",
            &format!(
                "0x{:08X} (signed {}, unsigned {})",
                self.value, self.value as i32, self.value
            ),
        );
        field(
            &mut out,
            0,
            "severity",
            if d.failure { "failure" } else { "success" },
        );
        let fac = match d.facility_name() {
            Some(n) => format!("{} ({n})", d.facility),
            None => d.facility.to_string(),
        };
        field(&mut out, 0, "facility", &fac);
        field(
            &mut out,
            0,
            "code",
            &format!("{} (0x{:04X})", d.code, d.code),
        );
        if let Some(w) = d.win32() {
            field(
                &mut out,
                0,
                "win32",
                &format!("error {w} (HRESULT_FROM_WIN32)"),
            );
        }
        if !self.known() {
            let _ = writeln!(
                out,
                "\nunknown: 0x{:08X} is not in the catalog; no VSS documentation lists it",
                self.value
            );
            return out;
        }
        if self.readings.len() > 1 {
            let _ = writeln!(
                out,
                "\n{} readings: the value means something else in each interface family; the \
                 interface that returned it decides which applies",
                self.readings.len()
            );
        }
        for r in &self.readings {
            self.reading_text(&mut out, r);
        }
        for o in &self.also {
            let _ = writeln!(
                out,
                "\nthe same value is {} in the {} family (`vss-errors explain 0x{:08X}` shows every reading)",
                o.name(),
                o.family().as_str(),
                self.value
            );
        }
        out
    }

    fn reading_text(&self, out: &mut String, r: &Reading) {
        let c = r.code;
        let mut head = format!("\n{}: {} family", c.name(), c.family().as_str());
        let ifaces = &r.interfaces;
        if !ifaces.is_empty() {
            let _ = write!(head, ", documented for {}", ifaces.join(", "));
        }
        let _ = writeln!(out, "{head}");
        field(out, 2, "summary", c.summary());
        if let Some(h) = c.info().header {
            field(out, 2, "header", h);
        }
        match (self.method, r.documented.len()) {
            (Some(m), 0) => {
                let _ = writeln!(
                    out,
                    "  {} does not document {}",
                    m.qualified_name(),
                    c.name()
                );
            }
            (None, 0) => {
                let _ = writeln!(out, "  no method in the catalog documents it");
            }
            (_, n) => {
                let _ = writeln!(out, "  documented by {}:", plural(n, "method", "methods"));
            }
        }
        for d in &r.documented {
            let e = d.entry;
            let mut title = format!("\n  {}", d.method.qualified_name());
            match d.method.kind {
                MethodKind::WriterFailureSet => title.push_str(" (writer-failure set)"),
                MethodKind::Function => title.push_str(" (function)"),
                _ => {}
            }
            let _ = writeln!(out, "{title}");
            field(out, 4, "meaning", e.text());
            if let Some(o) = e.outcome {
                field(out, 4, "outcome", o);
            }
            if d.status {
                field(
                    out,
                    4,
                    "when",
                    "delivered as a status through the out-parameter",
                );
            } else if e.async_only {
                field(
                    out,
                    4,
                    "when",
                    "only through IVssAsync::QueryStatus, not by the call",
                );
            }
            for l in d.method.links {
                let how = match l.direction {
                    LinkDirection::Reported => "reported by",
                    LinkDirection::Accepted => "accepted by",
                    _ => "linked to",
                };
                field(
                    out,
                    4,
                    "when",
                    &format!("{how} {} through {}", l.method, l.parameter),
                );
            }
            if let Some(retry) = retry_text(e) {
                field(out, 4, "retry", &retry);
            }
            for n in e.os_notes {
                field(out, 4, "os note", n.text());
            }
        }
        if !r.instead_of.is_empty() {
            let _ = writeln!(out, "\n  returned instead of a documented code:");
            for i in &r.instead_of {
                let _ = writeln!(
                    out,
                    "    {}: instead of {} on {}",
                    i.method.qualified_name(),
                    i.code.name(),
                    versions(i.note.versions)
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_explained_without_panicking_in_both_forms() {
        // A sample across the whole range plus every catalog value and its neighbours.
        let mut values: Vec<u32> = (0..=u32::MAX).step_by(65_521).collect();
        for c in Code::ALL {
            values.extend([
                c.value().wrapping_sub(1),
                c.value(),
                c.value().wrapping_add(1),
            ]);
        }
        for v in values {
            let ex = explain("x", Query::Value(v), None);
            let text = ex.to_text();
            assert!(text.starts_with(&format!("value     0x{v:08X} ")), "{text}");
            assert_eq!(ex.known(), !Code::readings(HRESULT(v as i32)).is_empty());
            assert!(crate::json::explanation(&ex).contains(&format!("\"value\": \"0x{v:08X}\"")));
        }
    }
}
