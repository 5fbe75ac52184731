//! `explain --scan --json` on a 100 MB synthetic log: throughput as a ratio against
//! `grep -cE '0x[0-9A-Fa-f]{8}'` on the same file in the same run (target: at least a third),
//! and peak memory after a 10 MB and after a 100 MB scan (flat: the ratio stays near 1).
//!
//! `cargo bench -p vss-errors-cli --bench scan`; with `--test` (as `cargo test --benches`
//! passes) it scans 1 MB once and checks only that both sides agree on the file.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Writes `bytes` of log: mostly noise that looks like codes and is not, one HRESULT line in
/// twenty, and a `vssadmin list writers` block now and then.
fn write_log(path: &Path, bytes: u64) -> io::Result<u64> {
    let mut out = BufWriter::new(File::create(path)?);
    let mut written = 0u64;
    let mut n = 0u64;
    let mut hex_lines = 0u64;
    while written < bytes {
        n += 1;
        let line = match n % 20 {
            0 => {
                hex_lines += 1;
                format!("2026-12-06 01:{:02}:{:02} DoSnapshotSet failed: HRESULT(0x80042306) after {n} ms\n", n % 60, n % 59)
            }
            7 => format!("2026-12-06 01:{:02}:{:02} retry gave -2147212538 for volume \\\\?\\Volume{{6d4d3a5b-8f9e-4b3e-a5f2-{:012x}}}\\\n", n % 60, n % 59, n),
            13 => "Writer name: 'System Writer'\n   Writer Id: {e8132975-6f93-4464-a53e-1050253ae220}\n   State: [9] Failed\n   Last error: Timed out\n".to_string(),
            _ => {
                hex_lines += 1;
                format!("2026-12-06 01:{:02}:{:02} worker {} ioctl 0x0053c008 addr 0x00007ff6{:08x} event ID 8193 took {} us\n", n % 60, n % 59, n % 16, n, n % 977)
            }
        };
        out.write_all(line.as_bytes())?;
        written += line.len() as u64;
    }
    out.flush()?;
    Ok(hex_lines)
}

/// Peak resident memory of this process so far (`VmHWM`, kB), where /proc has it.
fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn scan_once(path: &Path) -> (Duration, u8) {
    let args: Vec<OsString> = ["vss-errors", "explain", "--scan", "--json"]
        .iter()
        .map(OsString::from)
        .chain([path.as_os_str().to_owned()])
        .collect();
    let mut stdin = io::empty();
    let start = Instant::now();
    let status = vss_errors_cli::cli::run(args, &mut stdin, &mut io::sink(), &mut io::sink());
    (start.elapsed(), status)
}

fn grep_once(path: &Path) -> (Duration, u64) {
    let start = Instant::now();
    let out = Command::new("grep")
        .args(["-cE", "0x[0-9A-Fa-f]{8}"])
        .arg(path)
        .env("LC_ALL", "C")
        .output()
        .expect("grep runs");
    let t = start.elapsed();
    let count = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    (t, count)
}

fn main() -> io::Result<()> {
    let quick = std::env::args().any(|a| a == "--test");
    let dir = std::env::temp_dir().join(format!("vss-errors-scan-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let small = dir.join("10mb.log");
    let big = dir.join("100mb.log");
    let (small_bytes, big_bytes) = if quick {
        (1 << 20, 1 << 20)
    } else {
        (10 << 20, 100 << 20)
    };
    write_log(&small, small_bytes)?;
    let hex_lines = write_log(&big, big_bytes)?;
    let size = std::fs::metadata(&big)?.len();

    let (_, grep_count) = grep_once(&big);
    assert_eq!(
        grep_count, hex_lines,
        "grep counts the lines with 0x and 8 hex digits"
    );
    let (_, status) = scan_once(&small);
    assert_eq!(status, 0, "the scan finds codes");
    if quick {
        std::fs::remove_dir_all(&dir)?;
        println!("scan bench: quick check passed");
        return Ok(());
    }
    let after_small = peak_kb();
    let rounds = 5;
    let mut ours = Vec::new();
    let mut grep = Vec::new();
    for _ in 0..rounds {
        grep.push(grep_once(&big).0);
        ours.push(scan_once(&big).0);
    }
    let after_big = peak_kb();
    std::fs::remove_dir_all(&dir)?;

    let best = |v: &[Duration]| v.iter().min().copied().unwrap_or_default();
    let mb = size as f64 / (1 << 20) as f64;
    let (ours_t, grep_t) = (best(&ours), best(&grep));
    let ours_rate = mb / ours_t.as_secs_f64();
    let grep_rate = mb / grep_t.as_secs_f64();
    println!(
        "scan --json: {mb:.0} MB in {:.3} s ({ours_rate:.0} MB/s), best of {rounds}",
        ours_t.as_secs_f64()
    );
    println!(
        "grep -cE:    {mb:.0} MB in {:.3} s ({grep_rate:.0} MB/s), best of {rounds}",
        grep_t.as_secs_f64()
    );
    println!(
        "RATIO scan throughput / grep throughput: {:.2} (target >= 0.33)",
        ours_rate / grep_rate
    );
    if let (Some(a), Some(b)) = (after_small, after_big) {
        println!(
            "RATIO peak memory after 100 MB / after 10 MB: {:.2} ({} kB / {} kB; flat is ~1.0)",
            b as f64 / a as f64,
            b,
            a
        );
    }
    Ok(())
}
