//! `GUID`, laid out as in guiddef.h: the ids of writers, snapshots, snapshot sets, providers
//! and interfaces, with the text forms VSS tools print.

use core::fmt;

/// A 128-bit globally unique id, `#[repr(C)]` as Windows declares it, so it passes to and from
/// COM by value or by pointer.
///
/// `{:?}` prints it as `00000000-0000-0000-C000-000000000046` (the form `windows_core::GUID`
/// uses); `{}` as `vssadmin` and the registry do, lowercase in braces. It parses from either,
/// with or without braces.
///
/// ```
/// use vss_errors::GUID;
///
/// // The software provider's id, as `vssadmin list providers` prints it.
/// let id: GUID = "{b5946137-7b9f-4925-af80-51abd60b20d5}".parse().unwrap();
/// assert_eq!(id, GUID::from_u128(0xb5946137_7b9f_4925_af80_51abd60b20d5));
/// assert_eq!(id.to_string(), "{b5946137-7b9f-4925-af80-51abd60b20d5}");
/// assert_eq!(format!("{id:?}"), "B5946137-7B9F-4925-AF80-51ABD60B20D5");
/// assert!("b5946137-7b9f".parse::<GUID>().is_err());
/// ```
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct GUID {
    /// The first 8 hex digits.
    pub data1: u32,
    /// The next 4.
    pub data2: u16,
    /// The next 4.
    pub data3: u16,
    /// The last 16, as bytes in text order.
    pub data4: [u8; 8],
}

impl GUID {
    /// The all-zero id (`GUID_NULL`), which VSS reads as "none" or "any".
    pub const fn zeroed() -> Self {
        GUID::from_values(0, 0, 0, [0; 8])
    }

    /// From its four fields.
    pub const fn from_values(data1: u32, data2: u16, data3: u16, data4: [u8; 8]) -> Self {
        GUID {
            data1,
            data2,
            data3,
            data4,
        }
    }

    /// From the id read as one big-endian number (`0x507c37b4_cf5b_4e95_b0af_14eb9767467e`
    /// for `507c37b4-cf5b-4e95-b0af-14eb9767467e`).
    pub const fn from_u128(v: u128) -> Self {
        GUID {
            data1: (v >> 96) as u32,
            data2: (v >> 80) as u16,
            data3: (v >> 64) as u16,
            data4: (v as u64).to_be_bytes(),
        }
    }

    /// The id as one big-endian number (the inverse of [`GUID::from_u128`]).
    pub const fn to_u128(&self) -> u128 {
        ((self.data1 as u128) << 96)
            | ((self.data2 as u128) << 80)
            | ((self.data3 as u128) << 64)
            | u64::from_be_bytes(self.data4) as u128
    }
}

impl From<u128> for GUID {
    fn from(v: u128) -> Self {
        GUID::from_u128(v)
    }
}

impl From<GUID> for u128 {
    fn from(g: GUID) -> Self {
        g.to_u128()
    }
}

/// The same id as windows-rs spells it, for programs that also use the `windows` crates.
#[cfg(feature = "windows-core")]
impl From<windows_core::GUID> for GUID {
    fn from(g: windows_core::GUID) -> Self {
        GUID::from_u128(g.to_u128())
    }
}

#[cfg(feature = "windows-core")]
impl From<GUID> for windows_core::GUID {
    fn from(g: GUID) -> Self {
        windows_core::GUID::from_u128(g.to_u128())
    }
}

/// Writes the 32 hex digits in groups of 8-4-4-4-12.
fn hyphenated(g: &GUID, f: &mut fmt::Formatter<'_>, upper: bool) -> fmt::Result {
    let v = g.to_u128();
    let groups = [(96, 8), (80, 4), (64, 4), (48, 4), (0, 12)];
    for (i, (shift, digits)) in groups.into_iter().enumerate() {
        if i > 0 {
            f.write_str("-")?;
        }
        let part = (v >> shift) & ((1u128 << (digits * 4)) - 1);
        if upper {
            write!(f, "{part:0digits$X}")?;
        } else {
            write!(f, "{part:0digits$x}")?;
        }
    }
    Ok(())
}

