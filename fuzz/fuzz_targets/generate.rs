//! Fuzz target: structurally built catalogs (codes, versions, interfaces with vtables,
//! methods, functions, writer-failure sets, with awkward names and texts) written as TOML,
//! loaded and validated; every catalog that passes must generate code that `syn` parses and
//! that reformatting leaves unchanged.
#![no_main]

use arbitrary::{Result, Unstructured};
use codegen::validate::{retry_prose, ASYNC_ONLY_PROSE, FACT_KINDS, IO_KINDS};
use codegen::SourceFile;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeSet;
use std::fmt::Write;

const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const IDENT: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
const CAMEL: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const VERSION: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-";

/// Names that are easy to get wrong: keywords, names the generated code uses itself.
const AWKWARD: &[&str] = &[
    "Self",
    "self",
    "type",
    "loop",
    "match",
    "async",
    "dyn",
    "try",
    "r#type",
    "_",
    "__",
    "_1",
    "Ok",
    "Other",
    "OtherSuccess",
    "Code",
    "Entry",
    "Method",
    "HRESULT",
    "ALL",
    "Error",
    "SELF",
    "Loop",
    "A",
    "x",
];

/// Text fragments that need escaping in Rust, Markdown or doc comments.
const FRAGMENTS: &[&str] = &[
    "\"",
    "\\",
    "*/",
    "/*",
    "#",
    "{}",
    "{0}",
    "\n",
    "\r",
    "\r\n",
    "\t",
    "\u{0}",
    "\u{7f}",
    "\u{202e}",
    "\u{2066}",
    "\u{200b}",
    "\u{feff}",
    "\u{2028}",
    "e\u{301}",
    "🚀",
    "///",
    "//",
    "/",
    "!",
    "`",
    "r#\"",
    "\"#",
    " ",
    "  ",
    "[x]",
    "<T>",
    "_a_",
    "*b*",
    "try again",
    "retry",
    ASYNC_ONLY_PROSE,
    "#[doc = \"x\"]",
    "'",
    "$",
    "%",
    "\u{1b}[0m",
];

fn word(u: &mut Unstructured, alphabet: &[u8], min: usize, max: usize) -> Result<String> {
    let n = u.int_in_range(min..=max)?;
    (0..n)
        .map(|_| u.choose(alphabet).map(|&b| b as char))
        .collect()
}

fn name(u: &mut Unstructured, alphabet: &[u8], first: &[u8]) -> Result<String> {
    // Rare enough that most built catalogs stay valid and reach the generator.
    if u.ratio(1, 40)? {
        return Ok(u.choose(AWKWARD)?.to_string());
    }
    let head = *u.choose(first)? as char;
    Ok(format!("{head}{}", word(u, alphabet, 0, 8)?))
}

