//! The generated runtime API on the real catalog: classification, fallbacks, success
//! outcomes, families, Display and conversions.

use vss_errors::methods::*;
use vss_errors::{Code, Decoded, Family, Method, MethodError, WindowsVersion, HRESULT};

fn hr(v: u32) -> HRESULT {
    HRESULT(v as i32)
}

#[test]
fn documented_codes_classify_to_their_variant_with_method_text() {
    let e = DoSnapshotSetError::from_hresult(hr(0x80042306)).unwrap();
    assert_eq!(e, DoSnapshotSetError::ProviderVeto);
    assert_eq!(e.code(), Some(Code::VSS_E_PROVIDER_VETO));
    assert!(e
        .text()
        .unwrap()
        .starts_with("The provider was unable to perform the request at this time."));
    assert_eq!(
        e.retry().map(|r| (r.wait_seconds, r.max_attempts)),
        Some((600, 3))
    );
    assert!(e.async_only());
    // The same code means something else for AddToSnapshotSet: that method's own text.
    let a = AddToSnapshotSetError::from_hresult(hr(0x80042306)).unwrap();
    assert_eq!(a, AddToSnapshotSetError::ProviderVeto);
    assert_ne!(a.text(), e.text());
    assert_eq!(a.retry(), None);
}

#[test]
fn undocumented_codes_are_kept_losslessly() {
    let e = DoSnapshotSetError::from_hresult(hr(0x80042317)).unwrap();
    assert!(matches!(e, DoSnapshotSetError::Other(_)));
    assert_eq!(e.hresult(), hr(0x80042317));
    assert!(e.entry().is_none());
    assert!(e.to_string().contains("does not document"), "{e}");
    assert!(e.to_string().contains("0x80042317"), "{e}");
}

#[test]
fn fallback_code_classifies_as_the_documented_variant() {
    let e = DoSnapshotSetError::from_hresult(hr(0x8000FFFF)).unwrap();
    assert_eq!(e, DoSnapshotSetError::Unexpected { fallback: true });
    assert!(e.is_fallback());
    assert_eq!(e.hresult(), hr(0x8000FFFF), "the fallback code round-trips");
    assert_eq!(e.code(), Some(Code::VSS_E_UNEXPECTED));
    let note = &e.os_notes()[0];
    assert_eq!(note.fallback, Some(Code::E_UNEXPECTED));
    assert!(note.versions.contains(&WindowsVersion::WindowsServer2008));
    assert!(e.to_string().contains("E_UNEXPECTED 0x8000FFFF"), "{e}");
    let direct = DoSnapshotSetError::from_hresult(hr(0x80042302)).unwrap();
    assert_eq!(direct, DoSnapshotSetError::Unexpected { fallback: false });
}

#[test]
fn success_codes_that_carry_meaning_are_distinct_outcomes() {
    assert_eq!(
        LoadFromXmlError::classify(hr(1)),
        Ok(LoadFromXmlOutcome::NotLoaded)
    );
    assert_eq!(
        LoadFromXmlError::classify(hr(0)),
        Ok(LoadFromXmlOutcome::Ok)
    );
    assert_eq!(
        CancelError::classify(hr(0x0004230B)),
        Ok(CancelOutcome::AlreadyCancelled)
    );
    assert_eq!(
        CancelError::classify(hr(0x0004230A)),
        Ok(CancelOutcome::AlreadyFinished)
    );
    assert_eq!(
        GetComponentNameError::classify(hr(1)),
        Ok(GetComponentNameOutcome::NoManagingWriter)
    );
    assert_eq!(
        CoInitializeExError::classify(hr(1)),
        Ok(CoInitializeExOutcome::AlreadyInitialized)
    );
    assert_eq!(
        CoInitializeExError::classify(hr(0)),
        Ok(CoInitializeExOutcome::Initialized)
    );
    assert_eq!(
        CoInitializeExError::classify(hr(0x80010106)),
        Err(CoInitializeExError::ChangedMode)
    );
    assert_eq!(
        LoadFromXmlOutcome::NotLoaded.text(),
        Some("The XML document could not be loaded.")
    );
    // An undocumented success code is kept, not folded into Ok.
    assert_eq!(
        LoadFromXmlError::classify(hr(2)),
        Ok(LoadFromXmlOutcome::OtherSuccess(hr(2)))
    );
    // Plain methods hand back the success HRESULT itself.
    assert_eq!(
        DoSnapshotSetError::classify(hr(0x0004230A)),
        Ok(vss_errors::Succeeded(hr(0x0004230A)))
    );
}

