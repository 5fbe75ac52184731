//! Typed models of what a requester reads: a writer's metadata (identity, components with
//! their files, databases, logs and dependencies, excludes, restore method, alternate
//! locations, backup schema) and the backup components document (per component: backup
//! result, stamps, options, restore target and status, failure messages, partial and
//! differenced files, directed targets, restore subcomponents, what the Ex interfaces add and
//! the writer's component-level failure). The enums and flag sets of
//! vss.h and vswriter.h are typed here too. Each reader calls the generated wrappers and stops
//! at the first failure, which names its method.

use super::{Component, WmComponent, WmDependency, WmFiledesc, WriterComponents, WriterMetadata};
use crate::com::GUID;
use crate::error::{AnyError, MethodError};
use windows_result::HRESULT;

/// `E_NOINTERFACE`: the object lacks an Ex interface (an older Windows).
const E_NOINTERFACE: HRESULT = HRESULT(0x8000_4002_u32 as i32);

fn any<E: MethodError>(e: E) -> AnyError {
    AnyError::new(e)
}

/// `Ok(None)` when the call failed only because the Ex interface is missing.
fn optional<T, E: MethodError>(r: Result<T, E>) -> Result<Option<T>, AnyError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.hresult() == E_NOINTERFACE => Ok(None),
        Err(e) => Err(any(e)),
    }
}

