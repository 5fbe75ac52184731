//! The table of distinct texts: every method text, note and fact is stored once and referred
//! to by index.

use crate::model::Catalog;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::HashMap;

pub(crate) struct Texts<'a> {
    order: Vec<&'a str>,
    /// Looked up by the whole text: hashing reads it once, where an ordered map would compare
    /// long shared prefixes at every level.
    index: HashMap<&'a str, usize>,
}

impl<'a> Texts<'a> {
    /// Collects texts in canonical catalog order (first appearance wins).
    pub(crate) fn collect(cat: &'a Catalog) -> Texts<'a> {
        let mut t = Texts {
            order: Vec::new(),
            index: HashMap::new(),
        };
        for m in &cat.methods {
            for f in &m.facts {
                t.add(&f.text);
            }
            for e in m.returns.iter().chain(&m.status) {
                t.add(&e.text);
                if let Some(n) = &e.retry_note {
                    t.add(n);
                }
                for n in &e.os_notes {
                    t.add(&n.text);
                }
            }
        }
        t
    }

    fn add(&mut self, s: &'a str) {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.index.entry(s) {
            slot.insert(self.order.len());
            self.order.push(s);
        }
    }

    /// How many distinct texts there are.
    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }

    /// `TextId(n)` for a text collected before.
    pub(crate) fn id(&self, s: &str) -> TokenStream {
        let n = self.index.get(s).copied().unwrap_or(0) as u16;
        let n = proc_macro2::Literal::u16_unsuffixed(n);
        quote! { TextId(#n) }
    }

    pub(crate) fn emit(&self) -> TokenStream {
        let n = self.order.len();
        let items = &self.order;
        quote! {
            #![doc = " Every distinct text of the catalog, stored once; entries refer to them by index."]
            pub(crate) static TEXTS: [&str; #n] = [ #( #items ),* ];
        }
    }
}
