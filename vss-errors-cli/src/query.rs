//! CODE and `--method` as the user writes them: a value in any notation or a code name, and a
//! method by qualified or bare name, with close names suggested when nothing matches.

use vss_errors::{Code, Method};

/// What CODE names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Query {
    /// A 32-bit value, in whatever notation it was written.
    Value(u32),
    /// A code of the catalog, by name.
    Name(Code),
}

/// Why CODE could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryError {
    /// Neither a number nor a name (exit status 2), with the message to print.
    Invalid(String),
    /// A well-formed name that is no code of the catalog (exit status 1).
    UnknownName {
        /// The name as written.
        name: String,
        /// Close names of the catalog, closest first.
        suggestions: Vec<&'static str>,
    },
}

/// Reads CODE: `0x80042306`, `80042306` (exactly eight hex digits), an unsigned or negative
/// decimal, or a code name in any case.
pub fn parse_query(input: &str) -> Result<Query, QueryError> {
    let s = input.trim();
    let hint = "write a value like `0x80042306` or a name like `VSS_E_PROVIDER_VETO`";
    if s.is_empty() {
        return Err(QueryError::Invalid(format!("empty CODE; {hint}")));
    }
    if let Some(code) = Code::from_name(s) {
        return Ok(Query::Name(code));
    }
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        if !hex.is_empty() && hex.len() <= 8 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return u32::from_str_radix(hex, 16)
                .map(Query::Value)
                .map_err(|_| QueryError::Invalid(format!("`{s}` is not a value; {hint}")));
        }
        return Err(QueryError::Invalid(format!(
            "`{}` is not a 32-bit hex value; write one to eight hex digits after `0x`, like `0x80042306`",
            printable(s)
        )));
    }
    if let Some(digits) = s.strip_prefix('-') {
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            return match s.parse::<i64>() {
                Ok(v) if v >= i64::from(i32::MIN) => Ok(Query::Value(v as i32 as u32)),
                _ => Err(QueryError::Invalid(format!(
                    "`{}` is out of range; a negative HRESULT is between `-2147483648` and `-1`",
                    printable(s)
                ))),
            };
        }
    }
    if s.len() == 8 && s.chars().all(|c| c.is_ascii_hexdigit()) {
        return u32::from_str_radix(s, 16)
            .map(Query::Value)
            .map_err(|_| QueryError::Invalid(format!("`{s}` is not a value; {hint}")));
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return match s.parse::<u64>() {
            Ok(v) if v <= u64::from(u32::MAX) => Ok(Query::Value(v as u32)),
            _ => Err(QueryError::Invalid(format!(
                "`{}` is out of range; an HRESULT is at most `4294967295` (`0xFFFFFFFF`)",
                printable(s)
            ))),
        };
    }
    let name_like = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.contains('_');
    if name_like {
        return Err(QueryError::UnknownName {
            name: s.to_string(),
            suggestions: suggest(s, Code::ALL.iter().map(|c| c.name())),
        });
    }
    Err(QueryError::Invalid(format!(
        "`{}` is neither a value nor a code name; {hint}",
        printable(s)
    )))
}

