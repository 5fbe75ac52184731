//! The fake's backup components document: the components a requester added, what it and the
//! writers recorded for each (backup result, stamps, options, restore selection, targets and
//! status, failure messages), saved as XML and read back for a restore; and the COM objects a
//! requester reads it through, `IVssWriterComponentsExt` (built by hand: a C++ object with
//! two vtable pointers) and `IVssComponent` with its Ex versions.

#![allow(non_snake_case)]

use super::metadata::{bstr_or_false, nullable_bstr};
use super::system::{
    asks_for, FakeFileSet, Faults, COMPONENT, E_INVALIDARG, S_OK, VSS_E_BAD_STATE,
    WRITER_COMPONENTS,
};
use crate::com::mem;
use crate::com::types::FileTime;
use crate::com::{IUnknown_Vtbl, IVssWriterComponents_Vtbl, GUID};
use crate::generated::com_impl::{
    IVssComponent, IVssComponentEx2, IVssComponentEx2_Impl, IVssComponentEx_Impl,
    IVssComponent_Impl, IVssWMFiledesc,
};
use core::ffi::c_void;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use windows_core::{implement, Interface};
use windows_result::HRESULT;

const S_FALSE: HRESULT = HRESULT(1);
const E_NOINTERFACE: HRESULT = HRESULT(0x8000_4002_u32 as i32);

/// One component in the document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct DocComponent {
    pub instance_id: GUID,
    pub writer_id: GUID,
    pub component_type: i32,
    pub logical_path: String,
    pub name: String,
    /// `SetBackupSucceeded`; `None` before the requester reported it (`S_FALSE` then).
    pub backup_succeeded: Option<bool>,
    pub backup_stamp: String,
    pub previous_backup_stamp: String,
    pub backup_options: String,
    pub restore_options: String,
    pub selected_for_restore: bool,
    /// `SetAdditionalRestores`; `None` when the requester never set it (`S_FALSE` then).
    pub additional_restores: Option<bool>,
    pub authoritative: bool,
    pub restore_target: i32,
    pub file_restore_status: i32,
    pub pre_restore_failure: String,
    pub post_restore_failure: String,
    pub new_targets: Vec<FakeFileSet>,
    /// `AddAlternativeLocationMapping`: where each file set was restored instead.
    pub alternate_mappings: Vec<FakeFileSet>,
    /// `AddRestoreSubcomponent`: logical path, name, repair.
    pub restore_subcomponents: Vec<(String, String, bool)>,
    /// `SetRestoreName`.
    pub restore_name: String,
    /// `SetRollForward`: the `VSS_ROLLFORWARD_TYPE` and the restore point.
    pub roll_forward: (i32, String),
    /// The partial files the writer reported (`AddPartialFile`).
    pub partial_files: Vec<PartialFile>,
    /// The differenced files the writer reported (`AddDifferencedFilesByLastModifyLSN`):
    /// path, file spec, recursive, LSN.
    pub differenced_files: Vec<(String, String, bool, String)>,
    /// `IVssComponentEx2::SetFailure` as the writer called it: its failure, the
    /// application's, the message (`S_OK`, `S_OK`, "" when none).
    pub failure: (HRESULT, HRESULT, String),
    /// What the writer stored at `PrepareForBackup` (`SetBackupMetadata`; empty when none).
    pub backup_metadata: String,
    /// What the writer stored at `PreRestore` (`SetRestoreMetadata`; empty when none).
    pub restore_metadata: String,
}

/// A partial file a writer reported, and where the requester put its ranges file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct PartialFile {
    pub path: String,
    pub filename: String,
    pub ranges: String,
    pub metadata: String,
    /// `SetRangesFilePath` (empty until set).
    pub ranges_file: String,
}

impl DocComponent {
    /// Whether this is the component a call names (the logical path may be NULL or empty).
    pub fn is(&self, writer: GUID, ct: i32, logical_path: &str, name: &str) -> bool {
        (self.writer_id == writer || self.instance_id == writer)
            && self.component_type == ct
            && self.logical_path == logical_path
            && self.name == name
    }
}

/// The document, shared by the backup components object and the objects it hands out.
pub(crate) type Document = Arc<Mutex<Vec<DocComponent>>>;

