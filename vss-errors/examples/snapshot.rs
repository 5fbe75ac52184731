//! Creates a shadow copy of one volume on real Windows, following the catalog's advice, and
//! prints each step: `cargo run -p vss-errors --example snapshot -- C:\`. Needs an elevated
//! prompt; the snapshot is deleted when the example ends.

use std::process::ExitCode;

#[cfg(not(windows))]
fn main() -> ExitCode {
    eprintln!("this example needs Windows: it creates a shadow copy through the Volume Shadow Copy Service");
    ExitCode::FAILURE
}

#[cfg(windows)]
fn main() -> ExitCode {
    use std::time::Duration;
    use vss_errors::com::init::{initialize_com, initialize_security};
    use vss_errors::com::BackupComponents;
    use vss_errors::error::Report;
    use vss_errors::workflow::{run_backup, RetryDriver, SessionOptions, SystemClock};

    let Some(volume) = std::env::args().nth(1) else {
        eprintln!("usage: snapshot VOLUME   (for example C:\\)");
        return ExitCode::from(2);
    };
    match initialize_com() {
        Ok(outcome) => println!("COM initialized ({outcome:?})"),
        Err(e) => {
            eprintln!("error: {}", Report::new(&e));
            return ExitCode::FAILURE;
        }
    }
    if let Err(e) = initialize_security() {
        eprintln!("error: CoInitializeSecurity failed: {}", Report::new(&e));
        return ExitCode::FAILURE;
    }
    let mut opts = SessionOptions::new([volume.clone()]);
    opts.step_limit = Duration::from_secs(600);
    let clock = SystemClock::default();
    let mut driver = RetryDriver::new(&clock).on_attempt(|a| match (&a.failure, a.next_wait) {
        (None, _) => println!("attempt {}: succeeded after {} s", a.number, a.at.as_secs()),
        (Some(e), Some(w)) => println!(
            "attempt {}: {e}\n  waiting {} s before trying again, as documented",
            a.number,
            w.as_secs()
        ),
        (Some(e), None) => println!("attempt {}: {e}", a.number),
    });
    println!("creating a shadow copy of {volume} …");
    match run_backup(&mut driver, &opts, BackupComponents::create) {
        Ok(session) => {
            match session.report() {
                Ok(report) => {
                    for s in &report.snapshots {
                        println!("shadow copy of {}: {}", s.original_volume, s.device_object);
                    }
                    for w in &report.failed_writers {
                        println!(
                            "writer {} reported a failure (state {}): {:?}",
                            w.name, w.state, w.failure
                        );
                    }
                }
                Err(e) => eprintln!("warning: {}", Report::new(&e)),
            }
            println!("done; the shadow copy is deleted now");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", Report::new(&e));
            ExitCode::FAILURE
        }
    }
}
