//! Strings across the COM boundary: `BSTR`s and `CoTaskMemAlloc` wide strings, allocated and
//! freed the way VSS does on Windows, and by a compatible in-process allocator elsewhere (so
//! the fault-injecting VSS and the wrappers agree on who frees what).

use std::ptr;

/// A wide, NUL-terminated copy of `s`.
pub fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

/// Reads a NUL-terminated wide string; lossy for unpaired surrogates; empty for null.
///
/// # Safety
/// `p` is null or points to a NUL-terminated UTF-16 string.
pub unsafe fn read_wide(p: *const u16) -> String {
    if p.is_null() {
        return String::new();
    }
    let mut len = 0;
    // SAFETY: the caller guarantees a NUL terminator, so every read up to it is in bounds.
    while unsafe { *p.add(len) } != 0 {
        len += 1;
    }
    // SAFETY: `len` elements were just read.
    String::from_utf16_lossy(unsafe { std::slice::from_raw_parts(p, len) })
}

#[cfg(windows)]
mod imp {
    windows_link::link!("oleaut32.dll" "system" fn SysAllocStringLen(s: *const u16, len: u32) -> *mut u16);
    windows_link::link!("oleaut32.dll" "system" fn SysFreeString(s: *mut u16));
    windows_link::link!("ole32.dll" "system" fn CoTaskMemAlloc(size: usize) -> *mut core::ffi::c_void);
    windows_link::link!("ole32.dll" "system" fn CoTaskMemFree(p: *mut core::ffi::c_void));

    pub unsafe fn bstr_alloc(s: &[u16]) -> *mut u16 {
        // SAFETY: `s` is a valid slice of `s.len()` elements; the length fits u32 for any
        // string this crate passes.
        unsafe { SysAllocStringLen(s.as_ptr(), s.len() as u32) }
    }
    pub unsafe fn bstr_free(p: *mut u16) {
        // SAFETY: `p` came from SysAllocStringLen (or VSS, which uses it too).
        unsafe { SysFreeString(p) }
    }
    pub unsafe fn task_alloc(bytes: usize) -> *mut u8 {
        // SAFETY: plain allocation; null on failure is handled by the caller.
        unsafe { CoTaskMemAlloc(bytes) as *mut u8 }
    }
    pub unsafe fn task_free(p: *mut u8) {
        // SAFETY: `p` came from CoTaskMemAlloc.
        unsafe { CoTaskMemFree(p as *mut core::ffi::c_void) }
    }
}

#[cfg(not(windows))]
mod imp {
    //! A BSTR-compatible layout (a 4-byte length prefix before the characters) and a
    //! size-prefixed task allocator, so memory can be handed over and freed by the other side.
    use std::alloc::{alloc, dealloc, Layout};

    const HEADER: usize = 8;

    fn layout(bytes: usize) -> Option<Layout> {
        Layout::from_size_align(HEADER + bytes, 8).ok()
    }

    pub unsafe fn bstr_alloc(s: &[u16]) -> *mut u16 {
        let bytes = s.len() * 2 + 2;
        let Some(l) = layout(bytes) else {
            return std::ptr::null_mut();
        };
        // SAFETY: the layout has a non-zero size.
        let base = unsafe { alloc(l) };
        if base.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: `base` has HEADER + bytes writable bytes, aligned to 8.
        unsafe {
            (base as *mut usize).write(bytes);
            (base.add(HEADER - 4) as *mut u32).write((s.len() * 2) as u32);
            let chars = base.add(HEADER) as *mut u16;
            std::ptr::copy_nonoverlapping(s.as_ptr(), chars, s.len());
            chars.add(s.len()).write(0);
            chars
        }
    }

    pub unsafe fn bstr_free(p: *mut u16) {
        // SAFETY: `p` came from `bstr_alloc`, so the header sits HEADER bytes before it.
        unsafe { task_free(p as *mut u8) }
    }

    pub unsafe fn task_alloc(bytes: usize) -> *mut u8 {
        let Some(l) = layout(bytes) else {
            return std::ptr::null_mut();
        };
        // SAFETY: the layout has a non-zero size.
        let base = unsafe { alloc(l) };
        if base.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: `base` is valid for HEADER + bytes bytes.
        unsafe {
            (base as *mut usize).write(bytes);
            base.add(HEADER)
        }
    }

