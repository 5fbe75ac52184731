//! The owned Rust types of the interfaces a requester reads through: writer-metadata
//! components and their files and dependencies, a writer's components in the backup
//! document, and the snapshot enumerator. Each releases its interface on drop; their
//! methods are generated (`generated/wrappers.rs`) or written by hand below.

use super::raw;
use super::{IVssComponent, IVssEnumObject, IVssWMComponent, IVssWMDependency, IVssWMFiledesc};
use super::{IVssDifferentialSoftwareSnapshotMgmt, IVssEnumMgmtObject, IVssSnapshotMgmt};
use super::{IVssWriterComponents, SnapshotProperties};
use crate::methods::*;

macro_rules! owned_interface {
    ($( $(#[$doc:meta])* $ty:ident($iface:ident); )*) => {
        $(
            $(#[$doc])*
            #[derive(Debug)]
            pub struct $ty {
                pub(crate) inner: $iface,
            }

            impl $ty {
                /// Wraps the interface (for example one from the fault-injecting VSS).
                pub fn from_interface(inner: $iface) -> Self {
                    $ty { inner }
                }

                /// The interface, for calls this crate does not wrap.
                pub fn as_interface(&self) -> &$iface {
                    &self.inner
                }
            }
        )*
    };
}

owned_interface! {
    /// A component of a writer's metadata (`IVssWMComponent`).
    WmComponent(IVssWMComponent);
    /// A file set of a writer's metadata (`IVssWMFiledesc`): path, filespec, recursion,
    /// alternate location, backup type mask.
    WmFiledesc(IVssWMFiledesc);
    /// A dependency of a component on another writer's component (`IVssWMDependency`).
    WmDependency(IVssWMDependency);
    /// A component in the backup components document (`IVssComponent` and its Ex versions).
    Component(IVssComponent);
    /// The snapshot enumerator (`IVssEnumObject`), an iterator over owned properties.
    ObjectEnum(IVssEnumObject);
    /// Shadow-copy management (`IVssSnapshotMgmt`, and `IVssSnapshotMgmt2` through
    /// `QueryInterface`): supported volumes, snapshots by volume, the minimum diff-area size,
    /// and the software provider's [`ShadowStorage`].
    SnapshotManagement(IVssSnapshotMgmt);
    /// The system software provider's shadow storage (`IVssDifferentialSoftwareSnapshotMgmt`,
    /// and its versions 2 and 3 through `QueryInterface`): diff areas added, resized, migrated
    /// and queried, snapshot priority, volume protection levels.
    ShadowStorage(IVssDifferentialSoftwareSnapshotMgmt);
    /// A management enumerator (`IVssEnumMgmtObject`), an iterator over owned
    /// [`MgmtObject`](super::MgmtObject)s.
    MgmtObjectEnum(IVssEnumMgmtObject);
}

/// A writer's components in the backup components document (`IVssWriterComponentsExt`):
/// a C++ interface without IUnknown whose object is released through its second vtable
/// pointer, as vsbackup.h documents.
#[derive(Debug)]
pub struct WriterComponents {
    pub(crate) inner: IVssWriterComponents,
    /// The object's IUnknown (its second vtable pointer), whose reference is released on drop.
    _owner: crate::com::IUnknown,
}

impl WriterComponents {
    pub(crate) fn from_parts(inner: IVssWriterComponents, owner: crate::com::IUnknown) -> Self {
        WriterComponents {
            inner,
            _owner: owner,
        }
    }
}

/// `VSS_COMPONENTINFO`, copied out of the component (then freed with `FreeComponentInfo`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComponentInfo {
    /// `VSS_COMPONENT_TYPE` (1 = database, 2 = file group).
    pub component_type: i32,
    /// Logical path (empty when none).
    pub logical_path: String,
    /// Component name.
    pub name: String,
    /// Caption shown to users.
    pub caption: String,
    /// Icon bytes, if the writer gives one.
    pub icon: Vec<u8>,
    /// Whether restore needs the component's restore metadata.
    pub restore_metadata: bool,
    /// Whether the writer wants `BackupComplete` notification.
    pub notify_on_backup_complete: bool,
    /// Whether the component can be selected for backup.
    pub selectable: bool,
    /// Whether it can be selected for restore.
    pub selectable_for_restore: bool,
    /// `VSS_COMPONENT_FLAGS` bits.
    pub flags: u32,
    /// Number of file sets (`GetFile`).
    pub file_count: u32,
    /// Number of database files (`GetDatabaseFile`).
    pub database_count: u32,
    /// Number of database log files (`GetDatabaseLogFile`).
    pub log_file_count: u32,
    /// Number of dependencies (`GetDependency`).
    pub dependency_count: u32,
}

impl WmComponent {
    /// `GetComponentInfo`, copied, then `FreeComponentInfo` as the documentation requires.
    pub fn info(&self) -> Result<ComponentInfo, GetComponentInfoError> {
        let (hr, info) = raw::component_info(&self.inner);
        GetComponentInfoError::classify(hr).map(drop)?;
        info.ok_or_else(|| GetComponentInfoError::from_failure(raw::marshal::E_POINTER))
    }
}

impl Iterator for ObjectEnum {
    type Item = Result<SnapshotProperties, NextError>;

    /// `Next(1, …)`: the next snapshot's properties (strings copied and freed); items of
    /// other object types are skipped; `None` once the enumerator returns `S_FALSE`.
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (hr, item) = raw::enum_next(&self.inner);
            if let Err(e) = NextError::classify(hr) {
                return Some(Err(e));
            }
            match item {
                Some((t, p)) if t == super::backup::VSS_OBJECT_SNAPSHOT => return Some(Ok(p)),
                Some(_) => {}
                None => return None,
            }
        }
    }
}

impl ObjectEnum {
    /// `Clone`: a second enumerator at the same position.
    pub fn try_clone(&self) -> Result<ObjectEnum, CloneError> {
        let (hr, e) = raw::enum_clone(&self.inner);
        CloneError::classify(hr).map(drop)?;
        e.map(ObjectEnum::from_interface)
            .ok_or_else(|| CloneError::from_failure(raw::marshal::E_POINTER))
    }
}

use crate::error::MethodError;
