//! Recovers the code names of rows whose value cell came out empty (pages rendered without
//! their bold text): a row's meaning is matched against the catalog, first the same method's
//! entries, then every other method's, comparing letters and digits only.

use super::{List, Recovered, Unnamed};
use crate::model::{Catalog, Method};
use std::collections::BTreeMap;

/// The comparison key of a text: lower-case letters and digits only, so line breaks,
/// punctuation and spacing introduced by rendering do not matter.
pub fn key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Fills `recovered` or `unrecovered` of every row in `unnamed`. `named` holds the codes the
/// page names itself; a code is never recovered twice for one list.
pub fn recover(cat: &Catalog, method: &Method, named: &[(List, String)], unnamed: &mut [Unnamed]) {
    let q = method.qualified_name();
    let same = cat
        .methods
        .iter()
        .find(|m| m.kind == method.kind && m.qualified_name() == q);
    let mut used: Vec<(List, String)> = named.to_vec();
    for row in unnamed.iter_mut() {
        let k = key(&row.entry.text);
        if k.is_empty() {
            row.unrecovered = Some("the row has no text to match".into());
            continue;
        }
        let free = |code: &str, used: &[(List, String)]| {
            !used.iter().any(|(l, c)| *l == row.list && c == code)
        };
        // 1. The same method, the row's own list first.
        let mut found = None;
        if let Some(m) = same {
            let (own, other) = match row.list {
                List::Returns => (&m.returns, &m.status),
                List::Status => (&m.status, &m.returns),
            };
            for entries in [own, other] {
                let hits: Vec<&str> = entries
                    .iter()
                    .filter(|e| key(&e.text) == k && free(&e.code, &used))
                    .map(|e| e.code.as_str())
                    .collect();
                if let [one] = hits.as_slice() {
                    found = Some(Recovered {
                        code: one.to_string(),
                        from: "same method".into(),
                    });
                    break;
                }
            }
        }
        // 2. Every other method: the text must point at one code.
        if found.is_none() {
            let mut by_code: BTreeMap<&str, Vec<String>> = BTreeMap::new();
            for m in cat.methods.iter().filter(|m| m.qualified_name() != q) {
                for e in m.returns.iter().chain(&m.status) {
                    if key(&e.text) == k && free(&e.code, &used) {
                        by_code.entry(&e.code).or_default().push(m.qualified_name());
                    }
                }
            }
            match by_code.len() {
                0 => {
                    row.unrecovered = Some(format!(
                        "no catalog entry has the text {:?}",
                        row.entry.text
                    ))
                }
                1 => {
                    let (code, methods) = by_code.into_iter().next().unwrap_or_default();
                    found = Some(Recovered {
                        code: code.to_string(),
                        from: methods.join(", "),
                    });
                }
                _ => {
                    row.unrecovered = Some(format!(
                        "the text {:?} is documented for several codes: {}",
                        row.entry.text,
                        by_code
                            .iter()
                            .map(|(c, ms)| format!("{c} ({})", ms.join(", ")))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ))
                }
            }
        }
        if let Some(r) = found {
            used.push((row.list, r.code.clone()));
            row.entry.code = r.code.clone();
            row.recovered = Some(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{import, PageText};

    fn catalog() -> Catalog {
        let toml = r#"
[[code]]
name = "E_ACCESSDENIED"
value = "0x80070005"
family = "com"
summary = "denied"
[[code]]
name = "E_INVALIDARG"
value = "0x80070057"
family = "com"
summary = "bad arg"
[[code]]
name = "E_POINTER"
value = "0x80004003"
family = "com"
summary = "null"
[[code]]
name = "E_FAIL"
value = "0x80004005"
family = "com"
summary = "failed"
[[code]]
name = "VSS_S_ASYNC_PENDING"
value = "0x00042309"
family = "vss"
summary = "pending"
[interface]
name = "IVssAsync"
[[method]]
name = "QueryStatus"
[[method.returns]]
code = "E_ACCESSDENIED"
text = "The query failed because the user did not have the correct privileges."
[[method.status]]
code = "VSS_S_ASYNC_PENDING"
outcome = "Pending"
text = "The asynchronous operation is still running."
[[method]]
name = "Wait"
[[method.returns]]
code = "E_INVALIDARG"
text = "One of the parameters is not valid."
[[method]]
name = "Cancel"
[[method.returns]]
code = "E_POINTER"
text = "Something odd."
[[method.returns]]
code = "E_FAIL"
text = "Something odd."
"#;
        crate::check(&[crate::SourceFile {
            path: "catalog/x.toml".into(),
            text: toml.into(),
        }])
        .unwrap()
        .into_inner()
    }

    #[test]
    fn names_come_from_the_same_method_then_others() {
        let page = "IVssAsync::QueryStatus method (vss.h)\nParameters\n[out] pHrResult\nStatus:\nValue | Meaning |\n---|---|\n|\nThe asynchronous operation is\nstill running. |\n[out] pReserved\nNULL.\nReturn value\nValue | Meaning |\n---|---|\n|\nThe query operation was successful. |\n|\nThe query failed because the user did not have the correct privileges. |\n|\nOne of the parameters is not valid. |\n|\nSomething odd. |\nRemarks\n";
        let cat = catalog();
        let got = import(
            &[PageText {
                label: "001.txt".into(),
                text: page.into(),
            }],
            Some(&cat),
        );
        assert!(got.failed.is_empty(), "{:?}", got.failed);
        let m = &got.methods[0];
        let status: Vec<&str> = m.method.status.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(status, ["VSS_S_ASYNC_PENDING"]);
        assert_eq!(m.method.status[0].outcome.as_deref(), Some("Pending"));
        let codes: Vec<&str> = m.method.returns.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["E_ACCESSDENIED", "E_INVALIDARG"]);
        let rows: Vec<(usize, Option<&str>, Option<&str>)> = m
            .unnamed
            .iter()
            .filter(|u| u.list == List::Returns)
            .map(|u| {
                (
                    u.row,
                    u.recovered.as_ref().map(|r| r.from.as_str()),
                    u.unrecovered.as_deref(),
                )
            })
            .collect();
        assert_eq!(rows[0].0, 1);
        assert!(rows[0].2.unwrap().contains("no catalog entry"), "{rows:?}");
        assert_eq!(rows[1].1, Some("same method"));
        assert_eq!(rows[2].1, Some("IVssAsync::Wait"));
        assert!(
            rows[3].2.unwrap().contains(
                "several codes: E_FAIL (IVssAsync::Cancel); E_POINTER (IVssAsync::Cancel)"
            ),
            "{rows:?}"
        );
    }

    #[test]
    fn key_ignores_layout() {
        assert_eq!(
            key("See\nEvent  and Error-Handling."),
            key("see event and error handling")
        );
    }
}
