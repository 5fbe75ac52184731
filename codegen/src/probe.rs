//! Writes the call probe: a C DLL, compiled against the SDK headers, that implements every
//! declared interface family, records the arguments each slot receives and fills every
//! out-parameter with a known value (BSTRs from `SysAllocString`, `CoTaskMem` strings,
//! numbers, ids, probe objects); and the Rust test that drives each generated wrapper
//! against it under Wine, comparing what arrived, what came back and that every allocation
//! the probe made was freed exactly once. The probe's functions take the parameter types the
//! catalog declares and sit in the header's vtable structs, so the C compiler rejects any
//! declaration that does not match the header.

use crate::model::{Catalog, Interface, Param, Slot};
use crate::wrappers::{plan, Arg, In, Out, Plan, FAMILIES};
use proc_macro2::TokenStream;
use quote::quote;
use std::fmt::Write;

/// Where the generated probe lives, relative to the workspace root.
pub const PROBE_C_PATH: &str = "tests/abi/probe.c";
/// Where the generated driver test lives.
pub const PROBE_TEST_PATH: &str = "tests/tests/abi_probe/generated.rs";

/// A family: the interface a Rust type holds, and its most derived member (whose vtable the
/// probe object carries, answering `QueryInterface` for every member).
struct Family<'a> {
    held: &'a Interface,
    members: Vec<&'a Interface>,
}

fn families(cat: &Catalog) -> Vec<Family<'_>> {
    let declared = |n: &str| {
        cat.interfaces
            .iter()
            .find(|i| i.name == n && i.iid.is_some() && !i.vtable.is_empty())
    };
    let mut out: Vec<Family> = Vec::new();
    for (iface, _, held) in FAMILIES {
        let (Some(i), Some(h)) = (declared(iface), declared(held)) else {
            continue;
        };
        // One probe object carries the most derived vtable, so a family is a chain of
        // interfaces each extending the one before; a member that does not (IVssSnapshotMgmt2
        // extends IUnknown) is an object of its own.
        let chained = out.iter_mut().find(|f| {
            f.held.name == h.name
                && f.members.last().map(|m| m.name.as_str()) == i.extends.as_deref()
        });
        match chained {
            Some(f) => f.members.push(i),
            None if i.name != h.name => out.push(Family {
                held: i,
                members: vec![i],
            }),
            None => out.push(Family {
                held: h,
                members: vec![i],
            }),
        }
    }
    out
}

impl Family<'_> {
    fn derived(&self) -> &Interface {
        self.members.last().copied().unwrap_or(self.held)
    }

    /// Every slot the derived vtable holds, with the interface declaring it.
    fn slots(&self) -> Vec<(&Interface, &Slot)> {
        self.members
            .iter()
            .flat_map(|i| i.vtable.iter().map(move |s| (*i, s)))
            .collect()
    }

    fn has_iunknown(&self) -> bool {
        self.held.extends.is_some()
    }
}

fn c_param(p: &Param) -> String {
    format!(
        "{}{} {}{}",
        if p.is_const { "const " } else { "" },
        p.c_type,
        "*".repeat(p.pointers.into()),
        p.name
    )
}

/// The value the probe writes into, or expects for, parameter `k` of slot `n`.
fn value(n: usize, k: usize) -> u32 {
    (n as u32) * 16 + k as u32 + 1
}

const UNSIGNED: &[&str] = &["UINT", "DWORD", "ULONG", "BYTE", "boolean"];
const SIGNED: &[&str] = &[
    "LONG",
    "INT",
    "WINBOOL",
    "BOOL",
    "LONGLONG",
    "VSS_BACKUP_TYPE",
    "VSS_RESTORE_TYPE",
    "VSS_COMPONENT_TYPE",
    "VSS_FILE_RESTORE_STATUS",
    "VSS_OBJECT_TYPE",
    "VSS_WRITER_STATE",
    "VSS_USAGE_TYPE",
    "VSS_SOURCE_TYPE",
    "VSS_RESTOREMETHOD_ENUM",
    "VSS_WRITERRESTORE_ENUM",
    "VSS_RESTORE_TARGET",
    "VSS_ROLLFORWARD_TYPE",
    "VSS_PROTECTION_LEVEL",
];

