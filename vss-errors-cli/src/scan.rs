//! `explain --scan`: every HRESULT in free text (logs, event exports, `vssadmin list writers`
//! output), found line by line in one pass without regular expressions, so that memory stays
//! flat whatever the input's size.
//!
//! A finding is one of:
//! - `0x` and exactly eight hex digits, also inside `HRESULT(0x…)` (Rust's `Debug`), when the
//!   value is a failure (severity bit set) or a catalog code; `0x0053c008` (an IOCTL) is not;
//! - a negative decimal in the `i32` range whose facility winerror.h names, or that is a
//!   catalog code (`-2147212538`); `-1`, dates and a GUID's pieces are not;
//! - the name of a catalog code as a whole word, in any case (`vss_e_provider_veto`);
//! - in a `vssadmin list writers` block (`Writer name: '…'`, `State: [N] …`,
//!   `Last error: …`), the last error as its `VSS_E_WRITERERROR_*` code, with the writer's name
//!   and its `VSS_WRITER_STATE`.
//!
//! Positive decimals (event IDs, sizes), longer hex numbers (addresses) and hex without `0x`
//! are never findings.

use crate::query::Query;
use std::collections::HashMap;
use std::io::{self, BufRead};
use vss_errors::{Code, Decoded, HRESULT};

/// One HRESULT found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The line (from 1).
    pub line: u64,
    /// What matched, as written.
    pub text: String,
    /// The code or value it names.
    pub query: Query,
    /// The writer, inside a `vssadmin list writers` block.
    pub writer: Option<String>,
    /// The writer's state (`VSS_WS_…`), inside a `vssadmin list writers` block.
    pub state: Option<&'static str>,
}

impl Finding {
    /// The 32-bit value.
    pub fn value(&self) -> u32 {
        match self.query {
            Query::Value(v) => v,
            Query::Name(c) => c.value(),
        }
    }
}

/// `VSS_WRITER_STATE` (vss.h) by value.
pub const WRITER_STATES: [&str; 16] = [
    "VSS_WS_UNKNOWN",
    "VSS_WS_STABLE",
    "VSS_WS_WAITING_FOR_FREEZE",
    "VSS_WS_WAITING_FOR_THAW",
    "VSS_WS_WAITING_FOR_POST_SNAPSHOT",
    "VSS_WS_WAITING_FOR_BACKUP_COMPLETE",
    "VSS_WS_FAILED_AT_IDENTIFY",
    "VSS_WS_FAILED_AT_PREPARE_BACKUP",
    "VSS_WS_FAILED_AT_PREPARE_SNAPSHOT",
    "VSS_WS_FAILED_AT_FREEZE",
    "VSS_WS_FAILED_AT_THAW",
    "VSS_WS_FAILED_AT_POST_SNAPSHOT",
    "VSS_WS_FAILED_AT_BACKUP_COMPLETE",
    "VSS_WS_FAILED_AT_PRE_RESTORE",
    "VSS_WS_FAILED_AT_POST_RESTORE",
    "VSS_WS_FAILED_AT_BACKUPSHUTDOWN",
];

/// What `vssadmin list writers` prints as `Last error:`, and the writer error it stands for.
/// `No error` is no finding.
pub const LAST_ERRORS: [(&str, Code); 7] = [
    (
        "Inconsistent shadow copy",
        Code::VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT,
    ),
    ("Out of resources", Code::VSS_E_WRITERERROR_OUTOFRESOURCES),
    ("Timed out", Code::VSS_E_WRITERERROR_TIMEOUT),
    ("Retryable error", Code::VSS_E_WRITERERROR_RETRYABLE),
    ("Non-retryable error", Code::VSS_E_WRITERERROR_NONRETRYABLE),
    ("Partial failure", Code::VSS_E_WRITERERROR_PARTIAL_FAILURE),
    ("Unexpected error", Code::VSS_E_UNEXPECTED_WRITER_ERROR),
];

/// The `vssadmin` block the scanner is in.
#[derive(Default)]
struct Block {
    writer: Option<String>,
    state: Option<&'static str>,
}

/// Finds HRESULTs in a stream of lines; keeps only the open `vssadmin` block between lines.
pub struct Scanner {
    names: HashMap<Box<[u8]>, Code>,
    longest_name: usize,
    block: Block,
    line: u64,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::new()
    }
}

