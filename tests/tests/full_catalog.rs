//! Snapshots of the full catalog's JSON export and generated code, so any catalog change
//! shows up as a reviewable diff.

#[test]
fn full_catalog_snapshots() {
    let cat = workspace_tests::catalog();
    insta::assert_snapshot!("catalog_json", codegen::json::export(&cat));
    for f in codegen::emit::generate(&cat).expect("generates") {
        let name = f
            .path
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .replace(".rs", "_rs");
        insta::assert_snapshot!(format!("generated_{name}"), f.contents);
    }
}

#[test]
fn export_has_the_required_keys() {
    let cat = workspace_tests::catalog();
    let v = codegen::json::to_value(&cat);
    let codes = v["codes"].as_array().unwrap();
    let veto = codes
        .iter()
        .find(|c| c["name"] == "VSS_E_PROVIDER_VETO")
        .unwrap();
    assert_eq!(veto["value"], "0x80042306");
    assert_eq!(veto["family"], "vss");
    let methods = v["methods"].as_array().unwrap();
    assert_eq!(
        methods
            .iter()
            .filter(|m| !m["seed_section"].is_null())
            .count(),
        107
    );
    let dss = methods
        .iter()
        .find(|m| m["interface"] == "IVssBackupComponents" && m["name"] == "DoSnapshotSet")
        .unwrap();
    assert_eq!(dss["seed_section"], "DoSnapshotSet");
    let flush = dss["returns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "VSS_E_FLUSH_WRITES_TIMEOUT")
        .unwrap();
    assert_eq!(
        flush["retry"],
        serde_json::json!({"wait_seconds": 600, "max_attempts": 3})
    );
    assert_eq!(flush["async_only"], false);
    let unexpected = dss["returns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "VSS_E_UNEXPECTED")
        .unwrap();
    assert_eq!(unexpected["os_notes"][0]["fallback"], "E_UNEXPECTED");
    assert!(unexpected["os_notes"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("Windows Server 2008"));
    let co = methods
        .iter()
        .find(|m| m["name"] == "CoInitializeEx")
        .unwrap();
    assert!(co["interface"].is_null());
    let set = methods
        .iter()
        .find(|m| m["seed_section"] == "WriterFailure")
        .unwrap();
    assert!(set["interface"].is_null());
    let set2 = methods
        .iter()
        .find(|m| m["seed_section"] == "IVssComponentEx2 WriterFailure")
        .unwrap();
    assert_eq!(set2["interface"], "IVssComponentEx2");
    assert_eq!(set2["name"], "WriterFailure");
}

#[test]
fn export_lists_vtables_and_wrappers() {
    let cat = workspace_tests::catalog();
    let v = codegen::json::to_value(&cat);
    let interfaces = v["interfaces"].as_array().unwrap();
    let backup = interfaces
        .iter()
        .find(|i| i["name"] == "IVssBackupComponents")
        .unwrap();
    let slots: Vec<&str> = backup["vtable"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert_eq!(slots.len(), 48);
    assert_eq!(slots[0], "GetWriterComponentsCount");
    assert_eq!(slots.last(), Some(&"QueryRevertStatus"));
    let writer_components = interfaces
        .iter()
        .find(|i| i["name"] == "IVssWriterComponents")
        .unwrap();
    assert!(writer_components["extends"].is_null(), "no IUnknown base");
    // Every method of an interface whose vtable is declared names its safe wrapper.
    let declared: Vec<&str> = interfaces
        .iter()
        .filter(|i| !i["vtable"].is_null())
        .filter_map(|i| i["name"].as_str())
        .collect();
    let methods = v["methods"].as_array().unwrap();
    let mut without = Vec::new();
    for m in methods.iter().filter(|m| m["kind"] == "method") {
        let i = m["interface"].as_str().unwrap_or_default();
        if declared.contains(&i) && m["wrapper"].is_null() {
            without.push(m["qualified_name"].as_str().unwrap_or_default());
        }
    }
    assert!(without.is_empty(), "methods without a wrapper: {without:?}");
    let expose = methods
        .iter()
        .find(|m| m["qualified_name"] == "IVssBackupComponents::ExposeSnapshot")
        .unwrap();
    assert_eq!(expose["wrapper"], "com::BackupComponents::expose_snapshot");
    let query = methods
        .iter()
        .find(|m| m["qualified_name"] == "IVssBackupComponents::Query")
        .unwrap();
    assert_eq!(query["wrapper"], "com::BackupComponents::query_snapshots");
}

#[test]
fn the_readme_table_lists_every_declared_interface_as_wrapped() {
    let cat = workspace_tests::catalog();
    let v = codegen::json::to_value(&cat);
    let readme = std::fs::read_to_string(workspace_tests::root().join("README.md")).unwrap();
    let rows: Vec<Vec<&str>> = readme
        .lines()
        .filter(|l| l.starts_with("| `IVss"))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    let methods = v["methods"].as_array().unwrap();
    let declared: Vec<&serde_json::Value> = v["interfaces"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| !i["vtable"].is_null())
        .collect();
    assert_eq!(
        rows.len(),
        declared.len(),
        "one README row per declared interface"
    );
    for i in declared {
        let name = i["name"].as_str().unwrap();
        let row = rows
            .iter()
            .find(|r| r[0] == format!("`{name}`"))
            .unwrap_or_else(|| panic!("README lacks {name}"));
        let slots = i["vtable"].as_array().unwrap().len();
        let wrapped = methods
            .iter()
            .filter(|m| m["interface"] == name && !m["wrapper"].is_null())
            .count();
        assert_eq!(row[3], format!("{wrapped} of {slots}"), "{name}");
        let ty = methods
            .iter()
            .find_map(|m| {
                (m["interface"] == name)
                    .then(|| m["wrapper"].as_str())
                    .flatten()
            })
            .and_then(|w| w.rsplit_once("::").map(|(t, _)| format!("`{t}`")))
            .unwrap_or_else(|| "—".to_string());
        assert!(row[2].starts_with(&ty), "{name}: {} vs {ty}", row[2]);
    }
}
