//! The fault-injecting COM objects (`#[implement]`): backup components, async operations,
//! writer metadata and the snapshot enumerator. Out-parameters are written through `put`,
//! the one place here that dereferences caller pointers.

#![allow(non_snake_case)]

use super::cursor::Cursor;
use super::faults::Phase;
use super::system::*;
use crate::com::mem;
use crate::com::types::{VssObjectProp, VssSnapshotProp};
use crate::com::GUID;
use crate::generated::com_impl::{
    IVssAsync, IVssAsync_Impl, IVssBackupComponents, IVssBackupComponents_Impl, IVssEnumObject,
    IVssEnumObject_Impl, IVssExamineWriterMetadata,
};
use crate::generated::com_impl::{
    IVssBackupComponentsEx2_Impl, IVssBackupComponentsEx3_Impl, IVssBackupComponentsEx4,
    IVssBackupComponentsEx4_Impl, IVssBackupComponentsEx_Impl,
};
use core::ffi::c_void;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use windows_core::{implement, Interface};
use windows_result::HRESULT;

const VSS_S_ASYNC_PENDING: HRESULT = HRESULT(0x0004_2309);
const VSS_S_ASYNC_FINISHED: HRESULT = HRESULT(0x0004_230A);
const VSS_S_ASYNC_CANCELLED: HRESULT = HRESULT(0x0004_230B);
const VSS_OBJECT_SNAPSHOT_SET: i32 = 2;
const VSS_OBJECT_SNAPSHOT: i32 = 3;

/// Writes an out-parameter; `false` when the caller passed null.
///
/// # Safety
/// `p` is null or valid for a write of `T` (the COM contract of the out-parameter).
unsafe fn put<T>(p: *mut T, v: T) -> bool {
    if p.is_null() {
        return false;
    }
    // SAFETY: non-null and, by the caller's contract, valid for writes.
    unsafe { p.write(v) };
    true
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

static SESSIONS: AtomicU64 = AtomicU64::new(1);

pub(crate) fn new_backup(system: Arc<Mutex<System>>) -> IVssBackupComponents {
    let id = SESSIONS.fetch_add(1, Ordering::Relaxed);
    let ex4: IVssBackupComponentsEx4 = FakeBackup {
        system,
        session: Mutex::new(Session::new(id)),
    }
    .into();
    let base: &IVssBackupComponents = &ex4;
    base.clone()
}

#[implement(IVssBackupComponentsEx4)]
struct FakeBackup {
    system: Arc<Mutex<System>>,
    session: Mutex<Session>,
}

impl Drop for FakeBackup {
    /// Releasing the object releases its non-persistent shadow copies, as VSS does.
    fn drop(&mut self) {
        let id = lock(&self.session).id;
        lock(&self.system)
            .snapshots
            .retain(|s| s.persistent || s.owner != id);
    }
}

/// What an async-starting step leaves behind for its `IVssAsync`.
struct Plan {
    /// Snapshots to remove when the operation is cancelled before it finishes.
    rollback: Vec<GUID>,
    cancellable: bool,
}

impl FakeBackup {
    /// A synchronous step: a queued call-time fault wins; otherwise `f` decides.
    fn step(&self, name: &str, f: impl FnOnce(&mut System, &mut Session) -> HRESULT) -> HRESULT {
        let mut sys = lock(&self.system);
        let mut s = lock(&self.session);
        let hr = match sys.take_fault(backup_interface_of(name), name, Phase::Call) {
            Some(hr) => hr,
            None => f(&mut sys, &mut s),
        };
        sys.record(name, hr);
        hr
    }

    /// A step that starts an async operation. `check` validates the sequence; then a queued
    /// QueryStatus-time fault, if any, makes the operation fail (`effect` gets it and must
    /// leave the machine as a failed operation would).
    fn start(
        &self,
        name: &str,
        out: *mut *mut c_void,
        check: impl FnOnce(&System, &Session) -> HRESULT,
        effect: impl FnOnce(&mut System, &mut Session, Option<HRESULT>) -> Plan,
    ) -> HRESULT {
        let mut sys = lock(&self.system);
        let mut s = lock(&self.session);
        if out.is_null() {
            sys.record(name, E_INVALIDARG);
            return E_INVALIDARG;
        }
        let hr = match sys.take_fault(backup_interface_of(name), name, Phase::Call) {
            Some(hr) => hr,
            None => check(&sys, &s),
        };
        if hr != S_OK {
            sys.record(name, hr);
            return hr;
        }
        let failure = sys.take_fault(backup_interface_of(name), name, Phase::Status);
        let polls = sys.pending_polls;
        let plan = effect(&mut sys, &mut s, failure);
        let result = failure.unwrap_or(VSS_S_ASYNC_FINISHED);
        sys.record(name, S_OK);
        let state = AsyncState {
            method: name.to_string(),
            result,
            polls_left: polls,
            cancelled: false,
            cancellable: plan.cancellable,
            rollback: plan.rollback,
            system: self.system.clone(),
        };
        let a: IVssAsync = FakeAsync {
            state: Mutex::new(state),
        }
        .into();
        // SAFETY: `out` is non-null and points to the caller's interface out-parameter.
        unsafe { put(out, a.into_raw()) };
        S_OK
    }

    /// A requester's edit of one component in the document: in a restore session (`restore`)
    /// after `GatherWriterMetadata` and before `PostRestore`, else in a component-mode backup
    /// before `DoSnapshotSet`; `VSS_E_OBJECT_NOT_FOUND` for a component not in the document,
    /// else what `f` says of the component.
    ///
    /// # Safety
    /// `path` and `component` are null or the caller's NUL-terminated strings.
    #[allow(clippy::too_many_arguments)]
    unsafe fn edit_checked(
        &self,
        name: &str,
        restore: bool,
        writer: GUID,
        ct: i32,
        path: *const u16,
        component: *const u16,
        f: impl FnOnce(&mut super::document::DocComponent) -> HRESULT,
    ) -> HRESULT {
        // SAFETY: as the caller guarantees (NULL reads as empty).
        let (path, component) = unsafe { (mem::read_wide(path), mem::read_wide(component)) };
        let (path, component) = (path.as_str(), component.as_str());
        self.step(name, |_, s| {
            let allowed = if restore {
                s.stage >= Stage::MetadataGathered
                    && matches!(
                        s.restore,
                        Some(RestorePhase::Initialized | RestorePhase::PreRestored)
                    )
            } else {
                s.restore.is_none() && s.stage == Stage::MetadataGathered && s.select_components
            };
            if !allowed {
                return VSS_E_BAD_STATE;
            }
            let mut doc = super::document::lock_doc(&s.doc);
            match doc.iter_mut().find(|d| d.is(writer, ct, path, component)) {
                Some(d) => f(d),
                None => VSS_E_OBJECT_NOT_FOUND,
            }
        })
    }

    /// [`Self::edit_checked`] for an edit that cannot fail once the component is found.
    ///
    /// # Safety
    /// As for `edit_checked`.
    #[allow(clippy::too_many_arguments)]
    unsafe fn edit(
        &self,
        name: &str,
        restore: bool,
        writer: GUID,
        ct: i32,
        path: *const u16,
        component: *const u16,
        f: impl FnOnce(&mut super::document::DocComponent),
    ) -> HRESULT {
        // SAFETY: as the caller guarantees.
        unsafe {
            self.edit_checked(name, restore, writer, ct, path, component, |d| {
                f(d);
                S_OK
            })
        }
    }

    /// A queued call-time fault for `name`, taken and recorded: what a method that checks
    /// its arguments or delegates to another before its step returns first.
    fn queued(&self, name: &str) -> Option<HRESULT> {
        let mut sys = lock(&self.system);
        let hr = sys.take_fault(backup_interface_of(name), name, Phase::Call)?;
        sys.record(name, hr);
        Some(hr)
    }

    /// A method the fake does not model: a queued fault for it first (so every documented
    /// code can still be injected), else `E_NOTIMPL`.
    fn unimplemented(&self, interface: &str, name: &str) -> HRESULT {
        let mut sys = lock(&self.system);
        let hr = sys
            .take_fault(interface, name, Phase::Call)
            .unwrap_or(E_NOTIMPL);
        sys.record(name, hr);
        hr
    }
}

/// Which of IVssBackupComponents and its Ex interfaces declares `method`: where a queued
/// fault for it is filed.
fn backup_interface_of(method: &str) -> &'static str {
    crate::catalog::Method::all()
        .iter()
        .filter_map(|m| m.interface.filter(|_| m.name == method))
        .find(|i| i.starts_with("IVssBackupComponents"))
        .unwrap_or("IVssBackupComponents")
}

