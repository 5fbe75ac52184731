//! The `vss-errors` command: `explain` decodes an HRESULT and says what the catalog documents
//! about it; `explain --scan` finds every HRESULT in logs and explains each.

pub mod cli;
pub mod explain;
pub mod json;
pub mod query;
pub mod scan;
