//! The only place that calls through COM vtables or touches raw memory: every function
//! here calls one slot directly (so success codes such as `S_FALSE` reach the caller
//! unchanged, never through `HRESULT::ok()`), takes ownership of what the slot returns, and
//! hands back owned Rust values. Each `unsafe` block states why it is sound.

pub mod marshal;
pub mod mem;
#[cfg(windows)]
pub mod sys;

use super::types::{VssComponentInfo, VssObjectProp, VssSnapshotProp};
use super::{IVssAsync, IVssBackupComponents, IVssEnumObject, IVssExamineWriterMetadata};
use super::{IVssDifferentialSoftwareSnapshotMgmt3, IVssEnumMgmtObject, IVssSnapshotMgmt};
use super::{IVssWMComponent, IVssWriterComponents};
use crate::com::{Interface, GUID};
use core::ffi::c_void;
use windows_result::HRESULT;

/// Adopts an interface pointer returned through an out-parameter (already AddRef'd).
pub(crate) fn adopt<I: Interface>(p: *mut c_void) -> Option<I> {
    if p.is_null() {
        None
    } else {
        // SAFETY: COM out-parameters hand over one reference to a live object of the
        // requested interface; `from_raw` takes that reference without adding one.
        Some(unsafe { I::from_raw(p) })
    }
}

macro_rules! slot {
    ($iface:expr, $name:ident $(, $arg:expr)*) => {{
        let iface = $iface;
        // SAFETY: `iface` is a live interface pointer of the declared type; its vtable
        // layout is pinned to the header by tests, and every argument matches the slot's
        // declared ABI type and outlives the call.
        unsafe { (Interface::vtable(iface).$name)(Interface::as_raw(iface), $($arg),*) }
    }};
}
pub(crate) use slot;

/// Snapshot properties with owned strings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotProps {
    /// The snapshot's id.
    pub snapshot_id: GUID,
    /// The snapshot set it belongs to.
    pub snapshot_set_id: GUID,
    /// How many snapshots the set holds.
    pub snapshots_count: i32,
    /// Device object path, `\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopyN`.
    pub device_object: String,
    /// The volume that was snapshotted.
    pub original_volume: String,
    /// Machine the volume belongs to.
    pub originating_machine: String,
    /// Machine running the provider.
    pub service_machine: String,
    /// Where it is exposed, if it is.
    pub exposed_name: String,
    /// Exposed share path, if any.
    pub exposed_path: String,
    /// The provider that made it.
    pub provider_id: GUID,
    /// `VSS_VOLUME_SNAPSHOT_ATTRIBUTES` bits.
    pub attributes: i32,
    /// Creation time (100 ns units since 1601).
    pub creation_timestamp: i64,
    /// `VSS_SNAPSHOT_STATE`.
    pub status: i32,
}

/// Copies the strings out of a `VSS_SNAPSHOT_PROP` and frees them.
fn take_props(p: &mut VssSnapshotProp) -> SnapshotProps {
    // SAFETY: the strings of a VSS_SNAPSHOT_PROP filled by VSS are NUL-terminated or null.
    let out = unsafe {
        SnapshotProps {
            snapshot_id: p.snapshot_id,
            snapshot_set_id: p.snapshot_set_id,
            snapshots_count: p.snapshots_count,
            device_object: mem::read_wide(p.snapshot_device_object),
            original_volume: mem::read_wide(p.original_volume_name),
            originating_machine: mem::read_wide(p.originating_machine),
            service_machine: mem::read_wide(p.service_machine),
            exposed_name: mem::read_wide(p.exposed_name),
            exposed_path: mem::read_wide(p.exposed_path),
            provider_id: p.provider_id,
            attributes: p.snapshot_attributes,
            creation_timestamp: p.creation_timestamp,
            status: p.status,
        }
    };
    free_props(p);
    out
}

