//! The COM wrappers and typed async handles, driven through real vtable calls against the
//! fault-injecting VSS: success, each phase's failure, success codes, out-of-order calls,
//! timeouts, cancellation, cleanup, and the catalog's own checks on injected faults.

use std::time::Duration;
use vss_errors::com::{AsyncError, BackupComponents, BackupType, CancelResult, Progress, Status};
use vss_errors::fake::{FakeVss, Fault, FaultError, Phase, WriterFault};
use vss_errors::methods::*;
use vss_errors::GUID;
use vss_errors::{Code, Method, MethodError, HRESULT};

const LIMIT: Duration = Duration::from_secs(5);

fn ready(vss: &FakeVss) -> BackupComponents {
    let b = BackupComponents::from_interface(vss.backup_components());
    b.initialize_for_backup(None).unwrap();
    b.set_context(0).unwrap();
    b.set_backup_state(false, false, BackupType::Full, false)
        .unwrap();
    b.gather_writer_metadata().unwrap().wait(LIMIT).unwrap();
    b
}

/// Runs the workflow up to a snapshot of `C:\`; returns the object and the snapshot id.
fn snapshot(vss: &FakeVss) -> (BackupComponents, GUID) {
    let b = ready(vss);
    b.start_snapshot_set().unwrap();
    let id = b.add_to_snapshot_set("C:\\", GUID::zeroed()).unwrap();
    b.prepare_for_backup().unwrap().wait(LIMIT).unwrap();
    b.do_snapshot_set().unwrap().wait(LIMIT).unwrap();
    (b, id)
}

#[test]
fn whole_requester_workflow_succeeds() {
    let vss = FakeVss::new();
    let b = ready(&vss);
    assert_eq!(b.writer_metadata_count().unwrap(), 3);
    let meta = b.writer_metadata(0).unwrap();
    assert_eq!(meta.identity().unwrap().name, "System Writer");
    drop(meta);
    b.free_writer_metadata().unwrap();
    let set = b.start_snapshot_set().unwrap();
    let id = b.add_to_snapshot_set("C:\\", GUID::zeroed()).unwrap();
    assert!(b.is_volume_supported(GUID::zeroed(), "D:\\").unwrap());
    b.prepare_for_backup().unwrap().wait(LIMIT).unwrap();
    b.do_snapshot_set().unwrap().wait(LIMIT).unwrap();
    let props = b.snapshot_properties(id).unwrap();
    assert_eq!(props.original_volume, "C:\\");
    assert_eq!(props.snapshot_set_id, set);
    assert!(props
        .device_object
        .starts_with("\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy"));
    b.backup_complete().unwrap().wait(LIMIT).unwrap();
    b.gather_writer_status().unwrap().wait(LIMIT).unwrap();
    let writers = b.writer_statuses().unwrap();
    assert_eq!(writers.len(), 3);
    assert!(writers.iter().all(|w| !w.failed()), "{writers:?}");
    assert_eq!(b.query_snapshots().unwrap().len(), 1);
    assert_eq!(vss.snapshots().len(), 1);
    assert_eq!(b.delete_snapshots(set, 2, true).unwrap(), 1);
    assert!(vss.snapshots().is_empty());
    let calls = vss.calls();
    let order: Vec<&str> = calls
        .iter()
        .map(String::as_str)
        .filter(|c| {
            [
                "StartSnapshotSet",
                "PrepareForBackup",
                "DoSnapshotSet",
                "BackupComplete",
            ]
            .contains(c)
        })
        .collect();
    assert_eq!(
        order,
        [
            "StartSnapshotSet",
            "PrepareForBackup",
            "DoSnapshotSet",
            "BackupComplete"
        ]
    );
}