impl Scanner {
    /// A scanner at the start of a text.
    pub fn new() -> Scanner {
        let names: HashMap<Box<[u8]>, Code> = Code::ALL
            .iter()
            .map(|c| (c.name().as_bytes().into(), *c))
            .collect();
        let longest_name = Code::ALL.iter().map(|c| c.name().len()).max().unwrap_or(0);
        Scanner {
            names,
            longest_name,
            block: Block::default(),
            line: 0,
        }
    }

    /// Scans every line of `input`, calling `found` for each finding in order. Lines are
    /// scanned where they lie in the reader's buffer; only a line that spans two fills is
    /// copied.
    pub fn scan(
        &mut self,
        mut input: impl BufRead,
        mut found: impl FnMut(Finding) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut carry: Vec<u8> = Vec::new();
        loop {
            let avail = input.fill_buf()?;
            if avail.is_empty() {
                if !carry.is_empty() {
                    self.scan_line(&carry, &mut found)?;
                }
                return Ok(());
            }
            let len = avail.len();
            let mut at = 0;
            if !carry.is_empty() {
                match memchr::memchr(b'\n', avail) {
                    Some(end) => {
                        carry.extend_from_slice(&avail[..=end]);
                        self.scan_line(&carry, &mut found)?;
                        carry.clear();
                        at = end + 1;
                    }
                    None => {
                        carry.extend_from_slice(avail);
                        input.consume(len);
                        continue;
                    }
                }
            }
            while let Some(end) = memchr::memchr(b'\n', &avail[at..]) {
                self.scan_line(&avail[at..at + end + 1], &mut found)?;
                at += end + 1;
            }
            carry.extend_from_slice(&avail[at..]);
            input.consume(len);
        }
    }

    /// Scans the next line (with or without its line ending).
    pub fn scan_line(
        &mut self,
        line: &[u8],
        found: &mut impl FnMut(Finding) -> io::Result<()>,
    ) -> io::Result<()> {
        self.line += 1;
        let last_error = self.vssadmin(line);
        let mut i = 0;
        while i < line.len() {
            let first = line[i];
            if !is_word(first) {
                i += 1;
                continue;
            }
            let start = i;
            let mut underscore = false;
            while i < line.len() && is_word(line[i]) {
                underscore |= line[i] == b'_';
                i += 1;
            }
            // Most words can be nothing: only `0x` + 8 digits, digits after `-`, or a word
            // with `_` go on to the full check.
            let candidate = underscore
                || (first == b'0' && i - start == 10)
                || (first.is_ascii_digit() && start > 0 && line[start - 1] == b'-');
            if !candidate {
                continue;
            }
            if let Some((from, to, query)) = self.word(line, start, i, underscore) {
                found(self.finding(&line[from..to], query))?;
            }
        }
        if let Some(code) = last_error {
            let text = trim(line);
            let finding = self.finding(text, Query::Name(code));
            self.block = Block::default();
            found(finding)?;
        }
        Ok(())
    }

    fn finding(&self, text: &[u8], query: Query) -> Finding {
        Finding {
            line: self.line,
            text: String::from_utf8_lossy(text).into_owned(),
            query,
            writer: self.block.writer.clone(),
            state: self.block.state,
        }
    }

    /// A finding in the word `line[start..end]`: its span and what it names.
    fn word(
        &self,
        line: &[u8],
        start: usize,
        end: usize,
        underscore: bool,
    ) -> Option<(usize, usize, Query)> {
        let w = &line[start..end];
        if w.len() == 10 && (w.starts_with(b"0x") || w.starts_with(b"0X")) {
            let v = hex8(&w[2..])?;
            if v & 0x8000_0000 == 0 && Code::readings(HRESULT(v as i32)).is_empty() {
                return None;
            }
            let debug = start >= 8
                && &line[start - 8..start] == b"HRESULT("
                && line.get(end) == Some(&b')');
            return Some(if debug {
                (start - 8, end + 1, Query::Value(v))
            } else {
                (start, end, Query::Value(v))
            });
        }
        if w[0].is_ascii_digit() {
            // A negative decimal: `-` right before, and no word or number before the `-`.
            let minus = start >= 1 && line[start - 1] == b'-';
            let alone = start < 2 || !(is_word(line[start - 2]) || line[start - 2] == b'-');
            if !(minus && alone) || w.len() > 10 || !w.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let n: i64 = std::str::from_utf8(w).ok()?.parse().ok()?;
            if n == 0 || n > -i64::from(i32::MIN) {
                return None;
            }
            let v = (-n) as i32 as u32;
            let known = !Code::readings(HRESULT(v as i32)).is_empty();
            if !known && Decoded::new(HRESULT(v as i32)).facility_name().is_none() {
                return None;
            }
            return Some((start - 1, end, Query::Value(v)));
        }
        if !underscore || w.len() > self.longest_name {
            return None;
        }
        let mut upper = [0u8; 96];
        let upper = upper.get_mut(..w.len())?;
        for (u, b) in upper.iter_mut().zip(w) {
            *u = b.to_ascii_uppercase();
        }
        let code = self.names.get(&*upper)?;
        Some((start, end, Query::Name(*code)))
    }

