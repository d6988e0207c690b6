//! Scenario inheritance and the layered loader: `extends = "baseline.toml"` at the top of a
//! scenario (path relative to that file) deep-merges the file over its base, bases may extend
//! further bases, and cycles are refused naming the files. `--set` overrides are applied to the
//! merged table, then it is validated once. Diagnostics are located in the layer that wrote the
//! key (the variant, a base, or `--set`).
//!
//! Merge rule (documented in docs/experiments.md):
//! - tables merge key by key, the variant's value winning;
//! - a distribution table (one with a `dist` key) in the variant replaces the base's whole;
//! - arrays of tables (`[[port]]`, `[[route]]`, …) merge element by element: a variant element
//!   whose `name` (for a route without a name: `FROM->TO`) matches a base element, found as
//!   `--set` finds it ([`overrides::lookup_element`]), is merged into it; a `FROM->TO` of several
//!   named base routes is refused; other variant elements are appended in order;
//! - an empty array (`disruption = []`) replaces the base's whole, dropping its elements, which
//!   a warning says;
//! - any other value (numbers, strings, plain arrays) replaces the base's.

use super::diag::{
    element_labels, join_segments, parent_path, path_segments, Diagnostic, Inherited,
    ScenarioError, Spans,
};
use super::document;
use super::overrides::{self, element_names, find_element, Override};
use super::types::Scenario;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What a control character in a path is, and the TOML escape that wrote it: `\b` is a
/// backspace. Any other control character is named by its `\u` escape.
fn escape_of(c: char) -> (&'static str, String) {
    match c {
        '\u{8}' => ("a backspace", "\\b".into()),
        '\t' => ("a tab", "\\t".into()),
        '\n' => ("a line feed", "\\n".into()),
        '\u{c}' => ("a form feed", "\\f".into()),
        '\r' => ("a carriage return", "\\r".into()),
        _ => ("a control character", format!("\\u{:04X}", c as u32)),
    }
}

/// The hint for an `extends` path that names no file, relative to `dir` (the folder of the file
/// that says it): a path that does name one, tried as the command line tries its paths (the
/// `.toml` left out), and from the folder above (a variant moved into a subfolder of its
/// base's), or that the file is in the current folder while the path is read from `dir`.
fn extends_path_hint(dir: &Path, rel: &str) -> String {
    let relative = "the path is relative to the file that says `extends`";
    let toml = (!rel.ends_with(".toml")).then(|| format!("{rel}.toml"));
    // `rel.toml` beside the file, then `../rel.toml` and `../rel` from the folder above.
    let candidates = toml
        .iter()
        .cloned()
        .chain(toml.iter().map(|t| format!("../{t}")))
        .chain(std::iter::once(format!("../{rel}")));
    for t in candidates {
        if dir.join(&t).is_file() {
            return format!("write extends = \"{t}\", which exists ({relative})");
        }
    }
    let here = |p: &str| Path::new(p).is_file();
    if here(rel) || toml.as_deref().is_some_and(here) {
        let from = if dir.as_os_str().is_empty() {
            ".".to_string()
        } else {
            dir.display().to_string()
        };
        return format!(
            "\"{rel}\" is in the current folder, but {relative} ({from}): write the path from there"
        );
    }
    relative.to_string()
}

/// The hint for a path written with backslashes where `key` takes a path (`extends`): in
/// "…" text a backslash starts an escape (`\b`, `\U…`), so write the path with `/`, which
/// separates folders on every system, or in single quotes, where a backslash is itself (a
/// folder separator only on Windows). `written` is the path as typed.
pub(crate) fn backslash_path_hint(key: &str, written: &str) -> String {
    let slashes = written.replace('\\', "/");
    if cfg!(windows) {
        format!(
            "write the path with / ({key} = \"{slashes}\"), or in single quotes ({key} = \
             '{written}'), where backslashes are read as written; on this system / separates \
             folders too"
        )
    } else {
        format!(
            "write the path with / ({key} = \"{slashes}\"): on this system / separates folders \
             (in single quotes, '{written}', a backslash is read as written, but only Windows \
             takes it as a separator)"
        )
    }
}

/// A validated scenario with the effective table it was built from (after `extends` and
/// `--set`): the table identifies the scenario exactly (shards and extended runs check it).
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The validated scenario.
    pub scenario: Scenario,
    /// The effective table (after `extends` and `--set`) the scenario was built from.
    pub table: toml::Table,
    /// The scenario's warnings (`Scenario::warnings`, in the same order) with their parts
    /// apart: file, line, column, key and message, for a program to read.
    pub warning_diagnostics: Vec<Diagnostic>,
}

/// One file of the chain: its name as shown, its key positions, and the labels its own arrays
/// of tables give their elements (`route[1]`, `port[San Ysidro]`, …), by section. An element's
/// label in the file can differ from its label in the merged table (a variant's only route is
/// `route[1]` in the variant, `route[2]` once merged into the base's second route, `route[4]`
/// when appended after three), so the spans are renamed before they locate anything.
struct Layer {
    file: String,
    spans: Spans,
    labels: HashMap<String, Vec<String>>,
    /// What merging this file over its base found.
    found: Inherited,
}

/// For each top-level array of tables of the merged table and each of its elements, the layer
/// elements it was built from: (index into the layers, 0-based position in that file's array).
type Sources = HashMap<String, Vec<Vec<(usize, usize)>>>;

/// The elements of `v` when it is an array of tables.
fn table_array(v: &toml::Value) -> Option<&[toml::Value]> {
    match v {
        toml::Value::Array(a) if a.iter().all(toml::Value::is_table) => Some(a),
        _ => None,
    }
}