#[test]
fn call_time_fault_is_the_methods_typed_error() {
    let vss = FakeVss::new();
    vss.inject(Fault::parse("AddToSnapshotSet=VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED").unwrap())
        .unwrap();
    let b = ready(&vss);
    b.start_snapshot_set().unwrap();
    let e = b.add_to_snapshot_set("C:\\", GUID::zeroed()).unwrap_err();
    assert_eq!(e, AddToSnapshotSetError::MaximumNumberOfVolumesReached);
    assert!(e.to_string().contains("maximum number of volumes"));
    // Delivered once: the next call succeeds.
    b.add_to_snapshot_set("C:\\", GUID::zeroed()).unwrap();
}

#[test]
fn status_time_fault_arrives_through_query_status() {
    let vss = FakeVss::new();
    vss.inject(Fault::parse("DoSnapshotSet=VSS_E_PROVIDER_VETO").unwrap())
        .unwrap();
    let b = ready(&vss);
    b.start_snapshot_set().unwrap();
    b.add_to_snapshot_set("C:\\", GUID::zeroed()).unwrap();
    b.prepare_for_backup().unwrap().wait(LIMIT).unwrap();
    let op = b.do_snapshot_set().expect("the call itself succeeds");
    let err = op.wait(LIMIT).unwrap_err();
    assert_eq!(err, AsyncError::Failed(DoSnapshotSetError::ProviderVeto));
    let typed = err.method_error().unwrap();
    assert!(typed.async_only());
    assert_eq!(
        typed.retry().map(|r| (r.wait_seconds, r.max_attempts)),
        Some((600, 3))
    );
    assert!(
        vss.snapshots().is_empty(),
        "a failed DoSnapshotSet leaves no snapshot"
    );
    b.abort_backup().unwrap();
}

#[test]
fn wait_and_query_status_failures_are_their_own_phase() {
    let vss = FakeVss::new();
    let b = ready(&vss);
    vss.inject(Fault::parse("IVssAsync::QueryStatus=E_ACCESSDENIED").unwrap())
        .unwrap();
    let op = b.gather_writer_status().unwrap();
    assert_eq!(
        op.query_status().unwrap_err(),
        AsyncError::Query(QueryStatusError::AccessDenied)
    );
    vss.inject(Fault::parse("IVssAsync::Wait=E_ACCESSDENIED").unwrap())
        .unwrap();
    assert_eq!(
        op.wait(LIMIT).unwrap_err(),
        AsyncError::Wait(WaitError::AccessDenied)
    );
    assert_eq!(op.wait(LIMIT), Ok(vss_errors::Succeeded(HRESULT(0))));
}

#[test]
fn cancel_reports_typed_outcomes() {
    let vss = FakeVss::new();
    let b = ready(&vss);
    vss.set_pending_polls(1000);
    let op = b.gather_writer_status().unwrap();
    assert_eq!(op.query_status().unwrap(), Status::Pending);
    assert_eq!(op.progress().unwrap(), Progress::Running { percent: None });
    assert_eq!(op.cancel().unwrap(), CancelResult::Cancelled);
    assert_eq!(op.cancel().unwrap(), CancelResult::AlreadyCancelled);
    assert!(matches!(op.wait(LIMIT), Err(AsyncError::Cancelled { .. })));
    vss.set_pending_polls(0);
    let done = b.gather_writer_status().unwrap();
    assert_eq!(done.cancel().unwrap(), CancelResult::AlreadyFinished);
}

#[test]
fn our_own_time_limit_is_not_a_vss_error() {
    let vss = FakeVss::new();
    let b = ready(&vss);
    vss.set_pending_polls(u32::MAX);
    let err = b
        .gather_writer_status()
        .unwrap()
        .wait(Duration::from_millis(30))
        .unwrap_err();
    assert!(
        matches!(err, AsyncError::TimedOut { limit, .. } if limit == Duration::from_millis(30))
    );
    assert!(err.method_error().is_none());
    let text = err.to_string();
    assert!(
        text.starts_with("IVssBackupComponents::GatherWriterStatus still pending after 0.03 s"),
        "{text}"
    );
    assert!(text.contains("not a VSS error"), "{text}");
}

