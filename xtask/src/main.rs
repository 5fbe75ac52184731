//! `cargo xtask`: `codegen [--check]` writes or checks everything generated from the catalog
//! (the Rust code and the docs); `docs [--check]` only the Markdown reference in `docs/`; `export --json` prints the catalog as JSON.

use std::process::ExitCode;

/// Generating is millions of small, short-lived allocations; see BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  codegen [--check]   write the generated code and docs (or, with --check, fail when one
                      is stale)
  docs [--check]      write the Markdown reference in docs/ (or, with --check, fail when a
                      page is stale, missing or no longer generated)
  export --json       print the whole catalog as JSON on stdout
  import PATH… [--json | --write | --check]
                      read Microsoft Docs pages: summarize, print as JSON, merge into the
                      catalog, or list the drift between the pages and the catalog";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        // Everything generated from the catalog: the Rust code, then the docs.
        ["codegen"] => then(codegen(false), || xtask::docs::run(&[])),
        ["codegen", "--check"] => both(codegen(true), xtask::docs::run(&["--check"])),
        ["docs", rest @ ..] => xtask::docs::run(rest),
        ["export", "--json"] => export(),
        ["import", rest @ ..] => xtask::import::run(rest),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("error: unknown arguments {args:?}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Runs `next` only when `first` succeeded.
fn then(first: ExitCode, next: impl FnOnce() -> ExitCode) -> ExitCode {
    if first == ExitCode::SUCCESS {
        next()
    } else {
        first
    }
}

/// Fails when either failed (both have reported already).
fn both(a: ExitCode, b: ExitCode) -> ExitCode {
    if a == ExitCode::SUCCESS {
        b
    } else {
        a
    }
}

fn codegen(check: bool) -> ExitCode {
    xtask::codegen(&xtask::workspace_root(), check)
}

fn export() -> ExitCode {
    let root = xtask::workspace_root();
    match codegen::check_dir(&root.join("catalog")) {
        Ok(cat) => {
            print!("{}", codegen::json::export(&cat));
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            ExitCode::FAILURE
        }
    }
}
