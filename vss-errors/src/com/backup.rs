//! `BackupComponents`: the requester side of `IVssBackupComponents` as a safe API. Owned
//! strings go in, owned values come out, every resource VSS hands over is freed here, and
//! each method returns its own generated error type.

use super::async_op::{Cancellable, NotCancellable, VssAsync};
use super::raw::{self, AsyncStart};
use super::{IVssBackupComponents, IVssEnumObject, IVssExamineWriterMetadata};
use crate::com::GUID;
use crate::error::MethodError;
use crate::methods::*;
use windows_result::HRESULT;

pub use raw::SnapshotProps as SnapshotProperties;

/// `VSS_BACKUP_TYPE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BackupType {
    /// `VSS_BT_FULL`.
    Full = 1,
    /// `VSS_BT_INCREMENTAL`.
    Incremental = 2,
    /// `VSS_BT_DIFFERENTIAL`.
    Differential = 3,
    /// `VSS_BT_LOG`.
    Log = 4,
    /// `VSS_BT_COPY`.
    Copy = 5,
    /// `VSS_BT_OTHER`.
    Other = 6,
}

/// `VSS_CTX_BACKUP`: the default context.
pub const VSS_CTX_BACKUP: i32 = 0;
/// `VSS_OBJECT_SNAPSHOT_SET`.
pub const VSS_OBJECT_SNAPSHOT_SET: i32 = 2;
/// `VSS_OBJECT_SNAPSHOT`.
pub const VSS_OBJECT_SNAPSHOT: i32 = 3;
/// `VSS_OBJECT_NONE`.
pub const VSS_OBJECT_NONE: i32 = 1;

/// One writer's metadata document (`IVssExamineWriterMetadata`), released on drop.
#[derive(Debug)]
pub struct WriterMetadata {
    /// The writer instance the metadata belongs to.
    pub instance_id: GUID,
    pub(crate) inner: IVssExamineWriterMetadata,
}

/// A writer's identity as its metadata states it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriterIdentity {
    /// Instance id.
    pub instance_id: GUID,
    /// Writer class id.
    pub writer_id: GUID,
    /// Writer name.
    pub name: String,
}

impl WriterMetadata {
    /// Wraps an `IVssExamineWriterMetadata` whose writer instance is not known (for example
    /// one loaded from a saved document); `instance_id` is the null id.
    pub fn from_interface(inner: IVssExamineWriterMetadata) -> Self {
        WriterMetadata {
            instance_id: GUID::zeroed(),
            inner,
        }
    }

    /// `GetIdentity`.
    pub fn identity(&self) -> Result<WriterIdentity, GetIdentityError> {
        let (hr, instance_id, writer_id, name) = raw::writer_identity(&self.inner);
        GetIdentityError::classify(hr).map(drop)?;
        Ok(WriterIdentity {
            instance_id,
            writer_id,
            name,
        })
    }
}

/// One writer's status after `GatherWriterStatus`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriterStatus {
    /// Instance id.
    pub instance_id: GUID,
    /// Writer class id.
    pub writer_id: GUID,
    /// Writer name.
    pub name: String,
    /// `VSS_WRITER_STATE` (1 = stable; 7–15 are failed states).
    pub state: i32,
    /// The writer's failure, typed by the catalog's `WriterFailure` set; `None` for `S_OK`.
    pub failure: Option<WriterFailure>,
}

impl WriterStatus {
    /// Whether the writer reports a failed state or a failure code.
    pub fn failed(&self) -> bool {
        self.failure.is_some() || (7..=15).contains(&self.state)
    }
}

/// Why listing snapshots failed: the query itself, or stepping through its result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuerySnapshotsError {
    /// `IVssBackupComponents::Query` failed.
    Query(QueryError),
    /// `IVssEnumObject::Next` failed.
    Next(NextError),
}

/// Names the step; the method's typed error is the [`source`](std::error::Error::source).
impl std::fmt::Display for QuerySnapshotsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QuerySnapshotsError::Query(_) => write!(f, "querying the snapshots failed"),
            QuerySnapshotsError::Next(_) => write!(f, "stepping through the snapshots failed"),
        }
    }
}

impl std::error::Error for QuerySnapshotsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(match self {
            QuerySnapshotsError::Query(e) => e,
            QuerySnapshotsError::Next(e) => e,
        })
    }
}

/// A VSS backup components object (`IVssBackupComponents`), released on drop.
#[derive(Debug)]
pub struct BackupComponents {
    pub(crate) inner: IVssBackupComponents,
}

