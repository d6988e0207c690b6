//! `summary.json` and `--json`: the run summary serialised as MODEL.md §3 specifies; and
//! `explain --json`, the capacity bounds of a scenario.

use super::OutputError;
use crate::analysis::{BottleneckReport, Finish, RowPeople};
use crate::experiment::summary::ScenarioInfo;
use crate::experiment::Summary;
use crate::scenario::Scenario;
use serde_json::{json, Value};

/// Pretty JSON of the summary, ending in a newline.
pub fn summary_json(s: &Summary) -> Result<String, OutputError> {
    let mut text = serde_json::to_string_pretty(s).map_err(|e| OutputError::Serialize {
        what: "summary.json".into(),
        source: Box::new(e),
    })?;
    text.push('\n');
    Ok(text)
}

/// A derived quantity rounded to 9 significant digits: the sums and means behind explain's
/// figures leave float noise in the last digits (a capacity of 1350 had printed as
/// 1350.0000000000018), which a reader of the JSON should not see. Whole numbers (people,
/// quotas, seats, of any size) are given as they are.
fn round9(x: f64) -> f64 {
    if !x.is_finite() || x.fract() == 0.0 {
        return x;
    }
    format!("{x:.8e}").parse().unwrap_or(x)
}

/// A capacity \[people/day\], rounded to 9 significant digits; `null` when unlimited.
fn rate(x: f64) -> Value {
    if x.is_finite() {
        json!(round9(x))
    } else {
        Value::Null
    }
}

/// Pretty JSON of `explain`'s report, ending in a newline: the figures of its table (each row's
/// capacity day by day \[people/day\], `null` for unlimited; its mean over the table's window and
/// its peak; its earliest finish \[day index\] and date), the bound, the binding row, the notes
/// and the scenario's validation warnings; `"inflow_overload"`, when the inflow's people a day
/// exceed the smallest mean capacity of a stage over its days (`null` otherwise): the inflow's
/// groups and people a day, the stage, the origins and the share of the inflow compared (all of
/// it, `[]` and 1, for a stage total; the origins that routes connect to a group of ports, for
/// those ports or the transport to them), the stage's mean capacity \[people/day\], the days
/// compared and the warning. Ports and origins are named from `scn`, the scenario
/// the report was made of. Its derived figures (capacities, their means, the people to clear)
/// are rounded to 9 significant digits. `"scenario"` is the scenario's name (as it always was);
/// `"scenario_info"` is the object `summary.json` has under `"scenario"` (name, file, start date,
/// horizon, and `overrides`, the `--set` values applied, when there are any).
pub fn explain_json(
    rep: &BottleneckReport,
    scn: &Scenario,
    overrides: &[String],
) -> Result<String, OutputError> {
    let window = rep.mean_window();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    let rows: Vec<Value> = rep
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let finish = match rep.finish(i) {
                Finish::Day(..) => "day",
                Finish::NotReached => "not_reached",
                Finish::Shared => "shared",
                Finish::NoRoute => "no_route",
                Finish::Unused => "unused",
                Finish::Blank => "none",
            };
            json!({
                "stage": r.stage.as_str(),
                "name": r.name,
                "port": r.port.and_then(|p| scn.ports.get(p)).map(|p| &p.name),
                "origin": r.origin.and_then(|o| scn.origins.get(o)).map(|o| &o.name),
                "people": match r.people {
                    RowPeople::All => "all",
                    RowPeople::Own => "own",
                    RowPeople::Shared => "shared",
                    RowPeople::NoRoute => "no_route",
                    RowPeople::Unused => "unused",
                },
                "unlimited": r.unlimited,
                "mean_capacity_per_day": rate(r.mean_capacity(window)),
                "peak_capacity_per_day": rate(r.peak_capacity()),
                "finish": finish,
                "earliest_day": r.earliest_day,
                "earliest_date": date(r.earliest_date),
                "capacity_per_day": r.capacity.iter().map(|&c| rate(c)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let v = json!({
        "scenario": rep.scenario,
        "scenario_info": ScenarioInfo {
            name: scn.name.clone(),
            file: scn.file.clone(),
            start_date: scn.start_date.to_string(),
            horizon_days: scn.horizon,
            overrides: overrides.to_vec(),
            modified_in_code: scn.is_modified(),
            fingerprint: scn.loaded.as_ref().map(|l| l.fingerprint.clone()),
        },
        "start_date": rep.start_date.format("%Y-%m-%d").to_string(),
        "people": rep.people,
        "to_clear": round9(rep.to_clear),
        "days_analysed": rep.days,
        "mean_window_last_day": window,
        "lower_bound_day": rep.lower_bound_day,
        "lower_bound_date": date(rep.lower_bound_date),
        "bound_kind": rep.bound_kind.as_str(),
        "bound_is_estimate": rep.bound_is_estimate(),
        "floor_day": rep.floor_day,
        "floor_date": date(rep.floor_date),
        "binding": rep.binding.map(|b| &rep.rows[b].name),
        "attrition_loosens_bound": rep.attrition_loosens(),
        "never_travel": rep.never_travel,
        "passes_nobody": rep.passes_nobody,
        "rows": rows,
        "notes": rep.notes,
        "warnings": scn.warnings,
        "inflow_overload": crate::analysis::inflow_overload(scn, rep).map(|o| json!({
            "groups_per_day": round9(o.groups_per_day),
            "people_per_day": round9(o.people_per_day),
            "stage": o.stage,
            "origins": o.origins,
            "share": round9(o.share),
            "capacity_per_day": round9(o.capacity_per_day),
            "from_day": o.from_day,
            "to_day": o.to_day,
            "warning": o.text(None),
        })),
    });
    let mut text = serde_json::to_string_pretty(&v).map_err(|e| OutputError::Serialize {
        what: "explain's JSON".into(),
        source: Box::new(e),
    })?;
    text.push('\n');
    Ok(text)
}
