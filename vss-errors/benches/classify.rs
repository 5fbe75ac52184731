//! Classify bench: HRESULT → a method's typed error and its retry advice, over a realistic mix
//! of documented, undocumented and success codes, against a `HashMap<HRESULT, &Entry>`
//! baseline built from the same catalog tables. Prints the ratio after criterion's report.

mod support;

use criterion::{Criterion, Throughput};
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
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
        match self.maps.get(usize::from(method)) {
            Some(map) => map_lookup(map, hr),
            None => 0,
        }
    }
}

/// The baseline's map with std's SipHash under fixed keys: a hasher type of its own, so its
/// hashing has a single caller and the compiler inlines it whole into the loop.
type InlineMap = HashMap<HRESULT, &'static Entry, BuildHasherDefault<DefaultHasher>>;

/// Both baselines' lookup: the entry's advice, folded. Whether the hashing is inlined too
/// depends on the hasher type (see [`InlineMap`]).
#[inline(always)]
fn map_lookup<S: BuildHasher>(map: &HashMap<HRESULT, &'static Entry, S>, hr: HRESULT) -> u64 {
    fold(match map.get(&hr) {
        Some(e) if e.code.is_success() => Ok(()),
        Some(e) => Err(e.retry),
        None if hr.0 < 0 => Err(None),
        None => Ok(()),
    })
}

/// The floor any per-code table can reach in this loop: a hand-written perfect hash over the
/// method's failure values whose slots hold the advice itself, folded like the other sides.
/// No API, no enum, no `Result`; what the typed path costs above it is ours.
struct Floor {
    multiplier: u32,
    keys: [u32; 32],
    advice: [Option<Retry>; 32],
}

impl Floor {
    fn new(method: &Method) -> Floor {
        let mut rows: Vec<(u32, Option<Retry>)> = Vec::new();
        for e in method.entries.iter().filter(|e| !e.code.is_success()) {
            rows.push((e.code.value(), e.retry));
            for fallback in e.os_notes.iter().filter_map(|n| n.fallback) {
                rows.push((fallback.value(), e.retry));
            }
        }
        let slot = |v: u32, m: u32| (v.wrapping_mul(m) >> 27) as usize;
        let multiplier = (1..u32::MAX)
            .step_by(2)
            .find(|&m| {
                let mut used = [false; 32];
                rows.iter()
                    .all(|&(v, _)| !std::mem::replace(&mut used[slot(v, m)], true))
            })
            .unwrap_or(1);
        // Empty slots hold a success value, which no failure code equals.
        let mut floor = Floor {
            multiplier,
            keys: [0; 32],
            advice: [None; 32],
        };
        for &(v, advice) in &rows {
            floor.keys[slot(v, multiplier)] = v;
            floor.advice[slot(v, multiplier)] = advice;
        }
        floor
    }

