//! Runs the whole backup workflow against the fault-injecting VSS, following the catalog's
//! advice with simulated time: one line per attempt, the outcome, then the number of shadow
//! copies the simulated machine still holds.
//!
//! ```text
//! cargo run -p vss-errors --example simulate -- --fault DoSnapshotSet=VSS_E_FLUSH_WRITES_TIMEOUT:2
//! cargo run -p vss-errors --example simulate -- --fault DoSnapshotSet=VSS_E_FLUSH_WRITES_TIMEOUT:5
//! cargo run -p vss-errors --example simulate -- --writer-fault "Registry Writer=VSS_E_WRITERERROR_TIMEOUT" --keep
//! ```

use std::process::ExitCode;
use vss_errors::com::BackupComponents;
use vss_errors::fake::{FakeVss, Fault, WriterFault};
use vss_errors::workflow::session::CONTEXT_APP_ROLLBACK;
use vss_errors::workflow::{run_backup, RetryDriver, SessionOptions, SimulatedClock};

const USAGE: &str = "usage: simulate [--fault METHOD=CODE[:TIMES]]... [--writer-fault NAME=CODE]... [--volume V]... [--keep]";

fn main() -> ExitCode {
    let vss = FakeVss::new();
    let mut volumes = Vec::new();
    let mut keep = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let result = match arg.as_str() {
            "--fault" => args
                .next()
                .ok_or_else(|| "--fault needs METHOD=CODE[:TIMES]".to_string())
                .and_then(|s| {
                    Fault::parse(&s)
                        .and_then(|f| vss.inject(f))
                        .map_err(|e| format!("--fault {s}: {e}"))
                }),
            "--writer-fault" => args
                .next()
                .ok_or_else(|| "--writer-fault needs NAME=CODE".to_string())
                .and_then(|s| {
                    WriterFault::parse(&s)
                        .and_then(|f| vss.inject_writer(f))
                        .map_err(|e| format!("--writer-fault {s}: {e}"))
                }),
            "--volume" => args
                .next()
                .map(|v| volumes.push(v))
                .ok_or_else(|| "--volume needs a volume like C:\\".to_string()),
            "--keep" => {
                keep = true;
                Ok(())
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => Err(format!("unknown argument {other:?}")),
        };
        if let Err(e) = result {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    if volumes.is_empty() {
        volumes.push("C:\\".to_string());
    }
    let mut opts = SessionOptions::new(volumes);
    // Persistent snapshots, the kind that leaks when a tool forgets to clean up.
    opts.context = CONTEXT_APP_ROLLBACK;
    opts.keep = keep;

    let clock = SimulatedClock::new();
    let mut driver = RetryDriver::new(&clock).on_attempt(|a| match (&a.failure, a.next_wait) {
        (None, _) => println!("attempt {}: succeeded at {} s", a.number, a.at.as_secs()),
        (Some(e), Some(w)) => println!(
            "attempt {}: failed at {} s: {e}; retrying after {} s as advised",
            a.number,
            a.at.as_secs(),
            w.as_secs()
        ),
        (Some(e), None) => println!(
            "attempt {}: failed at {} s: {e}; no further attempt",
            a.number,
            a.at.as_secs()
        ),
    });
    let result = run_backup(&mut driver, &opts, || {
        Ok(BackupComponents::from_interface(vss.backup_components()))
    });
    drop(driver);
    let code = match result {
        Ok(session) => {
            match session.report() {
                Ok(report) => {
                    for s in &report.snapshots {
                        println!("snapshot: {} -> {}", s.original_volume, s.device_object);
                    }
                    for w in &report.failed_writers {
                        let why = w
                            .failure
                            .map_or_else(|| format!("state {}", w.state), |f| f.to_string());
                        println!("writer failed: {} ({why})", w.name);
                    }
                    let partial = if report.is_partial() {
                        " with failed writers (partial)"
                    } else {
                        ""
                    };
                    println!(
                        "outcome: {} volume(s) snapshotted{partial}{}",
                        report.snapshots.len(),
                        if keep { ", kept" } else { "" }
                    );
                }
                Err(e) => {
                    println!("outcome: snapshots made, but their properties could not be read: {e}")
                }
            }
            drop(session);
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("outcome: failed after {} attempt(s)", e.attempts());
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    };
    println!("remaining snapshots: {}", vss.snapshots().len());
    code
}
