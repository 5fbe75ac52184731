//! The fake writers' metadata documents as COM objects: `IVssExamineWriterMetadata` (with
//! its Ex and Ex2 versions), and the components, file sets and dependencies it hands out,
//! each built from the writer's description in `system`.

#![allow(non_snake_case)]

use super::system::{
    FakeComponent, FakeFileSet, FakeWriter, Faults, DEPENDENCY, EXAMINE, E_INVALIDARG, E_NOTIMPL,
    FILEDESC, S_OK, WM_COMPONENT,
};
use crate::com::mem;
use crate::com::types::VssComponentInfo;
use crate::com::GUID;
use crate::generated::com_impl::{
    IVssExamineWriterMetadata, IVssExamineWriterMetadataEx2, IVssExamineWriterMetadataEx2_Impl,
    IVssExamineWriterMetadataEx_Impl, IVssExamineWriterMetadata_Impl, IVssWMComponent,
    IVssWMComponent_Impl, IVssWMDependency, IVssWMDependency_Impl, IVssWMFiledesc,
    IVssWMFiledesc_Impl,
};
use core::ffi::c_void;
use windows_core::{implement, Interface};
use windows_result::HRESULT;

const S_FALSE: HRESULT = HRESULT(1);

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

/// A BSTR for an out-parameter: NULL for an empty string.
pub(crate) fn nullable_bstr(s: &str) -> *mut u16 {
    if s.is_empty() {
        core::ptr::null_mut()
    } else {
        mem::Bstr::new(s).into_raw()
    }
}

/// A BSTR for an out-parameter of a method that documents `S_FALSE` for "nothing to
/// report": then it stays NULL.
pub(crate) fn bstr_or_false(p: *mut *mut u16, s: &str) -> HRESULT {
    if p.is_null() {
        return E_INVALIDARG;
    }
    // SAFETY: checked non-null; the BSTR passes to the caller.
    unsafe { put(p, nullable_bstr(s)) };
    if s.is_empty() {
        S_FALSE
    } else {
        S_OK
    }
}

/// A BSTR for an out-parameter.
fn bstr(p: *mut *mut u16, s: &str) -> HRESULT {
    // SAFETY: checked by `put`.
    if unsafe { put(p, mem::Bstr::new(s).into_raw()) } {
        S_OK
    } else {
        E_INVALIDARG
    }
}

/// Hands out a new object through an `I **` out-parameter.
fn out_object<I: Interface>(p: *mut *mut c_void, object: I) -> HRESULT {
    // SAFETY: `p` is checked non-null before the write; the reference passes to the caller.
    if unsafe { put(p, object.into_raw()) } {
        S_OK
    } else {
        E_INVALIDARG
    }
}

/// A writer's metadata object (it implements the Ex and Ex2 versions too).
pub(crate) fn examine(writer: &FakeWriter, faults: Faults) -> IVssExamineWriterMetadata {
    let ex2: IVssExamineWriterMetadataEx2 = FakeExamine {
        loaded: std::sync::Mutex::new(writer.clone()),
        faults,
    }
    .into();
    let base: &IVssExamineWriterMetadata = &ex2;
    base.clone()
}

#[implement(IVssExamineWriterMetadataEx2)]
struct FakeExamine {
    /// The writer whose metadata this is (`LoadFromXML` replaces it).
    loaded: std::sync::Mutex<FakeWriter>,
    faults: Faults,
}