macro_rules! not_implemented {
    ($iface:literal; $( fn $name:ident(&self $(, $arg:ident : $ty:ty)*); )*) => {
        $(
            unsafe fn $name(&self $(, $arg: $ty)*) -> HRESULT {
                $( let _ = $arg; )*
                self.unimplemented($iface, stringify!($name))
            }
        )*
    };
}

impl IVssBackupComponents_Impl for FakeBackup_Impl {
    unsafe fn SetRangesFilePath(
        &self,
        writer_id: GUID,
        ct: i32,
        wsz_logical_path: *const u16,
        wsz_component_name: *const u16,
        i_partial_file: u32,
        wsz_ranges_file: *const u16,
    ) -> HRESULT {
        // A queued fault comes before the argument and sequence checks.
        if let Some(hr) = self.queued("SetRangesFilePath") {
            return hr;
        }
        // SAFETY: the caller's string (NULL reads as empty).
        let ranges = unsafe { mem::read_wide(wsz_ranges_file) };
        if ranges.is_empty() {
            lock(&self.system).record("SetRangesFilePath", E_INVALIDARG);
            return E_INVALIDARG;
        }
        // SAFETY: the caller's strings, passed on.
        unsafe {
            self.edit_checked(
                "SetRangesFilePath",
                true,
                writer_id,
                ct,
                wsz_logical_path,
                wsz_component_name,
                // Only a partial file the writer reported can get a ranges file.
                |d| match d.partial_files.get_mut(i_partial_file as usize) {
                    Some(p) => {
                        p.ranges_file = ranges.clone();
                        S_OK
                    }
                    None => VSS_E_OBJECT_NOT_FOUND,
                },
            )
        }
    }

    unsafe fn ImportSnapshots(&self, pp_async: *mut *mut c_void) -> HRESULT {
        // In a restore from a document (transportable shadow copies are imported from one);
        // the fake's snapshots are never transportable, so there is nothing to import and
        // the operation finishes at once.
        self.start(
            "ImportSnapshots",
            pp_async,
            |_, s| {
                if s.restore.is_some() {
                    S_OK
                } else {
                    VSS_E_BAD_STATE
                }
            },
            |_, _, _| Plan {
                rollback: Vec::new(),
                cancellable: false,
            },
        )
    }

    unsafe fn AddAlternativeLocationMapping(
        &self,
        writer_id: GUID,
        component_type: i32,
        wsz_logical_path: *const u16,
        wsz_component_name: *const u16,
        wsz_path: *const u16,
        wsz_filespec: *const u16,
        b_recursive: u8,
        wsz_destination: *const u16,
    ) -> HRESULT {
        // A queued fault comes before the argument and sequence checks.
        if let Some(hr) = self.queued("AddAlternativeLocationMapping") {
            return hr;
        }
        // SAFETY: the caller's strings.
        let mapping = unsafe {
            super::system::FakeFileSet {
                path: mem::read_wide(wsz_path),
                filespec: mem::read_wide(wsz_filespec),
                recursive: b_recursive != 0,
                alternate_location: mem::read_wide(wsz_destination),
                backup_type_mask: 0,
            }
        };
        if mapping.path.is_empty() || mapping.filespec.is_empty() {
            lock(&self.system).record("AddAlternativeLocationMapping", E_INVALIDARG);
            return E_INVALIDARG;
        }
        // SAFETY: the caller's strings, passed on.
        unsafe {
            self.edit(
                "AddAlternativeLocationMapping",
                true,
                writer_id,
                component_type,
                wsz_logical_path,
                wsz_component_name,
                |d| d.alternate_mappings.push(mapping),
            )
        }
    }

    unsafe fn AddRestoreSubcomponent(
        &self,
        writer_id: GUID,
        component_type: i32,
        wsz_logical_path: *const u16,
        wsz_component_name: *const u16,
        wsz_sub_component_logical_path: *const u16,
        wsz_sub_component_name: *const u16,
        b_repair: u8,
    ) -> HRESULT {
        // A queued fault comes before the argument and sequence checks.
        if let Some(hr) = self.queued("AddRestoreSubcomponent") {
            return hr;
        }
        const NAME: &str = "AddRestoreSubcomponent";
        // SAFETY: the caller's strings (NULL reads as empty).
        let (path, component, sub_path, sub_name) = unsafe {
            (
                mem::read_wide(wsz_logical_path),
                mem::read_wide(wsz_component_name),
                mem::read_wide(wsz_sub_component_logical_path),
                mem::read_wide(wsz_sub_component_name),
            )
        };
        if sub_name.is_empty() {
            lock(&self.system).record(NAME, E_INVALIDARG);
            return E_INVALIDARG;
        }
        {
            // Before PreRestore, on a component already selected for restore, as documented.
            let s = lock(&self.session);
            let unselected = super::document::lock_doc(&s.doc).iter().any(|d| {
                d.is(writer_id, component_type, &path, &component) && !d.selected_for_restore
            });
            if s.restore == Some(RestorePhase::PreRestored) || unselected {
                drop(s);
                lock(&self.system).record(NAME, VSS_E_BAD_STATE);
                return VSS_E_BAD_STATE;
            }
        }
        // SAFETY: the caller's strings, passed on.
        unsafe {
            self.edit(
                NAME,
                true,
                writer_id,
                component_type,
                wsz_logical_path,
                wsz_component_name,
                |d| {
                    d.restore_subcomponents
                        .push((sub_path, sub_name, b_repair != 0))
                },
            )
        }
    }

    unsafe fn SetPreviousBackupStamp(
        &self,
        writer_id: GUID,
        ct: i32,
        wsz_logical_path: *const u16,
        wsz_component_name: *const u16,
        wsz_previous_backup_stamp: *const u16,
    ) -> HRESULT {
        // SAFETY: the caller's string (NULL reads as empty).
        let stamp = unsafe { mem::read_wide(wsz_previous_backup_stamp) };
        // SAFETY: the caller's strings, passed on.
        unsafe {
            self.edit(
                "SetPreviousBackupStamp",
                false,
                writer_id,
                ct,
                wsz_logical_path,
                wsz_component_name,
                |d| d.previous_backup_stamp = stamp,
            )
        }
    }

    unsafe fn SetRestoreState(&self, restore_type: i32) -> HRESULT {
        self.step("SetRestoreState", |_, s| {
            // After InitializeForRestore, before PreRestore.
            if s.restore != Some(RestorePhase::Initialized) {
                return VSS_E_BAD_STATE;
            }
            // VSS_RTYPE_BY_COPY, _IMPORT, _OTHER (0 is VSS_RTYPE_UNDEFINED).
            if !(1..=3).contains(&restore_type) {
                return E_INVALIDARG;
            }
            S_OK
        })
    }

    unsafe fn EnableWriterClasses(
        &self,
        rg_writer_class_id: *const GUID,
        c_class_id: u32,
    ) -> HRESULT {
        let _ = (rg_writer_class_id, c_class_id);
        self.step("EnableWriterClasses", writer_filter)
    }

    unsafe fn DisableWriterClasses(
        &self,
        rg_writer_class_id: *const GUID,
        c_class_id: u32,
    ) -> HRESULT {
        let _ = (rg_writer_class_id, c_class_id);
        self.step("DisableWriterClasses", writer_filter)
    }

    unsafe fn DisableWriterInstances(
        &self,
        rg_writer_instance_id: *const GUID,
        c_instance_id: u32,
    ) -> HRESULT {
        let _ = (rg_writer_instance_id, c_instance_id);
        self.step("DisableWriterInstances", writer_filter)
    }

    unsafe fn BreakSnapshotSet(&self, snapshot_set_id: GUID) -> HRESULT {
        self.step("BreakSnapshotSet", |sys, _| {
            let hr = breakable(sys, snapshot_set_id);
            if hr == S_OK {
                sys.snapshots.retain(|x| x.set_id != snapshot_set_id);
            }
            hr
        })
    }