    pub unsafe fn task_free(p: *mut u8) {
        if p.is_null() {
            return;
        }
        // SAFETY: `p` came from `task_alloc` or `bstr_alloc`: the size is in the header.
        unsafe {
            let base = p.sub(HEADER);
            let bytes = (base as *const usize).read();
            if let Some(l) = layout(bytes) {
                dealloc(base, l);
            }
        }
    }
}

/// An owned `BSTR`, freed on drop.
#[derive(Debug)]
pub struct Bstr(*mut u16);

impl Bstr {
    /// Allocates a BSTR holding `s`.
    pub fn new(s: &str) -> Bstr {
        let w: Vec<u16> = s.encode_utf16().collect();
        // SAFETY: `w` is a valid slice.
        Bstr(unsafe { imp::bstr_alloc(&w) })
    }

    /// The pointer to pass as a `BSTR` argument (still owned by `self`).
    pub fn as_ptr(&self) -> *mut u16 {
        self.0
    }

    /// Gives up ownership (the receiver frees it).
    pub fn into_raw(self) -> *mut u16 {
        let p = self.0;
        std::mem::forget(self);
        p
    }
}

impl Drop for Bstr {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: allocated by `Bstr::new`.
            unsafe { imp::bstr_free(self.0) }
        }
    }
}

/// Reads and frees a BSTR received through an out-parameter.
///
/// # Safety
/// `p` is null or a BSTR whose ownership passes to this call.
pub unsafe fn take_bstr(p: *mut u16) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: a BSTR is NUL-terminated; it is freed once, here.
    unsafe {
        let s = read_wide(p);
        imp::bstr_free(p);
        s
    }
}

/// A `CoTaskMemAlloc` wide string holding `s` (ownership passes to the receiver).
pub fn task_wstr(s: &str) -> *mut u16 {
    let w = wide(s);
    // SAFETY: the allocation is checked for null and is large enough for `w`.
    unsafe {
        let p = imp::task_alloc(w.len() * 2) as *mut u16;
        if !p.is_null() {
            ptr::copy_nonoverlapping(w.as_ptr(), p, w.len());
        }
        p
    }
}

/// Reads and frees a `CoTaskMemAlloc` wide string.
///
/// # Safety
/// `p` is null or a task-allocated NUL-terminated wide string owned by the caller.
pub unsafe fn take_task_wstr(p: *mut u16) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: NUL-terminated; freed once, here.
    unsafe {
        let s = read_wide(p);
        imp::task_free(p as *mut u8);
        s
    }
}

/// Copies and frees a `CoTaskMemAlloc` byte buffer of `len` bytes.
///
/// # Safety
/// `p` is null or a task-allocated block of at least `len` bytes owned by the caller.
pub unsafe fn take_task_bytes(p: *mut u8, len: usize) -> Vec<u8> {
    if p.is_null() {
        return Vec::new();
    }
    // SAFETY: `len` bytes are readable, as the caller guarantees; freed once, here.
    unsafe {
        let v = std::slice::from_raw_parts(p, len).to_vec();
        imp::task_free(p);
        v
    }
}

/// Frees a task-allocated wide string without reading it.
///
/// # Safety
/// `p` is null or a task-allocated string owned by the caller.
pub unsafe fn free_task_wstr(p: *mut u16) {
    if !p.is_null() {
        // SAFETY: as documented.
        unsafe { imp::task_free(p as *mut u8) }
    }
}

/// Frees the strings of a `VSS_SNAPSHOT_PROP` and zeroes it: each is a `CoTaskMemAlloc`
/// string, which is all `VssFreeSnapshotProperties` releases (calling the export itself
/// would tie every caller to a vssapi.dll that implements it).
///
/// # Safety
/// Every string pointer in `p` is null or a task-allocated string owned by the caller.
pub unsafe fn free_snapshot_strings(p: &mut crate::com::types::VssSnapshotProp) {
    for s in [
        p.snapshot_device_object,
        p.original_volume_name,
        p.originating_machine,
        p.service_machine,
        p.exposed_name,
        p.exposed_path,
    ] {
        // SAFETY: as the caller guarantees; each string is freed once, then the block is
        // zeroed so no pointer survives.
        unsafe { free_task_wstr(s) };
    }
    *p = crate::com::types::VssSnapshotProp::zeroed();
}
