//! Validate phase: checks every rule of the catalog schema and reports all problems at once.
//!
//! A catalog that passes is sorted into a canonical order, so emitted output never depends
//! on how records are spread over files or on the order files are read in.

use crate::diagnostic::{Diagnostic, Diagnostics, Loc};
use crate::model::*;
use crate::naming;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The longest wait a retry advice may name (one day): anything longer is a typo.
pub const MAX_WAIT_SECONDS: u32 = 86_400;
/// The most attempts a retry advice may name.
pub const MAX_ATTEMPTS: u32 = 100;

/// `std::io::ErrorKind` names a code may convert to.
pub const IO_KINDS: &[&str] = &[
    "NotFound",
    "PermissionDenied",
    "AlreadyExists",
    "InvalidInput",
    "InvalidData",
    "TimedOut",
    "Unsupported",
    "OutOfMemory",
    "Interrupted",
    "ResourceBusy",
    "Other",
];
/// Kinds of structured method facts.
pub const FACT_KINDS: &[&str] = &[
    "not-cancellable",
    "call-after",
    "call-after-each",
    "status-of-origin",
    "progress",
];
/// Ways a writer-failure set is tied to a method.
pub const LINK_DIRECTIONS: &[&str] = &["reported", "accepted"];
/// Variant names the generator uses itself.
pub const RESERVED_VARIANTS: &[&str] = &["Other", "OtherSuccess"];
/// Names the generated `methods.rs` imports, which a type generated for a method (a
/// writer-failure set's type has no `Error` suffix) must not take.
pub const RESERVED_TYPES: &[&str] = &[
    "Classifier",
    "Code",
    "Entry",
    "Fact",
    "FactKind",
    "HRESULT",
    "Link",
    "LinkDirection",
    "Method",
    "MethodKind",
    "OsNote",
    "Retry",
    "TextId",
    "Undocumented",
    "WindowsVersion",
];
/// Code names that `Code`'s own associated constants take.
pub const RESERVED_CODE_NAMES: &[&str] = &["ALL"];
/// Names the generated `com.rs` uses itself, which an interface with a vtable must not take.
pub const RESERVED_INTERFACES: &[&str] = &[
    "IUnknown",
    "GUID",
    "HRESULT",
    "VssObjectProp",
    "VssSnapshotProp",
];

/// A catalog that passed every rule, in canonical order. Only [`validate`] makes one and it
/// gives read-only access, so it stays valid: the emitter relies on that instead of checking
/// again. [`Checked::into_inner`] gives the catalog back for changes, to be validated anew.
#[derive(Clone, Debug)]
pub struct Checked(Catalog);

impl std::ops::Deref for Checked {
    type Target = Catalog;

    fn deref(&self) -> &Catalog {
        &self.0
    }
}

impl Checked {
    /// The catalog itself, no longer known to be valid.
    pub fn into_inner(self) -> Catalog {
        self.0
    }
}

/// Checks the loaded catalog; on success returns it in canonical order.
pub fn validate(mut cat: Catalog) -> Result<Checked, Diagnostics> {
    check(&cat)?;
    cat.codes.sort_by(code_order);
    cat.interfaces.sort_by(interface_order);
    cat.methods.sort_by(method_order);
    Ok(Checked(cat))
}

/// Every rule [`validate`] applies, without taking or reordering the catalog.
pub fn check(cat: &Catalog) -> Result<(), Diagnostics> {
    let mut v = V { diags: Vec::new() };
    v.codes(cat);
    v.versions(cat);
    v.interfaces(cat);
    v.methods(cat);
    if v.diags.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(v.diags).sorted())
    }
}

/// A map's keys in order, so a suggestion does not depend on hashing.
fn sorted_keys<'a, V>(map: &HashMap<&'a str, V>) -> Vec<&'a str> {
    let mut keys: Vec<&str> = map.keys().copied().collect();
    keys.sort_unstable();
    keys
}

fn code_order(a: &Code, b: &Code) -> Ordering {
    (&a.family, a.value, &a.name).cmp(&(&b.family, b.value, &b.name))
}

