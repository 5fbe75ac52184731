//! Emits `wrappers.rs`: the safe wrapper of every vtable slot that `crate::wrappers` plans
//! as generated: owned arguments in, each slot called directly through `raw::slot!` (the one
//! place with `unsafe`), every string and interface it returns taken over and freed, and the
//! HRESULT classified by the method's own error type.

use super::{docs, ident};
use crate::model::{Catalog, Interface, Method, MethodKind};
use crate::naming;
use crate::wrappers::{family, plan, Arg, In, Out, Plan};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

pub(crate) fn emit(cat: &Catalog) -> TokenStream {
    // Methods grouped by the Rust type they belong to, in catalog order.
    let mut by_type: BTreeMap<&str, Vec<TokenStream>> = BTreeMap::new();
    for i in cat
        .interfaces
        .iter()
        .filter(|i| i.iid.is_some() && !i.vtable.is_empty())
    {
        let Some((ty, held)) = family(&i.name) else {
            continue;
        };
        for s in &i.vtable {
            let Plan::Generated { function, args } = plan(i, s) else {
                continue;
            };
            let Some(m) = cat.methods.iter().find(|m| {
                m.kind == MethodKind::Method
                    && m.interface.as_deref() == Some(i.name.as_str())
                    && m.name == s.name
            }) else {
                continue;
            };
            by_type
                .entry(ty)
                .or_default()
                .push(wrapper(cat, i, held, m, &s.decl, &function, &args));
        }
    }
    let impls = by_type.iter().map(|(ty, fns)| {
        let ty = ident(ty);
        quote! {
            impl crate::com::#ty {
                #( #fns )*
            }
        }
    });
    quote! {
        #![doc = " The generated safe wrappers: one function per vtable slot that needs no hand-written model."]
        #![allow(clippy::too_many_arguments, clippy::type_complexity, clippy::needless_question_mark)]
        use crate::com::raw::marshal as m;
        use crate::com::raw::slot;
        use crate::error::MethodError;
        use crate::com::{Interface, GUID};
        use windows_result::HRESULT;

        #( #impls )*
    }
}

fn has_outcome(cat: &Catalog, m: &Method) -> bool {
    m.returns.iter().any(|e| {
        cat.codes
            .iter()
            .find(|c| c.name == e.code)
            .is_some_and(|c| !c.is_failure())
    })
}

