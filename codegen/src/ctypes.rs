//! The C types that vtable declarations may use, and the Rust ABI type each maps to.

use crate::model::Param;

/// The Rust ABI type of a C base type (before pointers), or `None` when unknown.
pub fn base_type(c_type: &str) -> Option<&'static str> {
    Some(match c_type {
        "UINT" | "DWORD" | "ULONG" => "u32",
        "LONG" | "INT" | "WINBOOL" | "BOOL" => "i32",
        "boolean" | "bool" => "u8",
        "HRESULT" => "HRESULT",
        "VSS_ID" | "GUID" => "GUID",
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
        | "VSS_WRITERRESTORE_ENUM" => "i32",
        "VSS_SNAPSHOT_PROP" => "VssSnapshotProp",
        "VSS_OBJECT_PROP" => "VssObjectProp",
        _ => return None,
    })
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