    unsafe fn ExposeSnapshot(
        &self,
        snapshot_id: GUID,
        wsz_path_from_root: *mut u16,
        l_attributes: i32,
        wsz_expose: *mut u16,
        pwsz_exposed: *mut *mut u16,
    ) -> HRESULT {
        let _ = (wsz_path_from_root, l_attributes);
        // SAFETY: the caller's VSS_PWSZ (NULL is none).
        let expose = unsafe { mem::read_wide(wsz_expose) };
        self.step("ExposeSnapshot", |sys, s| {
            if s.restore.is_some() || s.stage == Stage::Created {
                return VSS_E_BAD_STATE;
            }
            if pwsz_exposed.is_null() {
                return E_INVALIDARG;
            }
            let Some(snap) = sys.snapshots.iter_mut().find(|x| x.id == snapshot_id) else {
                return VSS_E_OBJECT_NOT_FOUND;
            };
            // Exposed as the name asked for, else as the first free drive letter the fake has.
            let name = if expose.is_empty() {
                "S:".to_string()
            } else {
                expose
            };
            snap.exposed = Some(name.clone());
            // SAFETY: checked non-null; the string passes to the caller.
            unsafe { put(pwsz_exposed, mem::task_wstr(&name)) };
            S_OK
        })
    }

    unsafe fn GetWriterComponentsCount(&self, pc_components: *mut u32) -> HRESULT {
        self.step("GetWriterComponentsCount", |sys, s| {
            if !components_readable(s) {
                return VSS_E_BAD_STATE;
            }
            let n = writers_in_document(sys, s).len() as u32;
            // SAFETY: checked by `put`.
            if unsafe { put(pc_components, n) } {
                S_OK
            } else {
                E_INVALIDARG
            }
        })
    }

    unsafe fn GetWriterComponents(&self, i_writer: u32, pp_writer: *mut *mut c_void) -> HRESULT {
        self.step("GetWriterComponents", |sys, s| {
            if !components_readable(s) {
                return VSS_E_BAD_STATE;
            }
            if pp_writer.is_null() {
                return E_INVALIDARG;
            }
            let Some(&(instance, writer)) = writers_in_document(sys, s).get(i_writer as usize)
            else {
                return VSS_E_OBJECT_NOT_FOUND;
            };
            let p = super::document::writer_components(
                &s.doc,
                instance,
                writer,
                &Faults(self.system.clone()),
            );
            // SAFETY: checked non-null; the object's one reference passes to the caller.
            unsafe { put(pp_writer, p) };
            S_OK
        })
    }

    unsafe fn InitializeForRestore(&self, bstr_xml: *mut u16) -> HRESULT {
        // SAFETY: the caller's BSTR (NULL is empty).
        let xml = unsafe { mem::read_wide(bstr_xml) };
        self.step("InitializeForRestore", |_, s| {
            if s.stage != Stage::Created {
                return VSS_E_BAD_STATE;
            }
            let Some(doc) = super::document::load(&xml) else {
                return VSS_E_INVALID_XML_DOCUMENT;
            };
            *super::document::lock_doc(&s.doc) = doc;
            s.stage = Stage::Initialized;
            s.restore = Some(RestorePhase::Initialized);
            S_OK
        })
    }

    unsafe fn AddComponent(
        &self,
        instance_id: GUID,
        writer_id: GUID,
        ct: i32,
        wsz_logical_path: *const u16,
        wsz_component_name: *const u16,
    ) -> HRESULT {
        // SAFETY: the caller's strings (NULL is empty).
        let (path, name) = unsafe {
            (
                mem::read_wide(wsz_logical_path),
                mem::read_wide(wsz_component_name),
            )
        };
        self.step("AddComponent", |sys, s| {
            if s.restore.is_some() || s.stage != Stage::MetadataGathered || !s.select_components {
                return VSS_E_BAD_STATE;
            }
            let Some(w) = sys
                .writers
                .iter()
                .find(|w| w.instance_id == instance_id && w.writer_id == writer_id)
            else {
                return E_INVALIDARG;
            };
            let Some(c) = w
                .components
                .iter()
                .find(|c| c.logical_path == path && c.name == name && c.component_type == ct)
            else {
                return E_INVALIDARG;
            };
            let mut doc = super::document::lock_doc(&s.doc);
            if doc
                .iter()
                .any(|d| d.instance_id == instance_id && d.is(writer_id, ct, &path, &name))
            {
                return VSS_E_OBJECT_ALREADY_EXISTS;
            }
            doc.push(super::document::DocComponent {
                instance_id,
                writer_id,
                component_type: c.component_type,
                logical_path: path.clone(),
                name: name.clone(),
                ..Default::default()
            });
            S_OK
        })
    }

    unsafe fn SetBackupSucceeded(
        &self,
        instance_id: GUID,
        writer_id: GUID,
        ct: i32,
        wsz_logical_path: *const u16,
        wsz_component_name: *const u16,
        b_succeded: u8,
    ) -> HRESULT {
        // SAFETY: the caller's strings.
        let (path, name) = unsafe {
            (
                mem::read_wide(wsz_logical_path),
                mem::read_wide(wsz_component_name),
            )
        };
        self.step("SetBackupSucceeded", |_, s| {
            if s.restore.is_some() || s.stage != Stage::Snapshotted {
                return VSS_E_BAD_STATE;
            }
            let mut doc = super::document::lock_doc(&s.doc);
            match doc
                .iter_mut()
                .find(|d| d.instance_id == instance_id && d.is(writer_id, ct, &path, &name))
            {
                Some(d) => {
                    d.backup_succeeded = Some(b_succeded != 0);
                    S_OK
                }
                None => VSS_E_OBJECT_NOT_FOUND,
            }
        })
    }

    unsafe fn SetBackupOptions(
        &self,
        writer_id: GUID,
        ct: i32,
        wsz_logical_path: *const u16,
        wsz_component_name: *const u16,
        wsz_backup_options: *const u16,
    ) -> HRESULT {
        // SAFETY: the caller's string.
        let options = unsafe { mem::read_wide(wsz_backup_options) };
        // SAFETY: the caller's strings, passed on.
        unsafe {
            self.edit(
                "SetBackupOptions",
                false,
                writer_id,
                ct,
                wsz_logical_path,
                wsz_component_name,
                |d| d.backup_options = options,
            )
        }
    }

    unsafe fn SetSelectedForRestore(
        &self,
        writer_id: GUID,
        ct: i32,
        wsz_logical_path: *const u16,
        wsz_component_name: *const u16,
        b_selected_for_restore: u8,
    ) -> HRESULT {
        // SAFETY: the caller's strings, passed on.
        unsafe {
            self.edit(
                "SetSelectedForRestore",
                true,
                writer_id,
                ct,
                wsz_logical_path,
                wsz_component_name,
                |d| d.selected_for_restore = b_selected_for_restore != 0,
            )
        }
    }

    unsafe fn SetRestoreOptions(
        &self,
        writer_id: GUID,
        ct: i32,
        wsz_logical_path: *const u16,
        wsz_component_name: *const u16,
        wsz_restore_options: *const u16,
    ) -> HRESULT {
        // SAFETY: the caller's string.
        let options = unsafe { mem::read_wide(wsz_restore_options) };
        // SAFETY: the caller's strings, passed on.
        unsafe {
            self.edit(
                "SetRestoreOptions",
                true,
                writer_id,
                ct,
                wsz_logical_path,
                wsz_component_name,
                |d| d.restore_options = options,
            )
        }
    }

    unsafe fn SetAdditionalRestores(
        &self,
        writer_id: GUID,
        ct: i32,
        wsz_logical_path: *const u16,
        wsz_component_name: *const u16,
        b_additional_restores: u8,
    ) -> HRESULT {
        // SAFETY: the caller's strings, passed on.
        unsafe {
            self.edit(
                "SetAdditionalRestores",
                true,
                writer_id,
                ct,
                wsz_logical_path,
                wsz_component_name,
                |d| d.additional_restores = Some(b_additional_restores != 0),
            )
        }
    }

    unsafe fn SetFileRestoreStatus(
        &self,
        writer_id: GUID,
        ct: i32,
        wsz_logical_path: *const u16,
        wsz_component_name: *const u16,
        status: i32,
    ) -> HRESULT {
        // A queued fault comes before the argument and sequence checks.
        if let Some(hr) = self.queued("SetFileRestoreStatus") {
            return hr;
        }
        {
            // Only between PreRestore and PostRestore, as documented.
            let s = lock(&self.session);
            if s.restore != Some(RestorePhase::PreRestored) {
                drop(s);
                lock(&self.system).record("SetFileRestoreStatus", VSS_E_BAD_STATE);
                return VSS_E_BAD_STATE;
            }
        }
        if !(1..=3).contains(&status) {
            lock(&self.system).record("SetFileRestoreStatus", E_INVALIDARG);
            return E_INVALIDARG;
        }
        // SAFETY: the caller's strings, passed on.
        unsafe {
            self.edit(
                "SetFileRestoreStatus",
                true,
                writer_id,
                ct,
                wsz_logical_path,
                wsz_component_name,
                |d| d.file_restore_status = status,
            )
        }
    }

