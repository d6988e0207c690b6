//! `clearance run --trace FILE`: the event log of replication 0 as CSV, one row per event, with
//! the header `time,day,date,event,group,size,stage,port,origin,seats,cohort,class` (time in days since
//! t = 0, exact; day = `day_of(time)`, the floor of the time except that a time within 1e-9 of
//! the next midnight counts in the next day, as in the quota and the daily series; date = the
//! calendar date of that day; group, size, port and origin empty where the event concerns no
//! group, port or origin; seats only on the
//! `departure` of a bus with a seat limit; cohort `backlog`, a phase's name or `inflow`, and the
//! group's priority class, `all` when the scenario sets none, both empty on a `departure`). Replication 0 is re-run with the trace on: results
//! depend only on (scenario, seed, index), so it is the same replication 0 as in the summary.

use crate::model::{simulate, SimOptions, TraceEvent};
use crate::output;
use crate::scenario::{day_of, Scenario};
use anyhow::Result;
use std::fmt::Write as _;
use std::path::Path;

/// The CSV header of a trace file.
pub const HEADER: &str = "time,day,date,event,group,size,stage,port,origin,seats,cohort,class";

/// Render trace events as CSV text.
pub fn trace_csv(scn: &Scenario, events: &[TraceEvent]) -> String {
    let mut s = String::with_capacity(64 * (events.len() + 1));
    s.push_str(HEADER);
    s.push('\n');
    for e in events {
        let opt = |v: Option<u32>| v.map(|x| x.to_string()).unwrap_or_default();
        let port = e.port.as_deref().map(csv_field).unwrap_or_default();
        let origin = e.origin.as_deref().map(csv_field).unwrap_or_default();
        let seats = e.seats.map(|x| x.to_string()).unwrap_or_default();
        let cohort = e.cohort.as_deref().map(csv_field).unwrap_or_default();
        let class = e.class.as_deref().map(csv_field).unwrap_or_default();
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{},{},{},{}",
            e.time,
            day_of(e.time),
            scn.date_of(e.time),
            e.event,
            opt(e.group),
            opt(e.size),
            e.stage,
            port,
            origin,
            seats,
            cohort,
            class
        );
    }
    s
}

/// Quote a CSV field when it needs it (port names are free text).
fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

/// Check before simulating that the trace file can be written (its directory exists and is
/// writable), so that a long run does not end in an error.
pub fn check_writable(path: &Path) -> Result<()> {
    // Standard output: nothing to check.
    if path == Path::new("-") {
        return Ok(());
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if path.is_dir() {
        usage!("the trace file {} is a directory", path.display());
    }
    // "trace.csv/" names a directory that does not exist yet, not a file.
    let text = path.as_os_str().as_encoded_bytes();
    if text
        .last()
        .is_some_and(|&c| std::path::is_separator(c as char))
    {
        let file = path.display().to_string();
        let bare = file.trim_end_matches(std::path::is_separator);
        usage!(
            "the trace file {file} ends with a path separator: name a file, e.g. --trace {bare}"
        );
    }
    if let Some(input) = crate::inputs::input_at(path) {
        usage!(
            "--trace {} would replace {}, an input of this run: choose another file",
            path.display(),
            input.display()
        );
    }
    super::prepare_dir(
        dir,
        &format!("the trace file {} cannot be written", path.display()),
    )
}

/// Simulate replication 0 of `scn` with the trace on and write it to `path` (atomically; `-`
/// is standard output).
/// Returns the number of events written.
pub fn write_trace(path: &Path, scn: &Scenario) -> Result<usize> {
    let r = simulate(scn, 0, &SimOptions { trace: true });
    let text = trace_csv(scn, &r.trace);
    output::atomic_write(path, text.as_bytes())?;
    Ok(r.trace.len())
}
