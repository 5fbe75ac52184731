//! The retry driver and the backup session against the fault-injecting VSS: advice followed,
//! attempts never exceeded, overrides, deadlines, cancellation, writer attribution, and no
//! leaked snapshot on any failure path.

use std::time::{Duration, Instant};
use vss_errors::com::BackupComponents;
use vss_errors::fake::{FakeVss, Fault, WriterFault};
use vss_errors::methods::*;
use vss_errors::workflow::session::{CONTEXT_APP_ROLLBACK, CONTEXT_BACKUP};
use vss_errors::workflow::*;
use vss_errors::Code;

const MIN10: Duration = Duration::from_secs(600);

#[test]
fn follows_the_advice_and_stops_when_it_works() {
    let clock = SimulatedClock::new();
    let mut seen = Vec::new();
    let mut driver = RetryDriver::new(&clock)
        .on_attempt(|a| seen.push((a.number, a.failure.is_some(), a.next_wait)));
    let r = driver.run(|n| {
        if n < 3 {
            Err(DoSnapshotSetError::FlushWritesTimeout)
        } else {
            Ok(n)
        }
    });
    drop(driver);
    assert_eq!(r.unwrap(), 3);
    assert_eq!(clock.sleeps(), [MIN10, MIN10]);
    assert_eq!(
        seen,
        [
            (1, true, Some(MIN10)),
            (2, true, Some(MIN10)),
            (3, false, None)
        ]
    );
}

#[test]
fn never_exceeds_the_attempts() {
    let clock = SimulatedClock::new();
    let mut calls = 0;
    let err = RetryDriver::new(&clock).run::<(), _>(|_| {
        calls += 1;
        Err(DoSnapshotSetError::HoldWritesTimeout)
    });
    let err = err.unwrap_err();
    // "Try again, up to three times": one try and three more.
    assert!(
        matches!(err, RetryError::Exhausted { attempts: 4, .. }),
        "{err}"
    );
    assert_eq!(calls, 4);
    assert_eq!(clock.sleeps().len(), 3);
    assert!(err.to_string().contains("gave up after 4 attempts"));
}

#[test]
fn codes_without_advice_are_not_retried() {
    let clock = SimulatedClock::new();
    let mut calls = 0;
    let err = RetryDriver::new(&clock)
        .run::<(), _>(|_| {
            calls += 1;
            Err(StartSnapshotSetError::SnapshotSetInProgress)
        })
        .unwrap_err();
    assert!(matches!(err, RetryError::NotRetryable { attempts: 1, .. }));
    assert_eq!(calls, 1);
    assert!(clock.sleeps().is_empty());
}

#[test]
fn caller_can_retry_snapshot_set_in_progress_until_a_deadline() {
    let clock = SimulatedClock::new();
    let mut calls = 0;
    let err = RetryDriver::new(&clock)
        .deadline(Duration::from_secs(30))
        .override_with(Override {
            method: "IVssBackupComponents::StartSnapshotSet".into(),
            code: Code::VSS_E_SNAPSHOT_SET_IN_PROGRESS,
            policy: Policy::UntilDeadline {
                every: Duration::from_secs(5),
            },
        })
        .run::<(), _>(|_| {
            calls += 1;
            Err(StartSnapshotSetError::SnapshotSetInProgress)
        })
        .unwrap_err();
    assert!(
        matches!(err, RetryError::Deadline { attempts: 7, .. }),
        "{err}"
    );
    assert_eq!(calls, 7);
    assert_eq!(clock.elapsed(), Duration::from_secs(30));
    assert!(clock.sleeps().iter().all(|d| *d == Duration::from_secs(5)));
}