/// Frees the strings of a `VSS_SNAPSHOT_PROP` filled by VSS (see
/// [`mem::free_snapshot_strings`]).
pub fn free_props(p: &mut VssSnapshotProp) {
    // SAFETY: `p` was filled by the object that returned it; its strings are task-allocated
    // and owned by us from here on.
    unsafe { mem::free_snapshot_strings(p) }
}

pub fn initialize_for_backup(b: &IVssBackupComponents, xml: Option<&str>) -> HRESULT {
    let bstr = xml.map(mem::Bstr::new);
    slot!(
        b,
        InitializeForBackup,
        bstr.as_ref().map_or(core::ptr::null_mut(), |s| s.as_ptr())
    )
}

pub fn set_context(b: &IVssBackupComponents, context: i32) -> HRESULT {
    slot!(b, SetContext, context)
}

pub fn set_backup_state(
    b: &IVssBackupComponents,
    select: bool,
    bootable: bool,
    backup_type: i32,
    partial: bool,
) -> HRESULT {
    slot!(
        b,
        SetBackupState,
        u8::from(select),
        u8::from(bootable),
        backup_type,
        u8::from(partial)
    )
}

/// A method that starts an async operation: the HRESULT and the `IVssAsync` it returned.
pub fn start_async(b: &IVssBackupComponents, which: AsyncStart) -> (HRESULT, Option<IVssAsync>) {
    let mut p: *mut c_void = core::ptr::null_mut();
    let hr = match which {
        AsyncStart::GatherWriterMetadata => slot!(b, GatherWriterMetadata, &mut p),
        AsyncStart::PrepareForBackup => slot!(b, PrepareForBackup, &mut p),
        AsyncStart::DoSnapshotSet => slot!(b, DoSnapshotSet, &mut p),
        AsyncStart::BackupComplete => slot!(b, BackupComplete, &mut p),
        AsyncStart::GatherWriterStatus => slot!(b, GatherWriterStatus, &mut p),
    };
    (hr, adopt(p))
}

/// The argument-less methods that return an `IVssAsync`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsyncStart {
    GatherWriterMetadata,
    PrepareForBackup,
    DoSnapshotSet,
    BackupComplete,
    GatherWriterStatus,
}

pub fn query_revert_status(b: &IVssBackupComponents, volume: &str) -> (HRESULT, Option<IVssAsync>) {
    let mut w = mem::wide(volume);
    let mut p: *mut c_void = core::ptr::null_mut();
    let hr = slot!(b, QueryRevertStatus, w.as_mut_ptr(), &mut p);
    (hr, adopt(p))
}

pub fn revert_to_snapshot(
    b: &IVssBackupComponents,
    snapshot: GUID,
    force_dismount: bool,
) -> HRESULT {
    slot!(b, RevertToSnapshot, snapshot, i32::from(force_dismount))
}

pub fn initialize_for_restore(b: &IVssBackupComponents, xml: &str) -> HRESULT {
    let bstr = mem::Bstr::new(xml);
    slot!(b, InitializeForRestore, bstr.as_ptr())
}

/// `IVssBackupComponentsEx::GetWriterMetadataEx` (an `IVssExamineWriterMetadataEx`, held as
/// its base interface).
pub fn writer_metadata_ex(
    b: &super::IVssBackupComponentsEx,
    index: u32,
) -> (HRESULT, GUID, Option<IVssExamineWriterMetadata>) {
    let mut instance = GUID::zeroed();
    let mut p: *mut c_void = core::ptr::null_mut();
    let hr = slot!(b, GetWriterMetadataEx, index, &mut instance, &mut p);
    (hr, instance, adopt(p))
}

pub fn writer_metadata_count(b: &IVssBackupComponents) -> (HRESULT, u32) {
    let mut n = 0u32;
    let hr = slot!(b, GetWriterMetadataCount, &mut n);
    (hr, n)
}

