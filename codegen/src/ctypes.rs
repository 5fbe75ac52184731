//! The C types that vtable declarations may use, and the Rust ABI type each maps to.

use crate::model::Param;

/// The Rust ABI type of a C base type (before pointers), or `None` when unknown.
pub fn base_type(c_type: &str) -> Option<&'static str> {
    Some(match c_type {
        "UINT" | "DWORD" | "ULONG" => "u32",
        "LONG" | "INT" | "WINBOOL" | "BOOL" => "i32",
        "LONGLONG" => "i64",
        "boolean" | "bool" | "BYTE" => "u8",
        "HRESULT" => "HRESULT",
        "VSS_ID" | "GUID" => "GUID",
        "REFIID" => "*const GUID",
        "LPCWSTR" => "*const u16",
        "VSS_PWSZ" | "BSTR" | "LPWSTR" => "*mut u16",
        "VSS_BACKUP_TYPE"
        | "VSS_RESTORE_TYPE"
        | "VSS_COMPONENT_TYPE"
        | "VSS_FILE_RESTORE_STATUS"
        | "VSS_OBJECT_TYPE"
        | "VSS_WRITER_STATE"
        | "VSS_USAGE_TYPE"
        | "VSS_SOURCE_TYPE"
        | "VSS_RESTOREMETHOD_ENUM"
        | "VSS_WRITERRESTORE_ENUM"
        | "VSS_RESTORE_TARGET"
        | "VSS_ROLLFORWARD_TYPE"
        | "VSS_PROTECTION_LEVEL" => "i32",
        _ => return struct_type(c_type).map(|(_, rust, pointer)| pointer.unwrap_or(rust)),
    })
}

/// The C structures the vtables pass, each with its Rust type in `com::types` and, for a
/// pointer typedef such as `PVSSCOMPONENTINFO`, the Rust type the typedef itself stands for.
pub const STRUCTS: &[(&str, &str, Option<&str>)] = &[
    ("VSS_SNAPSHOT_PROP", "VssSnapshotProp", None),
    ("VSS_OBJECT_PROP", "VssObjectProp", None),
    ("VSS_MGMT_OBJECT_PROP", "VssMgmtObjectProp", None),
    (
        "VSS_VOLUME_PROTECTION_INFO",
        "VssVolumeProtectionInfo",
        None,
    ),
    ("FILETIME", "FileTime", None),
    (
        "PVSSCOMPONENTINFO",
        "VssComponentInfo",
        Some("*const VssComponentInfo"),
    ),
];

/// The structure a C type names: (C name, Rust type, pointer typedef's Rust type).
pub fn struct_type(c_type: &str) -> Option<(&'static str, &'static str, Option<&'static str>)> {
    STRUCTS.iter().copied().find(|(c, _, _)| *c == c_type)
}

/// The Rust structure types a set of C types needs, sorted and once each.
pub fn structs_used<'a>(c_types: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = c_types
        .into_iter()
        .filter_map(struct_type)
        .map(|(_, rust, _)| rust)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Whether a C type names a COM interface (only usable behind a pointer); known base types
/// such as `INT` are checked first.
pub fn is_interface(c_type: &str) -> bool {
    c_type.starts_with('I')
        && c_type
            .chars()
            .nth(1)
            .is_some_and(|c| c.is_ascii_uppercase())
}

/// The full Rust ABI type of a parameter, or `None` when its C type is unknown.
pub fn rust_type(p: &Param) -> Option<String> {
    let (mut ty, mut depth) = match base_type(&p.c_type) {
        Some(t) => (t.to_string(), p.pointers),
        None if is_interface(&p.c_type) && p.pointers > 0 => {
            ("*mut core::ffi::c_void".to_string(), p.pointers - 1)
        }
        None => return None,
    };
    while depth > 0 {
        let outermost = depth == 1;
        ty = if outermost && p.is_const {
            format!("*const {ty}")
        } else {
            format!("*mut {ty}")
        };
        depth -= 1;
    }
    Some(ty)
}
