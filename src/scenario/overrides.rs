//! Command-line overrides: `--set key.path=value` edits the scenario's `toml::Table` before
//! validation. The path uses the loader's key-path syntax: `section.key`,
//! `section[element].key` for `[[port]]`, `[[route]]`, … (an element is named by its `name`, a
//! route also by its default name `FROM->TO`, any element by its 1-based position), and deeper
//! keys into nested tables (`port[San Ysidro].ramp.from`). The value is read as a TOML value
//! (`400`, `0.5`, `"2h"`, `["Mon","Tue"]`, `{ dist = "exponential", mean = "20d" }`); text that
//! is not a TOML value is taken as a string (`--set scenario.name=Plan B`).
//!
//! Unknown sections, elements and keys are refused with the bad path named and a did-you-mean
//! hint, before anything runs. A nested key the scenario lacks makes its table (a ramp of
//! `from` alone); what that table lacks is reported as the override's, with the whole table to
//! give ([`whole_table`], [`suggestion`]; placed by `extends`).

use super::diag::{join_segments, path_segments, Diagnostic};
use super::raw::{SectionSchema, Shape, DISTRIBUTIONS, SCHEMA};

/// One `--set PATH=VALUE`, or a value of a sweep or sensitivity factor applied the same way.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The key path as written, e.g. `port[San Ysidro].quota_per_day`.
    pub path: String,
    /// The value, read as TOML, or else as a plain string (`--set name=Test` gives the string
    /// "Test").
    pub value: toml::Value,
    /// Where the user wrote it, named as the "file" of its errors: `--set` (what [`parse_set`]
    /// gives), `--vary`, or a sweep file.
    pub origin: String,
}

impl std::fmt::Display for Override {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.path, display_value(&self.value))
    }
}

/// A TOML value as a user would write it on the command line (strings without quotes, a
/// decimal number in its short form: [`display_float`]). It reads back as the same value
/// ([`parse_value`]).
pub fn display_value(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        // A date as written (its TOML form is an internal table to serde).
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::Float(x) => display_float(*x),
        other => other.to_string(),
    }
}

/// A decimal number as TOML writes it (`0.5`, `300.0`, `0.0005`), or in exponent form when
/// that is 4 or more characters shorter: `1e9` had been echoed as `1000000000.0`, `1e-9` as
/// `0.000000001`. Either form is a TOML float that reads back as `x` exactly (the exponent
/// form has the fewest digits that do), and keeps the point or exponent that says it is
/// not a whole number.
pub fn display_float(x: f64) -> String {
    let plain = toml::Value::Float(x).to_string();
    if !x.is_finite() {
        return plain;
    }
    let exponent = format!("{x:e}");
    if exponent.len() + 4 <= plain.len() {
        exponent
    } else {
        plain
    }
}

/// A TOML value as written in a file (strings in quotes, a date as written).
fn display_toml(v: &toml::Value) -> String {
    match v {
        toml::Value::Datetime(d) => d.to_string(),
        other => other.to_string(),
    }
}

/// Index of the first `=` outside brackets, braces and quotes.
fn split_eq(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"') | (None, '\'') => quote = Some(c),
            (None, '[') | (None, '{') => depth += 1,
            (None, ']') | (None, '}') => depth -= 1,
            (None, '=') if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// Read a value as TOML, or else as a plain string.
pub fn parse_value(text: &str) -> toml::Value {
    let text = text.trim();
    let doc = format!("v = {text}");
    match doc.parse::<toml::Table>() {
        Ok(mut t) => t
            .remove("v")
            .unwrap_or_else(|| toml::Value::String(text.into())),
        Err(_) => toml::Value::String(text.to_string()),
    }
}

/// Refuse a key path with an empty key between dots (outside an element's `[name]`, which may
/// hold dots): `backlog..people` had been read as `backlog.people`.
fn no_empty_key(path: &str) -> Result<(), String> {
    let mut depth = 0i32;
    let mut segment = 0usize;
    for c in path.chars().chain(std::iter::once('.')) {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            '.' if depth == 0 => {
                if segment == 0 {
                    return Err(format!(
                        "`{path}` has an empty key (a dot at its start or end, or two dots \
                         together): write it as e.g. backlog.people"
                    ));
                }
                segment = 0;
                continue;
            }
            _ => {}
        }
        segment += 1;
    }
    Ok(())
}

/// Split `PATH=…` at its first `=` outside brackets, braces and quotes into the key path
/// (trimmed, checked to hold no empty key) and the text after it; `shape` is what the argument
/// should look like, for the error when it has no `=`.
fn split_path<'s>(s: &'s str, shape: &str) -> Result<(&'s str, &'s str), String> {
    let Some(i) = split_eq(s) else {
        return Err(format!("`{s}` is not {shape}"));
    };
    let path = s[..i].trim();
    if path.is_empty() {
        return Err(format!("`{s}` has no key path before `=`"));
    }
    no_empty_key(path)?;
    Ok((path, &s[i + 1..]))
}

