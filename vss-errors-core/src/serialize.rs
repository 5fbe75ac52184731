//! `serde::Serialize` for codes, catalog entries and errors (the `serde` feature), written by
//! hand on serde's core traits so that the feature brings no proc macro into the build.
//!
//! Values are strings `"0x%08X"`, as `vss-errors explain --json` writes them; names are the
//! catalog's (`VSS_E_PROVIDER_VETO`), methods qualified (`IVssBackupComponents::DoSnapshotSet`).

use crate::catalog::{Entry, Method, OsNote, Retry};
use crate::code::{Code, WindowsVersion};
use crate::error::{AnyError, MethodError, Undocumented};
use serde::ser::{Serialize, SerializeSeq, SerializeStruct, Serializer};
use std::fmt::Write as _;
use windows_result::HRESULT;

/// `"0x80042306"`, formatted on the stack.
struct Hex(u32);

impl Serialize for Hex {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        let mut b = *b"0x00000000";
        for (i, slot) in b[2..].iter_mut().enumerate() {
            *slot = DIGITS[((self.0 >> (28 - 4 * i)) & 0xF) as usize];
        }
        // Only ASCII is written, so this never takes the fallback.
        s.serialize_str(std::str::from_utf8(&b).unwrap_or_default())
    }
}

/// The method's qualified name, written straight into the serializer.
struct Qualified(&'static Method);

impl Serialize for Qualified {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut name = String::with_capacity(64);
        if let Some(i) = self.0.interface {
            let _ = write!(name, "{i}::");
        }
        name.push_str(self.0.name);
        s.serialize_str(&name)
    }
}

/// `{"name", "value", "family", "summary"}`.
impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Code", 4)?;
        st.serialize_field("name", self.name())?;
        st.serialize_field("value", &Hex(self.value()))?;
        st.serialize_field("family", self.family().as_str())?;
        st.serialize_field("summary", self.summary())?;
        st.end()
    }
}

/// `{"wait_seconds", "max_attempts"}`.
impl Serialize for Retry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Retry", 2)?;
        st.serialize_field("wait_seconds", &self.wait_seconds)?;
        st.serialize_field("max_attempts", &self.max_attempts)?;
        st.end()
    }
}

/// The catalog's id, like `"windows-server-2003"`.
impl Serialize for WindowsVersion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// `{"versions", "fallback", "supported_from", "text"}`; `fallback` is a code name or null.
impl Serialize for OsNote {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("OsNote", 4)?;
        st.serialize_field("versions", self.versions)?;
        st.serialize_field("fallback", &self.fallback.map(Code::name))?;
        st.serialize_field("supported_from", self.supported_from)?;
        st.serialize_field("text", self.text())?;
        st.end()
    }
}

/// `{"name", "value", "text", "outcome", "async_only", "retry", "os_notes"}`.
impl Serialize for Entry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Entry", 7)?;
        st.serialize_field("name", self.code.name())?;
        st.serialize_field("value", &Hex(self.code.value()))?;
        st.serialize_field("text", self.text())?;
        st.serialize_field("outcome", &self.outcome)?;
        st.serialize_field("async_only", &self.async_only)?;
        st.serialize_field("retry", &self.retry)?;
        st.serialize_field("os_notes", &OsNotes(self.os_notes))?;
        st.end()
    }
}

struct OsNotes(&'static [OsNote]);

impl Serialize for OsNotes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for n in self.0 {
            seq.serialize_element(n)?;
        }
        seq.end()
    }
}

/// `"0x80070005"`.
impl Serialize for Undocumented {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Hex(self.hresult().0 as u32).serialize(s)
    }
}

/// Any method's error: `{"method", "value", "name", "text", "retry", "fallback"}`, where
/// `name`, `text` and `retry` are null for a code the method does not document.
pub(crate) fn error<S: Serializer>(
    s: S,
    method: &'static Method,
    entry: Option<&'static Entry>,
    hr: HRESULT,
    fallback: bool,
) -> Result<S::Ok, S::Error> {
    let mut st = s.serialize_struct("MethodError", 6)?;
    st.serialize_field("method", &Qualified(method))?;
    st.serialize_field("value", &Hex(hr.0 as u32))?;
    st.serialize_field("name", &entry.map(|e| e.code.name()))?;
    st.serialize_field("text", &entry.map(Entry::text))?;
    st.serialize_field("retry", &entry.and_then(|e| e.retry))?;
    st.serialize_field("fallback", &fallback)?;
    st.end()
}

/// As the typed error it was made from.
impl Serialize for AnyError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        error(
            s,
            self.method(),
            self.entry(),
            self.hresult(),
            self.is_fallback(),
        )
    }
}

/// Serializes any typed error as [`AnyError`] does; the generated enums call it.
pub(crate) fn method_error<E: MethodError, S: Serializer>(e: E, s: S) -> Result<S::Ok, S::Error> {
    error(s, E::method(), e.entry(), e.hresult(), e.is_fallback())
}
