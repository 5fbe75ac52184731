//! C structures of vss.h that the COM interfaces pass by pointer, laid out as in the header.

use windows_core::GUID;

/// `VSS_SNAPSHOT_PROP`: the properties of one shadow copy.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct VssSnapshotProp {
    /// `m_SnapshotId`.
    pub snapshot_id: GUID,
    /// `m_SnapshotSetId`.
    pub snapshot_set_id: GUID,
    /// `m_lSnapshotsCount`.
    pub snapshots_count: i32,
    /// `m_pwszSnapshotDeviceObject`.
    pub snapshot_device_object: *mut u16,
    /// `m_pwszOriginalVolumeName`.
    pub original_volume_name: *mut u16,
    /// `m_pwszOriginatingMachine`.
    pub originating_machine: *mut u16,
    /// `m_pwszServiceMachine`.
    pub service_machine: *mut u16,
    /// `m_pwszExposedName`.
    pub exposed_name: *mut u16,
    /// `m_pwszExposedPath`.
    pub exposed_path: *mut u16,
    /// `m_ProviderId`.
    pub provider_id: GUID,
    /// `m_lSnapshotAttributes`.
    pub snapshot_attributes: i32,
    /// `m_tsCreationTimestamp` (a FILETIME-like 64-bit value).
    pub creation_timestamp: i64,
    /// `m_eStatus` (`VSS_SNAPSHOT_STATE`).
    pub status: i32,
}

impl VssSnapshotProp {
    /// All zero: no strings, null ids.
    pub const fn zeroed() -> Self {
        VssSnapshotProp {
            snapshot_id: GUID::zeroed(),
            snapshot_set_id: GUID::zeroed(),
            snapshots_count: 0,
            snapshot_device_object: core::ptr::null_mut(),
            original_volume_name: core::ptr::null_mut(),
            originating_machine: core::ptr::null_mut(),
            service_machine: core::ptr::null_mut(),
            exposed_name: core::ptr::null_mut(),
            exposed_path: core::ptr::null_mut(),
            provider_id: GUID::zeroed(),
            snapshot_attributes: 0,
            creation_timestamp: 0,
            status: 0,
        }
    }
}

/// `VSS_OBJECT_PROP`: a tagged union; `obj` holds a snapshot's properties when `object_type`
/// is `VSS_OBJECT_SNAPSHOT` (3). The provider variant is smaller, so the snapshot layout
/// gives the union's size.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct VssObjectProp {
    /// `Type` (`VSS_OBJECT_TYPE`).
    pub object_type: i32,
    /// `Obj`.
    pub obj: VssSnapshotProp,
}

/// `VSS_OBJECT_SNAPSHOT`.
pub const VSS_OBJECT_SNAPSHOT: i32 = 3;