/// Parse `PATH=VALUE` (as given to `--set`).
pub fn parse_set(s: &str) -> Result<Override, String> {
    let (path, value) = split_path(s, "PATH=VALUE (e.g. 'port[San Ysidro].quota_per_day=400')")?;
    Ok(Override {
        path: path.to_string(),
        value: parse_value(value),
        origin: "--set".into(),
    })
}

/// Split values of `PATH=v1,v2,…` at commas outside brackets, braces and quotes.
pub fn split_list(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut cur = String::new();
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"') | (None, '\'') => quote = Some(c),
            (None, '[') | (None, '{') => depth += 1,
            (None, ']') | (None, '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(std::mem::take(&mut cur).trim().to_string());
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur.trim().to_string());
    out
}

/// Check a key path to vary (sweep, sensitivity, target): every point of an experiment runs
/// with the same seeds and replications, so `scenario.seed` and `scenario.replications` are
/// settings of the experiment, not factors.
pub fn factor_path(path: &str) -> Result<(), String> {
    match path.trim() {
        "scenario.seed" => Err(
            "scenario.seed cannot be varied: every point runs with the same seeds (common random \
             numbers); give --seed to run the experiment again with other seeds"
                .into(),
        ),
        "scenario.replications" => Err(
            "scenario.replications cannot be varied: every point runs the same replications; \
             give --replications"
                .into(),
        ),
        _ => Ok(()),
    }
}

/// Parse `PATH=v1,v2,…` (as given to `--vary`).
pub fn parse_vary(s: &str) -> Result<(String, Vec<toml::Value>), String> {
    let (path, text) = split_path(
        s,
        "PATH=v1,v2,… (e.g. 'port[San Ysidro].quota_per_day=200,300,400')",
    )?;
    factor_path(path)?;
    let list = split_list(text);
    if list.iter().all(|v| v.is_empty()) {
        return Err(format!("`{s}` lists no values after `=`"));
    }
    if list.iter().any(|v| v.is_empty()) {
        return Err(format!(
            "`{s}` has an empty value (two commas in a row, or one at an end): remove it"
        ));
    }
    let values: Vec<toml::Value> = list.iter().map(|v| parse_value(v)).collect();
    Ok((path.to_string(), values))
}

/// Parse the key path `target --vary` takes: one path, its range given by `--min` and `--max`.
pub fn parse_target_path(s: &str) -> Result<String, String> {
    if s.contains('=') {
        return Err(format!(
            "`{s}`: target takes a key path alone and searches the range --min..--max with \
             --step (e.g. --vary 'port[El Paso].servers' --min 1 --max 40)"
        ));
    }
    if s.trim().is_empty() {
        return Err("an empty key path".into());
    }
    factor_path(s)?;
    Ok(s.trim().to_string())
}

/// The names an array-of-tables element answers to besides its position: its `name`, and for
/// a route, `FROM->TO` (after the name when it has one: see [`lookup_element`] for which
/// counts first).
pub fn element_names(section: &str, t: &toml::Table) -> Vec<String> {
    let mut v = Vec::new();
    if let Some(n) = t.get("name").and_then(|n| n.as_str()) {
        v.push(n.to_string());
    }
    if section == "route" {
        if let (Some(f), Some(to)) = (
            t.get("from").and_then(|x| x.as_str()),
            t.get("to").and_then(|x| x.as_str()),
        ) {
            v.push(format!("{f}->{to}"));
        }
    }
    v
}

/// The name an element goes by in validation, results and disruptions: its `name`, else for a
/// route `FROM->TO`.
pub fn effective_name(section: &str, t: &toml::Table) -> Option<String> {
    element_names(section, t).into_iter().next()
}

/// The element of an array of tables that `label` (as written between the brackets of
/// `section[label]`) selects: the element whose effective name ([`effective_name`]) it is; else
/// a route with its own `name` whose `FROM->TO` it is, when only one such route runs there;
/// else the element at that 1-based position. `Err` with the candidates' effective names
/// (`"Express"`, `"Local"`) when `FROM->TO` is of several named routes and of no unnamed one.
/// `--set`, `--vary`, sweep keys and `extends` all find elements so.
pub fn lookup_element(
    section: &str,
    items: &[toml::Value],
    label: &str,
) -> Result<Option<usize>, Vec<String>> {
    let tables = || {
        items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some((i, v.as_table()?)))
    };
    if let Some((i, _)) =
        tables().find(|(_, t)| effective_name(section, t).is_some_and(|n| n == label))
    {
        return Ok(Some(i));
    }
    let by_ends: Vec<(usize, String)> = tables()
        .filter(|(_, t)| element_names(section, t).iter().skip(1).any(|n| n == label))
        .filter_map(|(i, t)| Some((i, effective_name(section, t)?)))
        .collect();
    match by_ends.as_slice() {
        [(i, _)] => return Ok(Some(*i)),
        [] => {}
        many => return Err(many.iter().map(|(_, n)| n.clone()).collect()),
    }
    Ok(label
        .parse::<usize>()
        .ok()
        .filter(|k| (1..=items.len()).contains(k))
        .map(|k| k - 1))
}