#[test]
fn out_of_order_calls_get_bad_state() {
    let vss = FakeVss::new();
    let b = BackupComponents::from_interface(vss.backup_components());
    assert_eq!(
        b.start_snapshot_set().unwrap_err(),
        StartSnapshotSetError::BadState
    );
    b.initialize_for_backup(None).unwrap();
    assert_eq!(
        b.initialize_for_backup(None).unwrap_err(),
        InitializeForBackupError::BadState
    );
    assert_eq!(
        b.start_snapshot_set().unwrap_err(),
        StartSnapshotSetError::BadState,
        "metadata not gathered yet"
    );
    assert_eq!(
        b.do_snapshot_set().unwrap_err(),
        DoSnapshotSetError::BadState
    );
    assert_eq!(
        b.writer_status_count().unwrap_err(),
        GetWriterStatusCountError::BadState
    );
    assert_eq!(
        b.add_to_snapshot_set("C:\\", GUID::zeroed()).unwrap_err(),
        AddToSnapshotSetError::BadState
    );
}

#[test]
fn unknown_volume_and_snapshot_are_documented_errors() {
    let vss = FakeVss::new();
    let (b, _) = snapshot(&vss);
    assert_eq!(
        b.snapshot_properties(GUID::from_u128(7)).unwrap_err(),
        GetSnapshotPropertiesError::ObjectNotFound
    );
    assert_eq!(
        b.delete_snapshots(GUID::from_u128(7), 3, true).unwrap_err(),
        DeleteSnapshotsError::ObjectNotFound
    );
    let b2 = ready(&vss);
    b2.start_snapshot_set().unwrap();
    assert_eq!(
        b2.add_to_snapshot_set("Q:\\", GUID::zeroed()).unwrap_err(),
        AddToSnapshotSetError::ObjectNotFound
    );
}

#[test]
fn writer_failures_are_typed_by_the_writer_failure_set() {
    let vss = FakeVss::new();
    vss.inject_writer(WriterFault::parse("Registry Writer=VSS_E_WRITERERROR_TIMEOUT").unwrap())
        .unwrap();
    let (b, _) = snapshot(&vss);
    b.gather_writer_status().unwrap().wait(LIMIT).unwrap();
    let statuses = b.writer_statuses().unwrap();
    let failed: Vec<_> = statuses.iter().filter(|w| w.failed()).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].name, "Registry Writer");
    assert_eq!(failed[0].failure, Some(WriterFailure::WriterErrorTimeout));
    assert_eq!(
        failed[0]
            .failure
            .and_then(|f| f.retry())
            .map(|r| r.wait_seconds),
        Some(600)
    );
    assert!(matches!(
        WriterFault::parse("Registry Writer=VSS_E_BAD_STATE"),
        Err(FaultError::NotAWriterFailure(_))
    ));
    assert!(matches!(
        vss.inject_writer(WriterFault::parse("Nope=VSS_E_WRITERERROR_TIMEOUT").unwrap()),
        Err(FaultError::UnknownWriter { .. })
    ));
}