/// Key-path labels of the elements of an array of tables (as `sections` and `document` give
/// them): `section[NAME]` for a unique name, else `section[POSITION]`.
fn labels_of(section: &str, items: &[toml::Value]) -> Vec<String> {
    let names: Vec<Option<String>> = items
        .iter()
        .map(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_string))
        .collect();
    element_labels(section, &names)
}

/// Labels of the elements of every top-level array of tables of one file.
fn own_labels(table: &toml::Table) -> HashMap<String, Vec<String>> {
    table
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), labels_of(k, table_array(v)?))))
        .collect()
}

/// Most bases one scenario may chain through.
const MAX_DEPTH: usize = 32;

/// Read a file as scenario text.
pub fn read_text(path: &Path) -> Result<String, ScenarioError> {
    let file = path.display().to_string();
    let bytes = crate::fsio::read_capped(path, crate::fsio::TEXT_CAP).map_err(|e| match e {
        crate::fsio::ReadError::Io { source: e, .. } => {
            let what = match e.kind() {
                // (a hint for `\` taken for a folder separator or a hidden `.toml`)
                std::io::ErrorKind::NotFound => {
                    crate::fsio::not_found(path, "no such file", &["toml"])
                }
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                // (with what to give instead: a saved run's scenario.toml, or the folder's files)
                _ if path.is_dir() => match crate::fsio::directory_hint(path) {
                    Some(h) => format!("is a directory, not a scenario file; {h}"),
                    None => "is a directory, not a scenario file".to_string(),
                },
                _ => format!("cannot read the file: {e}"),
            };
            ScenarioError::io(&file, what, Some(e))
        }
        crate::fsio::ReadError::TooLarge { cap, .. } => {
            ScenarioError::io(&file, crate::fsio::too_large(cap), None)
        }
    })?;
    crate::inputs::record(path);
    // (the line of the first byte that is not UTF-8, as a file saved as Latin-1 or
    // Windows-1252 has: "Juárez" written with the single byte 0xE1; or a UTF-16 file)
    String::from_utf8(bytes).map_err(|e| {
        let why = crate::fsio::not_utf8(e.as_bytes(), crate::fsio::SAVE_TEXT_AS_UTF8);
        ScenarioError::io(&file, why, None)
    })
}

fn one(file: &str, key: Option<&str>, message: String, hint: Option<String>) -> ScenarioError {
    ScenarioError::invalid(
        file,
        vec![Diagnostic {
            file: file.to_string(),
            line: None,
            column: None,
            key: key.map(str::to_string),
            message,
            hint,
        }],
    )
}

fn parse_text(src: &str, file: &str) -> Result<document::Document, ScenarioError> {
    if src.contains('\0') {
        return Err(one(
            file,
            None,
            "not a text file (it contains NUL bytes); a scenario is a TOML text file".into(),
            None,
        ));
    }
    document::parse(src, file).map_err(|d| ScenarioError::invalid(file, vec![*d]))
}

