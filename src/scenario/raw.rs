//! Raw scenario structs: the TOML format of MODEL.md §2 as written, deserialized with serde
//! (`deny_unknown_fields`) section by section, before any unit parsing, defaulting or
//! cross-checking. Also the known key sets (`SCHEMA`) that the loader walks to report every
//! unknown key at once. `validate` turns these into the resolved types of `types.rs`.
//!
//! Every field is optional here so that one wrong or missing value never hides another;
//! `validate` applies defaults and reports what is required.
//!
//! Additions to MODEL.md §2 (the README lists them):
//! - `[[route]].name`: optional route name, default `"FROM->TO"`; disruptions refer to it.
//! - `[[route]].days`: weekdays with departures, default every day.
//! - `[[route]].departures` omitted = `"continuous"`; `seats` omitted = unlimited.
//! - `[[disruption]]` targets: `ports = [port names]`, `routes = [route names]`,
//!   `stage = "screening"` (any combination, at least one); `from` and `until` are required.
//! - `[screening].servers` omitted = unlimited; `[screening]`, `[health]` and `[[port]]`
//!   `service`/`turnaround`/`isolation` omitted = "0min".
//! - `[health].share`: the share of groups that need the check, default 1 (every group).
//! - `[[class]]` priority classes (`name`, `share`), highest priority first; queues serve a
//!   higher class first and FIFO within a class. Omitted: one class "all".
//! - `[[phase]]` has `name` (default "phase N"), `people` and `opens` (both required).
//! - `[inflow]` has `rate_per_day` (required), `from` (default "0d"), `until` (default horizon).
//! - `[[origin]].share` may be omitted when there is a single origin (it is then 1).
//! - `start_date` may also be a bare TOML date (`start_date = 2021-02-19`).
//! - Weekday names are case-insensitive and may be written in full ("Monday").
//! - A duration may have a space before its unit ("2 h").

use serde::de::{Deserializer, Error as _};
use serde::Deserialize;

/// A duration as written: a string such as "20d" (parsed by `units`), or a bare number, which
/// is kept only to be refused with the hint `write "20d"`.
#[derive(Debug, Clone, PartialEq)]
pub enum RawDuration {
    /// A string such as "20d" or "2 h", parsed by `units`.
    Text(String),
    /// A bare number (an integer or decimal), refused by `validate` with a hint to add a unit.
    Number(f64),
}

impl<'de> Deserialize<'de> for RawDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(d)? {
            toml::Value::String(s) => Ok(RawDuration::Text(s)),
            toml::Value::Integer(i) => Ok(RawDuration::Number(i as f64)),
            toml::Value::Float(f) => Ok(RawDuration::Number(f)),
            other => Err(D::Error::custom(format!(
                "expected a duration such as \"20d\", found {}",
                describe(&other)
            ))),
        }
    }
}

/// A distribution as written: a duration (fixed) or a table `{ dist = "…", … }` whose keys
/// depend on `dist` and are checked by `validate`.
#[derive(Debug, Clone, PartialEq)]
pub enum RawDist {
    /// A duration (a string or a bare number): the distribution that always gives it.
    Fixed(RawDuration),
    /// A table `{ dist = "…", … }`, its keys checked by `validate` against [`DISTRIBUTIONS`].
    Table(toml::Table),
}

impl<'de> Deserialize<'de> for RawDist {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(d)? {
            toml::Value::String(s) => Ok(RawDist::Fixed(RawDuration::Text(s))),
            toml::Value::Integer(i) => Ok(RawDist::Fixed(RawDuration::Number(i as f64))),
            toml::Value::Float(f) => Ok(RawDist::Fixed(RawDuration::Number(f))),
            toml::Value::Table(t) => Ok(RawDist::Table(t)),
            other => Err(D::Error::custom(format!(
                "expected a duration such as \"2h\" or a distribution such as \
                 {{ dist = \"exponential\", mean = \"20d\" }}, found {}",
                describe(&other)
            ))),
        }
    }
}

/// A group size as written: a whole number, or an empirical table.
#[derive(Debug, Clone, PartialEq)]
pub enum RawGroupSize {
    /// A whole number of people in every group (checked to be at least 1 by `validate`).
    Fixed(i64),
    /// An empirical table `{ dist = "empirical", values = […], weights = […] }`, checked by
    /// `validate`.
    Table(toml::Table),
}

