//! The catalog as data at run time: methods, their documented entries, retry advice, OS notes
//! and facts, all in `static` tables generated from the TOML catalog.

use crate::code::{Code, Family};
use crate::error::{AnyError, AnyOutcome};
use crate::generated::codes::WindowsVersion;
use crate::generated::methods::METHODS;
use crate::generated::texts::TEXTS;
use std::time::Duration;
use windows_result::HRESULT;

/// Index of a text in the table of distinct texts (each text is stored once).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TextId(pub(crate) u16);

impl TextId {
    /// The text.
    pub fn get(self) -> &'static str {
        TEXTS.get(usize::from(self.0)).copied().unwrap_or("")
    }
}

/// Everything the catalog knows about one code.
#[derive(Debug)]
pub struct CodeInfo {
    /// Symbolic name, `VSS_E_PROVIDER_VETO`.
    pub name: &'static str,
    /// Exact 32-bit value.
    pub value: u32,
    /// Interface family.
    pub family: Family,
    /// One-line generic summary.
    pub summary: &'static str,
    /// Header the value comes from.
    pub header: Option<&'static str>,
    /// What `std::io::Error` kind the code converts to.
    pub io_kind: std::io::ErrorKind,
    /// Documents that print another value than the header.
    pub discrepancies: &'static [Discrepancy],
}

/// A document that prints a different value than the header for a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Discrepancy {
    /// Which document and where.
    pub source: &'static str,
    /// The value it prints.
    pub documented_value: u32,
}

/// What a catalog record documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MethodKind {
    /// A method of a COM interface.
    Method,
    /// A free function.
    Function,
    /// Writer-failure codes that linked methods report through an out-parameter or accept.
    WriterFailureSet,
}

/// A method, free function or writer-failure set, with the codes it documents.
#[derive(Debug)]
pub struct Method {
    /// Owning interface (`IVssBackupComponents`); `None` for free functions.
    pub interface: Option<&'static str>,
    /// Method name (`DoSnapshotSet`).
    pub name: &'static str,
    /// Method, function or writer-failure set.
    pub kind: MethodKind,
    /// The generated Rust error type's name.
    pub rust_type: &'static str,
    /// Exact section title in the consolidated error table it came from.
    pub seed_section: Option<&'static str>,
    /// Microsoft Docs page it was checked against.
    pub doc_page: Option<&'static str>,
    /// Other provenance.
    pub source: Option<&'static str>,
    /// Whether it returns an `IVssAsync` whose `QueryStatus` delivers the outcome.
    pub returns_async: bool,
    /// Whether that async operation can be cancelled (`None`: the documents do not say).
    pub cancellable: Option<bool>,
    /// Whether the async interface reports percent complete.
    pub reports_progress: bool,
    /// The documented codes of the call, in document order.
    pub entries: &'static [Entry],
    /// Status codes an async status query delivers through its out-parameter.
    pub status: &'static [Entry],
    /// Structured facts that are not return codes.
    pub facts: &'static [Fact],
    /// For writer-failure sets: the methods that report or accept these codes.
    pub links: &'static [Link],
}

impl PartialEq for Method {
    /// Methods are unique statics: equal when they are the same one.
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for Method {}

impl Method {
    /// `Interface::Name` or the bare name.
    pub fn qualified_name(&self) -> String {
        match self.interface {
            Some(i) => format!("{i}::{}", self.name),
            None => self.name.to_string(),
        }
    }

    /// Classifies any HRESULT as this method's own error and outcome types do (what
    /// `<Method>Error::classify` does), type-erased: for code that handles every method alike.
    ///
    /// It reads the method's entries, as the generated types are built from them: a failure
    /// is the entry of its code, else the entry whose older-Windows fallback it is, else
    /// undocumented; a success is the entry of its code, if documented.
    pub fn classify(&'static self, hr: HRESULT) -> Result<AnyOutcome, AnyError> {
        let value = hr.0 as u32;
        let of_value = |failure: bool| {
            self.entries
                .iter()
                .find(|e| e.code.value() == value && e.code.is_success() != failure)
        };
        if value & 0x8000_0000 == 0 {
            return Ok(AnyOutcome::from_parts(self, of_value(false), hr));
        }
        if let Some(e) = of_value(true) {
            return Err(AnyError::from_parts(self, Some(e), hr, false));
        }
        // The generated types take an entry's first fallback code, and only failure entries.
        let fallback = self.entries.iter().find(|e| {
            !e.code.is_success()
                && e.os_notes
                    .iter()
                    .find_map(|n| n.fallback)
                    .is_some_and(|f| f.value() == value)
        });
        Err(AnyError::from_parts(self, fallback, hr, fallback.is_some()))
    }

