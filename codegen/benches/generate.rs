//! Generate bench: load + validate + emit + format for the full catalog and for synthetic
//! catalogs 10× and 100× larger, built here by cloning every code, interface, function and
//! writer-failure set under new names. Prints the cost ratios after criterion's report.

// The benches' shared helpers live with vss-errors' benches; the two crates share the file.
#[path = "../../vss-errors/benches/support/mod.rs"]
mod support;

use codegen::SourceFile;
use criterion::{BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};
use toml_edit::{DocumentMut, Item, Table, Value};

/// The allocator `cargo xtask` generates with, so the bench measures what the tool does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The real catalog, read once; reading files is not part of what is measured.
fn catalog() -> Vec<SourceFile> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog");
    match codegen::source::read_dir(&dir) {
        Ok(files) => files,
        Err(d) => {
            eprintln!("cannot read the catalog: {d}");
            std::process::exit(1);
        }
    }
}

/// Names a copy must rename, collected from the whole catalog.
struct Names {
    codes: Vec<String>,
    interfaces: Vec<String>,
    functions: Vec<String>,
}

fn names(files: &[SourceFile]) -> Names {
    let mut n = Names {
        codes: Vec::new(),
        interfaces: Vec::new(),
        functions: Vec::new(),
    };
    for f in files {
        let Ok(doc) = f.text.parse::<DocumentMut>() else {
            continue;
        };
        let name_of = |t: &Table| t.get("name").and_then(Item::as_str).map(str::to_string);
        n.codes.extend(tables(&doc, "code").filter_map(name_of));
        n.functions
            .extend(tables(&doc, "function").filter_map(name_of));
        if let Some(i) = doc.get("interface").and_then(Item::as_table) {
            n.interfaces.extend(name_of(i));
        }
    }
    n
}

fn tables<'a>(doc: &'a DocumentMut, key: &str) -> impl Iterator<Item = &'a Table> {
    doc.get(key)
        .and_then(Item::as_array_of_tables)
        .into_iter()
        .flat_map(|a| a.iter())
}

/// Copy `k` of the catalog (k ≥ 1): every record under a new name (`…_K3`, `…K3`), codes with
/// new values, interfaces with new IIDs, texts made distinct; Windows versions stay shared.
fn copy(files: &[SourceFile], names: &Names, k: usize) -> Vec<SourceFile> {
    let mut out = Vec::new();
    for f in files {
        let Ok(mut doc) = f.text.parse::<DocumentMut>() else {
            continue;
        };
        doc.remove("version");
        let cx = Copy { names, k };
        if let Some(codes) = doc.get_mut("code").and_then(Item::as_array_of_tables_mut) {
            // S_OK stays shared: the catalog gives it a meaning of its own (the `Ok` outcome).
            codes.retain(|t| t.get("name").and_then(Item::as_str) != Some(SHARED_CODE));
            for (i, t) in codes.iter_mut().enumerate() {
                cx.code(t, i);
            }
        }
        if let Some(i) = doc.get_mut("interface").and_then(Item::as_table_mut) {
            cx.interface(i);
        }
        for key in ["method", "function", "set"] {
            if let Some(records) = doc.get_mut(key).and_then(Item::as_array_of_tables_mut) {
                for t in records.iter_mut() {
                    cx.record(t, key != "method");
                    cx.references(t);
                }
            }
        }
        if doc.iter().next().is_some() {
            out.push(SourceFile::new(
                format!(
                    "catalog/copy{k}/{}",
                    f.path.strip_prefix("catalog/").unwrap_or(&f.path)
                ),
                doc.to_string(),
            ));
        }
    }
    out
}

/// The one code every copy shares instead of cloning.
const SHARED_CODE: &str = "S_OK";

struct Copy<'a> {
    names: &'a Names,
    k: usize,
}

impl Copy<'_> {
    fn code_name(&self, name: &str) -> String {
        if name != SHARED_CODE && self.names.codes.iter().any(|c| c == name) {
            format!("{name}_K{}", self.k)
        } else {
            name.to_string()
        }
    }

    fn interface_name(&self, name: &str) -> String {
        if self.names.interfaces.iter().any(|i| i == name) {
            format!("{name}K{}", self.k)
        } else {
            name.to_string()
        }
    }

    /// `Interface::Method` or a function's name.
    fn method_ref(&self, name: &str) -> String {
        match name.split_once("::") {
            Some((i, m)) => format!("{}::{m}", self.interface_name(i)),
            None if self.names.functions.iter().any(|f| f == name) => {
                format!("{name}K{}", self.k)
            }
            None => name.to_string(),
        }
    }

    fn code(&self, t: &mut Table, index: usize) {
        set_str(t, "name", |s| self.code_name(s));
        set_str(t, "variant", |s| format!("{s}K{}", self.k));
        set_str(t, "value", |s| {
            let old = u32::from_str_radix(s.trim_start_matches("0x"), 16).unwrap_or(0);
            let new = (old & 0x8000_0000) | 0x2000_0000 | ((self.k as u32) << 12) | index as u32;
            format!("0x{new:08X}")
        });
    }

    fn interface(&self, t: &mut Table) {
        set_str(t, "name", |s| self.interface_name(s));
        set_str(t, "extends", |s| self.interface_name(s));
        set_str(t, "iid", |s| {
            let (first, rest) = s.split_at(s.find('-').unwrap_or(0));
            let v = u32::from_str_radix(first, 16).unwrap_or(0) ^ (self.k as u32 * 0x9E37_79B1);
            format!("{v:08x}{rest}")
        });
    }

    /// A method, function or set: its Rust names get the copy's suffix.
    fn record(&self, t: &mut Table, rename: bool) {
        let Some(name) = t.get("name").and_then(Item::as_str).map(str::to_string) else {
            return;
        };
        let base = t
            .get("rust_name")
            .and_then(Item::as_str)
            .map_or_else(|| codegen::naming::upper_camel(&name), str::to_string);
        t.insert("rust_name", toml_edit::value(format!("{base}K{}", self.k)));
        if rename {
            t.insert("name", toml_edit::value(format!("{name}K{}", self.k)));
        }
    }

    /// Codes, methods and interfaces referred to below a record, and its texts.
    fn references(&self, t: &mut Table) {
        set_str(t, "code", |s| self.code_name(s));
        set_str(t, "fallback", |s| self.code_name(s));
        set_str(t, "method", |s| self.method_ref(s));
        set_str(t, "interface", |s| self.interface_name(s));
        set_str(t, "text", |s| format!("{s} (copy {})", self.k));
        for (_, item) in t.iter_mut() {
            match item {
                Item::ArrayOfTables(a) => a.iter_mut().for_each(|t| self.references(t)),
                Item::Table(t) => self.references(t),
                _ => {}
            }
        }
    }
}

