//! `explain`'s table: the bottleneck analysis of a scenario (`analysis::explain`) printed for a
//! planner.

use crate::analysis::{BottleneckReport, Finish};
use crate::format::{days_text, fmt_int, fmt_rate};
use crate::output::columns::{Col, Table};
use std::io::Write;

/// Print the report of `explain` as a table.
pub fn print_explain(report: &BottleneckReport, out: &mut impl Write) -> std::io::Result<()> {
    print_explain_warned(report, &[], out)
}

/// Print the report of `explain` as a table, with the scenario's validation `warnings` under its
/// heading, as a run's table has them.
pub fn print_explain_warned(
    report: &BottleneckReport,
    warnings: &[String],
    out: &mut impl Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "Bottleneck analysis of \"{}\" (from the scenario, no simulation)",
        report.scenario
    )?;
    writeln!(
        out,
        "People to clear: {} (backlog and phases), {} expected to register",
        fmt_int(report.people as f64),
        fmt_int(report.to_clear)
    )?;
    for warning in warnings {
        writeln!(out, "  warning: {warning}")?;
    }
    writeln!(out)?;
    let horizon = report.mean_window();
    // Each row's name (indented under its stage) and finish, then columns that fit them: the
    // stage at least 32 characters wide, the finish at least 16.
    let cells: Vec<(String, String)> = (0..report.rows.len())
        .map(|i| {
            let r = &report.rows[i];
            let name = if r.port.is_some() || r.origin.is_some() {
                format!("  {}", r.name)
            } else {
                r.name.clone()
            };
            let finish = match report.finish(i) {
                Finish::Day(d, dt) => format!("day {d} {}", dt.format("%Y-%m-%d")),
                Finish::NotReached => "not reached".into(),
                Finish::Shared => "shared".into(),
                Finish::NoRoute => "no route".into(),
                Finish::Unused => "not used".into(),
                Finish::Blank => "".into(),
            };
            (name, finish)
        })
        .collect();
    let width = |f: fn(&(String, String)) -> &String, least: usize| {
        cells
            .iter()
            .map(|c| f(c).chars().count())
            .fold(least, usize::max)
    };
    let nw = width(|c| &c.0, 32);
    let fw = width(|c| &c.1, 16);
    let mut t = Table::new(
        "",
        &[
            Col::left(nw),
            Col::right(14),
            Col::right(14),
            Col::right(fw - 1),
        ],
    );
    t.row([
        "stage",
        "mean [ppl/day]",
        "peak [ppl/day]",
        "earliest finish",
    ]);
    // (a rule under the header, as wide as the table: filled in below)
    t.text("");
    for (r, (name, finish)) in report.rows.iter().zip(&cells) {
        t.row([
            name.clone(),
            fmt_rate(r.mean_capacity(horizon)),
            fmt_rate(r.peak_capacity()),
            finish.clone(),
        ]);
    }
    let mut lines = t.lines();
    let rule = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    lines[1] = "-".repeat(rule);
    for line in lines {
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Mean capacity {}{}. Registration: expected people registering per day.",
        if horizon == 0 {
            "on day 0".to_string()
        } else {
            format!("over days 0–{horizon}")
        },
        if report.lower_bound_day.is_none() && horizon > 0 {
            " (the first weeks: with no day by which everyone can be through, there is no \
             finish to average up to)"
        } else {
            ""
        }
    )?;
    match (report.lower_bound_day, report.lower_bound_date) {
        (Some(d), Some(dt)) => writeln!(
            out,
            "Binding stage: {}. From capacities alone, {} day {d} ({}){}.{}",
            report.binding_name(),
            report.bound_phrase(),
            dt.format("%Y-%m-%d"),
            if report.attrition_loosens() {
                "; drop-outs leave fewer people to pass, so a run can clear sooner"
            } else {
                ""
            },
            // Servers with random service times set it: runs fall on both sides.
            report
                .estimate_text()
                .map_or(String::new(), |t| format!(" {t}"))
        )?,
        _ => match &report.never_travel {
            Some(why) => writeln!(out, "Binding stage: {}. Some {why}.", report.binding_name())?,
            None if report.passes_nobody => writeln!(
                out,
                "Binding stage: {}. It passes nobody within the {} analysed, so nobody can be \
                 processed: {}.",
                report.binding_name(),
                days_text(report.days as f64),
                if report.attrition {
                    "a run ends only at the horizon, or once everyone still waiting has dropped \
                     out"
                } else {
                    "every run ends at the horizon"
                }
            )?,
            // Drop-outs can let runs clear within the days analysed even so: said, as the
            // bound's own sentence says it.
            None if report.attrition_loosens() => writeln!(
                out,
                "Binding stage: {}. If nobody dropped out, it would not clear the backlog within \
                 the {} analysed; drop-outs leave fewer people to pass, so a run can clear \
                 within them.",
                report.binding_name(),
                days_text(report.days as f64)
            )?,
            None => writeln!(
                out,
                "Binding stage: {}. It does not clear the backlog within the {} analysed.",
                report.binding_name(),
                days_text(report.days as f64)
            )?,
        },
    }
    for n in &report.notes {
        writeln!(out, "Note: {n}")?;
    }
    Ok(())
}