/// Resolve `extends` chains starting from `src` (named `file`, bases relative to `dir`).
/// Records in `sources` which layer elements each merged array-of-tables element comes from.
fn merged_table(
    src: &str,
    file: &str,
    dir: &Path,
    chain: &mut Vec<PathBuf>,
    layers: &mut Vec<Layer>,
    sources: &mut Sources,
) -> Result<toml::Table, ScenarioError> {
    let doc = parse_text(src, file)?;
    let mut table = doc.table;
    let ext = table.remove("extends");
    let line = doc.spans.get("extends");
    let me = layers.len();
    layers.push(Layer {
        file: file.to_string(),
        spans: doc.spans,
        labels: own_labels(&table),
        found: Inherited::default(),
    });
    let Some(ext) = ext else {
        for (k, v) in &table {
            if let Some(a) = table_array(v) {
                sources.insert(k.clone(), (0..a.len()).map(|j| vec![(me, j)]).collect());
            }
        }
        return Ok(table);
    };
    let at = |message: String, hint: Option<String>| {
        ScenarioError::invalid(
            file,
            vec![Diagnostic {
                file: file.to_string(),
                line: line.map(|p| p.0),
                column: line.map(|p| p.1),
                key: Some("extends".into()),
                message,
                hint,
            }],
        )
    };
    let Some(rel) = ext.as_str() else {
        return Err(at(
            format!("expected a file name, found {}", ext.type_str()),
            Some("write extends = \"baseline.toml\"".into()),
        ));
    };
    // `extends = "..\baseline.toml"`: in "…" text TOML reads `\b` as a backspace (and `\t`,
    // `\n`, `\f`, `\r` likewise), so the path holds a control character, not a backslash.
    if let Some((at_char, c)) = rel.chars().enumerate().find(|(_, c)| c.is_control()) {
        let (what, escape) = escape_of(c);
        let written: String = rel
            .chars()
            .map(|c| {
                if c.is_control() {
                    escape_of(c).1
                } else {
                    c.to_string()
                }
            })
            .collect();
        return Err(at(
            format!(
                "the path \"{rel}\" holds {what} (U+{:04X}) at character {}: in \"…\" text TOML \
                 reads {escape} as {what}, not as a backslash and a letter",
                c as u32,
                at_char + 1
            ),
            Some(backslash_path_hint("extends", &written)),
        ));
    }
    let base_path = dir.join(rel);
    let canon = base_path.canonicalize().map_err(|e| {
        let hint = if rel.contains('\\') && !cfg!(windows) {
            backslash_path_hint("extends", rel)
        } else {
            extends_path_hint(dir, rel)
        };
        at(
            format!("cannot read the base scenario {}: {e}", base_path.display()),
            Some(hint),
        )
    })?;
    if let Some(pos) = chain.iter().position(|p| *p == canon) {
        let mut names: Vec<String> = chain[pos..]
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        names.push(canon.display().to_string());
        return Err(at(format!("extends cycle: {}", names.join(" -> ")), None));
    }
    if chain.len() >= MAX_DEPTH {
        return Err(at(format!("more than {MAX_DEPTH} levels of extends"), None));
    }
    chain.push(canon);
    let base_file = base_path.display().to_string();
    // A base that cannot be read (a directory, not UTF-8) is named where `extends` says it.
    let base_src = read_text(&base_path).map_err(|e| {
        let why = e
            .diagnostics
            .first()
            .map(|d| d.message.clone())
            .unwrap_or_default();
        at(
            format!("cannot read the base scenario {base_file}: {why}"),
            None,
        )
    })?;
    let base_dir = base_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut base = merged_table(&base_src, &base_file, &base_dir, chain, layers, sources)?;
    chain.pop();
    layers[me].found = found_over(&base, &table, &base_file);
    let lens: Vec<(String, Option<usize>)> = table
        .iter()
        .map(|(k, v)| (k.clone(), table_array(v).map(<[_]>::len)))
        .collect();
    // An empty array drops the base's elements of its kind (`disruption = []`: a variant
    // without the base's closure): said, so that it is never silent.
    for (k, v) in &table {
        let dropped = base.get(k).and_then(table_array).map_or(0, <[_]>::len);
        if v.as_array().is_some_and(Vec::is_empty) && dropped > 0 {
            layers[me].found.warnings.push((
                k.clone(),
                format!(
                    "this file's empty list drops the base's {dropped} [[{k}]] element{} ({}): \
                     an empty list replaces the base's whole (leave `{k} = []` out to keep them)",
                    if dropped == 1 { "" } else { "s" },
                    base_file
                ),
            ));
        }
    }
    // A variant's element whose `FROM->TO` names several of the base's named routes (and no
    // unnamed one) is refused, as `--set` refuses it.
    let mut ambiguous = Vec::new();
    for (k, v) in &table {
        let (Some(mine), Some(theirs)) = (table_array(v), base.get(k).and_then(table_array)) else {
            continue;
        };
        let labels = labels_of(k, mine);
        for (j, o) in mine.iter().enumerate() {
            let id = o.as_table().and_then(|t| overrides::effective_name(k, t));
            let Some(id) = id else { continue };
            if let Err(names) = overrides::lookup_element(k, theirs, &id) {
                let (message, _) = overrides::ambiguous_route(&id, &names);
                let at = layers[me].spans.get(&labels[j]).or(line);
                ambiguous.push(Diagnostic {
                    file: file.to_string(),
                    line: at.map(|p| p.0),
                    column: at.map(|p| p.1),
                    key: Some(labels[j].clone()),
                    message: format!("{message} in the base {base_file}"),
                    hint: Some(format!(
                        "give this [[{k}]] the name of the one it changes (name = \"{}\"), or \
                         a new name to add a route",
                        names[0]
                    )),
                });
            }
        }
    }
    if !ambiguous.is_empty() {
        return Err(ScenarioError::invalid(file, ambiguous));
    }
    let placed = merge(&mut base, table, "");
    for (k, len) in lens {
        if let Some((_, at)) = placed.iter().find(|(p, _)| *p == k) {
            let s = sources.entry(k).or_default();
            for (j, &i) in at.iter().enumerate() {
                if s.len() <= i {
                    s.resize_with(i + 1, Vec::new);
                }
                s[i].push((me, j));
            }
        } else if let Some(n) = len {
            // the variant's array replaced the base's whole
            sources.insert(k, (0..n).map(|j| vec![(me, j)]).collect());
        } else {
            sources.remove(&k);
        }
    }
    Ok(base)
}

/// What merging `over` (a file) over `base` (its base, `base_file`, already merged with its own
/// bases) finds for validation to report: a `start_date` other than the base's, which moves
/// every time the base writes (they count from the start date: `opens`, `from`, `until`), and
/// `[[port]]` elements whose name matches no base port but is close to one (a misspelt change
/// adds a new port instead).
fn found_over(base: &toml::Table, over: &toml::Table, base_file: &str) -> Inherited {
    let mut found = Inherited::default();
    // Quoted ("2021-03-01") or a bare TOML date (2021-03-01): the date's text either way, as
    // `RawDate` reads it. A date-time or another type is left to validation to refuse.
    let start = |t: &toml::Table| -> Option<String> {
        match t.get("scenario")?.get("start_date")? {
            toml::Value::String(s) => Some(s.clone()),
            toml::Value::Datetime(toml::value::Datetime {
                date: Some(d),
                time: None,
                offset: None,
            }) => Some(d.to_string()),
            other => Some(other.to_string()),
        }
    };
    if let Some(mine) = start(over) {
        // The base's, or the default it runs on.
        let theirs = start(base).unwrap_or_else(|| "2021-01-01".into());
        let parse = |s: &str| super::units::parse_date(s).ok();
        if let (Some(a), Some(b)) = (parse(&mine), parse(&theirs)) {
            let times = times_from_start(base);
            if a != b && !times.is_empty() {
                let shift = (a - b).num_days();
                found.warnings.push((
                    "scenario.start_date".into(),
                    format!(
                        "start_date ({a}) is not the start_date of the base {base_file} ({b}{}): \
                         the base's times count from the start date ({}), so each now falls {} \
                         day{} {} on the calendar than the base meant (a time written \"30d\", \
                         {} in the base, is now {}); times are day counts, not dates: write the \
                         variant's own for the dates meant, or keep the base's start_date",
                        if start(base).is_none() {
                            ", the default"
                        } else {
                            ""
                        },
                        times.join(", "),
                        shift.abs(),
                        if shift.abs() == 1 { "" } else { "s" },
                        if shift > 0 { "later" } else { "earlier" },
                        b + chrono::Duration::days(30),
                        a + chrono::Duration::days(30),
                    ),
                ));
            }
        }
    }
    let names = |t: &toml::Table, section: &str| -> Vec<String> {
        t.get(section)
            .and_then(table_array)
            .unwrap_or_default()
            .iter()
            .filter_map(|p| p.get("name")?.as_str().map(str::to_string))
            .collect()
    };
    let theirs = names(base, "port");
    for n in names(over, "port") {
        if theirs.contains(&n) {
            continue;
        }
        if let Some(near) = super::validate::closest(&n, theirs.iter().map(String::as_str)) {
            found
                .near_ports
                .push((n.clone(), near.to_string(), base_file.to_string()));
        }
    }
    // A phase adds people: a near miss of a base phase's name adds a second cohort.
    let theirs = names(base, "phase");
    let mine = names(over, "phase");
    for n in &mine {
        if theirs.contains(n) || mine.iter().filter(|m| *m == n).count() > 1 {
            continue;
        }
        if let Some(near) = super::validate::closest(n, theirs.iter().map(String::as_str)) {
            found.warnings.push((
                format!("phase[{n}].name"),
                format!(
                    "phase \"{n}\" matches no phase of the base {base_file}, so this [[phase]] \
                     adds a cohort beside the base's \"{near}\" rather than changing it; if you \
                     meant to change that phase, write name = \"{near}\""
                ),
            ));
        }
    }
    found
}

