//! `vss-errors explain CODE [--method NAME] [--json]` (feature `cli`): what an HRESULT means,
//! from the catalog — its fields decoded, every reading across interface families, and each
//! documenting method's own text, retry advice and OS notes — as text or JSON.
//!
//! [`run`] is the whole command as a pure function (arguments in; stdout, stderr and exit
//! status out), so it is tested without a process; the binary only prints its result.

use crate::catalog::{LinkDirection, MethodKind};
use crate::{Code, Decoded, Entry, Method, OsNote, WindowsVersion, HRESULT};
use std::fmt::Write;

/// The command's usage text.
pub const USAGE: &str = "usage: vss-errors explain CODE [--method NAME] [--json]

CODE      a value: 0x80042306, 80042306 (eight hex digits without 0x are hex),
          2147754758 or -2147212538 (decimal); or a name in any case: VSS_E_PROVIDER_VETO
--method  only what that method documents: IVssBackupComponents::DoSnapshotSet, or the
          bare name when only one method has it
--json    print the explanation as JSON

exit status: 0 explained, 1 not in the catalog, 2 bad arguments";

/// Exit status: explained.
pub const EXIT_OK: u8 = 0;
/// Exit status: a well-formed value or name the catalog does not know.
pub const EXIT_UNKNOWN: u8 = 1;
/// Exit status: arguments that are not a command, code or method.
pub const EXIT_USAGE: u8 = 2;

/// What the command prints and how it exits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// Text for standard output.
    pub stdout: String,
    /// Text for standard error.
    pub stderr: String,
    /// The exit status: [`EXIT_OK`], [`EXIT_UNKNOWN`] or [`EXIT_USAGE`].
    pub status: u8,
}

impl Output {
    fn usage_error(msg: impl std::fmt::Display) -> Output {
        Output {
            stdout: String::new(),
            stderr: format!("error: {msg}\n\n{USAGE}\n"),
            status: EXIT_USAGE,
        }
    }
}

/// Runs the command on its arguments (without the program name).
pub fn run<S: AsRef<str>>(args: &[S]) -> Output {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    match args.as_slice() {
        [] => Output::usage_error("missing command; write `vss-errors explain CODE`"),
        ["help" | "--help" | "-h"] => Output {
            stdout: format!("{USAGE}\n"),
            stderr: String::new(),
            status: EXIT_OK,
        },
        ["explain", rest @ ..] => explain_command(rest),
        [other, ..] => Output::usage_error(format!(
            "unknown command `{}`; write `vss-errors explain CODE`",
            printable(other)
        )),
    }
}

/// The arguments after `explain`.
struct Args<'a> {
    code: &'a str,
    method: Option<&'a str>,
    json: bool,
}

fn parse_args<'a>(args: &[&'a str]) -> Result<Args<'a>, String> {
    let mut code = None;
    let mut method = None;
    let mut json = false;
    let mut it = args.iter().copied();
    while let Some(a) = it.next() {
        if a == "--json" {
            json = true;
        } else if a == "--method" {
            match it.next() {
                Some(m) => method = Some(m),
                None => {
                    return Err("`--method` needs a method name, like `--method IVssBackupComponents::DoSnapshotSet`".into())
                }
            }
        } else if let Some(m) = a.strip_prefix("--method=") {
            method = Some(m);
        } else if a.starts_with('-') && !a[1..].starts_with(|c: char| c.is_ascii_digit()) {
            return Err(format!(
                "unknown option `{}`; write `--method NAME` or `--json`",
                printable(a)
            ));
        } else if let Some(first) = code {
            return Err(format!(
                "one code at a time: found `{}` and `{}`",
                printable(first),
                printable(a)
            ));
        } else {
            code = Some(a);
        }
    }
    match code {
        Some(code) => Ok(Args { code, method, json }),
        None => Err(
            "missing CODE; write a value like `0x80042306` or a name like `VSS_E_PROVIDER_VETO`"
                .into(),
        ),
    }
}

fn explain_command(args: &[&str]) -> Output {
    if matches!(args, ["--help" | "-h"]) {
        return run(&["--help"]);
    }
    let args = match parse_args(args) {
        Ok(a) => a,
        Err(e) => return Output::usage_error(e),
    };
    let query = match parse_query(args.code) {
        Ok(q) => q,
        Err(QueryError::Invalid(e)) => return Output::usage_error(e),
        Err(QueryError::UnknownName { name, suggestions }) => {
            let mut msg = format!("error: no code named `{name}` in the catalog");
            match suggestions.as_slice() {
                [] => msg.push_str("; write a value like `0x80042306` to decode any HRESULT"),
                [one] => {
                    let _ = write!(msg, "; did you mean `{one}`?");
                }
                many => {
                    let _ = write!(msg, "; did you mean one of `{}`?", many.join("`, `"));
                }
            }
            return Output {
                stdout: String::new(),
                stderr: format!("{msg}\n"),
                status: EXIT_UNKNOWN,
            };
        }
    };
    let method = match args.method.map(find_method).transpose() {
        Ok(m) => m,
        Err(e) => return Output::usage_error(e),
    };
    let ex = explain(args.code, query, method);
    Output {
        stdout: if args.json {
            ex.to_json()
        } else {
            ex.to_text()
        },
        stderr: String::new(),
        status: if ex.known() { EXIT_OK } else { EXIT_UNKNOWN },
    }
}

