//! Typed async handles: an `IVssAsync` tied to the method that started it, whose errors tell
//! the phases apart, with our own time limit, typed cancellation and progress.

use super::raw;
use super::IVssAsync;
use crate::catalog::Method;
use crate::error::MethodError;
use crate::methods::{CancelError, CancelOutcome, QueryStatusError, WaitError};
use std::fmt;
use std::marker::PhantomData;
use std::time::{Duration, Instant};
use windows_result::HRESULT;

const VSS_S_ASYNC_PENDING: HRESULT = HRESULT(0x0004_2309);
const VSS_S_ASYNC_FINISHED: HRESULT = HRESULT(0x0004_230A);
const VSS_S_ASYNC_CANCELLED: HRESULT = HRESULT(0x0004_230B);
/// `VDS_E_OPERATION_PENDING`: a VDS operation is still in progress.
const VDS_E_OPERATION_PENDING: HRESULT = HRESULT(0x8004_2409_u32 as i32);

/// Marker: the operation can be cancelled.
#[derive(Debug)]
pub struct Cancellable;
/// Marker: the operation cannot be cancelled (a revert), so the handle has no `cancel`:
///
/// ```compile_fail
/// use vss_errors::com::{NotCancellable, VssAsync};
/// use vss_errors::methods::QueryRevertStatusError;
/// fn cancel(op: &VssAsync<QueryRevertStatusError, NotCancellable>) {
///     let _ = op.cancel(); // no such method: a revert cannot be cancelled
/// }
/// ```
#[derive(Debug)]
pub struct NotCancellable;

/// An async operation started by the method whose error type is `E`.
pub struct VssAsync<E: MethodError, C = Cancellable> {
    inner: IVssAsync,
    _method: PhantomData<fn() -> (E, C)>,
}

impl<E: MethodError, C> fmt::Debug for VssAsync<E, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VssAsync({})", E::method().qualified_name())
    }
}

/// Where an async operation went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AsyncError<E> {
    /// The call that starts the operation failed.
    Start(E),
    /// `IVssAsync::Wait` itself failed.
    Wait(WaitError),
    /// `IVssAsync::QueryStatus` itself failed.
    Query(QueryStatusError),
    /// `IVssAsync::Cancel` itself failed.
    Cancel(CancelError),
    /// The operation finished with a failure: one of the starting method's codes, including
    /// those documented as only returned through `QueryStatus`.
    Failed(E),
    /// The operation was cancelled before it finished.
    Cancelled {
        /// The method that started it.
        method: &'static Method,
    },
    /// Our own limit expired while VSS still reported the operation pending; this is not a
    /// VSS error, and the operation may still finish.
    TimedOut {
        /// The method that started it.
        method: &'static Method,
        /// The limit that expired.
        limit: Duration,
    },
}

impl<E: MethodError> AsyncError<E> {
    /// The method's own typed error, when the start or the operation failed with one.
    pub fn method_error(&self) -> Option<E> {
        match self {
            AsyncError::Start(e) | AsyncError::Failed(e) => Some(*e),
            _ => None,
        }
    }
}

/// Says what went wrong at this layer only; the method's typed error (or `IVssAsync`'s own)
/// is the [`source`](std::error::Error::source), so a chain shows each layer once.
impl<E: MethodError> fmt::Display for AsyncError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let method = E::method().qualified_name();
        match self {
            // The typed error below names the method.
            AsyncError::Start(_) => write!(f, "the asynchronous operation could not start"),
            AsyncError::Failed(_) => write!(f, "the asynchronous operation failed"),
            AsyncError::Wait(_) => write!(f, "waiting for {method}'s operation failed"),
            AsyncError::Query(_) => write!(f, "querying the status of {method}'s operation failed"),
            AsyncError::Cancel(_) => write!(f, "cancelling {method}'s operation failed"),
            AsyncError::Cancelled { method } => write!(f, "{} was cancelled before it finished", method.qualified_name()),
            AsyncError::TimedOut { method, limit } => write!(
                f,
                "{} still pending after {} s; this is our own limit, not a VSS error: raise it with `VssAsync::wait(Duration)`",
                method.qualified_name(),
                limit.as_secs_f64()
            ),
        }
    }
}

impl<E: MethodError> std::error::Error for AsyncError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AsyncError::Start(e) | AsyncError::Failed(e) => Some(e),
            AsyncError::Wait(e) => Some(e),
            AsyncError::Query(e) => Some(e),
            AsyncError::Cancel(e) => Some(e),
            AsyncError::Cancelled { .. } | AsyncError::TimedOut { .. } => None,
        }
    }
}

