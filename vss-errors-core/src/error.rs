//! What every generated error type shares: the [`MethodError`] trait, `Display`, conversions
//! to `HRESULT`, `windows_result::Error` and `std::io::Error`, and [`Undocumented`]; and
//! [`Report`], which prints an error with every `source()` below it.

use crate::catalog::{Entry, Method, OsNote, Retry};
use crate::code::{Code, Family};
use std::fmt;
use windows_result::HRESULT;

/// A failure HRESULT that a method does not document. Only classification creates it, so an
/// error's `Other` variant never holds a documented code.
#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Undocumented(pub(crate) HRESULT);

impl Undocumented {
    /// The HRESULT as returned.
    pub const fn hresult(self) -> HRESULT {
        self.0
    }

    /// Known readings of the value in any family (it is documented elsewhere, perhaps).
    pub fn readings(self) -> &'static [Code] {
        Code::readings(self.0)
    }
}

impl fmt::Debug for Undocumented {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:08X}", self.0 .0 as u32)
    }
}

/// A typed error of one method (or writer-failure set): each documented failure code is a
/// variant carrying that method's text, retry advice and OS notes.
pub trait MethodError:
    Copy + fmt::Debug + fmt::Display + std::error::Error + Send + Sync + 'static
{
    /// What success looks like: [`Succeeded`] (the success HRESULT), or a generated outcome
    /// enum where the method documents success codes that carry meaning.
    type Outcome;
    /// The method these errors belong to.
    fn method() -> &'static Method;
    /// Classifies any HRESULT: `Ok` for success codes, `Err` for failures.
    fn classify(hr: HRESULT) -> Result<Self::Outcome, Self>;
    /// The HRESULT exactly as it was returned.
    fn hresult(self) -> HRESULT;
    /// Classifies a value known to be a failure; a success value (a broken contract)
    /// becomes `E_UNEXPECTED`'s reading, so this never panics.
    fn from_failure(hr: HRESULT) -> Self;
    /// The documented entry; `None` for undocumented codes.
    fn entry(self) -> Option<&'static Entry>;
    /// Whether an older Windows version's fallback code was returned.
    fn is_fallback(self) -> bool;
    /// Structured retry advice, or `None` when the documentation gives none: the entry's
    /// `retry`, without going through the entry.
    fn retry(self) -> Option<Retry> {
        self.entry().and_then(|e| e.retry)
    }
}

/// A success outcome type.
pub trait SuccessOutcome: Copy {
    /// Classifies a success HRESULT (the caller checked it is one).
    fn from_success(hr: HRESULT) -> Self;
    /// The HRESULT this outcome stands for, exactly as it was returned.
    fn hresult(self) -> HRESULT;
    /// The documented entry; `None` for success codes the method does not document.
    fn entry(self) -> Option<&'static Entry>;
}

/// The success of a method whose success codes carry no documented meaning: the HRESULT
/// as returned (usually `S_OK`), kept rather than folded into `()`.
#[repr(transparent)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Succeeded(pub HRESULT);

impl SuccessOutcome for Succeeded {
    #[inline]
    fn from_success(hr: HRESULT) -> Self {
        Succeeded(hr)
    }
    #[inline]
    fn hresult(self) -> HRESULT {
        self.0
    }
    #[inline]
    fn entry(self) -> Option<&'static Entry> {
        None
    }
}

/// The shape of an erased classification.
#[cfg(test)]
pub(crate) type Classify = fn(HRESULT) -> Result<AnyOutcome, AnyError>;

/// A method's typed classification, erased: what the tests compare [`Method::classify`] with.
#[cfg(test)]
pub(crate) fn erase<E: MethodError>(hr: HRESULT) -> Result<AnyOutcome, AnyError>
where
    E::Outcome: SuccessOutcome,
{
    match E::classify(hr) {
        Ok(o) => Ok(AnyOutcome::from_parts(E::method(), o.entry(), o.hresult())),
        // From the typed error's own answers, not through `AnyError::new` (which erases by
        // the very classification this is compared with).
        Err(e) => Err(AnyError::from_parts(
            E::method(),
            e.entry(),
            e.hresult(),
            e.is_fallback(),
        )),
    }
}