/// Every setting of a scenario's table (an effective one: after `extends` and `--set`) by its
/// key path as `--set` takes it, in the order of the paths: `screening.servers`,
/// `registration.delay.mean`, `port[El Paso].ramp.from`. An element of an array of tables is
/// labelled by its [`effective_name`] (a route without a `name` by `FROM->TO`), or by its
/// 1-based position where that name is missing or shared (as [`super::diag::element_labels`]
/// labels them): `route[2].seats`. A value that is not a table is one setting, a list
/// (`hours = ["08:00", "17:00"]`) as a whole; so is an empty table. Comparisons of two
/// scenarios key by key (`compare`, the merge of shards that ran different files) read them
/// so.
pub fn settings(table: &toml::Table) -> std::collections::BTreeMap<String, toml::Value> {
    type Out = std::collections::BTreeMap<String, toml::Value>;
    fn walk(path: &str, v: &toml::Value, top: bool, out: &mut Out) {
        match v {
            toml::Value::Table(t) if !t.is_empty() => {
                for (k, v) in t {
                    walk(&super::diag::join(path, k), v, false, out);
                }
            }
            // A section of elements (`[[port]]`): only at the top, as `--set` names them.
            toml::Value::Array(items)
                if top && !items.is_empty() && items.iter().all(toml::Value::is_table) =>
            {
                let names: Vec<Option<String>> = items
                    .iter()
                    .map(|i| i.as_table().and_then(|t| effective_name(path, t)))
                    .collect();
                for (item, label) in items.iter().zip(super::diag::element_labels(path, &names)) {
                    walk(&label, item, false, out);
                }
            }
            v => {
                out.insert(path.to_string(), v.clone());
            }
        }
    }
    let mut out = Out::new();
    for (k, v) in table {
        walk(k, v, true, &mut out);
    }
    out
}

/// [`lookup_element`], with an ambiguous label finding nothing (its error comes where the
/// override is applied).
pub fn find_element(section: &str, items: &[toml::Value], label: &str) -> Option<usize> {
    lookup_element(section, items, label).ok().flatten()
}

/// The error for a `FROM->TO` that names several routes, each with its own `name`.
pub fn ambiguous_route(label: &str, names: &[String]) -> (String, String) {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    (
        format!(
            "\"{label}\" is ambiguous: no route is named so, and {} routes with their own \
             names run {label}: {}",
            names.len(),
            quoted.join(", ")
        ),
        format!(
            "name the route by its `name`, e.g. route[{}]",
            names.first().map_or("…", String::as_str)
        ),
    )
}

/// The setting a key path names in `table`, with an element named by its position
/// (`port[P].quota_per_day` and `port[1].quota_per_day` both give `port[#1].quota_per_day`):
/// two paths naming the same setting give the same text. A path whose element is not in
/// `table` is left as written (its error comes when it is applied).
pub fn setting_of(table: &toml::Table, path: &str) -> String {
    let segs = path_segments(path.trim());
    let mut out = String::new();
    for (k, seg) in segs.iter().enumerate() {
        let label = seg.strip_prefix('[').and_then(|l| l.strip_suffix(']'));
        match label {
            Some(label) if k == 1 => {
                let items = table.get(segs[0]).and_then(toml::Value::as_array);
                match items.and_then(|items| find_element(segs[0], items, label)) {
                    Some(i) => out.push_str(&format!("[#{}]", i + 1)),
                    None => out.push_str(seg),
                }
            }
            Some(_) => out.push_str(seg),
            None => {
                if k > 0 {
                    out.push('.');
                }
                out.push_str(seg.trim());
            }
        }
    }
    out
}

/// The first two of `paths` (by index, the earlier first) that name the same setting of `table`
/// under different names or the same ([`setting_of`]), or of which one holds the other
/// (`port[El Paso].ramp` and `port[2].ramp.from`), with `true` when they are the same: an
/// experiment that varies both would set one value over (a part of) the other.
pub fn varied_twice(table: &toml::Table, paths: &[&str]) -> Option<(usize, usize, bool)> {
    let settings: Vec<String> = paths.iter().map(|p| setting_of(table, p)).collect();
    // `a` holds `b`: `b` is `a` and then a key or an element of it.
    let holds = |a: &str, b: &str| {
        b.strip_prefix(a)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    };
    (0..settings.len()).find_map(|j| {
        (0..j).find_map(|i| {
            let (a, b) = (&settings[i], &settings[j]);
            (a == b || holds(a, b) || holds(b, a)).then_some((i, j, a == b))
        })
    })
}

fn err(ov: &Override, message: String, hint: Option<String>) -> Box<Diagnostic> {
    Box::new(Diagnostic {
        file: ov.origin.clone(),
        line: None,
        column: None,
        key: Some(ov.path.clone()),
        message,
        hint,
    })
}

fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str> + Clone) -> String {
    match super::validate::did_you_mean(word, known.clone()) {
        Some(h) => h,
        None => {
            let all: Vec<String> = known.into_iter().map(|k| format!("\"{k}\"")).collect();
            format!("known: {}", all.join(", "))
        }
    }
}

