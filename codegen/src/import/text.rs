//! Text of a documentation cell as the catalog writes it: markup stripped, entities decoded,
//! mojibake repaired, whitespace normalized, paragraphs split, and the structured facts a text
//! states (Windows-version notes, timed retry advice, "only returned via QueryStatus").

use crate::model::{Entry, OsNote, Retry};
use crate::validate::{retry_prose, ASYNC_ONLY_PROSE};

/// Marks a paragraph break while markup is being stripped.
const BREAK: char = '\u{1}';

/// Why an imported text that speaks of retrying has no timed advice.
pub const UNTIMED_RETRY_NOTE: &str = "the document gives no wait or number of attempts";

/// Decodes the HTML entities the pages use (named, decimal and hex); unknown ones stay as
/// written.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(j, _)| j + 1);
        let decoded = end.and_then(|e| entity(&rest[1..e]).map(|c| (c, e)));
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(n);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "mdash" => '—',
        "ndash" => '–',
        "rsquo" => '’',
        "lsquo" => '‘',
        "ldquo" => '“',
        "rdquo" => '”',
        "hellip" => '…',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        _ => return None,
    })
}

/// Repairs UTF-8 text that was decoded as Windows-1252 ("validâ€”that" → "valid—that").
pub fn repair_mojibake(s: &str) -> String {
    const PAIRS: &[(&str, &str)] = &[
        ("â€”", "—"),
        ("â€“", "–"),
        ("â€™", "’"),
        ("â€œ", "“"),
        ("â€\u{9d}", "”"),
        ("â€˜", "‘"),
        ("Â ", " "),
    ];
    let mut out = s.to_string();
    for (bad, good) in PAIRS {
        out = out.replace(bad, good);
    }
    out
}

/// Collapses every run of whitespace (line breaks and no-break spaces included) to one space.
pub fn normalize_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Tags that end a paragraph.
const BLOCK_TAGS: &[&str] = &[
    "p", "br", "li", "ul", "ol", "div", "table", "tr", "td", "th", "dl", "dt", "dd",
];

/// Splits an HTML fragment into paragraphs of plain text: blank lines and block tags end a
/// paragraph, and so does the start of a bold Windows-version note (`<b>Windows XP:  </b>`),
/// wherever it stands.
pub fn html_paragraphs(html: &str) -> Vec<String> {
    let html = html.replace("\r\n", "\n");
    let mut flat = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(i) = rest.find('<') {
        flat.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(close) = rest.find('>') else {
            // A lone `<` is text.
            flat.push('<');
            rest = &rest[1..];
            continue;
        };
        let tag = &rest[1..close];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            // `< ` or `<=`: text, not a tag.
            flat.push('<');
            rest = &rest[1..];
            continue;
        }
        if BLOCK_TAGS.contains(&name.as_str()) {
            flat.push(BREAK);
        } else if name == "b" && !tag.starts_with('/') {
            let after = &rest[close + 1..];
            let inner = after.find("</b>").map_or("", |e| &after[..e]);
            if os_prefix(&normalize_ws(&strip_tags(inner))).is_some() {
                flat.push(BREAK);
            }
        }
        rest = &rest[close + 1..];
    }
    flat.push_str(rest);
    split_paragraphs(&flat, false)
}

