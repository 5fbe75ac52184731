//! Every documented failure of every IVssBackupComponents (and Ex–Ex4) method reaches the
//! caller as that method's typed error: each code is queued in the fake, in each phase the
//! catalog allows it (call time, and `QueryStatus` time for methods that return an
//! `IVssAsync`, from a session where the call itself is in sequence), and the wrapper is
//! called through its real vtable slot. Each documented sequence rule (60 of them, over the
//! 53 methods that document `VSS_E_BAD_STATE`) is broken once, with no fault queued, and
//! the fake's own rules answer `VSS_E_BAD_STATE`.

use std::time::Duration;
use vss_errors::com::{BackupComponents, BackupType, VssAsync};
use vss_errors::fake::{FakeVss, Fault, Phase};
use vss_errors::GUID;
use vss_errors::{AnyError, Method, MethodError};

const LIMIT: Duration = Duration::from_secs(5);
const NONE: GUID = GUID::zeroed();

/// How far a session has gone before the call under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    Created,
    Initialized,
    Gathered,
    StatusGathered,
    SetStarted,
    Prepared,
    Snapshotted,
    Reverting,
    Restoring,
    PreRestored,
}

struct Ctx {
    b: BackupComponents,
    snapshot: GUID,
    set: GUID,
    /// For a restore, the backup that made the snapshots, kept so that they stay.
    _backup: Option<Box<Ctx>>,
}

/// The fake machine, with a hardware provider, so that the calls that need one (breaking a
/// set, LUN resynchronization) can start.
fn machine() -> FakeVss {
    let vss = FakeVss::new();
    vss.use_hardware_provider();
    vss
}

fn initialized(vss: &FakeVss) -> BackupComponents {
    let b = BackupComponents::from_interface(vss.backup_components());
    b.initialize_for_backup(None).unwrap();
    b.set_context(0).unwrap();
    b.set_backup_state(false, false, BackupType::Full, false)
        .unwrap();
    b
}

fn setup(vss: &FakeVss, at: At) -> Ctx {
    let mut ctx = Ctx {
        b: BackupComponents::from_interface(vss.backup_components()),
        snapshot: NONE,
        set: NONE,
        _backup: None,
    };
    match at {
        At::Created => return ctx,
        At::Restoring | At::PreRestored => {
            let backup = setup(vss, At::Snapshotted);
            backup.b.backup_complete().unwrap().wait(LIMIT).unwrap();
            let xml = backup.b.save_as_xml().unwrap();
            ctx.b.initialize_for_restore(&xml).unwrap();
            ctx.b.gather_writer_metadata().unwrap().wait(LIMIT).unwrap();
            (ctx.snapshot, ctx.set) = (backup.snapshot, backup.set);
            ctx._backup = Some(Box::new(backup));
            if at == At::PreRestored {
                ctx.b.pre_restore().unwrap().wait(LIMIT).unwrap();
            }
            return ctx;
        }
        _ => {}
    }
    ctx.b = initialized(vss);
    if at == At::Initialized {
        return ctx;
    }
    ctx.b.gather_writer_metadata().unwrap().wait(LIMIT).unwrap();
    match at {
        At::Gathered => return ctx,
        At::StatusGathered => {
            ctx.b.gather_writer_status().unwrap().wait(LIMIT).unwrap();
            return ctx;
        }
        _ => {}
    }
    ctx.set = ctx.b.start_snapshot_set().unwrap();
    ctx.snapshot = ctx.b.add_to_snapshot_set("C:\\", NONE).unwrap();
    if at == At::SetStarted {
        return ctx;
    }
    ctx.b.prepare_for_backup().unwrap().wait(LIMIT).unwrap();
    if at == At::Prepared {
        return ctx;
    }
    ctx.b.do_snapshot_set().unwrap().wait(LIMIT).unwrap();
    if at == At::Reverting {
        ctx.b.revert_to_snapshot(ctx.snapshot, false).unwrap();
    }
    ctx
}

fn sync<T, E: MethodError>(r: Result<T, E>) -> Option<AnyError> {
    r.err().map(AnyError::new)
}

