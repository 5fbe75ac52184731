//! Emits `com.rs`: the COM interface declarations (`#[windows_core::interface]`) of every
//! catalog interface that records its IID and vtable, with slots in header order.

use super::{docs, ident};
use crate::model::{Catalog, Interface};
use crate::naming::screaming_snake;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn emit(cat: &Catalog) -> TokenStream {
    let declared: Vec<&Interface> = cat
        .interfaces
        .iter()
        .filter(|i| i.iid.is_some() && !i.vtable.is_empty())
        .collect();
    let structs = crate::ctypes::structs_used(
        declared
            .iter()
            .flat_map(|i| &i.vtable)
            .flat_map(|s| &s.params)
            .map(|p| p.c_type.as_str()),
    )
    .into_iter()
    .map(ident);
    let items = declared.iter().map(|i| interface(i));
    // What rustc computes for these declarations, for the ABI oracle's test to compare.
    let iids = declared.iter().map(|i| {
        let n = ident(&i.name);
        let s = &i.name;
        quote! { (#s, <#n as windows_core::Interface>::IID) }
    });
    let slots = declared.iter().flat_map(|i| {
        let vtbl = ident(&format!("{}_Vtbl", i.name));
        let vtbl2 = vtbl.clone();
        let s = &i.name;
        let own = i.vtable.iter().map(move |slot| {
            let m = ident(&slot.name);
            let mname = &slot.name;
            quote! { (#s, #mname, core::mem::offset_of!(#vtbl, #m)) }
        });
        own.chain(core::iter::once(
            quote! { (#s, "", core::mem::size_of::<#vtbl2>()) },
        ))
    });
    quote! {
        #![doc = " COM interface declarations in vtable order, generated from the catalog's header declarations."]
        #![allow(non_snake_case, non_camel_case_types, missing_docs, clippy::too_many_arguments)]
        use crate::com::types::{ #( #structs ),* };
        use windows_core::{IUnknown, IUnknown_Vtbl, GUID, HRESULT};

        /// Byte offset of own slot `n` in a vtable whose base part is `base` bytes long.
        // Used only by the anonymous consts below, which the dead-code lint of the oldest
        // supported Rust does not count as uses.
        #[allow(dead_code)]
        const fn slot_offset(base: usize, n: usize) -> usize {
            base + n * core::mem::size_of::<usize>()
        }

        #( #items )*

        /// Every declared interface's IID, as `windows_core::Interface::IID` gives it.
        #[doc(hidden)]
        pub const IIDS: &[(&str, GUID)] = &[ #( #iids ),* ];

        /// `(interface, slot, byte offset)` for every slot, and `(interface, "", vtable size)`,
        /// as rustc lays out these declarations.
        #[doc(hidden)]
        pub const VTABLE_LAYOUT: &[(&str, &str, usize)] = &[ #( #slots ),* ];
    }
}

fn interface(i: &Interface) -> TokenStream {
    let name = ident(&i.name);
    let iid = i.iid.clone().unwrap_or_default();
    // No `extends`: a C++ interface whose vtable starts with its own slots (no IUnknown).
    // Validation guarantees a base other than IUnknown has its vtable declared too.
    let parent = i.extends.as_deref().map(ident);
    let header = i.header.as_deref().unwrap_or("the SDK");
    let doc = docs(&format!(
        "`{}` as declared in {header} (IID `{iid}`); slots in vtable order.",
        i.name
    ));
    let methods = i.vtable.iter().map(|s| {
        let m = ident(&s.name);
        let params = s.params.iter().map(|p| {
            let pname = ident(&crate::naming::param_name(&p.name));
            let ty: syn::Type = syn::parse_str(
                &crate::ctypes::rust_type(p).unwrap_or_else(|| "*mut core::ffi::c_void".into()),
            )
            .unwrap_or_else(|_| syn::parse_quote!(*mut core::ffi::c_void));
            quote! { #pname: #ty }
        });
        let d = docs(&format!("`{}`", s.decl));
        quote! { #d fn #m(&self, #( #params ),*) -> HRESULT; }
    });
    let vtbl = ident(&format!("{}_Vtbl", i.name));
    let base_size = match &parent {
        Some(p) => {
            let parent_vtbl = ident(&format!("{p}_Vtbl"));
            quote! { core::mem::size_of::<#parent_vtbl>() }
        }
        None => quote! { 0 },
    };
    let pins = i.vtable.iter().enumerate().map(|(n, s)| {
        let m = ident(&s.name);
        quote! {
            assert!(core::mem::offset_of!(#vtbl, #m) == slot_offset(#base_size, #n));
        }
    });
    let bound = parent.as_ref().map(|p| quote! { : #p });
    let slots_name = ident(&format!("{}_SLOTS", screaming_snake(&i.name)));
    let slot_names = i.vtable.iter().map(|s| &s.name);
    let slots_doc = docs(&format!(
        "The names of `{}`'s own slots in vtable order (after its base interface's).",
        i.name
    ));
    quote! {
        #doc
        #[windows_core::interface(#iid)]
        pub unsafe trait #name #bound {
            #( #methods )*
        }

        #slots_doc
        pub const #slots_name: &[&str] = &[ #( #slot_names ),* ];

        // Every slot sits at its header position: a wrong slot would call the wrong method.
        const _: () = {
            #( #pins )*
        };
    }
}