fn interface_order(a: &Interface, b: &Interface) -> Ordering {
    a.name.cmp(&b.name)
}

fn method_order(a: &Method, b: &Method) -> Ordering {
    (a.kind, &a.interface, &a.name).cmp(&(b.kind, &b.interface, &b.name))
}

struct V {
    diags: Vec<Diagnostic>,
}

/// Whether a text speaks of retrying (and so needs `retry` or `retry_note`).
pub fn retry_prose(text: &str) -> bool {
    let t = text.to_lowercase();
    ["try again", "retry", "repeat the operation", "wait to try"]
        .iter()
        .any(|p| t.contains(p))
}

/// The words by which a text says its code only arrives through `IVssAsync::QueryStatus`.
pub const ASYNC_ONLY_PROSE: &str = "only returned via the QueryStatus method";

impl V {
    fn err(&mut self, loc: Loc, key: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic {
            loc,
            key: key.into(),
            message: message.into(),
        });
    }

    fn codes(&mut self, cat: &Catalog) {
        // Duplicate checks only (insert and get, never listed): hashed.
        let mut names: HashMap<&str, &Code> = HashMap::new();
        let mut values: HashMap<(&str, u32), &Code> = HashMap::new();
        let mut variants: HashMap<&str, &Code> = HashMap::new();
        for c in &cat.codes {
            if !c
                .name
                .chars()
                .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || ch == '_')
                || !naming::is_ident(&c.name)
            {
                self.err(c.spans.at("name"), "code.name", format!("expected an upper-case symbolic name like \"VSS_E_PROVIDER_VETO\", found {:?}", c.name));
            }
            if RESERVED_CODE_NAMES.contains(&c.name.as_str()) {
                self.err(
                    c.spans.at("name"),
                    "code.name",
                    format!(
                        "{:?} is the name of `Code`'s list of every code; expected another name",
                        c.name
                    ),
                );
            }
            if let Some(prev) = names.insert(&c.name, c) {
                self.err(
                    c.spans.at("name"),
                    "code.name",
                    format!(
                        "code {:?} is defined twice (first at {}); remove one",
                        c.name, prev.spans.table
                    ),
                );
            }
            if let Some(prev) = values.insert((&c.family, c.value), c) {
                if prev.name != c.name {
                    self.err(c.spans.at("value"), "code.value", format!(
                        "codes {:?} and {:?} both have value 0x{:08X} in family {:?}; one value means one code within a family",
                        prev.name, c.name, c.value, c.family));
                }
            }
            let says_success = c.name.starts_with("S_") || c.name.contains("_S_");
            let says_failure = c.name.starts_with("E_") || c.name.contains("_E_");
            if says_success && c.is_failure() {
                self.err(c.spans.at("value"), "code.value", format!(
                    "{:?} names a success code but 0x{:08X} has the failure bit set; expected a value below 0x80000000", c.name, c.value));
            }
            if says_failure && !c.is_failure() {
                self.err(c.spans.at("value"), "code.value", format!(
                    "{:?} names a failure code but 0x{:08X} lacks the failure bit; expected a value of 0x80000000 or more", c.name, c.value));
            }
            if !c
                .family
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit())
                || !c.family.starts_with(|ch: char| ch.is_ascii_lowercase())
            {
                self.err(
                    c.spans.at("family"),
                    "code.family",
                    format!(
                        "expected a lower-case family name starting with a letter, like \"vss\", found {:?}",
                        c.family
                    ),
                );
            }
            if !naming::is_upper_camel(&c.variant)
                || RESERVED_VARIANTS.contains(&c.variant.as_str())
            {
                self.err(c.spans.at("variant"), "code.variant", format!(
                    "expected an UpperCamelCase Rust name other than `Other` and `OtherSuccess`, like \"ProviderVeto\", found {:?}", c.variant));
            }
            if let Some(prev) = variants.get(c.variant.as_str()) {
                if prev.family == c.family && prev.name != c.name {
                    self.err(c.spans.at("variant"), "code.variant", format!(
                        "codes {:?} and {:?} of family {:?} would both be the Rust variant `{}`; write a distinct `variant = \"…\"`",
                        prev.name, c.name, c.family, c.variant));
                }
            } else {
                variants.insert(&c.variant, c);
            }
            if c.summary.trim().is_empty() {
                self.err(
                    c.spans.at("summary"),
                    "code.summary",
                    "expected a one-line summary, found an empty string",
                );
            }
            if let Some(k) = &c.io_kind {
                if !IO_KINDS.contains(&k.as_str()) {
                    self.err(
                        c.spans.at("io_kind"),
                        "code.io_kind",
                        format!(
                            "unknown io::ErrorKind {k:?}; expected one of {}",
                            quoted(IO_KINDS)
                        ),
                    );
                }
            }
            for d in &c.discrepancies {
                if d.documented_value == c.value {
                    self.err(d.spans.at("documented_value"), "code.discrepancy.documented_value", format!(
                        "the documented value equals the header value 0x{:08X}; remove this discrepancy", c.value));
                }
            }
        }
    }

    fn versions(&mut self, cat: &Catalog) {
        let mut seen = BTreeSet::new();
        let mut variants: BTreeMap<String, &WindowsVersion> = BTreeMap::new();
        for v in &cat.versions {
            let variant = naming::upper_camel(&v.id);
            if !v.id.is_empty() && !naming::is_upper_camel(&variant) {
                self.err(
                    v.spans.at("id"),
                    "version.id",
                    format!(
                        "{:?} does not give a Rust name; expected an id starting with a letter, like \"windows-7\"",
                        v.id
                    ),
                );
            } else if let Some(prev) = variants.insert(variant.clone(), v) {
                if prev.id != v.id {
                    self.err(
                        v.spans.at("id"),
                        "version.id",
                        format!(
                            "Windows versions {:?} and {:?} would both be the Rust variant `{variant}`; choose distinct ids",
                            prev.id, v.id
                        ),
                    );
                }
            }
            if !seen.insert(&v.id) {
                self.err(
                    v.spans.at("id"),
                    "version.id",
                    format!("Windows version {:?} is defined twice", v.id),
                );
            }
            if v.id.is_empty()
                || !v
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                self.err(
                    v.spans.at("id"),
                    "version.id",
                    format!(
                        "expected a lower-case id like \"windows-server-2008-r2\", found {:?}",
                        v.id
                    ),
                );
            }
        }
    }

    fn interfaces(&mut self, cat: &Catalog) {
        let mut seen: HashMap<&str, &Interface> = HashMap::new();
        // Each interface's documented methods, gathered in one pass (catalog order kept).
        let mut methods_of: HashMap<&str, Vec<&Method>> = HashMap::new();
        for m in cat.methods.iter().filter(|m| m.kind == MethodKind::Method) {
            if let Some(i) = m.interface.as_deref() {
                methods_of.entry(i).or_default().push(m);
            }
        }
        // Interfaces whose slots are declared: a base others' slots follow must be one of them.
        let declared: BTreeSet<&str> = cat
            .interfaces
            .iter()
            .filter(|i| !i.vtable.is_empty())
            .map(|i| i.name.as_str())
            .collect();
        for i in &cat.interfaces {
            if !naming::is_ident(&i.name) {
                self.err(
                    i.spans.at("name"),
                    "interface.name",
                    format!(
                        "expected an interface name like \"IVssAsync\", found {:?}",
                        i.name
                    ),
                );
            }
            self.vtable(
                i,
                &declared,
                methods_of.get(i.name.as_str()).map_or(&[], Vec::as_slice),
            );
            if let Some(prev) = seen.insert(&i.name, i) {
                self.err(
                    i.spans.at("name"),
                    "interface.name",
                    format!(
                        "interface {:?} is defined twice (first at {})",
                        i.name, prev.spans.table
                    ),
                );
            }
        }
    }

    /// The interface's IID and vtable, and that each of its documented `methods` has a slot.
    fn vtable(&mut self, i: &Interface, declared: &BTreeSet<&str>, methods: &[&Method]) {
        if let Some(iid) = &i.iid {
            let groups: Vec<usize> = iid.split('-').map(str::len).collect();
            if groups != [8, 4, 4, 4, 12] || !iid.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
            {
                self.err(i.spans.at("iid"), "interface.iid", format!("expected a GUID like \"665c1d5f-c218-414d-a05d-7fef5f9d5c86\", found {iid:?}"));
            }
        }
        if i.vtable.is_empty() {
            return;
        }
        if RESERVED_INTERFACES.contains(&i.name.as_str()) {
            self.err(
                i.spans.at("name"),
                "interface.name",
                format!(
                    "{:?} is a name the generated COM declarations use themselves; an interface with a `vtable` needs another name",
                    i.name
                ),
            );
        }
        if i.iid.is_none() {
            self.err(
                i.spans.table.clone(),
                "interface.iid",
                "an interface with a `vtable` needs its `iid = \"…\"`",
            );
        }
        if let Some(base) = i.extends.as_deref().filter(|b| *b != "IUnknown") {
            if !declared.contains(base) {
                self.err(
                    i.spans.at("extends"),
                    "interface.extends",
                    format!("{base:?} has no `vtable`; declare its slots there, since {:?}'s follow them", i.name),
                );
            }
        }
        let mut names = BTreeSet::new();
        for s in &i.vtable {
            if !names.insert(s.name.as_str()) {
                self.err(
                    s.loc.clone(),
                    "interface.vtable",
                    format!(
                        "slot {:?} is declared twice; COM methods cannot be overloaded",
                        s.name
                    ),
                );
            }
            let mut rust_params = BTreeSet::new();
            for p in &s.params {
                let rust = naming::param_name(&p.name);
                if !naming::is_ident(&rust) || rust == "self" {
                    let gives = if rust.is_empty() {
                        "no Rust name".to_string()
                    } else {
                        format!("the Rust name `{rust}`, which is not usable")
                    };
                    self.err(
                        s.loc.clone(),
                        "interface.vtable",
                        format!(
                            "parameter {:?} in {:?} gives {gives}; rename the parameter",
                            p.name, s.decl
                        ),
                    );
                } else if !rust_params.insert(rust.clone()) {
                    self.err(
                        s.loc.clone(),
                        "interface.vtable",
                        format!(
                            "two parameters in {:?} give the Rust name `{rust}`; rename one",
                            s.decl
                        ),
                    );
                }
                if crate::ctypes::rust_type(p).is_none() {
                    self.err(s.loc.clone(), "interface.vtable", format!(
                        "unknown C type {:?} in {:?}; expected one of the types listed in codegen's ctypes module", p.c_type, s.decl));
                }
            }
        }
        for m in methods {
            if !names.contains(m.name.as_str()) {
                self.err(m.spans.at("name"), "method.name", format!("{} is documented but not in the interface's `vtable`; add its declaration there", m.qualified_name()));
            }
        }
    }

    fn methods(&mut self, cat: &Catalog) {
        // Looked up for every entry: hashed, since names share long prefixes (`VSS_E_…`); the
        // few places that list them for a suggestion sort them first.
        let codes: HashMap<&str, &Code> = cat.codes.iter().map(|c| (c.name.as_str(), c)).collect();
        let versions: BTreeSet<&str> = cat.versions.iter().map(|v| v.id.as_str()).collect();
        let interfaces: HashSet<&str> = cat.interfaces.iter().map(|i| i.name.as_str()).collect();
        let qualified: HashSet<String> = cat
            .methods
            .iter()
            .filter(|m| m.kind != MethodKind::WriterFailureSet)
            .map(|m| m.qualified_name())
            .collect();
        let mut seen: HashMap<(MethodKind, String), &Method> = HashMap::new();
        let mut types: HashMap<String, &Method> = HashMap::new();
        for m in &cat.methods {
            let q = m.qualified_name();
            if !naming::is_ident(&m.name) {
                self.err(
                    m.spans.at("name"),
                    "method.name",
                    format!(
                        "expected a method name like \"DoSnapshotSet\", found {:?}",
                        m.name
                    ),
                );
                continue;
            }
            if let Some(prev) = seen.insert((m.kind, q.clone()), m) {
                self.err(
                    m.spans.at("name"),
                    "method.name",
                    format!(
                        "{} {q:?} is defined twice (first at {})",
                        m.kind.as_str().replace('_', " "),
                        prev.spans.table
                    ),
                );
                continue;
            }
            if let Some(r) = &m.rust_name {
                if !naming::is_upper_camel(r) {
                    self.err(m.spans.at("rust_name"), "method.rust_name", format!("expected an UpperCamelCase Rust name like \"BackupComponentsSaveAsXml\", found {r:?}"));
                }
            }
            for ty in [
                naming::error_type(m),
                naming::outcome_type(m),
                naming::method_static(m),
            ] {
                if !naming::is_ident(&ty) || ty.ends_with('_') {
                    self.err(m.spans.at("name"), "method.rust_name", format!(
                        "{q:?} gives the Rust name `{ty}`, which is not usable; write `rust_name = \"…\"` (an UpperCamelCase name)"));
                    break;
                }
                if RESERVED_TYPES.contains(&ty.as_str()) {
                    self.err(m.spans.at("name"), "method.rust_name", format!(
                        "{q:?} would generate the Rust item `{ty}`, a name the generated code already uses; write `rust_name = \"…\"`"));
                    break;
                }
                if let Some(prev) = types.insert(ty.clone(), m) {
                    if !std::ptr::eq(prev, m) {
                        self.err(m.spans.at("name"), "method.rust_name", format!(
                            "{q:?} and {:?} would both generate the Rust item `{ty}`; write `rust_name = \"…\"` on one of them",
                            prev.qualified_name()));
                        break;
                    }
                }
            }
            if m.kind == MethodKind::WriterFailureSet {
                if let Some(i) = &m.interface {
                    if !interfaces.contains(i.as_str()) {
                        self.err(m.spans.at("interface"), "set.interface", format!("unknown interface {i:?}; define it in `catalog/interfaces/{i}.toml`"));
                    }
                }
            } else if !m.links.is_empty() {
                self.err(
                    m.links[0].spans.table.clone(),
                    "method.link",
                    "only writer-failure sets (`[[set]]`) have links",
                );
            }
            for l in &m.links {
                if !qualified.contains(&l.method) {
                    self.err(l.spans.at("method"), "set.link.method", format!("unknown method {:?}; expected a qualified name like \"IVssBackupComponents::GetWriterStatus\"", l.method));
                }
                if !LINK_DIRECTIONS.contains(&l.direction.as_str()) {
                    self.err(
                        l.spans.at("direction"),
                        "set.link.direction",
                        format!(
                            "expected one of {}, found {:?}",
                            quoted(LINK_DIRECTIONS),
                            l.direction
                        ),
                    );
                }
            }
            for f in &m.facts {
                if !FACT_KINDS.contains(&f.kind.as_str()) {
                    self.err(
                        f.spans.at("kind"),
                        "method.fact.kind",
                        format!("expected one of {}, found {:?}", quoted(FACT_KINDS), f.kind),
                    );
                }
                if let Some(other) = &f.method {
                    if !qualified.contains(other) {
                        self.err(f.spans.at("method"), "method.fact.method", format!("unknown method {other:?}; expected a qualified name like \"IVssBackupComponents::BackupComplete\""));
                    }
                }
            }
            if let Some(p) = &m.progress {
                if p != "percent" {
                    self.err(
                        m.spans.at("progress"),
                        "method.progress",
                        format!("expected \"percent\", found {p:?}"),
                    );
                }
            }
            self.entries(m, &m.returns, "returns", &codes, &versions);
            self.entries(m, &m.status, "status", &codes, &versions);
        }
    }

    fn entries(
        &mut self,
        m: &Method,
        entries: &[Entry],
        key: &str,
        codes: &HashMap<&str, &Code>,
        versions: &BTreeSet<&str>,
    ) {
        let q = m.qualified_name();
        let k = |s: &str| format!("method.{key}.{s}");
        let mut seen_codes: BTreeMap<&str, &Entry> = BTreeMap::new();
        let mut variants: BTreeMap<&str, &str> = BTreeMap::new();
        let mut outcomes: BTreeMap<&str, &str> = BTreeMap::new();
        let documented: BTreeSet<&str> = entries.iter().map(|e| e.code.as_str()).collect();
        // Each value a method's types classify (documented codes and fallbacks) must lead to
        // one code of one entry, or an HRESULT could not convert back to itself.
        let mut values: BTreeMap<u32, (&str, &str)> = BTreeMap::new();
        for e in entries {
            let Some(code) = codes.get(e.code.as_str()) else {
                let hint = naming::suggest(&e.code, &sorted_keys(codes))
                    .map(|s| format!("; did you mean {s:?}?"))
                    .unwrap_or_else(|| "; define it in `catalog/codes.toml`".into());
                self.err(
                    e.spans.at("code"),
                    &k("code"),
                    format!("undefined code {:?}{hint}", e.code),
                );
                continue;
            };
            let fallbacks: BTreeSet<&str> = e
                .os_notes
                .iter()
                .filter_map(|n| n.fallback.as_deref())
                .filter(|f| codes.contains_key(f))
                .collect();
            if fallbacks.len() > 1 {
                self.err(
                    e.spans.table.clone(),
                    &k("os_note.fallback"),
                    format!(
                        "{:?} names the fallbacks {}; an entry can have one fallback code",
                        e.code,
                        quoted(&fallbacks.iter().copied().collect::<Vec<_>>())
                    ),
                );
            }
            let classified = std::iter::once((*code, e.spans.at("code"), "code")).chain(
                fallbacks.iter().filter_map(|f| {
                    let n = e
                        .os_notes
                        .iter()
                        .find(|n| n.fallback.as_deref() == Some(f))?;
                    Some((*codes.get(f)?, n.spans.at("fallback"), "os_note.fallback"))
                }),
            );
            for (c, loc, key) in classified {
                if let Some(&(other, owner)) = values.get(&c.value) {
                    if other != c.name {
                        self.err(loc, &k(key), format!(
                            "{other:?} and {:?} both have the value 0x{:08X}, so {q} could not tell them apart; keep one", c.name, c.value));
                    } else if owner != e.code {
                        self.err(loc, &k(key), format!(
                            "{owner:?} and {:?} both fall back to {other:?}, so {q} could not tell them apart; keep one fallback", e.code));
                    }
                } else {
                    values.insert(c.value, (&c.name, &e.code));
                }
            }
            if let Some(prev) = seen_codes.insert(&e.code, e) {
                self.err(
                    e.spans.at("code"),
                    &k("code"),
                    format!(
                        "{:?} is documented twice for {q} (first at {}); merge the entries",
                        e.code, prev.spans.table
                    ),
                );
            }
            if code.is_failure() {
                if let Some(other) = variants.insert(&code.variant, &code.name) {
                    if other != code.name {
                        self.err(e.spans.at("code"), &k("code"), format!(
                            "{other:?} and {:?} would both be the variant `{}` of {q}'s error; give one code a distinct `variant`", code.name, code.variant));
                    }
                }
                if e.outcome.is_some() {
                    self.err(
                        e.spans.at("outcome"),
                        &k("outcome"),
                        format!(
                            "{:?} is a failure code; `outcome` is only for success codes",
                            e.code
                        ),
                    );
                }
            } else {
                match &e.outcome {
                    None => self.err(e.spans.table.clone(), &k("outcome"), format!(
                        "success code {:?} needs what it means for {q}; write `outcome = \"NotLoaded\"` (an UpperCamelCase name)", e.code)),
                    Some(o) if !naming::is_upper_camel(o) || RESERVED_VARIANTS.contains(&o.as_str()) => self.err(e.spans.at("outcome"), &k("outcome"), format!(
                        "expected an UpperCamelCase name other than `Other` and `OtherSuccess`, found {o:?}")),
                    Some(o) => {
                        if o == "Ok" && code.value != 0 {
                            self.err(e.spans.at("outcome"), &k("outcome"), "`Ok` is the outcome of S_OK; choose another name");
                        }
                        if let Some(other) = outcomes.insert(o, &code.name) {
                            self.err(e.spans.at("outcome"), &k("outcome"), format!("{other:?} and {:?} both have outcome `{o}`", code.name));
                        }
                    }
                }
            }
            if e.text.trim().is_empty() {
                self.err(
                    e.spans.at("text"),
                    &k("text"),
                    format!(
                        "expected {q}'s text for {:?}, found an empty string",
                        e.code
                    ),
                );
            }
            let says_async_only = e.text.contains(ASYNC_ONLY_PROSE);
            if says_async_only && !e.async_only {
                self.err(e.spans.table.clone(), &k("async_only"), "the text says the code is only returned via QueryStatus; write `async_only = true`");
            }
            if e.async_only && !says_async_only && !m.returns_async {
                self.err(e.spans.at("async_only"), &k("async_only"), format!("{q} does not return an IVssAsync; remove `async_only` or write `returns_async = true` on the method"));
            }
            match (&e.retry, retry_prose(&e.text), &e.retry_note) {
                (Some(r), prose, _) => {
                    if r.max_attempts == 0 || r.max_attempts > MAX_ATTEMPTS {
                        self.err(e.spans.at("retry"), &k("retry.max_attempts"), format!("expected 1 to {MAX_ATTEMPTS} attempts, found {}", r.max_attempts));
                    }
                    if r.wait_seconds == 0 || r.wait_seconds > MAX_WAIT_SECONDS {
                        self.err(e.spans.at("retry"), &k("retry.wait_seconds"), format!("expected a wait of 1 to {MAX_WAIT_SECONDS} seconds, found {}", r.wait_seconds));
                    }
                    if !prose {
                        self.err(e.spans.at("retry"), &k("retry"), "structured retry advice on a text that says nothing of retrying; remove `retry` or quote the advice in `text`");
                    }
                }
                (None, true, None) => self.err(e.spans.at("text"), &k("retry"),                     "the text advises a retry but has no structured advice; write `retry = { wait_seconds = 600, max_attempts = 3 }` or explain in `retry_note = \"…\"`"),
                (None, false, Some(_)) => self.err(e.spans.at("retry_note"), &k("retry_note"), "`retry_note` on a text that says nothing of retrying; remove it"),
                _ => {}
            }
            for n in &e.os_notes {
                if n.versions.is_empty() {
                    self.err(
                        n.spans.at("versions"),
                        &k("os_note.versions"),
                        "expected at least one Windows version id",
                    );
                }
                for ver in n.versions.iter().chain(&n.supported_from) {
                    if !versions.contains(ver.as_str()) {
                        let hint =
                            naming::suggest(ver, &versions.iter().copied().collect::<Vec<_>>())
                                .map(|s| format!("did you mean {s:?}?"))
                                .unwrap_or_else(|| "define it in `catalog/windows.toml`".into());
                        self.err(
                            n.spans.at("versions"),
                            &k("os_note.versions"),
                            format!("unknown Windows version {ver:?}; {hint}"),
                        );
                    }
                }
                if let Some(f) = &n.fallback {
                    if !codes.contains_key(f.as_str()) {
                        self.err(
                            n.spans.at("fallback"),
                            &k("os_note.fallback"),
                            format!(
                                "undefined fallback code {f:?}; define it in `catalog/codes.toml`"
                            ),
                        );
                    } else if f == &e.code || documented.contains(f.as_str()) {
                        self.err(n.spans.at("fallback"), &k("os_note.fallback"), format!("fallback {f:?} is itself documented by {q}; a fallback must be a code the method does not document"));
                    } else if codes
                        .get(f.as_str())
                        .is_some_and(|fc| fc.is_failure() != code.is_failure())
                    {
                        self.err(n.spans.at("fallback"), &k("os_note.fallback"), format!(
                            "fallback {f:?} and {:?} differ in severity; a failure falls back to a failure, a success to a success", e.code));
                    }
                }
            }
        }
    }
}

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("{i:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}