/// The keys of `t` written as times since the start date: `[[port]] opens`, `[[phase]] opens`,
/// `[[disruption]] from` and `until`, `[inflow] from` and `until` (those present).
fn times_from_start(t: &toml::Table) -> Vec<String> {
    let mut out = Vec::new();
    for (section, keys) in [
        ("port", &["opens"][..]),
        ("phase", &["opens"][..]),
        ("disruption", &["from", "until"][..]),
    ] {
        let items = t.get(section).and_then(table_array).unwrap_or_default();
        let used: Vec<&str> = keys
            .iter()
            .copied()
            .filter(|k| items.iter().any(|i| i.get(k).is_some()))
            .collect();
        if !used.is_empty() {
            out.push(format!("[[{section}]] {}", used.join(" and ")));
        }
    }
    if let Some(f) = t.get("inflow") {
        let used: Vec<&str> = ["from", "until"]
            .into_iter()
            .filter(|k| f.get(k).is_some())
            .collect();
        if !used.is_empty() {
            out.push(format!("[inflow] {}", used.join(" and ")));
        }
    }
    out
}

/// Deep-merge `over` into `base` (see the module documentation for the rule). Returns, for
/// each top-level array of tables merged element by element, the index in the merged array of
/// each of `over`'s elements.
pub fn merge(
    base: &mut toml::Table,
    over: toml::Table,
    section: &str,
) -> Vec<(String, Vec<usize>)> {
    let mut placed = Vec::new();
    for (k, v) in over {
        let sect = if section.is_empty() {
            k.as_str()
        } else {
            section
        };
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) if !o.contains_key("dist") => {
                merge(b, o, sect);
            }
            (Some(toml::Value::Array(b)), toml::Value::Array(o))
                if !o.is_empty()
                    && o.iter().all(toml::Value::is_table)
                    && b.iter().all(toml::Value::is_table) =>
            {
                let at = merge_elements(b, o, sect);
                if section.is_empty() {
                    placed.push((k, at));
                }
            }
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
    placed
}

/// Merge array-of-tables elements; returns where each of `over`'s elements went.
fn merge_elements(
    base: &mut Vec<toml::Value>,
    over: Vec<toml::Value>,
    section: &str,
) -> Vec<usize> {
    let mut at = Vec::with_capacity(over.len());
    for el in over {
        let toml::Value::Table(o) = el else { continue };
        // By the effective name, as `--set` finds elements (not by position: a variant's
        // element without a name is new).
        let id = overrides::effective_name(section, &o);
        let hit = id.as_ref().and_then(|id| {
            overrides::lookup_element(section, base, id)
                .ok()
                .flatten()
                .filter(|&i| {
                    base[i]
                        .as_table()
                        .is_some_and(|t| element_names(section, t).iter().any(|n| n == id))
                })
        });
        match hit {
            Some(i) => {
                if let toml::Value::Table(b) = &mut base[i] {
                    merge(b, o, section);
                }
                at.push(i);
            }
            None => {
                at.push(base.len());
                base.push(toml::Value::Table(o));
            }
        }
    }
    at
}

/// True when `key` is `path` or lies inside it.
fn under(key: &str, path: &str) -> bool {
    key == path
        || key
            .strip_prefix(path)
            .is_some_and(|r| r.starts_with('.') || r.starts_with('['))
}

/// Rename each layer's element paths to the labels of the same elements in the effective
/// `table` (`route[1].seats` in a variant whose only route merged into the base's second becomes
/// `route[2].seats`); paths of elements that are not in it (replaced whole by a later file) are
/// dropped.
fn rename_to_effective(layers: &mut [Layer], sources: &Sources, table: &toml::Table) {
    let mut names: Vec<HashMap<String, String>> = vec![HashMap::new(); layers.len()];
    for (section, elements) in sources {
        // overrides never add or remove elements; anything else is not an array of tables
        let Some(items) = table.get(section).and_then(table_array) else {
            continue;
        };
        if items.len() != elements.len() {
            continue;
        }
        let labels = labels_of(section, items);
        for (label, from) in labels.iter().zip(elements) {
            for &(l, j) in from {
                if let Some(own) = layers[l].labels.get(section).and_then(|v| v.get(j)) {
                    names[l].insert(own.clone(), label.clone());
                }
            }
        }
    }
    for (layer, names) in layers.iter_mut().zip(&names) {
        let labels = &layer.labels;
        layer.spans = layer.spans.renamed(|path| {
            let segs = path_segments(path);
            let (Some(section), Some(label)) = (segs.first(), segs.get(1)) else {
                return Some(path.to_string());
            };
            let own = format!("{section}{label}");
            if !label.starts_with('[') || !labels.contains_key(*section) || !path.starts_with(&own)
            {
                return Some(path.to_string());
            }
            names
                .get(&own)
                .map(|new| format!("{new}{}", &path[own.len()..]))
        });
    }
}

