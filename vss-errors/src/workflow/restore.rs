//! A restore session through the writers, as types: `InitializeForRestore` from the saved
//! backup components document, writer metadata, components selected for restore (with
//! options and new targets), `PreRestore`, the caller's copy guided by a plan that honours
//! each writer's restore method and alternate locations, `SetFileRestoreStatus` per
//! component, then `PostRestore` — always, once `PreRestore` succeeded, also when the copy
//! failed or the session is dropped early — and a report per writer and component.

use super::components::{ComponentKey, MappedFileSet, Selection};
use super::retry::Advised;
use crate::catalog::{Method, Retry};
use crate::code::Code;
use crate::com::model::{
    FileRestoreStatus, RestoreMethod, RestoreTarget, RollForwardType, WriterInfo,
};
use crate::com::{AsyncError, BackupComponents, WriterStatus, WriterStatusesError};
use crate::error::{AnyError, MethodError};
use crate::methods::*;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

/// Why a restore step failed, with the method's own typed error.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RestoreError {
    /// A synchronous call (`InitializeForRestore`, `SetSelectedForRestore`, reading
    /// metadata or the document, …).
    Call(AnyError),
    /// `GatherWriterMetadata`.
    GatherWriterMetadata(AsyncError<GatherWriterMetadataError>),
    /// `PreRestore`.
    PreRestore(AsyncError<PreRestoreError>),
    /// `PostRestore`.
    PostRestore(AsyncError<PostRestoreError>),
    /// `GatherWriterStatus`.
    GatherWriterStatus(AsyncError<GatherWriterStatusError>),
    /// Reading the writers' status.
    WriterStatus(WriterStatusesError),
}

fn call<E: MethodError>(e: E) -> RestoreError {
    RestoreError::Call(AnyError::new(e))
}

fn parts_of<E: MethodError>(e: &AsyncError<E>) -> (&'static Method, Option<Code>, Option<Retry>) {
    match e.method_error() {
        Some(m) => (
            E::method(),
            m.entry().map(|x| x.code),
            m.entry().and_then(|x| x.retry),
        ),
        None => (E::method(), None, None),
    }
}

impl RestoreError {
    fn parts(&self) -> (&'static Method, Option<Code>, Option<Retry>) {
        match self {
            RestoreError::Call(e) => (
                e.method(),
                e.entry().map(|x| x.code),
                e.entry().and_then(|x| x.retry),
            ),
            RestoreError::GatherWriterMetadata(e) => parts_of(e),
            RestoreError::PreRestore(e) => parts_of(e),
            RestoreError::PostRestore(e) => parts_of(e),
            RestoreError::GatherWriterStatus(e) => parts_of(e),
            RestoreError::WriterStatus(_) => (GetWriterStatusError::METHOD, None, None),
        }
    }
}

/// Names the step; the call's error is the [`source`](std::error::Error::source).
impl fmt::Display for RestoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RestoreError::WriterStatus(_) => {
                write!(f, "the restore failed reading the writers' status")
            }
            _ => write!(f, "the restore failed at {}", self.parts().0.name),
        }
    }
}

impl std::error::Error for RestoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(match self {
            RestoreError::Call(e) => e,
            RestoreError::GatherWriterMetadata(e) => e,
            RestoreError::PreRestore(e) => e,
            RestoreError::PostRestore(e) => e,
            RestoreError::GatherWriterStatus(e) => e,
            RestoreError::WriterStatus(e) => e,
        })
    }
}

impl Advised for RestoreError {
    fn method(&self) -> &'static Method {
        self.parts().0
    }
    fn code(&self) -> Option<Code> {
        self.parts().1
    }
    fn advice(&self) -> Option<Retry> {
        self.parts().2
    }
}

/// Stage markers of a restore session.
pub mod stage {
    /// Nothing called yet.
    #[derive(Debug)]
    pub struct Created;
    /// The document loaded and the writers' metadata gathered: select components now.
    #[derive(Debug)]
    pub struct Loaded;
    /// `PreRestore` succeeded: copy the files, report each component's status.
    #[derive(Debug)]
    pub struct PreRestored;
}
use stage::*;

