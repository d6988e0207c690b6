//! `explain`'s table: the bottleneck analysis of a scenario (`analysis::explain`) printed for a
//! planner; beyond [`PORT_ROWS`] ports, the rows and notes of the ports that matter to the bound
//! and a line counting the others (the report's "What limits clearance" folds them alike).

use crate::analysis::{BottleneckReport, Finish, Stage};
use crate::format::{days_text, fmt_int, fmt_rate};
use crate::output::columns::{Col, Table};
use crate::output::table::PORT_ROWS;
use std::io::Write;

/// Where every row and note of `explain` is, for the lines that count those a table leaves out.
pub(crate) const EVERY_ROW: &str = "`clearance explain --json`";

/// How late a port's rows finish, for [`shown_bound_ports`]: the smaller the more it matters to
/// the bound. A row that never passes its people first; then finishes by their day, latest
/// first; then rows without a finish of their own (shared, or unlimited); then ports that
/// nobody reaches (no route, not used), which process nobody.
fn finish_rank(report: &BottleneckReport, i: usize) -> (u8, i64) {
    match report.finish(i) {
        Finish::NotReached => (0, 0),
        Finish::Day(d, _) => (1, -d),
        Finish::Shared | Finish::Blank => (2, 0),
        Finish::NoRoute | Finish::Unused => (3, 0),
    }
}

/// Port `p`'s rows ("transport → P", "port P"), by index into `report.rows`.
fn port_rows(report: &BottleneckReport, p: usize) -> impl Iterator<Item = usize> + '_ {
    (0..report.rows.len()).filter(move |&i| report.rows[i].port == Some(p))
}

/// Port `p`'s name, as its row "transport → P" gives it.
fn port_name(report: &BottleneckReport, p: usize) -> Option<&str> {
    report
        .rows
        .iter()
        .find(|r| r.stage == Stage::Transport && r.port == Some(p))
        .and_then(|r| r.name.strip_prefix("transport → "))
}

/// The number of ports `report` has rows of.
fn port_count(report: &BottleneckReport) -> usize {
    report
        .rows
        .iter()
        .filter(|r| r.stage == Stage::Port && r.port.is_some())
        .count()
}

/// The ports, by scenario index in scenario order, whose rows explain's table (and the report's
/// "What limits clearance") gives: every port when there are at most [`PORT_ROWS`]; else the
/// [`PORT_ROWS`] that matter most to the bound and those `keep` names (the binding row's port
/// always). Which matter most, as a planner asks where clearance is held up: the ports whose
/// rows finish latest (one that never passes its own people first: it is what sets or blocks
/// the ports' finish), then, among equal finishes (the ports whose people can be served
/// elsewhere have no finish of their own), those of the lowest mean capacity (the smaller of a
/// port's and of the transport to it: where capacity is added first), then scenario order; the
/// ports no route reaches, which process nobody, last. Every key is taken from the report alone,
/// so the choice is the same on every run of a scenario.
pub(crate) fn shown_bound_ports(report: &BottleneckReport, keep: &[usize]) -> Vec<usize> {
    let n = port_count(report);
    if n <= PORT_ROWS {
        return (0..n).collect();
    }
    let window = report.mean_window();
    let key = |p: usize| {
        let rank = port_rows(report, p)
            .map(|i| finish_rank(report, i))
            .min()
            .unwrap_or((3, 0));
        let capacity = port_rows(report, p)
            .map(|i| report.rows[i].mean_capacity(window))
            .fold(f64::INFINITY, f64::min);
        (rank, capacity)
    };
    let keys: Vec<((u8, i64), f64)> = (0..n).map(key).collect();
    let mut order: Vec<usize> = (0..n).collect();
    // A stable sort: equal keys stay in scenario order.
    order.sort_by(|&a, &b| {
        keys[a]
            .0
            .cmp(&keys[b].0)
            .then(keys[a].1.total_cmp(&keys[b].1))
    });
    let binding = report.binding.and_then(|b| report.rows[b].port);
    let mut shown: Vec<usize> = order
        .into_iter()
        .enumerate()
        .filter(|&(rank, p)| rank < PORT_ROWS || keep.contains(&p) || binding == Some(p))
        .map(|(_, p)| p)
        .collect();
    shown.sort_unstable();
    shown
}

/// "10" or "10–40": the range of `values` as the table gives capacities \[people/day\].
fn rate_range(values: impl Iterator<Item = f64>) -> String {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    });
    if lo > hi {
        return "–".into();
    }
    let (a, b) = (fmt_rate(lo), fmt_rate(hi));
    if a == b {
        a
    } else {
        format!("{a}–{b}")
    }
}

