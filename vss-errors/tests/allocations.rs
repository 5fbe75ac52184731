//! Classification, retry advice and Display allocate nothing: a counting global allocator
//! (per thread, so parallel tests do not disturb each other) proves it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write;
use std::hint::black_box;
use vss_errors::methods::{
    CancelError, DoSnapshotSetError, GatherWriterMetadataError, LoadFromXmlError,
    PrepareForBackupError, QueryStatusError,
};
use vss_errors::{Code, Method, MethodError, HRESULT};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count() {
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

// SAFETY: every call is forwarded unchanged to the system allocator; counting touches only
// a const-initialized thread-local `Cell`, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// How many allocations (and reallocations) `f` made on this thread.
fn allocations<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let before = ALLOCATIONS.with(Cell::get);
    let r = f();
    (r, ALLOCATIONS.with(Cell::get) - before)
}

/// Every catalog value, the E_UNEXPECTED fallback, unknown failures and edge values.
fn values() -> Vec<HRESULT> {
    let mut v: Vec<HRESULT> = Code::ALL.iter().map(|c| c.hresult()).collect();
    v.extend(
        [
            0u32,
            1,
            0x8000_FFFF,
            0x8000_4005,
            0x8007_0002,
            0x8BAD_F00D,
            0x8000_0000,
            0x7FFF_FFFF,
            u32::MAX,
        ]
        .map(|x| HRESULT(x as i32)),
    );
    v
}

/// Classifies every value with `E` and reads everything an error carries; returns a
/// checksum so nothing is optimized away.
fn classify_all<E: MethodError>(values: &[HRESULT]) -> u64 {
    let mut sum = 0u64;
    for &hr in values {
        match E::classify(black_box(hr)) {
            Ok(_) => sum += 1,
            Err(e) => {
                let entry = e.entry();
                sum += entry
                    .and_then(|e| e.retry)
                    .map_or(2, |r| u64::from(r.wait_seconds));
                sum += entry.map_or(0, |e| e.text().len() as u64 + e.os_notes.len() as u64);
                sum += u64::from(e.is_fallback()) + e.hresult().0 as u32 as u64;
            }
        }
        sum += Code::readings(hr).len() as u64;
    }
    sum
}

fn errors_of<E: MethodError>(values: &[HRESULT]) -> Vec<E> {
    values
        .iter()
        .filter_map(|&hr| E::classify(hr).err())
        .collect()
}

#[test]
fn the_counter_sees_allocations() {
    let (b, n) = allocations(|| black_box(Box::new(7u64)));
    assert_eq!(*b, 7);
    assert_eq!(n, 1);
    let (s, n) = allocations(|| black_box(String::with_capacity(64)));
    assert!(s.capacity() >= 64);
    assert_eq!(n, 1);
}

#[test]
fn classification_and_retry_advice_allocate_nothing() {
    let values = values();
    let (sum, n) = allocations(|| {
        let mut sum = classify_all::<DoSnapshotSetError>(&values);
        sum += classify_all::<PrepareForBackupError>(&values);
        sum += classify_all::<GatherWriterMetadataError>(&values);
        sum += classify_all::<LoadFromXmlError>(&values);
        sum += classify_all::<CancelError>(&values);
        sum += classify_all::<QueryStatusError>(&values);
        // The tables themselves: every method's entry for every code.
        for m in Method::all() {
            for &c in Code::ALL {
                sum += m
                    .entry(c)
                    .and_then(|e| e.retry)
                    .map_or(0, |r| u64::from(r.max_attempts));
            }
        }
        sum
    });
    assert!(sum > 0);
    assert_eq!(n, 0, "classification allocated {n} times");
    // The typed path really produced advice: VSS_E_PROVIDER_VETO waits 600 s, 3 more tries.
    let e = DoSnapshotSetError::from_hresult(HRESULT(0x80042306_u32 as i32));
    assert_eq!(
        e.and_then(|e| e.retry())
            .map(|r| (r.wait_seconds, r.max_attempts)),
        Some((600, 3))
    );
}

#[test]
fn display_into_a_reserved_string_allocates_nothing() {
    let values = values();
    let a = errors_of::<DoSnapshotSetError>(&values);
    let b = errors_of::<LoadFromXmlError>(&values);
    let c = errors_of::<QueryStatusError>(&values);
    assert!(a.len() > 20 && !b.is_empty() && !c.is_empty());
    let mut s = String::with_capacity(16 * 1024);
    let (written, n) = allocations(|| {
        let mut written = 0usize;
        for e in &a {
            s.clear();
            let _ = write!(s, "{e}");
            written += s.len();
        }
        for e in &b {
            s.clear();
            let _ = write!(s, "{e}");
            written += s.len();
        }
        for e in &c {
            s.clear();
            let _ = write!(s, "{e}");
            written += s.len();
        }
        written
    });
    assert!(written > 1000);
    assert_eq!(n, 0, "Display allocated {n} times");
    s.clear();
    let _ = write!(s, "{}", a[0]);
    assert!(
        s.starts_with("IVssBackupComponents::DoSnapshotSet: "),
        "{s}"
    );
}

#[test]
fn display_allocates_only_when_the_string_grows() {
    let values = values();
    let errors = errors_of::<DoSnapshotSetError>(&values);
    let mut s = String::new();
    let mut growths = 0u64;
    for e in &errors {
        s.clear();
        let before = s.capacity();
        let ((), n) = allocations(|| {
            let _ = write!(s, "{e}");
        });
        if s.capacity() == before {
            assert_eq!(n, 0, "{e}: allocated without growing the String");
        } else {
            assert!(n >= 1);
            growths += n;
        }
    }
    // Doubling from empty to the longest message takes a handful of steps, not one per message.
    assert!((1..=16).contains(&growths), "{growths} growth allocations");
}