/// Where one file set of a component goes back to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoreFileSet {
    /// The file set as backed up (its live path).
    pub backed_up: MappedFileSet,
    /// Where to write it: the original folder, a new target the requester added, or the
    /// writer's alternate location.
    pub destination: String,
}

/// What to restore for one selected component, and how the writer wants it done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestorePlan {
    /// The component.
    pub key: ComponentKey,
    /// The writer's restore method.
    pub method: RestoreMethod,
    /// Whether the writer needs a reboot afterwards.
    pub reboot_required: bool,
    /// Where the component is restored (`GetRestoreTarget`).
    pub target: RestoreTarget,
    /// Each file set and its destination.
    pub files: Vec<RestoreFileSet>,
}

/// What the restore did for one component, as the writer reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoredComponent {
    /// The component.
    pub key: ComponentKey,
    /// The writer's restore method.
    pub method: RestoreMethod,
    /// Whether the writer needs a reboot.
    pub reboot_required: bool,
    /// The status the requester set.
    pub status: FileRestoreStatus,
    /// The writer's `PreRestore` failure message (empty when none).
    pub pre_restore_failure: String,
    /// The writer's `PostRestore` failure message (empty when none).
    pub post_restore_failure: String,
}

/// A finished restore: each component's result and the writers that failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoreReport {
    /// Every selected component.
    pub components: Vec<RestoredComponent>,
    /// Writers in a failed state after `PostRestore`.
    pub failed_writers: Vec<WriterStatus>,
}

impl RestoreReport {
    /// Whether anything failed: a component not fully restored, a writer's failure message,
    /// or a failed writer.
    pub fn is_partial(&self) -> bool {
        !self.failed_writers.is_empty()
            || self.components.iter().any(|c| {
                c.status != FileRestoreStatus::All
                    || !c.pre_restore_failure.is_empty()
                    || !c.post_restore_failure.is_empty()
            })
    }
}

struct Inner {
    backup: BackupComponents,
    document: String,
    limit: Duration,
    writers: Vec<WriterInfo>,
    selected: Vec<(ComponentKey, Option<FileRestoreStatus>)>,
    /// PreRestore succeeded and PostRestore has not run: dropping calls it.
    post_pending: bool,
}

impl Drop for Inner {
    /// PostRestore once PreRestore succeeded, as documented, even when the caller stops.
    fn drop(&mut self) {
        if self.post_pending {
            self.post_pending = false;
            let _ = crate::com::finish(self.backup.post_restore(), self.limit);
        }
    }
}

/// A restore session at stage `S`.
pub struct RestoreSession<S> {
    inner: Inner,
    _stage: PhantomData<S>,
}

impl<S> fmt::Debug for RestoreSession<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RestoreSession")
            .field("stage", &std::any::type_name::<S>())
            .field("selected", &self.inner.selected.len())
            .finish()
    }
}

impl<S> RestoreSession<S> {
    fn next<T>(self) -> RestoreSession<T> {
        let RestoreSession { inner, .. } = self;
        RestoreSession {
            inner,
            _stage: PhantomData,
        }
    }

    /// The writers' metadata (after `load`).
    pub fn writers(&self) -> &[WriterInfo] {
        &self.inner.writers
    }

    /// The object the session drives.
    pub fn backup_components(&self) -> &BackupComponents {
        &self.inner.backup
    }
}

impl RestoreSession<Created> {
    /// A restore from `document` (the `SaveAsXML` of the backup) on `backup`.
    pub fn new(backup: BackupComponents, document: &str, step_limit: Duration) -> Self {
        RestoreSession {
            inner: Inner {
                backup,
                document: document.to_string(),
                limit: step_limit,
                writers: Vec::new(),
                selected: Vec::new(),
                post_pending: false,
            },
            _stage: PhantomData,
        }
    }

    /// `InitializeForRestore`, `GatherWriterMetadata`, every writer's metadata read.
    pub fn load(mut self) -> Result<RestoreSession<Loaded>, RestoreError> {
        let i = &mut self.inner;
        i.backup.initialize_for_restore(&i.document).map_err(call)?;
        crate::com::finish(i.backup.gather_writer_metadata(), i.limit)
            .map_err(RestoreError::GatherWriterMetadata)?;
        i.writers = i.backup.writers().map_err(RestoreError::Call)?;
        Ok(self.next())
    }
}

