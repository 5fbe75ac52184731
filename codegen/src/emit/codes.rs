//! Emits `codes.rs`: the `Code` constants, their table, the family and Windows-version enums,
//! and lookups by value.

use super::{docs, hex_lit, ident};
use crate::model::Catalog;
use crate::naming::upper_camel;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

pub(crate) fn emit(cat: &Catalog, _texts: &super::texts::Texts) -> TokenStream {
    let families: BTreeSet<&str> = cat.codes.iter().map(|c| c.family.as_str()).collect();
    let fam_idents: Vec<_> = families.iter().map(|f| ident(&upper_camel(f))).collect();
    let fam_names: Vec<_> = families.iter().collect();
    let fam_docs: Vec<_> = families
        .iter()
        .map(|f| docs(&format!("Codes of the `{f}` family.")))
        .collect();

    let ver_idents: Vec<_> = cat
        .versions
        .iter()
        .map(|v| ident(&upper_camel(&v.id)))
        .collect();
    let ver_ids: Vec<_> = cat.versions.iter().map(|v| &v.id).collect();
    let ver_names: Vec<_> = cat.versions.iter().map(|v| &v.name).collect();
    let ver_docs: Vec<_> = cat
        .versions
        .iter()
        .map(|v| docs(&super::doc_text(&v.name)))
        .collect();

    let mut consts = Vec::new();
    let mut infos = Vec::new();
    let mut lookup_arms = Vec::new();
    let mut by_value: BTreeMap<u32, Vec<TokenStream>> = BTreeMap::new();
    for (i, c) in cat.codes.iter().enumerate() {
        let name = ident(&c.name);
        let idx = i as u16;
        let doc = docs(&format!(
            "`{}` ({}, family `{}`): {}",
            c.name,
            crate::json::hex(c.value),
            c.family,
            super::doc_text(&c.summary)
        ));
        consts.push(quote! { #doc pub const #name: Code = Code(#idx); });
        let value = hex_lit(c.value);
        let fam = ident(&upper_camel(&c.family));
        let cname = &c.name;
        let summary = &c.summary;
        let header = opt_str(c.header.as_deref());
        let io_kind = ident(c.io_kind.as_deref().unwrap_or("Other"));
        let discrepancies = c.discrepancies.iter().map(|d| {
            let source = &d.source;
            let dv = hex_lit(d.documented_value);
            quote! { Discrepancy { source: #source, documented_value: #dv } }
        });
        infos.push(quote! {
            CodeInfo {
                name: #cname,
                value: #value,
                family: Family::#fam,
                summary: #summary,
                header: #header,
                io_kind: ErrorKind::#io_kind,
                discrepancies: &[ #( #discrepancies ),* ],
            }
        });
        lookup_arms.push(quote! { (Family::#fam, #value) => Some(Code::#name), });
        by_value
            .entry(c.value)
            .or_default()
            .push(quote! { Code::#name });
    }
    let n = cat.codes.len();
    let all: Vec<_> = cat.codes.iter().map(|c| ident(&c.name)).collect();
    let facility_arms = crate::docs::FACILITIES.iter().map(|(number, name)| {
        let number = proc_macro2::Literal::u16_unsuffixed(*number);
        quote! { #number => Some(#name), }
    });
    let reading_arms = by_value.iter().map(|(v, codes)| {
        let v = hex_lit(*v);
        quote! { #v => &[ #( #codes ),* ], }
    });

    quote! {
        #![doc = " The catalog's codes, families and Windows versions."]
        use crate::catalog::{CodeInfo, Discrepancy};
        use crate::code::Code;
        use std::io::ErrorKind;

        /// The interface family a code belongs to. FACILITY_ITF values mean something only
        /// relative to their family: `0x80042409` is one code in `Vss` and another in `Vds`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Family {
            #( #fam_docs #fam_idents, )*
        }

        impl Family {
            /// Every family, in name order.
            pub const ALL: &'static [Family] = &[ #( Family::#fam_idents ),* ];

            /// The family's name as the catalog writes it (`vss`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    #( Family::#fam_idents => #fam_names, )*
                }
            }
        }

        /// A Windows version named by an OS note, oldest first.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum WindowsVersion {
            #( #ver_docs #ver_idents, )*
        }

        impl WindowsVersion {
            /// Every version, oldest first.
            pub const ALL: &'static [WindowsVersion] = &[ #( WindowsVersion::#ver_idents ),* ];

            /// The catalog's id (`windows-server-2008-r2`).
            pub const fn id(self) -> &'static str {
                match self {
                    #( WindowsVersion::#ver_idents => #ver_ids, )*
                }
            }

            /// The display name (`Windows Server 2008 R2`).
            pub const fn name(self) -> &'static str {
                match self {
                    #( WindowsVersion::#ver_idents => #ver_names, )*
                }
            }
        }

        #[allow(missing_docs)]
        impl Code {
            #( #consts )*

            /// Every code of the catalog, by family and value.
            pub const ALL: &'static [Code] = &[ #( Code::#all ),* ];
        }

        pub(crate) static CODES: [CodeInfo; #n] = [ #( #infos ),* ];

        /// The code with this value within a family.
        #[inline]
        pub(crate) const fn lookup(family: Family, value: u32) -> Option<Code> {
            match (family, value) {
                #( #lookup_arms )*
                _ => None,
            }
        }

        /// `FACILITY_…` name of an HRESULT facility number, where winerror.h names it.
        pub const fn facility_name(facility: u16) -> Option<&'static str> {
            match facility {
                #( #facility_arms )*
                _ => None,
            }
        }

        /// Every code with this value, one per family that defines it.
        #[inline]
        pub(crate) const fn readings(value: u32) -> &'static [Code] {
            match value {
                #( #reading_arms )*
                _ => &[],
            }
        }
    }
}

pub(crate) fn opt_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote! { Some(#s) },
        None => quote! { None },
    }
}
