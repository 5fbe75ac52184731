//! The simulated machine and the documented requester call sequence, as plain Rust: each
//! step returns the HRESULT VSS would, choosing only codes the catalog documents for it.

use super::faults::{Fault, Phase};
use crate::code::Code;
use crate::com::GUID;
use std::sync::{Arc, Mutex};
use windows_result::HRESULT;

pub(crate) const S_OK: HRESULT = HRESULT(0);
pub(crate) const E_INVALIDARG: HRESULT = HRESULT(0x8007_0057_u32 as i32);
pub(crate) const E_NOTIMPL: HRESULT = HRESULT(0x8000_4001_u32 as i32);
pub(crate) const E_POINTER: HRESULT = HRESULT(0x8000_4003_u32 as i32);

/// Whether a `QueryInterface`-style request (an IID as requesters pass it) asks for `I`, one
/// of the interfaces requesters call through.
pub(crate) fn asks_for<I: crate::com::Interface>(iid: &GUID) -> bool {
    *iid == I::IID
}
pub(crate) const VSS_E_BAD_STATE: HRESULT = HRESULT(0x8004_2301_u32 as i32);
pub(crate) const VSS_E_OBJECT_ALREADY_EXISTS: HRESULT = HRESULT(0x8004_230D_u32 as i32);
pub(crate) const VSS_E_INVALID_XML_DOCUMENT: HRESULT = HRESULT(0x8004_2311_u32 as i32);
pub(crate) const VSS_E_OBJECT_NOT_FOUND: HRESULT = HRESULT(0x8004_2308_u32 as i32);
pub(crate) const VSS_E_REVERT_IN_PROGRESS: HRESULT = HRESULT(0x8004_2325_u32 as i32);
pub(crate) const VSS_E_UNEXPECTED: HRESULT = HRESULT(0x8004_2302_u32 as i32);
pub(crate) const VSS_E_PROVIDER_VETO: HRESULT = HRESULT(0x8004_2306_u32 as i32);
pub(crate) const VSS_E_SNAPSHOT_NOT_IN_SET: HRESULT = HRESULT(0x8004_232B_u32 as i32);

/// `VSS_WS_STABLE`.
pub const WRITER_STABLE: i32 = 1;
/// `VSS_WS_FAILED_AT_FREEZE`.
pub const WRITER_FAILED_AT_FREEZE: i32 = 9;

/// A writer of the simulated machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeWriter {
    /// Writer name.
    pub name: String,
    /// Instance id.
    pub instance_id: GUID,
    /// Writer class id.
    pub writer_id: GUID,
    /// `VSS_WRITER_STATE`.
    pub state: i32,
    /// The failure it reports (`S_OK` when none).
    pub failure: HRESULT,
    /// The application's own failure behind it (`GetWriterStatusEx`; `S_OK` when none).
    pub application_failure: HRESULT,
    /// The application's message (`GetWriterStatusEx`; empty when none).
    pub application_message: String,
    pub(crate) pending_failure: Option<Code>,
    /// `VSS_USAGE_TYPE`.
    pub usage: i32,
    /// `VSS_SOURCE_TYPE`.
    pub source: i32,
    /// `VSS_RESTOREMETHOD_ENUM`.
    pub restore_method: i32,
    /// Whether a restore needs a reboot.
    pub reboot_required: bool,
    /// `VSS_BACKUP_SCHEMA` bits.
    pub backup_schema: u32,
    /// `GetVersion`.
    pub version: (u32, u32),
    /// Its components, in metadata order.
    pub components: Vec<FakeComponent>,
    /// Files excluded from the backup.
    pub excludes: Vec<FakeFileSet>,
    /// Files excluded from the snapshot.
    pub excludes_from_snapshot: Vec<FakeFileSet>,
    /// Alternate location mappings.
    pub alternate_locations: Vec<FakeFileSet>,
}

/// A file set of a fake writer's metadata.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FakeFileSet {
    /// Folder.
    pub path: String,
    /// File name pattern.
    pub filespec: String,
    /// Whether subfolders are included.
    pub recursive: bool,
    /// Where to restore instead (empty when none).
    pub alternate_location: String,
    /// `VSS_FILE_SPEC_BACKUP_TYPE` bits.
    pub backup_type_mask: u32,
}

