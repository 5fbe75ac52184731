//! Rust names derived from catalog names, and "did you mean" suggestions.

use crate::model::{Method, MethodKind};

/// Splits `SaveAsXML`, `GetWriterStatusEx` or `VSS_E_PROVIDER_VETO` into words.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in name.split(['_', ' ', ':', '-']) {
        let chars: Vec<char> = part.chars().collect();
        let mut cur = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                Some(p) if c.is_uppercase() => {
                    p.is_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()))
                }
                _ => false,
            };
            if boundary && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.push(c);
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// `SaveAsXML` → `SaveAsXml`, `PROVIDER_VETO` → `ProviderVeto`.
pub fn upper_camel(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| {
            let lower = w.to_lowercase();
            let mut c = lower.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// `GetWriterStatusEx` → `GET_WRITER_STATUS_EX`.
pub fn screaming_snake(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| w.to_uppercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// The Rust name of a vtable parameter: `pwszVolumeName` → `pwsz_volume_name`.
pub fn param_name(c_name: &str) -> String {
    screaming_snake(c_name).to_lowercase()
}

/// The default variant name of a code: its name without the `VSS_E_`/`E_`/`S_`… prefix.
pub fn default_variant(code: &str) -> String {
    let rest = [
        "VSS_E_", "VSS_S_", "VDS_E_", "VDS_S_", "RPC_E_", "RPC_S_", "E_", "S_",
    ]
    .iter()
    .find_map(|p| code.strip_prefix(p))
    .unwrap_or(code);
    upper_camel(rest)
}

/// The Rust type name of a method's error enum (or of a writer-failure set).
pub fn error_type(m: &Method) -> String {
    let base = m.rust_name.clone().unwrap_or_else(|| upper_camel(&m.name));
    match m.kind {
        MethodKind::WriterFailureSet => base,
        _ => format!("{base}Error"),
    }
}

/// The Rust type name of a method's success-outcome enum.
pub fn outcome_type(m: &Method) -> String {
    let base = m.rust_name.clone().unwrap_or_else(|| upper_camel(&m.name));
    format!("{base}Outcome")
}

/// The name of the generated `static` describing a method.
pub fn method_static(m: &Method) -> String {
    let base = m.rust_name.clone().unwrap_or_else(|| upper_camel(&m.name));
    let prefix = match (&m.kind, &m.interface) {
        (MethodKind::WriterFailureSet, _) => "SET",
        (_, Some(_)) => "METHOD",
        (_, None) => "FUNCTION",
    };
    format!("{prefix}_{}", screaming_snake(&base))
}

/// Whether `s` is usable as a Rust identifier in generated code: ASCII letters, digits and
/// `_`, not starting with a digit, and no keyword (`type`, `loop`, `Self`, `_`, …).
pub fn is_ident(s: &str) -> bool {
    let mut c = s.chars();
    let first_ok = c
        .next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_');
    first_ok && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_') && !KEYWORDS.contains(&s)
}

/// Words an identifier cannot be: Rust's strict and reserved keywords, and `_`.
pub const KEYWORDS: &[&str] = &[
    "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "Self", "self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Whether `s` is an `UpperCamelCase` Rust identifier.
pub fn is_upper_camel(s: &str) -> bool {
    is_ident(s) && s.starts_with(|c: char| c.is_ascii_uppercase()) && !s.contains('_')
}

/// The nearest candidate to `word`, if close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|c| (distance(&word.to_lowercase(), &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Edit distance counting insertions, deletions, substitutions and swaps of neighbours
/// (optimal string alignment).
fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_what_the_rust_parser_accepts() {
        let words = KEYWORDS.iter().copied().chain([
            "DoSnapshotSet",
            "VSS_E_PROVIDER_VETO",
            "_x",
            "x1",
            "1x",
            "union",
            "raw",
            "macro_rules",
            "Self_",
            "",
            "a-b",
        ]);
        for w in words {
            assert_eq!(
                is_ident(w),
                syn::parse_str::<syn::Ident>(w).is_ok(),
                "{w:?}"
            );
        }
    }

    #[test]
    fn camel_cases_acronyms_and_snake() {
        assert_eq!(upper_camel("SaveAsXML"), "SaveAsXml");
        assert_eq!(upper_camel("GetWriterStatusEx"), "GetWriterStatusEx");
        assert_eq!(default_variant("VSS_E_PROVIDER_VETO"), "ProviderVeto");
        assert_eq!(default_variant("E_ACCESSDENIED"), "Accessdenied");
        assert_eq!(
            screaming_snake("BackupComponentsSaveAsXml"),
            "BACKUP_COMPONENTS_SAVE_AS_XML"
        );
    }

    #[test]
    fn keywords_are_not_identifiers() {
        for k in [
            "type", "loop", "Self", "self", "_", "async", "dyn", "try", "r#type", "1a",
        ] {
            assert!(!is_ident(k), "{k}");
        }
        for ok in ["Type", "LOOP", "__", "_1", "pwszName"] {
            assert!(is_ident(ok), "{ok}");
        }
    }

    #[test]
    fn suggests_near_keys_only() {
        assert_eq!(suggest("valeu", &["value", "name"]), Some("value"));
        assert_eq!(suggest("zzzzzz", &["value", "name"]), None);
    }
}