/// The position of the array-of-tables element an override path names (`port[P].servers`),
/// in `table`; `None` for a path of a section that is one table, or an element not there.
fn element_at(path: &str, table: &toml::Table) -> Option<usize> {
    let segs = path_segments(path);
    let (section, label) = (segs.first()?, segs.get(1)?);
    let inner = label.strip_prefix('[')?.strip_suffix(']')?;
    find_element(section, table.get(*section).and_then(table_array)?, inner)
}

/// Apply the overrides in order (as [`overrides::apply_all`]), finding for each the element it
/// changes in the table as it was when applied: `--set port[P].name=Q` changes the element
/// named P, which the effective table names Q.
fn apply_overrides(
    table: &mut toml::Table,
    ovs: &[Override],
) -> (Result<(), Vec<Diagnostic>>, Vec<Option<usize>>) {
    let mut errs = Vec::new();
    let mut at = Vec::with_capacity(ovs.len());
    for o in ovs {
        at.push(element_at(&o.path, table));
        if let Err(d) = overrides::apply(table, o) {
            errs.push(*d);
        }
    }
    (if errs.is_empty() { Ok(()) } else { Err(errs) }, at)
}

/// An override path with its element named as the effective table labels it
/// (`route[Tijuana->San Ysidro].seats` -> `route[2].seats`), to compare with diagnostic keys.
/// `at` is the element's position when the override was applied: an element an override
/// renamed (`port[P].name="a:b"`) is found there, where the name written no longer is.
fn effective_path(path: &str, at: Option<usize>, table: &toml::Table) -> String {
    let segs = path_segments(path);
    let (Some(section), Some(label)) = (segs.first(), segs.get(1)) else {
        return path.to_string();
    };
    let own = format!("{section}{label}");
    let inner = label.strip_prefix('[').and_then(|l| l.strip_suffix(']'));
    let items = table.get(*section).and_then(table_array);
    match (inner, items) {
        (Some(inner), Some(items)) if path.starts_with(&own) => {
            match at
                .filter(|&i| i < items.len())
                .or_else(|| find_element(section, items, inner))
            {
                Some(i) => format!("{}{}", labels_of(section, items)[i], &path[own.len()..]),
                None => path.to_string(),
            }
        }
        _ => path.to_string(),
    }
}

/// Place a diagnostic in the layer that wrote its key: `--set` (its paths in `set_paths`,
/// named as the effective table labels elements) or the first file, variant first, whose
/// spans (already renamed to the effective labels) hold the key or, failing that, the nearest
/// key enclosing it.
fn place(
    d: &mut Diagnostic,
    layers: &[Layer],
    ovs: &[Override],
    set_paths: &[String],
    table: &toml::Table,
) {
    let Some(key) = d.key.clone() else { return };
    // A table an override made below a section (`--set port[P].ramp.from=10` on a port without
    // a ramp: a ramp of `from` alone), or gave whole: what it lacks is the override's to give,
    // and the fix is to give the whole table, not to add to the file.
    if let Some(made) = made_table(&key, layers, ovs, set_paths, table) {
        let o = made.by;
        d.file = o.origin.clone();
        d.line = None;
        d.column = None;
        let name = path_segments(&made.path)
            .last()
            .map_or("", |s| *s)
            .to_string();
        // (`hours`, `days`, a count: keys that take no table, which `--set port[P].hours.x=1`
        // made one of)
        let takes_table = overrides::whole_table(&name, &toml::Table::new()).is_some();
        let from = match (made.whole, takes_table) {
            (true, _) => format!("the value comes from {} {o}", o.origin),
            (false, true) => format!(
                "the value comes from {} {o}, which made {} (the scenario has none)",
                o.origin, made.written
            ),
            (false, false) => format!(
                "the value comes from {} {o}, which made {} a table: set {} itself, e.g. {}",
                o.origin,
                made.written,
                made.written,
                overrides::suggestion(o, &made.written, "…")
            ),
        };
        let whole = overrides::value_at(table, &made.path)
            .and_then(toml::Value::as_table)
            .filter(|_| made.lacks)
            .and_then(|t| overrides::whole_table(&name, t))
            // (not a table that repeats what is wrong: min above max, weights too few)
            .filter(|v| super::validate::suggested_value_is_valid(&name, v));
        d.hint = Some(match (whole, d.hint.take()) {
            (Some(v), _) => format!(
                "{from}: set the whole table, e.g. {}",
                overrides::suggestion(o, &made.written, &v)
            ),
            (None, Some(h)) => format!("{h}; {from}"),
            (None, None) => from,
        });
        return;
    }
    if let Some((o, _)) = ovs
        .iter()
        .zip(set_paths)
        .rev()
        .find(|(_, p)| under(&key, p))
    {
        d.file = o.origin.clone();
        d.line = None;
        d.column = None;
        // Text that reads as a number, a boolean or a date (`--set scenario.name=2021`) is
        // taken as one: to give it as text, quote it.
        use toml::Value as V;
        let scalar = matches!(
            o.value,
            V::Integer(_) | V::Float(_) | V::Boolean(_) | V::Datetime(_)
        );
        if scalar && d.message.starts_with("expected a string") {
            let quoted = toml::Value::String(overrides::display_value(&o.value)).to_string();
            d.hint = Some(format!(
                "{} reads as {}: to give it as text, quote it: {}",
                overrides::display_value(&o.value),
                match o.value {
                    V::Boolean(_) => "a boolean",
                    V::Datetime(_) => "a date",
                    _ => "a number",
                },
                overrides::suggestion(o, &o.path, &quoted)
            ));
        } else if d.hint.is_none() {
            d.hint = Some(format!("the value comes from {} {o}", o.origin));
        }
        return;
    }
    // A section that only an override made (`--set inflow.until="1d"` on a scenario without
    // [inflow]): its problems (the keys it still lacks) are the override's, not the file's.
    if let Some(top) = path_segments(&key).first().map(|s| s.to_string()) {
        let made = ovs
            .iter()
            .zip(set_paths)
            .find(|(_, p)| under(p, &top))
            .filter(|_| !layers.iter().any(|l| l.spans.has_under(&top)));
        if let Some((o, _)) = made {
            d.file = o.origin.clone();
            d.line = None;
            d.column = None;
            let why = format!(
                "the scenario has no [{top}]: {} {o} made one, which needs {key} too (give it \
                 with {} as well, or add [{top}] to the file)",
                o.origin, o.origin
            );
            d.hint = Some(match d.hint.take() {
                Some(h) => format!("{h}; {why}"),
                None => why,
            });
            return;
        }
    }
    // A problem at a key the file writes whose message names another key of the same element
    // that an override gave (`ramp.from (25) is above quota_per_day (0)` at the file's ramp,
    // with `--set port[P].quota_per_day=0`): the message says where that value came from,
    // which the file's line does not show.
    let names = overridden_siblings(&key, &d.message, ovs, set_paths);
    if !names.is_empty() {
        d.message = format!("{} ({})", d.message, names.join("; "));
    }
    // A problem of a whole section or element that an override changed a key of (shares that
    // no longer sum to 1): placed in the file, saying which overrides took part.
    let inside: Vec<String> = ovs
        .iter()
        .zip(set_paths)
        .filter(|(_, p)| under(p, &key))
        .map(|(o, _)| format!("{} {o}", o.origin))
        .collect();
    if !inside.is_empty() {
        let with = format!("with {}", inside.join(", "));
        d.hint = Some(match d.hint.take() {
            Some(h) => format!("{h} ({with})"),
            None => with,
        });
    }
    let mut p = Some(key);
    while let Some(path) = p {
        for l in layers {
            if let Some((line, col)) = l.spans.get(&path) {
                d.file = l.file.clone();
                d.line = Some(line);
                d.column = Some(col);
                return;
            }
        }
        p = parent_path(&path);
    }
}

