//! A backup session that walks the requester workflow in order — initialize, context,
//! backup state, writer metadata, snapshot set, prepare, do-snapshot, properties, complete,
//! writer status — as types, so an out-of-order call cannot be written. A failure between
//! `StartSnapshotSet` and the end of `DoSnapshotSet` calls `AbortBackup`, as documented;
//! snapshots the session made are deleted when it is dropped unless the caller keeps them;
//! failed writers are attributed to the step that failed, or reported with the success.

use super::retry::{Advised, RetryDriver, RetryError};
use crate::catalog::{Method, Retry};
use crate::code::Code;
use crate::com::backup::VSS_OBJECT_SNAPSHOT_SET;
use crate::com::GUID;
use crate::com::{
    AsyncError, BackupComponents, BackupType, SnapshotProperties, WriterStatus, WriterStatusesError,
};
use crate::error::MethodError;
use crate::methods::*;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

/// `VSS_CTX_BACKUP`: snapshots released with the object that made them.
pub const CONTEXT_BACKUP: i32 = 0;
/// `VSS_CTX_APP_ROLLBACK`: persistent snapshots that stay until deleted.
pub const CONTEXT_APP_ROLLBACK: i32 = 0x9;

/// What to back up and how.
#[derive(Clone, Debug)]
pub struct SessionOptions {
    /// Volumes to snapshot (`C:\`).
    pub volumes: Vec<String>,
    /// `SetContext` value.
    pub context: i32,
    /// `SetBackupState`'s backup type.
    pub backup_type: BackupType,
    /// Our own limit for each async step.
    pub step_limit: Duration,
    /// Keep the snapshots when a completed session is dropped (a failed one always deletes
    /// what it made).
    pub keep: bool,
    /// A component-mode backup (`SetBackupState(select_components = true, …)`): choose
    /// components after gathering metadata; their volumes join `volumes`.
    pub select_components: bool,
    /// The volume a file path lives on (`GetVolumePathName` on Windows).
    pub volume_of: fn(&str) -> Option<String>,
}

impl SessionOptions {
    /// A full backup of `volumes` in the default context, ten minutes per async step.
    pub fn new<S: Into<String>>(volumes: impl IntoIterator<Item = S>) -> Self {
        SessionOptions {
            volumes: volumes.into_iter().map(Into::into).collect(),
            context: CONTEXT_BACKUP,
            backup_type: BackupType::Full,
            step_limit: Duration::from_secs(600),
            keep: false,
            select_components: false,
            volume_of: super::components::volume_of,
        }
    }

    /// A component-mode backup: no volumes up front; the chosen components name them.
    pub fn components() -> Self {
        SessionOptions {
            select_components: true,
            ..SessionOptions::new(Vec::<String>::new())
        }
    }
}

/// The step a session failed at, with the method's own typed error.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StepError {
    /// Creating the backup components object failed.
    Create(CreateVssBackupComponentsError),
    /// `InitializeForBackup`.
    Initialize(InitializeForBackupError),
    /// `SetContext`.
    SetContext(SetContextError),
    /// `SetBackupState`.
    SetBackupState(SetBackupStateError),
    /// `GatherWriterMetadata`.
    GatherWriterMetadata(AsyncError<GatherWriterMetadataError>),
    /// `StartSnapshotSet`.
    StartSnapshotSet(StartSnapshotSetError),
    /// `AddToSnapshotSet` for one volume.
    AddToSnapshotSet {
        /// The volume.
        volume: String,
        /// The error.
        error: AddToSnapshotSetError,
    },
    /// `PrepareForBackup`.
    PrepareForBackup(AsyncError<PrepareForBackupError>),
    /// `DoSnapshotSet`.
    DoSnapshotSet(AsyncError<DoSnapshotSetError>),
    /// `GetSnapshotProperties`.
    SnapshotProperties(GetSnapshotPropertiesError),
    /// `BackupComplete`.
    BackupComplete(AsyncError<BackupCompleteError>),
    /// `GatherWriterStatus`.
    GatherWriterStatus(AsyncError<GatherWriterStatusError>),
    /// Reading the writers' status.
    WriterStatus(WriterStatusesError),
    /// A component-mode call (reading metadata, `AddComponent`, `SetBackupSucceeded`,
    /// `SaveAsXML`, …), with the method's own error.
    Component(crate::error::AnyError),
}