fn ok<E: MethodError>(hr: HRESULT) -> Result<E::Outcome, E> {
    E::classify(hr)
}

fn started<E: MethodError, C>(
    hr: HRESULT,
    a: Option<super::IVssAsync>,
) -> Result<VssAsync<E, C>, E> {
    ok::<E>(hr)?;
    // A success without an interface pointer breaks the contract: report it as E_POINTER.
    a.map(VssAsync::new)
        .ok_or_else(|| E::from_failure(E_POINTER))
}

const E_POINTER: HRESULT = HRESULT(0x8000_4003_u32 as i32);

impl BackupComponents {
    /// Wraps an `IVssBackupComponents` (for example the fault-injecting one).
    pub fn from_interface(inner: IVssBackupComponents) -> Self {
        BackupComponents { inner }
    }

    /// The interface, for calls this crate does not wrap.
    pub fn as_interface(&self) -> &IVssBackupComponents {
        &self.inner
    }

    /// `CreateVssBackupComponents`: a new backup components object from vssapi.dll.
    #[cfg(windows)]
    pub fn create() -> Result<Self, CreateVssBackupComponentsError> {
        let (hr, b) = raw::create_backup_components();
        ok::<CreateVssBackupComponentsError>(hr)?;
        b.map(Self::from_interface)
            .ok_or_else(|| CreateVssBackupComponentsError::from_failure(E_POINTER))
    }

    /// `InitializeForBackup`, optionally from a saved backup document.
    pub fn initialize_for_backup(&self, xml: Option<&str>) -> Result<(), InitializeForBackupError> {
        ok::<InitializeForBackupError>(raw::initialize_for_backup(&self.inner, xml)).map(drop)
    }

    /// `SetContext` (`VSS_CTX_BACKUP` is the default).
    pub fn set_context(&self, context: i32) -> Result<(), SetContextError> {
        ok::<SetContextError>(raw::set_context(&self.inner, context)).map(drop)
    }

    /// `SetBackupState`.
    pub fn set_backup_state(
        &self,
        select_components: bool,
        bootable_system_state: bool,
        backup_type: BackupType,
        partial_file_support: bool,
    ) -> Result<(), SetBackupStateError> {
        let hr = raw::set_backup_state(
            &self.inner,
            select_components,
            bootable_system_state,
            backup_type as i32,
            partial_file_support,
        );
        ok::<SetBackupStateError>(hr).map(drop)
    }

    /// `GatherWriterMetadata`.
    pub fn gather_writer_metadata(
        &self,
    ) -> Result<VssAsync<GatherWriterMetadataError>, GatherWriterMetadataError> {
        let (hr, a) = raw::start_async(&self.inner, AsyncStart::GatherWriterMetadata);
        started(hr, a)
    }

    /// `GetWriterMetadataCount`.
    pub fn writer_metadata_count(&self) -> Result<u32, GetWriterMetadataCountError> {
        let (hr, n) = raw::writer_metadata_count(&self.inner);
        ok::<GetWriterMetadataCountError>(hr).map(|_| n)
    }

    /// `GetWriterMetadata`.
    pub fn writer_metadata(&self, index: u32) -> Result<WriterMetadata, GetWriterMetadataError> {
        let (hr, instance_id, m) = raw::writer_metadata(&self.inner, index);
        ok::<GetWriterMetadataError>(hr).map(drop)?;
        m.map(|inner| WriterMetadata { instance_id, inner })
            .ok_or_else(|| GetWriterMetadataError::from_failure(E_POINTER))
    }

    /// `GetWriterMetadataEx` (`IVssBackupComponentsEx`): the metadata, whose Ex calls
    /// (`identity_ex`, `exclude_from_snapshot_file`, …) reach the Ex interfaces.
    pub fn writer_metadata_ex(
        &self,
        index: u32,
    ) -> Result<WriterMetadata, GetWriterMetadataExError> {
        let ex = raw::marshal::cast::<super::IVssBackupComponentsEx, GetWriterMetadataExError>(
            &self.inner,
        )?;
        let (hr, instance_id, m) = raw::writer_metadata_ex(&ex, index);
        ok::<GetWriterMetadataExError>(hr).map(drop)?;
        m.map(|inner| WriterMetadata { instance_id, inner })
            .ok_or_else(|| GetWriterMetadataExError::from_failure(E_POINTER))
    }

