//! Shadow-copy management (vsmgmt.h) through real vtable calls against the fault-injecting
//! VSS: the software provider's shadow storage reached from `SnapshotManagement`, diff areas
//! added, resized, listed and removed, protection levels, the enumerators as iterators,
//! documented failures, injected faults, and the calls the documentation says are not
//! supported.

use std::time::Duration;
use vss_errors::com::management::VSS_SWPRV_PROVIDER_ID;
use vss_errors::com::{
    BackupComponents, BackupType, MgmtObject, ProtectionFault, ProtectionLevel, ShadowStorage,
    SnapshotManagement,
};
use vss_errors::fake::{FakeVss, Fault, MIN_DIFF_AREA_SIZE, VOLUME_FREE_SPACE, VOLUME_TOTAL_SPACE};
use vss_errors::methods::*;
use vss_errors::Code;
use vss_errors::GUID;

fn storage(vss: &FakeVss) -> (SnapshotManagement, ShadowStorage) {
    let m = SnapshotManagement::from_interface(vss.snapshot_mgmt());
    let s = m.shadow_storage().unwrap();
    (m, s)
}

fn areas(it: vss_errors::com::MgmtObjectEnum) -> Vec<(String, String, i64)> {
    it.map(|o| match o.unwrap() {
        MgmtObject::DiffArea {
            volume_name,
            diff_area_volume_name,
            maximum_space,
            ..
        } => (volume_name, diff_area_volume_name, maximum_space),
        other => panic!("not a diff area: {other:?}"),
    })
    .collect()
}

/// A persistent snapshot of `C:\`; returns its id.
fn snapshot_of_c(vss: &FakeVss) -> GUID {
    let b = BackupComponents::from_interface(vss.backup_components());
    b.initialize_for_backup(None).unwrap();
    b.set_context(vss_errors::workflow::session::CONTEXT_APP_ROLLBACK)
        .unwrap();
    b.set_backup_state(false, false, BackupType::Full, false)
        .unwrap();
    let limit = Duration::from_secs(5);
    b.gather_writer_metadata().unwrap().wait(limit).unwrap();
    b.start_snapshot_set().unwrap();
    let id = b.add_to_snapshot_set("C:\\", GUID::zeroed()).unwrap();
    b.prepare_for_backup().unwrap().wait(limit).unwrap();
    b.do_snapshot_set().unwrap().wait(limit).unwrap();
    id
}

#[test]
fn volumes_supported_for_snapshots_and_diff_areas_come_back_as_owned_objects() {
    let vss = FakeVss::new();
    let (m, s) = storage(&vss);
    let volumes: Vec<MgmtObject> = m
        .query_volumes_supported_for_snapshots(VSS_SWPRV_PROVIDER_ID, 0)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(volumes.len(), 2);
    match &volumes[1] {
        MgmtObject::Volume {
            volume_name,
            display_name,
        } => {
            assert_eq!(display_name, "D:\\");
            assert!(volume_name.starts_with("\\\\?\\Volume{"), "{volume_name}");
        }
        other => panic!("{other:?}"),
    }
    let diff_volumes: Vec<MgmtObject> = s
        .query_volumes_supported_for_diff_areas("C:\\")
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(diff_volumes.iter().all(|v| matches!(
        v,
        MgmtObject::DiffVolume { free_space, total_space, .. }
            if *free_space == VOLUME_FREE_SPACE && *total_space == VOLUME_TOTAL_SPACE
    )));
    assert_eq!(m.min_diff_area_size().unwrap(), MIN_DIFF_AREA_SIZE);
}

