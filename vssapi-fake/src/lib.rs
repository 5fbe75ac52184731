//! A `vssapi.dll` whose exports are backed by the fault-injecting VSS, so the crate's real
//! Windows code path (DLL import, COM calls, BSTR and CoTaskMem frees) runs end to end under
//! Wine or Windows with `WINEDLLOVERRIDES=vssapi=n`.
//!
//! Faults come from the environment: `VSS_FAKE_FAULTS` holds `METHOD=CODE[:TIMES]` specs and
//! `VSS_FAKE_WRITER_FAULTS` holds `NAME=CODE` specs, each list separated by `;`.
//! `VSS_FAKE_FREEZE_SOURCE` and `VSS_FAKE_FREEZE_DIR` make each snapshot of the source's
//! volume a real folder under the second holding the first as it was at `DoSnapshotSet`;
//! `VSS_FAKE_TOUCH_AFTER_SNAPSHOT` names a live file rewritten right after it.

use std::ffi::c_void;
use std::sync::OnceLock;
use vss_errors::com::types::VssSnapshotProp;
use vss_errors::com::Interface;
use vss_errors::fake::{FakeVss, Fault, WriterFault};
use windows_result::HRESULT;

const E_INVALIDARG: HRESULT = HRESULT(0x8007_0057_u32 as i32);

/// The simulated machine of this process, with the faults the environment asks for.
pub fn machine() -> &'static FakeVss {
    static MACHINE: OnceLock<FakeVss> = OnceLock::new();
    MACHINE.get_or_init(|| {
        let vss = FakeVss::new();
        for spec in std::env::var("VSS_FAKE_FAULTS")
            .unwrap_or_default()
            .split(';')
            .filter(|s| !s.trim().is_empty())
        {
            if let Err(e) = Fault::parse(spec).and_then(|f| vss.inject(f)) {
                eprintln!("vssapi (fake): ignoring VSS_FAKE_FAULTS entry {spec:?}: {e}");
            }
        }
        for spec in std::env::var("VSS_FAKE_WRITER_FAULTS")
            .unwrap_or_default()
            .split(';')
            .filter(|s| !s.trim().is_empty())
        {
            if let Err(e) = WriterFault::parse(spec).and_then(|f| vss.inject_writer(f)) {
                eprintln!("vssapi (fake): ignoring VSS_FAKE_WRITER_FAULTS entry {spec:?}: {e}");
            }
        }
        if let (Some(source), Some(dir)) = (
            std::env::var_os("VSS_FAKE_FREEZE_SOURCE"),
            std::env::var_os("VSS_FAKE_FREEZE_DIR"),
        ) {
            let touch = std::env::var_os("VSS_FAKE_TOUCH_AFTER_SNAPSHOT");
            vss.freeze_into(
                std::path::Path::new(&source),
                std::path::Path::new(&dir),
                touch.as_deref().map(std::path::Path::new),
            );
        }
        vss
    })
}

/// `CreateVssBackupComponentsInternal`: a new backup components object of the fake machine.
///
/// # Safety
/// `backup` is null or valid for writing one interface pointer.
#[no_mangle]
pub unsafe extern "system" fn CreateVssBackupComponentsInternal(
    backup: *mut *mut c_void,
) -> HRESULT {
    if backup.is_null() {
        return E_INVALIDARG;
    }
    // SAFETY: checked non-null; the caller owns the out-parameter.
    unsafe { backup.write(machine().backup_components().into_raw()) };
    HRESULT(0)
}

/// `VssFreeSnapshotPropertiesInternal`: frees the strings of a `VSS_SNAPSHOT_PROP`.
///
/// # Safety
/// `prop` is null or a property block filled by this DLL's `GetSnapshotProperties`.
#[no_mangle]
pub unsafe extern "system" fn VssFreeSnapshotPropertiesInternal(prop: *mut VssSnapshotProp) {
    // SAFETY: as documented, `prop` is null or valid and owned by the caller.
    let Some(p) = (unsafe { prop.as_mut() }) else {
        return;
    };
    // SAFETY: the strings were allocated with CoTaskMemAlloc by the fake.
    unsafe { vss_errors::com::mem::free_snapshot_strings(p) };
}
