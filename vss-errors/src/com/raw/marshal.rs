//! The argument types the generated wrappers pass to vtable slots: each owns what a pointer
//! points to for the length of the call, and each out-value type frees what the slot hands
//! over exactly once (on `take`, or on drop when the call failed).

use super::mem::{self, Bstr};
use crate::com::{Interface, GUID};
use crate::error::MethodError;
use core::ffi::c_void;
use windows_result::HRESULT;

/// `E_POINTER`: a success that left a required out-pointer NULL breaks the contract.
pub const E_POINTER: HRESULT = HRESULT(0x8000_4003_u32 as i32);
/// `E_INVALIDARG`: more ids than a `UINT` count can say.
const E_INVALIDARG: HRESULT = HRESULT(0x8007_0057_u32 as i32);

/// A NUL-terminated wide copy of a `&str`; an empty string is passed as NULL.
#[derive(Debug)]
pub struct WideIn(Option<Vec<u16>>);

impl WideIn {
    /// Encodes `s` (nothing for the empty string).
    pub fn new(s: &str) -> Self {
        WideIn((!s.is_empty()).then(|| mem::wide(s)))
    }

    /// As an `LPCWSTR`.
    pub fn ptr(&self) -> *const u16 {
        self.0.as_ref().map_or(core::ptr::null(), |w| w.as_ptr())
    }

    /// As a `VSS_PWSZ` (the slot reads it; the buffer is ours and mutable).
    pub fn ptr_mut(&mut self) -> *mut u16 {
        self.0
            .as_mut()
            .map_or(core::ptr::null_mut(), |w| w.as_mut_ptr())
    }
}

/// A `BSTR` argument (freed after the call); an empty string is passed as NULL.
#[derive(Debug)]
pub struct BstrIn(Option<Bstr>);

impl BstrIn {
    /// Allocates the BSTR (none for the empty string).
    pub fn new(s: &str) -> Self {
        BstrIn((!s.is_empty()).then(|| Bstr::new(s)))
    }

    /// The pointer to pass; still owned here.
    pub fn ptr(&self) -> *mut u16 {
        self.0.as_ref().map_or(core::ptr::null_mut(), Bstr::as_ptr)
    }
}

/// A `BSTR *` out-parameter.
#[derive(Debug)]
pub struct BstrOut(*mut u16);

impl BstrOut {
    /// NULL until the slot writes it.
    pub fn new() -> Self {
        BstrOut(core::ptr::null_mut())
    }

    /// The `BSTR *` to pass.
    pub fn slot(&mut self) -> *mut *mut u16 {
        &mut self.0
    }

    /// The string, the BSTR freed (NULL is the empty string, as for every BSTR).
    pub fn take(mut self) -> String {
        let p = core::mem::replace(&mut self.0, core::ptr::null_mut());
        // SAFETY: `p` is NULL or the BSTR the slot handed over, read and freed once here.
        unsafe { mem::take_bstr(p) }
    }
}

impl Default for BstrOut {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for BstrOut {
    fn drop(&mut self) {
        // SAFETY: NULL, or a BSTR the slot handed over that nobody took.
        drop(unsafe { mem::take_bstr(self.0) });
    }
}

/// A `VSS_PWSZ *` out-parameter (a `CoTaskMemAlloc` string).
#[derive(Debug)]
pub struct TaskStrOut(*mut u16);

impl TaskStrOut {
    /// NULL until the slot writes it.
    pub fn new() -> Self {
        TaskStrOut(core::ptr::null_mut())
    }

    /// The `VSS_PWSZ *` to pass.
    pub fn slot(&mut self) -> *mut *mut u16 {
        &mut self.0
    }

    /// The string, its memory freed with `CoTaskMemFree`.
    pub fn take(mut self) -> String {
        let p = core::mem::replace(&mut self.0, core::ptr::null_mut());
        // SAFETY: NULL or the task string the slot handed over, read and freed once here.
        unsafe { mem::take_task_wstr(p) }
    }
}

impl Default for TaskStrOut {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TaskStrOut {
    fn drop(&mut self) {
        // SAFETY: NULL, or a task string the slot handed over that nobody took.
        unsafe { mem::free_task_wstr(self.0) }
    }
}

/// An interface out-parameter (`I **`).
#[derive(Debug)]
pub struct InterfaceOut(*mut c_void);

impl InterfaceOut {
    /// NULL until the slot writes it.
    pub fn new() -> Self {
        InterfaceOut(core::ptr::null_mut())
    }

    /// The `void **` to pass.
    pub fn slot(&mut self) -> *mut *mut c_void {
        &mut self.0
    }

    /// The interface, with the reference the slot handed over; `None` for NULL.
    pub fn take<I: Interface>(mut self) -> Option<I> {
        let p = core::mem::replace(&mut self.0, core::ptr::null_mut());
        super::adopt(p)
    }
}

impl Default for InterfaceOut {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for InterfaceOut {
    fn drop(&mut self) {
        // A pointer written by a failed call is still a reference the caller owns.
        drop(super::adopt::<crate::com::IUnknown>(self.0));
    }
}

/// An id array and its `UINT` count.
pub fn guid_slice<E: MethodError>(ids: &[GUID]) -> Result<(*const GUID, u32), E> {
    let n = u32::try_from(ids.len()).map_err(|_| E::from_failure(E_INVALIDARG))?;
    Ok((
        if ids.is_empty() {
            core::ptr::null()
        } else {
            ids.as_ptr()
        },
        n,
    ))
}

/// `QueryInterface` for an Ex interface; its failure (`E_NOINTERFACE` on systems that lack
/// it) becomes the method's error.
pub fn cast<I: Interface, E: MethodError>(from: &crate::com::IUnknown) -> Result<I, E> {
    from.cast::<I>().map_err(E::from_failure)
}