fn text(u: &mut Unstructured) -> Result<String> {
    let mut s = String::new();
    for _ in 0..u.int_in_range(1..=6)? {
        if u.ratio(1, 2)? {
            s.push_str(u.choose(FRAGMENTS)?);
        } else {
            let t: String = u.arbitrary()?;
            s.push_str(&t);
        }
    }
    if s.trim().is_empty() {
        s.push('x');
    }
    Ok(s)
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

struct Code {
    name: String,
    value: u32,
}

#[derive(Default)]
struct Out {
    codes: String,
    versions: String,
    functions: String,
    sets: String,
    interfaces: Vec<(String, String)>,
}

fn codes(u: &mut Unstructured, out: &mut Out) -> Result<Vec<Code>> {
    let mut codes: Vec<Code> = Vec::new();
    let mut names = BTreeSet::new();
    let mut variants = BTreeSet::new();
    let mut values = BTreeSet::new();
    for i in 0..u.int_in_range(1..=10)? {
        let prefix = *u.choose(&["VSS_E_", "VSS_S_", "E_", "S_", "VDS_E_", "RPC_E_", "X_", ""])?;
        let mut n = format!(
            "{prefix}{}",
            name(u, UPPER, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ_")?
        );
        if !names.insert(n.clone()) {
            n = format!("{n}_{i}");
            names.insert(n.clone());
        }
        let family = if u.ratio(3, 4)? {
            u.choose(&["com", "vss", "vds"])?.to_string()
        } else {
            word(u, LOWER, 1, 4)?
        };
        let mut value: u32 = match codes.last() {
            Some(prev) if u.ratio(1, 6)? => prev.value,
            _ => u.arbitrary()?,
        };
        if n.starts_with("S_") || n.contains("_S_") {
            value &= 0x7FFF_FFFF;
        } else if n.starts_with("E_") || n.contains("_E_") {
            value |= 0x8000_0000;
        }
        if !values.insert((family.clone(), value)) {
            value = value.wrapping_add(i + 1);
            values.insert((family.clone(), value));
        }
        let explicit = if u.ratio(1, 3)? {
            Some(name(u, CAMEL, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")?)
        } else {
            None
        };
        let mut variant = explicit.unwrap_or_else(|| codegen::naming::default_variant(&n));
        let mut explicit = variant != codegen::naming::default_variant(&n);
        if !variants.insert((family.clone(), variant.clone())) {
            variant = format!("V{i}{variant}");
            explicit = true;
            variants.insert((family.clone(), variant.clone()));
        }
        let o = &mut out.codes;
        let _ = writeln!(
            o,
            "[[code]]\nname = {}\nvalue = \"0x{value:08X}\"\nfamily = {}\nsummary = {}",
            toml_str(&n),
            toml_str(&family),
            toml_str(&text(u)?)
        );
        if explicit {
            let _ = writeln!(o, "variant = {}", toml_str(&variant));
        }
        if u.ratio(1, 4)? {
            let _ = writeln!(o, "io_kind = {}", toml_str(u.choose(IO_KINDS)?));
        }
        if u.ratio(1, 4)? {
            let _ = writeln!(o, "header = {}", toml_str(&text(u)?));
        }
        if u.ratio(1, 6)? {
            let documented = value ^ u.int_in_range(1..=u32::MAX)?;
            let _ = writeln!(
                o,
                "[[code.discrepancy]]\nsource = {}\ndocumented_value = \"0x{documented:08X}\"",
                toml_str(&text(u)?)
            );
        }
        codes.push(Code { name: n, value });
    }
    Ok(codes)
}

fn versions(u: &mut Unstructured, out: &mut Out) -> Result<Vec<String>> {
    let mut ids = BTreeSet::new();
    for i in 0..u.int_in_range(0..=4)? {
        let mut id = if u.ratio(1, 2)? {
            format!("windows-{}", word(u, VERSION, 1, 6)?)
        } else {
            word(u, VERSION, 1, 6)?
        };
        if ids.contains(&id) {
            id = format!("{id}{i}");
        }
        ids.insert(id.clone());
        let _ = writeln!(
            out.versions,
            "[[version]]\nid = {}\nname = {}",
            toml_str(&id),
            toml_str(&text(u)?)
        );
    }
    Ok(ids.into_iter().collect())
}

fn pick_some<T: Clone>(u: &mut Unstructured, items: &[T], max: usize) -> Result<Vec<T>> {
    let mut out = Vec::new();
    if items.is_empty() {
        return Ok(out);
    }
    for _ in 0..u.int_in_range(0..=max)? {
        out.push(u.choose(items)?.clone());
    }
    Ok(out)
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| toml_str(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// The `returns` (or `status`) entries of one method, valid by construction where cheap.
fn entries(
    u: &mut Unstructured,
    o: &mut String,
    table: &str,
    codes: &[Code],
    versions: &[String],
    returns_async: bool,
) -> Result<()> {
    let mut used = BTreeSet::new();
    let mut outcomes = BTreeSet::new();
    let chosen: Vec<usize> = (0..u.int_in_range(0..=6)?)
        .map(|_| u.choose_index(codes.len()))
        .collect::<Result<_>>()?;
    let documented: BTreeSet<usize> = chosen.iter().copied().collect();
    for i in chosen {
        if !used.insert(i) {
            continue;
        }
        let code = &codes[i];
        let t = text(u)?;
        let _ = writeln!(
            o,
            "[[{table}]]\ncode = {}\ntext = {}",
            toml_str(&code.name),
            toml_str(&t)
        );
        if code.value < 0x8000_0000 {
            let mut outcome = if code.value == 0 && u.ratio(1, 2)? {
                "Ok".to_string()
            } else {
                name(u, CAMEL, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")?
            };
            if outcome == "Ok" && code.value != 0 || !outcomes.insert(outcome.clone()) {
                outcome = format!("Outcome{i}");
                outcomes.insert(outcome.clone());
            }
            let _ = writeln!(o, "outcome = {}", toml_str(&outcome));
        }
        if t.contains(ASYNC_ONLY_PROSE) || (returns_async && u.ratio(1, 4)?) {
            let _ = writeln!(o, "async_only = true");
        }
        if retry_prose(&t) {
            if u.ratio(1, 2)? {
                let wait = u.int_in_range(1..=86_400u32)?;
                let attempts = u.int_in_range(1..=100u32)?;
                let _ = writeln!(
                    o,
                    "retry = {{ wait_seconds = {wait}, max_attempts = {attempts} }}"
                );
            } else {
                let _ = writeln!(o, "retry_note = {}", toml_str(&text(u)?));
            }
        }
        for _ in 0..u.int_in_range(0..=2)? {
            let vers = pick_some(u, versions, 3)?;
            if vers.is_empty() {
                continue;
            }
            let _ = writeln!(
                o,
                "[[{table}.os_note]]\nversions = {}\ntext = {}",
                list(&vers),
                toml_str(&text(u)?)
            );
            let from = pick_some(u, versions, 2)?;
            if !from.is_empty() {
                let _ = writeln!(o, "supported_from = {}", list(&from));
            }
            if u.ratio(1, 2)? {
                let f = u.choose_index(codes.len())?;
                if !documented.contains(&f) {
                    let _ = writeln!(o, "fallback = {}", toml_str(&codes[f].name));
                }
            }
        }
    }
    Ok(())
}

const C_TYPES: &[&str] = &[
    "UINT",
    "DWORD",
    "LONG",
    "BOOL",
    "boolean",
    "HRESULT",
    "VSS_ID",
    "GUID",
    "LPCWSTR",
    "VSS_PWSZ",
    "BSTR",
    "VSS_BACKUP_TYPE",
    "VSS_SNAPSHOT_PROP",
    "VSS_OBJECT_PROP",
    "IVssAsync",
    "IUnknown",
];

fn declaration(u: &mut Unstructured, method: &str) -> Result<String> {
    let mut params = Vec::new();
    for _ in 0..u.int_in_range(0..=4)? {
        let ty = *u.choose(C_TYPES)?;
        let is_iface = ty.starts_with('I') && ty != "INT";
        let stars = if is_iface {
            u.int_in_range(1..=2)?
        } else {
            u.int_in_range(0..=2)?
        };
        let konst = if u.ratio(1, 5)? { "const " } else { "" };
        let pname = name(
            u,
            IDENT,
            b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_",
        )?;
        params.push(format!("{konst}{ty} {}{pname}", "*".repeat(stars)));
    }
    Ok(format!("{method}({})", params.join(", ")))
}

fn method_header(u: &mut Unstructured, o: &mut String, table: &str, name: &str) -> Result<bool> {
    let _ = writeln!(o, "[[{table}]]\nname = {}", toml_str(name));
    if u.ratio(1, 6)? {
        let r = name_camel(u)?;
        let _ = writeln!(o, "rust_name = {}", toml_str(&r));
    }
    let returns_async = table != "set" && u.ratio(1, 3)?;
    if returns_async {
        let _ = writeln!(o, "returns_async = true");
        if u.ratio(1, 2)? {
            let _ = writeln!(o, "cancellable = {}", u.arbitrary::<bool>()?);
        }
        if u.ratio(1, 3)? {
            let _ = writeln!(o, "progress = \"percent\"");
        }
    }
    for key in ["seed_section", "doc_page", "source"] {
        if u.ratio(1, 5)? {
            let _ = writeln!(o, "{key} = {}", toml_str(&text(u)?));
        }
    }
    Ok(returns_async)
}

fn name_camel(u: &mut Unstructured) -> Result<String> {
    name(u, CAMEL, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
}

fn catalog(u: &mut Unstructured) -> Result<Vec<SourceFile>> {
    let mut out = Out::default();
    let codes = codes(u, &mut out)?;
    let versions = versions(u, &mut out)?;
    let mut methods: Vec<String> = Vec::new();
    let mut interface_names = BTreeSet::new();
    // Interfaces and their methods: names first, so facts and links can refer to them.
    let mut plans = Vec::new();
    for i in 0..u.int_in_range(0..=3)? {
        let mut iname = format!("I{}", name(u, IDENT, CAMEL)?);
        if !interface_names.insert(iname.clone()) {
            iname = format!("{iname}{i}");
            interface_names.insert(iname.clone());
        }
        let mut names = BTreeSet::new();
        for _ in 0..u.int_in_range(0..=4)? {
            names.insert(name(
                u,
                IDENT,
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_",
            )?);
        }
        methods.extend(names.iter().map(|n| format!("{iname}::{n}")));
        plans.push((iname, names));
    }
    let mut function_names = BTreeSet::new();
    for _ in 0..u.int_in_range(0..=3)? {
        function_names.insert(name(u, IDENT, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")?);
    }
    let qualified: Vec<String> = methods
        .into_iter()
        .chain(function_names.iter().cloned())
        .collect();

    let interface_list: Vec<String> = interface_names.iter().cloned().collect();
    for (iname, names) in &plans {
        let mut o = String::new();
        let _ = writeln!(o, "[interface]\nname = {}", toml_str(iname));
        if u.ratio(1, 2)? {
            let b: [u8; 16] = u.arbitrary()?;
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            let iid = format!(
                "{}-{}-{}-{}-{}",
                &hex[0..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..32]
            );
            let mut slots: Vec<String> = names.iter().cloned().collect();
            for _ in 0..u.int_in_range(0..=2)? {
                slots.push(name(u, IDENT, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")?);
            }
            let slots: BTreeSet<String> = slots.into_iter().collect();
            let decls: Vec<String> = slots
                .iter()
                .map(|s| declaration(u, s))
                .collect::<Result<_>>()?;
            let _ = writeln!(o, "iid = {}\nvtable = {}", toml_str(&iid), list(&decls));
            if u.ratio(1, 2)? {
                let base = u.choose(&interface_list)?.clone();
                if &base != iname {
                    let _ = writeln!(o, "extends = {}", toml_str(&base));
                }
            }
        }
        if u.ratio(1, 3)? {
            let _ = writeln!(o, "header = {}", toml_str(&text(u)?));
        }
        for n in names {
            let returns_async = method_header(u, &mut o, "method", n)?;
            for _ in 0..u.int_in_range(0..=1)? {
                let _ = writeln!(
                    o,
                    "[[method.fact]]\nkind = {}\ntext = {}\nsource = {}",
                    toml_str(u.choose(FACT_KINDS)?),
                    toml_str(&text(u)?),
                    toml_str(&text(u)?)
                );
                if u.ratio(1, 2)? {
                    let _ = writeln!(o, "method = {}", toml_str(u.choose(&qualified)?));
                }
            }
            entries(
                u,
                &mut o,
                "method.returns",
                &codes,
                &versions,
                returns_async,
            )?;
            if returns_async {
                entries(u, &mut o, "method.status", &codes, &versions, true)?;
            }
        }
        let file = format!("catalog/interfaces/{}.toml", out.interfaces.len());
        out.interfaces.push((file, o));
    }
    for n in &function_names {
        let mut o = std::mem::take(&mut out.functions);
        let returns_async = method_header(u, &mut o, "function", n)?;
        if u.ratio(1, 3)? {
            let _ = writeln!(o, "header = {}", toml_str(&text(u)?));
        }
        entries(
            u,
            &mut o,
            "function.returns",
            &codes,
            &versions,
            returns_async,
        )?;
        out.functions = o;
    }
    let mut set_names = BTreeSet::new();
    for _ in 0..u.int_in_range(0..=2)? {
        set_names.insert(name(u, CAMEL, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")?);
    }
    for n in &set_names {
        let mut o = std::mem::take(&mut out.sets);
        method_header(u, &mut o, "set", n)?;
        if !interface_list.is_empty() && u.ratio(1, 2)? {
            let _ = writeln!(o, "interface = {}", toml_str(u.choose(&interface_list)?));
        }
        if !qualified.is_empty() {
            for _ in 0..u.int_in_range(0..=2)? {
                let dir = *u.choose(&["reported", "accepted"])?;
                let _ = writeln!(
                    o,
                    "[[set.link]]\nmethod = {}\nparameter = {}\ndirection = \"{dir}\"",
                    toml_str(u.choose(&qualified)?),
                    toml_str(&text(u)?)
                );
            }
        }
        entries(u, &mut o, "set.returns", &codes, &versions, false)?;
        out.sets = o;
    }
    let mut files = vec![
        SourceFile::new("catalog/codes.toml", out.codes),
        SourceFile::new("catalog/functions.toml", out.functions),
        SourceFile::new("catalog/windows.toml", out.versions),
        SourceFile::new("catalog/writer_failures.toml", out.sets),
    ];
    files.extend(
        out.interfaces
            .into_iter()
            .map(|(p, t)| SourceFile::new(p, t)),
    );
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(files) = catalog(&mut u) else {
        return;
    };
    // Some built catalogs break a rule on purpose (awkward names); those must be rejected
    // cleanly, which the load_validate target checks. Every accepted one must generate.
    let Ok(cat) = codegen::check(&files) else {
        return;
    };
    let generated = match codegen::emit::generate(&cat) {
        Ok(g) => g,
        Err(e) => {
            let input: String = files
                .iter()
                .map(|f| format!("# {}\n{}\n", f.path, f.text))
                .collect();
            panic!("a validated catalog failed to generate: {e}\n{input}");
        }
    };
    for f in &generated {
        let parsed = match syn::parse_file(&f.contents) {
            Ok(p) => p,
            Err(e) => panic!("{} does not parse: {e}\n{}", f.path, f.contents),
        };
        let again = prettyplease::unparse(&parsed);
        assert!(
            f.contents.ends_with(&again),
            "{} is not stable under reformatting:\n{}",
            f.path,
            f.contents
        );
    }
    // The same catalog, files in another order, gives the same bytes.
    let mut reversed = files.clone();
    reversed.reverse();
    let again = codegen::check(&reversed).map(|c| codegen::emit::generate(&c));
    assert_eq!(again, Ok(Ok(generated)), "output depends on file order");
});
