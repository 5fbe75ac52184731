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

fn bench(c: &mut Criterion) -> usize {
    let errors = mix();
    let bytes: usize = errors.iter().map(|e| e.to_string().len()).sum();
    let mut g = c.benchmark_group("display");
    g.throughput(Throughput::Elements(errors.len() as u64));
    g.bench_function("reused_string", |b| {
        let mut s = String::new();
        b.iter(|| {
            let mut total = 0usize;
            for e in black_box(&errors) {
                s.clear();
                let _ = write!(s, "{e}");
                total += s.len();
            }
            black_box(total)
        })
    });
    g.bench_function("to_string", |b| {
        b.iter(|| {
            let mut total = 0usize;
            for e in black_box(&errors) {
                total += e.to_string().len();
            }
            black_box(total)
        })
    });
    g.finish();
    println!(
        "display mix: {} messages, {} bytes, {:.0} bytes per message",
        errors.len(),
        bytes,
        bytes as f64 / errors.len().max(1) as f64
    );
    errors.len()
}

fn main() {
    let start = SystemTime::now();
    let mut c = support::criterion();
    let n = bench(&mut c);
    c.final_summary();
    support::report_ratio(
        "display",
        ("display", "reused_string"),
        "to_string",
        n,
        start,
    );
}
