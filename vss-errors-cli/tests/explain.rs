//! The `vss-errors explain` command, run as a process: each CODE notation, `--method`,
//! several readings of one value, unknown values and names, bad input, `--json`, and the exit
//! status of each.

use std::process::Command;

fn explain(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vss-errors"))
        .arg("explain")
        .args(args)
        .output()
        .expect("the command runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let (status, stdout, stderr) = explain(&all);
    assert_eq!(stderr, "", "{args:?}");
    let v = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    (status, v)
}

#[test]
fn every_notation_of_a_code_gives_the_same_explanation() {
    let (status, expected, stderr) = explain(&["0x80042306"]);
    assert_eq!((status, stderr.as_str()), (0, ""));
    for form in [
        "80042306",
        "2147754758",
        "-2147212538",
        "vss_e_provider_veto",
        "VSS_E_PROVIDER_VETO",
    ] {
        let (status, stdout, stderr) = explain(&[form]);
        assert_eq!(status, 0, "{form}: {stderr}");
        assert_eq!(stdout, expected, "{form}");
    }
    for line in [
        "value     0x80042306 (signed -2147212538, unsigned 2147754758)\n",
        "severity  failure\n",
        "facility  4 (FACILITY_ITF)\n",
        "code      8966 (0x2306)\n",
        "VSS_E_PROVIDER_VETO: vss family, documented for ",
        &format!("  summary   {}\n", vss_errors::Code::VSS_E_PROVIDER_VETO.summary()),
        "\n  IVssBackupComponents::DoSnapshotSet\n    meaning   The provider was unable to perform the request at this time. This can be a transient problem.",
        "    when      only through IVssAsync::QueryStatus, not by the call\n    retry     wait 600 s (10 min), then try again at most 3 times\n",
    ] {
        assert!(expected.contains(line), "missing {line:?} in:\n{expected}");
    }
}

#[test]
fn method_limits_the_explanation_to_that_method() {
    let (status, qualified, _) = explain(&[
        "0x80042306",
        "--method",
        "IVssBackupComponents::DoSnapshotSet",
    ]);
    assert_eq!(status, 0);
    assert!(
        qualified.contains("documented by 1 method:\n"),
        "{qualified}"
    );
    assert!(
        qualified.contains("IVssBackupComponents::DoSnapshotSet\n"),
        "{qualified}"
    );
    let (status, bare, _) = explain(&["--method=dosnapshotset", "0x80042306"]);
    assert_eq!((status, bare), (0, qualified));

    // A method that does not document the code says so.
    let (status, stdout, _) = explain(&[
        "VSS_E_PROVIDER_VETO",
        "--method",
        "IVssBackupComponents::AbortBackup",
    ]);
    assert_eq!(status, 0);
    assert!(
        stdout.contains("IVssBackupComponents::AbortBackup does not document VSS_E_PROVIDER_VETO"),
        "{stdout}"
    );

    // OS notes are shown, and where the code stands in for another one.
    let (_, stdout, _) = explain(&[
        "E_UNEXPECTED",
        "--method",
        "IVssBackupComponents::DoSnapshotSet",
    ]);
    assert!(
        stdout.contains("IVssBackupComponents::DoSnapshotSet: instead of VSS_E_UNEXPECTED on Windows Server 2008, Windows Vista, Windows Server 2003, Windows XP"),
        "{stdout}"
    );
    let (_, stdout, _) = explain(&[
        "VSS_E_UNEXPECTED",
        "--method",
        "IVssBackupComponents::DoSnapshotSet",
    ]);
    assert!(stdout.contains("    os note   Windows Server 2008, Windows Vista, Windows Server 2003 and Windows XP: This value is not supported until"), "{stdout}");
}

#[test]
fn unknown_or_ambiguous_methods_are_usage_errors_with_candidates() {
    let (status, stdout, stderr) = explain(&["0x80042306", "--method", "QueryStatus"]);
    assert_eq!((status, stdout.as_str()), (2, ""));
    assert!(
        stderr.starts_with("error: `QueryStatus` names 2 methods; write one of `IVdsAsync::QueryStatus`, `IVssAsync::QueryStatus`\n")
            || stderr.starts_with("error: `QueryStatus` names 2 methods; write one of `IVssAsync::QueryStatus`, `IVdsAsync::QueryStatus`\n"),
        "{stderr}"
    );
    let (status, _, stderr) = explain(&["0x80042306", "--method", "DoSnapshotSt"]);
    assert_eq!(status, 2);
    assert!(stderr.starts_with("error: no method named `DoSnapshotSt`; did you mean `IVssBackupComponents::DoSnapshotSet`"), "{stderr}");
    let (status, _, stderr) = explain(&["0x80042306", "--method"]);
    assert_eq!(status, 2);
    assert!(
        stderr.starts_with("error: a value is required for '--method <NAME>'"),
        "{stderr}"
    );
}

#[test]
fn a_value_of_several_families_shows_every_reading() {
    let (status, stdout, _) = explain(&["0x80042409"]);
    assert_eq!(status, 0);
    assert!(
        stdout.contains("\n2 readings: the value means something else in each interface family"),
        "{stdout}"
    );
    let vds = stdout.find("\nVDS_E_OPERATION_PENDING: vds family, documented for IVdsAsync\n");
    let vss = stdout.find("\nVSS_E_WRITER_STATUS_NOT_AVAILABLE: vss family, documented for ");
    assert!(vds.is_some() && vss.is_some(), "{stdout}");

    // By name, one reading, and a pointer to the other.
    let (status, stdout, _) = explain(&["vds_e_operation_pending"]);
    assert_eq!(status, 0);
    assert!(
        !stdout.contains("VSS_E_WRITER_STATUS_NOT_AVAILABLE:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("the same value is VSS_E_WRITER_STATUS_NOT_AVAILABLE in the vss family"),
        "{stdout}"
    );

    let (status, v) = json(&["0x80042409"]);
    assert_eq!(status, 0);
    let families: Vec<&str> = v["readings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["family"].as_str().unwrap())
        .collect();
    assert_eq!(families, ["vds", "vss"]);
}

#[test]
fn an_unknown_value_is_decoded_and_exits_1() {
    let (status, stdout, stderr) = explain(&["0x80070020"]);
    assert_eq!((status, stderr.as_str()), (1, ""));
    assert!(
        stdout.contains("facility  7 (FACILITY_WIN32)\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("win32     error 32 (HRESULT_FROM_WIN32)\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "unknown: 0x80070020 is not in the catalog; no VSS documentation lists it\n"
        ),
        "{stdout}"
    );

    let (status, v) = json(&["0x80070020"]);
    assert_eq!(status, 1);
    assert_eq!(v["known"], false);
    assert_eq!(v["win32"], 32);
    assert_eq!(v["readings"].as_array().map(Vec::len), Some(0));

    // A success value outside the catalog.
    let (status, stdout, _) = explain(&["0x00040000"]);
    assert_eq!(status, 1);
    assert!(stdout.contains("severity  success\n"), "{stdout}");

    // A well-formed name the catalog lacks: exit 1, with the close names.
    let (status, stdout, stderr) = explain(&["VSS_E_PROVIDR_VETO"]);
    assert_eq!((status, stdout.as_str()), (1, ""));
    assert_eq!(stderr, "error: no code named `VSS_E_PROVIDR_VETO` in the catalog; did you mean `VSS_E_PROVIDER_VETO`?\n");
}

#[test]
fn bad_input_is_a_usage_error() {
    for (args, start) in [
        (vec!["not a code!"], "error: `not a code!` is neither a value nor a code name; write a value like `0x80042306`"),
        (vec!["0xZZ"], "error: `0xZZ` is not a 32-bit hex value; write one to eight hex digits after `0x`"),
        (vec!["4294967296"], "error: `4294967296` is out of range"),
        (vec!["-2147483649"], "error: `-2147483649` is out of range"),
        (vec![], "error: missing CODE; write a value like `0x80042306`"),
        (vec!["0x1", "0x2"], "error: one code at a time: found `0x1` and `0x2`"),
        (vec!["0x1", "--verbose"], "error: unexpected argument '--verbose' found"),
        (vec!["0x1", "--jsn"], "error: unexpected argument '--jsn' found\n\n  tip: a similar argument exists: '--json'"),
    ] {
        let (status, stdout, stderr) = explain(&args);
        assert_eq!((status, stdout.as_str()), (2, ""), "{args:?}");
        assert!(stderr.starts_with(start), "{args:?}: {stderr}");
        assert!(stderr.contains("Usage: vss-errors explain"), "{stderr}");
    }
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_vss-errors"))
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (status, _, stderr) = run(&["explian"]);
    assert_eq!(status, Some(2));
    assert!(
        stderr.starts_with("error: unrecognized subcommand 'explian'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("tip: a similar subcommand exists: 'explain'"),
        "{stderr}"
    );
    let (status, stdout, _) = run(&["--help"]);
    assert_eq!(status, Some(0));
    assert!(stdout.contains("Usage: vss-errors <COMMAND>"), "{stdout}");
    let (status, stdout, _) = run(&["explain", "--help"]);
    assert_eq!(status, Some(0));
    assert!(
        stdout.contains("Usage: vss-errors explain [OPTIONS] [CODE|FILE]..."),
        "{stdout}"
    );
    assert!(stdout.contains("Exit status: 0 explained"), "{stdout}");
    let (status, stdout, _) = run(&["--version"]);
    assert_eq!(
        (status, stdout),
        (
            Some(0),
            format!("vss-errors {}\n", env!("CARGO_PKG_VERSION"))
        )
    );
}

#[test]
fn double_dash_ends_the_options_so_negative_decimals_work_either_way() {
    let plain = explain(&["-2147212538"]);
    let dashed = explain(&["--", "-2147212538"]);
    assert_eq!(plain.0, 0);
    assert_eq!(plain, dashed);
    assert!(plain.1.starts_with("value     0x80042306 "), "{}", plain.1);
    let (status, v) = json(&["--method", "DoSnapshotSet", "--", "-2147212538"]);
    assert_eq!(status, 0);
    assert_eq!(v["method"], "IVssBackupComponents::DoSnapshotSet");
}

#[test]
fn json_has_the_documented_keys() {
    let (status, v) = json(&[
        "-2147212538",
        "--method",
        "IVssBackupComponents::DoSnapshotSet",
    ]);
    assert_eq!(status, 0);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = [
        "input",
        "value",
        "signed",
        "unsigned",
        "severity",
        "facility",
        "facility_name",
        "code",
        "win32",
        "known",
        "method",
        "readings",
        "also",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(v["input"], "-2147212538");
    assert_eq!(v["value"], "0x80042306");
    assert_eq!(v["signed"], -2147212538_i64);
    assert_eq!(v["unsigned"], 2147754758_u64);
    assert_eq!(v["facility_name"], "FACILITY_ITF");
    assert_eq!(v["code"], 0x2306);
    assert_eq!(v["method"], "IVssBackupComponents::DoSnapshotSet");
    let r = &v["readings"][0];
    assert_eq!(r["name"], "VSS_E_PROVIDER_VETO");
    assert!(
        r["interfaces"]
            .as_array()
            .is_some_and(|a| a.contains(&serde_json::json!("IVssBackupComponents"))),
        "{r}"
    );
    let d = &r["documented_by"][0];
    assert_eq!(d["method"], "IVssBackupComponents::DoSnapshotSet");
    assert_eq!(d["kind"], "method");
    assert_eq!(d["list"], "returns");
    assert_eq!(d["async_only"], true);
    assert_eq!(
        d["retry"],
        serde_json::json!({"wait_seconds": 600, "max_attempts": 3})
    );
    assert_eq!(r["documented_by"].as_array().map(Vec::len), Some(1));

    // Writer-failure sets name the methods that report them.
    let (_, v) = json(&[
        "VSS_E_WRITERERROR_RETRYABLE",
        "--method",
        "IVssBackupComponents::GetWriterStatus",
    ]);
    let d = &v["readings"][0]["documented_by"][0];
    assert_eq!(d["kind"], "writer_failure_set");
    assert_eq!(
        d["links"][0]["method"],
        "IVssBackupComponents::GetWriterStatus"
    );
    assert_eq!(d["links"][0]["direction"], "reported");
}
