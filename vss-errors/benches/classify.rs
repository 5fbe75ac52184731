//! Classify bench: HRESULT → a method's typed error and its retry advice, over a realistic mix
//! of documented, undocumented and success codes, against a `HashMap<HRESULT, &Entry>`
//! baseline built from the same catalog tables. Prints the ratio after criterion's report.

mod support;

use criterion::{Criterion, Throughput};
use std::collections::HashMap;
use std::hint::black_box;
use std::time::SystemTime;
use vss_errors::methods::{
    DoSnapshotSetError, GatherWriterMetadataError, LoadFromXmlError, PrepareForBackupError,
};
use vss_errors::{Code, Entry, Method, MethodError, Retry, HRESULT};

/// What both sides compute per code, folded into a number so neither can skip work:
/// 0 success, 1 failure without advice, otherwise the advice.
fn fold(r: Result<(), Option<Retry>>) -> u64 {
    let failed = r.is_err();
    let advice = r.err().flatten().map_or(0, |a| {
        u64::from(a.wait_seconds) * 101 + u64::from(a.max_attempts)
    });
    u64::from(failed) + (advice << 1)
}

fn typed<E: MethodError>(hr: HRESULT) -> u64 {
    fold(E::classify(hr).map(|_| ()).map_err(MethodError::retry))
}

/// The methods of the mixed bench, in the order of their index in [`Sample`].
fn typed_any(method: u8, hr: HRESULT) -> u64 {
    match method {
        0 => typed::<DoSnapshotSetError>(hr),
        1 => typed::<PrepareForBackupError>(hr),
        2 => typed::<GatherWriterMetadataError>(hr),
        _ => typed::<LoadFromXmlError>(hr),
    }
}

fn methods() -> [&'static Method; 4] {
    [
        DoSnapshotSetError::METHOD,
        PrepareForBackupError::METHOD,
        GatherWriterMetadataError::METHOD,
        LoadFromXmlError::METHOD,
    ]
}

/// The obvious alternative: one hash map per method from HRESULT to its documented entry
/// (older Windows' fallback values map to the entry they stand for).
struct Baseline {
    maps: Vec<HashMap<HRESULT, &'static Entry>>,
}

impl Baseline {
    fn new(methods: &[&'static Method]) -> Baseline {
        let maps = methods
            .iter()
            .map(|m| {
                let mut map = HashMap::new();
                for e in m.entries.iter().chain(m.status) {
                    map.insert(e.code.hresult(), e);
                    for fallback in e.os_notes.iter().filter_map(|n| n.fallback) {
                        map.entry(fallback.hresult()).or_insert(e);
                    }
                }
                map
            })
            .collect();
        Baseline { maps }
    }

    fn classify(&self, method: u8, hr: HRESULT) -> u64 {
        let Some(map) = self.maps.get(usize::from(method)) else {
            return 0;
        };
        fold(match map.get(&hr) {
            Some(e) if e.code.is_success() => Ok(()),
            Some(e) => Err(e.retry),
            None if hr.0 < 0 => Err(None),
            None => Ok(()),
        })
    }
}

/// A deterministic shuffle (xorshift), so the order is mixed but the same in every run.
fn shuffle<T>(items: &mut [T]) {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        items.swap(i, (state % (i as u64 + 1)) as usize);
    }
}

/// One method's realistic mix of `n` codes: half documented (its entries and fallbacks,
/// round robin), a quarter failures it does not document (codes of other methods and
/// unknown values), a quarter success codes (mostly `S_OK`).
fn mix(method: &Method, n: usize) -> Vec<HRESULT> {
    let mut documented: Vec<HRESULT> = Vec::new();
    for e in method.entries.iter().chain(method.status) {
        documented.push(e.code.hresult());
        documented.extend(
            e.os_notes
                .iter()
                .filter_map(|n| n.fallback)
                .map(Code::hresult),
        );
    }
    let mut undocumented: Vec<HRESULT> = Code::ALL
        .iter()
        .filter(|c| !c.is_success() && !documented.contains(&c.hresult()))
        .map(|c| c.hresult())
        .take(6)
        .collect();
    undocumented.extend([0x8007_0002_u32, 0x8BAD_F00D].map(|v| HRESULT(v as i32)));
    let success = [0, 0, 0, 1, 0x0004_230A].map(HRESULT);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let hr = match i % 4 {
            0 | 1 => documented[(i / 2) % documented.len()],
            2 => undocumented[(i / 4) % undocumented.len()],
            _ => success[(i / 4) % success.len()],
        };
        out.push(hr);
    }
    shuffle(&mut out);
    out
}

fn bench(c: &mut Criterion) {
    let methods = methods();
    let baseline = Baseline::new(&methods);

    // One method: IVssBackupComponents::DoSnapshotSet, the call whose errors carry advice.
    let one: Vec<HRESULT> = mix(methods[0], 64);
    let expected: u64 = one.iter().map(|&hr| baseline.classify(0, hr)).sum();
    let got: u64 = one.iter().map(|&hr| typed::<DoSnapshotSetError>(hr)).sum();
    assert_eq!(got, expected, "typed and baseline must agree on every code");
    let mut g = c.benchmark_group("classify");
    g.throughput(Throughput::Elements(one.len() as u64));
    g.bench_function("typed", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for &hr in black_box(&one) {
                sum = sum.wrapping_add(typed::<DoSnapshotSetError>(hr));
            }
            black_box(sum)
        })
    });
    g.bench_function("hashmap", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for &hr in black_box(&one) {
                sum = sum.wrapping_add(baseline.classify(0, hr));
            }
            black_box(sum)
        })
    });
    g.finish();

    // Four methods interleaved: the typed call is picked per sample, as code handling several
    // calls does.
    let mut four: Vec<(u8, HRESULT)> = Vec::new();
    for (i, m) in methods.iter().enumerate() {
        four.extend(mix(m, 32).into_iter().map(|hr| (i as u8, hr)));
    }
    shuffle(&mut four);
    let expected: u64 = four.iter().map(|&(m, hr)| baseline.classify(m, hr)).sum();
    let got: u64 = four.iter().map(|&(m, hr)| typed_any(m, hr)).sum();
    assert_eq!(got, expected, "typed and baseline must agree on every code");
    let mut g = c.benchmark_group("classify_4_methods");
    g.throughput(Throughput::Elements(four.len() as u64));
    g.bench_function("typed", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for &(m, hr) in black_box(&four) {
                sum = sum.wrapping_add(typed_any(m, hr));
            }
            black_box(sum)
        })
    });
    g.bench_function("hashmap", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for &(m, hr) in black_box(&four) {
                sum = sum.wrapping_add(baseline.classify(m, hr));
            }
            black_box(sum)
        })
    });
    g.finish();
}

fn main() {
    let start = SystemTime::now();
    let mut c = support::criterion();
    bench(&mut c);
    c.final_summary();
    support::report_ratio(
        "classify (DoSnapshotSet, 64 codes)",
        ("classify", "typed"),
        "hashmap",
        64,
        start,
    );
    support::report_ratio(
        "classify (4 methods, 128 codes)",
        ("classify_4_methods", "typed"),
        "hashmap",
        128,
        start,
    );
}