impl FakeExamine {
    fn writer(&self) -> FakeWriter {
        self.loaded
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

pub(crate) fn file_set(f: &FakeFileSet, faults: &Faults) -> IVssWMFiledesc {
    FakeFiledesc {
        set: f.clone(),
        faults: faults.clone(),
    }
    .into()
}

impl IVssExamineWriterMetadata_Impl for FakeExamine_Impl {
    unsafe fn GetIdentity(
        &self,
        pid_instance: *mut GUID,
        pid_writer: *mut GUID,
        pbstr_writer_name: *mut *mut u16,
        p_usage: *mut i32,
        p_source: *mut i32,
    ) -> HRESULT {
        queued!(self.faults, EXAMINE, "GetIdentity");
        if pid_instance.is_null()
            || pid_writer.is_null()
            || pbstr_writer_name.is_null()
            || p_usage.is_null()
            || p_source.is_null()
        {
            return E_INVALIDARG;
        }
        let w = &self.writer();
        // SAFETY: every out-parameter was checked non-null above.
        unsafe {
            put(pid_instance, w.instance_id);
            put(pid_writer, w.writer_id);
            put(pbstr_writer_name, mem::Bstr::new(&w.name).into_raw());
            put(p_usage, w.usage);
            put(p_source, w.source);
        }
        S_OK
    }

    unsafe fn GetFileCounts(
        &self,
        includes: *mut u32,
        excludes: *mut u32,
        components: *mut u32,
    ) -> HRESULT {
        queued!(self.faults, EXAMINE, "GetFileCounts");
        if includes.is_null() || excludes.is_null() || components.is_null() {
            return E_INVALIDARG;
        }
        let w = &self.writer();
        // SAFETY: checked non-null.
        unsafe {
            put(includes, 0);
            put(excludes, w.excludes.len() as u32);
            put(components, w.components.len() as u32);
        }
        S_OK
    }

    unsafe fn GetIncludeFile(&self, i: u32, p: *mut *mut c_void) -> HRESULT {
        queued!(self.faults, EXAMINE, "GetIncludeFile");
        // Reserved for future use, as documented.
        let _ = (i, p);
        E_NOTIMPL
    }

    unsafe fn GetExcludeFile(&self, i: u32, p: *mut *mut c_void) -> HRESULT {
        queued!(self.faults, EXAMINE, "GetExcludeFile");
        match self.writer().excludes.get(i as usize) {
            Some(f) => out_object(p, file_set(f, &self.faults)),
            None => E_INVALIDARG,
        }
    }

    unsafe fn GetComponent(&self, i: u32, p: *mut *mut c_void) -> HRESULT {
        queued!(self.faults, EXAMINE, "GetComponent");
        match self.writer().components.get(i as usize) {
            Some(c) => out_object::<IVssWMComponent>(
                p,
                FakeComponentObject {
                    component: c.clone(),
                    faults: self.faults.clone(),
                }
                .into(),
            ),
            None => E_INVALIDARG,
        }
    }

    unsafe fn GetRestoreMethod(
        &self,
        method: *mut i32,
        service: *mut *mut u16,
        user_procedure: *mut *mut u16,
        writer_restore: *mut i32,
        reboot_required: *mut u8,
        mappings: *mut u32,
    ) -> HRESULT {
        queued!(self.faults, EXAMINE, "GetRestoreMethod");
        if [
            method.is_null(),
            service.is_null(),
            user_procedure.is_null(),
        ]
        .into_iter()
        .chain([
            writer_restore.is_null(),
            reboot_required.is_null(),
            mappings.is_null(),
        ])
        .any(|n| n)
        {
            return E_INVALIDARG;
        }
        let w = &self.writer();
        // SAFETY: checked non-null.
        unsafe {
            put(method, w.restore_method);
            put(service, core::ptr::null_mut());
            put(user_procedure, core::ptr::null_mut());
            put(writer_restore, 3);
            put(reboot_required, u8::from(w.reboot_required));
            put(mappings, w.alternate_locations.len() as u32);
        }
        S_OK
    }

    unsafe fn GetAlternateLocationMapping(&self, i: u32, p: *mut *mut c_void) -> HRESULT {
        queued!(self.faults, EXAMINE, "GetAlternateLocationMapping");
        match self.writer().alternate_locations.get(i as usize) {
            Some(f) => out_object(p, file_set(f, &self.faults)),
            None => E_INVALIDARG,
        }
    }

    unsafe fn GetBackupSchema(&self, p: *mut u32) -> HRESULT {
        queued!(self.faults, EXAMINE, "GetBackupSchema");
        // SAFETY: checked by `put`.
        if unsafe { put(p, self.writer().backup_schema) } {
            S_OK
        } else {
            E_INVALIDARG
        }
    }

    unsafe fn GetDocument(&self, p: *mut *mut c_void) -> HRESULT {
        queued!(self.faults, EXAMINE, "GetDocument");
        let _ = p;
        E_NOTIMPL
    }

    unsafe fn SaveAsXML(&self, p: *mut *mut u16) -> HRESULT {
        queued!(self.faults, EXAMINE, "SaveAsXML");
        let w = &self.writer();
        let xml = format!(
            "<WRITER_METADATA writerId=\"{:?}\" instanceId=\"{:?}\" friendlyName=\"{}\"/>",
            w.writer_id, w.instance_id, w.name
        );
        // SAFETY: checked by `put`.
        if unsafe { put(p, mem::Bstr::new(&xml).into_raw()) } {
            S_OK
        } else {
            E_INVALIDARG
        }
    }

    unsafe fn LoadFromXML(&self, p: *mut u16) -> HRESULT {
        queued!(self.faults, EXAMINE, "LoadFromXML");
        if p.is_null() {
            return E_INVALIDARG;
        }
        // SAFETY: a BSTR from the caller, NUL-terminated.
        let xml = unsafe { mem::read_wide(p) };
        // What SaveAsXML writes: the writer is found by its instance; anything else is a
        // document that "could not be loaded" (S_FALSE), and the contents stay.
        let instance = xml
            .strip_prefix("<WRITER_METADATA ")
            .and_then(|x| x.split_once("instanceId=\""))
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(id, _)| id.to_string());
        let found = instance.and_then(|id| {
            let sys = self.faults.0.lock().unwrap_or_else(|e| e.into_inner());
            sys.writers
                .iter()
                .find(|w| format!("{:?}", w.instance_id) == id)
                .cloned()
        });
        match found {
            Some(w) => {
                *self.loaded.lock().unwrap_or_else(|e| e.into_inner()) = w;
                S_OK
            }
            None => S_FALSE,
        }
    }
}

impl IVssExamineWriterMetadataEx_Impl for FakeExamine_Impl {
    unsafe fn GetIdentityEx(
        &self,
        pid_instance: *mut GUID,
        pid_writer: *mut GUID,
        pbstr_writer_name: *mut *mut u16,
        pbstr_instance_name: *mut *mut u16,
        p_usage: *mut i32,
        p_source: *mut i32,
    ) -> HRESULT {
        queued!(self.faults, EXAMINE, "GetIdentityEx");
        if pbstr_instance_name.is_null() {
            return E_INVALIDARG;
        }
        // SAFETY: the same out-parameters as GetIdentity's, checked there.
        let hr = unsafe {
            self.GetIdentity(
                pid_instance,
                pid_writer,
                pbstr_writer_name,
                p_usage,
                p_source,
            )
        };
        if hr != S_OK {
            return hr;
        }
        let instance = format!("{} instance", self.writer().name);
        // SAFETY: checked non-null above.
        unsafe { put(pbstr_instance_name, mem::Bstr::new(&instance).into_raw()) };
        S_OK
    }
}

impl IVssExamineWriterMetadataEx2_Impl for FakeExamine_Impl {
    unsafe fn GetVersion(&self, major: *mut u32, minor: *mut u32) -> HRESULT {
        queued!(self.faults, EXAMINE, "GetVersion");
        if major.is_null() || minor.is_null() {
            return E_INVALIDARG;
        }
        // SAFETY: checked non-null.
        unsafe {
            put(major, self.writer().version.0);
            put(minor, self.writer().version.1);
        }
        S_OK
    }

