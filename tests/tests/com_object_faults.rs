//! Every documented failure of every method of the objects a requester is handed (writer
//! metadata and its components, file sets and dependencies; the backup document's writers
//! and components; the snapshot enumerator) reaches the caller as that method's typed error:
//! each code is queued in the fake after the object was obtained, and the wrapper is called
//! through its real vtable slot.

use std::time::Duration;
use vss_errors::com::management::VSS_SWPRV_PROVIDER_ID;
use vss_errors::com::types::FileTime;
use vss_errors::com::{
    BackupComponents, BackupType, Component, ObjectEnum, SnapshotManagement, WmComponent,
    WmDependency, WmFiledesc, WriterComponents, WriterMetadata,
};
use vss_errors::fake::{FakeVss, Fault};
use vss_errors::workflow::restore::stage::PreRestored;
use vss_errors::workflow::{BackupSession, RestoreSession, Selection, SessionOptions};
use vss_errors::{AnyError, Method, MethodError};

const LIMIT: Duration = Duration::from_secs(5);

/// One of each object, from a restore of a finished backup (after PreRestore).
struct Objects {
    metadata: WriterMetadata,
    component: WmComponent,
    file: WmFiledesc,
    dependency: WmDependency,
    writer: WriterComponents,
    document: Component,
    snapshots: ObjectEnum,
    _restore: RestoreSession<PreRestored>,
}

/// The document of a finished component backup of the fake's database.
fn document(vss: &FakeVss) -> String {
    let mut opts = SessionOptions::components();
    opts.step_limit = LIMIT;
    opts.volume_of = vss_errors::workflow::components::drive_root;
    let mut s = BackupSession::new(
        BackupComponents::from_interface(vss.backup_components()),
        opts,
    )
    .initialize()
    .unwrap()
    .gather_writer_metadata()
    .unwrap();
    let writers = s.writers().unwrap();
    let keys = s
        .add_components(&writers, &Selection::path("Instance1\\a"))
        .unwrap();
    let mut s = s
        .start_snapshot_set()
        .unwrap()
        .prepare()
        .unwrap()
        .do_snapshot_set()
        .unwrap();
    s.set_backup_succeeded(&keys[0], true).unwrap();
    s.complete().unwrap().report().unwrap().document.unwrap()
}

fn objects(vss: &FakeVss) -> Objects {
    let xml = document(vss);
    let b = BackupComponents::from_interface(vss.backup_components());
    b.initialize_for_backup(None).unwrap();
    b.set_context(0).unwrap();
    b.set_backup_state(false, false, BackupType::Full, false)
        .unwrap();
    b.gather_writer_metadata().unwrap().wait(LIMIT).unwrap();
    // The writer whose component depends on another's, and one with files.
    let writers: Vec<WriterMetadata> = (0..b.writer_metadata_count().unwrap())
        .map(|i| b.writer_metadata(i).unwrap())
        .collect();
    let dependency = writers
        .iter()
        .find_map(|w| {
            let c = w.component(0).ok()?;
            c.dependency(0).ok()
        })
        .expect("a fake writer's component has a dependency");
    let (metadata, component, file) = writers
        .into_iter()
        .find_map(|w| {
            let c = w.component(0).ok()?;
            let f = c.file(0).ok()?;
            Some((w, c, f))
        })
        .expect("a fake writer's component has a file set");
    let mut restore = RestoreSession::new(
        BackupComponents::from_interface(vss.backup_components()),
        &xml,
        LIMIT,
    )
    .load()
    .unwrap();
    restore.select(&Selection::all()).unwrap();
    let restore = restore.pre_restore().unwrap();
    let writer = restore.backup_components().writer_components(0).unwrap();
    let document = writer.component(0).unwrap();
    let snapshots = SnapshotManagement::from_interface(vss.snapshot_mgmt())
        .snapshots_by_volume("D:\\", VSS_SWPRV_PROVIDER_ID)
        .unwrap();
    Objects {
        metadata,
        component,
        file,
        dependency,
        writer,
        document,
        snapshots,
        _restore: restore,
    }
}