    unsafe fn AddNewTarget(
        &self,
        writer_id: GUID,
        ct: i32,
        wsz_logical_path: *const u16,
        wsz_component_name: *const u16,
        wsz_path: *const u16,
        wsz_file_name: *const u16,
        b_recursive: u8,
        wsz_alternate_path: *const u16,
    ) -> HRESULT {
        // SAFETY: the caller's strings.
        let target = unsafe {
            super::system::FakeFileSet {
                path: mem::read_wide(wsz_path),
                filespec: mem::read_wide(wsz_file_name),
                recursive: b_recursive != 0,
                alternate_location: mem::read_wide(wsz_alternate_path),
                backup_type_mask: 0,
            }
        };
        // SAFETY: the caller's strings, passed on.
        unsafe {
            self.edit(
                "AddNewTarget",
                true,
                writer_id,
                ct,
                wsz_logical_path,
                wsz_component_name,
                |d| d.new_targets.push(target),
            )
        }
    }

    unsafe fn SaveAsXML(&self, pbstr_xml: *mut *mut u16) -> HRESULT {
        self.step("SaveAsXML", |_, s| {
            // The document exists once components are chosen (or a restore loaded it).
            if !s.live() || (s.restore.is_none() && s.stage < Stage::MetadataGathered) {
                return VSS_E_BAD_STATE;
            }
            let xml = super::document::save(&super::document::lock_doc(&s.doc));
            // SAFETY: checked by `put`; the BSTR passes to the caller.
            if unsafe { put(pbstr_xml, mem::Bstr::new(&xml).into_raw()) } {
                S_OK
            } else {
                E_INVALIDARG
            }
        })
    }

    unsafe fn PreRestore(&self, pp_async: *mut *mut c_void) -> HRESULT {
        self.start(
            "PreRestore",
            pp_async,
            |_, s| {
                if s.restore == Some(RestorePhase::Initialized)
                    && s.stage == Stage::MetadataGathered
                {
                    S_OK
                } else {
                    VSS_E_BAD_STATE
                }
            },
            |sys, s, failure| {
                if failure.is_none() {
                    s.restore = Some(RestorePhase::PreRestored);
                    // The database writer notes what it restores from (SetRestoreMetadata).
                    for_database_components(sys, s, |d| {
                        if !d.backup_metadata.is_empty() {
                            d.restore_metadata = format!("restoring from {}", d.backup_metadata);
                        }
                    });
                }
                Plan {
                    rollback: Vec::new(),
                    cancellable: true,
                }
            },
        )
    }

    unsafe fn PostRestore(&self, pp_async: *mut *mut c_void) -> HRESULT {
        self.start(
            "PostRestore",
            pp_async,
            |_, s| {
                if s.restore == Some(RestorePhase::PreRestored) {
                    S_OK
                } else {
                    VSS_E_BAD_STATE
                }
            },
            |sys, s, failure| {
                if failure.is_none() {
                    s.restore = Some(RestorePhase::PostRestored);
                    // The database writer cannot recover a database whose files the requester
                    // reported as partly restored, and says why (SetPostRestoreFailureMsg).
                    for_database_components(sys, s, |d| {
                        if d.file_restore_status == 3 {
                            d.post_restore_failure = format!(
                                "{}: the restored files are incomplete; the database was not recovered",
                                d.name
                            );
                        }
                    });
                }
                Plan {
                    rollback: Vec::new(),
                    cancellable: true,
                }
            },
        )
    }

    unsafe fn InitializeForBackup(&self, bstr_xml: *mut u16) -> HRESULT {
        let _ = bstr_xml;
        self.step("InitializeForBackup", |_, s| {
            if s.stage != Stage::Created {
                return VSS_E_BAD_STATE;
            }
            s.stage = Stage::Initialized;
            S_OK
        })
    }

    unsafe fn SetContext(&self, l_context: i32) -> HRESULT {
        self.step("SetContext", |_, s| {
            if !matches!(s.stage, Stage::Initialized | Stage::MetadataGathered) {
                return VSS_E_BAD_STATE;
            }
            if l_context < 0 {
                return E_INVALIDARG;
            }
            s.context = l_context;
            S_OK
        })
    }

    unsafe fn SetBackupState(&self, a: u8, b: u8, backup_type: i32, c: u8) -> HRESULT {
        let _ = (b, c);
        self.step("SetBackupState", |_, s| {
            if s.restore.is_some()
                || !matches!(s.stage, Stage::Initialized | Stage::MetadataGathered)
            {
                return VSS_E_BAD_STATE;
            }
            if !(1..=6).contains(&backup_type) {
                return E_INVALIDARG;
            }
            s.backup_state_set = true;
            s.backup_type = backup_type;
            s.select_components = a != 0;
            S_OK
        })
    }

    unsafe fn GatherWriterMetadata(&self, p_async: *mut *mut c_void) -> HRESULT {
        self.start(
            "GatherWriterMetadata",
            p_async,
            |_, s| {
                if matches!(s.stage, Stage::Initialized | Stage::MetadataGathered) {
                    S_OK
                } else {
                    VSS_E_BAD_STATE
                }
            },
            |_, s, failure| {
                if failure.is_none() {
                    s.stage = Stage::MetadataGathered;
                }
                Plan {
                    rollback: Vec::new(),
                    cancellable: true,
                }
            },
        )
    }

    unsafe fn GetWriterMetadataCount(&self, pc_writers: *mut u32) -> HRESULT {
        self.step("GetWriterMetadataCount", |sys, s| {
            if s.stage < Stage::MetadataGathered || !s.live() {
                return VSS_E_BAD_STATE;
            }
            // SAFETY: the caller's out-parameter.
            if unsafe { put(pc_writers, sys.writers.len() as u32) } {
                S_OK
            } else {
                E_INVALIDARG
            }
        })
    }

    unsafe fn GetWriterMetadata(
        &self,
        i_writer: u32,
        pid_instance: *mut GUID,
        pp_metadata: *mut *mut c_void,
    ) -> HRESULT {
        self.step("GetWriterMetadata", |sys, s| {
            if s.stage < Stage::MetadataGathered || !s.live() {
                return VSS_E_BAD_STATE;
            }
            let Some(w) = sys.writers.get(i_writer as usize) else {
                return E_INVALIDARG;
            };
            if pid_instance.is_null() || pp_metadata.is_null() {
                return E_INVALIDARG;
            }
            let m: IVssExamineWriterMetadata =
                super::metadata::examine(w, Faults(self.system.clone()));
            // SAFETY: both out-parameters were checked non-null above.
            unsafe {
                put(pid_instance, w.instance_id);
                put(pp_metadata, m.into_raw());
            }
            S_OK
        })
    }

    unsafe fn FreeWriterMetadata(&self) -> HRESULT {
        self.step("FreeWriterMetadata", |_, s| {
            if s.stage >= Stage::MetadataGathered && s.live() {
                S_OK
            } else {
                VSS_E_BAD_STATE
            }
        })
    }

    unsafe fn StartSnapshotSet(&self, p_snapshot_set_id: *mut GUID) -> HRESULT {
        self.step("StartSnapshotSet", |sys, s| {
            if s.stage != Stage::MetadataGathered {
                return VSS_E_BAD_STATE;
            }
            let id = sys.new_id();
            // SAFETY: the caller's out-parameter.
            if !unsafe { put(p_snapshot_set_id, id) } {
                return E_INVALIDARG;
            }
            s.set_id = Some(id);
            s.stage = Stage::SetStarted;
            S_OK
        })
    }

    unsafe fn AddToSnapshotSet(
        &self,
        pwsz_volume_name: *mut u16,
        provider_id: GUID,
        pid_snapshot: *mut GUID,
    ) -> HRESULT {
        let _ = provider_id;
        // SAFETY: the caller passes a NUL-terminated volume name (or null).
        let volume = unsafe { mem::read_wide(pwsz_volume_name) };
        self.step("AddToSnapshotSet", |sys, s| {
            if s.stage != Stage::SetStarted {
                return VSS_E_BAD_STATE;
            }
            if pid_snapshot.is_null() || volume.is_empty() {
                return E_INVALIDARG;
            }
            if !sys.has_volume(&volume) {
                return VSS_E_OBJECT_NOT_FOUND;
            }
            let id = sys.new_id();
            // SAFETY: checked non-null above.
            unsafe { put(pid_snapshot, id) };
            s.members.push((id, volume.clone()));
            S_OK
        })
    }

