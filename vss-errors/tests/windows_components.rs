//! Component-mode backup and restore through the real Windows code path: the fake
//! `vssapi.dll` (`VSS_ERRORS_FAKE_VSSAPI=1`), `CreateVssBackupComponents` imported from it,
//! every call a real vtable call across the DLL boundary, the document saved and restored.
#![cfg(windows)]

use std::time::Duration;
use vss_errors::com::init::initialize_com;
use vss_errors::com::model::FileRestoreStatus;
use vss_errors::com::BackupComponents;
use vss_errors::workflow::components::drive_root;
use vss_errors::workflow::{BackupSession, RestoreSession, Selection, SessionOptions};

#[test]
fn a_component_backup_and_its_restore_through_the_dll() {
    if std::env::var("VSS_ERRORS_FAKE_VSSAPI").ok().as_deref() != Some("1") {
        eprintln!("SKIPPED: set VSS_ERRORS_FAKE_VSSAPI=1 with the fake vssapi.dll beside the test");
        return;
    }
    let _ = initialize_com();
    let mut opts = SessionOptions::components();
    opts.step_limit = Duration::from_secs(30);
    opts.volume_of = drive_root;
    let mut s = BackupSession::new(BackupComponents::create().unwrap(), opts)
        .initialize()
        .unwrap()
        .gather_writer_metadata()
        .unwrap();
    let writers = s.writers().unwrap();
    assert_eq!(writers.len(), 3);
    let keys = s.add_components(&writers, &Selection::all()).unwrap();
    let mut s = s
        .start_snapshot_set()
        .unwrap()
        .prepare()
        .unwrap()
        .do_snapshot_set()
        .unwrap();
    let files = s.component_files().unwrap();
    assert_eq!(files.len(), keys.len());
    for k in &keys {
        s.set_backup_succeeded(k, true).unwrap();
    }
    let report = s.complete().unwrap().report().unwrap();
    assert!(!report.is_partial(), "{report:?}");
    let document = report.document.unwrap();

    let mut r = RestoreSession::new(
        BackupComponents::create().unwrap(),
        &document,
        Duration::from_secs(30),
    )
    .load()
    .unwrap();
    let selected = r.select(&Selection::all()).unwrap();
    assert!(!selected.is_empty());
    let mut r = r.pre_restore().unwrap();
    for p in r.plan().unwrap() {
        r.set_status(&p.key, FileRestoreStatus::All);
    }
    let restored = r.post_restore().unwrap();
    assert_eq!(restored.components.len(), selected.len());
    assert!(restored
        .components
        .iter()
        .all(|c| c.status == FileRestoreStatus::All));
}
