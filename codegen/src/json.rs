//! The catalog rendered as JSON (`cargo xtask export --json`): codes and methods with their
//! entries; object keys are sorted, so the output is deterministic.

use crate::model::*;
use serde_json::{json, Value};

/// Renders the whole catalog as pretty-printed JSON followed by a newline.
pub fn export(cat: &Catalog) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(cat)).unwrap_or_default();
    s.push('\n');
    s
}

/// The catalog as a JSON value.
pub fn to_value(cat: &Catalog) -> Value {
    json!({
        "codes": cat.codes.iter().map(code).collect::<Vec<_>>(),
        "windows_versions": cat.versions.iter().map(|v| json!({"id": v.id, "name": v.name})).collect::<Vec<_>>(),
        "interfaces": cat.interfaces.iter().map(interface).collect::<Vec<_>>(),
        "methods": cat.methods.iter().map(|m| {
            let mut v = method(m);
            let wrapper = m.interface.as_deref().and_then(|i| crate::wrappers::wrapper_path(cat, i, &m.name));
            v["wrapper"] = json!(wrapper);
            v
        }).collect::<Vec<_>>(),
    })
}

/// An interface; `vtable` is its own slots' method names in order, or null when the catalog
/// does not declare them.
fn interface(i: &Interface) -> Value {
    let vtable = (!i.vtable.is_empty())
        .then(|| i.vtable.iter().map(|s| s.name.as_str()).collect::<Vec<_>>());
    json!({"name": i.name, "header": i.header, "extends": i.extends, "iid": i.iid, "vtable": vtable})
}

/// `0x%08X`.
pub fn hex(v: u32) -> String {
    format!("0x{v:08X}")
}

fn code(c: &Code) -> Value {
    json!({
        "name": c.name,
        "value": hex(c.value),
        "family": c.family,
        "severity": if c.is_failure() { "failure" } else { "success" },
        "summary": c.summary,
        "header": c.header,
        "variant": c.variant,
        "io_kind": c.io_kind,
        "discrepancies": c.discrepancies.iter().map(|d| json!({
            "source": d.source, "documented_value": hex(d.documented_value), "note": d.note,
        })).collect::<Vec<_>>(),
    })
}

/// One method (or free function, or writer-failure set) as JSON, in the `methods[]` schema.
pub fn method(m: &Method) -> Value {
    json!({
        "interface": m.interface,
        "name": m.name,
        "qualified_name": m.qualified_name(),
        "kind": m.kind.as_str(),
        "seed_section": m.seed_section,
        "doc_page": m.doc_page,
        "source": m.source,
        "rust_type": crate::naming::error_type(m),
        // The safe function that calls it; only the whole catalog can tell (`to_value`).
        "wrapper": null,
        "returns_async": m.returns_async,
        "cancellable": m.cancellable,
        "progress": m.progress,
        "links": m.links.iter().map(|l| json!({"method": l.method, "parameter": l.parameter, "direction": l.direction})).collect::<Vec<_>>(),
        "facts": m.facts.iter().map(|f| json!({"kind": f.kind, "method": f.method, "text": f.text, "source": f.source})).collect::<Vec<_>>(),
        "returns": m.returns.iter().map(entry).collect::<Vec<_>>(),
        "status": m.status.iter().map(entry).collect::<Vec<_>>(),
    })
}

fn entry(e: &Entry) -> Value {
    json!({
        "code": e.code,
        "text": e.text,
        "outcome": e.outcome,
        "retry": e.retry.map(|r| json!({"wait_seconds": r.wait_seconds, "max_attempts": r.max_attempts})),
        "retry_note": e.retry_note,
        "os_notes": e.os_notes.iter().map(|n| json!({
            "text": n.text, "versions": n.versions, "fallback": n.fallback, "supported_from": n.supported_from,
        })).collect::<Vec<_>>(),
        "async_only": e.async_only,
    })
}
