//! Shared by the vss-errors benches: criterion configured for a small shared machine, and the
//! ratios against each bench's baseline, read back from criterion's estimates of this run.

use criterion::Criterion;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

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
