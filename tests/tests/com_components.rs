//! Component-mode backup and restore calls through real vtable calls against the fake: the
//! documented order (out of order is `VSS_E_BAD_STATE`), the backup components document saved
//! and loaded again, the writers' components read through `IVssWriterComponentsExt` (released
//! through its second vtable pointer) and the typed document model.

use std::time::Duration;
use vss_errors::com::model::{ComponentType, FileRestoreStatus};
use vss_errors::com::{BackupComponents, BackupType};
use vss_errors::fake::{FakeVss, WriterFault};
use vss_errors::methods::*;
use vss_errors::GUID;

const LIMIT: Duration = Duration::from_secs(5);

/// A component-mode backup of the database writer's component, up to the snapshot.
fn backed_up(vss: &FakeVss) -> (BackupComponents, GUID, GUID) {
    let b = BackupComponents::from_interface(vss.backup_components());
    b.initialize_for_backup(None).unwrap();
    b.set_backup_state(true, false, BackupType::Full, false)
        .unwrap();
    b.gather_writer_metadata().unwrap().wait(LIMIT).unwrap();
    let db = &vss.writers()[2];
    b.add_component(db.instance_id, db.writer_id, 1, "Instance1", "a")
        .unwrap();
    b.start_snapshot_set().unwrap();
    b.add_to_snapshot_set("D:\\", GUID::zeroed()).unwrap();
    b.prepare_for_backup().unwrap().wait(LIMIT).unwrap();
    b.do_snapshot_set().unwrap().wait(LIMIT).unwrap();
    (b, db.instance_id, db.writer_id)
}

#[test]
fn a_component_backup_records_its_components_in_the_document() {
    let vss = FakeVss::new();
    let (b, instance, writer) = backed_up(&vss);
    b.set_backup_succeeded(instance, writer, 1, "Instance1", "a", true)
        .unwrap();
    assert_eq!(b.writer_components_count().unwrap(), 1);
    let w = b.writer_components(0).unwrap().read().unwrap();
    assert_eq!((w.instance_id, w.writer_id), (instance, writer));
    assert_eq!(w.components.len(), 1);
    let c = &w.components[0];
    assert_eq!(
        (c.logical_path.as_str(), c.name.as_str()),
        ("Instance1", "a")
    );
    assert_eq!(c.component_type, ComponentType::Database);
    assert!(c.backup_succeeded);
    assert!(
        c.backup_stamp.starts_with("a:"),
        "the writer stamped it: {c:?}"
    );
    assert_eq!(c.backup_options, "", "no options is the empty string");
    let xml = b.save_as_xml().unwrap();
    assert!(xml.contains("componentName=\"a\""), "{xml}");
    b.backup_complete().unwrap().wait(LIMIT).unwrap();
}

#[test]
fn component_calls_out_of_order_are_bad_state() {
    let vss = FakeVss::new();
    let b = BackupComponents::from_interface(vss.backup_components());
    b.initialize_for_backup(None).unwrap();
    b.set_backup_state(true, false, BackupType::Full, false)
        .unwrap();
    let db = &vss.writers()[2];
    // Before GatherWriterMetadata.
    assert_eq!(
        b.add_component(db.instance_id, db.writer_id, 1, "Instance1", "a"),
        Err(AddComponentError::BadState)
    );
    b.gather_writer_metadata().unwrap().wait(LIMIT).unwrap();
    // SetBackupSucceeded belongs after DoSnapshotSet.
    b.add_component(db.instance_id, db.writer_id, 1, "Instance1", "a")
        .unwrap();
    assert_eq!(
        b.set_backup_succeeded(db.instance_id, db.writer_id, 1, "Instance1", "a", true),
        Err(SetBackupSucceededError::BadState)
    );
    // Twice is documented as VSS_E_OBJECT_ALREADY_EXISTS; an unknown one as E_INVALIDARG.
    assert_eq!(
        b.add_component(db.instance_id, db.writer_id, 1, "Instance1", "a"),
        Err(AddComponentError::ObjectAlreadyExists)
    );
    assert_eq!(
        b.add_component(db.instance_id, db.writer_id, 1, "Instance1", "nope"),
        Err(AddComponentError::InvalidArg)
    );
    // The document's components are readable once PrepareForBackup ran.
    assert_eq!(
        b.writer_components_count(),
        Err(GetWriterComponentsCountError::BadState)
    );
    // PreRestore belongs to a restore session.
    assert_eq!(b.pre_restore().map(drop), Err(PreRestoreError::BadState));
}

