//! `Code`: one HRESULT of the catalog (name, value, family, summary), with lookups by value
//! within a family, by name, and across families.

use crate::catalog::{CodeInfo, Discrepancy};
use crate::generated::codes::{lookup, readings, CODES};
use std::fmt;
use windows_result::HRESULT;

pub use crate::generated::codes::{Family, WindowsVersion};

/// A code of the catalog. The associated constants carry the C names:
/// `Code::VSS_E_PROVIDER_VETO`.
#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code(pub(crate) u16);

impl Code {
    /// Everything the catalog knows about the code.
    pub fn info(self) -> &'static CodeInfo {
        // Codes are only created by the generated constants and lookups, whose indices are
        // all in range; the fallback keeps this total anyway.
        CODES.get(usize::from(self.0)).unwrap_or(&CODES[0])
    }

    /// The symbolic name, `VSS_E_PROVIDER_VETO`.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The exact 32-bit value.
    pub fn value(self) -> u32 {
        self.info().value
    }

    /// The value as an `HRESULT`.
    pub fn hresult(self) -> HRESULT {
        HRESULT(self.value() as i32)
    }

    /// The interface family.
    pub fn family(self) -> Family {
        self.info().family
    }

    /// One-line generic summary (each method documents its own meaning too).
    pub fn summary(self) -> &'static str {
        self.info().summary
    }

    /// Whether the severity bit says success.
    pub fn is_success(self) -> bool {
        self.value() & 0x8000_0000 == 0
    }

    /// Documents that print another value than the header.
    pub fn discrepancies(self) -> &'static [Discrepancy] {
        self.info().discrepancies
    }

    /// The code with this value in `family`.
    #[inline]
    pub const fn from_hresult(family: Family, hr: HRESULT) -> Option<Code> {
        lookup(family, hr.0 as u32)
    }

    /// Every reading of this value, one per family that defines it: `0x80042409` is
    /// `VDS_E_OPERATION_PENDING` and `VSS_E_WRITER_STATUS_NOT_AVAILABLE`.
    #[inline]
    pub const fn readings(hr: HRESULT) -> &'static [Code] {
        readings(hr.0 as u32)
    }

    /// Finds a code by symbolic name, in any case (`vss_e_provider_veto`).
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.name().eq_ignore_ascii_case(name.trim()))
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Code {
    /// `summary (NAME 0x80042306)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({} 0x{:08X})",
            self.summary(),
            self.name(),
            self.value()
        )
    }
}

impl From<Code> for HRESULT {
    fn from(c: Code) -> HRESULT {
        c.hresult()
    }
}

/// The fields of an HRESULT: severity, facility and code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decoded {
    /// Failure bit set.
    pub failure: bool,
    /// Facility number (7 = FACILITY_WIN32, 4 = FACILITY_ITF).
    pub facility: u16,
    /// The low 16 bits.
    pub code: u16,
}

impl Decoded {
    /// Splits an HRESULT into its fields.
    pub const fn new(hr: HRESULT) -> Decoded {
        let v = hr.0 as u32;
        Decoded {
            failure: v & 0x8000_0000 != 0,
            facility: ((v >> 16) & 0x1FFF) as u16,
            code: (v & 0xFFFF) as u16,
        }
    }

    /// The facility's `FACILITY_…` name, where winerror.h names it (`FACILITY_ITF` for 4).
    pub const fn facility_name(self) -> Option<&'static str> {
        crate::generated::codes::facility_name(self.facility)
    }

    /// The Win32 error number for `FACILITY_WIN32` failures.
    pub const fn win32(self) -> Option<u16> {
        if self.failure && self.facility == 7 {
            Some(self.code)
        } else {
            None
        }
    }
}
