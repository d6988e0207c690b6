//! Tidy CSV outputs: `replications.csv` (one row per replication, every scalar metric),
//! `daily.csv` (long format: day, date, series and the quantile band over replications) and
//! `ports.csv` (long format: each port's STAT of each per-port metric, as `summary.json`'s
//! `ports[]` holds it). Every number is written by one formatter (Rust's shortest text that reads
//! back as the same value), a figure that is absent (`null` in the JSON) as an empty cell.

use super::OutputError;
use crate::experiment::{DailyBands, PortSummary, Records, Summary};
use crate::scenario::Scenario;
use crate::stats::Stat;
use std::io::Write;

fn enc(e: csv::Error) -> OutputError {
    OutputError::Serialize {
        what: "CSV".into(),
        source: Box::new(e),
    }
}

fn opt(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// Header of `replications.csv`.
pub fn replication_header(scn: &Scenario) -> Vec<String> {
    let mut h: Vec<String> = [
        "replication",
        "seed",
        "clearance_days",
        "censored",
        "t50_days",
        "t90_days",
        "t99_days",
        "people_total",
        "processed",
        "dropped",
        "unreached",
        "in_system",
        "inflow",
        "inflow_processed",
        "screening_wait_days",
        "screening_utilization",
        "transport_wait_days",
        "transport_utilization",
        "port_wait_days",
        "port_utilization",
        "seats_offered",
        "seats_filled",
        "end_days",
        "events",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for p in &scn.ports {
        for w in crate::experiment::kpi::PORT_KPIS {
            h.push(format!("{w}:{}", p.name));
        }
    }
    if scn.classes.len() > 1 {
        for c in &scn.classes {
            h.push(format!("people:class:{}", c.name));
            h.push(format!("processed:class:{}", c.name));
            h.push(format!("clearance_days:class:{}", c.name));
            h.push(format!("days_to_processed:class:{}", c.name));
        }
    }
    h
}

/// `replications.csv`: one row per replication.
pub fn replications_csv<R: Records + ?Sized>(
    scn: &Scenario,
    reps: &R,
) -> Result<Vec<u8>, OutputError> {
    let mut out = Vec::new();
    write_replications_csv(&mut out, scn, reps).map_err(enc)?;
    Ok(out)
}

/// Write `replications.csv` to `out` row by row (spilled records are read back one chunk at a
/// time, never all at once).
pub fn write_replications_csv<R: Records + ?Sized>(
    out: &mut dyn Write,
    scn: &Scenario,
    reps: &R,
) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(replication_header(scn))?;
    reps.each(|r| {
        let mut row = vec![
            r.index.to_string(),
            r.seed.to_string(),
            r.clearance_days.to_string(),
            r.censored.to_string(),
            opt(r.t50_days),
            opt(r.t90_days),
            opt(r.t99_days),
            r.people_total.to_string(),
            r.processed.to_string(),
            r.dropped.to_string(),
            r.unreached.to_string(),
            r.in_system.to_string(),
            r.inflow.to_string(),
            r.inflow_processed.to_string(),
            opt(r.screening.wait_days),
            opt(r.screening.utilization),
            opt(r.transport.wait_days),
            opt(r.transport.utilization),
            opt(r.port.wait_days),
            opt(r.port.utilization),
            r.seats_offered.to_string(),
            r.seats_filled.to_string(),
            r.end_days.to_string(),
            r.events.to_string(),
        ];
        // In the order of PORT_KPIS, the header's.
        for p in &r.ports {
            row.push(p.processed.to_string());
            row.push(opt(p.wait_days));
            row.push(opt(p.utilization));
        }
        if scn.classes.len() > 1 {
            for c in &r.classes {
                row.push(c.people.to_string());
                row.push(c.processed.to_string());
                row.push(c.clearance_days.to_string());
                row.push(opt(c.days_to_processed));
            }
        }
        w.write_record(&row)
    })?;
    w.flush()?;
    Ok(())
}

/// The file name of `ports.csv`, written wherever `summary.json` is.
pub const PORTS_CSV: &str = "ports.csv";

/// Header of `ports.csv`: the port, the metric (its field of `summary.json`'s `ports[]`), the
/// metric's unit, then the fields of its STAT, named as every other CSV names them
/// ([`crate::experiment::kpi::KpiStat::COLUMNS`]).
pub fn ports_header() -> Vec<&'static str> {
    let mut h = vec!["port", "metric", "unit"];
    h.extend(crate::experiment::kpi::KpiStat::COLUMNS);
    h
}

