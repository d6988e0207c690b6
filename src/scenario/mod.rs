//! Scenarios: the TOML format of MODEL.md §2, its validation, and the resolved `Scenario` the
//! simulation runs on.
//!
//! Pipeline (each stage its own module):
//! text --`document`--> `toml_edit` document (spans: key path -> line:column) and `toml::Table`
//! --`sections`--> raw structs (`raw`; every unknown key and wrong type reported)
//! --`validate`--> resolved `Scenario` (`types`; units from `units`, distributions from `dist`).
//! Every stage collects all its problems as `Diagnostic`s; nothing panics on any input.
//! `extends` (inheritance) and `--set` overrides act on the `toml::Table` between the first two
//! stages (`extends`, `overrides`).

pub mod diag;
pub mod dist;
pub mod document;
pub mod extends;
pub mod overrides;
pub mod raw;
pub mod sections;
pub mod source;
pub mod types;
pub mod units;
pub mod validate;

pub use diag::{
    fold_entries, Diagnostic, Inherited, Problem, ScenarioError, ScenarioErrorKind, Severity,
    Spans, SHOWN_BEFORE_FOLD,
};
pub use dist::{Dist, SizeDist};
pub(crate) use extends::legacy_fingerprint;
pub use extends::{fingerprint, load_effective_table, load_file_with, load_str_with, Loaded};
pub use overrides::{parse_set, parse_vary, Override};
pub use source::{ScenarioFile, Source};
pub use types::*;

use std::path::Path;

/// Read and validate a scenario file (with `extends` resolved). The file is named in messages
/// as `path` is written.
pub fn load_file(path: &Path) -> Result<Scenario, ScenarioError> {
    load_file_with(path, &[]).map(|l| l.scenario)
}

/// Validate scenario text; `file` names it in messages; `extends` is resolved relative to the
/// current directory.
pub fn load_str(src: &str, file: &str) -> Result<Scenario, ScenarioError> {
    load_str_with(src, file, Path::new("."), &[]).map(|l| l.scenario)
}

/// Validate an already parsed table (`spans` may be empty for values that have no source
/// position, e.g. command-line overrides).
pub fn load_table(
    table: &toml::Table,
    spans: &Spans,
    file: &str,
) -> Result<Scenario, ScenarioError> {
    load_table_placed(table, spans, file, None, &Inherited::default()).map(|(s, _)| s)
}

/// `load_table` with every error and warning moved by `place` to the file that wrote its key,
/// and what merging an `extends` chain found (`inherited`) reported with them; with the
/// scenario, its warnings as diagnostics (those of `Scenario::warnings`, in the same order).
fn load_table_placed(
    table: &toml::Table,
    spans: &Spans,
    file: &str,
    place: Option<&dyn Fn(&mut Diagnostic)>,
    inherited: &Inherited,
) -> Result<(Scenario, Vec<Diagnostic>), ScenarioError> {
    let mut d = diag::Diags::new(file, spans);
    d.place = place;
    d.inherited = inherited.clone();
    // A sweep file given where a scenario is expected (`validate`, `run`): say what it is,
    // rather than "unknown section sweep" and every missing section of a scenario.
    if table.get("sweep").is_some_and(toml::Value::is_table) && !table.contains_key("scenario") {
        d.error(
            "sweep",
            "this is a sweep file ([sweep]), not a scenario",
            None,
        );
        // The file that wrote [sweep]: `file` itself, or a base it extends.
        if let Some(e) = d.errors.last_mut() {
            let sweep = if e.file.is_empty() {
                file.to_string()
            } else {
                e.file.clone()
            };
            if sweep != file {
                e.message = format!(
                    "{file} extends {sweep}, a sweep file ([sweep]), not a scenario: a scenario \
                     can extend only a scenario"
                );
            }
            e.hint = Some(format!(
                "run it with `clearance sweep {sweep}` (the scenario it varies is its [sweep] \
                 scenario = \"…\"){}",
                if sweep != file {
                    format!(", or extend that scenario instead of {sweep}")
                } else {
                    String::new()
                }
            ));
        }
        return Err(ScenarioError::invalid(file, d.errors));
    }
    // Text that could erase or reorder what is printed, or make a chart unreadable, is refused
    // (the other errors are reported too: their messages escape such text when printed).
    diag::refuse_unsafe_text(table, &mut d);
    // A name holding a non-breaking space is a warning; text wrapped in curly quotes an error,
    // and the rest is checked without them.
    diag::warn_odd_spaces_in_names(table, &mut d);
    let unwrapped = diag::refuse_curly_wrapped_text(table, &mut d);
    if let Some(t) = &unwrapped {
        // (an element named by its name without the quotes is located as written)
        d.relabel = diag::relabelled(table, t);
    }
    let table = unwrapped.as_ref().unwrap_or(table);
    for (key, message) in &inherited.warnings {
        d.warn(key, message.clone());
    }
    let raw = sections::raw_from_table(table, &mut d);
    let scenario = validate::validate(&raw, file, &mut d);
    match scenario {
        Some(mut s) if d.errors.is_empty() => {
            // What was loaded, to tell a summary of a scenario changed in code since.
            s.loaded = Some(AsLoaded {
                overrides: Vec::new(),
                fingerprint: fingerprint(table),
                resolved: s.fingerprint(),
                warnings: d
                    .warning_diagnostics
                    .iter()
                    .map(|w| LoadWarning {
                        key: w.key.clone(),
                        message: w.message.clone(),
                    })
                    .collect(),
            });
            Ok((s, std::mem::take(&mut d.warning_diagnostics)))
        }
        _ => {
            if d.errors.is_empty() {
                d.error(
                    "",
                    "the scenario is invalid (internal: no message recorded)",
                    None,
                );
            }
            let warnings = d.warning_diagnostics_beside_errors();
            Err(ScenarioError::invalid(file, d.errors).with_warning_diagnostics(warnings))
        }
    }
}