impl<'de> Deserialize<'de> for RawGroupSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(d)? {
            toml::Value::Integer(i) => Ok(RawGroupSize::Fixed(i)),
            toml::Value::Table(t) => Ok(RawGroupSize::Table(t)),
            other => Err(D::Error::custom(format!(
                "expected a whole number of people or {{ dist = \"empirical\", values = [1, 2, 3], \
                 weights = [0.5, 0.3, 0.2] }}, found {}",
                describe(&other)
            ))),
        }
    }
}

/// Departures as written: `"continuous"` (or another string, refused by `validate`) or a list
/// of times of day.
#[derive(Debug, Clone, PartialEq)]
pub enum RawDepartures {
    /// A string: `"continuous"` (no schedule, no seat limit); any other string is refused by
    /// `validate`.
    Text(String),
    /// A list of times of day such as `["07:00", "12:00"]`, as written.
    Times(Vec<String>),
}

impl<'de> Deserialize<'de> for RawDepartures {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(d)? {
            toml::Value::String(s) => Ok(RawDepartures::Text(s)),
            toml::Value::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                for (i, v) in a.into_iter().enumerate() {
                    match v {
                        toml::Value::String(s) => out.push(s),
                        other => {
                            return Err(D::Error::custom(format!(
                                "departure {} is {}; departure times are strings such as \"07:00\"",
                                i + 1,
                                describe(&other)
                            )))
                        }
                    }
                }
                Ok(RawDepartures::Times(out))
            }
            other => Err(D::Error::custom(format!(
                "expected \"continuous\" or a list of times such as [\"07:00\", \"12:00\"], found {}",
                describe(&other)
            ))),
        }
    }
}

/// A calendar date as written: a string or a bare TOML date, kept as text for `units`.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDate(pub String);

impl<'de> Deserialize<'de> for RawDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(d)? {
            toml::Value::String(s) => Ok(RawDate(s)),
            toml::Value::Datetime(dt) if dt.date.is_some() && dt.time.is_none() => {
                Ok(RawDate(dt.to_string()))
            }
            other => Err(D::Error::custom(format!(
                "expected a date such as \"2021-02-19\", found {}",
                describe(&other)
            ))),
        }
    }
}

/// "a string \"x\"", "an integer 3", … for error messages.
pub fn describe(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("the string \"{s}\""),
        toml::Value::Integer(i) => format!("the integer {i}"),
        // `{:?}` keeps the decimal point: 1e6 shows as 1000000.0, which says why a whole
        // number was not found.
        toml::Value::Float(f) => format!("the decimal number {f:?}"),
        toml::Value::Boolean(b) => format!("the boolean {b}"),
        toml::Value::Datetime(d) => format!("the date-time {d}"),
        toml::Value::Array(_) => "a list".into(),
        toml::Value::Table(_) => "a table".into(),
    }
}

/// `[scenario]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    /// `name`: the scenario's name (required), as written.
    pub name: Option<String>,
    /// `start_date`: the calendar date of day 0 (a string or bare TOML date); omitted = 2021-01-01.
    pub start_date: Option<RawDate>,
    /// `horizon`: the duration after which a replication stops even if not cleared (counted as
    /// censored); omitted = "3650d".
    pub horizon: Option<RawDuration>,
    /// `seed`: the base random seed, a whole number from 0 to 9223372036854775807; omitted = 1.
    pub seed: Option<i64>,
    /// `replications`: the number of Monte-Carlo replications; omitted = 100.
    pub replications: Option<i64>,
    /// `warmup`: a duration; wait statistics exclude groups that registered before it; omitted =
    /// "0d".
    pub warmup: Option<RawDuration>,
}

/// `[backlog]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBacklog {
    /// `people`: the people in the initial backlog, open at t = 0 \[people\]; omitted = 0.
    pub people: Option<i64>,
    /// `group_size`: the size of each group \[people\], a whole number or an empirical table;
    /// omitted = 1.
    pub group_size: Option<RawGroupSize>,
}

/// `[[origin]]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOrigin {
    /// `name`: the origin's (or class's) name, which routes and `--set` paths refer to.
    pub name: Option<String>,
    /// `share`: the fraction of groups drawn to this origin (or class) \[fraction\]; the shares of
    /// all sum to 1; may be omitted when there is only one.
    pub share: Option<f64>,
}

/// `[[class]]` (addition: priority classes, listed from highest priority to lowest, with the
/// same keys as an origin: `name`, `share`).
pub type RawClass = RawOrigin;

