//! The hand-written wrappers that own memory in their own ways, against the C call probe:
//! `VSS_COMPONENTINFO` copied then given back through `FreeComponentInfo`, a
//! `VSS_SNAPSHOT_PROP`'s CoTaskMem strings freed, and `IVssWriterComponentsExt` released
//! through its second vtable pointer; the management calls written by hand (the provider's
//! shadow storage, snapshots by volume, `MgmtObject` items, the delta bitmap) and the
//! enumerators' `Next`; every block the probe made is freed once.

use super::driver::{probe_guid, Probe};
use vss_errors::com::{BackupComponents, IVssBackupComponents, IVssWMComponent, WmComponent};

/// A backup components object on the probe, and the counts with it alive, the log cleared.
fn backup_components(probe: &Probe) -> (BackupComponents, super::driver::Counts) {
    let b = BackupComponents::from_interface(
        probe.object::<IVssBackupComponents>("IVssBackupComponents"),
    );
    let before = probe.counts();
    probe.clear();
    (b, before)
}

#[test]
fn component_info_is_copied_and_given_back() {
    let probe = Probe::get();
    let _one_at_a_time = probe.lock();
    let c = WmComponent::from_interface(probe.object::<IVssWMComponent>("IVssWMComponent"));
    let before = probe.counts();
    probe.clear();
    let info = c.info().expect("the probe returns S_OK");
    assert_eq!(
        probe.log(),
        "IVssWMComponent.GetComponentInfo(ppInfo=out)\nIVssWMComponent.FreeComponentInfo(pInfo=freed)\n"
    );
    assert_eq!(info.logical_path, "probe\\path");
    assert_eq!(info.name, "probe component");
    assert_eq!(info.caption, "Probe caption");
    assert!(info.selectable && !info.restore_metadata);
    assert_eq!(
        (
            info.file_count,
            info.database_count,
            info.log_file_count,
            info.dependency_count,
            info.flags
        ),
        (2, 3, 4, 5, 6)
    );
    assert_eq!(
        probe.counts(),
        before,
        "the info block and its BSTRs are freed once"
    );
    drop(c);
    assert_eq!(probe.counts(), before.released_one());
}

#[test]
fn snapshot_properties_free_their_strings() {
    let probe = Probe::get();
    let _one_at_a_time = probe.lock();
    let (b, before) = backup_components(probe);
    let p = b
        .snapshot_properties(probe_guid(9))
        .expect("the probe returns S_OK");
    assert_eq!(
        probe.log(),
        "IVssBackupComponents.GetSnapshotProperties(SnapshotId={00000009-1111-2222-3344-5566778899aa}, pProp=out)\n"
    );
    assert_eq!(
        p.device_object,
        "\\\\?\\GLOBALROOT\\Device\\ProbeShadowCopy1"
    );
    assert_eq!(p.original_volume, "\\\\?\\Volume{probe}\\");
    assert_eq!(
        (p.originating_machine.as_str(), p.service_machine.as_str()),
        ("probe-origin", "probe-service")
    );
    assert_eq!(
        (p.snapshot_id, p.snapshot_set_id, p.provider_id),
        (probe_guid(1), probe_guid(2), probe_guid(3))
    );
    assert_eq!(p.attributes, 7);
    assert_eq!(probe.counts(), before, "each CoTaskMem string freed once");
    drop(b);
    assert_eq!(probe.counts(), before.released_one());
}

#[test]
fn writer_components_are_released_through_their_iunknown() {
    let probe = Probe::get();
    let _one_at_a_time = probe.lock();
    let (b, before) = backup_components(probe);
    let w = b.writer_components(4).expect("the probe returns S_OK");
    assert_eq!(
        probe.log(),
        "IVssBackupComponents.GetWriterComponents(iWriter=4, ppWriter=out)\n"
    );
    assert_eq!(probe.counts().live_objects, before.live_objects + 1);
    drop(w);
    assert_eq!(probe.counts(), before, "the Ext object is released, once");
    drop(b);
    assert_eq!(probe.counts(), before.released_one());
}

