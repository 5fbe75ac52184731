//! The table behind every generated error type: its documented values, what each classifies
//! as and which catalog entry documents it, placed in a perfect hash at compile time.
//!
//! The generator lists the rows and picks the hash multiplier; [`ErrorTable::new`] runs in
//! const evaluation, so a multiplier that does not give every value its own slot is a compile
//! error, never a wrong answer.

use crate::catalog::{Entry, Retry, TextId};
use crate::code::Code;

/// The documented failure values of one error type `T` in a table of `S` slots (`S` a power
/// of two): `V` variants, one per documented code, and `F` fallback codes that older Windows
/// versions return instead of one of them.
///
/// A variant's *ordinal* is its place among the enum's variants, which the rows follow, so
/// the generated `ordinal()` compiles to reading the discriminant.
pub(crate) struct ErrorTable<T: 'static, const V: usize, const F: usize, const S: usize> {
    /// The HRESULT value of each variant.
    values: [u32; V],
    /// Each variant's entry in the method's `entries`.
    entries: [&'static Entry; V],
    /// Each variant's retry advice, copied from its entry so advice is one load away.
    retries: [Option<Retry>; V],
    /// Each fallback code's value and the ordinal of the variant it classifies as.
    fallbacks: [(u32, u16); F],
    multiplier: u32,
    shift: u32,
    /// Per slot: the value living there, or for an empty slot a value that cannot hash to it.
    keys: [u32; S],
    /// Per slot: what the value living there classifies as; an empty slot holds the filler,
    /// never returned (its key never matches). Plain `T` rather than `Option<T>`: the key
    /// comparison already says whether the slot is used.
    found: [T; S],
}

impl<T: Copy, const V: usize, const F: usize, const S: usize> ErrorTable<T, V, F, S> {
    /// Builds the table in const evaluation from the variants (what each classifies as, its
    /// value, its entry's index in `entries`) and the fallbacks (what each classifies as, its
    /// value, the ordinal of its variant); empty slots hold `filler`. Panics (a compile error)
    /// when a value is not a failure, when an index is not an entry, or when `multiplier` puts
    /// two values in one slot.
    pub(crate) const fn new(
        variants: [(T, u32, u16); V],
        fallbacks: [(T, u32, u16); F],
        multiplier: u32,
        entries: &'static [Entry],
        filler: T,
    ) -> Self {
        assert!(
            S.is_power_of_two() && S >= 2,
            "the slot count is a power of two"
        );
        assert!(
            !entries.is_empty() || V == 0,
            "documented variants have entries"
        );
        let shift = 32 - S.trailing_zeros();
        let mut table = ErrorTable {
            values: [0; V],
            // Overwritten below: every variant gets its own entry.
            entries: [&PLACEHOLDER; V],
            retries: [None; V],
            fallbacks: [(0, 0); F],
            multiplier,
            shift,
            keys: [0; S],
            found: [filler; S],
        };
        let mut taken = [false; S];
        let mut i = 0;
        while i < V {
            let (variant, value, position) = variants[i];
            table.place(&mut taken, variant, value);
            table.values[i] = value;
            table.entries[i] = &entries[position as usize];
            table.retries[i] = entries[position as usize].retry;
            i += 1;
        }
        let mut i = 0;
        while i < F {
            let (variant, value, ordinal) = fallbacks[i];
            assert!((ordinal as usize) < V, "a fallback stands for a variant");
            table.place(&mut taken, variant, value);
            table.fallbacks[i] = (value, ordinal);
            i += 1;
        }
        // An empty slot's key must not match what hashes there: 0 (`S_OK`) hashes to slot 0,
        // so that slot, when empty, gets the first value that does not.
        if !taken[0] {
            let mut candidate = 1u32;
            while slot_of(candidate, multiplier, shift) == 0 {
                candidate += 1;
            }
            table.keys[0] = candidate;
        }
        table
    }

    const fn place(&mut self, taken: &mut [bool; S], variant: T, value: u32) {
        assert!(
            value & 0x8000_0000 != 0,
            "a documented error is a failure value"
        );
        let slot = slot_of(value, self.multiplier, self.shift);
        assert!(!taken[slot], "the multiplier puts two values in one slot");
        taken[slot] = true;
        self.keys[slot] = value;
        self.found[slot] = variant;
    }

