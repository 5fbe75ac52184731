//! Loads the C call probe (`VSS_CALL_PROBE`, a DLL built from tests/abi/probe.c) and reads
//! what it recorded: the call log, its live objects and the IMalloc blocks it tracks.

use std::ffi::{c_char, c_void, CStr};
use std::sync::{Mutex, MutexGuard, OnceLock};
use vss_errors::com::Interface;
use vss_errors::GUID;
use windows_result::HRESULT;

windows_link::link!("kernel32.dll" "system" fn LoadLibraryW(name: *const u16) -> *mut c_void);
windows_link::link!("kernel32.dll" "system" fn GetProcAddress(module: *mut c_void, name: *const u8) -> *mut c_void);

/// What the probe holds at one moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    /// Probe objects not yet released.
    pub live_objects: i32,
    /// IMalloc blocks (BSTRs, CoTaskMem strings) allocated and not freed.
    pub blocks: i32,
    /// Frees of blocks never allocated, or releases past zero.
    pub bad_frees: i32,
}

impl Counts {
    /// The same, with the one object the test created released.
    pub fn released_one(self) -> Counts {
        Counts {
            live_objects: self.live_objects - 1,
            ..self
        }
    }
}

/// The loaded probe.
pub struct Probe {
    object: unsafe extern "C" fn(*const c_char) -> *mut c_void,
    log: unsafe extern "C" fn() -> *const c_char,
    clear: unsafe extern "C" fn(),
    live: unsafe extern "C" fn() -> i32,
    blocks: unsafe extern "C" fn() -> i32,
    bad: unsafe extern "C" fn() -> i32,
    serial: Mutex<()>,
}

fn symbol(module: *mut c_void, name: &str) -> *mut c_void {
    let z: Vec<u8> = name.bytes().chain([0]).collect();
    // SAFETY: `module` is a loaded module and `z` a NUL-terminated name.
    let p = unsafe { GetProcAddress(module, z.as_ptr()) };
    assert!(!p.is_null(), "the probe exports no {name}");
    p
}

/// An exported function as the pointer type `F`.
///
/// # Safety
/// The export is a function of type `F`.
unsafe fn function<F: Copy>(module: *mut c_void, name: &str) -> F {
    let p = symbol(module, name);
    // SAFETY: as the caller guarantees; `F` is a function pointer, the size of `p`.
    unsafe { std::mem::transmute_copy::<*mut c_void, F>(&p) }
}

impl Probe {
    /// The probe, loaded once and started (COM initialized, the IMalloc spy registered).
    pub fn get() -> &'static Probe {
        static PROBE: OnceLock<Probe> = OnceLock::new();
        PROBE.get_or_init(|| {
            let path = std::env::var("VSS_CALL_PROBE").unwrap_or_default();
            assert!(
                !path.is_empty(),
                "set VSS_CALL_PROBE to the DLL built from tests/abi/probe.c (scripts/windows-tests.sh does)"
            );
            let w: Vec<u16> = path.encode_utf16().chain([0]).collect();
            // SAFETY: a NUL-terminated path.
            let module = unsafe { LoadLibraryW(w.as_ptr()) };
            assert!(!module.is_null(), "cannot load the probe {path}");
            // SAFETY: each symbol is the probe's exported function of exactly this type.
            unsafe {
                let start: unsafe extern "C" fn() -> HRESULT = function(module, "probe_start");
                let hr = start();
                assert!(hr.is_ok(), "probe_start failed: {hr:?}");
                Probe {
                    object: function(module, "probe_object"),
                    log: function(module, "probe_log"),
                    clear: function(module, "probe_clear"),
                    live: function(module, "probe_live_objects"),
                    blocks: function(module, "probe_blocks"),
                    bad: function(module, "probe_bad_frees"),
                    serial: Mutex::new(()),
                }
            }
        })
    }

    /// One test at a time: the log and the counts are the process's.
    pub fn lock(&self) -> MutexGuard<'_, ()> {
        self.serial.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new probe object of a family (`"IVssBackupComponents"`), as interface `I`.
    pub fn object<I: Interface>(&self, family: &str) -> I {
        let z: Vec<u8> = family.bytes().chain([0]).collect();
        // SAFETY: a NUL-terminated name; the probe returns an object with one reference,
        // whose first vtable is the family's (a prefix of `I`'s for every member).
        let p = unsafe { (self.object)(z.as_ptr().cast()) };
        assert!(!p.is_null(), "the probe has no family {family}");
        // SAFETY: as above; the reference passes to the returned value.
        unsafe { I::from_raw(p) }
    }

    /// A new probe object of a family, as a raw pointer carrying one reference.
    pub fn raw(&self, family: &str) -> *mut c_void {
        let z: Vec<u8> = family.bytes().chain([0]).collect();
        // SAFETY: a NUL-terminated name.
        let p = unsafe { (self.object)(z.as_ptr().cast()) };
        assert!(!p.is_null(), "the probe has no family {family}");
        p
    }

    /// The calls recorded since the last `clear`.
    pub fn log(&self) -> String {
        // SAFETY: the probe returns its NUL-terminated log buffer.
        unsafe { CStr::from_ptr((self.log)()) }
            .to_string_lossy()
            .into_owned()
    }

    /// Forgets the recorded calls.
    pub fn clear(&self) {
        // SAFETY: no arguments; clears the probe's buffer.
        unsafe { (self.clear)() }
    }

    /// Live objects, tracked blocks and bad frees now.
    pub fn counts(&self) -> Counts {
        // SAFETY: plain reads of the probe's counters.
        unsafe {
            Counts {
                live_objects: (self.live)(),
                blocks: (self.blocks)(),
                bad_frees: (self.bad)(),
            }
        }
    }
}

/// The id the probe writes for value `v` (and expects when a test passes it).
pub fn probe_guid(v: u32) -> GUID {
    GUID::from_values(
        v,
        0x1111,
        0x2222,
        [0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa],
    )
}
