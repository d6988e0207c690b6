//! Scenarios: the TOML format of MODEL.md §2, its validation, and the resolved `Scenario` the
//! simulation runs on.
//!
//! Pipeline (each stage its own module):
//! text --`document`--> `toml_edit` document (spans: key path -> line:column) and `toml::Table`
//! --`sections`--> raw structs (`raw`; every unknown key and wrong type reported)
//! --`validate`--> resolved `Scenario` (`types`; units from `units`, distributions from `dist`).
//! Every stage collects all its problems as `Diagnostic`s; nothing panics on any input.
//! Future `--set` overrides and `extends` act on the `toml::Table` between the first two stages
//! (see `load_table`).

pub mod diag;
pub mod dist;
pub mod document;
pub mod raw;
pub mod sections;
pub mod types;
pub mod units;
pub mod validate;

pub use diag::{Diagnostic, ScenarioError, ScenarioErrorKind, Spans};
pub use dist::{Dist, SizeDist};
pub use types::*;

use std::path::Path;

/// Read and validate a scenario file. The file is named in messages as `path` is written.
pub fn load_file(path: &Path) -> Result<Scenario, ScenarioError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        let what = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ if path.is_dir() => "is a directory, not a scenario file".to_string(),
            _ => format!("cannot read the file: {e}"),
        };
        ScenarioError::io(&file, what, Some(e))
    })?;
    let src = String::from_utf8(bytes)
        .map_err(|_| ScenarioError::io(&file, "not a UTF-8 text file", None))?;
    load_str(&src, &file)
}

/// Validate scenario text; `file` names it in messages.
pub fn load_str(src: &str, file: &str) -> Result<Scenario, ScenarioError> {
    if src.contains('\0') {
        return Err(ScenarioError::invalid(
            file,
            vec![Diagnostic {
                file: file.to_string(),
                line: None,
                column: None,
                key: None,
                message: "not a text file (it contains NUL bytes); a scenario is a TOML text file"
                    .into(),
                hint: None,
            }],
        ));
    }
    let doc = document::parse(src, file).map_err(|d| ScenarioError::invalid(file, vec![*d]))?;
    load_table(&doc.table, &doc.spans, file)
}

/// Validate an already parsed table (`spans` may be empty for values that have no source
/// position, e.g. command-line overrides).
pub fn load_table(
    table: &toml::Table,
    spans: &Spans,
    file: &str,
) -> Result<Scenario, ScenarioError> {
    let mut d = diag::Diags::new(file, spans);
    let raw = sections::raw_from_table(table, &mut d);
    let scenario = validate::validate(&raw, file, &mut d);
    match scenario {
        Some(s) if d.errors.is_empty() => Ok(s),
        _ => {
            if d.errors.is_empty() {
                d.error(
                    "",
                    "the scenario is invalid (internal: no message recorded)",
                    None,
                );
            }
            Err(ScenarioError::invalid(file, d.errors))
        }
    }
}
