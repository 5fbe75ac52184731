//! The catalog, codes and per-method error enums of
//! [vss-errors](https://crates.io/crates/vss-errors), on windows-result alone.
//!
//! Use it through `vss-errors` (with `default-features = false` for exactly this part): that
//! crate re-exports everything here at the same paths and adds the COM layer. It is a crate of
//! its own so that cargo starts on the COM layer of `vss-errors` as soon as this crate's
//! metadata is ready, while this crate's code is still being generated.
//!
//! ```
//! use vss_errors_core::{methods::DoSnapshotSetError, Code};
//! use windows_result::HRESULT;
//!
//! let err = DoSnapshotSetError::from_hresult(HRESULT(0x80042306_u32 as i32)).unwrap();
//! assert_eq!(err.code(), Some(Code::VSS_E_PROVIDER_VETO));
//! ```

#![warn(missing_docs)]
// On docs.rs: a badge on every item that needs a feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod catalog;
pub mod code;
pub mod error;
mod lookup;
#[cfg(feature = "serde")]
mod serialize;
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