fn typed<E: MethodError>(
    e: &AsyncError<E>,
) -> Option<(&'static Method, Option<Code>, Option<Retry>)> {
    e.method_error().map(|m| {
        (
            E::method(),
            m.entry().map(|x| x.code),
            m.entry().and_then(|x| x.retry),
        )
    })
}

impl StepError {
    /// The method that failed, its documented code and the catalog's advice.
    fn parts(&self) -> (&'static Method, Option<Code>, Option<Retry>) {
        fn plain<E: MethodError>(e: &E) -> (&'static Method, Option<Code>, Option<Retry>) {
            (
                E::method(),
                e.entry().map(|x| x.code),
                e.entry().and_then(|x| x.retry),
            )
        }
        fn async_parts<E: MethodError>(
            e: &AsyncError<E>,
        ) -> (&'static Method, Option<Code>, Option<Retry>) {
            typed(e).unwrap_or((E::method(), None, None))
        }
        match self {
            StepError::Create(e) => plain(e),
            StepError::Initialize(e) => plain(e),
            StepError::SetContext(e) => plain(e),
            StepError::SetBackupState(e) => plain(e),
            StepError::GatherWriterMetadata(e) => async_parts(e),
            StepError::StartSnapshotSet(e) => plain(e),
            StepError::AddToSnapshotSet { error, .. } => plain(error),
            StepError::PrepareForBackup(e) => async_parts(e),
            StepError::DoSnapshotSet(e) => async_parts(e),
            StepError::SnapshotProperties(e) => plain(e),
            StepError::BackupComplete(e) => async_parts(e),
            StepError::GatherWriterStatus(e) => async_parts(e),
            StepError::WriterStatus(_) => (GetWriterStatusError::METHOD, None, None),
            StepError::Component(e) => (
                e.method(),
                e.entry().map(|x| x.code),
                e.entry().and_then(|x| x.retry),
            ),
        }
    }
}

impl StepError {
    /// The error of the call that failed: the method's typed error, or the
    /// [`AsyncError`] around it.
    pub fn inner(&self) -> &(dyn std::error::Error + 'static) {
        match self {
            StepError::Create(e) => e,
            StepError::Initialize(e) => e,
            StepError::SetContext(e) => e,
            StepError::SetBackupState(e) => e,
            StepError::GatherWriterMetadata(e) => e,
            StepError::StartSnapshotSet(e) => e,
            StepError::AddToSnapshotSet { error, .. } => error,
            StepError::PrepareForBackup(e) => e,
            StepError::DoSnapshotSet(e) => e,
            StepError::SnapshotProperties(e) => e,
            StepError::BackupComplete(e) => e,
            StepError::GatherWriterStatus(e) => e,
            StepError::WriterStatus(e) => e,
            StepError::Component(e) => e,
        }
    }
}

/// Names the step; the call's error is the [`source`](std::error::Error::source).
impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::AddToSnapshotSet { volume, .. } => {
                write!(f, "AddToSnapshotSet failed for volume {volume}")
            }
            StepError::WriterStatus(_) => write!(f, "reading the writers' status failed"),
            _ => write!(f, "{} failed", self.parts().0.name),
        }
    }
}

impl std::error::Error for StepError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.inner())
    }
}

/// A failed session: the step's typed error, the writers that reported failures, and what
/// the cleanup did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionError {
    /// The step that failed.
    pub step: StepError,
    /// Writers in a failed state when the step failed (name, ids, state, typed failure).
    pub failed_writers: Vec<WriterStatus>,
    /// `AbortBackup`'s result, when the failure required one.
    pub aborted: Option<Result<(), AbortBackupError>>,
}

impl SessionError {
    pub(super) fn new(step: StepError) -> Self {
        SessionError {
            step,
            failed_writers: Vec::new(),
            aborted: None,
        }
    }
}

impl Advised for SessionError {
    fn method(&self) -> &'static Method {
        self.step.parts().0
    }
    fn code(&self) -> Option<Code> {
        self.step.parts().1
    }
    /// The step's advice, else the first failed writer's (writer-failure codes carry their
    /// own advice in the catalog).
    fn advice(&self) -> Option<Retry> {
        self.step.parts().2.or_else(|| {
            self.failed_writers
                .iter()
                .find_map(|w| w.failure.and_then(|f| f.retry()))
        })
    }
}