/// An async start's failure, or the operation's.
fn waited<E: MethodError, C>(r: Result<VssAsync<E, C>, E>) -> Option<AnyError> {
    match r {
        Err(e) => Some(AnyError::new(e)),
        Ok(op) => op
            .wait(LIMIT)
            .err()
            .map(|e| AnyError::new(e.method_error().expect("a VSS failure, not a time-out"))),
    }
}

type Call = fn(&Ctx) -> Option<AnyError>;

/// Each method, the state its call is in sequence in (what a `QueryStatus`-time fault needs),
/// and the call.
#[rustfmt::skip]
const CALLS: &[(&str, At, Call)] = &[
    ("IVssBackupComponents::AbortBackup", At::Snapshotted, |c| sync(c.b.abort_backup())),
    ("IVssBackupComponents::AddAlternativeLocationMapping", At::PreRestored, |c| sync(c.b.add_alternative_location_mapping(NONE, 1, "", "a", "D:\\db", "*", false, "E:\\db"))),
    ("IVssBackupComponents::AddComponent", At::Gathered, |c| sync(c.b.add_component(NONE, NONE, 1, "", "a"))),
    ("IVssBackupComponents::AddNewTarget", At::Restoring, |c| sync(c.b.add_new_target(NONE, 1, "", "a", "D:\\db", "*", false, "E:\\db"))),
    ("IVssBackupComponents::AddRestoreSubcomponent", At::Restoring, |c| sync(c.b.add_restore_subcomponent(NONE, 1, "", "a", "", "s", false))),
    ("IVssBackupComponents::AddToSnapshotSet", At::Gathered, |c| sync(c.b.add_to_snapshot_set("C:\\", NONE))),
    ("IVssBackupComponents::BackupComplete", At::Snapshotted, |c| waited(c.b.backup_complete())),
    ("IVssBackupComponents::BreakSnapshotSet", At::Snapshotted, |c| sync(c.b.break_snapshot_set(c.set))),
    ("IVssBackupComponents::DeleteSnapshots", At::Snapshotted, |c| sync(c.b.delete_snapshots(c.snapshot, 3, false))),
    ("IVssBackupComponents::DisableWriterClasses", At::Initialized, |c| sync(c.b.disable_writer_classes(&[NONE]))),
    ("IVssBackupComponents::DisableWriterInstances", At::Initialized, |c| sync(c.b.disable_writer_instances(&[NONE]))),
    ("IVssBackupComponents::DoSnapshotSet", At::Prepared, |c| waited(c.b.do_snapshot_set())),
    ("IVssBackupComponents::EnableWriterClasses", At::Initialized, |c| sync(c.b.enable_writer_classes(&[NONE]))),
    ("IVssBackupComponents::ExposeSnapshot", At::Snapshotted, |c| sync(c.b.expose_snapshot(c.snapshot, "", 0, "X:"))),
    ("IVssBackupComponents::FreeWriterMetadata", At::Gathered, |c| sync(c.b.free_writer_metadata())),
    ("IVssBackupComponents::FreeWriterStatus", At::StatusGathered, |c| sync(c.b.free_writer_status())),
    ("IVssBackupComponents::GatherWriterMetadata", At::Initialized, |c| waited(c.b.gather_writer_metadata())),
    ("IVssBackupComponents::GatherWriterStatus", At::Gathered, |c| waited(c.b.gather_writer_status())),
    ("IVssBackupComponents::GetSnapshotProperties", At::Snapshotted, |c| sync(c.b.snapshot_properties(c.snapshot))),
    ("IVssBackupComponents::GetWriterComponents", At::Restoring, |c| sync(c.b.writer_components(0))),
    ("IVssBackupComponents::GetWriterComponentsCount", At::Restoring, |c| sync(c.b.writer_components_count())),
    ("IVssBackupComponents::GetWriterMetadata", At::Gathered, |c| sync(c.b.writer_metadata(0))),
    ("IVssBackupComponents::GetWriterMetadataCount", At::Gathered, |c| sync(c.b.writer_metadata_count())),
    ("IVssBackupComponents::GetWriterStatus", At::StatusGathered, |c| sync(c.b.writer_status(0))),
    ("IVssBackupComponents::GetWriterStatusCount", At::StatusGathered, |c| sync(c.b.writer_status_count())),
    ("IVssBackupComponents::ImportSnapshots", At::Restoring, |c| waited(c.b.import_snapshots())),
    ("IVssBackupComponents::InitializeForBackup", At::Created, |c| sync(c.b.initialize_for_backup(None))),
    ("IVssBackupComponents::InitializeForRestore", At::Created, |c| sync(c.b.initialize_for_restore("<BACKUP_COMPONENTS xmlns=\"x-schema:#VssComponentMetadata\"></BACKUP_COMPONENTS>"))),
    ("IVssBackupComponents::IsVolumeSupported", At::Initialized, |c| sync(c.b.is_volume_supported(NONE, "C:\\"))),
    ("IVssBackupComponents::PostRestore", At::PreRestored, |c| waited(c.b.post_restore())),
    ("IVssBackupComponents::PreRestore", At::Restoring, |c| waited(c.b.pre_restore())),
    ("IVssBackupComponents::PrepareForBackup", At::SetStarted, |c| waited(c.b.prepare_for_backup())),
    ("IVssBackupComponents::Query", At::Snapshotted, |c| match c.b.query_snapshots() {
        Err(vss_errors::com::QuerySnapshotsError::Query(e)) => Some(AnyError::new(e)),
        Err(vss_errors::com::QuerySnapshotsError::Next(e)) => Some(AnyError::new(e)),
        Ok(_) => None,
    }),
    ("IVssBackupComponents::QueryRevertStatus", At::Reverting, |c| waited(c.b.query_revert_status("C:\\"))),
    ("IVssBackupComponents::RevertToSnapshot", At::Snapshotted, |c| sync(c.b.revert_to_snapshot(c.snapshot, false))),
    ("IVssBackupComponents::SaveAsXML", At::Snapshotted, |c| sync(c.b.save_as_xml())),
    ("IVssBackupComponents::SetAdditionalRestores", At::Restoring, |c| sync(c.b.set_additional_restores(NONE, 1, "", "a", true))),
    ("IVssBackupComponents::SetBackupOptions", At::Gathered, |c| sync(c.b.set_backup_options(NONE, 1, "", "a", "o"))),
    ("IVssBackupComponents::SetBackupState", At::Initialized, |c| sync(c.b.set_backup_state(false, false, BackupType::Full, false))),
    ("IVssBackupComponents::SetBackupSucceeded", At::Snapshotted, |c| sync(c.b.set_backup_succeeded(NONE, NONE, 1, "", "a", true))),
    ("IVssBackupComponents::SetContext", At::Initialized, |c| sync(c.b.set_context(0))),
    ("IVssBackupComponents::SetFileRestoreStatus", At::PreRestored, |c| sync(c.b.set_file_restore_status(NONE, 1, "", "a", 2))),
    ("IVssBackupComponents::SetPreviousBackupStamp", At::Gathered, |c| sync(c.b.set_previous_backup_stamp(NONE, 1, "", "a", "s"))),
    ("IVssBackupComponents::SetRangesFilePath", At::Restoring, |c| sync(c.b.set_ranges_file_path(NONE, 1, "", "a", 0, "r"))),
    ("IVssBackupComponents::SetRestoreOptions", At::Restoring, |c| sync(c.b.set_restore_options(NONE, 1, "", "a", "o"))),
    ("IVssBackupComponents::SetRestoreState", At::Restoring, |c| sync(c.b.set_restore_state(1))),
    ("IVssBackupComponents::SetSelectedForRestore", At::Restoring, |c| sync(c.b.set_selected_for_restore(NONE, 1, "", "a", true))),
    ("IVssBackupComponents::StartSnapshotSet", At::Gathered, |c| sync(c.b.start_snapshot_set())),
    ("IVssBackupComponentsEx::GetWriterMetadataEx", At::Gathered, |c| sync(c.b.writer_metadata_ex(0))),
    ("IVssBackupComponentsEx::SetSelectedForRestoreEx", At::Restoring, |c| sync(c.b.set_selected_for_restore_ex(NONE, 1, "", "a", true, NONE))),
    ("IVssBackupComponentsEx2::BreakSnapshotSetEx", At::Snapshotted, |c| waited(c.b.break_snapshot_set_ex(c.set, 2))),
    ("IVssBackupComponentsEx2::SetAuthoritativeRestore", At::Restoring, |c| sync(c.b.set_authoritative_restore(NONE, 1, "", "a", true))),
    ("IVssBackupComponentsEx2::SetRestoreName", At::Restoring, |c| sync(c.b.set_restore_name(NONE, 1, "", "a", "n"))),
    ("IVssBackupComponentsEx2::SetRollForward", At::Restoring, |c| sync(c.b.set_roll_forward(NONE, 1, "", "a", 1, ""))),
    ("IVssBackupComponentsEx2::UnexposeSnapshot", At::Snapshotted, |c| sync(c.b.unexpose_snapshot(c.snapshot))),
    ("IVssBackupComponentsEx3::AddSnapshotToRecoverySet", At::Restoring, |c| sync(c.b.add_snapshot_to_recovery_set(c.snapshot, 0, ""))),
    ("IVssBackupComponentsEx3::GetWriterStatusEx", At::StatusGathered, |c| sync(c.b.writer_status_ex(0))),
    // What to resynchronize first; where that is refused (out of order), so is RecoverSet.
    ("IVssBackupComponentsEx3::RecoverSet", At::Restoring, |c| {
        let _ = c.b.add_snapshot_to_recovery_set(c.snapshot, 0, "");
        waited(c.b.recover_set(0))
    }),
    ("IVssBackupComponentsEx4::GetRootAndLogicalPrefixPaths", At::Created, |c| sync(c.b.root_and_logical_prefix_paths("C:\\", false))),
];