/// `[registration]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegistration {
    /// `delay`: the time from a cohort opening to a group registering, a distribution of durations;
    /// omitted = 0.
    pub delay: Option<RawDist>,
    /// `never`: the probability that a group never registers (is unreached) \[fraction\]; omitted =
    /// 0.
    pub never: Option<f64>,
}

/// `[screening]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScreening {
    /// `servers`: the screening servers, each serving one group at a time \[servers\]
    /// (addition: omitted = unlimited).
    pub servers: Option<i64>,
    /// `service`: the screening time per group, a distribution of durations; omitted = "0min".
    pub service: Option<RawDist>,
    /// `hours`: the opening and closing times of day `["08:00", "18:00"]` within which service may
    /// start; omitted = all day.
    pub hours: Option<Vec<String>>,
    /// `days`: the weekdays on which service may start (such as `["Mon", "Tue"]`); omitted = every
    /// day.
    pub days: Option<Vec<String>>,
}

/// `[health]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHealth {
    /// `turnaround`: the time one test takes, a distribution of durations; omitted = "0min".
    pub turnaround: Option<RawDist>,
    /// `positive`: the probability that a test is positive \[fraction\].
    pub positive: Option<f64>,
    /// `isolation`: the isolation after a positive test, before the next test, a distribution of
    /// durations; omitted = "0min".
    pub isolation: Option<RawDist>,
    /// `share`: the share of groups that need the check \[fraction\] (addition: omitted = 1,
    /// every group).
    pub share: Option<f64>,
}

/// `[attrition]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAttrition {
    /// `hazard_per_day`: the attrition hazard \[1/day\]; each group drops out after an exponential
    /// time with this rate unless it boards first.
    pub hazard_per_day: Option<f64>,
}

/// `[dispatch]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDispatch {
    /// `policy`: `"fifo"` (quota checked at the port; the default) or `"appointment"` (boarding
    /// reserves the port's quota).
    pub policy: Option<String>,
    /// `choose_port`: `"first"` (the first route listed that can take the group; the default) or
    /// `"shortest_queue"`.
    pub choose_port: Option<String>,
}

/// `[[route]]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoute {
    /// `name`: the route's name, which disruptions refer to (addition: default "FROM->TO").
    pub name: Option<String>,
    /// `from`: the name of the origin the route leaves from (required).
    pub from: Option<String>,
    /// `to`: the name of the port the route leads to (required).
    pub to: Option<String>,
    /// `departures`: the times of day of the departures, or `"continuous"`; omitted =
    /// `"continuous"`.
    pub departures: Option<RawDepartures>,
    /// `days`: the weekdays with departures (addition: default every day).
    pub days: Option<Vec<String>>,
    /// `seats`: the seats of each departure \[people\]; omitted = unlimited.
    pub seats: Option<i64>,
    /// `travel`: the travel time, a distribution of durations (one draw per scheduled departure, or
    /// per group on a continuous route).
    pub travel: Option<RawDist>,
}

/// `[[port]].ramp`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRamp {
    /// `from`: the port's quota on its opening day \[people/day\], rising linearly to
    /// `quota_per_day`.
    pub from: Option<f64>,
    /// `over`: the duration over which the quota rises from `from` to `quota_per_day`.
    pub over: Option<RawDuration>,
}

/// `[[port]]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPort {
    /// `name`: the port's name (required), which routes and disruptions refer to.
    pub name: Option<String>,
    /// `opens`: the time from day 0 at which the port opens; omitted = "0d".
    pub opens: Option<RawDuration>,
    /// `quota_per_day`: the most people whose service may start on one day \[people/day\]; omitted
    /// = unlimited.
    pub quota_per_day: Option<i64>,
    /// `ramp`: the quota's ramp after opening, `{ from, over }`; omitted = the full quota from the
    /// first day.
    pub ramp: Option<RawRamp>,
    /// `servers`: the servers, each serving one group at a time \[servers\]; omitted = unlimited.
    pub servers: Option<i64>,
    /// `service`: the service time per group, a distribution of durations; omitted = "0min".
    pub service: Option<RawDist>,
    /// `hours`: the opening and closing times of day `["08:00", "20:00"]` within which service may
    /// start; omitted = all day.
    pub hours: Option<Vec<String>>,
    /// `days`: the weekdays on which service may start; omitted = every day.
    pub days: Option<Vec<String>>,
    /// `holding`: the most people waiting at the port plus in transit toward it \[people\]; a group
    /// may not board if it would exceed it; omitted = no limit.
    pub holding: Option<i64>,
}

