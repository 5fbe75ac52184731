//! `cargo xtask import`: reads documentation pages, prints what they document (`--json`),
//! merges it into the catalog in place (`--write`, with `toml_edit`, keeping comments, order
//! and every key people wrote), or lists the drift between the pages and the catalog
//! (`--check`).

use crate::write::{write_if_changed, Status};
use codegen::import::{self, drift, Imported, ImportedMethod, List, PageText};
use codegen::model::{Catalog, Entry, MethodKind};
use codegen::naming;
use codegen::SourceFile;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use toml_edit::{value, Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table};

const USAGE: &str = "usage: cargo xtask import PATH… [--json | --write]
       cargo xtask import --check PATH…

PATH is a documentation page or a folder of sdk-api pages (nf-/nl-/nn-*.md).
  (no flag)  summarize what the pages document
  --json     print the documented methods as JSON (the `methods` of `export --json`)
  --write    merge them into the catalog, keeping what is there, and say what changed
  --check    list every difference between the pages and the catalog; fail if any";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Summary,
    Json,
    Write,
    Check,
}

/// Runs the subcommand with the arguments after `import`.
pub fn run(args: &[&str]) -> ExitCode {
    let mut mode = Mode::Summary;
    let mut paths = Vec::new();
    for a in args {
        let m = match *a {
            "--json" => Mode::Json,
            "--write" => Mode::Write,
            "--check" => Mode::Check,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if a.starts_with('-') => {
                eprintln!("error: unknown option {a:?}\n\n{USAGE}");
                return ExitCode::from(2);
            }
            _ => {
                paths.push(PathBuf::from(a));
                continue;
            }
        };
        if mode != Mode::Summary && mode != m {
            eprintln!("error: choose one of --json, --write and --check\n\n{USAGE}");
            return ExitCode::from(2);
        }
        mode = m;
    }
    if paths.is_empty() {
        eprintln!("error: no page given\n\n{USAGE}");
        return ExitCode::from(2);
    }
    let root = crate::workspace_root();
    let catalog_dir = root.join("catalog");
    let files = match codegen::source::read_dir(&catalog_dir) {
        Ok(f) => f,
        Err(d) => {
            eprint!("{d}");
            return ExitCode::FAILURE;
        }
    };
    let cat = match codegen::check(&files) {
        Ok(c) => c,
        Err(d) => {
            eprintln!("error: the catalog does not validate; fix it before importing\n{d}");
            return ExitCode::FAILURE;
        }
    };
    let (pages, mut failed) = read_pages(&paths);
    let imported = import::import(&pages, Some(&cat));
    failed.extend(imported.failed.iter().cloned());
    for (page, why) in &failed {
        eprintln!("error: {page}: cannot import: {why}");
    }
    report_rows(&imported);
    let ok = match mode {
        Mode::Summary => {
            summary(&imported);
            true
        }
        Mode::Json => {
            print!("{}", import::json(&imported));
            true
        }
        Mode::Check => {
            let diffs = drift::drift(&cat, &imported);
            for d in &diffs {
                println!("{d}");
            }
            let methods: BTreeSet<&str> = diffs.iter().map(|d| d.method.as_str()).collect();
            if diffs.is_empty() {
                eprintln!(
                    "no drift: the catalog agrees with the {} pages",
                    pages.len()
                );
            } else {
                eprintln!("{} differences in {} methods", diffs.len(), methods.len());
            }
            diffs.is_empty()
        }
        Mode::Write => write(&root, &files, &cat, &imported),
    };
    if ok && failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Reads the pages: files as given, folders' sdk-api pages (`nf-`, `nl-`, `nn-` `*.md`),
/// sorted by path. Unreadable paths are returned as failures.
fn read_pages(paths: &[PathBuf]) -> (Vec<PageText>, Vec<(String, String)>) {
    let mut files = Vec::new();
    let mut failed = Vec::new();
    for p in paths {
        if p.is_dir() {
            collect(p, &mut files, &mut failed);
        } else {
            files.push(p.clone());
        }
    }
    files.sort();
    files.dedup();
    let mut pages = Vec::new();
    for f in files {
        let label = f.display().to_string();
        match std::fs::read(&f) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => pages.push(PageText { label, text }),
                Err(_) => failed.push((label, "the page is not UTF-8 text".into())),
            },
            Err(e) => failed.push((label, format!("cannot read the page: {e}"))),
        }
    }
    (pages, failed)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>, failed: &mut Vec<(String, String)>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            failed.push((
                dir.display().to_string(),
                format!("cannot read the folder: {e}"),
            ));
            return;
        }
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            collect(&path, out, failed);
        } else if name.ends_with(".md") && ["nf-", "nl-", "nn-"].iter().any(|p| name.starts_with(p))
        {
            out.push(path);
        }
    }
}