#[test]
fn override_can_forbid_and_deadline_cuts_advice() {
    let clock = SimulatedClock::new();
    let err = RetryDriver::new(&clock)
        .override_with(Override {
            method: "DoSnapshotSet".into(),
            code: Code::VSS_E_FLUSH_WRITES_TIMEOUT,
            policy: Policy::Never,
        })
        .run::<(), _>(|_| Err(DoSnapshotSetError::FlushWritesTimeout))
        .unwrap_err();
    assert!(matches!(err, RetryError::NotRetryable { attempts: 1, .. }));
    let clock = SimulatedClock::new();
    let err = RetryDriver::new(&clock)
        .deadline(Duration::from_secs(1000))
        .run::<(), _>(|_| Err(DoSnapshotSetError::FlushWritesTimeout))
        .unwrap_err();
    assert!(
        matches!(err, RetryError::Deadline { attempts: 2, .. }),
        "{err}"
    );
}

#[test]
fn cancellation_during_a_wait_returns_at_once() {
    let clock = SystemClock::default();
    let token = CancelToken::new();
    let t2 = token.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        t2.cancel();
    });
    let start = Instant::now();
    let err = RetryDriver::new(&clock)
        .cancel_with(token)
        .run::<(), _>(|_| Err(DoSnapshotSetError::FlushWritesTimeout))
        .unwrap_err();
    canceller.join().unwrap();
    assert!(
        matches!(
            err,
            RetryError::Cancelled {
                attempts: 1,
                error: Some(_)
            }
        ),
        "{err}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "a 600 s wait was not interrupted"
    );
}

fn opts(keep: bool) -> SessionOptions {
    let mut o = SessionOptions::new(["C:\\", "D:\\"]);
    o.context = CONTEXT_APP_ROLLBACK;
    o.keep = keep;
    o.step_limit = Duration::from_secs(5);
    o
}

fn run(
    vss: &FakeVss,
    o: &SessionOptions,
    clock: &SimulatedClock,
) -> Result<BackupSession<vss_errors::workflow::session::stage::Completed>, RetryError<SessionError>>
{
    let mut driver = RetryDriver::new(clock);
    run_backup(&mut driver, o, || {
        Ok(BackupComponents::from_interface(vss.backup_components()))
    })
}

#[test]
fn session_succeeds_reports_and_cleans_up() {
    let vss = FakeVss::new();
    let clock = SimulatedClock::new();
    let session = run(&vss, &opts(false), &clock).unwrap();
    let report = session.report().unwrap();
    let volumes: Vec<&str> = report
        .snapshots
        .iter()
        .map(|s| s.original_volume.as_str())
        .collect();
    assert_eq!(volumes, ["C:\\", "D:\\"]);
    assert!(!report.is_partial());
    assert_eq!(vss.snapshots().len(), 2);
    drop(session);
    assert!(
        vss.snapshots().is_empty(),
        "snapshots the session made are deleted on drop"
    );

    let kept = run(&vss, &opts(true), &clock).unwrap();
    drop(kept);
    assert_eq!(vss.snapshots().len(), 2, "kept snapshots stay");
}

#[test]
fn transient_failures_are_retried_as_advised() {
    let vss = FakeVss::new();
    vss.inject(Fault::parse("DoSnapshotSet=VSS_E_FLUSH_WRITES_TIMEOUT:2").unwrap())
        .unwrap();
    let clock = SimulatedClock::new();
    let session = run(&vss, &opts(false), &clock).unwrap();
    assert_eq!(clock.sleeps(), [MIN10, MIN10]);
    assert_eq!(
        vss.calls()
            .iter()
            .filter(|c| c.starts_with("AbortBackup"))
            .count(),
        2,
        "each failed DoSnapshotSet was aborted"
    );
    drop(session);
    assert!(vss.snapshots().is_empty());

    let vss = FakeVss::new();
    vss.inject(Fault::parse("DoSnapshotSet=VSS_E_FLUSH_WRITES_TIMEOUT:5").unwrap())
        .unwrap();
    let err = run(&vss, &opts(false), &SimulatedClock::new()).unwrap_err();
    assert!(
        matches!(err, RetryError::Exhausted { attempts: 4, .. }),
        "{err}"
    );
    let last = err.error().unwrap();
    assert!(matches!(last.step, StepError::DoSnapshotSet(_)));
    assert_eq!(last.aborted, Some(Ok(())));
    assert!(vss.snapshots().is_empty());
}

