//! Return-value lists in every shape the pages use: HTML tables (`<dl><dt><b>CODE</b></dt>`),
//! pipe tables (including rendered ones whose value cells lost their text), definition lists
//! (HTML `<dl>` and Markdown `: definition`), and prose ("… it returns S_OK …").

use super::text::{self, is_code_name};

/// How a list of values was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shape {
    HtmlTable,
    PipeTable,
    DefinitionList,
    Prose,
    /// The section is missing or empty.
    Empty,
}

impl Shape {
    pub fn as_str(self) -> &'static str {
        match self {
            Shape::HtmlTable => "html table",
            Shape::PipeTable => "pipe table",
            Shape::DefinitionList => "definition list",
            Shape::Prose => "prose",
            Shape::Empty => "empty",
        }
    }
}

/// What the value cell of a row holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// An HRESULT's name.
    Code(String),
    /// `true` or `false`: the method returns a bool.
    Bool,
    /// Nothing: the name was lost (rendered pages).
    Missing,
}

/// One documented value and its meaning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub value: Value,
    /// The hex value printed under the name, if any (`0x80042306L`).
    pub printed: Option<u32>,
    /// The meaning, as paragraphs of plain text.
    pub paragraphs: Vec<String>,
}

/// Reads a section's list of values; the error says what was unexpected.
pub fn rows(section: &str, rendered: bool) -> Result<(Shape, Vec<Row>), String> {
    if section.trim().is_empty() {
        return Ok((Shape::Empty, Vec::new()));
    }
    let lower = section.to_ascii_lowercase();
    if lower.contains("<table") {
        return html_table(section).map(|r| (Shape::HtmlTable, r));
    }
    if let Some(r) = pipe_table(section)? {
        return Ok((Shape::PipeTable, r));
    }
    if lower.contains("<dt") {
        return html_dl(section).map(|r| (Shape::DefinitionList, r));
    }
    if let Some(r) = markdown_dl(section) {
        return Ok((Shape::DefinitionList, r));
    }
    Ok((Shape::Prose, prose(section, rendered)))
}

/// The contents of each `<tag …>…</tag>` in `s`, case-insensitively.
fn elements<'a>(s: &'a str, tag: &str) -> Result<Vec<&'a str>, String> {
    let lower = s.to_ascii_lowercase();
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = lower[at..].find(&open).map(|i| i + at) {
        let after = lower.as_bytes().get(i + open.len()).copied();
        if !matches!(after, Some(b'>' | b' ' | b'\n' | b'\t' | b'/')) {
            at = i + open.len();
            continue;
        }
        let start = lower[i..]
            .find('>')
            .map(|j| i + j + 1)
            .ok_or_else(|| format!("a `<{tag}` tag is never closed with `>`"))?;
        let end = lower[start..]
            .find(&close)
            .map(|j| start + j)
            .ok_or_else(|| format!("a `<{tag}>` has no `</{tag}>`"))?;
        out.push(&s[start..end]);
        at = end + close.len();
    }
    Ok(out)
}

/// Reads a value cell: the code name (or bool) and a printed hex value.
fn value_cell(parts: &[String]) -> Result<(Value, Option<u32>), String> {
    let mut value = Value::Missing;
    let mut printed = None;
    for p in parts {
        let t = p.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(v) = hex_value(t) {
            printed = Some(v);
        } else if value == Value::Missing {
            value = if is_code_name(t) {
                Value::Code(t.to_string())
            } else if t == "true" || t == "false" || t == "TRUE" || t == "FALSE" {
                Value::Bool
            } else {
                return Err(format!(
                    "the value cell {t:?} is neither a code name like \"VSS_E_BAD_STATE\" nor true/false"
                ));
            };
        }
    }
    Ok((value, printed))
}