    /// `InitializeForRestore` from the backup components document saved at backup time.
    pub fn initialize_for_restore(&self, xml: &str) -> Result<(), InitializeForRestoreError> {
        ok::<InitializeForRestoreError>(raw::initialize_for_restore(&self.inner, xml)).map(drop)
    }

    /// `GetWriterComponents`: one writer's components in the backup components document
    /// (released through the object's IUnknown on drop).
    pub fn writer_components(
        &self,
        index: u32,
    ) -> Result<super::WriterComponents, GetWriterComponentsError> {
        let (hr, w) = raw::writer_components(&self.inner, index);
        ok::<GetWriterComponentsError>(hr).map(drop)?;
        w.ok_or_else(|| GetWriterComponentsError::from_failure(E_POINTER))
    }

    /// `FreeWriterMetadata`.
    pub fn free_writer_metadata(&self) -> Result<(), FreeWriterMetadataError> {
        ok::<FreeWriterMetadataError>(raw::free_writer_metadata(&self.inner)).map(drop)
    }

    /// `StartSnapshotSet`: the new snapshot set's id.
    pub fn start_snapshot_set(&self) -> Result<GUID, StartSnapshotSetError> {
        let (hr, id) = raw::start_snapshot_set(&self.inner);
        ok::<StartSnapshotSetError>(hr).map(|_| id)
    }

    /// `AddToSnapshotSet` (`provider` `GUID::zeroed()` lets VSS choose): the snapshot's id.
    pub fn add_to_snapshot_set(
        &self,
        volume: &str,
        provider: GUID,
    ) -> Result<GUID, AddToSnapshotSetError> {
        let (hr, id) = raw::add_to_snapshot_set(&self.inner, volume, provider);
        ok::<AddToSnapshotSetError>(hr).map(|_| id)
    }

    /// `PrepareForBackup`.
    pub fn prepare_for_backup(
        &self,
    ) -> Result<VssAsync<PrepareForBackupError>, PrepareForBackupError> {
        let (hr, a) = raw::start_async(&self.inner, AsyncStart::PrepareForBackup);
        started(hr, a)
    }

    /// `DoSnapshotSet`.
    pub fn do_snapshot_set(&self) -> Result<VssAsync<DoSnapshotSetError>, DoSnapshotSetError> {
        let (hr, a) = raw::start_async(&self.inner, AsyncStart::DoSnapshotSet);
        started(hr, a)
    }

    /// `GetSnapshotProperties`, strings copied and freed (`VssFreeSnapshotProperties`).
    pub fn snapshot_properties(
        &self,
        snapshot: GUID,
    ) -> Result<SnapshotProperties, GetSnapshotPropertiesError> {
        let (hr, p) = raw::snapshot_properties(&self.inner, snapshot);
        ok::<GetSnapshotPropertiesError>(hr).map(drop)?;
        p.ok_or_else(|| GetSnapshotPropertiesError::from_failure(E_POINTER))
    }

    /// `BackupComplete`.
    pub fn backup_complete(&self) -> Result<VssAsync<BackupCompleteError>, BackupCompleteError> {
        let (hr, a) = raw::start_async(&self.inner, AsyncStart::BackupComplete);
        started(hr, a)
    }

    /// `GatherWriterStatus` (also required after `BackupComplete`).
    pub fn gather_writer_status(
        &self,
    ) -> Result<VssAsync<GatherWriterStatusError>, GatherWriterStatusError> {
        let (hr, a) = raw::start_async(&self.inner, AsyncStart::GatherWriterStatus);
        started(hr, a)
    }

    /// `GetWriterStatusCount`.
    pub fn writer_status_count(&self) -> Result<u32, GetWriterStatusCountError> {
        let (hr, n) = raw::writer_status_count(&self.inner);
        ok::<GetWriterStatusCountError>(hr).map(|_| n)
    }

    /// `GetWriterStatus`, the writer name's BSTR freed.
    pub fn writer_status(&self, index: u32) -> Result<WriterStatus, GetWriterStatusError> {
        let (hr, w) = raw::writer_status(&self.inner, index);
        ok::<GetWriterStatusError>(hr).map(drop)?;
        Ok(WriterStatus {
            instance_id: w.instance,
            writer_id: w.class,
            name: w.name,
            state: w.state,
            failure: WriterFailure::from_hresult(w.failure),
        })
    }

