//! Raw -> resolved: applies the defaults of MODEL.md §2, parses units, builds distributions,
//! resolves names to indices and checks every rule, COLLECTING every error (and the warnings)
//! into `Diags` rather than stopping at the first. Produces the `Scenario` only when the file
//! has no error at all.

use super::diag::{join, Diags, MAX_NAME_CHARS};
use super::dist::{Dist, SizeDist};
use super::raw::*;
use super::types::*;
use super::units;
use crate::format::{fmt_estimate, short_num};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// Largest cohort (backlog or phase) accepted \[people\].
pub const MAX_COHORT_PEOPLE: i64 = 100_000_000;
/// Longest horizon accepted \[days\].
pub const MAX_HORIZON_DAYS: f64 = 36_500.0;
/// Most replications accepted.
pub const MAX_REPLICATIONS: i64 = 1_000_000;
/// Most servers of one stage or port (omit `servers` for unlimited).
pub const MAX_SERVERS: i64 = 1_000_000;
/// Largest quota, seats or holding limit \[people\].
pub const MAX_CAPACITY: i64 = 1_000_000_000;
/// Most `[[origin]]`, `[[port]]` or `[[route]]` sections a scenario may have (each): the
/// capacity analysis compares them pairwise (4,000 of each took minutes), and no border
/// operation modelled has anywhere near that many.
pub const MAX_ORIGINS_PORTS_ROUTES: usize = 1_000;
/// Most inflow groups expected over a run.
pub const MAX_INFLOW_GROUPS: f64 = 100_000_000.0;
/// Departures of the timetables within the horizon above which validation warns: each is an
/// event of every replication that runs to the horizon (about a second of simulation a million,
/// measured), and the bundled scenarios have 10,000 at most.
pub const MANY_DEPARTURES: u64 = 5_000_000;

/// The candidate closest to `word` (case-insensitive Jaro-Winkler >= 0.8), if any.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = word.to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&w, &c.to_lowercase());
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.8).map(|(_, c)| c)
}

/// "did you mean "A"?", or with candidates equally close (`Port C` to `Port A` and `Port B`)
/// all of them: "did you mean "A" or "B"?"; `None` when none is close.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<String> {
    // The same name typed with a non-breaking (or other odd) space, or an invisible character,
    // in one place and not the other looks the same too: say what differs, and where.
    if let Some((c, why)) = candidates
        .clone()
        .into_iter()
        .find_map(|c| super::diag::odd_space_difference(word, c).map(|w| (c, w)))
    {
        return Some(format!("did you mean \"{c}\"? {why}"));
    }
    // The same name typed with a precomposed é in one place and e + a combining accent in the
    // other looks the same in every editor: say so, since "did you mean" alone would puzzle.
    let folded = fold_accents(word);
    if let Some(c) = candidates
        .clone()
        .into_iter()
        .find(|c| *c != word && fold_accents(c) == folded)
    {
        return Some(format!(
            "did you mean \"{c}\"? the two differ only in how an accented letter is encoded \
             (Unicode normalisation); retype the name in one of them"
        ));
    }
    let w = word.to_lowercase();
    let best = closest(word, candidates.clone())?;
    let score = |c: &str| strsim::jaro_winkler(&w, &c.to_lowercase());
    let top = score(best);
    let mut tied: Vec<String> = Vec::new();
    for c in candidates {
        let q = format!("\"{c}\"");
        if (score(c) - top).abs() < 1e-12 && !tied.contains(&q) {
            tied.push(q);
        }
    }
    Some(match tied.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("did you mean {} or {last}?", rest.join(", "))
        }
        _ => format!("did you mean \"{best}\"?"),
    })
}

/// `text` with combining accents (U+0300–U+036F) dropped and the precomposed Latin letters
/// that decompose into a letter and such accents (Latin-1 and Latin Extended-A: é, ñ, č, ő, …)
/// written as that letter: two spellings of a name that differ only in Unicode normalisation
/// (NFC `é` and NFD `e` + U+0301) fold to the same text. Letters that do not decompose (æ, ø,
/// ł, ß) are kept, so a folded match never conflates two different letters. Enough to spot the
/// case without a normalisation table (it also folds an accent against no accent, which is
/// only used once the two texts are known to differ and look alike).
pub(crate) fn fold_accents(text: &str) -> String {
    const LATIN1: &[u8; 64] = b"AAAAAA.CEEEEIIII.NOOOOO..UUUUY..aaaaaa.ceeeeiiii.nooooo..uuuuy.y";
    const EXTENDED_A: &[u8; 128] = b"AaAaAaCcCcCcCcDd..EeEeEeEeEeGgGgGgGgHh..IiIiIiIi\
        I...JjKk.LlLlLl....NnNnNn...OoOoOo..RrRrRrSsSsSsSsTtTt..UuUuUuUuUuUuWwYyYZzZzZz.";
    text.chars()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| {
            let base = match c as u32 {
                n @ 0xC0..=0xFF => LATIN1[(n - 0xC0) as usize],
                n @ 0x100..=0x17F => EXTENDED_A[(n - 0x100) as usize],
                _ => b'.',
            };
            if base == b'.' {
                c
            } else {
                base as char
            }
        })
        .collect()
}

fn name_hint<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> String {
    match did_you_mean(word, candidates.clone()) {
        Some(h) => h,
        None => {
            let all: Vec<String> = candidates.into_iter().map(|c| format!("\"{c}\"")).collect();
            if all.is_empty() {
                "there are none".into()
            } else {
                format!("known: {}", all.join(", "))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scalars

fn duration(d: &mut Diags, path: &str, v: &RawDuration) -> Option<f64> {
    let r = match v {
        RawDuration::Text(s) => units::parse_duration(s),
        RawDuration::Number(n) => Err(units::number_without_unit(*n)),
    };
    match r {
        Ok(x) => Some(x),
        Err(e) => {
            let date = match v {
                RawDuration::Text(s) => {
                    date_hint(d.start_date, d.start_date_default, s, path).map(|h| (s, h))
                }
                RawDuration::Number(_) => None,
            };
            match date {
                Some((s, hint)) => d.error(
                    path,
                    format!("\"{s}\" is a calendar date, not a duration"),
                    Some(hint),
                ),
                None => d.error(path, e.message, e.hint),
            }
            None
        }
    }
}

/// The words that end the warning of a route carrying people to its port before it opens
/// under fifo (withdrawn for a route that is never used).
const BEFORE_PORT_OPENS: &str = "and they wait there";

/// The keys whose duration is a time since the start of a run (day 0 at `scenario.start_date`),
/// not a length: a calendar date can stand for them.
pub const SINCE_START_KEYS: [&str; 5] = ["opens", "from", "until", "horizon", "warmup"];

/// For a calendar date written for a duration: at a key that is a time since the start
/// (`opens`, `from`, `until`, `horizon`, `warmup`), that time; at a length (a service time, an
/// isolation), that a length is needed. With `start` the default (`defaulted`: no
/// `scenario.start_date` written), the hint says so and how to set it.
///
/// A date in another form than `YYYY-MM-DD` (`15/04/2021`, `15.04.2021`, `15 April 2021`) is
/// read as `units::parse_date`'s hint reads it: the hint names the date it was read as, in
/// that form, before what it is in days (what to write: these keys take no date, so the hint
/// does not send the planner to `YYYY-MM-DD`), and gives both readings of `04/05/2021`.
fn date_hint(start: Option<NaiveDate>, defaulted: bool, text: &str, path: &str) -> Option<String> {
    if let Ok(date) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        return Some(date_hint_of(start, defaulted, date, path));
    }
    let readings = units::date_readings(text);
    let key = path.rsplit('.').next().unwrap_or(path);
    if !SINCE_START_KEYS.contains(&key) {
        // A length: which day it is does not matter.
        return readings
            .first()
            .map(|d| date_hint_of(start, defaulted, *d, path));
    }
    let read = |d: &NaiveDate| {
        format!(
            "read as {}: {}",
            d.format("%Y-%m-%d"),
            date_hint_of(start, defaulted, *d, path)
        )
    };
    match &readings[..] {
        [one] => Some(read(one)),
        [x, y] => Some(format!(
            "day/month/year, {}; month/day/year, {}",
            read(x),
            read(y)
        )),
        _ => None,
    }
}

fn date_hint_of(start: Option<NaiveDate>, defaulted: bool, date: NaiveDate, path: &str) -> String {
    let key = path.rsplit('.').next().unwrap_or(path);
    if !SINCE_START_KEYS.contains(&key) {
        return format!(
            "{key} is a length of time, not a date: write e.g. \"10d\", \"2h\" or \"30min\""
        );
    }
    // The days name 00:00 of the date, so the date itself is not included: said, with the
    // time through its end for a key that ends a span (`until`, `horizon`, `warmup`).
    let at = |days: i64| {
        if matches!(key, "until" | "horizon" | "warmup") {
            format!(
                " (00:00 of {date}; through the end of that day is \"{}d\")",
                days + 1
            )
        } else {
            format!(" (00:00 of {date})")
        }
    };
    match start {
        Some(start) if defaulted => {
            let days = (date - start).num_days();
            let counted = if days >= 0 {
                format!("{date} is \"{days}d\" from it{}", at(days))
            } else {
                format!("{date} is before it")
            };
            format!(
                "times count from scenario.start_date, which is not set, so from its default \
                 {start}: {counted}; set start_date = \"YYYY-MM-DD\" under [scenario] to the \
                 date of day 0 and write the days since it, e.g. \"45d\""
            )
        }
        Some(start) => {
            let days = (date - start).num_days();
            if days >= 0 {
                format!(
                    "times count from scenario.start_date ({start}): {date} is \"{days}d\"{}",
                    at(days)
                )
            } else {
                format!("times count from scenario.start_date ({start}); {date} is before it")
            }
        }
        None => {
            "times count from scenario.start_date: write the days since it, e.g. \"10d\"".into()
        }
    }
}

fn duration_value(d: &mut Diags, path: &str, v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::String(s) => duration(d, path, &RawDuration::Text(s.clone())),
        toml::Value::Integer(i) => duration(d, path, &RawDuration::Number(*i as f64)),
        toml::Value::Float(f) => duration(d, path, &RawDuration::Number(*f)),
        other => {
            d.error(
                path,
                format!(
                    "expected a duration such as \"2h\", found {}",
                    describe(other)
                ),
                None,
            );
            None
        }
    }
}

/// A time read from `v` (`days` long) for a message: as written, in quotes (`"5d"`), with its
/// length where written in another unit (`"1w", 7d`: `until = "1w"` before `from = "10d"`
/// reads at once); the length alone where nothing is written (a default).
fn as_written(v: Option<&RawDuration>, days: f64) -> String {
    let length = units::duration_text(days);
    match v {
        Some(RawDuration::Text(s)) if s.trim() == length => format!("\"{length}\""),
        Some(RawDuration::Text(s)) => format!("\"{}\", {length}", s.trim()),
        _ => length,
    }
}

/// The rest of the hint for an `until` (`until` \[days\]) before `from` (`from` \[days\]):
/// `until` is a time counted from the start, as `from` is, not how long `what` lasts, so an
/// `until` written as a length (`from = "31d"`, `until = "7d"` for a week's closure) is given
/// its end time (`"38d"`), and swapping them, which a length would make wrong, is offered only
/// for two times the wrong way round. For `until` equal to `from`, the swap alone.
fn until_as_length(until: f64, from: f64, what: &str) -> String {
    if until > 0.0 && until < from {
        format!(
            ". `until` is a time counted from scenario.start_date, as `from` is, not how long \
             {what} lasts: for {} from `from`, write until = \"{}\"; or swap them if they are \
             the wrong way round",
            units::duration_text(until),
            units::duration_text(from + until)
        )
    } else {
        " (swap them if they are the wrong way round)".into()
    }
}

fn opt_duration(d: &mut Diags, path: &str, v: Option<&RawDuration>, default: f64) -> Option<f64> {
    match v {
        None => Some(default),
        Some(v) => duration(d, path, v),
    }
}

fn finite(d: &mut Diags, path: &str, v: f64) -> Option<f64> {
    if v.is_finite() {
        Some(v)
    } else {
        d.error(
            path,
            format!(
                "{} is not a finite number: write a finite one (TOML's inf and nan are no \
                 value here)",
                short_num(v)
            ),
            None,
        );
        None
    }
}

fn non_negative(d: &mut Diags, path: &str, v: f64) -> Option<f64> {
    let v = finite(d, path, v)?;
    if v < 0.0 {
        d.error(
            path,
            format!("{} is negative; it must be 0 or more", short_num(v)),
            None,
        );
        return None;
    }
    Some(v)
}

/// `v` percent as a fraction, without the binary round-off of v / 100 (14.3 is 0.143, not
/// 0.14300000000000002).
fn percent(v: f64) -> f64 {
    let f = v / 100.0;
    format!("{f:.12}").parse::<f64>().unwrap_or(f)
}

/// A probability in [0, 1): 1 is refused because it would block the model forever.
fn probability(d: &mut Diags, path: &str, v: f64, why_not_one: &str) -> Option<f64> {
    let v = finite(d, path, v)?;
    if !(0.0..=1.0).contains(&v) {
        d.error(
            path,
            format!(
                "{} is not a probability; it must be between 0 and 1",
                short_num(v)
            ),
            // 20 for 20%: say how to write it.
            (v > 1.0 && v < 100.0).then(|| format!("for {v}%, write {}", percent(v))),
        );
        return None;
    }
    if v == 1.0 {
        d.error(
            path,
            format!("1 is not allowed: {why_not_one}"),
            Some("use a value below 1".into()),
        );
        return None;
    }
    Some(v)
}

/// A whole number in [0, max].
fn count(d: &mut Diags, path: &str, v: i64, max: i64, what: &str) -> Option<i64> {
    if v < 0 {
        d.error(
            path,
            format!("{v} is negative; {what} must be 0 or more"),
            None,
        );
        return None;
    }
    if v > max {
        d.error(
            path,
            format!("{v} is more than the {max} {what} accepted"),
            None,
        );
        return None;
    }
    Some(v)
}

/// `servers` of `stage` (`screening`, `port El Paso`): a count, with a warning for 0 (the
/// stage has no capacity; the analysis of stages without capacity leaves it to this warning).
fn servers(d: &mut Diags, path: &str, stage: &str, v: Option<i64>) -> Option<Option<u32>> {
    match v {
        None => Some(None),
        Some(v) => {
            let n = count(d, path, v, MAX_SERVERS, "servers")?;
            if n == 0 {
                d.warn(
                    path,
                    format!("{stage} has servers = 0: no capacity at all; nobody passes it"),
                );
            }
            Some(Some(n as u32))
        }
    }
}

fn string_value<'t>(d: &mut Diags, path: &str, v: &'t toml::Value) -> Option<&'t str> {
    match v.as_str() {
        Some(s) => Some(s),
        None => {
            d.error(
                path,
                format!("expected a string, found {}", describe(v)),
                None,
            );
            None
        }
    }
}