#[test]
fn a_diff_area_is_added_resized_listed_and_removed() {
    let vss = FakeVss::new();
    let (_, s) = storage(&vss);
    // C: keeps its shadow copies on itself from the start.
    assert_eq!(
        areas(s.query_diff_areas_for_volume("C:\\").unwrap()),
        [("C:\\".to_string(), "C:\\".to_string(), -1)]
    );
    s.add_diff_area("D:\\", "C:\\", 1 << 30).unwrap();
    assert_eq!(
        areas(s.query_diff_areas_on_volume("C:\\").unwrap()).len(),
        2,
        "both areas live on C:"
    );
    // The documented failures, each for its documented reason.
    assert_eq!(
        s.add_diff_area("D:\\", "C:\\", 1 << 30),
        Err(AddDiffAreaError::ObjectAlreadyExists)
    );
    assert_eq!(
        s.add_diff_area("D:\\", "D:\\", 1 << 30),
        Err(AddDiffAreaError::MaximumDiffareaAssociationsReached)
    );
    assert_eq!(
        s.add_diff_area("E:\\", "C:\\", 1 << 30),
        Err(AddDiffAreaError::InvalidArg)
    );
    assert_eq!(
        s.add_diff_area("D:\\", "Z:\\", 1 << 30),
        Err(AddDiffAreaError::VolumeNotSupported)
    );
    s.change_diff_area_maximum_size("D:\\", "C:\\", 2 << 30)
        .unwrap();
    assert_eq!(
        areas(s.query_diff_areas_for_volume("d:").unwrap()),
        [("D:\\".to_string(), "C:\\".to_string(), 2 << 30)]
    );
    assert_eq!(
        s.change_diff_area_maximum_size("D:\\", "D:\\", 2 << 30),
        Err(ChangeDiffAreaMaximumSizeError::ObjectNotFound)
    );
    // Zero removes an association no shadow copy uses.
    s.change_diff_area_maximum_size("D:\\", "C:\\", 0).unwrap();
    assert_eq!(vss.diff_areas().len(), 1);
}

#[test]
fn an_area_in_use_by_a_snapshot_is_not_removed_and_is_found_for_it() {
    let vss = FakeVss::new();
    let id = snapshot_of_c(&vss);
    let (m, s) = storage(&vss);
    assert_eq!(
        areas(s.query_diff_areas_for_snapshot(id).unwrap()),
        [("C:\\".to_string(), "C:\\".to_string(), -1)]
    );
    assert_eq!(
        s.change_diff_area_maximum_size("C:\\", "C:\\", 0),
        Err(ChangeDiffAreaMaximumSizeError::VolumeInUse)
    );
    assert_eq!(
        s.change_diff_area_maximum_size_ex("C:\\", "C:\\", 0, true),
        Err(ChangeDiffAreaMaximumSizeExError::VolumeInUse)
    );
    // The snapshot is listed for its volume, with its properties.
    let snaps: Vec<_> = m
        .snapshots_by_volume("C:\\", VSS_SWPRV_PROVIDER_ID)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(snaps.len(), 1);
    assert_eq!(snaps[0].snapshot_id, id);
    assert_eq!(
        m.snapshots_by_volume("D:\\", VSS_SWPRV_PROVIDER_ID)
            .unwrap()
            .count(),
        0
    );
    // DeleteUnusedDiffAreas keeps the area a snapshot uses.
    s.delete_unused_diff_areas("C:\\").unwrap();
    assert_eq!(vss.diff_areas().len(), 1);
}

#[test]
fn protection_levels_are_set_and_read_back() {
    let vss = FakeVss::new();
    let (_, s) = storage(&vss);
    let p = s.volume_protection("C:\\").unwrap();
    assert_eq!(p.level, ProtectionLevel::OriginalVolume);
    assert_eq!(p.fault, ProtectionFault::None);
    assert!(!p.offline);
    s.set_volume_protect_level("C:\\", ProtectionLevel::Snapshot)
        .unwrap();
    assert_eq!(
        s.volume_protection("C:\\").unwrap().level,
        ProtectionLevel::Snapshot
    );
    assert_eq!(
        s.set_volume_protect_level("C:\\", ProtectionLevel::Unknown(7)),
        Err(SetVolumeProtectLevelError::InvalidArg)
    );
    s.clear_volume_protect_fault("C:\\").unwrap();
    assert_eq!(
        s.set_volume_protect_level("Q:\\", ProtectionLevel::Snapshot),
        Err(SetVolumeProtectLevelError::ObjectNotFound)
    );
    assert_eq!(
        s.volume_protection("Q:\\").map(|p| p.level),
        Err(GetVolumeProtectLevelError::ObjectNotFound)
    );
}

