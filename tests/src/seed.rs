//! A parser for the consolidated per-method error table (seed 004): sections, entries,
//! printed values and paragraphs, with whitespace normalized and mojibake repaired.

/// One section: a title and its entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub line: usize,
    pub entries: Vec<SeedEntry>,
}

/// One entry of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedEntry {
    pub code: String,
    /// The value the document prints under the name, if any.
    pub printed_value: Option<u32>,
    /// Paragraphs, each with whitespace normalized; lines of a paragraph joined by `\n`.
    pub paragraphs: Vec<String>,
}

/// Repairs UTF-8 text that was decoded as Windows-1252 ("validâ€”that" → "valid—that").
pub use codegen::import::text::repair_mojibake;

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_code_line(l: &str) -> bool {
    let t = l.trim();
    l.starts_with("    ")
        && !l.starts_with("     ")
        && !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Parses the whole document.
pub fn parse(text: &str) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut in_paragraph = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.starts_with("# ") {
            continue;
        }
        if !line.is_empty() && !line.starts_with(' ') {
            sections.push(Section {
                title: line.to_string(),
                line: i + 1,
                entries: Vec::new(),
            });
            in_paragraph = false;
            continue;
        }
        let Some(section) = sections.last_mut() else {
            continue;
        };
        if is_code_line(line) {
            section.entries.push(SeedEntry {
                code: line.trim().to_string(),
                printed_value: None,
                paragraphs: Vec::new(),
            });
            in_paragraph = false;
            continue;
        }
        let Some(entry) = section.entries.last_mut() else {
            continue;
        };
        let t = line.trim();
        if t.is_empty() {
            in_paragraph = false;
        } else if entry.paragraphs.is_empty()
            && !in_paragraph
            && t.starts_with("0x")
            && t.ends_with('L')
        {
            entry.printed_value = u32::from_str_radix(&t[2..t.len() - 1], 16).ok();
        } else if in_paragraph {
            let p = entry.paragraphs.last_mut().expect("in a paragraph");
            p.push('\n');
            p.push_str(&normalize(&repair_mojibake(t)));
        } else {
            entry.paragraphs.push(normalize(&repair_mojibake(t)));
            in_paragraph = true;
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_values_and_paragraphs() {
        let doc = "# Errors\n\nFoo\n\n    E_FAIL\n    0x80004005L\n\n        It  failed.\n        Again.\n\n        Windows XP:  note.\n\nBar\n\n";
        let s = parse(doc);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].title, "Foo");
        assert_eq!(s[0].entries[0].printed_value, Some(0x80004005));
        assert_eq!(
            s[0].entries[0].paragraphs,
            vec![
                "It failed.\nAgain.".to_string(),
                "Windows XP: note.".to_string()
            ]
        );
        assert!(s[1].entries.is_empty());
    }

    #[test]
    fn repairs_mojibake() {
        assert_eq!(repair_mojibake("validâ€”that"), "valid—that");
    }
}
