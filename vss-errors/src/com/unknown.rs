//! COM's base on plain pointers: `IUnknown`, its vtable, and the `Interface` trait every
//! generated declaration implements. No windows-core and no proc macros: the declarations in
//! `com` are structs and vtables written out by the generator, so depending on the COM layer
//! costs no more than compiling it.

use super::guid::GUID;
use core::ffi::c_void;
use core::ptr::NonNull;
use windows_result::HRESULT;

/// `E_NOINTERFACE`, as `QueryInterface` answers for an interface the object lacks.
const E_NOINTERFACE: HRESULT = HRESULT(0x8000_4002_u32 as i32);

/// A COM interface pointer type: a pointer to an object whose first field points at a
/// vtable of type [`Interface::Vtable`].
///
/// # Safety
/// An implementor is `#[repr(transparent)]` over one object pointer, and `Vtable` is the
/// interface's exact vtable layout.
pub unsafe trait Interface: Sized {
    /// The vtable, slots in header order.
    type Vtable;
    /// The interface id `QueryInterface` takes.
    const IID: GUID;

    /// The object pointer, still owned by `self`.
    fn as_raw(&self) -> *mut c_void;

    /// Takes over a pointer and the reference it carries.
    ///
    /// # Safety
    /// `raw` is a non-null pointer to a live object of this interface, and one reference on
    /// it passes to the result (released when the result drops, for IUnknown-based interfaces).
    unsafe fn from_raw(raw: *mut c_void) -> Self;

    /// Gives up the pointer and the reference it holds, to a caller that will release it.
    fn into_raw(self) -> *mut c_void;

    /// The vtable of the object.
    fn vtable(&self) -> &Self::Vtable {
        // SAFETY: by the trait's contract the object's first field points at a `Vtable`,
        // which lives at least as long as the object.
        unsafe { &**(self.as_raw() as *const *const Self::Vtable) }
    }
}

/// `IUnknown`'s three slots, the start of every vtable but IVssWriterComponents'.
#[repr(C)]
#[allow(non_snake_case)]
pub struct IUnknown_Vtbl {
    /// `QueryInterface(REFIID riid, void **ppvObject)`.
    pub QueryInterface: unsafe extern "system" fn(
        this: *mut c_void,
        iid: *const GUID,
        interface: *mut *mut c_void,
    ) -> HRESULT,
    /// `AddRef()`: the new count.
    pub AddRef: unsafe extern "system" fn(this: *mut c_void) -> u32,
    /// `Release()`: the new count; the object is gone at zero.
    pub Release: unsafe extern "system" fn(this: *mut c_void) -> u32,
}

/// An owned reference to a COM object: `Clone` adds a reference, `Drop` releases one.
/// Every generated IUnknown-based interface wraps one and dereferences to its base, down to
/// this type, so [`IUnknown::cast`] is available on all of them.
#[repr(transparent)]
#[derive(PartialEq, Eq, Debug)]
pub struct IUnknown(NonNull<c_void>);

impl IUnknown {
    fn unknown_vtable(&self) -> &IUnknown_Vtbl {
        // SAFETY: a live COM object's first field points at a vtable that starts with
        // IUnknown's slots.
        unsafe { &**(self.0.as_ptr() as *const *const IUnknown_Vtbl) }
    }

    /// `QueryInterface` for `T`: the object's `T` view with a reference of its own, or the
    /// call's failure (`E_NOINTERFACE` when the object does not implement `T`).
    pub fn cast<T: Interface>(&self) -> Result<T, HRESULT> {
        let mut out: *mut c_void = core::ptr::null_mut();
        // SAFETY: `self` is a live object; the slot writes one AddRef'd pointer or nothing.
        let hr =
            unsafe { (self.unknown_vtable().QueryInterface)(self.0.as_ptr(), &T::IID, &mut out) };
        if hr.is_err() {
            return Err(hr);
        }
        if out.is_null() {
            return Err(E_NOINTERFACE);
        }
        // SAFETY: a successful QueryInterface hands over one reference to a `T` view.
        Ok(unsafe { T::from_raw(out) })
    }
}

impl Clone for IUnknown {
    fn clone(&self) -> Self {
        // SAFETY: `self` holds a reference, so the object is live.
        unsafe { (self.unknown_vtable().AddRef)(self.0.as_ptr()) };
        IUnknown(self.0)
    }
}

impl Drop for IUnknown {
    fn drop(&mut self) {
        // SAFETY: releases the one reference this value holds.
        unsafe { (self.unknown_vtable().Release)(self.0.as_ptr()) };
    }
}

// SAFETY: one object pointer, and `IUnknown_Vtbl` is IUnknown's vtable.
unsafe impl Interface for IUnknown {
    type Vtable = IUnknown_Vtbl;
    const IID: GUID = GUID::from_u128(0x00000000_0000_0000_c000_000000000046);

    fn as_raw(&self) -> *mut c_void {
        self.0.as_ptr()
    }

    unsafe fn from_raw(raw: *mut c_void) -> Self {
        // SAFETY: non-null by the caller's contract.
        IUnknown(unsafe { NonNull::new_unchecked(raw) })
    }

    fn into_raw(self) -> *mut c_void {
        let raw = self.0.as_ptr();
        core::mem::forget(self);
        raw
    }
}