macro_rules! c_enum {
    ($( $(#[$doc:meta])* $name:ident { $( $(#[$vdoc:meta])* $variant:ident = $value:literal, )* } )*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            pub enum $name {
                $( $(#[$vdoc])* $variant, )*
                /// A value the header does not define, kept as is.
                Unknown(i32),
            }

            impl $name {
                /// The variant of a C value.
                pub const fn from_raw(v: i32) -> Self {
                    match v {
                        $( $value => $name::$variant, )*
                        other => $name::Unknown(other),
                    }
                }

                /// The C value.
                pub const fn raw(self) -> i32 {
                    match self {
                        $( $name::$variant => $value, )*
                        $name::Unknown(v) => v,
                    }
                }
            }
        )*
    };
}

c_enum! {
    /// `VSS_USAGE_TYPE`: what the writer's data is for.
    UsageType {
        /// `VSS_UT_UNDEFINED`.
        Undefined = 0,
        /// `VSS_UT_BOOTABLESYSTEMSTATE`.
        BootableSystemState = 1,
        /// `VSS_UT_SYSTEMSERVICE`.
        SystemService = 2,
        /// `VSS_UT_USERDATA`.
        UserData = 3,
        /// `VSS_UT_OTHER`.
        Other = 4,
    }
    /// `VSS_SOURCE_TYPE`: the kind of data the writer manages.
    SourceType {
        /// `VSS_ST_UNDEFINED`.
        Undefined = 0,
        /// `VSS_ST_TRANSACTEDDB`.
        TransactedDb = 1,
        /// `VSS_ST_NONTRANSACTEDDB`.
        NonTransactedDb = 2,
        /// `VSS_ST_OTHER`.
        Other = 3,
    }
    /// `VSS_RESTOREMETHOD_ENUM`: how the writer wants its data restored.
    RestoreMethod {
        /// `VSS_RME_UNDEFINED`.
        Undefined = 0,
        /// `VSS_RME_RESTORE_IF_NOT_THERE`.
        IfNotThere = 1,
        /// `VSS_RME_RESTORE_IF_CAN_REPLACE`.
        IfCanReplace = 2,
        /// `VSS_RME_STOP_RESTORE_START`.
        StopRestoreStart = 3,
        /// `VSS_RME_RESTORE_TO_ALTERNATE_LOCATION`.
        ToAlternateLocation = 4,
        /// `VSS_RME_RESTORE_AT_REBOOT`.
        AtReboot = 5,
        /// `VSS_RME_RESTORE_AT_REBOOT_IF_CANNOT_REPLACE`.
        AtRebootIfCannotReplace = 6,
        /// `VSS_RME_CUSTOM`.
        Custom = 7,
        /// `VSS_RME_RESTORE_STOP_START`.
        RestoreStopStart = 8,
    }
    /// `VSS_WRITERRESTORE_ENUM`: whether the writer takes part in a restore.
    WriterRestore {
        /// `VSS_WRE_UNDEFINED`.
        Undefined = 0,
        /// `VSS_WRE_NEVER`.
        Never = 1,
        /// `VSS_WRE_IF_REPLACE_FAILS`.
        IfReplaceFails = 2,
        /// `VSS_WRE_ALWAYS`.
        Always = 3,
    }
    /// `VSS_COMPONENT_TYPE`.
    ComponentType {
        /// `VSS_CT_UNDEFINED`.
        Undefined = 0,
        /// `VSS_CT_DATABASE`.
        Database = 1,
        /// `VSS_CT_FILEGROUP`.
        FileGroup = 2,
    }
    /// `VSS_RESTORE_TARGET`: where a component is restored.
    RestoreTarget {
        /// `VSS_RT_UNDEFINED`.
        Undefined = 0,
        /// `VSS_RT_ORIGINAL`.
        Original = 1,
        /// `VSS_RT_ALTERNATE`.
        Alternate = 2,
        /// `VSS_RT_DIRECTED`.
        Directed = 3,
        /// `VSS_RT_ORIGINAL_LOCATION`.
        OriginalLocation = 4,
    }
    /// `VSS_FILE_RESTORE_STATUS`: how much of a component the requester restored.
    FileRestoreStatus {
        /// `VSS_RS_UNDEFINED`.
        Undefined = 0,
        /// `VSS_RS_NONE`: nothing was restored.
        None = 1,
        /// `VSS_RS_ALL`: every file was restored.
        All = 2,
        /// `VSS_RS_FAILED`: the restore failed part way.
        Failed = 3,
    }
    /// `VSS_ROLLFORWARD_TYPE`.
    RollForwardType {
        /// `VSS_RF_UNDEFINED`.
        Undefined = 0,
        /// `VSS_RF_NONE`.
        None = 1,
        /// `VSS_RF_ALL`.
        All = 2,
        /// `VSS_RF_PARTIAL`.
        Partial = 3,
    }
}

macro_rules! c_flags {
    ($( $(#[$doc:meta])* $name:ident { $( $(#[$fdoc:meta])* $flag:ident = $c:literal $value:literal, )* } )*) => {
        $(
            $(#[$doc])*
            #[repr(transparent)]
            #[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub struct $name(pub u32);

            impl $name {
                $( $(#[$fdoc])* pub const $flag: $name = $name($value); )*

                /// Every named flag with its C name.
                pub const ALL: &'static [($name, &'static str)] = &[ $( ($name::$flag, $c), )* ];

                /// Whether every bit of `other` is set.
                pub const fn contains(self, other: $name) -> bool {
                    self.0 & other.0 == other.0 && other.0 != 0
                }

                /// The C names of the set flags, in header order.
                pub fn names(self) -> impl Iterator<Item = &'static str> {
                    Self::ALL.iter().filter(move |(f, _)| self.contains(*f)).map(|(_, n)| *n)
                }
            }

            impl core::ops::BitOr for $name {
                type Output = $name;
                fn bitor(self, rhs: $name) -> $name {
                    $name(self.0 | rhs.0)
                }
            }

            impl core::fmt::Debug for $name {
                /// `VSS_BS_DIFFERENTIAL | VSS_BS_LOG`, plus any unnamed bits in hex.
                fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                    let named = Self::ALL.iter().filter(|(fl, _)| self.contains(*fl)).fold(0, |a, (fl, _)| a | fl.0);
                    let mut first = true;
                    for n in self.names() {
                        if !first { f.write_str(" | ")?; }
                        f.write_str(n)?;
                        first = false;
                    }
                    let rest = self.0 & !named;
                    if rest != 0 || first {
                        if !first { f.write_str(" | ")?; }
                        write!(f, "0x{rest:x}")?;
                    }
                    Ok(())
                }
            }
        )*
    };
}

c_flags! {
    /// `VSS_BACKUP_SCHEMA`: the backup types and restore features a writer supports.
    BackupSchema {
        /// `VSS_BS_DIFFERENTIAL`.
        DIFFERENTIAL = "VSS_BS_DIFFERENTIAL" 0x1,
        /// `VSS_BS_INCREMENTAL`.
        INCREMENTAL = "VSS_BS_INCREMENTAL" 0x2,
        /// `VSS_BS_EXCLUSIVE_INCREMENTAL_DIFFERENTIAL`.
        EXCLUSIVE_INCREMENTAL_DIFFERENTIAL = "VSS_BS_EXCLUSIVE_INCREMENTAL_DIFFERENTIAL" 0x4,
        /// `VSS_BS_LOG`.
        LOG = "VSS_BS_LOG" 0x8,
        /// `VSS_BS_COPY`.
        COPY = "VSS_BS_COPY" 0x10,
        /// `VSS_BS_TIMESTAMPED`.
        TIMESTAMPED = "VSS_BS_TIMESTAMPED" 0x20,
        /// `VSS_BS_LAST_MODIFY`.
        LAST_MODIFY = "VSS_BS_LAST_MODIFY" 0x40,
        /// `VSS_BS_LSN`.
        LSN = "VSS_BS_LSN" 0x80,
        /// `VSS_BS_WRITER_SUPPORTS_NEW_TARGET`.
        WRITER_SUPPORTS_NEW_TARGET = "VSS_BS_WRITER_SUPPORTS_NEW_TARGET" 0x100,
        /// `VSS_BS_WRITER_SUPPORTS_RESTORE_WITH_MOVE`.
        WRITER_SUPPORTS_RESTORE_WITH_MOVE = "VSS_BS_WRITER_SUPPORTS_RESTORE_WITH_MOVE" 0x200,
        /// `VSS_BS_INDEPENDENT_SYSTEM_STATE`.
        INDEPENDENT_SYSTEM_STATE = "VSS_BS_INDEPENDENT_SYSTEM_STATE" 0x400,
        /// `VSS_BS_ROLLFORWARD_RESTORE`.
        ROLLFORWARD_RESTORE = "VSS_BS_ROLLFORWARD_RESTORE" 0x1000,
        /// `VSS_BS_RESTORE_RENAME`.
        RESTORE_RENAME = "VSS_BS_RESTORE_RENAME" 0x2000,
        /// `VSS_BS_AUTHORITATIVE_RESTORE`.
        AUTHORITATIVE_RESTORE = "VSS_BS_AUTHORITATIVE_RESTORE" 0x4000,
        /// `VSS_BS_WRITER_SUPPORTS_PARALLEL_RESTORES`.
        WRITER_SUPPORTS_PARALLEL_RESTORES = "VSS_BS_WRITER_SUPPORTS_PARALLEL_RESTORES" 0x8000,
    }
    /// `VSS_COMPONENT_FLAGS`.
    ComponentFlags {
        /// `VSS_CF_BACKUP_RECOVERY`.
        BACKUP_RECOVERY = "VSS_CF_BACKUP_RECOVERY" 0x1,
        /// `VSS_CF_APP_ROLLBACK_RECOVERY`.
        APP_ROLLBACK_RECOVERY = "VSS_CF_APP_ROLLBACK_RECOVERY" 0x2,
        /// `VSS_CF_NOT_SYSTEM_STATE`.
        NOT_SYSTEM_STATE = "VSS_CF_NOT_SYSTEM_STATE" 0x4,
    }
    /// `VSS_FILE_SPEC_BACKUP_TYPE`: the backup and snapshot types a file set takes part in.
    FileSpecBackupType {
        /// `VSS_FSBT_FULL_BACKUP_REQUIRED`.
        FULL_BACKUP_REQUIRED = "VSS_FSBT_FULL_BACKUP_REQUIRED" 0x1,
        /// `VSS_FSBT_DIFFERENTIAL_BACKUP_REQUIRED`.
        DIFFERENTIAL_BACKUP_REQUIRED = "VSS_FSBT_DIFFERENTIAL_BACKUP_REQUIRED" 0x2,
        /// `VSS_FSBT_INCREMENTAL_BACKUP_REQUIRED`.
        INCREMENTAL_BACKUP_REQUIRED = "VSS_FSBT_INCREMENTAL_BACKUP_REQUIRED" 0x4,
        /// `VSS_FSBT_LOG_BACKUP_REQUIRED`.
        LOG_BACKUP_REQUIRED = "VSS_FSBT_LOG_BACKUP_REQUIRED" 0x8,
        /// `VSS_FSBT_FULL_SNAPSHOT_REQUIRED`.
        FULL_SNAPSHOT_REQUIRED = "VSS_FSBT_FULL_SNAPSHOT_REQUIRED" 0x100,
        /// `VSS_FSBT_DIFFERENTIAL_SNAPSHOT_REQUIRED`.
        DIFFERENTIAL_SNAPSHOT_REQUIRED = "VSS_FSBT_DIFFERENTIAL_SNAPSHOT_REQUIRED" 0x200,
        /// `VSS_FSBT_INCREMENTAL_SNAPSHOT_REQUIRED`.
        INCREMENTAL_SNAPSHOT_REQUIRED = "VSS_FSBT_INCREMENTAL_SNAPSHOT_REQUIRED" 0x400,
        /// `VSS_FSBT_LOG_SNAPSHOT_REQUIRED`.
        LOG_SNAPSHOT_REQUIRED = "VSS_FSBT_LOG_SNAPSHOT_REQUIRED" 0x800,
        /// `VSS_FSBT_CREATED_DURING_BACKUP`.
        CREATED_DURING_BACKUP = "VSS_FSBT_CREATED_DURING_BACKUP" 0x10000,
    }
}

/// A file set (`IVssWMFiledesc`): the files under `path` matching `filespec`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSet {
    /// The folder, as the writer states it (may hold environment variables).
    pub path: String,
    /// The file name pattern (`*` and `?` wildcards).
    pub filespec: String,
    /// Whether subfolders are included.
    pub recursive: bool,
    /// Where to restore them instead (empty when none).
    pub alternate_location: String,
    /// The backup and snapshot types the set takes part in.
    pub backup_type_mask: FileSpecBackupType,
}

impl WmFiledesc {
    /// Every property of the file set.
    pub fn read(&self) -> Result<FileSet, AnyError> {
        Ok(FileSet {
            path: self.path().map_err(any)?,
            filespec: self.filespec().map_err(any)?,
            recursive: self.recursive().map_err(any)?,
            alternate_location: self.alternate_location().map_err(any)?.1,
            backup_type_mask: FileSpecBackupType(self.backup_type_mask().map_err(any)?),
        })
    }
}

/// A dependency of a component on another writer's component (`IVssWMDependency`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    /// The writer class depended on.
    pub writer_id: GUID,
    /// The component's logical path (empty when none).
    pub logical_path: String,
    /// The component's name.
    pub component_name: String,
    /// Whether a writer that manages the component runs; `false` is the documented
    /// `S_FALSE` ("no writer can be found"): what it depends on cannot be backed up with it.
    pub writer_found: bool,
}

impl WmDependency {
    /// Every property of the dependency.
    pub fn read(&self) -> Result<Dependency, AnyError> {
        let (found, writer_id) = self.writer_id().map_err(any)?;
        Ok(Dependency {
            writer_id,
            logical_path: self.logical_path().map_err(any)?.1,
            component_name: self.component_name().map_err(any)?.1,
            writer_found: found.hresult().0 == 0,
        })
    }
}

/// A component of a writer's metadata, with its files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriterComponent {
    /// Type, names, caption and flags (`GetComponentInfo`).
    pub info: super::ComponentInfo,
    /// `VSS_COMPONENT_TYPE`.
    pub component_type: ComponentType,
    /// `VSS_COMPONENT_FLAGS`.
    pub flags: ComponentFlags,
    /// File sets (`GetFile`).
    pub files: Vec<FileSet>,
    /// Database files (`GetDatabaseFile`).
    pub databases: Vec<FileSet>,
    /// Database log files (`GetDatabaseLogFile`).
    pub log_files: Vec<FileSet>,
    /// Dependencies on other writers' components (`GetDependency`).
    pub dependencies: Vec<Dependency>,
}

