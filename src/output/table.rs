//! The summary table printed by `clearance run`: clearance time in days and calendar dates,
//! milestones, people, stage waits and utilizations, and each port (beyond [`PORT_ROWS`] of
//! them, those that processed the most and those "What binds" names, and a line on the others).

use crate::experiment::Summary;
use crate::format::{counted, fixed, fmt_int, round_down};
use crate::output::columns::{Col, Table};
use crate::scenario::day_fixed;
use crate::stats::Stat;
use chrono::NaiveDate;
use std::io::{self, Write};

fn f1(x: f64) -> String {
    fixed(x, 1)
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// Decimals for a 95% CI that `f` would print as one value though its ends differ, or as two
/// neighbouring values though it is under a quarter of their step wide (0.0548–0.0555 as
/// "0.05 – 0.06", ten times wider than it is); for its mean, sd and quantiles beside it too.
/// `None` when `f` shows the interval fairly, and for percentages (printed from fractions, their
/// decimals are not the value's).
pub(crate) fn narrow_decimals(s: &Stat, f: fn(f64) -> String) -> Option<usize> {
    let (a, b) = (s.ci95_low?, s.ci95_high?);
    let (fa, fb) = (f(a), f(b));
    if a.partial_cmp(&b) != Some(std::cmp::Ordering::Less) || fa.ends_with('%') {
        return None;
    }
    if fa == fb {
        // (and enough for a mean that is not 0 not to print as 0: 0.02 people dropped out in
        // [0 – 0.06] had read "0.0 [0.0 – 0.1]")
        let mut d = interval_decimals(a, b, 1);
        while d < 3 && s.mean != 0.0 && fixed(s.mean, d).bytes().all(|c| c == b'0' || c == b'.') {
            d += 1;
        }
        return Some(d);
    }
    let shown = fa.split_once('.').map_or(0, |(_, d)| d.len());
    let step = 10f64.powi(-(shown as i32));
    if b - a >= step / 4.0 {
        return None;
    }
    // The fewest decimals, past those shown, whose step is no wider than the interval.
    let mut d = shown + 1;
    while d < shown + 3 && b - a < 10f64.powi(-(d as i32)) {
        d += 1;
    }
    Some(d)
}

/// `s` with its 95% CI of the mean as the tables print it: clamped to what the mean can be, 0
/// below (every figure of a run's tables, days, people and waits, is 0 or more: a t-interval of
/// a few skewed replications had read "[-5.2 – 12.0]" days of clearance) and `most` above (the
/// horizon for clearance, which no replication counts beyond). `summary.json` keeps the
/// interval as MODEL.md defines it, mean ± t·sd/√n.
pub(crate) fn shown_ci(s: &Stat, most: f64) -> Stat {
    let mut s = s.clone();
    s.ci95_low = s.ci95_low.map(|a| a.max(0.0));
    s.ci95_high = s.ci95_high.map(|b| b.min(most));
    s
}

fn ci(s: &Stat, f: fn(f64) -> String) -> String {
    match (s.ci95_low, s.ci95_high, narrow_decimals(s, f)) {
        (Some(a), Some(b), Some(d)) => format!("[{} – {}]", fixed(a, d), fixed(b, d)),
        (Some(a), Some(b), None) => format!("[{} – {}]", f(a), f(b)),
        _ => "–".into(),
    }
}

/// Mean people dropped out and all the people \[people\], when more than a quarter dropped out:
/// a backlog that clears largely by drop-outs, as the table and the report say.
pub(crate) fn mostly_dropped(s: &Summary) -> Option<(f64, f64)> {
    let dropped = s.people.dropped.as_ref()?.mean;
    let total = s.people.total as f64;
    (total > 0.0 && dropped > 0.25 * total).then_some((dropped, total))
}

/// What the people who dropped out did, when more than a quarter did ([`mostly_dropped`]), as
/// the table and the report say it: the head ("On average 9,000 of the 10,000 people (90%)
/// dropped out", emphasised in the report) and the rest of the sentence. The backlog clears
/// largely by drop-outs; or, when no replication cleared within the horizon, the drop-outs did
/// not clear it either and the rest of the people were still waiting.
pub(crate) fn dropped_text(s: &Summary) -> Option<(String, String)> {
    let (dropped, total) = mostly_dropped(s)?;
    let head = format!(
        "On average {} of the {} people ({:.0}%) dropped out",
        fmt_int(dropped),
        fmt_int(total),
        100.0 * dropped / total
    );
    let tail = if s.replications > 0 && s.censored >= s.replications {
        let waiting = s.people.in_system.as_ref().map_or(0.0, |x| x.mean);
        format!(
            " before the horizon and {} {} still waiting at it: no replication cleared (see \
             [attrition])",
            fmt_int(waiting),
            if fmt_int(waiting) == "1" {
                "was"
            } else {
                "were"
            }
        )
    } else {
        ": the backlog clears largely by drop-outs, not by processing (see [attrition])".into()
    };
    Some((head, tail))
}

/// " (day 146.4; 95% CI 145.8 – 146.4 days, 2021-07-14 – 2021-07-15)": the median clearance
/// `p50` \[days\] and where the median of the scenario lies, given the replications run
/// (`clearance_quantile_ci95`), in days and dates; "" when the summary has none. The days show
/// the interval narrowing as replications are added, which the dates alone did not (145.69–146.70
/// at 32 replications and 145.78–146.40 at 512 both read "2021-07-14 – 2021-07-15"); the median
/// takes the interval's decimals, so that it reads inside it.
pub(crate) fn median_ci_text(s: &Summary, start: NaiveDate, p50: f64) -> String {
    let Some(ci) = s.clearance_quantile_ci95.as_ref().map(|c| &c.p50) else {
        return String::new();
    };
    use crate::experiment::summary::CiSpan;
    let span = ci.span();
    let d = match span {
        Some(CiSpan::OneDay { low }) | Some(CiSpan::Between { low, .. }) => {
            interval_decimals(low, ci.high_days.unwrap_or(low), 1)
        }
        _ => 1,
    };
    // Each day number beside its date is in that date's day ([`crate::scenario::day_fixed`]).
    let day = format!("day {}", day_fixed(p50, d));
    match span {
        Some(CiSpan::ToHorizon { low }) => format!(
            " ({day}; 95% CI from day {}, {}, to the horizon or later)",
            day_fixed(low, d),
            date(start, low)
        ),
        Some(CiSpan::OneDay { low }) => format!(
            " ({day}; 95% CI {} – {} days, within that day)",
            day_fixed(low, d),
            day_fixed(ci.high_days.unwrap_or(low), d)
        ),
        Some(CiSpan::Between { low, high }) => format!(
            " ({day}; 95% CI {} – {} days, {} – {})",
            day_fixed(low, d),
            day_fixed(high, d),
            date(start, low),
            date(start, high)
        ),
        None => format!(" ({day}; too few runs for a 95% CI)"),
    }
}

/// Milestones that the people lost put out of reach, as the table and the report explain them.
pub(crate) struct OutOfReach {
    /// The milestones ("t50", "t90", "t99") missed in some replication for which the mean
    /// people never reached or dropped out exceed the share left over.
    pub names: Vec<&'static str>,
    /// True when every one of them was missed in every replication.
    pub always: bool,
    /// Mean people never reached or dropped out \[people\].
    pub lost: f64,
    /// All the people of the scenario \[people\].
    pub total: f64,
}

/// Milestones are shares of everyone: people never reached or dropped out count against them,
/// which is the usual reason a milestone is never reached. Names only the milestones missed in
/// some replication that the people lost put out of reach on average (others may be cut off by
/// the horizon, which the table says separately); `None` when there are none.
impl OutOfReach {
    /// "1 person", "25,000 people".
    pub(crate) fn total_text(&self) -> String {
        if self.total == 1.0 {
            "1 person".to_string()
        } else {
            format!("{} people", fmt_int(self.total))
        }
    }

    /// The people lost; a fraction of a person keeps its decimal ("0.1", not "0").
    pub(crate) fn lost_text(&self) -> String {
        if self.lost < 10.0 && self.lost.fract() != 0.0 {
            format!("{:.1}", self.lost)
        } else {
            fmt_int(self.lost)
        }
    }
}

pub(crate) fn out_of_reach(s: &Summary) -> Option<OutOfReach> {
    let nr = &s.t_not_reached;
    let mean = |x: Option<&Stat>| x.map_or(0.0, |x| x.mean);
    let lost = mean(s.people.unreached.as_ref()) + mean(s.people.dropped.as_ref());
    let total = s.people.total as f64;
    let missed: Vec<(&'static str, u64)> = [
        ("t50", 0.5, nr.t50),
        ("t90", 0.9, nr.t90),
        ("t99", 0.99, nr.t99),
    ]
    .into_iter()
    .filter(|&(_, p, n)| n > 0 && total > 0.0 && lost > (1.0 - p) * total)
    .map(|(name, _, n)| (name, n))
    .collect();
    if missed.is_empty() {
        return None;
    }
    Some(OutOfReach {
        always: missed.iter().all(|&(_, n)| n >= s.replications),
        names: missed.into_iter().map(|(name, _)| name).collect(),
        lost,
        total,
    })
}

/// Why milestone `name` ("t50", "t90", "t99", reached when `share` of all the people are
/// processed) has no figures, when no replication reached it: the horizon, or neither; `None`
/// when some replication reached it, and when the people never reached or dropped out are more
/// than the share it leaves over (the baseline's t90 and t99: about 11% are lost, and a t90
/// allows 10%), which the note under the milestones says with their numbers ([`out_of_reach`],
/// the same test). The table and the report give it where the figures would be, so that "–"
/// is not read as a figure missing by mistake.
pub(crate) fn milestone_missing(s: &Summary, name: &str, share: f64) -> Option<String> {
    let (stat, missed, cut) = match name {
        "t50" => (&s.t50_days, s.t_not_reached.t50, s.t_cut_by_horizon.t50),
        "t90" => (&s.t90_days, s.t_not_reached.t90, s.t_cut_by_horizon.t90),
        "t99" => (&s.t99_days, s.t_not_reached.t99, s.t_cut_by_horizon.t99),
        _ => return None,
    };
    if stat.is_some() || missed == 0 {
        return None;
    }
    let mean = |x: Option<&Stat>| x.map_or(0.0, |x| x.mean);
    let lost = mean(s.people.unreached.as_ref()) + mean(s.people.dropped.as_ref());
    let total = s.people.total as f64;
    if total > 0.0 && lost > (1.0 - share) * total {
        None
    } else if cut >= missed {
        Some("no run reaches it before the horizon".to_string())
    } else {
        Some("no run reaches it".to_string())
    }
}

/// Decimals to print an interval [lo, hi] with, at least `least`: more (up to `least` + 3)
/// while its two ends would print alike though they differ, so that a narrow interval does not
/// read as a single value.
pub fn interval_decimals(lo: f64, hi: f64, least: usize) -> usize {
    let mut d = least;
    while d < least + 3 && lo < hi && format!("{lo:.d$}") == format!("{hi:.d$}") {
        d += 1;
    }
    d
}

/// Days as written in a scenario: whole days without decimals, else up to two ("145.5").
pub fn days_num(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The date of instant t \[days\], with the time of day when t is not a midnight
/// ("2021-07-14 12:00").
pub fn instant(start: NaiveDate, t: f64) -> String {
    let minutes = ((t - t.floor()) * 1440.0).round() as i64;
    if minutes == 0 || minutes == 1440 {
        date(start, t.round())
    } else {
        format!("{} {:02}:{:02}", date(start, t), minutes / 60, minutes % 60)
    }
}

/// Instant t \[days\] (a horizon) as the end of "not cleared by …": "the end of 2021-07-14" for
/// a midnight, the start of 2021-07-15, and "2021-07-14 12:00" else. A run stopped at day 146.0
/// had not cleared by the end of the day before; "by 2021-07-15" had read a day late.
pub fn by_instant(start: NaiveDate, t: f64) -> String {
    let minutes = ((t - t.floor()) * 1440.0).round() as i64;
    if minutes == 0 || minutes == 1440 {
        format!("the end of {}", date(start, t.round() - 1.0))
    } else {
        instant(start, t)
    }
}

fn date(start: NaiveDate, t: f64) -> String {
    (start + chrono::Duration::days(crate::scenario::day_of(t)))
        .format("%Y-%m-%d")
        .to_string()
}

/// `x`, a figure of `s` (its mean or a quantile), as `f` prints it or, when the interval of `s`
/// is narrow, with the decimals that show it ([`narrow_decimals`]): the mean reads inside its
/// interval, and the quantiles beside it with one precision.
fn shown(s: &Stat, f: fn(f64) -> String, x: f64) -> String {
    match narrow_decimals(s, f) {
        Some(d) => fixed(x, d),
        None => f(x),
    }
}

/// The columns of the run's statistics (clearance, milestones, people): label, mean, its 95%
/// CI, P5, P50, P90 (what planners plan to: 9 runs in 10 clear by it), P95, and a note some
/// rows add.
fn stat_table() -> Table {
    Table::new(
        "  ",
        &[
            Col::left(22),
            Col::right(9),
            Col::right(20),
            Col::right(8),
            Col::right(8),
            Col::right(8),
            Col::right(8),
            Col::left(0).gap(3),
        ],
    )
}

/// A statistic's row of [`stat_table`]: label, mean, CI, P5, P50, P90, P95; "–" when there is
/// none (and for a P90 of a summary written before it was kept).
fn stat_row(label: &str, s: Option<&Stat>, f: fn(f64) -> String) -> Vec<String> {
    match s {
        Some(s) => {
            let s = &shown_ci(s, f64::INFINITY);
            let g = |x: f64| shown(s, f, x);
            vec![
                label.to_string(),
                g(s.mean),
                ci(s, f),
                g(s.p5),
                g(s.p50),
                s.p90.map_or("–".into(), g),
                g(s.p95),
            ]
        }
        None => vec![label.to_string(), "–".into()],
    }
}

/// Fewer replications than this and the table names the first and last of them instead of "the
/// middle 90% of runs". The P5 and P95 of n runs sit between the first and second (the last and
/// the one before it) while 5% of n is under one run: with fewer than 20 the middle 90% is not
/// told apart from all of them, and with 1 to 5 it had read "the middle 90% of runs clear on
/// 2021-07-14" of a single date. From 20 on, one run in 20 lies outside each end.
pub(crate) const MIDDLE_90_MIN_RUNS: u64 = 20;

/// The lines under the median clearance giving the runs' spread: "the middle 90% of runs clear
/// between X and Y" (P5 to P95), or with fewer than [`MIDDLE_90_MIN_RUNS`] runs, the first and
/// last of them plainly: "the 5 runs clear between X and Y", "the one run clears on X", and a
/// line saying they are too few; the upper end "or later: the horizon" when it is a lower bound (runs stopped by the horizon).
fn spread_text(s: &Summary, c: &Stat, start: NaiveDate) -> Vec<String> {
    let (low, high) = match s.replications < MIDDLE_90_MIN_RUNS {
        true => (c.min, c.max),
        false => (c.p5, c.p95),
    };
    let later = match s.is_censored_clearance(high) {
        true => ", or later: the horizon",
        false => "",
    };
    let (low, high) = (date(start, low), date(start, high));
    let span = if low == high && later.is_empty() {
        format!("on {low}")
    } else {
        format!("between {low} and {high}{later}")
    };
    match s.replications {
        1 => vec![
            format!("    the one run clears {span}"),
            "    (from only 1 replication: run more for a spread)".to_string(),
        ],
        n if n < MIDDLE_90_MIN_RUNS => vec![
            format!(
                "    the {n} runs {}clear {span}",
                if low == high && later.is_empty() {
                    "all "
                } else {
                    ""
                }
            ),
            format!(
                "    (from only {n} replications: too few for a middle 90%; run \
                 {MIDDLE_90_MIN_RUNS} or more for a spread)"
            ),
        ],
        _ => vec![format!("    the middle 90% of runs clear {span}")],
    }
}

/// "1 replication", "40 replications".
pub fn replications_text(n: u64) -> String {
    counted(n, "replication", "replications")
}

/// The mark of the table's figures that count only what finished by the horizon, when some
/// replications were stopped by it; a footnote under the table explains it.
pub(crate) const CUT_MARK: &str = "†";

/// The line under the run's statistics: their spread (CI, P5–P95) is the randomness of the
/// replications, with the scenario's inputs as given; uncertain inputs are not in it.
pub(crate) const SPREAD_NOTE: &str = "  (spread over replications with the scenario's inputs \
     fixed; `clearance sensitivity` shows how inputs move it)";

/// The lines under the stages: each figure is a run's own (its people's mean wait, its
/// utilization), here and in the ports' table below, and the mean and P95 are over the runs,
/// not over people.
pub(crate) const STAGES_NOTE: &str = "  (each run's mean wait and utilization, here and for the \
     ports below; mean and P95 over the\n   runs: 19 runs in 20 are at or under the P95, which \
     is not a wait 95% of people stay under.\n   Utilization: busy staff time over the staff time \
     offered in open hours, counting service that\n   runs past closing, so it can pass 100%; for \
     transport, seats filled over seats offered)";

/// Under the stages' note when the scenario dispatches by `appointment`: the transport wait
/// (ready → boarding) includes waiting for a port appointment.
pub(crate) const APPOINTMENT_WAIT_NOTE: &str = "  (under appointment the transport wait, ready \
     → boarding, includes waiting for a port\n   appointment, a day the port's quota has room, \
     not only for a seat: more seats shorten\n   only the rest of it)";

/// The legend of the run table's statistics, under its header block: what the quantiles, the
/// interval of the mean and the milestones are, for a reader new to them. `run --quiet` leaves
/// it out.
pub const LEGEND: &str = "  P5/P50/P90/P95: the value 5/50/90/95% of runs are at or under \
     (P50 = median; P90: 9 runs in 10)\n  95% CI of mean: where the mean of many more runs \
     would lie; t50/t90/t99: days to process 50/90/99%";

/// What the run's table takes from the scenario beside its summary, to say which of its figures
/// follow an input rather than the simulation. `Default` (nothing known) leaves out the remarks
/// that need the scenario (the never reached's input, the registrations that set the date); the
/// note that the median's interval is not a forecast range stays.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RunInputs {
    /// `registration.never` \[fraction\]: the share of groups never reached, an input of the
    /// scenario that the "never reached" row follows.
    pub never: Option<f64>,
    /// The day \[day index\] by which the scenario expects registrations to end, when they set
    /// the date ([`crate::analysis::registration_sets_date`], the same question the report's
    /// "In short" and "What the certainty covers" ask): the median date then follows them.
    pub last_registration_day: Option<i64>,
    /// The day \[day index\] by which every group has registered in half the runs
    /// ([`crate::analysis::BottleneckReport::registration_median_day`]), when it comes after
    /// `last_registration_day`, `explain`'s bound, which only 1 run in 1000 beats (a
    /// continuous delay's long tail): the table then gives this day as the expected end, and
    /// the bound as the earliest. `None` when the two are one day (a table delay).
    pub registration_median_day: Option<i64>,
    /// What the last people go through after the registrations that set the date, when the
    /// run's "What binds" names it at the end: the health check, or their travel and
    /// processing (the last weeks, when nobody waits). Said beside the registrations, so that
    /// the median's note and "What binds" read as one account.
    pub after_registration: Option<AfterRegistration>,
    /// Whether the scenario dispatches by `appointment`: people ready to travel then wait for a
    /// day their port's quota has room as well as for a seat, and the transport wait (ready →
    /// boarding) counts both, which the stages' rows say.
    pub appointment: bool,
}

/// What follows the registrations that set the date ([`RunInputs::after_registration`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterRegistration {
    /// The last people are in the health check or its isolation at the end.
    HealthCheck,
    /// Nobody waits in the last weeks: the last people travel and are processed.
    TravelAndProcessing,
}