#[test]
fn a_restore_follows_the_documented_order() {
    let vss = FakeVss::new();
    let (b, instance, writer) = backed_up(&vss);
    b.set_backup_succeeded(instance, writer, 1, "Instance1", "a", true)
        .unwrap();
    b.backup_complete().unwrap().wait(LIMIT).unwrap();
    let xml = b.save_as_xml().unwrap();
    drop(b);

    let r = BackupComponents::from_interface(vss.backup_components());
    assert_eq!(
        r.initialize_for_restore("<not a document/>"),
        Err(InitializeForRestoreError::InvalidXmlDocument)
    );
    let r = BackupComponents::from_interface(vss.backup_components());
    r.initialize_for_restore(&xml).unwrap();
    r.gather_writer_metadata().unwrap().wait(LIMIT).unwrap();
    r.set_selected_for_restore(writer, 1, "Instance1", "a", true)
        .unwrap();
    r.set_restore_options(writer, 1, "Instance1", "a", "overwrite")
        .unwrap();
    r.set_restore_state(1).unwrap(); // VSS_RTYPE_BY_COPY
    assert_eq!(
        r.set_restore_state(0),
        Err(SetRestoreStateError::InvalidArg)
    );
    assert_eq!(
        r.set_selected_for_restore(writer, 1, "Instance1", "other", true),
        Err(SetSelectedForRestoreError::ObjectNotFound)
    );
    // Before PreRestore: no file restore status, no PostRestore, no components to read.
    assert_eq!(
        r.set_file_restore_status(writer, 1, "Instance1", "a", FileRestoreStatus::All.raw()),
        Err(SetFileRestoreStatusError::BadState)
    );
    assert_eq!(r.post_restore().map(drop), Err(PostRestoreError::BadState));
    assert_eq!(
        r.writer_components_count(),
        Err(GetWriterComponentsCountError::BadState)
    );
    r.pre_restore().unwrap().wait(LIMIT).unwrap();
    let w = r.writer_components(0).unwrap().read().unwrap();
    let c = &w.components[0];
    assert!(c.selected_for_restore);
    assert_eq!(c.restore_options, "overwrite");
    assert!(c.previous_backup_stamp.starts_with("a:"), "{c:?}");
    r.set_file_restore_status(writer, 1, "Instance1", "a", FileRestoreStatus::All.raw())
        .unwrap();
    r.post_restore().unwrap().wait(LIMIT).unwrap();
    let w = r.writer_components(0).unwrap().read().unwrap();
    assert_eq!(w.components[0].file_restore_status, FileRestoreStatus::All);
    assert_eq!(r.post_restore().map(drop), Err(PostRestoreError::BadState));
    r.gather_writer_status().unwrap().wait(LIMIT).unwrap();
    assert!(r.writer_statuses().unwrap().iter().all(|s| !s.failed()));
}

#[test]
fn writer_components_objects_are_released() {
    let vss = FakeVss::new();
    let (b, _, _) = backed_up(&vss);
    // Many objects, each released through its IUnknown; a wrong release path would crash or
    // leak (the fake frees the object when its count reaches zero).
    for _ in 0..1000 {
        let w = b.writer_components(0).unwrap();
        assert_eq!(w.component_count().unwrap(), 1);
    }
    assert_eq!(
        b.writer_components(5).map(drop),
        Err(GetWriterComponentsError::ObjectNotFound)
    );
}

