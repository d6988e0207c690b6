//! The `clearance` binary: parse arguments, hand them to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    clearance::cli::main(clearance::cli::Cli::parse())
}