fn any<T, E: MethodError>(r: Result<T, E>) -> Option<AnyError> {
    r.err().map(AnyError::new)
}

type Call = fn(&mut Objects) -> Option<AnyError>;

#[rustfmt::skip]
const CALLS: &[(&str, Call)] = &[
    ("IVssExamineWriterMetadata::GetAlternateLocationMapping", |o| any(o.metadata.alternate_location_mapping(0))),
    ("IVssExamineWriterMetadata::GetBackupSchema", |o| any(o.metadata.backup_schema())),
    ("IVssExamineWriterMetadata::GetComponent", |o| any(o.metadata.component(0))),
    ("IVssExamineWriterMetadata::GetExcludeFile", |o| any(o.metadata.exclude_file(0))),
    ("IVssExamineWriterMetadata::GetFileCounts", |o| any(o.metadata.file_counts())),
    ("IVssExamineWriterMetadata::GetIdentity", |o| any(o.metadata.identity())),
    ("IVssExamineWriterMetadata::GetRestoreMethod", |o| any(o.metadata.restore_method())),
    ("IVssExamineWriterMetadata::LoadFromXML", |o| any(o.metadata.load_from_xml("<WRITER_METADATA/>"))),
    ("IVssExamineWriterMetadata::SaveAsXML", |o| any(o.metadata.save_as_xml())),
    ("IVssExamineWriterMetadataEx::GetIdentityEx", |o| any(o.metadata.identity_ex())),
    ("IVssExamineWriterMetadataEx2::GetExcludeFromSnapshotCount", |o| any(o.metadata.exclude_from_snapshot_count())),
    ("IVssExamineWriterMetadataEx2::GetExcludeFromSnapshotFile", |o| any(o.metadata.exclude_from_snapshot_file(0))),
    ("IVssExamineWriterMetadataEx2::GetVersion", |o| any(o.metadata.version())),
    ("IVssWMComponent::GetComponentInfo", |o| any(o.component.info())),
    ("IVssWMComponent::GetDatabaseFile", |o| any(o.component.database_file(0))),
    ("IVssWMComponent::GetDatabaseLogFile", |o| any(o.component.database_log_file(0))),
    ("IVssWMComponent::GetDependency", |o| any(o.component.dependency(0))),
    ("IVssWMComponent::GetFile", |o| any(o.component.file(0))),
    ("IVssWMDependency::GetComponentName", |o| any(o.dependency.component_name())),
    ("IVssWMDependency::GetLogicalPath", |o| any(o.dependency.logical_path())),
    ("IVssWMDependency::GetWriterId", |o| any(o.dependency.writer_id())),
    ("IVssWMFiledesc::GetAlternateLocation", |o| any(o.file.alternate_location())),
    ("IVssWMFiledesc::GetBackupTypeMask", |o| any(o.file.backup_type_mask())),
    ("IVssWMFiledesc::GetFilespec", |o| any(o.file.filespec())),
    ("IVssWMFiledesc::GetPath", |o| any(o.file.path())),
    ("IVssWMFiledesc::GetRecursive", |o| any(o.file.recursive())),
    ("IVssWriterComponents::GetComponent", |o| any(o.writer.component(0))),
    ("IVssWriterComponents::GetComponentCount", |o| any(o.writer.component_count())),
    ("IVssWriterComponents::GetWriterInfo", |o| any(o.writer.writer_info())),
    ("IVssComponent::AddDifferencedFilesByLastModifyTime", |o| any(o.document.add_differenced_files_by_last_modify_time("D:\\db", "*", false, FileTime::default()))),
    ("IVssComponent::AddDirectedTarget", |o| any(o.document.add_directed_target("D:\\db", "a", "0:1", "E:\\db", "a", "0:1"))),
    ("IVssComponent::AddPartialFile", |o| any(o.document.add_partial_file("D:\\db", "a", "0:1", ""))),
    ("IVssComponent::GetAdditionalRestores", |o| any(o.document.additional_restores())),
    ("IVssComponent::GetAlternateLocationMapping", |o| any(o.document.alternate_location_mapping(0))),
    ("IVssComponent::GetAlternateLocationMappingCount", |o| any(o.document.alternate_location_mapping_count())),
    ("IVssComponent::GetBackupMetadata", |o| any(o.document.backup_metadata())),
    ("IVssComponent::GetBackupOptions", |o| any(o.document.backup_options())),
    ("IVssComponent::GetBackupStamp", |o| any(o.document.backup_stamp())),
    ("IVssComponent::GetBackupSucceeded", |o| any(o.document.backup_succeeded())),
    ("IVssComponent::GetComponentName", |o| any(o.document.component_name())),
    ("IVssComponent::GetComponentType", |o| any(o.document.component_type())),
    ("IVssComponent::GetDifferencedFile", |o| any(o.document.differenced_file(0))),
    ("IVssComponent::GetDifferencedFilesCount", |o| any(o.document.differenced_files_count())),
    ("IVssComponent::GetDirectedTarget", |o| any(o.document.directed_target(0))),
    ("IVssComponent::GetDirectedTargetCount", |o| any(o.document.directed_target_count())),
    ("IVssComponent::GetFileRestoreStatus", |o| any(o.document.file_restore_status())),
    ("IVssComponent::GetLogicalPath", |o| any(o.document.logical_path())),
    ("IVssComponent::GetNewTarget", |o| any(o.document.new_target(0))),
    ("IVssComponent::GetNewTargetCount", |o| any(o.document.new_target_count())),
    ("IVssComponent::GetPartialFile", |o| any(o.document.partial_file(0))),
    ("IVssComponent::GetPartialFileCount", |o| any(o.document.partial_file_count())),
    ("IVssComponent::GetPostRestoreFailureMsg", |o| any(o.document.post_restore_failure_msg())),
    ("IVssComponent::GetPreRestoreFailureMsg", |o| any(o.document.pre_restore_failure_msg())),
    ("IVssComponent::GetPreviousBackupStamp", |o| any(o.document.previous_backup_stamp())),
    ("IVssComponent::GetRestoreMetadata", |o| any(o.document.restore_metadata())),
    ("IVssComponent::GetRestoreOptions", |o| any(o.document.restore_options())),
    ("IVssComponent::GetRestoreSubcomponent", |o| any(o.document.restore_subcomponent(0))),
    ("IVssComponent::GetRestoreSubcomponentCount", |o| any(o.document.restore_subcomponent_count())),
    ("IVssComponent::GetRestoreTarget", |o| any(o.document.restore_target())),
    ("IVssComponent::IsSelectedForRestore", |o| any(o.document.is_selected_for_restore())),
    ("IVssComponent::SetBackupMetadata", |o| any(o.document.set_backup_metadata("m"))),
    ("IVssComponent::SetBackupStamp", |o| any(o.document.set_backup_stamp("s"))),
    ("IVssComponent::SetPostRestoreFailureMsg", |o| any(o.document.set_post_restore_failure_msg("m"))),
    ("IVssComponent::SetPreRestoreFailureMsg", |o| any(o.document.set_pre_restore_failure_msg("m"))),
    ("IVssComponent::SetRestoreMetadata", |o| any(o.document.set_restore_metadata("m"))),
    ("IVssComponent::SetRestoreTarget", |o| any(o.document.set_restore_target(1))),
    ("IVssComponentEx::GetAuthoritativeRestore", |o| any(o.document.authoritative_restore())),
    ("IVssComponentEx::GetPostSnapshotFailureMsg", |o| any(o.document.post_snapshot_failure_msg())),
    ("IVssComponentEx::GetPrepareForBackupFailureMsg", |o| any(o.document.prepare_for_backup_failure_msg())),
    ("IVssComponentEx::GetRestoreName", |o| any(o.document.restore_name())),
    ("IVssComponentEx::GetRollForward", |o| any(o.document.roll_forward())),
    ("IVssComponentEx::SetPostSnapshotFailureMsg", |o| any(o.document.set_post_snapshot_failure_msg("m"))),
    ("IVssComponentEx::SetPrepareForBackupFailureMsg", |o| any(o.document.set_prepare_for_backup_failure_msg("m"))),
    ("IVssComponentEx2::GetFailure", |o| any(o.document.failure())),
    ("IVssEnumObject::Clone", |o| any(o.snapshots.try_clone())),
    ("IVssEnumObject::Next", |o| o.snapshots.next().and_then(any)),
    ("IVssEnumObject::Reset", |o| any(o.snapshots.reset())),
    ("IVssEnumObject::Skip", |o| any(o.snapshots.skip_items(1))),
];

