//! `clearance target SCENARIO --vary PATH --goal 'p90(clearance_days) <= 120'`: the smallest
//! value of an integer parameter on `--min..=--max` by `--step` meeting the goal (bisection,
//! common random numbers), with the KPI and its CI there and at the next lower step.

use super::{num, to_json, ExpOpts};
use crate::experiment::target::{search, Evaluation, Goal, Search};
use crate::experiment::ExperimentError;
use crate::scenario::Source;
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// The key path to search over: a whole number (people, servers, seats, a quota) or a
    /// duration in whole units, e.g. 'port[San Ysidro].quota_per_day' or 'port[El Paso].opens'.
    #[arg(long, value_parser = crate::scenario::overrides::parse_target_path)]
    pub vary: String,
    /// MEASURE(KPI) OP NUMBER, e.g. 'p90(clearance_days) <= 120' (MEASURE: mean, median, pNN,
    /// min, max; OP: <=, <, >=, >); for clearance_days and t50/t90/t99_days the NUMBER may be a
    /// date, 'p90(clearance_days) <= 2021-06-30'.
    #[arg(long)]
    pub goal: Goal,
    /// Smallest value searched: a whole number, with a unit for a duration key ("0d", "6h")
    /// [default: 100, for a count; a duration key needs --min, --max and --step with a unit].
    #[arg(long, allow_negative_numbers = true)]
    pub min: Option<Amount>,
    /// Largest value searched, as --min [default: 1000, for a count].
    #[arg(long, allow_negative_numbers = true)]
    pub max: Option<Amount>,
    /// Grid step, as --min [default: 10, for a count]; --max is the grid's last value even
    /// when the step does not divide --max − --min.
    #[arg(long, allow_negative_numbers = true)]
    pub step: Option<Amount>,
    #[command(flatten)]
    pub common: ExpOpts,
}

/// A whole number with an optional duration unit (`30`, `5d`, `6h`, `90min`, `2w`).
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    pub value: i64,
    pub unit: Option<String>,
}

impl std::str::FromStr for Amount {
    type Err = String;
    fn from_str(s: &str) -> Result<Amount, String> {
        let s = s.trim();
        let split = s
            .char_indices()
            .find(|(i, c)| !(c.is_ascii_digit() || (*i == 0 && *c == '-')))
            .map_or(s.len(), |(i, _)| i);
        let (num, unit) = s.split_at(split);
        // A fraction (0.05, 1.5d): the search runs on whole numbers only. A whole number
        // written with a decimal point (100.0, 7.0d) is that number.
        let numeric = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        // (Also in exponent form: 1e3 is 1000, 1e-300 a fraction, 1e300 out of range.)
        let as_float = numeric
            .parse::<f64>()
            .ok()
            .filter(|_| numeric.contains(['.', 'e', 'E']));
        if let Some(x) = as_float.filter(|x| x.fract() == 0.0 && x.abs() < 9.0e15) {
            let unit = &s[numeric.len()..];
            return format!("{}{unit}", x as i64).parse();
        }
        let out_of_range = |s: &str| {
            format!(
                "\"{s}\" is out of range: too large a whole number to search (each key has its \
                 own much smaller limit; see docs/MODEL.md)"
            )
        };
        if as_float.is_some_and(|x| x.is_infinite() || (x.fract() == 0.0 && x.abs() >= 9.0e15)) {
            return Err(out_of_range(s));
        }
        if as_float.is_some() {
            return Err(format!(
                "\"{s}\" is not a whole number: target searches whole numbers (people, servers, \
                 seats, a quota) or durations in whole units (\"36h\" for 1.5d, \"90min\"); for a \
                 fraction such as registration.never or health.positive, tabulate its values \
                 with a sweep: clearance sweep SCENARIO --vary 'registration.never=0,0.05,0.1,0.15'"
            ));
        }
        let value: i64 = num.parse().map_err(|_| {
            if num.trim_start_matches('-').len() > 15 {
                out_of_range(s)
            } else {
                format!(
                    "\"{s}\" is not a whole number (with a unit for a duration key: 5d, 6h, \
                     90min, 2w)"
                )
            }
        })?;
        let unit = unit.trim();
        match unit {
            "" => Ok(Amount { value, unit: None }),
            u if crate::scenario::units::unit_minutes(u).is_some() => Ok(Amount {
                value,
                unit: Some(unit.to_string()),
            }),
            _ => Err(format!(
                "unknown unit \"{unit}\" in \"{s}\": use min, h, d or w"
            )),
        }
    }
}