/// The same reference as windows-rs holds it, for programs that also use the `windows` crates
/// (`cast` there reaches interfaces this crate does not declare).
///
/// ```
/// use vss_errors::com::{BackupComponents, IUnknown, Interface};
/// use vss_errors::fake::FakeVss;
///
/// let backup = BackupComponents::from_interface(FakeVss::new().backup_components());
/// // Any of the crate's interfaces dereferences to its IUnknown; the clone is a reference of
/// // its own, which windows-core releases when `theirs` drops.
/// let theirs: windows_core::IUnknown = IUnknown::clone(backup.as_interface()).into();
/// assert_eq!(windows_core::Interface::as_raw(&theirs), backup.as_interface().as_raw());
/// ```
#[cfg(feature = "windows-core")]
impl From<IUnknown> for windows_core::IUnknown {
    fn from(unknown: IUnknown) -> Self {
        // SAFETY: one live IUnknown pointer and its reference pass over.
        unsafe { windows_core::Interface::from_raw(unknown.into_raw()) }
    }
}

#[cfg(feature = "windows-core")]
impl From<windows_core::IUnknown> for IUnknown {
    fn from(unknown: windows_core::IUnknown) -> Self {
        // SAFETY: one live IUnknown pointer and its reference pass over.
        unsafe { IUnknown::from_raw(windows_core::Interface::into_raw(unknown)) }
    }
}

/// A pointer to an object whose vtable does not start with IUnknown (IVssWriterComponents):
/// it holds no reference; whoever handed it out keeps the object alive.
#[repr(transparent)]
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Borrowed(NonNull<c_void>);

impl Borrowed {
    /// The pointer.
    pub fn as_raw(&self) -> *mut c_void {
        self.0.as_ptr()
    }

    /// # Safety
    /// `raw` is non-null and stays valid as long as the result is used.
    pub unsafe fn from_raw(raw: *mut c_void) -> Self {
        // SAFETY: non-null by the caller's contract.
        Borrowed(unsafe { NonNull::new_unchecked(raw) })
    }
}

#[cfg(test)]
mod tests {
    //! A hand-made object that counts its references and answers `QueryInterface` for
    //! IUnknown alone, to see each reference taken and given back exactly once.
    use super::*;
    use core::sync::atomic::{AtomicU32, Ordering};

    #[repr(C)]
    struct Counted {
        vtbl: *const IUnknown_Vtbl,
        refs: AtomicU32,
    }

    unsafe extern "system" fn query(
        this: *mut c_void,
        iid: *const GUID,
        out: *mut *mut c_void,
    ) -> HRESULT {
        // SAFETY: the test passes valid pointers.
        unsafe {
            if *iid == IUnknown::IID {
                add_ref(this);
                *out = this;
                HRESULT(0)
            } else {
                *out = core::ptr::null_mut();
                E_NOINTERFACE
            }
        }
    }
    unsafe extern "system" fn add_ref(this: *mut c_void) -> u32 {
        // SAFETY: `this` is the test's live `Counted`.
        unsafe { &*(this as *const Counted) }
            .refs
            .fetch_add(1, Ordering::SeqCst)
            + 1
    }
    unsafe extern "system" fn release(this: *mut c_void) -> u32 {
        // SAFETY: `this` is the test's live `Counted` (it outlives every reference).
        unsafe { &*(this as *const Counted) }
            .refs
            .fetch_sub(1, Ordering::SeqCst)
            - 1
    }
    static VTBL: IUnknown_Vtbl = IUnknown_Vtbl {
        QueryInterface: query,
        AddRef: add_ref,
        Release: release,
    };

    /// An interface the object does not implement.
    struct Other(IUnknown);
    // SAFETY: one object pointer; only its IID is used.
    unsafe impl Interface for Other {
        type Vtable = IUnknown_Vtbl;
        const IID: GUID = GUID::from_u128(1);
        fn as_raw(&self) -> *mut c_void {
            self.0.as_raw()
        }
        unsafe fn from_raw(raw: *mut c_void) -> Self {
            // SAFETY: as the caller guarantees.
            Other(unsafe { IUnknown::from_raw(raw) })
        }
        fn into_raw(self) -> *mut c_void {
            self.0.into_raw()
        }
    }

    #[test]
    fn every_reference_is_taken_and_released_once() {
        let object = Counted {
            vtbl: &VTBL,
            refs: AtomicU32::new(1),
        };
        let refs = || object.refs.load(Ordering::SeqCst);
        let raw = &object as *const Counted as *mut c_void;
        // SAFETY: `object` is live for the whole test and holds the one reference given here.
        let unknown = unsafe { IUnknown::from_raw(raw) };
        assert_eq!(unknown.as_raw(), raw);
        let copy = unknown.clone();
        assert_eq!(refs(), 2);
        let again: IUnknown = copy.cast().expect("IUnknown is always there");
        assert_eq!((refs(), again == unknown), (3, true));
        assert_eq!(copy.cast::<Other>().err(), Some(E_NOINTERFACE));
        assert_eq!(refs(), 3, "a refused QueryInterface takes no reference");
        drop(again);
        drop(copy);
        assert_eq!(refs(), 1);
        let handed = unknown.into_raw();
        assert_eq!((handed, refs()), (raw, 1), "into_raw keeps the reference");
        // SAFETY: takes back the reference `into_raw` gave up.
        let unknown = unsafe { IUnknown::from_raw(handed) };
        #[cfg(feature = "windows-core")]
        let unknown = {
            // Through windows-rs and back: the one reference travels, none is added or lost.
            let theirs = windows_core::IUnknown::from(unknown);
            assert_eq!((windows_core::Interface::as_raw(&theirs), refs()), (raw, 1));
            IUnknown::from(theirs)
        };
        assert_eq!((unknown.as_raw(), refs()), (raw, 1));
        drop(unknown);
        assert_eq!(refs(), 0);
    }
}
