//! Calling VSS for real: the COM interfaces (generated from the catalog's vtables), typed
//! wrappers that return each method's own error enum, and typed async handles.

pub mod async_op;
pub mod backup;
pub mod guid;
#[cfg(windows)]
pub mod init;
pub mod management;
pub mod model;
pub mod objects;
pub(crate) mod raw;
pub mod types;
pub mod unknown;

pub use crate::generated::com::*;
pub use async_op::{
    finish, AsyncError, CancelResult, Cancellable, NotCancellable, Progress, Status, VssAsync,
};
pub use backup::{
    BackupComponents, BackupType, QuerySnapshotsError, SnapshotProperties, WriterIdentity,
    WriterMetadata, WriterStatus, WriterStatusesError,
};
pub use guid::{ParseGuidError, GUID};
pub use management::{
    CreateManagementError, DeltaBitmap, MgmtObject, ProtectionFault, ProtectionLevel,
    VolumeProtection,
};
pub use objects::{
    Component, ComponentInfo, MgmtObjectEnum, ObjectEnum, ShadowStorage, SnapshotManagement,
    WmComponent, WmDependency, WmFiledesc, WriterComponents,
};
pub use raw::mem;
pub use unknown::{IUnknown, IUnknown_Vtbl, Interface};
