//! Load phase: parses each catalog file with `toml`'s spanned document tree and fills the
//! model, reporting syntax errors, unknown keys (with a suggestion), wrong types and missing
//! keys, all at once, each with file, line and column.

use crate::diagnostic::{Diagnostic, Diagnostics, Loc};
use crate::model::*;
use crate::naming::suggest;
use crate::source::{LineIndex, SourceFile};
use std::collections::BTreeMap;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// Parses every file; returns the unvalidated catalog or every problem found.
pub fn load(files: &[SourceFile]) -> Result<Catalog, Diagnostics> {
    // Files are read independently (on worker threads) and joined in the order given.
    let loaded = crate::jobs::run_in_order(files.len(), |i| Ok(load_one(&files[i])));
    let mut cat = Catalog::default();
    let mut diags = Vec::new();
    for (file, result) in files.iter().zip(loaded) {
        match result {
            Ok((part, problems)) => {
                cat.codes.extend(part.codes);
                cat.versions.extend(part.versions);
                cat.interfaces.extend(part.interfaces);
                cat.methods.extend(part.methods);
                diags.extend(problems);
            }
            Err(e) => diags.push(Diagnostic {
                loc: file.loc(0),
                key: String::new(),
                message: format!("internal error while loading the file: {e}"),
            }),
        }
    }
    if diags.is_empty() {
        Ok(cat)
    } else {
        Err(Diagnostics(diags).sorted())
    }
}

/// One file's records and problems.
fn load_one(file: &SourceFile) -> (Catalog, Vec<Diagnostic>) {
    let mut cat = Catalog::default();
    let mut diags = Vec::new();
    let (doc, errors) = DeTable::parse_recoverable(&file.text);
    if !errors.is_empty() {
        for e in errors {
            let loc = file.loc(e.span().map_or(0, |s| s.start));
            diags.push(Diagnostic {
                loc,
                key: String::new(),
                message: format!("invalid TOML: {}", first_line(e.message())),
            });
        }
        return (cat, diags);
    }
    let mut cx = Cx {
        file,
        lines: LineIndex::new(&file.text),
        diags: &mut diags,
    };
    let root = Tab::new(&mut cx, doc.get_ref(), doc.span(), "");
    load_file(&mut cx, root, &mut cat);
    (cat, diags)
}

fn first_line(s: &str) -> String {
    let s = s.trim().lines().next().unwrap_or("").trim();
    let s = s.strip_suffix('.').unwrap_or(s);
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => "syntax error".into(),
    }
}

const ROOT_KEYS: &[&str] = &["code", "version", "interface", "method", "function", "set"];

fn load_file(cx: &mut Cx, mut root: Tab, cat: &mut Catalog) {
    for t in root.tables(cx, "code") {
        if let Some(c) = load_code(cx, t) {
            cat.codes.push(c);
        }
    }
    for mut t in root.tables(cx, "version") {
        let id = t.req_str(cx, "id");
        let name = t.req_str(cx, "name");
        let spans = t.finish(cx, &["id", "name"]);
        if let (Some(id), Some(name)) = (id, name) {
            cat.versions.push(WindowsVersion { id, name, spans });
        }
    }
    let interface = root.table(cx, "interface").and_then(|mut t| {
        let name = t.req_str(cx, "name");
        let header = t.opt_str(cx, "header");
        let extends = t.opt_str(cx, "extends");
        let iid = t.opt_str(cx, "iid");
        let vtable_loc = t.loc_of(cx, "vtable");
        let vtable = t
            .opt_str_array(cx, "vtable")
            .unwrap_or_default()
            .into_iter()
            .filter_map(|decl| match parse_slot(&decl) {
                Ok((name, params)) => Some(Slot { name, params, decl, loc: vtable_loc.clone() }),
                Err(why) => {
                    cx.err(vtable_loc.clone(), "interface.vtable", format!("{why} in {decl:?}; expected a declaration like \"GetWriterStatusCount(UINT *pcWriters)\""));
                    None
                }
            })
            .collect();
        let spans = t.finish(cx, &["name", "header", "extends", "iid", "vtable"]);
        name.map(|name| Interface { name, header, extends, iid, vtable, spans })
    });
    let methods = root.tables(cx, "method");
    if !methods.is_empty() && interface.is_none() && !root.has("interface") {
        let loc = methods[0].loc.clone();
        cx.err(loc, "method", "a `[[method]]` needs an `[interface]` table with `name = \"IVss…\"` in the same file (free functions go in `[[function]]`)");
    }
    for t in methods {
        if let Some(m) = load_method(
            cx,
            t,
            MethodKind::Method,
            interface.as_ref().map(|i| i.name.clone()),
        ) {
            cat.methods.push(m);
        }
    }
    if let Some(i) = interface {
        cat.interfaces.push(i);
    }
    for t in root.tables(cx, "function") {
        if let Some(m) = load_method(cx, t, MethodKind::Function, None) {
            cat.methods.push(m);
        }
    }
    for t in root.tables(cx, "set") {
        if let Some(m) = load_method(cx, t, MethodKind::WriterFailureSet, None) {
            cat.methods.push(m);
        }
    }
    root.finish(cx, ROOT_KEYS);
}