pub fn writer_metadata(
    b: &IVssBackupComponents,
    index: u32,
) -> (HRESULT, GUID, Option<IVssExamineWriterMetadata>) {
    let mut instance = GUID::zeroed();
    let mut p: *mut c_void = core::ptr::null_mut();
    let hr = slot!(b, GetWriterMetadata, index, &mut instance, &mut p);
    (hr, instance, adopt(p))
}

pub fn free_writer_metadata(b: &IVssBackupComponents) -> HRESULT {
    slot!(b, FreeWriterMetadata)
}

/// `GetIdentity`: instance id, writer class id, writer name, usage, source.
pub fn writer_identity(m: &IVssExamineWriterMetadata) -> (HRESULT, GUID, GUID, String) {
    let (hr, instance, class, name, _, _) = writer_identity_full(m);
    (hr, instance, class, name)
}

/// `GetIdentity`: instance, class, name, usage type and source type.
pub fn writer_identity_full(
    m: &IVssExamineWriterMetadata,
) -> (HRESULT, GUID, GUID, String, i32, i32) {
    let (mut instance, mut class) = (GUID::zeroed(), GUID::zeroed());
    let mut name: *mut u16 = core::ptr::null_mut();
    let (mut usage, mut source) = (0i32, 0i32);
    let hr = slot!(
        m,
        GetIdentity,
        &mut instance,
        &mut class,
        &mut name,
        &mut usage,
        &mut source
    );
    // SAFETY: the writer name BSTR is handed over to the caller, who frees it once.
    let name = unsafe { mem::take_bstr(name) };
    (hr, instance, class, name, usage, source)
}

pub fn start_snapshot_set(b: &IVssBackupComponents) -> (HRESULT, GUID) {
    let mut id = GUID::zeroed();
    let hr = slot!(b, StartSnapshotSet, &mut id);
    (hr, id)
}

pub fn add_to_snapshot_set(
    b: &IVssBackupComponents,
    volume: &str,
    provider: GUID,
) -> (HRESULT, GUID) {
    let mut w = mem::wide(volume);
    let mut id = GUID::zeroed();
    let hr = slot!(b, AddToSnapshotSet, w.as_mut_ptr(), provider, &mut id);
    (hr, id)
}

pub fn snapshot_properties(
    b: &IVssBackupComponents,
    snapshot: GUID,
) -> (HRESULT, Option<SnapshotProps>) {
    let mut prop = VssSnapshotProp::zeroed();
    let hr = slot!(b, GetSnapshotProperties, snapshot, &mut prop);
    if hr.is_ok() {
        (hr, Some(take_props(&mut prop)))
    } else {
        (hr, None)
    }
}

pub fn writer_status_count(b: &IVssBackupComponents) -> (HRESULT, u32) {
    let mut n = 0u32;
    let hr = slot!(b, GetWriterStatusCount, &mut n);
    (hr, n)
}

/// One writer's status as `GetWriterStatus` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriterStatusRaw {
    /// Writer instance id.
    pub instance: GUID,
    pub class: GUID,
    /// Writer name.
    pub name: String,
    pub state: i32,
    /// The writer's failure code (`S_OK` if none).
    pub failure: HRESULT,
}

pub fn writer_status(b: &IVssBackupComponents, index: u32) -> (HRESULT, WriterStatusRaw) {
    let (mut instance, mut class) = (GUID::zeroed(), GUID::zeroed());
    let mut name: *mut u16 = core::ptr::null_mut();
    let mut state = 0i32;
    let mut failure = HRESULT(0);
    let hr = slot!(
        b,
        GetWriterStatus,
        index,
        &mut instance,
        &mut class,
        &mut name,
        &mut state,
        &mut failure
    );
    // SAFETY: the writer name BSTR is handed over to the caller, who frees it once.
    let name = unsafe { mem::take_bstr(name) };
    (
        hr,
        WriterStatusRaw {
            instance,
            class,
            name,
            state,
            failure,
        },
    )
}