/// Reports recovered and unrecovered rows of pages that lost their code names.
fn report_rows(imported: &Imported) {
    for m in &imported.methods {
        for u in &m.unnamed {
            let what = format!(
                "{}: {} {} row {}",
                m.page,
                m.method.qualified_name(),
                u.list.key(),
                u.row
            );
            match (&u.recovered, &u.unrecovered) {
                (Some(r), _) => eprintln!(
                    "{what}: recovered the lost code name {} ({})",
                    r.code, r.from
                ),
                (None, Some(why)) => {
                    eprintln!("warning: {what}: cannot recover the lost code name: {why}")
                }
                (None, None) => eprintln!(
                    "warning: {what}: the code name is lost; import with the catalog to recover it"
                ),
            }
        }
    }
}

fn summary(imported: &Imported) {
    for m in &imported.methods {
        match &m.no_codes {
            Some(why) => println!(
                "{}: {}: no codes ({why})",
                m.page,
                m.method.qualified_name()
            ),
            None => println!(
                "{}: {}: {} codes ({}){}",
                m.page,
                m.method.qualified_name(),
                m.method.returns.len() + m.method.status.len(),
                m.shape.as_str(),
                if m.unnamed.iter().any(|u| u.recovered.is_none()) {
                    ", some names lost"
                } else {
                    ""
                }
            ),
        }
    }
    for i in &imported.interfaces {
        println!(
            "interface {} (extends {})",
            i.name,
            i.extends.as_deref().unwrap_or("nothing stated")
        );
    }
}

/// Merges and writes; prints what changed. Nothing is written when the merged catalog would
/// not validate.
fn write(root: &Path, files: &[SourceFile], cat: &Catalog, imported: &Imported) -> bool {
    let headers = match headers() {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: {e}");
            return false;
        }
    };
    let plan = match merge(files, cat, imported, &headers) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: nothing was written: {e}");
            return false;
        }
    };
    for line in &plan.log {
        println!("{line}");
    }
    for e in &plan.skipped {
        eprintln!("warning: {e}");
    }
    for k in &plan.kept {
        eprintln!("note: {k}");
    }
    let mut ok = plan.skipped.is_empty();
    for (path, text) in &plan.files {
        match write_if_changed(&root.join(path), text) {
            Ok(Status::Written) => println!("wrote {path}"),
            Ok(Status::Unchanged) => {}
            Err(e) => {
                eprintln!("error: cannot write {path}: {e}");
                ok = false;
            }
        }
    }
    if plan.log.is_empty() {
        println!("the catalog already holds everything the pages document");
    }
    ok
}

/// A header value: the value and the header that defines it.
pub type Headers = BTreeMap<String, (u32, String)>;

/// Reads `#define NAME …0x…` values from the SDK headers (`vsserror.h`, `winerror.h`) in
/// `VSS_ERRORS_HEADERS` or mingw-w64's include folder (`scripts/ci-deps.sh` installs it).
pub fn headers() -> Result<Headers, String> {
    let dir = std::env::var_os("VSS_ERRORS_HEADERS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/share/mingw-w64/include"));
    let mut out = Headers::new();
    for name in ["vsserror.h", "winerror.h"] {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).map_err(|e| {
            format!(
                "cannot read {}: {e}; new codes take their values from it (run `bash scripts/ci-deps.sh` or set VSS_ERRORS_HEADERS)",
                path.display()
            )
        })?;
        parse_header(&String::from_utf8_lossy(&bytes), name, &mut out);
    }
    Ok(out)
}

/// Adds every `#define NAME <…>0x<hex>` of `text` (first definition wins).
pub fn parse_header(text: &str, header: &str, out: &mut Headers) {
    for (sym, v) in codegen::import::header::defines(text) {
        out.entry(sym.to_string())
            .or_insert((v, header.to_string()));
    }
}

/// The merged catalog files that changed, and what changed.
#[derive(Debug, Default)]
pub struct Plan {
    /// Path (as in the catalog's diagnostics, `catalog/…`) and new text, changed files only.
    pub files: BTreeMap<String, String>,
    /// One line per change.
    pub log: Vec<String>,
    /// What could not be merged and why (the rest was).
    pub skipped: Vec<String>,
    /// Documented codes deliberately not merged, and why.
    pub kept: Vec<String>,
}