/// Names the step and adds what only the session knows (the failed writers, a failed
/// `AbortBackup`); the step's call error is the [`source`](std::error::Error::source).
impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.step {
            StepError::AddToSnapshotSet { volume, .. } => write!(
                f,
                "the backup session failed at AddToSnapshotSet for volume {volume}"
            )?,
            StepError::WriterStatus(_) => {
                write!(f, "the backup session failed reading the writers' status")?
            }
            step => write!(f, "the backup session failed at {}", step.parts().0.name)?,
        }
        for w in &self.failed_writers {
            match w.failure {
                Some(e) => write!(f, "; writer {:?} (state {}) failed: {e}", w.name, w.state)?,
                None => write!(f, "; writer {:?} is in failed state {}", w.name, w.state)?,
            }
        }
        if let Some(Err(e)) = &self.aborted {
            write!(f, "; AbortBackup also failed: {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SessionError {
    /// The failed call's error (the step is named in this error's own text).
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.step.inner())
    }
}

/// Stage markers.
pub mod stage {
    /// Nothing called yet.
    #[derive(Debug)]
    pub struct Created;
    /// Initialized, context and backup state set.
    #[derive(Debug)]
    pub struct Initialized;
    /// Writer metadata gathered.
    #[derive(Debug)]
    pub struct MetadataGathered;
    /// Snapshot set started and volumes added.
    #[derive(Debug)]
    pub struct SetStarted;
    /// `PrepareForBackup` done.
    #[derive(Debug)]
    pub struct Prepared;
    /// Snapshots exist: read from them now.
    #[derive(Debug)]
    pub struct Snapshotted;
    /// `BackupComplete` and the final writer status done.
    #[derive(Debug)]
    pub struct Completed;
}
use stage::*;

pub(super) struct Inner {
    pub(super) backup: BackupComponents,
    pub(super) opts: SessionOptions,
    set_id: Option<GUID>,
    pub(super) snapshots: Vec<(GUID, String)>,
    /// Between StartSnapshotSet and the end of DoSnapshotSet.
    must_abort: bool,
    failed_writers: Vec<WriterStatus>,
    /// Only a completed session keeps its snapshots: every failure path deletes them.
    keep: bool,
    /// Component mode: what was chosen, and what the caller reported for each.
    pub(super) components: super::components::Chosen,
    /// The backup components document `SaveAsXML` returned at the end.
    document: Option<String>,
}

impl Inner {
    /// Best-effort writer-status gathering after an async step: failed writers only.
    fn failed_writers(&self) -> Vec<WriterStatus> {
        let Ok(op) = self.backup.gather_writer_status() else {
            return Vec::new();
        };
        if op.wait(self.opts.step_limit).is_err() {
            return Vec::new();
        }
        self.backup
            .writer_statuses()
            .map(|all| all.into_iter().filter(WriterStatus::failed).collect())
            .unwrap_or_default()
    }

    pub(super) fn fail(&mut self, step: StepError, attribute: bool) -> SessionError {
        let mut e = SessionError::new(step);
        if attribute {
            e.failed_writers = self.failed_writers();
        }
        if self.must_abort {
            self.must_abort = false;
            e.aborted = Some(self.backup.abort_backup());
        }
        e
    }

    /// The properties of every snapshot the session made.
    fn properties(&self) -> Result<Vec<SnapshotProperties>, SessionError> {
        self.snapshots
            .iter()
            .map(|(id, _)| {
                self.backup
                    .snapshot_properties(*id)
                    .map_err(|e| SessionError::new(StepError::SnapshotProperties(e)))
            })
            .collect()
    }

    fn note_writers(&mut self) {
        for w in self.failed_writers() {
            if !self
                .failed_writers
                .iter()
                .any(|x| x.instance_id == w.instance_id)
            {
                self.failed_writers.push(w);
            }
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        if self.must_abort {
            let _ = self.backup.abort_backup();
        }
        if !self.keep {
            if let Some(set) = self.set_id.filter(|_| !self.snapshots.is_empty()) {
                let _ = self
                    .backup
                    .delete_snapshots(set, VSS_OBJECT_SNAPSHOT_SET, true);
            }
        }
    }
}

/// A backup session at stage `S`.
pub struct BackupSession<S> {
    pub(super) inner: Inner,
    _stage: PhantomData<S>,
}

impl<S> fmt::Debug for BackupSession<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackupSession")
            .field("stage", &std::any::type_name::<S>())
            .field("set_id", &self.inner.set_id)
            .finish()
    }
}