fn set_str(t: &mut Table, key: &str, f: impl FnOnce(&str) -> String) {
    if let Some(Item::Value(Value::String(s))) = t.get(key) {
        let new = f(s.value());
        t.insert(key, toml_edit::value(new));
    }
}

/// The full pipeline on in-memory files: what `cargo xtask codegen` does, less the I/O.
fn generate(files: &[SourceFile]) -> Vec<codegen::GeneratedFile> {
    let catalog = match codegen::check(files) {
        Ok(c) => c,
        Err(d) => {
            eprintln!("the synthetic catalog does not validate:\n{d}");
            std::process::exit(1);
        }
    };
    match codegen::emit::generate(&catalog) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("cannot generate: {e}");
            std::process::exit(1);
        }
    }
}

/// One untimed-by-criterion run of the full catalog, split into its phases, for the report.
fn phases(input: &[SourceFile]) {
    let t = Instant::now();
    let Ok(cat) = codegen::check(input) else {
        return;
    };
    let checked = t.elapsed();
    let t = Instant::now();
    let out = codegen::emit::generate(&cat).unwrap_or_default();
    let emitted = t.elapsed();
    let entries: usize = cat
        .methods
        .iter()
        .map(|m| m.returns.len() + m.status.len())
        .sum();
    let bytes: usize = out.iter().map(|f| f.contents.len()).sum();
    println!(
        "catalog: {} files, {} methods, {entries} entries, {} codes -> {bytes} bytes of Rust; \
         one run: load+validate {:.1} ms, emit+format {:.1} ms",
        input.len(),
        cat.methods.len(),
        cat.codes.len(),
        checked.as_secs_f64() * 1e3,
        emitted.as_secs_f64() * 1e3
    );
}

fn scaled(files: &[SourceFile], names: &Names, factor: usize) -> Vec<SourceFile> {
    let mut out = files.to_vec();
    for k in 1..factor {
        out.extend(copy(files, names, k));
    }
    out
}

/// Prints the paired ratio of the `factor`× catalog to the 1× one: each round generates the
/// 1× catalog `reps` times, the larger one once, and the 1× one `reps` times again.
fn report_paired(factor: usize, one: &[SourceFile], big: &[SourceFile], rounds: usize, reps: u32) {
    let p = support::paired(
        rounds,
        (reps, &mut || {
            black_box(generate(one));
        }),
        (1, &mut || {
            black_box(generate(big));
        }),
    );
    println!(
        "RATIO generate {factor}x / 1x, paired = {:.1} median of {} rounds (middle half {:.1}-{:.1}; \
         linear: {factor}; target for 100x: at most 120); 1x {:.1} ms, {factor}x {:.1} ms",
        p.median,
        p.rounds,
        p.low,
        p.high,
        p.a_ns / 1e6,
        p.b_ns / 1e6
    );
}

fn main() {
    let start = SystemTime::now();
    let files = catalog();
    let names = names(&files);
    let factors = [1usize, 10, 100];
    let mut c = Criterion::default()
        .output_directory(&support::output_dir())
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let inputs: Vec<Vec<SourceFile>> = factors
        .iter()
        .map(|&factor| scaled(&files, &names, factor))
        .collect();
    let mut g = c.benchmark_group("generate");
    for (factor, input) in factors.iter().zip(&inputs) {
        phases(input);
        let methods = match codegen::check(input) {
            Ok(c) => c.methods.len(),
            Err(_) => 0,
        };
        g.throughput(Throughput::Elements(methods as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{factor}x")),
            input,
            |b, input| b.iter(|| black_box(generate(input))),
        );
    }
    g.finish();
    c.final_summary();
    let Some(one) = support::mean_ns("generate", "1x", start) else {
        return;
    };
    for factor in &factors[1..] {
        if let Some(t) = support::mean_ns("generate", &format!("{factor}x"), start) {
            println!(
                "RATIO generate {factor}x / 1x = {:.1} (criterion means; linear: {factor}); \
                 1x {:.1} ms, {factor}x {:.1} ms",
                t / one,
                one / 1e6,
                t / 1e6
            );
        }
    }
    println!(
        "RATIO generate 1x = {:.1} ms (target: under 50 ms)",
        one / 1e6
    );
    if let [one, ten, hundred] = &inputs[..] {
        report_paired(10, one, ten, 10, 5);
        report_paired(100, one, hundred, 5, 10);
    }
}