impl WriterComponent {
    /// Every file set the component names: files, databases and logs.
    pub fn all_files(&self) -> impl Iterator<Item = &FileSet> {
        self.files
            .iter()
            .chain(&self.databases)
            .chain(&self.log_files)
    }
}

impl WmComponent {
    /// The component and everything it lists.
    pub fn read(&self) -> Result<WriterComponent, AnyError> {
        let info = self.info().map_err(any)?;
        let files = (0..info.file_count)
            .map(|i| self.file(i).map_err(any)?.read())
            .collect::<Result<_, _>>()?;
        let databases = (0..info.database_count)
            .map(|i| self.database_file(i).map_err(any)?.read())
            .collect::<Result<_, _>>()?;
        let log_files = (0..info.log_file_count)
            .map(|i| self.database_log_file(i).map_err(any)?.read())
            .collect::<Result<_, _>>()?;
        let dependencies = (0..info.dependency_count)
            .map(|i| self.dependency(i).map_err(any)?.read())
            .collect::<Result<_, _>>()?;
        Ok(WriterComponent {
            component_type: ComponentType::from_raw(info.component_type),
            flags: ComponentFlags(info.flags),
            info,
            files,
            databases,
            log_files,
            dependencies,
        })
    }
}

/// How a writer wants to be restored (`GetRestoreMethod`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoreSpec {
    /// The method.
    pub method: RestoreMethod,
    /// The service to stop and start, for the stop/start methods.
    pub service: String,
    /// A user-visible procedure, for `Custom`.
    pub user_procedure: String,
    /// Whether the writer takes part in the restore.
    pub writer_restore: WriterRestore,
    /// Whether a reboot is needed afterwards.
    pub reboot_required: bool,
    /// How many alternate location mappings there are.
    pub mappings: u32,
}

