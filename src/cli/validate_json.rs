//! `validate --json`: what `validate` finds in each file as one JSON document on stdout, for CI
//! pipelines and editors. Every diagnostic is given (none folded), each with its severity, file,
//! line, column, key path, message and hint (`null` where there is none).

use crate::scenario::{self, Diagnostic, ScenarioError, Severity};
use serde::Serialize;
use std::path::Path;

/// The whole document: whether every file is valid, and each file's report, in the order given.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Every file is valid (`validate` exits 0).
    pub valid: bool,
    pub files: Vec<FileReport>,
}

/// What `validate` found in one file.
#[derive(Debug, Serialize)]
pub struct FileReport {
    /// The file as given on the command line.
    pub file: String,
    /// `"scenario"` or `"sweep"` (a sweep file, checked at every point); `null` when the file
    /// could not be read.
    pub kind: Option<&'static str>,
    /// The file is valid: no error (and, under `--deny-warnings`, no warning).
    pub valid: bool,
    /// How many of `diagnostics` are errors.
    pub errors: usize,
    /// How many of `diagnostics` are warnings.
    pub warnings: usize,
    /// The errors, then the warnings.
    pub diagnostics: Vec<JsonDiagnostic>,
}

/// One error or warning.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    /// `"error"` or `"warning"`.
    pub severity: &'static str,
    /// The file that wrote it (a base of an `extends` chain, the sweep file, or the file
    /// given, for a warning about the whole scenario).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// The key path (`port[San Ysidro].quota_per_day`), when it is about one key.
    pub key: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}

impl JsonDiagnostic {
    /// A diagnostic of the loader. One placed at a value a sweep file gives (its `file`
    /// `sweep.toml:3:1`, without a line of its own) is given at that line and column of the
    /// sweep file.
    pub fn of(d: &Diagnostic, severity: Severity) -> JsonDiagnostic {
        let (file, line, column) = match (d.line, file_line_col(&d.file)) {
            (None, Some((file, line, col))) => (file.to_string(), Some(line), Some(col)),
            _ => (d.file.clone(), d.line, d.column),
        };
        JsonDiagnostic {
            severity: severity.as_str(),
            file,
            line,
            column,
            key: d.key.clone(),
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }

    /// A problem known only by its text, in `file`.
    pub fn text(file: &str, message: &str, severity: Severity) -> JsonDiagnostic {
        JsonDiagnostic {
            severity: severity.as_str(),
            file: file.to_string(),
            line: None,
            column: None,
            key: None,
            message: message.to_string(),
            hint: None,
        }
    }
}

/// `FILE:LINE:COL` split into its parts; `None` for text not ending in two numbers.
fn file_line_col(text: &str) -> Option<(&str, usize, usize)> {
    let (rest, col) = text.rsplit_once(':')?;
    let (file, line) = rest.rsplit_once(':')?;
    if file.is_empty() {
        return None;
    }
    Some((file, line.parse().ok()?, col.parse().ok()?))
}

impl FileReport {
    /// The report of `file` with `diagnostics`, valid when none is an error (nor, under
    /// `deny_warnings`, a warning).
    pub fn new(
        file: &Path,
        kind: Option<&'static str>,
        diagnostics: Vec<JsonDiagnostic>,
        deny_warnings: bool,
    ) -> FileReport {
        let errors = diagnostics.iter().filter(|d| d.severity == "error").count();
        let warnings = diagnostics.len() - errors;
        FileReport {
            file: file.display().to_string(),
            kind,
            valid: errors == 0 && !(deny_warnings && warnings > 0),
            errors,
            warnings,
            diagnostics,
        }
    }
}

/// The diagnostics of a scenario that did not load: its errors, then the warnings found beside
/// them.
pub fn of_error(e: &ScenarioError) -> Vec<JsonDiagnostic> {
    let mut out: Vec<JsonDiagnostic> = e
        .diagnostics
        .iter()
        .map(|d| JsonDiagnostic::of(d, Severity::Error))
        .collect();
    if e.warning_diagnostics.len() == e.warnings.len() {
        out.extend(
            e.warning_diagnostics
                .iter()
                .map(|d| JsonDiagnostic::of(d, Severity::Warning)),
        );
    } else {
        out.extend(
            e.warnings
                .iter()
                .map(|w| JsonDiagnostic::text(&e.file, w, Severity::Warning)),
        );
    }
    out
}

/// The warnings of a loaded scenario: `warnings` are its warnings as printed, the first of them
/// those of the loader (`loaded.warning_diagnostics`, given with their parts), the rest added
/// after loading (capacity, an inflow outpacing it), about the whole scenario in `file`.
pub fn of_warnings(
    loaded: &scenario::Loaded,
    warnings: &[String],
    file: &str,
) -> Vec<JsonDiagnostic> {
    let n = loaded.warning_diagnostics.len();
    loaded
        .warning_diagnostics
        .iter()
        .map(|d| JsonDiagnostic::of(d, Severity::Warning))
        .chain(
            warnings
                .iter()
                .skip(n)
                .map(|w| JsonDiagnostic::text(file, w, Severity::Warning)),
        )
        .collect()
}

/// The diagnostics of a sweep that did not pass its check: the problems of its factors (at
/// their line and column in the sweep file, when known), then the scenario's.
pub fn of_sweep_error(e: &super::sweep::CheckError) -> Vec<JsonDiagnostic> {
    let mut out = Vec::new();
    if let Some(t) = &e.other {
        let message = t.strip_prefix("error: ").unwrap_or(t);
        out.push(JsonDiagnostic::text(&e.file, message, Severity::Error));
    }
    for p in &e.problems {
        let mut d = JsonDiagnostic::text(&e.file, p, Severity::Error);
        if let Some((line, col)) = crate::experiment::sweep::line_in(p, &e.file) {
            let prefix = format!("{}:{line}:{col}: ", e.file);
            d.line = Some(line);
            d.column = Some(col);
            d.message = p.strip_prefix(&prefix).unwrap_or(p).to_string();
        }
        out.push(d);
    }
    if let Some(s) = &e.scenario {
        out.extend(of_error(s));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value of a sweep file is placed at its line and column there.
    #[test]
    fn a_sweep_files_value_is_given_at_its_line() {
        let d = Diagnostic {
            file: "dir/sweep.toml:3:1".into(),
            line: None,
            column: None,
            key: Some("backlog.people".into()),
            message: "-1 people is negative".into(),
            hint: None,
        };
        let j = JsonDiagnostic::of(&d, Severity::Error);
        assert_eq!(
            (j.file.as_str(), j.line, j.column),
            ("dir/sweep.toml", Some(3), Some(1))
        );
        // a file of that name read at a line of its own is left as it is
        let d = Diagnostic {
            line: Some(7),
            column: Some(2),
            ..d
        };
        let j = JsonDiagnostic::of(&d, Severity::Error);
        assert_eq!(
            (j.file.as_str(), j.line, j.column),
            ("dir/sweep.toml:3:1", Some(7), Some(2))
        );
        assert_eq!(file_line_col("--set"), None);
        assert_eq!(file_line_col("a.toml"), None);
    }
}