pub(crate) fn lock_doc(d: &Document) -> std::sync::MutexGuard<'_, Vec<DocComponent>> {
    d.lock().unwrap_or_else(|e| e.into_inner())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn guid_text(g: GUID) -> String {
    format!("{:032x}", g.to_u128())
}

fn parse_guid(s: &str) -> Option<GUID> {
    u128::from_str_radix(s, 16).ok().map(GUID::from_u128)
}

/// The document as `SaveAsXML` returns it.
pub(crate) fn save(doc: &[DocComponent]) -> String {
    let mut x = String::from("<BACKUP_COMPONENTS xmlns=\"x-schema:#VssComponentMetadata\">");
    for c in doc {
        x.push_str(&format!(
            "<COMPONENT instanceId=\"{}\" writerId=\"{}\" componentType=\"{}\" logicalPath=\"{}\" componentName=\"{}\" backupSucceeded=\"{}\" backupStamp=\"{}\" backupOptions=\"{}\" backupMetadata=\"{}\" partialFiles=\"{}\"/>",
            guid_text(c.instance_id),
            guid_text(c.writer_id),
            c.component_type,
            escape(&c.logical_path),
            escape(&c.name),
            match c.backup_succeeded {
                Some(true) => "yes",
                Some(false) => "no",
                None => "undefined",
            },
            escape(&c.backup_stamp),
            escape(&c.backup_options),
            escape(&c.backup_metadata),
            escape(
                &c.partial_files
                    .iter()
                    .map(|f| [&*f.path, &f.filename, &f.ranges, &f.metadata].join("|"))
                    .collect::<Vec<_>>()
                    .join(";")
            ),
        ));
    }
    x.push_str("</BACKUP_COMPONENTS>");
    x
}

/// Reads a saved document back (`InitializeForRestore`); `None` when it is not one.
pub(crate) fn load(xml: &str) -> Option<Vec<DocComponent>> {
    let body = xml
        .strip_prefix("<BACKUP_COMPONENTS xmlns=\"x-schema:#VssComponentMetadata\">")?
        .strip_suffix("</BACKUP_COMPONENTS>")?;
    let mut out = Vec::new();
    for item in body.split("/>").filter(|s| !s.is_empty()) {
        let attrs = item.strip_prefix("<COMPONENT ")?;
        let mut c = DocComponent::default();
        for pair in attrs.split("\" ") {
            let (k, v) = pair.split_once("=\"")?;
            let v = unescape(v.trim_end_matches('"'));
            match k.trim() {
                "instanceId" => c.instance_id = parse_guid(&v)?,
                "writerId" => c.writer_id = parse_guid(&v)?,
                "componentType" => c.component_type = v.parse().ok()?,
                "logicalPath" => c.logical_path = v,
                "componentName" => c.name = v,
                "backupSucceeded" => {
                    c.backup_succeeded = match v.as_str() {
                        "yes" => Some(true),
                        "no" => Some(false),
                        _ => None,
                    }
                }
                "backupStamp" => c.previous_backup_stamp = v,
                "backupOptions" => c.backup_options = v,
                "backupMetadata" => c.backup_metadata = v,
                "partialFiles" => {
                    c.partial_files = v
                        .split(';')
                        .filter(|f| !f.is_empty())
                        .map(|f| {
                            let mut parts = f.split('|').map(str::to_string);
                            let mut next = || parts.next().unwrap_or_default();
                            PartialFile {
                                path: next(),
                                filename: next(),
                                ranges: next(),
                                metadata: next(),
                                ranges_file: String::new(),
                            }
                        })
                        .collect()
                }
                _ => return None,
            }
        }
        out.push(c);
    }
    Some(out)
}

/// Writes an out-parameter; `false` when the caller passed null.
///
/// # Safety
/// `p` is null or valid for a write of `T`.
unsafe fn put<T>(p: *mut T, v: T) -> bool {
    if p.is_null() {
        return false;
    }
    // SAFETY: non-null and, by the caller's contract, valid for writes.
    unsafe { p.write(v) };
    true
}

fn done(written: bool) -> HRESULT {
    if written {
        S_OK
    } else {
        E_INVALIDARG
    }
}