/// Any method's error, type-erased: what a tool that handles every method alike needs
/// (`Display`, the HRESULT, the documented entry). [`Method::classify`] makes one, and so
/// does [`AnyError::new`] from a typed error.
#[derive(Clone, Copy, Debug)]
pub struct AnyError {
    method: &'static Method,
    entry: Option<&'static Entry>,
    hr: HRESULT,
    fallback: bool,
}

/// The erased error for a failure `hr` of `method`.
fn erased_failure(method: &'static Method, hr: HRESULT) -> AnyError {
    match method.classify(hr) {
        Err(e) => e,
        // A typed error's value is always a failure; kept total all the same.
        Ok(_) => AnyError::from_parts(method, None, hr, false),
    }
}

impl AnyError {
    /// Erases a typed error's type.
    pub fn new<E: MethodError>(e: E) -> AnyError {
        // The type-erased classification of the same value gives the same entry and fallback
        // (a unit test holds them equal for every method); going through it keeps this
        // function small for each error type a program erases.
        erased_failure(E::method(), e.hresult())
    }

    /// What [`Method::classify`] found.
    pub(crate) fn from_parts(
        method: &'static Method,
        entry: Option<&'static Entry>,
        hr: HRESULT,
        fallback: bool,
    ) -> AnyError {
        AnyError {
            method,
            entry,
            hr,
            fallback,
        }
    }

    /// The method (or writer-failure set) the error belongs to.
    pub fn method(self) -> &'static Method {
        self.method
    }

    /// The HRESULT exactly as it was returned.
    pub fn hresult(self) -> HRESULT {
        self.hr
    }

    /// The documented entry; `None` for a failure the method does not document.
    pub fn entry(self) -> Option<&'static Entry> {
        self.entry
    }

    /// The documented code; `None` for a failure the method does not document.
    pub fn code(self) -> Option<Code> {
        self.entry.map(|e| e.code)
    }

    /// Whether an older Windows version's fallback code was returned.
    pub fn is_fallback(self) -> bool {
        self.fallback
    }
}

impl PartialEq for AnyError {
    /// The same method and the same HRESULT (which determine everything else).
    fn eq(&self, other: &Self) -> bool {
        self.method == other.method && self.hr == other.hr
    }
}

impl Eq for AnyError {}

impl fmt::Display for AnyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_error(f, self.method, self.entry, self.hr, self.fallback)
    }
}

impl std::error::Error for AnyError {}

/// An error and every [`source()`](std::error::Error::source) below it on one line, joined
/// by `": "`, as `anyhow` prints `{:#}`: what to log when no error-report crate is at hand.
///
/// The wrappers' errors (`AsyncError`, `RetryError`, `SessionError`, …) say only what their
/// own layer adds and give the layer below as their source, down to the method's typed
/// error, so that a chain shows every layer once.
///
/// ```
/// use vss_errors::error::Report;
/// use vss_errors::methods::DoSnapshotSetError;
///
/// let e = DoSnapshotSetError::ProviderVeto;
/// assert_eq!(Report::new(&e).to_string(), e.to_string());
/// ```
#[derive(Clone, Copy)]
pub struct Report<'a>(&'a (dyn std::error::Error + 'static));

impl<'a> Report<'a> {
    /// The report of `error` and its sources.
    pub fn new(error: &'a (dyn std::error::Error + 'static)) -> Self {
        Report(error)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut next = self.0.source();
        while let Some(e) = next {
            write!(f, ": {e}")?;
            next = e.source();
        }
        Ok(())
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<AnyError> for HRESULT {
    fn from(e: AnyError) -> HRESULT {
        e.hr
    }
}

/// Any method's success, type-erased: the HRESULT and, for documented success codes with
/// meaning, the entry (whose `outcome` names it).
#[derive(Clone, Copy, Debug)]
pub struct AnyOutcome {
    method: &'static Method,
    entry: Option<&'static Entry>,
    hr: HRESULT,
}

impl AnyOutcome {
    /// What [`Method::classify`] found.
    pub(crate) fn from_parts(
        method: &'static Method,
        entry: Option<&'static Entry>,
        hr: HRESULT,
    ) -> AnyOutcome {
        AnyOutcome { method, entry, hr }
    }

    /// The method the outcome belongs to.
    pub fn method(self) -> &'static Method {
        self.method
    }

    /// The HRESULT exactly as it was returned.
    pub fn hresult(self) -> HRESULT {
        self.hr
    }

    /// The documented entry; `None` for `S_OK` and undocumented success codes.
    pub fn entry(self) -> Option<&'static Entry> {
        self.entry
    }
}

