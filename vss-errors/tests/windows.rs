//! The real Windows code path, run for `x86_64-pc-windows-gnu` (under Wine in CI): the DLL
//! import of `CreateVssBackupComponentsInternal`, COM initialization, and — with the
//! fault-injecting `vssapi.dll` in place — the whole workflow through real DLL calls.
#![cfg(windows)]

use std::ffi::c_void;
use vss_errors::com::init::initialize_com;
use vss_errors::com::BackupComponents;
use vss_errors::methods::{
    CoInitializeExError, CoInitializeExOutcome, CreateVssBackupComponentsError,
};

windows_link::link!("kernel32.dll" "system" fn GetModuleHandleA(name: *const u8) -> *mut c_void);
windows_link::link!("kernel32.dll" "system" fn GetProcAddress(module: *mut c_void, name: *const u8) -> *mut c_void);
windows_link::link!("ole32.dll" "system" fn CoInitializeEx(reserved: *const c_void, coinit: u32) -> windows_result::HRESULT);

fn under_wine() -> bool {
    // SAFETY: plain lookups with NUL-terminated names; null results are handled.
    unsafe {
        let ntdll = GetModuleHandleA(c"ntdll.dll".as_ptr().cast());
        !ntdll.is_null() && !GetProcAddress(ntdll, c"wine_get_version".as_ptr().cast()).is_null()
    }
}

fn fake_dll() -> bool {
    std::env::var("VSS_ERRORS_FAKE_VSSAPI").is_ok_and(|v| v == "1")
}

#[test]
fn wine_vssapi_reports_e_notimpl_typed() {
    if !under_wine() || fake_dll() {
        eprintln!("SKIPPED: needs Wine's own vssapi.dll");
        return;
    }
    let err = BackupComponents::create().unwrap_err();
    assert_eq!(err.hresult().0 as u32, 0x8000_4001, "{err}");
    assert!(
        matches!(err, CreateVssBackupComponentsError::Other(_)),
        "E_NOTIMPL is not documented for CreateVssBackupComponents: {err:?}"
    );
    assert!(err.to_string().contains("E_NOTIMPL"), "{err}");
}

#[test]
fn com_initialization_outcomes_are_typed() {
    std::thread::spawn(|| {
        assert!(matches!(
            initialize_com(),
            Ok(CoInitializeExOutcome::Initialized) | Ok(CoInitializeExOutcome::AlreadyInitialized)
        ));
        assert_eq!(
            initialize_com(),
            Ok(CoInitializeExOutcome::AlreadyInitialized),
            "S_FALSE is kept, not folded into Ok(())"
        );
    })
    .join()
    .unwrap();
    std::thread::spawn(|| {
        // SAFETY: COINIT_APARTMENTTHREADED on a fresh thread.
        let hr = unsafe { CoInitializeEx(std::ptr::null(), 2) };
        assert!(hr.is_ok());
        assert_eq!(initialize_com(), Err(CoInitializeExError::ChangedMode));
    })
    .join()
    .unwrap();
}

#[test]
fn whole_workflow_through_the_fake_vssapi_dll() {
    if !fake_dll() {
        eprintln!("SKIPPED: set VSS_ERRORS_FAKE_VSSAPI=1 with the fake vssapi.dll beside the test");
        return;
    }
    use vss_errors::workflow::{run_backup, RetryDriver, SessionOptions, SimulatedClock};
    let _ = initialize_com();
    let clock = SimulatedClock::new();
    let mut driver = RetryDriver::new(&clock);
    let opts = SessionOptions::new(["C:\\"]);
    let session = run_backup(&mut driver, &opts, BackupComponents::create)
        .expect("the workflow succeeds through the DLL");
    let report = session.report().unwrap();
    assert_eq!(report.snapshots.len(), 1);
    assert_eq!(report.snapshots[0].original_volume, "C:\\");
    // The environment asked for one transient DoSnapshotSet failure: it was retried.
    if std::env::var("VSS_FAKE_FAULTS").is_ok_and(|f| f.contains("DoSnapshotSet")) {
        assert_eq!(
            clock.sleeps().len(),
            1,
            "one retry after the injected failure"
        );
    }
    let listed = session.backup_components().query_snapshots().unwrap();
    assert_eq!(listed.len(), 1);
}

#[test]
fn the_coordinator_is_activated_through_com_and_its_absence_is_typed() {
    use vss_errors::com::{CreateManagementError, ShadowStorage, SnapshotManagement};
    if !under_wine() {
        eprintln!("SKIPPED: on Windows the coordinator exists (and needs elevation)");
        return;
    }
    let _ = initialize_com();
    // Wine registers no VSS coordinator: CoCreateInstance reports the class missing.
    let err = SnapshotManagement::create().unwrap_err();
    assert_eq!(
        err,
        CreateManagementError::Activate(windows_result::HRESULT(0x8004_0154_u32 as i32)),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("creating the VSS coordinator failed: "),
        "{err}"
    );
    assert!(matches!(
        ShadowStorage::create(),
        Err(CreateManagementError::Activate(_))
    ));
}