pub fn free_writer_status(b: &IVssBackupComponents) -> HRESULT {
    slot!(b, FreeWriterStatus)
}

pub fn abort_backup(b: &IVssBackupComponents) -> HRESULT {
    slot!(b, AbortBackup)
}

/// `DeleteSnapshots`: the HRESULT, how many were deleted, and the one that was not.
pub fn delete_snapshots(
    b: &IVssBackupComponents,
    id: GUID,
    object_type: i32,
    force: bool,
) -> (HRESULT, i32, GUID) {
    let mut deleted = 0i32;
    let mut nondeleted = GUID::zeroed();
    let hr = slot!(
        b,
        DeleteSnapshots,
        id,
        object_type,
        i32::from(force),
        &mut deleted,
        &mut nondeleted
    );
    (hr, deleted, nondeleted)
}

pub fn is_volume_supported(
    b: &IVssBackupComponents,
    provider: GUID,
    volume: &str,
) -> (HRESULT, bool) {
    let mut w = mem::wide(volume);
    let mut supported = 0i32;
    let hr = slot!(
        b,
        IsVolumeSupported,
        provider,
        w.as_mut_ptr(),
        &mut supported
    );
    (hr, supported != 0)
}

pub fn query(
    b: &IVssBackupComponents,
    object: GUID,
    queried_type: i32,
    returned_type: i32,
) -> (HRESULT, Option<IVssEnumObject>) {
    let mut p: *mut c_void = core::ptr::null_mut();
    let hr = slot!(b, Query, object, queried_type, returned_type, &mut p);
    (hr, adopt(p))
}

/// `IVssEnumObject::Next` for one element: the HRESULT and the snapshot, if one came back.
pub fn enum_next(e: &IVssEnumObject) -> (HRESULT, Option<(i32, SnapshotProps)>) {
    let mut prop = VssObjectProp {
        object_type: 0,
        obj: VssSnapshotProp::zeroed(),
    };
    let mut fetched = 0u32;
    let hr = slot!(e, Next, 1, &mut prop, &mut fetched);
    if hr.is_ok() && fetched == 1 {
        let t = prop.object_type;
        (hr, Some((t, take_props(&mut prop.obj))))
    } else {
        (hr, None)
    }
}

/// `IVssEnumObject::Clone`.
pub fn enum_clone(e: &IVssEnumObject) -> (HRESULT, Option<IVssEnumObject>) {
    let mut p: *mut c_void = core::ptr::null_mut();
    let hr = slot!(e, Clone, &mut p);
    (hr, adopt(p))
}

/// `IVssEnumMgmtObject::Next` for one element: the HRESULT and the object, if one came back
/// (its strings copied, then freed with `CoTaskMemFree` as vsmgmt.h's callers must).
pub fn mgmt_enum_next(e: &IVssEnumMgmtObject) -> (HRESULT, Option<crate::com::MgmtObject>) {
    use crate::com::types::*;
    use crate::com::MgmtObject;
    let mut prop = VssMgmtObjectProp {
        object_type: 0,
        obj: VssMgmtObjectUnion {
            diff_area: VssDiffAreaProp {
                volume_name: core::ptr::null_mut(),
                diff_area_volume_name: core::ptr::null_mut(),
                maximum_diff_space: 0,
                allocated_diff_space: 0,
                used_diff_space: 0,
            },
        },
    };
    let mut fetched = 0u32;
    let hr = slot!(e, Next, 1, &mut prop, &mut fetched);
    if hr.is_err() || fetched != 1 {
        return (hr, None);
    }
    // SAFETY: `Type` says which union member the enumerator filled; its strings are
    // task-allocated (or null) and ours to free, each once.
    let object = unsafe {
        match prop.object_type {
            VSS_MGMT_OBJECT_VOLUME => {
                let v = prop.obj.vol;
                MgmtObject::Volume {
                    volume_name: mem::take_task_wstr(v.volume_name),
                    display_name: mem::take_task_wstr(v.volume_display_name),
                }
            }
            VSS_MGMT_OBJECT_DIFF_VOLUME => {
                let v = prop.obj.diff_vol;
                MgmtObject::DiffVolume {
                    volume_name: mem::take_task_wstr(v.volume_name),
                    display_name: mem::take_task_wstr(v.volume_display_name),
                    free_space: v.volume_free_space,
                    total_space: v.volume_total_space,
                }
            }
            VSS_MGMT_OBJECT_DIFF_AREA => {
                let a = prop.obj.diff_area;
                MgmtObject::DiffArea {
                    volume_name: mem::take_task_wstr(a.volume_name),
                    diff_area_volume_name: mem::take_task_wstr(a.diff_area_volume_name),
                    maximum_space: a.maximum_diff_space,
                    allocated_space: a.allocated_diff_space,
                    used_space: a.used_diff_space,
                }
            }
            // An unknown member: nothing here says which pointers it holds, so none is read.
            other => MgmtObject::Unknown(other),
        }
    };
    (hr, Some(object))
}

