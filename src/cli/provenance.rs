//! What an experiment's output directory was made of: `sweep --out` and `sensitivity --out`
//! write `provenance.json` (the command, the tool's version, the scenario's name, file and
//! fingerprint, the sweep file, seed, replications, the `--set` overrides and the factors
//! varied) and `scenario.toml` (the scenario as run, before the factors: after `extends` and
//! `--set`, with the seed and replications), as `run --out` records its own in summary.json,
//! run.json and scenario.toml.

use crate::scenario::{self, Override};
use anyhow::Result;
use serde::Serialize;
use std::path::Path;

/// The file [`write`] writes beside the experiment's outputs.
pub const FILE: &str = "provenance.json";
/// The scenario as run, as `run --out` writes it.
pub const SCENARIO: &str = "scenario.toml";

/// The scenario an experiment varies (the library's, which every experiment's JSON uses).
pub use crate::experiment::summary::ScenarioProvenance;

/// A factor varied, with the values it took, as TOML text (`300`, `"2h"`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FactorProvenance {
    pub path: String,
    pub values: Vec<String>,
    /// Where it was given: `--vary`, or its place in the sweep file (`not recorded` only in
    /// the JSON of a merge of sweep shards stored before they recorded it).
    pub origin: String,
}

/// `provenance.json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Provenance {
    /// `sweep` or `sensitivity`.
    pub command: &'static str,
    /// The version of clearance that wrote it.
    pub clearance_version: &'static str,
    pub scenario: ScenarioProvenance,
    /// The sweep file, when the sweep was read from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep_file: Option<String>,
    /// Base seed shared by every point or setting.
    pub seed: u64,
    /// Replications at every point or setting \[replications\].
    pub replications: u32,
    /// The `--set` overrides applied to the scenario file, as `PATH=VALUE` (empty when none).
    pub overrides: Vec<String>,
    /// The factors varied, in the order given.
    pub factors: Vec<FactorProvenance>,
}

impl Provenance {
    /// The provenance of an experiment of `command` on the scenario file `file` with the `--set`
    /// overrides `sets`, `seed` and `replications`, varying `factors` (path, values, origin);
    /// and the text of `scenario.toml`.
    pub fn new(
        command: &'static str,
        file: &Path,
        sets: &[Override],
        seed: u64,
        replications: u32,
        factors: Vec<FactorProvenance>,
    ) -> Result<(Provenance, String)> {
        let loaded = scenario::load_file_with(file, sets)?;
        Provenance::of(
            command,
            &file.display().to_string(),
            &loaded,
            overrides(sets),
            (seed, replications),
            factors,
        )
    }

    /// The provenance of an experiment of `command` on `loaded`, the scenario file `file` (as
    /// named) after `extends` and the `--set` `overrides` (`PATH=VALUE`), run with `seed` and
    /// `replications` (`run`), varying `factors`; and the text of `scenario.toml`.
    pub fn of(
        command: &'static str,
        file: &str,
        loaded: &scenario::Loaded,
        overrides: Vec<String>,
        run: (u64, u32),
        factors: Vec<FactorProvenance>,
    ) -> Result<(Provenance, String)> {
        let (seed, replications) = run;
        let text = super::scenario_as_run(&loaded.table, seed, replications)?;
        Ok((
            Provenance {
                command,
                clearance_version: env!("CARGO_PKG_VERSION"),
                scenario: ScenarioProvenance {
                    name: loaded.scenario.name.clone(),
                    file: file.to_string(),
                    fingerprint: Some(scenario::fingerprint(&loaded.table)),
                    modified_in_code: false,
                },
                sweep_file: None,
                seed,
                replications,
                overrides,
                factors,
            },
            text,
        ))
    }

    /// Write `provenance.json` and the scenario as run (`scenario_text`) into `dir`.
    pub fn write(&self, dir: &Path, scenario_text: &str) -> Result<()> {
        crate::output::atomic_write(&dir.join(FILE), super::to_json(self)?.as_bytes())?;
        crate::output::atomic_write(&dir.join(SCENARIO), scenario_text.as_bytes())?;
        Ok(())
    }
}

/// The `--set` overrides as `PATH=VALUE`, as a run's summary.json names them.
pub fn overrides(sets: &[Override]) -> Vec<String> {
    sets.iter().map(ToString::to_string).collect()
}

/// " · with --set A=1, B=2" for a table's heading or a chart's subtitle; empty without any.
pub fn with_set(sets: &[Override]) -> String {
    if sets.is_empty() {
        String::new()
    } else {
        format!(" · with --set {}", overrides(sets).join(", "))
    }
}

/// A factor's values as TOML text, as a sweep's store (`sweep.json`) records them.
pub fn values(values: &[toml::Value]) -> Vec<String> {
    values
        .iter()
        .map(|v| match v {
            // A decimal number in the short form that the sweep's CSVs and tables give it
            // (`1e-7`, not `0.0000001`), itself TOML text that reads back as the same number.
            toml::Value::Float(x) => crate::scenario::overrides::display_float(*x),
            other => other.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    /// A factor's values as TOML text, a decimal number in the short form the sweep's CSVs
    /// give it (provenance.json had `0.0000001` beside sweep.csv's `1e-7`), each reading back
    /// as the value.
    #[test]
    fn factor_values_are_toml_text_with_short_numbers() {
        let values = [
            toml::Value::Float(1e-7),
            toml::Value::Float(0.0005),
            toml::Value::Integer(300),
            toml::Value::String("2h".into()),
        ];
        let text = super::values(&values);
        assert_eq!(text, ["1e-7", "0.0005", "300", "\"2h\""]);
        for (t, v) in text.iter().zip(&values) {
            let back: toml::Table = toml::from_str(&format!("x = {t}")).unwrap();
            assert_eq!(&back["x"], v);
        }
    }
}