/// A component of a fake writer's metadata.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FakeComponent {
    /// Logical path (empty when none).
    pub logical_path: String,
    /// Name.
    pub name: String,
    /// Caption.
    pub caption: String,
    /// `VSS_COMPONENT_TYPE` (1 database, 2 file group).
    pub component_type: i32,
    /// Whether it can be selected for backup.
    pub selectable: bool,
    /// File sets.
    pub files: Vec<FakeFileSet>,
    /// Database files.
    pub databases: Vec<FakeFileSet>,
    /// Database log files.
    pub logs: Vec<FakeFileSet>,
    /// (writer class, logical path, component name) of each component it depends on.
    pub dependencies: Vec<(GUID, String, String)>,
}

fn files(path: &str, filespec: &str, recursive: bool) -> FakeFileSet {
    FakeFileSet {
        path: path.into(),
        filespec: filespec.into(),
        recursive,
        alternate_location: String::new(),
        // VSS_FSBT_ALL_BACKUP_REQUIRED | VSS_FSBT_ALL_SNAPSHOT_REQUIRED
        backup_type_mask: 0xf0f,
    }
}

/// A shadow copy the simulated machine holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeSnapshot {
    /// Snapshot id.
    pub id: GUID,
    /// Snapshot set id.
    pub set_id: GUID,
    /// The volume it copies.
    pub volume: String,
    /// Whether it survives the release of the object that made it.
    pub persistent: bool,
    pub(crate) owner: u64,
    /// Where the snapshot's contents are, when the machine freezes a real folder (its
    /// device object); `None` for a `\\?\GLOBALROOT\…` name with nothing behind it.
    pub device: Option<String>,
    /// Where `ExposeSnapshot` exposed it, until `UnexposeSnapshot`.
    pub exposed: Option<String>,
    /// Whether a hardware provider made it (transportable LUNs that can be broken off or
    /// resynchronized); the machine's own software provider's cannot.
    pub hardware: bool,
}

/// A real folder the machine freezes into each snapshot of its volume.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Freeze {
    /// The live folder (`Z:\tmp\src`).
    pub source: std::path::PathBuf,
    /// Where the snapshots' contents go; snapshot `n` is the device `dir\shadowN`.
    pub dir: std::path::PathBuf,
    /// A live file rewritten right after each snapshot, so a copy read from the live volume
    /// instead of the snapshot shows.
    pub touch: Option<std::path::PathBuf>,
}

/// Copies a folder tree.
pub(crate) fn copy_tree(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_tree(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), &target)?;
        }
    }
    Ok(())
}

/// The machine.
#[derive(Debug)]
pub(crate) struct System {
    pub freeze: Option<Freeze>,
    pub volumes: Vec<String>,
    pub writers: Vec<FakeWriter>,
    pub snapshots: Vec<FakeSnapshot>,
    pub faults: Vec<Fault>,
    pub pending_polls: u32,
    /// Whether snapshots come from a hardware provider (`FakeVss::use_hardware_provider`).
    pub hardware_provider: bool,
    pub log: Vec<String>,
    pub reverting: Vec<String>,
    /// Shadow-storage associations (the management interfaces).
    pub diff_areas: Vec<super::management::FakeDiffArea>,
    /// Volumes whose protection level was set.
    pub protection: Vec<super::management::Protection>,
    next_id: u128,
}

