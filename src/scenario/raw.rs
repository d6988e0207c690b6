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
    Text(String),
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
    Fixed(RawDuration),
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
    Fixed(i64),
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
    Text(String),
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
    pub name: Option<String>,
    pub start_date: Option<RawDate>,
    pub horizon: Option<RawDuration>,
    pub seed: Option<i64>,
    pub replications: Option<i64>,
    pub warmup: Option<RawDuration>,
}

/// `[backlog]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBacklog {
    pub people: Option<i64>,
    pub group_size: Option<RawGroupSize>,
}

/// `[[origin]]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOrigin {
    pub name: Option<String>,
    pub share: Option<f64>,
}

/// `[[class]]` (addition: priority classes, listed from highest priority to lowest, with the
/// same keys as an origin: `name`, `share`).
pub type RawClass = RawOrigin;

/// `[registration]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegistration {
    pub delay: Option<RawDist>,
    pub never: Option<f64>,
}

/// `[screening]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScreening {
    /// Addition: omitted = unlimited.
    pub servers: Option<i64>,
    pub service: Option<RawDist>,
    pub hours: Option<Vec<String>>,
    pub days: Option<Vec<String>>,
}

/// `[health]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHealth {
    pub turnaround: Option<RawDist>,
    pub positive: Option<f64>,
    pub isolation: Option<RawDist>,
    /// Addition: the share of groups that need the check; omitted = 1 (every group).
    pub share: Option<f64>,
}

/// `[attrition]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAttrition {
    pub hazard_per_day: Option<f64>,
}

/// `[dispatch]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDispatch {
    pub policy: Option<String>,
    pub choose_port: Option<String>,
}

/// `[[route]]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoute {
    /// Addition: route name, default "FROM->TO".
    pub name: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub departures: Option<RawDepartures>,
    /// Addition: weekdays with departures, default every day.
    pub days: Option<Vec<String>>,
    pub seats: Option<i64>,
    pub travel: Option<RawDist>,
}

/// `[[port]].ramp`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRamp {
    pub from: Option<f64>,
    pub over: Option<RawDuration>,
}

/// `[[port]]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPort {
    pub name: Option<String>,
    pub opens: Option<RawDuration>,
    pub quota_per_day: Option<i64>,
    pub ramp: Option<RawRamp>,
    pub servers: Option<i64>,
    pub service: Option<RawDist>,
    pub hours: Option<Vec<String>>,
    pub days: Option<Vec<String>>,
    pub holding: Option<i64>,
}

/// `[[phase]]` (addition: the keys `name`, `people`, `opens`)
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPhase {
    pub name: Option<String>,
    pub people: Option<i64>,
    pub opens: Option<RawDuration>,
}

/// `[inflow]` (addition: the keys `rate_per_day`, `from`, `until`)
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInflow {
    pub rate_per_day: Option<f64>,
    pub from: Option<RawDuration>,
    pub until: Option<RawDuration>,
}

/// `[[disruption]]` (addition: the targets `ports`, `routes`, `stage`)
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDisruption {
    pub ports: Option<Vec<String>>,
    pub routes: Option<Vec<String>>,
    pub stage: Option<String>,
    pub from: Option<RawDuration>,
    pub until: Option<RawDuration>,
    pub capacity: Option<f64>,
}

/// A whole scenario file as raw structs. Array-of-tables elements carry the label used in key
/// paths (`port[San Ysidro]`, `route[2]`).
#[derive(Debug, Clone, Default)]
pub struct RawFile {
    pub scenario: Option<RawMeta>,
    pub backlog: Option<RawBacklog>,
    pub origins: Vec<(String, RawOrigin)>,
    pub registration: Option<RawRegistration>,
    pub screening: Option<RawScreening>,
    pub health: Option<RawHealth>,
    pub attrition: Option<RawAttrition>,
    pub dispatch: Option<RawDispatch>,
    pub routes: Vec<(String, RawRoute)>,
    pub ports: Vec<(String, RawPort)>,
    pub phases: Vec<(String, RawPhase)>,
    pub inflow: Option<RawInflow>,
    pub disruptions: Vec<(String, RawDisruption)>,
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
    pub name: &'static str,
    pub shape: Shape,
    pub keys: &'static [&'static str],
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
