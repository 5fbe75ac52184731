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
    assert!(
        lines[0].starts_with("attempt 1: failed at 0 s: IVssBackupComponents::DoSnapshotSet"),
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
