//! The command line: `vss-errors explain CODE [--method NAME] [--json]` and
//! `vss-errors explain --scan [FILE…] [--json]`, parsed by clap; what each prints and its exit
//! status.

use crate::explain::explain;
use crate::query::{find_method, parse_query, printable, Query, QueryError};
use crate::scan::{Finding, Scanner};
use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand};
use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};

/// Exit status: explained, or something found by `--scan`.
pub const EXIT_OK: u8 = 0;
/// Exit status: a well-formed value or name the catalog does not know, or nothing found.
pub const EXIT_UNKNOWN: u8 = 1;
/// Exit status: bad arguments, or a file that cannot be read.
pub const EXIT_USAGE: u8 = 2;

/// Typed, explained errors for the Windows Volume Shadow Copy Service.
#[derive(Parser, Debug)]
#[command(name = "vss-errors", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// What an HRESULT means: its fields, every reading, and what each documenting method says
    #[command(after_help = AFTER_HELP)]
    Explain(ExplainArgs),
}

const AFTER_HELP: &str =
    "CODE is a value (0x80042306; 80042306, eight hex digits without 0x; 2147754758 \
or -2147212538) or a name in any case (VSS_E_PROVIDER_VETO). Write `--` before a negative \
decimal when it could be read as an option.

Exit status: 0 explained (or found by --scan), 1 not in the catalog (or nothing found), \
2 bad arguments or an unreadable file.";

#[derive(Args, Debug)]
struct ExplainArgs {
    /// The code to explain; with --scan, the files to scan (standard input when none or `-`)
    #[arg(value_name = "CODE|FILE", allow_negative_numbers = true)]
    inputs: Vec<String>,
    /// Only what that method documents: IVssBackupComponents::DoSnapshotSet, or the bare
    /// name when only one method has it
    #[arg(long, value_name = "NAME", conflicts_with = "scan")]
    method: Option<String>,
    /// Print JSON: one object, or with --scan one object per finding per line
    #[arg(long)]
    json: bool,
    /// Find and explain every HRESULT in free text (logs, `vssadmin list writers` output)
    #[arg(long)]
    scan: bool,
}

/// Runs the command: arguments (with the program name), standard input and output.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let mut text = e.render().to_string();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            let _ = if e.use_stderr() {
                stderr.write_all(text.as_bytes())
            } else {
                stdout.write_all(text.as_bytes())
            };
            return code;
        }
    };
    let Command::Explain(args) = cli.command;
    let result = if args.scan {
        scan_command(&args, stdin, stdout)
    } else {
        explain_command(&args, stdout)
    };
    match result {
        Ok(status) => status,
        Err(Failure::Usage(e)) => {
            let _ = stderr.write_all(e.render().to_string().as_bytes());
            EXIT_USAGE
        }
        Err(Failure::Message(status, msg)) => {
            let _ = writeln!(stderr, "error: {msg}");
            status
        }
        // A closed pipe (`… | head`) is not an error worth a message: the output is simply cut.
        Err(Failure::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(Failure::Output(e)) => {
            let _ = writeln!(stderr, "error: cannot write the output: {e}");
            EXIT_USAGE
        }
    }
}

enum Failure {
    /// Arguments clap accepted that still make no command (shown with the usage).
    Usage(clap::Error),
    /// A message and the exit status.
    Message(u8, String),
    /// Writing the output failed.
    Output(io::Error),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Output(e)
    }
}

fn usage(kind: ErrorKind, msg: impl std::fmt::Display) -> Failure {
    let mut cmd = Cli::command();
    cmd.build();
    let sub = cmd
        .find_subcommand_mut("explain")
        .map(|s| s.clone())
        .unwrap_or_default();
    Failure::Usage(sub.clone().error(kind, msg))
}

fn explain_command(args: &ExplainArgs, stdout: &mut dyn Write) -> Result<u8, Failure> {
    let code = match args.inputs.as_slice() {
        [] => return Err(usage(
            ErrorKind::MissingRequiredArgument,
            "missing CODE; write a value like `0x80042306` or a name like `VSS_E_PROVIDER_VETO`",
        )),
        [one] => one,
        [first, second, ..] => {
            return Err(usage(
                ErrorKind::TooManyValues,
                format!(
                    "one code at a time: found `{}` and `{}`; write `--scan` to find codes in text",
                    printable(first),
                    printable(second)
                ),
            ))
        }
    };
    let query = match parse_query(code) {
        Ok(q) => q,
        Err(QueryError::Invalid(e)) => return Err(usage(ErrorKind::InvalidValue, e)),
        Err(QueryError::UnknownName { name, suggestions }) => {
            let mut msg = format!("no code named `{name}` in the catalog");
            match suggestions.as_slice() {
                [] => msg.push_str("; write a value like `0x80042306` to decode any HRESULT"),
                [one] => msg.push_str(&format!("; did you mean `{one}`?")),
                many => msg.push_str(&format!("; did you mean one of `{}`?", many.join("`, `"))),
            }
            return Err(Failure::Message(EXIT_UNKNOWN, msg));
        }
    };
    let method = match args.method.as_deref().map(find_method).transpose() {
        Ok(m) => m,
        Err(e) => return Err(usage(ErrorKind::InvalidValue, e)),
    };
    let ex = explain(code, query, method);
    let out = if args.json {
        crate::json::explanation(&ex)
    } else {
        ex.to_text()
    };
    stdout.write_all(out.as_bytes())?;
    Ok(if ex.known() { EXIT_OK } else { EXIT_UNKNOWN })
}