/// Merges the imported methods into the catalog files: new methods (and interface files),
/// missing entries, missing `doc_page`/`returns_async`/`async_only`/`retry`/`os_note`, new
/// codes with their header values, and printed values that differ from the header as
/// discrepancies. Existing texts and hand-written keys are kept. Fails, naming every problem,
/// when the merged catalog would not validate.
pub fn merge(
    files: &[SourceFile],
    cat: &Catalog,
    imported: &Imported,
    headers: &Headers,
) -> Result<Plan, String> {
    let mut m = Merger {
        cat,
        headers,
        docs: BTreeMap::new(),
        plan: Plan::default(),
        added_codes: BTreeSet::new(),
        missing_codes: BTreeSet::new(),
    };
    for f in files {
        let doc: DocumentMut = f.text.parse().map_err(|e| format!("{}: {e}", f.path))?;
        m.docs.insert(f.path.clone(), doc);
    }
    let with_codes: Vec<&ImportedMethod> = dedup_methods(imported);
    m.codes(&with_codes);
    let rust_names = rust_names(cat, &with_codes);
    for im in &with_codes {
        m.method(im, rust_names.get(&im.method.qualified_name()), imported);
    }
    let mut sources = Vec::new();
    for (path, doc) in &m.docs {
        let text = doc.to_string();
        let old = files
            .iter()
            .find(|f| &f.path == path)
            .map(|f| f.text.as_str());
        if old != Some(text.as_str()) {
            m.plan.files.insert(path.clone(), text.clone());
        }
        sources.push(SourceFile::new(path.clone(), text));
    }
    if let Err(d) = codegen::check(&sources) {
        return Err(format!("the merged catalog would not validate:\n{d}"));
    }
    m.plan.skipped.sort();
    Ok(m.plan)
}

/// One imported method per qualified name (the sdk-api page wins over other copies), only
/// those that document codes.
fn dedup_methods(imported: &Imported) -> Vec<&ImportedMethod> {
    let mut by: BTreeMap<(MethodKind, String), &ImportedMethod> = BTreeMap::new();
    for im in &imported.methods {
        if im.method.returns.is_empty() && im.method.status.is_empty() {
            continue;
        }
        let k = (im.method.kind, im.method.qualified_name());
        let better = by
            .get(&k)
            .is_none_or(|prev| prev.method.doc_page.is_none() && im.method.doc_page.is_some());
        if better {
            by.insert(k, im);
        }
    }
    by.into_values().collect()
}

/// `rust_name`s for new methods whose default Rust items would clash with another method's:
/// the interface name without its `IVss`/`CVss`/`I` prefix, then the method name.
fn rust_names(cat: &Catalog, new: &[&ImportedMethod]) -> BTreeMap<String, String> {
    let exists = |im: &ImportedMethod| {
        cat.methods
            .iter()
            .any(|m| m.kind == im.method.kind && m.qualified_name() == im.method.qualified_name())
    };
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for m in &cat.methods {
        *count.entry(naming::error_type(m)).or_default() += 1;
    }
    let fresh: Vec<&&ImportedMethod> = new.iter().filter(|im| !exists(im)).collect();
    for im in &fresh {
        *count.entry(naming::error_type(&im.method)).or_default() += 1;
    }
    let mut out = BTreeMap::new();
    for im in fresh {
        if count[&naming::error_type(&im.method)] > 1 {
            let iface = im.method.interface.as_deref().unwrap_or("");
            let short = ["IVss", "CVss", "IVds", "I"]
                .iter()
                .find_map(|p| iface.strip_prefix(p))
                .unwrap_or(iface);
            out.insert(
                im.method.qualified_name(),
                format!("{short}{}", naming::upper_camel(&im.method.name)),
            );
        }
    }
    out
}

struct Merger<'a> {
    cat: &'a Catalog,
    headers: &'a Headers,
    docs: BTreeMap<String, DocumentMut>,
    plan: Plan,
    added_codes: BTreeSet<String>,
    missing_codes: BTreeSet<String>,
}

const CODES_FILE: &str = "catalog/codes.toml";
const FUNCTIONS_FILE: &str = "catalog/functions.toml";