fn number_value(d: &mut Diags, path: &str, v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) => finite(d, path, *f),
        other => {
            d.error(
                path,
                format!("expected a number, found {}", describe(other)),
                None,
            );
            None
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Distributions

fn dist_opt(d: &mut Diags, path: &str, v: Option<&RawDist>) -> Option<Dist> {
    match v {
        None => Some(Dist::Fixed(0.0)),
        Some(v) => dist(d, path, v),
    }
}

/// A whole distribution table of `kind`, as the hints write it.
pub(crate) fn example(kind: &str) -> &'static str {
    match kind {
        "exponential" => r#"{ dist = "exponential", mean = "20d" }"#,
        "uniform" => r#"{ dist = "uniform", min = "1d", max = "2d" }"#,
        "triangular" => r#"{ dist = "triangular", min = "1h", mode = "2h", max = "4h" }"#,
        "lognormal" => r#"{ dist = "lognormal", mean = "40min", sd = "15min" }"#,
        "gamma" => r#"{ dist = "gamma", mean = "2h", sd = "1h" }"#,
        "empirical" => r#"{ dist = "empirical", values = ["1d", "2d"], weights = [0.7, 0.3] }"#,
        // Not a kind of DISTRIBUTIONS (a test checks each kind has its example): the first.
        _ => r#"{ dist = "exponential", mean = "20d" }"#,
    }
}

/// Whether `value` (inline TOML) is a valid value of `key` (a distribution key, `group_size` or
/// `ramp`), checked as validation checks it: a hint suggests only a value that works.
pub(crate) fn suggested_value_is_valid(key: &str, value: &str) -> bool {
    let v = super::overrides::parse_value(value);
    let spans = super::diag::Spans::default();
    let mut d = Diags::new("", &spans);
    let ok = match key {
        "group_size" => v
            .try_into::<RawGroupSize>()
            .ok()
            .and_then(|g| group_size(&mut d, key, Some(&g)))
            .is_some(),
        "ramp" => v.try_into::<RawRamp>().ok().is_some_and(|r| {
            let from = r.from.and_then(|f| non_negative(&mut d, "from", f));
            let over = r.over.and_then(|o| duration(&mut d, "over", &o));
            from.is_some() && over.is_some_and(|o| o > 0.0)
        }),
        _ => v
            .try_into::<RawDist>()
            .ok()
            .and_then(|x| dist(&mut d, key, &x))
            .is_some(),
    };
    ok && d.errors.is_empty()
}

/// A group size's table, as the hints write it (group sizes take only the empirical kind).
const SIZE_EXAMPLE: &str =
    r#"{ dist = "empirical", values = [1, 2, 3], weights = [0.5, 0.3, 0.2] }"#;

/// Check a distribution table's `dist` and parameter keys; returns the kind and parameters.
/// `sizes`: the table is a group size's, whose hints give [`SIZE_EXAMPLE`] (the durations'
/// examples are kinds or values a group size refuses).
fn dist_kind(
    d: &mut Diags,
    path: &str,
    t: &toml::Table,
    sizes: bool,
) -> Option<(&'static str, &'static [&'static str])> {
    let kinds = DISTRIBUTIONS.iter().map(|(k, _)| *k);
    let example = |kind: &str| if sizes { SIZE_EXAMPLE } else { example(kind) };
    let Some(kind_v) = t.get("dist") else {
        let hint = if sizes {
            format!("write {SIZE_EXAMPLE} (a group size is a whole number or this table)")
        } else {
            format!(
                "write e.g. {}; kinds: {}",
                example("exponential"),
                kinds.collect::<Vec<_>>().join(", ")
            )
        };
        d.error(path, "a distribution table needs `dist`", Some(hint));
        return None;
    };
    let kind_path = join(path, "dist");
    let kind = string_value(d, &kind_path, kind_v)?;
    let Some((kind, params)) = DISTRIBUTIONS.iter().find(|(k, _)| *k == kind) else {
        d.error(
            &kind_path,
            format!("unknown distribution \"{kind}\""),
            Some(name_hint(kind, kinds)),
        );
        return None;
    };
    let mut ok = true;
    for k in t.keys() {
        if k != "dist" && !params.contains(&k.as_str()) {
            ok = false;
            let hint = match closest(k, params.iter().copied()) {
                Some(c) => format!("did you mean \"{c}\"? write {}", example(kind)),
                None => format!("write {}", example(kind)),
            };
            d.error(
                &join(path, k),
                format!(
                    "`{k}` is not a parameter of {} {kind} distribution (it takes {})",
                    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
                        "an"
                    } else {
                        "a"
                    },
                    params.join(", ")
                ),
                Some(hint),
            );
        }
    }
    for p in params.iter() {
        if !t.contains_key(*p) {
            ok = false;
            d.error(
                path,
                format!("the {kind} distribution is missing its parameter `{p}`"),
                Some(format!("write {}", example(kind))),
            );
        }
    }
    ok.then_some((kind, params))
}

