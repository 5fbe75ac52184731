//! A fault-injecting VSS for tests (yours and ours): COM objects implementing the declared
//! interfaces that follow the documented call sequence (`VSS_E_BAD_STATE` when a call comes
//! out of order) and fail on demand, per method and phase, with codes the catalog documents
//! for that method only.
//!
//! ```
//! use vss_errors::com::BackupComponents;
//! use vss_errors::fake::{Fault, FakeVss};
//!
//! let vss = FakeVss::new();
//! vss.inject(Fault::parse("DoSnapshotSet=VSS_E_FLUSH_WRITES_TIMEOUT:1").unwrap()).unwrap();
//! let backup = BackupComponents::from_interface(vss.backup_components());
//! backup.initialize_for_backup(None).unwrap();
//! // … the first DoSnapshotSet of this machine will fail with VSS_E_FLUSH_WRITES_TIMEOUT.
//! assert!(Fault::parse("DoSnapshotSet=VSS_E_BAD_STAT").is_err());
//! ```

/// Returns from a fake object's method with the call-time fault queued for it, if any:
/// `queued!(self.faults, COMPONENT, "GetBackupStamp")`.
macro_rules! queued {
    ($faults:expr, $interfaces:expr, $method:literal) => {
        if let Some(hr) = $faults.take($interfaces, $method) {
            return hr;
        }
    };
}

mod cursor;
mod document;
mod faults;
mod management;
mod metadata;
mod objects;
mod system;

pub use faults::{Fault, FaultError, Phase, WriterFault};
pub use management::{FakeDiffArea, MIN_DIFF_AREA_SIZE, VOLUME_FREE_SPACE, VOLUME_TOTAL_SPACE};
pub use system::{FakeComponent, FakeFileSet, FakeSnapshot, FakeWriter};

use crate::com::IVssBackupComponents;
use std::sync::{Arc, Mutex, MutexGuard};
use system::System;

/// A simulated machine: its volumes, writers, shadow copies and pending faults. Every
/// backup components object made from it shares that state, like the real service.
#[derive(Clone, Debug)]
pub struct FakeVss {
    system: Arc<Mutex<System>>,
}

impl Default for FakeVss {
    fn default() -> Self {
        Self::new()
    }
}

impl FakeVss {
    /// A machine with volumes `C:\` and `D:\` and two healthy writers.
    pub fn new() -> Self {
        FakeVss {
            system: Arc::new(Mutex::new(System::new())),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, System> {
        // A panic while the lock was held cannot leave the plain data inconsistent in a way
        // that matters for a test double; keep going with it.
        self.system.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a fault. Refused when the catalog does not document the code for the method,
    /// or documents it only for the other phase.
    pub fn inject(&self, fault: Fault) -> Result<(), FaultError> {
        fault.check()?;
        self.lock().faults.push(fault);
        Ok(())
    }

    /// Makes a writer report a failure from its next status on. Refused for codes that are
    /// not in the catalog's `WriterFailure` set, and for unknown writers.
    pub fn inject_writer(&self, fault: WriterFault) -> Result<(), FaultError> {
        fault.check()?;
        let mut sys = self.lock();
        let names: Vec<String> = sys.writers.iter().map(|w| w.name.clone()).collect();
        match sys
            .writers
            .iter_mut()
            .find(|w| w.name.eq_ignore_ascii_case(&fault.writer))
        {
            Some(w) => {
                w.pending_failure = Some(fault.code);
                Ok(())
            }
            None => Err(FaultError::UnknownWriter {
                writer: fault.writer,
                known: names,
            }),
        }
    }

    /// Stops a writer: it leaves the system (`GatherWriterMetadata` no longer lists it), and
    /// a dependency on its class finds no writer (`S_FALSE` from the `IVssWMDependency`
    /// getters). Refused for unknown writers.
    pub fn stop_writer(&self, writer: &str) -> Result<FakeWriter, FaultError> {
        let mut sys = self.lock();
        match sys
            .writers
            .iter()
            .position(|w| w.name.eq_ignore_ascii_case(writer))
        {
            Some(i) => Ok(sys.writers.remove(i)),
            None => Err(FaultError::UnknownWriter {
                writer: writer.to_string(),
                known: sys.writers.iter().map(|w| w.name.clone()).collect(),
            }),
        }
    }

    /// Adds a volume the machine can snapshot (`E:\`).
    pub fn add_volume(&self, volume: &str) {
        self.lock().volumes.push(volume.to_string());
    }

    /// Makes every snapshot of the volume holding `source` a real folder under `dir`
    /// (`dir\shadowN`, its device object) with `source` frozen into it at its path below the
    /// volume; `touch`, when given, is a live file rewritten right after each snapshot, so a
    /// copy from the live volume instead of the snapshot shows. The volume joins the machine.
    pub fn freeze_into(
        &self,
        source: &std::path::Path,
        dir: &std::path::Path,
        touch: Option<&std::path::Path>,
    ) {
        let mut sys = self.lock();
        if let Some(v) = crate::workflow::components::drive_root(&source.to_string_lossy()) {
            if !sys.has_volume(&v) {
                sys.volumes.push(v);
            }
        }
        sys.freeze = Some(system::Freeze {
            source: source.to_path_buf(),
            dir: dir.to_path_buf(),
            touch: touch.map(std::path::Path::to_path_buf),
        });
    }

    /// Makes the snapshots taken from now on a hardware provider's (transportable LUNs):
    /// `BreakSnapshotSet` and `BreakSnapshotSetEx` break them off VSS, and a restore can add
    /// them to the recovery set and `RecoverSet` (LUN resynchronization). The machine's own
    /// software provider's snapshots refuse all three.
    pub fn use_hardware_provider(&self) {
        self.lock().hardware_provider = true;
    }

    /// How many polls of `QueryStatus` report an operation pending before it finishes.
    pub fn set_pending_polls(&self, polls: u32) {
        self.lock().pending_polls = polls;
    }

    /// A new backup components object (what `CreateVssBackupComponents` returns).
    pub fn backup_components(&self) -> IVssBackupComponents {
        objects::new_backup(self.system.clone()).into()
    }

    /// The coordinator's management object (`IVssSnapshotMgmt`, and `IVssSnapshotMgmt2`
    /// through `QueryInterface`), over this machine's volumes, snapshots and diff areas.
    pub fn snapshot_mgmt(&self) -> crate::com::IVssSnapshotMgmt {
        management::new_snapshot_mgmt(self.system.clone()).into()
    }

    /// The machine's shadow-storage associations (`C:\` on itself, unlimited, at first).
    pub fn diff_areas(&self) -> Vec<FakeDiffArea> {
        self.lock().diff_areas.clone()
    }

    /// The shadow copies the machine holds now.
    pub fn snapshots(&self) -> Vec<FakeSnapshot> {
        self.lock().snapshots.clone()
    }

    /// The writers and their current state.
    pub fn writers(&self) -> Vec<FakeWriter> {
        self.lock().writers.clone()
    }

    /// Every call made so far, as `Method` or `Method -> 0xHRESULT`, in order.
    pub fn calls(&self) -> Vec<String> {
        self.lock().log.clone()
    }

    /// Faults queued but not yet delivered.
    pub fn pending_faults(&self) -> Vec<Fault> {
        self.lock().faults.clone()
    }
}