#[test]
fn the_enumerator_clones_skips_and_resets() {
    let vss = FakeVss::new();
    let (m, _) = storage(&vss);
    let mut e = m
        .query_volumes_supported_for_snapshots(VSS_SWPRV_PROVIDER_ID, 0)
        .unwrap();
    let first = e.next().unwrap().unwrap();
    let clone = e.try_clone().unwrap();
    assert_eq!(clone.count(), 1, "the clone starts where the original is");
    e.reset().unwrap();
    assert_eq!(e.next().unwrap().unwrap(), first);
    e.skip_items(5).unwrap();
    assert!(e.next().is_none());
}

#[test]
fn injected_faults_reach_the_typed_errors_once() {
    let vss = FakeVss::new();
    let (_, s) = storage(&vss);
    vss.inject(
        Fault::parse("IVssDifferentialSoftwareSnapshotMgmt::AddDiffArea=VSS_E_NESTED_VOLUME_LIMIT")
            .unwrap(),
    )
    .unwrap();
    let e = s.add_diff_area("D:\\", "C:\\", 1 << 30).unwrap_err();
    assert_eq!(e, AddDiffAreaError::NestedVolumeLimit);
    assert_eq!(e.code(), Some(Code::VSS_E_NESTED_VOLUME_LIMIT));
    // Delivered once: the next call succeeds.
    s.add_diff_area("D:\\", "C:\\", 1 << 30).unwrap();
    // A code the method does not document is refused.
    let refused = Fault::parse(
        "IVssDifferentialSoftwareSnapshotMgmt::QueryDiffAreasForVolume=VSS_E_VOLUME_IN_USE",
    )
    .unwrap_err();
    assert!(
        refused.to_string().contains("is not documented for"),
        "{refused}"
    );
    assert!(vss
        .calls()
        .iter()
        .any(|c| c.starts_with("IVssDifferentialSoftwareSnapshotMgmt::AddDiffArea -> 0x8004232C")));
}

#[test]
fn unsupported_calls_fail_as_the_documentation_says() {
    let vss = FakeVss::new();
    let (m, s) = storage(&vss);
    let id = snapshot_of_c(&vss);
    let e = s.snapshot_delta_bitmap(id, id).unwrap_err();
    assert!(
        matches!(e, QuerySnapshotDeltaBitmapError::Other(_)),
        "{e:?}"
    );
    assert_eq!(e.hresult().0 as u32, 0x8000_4001, "E_NOTIMPL");
    const E_NOTIMPL: u32 = 0x8000_4001;
    let migrate = s.migrate_diff_areas("C:\\", "C:\\", "D:\\").unwrap_err();
    assert_eq!(migrate.hresult().0 as u32, E_NOTIMPL);
    assert!(migrate.entry().is_none(), "the page lists no codes");
    let status = s.query_migration_status("C:\\", "C:\\").unwrap_err();
    assert_eq!(status.hresult().0 as u32, E_NOTIMPL);
    let priority = s.set_snapshot_priority(id, 1).unwrap_err();
    assert_eq!(priority.hresult().0 as u32, E_NOTIMPL);
    // Still explained: the method's name and the value's reading.
    assert!(
        priority
            .to_string()
            .starts_with("IVssDifferentialSoftwareSnapshotMgmt2::SetSnapshotPriority: "),
        "{priority}"
    );
    // Another provider has no management interface here.
    assert!(SnapshotManagement::from_interface(vss.snapshot_mgmt())
        .snapshots_by_volume("C:\\", GUID::zeroed())
        .is_err());
    drop(m);
}