    #[inline(always)]
    fn classify(&self, hr: HRESULT) -> u64 {
        let v = hr.0 as u32;
        let slot = (v.wrapping_mul(self.multiplier) >> 27) as usize & 31;
        fold(if self.keys[slot] == v {
            Err(self.advice[slot])
        } else if hr.0 < 0 {
            Err(None)
        } else {
            Ok(())
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

/// The inputs of both groups, checked so that typed and baseline agree on every code.
struct Inputs {
    baseline: Baseline,
    /// The one-method map again, for the inlined lookup.
    inline: InlineMap,
    floor: Floor,
    /// IVssBackupComponents::DoSnapshotSet, the call whose errors carry advice.
    one: Vec<HRESULT>,
    /// Four methods interleaved: the typed call is picked per sample, as code handling several
    /// calls does.
    four: Vec<(u8, HRESULT)>,
}

fn inputs() -> Inputs {
    let methods = methods();
    let baseline = Baseline::new(&methods);
    let one: Vec<HRESULT> = mix(methods[0], 64);
    let mut four: Vec<(u8, HRESULT)> = Vec::new();
    for (i, m) in methods.iter().enumerate() {
        four.extend(mix(m, 32).into_iter().map(|hr| (i as u8, hr)));
    }
    shuffle(&mut four);
    let inline = baseline.maps.first().map_or_else(InlineMap::default, |m| {
        m.iter().map(|(&k, &v)| (k, v)).collect()
    });
    let floor = Floor::new(methods[0]);
    let inputs = Inputs {
        baseline,
        inline,
        floor,
        one,
        four,
    };
    let expected: u64 = inputs
        .one
        .iter()
        .map(|&hr| inputs.baseline.classify(0, hr))
        .sum();
    assert_eq!(
        pass_typed(&inputs.one),
        expected,
        "typed and baseline must agree"
    );
    assert_eq!(pass_inline(&inputs), expected, "both baselines must agree");
    assert_eq!(pass_floor(&inputs), expected, "the floor must agree");
    let expected: u64 = inputs
        .four
        .iter()
        .map(|&(m, hr)| inputs.baseline.classify(m, hr))
        .sum();
    let got: u64 = inputs.four.iter().map(|&(m, hr)| typed_any(m, hr)).sum();
    assert_eq!(got, expected, "typed and baseline must agree on every code");
    inputs
}

// The passes are never inlined, so that criterion and the paired rounds time the same
// machine code.

/// The loop every pass runs: each code through `one`, folded answers summed.
#[inline(always)]
fn sum_over(codes: &[HRESULT], one: impl Fn(HRESULT) -> u64) -> u64 {
    let mut sum = 0u64;
    for &hr in black_box(codes) {
        sum = sum.wrapping_add(one(hr));
    }
    sum
}

/// One pass over the one-method mix, typed.
#[inline(never)]
fn pass_typed(one: &[HRESULT]) -> u64 {
    sum_over(one, typed::<DoSnapshotSetError>)
}

/// One pass over the one-method mix, the baseline as a program calls it.
#[inline(never)]
fn pass_hashmap(inputs: &Inputs) -> u64 {
    sum_over(&inputs.one, |hr| inputs.baseline.classify(0, hr))
}

/// One pass over the one-method mix, the baseline inlined whole.
#[inline(never)]
fn pass_inline(inputs: &Inputs) -> u64 {
    sum_over(&inputs.one, |hr| map_lookup(&inputs.inline, hr))
}

/// One pass over the one-method mix, the floor.
#[inline(never)]
fn pass_floor(inputs: &Inputs) -> u64 {
    sum_over(&inputs.one, |hr| inputs.floor.classify(hr))
}

fn bench(c: &mut Criterion, inputs: &Inputs) {
    let mut g = c.benchmark_group("classify");
    g.throughput(Throughput::Elements(inputs.one.len() as u64));
    g.bench_function("typed", |b| b.iter(|| black_box(pass_typed(&inputs.one))));
    g.bench_function("hashmap", |b| b.iter(|| black_box(pass_hashmap(inputs))));
    g.bench_function("hashmap_inlined", |b| {
        b.iter(|| black_box(pass_inline(inputs)))
    });
    g.bench_function("floor", |b| b.iter(|| black_box(pass_floor(inputs))));
    g.finish();

    let four = &inputs.four;
    let mut g = c.benchmark_group("classify_4_methods");
    g.throughput(Throughput::Elements(four.len() as u64));
    g.bench_function("typed", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for &(m, hr) in black_box(four) {
                sum = sum.wrapping_add(typed_any(m, hr));
            }
            black_box(sum)
        })
    });
    g.bench_function("hashmap", |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for &(m, hr) in black_box(four) {
                sum = sum.wrapping_add(inputs.baseline.classify(m, hr));
            }
            black_box(sum)
        })
    });
    g.finish();
}

/// A pass over the one-method mix, for the paired rounds: its name, how many times a round
/// runs it (so each side takes about as long), and the pass.
type Side<'a> = (&'a str, u32, &'a mut dyn FnMut());

/// Prints the paired ratio of `slow` to `fast` over the one-method mix.
fn report_paired((fast, fast_reps, a): Side, (slow, slow_reps, b): Side) {
    let p = support::paired(2000, (fast_reps, a), (slow_reps, b));
    let n = 64.0;
    println!(
        "RATIO classify (DoSnapshotSet, 64 codes, paired): {slow} / {fast} = {:.1}x median of {} \
         rounds (middle half {:.1}-{:.1}x; {fast} {:.2} ns, {slow} {:.2} ns per element)",
        p.median,
        p.rounds,
        p.low,
        p.high,
        p.a_ns / n,
        p.b_ns / n
    );
}

fn main() {
    let start = SystemTime::now();
    let inputs = inputs();
    let mut c = support::criterion();
    bench(&mut c, &inputs);
    c.final_summary();
    support::report_ratio(
        "classify (DoSnapshotSet, 64 codes)",
        ("classify", "typed"),
        "hashmap",
        64,
        start,
    );
    support::report_ratio(
        "classify (DoSnapshotSet, 64 codes)",
        ("classify", "typed"),
        "hashmap_inlined",
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
    if !support::measuring() {
        return;
    }
    let typed = &mut || {
        black_box(pass_typed(&inputs.one));
    };
    let hashmap = &mut || {
        black_box(pass_hashmap(&inputs));
    };
    let inlined = &mut || {
        black_box(pass_inline(&inputs));
    };
    let floor = &mut || {
        black_box(pass_floor(&inputs));
    };
    // The rounds favour neither side: a pass paired with itself gives 1.0x.
    let again = &mut || {
        black_box(pass_typed(&inputs.one));
    };
    report_paired(("typed", 200, typed), ("typed", 200, again));
    report_paired(("typed", 200, typed), ("hashmap", 20, hashmap));
    report_paired(("typed", 200, typed), ("hashmap_inlined", 30, inlined));
    report_paired(("floor", 200, floor), ("typed", 200, typed));
    report_paired(("floor", 200, floor), ("hashmap_inlined", 30, inlined));
}