fn weights(d: &mut Diags, path: &str, v: &toml::Value) -> Option<Vec<f64>> {
    let Some(a) = v.as_array() else {
        d.error(
            path,
            format!("expected a list of numbers, found {}", describe(v)),
            None,
        );
        return None;
    };
    let mut out = Vec::with_capacity(a.len());
    let mut ok = true;
    for (i, w) in a.iter().enumerate() {
        let p = format!("{path}[{}]", i + 1);
        match number_value(d, &p, w).and_then(|x| non_negative(d, &p, x)) {
            Some(x) => out.push(x),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn dist(d: &mut Diags, path: &str, v: &RawDist) -> Option<Dist> {
    let t = match v {
        RawDist::Fixed(x) => {
            let x = duration(d, path, x)?;
            return report(d, path, Dist::fixed(x));
        }
        RawDist::Table(t) => t,
    };
    let (kind, _) = dist_kind(d, path, t, false)?;
    if kind == "empirical" {
        let vp = join(path, "values");
        let values_v = t.get("values")?;
        let Some(arr) = values_v.as_array() else {
            d.error(
                &vp,
                format!("expected a list of durations, found {}", describe(values_v)),
                None,
            );
            return None;
        };
        let mut values = Vec::with_capacity(arr.len());
        let mut ok = true;
        for (i, x) in arr.iter().enumerate() {
            match duration_value(d, &format!("{vp}[{}]", i + 1), x) {
                Some(x) => values.push(x),
                None => ok = false,
            }
        }
        let w = weights(d, &join(path, "weights"), t.get("weights")?);
        let w = w?;
        if !ok {
            return None;
        }
        return report(d, path, Dist::empirical(values, &w));
    }
    let mut get = |name: &str| -> Option<f64> {
        let v = t.get(name)?;
        duration_value(d, &join(path, name), v)
    };
    // A parameter's value in a message as the file wrote it ("2h"), not in days.
    let show = |name: &str, days: f64| match t.get(name).and_then(|v| v.as_str()) {
        Some(text) => text.trim().to_string(),
        None => super::units::duration_text(days),
    };
    let r = match kind {
        "exponential" => Dist::exponential(get("mean")?),
        "uniform" => {
            let (a, b) = (get("min"), get("max"));
            Dist::uniform_as(a?, b?, &show)
        }
        "triangular" => {
            let (a, m, b) = (get("min"), get("mode"), get("max"));
            Dist::triangular_as(a?, m?, b?, &show)
        }
        "lognormal" => {
            let (m, s) = (get("mean"), get("sd"));
            Dist::lognormal(m?, s?)
        }
        "gamma" => {
            let (m, s) = (get("mean"), get("sd"));
            Dist::gamma(m?, s?)
        }
        // A kind listed in DISTRIBUTIONS but not built here is a gap in this match, refused
        // rather than built as another kind (a test builds every listed kind from its example).
        other => {
            let e = format!("the distribution kind \"{other}\" is listed but not built");
            d.error(path, e, Some("a bug in clearance: use another kind".into()));
            return None;
        }
    };
    let r = r.map_err(|e| format!("impossible {kind} distribution: {e}"));
    report_str(d, path, r)
}

fn report(d: &mut Diags, path: &str, r: Result<Dist, String>) -> Option<Dist> {
    report_str(
        d,
        path,
        r.map_err(|e| format!("impossible distribution: {e}")),
    )
}

fn report_str<T>(d: &mut Diags, path: &str, r: Result<T, String>) -> Option<T> {
    match r {
        Ok(x) => Some(x),
        Err(e) => {
            d.error(path, e, None);
            None
        }
    }
}

fn group_size(d: &mut Diags, path: &str, v: Option<&RawGroupSize>) -> Option<SizeDist> {
    match v {
        None => Some(SizeDist::Fixed(1)),
        Some(RawGroupSize::Fixed(n)) => report_str(d, path, SizeDist::fixed(*n)),
        Some(RawGroupSize::Table(t)) => {
            let (kind, _) = dist_kind(d, path, t, true)?;
            if kind != "empirical" {
                d.error(
                    &join(path, "dist"),
                    format!("a group size is a whole number or an empirical table, not {kind}"),
                    Some(format!("write {SIZE_EXAMPLE}")),
                );
                return None;
            }
            let vp = join(path, "values");
            let values_v = t.get("values")?;
            let Some(arr) = values_v.as_array() else {
                d.error(
                    &vp,
                    format!(
                        "expected a list of whole numbers, found {}",
                        describe(values_v)
                    ),
                    None,
                );
                return None;
            };
            let mut values = Vec::with_capacity(arr.len());
            let mut ok = true;
            for (i, x) in arr.iter().enumerate() {
                match x.as_integer() {
                    Some(n) => match SizeDist::fixed(n) {
                        Ok(_) => values.push(n),
                        Err(e) => {
                            ok = false;
                            d.error(&format!("{vp}[{}]", i + 1), e, None);
                        }
                    },
                    None => {
                        ok = false;
                        d.error(
                            &format!("{vp}[{}]", i + 1),
                            format!(
                                "a group size is a whole number of people, found {}",
                                describe(x)
                            ),
                            None,
                        );
                    }
                }
            }
            let w = weights(d, &join(path, "weights"), t.get("weights")?)?;
            if !ok {
                return None;
            }
            report_str(d, path, SizeDist::empirical(&values, &w))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Schedules

/// `days` as a set of weekdays. An empty list is warned of by the stage it closes, naming it
/// (`port P is never open`, `route R runs on no day of the week`; once, at this key), not here.
fn days(d: &mut Diags, path: &str, v: Option<&Vec<String>>) -> Option<DaySet> {
    let Some(list) = v else { return Some(ALL_DAYS) };
    let mut set = [false; 7];
    let mut ok = true;
    for (i, s) in list.iter().enumerate() {
        let p = format!("{path}[{}]", i + 1);
        match units::parse_weekday(s) {
            Ok(w) => {
                if set[w as usize] {
                    ok = false;
                    d.error(&p, format!("\"{s}\" is listed twice"), None);
                }
                set[w as usize] = true;
            }
            Err(e) => {
                ok = false;
                // In a list of several, the hint lists every entry's days, not only this one's
                // (["Mon-Wed", "Fri"] had been told to write ["Mon", "Tue", "Wed"]).
                let whole = units::weekdays_in_text(s)
                    .filter(|_| list.len() > 1)
                    .and_then(|_| units::weekdays_in_list(list));
                let hint = match whole {
                    Some(days) => Some(format!(
                        "write them one by one: days = {}",
                        units::toml_list(&days)
                    )),
                    None => e.hint,
                };
                d.error(&p, e.message, hint);
            }
        }
    }
    ok.then_some(set)
}

fn hours(d: &mut Diags, path: &str, v: Option<&Vec<String>>) -> Option<Option<(f64, f64)>> {
    let Some(list) = v else { return Some(None) };
    if list.len() != 2 {
        // One text holding both times ("08:00-18:00"): those two.
        let hint = match list.as_slice() {
            [one] => {
                units::hours_in_text(one).map(|t| format!("write hours = {}", units::toml_list(&t)))
            }
            _ => None,
        };
        d.error(
            path,
            format!(
                "`hours` needs exactly two times (open, close), found {}",
                list.len()
            ),
            Some(hint.unwrap_or_else(|| {
                r#"write hours = ["08:00", "18:00"]; omit it for all day"#.into()
            })),
        );
        return None;
    }
    let mut t = [0.0; 2];
    let mut ok = true;
    for (i, s) in list.iter().enumerate() {
        match units::parse_time_of_day(s) {
            Ok(x) => t[i] = x,
            Err(e) => {
                ok = false;
                d.error(&format!("{path}[{}]", i + 1), e.message, e.hint);
            }
        }
    }
    if !ok {
        return None;
    }
    let (open, close) = (t[0], t[1]);
    if open >= 1.0 {
        d.error(
            &format!("{path}[1]"),
            "opening at 24:00 is not allowed",
            Some(r#"write "00:00""#.into()),
        );
        return None;
    }
    if open == close || (open == 0.0 && close == 1.0) {
        if open == close {
            d.error(
                path,
                "opening and closing times are equal: open for no time at all",
                Some(r#"omit `hours` to be open all day, or write e.g. ["08:00", "18:00"]"#.into()),
            );
            return None;
        }
        return Some(None); // 00:00 to 24:00 = all day
    }
    // A close of 24:00 is midnight; a close before the open wraps past midnight (said, as it
    // is also what two times written the wrong way round give).
    let close = if close >= 1.0 { 1.0 } else { close };
    Some(Some((open, close)))
}

/// The warning for hours that wrap past midnight (a close before the open, said as it is also
/// what two times written the wrong way round give). With every day open (or `days` not read)
/// it is one night shift a night; with some days closed it says what runs: the hours after
/// midnight belong to the day they fall on (MODEL.md), so a day in `days` opens 00:00–close
/// and open–24:00, and a night shift into a day not in `days` ends at midnight.
fn overnight(
    d: &mut Diags,
    path: &str,
    list: &[String],
    open: f64,
    close: f64,
    days: Option<&DaySet>,
) {
    // (A close of 00:00 is the same midnight as 24:00: no warning.)
    if !(close < open && close > 0.0) {
        return;
    }
    let reverse = format!(
        "if you meant {} to {}, write [\"{}\", \"{}\"]",
        list[1], list[0], list[1], list[0]
    );
    let days = days.filter(|days| !days.iter().all(|&on| on));
    let Some(days) = days else {
        let minutes = ((1.0 - open + close) * 1440.0).round();
        let span = if minutes < 60.0 {
            format!("{minutes} min")
        } else {
            format!("{} h", (minutes / 60.0 * 100.0).round() / 100.0)
        };
        d.warn(
            path,
            format!(
                "open from {} to {} the next day ({span} overnight); {reverse}",
                list[0], list[1]
            ),
        );
        return;
    };
    // A day in `days` whose next day is not: its night shift is the one cut at midnight (none
    // when `days` is empty, which `days` warns of as never open).
    let Some(cut) = (0..7).find(|&i| days[i] && !days[(i + 1) % 7]) else {
        return;
    };
    let (day, next) = (units::WEEKDAYS[cut], units::WEEKDAYS[(cut + 1) % 7]);
    d.warn(
        path,
        format!(
            "open on each day in `days` ({}), 00:00–{} and {}–24:00 (the hours after midnight \
             belong to the day they fall on, not to the night before): for a night shift from \
             {day} {} to {next} {}, add {next} to `days`; {reverse}",
            units::days_text(days),
            list[1],
            list[0],
            list[0],
            list[1]
        ),
    );
}

/// Where the warning that a stage (table `label`) is never open goes: at its `days` when that
/// list is empty, else at the table.
fn never_open_at(label: &str, days: Option<&Vec<String>>) -> String {
    match days {
        Some(list) if list.is_empty() => join(label, "days"),
        _ => label.to_string(),
    }
}

/// The warning that `stage` (`screening`, `port P`) is never open, with why and `then`, what
/// follows (`it never serves`): the one warning of an empty `days`.
fn never_open(stage: &str, days: Option<&Vec<String>>, then: &str) -> String {
    match days {
        Some(list) if list.is_empty() => format!("{stage} is never open: `days` is empty; {then}"),
        _ => format!("{stage} is never open: {then}"),
    }
}

fn schedule(
    d: &mut Diags,
    prefix: &str,
    h: Option<&Vec<String>>,
    ds: Option<&Vec<String>>,
    start_weekday: u8,
) -> Option<Schedule> {
    let hours = hours(d, &join(prefix, "hours"), h);
    let days = days(d, &join(prefix, "days"), ds);
    if let (Some(Some((open, close))), Some(list)) = (hours, h) {
        overnight(d, &join(prefix, "hours"), list, open, close, days.as_ref());
    }
    Some(Schedule {
        hours: hours?,
        days: days?,
        start_weekday,
    })
}

// ---------------------------------------------------------------------------------------------
// The whole scenario

fn cohort_people(d: &mut Diags, path: &str, v: i64) -> Option<u64> {
    if v < 0 {
        d.error(path, format!("{v} people is negative"), None);
        return None;
    }
    if v > MAX_COHORT_PEOPLE {
        d.error(
            path,
            format!(
                "{v} people is more than the 100,000,000 a cohort may hold (the MPP backlog was \
                 about 25,000)"
            ),
            None,
        );
        return None;
    }
    Some(v as u64)
}

/// An error when `name` (at key `key`, a `what` name) is longer than [`MAX_NAME_CHARS`].
/// Index among `names` (the origins or the ports) of the name a route's `from` or `to` gives
/// at `key`; `None` after reporting it missing (with `missing`) or unknown (an unknown `what`).
/// `unnamed` sections of its kind have no `name` (their own error says so): the hint for an
/// unknown name says that, not that there are none.
fn route_end(
    d: &mut Diags,
    key: &str,
    given: Option<&str>,
    (names, unnamed): (&[&str], usize),
    missing: &str,
    what: &str,
) -> Option<usize> {
    let Some(given) = given else {
        d.missing(key, missing, Some(name_hint("", names.iter().copied())));
        return None;
    };
    let i = names.iter().position(|n| *n == given);
    // A section written in the wrong shape (`[port]` for `[[port]]`) was not read: its names
    // are not unknown, and the section's own error says what to write.
    if i.is_none() && !d.poisoned.contains(what) {
        let hint = name_hint(given, names.iter().copied());
        let (many, have) = if unnamed == 1 {
            ("", "has")
        } else {
            ("s", "have")
        };
        let hint = match unnamed {
            0 => hint,
            _ if names.is_empty() => format!(
                "the {what}{many} written {have} no `name`: add name = \"{given}\" to the one \
                 meant"
            ),
            _ => format!(
                "{hint}; {unnamed} {what}{many} {have} no `name` (add name = \"{given}\" to the \
                 one meant)"
            ),
        };
        d.unknown(key, format!("unknown {what} \"{given}\""), Some(hint));
    }
    i
}

fn name_length(d: &mut Diags, key: &str, what: &str, name: &str) {
    let n = name.chars().count();
    if n > MAX_NAME_CHARS {
        d.error(
            key,
            format!("the {what} name is {n} characters long; at most {MAX_NAME_CHARS}"),
            Some("shorten it: tables, charts and reports print names in full".into()),
        );
    }
}

fn unique_names<'a>(d: &mut Diags, what: &str, items: impl Iterator<Item = (&'a str, &'a str)>) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (label, name) in items {
        name_length(d, &join(label, "name"), what, name);
        // Output columns and daily.csv series join a metric and a name with ':'
        // (`processed:P`, `processed:class:vip`): a ':' in a name would make two the same.
        if name.contains(':') && ["port", "origin", "class"].contains(&what) {
            d.error(
                &join(label, "name"),
                format!(
                    "{what} name \"{name}\" contains ':', which the outputs put between a \
                     metric and a name (replications.csv column processed:{name}, daily.csv \
                     series waiting:{name}), so two columns or series could read the same"
                ),
                Some(format!(
                    "rename it without ':', e.g. name = \"{}\" (and where routes and \
                     disruptions name it)",
                    name.replace(':', "-")
                )),
            );
        }
        if let Some(first) = seen.get(name) {
            d.error(
                &join(label, "name"),
                format!("{what} name \"{name}\" is used twice (first by {first})"),
                Some(format!("give every {what} its own name")),
            );
        } else {
            seen.insert(name, label);
        }
    }
}

/// Validate a raw file. Returns the scenario only if no error was reported (into `d`).
pub fn validate(raw: &RawFile, file: &str, d: &mut Diags) -> Option<Scenario> {
    // [scenario]
    let default_meta = RawMeta::default();
    let meta = match &raw.scenario {
        Some(m) => m,
        None => {
            if !d.poisoned.contains("scenario") {
                d.error(
                    "",
                    "missing [scenario] table",
                    Some(r#"start the file with [scenario] and name = "…""#.into()),
                );
            }
            &default_meta
        }
    };
    let name = match &meta.name {
        Some(n) if !n.trim().is_empty() => {
            name_length(d, "scenario.name", "scenario", n);
            Some(n.clone())
        }
        Some(_) => {
            d.error("scenario.name", "the scenario name is empty", None);
            None
        }
        None => {
            if raw.scenario.is_some() {
                d.missing(
                    "scenario.name",
                    "missing scenario name",
                    Some(r#"add name = "…" under [scenario]"#.into()),
                );
            }
            None
        }
    };
    d.start_date_default = meta.start_date.is_none();
    let start_date = match &meta.start_date {
        None => NaiveDate::from_ymd_opt(2021, 1, 1),
        Some(RawDate(s)) => match units::parse_date(s) {
            Ok(x) => Some(x),
            Err(e) => {
                d.error("scenario.start_date", e.message, e.hint);
                None
            }
        },
    };
    d.start_date = start_date;
    let wd = start_date
        .map(|s| s.weekday().num_days_from_monday() as u8)
        .unwrap_or(0);
    let horizon =
        opt_duration(d, "scenario.horizon", meta.horizon.as_ref(), 3650.0).and_then(|h| {
            if h <= 0.0 {
                d.error(
                    "scenario.horizon",
                    "the horizon must be longer than 0",
                    None,
                );
                None
            } else if h > MAX_HORIZON_DAYS {
                d.error(
                    "scenario.horizon",
                    format!(
                        "a horizon of {h} days is longer than the 36,500 days (100 years) accepted"
                    ),
                    None,
                );
                None
            } else {
                Some(h)
            }
        });
    if let (Some(start), Some(h)) = (start_date, horizon) {
        if super::types::runs_past_year_9999(start, h) {
            d.error(
                "scenario.start_date",
                format!(
                    "starting on {start}, a horizon of {h} days runs past 9999-12-31, the last \
                     date written"
                ),
                Some("start earlier or shorten the horizon".into()),
            );
        }
    }
    let seed = match meta.seed {
        None => Some(1),
        Some(s) if s < 0 => {
            d.error("scenario.seed", format!("seed {s} is negative"), None);
            None
        }
        Some(s) => Some(s as u64),
    };
    let replications = match meta.replications {
        None => Some(100),
        Some(r) if (1..=MAX_REPLICATIONS).contains(&r) => Some(r as u32),
        Some(r) => {
            d.error(
                "scenario.replications",
                format!("{r} replications: give between 1 and 1,000,000"),
                None,
            );
            None
        }
    };
    let warmup = opt_duration(d, "scenario.warmup", meta.warmup.as_ref(), 0.0);
    if let (Some(w), Some(h)) = (warmup, horizon) {
        if w >= h {
            let show = super::units::duration_text;
            d.error(
                "scenario.warmup",
                format!(
                    "the warmup ({}) is not shorter than the horizon ({}): waits count only \
                     groups registered at or after the warmup, so no wait would be measured",
                    show(w),
                    show(h)
                ),
                Some(format!(
                    "shorten the warmup below {} (or leave it out: 0d), or lengthen the horizon \
                     beyond it",
                    show(h)
                )),
            );
        }
    }
    let h = horizon.unwrap_or(3650.0);
    // The horizon in messages, as written (`"365d"`), or its length when the default.
    let horizon_text = as_written(meta.horizon.as_ref(), h);
    // A horizon refused above has its own error: nothing is compared with it (the default
    // standing in for it would be quoted as if written).
    let horizon_ok = horizon.is_some();

    // [backlog]
    let default_backlog = RawBacklog::default();
    let bl = raw.backlog.as_ref().unwrap_or(&default_backlog);
    let backlog_people = match bl.people {
        None => Some(0),
        Some(p) => cohort_people(d, "backlog.people", p),
    };
    let gs = group_size(d, "backlog.group_size", bl.group_size.as_ref());

    // More origins, ports or routes than any border operation has: the capacity analysis
    // (`explain`, and `run` before it simulates) compares them pairwise, so thousands take
    // minutes. Refused before anything else is checked.
    let mut too_many = false;
    for (what, n) in [
        ("origin", raw.origins.len()),
        ("port", raw.ports.len()),
        ("route", raw.routes.len()),
    ] {
        if n > MAX_ORIGINS_PORTS_ROUTES {
            too_many = true;
            d.error(
                what,
                format!(
                    "{n} [[{what}]] sections; at most {MAX_ORIGINS_PORTS_ROUTES}: the capacity \
                     analysis compares {what}s pairwise, so thousands would take minutes, and \
                     no border operation has that many"
                ),
                Some(format!(
                    "merge {what}s that share their capacities and times into one (shares and \
                     quotas add up), or split the scenario by region"
                )),
            );
        }
    }
    if too_many {
        return None;
    }

    // [[origin]]
    if raw.origins.is_empty() && !d.poisoned.contains("origin") {
        d.error(
            "",
            "no [[origin]]: at least one origin is needed",
            Some("add [[origin]] with name = \"…\" and share = 1.0".into()),
        );
    }
    let (origins, origins_ok) = named_shares(d, "origin", &raw.origins);
    let origins: Vec<Origin> = origins
        .into_iter()
        .map(|(name, share)| Origin { name, share })
        .collect();
    // [[class]] (addition): priority classes, highest first; omitted = one class "all".
    let (classes, classes_ok) = named_shares(d, "class", &raw.classes);
    let classes: Vec<Class> = if raw.classes.is_empty() {
        vec![Class {
            name: "all".into(),
            share: 1.0,
        }]
    } else {
        classes
            .into_iter()
            .map(|(name, share)| Class { name, share })
            .collect()
    };
    if classes.len() > 64 {
        d.error("class", "at most 64 priority classes are supported", None);
    }
    let origin_names: Vec<&str> = raw
        .origins
        .iter()
        .filter_map(|(_, o)| o.name.as_deref())
        .collect();

    // [registration]
    let default_reg = RawRegistration::default();
    let reg = raw.registration.as_ref().unwrap_or(&default_reg);
    let delay = dist_opt(d, "registration.delay", reg.delay.as_ref());
    let never = match reg.never {
        None => Some(0.0),
        Some(p) => probability(d, "registration.never", p, "no group would ever register"),
    };

    // [screening]
    let screening = raw.screening.as_ref().map(|s| {
        let sv = servers(d, "screening.servers", "screening", s.servers);
        let service = dist_opt(d, "screening.service", s.service.as_ref());
        let sched = schedule(d, "screening", s.hours.as_ref(), s.days.as_ref(), wd);
        if let Some(sc) = &sched {
            if sc.is_never() {
                d.warn(
                    &never_open_at("screening", s.days.as_ref()),
                    never_open("screening", s.days.as_ref(), "nobody is ever screened"),
                );
            }
        }
        Some(Screening {
            servers: sv?,
            service: service?,
            schedule: sched?,
        })
    });

    // [health]
    let health = raw.health.as_ref().map(|hl| {
        let turnaround = dist_opt(d, "health.turnaround", hl.turnaround.as_ref());
        let positive = match hl.positive {
            None => Some(0.0),
            Some(p) => probability(
                d,
                "health.positive",
                p,
                "every test would be positive and groups would isolate forever",
            ),
        };
        let isolation = dist_opt(d, "health.isolation", hl.isolation.as_ref());
        let positive = positive.and_then(|p| {
            if p > 0.999_999 {
                d.error(
                    "health.positive",
                    format!(
                        "positive = {p}: a group would be tested {:.0} times on average before a \
                         negative test; at most 0.999999 (a million tests)",
                        1.0 / (1.0 - p)
                    ),
                    None,
                );
                None
            } else {
                Some(p)
            }
        });
        if let Some(p) = positive.filter(|p| *p >= 0.999) {
            d.warn(
                "health.positive",
                format!(
                    "positive = {p}: a group is tested {:.0} times on average before a negative \
                     test (1 / (1 − positive)); runs may be slow, and groups whose check outlasts \
                     the horizon are never ready",
                    1.0 / (1.0 - p)
                ),
            );
        }
        let share = match hl.share {
            None => Some(1.0),
            Some(x) => finite(d, "health.share", x).and_then(|x| {
                if (0.0..=1.0).contains(&x) {
                    Some(x)
                } else {
                    d.error(
                        "health.share",
                        format!(
                            "share {x} is not between 0 and 1: the share of groups that need the \
                             check (1, the default, is every group)"
                        ),
                        // 30 for 30%: say how to write it.
                        (x > 1.0 && x <= 100.0).then(|| format!("for {x}%, write {}", percent(x))),
                    );
                    None
                }
            }),
        };
        Some(Health {
            turnaround: turnaround?,
            positive: positive?,
            isolation: isolation?,
            share: share?,
        })
    });

    // [attrition]
    let hazard = match raw.attrition.as_ref().and_then(|a| a.hazard_per_day) {
        None => Some(0.0),
        Some(x) => {
            let h = non_negative(d, "attrition.hazard_per_day", x);
            // Drop-outs within days of registering are more likely a percentage written as a
            // number (5 for 5% a day) than meant: such a run "clears" as everyone drops out.
            // From 0.02 (more than 45% gone within 30 days) it is more likely a share a month
            // written as a rate a day (0.05 for 5% a month, 30 times too high).
            if let Some(h) = h.filter(|&h| (0.02..0.1).contains(&h)) {
                let gone = 100.0 * (1.0 - (-30.0 * h).exp());
                d.warn(
                    "attrition.hazard_per_day",
                    format!(
                        "hazard_per_day = {h}: {gone:.0}% of those not yet boarded drop out \
                         within 30 days (it is a rate per day){}",
                        units::share_per_period_hint(h, "month")
                            .map(|m| format!("; {m}"))
                            .unwrap_or_default()
                    ),
                );
            }
            if let Some(h) = h.filter(|&h| h >= 0.1) {
                let half = std::f64::consts::LN_2 / h;
                d.warn(
                    "attrition.hazard_per_day",
                    format!(
                        "hazard_per_day = {}: half of those not yet boarded drop out within {}{}",
                        short_num(h),
                        short_span(half),
                        if h <= 100.0 {
                            format!(
                                "; if you meant {h}% a day, write hazard_per_day = {}",
                                percent(h)
                            )
                        } else {
                            String::new()
                        }
                    ),
                );
            }
            h
        }
    };

    // [dispatch]
    let policy = match raw.dispatch.as_ref().and_then(|x| x.policy.as_deref()) {
        // A policy already reported as wrong (`policy = ["appointment"]`, `policy = 100`, or
        // [dispatch] not a table) is no policy: nothing is checked under the default "fifo"
        // it would otherwise fall back to.
        None if d.poisoned.contains("dispatch.policy") || d.poisoned.contains("dispatch") => None,
        None | Some("fifo") => Some(Policy::Fifo),
        Some("appointment") => Some(Policy::Appointment),
        Some(other) => {
            d.error(
                "dispatch.policy",
                format!("unknown policy \"{other}\""),
                Some(name_hint(other, ["fifo", "appointment"])),
            );
            None
        }
    };
    let choose = match raw.dispatch.as_ref().and_then(|x| x.choose_port.as_deref()) {
        None | Some("first") => Some(ChoosePort::First),
        Some("shortest_queue") => Some(ChoosePort::ShortestQueue),
        Some(other) => {
            d.error(
                "dispatch.choose_port",
                format!("unknown choose_port \"{other}\""),
                Some(name_hint(other, ["first", "shortest_queue"])),
            );
            None
        }
    };

    // [[port]]
    if raw.ports.is_empty() && !d.poisoned.contains("port") {
        d.error(
            "",
            "no [[port]]: at least one port of entry is needed",
            Some("add [[port]] with name = \"…\"".into()),
        );
    }
    let max_group = gs.as_ref().map(|g| g.max_drawn()).unwrap_or(1);
    let mut ports = Vec::new();
    let mut ports_ok = true;
    for (label, p) in &raw.ports {
        let name = p.name.clone().filter(|n| !n.trim().is_empty());
        if name.is_none() {
            d.missing(
                &join(label, "name"),
                "missing port name",
                Some(r#"add name = "…""#.into()),
            );
        }
        let opens = opt_duration(d, &join(label, "opens"), p.opens.as_ref(), 0.0);
        if let Some(o) = opens {
            if horizon_ok && o >= h {
                d.warn(
                    &join(label, "opens"),
                    format!(
                        "{} never opens within the horizon: `opens` ({}) is {} the horizon \
                         ({horizon_text}); it never serves, so nobody passes it",
                        crate::format::port_named(name.as_deref().unwrap_or_default()),
                        as_written(p.opens.as_ref(), o),
                        if o > h { "after" } else { "at" }
                    ),
                );
            }
        }
        let qp = join(label, "quota_per_day");
        let quota = match p.quota_per_day {
            None => Some(None),
            Some(q) => count(d, &qp, q, MAX_CAPACITY, "people a day").map(|q| Some(q as u32)),
        };
        // The ramp's own fields are checked whether or not the quota it needs is there, so that
        // one pass reports every problem.
        let ramp = match &p.ramp {
            None => Some(None),
            Some(r) => {
                let rp = join(label, "ramp");
                let from = match r.from {
                    None => {
                        d.missing(
                            &join(&rp, "from"),
                            "`ramp` is missing `from` (the quota on the opening day)",
                            Some(r#"write ramp = { from = 25, over = "14d" }"#.into()),
                        );
                        None
                    }
                    Some(f) => non_negative(d, &join(&rp, "from"), f),
                };
                let over = match &r.over {
                    None => {
                        d.missing(
                            &join(&rp, "over"),
                            "`ramp` is missing `over` (how long the ramp takes)",
                            Some(r#"write ramp = { from = 25, over = "14d" }"#.into()),
                        );
                        None
                    }
                    Some(o) => duration(d, &join(&rp, "over"), o).and_then(|o| {
                        if o > 0.0 {
                            Some(o)
                        } else {
                            // A ramp from the quota itself is no ramp, and can be written
                            // where `ramp` cannot be removed (over a base's ramp under
                            // `extends`, or with --set).
                            let q = match quota {
                                Some(Some(q)) => q.to_string(),
                                _ => "QUOTA".to_string(),
                            };
                            d.error(
                                &join(&rp, "over"),
                                "`over` must be longer than 0",
                                Some(format!(
                                    "for no ramp, start it at the quota: write ramp = {{ from = \
                                     {q}, over = \"1d\" }} (the quota_per_day from the opening \
                                     day on), or remove `ramp` where it is set"
                                )),
                            );
                            None
                        }
                    }),
                };
                match quota {
                    // A quota already reported as wrong is not also reported as missing.
                    Some(None) if d.poisoned.contains(&qp) => None,
                    Some(None) => {
                        d.error(
                            &rp,
                            "`ramp` needs `quota_per_day` (the quota it ramps up to)",
                            Some("add quota_per_day = … or remove ramp".into()),
                        );
                        None
                    }
                    q => {
                        if let (Some(f), Some(Some(q))) = (from, q) {
                            if q == 0 && f < 1.0 {
                                // A ramp from below 1 to 0 never gives a whole person: the
                                // quota's own warning says the port takes nobody.
                            } else if f > q as f64 && q == 0 {
                                // Down to nothing: the port serves while the ramp lasts, then
                                // nobody for the rest of the run.
                                let when = over.map_or("once the ramp ends".to_string(), |o| {
                                    format!("from {} after it opens", crate::format::days_text(o))
                                });
                                d.warn(&rp, format!("ramp.from ({f}) is above quota_per_day (0): the quota ramps down to 0, so {when} the port takes nobody: people who still need it then are never processed"));
                            } else if f > q as f64 {
                                d.warn(&rp, format!("ramp.from ({f}) is above quota_per_day ({q}): the quota ramps down"));
                            }
                        }
                        match (from, over) {
                            (Some(from), Some(over)) => Some(Some(Ramp { from, over })),
                            _ => None,
                        }
                    }
                }
            }
        };
        let sv = servers(
            d,
            &join(label, "servers"),
            &crate::format::port_named(name.as_deref().unwrap_or_default()),
            p.servers,
        );
        let service = dist_opt(d, &join(label, "service"), p.service.as_ref());
        let sched = schedule(d, label, p.hours.as_ref(), p.days.as_ref(), wd);
        if let Some(sc) = &sched {
            if sc.is_never() {
                let stage = crate::format::port_named(name.as_deref().unwrap_or_default());
                d.warn(
                    &never_open_at(label, p.days.as_ref()),
                    never_open(&stage, p.days.as_ref(), "nobody passes it"),
                );
            }
        }
        let holding = match p.holding {
            None => Some(None),
            Some(x) => {
                count(d, &join(label, "holding"), x, MAX_CAPACITY, "people").map(|x| Some(x as u64))
            }
        };
        let nm = name.clone().unwrap_or_default();
        if let (Some(None), Some(None)) = (quota, sv) {
            d.warn(
                label,
                format!(
                    "{} has neither servers nor quota_per_day: it limits nothing",
                    crate::format::port_named(&nm)
                ),
            );
        }
        if let Some(Some(q)) = quota {
            let ramp_from = ramp.as_ref().and_then(|r| r.as_ref()).map(|r| r.from);
            if q == 0 && p.ramp.is_none() {
                d.warn(
                    &qp,
                    format!(
                        "{} has quota_per_day = 0: nobody is ever processed there",
                        crate::format::port_named(&nm)
                    ),
                );
            } else if let Some(f) = ramp_from.filter(|f| q == 0 && *f < 1.0) {
                // The quota is floor(from … 0) = 0 every day: the port has no capacity, said
                // once, here (`model::blocked` names these words as said at load).
                d.warn(
                    &qp,
                    format!(
                        "{}: nobody is ever processed there",
                        crate::model::blocked::zero_quota_ramp_words(&nm, f)
                    ),
                );
            } else if (q as u64) < max_group as u64 {
                // Under strict fifo (MODEL.md §1.6) a group that never fits stays at the head
                // of the port's queue: nobody behind it is processed there either.
                let fifo_stall = if policy == Some(Policy::Fifo) {
                    ", and under fifo the first such group stalls the port's whole queue \
                     behind it: nobody after it is processed there"
                } else {
                    ""
                };
                // Under a ramp down from a quota they fit, such groups fit while the ramp lasts:
                // for a ramp down to 0 its own warning says when the port stops taking anyone.
                match ramp.as_ref().and_then(|r| r.as_ref()).map(|r| r.from) {
                    Some(_) if q == 0 => {}
                    Some(f) if f >= max_group as f64 => d.warn(&qp, format!("quota_per_day ({q}) is smaller than the largest group ({max_group}): once the ramp down from {f} brings the quota below {max_group}, such groups never fit{}", fifo_stall)),
                    _ => d.warn(&qp, format!("quota_per_day ({q}) is smaller than the largest group ({max_group}): such groups never fit{}", fifo_stall)),
                }
            }
        }
        if let Some(Some(x)) = holding {
            if x == 0 {
                d.warn(
                    &join(label, "holding"),
                    format!(
                        "{} has holding = 0: nobody may travel to it, so nobody passes it",
                        crate::format::port_named(&nm)
                    ),
                );
            } else if x < max_group as u64 {
                d.warn(&join(label, "holding"), format!("holding ({x}) is smaller than the largest group ({max_group}): such groups can never travel to {}", crate::format::port_named(&nm)));
            }
        }
        match (name, opens, quota, ramp, sv, service, sched, holding) {
            (
                Some(name),
                Some(opens),
                Some(quota_per_day),
                Some(ramp),
                Some(servers),
                Some(service),
                Some(schedule),
                Some(holding),
            ) => ports.push(Port {
                name,
                opens,
                quota_per_day,
                ramp,
                servers,
                service,
                schedule,
                holding,
            }),
            _ => ports_ok = false,
        }
    }
    unique_names(
        d,
        "port",
        raw.ports
            .iter()
            .filter_map(|(l, p)| p.name.as_deref().map(|n| (l.as_str(), n))),
    );
    let port_names: Vec<&str> = raw
        .ports
        .iter()
        .filter_map(|(_, p)| p.name.as_deref())
        .collect();

    // [[route]]
    let mut routes = Vec::new();
    let mut routes_ok = true;
    let mut route_names: Vec<(String, String)> = Vec::new(); // (label, name)
    for (label, r) in &raw.routes {
        let from = route_end(
            d,
            &join(label, "from"),
            r.from.as_deref(),
            (&origin_names, raw.origins.len() - origin_names.len()),
            "missing `from` (the origin the route leaves from)",
            "origin",
        );
        let to = route_end(
            d,
            &join(label, "to"),
            r.to.as_deref(),
            (&port_names, raw.ports.len() - port_names.len()),
            "missing `to` (the port the route goes to)",
            "port",
        );
        let rname = match &r.name {
            Some(n) if !n.trim().is_empty() => {
                name_length(d, &join(label, "name"), "route", n);
                n.clone()
            }
            _ => format!(
                "{}->{}",
                r.from.as_deref().unwrap_or("?"),
                r.to.as_deref().unwrap_or("?")
            ),
        };
        route_names.push((label.clone(), rname.clone()));
        let dp = join(label, "departures");
        let departures = match &r.departures {
            None => Some(Departures::Continuous),
            Some(RawDepartures::Text(s)) if s == "continuous" => Some(Departures::Continuous),
            Some(RawDepartures::Text(s)) => {
                d.error(
                    &dp,
                    format!("\"{s}\" is neither \"continuous\" nor a list of times"),
                    Some(
                        r#"write departures = ["07:00", "12:00"] or departures = "continuous""#
                            .into(),
                    ),
                );
                None
            }
            Some(RawDepartures::Times(ts)) => {
                let mut out: Vec<(f64, usize)> = Vec::new();
                let mut ok = true;
                if ts.is_empty() {
                    ok = false;
                    d.error(
                        &dp,
                        "no departure times",
                        Some(
                            r#"list at least one time, e.g. ["07:00"], or write "continuous""#
                                .into(),
                        ),
                    );
                }
                for (i, s) in ts.iter().enumerate() {
                    let p = format!("{dp}[{}]", i + 1);
                    match units::parse_time_of_day(s) {
                        Ok(t) if t >= 1.0 => {
                            ok = false;
                            d.error(
                                &p,
                                "a departure at 24:00 is not allowed",
                                Some(r#"write "00:00""#.into()),
                            );
                        }
                        Ok(t) => {
                            if let Some((_, j)) = out.iter().find(|(x, _)| *x == t) {
                                ok = false;
                                d.error(
                                    &p,
                                    format!(
                                        "departure \"{s}\" is listed twice (also departure {})",
                                        j + 1
                                    ),
                                    Some(
                                        "remove the duplicate; give more seats for a bigger bus"
                                            .into(),
                                    ),
                                );
                            } else {
                                out.push((t, i));
                            }
                        }
                        Err(e) => {
                            ok = false;
                            d.error(&p, e.message, e.hint);
                        }
                    }
                }
                out.sort_by(|a, b| a.0.total_cmp(&b.0));
                ok.then(|| Departures::Scheduled(out.into_iter().map(|(t, _)| t).collect()))
            }
        };
        let rdays = days(d, &join(label, "days"), r.days.as_ref());
        if let (Some(Departures::Scheduled(_)), Some(list)) = (&departures, &r.days) {
            if list.is_empty() {
                d.warn(
                    &join(label, "days"),
                    format!(
                        "route {rname} runs on no day of the week: `days` is empty; nobody \
                         boards it"
                    ),
                );
            }
        }
        let sp = join(label, "seats");
        let seats = match r.seats {
            None => Some(None),
            Some(s) => count(d, &sp, s, MAX_CAPACITY, "seats").map(|s| Some(s as u32)),
        };
        if let (Some(Departures::Continuous), Some(Some(_))) = (&departures, seats) {
            d.warn(
                &sp,
                "a continuous route has no seat limit: `seats` is ignored",
            );
        }
        if let (Some(Departures::Continuous), Some(_)) = (&departures, &r.days) {
            d.warn(
                &join(label, "days"),
                "a continuous route has no schedule: `days` is ignored",
            );
        }
        if let (Some(Departures::Scheduled(_)), Some(Some(s))) = (&departures, seats) {
            if s == 0 {
                d.warn(
                    &sp,
                    format!("route {rname} has seats = 0: no capacity at all; nobody boards it"),
                );
            } else if s < max_group {
                d.warn(&sp, format!("seats ({s}) is smaller than the largest group ({max_group}): such groups never board"));
            }
        }
        let travel = dist_opt(d, &join(label, "travel"), r.travel.as_ref());
        match (from, to, departures, rdays, seats, travel) {
            (Some(origin), Some(port), Some(departures), Some(days), Some(seats), Some(travel)) => {
                // Under fifo nothing at boarding looks at whether the port is open.
                let opens = ports.get(port).filter(|_| ports_ok).map(|p: &Port| p.opens);
                if let (Some(Policy::Fifo), Some(o)) = (policy, opens) {
                    if o > 0.0 {
                        // A continuous route has no buses: it takes each group as soon as it
                        // is ready.
                        let carry = match departures {
                            Departures::Continuous => format!(
                                "the continuous route {rname} takes each group to {} as soon as \
                                 it is ready, also before the port opens",
                                port_names[port]
                            ),
                            Departures::Scheduled(_) => format!(
                                "buses on route {rname} carry people to {} before it opens",
                                port_names[port]
                            ),
                        };
                        d.warn(
                            label,
                            format!(
                                "under dispatch.policy = \"fifo\" {carry} (day {}), \
                                 {BEFORE_PORT_OPENS}; policy = \"appointment\" books travel only for days a \
                                 port serves",
                                (o * 1e6).round() / 1e6
                            ),
                        );
                    }
                }
                routes.push(Route {
                    name: rname,
                    origin,
                    port,
                    departures,
                    days,
                    seats,
                    travel,
                })
            }
            _ => routes_ok = false,
        }
    }
    {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for (label, name) in &route_names {
            if let Some(first) = seen.get(name.as_str()) {
                d.error(
                    label,
                    format!("route name \"{name}\" is used twice (first by {first})"),
                    Some("give each route between the same origin and port its own `name`".into()),
                );
            } else {
                seen.insert(name, label);
            }
        }
    }
    // (a route whose `from` is wrong may be the one meant to leave it)
    let from_wrong = raw
        .routes
        .iter()
        .any(|(label, _)| d.poisoned.contains(&join(label, "from")));
    for (label, o) in &raw.origins {
        if let Some(n) = &o.name {
            if !d.poisoned.contains("route")
                && !from_wrong
                && !raw
                    .routes
                    .iter()
                    .any(|(_, r)| r.from.as_deref() == Some(n.as_str()))
            {
                d.error(
                    label,
                    format!("origin \"{n}\" has no route: its groups could never leave"),
                    Some(format!("add [[route]] with from = \"{n}\" and to = a port")),
                );
            }
        }
    }

    for (label, p) in &raw.ports {
        let Some(n) = p.name.as_deref() else { continue };
        if raw.routes.iter().any(|(_, r)| r.to.as_deref() == Some(n)) {
            continue;
        }
        // A port a variant adds under a name close to one of its base's: a misspelt change.
        if let Some((_, near, base)) = d.inherited.near_ports.iter().find(|x| x.0 == n).cloned() {
            d.error(
                &join(label, "name"),
                format!(
                    "port \"{n}\" matches no port of the base {base}, so this [[port]] adds a \
                     new port, and no route leads to it: the changes written under it apply to \
                     nothing"
                ),
                Some(format!(
                    "did you mean \"{near}\"? write name = \"{near}\" to change the base's \
                     port (a new port needs a [[route]] with to = \"{n}\")"
                )),
            );
            continue;
        }
        // A name is suggested only where it may be the same port misspelt: a route's `to`
        // that names no port, or another port that a route does reach (with no routes at all,
        // "did you mean" another port that no route reaches either was no help).
        let port_names: Vec<&str> = raw
            .ports
            .iter()
            .filter_map(|(_, q)| q.name.as_deref())
            .collect();
        let tos: Vec<&str> = raw
            .routes
            .iter()
            .filter_map(|(_, r)| r.to.as_deref())
            .collect();
        let unmatched_to = tos.iter().copied().filter(|t| !port_names.contains(t));
        let reached = port_names
            .iter()
            .copied()
            .filter(|&q| q != n && tos.contains(&q));
        let msg = if let Some(t) = closest(n, unmatched_to) {
            format!(
                "port \"{n}\" has no route to it: nobody is processed there. A [[route]] goes \
                 to \"{t}\", which names no port: if they are one port, write one name in both"
            )
        } else if let Some(c) = closest(n, reached) {
            format!(
                "port \"{n}\" has no route to it: nobody is processed there. Did you mean \
                 \"{c}\"? (In a file that extends another, a [[port]] whose name matches no \
                 port of the base is a new port.)"
            )
        } else {
            format!(
                "port \"{n}\" has no route to it: nobody is processed there (add a [[route]] \
                 with to = \"{n}\")"
            )
        };
        d.warn(label, msg);
    }

    // [[phase]]
    let mut phases = Vec::new();
    let mut phases_ok = true;
    for (i, (label, p)) in raw.phases.iter().enumerate() {
        let name = p.name.clone().unwrap_or_else(|| format!("phase {}", i + 1));
        let people = match p.people {
            None => {
                d.missing(
                    &join(label, "people"),
                    "missing `people` (the size of the phase)",
                    None,
                );
                None
            }
            Some(x) => cohort_people(d, &join(label, "people"), x),
        };
        let opens = match &p.opens {
            None => {
                d.missing(
                    &join(label, "opens"),
                    "missing `opens` (when the phase opens)",
                    Some(r#"write opens = "120d""#.into()),
                );
                None
            }
            Some(o) => duration(d, &join(label, "opens"), o),
        };
        if let Some(o) = opens {
            if horizon_ok && o >= h {
                d.warn(
                    &join(label, "opens"),
                    format!(
                        "the phase opens at `opens` ({}), {} the horizon ({horizon_text}): it \
                         never starts",
                        as_written(p.opens.as_ref(), o),
                        if o > h { "after" } else { "at" }
                    ),
                );
            }
        }
        match (people, opens) {
            (Some(people), Some(opens)) => phases.push(Cohort {
                name,
                people,
                opens,
            }),
            _ => phases_ok = false,
        }
    }

    unique_names(
        d,
        "phase",
        raw.phases
            .iter()
            .filter_map(|(l, p)| p.name.as_deref().map(|n| (l.as_str(), n))),
    );
    // An unnamed phase is called "phase N" by its place: a written name may take it.
    for (i, (unnamed, _)) in raw.phases.iter().enumerate() {
        if raw.phases[i].1.name.is_some() {
            continue;
        }
        let default = format!("phase {}", i + 1);
        for (label, p) in &raw.phases {
            if p.name.as_deref() == Some(default.as_str()) {
                d.error(
                    &join(label, "name"),
                    format!(
                        "phase name \"{default}\" is also the name of {unnamed}, which has no \
                         `name` and so is called \"{default}\" by its place: two phases would \
                         have the same name"
                    ),
                    Some(format!(
                        "give this phase another name, or give {unnamed} a name of its own \
                         (name = \"…\")"
                    )),
                );
            }
        }
    }

    // [inflow]
    let inflow = match &raw.inflow {
        None => Some(None),
        Some(f) => {
            let rate = match f.rate_per_day {
                None => {
                    d.missing(
                        "inflow.rate_per_day",
                        "missing `rate_per_day`",
                        Some("write rate_per_day = 2.5 (groups a day)".into()),
                    );
                    None
                }
                Some(r) => non_negative(d, "inflow.rate_per_day", r),
            };
            let from = opt_duration(d, "inflow.from", f.from.as_ref(), 0.0);
            let until = opt_duration(d, "inflow.until", f.until.as_ref(), h);
            if horizon_ok && f.until.is_none() && rate.is_some_and(|r| r > 0.0) && h.is_finite() {
                // A run ends only when the inflow is over: without `until`, at the horizon.
                d.warn(
                    "inflow.rate_per_day",
                    format!(
                        "the inflow has no `until`, so it lasts to the horizon ({horizon_text}): \
                         every replication runs that long, and waits, utilization and charts \
                         cover all of it (right for a steady-state study); to study a backlog, \
                         end the inflow with until = \"…d\" or shorten scenario.horizon"
                    ),
                );
            }
            // Starting at or after the horizon, it never starts (as a phase that opens
            // there); without `until`, a start after the horizon is refused below.
            let never_starts = from.filter(|&a| {
                horizon_ok && h.is_finite() && a >= h && (f.until.is_some() || a == h)
            });
            if let Some(a) = never_starts {
                d.warn(
                    "inflow.from",
                    format!(
                        "the inflow starts at `from` ({}), {} the horizon ({horizon_text}): it \
                         never starts",
                        as_written(f.from.as_ref(), a),
                        if a > h { "after" } else { "at" }
                    ),
                );
            }
            let ends_late = |b: f64| horizon_ok && f.until.is_some() && b > h;
            if let Some(b) = until.filter(|&b| ends_late(b) && never_starts.is_none()) {
                d.warn(
                    "inflow.until",
                    format!(
                        "the inflow ends at `until` ({}), after the horizon ({horizon_text}): it \
                         stops at the horizon",
                        as_written(f.until.as_ref(), b)
                    ),
                );
            }
            if let (Some(a), Some(b)) = (from, until) {
                if a > b && f.until.is_none() {
                    // No `until`: the inflow would end at the horizon, before it starts (not
                    // said of a horizon refused above: its error says it all).
                    if horizon_ok {
                        d.error(
                            "inflow.from",
                            format!(
                                "`from` ({}) is after the horizon ({horizon_text}), where an \
                             inflow without `until` ends",
                                as_written(f.from.as_ref(), a),
                            ),
                            Some(
                                "start the inflow before the horizon, or lengthen the horizon"
                                    .into(),
                            ),
                        );
                    }
                } else if a > b {
                    d.error(
                        "inflow.until",
                        format!(
                            "`until` ({}) is before `from` ({})",
                            as_written(f.until.as_ref(), b),
                            as_written(f.from.as_ref(), a)
                        ),
                        Some(format!(
                            "the inflow runs from `from` to `until`: give an `until` after \
                             `from`{}",
                            until_as_length(b, a, "the inflow")
                        )),
                    );
                }
            }
            match (rate, from, until) {
                (Some(r), Some(a), Some(b)) if a <= b => {
                    let expected = r * (b.min(h) - a).max(0.0);
                    if expected > MAX_INFLOW_GROUPS {
                        d.error("inflow.rate_per_day", format!("about {} inflow groups expected, more than the 100,000,000 accepted", fmt_estimate(expected)), None);
                        None
                    } else if r == 0.0 {
                        Some(None)
                    } else {
                        Some(Some(Inflow {
                            rate_per_day: r,
                            from: a,
                            until: b,
                        }))
                    }
                }
                _ => None,
            }
        }
    };

    // [[disruption]]
    let mut disruptions = Vec::new();
    let mut disruptions_ok = true;
    for (label, x) in &raw.disruptions {
        let mut ok = true;
        let mut dports = Vec::new();
        for (i, pn) in x.ports.iter().flatten().enumerate() {
            match port_names.iter().position(|p| p == pn) {
                Some(j) => dports.push(j),
                None if d.poisoned.contains("port") => ok = false,
                None => {
                    ok = false;
                    d.unknown(
                        &format!("{label}.ports[{}]", i + 1),
                        format!("unknown port \"{pn}\""),
                        Some(name_hint(pn, port_names.iter().copied())),
                    );
                }
            }
        }
        let mut droutes = Vec::new();
        for (i, rn) in x.routes.iter().flatten().enumerate() {
            match route_names.iter().position(|(_, n)| n == rn) {
                Some(j) => droutes.push(j),
                None if d.poisoned.contains("route") => ok = false,
                None => {
                    ok = false;
                    d.unknown(
                        &format!("{label}.routes[{}]", i + 1),
                        format!("unknown route \"{rn}\""),
                        Some(name_hint(rn, route_names.iter().map(|(_, n)| n.as_str()))),
                    );
                }
            }
        }
        let stage = match x.stage.as_deref() {
            None => false,
            Some("screening") => {
                if raw.screening.is_none() {
                    d.warn(
                        &join(label, "stage"),
                        "the scenario has no [screening]: this disruption changes nothing",
                    );
                }
                true
            }
            Some(s) => {
                ok = false;
                d.error(
                    &join(label, "stage"),
                    format!("unknown stage \"{s}\": only \"screening\" can be disrupted this way"),
                    Some(name_hint(s, ["screening"])),
                );
                false
            }
        };
        // (A key whose value was refused, `ports = "El Paso"`, has its own error.)
        let refused = ["ports", "routes", "stage"]
            .iter()
            .any(|k| d.poisoned.contains(&join(label, k)));
        if x.ports.as_ref().is_none_or(|v| v.is_empty())
            && x.routes.as_ref().is_none_or(|v| v.is_empty())
            && x.stage.is_none()
            && !refused
        {
            ok = false;
            d.error(
                label,
                "the disruption affects nothing",
                Some(r#"add ports = ["…"], routes = ["…"] or stage = "screening""#.into()),
            );
        }
        let from = match &x.from {
            None => {
                d.missing(
                    &join(label, "from"),
                    "missing `from` (when the disruption starts)",
                    Some(r#"write from = "30d""#.into()),
                );
                None
            }
            Some(v) => duration(d, &join(label, "from"), v),
        };
        let until = match &x.until {
            None => {
                // The example ends a week after this disruption's own `from` (a fixed "37d"
                // had ended one from "31d" after six days, and one from "40d" before it began).
                let end = from.map_or("37d".into(), |a| units::duration_text(a + 7.0));
                d.missing(
                    &join(label, "until"),
                    "missing `until` (when the disruption ends)",
                    Some(format!(
                        "write until = \"{end}\": the time it ends, counted from \
                         scenario.start_date as `from` is (\"{end}\" is a week after `from`)"
                    )),
                );
                None
            }
            Some(v) => duration(d, &join(label, "until"), v),
        };
        if let (Some(a), Some(b)) = (from, until) {
            if a >= b {
                ok = false;
                d.error(
                    &join(label, "until"),
                    format!(
                        "`until` ({}) is not after `from` ({})",
                        as_written(x.until.as_ref(), b),
                        as_written(x.from.as_ref(), a)
                    ),
                    Some(format!(
                        "the disruption lasts from `from` to `until`: give an `until` after \
                         `from`{}",
                        until_as_length(b, a, "the disruption")
                    )),
                );
            }
        }
        if let Some(a) = from.filter(|&a| horizon_ok && a >= h) {
            d.warn(
                &join(label, "from"),
                format!(
                    "the disruption starts at `from` ({}), after the horizon ({horizon_text}): it \
                     changes nothing",
                    as_written(x.from.as_ref(), a)
                ),
            );
        }
        let capacity = match x.capacity {
            None => {
                d.missing(
                    &join(label, "capacity"),
                    "missing `capacity` (the capacity factor; 0 = closed)",
                    Some("write capacity = 0.0".into()),
                );
                None
            }
            Some(c) => {
                let c = non_negative(d, &join(label, "capacity"), c);
                // A factor is usually below a few (1.5: half as much again); 50 is more likely
                // meant as 50% than as fifty times the capacity.
                if let Some(c) = c.filter(|&c| c >= 10.0) {
                    d.warn(
                        &join(label, "capacity"),
                        format!(
                            "capacity = {c} multiplies the capacity by {c} while the disruption \
                             lasts{}",
                            if c <= 100.0 {
                                format!("; if you meant {c}%, write capacity = {}", percent(c))
                            } else {
                                String::new()
                            }
                        ),
                    );
                }
                c
            }
        };
        // A closure from inside the run to its end or beyond: nothing passes what it closes
        // for the rest of the run (one from the start is "no capacity", said elsewhere). A
        // fraction closes a target whose capacity it floors to 0 (0.5 of 1 server: capacities
        // are floor(value × factor)).
        let floored = |c: f64| -> Vec<String> {
            let closes = |closed_by: &dyn Fn(f64) -> bool| closed_by(c) && !closed_by(1.0);
            let ports = dports
                .iter()
                .filter(|_| ports_ok)
                .filter_map(|&j| ports.get(j))
                .filter(|p| closes(&|f| p.closed_by(f)))
                .map(|p| crate::format::port_named(&p.name));
            let routes = droutes
                .iter()
                .filter(|_| routes_ok)
                .filter_map(|&j| routes.get(j))
                .filter(|r| closes(&|f| r.closed_by(f)))
                .map(|r| format!("route {}", r.name));
            let screened = screening
                .as_ref()
                .and_then(Option::as_ref)
                .filter(|s| stage && closes(&|f| s.closed_by(f)))
                .map(|_| "screening".to_string());
            ports.chain(routes).chain(screened).collect()
        };
        if let (Some(a), Some(b), Some(c)) = (from, until, capacity) {
            let late = horizon_ok && a > 0.0 && a < h && b >= h;
            let closes_all = c <= 0.0;
            let floored = if late && !closes_all {
                floored(c)
            } else {
                Vec::new()
            };
            if late && (closes_all || !floored.is_empty()) {
                let what = if closes_all {
                    "closes what it names".to_string()
                } else {
                    format!(
                        "leaves {} no capacity (capacity {c} floors it to 0: capacities are \
                         floor(value × factor))",
                        floored.join(", ")
                    )
                };
                d.warn(
                    &join(label, "until"),
                    format!(
                        "the disruption {what} from `from` ({}) to the end of the run (`until` \
                         {}, the horizon {horizon_text}): nothing passes it after that, so \
                         people who still need it then are never processed (for a closure that \
                         ends, give an `until` before the horizon)",
                        as_written(x.from.as_ref(), a),
                        as_written(x.until.as_ref(), b),
                    ),
                );
            }
        }
        match (ok, from, until, capacity) {
            (true, Some(from), Some(until), Some(capacity)) => disruptions.push(Disruption {
                ports: dports,
                routes: droutes,
                screening: stage,
                from,
                until,
                capacity,
            }),
            _ => disruptions_ok = false,
        }
    }

    if !(d.errors.is_empty()
        && origins_ok
        && classes_ok
        && ports_ok
        && routes_ok
        && phases_ok
        && disruptions_ok)
    {
        return None;
    }
    let mut scenario = Scenario {
        name: name?,
        file: file.to_string(),
        start_date: start_date?,
        horizon: horizon?,
        seed: seed?,
        replications: replications?,
        warmup: warmup?,
        backlog: Cohort {
            name: "backlog".into(),
            people: backlog_people?,
            opens: 0.0,
        },
        group_size: gs?,
        origins,
        registration: Registration {
            delay: delay?,
            never: never?,
        },
        screening: match screening {
            None => None,
            Some(s) => Some(s?),
        },
        health: match health {
            None => None,
            Some(x) => Some(x?),
        },
        attrition_hazard: hazard?,
        policy: policy?,
        choose_port: choose?,
        routes,
        ports,
        phases,
        inflow: inflow?,
        disruptions,
        classes,
        warnings: Vec::new(),
        loaded: None,
    };
    if let Some(text) = warmup_after_registrations(&scenario) {
        d.warn("scenario.warmup", text);
    }
    // A quota its servers cannot serve in its opening hours: the servers limit the port, as
    // `explain`'s note says (once a port, at its quota).
    for p in 0..scenario.ports.len() {
        if let Some((text, hint)) = crate::analysis::quota_over_servers_warning(&scenario, p) {
            d.warn_with_hint(&join(&raw.ports[p].0, "quota_per_day"), text, Some(hint));
        }
    }
    // A timetable of millions of departures makes a run to the horizon take hours.
    if let Some((r, text)) = many_departures(&scenario) {
        d.warn(&join(&raw.routes[r].0, "departures"), text);
    }
    // Buses beside a continuous route from the same origin carry only what it leaves them.
    for (r, text) in continuous_beside_scheduled(&scenario) {
        d.warn(&raw.routes[r].0, text);
    }
    // Under choose_port = "first", continuous routes listed after one that always takes
    // everyone are never used.
    let choose_written = raw
        .dispatch
        .as_ref()
        .is_some_and(|x| x.choose_port.is_some());
    for (r, text) in shadowed_routes(&scenario, choose_written) {
        d.warn(&raw.routes[r].0, text);
    }
    // A route never used carries nobody before its port opens either: the warning that it does
    // (under fifo) would contradict the one that it is never used.
    let never_used: Vec<usize> = scenario
        .shadowed_routes()
        .into_iter()
        .flat_map(|(_, _, later)| later)
        .chain(scenario.idle_scheduled_routes())
        .collect();
    for r in never_used {
        d.retract_warnings(&raw.routes[r].0, BEFORE_PORT_OPENS);
    }
    // Under appointment, buses that run only on days their port does not serve carry nobody.
    for r in 0..scenario.routes.len() {
        if scenario.appointment_days_never_meet(r) {
            let route = &scenario.routes[r];
            let port = &scenario.ports[route.port];
            let (label, written) = (&raw.routes[r].0, &raw.routes[r].1);
            d.warn(
                &if written.days.is_some() {
                    join(label, "days")
                } else {
                    label.clone()
                },
                format!(
                    "under dispatch.policy = \"appointment\" nobody ever boards route {}: its buses \
                     run on {} and {} serves on {}, and a group boards only on a day its \
                     port has quota to book (the quota is 0 on a day the port does not serve); \
                     run the buses on days the port serves, let the port serve on the buses' \
                     days, or use policy = \"fifo\" (people then wait at the port for its next \
                     day)",
                    route.name,
                    units::days_text(&route.days),
                    crate::format::port_named(&port.name),
                    units::days_text(&port.schedule.days)
                ),
            );
        }
    }
    // Under appointment, departures written for days the port does not serve (some days meet):
    // those buses carry nobody. (Only for `days` written: a route running every day beside a
    // port closed at weekends is the usual case, its weekend buses idle by design.)
    if scenario.policy == Policy::Appointment {
        for (r, route) in scenario.routes.iter().enumerate() {
            let port = &scenario.ports[route.port];
            let (label, written) = (&raw.routes[r].0, &raw.routes[r].1);
            let off: [bool; 7] = std::array::from_fn(|i| route.days[i] && !port.schedule.days[i]);
            if written.days.is_none()
                || !matches!(route.departures, Departures::Scheduled(_))
                || scenario.appointment_days_never_meet(r)
                || !off.iter().any(|x| *x)
            {
                continue;
            }
            d.warn(
                &join(label, "days"),
                format!(
                    "under dispatch.policy = \"appointment\" the buses of route {} on {} carry \
                     nobody: {} serves on {}, and a group boards only on a day its port has \
                     quota to book (0 on a day it does not serve); leave those days out of the \
                     route's `days`, or let the port serve then",
                    route.name,
                    units::days_text(&off),
                    crate::format::port_named(&port.name),
                    units::days_text(&port.schedule.days)
                ),
            );
        }
    }
    // Attrition acts only until boarding: with every route taking a group the moment it is
    // ready, the wait at the ports is never cut by drop-outs.
    if let Some(text) = attrition_only_before_boarding(&scenario) {
        d.warn("attrition.hazard_per_day", text);
    }
    // A file with nobody in it "clears" on day 0: valid, but never what a planner means (the
    // backlog defaults to 0 people when [backlog] is left out).
    if scenario.cohort_people() == 0 && scenario.inflow.is_none() {
        d.warn(
            "backlog.people",
            format!(
                "nobody to clear: the backlog has 0 people{}, no phase brings anyone and there is \
                 no inflow, so every replication ends on day 0; set [backlog] people (e.g. \
                 people = 25000), add a [[phase]] with people, or an [inflow] with rate_per_day",
                if raw.backlog.as_ref().is_some_and(|b| b.people.is_some()) {
                    ""
                } else {
                    " ([backlog] people is not set and defaults to 0)"
                }
            ),
        );
    }
    scenario.warnings = std::mem::take(&mut d.warnings);
    Some(scenario)
}

/// Departures of route `r`'s timetable at times before the horizon (0 for a continuous route
/// or one with no day of service).
pub fn departures_within_horizon(scn: &Scenario, r: usize) -> u64 {
    let route = &scn.routes[r];
    let Departures::Scheduled(times) = &route.departures else {
        return 0;
    };
    let start = scn.start_weekday() as usize;
    let days = scn.horizon.ceil().max(0.0) as usize;
    (0..days)
        .filter(|d| route.days[(d + start) % 7])
        .map(|d| {
            times
                .iter()
                .filter(|&&x| (d as f64) + x < scn.horizon)
                .count() as u64
        })
        .sum()
}

/// The warning that the timetables give more than [`MANY_DEPARTURES`] departures within the
/// horizon, with the route that gives the most (where it is placed): every departure is an
/// event of a replication that runs to the horizon (one not cleared, or with an inflow until
/// then), so a run may take hours; the routes with most departures are named, with how many.
fn many_departures(scn: &Scenario) -> Option<(usize, String)> {
    let mut counts: Vec<(usize, u64)> = (0..scn.routes.len())
        .map(|r| (r, departures_within_horizon(scn, r)))
        .filter(|&(_, n)| n > 0)
        .collect();
    let total: u64 = counts.iter().map(|&(_, n)| n).sum();
    if total <= MANY_DEPARTURES {
        return None;
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    let fmt = |n: u64| crate::format::fmt_int(n as f64);
    let named: Vec<String> = counts
        .iter()
        .take(3)
        .map(|&(r, n)| {
            let per_day = match &scn.routes[r].departures {
                Departures::Scheduled(t) => t.len(),
                Departures::Continuous => 0,
            };
            format!(
                "{} on route {} ({} a day on its days)",
                fmt(n),
                scn.routes[r].name,
                fmt(per_day as u64)
            )
        })
        .collect();
    let others = if counts.len() > 3 {
        format!(
            " and {} on {} other routes",
            fmt(counts[3..].iter().map(|c| c.1).sum()),
            counts.len() - 3
        )
    } else {
        String::new()
    };
    Some((
        counts[0].0,
        format!(
            "the timetables give {} departures within the horizon ({}), more than {}: {}{others}; \
             every departure is an event of each replication that runs to the horizon (one not \
             cleared by then, or with an inflow lasting until then), so a run may take hours; \
             give route {} fewer departure times (a bus every 30 minutes is 48 a day), \
             departures = \"continuous\" where seats do not limit it, or a shorter \
             scenario.horizon",
            fmt(total),
            match scn.horizon {
                1.0 => "1 day".to_string(),
                h if h.fract() == 0.0 => format!("{} days", crate::format::fmt_int(h)),
                h => format!("{h} days"),
            },
            fmt(MANY_DEPARTURES),
            crate::format::word_list(&named, "and"),
            scn.routes[counts[0].0].name,
        ),
    ))
}

/// The warning for each origin with a continuous route and scheduled ones, with the index of
/// its first continuous route (the key it is given at): ready groups leave at once on the
/// continuous route whenever it can take them, so the buses carry only the groups it cannot
/// take when they are ready (see [`Scenario::continuous_beside_scheduled`]), nobody at all
/// when it can always take them.
fn continuous_beside_scheduled(s: &Scenario) -> Vec<(usize, String)> {
    let names = |routes: &[usize]| -> String {
        routes
            .iter()
            .map(|&r| s.routes[r].name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let idle = s.idle_scheduled_routes();
    s.continuous_beside_scheduled()
        .into_iter()
        .map(|c| {
            let origin = &s.origins[c.origin].name;
            let (cont, sched) = (names(&c.continuous), names(&c.scheduled));
            let (its_cont, its_sched) = (
                if c.continuous.len() == 1 {
                    format!("its continuous route {cont}")
                } else {
                    format!("its continuous routes ({cont})")
                },
                if c.scheduled.len() == 1 {
                    format!("its scheduled route {sched}")
                } else {
                    format!("its scheduled routes ({sched})")
                },
            );
            let text = if c.left_for_buses.is_empty() {
                // Ports that only these idle routes reach process nobody.
                let unused: Vec<&str> = (0..s.ports.len())
                    .filter(|&p| {
                        let mut to = (0..s.routes.len()).filter(|&r| s.routes[r].port == p);
                        to.clone().next().is_some()
                            && to.all(|r| idle.contains(&r))
                            && c.scheduled.iter().any(|&r| s.routes[r].port == p)
                    })
                    .map(|p| s.ports[p].name.as_str())
                    .collect();
                format!(
                    "origin \"{origin}\": {its_cont} {} every group ready to travel there the \
                     moment it is ready, so {its_sched} {} nobody (a ready group leaves on \
                     whatever route can take it then, and dispatch.choose_port chooses only \
                     among those){}; to use the buses, give {cont} `departures` too",
                    if c.continuous.len() == 1 {
                        "takes"
                    } else {
                        "take"
                    },
                    if c.scheduled.len() == 1 {
                        "carries"
                    } else {
                        "carry"
                    },
                    match unused.as_slice() {
                        [] => String::new(),
                        [p] => format!(
                            "; nobody is processed at {}, which no other route reaches",
                            crate::format::port_named(p)
                        ),
                        ps => format!(
                            "; nobody is processed at {}{}, which no other route reaches",
                            crate::format::ports_word(ps),
                            ps.join(", ")
                        ),
                    }
                )
            } else {
                let when: Vec<String> = c
                    .left_for_buses
                    .iter()
                    .map(|(r, why)| {
                        let route = &s.routes[*r];
                        let port = &s.ports[route.port];
                        let parts: Vec<String> = why
                            .iter()
                            .map(|w| match w {
                                Overflow::Holding => format!(
                                    "while {}'s holding limit ({} people waiting there or \
                                     in transit to it) leaves no room for them",
                                    crate::format::port_named(&port.name),
                                    port.holding.unwrap_or(0)
                                ),
                                Overflow::Appointment => format!(
                                    "on days {} has no quota left to book (booked up, not \
                                     yet open, a day it does not serve, or closed by a \
                                     disruption)",
                                    crate::format::port_named(&port.name)
                                ),
                                Overflow::Closed => "while a disruption closes it".to_string(),
                            })
                            .collect();
                        let parts = parts.join(", or ");
                        if c.continuous.len() == 1 {
                            parts
                        } else {
                            format!("{} {parts}", route.name)
                        }
                    })
                    .collect();
                format!(
                    "origin \"{origin}\": a group ready to travel there leaves at once on {} \
                     whenever {} can take it, so {its_sched} {} only the groups {} take when \
                     they are ready, who wait for a bus or for room: {}",
                    its_cont,
                    if c.continuous.len() == 1 { "it" } else { "one" },
                    if c.scheduled.len() == 1 {
                        "carries"
                    } else {
                        "carry"
                    },
                    if c.continuous.len() == 1 {
                        "it cannot"
                    } else {
                        "none of them can"
                    },
                    when.join("; and ")
                )
            };
            (c.continuous[0], text)
        })
        .collect()
}

/// The warning for each origin whose routes listed after its first continuous route that
/// always takes everyone are never used under `choose_port = "first"`
/// ([`Scenario::shadowed_routes`]), with the index of the first route never used (the key it
/// is given at). `written`: whether the file sets `choose_port` (else "first" is the default).
fn shadowed_routes(s: &Scenario, written: bool) -> Vec<(usize, String)> {
    let idle = s.idle_scheduled_routes();
    let shadowed = s.shadowed_routes();
    let never: Vec<usize> = shadowed
        .iter()
        .flat_map(|(_, _, later)| later.iter().copied())
        .chain(idle.iter().copied())
        .collect();
    shadowed
        .iter()
        .map(|(o, first, later)| {
            let route = &s.routes[*first];
            let port = &s.ports[route.port];
            let names: Vec<&str> = later.iter().map(|&r| s.routes[r].name.as_str()).collect();
            // Ports that only never-used routes reach process nobody.
            let mut unused: Vec<&str> = Vec::new();
            for &r in later {
                let p = s.routes[r].port;
                let only = (0..s.routes.len())
                    .filter(|&q| s.routes[q].port == p)
                    .all(|q| never.contains(&q));
                if only && !unused.contains(&s.ports[p].name.as_str()) {
                    unused.push(&s.ports[p].name);
                }
            }
            let text = format!(
                "origin \"{}\": under dispatch.choose_port = \"first\"{} a ready group leaves \
                 on the first route listed that can take it, and its continuous route {} takes \
                 every group the moment it is ready ({} always accepts them: no holding \
                 limit{}, never closed), so {} never used{}; to spread the groups over the \
                 ports, write choose_port = \"shortest_queue\" under [dispatch], give {} a \
                 `holding` limit (the later routes then take the overflow), or list first the \
                 route to use",
                s.origins[*o].name,
                if written { "" } else { " (the default)" },
                route.name,
                crate::format::port_named(&port.name),
                if s.policy == Policy::Appointment {
                    ", no quota to book up"
                } else {
                    ""
                },
                if names.len() == 1 {
                    format!("its route {} listed after it is", names[0])
                } else {
                    format!("its routes listed after it ({}) are", names.join(", "))
                },
                match unused.as_slice() {
                    [] => String::new(),
                    [p] => format!(
                        " and {}, which no other route reaches, processes nobody",
                        crate::format::port_named(p)
                    ),
                    ps => format!(
                        " and {}{}, which no other route reaches, process nobody",
                        crate::format::ports_word(ps),
                        ps.join(", ")
                    ),
                },
                crate::format::port_named(&port.name)
            );
            (later[0], text)
        })
        .collect()
}

/// The warning for attrition that can hardly act: drop-outs happen only before boarding
/// (MODEL.md §1.4), and when every route is continuous and always takes a group the moment it
/// is ready ([`Scenario::overflow`] empty: no holding limit, under `appointment` no quota to
/// book, never closed), groups board as soon as they are ready and wait at the ports, where
/// nobody drops out. Only when some port limits anything (else nobody waits there either).
fn attrition_only_before_boarding(s: &Scenario) -> Option<String> {
    if s.attrition_hazard <= 0.0 || s.routes.is_empty() {
        return None;
    }
    let board_at_once = (0..s.routes.len()).all(|r| {
        matches!(s.routes[r].departures, Departures::Continuous) && s.overflow(r).is_empty()
    });
    let ports_limit = s.ports.iter().any(|p| {
        p.quota_per_day.is_some() || p.servers.is_some() || !p.schedule.is_always() || p.opens > 0.0
    });
    (board_at_once && ports_limit).then(|| {
        format!(
            "attrition.hazard_per_day = {}, but drop-outs happen only before boarding (in \
             screening, the health check and while ready to travel: MODEL.md §1.4), and every \
             route is continuous and takes a group the moment it is ready, so nobody drops out \
             while waiting at a port, however long; for drop-outs while people \
             wait for the ports' capacity, make them wait before boarding: policy = \
             \"appointment\" under [dispatch] (a group boards only when its port has quota \
             that day), a port `holding` limit, or scheduled `departures` with `seats`",
            short_num(s.attrition_hazard)
        )
    })
}

/// A span of time given in days, in the unit that reads best: days, hours, minutes or seconds,
/// to one decimal (a hazard of 1,000 a day halves those waiting in 59.9 seconds, not in
/// "0.0 hours").
fn short_span(days: f64) -> String {
    let (v, unit) = if days >= 1.0 {
        (days, "days")
    } else if days * 24.0 >= 1.0 {
        (days * 24.0, "hours")
    } else if days * 1440.0 >= 1.0 {
        (days * 1440.0, "minutes")
    } else {
        (days * 86400.0, "seconds")
    };
    format!("{v:.1} {unit}")
}

/// The warning for a warmup after every registration: waits count only the groups registered
/// at or after the warmup, and when every cohort's groups register before it (a bounded
/// registration delay) and no inflow arrives after it, none would be measured. `None` when
/// some group may register at or after the warmup.
fn warmup_after_registrations(s: &Scenario) -> Option<String> {
    let w = s.warmup;
    if w <= 0.0 || s.registration.never >= 1.0 {
        return None;
    }
    if s.inflow
        .as_ref()
        .is_some_and(|i| i.rate_per_day > 0.0 && i.until > w)
    {
        return None;
    }
    let last = std::iter::once(&s.backlog)
        .chain(&s.phases)
        .filter(|c| c.people > 0)
        .map(|c| c.opens + s.registration.delay.max())
        .reduce(f64::max)?;
    if last >= w {
        return None;
    }
    let show = super::units::duration_text;
    let (when, change) = if last == 0.0 {
        (
            "at the start".to_string(),
            "leave the warmup out (0d)".to_string(),
        )
    } else {
        (
            format!(
                "within {} of the start (the last cohort's opening plus the longest \
                 registration delay)",
                show(last)
            ),
            format!(
                "leave the warmup out (0d) or shorten it to {} at most",
                show(last)
            ),
        )
    };
    Some(format!(
        "every group registers {when}, before the warmup ({}), and no inflow arrives after \
         the warmup: waits count only groups registered at or after it, so no wait would be \
         measured; {change}",
        show(w)
    ))
}

/// Elements with a `name` and a `share` (origins, classes): names present and unique, shares
/// in [0, 1] summing to 1 (a single element may omit its share). Returns them and whether all
/// were valid.
fn named_shares(
    d: &mut Diags,
    section: &str,
    items: &[(String, RawOrigin)],
) -> (Vec<(String, f64)>, bool) {
    let mut out = Vec::new();
    let mut ok = true;
    let single = items.len() == 1;
    for (label, o) in items {
        let name = o.name.clone().filter(|n| !n.trim().is_empty());
        if name.is_none() {
            ok = false;
            d.missing(
                &join(label, "name"),
                format!("missing {section} name"),
                Some(r#"add name = "…""#.into()),
            );
        }
        let sp = join(label, "share");
        let share = match o.share {
            None if single => Some(1.0),
            None => {
                d.missing(
                    &sp,
                    "missing share",
                    Some(format!(
                        "every {section} needs a share when there are several; shares sum to 1"
                    )),
                );
                None
            }
            Some(s) => finite(d, &sp, s).and_then(|s| {
                if (0.0..=1.0).contains(&s) {
                    Some(s)
                } else {
                    d.error(
                        &sp,
                        format!("share {s} is not between 0 and 1"),
                        // 43 for 43%: say how to write it.
                        (s > 1.0 && s <= 100.0).then(|| format!("for {s}%, write {}", percent(s))),
                    );
                    None
                }
            }),
        };
        match (name, share) {
            (Some(name), Some(share)) => out.push((name, share)),
            _ => ok = false,
        }
    }
    unique_names(
        d,
        section,
        items
            .iter()
            .filter_map(|(l, o)| o.name.as_deref().map(|n| (l.as_str(), n))),
    );
    if ok && !out.is_empty() {
        let total: f64 = out.iter().map(|o| o.1).sum();
        if (total - 1.0).abs() > SHARES_TOLERANCE {
            // The terms only when there are several: one share's "sum" is the share itself.
            let parts: Vec<String> = out.iter().map(|o| format!("{}", o.1)).collect();
            let terms = match parts.len() {
                1 => String::new(),
                _ => format!(" ({})", parts.join(" + ")),
            };
            d.error(
                section,
                format!(
                    "the {section} shares sum to {}{terms}, not 1",
                    (total * 1e9).round() / 1e9,
                ),
                Some(shares_hint(&out.iter().map(|o| o.1).collect::<Vec<_>>())),
            );
        }
    }
    (out, ok)
}

/// Most a sum of shares may differ from 1.
const SHARES_TOLERANCE: f64 = 1e-6;

/// How to make `shares` (which do not sum to 1 within [`SHARES_TOLERANCE`]) sum to 1: when they
/// are off by a rounding (less than 0.05), the same shares with the largest one changed so that
/// they sum to exactly 1, to as many decimals as written; for equal shares (thirds), also how
/// many decimals of 1/n are close enough.
fn shares_hint(shares: &[f64]) -> String {
    let rule = "make the shares add up to 1 (to within 0.000001)";
    let total: f64 = shares.iter().sum();
    if (total - 1.0).abs() >= 0.05 {
        return rule.to_string();
    }
    let decimals = shares
        .iter()
        .map(|s| format!("{s}").split_once('.').map_or(0, |(_, f)| f.len()))
        .max()
        .unwrap_or(0);
    if !(1..=9).contains(&decimals) {
        return rule.to_string();
    }
    let scale = 10f64.powi(decimals as i32);
    let mut units: Vec<i64> = shares.iter().map(|s| (s * scale).round() as i64).collect();
    let largest = (0..units.len()).max_by_key(|i| units[*i]).unwrap_or(0);
    units[largest] += scale as i64 - units.iter().sum::<i64>();
    if units[largest] < 0 {
        return rule.to_string();
    }
    let fixed: Vec<String> = units
        .iter()
        .map(|u| format!("{:.*}", decimals, *u as f64 / scale))
        .collect();
    let n = shares.len();
    let equal = n <= 10 && shares.iter().all(|s| *s == shares[0]);
    format!(
        "{rule}, e.g. {}{}",
        fixed.join(", "),
        if equal {
            format!(
                "; or give each 1/{n} to seven decimals, {:.7} (within 0.000001 of 1 in all)",
                1.0 / n as f64
            )
        } else {
            String::new()
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::diag::Spans;

    /// Every kind of DISTRIBUTIONS is built as itself from its hint's example: a kind added to
    /// the list (the names validation accepts) but not to `dist`'s match, or to `example`, is
    /// caught here instead of running as another kind. The README's table and MODEL.md name it.
    #[test]
    fn every_listed_distribution_kind_is_built_as_itself() {
        let readme = std::fs::read_to_string("README.md").unwrap();
        let model = std::fs::read_to_string("docs/MODEL.md").unwrap();
        for (kind, params) in DISTRIBUTIONS {
            let ex = example(kind);
            assert!(
                ex.contains(&format!("dist = \"{kind}\"")),
                "{kind}: example {ex}"
            );
            for p in *params {
                assert!(
                    ex.contains(&format!("{p} = ")) || *p == "weights",
                    "{kind}: {p} in {ex}"
                );
            }
            let raw: RawDist = toml::from_str::<toml::Table>(&format!("x = {ex}")).unwrap()["x"]
                .clone()
                .try_into()
                .unwrap();
            let spans = Spans::default();
            let mut d = Diags::new("", &spans);
            let built = dist(&mut d, "x", &raw).unwrap_or_else(|| panic!("{kind}: {ex}"));
            assert_eq!(built.kind(), *kind, "{ex}");
            assert!(
                readme.contains(&format!("| `\"{kind}\"` |")),
                "README's table: {kind}"
            );
            assert!(
                model.contains(&format!("dist = \"{kind}\"")),
                "MODEL.md: {kind}"
            );
        }
    }

    /// Folding drops combining accents and decomposes precomposed Latin letters, so NFC and
    /// NFD spellings agree; letters that do not decompose stay themselves.
    #[test]
    fn accents_fold_to_their_letters() {
        assert_eq!(fold_accents("Ciudad Ju\u{e1}rez"), "Ciudad Juarez");
        assert_eq!(fold_accents("Ciudad Jua\u{301}rez"), "Ciudad Juarez");
        assert_eq!(fold_accents("\u{c9}l\u{10d}\u{151}\u{17e}\u{ff}"), "Elcozy");
        assert_eq!(
            fold_accents("\u{e6}\u{f8}\u{142}\u{df}"),
            "\u{e6}\u{f8}\u{142}\u{df}"
        );
        assert_ne!(fold_accents("\u{c6}ro"), fold_accents("Aro"));
        let h = did_you_mean("Jua\u{301}rez", ["Ju\u{e1}rez", "Tijuana"]).unwrap();
        assert!(h.contains("Unicode normalisation"), "{h}");
        let h = did_you_mean("Juarrez", ["Ju\u{e1}rez", "Tijuana"]).unwrap();
        assert!(!h.contains("normalisation"), "{h}");
    }

    /// Two names that differ only in an odd space or an invisible character look the same:
    /// the hint says which character differs, where, and the fix.
    #[test]
    fn names_differing_in_an_odd_space_say_what_differs() {
        let h = did_you_mean("San\u{a0}Ysidro", ["El Paso", "San Ysidro"]).unwrap();
        assert_eq!(
            h,
            "did you mean \"San Ysidro\"? \"San\u{a0}Ysidro\" here holds a non-breaking space \
             (U+00A0) at character 4 where \"San Ysidro\" has a normal space: retype it as a \
             normal space"
        );
        let h = did_you_mean("San Ysidro", ["San\u{202f}Ysidro"]).unwrap();
        assert!(
            h.contains("here has a normal space at character 4 where")
                && h.contains("narrow non-breaking space (U+202F)"),
            "{h}"
        );
        let h = did_you_mean("El\u{200b} Paso", ["El Paso"]).unwrap();
        assert!(
            h.contains("an invisible zero-width space (U+200B) at character 3 that")
                && h.ends_with("delete it"),
            "{h}"
        );
        let h = did_you_mean("El Paso", ["El Pa\u{ad}so"]).unwrap();
        assert!(h.contains("soft hyphen (U+00AD) at character 6"), "{h}");
    }

    #[test]
    fn closest_name() {
        assert_eq!(
            closest("quota_per_dya", ["quota_per_day", "servers"]),
            Some("quota_per_day")
        );
        assert_eq!(
            closest("San Ysdro", ["El Paso", "San Ysidro"]),
            Some("San Ysidro")
        );
        assert_eq!(closest("zzz", ["El Paso", "San Ysidro"]), None);
        // Equally close candidates are all offered.
        assert_eq!(
            did_you_mean("Port C", ["Port A", "Port B", "Elsewhere"]).as_deref(),
            Some("did you mean \"Port A\" or \"Port B\"?")
        );
        assert_eq!(
            did_you_mean("San Ysdro", ["El Paso", "San Ysidro"]).as_deref(),
            Some("did you mean \"San Ysidro\"?")
        );
        assert_eq!(did_you_mean("zzz", ["El Paso"]), None);
    }

    #[test]
    fn probabilities_and_counts() {
        let spans = Spans::default();
        let mut d = Diags::new("f", &spans);
        assert_eq!(probability(&mut d, "p", 0.5, "x"), Some(0.5));
        assert_eq!(probability(&mut d, "p", 1.0, "x"), None);
        assert_eq!(probability(&mut d, "p", -0.1, "x"), None);
        assert_eq!(probability(&mut d, "p", f64::NAN, "x"), None);
        assert_eq!(count(&mut d, "c", 3, 10, "seats"), Some(3));
        assert_eq!(count(&mut d, "c", -1, 10, "seats"), None);
        assert_eq!(count(&mut d, "c", 11, 10, "seats"), None);
        assert_eq!(d.errors.len(), 5);
        assert!(d.errors.iter().all(|e| e.file == "f"));
    }

    #[test]
    fn hours_rules() {
        let spans = Spans::default();
        let mut d = Diags::new("f", &spans);
        let v = |a: &str, b: &str| Some(vec![a.to_string(), b.to_string()]);
        assert_eq!(hours(&mut d, "h", None), Some(None));
        assert_eq!(
            hours(&mut d, "h", v("08:00", "18:00").as_ref()),
            Some(Some((8.0 / 24.0, 18.0 / 24.0)))
        );
        // wraps midnight
        assert_eq!(
            hours(&mut d, "h", v("22:00", "06:00").as_ref()),
            Some(Some((22.0 / 24.0, 6.0 / 24.0)))
        );
        assert_eq!(hours(&mut d, "h", v("00:00", "24:00").as_ref()), Some(None));
        assert!(d.errors.is_empty());
        assert_eq!(hours(&mut d, "h", v("08:00", "08:00").as_ref()), None);
        assert_eq!(hours(&mut d, "h", Some(&vec!["08:00".into()])), None);
        assert_eq!(d.errors.len(), 2);
    }

    #[test]
    fn distribution_tables() {
        let spans = Spans::default();
        let mut d = Diags::new("f", &spans);
        let t = |s: &str| RawDist::Table(s.parse::<toml::Table>().unwrap());
        let x = dist(
            &mut d,
            "x",
            &t("dist = \"gamma\"\nmean = \"2h\"\nsd = \"1h\""),
        )
        .unwrap();
        assert!((x.mean() - 2.0 / 24.0).abs() < 1e-12);
        let x = dist(
            &mut d,
            "x",
            &t("dist = \"empirical\"\nvalues = [\"1d\", \"3d\"]\nweights = [1, 1]"),
        )
        .unwrap();
        assert!((x.mean() - 2.0).abs() < 1e-12);
        assert!(d.errors.is_empty());
        assert!(dist(&mut d, "x", &t("mean = \"2h\"")).is_none());
        assert!(dist(
            &mut d,
            "x",
            &t("dist = \"triangular\"\nmin = \"1h\"\nmode = \"5h\"\nmax = \"4h\"")
        )
        .is_none());
        assert!(dist(
            &mut d,
            "x",
            &t("dist = \"empirical\"\nvalues = [1]\nweights = [1]")
        )
        .is_none());
        assert_eq!(d.errors.len(), 3);
        assert_eq!(d.errors[2].key.as_deref(), Some("x.values[1]"));
    }
}
