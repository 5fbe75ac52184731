//! Faults to inject, checked against the catalog: only codes documented for that method, in a
//! phase where the documentation says they can arrive.

use crate::catalog::{Method, MethodKind};
use crate::code::Code;
use std::fmt;

/// When an injected code is delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Returned by the call itself.
    Call,
    /// Delivered later by `IVssAsync::QueryStatus` of the async operation the call started.
    Status,
}

/// A code a method will return, `times` times in a row, in one phase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// The method: of `IVssBackupComponents` and its Ex interfaces, `IVssAsync`, the
    /// management interfaces, or the objects they hand out (writer metadata and its
    /// components, file sets and dependencies, the document's components, enumerators).
    pub method: &'static Method,
    /// The code to return.
    pub code: Code,
    /// Call time or `QueryStatus` time.
    pub phase: Phase,
    /// How many calls fail before the method behaves again.
    pub times: u32,
}

/// A writer that reports a failure in its status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriterFault {
    /// Writer name (case-insensitive).
    pub writer: String,
    /// A code of the catalog's `WriterFailure` set.
    pub code: Code,
}

/// Why a fault was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultError {
    /// Not `METHOD=CODE[:TIMES]`.
    Syntax(String),
    /// No such method, or not one the fake implements.
    UnknownMethod(String),
    /// No such code in the catalog.
    UnknownCode(String),
    /// The catalog does not document the code for the method.
    Undocumented {
        /// Qualified method name.
        method: String,
        /// The code.
        code: &'static str,
        /// The codes it does document.
        documented: Vec<&'static str>,
    },
    /// The code is documented, but not in the phase asked for.
    WrongPhase {
        /// Qualified method name.
        method: String,
        /// The code.
        code: &'static str,
        /// Why.
        why: &'static str,
    },
    /// A writer fault names a writer the machine does not have.
    UnknownWriter {
        /// The name given.
        writer: String,
        /// The writers there are.
        known: Vec<String>,
    },
    /// A writer fault with a code outside the `WriterFailure` set.
    NotAWriterFailure(&'static str),
}

impl fmt::Display for FaultError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaultError::Syntax(s) => write!(f, "cannot read fault {s:?}; expected `METHOD=CODE` or `METHOD=CODE:TIMES`, like `DoSnapshotSet=VSS_E_FLUSH_WRITES_TIMEOUT:2`"),
            FaultError::UnknownMethod(m) => write!(f, "unknown method {m:?}; expected an IVssBackupComponents method such as `DoSnapshotSet`, or a qualified name such as `IVssAsync::QueryStatus` or `IVssDifferentialSoftwareSnapshotMgmt::AddDiffArea`"),
            FaultError::UnknownCode(c) => write!(f, "unknown code {c:?}; expected a catalog name such as `VSS_E_PROVIDER_VETO`"),
            FaultError::Undocumented { method, code, documented } => {
                write!(f, "{code} is not documented for {method}, so VSS never returns it there; documented: {}", documented.join(", "))
            }
            FaultError::WrongPhase { method, code, why } => write!(f, "{code} for {method}: {why}"),
            FaultError::UnknownWriter { writer, known } => write!(f, "unknown writer {writer:?}; the simulated machine has {}", known.join(", ")),
            FaultError::NotAWriterFailure(code) => write!(f, "{code} is not in the catalog's WriterFailure set, so a writer never reports it"),
        }
    }
}

impl std::error::Error for FaultError {}

/// IVssBackupComponents and its Ex interfaces, in the order they extend each other.
const BACKUP_INTERFACES: [&str; 5] = [
    "IVssBackupComponents",
    "IVssBackupComponentsEx",
    "IVssBackupComponentsEx2",
    "IVssBackupComponentsEx3",
    "IVssBackupComponentsEx4",
];

