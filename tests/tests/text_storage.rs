//! Each distinct text of the catalog is stored once in the compiled code: this test binary
//! links vss-errors, and every text occurs in its read-only data exactly as often as the
//! distinct strings containing it (itself included). Prints the bytes against the catalog's.

use vss_errors::{Code, Method};

/// The catalog's texts as the generator collects them, and how many times each is written.
fn catalog_texts() -> (Vec<String>, usize, usize) {
    let cat = codegen::check_dir(&workspace_tests::root().join("catalog")).expect("valid");
    let mut all: Vec<&str> = Vec::new();
    for m in &cat.methods {
        all.extend(m.facts.iter().map(|f| f.text.as_str()));
        for e in m.returns.iter().chain(&m.status) {
            all.push(&e.text);
            all.extend(e.retry_note.as_deref());
            all.extend(e.os_notes.iter().map(|n| n.text.as_str()));
        }
    }
    let written = all.len();
    let written_bytes = all.iter().map(|t| t.len()).sum();
    let mut distinct: Vec<String> = all.into_iter().map(str::to_string).collect();
    distinct.sort();
    distinct.dedup();
    (distinct, written, written_bytes)
}

/// The texts as the runtime serves them, which also makes sure the table is linked in.
fn runtime_texts() -> Vec<&'static str> {
    let mut out = Vec::new();
    for m in Method::all() {
        out.extend(m.facts.iter().map(|f| f.text()));
        for e in m.entries.iter().chain(m.status) {
            out.push(e.text());
            out.extend(e.retry_note());
            out.extend(e.os_notes.iter().map(|n| n.text()));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The contents of the ELF sections holding read-only data (`.rodata*`).
fn rodata(elf: &[u8]) -> Option<Vec<&[u8]>> {
    let u16_at = |o: usize| Some(u16::from_le_bytes(elf.get(o..o + 2)?.try_into().ok()?));
    let u32_at = |o: usize| Some(u32::from_le_bytes(elf.get(o..o + 4)?.try_into().ok()?));
    let u64_at = |o: usize| Some(u64::from_le_bytes(elf.get(o..o + 8)?.try_into().ok()?));
    if elf.get(..5)? != b"\x7fELF\x02" || elf.get(5)? != &1 {
        return None; // not a little-endian ELF64 file
    }
    let shoff = u64_at(0x28)? as usize;
    let shentsize = usize::from(u16_at(0x3A)?);
    let shnum = usize::from(u16_at(0x3C)?);
    let shstrndx = usize::from(u16_at(0x3E)?);
    let section = |i: usize| {
        let h = shoff + i * shentsize;
        Some((
            u32_at(h)? as usize,
            u64_at(h + 24)? as usize,
            u64_at(h + 32)? as usize,
        ))
    };
    let (_, names_off, _) = section(shstrndx)?;
    let mut out = Vec::new();
    for i in 0..shnum {
        let (name, off, size) = section(i)?;
        let name_bytes = elf.get(names_off + name..)?;
        let end = name_bytes.iter().position(|&b| b == 0)?;
        if name_bytes[..end].starts_with(b".rodata") {
            out.push(elf.get(off..off + size)?);
        }
    }
    Some(out)
}

fn occurrences(haystacks: &[&[u8]], needle: &[u8]) -> usize {
    haystacks
        .iter()
        .map(|h| h.windows(needle.len()).filter(|w| *w == needle).count())
        .sum()
}

#[test]
fn each_distinct_text_is_stored_once() {
    let (distinct, written, written_bytes) = catalog_texts();
    let runtime = runtime_texts();
    assert_eq!(
        runtime,
        distinct.iter().map(String::as_str).collect::<Vec<_>>(),
        "the runtime serves exactly the catalog's distinct texts"
    );
    if !cfg!(target_os = "linux") {
        eprintln!("skipped: the storage check reads this test binary as ELF");
        return;
    }
    let exe = std::fs::read(std::env::current_exe().expect("test binary")).expect("readable");
    let sections = rodata(&exe).expect("an ELF64 test binary with .rodata");
    // Strings a text may also be part of: the other texts and the codes' summaries.
    let summaries: Vec<&str> = Code::ALL.iter().map(|c| c.summary()).collect();
    let mut stored = 0usize;
    let mut wrong = Vec::new();
    for t in &distinct {
        // Needles shorter than this also match unrelated data; the catalog has none.
        assert!(t.len() >= 8, "{t:?}");
        let found = occurrences(&sections, t.as_bytes());
        let expected = distinct.iter().filter(|s| s.contains(t.as_str())).count()
            + summaries.iter().filter(|s| s.contains(t.as_str())).count();
        if found != expected {
            wrong.push(format!("{found} copies (expected {expected}): {t:?}"));
        }
        stored += found.min(1) * t.len();
    }
    let distinct_bytes: usize = distinct.iter().map(String::len).sum();
    eprintln!(
        "texts: {written} written in the catalog ({written_bytes} bytes), {} distinct \
         ({distinct_bytes} bytes); in the binary: {stored} bytes, ratio {:.3}",
        distinct.len(),
        stored as f64 / distinct_bytes.max(1) as f64
    );
    assert!(
        wrong.is_empty(),
        "texts not stored once:\n{}",
        wrong.join("\n")
    );
    assert_eq!(stored, distinct_bytes);
}
