//! The safe wrapper of every vtable slot: which Rust type holds each interface, which methods
//! are written by hand (typed models, documented rules), and, for the rest, how each C
//! parameter is marshalled. `emit::wrappers` turns the plans into code and `json` exports the
//! wrapper paths, so both always agree.

use crate::model::{Catalog, Interface, Param, Slot};
use crate::naming;

/// `(interface, Rust type in vss_errors::com, interface the type holds)`: a type serves an
/// interface and its Ex versions, which it reaches through `QueryInterface`.
pub const FAMILIES: &[(&str, &str, &str)] = &[
    ("IVssAsync", "VssAsync", "IVssAsync"),
    ("IVssEnumObject", "ObjectEnum", "IVssEnumObject"),
    (
        "IVssBackupComponents",
        "BackupComponents",
        "IVssBackupComponents",
    ),
    (
        "IVssBackupComponentsEx",
        "BackupComponents",
        "IVssBackupComponents",
    ),
    (
        "IVssBackupComponentsEx2",
        "BackupComponents",
        "IVssBackupComponents",
    ),
    (
        "IVssBackupComponentsEx3",
        "BackupComponents",
        "IVssBackupComponents",
    ),
    (
        "IVssBackupComponentsEx4",
        "BackupComponents",
        "IVssBackupComponents",
    ),
    (
        "IVssExamineWriterMetadata",
        "WriterMetadata",
        "IVssExamineWriterMetadata",
    ),
    (
        "IVssExamineWriterMetadataEx",
        "WriterMetadata",
        "IVssExamineWriterMetadata",
    ),
    (
        "IVssExamineWriterMetadataEx2",
        "WriterMetadata",
        "IVssExamineWriterMetadata",
    ),
    ("IVssWMComponent", "WmComponent", "IVssWMComponent"),
    ("IVssWMFiledesc", "WmFiledesc", "IVssWMFiledesc"),
    ("IVssWMDependency", "WmDependency", "IVssWMDependency"),
    (
        "IVssWriterComponents",
        "WriterComponents",
        "IVssWriterComponents",
    ),
    ("IVssComponent", "Component", "IVssComponent"),
    ("IVssComponentEx", "Component", "IVssComponent"),
    ("IVssComponentEx2", "Component", "IVssComponent"),
    ("IVssSnapshotMgmt", "SnapshotManagement", "IVssSnapshotMgmt"),
    (
        "IVssSnapshotMgmt2",
        "SnapshotManagement",
        "IVssSnapshotMgmt",
    ),
    (
        "IVssDifferentialSoftwareSnapshotMgmt",
        "ShadowStorage",
        "IVssDifferentialSoftwareSnapshotMgmt",
    ),
    (
        "IVssDifferentialSoftwareSnapshotMgmt2",
        "ShadowStorage",
        "IVssDifferentialSoftwareSnapshotMgmt",
    ),
    (
        "IVssDifferentialSoftwareSnapshotMgmt3",
        "ShadowStorage",
        "IVssDifferentialSoftwareSnapshotMgmt",
    ),
    ("IVssEnumMgmtObject", "MgmtObjectEnum", "IVssEnumMgmtObject"),
];