/// The element of a key path: `port[P]` of `port[P].ramp.from`, `screening` of
/// `screening.servers`.
fn element_of(key: &str) -> String {
    let segs = path_segments(key);
    match segs.as_slice() {
        [section, label, ..] if label.starts_with('[') => format!("{section}{label}"),
        [section, ..] => section.to_string(),
        [] => String::new(),
    }
}

/// For a diagnostic at `key` with `message`, the overrides of other keys of the same element
/// (not under `key`: those are placed as the override's) whose key, as the element writes it
/// (`quota_per_day`, `ramp.from`), the message names as a word, each as "quota_per_day is set by
/// --set port[P].quota_per_day=0, not by the file" (a sweep file's value by its line).
fn overridden_siblings(
    key: &str,
    message: &str,
    ovs: &[Override],
    set_paths: &[String],
) -> Vec<String> {
    let element = element_of(key);
    if element.is_empty() {
        return Vec::new();
    }
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let names_word = |name: &str| {
        message.match_indices(name).any(|(i, _)| {
            let before = message[..i].chars().next_back();
            let after = message[i + name.len()..].chars().next();
            !before.is_some_and(word) && !after.is_some_and(word)
        })
    };
    let mut out: Vec<String> = Vec::new();
    for (o, p) in ovs.iter().zip(set_paths).rev() {
        if under(key, p) || under(p, key) || element_of(p) != element {
            continue;
        }
        let Some(rel) = p.strip_prefix(&element).and_then(|r| r.strip_prefix('.')) else {
            continue;
        };
        let said = format!("{rel} is set by {} {o}, not by the file", o.origin);
        if names_word(rel) && !out.iter().any(|s| s.starts_with(&format!("{rel} "))) {
            out.push(said);
        }
    }
    out.reverse();
    out
}

/// A table that an override made or gave whole, holding a diagnostic's key.
struct Made<'o> {
    by: &'o Override,
    /// Its key path as the effective table labels elements, and as the override writes it.
    path: String,
    written: String,
    /// Given whole by the override (`port[P].ramp={ from = 10 }`), not made on the way to a key.
    whole: bool,
    /// The diagnostic is about what the table lacks (a key it does not have, or the table
    /// itself), not about a value it has.
    lacks: bool,
}

/// The table holding `key` that an override (the last one, if several) made on the way to its
/// key, below a section (one the file writes nothing at or under; the deepest such), or gave
/// whole when `key` names something it lacks. A section an override made is `place`'s.
fn made_table<'o>(
    key: &str,
    layers: &[Layer],
    ovs: &'o [Override],
    set_paths: &[String],
    table: &toml::Table,
) -> Option<Made<'o>> {
    let lacks = |path: &str| key == path || overrides::value_at(table, key).is_none();
    for (o, p) in ovs.iter().zip(set_paths).rev() {
        let segs = path_segments(p);
        let mine = path_segments(&o.path);
        if o.value.is_table() && under(key, p) && lacks(p) {
            return Some(Made {
                by: o,
                path: p.clone(),
                written: o.path.clone(),
                whole: true,
                lacks: true,
            });
        }
        for n in (2..segs.len()).rev() {
            let q = join_segments(&segs[..n]);
            if under(key, &q) && !layers.iter().any(|l| l.spans.has_under(&q)) {
                return Some(Made {
                    by: o,
                    written: join_segments(&mine[..n.min(mine.len())]),
                    lacks: lacks(&q),
                    path: q,
                    whole: false,
                });
            }
        }
    }
    None
}

