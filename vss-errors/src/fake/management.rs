//! The fault-injecting management objects (vsmgmt.h): the coordinator's `IVssSnapshotMgmt`
//! (and `IVssSnapshotMgmt2`), the software provider's shadow storage
//! (`IVssDifferentialSoftwareSnapshotMgmt`, 2 and 3) over the machine's diff areas, and
//! `IVssEnumMgmtObject`. Every call takes a queued fault for its method first.

#![allow(non_snake_case)]

use super::cursor::Cursor;
use super::faults::Phase;
use super::system::*;
use crate::com::management::VSS_SWPRV_PROVIDER_ID;
use crate::com::mem;
use crate::com::types::{
    VssDiffAreaProp, VssDiffVolumeProp, VssMgmtObjectProp, VssMgmtObjectUnion, VssVolumeProp,
    VssVolumeProtectionInfo, VSS_MGMT_OBJECT_DIFF_AREA, VSS_MGMT_OBJECT_DIFF_VOLUME,
    VSS_MGMT_OBJECT_VOLUME,
};
use crate::com::GUID;
use crate::generated::com_impl::{
    IVssDifferentialSoftwareSnapshotMgmt, IVssDifferentialSoftwareSnapshotMgmt2,
    IVssDifferentialSoftwareSnapshotMgmt2_Impl, IVssDifferentialSoftwareSnapshotMgmt3,
    IVssDifferentialSoftwareSnapshotMgmt3_Impl, IVssDifferentialSoftwareSnapshotMgmt_Impl,
    IVssEnumMgmtObject, IVssEnumMgmtObject_Impl, IVssSnapshotMgmt, IVssSnapshotMgmt2,
    IVssSnapshotMgmt2_Impl, IVssSnapshotMgmt_Impl,
};
use core::ffi::c_void;
use std::sync::{Arc, Mutex};
use windows_core::{implement, Interface};
use windows_result::HRESULT;

const E_NOINTERFACE: HRESULT = HRESULT(0x8000_4002_u32 as i32);
const VSS_E_PROVIDER_NOT_REGISTERED: HRESULT = HRESULT(0x8004_230E_u32 as i32);
const VSS_E_VOLUME_NOT_SUPPORTED: HRESULT = HRESULT(0x8004_230C_u32 as i32);
const VSS_E_VOLUME_IN_USE: HRESULT = HRESULT(0x8004_231D_u32 as i32);
const VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED: HRESULT = HRESULT(0x8004_231E_u32 as i32);

/// The minimum diff-area size the fake reports (`GetMinDiffAreaSize`): 320 MiB.
pub const MIN_DIFF_AREA_SIZE: i64 = 320 << 20;
/// Every fake volume's size and free space.
pub const VOLUME_TOTAL_SPACE: i64 = 100 << 30;
/// See [`VOLUME_TOTAL_SPACE`].
pub const VOLUME_FREE_SPACE: i64 = 40 << 30;

/// A shadow-storage association on the simulated machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeDiffArea {
    /// The volume whose shadow copies it holds.
    pub volume: String,
    /// The volume it lives on.
    pub diff_volume: String,
    /// Its maximum size in bytes (-1: no limit).
    pub maximum: i64,
}

/// A volume's protection state (`SetVolumeProtectLevel`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Protection {
    pub volume: String,
    pub level: i32,
    pub fault: i32,
}