/// The sentence on the ports' rows of a table that gives those of `shown` alone (see
/// [`shown_bound_ports`]): which it gives (`named` says why the ports beyond the first
/// [`PORT_ROWS`] are there, "that binds"), how many it leaves out, the range of their mean
/// capacities \[people/day\] (a port's and the transport's to it) and how their rows finish;
/// `None` when it leaves out none. It starts in lower case and says not where every row is.
pub(crate) fn other_bound_ports_text(
    report: &BottleneckReport,
    shown: &[usize],
    named: &str,
) -> Option<String> {
    let n = port_count(report);
    let others: Vec<usize> = (0..n).filter(|p| !shown.contains(p)).collect();
    if others.is_empty() {
        return None;
    }
    let window = report.mean_window();
    let mean = |stage: Stage| {
        rate_range(
            others
                .iter()
                .flat_map(|&p| port_rows(report, p))
                .filter(|&i| report.rows[i].stage == stage)
                .map(|i| report.rows[i].mean_capacity(window)),
        )
    };
    // How each port left out finishes: its rows' latest, as the ranking takes it.
    let mut days: Vec<i64> = Vec::new();
    let (mut never, mut shared, mut nobody) = (0, 0, 0);
    for &p in &others {
        match port_rows(report, p).map(|i| finish_rank(report, i)).min() {
            Some((0, _)) => never += 1,
            Some((1, d)) => days.push(-d),
            Some((2, _)) => shared += 1,
            _ => nobody += 1,
        }
    }
    let mut finishes = Vec::new();
    if never > 0 {
        finishes.push(format!("not reached for {}", fmt_int(never as f64)));
    }
    if let (Some(lo), Some(hi)) = (days.iter().min(), days.iter().max()) {
        let when = if lo == hi {
            format!("day {lo}")
        } else {
            format!("days {lo}–{hi}")
        };
        finishes.push(format!("{when} for {}", fmt_int(days.len() as f64)));
    }
    if shared > 0 {
        finishes.push(format!(
            "shared (no finish of their own) for {}",
            fmt_int(shared as f64)
        ));
    }
    if nobody > 0 {
        finishes.push(format!(
            "no route or not used for {}",
            fmt_int(nobody as f64)
        ));
    }
    let top = (n - others.len()).min(PORT_ROWS);
    let named = match n - others.len() - top {
        0 => String::new(),
        k => format!(", and {k} {named}"),
    };
    Some(format!(
        "the {top} ports that finish latest, then those of the lowest capacity{named}, two rows \
         each, in scenario order; the {} other ports ({} rows) are left out: mean capacity {} \
         [ppl/day] at the port, {} toward it; finish: {}",
        fmt_int(others.len() as f64),
        fmt_int((2 * others.len()) as f64),
        mean(Stage::Port),
        mean(Stage::Transport),
        finishes.join(", ")
    ))
}

/// `report.notes` as a table that gives the rows of `shown` ports alone says them: the notes
/// written a port each ([`BottleneckReport::note_ports`]) of the ports it leaves out are
/// counted, a kind in one note where the first of them was, with the first three ports' names
/// and where every note is; every note when `shown` has every port.
pub(crate) fn shown_notes(report: &BottleneckReport, shown: &[usize]) -> Vec<String> {
    if shown.len() == port_count(report) {
        return report.notes.clone();
    }
    let about = |i: usize| report.note_ports.get(i).copied().flatten();
    let left_out = |i: usize| about(i).filter(|a| !shown.contains(&a.port));
    let mut out = Vec::new();
    for (i, note) in report.notes.iter().enumerate() {
        let Some(a) = left_out(i) else {
            out.push(note.clone());
            continue;
        };
        // Said once, where the first note of its kind left out was.
        if (0..i).any(|j| left_out(j).is_some_and(|b| b.says == a.says)) {
            continue;
        }
        let names: Vec<&str> = (i..report.notes.len())
            .filter_map(|j| left_out(j).filter(|b| b.says == a.says))
            .filter_map(|b| port_name(report, b.port))
            .collect();
        let first: Vec<&str> = names.iter().take(3).copied().collect();
        let rest = names.len() - first.len();
        let list = match rest {
            0 => crate::format::ports_named(&first, "and"),
            r => format!(
                "{}{} and {} more",
                crate::format::ports_word(&first),
                first.join(", "),
                fmt_int(r as f64)
            ),
        };
        out.push(format!(
            "Also at {} {} the table of capacities leaves out ({list}), {}: {EVERY_ROW} gives \
             each port's note.",
            fmt_int(names.len() as f64),
            if names.len() == 1 { "port" } else { "ports" },
            a.says
        ));
    }
    out
}

/// Print the report of `explain` as a table.
pub fn print_explain(report: &BottleneckReport, out: &mut impl Write) -> std::io::Result<()> {
    print_explain_warned(report, &[], out)
}

/// Print the report of `explain` as a table, with the scenario's validation `warnings` under its
/// heading, as a run's table has them. Beyond [`PORT_ROWS`] ports it gives the rows and the
/// notes of [`PORT_ROWS`] ports that matter most to the bound (and of the binding port), then a
/// line counting the others and saying that `explain --json` gives every row.
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
    // Beyond PORT_ROWS ports, the rows of those that matter to the bound, then a line on the
    // others (a scenario of 1,000 ports had printed 2,000 rows).
    let ports = shown_bound_ports(report, &[]);
    let shown: Vec<usize> = (0..report.rows.len())
        .filter(|&i| report.rows[i].port.is_none_or(|p| ports.contains(&p)))
        .collect();
    // Each row's name (indented under its stage) and finish, then columns that fit them: the
    // stage at least 32 characters wide, the finish at least 16.
    let cells: Vec<(String, String)> = shown
        .iter()
        .map(|&i| {
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
    // The line on the ports left out goes after the last port's row given (before the rows of
    // transport from an origin), once the table's width is known.
    let last_port = shown.iter().rposition(|&i| report.rows[i].port.is_some());
    let mut fold_at = None;
    for (k, (r, (name, finish))) in shown
        .iter()
        .map(|&i| &report.rows[i])
        .zip(&cells)
        .enumerate()
    {
        if Some(k) == last_port {
            // (2 lines of header before the rows)
            fold_at = Some(k + 3);
        }
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
    if let (Some(at), Some(text)) = (
        fold_at,
        other_bound_ports_text(report, &ports, "that binds"),
    ) {
        let text = format!("({text}; {EVERY_ROW} gives every row)");
        let wrapped = super::wrap_words(&text, rule.saturating_sub(3).max(40));
        for (i, l) in wrapped.into_iter().enumerate().rev() {
            lines.insert(at, format!("{}{l}", if i == 0 { "  " } else { "   " }));
        }
    }
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
    for n in shown_notes(report, &ports) {
        writeln!(out, "Note: {n}")?;
    }
    Ok(())
}
