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

pub mod catalog;
pub mod code;
#[cfg(feature = "com")]
pub mod com;
pub mod error;
#[cfg(feature = "fake")]
pub mod fake;
mod lookup;
#[cfg(feature = "serde")]
mod serialize;
#[cfg(feature = "com")]
pub mod workflow;
#[rustfmt::skip]
mod generated;

pub use catalog::{Entry, Method, OsNote, Retry};
pub use code::{Code, Decoded, Family, WindowsVersion};
pub use error::{AnyError, AnyOutcome, MethodError, Succeeded, SuccessOutcome, Undocumented};
pub use windows_result::HRESULT;

/// The per-method error and outcome types, generated from the catalog.
pub mod methods {
    pub use crate::generated::methods::*;
}

/// The crate README's example, compiled and run as a doc test so it cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