fn find_method(name: &str) -> Result<&'static Method, FaultError> {
    // A bare name is a method of IVssBackupComponents or of the Ex interface that adds it.
    let qualified = if name.contains("::") {
        name.to_string()
    } else {
        BACKUP_INTERFACES
            .iter()
            .map(|i| format!("{i}::{name}"))
            .find(|q| Method::find(q).is_ok())
            .unwrap_or_else(|| format!("IVssBackupComponents::{name}"))
    };
    match Method::find(&qualified) {
        Ok(m)
            if m.kind == MethodKind::Method
                && matches!(
                    m.interface,
                    Some(
                        "IVssBackupComponents"
                            | "IVssBackupComponentsEx"
                            | "IVssBackupComponentsEx2"
                            | "IVssBackupComponentsEx3"
                            | "IVssBackupComponentsEx4"
                            | "IVssAsync"
                            | "IVssSnapshotMgmt"
                            | "IVssSnapshotMgmt2"
                            | "IVssDifferentialSoftwareSnapshotMgmt"
                            | "IVssDifferentialSoftwareSnapshotMgmt2"
                            | "IVssDifferentialSoftwareSnapshotMgmt3"
                            | "IVssEnumMgmtObject"
                            | "IVssEnumObject"
                            | "IVssExamineWriterMetadata"
                            | "IVssExamineWriterMetadataEx"
                            | "IVssExamineWriterMetadataEx2"
                            | "IVssWMComponent"
                            | "IVssWMFiledesc"
                            | "IVssWMDependency"
                            | "IVssWriterComponents"
                            | "IVssComponent"
                            | "IVssComponentEx"
                            | "IVssComponentEx2"
                    )
                ) =>
        {
            Ok(m)
        }
        _ => Err(FaultError::UnknownMethod(name.to_string())),
    }
}

impl Fault {
    /// A fault delivered once, in the phase where the method normally reports the code:
    /// `QueryStatus` time for methods that return an `IVssAsync`, call time otherwise.
    pub fn new(method: &str, code: &str) -> Result<Fault, FaultError> {
        let method = find_method(method)?;
        let code =
            Code::from_name(code).ok_or_else(|| FaultError::UnknownCode(code.to_string()))?;
        let phase = if method.returns_async {
            Phase::Status
        } else {
            Phase::Call
        };
        let f = Fault {
            method,
            code,
            phase,
            times: 1,
        };
        f.check()?;
        Ok(f)
    }

    /// `METHOD=CODE[:TIMES]`, as the `simulate` example takes it.
    pub fn parse(spec: &str) -> Result<Fault, FaultError> {
        let (method, rest) = spec
            .split_once('=')
            .ok_or_else(|| FaultError::Syntax(spec.to_string()))?;
        let (code, times) = match rest.split_once(':') {
            Some((c, t)) => (
                c,
                t.trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| FaultError::Syntax(spec.to_string()))?,
            ),
            None => (rest, 1),
        };
        Ok(Fault::new(method.trim(), code.trim())?.times(times))
    }

    /// Delivered `n` times in a row.
    pub fn times(mut self, n: u32) -> Fault {
        self.times = n;
        self
    }

    /// Delivered in `phase`; checked again by [`crate::fake::FakeVss::inject`].
    pub fn at(mut self, phase: Phase) -> Fault {
        self.phase = phase;
        self
    }

    /// Whether the catalog allows this code, for this method, in this phase.
    pub fn check(&self) -> Result<(), FaultError> {
        let method = self.method.qualified_name();
        let Some(entry) = self.method.entry(self.code) else {
            return Err(FaultError::Undocumented {
                method,
                code: self.code.name(),
                documented: self
                    .method
                    .entries
                    .iter()
                    .filter(|e| !e.code.is_success())
                    .map(|e| e.code.name())
                    .collect(),
            });
        };
        if self.code.is_success() {
            return Err(FaultError::WrongPhase {
                method,
                code: self.code.name(),
                why: "a success code is not a fault",
            });
        }
        match self.phase {
            Phase::Call if entry.async_only => Err(FaultError::WrongPhase {
                method,
                code: self.code.name(),
                why: "documented as only returned via IVssAsync::QueryStatus",
            }),
            Phase::Status if !self.method.returns_async => Err(FaultError::WrongPhase {
                method,
                code: self.code.name(),
                why: "the method returns no IVssAsync",
            }),
            _ => Ok(()),
        }
    }
}

impl WriterFault {
    /// `NAME=CODE`, as the `simulate` example takes it.
    pub fn parse(spec: &str) -> Result<WriterFault, FaultError> {
        let (writer, code) = spec
            .split_once('=')
            .ok_or_else(|| FaultError::Syntax(spec.to_string()))?;
        let code = Code::from_name(code.trim())
            .ok_or_else(|| FaultError::UnknownCode(code.trim().to_string()))?;
        let f = WriterFault {
            writer: writer.trim().to_string(),
            code,
        };
        f.check()?;
        Ok(f)
    }

    /// Whether the code is in the catalog's `WriterFailure` set.
    pub fn check(&self) -> Result<(), FaultError> {
        match crate::methods::WriterFailure::METHOD.entry(self.code) {
            Some(_) => Ok(()),
            None => Err(FaultError::NotAWriterFailure(self.code.name())),
        }
    }
}
