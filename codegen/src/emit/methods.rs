//! Emits `methods.rs`: one `static` [`Method`] description per catalog method, and per method
//! its error enum (documented failure codes plus one lossless `Other`) and, where success
//! codes carry meaning, its outcome enum.

use super::codes::opt_str;
use super::texts::Texts;
use super::{doc_text, docs, hex_lit, hresult_lit, ident};
use crate::json::hex;
use crate::model::{Catalog, Code, Entry, Method, MethodKind};
use crate::naming::{self, upper_camel};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

pub(crate) fn emit(cat: &Catalog, texts: &Texts) -> TokenStream {
    let codes: BTreeMap<&str, &Code> = cat.codes.iter().map(|c| (c.name.as_str(), c)).collect();
    let versions: BTreeMap<&str, String> = cat
        .versions
        .iter()
        .map(|v| (v.id.as_str(), upper_camel(&v.id)))
        .collect();
    let version_names = cat
        .versions
        .iter()
        .map(|v| (v.id.as_str(), v.name.as_str()))
        .collect();
    let cx = Cx {
        codes,
        versions,
        version_names,
        texts,
    };
    let items: Vec<TokenStream> = cat.methods.iter().map(|m| cx.method(m)).collect();
    let statics: Vec<_> = cat
        .methods
        .iter()
        .map(|m| ident(&naming::method_static(m)))
        .collect();
    quote! {
        #![doc = " Every method of the catalog: its description and its typed errors."]
        #![allow(clippy::too_many_lines, clippy::match_same_arms)]
        use crate::catalog::{Entry, Fact, FactKind, Link, LinkDirection, Method, MethodKind, OsNote, Retry, TextId};
        use crate::code::Code;
        use crate::error::{classify_erased, Classifier, Undocumented};
        use crate::generated::codes::WindowsVersion;
        use windows_result::HRESULT;

        /// Every method, free function and writer-failure set of the catalog.
        pub static METHODS: &[&Method] = &[ #( &#statics ),* ];

        #( #items )*
    }
}

struct Cx<'a> {
    codes: BTreeMap<&'a str, &'a Code>,
    versions: BTreeMap<&'a str, String>,
    version_names: BTreeMap<&'a str, &'a str>,
    texts: &'a Texts,
}