/// The interfaces of the objects above.
const INTERFACES: &[&str] = &[
    "IVssExamineWriterMetadata",
    "IVssExamineWriterMetadataEx",
    "IVssExamineWriterMetadataEx2",
    "IVssWMComponent",
    "IVssWMFiledesc",
    "IVssWMDependency",
    "IVssWriterComponents",
    "IVssComponent",
    "IVssComponentEx",
    "IVssComponentEx2",
    "IVssEnumObject",
];

#[test]
fn every_documented_failure_of_every_object_method_reaches_its_typed_error() {
    let mut checked = 0;
    for (name, call) in CALLS {
        let method = Method::find(name).unwrap();
        let failures: Vec<_> = method
            .entries
            .iter()
            .filter(|e| !e.code.is_success())
            .collect();
        assert!(!failures.is_empty(), "{name} documents failures");
        for entry in failures {
            let vss = FakeVss::new();
            let mut o = objects(&vss);
            vss.inject(Fault::new(name, entry.code.name()).unwrap())
                .unwrap();
            let what = format!("{name}: {}", entry.code.name());
            let e = call(&mut o).unwrap_or_else(|| panic!("{what}: not delivered"));
            assert_eq!(e.method().qualified_name(), *name, "{what}");
            assert_eq!(e.code(), Some(entry.code), "{what}: {e}");
            assert!(vss.pending_faults().is_empty(), "{what}: delivered once");
            checked += 1;
        }
    }
    // Every method of these interfaces with a table of codes is in the list.
    let with_codes: Vec<String> = Method::all()
        .iter()
        .filter(|m| {
            m.interface.is_some_and(|i| INTERFACES.contains(&i))
                && m.kind == vss_errors::catalog::MethodKind::Method
                && m.entries.iter().any(|e| !e.code.is_success())
        })
        .map(|m| m.qualified_name())
        .collect();
    let listed: Vec<String> = CALLS.iter().map(|(n, _)| n.to_string()).collect();
    let missing: Vec<&String> = with_codes.iter().filter(|m| !listed.contains(m)).collect();
    assert!(missing.is_empty(), "not covered: {missing:?}");
    assert_eq!(with_codes.len(), listed.len());
    assert!(checked >= 250, "{checked} (method, code) checked");
}

#[test]
fn a_fault_names_the_object_call_in_the_log() {
    let vss = FakeVss::new();
    let o = objects(&vss);
    vss.inject(Fault::parse("IVssComponent::GetBackupStamp=VSS_E_INVALID_XML_DOCUMENT").unwrap())
        .unwrap();
    assert!(o.document.backup_stamp().is_err());
    assert!(o.document.backup_stamp().is_ok());
    let calls = vss.calls();
    assert_eq!(
        calls.last().map(String::as_str),
        Some("IVssComponent::GetBackupStamp -> 0x80042311")
    );
}