impl RunInputs {
    /// The inputs of `scn` the table names, with `last_registration_day` from
    /// [`crate::analysis::registration_sets_date`] (`None` when another stage sets the date)
    /// and what follows those registrations at the end (`after_registration`).
    pub fn of(
        scn: &crate::scenario::Scenario,
        last_registration_day: Option<i64>,
        after_registration: Option<AfterRegistration>,
    ) -> Self {
        RunInputs {
            never: Some(scn.registration.never),
            last_registration_day,
            registration_median_day: None,
            after_registration: last_registration_day.and(after_registration),
            appointment: scn.policy == crate::scenario::Policy::Appointment,
        }
    }
}

/// The lines under the median clearance saying what its interval is not: a forecast range. It
/// is the precision of the median with the scenario's inputs fixed (`ci`: the run has the
/// median's interval), and an input changed can move the date further; when the date follows
/// the registrations ([`RunInputs::last_registration_day`]), that is said, with the day the
/// scenario expects them to end (`start` is day 0's date).
/// Wrapped under the median's line.
pub(crate) fn date_inputs_text(ci: bool, inputs: &RunInputs, start: NaiveDate) -> Vec<String> {
    let what = match ci {
        true => "the CI is this median's precision for these inputs, not a forecast range",
        false => "these runs' dates are for these inputs, not a forecast range",
    };
    let text = match inputs.last_registration_day {
        Some(d) => format!(
            "({what}; the date follows the registrations, which the scenario expects to end \
             about day {}{}: try `clearance sensitivity` or --set)",
            match inputs.registration_median_day {
                Some(m) => format!(
                    "{m} ({}, in half the runs; `clearance explain`'s bound, day {d}, is the \
                     earliest)",
                    date(start, m as f64)
                ),
                None => format!(
                    "{d} ({}, `clearance explain`'s bound)",
                    date(start, d as f64)
                ),
            },
            match inputs.after_registration {
                Some(AfterRegistration::HealthCheck) => {
                    ", and the health check after them (What binds, below)"
                }
                Some(AfterRegistration::TravelAndProcessing) => {
                    ", and their travel and processing after them (What binds, below)"
                }
                None => "",
            }
        ),
        None => format!(
            "({what}: change an input (`clearance sensitivity`, --set) to see how far the date \
             moves)"
        ),
    };
    // Lines of at most 91 characters, then the indent under the median's line.
    super::wrap_words(&text, 91)
        .into_iter()
        .enumerate()
        .map(|(i, l)| format!("{}{l}", if i == 0 { "    " } else { "     " }))
        .collect()
}