const CODE_KEYS: &[&str] = &[
    "name",
    "value",
    "family",
    "header",
    "variant",
    "summary",
    "io_kind",
    "discrepancy",
];

fn load_code(cx: &mut Cx, mut t: Tab) -> Option<Code> {
    let name = t.req_str(cx, "name");
    let value = t.req_hex(cx, "value");
    let family = t.req_str(cx, "family");
    let header = t.opt_str(cx, "header");
    let variant = t.opt_str(cx, "variant");
    let summary = t.req_str(cx, "summary");
    let io_kind = t.opt_str(cx, "io_kind");
    let mut discrepancies = Vec::new();
    for mut d in t.tables(cx, "discrepancy") {
        let source = d.req_str(cx, "source");
        let documented_value = d.req_hex(cx, "documented_value");
        let note = d.opt_str(cx, "note");
        let spans = d.finish(cx, &["source", "documented_value", "note"]);
        if let (Some(source), Some(documented_value)) = (source, documented_value) {
            discrepancies.push(Discrepancy {
                source,
                documented_value,
                note,
                spans,
            });
        }
    }
    let spans = t.finish(cx, CODE_KEYS);
    let name = name?;
    let variant = variant.unwrap_or_else(|| crate::naming::default_variant(&name));
    Some(Code {
        name,
        value: value?,
        family: family?,
        header,
        variant,
        summary: summary?,
        io_kind,
        discrepancies,
        spans,
    })
}

const METHOD_KEYS: &[&str] = &[
    "name",
    "rust_name",
    "header",
    "seed_section",
    "doc_page",
    "source",
    "returns_async",
    "cancellable",
    "progress",
    "link",
    "fact",
    "returns",
    "status",
];
const SET_KEYS: &[&str] = &[
    "name",
    "interface",
    "rust_name",
    "seed_section",
    "doc_page",
    "source",
    "link",
    "returns",
];