impl PartialEq for AnyOutcome {
    /// The same method and the same HRESULT.
    fn eq(&self, other: &Self) -> bool {
        self.method == other.method && self.hr == other.hr
    }
}

impl Eq for AnyOutcome {}

/// `IVssBackupComponents::DoSnapshotSet: text (VSS_E_PROVIDER_VETO 0x80042306)`.
pub(crate) fn fmt_error(
    f: &mut fmt::Formatter<'_>,
    method: &Method,
    entry: Option<&Entry>,
    hr: HRESULT,
    fallback: bool,
) -> fmt::Result {
    let value = hr.0 as u32;
    match method.interface {
        Some(i) => write!(f, "{i}::{}: ", method.name)?,
        None => write!(f, "{}: ", method.name)?,
    }
    match entry {
        Some(e) if fallback => write!(
            f,
            "{} ({} 0x{value:08X}, returned instead of {} by older Windows versions)",
            e.text(),
            fallback_name(e, value),
            e.code.name()
        ),
        Some(e) => write!(f, "{} ({} 0x{value:08X})", e.text(), e.code.name()),
        None => {
            let known =
                Code::from_hresult(Family::Com, hr).or_else(|| Code::readings(hr).first().copied());
            match known {
                Some(c) => write!(
                    f,
                    "failed with a code it does not document: {} ({} 0x{value:08X})",
                    c.summary(),
                    c.name()
                ),
                None => write!(f, "failed with a code it does not document (0x{value:08X})"),
            }
        }
    }
}

fn fallback_name(e: &Entry, value: u32) -> &'static str {
    e.os_notes
        .iter()
        .filter_map(|n| n.fallback)
        .find(|c| c.value() == value)
        .map_or("fallback", |c| c.name())
}

/// The `io::ErrorKind` for a failure: the documented code's, or the value's generic reading.
pub(crate) fn io_kind(entry: Option<&Entry>, hr: HRESULT) -> std::io::ErrorKind {
    entry
        .map(|e| e.code)
        .or_else(|| Code::from_hresult(Family::Com, hr))
        .map_or(std::io::ErrorKind::Other, |c| c.info().io_kind)
}