/// Whether the goal's measure is the smallest or the largest of the replications (no
/// interval; it moves with their number).
fn extreme(goal: &Goal) -> bool {
    use crate::experiment::kpi::Measure;
    matches!(goal.measure, Measure::Min | Measure::Max)
}

fn line(e: &Evaluation, goal: &Goal, start: chrono::NaiveDate) -> String {
    // A milestone never reached counts as +∞ (the goal's rule), so the measure or a bound of its
    // interval may be infinite (a mean's interval over infinite values is NaN: "not reached" too).
    let unreached = |x: f64| !x.is_finite() && e.not_reached > 0;
    let v = |x: f64, d: usize| {
        if unreached(x) && goal.kpi == "clearance_days" {
            "∞ (not cleared)".to_string()
        } else if unreached(x) {
            "∞ (not reached)".to_string()
        } else if goal.date.is_some() && x.is_finite() {
            // A goal written with a date: the day the measure falls on, beside its days, the
            // days never rounded into the next day (`day_fixed`).
            let day = start + chrono::Duration::days(crate::scenario::day_of(x));
            format!("{} ({day})", crate::scenario::day_fixed(x, d))
        } else {
            num(Some(x), d)
        }
    };
    // The estimate gets the decimals to show on which side of the threshold it lies
    // (139.381783 against a threshold of 139.38178268 had printed 139.38, "does not meet").
    let mut est_d = 2;
    let (x, t) = (e.kpi, goal.threshold);
    while est_d < 12 && x.is_finite() && x != t && format!("{x:.est_d$}") == format!("{t:.est_d$}")
    {
        est_d += 1;
    }
    let ci = match (e.ci95_low, e.ci95_high) {
        (Some(l), _) if unreached(l) && l != f64::NEG_INFINITY => String::new(),
        (Some(l), Some(h)) => {
            // An end is unbounded when never-reached values enter it, or when too few
            // replications bound a quantile that far out (the P99 of fewer than 368).
            let (fl, fh) = (l.max(f64::MIN), h.min(f64::MAX));
            // (as many decimals as the estimate at least: "150.38 (95% CI 150.4 – ∞)" had read
            // as a lower end above the estimate)
            let mut d = crate::output::table::interval_decimals(fl, fh, 1).max(est_d);
            // Enough decimals to show on which side of each end the goal's threshold lies.
            let t = goal.threshold;
            let same = |x: f64, d: usize| x != t && format!("{x:.d$}") == format!("{t:.d$}");
            while d < 6 && ((l.is_finite() && same(l, d)) || (h.is_finite() && same(h, d))) {
                d += 1;
            }
            let end = |x: f64| match x {
                f64::NEG_INFINITY => "−∞".to_string(),
                f64::INFINITY => "∞".to_string(),
                x => num(Some(x), d),
            };
            format!(" (95% CI {} – {})", end(l), end(h))
        }
        _ => String::new(),
    };
    let nr = if e.not_reached > 0 {
        format!(
            ", {} in {} of {} replications",
            if goal.kpi == "clearance_days" {
                "not cleared by the horizon"
            } else {
                "not reached"
            },
            e.not_reached,
            e.replications
        )
    } else {
        String::new()
    };
    let unsure = if e.uncertain && extreme(goal) {
        // No interval: more replications reach further (a smaller smallest, a larger largest).
        format!(
            " (not sure: more replications may reach past {})",
            goal.threshold_text()
        )
    } else if e.uncertain {
        format!(
            " (not sure: {} is inside the 95% CI)",
            goal.threshold_text()
        )
    } else if let (Some(l), Some(h)) = (e.ci95_low, e.ci95_high) {
        // An interval that reaches the threshold from one side only (5.00 – 5.00 when every
        // replication is alike) is sure: a value at the threshold meets `<=` and `>=`.
        let t = goal.threshold;
        let at = if l == t && h == t {
            "is the threshold alone"
        } else if h == t {
            "ends at the threshold"
        } else if l == t {
            "starts at the threshold"
        } else {
            ""
        };
        if at.is_empty() {
            String::new()
        } else {
            format!(
                " (sure: the 95% CI {at}, which `{} {}` {})",
                goal.op_text(),
                goal.threshold_text(),
                if goal.met(t) { "includes" } else { "excludes" }
            )
        }
    } else {
        String::new()
    };
    format!(
        "{} = {}{ci}: {} the goal{unsure}{nr}",
        goal.text.split(['<', '>']).next().unwrap_or("").trim(),
        v(e.kpi, est_d),
        if e.met { "meets" } else { "does not meet" }
    )
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.value, self.unit.as_deref().unwrap_or(""))
    }
}

