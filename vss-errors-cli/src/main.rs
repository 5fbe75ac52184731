//! The `vss-errors` binary: runs [`vss_errors_cli::cli::run`] on the process's arguments and
//! standard streams.

use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let stdin = io::stdin();
    let mut stdin = stdin.lock();
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    let status =
        vss_errors_cli::cli::run(std::env::args_os(), &mut stdin, &mut stdout, &mut stderr);
    let _ = stdout.flush();
    ExitCode::from(status)
}
