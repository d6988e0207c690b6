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
//!   whose `name` (for a route without a name: `FROM->TO`) matches a base element is merged into
//!   it; other variant elements are appended in order;
//! - any other value (numbers, strings, plain arrays) replaces the base's.

use super::diag::{parent_path, Diagnostic, ScenarioError, Spans};
use super::document;
use super::overrides::{self, element_names, Override};
use super::types::Scenario;
use std::path::{Path, PathBuf};

/// A validated scenario with the effective table it was built from (after `extends` and
/// `--set`): the table identifies the scenario exactly (shards and extended runs check it).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub scenario: Scenario,
    pub table: toml::Table,
}

/// One file of the chain: its name as shown and its key positions.
struct Layer {
    file: String,
    spans: Spans,
}

/// Most bases one scenario may chain through.
const MAX_DEPTH: usize = 32;

/// Read a file as scenario text.
pub fn read_text(path: &Path) -> Result<String, ScenarioError> {
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
    String::from_utf8(bytes).map_err(|_| ScenarioError::io(&file, "not a UTF-8 text file", None))
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
fn merged_table(
    src: &str,
    file: &str,
    dir: &Path,
    chain: &mut Vec<PathBuf>,
    layers: &mut Vec<Layer>,
) -> Result<toml::Table, ScenarioError> {
    let doc = parse_text(src, file)?;
    let mut table = doc.table;
    let ext = table.remove("extends");
    let line = doc.spans.get("extends");
    layers.push(Layer {
        file: file.to_string(),
        spans: doc.spans,
    });
    let Some(ext) = ext else {
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
    let base_path = dir.join(rel);
    let canon = base_path.canonicalize().map_err(|e| {
        at(
            format!("cannot read the base scenario {}: {e}", base_path.display()),
            Some("the path is relative to the file that says `extends`".into()),
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
    let base_src = read_text(&base_path)?;
    let base_dir = base_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut base = merged_table(&base_src, &base_file, &base_dir, chain, layers)?;
    chain.pop();
    merge(&mut base, table, "");
    Ok(base)
}

/// Deep-merge `over` into `base` (see the module documentation for the rule).
pub fn merge(base: &mut toml::Table, over: toml::Table, section: &str) {
    for (k, v) in over {
        let sect = if section.is_empty() {
            k.as_str()
        } else {
            section
        };
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) if !o.contains_key("dist") => {
                merge(b, o, sect)
            }
            (Some(toml::Value::Array(b)), toml::Value::Array(o))
                if !o.is_empty()
                    && o.iter().all(toml::Value::is_table)
                    && b.iter().all(toml::Value::is_table) =>
            {
                merge_elements(b, o, sect)
            }
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn merge_elements(base: &mut Vec<toml::Value>, over: Vec<toml::Value>, section: &str) {
    for el in over {
        let toml::Value::Table(o) = el else { continue };
        let id = element_names(section, &o).into_iter().next();
        let hit = id.as_ref().and_then(|id| {
            base.iter().position(|b| {
                b.as_table()
                    .is_some_and(|t| element_names(section, t).iter().any(|n| n == id))
            })
        });
        match hit {
            Some(i) => {
                if let toml::Value::Table(b) = &mut base[i] {
                    merge(b, o, section);
                }
            }
            None => base.push(toml::Value::Table(o)),
        }
    }
}

/// True when `key` is `path` or lies inside it.
fn under(key: &str, path: &str) -> bool {
    key == path
        || key
            .strip_prefix(path)
            .is_some_and(|r| r.starts_with('.') || r.starts_with('['))
}

/// Place each diagnostic in the layer that wrote its key.
fn relocate(mut e: ScenarioError, layers: &[Layer], ovs: &[Override]) -> ScenarioError {
    for d in &mut e.diagnostics {
        let Some(key) = d.key.clone() else { continue };
        if let Some(o) = ovs.iter().rev().find(|o| under(&key, &o.path)) {
            d.file = "--set".into();
            d.line = None;
            d.column = None;
            if d.hint.is_none() {
                d.hint = Some(format!("the value comes from --set {o}"));
            }
            continue;
        }
        let mut p = Some(key);
        'outer: while let Some(path) = p {
            for l in layers {
                if let Some((line, col)) = l.spans.get(&path) {
                    d.file = l.file.clone();
                    d.line = Some(line);
                    d.column = Some(col);
                    break 'outer;
                }
            }
            p = parent_path(&path);
        }
    }
    e
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
    let mut chain = Vec::new();
    if let Ok(c) = dir.join(file).canonicalize() {
        chain.push(c);
    }
    let mut table = merged_table(src, file, dir, &mut chain, &mut layers)?;
    if let Err(d) = overrides::apply_all(&mut table, ovs) {
        return Err(ScenarioError::invalid(file, vec![*d]));
    }
    load_effective(table, file, &layers, ovs)
}

/// Validate an effective table, locating diagnostics in `layers`.
fn load_effective(
    table: toml::Table,
    file: &str,
    layers: &[Layer],
    ovs: &[Override],
) -> Result<Loaded, ScenarioError> {
    let empty = Spans::default();
    let spans = layers.first().map(|l| &l.spans).unwrap_or(&empty);
    match super::load_table(&table, spans, file) {
        Ok(scenario) => Ok(Loaded { scenario, table }),
        Err(e) => Err(relocate(e, layers, ovs)),
    }
}

/// Load a scenario file with `extends` and overrides.
pub fn load_file_with(path: &Path, ovs: &[Override]) -> Result<Loaded, ScenarioError> {
    let file = path.display().to_string();
    let src = read_text(path)?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut layers = Vec::new();
    let mut chain = Vec::new();
    if let Ok(c) = path.canonicalize() {
        chain.push(c);
    }
    let mut table = merged_table(&src, &file, &dir, &mut chain, &mut layers)?;
    if let Err(d) = overrides::apply_all(&mut table, ovs) {
        return Err(ScenarioError::invalid(&file, vec![*d]));
    }
    load_effective(table, &file, &layers, ovs)
}

/// Validate an effective table as stored (e.g. in a shard), naming it `file`.
pub fn load_effective_table(table: toml::Table, file: &str) -> Result<Loaded, ScenarioError> {
    load_effective(table, file, &[], &[])
}

/// A stable 64-bit fingerprint of an effective table (its canonical TOML text), as 16 hex digits.
pub fn fingerprint(table: &toml::Table) -> String {
    let text = toml::to_string(table).unwrap_or_default();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
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