/// The probe's C source.
pub fn probe_c(cat: &Catalog) -> String {
    let fams = families(cat);
    let mut c = String::new();
    c.push_str(crate::emit::HEADER);
    c.push_str(
        "\n/* The call probe: every declared interface family implemented against the SDK headers. */\n\
         #include <initguid.h>\n#include <windows.h>\n#include <objbase.h>\n\
         #include <oleauto.h>\n#include <stdio.h>\n#include <string.h>\n\
         #include <vss.h>\n#include <vswriter.h>\n#include <vsbackup.h>\n#include <vsmgmt.h>\n\n",
    );
    c.push_str(RUNTIME_C);
    // One object layout per family; the Ext of IVssWriterComponents carries a second vtable
    // pointer for its IUnknown.
    for f in &fams {
        let d = &f.derived().name;
        let fam = &f.held.name;
        let _ = writeln!(c, "/* {fam} (vtable of {d}) */");
        for (n, (i, s)) in f.slots().iter().enumerate() {
            let mut params = vec![format!("{d} *This")];
            params.extend(s.params.iter().map(c_param));
            let _ = writeln!(
                c,
                "static HRESULT STDMETHODCALLTYPE probe_{fam}_{m}({p}) {{",
                m = s.name,
                p = params.join(", ")
            );
            c.push_str("    (void)This;\n");
            let _ = writeln!(c, "    begin(\"{}.{}\");", i.name, s.name);
            let mut body = String::new();
            let mut supported = true;
            for (k, p) in s.params.iter().enumerate() {
                let v = value(n, k);
                let name = &p.name;
                let t = p.c_type.as_str();
                let line = match (p.pointers, t) {
                    // What the hand-written management and enumerator wrappers receive.
                    (0, "REFIID") => format!("arg_guid(\"{name}\", {name});"),
                    (2, "IUnknown") if s.name == "GetProviderMgmtInterface" => format!(
                        "if (!out_ptr(\"{name}\", {name})) return null_out();\n    *{name} = (IUnknown *)probe_new(\"IVssDifferentialSoftwareSnapshotMgmt\");"
                    ),
                    (2, "BYTE") => {
                        let length = s.params.get(k.wrapping_sub(1)).map_or("0", |n| n.name.as_str());
                        format!(
                            "if (!out_ptr(\"{name}\", {name})) return null_out();\n    *{name} = task_bits(*{length});"
                        )
                    }
                    (1, "VSS_MGMT_OBJECT_PROP") => format!(
                        "if (!out_ptr(\"{name}\", {name})) return null_out();\n    mgmt_prop({name});"
                    ),
                    (1, "VSS_OBJECT_PROP") => format!(
                        "if (!out_ptr(\"{name}\", {name})) return null_out();\n    {name}->Type = VSS_OBJECT_SNAPSHOT;\n    snapshot_prop(&{name}->Obj.Snap);"
                    ),
                    // One element fetched, as `Next(1, …)` asks.
                    (1, "ULONG") if name == "pceltFetched" => format!(
                        "if (!out_ptr(\"{name}\", {name})) return null_out();\n    *{name} = 1;"
                    ),
                    (0, "LPCWSTR" | "VSS_PWSZ" | "LPWSTR" | "BSTR") => {
                        format!("arg_wstr(\"{name}\", {name});")
                    }
                    (0, "VSS_ID" | "GUID") => format!("arg_guid(\"{name}\", &{name});"),
                    (0, "HRESULT") => format!("arg_hr(\"{name}\", {name});"),
                    (0, "FILETIME") => format!("arg_filetime(\"{name}\", {name});"),
                    (0, t) if UNSIGNED.contains(&t) => {
                        format!("arg_u(\"{name}\", (unsigned long long){name});")
                    }
                    (0, t) if SIGNED.contains(&t) => {
                        format!("arg_i(\"{name}\", (long long){name});")
                    }
                    (1, "PVSSCOMPONENTINFO") => format!(
                        "if (!out_ptr(\"{name}\", {name})) return null_out();\n    *{name} = component_info();"
                    ),
                    (0, "PVSSCOMPONENTINFO") => format!("free_component_info(\"{name}\", {name});"),
                    (1, "VSS_SNAPSHOT_PROP") => format!(
                        "if (!out_ptr(\"{name}\", {name})) return null_out();\n    snapshot_prop({name});"
                    ),
                    (1, "VSS_ID") if p.is_const => {
                        let count = s.params.get(k + 1).map_or("0", |n| n.name.as_str());
                        format!("arg_guids(\"{name}\", {name}, {count});")
                    }
                    (1, "BSTR") => format!(
                        "if (!out_ptr(\"{name}\", {name})) return null_out();\n    *{name} = SysAllocString(L\"{}.{}.{name}\");",
                        i.name, s.name
                    ),
                    (1, "VSS_PWSZ") => format!(
                        "if (!out_ptr(\"{name}\", {name})) return null_out();\n    *{name} = task_wstr(L\"{}.{}.{name}\");",
                        i.name, s.name
                    ),
                    (1, "VSS_ID") => format!(
                        "if (!out_ptr(\"{name}\", {name})) return null_out();\n    *{name} = probe_guid({v}u);"
                    ),
                    (1, "HRESULT") => format!(
                        "if (!out_ptr(\"{name}\", {name})) return null_out();\n    *{name} = (HRESULT)(0x80042300u + {v}u);"
                    ),
                    (1, "FILETIME") => format!(
                        "if (!out_ptr(\"{name}\", {name})) return null_out();\n    {name}->dwLowDateTime = {v}u; {name}->dwHighDateTime = 3u;"
                    ),
                    (1, "VSS_VOLUME_PROTECTION_INFO") => format!(
                        "if (!out_ptr(\"{name}\", {name})) return null_out();\n    {name}->m_protectionLevel = {v}; {name}->m_volumeIsOfflineForProtection = {}; {name}->m_protectionFault = {}; {name}->m_failureStatus = {}; {name}->m_volumeHasUnusedDiffArea = {}; {name}->m_reserved = {};",
                        v + 1, v + 2, v + 3, v + 4, v + 5
                    ),
                    (1, "boolean" | "WINBOOL" | "BOOL") => format!(
                        "if (!out_ptr(\"{name}\", {name})) return null_out();\n    *{name} = 1;"
                    ),
                    (1, t) if UNSIGNED.contains(&t) || SIGNED.contains(&t) => format!(
                        "if (!out_ptr(\"{name}\", {name})) return null_out();\n    *{name} = {v};"
                    ),
                    (2, t) if crate::ctypes::is_interface(t) => {
                        let target = fams
                            .iter()
                            .find(|f| f.members.iter().any(|m| m.name == t))
                            .map(|f| f.held.name.clone())
                            .unwrap_or_else(|| match t {
                                "IVssWriterComponentsExt" => "IVssWriterComponents".into(),
                                _ => "IUnknown".into(),
                            });
                        format!(
                            "if (!out_ptr(\"{name}\", {name})) return null_out();\n    *{name} = ({t} *)probe_new(\"{target}\");"
                        )
                    }
                    _ => {
                        supported = false;
                        String::new()
                    }
                };
                if !line.is_empty() {
                    let _ = writeln!(body, "    {line}");
                }
            }
            if supported {
                c.push_str(&body);
                c.push_str("    return end();\n}\n");
            } else {
                c.push_str("    return unsupported();\n}\n");
            }
        }
        // The vtable.
        let _ = writeln!(c, "static {d}Vtbl {fam}_vtbl = {{");
        if f.has_iunknown() {
            let _ = writeln!(
                c,
                "    (void *)probe_qi, (void *)probe_addref, (void *)probe_release,"
            );
        }
        for (_, s) in f.slots() {
            let _ = writeln!(c, "    probe_{fam}_{},", s.name);
        }
        c.push_str("};\n");
        // The IIDs it answers.
        let _ = writeln!(c, "static const GUID *{fam}_iids[] = {{");
        for m in &f.members {
            let _ = writeln!(c, "    &IID_{},", m.name);
        }
        c.push_str("    NULL,\n};\n\n");
    }
    c.push_str("static const struct family families[] = {\n");
    for f in &fams {
        let fam = &f.held.name;
        let _ = writeln!(
            c,
            "    {{\"{fam}\", &{fam}_vtbl, {fam}_iids, {}}},",
            if f.has_iunknown() { 0 } else { 1 }
        );
    }
    c.push_str("    {\"IUnknown\", &unknown_vtbl, no_iids, 0},\n    {NULL, NULL, NULL, 0},\n};\n");
    c.push_str(FACTORY_C);
    c
}