/// A flag getter that documents `S_FALSE` for "no value": `false` then.
///
/// # Safety
/// `p` is null or valid for a write of a `boolean`.
unsafe fn flag_or_false(p: *mut u8, v: Option<bool>) -> HRESULT {
    // SAFETY: as the caller guarantees.
    match (unsafe { put(p, u8::from(v == Some(true))) }, v) {
        (false, _) => E_INVALIDARG,
        (true, Some(_)) => S_OK,
        (true, None) => S_FALSE,
    }
}

/// A component of the document, as `IVssComponent` (and Ex, Ex2).
#[implement(IVssComponentEx2)]
struct FakeDocComponent {
    doc: Document,
    index: usize,
    faults: Faults,
}

impl FakeDocComponent {
    fn with<R>(&self, f: impl FnOnce(&mut DocComponent) -> R) -> Option<R> {
        lock_doc(&self.doc).get_mut(self.index).map(f)
    }
}

pub(crate) fn component(doc: &Document, index: usize, faults: &Faults) -> IVssComponent {
    let ex2: IVssComponentEx2 = FakeDocComponent {
        doc: doc.clone(),
        index,
        faults: faults.clone(),
    }
    .into();
    let base: &IVssComponent = &ex2;
    base.clone()
}

macro_rules! getter {
    ($name:ident, $field:ident) => {
        unsafe fn $name(&self, p: *mut *mut u16) -> HRESULT {
            if let Some(hr) = self.faults.take(COMPONENT, stringify!($name)) {
                return hr;
            }
            self.with(|c| bstr_or_false(p, &c.$field))
                .unwrap_or(E_INVALIDARG)
        }
    };
}

/// The setters only a writer may call, inside its own event handlers: the component a
/// requester reads answers each with `VSS_E_BAD_STATE`, as documented ("not called by a
/// writer"); the two whose pages list no codes answer the same.
macro_rules! writer_only {
    ($( fn $name:ident(&self $(, $arg:ident : $ty:ty)*); )*) => {
        $(
            unsafe fn $name(&self $(, $arg: $ty)*) -> HRESULT {
                $( let _ = $arg; )*
                if let Some(hr) = self.faults.take(COMPONENT, stringify!($name)) {
                    return hr;
                }
                VSS_E_BAD_STATE
            }
        )*
    };
}

fn count(p: *mut u32, n: usize) -> HRESULT {
    // SAFETY: checked by `put`.
    done(unsafe { put(p, n as u32) })
}

impl IVssComponent_Impl for FakeDocComponent_Impl {
    getter!(GetLogicalPath, logical_path);
    getter!(GetComponentName, name);
    getter!(GetBackupStamp, backup_stamp);
    getter!(GetPreviousBackupStamp, previous_backup_stamp);
    getter!(GetBackupOptions, backup_options);
    getter!(GetRestoreOptions, restore_options);
    getter!(GetPreRestoreFailureMsg, pre_restore_failure);
    getter!(GetPostRestoreFailureMsg, post_restore_failure);