fn load_method(
    cx: &mut Cx,
    mut t: Tab,
    kind: MethodKind,
    interface: Option<String>,
) -> Option<Method> {
    let name = t.req_str(cx, "name");
    let interface = match kind {
        MethodKind::WriterFailureSet => t.opt_str(cx, "interface"),
        _ => interface,
    };
    let rust_name = t.opt_str(cx, "rust_name");
    let header = t.opt_str(cx, "header");
    let seed_section = t.opt_str(cx, "seed_section");
    let doc_page = t.opt_str(cx, "doc_page");
    let source = t.opt_str(cx, "source");
    let returns_async = t.opt_bool(cx, "returns_async").unwrap_or(false);
    let cancellable = t.opt_bool(cx, "cancellable");
    let progress = t.opt_str(cx, "progress");
    let mut links = Vec::new();
    for mut l in t.tables(cx, "link") {
        let method = l.req_str(cx, "method");
        let parameter = l.req_str(cx, "parameter");
        let direction = l.req_str(cx, "direction");
        let spans = l.finish(cx, &["method", "parameter", "direction"]);
        if let (Some(method), Some(parameter), Some(direction)) = (method, parameter, direction) {
            links.push(Link {
                method,
                parameter,
                direction,
                spans,
            });
        }
    }
    let mut facts = Vec::new();
    for mut f in t.tables(cx, "fact") {
        let kind = f.req_str(cx, "kind");
        let method = f.opt_str(cx, "method");
        let text = f.req_str(cx, "text");
        let source = f.req_str(cx, "source");
        let spans = f.finish(cx, &["kind", "method", "text", "source"]);
        if let (Some(kind), Some(text), Some(source)) = (kind, text, source) {
            facts.push(Fact {
                kind,
                method,
                text,
                source,
                spans,
            });
        }
    }
    let returns = t
        .tables(cx, "returns")
        .into_iter()
        .filter_map(|e| load_entry(cx, e))
        .collect();
    let status = t
        .tables(cx, "status")
        .into_iter()
        .filter_map(|e| load_entry(cx, e))
        .collect();
    let spans = t.finish(
        cx,
        if kind == MethodKind::WriterFailureSet {
            SET_KEYS
        } else {
            METHOD_KEYS
        },
    );
    Some(Method {
        kind,
        interface,
        name: name?,
        rust_name,
        header,
        seed_section,
        doc_page,
        source,
        returns_async,
        cancellable,
        progress,
        links,
        facts,
        returns,
        status,
        spans,
    })
}

const ENTRY_KEYS: &[&str] = &[
    "code",
    "outcome",
    "text",
    "async_only",
    "retry",
    "retry_note",
    "os_note",
];

fn load_entry(cx: &mut Cx, mut t: Tab) -> Option<Entry> {
    let code = t.req_str(cx, "code");
    let outcome = t.opt_str(cx, "outcome");
    let text = t.req_str(cx, "text");
    let async_only = t.opt_bool(cx, "async_only").unwrap_or(false);
    let retry = t.table(cx, "retry").and_then(|mut r| {
        let wait = r.req_u32(cx, "wait_seconds");
        let attempts = r.req_u32(cx, "max_attempts");
        r.finish(cx, &["wait_seconds", "max_attempts"]);
        Some(Retry {
            wait_seconds: wait?,
            max_attempts: attempts?,
        })
    });
    let retry_note = t.opt_str(cx, "retry_note");
    let mut os_notes = Vec::new();
    for mut n in t.tables(cx, "os_note") {
        let versions = n.req_str_array(cx, "versions");
        let fallback = n.opt_str(cx, "fallback");
        let supported_from = n.opt_str_array(cx, "supported_from").unwrap_or_default();
        let text = n.req_str(cx, "text");
        let spans = n.finish(cx, &["versions", "fallback", "supported_from", "text"]);
        if let (Some(versions), Some(text)) = (versions, text) {
            os_notes.push(OsNote {
                versions,
                fallback,
                supported_from,
                text,
                spans,
            });
        }
    }
    let spans = t.finish(cx, ENTRY_KEYS);
    Some(Entry {
        code: code?,
        outcome,
        text: text?,
        async_only,
        retry,
        retry_note,
        os_notes,
        spans,
    })
}

/// The file being loaded and the problems found so far.
struct Cx<'a> {
    file: &'a SourceFile,
    lines: LineIndex,
    diags: &'a mut Vec<Diagnostic>,
}

impl Cx<'_> {
    /// The line and column of a byte offset in the file.
    fn loc(&self, offset: usize) -> Loc {
        self.lines.loc(self.file, offset)
    }

    fn err(&mut self, loc: Loc, key: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic {
            loc,
            key: key.to_string(),
            message: message.into(),
        });
    }
}

/// A TOML table being read: each key is taken at most once, the rest are unknown.
struct Tab<'a, 'i> {
    path: String,
    loc: Loc,
    entries: BTreeMap<
        String,
        (
            &'a Spanned<std::borrow::Cow<'i, str>>,
            &'a Spanned<DeValue<'i>>,
        ),
    >,
    taken: Vec<String>,
    spans: Spans,
}