/// `IVssEnumMgmtObject::Clone`.
pub fn mgmt_enum_clone(e: &IVssEnumMgmtObject) -> (HRESULT, Option<IVssEnumMgmtObject>) {
    let mut p: *mut c_void = core::ptr::null_mut();
    let hr = slot!(e, Clone, &mut p);
    (hr, adopt(p))
}

/// `CoCreateInstance(CLSID_VSSCoordinator, …, IID_IVssSnapshotMgmt)`, in process or local
/// server (`CLSCTX_ALL`).
#[cfg(windows)]
pub fn create_coordinator() -> (HRESULT, Option<IVssSnapshotMgmt>) {
    const CLSCTX_ALL: u32 = 0x17;
    let clsid = crate::com::management::CLSID_VSS_COORDINATOR;
    let mut p: *mut c_void = core::ptr::null_mut();
    // SAFETY: both GUIDs live across the call; `p` receives one reference or stays null.
    let hr = unsafe {
        sys::CoCreateInstance(
            &clsid,
            core::ptr::null_mut(),
            CLSCTX_ALL,
            &IVssSnapshotMgmt::IID,
            &mut p,
        )
    };
    (hr, adopt(p))
}

/// `IVssSnapshotMgmt::GetProviderMgmtInterface` for interface `I`.
pub fn provider_mgmt_interface<I: Interface>(
    m: &IVssSnapshotMgmt,
    provider: GUID,
) -> (HRESULT, Option<I>) {
    let mut p: *mut c_void = core::ptr::null_mut();
    let hr = slot!(m, GetProviderMgmtInterface, provider, &I::IID, &mut p);
    (hr, adopt(p))
}

/// `IVssSnapshotMgmt::QuerySnapshotsByVolume`.
pub fn snapshots_by_volume(
    m: &IVssSnapshotMgmt,
    volume: &str,
    provider: GUID,
) -> (HRESULT, Option<IVssEnumObject>) {
    let mut w = mem::wide(volume);
    let mut p: *mut c_void = core::ptr::null_mut();
    let hr = slot!(m, QuerySnapshotsByVolume, w.as_mut_ptr(), provider, &mut p);
    (hr, adopt(p))
}

