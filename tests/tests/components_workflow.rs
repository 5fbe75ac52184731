//! Component-mode backups and restores through the typed sessions against the fake: what is
//! chosen with a selection (non-selectable components and dependencies added as documented),
//! the volumes derived from the chosen files, the file sets mapped into the snapshot, each
//! component's result and the saved document, then a restore from that document with
//! PostRestore always called once PreRestore succeeded; every failure path cleans up.

use std::time::Duration;
use vss_errors::com::model::{FileRestoreStatus, RestoreMethod, RollForwardType};
use vss_errors::com::BackupComponents;
use vss_errors::fake::{FakeVss, Fault};
use vss_errors::workflow::components::Reason;
use vss_errors::workflow::session::stage::MetadataGathered;
use vss_errors::workflow::{
    BackupSession, RestoreError, RestoreSession, Selection, SessionOptions, StepError,
};

const LIMIT: Duration = Duration::from_secs(5);

fn gathered(vss: &FakeVss) -> BackupSession<MetadataGathered> {
    let mut opts = SessionOptions::components();
    opts.step_limit = LIMIT;
    opts.volume_of = vss_errors::workflow::components::drive_root;
    BackupSession::new(
        BackupComponents::from_interface(vss.backup_components()),
        opts,
    )
    .initialize()
    .unwrap()
    .gather_writer_metadata()
    .unwrap()
}

#[test]
fn everything_selectable_brings_its_required_components_and_volumes() {
    let vss = FakeVss::new();
    let mut s = gathered(&vss);
    let writers = s.writers().unwrap();
    let keys = s.add_components(&writers, &Selection::all()).unwrap();
    let names: Vec<String> = keys
        .iter()
        .map(|k| format!("{}:{}", k.writer, k.full_path()))
        .collect();
    assert_eq!(
        names,
        [
            "System Writer:System Files",
            "Registry Writer:Registry",
            "Database Writer:Instance1\\a"
        ]
    );
    let s = s
        .start_snapshot_set()
        .unwrap()
        .prepare()
        .unwrap()
        .do_snapshot_set()
        .unwrap();
    let mut volumes: Vec<String> = vss.snapshots().iter().map(|x| x.volume.clone()).collect();
    volumes.sort();
    assert_eq!(volumes, ["C:\\", "D:\\"], "the chosen files' volumes");
    let files = s.component_files().unwrap();
    let db = files.iter().find(|f| f.key.name == "a").unwrap();
    assert_eq!(db.files[0].live_path, "D:\\db");
    assert!(
        db.files[0]
            .snapshot_path
            .starts_with("\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy"),
        "{db:?}"
    );
    assert!(db.files[0].snapshot_path.ends_with("\\db"), "{db:?}");
    let system = files.iter().find(|f| f.key.name == "System Files").unwrap();
    assert!(system.excludes[0]
        .snapshot_path
        .ends_with("\\Windows\\Temp"));
    drop(s);
    assert!(
        vss.snapshots().is_empty(),
        "a dropped session deletes its snapshots"
    );
}

#[test]
fn a_selection_adds_dependencies_and_reports_every_component() {
    let vss = FakeVss::new();
    let mut s = gathered(&vss);
    let writers = s.writers().unwrap();
    let keys = s
        .add_components(&writers, &Selection::writer("Registry Writer"))
        .unwrap();
    assert_eq!(
        keys.len(),
        2,
        "the registry and the system files it depends on: {keys:?}"
    );
    let mut s = s
        .start_snapshot_set()
        .unwrap()
        .prepare()
        .unwrap()
        .do_snapshot_set()
        .unwrap();
    s.set_backup_succeeded(&keys[0], true).unwrap();
    let done = s.complete().unwrap();
    let report = done.report().unwrap();
    let results: Vec<(&str, Reason, bool)> = report
        .components
        .iter()
        .map(|c| (c.key.name.as_str(), c.reason, c.succeeded))
        .collect();
    assert_eq!(
        results,
        [
            ("Registry", Reason::Selected, true),
            ("System Files", Reason::Dependency, false)
        ]
    );
    assert!(
        report.is_partial(),
        "an unreported component is never silent success"
    );
    let doc = report.document.as_deref().unwrap();
    assert!(
        doc.contains("componentName=\"Registry\" backupSucceeded=\"yes\""),
        "{doc}"
    );
    assert!(
        doc.contains("componentName=\"System Files\" backupSucceeded=\"no\""),
        "{doc}"
    );
}