/// Load scenario text (named `file`, with `extends` resolved relative to `dir`), apply the
/// overrides and validate.
pub fn load_str_with(
    src: &str,
    file: &str,
    dir: &Path,
    ovs: &[Override],
) -> Result<Loaded, ScenarioError> {
    let mut layers = Vec::new();
    let mut sources = Sources::new();
    let mut chain = Vec::new();
    if let Ok(c) = dir.join(file).canonicalize() {
        chain.push(c);
    }
    let mut table = merged_table(src, file, dir, &mut chain, &mut layers, &mut sources)?;
    let (applied, at) = apply_overrides(&mut table, ovs);
    with_override_errors(
        applied,
        load_effective(table, file, layers, &sources, ovs, &at),
        file,
    )
}

/// The result of validating a table with the overrides that could be applied, together with the
/// problems of those that could not: every problem at once.
fn with_override_errors(
    applied: Result<(), Vec<Diagnostic>>,
    loaded: Result<Loaded, ScenarioError>,
    file: &str,
) -> Result<Loaded, ScenarioError> {
    let Err(mut errs) = applied else {
        return loaded;
    };
    if let Err(e) = loaded {
        errs.extend(e.diagnostics);
    }
    Err(ScenarioError::invalid(file, errs))
}

/// Validate an effective table, locating diagnostics in `layers`; `at` is, for each override,
/// the position of the element it changed ([`apply_overrides`]).
fn load_effective(
    table: toml::Table,
    file: &str,
    mut layers: Vec<Layer>,
    sources: &Sources,
    ovs: &[Override],
    at: &[Option<usize>],
) -> Result<Loaded, ScenarioError> {
    rename_to_effective(&mut layers, sources, &table);
    // How each decimal number is written, from the file that writes it (the file as named over
    // its bases), for the hints of the validation, which reads the first layer's spans.
    if let Some((first, bases)) = layers.split_first_mut() {
        for b in bases.iter() {
            first.spans.add_decimals_from(&b.spans);
        }
    }
    let set_paths: Vec<String> = ovs
        .iter()
        .enumerate()
        .map(|(k, o)| effective_path(&o.path, at.get(k).copied().flatten(), &table))
        .collect();
    let placed = |d: &mut Diagnostic| place(d, &layers, ovs, &set_paths, &table);
    let empty = Spans::default();
    let spans = layers.first().map(|l| &l.spans).unwrap_or(&empty);
    let mut inherited = Inherited::default();
    for l in &layers {
        inherited.warnings.extend(l.found.warnings.iter().cloned());
        inherited
            .near_ports
            .extend(l.found.near_ports.iter().cloned());
    }
    match super::load_table_placed(&table, spans, file, Some(&placed), &inherited) {
        Ok((mut scenario, warning_diagnostics)) => {
            // The overrides it was loaded with, for its summary.
            if let Some(l) = &mut scenario.loaded {
                l.overrides = ovs.iter().map(ToString::to_string).collect();
            }
            Ok(Loaded {
                scenario,
                table,
                warning_diagnostics,
            })
        }
        Err(mut e) => {
            // unknown keys and sections first (often the cause of the rest), then problems
            // without a position (and --set's), then the file as named, then its bases, each
            // in line order
            e.diagnostics.sort_by_key(|d| {
                let layer = layers.iter().position(|l| l.file == d.file);
                (
                    !d.is_unknown_name(),
                    d.line.is_some(),
                    layer,
                    d.line,
                    d.column,
                )
            });
            Err(e)
        }
    }
}

/// Load a scenario file with `extends` and overrides.
pub fn load_file_with(path: &Path, ovs: &[Override]) -> Result<Loaded, ScenarioError> {
    load_text_of(&read_text(path)?, path, ovs)
}

/// Load `src`, the text already read from the scenario file `path`, as [`load_file_with`] loads
/// the file (named as `path` is written, its `extends` resolved relative to its folder), without
/// reading `path` again: a pipe or FIFO gives its text once.
pub fn load_text_of(src: &str, path: &Path, ovs: &[Override]) -> Result<Loaded, ScenarioError> {
    let m = merged_with_overrides(src, path, ovs)?;
    with_override_errors(
        m.applied,
        load_effective(m.table, &m.file, m.layers, &m.sources, ovs, &m.at),
        &m.file,
    )
}

/// The text `src` of the scenario file `path` with its `extends` chain merged and the
/// overrides applied, not yet validated: what [`load_text_of`] validates and [`locate_keys`]
/// places keys in.
struct Merged {
    /// `path` as written.
    file: String,
    layers: Vec<Layer>,
    sources: Sources,
    table: toml::Table,
    /// The overrides' own errors ([`apply_overrides`]).
    applied: Result<(), Vec<Diagnostic>>,
    /// Where each override was applied ([`apply_overrides`]).
    at: Vec<Option<usize>>,
}

/// Merge `src`, read from `path`, with its bases (relative to `path`'s folder) and apply `ovs`.
fn merged_with_overrides(
    src: &str,
    path: &Path,
    ovs: &[Override],
) -> Result<Merged, ScenarioError> {
    let file = path.display().to_string();
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut layers = Vec::new();
    let mut sources = Sources::new();
    let mut chain = Vec::new();
    if let Ok(c) = path.canonicalize() {
        chain.push(c);
    }
    let mut table = merged_table(src, &file, &dir, &mut chain, &mut layers, &mut sources)?;
    let (applied, at) = apply_overrides(&mut table, ovs);
    Ok(Merged {
        file,
        layers,
        sources,
        table,
        applied,
        at,
    })
}

