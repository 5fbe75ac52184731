//! `vss-errors explain --scan`, run as a process: what it finds in a log and a `vssadmin list
//! writers` listing, the text and JSON forms, standard input, several files, and exit statuses.

use std::io::Write;
use std::process::{Command, Stdio};

fn scan(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vss-errors"))
        .arg("explain")
        .arg("--scan")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn explain_json(code: &str) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_vss-errors"))
        .args(["explain", "--json", "--", code])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

const LOG: &str = "\
2026-12-06 01:02:03 backup started, pid 4242, event ID 8193
2026-12-06 01:02:04 DoSnapshotSet: HRESULT(0x80042306)
2026-12-06 01:02:05 ioctl 0x0053c008 at 0x00007ff6a1b2c3d4 for {6d4d3a5b-8f9e-4b3e-a5f2-1c2d3e4f5a6b}
2026-12-06 01:02:06 retry failed with -2147212538
2026-12-06 01:02:07 writer said vss_e_writererror_retryable
Writer name: 'Microsoft Exchange Writer'
   Writer Id: {76fe1ac4-15f7-4bcd-987e-8e1acb462fb7}
   State: [9] Failed
   Last error: Retryable error
";

#[test]
fn text_lists_each_code_once_with_its_lines_then_explains_it() {
    let (status, stdout, stderr) = scan(&[], LOG);
    assert_eq!((status, stderr.as_str()), (0, ""));
    let heads: Vec<&str> = stdout.lines().filter(|l| l.starts_with("== ")).collect();
    assert_eq!(
        heads,
        [
            "== 0x80042306 at lines 2, 4",
            "== VSS_E_WRITERERROR_RETRYABLE (0x800423F3) at lines 5, 9 (writer 'Microsoft Exchange Writer', VSS_WS_FAILED_AT_FREEZE)",
        ]
    );
    // Each head is followed by the explanation `explain` prints for it.
    let explained = Command::new(env!("CARGO_BIN_EXE_vss-errors"))
        .args(["explain", "0x80042306"])
        .output()
        .unwrap();
    let first = stdout
        .split("== ")
        .nth(1)
        .and_then(|s| s.split_once('\n'))
        .map(|(_, rest)| rest.trim_end().to_string())
        .unwrap();
    assert_eq!(first, String::from_utf8_lossy(&explained.stdout).trim_end());
}

#[test]
fn json_gives_one_object_per_finding_per_line() {
    let (status, stdout, _) = scan(&["--json", "-"], LOG);
    assert_eq!(status, 0);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let found: Vec<(u64, &str, &str)> = lines
        .iter()
        .map(|v| {
            (
                v["line"].as_u64().unwrap(),
                v["text"].as_str().unwrap(),
                v["value"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (2, "HRESULT(0x80042306)", "0x80042306"),
            (4, "-2147212538", "0x80042306"),
            (5, "vss_e_writererror_retryable", "0x800423F3"),
            (9, "Last error: Retryable error", "0x800423F3"),
        ]
    );
    for v in &lines {
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["file", "line", "readings", "state", "text", "value", "writer"]
        );
        assert_eq!(v["file"], serde_json::Value::Null);
    }
    assert_eq!(lines[0]["writer"], serde_json::Value::Null);
    assert_eq!(lines[0]["state"], serde_json::Value::Null);
    assert_eq!(lines[3]["writer"], "Microsoft Exchange Writer");
    assert_eq!(lines[3]["state"], "VSS_WS_FAILED_AT_FREEZE");
    // `readings` are what `explain --json` gives for the same value or name.
    assert_eq!(lines[0]["readings"], explain_json("0x80042306")["readings"]);
    assert_eq!(
        lines[3]["readings"],
        explain_json("VSS_E_WRITERERROR_RETRYABLE")["readings"]
    );
}

#[test]
fn several_files_are_named_in_the_places() {
    let dir = std::env::temp_dir().join(format!("vss-errors-scan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let a = dir.join("a.log");
    let b = dir.join("b.log");
    std::fs::write(&a, "x\nfailed 0x80042306\n").unwrap();
    std::fs::write(&b, "0x80042306 again\n").unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let (status, stdout, _) = scan(&[a, b], "");
    assert_eq!(status, 0);
    assert!(
        stdout.starts_with(&format!("== 0x80042306 at lines {a}:2, {b}:1\n")),
        "{stdout}"
    );
    let (_, stdout, _) = scan(&["--json", b], "");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["file"], b);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn nothing_found_exits_1_and_bad_files_or_arguments_exit_2() {
    let (status, stdout, stderr) = scan(&[], "all good, 0x0053c008, -1, event 8193\n");
    assert_eq!((status, stdout.as_str(), stderr.as_str()), (1, "", ""));

    let (status, stdout, stderr) = scan(&["/no/such/file.log"], "");
    assert_eq!((status, stdout.as_str()), (2, ""));
    assert!(
        stderr.starts_with("error: cannot read `/no/such/file.log`: No such file or directory"),
        "{stderr}"
    );
    let dir = std::env::temp_dir();
    let (status, _, stderr) = scan(&[dir.to_str().unwrap()], "");
    assert_eq!(status, 2);
    assert!(stderr.starts_with("error: cannot read `"), "{stderr}");

    let (status, _, stderr) = scan(&["--method", "DoSnapshotSet"], "");
    assert_eq!(status, 2);
    assert!(
        stderr.starts_with("error: the argument '--scan' cannot be used with '--method <NAME>'"),
        "{stderr}"
    );
}
