//! Copies a folder from a shadow copy of its volume, the most common job:
//! `cargo run -p vss-errors --example backup -- SOURCE_DIR DEST_DIR`. It snapshots the
//! volume holding SOURCE_DIR (following the catalog's advice, printing each attempt), copies
//! the folder as it was at the snapshot into DEST_DIR (printing each file), and deletes the
//! snapshot. Needs Windows and an elevated prompt; elsewhere it says so and exits 1.
//! Exit codes: 0 copied, 1 failed (the typed error on standard error), 2 bad arguments.

use std::process::ExitCode;

#[cfg(not(windows))]
fn main() -> ExitCode {
    eprintln!("this example needs Windows: it reads a folder from a shadow copy made by the Volume Shadow Copy Service");
    ExitCode::FAILURE
}

#[cfg(windows)]
fn main() -> ExitCode {
    use std::path::{Path, PathBuf};
    use std::time::Duration;
    use vss_errors::com::init::{initialize_com, initialize_security};
    use vss_errors::com::BackupComponents;
    use vss_errors::error::Report;
    use vss_errors::workflow::components::{map_into_snapshot, volume_of};
    use vss_errors::workflow::{run_backup, RetryDriver, SessionOptions, SystemClock};

    fn copy(from: &Path, to: &Path, files: &mut u64) -> std::io::Result<()> {
        std::fs::create_dir_all(to)?;
        let mut entries: Vec<_> = std::fs::read_dir(from)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let target = to.join(e.file_name());
            if e.file_type()?.is_dir() {
                copy(&e.path(), &target, files)?;
            } else {
                std::fs::copy(e.path(), &target)?;
                *files += 1;
                println!("copied {}", target.display());
            }
        }
        Ok(())
    }

    let args: Vec<String> = std::env::args().skip(1).collect();
    let [source, dest] = args.as_slice() else {
        eprintln!("usage: backup SOURCE_DIR DEST_DIR");
        return ExitCode::from(2);
    };
    let source = match std::fs::canonicalize(source) {
        // Without the `\\?\` prefix canonicalize adds: the volume path is a drive or mount point.
        Ok(p) => PathBuf::from(p.to_string_lossy().trim_start_matches("\\\\?\\")),
        Err(e) => {
            eprintln!("error: cannot read {source}: {e}");
            return ExitCode::from(2);
        }
    };
    let source_text = source.to_string_lossy().to_string();
    let Some(volume) = volume_of(&source_text) else {
        eprintln!("error: cannot find the volume of {source_text}");
        return ExitCode::FAILURE;
    };
    println!("volume: {volume}");
    if let Err(e) = initialize_com() {
        eprintln!("error: {}", Report::new(&e));
        return ExitCode::FAILURE;
    }
    if let Err(e) = initialize_security() {
        eprintln!("error: CoInitializeSecurity failed: {}", Report::new(&e));
        return ExitCode::FAILURE;
    }
    let mut opts = SessionOptions::new([volume.clone()]);
    opts.step_limit = Duration::from_secs(600);
    let clock = SystemClock::default();
    let mut driver = RetryDriver::new(&clock).on_attempt(|a| match (&a.failure, a.next_wait) {
        (None, _) => println!(
            "attempt {}: snapshot made after {} s",
            a.number,
            a.at.as_secs()
        ),
        (Some(e), Some(w)) => println!(
            "attempt {}: failed: {e}; retrying after {} s as advised",
            a.number,
            w.as_secs()
        ),
        (Some(e), None) => println!("attempt {}: failed: {e}; no further attempt", a.number),
    });
    let session = match run_backup(&mut driver, &opts, BackupComponents::create) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {}", Report::new(&e));
            return ExitCode::FAILURE;
        }
    };
    drop(driver);
    let report = match session.report() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {}", Report::new(&e));
            return ExitCode::FAILURE;
        }
    };
    for w in &report.failed_writers {
        println!("writer failed: {}", w.name);
    }
    let Some(snapshot) = report.snapshots.first() else {
        eprintln!("error: the snapshot set holds no snapshot");
        return ExitCode::FAILURE;
    };
    let Some(from) = map_into_snapshot(&source_text, &volume, &snapshot.device_object) else {
        eprintln!("error: {source_text} is not on {volume}");
        return ExitCode::FAILURE;
    };
    println!("reading {from}");
    let mut files = 0;
    let code = match copy(Path::new(&from), Path::new(dest), &mut files) {
        Ok(()) => {
            println!("done: {files} file(s) copied from the snapshot");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: copying from {from}: {e}");
            ExitCode::FAILURE
        }
    };
    // Dropping the session deletes the snapshot.
    drop(session);
    code
}