/// A source of text for `--scan`.
enum Source {
    Stdin,
    File(String, File),
}

/// At most this many line numbers are listed per code in the text form; the rest are counted.
const LINES_SHOWN: usize = 20;

/// The text form's record of one code: where it occurs.
struct Seen {
    query: Query,
    count: u64,
    places: Vec<String>,
}

fn scan_command(
    args: &ExplainArgs,
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
) -> Result<u8, Failure> {
    let names: Vec<&str> = if args.inputs.is_empty() {
        vec!["-"]
    } else {
        args.inputs.iter().map(String::as_str).collect()
    };
    // Every file is opened before anything is printed, so a bad name fails the run up front.
    let mut sources = Vec::new();
    for n in &names {
        if *n == "-" {
            sources.push(Source::Stdin);
        } else {
            let f = File::open(n).map_err(|e| {
                Failure::Message(EXIT_USAGE, format!("cannot read `{}`: {e}", printable(n)))
            })?;
            sources.push(Source::File(n.to_string(), f));
        }
    }
    let several = sources.len() > 1;
    let mut out = io::BufWriter::with_capacity(64 * 1024, stdout);
    let mut readings: HashMap<Query, String> = HashMap::new();
    let mut seen: Vec<Seen> = Vec::new();
    let mut index: HashMap<Query, usize> = HashMap::new();
    let mut any = false;
    for source in sources {
        let (label, reader): (Option<String>, Box<dyn BufRead + '_>) = match source {
            Source::Stdin => (None, Box::new(&mut *stdin)),
            Source::File(name, f) => (
                Some(name),
                Box::new(BufReader::with_capacity(256 * 1024, f)),
            ),
        };
        let shown = label.clone().unwrap_or_else(|| "standard input".into());
        let mut write_err: Option<io::Error> = None;
        let result = Scanner::new().scan(reader, |f: Finding| {
            any = true;
            if args.json {
                let r = readings
                    .entry(f.query)
                    .or_insert_with(|| readings_json(f.query));
                if let Err(e) = json_line(&mut out, &f, r, label.as_deref()) {
                    write_err = Some(e);
                    return Err(io::Error::other("output closed"));
                }
            } else {
                let i = *index.entry(f.query).or_insert_with(|| {
                    seen.push(Seen {
                        query: f.query,
                        count: 0,
                        places: Vec::new(),
                    });
                    seen.len() - 1
                });
                let s = &mut seen[i];
                s.count += 1;
                if s.places.len() < LINES_SHOWN {
                    s.places
                        .push(place(&f, label.as_deref().filter(|_| several)));
                }
            }
            Ok(())
        });
        if let Some(e) = write_err {
            return Err(Failure::Output(e));
        }
        result.map_err(|e| {
            Failure::Message(
                EXIT_USAGE,
                format!("cannot read `{}`: {e}", printable(&shown)),
            )
        })?;
    }
    if !args.json {
        for (n, s) in seen.iter().enumerate() {
            if n > 0 {
                writeln!(out)?;
            }
            write_seen(&mut out, s)?;
        }
    }
    out.flush()?;
    Ok(if any { EXIT_OK } else { EXIT_UNKNOWN })
}

/// Where a finding is, as the text form lists it: `12`, `app.log:12`, with the writer.
fn place(f: &Finding, file: Option<&str>) -> String {
    let mut p = match file {
        Some(name) => format!("{name}:{}", f.line),
        None => f.line.to_string(),
    };
    if let Some(w) = &f.writer {
        p.push_str(&format!(" (writer '{w}'"));
        if let Some(s) = f.state {
            p.push_str(&format!(", {s}"));
        }
        p.push(')');
    }
    p
}

fn write_seen(out: &mut impl Write, s: &Seen) -> io::Result<()> {
    let (label, input) = match s.query {
        Query::Value(v) => (format!("0x{v:08X}"), format!("0x{v:08X}")),
        Query::Name(c) => (
            format!("{} (0x{:08X})", c.name(), c.value()),
            c.name().to_string(),
        ),
    };
    let lines = if s.count == 1 { "line" } else { "lines" };
    let mut head = format!("== {label} at {lines} {}", s.places.join(", "));
    let more = s.count - s.places.len() as u64;
    if more > 0 {
        head.push_str(&format!(" and {more} more"));
    }
    writeln!(out, "{head}")?;
    out.write_all(explain(&input, s.query, None).to_text().as_bytes())
}

fn readings_json(q: Query) -> String {
    let ex = explain("", q, None);
    serde_json::to_string(&crate::json::readings(&ex.readings)).unwrap_or_else(|_| "[]".into())
}

fn json_line(
    out: &mut impl Write,
    f: &Finding,
    readings: &str,
    file: Option<&str>,
) -> io::Result<()> {
    let s = |v: &str| serde_json::to_string(v).unwrap_or_default();
    let opt = |v: Option<&str>| v.map_or_else(|| "null".to_string(), s);
    writeln!(
        out,
        "{{\"line\":{},\"text\":{},\"value\":\"0x{:08X}\",\"writer\":{},\"state\":{},\"readings\":{},\"file\":{}}}",
        f.line,
        s(&f.text),
        f.value(),
        opt(f.writer.as_deref()),
        opt(f.state),
        readings,
        opt(file)
    )
}
