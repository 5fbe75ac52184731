//! COM initialization for a VSS requester: `CoInitializeEx` (multithreaded) with its typed
//! outcome, and process-wide `CoInitializeSecurity`.

use super::raw;
use crate::methods::{CoInitializeExError, CoInitializeExOutcome};
use windows_result::HRESULT;

/// `COINIT_MULTITHREADED`.
const COINIT_MULTITHREADED: u32 = 0;
/// `RPC_C_AUTHN_LEVEL_PKT_PRIVACY`.
const AUTHN_LEVEL_PKT_PRIVACY: u32 = 6;
/// `RPC_C_IMP_LEVEL_IDENTIFY`.
const IMP_LEVEL_IDENTIFY: u32 = 2;
/// `EOAC_DYNAMIC_CLOAKING`.
const EOAC_DYNAMIC_CLOAKING: u32 = 0x40;
/// `RPC_E_TOO_LATE`: security was already initialized for the process.
const RPC_E_TOO_LATE: HRESULT = HRESULT(0x8001_0119_u32 as i32);

/// `CoInitializeEx(NULL, COINIT_MULTITHREADED)`: `AlreadyInitialized` (`S_FALSE`) is fine;
/// `RPC_E_CHANGED_MODE` means the thread already chose another apartment model.
pub fn initialize_com() -> Result<CoInitializeExOutcome, CoInitializeExError> {
    CoInitializeExError::classify(raw::co_initialize_ex(COINIT_MULTITHREADED))
}

/// `CoInitializeSecurity` as VSS requesters use it (packet privacy, identify, dynamic
/// cloaking). A process whose security is already set (`RPC_E_TOO_LATE`) is fine.
pub fn initialize_security() -> Result<(), windows_result::Error> {
    let hr = raw::co_initialize_security(
        AUTHN_LEVEL_PKT_PRIVACY,
        IMP_LEVEL_IDENTIFY,
        EOAC_DYNAMIC_CLOAKING,
    );
    if hr.is_ok() || hr == RPC_E_TOO_LATE {
        Ok(())
    } else {
        Err(windows_result::Error::from_hresult(hr))
    }
}