/// An argument shown in a message: trimmed and without control characters.
fn printable(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .take(80)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// CODE and --method.

/// What CODE names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Query {
    /// A 32-bit value, in whatever notation it was written.
    Value(u32),
    /// A code of the catalog, by name.
    Name(Code),
}

/// Why CODE could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryError {
    /// Neither a number nor a name (exit status 2), with the message to print.
    Invalid(String),
    /// A well-formed name that is no code of the catalog (exit status 1).
    UnknownName {
        /// The name as written.
        name: String,
        /// Close names of the catalog, closest first.
        suggestions: Vec<&'static str>,
    },
}

/// Reads CODE: `0x80042306`, `80042306` (exactly eight hex digits), an unsigned or negative
/// decimal, or a code name in any case.
pub fn parse_query(input: &str) -> Result<Query, QueryError> {
    let s = input.trim();
    let hint = "write a value like `0x80042306` or a name like `VSS_E_PROVIDER_VETO`";
    if s.is_empty() {
        return Err(QueryError::Invalid(format!("empty CODE; {hint}")));
    }
    if let Some(code) = Code::from_name(s) {
        return Ok(Query::Name(code));
    }
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        if !hex.is_empty() && hex.len() <= 8 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return u32::from_str_radix(hex, 16)
                .map(Query::Value)
                .map_err(|_| QueryError::Invalid(format!("`{s}` is not a value; {hint}")));
        }
        return Err(QueryError::Invalid(format!(
            "`{}` is not a 32-bit hex value; write one to eight hex digits after `0x`, like `0x80042306`",
            printable(s)
        )));
    }
    if let Some(digits) = s.strip_prefix('-') {
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            return match s.parse::<i64>() {
                Ok(v) if v >= i64::from(i32::MIN) => Ok(Query::Value(v as i32 as u32)),
                _ => Err(QueryError::Invalid(format!(
                    "`{}` is out of range; a negative HRESULT is between `-2147483648` and `-1`",
                    printable(s)
                ))),
            };
        }
    }
    if s.len() == 8 && s.chars().all(|c| c.is_ascii_hexdigit()) {
        return u32::from_str_radix(s, 16)
            .map(Query::Value)
            .map_err(|_| QueryError::Invalid(format!("`{s}` is not a value; {hint}")));
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return match s.parse::<u64>() {
            Ok(v) if v <= u64::from(u32::MAX) => Ok(Query::Value(v as u32)),
            _ => Err(QueryError::Invalid(format!(
                "`{}` is out of range; an HRESULT is at most `4294967295` (`0xFFFFFFFF`)",
                printable(s)
            ))),
        };
    }
    let name_like = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.contains('_');
    if name_like {
        return Err(QueryError::UnknownName {
            name: s.to_string(),
            suggestions: suggest(s, Code::ALL.iter().map(|c| c.name())),
        });
    }
    Err(QueryError::Invalid(format!(
        "`{}` is neither a value nor a code name; {hint}",
        printable(s)
    )))
}

/// Resolves `--method`: a qualified name, or a bare name only one method has.
pub fn find_method(name: &str) -> Result<&'static Method, String> {
    let name = name.trim();
    match Method::find(name) {
        Ok(m) => Ok(m),
        Err(candidates) if !candidates.is_empty() => {
            let names: Vec<String> = candidates.iter().map(|m| m.qualified_name()).collect();
            Err(format!(
                "`{}` names {} methods; write one of `{}`",
                printable(name),
                names.len(),
                names.join("`, `")
            ))
        }
        Err(_) => {
            let all: Vec<String> = Method::all().iter().map(|m| m.qualified_name()).collect();
            let bare = name.rsplit("::").next().unwrap_or(name);
            let mut close = suggest(name, all.iter().map(String::as_str));
            for m in Method::all() {
                let near = close.len() < 3 && distance(m.name, bare) <= 2;
                if m.name.eq_ignore_ascii_case(bare) || near {
                    if let Some(q) = all.iter().find(|q| **q == m.qualified_name()) {
                        if !close.contains(&q.as_str()) {
                            close.push(q.as_str());
                        }
                    }
                }
            }
            close.truncate(8);
            if close.is_empty() {
                Err(format!(
                    "no method named `{}`; write a qualified name like `IVssBackupComponents::DoSnapshotSet`",
                    printable(name)
                ))
            } else {
                Err(format!(
                    "no method named `{}`; did you mean `{}`?",
                    printable(name),
                    close.join("`, `")
                ))
            }
        }
    }
}