/// Everything a writer's metadata document states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriterInfo {
    /// The writer instance.
    pub instance_id: GUID,
    /// The writer class.
    pub writer_id: GUID,
    /// The writer's name.
    pub name: String,
    /// The instance name (`GetIdentityEx`; `None` where the Ex interface is missing).
    pub instance_name: Option<String>,
    /// What the data is for.
    pub usage: UsageType,
    /// The kind of data.
    pub source: SourceType,
    /// The writer's version (`GetVersion`; `None` where the Ex2 interface is missing).
    pub version: Option<(u32, u32)>,
    /// The backup types and features it supports.
    pub backup_schema: BackupSchema,
    /// How it wants to be restored.
    pub restore: RestoreSpec,
    /// Its components.
    pub components: Vec<WriterComponent>,
    /// Files excluded from the backup.
    pub excludes: Vec<FileSet>,
    /// Files excluded from the snapshot (Ex2; empty where it is missing).
    pub excludes_from_snapshot: Vec<FileSet>,
    /// Alternate location mappings for restore.
    pub alternate_locations: Vec<FileSet>,
}

impl WriterInfo {
    /// The component at a logical path and name (an empty path for none).
    pub fn component(&self, logical_path: &str, name: &str) -> Option<&WriterComponent> {
        self.components
            .iter()
            .find(|c| c.info.logical_path == logical_path && c.info.name == name)
    }
}