    unsafe fn GetExcludeFromSnapshotCount(&self, n: *mut u32) -> HRESULT {
        queued!(self.faults, EXAMINE, "GetExcludeFromSnapshotCount");
        // SAFETY: checked by `put`.
        if unsafe { put(n, self.writer().excludes_from_snapshot.len() as u32) } {
            S_OK
        } else {
            E_INVALIDARG
        }
    }

    unsafe fn GetExcludeFromSnapshotFile(&self, i: u32, p: *mut *mut c_void) -> HRESULT {
        queued!(self.faults, EXAMINE, "GetExcludeFromSnapshotFile");
        match self.writer().excludes_from_snapshot.get(i as usize) {
            Some(f) => out_object(p, file_set(f, &self.faults)),
            None => E_INVALIDARG,
        }
    }
}

#[implement(IVssWMComponent)]
struct FakeComponentObject {
    component: FakeComponent,
    faults: Faults,
}

impl IVssWMComponent_Impl for FakeComponentObject_Impl {
    unsafe fn GetComponentInfo(&self, pp_info: *mut *const VssComponentInfo) -> HRESULT {
        queued!(self.faults, WM_COMPONENT, "GetComponentInfo");
        if pp_info.is_null() {
            return E_INVALIDARG;
        }
        let c = &self.component;
        let info = Box::new(VssComponentInfo {
            component_type: c.component_type,
            logical_path: if c.logical_path.is_empty() {
                core::ptr::null_mut()
            } else {
                mem::Bstr::new(&c.logical_path).into_raw()
            },
            component_name: mem::Bstr::new(&c.name).into_raw(),
            caption: mem::Bstr::new(&c.caption).into_raw(),
            icon: core::ptr::null_mut(),
            icon_len: 0,
            restore_metadata: 0,
            notify_on_backup_complete: 1,
            selectable: u8::from(c.selectable),
            selectable_for_restore: u8::from(c.selectable),
            component_flags: 0,
            file_count: c.files.len() as u32,
            database_count: c.databases.len() as u32,
            log_file_count: c.logs.len() as u32,
            dependency_count: c.dependencies.len() as u32,
        });
        // SAFETY: checked non-null; FreeComponentInfo takes the block back.
        unsafe { put(pp_info, Box::into_raw(info) as *const VssComponentInfo) };
        S_OK
    }