/// Where an operation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status<O> {
    /// Still running (`VSS_S_ASYNC_PENDING`).
    Pending,
    /// Finished successfully, with the method's success outcome.
    Finished(O),
}

/// Progress for a progress bar: IVdsAsync-style interfaces report percent complete; VSS's
/// `IVssAsync` does not, so its percent is `None` while it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Running; percent complete when the interface reports it.
    Running {
        /// 0–99, or `None` when unknown.
        percent: Option<u8>,
    },
    /// Finished (successfully or not).
    Done,
}

impl Progress {
    /// Interprets what `IVdsAsync::QueryStatus` returns: pending while the status is
    /// `VDS_E_OPERATION_PENDING`; 0–99 while running, 100 when finished, 0 when progress
    /// cannot be estimated.
    pub fn from_vds(status: HRESULT, percent: u32) -> Progress {
        if status == VDS_E_OPERATION_PENDING {
            Progress::Running {
                percent: if percent == 0 {
                    None
                } else {
                    Some(percent.min(99) as u8)
                },
            }
        } else {
            Progress::Done
        }
    }
}

/// What `cancel` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CancelResult {
    /// The operation was cancelled by this call.
    Cancelled,
    /// It had already finished.
    AlreadyFinished,
    /// It had already been cancelled.
    AlreadyCancelled,
}

impl<E: MethodError, C> VssAsync<E, C> {
    pub(crate) fn new(inner: IVssAsync) -> Self {
        VssAsync {
            inner,
            _method: PhantomData,
        }
    }

    /// The method that started the operation.
    pub fn method(&self) -> &'static Method {
        E::method()
    }

    /// Asks where the operation stands, without waiting.
    pub fn query_status(&self) -> Result<Status<E::Outcome>, AsyncError<E>> {
        let (hr, status) = raw::async_query_status(&self.inner);
        if let Err(e) = QueryStatusError::classify(hr) {
            return Err(AsyncError::Query(e));
        }
        match status {
            s if s == VSS_S_ASYNC_PENDING => Ok(Status::Pending),
            s if s == VSS_S_ASYNC_CANCELLED => Err(AsyncError::Cancelled {
                method: E::method(),
            }),
            s if s == VSS_S_ASYNC_FINISHED => E::classify(HRESULT(0))
                .map(Status::Finished)
                .map_err(AsyncError::Failed),
            s => E::classify(s)
                .map(Status::Finished)
                .map_err(AsyncError::Failed),
        }
    }

    /// Progress for a progress bar (IVssAsync reports no percentage).
    pub fn progress(&self) -> Result<Progress, AsyncError<E>> {
        match self.query_status()? {
            Status::Pending => Ok(Progress::Running { percent: None }),
            Status::Finished(_) => Ok(Progress::Done),
        }
    }

    /// Waits until the operation finishes or `limit` expires. A limit that expires while
    /// VSS still reports the operation pending is [`AsyncError::TimedOut`], our own error.
    pub fn wait(&self, limit: Duration) -> Result<E::Outcome, AsyncError<E>> {
        let start = Instant::now();
        loop {
            let remaining = limit.saturating_sub(start.elapsed());
            let slice = remaining.min(Duration::from_millis(500)).as_millis().max(1) as u32;
            if let Err(e) = WaitError::classify(raw::async_wait(&self.inner, slice)) {
                return Err(AsyncError::Wait(e));
            }
            match self.query_status()? {
                Status::Finished(o) => return Ok(o),
                Status::Pending if start.elapsed() >= limit => {
                    return Err(AsyncError::TimedOut {
                        method: E::method(),
                        limit,
                    });
                }
                Status::Pending => {
                    std::thread::sleep(Duration::from_millis(u64::from(slice.min(10))))
                }
            }
        }
    }
}

impl<E: MethodError> VssAsync<E, Cancellable> {
    /// Cancels the operation; says whether it was still running.
    pub fn cancel(&self) -> Result<CancelResult, AsyncError<E>> {
        match CancelError::classify(raw::async_cancel(&self.inner)) {
            Ok(CancelOutcome::AlreadyCancelled) => Ok(CancelResult::AlreadyCancelled),
            Ok(CancelOutcome::AlreadyFinished) => Ok(CancelResult::AlreadyFinished),
            Ok(_) => Ok(CancelResult::Cancelled),
            Err(e) => Err(AsyncError::Cancel(e)),
        }
    }
}

/// Waits for an operation whose start may have failed: one error type for both phases.
pub fn finish<E: MethodError, C>(
    started: Result<VssAsync<E, C>, E>,
    limit: Duration,
) -> Result<E::Outcome, AsyncError<E>> {
    started.map_err(AsyncError::Start)?.wait(limit)
}