impl System {
    pub fn new() -> System {
        let mut s = System {
            freeze: None,
            volumes: vec!["C:\\".into(), "D:\\".into()],
            writers: Vec::new(),
            snapshots: Vec::new(),
            faults: Vec::new(),
            pending_polls: 0,
            hardware_provider: false,
            log: Vec::new(),
            reverting: Vec::new(),
            // The system volume keeps its shadow copies on itself, with no limit.
            diff_areas: vec![super::management::FakeDiffArea {
                volume: "C:\\".into(),
                diff_volume: "C:\\".into(),
                maximum: -1,
            }],
            protection: Vec::new(),
            next_id: 1,
        };
        // Three writers as a requester meets them: the system's files in one component that
        // cannot be selected, the registry depending on it, and a database on another volume.
        let system = vec![FakeComponent {
            logical_path: String::new(),
            name: "System Files".into(),
            caption: "System files".into(),
            component_type: 2,
            selectable: false,
            files: vec![
                files("C:\\Windows\\System32", "*.dll", true),
                files("C:\\Windows\\System32\\drivers", "*.sys", false),
            ],
            ..FakeComponent::default()
        }];
        let writers = [
            (
                "System Writer",
                1,
                2,
                system,
                vec![files("C:\\Windows\\Temp", "*", true)],
            ),
            ("Registry Writer", 1, 2, Vec::new(), Vec::new()),
            ("Database Writer", 3, 1, Vec::new(), Vec::new()),
        ];
        for (name, usage, source, components, excludes) in writers {
            let (instance_id, writer_id) = (s.new_id(), s.new_id());
            s.writers.push(FakeWriter {
                name: name.into(),
                instance_id,
                writer_id,
                state: WRITER_STABLE,
                failure: S_OK,
                application_failure: S_OK,
                application_message: String::new(),
                pending_failure: None,
                usage,
                source,
                restore_method: 2,
                reboot_required: false,
                // VSS_BS_DIFFERENTIAL | VSS_BS_INCREMENTAL | VSS_BS_COPY
                backup_schema: 0x13,
                version: (1, 0),
                components,
                excludes,
                excludes_from_snapshot: Vec::new(),
                alternate_locations: Vec::new(),
            });
        }
        let system_writer = s.writers[0].writer_id;
        s.writers[1].components.push(FakeComponent {
            logical_path: String::new(),
            name: "Registry".into(),
            caption: "Registry hives".into(),
            component_type: 2,
            selectable: true,
            files: vec![files("C:\\Windows\\System32\\config", "*", false)],
            dependencies: vec![(system_writer, String::new(), "System Files".into())],
            ..FakeComponent::default()
        });
        s.writers[2].restore_method = 3;
        s.writers[2].alternate_locations = vec![files("D:\\db", "a.mdf", false)];
        s.writers[2].alternate_locations[0].alternate_location = "D:\\restore\\db".into();
        s.writers[2].excludes_from_snapshot = vec![files("D:\\db\\tmp", "*.tmp", false)];
        s.writers[2].components.push(FakeComponent {
            logical_path: "Instance1".into(),
            name: "a".into(),
            caption: "Database a".into(),
            component_type: 1,
            selectable: true,
            databases: vec![files("D:\\db", "a.mdf", false)],
            logs: vec![files("D:\\db\\logs", "a.ldf", false)],
            ..FakeComponent::default()
        });
        s
    }

    /// A fresh id; deterministic, so runs are reproducible.
    pub fn new_id(&mut self) -> GUID {
        self.next_id += 1;
        GUID::from_u128(0x5653_5300_0000_4000_8000_0000_0000_0000 | self.next_id)
    }

    /// Takes the next queued fault for `interface::method` in `phase`, if any.
    pub fn take_fault(&mut self, interface: &str, method: &str, phase: Phase) -> Option<HRESULT> {
        self.take_fault_in(&[interface], method, phase)
    }

    /// A queued fault for `method` of any of `interfaces` (an interface and its Ex versions).
    pub fn take_fault_in(
        &mut self,
        interfaces: &[&str],
        method: &str,
        phase: Phase,
    ) -> Option<HRESULT> {
        let i = self.faults.iter().position(|f| {
            f.method.interface.is_some_and(|i| interfaces.contains(&i))
                && f.method.name == method
                && f.phase == phase
        })?;
        let hr = self.faults[i].code.hresult();
        self.faults[i].times -= 1;
        if self.faults[i].times == 0 {
            self.faults.remove(i);
        }
        Some(hr)
    }