impl RestoreSession<Loaded> {
    /// Selects the components to restore (`SetSelectedForRestore`): the writers' components
    /// selectable for restore that `selection` picks and the backup holds (the call's
    /// documented `VSS_E_OBJECT_NOT_FOUND` says it does not: that one is left out). Returns
    /// what was selected; any other failure is an error.
    pub fn select(&mut self, selection: &Selection) -> Result<Vec<ComponentKey>, RestoreError> {
        let i = &mut self.inner;
        let mut keys = Vec::new();
        for w in &i.writers {
            for c in &w.components {
                if !c.info.selectable_for_restore
                    || !selection.picks(w, &c.info.logical_path, &c.info.name)
                {
                    continue;
                }
                keys.push(ComponentKey::of(w, c));
            }
        }
        let mut selected = Vec::new();
        for k in keys {
            match i.backup.set_selected_for_restore(
                k.writer_id,
                k.component_type.raw(),
                &k.logical_path,
                &k.name,
                true,
            ) {
                Ok(()) => {}
                // Not in the backup: the selection names more than this backup holds.
                Err(SetSelectedForRestoreError::ObjectNotFound) => continue,
                Err(e) => return Err(call(e)),
            }
            if !i.selected.iter().any(|(x, _)| *x == k) {
                i.selected.push((k.clone(), None));
            }
            selected.push(k);
        }
        Ok(selected)
    }

    /// `SetSelectedForRestoreEx` (`IVssBackupComponentsEx`): selects one component for a
    /// restore into a given writer instance (for writers with several instances), and adds it
    /// to the session like `select` does.
    pub fn select_for_instance(
        &mut self,
        key: &ComponentKey,
        instance_id: crate::com::GUID,
    ) -> Result<(), RestoreError> {
        let i = &mut self.inner;
        i.backup
            .set_selected_for_restore_ex(
                key.writer_id,
                key.component_type.raw(),
                &key.logical_path,
                &key.name,
                true,
                instance_id,
            )
            .map_err(call)?;
        if !i.selected.iter().any(|(x, _)| x == key) {
            i.selected.push((key.clone(), None));
        }
        Ok(())
    }

    /// `SetRestoreOptions` for a selected component.
    pub fn set_restore_options(
        &self,
        key: &ComponentKey,
        options: &str,
    ) -> Result<(), RestoreError> {
        self.inner
            .backup
            .set_restore_options(
                key.writer_id,
                key.component_type.raw(),
                &key.logical_path,
                &key.name,
                options,
            )
            .map_err(call)
    }

    /// `SetAdditionalRestores`: more restores of this component follow (for example
    /// differential or log backups), so the writer must not recover it yet.
    pub fn set_additional_restores(
        &self,
        key: &ComponentKey,
        more: bool,
    ) -> Result<(), RestoreError> {
        self.inner
            .backup
            .set_additional_restores(
                key.writer_id,
                key.component_type.raw(),
                &key.logical_path,
                &key.name,
                more,
            )
            .map_err(call)
    }

    /// `SetAuthoritativeRestore` (`IVssBackupComponentsEx2`): mark the restore authoritative,
    /// where the writer supports it (`VSS_BS_AUTHORITATIVE_RESTORE`).
    pub fn set_authoritative_restore(
        &self,
        key: &ComponentKey,
        authoritative: bool,
    ) -> Result<(), RestoreError> {
        self.inner
            .backup
            .set_authoritative_restore(
                key.writer_id,
                key.component_type.raw(),
                &key.logical_path,
                &key.name,
                authoritative,
            )
            .map_err(call)
    }

    /// `AddNewTarget`: restore the files under `path` matching `filespec` to `destination`.
    pub fn add_new_target(
        &self,
        key: &ComponentKey,
        path: &str,
        filespec: &str,
        recursive: bool,
        destination: &str,
    ) -> Result<(), RestoreError> {
        self.inner
            .backup
            .add_new_target(
                key.writer_id,
                key.component_type.raw(),
                &key.logical_path,
                &key.name,
                path,
                filespec,
                recursive,
                destination,
            )
            .map_err(call)
    }

