//! The `simulate` example's interface: one line per attempt, the outcome, the last line
//! `remaining snapshots: N`, and its exit codes.

use std::process::Command;

fn simulate(args: &[&str]) -> (i32, String, String) {
    // `cargo test` builds the package's examples next to the test binaries.
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target profile folder");
    let bin = dir
        .join("examples")
        .join(format!("simulate{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing; `cargo test -p vss-errors` builds it",
        bin.display()
    );
    let out = Command::new(&bin)
        .args(args)
        .output()
        .expect("the example runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn two_transient_failures_then_success() {
    let (code, out, _) = simulate(&["--fault", "DoSnapshotSet=VSS_E_FLUSH_WRITES_TIMEOUT:2"]);
    assert_eq!(code, 0, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    // The failure with its sources, down to the method's typed error.
    assert!(
        lines[0].starts_with(
            "attempt 1: failed at 0 s: the backup session failed at DoSnapshotSet: \
             the asynchronous operation failed: IVssBackupComponents::DoSnapshotSet: "
        ),
        "{out}"
    );
    assert!(
        lines[0].ends_with("retrying after 600 s as advised"),
        "{out}"
    );
    assert!(lines[1].starts_with("attempt 2: failed at 600 s"), "{out}");
    assert_eq!(lines[2], "attempt 3: succeeded at 1200 s");
    assert_eq!(lines.last().copied(), Some("remaining snapshots: 0"));
}

#[test]
fn exhausted_advice_fails_with_the_typed_error() {
    let (code, out, err) = simulate(&["--fault", "DoSnapshotSet=VSS_E_FLUSH_WRITES_TIMEOUT:5"]);
    assert_ne!(code, 0);
    assert!(
        err.contains("(VSS_E_FLUSH_WRITES_TIMEOUT 0x80042313)"),
        "{err}"
    );
    assert_eq!(out.lines().filter(|l| l.starts_with("attempt ")).count(), 4);
    assert_eq!(out.lines().last(), Some("remaining snapshots: 0"));
}

#[test]
fn undocumented_fault_is_refused_clearly() {
    let (code, out, err) = simulate(&[
        "--fault",
        "DoSnapshotSet=VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED",
    ]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("is not documented for IVssBackupComponents::DoSnapshotSet"),
        "{err}"
    );
}

#[test]
fn writer_faults_combine_and_keep_keeps() {
    let (code, out, _) = simulate(&[
        "--writer-fault",
        "Registry Writer=VSS_E_WRITERERROR_TIMEOUT",
        "--fault",
        "PrepareForBackup=VSS_E_UNEXPECTED:1",
        "--volume",
        "C:\\",
        "--volume",
        "D:\\",
        "--keep",
    ]);
    // PrepareForBackup's VSS_E_UNEXPECTED has no advice: not retried.
    assert_ne!(code, 0, "{out}");
    assert_eq!(out.lines().last(), Some("remaining snapshots: 0"));
    let (code, out, _) = simulate(&[
        "--writer-fault",
        "Registry Writer=VSS_E_WRITERERROR_TIMEOUT",
        "--volume",
        "C:\\",
        "--volume",
        "D:\\",
        "--keep",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("writer failed: Registry Writer"), "{out}");
    assert!(out.contains("(partial)"), "{out}");
    assert_eq!(out.lines().last(), Some("remaining snapshots: 2"));
}

#[test]
fn components_are_listed_with_where_they_are_read_from() {
    let (code, out, _) = simulate(&["--components"]);
    assert_eq!(code, 0, "{out}");
    let components: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("component "))
        .collect();
    assert_eq!(components.len(), 3, "{out}");
    let db = components
        .iter()
        .find(|l| l.starts_with("component Database Writer: Instance1\\a (2 file set(s))"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        db.contains("read from \\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy")
            && db.ends_with("\\db (a.mdf)"),
        "{db}"
    );
    assert!(out.contains("attempt 1: succeeded at 0 s"), "{out}");
    assert!(
        out.contains("outcome: 3 of 3 component(s) backed up from 2 volume(s)\n"),
        "{out}"
    );
    assert_eq!(out.lines().last(), Some("remaining snapshots: 0"));
}

#[test]
fn a_restore_lists_each_restored_component() {
    let (code, out, _) = simulate(&["--restore"]);
    assert_eq!(code, 0, "{out}");
    let restored: Vec<&str> = out.lines().filter(|l| l.starts_with("restored ")).collect();
    assert_eq!(
        restored,
        [
            "restored Registry Writer: Registry (All, method IfCanReplace)",
            "restored Database Writer: Instance1\\a (All, method StopRestoreStart)"
        ],
        "{out}"
    );
    assert!(out.contains("outcome: 2 component(s) restored\n"), "{out}");
    assert_eq!(out.lines().last(), Some("remaining snapshots: 0"));
}

#[test]
fn a_restore_fault_beyond_the_advice_fails_naming_the_method() {
    let (code, out, err) = simulate(&["--restore", "--fault", "PreRestore=VSS_E_UNEXPECTED:1"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        err.starts_with(
            "error: not retried: no retry advice (1 attempt(s)): the restore failed at PreRestore: \
             the asynchronous operation failed: IVssBackupComponents::PreRestore: "
        ),
        "{err}"
    );
    assert!(err.contains("VSS_E_UNEXPECTED 0x80042302"), "{err}");
    assert!(
        out.contains("outcome: restore failed after 1 attempt(s)"),
        "{out}"
    );
    assert!(!out.contains("restored "), "{out}");
    assert_eq!(out.lines().last(), Some("remaining snapshots: 0"));
}

#[test]
fn a_restore_fault_the_catalog_does_not_document_is_refused() {
    let (code, _, err) = simulate(&["--restore", "--fault", "PreRestore=VSS_E_PROVIDER_VETO"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("VSS_E_PROVIDER_VETO is not documented for IVssBackupComponents::PreRestore"),
        "{err}"
    );
    let (code, _, err) = simulate(&["--components", "--restore"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("choose one of --components and --restore"),
        "{err}"
    );
}

#[cfg(not(windows))]
#[test]
fn the_backup_example_says_it_needs_windows() {
    let exe = std::env::current_exe().expect("test binary path");
    let bin = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target profile folder")
        .join("examples")
        .join("backup");
    let out = Command::new(&bin).args(["a", "b"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("this example needs Windows"));
}
