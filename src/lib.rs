//! clearance: a discrete-event simulation of backlog clearance through registration, screening,
//! health checks, bus transport and port-of-entry queues, with Monte-Carlo replications.
//!
//! Layers, dependencies pointing one way: `cli` -> `experiment` -> `model` -> `engine`;
//! `scenario` feeds the model; `analysis` (what binds and what bounds clearance) reads a
//! scenario, the model's capacity rules and a run's result structs; `stats` and `output` are
//! leaves that read result structs (`output` renders `analysis`'s too); `fsio`
//! (files written whole, through a temporary file and a rename) is a leaf any layer writes with,
//! and `format` (numbers printed for people) one any layer prints with.
//!
//! # Use as a library
//!
//! Load a scenario ([`scenario::load_file`], or [`scenario::load_file_with`] with `--set`-style
//! overrides), run its replications in parallel ([`experiment::run`]) and read the
//! [`experiment::Summary`] (clearance statistics in days, people, per-stage and per-port
//! figures) or each replication's [`model::ReplicationResult`]. Results depend only on the
//! scenario and the seed, never on the thread count.
//!
//! ```
//! use clearance::experiment::{self, RunOptions};
//! use clearance::scenario::load_file;
//! use std::path::Path;
//!
//! let scn = load_file(Path::new("scenarios/baseline.toml")).expect("a valid scenario");
//! let opts = RunOptions { replications: Some(100), ..Default::default() };
//! let run = experiment::run(&scn, &opts).expect("the run");
//! let c = run.summary.clearance_days.as_ref().expect("clearance statistics");
//! println!("median clearance {} (day {:.1})", scn.date_of(c.p50), c.p50);
//! // The uncertainty of that median from the replications run: its 95% confidence interval,
//! // in days and as dates (an end is `None` when too few replications bound it).
//! let ci = &run.summary.clearance_quantile_ci95.as_ref().expect("an interval").p50;
//! if let (Some(low), Some(high)) = (&ci.low_date, &ci.high_date) {
//!     println!("95% CI of the median date: {low} to {high}");
//! }
//! assert!(ci.low_days.unwrap() <= c.p50 && c.p50 <= ci.high_days.unwrap());
//! ```
//!
//! Two variants are compared replication by replication with
//! [`experiment::compare::compare`] (the same seeds for both): each KPI's `diff` is the mean of
//! the paired differences, and [`experiment::compare::Comparison::clearance_p50_diff`] the
//! difference of the median clearances with its 95% interval:
//!
//! ```no_run
//! # use clearance::experiment::{compare::{compare, CompareOptions}, RunOptions};
//! # use clearance::scenario::load_file;
//! # use std::path::Path;
//! let a = load_file(Path::new("scenarios/baseline.toml")).unwrap();
//! let mut b = a.clone();
//! let port = b.ports.iter_mut().find(|p| p.name == "El Paso").unwrap();
//! port.quota_per_day = Some(400);
//! // An optional stage is an `Option` of its settings (`None` when the scenario has none):
//! // B also screens with 20 servers, if the scenario screens at all.
//! if let Some(screening) = b.screening.as_mut() {
//!     screening.servers = Some(20);
//! }
//! let copts = CompareOptions { replications: 200, independent: false, measure_variance_reduction: false };
//! let cmp = compare(&a, &b, &copts, &RunOptions::default()).unwrap();
//! let d = cmp.clearance_p50_diff; // [days], each figure None when it is not known
//! println!("median B − median A: {:?} days, 95% CI {:?} to {:?}", d.diff_days, d.ci95_low, d.ci95_high);
//! ```
//!
//! For another quantile or KPI, [`stats::bootstrap::paired_quantile_diff_ci`] takes the paired
//! values of each replication and one of the crate's seeded streams ([`engine::rng::stream`]);
//! its documentation shows how.
//!
//! A scenario changed in code after loading (its fields are public) is checked again by
//! [`scenario::Scenario::check`], which [`experiment::run`] calls first. Its problems are
//! [`scenario::Problem`]s, each keyed by the TOML path a planner would fix
//! (`attrition.hazard_per_day`, `origin[Tijuana].share`; an option of the library by its Rust
//! path, `CompareOptions.replications`), with a hint where the fix is more than the rule; an
//! experiment returns them as [`experiment::RunError::Invalid`], so that a program can match on
//! them:
//!
//! ```no_run
//! # use clearance::{experiment::{self, RunError}, scenario};
//! let mut scn = scenario::load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
//! scn.attrition_hazard = -0.1;
//! match experiment::run(&scn, &Default::default()) {
//!     Err(RunError::Invalid(problems)) => {
//!         assert_eq!(problems[0].key, "attrition.hazard_per_day");
//!         // "attrition.hazard_per_day: -0.1: must be 0 or more per day"
//!         eprintln!("{}", problems[0]);
//!     }
//!     _ => unreachable!(),
//! }
//! ```
//!
//! The records of a run
//! leave out each replication's daily series (they are folded into [`experiment::DailyBands`]
//! as replications finish); replication `i` with its series is
//! `model::try_simulate(&experiment::effective_scenario(&scn, &opts), i, &Default::default())`,
//! read by name with [`model::ReplicationResult::daily_series`] (names: [`model::series_names`],
//! or [`model::scenario_series_names`] of a scenario).
//!
//! Paired comparisons, sweeps, goal seeking and sensitivity are in [`experiment::compare`],
//! [`experiment::sweep`], [`experiment::target`] and [`experiment::sensitivity`]; the programs
//! in `examples/` use each as a researcher would. A comparison and a sweep's runs
//! ([`experiment::sweep::run_points`]) return [`experiment::RunError`]; goal seeking and
//! sensitivity, which load scenarios as they go, [`experiment::ExperimentError`] (a scenario
//! that does not load, a factor refused, or the run's error). Because they load each setting
//! from the file, goal seeking and sensitivity take a scenario file and `--set` overrides, not
//! a [`scenario::Scenario`]: a scenario changed in code cannot be given to them as it can to
//! `run`, `compare` and `run_points`. Write the changes as overrides of the file instead
//! ([`scenario::parse_set`]`("scenario.horizon=400")` for `scn.horizon = 400.0`).
//!
//! # Where to start
//!
//! - [`scenario::load_file`], [`scenario::load_file_with`] (with [`scenario::parse_set`]
//!   overrides), [`scenario::load_str`]: a validated [`scenario::Scenario`], every duration in
//!   days; [`scenario::Scenario::check`] after changing it in code, and
//!   [`scenario::Scenario::is_modified`] to tell whether it was.
//! - [`experiment::run`] with [`experiment::RunOptions`]: the [`experiment::Summary`]
//!   (serialised by [`output::json::summary_json`] as `summary.json`) and the replications.
//! - [`experiment::compare::compare`], [`experiment::sweep::run_points`],
//!   [`experiment::target::search`], [`experiment::sensitivity::run`]: the experiments.
//! - [`model::try_simulate`]: one replication, with its daily series.
//! - [`analysis`]: what binds and what bounds clearance (`clearance explain`);
//!   [`analysis::what_binds`] of a run made in code gives its "What binds" (the stage or port
//!   that sets the date: [`experiment::WhatBinds::sets_date`]), which `clearance run` writes
//!   into summary.json and [`experiment::run`]'s summary leaves out.
//! - [`scenario::Scenario::port_index`]: a port by name, to change its settings in code
//!   (`scn.ports[p].quota_per_day`) rather than in the TOML.
//! - [`experiment::Summary::same_results`]: whether two runs' summaries hold the same results
//!   (all but their `performance`: a run on 1 thread and one on 2 do).
//! - [`observed`] ([`observed::read_observed`], [`observed::run_with_fit`]) and
//!   [`output::observed_chart`] ([`output::observed_chart::processed_bands`],
//!   [`output::observed_chart::observed_points`]): a run fitted to observed counts, and its
//!   chart (`run --observed`).
//! - [`stats::Stat`]: the STAT of every result, over replications.
//!
//! The types the API takes from other crates are re-exported at the versions it uses:
//! [`toml`] (override values, effective tables), [`chrono`] (dates), [`rand_distr`] (the
//! samplers inside [`scenario::Dist`]) and [`rand`] (the `Rng` the bootstrap intervals draw
//! from; the crate's own streams, [`engine::rng::Stream`], are one). Modules hidden from this documentation (`cli`, `fsio`,
//! `bytes`, `inputs`, `hash`, `format`) serve the `clearance` binary and may change without
//! notice.