/// Implements the shared API of a generated error enum.
macro_rules! method_error {
    ($ty:ident, $outcome:ty, $method:ident, [$($fallback:ident),*]) => {
        impl $ty {
            /// The method (or writer-failure set) these codes belong to.
            pub const METHOD: &'static $crate::catalog::Method = &$method;

            /// Whether an older Windows version's fallback code was returned.
            #[inline]
            pub const fn is_fallback(self) -> bool {
                false $(|| matches!(self, Self::$fallback { fallback: true }))*
            }

            /// Classifies a failure HRESULT; `None` for success codes.
            #[inline]
            pub const fn from_hresult(hr: ::windows_result::HRESULT) -> Option<Self> {
                let value = hr.0 as u32;
                if value & 0x8000_0000 == 0 {
                    return None;
                }
                match Self::TABLE.find(value) {
                    Some(e) => Some(e),
                    None => Some(Self::Other($crate::error::Undocumented(hr))),
                }
            }

            /// The HRESULT this error stands for, exactly as it was returned.
            #[inline]
            #[allow(unreachable_patterns)]
            pub const fn hresult(self) -> ::windows_result::HRESULT {
                match self {
                    Self::Other(u) => u.0,
                    documented => {
                        match Self::TABLE.value(documented.ordinal(), documented.is_fallback()) {
                            Some(value) => ::windows_result::HRESULT(value as i32),
                            // The generator gives every documented variant its values.
                            None => ::windows_result::HRESULT(0x8000_FFFF_u32 as i32),
                        }
                    }
                }
            }

            /// Classifies any HRESULT: `Ok` for success codes, `Err` for failures.
            #[inline]
            pub fn classify(
                hr: ::windows_result::HRESULT,
            ) -> ::core::result::Result<$outcome, Self> {
                match Self::from_hresult(hr) {
                    Some(e) => Err(e),
                    None => Ok(<$outcome as $crate::error::SuccessOutcome>::from_success(
                        hr,
                    )),
                }
            }

            /// The documented entry: the method's text, retry advice and OS notes.
            #[inline]
            pub const fn entry(self) -> Option<&'static $crate::catalog::Entry> {
                Self::TABLE.entry(self.ordinal())
            }

            /// The documented code; `None` for `Other`.
            #[inline]
            pub fn code(self) -> Option<$crate::code::Code> {
                self.entry().map(|e| e.code)
            }

            /// The method's own text for this code.
            #[inline]
            pub fn text(self) -> Option<&'static str> {
                self.entry().map(|e| e.text())
            }

            /// Structured retry advice, or `None` when the documentation gives none.
            #[inline]
            pub const fn retry(self) -> Option<$crate::catalog::Retry> {
                Self::TABLE.retry(self.ordinal())
            }

            /// How the code behaves on particular Windows versions.
            #[inline]
            pub fn os_notes(self) -> &'static [$crate::catalog::OsNote] {
                self.entry().map_or(&[], |e| e.os_notes)
            }

            /// Only delivered through `IVssAsync::QueryStatus`.
            #[inline]
            pub fn async_only(self) -> bool {
                self.entry().is_some_and(|e| e.async_only)
            }
        }

        impl $crate::error::MethodError for $ty {
            type Outcome = $outcome;
            #[inline]
            fn method() -> &'static $crate::catalog::Method {
                Self::METHOD
            }
            #[inline]
            fn classify(hr: ::windows_result::HRESULT) -> ::core::result::Result<$outcome, Self> {
                $ty::classify(hr)
            }
            #[inline]
            fn hresult(self) -> ::windows_result::HRESULT {
                $ty::hresult(self)
            }
            #[inline]
            fn from_failure(hr: ::windows_result::HRESULT) -> Self {
                match Self::from_hresult(hr) {
                    Some(e) => e,
                    None => Self::Other($crate::error::Undocumented(::windows_result::HRESULT(
                        0x8000_FFFF_u32 as i32,
                    ))),
                }
            }
            #[inline]
            fn entry(self) -> Option<&'static $crate::catalog::Entry> {
                $ty::entry(self)
            }
            #[inline]
            fn is_fallback(self) -> bool {
                $ty::is_fallback(self)
            }
            #[inline]
            fn retry(self) -> Option<$crate::catalog::Retry> {
                $ty::retry(self)
            }
        }

        impl ::core::fmt::Display for $ty {
            // Inline: built only where a program uses it.
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                $crate::error::fmt_error(
                    f,
                    Self::METHOD,
                    self.entry(),
                    self.hresult(),
                    self.is_fallback(),
                )
            }
        }

        impl ::std::error::Error for $ty {}

        /// `{"method", "value", "name", "text", "retry", "fallback"}` (the `serde` feature).
        #[cfg(feature = "serde")]
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::serialize::method_error(*self, s)
            }
        }

        impl From<$ty> for ::windows_result::HRESULT {
            // Inline: built only where a program uses it.
            #[inline]
            fn from(e: $ty) -> Self {
                e.hresult()
            }
        }

        impl From<$ty> for ::windows_result::Error {
            // Inline: built only where a program uses it.
            #[inline]
            fn from(e: $ty) -> Self {
                ::windows_result::Error::new(e.hresult(), e.to_string())
            }
        }

        impl From<$ty> for ::std::io::Error {
            // Inline: built only where a program uses it.
            #[inline]
            fn from(e: $ty) -> Self {
                ::std::io::Error::new($crate::error::io_kind(e.entry(), e.hresult()), e)
            }
        }
    };
}
pub(crate) use method_error;

/// Implements the shared API of a generated outcome enum.
macro_rules! success_outcome {
    ($ty:ident) => {
        impl $crate::error::SuccessOutcome for $ty {
            #[inline]
            fn from_success(hr: ::windows_result::HRESULT) -> Self {
                match Self::from_hresult(hr) {
                    Some(o) => o,
                    None => Self::OtherSuccess(hr),
                }
            }
            #[inline]
            fn hresult(self) -> ::windows_result::HRESULT {
                $ty::hresult(self)
            }
            #[inline]
            fn entry(self) -> Option<&'static $crate::catalog::Entry> {
                $ty::entry(self)
            }
        }

        impl $ty {
            /// The method's own text for this outcome, if documented.
            #[inline]
            pub fn text(self) -> Option<&'static str> {
                self.entry().map(|e| e.text())
            }
        }
    };
}
pub(crate) use success_outcome;

/// Unused-import guard for types only named inside the macros.
#[allow(dead_code)]
fn _types(_: Option<&OsNote>, _: Option<Retry>) {}