#[test]
fn families_keep_shared_values_apart() {
    let v = hr(0x80042409);
    assert_eq!(
        Code::from_hresult(Family::Vss, v),
        Some(Code::VSS_E_WRITER_STATUS_NOT_AVAILABLE)
    );
    assert_eq!(
        Code::from_hresult(Family::Vds, v),
        Some(Code::VDS_E_OPERATION_PENDING)
    );
    let names: Vec<&str> = Code::readings(v).iter().map(|c| c.name()).collect();
    assert_eq!(
        names,
        [
            "VDS_E_OPERATION_PENDING",
            "VSS_E_WRITER_STATUS_NOT_AVAILABLE"
        ]
    );
    assert_ne!(
        Code::VDS_E_OPERATION_PENDING,
        Code::VSS_E_WRITER_STATUS_NOT_AVAILABLE
    );
    assert_eq!(
        WriterFailure::from_hresult(v),
        Some(WriterFailure::WriterStatusNotAvailable)
    );
    assert_eq!(
        Code::from_name("vss_e_provider_veto"),
        Some(Code::VSS_E_PROVIDER_VETO)
    );
}

#[test]
fn display_has_method_text_name_and_value() {
    let e = DoSnapshotSetError::FlushWritesTimeout;
    assert_eq!(
        e.to_string(),
        "IVssBackupComponents::DoSnapshotSet: The system was unable to flush I/O writes. This can be a transient problem. \
         It is recommended to wait ten minutes and try again, up to three times. (VSS_E_FLUSH_WRITES_TIMEOUT 0x80042313)"
    );
    assert_eq!(
        Code::VSS_E_PROVIDER_VETO.to_string(),
        format!(
            "{} (VSS_E_PROVIDER_VETO 0x80042306)",
            Code::VSS_E_PROVIDER_VETO.summary()
        )
    );
}

#[test]
fn converts_to_hresult_windows_error_and_io_error() {
    let e = DoSnapshotSetError::AccessDenied;
    assert_eq!(HRESULT::from(e), hr(0x80070005));
    let w: windows_result::Error = e.into();
    assert_eq!(w.code(), hr(0x80070005));
    let io: std::io::Error = e.into();
    assert_eq!(io.kind(), std::io::ErrorKind::PermissionDenied);
    assert!(io.to_string().contains("E_ACCESSDENIED"));
    let source = io
        .get_ref()
        .and_then(|s| s.downcast_ref::<DoSnapshotSetError>());
    assert_eq!(
        source,
        Some(&e),
        "the typed error survives inside io::Error"
    );
}

#[test]
fn methods_are_qualified_by_interface() {
    let a = Method::find("IVssBackupComponents::SaveAsXML").unwrap();
    let b = Method::find("IVssExamineWriterMetadata::SaveAsXML").unwrap();
    assert!(!std::ptr::eq(a, b));
    assert_eq!(a.rust_type, "BackupComponentsSaveAsXmlError");
    assert!(
        Method::find("SaveAsXML").is_err(),
        "a bare ambiguous name is refused"
    );
    assert_eq!(Method::find("dosnapshotset").unwrap().name, "DoSnapshotSet");
    assert_eq!(
        Method::find("IVssEnumObject::Next").unwrap().seed_section,
        Some("EnumObject Next")
    );
    assert_eq!(
        Method::all().len(),
        214,
        "107 seed sections, IVdsAsync::QueryStatus, 77 methods imported from the vss, vsbackup and \
         vswriter pages and 6 vtable slots whose pages document no codes, and the 23 vsmgmt \
         methods (11 with a table of codes, 12 whose pages list none)"
    );
    let qrs = QueryRevertStatusError::METHOD;
    assert_eq!(qrs.cancellable, Some(false));
    let writer_status = WriterFailure::METHOD;
    assert_eq!(
        writer_status.links[0].method,
        "IVssBackupComponents::GetWriterStatus"
    );
    assert!(VdsQueryStatusError::METHOD.reports_progress);
}

#[test]
fn decodes_hresult_fields() {
    let d = Decoded::new(hr(0x80070005));
    assert!(d.failure);
    assert_eq!((d.facility, d.code, d.win32()), (7, 5, Some(5)));
    assert_eq!(Decoded::new(hr(0x80042306)).win32(), None);
    assert_eq!(d.facility_name(), Some("FACILITY_WIN32"));
    assert_eq!(
        Decoded::new(hr(0x80042306)).facility_name(),
        Some("FACILITY_ITF")
    );
    // Facility 5 has no name in the table.
    assert_eq!(Decoded::new(hr(0x80050001)).facility_name(), None);
}

#[test]
fn trait_gives_generic_access() {
    fn advice<E: MethodError>(hr: HRESULT) -> Option<(u32, u32)> {
        E::classify(hr)
            .err()
            .and_then(|e| e.entry())
            .and_then(|e| e.retry)
            .map(|r| (r.wait_seconds, r.max_attempts))
    }
    assert_eq!(advice::<DoSnapshotSetError>(hr(0x80042313)), Some((600, 3)));
    assert_eq!(advice::<StartSnapshotSetError>(hr(0x80042316)), None);
    assert_eq!(
        <WriterFailure as MethodError>::method().name,
        "WriterFailure"
    );
}