/// The probe's fixed part: the log, the allocation spy, IUnknown and the object factory.
const RUNTIME_C: &str = r#"static char log_buf[65536];
static size_t log_len;
static LONG live_objects;
static int call_args;

static void plog(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (log_len < sizeof log_buf) {
        int n = vsnprintf(log_buf + log_len, sizeof log_buf - log_len, fmt, ap);
        if (n > 0) log_len += (size_t)n;
        if (log_len >= sizeof log_buf) log_len = sizeof log_buf - 1;
    }
    va_end(ap);
}

static void sep(const char *name) { plog("%s%s=", call_args++ ? ", " : "", name); }
static void begin(const char *what) { call_args = 0; plog("%s(", what); }
static HRESULT end(void) { plog(")\n"); return S_OK; }
/* For a slot no rule here fills (none today); kept so that one can be added. */
static HRESULT __attribute__((unused)) unsupported(void) { plog(") unsupported\n"); return E_NOTIMPL; }
static HRESULT null_out(void) { plog(")\n"); return E_POINTER; }

static void arg_wstr(const char *name, const WCHAR *s) {
    char u[1024];
    sep(name);
    if (!s) { plog("null"); return; }
    if (!WideCharToMultiByte(CP_UTF8, 0, s, -1, u, sizeof u, NULL, NULL)) u[0] = 0;
    plog("\"%s\"", u);
}
static void guid_text(const GUID *g) {
    plog("{%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", (unsigned long)g->Data1,
         g->Data2, g->Data3, g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4],
         g->Data4[5], g->Data4[6], g->Data4[7]);
}
static void arg_guid(const char *name, const GUID *g) { sep(name); guid_text(g); }
static void arg_guids(const char *name, const GUID *g, UINT n) {
    UINT i;
    sep(name);
    if (!g) { plog("null"); return; }
    plog("[");
    for (i = 0; i < n; i++) { if (i) plog(","); guid_text(&g[i]); }
    plog("]");
}
static void arg_hr(const char *name, HRESULT hr) { sep(name); plog("0x%08lx", (unsigned long)hr); }
static void arg_u(const char *name, unsigned long long v) { sep(name); plog("%llu", v); }
static void arg_i(const char *name, long long v) { sep(name); plog("%lld", v); }
static void arg_filetime(const char *name, FILETIME t) {
    sep(name);
    plog("%lu:%lu", (unsigned long)t.dwLowDateTime, (unsigned long)t.dwHighDateTime);
}
static int out_ptr(const char *name, const void *p) {
    sep(name);
    plog(p ? "out" : "null");
    return p != NULL;
}

