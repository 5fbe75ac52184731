//! Shadow-copy management (vsmgmt.h), the calls written by hand: reaching the system
//! software provider's [`ShadowStorage`] from [`SnapshotManagement`], snapshots by volume,
//! the snapshot delta bitmap, and [`MgmtObjectEnum`] as an iterator over owned
//! [`MgmtObject`]s. Every other management method is generated (`generated/wrappers.rs`).

use super::objects::{MgmtObjectEnum, ObjectEnum, ShadowStorage, SnapshotManagement};
use super::raw;
use crate::com::GUID;
use crate::error::MethodError;
use crate::methods::*;

/// `CLSID_VSSCoordinator` (vsadmin.h): the object that hands out `IVssSnapshotMgmt`.
pub const CLSID_VSS_COORDINATOR: GUID = GUID::from_u128(0xe579ab5f_1cc4_44b4_bed9_de0991ff0623);

/// `VSS_SWPRV_ProviderId`: the system software provider, the one whose shadow storage
/// (`IVssDifferentialSoftwareSnapshotMgmt`) `GetProviderMgmtInterface` hands out.
pub const VSS_SWPRV_PROVIDER_ID: GUID = GUID::from_u128(0xb5946137_7b9f_4925_af80_51abd60b20d5);

/// One element of a management enumerator (`VSS_MGMT_OBJECT_PROP`), with owned strings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MgmtObject {
    /// `VSS_MGMT_OBJECT_VOLUME` (`VSS_VOLUME_PROP`): a volume that supports shadow copies.
    Volume {
        /// `m_pwszVolumeName`, `\\?\Volume{…}\`.
        volume_name: String,
        /// `m_pwszVolumeDisplayName`, such as `C:\`.
        display_name: String,
    },
    /// `VSS_MGMT_OBJECT_DIFF_VOLUME` (`VSS_DIFF_VOLUME_PROP`): a volume that can hold shadow
    /// storage.
    DiffVolume {
        /// `m_pwszVolumeName`.
        volume_name: String,
        /// `m_pwszVolumeDisplayName`.
        display_name: String,
        /// `m_llVolumeFreeSpace`, in bytes.
        free_space: i64,
        /// `m_llVolumeTotalSpace`, in bytes.
        total_space: i64,
    },
    /// `VSS_MGMT_OBJECT_DIFF_AREA` (`VSS_DIFF_AREA_PROP`): a shadow-storage area.
    DiffArea {
        /// `m_pwszVolumeName`: the volume whose shadow copies it holds.
        volume_name: String,
        /// `m_pwszDiffAreaVolumeName`: the volume it lives on.
        diff_area_volume_name: String,
        /// `m_llMaximumDiffSpace`, in bytes (-1: no limit).
        maximum_space: i64,
        /// `m_llAllocatedDiffSpace`, in bytes.
        allocated_space: i64,
        /// `m_llUsedDiffSpace`, in bytes.
        used_space: i64,
    },
    /// A `VSS_MGMT_OBJECT_TYPE` this crate does not know; its members are not read.
    Unknown(i32),
}

/// The blocks that differ between two snapshots (`QuerySnapshotDeltaBitmap`, which the
/// documentation calls not supported and reserved for future use).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeltaBitmap {
    /// Bytes of the volume each bit stands for.
    pub block_size_per_bit: u32,
    /// Bits in the bitmap.
    pub bits: u32,
    /// The bitmap, `bits` bits rounded up to whole bytes; bit `n` is bit `n % 8` of byte
    /// `n / 8`.
    pub bitmap: Vec<u8>,
}

impl DeltaBitmap {
    /// Whether block `n` changed (false past the end).
    pub fn changed(&self, n: u32) -> bool {
        n < self.bits
            && self
                .bitmap
                .get((n / 8) as usize)
                .is_some_and(|b| b & (1 << (n % 8)) != 0)
    }
}

/// `VSS_PROTECTION_LEVEL`: what VSS gives up when a volume's shadow storage runs into
/// trouble.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProtectionLevel {
    /// `VSS_PROTECTION_LEVEL_ORIGINAL_VOLUME`: the volume stays online; shadow copies are
    /// deleted (the default).
    OriginalVolume,
    /// `VSS_PROTECTION_LEVEL_SNAPSHOT`: the shadow copies are kept; the volume goes offline.
    Snapshot,
    /// A value this crate does not know, as returned.
    Unknown(i32),
}

impl ProtectionLevel {
    /// The C value.
    pub const fn to_raw(self) -> i32 {
        match self {
            ProtectionLevel::OriginalVolume => 0,
            ProtectionLevel::Snapshot => 1,
            ProtectionLevel::Unknown(v) => v,
        }
    }

    /// From the C value.
    pub const fn from_raw(v: i32) -> Self {
        match v {
            0 => ProtectionLevel::OriginalVolume,
            1 => ProtectionLevel::Snapshot,
            v => ProtectionLevel::Unknown(v),
        }
    }
}

