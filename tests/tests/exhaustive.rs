//! Every one of the 2^32 HRESULT values through the code lookups (`Code::from_hresult` in
//! each family, `Code::readings`) and through the largest per-method error enum: nothing
//! panics, converting back gives the same HRESULT, and each documented code is found exactly
//! where the catalog puts it. Too slow for debug builds; CI runs it with
//! `cargo test --release -p workspace-tests --test exhaustive`.

use std::ops::RangeInclusive;
use std::time::Instant;
use vss_errors::{Code, Family, Method, HRESULT};

/// Splits `0..=u32::MAX` into one range per available core, runs `check` on each in its own
/// scoped thread and returns the per-range results.
fn over_every_value<T: Send>(check: impl Fn(RangeInclusive<u32>) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) as u64;
    let span = (1u64 << 32).div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|i| {
                let start = i * span;
                let end = ((i + 1) * span).min(1 << 32) - 1;
                let check = &check;
                s.spawn(move || check(start as u32..=end as u32))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a checking thread panicked"))
            .collect()
    })
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "2^32 values: run with --release (cargo test --release -p workspace-tests --test exhaustive)"
)]
fn every_hresult_through_the_code_lookups() {
    let started = Instant::now();
    let tallies = over_every_value(|range| {
        let (mut found, mut readings) = (0usize, 0usize);
        for v in range {
            let hr = HRESULT(v as i32);
            for &family in Family::ALL {
                if let Some(c) = Code::from_hresult(family, hr) {
                    assert!(
                        c.value() == v && c.family() == family,
                        "0x{v:08X} in {family:?} looked up {c:?}"
                    );
                    assert_eq!(c.hresult(), hr, "{c:?} does not convert back");
                    found += 1;
                }
            }
            for &c in Code::readings(hr) {
                assert!(
                    c.value() == v && Code::from_hresult(c.family(), hr) == Some(c),
                    "0x{v:08X} has the reading {c:?}, which its family does not give"
                );
                readings += 1;
            }
        }
        (found, readings)
    });
    let found: usize = tallies.iter().map(|t| t.0).sum();
    let readings: usize = tallies.iter().map(|t| t.1).sum();
    // Every code is found once by value in its family, and is one reading of its value.
    assert_eq!(found, Code::ALL.len());
    assert_eq!(readings, Code::ALL.len());
    eprintln!(
        "code lookups: 2^32 values in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// The method whose error enum has the most variants (documented failure codes plus the
/// fallback codes that classify as one of them).
fn largest_error_enum() -> &'static Method {
    let failures = |m: &Method| {
        m.entries
            .iter()
            .filter(|e| !e.code.is_success())
            .map(|e| 1 + e.os_notes.iter().filter(|n| n.fallback.is_some()).count())
            .sum::<usize>()
    };
    Method::all()
        .iter()
        .copied()
        .max_by_key(|m| (failures(m), m.qualified_name()))
        .expect("the catalog has methods")
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "2^32 values: run with --release (cargo test --release -p workspace-tests --test exhaustive)"
)]
fn every_hresult_through_the_largest_error_enum() {
    let method = largest_error_enum();
    let failure_entries: Vec<_> = method
        .entries
        .iter()
        .filter(|e| !e.code.is_success())
        .collect();
    let fallbacks = failure_entries
        .iter()
        .flat_map(|e| e.os_notes.iter())
        .filter(|n| n.fallback.is_some())
        .count();
    assert!(
        failure_entries.len() >= 10,
        "{} documents only {} failures",
        method.qualified_name(),
        failure_entries.len()
    );
    let started = Instant::now();
    let tallies = over_every_value(|range| {
        let (mut documented, mut fallback, mut other, mut successes) = (0usize, 0usize, 0u64, 0u64);
        for v in range {
            let hr = HRESULT(v as i32);
            match method.classify(hr) {
                Ok(outcome) => {
                    assert!(v < 0x8000_0000, "failure 0x{v:08X} classified as success");
                    assert_eq!(outcome.hresult(), hr, "outcome of 0x{v:08X}");
                    if let Some(e) = outcome.entry() {
                        assert_eq!(e.code.value(), v, "outcome entry of 0x{v:08X}");
                    }
                    successes += 1;
                }
                Err(e) => {
                    assert!(v >= 0x8000_0000, "success 0x{v:08X} classified as failure");
                    assert_eq!(e.hresult(), hr, "error of 0x{v:08X} does not convert back");
                    match e.entry() {
                        Some(entry) if e.is_fallback() => {
                            assert!(
                                entry
                                    .os_notes
                                    .iter()
                                    .any(|n| n.fallback.is_some_and(|f| f.value() == v)),
                                "0x{v:08X} is no fallback of {:?}",
                                entry.code
                            );
                            fallback += 1;
                        }
                        Some(entry) => {
                            assert_eq!(entry.code.value(), v, "entry of 0x{v:08X}");
                            documented += 1;
                        }
                        None => other += 1,
                    }
                }
            }
        }
        (documented, fallback, other, successes)
    });
    let documented: usize = tallies.iter().map(|t| t.0).sum();
    let fallback: usize = tallies.iter().map(|t| t.1).sum();
    let other: u64 = tallies.iter().map(|t| t.2).sum();
    let successes: u64 = tallies.iter().map(|t| t.3).sum();
    // Each documented failure code is exactly one value, each fallback code too; everything
    // else splits into the undocumented failures and the successes by the severity bit.
    assert_eq!(documented, failure_entries.len());
    assert_eq!(fallback, fallbacks);
    assert_eq!(other, (1u64 << 31) - (documented + fallback) as u64);
    assert_eq!(successes, 1u64 << 31);
    eprintln!(
        "{} ({} failure codes, {} fallbacks): 2^32 values in {:.1} s",
        method.rust_type,
        failure_entries.len(),
        fallbacks,
        started.elapsed().as_secs_f64()
    );
}
