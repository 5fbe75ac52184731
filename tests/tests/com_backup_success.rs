//! Every IVssBackupComponents (and Ex–Ex4) wrapper succeeds through its real vtable slot when
//! called in its documented place: an incremental component-mode backup, a restore from its
//! document, and the calls that end a snapshot's life (delete, abort, revert, break) are
//! walked once with a hardware provider on the machine, and the fake's call log must show a
//! success of every method but the two the documentation reserves.

use std::time::Duration;
use vss_errors::com::model::RollForwardType;
use vss_errors::com::{BackupComponents, BackupType};
use vss_errors::fake::FakeVss;
use vss_errors::Method;
use vss_errors::GUID;

const LIMIT: Duration = Duration::from_secs(5);
const NONE: GUID = GUID::zeroed();
/// `VSS_OBJECT_SNAPSHOT`.
const SNAPSHOT: i32 = 3;
/// `VSS_RTYPE_BY_COPY`.
const BY_COPY: i32 = 1;
/// `VSS_RS_ALL`.
const ALL_RESTORED: i32 = 2;
/// A writer class no writer on the machine has.
const ABSENT: GUID = GUID::from_u128(0xabc);

fn ready(vss: &FakeVss, components: bool) -> BackupComponents {
    let b = BackupComponents::from_interface(vss.backup_components());
    b.initialize_for_backup(None).unwrap();
    b.set_context(0).unwrap();
    b.set_backup_state(components, false, BackupType::Incremental, false)
        .unwrap();
    b
}

fn snapshotted(vss: &FakeVss) -> (BackupComponents, GUID, GUID) {
    let b = ready(vss, false);
    b.gather_writer_metadata().unwrap().wait(LIMIT).unwrap();
    let set = b.start_snapshot_set().unwrap();
    let id = b.add_to_snapshot_set("C:\\", NONE).unwrap();
    b.prepare_for_backup().unwrap().wait(LIMIT).unwrap();
    b.do_snapshot_set().unwrap().wait(LIMIT).unwrap();
    (b, set, id)
}