/// What the people never reached follow: "registration.never = 0.55, an input" (a calibrated
/// or assumed share, not a finding of the run), said beside their row and in the report.
pub(crate) fn never_input(never: f64) -> String {
    format!("registration.never = {never}, an input")
}

/// Print the human summary of a run.
pub fn print_summary(w: &mut impl Write, s: &Summary) -> io::Result<()> {
    print_summary_noted(w, s, &[])
}

/// [`print_summary`] with `notes` (remarks that are not warnings, such as the inflow's people a
/// day: `analysis::inflow_groups_note`) under the warnings, each as `note: …`.
pub fn print_summary_noted(w: &mut impl Write, s: &Summary, notes: &[String]) -> io::Result<()> {
    print_summary_legend(w, s, notes, true)
}

/// [`print_summary_noted`], with the [`LEGEND`] of its statistics under the header block when
/// `legend` (`run --quiet` leaves it out).
pub fn print_summary_legend(
    w: &mut impl Write,
    s: &Summary,
    notes: &[String],
    legend: bool,
) -> io::Result<()> {
    print_summary_inputs(w, s, notes, legend, &RunInputs::default())
}

/// [`print_summary_legend`], saying which figures follow the scenario's `inputs`: beside the
/// median clearance, that its interval is not a forecast range (or, with too few runs for an
/// interval, that the runs' dates are not) and, when the registrations set the date, that it
/// follows them; beside "never reached", `registration.never`.
/// The line beside the median is printed with `--quiet` too: it is what keeps the headline
/// date from being quoted as a forecast, and the legend `--quiet` drops only defines terms.
pub fn print_summary_inputs(
    w: &mut impl Write,
    s: &Summary,
    notes: &[String],
    legend: bool,
    inputs: &RunInputs,
) -> io::Result<()> {
    print_summary_ports(w, s, notes, legend, inputs, &PortRows::default())
}

