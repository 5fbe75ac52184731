//! Errors compose: every wrapper gives the layer below as its `source()`, down to the method's
//! typed error, so `anyhow`'s `{:#}` and `{:?}` show every layer once and the typed error can
//! be found in the chain.

use std::error::Error as _;
use std::time::Duration;
use vss_errors::com::async_op::AsyncError;
use vss_errors::com::BackupComponents;
use vss_errors::error::Report;
use vss_errors::fake::{FakeVss, Fault};
use vss_errors::methods::*;
use vss_errors::workflow::session::CONTEXT_APP_ROLLBACK;
use vss_errors::workflow::*;

/// The error and its sources, top first.
fn chain<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> Vec<&'a (dyn std::error::Error + 'static)> {
    let mut out = vec![e];
    let mut at = e;
    while let Some(next) = at.source() {
        out.push(next);
        at = next;
    }
    out
}

fn failed_backup(fault: &str) -> RetryError<SessionError> {
    let vss = FakeVss::new();
    vss.inject(Fault::parse(fault).unwrap()).unwrap();
    let clock = SimulatedClock::new();
    let mut o = SessionOptions::new(["C:\\"]);
    o.context = CONTEXT_APP_ROLLBACK;
    o.step_limit = Duration::from_secs(5);
    let mut driver = RetryDriver::new(&clock);
    let r = run_backup(&mut driver, &o, || {
        Ok(BackupComponents::from_interface(vss.backup_components()))
    });
    match r {
        Ok(_) => panic!("{fault} did not fail the backup"),
        Err(e) => e,
    }
}

#[test]
fn anyhow_shows_every_layer_once_down_to_the_typed_error() {
    let err = anyhow::Error::new(failed_backup("DoSnapshotSet=VSS_E_FLUSH_WRITES_TIMEOUT:9"));
    let typed = DoSnapshotSetError::FlushWritesTimeout.to_string();
    let layers = [
        "gave up after 4 attempts, as the advice allows".to_string(),
        "the backup session failed at DoSnapshotSet".to_string(),
        "the asynchronous operation failed".to_string(),
        typed.clone(),
    ];
    assert!(
        typed.starts_with("IVssBackupComponents::DoSnapshotSet: ")
            && typed.ends_with("(VSS_E_FLUSH_WRITES_TIMEOUT 0x80042313)"),
        "{typed}"
    );

    // `{:#}`: the layers on one line, each once, in order.
    assert_eq!(format!("{err:#}"), layers.join(": "));
    // `{:?}`: the top, then "Caused by:" and each layer below, numbered.
    // (anyhow appends a backtrace when RUST_BACKTRACE asks for one.)
    let debug = format!("{err:?}");
    let debug = debug
        .split("\n\nStack backtrace:")
        .next()
        .unwrap_or_default();
    let expected = format!(
        "{}\n\nCaused by:\n    0: {}\n    1: {}\n    2: {}",
        layers[0], layers[1], layers[2], layers[3]
    );
    assert_eq!(debug, expected);
    assert_eq!(
        debug.matches("VSS_E_FLUSH_WRITES_TIMEOUT").count(),
        1,
        "{debug}"
    );

    // The typed error is in the chain, as the value the session got.
    let found = err
        .chain()
        .find_map(|e| e.downcast_ref::<DoSnapshotSetError>());
    assert_eq!(found, Some(&DoSnapshotSetError::FlushWritesTimeout));
    assert_eq!(err.chain().count(), 4);
    // The library's own report prints what anyhow prints.
    let inner = err.downcast_ref::<RetryError<SessionError>>().unwrap();
    assert_eq!(Report::new(inner).to_string(), format!("{err:#}"));
}

#[test]
fn a_synchronous_step_has_no_async_layer() {
    let err = failed_backup("StartSnapshotSet=VSS_E_SNAPSHOT_SET_IN_PROGRESS");
    let layers = chain(&err);
    let texts: Vec<String> = layers.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        texts,
        [
            "not retried: no retry advice (1 attempt(s))".to_string(),
            "the backup session failed at StartSnapshotSet".to_string(),
            StartSnapshotSetError::SnapshotSetInProgress.to_string(),
        ]
    );
    // The method's typed error ends the chain.
    let last = layers.last().unwrap();
    assert!(last.source().is_none());
    assert_eq!(
        last.downcast_ref::<StartSnapshotSetError>(),
        Some(&StartSnapshotSetError::SnapshotSetInProgress)
    );
}

#[test]
fn async_errors_name_their_layer_and_give_the_call_below() {
    let wait: AsyncError<DoSnapshotSetError> = AsyncError::Wait(WaitError::AccessDenied);
    assert_eq!(
        wait.to_string(),
        "waiting for IVssBackupComponents::DoSnapshotSet's operation failed"
    );
    let source = wait.source().unwrap();
    assert_eq!(
        source.downcast_ref::<WaitError>(),
        Some(&WaitError::AccessDenied)
    );
    assert!(
        source.to_string().starts_with("IVssAsync::Wait: "),
        "{source}"
    );

    let cancelled: AsyncError<DoSnapshotSetError> = AsyncError::Cancelled {
        method: DoSnapshotSetError::METHOD,
    };
    assert!(cancelled.source().is_none());
    let failed = AsyncError::Failed(DoSnapshotSetError::ProviderVeto);
    assert_eq!(
        Report::new(&failed).to_string(),
        format!(
            "the asynchronous operation failed: {}",
            DoSnapshotSetError::ProviderVeto
        )
    );
}

#[test]
fn a_retry_cancelled_before_any_attempt_has_no_source() {
    let e: RetryError<DoSnapshotSetError> = RetryError::Cancelled {
        error: None,
        attempts: 0,
    };
    assert!(e.source().is_none());
    assert_eq!(
        Report::new(&e).to_string(),
        "cancelled before the first attempt"
    );
}