impl<S> BackupSession<S> {
    fn next<T>(self) -> BackupSession<T> {
        BackupSession {
            inner: self.into_inner(),
            _stage: PhantomData,
        }
    }

    fn into_inner(self) -> Inner {
        let BackupSession { inner, _stage } = self;
        inner
    }

    /// Writers that reported failures so far (partial success is never silent).
    pub fn failed_writers(&self) -> &[WriterStatus] {
        &self.inner.failed_writers
    }

    /// The object the session drives.
    pub fn backup_components(&self) -> &BackupComponents {
        &self.inner.backup
    }
}

impl BackupSession<Created> {
    /// A session on `backup`.
    pub fn new(backup: BackupComponents, opts: SessionOptions) -> Self {
        BackupSession {
            inner: Inner {
                backup,
                opts,
                set_id: None,
                snapshots: Vec::new(),
                must_abort: false,
                failed_writers: Vec::new(),
                keep: false,
                components: Default::default(),
                document: None,
            },
            _stage: PhantomData,
        }
    }

    /// `InitializeForBackup`, `SetContext`, `SetBackupState`.
    pub fn initialize(mut self) -> Result<BackupSession<Initialized>, SessionError> {
        let i = &mut self.inner;
        if let Err(e) = i.backup.initialize_for_backup(None) {
            return Err(i.fail(StepError::Initialize(e), false));
        }
        if let Err(e) = i.backup.set_context(i.opts.context) {
            return Err(i.fail(StepError::SetContext(e), false));
        }
        if let Err(e) =
            i.backup
                .set_backup_state(i.opts.select_components, false, i.opts.backup_type, false)
        {
            return Err(i.fail(StepError::SetBackupState(e), false));
        }
        Ok(self.next())
    }
}

impl BackupSession<Initialized> {
    /// `GatherWriterMetadata`, waited for.
    pub fn gather_writer_metadata(
        mut self,
    ) -> Result<BackupSession<MetadataGathered>, SessionError> {
        let i = &mut self.inner;
        if let Err(e) = crate::com::finish(i.backup.gather_writer_metadata(), i.opts.step_limit) {
            return Err(i.fail(StepError::GatherWriterMetadata(e), false));
        }
        Ok(self.next())
    }
}

impl BackupSession<MetadataGathered> {
    /// `StartSnapshotSet` and `AddToSnapshotSet` for every volume of the options.
    pub fn start_snapshot_set(mut self) -> Result<BackupSession<SetStarted>, SessionError> {
        let i = &mut self.inner;
        match i.backup.start_snapshot_set() {
            Ok(id) => {
                i.set_id = Some(id);
                i.must_abort = true;
            }
            Err(e) => return Err(i.fail(StepError::StartSnapshotSet(e), false)),
        }
        let mut volumes = i.opts.volumes.clone();
        for v in i.components.volumes(i.opts.volume_of) {
            if !volumes.iter().any(|x| x.eq_ignore_ascii_case(&v)) {
                volumes.push(v);
            }
        }
        for volume in volumes {
            match i.backup.add_to_snapshot_set(&volume, GUID::zeroed()) {
                Ok(id) => i.snapshots.push((id, volume)),
                Err(error) => {
                    return Err(i.fail(StepError::AddToSnapshotSet { volume, error }, false))
                }
            }
        }
        Ok(self.next())
    }
}

impl BackupSession<SetStarted> {
    /// `PrepareForBackup`, waited for; failed writers are noted.
    pub fn prepare(mut self) -> Result<BackupSession<Prepared>, SessionError> {
        let i = &mut self.inner;
        if let Err(e) = crate::com::finish(i.backup.prepare_for_backup(), i.opts.step_limit) {
            return Err(i.fail(StepError::PrepareForBackup(e), true));
        }
        i.note_writers();
        Ok(self.next())
    }
}