/// A port's metrics as `ports.csv` gives them: name, unit and STAT, in the order of
/// [`crate::experiment::kpi::PORT_KPIS`] (a unit test holds them to it).
fn port_metrics(p: &PortSummary) -> [(&'static str, &'static str, Option<&Stat>); 3] {
    [
        ("processed", "people", p.processed.as_ref()),
        ("wait_days", "days", p.wait_days.as_ref()),
        ("utilization", "fraction", p.utilization.as_ref()),
    ]
}

/// The cells of a STAT after `port,metric,unit`, in the order of [`ports_header`]; every one
/// empty for a STAT that is `null` (a port no replication measured the metric of: the
/// utilization of a port with unlimited capacity, the wait at a port nobody reached).
fn stat_cells(stat: Option<&Stat>) -> Vec<String> {
    use crate::experiment::kpi::KpiStat;
    match stat {
        Some(s) => KpiStat::stat_cells(s, s.p90),
        None => vec![String::new(); KpiStat::COLUMNS.len()],
    }
}

/// `ports.csv`: tidy long data, header [`ports_header`], one row per port and metric: the ports
/// in scenario order (that of `summary.json`'s `ports[]`), for each its `processed` \[people\],
/// `wait_days` \[days\] and `utilization` \[fraction\] (the order of
/// [`crate::experiment::kpi::PORT_KPIS`]), each cell the field of that STAT in the summary.
pub fn ports_csv(s: &Summary) -> Result<Vec<u8>, OutputError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(ports_header()).map_err(enc)?;
    for p in &s.ports {
        for (metric, unit, stat) in port_metrics(p) {
            let mut row = vec![p.name.clone(), metric.to_string(), unit.to_string()];
            row.extend(stat_cells(stat));
            w.write_record(&row).map_err(enc)?;
        }
    }
    w.into_inner().map_err(|e| enc(e.into_error().into()))
}

/// `daily.csv`: `day,date,series,mean,p5,p25,p50,p75,p95`, one row per day and series.
pub fn daily_csv(d: &DailyBands) -> Result<Vec<u8>, OutputError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "day", "date", "series", "mean", "p5", "p25", "p50", "p75", "p95",
    ])
    .map_err(enc)?;
    for day in 0..d.days {
        let date = d.date(day).to_string();
        for (s, name) in d.series.iter().enumerate() {
            let b = d.get(day, s);
            w.write_record([
                day.to_string(),
                date.clone(),
                name.clone(),
                b.mean.to_string(),
                b.p5.to_string(),
                b.p25.to_string(),
                b.p50.to_string(),
                b.p75.to_string(),
                b.p95.to_string(),
            ])
            .map_err(enc)?;
        }
    }
    w.into_inner().map_err(|e| enc(e.into_error().into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ports.csv` gives the per-port metrics in the order, and by the names, that
    /// `replications.csv`'s per-port columns and the KPIs use.
    #[test]
    fn ports_csv_names_the_port_kpis_in_their_order() {
        let p = PortSummary {
            name: "P".into(),
            processed: None,
            wait_days: None,
            utilization: None,
        };
        let names: Vec<&str> = port_metrics(&p).iter().map(|m| m.0).collect();
        assert_eq!(names, crate::experiment::kpi::PORT_KPIS);
    }
}
