//! The retry driver: follows the catalog's advice for the method and code that failed (wait,
//! then try again at most so many times), with caller overrides, an overall deadline,
//! cancellation, a hook per attempt and optional `tracing` events. It never retries a code
//! that has no advice unless the caller says so.

use super::clock::{CancelToken, Clock};
use crate::catalog::{Method, Retry};
use crate::code::Code;
use std::fmt;
use std::time::Duration;

/// An error the driver can look up advice for.
pub trait Advised: std::error::Error {
    /// The method that failed.
    fn method(&self) -> &'static Method;
    /// The documented code, if the failure is one.
    fn code(&self) -> Option<Code>;
    /// The catalog's advice for this method and code.
    fn advice(&self) -> Option<Retry>;
}

impl<E: crate::error::MethodError> Advised for E {
    fn method(&self) -> &'static Method {
        E::method()
    }
    fn code(&self) -> Option<Code> {
        self.entry().map(|e| e.code)
    }
    fn advice(&self) -> Option<Retry> {
        self.entry().and_then(|e| e.retry)
    }
}

/// How a caller overrides the advice for one method and code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Policy {
    /// Retry with this wait, at most this many more times.
    Retry(Retry),
    /// Retry every `every` until the driver's deadline (which must be set).
    UntilDeadline {
        /// Wait between attempts.
        every: Duration,
    },
    /// Never retry, whatever the catalog says.
    Never,
}

/// A caller's rule for one method (qualified or bare name) and code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    /// The method, as [`Method::find`] accepts it.
    pub method: String,
    /// The code.
    pub code: Code,
    /// What to do.
    pub policy: Policy,
}

/// One attempt, as the hook sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// 1 for the first try.
    pub number: u32,
    /// Clock time when the attempt ended.
    pub at: Duration,
    /// `None` when it succeeded; otherwise the failure's text with its sources, as
    /// [`Report`](crate::error::Report) prints it.
    pub failure: Option<String>,
    /// The wait before the next attempt, when there will be one.
    pub next_wait: Option<Duration>,
}

/// Why the driver stopped without success.
#[derive(Debug)]
pub enum RetryError<E> {
    /// The failure has no advice (and no override): not retried.
    NotRetryable {
        /// The failure.
        error: E,
        /// Attempts made.
        attempts: u32,
    },
    /// The advice's attempts are used up.
    Exhausted {
        /// The last failure.
        error: E,
        /// Attempts made.
        attempts: u32,
    },
    /// The next wait would pass the overall deadline.
    Deadline {
        /// The last failure.
        error: E,
        /// Attempts made.
        attempts: u32,
        /// The deadline.
        deadline: Duration,
    },
    /// Cancelled during a wait (or before an attempt).
    Cancelled {
        /// The last failure, if an attempt was made.
        error: Option<E>,
        /// Attempts made.
        attempts: u32,
    },
}

impl<E> RetryError<E> {
    /// The last failure, if any.
    pub fn error(&self) -> Option<&E> {
        match self {
            RetryError::NotRetryable { error, .. }
            | RetryError::Exhausted { error, .. }
            | RetryError::Deadline { error, .. } => Some(error),
            RetryError::Cancelled { error, .. } => error.as_ref(),
        }
    }

    /// Attempts made.
    pub fn attempts(&self) -> u32 {
        match self {
            RetryError::NotRetryable { attempts, .. }
            | RetryError::Exhausted { attempts, .. }
            | RetryError::Deadline { attempts, .. }
            | RetryError::Cancelled { attempts, .. } => *attempts,
        }
    }
}

/// Says why the driver stopped; the last failure is the
/// [`source`](std::error::Error::source), so a chain shows it once.
impl<E> fmt::Display for RetryError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetryError::NotRetryable { attempts, .. } => {
                write!(f, "not retried: no retry advice ({attempts} attempt(s))")
            }
            RetryError::Exhausted { attempts, .. } => {
                write!(f, "gave up after {attempts} attempts, as the advice allows")
            }
            RetryError::Deadline {
                attempts, deadline, ..
            } => write!(
                f,
                "stopped after {attempts} attempt(s): the next wait would pass the {} s deadline",
                deadline.as_secs()
            ),
            RetryError::Cancelled {
                error: Some(_),
                attempts,
            } => write!(f, "cancelled after {attempts} attempt(s)"),
            RetryError::Cancelled { error: None, .. } => {
                write!(f, "cancelled before the first attempt")
            }
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for RetryError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The callback run after each attempt.
type Hook<'c> = Box<dyn FnMut(&Attempt) + 'c>;