impl BackupSession<Prepared> {
    /// `DoSnapshotSet`, waited for; failed writers are noted.
    pub fn do_snapshot_set(mut self) -> Result<BackupSession<Snapshotted>, SessionError> {
        let i = &mut self.inner;
        if let Err(e) = crate::com::finish(i.backup.do_snapshot_set(), i.opts.step_limit) {
            return Err(i.fail(StepError::DoSnapshotSet(e), true));
        }
        i.must_abort = false;
        i.note_writers();
        Ok(self.next())
    }
}

impl BackupSession<Snapshotted> {
    /// The properties of every snapshot of the set (device paths to read from).
    pub fn snapshots(&self) -> Result<Vec<SnapshotProperties>, SessionError> {
        self.inner.properties()
    }

    /// `BackupComplete`, then `GatherWriterStatus` as required after it.
    pub fn complete(mut self) -> Result<BackupSession<Completed>, SessionError> {
        let i = &mut self.inner;
        // Every chosen component's result is stated in the document, unreported ones as
        // failed: a backup tool's silence must not read as success.
        if let Err(e) = i.components.report_unreported(&i.backup) {
            return Err(i.fail(StepError::Component(e), false));
        }
        if let Err(e) = crate::com::finish(i.backup.backup_complete(), i.opts.step_limit) {
            return Err(i.fail(StepError::BackupComplete(e), true));
        }
        if let Err(e) = crate::com::finish(i.backup.gather_writer_status(), i.opts.step_limit) {
            return Err(i.fail(StepError::GatherWriterStatus(e), false));
        }
        match i.backup.writer_statuses() {
            Ok(all) => {
                for w in all.into_iter().filter(WriterStatus::failed) {
                    if !i
                        .failed_writers
                        .iter()
                        .any(|x| x.instance_id == w.instance_id)
                    {
                        i.failed_writers.push(w);
                    }
                }
            }
            Err(e) => return Err(i.fail(StepError::WriterStatus(e), false)),
        }
        if i.opts.select_components {
            match i.backup.save_as_xml() {
                Ok(xml) => i.document = Some(xml),
                Err(e) => {
                    return Err(i.fail(StepError::Component(crate::error::AnyError::new(e)), false))
                }
            }
        }
        i.keep = i.opts.keep;
        Ok(self.next())
    }
}

/// What a completed session produced: which volumes were snapshotted and which writers
/// failed (a partial success says so).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupReport {
    /// The snapshot set.
    pub set_id: GUID,
    /// Each volume and its snapshot.
    pub snapshots: Vec<SnapshotProperties>,
    /// Writers that reported failures.
    pub failed_writers: Vec<WriterStatus>,
    /// Component mode: each chosen component and whether its backup succeeded.
    pub components: Vec<super::components::ComponentResult>,
    /// Component mode: the backup components document (`SaveAsXML`), to store with the
    /// backup; a restore starts from it.
    pub document: Option<String>,
}

impl BackupReport {
    /// Whether writers or components failed although the snapshots exist.
    pub fn is_partial(&self) -> bool {
        !self.failed_writers.is_empty() || self.components.iter().any(|c| !c.succeeded)
    }
}

impl BackupSession<Completed> {
    /// The report: snapshots and failed writers.
    pub fn report(&self) -> Result<BackupReport, SessionError> {
        let snapshots = self.inner.properties()?;
        Ok(BackupReport {
            set_id: self.inner.set_id.unwrap_or_else(GUID::zeroed),
            snapshots,
            failed_writers: self.inner.failed_writers.clone(),
            components: self.inner.components.results(),
            document: self.inner.document.clone(),
        })
    }

    /// Keeps the snapshots after the session is dropped.
    pub fn keep(mut self) -> Self {
        self.inner.keep = true;
        self
    }
}

/// The whole workflow up to a completed session, retried as the catalog advises: each attempt
/// uses a fresh object from `create`; a failed attempt aborts and cleans up before the next.
pub fn run_backup(
    driver: &mut RetryDriver<'_>,
    opts: &SessionOptions,
    mut create: impl FnMut() -> Result<BackupComponents, CreateVssBackupComponentsError>,
) -> Result<BackupSession<Completed>, RetryError<SessionError>> {
    driver.run(|_| {
        let backup = create().map_err(|e| SessionError::new(StepError::Create(e)))?;
        BackupSession::new(backup, opts.clone())
            .initialize()?
            .gather_writer_metadata()?
            .start_snapshot_set()?
            .prepare()?
            .do_snapshot_set()?
            .complete()
    })
}
