//! The hand-written wrappers that own memory in their own ways, against the C call probe:
//! `VSS_COMPONENTINFO` copied then given back through `FreeComponentInfo`, a
//! `VSS_SNAPSHOT_PROP`'s CoTaskMem strings freed, and `IVssWriterComponentsExt` released
//! through its second vtable pointer; every block the probe made is freed once.

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
