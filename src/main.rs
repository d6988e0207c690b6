//! The `clearance` binary: parse arguments, hand them to the library. `clearance` alone prints
//! a short usage with an example (exit code 2); a command that fails, or arguments clap refuses,
//! are followed by a hint when the shell split a path, or a `--set`/`--vary` key path, with
//! spaces given without quotes.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.len() <= 1 {
        // (stderr that cannot be written is no reason to panic)
        let _ = write!(std::io::stderr(), "{}", clearance::cli::short_usage());
        return ExitCode::from(2);
    }
    let code = match clearance::cli::Cli::try_parse_from(&args) {
        Ok(cli) => clearance::cli::main(cli),
        // --help, --version, or arguments clap refuses.
        Err(e) => clearance::cli::parse_error(&e),
    };
    if code != ExitCode::SUCCESS {
        if let Some(hint) = clearance::cli::quote_hint(&args) {
            let _ = writeln!(std::io::stderr(), "hint: {hint}");
        }
    }
    code
}