/// The most ports the run's table (and the report's) gives a row each, as many as the ports
/// chart has panels ([`crate::output::charts::PORT_PANELS`]): beyond it, the table gives the
/// rows of the ports that processed the most and of those `ports.keep` names, then one line
/// counting the others ([`PortRows`]); a scenario of 1,000 ports had printed 1,000 rows.
pub const PORT_ROWS: usize = super::charts::PORT_PANELS;

/// How the run's table gives the ports when there are more than [`PORT_ROWS`] of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PortRows {
    /// Ports given a row whatever they processed, by name: those the text around the table
    /// names ("What binds": [`crate::analysis::named_ports`]).
    pub keep: Vec<String>,
    /// The directory the run writes its outputs to (`--out DIR`), whose `summary.json` and
    /// `ports.csv` have every port's figures (the line under the table names both); `None` when
    /// it writes none (the line then points to `--json`).
    pub out_dir: Option<String>,
}

/// The ports, by index into `s.ports`, that a table gives a row each: every one, in scenario
/// order, when there are at most [`PORT_ROWS`]; else the [`PORT_ROWS`] that processed the
/// most people (mean over the replications, ties in scenario order: the order of the ports
/// chart's panels) and those named in `keep`, in that order.
pub fn shown_ports(s: &Summary, keep: &[String]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..s.ports.len()).collect();
    if order.len() <= PORT_ROWS {
        return order;
    }
    let processed = |p: usize| s.ports[p].processed.as_ref().map_or(0.0, |x| x.mean);
    // A stable sort: equal counts stay in scenario order.
    order.sort_by(|&a, &b| processed(b).total_cmp(&processed(a)));
    order
        .into_iter()
        .enumerate()
        .filter(|&(rank, p)| rank < PORT_ROWS || keep.contains(&s.ports[p].name))
        .map(|(_, p)| p)
        .collect()
}