/// Every failure code the catalog documents for a management method, injected once through
/// the fake, comes back from the wrapper as that method's error with that code.
#[test]
fn every_documented_failure_reaches_the_typed_error() {
    type Call = fn(&SnapshotManagement, &ShadowStorage) -> Option<vss_errors::AnyError>;
    fn any<T, E: vss_errors::MethodError>(r: Result<T, E>) -> Option<vss_errors::AnyError> {
        r.err().map(vss_errors::AnyError::new)
    }
    let calls: &[(&str, Call)] = &[
        (
            "IVssDifferentialSoftwareSnapshotMgmt::AddDiffArea",
            |_, s| any(s.add_diff_area("D:\\", "C:\\", 1 << 30)),
        ),
        (
            "IVssDifferentialSoftwareSnapshotMgmt::ChangeDiffAreaMaximumSize",
            |_, s| any(s.change_diff_area_maximum_size("C:\\", "C:\\", 1 << 30)),
        ),
        (
            "IVssDifferentialSoftwareSnapshotMgmt::QueryVolumesSupportedForDiffAreas",
            |_, s| any(s.query_volumes_supported_for_diff_areas("C:\\")),
        ),
        (
            "IVssDifferentialSoftwareSnapshotMgmt::QueryDiffAreasForVolume",
            |_, s| any(s.query_diff_areas_for_volume("C:\\")),
        ),
        (
            "IVssDifferentialSoftwareSnapshotMgmt::QueryDiffAreasOnVolume",
            |_, s| any(s.query_diff_areas_on_volume("C:\\")),
        ),
        (
            "IVssDifferentialSoftwareSnapshotMgmt::QueryDiffAreasForSnapshot",
            |_, s| any(s.query_diff_areas_for_snapshot(GUID::zeroed())),
        ),
        (
            "IVssDifferentialSoftwareSnapshotMgmt2::ChangeDiffAreaMaximumSizeEx",
            |_, s| any(s.change_diff_area_maximum_size_ex("C:\\", "C:\\", 1 << 30, false)),
        ),
        (
            "IVssDifferentialSoftwareSnapshotMgmt3::SetVolumeProtectLevel",
            |_, s| any(s.set_volume_protect_level("C:\\", ProtectionLevel::Snapshot)),
        ),
        (
            "IVssDifferentialSoftwareSnapshotMgmt3::GetVolumeProtectLevel",
            |_, s| any(s.volume_protection("C:\\")),
        ),
        (
            "IVssDifferentialSoftwareSnapshotMgmt3::ClearVolumeProtectFault",
            |_, s| any(s.clear_volume_protect_fault("C:\\")),
        ),
        (
            "IVssDifferentialSoftwareSnapshotMgmt3::DeleteUnusedDiffAreas",
            |_, s| any(s.delete_unused_diff_areas("C:\\")),
        ),
    ];
    let mut checked = 0;
    for (method, call) in calls {
        let m = vss_errors::Method::find(method).unwrap();
        let failures: Vec<Code> = m
            .entries
            .iter()
            .map(|e| e.code)
            .filter(|c| !c.is_success())
            .collect();
        assert!(!failures.is_empty(), "{method} documents failures");
        for code in failures {
            let vss = FakeVss::new();
            let (mgmt, s) = storage(&vss);
            vss.inject(Fault::new(method, code.name()).unwrap())
                .unwrap();
            let e = call(&mgmt, &s)
                .unwrap_or_else(|| panic!("{method}: {} not delivered", code.name()));
            assert_eq!(e.method().qualified_name(), *method);
            assert_eq!(e.code(), Some(code), "{method}: {e}");
            // Once: the same call now does what the machine says.
            assert!(vss.pending_faults().is_empty());
            checked += 1;
        }
    }
    // Every management method with a table of codes is in the list.
    let with_codes = vss_errors::Method::all()
        .iter()
        .filter(|m| {
            m.interface.is_some_and(|i| i.contains("SnapshotMgmt"))
                && m.entries.iter().any(|e| !e.code.is_success())
        })
        .count();
    assert_eq!(with_codes, calls.len());
    assert!(checked >= 60, "{checked} codes checked");
}