    /// The entry documenting `code`, if this method documents it.
    pub fn entry(&self, code: Code) -> Option<&'static Entry> {
        self.entries.iter().find(|e| e.code == code)
    }

    /// Every method, function and set of the catalog.
    pub fn all() -> &'static [&'static Method] {
        METHODS
    }

    /// Finds a method by qualified name (`IVssBackupComponents::DoSnapshotSet`) or, when
    /// unique, by bare name; case-insensitive. `Err` lists the candidates when ambiguous.
    pub fn find(name: &str) -> Result<&'static Method, Vec<&'static Method>> {
        let exact: Vec<_> = METHODS
            .iter()
            .copied()
            .filter(|m| m.qualified_name().eq_ignore_ascii_case(name))
            .collect();
        if let [m] = exact.as_slice() {
            return Ok(m);
        }
        let bare: Vec<_> = METHODS
            .iter()
            .copied()
            .filter(|m| m.name.eq_ignore_ascii_case(name))
            .collect();
        match bare.as_slice() {
            [m] => Ok(m),
            _ => Err(bare),
        }
    }
}

/// One documented code of one method.
#[derive(Debug)]
pub struct Entry {
    /// The code.
    pub code: Code,
    /// For success codes, the outcome variant's name for this method (`NotLoaded`).
    pub outcome: Option<&'static str>,
    pub(crate) text: TextId,
    /// Only delivered through `IVssAsync::QueryStatus`, never by the call itself.
    pub async_only: bool,
    /// Structured retry advice, where the documentation gives one.
    pub retry: Option<Retry>,
    pub(crate) retry_note: Option<TextId>,
    /// How the code behaves on particular Windows versions.
    pub os_notes: &'static [OsNote],
}

/// Builders for the generated tables: an entry starts as a code and its text, and each
/// documented detail is added by name, so the tables read as the catalog does.
impl Entry {
    pub(crate) const fn new(code: Code, text: TextId) -> Entry {
        Entry {
            code,
            outcome: None,
            text,
            async_only: false,
            retry: None,
            retry_note: None,
            os_notes: &[],
        }
    }

    pub(crate) const fn with_outcome(self, outcome: &'static str) -> Entry {
        Entry {
            outcome: Some(outcome),
            ..self
        }
    }

    pub(crate) const fn with_async_only(self) -> Entry {
        Entry {
            async_only: true,
            ..self
        }
    }

    pub(crate) const fn with_retry(self, wait_seconds: u32, max_attempts: u32) -> Entry {
        Entry {
            retry: Some(Retry {
                wait_seconds,
                max_attempts,
            }),
            ..self
        }
    }

    pub(crate) const fn with_retry_note(self, note: TextId) -> Entry {
        Entry {
            retry_note: Some(note),
            ..self
        }
    }

    pub(crate) const fn with_os_notes(self, os_notes: &'static [OsNote]) -> Entry {
        Entry { os_notes, ..self }
    }
}

impl Entry {
    /// The method's own text for this code.
    pub fn text(&self) -> &'static str {
        self.text.get()
    }

    /// Why the text speaks of retrying without structured advice.
    pub fn retry_note(&self) -> Option<&'static str> {
        self.retry_note.map(TextId::get)
    }
}

/// Structured retry advice: wait, then try again, at most `max_attempts` more times
/// ("wait ten minutes and try again, up to three times" is 600 s and 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Retry {
    /// Seconds to wait before the next attempt.
    pub wait_seconds: u32,
    /// How many times to try again at most, after the first failure.
    pub max_attempts: u32,
}

impl Retry {
    /// The wait as a `Duration`.
    pub const fn wait(self) -> Duration {
        Duration::from_secs(self.wait_seconds as u64)
    }
}

/// How a code behaves on particular Windows versions.
#[derive(Debug)]
pub struct OsNote {
    /// The versions the note applies to.
    pub versions: &'static [WindowsVersion],
    /// The code returned instead there; `None`: the code is not returned there.
    pub fallback: Option<Code>,
    /// Versions from which the code is supported.
    pub supported_from: &'static [WindowsVersion],
    pub(crate) text: TextId,
}

