//! What the fake's enumerators (`IVssEnumObject`, `IVssEnumMgmtObject`) share: their items and
//! position, and `Next`/`Skip`/`Reset` and the position a `Clone` starts from.

use super::system::{E_POINTER, S_OK};
use std::sync::Mutex;
use windows_result::HRESULT;

const S_FALSE: HRESULT = HRESULT(1);

/// An enumerator's items and where it stands.
#[derive(Debug)]
pub(crate) struct Cursor<T> {
    items: Vec<T>,
    at: Mutex<usize>,
}

impl<T: Clone> Cursor<T> {
    pub fn new(items: Vec<T>) -> Self {
        Cursor {
            items,
            at: Mutex::new(0),
        }
    }

    fn at(&self) -> std::sync::MutexGuard<'_, usize> {
        self.at.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `Next(celt, rgelt, pceltFetched)`: writes up to `celt` elements made by `make` (from the
    /// item and all items); `S_FALSE` when fewer remained.
    ///
    /// # Safety
    /// `rgelt` is null or has room for `celt` elements; `fetched` is null or writable.
    pub unsafe fn next<P>(
        &self,
        celt: u32,
        rgelt: *mut P,
        fetched: *mut u32,
        make: impl Fn(&T, &[T]) -> P,
    ) -> HRESULT {
        if rgelt.is_null() || fetched.is_null() {
            return E_POINTER;
        }
        let mut at = self.at();
        let mut n = 0u32;
        while n < celt && *at < self.items.len() {
            // SAFETY: the caller provides room for `celt` elements at `rgelt`.
            unsafe {
                rgelt
                    .add(n as usize)
                    .write(make(&self.items[*at], &self.items))
            };
            n += 1;
            *at += 1;
        }
        // SAFETY: checked non-null above.
        unsafe { fetched.write(n) };
        if n == celt {
            S_OK
        } else {
            S_FALSE
        }
    }

    /// `Skip(celt)`, stopping at the end.
    pub fn skip(&self, celt: u32) -> HRESULT {
        let mut at = self.at();
        *at = (*at + celt as usize).min(self.items.len());
        S_OK
    }

    /// `Reset()`.
    pub fn reset(&self) -> HRESULT {
        *self.at() = 0;
        S_OK
    }

    /// The same items at the same position, for `Clone`.
    pub fn fork(&self) -> Self {
        Cursor {
            items: self.items.clone(),
            at: Mutex::new(*self.at()),
        }
    }
}