    /// What a value classifies as, if it is documented: a multiply and a shift pick the one
    /// slot it can be in, one comparison confirms it.
    #[inline]
    pub(crate) const fn find(&self, value: u32) -> Option<T> {
        let slot = slot_of(value, self.multiplier, self.shift);
        if self.keys[slot] == value {
            Some(self.found[slot])
        } else {
            None
        }
    }

    /// The value a variant stands for: its own, or with `fallback` the older Windows
    /// versions' code; `None` past the variants.
    #[inline]
    pub(crate) const fn value(&self, ordinal: usize, fallback: bool) -> Option<u32> {
        if ordinal >= V {
            return None;
        }
        if !fallback {
            return Some(self.values[ordinal]);
        }
        let mut i = 0;
        while i < F {
            if self.fallbacks[i].1 as usize == ordinal {
                return Some(self.fallbacks[i].0);
            }
            i += 1;
        }
        None
    }

    /// A variant's retry advice; `None` past the variants.
    #[inline]
    pub(crate) const fn retry(&self, ordinal: usize) -> Option<Retry> {
        if ordinal < V {
            self.retries[ordinal]
        } else {
            None
        }
    }

    /// The entry documenting a variant; `None` past the variants.
    #[inline]
    pub(crate) const fn entry(&self, ordinal: usize) -> Option<&'static Entry> {
        if ordinal < V {
            Some(self.entries[ordinal])
        } else {
            None
        }
    }
}

/// What `entries` holds before `new` fills it in.
static PLACEHOLDER: Entry = Entry::new(Code(0), TextId(0));

#[inline]
const fn slot_of(value: u32, multiplier: u32, shift: u32) -> usize {
    (value.wrapping_mul(multiplier) >> shift) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUES: [u32; 3] = [0x8004_2306, 0x8007_0005, 0x8000_FFFF];

    /// The first odd multiplier giving each value its own slot of 4.
    fn multiplier() -> u32 {
        (1..u32::MAX)
            .step_by(2)
            .find(|m| {
                let mut slots: Vec<usize> = VALUES.iter().map(|&v| slot_of(v, *m, 30)).collect();
                slots.sort_unstable();
                slots.dedup();
                slots.len() == VALUES.len()
            })
            .unwrap_or(1)
    }

    // Codes by index, so the tests hold for any catalog.
    static ENTRIES: [Entry; 3] = [
        Entry::new(Code(0), TextId(0)),
        Entry::new(Code(1), TextId(0)),
        Entry::new(Code(2), TextId(0)),
    ];

    #[test]
    fn every_value_is_found_and_nothing_else() {
        let m = multiplier();
        let t: ErrorTable<char, 2, 1, 4> = ErrorTable::new(
            [('a', VALUES[0], 1), ('b', VALUES[1], 2)],
            [('B', VALUES[2], 1)],
            m,
            &ENTRIES,
            '-',
        );
        assert_eq!(t.find(VALUES[0]), Some('a'));
        assert_eq!(t.find(VALUES[1]), Some('b'));
        assert_eq!(t.find(VALUES[2]), Some('B'));
        for v in [0u32, 1, 0x8004_2307, 0x8007_0057, u32::MAX] {
            assert_eq!(t.find(v), None, "{v:#x}");
        }
        assert_eq!(t.value(1, false), Some(VALUES[1]));
        assert_eq!(t.value(1, true), Some(VALUES[2]));
        assert_eq!(t.value(0, true), None, "variant 0 has no fallback");
        assert_eq!(t.value(2, false), None);
        assert_eq!(t.entry(0).map(|e| e.code), Some(Code(1)));
        assert_eq!(t.entry(1).map(|e| e.code), Some(Code(2)));
        assert!(t.entry(2).is_none());
    }

    #[test]
    fn no_value_matches_an_empty_slot() {
        // One value in eight slots: every other slot is empty, slot 0 among them unless the
        // value lives there; no small value, success or failure, is found by accident.
        let t: ErrorTable<u8, 1, 0, 8> =
            ErrorTable::new([(9, 0x8004_2306, 1)], [], 0x9E37_79B1, &ENTRIES, 0);
        for v in (0..4096u32).chain(0x8000_0000..0x8000_1000) {
            assert_eq!(t.find(v), None, "{v:#x}");
        }
        assert_eq!(t.find(0x8004_2306), Some(9));
    }
}