impl OsNote {
    pub(crate) const fn new(
        versions: &'static [WindowsVersion],
        fallback: Option<Code>,
        supported_from: &'static [WindowsVersion],
        text: TextId,
    ) -> OsNote {
        OsNote {
            versions,
            fallback,
            supported_from,
            text,
        }
    }

    /// The note as documented.
    pub fn text(&self) -> &'static str {
        self.text.get()
    }
}

/// Kinds of structured facts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FactKind {
    /// The async operation cannot be cancelled.
    NotCancellable,
    /// Must be called after the named method.
    CallAfter,
    /// Must be followed by the named method for each result.
    CallAfterEach,
    /// An async status reports the originating method's codes.
    StatusOfOrigin,
    /// The async interface reports progress.
    Progress,
}

/// A structured fact about a method that is not a return code.
#[derive(Debug)]
pub struct Fact {
    /// What kind of fact.
    pub kind: FactKind,
    /// The other method it refers to, qualified.
    pub method: Option<&'static str>,
    pub(crate) text: TextId,
    /// Where it is documented.
    pub source: &'static str,
}

impl Fact {
    /// The documented text.
    pub fn text(&self) -> &'static str {
        self.text.get()
    }
}

/// How a writer-failure set is tied to a method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LinkDirection {
    /// The method reports these codes through an out-parameter.
    Reported,
    /// The method accepts these codes as an argument.
    Accepted,
}

/// A writer-failure set's tie to a method.
#[derive(Debug)]
pub struct Link {
    /// Qualified method name.
    pub method: &'static str,
    /// The parameter that carries the code.
    pub parameter: &'static str,
    /// Reported or accepted.
    pub direction: LinkDirection,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::methods::TYPED_CLASSIFY;

    fn same_entry(a: Option<&'static Entry>, b: Option<&'static Entry>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => std::ptr::eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }

    /// Every value a method documents (its codes and their fallbacks), common codes it does
    /// not document, and a spread of arbitrary values.
    fn probes(m: &Method) -> Vec<u32> {
        let mut values: Vec<u32> = m
            .entries
            .iter()
            .flat_map(|e| {
                std::iter::once(e.code.value()).chain(
                    e.os_notes
                        .iter()
                        .filter_map(|n| n.fallback.map(|f| f.value())),
                )
            })
            .collect();
        values.extend([
            0,
            1,
            0x8000_4005,
            0x8000_FFFF,
            0x8007_0005,
            0x8004_2306,
            0x0004_230A,
        ]);
        // A fixed linear congruential sequence: arbitrary, and the same on every run.
        let mut x = 0x1234_5678_u32;
        for _ in 0..64 {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            values.push(x);
        }
        values
    }

    #[test]
    fn erased_classification_agrees_with_the_typed_one_for_every_method() {
        assert_eq!(TYPED_CLASSIFY.len(), METHODS.len());
        let mut compared = 0;
        for (m, typed) in METHODS.iter().zip(TYPED_CLASSIFY) {
            for value in probes(m) {
                let hr = HRESULT(value as i32);
                let ctx = format!("{} 0x{value:08X}", m.qualified_name());
                match (m.classify(hr), typed(hr)) {
                    (Ok(a), Ok(b)) => {
                        assert!(std::ptr::eq(a.method(), b.method()), "{ctx}: method");
                        assert!(same_entry(a.entry(), b.entry()), "{ctx}: entry");
                        assert_eq!(a.hresult(), b.hresult(), "{ctx}: hresult");
                    }
                    (Err(a), Err(b)) => {
                        assert!(std::ptr::eq(a.method(), b.method()), "{ctx}: method");
                        assert!(same_entry(a.entry(), b.entry()), "{ctx}: entry");
                        assert_eq!(a.hresult(), b.hresult(), "{ctx}: hresult");
                        assert_eq!(a.is_fallback(), b.is_fallback(), "{ctx}: fallback");
                    }
                    (a, b) => panic!("{ctx}: erased {a:?}, typed {b:?}"),
                }
                compared += 1;
            }
        }
        assert!(compared > METHODS.len() * 70, "{compared} comparisons");
    }
}