#[test]
fn every_documented_failure_of_every_backup_components_method_reaches_its_typed_error() {
    let mut checked = 0;
    for (name, at, call) in CALLS {
        let method = Method::find(name).unwrap();
        let failures: Vec<_> = method
            .entries
            .iter()
            .filter(|e| !e.code.is_success())
            .collect();
        assert!(!failures.is_empty(), "{name} documents failures");
        for entry in failures {
            let mut phases = Vec::new();
            if !entry.async_only {
                phases.push(Phase::Call);
            }
            if method.returns_async {
                phases.push(Phase::Status);
            }
            for phase in phases {
                let vss = machine();
                let ctx = setup(&vss, *at);
                vss.inject(Fault::new(name, entry.code.name()).unwrap().at(phase))
                    .unwrap();
                let what = format!("{name}: {} at {phase:?}", entry.code.name());
                let e = call(&ctx).unwrap_or_else(|| panic!("{what}: not delivered"));
                assert_eq!(e.method().qualified_name(), *name, "{what}");
                assert_eq!(e.code(), Some(entry.code), "{what}: {e}");
                assert!(vss.pending_faults().is_empty(), "{what}: delivered once");
                checked += 1;
            }
        }
    }
    // Every method of the five interfaces with a table of codes is in the list.
    let with_codes: Vec<String> = Method::all()
        .iter()
        .filter(|m| {
            m.interface
                .is_some_and(|i| i.starts_with("IVssBackupComponents"))
                && m.entries.iter().any(|e| !e.code.is_success())
        })
        .map(|m| m.qualified_name())
        .collect();
    let listed: Vec<String> = CALLS.iter().map(|(n, _, _)| n.to_string()).collect();
    assert_eq!(with_codes.len(), listed.len());
    assert!(with_codes.iter().all(|m| listed.contains(m)));
    assert!(checked >= 400, "{checked} (method, code, phase) checked");
}