/// `VSS_PROTECTION_FAULT`: why shadow-copy protection failed (vsmgmt.h).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each variant is the header's name in Rust case
pub enum ProtectionFault {
    None,
    DiffAreaMissing,
    IoFailureDuringOnline,
    MetaDataCorruption,
    MemoryAllocationFailure,
    MappedMemoryFailure,
    CowReadFailure,
    CowWriteFailure,
    DiffAreaFull,
    GrowTooSlow,
    GrowFailed,
    DestroyAllSnapshots,
    FileSystemFailure,
    IoFailure,
    DiffAreaRemoved,
    ExternalWriterToDiffArea,
    MountDuringClusterOffline,
    /// A value this crate does not know, as returned.
    Unknown(i32),
}

impl ProtectionFault {
    /// From the C value (`VSS_PROTECTION_FAULT_NONE` = 0 … `_MOUNT_DURING_CLUSTER_OFFLINE` = 16).
    pub const fn from_raw(v: i32) -> Self {
        use ProtectionFault::*;
        const ALL: [ProtectionFault; 17] = [
            None,
            DiffAreaMissing,
            IoFailureDuringOnline,
            MetaDataCorruption,
            MemoryAllocationFailure,
            MappedMemoryFailure,
            CowReadFailure,
            CowWriteFailure,
            DiffAreaFull,
            GrowTooSlow,
            GrowFailed,
            DestroyAllSnapshots,
            FileSystemFailure,
            IoFailure,
            DiffAreaRemoved,
            ExternalWriterToDiffArea,
            MountDuringClusterOffline,
        ];
        if v >= 0 && (v as usize) < ALL.len() {
            ALL[v as usize]
        } else {
            Unknown(v)
        }
    }
}

/// A volume's shadow-copy protection state (`VSS_VOLUME_PROTECTION_INFO`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VolumeProtection {
    /// `m_protectionLevel`.
    pub level: ProtectionLevel,
    /// `m_volumeIsOfflineForProtection`: the volume is offline because of a protection fault.
    pub offline: bool,
    /// `m_protectionFault`.
    pub fault: ProtectionFault,
    /// `m_failureStatus`: the internal failure code behind the fault.
    pub failure_status: i32,
    /// `m_volumeHasUnusedDiffArea`: a shadow-storage area on the volume is unused
    /// (`DeleteUnusedDiffAreas` removes it).
    pub has_unused_diff_area: bool,
}

/// Why [`ShadowStorage::create`] failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateManagementError {
    /// `CoCreateInstance` of the VSS coordinator failed (with its HRESULT): COM not
    /// initialized, not elevated, or the service missing.
    Activate(windows_result::HRESULT),
    /// `GetProviderMgmtInterface` failed.
    Provider(GetProviderMgmtInterfaceError),
}

/// Names the step; the method's typed error is the [`source`](std::error::Error::source).
impl std::fmt::Display for CreateManagementError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CreateManagementError::Activate(hr) => write!(
                f,
                "creating the VSS coordinator failed: {} (0x{:08X})",
                hr.message(),
                hr.0 as u32
            ),
            CreateManagementError::Provider(_) => {
                write!(f, "reaching the software provider's shadow storage failed")
            }
        }
    }
}

impl std::error::Error for CreateManagementError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CreateManagementError::Activate(_) => None,
            CreateManagementError::Provider(e) => Some(e),
        }
    }
}

impl SnapshotManagement {
    /// `CoCreateInstance(CLSID_VSSCoordinator)` for `IVssSnapshotMgmt` (COM initialized,
    /// elevated).
    #[cfg(windows)]
    pub fn create() -> Result<SnapshotManagement, CreateManagementError> {
        match raw::create_coordinator() {
            (hr, Some(m)) if hr.is_ok() => Ok(SnapshotManagement::from_interface(m)),
            (hr, _) if hr.is_err() => Err(CreateManagementError::Activate(hr)),
            _ => Err(CreateManagementError::Activate(raw::marshal::E_POINTER)),
        }
    }

    /// `GetProviderMgmtInterface(VSS_SWPRV_ProviderId, IID_IVssDifferentialSoftwareSnapshotMgmt)`:
    /// the system software provider's shadow storage, the only management interface a
    /// provider hands out.
    pub fn shadow_storage(&self) -> Result<ShadowStorage, GetProviderMgmtInterfaceError> {
        let (hr, s) = raw::provider_mgmt_interface(&self.inner, VSS_SWPRV_PROVIDER_ID);
        GetProviderMgmtInterfaceError::classify(hr).map(drop)?;
        s.map(ShadowStorage::from_interface)
            .ok_or_else(|| GetProviderMgmtInterfaceError::from_failure(raw::marshal::E_POINTER))
    }

    /// `QuerySnapshotsByVolume`: the snapshots of `volume` (`C:\` or `\\?\Volume{…}\`) made by
    /// `provider` (`VSS_SWPRV_PROVIDER_ID` for the system's), as an iterator.
    pub fn snapshots_by_volume(
        &self,
        volume: &str,
        provider: GUID,
    ) -> Result<ObjectEnum, QuerySnapshotsByVolumeError> {
        let (hr, e) = raw::snapshots_by_volume(&self.inner, volume, provider);
        QuerySnapshotsByVolumeError::classify(hr).map(drop)?;
        e.map(ObjectEnum::from_interface)
            .ok_or_else(|| QuerySnapshotsByVolumeError::from_failure(raw::marshal::E_POINTER))
    }
}