/// `(interface, method, function)`: slots whose wrapper is written by hand, because it returns
/// a typed model, enforces a documented rule or owns memory in a way no rule here covers.
pub const HAND: &[(&str, &str, &str)] = &[
    ("IVssAsync", "Cancel", "cancel"),
    ("IVssAsync", "Wait", "wait"),
    ("IVssAsync", "QueryStatus", "query_status"),
    ("IVssEnumObject", "Next", "next"),
    ("IVssEnumObject", "Clone", "try_clone"),
    ("IVssEnumMgmtObject", "Next", "next"),
    ("IVssEnumMgmtObject", "Clone", "try_clone"),
    (
        "IVssBackupComponents",
        "GetWriterComponents",
        "writer_components",
    ),
    (
        "IVssBackupComponents",
        "InitializeForBackup",
        "initialize_for_backup",
    ),
    ("IVssBackupComponents", "SetBackupState", "set_backup_state"),
    (
        "IVssBackupComponents",
        "InitializeForRestore",
        "initialize_for_restore",
    ),
    (
        "IVssBackupComponents",
        "GatherWriterMetadata",
        "gather_writer_metadata",
    ),
    (
        "IVssBackupComponents",
        "GetWriterMetadataCount",
        "writer_metadata_count",
    ),
    (
        "IVssBackupComponents",
        "GetWriterMetadata",
        "writer_metadata",
    ),
    (
        "IVssBackupComponents",
        "FreeWriterMetadata",
        "free_writer_metadata",
    ),
    (
        "IVssBackupComponents",
        "PrepareForBackup",
        "prepare_for_backup",
    ),
    ("IVssBackupComponents", "AbortBackup", "abort_backup"),
    (
        "IVssBackupComponents",
        "GatherWriterStatus",
        "gather_writer_status",
    ),
    (
        "IVssBackupComponents",
        "GetWriterStatusCount",
        "writer_status_count",
    ),
    (
        "IVssBackupComponents",
        "FreeWriterStatus",
        "free_writer_status",
    ),
    ("IVssBackupComponents", "GetWriterStatus", "writer_status"),
    ("IVssBackupComponents", "SetContext", "set_context"),
    (
        "IVssBackupComponents",
        "StartSnapshotSet",
        "start_snapshot_set",
    ),
    (
        "IVssBackupComponents",
        "AddToSnapshotSet",
        "add_to_snapshot_set",
    ),
    ("IVssBackupComponents", "DoSnapshotSet", "do_snapshot_set"),
    (
        "IVssBackupComponents",
        "DeleteSnapshots",
        "delete_snapshots",
    ),
    ("IVssBackupComponents", "BackupComplete", "backup_complete"),
    (
        "IVssBackupComponents",
        "GetSnapshotProperties",
        "snapshot_properties",
    ),
    ("IVssBackupComponents", "Query", "query_snapshots"),
    (
        "IVssBackupComponents",
        "IsVolumeSupported",
        "is_volume_supported",
    ),
    (
        "IVssBackupComponents",
        "RevertToSnapshot",
        "revert_to_snapshot",
    ),
    (
        "IVssBackupComponents",
        "QueryRevertStatus",
        "query_revert_status",
    ),
    (
        "IVssBackupComponentsEx",
        "GetWriterMetadataEx",
        "writer_metadata_ex",
    ),
    ("IVssExamineWriterMetadata", "GetIdentity", "identity"),
    ("IVssWMComponent", "GetComponentInfo", "info"),
    ("IVssWMComponent", "FreeComponentInfo", "info"),
    (
        "IVssSnapshotMgmt",
        "GetProviderMgmtInterface",
        "shadow_storage",
    ),
    (
        "IVssSnapshotMgmt",
        "QuerySnapshotsByVolume",
        "snapshots_by_volume",
    ),
    (
        "IVssDifferentialSoftwareSnapshotMgmt3",
        "QuerySnapshotDeltaBitmap",
        "snapshot_delta_bitmap",
    ),
    (
        "IVssDifferentialSoftwareSnapshotMgmt3",
        "GetVolumeProtectLevel",
        "volume_protection",
    ),
    (
        "IVssDifferentialSoftwareSnapshotMgmt3",
        "SetVolumeProtectLevel",
        "set_volume_protect_level",
    ),
];

/// How one C in-parameter (or an array and its count) is passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum In {
    /// `LPCWSTR`/`VSS_PWSZ` from `&str` (empty passes NULL); `mutable` for `VSS_PWSZ`.
    Wide { mutable: bool },
    /// `BSTR` from `&str` (empty passes NULL).
    Bstr,
    /// `boolean` (`u8`) or `WINBOOL` (`i32`) from `bool`.
    Bool(&'static str),
    /// Passed as is: an integer, an enum's `i32`, a `GUID` or a `FileTime`.
    Value(String),
    /// `const VSS_ID *rg…, UINT c…` from `&[GUID]`.
    GuidSlice,
}