impl Merger<'_> {
    fn defined(&self, code: &str) -> bool {
        self.cat.codes.iter().any(|c| c.name == code) || self.added_codes.contains(code)
    }

    /// Adds missing codes (header values only) and discrepancies for printed values.
    fn codes(&mut self, methods: &[&ImportedMethod]) {
        for im in methods {
            let entries = im.method.returns.iter().chain(&im.method.status);
            let mut names: Vec<(&str, &str)> = Vec::new();
            for e in entries {
                names.push((&e.code, &e.text));
                for n in &e.os_notes {
                    if let Some(f) = &n.fallback {
                        names.push((f, ""));
                    }
                }
            }
            for (code, text) in names {
                if self.defined(code) || self.missing_codes.contains(code) {
                    continue;
                }
                let Some((v, header)) = self.headers.get(code).cloned() else {
                    self.missing_codes.insert(code.to_string());
                    self.plan.skipped.push(format!(
                        "{code} ({}): not defined in vsserror.h or winerror.h; add its `[[code]]` to {CODES_FILE} by hand with the header's value (values are never guessed)",
                        im.page_name()
                    ));
                    continue;
                };
                let family = if header == "vsserror.h" { "vss" } else { "com" };
                let summary = code_summary(text);
                let mut t = Table::new();
                t.insert("name", value(code));
                t.insert("value", value(codegen::json::hex(v)));
                t.insert("family", value(family));
                t.insert("header", value(header.as_str()));
                t.insert("summary", value(summary.as_str()));
                t.decor_mut().set_prefix("\n");
                if let Some(aot) = self.aot(CODES_FILE, "code") {
                    aot.push(t);
                }
                self.added_codes.insert(code.to_string());
                self.plan.log.push(format!(
                    "{CODES_FILE}: added {code} = {} ({header}); its summary is the first sentence of {}'s text: review it",
                    codegen::json::hex(v),
                    im.method.qualified_name()
                ));
            }
            for (code, printed) in &im.printed {
                let recorded = match self.cat.codes.iter().find(|c| &c.name == code) {
                    Some(c) => {
                        c.value == *printed
                            || c.discrepancies
                                .iter()
                                .any(|d| d.documented_value == *printed)
                    }
                    None => self.headers.get(code).is_none_or(|(v, _)| v == printed),
                };
                if recorded || !self.defined(code) {
                    continue;
                }
                let source = im.page_name();
                let Some(aot) = self.aot(CODES_FILE, "code") else {
                    continue;
                };
                let Some(t) = aot
                    .iter_mut()
                    .find(|t| t.get("name").and_then(Item::as_str) == Some(code))
                else {
                    continue;
                };
                let mut d = Table::new();
                d.insert("source", value(source.as_str()));
                d.insert("documented_value", value(codegen::json::hex(*printed)));
                d.insert(
                    "note",
                    value("the document prints this value; the header value is kept"),
                );
                d.decor_mut().set_prefix("\n");
                match t
                    .get_mut("discrepancy")
                    .and_then(Item::as_array_of_tables_mut)
                {
                    Some(a) => a.push(d),
                    None => {
                        let mut a = ArrayOfTables::new();
                        a.push(d);
                        t.insert("discrepancy", Item::ArrayOfTables(a));
                    }
                }
                self.plan.log.push(format!(
                    "{CODES_FILE}: {code}: recorded the value {} printed by {source} as a discrepancy",
                    codegen::json::hex(*printed)
                ));
            }
        }
    }

    /// The array of tables `key` at the top of `file`, created when absent.
    fn aot(&mut self, file: &str, key: &str) -> Option<&mut ArrayOfTables> {
        let doc = self.docs.get_mut(file)?;
        if !doc.contains_key(key) {
            doc.insert(key, Item::ArrayOfTables(ArrayOfTables::new()));
        }
        doc.get_mut(key)?.as_array_of_tables_mut()
    }

    /// The file holding interface `name`'s methods, or holding function `name`.
    fn file_of(&self, im: &ImportedMethod) -> Option<String> {
        self.docs.iter().find_map(|(path, doc)| {
            let holds = match &im.method.interface {
                Some(i) => {
                    doc.get("interface")
                        .and_then(|t| t.get("name"))
                        .and_then(Item::as_str)
                        == Some(i.as_str())
                }
                None => doc
                    .get("function")
                    .and_then(Item::as_array_of_tables)
                    .is_some_and(|a| {
                        a.iter().any(|t| {
                            t.get("name").and_then(Item::as_str) == Some(im.method.name.as_str())
                        })
                    }),
            };
            holds.then(|| path.clone())
        })
    }

    fn method(&mut self, im: &ImportedMethod, rust_name: Option<&String>, imported: &Imported) {
        let q = im.method.qualified_name();
        let usable = |e: &&Entry| {
            !self.missing_codes.contains(&e.code)
                && e.os_notes.iter().all(|n| {
                    n.fallback
                        .as_ref()
                        .is_none_or(|f| !self.missing_codes.contains(f))
                })
        };
        let returns: Vec<Entry> = im.method.returns.iter().filter(usable).cloned().collect();
        let status: Vec<Entry> = im.method.status.iter().filter(usable).cloned().collect();
        let key = if im.method.kind == MethodKind::Function {
            "function"
        } else {
            "method"
        };
        let existing = self
            .cat
            .methods
            .iter()
            .find(|m| m.kind == im.method.kind && m.qualified_name() == q);
        if existing.is_none() {
            if let Some(i) = im.method.interface.as_deref() {
                if let Some(iface) = self.cat.interfaces.iter().find(|x| x.name == i) {
                    if !iface.vtable.is_empty()
                        && !iface.vtable.iter().any(|s| s.name == im.method.name)
                    {
                        self.plan.skipped.push(format!(
                            "{q} ({}): {i} has a `vtable` without {}; add its declaration there, then import again",
                            im.page_name(),
                            im.method.name
                        ));
                        return;
                    }
                }
            }
        }
        let file = match self.file_of(im) {
            Some(f) => f,
            None => match &im.method.interface {
                Some(i) => {
                    let path = format!("catalog/interfaces/{i}.toml");
                    self.docs
                        .insert(path.clone(), new_interface_file(i, im, imported));
                    self.plan
                        .log
                        .push(format!("created {path} with the `[interface]` of {i}"));
                    path
                }
                None => FUNCTIONS_FILE.to_string(),
            },
        };
        let Some(aot) = self.aot(&file, key) else {
            return;
        };
        let Some(pos) = aot
            .iter()
            .position(|t| t.get("name").and_then(Item::as_str) == Some(im.method.name.as_str()))
        else {
            let mut t = Table::new();
            t.decor_mut().set_prefix("\n");
            t.insert("name", value(im.method.name.as_str()));
            if let Some(r) = rust_name {
                t.insert("rust_name", value(r.as_str()));
            }
            if let (Some(h), MethodKind::Function) = (&im.method.header, im.method.kind) {
                t.insert("header", value(h.as_str()));
            }
            if let Some(p) = &im.method.doc_page {
                t.insert("doc_page", value(p.as_str()));
            }
            if im.method.returns_async {
                t.insert("returns_async", value(true));
            }
            let mut n = 0;
            for (list, entries) in [(List::Returns, &returns), (List::Status, &status)] {
                if entries.is_empty() {
                    continue;
                }
                let mut a = ArrayOfTables::new();
                for e in entries.iter() {
                    a.push(entry_table(e));
                    n += 1;
                }
                t.insert(list.key(), Item::ArrayOfTables(a));
            }
            aot.push(t);
            self.plan.log.push(format!(
                "{file}: added {q} ({n} codes, from {})",
                im.page_name()
            ));
            if let Some(r) = rust_name {
                self.plan.log.push(format!(
                    "{file}: {q}: rust_name = {r:?} (the default names would clash with another method's)"
                ));
            }
            for e in returns.iter().chain(&status) {
                if let Some(o) = &e.outcome {
                    self.plan.log.push(format!(
                        "{file}: {q} {}: outcome = {o:?} is a first draft: name what the code means for this method",
                        e.code
                    ));
                }
            }
            return;
        };
        let Some(t) = aot.get_mut(pos) else { return };
        let mut log = Vec::new();
        if let (Some(p), false) = (&im.method.doc_page, t.contains_key("doc_page")) {
            t.insert("doc_page", value(p.as_str()));
            log.push(format!("{file}: {q}: doc_page = {p:?}"));
        }
        if im.method.returns_async && !t.contains_key("returns_async") {
            t.insert("returns_async", value(true));
            log.push(format!("{file}: {q}: returns_async = true"));
        }
        let pinned = existing.and_then(|m| m.seed_section.as_deref());
        let mut kept = Vec::new();
        for (list, entries) in [(List::Returns, &returns), (List::Status, &status)] {
            match pinned {
                // The seed-004 check pins a seed method's codes and texts to the seed.
                Some(section) => {
                    let have = existing.map(|m| match list {
                        List::Returns => &m.returns,
                        List::Status => &m.status,
                    });
                    let extra: Vec<&str> = entries
                        .iter()
                        .filter(|e| have.is_some_and(|h| !h.iter().any(|x| x.code == e.code)))
                        .map(|e| e.code.as_str())
                        .collect();
                    if !extra.is_empty() {
                        kept.push(format!(
                            "{q}: kept the codes of seed 004's section {section:?}; the page also documents {}",
                            extra.join(", ")
                        ));
                    }
                }
                None => merge_entries(t, list, entries, &format!("{file}: {q}"), &mut log),
            }
        }
        self.plan.log.extend(log);
        self.plan.kept.extend(kept);
    }
}