/// `IVssDifferentialSoftwareSnapshotMgmt3::QuerySnapshotDeltaBitmap`: the bytes per bit, the
/// bitmap's length in bits and the bitmap (copied, then freed with `CoTaskMemFree`).
pub fn snapshot_delta_bitmap(
    s: &IVssDifferentialSoftwareSnapshotMgmt3,
    older: GUID,
    younger: GUID,
) -> (HRESULT, Option<(u32, u32, Vec<u8>)>) {
    let (mut block, mut bits) = (0u32, 0u32);
    let mut p: *mut u8 = core::ptr::null_mut();
    let hr = slot!(
        s,
        QuerySnapshotDeltaBitmap,
        older,
        younger,
        &mut block,
        &mut bits,
        &mut p
    );
    if hr.is_err() {
        // SAFETY: a failed call hands nothing over; a non-null block is still ours to free.
        drop(unsafe { mem::take_task_bytes(p, 0) });
        return (hr, None);
    }
    let bytes = (bits as usize).div_ceil(8);
    // SAFETY: on success `ppbBitmap` holds `pcBitmapLength` bits, task-allocated, ours.
    let bitmap = unsafe { mem::take_task_bytes(p, bytes) };
    (hr, Some((block, bits, bitmap)))
}

/// `IVssDifferentialSoftwareSnapshotMgmt3::GetVolumeProtectLevel`.
pub fn volume_protect_level(
    s: &IVssDifferentialSoftwareSnapshotMgmt3,
    volume: &str,
) -> (HRESULT, super::types::VssVolumeProtectionInfo) {
    let mut w = mem::wide(volume);
    let mut info = super::types::VssVolumeProtectionInfo::default();
    let hr = slot!(s, GetVolumeProtectLevel, w.as_mut_ptr(), &mut info);
    (hr, info)
}

/// `IVssDifferentialSoftwareSnapshotMgmt3::SetVolumeProtectLevel`.
pub fn set_volume_protect_level(
    s: &IVssDifferentialSoftwareSnapshotMgmt3,
    volume: &str,
    level: i32,
) -> HRESULT {
    let mut w = mem::wide(volume);
    slot!(s, SetVolumeProtectLevel, w.as_mut_ptr(), level)
}

/// `IVssWMComponent::GetComponentInfo`, copied into owned values, then `FreeComponentInfo`.
pub fn component_info(c: &IVssWMComponent) -> (HRESULT, Option<crate::com::ComponentInfo>) {
    let mut p: *const VssComponentInfo = core::ptr::null();
    let hr = slot!(c, GetComponentInfo, &mut p);
    if hr.is_err() || p.is_null() {
        return (hr, None);
    }
    // SAFETY: on success the component hands out a valid VSS_COMPONENTINFO that stays alive
    // until FreeComponentInfo; its strings are BSTRs (or NULL) and `pbIcon` holds `cbIcon`
    // bytes (or is NULL). Everything is copied before the block is freed, once.
    let info = unsafe {
        let i = &*p;
        let icon = if i.icon.is_null() || i.icon_len == 0 {
            Vec::new()
        } else {
            core::slice::from_raw_parts(i.icon, i.icon_len as usize).to_vec()
        };
        crate::com::ComponentInfo {
            component_type: i.component_type,
            logical_path: mem::read_wide(i.logical_path),
            name: mem::read_wide(i.component_name),
            caption: mem::read_wide(i.caption),
            icon,
            restore_metadata: i.restore_metadata != 0,
            notify_on_backup_complete: i.notify_on_backup_complete != 0,
            selectable: i.selectable != 0,
            selectable_for_restore: i.selectable_for_restore != 0,
            flags: i.component_flags,
            file_count: i.file_count,
            database_count: i.database_count,
            log_file_count: i.log_file_count,
            dependency_count: i.dependency_count,
        }
    };
    let freed = slot!(c, FreeComponentInfo, p);
    (if freed.is_err() { freed } else { hr }, Some(info))
}

/// `IVssBackupComponents::GetWriterComponents`: the `IVssWriterComponentsExt` object, whose
/// IUnknown is its second vtable pointer (the C++ class inherits IVssWriterComponents, then
/// IUnknown).
pub fn writer_components(
    b: &IVssBackupComponents,
    index: u32,
) -> (HRESULT, Option<crate::com::WriterComponents>) {
    let mut p: *mut c_void = core::ptr::null_mut();
    let hr = slot!(b, GetWriterComponents, index, &mut p);
    // SAFETY: a non-null out-pointer is the IVssWriterComponentsExt object whose reference
    // the slot handed over.
    (hr, unsafe { crate::com::WriterComponents::from_raw_ext(p) })
}