#[test]
fn a_failure_after_the_set_started_aborts_and_deletes() {
    let vss = FakeVss::new();
    vss.inject(Fault::parse("DoSnapshotSet=VSS_E_UNEXPECTED").unwrap())
        .unwrap();
    let mut s = gathered(&vss);
    let writers = s.writers().unwrap();
    s.add_components(&writers, &Selection::path("Instance1"))
        .unwrap();
    let e = s
        .start_snapshot_set()
        .unwrap()
        .prepare()
        .unwrap()
        .do_snapshot_set()
        .unwrap_err();
    assert!(matches!(e.step, StepError::DoSnapshotSet(_)), "{e}");
    assert_eq!(e.aborted, Some(Ok(())), "AbortBackup was called");
    assert!(vss.snapshots().is_empty());
}

/// A finished component backup of the database; its document.
fn document(vss: &FakeVss) -> String {
    let mut s = gathered(vss);
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
    let done = s.complete().unwrap();
    done.report().unwrap().document.unwrap()
}

#[test]
fn a_restore_follows_the_writer_and_reports_per_component() {
    let vss = FakeVss::new();
    let xml = document(&vss);
    let r = BackupComponents::from_interface(vss.backup_components());
    let mut r = RestoreSession::new(r, &xml, LIMIT).load().unwrap();
    let keys = r.select(&Selection::path("Instance1\\a")).unwrap();
    assert_eq!(keys.len(), 1);
    r.add_new_target(&keys[0], "D:\\db\\logs", "a.ldf", false, "E:\\logs")
        .unwrap();
    let mut r = r.pre_restore().unwrap();
    let plan = r.plan().unwrap();
    assert_eq!(plan[0].method, RestoreMethod::StopRestoreStart);
    let dest: Vec<(&str, &str)> = plan[0]
        .files
        .iter()
        .map(|f| (f.backed_up.live_path.as_str(), f.destination.as_str()))
        .collect();
    assert_eq!(dest, [("D:\\db", "D:\\db"), ("D:\\db\\logs", "E:\\logs")]);
    r.set_status(&keys[0], FileRestoreStatus::All);
    let report = r.post_restore().unwrap();
    assert_eq!(report.components[0].status, FileRestoreStatus::All);
    assert!(!report.is_partial());
    let calls = vss.calls();
    let order: Vec<&str> = calls
        .iter()
        .map(String::as_str)
        .filter(|c| ["PreRestore", "SetFileRestoreStatus", "PostRestore"].contains(c))
        .collect();
    assert_eq!(order, ["PreRestore", "SetFileRestoreStatus", "PostRestore"]);
}

#[test]
fn post_restore_runs_even_when_the_caller_stops() {
    let vss = FakeVss::new();
    let xml = document(&vss);
    let r = BackupComponents::from_interface(vss.backup_components());
    let mut r = RestoreSession::new(r, &xml, LIMIT).load().unwrap();
    r.select(&Selection::all()).unwrap();
    let r = r.pre_restore().unwrap();
    drop(r); // the copy failed and the caller gave up
    assert_eq!(
        vss.calls().iter().filter(|c| *c == "PostRestore").count(),
        1,
        "{:?}",
        vss.calls()
    );
}

#[test]
fn an_unreported_component_is_restored_as_failed() {
    let vss = FakeVss::new();
    let xml = document(&vss);
    let r = BackupComponents::from_interface(vss.backup_components());
    let mut r = RestoreSession::new(r, &xml, LIMIT).load().unwrap();
    r.select(&Selection::all()).unwrap();
    let report = r.pre_restore().unwrap().post_restore().unwrap();
    assert_eq!(report.components[0].status, FileRestoreStatus::Failed);
    assert!(report.is_partial());
}