// Every public item is documented (the unit of every result field included): CI runs clippy
// with `-D warnings`, so an undocumented one fails the build.
#![warn(missing_docs)]

/// The version of the results a build gives for a seed: bumped whenever a change moves them,
/// that is, whenever the golden files (`tests/golden/`) are re-blessed for a change of results
/// (not for a new field or a change of wording). A store (`run.json`, `sweep.json`) records the
/// one it was written with, and `merge` and `run --extend` refuse a store of another, since its
/// replications are not those this build gives for the same seed.
pub const RESULTS_VERSION: u32 = 1;

pub mod analysis;
#[doc(hidden)]
pub mod bytes;
pub mod calibrate;
#[doc(hidden)]
pub mod cli;
pub mod engine;
pub mod experiment;
#[doc(hidden)]
pub mod format;
#[doc(hidden)]
pub mod fsio;
#[doc(hidden)]
pub mod hash;
#[doc(hidden)]
pub mod inputs;
pub mod model;
pub mod observed;
pub mod output;
pub mod scenario;
pub mod stats;

/// The `toml` crate the API uses (override values are [`toml::Value`]s, effective scenarios
/// [`toml::Table`]s), so that a program need not pin the same version itself.
pub use toml;

/// The `chrono` crate the API uses for dates ([`chrono::NaiveDate`]: start dates, clearance
/// dates).
pub use chrono;

/// The `rand_distr` crate whose samplers [`scenario::Dist`]'s variants hold (build a `Dist`
/// with its constructors, [`scenario::Dist::exponential`], rather than by hand).
pub use rand_distr;

/// The `rand` crate whose [`rand::Rng`] the bootstrap intervals of [`stats::bootstrap`] draw
/// from (give them a seeded [`engine::rng::stream`]).
pub use rand;
