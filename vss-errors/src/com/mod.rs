//! The VSS COM interfaces (generated from the catalog's vtables) and the C structures their
//! methods use.

pub mod types;

pub use crate::generated::com::*;
