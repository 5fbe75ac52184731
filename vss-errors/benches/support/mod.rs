//! Shared by the vss-errors benches: criterion configured for a small shared machine, and the
//! ratios against each bench's baseline, read back from criterion's estimates of this run and
//! measured again in paired rounds. Shared by the codegen bench too.

// Each bench uses some of these.
#![allow(dead_code)]

use criterion::Criterion;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

/// Where criterion writes its results: `$CRITERION_HOME`, else `criterion/` in the target
/// folder the bench binary was built into (`<target>/release/deps/<bench>`).
pub fn output_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().nth(3).map(|t| t.join("criterion")))
        .unwrap_or_else(|| PathBuf::from("target/criterion"))
}

/// Criterion with modest times (the machine has 2 shared cores); command-line flags such as
/// `--measurement-time` still override them.
pub fn criterion() -> Criterion {
    Criterion::default()
        .output_directory(&output_dir())
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args()
}

/// The mean time of one iteration of `group/id` in nanoseconds, if this very run (since
/// `since`) measured it; `None` in `--test` mode, under a filter that skipped it, or when
/// the estimates cannot be read.
pub fn mean_ns(group: &str, id: &str, since: SystemTime) -> Option<f64> {
    let path = output_dir()
        .join(group)
        .join(id)
        .join("new")
        .join("estimates.json");
    let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
    if modified < since {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("mean")?.get("point_estimate")?.as_f64()
}

/// Prints `fast` against `baseline` (both `group/id`), per element of `elements`:
/// the ratio first, then each time per element.
pub fn report_ratio(
    what: &str,
    (group, fast): (&str, &str),
    baseline: &str,
    elements: usize,
    since: SystemTime,
) {
    let (Some(f), Some(b)) = (mean_ns(group, fast, since), mean_ns(group, baseline, since)) else {
        return;
    };
    let n = elements.max(1) as f64;
    println!(
        "RATIO {what}: {baseline} / {fast} = {:.1}x  ({fast} {:.2} ns, {baseline} {:.2} ns per element)",
        b / f,
        f / n,
        b / n
    );
}

/// The spread of per-round ratios from [`paired`]: the median and the middle half.
pub struct Paired {
    pub rounds: usize,
    pub median: f64,
    pub low: f64,
    pub high: f64,
    /// Median time per call of each side, in nanoseconds.
    pub a_ns: f64,
    pub b_ns: f64,
}

/// Times `b` against `a` back to back, so that the machine's drift between the two cancels:
/// each round runs `a` `a_reps` times, `b` `b_reps` times and `a` again, and divides `b`'s time
/// per call by the mean of `a`'s two. `rounds` is at least 1.
pub fn paired(
    rounds: usize,
    (a_reps, a): (u32, &mut dyn FnMut()),
    (b_reps, b): (u32, &mut dyn FnMut()),
) -> Paired {
    let time = |reps: u32, f: &mut dyn FnMut()| {
        let start = Instant::now();
        for _ in 0..reps {
            f();
        }
        start.elapsed().as_secs_f64() * 1e9 / f64::from(reps.max(1))
    };
    let rounds = rounds.max(1);
    let (mut ratios, mut a_ns, mut b_ns) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let before = time(a_reps, a);
        let tb = time(b_reps, b);
        let after = time(a_reps, a);
        let ta = (before + after) / 2.0;
        ratios.push(tb / ta);
        a_ns.push(ta);
        b_ns.push(tb);
    }
    Paired {
        rounds,
        median: quantile(&mut ratios, 0.5),
        low: quantile(&mut ratios, 0.25),
        high: quantile(&mut ratios, 0.75),
        a_ns: quantile(&mut a_ns, 0.5),
        b_ns: quantile(&mut b_ns, 0.5),
    }
}

fn quantile(xs: &mut [f64], q: f64) -> f64 {
    xs.sort_by(f64::total_cmp);
    let i = ((xs.len().saturating_sub(1)) as f64 * q).round() as usize;
    xs.get(i).copied().unwrap_or(f64::NAN)
}

/// Whether this run measures (`cargo bench`), rather than only checking that each bench runs
/// (`cargo test --benches`, criterion's `--test`) or listing them.
pub fn measuring() -> bool {
    !std::env::args().any(|a| a == "--test" || a == "--list")
}
