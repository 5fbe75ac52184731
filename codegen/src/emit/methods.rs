//! Emits `methods.rs`: one `static` [`Method`] description per catalog method, and per method
//! its error enum (documented failure codes plus one lossless `Other`) and, where success
//! codes carry meaning, its outcome enum.

use super::codes::opt_str;
use super::texts::Texts;
use super::{doc_text, docs, hex_lit, hresult_lit, ident};
use crate::json::hex;
use crate::model::{Catalog, Code, Entry, Method, MethodKind, OsNote};
use crate::naming::{self, upper_camel};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, HashMap};

/// What `methods.rs` is made of: a head (imports and the `METHODS` index) and one group of
/// items per method, emitted and formatted independently so the groups can be spread over
/// threads; the file is the head followed by the groups in catalog order.
pub(crate) struct Methods<'a> {
    cat: &'a Catalog,
    cx: Cx<'a>,
}

impl<'a> Methods<'a> {
    pub(crate) fn new(cat: &'a Catalog, texts: &'a Texts<'a>) -> Methods<'a> {
        let codes = cat.codes.iter().map(|c| (c.name.as_str(), c)).collect();
        let versions = cat
            .versions
            .iter()
            .map(|v| (v.id.as_str(), upper_camel(&v.id)))
            .collect();
        let version_names = cat
            .versions
            .iter()
            .map(|v| (v.id.as_str(), v.name.as_str()))
            .collect();
        // Lists of OS notes that entries share are stored once, in order of first use.
        let mut os_notes = HashMap::new();
        let mut shared_notes = Vec::new();
        for e in cat
            .methods
            .iter()
            .flat_map(|m| m.returns.iter().chain(&m.status))
        {
            if !e.os_notes.is_empty() {
                os_notes.entry(note_key(&e.os_notes)).or_insert_with(|| {
                    shared_notes.push(e.os_notes.as_slice());
                    shared_notes.len() - 1
                });
            }
        }
        Methods {
            cat,
            cx: Cx {
                codes,
                versions,
                version_names,
                texts,
                os_notes,
                shared_notes,
            },
        }
    }

    /// How many method groups there are.
    pub(crate) fn len(&self) -> usize {
        self.cat.methods.len()
    }

    /// The file's inner attributes, imports and the index of every method.
    pub(crate) fn head(&self) -> TokenStream {
        let statics: Vec<_> = self
            .cat
            .methods
            .iter()
            .map(|m| ident(&naming::method_static(m)))
            .collect();
        let types: Vec<_> = self
            .cat
            .methods
            .iter()
            .map(|m| ident(&naming::error_type(m)))
            .collect();
        let notes = self.cx.shared_notes.iter().enumerate().map(|(i, notes)| {
            let name = os_notes_static(i);
            let count = unsuffixed(notes.len());
            let doc = docs(&format!(
                "Notes on Windows versions shared by entries: {}",
                notes
                    .iter()
                    .map(|n| self.cx.note_summary(n))
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
            let notes = notes.iter().map(|n| self.cx.os_note(n));
            quote! {
                #doc
                static #name: [OsNote; #count] = [ #( #notes ),* ];
            }
        });
        quote! {
            #![doc = " Every method of the catalog: its description and its typed errors."]
            #![allow(clippy::too_many_lines, clippy::match_same_arms)]
            use crate::catalog::{Entry, Fact, FactKind, Link, LinkDirection, Method, MethodKind, OsNote, TextId};
            use crate::code::Code;
            use crate::error::Undocumented;
            use crate::generated::codes::WindowsVersion;
            use crate::lookup::ErrorTable;
            use windows_result::HRESULT;

            /// Every method, free function and writer-failure set of the catalog.
            pub static METHODS: &[&Method] = &[ #( &#statics ),* ];

            /// Each method's typed classification, erased, in the order of `METHODS`: what
            /// the tests compare `Method::classify` with.
            #[cfg(test)]
            pub(crate) static TYPED_CLASSIFY: &[crate::error::Classify] =
                &[ #( crate::error::erase::<#types> ),* ];

            #( #notes )*
        }
    }

    /// The items of method `index`: its description, error enum and outcome enum.
    pub(crate) fn group(&self, index: usize) -> TokenStream {
        match self.cat.methods.get(index) {
            Some(m) => self.cx.method(m),
            None => TokenStream::new(),
        }
    }
}

struct Cx<'a> {
    /// Lookups only (never iterated), so hashed: the output does not depend on their order.
    codes: HashMap<&'a str, &'a Code>,
    versions: BTreeMap<&'a str, String>,
    version_names: BTreeMap<&'a str, &'a str>,
    texts: &'a Texts<'a>,
    /// Each distinct list of OS notes and its index in `shared_notes`.
    os_notes: HashMap<Vec<NoteKey<'a>>, usize>,
    shared_notes: Vec<&'a [OsNote]>,
}

/// What makes two OS notes the same: versions, fallback, supported-from versions and text.
type NoteKey<'a> = (&'a [String], Option<&'a str>, &'a [String], &'a str);

fn note_key(notes: &[OsNote]) -> Vec<NoteKey<'_>> {
    notes
        .iter()
        .map(|n| {
            (
                n.versions.as_slice(),
                n.fallback.as_deref(),
                n.supported_from.as_slice(),
                n.text.as_str(),
            )
        })
        .collect()
}

/// The static holding shared OS-note list `index`.
fn os_notes_static(index: usize) -> proc_macro2::Ident {
    ident(&format!("OS_NOTES_{index}"))
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
            }
        }
    }