/// The error for a key path into an array of tables that names no element
/// (`port.quota_per_day=600`, or `port.san_ysidro.quota_per_day=600` with the element written
/// as a key), and its hint: the path to write, with the element in brackets (the one meant when
/// its name reads the same but for case, spaces, `_` and `-`; else the first), and the
/// elements' names, or their numbers when they have none. `rest` is the path after the section.
fn element_not_named(
    table: &toml::Table,
    section: &SectionSchema,
    rest: &[&str],
) -> (String, Option<String>) {
    let section_name = section.name;
    let items: &[toml::Value] = match table.get(section_name) {
        Some(toml::Value::Array(items)) => items,
        _ => &[],
    };
    let names: Vec<&str> = items
        .iter()
        .filter_map(|v| v.as_table()?.get("name")?.as_str())
        .collect();
    let plain = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let meant = rest
        .first()
        .and_then(|w| names.iter().find(|n| plain(n) == plain(w)));
    // The keys after the element: all of `rest` unless its first word stands for the element
    // (a name, or a word that is no key of the section before more keys).
    let keys = match rest.split_first() {
        Some((first, after))
            if meant.is_some() || (!after.is_empty() && !section.keys.contains(first)) =>
        {
            after
        }
        _ => rest,
    };
    let label = match (meant, names.first()) {
        (Some(n), _) | (None, Some(n)) => n.to_string(),
        (None, None) => "1".to_string(),
    };
    let key = if keys.is_empty() {
        "KEY".to_string()
    } else {
        keys.join(".")
    };
    if items.is_empty() {
        return (
            format!("the scenario has no [[{section_name}]] elements"),
            None,
        );
    }
    let message = format!(
        "[[{section_name}]] is a list of elements: name one in brackets, e.g. \
         {section_name}[{label}].{key}"
    );
    let hint = if names.is_empty() {
        format!(
            "write its number, from 1 to {}, e.g. {section_name}[1].{key}",
            items.len()
        )
    } else {
        let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
        format!(
            "the scenario's [[{section_name}]] elements: {}",
            quoted.join(", ")
        )
    };
    (message, Some(hint))
}

