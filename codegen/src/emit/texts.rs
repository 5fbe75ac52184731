//! The table of distinct texts: every method text, note and fact is stored once and referred
//! to by index.

use crate::model::Catalog;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::HashMap;

pub(crate) struct Texts {
    order: Vec<String>,
    /// Looked up by the whole text: hashing reads it once, where an ordered map would compare
    /// long shared prefixes at every level.
    index: HashMap<String, usize>,
}

impl Texts {
    /// Collects texts in canonical catalog order (first appearance wins).
    pub(crate) fn collect(cat: &Catalog) -> Texts {
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

    fn add(&mut self, s: &str) {
        if !self.index.contains_key(s) {
            self.index.insert(s.to_string(), self.order.len());
            self.order.push(s.to_string());
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