    unsafe fn PrepareForBackup(&self, pp_async: *mut *mut c_void) -> HRESULT {
        self.start(
            "PrepareForBackup",
            pp_async,
            |_, s| {
                if s.stage == Stage::SetStarted && !s.members.is_empty() && s.backup_state_set {
                    S_OK
                } else {
                    VSS_E_BAD_STATE
                }
            },
            |sys, s, failure| {
                s.stage = if failure.is_none() {
                    Stage::Prepared
                } else {
                    Stage::Failed
                };
                // The database writer stores where its logs stand with each component
                // (SetBackupMetadata); the others store nothing. In an incremental or
                // differential backup it backs up only the changed ranges of its database
                // (AddPartialFile) and the logs written since the last one
                // (AddDifferencedFilesByLastModifyLSN).
                if failure.is_none() {
                    let partial = matches!(s.backup_type, 2 | 3);
                    for_database_components(sys, s, |d| {
                        d.backup_metadata = format!("{}: log sequence 4711", d.name);
                        if partial {
                            d.partial_files = vec![super::document::PartialFile {
                                path: "D:\\db".into(),
                                filename: format!("{}.mdf", d.name),
                                ranges: "0:65536,1048576:65536".into(),
                                metadata: String::new(),
                                ranges_file: String::new(),
                            }];
                            d.differenced_files = vec![(
                                "D:\\db\\logs".into(),
                                format!("{}.ldf", d.name),
                                false,
                                "4711".into(),
                            )];
                        }
                    });
                }
                Plan {
                    rollback: Vec::new(),
                    cancellable: true,
                }
            },
        )
    }

    unsafe fn DoSnapshotSet(&self, pp_async: *mut *mut c_void) -> HRESULT {
        self.start(
            "DoSnapshotSet",
            pp_async,
            |_, s| {
                if s.stage == Stage::Prepared {
                    S_OK
                } else {
                    VSS_E_BAD_STATE
                }
            },
            |sys, s, failure| {
                if failure.is_some() {
                    s.stage = Stage::Failed;
                    return Plan {
                        rollback: Vec::new(),
                        cancellable: true,
                    };
                }
                let set_id = s.set_id.unwrap_or_else(GUID::zeroed);
                let persistent = s.persistent();
                let mut made = Vec::new();
                for (id, volume) in &s.members {
                    let device = sys
                        .freeze
                        .clone()
                        .and_then(|f| freeze(&f, volume, sys.snapshots.len() + made.len() + 1));
                    sys.snapshots.push(FakeSnapshot {
                        id: *id,
                        set_id,
                        volume: volume.clone(),
                        persistent,
                        owner: s.id,
                        device,
                        exposed: None,
                        hardware: sys.hardware_provider,
                    });
                    made.push(*id);
                }
                if let Some(Some(touch)) = sys.freeze.as_ref().map(|f| f.touch.clone()) {
                    let _ = std::fs::write(touch, "changed after the snapshot\n");
                }
                let mut failed = Vec::new();
                for w in &mut sys.writers {
                    if let Some(code) = w.pending_failure.take() {
                        w.failure = code.hresult();
                        w.state = WRITER_FAILED_AT_FREEZE;
                        failed.push((
                            w.instance_id,
                            w.failure,
                            w.application_failure,
                            w.application_message.clone(),
                        ));
                    }
                }
                s.stage = Stage::Snapshotted;
                // A failed writer reports the failure on each of its components
                // (IVssComponentEx2::SetFailure).
                for d in super::document::lock_doc(&s.doc).iter_mut() {
                    if let Some((_, hr, app, msg)) = failed.iter().find(|f| f.0 == d.instance_id) {
                        d.failure = (*hr, *app, msg.clone());
                    }
                }
                // Each writer stamps its components in the document (PostSnapshot).
                for d in super::document::lock_doc(&s.doc).iter_mut() {
                    d.backup_stamp = format!("{}:{:032x}", d.name, set_id.to_u128());
                }
                Plan {
                    rollback: made,
                    cancellable: true,
                }
            },
        )
    }

    unsafe fn GetSnapshotProperties(
        &self,
        snapshot_id: GUID,
        p_prop: *mut VssSnapshotProp,
    ) -> HRESULT {
        self.step("GetSnapshotProperties", |sys, s| {
            if !s.live() {
                return VSS_E_BAD_STATE;
            }
            if p_prop.is_null() {
                return E_INVALIDARG;
            }
            let Some(snap) = sys.snapshots.iter().find(|x| x.id == snapshot_id) else {
                return VSS_E_OBJECT_NOT_FOUND;
            };
            let count = sys
                .snapshots
                .iter()
                .filter(|x| x.set_id == snap.set_id)
                .count() as i32;
            // SAFETY: checked non-null above.
            unsafe { put(p_prop, props(snap, count)) };
            S_OK
        })
    }

    unsafe fn BackupComplete(&self, pp_async: *mut *mut c_void) -> HRESULT {
        self.start(
            "BackupComplete",
            pp_async,
            |_, s| {
                if s.stage == Stage::Snapshotted {
                    S_OK
                } else {
                    VSS_E_BAD_STATE
                }
            },
            |_, s, failure| {
                if failure.is_none() {
                    s.stage = Stage::Completed;
                }
                Plan {
                    rollback: Vec::new(),
                    cancellable: true,
                }
            },
        )
    }

    unsafe fn GatherWriterStatus(&self, p_async: *mut *mut c_void) -> HRESULT {
        self.start(
            "GatherWriterStatus",
            p_async,
            |_, s| {
                if s.stage >= Stage::MetadataGathered && s.live() {
                    S_OK
                } else {
                    VSS_E_BAD_STATE
                }
            },
            |_, s, failure| {
                s.status_gathered = failure.is_none();
                Plan {
                    rollback: Vec::new(),
                    cancellable: true,
                }
            },
        )
    }

    unsafe fn GetWriterStatusCount(&self, pc_writers: *mut u32) -> HRESULT {
        self.step("GetWriterStatusCount", |sys, s| {
            if !s.status_gathered {
                return VSS_E_BAD_STATE;
            }
            // SAFETY: the caller's out-parameter.
            if unsafe { put(pc_writers, sys.writers.len() as u32) } {
                S_OK
            } else {
                E_INVALIDARG
            }
        })
    }

    unsafe fn GetWriterStatus(
        &self,
        i_writer: u32,
        pid_instance: *mut GUID,
        pid_writer: *mut GUID,
        pbstr_writer: *mut *mut u16,
        pn_status: *mut i32,
        ph_result_failure: *mut HRESULT,
    ) -> HRESULT {
        self.step("GetWriterStatus", |sys, s| {
            if !s.status_gathered {
                return VSS_E_BAD_STATE;
            }
            let Some(w) = sys.writers.get(i_writer as usize) else {
                return VSS_E_OBJECT_NOT_FOUND;
            };
            if pid_instance.is_null()
                || pid_writer.is_null()
                || pbstr_writer.is_null()
                || pn_status.is_null()
                || ph_result_failure.is_null()
            {
                return E_INVALIDARG;
            }
            // SAFETY: every out-parameter was checked non-null above.
            unsafe {
                put(pid_instance, w.instance_id);
                put(pid_writer, w.writer_id);
                put(pbstr_writer, mem::Bstr::new(&w.name).into_raw());
                put(pn_status, w.state);
                put(ph_result_failure, w.failure);
            }
            S_OK
        })
    }

    unsafe fn FreeWriterStatus(&self) -> HRESULT {
        self.step("FreeWriterStatus", |_, s| {
            if !s.status_gathered {
                return VSS_E_BAD_STATE;
            }
            s.status_gathered = false;
            S_OK
        })
    }

    unsafe fn AbortBackup(&self) -> HRESULT {
        self.step("AbortBackup", |sys, s| {
            if !s.live() {
                return VSS_E_BAD_STATE;
            }
            if let Some(set) = s.set_id {
                if s.stage < Stage::Completed {
                    sys.snapshots.retain(|x| x.set_id != set || x.persistent);
                }
            }
            s.stage = Stage::Aborted;
            S_OK
        })
    }

