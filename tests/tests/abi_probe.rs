//! Every generated wrapper against the C call probe (tests/abi/probe.c, built with mingw-w64
//! against the SDK headers and run under Wine): the arguments each slot received, the
//! out-values that came back, and that everything the probe allocated was freed exactly once.
//! scripts/windows-tests.sh builds the probe and passes its path in `VSS_CALL_PROBE`.
#![cfg(windows)]

#[path = "abi_probe/driver.rs"]
mod driver;
#[rustfmt::skip]
#[path = "abi_probe/generated.rs"]
mod generated;
#[path = "abi_probe/hand.rs"]
mod hand;
