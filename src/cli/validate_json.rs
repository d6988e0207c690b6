//! `validate --json`: what `validate` finds in each file as one JSON document on stdout, for CI
//! pipelines and editors. Every diagnostic is given (none folded), each with its severity, file,
//! line, column, key path, message and hint (`null` where there is none); the warnings found
//! after loading (a stage without capacity, an inflow that outpaces it) at the place in the file
//! they are about, and `validate`'s notes apart from them.

use crate::experiment::sweep::SweepProblem;
use crate::scenario::{self, Diagnostic, Override, ScenarioError, Severity};
use serde::Serialize;
use std::collections::HashMap;
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
    /// `validate`'s notes (severity `"note"`): what it says besides errors and warnings, none
    /// counted in `errors` or `warnings` nor making the file invalid: that no run can clear and
    /// why, that the inflow counts groups, a sweep file's points and scenario.
    pub notes: Vec<JsonDiagnostic>,
}

/// One error, warning or note.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    /// `"error"` or `"warning"` (in `diagnostics`), or `"note"` (in `notes`).
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

    /// A note of `validate` about the whole of `file`.
    pub fn note(file: &str, message: String) -> JsonDiagnostic {
        JsonDiagnostic {
            severity: NOTE,
            file: file.to_string(),
            line: None,
            column: None,
            key: None,
            message,
            hint: None,
        }
    }

    /// A problem of the sweep file `file` or of its factors: at the line and column its text
    /// starts with (`file:line:col: `), the rest its message; with its key; a syntax error's
    /// `\n  hint: …` as its hint.
    pub fn of_sweep_problem(file: &str, p: &SweepProblem) -> JsonDiagnostic {
        let (text, hint) = match p.text.split_once("\n  hint: ") {
            Some((t, h)) => (t, Some(h.to_string())),
            None => (p.text.as_str(), None),
        };
        let mut d = JsonDiagnostic::text(file, text, Severity::Error);
        if let Some((line, col)) = crate::experiment::sweep::line_in(text, file) {
            let prefix = format!("{file}:{line}:{col}: ");
            d.line = Some(line);
            d.column = Some(col);
            d.message = text.strip_prefix(&prefix).unwrap_or(text).to_string();
        } else if let Some(rest) = text.strip_prefix(&format!("{file}: ")) {
            d.message = rest.to_string();
        }
        d.key = p.key.clone();
        d.hint = hint;
        d
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

/// The severity of a note.
pub const NOTE: &str = "note";

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
            notes: Vec::new(),
        }
    }

    /// The same report with `validate`'s notes.
    pub fn with_notes(mut self, notes: Vec<JsonDiagnostic>) -> FileReport {
        self.notes = notes;
        self
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
/// after loading (capacity, an inflow outpacing it), each at the key it is about
/// ([`after_load_keys`]) placed as the loader places its own in `src` loaded with `set`, or
/// about the whole scenario in `file`.
pub fn of_warnings(
    loaded: &scenario::Loaded,
    warnings: &[String],
    src: &scenario::Source,
    set: &[Override],
    file: &str,
) -> Vec<JsonDiagnostic> {
    let n = loaded.warning_diagnostics.len();
    let keys = after_load_keys(&loaded.scenario, &loaded.table);
    let rest: Vec<Placed> = warnings
        .iter()
        .skip(n)
        .map(|w| Placed {
            message: w.clone(),
            at: keys.get(w).map(|k| (set.to_vec(), k.clone())),
        })
        .collect();
    loaded
        .warning_diagnostics
        .iter()
        .map(|d| JsonDiagnostic::of(d, Severity::Warning))
        .chain(placed(src, file, &rest, Severity::Warning))
        .collect()
}

/// The key path (`inflow.rate_per_day`) that the inflow's warning and note are about.
pub const INFLOW_KEY: &str = "inflow.rate_per_day";

/// The warnings `validate` adds to those of the loader (a stage without capacity, an inflow
/// that outpaces capacity), by their text, with the key path each is about (the stage's table
/// or the key that takes its capacity away, `port[P].servers`; the origin every route of which
/// leads to such a stage, `origin[A]`; the inflow's rate). A warning about the whole scenario
/// ("nobody can ever be processed") has none, and is not here.
pub fn after_load_keys(s: &scenario::Scenario, table: &toml::Table) -> HashMap<String, String> {
    let mut out = HashMap::new();
    // Each section's labels worked out once (a scenario of 1,000 ports without capacity had
    // labelled every port again for each one's warning).
    let mut labels: HashMap<&str, Vec<String>> = HashMap::new();
    for (w, at) in crate::experiment::summary::new_capacity_warnings_placed(s) {
        let Some(at) = at else { continue };
        let base = match at.index {
            Some(i) => match labels
                .entry(at.section)
                .or_insert_with(|| scenario::extends::section_labels(table, at.section))
                .get(i)
            {
                Some(l) => l.clone(),
                None => continue,
            },
            None => at.section.to_string(),
        };
        let key = match at.key {
            Some(k) => format!("{base}.{k}"),
            None => base,
        };
        out.insert(w, key);
    }
    if let Some(o) = crate::analysis::inflow_overload_of(s) {
        out.insert(o.text(None), INFLOW_KEY.to_string());
    }
    out
}

/// A warning or note added after loading, with where it is about when known: the key path in
/// the scenario loaded with the overrides (a sweep's point's values after the `--set` ones).
pub struct Placed {
    pub message: String,
    pub at: Option<(Vec<Override>, String)>,
}

/// `items` as diagnostics of `severity` (`Severity::Warning`; a note's is set by the caller),
/// each placed at its key in `src` as the loader places its own
/// ([`scenario::Source::locate_keys`]: the line and column of the key, or of its table, in the
/// file of an `extends` chain that writes it; a `--set` or a sweep file's value that gives it),
/// or, without a key (or when the text no longer loads), about the whole of `file`. The items
/// of one set of overrides are placed by one load of the text, all their keys at once: a
/// scenario of 1,000 ports without capacity had loaded its text 1,000 times (a minute).
pub fn placed(
    src: &scenario::Source,
    file: &str,
    items: &[Placed],
    severity: Severity,
) -> Vec<JsonDiagnostic> {
    let mut at: Vec<Option<Diagnostic>> = vec![None; items.len()];
    let mut done = vec![false; items.len()];
    for i in 0..items.len() {
        let Some((ovs, _)) = &items[i].at else {
            continue;
        };
        if done[i] {
            continue;
        }
        // Every item with these overrides, placed together.
        let group: Vec<usize> = (i..items.len())
            .filter(|&j| !done[j] && items[j].at.as_ref().is_some_and(|(o, _)| o == ovs))
            .collect();
        let keys: Vec<String> = group
            .iter()
            .filter_map(|&j| items[j].at.as_ref().map(|(_, k)| k.clone()))
            .collect();
        if let Ok(found) = src.locate_keys(ovs, &keys) {
            for (&j, d) in group.iter().zip(found) {
                at[j] = Some(d);
            }
        }
        for &j in &group {
            done[j] = true;
        }
    }
    items
        .iter()
        .zip(at)
        .map(|(p, at)| match at {
            Some(mut d) => {
                d.message = p.message.clone();
                JsonDiagnostic::of(&d, severity)
            }
            None => JsonDiagnostic::text(file, &p.message, severity),
        })
        .collect()
}

/// `validate`'s notes on a loaded scenario `s` (its warnings added; `table`, its effective
/// table): that no run can clear, or that runs may not, and why, when it has warnings (as its
/// first line says it), at the key of the origin it names (`origin[Ciudad Juarez]`, placed in
/// `src` loaded with `set` as its warning is, with the lever as its hint:
/// [`crate::analysis::never_clears_origin`]) or about the whole scenario in `file` (with the
/// levers as its hint: [`crate::analysis::never_clears_everyone_lever`]); that the
/// inflow counts groups, at the inflow's rate, placed likewise.
pub fn scenario_notes(
    s: &scenario::Scenario,
    table: &toml::Table,
    src: &scenario::Source,
    set: &[Override],
    file: &str,
) -> Vec<JsonDiagnostic> {
    let mut out = Vec::new();
    if !s.warnings.is_empty() {
        if let Some(why) = crate::analysis::never_clears(s) {
            let message = format!("{}: {why}", super::no_run_clears(s));
            let origin = crate::analysis::never_clears_origin(s).and_then(|(o, lever)| {
                let key = scenario::extends::section_labels(table, "origin")
                    .into_iter()
                    .nth(o)?;
                Some((key, lever))
            });
            match origin {
                Some((key, lever)) => {
                    let item = Placed {
                        message,
                        at: Some((set.to_vec(), key)),
                    };
                    out.extend(
                        placed(src, file, &[item], Severity::Warning)
                            .into_iter()
                            .map(|mut d| {
                                d.hint = Some(lever.clone());
                                d
                            }),
                    );
                }
                // About every origin: the whole scenario, with the levers that would let
                // anyone through as its hint.
                None => {
                    let mut n = JsonDiagnostic::note(file, message);
                    n.hint = crate::analysis::never_clears_everyone_lever(s);
                    out.push(n);
                }
            }
        } else if let Some(why) = crate::analysis::ramps_to_nothing(s) {
            out.push(JsonDiagnostic::note(
                file,
                format!("runs may not clear: {why}"),
            ));
        }
    }
    if let Some(n) = crate::analysis::inflow_groups_note_unless_warned(s, &s.warnings) {
        let item = Placed {
            message: n,
            at: Some((set.to_vec(), INFLOW_KEY.to_string())),
        };
        out.extend(placed(src, file, &[item], Severity::Warning));
    }
    for d in &mut out {
        d.severity = NOTE;
    }
    out
}

/// The diagnostics of a sweep that did not pass its check: the problems of the sweep file, of
/// its factors and of their values, each at its line and column in the sweep file (those of the
/// factors' own problems with their keys, as those of their values), in the order the text
/// gives them (those at a line of the sweep file by line, then the others), then the warnings
/// found beside them.
pub fn of_sweep_error(e: &super::sweep::CheckError) -> Vec<JsonDiagnostic> {
    let mut out = Vec::new();
    if !e.file_problems.is_empty() {
        // (in the order of the file's lines already, as the text gives them)
        out.extend(
            e.file_problems
                .iter()
                .map(|p| JsonDiagnostic::of_sweep_problem(&e.file, p)),
        );
    } else if let Some(t) = &e.other {
        let message = t.strip_prefix("error: ").unwrap_or(t);
        out.push(JsonDiagnostic::text(&e.file, message, Severity::Error));
    }
    let mut errors: Vec<JsonDiagnostic> = e
        .problems
        .iter()
        .map(|p| JsonDiagnostic::of_sweep_problem(&e.file, p))
        .collect();
    let mut warnings = Vec::new();
    if let Some(s) = &e.scenario {
        for d in of_error(s) {
            match d.severity {
                "error" => errors.push(d),
                _ => warnings.push(d),
            }
        }
    }
    errors.sort_by_key(|d| match (d.file == e.file, d.line, d.column) {
        (true, Some(l), Some(c)) => (0, l, c),
        _ => (1, 0, 0),
    });
    out.extend(errors);
    out.extend(warnings);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Warnings of several sets of overrides, interleaved, are each placed at their own key
    /// ([`placed`] places the items of one set by one load of the text, all their keys at
    /// once): the file's own line for a key the file writes, the `--set` for a value it gives,
    /// and the whole file for a warning without a key.
    #[test]
    fn placed_gives_each_warning_its_own_place_whatever_the_order() {
        let text = "[scenario]\nname = \"t\"\n\n[[port]]\nname = \"A\"\nservers = 0\n\n\
                    [[port]]\nname = \"B\"\nservers = 0\n";
        let src = scenario::Source::from_text(Path::new("p.toml"), text.to_string());
        let set = vec![scenario::parse_set("port[B].servers=0").unwrap()];
        let item = |message: &str, ovs: &[Override], key: Option<&str>| Placed {
            message: message.to_string(),
            at: key.map(|k| (ovs.to_vec(), k.to_string())),
        };
        let items = [
            item("b set", &set, Some("port[B].servers")),
            item("a", &[], Some("port[A].servers")),
            item("whole", &[], None),
            item("b", &[], Some("port[B].servers")),
            item("a set", &set, Some("port[A].servers")),
        ];
        let got = placed(&src, "p.toml", &items, Severity::Warning);
        let at: Vec<(&str, &str, Option<usize>, Option<&str>)> = got
            .iter()
            .map(|d| {
                (
                    d.message.as_str(),
                    d.file.as_str(),
                    d.line,
                    d.key.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            at,
            [
                ("b set", "--set", None, Some("port[B].servers")),
                ("a", "p.toml", Some(6), Some("port[A].servers")),
                ("whole", "p.toml", None, None),
                ("b", "p.toml", Some(10), Some("port[B].servers")),
                ("a set", "p.toml", Some(6), Some("port[A].servers")),
            ]
        );
    }

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