impl WriterMetadata {
    /// The whole document, typed. The Ex and Ex2 parts (instance name, version, excludes
    /// from snapshot) are `None` or empty where the system lacks them.
    pub fn read(&self) -> Result<WriterInfo, AnyError> {
        let (hr, instance_id, writer_id, name, usage, source) =
            super::raw::writer_identity_full(&self.inner);
        crate::methods::GetIdentityError::classify(hr).map_err(any)?;
        let instance_name = optional(self.identity_ex())?.map(|t| t.3);
        let version = optional(self.version())?;
        let (_includes, excludes, components) = self.file_counts().map_err(any)?;
        let (method, service, user_procedure, writer_restore, reboot_required, mappings) =
            self.restore_method().map_err(any)?;
        let restore = RestoreSpec {
            method: RestoreMethod::from_raw(method),
            service,
            user_procedure,
            writer_restore: WriterRestore::from_raw(writer_restore),
            reboot_required,
            mappings,
        };
        let components = (0..components)
            .map(|i| self.component(i).map_err(any)?.read())
            .collect::<Result<_, _>>()?;
        let excludes = (0..excludes)
            .map(|i| self.exclude_file(i).map_err(any)?.read())
            .collect::<Result<_, _>>()?;
        let alternate_locations = (0..restore.mappings)
            .map(|i| self.alternate_location_mapping(i).map_err(any)?.read())
            .collect::<Result<_, _>>()?;
        let excludes_from_snapshot = match optional(self.exclude_from_snapshot_count())? {
            None => Vec::new(),
            Some(n) => (0..n)
                .map(|i| self.exclude_from_snapshot_file(i).map_err(any)?.read())
                .collect::<Result<_, _>>()?,
        };
        Ok(WriterInfo {
            instance_id: if self.instance_id == GUID::zeroed() {
                instance_id
            } else {
                self.instance_id
            },
            writer_id,
            name,
            instance_name,
            usage: UsageType::from_raw(usage),
            source: SourceType::from_raw(source),
            version,
            backup_schema: BackupSchema(self.backup_schema().map_err(any)?),
            restore,
            components,
            excludes,
            excludes_from_snapshot,
            alternate_locations,
        })
    }
}

