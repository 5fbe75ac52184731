//! Documented success codes reach the caller as outcomes, not as empty values: each getter of
//! the objects a requester reads (backup-document components and their Ex part, writer
//! metadata dependencies and file sets, `LoadFromXML`) is called through its real vtable slot
//! in a state where the fake has nothing to report (the documented `S_FALSE`, with that
//! method's own entry) and, where the fake's writers provide it, one where it has (`S_OK` and
//! the value).

use std::fmt::Debug;
use std::time::Duration;
use vss_errors::com::{BackupComponents, BackupType, Component, WriterMetadata};
use vss_errors::fake::FakeVss;
use vss_errors::GUID;
use vss_errors::{Method, SuccessOutcome, HRESULT};

const LIMIT: Duration = Duration::from_secs(5);

/// What was seen per method: (qualified name, documented code or `None` for `S_OK`).
#[derive(Default)]
struct Seen(Vec<(String, Option<&'static str>)>);

impl Seen {
    /// Checks a call's outcome and value: `code` is the documented success code expected,
    /// `None` for `S_OK`.
    fn check<O: SuccessOutcome + Debug, V: Debug + PartialEq>(
        &mut self,
        method: &str,
        got: (O, V),
        code: Option<&'static str>,
        value: V,
    ) {
        let m = Method::find(method).unwrap();
        let (outcome, v) = got;
        match code {
            None => assert_eq!(outcome.hresult(), HRESULT(0), "{method}: {outcome:?}"),
            Some(code) => {
                let e = outcome
                    .entry()
                    .unwrap_or_else(|| panic!("{method}: {outcome:?} is documented"));
                assert_eq!(e.code.name(), code, "{method}");
                assert!(
                    m.entry(e.code).is_some_and(|own| std::ptr::eq(own, e)),
                    "{method}: the method's own entry, with its own text"
                );
            }
        }
        assert_eq!(v, value, "{method} ({code:?})");
        self.0.push((method.to_string(), code));
    }
}

fn session(vss: &FakeVss) -> BackupComponents {
    let b = BackupComponents::from_interface(vss.backup_components());
    b.initialize_for_backup(None).unwrap();
    b.set_backup_state(true, false, BackupType::Full, false)
        .unwrap();
    b.gather_writer_metadata().unwrap().wait(LIMIT).unwrap();
    b
}

/// The document's component called `name`.
fn named(b: &BackupComponents, name: &str) -> Component {
    (0..b.writer_components_count().unwrap())
        .flat_map(|w| {
            let w = b.writer_components(w).unwrap();
            (0..w.component_count().unwrap()).map(move |i| w.component(i).unwrap())
        })
        .find(|c| c.component_name().unwrap().1 == name)
        .unwrap()
}

fn metadata_of(b: &BackupComponents, writer: &str) -> WriterMetadata {
    (0..b.writer_metadata_count().unwrap())
        .map(|i| b.writer_metadata(i).unwrap())
        .find(|m| m.read().unwrap().name == writer)
        .unwrap()
}

const NOTHING: Option<&str> = Some("S_FALSE");

#[test]
fn every_documented_success_code_of_the_objects_a_requester_reads_is_an_outcome() {
    let mut seen = Seen::default();
    let vss = FakeVss::new();
    let db = vss.writers()[2].clone();

    // Two components prepared for backup: the requester set options and a previous stamp for
    // the database's and nothing for the registry's (no logical path either); the database
    // writer stored backup metadata, the registry writer none; nothing is stamped before the
    // snapshot, and no success is reported yet.
    let registry = vss.writers()[1].clone();
    let b = session(&vss);
    b.add_component(db.instance_id, db.writer_id, 1, "Instance1", "a")
        .unwrap();
    b.add_component(registry.instance_id, registry.writer_id, 2, "", "Registry")
        .unwrap();
    b.set_backup_options(db.writer_id, 1, "Instance1", "a", "copy-only")
        .unwrap();
    b.set_previous_backup_stamp(db.writer_id, 1, "Instance1", "a", "stamp-0")
        .unwrap();
    b.start_snapshot_set().unwrap();
    b.add_to_snapshot_set("C:\\", GUID::zeroed()).unwrap();
    b.add_to_snapshot_set("D:\\", GUID::zeroed()).unwrap();
    b.prepare_for_backup().unwrap().wait(LIMIT).unwrap();
    let c = named(&b, "Registry");
    seen.check(
        "IVssComponent::GetComponentName",
        c.component_name().unwrap(),
        None,
        "Registry".into(),
    );
    seen.check(
        "IVssComponent::GetLogicalPath",
        c.logical_path().unwrap(),
        NOTHING,
        String::new(),
    );
    seen.check(
        "IVssComponent::GetBackupStamp",
        c.backup_stamp().unwrap(),
        NOTHING,
        String::new(),
    );
    seen.check(
        "IVssComponent::GetPreviousBackupStamp",
        c.previous_backup_stamp().unwrap(),
        NOTHING,
        String::new(),
    );
    seen.check(
        "IVssComponent::GetBackupOptions",
        c.backup_options().unwrap(),
        NOTHING,
        String::new(),
    );
    seen.check(
        "IVssComponent::GetBackupMetadata",
        c.backup_metadata().unwrap(),
        NOTHING,
        String::new(),
    );
    seen.check(
        "IVssComponent::GetBackupSucceeded",
        c.backup_succeeded().unwrap(),
        NOTHING,
        false,
    );
    seen.check(
        "IVssComponent::GetAdditionalRestores",
        c.additional_restores().unwrap(),
        NOTHING,
        false,
    );
    seen.check(
        "IVssComponent::GetRestoreOptions",
        c.restore_options().unwrap(),
        NOTHING,
        String::new(),
    );
    seen.check(
        "IVssComponent::GetRestoreMetadata",
        c.restore_metadata().unwrap(),
        NOTHING,
        String::new(),
    );
    seen.check(
        "IVssComponent::GetPreRestoreFailureMsg",
        c.pre_restore_failure_msg().unwrap(),
        NOTHING,
        String::new(),
    );
    seen.check(
        "IVssComponent::GetPostRestoreFailureMsg",
        c.post_restore_failure_msg().unwrap(),
        NOTHING,
        String::new(),
    );
    seen.check(
        "IVssComponentEx::GetPrepareForBackupFailureMsg",
        c.prepare_for_backup_failure_msg().unwrap(),
        NOTHING,
        String::new(),
    );
    seen.check(
        "IVssComponentEx::GetPostSnapshotFailureMsg",
        c.post_snapshot_failure_msg().unwrap(),
        NOTHING,
        String::new(),
    );
    let c = named(&b, "a");
    seen.check(
        "IVssComponent::GetLogicalPath",
        c.logical_path().unwrap(),
        None,
        "Instance1".into(),
    );
    seen.check(
        "IVssComponent::GetBackupOptions",
        c.backup_options().unwrap(),
        None,
        "copy-only".into(),
    );
    seen.check(
        "IVssComponent::GetPreviousBackupStamp",
        c.previous_backup_stamp().unwrap(),
        None,
        "stamp-0".into(),
    );
    seen.check(
        "IVssComponent::GetBackupMetadata",
        c.backup_metadata().unwrap(),
        None,
        "a: log sequence 4711".into(),
    );

    // After the snapshot: stamped, and success reported.
    b.do_snapshot_set().unwrap().wait(LIMIT).unwrap();
    b.set_backup_succeeded(db.instance_id, db.writer_id, 1, "Instance1", "a", true)
        .unwrap();
    let c = named(&b, "a");
    seen.check(
        "IVssComponent::GetBackupSucceeded",
        c.backup_succeeded().unwrap(),
        None,
        true,
    );
    let (outcome, stamp) = c.backup_stamp().unwrap();
    assert!(stamp.starts_with("a:"), "{stamp}");
    seen.check("IVssComponent::GetBackupStamp", (outcome, ()), None, ());
    let xml = b.save_as_xml().unwrap();
    b.backup_complete().unwrap().wait(LIMIT).unwrap();

    // Restored from that document: the restore side filled in.
    let r = BackupComponents::from_interface(vss.backup_components());
    r.initialize_for_restore(&xml).unwrap();
    r.gather_writer_metadata().unwrap().wait(LIMIT).unwrap();
    r.set_selected_for_restore(db.writer_id, 1, "Instance1", "a", true)
        .unwrap();
    r.set_restore_options(db.writer_id, 1, "Instance1", "a", "no-recovery")
        .unwrap();
    r.set_additional_restores(db.writer_id, 1, "Instance1", "a", true)
        .unwrap();
    r.pre_restore().unwrap().wait(LIMIT).unwrap();
    let c = named(&r, "a");
    seen.check(
        "IVssComponent::GetRestoreOptions",
        c.restore_options().unwrap(),
        None,
        "no-recovery".into(),
    );
    seen.check(
        "IVssComponent::GetAdditionalRestores",
        c.additional_restores().unwrap(),
        None,
        true,
    );
    seen.check(
        "IVssComponent::GetRestoreMetadata",
        c.restore_metadata().unwrap(),
        None,
        "restoring from a: log sequence 4711".into(),
    );
    // The requester reports a failed copy; the writer says why it did not recover.
    r.set_file_restore_status(db.writer_id, 1, "Instance1", "a", 3)
        .unwrap();
    r.post_restore().unwrap().wait(LIMIT).unwrap();
    seen.check(
        "IVssComponent::GetPostRestoreFailureMsg",
        named(&r, "a").post_restore_failure_msg().unwrap(),
        None,
        "a: the restored files are incomplete; the database was not recovered".into(),
    );

    // Writer metadata: the registry's dependency on the system writer's files, while the
    // system writer runs and after it stopped; the database's file sets.
    let b = session(&vss);
    let system = vss.writers()[0].clone();
    let dependency = || {
        metadata_of(&b, "Registry Writer")
            .component(0)
            .unwrap()
            .dependency(0)
            .unwrap()
    };
    let d = dependency();
    seen.check(
        "IVssWMDependency::GetWriterId",
        d.writer_id().unwrap(),
        None,
        system.writer_id,
    );
    seen.check(
        "IVssWMDependency::GetComponentName",
        d.component_name().unwrap(),
        None,
        "System Files".into(),
    );
    seen.check(
        "IVssWMDependency::GetLogicalPath",
        d.logical_path().unwrap(),
        None,
        String::new(),
    );
    vss.stop_writer("System Writer").unwrap();
    let d = dependency();
    seen.check(
        "IVssWMDependency::GetWriterId",
        d.writer_id().unwrap(),
        NOTHING,
        system.writer_id,
    );
    seen.check(
        "IVssWMDependency::GetComponentName",
        d.component_name().unwrap(),
        NOTHING,
        "System Files".into(),
    );
    seen.check(
        "IVssWMDependency::GetLogicalPath",
        d.logical_path().unwrap(),
        NOTHING,
        String::new(),
    );
    assert!(!d.read().unwrap().writer_found, "the model says so too");

    let m = metadata_of(&b, "Database Writer");
    let database = m.component(0).unwrap().database_file(0).unwrap();
    seen.check(
        "IVssWMFiledesc::GetAlternateLocation",
        database.alternate_location().unwrap(),
        NOTHING,
        String::new(),
    );
    let mapping = m.alternate_location_mapping(0).unwrap();
    seen.check(
        "IVssWMFiledesc::GetAlternateLocation",
        mapping.alternate_location().unwrap(),
        None,
        "D:\\restore\\db".into(),
    );

    // LoadFromXML: a writer's own saved metadata loads; anything else is "not loaded".
    let registry_xml = metadata_of(&b, "Registry Writer").save_as_xml().unwrap();
    seen.check(
        "IVssExamineWriterMetadata::LoadFromXML",
        (m.load_from_xml(&registry_xml).unwrap(), ()),
        None,
        (),
    );
    assert_eq!(
        m.read().unwrap().name,
        "Registry Writer",
        "the loaded contents replaced the old"
    );
    seen.check(
        "IVssExamineWriterMetadata::LoadFromXML",
        (m.load_from_xml("<not metadata/>").unwrap(), ()),
        NOTHING,
        (),
    );
    assert_eq!(
        m.read().unwrap().name,
        "Registry Writer",
        "a document not loaded changes nothing"
    );

    // Every documented success code of these objects' methods was seen, except the one the
    // documentation says never occurs; and every method with one was also seen succeeding
    // with S_OK, except the messages of writer handlers the fake's writers never fail in.
    const NEVER: &[(&str, &str)] = &[("IVssComponent::GetComponentName", "S_FALSE")];
    const NO_MESSAGE: &[&str] = &[
        "IVssComponent::GetPreRestoreFailureMsg",
        "IVssComponentEx::GetPrepareForBackupFailureMsg",
        "IVssComponentEx::GetPostSnapshotFailureMsg",
    ];
    let interfaces = [
        "IVssComponent",
        "IVssComponentEx",
        "IVssWMDependency",
        "IVssWMFiledesc",
        "IVssExamineWriterMetadata",
    ];
    for m in Method::all() {
        if !m.interface.is_some_and(|i| interfaces.contains(&i)) {
            continue;
        }
        let name = m.qualified_name();
        for e in m.entries.iter().filter(|e| e.code.is_success()) {
            let code = e.code.name();
            let expected = !NEVER.contains(&(name.as_str(), code));
            let was = seen.0.iter().any(|(n, c)| *n == name && *c == Some(code));
            assert_eq!(was, expected, "{name} {code}");
        }
        if m.entries.iter().any(|e| e.code.is_success()) && !NO_MESSAGE.contains(&name.as_str()) {
            assert!(
                seen.0.iter().any(|(n, c)| *n == name && c.is_none()),
                "{name} S_OK"
            );
        }
    }
}
