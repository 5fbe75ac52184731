//! C structures of vss.h, vsbackup.h and vsmgmt.h that the COM interfaces pass, laid out as in
//! the headers, and their layout as rustc computes it (for the ABI oracle).

use crate::com::GUID;

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

/// `FILETIME`: 100-nanosecond intervals since 1601-01-01 (UTC), split into two halves.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileTime {
    /// `dwLowDateTime`.
    pub low: u32,
    /// `dwHighDateTime`.
    pub high: u32,
}

impl FileTime {
    /// The 64-bit count of 100-nanosecond intervals.
    pub const fn ticks(self) -> u64 {
        ((self.high as u64) << 32) | self.low as u64
    }

    /// The time from a 64-bit count of 100-nanosecond intervals.
    pub const fn from_ticks(t: u64) -> Self {
        FileTime {
            low: t as u32,
            high: (t >> 32) as u32,
        }
    }
}

/// `VSS_COMPONENTINFO` (vsbackup.h): what `IVssWMComponent::GetComponentInfo` describes; the
/// component owns it until `FreeComponentInfo`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct VssComponentInfo {
    /// `type` (`VSS_COMPONENT_TYPE`).
    pub component_type: i32,
    /// `bstrLogicalPath`.
    pub logical_path: *mut u16,
    /// `bstrComponentName`.
    pub component_name: *mut u16,
    /// `bstrCaption`.
    pub caption: *mut u16,
    /// `pbIcon`.
    pub icon: *mut u8,
    /// `cbIcon`.
    pub icon_len: u32,
    /// `bRestoreMetadata`.
    pub restore_metadata: u8,
    /// `bNotifyOnBackupComplete`.
    pub notify_on_backup_complete: u8,
    /// `bSelectable`.
    pub selectable: u8,
    /// `bSelectableForRestore`.
    pub selectable_for_restore: u8,
    /// `dwComponentFlags`.
    pub component_flags: u32,
    /// `cFileCount`.
    pub file_count: u32,
    /// `cDatabases`.
    pub database_count: u32,
    /// `cLogFiles`.
    pub log_file_count: u32,
    /// `cDependencies`.
    pub dependency_count: u32,
}

/// `VSS_VOLUME_PROP` (vsmgmt.h): a volume that supports shadow copies.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct VssVolumeProp {
    /// `m_pwszVolumeName`.
    pub volume_name: *mut u16,
    /// `m_pwszVolumeDisplayName`.
    pub volume_display_name: *mut u16,
}

/// `VSS_DIFF_VOLUME_PROP` (vsmgmt.h): a volume that can hold a shadow-storage area.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct VssDiffVolumeProp {
    /// `m_pwszVolumeName`.
    pub volume_name: *mut u16,
    /// `m_pwszVolumeDisplayName`.
    pub volume_display_name: *mut u16,
    /// `m_llVolumeFreeSpace`.
    pub volume_free_space: i64,
    /// `m_llVolumeTotalSpace`.
    pub volume_total_space: i64,
}

/// `VSS_DIFF_AREA_PROP` (vsmgmt.h): a shadow-storage (diff) area.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct VssDiffAreaProp {
    /// `m_pwszVolumeName`.
    pub volume_name: *mut u16,
    /// `m_pwszDiffAreaVolumeName`.
    pub diff_area_volume_name: *mut u16,
    /// `m_llMaximumDiffSpace`.
    pub maximum_diff_space: i64,
    /// `m_llAllocatedDiffSpace`.
    pub allocated_diff_space: i64,
    /// `m_llUsedDiffSpace`.
    pub used_diff_space: i64,
}

/// `VSS_MGMT_OBJECT_UNION` (vsmgmt.h): which member is live says `VssMgmtObjectProp::object_type`.
#[repr(C)]
#[derive(Clone, Copy)]
pub union VssMgmtObjectUnion {
    /// `Vol` (`VSS_MGMT_OBJECT_VOLUME`).
    pub vol: VssVolumeProp,
    /// `DiffVol` (`VSS_MGMT_OBJECT_DIFF_VOLUME`).
    pub diff_vol: VssDiffVolumeProp,
    /// `DiffArea` (`VSS_MGMT_OBJECT_DIFF_AREA`).
    pub diff_area: VssDiffAreaProp,
}

impl core::fmt::Debug for VssMgmtObjectUnion {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("VssMgmtObjectUnion { .. }")
    }
}

/// `VSS_MGMT_OBJECT_PROP` (vsmgmt.h): one element of an `IVssEnumMgmtObject`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct VssMgmtObjectProp {
    /// `Type` (`VSS_MGMT_OBJECT_TYPE`).
    pub object_type: i32,
    /// `Obj`.
    pub obj: VssMgmtObjectUnion,
}

/// `VSS_MGMT_OBJECT_VOLUME`.
pub const VSS_MGMT_OBJECT_VOLUME: i32 = 1;
/// `VSS_MGMT_OBJECT_DIFF_VOLUME`.
pub const VSS_MGMT_OBJECT_DIFF_VOLUME: i32 = 2;
/// `VSS_MGMT_OBJECT_DIFF_AREA`.
pub const VSS_MGMT_OBJECT_DIFF_AREA: i32 = 3;