fn wrapper(
    cat: &Catalog,
    i: &Interface,
    held: &str,
    m: &Method,
    decl: &str,
    function: &str,
    args: &[Arg],
) -> TokenStream {
    let f = ident(function);
    let err = ident(&naming::error_type(m));
    let err_path = quote! { crate::methods::#err };
    let slot_name = ident(&m.name);
    let mut params = Vec::new();
    let mut prep = Vec::new();
    let mut call = Vec::new();
    let mut results = Vec::new();
    let mut result_types = Vec::new();
    let mut result_names = Vec::new();
    let mut asyncs = false;
    for a in args {
        match a {
            Arg::In { name, how, .. } => {
                let n = ident(name);
                match how {
                    In::Wide { mutable } => {
                        params.push(quote! { #n: &str });
                        if *mutable {
                            prep.push(quote! { let mut #n = m::WideIn::new(#n); });
                            call.push(quote! { #n.ptr_mut() });
                        } else {
                            prep.push(quote! { let #n = m::WideIn::new(#n); });
                            call.push(quote! { #n.ptr() });
                        }
                    }
                    In::Bstr => {
                        params.push(quote! { #n: &str });
                        prep.push(quote! { let #n = m::BstrIn::new(#n); });
                        call.push(quote! { #n.ptr() });
                    }
                    In::Bool(t) => {
                        let t = ident(t);
                        params.push(quote! { #n: bool });
                        call.push(quote! { #t::from(#n) });
                    }
                    In::Value(t) => {
                        let t: syn::Type =
                            syn::parse_str(t).unwrap_or_else(|_| syn::parse_quote!(u32));
                        params.push(quote! { #n: #t });
                        call.push(quote! { #n });
                    }
                    In::GuidSlice => {
                        params.push(quote! { #n: &[GUID] });
                        prep.push(quote! { let (#n, count) = m::guid_slice::<#err_path>(#n)?; });
                        call.push(quote! { #n });
                        call.push(quote! { count });
                    }
                }
            }
            Arg::Out { name, how, .. } => {
                let n = ident(name);
                result_names.push(name.clone());
                match how {
                    Out::Bstr => {
                        prep.push(quote! { let mut #n = m::BstrOut::new(); });
                        call.push(quote! { #n.slot() });
                        results.push(quote! { #n.take() });
                        result_types.push(quote! { String });
                    }
                    Out::TaskStr => {
                        prep.push(quote! { let mut #n = m::TaskStrOut::new(); });
                        call.push(quote! { #n.slot() });
                        results.push(quote! { #n.take() });
                        result_types.push(quote! { String });
                    }
                    Out::Bool(t) => {
                        let t = ident(t);
                        prep.push(quote! { let mut #n: #t = 0; });
                        call.push(quote! { &mut #n });
                        results.push(quote! { #n != 0 });
                        result_types.push(quote! { bool });
                    }
                    Out::Value(t) => {
                        let ty: syn::Type =
                            syn::parse_str(t).unwrap_or_else(|_| syn::parse_quote!(u32));
                        let init = match t.as_str() {
                            "GUID" => quote! { GUID::zeroed() },
                            "HRESULT" => quote! { HRESULT(0) },
                            "u32" | "i32" | "i64" => quote! { 0 },
                            _ => quote! { <#ty>::default() },
                        };
                        prep.push(quote! { let mut #n: #ty = #init; });
                        call.push(quote! { &mut #n });
                        results.push(quote! { #n });
                        result_types.push(quote! { #ty });
                    }
                    Out::Async => {
                        asyncs = true;
                        prep.push(quote! { let mut #n = m::InterfaceOut::new(); });
                        call.push(quote! { #n.slot() });
                        results.push(quote! {
                            crate::com::VssAsync::new(#n.take::<crate::com::IVssAsync>().ok_or_else(|| #err_path::from_failure(m::E_POINTER))?)
                        });
                        result_types.push(quote! { crate::com::VssAsync<#err_path> });
                    }
                    Out::Interface(iface, ty) => {
                        prep.push(quote! { let mut #n = m::InterfaceOut::new(); });
                        call.push(quote! { #n.slot() });
                        let taken = if ty.is_empty() {
                            let p: syn::Path = syn::parse_str(iface)
                                .unwrap_or_else(|_| syn::parse_quote!(crate::com::IUnknown));
                            quote! { #n.take::<#p>() }
                        } else {
                            let ii = ident(iface);
                            quote! { #n.take::<crate::com::#ii>() }
                        };
                        results.push(if ty.is_empty() {
                            quote! { #taken.ok_or_else(|| #err_path::from_failure(m::E_POINTER))? }
                        } else {
                            let t = ident(ty);
                            quote! { crate::com::#t::from_interface(#taken.ok_or_else(|| #err_path::from_failure(m::E_POINTER))?) }
                        });
                        result_types.push(if ty.is_empty() {
                            let p: syn::Path = syn::parse_str(iface)
                                .unwrap_or_else(|_| syn::parse_quote!(crate::com::IUnknown));
                            quote! { #p }
                        } else {
                            let t = ident(ty);
                            quote! { crate::com::#t }
                        });
                    }
                }
            }
        }
    }
    let _ = asyncs;
    let outcome = has_outcome(cat, m);
    let (value, value_ty) = match results.len() {
        0 => (quote! { () }, quote! { () }),
        1 => (results[0].clone(), result_types[0].clone()),
        _ => (
            quote! { ( #( #results ),* ) },
            quote! { ( #( #result_types ),* ) },
        ),
    };
    let (ret_ty, ret) = if outcome && results.is_empty() {
        (
            quote! { <#err_path as MethodError>::Outcome },
            quote! { Ok(outcome) },
        )
    } else if outcome {
        (
            quote! { (<#err_path as MethodError>::Outcome, #value_ty) },
            quote! { Ok((outcome, #value)) },
        )
    } else {
        (quote! { #value_ty }, quote! { Ok(#value) })
    };
    let bind = if outcome {
        quote! { let outcome = }
    } else {
        quote! { let _ = }
    };
    let iface = if i.name == held {
        quote! { let iface = &self.inner; }
    } else {
        let ii = ident(&i.name);
        quote! { let iface = &m::cast::<crate::com::#ii, #err_path>(&self.inner)?; }
    };
    let q = m.qualified_name();
    let mut doc = format!("`{q}`: `{decl}`.");
    if i.name != held {
        doc.push_str(&format!(
            "\n\nReached through `QueryInterface` for `{}`; where the system lacks it, the error is `E_NOINTERFACE` (as `Other`).",
            i.name
        ));
    }
    if args.iter().any(|a| {
        matches!(
            a,
            Arg::In {
                how: In::Wide { .. } | In::Bstr,
                ..
            }
        )
    }) {
        doc.push_str(
            "\n\nAn empty string is passed as NULL, which the documentation reads as \"none\".",
        );
    }
    match result_names.len() {
        0 => {}
        1 => doc.push_str(&format!("\n\nReturns `{}`.", result_names[0])),
        _ => doc.push_str(&format!("\n\nReturns `({})`.", result_names.join(", "))),
    }
    if outcome {
        doc.push_str(
            "\n\nThe documented success codes come back as the outcome, next to the values.",
        );
    }
    if m.returns.is_empty() {
        doc.push_str("\n\nThe documentation lists no return codes for this method: every failure is `Other`, kept as returned.");
    }
    let doc = docs(&doc);
    quote! {
        #doc
        // Inline: compiled only into programs that call it.
        #[inline]
        pub fn #f(&self, #( #params ),*) -> Result<#ret_ty, #err_path> {
            #iface
            #( #prep )*
            let hr = slot!(iface, #slot_name #(, #call)*);
            #bind <#err_path as MethodError>::classify(hr)?;
            #ret
        }
    }
}