/// `0x80042306L` or `0x80042306` → the value.
fn hex_value(s: &str) -> Option<u32> {
    let digits = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X"))?;
    let digits = digits.strip_suffix(['L', 'l']).unwrap_or(digits);
    if digits.is_empty() || digits.len() > 8 {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

fn html_table(section: &str) -> Result<Vec<Row>, String> {
    let mut out = Vec::new();
    for table in elements(section, "table")? {
        for (i, tr) in elements(table, "tr")?.into_iter().enumerate() {
            let cells = elements(tr, "td")?;
            if cells.is_empty() {
                continue; // the header row (`<th>`)
            }
            if cells.len() != 2 {
                return Err(format!(
                    "table row {} has {} cells; expected 2 (value, meaning)",
                    i,
                    cells.len()
                ));
            }
            let dts = elements(cells[0], "dt")?;
            let parts: Vec<String> = if dts.is_empty() {
                vec![text::normalize_ws(&text::strip_tags(cells[0]))]
            } else {
                dts.iter()
                    .map(|d| text::normalize_ws(&text::strip_tags(d)))
                    .collect()
            };
            let (value, printed) = value_cell(&parts).map_err(|e| format!("table row {i}: {e}"))?;
            out.push(Row {
                value,
                printed,
                paragraphs: text::html_paragraphs(cells[1]),
            });
        }
    }
    Ok(out)
}

fn html_dl(section: &str) -> Result<Vec<Row>, String> {
    let mut out = Vec::new();
    for dl in elements(section, "dl")? {
        let dts = elements(dl, "dt")?;
        let dds = elements(dl, "dd")?;
        if dts.len() != dds.len() {
            return Err(format!(
                "a definition list has {} terms (`<dt>`) but {} definitions (`<dd>`)",
                dts.len(),
                dds.len()
            ));
        }
        for (dt, dd) in dts.iter().zip(dds) {
            let parts: Vec<String> = text::strip_tags(dt)
                .split_whitespace()
                .map(str::to_string)
                .collect();
            let (value, printed) = value_cell(&parts)?;
            out.push(Row {
                value,
                printed,
                paragraphs: text::html_paragraphs(dd),
            });
        }
    }
    Ok(out)
}

/// `**CODE**` on a line, then `: meaning` (continued by indented lines).
fn markdown_dl(section: &str) -> Option<Vec<Row>> {
    let lines: Vec<&str> = section.lines().collect();
    let mut out: Vec<Row> = Vec::new();
    let mut current: Option<(Value, Option<u32>, String)> = None;
    let flush = |c: &mut Option<(Value, Option<u32>, String)>, out: &mut Vec<Row>| {
        if let Some((value, printed, body)) = c.take() {
            out.push(Row {
                value,
                printed,
                paragraphs: text::markdown_paragraphs(&body, false),
            });
        }
    };
    for (i, line) in lines.iter().enumerate() {
        if let Some(def) = line.strip_prefix(':') {
            let term = (0..i)
                .rev()
                .map(|j| lines[j])
                .find(|l| !l.trim().is_empty())?;
            let parts: Vec<String> = text::markdown_inline(term)
                .split_whitespace()
                .map(str::to_string)
                .collect();
            let (value, printed) = value_cell(&parts).ok()?;
            flush(&mut current, &mut out);
            current = Some((value, printed, def.trim().to_string()));
        } else if let Some((_, _, body)) = current.as_mut() {
            if line.starts_with([' ', '\t']) && !line.trim().is_empty() {
                body.push('\n');
                body.push_str(line.trim());
            } else if !line.trim().is_empty() {
                // A line at the margin after a definition: the next term or the section's end.
                flush(&mut current, &mut out);
            }
        }
    }
    flush(&mut current, &mut out);
    (!out.is_empty()).then_some(out)
}

fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.contains("---") && t.contains('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Counts the cell separators of a row, skipping escaped `\|`.
fn pipes(s: &str) -> usize {
    let mut n = 0;
    let mut prev = ' ';
    for c in s.chars() {
        if c == '|' && prev != '\\' {
            n += 1;
        }
        prev = c;
    }
    n
}

fn split_cells(s: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut prev = ' ';
    for c in s.chars() {
        if c == '|' && prev != '\\' {
            cells.push(String::new());
        } else if let Some(last) = cells.last_mut() {
            last.push(c);
        }
        prev = c;
    }
    cells
}

/// Pipe tables: the first one whose header is followed by a `---|---` line. Rendered pages
/// break a row over several lines (`|` alone, then the meaning ending in ` |`); a row is
/// complete when it holds as many separators as the header.
fn pipe_table(section: &str) -> Result<Option<Vec<Row>>, String> {
    let lines: Vec<&str> = section.lines().collect();
    let Some(h) = (0..lines.len().saturating_sub(1))
        .find(|&i| lines[i].contains('|') && is_separator(lines[i + 1]))
    else {
        return Ok(None);
    };
    let header = lines[h].trim();
    let leading = header.starts_with('|');
    let want = pipes(header);
    let mut out = Vec::new();
    let mut acc = String::new();
    for line in &lines[h + 2..] {
        if acc.is_empty() && (line.trim().is_empty() || !line.contains('|')) {
            break; // the table ended
        }
        if !acc.is_empty() {
            acc.push('\n');
        }
        acc.push_str(line);
        if pipes(&acc) < want {
            continue;
        }
        let mut cells = split_cells(acc.trim());
        if leading && cells.first().is_some_and(|c| c.trim().is_empty()) {
            cells.remove(0);
        }
        if cells.last().is_some_and(|c| c.trim().is_empty()) {
            cells.pop();
        }
        if cells.len() < 2 {
            return Err(format!(
                "pipe-table row {:?} has {} cells; expected 2 (value, meaning)",
                text::normalize_ws(&acc),
                cells.len()
            ));
        }
        let parts: Vec<String> = text::markdown_paragraphs(&cells[0], false)
            .iter()
            .flat_map(|p| p.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .collect();
        let (value, printed) = value_cell(&parts)?;
        out.push(Row {
            value,
            printed,
            paragraphs: text::markdown_paragraphs(cells[1].trim(), false),
        });
        acc.clear();
    }
    if !acc.is_empty() {
        return Err(format!(
            "the pipe table ends inside a row: {:?}",
            text::normalize_ws(&acc)
        ));
    }
    Ok(Some(out))
}

/// Sentences of prose that say the method returns exactly one named HRESULT ("… it returns
/// S_OK", "returns VSS_E_BAD_STATE if …") become rows with that sentence as text; other names
/// (`VSS_BACKUP_TYPE`, a code the method merely passes on) are not return values.
fn prose(section: &str, rendered: bool) -> Vec<Row> {
    let paras = if section.contains('<') {
        text::html_paragraphs(section)
    } else {
        text::markdown_paragraphs(section, rendered)
    };
    let mut out = Vec::new();
    for p in paras {
        for sentence in sentences(&p) {
            let words: Vec<&str> = sentence
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .collect();
            let Some(r) = words
                .iter()
                .position(|w| matches!(*w, "return" | "returns" | "returned"))
            else {
                continue;
            };
            let codes: Vec<&str> = words[r..]
                .iter()
                .copied()
                .filter(|w| is_hresult_name(w))
                .collect();
            if let [code] = codes.as_slice() {
                out.push(Row {
                    value: Value::Code(code.to_string()),
                    printed: None,
                    paragraphs: vec![sentence.to_string()],
                });
            }
        }
    }
    out
}

/// `E_FAIL`, `S_OK`, `VSS_E_BAD_STATE`, `VSS_S_ASYNC_PENDING`: a code name with a severity.
fn is_hresult_name(w: &str) -> bool {
    is_code_name(w)
        && (w.starts_with("E_") || w.starts_with("S_") || w.contains("_E_") || w.contains("_S_"))
}

fn sentences(p: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in p.match_indices(". ") {
        out.push(p[start..=i].trim());
        start = i + 2;
    }
    if start < p.len() {
        out.push(p[start..].trim());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: &Row) -> &str {
        match &r.value {
            Value::Code(c) => c,
            Value::Bool => "<bool>",
            Value::Missing => "",
        }
    }

    #[test]
    fn html_table_with_printed_values() {
        let s = "This method can return one of these values.\n\n<table>\n<tr>\n<th>Value</th>\n<th>Meaning</th>\n</tr>\n<tr>\n<td width=\"40%\">\n<dl>\n<dt><b><b>S_OK</b></b></dt>\n<dt>0x00000000L</dt>\n</dl>\n</td>\n<td width=\"60%\">\nThe operation was successful.\n\n</td>\n</tr>\n<tr>\n<td width=\"40%\"><a id=\"E_POINTER\"></a><dl>\n<dt><b>E_POINTER</b></dt>\n</dl>\n</td>\n<td width=\"60%\">\nOne of the required pointer parameters is <b>NULL</b>.\n</td>\n</tr>\n</table>\n";
        let (shape, rows) = rows(s, false).unwrap();
        assert_eq!(shape, Shape::HtmlTable);
        assert_eq!(
            rows.iter().map(code).collect::<Vec<_>>(),
            ["S_OK", "E_POINTER"]
        );
        assert_eq!(rows[0].printed, Some(0));
        assert_eq!(
            rows[1].paragraphs,
            ["One of the required pointer parameters is NULL."]
        );
    }

    #[test]
    fn html_table_errors_name_the_problem() {
        assert!(rows("<table><tr><td>E_FAIL</td><td>x</td>", false)
            .unwrap_err()
            .contains("a `<table>` has no `</table>`"));
        assert!(rows("<table><tr><td>E_FAIL</td><td>x</td></table>", false)
            .unwrap_err()
            .contains("a `<tr>` has no `</tr>`"));
        let e = rows("<table><tr><td>E_FAIL</td></tr></table>", false).unwrap_err();
        assert!(e.contains("1 cells; expected 2"), "{e}");
        let e = rows(
            "<table><tr><td>Some words</td><td>x</td></tr></table>",
            false,
        )
        .unwrap_err();
        assert!(e.contains("neither a code name"), "{e}");
    }

    #[test]
    fn bool_tables_are_recognized() {
        let (_, rows) = rows(
            "<table><tr><td><dl><dt><b>true</b></dt></dl></td><td>Yes.</td></tr></table>",
            false,
        )
        .unwrap();
        assert_eq!(rows[0].value, Value::Bool);
    }

    #[test]
    fn learn_pipe_table() {
        let s = "Possible values:\n\n| Return code/value | Description |\n| --- | --- |\n| **S_OK** | Done. |\n| **VDS_E_OPERATION_PENDING**<br><br>0x80042409L | The operation is in progress. |\n";
        let (shape, rows) = rows(s, false).unwrap();
        assert_eq!(shape, Shape::PipeTable);
        assert_eq!(
            rows.iter().map(code).collect::<Vec<_>>(),
            ["S_OK", "VDS_E_OPERATION_PENDING"]
        );
        assert_eq!(rows[1].printed, Some(0x80042409));
        assert_eq!(rows[1].paragraphs, ["The operation is in progress."]);
    }

    #[test]
    fn rendered_pipe_table_with_lost_names() {
        let s = "The following are the valid return codes for this method.\nValue | Meaning |\n---|---|\n|\nThe query operation was successful. |\n|\nUnexpected error. See\nEvent Handling.\nWindows XP: This value is not supported. |\nRemarks\n";
        let (shape, rows) = rows(s, true).unwrap();
        assert_eq!(shape, Shape::PipeTable);
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.value == Value::Missing));
        assert_eq!(
            rows[1].paragraphs,
            [
                "Unexpected error. See Event Handling.",
                "Windows XP: This value is not supported."
            ]
        );
        let e = rows_err("Value | Meaning |\n---|---|\n|\nno end");
        assert!(e.contains("ends inside a row"), "{e}");
    }

    fn rows_err(s: &str) -> String {
        rows(s, true).unwrap_err()
    }

    #[test]
    fn definition_lists() {
        let (shape, r) = rows("<dl>\n<dt><b>E_FAIL</b></dt>\n<dd>It failed.</dd>\n<dt>VSS_E_BAD_STATE 0x80042301L</dt><dd>Wrong state.</dd>\n</dl>", false).unwrap();
        assert_eq!(shape, Shape::DefinitionList);
        assert_eq!(
            r.iter().map(code).collect::<Vec<_>>(),
            ["E_FAIL", "VSS_E_BAD_STATE"]
        );
        assert_eq!(r[1].printed, Some(0x80042301));
        let (shape, r) = rows("Values:\n\n**E_FAIL**\n: It failed.\n  Really.\n\n**E_POINTER**\n: A *pointer* is NULL.\n", false).unwrap();
        assert_eq!(shape, Shape::DefinitionList);
        assert_eq!(
            r.iter().map(code).collect::<Vec<_>>(),
            ["E_FAIL", "E_POINTER"]
        );
        assert_eq!(r[0].paragraphs, ["It failed. Really."]);
        assert_eq!(r[1].paragraphs, ["A pointer is NULL."]);
        assert!(rows("<dl><dt>E_FAIL</dt></dl>", false)
            .unwrap_err()
            .contains("1 terms"));
    }

    #[test]
    fn prose_names_codes_sentence_by_sentence() {
        let (shape, r) = rows("If this method succeeds, it returns <b>S_OK</b>. Otherwise, it returns an <b>HRESULT</b> error code. If the volume is unknown, it returns VSS_E_OBJECT_NOT_FOUND.", false).unwrap();
        assert_eq!(shape, Shape::Prose);
        assert_eq!(
            r.iter().map(code).collect::<Vec<_>>(),
            ["S_OK", "VSS_E_OBJECT_NOT_FOUND"]
        );
        assert_eq!(
            r[1].paragraphs,
            ["If the volume is unknown, it returns VSS_E_OBJECT_NOT_FOUND."]
        );
        assert_eq!(rows("  \n", false).unwrap().0, Shape::Empty);
        // Names that are not returned, or not HRESULTs, are not rows.
        let (_, r) = rows("If the problem is transient, specify VSS_E_WRITERERROR_RETRYABLE in the call. This method returns a VSS_BACKUP_TYPE value.", false).unwrap();
        assert!(r.is_empty(), "{r:?}");
    }
}
