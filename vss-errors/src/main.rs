//! The `vss-errors` command (feature `cli`): `vss-errors explain CODE [--method NAME] [--json]`
//! prints what an HRESULT means according to the catalog; the logic is `vss_errors::explain`.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let out = vss_errors::explain::run(&args);
    // A closed pipe (`… | head`) is not an error worth a panic: the output is simply cut.
    let _ = std::io::stdout().lock().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().lock().write_all(out.stderr.as_bytes());
    ExitCode::from(out.status)
}