    /// `AddRestoreSubcomponent`: restore the subcomponent `logical_path`/`name` of a selected
    /// component on its own (the writer marks it selectable for restore); `repair` asks the
    /// writer to repair it. Before `PreRestore`, after the component was selected.
    pub fn add_restore_subcomponent(
        &self,
        key: &ComponentKey,
        logical_path: &str,
        name: &str,
        repair: bool,
    ) -> Result<(), RestoreError> {
        self.inner
            .backup
            .add_restore_subcomponent(
                key.writer_id,
                key.component_type.raw(),
                &key.logical_path,
                &key.name,
                logical_path,
                name,
                repair,
            )
            .map_err(call)
    }

    /// `SetRestoreName` (`IVssBackupComponentsEx2`): the new logical name the component is
    /// restored under.
    pub fn set_restore_name(&self, key: &ComponentKey, name: &str) -> Result<(), RestoreError> {
        self.inner
            .backup
            .set_restore_name(
                key.writer_id,
                key.component_type.raw(),
                &key.logical_path,
                &key.name,
                name,
            )
            .map_err(call)
    }

    /// `SetRollForward` (`IVssBackupComponentsEx2`): how far the writer rolls the restored
    /// data forward; `point` is the restore point of a partial roll-forward, where the
    /// writer supports it (`VSS_BS_ROLLFORWARD_RESTORE`).
    pub fn set_roll_forward(
        &self,
        key: &ComponentKey,
        roll: RollForwardType,
        point: &str,
    ) -> Result<(), RestoreError> {
        self.inner
            .backup
            .set_roll_forward(
                key.writer_id,
                key.component_type.raw(),
                &key.logical_path,
                &key.name,
                roll.raw(),
                point,
            )
            .map_err(call)
    }

    /// `PreRestore`, waited for. From here on `PostRestore` is always called.
    pub fn pre_restore(mut self) -> Result<RestoreSession<PreRestored>, RestoreError> {
        let i = &mut self.inner;
        crate::com::finish(i.backup.pre_restore(), i.limit).map_err(RestoreError::PreRestore)?;
        i.post_pending = true;
        Ok(self.next())
    }
}

impl RestoreSession<PreRestored> {
    /// `AddAlternativeLocationMapping`: tell the writer that the files of a file set were
    /// restored to `destination` instead of `path` (names under it unchanged).
    pub fn add_alternative_location_mapping(
        &self,
        key: &ComponentKey,
        path: &str,
        filespec: &str,
        recursive: bool,
        destination: &str,
    ) -> Result<(), RestoreError> {
        self.inner
            .backup
            .add_alternative_location_mapping(
                key.writer_id,
                key.component_type.raw(),
                &key.logical_path,
                &key.name,
                path,
                filespec,
                recursive,
                destination,
            )
            .map_err(call)
    }

    /// Per selected component, what to restore and where: the writer's restore method, the
    /// component's restore target, and each file set's destination (a new target the
    /// requester added, else the writer's alternate location when the method or target
    /// asks for one, else the original folder).
    pub fn plan(&self) -> Result<Vec<RestorePlan>, RestoreError> {
        let i = &self.inner;
        let docs = self.document_components()?;
        let mut out = Vec::new();
        for (key, _) in &i.selected {
            let Some(w) = i.writers.iter().find(|w| w.instance_id == key.instance_id) else {
                continue;
            };
            let Some(c) = w.component(&key.logical_path, &key.name) else {
                continue;
            };
            let doc = docs.iter().find(|(k, _)| k == key).map(|(_, d)| d);
            let target = doc.map_or(RestoreTarget::Original, |d| d.restore_target);
            let alternate = w.restore.method == RestoreMethod::ToAlternateLocation
                || target == RestoreTarget::Alternate;
            let files = c
                .all_files()
                .map(|f| {
                    let new_target = doc.and_then(|d| {
                        d.new_targets.iter().find(|t| {
                            t.path.eq_ignore_ascii_case(&f.path)
                                && (t.filespec.is_empty()
                                    || t.filespec.eq_ignore_ascii_case(&f.filespec))
                        })
                    });
                    let mapping = w.alternate_locations.iter().find(|m| {
                        m.path.eq_ignore_ascii_case(&f.path)
                            && m.filespec.eq_ignore_ascii_case(&f.filespec)
                    });
                    let destination = match (new_target, mapping) {
                        (Some(t), _) => t.alternate_location.clone(),
                        (None, Some(m)) if alternate => m.alternate_location.clone(),
                        _ => f.path.clone(),
                    };
                    RestoreFileSet {
                        backed_up: MappedFileSet {
                            live_path: f.path.clone(),
                            snapshot_path: String::new(),
                            filespec: f.filespec.clone(),
                            recursive: f.recursive,
                            alternate_location: f.alternate_location.clone(),
                        },
                        destination,
                    }
                })
                .collect();
            out.push(RestorePlan {
                key: key.clone(),
                method: w.restore.method,
                reboot_required: w.restore.reboot_required,
                target,
                files,
            });
        }
        Ok(out)
    }