#[test]
fn a_previous_backup_stamp_goes_into_the_document() {
    let vss = FakeVss::new();
    let b = BackupComponents::from_interface(vss.backup_components());
    b.initialize_for_backup(None).unwrap();
    b.set_backup_state(true, false, BackupType::Incremental, false)
        .unwrap();
    let db = vss.writers()[2].clone();
    assert_eq!(
        b.set_previous_backup_stamp(db.writer_id, 1, "Instance1", "a", "stamp-0"),
        Err(SetPreviousBackupStampError::BadState),
        "before GatherWriterMetadata"
    );
    b.gather_writer_metadata().unwrap().wait(LIMIT).unwrap();
    b.add_component(db.instance_id, db.writer_id, 1, "Instance1", "a")
        .unwrap();
    assert_eq!(
        b.set_previous_backup_stamp(db.writer_id, 1, "Instance1", "b", "stamp-0"),
        Err(SetPreviousBackupStampError::ObjectNotFound),
        "a component not added"
    );
    b.set_previous_backup_stamp(db.writer_id, 1, "Instance1", "a", "stamp-0")
        .unwrap();
    b.start_snapshot_set().unwrap();
    b.add_to_snapshot_set("D:\\", GUID::zeroed()).unwrap();
    b.prepare_for_backup().unwrap().wait(LIMIT).unwrap();
    let w = b.writer_components(0).unwrap().read().unwrap();
    assert_eq!(w.components[0].previous_backup_stamp, "stamp-0");
}

/// The document's first writer's first component, read whole.
fn first_component(b: &BackupComponents) -> vss_errors::com::model::BackupComponent {
    b.writer_components(0)
        .unwrap()
        .read()
        .unwrap()
        .components
        .remove(0)
}

#[test]
fn a_writer_failure_reaches_its_components_through_ivsscomponentex2() {
    let vss = FakeVss::new();
    let db = vss.writers()[2].name.clone();
    vss.inject_writer(WriterFault::parse(&format!("{db}=VSS_E_WRITERERROR_RETRYABLE")).unwrap())
        .unwrap();
    let (b, _, _) = backed_up(&vss);
    let c = first_component(&b);
    let f = c
        .failure
        .expect("the failed writer set a component failure");
    assert_eq!(
        f.code(),
        Some(vss_errors::Code::VSS_E_WRITERERROR_RETRYABLE)
    );
    assert_eq!(
        (f.application, f.message.as_str()),
        (vss_errors::HRESULT(0), "")
    );
    let ex = c.ex.expect("the fake implements IVssComponentEx");
    assert_eq!(ex.prepare_for_backup_failure, "", "S_FALSE: no message");
    assert_eq!(ex.post_snapshot_failure, "");
    // Without the fault, no component failure.
    let vss = FakeVss::new();
    let (b, _, _) = backed_up(&vss);
    let c = first_component(&b);
    assert_eq!(c.failure, None);
}

#[test]
fn a_requester_calling_a_writers_setter_is_bad_state() {
    use vss_errors::com::types::FileTime;
    use vss_errors::{AnyError, Code};
    fn any<E: vss_errors::MethodError>(r: Result<(), E>) -> AnyError {
        AnyError::new(r.expect_err("only a writer, in its event, may call it"))
    }
    let vss = FakeVss::new();
    let (b, _, _) = backed_up(&vss);
    let c = b.writer_components(0).unwrap().component(0).unwrap();
    let before = c.read().unwrap();
    let documented = [
        any(c.set_backup_metadata("m")),
        any(c.add_partial_file("D:\\db", "a.mdf", "0:1", "")),
        any(c.add_directed_target("D:\\db", "a.mdf", "0:1", "E:\\db", "a.mdf", "0:1")),
        any(c.set_restore_metadata("m")),
        any(c.set_restore_target(1)),
        any(c.set_pre_restore_failure_msg("m")),
        any(c.set_post_restore_failure_msg("m")),
        any(c.set_backup_stamp("s")),
        any(c.add_differenced_files_by_last_modify_time("D:\\db", "*", false, FileTime::default())),
        any(c.set_prepare_for_backup_failure_msg("m")),
        any(c.set_post_snapshot_failure_msg("m")),
    ];
    for e in &documented {
        assert_eq!(e.code(), Some(Code::VSS_E_BAD_STATE), "{e}");
        assert!(
            e.entry().is_some(),
            "documented for {}: {e}",
            e.method().qualified_name()
        );
    }
    // The two whose pages list no codes: the same value, kept as returned.
    for e in [
        any(c.add_differenced_files_by_last_modify_lsn("D:\\db", "*", false, "1")),
        any(c.set_failure(
            vss_errors::HRESULT(0x800423F4_u32 as i32),
            vss_errors::HRESULT(0),
            "",
            0,
        )),
    ] {
        assert_eq!(e.hresult().0 as u32, 0x8004_2301, "{e}");
        assert!(e.entry().is_none(), "{e}");
    }
    assert_eq!(c.read().unwrap(), before, "nothing changed");
}