#[test]
fn faults_the_catalog_does_not_document_are_refused() {
    let e = Fault::parse("DoSnapshotSet=VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED").unwrap_err();
    assert!(matches!(
        &e,
        FaultError::Undocumented {
            code: "VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED",
            ..
        }
    ));
    assert!(
        e.to_string()
            .contains("not documented for IVssBackupComponents::DoSnapshotSet"),
        "{e}"
    );
    assert!(
        e.to_string().contains("VSS_E_FLUSH_WRITES_TIMEOUT"),
        "the message lists what is documented: {e}"
    );
    let phase = Fault::new("DoSnapshotSet", "VSS_E_PROVIDER_VETO")
        .unwrap()
        .at(Phase::Call)
        .check()
        .unwrap_err();
    assert!(
        matches!(phase, FaultError::WrongPhase { .. }),
        "async-only codes never come from the call"
    );
    assert!(Fault::new("SetContext", "VSS_E_BAD_STATE")
        .unwrap()
        .at(Phase::Status)
        .check()
        .is_err());
    assert!(matches!(
        Fault::parse("DoSnapshotSet=VSS_E_NOPE"),
        Err(FaultError::UnknownCode(_))
    ));
    assert!(matches!(
        Fault::parse("Frobnicate=VSS_E_BAD_STATE"),
        Err(FaultError::UnknownMethod(_))
    ));
    assert!(matches!(
        Fault::parse("DoSnapshotSet"),
        Err(FaultError::Syntax(_))
    ));
    assert!(matches!(
        Fault::parse("DoSnapshotSet=VSS_E_PROVIDER_VETO:0"),
        Err(FaultError::Syntax(_))
    ));
    let f = Fault::parse("DoSnapshotSet=VSS_E_FLUSH_WRITES_TIMEOUT:2").unwrap();
    assert_eq!(
        (f.times, f.phase, f.code),
        (2, Phase::Status, Code::VSS_E_FLUSH_WRITES_TIMEOUT)
    );
}

#[test]
fn released_objects_release_non_persistent_snapshots_only() {
    let vss = FakeVss::new();
    let (b, _) = snapshot(&vss);
    assert_eq!(vss.snapshots().len(), 1);
    drop(b);
    assert!(
        vss.snapshots().is_empty(),
        "VSS_CTX_BACKUP snapshots go with their object"
    );

    let b = BackupComponents::from_interface(vss.backup_components());
    b.initialize_for_backup(None).unwrap();
    b.set_context(0x1d).unwrap(); // VSS_CTX_CLIENT_ACCESSIBLE: persistent
    b.set_backup_state(false, false, BackupType::Full, false)
        .unwrap();
    b.gather_writer_metadata().unwrap().wait(LIMIT).unwrap();
    b.start_snapshot_set().unwrap();
    b.add_to_snapshot_set("D:\\", GUID::zeroed()).unwrap();
    b.prepare_for_backup().unwrap().wait(LIMIT).unwrap();
    b.do_snapshot_set().unwrap().wait(LIMIT).unwrap();
    drop(b);
    assert_eq!(
        vss.snapshots().len(),
        1,
        "persistent snapshots outlive their object"
    );
}

#[test]
fn revert_status_handle_has_no_cancel_and_reports_documented_codes() {
    let vss = FakeVss::new();
    let (b, id) = snapshot(&vss);
    b.revert_to_snapshot(id, false).unwrap();
    assert_eq!(
        b.revert_to_snapshot(id, false).unwrap_err(),
        RevertToSnapshotError::RevertInProgress
    );
    let op = b.query_revert_status("C:\\").unwrap();
    op.wait(LIMIT).unwrap();
    assert_eq!(QueryRevertStatusError::METHOD.cancellable, Some(false));
    assert_eq!(
        b.query_revert_status("Q:\\").unwrap_err(),
        QueryRevertStatusError::ObjectNotFound
    );
}