/// The sentence under a table of ports that leaves out `s.ports` but `shown`: the order of the
/// rows (those that processed the most, then any that `named` says where they are named), how
/// many ports it leaves out and what they processed together \[people, mean per
/// replication\]; `None` when it leaves out none. It starts in lower case.
pub(crate) fn other_ports_text(s: &Summary, shown: &[usize], named: &str) -> Option<String> {
    let others: Vec<usize> = (0..s.ports.len()).filter(|p| !shown.contains(p)).collect();
    if others.is_empty() {
        return None;
    }
    let together: f64 = others
        .iter()
        .filter_map(|&p| s.ports[p].processed.as_ref())
        .map(|x| x.mean)
        .sum();
    let people = match together {
        x if x <= 0.0 => "nobody".to_string(),
        x if x < 10.0 => format!("{} people together", fixed(x, 1)),
        x => format!("{} people together", fmt_int(x)),
    };
    let top = shown.len().min(PORT_ROWS);
    let named = match shown.len() - top {
        0 => String::new(),
        k => format!(", and {k} {named}"),
    };
    Some(format!(
        "the {top} ports that processed the most, most first{named}; the {} other ports processed \
         {people}, means over the replications",
        fmt_int(others.len() as f64)
    ))
}

/// [`print_summary_inputs`], with the ports' rows as `ports` says: beyond [`PORT_ROWS`] ports,
/// those [`shown_ports`] gives, then a line counting the others and saying where every port's
/// figures are (`summary.json` and `ports.csv` in the output directory, or `--json`).
pub fn print_summary_ports(
    w: &mut impl Write,
    s: &Summary,
    notes: &[String],
    legend: bool,
    inputs: &RunInputs,
    ports: &PortRows,
) -> io::Result<()> {
    let start =
        NaiveDate::parse_from_str(&s.scenario.start_date, "%Y-%m-%d").unwrap_or(NaiveDate::MIN);
    writeln!(w, "{}", s.scenario.name)?;
    writeln!(
        w,
        "  {} · {} · seed {} · day 0 = {}{}",
        if s.scenario.file.is_empty() {
            "(in code)"
        } else {
            &s.scenario.file
        },
        match &s.precision {
            // The count was chosen by the stopping rule, not given.
            Some(p) => format!(
                "{} (chosen by --precision {})",
                replications_text(s.replications),
                p.target
            ),
            None => replications_text(s.replications),
        },
        s.seed,
        s.scenario.start_date,
        if s.partial {
            " · PARTIAL (interrupted)"
        } else {
            ""
        }
    )?;
    if !s.scenario.overrides.is_empty() {
        writeln!(w, "  with --set {}", s.scenario.overrides.join(", "))?;
    }
    for warning in &s.warnings {
        writeln!(w, "  warning: {warning}")?;
    }
    for note in notes {
        writeln!(w, "  note: {note}")?;
    }
    if legend {
        writeln!(w, "{LEGEND}")?;
    }
    writeln!(w)?;
    let mut t = stat_table();
    t.text(format!(
        "Clearance of {} {} (backlog + phases)",
        fmt_int(s.people.total as f64),
        if s.people.total == 1 {
            "person"
        } else {
            "people"
        }
    ));
    t.row(["", "mean", "95% CI of mean", "P5", "P50", "P90", "P95"]);
    // Figures that include replications stopped at the horizon are lower bounds: marked ≥.
    let ge = |x: f64, text: String| {
        if s.is_censored_clearance(x) {
            format!("≥{text}")
        } else {
            text
        }
    };
    // A lower bound rounded down, so that it does not overstate what it bounds; a day number
    // beside its date else.
    let at_least = |x: f64| format!("≥{}", f1(round_down(x, 1)));
    let days = |x: f64| match s.is_censored_clearance(x) {
        true => at_least(x),
        false => day_fixed(x, 1),
    };
    match &s.clearance_days {
        Some(c) if s.censored > 0 => t.row([
            "clearance [days]".to_string(),
            at_least(c.mean),
            // The true mean is at least this one, which is at least the interval's lower end
            // with 97.5% confidence: a one-sided bound; the upper end bounds nothing.
            c.ci95_low.map_or("–".into(), |a| at_least(a.max(0.0))),
            days(c.p5),
            days(c.p50),
            c.p90.map_or("–".into(), days),
            days(c.p95),
        ]),
        Some(c) => {
            let c = &shown_ci(c, s.scenario.horizon_days);
            // The quantiles' days have their dates in the row below: each in its date's day.
            let mut row = stat_row("clearance [days]", Some(c), f1);
            let d = narrow_decimals(c, f1).unwrap_or(1);
            let quantiles = [Some(c.p5), Some(c.p50), c.p90, Some(c.p95)];
            for (cell, x) in row[3..].iter_mut().zip(quantiles) {
                if let Some(x) = x {
                    *cell = day_fixed(x, d);
                }
            }
            t.row(row)
        }
        None => t.row(stat_row("clearance [days]", None, f1)),
    }
    if let Some(c) = &s.clearance_days {
        // Month name and day ("Jul 05": "07-05" could be read as the 7th of May), with the
        // year in the label (or each date in full when the four span years).
        // (a P90 absent, from a summary written before it was kept, prints "–")
        let quantiles = [Some(c.p5), Some(c.p50), c.p90, Some(c.p95)];
        let dates = quantiles.map(|x| x.map(|x| date(start, x)));
        let years: Vec<&str> = dates
            .iter()
            .flatten()
            .map(|d| d.get(..4).unwrap_or(""))
            .collect();
        let one_year = years.iter().all(|y| *y == years[0]);
        let label = if one_year {
            format!("clearance [date, {}]", years[0])
        } else {
            "clearance [date]".to_string()
        };
        let short = |d: &str| match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(day) if one_year => day.format("%b %d").to_string(),
            _ => d.to_string(),
        };
        let mut row = vec![label, String::new(), String::new()];
        for (x, d) in quantiles.iter().zip(&dates) {
            row.push(match (x, d) {
                (Some(x), Some(d)) => ge(*x, short(d)),
                _ => "–".into(),
            });
        }
        t.row(row);
        let horizon = s.scenario.horizon_days;
        if s.is_censored_clearance(c.p50) {
            // The median is censored: it says only that clearance comes after the horizon.
            t.text(format!(
                "  → median clearance: not within the horizon ({} of {} had not cleared by {}, the \
                 horizon of {} days)",
                s.censored,
                counted(s.replications, "run", "runs"),
                by_instant(start, horizon),
                days_num(horizon)
            ));
        } else {
            t.text(format!(
                "  → median clearance {}{}",
                date(start, c.p50),
                median_ci_text(s, start, c.p50)
            ));
            for line in spread_text(s, c, start) {
                t.text(line);
            }
            // Whether the median has an interval (too few runs give none: the line above says
            // so, and this one speaks of the runs' spread instead).
            let ci = s
                .clearance_quantile_ci95
                .as_ref()
                .and_then(|q| q.p50.span())
                .is_some();
            for line in date_inputs_text(ci, inputs, start) {
                t.text(line);
            }
        }
    }
    // A backlog that "clears" because its people drop out: said beside the date.
    if let Some((head, tail)) = dropped_text(s) {
        t.text(format!(
            "  ! o{}{tail}",
            head.strip_prefix('O').unwrap_or(&head)
        ));
    }
    if s.censored > 0 {
        t.text(format!(
            "  ! {} of {} reached the horizon ({} days) before clearing",
            s.censored,
            replications_text(s.replications),
            days_num(s.scenario.horizon_days)
        ));
    }
    let nr = &s.t_not_reached;
    let cut = &s.t_cut_by_horizon;
    for (label, stat, missed, cut, name, share) in [
        (
            "t50: 50% processed",
            &s.t50_days,
            nr.t50,
            cut.t50,
            "t50",
            0.5,
        ),
        (
            "t90: 90% processed",
            &s.t90_days,
            nr.t90,
            cut.t90,
            "t90",
            0.9,
        ),
        (
            "t99: 99% processed",
            &s.t99_days,
            nr.t99,
            cut.t99,
            "t99",
            0.99,
        ),
    ] {
        let mut row = stat_row(label, stat.as_ref(), f1);
        if let Some(why) = milestone_missing(s, name, share) {
            // "–" and why, in the note column.
            row.resize(7, String::new());
            row.push(format!("({why})"));
        }
        match stat {
            // Statistics of the runs that reached it only: say how many those are, and when
            // some that did not were stopped by the horizon (they would reach it later, so the
            // figures lean early).
            Some(st) if missed > 0 => row.push(format!(
                "(over the {} of {} runs that reach it{})",
                st.n,
                s.replications,
                if cut > 0 {
                    format!(
                        "; {cut} {} stopped by the horizon first, so these figures may \
                         understate it",
                        if cut == 1 { "other was" } else { "others were" }
                    )
                } else {
                    String::new()
                }
            )),
            _ => {}
        }
        t.row(row);
    }
    if nr.t50 + nr.t90 + nr.t99 > 0 {
        t.text(format!(
            "  (milestone not reached in: t50 {} · t90 {} · t99 {})",
            nr.t50,
            nr.t90,
            // (the last is the largest: a run that misses t50 misses t90 and t99 too)
            counted(nr.t99, "replication", "replications")
        ));
        if let Some(o) = out_of_reach(s) {
            t.text(format!(
                "  ({} {}out of reach: milestones are shares of all {}, and on average {} \
                 ({:.1}%) were never reached or dropped out)",
                o.names.join(" and "),
                if o.always { "" } else { "often " },
                o.total_text(),
                o.lost_text(),
                100.0 * o.lost / o.total
            ));
        }
    }
    // Figures of a run with replications stopped by the horizon that count only what had
    // finished by then (the warning `summary::censored_kpis_warning` says how they lean):
    // marked †, with a footnote at the end.
    let cut = if s.censored > 0 { CUT_MARK } else { "" };
    t.text("");
    t.text("People [people per replication]");
    t.row(stat_row(
        &format!("processed{cut}"),
        s.people.processed.as_ref(),
        fmt_int,
    ));
    t.row(stat_row(
        &format!("dropped out{cut}"),
        s.people.dropped.as_ref(),
        fmt_int,
    ));
    let mut never = stat_row("never reached", s.people.unreached.as_ref(), fmt_int);
    if let Some(p) = inputs.never.filter(|_| s.people.unreached.is_some()) {
        // Its count follows the input: said beside it, in the note column.
        never.resize(7, String::new());
        never.push(format!("({})", never_input(p)));
    }
    t.row(never);
    if s.censored > 0 {
        t.row(stat_row(
            "still waiting",
            s.people.in_system.as_ref(),
            fmt_int,
        ));
    }
    if s.people.inflow.as_ref().is_some_and(|x| x.max > 0.0) {
        t.row(stat_row(
            "inflow arrivals",
            s.people.inflow.as_ref(),
            fmt_int,
        ));
        t.row(stat_row(
            "inflow processed",
            s.people.inflow_processed.as_ref(),
            fmt_int,
        ));
    }
    // The spread of every figure above is the replications' randomness alone.
    t.text(SPREAD_NOTE);
    t.write(w)?;
    writeln!(w)?;
    // Each run gives one mean wait and one utilization per stage: the P95 is of those, over
    // the runs, not of people's waits ("transport 13.53 (13.76)" had read as 95% of people
    // waiting under 13.76 days). Said in the header and in the note under the rows.
    writeln!(
        w,
        "{:<25}wait [days] mean (P95 of runs)   utilization mean (P95 of runs)",
        format!("Stages{cut}")
    )?;
    // Under appointment the transport wait is mostly waiting for a port's quota: said in its
    // row and under the rows (doubling the seats had left a 31-day "transport" wait as it was).
    let transport = if inputs.appointment {
        "transport (incl. appointment)"
    } else {
        "transport"
    };
    for (name, st) in [
        ("screening", &s.stages.screening),
        (transport, &s.stages.transport),
        ("port (all)", &s.stages.port),
    ] {
        let wait = st
            .wait_days
            .as_ref()
            .map(|x| format!("{} ({})", fixed(x.mean, 2), fixed(x.p95, 2)))
            .unwrap_or_else(|| "–".into());
        let util = st
            .utilization
            .as_ref()
            .map(|x| format!("{} ({})", pct(x.mean), pct(x.p95)))
            .unwrap_or_else(|| "–".into());
        // A name longer than its column takes from the wait's padding, keeping the columns.
        let width = 50usize
            .saturating_sub(name.chars().count().max(22))
            .max(wait.chars().count());
        writeln!(w, "  {name:<22} {wait:>width$}   {util:>30}")?;
    }
    writeln!(w, "{STAGES_NOTE}")?;
    if inputs.appointment {
        writeln!(w, "{APPOINTMENT_WAIT_NOTE}")?;
    }
    writeln!(w)?;
    // The name column fits the longest port name (22 characters at least).
    let nw = s
        .ports
        .iter()
        .map(|p| p.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(22);
    // (the header's first cell takes the indent of the names below it: "Ports" starts the line)
    // The mean and its P5–P95 in columns of their own, so that the means line up whatever
    // the width of the ranges ("692 (656–741)" had sat a column right of "3,368 (…)").
    let mut t = Table::new(
        "",
        &[
            Col::left(nw + 2),
            Col::right(14),
            Col::left(13).gap(1),
            Col::right(16),
            Col::right(16),
        ],
    );
    t.row([
        format!("Ports{cut}").as_str(),
        "processed mean",
        "(P5–P95)",
        "mean wait [days]",
        "mean utilization",
    ]);
    let rows = shown_ports(s, &ports.keep);
    for p in rows.iter().map(|&p| &s.ports[p]) {
        let processed = p
            .processed
            .as_ref()
            // (with the decimals of the People table when its interval is narrow: a mean of
            // 0.34 had read "0 (0–1)")
            .map(|x| {
                let g = |v: f64| shown(x, fmt_int, v);
                (g(x.mean), format!("({}–{})", g(x.p5), g(x.p95)))
            })
            .unwrap_or_else(|| ("–".into(), String::new()));
        let wait = p
            .wait_days
            .as_ref()
            .map(|x| fixed(x.mean, 2))
            .unwrap_or_else(|| "–".into());
        let util = p
            .utilization
            .as_ref()
            .map(|x| pct(x.mean))
            .unwrap_or_else(|| "–".into());
        t.row([
            format!("  {}", p.name),
            processed.0,
            processed.1,
            wait,
            util,
        ]);
    }
    t.write(w)?;
    if let Some(text) = other_ports_text(s, &rows, "that What binds names") {
        // (where every port is: the run's summary.json and ports.csv, or --json without --out)
        let all = match &ports.out_dir {
            Some(dir) => {
                let dir = std::path::Path::new(dir);
                format!(
                    "{} and {} have every port's figures",
                    dir.join("summary.json").display(),
                    dir.join(super::csv::PORTS_CSV).display()
                )
            }
            None => "`--json` gives every port's figures, as summary.json does with `--out DIR`"
                .to_string(),
        };
        let text = format!("({text}; {all})");
        for (i, l) in super::wrap_words(&text, 91).into_iter().enumerate() {
            writeln!(w, "{}{l}", if i == 0 { "  " } else { "   " })?;
        }
    }
    if s.classes.len() > 1 {
        writeln!(w)?;
        writeln!(
            w,
            "Priority classes (served in this order)   clearance P50 [days] (P95)   days to \
             processed{cut}"
        )?;
        let mut t = Table::new(
            "  ",
            &[
                Col::left(22),
                Col::right(4),
                Col::right(27),
                Col::right(18),
                Col::left(0).gap(3),
            ],
        );
        for c in &s.classes {
            // A class no group fell into has no clearance to give (it had read "0.0 (0.0)").
            if c.people.as_ref().is_none_or(|p| p.max == 0.0) {
                t.row([
                    c.name.clone(),
                    format!("{:.0}%", c.share * 100.0),
                    "–".to_string(),
                    "–".to_string(),
                    "(no one in this class)".to_string(),
                ]);
                continue;
            }
            let clear = c
                .clearance_days
                .as_ref()
                .map(|x| {
                    // Figures of replications stopped with people of the class left are lower
                    // bounds, marked ≥ as in the clearance row.
                    let f = c.clearance_censored;
                    let ge = |flag: bool, v: f64| match flag {
                        true => format!("≥{}", fixed(round_down(v, 1), 1)),
                        false => fixed(v, 1),
                    };
                    format!(
                        "{} ({})",
                        ge(f.is_some_and(|f| f.p50), x.p50),
                        ge(f.is_some_and(|f| f.p95), x.p95)
                    )
                })
                .unwrap_or_else(|| "–".into());
            let days = c
                .days_to_processed
                .as_ref()
                .map(|x| fixed(x.mean, 1))
                .unwrap_or_else(|| "–".into());
            t.row([
                c.name.clone(),
                format!("{:.0}%", c.share * 100.0),
                clear,
                days,
            ]);
        }
        t.write(w)?;
        // The last column's figure said in full: its header alone gave neither the unit, where
        // it starts, nor which statistic it is.
        let text = "(days to processed: days from registering to the end of port service, each \
                    run's mean over the class's processed groups, averaged over the runs)";
        for (i, l) in super::wrap_words(text, 91).into_iter().enumerate() {
            writeln!(w, "{}{l}", if i == 0 { "  " } else { "   " })?;
        }
    }
    if s.censored > 0 {
        writeln!(w)?;
        writeln!(
            w,
            "{CUT_MARK} only the groups that finished by the horizon: {} of {} {} stopped by \
             it, so these waits lean early and these counts and utilizations are of the cut-off \
             run (see the warning above)",
            s.censored,
            counted(s.replications, "run", "runs"),
            if s.replications == 1 { "was" } else { "were" }
        )?;
    }
    let perf = &s.performance;
    // A merge of shards simulates nothing, so it has no timing to report.
    if perf.wall_seconds > 0.0 {
        writeln!(w)?;
        writeln!(
            w,
            "{} events in {:.2} s on {} thread{} ({:.1} million events/s)",
            fmt_int(perf.events as f64),
            perf.wall_seconds,
            perf.threads,
            if perf.threads == 1 { "" } else { "s" },
            perf.events_per_second / 1e6
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::day_fixed;

    #[test]
    fn a_narrow_interval_gets_the_decimals_that_tell_its_ends_apart() {
        use super::interval_decimals;
        assert_eq!(interval_decimals(40.39, 40.42, 1), 2);
        assert_eq!(interval_decimals(40.3, 40.5, 1), 1);
        assert_eq!(
            interval_decimals(40.4001, 40.4002, 1),
            4,
            "three more at most"
        );
        assert_eq!(
            interval_decimals(40.4, 40.4, 1),
            1,
            "a single value stays as it is"
        );
    }

    #[test]
    fn a_mean_reads_inside_its_narrow_interval() {
        let s = crate::stats::Stat::of(&[96.440, 96.441, 96.442, 96.443]).unwrap();
        let mut t = super::stat_table();
        t.row(super::stat_row("t50", Some(&s), super::f1));
        let out = t.lines().concat() + " ";
        let (lo, hi) = (s.ci95_low.unwrap(), s.ci95_high.unwrap());
        let d = super::interval_decimals(lo, hi, 1);
        assert!(d > 1, "{out}");
        assert!(out.contains(&format!("{:.d$} ", s.mean)), "{out}");
        assert!(out.contains(&format!("[{lo:.d$} – {hi:.d$}]")), "{out}");
    }

    #[test]
    fn days_and_instants_keep_their_fractions() {
        use super::{days_num, instant};
        let start = chrono::NaiveDate::from_ymd_opt(2021, 2, 19).unwrap();
        assert_eq!(day_fixed(1.96875, 1), "1.9");
        assert_eq!(day_fixed(146.385, 1), "146.4");
        assert_eq!(day_fixed(146.96, 2), "146.96");
        assert_eq!(day_fixed(146.996, 2), "146.99");
        assert_eq!(day_fixed(146.0 - 1e-12, 1), "146.0");
        assert_eq!(days_num(146.0), "146");
        assert_eq!(days_num(145.5), "145.5");
        assert_eq!(days_num(100.0 / 3.0), "33.33");
        assert_eq!(instant(start, 145.5), "2021-07-14 12:00");
        assert_eq!(instant(start, 146.0), "2021-07-15");
        assert_eq!(instant(start, 145.9999999), "2021-07-15");
        // "not cleared by …" a horizon: a midnight is the end of the day before.
        use super::by_instant;
        assert_eq!(by_instant(start, 146.0), "the end of 2021-07-14");
        assert_eq!(by_instant(start, 145.9999999), "the end of 2021-07-14");
        assert_eq!(by_instant(start, 145.5), "2021-07-14 12:00");
        assert_eq!(by_instant(start, 1.0), "the end of 2021-02-19");
    }
}
