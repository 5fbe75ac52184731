//! Typed, explained errors for the Windows Volume Shadow Copy Service (VSS).
//!
//! Every VSS method gets its own error enum whose variants are exactly the failure codes the
//! documentation lists for that method, each with the method's own text, structured retry
//! advice and notes on Windows versions where it differs:
//!
//! ```
//! use vss_errors::{methods::DoSnapshotSetError, Code};
//! use windows_result::HRESULT;
//!
//! let err = DoSnapshotSetError::from_hresult(HRESULT(0x80042306_u32 as i32)).unwrap();
//! assert_eq!(err, DoSnapshotSetError::ProviderVeto);
//! assert_eq!(err.code(), Some(Code::VSS_E_PROVIDER_VETO));
//! let advice = err.retry().unwrap();
//! assert_eq!((advice.wait_seconds, advice.max_attempts), (600, 3));
//! assert!(err.async_only());
//! println!("{err}");
//! ```
//!
//! Documented success codes that carry meaning are kept apart instead of becoming `Ok(())`:
//!
//! ```
//! use vss_errors::methods::{CancelError, CancelOutcome};
//! use windows_result::HRESULT;
//!
//! assert_eq!(CancelError::classify(HRESULT(0x0004230B)), Ok(CancelOutcome::AlreadyCancelled));
//! ```

#![warn(missing_docs)]
// On docs.rs: a badge on every item that needs a feature or Windows.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The catalog, codes and per-method enums live in vss-errors-core (so that cargo compiles
// the COM layer while their code is still being generated) and are re-exported here at their
// own paths.
#[doc(inline)]
pub use vss_errors_core::{catalog, code, error, methods};
#[doc(inline)]
pub use vss_errors_core::{
    AnyError, AnyOutcome, Code, Decoded, Entry, Family, Method, MethodError, OsNote, Retry,
    Succeeded, SuccessOutcome, Undocumented, WindowsVersion, HRESULT,
};

#[cfg(feature = "com")]
pub mod com;
#[cfg(feature = "com")]
#[doc(inline)]
pub use com::GUID;
#[cfg(feature = "fake")]
pub mod fake;
#[cfg(feature = "com")]
pub mod workflow;
#[cfg(feature = "com")]
#[rustfmt::skip]
mod generated {
    //! Code generated from the catalog: the COM declarations and the safe wrappers.
    pub mod com;
    #[cfg(feature = "fake")]
    pub mod com_impl;
    mod wrappers;
}

/// The crate README's example, compiled and run as a doc test so it cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