#[test]
fn every_code_the_fake_returned_is_documented_for_that_method() {
    let vss = FakeVss::new();
    let (b, _) = snapshot(&vss);
    let _ = b.start_snapshot_set();
    let _ = b.snapshot_properties(GUID::from_u128(9));
    let _ = b.add_to_snapshot_set("Q:\\", GUID::zeroed());
    let _ = b.writer_status(99);
    let fresh = BackupComponents::from_interface(vss.backup_components());
    let _ = fresh.gather_writer_status();
    let _ = fresh.free_writer_metadata();
    let _ = fresh.writer_status_ex(0);
    let _ = fresh.import_snapshots();
    let _ = fresh.add_snapshot_to_recovery_set(GUID::from_u128(9), 0, "");
    let _ = fresh.recover_set(0);
    let _ = b.break_snapshot_set_ex(GUID::from_u128(9), 0);
    let _ = b.break_snapshot_set_ex(vss.snapshots()[0].set_id, 0);
    let _ = b.break_snapshot_set_ex(vss.snapshots()[0].set_id, 3);
    let mut checked = 0;
    for line in vss.calls() {
        let Some((name, hex)) = line.split_once(" -> 0x") else {
            continue;
        };
        if name.contains('.') {
            continue;
        }
        let value = u32::from_str_radix(hex, 16).unwrap();
        // Objects' calls are logged qualified, the backup components object's bare.
        let method = if name.contains("::") {
            Method::find(name).unwrap()
        } else {
            ["", "Ex", "Ex2", "Ex3", "Ex4"]
                .iter()
                .find_map(|ex| Method::find(&format!("IVssBackupComponents{ex}::{name}")).ok())
                .unwrap()
        };
        assert!(
            method.entries.iter().any(|e| e.code.value() == value),
            "{name} returned 0x{value:08X}, which it does not document"
        );
        checked += 1;
    }
    assert!(checked >= 12, "exercised {checked} failing calls");
}

#[test]
fn vtable_slots_follow_the_headers() {
    // The generated declarations pin each slot's offset at compile time; here the
    // catalog's order is compared with the SDK header itself.
    let path = std::path::Path::new("/usr/share/mingw-w64/include/vsbackup.h");
    let Ok(text) = std::fs::read_to_string(path) else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "{} is missing; .ci/run installs mingw-w64-common",
                path.display()
            );
        }
        eprintln!("SKIPPED: {} is missing", path.display());
        return;
    };
    let start = text
        .find("IVssBackupComponents : public IUnknown")
        .expect("interface in header");
    let body = &text[start..start + text[start..].find("};").unwrap()];
    let header: Vec<&str> = body
        .split("STDMETHODCALLTYPE")
        .skip(1)
        .filter_map(|chunk| chunk.trim_start().split('(').next())
        .map(str::trim)
        .collect();
    assert_eq!(header, vss_errors::com::I_VSS_BACKUP_COMPONENTS_SLOTS);
    assert_eq!(header.len(), 48);
}

#[test]
fn methods_are_reachable_through_the_trait() {
    fn name<E: MethodError>() -> String {
        E::method().qualified_name()
    }
    assert_eq!(
        name::<DoSnapshotSetError>(),
        "IVssBackupComponents::DoSnapshotSet"
    );
}

#[test]
fn writer_class_filters_come_between_initialize_and_gather() {
    let vss = FakeVss::new();
    let b = BackupComponents::from_interface(vss.backup_components());
    let class = [GUID::from_u128(7)];
    assert_eq!(
        b.enable_writer_classes(&class),
        Err(EnableWriterClassesError::BadState),
        "before InitializeForBackup"
    );
    b.initialize_for_backup(None).unwrap();
    b.enable_writer_classes(&class).unwrap();
    b.disable_writer_classes(&class).unwrap();
    b.disable_writer_instances(&class).unwrap();
    b.set_context(0).unwrap();
    b.set_backup_state(false, false, BackupType::Full, false)
        .unwrap();
    b.gather_writer_metadata().unwrap().wait(LIMIT).unwrap();
    assert_eq!(
        b.disable_writer_instances(&class),
        Err(DisableWriterInstancesError::BadState),
        "after GatherWriterMetadata"
    );
}

