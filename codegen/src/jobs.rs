//! Runs independent pieces of work (the catalog's files, the generated files' parts) on worker
//! threads and hands the results back in their original order, so the output never depends on
//! how the work was shared out.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The most worker threads used.
const MAX_THREADS: usize = 8;

/// `job(0)`, …, `job(count - 1)`, run on up to as many threads as the machine offers, in
/// index order. A job that panics yields `Err` for its index instead of unwinding.
pub(crate) fn run_in_order<T, F>(count: usize, job: F) -> Vec<Result<T, String>>
where
    T: Send,
    F: Fn(usize) -> Result<T, String> + Sync,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, MAX_THREADS)
        .min(count.max(1));
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            if index >= count {
                return done;
            }
            let result = catch_unwind(AssertUnwindSafe(|| job(index)))
                .unwrap_or_else(|_| Err("this part panicked".to_string()));
            done.push((index, result));
        }
    };
    let mut results: Vec<(usize, Result<T, String>)> = if threads == 1 {
        worker()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|_| scope.spawn(worker)).collect();
            let mut all = Vec::with_capacity(count);
            for handle in handles {
                // Jobs catch their own panics, so a worker only fails if the runtime does.
                match handle.join() {
                    Ok(done) => all.extend(done),
                    Err(_) => return Vec::new(),
                }
            }
            all
        })
    };
    if results.len() != count {
        return vec![Err("a worker thread failed".to_string())];
    }
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_index_order() {
        let out = run_in_order(100, |i| Ok::<_, String>(i * 3));
        let values: Vec<usize> = out.into_iter().map(|r| r.unwrap_or(usize::MAX)).collect();
        assert_eq!(values, (0..100).map(|i| i * 3).collect::<Vec<_>>());
    }

    #[test]
    fn a_panicking_job_is_an_error_for_its_index_only() {
        let out = run_in_order(5, |i| {
            if i == 3 {
                panic!("job 3 fails");
            }
            Ok::<_, String>(i)
        });
        assert_eq!(out.len(), 5);
        assert!(out[3].as_ref().is_err_and(|e| e.contains("panicked")));
        assert_eq!(out[4].as_ref().ok(), Some(&4));
    }

    #[test]
    fn no_jobs_is_no_results() {
        assert!(run_in_order(0, Ok::<usize, String>).is_empty());
    }
}
