//! Catalog source files: reading the `catalog/` folder and mapping byte offsets to lines.

use crate::diagnostic::{Diagnostic, Diagnostics, Loc};
use std::path::Path;

/// One TOML file of the catalog, with the path used in diagnostics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// Path shown in diagnostics, with `/` separators (for example `catalog/codes.toml`).
    pub path: String,
    /// The file's text.
    pub text: String,
}

impl SourceFile {
    /// Creates a source file from a display path and its text.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            path: path.into(),
            text: text.into(),
        }
    }

    /// The line and column of a byte offset (clamped to the text).
    pub fn loc(&self, offset: usize) -> Loc {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Loc {
            file: self.path.clone(),
            line: line as u32,
            col: col as u32,
        }
    }
}

/// Where each line of a file starts: maps many offsets to line:column without rescanning the
/// text from its start for each one (the loader asks for a location per key and value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`'s line starts.
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// The same as [`SourceFile::loc`] for the file this index was built from.
    pub fn loc(&self, file: &SourceFile, offset: usize) -> Loc {
        let mut offset = offset.min(file.text.len());
        while !file.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let line_start = self.starts.get(line - 1).copied().unwrap_or(0).min(offset);
        let col = file.text[line_start..offset].chars().count() + 1;
        Loc {
            file: file.path.clone(),
            line: line as u32,
            col: col as u32,
        }
    }
}

/// Reads every `*.toml` file below `dir`, sorted by path, so that the result never depends
/// on the order the file system lists them in. Line endings are normalized to `\n`.
pub fn read_dir(dir: &Path) -> Result<Vec<SourceFile>, Diagnostics> {
    let prefix = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut found = Vec::new();
    collect(dir, &prefix, &mut found)?;
    found.sort_by(|a, b| a.path.cmp(&b.path));
    if found.is_empty() {
        return Err(io_diag(
            &prefix,
            "no `*.toml` file found in the catalog folder",
        ));
    }
    Ok(found)
}

fn collect(dir: &Path, shown: &str, out: &mut Vec<SourceFile>) -> Result<(), Diagnostics> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| io_diag(shown, &format!("cannot read folder: {e}")))?;
    for entry in entries {
        let entry = entry.map_err(|e| io_diag(shown, &format!("cannot read folder: {e}")))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let child = if shown.is_empty() {
            name.clone()
        } else {
            format!("{shown}/{name}")
        };
        if path.is_dir() {
            collect(&path, &child, out)?;
        } else if name.ends_with(".toml") {
            let bytes = std::fs::read(&path)
                .map_err(|e| io_diag(&child, &format!("cannot read file: {e}")))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                io_diag(
                    &child,
                    &format!(
                        "expected UTF-8 text, found an invalid byte at offset {}",
                        e.utf8_error().valid_up_to()
                    ),
                )
            })?;
            out.push(SourceFile::new(child, text.replace("\r\n", "\n")));
        }
    }
    Ok(())
}

fn io_diag(file: &str, message: &str) -> Diagnostics {
    Diagnostic {
        loc: Loc {
            file: file.to_string(),
            line: 1,
            col: 1,
        },
        key: String::new(),
        message: message.to_string(),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_agrees_with_loc_at_every_offset() {
        let file = SourceFile::new(
            "catalog/x.toml",
            "a = 1\n\nname = \"Größe\" # ü\n\n  text = \"🚀\"\nlast",
        );
        let index = LineIndex::new(&file.text);
        for offset in 0..=file.text.len() + 2 {
            assert_eq!(
                index.loc(&file, offset),
                file.loc(offset),
                "offset {offset}"
            );
        }
        assert_eq!(index.loc(&file, 8).line, 3);
    }
}