#[test]
fn a_snapshot_is_exposed_and_unexposed_and_a_software_set_is_not_broken() {
    let vss = FakeVss::new();
    let (b, id) = snapshot(&vss);
    let set = vss.snapshots()[0].set_id;
    assert_eq!(b.expose_snapshot(id, "", 0, "X:").unwrap(), "X:");
    assert_eq!(vss.snapshots()[0].exposed.as_deref(), Some("X:"));
    assert_eq!(
        b.expose_snapshot(GUID::from_u128(1), "", 0, "X:"),
        Err(ExposeSnapshotError::ObjectNotFound)
    );
    b.unexpose_snapshot(id).unwrap();
    assert_eq!(vss.snapshots()[0].exposed, None);
    assert_eq!(
        b.unexpose_snapshot(id),
        Err(UnexposeSnapshotError::ObjectNotFound),
        "no longer exposed"
    );
    // The documented refusal of a software provider, and an unknown set.
    assert_eq!(
        b.break_snapshot_set(set),
        Err(BreakSnapshotSetError::ProviderVeto)
    );
    assert_eq!(
        b.break_snapshot_set(GUID::from_u128(1)),
        Err(BreakSnapshotSetError::ObjectNotFound)
    );
    // Each session has its own id.
    let other = BackupComponents::from_interface(vss.backup_components());
    assert_ne!(b.session_id().unwrap(), other.session_id().unwrap());
}

#[test]
fn the_restore_state_is_set_only_in_a_restore_before_pre_restore() {
    let vss = FakeVss::new();
    let b = ready(&vss);
    assert_eq!(
        b.set_restore_state(1),
        Err(SetRestoreStateError::BadState),
        "in a backup"
    );
}

#[test]
fn reserved_methods_answer_e_notimpl_and_faults_reach_every_ex_method() {
    let vss = FakeVss::new();
    let b = ready(&vss);
    // Documented as reserved for future use, with no codes: E_NOTIMPL, kept as `Other`, and
    // no fault can be queued for them.
    let e = b.pre_fast_recovery(GUID::zeroed(), 0).unwrap_err();
    assert_eq!(e.hresult().0 as u32, 0x8000_4001);
    assert!(matches!(
        Fault::parse("FastRecovery=VSS_E_UNEXPECTED"),
        Err(FaultError::Undocumented { .. })
    ));
    // A queued fault wins over what the fake would answer.
    vss.inject(Fault::parse("GetRootAndLogicalPrefixPaths=E_OUTOFMEMORY").unwrap())
        .unwrap();
    assert_eq!(
        b.root_and_logical_prefix_paths("C:\\", false),
        Err(GetRootAndLogicalPrefixPathsError::OutOfMemory)
    );
    assert!(b.root_and_logical_prefix_paths("C:\\", false).is_ok());
    assert!(vss.pending_faults().is_empty());
    // A bare name of an Ex interface's method finds it, as the qualified one does.
    vss.inject(Fault::parse("GetRootAndLogicalPrefixPaths=E_OUTOFMEMORY").unwrap())
        .unwrap();
    assert_eq!(
        vss.pending_faults()[0].method.qualified_name(),
        "IVssBackupComponentsEx4::GetRootAndLogicalPrefixPaths"
    );
    vss.inject(
        Fault::parse("IVssBackupComponentsEx4::GetRootAndLogicalPrefixPaths=E_OUTOFMEMORY")
            .unwrap(),
    )
    .unwrap();
    let calls = vss.pending_faults();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0], calls[1]);
}

#[test]
fn a_software_set_is_not_broken_with_flags_either_and_recovery_needs_hardware() {
    let vss = FakeVss::new();
    let (b, id) = snapshot(&vss);
    let set = vss.snapshots()[0].set_id;
    // VSS_BREAKEX_FLAG_MASK_LUNS | VSS_BREAKEX_FLAG_MAKE_READ_WRITE cannot go together.
    assert_eq!(
        b.break_snapshot_set_ex(set, 1 | 2).err(),
        Some(BreakSnapshotSetExError::InvalidArg)
    );
    assert_eq!(
        b.break_snapshot_set_ex(GUID::from_u128(1), 2).err(),
        Some(BreakSnapshotSetExError::ObjectNotFound)
    );
    assert_eq!(
        b.break_snapshot_set_ex(set, 2).err(),
        Some(BreakSnapshotSetExError::ProviderVeto)
    );
    // A queued call-time fault of an Ex method's async start.
    vss.inject(
        Fault::parse("IVssBackupComponentsEx2::BreakSnapshotSetEx=E_ACCESSDENIED")
            .unwrap()
            .at(Phase::Call),
    )
    .unwrap();
    assert_eq!(
        b.break_snapshot_set_ex(set, 2).err(),
        Some(BreakSnapshotSetExError::AccessDenied)
    );
    assert!(vss.pending_faults().is_empty());
    // Outside a restore, recovery is out of sequence.
    assert_eq!(
        b.add_snapshot_to_recovery_set(id, 0, ""),
        Err(AddSnapshotToRecoverySetError::BadState)
    );
    // Documented as reserved for future use.
    let e = b.pre_fast_recovery(set, 0).err().unwrap();
    assert_eq!(e.hresult().0 as u32, 0x8000_4001);
    let e = b.fast_recovery(set, 0).err().unwrap();
    assert_eq!(e.hresult().0 as u32, 0x8000_4001);
}

