//! Runs the whole backup workflow against the fault-injecting VSS, following the catalog's
//! advice with simulated time: one line per attempt, the outcome, then the number of shadow
//! copies the simulated machine still holds.
//!
//! ```text
//! cargo run -p vss-errors --example simulate -- --fault DoSnapshotSet=VSS_E_FLUSH_WRITES_TIMEOUT:2
//! cargo run -p vss-errors --example simulate -- --fault DoSnapshotSet=VSS_E_FLUSH_WRITES_TIMEOUT:5
//! cargo run -p vss-errors --example simulate -- --writer-fault "Registry Writer=VSS_E_WRITERERROR_TIMEOUT" --keep
//! cargo run -p vss-errors --example simulate -- --components
//! cargo run -p vss-errors --example simulate -- --restore --fault PreRestore=VSS_E_UNEXPECTED:1
//! ```
//!
//! `--components` backs up every selectable component (and what they require) in component
//! mode: a `component` line for each, with its file count and where its first file set is read
//! from in the snapshot. `--restore` does that, then restores every component from the saved
//! document: a `restored` line for each. Exit codes: 0 done, 1 failed (the typed error on
//! standard error), 2 bad arguments or a code the catalog does not document for the method.

use std::process::ExitCode;
use vss_errors::com::model::FileRestoreStatus;
use vss_errors::com::BackupComponents;
use vss_errors::error::Report;
use vss_errors::fake::{FakeVss, Fault, WriterFault};
use vss_errors::workflow::session::CONTEXT_APP_ROLLBACK;
use vss_errors::workflow::{
    run_backup, Attempt, BackupSession, RestoreSession, RetryDriver, Selection, SessionError,
    SessionOptions, SimulatedClock,
};

const USAGE: &str = "usage: simulate [--components | --restore] [--fault METHOD=CODE[:TIMES]]... [--writer-fault NAME=CODE]... [--volume V]... [--keep]";

/// Which workflow to run.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Volumes,
    Components,
    Restore,
}

fn print_attempt(a: &Attempt) {
    match (&a.failure, a.next_wait) {
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
    }
}

fn main() -> ExitCode {
    let vss = FakeVss::new();
    let mut volumes = Vec::new();
    let mut keep = false;
    let mut mode = Mode::Volumes;
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
            "--components" | "--restore" if mode != Mode::Volumes => {
                Err("choose one of --components and --restore".to_string())
            }
            "--components" => {
                mode = Mode::Components;
                Ok(())
            }
            "--restore" => {
                mode = Mode::Restore;
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
    if mode != Mode::Volumes {
        return components(&vss, volumes, keep, mode == Mode::Restore);
    }
    if volumes.is_empty() {
        volumes.push("C:\\".to_string());
    }
    let mut opts = SessionOptions::new(volumes);
    // Persistent snapshots, the kind that leaks when a tool forgets to clean up.
    opts.context = CONTEXT_APP_ROLLBACK;
    opts.keep = keep;

    let clock = SimulatedClock::new();
    let mut driver = RetryDriver::new(&clock).on_attempt(print_attempt);
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
                    println!(
                        "outcome: snapshots made, but their properties could not be read: {}",
                        Report::new(&e)
                    )
                }
            }
            drop(session);
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("outcome: failed after {} attempt(s)", e.attempts());
            eprintln!("error: {}", Report::new(&e));
            ExitCode::FAILURE
        }
    };
    println!("remaining snapshots: {}", vss.snapshots().len());
    code
}

/// A component-mode backup of everything selectable; with `restore`, then a restore of every
/// backed-up component from the saved document.
fn components(vss: &FakeVss, volumes: Vec<String>, keep: bool, restore: bool) -> ExitCode {
    let mut opts = SessionOptions::components();
    opts.volumes = volumes;
    // The simulated machine's volumes, not this one's.
    opts.volume_of = vss_errors::workflow::components::drive_root;
    opts.context = CONTEXT_APP_ROLLBACK;
    opts.keep = keep;
    let clock = SimulatedClock::new();
    let mut driver = RetryDriver::new(&clock).on_attempt(print_attempt);
    let result = driver.run(|_| -> Result<_, SessionError> {
        let backup = BackupComponents::from_interface(vss.backup_components());
        let mut s = BackupSession::new(backup, opts.clone())
            .initialize()?
            .gather_writer_metadata()?;
        let writers = s.writers()?;
        s.add_components(&writers, &Selection::all())?;
        let mut s = s.start_snapshot_set()?.prepare()?.do_snapshot_set()?;
        let files = s.component_files()?;
        for f in &files {
            let first = f.files.first().map_or_else(
                || "no files".to_string(),
                |m| format!("{} ({})", m.snapshot_path, m.filespec),
            );
            println!(
                "component {}: {} ({} file set(s)), read from {first}",
                f.key.writer,
                f.key.full_path(),
                f.files.len()
            );
        }
        // The simulated copy succeeds for every component.
        for f in &files {
            s.set_backup_succeeded(&f.key, true)?;
        }
        s.complete()
    });
    drop(driver);
    let session = match result {
        Ok(s) => s,
        Err(e) => {
            println!("outcome: failed after {} attempt(s)", e.attempts());
            eprintln!("error: {}", Report::new(&e));
            println!("remaining snapshots: {}", vss.snapshots().len());
            return ExitCode::FAILURE;
        }
    };
    let report = match session.report() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {}", Report::new(&e));
            println!("remaining snapshots: {}", vss.snapshots().len());
            return ExitCode::FAILURE;
        }
    };
    for w in &report.failed_writers {
        let why = w
            .failure
            .map_or_else(|| format!("state {}", w.state), |f| f.to_string());
        println!("writer failed: {} ({why})", w.name);
    }
    let succeeded = report.components.iter().filter(|c| c.succeeded).count();
    println!(
        "outcome: {succeeded} of {} component(s) backed up from {} volume(s){}",
        report.components.len(),
        report.snapshots.len(),
        if report.is_partial() {
            " (partial)"
        } else {
            ""
        }
    );
    drop(session);
    if !restore {
        println!("remaining snapshots: {}", vss.snapshots().len());
        return ExitCode::SUCCESS;
    }
    let Some(document) = report.document else {
        eprintln!("error: the backup returned no backup components document");
        return ExitCode::FAILURE;
    };
    let clock = SimulatedClock::new();
    let mut driver = RetryDriver::new(&clock).on_attempt(print_attempt);
    let result = driver.run(|_| {
        let backup = BackupComponents::from_interface(vss.backup_components());
        let mut r = RestoreSession::new(backup, &document, opts.step_limit).load()?;
        r.select(&Selection::all())?;
        let mut r = r.pre_restore()?;
        for p in r.plan()? {
            // The simulated copy writes every file set to its destination.
            r.set_status(&p.key, FileRestoreStatus::All);
        }
        r.post_restore()
    });
    drop(driver);
    let code = match result {
        Ok(report) => {
            for c in &report.components {
                println!(
                    "restored {}: {} ({:?}, method {:?}{})",
                    c.key.writer,
                    c.key.full_path(),
                    c.status,
                    c.method,
                    if c.reboot_required {
                        ", reboot required"
                    } else {
                        ""
                    }
                );
            }
            println!(
                "outcome: {} component(s) restored{}",
                report.components.len(),
                if report.is_partial() {
                    " (partial)"
                } else {
                    ""
                }
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!("outcome: restore failed after {} attempt(s)", e.attempts());
            eprintln!("error: {}", Report::new(&e));
            ExitCode::FAILURE
        }
    };
    println!("remaining snapshots: {}", vss.snapshots().len());
    code
}
