//! Writes the ABI oracle: a C program, compiled against the SDK headers, that prints each
//! declared interface's IID, the offset of every vtable slot, each vtable's size and the
//! layout of every structure the vtables pass. The compiler computes every number, so a test
//! can compare them with what rustc computes for our own declarations.

use crate::model::{Catalog, Interface};
use std::fmt::Write;

/// Where the generated oracle lives, relative to the workspace root.
pub const ORACLE_PATH: &str = "tests/abi/oracle.c";

/// The structures the declared vtables pass (directly, or inside another one), each with its
/// fields in header order.
pub const STRUCTS: &[(&str, &[&str])] = &[
    (
        "VSS_SNAPSHOT_PROP",
        &[
            "m_SnapshotId",
            "m_SnapshotSetId",
            "m_lSnapshotsCount",
            "m_pwszSnapshotDeviceObject",
            "m_pwszOriginalVolumeName",
            "m_pwszOriginatingMachine",
            "m_pwszServiceMachine",
            "m_pwszExposedName",
            "m_pwszExposedPath",
            "m_ProviderId",
            "m_lSnapshotAttributes",
            "m_tsCreationTimestamp",
            "m_eStatus",
        ],
    ),
    ("VSS_OBJECT_PROP", &["Type", "Obj"]),
    (
        "VSS_COMPONENTINFO",
        &[
            "type",
            "bstrLogicalPath",
            "bstrComponentName",
            "bstrCaption",
            "pbIcon",
            "cbIcon",
            "bRestoreMetadata",
            "bNotifyOnBackupComplete",
            "bSelectable",
            "bSelectableForRestore",
            "dwComponentFlags",
            "cFileCount",
            "cDatabases",
            "cLogFiles",
            "cDependencies",
        ],
    ),
    ("FILETIME", &["dwLowDateTime", "dwHighDateTime"]),
    (
        "VSS_VOLUME_PROP",
        &["m_pwszVolumeName", "m_pwszVolumeDisplayName"],
    ),
    (
        "VSS_DIFF_VOLUME_PROP",
        &[
            "m_pwszVolumeName",
            "m_pwszVolumeDisplayName",
            "m_llVolumeFreeSpace",
            "m_llVolumeTotalSpace",
        ],
    ),
    (
        "VSS_DIFF_AREA_PROP",
        &[
            "m_pwszVolumeName",
            "m_pwszDiffAreaVolumeName",
            "m_llMaximumDiffSpace",
            "m_llAllocatedDiffSpace",
            "m_llUsedDiffSpace",
        ],
    ),
    ("VSS_MGMT_OBJECT_UNION", &["Vol", "DiffVol", "DiffArea"]),
    ("VSS_MGMT_OBJECT_PROP", &["Type", "Obj"]),
    (
        "VSS_VOLUME_PROTECTION_INFO",
        &[
            "m_protectionLevel",
            "m_volumeIsOfflineForProtection",
            "m_protectionFault",
            "m_failureStatus",
            "m_volumeHasUnusedDiffArea",
            "m_reserved",
        ],
    ),
];

/// The headers the oracle includes, in an order that compiles.
const HEADERS: &[&str] = &["vss.h", "vswriter.h", "vsbackup.h", "vsmgmt.h", "vsadmin.h"];

/// The oracle's C source. Its output, one fact a line:
/// `iid I GUID`, `slot I METHOD OFFSET`, `vtbl I SIZE`, `struct S SIZE`, `field S F OFFSET`.
pub fn oracle_c(cat: &Catalog) -> String {
    let mut c = String::new();
    c.push_str(crate::emit::HEADER);
    c.push_str(
        "\n/* The ABI oracle: the SDK headers' layouts and IIDs, as the C compiler computes them. */\n\
         #include <initguid.h>\n#include <windows.h>\n#include <stddef.h>\n#include <stdio.h>\n",
    );
    for h in HEADERS {
        let _ = writeln!(c, "#include <{h}>");
    }
    c.push_str(
        "\nstatic void iid(const char *name, const GUID *g) {\n    \
         printf(\"iid %s %08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x\\n\", name,\n        \
         (unsigned long)g->Data1, g->Data2, g->Data3, g->Data4[0], g->Data4[1], g->Data4[2],\n        \
         g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6], g->Data4[7]);\n}\n\n\
         int main(void) {\n",
    );
    // The class `SnapshotManagement::create` activates (vsadmin.h).
    c.push_str("    iid(\"CLSID_VSSCoordinator\", &CLSID_VSSCoordinator);\n");
    for i in cat.interfaces.iter().filter(|i| declared(i)) {
        let n = &i.name;
        let _ = writeln!(c, "    iid(\"{n}\", &IID_{n});");
        for s in &i.vtable {
            let _ = writeln!(
                c,
                "    printf(\"slot {n} {m} %zu\\n\", offsetof({n}Vtbl, {m}));",
                m = s.name
            );
        }
        let _ = writeln!(c, "    printf(\"vtbl {n} %zu\\n\", sizeof({n}Vtbl));");
    }
    for (s, fields) in STRUCTS {
        let _ = writeln!(c, "    printf(\"struct {s} %zu\\n\", sizeof({s}));");
        for f in *fields {
            let _ = writeln!(
                c,
                "    printf(\"field {s} {f} %zu\\n\", offsetof({s}, {f}));"
            );
        }
    }
    c.push_str("    return 0;\n}\n");
    c
}

fn declared(i: &Interface) -> bool {
    i.iid.is_some() && !i.vtable.is_empty()
}