#[test]
fn a_hardware_providers_sets_are_broken_off_and_resynchronized() {
    let vss = FakeVss::new();
    vss.use_hardware_provider();
    // BreakSnapshotSet: the set leaves VSS at once.
    let (b, _) = snapshot(&vss);
    let set = vss.snapshots()[0].set_id;
    b.break_snapshot_set(set).unwrap();
    assert!(vss.snapshots().iter().all(|x| x.set_id != set));
    // BreakSnapshotSetEx: when the operation finishes; a QueryStatus-time failure keeps it.
    let (b, _) = snapshot(&vss);
    let set = vss.snapshots().last().unwrap().set_id;
    vss.inject(
        Fault::parse("BreakSnapshotSetEx=VSS_E_BREAK_REVERT_ID_FAILED")
            .unwrap()
            .at(Phase::Status),
    )
    .unwrap();
    let e = b
        .break_snapshot_set_ex(set, 2)
        .unwrap()
        .wait(LIMIT)
        .unwrap_err();
    assert!(
        matches!(
            e.method_error(),
            Some(BreakSnapshotSetExError::BreakRevertIdFailed)
        ),
        "{e}"
    );
    assert!(vss.snapshots().iter().any(|x| x.set_id == set));
    b.break_snapshot_set_ex(set, 2)
        .unwrap()
        .wait(LIMIT)
        .unwrap();
    assert!(vss.snapshots().iter().all(|x| x.set_id != set));
    // LUN resynchronization, in a restore: nothing to recover is out of sequence; a
    // hardware snapshot in the recovery set is resynchronized once.
    let (b, id) = snapshot(&vss);
    b.backup_complete().unwrap().wait(LIMIT).unwrap();
    let xml = b.save_as_xml().unwrap();
    let r = BackupComponents::from_interface(vss.backup_components());
    r.initialize_for_restore(&xml).unwrap();
    assert_eq!(r.recover_set(0).err(), Some(RecoverSetError::BadState));
    r.add_snapshot_to_recovery_set(id, 0, "E:\\").unwrap();
    r.recover_set(0).unwrap().wait(LIMIT).unwrap();
    assert_eq!(
        r.recover_set(0).err(),
        Some(RecoverSetError::BadState),
        "the recovery set was used up"
    );
}