impl super::BackupComponents {
    /// Every writer's metadata, typed, after `GatherWriterMetadata`: `GetWriterMetadataEx`
    /// where the system has it, else `GetWriterMetadata`.
    pub fn writers(&self) -> Result<Vec<WriterInfo>, AnyError> {
        let n = self.writer_metadata_count().map_err(any)?;
        (0..n)
            .map(|i| {
                let m = match self.writer_metadata_ex(i) {
                    Ok(m) => m,
                    Err(_) => self.writer_metadata(i).map_err(any)?,
                };
                m.read()
            })
            .collect()
    }
}

/// A partial file (`GetPartialFile`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartialFile {
    /// Folder.
    pub path: String,
    /// File name.
    pub filename: String,
    /// The ranges (or the ranges file).
    pub ranges: String,
    /// The writer's metadata for it.
    pub metadata: String,
}

/// A differenced file set (`GetDifferencedFile`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DifferencedFile {
    /// Folder.
    pub path: String,
    /// Pattern.
    pub filespec: String,
    /// Whether subfolders are included.
    pub recursive: bool,
    /// The log sequence number, when the writer differences by LSN.
    pub lsn: String,
    /// The last modification time, when it differences by time.
    pub last_modify_time: super::types::FileTime,
}

/// A directed target (`GetDirectedTarget`): where parts of a file are restored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectedTarget {
    /// Source folder.
    pub source_path: String,
    /// Source file name.
    pub source_filename: String,
    /// Source ranges.
    pub source_ranges: String,
    /// Destination folder.
    pub destination_path: String,
    /// Destination file name.
    pub destination_filename: String,
    /// Destination ranges.
    pub destination_ranges: String,
}

/// A subcomponent to restore (`GetRestoreSubcomponent`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoreSubcomponent {
    /// Its logical path.
    pub logical_path: String,
    /// Its name.
    pub name: String,
    /// Whether it is restored to repair it.
    pub repair: bool,
}

/// A component in the backup components document: what the backup recorded for it and
/// what the writer said during a restore.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupComponent {
    /// Logical path (empty when none).
    pub logical_path: String,
    /// Name.
    pub name: String,
    /// `VSS_COMPONENT_TYPE`.
    pub component_type: ComponentType,
    /// Whether the requester reported its backup as succeeded.
    pub backup_succeeded: bool,
    /// The writer's stamp for this backup (empty when none).
    pub backup_stamp: String,
    /// The stamp of the backup this one builds on.
    pub previous_backup_stamp: String,
    /// Backup options the requester set.
    pub backup_options: String,
    /// Restore options the requester set.
    pub restore_options: String,
    /// Whether it is selected for restore.
    pub selected_for_restore: bool,
    /// Whether more restores follow.
    pub additional_restores: bool,
    /// Where it is restored.
    pub restore_target: RestoreTarget,
    /// How much the requester restored.
    pub file_restore_status: FileRestoreStatus,
    /// The writer's `PreRestore` failure message (empty when none).
    pub pre_restore_failure: String,
    /// The writer's `PostRestore` failure message (empty when none).
    pub post_restore_failure: String,
    /// Partial files.
    pub partial_files: Vec<PartialFile>,
    /// Differenced files.
    pub differenced_files: Vec<DifferencedFile>,
    /// New targets for restore.
    pub new_targets: Vec<FileSet>,
    /// Directed targets.
    pub directed_targets: Vec<DirectedTarget>,
    /// Alternate location mappings.
    pub alternate_locations: Vec<FileSet>,
    /// Subcomponents to restore.
    pub restore_subcomponents: Vec<RestoreSubcomponent>,
    /// What `IVssComponentEx` adds; `None` where the system lacks that interface.
    pub ex: Option<ComponentEx>,
    /// The component-level failure its writer reported (`IVssComponentEx2::GetFailure`);
    /// `None` when the writer reported none (`S_OK`) or the system lacks `IVssComponentEx2`.
    pub failure: Option<ComponentFailure>,
}

