//! A backup workflow that follows the catalog's advice: the retry driver, a session that
//! walks the requester sequence in order and cleans up after itself, and writer-failure
//! attribution.

pub mod clock;
pub mod components;
pub mod restore;
pub mod retry;
pub mod session;

pub use clock::{CancelToken, Clock, SimulatedClock, SystemClock};
pub use components::{ComponentFiles, ComponentKey, ComponentResult, MappedFileSet, Selection};
pub use restore::{RestoreError, RestorePlan, RestoreReport, RestoreSession};
pub use retry::{Advised, Attempt, Override, Policy, RetryDriver, RetryError};
pub use session::{
    run_backup, BackupReport, BackupSession, SessionError, SessionOptions, StepError,
};