/// Runs an operation, retrying as the catalog (or the caller) advises.
pub struct RetryDriver<'c> {
    clock: &'c dyn Clock,
    cancel: CancelToken,
    deadline: Option<Duration>,
    overrides: Vec<Override>,
    hook: Option<Hook<'c>>,
}

impl fmt::Debug for RetryDriver<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryDriver")
            .field("deadline", &self.deadline)
            .field("overrides", &self.overrides)
            .finish_non_exhaustive()
    }
}

impl<'c> RetryDriver<'c> {
    /// A driver on `clock` with no deadline, overrides or hook.
    pub fn new(clock: &'c dyn Clock) -> Self {
        RetryDriver {
            clock,
            cancel: CancelToken::new(),
            deadline: None,
            overrides: Vec::new(),
            hook: None,
        }
    }

    /// Cancels through `token`.
    pub fn cancel_with(mut self, token: CancelToken) -> Self {
        self.cancel = token;
        self
    }

    /// Stops when the next wait would end after `deadline` (clock time).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Adds a caller rule; later rules win.
    pub fn override_with(mut self, o: Override) -> Self {
        self.overrides.push(o);
        self
    }

    /// Calls `hook` after every attempt.
    pub fn on_attempt(mut self, hook: impl FnMut(&Attempt) + 'c) -> Self {
        self.hook = Some(Box::new(hook));
        self
    }

    fn policy<E: Advised>(&self, e: &E) -> Option<Policy> {
        let code = e.code();
        let rule = self.overrides.iter().rev().find(|o| {
            Some(o.code) == code
                && Method::find(&o.method).is_ok_and(|m| std::ptr::eq(m, e.method()))
        });
        match rule {
            Some(o) => Some(o.policy.clone()),
            None => e.advice().map(Policy::Retry),
        }
    }

    /// Runs `op` (given the attempt number, from 1) until it succeeds or the advice says stop.
    pub fn run<T, E: Advised + 'static>(
        &mut self,
        mut op: impl FnMut(u32) -> Result<T, E>,
    ) -> Result<T, RetryError<E>> {
        let mut attempts = 0u32;
        loop {
            if self.cancel.is_cancelled() {
                return Err(RetryError::Cancelled {
                    error: None,
                    attempts,
                });
            }
            attempts += 1;
            let error = match op(attempts) {
                Ok(v) => {
                    self.report::<E>(attempts, None, None);
                    return Ok(v);
                }
                Err(e) => e,
            };
            let (wait, allowed) = match self.policy(&error) {
                None | Some(Policy::Never) => {
                    self.report(attempts, Some(&error), None);
                    return Err(RetryError::NotRetryable { error, attempts });
                }
                Some(Policy::Retry(r)) => (r.wait(), Some(r.max_attempts)),
                Some(Policy::UntilDeadline { every }) if self.deadline.is_some() => (every, None),
                Some(Policy::UntilDeadline { .. }) => {
                    self.report(attempts, Some(&error), None);
                    return Err(RetryError::NotRetryable { error, attempts });
                }
            };
            // `max_attempts` counts the tries after the first ("try again, up to three times").
            if allowed.is_some_and(|n| attempts > n) {
                self.report(attempts, Some(&error), None);
                return Err(RetryError::Exhausted { error, attempts });
            }
            if let Some(deadline) = self.deadline {
                if self.clock.elapsed() + wait > deadline {
                    self.report(attempts, Some(&error), None);
                    return Err(RetryError::Deadline {
                        error,
                        attempts,
                        deadline,
                    });
                }
            }
            self.report(attempts, Some(&error), Some(wait));
            if !self.clock.sleep(wait, &self.cancel) {
                return Err(RetryError::Cancelled {
                    error: Some(error),
                    attempts,
                });
            }
        }
    }

    fn report<E: Advised + 'static>(
        &mut self,
        number: u32,
        error: Option<&E>,
        next_wait: Option<Duration>,
    ) {
        let attempt = Attempt {
            number,
            at: self.clock.elapsed(),
            failure: error.map(|e| crate::error::Report::new(e).to_string()),
            next_wait,
        };
        #[cfg(feature = "tracing")]
        match (&attempt.failure, error) {
            (None, _) => tracing::info!(attempt = number, "attempt succeeded"),
            (Some(text), Some(e)) => tracing::warn!(
                attempt = number,
                method = %e.method().qualified_name(),
                code = e.code().map(|c| c.name()),
                next_wait_s = next_wait.map(|w| w.as_secs()),
                "attempt failed: {text}"
            ),
            _ => {}
        }
        if let Some(hook) = self.hook.as_mut() {
            hook(&attempt);
        }
    }
}