impl<'a, 'i> Tab<'a, 'i> {
    fn new(cx: &mut Cx, t: &'a DeTable<'i>, span: std::ops::Range<usize>, path: &str) -> Self {
        let loc = cx.loc(span.start);
        let entries = t
            .iter()
            .map(|(k, v)| (k.get_ref().to_string(), (k, v)))
            .collect();
        Tab {
            path: path.to_string(),
            loc: loc.clone(),
            entries,
            taken: Vec::new(),
            spans: Spans {
                table: loc,
                keys: BTreeMap::new(),
            },
        }
    }

    fn has(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn take(&mut self, cx: &mut Cx, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.taken.push(key.to_string());
        let (_, v) = self.entries.get(key).copied()?;
        self.spans
            .keys
            .insert(key.to_string(), cx.loc(v.span().start));
        Some(v)
    }

    /// Where `key`'s value is (the table when absent), without taking the key.
    fn loc_of(&self, cx: &mut Cx, key: &str) -> Loc {
        self.entries
            .get(key)
            .map_or_else(|| self.loc.clone(), |(_, v)| cx.loc(v.span().start))
    }

    fn type_err(&self, cx: &mut Cx, key: &str, v: &Spanned<DeValue>, expected: &str) {
        let loc = cx.loc(v.span().start);
        cx.err(
            loc,
            &self.key_path(key),
            format!("expected {expected}, found {}", describe(v.get_ref())),
        );
    }

    fn missing(&self, cx: &mut Cx, key: &str, example: &str) {
        cx.err(
            self.loc.clone(),
            &self.key_path(key),
            format!("missing required key; write `{key} = {example}`"),
        );
    }

    fn opt_str(&mut self, cx: &mut Cx, key: &str) -> Option<String> {
        let v = self.take(cx, key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.type_err(cx, key, v, "a string");
                None
            }
        }
    }

    fn req_str(&mut self, cx: &mut Cx, key: &str) -> Option<String> {
        if !self.has(key) {
            self.missing(cx, key, "\"…\"");
            self.taken.push(key.to_string());
            return None;
        }
        self.opt_str(cx, key)
    }