static GUID probe_guid(unsigned v) {
    GUID g = {v, 0x1111, 0x2222, {0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa}};
    return g;
}

static WCHAR *task_wstr(const WCHAR *s) {
    size_t n = (wcslen(s) + 1) * sizeof(WCHAR);
    WCHAR *p = CoTaskMemAlloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

/* A VSS_COMPONENTINFO in IMalloc memory, its strings BSTRs: FreeComponentInfo takes it back. */
static PVSSCOMPONENTINFO component_info(void) {
    VSS_COMPONENTINFO *c = CoTaskMemAlloc(sizeof *c);
    if (!c) return NULL;
    memset(c, 0, sizeof *c);
    c->type = VSS_CT_DATABASE;
    c->bstrLogicalPath = SysAllocString(L"probe\\path");
    c->bstrComponentName = SysAllocString(L"probe component");
    c->bstrCaption = SysAllocString(L"Probe caption");
    c->bSelectable = 1;
    c->cFileCount = 2;
    c->cDatabases = 3;
    c->cLogFiles = 4;
    c->cDependencies = 5;
    c->dwComponentFlags = 6;
    return c;
}
static void free_component_info(const char *name, PVSSCOMPONENTINFO c) {
    sep(name);
    plog(c ? "freed" : "null");
    if (!c) return;
    SysFreeString(c->bstrLogicalPath);
    SysFreeString(c->bstrComponentName);
    SysFreeString(c->bstrCaption);
    CoTaskMemFree((void *)c);
}
/* A diff area with CoTaskMem strings, as IVssEnumMgmtObject::Next hands one out. */
static void mgmt_prop(VSS_MGMT_OBJECT_PROP *p) {
    memset(p, 0, sizeof *p);
    p->Type = VSS_MGMT_OBJECT_DIFF_AREA;
    p->Obj.DiffArea.m_pwszVolumeName = task_wstr(L"\\\\?\\Volume{probe-source}\\");
    p->Obj.DiffArea.m_pwszDiffAreaVolumeName = task_wstr(L"\\\\?\\Volume{probe-storage}\\");
    p->Obj.DiffArea.m_llMaximumDiffSpace = 11;
    p->Obj.DiffArea.m_llAllocatedDiffSpace = 12;
    p->Obj.DiffArea.m_llUsedDiffSpace = 13;
}
/* A CoTaskMem bitmap of `bits` bits, every byte 0xA5. */
static BYTE *task_bits(ULONG bits) {
    size_t n = (bits + 7) / 8;
    BYTE *b = CoTaskMemAlloc(n ? n : 1);
    if (b) memset(b, 0xA5, n);
    return b;
}
static void snapshot_prop(VSS_SNAPSHOT_PROP *p) {
    memset(p, 0, sizeof *p);
    p->m_SnapshotId = probe_guid(1);
    p->m_SnapshotSetId = probe_guid(2);
    p->m_lSnapshotsCount = 1;
    p->m_pwszSnapshotDeviceObject = task_wstr(L"\\\\?\\GLOBALROOT\\Device\\ProbeShadowCopy1");
    p->m_pwszOriginalVolumeName = task_wstr(L"\\\\?\\Volume{probe}\\");
    p->m_pwszOriginatingMachine = task_wstr(L"probe-origin");
    p->m_pwszServiceMachine = task_wstr(L"probe-service");
    p->m_ProviderId = probe_guid(3);
    p->m_lSnapshotAttributes = 7;
    p->m_tsCreationTimestamp = 8;
    p->m_eStatus = VSS_SS_CREATED;
}

/* Every IMalloc allocation (CoTaskMem and, without the BSTR cache, every BSTR) in a table:
   a free of a block not in it is a bad free. */
#define MAX_BLOCKS 4096
static void *blocks[MAX_BLOCKS];
static LONG bad_frees;
static void track(void *p) {
    int i;
    for (i = 0; i < MAX_BLOCKS; i++) if (!blocks[i]) { blocks[i] = p; return; }
}
static void untrack(void *p) {
    int i;
    for (i = 0; i < MAX_BLOCKS; i++) if (blocks[i] == p) { blocks[i] = NULL; return; }
    bad_frees++;
}
static HRESULT WINAPI spy_qi(IMallocSpy *t, REFIID r, void **p) { (void)r; *p = t; return S_OK; }
static ULONG WINAPI spy_addref(IMallocSpy *t) { (void)t; return 2; }
static ULONG WINAPI spy_release(IMallocSpy *t) { (void)t; return 1; }
static SIZE_T WINAPI spy_pre_alloc(IMallocSpy *t, SIZE_T cb) { (void)t; return cb; }
static void *WINAPI spy_post_alloc(IMallocSpy *t, void *p) { (void)t; if (p) track(p); return p; }
static void *WINAPI spy_pre_free(IMallocSpy *t, void *p, BOOL s) { (void)t; (void)s; if (p) untrack(p); return p; }
static void WINAPI spy_post_free(IMallocSpy *t, BOOL s) { (void)t; (void)s; }
static SIZE_T WINAPI spy_pre_realloc(IMallocSpy *t, void *p, SIZE_T cb, void **n, BOOL s) {
    (void)t; (void)s; if (p) untrack(p); *n = p; return cb;
}
static void *WINAPI spy_post_realloc(IMallocSpy *t, void *p, BOOL s) { (void)t; (void)s; if (p) track(p); return p; }
static void *WINAPI spy_pre_size(IMallocSpy *t, void *p, BOOL s) { (void)t; (void)s; return p; }
static SIZE_T WINAPI spy_post_size(IMallocSpy *t, SIZE_T cb, BOOL s) { (void)t; (void)s; return cb; }
static void *WINAPI spy_pre_did(IMallocSpy *t, void *p, BOOL s) { (void)t; (void)s; return p; }
static int WINAPI spy_post_did(IMallocSpy *t, void *p, BOOL s, int a) { (void)t; (void)p; (void)s; return a; }
static void WINAPI spy_pre_min(IMallocSpy *t) { (void)t; }
static void WINAPI spy_post_min(IMallocSpy *t) { (void)t; }
static IMallocSpyVtbl spy_vtbl = {
    spy_qi, spy_addref, spy_release, spy_pre_alloc, spy_post_alloc, spy_pre_free, spy_post_free,
    spy_pre_realloc, spy_post_realloc, spy_pre_size, spy_post_size, spy_pre_did, spy_post_did,
    spy_pre_min, spy_post_min,
};
static IMallocSpy spy = {&spy_vtbl};

/* A probe object: its vtable, for IVssWriterComponentsExt a second one (its IUnknown), the
   reference count and the IIDs it answers. */
struct probe {
    const void *vtbl;
    const void *unknown_vtbl;
    LONG refs;
    const GUID *const *iids;
};

static HRESULT STDMETHODCALLTYPE probe_qi(struct probe *This, REFIID riid, void **out) {
    const GUID *const *i;
    if (!out) return E_POINTER;
    *out = NULL;
    if (IsEqualGUID(riid, &IID_IUnknown)) { *out = This; InterlockedIncrement(&This->refs); return S_OK; }
    for (i = This->iids; *i; i++) {
        if (IsEqualGUID(riid, *i)) { *out = This; InterlockedIncrement(&This->refs); return S_OK; }
    }
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE probe_addref(struct probe *This) { return (ULONG)InterlockedIncrement(&This->refs); }
static ULONG STDMETHODCALLTYPE probe_release(struct probe *This) {
    LONG n = InterlockedDecrement(&This->refs);
    if (n == 0) { HeapFree(GetProcessHeap(), 0, This); InterlockedDecrement(&live_objects); }
    else if (n < 0) { bad_frees++; }
    return (ULONG)(n < 0 ? 0 : n);
}
/* The second vtable pointer's IUnknown: `This` is one pointer into the object. */
static struct probe *outer(void *This) { return (struct probe *)((char *)This - sizeof(void *)); }
static HRESULT STDMETHODCALLTYPE ext_qi(void *This, REFIID riid, void **out) {
    HRESULT hr = probe_qi(outer(This), riid, out);
    if (hr == S_OK) *out = This;
    return hr;
}
static ULONG STDMETHODCALLTYPE ext_addref(void *This) { return probe_addref(outer(This)); }
static ULONG STDMETHODCALLTYPE ext_release(void *This) { return probe_release(outer(This)); }
static IUnknownVtbl ext_unknown_vtbl = {(void *)ext_qi, (void *)ext_addref, (void *)ext_release};
static IUnknownVtbl unknown_vtbl = {(void *)probe_qi, (void *)probe_addref, (void *)probe_release};
static const GUID *no_iids[] = {NULL};

struct family {
    const char *name;
    const void *vtbl;
    const GUID *const *iids;
    int ext;
};
static void *probe_new(const char *name);

"#;

const FACTORY_C: &str = r#"
static void *probe_new(const char *name) {
    const struct family *f;
    for (f = families; f->name; f++) {
        if (strcmp(f->name, name) == 0) {
            struct probe *p = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *p);
            if (!p) return NULL;
            p->vtbl = f->vtbl;
            p->unknown_vtbl = f->ext ? &ext_unknown_vtbl : NULL;
            p->refs = 1;
            p->iids = f->iids;
            InterlockedIncrement(&live_objects);
            return p;
        }
    }
    return NULL;
}

/* The driver's entry points. */
__declspec(dllexport) HRESULT probe_start(void) {
    HRESULT hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(hr) && hr != RPC_E_CHANGED_MODE) return hr;
    hr = CoRegisterMallocSpy(&spy);
    return hr == CO_E_OBJISREG ? S_OK : hr;
}
__declspec(dllexport) void *probe_object(const char *name) { return probe_new(name); }
__declspec(dllexport) const char *probe_log(void) { log_buf[log_len] = 0; return log_buf; }
__declspec(dllexport) void probe_clear(void) { log_len = 0; log_buf[0] = 0; }
__declspec(dllexport) LONG probe_live_objects(void) { return live_objects; }
__declspec(dllexport) LONG probe_bad_frees(void) { return bad_frees; }
__declspec(dllexport) LONG probe_blocks(void) {
    LONG n = 0;
    int i;
    for (i = 0; i < MAX_BLOCKS; i++) if (blocks[i]) n++;
    return n;
}
"#;