impl crate::com::WriterComponents {
    /// Takes over an `IVssWriterComponentsExt` pointer (one reference), `None` for NULL.
    ///
    /// # Safety
    /// `p` is NULL or a live `IVssWriterComponentsExt` object: its first vtable pointer is
    /// IVssWriterComponents', the one after it is the IUnknown owning the reference passed in.
    pub unsafe fn from_raw_ext(p: *mut c_void) -> Option<Self> {
        if p.is_null() {
            return None;
        }
        // SAFETY: as the caller guarantees. The IVssWriterComponents view needs no release (it
        // has no IUnknown); the IUnknown view takes the reference and releases it on drop.
        let (inner, owner) = unsafe {
            let unknown = (p as *mut *mut c_void).add(1) as *mut c_void;
            (
                IVssWriterComponents::from_raw(p),
                crate::com::IUnknown::from_raw(unknown),
            )
        };
        Some(crate::com::WriterComponents::from_parts(inner, owner))
    }
}

pub fn async_cancel(a: &IVssAsync) -> HRESULT {
    slot!(a, Cancel)
}

pub fn async_wait(a: &IVssAsync, millis: u32) -> HRESULT {
    slot!(a, Wait, millis)
}

/// `QueryStatus`: the call's own HRESULT and the operation's status.
pub fn async_query_status(a: &IVssAsync) -> (HRESULT, HRESULT) {
    let mut status = HRESULT(0);
    let hr = slot!(a, QueryStatus, &mut status, core::ptr::null_mut());
    (hr, status)
}

/// `CreateVssBackupComponents` (the header's inline wrapper around the DLL export).
#[cfg(windows)]
pub fn create_backup_components() -> (HRESULT, Option<IVssBackupComponents>) {
    let mut p: *mut c_void = core::ptr::null_mut();
    // SAFETY: the export writes one interface pointer (or nothing) to `p`.
    let hr = unsafe { sys::CreateVssBackupComponentsInternal(&mut p) };
    (hr, adopt(p))
}

/// `CoInitializeEx(NULL, flags)`.
#[cfg(windows)]
pub fn co_initialize_ex(flags: u32) -> HRESULT {
    // SAFETY: the reserved argument must be null; flags are plain values.
    unsafe { sys::CoInitializeEx(core::ptr::null(), flags) }
}

/// `CoInitializeSecurity` with process-wide defaults for a VSS requester.
#[cfg(windows)]
pub fn co_initialize_security(authn_level: u32, imp_level: u32, capabilities: u32) -> HRESULT {
    // SAFETY: every pointer argument is null, which the function accepts (no security
    // descriptor, default services, no authentication list).
    unsafe {
        sys::CoInitializeSecurity(
            core::ptr::null_mut(),
            -1,
            core::ptr::null_mut(),
            core::ptr::null_mut(),
            authn_level,
            imp_level,
            core::ptr::null_mut(),
            capabilities,
            core::ptr::null_mut(),
        )
    }
}

/// `GetVolumePathNameW`: the volume (or mount point) a path lives on, `C:\` or
/// `C:\mnt\data\`; `None` when the system cannot say.
#[cfg(windows)]
pub fn volume_path_name(path: &str) -> Option<String> {
    let w = mem::wide(path);
    let mut buf = vec![0u16; path.len() + 64];
    // SAFETY: `w` is NUL-terminated and `buf` is writable for its length in characters.
    let ok = unsafe { sys::GetVolumePathNameW(w.as_ptr(), buf.as_mut_ptr(), buf.len() as u32) };
    if ok == 0 {
        return None;
    }
    let n = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
    Some(String::from_utf16_lossy(&buf[..n]))
}
