//! Emits `com.rs`: the COM interface declarations (`#[windows_core::interface]`) of every
//! catalog interface that records its IID and vtable, with slots in header order.

use super::{docs, ident};
use crate::model::{Catalog, Interface};
use crate::naming::screaming_snake;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn emit(cat: &Catalog) -> TokenStream {
    let items = cat
        .interfaces
        .iter()
        .filter(|i| i.iid.is_some() && !i.vtable.is_empty())
        .map(|i| interface(cat, i));
    quote! {
        #![doc = " COM interface declarations in vtable order, generated from the catalog's header declarations."]
        #![allow(non_snake_case, missing_docs, clippy::too_many_arguments)]
        use crate::com::types::{VssObjectProp, VssSnapshotProp};
        use windows_core::{IUnknown, IUnknown_Vtbl, GUID, HRESULT};

        /// Byte offset of own slot `n` in a vtable whose base part is `base` bytes long.
        const fn slot_offset(base: usize, n: usize) -> usize {
            base + n * core::mem::size_of::<usize>()
        }

        #( #items )*
    }
}

fn interface(cat: &Catalog, i: &Interface) -> TokenStream {
    let name = ident(&i.name);
    let iid = i.iid.clone().unwrap_or_default();
    let parent = match &i.extends {
        Some(p)
            if p != "IUnknown"
                && cat
                    .interfaces
                    .iter()
                    .any(|o| &o.name == p && !o.vtable.is_empty()) =>
        {
            ident(p)
        }
        _ => ident("IUnknown"),
    };
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
    let parent_vtbl = ident(&format!("{parent}_Vtbl"));
    let pins = i.vtable.iter().enumerate().map(|(n, s)| {
        let m = ident(&s.name);
        quote! {
            assert!(core::mem::offset_of!(#vtbl, #m) == slot_offset(core::mem::size_of::<#parent_vtbl>(), #n));
        }
    });
    let slots_name = ident(&format!("{}_SLOTS", screaming_snake(&i.name)));
    let slot_names = i.vtable.iter().map(|s| &s.name);
    let slots_doc = docs(&format!(
        "The names of `{}`'s own slots in vtable order (after its base interface's).",
        i.name
    ));
    quote! {
        #doc
        #[windows_core::interface(#iid)]
        pub unsafe trait #name: #parent {
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