/// Removes every tag, keeping the text between them.
pub fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match rest.find('>') {
            Some(close) if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') => {
                rest = &rest[close + 1..]
            }
            _ => {
                out.push('<');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Splits Markdown or rendered plain text into paragraphs: blank lines and `<br>` end a
/// paragraph, and so does a line that starts a Windows-version note; emphasis, code marks and
/// links are reduced to their text. With `lines_are_paragraphs`, every line is a paragraph.
pub fn markdown_paragraphs(md: &str, lines_are_paragraphs: bool) -> Vec<String> {
    let mut flat = String::new();
    let md = md.replace("\r\n", "\n");
    for line in md.lines() {
        let line = markdown_inline(&line.replace("<br>", "\u{1}").replace("<br/>", "\u{1}"));
        let starts_note = os_prefix(&normalize_ws(line.split(BREAK).next().unwrap_or("")))
            .is_some()
            || line.trim().is_empty();
        if starts_note || lines_are_paragraphs {
            flat.push(BREAK);
        }
        flat.push_str(&line);
        flat.push('\n');
    }
    split_paragraphs(&flat, true)
}

/// Reduces Markdown inline markup to its text: `**b**`, `*i*`, `` `c` ``, `[text](url)`.
pub fn markdown_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '*' | '`' => {}
            '\\' if i + 1 < chars.len() && "*_`|[]\\".contains(chars[i + 1]) => {
                out.push(chars[i + 1]);
                i += 1;
            }
            '[' => {
                // `[text](url)` → text
                let close = chars[i..].iter().position(|&c| c == ']').map(|p| p + i);
                match close {
                    Some(cl) if chars.get(cl + 1) == Some(&'(') => {
                        let end = chars[cl..].iter().position(|&c| c == ')').map(|p| p + cl);
                        let text: String = chars[i + 1..cl].iter().collect();
                        out.push_str(&markdown_inline(&text));
                        i = end.unwrap_or(cl);
                    }
                    _ => out.push(c),
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    strip_tags(&out)
}

fn split_paragraphs(flat: &str, _markdown: bool) -> Vec<String> {
    let mut out = Vec::new();
    for block in flat.split(BREAK) {
        for para in block.split("\n\n") {
            let p = normalize_ws(&repair_mojibake(&decode_entities(para)));
            if !p.is_empty() {
                out.push(p);
            }
        }
    }
    out
}

/// If `para` starts with a Windows-version list and a colon ("Windows Server 2003 and
/// Windows XP: …"), the version names and the rest of the paragraph.
pub fn os_prefix(para: &str) -> Option<(Vec<String>, String)> {
    let para = para.trim_start();
    if !para.starts_with("Windows ") {
        return None;
    }
    let colon = para.find(':')?;
    let names = version_list(&para[..colon])?;
    Some((names, para[colon + 1..].trim().to_string()))
}

/// "Windows Server 2008, Windows Vista and Windows XP" → the three names; `None` unless every
/// item is a Windows version name.
pub fn version_list(s: &str) -> Option<Vec<String>> {
    let s = s.trim().trim_end_matches('.');
    let mut names = Vec::new();
    for part in s.split(", ") {
        for item in part.split(" and ") {
            let item = item.trim().trim_start_matches("and ").trim();
            let second = item.split_whitespace().nth(1).unwrap_or("");
            let ok = item.starts_with("Windows ")
                && (second.starts_with(|c: char| c.is_ascii_digit())
                    || ["XP", "Vista", "Server", "RT", "Me", "NT", "Storage", "Home"]
                        .contains(&second))
                && item.len() <= 40
                && item
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '.');
            if !ok {
                return None;
            }
            names.push(item.to_string());
        }
    }
    (!names.is_empty()).then_some(names)
}

/// The catalog id of a Windows version name: "Windows Server 2008 R2" → "windows-server-2008-r2".
pub fn version_id(name: &str) -> String {
    name.split_whitespace()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("-")
}

/// The structured form of a Windows-version note paragraph.
pub fn os_note(para: &str) -> Option<OsNote> {
    let (names, body) = os_prefix(para)?;
    let mut supported_from = Vec::new();
    if let Some(i) = body.find("not supported until ") {
        let tail = &body[i + "not supported until ".len()..];
        let end = tail.find(". ").map_or(tail.len(), |e| e);
        if let Some(list) = version_list(&tail[..end]) {
            supported_from = list.iter().map(|n| version_id(n)).collect();
        }
    }
    let fallback = body.find(" is used instead").and_then(|i| {
        let word = body[..i].split_whitespace().last()?;
        is_code_name(word).then(|| word.to_string())
    });
    Some(OsNote {
        versions: names.iter().map(|n| version_id(n)).collect(),
        fallback,
        supported_from,
        text: normalize_ws(para),
        spans: Default::default(),
    })
}

/// Whether `s` looks like an HRESULT's symbolic name (`E_FAIL`, `VSS_E_BAD_STATE`, `S_OK`).
pub fn is_code_name(s: &str) -> bool {
    s.len() >= 3
        && s.contains('_')
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn number_word(w: &str) -> Option<u32> {
    const WORDS: &[&str] = &[
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
    ];
    if let Ok(n) = w.parse::<u32>() {
        return Some(n);
    }
    let i = WORDS.iter().position(|x| *x == w)? as u32;
    Some(if i <= 20 { i } else { (i - 18) * 10 })
}

fn unit_seconds(w: &str) -> Option<u32> {
    match w.trim_end_matches('s') {
        "second" => Some(1),
        "minute" => Some(60),
        "hour" => Some(3600),
        _ => None,
    }
}

/// Timed retry advice in a text: "wait ten minutes and try again, up to three times" →
/// 600 s, 3 attempts.
pub fn retry_advice(text: &str) -> Option<Retry> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut wait = None;
    let mut attempts = None;
    for i in 0..words.len() {
        let w = |k: usize| words.get(i + k).copied().unwrap_or("");
        if w(0) == "wait" && wait.is_none() {
            if let (Some(n), Some(u)) = (number_word(w(1)), unit_seconds(w(2))) {
                wait = n.checked_mul(u);
            }
        }
        if w(0) == "up" && w(1) == "to" && (w(3) == "times" || w(3) == "more") {
            attempts = attempts.or(number_word(w(2)));
        }
    }
    Some(Retry {
        wait_seconds: wait?,
        max_attempts: attempts?,
    })
}

/// Builds an entry from a cell's paragraphs: Windows-version notes become `os_note`s, the rest
/// is the text (joined by `\n`), with the retry advice and async-only flag it states.
pub fn entry(code: &str, paragraphs: &[String]) -> Entry {
    let mut text = Vec::new();
    let mut os_notes = Vec::new();
    for p in paragraphs {
        match os_note(p) {
            Some(n) => os_notes.push(n),
            None => text.push(p.as_str()),
        }
    }
    let text = text.join("\n");
    let retry = retry_advice(&text);
    let retry_note =
        (retry.is_none() && retry_prose(&text)).then(|| UNTIMED_RETRY_NOTE.to_string());
    Entry {
        code: code.to_string(),
        outcome: None,
        async_only: text.contains(ASYNC_ONLY_PROSE),
        text,
        retry,
        retry_note,
        os_notes,
        spans: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_entities_and_keeps_unknown_ones() {
        assert_eq!(
            decode_entities("a &amp; b &lt;c&gt; &#169; &#x2014; &bogus; & done"),
            "a & b <c> © — &bogus; & done"
        );
    }

    #[test]
    fn html_cell_becomes_paragraphs_with_the_note_split_off() {
        let cell = "The specified volume is nested too deeply. Possible reasons:\n\n<ul>\n<li>One <i>VHD</i> in\n another.</li>\n<li>Two.</li>\n</ul>\n<b>Windows Server 2003 and Windows XP:  </b>This return code is not supported.\n";
        assert_eq!(
            html_paragraphs(cell),
            vec![
                "The specified volume is nested too deeply. Possible reasons:",
                "One VHD in another.",
                "Two.",
                "Windows Server 2003 and Windows XP: This return code is not supported."
            ]
        );
    }

    #[test]
    fn a_note_in_the_middle_of_a_line_still_starts_a_paragraph() {
        let cell = "Volumes of the set.<b>Windows 7 and Windows Vista:  </b>Shares are not supported until Windows 8.";
        assert_eq!(html_paragraphs(cell).len(), 2);
        // Bold text that is not a version note does not split.
        assert_eq!(
            html_paragraphs("One of the <b>required</b> pointers is <b>NULL</b>."),
            vec!["One of the required pointers is NULL."]
        );
    }

    #[test]
    fn os_note_is_structured() {
        let n = os_note("Windows Server 2008, Windows Vista, Windows Server 2003 and Windows XP: This value is not supported until Windows Server 2008 R2 and Windows 7. E_UNEXPECTED is used instead.").unwrap();
        assert_eq!(
            n.versions,
            [
                "windows-server-2008",
                "windows-vista",
                "windows-server-2003",
                "windows-xp"
            ]
        );
        assert_eq!(n.supported_from, ["windows-server-2008-r2", "windows-7"]);
        assert_eq!(n.fallback.as_deref(), Some("E_UNEXPECTED"));
        let n =
            os_note("Windows Server 2003 and Windows XP: This value is not supported.").unwrap();
        assert_eq!((n.fallback, n.supported_from.len()), (None, 0));
        assert!(os_note("Windows of opportunity: none").is_none());
        assert!(os_note("The caller is out of memory.").is_none());
    }

    #[test]
    fn retry_advice_is_read_from_the_prose() {
        let r = retry_advice("This can be a transient problem. It is recommended to wait ten minutes and try again, up to three times.").unwrap();
        assert_eq!((r.wait_seconds, r.max_attempts), (600, 3));
        let r = retry_advice("Wait 30 seconds and try again, up to 5 times.").unwrap();
        assert_eq!((r.wait_seconds, r.max_attempts), (30, 5));
        assert!(retry_advice("If possible delete old shadow copies and try again.").is_none());
    }

    #[test]
    fn entry_sets_flags_from_the_text() {
        let e = entry(
            "VSS_E_PROVIDER_VETO",
            &[
                "Try again later. This error code is only returned via the QueryStatus method on the IVssAsync interface.".into(),
                "Windows XP: This value is not supported.".into(),
            ],
        );
        assert!(e.async_only);
        assert_eq!(e.retry, None);
        assert_eq!(e.retry_note.as_deref(), Some(UNTIMED_RETRY_NOTE));
        assert_eq!(e.os_notes.len(), 1);
        assert!(!e.text.contains("Windows XP"));
    }

    #[test]
    fn markdown_is_reduced_to_text() {
        assert_eq!(
            markdown_paragraphs(
                "**S_OK** see [IVssAsync](https://x/y) `code`<br><br>0x1L",
                false
            ),
            vec!["S_OK see IVssAsync code", "0x1L"]
        );
        // Rendered text: a line starting a note becomes its own paragraph, other lines join.
        let p = markdown_paragraphs(
            "Unexpected error. See\nEvent Handling.\nWindows XP: Not supported.",
            false,
        );
        assert_eq!(
            p,
            vec![
                "Unexpected error. See Event Handling.",
                "Windows XP: Not supported."
            ]
        );
    }

    #[test]
    fn mojibake_and_lone_angle_brackets_survive() {
        assert_eq!(
            html_paragraphs("validâ€”that a < b"),
            vec!["valid—that a < b"]
        );
        assert_eq!(strip_tags("x <b>y</b> < z"), "x y < z");
    }
}