/// How one C out-parameter comes back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Out {
    /// `BSTR *` into `String` (freed with `SysFreeString`; NULL is the empty string).
    Bstr,
    /// `VSS_PWSZ *` into `String` (freed with `CoTaskMemFree`).
    TaskStr,
    /// `boolean *` / `WINBOOL *` into `bool`, from the given C type.
    Bool(&'static str),
    /// Copied out as is (an integer, `GUID`, `HRESULT`, `FileTime`, a plain structure).
    Value(String),
    /// `IVssAsync **` into a typed `VssAsync` handle.
    Async,
    /// Another interface into the Rust type that wraps it: `(interface, Rust type)`.
    Interface(String, String),
}

/// One parameter of a generated wrapper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    In {
        name: String,
        c: Vec<Param>,
        how: In,
    },
    Out {
        name: String,
        c: Param,
        how: Out,
    },
}

/// What a slot's wrapper is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Written by hand under this function name.
    Hand(&'static str),
    /// Generated from these arguments, in the slot's parameter order.
    Generated { function: String, args: Vec<Arg> },
    /// Neither: a parameter no rule covers (the reason).
    None(String),
}

/// The Rust type serving `interface` and the interface it holds.
pub fn family(interface: &str) -> Option<(&'static str, &'static str)> {
    FAMILIES
        .iter()
        .find(|(i, _, _)| *i == interface)
        .map(|(_, t, held)| (*t, *held))
}

/// The wrapper's path (`com::BackupComponents::expose_snapshot`), or `None`.
pub fn wrapper_path(cat: &Catalog, interface: &str, method: &str) -> Option<String> {
    let i = cat.interfaces.iter().find(|i| i.name == interface)?;
    let slot = i.vtable.iter().find(|s| s.name == method)?;
    let (ty, _) = family(interface)?;
    match plan(i, slot) {
        Plan::Hand(f) => Some(format!("com::{ty}::{f}")),
        Plan::Generated { function, .. } => Some(format!("com::{ty}::{function}")),
        Plan::None(_) => None,
    }
}

/// The wrapper plan of one slot.
pub fn plan(i: &Interface, s: &Slot) -> Plan {
    if let Some((_, _, f)) = HAND.iter().find(|(n, m, _)| *n == i.name && *m == s.name) {
        return Plan::Hand(f);
    }
    let mut args = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    let mut k = 0;
    while k < s.params.len() {
        let p = &s.params[k];
        // Two parameters may lose their prefixes to the same name (`pidWriter`, `pbstrWriter`).
        let mut name = public_name(&p.name);
        if names.contains(&name) {
            name = naming::param_name(&p.name);
        }
        while !names.insert(name.clone()) {
            name.push('_');
        }
        // An array of ids and its count.
        if p.c_type == "VSS_ID" && p.pointers == 1 && p.is_const {
            match s.params.get(k + 1) {
                Some(n) if matches!(n.c_type.as_str(), "UINT" | "ULONG") && n.pointers == 0 => {
                    args.push(Arg::In {
                        name,
                        c: vec![p.clone(), n.clone()],
                        how: In::GuidSlice,
                    });
                    k += 2;
                    continue;
                }
                _ => return Plan::None(format!("array {} without a count", p.name)),
            }
        }
        let arg = if p.pointers == 0 {
            match in_param(p) {
                Some(how) => Arg::In {
                    name,
                    c: vec![p.clone()],
                    how,
                },
                None => return Plan::None(format!("in-parameter {} ({})", p.name, p.c_type)),
            }
        } else {
            match out_param(p) {
                Some(how) => Arg::Out {
                    name,
                    c: p.clone(),
                    how,
                },
                None => return Plan::None(format!("parameter {} ({})", p.name, p.c_type)),
            }
        };
        args.push(arg);
        k += 1;
    }
    Plan::Generated {
        function: function_name(&s.name),
        args,
    }
}

fn in_param(p: &Param) -> Option<In> {
    Some(match p.c_type.as_str() {
        "LPCWSTR" => In::Wide { mutable: false },
        "VSS_PWSZ" | "LPWSTR" => In::Wide { mutable: true },
        "BSTR" => In::Bstr,
        "boolean" => In::Bool("u8"),
        "WINBOOL" | "BOOL" => In::Bool("i32"),
        "FILETIME" => In::Value("crate::com::types::FileTime".into()),
        "REFIID" => return None,
        c => match crate::ctypes::base_type(c)? {
            t @ ("u32" | "i32" | "i64" | "u8" | "GUID" | "HRESULT") => In::Value(t.into()),
            _ => return None,
        },
    })
}