#[test]
fn no_snapshot_leaks_whatever_step_fails() {
    let faults = [
        "InitializeForBackup=VSS_E_UNEXPECTED",
        "SetContext=E_INVALIDARG",
        "SetBackupState=VSS_E_INVALID_XML_DOCUMENT",
        "GatherWriterMetadata=VSS_E_WRITER_INFRASTRUCTURE",
        "StartSnapshotSet=VSS_E_SNAPSHOT_SET_IN_PROGRESS",
        "AddToSnapshotSet=VSS_E_VOLUME_NOT_SUPPORTED",
        "PrepareForBackup=VSS_E_UNEXPECTED",
        "DoSnapshotSet=VSS_E_INSUFFICIENT_STORAGE",
        "BackupComplete=VSS_E_UNEXPECTED_WRITER_ERROR",
        // Attribution gathers writer status after each step too; fail every gathering.
        "GatherWriterStatus=VSS_E_WRITER_INFRASTRUCTURE:9",
    ];
    for spec in faults {
        for keep in [false, true] {
            let vss = FakeVss::new();
            vss.inject(Fault::parse(spec).unwrap()).unwrap();
            let Err(err) = run(&vss, &opts(keep), &SimulatedClock::new()) else {
                panic!("{spec}: the workflow succeeded")
            };
            let method = spec.split('=').next().unwrap();
            assert_eq!(
                err.error().map(|e| e.method().name),
                Some(method),
                "{spec}: {err}"
            );
            assert!(
                vss.snapshots().is_empty(),
                "{spec} (keep {keep}) leaked {:?}",
                vss.snapshots()
            );
            let between =
                ["AddToSnapshotSet", "PrepareForBackup", "DoSnapshotSet"].contains(&method);
            assert_eq!(
                err.error().unwrap().aborted.is_some(),
                between,
                "{spec}: AbortBackup exactly between StartSnapshotSet and DoSnapshotSet"
            );
        }
    }
}

#[test]
fn failed_writers_are_joined_into_the_error_and_the_success() {
    let vss = FakeVss::new();
    vss.inject_writer(WriterFault::parse("Registry Writer=VSS_E_WRITERERROR_RETRYABLE").unwrap())
        .unwrap();
    let session = run(&vss, &opts(false), &SimulatedClock::new()).unwrap();
    let report = session.report().unwrap();
    assert!(report.is_partial(), "partial success is never silent");
    assert_eq!(report.failed_writers[0].name, "Registry Writer");
    assert_eq!(
        report.failed_writers[0].failure,
        Some(WriterFailure::WriterErrorRetryable)
    );
    drop(session);

    let vss = FakeVss::new();
    vss.inject_writer(WriterFault::parse("System Writer=VSS_E_WRITERERROR_TIMEOUT").unwrap())
        .unwrap();
    vss.inject(Fault::parse("BackupComplete=VSS_E_UNEXPECTED_WRITER_ERROR:9").unwrap())
        .unwrap();
    let clock = SimulatedClock::new();
    let err = run(&vss, &opts(false), &clock).unwrap_err();
    assert!(
        matches!(err, RetryError::Exhausted { attempts: 4, .. }),
        "retried on the writer's advice: {err}"
    );
    assert_eq!(clock.sleeps(), [MIN10, MIN10, MIN10]);
    let e = err.error().unwrap();
    assert_eq!(e.failed_writers.len(), 1);
    assert_eq!(
        e.failed_writers[0].failure,
        Some(WriterFailure::WriterErrorTimeout)
    );
    assert!(e.to_string().contains("writer \"System Writer\""), "{e}");
    assert_eq!(
        e.advice().map(|r| r.wait_seconds),
        Some(600),
        "the writer failure's own advice applies"
    );
}

#[test]
fn default_context_snapshots_go_with_their_object() {
    let vss = FakeVss::new();
    let mut o = opts(true);
    o.context = CONTEXT_BACKUP;
    let s = run(&vss, &o, &SimulatedClock::new()).unwrap();
    assert_eq!(vss.snapshots().len(), 2);
    drop(s);
    assert!(
        vss.snapshots().is_empty(),
        "non-persistent snapshots are auto-released even when kept"
    );
}