    unsafe fn GetComponentType(&self, p: *mut i32) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetComponentType");
        // SAFETY: checked by `put`.
        self.with(|c| done(unsafe { put(p, c.component_type) }))
            .unwrap_or(E_INVALIDARG)
    }
    unsafe fn GetBackupSucceeded(&self, p: *mut u8) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetBackupSucceeded");
        // SAFETY: `p` is the caller's out-parameter, null or writable.
        self.with(|c| unsafe { flag_or_false(p, c.backup_succeeded) })
            .unwrap_or(E_INVALIDARG)
    }
    unsafe fn GetAlternateLocationMappingCount(&self, p: *mut u32) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetAlternateLocationMappingCount");
        self.with(|c| count(p, c.alternate_mappings.len()))
            .unwrap_or(E_INVALIDARG)
    }
    unsafe fn GetAlternateLocationMapping(&self, i: u32, p: *mut *mut c_void) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetAlternateLocationMapping");
        let Some(Some(set)) = self.with(|c| c.alternate_mappings.get(i as usize).cloned()) else {
            return E_INVALIDARG;
        };
        let f: IVssWMFiledesc = super::metadata::file_set(&set, &self.faults);
        // SAFETY: checked by `put`; the reference passes to the caller.
        done(unsafe { put(p, f.into_raw()) })
    }
    getter!(GetBackupMetadata, backup_metadata);
    unsafe fn GetPartialFileCount(&self, p: *mut u32) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetPartialFileCount");
        self.with(|c| count(p, c.partial_files.len()))
            .unwrap_or(E_INVALIDARG)
    }
    unsafe fn GetPartialFile(
        &self,
        i: u32,
        pbstr_path: *mut *mut u16,
        pbstr_filename: *mut *mut u16,
        pbstr_range: *mut *mut u16,
        pbstr_metadata: *mut *mut u16,
    ) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetPartialFile");
        let outs = [pbstr_path, pbstr_filename, pbstr_range, pbstr_metadata];
        if outs.iter().any(|p| p.is_null()) {
            return E_INVALIDARG;
        }
        let Some(Some(f)) = self.with(|c| c.partial_files.get(i as usize).cloned()) else {
            return E_INVALIDARG;
        };
        for (p, v) in outs
            .into_iter()
            .zip([&f.path, &f.filename, &f.ranges, &f.metadata])
        {
            // SAFETY: checked non-null; each BSTR (NULL for none) passes to the caller.
            unsafe { put(p, nullable_bstr(v)) };
        }
        S_OK
    }
    unsafe fn IsSelectedForRestore(&self, p: *mut u8) -> HRESULT {
        queued!(self.faults, COMPONENT, "IsSelectedForRestore");
        // SAFETY: checked by `put`.
        self.with(|c| done(unsafe { put(p, u8::from(c.selected_for_restore)) }))
            .unwrap_or(E_INVALIDARG)
    }
    unsafe fn GetAdditionalRestores(&self, p: *mut u8) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetAdditionalRestores");
        // SAFETY: `p` is the caller's out-parameter, null or writable.
        self.with(|c| unsafe { flag_or_false(p, c.additional_restores) })
            .unwrap_or(E_INVALIDARG)
    }
    unsafe fn GetNewTargetCount(&self, p: *mut u32) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetNewTargetCount");
        self.with(|c| count(p, c.new_targets.len()))
            .unwrap_or(E_INVALIDARG)
    }
    unsafe fn GetNewTarget(&self, i: u32, p: *mut *mut c_void) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetNewTarget");
        let Some(Some(set)) = self.with(|c| c.new_targets.get(i as usize).cloned()) else {
            return E_INVALIDARG;
        };
        let f: IVssWMFiledesc = super::metadata::file_set(&set, &self.faults);
        // SAFETY: checked by `put`; the reference passes to the caller.
        done(unsafe { put(p, f.into_raw()) })
    }
    unsafe fn GetDirectedTargetCount(&self, p: *mut u32) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetDirectedTargetCount");
        count(p, 0)
    }
    getter!(GetRestoreMetadata, restore_metadata);
    unsafe fn GetRestoreTarget(&self, p: *mut i32) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetRestoreTarget");
        // SAFETY: checked by `put`.
        self.with(|c| done(unsafe { put(p, c.restore_target) }))
            .unwrap_or(E_INVALIDARG)
    }
    unsafe fn GetRestoreSubcomponentCount(&self, p: *mut u32) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetRestoreSubcomponentCount");
        self.with(|c| count(p, c.restore_subcomponents.len()))
            .unwrap_or(E_INVALIDARG)
    }
    unsafe fn GetRestoreSubcomponent(
        &self,
        i: u32,
        pbstr_logical_path: *mut *mut u16,
        pbstr_component_name: *mut *mut u16,
        pb_repair: *mut u8,
    ) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetRestoreSubcomponent");
        if pbstr_logical_path.is_null() || pbstr_component_name.is_null() || pb_repair.is_null() {
            return E_INVALIDARG;
        }
        let Some(Some((path, name, repair))) =
            self.with(|c| c.restore_subcomponents.get(i as usize).cloned())
        else {
            return E_INVALIDARG;
        };
        // SAFETY: checked non-null; the BSTRs pass to the caller.
        unsafe {
            put(pbstr_logical_path, mem::Bstr::new(&path).into_raw());
            put(pbstr_component_name, mem::Bstr::new(&name).into_raw());
            put(pb_repair, u8::from(repair));
        }
        S_OK
    }
    unsafe fn GetFileRestoreStatus(&self, p: *mut i32) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetFileRestoreStatus");
        // SAFETY: checked by `put`.
        self.with(|c| done(unsafe { put(p, c.file_restore_status) }))
            .unwrap_or(E_INVALIDARG)
    }
    unsafe fn GetDifferencedFilesCount(&self, p: *mut u32) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetDifferencedFilesCount");
        self.with(|c| count(p, c.differenced_files.len()))
            .unwrap_or(E_INVALIDARG)
    }
    unsafe fn GetDifferencedFile(
        &self,
        i: u32,
        pbstr_path: *mut *mut u16,
        pbstr_filespec: *mut *mut u16,
        pb_recursive: *mut i32,
        pbstr_lsn_string: *mut *mut u16,
        pft_last_modify_time: *mut FileTime,
    ) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetDifferencedFile");
        if pbstr_path.is_null()
            || pbstr_filespec.is_null()
            || pb_recursive.is_null()
            || pbstr_lsn_string.is_null()
            || pft_last_modify_time.is_null()
        {
            return E_INVALIDARG;
        }
        let Some(Some((path, filespec, recursive, lsn))) =
            self.with(|c| c.differenced_files.get(i as usize).cloned())
        else {
            return E_INVALIDARG;
        };
        // SAFETY: checked non-null; the BSTRs pass to the caller. Reported by LSN, so the
        // time is zero.
        unsafe {
            put(pbstr_path, nullable_bstr(&path));
            put(pbstr_filespec, nullable_bstr(&filespec));
            put(pb_recursive, i32::from(recursive));
            put(pbstr_lsn_string, nullable_bstr(&lsn));
            put(pft_last_modify_time, FileTime::default());
        }
        S_OK
    }

    unsafe fn GetDirectedTarget(
        &self,
        i: u32,
        pbstr_source_path: *mut *mut u16,
        pbstr_source_file_name: *mut *mut u16,
        pbstr_source_range_list: *mut *mut u16,
        pbstr_destination_path: *mut *mut u16,
        pbstr_destination_filename: *mut *mut u16,
        pbstr_destination_range_list: *mut *mut u16,
    ) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetDirectedTarget");
        let _ = (
            pbstr_source_path,
            pbstr_source_file_name,
            pbstr_source_range_list,
            pbstr_destination_path,
            pbstr_destination_filename,
            pbstr_destination_range_list,
        );
        // The fake's writers direct no targets (GetDirectedTargetCount is 0): no index
        // names one.
        let _ = i;
        E_INVALIDARG
    }
    writer_only! {
        fn SetBackupStamp(&self, wsz_backup_stamp: *const u16);
        fn SetPreRestoreFailureMsg(&self, wsz_pre_restore_failure_msg: *const u16);
        fn SetPostRestoreFailureMsg(&self, wsz_post_restore_failure_msg: *const u16);
        fn SetBackupMetadata(&self, wsz_data: *const u16);
        fn AddPartialFile(&self, wsz_path: *const u16, wsz_filename: *const u16, wsz_ranges: *const u16, wsz_metadata: *const u16);
        fn AddDirectedTarget(&self, wsz_source_path: *const u16, wsz_source_filename: *const u16, wsz_source_range_list: *const u16, wsz_destination_path: *const u16, wsz_destination_filename: *const u16, wsz_destination_range_list: *const u16);
        fn SetRestoreMetadata(&self, wsz_restore_metadata: *const u16);
        fn SetRestoreTarget(&self, target: i32);
        fn AddDifferencedFilesByLastModifyTime(&self, wsz_path: *const u16, wsz_filespec: *const u16, b_recursive: i32, ft_last_modify_time: FileTime);
        fn AddDifferencedFilesByLastModifyLSN(&self, wsz_path: *const u16, wsz_filespec: *const u16, b_recursive: i32, bstr_lsn_string: *mut u16);
    }
}

