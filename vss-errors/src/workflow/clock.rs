//! Time for the retry driver: a real clock, a simulated one that advances instantly (for
//! tests and the `simulate` example), and a cancellation token that interrupts a wait.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Cancels waits in progress and any that follow.
#[derive(Clone, Debug, Default)]
pub struct CancelToken {
    inner: Arc<(Mutex<bool>, Condvar)>,
}

impl CancelToken {
    /// A token that is not cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels: every wait on this token returns at once.
    pub fn cancel(&self) {
        let (lock, cv) = &*self.inner;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
        cv.notify_all();
    }

    /// Whether `cancel` was called.
    pub fn is_cancelled(&self) -> bool {
        *self.inner.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits up to `d`; `false` when cancelled (before or during the wait).
    fn wait(&self, d: Duration) -> bool {
        let (lock, cv) = &*self.inner;
        let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = cv
            .wait_timeout_while(guard, d, |cancelled| !*cancelled)
            .unwrap_or_else(|e| e.into_inner());
        !*guard
    }
}

/// A source of time the retry driver waits on.
pub trait Clock {
    /// Time elapsed since the clock started.
    fn elapsed(&self) -> Duration;
    /// Waits `d`; `false` when `cancel` fired (the wait then ends at once).
    fn sleep(&self, d: Duration, cancel: &CancelToken) -> bool;
}

/// Real time.
#[derive(Debug)]
pub struct SystemClock {
    start: Instant,
}

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock {
            start: Instant::now(),
        }
    }
}

impl Clock for SystemClock {
    fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    fn sleep(&self, d: Duration, cancel: &CancelToken) -> bool {
        cancel.wait(d)
    }
}

/// Simulated time: `sleep` advances the clock instantly and records each wait.
#[derive(Debug, Default)]
pub struct SimulatedClock {
    now: Mutex<Duration>,
    sleeps: Mutex<Vec<Duration>>,
}

impl SimulatedClock {
    /// A clock at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every wait so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.sleeps
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Clock for SimulatedClock {
    fn elapsed(&self) -> Duration {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn sleep(&self, d: Duration, cancel: &CancelToken) -> bool {
        if cancel.is_cancelled() {
            return false;
        }
        self.sleeps
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(d);
        *self.now.lock().unwrap_or_else(|e| e.into_inner()) += d;
        true
    }
}