    /// Follows a `vssadmin list writers` block; the code of its `Last error:` line, if any.
    fn vssadmin(&mut self, line: &[u8]) -> Option<Code> {
        let t = trim(line);
        if let Some(rest) = t.strip_prefix(b"Writer name: ") {
            let name = rest.strip_prefix(b"'").unwrap_or(rest);
            let name = name.strip_suffix(b"'").unwrap_or(name);
            self.block = Block {
                writer: Some(String::from_utf8_lossy(name).into_owned()),
                state: None,
            };
            return None;
        }
        self.block.writer.as_ref()?;
        if let Some(rest) = t.strip_prefix(b"State: [") {
            let digits: Vec<u8> = rest
                .iter()
                .copied()
                .take_while(u8::is_ascii_digit)
                .collect();
            self.block.state = std::str::from_utf8(&digits)
                .ok()
                .and_then(|d| d.parse::<usize>().ok())
                .and_then(|n| WRITER_STATES.get(n).copied());
            return None;
        }
        let rest = t.strip_prefix(b"Last error: ")?;
        let found = LAST_ERRORS
            .iter()
            .find(|(text, _)| rest.eq_ignore_ascii_case(text.as_bytes()))
            .map(|(_, c)| *c);
        if found.is_none() {
            // `No error`, or a text we do not know: the block ends here either way.
            self.block = Block::default();
        }
        found
    }
}

/// Bytes that make up a word: ASCII letters, digits and `_`.
const WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    t
};

#[inline]
fn is_word(b: u8) -> bool {
    WORD[b as usize]
}

fn trim(line: &[u8]) -> &[u8] {
    let start = line
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(line.len());
    let end = line
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &line[start..end.max(start)]
}