    unsafe fn DeleteSnapshots(
        &self,
        source_object_id: GUID,
        e_source_object_type: i32,
        b_force_delete: i32,
        pl_deleted_snapshots: *mut i32,
        p_nondeleted_snapshot_id: *mut GUID,
    ) -> HRESULT {
        let _ = b_force_delete;
        self.step("DeleteSnapshots", |sys, _| {
            if pl_deleted_snapshots.is_null() || p_nondeleted_snapshot_id.is_null() {
                return E_INVALIDARG;
            }
            let before = sys.snapshots.len();
            match e_source_object_type {
                VSS_OBJECT_SNAPSHOT => sys.snapshots.retain(|x| x.id != source_object_id),
                VSS_OBJECT_SNAPSHOT_SET => sys.snapshots.retain(|x| x.set_id != source_object_id),
                _ => return E_INVALIDARG,
            }
            let deleted = (before - sys.snapshots.len()) as i32;
            // SAFETY: both out-parameters were checked non-null above.
            unsafe {
                put(pl_deleted_snapshots, deleted);
                put(p_nondeleted_snapshot_id, GUID::zeroed());
            }
            if deleted == 0 {
                VSS_E_OBJECT_NOT_FOUND
            } else {
                S_OK
            }
        })
    }

    unsafe fn Query(
        &self,
        queried_object_id: GUID,
        e_queried_object_type: i32,
        e_returned_objects_type: i32,
        pp_enum: *mut *mut c_void,
    ) -> HRESULT {
        let _ = (queried_object_id, e_queried_object_type);
        self.step("Query", |sys, s| {
            if !s.live() {
                return VSS_E_BAD_STATE;
            }
            if pp_enum.is_null() || e_returned_objects_type != VSS_OBJECT_SNAPSHOT {
                return E_INVALIDARG;
            }
            let e = snapshot_enum(sys.snapshots.clone(), Faults(self.system.clone()));
            // SAFETY: checked non-null above.
            unsafe { put(pp_enum, e.into_raw()) };
            S_OK
        })
    }

    unsafe fn IsVolumeSupported(
        &self,
        provider_id: GUID,
        pwsz_volume_name: *mut u16,
        pb_supported_by_this_provider: *mut i32,
    ) -> HRESULT {
        let _ = provider_id;
        // SAFETY: the caller passes a NUL-terminated volume name (or null).
        let volume = unsafe { mem::read_wide(pwsz_volume_name) };
        self.step("IsVolumeSupported", |sys, s| {
            if !s.live() {
                return VSS_E_BAD_STATE;
            }
            if !sys.has_volume(&volume) {
                return VSS_E_OBJECT_NOT_FOUND;
            }
            // SAFETY: the caller's out-parameter.
            unsafe { put(pb_supported_by_this_provider, 1) };
            S_OK
        })
    }

    unsafe fn RevertToSnapshot(&self, snapshot_id: GUID, b_force_dismount: i32) -> HRESULT {
        let _ = b_force_dismount;
        self.step("RevertToSnapshot", |sys, _| {
            let Some(snap) = sys.snapshots.iter().find(|x| x.id == snapshot_id).cloned() else {
                return VSS_E_OBJECT_NOT_FOUND;
            };
            if sys
                .reverting
                .iter()
                .any(|v| v.eq_ignore_ascii_case(&snap.volume))
            {
                return VSS_E_REVERT_IN_PROGRESS;
            }
            sys.reverting.push(snap.volume);
            S_OK
        })
    }

    unsafe fn QueryRevertStatus(
        &self,
        pwsz_volume: *mut u16,
        pp_async: *mut *mut c_void,
    ) -> HRESULT {
        // SAFETY: the caller passes a NUL-terminated volume name (or null).
        let volume = unsafe { mem::read_wide(pwsz_volume) };
        self.start(
            "QueryRevertStatus",
            pp_async,
            |sys, _| {
                if sys.has_volume(&volume) {
                    S_OK
                } else {
                    VSS_E_OBJECT_NOT_FOUND
                }
            },
            |sys, _, failure| {
                if failure.is_none() {
                    sys.reverting.retain(|v| !v.eq_ignore_ascii_case(&volume));
                }
                Plan {
                    rollback: Vec::new(),
                    cancellable: false,
                }
            },
        )
    }
}

/// Freezes the machine's real folder into snapshot `n` of `volume`, when the folder is on it:
/// the device is `dir\shadowN`, holding the folder at its path below the volume.
fn freeze(f: &super::system::Freeze, volume: &str, n: usize) -> Option<String> {
    let source = f.source.to_string_lossy().to_string();
    let rest = super::super::workflow::components::map_into_snapshot(&source, volume, "")?;
    let device = f.dir.join(format!("shadow{n}"));
    let frozen = device.join(rest.trim_start_matches(['\\', '/']));
    super::system::copy_tree(&f.source, &frozen).ok()?;
    Some(device.to_string_lossy().to_string())
}

fn props(snap: &FakeSnapshot, count: i32) -> VssSnapshotProp {
    let mut p = VssSnapshotProp::zeroed();
    p.snapshot_id = snap.id;
    p.snapshot_set_id = snap.set_id;
    p.snapshots_count = count;
    p.snapshot_device_object = mem::task_wstr(&snap.device.clone().unwrap_or_else(|| {
        format!(
            "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy{}",
            snap.id.data4[7]
        )
    }));
    p.original_volume_name = mem::task_wstr(&snap.volume);
    p.originating_machine = mem::task_wstr("fake-vss");
    p.snapshot_attributes = if snap.persistent { 1 } else { 0 };
    p.status = 12; // VSS_SS_CREATED
    p
}

/// The state of one async operation.
struct AsyncState {
    method: String,
    result: HRESULT,
    polls_left: u32,
    cancelled: bool,
    cancellable: bool,
    rollback: Vec<GUID>,
    system: Arc<Mutex<System>>,
}

#[implement(IVssAsync)]
struct FakeAsync {
    state: Mutex<AsyncState>,
}

impl IVssAsync_Impl for FakeAsync_Impl {
    unsafe fn Cancel(&self) -> HRESULT {
        let mut st = lock(&self.state);
        if let Some(hr) = lock(&st.system).take_fault("IVssAsync", "Cancel", Phase::Call) {
            return hr;
        }
        let hr = if st.cancelled {
            VSS_S_ASYNC_CANCELLED
        } else if st.polls_left == 0 {
            VSS_S_ASYNC_FINISHED
        } else if !st.cancellable {
            VSS_E_UNEXPECTED
        } else {
            st.cancelled = true;
            let ids = std::mem::take(&mut st.rollback);
            lock(&st.system).snapshots.retain(|s| !ids.contains(&s.id));
            S_OK
        };
        let name = format!("{}.Cancel", st.method);
        lock(&st.system).record(&name, hr);
        hr
    }

    unsafe fn Wait(&self, dw_milliseconds: u32) -> HRESULT {
        let _ = dw_milliseconds;
        let st = lock(&self.state);
        let fault = lock(&st.system).take_fault("IVssAsync", "Wait", Phase::Call);
        fault.unwrap_or(S_OK)
    }

    unsafe fn QueryStatus(&self, p_hr_result: *mut HRESULT, p_reserved: *mut i32) -> HRESULT {
        let _ = p_reserved;
        let mut st = lock(&self.state);
        if let Some(hr) = lock(&st.system).take_fault("IVssAsync", "QueryStatus", Phase::Call) {
            return hr;
        }
        let status = if st.cancelled {
            VSS_S_ASYNC_CANCELLED
        } else if st.polls_left > 0 {
            st.polls_left -= 1;
            VSS_S_ASYNC_PENDING
        } else {
            st.result
        };
        // SAFETY: the caller's out-parameter.
        if unsafe { put(p_hr_result, status) } {
            S_OK
        } else {
            E_INVALIDARG
        }
    }
}

impl IVssBackupComponentsEx_Impl for FakeBackup_Impl {
    unsafe fn GetWriterMetadataEx(
        &self,
        i_writer: u32,
        pid_instance: *mut GUID,
        pp_metadata: *mut *mut c_void,
    ) -> HRESULT {
        if let Some(hr) = self.queued("GetWriterMetadataEx") {
            return hr;
        }
        // The Ex document is the same object, which answers for the Ex interfaces too.
        // SAFETY: the caller's out-parameters, passed on unchanged.
        let hr = unsafe {
            IVssBackupComponents_Impl::GetWriterMetadata(self, i_writer, pid_instance, pp_metadata)
        };
        // Logged under the name the caller used.
        if let Some(last) = lock(&self.system).log.last_mut() {
            if let Some(rest) = last.strip_prefix("GetWriterMetadata") {
                *last = format!("GetWriterMetadataEx{rest}");
            }
        }
        hr
    }

