//! The `clearance` binary: parse arguments, hand them to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    match clearance::cli::Cli::try_parse() {
        Ok(cli) => clearance::cli::main(cli),
        // --help, --version, or arguments clap refuses.
        Err(e) => clearance::cli::parse_error(&e),
    }
}
