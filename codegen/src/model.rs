//! The catalog's data model: codes, Windows versions, interfaces and methods with their entries.
//!
//! [`crate::load`] fills it from TOML (recording where each key was written) and
//! [`crate::validate`] checks it; emitters only ever see a validated catalog.

use crate::diagnostic::Loc;
use std::collections::BTreeMap;

/// Where a record and each of its keys were written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spans {
    /// The record (table) itself.
    pub table: Loc,
    /// Each key's value, by key name.
    pub keys: BTreeMap<String, Loc>,
}

impl Spans {
    /// The location of `key`'s value, or of the table when the key is absent.
    pub fn at(&self, key: &str) -> Loc {
        self.keys
            .get(key)
            .cloned()
            .unwrap_or_else(|| self.table.clone())
    }
}

/// The whole catalog.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalog {
    pub codes: Vec<Code>,
    pub versions: Vec<WindowsVersion>,
    pub interfaces: Vec<Interface>,
    pub methods: Vec<Method>,
}

/// An HRESULT code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Code {
    /// Symbolic name as in the headers, `VSS_E_PROVIDER_VETO`.
    pub name: String,
    /// The exact 32-bit value.
    pub value: u32,
    /// Interface family the value belongs to (`com`, `vss`, `vds`): FACILITY_ITF values only
    /// mean something relative to their family.
    pub family: String,
    /// The header the value comes from.
    pub header: Option<String>,
    /// Variant name in the per-method enums (`ProviderVeto`).
    pub variant: String,
    /// One-line generic summary.
    pub summary: String,
    /// `std::io::ErrorKind` the code converts to (`PermissionDenied`), if not `Other`.
    pub io_kind: Option<String>,
    /// Documents that print a value other than the header's.
    pub discrepancies: Vec<Discrepancy>,
    pub spans: Spans,
}

impl Code {
    /// Whether the severity bit marks a failure.
    pub fn is_failure(&self) -> bool {
        self.value & 0x8000_0000 != 0
    }
}

/// A document that prints a different value than the header for a code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Discrepancy {
    pub source: String,
    pub documented_value: u32,
    pub note: Option<String>,
    pub spans: Spans,
}

/// A Windows version an OS note may name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WindowsVersion {
    /// Stable identifier, `windows-server-2008-r2`.
    pub id: String,
    /// Display name, `Windows Server 2008 R2`.
    pub name: String,
    pub spans: Spans,
}

/// A COM interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interface {
    pub name: String,
    pub header: Option<String>,
    pub extends: Option<String>,
    /// Interface id, `665c1d5f-c218-414d-a05d-7fef5f9d5c86`.
    pub iid: Option<String>,
    /// Every method in vtable order (after the base interface's), as declared in the header.
    pub vtable: Vec<Slot>,
    pub spans: Spans,
}

/// One vtable slot: a method declaration as written in the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    pub name: String,
    pub params: Vec<Param>,
    /// The declaration as written in the catalog.
    pub decl: String,
    pub loc: crate::diagnostic::Loc,
}

/// A parameter of a vtable slot, in C terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// Base type name (`VSS_ID`, `IVssAsync`, `UINT`).
    pub c_type: String,
    /// `const` applies to the pointee.
    pub is_const: bool,
    /// Number of `*`.
    pub pointers: u8,
    pub name: String,
}

/// What a catalog record documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MethodKind {
    /// A method of a COM interface.
    Method,
    /// A free function.
    Function,
    /// A set of writer-failure codes reported through an out-parameter or accepted as an
    /// argument by the linked methods.
    WriterFailureSet,
}

impl MethodKind {
    /// The name used in JSON and docs.
    pub fn as_str(self) -> &'static str {
        match self {
            MethodKind::Method => "method",
            MethodKind::Function => "function",
            MethodKind::WriterFailureSet => "writer_failure_set",
        }
    }
}

/// A method, free function or writer-failure set, with the codes it documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Method {
    pub kind: MethodKind,
    /// Owning interface; `None` for free functions and sets that belong to no interface.
    pub interface: Option<String>,
    pub name: String,
    /// Explicit base for the Rust type name, when the default would be ambiguous.
    pub rust_name: Option<String>,
    pub header: Option<String>,
    /// Exact section title in seed 004.
    pub seed_section: Option<String>,
    /// Microsoft Docs page (sdk-api path) the method was checked against.
    pub doc_page: Option<String>,
    /// Other provenance (a seed document without sections).
    pub source: Option<String>,
    /// Returns an IVssAsync whose QueryStatus delivers the outcome.
    pub returns_async: bool,
    /// Whether the returned async operation can be cancelled (`None`: not stated).
    pub cancellable: Option<bool>,
    /// How the async interface reports progress (`percent`).
    pub progress: Option<String>,
    pub links: Vec<Link>,
    pub facts: Vec<Fact>,
    /// Codes the call itself returns.
    pub returns: Vec<Entry>,
    /// Status codes an async status query delivers through its out-parameter.
    pub status: Vec<Entry>,
    pub spans: Spans,
}

impl Method {
    /// `Interface::Name`, or the bare name when there is no interface.
    pub fn qualified_name(&self) -> String {
        match &self.interface {
            Some(i) => format!("{i}::{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// How a writer-failure set is tied to a method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Qualified method name.
    pub method: String,
    pub parameter: String,
    /// `reported` (an out-parameter) or `accepted` (an argument).
    pub direction: String,
    pub spans: Spans,
}

/// A structured fact about a method that is not a return code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    /// `not-cancellable`, `call-after`, `call-after-each`, `status-of-origin`, `progress`.
    pub kind: String,
    /// The other method the fact refers to, qualified.
    pub method: Option<String>,
    pub text: String,
    pub source: String,
    pub spans: Spans,
}

/// One documented code of one method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub code: String,
    /// For success codes: the outcome's variant name for this method (`NotLoaded`).
    pub outcome: Option<String>,
    /// The method's own text, verbatim (whitespace normalized, paragraphs joined by `\n`).
    pub text: String,
    /// Only delivered through IVssAsync::QueryStatus.
    pub async_only: bool,
    pub retry: Option<Retry>,
    /// Why a text that speaks of retrying has no structured advice.
    pub retry_note: Option<String>,
    pub os_notes: Vec<OsNote>,
    pub spans: Spans,
}

/// Structured retry advice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retry {
    pub wait_seconds: u32,
    pub max_attempts: u32,
}

/// How a code behaves on particular Windows versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OsNote {
    /// Version ids the note applies to.
    pub versions: Vec<String>,
    /// The code returned instead on those versions; `None`: the code is not returned there.
    pub fallback: Option<String>,
    /// Version ids from which the code is supported.
    pub supported_from: Vec<String>,
    pub text: String,
    pub spans: Spans,
}