/// Resolves `--method`: a qualified name, or a bare name only one method has.
pub fn find_method(name: &str) -> Result<&'static Method, String> {
    let name = name.trim();
    match Method::find(name) {
        Ok(m) => Ok(m),
        Err(candidates) if !candidates.is_empty() => {
            let names: Vec<String> = candidates.iter().map(|m| m.qualified_name()).collect();
            Err(format!(
                "`{}` names {} methods; write one of `{}`",
                printable(name),
                names.len(),
                names.join("`, `")
            ))
        }
        Err(_) => {
            let all: Vec<String> = Method::all().iter().map(|m| m.qualified_name()).collect();
            let bare = name.rsplit("::").next().unwrap_or(name);
            let mut close = suggest(name, all.iter().map(String::as_str));
            for m in Method::all() {
                let near = close.len() < 3 && distance(m.name, bare) <= 2;
                if m.name.eq_ignore_ascii_case(bare) || near {
                    if let Some(q) = all.iter().find(|q| **q == m.qualified_name()) {
                        if !close.contains(&q.as_str()) {
                            close.push(q.as_str());
                        }
                    }
                }
            }
            close.truncate(8);
            if close.is_empty() {
                Err(format!(
                    "no method named `{}`; write a qualified name like `IVssBackupComponents::DoSnapshotSet`",
                    printable(name)
                ))
            } else {
                Err(format!(
                    "no method named `{}`; did you mean `{}`?",
                    printable(name),
                    close.join("`, `")
                ))
            }
        }
    }
}

/// The names closest to `name` (case-insensitive edit distance), closest first.
fn suggest<'a>(name: &str, names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let limit = (name.chars().count() / 4).clamp(1, 4);
    let mut scored: Vec<(usize, &str)> = names
        .map(|n| (distance(n, name), n))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.dedup();
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

/// Case-insensitive Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(&a.to_ascii_lowercase(), &b.to_ascii_lowercase())
}

/// An argument shown in a message: trimmed and without control characters.
pub fn printable(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .take(80)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notation_of_a_value_reads_the_same() {
        for s in [
            "0x80042306",
            "0X80042306",
            "80042306",
            "2147754758",
            "-2147212538",
            " 0x80042306 ",
        ] {
            assert_eq!(parse_query(s), Ok(Query::Value(0x8004_2306)), "{s:?}");
        }
        assert_eq!(parse_query("0x1"), Ok(Query::Value(1)));
        assert_eq!(parse_query("0"), Ok(Query::Value(0)));
        assert_eq!(parse_query("-1"), Ok(Query::Value(0xFFFF_FFFF)));
        assert_eq!(parse_query("-2147483648"), Ok(Query::Value(0x8000_0000)));
        assert_eq!(parse_query("4294967295"), Ok(Query::Value(0xFFFF_FFFF)));
        assert_eq!(
            parse_query("vss_e_provider_veto"),
            Ok(Query::Name(Code::VSS_E_PROVIDER_VETO))
        );
    }

    #[test]
    fn bad_input_says_what_to_write() {
        for s in [
            "",
            "0x",
            "0x123456789",
            "0xZZ",
            "4294967296",
            "-2147483649",
            "hello!",
            "--",
            "0x8004 2306",
        ] {
            match parse_query(s) {
                Err(QueryError::Invalid(msg)) => {
                    assert!(msg.contains('`'), "{msg}");
                    assert!(!msg.ends_with('.'), "{msg}");
                    assert!(
                        msg.starts_with(|c: char| c.is_lowercase() || c == '`'),
                        "{msg}"
                    );
                }
                other => panic!("{s:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn an_unknown_name_suggests_the_close_ones() {
        match parse_query("VSS_E_PROVIDR_VETO") {
            Err(QueryError::UnknownName { suggestions, .. }) => {
                assert_eq!(suggestions.first(), Some(&"VSS_E_PROVIDER_VETO"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn methods_resolve_qualified_bare_and_ambiguous() {
        let m = find_method("ivssbackupcomponents::dosnapshotset").unwrap();
        assert_eq!(m.qualified_name(), "IVssBackupComponents::DoSnapshotSet");
        assert_eq!(find_method("DoSnapshotSet").unwrap(), m);
        let err = find_method("QueryStatus").unwrap_err();
        assert!(
            err.contains("`IVssAsync::QueryStatus`") && err.contains("`IVdsAsync::QueryStatus`"),
            "{err}"
        );
        let err = find_method("DoSnapshotSt").unwrap_err();
        assert!(
            err.contains("did you mean `IVssBackupComponents::DoSnapshotSet`"),
            "{err}"
        );
    }
}