/// Diagnostics at the key paths `keys` (as the loader's own diagnostics name them:
/// `port[San Ysidro].servers`, `inflow.rate_per_day`, `origin[2]`) of the scenario `src`, read
/// from `path`, with `extends` and the overrides `ovs`, placed as the loader places its own: in
/// the file of the chain that writes the key (or, when none writes it, its nearest enclosing
/// table), at its line and column; in the `--set` or sweep value that gives it, without a line
/// (with a hint naming the value, as the loader's own give it). Their messages are left empty,
/// for the caller to give: a warning found after loading (a stage without capacity, an inflow
/// that outpaces it) is so placed by `validate --json`. The scenario is not validated: a text
/// that does not load gives its error.
pub fn locate_keys(
    src: &str,
    path: &Path,
    ovs: &[Override],
    keys: &[String],
) -> Result<Vec<Diagnostic>, ScenarioError> {
    let Merged {
        file,
        mut layers,
        sources,
        table,
        at,
        ..
    } = merged_with_overrides(src, path, ovs)?;
    rename_to_effective(&mut layers, &sources, &table);
    let set_paths: Vec<String> = ovs
        .iter()
        .enumerate()
        .map(|(k, o)| effective_path(&o.path, at.get(k).copied().flatten(), &table))
        .collect();
    Ok(keys
        .iter()
        .map(|key| {
            // located in the file as named first, then moved as the loader moves its own
            let pos = layers.first().and_then(|l| l.spans.locate(key));
            let mut d = Diagnostic {
                file: file.clone(),
                line: pos.map(|p| p.0),
                column: pos.map(|p| p.1),
                key: Some(key.clone()),
                message: String::new(),
                hint: None,
            };
            place(&mut d, &layers, ovs, &set_paths, &table);
            d
        })
        .collect())
}

/// The key-path label of element `index` (0-based) of the array of tables `section` of an
/// effective table (`port[San Ysidro]`, or `route[2]` for a route without a name of its own),
/// as the loader's diagnostics and `--set` name it; `None` when there is no such element.
pub fn element_label(table: &toml::Table, section: &str, index: usize) -> Option<String> {
    section_labels(table, section).into_iter().nth(index)
}

/// The key-path labels of every element of the array of tables `section` of an effective
/// table, in order ([`element_label`] of each, worked out once: a caller that labels many
/// elements of one section calls this once, not [`element_label`] for each); empty when there
/// is no such array.
pub fn section_labels(table: &toml::Table, section: &str) -> Vec<String> {
    match table.get(section).and_then(table_array) {
        Some(items) => labels_of(section, items),
        None => Vec::new(),
    }
}

/// Validate an effective table as stored (e.g. in a shard), naming it `file`.
pub fn load_effective_table(table: toml::Table, file: &str) -> Result<Loaded, ScenarioError> {
    load_effective(table, file, Vec::new(), &Sources::new(), &[], &[])
}

/// A stable 64-bit fingerprint of an effective table, as 16 hex digits: of its canonical TOML
/// text without `scenario.seed` and `scenario.replications`. Those are settings of a run, which
/// its summary and `run.json` record as they were run (as [`super::Scenario::fingerprint`]
/// leaves them out), so the fingerprint identifies the model however the seed and replication
/// count are given (in the file, by `--set` or by `--seed`/`--replications`), and the
/// fingerprint, seed and replications together identify a run.
pub fn fingerprint(table: &toml::Table) -> String {
    let mut bare = table.clone();
    if let Some(toml::Value::Table(s)) = bare.get_mut("scenario") {
        s.remove("seed");
        s.remove("replications");
    }
    fingerprint_of_text(&bare)
}

/// The fingerprint stores recorded before [`fingerprint`] left out the seed and replications:
/// of the whole canonical TOML text. Only to recognise such a store as unchanged.
pub(crate) fn legacy_fingerprint(table: &toml::Table) -> String {
    fingerprint_of_text(table)
}

fn fingerprint_of_text(table: &toml::Table) -> String {
    let text = toml::to_string(table).unwrap_or_default();
    format!("{:016x}", crate::hash::fnv1a(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_rule() {
        let mut base: toml::Table = r#"
[scenario]
name = "base"
seed = 1
[[port]]
name = "A"
quota_per_day = 300
service = { dist = "lognormal", mean = "40min", sd = "15min" }
ramp = { from = 25, over = "30d" }
[[port]]
name = "B"
[[route]]
from = "X"
to = "A"
seats = 50
"#
        .parse()
        .unwrap();
        let over: toml::Table = r#"
[scenario]
name = "variant"
[[port]]
name = "A"
service = { dist = "exponential", mean = "30min" }
ramp = { from = 50 }
[[port]]
name = "C"
[[route]]
from = "X"
to = "A"
seats = 60
"#
        .parse()
        .unwrap();
        merge(&mut base, over, "");
        assert_eq!(base["scenario"]["name"].as_str(), Some("variant"));
        assert_eq!(base["scenario"]["seed"].as_integer(), Some(1));
        let ports = base["port"].as_array().unwrap();
        assert_eq!(ports.len(), 3);
        assert_eq!(ports[0]["quota_per_day"].as_integer(), Some(300));
        // a distribution is replaced whole, other tables merge
        assert!(ports[0]["service"].get("sd").is_none());
        assert_eq!(ports[0]["ramp"]["from"].as_integer(), Some(50));
        assert_eq!(ports[0]["ramp"]["over"].as_str(), Some("30d"));
        assert_eq!(ports[2]["name"].as_str(), Some("C"));
        let routes = base["route"].as_array().unwrap();
        assert_eq!(routes.len(), 1);
        assert_eq!(routes[0]["seats"].as_integer(), Some(60));
    }
}