    unsafe fn FreeComponentInfo(&self, p_info: *const VssComponentInfo) -> HRESULT {
        queued!(self.faults, WM_COMPONENT, "FreeComponentInfo");
        if p_info.is_null() {
            return E_INVALIDARG;
        }
        // SAFETY: `p_info` is the block GetComponentInfo handed out (a leaked Box), freed once.
        let info = unsafe { Box::from_raw(p_info as *mut VssComponentInfo) };
        for s in [info.logical_path, info.component_name, info.caption] {
            if !s.is_null() {
                // SAFETY: each string was allocated by `Bstr::new` above and is freed once.
                drop(unsafe { mem::take_bstr(s) });
            }
        }
        S_OK
    }

    unsafe fn GetFile(&self, i: u32, p: *mut *mut c_void) -> HRESULT {
        queued!(self.faults, WM_COMPONENT, "GetFile");
        match self.component.files.get(i as usize) {
            Some(f) => out_object(p, file_set(f, &self.faults)),
            None => E_INVALIDARG,
        }
    }

    unsafe fn GetDatabaseFile(&self, i: u32, p: *mut *mut c_void) -> HRESULT {
        queued!(self.faults, WM_COMPONENT, "GetDatabaseFile");
        match self.component.databases.get(i as usize) {
            Some(f) => out_object(p, file_set(f, &self.faults)),
            None => E_INVALIDARG,
        }
    }

    unsafe fn GetDatabaseLogFile(&self, i: u32, p: *mut *mut c_void) -> HRESULT {
        queued!(self.faults, WM_COMPONENT, "GetDatabaseLogFile");
        match self.component.logs.get(i as usize) {
            Some(f) => out_object(p, file_set(f, &self.faults)),
            None => E_INVALIDARG,
        }
    }