/// Writes an out-parameter; `false` when the caller passed null.
///
/// # Safety
/// `p` is null or valid for a write of `T`.
unsafe fn put<T>(p: *mut T, v: T) -> bool {
    if p.is_null() {
        return false;
    }
    // SAFETY: non-null and, by the caller's contract, valid for writes.
    unsafe { p.write(v) };
    true
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs one call: a queued fault for `interface::method` first, then `f`; records it.
fn call(
    system: &Mutex<System>,
    interface: &str,
    method: &str,
    f: impl FnOnce(&mut System) -> HRESULT,
) -> HRESULT {
    let mut sys = lock(system);
    let hr = match sys.take_fault(interface, method, Phase::Call) {
        Some(hr) => hr,
        None => f(&mut sys),
    };
    sys.record(&format!("{interface}::{method}"), hr);
    hr
}

/// `C:\` for `c:`, `C:` or `c:\`; volume names compare without case.
fn volume_key(v: &str) -> String {
    let mut k = v.to_ascii_uppercase();
    if !k.ends_with('\\') {
        k.push('\\');
    }
    k
}

/// SAFETY: `p` is null or a NUL-terminated wide string (a `VSS_PWSZ` in-parameter).
unsafe fn volume_arg(p: *const u16) -> String {
    // SAFETY: as the caller guarantees.
    volume_key(&unsafe { mem::read_wide(p) })
}

pub(crate) fn new_snapshot_mgmt(system: Arc<Mutex<System>>) -> IVssSnapshotMgmt {
    FakeSnapshotMgmt { system }.into()
}

#[implement(IVssSnapshotMgmt, IVssSnapshotMgmt2)]
struct FakeSnapshotMgmt {
    system: Arc<Mutex<System>>,
}

impl IVssSnapshotMgmt_Impl for FakeSnapshotMgmt_Impl {
    unsafe fn GetProviderMgmtInterface(
        &self,
        provider_id: GUID,
        interface_id: *const GUID,
        pp_itf: *mut *mut c_void,
    ) -> HRESULT {
        call(
            &self.system,
            "IVssSnapshotMgmt",
            "GetProviderMgmtInterface",
            |_| {
                if interface_id.is_null() || pp_itf.is_null() {
                    return E_INVALIDARG;
                }
                if provider_id != VSS_SWPRV_PROVIDER_ID {
                    return VSS_E_PROVIDER_NOT_REGISTERED;
                }
                // SAFETY: checked non-null; a REFIID points to a GUID.
                let iid = unsafe { *interface_id };
                let storage: IVssDifferentialSoftwareSnapshotMgmt3 = FakeShadowStorage {
                    system: self.system.clone(),
                }
                .into();
                let p = if asks_for::<crate::com::IVssDifferentialSoftwareSnapshotMgmt>(&iid) {
                    let i: &IVssDifferentialSoftwareSnapshotMgmt = &storage;
                    i.clone().into_raw()
                } else if asks_for::<crate::com::IVssDifferentialSoftwareSnapshotMgmt2>(&iid) {
                    let i: &IVssDifferentialSoftwareSnapshotMgmt2 = &storage;
                    i.clone().into_raw()
                } else if asks_for::<crate::com::IVssDifferentialSoftwareSnapshotMgmt3>(&iid) {
                    storage.into_raw()
                } else {
                    return E_NOINTERFACE;
                };
                // SAFETY: checked non-null; one reference passes to the caller.
                unsafe { put(pp_itf, p) };
                S_OK
            },
        )
    }

    unsafe fn QueryVolumesSupportedForSnapshots(
        &self,
        provider_id: GUID,
        _l_context: i32,
        pp_enum: *mut *mut c_void,
    ) -> HRESULT {
        call(
            &self.system,
            "IVssSnapshotMgmt",
            "QueryVolumesSupportedForSnapshots",
            |sys| {
                if pp_enum.is_null() {
                    return E_INVALIDARG;
                }
                if provider_id != VSS_SWPRV_PROVIDER_ID {
                    return VSS_E_PROVIDER_NOT_REGISTERED;
                }
                let items = sys
                    .volumes
                    .iter()
                    .map(|v| Item::Volume(volume_name(v), v.clone()))
                    .collect();
                // SAFETY: checked non-null.
                unsafe {
                    put(
                        pp_enum,
                        mgmt_enum(items, Faults(self.system.clone())).into_raw(),
                    )
                };
                S_OK
            },
        )
    }

    unsafe fn QuerySnapshotsByVolume(
        &self,
        pwsz_volume_name: *mut u16,
        provider_id: GUID,
        pp_enum: *mut *mut c_void,
    ) -> HRESULT {
        // SAFETY: the caller's VSS_PWSZ.
        let volume = unsafe { volume_arg(pwsz_volume_name) };
        call(
            &self.system,
            "IVssSnapshotMgmt",
            "QuerySnapshotsByVolume",
            |sys| {
                if pp_enum.is_null() || pwsz_volume_name.is_null() {
                    return E_INVALIDARG;
                }
                if provider_id != VSS_SWPRV_PROVIDER_ID {
                    return VSS_E_PROVIDER_NOT_REGISTERED;
                }
                if !sys.has_volume(&volume) {
                    return VSS_E_OBJECT_NOT_FOUND;
                }
                let items = sys
                    .snapshots
                    .iter()
                    .filter(|s| volume_key(&s.volume) == volume)
                    .cloned()
                    .collect();
                let e = super::objects::snapshot_enum(items, Faults(self.system.clone()));
                // SAFETY: checked non-null.
                unsafe { put(pp_enum, e.into_raw()) };
                S_OK
            },
        )
    }
}

impl IVssSnapshotMgmt2_Impl for FakeSnapshotMgmt_Impl {
    unsafe fn GetMinDiffAreaSize(&self, pll_min_diff_area_size: *mut i64) -> HRESULT {
        call(
            &self.system,
            "IVssSnapshotMgmt2",
            "GetMinDiffAreaSize",
            |_| {
                // SAFETY: checked by `put`.
                if unsafe { put(pll_min_diff_area_size, MIN_DIFF_AREA_SIZE) } {
                    S_OK
                } else {
                    E_INVALIDARG
                }
            },
        )
    }
}

/// `\\?\Volume{…}\` for a drive letter, stable per letter.
pub(crate) fn volume_name(v: &str) -> String {
    let letter = v.chars().next().map_or(0, |c| c as u32);
    format!("\\\\?\\Volume{{565353{letter:02x}-0000-4000-8000-000000000000}}\\")
}

#[implement(IVssDifferentialSoftwareSnapshotMgmt3)]
struct FakeShadowStorage {
    system: Arc<Mutex<System>>,
}

const DIFF: &str = "IVssDifferentialSoftwareSnapshotMgmt";
const DIFF2: &str = "IVssDifferentialSoftwareSnapshotMgmt2";
const DIFF3: &str = "IVssDifferentialSoftwareSnapshotMgmt3";

/// Sets an association's maximum size: 0 removes it when no snapshot uses it.
fn change_maximum(sys: &mut System, volume: &str, diff_volume: &str, maximum: i64) -> HRESULT {
    let Some(i) = sys
        .diff_areas
        .iter()
        .position(|a| a.volume == volume && a.diff_volume == diff_volume)
    else {
        return VSS_E_OBJECT_NOT_FOUND;
    };
    if maximum == 0 {
        // Zero removes the association, unless a shadow copy uses it.
        if sys
            .snapshots
            .iter()
            .any(|s| volume_key(&s.volume) == volume)
        {
            return VSS_E_VOLUME_IN_USE;
        }
        sys.diff_areas.remove(i);
        return S_OK;
    }
    if maximum != -1 && maximum < MIN_DIFF_AREA_SIZE {
        return E_INVALIDARG;
    }
    sys.diff_areas[i].maximum = maximum;
    S_OK
}

impl FakeShadowStorage_Impl {
    fn areas(
        &self,
        method: &str,
        out: *mut *mut c_void,
        pick: impl Fn(&System) -> Result<Vec<Item>, HRESULT>,
    ) -> HRESULT {
        call(&self.system, DIFF, method, |sys| {
            if out.is_null() {
                return E_INVALIDARG;
            }
            match pick(sys) {
                Ok(items) => {
                    // SAFETY: checked non-null.
                    unsafe {
                        put(
                            out,
                            mgmt_enum(items, Faults(self.system.clone())).into_raw(),
                        )
                    };
                    S_OK
                }
                Err(hr) => hr,
            }
        })
    }
}

impl FakeShadowStorage_Impl {
    /// The diff areas whose `side` (source or storage volume) is `volume`, a known volume.
    fn areas_of(
        &self,
        method: &str,
        out: *mut *mut c_void,
        volume: &str,
        side: fn(&FakeDiffArea) -> &String,
    ) -> HRESULT {
        self.areas(method, out, |sys| {
            if !sys.has_volume(volume) {
                return Err(E_INVALIDARG);
            }
            Ok(sys
                .diff_areas
                .iter()
                .filter(|a| side(a) == volume)
                .map(|a| area_item(sys, a))
                .collect())
        })
    }
}

fn area_item(sys: &System, a: &FakeDiffArea) -> Item {
    let used = sys
        .snapshots
        .iter()
        .filter(|s| volume_key(&s.volume) == a.volume)
        .count() as i64
        * (16 << 20);
    Item::DiffArea(a.clone(), used.max(MIN_DIFF_AREA_SIZE / 2), used)
}

impl IVssDifferentialSoftwareSnapshotMgmt_Impl for FakeShadowStorage_Impl {
    unsafe fn AddDiffArea(
        &self,
        pwsz_volume_name: *mut u16,
        pwsz_diff_area_volume_name: *mut u16,
        ll_maximum_diff_space: i64,
    ) -> HRESULT {
        // SAFETY: the caller's VSS_PWSZ strings.
        let (volume, diff) = unsafe {
            (
                volume_arg(pwsz_volume_name),
                volume_arg(pwsz_diff_area_volume_name),
            )
        };
        call(&self.system, DIFF, "AddDiffArea", |sys| {
            if pwsz_volume_name.is_null() || pwsz_diff_area_volume_name.is_null() {
                return E_INVALIDARG;
            }
            if !sys.has_volume(&volume) {
                return E_INVALIDARG;
            }
            if !sys.has_volume(&diff) {
                return VSS_E_VOLUME_NOT_SUPPORTED;
            }
            if sys
                .diff_areas
                .iter()
                .any(|a| a.volume == volume && a.diff_volume == diff)
            {
                return VSS_E_OBJECT_ALREADY_EXISTS;
            }
            // The software provider keeps one storage area per source volume.
            if sys.diff_areas.iter().any(|a| a.volume == volume) {
                return VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED;
            }
            if ll_maximum_diff_space != -1 && ll_maximum_diff_space < MIN_DIFF_AREA_SIZE {
                return E_INVALIDARG;
            }
            sys.diff_areas.push(FakeDiffArea {
                volume,
                diff_volume: diff,
                maximum: ll_maximum_diff_space,
            });
            S_OK
        })
    }

    unsafe fn ChangeDiffAreaMaximumSize(
        &self,
        pwsz_volume_name: *mut u16,
        pwsz_diff_area_volume_name: *mut u16,
        ll_maximum_diff_space: i64,
    ) -> HRESULT {
        // SAFETY: the caller's VSS_PWSZ strings.
        let (volume, diff) = unsafe {
            (
                volume_arg(pwsz_volume_name),
                volume_arg(pwsz_diff_area_volume_name),
            )
        };
        call(&self.system, DIFF, "ChangeDiffAreaMaximumSize", |sys| {
            if pwsz_volume_name.is_null() || pwsz_diff_area_volume_name.is_null() {
                return E_INVALIDARG;
            }
            change_maximum(sys, &volume, &diff, ll_maximum_diff_space)
        })
    }

    unsafe fn QueryVolumesSupportedForDiffAreas(
        &self,
        pwsz_original_volume_name: *mut u16,
        pp_enum: *mut *mut c_void,
    ) -> HRESULT {
        // SAFETY: the caller's VSS_PWSZ.
        let original = unsafe { volume_arg(pwsz_original_volume_name) };
        self.areas("QueryVolumesSupportedForDiffAreas", pp_enum, |sys| {
            if !sys.has_volume(&original) {
                return Err(E_INVALIDARG);
            }
            Ok(sys
                .volumes
                .iter()
                .map(|v| Item::DiffVolume(volume_name(v), v.clone()))
                .collect())
        })
    }

    unsafe fn QueryDiffAreasForVolume(
        &self,
        pwsz_volume_name: *mut u16,
        pp_enum: *mut *mut c_void,
    ) -> HRESULT {
        // SAFETY: the caller's VSS_PWSZ.
        let volume = unsafe { volume_arg(pwsz_volume_name) };
        self.areas_of("QueryDiffAreasForVolume", pp_enum, &volume, |a| &a.volume)
    }

    unsafe fn QueryDiffAreasOnVolume(
        &self,
        pwsz_volume_name: *mut u16,
        pp_enum: *mut *mut c_void,
    ) -> HRESULT {
        // SAFETY: the caller's VSS_PWSZ.
        let volume = unsafe { volume_arg(pwsz_volume_name) };
        self.areas_of("QueryDiffAreasOnVolume", pp_enum, &volume, |a| {
            &a.diff_volume
        })
    }

    unsafe fn QueryDiffAreasForSnapshot(
        &self,
        snapshot_id: GUID,
        pp_enum: *mut *mut c_void,
    ) -> HRESULT {
        self.areas("QueryDiffAreasForSnapshot", pp_enum, |sys| {
            let Some(snap) = sys.snapshots.iter().find(|s| s.id == snapshot_id) else {
                return Err(E_INVALIDARG);
            };
            let volume = volume_key(&snap.volume);
            Ok(sys
                .diff_areas
                .iter()
                .filter(|a| a.volume == volume)
                .map(|a| area_item(sys, a))
                .collect())
        })
    }
}

impl IVssDifferentialSoftwareSnapshotMgmt2_Impl for FakeShadowStorage_Impl {
    unsafe fn ChangeDiffAreaMaximumSizeEx(
        &self,
        pwsz_volume_name: *mut u16,
        pwsz_diff_area_volume_name: *mut u16,
        ll_maximum_diff_space: i64,
        _b_volatile: i32,
    ) -> HRESULT {
        // SAFETY: the caller's VSS_PWSZ strings.
        let (volume, diff) = unsafe {
            (
                volume_arg(pwsz_volume_name),
                volume_arg(pwsz_diff_area_volume_name),
            )
        };
        call(&self.system, DIFF2, "ChangeDiffAreaMaximumSizeEx", |sys| {
            if pwsz_volume_name.is_null() || pwsz_diff_area_volume_name.is_null() {
                return E_INVALIDARG;
            }
            change_maximum(sys, &volume, &diff, ll_maximum_diff_space)
        })
    }

    unsafe fn MigrateDiffAreas(
        &self,
        _pwsz_volume_name: *mut u16,
        _pwsz_diff_area_volume_name: *mut u16,
        _pwsz_new_diff_area_volume_name: *mut u16,
    ) -> HRESULT {
        // Documented as not supported.
        call(&self.system, DIFF2, "MigrateDiffAreas", |_| E_NOTIMPL)
    }

    unsafe fn QueryMigrationStatus(
        &self,
        _pwsz_volume_name: *mut u16,
        _pwsz_diff_area_volume_name: *mut u16,
        _pp_async: *mut *mut c_void,
    ) -> HRESULT {
        // Documented as not supported.
        call(&self.system, DIFF2, "QueryMigrationStatus", |_| E_NOTIMPL)
    }

    unsafe fn SetSnapshotPriority(&self, _id_snapshot: GUID, _priority: u8) -> HRESULT {
        // Documented as not supported.
        call(&self.system, DIFF2, "SetSnapshotPriority", |_| E_NOTIMPL)
    }
}

impl IVssDifferentialSoftwareSnapshotMgmt3_Impl for FakeShadowStorage_Impl {
    unsafe fn SetVolumeProtectLevel(
        &self,
        pwsz_volume_name: *mut u16,
        protection_level: i32,
    ) -> HRESULT {
        // SAFETY: the caller's VSS_PWSZ.
        let volume = unsafe { volume_arg(pwsz_volume_name) };
        call(&self.system, DIFF3, "SetVolumeProtectLevel", |sys| {
            if !(0..=1).contains(&protection_level) {
                return E_INVALIDARG;
            }
            if !sys.has_volume(&volume) {
                return VSS_E_OBJECT_NOT_FOUND;
            }
            match sys.protection.iter_mut().find(|p| p.volume == volume) {
                Some(p) => p.level = protection_level,
                None => sys.protection.push(Protection {
                    volume,
                    level: protection_level,
                    fault: 0,
                }),
            }
            S_OK
        })
    }

    unsafe fn GetVolumeProtectLevel(
        &self,
        pwsz_volume_name: *mut u16,
        protection_level: *mut VssVolumeProtectionInfo,
    ) -> HRESULT {
        // SAFETY: the caller's VSS_PWSZ.
        let volume = unsafe { volume_arg(pwsz_volume_name) };
        call(&self.system, DIFF3, "GetVolumeProtectLevel", |sys| {
            if !sys.has_volume(&volume) {
                return VSS_E_OBJECT_NOT_FOUND;
            }
            let p = sys.protection.iter().find(|p| p.volume == volume);
            let info = VssVolumeProtectionInfo {
                protection_level: p.map_or(0, |p| p.level),
                volume_is_offline_for_protection: i32::from(p.is_some_and(|p| p.fault != 0)),
                protection_fault: p.map_or(0, |p| p.fault),
                failure_status: 0,
                volume_has_unused_diff_area: i32::from(
                    sys.diff_areas.iter().any(|a| a.diff_volume == volume)
                        && !sys
                            .snapshots
                            .iter()
                            .any(|s| volume_key(&s.volume) == volume),
                ),
                reserved: 0,
            };
            // SAFETY: checked by `put`.
            if unsafe { put(protection_level, info) } {
                S_OK
            } else {
                E_INVALIDARG
            }
        })
    }

    unsafe fn ClearVolumeProtectFault(&self, pwsz_volume_name: *mut u16) -> HRESULT {
        // SAFETY: the caller's VSS_PWSZ.
        let volume = unsafe { volume_arg(pwsz_volume_name) };
        call(&self.system, DIFF3, "ClearVolumeProtectFault", |sys| {
            if !sys.has_volume(&volume) {
                return VSS_E_OBJECT_NOT_FOUND;
            }
            if let Some(p) = sys.protection.iter_mut().find(|p| p.volume == volume) {
                p.fault = 0;
            }
            S_OK
        })
    }

    unsafe fn DeleteUnusedDiffAreas(&self, pwsz_diff_area_volume_name: *mut u16) -> HRESULT {
        // SAFETY: the caller's VSS_PWSZ.
        let diff = unsafe { volume_arg(pwsz_diff_area_volume_name) };
        call(&self.system, DIFF3, "DeleteUnusedDiffAreas", |sys| {
            if !sys.has_volume(&diff) {
                return VSS_E_OBJECT_NOT_FOUND;
            }
            let snapshots: Vec<String> = sys
                .snapshots
                .iter()
                .map(|s| volume_key(&s.volume))
                .collect();
            sys.diff_areas
                .retain(|a| a.diff_volume != diff || snapshots.contains(&a.volume));
            S_OK
        })
    }

    unsafe fn QuerySnapshotDeltaBitmap(
        &self,
        _id_snapshot_older: GUID,
        _id_snapshot_younger: GUID,
        _pc_block_size_per_bit: *mut u32,
        _pc_bitmap_length: *mut u32,
        _ppb_bitmap: *mut *mut u8,
    ) -> HRESULT {
        // Documented as not supported, reserved for future use.
        call(&self.system, DIFF3, "QuerySnapshotDeltaBitmap", |_| {
            E_NOTIMPL
        })
    }
}

/// What a management enumerator hands out; strings are allocated at `Next`.
#[derive(Clone, Debug)]
enum Item {
    /// `(volume name, display name)`.
    Volume(String, String),
    /// `(volume name, display name)`.
    DiffVolume(String, String),
    /// The association, allocated and used bytes.
    DiffArea(FakeDiffArea, i64, i64),
}

fn mgmt_enum(items: Vec<Item>, faults: Faults) -> IVssEnumMgmtObject {
    FakeMgmtEnum {
        cursor: Cursor::new(items),
        faults,
    }
    .into()
}

#[implement(IVssEnumMgmtObject)]
struct FakeMgmtEnum {
    cursor: Cursor<Item>,
    faults: Faults,
}

fn prop(item: &Item) -> VssMgmtObjectProp {
    match item {
        Item::Volume(name, display) => VssMgmtObjectProp {
            object_type: VSS_MGMT_OBJECT_VOLUME,
            obj: VssMgmtObjectUnion {
                vol: VssVolumeProp {
                    volume_name: mem::task_wstr(name),
                    volume_display_name: mem::task_wstr(display),
                },
            },
        },
        Item::DiffVolume(name, display) => VssMgmtObjectProp {
            object_type: VSS_MGMT_OBJECT_DIFF_VOLUME,
            obj: VssMgmtObjectUnion {
                diff_vol: VssDiffVolumeProp {
                    volume_name: mem::task_wstr(name),
                    volume_display_name: mem::task_wstr(display),
                    volume_free_space: VOLUME_FREE_SPACE,
                    volume_total_space: VOLUME_TOTAL_SPACE,
                },
            },
        },
        Item::DiffArea(a, allocated, used) => VssMgmtObjectProp {
            object_type: VSS_MGMT_OBJECT_DIFF_AREA,
            obj: VssMgmtObjectUnion {
                diff_area: VssDiffAreaProp {
                    volume_name: mem::task_wstr(&a.volume),
                    diff_area_volume_name: mem::task_wstr(&a.diff_volume),
                    maximum_diff_space: a.maximum,
                    allocated_diff_space: *allocated,
                    used_diff_space: *used,
                },
            },
        },
    }
}

impl IVssEnumMgmtObject_Impl for FakeMgmtEnum_Impl {
    unsafe fn Next(
        &self,
        celt: u32,
        rgelt: *mut VssMgmtObjectProp,
        pcelt_fetched: *mut u32,
    ) -> HRESULT {
        queued!(self.faults, ENUM_MGMT_OBJECT, "Next");
        // SAFETY: the caller's buffers, as the COM contract of `Next` gives them.
        unsafe {
            self.cursor
                .next(celt, rgelt, pcelt_fetched, |item, _| prop(item))
        }
    }

    unsafe fn Skip(&self, celt: u32) -> HRESULT {
        queued!(self.faults, ENUM_MGMT_OBJECT, "Skip");
        self.cursor.skip(celt)
    }

    unsafe fn Reset(&self) -> HRESULT {
        queued!(self.faults, ENUM_MGMT_OBJECT, "Reset");
        self.cursor.reset()
    }

    unsafe fn Clone(&self, ppenum: *mut *mut c_void) -> HRESULT {
        queued!(self.faults, ENUM_MGMT_OBJECT, "Clone");
        if ppenum.is_null() {
            return E_POINTER;
        }
        let e: IVssEnumMgmtObject = FakeMgmtEnum {
            cursor: self.cursor.fork(),
            faults: self.faults.clone(),
        }
        .into();
        // SAFETY: checked non-null above.
        unsafe { put(ppenum, e.into_raw()) };
        S_OK
    }
}