impl IVssComponentEx_Impl for FakeDocComponent_Impl {
    unsafe fn GetPrepareForBackupFailureMsg(&self, p: *mut *mut u16) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetPrepareForBackupFailureMsg");
        bstr_or_false(p, "")
    }
    unsafe fn GetPostSnapshotFailureMsg(&self, p: *mut *mut u16) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetPostSnapshotFailureMsg");
        bstr_or_false(p, "")
    }
    unsafe fn GetAuthoritativeRestore(&self, p: *mut u8) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetAuthoritativeRestore");
        // SAFETY: checked by `put`.
        self.with(|c| done(unsafe { put(p, u8::from(c.authoritative)) }))
            .unwrap_or(E_INVALIDARG)
    }
    getter!(GetRestoreName, restore_name);
    unsafe fn GetRollForward(&self, p_roll_type: *mut i32, pbstr_point: *mut *mut u16) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetRollForward");
        if p_roll_type.is_null() || pbstr_point.is_null() {
            return E_INVALIDARG;
        }
        let Some((roll_type, point)) = self.with(|c| c.roll_forward.clone()) else {
            return E_INVALIDARG;
        };
        // SAFETY: checked non-null; the BSTR passes to the caller.
        unsafe {
            put(p_roll_type, roll_type);
            put(pbstr_point, mem::Bstr::new(&point).into_raw());
        }
        S_OK
    }
    writer_only! {
        fn SetPrepareForBackupFailureMsg(&self, wsz_failure_msg: *const u16);
        fn SetPostSnapshotFailureMsg(&self, wsz_failure_msg: *const u16);
    }
}