/// `[[phase]]` (addition: the keys `name`, `people`, `opens`)
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPhase {
    /// `name`: the phase's name; omitted = "phase N".
    pub name: Option<String>,
    /// `people`: the people in this cohort \[people\] (required).
    pub people: Option<i64>,
    /// `opens`: the time from day 0 at which the cohort opens (required).
    pub opens: Option<RawDuration>,
}

/// `[inflow]` (addition: the keys `rate_per_day`, `from`, `until`)
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInflow {
    /// `rate_per_day`: the mean arrivals of a Poisson process \[groups/day\] (required).
    pub rate_per_day: Option<f64>,
    /// `from`: the time from day 0 at which arrivals begin; omitted = "0d".
    pub from: Option<RawDuration>,
    /// `until`: the time from day 0 at which arrivals end; omitted = the horizon.
    pub until: Option<RawDuration>,
}

/// `[[disruption]]` (addition: the targets `ports`, `routes`, `stage`)
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDisruption {
    /// `ports`: the names of the ports whose quota and servers the disruption scales.
    pub ports: Option<Vec<String>>,
    /// `routes`: the names of the routes whose seats the disruption scales.
    pub routes: Option<Vec<String>>,
    /// `stage`: `"screening"` to scale the screening servers.
    pub stage: Option<String>,
    /// `from`: the time from day 0 at which the disruption begins (required).
    pub from: Option<RawDuration>,
    /// `until`: the time from day 0 at which the disruption ends (required).
    pub until: Option<RawDuration>,
    /// `capacity`: the factor the targets' capacities are multiplied by \[fraction\]; 0 = closed.
    pub capacity: Option<f64>,
}

/// A whole scenario file as raw structs. Array-of-tables elements carry the label used in key
/// paths (`port[San Ysidro]`, `route[2]`).
#[derive(Debug, Clone, Default)]
pub struct RawFile {
    /// `[scenario]`; `None` when the file has no such section.
    pub scenario: Option<RawMeta>,
    /// `[backlog]`; `None` when absent.
    pub backlog: Option<RawBacklog>,
    /// Every `[[origin]]`, in file order, each with its label (such as `origin[Tijuana]`).
    pub origins: Vec<(String, RawOrigin)>,
    /// `[registration]`; `None` when absent.
    pub registration: Option<RawRegistration>,
    /// `[screening]`; `None` when absent (the stage is then passed at zero time).
    pub screening: Option<RawScreening>,
    /// `[health]`; `None` when absent (the stage is then passed at zero time).
    pub health: Option<RawHealth>,
    /// `[attrition]`; `None` when absent.
    pub attrition: Option<RawAttrition>,
    /// `[dispatch]`; `None` when absent.
    pub dispatch: Option<RawDispatch>,
    /// Every `[[route]]`, in file order, each with its label.
    pub routes: Vec<(String, RawRoute)>,
    /// Every `[[port]]`, in file order, each with its label.
    pub ports: Vec<(String, RawPort)>,
    /// Every `[[phase]]`, in file order, each with its label.
    pub phases: Vec<(String, RawPhase)>,
    /// `[inflow]`; `None` when absent (no inflow).
    pub inflow: Option<RawInflow>,
    /// Every `[[disruption]]`, in file order, each with its label.
    pub disruptions: Vec<(String, RawDisruption)>,
    /// Every `[[class]]`, in file order (highest priority first), each with its label.
    pub classes: Vec<(String, RawClass)>,
}

/// Shape of a top-level section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `[name]`
    Table,
    /// `[[name]]`
    ArrayOfTables,
}

/// A top-level section and its keys; `nested` lists sub-tables whose keys are fixed too.
pub struct SectionSchema {
    /// The section's name as written in TOML (`"port"` for `[[port]]`).
    pub name: &'static str,
    /// Whether the section is a table or an array of tables.
    pub shape: Shape,
    /// The section's keys, in the order MODEL.md lists them.
    pub keys: &'static [&'static str],
    /// The keys that hold a sub-table with fixed keys (such as `ramp`), each with those keys.
    pub nested: &'static [(&'static str, &'static [&'static str])],
}