/// A shadow-storage object reached the way the wrapper reaches it: `GetProviderMgmtInterface`
/// for the software provider and `IID_IVssDifferentialSoftwareSnapshotMgmt`.
#[test]
fn shadow_storage_asks_the_software_provider_for_its_interface() {
    use vss_errors::com::management::VSS_SWPRV_PROVIDER_ID;
    use vss_errors::com::Interface;
    use vss_errors::com::{
        IVssDifferentialSoftwareSnapshotMgmt, IVssSnapshotMgmt, SnapshotManagement,
    };
    let probe = Probe::get();
    let _one_at_a_time = probe.lock();
    let m =
        SnapshotManagement::from_interface(probe.object::<IVssSnapshotMgmt>("IVssSnapshotMgmt"));
    let before = probe.counts();
    probe.clear();
    let s = m.shadow_storage().expect("the probe returns S_OK");
    let guid = |g: vss_errors::GUID| format!("{{{g:?}}}").to_lowercase();
    assert_eq!(
        probe.log().to_lowercase(),
        format!(
            "ivsssnapshotmgmt.getprovidermgmtinterface(providerid={}, interfaceid={}, ppitf=out)\n",
            guid(VSS_SWPRV_PROVIDER_ID),
            guid(IVssDifferentialSoftwareSnapshotMgmt::IID)
        )
    );
    assert_eq!(probe.counts().live_objects, before.live_objects + 1);
    // The object is the storage it asked for: its slots answer.
    probe.clear();
    s.add_diff_area("C:\\", "D:\\", 5)
        .expect("the probe returns S_OK");
    assert!(probe
        .log()
        .starts_with("IVssDifferentialSoftwareSnapshotMgmt.AddDiffArea("));
    drop(s);
    assert_eq!(probe.counts(), before, "the storage is released, once");
    drop(m);
    assert_eq!(probe.counts(), before.released_one());
}

#[test]
fn snapshots_by_volume_passes_the_volume_and_provider() {
    use vss_errors::com::{IVssSnapshotMgmt, SnapshotManagement};
    let probe = Probe::get();
    let _one_at_a_time = probe.lock();
    let m =
        SnapshotManagement::from_interface(probe.object::<IVssSnapshotMgmt>("IVssSnapshotMgmt"));
    let before = probe.counts();
    probe.clear();
    let mut e = m
        .snapshots_by_volume("C:\\", probe_guid(7))
        .expect("the probe returns S_OK");
    assert_eq!(
        probe.log(),
        "IVssSnapshotMgmt.QuerySnapshotsByVolume(pwszVolumeName=\"C:\\\", ProviderId={00000007-1111-2222-3344-5566778899aa}, ppEnum=out)\n"
    );
    // The enumerator's Next hands out one snapshot, its strings freed by the iterator.
    probe.clear();
    let snap = e.next().expect("one item").expect("S_OK");
    assert_eq!(
        snap.device_object,
        "\\\\?\\GLOBALROOT\\Device\\ProbeShadowCopy1"
    );
    assert_eq!(snap.snapshot_id, probe_guid(1));
    assert!(probe
        .log()
        .starts_with("IVssEnumObject.Next(celt=1, rgelt=out, pceltFetched=out)"));
    drop(e);
    assert_eq!(
        probe.counts(),
        before,
        "strings freed once, the enumerator released"
    );
    drop(m);
    assert_eq!(probe.counts(), before.released_one());
}