/// `VSS_VOLUME_PROTECTION_INFO` (vsmgmt.h): a volume's shadow-copy protection state.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VssVolumeProtectionInfo {
    /// `m_protectionLevel` (`VSS_PROTECTION_LEVEL`).
    pub protection_level: i32,
    /// `m_volumeIsOfflineForProtection`.
    pub volume_is_offline_for_protection: i32,
    /// `m_protectionFault` (`VSS_PROTECTION_FAULT`).
    pub protection_fault: i32,
    /// `m_failureStatus`.
    pub failure_status: i32,
    /// `m_volumeHasUnusedDiffArea`.
    pub volume_has_unused_diff_area: i32,
    /// `m_reserved`.
    pub reserved: u32,
}

/// Field offsets in a `#[repr(C)]` type, named as in the header: `(C struct, C field, offset)`.
macro_rules! layout {
    ($( $c:literal => $ty:ty { $( $cf:literal => $f:ident ),* $(,)? } )*) => {
        /// `(C struct, C field, byte offset)` for every field of every structure here, and
        /// `(C struct, "", size)`, as rustc lays them out; the ABI oracle's test compares them
        /// with what the C compiler computes from the SDK headers.
        #[doc(hidden)]
        pub const STRUCT_LAYOUT: &[(&str, &str, usize)] = &[
            $(
                ($c, "", core::mem::size_of::<$ty>()),
                $( ($c, $cf, core::mem::offset_of!($ty, $f)), )*
            )*
        ];
    };
}

layout! {
    "VSS_SNAPSHOT_PROP" => VssSnapshotProp {
        "m_SnapshotId" => snapshot_id,
        "m_SnapshotSetId" => snapshot_set_id,
        "m_lSnapshotsCount" => snapshots_count,
        "m_pwszSnapshotDeviceObject" => snapshot_device_object,
        "m_pwszOriginalVolumeName" => original_volume_name,
        "m_pwszOriginatingMachine" => originating_machine,
        "m_pwszServiceMachine" => service_machine,
        "m_pwszExposedName" => exposed_name,
        "m_pwszExposedPath" => exposed_path,
        "m_ProviderId" => provider_id,
        "m_lSnapshotAttributes" => snapshot_attributes,
        "m_tsCreationTimestamp" => creation_timestamp,
        "m_eStatus" => status,
    }
    "VSS_OBJECT_PROP" => VssObjectProp { "Type" => object_type, "Obj" => obj }
    "VSS_COMPONENTINFO" => VssComponentInfo {
        "type" => component_type,
        "bstrLogicalPath" => logical_path,
        "bstrComponentName" => component_name,
        "bstrCaption" => caption,
        "pbIcon" => icon,
        "cbIcon" => icon_len,
        "bRestoreMetadata" => restore_metadata,
        "bNotifyOnBackupComplete" => notify_on_backup_complete,
        "bSelectable" => selectable,
        "bSelectableForRestore" => selectable_for_restore,
        "dwComponentFlags" => component_flags,
        "cFileCount" => file_count,
        "cDatabases" => database_count,
        "cLogFiles" => log_file_count,
        "cDependencies" => dependency_count,
    }
    "FILETIME" => FileTime { "dwLowDateTime" => low, "dwHighDateTime" => high }
    "VSS_VOLUME_PROP" => VssVolumeProp {
        "m_pwszVolumeName" => volume_name,
        "m_pwszVolumeDisplayName" => volume_display_name,
    }
    "VSS_DIFF_VOLUME_PROP" => VssDiffVolumeProp {
        "m_pwszVolumeName" => volume_name,
        "m_pwszVolumeDisplayName" => volume_display_name,
        "m_llVolumeFreeSpace" => volume_free_space,
        "m_llVolumeTotalSpace" => volume_total_space,
    }
    "VSS_DIFF_AREA_PROP" => VssDiffAreaProp {
        "m_pwszVolumeName" => volume_name,
        "m_pwszDiffAreaVolumeName" => diff_area_volume_name,
        "m_llMaximumDiffSpace" => maximum_diff_space,
        "m_llAllocatedDiffSpace" => allocated_diff_space,
        "m_llUsedDiffSpace" => used_diff_space,
    }
    "VSS_MGMT_OBJECT_UNION" => VssMgmtObjectUnion {
        "Vol" => vol,
        "DiffVol" => diff_vol,
        "DiffArea" => diff_area,
    }
    "VSS_MGMT_OBJECT_PROP" => VssMgmtObjectProp { "Type" => object_type, "Obj" => obj }
    "VSS_VOLUME_PROTECTION_INFO" => VssVolumeProtectionInfo {
        "m_protectionLevel" => protection_level,
        "m_volumeIsOfflineForProtection" => volume_is_offline_for_protection,
        "m_protectionFault" => protection_fault,
        "m_failureStatus" => failure_status,
        "m_volumeHasUnusedDiffArea" => volume_has_unused_diff_area,
        "m_reserved" => reserved,
    }
}