    unsafe fn GetDependency(&self, i: u32, p: *mut *mut c_void) -> HRESULT {
        queued!(self.faults, WM_COMPONENT, "GetDependency");
        match self.component.dependencies.get(i as usize) {
            Some((writer_id, logical_path, name)) => out_object::<IVssWMDependency>(
                p,
                FakeDependency {
                    writer_id: *writer_id,
                    logical_path: logical_path.clone(),
                    name: name.clone(),
                    faults: self.faults.clone(),
                }
                .into(),
            ),
            None => E_INVALIDARG,
        }
    }
}

#[implement(IVssWMFiledesc)]
struct FakeFiledesc {
    set: FakeFileSet,
    faults: Faults,
}

impl IVssWMFiledesc_Impl for FakeFiledesc_Impl {
    unsafe fn GetPath(&self, p: *mut *mut u16) -> HRESULT {
        queued!(self.faults, FILEDESC, "GetPath");
        bstr(p, &self.set.path)
    }
    unsafe fn GetFilespec(&self, p: *mut *mut u16) -> HRESULT {
        queued!(self.faults, FILEDESC, "GetFilespec");
        bstr(p, &self.set.filespec)
    }
    unsafe fn GetRecursive(&self, p: *mut u8) -> HRESULT {
        queued!(self.faults, FILEDESC, "GetRecursive");
        // SAFETY: checked by `put`.
        if unsafe { put(p, u8::from(self.set.recursive)) } {
            S_OK
        } else {
            E_INVALIDARG
        }
    }
    unsafe fn GetAlternateLocation(&self, p: *mut *mut u16) -> HRESULT {
        queued!(self.faults, FILEDESC, "GetAlternateLocation");
        bstr_or_false(p, &self.set.alternate_location)
    }
    unsafe fn GetBackupTypeMask(&self, p: *mut u32) -> HRESULT {
        queued!(self.faults, FILEDESC, "GetBackupTypeMask");
        // SAFETY: checked by `put`.
        if unsafe { put(p, self.set.backup_type_mask) } {
            S_OK
        } else {
            E_INVALIDARG
        }
    }
}

#[implement(IVssWMDependency)]
struct FakeDependency {
    writer_id: GUID,
    logical_path: String,
    name: String,
    faults: Faults,
}

impl FakeDependency {
    /// `S_OK` while a writer of the class the dependency names runs, else `S_FALSE` (the
    /// documented "no writer can be found that manages the component").
    fn found(&self) -> HRESULT {
        let sys = self.faults.0.lock().unwrap_or_else(|e| e.into_inner());
        if sys.writers.iter().any(|w| w.writer_id == self.writer_id) {
            S_OK
        } else {
            S_FALSE
        }
    }

    /// A BSTR out-parameter (NULL for an empty string), with [`found`](Self::found)'s code.
    fn text(&self, p: *mut *mut u16, s: &str) -> HRESULT {
        if p.is_null() {
            return E_INVALIDARG;
        }
        // SAFETY: checked non-null; the BSTR passes to the caller.
        unsafe { put(p, nullable_bstr(s)) };
        self.found()
    }
}

impl IVssWMDependency_Impl for FakeDependency_Impl {
    unsafe fn GetWriterId(&self, p: *mut GUID) -> HRESULT {
        queued!(self.faults, DEPENDENCY, "GetWriterId");
        // SAFETY: checked by `put`.
        if unsafe { put(p, self.writer_id) } {
            self.found()
        } else {
            E_INVALIDARG
        }
    }
    unsafe fn GetLogicalPath(&self, p: *mut *mut u16) -> HRESULT {
        queued!(self.faults, DEPENDENCY, "GetLogicalPath");
        self.text(p, &self.logical_path)
    }
    unsafe fn GetComponentName(&self, p: *mut *mut u16) -> HRESULT {
        queued!(self.faults, DEPENDENCY, "GetComponentName");
        self.text(p, &self.name)
    }
}