/// Apply one override to `table`. Errors name the path and, where one is close, the key meant.
pub fn apply(table: &mut toml::Table, ov: &Override) -> Result<(), Box<Diagnostic>> {
    let path = ov.path.as_str();
    let segs = path_segments(path);
    let Some(section_name) = segs.first().copied() else {
        return Err(err(ov, "empty key path".into(), None));
    };
    if section_name.starts_with('[') {
        return Err(err(
            ov,
            "a key path starts with a section name".into(),
            None,
        ));
    }
    let Some(section) = SCHEMA.iter().find(|s| s.name == section_name) else {
        let known: Vec<&str> = SCHEMA.iter().map(|s| s.name).collect();
        return Err(err(
            ov,
            format!("unknown section \"{section_name}\""),
            Some(did_you_mean(section_name, known.iter().copied())),
        ));
    };
    let mut rest = &segs[1..];
    // The table the remaining keys live in.
    let target: &mut toml::Table = match section.shape {
        Shape::Table => {
            if rest.is_empty() {
                return Err(err(
                    ov,
                    format!("name a key of [{section_name}], e.g. {section_name}.KEY=VALUE"),
                    Some(format!(
                        "keys of [{section_name}]: {}",
                        section.keys.join(", ")
                    )),
                ));
            }
            let entry = table
                .entry(section_name.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            match entry {
                toml::Value::Table(t) => t,
                _ => return Err(err(ov, format!("`{section_name}` is not a table"), None)),
            }
        }
        Shape::ArrayOfTables => {
            let Some(label) = rest.first().filter(|s| s.starts_with('[')) else {
                let (message, hint) = element_not_named(table, section, rest);
                return Err(err(ov, message, hint));
            };
            // An element's name in brackets; a bracket left open (`port[El Paso.quota_per_day`)
            // is refused rather than cut at a byte that may not end a character.
            let Some(label) = label.strip_prefix('[').and_then(|l| l.strip_suffix(']')) else {
                return Err(err(
                    ov,
                    format!("`{section_name}{label}` opens a `[` that is not closed"),
                    Some(format!(
                        "write {section_name}[NAME].KEY=VALUE, e.g. {section_name}[1].KEY=VALUE"
                    )),
                ));
            };
            rest = &rest[1..];
            let Some(toml::Value::Array(items)) = table.get_mut(section_name) else {
                return Err(err(
                    ov,
                    format!("the scenario has no [[{section_name}]] elements"),
                    None,
                ));
            };
            let found = match lookup_element(section_name, items, label) {
                Ok(found) => found,
                Err(names) => {
                    let (message, hint) = ambiguous_route(label, &names);
                    return Err(err(ov, message, Some(hint)));
                }
            };
            let Some(i) = found else {
                let names: Vec<String> = items
                    .iter()
                    .filter_map(toml::Value::as_table)
                    .flat_map(|t| element_names(section_name, t))
                    .collect();
                // Elements without names (disruptions) are found by number, from 1.
                let hint = if names.is_empty() || label.parse::<usize>().is_ok() {
                    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                    format!(
                        "write its number, from 1 to {}, e.g. {section_name}[1]{}",
                        items.len(),
                        if names.is_empty() {
                            String::new()
                        } else {
                            format!(", or its name: {}", quoted.join(", "))
                        }
                    )
                } else {
                    did_you_mean(label, names.iter().map(String::as_str))
                };
                // A number names a position: say it is out of range, not an unknown name.
                let message = match label.parse::<usize>() {
                    Ok(n) => format!(
                        "position {n} is out of range: the scenario has {} [[{section_name}]] \
                         element{}, numbered from 1",
                        items.len(),
                        if items.len() == 1 { "" } else { "s" }
                    ),
                    Err(_) => format!("no [[{section_name}]] element named \"{label}\""),
                };
                return Err(err(ov, message, Some(hint)));
            };
            if rest.is_empty() {
                return Err(err(
                    ov,
                    format!("name a key of {section_name}[{label}]"),
                    Some(format!("keys: {}", section.keys.join(", "))),
                ));
            }
            match &mut items[i] {
                toml::Value::Table(t) => t,
                _ => return Err(err(ov, "not a table".into(), None)),
            }
        }
    };
    let key = rest[0];
    if key.starts_with('[') || !section.keys.contains(&key) {
        let hint = super::sections::key_meant(section_name, key, Some(&ov.value))
            .unwrap_or_else(|| did_you_mean(key, section.keys.iter().copied()));
        return Err(err(
            ov,
            format!("unknown key \"{key}\" in {section_name}"),
            Some(hint),
        ));
    }
    if rest.len() > 1 {
        if let Some((_, keys)) = section.nested.iter().find(|(n, _)| *n == key) {
            let sub = rest[1];
            if !keys.contains(&sub) {
                return Err(err(
                    ov,
                    format!("unknown key \"{sub}\" in {section_name}.{key}"),
                    Some(did_you_mean(sub, keys.iter().copied())),
                ));
            }
        }
    }
    set_in(target, rest, &ov.value).map_err(|e| match e {
        SetError::Message(m) => err(ov, m, None),
        SetError::NotATable { depth, found } => {
            // e.g. `port[P].service.mean` where `service = "40min"`: a duration has no `mean`;
            // the whole distribution is to be given.
            let segs = path_segments(path);
            let at = segs.len() - rest.len() + depth;
            let written = join_segments(&segs[..=at]);
            let key = segs[at];
            let mut made = toml::Table::new();
            if let [sub] = &segs[at + 1..] {
                made.insert(sub.to_string(), ov.value.clone());
                // A fixed duration is the mean of the distribution that replaces it.
                if DISTRIBUTION_KEYS.contains(&key) && found.is_str() && *sub != "mean" {
                    made.entry("mean").or_insert(found.clone());
                }
            }
            let hint = match whole_table(key, &made) {
                Some(v) => format!("set it whole, e.g. {}", suggestion(ov, &written, &v)),
                None => format!(
                    "set {written} itself, e.g. {}",
                    suggestion(ov, &written, "…")
                ),
            };
            err(
                ov,
                format!(
                    "`{key}` is {}, not a table: it has no `{}` to set",
                    display_toml(&found),
                    segs[at + 1]
                ),
                Some(hint),
            )
        }
    })
}

/// Why [`set_in`] could not set a value.
enum SetError {
    Message(String),
    /// The key at `depth` (0 = the first of the keys) holds `found`, not a table, and a key
    /// below it was to be set.
    NotATable {
        depth: usize,
        found: toml::Value,
    },
}

/// Set `value` at `keys` inside `t`, creating tables on the way.
fn set_in(t: &mut toml::Table, keys: &[&str], value: &toml::Value) -> Result<(), SetError> {
    let Some((first, more)) = keys.split_first() else {
        return Err(SetError::Message("empty key path".into()));
    };
    if first.starts_with('[') {
        return Err(SetError::Message(format!(
            "`{first}`: only [[section]] elements can be selected with brackets"
        )));
    }
    if more.is_empty() {
        t.insert(first.to_string(), value.clone());
        return Ok(());
    }
    let entry = t
        .entry(first.to_string())
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    match entry {
        toml::Value::Table(sub) => set_in(sub, more, value).map_err(|e| match e {
            SetError::NotATable { depth, found } => SetError::NotATable {
                depth: depth + 1,
                found,
            },
            m => m,
        }),
        other => Err(SetError::NotATable {
            depth: 0,
            found: other.clone(),
        }),
    }
}

/// The value at a key path of `table` (`port[San Ysidro].ramp`), an element named as
/// [`find_element`] finds it.
pub fn value_at<'t>(table: &'t toml::Table, path: &str) -> Option<&'t toml::Value> {
    let segs = path_segments(path);
    let (section, rest) = segs.split_first()?;
    let mut v = table.get(*section)?;
    for seg in rest {
        v = match seg.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            Some(label) => {
                let items = v.as_array()?;
                items.get(find_element(section, items, label)?)?
            }
            None => v.as_table()?.get(*seg)?,
        };
    }
    Some(v)
}

/// The keys whose value is a distribution: a duration, or a table with `dist`.
pub const DISTRIBUTION_KEYS: [&str; 5] = ["delay", "service", "turnaround", "isolation", "travel"];