/// What `IVssComponentEx` holds for a component of the backup components document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComponentEx {
    /// The writer's `PrepareForBackup` failure message (empty when none).
    pub prepare_for_backup_failure: String,
    /// The writer's `PostSnapshot` failure message (empty when none).
    pub post_snapshot_failure: String,
    /// Whether the requester marked the restore authoritative.
    pub authoritative_restore: bool,
    /// The restore name the requester set (empty when none).
    pub restore_name: String,
    /// How far the restore rolls forward.
    pub roll_forward: RollForwardType,
    /// The restore point a partial roll-forward stops at (empty when none).
    pub roll_forward_point: String,
}

/// A component-level failure a writer reported through `IVssComponentEx2::SetFailure`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComponentFailure {
    /// The writer's failure (a `VSS_E_WRITERERROR_*` code), as returned.
    pub hr: HRESULT,
    /// The application's own failure behind it (`S_OK` when none).
    pub application: HRESULT,
    /// The application's message (empty when none).
    pub message: String,
}

impl ComponentFailure {
    /// The catalog's reading of `hr`, as a VSS code first, then a COM one (`None` for a
    /// value the catalog does not hold).
    pub fn code(&self) -> Option<crate::Code> {
        crate::Code::from_hresult(crate::Family::Vss, self.hr)
            .or_else(|| crate::Code::from_hresult(crate::Family::Com, self.hr))
    }
}

impl Component {
    /// Everything the document holds for the component.
    pub fn read(&self) -> Result<BackupComponent, AnyError> {
        let partial_files = (0..self.partial_file_count().map_err(any)?)
            .map(|i| {
                let (path, filename, ranges, metadata) = self.partial_file(i).map_err(any)?;
                Ok(PartialFile {
                    path,
                    filename,
                    ranges,
                    metadata,
                })
            })
            .collect::<Result<_, AnyError>>()?;
        let differenced_files = (0..self.differenced_files_count().map_err(any)?)
            .map(|i| {
                let (path, filespec, recursive, lsn, last_modify_time) =
                    self.differenced_file(i).map_err(any)?;
                Ok(DifferencedFile {
                    path,
                    filespec,
                    recursive,
                    lsn,
                    last_modify_time,
                })
            })
            .collect::<Result<_, AnyError>>()?;
        let new_targets = (0..self.new_target_count().map_err(any)?)
            .map(|i| self.new_target(i).map_err(any)?.read())
            .collect::<Result<_, _>>()?;
        let directed_targets = (0..self.directed_target_count().map_err(any)?)
            .map(|i| {
                let (a, b, c, d, e, f) = self.directed_target(i).map_err(any)?;
                Ok(DirectedTarget {
                    source_path: a,
                    source_filename: b,
                    source_ranges: c,
                    destination_path: d,
                    destination_filename: e,
                    destination_ranges: f,
                })
            })
            .collect::<Result<_, AnyError>>()?;
        let alternate_locations = (0..self.alternate_location_mapping_count().map_err(any)?)
            .map(|i| self.alternate_location_mapping(i).map_err(any)?.read())
            .collect::<Result<_, _>>()?;
        let restore_subcomponents = (0..self.restore_subcomponent_count().map_err(any)?)
            .map(|i| {
                let (logical_path, name, repair) = self.restore_subcomponent(i).map_err(any)?;
                Ok(RestoreSubcomponent {
                    logical_path,
                    name,
                    repair,
                })
            })
            .collect::<Result<_, AnyError>>()?;
        Ok(BackupComponent {
            logical_path: self.logical_path().map_err(any)?.1,
            name: self.component_name().map_err(any)?.1,
            component_type: ComponentType::from_raw(self.component_type().map_err(any)?),
            backup_succeeded: self.backup_succeeded().map_err(any)?.1,
            backup_stamp: self.backup_stamp().map_err(any)?.1,
            previous_backup_stamp: self.previous_backup_stamp().map_err(any)?.1,
            backup_options: self.backup_options().map_err(any)?.1,
            restore_options: self.restore_options().map_err(any)?.1,
            selected_for_restore: self.is_selected_for_restore().map_err(any)?,
            additional_restores: self.additional_restores().map_err(any)?.1,
            restore_target: RestoreTarget::from_raw(self.restore_target().map_err(any)?),
            file_restore_status: FileRestoreStatus::from_raw(
                self.file_restore_status().map_err(any)?,
            ),
            pre_restore_failure: self.pre_restore_failure_msg().map_err(any)?.1,
            post_restore_failure: self.post_restore_failure_msg().map_err(any)?.1,
            partial_files,
            differenced_files,
            new_targets,
            directed_targets,
            alternate_locations,
            restore_subcomponents,
            ex: self.read_ex()?,
            failure: self.read_failure()?,
        })
    }