#[test]
fn a_failed_pre_restore_names_the_method_and_skips_post_restore() {
    let vss = FakeVss::new();
    let xml = document(&vss);
    vss.inject(Fault::parse("PreRestore=VSS_E_UNEXPECTED:1").unwrap())
        .unwrap();
    let r = BackupComponents::from_interface(vss.backup_components());
    let mut r = RestoreSession::new(r, &xml, LIMIT).load().unwrap();
    r.select(&Selection::all()).unwrap();
    let e = r.pre_restore().unwrap_err();
    assert!(matches!(e, RestoreError::PreRestore(_)), "{e:?}");
    assert!(e.to_string().contains("PreRestore"), "{e}");
    assert!(!vss.calls().iter().any(|c| c == "PostRestore"));
}

#[test]
fn each_component_step_failure_cleans_up() {
    // AddComponent fails before the set starts: nothing to abort, nothing made.
    let vss = FakeVss::new();
    vss.inject(Fault::parse("AddComponent=VSS_E_UNEXPECTED").unwrap())
        .unwrap();
    let mut s = gathered(&vss);
    let writers = s.writers().unwrap();
    let e = s.add_components(&writers, &Selection::all()).unwrap_err();
    assert!(e.to_string().contains("AddComponent"), "{e}");
    assert_eq!(e.aborted, None);
    assert!(vss.snapshots().is_empty());

    // PrepareForBackup fails inside the set: aborted.
    let vss = FakeVss::new();
    vss.inject(Fault::parse("PrepareForBackup=VSS_E_UNEXPECTED").unwrap())
        .unwrap();
    let mut s = gathered(&vss);
    let writers = s.writers().unwrap();
    s.add_components(&writers, &Selection::all()).unwrap();
    let e = s.start_snapshot_set().unwrap().prepare().unwrap_err();
    assert_eq!(e.aborted, Some(Ok(())));
    assert!(vss.snapshots().is_empty());

    // SetBackupSucceeded fails after the snapshots exist: the session still deletes them.
    let vss = FakeVss::new();
    vss.inject(Fault::parse("SetBackupSucceeded=VSS_E_UNEXPECTED").unwrap())
        .unwrap();
    let mut s = gathered(&vss);
    let writers = s.writers().unwrap();
    let keys = s.add_components(&writers, &Selection::all()).unwrap();
    let mut s = s
        .start_snapshot_set()
        .unwrap()
        .prepare()
        .unwrap()
        .do_snapshot_set()
        .unwrap();
    assert!(!vss.snapshots().is_empty());
    let e = s.set_backup_succeeded(&keys[0], true).unwrap_err();
    assert!(e.to_string().contains("SetBackupSucceeded"), "{e}");
    drop(s);
    assert!(vss.snapshots().is_empty(), "deleted on drop");

    // SaveAsXML fails at the end: the failure names it and the snapshots go.
    let vss = FakeVss::new();
    vss.inject(Fault::parse("SaveAsXML=VSS_E_UNEXPECTED").unwrap())
        .unwrap();
    let mut s = gathered(&vss);
    let writers = s.writers().unwrap();
    s.add_components(&writers, &Selection::all()).unwrap();
    let s = s
        .start_snapshot_set()
        .unwrap()
        .prepare()
        .unwrap()
        .do_snapshot_set()
        .unwrap();
    let e = s.complete().unwrap_err();
    assert!(e.to_string().contains("SaveAsXML"), "{e}");
    assert!(vss.snapshots().is_empty());
}

#[test]
fn additional_and_authoritative_restores_reach_the_document() {
    let vss = FakeVss::new();
    let xml = document(&vss);
    let r = BackupComponents::from_interface(vss.backup_components());
    let mut r = RestoreSession::new(r, &xml, LIMIT).load().unwrap();
    let keys = r.select(&Selection::path("Instance1")).unwrap();
    r.select_for_instance(&keys[0], keys[0].instance_id)
        .unwrap();
    r.set_additional_restores(&keys[0], true).unwrap();
    r.set_authoritative_restore(&keys[0], true).unwrap();
    let r = r.pre_restore().unwrap();
    let c = r
        .backup_components()
        .writer_components(0)
        .unwrap()
        .component(0)
        .unwrap();
    assert!(c.additional_restores().unwrap().1);
    assert!(c.authoritative_restore().unwrap());
    assert!(c.is_selected_for_restore().unwrap());
    drop(c);
    drop(r);
    assert_eq!(
        vss.calls().iter().filter(|c| *c == "PostRestore").count(),
        1
    );
}