    /// An entry as its builder chain: the code and text, then each documented detail.
    fn entry(&self, e: &Entry) -> TokenStream {
        let code = ident(&e.code);
        let text = self.texts.id(&e.text);
        let mut chain = quote! { Entry::new(Code::#code, #text) };
        if let Some(o) = &e.outcome {
            chain.extend(quote! { .with_outcome(#o) });
        }
        if e.async_only {
            chain.extend(quote! { .with_async_only() });
        }
        if let Some(r) = e.retry {
            let (w, a) = (unsuffixed(r.wait_seconds), unsuffixed(r.max_attempts));
            chain.extend(quote! { .with_retry(#w, #a) });
        }
        if let Some(n) = &e.retry_note {
            let id = self.texts.id(n);
            chain.extend(quote! { .with_retry_note(#id) });
        }
        if let Some(index) = self.os_notes.get(&note_key(&e.os_notes)) {
            let name = os_notes_static(*index);
            chain.extend(quote! { .with_os_notes(&#name) });
        }
        chain
    }

    fn os_note(&self, n: &OsNote) -> TokenStream {
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
            OsNote::new(
                &[ #( WindowsVersion::#vers ),* ],
                #fallback,
                &[ #( WindowsVersion::#from ),* ],
                #text,
            )
        }
    }

    /// A note in the words of the variant docs.
    fn note_summary(&self, n: &OsNote) -> String {
        let vers = self.version_list(n);
        match &n.fallback {
            Some(f) => format!("on {vers}, `{f}` is returned instead."),
            None => format!("not returned on {vers}."),
        }
    }

    /// The note's Windows versions by name, `Windows Server 2003, Windows XP`.
    fn version_list(&self, n: &OsNote) -> String {
        let names: Vec<&str> = n
            .versions
            .iter()
            .map(|v| {
                self.version_names
                    .get(v.as_str())
                    .copied()
                    .unwrap_or(v.as_str())
            })
            .collect();
        names.join(", ")
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
            let vers = self.version_list(n);
            match &n.fallback {
                Some(f) => s.push_str(&format!(
                    "\n\nOn {vers}: `{f}` is returned instead; it classifies as this variant with `fallback: true`."
                )),
                None => s.push_str(&format!("\n\nNot returned on {vers}.")),
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
        // The table's rows follow the variants; fallback codes point at their variant.
        let mut rows: Vec<(u32, TokenStream, usize)> = Vec::new();
        let mut fallbacks: Vec<(u32, TokenStream, usize)> = Vec::new();
        let mut ordinal_arms = Vec::new();
        let mut fallback_variants = Vec::new();
        for (i, e) in failures {
            let code = self.code(&e.code);
            let v = ident(&code.variant);
            let doc = self.variant_doc(m, e);
            let alias = &code.name;
            let ordinal = rows.len();
            let ordinal_lit = unsuffixed(ordinal);
            match self.fallback(e) {
                Some(f) => {
                    variants.push(quote! {
                        #doc
                        #[doc(alias = #alias)]
                        #[doc(alias = #f)]
                        #v {
                            /// `true` when the older-Windows fallback code was returned.
                            fallback: bool
                        },
                    });
                    rows.push((code.value, quote! { Self::#v { fallback: false } }, *i));
                    fallbacks.push((
                        self.code(f).value,
                        quote! { Self::#v { fallback: true } },
                        ordinal,
                    ));
                    ordinal_arms.push(quote! { Self::#v { .. } => #ordinal_lit, });
                    fallback_variants.push(v.clone());
                }
                None => {
                    variants.push(quote! { #doc #[doc(alias = #alias)] #v, });
                    rows.push((code.value, quote! { Self::#v }, *i));
                    ordinal_arms.push(quote! { Self::#v => #ordinal_lit, });
                }
            }
        }
        // `ordinal()` gives each variant its place (`Other` last), which `TABLE`'s rows follow,
        // so it compiles to reading the discriminant.
        let count = unsuffixed(rows.len());
        let table = error_table(&rows, &fallbacks);
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
        let decl = enum_decl(
            doc,
            &ty,
            &variants,
            other_doc,
            quote! { Other(Undocumented) },
        );
        quote! {
            #decl

            impl #ty {
                #table

                #[inline]
                const fn ordinal(self) -> usize {
                    match self {
                        #( #ordinal_arms )*
                        Self::Other(_) => #count,
                    }
                }
            }

            crate::error::method_error!(#ty, #outcome, #static_name, [#( #fallback_variants ),*]);
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
            let i = unsuffixed(*i);
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
        let decl = enum_decl(
            doc,
            &ty,
            &variants,
            other_doc,
            quote! { OtherSuccess(HRESULT) },
        );
        quote! {
            #decl

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

/// A generated error or outcome enum: its documented variants, then the one that keeps any
/// other code (`other`, documented by `other_doc`).
fn enum_decl(
    doc: TokenStream,
    ty: &proc_macro2::Ident,
    variants: &[TokenStream],
    other_doc: TokenStream,
    other: TokenStream,
) -> TokenStream {
    quote! {
        #doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #ty {
            #( #variants )*
            #other_doc
            #other,
        }
    }
}

/// The error type's `TABLE`: each variant's value, what it classifies as and its entry's index,
/// then each fallback value with what it classifies as and its variant's ordinal, and the
/// perfect-hash multiplier found here. The runtime places the values in const evaluation, so
/// `from_hresult` is a multiply, a shift and one comparison: no branch depends on which code
/// arrived (a `match` compiles to a tree of unpredictable branches).
fn error_table(
    rows: &[(u32, TokenStream, usize)],
    fallbacks: &[(u32, TokenStream, usize)],
) -> TokenStream {
    let values: Vec<u32> = rows.iter().chain(fallbacks).map(|(v, _, _)| *v).collect();
    let (multiplier, bits) = perfect_hash(&values);
    let row = |(value, variant, index): &(u32, TokenStream, usize)| {
        let value = hex_lit(*value);
        let index = unsuffixed(*index);
        quote! { (#variant, #value, #index) }
    };
    let count = unsuffixed(rows.len());
    let fallback_count = unsuffixed(fallbacks.len());
    let size = unsuffixed(1usize << bits);
    let rows = rows.iter().map(row);
    let fallbacks = fallbacks.iter().map(row);
    let multiplier = hex_lit(multiplier);
    quote! {
        const TABLE: ErrorTable<Self, #count, #fallback_count, #size> = ErrorTable::new(
            [ #( #rows ),* ],
            [ #( #fallbacks ),* ],
            #multiplier,
            Self::METHOD.entries,
            Self::Other(Undocumented(HRESULT(0))),
        );
    }
}

/// An integer literal without a type suffix.
fn unsuffixed<T: TryInto<u64>>(n: T) -> proc_macro2::Literal {
    proc_macro2::Literal::u64_unsuffixed(n.try_into().unwrap_or(u64::MAX))
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