impl IVssComponentEx2_Impl for FakeDocComponent_Impl {
    unsafe fn GetFailure(
        &self,
        phr: *mut HRESULT,
        phr_application: *mut HRESULT,
        pbstr_application_message: *mut *mut u16,
        pdw_reserved: *mut u32,
    ) -> HRESULT {
        queued!(self.faults, COMPONENT, "GetFailure");
        if phr.is_null()
            || phr_application.is_null()
            || pbstr_application_message.is_null()
            || pdw_reserved.is_null()
        {
            return E_INVALIDARG;
        }
        let Some((hr, application, message)) = self.with(|c| c.failure.clone()) else {
            return E_INVALIDARG;
        };
        let message = nullable_bstr(&message);
        // SAFETY: checked non-null; the BSTR passes to the caller.
        unsafe {
            put(phr, hr);
            put(phr_application, application);
            put(pbstr_application_message, message);
            put(pdw_reserved, 0);
        }
        S_OK
    }
    writer_only! {
        fn SetFailure(&self, hr: HRESULT, hr_application: HRESULT, wsz_application_message: *const u16, dw_reserved: u32);
    }
}

/// `IVssWriterComponentsExt` as VSS lays it out: the IVssWriterComponents vtable pointer,
/// then the IUnknown one that owns the object.
#[repr(C)]
struct WriterComponentsObject {
    components_vtbl: *const IVssWriterComponents_Vtbl,
    unknown_vtbl: *const IUnknown_Vtbl,
    refs: AtomicU32,
    instance_id: GUID,
    writer_id: GUID,
    components: Vec<IVssComponent>,
    faults: Faults,
}

static COMPONENTS_VTBL: IVssWriterComponents_Vtbl = IVssWriterComponents_Vtbl {
    GetComponentCount: wc_count,
    GetWriterInfo: wc_info,
    GetComponent: wc_component,
};

static UNKNOWN_VTBL: IUnknown_Vtbl = IUnknown_Vtbl {
    QueryInterface: wc_query,
    AddRef: wc_add_ref,
    Release: wc_release,
};

/// The object from its first vtable pointer.
///
/// # Safety
/// `this` is a live `WriterComponentsObject`'s address.
unsafe fn object<'a>(this: *mut c_void) -> &'a WriterComponentsObject {
    // SAFETY: as the caller guarantees.
    unsafe { &*(this as *const WriterComponentsObject) }
}

/// The object from its second (IUnknown) vtable pointer, one pointer in.
///
/// # Safety
/// `this` points at a live `WriterComponentsObject`'s `unknown_vtbl` field.
unsafe fn outer(this: *mut c_void) -> *mut WriterComponentsObject {
    // SAFETY: as the caller guarantees; the field sits one pointer after the start.
    unsafe { (this as *mut *const c_void).sub(1) as *mut WriterComponentsObject }
}

unsafe extern "system" fn wc_count(this: *mut c_void, p: *mut u32) -> HRESULT {
    // SAFETY: called through the object's first vtable, so `this` is the object.
    let o = unsafe { object(this) };
    queued!(o.faults, WRITER_COMPONENTS, "GetComponentCount");
    count(p, o.components.len())
}