/// Every section and key of the format (must match the structs above; the bundled-scenario
/// tests fail if a key is listed here but refused by serde).
pub const SCHEMA: &[SectionSchema] = &[
    SectionSchema {
        name: "scenario",
        shape: Shape::Table,
        keys: &[
            "name",
            "start_date",
            "horizon",
            "seed",
            "replications",
            "warmup",
        ],
        nested: &[],
    },
    SectionSchema {
        name: "backlog",
        shape: Shape::Table,
        keys: &["people", "group_size"],
        nested: &[],
    },
    SectionSchema {
        name: "origin",
        shape: Shape::ArrayOfTables,
        keys: &["name", "share"],
        nested: &[],
    },
    SectionSchema {
        name: "registration",
        shape: Shape::Table,
        keys: &["delay", "never"],
        nested: &[],
    },
    SectionSchema {
        name: "screening",
        shape: Shape::Table,
        keys: &["servers", "service", "hours", "days"],
        nested: &[],
    },
    SectionSchema {
        name: "health",
        shape: Shape::Table,
        keys: &["turnaround", "positive", "isolation", "share"],
        nested: &[],
    },
    SectionSchema {
        name: "attrition",
        shape: Shape::Table,
        keys: &["hazard_per_day"],
        nested: &[],
    },
    SectionSchema {
        name: "dispatch",
        shape: Shape::Table,
        keys: &["policy", "choose_port"],
        nested: &[],
    },
    SectionSchema {
        name: "route",
        shape: Shape::ArrayOfTables,
        keys: &[
            "name",
            "from",
            "to",
            "departures",
            "days",
            "seats",
            "travel",
        ],
        nested: &[],
    },
    SectionSchema {
        name: "port",
        shape: Shape::ArrayOfTables,
        keys: &[
            "name",
            "opens",
            "quota_per_day",
            "ramp",
            "servers",
            "service",
            "hours",
            "days",
            "holding",
        ],
        nested: &[("ramp", &["from", "over"])],
    },
    SectionSchema {
        name: "phase",
        shape: Shape::ArrayOfTables,
        keys: &["name", "people", "opens"],
        nested: &[],
    },
    SectionSchema {
        name: "class",
        shape: Shape::ArrayOfTables,
        keys: &["name", "share"],
        nested: &[],
    },
    SectionSchema {
        name: "inflow",
        shape: Shape::Table,
        keys: &["rate_per_day", "from", "until"],
        nested: &[],
    },
    SectionSchema {
        name: "disruption",
        shape: Shape::ArrayOfTables,
        keys: &["ports", "routes", "stage", "from", "until", "capacity"],
        nested: &[],
    },
];

/// Distribution kinds and their parameters, in the order they are written.
pub const DISTRIBUTIONS: &[(&str, &[&str])] = &[
    ("exponential", &["mean"]),
    ("uniform", &["min", "max"]),
    ("triangular", &["min", "mode", "max"]),
    ("lognormal", &["mean", "sd"]),
    ("gamma", &["mean", "sd"]),
    ("empirical", &["values", "weights"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field of a section's struct has a doc that opens by naming its TOML key
    /// ("`quota_per_day`: …", then its unit or form), and every key of `SCHEMA` is such a
    /// field: a program's author reading the library's docs finds each key of MODEL.md §2.
    #[test]
    fn every_key_is_documented_by_its_name() {
        let src = include_str!("raw.rs");
        let src = &src[..src.find("#[cfg(test)]").expect("the tests' module")];
        let mut documented = std::collections::HashSet::new();
        let mut in_section = false;
        let mut doc: Option<&str> = None;
        for line in src.lines() {
            let t = line.trim();
            if t == "#[serde(deny_unknown_fields)]" {
                in_section = true;
            } else if t == "}" {
                in_section = false;
            }
            if let Some(d) = t.strip_prefix("///") {
                doc = doc.or(Some(d.trim()));
                continue;
            }
            if in_section {
                if let Some((name, _)) = t.strip_prefix("pub ").and_then(|f| f.split_once(':')) {
                    let first = doc.unwrap_or_default();
                    assert!(
                        first.starts_with(&format!("`{name}`: ")),
                        "the doc of field {name} does not open with its key: {first:?}"
                    );
                    documented.insert(name);
                }
            }
            doc = None;
        }
        for section in SCHEMA {
            let nested = section.nested.iter().flat_map(|(_, keys)| keys.iter());
            for key in section.keys.iter().chain(nested) {
                assert!(
                    documented.contains(key),
                    "{}.{key} has no documented field",
                    section.name
                );
            }
        }
        assert!(
            documented.len() >= 20,
            "too few fields read: {documented:?}"
        );
    }
}