impl ShadowStorage {
    /// [`SnapshotManagement::create`], then [`SnapshotManagement::shadow_storage`].
    #[cfg(windows)]
    pub fn create() -> Result<ShadowStorage, CreateManagementError> {
        SnapshotManagement::create()?
            .shadow_storage()
            .map_err(CreateManagementError::Provider)
    }

    /// `IVssDifferentialSoftwareSnapshotMgmt3::QuerySnapshotDeltaBitmap`: which blocks
    /// differ between two snapshots of one volume (`older` made before `younger`).
    ///
    /// The documentation says the method is not supported and reserved for future use, so
    /// expect a failure. Should a system succeed, the length it returns is read as a count of
    /// bits: at most that many bits' bytes are copied, which never reads past the block
    /// whichever unit it counts in.
    ///
    /// Reached through `QueryInterface`; where the system lacks it, the error is
    /// `E_NOINTERFACE` (as `Other`).
    pub fn snapshot_delta_bitmap(
        &self,
        older: GUID,
        younger: GUID,
    ) -> Result<DeltaBitmap, QuerySnapshotDeltaBitmapError> {
        let mgmt3 = raw::marshal::cast::<
            super::IVssDifferentialSoftwareSnapshotMgmt3,
            QuerySnapshotDeltaBitmapError,
        >(&self.inner)?;
        let (hr, out) = raw::snapshot_delta_bitmap(&mgmt3, older, younger);
        QuerySnapshotDeltaBitmapError::classify(hr).map(drop)?;
        let (block_size_per_bit, bits, bitmap) = out
            .ok_or_else(|| QuerySnapshotDeltaBitmapError::from_failure(raw::marshal::E_POINTER))?;
        Ok(DeltaBitmap {
            block_size_per_bit,
            bits,
            bitmap,
        })
    }
}

impl ShadowStorage {
    /// `IVssDifferentialSoftwareSnapshotMgmt3::GetVolumeProtectLevel`: the volume's protection
    /// level and state.
    ///
    /// Reached through `QueryInterface`; where the system lacks it, the error is
    /// `E_NOINTERFACE` (as `Other`).
    pub fn volume_protection(
        &self,
        volume: &str,
    ) -> Result<VolumeProtection, GetVolumeProtectLevelError> {
        let mgmt3 = raw::marshal::cast::<
            super::IVssDifferentialSoftwareSnapshotMgmt3,
            GetVolumeProtectLevelError,
        >(&self.inner)?;
        let (hr, info) = raw::volume_protect_level(&mgmt3, volume);
        GetVolumeProtectLevelError::classify(hr).map(drop)?;
        Ok(VolumeProtection {
            level: ProtectionLevel::from_raw(info.protection_level),
            offline: info.volume_is_offline_for_protection != 0,
            fault: ProtectionFault::from_raw(info.protection_fault),
            failure_status: info.failure_status,
            has_unused_diff_area: info.volume_has_unused_diff_area != 0,
        })
    }

    /// `IVssDifferentialSoftwareSnapshotMgmt3::SetVolumeProtectLevel`.
    ///
    /// Reached through `QueryInterface`; where the system lacks it, the error is
    /// `E_NOINTERFACE` (as `Other`).
    pub fn set_volume_protect_level(
        &self,
        volume: &str,
        level: ProtectionLevel,
    ) -> Result<(), SetVolumeProtectLevelError> {
        let mgmt3 = raw::marshal::cast::<
            super::IVssDifferentialSoftwareSnapshotMgmt3,
            SetVolumeProtectLevelError,
        >(&self.inner)?;
        let hr = raw::set_volume_protect_level(&mgmt3, volume, level.to_raw());
        SetVolumeProtectLevelError::classify(hr).map(drop)
    }
}

impl Iterator for MgmtObjectEnum {
    type Item = Result<MgmtObject, EnumMgmtObjectNextError>;

    /// `Next(1, …)`: the next object (strings copied and freed); `None` once the enumerator
    /// returns `S_FALSE`.
    fn next(&mut self) -> Option<Self::Item> {
        let (hr, item) = raw::mgmt_enum_next(&self.inner);
        if let Err(e) = EnumMgmtObjectNextError::classify(hr) {
            return Some(Err(e));
        }
        item.map(Ok)
    }
}

impl MgmtObjectEnum {
    /// `Clone`: a second enumerator at the same position.
    pub fn try_clone(&self) -> Result<MgmtObjectEnum, EnumMgmtObjectCloneError> {
        let (hr, e) = raw::mgmt_enum_clone(&self.inner);
        EnumMgmtObjectCloneError::classify(hr).map(drop)?;
        e.map(MgmtObjectEnum::from_interface)
            .ok_or_else(|| EnumMgmtObjectCloneError::from_failure(raw::marshal::E_POINTER))
    }
}