/// The whole table to give for `key` (`ramp`, a distribution, `group_size`), as inline TOML:
/// what `t` holds of it, and what it lacks from an example (`ramp = { from = 10 }` gives
/// `{ from = 10, over = "30d" }`; a distribution without `dist` is given the kind its
/// parameters suggest, `mean` alone an exponential). `None` for a key that takes no table.
pub fn whole_table(key: &str, t: &toml::Table) -> Option<String> {
    let parse = |s: &str| -> toml::Table { parse_value(s).as_table().cloned().unwrap_or_default() };
    let (order, example): (Vec<&str>, toml::Table) = match key {
        "ramp" => (
            vec!["from", "over"],
            parse(r#"{ from = 25, over = "30d" }"#),
        ),
        "group_size" => (
            vec!["dist", "values", "weights"],
            parse(r#"{ dist = "empirical", values = [1, 2, 3], weights = [0.5, 0.3, 0.2] }"#),
        ),
        k if DISTRIBUTION_KEYS.contains(&k) => {
            let known = |k: &str| DISTRIBUTIONS.iter().find(|(kind, _)| *kind == k);
            let has = |k: &str| t.contains_key(k);
            let inferred = if has("values") || has("weights") {
                "empirical"
            } else if has("mode") {
                "triangular"
            } else if has("min") || has("max") {
                "uniform"
            } else if has("sd") {
                "lognormal"
            } else {
                "exponential"
            };
            let (kind, params) = t
                .get("dist")
                .and_then(toml::Value::as_str)
                .and_then(known)
                .or_else(|| known(inferred))?;
            let mut order = vec!["dist"];
            order.extend(params.iter());
            (order, parse(super::validate::example(kind)))
        }
        _ => return None,
    };
    let mut out = Vec::with_capacity(order.len());
    for k in order {
        let v = match (t.get(k), t.get("values").and_then(toml::Value::as_array)) {
            (Some(v), _) => v.clone(),
            // one weight a value given (weights are normalised)
            (None, Some(values)) if k == "weights" => {
                toml::Value::Array(vec![toml::Value::Integer(1); values.len()])
            }
            (None, _) => example.get(k)?.clone(),
        };
        out.push(format!("{k} = {v}"));
    }
    Some(format!("{{ {} }}", out.join(", ")))
}

/// How to give `value` at `path` where `ov` was given: `--set 'PATH=VALUE'`, `--vary
/// 'PATH=VALUE,…'`, or in a sweep file `"PATH" = [VALUE, …]`.
pub fn suggestion(ov: &Override, path: &str, value: &str) -> String {
    match ov.origin.as_str() {
        "--set" => format!("--set '{path}={value}'"),
        "--vary" => format!("--vary '{path}={value},…'"),
        _ => format!("\"{path}\" = [{value}, …]"),
    }
}

/// Apply every override that can be; the problems of those that cannot, all of them.
pub fn apply_all(table: &mut toml::Table, ovs: &[Override]) -> Result<(), Vec<Diagnostic>> {
    let errs: Vec<Diagnostic> = ovs
        .iter()
        .filter_map(|o| apply(table, o).err().map(|d| *d))
        .collect();
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_with_an_empty_key_is_refused_but_a_dotted_name_is_not() {
        for p in [
            "backlog..people=5",
            ".backlog.people=5",
            "backlog.people.=5",
        ] {
            let e = parse_set(p).unwrap_err();
            assert!(e.contains("has an empty key"), "{p}: {e}");
        }
        assert!(parse_vary("health..isolation=5d,6d").is_err());
        let o = parse_set("port[St. Louis].quota_per_day=5").unwrap();
        assert_eq!(o.path, "port[St. Louis].quota_per_day");
    }

    /// A path into `[[port]]` that names no element is refused with the path to write: the
    /// element meant where it was written as a key (`port.san_ysidro.quota_per_day`), and the
    /// elements' names (their numbers where they have none). The message had said only
    /// `name one, e.g. port[NAME].KEY=VALUE`, without the names the scenario has.
    #[test]
    fn a_path_that_names_no_element_is_told_the_path_to_write() {
        let mut t: toml::Table = r#"
[[port]]
name = "San Ysidro"
quota_per_day = 300
[[port]]
name = "El Paso"
quota_per_day = 300
[[disruption]]
days = 3
"#
        .parse()
        .unwrap();
        let refused = |t: &mut toml::Table, set: &str| {
            let e = apply(t, &parse_set(set).unwrap()).unwrap_err();
            (e.message.clone(), e.hint.clone().unwrap_or_default())
        };
        let names = "the scenario's [[port]] elements: \"San Ysidro\", \"El Paso\"";
        for (set, path) in [
            // the element written as a key, in any case and with `_` for the space
            (
                "port.san_ysidro.quota_per_day=600",
                "port[San Ysidro].quota_per_day",
            ),
            (
                "port.EL-PASO.quota_per_day=600",
                "port[El Paso].quota_per_day",
            ),
            // no element: the first as the example
            ("port.quota_per_day=600", "port[San Ysidro].quota_per_day"),
            // a word that is no key and no name, before a key: taken for the element
            (
                "port.tijuana.quota_per_day=600",
                "port[San Ysidro].quota_per_day",
            ),
        ] {
            let (message, hint) = refused(&mut t, set);
            assert_eq!(
                message,
                format!("[[port]] is a list of elements: name one in brackets, e.g. {path}"),
                "{set}"
            );
            assert_eq!(hint, names, "{set}");
        }
        // Elements without names are named by number; a list with none has nothing to name.
        let (message, hint) = refused(&mut t, "disruption.days=5");
        assert!(message.ends_with("e.g. disruption[1].days"), "{message}");
        assert_eq!(
            hint,
            "write its number, from 1 to 1, e.g. disruption[1].days"
        );
        let mut empty = toml::Table::new();
        let (message, hint) = refused(&mut empty, "route.capacity=5");
        assert_eq!(message, "the scenario has no [[route]] elements");
        assert_eq!(hint, "");
        // The path as hinted is taken.
        apply(
            &mut t,
            &parse_set("port[San Ysidro].quota_per_day=600").unwrap(),
        )
        .unwrap();
    }

    /// Each setting by the path `--set` takes, which finds the same value again: an element by
    /// its name, a route without one by `FROM->TO`, one whose name another shares by its
    /// 1-based position (the merge of shards had labelled them from 0).
    #[test]
    fn settings_are_keyed_by_the_paths_set_takes() {
        let t: toml::Table = r#"
[screening]
servers = 12
hours = ["08:00", "17:00"]
[[port]]
name = "El Paso"
quota_per_day = 300
ramp = { from = 10, over = "21d" }
[[route]]
from = "A"
to = "El Paso"
seats = 50
[[route]]
name = "Express"
from = "A"
to = "El Paso"
seats = 60
[[class]]
name = "x"
share = 0.5
[[class]]
name = "x"
share = 0.5
"#
        .parse()
        .unwrap();
        let s = settings(&t);
        let keys: Vec<&str> = s.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "class[1].name",
                "class[1].share",
                "class[2].name",
                "class[2].share",
                "port[El Paso].name",
                "port[El Paso].quota_per_day",
                "port[El Paso].ramp.from",
                "port[El Paso].ramp.over",
                "route[A->El Paso].from",
                "route[A->El Paso].seats",
                "route[A->El Paso].to",
                "route[Express].from",
                "route[Express].name",
                "route[Express].seats",
                "route[Express].to",
                "screening.hours",
                "screening.servers",
            ]
        );
        for (k, v) in &s {
            assert_eq!(value_at(&t, k), Some(v), "{k}");
        }
    }

    #[test]
    fn a_setting_is_known_under_each_of_its_names() {
        let t = table();
        let same = ["port[San Ysidro].quota_per_day", "port[1].quota_per_day"];
        assert_eq!(setting_of(&t, same[0]), setting_of(&t, same[1]));
        assert_eq!(varied_twice(&t, &same), Some((0, 1, true)));
        assert_eq!(
            varied_twice(&t, &["port[1].quota_per_day", "port[2].quota_per_day"]),
            None
        );
        assert_eq!(
            varied_twice(&t, &["backlog.people", "port[1].servers", "backlog.people"]),
            Some((0, 2, true))
        );
        // One holds the other, under another name: an overlap, not the same setting.
        assert_eq!(
            varied_twice(&t, &["port[San Ysidro].ramp", "port[1].ramp.from"]),
            Some((0, 1, false))
        );
        // A prefix of a key is not a key of it.
        assert_eq!(
            varied_twice(&t, &["port[1].quota", "port[1].quota_per_day"]),
            None
        );
    }

    fn table() -> toml::Table {
        r#"
[scenario]
name = "t"
replications = 10
[[port]]
name = "San Ysidro"
quota_per_day = 300
ramp = { from = 25, over = "30d" }
[[port]]
name = "El Paso"
[[route]]
from = "Tijuana"
to = "San Ysidro"
seats = 55
"#
        .parse()
        .unwrap()
    }

    #[test]
    fn values_are_toml_or_strings() {
        assert_eq!(parse_value("400"), toml::Value::Integer(400));
        assert_eq!(parse_value("0.5"), toml::Value::Float(0.5));
        assert_eq!(parse_value("\"2h\""), toml::Value::String("2h".into()));
        assert_eq!(parse_value("2h"), toml::Value::String("2h".into()));
        assert_eq!(parse_value("Plan B"), toml::Value::String("Plan B".into()));
        assert!(parse_value("{ dist = \"exponential\", mean = \"20d\" }").is_table());
        let o = parse_set("port[A=B].x = 3").unwrap();
        assert_eq!(o.path, "port[A=B].x");
        assert_eq!(o.value, toml::Value::Integer(3));
        assert!(parse_set("novalue").is_err());
        let (p, v) = parse_vary("route[1].departures=[\"07:00\",\"12:00\"],continuous").unwrap();
        assert_eq!(p, "route[1].departures");
        assert_eq!(v.len(), 2);
        assert!(v[0].is_array());
    }

    /// A decimal number is echoed in a short form that reads back as itself: `1e9`, not
    /// `1000000000.0`; the forms that read well already are kept.
    #[test]
    fn decimal_numbers_are_echoed_short_and_read_back_alike() {
        let shown = |text: &str| display_value(&parse_value(text));
        assert_eq!(shown("1e9"), "1e9");
        assert_eq!(shown("1000000000.0"), "1e9");
        assert_eq!(shown("-2.5e9"), "-2.5e9");
        assert_eq!(shown("1e-9"), "1e-9");
        assert_eq!(shown("1e4"), "1e4");
        assert_eq!(shown("1e300"), "1e300");
        for kept in [
            "0.5", "0.0005", "0.00001", "300.0", "15000.0", "2.25", "-0.0", "0.0",
        ] {
            assert_eq!(shown(kept), kept);
        }
        assert_eq!(shown("1.5e4"), "15000.0");
        assert_eq!(shown("5e-4"), "0.0005");
        for same in ["400", "2h", "inf", "nan", "[1, 2]"] {
            assert_eq!(shown(same), same);
        }
        // A number written so is still not a whole number, and reads back exactly.
        for x in [
            1e9,
            1e-9,
            0.1 + 0.2,
            123456789.125,
            1.0 / 3.0,
            6.02e23,
            -4e-7,
            5e-324,
        ] {
            let text = display_float(x);
            assert_eq!(parse_value(&text), toml::Value::Float(x), "{text}");
        }
        let o = parse_set("inflow.rate_per_day=1e9").unwrap();
        assert_eq!(o.value, toml::Value::Float(1e9));
        assert_eq!(o.to_string(), "inflow.rate_per_day=1e9");
    }

    #[test]
    fn sets_keys_in_tables_elements_and_nested_tables() {
        let mut t = table();
        for s in [
            "port[San Ysidro].quota_per_day=400",
            "scenario.replications=50",
            "route[Tijuana->San Ysidro].seats=60",
            "port[2].servers=3",
            "port[San Ysidro].ramp.from=50",
            "inflow.rate_per_day=2.5",
        ] {
            apply(&mut t, &parse_set(s).unwrap()).unwrap();
        }
        assert_eq!(t["port"][0]["quota_per_day"].as_integer(), Some(400));
        assert_eq!(t["scenario"]["replications"].as_integer(), Some(50));
        assert_eq!(t["route"][0]["seats"].as_integer(), Some(60));
        assert_eq!(t["port"][1]["servers"].as_integer(), Some(3));
        assert_eq!(t["port"][0]["ramp"]["from"].as_integer(), Some(50));
        assert_eq!(t["port"][0]["ramp"]["over"].as_str(), Some("30d"));
        assert_eq!(t["inflow"]["rate_per_day"].as_float(), Some(2.5));
    }

    /// A bracket left open is refused by name (`port[}é=1` had panicked, cutting the name at a
    /// byte inside `é`).
    #[test]
    fn an_unclosed_element_bracket_is_refused() {
        for s in ["port[}é=1", "port[}=1", "port[El Paso.quota_per_day}=1"] {
            let mut t = table();
            let o = parse_set(s).unwrap();
            let d = *apply(&mut t, &o).unwrap_err();
            assert!(
                d.message.contains("opens a `[` that is not closed"),
                "{s}: {d:?}"
            );
        }
    }

    #[test]
    fn bad_paths_are_named_with_suggestions() {
        let mut t = table();
        let e = |t: &mut toml::Table, s: &str| *apply(t, &parse_set(s).unwrap()).unwrap_err();
        let d = e(&mut t, "port[San Ysidro].quota_per_dya=1");
        assert_eq!(d.key.as_deref(), Some("port[San Ysidro].quota_per_dya"));
        assert!(d.message.contains("unknown key \"quota_per_dya\""), "{d:?}");
        assert_eq!(d.hint.as_deref(), Some("did you mean \"quota_per_day\"?"));
        let d = e(&mut t, "port[San Ysidor].quota_per_day=1");
        assert!(d.message.contains("no [[port]] element named"), "{d:?}");
        assert_eq!(d.hint.as_deref(), Some("did you mean \"San Ysidro\"?"));
        // An element asked for by a number it does not have: its numbers (from 1) and names.
        let d = e(&mut t, "port[0].quota_per_day=2");
        let hint = d.hint.unwrap();
        assert!(hint.starts_with("write its number, from 1 to "), "{hint}");
        assert!(hint.contains(", or its name: \"San Ysidro\""), "{hint}");
        let d = e(&mut t, "scenaro.seed=1");
        assert!(d.message.contains("unknown section"), "{d:?}");
        assert_eq!(d.hint.as_deref(), Some("did you mean \"scenario\"?"));
        let d = e(&mut t, "port.quota_per_day=1");
        assert!(d.message.contains("name one"), "{d:?}");
        let d = e(&mut t, "port[San Ysidro].ramp.form=1");
        assert_eq!(d.hint.as_deref(), Some("did you mean \"from\"?"));
        let d = e(&mut t, "port[9].servers=1");
        assert!(
            d.message
                .contains("position 9 is out of range: the scenario has ")
                && d.message.contains(" [[port]] element"),
            "{d:?}"
        );
        // Positions count from 1: position 0 says so, and the hint gives the first.
        let d = e(&mut t, "port[0].servers=1");
        assert!(d.message.contains("numbered from 1"), "{d:?}");
        assert!(
            d.hint.as_deref().is_some_and(|h| h.contains("from 1 to")),
            "{d:?}"
        );
    }
}