fn out_param(p: &Param) -> Option<Out> {
    if p.pointers == 2 && crate::ctypes::is_interface(&p.c_type) {
        return Some(match p.c_type.as_str() {
            "IVssAsync" => Out::Async,
            "IUnknown" | "IXMLDOMDocument" => {
                Out::Interface("crate::com::IUnknown".into(), String::new())
            }
            other => {
                let (ty, held) = family(other)?;
                // Only an interface its type holds directly (not an Ex reached by a cast).
                if held != other {
                    return None;
                }
                Out::Interface(other.into(), ty.into())
            }
        });
    }
    if p.pointers != 1 || p.is_const {
        return None;
    }
    Some(match p.c_type.as_str() {
        "BSTR" => Out::Bstr,
        "VSS_PWSZ" => Out::TaskStr,
        "boolean" => Out::Bool("u8"),
        "WINBOOL" | "BOOL" => Out::Bool("i32"),
        "FILETIME" => Out::Value("crate::com::types::FileTime".into()),
        "VSS_VOLUME_PROTECTION_INFO" => {
            Out::Value("crate::com::types::VssVolumeProtectionInfo".into())
        }
        c => match crate::ctypes::base_type(c)? {
            t @ ("u32" | "i32" | "i64" | "GUID" | "HRESULT") => Out::Value(t.into()),
            _ => return None,
        },
    })
}

/// `GetBackupStamp` → `backup_stamp`; `SetBackupStamp` → `set_backup_stamp`.
pub fn function_name(method: &str) -> String {
    let base = match method.strip_prefix("Get") {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => rest,
        _ => method,
    };
    let f = naming::screaming_snake(base).to_lowercase();
    match f.as_str() {
        // Names a trait method would shadow.
        "clone" | "next" => format!("{f}_item"),
        "skip" => "skip_items".into(),
        "type" => "kind".into(),
        _ => f,
    }
}

/// A parameter's public Rust name, without its Hungarian prefix: `wszLogicalPath` →
/// `logical_path`, `bSelectComponents` → `select_components`, `iWriter` → `writer_index`.
pub fn public_name(c_name: &str) -> String {
    const PREFIXES: &[&str] = &[
        "pwsz", "wsz", "pbstr", "bstr", "ppb", "pll", "ll", "pdw", "dw", "pb", "pc", "pn", "pp",
        "ph", "hr", "rg", "pid", "psz", "sz", "b", "c", "l", "n", "p", "i",
    ];
    let mut rest = c_name;
    let mut index = false;
    for pre in PREFIXES {
        if let Some(r) = c_name.strip_prefix(pre) {
            if r.starts_with(|c: char| c.is_ascii_uppercase()) {
                index = *pre == "i";
                rest = r;
                break;
            }
        }
    }
    let mut name = naming::screaming_snake(rest).to_lowercase();
    if index {
        name.push_str("_index");
    }
    match name.as_str() {
        "ct" => "component_type".into(),
        "type" | "self" | "ref" | "fn" | "mod" | "use" | "move" | "match" | "loop" => {
            format!("{name}_")
        }
        _ if !naming::is_ident(&name) => naming::param_name(c_name),
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hungarian_prefixes_are_dropped() {
        assert_eq!(public_name("wszLogicalPath"), "logical_path");
        assert_eq!(public_name("bSelectComponents"), "select_components");
        assert_eq!(public_name("iWriter"), "writer_index");
        assert_eq!(public_name("pidInstance"), "instance");
        assert_eq!(public_name("ct"), "component_type");
        assert_eq!(public_name("SnapshotId"), "snapshot_id");
        assert_eq!(public_name("llMaximumDiffSpace"), "maximum_diff_space");
        assert_eq!(public_name("priority"), "priority");
    }

    #[test]
    fn getters_lose_get() {
        assert_eq!(function_name("GetBackupStamp"), "backup_stamp");
        assert_eq!(function_name("SetBackupStamp"), "set_backup_stamp");
        assert_eq!(function_name("Getaway"), "getaway");
        assert_eq!(function_name("Clone"), "clone_item");
    }
}