impl fmt::Debug for GUID {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        hyphenated(self, f, true)
    }
}

impl fmt::Display for GUID {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        hyphenated(self, f, false)?;
        f.write_str("}")
    }
}

/// Text that is not a GUID: 32 hex digits grouped 8-4-4-4-12, optionally in braces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseGuidError {
    text: String,
}

impl fmt::Display for ParseGuidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a GUID: expected 32 hex digits grouped 8-4-4-4-12, like \"{{507c37b4-cf5b-4e95-b0af-14eb9767467e}}\"",
            self.text
        )
    }
}

impl std::error::Error for ParseGuidError {}

impl core::str::FromStr for GUID {
    type Err = ParseGuidError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseGuidError {
            text: s.to_string(),
        };
        let inner = match s.strip_prefix('{') {
            Some(rest) => rest.strip_suffix('}').ok_or_else(err)?,
            None => s,
        };
        let mut groups = inner.split('-');
        let mut v: u128 = 0;
        for digits in [8, 4, 4, 4, 12] {
            let g = groups.next().ok_or_else(err)?;
            if g.len() != digits || !g.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(err());
            }
            v = (v << (digits * 4)) | u128::from_str_radix(g, 16).map_err(|_| err())?;
        }
        if groups.next().is_some() {
            return Err(err());
        }
        Ok(GUID::from_u128(v))
    }
}

#[cfg(test)]
mod tests {
    use super::GUID;

    const IUNKNOWN: u128 = 0x00000000_0000_0000_c000_000000000046;

    #[test]
    fn fields_follow_the_big_endian_reading() {
        let g = GUID::from_u128(0x507c37b4_cf5b_4e95_b0af_14eb9767467e);
        assert_eq!(
            (g.data1, g.data2, g.data3, g.data4),
            (
                0x507c37b4,
                0xcf5b,
                0x4e95,
                [0xb0, 0xaf, 0x14, 0xeb, 0x97, 0x67, 0x46, 0x7e]
            )
        );
        assert_eq!(g.to_u128(), 0x507c37b4_cf5b_4e95_b0af_14eb9767467e);
        assert_eq!(GUID::from_u128(IUNKNOWN).data4[0], 0xc0);
    }

    #[test]
    fn text_forms_and_parsing_round_trip() {
        let g = GUID::from_u128(0x507c37b4_cf5b_4e95_b0af_14eb9767467e);
        assert_eq!(format!("{g:?}"), "507C37B4-CF5B-4E95-B0AF-14EB9767467E");
        assert_eq!(format!("{g}"), "{507c37b4-cf5b-4e95-b0af-14eb9767467e}");
        assert_eq!(
            format!("{:?}", GUID::from_u128(IUNKNOWN)),
            "00000000-0000-0000-C000-000000000046"
        );
        for text in [
            format!("{g}"),
            format!("{g:?}"),
            format!("{g:?}").to_lowercase(),
        ] {
            assert_eq!(text.parse::<GUID>(), Ok(g), "{text}");
        }
        for bad in [
            "",
            "{507c37b4-cf5b-4e95-b0af-14eb9767467e",
            "507c37b4cf5b4e95b0af14eb9767467e",
            "507c37b4-cf5b-4e95-b0af-14eb9767467e-00",
            "507c37b4-cf5b-4e95-b0af-14eb9767467g",
            "+07c37b4-cf5b-4e95-b0af-14eb9767467e",
        ] {
            let e = bad.parse::<GUID>().unwrap_err();
            assert!(e.to_string().contains("expected 32 hex digits"), "{e}");
        }
    }

    #[cfg(feature = "windows-core")]
    #[test]
    fn windows_core_guids_convert_both_ways() {
        let ours = GUID::from_u128(0x507c37b4_cf5b_4e95_b0af_14eb9767467e);
        let theirs: windows_core::GUID = ours.into();
        assert_eq!((theirs.data1, theirs.data4), (ours.data1, ours.data4));
        assert_eq!(format!("{theirs:?}"), format!("{ours:?}"));
        assert_eq!(GUID::from(theirs), ours);
    }
}