    /// Every writer's status (`GetWriterStatusCount` + `GetWriterStatus` each), then
    /// `FreeWriterStatus` as the documentation requires.
    pub fn writer_statuses(&self) -> Result<Vec<WriterStatus>, WriterStatusesError> {
        let n = self
            .writer_status_count()
            .map_err(WriterStatusesError::Count)?;
        let mut out = Vec::with_capacity(n as usize);
        for i in 0..n {
            out.push(self.writer_status(i).map_err(WriterStatusesError::Status)?);
        }
        self.free_writer_status()
            .map_err(WriterStatusesError::Free)?;
        Ok(out)
    }

    /// `FreeWriterStatus`.
    pub fn free_writer_status(&self) -> Result<(), FreeWriterStatusError> {
        ok::<FreeWriterStatusError>(raw::free_writer_status(&self.inner)).map(drop)
    }

    /// `AbortBackup`: required after a failure between `StartSnapshotSet` and the end of
    /// `DoSnapshotSet`.
    pub fn abort_backup(&self) -> Result<(), AbortBackupError> {
        ok::<AbortBackupError>(raw::abort_backup(&self.inner)).map(drop)
    }

    /// `DeleteSnapshots` for one snapshot or one set: how many were deleted.
    pub fn delete_snapshots(
        &self,
        id: GUID,
        object_type: i32,
        force: bool,
    ) -> Result<u32, DeleteSnapshotsError> {
        let (hr, deleted, _) = raw::delete_snapshots(&self.inner, id, object_type, force);
        ok::<DeleteSnapshotsError>(hr).map(|_| deleted.max(0) as u32)
    }

    /// `IsVolumeSupported`.
    pub fn is_volume_supported(
        &self,
        provider: GUID,
        volume: &str,
    ) -> Result<bool, IsVolumeSupportedError> {
        let (hr, yes) = raw::is_volume_supported(&self.inner, provider, volume);
        ok::<IsVolumeSupportedError>(hr).map(|_| yes)
    }

    /// `Query` for every snapshot, stepping through the enumerator.
    pub fn query_snapshots(&self) -> Result<Vec<SnapshotProperties>, QuerySnapshotsError> {
        let (hr, e) = raw::query(
            &self.inner,
            GUID::zeroed(),
            VSS_OBJECT_NONE,
            VSS_OBJECT_SNAPSHOT,
        );
        QueryError::classify(hr)
            .map(drop)
            .map_err(QuerySnapshotsError::Query)?;
        let Some(e): Option<IVssEnumObject> = e else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        loop {
            let (hr, item) = raw::enum_next(&e);
            NextError::classify(hr)
                .map(drop)
                .map_err(QuerySnapshotsError::Next)?;
            match item {
                Some((t, p)) if t == VSS_OBJECT_SNAPSHOT => out.push(p),
                Some(_) => {}
                None => return Ok(out),
            }
        }
    }

    /// `QueryRevertStatus`: the revert cannot be cancelled, so the handle has no `cancel`.
    pub fn query_revert_status(
        &self,
        volume: &str,
    ) -> Result<VssAsync<QueryRevertStatusError, NotCancellable>, QueryRevertStatusError> {
        let (hr, a) = raw::query_revert_status(&self.inner, volume);
        started(hr, a)
    }

    /// `RevertToSnapshot`.
    pub fn revert_to_snapshot(
        &self,
        snapshot: GUID,
        force_dismount: bool,
    ) -> Result<(), RevertToSnapshotError> {
        ok::<RevertToSnapshotError>(raw::revert_to_snapshot(
            &self.inner,
            snapshot,
            force_dismount,
        ))
        .map(drop)
    }
}

/// Why reading every writer's status failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriterStatusesError {
    /// `GetWriterStatusCount` failed.
    Count(GetWriterStatusCountError),
    /// `GetWriterStatus` failed.
    Status(GetWriterStatusError),
    /// `FreeWriterStatus` failed.
    Free(FreeWriterStatusError),
}

/// Names the step; the method's typed error is the [`source`](std::error::Error::source).
impl std::fmt::Display for WriterStatusesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriterStatusesError::Count(_) => write!(f, "counting the writers' statuses failed"),
            WriterStatusesError::Status(_) => write!(f, "reading a writer's status failed"),
            WriterStatusesError::Free(_) => write!(f, "freeing the writers' statuses failed"),
        }
    }
}

impl std::error::Error for WriterStatusesError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(match self {
            WriterStatusesError::Count(e) => e,
            WriterStatusesError::Status(e) => e,
            WriterStatusesError::Free(e) => e,
        })
    }
}

/// Async handles that can be cancelled (everything but a revert).
pub type CancellableAsync<E> = VssAsync<E, Cancellable>;