unsafe extern "system" fn wc_info(
    this: *mut c_void,
    instance: *mut GUID,
    writer: *mut GUID,
) -> HRESULT {
    // SAFETY: called through the object's first vtable, so `this` is the object.
    let o = unsafe { object(this) };
    queued!(o.faults, WRITER_COMPONENTS, "GetWriterInfo");
    if instance.is_null() || writer.is_null() {
        return E_INVALIDARG;
    }
    // SAFETY: both checked non-null.
    unsafe {
        put(instance, o.instance_id);
        put(writer, o.writer_id);
    }
    S_OK
}

unsafe extern "system" fn wc_component(this: *mut c_void, i: u32, p: *mut *mut c_void) -> HRESULT {
    // SAFETY: called through the object's first vtable, so `this` is the object.
    let o = unsafe { object(this) };
    queued!(o.faults, WRITER_COMPONENTS, "GetComponent");
    match o.components.get(i as usize) {
        // SAFETY: checked by `put`; a new reference passes to the caller.
        Some(c) => done(unsafe { put(p, c.clone().into_raw()) }),
        None => E_INVALIDARG,
    }
}

unsafe extern "system" fn wc_query(
    this: *mut c_void,
    iid: *const GUID,
    p: *mut *mut c_void,
) -> HRESULT {
    if p.is_null() || iid.is_null() {
        return E_INVALIDARG;
    }
    // SAFETY: checked non-null; `iid` is the caller's GUID.
    if asks_for::<crate::com::IUnknown>(unsafe { &*iid }) {
        // SAFETY: called through the IUnknown vtable, `this` is that view of the object.
        unsafe {
            wc_add_ref(this);
            put(p, this);
        }
        return S_OK;
    }
    // SAFETY: checked non-null.
    unsafe { put(p, core::ptr::null_mut()) };
    E_NOINTERFACE
}

unsafe extern "system" fn wc_add_ref(this: *mut c_void) -> u32 {
    // SAFETY: called through the IUnknown vtable of a live object.
    let o = unsafe { &*outer(this) };
    o.refs.fetch_add(1, Ordering::Relaxed) + 1
}

unsafe extern "system" fn wc_release(this: *mut c_void) -> u32 {
    // SAFETY: called through the IUnknown vtable of a live object.
    let o = unsafe { outer(this) };
    // SAFETY: the object is live until its last reference goes.
    let left = unsafe { (*o).refs.fetch_sub(1, Ordering::AcqRel) } - 1;
    if left == 0 {
        // SAFETY: the last reference: the Box made in `writer_components` is dropped once.
        drop(unsafe { Box::from_raw(o) });
    }
    left
}

/// A new `IVssWriterComponentsExt` for one writer's components in the document, as the raw
/// pointer `GetWriterComponents` hands out (one reference).
pub(crate) fn writer_components(
    doc: &Document,
    instance_id: GUID,
    writer_id: GUID,
    faults: &Faults,
) -> *mut c_void {
    let components = lock_doc(doc)
        .iter()
        .enumerate()
        .filter(|(_, c)| c.instance_id == instance_id)
        .map(|(i, _)| i)
        .collect::<Vec<_>>()
        .into_iter()
        .map(|i| component(doc, i, faults))
        .collect();
    let o = Box::new(WriterComponentsObject {
        components_vtbl: &COMPONENTS_VTBL,
        unknown_vtbl: &UNKNOWN_VTBL,
        refs: AtomicU32::new(1),
        instance_id,
        writer_id,
        components,
        faults: faults.clone(),
    });
    Box::into_raw(o) as *mut c_void
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_round_trips() {
        let c = DocComponent {
            instance_id: GUID::from_u128(7),
            writer_id: GUID::from_u128(8),
            component_type: 1,
            logical_path: "Instance1".into(),
            name: "a \"quoted\" & <tagged>".into(),
            backup_succeeded: Some(true),
            backup_stamp: "stamp-1".into(),
            backup_options: String::new(),
            ..DocComponent::default()
        };
        let back = load(&save(std::slice::from_ref(&c))).unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].name, c.name);
        assert_eq!(back[0].previous_backup_stamp, "stamp-1");
        assert_eq!(back[0].backup_succeeded, Some(true));
        assert!(load("<not a document/>").is_none());
    }
}
