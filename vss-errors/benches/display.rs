//! Display bench: an error's message written into one reused `String`, against `to_string()`
//! (a fresh `String` per message) as the baseline. Prints the ratio after criterion's report.

mod support;

use criterion::{Criterion, Throughput};
use std::fmt::Write;
use std::hint::black_box;
use std::time::SystemTime;
use vss_errors::methods::{DoSnapshotSetError, LoadFromXmlError, PrepareForBackupError};
use vss_errors::{Code, MethodError, HRESULT};

/// A message to display: one of the methods' errors, type-erased behind `Display`.
type Shown = Box<dyn std::fmt::Display>;

fn errors_of<E: MethodError>(values: &[u32]) -> Vec<Shown> {
    values
        .iter()
        .filter_map(|&v| E::classify(HRESULT(v as i32)).err())
        .map(|e| Box::new(e) as Shown)
        .collect()
}

/// Documented codes (with the fallback E_UNEXPECTED), failures documented elsewhere, and
/// values the catalog does not know, for three methods.
fn mix() -> Vec<Shown> {
    let mut values: Vec<u32> = Code::ALL
        .iter()
        .filter(|c| !c.is_success())
        .map(|c| c.value())
        .collect();
    values.extend([0x8000_FFFF, 0x8007_0002, 0x8BAD_F00D]);
    let mut out = errors_of::<DoSnapshotSetError>(&values);
    out.extend(errors_of::<PrepareForBackupError>(&values));
    out.extend(errors_of::<LoadFromXmlError>(&values));
    out
}

/// One pass writing every message into `s`, cleared before each.
#[inline(never)]
fn pass_reused(errors: &[Shown], s: &mut String) -> usize {
    let mut total = 0usize;
    for e in black_box(errors) {
        s.clear();
        let _ = write!(s, "{e}");
        total += s.len();
    }
    total
}

/// One pass making a fresh `String` per message.
#[inline(never)]
fn pass_to_string(errors: &[Shown]) -> usize {
    let mut total = 0usize;
    for e in black_box(errors) {
        total += e.to_string().len();
    }
    total
}

fn bench(c: &mut Criterion, errors: &[Shown]) {
    let bytes: usize = errors.iter().map(|e| e.to_string().len()).sum();
    let mut g = c.benchmark_group("display");
    g.throughput(Throughput::Elements(errors.len() as u64));
    g.bench_function("reused_string", |b| {
        let mut s = String::new();
        b.iter(|| black_box(pass_reused(errors, &mut s)))
    });
    g.bench_function("to_string", |b| {
        b.iter(|| black_box(pass_to_string(errors)))
    });
    g.finish();
    println!(
        "display mix: {} messages, {} bytes, {:.0} bytes per message",
        errors.len(),
        bytes,
        bytes as f64 / errors.len().max(1) as f64
    );
}

fn main() {
    let start = SystemTime::now();
    let errors = mix();
    let n = errors.len();
    let mut c = support::criterion();
    bench(&mut c, &errors);
    c.final_summary();
    support::report_ratio(
        "display",
        ("display", "reused_string"),
        "to_string",
        n,
        start,
    );
    if !support::measuring() {
        return;
    }
    let mut s = String::new();
    let p = support::paired(
        500,
        (20, &mut || {
            black_box(pass_reused(&errors, &mut s));
        }),
        (20, &mut || {
            black_box(pass_to_string(&errors));
        }),
    );
    let per = n.max(1) as f64;
    println!(
        "RATIO display, paired: to_string / reused_string = {:.1}x median of {} rounds \
         (middle half {:.1}-{:.1}x; reused_string {:.1} ns, to_string {:.1} ns per element)",
        p.median,
        p.rounds,
        p.low,
        p.high,
        p.a_ns / per,
        p.b_ns / per
    );
}
