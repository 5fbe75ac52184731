//! Windows DLL imports: vssapi.dll's exports and the COM runtime calls a requester needs.

use core::ffi::c_void;
use windows_result::HRESULT;

windows_link::link!("vssapi.dll" "system" fn CreateVssBackupComponentsInternal(backup: *mut *mut c_void) -> HRESULT);
windows_link::link!("ole32.dll" "system" fn CoCreateInstance(
    clsid: *const crate::com::GUID,
    outer: *mut c_void,
    context: u32,
    iid: *const crate::com::GUID,
    out: *mut *mut c_void
) -> HRESULT);
windows_link::link!("ole32.dll" "system" fn CoInitializeEx(reserved: *const c_void, coinit: u32) -> HRESULT);
windows_link::link!("ole32.dll" "system" fn CoInitializeSecurity(
    security_descriptor: *mut c_void,
    auth_services: i32,
    auth_service: *mut c_void,
    reserved1: *mut c_void,
    authn_level: u32,
    imp_level: u32,
    auth_list: *mut c_void,
    capabilities: u32,
    reserved3: *mut c_void
) -> HRESULT);
windows_link::link!("kernel32.dll" "system" fn GetVolumePathNameW(file_name: *const u16, volume_path_name: *mut u16, buffer_length: u32) -> i32);