    fn read_ex(&self) -> Result<Option<ComponentEx>, AnyError> {
        let Some((_, prepare_for_backup_failure)) =
            optional(self.prepare_for_backup_failure_msg())?
        else {
            return Ok(None);
        };
        let (roll_forward, roll_forward_point) = self.roll_forward().map_err(any)?;
        Ok(Some(ComponentEx {
            prepare_for_backup_failure,
            post_snapshot_failure: self.post_snapshot_failure_msg().map_err(any)?.1,
            authoritative_restore: self.authoritative_restore().map_err(any)?,
            restore_name: self.restore_name().map_err(any)?,
            roll_forward: RollForwardType::from_raw(roll_forward),
            roll_forward_point,
        }))
    }

    fn read_failure(&self) -> Result<Option<ComponentFailure>, AnyError> {
        Ok(
            optional(self.failure())?.and_then(|(hr, application, message, _)| {
                (hr.0 != 0).then_some(ComponentFailure {
                    hr,
                    application,
                    message,
                })
            }),
        )
    }
}

/// One writer's part of the backup components document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriterBackupComponents {
    /// The writer instance.
    pub instance_id: GUID,
    /// The writer class.
    pub writer_id: GUID,
    /// Its components.
    pub components: Vec<BackupComponent>,
}

impl WriterComponents {
    /// The writer's ids and every component, read.
    pub fn read(&self) -> Result<WriterBackupComponents, AnyError> {
        let (instance_id, writer_id) = self.writer_info().map_err(any)?;
        let components = (0..self.component_count().map_err(any)?)
            .map(|i| self.component(i).map_err(any)?.read())
            .collect::<Result<_, _>>()?;
        Ok(WriterBackupComponents {
            instance_id,
            writer_id,
            components,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_keep_unknown_values() {
        assert_eq!(
            RestoreMethod::from_raw(4),
            RestoreMethod::ToAlternateLocation
        );
        assert_eq!(RestoreMethod::from_raw(99), RestoreMethod::Unknown(99));
        assert_eq!(RestoreMethod::Unknown(99).raw(), 99);
        assert_eq!(FileRestoreStatus::Failed.raw(), 3);
    }

    #[test]
    fn flags_name_their_bits() {
        let s = BackupSchema::DIFFERENTIAL | BackupSchema::LOG | BackupSchema(0x10_0000);
        assert!(s.contains(BackupSchema::LOG));
        assert!(!s.contains(BackupSchema::COPY));
        assert_eq!(
            format!("{s:?}"),
            "VSS_BS_DIFFERENTIAL | VSS_BS_LOG | 0x100000"
        );
        assert_eq!(format!("{:?}", ComponentFlags(0)), "0x0");
    }
}