#[test]
fn each_call_in_its_state_succeeds_without_a_fault() {
    // The states above are the ones each call is in sequence in: without a fault, the
    // asynchronous ones start and finish, so a QueryStatus-time fault is what makes them fail.
    for (name, at, call) in CALLS {
        let method = Method::find(name).unwrap();
        if !method.returns_async {
            continue;
        }
        let vss = machine();
        let ctx = setup(&vss, *at);
        if let Some(e) = call(&ctx) {
            panic!("{name}: {e}");
        }
    }
}

/// The sequence rules the documentation states, each as a state where the call is out of
/// order; no fault is queued, so `VSS_E_BAD_STATE` comes from the fake's own rules.
#[rustfmt::skip]
const OUT_OF_ORDER: &[(&str, At, &str)] = &[
    ("IVssBackupComponents::InitializeForBackup", At::Initialized, "initialized twice"),
    ("IVssBackupComponents::InitializeForRestore", At::Initialized, "after InitializeForBackup"),
    ("IVssBackupComponents::InitializeForRestore", At::Restoring, "initialized twice"),
    ("IVssBackupComponents::SetContext", At::SetStarted, "after StartSnapshotSet"),
    ("IVssBackupComponents::SetBackupState", At::SetStarted, "after StartSnapshotSet"),
    ("IVssBackupComponents::DisableWriterClasses", At::Gathered, "after GatherWriterMetadata"),
    ("IVssBackupComponents::DisableWriterInstances", At::Gathered, "after GatherWriterMetadata"),
    ("IVssBackupComponents::EnableWriterClasses", At::Gathered, "after GatherWriterMetadata"),
    ("IVssBackupComponents::GatherWriterMetadata", At::SetStarted, "after StartSnapshotSet"),
    ("IVssBackupComponents::GetWriterMetadataCount", At::Initialized, "before GatherWriterMetadata"),
    ("IVssBackupComponents::GetWriterMetadata", At::Initialized, "before GatherWriterMetadata"),
    ("IVssBackupComponentsEx::GetWriterMetadataEx", At::Initialized, "before GatherWriterMetadata"),
    ("IVssBackupComponents::FreeWriterMetadata", At::Initialized, "before GatherWriterMetadata"),
    ("IVssBackupComponents::GatherWriterStatus", At::Initialized, "before GatherWriterMetadata"),
    ("IVssBackupComponents::GetWriterStatusCount", At::Gathered, "before GatherWriterStatus"),
    ("IVssBackupComponents::GetWriterStatus", At::Gathered, "before GatherWriterStatus"),
    ("IVssBackupComponentsEx3::GetWriterStatusEx", At::Gathered, "before GatherWriterStatus"),
    ("IVssBackupComponents::FreeWriterStatus", At::Gathered, "before GatherWriterStatus"),
    ("IVssBackupComponents::AddComponent", At::Gathered, "not in component mode (SetBackupState)"),
    ("IVssBackupComponents::SetBackupOptions", At::Gathered, "not in component mode"),
    ("IVssBackupComponents::SetPreviousBackupStamp", At::Gathered, "not in component mode"),
    ("IVssBackupComponents::StartSnapshotSet", At::Initialized, "before GatherWriterMetadata"),
    ("IVssBackupComponents::StartSnapshotSet", At::SetStarted, "a set is already started"),
    ("IVssBackupComponents::AddToSnapshotSet", At::Gathered, "before StartSnapshotSet"),
    ("IVssBackupComponents::AddToSnapshotSet", At::Prepared, "after PrepareForBackup"),
    ("IVssBackupComponents::PrepareForBackup", At::Gathered, "before StartSnapshotSet"),
    ("IVssBackupComponents::PrepareForBackup", At::Prepared, "prepared twice"),
    ("IVssBackupComponents::DoSnapshotSet", At::SetStarted, "before PrepareForBackup"),
    ("IVssBackupComponents::DoSnapshotSet", At::Snapshotted, "snapshotted twice"),
    ("IVssBackupComponents::SetBackupSucceeded", At::Prepared, "before DoSnapshotSet"),
    ("IVssBackupComponents::BackupComplete", At::Prepared, "before DoSnapshotSet"),
    ("IVssBackupComponents::SaveAsXML", At::Initialized, "before GatherWriterMetadata"),
    ("IVssBackupComponents::AbortBackup", At::Created, "before InitializeForBackup"),
    ("IVssBackupComponents::GetSnapshotProperties", At::Created, "before InitializeForBackup"),
    ("IVssBackupComponents::Query", At::Created, "before InitializeForBackup"),
    ("IVssBackupComponents::IsVolumeSupported", At::Created, "before InitializeForBackup"),
    ("IVssBackupComponents::ExposeSnapshot", At::Restoring, "in a restore session"),
    ("IVssBackupComponentsEx2::UnexposeSnapshot", At::Restoring, "in a restore session"),
    ("IVssBackupComponents::GetWriterComponentsCount", At::Initialized, "before GatherWriterMetadata"),
    ("IVssBackupComponents::GetWriterComponents", At::Initialized, "before GatherWriterMetadata"),
    ("IVssBackupComponents::SetRestoreState", At::Snapshotted, "in a backup session"),
    ("IVssBackupComponents::SetRestoreState", At::PreRestored, "after PreRestore"),
    ("IVssBackupComponents::SetSelectedForRestore", At::Snapshotted, "in a backup session"),
    ("IVssBackupComponentsEx::SetSelectedForRestoreEx", At::Snapshotted, "in a backup session"),
    ("IVssBackupComponents::SetRestoreOptions", At::Snapshotted, "in a backup session"),
    ("IVssBackupComponents::SetAdditionalRestores", At::Snapshotted, "in a backup session"),
    ("IVssBackupComponents::AddNewTarget", At::Snapshotted, "in a backup session"),
    ("IVssBackupComponents::SetRangesFilePath", At::Snapshotted, "in a backup session"),
    ("IVssBackupComponentsEx2::SetAuthoritativeRestore", At::Snapshotted, "in a backup session"),
    ("IVssBackupComponentsEx2::SetRestoreName", At::Snapshotted, "in a backup session"),
    ("IVssBackupComponentsEx2::SetRollForward", At::Snapshotted, "in a backup session"),
    ("IVssBackupComponents::AddRestoreSubcomponent", At::PreRestored, "after PreRestore"),
    ("IVssBackupComponents::ImportSnapshots", At::Snapshotted, "in a backup session"),
    ("IVssBackupComponentsEx3::AddSnapshotToRecoverySet", At::Snapshotted, "in a backup session"),
    ("IVssBackupComponentsEx3::RecoverSet", At::Snapshotted, "in a backup session"),
    ("IVssBackupComponents::PreRestore", At::Snapshotted, "in a backup session"),
    ("IVssBackupComponents::PreRestore", At::PreRestored, "PreRestore twice"),
    ("IVssBackupComponents::PostRestore", At::Restoring, "before PreRestore"),
    ("IVssBackupComponents::SetFileRestoreStatus", At::Restoring, "before PreRestore"),
    ("IVssBackupComponents::AddAlternativeLocationMapping", At::Snapshotted, "in a backup session"),
];