    pub fn record(&mut self, method: &str, hr: HRESULT) {
        if hr == S_OK {
            self.log.push(method.to_string());
        } else {
            self.log.push(format!("{method} -> 0x{:08X}", hr.0 as u32));
        }
    }

    pub fn has_volume(&self, v: &str) -> bool {
        self.volumes.iter().any(|x| x.eq_ignore_ascii_case(v))
    }
}

/// Where a requester's object is in the documented sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Stage {
    Created,
    Initialized,
    MetadataGathered,
    SetStarted,
    Prepared,
    Snapshotted,
    Completed,
    /// `DoSnapshotSet` failed: only `AbortBackup` (and release) make sense.
    Failed,
    Aborted,
}

/// One requester object's progress through the sequence.
#[derive(Debug)]
pub(crate) struct Session {
    pub id: u64,
    pub stage: Stage,
    pub context: i32,
    pub backup_state_set: bool,
    /// `SetBackupState`'s `VSS_BACKUP_TYPE`.
    pub backup_type: i32,
    pub set_id: Option<GUID>,
    pub members: Vec<(GUID, String)>,
    pub status_gathered: bool,
    /// `SetBackupState(select_components = true, …)`: a component-mode backup.
    pub select_components: bool,
    /// The backup components document.
    pub doc: super::document::Document,
    /// Where a restore session stands; `None` for a backup.
    pub restore: Option<RestorePhase>,
    /// `AddSnapshotToRecoverySet`: the snapshots `RecoverSet` resynchronizes.
    pub recovery_set: Vec<GUID>,
}

/// The documented order of a restore session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum RestorePhase {
    /// `InitializeForRestore` loaded the document.
    Initialized,
    /// `PreRestore` finished.
    PreRestored,
    /// `PostRestore` finished.
    PostRestored,
}

impl Session {
    pub fn new(id: u64) -> Session {
        Session {
            id,
            stage: Stage::Created,
            context: 0,
            backup_state_set: false,
            backup_type: 0,
            set_id: None,
            members: Vec::new(),
            status_gathered: false,
            select_components: false,
            doc: Default::default(),
            restore: None,
            recovery_set: Vec::new(),
        }
    }

    pub fn persistent(&self) -> bool {
        self.context & 0x1 != 0
    }

    /// Whether the object has been initialized and not aborted.
    pub fn live(&self) -> bool {
        self.stage >= Stage::Initialized && self.stage != Stage::Aborted
    }
}

/// Where an object the fake hands out (metadata, documents, enumerators) finds the faults
/// queued for its methods: the machine it came from.
#[derive(Clone, Debug)]
pub(crate) struct Faults(pub Arc<Mutex<System>>);

impl Faults {
    /// A queued call-time fault for `method` of one of `interfaces`, taken and logged as
    /// `Interface::Method -> 0x…`.
    pub fn take(&self, interfaces: &[&str], method: &str) -> Option<HRESULT> {
        let mut sys = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let hr = sys.take_fault_in(interfaces, method, Phase::Call)?;
        let interface = interfaces.first().copied().unwrap_or_default();
        sys.record(&format!("{interface}::{method}"), hr);
        Some(hr)
    }
}

/// The interfaces each kind of object implements, in the order they extend each other.
pub(crate) const EXAMINE: &[&str] = &[
    "IVssExamineWriterMetadata",
    "IVssExamineWriterMetadataEx",
    "IVssExamineWriterMetadataEx2",
];
pub(crate) const WM_COMPONENT: &[&str] = &["IVssWMComponent"];
pub(crate) const FILEDESC: &[&str] = &["IVssWMFiledesc"];
pub(crate) const DEPENDENCY: &[&str] = &["IVssWMDependency"];
pub(crate) const COMPONENT: &[&str] = &["IVssComponent", "IVssComponentEx", "IVssComponentEx2"];
pub(crate) const WRITER_COMPONENTS: &[&str] = &["IVssWriterComponents"];
pub(crate) const ENUM_OBJECT: &[&str] = &["IVssEnumObject"];
pub(crate) const ENUM_MGMT_OBJECT: &[&str] = &["IVssEnumMgmtObject"];