#[test]
fn management_objects_are_copied_and_their_strings_freed() {
    use vss_errors::com::{IVssEnumMgmtObject, MgmtObject, MgmtObjectEnum};
    let probe = Probe::get();
    let _one_at_a_time = probe.lock();
    let mut e =
        MgmtObjectEnum::from_interface(probe.object::<IVssEnumMgmtObject>("IVssEnumMgmtObject"));
    let before = probe.counts();
    probe.clear();
    let item = e.next().expect("one item").expect("S_OK");
    assert_eq!(
        probe.log(),
        "IVssEnumMgmtObject.Next(celt=1, rgelt=out, pceltFetched=out)\n"
    );
    assert_eq!(
        item,
        MgmtObject::DiffArea {
            volume_name: "\\\\?\\Volume{probe-source}\\".into(),
            diff_area_volume_name: "\\\\?\\Volume{probe-storage}\\".into(),
            maximum_space: 11,
            allocated_space: 12,
            used_space: 13,
        }
    );
    assert_eq!(probe.counts(), before, "both CoTaskMem strings freed once");
    let clone = e.try_clone().expect("the probe returns S_OK");
    assert_eq!(probe.counts().live_objects, before.live_objects + 1);
    drop(clone);
    drop(e);
    assert_eq!(probe.counts(), before.released_one());
}

#[test]
fn the_delta_bitmap_is_copied_for_its_length_and_freed() {
    use vss_errors::com::{IVssDifferentialSoftwareSnapshotMgmt, ShadowStorage};
    let probe = Probe::get();
    let _one_at_a_time = probe.lock();
    let s = ShadowStorage::from_interface(
        probe
            .object::<IVssDifferentialSoftwareSnapshotMgmt>("IVssDifferentialSoftwareSnapshotMgmt"),
    );
    let before = probe.counts();
    probe.clear();
    let d = s
        .snapshot_delta_bitmap(probe_guid(4), probe_guid(5))
        .expect("the probe returns S_OK");
    let log = probe.log();
    assert!(
        log.starts_with(
            "IVssDifferentialSoftwareSnapshotMgmt3.QuerySnapshotDeltaBitmap(idSnapshotOlder={00000004-1111-2222-3344-5566778899aa}, idSnapshotYounger={00000005-1111-2222-3344-5566778899aa}, "
        ),
        "{log}"
    );
    assert!(d.bits > 0 && d.block_size_per_bit > 0, "{d:?}");
    assert_eq!(d.bitmap.len(), d.bits.div_ceil(8) as usize);
    assert!(d.bitmap.iter().all(|b| *b == 0xA5));
    assert!(d.changed(0) && !d.changed(1) && !d.changed(d.bits));
    assert_eq!(probe.counts(), before, "the bitmap block freed once");
    drop(s);
    assert_eq!(probe.counts(), before.released_one());
}

#[test]
fn volume_protection_is_read_field_by_field() {
    use vss_errors::com::{
        IVssDifferentialSoftwareSnapshotMgmt, ProtectionFault, ProtectionLevel, ShadowStorage,
    };
    let probe = Probe::get();
    let _one_at_a_time = probe.lock();
    let s = ShadowStorage::from_interface(
        probe
            .object::<IVssDifferentialSoftwareSnapshotMgmt>("IVssDifferentialSoftwareSnapshotMgmt"),
    );
    let before = probe.counts();
    probe.clear();
    let p = s.volume_protection("E:\\").expect("the probe returns S_OK");
    assert_eq!(
        probe.log(),
        "IVssDifferentialSoftwareSnapshotMgmt3.GetVolumeProtectLevel(pwszVolumeName=\"E:\\\", protectionLevel=out)\n"
    );
    // The probe writes consecutive values into the five fields, in header order.
    let level = p.level.to_raw();
    assert_eq!(p.level, ProtectionLevel::Unknown(level));
    assert!(p.offline && p.has_unused_diff_area);
    assert_eq!(p.fault, ProtectionFault::from_raw(level + 2));
    assert_eq!(p.failure_status, level + 3);
    probe.clear();
    s.set_volume_protect_level("E:\\", ProtectionLevel::Snapshot)
        .expect("the probe returns S_OK");
    assert_eq!(
        probe.log(),
        "IVssDifferentialSoftwareSnapshotMgmt3.SetVolumeProtectLevel(pwszVolumeName=\"E:\\\", protectionLevel=1)\n"
    );
    drop(s);
    assert_eq!(probe.counts(), before.released_one());
}