#[test]
fn every_documented_sequence_rule_is_bad_state_without_a_fault() {
    let mut covered = Vec::new();
    for (name, at, why) in OUT_OF_ORDER {
        let (_, _, call) = CALLS.iter().find(|(n, _, _)| n == name).unwrap();
        let method = Method::find(name).unwrap();
        assert!(
            method
                .entries
                .iter()
                .any(|e| e.code.name() == "VSS_E_BAD_STATE"),
            "{name} documents VSS_E_BAD_STATE"
        );
        let vss = machine();
        let ctx = setup(&vss, *at);
        let e = call(&ctx).unwrap_or_else(|| panic!("{name} {why} ({at:?}): succeeded"));
        assert_eq!(e.method().qualified_name(), *name);
        assert_eq!(
            e.code().map(|c| c.name()),
            Some("VSS_E_BAD_STATE"),
            "{name} {why}: {e}"
        );
        covered.push(*name);
    }
    // Every method of the five interfaces that documents VSS_E_BAD_STATE has a rule here.
    for (name, _, _) in CALLS {
        let method = Method::find(name).unwrap();
        if method
            .entries
            .iter()
            .any(|e| e.code.name() == "VSS_E_BAD_STATE")
        {
            assert!(covered.contains(name), "no out-of-order case for {name}");
        }
    }
}