impl Cx<'_> {
    fn code(&self, name: &str) -> &Code {
        self.codes[name]
    }

    fn method(&self, m: &Method) -> TokenStream {
        let static_name = ident(&naming::method_static(m));
        let q = m.qualified_name();
        let description = self.description(m);
        let failures: Vec<(usize, &Entry)> = m
            .returns
            .iter()
            .enumerate()
            .filter(|(_, e)| self.code(&e.code).is_failure())
            .collect();
        let successes: Vec<(usize, &Entry)> = m
            .returns
            .iter()
            .enumerate()
            .filter(|(_, e)| !self.code(&e.code).is_failure())
            .collect();
        let error = self.error_enum(m, &static_name, &failures, !successes.is_empty());
        let outcome = if successes.is_empty() {
            quote! {}
        } else {
            self.outcome_enum(m, &static_name, &successes)
        };
        let doc = docs(&format!("Description of `{q}` and the codes it documents."));
        quote! {
            #doc
            pub static #static_name: Method = #description;
            #error
            #outcome
        }
    }

    fn description(&self, m: &Method) -> TokenStream {
        let interface = opt_str(m.interface.as_deref());
        let name = &m.name;
        let kind = ident(match m.kind {
            MethodKind::Method => "Method",
            MethodKind::Function => "Function",
            MethodKind::WriterFailureSet => "WriterFailureSet",
        });
        let rust_type = naming::error_type(m);
        let error_ty = ident(&rust_type);
        let seed = opt_str(m.seed_section.as_deref());
        let page = opt_str(m.doc_page.as_deref());
        let source = opt_str(m.source.as_deref());
        let returns_async = m.returns_async;
        let cancellable = match m.cancellable {
            Some(b) => quote! { Some(#b) },
            None => quote! { None },
        };
        let progress = m.progress.is_some();
        let entries = m.returns.iter().map(|e| self.entry(e));
        let status = m.status.iter().map(|e| self.entry(e));
        let facts = m.facts.iter().map(|f| {
            let kind = ident(&upper_camel(&f.kind));
            let other = opt_str(f.method.as_deref());
            let text = self.texts.id(&f.text);
            let src = &f.source;
            quote! { Fact { kind: FactKind::#kind, method: #other, text: #text, source: #src } }
        });
        let links = m.links.iter().map(|l| {
            let meth = &l.method;
            let param = &l.parameter;
            let dir = ident(&upper_camel(&l.direction));
            quote! { Link { method: #meth, parameter: #param, direction: LinkDirection::#dir } }
        });
        quote! {
            Method {
                interface: #interface,
                name: #name,
                kind: MethodKind::#kind,
                rust_type: #rust_type,
                seed_section: #seed,
                doc_page: #page,
                source: #source,
                returns_async: #returns_async,
                cancellable: #cancellable,
                reports_progress: #progress,
                entries: &[ #( #entries ),* ],
                status: &[ #( #status ),* ],
                facts: &[ #( #facts ),* ],
                links: &[ #( #links ),* ],
                classify: Classifier(classify_erased::<#error_ty>),
            }
        }
    }

    fn entry(&self, e: &Entry) -> TokenStream {
        let code = ident(&e.code);
        let outcome = opt_str(e.outcome.as_deref());
        let text = self.texts.id(&e.text);
        let async_only = e.async_only;
        let retry = match e.retry {
            Some(r) => {
                let (w, a) = (r.wait_seconds, r.max_attempts);
                quote! { Some(Retry { wait_seconds: #w, max_attempts: #a }) }
            }
            None => quote! { None },
        };
        let retry_note = match &e.retry_note {
            Some(n) => {
                let id = self.texts.id(n);
                quote! { Some(#id) }
            }
            None => quote! { None },
        };
        let notes = e.os_notes.iter().map(|n| {
            let vers = n.versions.iter().map(|v| ident(&self.versions[v.as_str()]));
            let from = n
                .supported_from
                .iter()
                .map(|v| ident(&self.versions[v.as_str()]));
            let fallback = match &n.fallback {
                Some(f) => {
                    let f = ident(f);
                    quote! { Some(Code::#f) }
                }
                None => quote! { None },
            };
            let text = self.texts.id(&n.text);
            quote! {
                OsNote {
                    versions: &[ #( WindowsVersion::#vers ),* ],
                    fallback: #fallback,
                    supported_from: &[ #( WindowsVersion::#from ),* ],
                    text: #text,
                }
            }
        });
        quote! {
            Entry {
                code: Code::#code,
                outcome: #outcome,
                text: #text,
                async_only: #async_only,
                retry: #retry,
                retry_note: #retry_note,
                os_notes: &[ #( #notes ),* ],
            }
        }
    }

    /// The fallback code of an entry, if an OS note names one.
    fn fallback<'e>(&self, e: &'e Entry) -> Option<&'e str> {
        e.os_notes.iter().find_map(|n| n.fallback.as_deref())
    }

    fn variant_doc(&self, m: &Method, e: &Entry) -> TokenStream {
        let code = self.code(&e.code);
        let mut s = format!(
            "`{}` ({}): {}",
            code.name,
            hex(code.value),
            doc_text(&e.text)
        );
        if let Some(r) = e.retry {
            s.push_str(&format!(
                "\n\nRetry advice: wait {} s, then try again, at most {} more times.",
                r.wait_seconds, r.max_attempts
            ));
        }
        if let Some(n) = &e.retry_note {
            s.push_str(&format!("\n\nNo timed retry: {}.", doc_text(n)));
        }
        if e.async_only {
            s.push_str(
                "\n\nOnly delivered through `IVssAsync::QueryStatus`, never by the call itself.",
            );
        }
        for n in &e.os_notes {
            let vers: Vec<&str> = n
                .versions
                .iter()
                .map(|v| {
                    self.version_names
                        .get(v.as_str())
                        .copied()
                        .unwrap_or(v.as_str())
                })
                .collect();
            match &n.fallback {
                Some(f) => s.push_str(&format!(
                    "\n\nOn {}: `{f}` is returned instead; it classifies as this variant with `fallback: true`.",
                    vers.join(", ")
                )),
                None => s.push_str(&format!("\n\nNot returned on {}.", vers.join(", "))),
            }
        }
        let _ = m;
        docs(&s)
    }

    fn error_enum(
        &self,
        m: &Method,
        static_name: &proc_macro2::Ident,
        failures: &[(usize, &Entry)],
        has_outcome: bool,
    ) -> TokenStream {
        let ty = ident(&naming::error_type(m));
        let q = m.qualified_name();
        let mut variants = Vec::new();
        let mut found: Vec<(u32, TokenStream)> = Vec::new();
        let mut to_arms = Vec::new();
        let mut index_arms = Vec::new();
        let mut positions: Vec<usize> = Vec::new();
        let mut fallback_pats = Vec::new();
        for (i, e) in failures {
            let code = self.code(&e.code);
            let v = ident(&code.variant);
            let doc = self.variant_doc(m, e);
            let alias = &code.name;
            let hr = hresult_lit(code.value);
            let i = *i;
            match self.fallback(e) {
                Some(f) => {
                    let fhr = hresult_lit(self.code(f).value);
                    variants.push(quote! {
                        #doc
                        #[doc(alias = #alias)]
                        #[doc(alias = #f)]
                        #v {
                            /// `true` when the older-Windows fallback code was returned.
                            fallback: bool
                        },
                    });
                    found.push((code.value, quote! { #ty::#v { fallback: false } }));
                    found.push((self.code(f).value, quote! { #ty::#v { fallback: true } }));
                    to_arms.push(quote! { Self::#v { fallback: false } => #hr, });
                    to_arms.push(quote! { Self::#v { fallback: true } => #fhr, });
                    let ordinal = positions.len();
                    positions.push(i);
                    index_arms.push(quote! { Self::#v { .. } => #ordinal, });
                    fallback_pats.push(quote! { Self::#v { fallback: true } });
                }
                None => {
                    variants.push(quote! { #doc #[doc(alias = #alias)] #v, });
                    found.push((code.value, quote! { #ty::#v }));
                    to_arms.push(quote! { Self::#v => #hr, });
                    let ordinal = positions.len();
                    positions.push(i);
                    index_arms.push(quote! { Self::#v => #ordinal, });
                }
            }
        }
        let count = positions.len();
        // The variant's ordinal, then its entry's position: two data lookups the compiler
        // keeps free of a branch per variant.
        let entry_index = if count == 0 {
            quote! {
                let Self::Other(_) = self;
                None
            }
        } else {
            quote! {
                const POSITIONS: [usize; #count] = [#( #positions ),*];
                let ordinal = match self {
                    #( #index_arms )*
                    Self::Other(_) => #count,
                };
                if ordinal < #count {
                    Some(POSITIONS[ordinal])
                } else {
                    None
                }
            }
        };
        let from_hresult = from_hresult_table(&ty, &found);
        let is_fallback = if fallback_pats.is_empty() {
            quote! { false }
        } else {
            quote! { matches!(self, #( #fallback_pats )|*) }
        };
        let what = match m.kind {
            MethodKind::WriterFailureSet => format!("Writer-failure codes of the set `{q}`."),
            _ => format!("Errors documented for `{q}`."),
        };
        let mut doc = format!("{what}\n\nEach variant is one documented failure code with the method's own text; `Other` keeps any other failure HRESULT.");
        for f in &m.facts {
            doc.push_str(&format!("\n\n{}", doc_text(&f.text)));
        }
        if m.returns_async {
            doc.push_str("\n\nThe method returns an `IVssAsync`; its `QueryStatus` delivers these codes too.");
        }
        let doc = docs(&doc);
        let outcome = if has_outcome {
            ident(&naming::outcome_type(m)).into_token_stream()
        } else {
            quote! { crate::error::Succeeded }
        };
        let other_doc = docs(&format!(
            "A failure HRESULT that `{q}` does not document, kept as is."
        ));
        quote! {
            #doc
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum #ty {
                #( #variants )*
                #other_doc
                Other(Undocumented),
            }

            impl #ty {
                /// The method (or writer-failure set) these codes belong to.
                pub const METHOD: &'static Method = &#static_name;

                #from_hresult

                /// The HRESULT this error stands for, exactly as it was returned.
                #[inline]
                pub const fn hresult(self) -> HRESULT {
                    match self {
                        #( #to_arms )*
                        Self::Other(u) => u.0,
                    }
                }

                /// Whether an older Windows version's fallback code was returned.
                #[inline]
                pub const fn is_fallback(self) -> bool {
                    #is_fallback
                }

                #[inline]
                const fn entry_index(self) -> Option<usize> {
                    #entry_index
                }
            }

            crate::error::method_error!(#ty, #outcome);
        }
    }

    fn outcome_enum(
        &self,
        m: &Method,
        static_name: &proc_macro2::Ident,
        successes: &[(usize, &Entry)],
    ) -> TokenStream {
        let ty = ident(&naming::outcome_type(m));
        let q = m.qualified_name();
        let documents_s_ok = successes.iter().any(|(_, e)| self.code(&e.code).value == 0);
        let mut variants = Vec::new();
        let mut from_arms = Vec::new();
        let mut to_arms = Vec::new();
        let mut index_arms = Vec::new();
        if !documents_s_ok {
            variants.push(quote! { /// `S_OK`: the call succeeded.
            #[doc(alias = "S_OK")] Ok, });
            from_arms.push(quote! { 0 => Some(Self::Ok), });
            to_arms.push(quote! { Self::Ok => HRESULT(0), });
            index_arms.push(quote! { Self::Ok => None, });
        }
        for (i, e) in successes {
            let code = self.code(&e.code);
            let v = ident(e.outcome.as_deref().unwrap_or("Ok"));
            let doc = self.variant_doc(m, e);
            let alias = &code.name;
            let value = hex_lit(code.value);
            let hr = hresult_lit(code.value);
            let i = *i;
            variants.push(quote! { #doc #[doc(alias = #alias)] #v, });
            from_arms.push(quote! { #value => Some(Self::#v), });
            to_arms.push(quote! { Self::#v => #hr, });
            index_arms.push(quote! { Self::#v => Some(#i), });
        }
        let doc = docs(&format!(
            "How `{q}` succeeded: its documented success codes carry meaning, so they are kept apart instead of folded into `Ok(())`."
        ));
        let other_doc = docs(&format!(
            "A success HRESULT that `{q}` does not document, kept as is."
        ));
        quote! {
            #doc
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum #ty {
                #( #variants )*
                #other_doc
                OtherSuccess(HRESULT),
            }

            impl #ty {
                /// Classifies a success HRESULT; `None` for failure codes.
                #[inline]
                pub const fn from_hresult(hr: HRESULT) -> Option<Self> {
                    match hr.0 as u32 {
                        #( #from_arms )*
                        v if v & 0x8000_0000 != 0 => None,
                        _ => Some(Self::OtherSuccess(hr)),
                    }
                }

                /// The HRESULT this outcome stands for.
                pub const fn hresult(self) -> HRESULT {
                    match self {
                        #( #to_arms )*
                        Self::OtherSuccess(hr) => hr,
                    }
                }

                /// The catalog entry documenting this outcome, if any.
                pub fn entry(self) -> Option<&'static Entry> {
                    let index: Option<usize> = match self {
                        #( #index_arms )*
                        Self::OtherSuccess(_) => None,
                    };
                    match index {
                        Some(i) => #static_name.entries.get(i),
                        None => None,
                    }
                }
            }

            crate::error::success_outcome!(#ty);
        }
    }
}

use quote::ToTokens;

/// `from_hresult` as a perfect hash of the documented failure values (`found`: each value and
/// the variant it classifies as): a multiply and a shift pick the one slot a documented value
/// can be in, one comparison confirms it. No branch depends on which code arrived, so a mix of
/// codes costs what a single code does (a `match` compiles to a tree of unpredictable branches).
fn from_hresult_table(ty: &proc_macro2::Ident, found: &[(u32, TokenStream)]) -> TokenStream {
    let values: Vec<u32> = found.iter().map(|(v, _)| *v).collect();
    let (multiplier, bits) = perfect_hash(&values);
    let size = 1usize << bits;
    let mut keys = vec![0u32; size];
    let mut slots: Vec<TokenStream> = vec![quote! { None }; size];
    for (value, variant) in found {
        let slot = slot_of(*value, multiplier, bits);
        keys[slot] = *value;
        slots[slot] = quote! { Some(#variant) };
    }
    let keys = keys.into_iter().map(hex_lit);
    let multiplier = hex_lit(multiplier);
    let shift = 32 - bits;
    quote! {
        /// Classifies a failure HRESULT; `None` for success codes.
        #[inline]
        pub const fn from_hresult(hr: HRESULT) -> Option<Self> {
            // Each documented value has its own slot (empty slots hold 0, which is `S_OK`,
            // and `None`); the shift keeps every slot in range.
            const KEYS: [u32; #size] = [#( #keys ),*];
            const FOUND: [Option<#ty>; #size] = [#( #slots ),*];
            let v = hr.0 as u32;
            let slot = (v.wrapping_mul(#multiplier) >> #shift) as usize;
            if KEYS[slot] == v {
                FOUND[slot]
            } else if v & 0x8000_0000 == 0 {
                None
            } else {
                Some(Self::Other(Undocumented(hr)))
            }
        }
    }
}

/// The slot of `value` in a table of `2^bits` slots.
fn slot_of(value: u32, multiplier: u32, bits: u32) -> usize {
    (value.wrapping_mul(multiplier) >> (32 - bits)) as usize
}

/// The first odd multiplier, in a fixed sequence, that gives every value its own slot, and the
/// table size (`2^bits`, at least 2) it needs: the same values always give the same table.
fn perfect_hash(values: &[u32]) -> (u32, u32) {
    let mut bits = values.len().max(2).next_power_of_two().trailing_zeros();
    let mut used = Vec::new();
    loop {
        let mut state: u32 = 0x9E37_79B9;
        for _ in 0..4096 {
            // xorshift32: a fixed, well-spread sequence of candidates.
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let multiplier = state | 1;
            used.clear();
            used.resize(1usize << bits, false);
            let distinct = values.iter().all(|&v| {
                let slot = slot_of(v, multiplier, bits);
                !std::mem::replace(&mut used[slot], true)
            });
            if distinct {
                return (multiplier, bits);
            }
        }
        bits += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_hash_gives_every_value_its_own_slot() {
        let sets: [&[u32]; 4] = [
            &[],
            &[0x8004_2306],
            &[
                0x8007_0005,
                0x8007_0057,
                0x8007_000E,
                0x8004_2301,
                0x8000_FFFF,
            ],
            &(0..40).map(|i| 0x8004_2300 + i).collect::<Vec<_>>(),
        ];
        for values in sets {
            let (m, bits) = perfect_hash(values);
            assert!(bits >= 1 && (1usize << bits) >= values.len());
            let mut slots: Vec<usize> = values.iter().map(|&v| slot_of(v, m, bits)).collect();
            slots.sort_unstable();
            slots.dedup();
            assert_eq!(slots.len(), values.len(), "{values:x?}");
            assert_eq!(perfect_hash(values), (m, bits), "deterministic");
        }
    }
}