    /// Records how much of a component the caller restored; `post_restore` sends it.
    pub fn set_status(&mut self, key: &ComponentKey, status: FileRestoreStatus) {
        if let Some(s) = self.inner.selected.iter_mut().find(|(k, _)| k == key) {
            s.1 = Some(status);
        }
    }

    /// `SetFileRestoreStatus` for every selected component (unreported ones as `Failed`:
    /// the writer must not assume a copy that nobody confirmed), then `PostRestore`,
    /// writer status and the report. `PostRestore` runs even when a status call fails.
    pub fn post_restore(mut self) -> Result<RestoreReport, RestoreError> {
        let i = &mut self.inner;
        let mut first_error = None;
        for (k, status) in &i.selected {
            let status = status.unwrap_or(FileRestoreStatus::Failed);
            if let Err(e) = i.backup.set_file_restore_status(
                k.writer_id,
                k.component_type.raw(),
                &k.logical_path,
                &k.name,
                status.raw(),
            ) {
                first_error.get_or_insert(call(e));
            }
        }
        i.post_pending = false;
        crate::com::finish(i.backup.post_restore(), i.limit).map_err(RestoreError::PostRestore)?;
        if let Some(e) = first_error {
            return Err(e);
        }
        crate::com::finish(i.backup.gather_writer_status(), i.limit)
            .map_err(RestoreError::GatherWriterStatus)?;
        let failed_writers = i
            .backup
            .writer_statuses()
            .map_err(RestoreError::WriterStatus)?
            .into_iter()
            .filter(WriterStatus::failed)
            .collect();
        let docs = self.document_components()?;
        let i = &self.inner;
        let components = i
            .selected
            .iter()
            .map(|(k, _)| {
                let w = i.writers.iter().find(|w| w.instance_id == k.instance_id);
                let d = docs.iter().find(|(x, _)| x == k).map(|(_, d)| d);
                RestoredComponent {
                    key: k.clone(),
                    method: w.map_or(RestoreMethod::Undefined, |w| w.restore.method),
                    reboot_required: w.is_some_and(|w| w.restore.reboot_required),
                    status: d.map_or(FileRestoreStatus::Undefined, |d| d.file_restore_status),
                    pre_restore_failure: d
                        .map(|d| d.pre_restore_failure.clone())
                        .unwrap_or_default(),
                    post_restore_failure: d
                        .map(|d| d.post_restore_failure.clone())
                        .unwrap_or_default(),
                }
            })
            .collect();
        Ok(RestoreReport {
            components,
            failed_writers,
        })
    }

    /// The document's components of the selected writers, read through
    /// `GetWriterComponents` (valid once PreRestore returned, as documented).
    fn document_components(
        &self,
    ) -> Result<Vec<(ComponentKey, crate::com::model::BackupComponent)>, RestoreError> {
        let i = &self.inner;
        let n = i.backup.writer_components_count().map_err(call)?;
        let mut out = Vec::new();
        for k in 0..n {
            let w = i
                .backup
                .writer_components(k)
                .map_err(call)?
                .read()
                .map_err(RestoreError::Call)?;
            let name = i
                .writers
                .iter()
                .find(|x| x.instance_id == w.instance_id)
                .map(|x| x.name.clone())
                .unwrap_or_default();
            for c in w.components {
                out.push((
                    ComponentKey {
                        instance_id: w.instance_id,
                        writer_id: w.writer_id,
                        writer: name.clone(),
                        component_type: c.component_type,
                        logical_path: c.logical_path.clone(),
                        name: c.name.clone(),
                    },
                    c,
                ));
            }
        }
        Ok(out)
    }
}