#[test]
fn every_backup_components_wrapper_succeeds_in_its_place() {
    let vss = FakeVss::new();
    vss.use_hardware_provider();
    let db = vss.writers()[2].clone();
    let (w, ct, lp, name) = (db.writer_id, 1, "Instance1", "a");

    // An incremental backup of the database's component.
    let b = ready(&vss, true);
    assert!(b.is_volume_supported(NONE, "D:\\").unwrap());
    b.disable_writer_classes(&[ABSENT]).unwrap();
    b.enable_writer_classes(&[w]).unwrap();
    b.disable_writer_instances(&[ABSENT]).unwrap();
    b.gather_writer_metadata().unwrap().wait(LIMIT).unwrap();
    assert_eq!(b.writer_metadata_count().unwrap(), 3);
    b.writer_metadata(2).unwrap();
    b.writer_metadata_ex(2).unwrap();
    b.add_component(db.instance_id, w, ct, lp, name).unwrap();
    b.set_backup_options(w, ct, lp, name, "incremental")
        .unwrap();
    b.set_previous_backup_stamp(w, ct, lp, name, "stamp-0")
        .unwrap();
    b.gather_writer_status().unwrap().wait(LIMIT).unwrap();
    assert_eq!(b.writer_status_count().unwrap(), 3);
    b.writer_status(2).unwrap();
    assert_eq!(b.writer_status_ex(2).unwrap().2, db.name);
    b.free_writer_status().unwrap();
    let set = b.start_snapshot_set().unwrap();
    let id = b.add_to_snapshot_set("D:\\", NONE).unwrap();
    b.prepare_for_backup().unwrap().wait(LIMIT).unwrap();
    b.do_snapshot_set().unwrap().wait(LIMIT).unwrap();
    assert_eq!(b.writer_components_count().unwrap(), 1);
    let c = b
        .writer_components(0)
        .unwrap()
        .read()
        .unwrap()
        .components
        .remove(0);
    assert_eq!(
        c.partial_files.len(),
        1,
        "an incremental backup's changed ranges"
    );
    assert_eq!(c.differenced_files[0].lsn, "4711");
    b.set_backup_succeeded(db.instance_id, w, ct, lp, name, true)
        .unwrap();
    assert_eq!(b.snapshot_properties(id).unwrap().snapshot_set_id, set);
    assert_eq!(b.query_snapshots().unwrap().len(), 1);
    assert_eq!(b.expose_snapshot(id, "", 0, "X:").unwrap(), "X:");
    b.unexpose_snapshot(id).unwrap();
    assert_ne!(b.session_id().unwrap(), NONE);
    let (root, _) = b
        .root_and_logical_prefix_paths("D:\\db\\a.mdf", false)
        .unwrap();
    assert_eq!(root, "D:\\");
    let xml = b.save_as_xml().unwrap();
    b.backup_complete().unwrap().wait(LIMIT).unwrap();
    b.free_writer_metadata().unwrap();

    // A restore from its document, resynchronizing the hardware snapshot's LUN.
    let r = BackupComponents::from_interface(vss.backup_components());
    r.initialize_for_restore(&xml).unwrap();
    r.gather_writer_metadata().unwrap().wait(LIMIT).unwrap();
    r.set_restore_state(BY_COPY).unwrap();
    r.set_selected_for_restore(w, ct, lp, name, true).unwrap();
    r.set_selected_for_restore_ex(w, ct, lp, name, true, db.instance_id)
        .unwrap();
    r.set_restore_options(w, ct, lp, name, "no-recovery")
        .unwrap();
    r.set_additional_restores(w, ct, lp, name, true).unwrap();
    r.add_new_target(w, ct, lp, name, "D:\\db", "a.mdf", false, "E:\\db")
        .unwrap();
    r.set_ranges_file_path(w, ct, lp, name, 0, "E:\\ranges\\a.rng")
        .unwrap();
    r.set_authoritative_restore(w, ct, lp, name, true).unwrap();
    r.set_restore_name(w, ct, lp, name, "a (restored)").unwrap();
    r.set_roll_forward(w, ct, lp, name, RollForwardType::Partial.raw(), "LSN 4711")
        .unwrap();
    r.add_restore_subcomponent(w, ct, lp, name, lp, "log 7", false)
        .unwrap();
    r.import_snapshots().unwrap().wait(LIMIT).unwrap();
    r.add_snapshot_to_recovery_set(id, 0, "E:\\").unwrap();
    r.recover_set(0).unwrap().wait(LIMIT).unwrap();
    r.pre_restore().unwrap().wait(LIMIT).unwrap();
    r.add_alternative_location_mapping(w, ct, lp, name, "D:\\db", "*", false, "E:\\db")
        .unwrap();
    r.set_file_restore_status(w, ct, lp, name, ALL_RESTORED)
        .unwrap();
    r.post_restore().unwrap().wait(LIMIT).unwrap();
    drop(r);

    // The ends of a snapshot's life.
    let (b, set, _) = snapshotted(&vss);
    b.break_snapshot_set(set).unwrap();
    let (b, set, _) = snapshotted(&vss);
    b.break_snapshot_set_ex(set, 0)
        .unwrap()
        .wait(LIMIT)
        .unwrap();
    let (b, _, id) = snapshotted(&vss);
    assert_eq!(b.delete_snapshots(id, SNAPSHOT, false).unwrap(), 1);
    let (b, _, id) = snapshotted(&vss);
    b.revert_to_snapshot(id, false).unwrap();
    b.query_revert_status("C:\\").unwrap().wait(LIMIT).unwrap();
    let b = ready(&vss, false);
    b.gather_writer_metadata().unwrap().wait(LIMIT).unwrap();
    b.start_snapshot_set().unwrap();
    b.add_to_snapshot_set("C:\\", NONE).unwrap();
    b.abort_backup().unwrap();

    // The log holds a success of every method of the five interfaces.
    let succeeded: Vec<String> = vss
        .calls()
        .into_iter()
        .filter(|c| !c.contains(" -> "))
        .collect();
    const RESERVED: &[&str] = &["PreFastRecovery", "FastRecovery"];
    let missing: Vec<String> = Method::all()
        .iter()
        .filter(|m| {
            m.interface
                .is_some_and(|i| i.starts_with("IVssBackupComponents"))
        })
        .filter(|m| !RESERVED.contains(&m.name) && !succeeded.iter().any(|c| c == m.name))
        .map(|m| m.qualified_name())
        .collect();
    assert!(missing.is_empty(), "never succeeded: {missing:?}");
}