/// The code of a failed synchronous restore call.
fn code_of(e: RestoreError) -> Option<vss_errors::Code> {
    match e {
        RestoreError::Call(e) => e.entry().map(|x| x.code),
        other => panic!("not a call failure: {other}"),
    }
}

#[test]
fn restore_name_roll_forward_subcomponents_and_mappings_reach_the_document() {
    let vss = FakeVss::new();
    let xml = document(&vss);
    let r = BackupComponents::from_interface(vss.backup_components());
    let mut r = RestoreSession::new(r, &xml, LIMIT).load().unwrap();
    let keys = r.select(&Selection::path("Instance1\\a")).unwrap();
    r.set_restore_name(&keys[0], "a (restored)").unwrap();
    r.set_roll_forward(&keys[0], RollForwardType::Partial, "LSN 4711")
        .unwrap();
    r.add_restore_subcomponent(&keys[0], "Instance1\\a", "log 7", true)
        .unwrap();
    r.add_restore_subcomponent(&keys[0], "", "log 8", false)
        .unwrap();
    let r = r.pre_restore().unwrap();
    r.add_alternative_location_mapping(&keys[0], "D:\\db", "*.mdf", true, "E:\\db")
        .unwrap();
    let c = r
        .backup_components()
        .writer_components(0)
        .unwrap()
        .component(0)
        .unwrap();
    assert_eq!(c.restore_name().unwrap(), "a (restored)");
    let (roll, point) = c.roll_forward().unwrap();
    assert_eq!(
        (RollForwardType::from_raw(roll), point.as_str()),
        (RollForwardType::Partial, "LSN 4711")
    );
    let read = c.read().unwrap();
    let subs: Vec<(&str, &str, bool)> = read
        .restore_subcomponents
        .iter()
        .map(|s| (s.logical_path.as_str(), s.name.as_str(), s.repair))
        .collect();
    assert_eq!(
        subs,
        [("Instance1\\a", "log 7", true), ("", "log 8", false)]
    );
    let ex = read
        .ex
        .as_ref()
        .expect("the fake implements IVssComponentEx");
    assert_eq!(
        (
            ex.restore_name.as_str(),
            ex.roll_forward,
            ex.roll_forward_point.as_str()
        ),
        ("a (restored)", RollForwardType::Partial, "LSN 4711")
    );
    assert!(!ex.authoritative_restore);
    assert_eq!(read.failure, None, "no writer failed");
    assert_eq!(read.alternate_locations.len(), 1);
    let m = &read.alternate_locations[0];
    assert_eq!(
        (
            m.path.as_str(),
            m.filespec.as_str(),
            m.recursive,
            m.alternate_location.as_str()
        ),
        ("D:\\db", "*.mdf", true, "E:\\db")
    );
}