/// The driver: one test per generated wrapper, run on the Windows target under Wine.
pub fn probe_test(cat: &Catalog) -> TokenStream {
    let fams = families(cat);
    let mut tests = Vec::new();
    for f in &fams {
        let Some((ty, type_held)) = crate::wrappers::family(&f.held.name) else {
            continue;
        };
        let ty_ident = crate::emit::ident(ty);
        let held = crate::emit::ident(&f.held.name);
        let type_held_ident = crate::emit::ident(type_held);
        let fam_name = &f.held.name;
        for (n, (i, s)) in f.slots().iter().enumerate() {
            let Plan::Generated { function, args } = plan(i, s) else {
                continue;
            };
            if !cat
                .methods
                .iter()
                .any(|m| m.interface.as_deref() == Some(i.name.as_str()) && m.name == s.name)
            {
                continue;
            }
            let test_name = crate::emit::ident(&format!(
                "{}_{}",
                crate::naming::param_name(&i.name),
                crate::naming::param_name(&s.name)
            ));
            let f_ident = crate::emit::ident(&function);
            let mut call_args = Vec::new();
            let mut logged = Vec::new();
            let mut expected = Vec::new();
            let mut k = 0usize;
            let mut interface_out = false;
            for a in &args {
                match a {
                    Arg::In { how, c, .. } => {
                        let p = &c[0];
                        let v = value(n, k);
                        match how {
                            In::Wide { .. } | In::Bstr => {
                                let text = format!("{}-in", p.name);
                                logged.push(format!("{}=\"{text}\"", p.name));
                                call_args.push(quote! { #text });
                            }
                            In::Bool(_) => {
                                logged.push(format!("{}=1", p.name));
                                call_args.push(quote! { true });
                            }
                            In::GuidSlice => {
                                let count = &c[1];
                                let (a, b) = (v, v + 100);
                                logged.push(format!(
                                    "{}=[{},{}]",
                                    p.name,
                                    guid_text(a),
                                    guid_text(b)
                                ));
                                logged.push(format!("{}=2", count.name));
                                call_args.push(quote! { &[probe_guid(#a), probe_guid(#b)] });
                                k += 1;
                            }
                            In::Value(t) => match t.as_str() {
                                "GUID" => {
                                    logged.push(format!("{}={}", p.name, guid_text(v)));
                                    call_args.push(quote! { probe_guid(#v) });
                                }
                                "HRESULT" => {
                                    let h = 0x8004_2300u32 + v;
                                    logged.push(format!("{}=0x{h:08x}", p.name));
                                    call_args.push(quote! { windows_core::HRESULT(#h as i32) });
                                }
                                "crate::com::types::FileTime" => {
                                    logged.push(format!("{}={v}:2", p.name));
                                    call_args.push(quote! { vss_errors::com::types::FileTime { low: #v, high: 2 } });
                                }
                                t => {
                                    logged.push(format!("{}={v}", p.name));
                                    let lit = syn::LitInt::new(
                                        &format!("{v}{t}"),
                                        proc_macro2::Span::call_site(),
                                    );
                                    call_args.push(quote! { #lit });
                                }
                            },
                        }
                    }
                    Arg::Out { how, c, .. } => {
                        let v = value(n, k);
                        logged.push(format!("{}=out", c.name));
                        let text = format!("{}.{}.{}", i.name, s.name, c.name);
                        match how {
                            Out::Bstr | Out::TaskStr => expected.push(Some(quote! { #text.to_string() })),
                            Out::Bool(_) => expected.push(Some(quote! { true })),
                            Out::Value(t) => expected.push(Some(match t.as_str() {
                                "GUID" => quote! { probe_guid(#v) },
                                "HRESULT" => {
                                    let h = 0x8004_2300u32 + v;
                                    quote! { windows_core::HRESULT(#h as i32) }
                                }
                                "crate::com::types::FileTime" => quote! { vss_errors::com::types::FileTime { low: #v, high: 3 } },
                                "crate::com::types::VssVolumeProtectionInfo" => {
                                    let (a, b, c2, d, e, g) = (v as i32, v as i32 + 1, v as i32 + 2, v as i32 + 3, v as i32 + 4, v + 5);
                                    quote! { vss_errors::com::types::VssVolumeProtectionInfo { protection_level: #a, volume_is_offline_for_protection: #b, protection_fault: #c2, failure_status: #d, volume_has_unused_diff_area: #e, reserved: #g } }
                                }
                                t => {
                                    let lit = syn::LitInt::new(&format!("{v}{t}"), proc_macro2::Span::call_site());
                                    quote! { #lit }
                                }
                            })),
                            Out::Async | Out::Interface(..) => {
                                interface_out = true;
                                expected.push(None);
                            }
                        }
                    }
                }
                k += 1;
            }
            let log = format!("{}.{}({})\n", i.name, s.name, logged.join(", "));
            let has_outcome = cat
                .methods
                .iter()
                .find(|m| m.interface.as_deref() == Some(i.name.as_str()) && m.name == s.name)
                .is_some_and(|m| {
                    m.returns.iter().any(|e| {
                        cat.codes
                            .iter()
                            .find(|c| c.name == e.code)
                            .is_some_and(|c| !c.is_failure())
                    })
                });
            let value_expr = if has_outcome && expected.is_empty() {
                quote! { result }
            } else if has_outcome {
                quote! { result.1 }
            } else {
                quote! { result }
            };
            let check = if expected.iter().all(Option::is_some) && !expected.is_empty() {
                let e: Vec<TokenStream> = expected.into_iter().flatten().collect();
                let want = if e.len() == 1 {
                    e[0].clone()
                } else {
                    quote! { ( #( #e ),* ) }
                };
                quote! { assert_eq!(#value_expr, #want, "the out-values that came back"); }
            } else if expected.is_empty() {
                quote! { let _ = &#value_expr; }
            } else {
                quote! { drop(#value_expr); }
            };
            let _ = interface_out;
            let object = if f.has_iunknown() && type_held != f.held.name {
                // A member that extends IUnknown, not the interface its type holds
                // (IVssSnapshotMgmt2): the wrapper reaches it through QueryInterface, which the
                // probe object answers, so only IUnknown's slots go through the held type.
                quote! {
                    // SAFETY: the probe object is a COM object with one reference; through the
                    // held interface type only its IUnknown slots are called (the wrapper casts
                    // to the member by QueryInterface).
                    vss_errors::com::#ty_ident::from_interface(unsafe {
                        <vss_errors::com::#type_held_ident as vss_errors::com::Interface>::from_raw(probe.raw(#fam_name))
                    })
                }
            } else if f.has_iunknown() {
                quote! { vss_errors::com::#ty_ident::from_interface(probe.object::<vss_errors::com::#held>(#fam_name)) }
            } else {
                let _ = &held;
                quote! {
                    // SAFETY: the probe's object of this family has the Ext layout.
                    unsafe { vss_errors::com::#ty_ident::from_raw_ext(probe.raw(#fam_name)) }.expect("a probe object")
                }
            };
            tests.push(quote! {
                #[test]
                fn #test_name() {
                    let probe = Probe::get();
                    let _one_at_a_time = probe.lock();
                    let object = #object;
                    let before = probe.counts();
                    probe.clear();
                    let result = object.#f_ident(#( #call_args ),*).expect("the probe returns S_OK");
                    assert_eq!(probe.log(), #log, "the arguments that arrived");
                    #check
                    drop(object);
                    assert_eq!(probe.counts(), before.released_one(), "every allocation freed once, every object released");
                }
            });
        }
    }
    quote! {
        #![doc = " One test per generated wrapper against the C call probe: the arguments the slot received, the out-values that came back, and every allocation freed once."]
        #![allow(non_snake_case, clippy::let_unit_value, clippy::bool_assert_comparison)]
        use super::driver::{probe_guid, Probe};

        #( #tests )*
    }
}

fn guid_text(v: u32) -> String {
    format!("{{{v:08x}-1111-2222-3344-5566778899aa}}")
}