fn hex8(digits: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &d in digits {
        let n = (d as char).to_digit(16)?;
        v = (v << 4) | n;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        Scanner::new()
            .scan(text.as_bytes(), |f| {
                out.push(f);
                Ok(())
            })
            .unwrap();
        out
    }

    fn texts(text: &str) -> Vec<(u64, String)> {
        scan(text).into_iter().map(|f| (f.line, f.text)).collect()
    }

    #[test]
    fn every_notation_is_found_with_its_line() {
        let log = "start\nDoSnapshotSet failed: 0x80042306\nerr=HRESULT(0x800423F3) at x\n\
                   code -2147212538.\nsee vss_e_provider_veto and VSS_E_BAD_STATE\n";
        assert_eq!(
            texts(log),
            [
                (2, "0x80042306".to_string()),
                (3, "HRESULT(0x800423F3)".to_string()),
                (4, "-2147212538".to_string()),
                (5, "vss_e_provider_veto".to_string()),
                (5, "VSS_E_BAD_STATE".to_string()),
            ]
        );
        let f = scan(log);
        assert_eq!(f[0].query, Query::Value(0x8004_2306));
        assert_eq!(f[2].query, Query::Value(0x8004_2306));
        assert_eq!(f[3].query, Query::Name(Code::VSS_E_PROVIDER_VETO));
        assert!(f.iter().all(|f| f.writer.is_none() && f.state.is_none()));
    }

    #[test]
    fn lines_across_buffer_fills_are_found_the_same() {
        let log =
            "a 0x80042306 b\nvss_e_bad_state\n-2147212538 x\nno newline at the end 0x800423F3";
        let whole = scan(log);
        assert_eq!(whole.len(), 4);
        for cap in 1..40 {
            let mut out = Vec::new();
            Scanner::new()
                .scan(io::BufReader::with_capacity(cap, log.as_bytes()), |f| {
                    out.push(f);
                    Ok(())
                })
                .unwrap();
            assert_eq!(out, whole, "buffer of {cap} bytes");
        }
    }

    #[test]
    fn what_only_looks_like_a_code_is_not_found() {
        let log = "ioctl 0x0053c008 done\n\
                   addr 0x00007ff6a1b2 and 0x7ff6a1b2c3d4\n\
                   guid {6d4d3a5b-8f9e-4b3e-a5f2-1c2d3e4f5a6b} or 12345678-1234-1234\n\
                   Event ID: 8193, 2147754758 bytes, offset -1, -12 degrees\n\
                   date 2026-12-06, range 10-2147212538, x--2147212538\n\
                   0x800423061 is nine digits, 80042306 has no prefix\n\
                   VSS_E_PROVIDER_VETOED, MY_VSS_E_BAD_STATE, vss_e_provider_veto_x\n\
                   -2147483649 is out of range\n";
        assert_eq!(texts(log), []);
    }

    #[test]
    fn a_success_code_of_the_catalog_counts_and_others_do_not() {
        let ok = format!("0x{:08X}", Code::VSS_S_ASYNC_FINISHED.value());
        assert_eq!(
            texts(&format!("status {ok}\nstatus 0x00040000\n")),
            [(1, ok)]
        );
    }

    #[test]
    fn vssadmin_blocks_give_the_writer_state_and_error() {
        let log = "Writer name: 'System Writer'\r\n   Writer Id: {e8132975-6f93-4464-a53e-1050253ae220}\r\n\
                   \x20  State: [1] Stable\r\n   Last error: No error\r\n\r\n\
                   Writer name: 'Microsoft Exchange Writer'\n   State: [9] Failed\n   Last error: Retryable error\n\
                   Last error: Timed out\n";
        let f = scan(log);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].line, 8);
        assert_eq!(f[0].text, "Last error: Retryable error");
        assert_eq!(f[0].query, Query::Name(Code::VSS_E_WRITERERROR_RETRYABLE));
        assert_eq!(f[0].writer.as_deref(), Some("Microsoft Exchange Writer"));
        assert_eq!(f[0].state, Some("VSS_WS_FAILED_AT_FREEZE"));
    }

    #[test]
    fn codes_inside_a_block_carry_its_writer() {
        let f =
            scan("Writer name: 'SqlServerWriter'\n   State: [8] Failed\n   detail 0x800423F4\n");
        assert_eq!(f[0].writer.as_deref(), Some("SqlServerWriter"));
        assert_eq!(f[0].state, Some("VSS_WS_FAILED_AT_PREPARE_SNAPSHOT"));
    }

    #[test]
    fn writer_states_are_the_headers() {
        // vss.h from mingw-w64 (installed by scripts/ci-deps.sh): `VSS_WS_… = N,`.
        let header = std::fs::read_to_string("/usr/share/mingw-w64/include/vss.h")
            .expect("the SDK headers are installed (scripts/ci-deps.sh)");
        let mut from_header = Vec::new();
        for line in header.lines() {
            let line = line.trim().trim_end_matches(',');
            if let Some((name, value)) = line.split_once(" = ") {
                if name.starts_with("VSS_WS_") && name != "VSS_WS_COUNT" {
                    from_header.push((value.parse::<usize>().unwrap(), name.to_string()));
                }
            }
        }
        let ours: Vec<(usize, String)> = WRITER_STATES
            .iter()
            .enumerate()
            .map(|(i, n)| (i, n.to_string()))
            .collect();
        assert_eq!(ours, from_header);
    }

    #[test]
    fn any_bytes_give_findings_that_are_in_the_line() {
        let mut s = Scanner::new();
        let mut seed = 0x2545_F491_u32;
        let mut found = 0;
        for len in 0..2000 {
            const PIECES: [&[u8]; 16] = [
                b"0x",
                b"80042306",
                b"-",
                b"2147212538",
                b"HRESULT(",
                b")",
                b"vss_e_bad_state",
                b"_",
                b"A",
                b" ",
                b"\xff",
                b"Writer name: '",
                b"State: [9]",
                b"Last error: Timed out",
                b"9",
                b"0X800423f3",
            ];
            let mut line = Vec::new();
            for _ in 0..len % 12 {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                line.extend_from_slice(PIECES[seed as usize % PIECES.len()]);
            }
            let text = String::from_utf8_lossy(&line).into_owned();
            s.scan_line(&line, &mut |f| {
                assert!(text.contains(&f.text), "{f:?} in {text:?}");
                assert!(f.value() & 0x8000_0000 != 0 || f.query != Query::Value(0));
                found += 1;
                Ok(())
            })
            .unwrap();
        }
        assert!(found > 100, "the pieces form findings: {found}");
    }
}