/// How a page is named in the catalog: its sdk-api path, else its file name.
trait PageName {
    fn page_name(&self) -> String;
}

impl PageName for ImportedMethod {
    fn page_name(&self) -> String {
        self.method.doc_page.clone().unwrap_or_else(|| {
            Path::new(&self.page)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| self.page.clone())
        })
    }
}

/// Adds the entries a method's list lacks, each after the entry the page puts before it, and
/// fills `async_only`, `retry` and `os_note` where an existing entry has none.
fn merge_entries(t: &mut Table, list: List, entries: &[Entry], what: &str, log: &mut Vec<String>) {
    if entries.is_empty() {
        return;
    }
    let key = list.key();
    if !t.contains_key(key) {
        t.insert(key, Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let Some(aot) = t.get_mut(key).and_then(Item::as_array_of_tables_mut) else {
        log.push(format!(
            "{what}: `{key}` is not an array of tables; left alone"
        ));
        return;
    };
    let code_of = |t: &Table| t.get("code").and_then(Item::as_str).map(str::to_string);
    for (i, e) in entries.iter().enumerate() {
        let found = aot
            .iter()
            .position(|x| code_of(x).as_deref() == Some(e.code.as_str()));
        match found {
            Some(p) => {
                let Some(x) = aot.get_mut(p) else { continue };
                if e.async_only && !x.contains_key("async_only") {
                    x.insert("async_only", value(true));
                    log.push(format!("{what} {}: async_only = true", e.code));
                }
                if let Some(r) = e.retry {
                    if !x.contains_key("retry") && !x.contains_key("retry_note") {
                        x.insert("retry", retry_value(r));
                        log.push(format!(
                            "{what} {}: retry = {{ wait_seconds = {}, max_attempts = {} }}",
                            e.code, r.wait_seconds, r.max_attempts
                        ));
                    }
                }
                if !e.os_notes.is_empty() && !x.contains_key("os_note") {
                    x.insert("os_note", Item::ArrayOfTables(os_notes(e)));
                    log.push(format!(
                        "{what} {}: added {} os_note",
                        e.code,
                        e.os_notes.len()
                    ));
                }
            }
            None => {
                // After the nearest entry the page lists before this one.
                let at = entries[..i]
                    .iter()
                    .rev()
                    .find_map(|prev| {
                        aot.iter()
                            .position(|x| code_of(x).as_deref() == Some(prev.code.as_str()))
                    })
                    .map_or(0, |p| p + 1);
                aot.insert(at, entry_table(e));
                log.push(format!("{what}: added {} to `{key}`", e.code));
            }
        }
    }
}

fn retry_value(r: codegen::model::Retry) -> Item {
    let mut it = InlineTable::new();
    it.insert("wait_seconds", i64::from(r.wait_seconds).into());
    it.insert("max_attempts", i64::from(r.max_attempts).into());
    value(it)
}

fn str_array(items: &[String]) -> Item {
    let mut a = Array::new();
    for s in items {
        a.push(s.as_str());
    }
    value(a)
}

fn os_notes(e: &Entry) -> ArrayOfTables {
    let mut a = ArrayOfTables::new();
    for n in &e.os_notes {
        let mut t = Table::new();
        t.decor_mut().set_prefix("\n");
        t.insert("versions", str_array(&n.versions));
        if let Some(f) = &n.fallback {
            t.insert("fallback", value(f.as_str()));
        }
        if !n.supported_from.is_empty() {
            t.insert("supported_from", str_array(&n.supported_from));
        }
        t.insert("text", value(n.text.as_str()));
        a.push(t);
    }
    a
}

fn entry_table(e: &Entry) -> Table {
    let mut t = Table::new();
    t.decor_mut().set_prefix("\n");
    t.insert("code", value(e.code.as_str()));
    if let Some(o) = &e.outcome {
        t.insert("outcome", value(o.as_str()));
    }
    t.insert("text", value(e.text.as_str()));
    if e.async_only {
        t.insert("async_only", value(true));
    }
    if let Some(r) = e.retry {
        t.insert("retry", retry_value(r));
    }
    if let Some(n) = &e.retry_note {
        t.insert("retry_note", value(n.as_str()));
    }
    if !e.os_notes.is_empty() {
        t.insert("os_note", Item::ArrayOfTables(os_notes(e)));
    }
    t
}

/// A new interface file: a comment, and `[interface]` with the name, the header the page
/// names, and the base an imported interface page states.
fn new_interface_file(name: &str, im: &ImportedMethod, imported: &Imported) -> DocumentMut {
    let page = imported.interfaces.iter().find(|i| i.name == name);
    let mut text = format!(
        "# {name}: its methods and the codes each documents. Schema: README.md.\n\n[interface]\nname = {}\n",
        toml_str(name)
    );
    if let Some(h) = page
        .and_then(|p| p.header.clone())
        .or_else(|| im.header.clone())
    {
        text.push_str(&format!("header = {}\n", toml_str(&h)));
    }
    if let Some(e) = page.and_then(|p| p.extends.as_deref()) {
        text.push_str(&format!("extends = {}\n", toml_str(e)));
    }
    text.parse().unwrap_or_default()
}

fn toml_str(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}

/// A code's summary from a method's text: its first sentence, without the final period.
fn code_summary(text: &str) -> String {
    let first = text.lines().next().unwrap_or("");
    let sentence = match first.find(". ") {
        Some(i) => &first[..i],
        None => first,
    };
    let s = sentence.trim().trim_end_matches('.');
    if s.is_empty() {
        "Documented without a description".into()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODES: &str = "# Codes.\n\n[[code]]\nname = \"S_FALSE\"\nvalue = \"0x00000001\"\nfamily = \"com\"\nsummary = \"false\"\n\n[[code]]\nname = \"E_FAIL\"\nvalue = \"0x80004005\"\nfamily = \"com\"\nsummary = \"failed\"\n";
    const IFACE: &str = "# IVssA, by hand.\n\n[interface]\nname = \"IVssA\"\niid = \"00000000-0000-0000-0000-000000000001\"\n# in vtable order\nvtable = [\"Foo()\", \"Bar()\"]\n\n[[method]]\nname = \"Foo\"\n# hand-written note\n\n[[method.returns]]\ncode = \"E_FAIL\"\ntext = \"Kept as written.\"\n\n[[method]]\nname = \"Bar\"\nseed_section = \"Bar\"\n\n[[method.returns]]\ncode = \"E_FAIL\"\ntext = \"Seeded.\"\n";

    fn files() -> Vec<SourceFile> {
        vec![
            SourceFile::new("catalog/codes.toml", CODES),
            SourceFile::new("catalog/interfaces/IVssA.toml", IFACE),
        ]
    }

    fn page(title: &str, rows: &[(&str, &str)]) -> PageText {
        let rows: String = rows
            .iter()
            .map(|(c, t)| format!("<tr><td><dl><dt><b>{c}</b></dt></dl></td><td>{t}</td></tr>\n"))
            .collect();
        let uid = title.replace("::", ".");
        PageText {
            label: format!("/somewhere/{uid}.md"),
            text: format!("---\nUID: NF:vss.{uid}\ntitle: {title}\nreq.header: vss.h\n---\n## -returns\n<table>\n{rows}</table>\n"),
        }
    }

    fn headers() -> Headers {
        let mut h = Headers::new();
        parse_header("#define E_POINTER _HRESULT_TYPEDEF_(0x80004003L)\n#define E_FAIL _HRESULT_TYPEDEF_(0x80004005L)\n", "winerror.h", &mut h);
        h
    }

    fn run(pages: &[PageText], files: &[SourceFile]) -> Result<Plan, String> {
        let cat = codegen::check(files).expect("test catalog validates");
        let imported = import::import(pages, Some(&cat));
        merge(files, &cat, &imported, &headers())
    }

    #[test]
    fn merges_in_place_keeping_comments_texts_and_unknown_keys() {
        let pages = [page(
            "IVssA::Foo",
            &[
                ("S_FALSE", "Nothing."),
                ("E_FAIL", "Reworded."),
                ("E_POINTER", "A pointer is NULL. Really."),
            ],
        )];
        let plan = run(&pages, &files()).unwrap();
        let iface = &plan.files["catalog/interfaces/IVssA.toml"];
        assert!(iface.starts_with("# IVssA, by hand.\n"));
        assert!(iface.contains("# in vtable order\nvtable = [\"Foo()\", \"Bar()\"]"));
        assert!(iface.contains("# hand-written note"));
        assert!(
            iface.contains("text = \"Kept as written.\""),
            "existing texts are kept:\n{iface}"
        );
        // Document order: S_FALSE before E_FAIL, E_POINTER after it; Bar untouched after Foo.
        let order: Vec<usize> = [
            "code = \"S_FALSE\"",
            "code = \"E_FAIL\"",
            "code = \"E_POINTER\"",
            "name = \"Bar\"",
        ]
        .iter()
        .map(|k| {
            iface
                .find(k)
                .unwrap_or_else(|| panic!("{k} missing:\n{iface}"))
        })
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{iface}");
        assert!(iface.contains("outcome = \"False\""));
        assert!(iface.contains("doc_page = \"vss/nf-vss-ivssa-foo.md\""));
        let codes = &plan.files["catalog/codes.toml"];
        assert!(codes.contains("name = \"E_POINTER\"\nvalue = \"0x80004003\"\nfamily = \"com\"\nheader = \"winerror.h\"\nsummary = \"A pointer is NULL\""), "{codes}");
        assert!(plan
            .log
            .iter()
            .any(|l| l.contains("added E_POINTER to `returns`")));
        // Merging the result again changes nothing.
        let merged: Vec<SourceFile> = files()
            .into_iter()
            .map(|f| {
                SourceFile::new(
                    f.path.clone(),
                    plan.files.get(&f.path).cloned().unwrap_or(f.text),
                )
            })
            .collect();
        let again = run(&pages, &merged).unwrap();
        assert!(
            again.files.is_empty() && again.log.is_empty(),
            "{:?}",
            again.log
        );
    }

    #[test]
    fn new_interfaces_get_a_file_and_clashing_names_a_rust_name() {
        let pages = [page("IVssB::Foo", &[("E_FAIL", "No.")])];
        let plan = run(&pages, &files()).unwrap();
        let b = &plan.files["catalog/interfaces/IVssB.toml"];
        assert!(b.starts_with("# IVssB: its methods and the codes each documents. Schema: README.md.\n\n[interface]\nname = \"IVssB\"\nheader = \"vss.h\"\n"), "{b}");
        assert!(
            b.contains("[[method]]\nname = \"Foo\"\nrust_name = \"BFoo\"\n"),
            "{b}"
        );
        assert!(!plan.files.contains_key("catalog/codes.toml"));
    }

    #[test]
    fn seed_methods_vtables_and_unknown_values_are_reported_not_merged() {
        let pages = [
            page(
                "IVssA::Bar",
                &[("E_FAIL", "Seeded."), ("S_FALSE", "Extra.")],
            ),
            page("IVssA::Baz", &[("E_FAIL", "No.")]),
            page(
                "IVssC::Qux",
                &[("VSS_E_MADE_UP", "Unknown."), ("E_FAIL", "Known.")],
            ),
        ];
        let plan = run(&pages, &files()).unwrap();
        assert!(plan.kept[0].contains("IVssA::Bar: kept the codes of seed 004's section \"Bar\"; the page also documents S_FALSE"), "{:?}", plan.kept);
        assert_eq!(plan.skipped.len(), 2, "{:?}", plan.skipped);
        assert!(plan
            .skipped
            .iter()
            .any(|s| s.contains("IVssA has a `vtable` without Baz")));
        assert!(plan.skipped.iter().any(|s| s.starts_with(
            "VSS_E_MADE_UP (vss/nf-vss-ivssc-qux.md): not defined in vsserror.h or winerror.h"
        )));
        let c = &plan.files["catalog/interfaces/IVssC.toml"];
        assert!(
            c.contains("code = \"E_FAIL\"") && !c.contains("VSS_E_MADE_UP"),
            "{c}"
        );
        assert!(!plan.files["catalog/interfaces/IVssA.toml"].contains("Extra."));
    }

    #[test]
    fn header_defines_are_read() {
        let mut h = Headers::new();
        parse_header("#define VSS_E_BAD_STATE ((HRESULT)0x80042301)\n#define VSS_E_BAD_STATE ((HRESULT)0x1)\n#define NOT_A_VALUE foo\n", "vsserror.h", &mut h);
        assert_eq!(h["VSS_E_BAD_STATE"], (0x80042301, "vsserror.h".to_string()));
        assert_eq!(h.len(), 1);
    }
}
