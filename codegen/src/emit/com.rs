//! Emits the COM interface declarations of every catalog interface that records its IID and
//! vtable, slots in header order, in two forms: `com.rs`, what a requester calls through (a
//! `#[repr(transparent)]` pointer type and a `#[repr(C)]` vtable per interface, on the crate's
//! own `IUnknown`, no proc macro), and `com_impl.rs`, the same interfaces declared with
//! `#[windows_core::interface]` for the fault-injecting VSS to implement, compiled only with
//! its `fake` feature and checked slot by slot against the first.

use super::{docs, ident};
use crate::model::{Catalog, Interface};
use crate::naming::screaming_snake;
use proc_macro2::TokenStream;
use quote::quote;

/// The interfaces that get declarations: those with an IID and a vtable.
fn declared(cat: &Catalog) -> Vec<&Interface> {
    cat.interfaces
        .iter()
        .filter(|i| i.iid.is_some() && !i.vtable.is_empty())
        .collect()
}

/// `use crate::com::types::{…}` for the structures the declarations pass.
fn struct_imports(declared: &[&Interface]) -> TokenStream {
    let structs = crate::ctypes::structs_used(
        declared
            .iter()
            .flat_map(|i| &i.vtable)
            .flat_map(|s| &s.params)
            .map(|p| p.c_type.as_str()),
    )
    .into_iter()
    .map(ident);
    quote! { use crate::com::types::{ #( #structs ),* }; }
}

/// The slot's parameters as `name: Type`.
fn params(s: &crate::model::Slot) -> Vec<TokenStream> {
    s.params
        .iter()
        .map(|p| {
            let pname = ident(&crate::naming::param_name(&p.name));
            let ty: syn::Type = syn::parse_str(
                &crate::ctypes::rust_type(p).unwrap_or_else(|| "*mut core::ffi::c_void".into()),
            )
            .unwrap_or_else(|_| syn::parse_quote!(*mut core::ffi::c_void));
            quote! { #pname: #ty }
        })
        .collect()
}

/// The IID as a `u128` literal (`0x665c1d5f_c218_414d_a05d_7fef5f9d5c86`); validation
/// guarantees the 8-4-4-4-12 hex form.
fn iid_literal(iid: &str) -> TokenStream {
    let lit = syn::LitInt::new(
        &format!("0x{}", iid.to_ascii_lowercase().replace('-', "_")),
        proc_macro2::Span::call_site(),
    );
    quote! { #lit }
}

pub(crate) fn emit(cat: &Catalog) -> TokenStream {
    let declared = declared(cat);
    let structs = struct_imports(&declared);
    let items = declared.iter().map(|i| interface(i));
    // What rustc computes for these declarations, for the ABI oracle's test to compare.
    let iids = declared.iter().map(|i| {
        let n = ident(&i.name);
        let s = &i.name;
        quote! { (#s, <#n as Interface>::IID) }
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
        #structs
        use crate::com::unknown::{Borrowed, IUnknown, IUnknown_Vtbl, Interface};
        use crate::com::GUID;
        use core::ffi::c_void;
        use windows_result::HRESULT;

        /// Byte offset of own slot `n` in a vtable whose base part is `base` bytes long.
        // Used only by the anonymous consts below, which the dead-code lint of the oldest
        // supported Rust does not count as uses.
        #[allow(dead_code)]
        const fn slot_offset(base: usize, n: usize) -> usize {
            base + n * core::mem::size_of::<usize>()
        }

        #( #items )*

        /// Every declared interface's IID, as `Interface::IID` gives it.
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
    let iid_value = iid_literal(&iid);
    // No `extends`: a C++ interface whose vtable starts with its own slots (no IUnknown).
    // Validation guarantees a base other than IUnknown has its vtable declared too.
    let parent = i.extends.as_deref().map(ident);
    let header = i.header.as_deref().unwrap_or("the SDK");
    let doc = docs(&format!(
        "`{}` as declared in {header} (IID `{iid}`): the interface pointer; its slots are the fields of [`{}_Vtbl`].",
        i.name, i.name
    ));
    let vtbl = ident(&format!("{}_Vtbl", i.name));
    let vtbl_doc = docs(&format!(
        "`{}`'s vtable: {}its own slots in header order.",
        i.name,
        match &parent {
            Some(p) => format!("`{p}`'s, then "),
            None => String::new(),
        }
    ));
    let fields = i.vtable.iter().map(|s| {
        let m = ident(&s.name);
        let params = params(s);
        let d = docs(&format!("`{}`", s.decl));
        quote! { #d pub #m: unsafe extern "system" fn(this: *mut c_void, #( #params ),*) -> HRESULT, }
    });
    let (base_field, base_size) = match &parent {
        Some(p) => {
            let parent_vtbl = ident(&format!("{p}_Vtbl"));
            (
                quote! { pub base__: #parent_vtbl, },
                quote! { core::mem::size_of::<#parent_vtbl>() },
            )
        }
        None => (quote! {}, quote! { 0 }),
    };
    let pins = i.vtable.iter().enumerate().map(|(n, s)| {
        let m = ident(&s.name);
        quote! {
            assert!(core::mem::offset_of!(#vtbl, #m) == slot_offset(#base_size, #n));
        }
    });
    // An IUnknown-based interface owns a reference; one without IUnknown is a plain pointer
    // kept alive by whoever handed it out.
    let (inner, into_raw) = match &parent {
        Some(_) => (quote! { IUnknown }, quote! { self.0.into_raw() }),
        None => (quote! { Borrowed }, quote! { self.0.as_raw() }),
    };
    let deref = parent.as_ref().map(|p| {
        let body = if p == "IUnknown" {
            quote! { &self.0 }
        } else {
            quote! {
                // SAFETY: both are `#[repr(transparent)]` over the same object pointer, and
                // this interface's vtable begins with the base interface's.
                unsafe { &*(self as *const Self as *const #p) }
            }
        };
        quote! {
            impl core::ops::Deref for #name {
                type Target = #p;
                fn deref(&self) -> &#p {
                    #body
                }
            }
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
        #[repr(transparent)]
        #[derive(Clone, PartialEq, Eq, Debug)]
        pub struct #name(#inner);

        #vtbl_doc
        #[repr(C)]
        pub struct #vtbl {
            #base_field
            #( #fields )*
        }

        // SAFETY: one object pointer, and the vtable is the header's (pinned below and by the
        // ABI oracle).
        unsafe impl Interface for #name {
            type Vtable = #vtbl;
            const IID: GUID = GUID::from_u128(#iid_value);
            fn as_raw(&self) -> *mut c_void {
                self.0.as_raw()
            }
            unsafe fn from_raw(raw: *mut c_void) -> Self {
                // SAFETY: as the caller guarantees.
                #name(unsafe { #inner::from_raw(raw) })
            }
            fn into_raw(self) -> *mut c_void {
                #into_raw
            }
        }

        #deref

        #slots_doc
        pub const #slots_name: &[&str] = &[ #( #slot_names ),* ];

        // Every slot sits at its header position: a wrong slot would call the wrong method.
        const _: () = {
            #( #pins )*
        };
    }
}

/// `com_impl.rs`: the declarations with `#[windows_core::interface]`, whose `_Impl` traits
/// and vtable constructors the fault-injecting VSS implements. Each is pinned to its `com.rs`
/// twin (same IID, same slot offsets, same vtable size), so an object made here is called
/// correctly through the other, and converts into it with `From`.
pub(crate) fn emit_impl(cat: &Catalog) -> TokenStream {
    let declared = declared(cat);
    let structs = struct_imports(&declared);
    let items = declared.iter().map(|i| impl_interface(i));
    quote! {
        #![doc = " The COM interfaces as the fault-injecting VSS implements them (`#[windows_core::interface]`), pinned to the declarations in `com.rs`."]
        #![allow(non_snake_case, non_camel_case_types, missing_docs, clippy::too_many_arguments)]
        #structs
        use crate::com::GUID;
        use windows_core::{IUnknown, IUnknown_Vtbl};
        use windows_result::HRESULT;

        #( #items )*
    }
}

fn impl_interface(i: &Interface) -> TokenStream {
    let name = ident(&i.name);
    let iid = i.iid.clone().unwrap_or_default();
    let parent = i.extends.as_deref().map(ident);
    let doc = docs(&format!("`{}`, to implement.", i.name));
    let methods = i.vtable.iter().map(|s| {
        let m = ident(&s.name);
        let params = params(s);
        quote! { fn #m(&self, #( #params ),*) -> HRESULT; }
    });
    let vtbl = ident(&format!("{}_Vtbl", i.name));
    let pins = i.vtable.iter().map(|s| {
        let m = ident(&s.name);
        quote! {
            assert!(core::mem::offset_of!(#vtbl, #m) == core::mem::offset_of!(crate::com::#vtbl, #m));
        }
    });
    let bound = parent.as_ref().map(|p| quote! { : #p });
    quote! {
        #doc
        #[windows_core::interface(#iid)]
        pub unsafe trait #name #bound {
            #( #methods )*
        }

        const _: () = {
            assert!(
                <#name as windows_core::Interface>::IID.to_u128()
                    == <crate::com::#name as crate::com::Interface>::IID.to_u128()
            );
            assert!(core::mem::size_of::<#vtbl>() == core::mem::size_of::<crate::com::#vtbl>());
            #( #pins )*
        };

        /// The object as requesters call it, with its one reference.
        impl From<#name> for crate::com::#name {
            fn from(object: #name) -> Self {
                // SAFETY: one live object pointer and the reference it holds pass over to the
                // same interface's other declaration, pinned above to this one's layout.
                unsafe {
                    <crate::com::#name as crate::com::Interface>::from_raw(
                        windows_core::Interface::into_raw(object),
                    )
                }
            }
        }
    }
}