/// The names closest to `name` (case-insensitive edit distance), closest first.
fn suggest<'a>(name: &str, names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let limit = (name.chars().count() / 4).clamp(1, 4);
    let mut scored: Vec<(usize, &str)> = names
        .map(|n| (distance(n, name), n))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.dedup();
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

/// Case-insensitive Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

// ---------------------------------------------------------------------------------------------
// The explanation.

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

/// `FACILITY_…` name of an HRESULT facility number, where winerror.h names it.
pub use crate::generated::codes::facility_name;

fn kind_name(m: &Method) -> &'static str {
    match m.kind {
        MethodKind::Method => "method",
        MethodKind::Function => "function",
        MethodKind::WriterFailureSet => "writer_failure_set",
    }
}

fn direction_name(d: LinkDirection) -> &'static str {
    match d {
        LinkDirection::Reported => "reported",
        LinkDirection::Accepted => "accepted",
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
        let fac = match facility_name(d.facility) {
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
                MethodKind::Method => {}
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

    /// The explanation as JSON (keys in a fixed order; documented in the README).
    pub fn to_json(&self) -> String {
        let d = self.decoded();
        let readings = self.readings.iter().map(reading_json).collect();
        let v = Json::Obj(vec![
            ("input", Json::Str(self.input.clone())),
            ("value", Json::Str(format!("0x{:08X}", self.value))),
            ("signed", Json::Num(i64::from(self.value as i32))),
            ("unsigned", Json::Num(i64::from(self.value))),
            (
                "severity",
                Json::str(if d.failure { "failure" } else { "success" }),
            ),
            ("facility", Json::Num(i64::from(d.facility))),
            ("facility_name", Json::opt(facility_name(d.facility))),
            ("code", Json::Num(i64::from(d.code))),
            (
                "win32",
                d.win32().map_or(Json::Null, |w| Json::Num(i64::from(w))),
            ),
            ("known", Json::Bool(self.known())),
            (
                "method",
                self.method
                    .map_or(Json::Null, |m| Json::Str(m.qualified_name())),
            ),
            ("readings", Json::Arr(readings)),
            (
                "also",
                Json::Arr(
                    self.also
                        .iter()
                        .map(|c| {
                            Json::Obj(vec![
                                ("name", Json::str(c.name())),
                                ("family", Json::str(c.family().as_str())),
                            ])
                        })
                        .collect(),
                ),
            ),
        ]);
        let mut out = String::new();
        v.write(&mut out, 0);
        out.push('\n');
        out
    }
}

fn reading_json(r: &Reading) -> Json {
    let c = r.code;
    Json::Obj(vec![
        ("name", Json::str(c.name())),
        ("family", Json::str(c.family().as_str())),
        ("summary", Json::str(c.summary())),
        ("header", Json::opt(c.info().header)),
        (
            "interfaces",
            Json::Arr(r.interfaces.iter().copied().map(Json::str).collect()),
        ),
        (
            "documented_by",
            Json::Arr(r.documented.iter().map(documented_json).collect()),
        ),
        (
            "instead_of",
            Json::Arr(
                r.instead_of
                    .iter()
                    .map(|i| {
                        Json::Obj(vec![
                            ("method", Json::Str(i.method.qualified_name())),
                            ("code", Json::str(i.code.name())),
                            ("versions", version_ids(i.note.versions)),
                        ])
                    })
                    .collect(),
            ),
        ),
    ])
}

fn version_ids(v: &[WindowsVersion]) -> Json {
    Json::Arr(v.iter().map(|v| Json::str(v.id())).collect())
}

fn documented_json(d: &Documented) -> Json {
    let e = d.entry;
    Json::Obj(vec![
        ("method", Json::Str(d.method.qualified_name())),
        ("kind", Json::str(kind_name(d.method))),
        (
            "list",
            Json::str(if d.status { "status" } else { "returns" }),
        ),
        ("text", Json::str(e.text())),
        ("outcome", Json::opt(e.outcome)),
        ("async_only", Json::Bool(e.async_only)),
        (
            "retry",
            e.retry.map_or(Json::Null, |r| {
                Json::Obj(vec![
                    ("wait_seconds", Json::Num(i64::from(r.wait_seconds))),
                    ("max_attempts", Json::Num(i64::from(r.max_attempts))),
                ])
            }),
        ),
        ("retry_note", Json::opt(e.retry_note())),
        (
            "os_notes",
            Json::Arr(
                e.os_notes
                    .iter()
                    .map(|n| {
                        Json::Obj(vec![
                            ("versions", version_ids(n.versions)),
                            ("fallback", Json::opt(n.fallback.map(Code::name))),
                            ("supported_from", version_ids(n.supported_from)),
                            ("text", Json::str(n.text())),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "links",
            Json::Arr(
                d.method
                    .links
                    .iter()
                    .map(|l| {
                        Json::Obj(vec![
                            ("method", Json::str(l.method)),
                            ("parameter", Json::str(l.parameter)),
                            ("direction", Json::str(direction_name(l.direction))),
                        ])
                    })
                    .collect(),
            ),
        ),
    ])
}

/// A JSON value with keys in insertion order (the library has no JSON dependency).
enum Json {
    Null,
    Bool(bool),
    Num(i64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(&'static str, Json)>),
}

impl Json {
    fn str(s: &str) -> Json {
        Json::Str(s.to_string())
    }

    fn opt(s: Option<&str>) -> Json {
        s.map_or(Json::Null, Json::str)
    }

    /// Pretty-printed with two-space indentation.
    fn write(&self, out: &mut String, depth: usize) {
        let pad = |n: usize| "  ".repeat(n);
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(n) => {
                let _ = write!(out, "{n}");
            }
            Json::Str(s) => write_json_string(out, s),
            Json::Arr(items) if items.is_empty() => out.push_str("[]"),
            Json::Arr(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    out.push_str(&pad(depth + 1));
                    item.write(out, depth + 1);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(depth));
                out.push(']');
            }
            Json::Obj(fields) if fields.is_empty() => out.push_str("{}"),
            Json::Obj(fields) => {
                out.push_str("{\n");
                for (i, (k, v)) in fields.iter().enumerate() {
                    out.push_str(&pad(depth + 1));
                    write_json_string(out, k);
                    out.push_str(": ");
                    v.write(out, depth + 1);
                    out.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(depth));
                out.push('}');
            }
        }
    }
}

fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notation_of_a_value_reads_the_same() {
        for s in [
            "0x80042306",
            "0X80042306",
            "80042306",
            "2147754758",
            "-2147212538",
            " 0x80042306 ",
        ] {
            assert_eq!(parse_query(s), Ok(Query::Value(0x8004_2306)), "{s:?}");
        }
        assert_eq!(parse_query("0x1"), Ok(Query::Value(1)));
        assert_eq!(parse_query("0"), Ok(Query::Value(0)));
        assert_eq!(parse_query("-1"), Ok(Query::Value(0xFFFF_FFFF)));
        assert_eq!(parse_query("-2147483648"), Ok(Query::Value(0x8000_0000)));
        assert_eq!(parse_query("4294967295"), Ok(Query::Value(0xFFFF_FFFF)));
        assert_eq!(
            parse_query("vss_e_provider_veto"),
            Ok(Query::Name(Code::VSS_E_PROVIDER_VETO))
        );
    }

    #[test]
    fn bad_input_says_what_to_write() {
        for s in [
            "",
            "0x",
            "0x123456789",
            "0xZZ",
            "4294967296",
            "-2147483649",
            "hello!",
            "--",
            "0x8004 2306",
        ] {
            match parse_query(s) {
                Err(QueryError::Invalid(msg)) => {
                    assert!(msg.contains('`'), "{msg}");
                    assert!(!msg.ends_with('.'), "{msg}");
                    assert!(
                        msg.starts_with(|c: char| c.is_lowercase() || c == '`'),
                        "{msg}"
                    );
                }
                other => panic!("{s:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn an_unknown_name_suggests_the_close_ones() {
        match parse_query("VSS_E_PROVIDR_VETO") {
            Err(QueryError::UnknownName { suggestions, .. }) => {
                assert_eq!(suggestions.first(), Some(&"VSS_E_PROVIDER_VETO"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn methods_resolve_qualified_bare_and_ambiguous() {
        let m = find_method("ivssbackupcomponents::dosnapshotset").unwrap();
        assert_eq!(m.qualified_name(), "IVssBackupComponents::DoSnapshotSet");
        assert_eq!(find_method("DoSnapshotSet").unwrap(), m);
        let err = find_method("QueryStatus").unwrap_err();
        assert!(
            err.contains("`IVssAsync::QueryStatus`") && err.contains("`IVdsAsync::QueryStatus`"),
            "{err}"
        );
        let err = find_method("DoSnapshotSt").unwrap_err();
        assert!(
            err.contains("did you mean `IVssBackupComponents::DoSnapshotSet`"),
            "{err}"
        );
    }

    #[test]
    fn json_strings_are_escaped() {
        let mut s = String::new();
        write_json_string(&mut s, "a\"b\\c\nd\u{1}é");
        assert_eq!(s, r#""a\"b\\c\nd\u0001é""#);
    }

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
            assert!(ex.to_json().contains(&format!("\"value\": \"0x{v:08X}\"")));
        }
    }
}