#[test]
fn restore_edits_follow_the_documented_sequence() {
    let vss = FakeVss::new();
    let xml = document(&vss);
    let r = BackupComponents::from_interface(vss.backup_components());
    let mut r = RestoreSession::new(r, &xml, LIMIT).load().unwrap();
    // A subcomponent of a component in the document but not (yet) selected for restore.
    let keys = {
        let other = BackupComponents::from_interface(vss.backup_components());
        let mut other = RestoreSession::new(other, &xml, LIMIT).load().unwrap();
        other.select(&Selection::path("Instance1\\a")).unwrap()
    };
    let e = r
        .add_restore_subcomponent(&keys[0], "", "x", false)
        .unwrap_err();
    assert_eq!(code_of(e), Some(vss_errors::Code::VSS_E_BAD_STATE));
    assert_eq!(r.select(&Selection::path("Instance1\\a")).unwrap(), keys);
    // No subcomponent name.
    let e = r
        .add_restore_subcomponent(&keys[0], "", "", false)
        .unwrap_err();
    assert_eq!(code_of(e), Some(vss_errors::Code::E_INVALIDARG));
    // A roll-forward type the header does not define.
    let e = r
        .set_roll_forward(&keys[0], RollForwardType::Unknown(9), "")
        .unwrap_err();
    assert_eq!(code_of(e), Some(vss_errors::Code::E_INVALIDARG));
    // A component the document does not hold.
    let mut missing = keys[0].clone();
    missing.name = "no such component".into();
    let e = r.set_restore_name(&missing, "n").unwrap_err();
    assert_eq!(code_of(e), Some(vss_errors::Code::VSS_E_OBJECT_NOT_FOUND));
    // The fake's writers report no partial files, so no index names one.
    let (b, k) = (r.backup_components(), &keys[0]);
    let ranges = |file: &str| {
        b.set_ranges_file_path(
            k.writer_id,
            k.component_type.raw(),
            &k.logical_path,
            &k.name,
            0,
            file,
        )
        .unwrap_err()
        .code()
    };
    assert_eq!(
        ranges("D:\\ranges.bin"),
        Some(vss_errors::Code::VSS_E_OBJECT_NOT_FOUND)
    );
    assert_eq!(ranges(""), Some(vss_errors::Code::E_INVALIDARG));
    // After PreRestore no subcomponent can be added.
    let r = r.pre_restore().unwrap();
    let b = r.backup_components();
    let k = &keys[0];
    let e = b
        .add_restore_subcomponent(
            k.writer_id,
            k.component_type.raw(),
            &k.logical_path,
            &k.name,
            "",
            "late",
            false,
        )
        .unwrap_err();
    assert_eq!(e.code(), Some(vss_errors::Code::VSS_E_BAD_STATE));
}

#[test]
fn restore_edits_are_refused_in_a_backup() {
    let vss = FakeVss::new();
    let mut s = gathered(&vss);
    let writers = s.writers().unwrap();
    let keys = s
        .add_components(&writers, &Selection::path("Instance1\\a"))
        .unwrap();
    let k = &keys[0];
    let b = s.backup_components();
    let e = b
        .set_ranges_file_path(
            k.writer_id,
            k.component_type.raw(),
            &k.logical_path,
            &k.name,
            0,
            "r",
        )
        .unwrap_err();
    assert_eq!(e.code(), Some(vss_errors::Code::VSS_E_BAD_STATE));
    let e = b
        .set_restore_name(
            k.writer_id,
            k.component_type.raw(),
            &k.logical_path,
            &k.name,
            "n",
        )
        .unwrap_err();
    assert_eq!(e.code(), Some(vss_errors::Code::VSS_E_BAD_STATE));
    let e = b
        .add_alternative_location_mapping(
            k.writer_id,
            k.component_type.raw(),
            &k.logical_path,
            &k.name,
            "D:\\db",
            "*",
            false,
            "E:\\db",
        )
        .unwrap_err();
    assert_eq!(e.code(), Some(vss_errors::Code::VSS_E_BAD_STATE));
}

#[test]
fn a_queued_fault_reaches_a_restore_edit_of_an_ex_interface() {
    let vss = FakeVss::new();
    let xml = document(&vss);
    vss.inject(Fault::parse("SetRestoreName=VSS_E_UNEXPECTED").unwrap())
        .unwrap();
    vss.inject(Fault::parse("SetAuthoritativeRestore=E_OUTOFMEMORY").unwrap())
        .unwrap();
    let r = BackupComponents::from_interface(vss.backup_components());
    let mut r = RestoreSession::new(r, &xml, LIMIT).load().unwrap();
    let keys = r.select(&Selection::path("Instance1\\a")).unwrap();
    let e = r.set_restore_name(&keys[0], "n").unwrap_err();
    assert_eq!(code_of(e), Some(vss_errors::Code::VSS_E_UNEXPECTED));
    let e = r.set_authoritative_restore(&keys[0], true).unwrap_err();
    assert_eq!(code_of(e), Some(vss_errors::Code::E_OUTOFMEMORY));
    assert!(vss.pending_faults().is_empty());
    // Each fault fired once: the next calls succeed.
    r.set_restore_name(&keys[0], "n").unwrap();
    r.set_authoritative_restore(&keys[0], true).unwrap();
}