    fn opt_bool(&mut self, cx: &mut Cx, key: &str) -> Option<bool> {
        let v = self.take(cx, key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.type_err(cx, key, v, "`true` or `false`");
                None
            }
        }
    }

    fn req_u32(&mut self, cx: &mut Cx, key: &str) -> Option<u32> {
        let Some(v) = self.take(cx, key) else {
            self.missing(cx, key, "3");
            return None;
        };
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => {
                u64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
            }
            _ => None,
        };
        match parsed.and_then(|n| u32::try_from(n).ok()) {
            Some(n) => Some(n),
            None => {
                self.type_err(cx, key, v, "a whole number from 0 to 4294967295");
                None
            }
        }
    }

    fn req_hex(&mut self, cx: &mut Cx, key: &str) -> Option<u32> {
        let Some(v) = self.take(cx, key) else {
            self.missing(cx, key, "\"0x80042306\"");
            return None;
        };
        let parsed = match v.get_ref() {
            DeValue::String(s) => parse_hex32(s),
            _ => None,
        };
        if parsed.is_none() {
            self.type_err(
                cx,
                key,
                v,
                "a 32-bit hex number written as a string of 8 hex digits, like \"0x80042306\"",
            );
        }
        parsed
    }

    fn opt_str_array(&mut self, cx: &mut Cx, key: &str) -> Option<Vec<String>> {
        let v = self.take(cx, key)?;
        let DeValue::Array(a) = v.get_ref() else {
            self.type_err(cx, key, v, "an array of strings");
            return None;
        };
        let mut out = Vec::new();
        for item in a.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(s.to_string()),
                _ => {
                    self.type_err(cx, key, item, "a string");
                    return None;
                }
            }
        }
        Some(out)
    }

    fn req_str_array(&mut self, cx: &mut Cx, key: &str) -> Option<Vec<String>> {
        if !self.has(key) {
            self.missing(cx, key, "[\"…\"]");
            self.taken.push(key.to_string());
            return None;
        }
        self.opt_str_array(cx, key)
    }

    /// A sub-table (`[name]` or inline `{ … }`).
    fn table(&mut self, cx: &mut Cx, key: &str) -> Option<Tab<'a, 'i>> {
        let v = self.take(cx, key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some(Tab::new(cx, t, v.span(), &self.key_path(key))),
            _ => {
                self.type_err(cx, key, v, "a table");
                None
            }
        }
    }

    /// An array of tables (`[[name]]`); empty when absent.
    fn tables(&mut self, cx: &mut Cx, key: &str) -> Vec<Tab<'a, 'i>> {
        let Some(v) = self.take(cx, key) else {
            return Vec::new();
        };
        let DeValue::Array(a) = v.get_ref() else {
            self.type_err(
                cx,
                key,
                v,
                &format!("an array of tables, written `[[{}]]`", self.key_path(key)),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in a.iter() {
            match item.get_ref() {
                DeValue::Table(t) => out.push(Tab::new(cx, t, item.span(), &self.key_path(key))),
                _ => self.type_err(cx, key, item, "a table"),
            }
        }
        out
    }

    /// Reports every key that was not taken, suggesting the nearest allowed one.
    fn finish(self, cx: &mut Cx, allowed: &[&str]) -> Spans {
        for (name, (k, _)) in &self.entries {
            if self.taken.iter().any(|t| t == name) {
                continue;
            }
            let loc = cx.loc(k.span().start);
            let hint = match suggest(name, allowed) {
                Some(s) => format!("; did you mean `{s}`?"),
                None => format!(
                    "; expected one of {}",
                    allowed
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            cx.err(loc, &self.key_path(name), format!("unknown key{hint}"));
        }
        self.spans
    }
}

/// Parses `0x` followed by exactly 8 hex digits.
pub fn parse_hex32(s: &str) -> Option<u32> {
    let digits = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X"))?;
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

fn describe(v: &DeValue) -> String {
    match v {
        DeValue::String(s) => format!("the string {s:?}"),
        DeValue::Integer(i) => format!("the integer {}", i.as_str()),
        DeValue::Float(f) => format!("the float {}", f.as_str()),
        DeValue::Boolean(b) => format!("the boolean {b}"),
        DeValue::Datetime(d) => format!("the datetime {d}"),
        DeValue::Array(_) => "an array".into(),
        DeValue::Table(_) => "a table".into(),
    }
}

/// Parses `Name(TYPE *name, const TYPE *name, …)` into a name and C parameters.
pub fn parse_slot(decl: &str) -> Result<(String, Vec<Param>), String> {
    let decl = decl.trim();
    let open = decl.find('(').ok_or("missing `(`")?;
    let body = decl.strip_suffix(')').ok_or("missing closing `)`")?;
    let name = decl[..open].trim();
    if !crate::naming::is_ident(name) {
        return Err(format!("method name {name:?} is not an identifier"));
    }
    let mut params = Vec::new();
    for raw in body[open + 1..]
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let spaced = raw.replace('*', " * ");
        let mut toks: Vec<&str> = spaced.split_whitespace().collect();
        let pname = toks.pop().ok_or("empty parameter")?;
        let is_const = toks.first() == Some(&"const");
        if is_const {
            toks.remove(0);
        }
        let pointers = toks.iter().filter(|t| **t == "*").count();
        let base: Vec<&str> = toks.into_iter().filter(|t| *t != "*").collect();
        let [base] = base.as_slice() else {
            return Err(format!("cannot read parameter {raw:?}"));
        };
        if !crate::naming::is_ident(pname) || !crate::naming::is_ident(base) || pointers > 3 {
            return Err(format!("cannot read parameter {raw:?}"));
        }
        params.push(Param {
            c_type: base.to_string(),
            is_const,
            pointers: pointers as u8,
            name: pname.to_string(),
        });
    }
    Ok((name.to_string(), params))
}