    unsafe fn SetSelectedForRestoreEx(
        &self,
        writer_id: GUID,
        ct: i32,
        wsz_logical_path: *const u16,
        wsz_component_name: *const u16,
        b_selected_for_restore: u8,
        instance_id: GUID,
    ) -> HRESULT {
        // SAFETY: the caller's strings, passed on.
        unsafe {
            self.edit(
                "SetSelectedForRestoreEx",
                true,
                writer_id,
                ct,
                wsz_logical_path,
                wsz_component_name,
                |d| {
                    d.selected_for_restore = b_selected_for_restore != 0;
                    if instance_id != GUID::zeroed() {
                        d.instance_id = instance_id;
                    }
                },
            )
        }
    }
}

impl IVssBackupComponentsEx2_Impl for FakeBackup_Impl {
    unsafe fn SetAuthoritativeRestore(
        &self,
        writer_id: GUID,
        ct: i32,
        wsz_logical_path: *const u16,
        wsz_component_name: *const u16,
        b_auth: u8,
    ) -> HRESULT {
        // SAFETY: the caller's strings, passed on.
        unsafe {
            self.edit(
                "SetAuthoritativeRestore",
                true,
                writer_id,
                ct,
                wsz_logical_path,
                wsz_component_name,
                |d| d.authoritative = b_auth != 0,
            )
        }
    }

    unsafe fn UnexposeSnapshot(&self, snapshot_id: GUID) -> HRESULT {
        self.unexpose(snapshot_id)
    }

    unsafe fn SetRollForward(
        &self,
        writer_id: GUID,
        ct: i32,
        wsz_logical_path: *const u16,
        wsz_component_name: *const u16,
        roll_type: i32,
        wsz_roll_forward_point: *const u16,
    ) -> HRESULT {
        // A queued fault comes before the argument and sequence checks.
        if let Some(hr) = self.queued("SetRollForward") {
            return hr;
        }
        // VSS_RF_UNDEFINED, NONE, ALL, PARTIAL.
        if !(0..=3).contains(&roll_type) {
            lock(&self.system).record("SetRollForward", E_INVALIDARG);
            return E_INVALIDARG;
        }
        // SAFETY: the caller's string (NULL reads as empty).
        let point = unsafe { mem::read_wide(wsz_roll_forward_point) };
        // SAFETY: the caller's strings, passed on.
        unsafe {
            self.edit(
                "SetRollForward",
                true,
                writer_id,
                ct,
                wsz_logical_path,
                wsz_component_name,
                |d| d.roll_forward = (roll_type, point),
            )
        }
    }

    unsafe fn SetRestoreName(
        &self,
        writer_id: GUID,
        ct: i32,
        wsz_logical_path: *const u16,
        wsz_component_name: *const u16,
        wsz_restore_name: *const u16,
    ) -> HRESULT {
        // SAFETY: the caller's string (NULL reads as empty).
        let name = unsafe { mem::read_wide(wsz_restore_name) };
        // SAFETY: the caller's strings, passed on.
        unsafe {
            self.edit(
                "SetRestoreName",
                true,
                writer_id,
                ct,
                wsz_logical_path,
                wsz_component_name,
                |d| d.restore_name = name,
            )
        }
    }

    unsafe fn BreakSnapshotSetEx(
        &self,
        snapshot_set_id: GUID,
        dw_break_flags: u32,
        pp_async: *mut *mut c_void,
    ) -> HRESULT {
        // VSS_BREAKEX_FLAG_MASK_LUNS, _MAKE_READ_WRITE, _REVERT_IDENTITY_ALL, _NONE: masking
        // the LUNs excludes the other three.
        let valid =
            dw_break_flags & !0xF == 0 && !(dw_break_flags & 1 != 0 && dw_break_flags & 0xE != 0);
        self.start(
            "BreakSnapshotSetEx",
            pp_async,
            |sys, _| {
                if !valid {
                    E_INVALIDARG
                } else {
                    breakable(sys, snapshot_set_id)
                }
            },
            |sys, _, failure| {
                // The volumes stay; they are no longer shadow copies VSS manages.
                if failure.is_none() {
                    sys.snapshots.retain(|x| x.set_id != snapshot_set_id);
                }
                Plan {
                    rollback: Vec::new(),
                    cancellable: false,
                }
            },
        )
    }

    // Documented as "not supported, reserved for future use": E_NOTIMPL, as Windows answers.
    not_implemented! {
        "IVssBackupComponentsEx2";
        fn PreFastRecovery(&self, snapshot_set_id: GUID, dw_pre_fast_recovery_flags: u32, pp_async: *mut *mut c_void);
        fn FastRecovery(&self, snapshot_set_id: GUID, dw_fast_recovery_flags: u32, pp_async: *mut *mut c_void);
    }
}

impl FakeBackup_Impl {
    fn unexpose(&self, snapshot_id: GUID) -> HRESULT {
        let mut sys = lock(&self.system);
        let s = lock(&self.session);
        let hr = match sys.take_fault("IVssBackupComponentsEx2", "UnexposeSnapshot", Phase::Call) {
            Some(hr) => hr,
            None if s.restore.is_some() || s.stage == Stage::Created => VSS_E_BAD_STATE,
            None => match sys
                .snapshots
                .iter_mut()
                .find(|x| x.id == snapshot_id && x.exposed.is_some())
            {
                Some(snap) => {
                    snap.exposed = None;
                    S_OK
                }
                None => VSS_E_OBJECT_NOT_FOUND,
            },
        };
        sys.record("UnexposeSnapshot", hr);
        hr
    }
}

impl IVssBackupComponentsEx3_Impl for FakeBackup_Impl {
    unsafe fn GetSessionId(&self, id_session: *mut GUID) -> HRESULT {
        let mut sys = lock(&self.system);
        let s = lock(&self.session);
        let hr = match sys.take_fault("IVssBackupComponentsEx3", "GetSessionId", Phase::Call) {
            Some(hr) => hr,
            // SAFETY: checked by `put`.
            None if unsafe {
                put(
                    id_session,
                    GUID::from_u128(0x5653_5345_5353_4000_8000_0000_0000_0000 | s.id as u128),
                )
            } =>
            {
                S_OK
            }
            None => E_INVALIDARG,
        };
        sys.record("GetSessionId", hr);
        hr
    }

    unsafe fn GetWriterStatusEx(
        &self,
        i_writer: u32,
        pid_instance: *mut GUID,
        pid_writer: *mut GUID,
        pbstr_writer: *mut *mut u16,
        pn_status: *mut i32,
        phr_failure_writer: *mut HRESULT,
        phr_application: *mut HRESULT,
        pbstr_application_message: *mut *mut u16,
    ) -> HRESULT {
        self.step("GetWriterStatusEx", |sys, s| {
            if !s.status_gathered {
                return VSS_E_BAD_STATE;
            }
            let Some(w) = sys.writers.get(i_writer as usize) else {
                return VSS_E_OBJECT_NOT_FOUND;
            };
            if pid_instance.is_null()
                || pid_writer.is_null()
                || pbstr_writer.is_null()
                || pn_status.is_null()
                || phr_failure_writer.is_null()
            {
                return E_INVALIDARG;
            }
            // SAFETY: the required out-parameters were checked non-null above; the optional
            // ones are written only when given (`put` checks).
            unsafe {
                put(pid_instance, w.instance_id);
                put(pid_writer, w.writer_id);
                put(pbstr_writer, mem::Bstr::new(&w.name).into_raw());
                put(pn_status, w.state);
                put(phr_failure_writer, w.failure);
                put(phr_application, w.application_failure);
                if !pbstr_application_message.is_null() {
                    let message = if w.application_message.is_empty() {
                        core::ptr::null_mut()
                    } else {
                        mem::Bstr::new(&w.application_message).into_raw()
                    };
                    put(pbstr_application_message, message);
                }
            }
            S_OK
        })
    }

    unsafe fn AddSnapshotToRecoverySet(
        &self,
        snapshot_id: GUID,
        dw_flags: u32,
        pwsz_destination_volume: *mut u16,
    ) -> HRESULT {
        let _ = (dw_flags, pwsz_destination_volume);
        // LUN resynchronization needs a hardware provider's snapshot.
        self.step("AddSnapshotToRecoverySet", |sys, s| {
            if s.restore.is_none() {
                return VSS_E_BAD_STATE;
            }
            match sys.snapshots.iter().find(|x| x.id == snapshot_id) {
                None => VSS_E_SNAPSHOT_NOT_IN_SET,
                Some(x) if !x.hardware => VSS_E_BAD_STATE,
                Some(_) => {
                    if !s.recovery_set.contains(&snapshot_id) {
                        s.recovery_set.push(snapshot_id);
                    }
                    S_OK
                }
            }
        })
    }

