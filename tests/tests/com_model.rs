//! The typed models through real vtable calls against the fault-injecting VSS: each writer's
//! metadata read whole (identity, Ex and Ex2 parts, components with files, databases, logs
//! and dependencies, excludes, restore method, alternate locations, schema flags), and
//! success codes that mean "nothing to report" kept apart from empty strings.

use std::time::Duration;
use vss_errors::com::model::*;
use vss_errors::com::{BackupComponents, BackupType, WriterMetadata};
use vss_errors::fake::FakeVss;
use vss_errors::methods::GetAlternateLocationOutcome;

fn metadata(vss: &FakeVss) -> (BackupComponents, Vec<WriterMetadata>) {
    let b = BackupComponents::from_interface(vss.backup_components());
    b.initialize_for_backup(None).unwrap();
    b.set_backup_state(true, false, BackupType::Full, false)
        .unwrap();
    b.gather_writer_metadata()
        .unwrap()
        .wait(Duration::from_secs(5))
        .unwrap();
    let n = b.writer_metadata_count().unwrap();
    let m = (0..n).map(|i| b.writer_metadata_ex(i).unwrap()).collect();
    (b, m)
}

#[test]
fn every_writer_reads_whole() {
    let vss = FakeVss::new();
    let (_b, metadata) = metadata(&vss);
    let infos: Vec<WriterInfo> = metadata.iter().map(|m| m.read().unwrap()).collect();
    let fakes = vss.writers();
    assert_eq!(infos.len(), fakes.len());
    for (info, fake) in infos.iter().zip(&fakes) {
        assert_eq!(info.name, fake.name);
        assert_eq!(info.writer_id, fake.writer_id);
        assert_eq!(info.instance_id, fake.instance_id);
        assert_eq!(info.usage.raw(), fake.usage);
        assert_eq!(info.source.raw(), fake.source);
        assert_eq!(info.version, Some(fake.version));
        assert_eq!(
            info.instance_name.as_deref(),
            Some(format!("{} instance", fake.name).as_str())
        );
        assert_eq!(info.components.len(), fake.components.len());
        for (c, f) in info.components.iter().zip(&fake.components) {
            assert_eq!(c.info.name, f.name);
            assert_eq!(c.info.logical_path, f.logical_path);
            assert_eq!(c.info.caption, f.caption);
            assert_eq!(c.info.selectable, f.selectable);
            assert_eq!(c.component_type.raw(), f.component_type);
            let paths: Vec<(&str, &str, bool)> = c
                .all_files()
                .map(|s| (s.path.as_str(), s.filespec.as_str(), s.recursive))
                .collect();
            let want: Vec<(&str, &str, bool)> = f
                .files
                .iter()
                .chain(&f.databases)
                .chain(&f.logs)
                .map(|s| (s.path.as_str(), s.filespec.as_str(), s.recursive))
                .collect();
            assert_eq!(paths, want);
        }
        assert_eq!(info.excludes.len(), fake.excludes.len());
        assert_eq!(
            info.alternate_locations.len(),
            fake.alternate_locations.len()
        );
        assert_eq!(
            info.excludes_from_snapshot.len(),
            fake.excludes_from_snapshot.len()
        );
        assert_eq!(info.backup_schema.0, fake.backup_schema);
    }
}

#[test]
fn the_models_carry_what_the_documents_state() {
    let vss = FakeVss::new();
    let (_b, metadata) = metadata(&vss);
    let system = metadata[0].read().unwrap();
    let files = &system.components[0];
    assert!(
        !files.info.selectable,
        "the system's files cannot be selected"
    );
    assert_eq!(files.component_type, ComponentType::FileGroup);
    assert_eq!(files.files[0].path, "C:\\Windows\\System32");
    assert!(files.files[0].recursive);
    assert!(files.files[0]
        .backup_type_mask
        .contains(FileSpecBackupType::FULL_SNAPSHOT_REQUIRED));
    assert_eq!(system.excludes[0].path, "C:\\Windows\\Temp");
    assert!(system.backup_schema.contains(BackupSchema::DIFFERENTIAL));
    assert!(!system.backup_schema.contains(BackupSchema::LOG));

    let registry = metadata[1].read().unwrap();
    let dep = &registry.components[0].dependencies[0];
    assert_eq!(
        dep.writer_id, system.writer_id,
        "depends on the system writer"
    );
    assert_eq!(dep.component_name, "System Files");
    assert_eq!(dep.logical_path, "", "no logical path is the empty string");

    let db = metadata[2].read().unwrap();
    let a = db.component("Instance1", "a").unwrap();
    assert_eq!(a.component_type, ComponentType::Database);
    assert_eq!(a.databases[0].filespec, "a.mdf");
    assert_eq!(a.log_files[0].path, "D:\\db\\logs");
    assert_eq!(db.restore.method, RestoreMethod::StopRestoreStart);
    assert_eq!(
        db.alternate_locations[0].alternate_location,
        "D:\\restore\\db"
    );
    assert_eq!(db.excludes_from_snapshot[0].filespec, "*.tmp");
}

#[test]
fn nothing_to_report_is_an_outcome_not_an_empty_string() {
    let vss = FakeVss::new();
    let (_b, metadata) = metadata(&vss);
    let a = metadata[2].component(0).unwrap();
    let db = a.database_file(0).unwrap();
    let (outcome, location) = db.alternate_location().unwrap();
    assert_eq!(location, "");
    assert_eq!(
        outcome,
        GetAlternateLocationOutcome::NotFound,
        "S_FALSE: no alternate location"
    );
    let mapping = metadata[2].alternate_location_mapping(0).unwrap();
    let (outcome, location) = mapping.alternate_location().unwrap();
    assert_eq!(location, "D:\\restore\\db");
    assert_eq!(outcome, GetAlternateLocationOutcome::Ok);
}

#[test]
fn component_info_is_freed_through_the_component() {
    let vss = FakeVss::new();
    let (_b, metadata) = metadata(&vss);
    let c = metadata[2].component(0).unwrap();
    // Read twice: each read copies and frees its own VSS_COMPONENTINFO.
    assert_eq!(c.info().unwrap(), c.info().unwrap());
    assert_eq!(c.info().unwrap().database_count, 1);
}