#[test]
fn in_a_restore_there_is_nothing_to_recover_and_nothing_to_import() {
    let vss = FakeVss::new();
    let (b, id) = snapshot(&vss);
    b.backup_complete().unwrap().wait(LIMIT).unwrap();
    let xml = b.save_as_xml().unwrap();
    // Import belongs to a restore from a document.
    assert_eq!(
        b.import_snapshots().err(),
        Some(ImportSnapshotsError::BadState)
    );
    let r = BackupComponents::from_interface(vss.backup_components());
    r.initialize_for_restore(&xml).unwrap();
    r.import_snapshots().unwrap().wait(LIMIT).unwrap();
    assert_eq!(
        r.add_snapshot_to_recovery_set(GUID::from_u128(77), 0, ""),
        Err(AddSnapshotToRecoverySetError::SnapshotNotInSet)
    );
    // A software provider's snapshot cannot be resynchronized.
    assert_eq!(
        r.add_snapshot_to_recovery_set(id, 0, "E:\\"),
        Err(AddSnapshotToRecoverySetError::BadState)
    );
    assert_eq!(r.recover_set(0).err(), Some(RecoverSetError::BadState));
    vss.inject(
        Fault::parse("ImportSnapshots=VSS_E_UNEXPECTED")
            .unwrap()
            .at(Phase::Status),
    )
    .unwrap();
    let e = r.import_snapshots().unwrap().wait(LIMIT).unwrap_err();
    assert!(
        matches!(
            e.method_error(),
            Some(ImportSnapshotsError::Unexpected { .. })
        ),
        "{e}"
    );
}

#[test]
fn writer_status_ex_adds_the_application_failure_to_writer_status() {
    let vss = FakeVss::new();
    let b = ready(&vss);
    assert_eq!(
        b.writer_status_ex(0).err(),
        Some(GetWriterStatusExError::BadState),
        "before GatherWriterStatus"
    );
    b.gather_writer_status().unwrap().wait(LIMIT).unwrap();
    let n = b.writer_status_count().unwrap();
    assert!(n >= 3);
    for i in 0..n {
        let plain = b.writer_status(i).unwrap();
        let (instance, class, name, state, failure, application, message) =
            b.writer_status_ex(i).unwrap();
        assert_eq!(
            (instance, class, name.as_str(), state),
            (
                plain.instance_id,
                plain.writer_id,
                plain.name.as_str(),
                plain.state
            )
        );
        assert_eq!(failure, HRESULT(0));
        assert_eq!((application, message.as_str()), (HRESULT(0), ""));
    }
    assert_eq!(
        b.writer_status_ex(n).err(),
        Some(GetWriterStatusExError::ObjectNotFound)
    );
}

#[test]
fn root_and_logical_prefix_paths_normalize_local_and_share_paths() {
    let vss = FakeVss::new();
    let b = BackupComponents::from_interface(vss.backup_components());
    let (root, prefix) = b
        .root_and_logical_prefix_paths("c:\\db\\a.mdf", false)
        .unwrap();
    assert_eq!(root, "C:\\");
    assert!(
        prefix.starts_with("\\\\?\\Volume{") && prefix.ends_with("}\\"),
        "{prefix}"
    );
    let (d_root, d_prefix) = b.root_and_logical_prefix_paths("D:", false).unwrap();
    assert_eq!(d_root, "D:\\");
    assert_ne!(d_prefix, prefix, "each volume has its own name");
    // The same volume, however the path is written.
    assert_eq!(
        b.root_and_logical_prefix_paths("C:\\", true).unwrap().1,
        prefix
    );
    // A share: host name or fully qualified in the root, fully evaluated in the prefix.
    let share = "\\\\fs1.other.example\\data\\dir\\f.txt";
    assert_eq!(
        b.root_and_logical_prefix_paths(share, false).unwrap(),
        (
            "\\\\fs1\\data\\".to_string(),
            "\\\\fs1.corp.example\\data\\".to_string()
        )
    );
    assert_eq!(
        b.root_and_logical_prefix_paths(share, true).unwrap().0,
        "\\\\fs1.corp.example\\data\\"
    );
    assert_eq!(
        b.root_and_logical_prefix_paths("\\\\10.0.0.7\\data", true)
            .unwrap()
            .0,
        "\\\\10.0.0.7\\data\\"
    );
    // On no volume of the machine, or not a path.
    for bad in ["Q:\\x", "relative\\path", "", "\\\\server"] {
        let e = b.root_and_logical_prefix_paths(bad, false).unwrap_err();
        assert_eq!(e.hresult().0 as u32, 0x8007_0057, "{bad:?}");
    }
}