    unsafe fn RecoverSet(&self, dw_flags: u32, pp_async: *mut *mut c_void) -> HRESULT {
        let _ = dw_flags;
        // In a restore, once AddSnapshotToRecoverySet named what to resynchronize.
        self.start(
            "RecoverSet",
            pp_async,
            |_, s| {
                if s.restore.is_some() && !s.recovery_set.is_empty() {
                    S_OK
                } else {
                    VSS_E_BAD_STATE
                }
            },
            |_, s, failure| {
                if failure.is_none() {
                    s.recovery_set.clear();
                }
                Plan {
                    rollback: Vec::new(),
                    cancellable: false,
                }
            },
        )
    }
}

impl IVssBackupComponentsEx4_Impl for FakeBackup_Impl {
    unsafe fn GetRootAndLogicalPrefixPaths(
        &self,
        pwsz_file_path: *mut u16,
        ppwsz_root_path: *mut *mut u16,
        ppwsz_logical_prefix: *mut *mut u16,
        b_normalize_fqd_nfor_root_path: i32,
    ) -> HRESULT {
        // SAFETY: the caller's string (NULL reads as empty).
        let path = unsafe { mem::read_wide(pwsz_file_path) };
        self.step("GetRootAndLogicalPrefixPaths", |sys, _| {
            if ppwsz_root_path.is_null() || ppwsz_logical_prefix.is_null() {
                return E_INVALIDARG;
            }
            let Some((root, prefix)) =
                root_and_logical_prefix(sys, &path, b_normalize_fqd_nfor_root_path != 0)
            else {
                return E_INVALIDARG;
            };
            // SAFETY: checked non-null; the strings pass to the caller.
            unsafe {
                put(ppwsz_root_path, mem::task_wstr(&root));
                put(ppwsz_logical_prefix, mem::task_wstr(&prefix));
            }
            S_OK
        })
    }
}

/// The fake's domain, for fully qualified server names.
const DOMAIN: &str = "corp.example";

/// `GetRootAndLogicalPrefixPaths`: a local path's volume (its mount point and its
/// `\\?\Volume{…}\` name), or a UNC path's share (its root, with the server as a host
/// name or fully qualified, and the fully evaluated share path); `None` for a path on no
/// volume of the machine or not a path at all.
pub(crate) fn root_and_logical_prefix(
    sys: &System,
    path: &str,
    fully_qualified: bool,
) -> Option<(String, String)> {
    if let Some(rest) = path
        .strip_prefix("\\\\")
        .filter(|_| !path.starts_with("\\\\?\\"))
    {
        let mut parts = rest.split('\\');
        let (server, share) = (parts.next()?, parts.next()?);
        if server.is_empty() || share.is_empty() {
            return None;
        }
        let is_ip = server.chars().all(|c| c.is_ascii_digit() || c == '.');
        let host = if is_ip {
            server
        } else {
            server.split('.').next()?
        };
        let fqdn = if is_ip {
            server.to_string()
        } else {
            format!("{host}.{DOMAIN}")
        };
        let root_server = if fully_qualified { fqdn.as_str() } else { host };
        return Some((
            format!("\\\\{root_server}\\{share}\\"),
            format!("\\\\{fqdn}\\{share}\\"),
        ));
    }
    let mut with_slash = path.to_string();
    if !with_slash.ends_with('\\') {
        with_slash.push('\\');
    }
    let volume = sys
        .volumes
        .iter()
        .filter(|v| {
            with_slash.len() >= v.len()
                && with_slash.is_char_boundary(v.len())
                && with_slash[..v.len()].eq_ignore_ascii_case(v)
        })
        .max_by_key(|v| v.len())?;
    Some((volume.clone(), super::management::volume_name(volume)))
}

/// `EnableWriterClasses`, `DisableWriterClasses`, `DisableWriterInstances`: after
/// `InitializeForBackup`, before `GatherWriterMetadata`, never in a restore.
fn writer_filter(_: &mut System, s: &mut Session) -> HRESULT {
    if s.restore.is_some() || s.stage != Stage::Initialized {
        return VSS_E_BAD_STATE;
    }
    S_OK
}

/// Whether the document's components can be read: in a component-mode backup once
/// PrepareForBackup started, in a restore once PreRestore finished (as documented).
fn components_readable(s: &Session) -> bool {
    match s.restore {
        Some(p) => p >= RestorePhase::PreRestored,
        None => s.select_components && s.stage >= Stage::Prepared && s.live(),
    }
}

/// The writers with components in the document, in the order of the machine's writers.
fn writers_in_document(sys: &System, s: &Session) -> Vec<(GUID, GUID)> {
    let doc = super::document::lock_doc(&s.doc);
    sys.writers
        .iter()
        .filter(|w| doc.iter().any(|d| d.instance_id == w.instance_id))
        .map(|w| (w.instance_id, w.writer_id))
        .collect()
}

/// An enumerator over these snapshots (as `Query` and `QuerySnapshotsByVolume` return).
pub(crate) fn snapshot_enum(items: Vec<FakeSnapshot>, faults: Faults) -> IVssEnumObject {
    FakeEnum {
        cursor: Cursor::new(items),
        faults,
    }
    .into()
}

#[implement(IVssEnumObject)]
struct FakeEnum {
    cursor: Cursor<FakeSnapshot>,
    faults: Faults,
}

impl IVssEnumObject_Impl for FakeEnum_Impl {
    unsafe fn Next(
        &self,
        celt: u32,
        rgelt: *mut VssObjectProp,
        pcelt_fetched: *mut u32,
    ) -> HRESULT {
        queued!(self.faults, ENUM_OBJECT, "Next");
        // SAFETY: the caller's buffers, as the COM contract of `Next` gives them.
        unsafe {
            self.cursor.next(celt, rgelt, pcelt_fetched, |snap, all| {
                let count = all.iter().filter(|x| x.set_id == snap.set_id).count() as i32;
                VssObjectProp {
                    object_type: VSS_OBJECT_SNAPSHOT,
                    obj: props(snap, count),
                }
            })
        }
    }

    unsafe fn Skip(&self, celt: u32) -> HRESULT {
        queued!(self.faults, ENUM_OBJECT, "Skip");
        self.cursor.skip(celt)
    }

    unsafe fn Reset(&self) -> HRESULT {
        queued!(self.faults, ENUM_OBJECT, "Reset");
        self.cursor.reset()
    }

    unsafe fn Clone(&self, ppenum: *mut *mut c_void) -> HRESULT {
        queued!(self.faults, ENUM_OBJECT, "Clone");
        if ppenum.is_null() {
            return E_POINTER;
        }
        let e: IVssEnumObject = FakeEnum {
            cursor: self.cursor.fork(),
            faults: self.faults.clone(),
        }
        .into();
        // SAFETY: checked non-null above.
        unsafe { put(ppenum, e.into_raw()) };
        S_OK
    }
}

/// Runs `f` on each of the document's components that the fake's database writer manages:
/// what its event handlers write (backup and restore metadata, partial and differenced files,
/// a restore failure message); the other writers write nothing there.
fn for_database_components(
    sys: &System,
    s: &Session,
    mut f: impl FnMut(&mut super::document::DocComponent),
) {
    let Some(db) = sys.writers.iter().find(|w| w.name == "Database Writer") else {
        return;
    };
    for d in super::document::lock_doc(&s.doc).iter_mut() {
        if d.instance_id == db.instance_id {
            f(d);
        }
    }
}

/// Whether `BreakSnapshotSet(Ex)` may break the set: it exists, and a hardware provider made
/// it (a software provider's shadow copies cannot be broken: `VSS_E_PROVIDER_VETO`).
fn breakable(sys: &System, set_id: GUID) -> HRESULT {
    let mut members = sys
        .snapshots
        .iter()
        .filter(|x| x.set_id == set_id)
        .peekable();
    if members.peek().is_none() {
        VSS_E_OBJECT_NOT_FOUND
    } else if members.all(|x| x.hardware) {
        S_OK
    } else {
        VSS_E_PROVIDER_VETO
    }
}