/// The defaults of --min, --max and --step: counts.
const DEFAULTS: [i64; 3] = [100, 1000, 10];

/// What the key `--vary` names takes, as the scenario reads it: what decides the defaults of
/// --min, --max and --step, and the error for a key target cannot search.
#[derive(Debug, Clone, Copy, PartialEq)]
enum KeyKind {
    /// A whole number (people, servers, seats, a quota) or a number that may be whole.
    Count,
    /// A duration ("5d") or a distribution of one.
    Duration,
    /// A number between 0 and 1 (a probability, a share): no whole numbers but 0 and 1.
    Fraction,
    /// Something that is no number: "a name", "text", "a date", "a list", … .
    Other(&'static str),
    /// Not told by the scenario (a key it leaves at its default that takes none of the probes).
    Unknown,
}

/// Why `--vary` cannot be searched before any value of its range is tried: its path names no
/// key (the same error, with its did-you-mean, as `--set` gives), or its key is no number.
/// `Ok(None)` when the scenario does not load with `--set` alone (its own error comes later).
/// `base` is the scenario loaded from `src` with `--set` (`None` when it could not be read).
fn vary_kind(
    args: &TargetArgs,
    src: Option<&Source>,
    base: Option<&Result<crate::scenario::Loaded, crate::scenario::ScenarioError>>,
) -> Result<Option<KeyKind>, Box<crate::scenario::Diagnostic>> {
    use crate::scenario::overrides::{apply, value_at};
    use toml::Value;
    let Some(Ok(base)) = base else {
        return Ok(None);
    };
    let at = |value: Value| crate::scenario::Override {
        path: args.vary.clone(),
        value,
        origin: "--vary".into(),
    };
    let current = value_at(&base.table, &args.vary).cloned();
    // The path alone, named as --vary's: an unknown key had been reported as the range's
    // (`--min/--max: …`), a range the planner may not have given.
    apply(
        &mut base.table.clone(),
        &at(current.clone().unwrap_or(Value::Integer(0))),
    )?;
    let accepts = |v: Value| {
        let mut ovs = args.common.set.clone();
        ovs.push(at(v));
        src.is_some_and(|src| src.load_with(&ovs).is_ok())
    };
    let duration = || accepts(Value::String("1d".into()));
    let text = || accepts(Value::String("not a duration".into()));
    // A number refused above 1 but taken as a half: a probability or a share.
    let fraction = || accepts(Value::Float(0.5)) && !accepts(Value::Integer(2));
    let last = crate::scenario::diag::path_segments(&args.vary)
        .last()
        .map(|s| s.to_string())
        .unwrap_or_default();
    let other = |v: &Value| match v {
        _ if last == "name" => "a name",
        Value::Datetime(_) => "a date",
        Value::String(s) if crate::scenario::units::parse_date(s).is_ok() => "a date",
        Value::String(_) => "text",
        Value::Boolean(_) => "true or false",
        Value::Array(_) => "a list",
        _ => "a table",
    };
    Ok(Some(match &current {
        Some(Value::String(s)) if crate::scenario::units::parse_duration(s).is_ok() => {
            KeyKind::Duration
        }
        Some(Value::Integer(_) | Value::Float(_)) if fraction() => KeyKind::Fraction,
        Some(Value::Integer(_) | Value::Float(_)) => KeyKind::Count,
        // A distribution of durations ({ dist = "exponential", mean = "20d" }).
        Some(Value::Table(_)) if duration() => KeyKind::Duration,
        Some(v) => KeyKind::Other(other(v)),
        // A key left at its default: what it takes.
        None if duration() && !text() => KeyKind::Duration,
        None if fraction() => KeyKind::Fraction,
        None if accepts(Value::Integer(1)) => KeyKind::Count,
        None if text() => KeyKind::Other(if last == "name" { "a name" } else { "text" }),
        None => KeyKind::Unknown,
    }))
}

/// Why no value can meet a clearance goal, when the capacities alone say so: at both ends of
/// the range, quotas, seats and the registrations (servers taken as unlimited) put clearance
/// no earlier than a day past the goal's threshold (`clearance explain`'s floor). `None` when
/// they do not, or the goal is not an upper bound on clearance.
fn floor_note(args: &TargetArgs, src: &Source, s: &Search) -> Option<String> {
    use crate::experiment::target::Op;
    if args.goal.kpi != "clearance_days" || !matches!(args.goal.op, Op::Le | Op::Lt) {
        return None;
    }
    // The grid's last value is --max, whatever the step.
    let last = s.max;
    let mut floors = Vec::new();
    // A goal written as a date, as the search judged it: a day count from the start (the note
    // had never been given for one, its threshold being unset until then).
    let mut goal = None;
    for v in [s.min, last] {
        let scn = crate::experiment::target::load_at(src, &args.common.set, s, v).ok()?;
        goal.get_or_insert_with(|| args.goal.resolve(scn.start_date));
        let rep = crate::analysis::explain(&scn);
        floors.push((rep.floor_day?, rep.floor_date?));
    }
    let g = goal?;
    if !g.threshold.is_finite() {
        return None;
    }
    let goal_text = match args.goal.date {
        Some(d) => format!("the goal's {d}"),
        None => format!(
            "the goal's {} days",
            crate::output::table::days_num(g.threshold)
        ),
    };
    let (day, date) = *floors.iter().min_by_key(|(d, _)| *d)?;
    // Clearance on day `day` is at `day` days or later.
    let beyond = match g.op {
        Op::Le => g.threshold < day as f64,
        _ => g.threshold <= day as f64,
    };
    beyond.then(|| {
        // (one value searched: "at it", not "at both ends of the range")
        let (at, any) = if s.min == s.max {
            ("at that value", "it cannot")
        } else {
            (
                "at both ends of the range",
                "no value of {} in the range can",
            )
        };
        let any = any.replace("{}", &s.vary);
        format!(
            "  why: {at} the capacities alone (quotas, seats, the registrations; servers taken as \
             unlimited) put clearance no earlier than day {day} ({date}), past {goal_text}: \
             {any} meet it (about one replication in a thousand beats that floor); \
             `clearance explain` shows what sets it"
        )
    })
}

/// `--min`, `--max` and `--step` in one unit: as given when they share one (or have none);
/// durations in different units in the smallest of them, in which each is a whole number (0d,
/// 63d and 1w in days: 0, 63, 7). `None` when some have a unit and some do not.
fn common_unit(a: [Amount; 3]) -> Option<[Amount; 3]> {
    if a.iter().all(|x| x.unit == a[0].unit) {
        return Some(a);
    }
    let per: Vec<i64> = a
        .iter()
        .map(|x| {
            x.unit
                .as_deref()
                .and_then(crate::scenario::units::unit_minutes)
        })
        .collect::<Option<_>>()?;
    let minutes: Vec<i64> = a
        .iter()
        .zip(&per)
        .map(|(x, m)| x.value.checked_mul(*m))
        .collect::<Option<_>>()?;
    // The smallest unit given: every value is a whole number of it.
    let (x, &m) = a.iter().zip(&per).min_by_key(|(_, m)| **m)?;
    let unit = x.unit.clone()?;
    let mut out = a;
    for (x, v) in out.iter_mut().zip(&minutes) {
        *x = Amount {
            value: v / m,
            unit: Some(unit.clone()),
        };
    }
    Some(out)
}

/// When no value meets the goal: the best measure reached against the goal, and when the
/// measure is the same at every value tried, that the varied key does not move it (with what
/// `explain` names as binding at the range's ends, when that is registration: the last
/// registrations set the date).
fn short_of_goal(
    args: &TargetArgs,
    src: &Source,
    s: &Search,
    r: &crate::experiment::target::TargetResult,
    show: &dyn Fn(i64) -> String,
) -> Vec<String> {
    let g = &args.goal;
    let Some(best) = &r.best else {
        return Vec::new();
    };
    let days = g.kpi.ends_with("_days");
    let on = |x: f64| match g.date {
        Some(_) if days => format!(
            " ({})",
            r.start_date + chrono::Duration::days(crate::scenario::day_of(x))
        ),
        _ => String::new(),
    };
    // Beside its date the measure's days are never rounded into the next day (`day_fixed`:
    // 2.997 on 2024-01-01 is 2.99, not 3, which is 2024-01-02), trimmed as `days_num` is.
    let kpi = if on(best.kpi).is_empty() {
        crate::output::table::days_num(best.kpi)
    } else {
        let fixed = crate::scenario::day_fixed(best.kpi, 2);
        fixed
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    };
    let short = crate::output::table::days_num((best.kpi - r.threshold).abs());
    let unit = match (days, short.as_str()) {
        (false, _) => "",
        (true, "1") => "day ",
        (true, _) => "days ",
    };
    let name = g.text.split(['<', '>']).next().unwrap_or(&g.text).trim();
    let mut out = vec![format!(
        "  best reached: {name} = {kpi}{} at {} = {}, against the goal {}: {short} {unit}short",
        on(best.kpi),
        r.vary,
        show(best.value),
        g.text.trim(),
    )];
    let same =
        r.evaluations.len() >= 2 && r.evaluations.iter().all(|e| e.kpi == r.evaluations[0].kpi);
    if same && r.evaluations.iter().all(|e| e.kpi.is_finite()) {
        // What `explain` names as binding at both ends of the range.
        let last = s.max;
        let registration = [s.min, last].iter().all(|&v| {
            crate::experiment::target::load_at(src, &args.common.set, s, v)
                .ok()
                .and_then(|scn| {
                    let rep = crate::analysis::explain(&scn);
                    rep.binding
                        .map(|b| rep.rows[b].stage == crate::analysis::Stage::Registration)
                })
                .unwrap_or(false)
        });
        out.push(format!(
            "  why: {name} is the same at every value tried, so {} does not move it here{}",
            r.vary,
            if registration {
                "; `clearance explain` names registration as binding at both ends of the range: \
                 the last registrations set the date, which no value of the key can bring forward"
            } else {
                " (`clearance run` names what binds at the end under \"What binds\")"
            }
        ));
    }
    out
}

pub fn cmd(args: &TargetArgs) -> Result<ExitCode> {
    args.common.need_two_replications(
        "goal seeking needs 2 at least per value, for the goal's confidence interval",
    )?;
    // The scenario read once (a pipe or FIFO gives its text once) and loaded from that text
    // at every value; a file that cannot be read is reported where a scenario error is.
    let source = Source::read(&args.scenario);
    // The scenario with --set alone, loaded once: the key's kind, the check of a --set of the
    // searched setting and the warnings and memory check below all read it.
    let base = source
        .as_ref()
        .ok()
        .map(|src| src.load_with(&args.common.set));
    let kind = match vary_kind(args, source.as_ref().ok(), base.as_ref()) {
        Ok(k) => k,
        Err(d) => {
            let file = args.scenario.display().to_string();
            errln!(
                "{}",
                crate::scenario::ScenarioError::invalid(&file, vec![*d])
            );
            return Ok(ExitCode::from(2));
        }
    };
    if let Some(KeyKind::Other(what)) = kind {
        usage!(
            "{} is {what}, not a number: target cannot vary it; it searches a whole number \
             (people, servers, seats, a quota: --vary 'port[El Paso].quota_per_day') or a \
             duration in whole units (--vary 'port[El Paso].opens' --min 0d --max 60d --step 7d)",
            args.vary
        );
    }
    // A --set of the setting searched (as `sweep` judges it): every value searched replaces it,
    // so nothing runs with it and the answer would not say so (the sweep it suggests when the
    // goal is not monotone would refuse the same --set).
    if let Some(Ok(base)) = &base {
        if let Some(o) = super::sweep::set_replaced(&base.table, &args.vary, &args.common.set) {
            errln!(
                "error: --vary {}: {} is also given by --set {o}, which every value searched \
                 replaces (nothing runs with it): drop the --set: target searches {} itself \
                 between --min and --max",
                args.vary,
                args.vary,
                args.vary
            );
            return Ok(ExitCode::from(2));
        }
    }
    let given = [&args.min, &args.max, &args.step];
    let [min, max, step] = [0, 1, 2].map(|k| {
        given[k].clone().unwrap_or(Amount {
            value: DEFAULTS[k],
            unit: None,
        })
    });
    // Durations in different units (--min 0d --max 63d --step 1w) are counted in the smallest
    // of them (here days).
    let Some([min, max, step]) = common_unit([min.clone(), max.clone(), step.clone()]) else {
        usage!(
            "--min {min}, --max {max} and --step {step} must all have a unit (a duration: min, \
             h, d or w, which may differ) or none (a count)"
        );
    };
    // A duration key searched without units: say so, rather than "duration 100 has no unit"
    // about a default the user never wrote.
    if min.unit.is_none() && kind == Some(KeyKind::Duration) {
        let defaults = given.iter().filter(|a| a.is_none()).count();
        usage!(
            "{} is a duration: give --min, --max and --step with a unit (min, h, d or w), e.g. \
             --min 0d --max 60d --step 7d{}",
            args.vary,
            match defaults {
                0 => String::new(),
                _ => format!(
                    " (the defaults --min {} --max {} --step {} are counts)",
                    DEFAULTS[0], DEFAULTS[1], DEFAULTS[2]
                ),
            }
        );
    }
    // A fraction searched over whole numbers it cannot take (the defaults 100 to 1000): say
    // what it is and how to tabulate it, as for a fraction given to --min or --max (it had
    // read "--min/--max health.positive: 100 is not a probability" about a default).
    if kind == Some(KeyKind::Fraction) && min.unit.is_none() {
        let fits = |v: i64| {
            let mut ovs = args.common.set.clone();
            ovs.push(crate::scenario::Override {
                path: args.vary.clone(),
                value: toml::Value::Integer(v),
                origin: "--min/--max".into(),
            });
            source.as_ref().is_ok_and(|src| src.load_with(&ovs).is_ok())
        };
        if !fits(min.value) || !fits(max.value) {
            usage!(
                "{} is a fraction (from 0 to 1): target searches whole numbers (people, \
                 servers, seats, a quota) or durations in whole units; tabulate a fraction's \
                 values with a sweep: clearance sweep {} --vary '{}=0,0.05,0.1,0.15'",
                args.vary,
                args.scenario.display(),
                args.vary
            );
        }
    }
    let s = Search {
        vary: args.vary.clone(),
        goal: args.goal.clone(),
        min: min.value,
        max: max.value,
        step: step.value,
        unit: min.unit.clone(),
    };
    // (a scenario error is reported by the search; each value searched is run in turn: the
    // scenario as given stands for them in the memory check)
    let src = match &source {
        Ok(src) => src,
        Err(e) => {
            errln!("{e}");
            return Ok(ExitCode::from(2));
        }
    };
    if let Some(Ok(l)) = &base {
        super::print_warnings(&l.scenario.warnings);
        args.common.check_memory(&[&l.scenario])?;
        // The scenario's own count is what runs without --replications: 1 is raised to 2, as
        // `compare` raises it (one replication per value had no interval, yet a goal it missed
        // was called surely out of reach, exit 3).
        if args.common.replications.is_none() && l.scenario.replications < 2 {
            errln!(
                "note: {} asks for 1 replication; goal seeking needs 2 at least per value for \
                 the goal's confidence interval: 2 are run (give --replications N for more)",
                args.scenario.display()
            );
        }
    }
    let r = match search(src, &args.common.set, &s, &args.common.run_options()) {
        Ok(r) => r,
        Err(ExperimentError::Scenario(e)) => {
            errln!("{e}");
            return Ok(ExitCode::from(2));
        }
        Err(ExperimentError::Usage(e)) => usage!("{e}"),
        Err(e) => return Err(e.into()),
    };
    // A value of a time since the start (`port[…].opens`), with its date beside it.
    let since_start = crate::scenario::validate::SINCE_START_KEYS
        .contains(&args.vary.rsplit('.').next().unwrap_or(""));
    let show = |v: i64| match (&s.unit, since_start) {
        (Some(u), true) => {
            let minutes = v.saturating_mul(crate::scenario::units::unit_minutes(u).unwrap_or(0));
            let date = r.start_date + chrono::Duration::days(minutes.div_euclid(1440));
            format!("{} ({date})", s.show(v))
        }
        _ => s.show(v),
    };
    if args.common.json {
        out!("{}", to_json(&r)?);
    } else {
        outln!("{}", r.message);
        if let Some(f) = &r.found {
            outln!(
                "  at {} = {}: {}",
                r.vary,
                show(f.value),
                line(f, &args.goal, r.start_date)
            );
        }
        if let Some(n) = &r.neighbour {
            let which = if r.direction.as_deref() == Some("decreasing") {
                "next higher step"
            } else {
                "next lower step"
            };
            outln!(
                "  {which} {} = {}: {}",
                r.vary,
                show(n.value),
                line(n, &args.goal, r.start_date)
            );
        }
        outln!("{}", assumption(args, &s, &r, &show));
        let unsure = r.uncertain;
        if unsure && extreme(&args.goal) {
            let which = if args.goal.measure == crate::experiment::kpi::Measure::Max {
                "largest"
            } else {
                "smallest"
            };
            outln!(
                "  not sure: the {which} of more replications may reach past the goal's \
                 threshold, so more replications (--replications) may {}",
                if r.found.is_some() {
                    "move the answer"
                } else {
                    "find a value meeting it"
                }
            );
        } else if unsure && r.found.is_some() {
            outln!(
                "  not sure: the goal's threshold is inside the 95% CI of the answer or of its \
                 neighbour, so more replications (--replications) may move the answer by a step"
            );
        } else if unsure && !r.met_inside.is_empty() {
            outln!(
                "  not sure: the goal's threshold is inside the 95% CI at a value tried, so with \
                 more replications (--replications) the values meeting it may differ"
            );
        } else if unsure {
            outln!(
                "  not sure: the goal's threshold is inside the 95% CI at a value tried, so with \
                 more replications (--replications) a value may meet it"
            );
        }
        // No value can meet it, whatever the replications: said instead of how many give the
        // interval an end.
        let floor = if r.found.is_none() && r.met_inside.is_empty() {
            floor_note(args, src, &s)
        } else {
            None
        };
        // A quantile's interval without the end that decides the goal: say how many
        // replications give it one.
        if let Some(n) = r.replications_for_bound.filter(|_| floor.is_none()) {
            let upper = matches!(
                args.goal.op,
                crate::experiment::target::Op::Le | crate::experiment::target::Op::Lt
            );
            let had = r
                .evaluations
                .iter()
                .map(|e| e.replications)
                .min()
                .unwrap_or(0);
            let name = args.goal.text.split('(').next().unwrap_or("").trim();
            outln!(
                "  note: the 95% CI of a {name} has {} end only from {n} replications on (with \
                 fewer, the {} of them lies {} the true {name} more than 2.5% of the time): \
                 with {had}, no value can be sure to meet the goal; give --replications {n} or \
                 more",
                if upper { "an upper" } else { "a lower" },
                if upper { "largest" } else { "smallest" },
                if upper { "below" } else { "above" },
            );
        }
        // The extremes of the replications have no interval, and they move with how many
        // there are (with 20 replications the answer had been 6d, with 200 5d, neither
        // flagged).
        if matches!(
            args.goal.measure,
            crate::experiment::kpi::Measure::Min | crate::experiment::kpi::Measure::Max
        ) {
            outln!(
                "  note: the {} of the replications moves with their number (more runs reach \
                 further), so this answer depends on --replications and has no confidence \
                 interval; a quantile such as {} does not move so",
                if args.goal.measure == crate::experiment::kpi::Measure::Max {
                    "largest"
                } else {
                    "smallest"
                },
                if args.goal.measure == crate::experiment::kpi::Measure::Max {
                    "p95"
                } else {
                    "p5"
                }
            );
        }
        if let Some(note) = &floor {
            outln!("{note}");
        }
        if r.found.is_none() {
            for note in short_of_goal(args, src, &s, &r, &show) {
                outln!("{note}");
            }
        }
        outln!("  evaluated (same seeds at every value):");
        // Values right-aligned, at least 8 characters wide (with a date beside them, wider).
        let shown: Vec<String> = r.evaluations.iter().map(|e| show(e.value)).collect();
        let w = shown
            .iter()
            .map(|v| v.chars().count())
            .max()
            .unwrap_or(0)
            .max(8);
        for (e, v) in r.evaluations.iter().zip(&shown) {
            outln!("    {v:>w$}  {}", line(e, &args.goal, r.start_date));
        }
    }
    // Exit 3 only for a sure "no value meets the goal": an answer that more replications may
    // change, even "no value" with the threshold inside a CI, exits 0 with `"uncertain": true`.
    // A goal met between the ends but at neither is no answer to "the smallest value": 4.
    Ok(if !r.met_inside.is_empty() {
        ExitCode::from(EXIT_NOT_MONOTONE)
    } else if r.found.is_some() || r.uncertain {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

/// Exit code of a search that found the goal met between `--min` and `--max` but at neither
/// end: the goal is not monotone in the key, and no smallest or largest value is given.
pub const EXIT_NOT_MONOTONE: u8 = 4;

/// Grids of at most this many values are swept whole in the sweep the table suggests for a goal
/// that is not monotone; larger ones at the values the search tried.
const SWEEP_WHOLE_GRID: usize = 30;

/// The one line under every answer that says what it assumes: that the goal, once met, stays
/// met as the value moves on (bisection, and "no value" tested at the ends and a few values
/// between), or, for a goal met between the ends but at neither, that it is not monotone and
/// the sweep that maps it.
fn assumption(
    args: &TargetArgs,
    s: &Search,
    r: &crate::experiment::target::TargetResult,
    show: &dyn Fn(i64) -> String,
) -> String {
    let list = |v: &[i64]| v.iter().map(|&x| show(x)).collect::<Vec<_>>().join(", ");
    if s.min == s.max {
        // One value: nothing is assumed of others; a range is what a search needs.
        return format!(
            "  one value was run: give --min below --max to search {} for the value that meets \
             the goal",
            r.vary
        );
    }
    if !r.met_inside.is_empty() {
        let n = crate::experiment::target::grid_len(s.min, s.max, s.step).unwrap_or(0);
        let values: Vec<String> = if n <= SWEEP_WHOLE_GRID {
            (0..n)
                .map(|k| s.show(crate::experiment::target::grid_at(s.min, s.max, s.step, k)))
                .collect()
        } else {
            r.evaluations.iter().map(|e| s.show(e.value)).collect()
        };
        let mut cmd = format!("clearance sweep {}", args.scenario.display());
        for o in &args.common.set {
            cmd += &format!(" --set '{o}'");
        }
        if let Some(n) = args.common.replications {
            cmd += &format!(" --replications {n}");
        }
        cmd += &format!(" --vary '{}={}'", r.vary, values.join(","));
        return format!("  not monotone: map the goal over the range with a sweep: {cmd}");
    }
    if r.found.is_none() {
        let between = if r.interior_tested.is_empty() {
            "no values lie between them".to_string()
        } else {
            format!(
                "{} between: {}",
                r.interior_tested.len(),
                list(&r.interior_tested)
            )
        };
        return format!(
            "  assumes the goal, once met, stays met as {} moves on: tested at --min, --max and \
             {between}; `clearance sweep` maps every value",
            r.vary
        );
    }
    if r.neighbour.is_none() {
        // Met at both ends: nothing between them was run.
        return "  assumes the goal is met between --min and --max as at them (only the ends \
                were run); `clearance sweep` maps every value"
            .to_string();
    }
    format!(
        "  assumes the goal, once met, stays met as {} {} (the search bisects); `clearance \
         sweep` maps a goal that does not",
        r.vary,
        if r.direction.as_deref() == Some("decreasing") {
            "shrinks"
        } else {
            "grows"
        }
    )
}

#[cfg(test)]
mod tests {
    use super::Amount;

    /// Whole numbers and durations in whole units are grid values; a fraction is refused with
    /// what target can search and the sweep that tabulates a fraction instead.
    #[test]
    fn a_fraction_is_refused_with_the_way_to_search_it() {
        let ok = |s: &str| s.parse::<Amount>().unwrap();
        assert_eq!(
            ok("300"),
            Amount {
                value: 300,
                unit: None
            }
        );
        assert_eq!(
            ok("-3"),
            Amount {
                value: -3,
                unit: None
            }
        );
        assert_eq!(ok("36h").unit.as_deref(), Some("h"));
        assert_eq!(
            ok("100.0"),
            Amount {
                value: 100,
                unit: None
            }
        );
        assert_eq!(
            ok("7.0d"),
            Amount {
                value: 7,
                unit: Some("d".into())
            }
        );
        // exponent form: a whole number is that number; a fraction or a huge one is said to
        // be that, not an unknown unit "e-300"
        assert_eq!(ok("1e3").value, 1000);
        for huge in ["1e300", "1e400", "99999999999999999999", "-1e300d"] {
            let e = huge.parse::<Amount>().unwrap_err();
            assert!(e.contains("is out of range"), "{huge}: {e}");
        }
        for bad in ["0.2", "1.5d", ".5", "0.05h", "1e-300", "2.5e-1d"] {
            let e = bad.parse::<Amount>().unwrap_err();
            assert!(
                e.contains("is not a whole number: target searches whole numbers"),
                "{e}"
            );
            assert!(e.contains("clearance sweep SCENARIO --vary"), "{e}");
        }
        let e = "12x".parse::<Amount>().unwrap_err();
        assert!(e.contains("unknown unit \"x\""), "{e}");
        let e = "ten".parse::<Amount>().unwrap_err();
        assert!(e.contains("is not a whole number (with a unit"), "{e}");
    }
}
