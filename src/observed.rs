//! Observed data against simulated runs: reading a CSV of observed cumulative people processed
//! (`date,cumulative_people`, optional `scope`), and the fit of a run to it (simulated median and
//! bands on each observed date, error, inside-the-90%-band flag, RMSE).
//!
//! CSV format (the header names the columns; their order is free; other columns are ignored;
//! every row has as many fields as the header, empty ones allowed; fields separated by `,`, or
//! by `;` or a tab when the header is, as a spreadsheet saves CSV where the decimal mark is a
//! comma; lines ended by `\n`, `\r\n` or `\r`; UTF-8, with a byte order mark or without):
//! - `date` (required): the as-of date, `YYYY-MM-DD` (`2021-3-1` is refused: `2021-03-01`); compared with the simulated value at the END
//!   of that day. It must fall on a day simulated to its end: from `start_date` to the day before
//!   the horizon (with a fractional horizon such as `10.5d`, the day before its partial last
//!   day: days 0–9).
//! - `cumulative_people` (required): people processed so far, a non-negative whole number (`11000`, not
//!   `11,000` or `>11000`; in a `;` file no `.` or `,` at all: `11.000` and `11,5` are refused
//!   there), at most 10^10 (more than live on Earth). A count below an earlier
//!   date's of the same scope and counter is warned about ([`decreasing_counts`]), not refused:
//!   the public record has one (DHS: about 11,200 on 2021-05-25, more than 11,000 on June 1).
//! - `scope` (optional): empty, `all` or `total` compares with the total processed (backlog and
//!   phases, daily series `processed`); a port name (case-insensitive) compares with the people
//!   processed at that port so far (the running sum of `processed_today:<port>`). A port's name
//!   wins over the words `all` and `total`: in a scenario with a port named "Total", `Total` is
//!   that port, and the total is written with an empty scope.
//!
//! - `counter` (optional): who counted; shown beside each date.
//! - `bound` (optional): empty for an exact count; `lower` when the source gives a lower bound
//!   ("more than 11,000": the true count is at least `cumulative_people`), `upper` for an upper
//!   bound ("fewer than", "up to"). A bound is scored one-sidedly: its error is 0 when the
//!   simulated median is on its side (at or above a lower bound, at or below an upper one), and
//!   it is in the 90% band when the band reaches it (P95 at or above a lower bound, P5 at or
//!   below an upper one). A file without the column reads every count as exact.
//!
//! A column read (`date`, `cumulative_people`, `scope`, `counter`, `bound`) may be named once; a date may
//! be given once per scope and counter. Lines starting with `#` are comments; blank lines are
//! skipped. Every problem is reported as `file:line: column N (name): message` and nothing
//! panics on any input.

use crate::experiment::RunResult;
use crate::experiment::{append_finished, effective_scenario, finish_with, run_jobs_folding};
use crate::experiment::{RunError, RunOptions};
use crate::model::ReplicationResult;
use crate::output::columns::{Col, Table};
use crate::scenario::Scenario;
use crate::stats::quantile_sorted;
use chrono::NaiveDate;
use std::path::Path;
use std::time::Instant;

/// What an observation is compared with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Everyone processed (backlog and phases).
    All,
    /// People processed at one port (index into `Scenario::ports`).
    Port(usize),
}

/// What an observed count says of the true value (the `bound` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Bound {
    /// The count itself (an empty `bound`).
    #[default]
    Exact,
    /// At least the count (`lower`: "more than 11,000").
    Lower,
    /// At most the count (`upper`: "fewer than", "up to").
    Upper,
}

impl Bound {
    /// The `bound` column's word: "" (exact), "lower" or "upper".
    pub fn word(self) -> &'static str {
        match self {
            Bound::Exact => "",
            Bound::Lower => "lower",
            Bound::Upper => "upper",
        }
    }

    /// Read the `bound` column's word (case-insensitive; empty is exact).
    pub fn parse(s: &str) -> Option<Bound> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" => Some(Bound::Exact),
            "lower" => Some(Bound::Lower),
            "upper" => Some(Bound::Upper),
            _ => None,
        }
    }

    /// True when a simulated value `sim` is on the side this bound allows of `observed` (an
    /// exact count allows only itself).
    pub fn allows(self, observed: f64, sim: f64) -> bool {
        match self {
            Bound::Exact => sim == observed,
            Bound::Lower => sim >= observed,
            Bound::Upper => sim <= observed,
        }
    }

    /// The sign printed before a bound's count: "≥", "≤", or nothing.
    pub fn sign(self) -> &'static str {
        match self {
            Bound::Exact => "",
            Bound::Lower => "\u{2265}",
            Bound::Upper => "\u{2264}",
        }
    }
}

/// One observed data point.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// Line of the CSV file it came from (1 = header).
    pub line: u64,
    /// The as-of date (the `date` column): compared with the simulated value at the end of
    /// that day.
    pub date: NaiveDate,
    /// Simulation day of `date` \[days since start_date\].
    pub day: usize,
    /// Observed cumulative people processed \[people\].
    pub people: f64,
    /// What `people` counts: everyone processed, or those processed at one port (the `scope`
    /// column; [`Scope::All`] when it is absent or empty).
    pub scope: Scope,
    /// Display name of the scope ("all" or the port's name).
    pub scope_name: String,
    /// The `counter` column, when present (who counted: IOM, DHS, UN, …).
    pub counter: Option<String>,
    /// The `bound` column: an exact count, or a lower or upper bound ([`Bound::Exact`] when the
    /// column is absent or empty).
    pub bound: Bound,
}

/// A problem in an observed-data file, with its position.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.render())]
pub struct ObservedError {
    /// The observed-data file as the caller named it.
    pub file: String,
    /// 1-based line, when the problem has one.
    pub line: Option<u64>,
    /// 1-based column number and column name, when the problem is in one field.
    pub column: Option<(usize, String)>,
    /// What is wrong, as a sentence.
    pub message: String,
    /// Problems in later rows, each with its own position: a file is reported whole, not one
    /// problem per attempt.
    pub more: Vec<ObservedError>,
}

impl ObservedError {
    fn new(file: &str, line: Option<u64>, column: Option<(usize, &str)>, msg: String) -> Self {
        ObservedError {
            file: file.to_string(),
            line,
            column: column.map(|(n, s)| (n, s.to_string())),
            message: msg,
            more: Vec::new(),
        }
    }

    fn render(&self) -> String {
        let mut s = self.render_one();
        for e in &self.more {
            s.push('\n');
            s.push_str(&e.render_one());
        }
        s
    }

    fn render_one(&self) -> String {
        let mut s = self.file.clone();
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
        }
        s.push_str(": ");
        if let Some((n, name)) = &self.column {
            s.push_str(&format!("column {n} ({name}): "));
        }
        s.push_str(&self.message);
        s
    }
}

/// Read an observed-data CSV for this scenario (dates checked against its start and horizon,
/// scopes against its ports). The file is named in messages as `path` is written.
pub fn read_observed(path: &Path, scn: &Scenario) -> Result<Vec<Observation>, ObservedError> {
    let file = path.display().to_string();
    let bytes = crate::fsio::read_capped(path, crate::fsio::TEXT_CAP).map_err(|e| {
        let what = match e {
            crate::fsio::ReadError::Io { source: e, .. } => match e.kind() {
                std::io::ErrorKind::NotFound => {
                    crate::fsio::not_found(path, "no such file", &["csv"])
                }
                _ if path.is_dir() => "is a directory, not a CSV file".to_string(),
                _ => format!("cannot read the file: {e}"),
            },
            crate::fsio::ReadError::TooLarge { cap, .. } => crate::fsio::too_large(cap),
        };
        ObservedError::new(&file, None, None, what)
    })?;
    crate::inputs::record(path);
    // (a spreadsheet's "Unicode Text" is UTF-16: told how to save it as UTF-8)
    let text = String::from_utf8(bytes).map_err(|e| {
        let why = crate::fsio::not_utf8(e.as_bytes(), crate::fsio::SAVE_CSV_AS_UTF8);
        ObservedError::new(&file, None, None, why)
    })?;
    parse_observed(&text, &file, scn)
}

/// Parse observed-data CSV text; `file` names it in messages.
pub fn parse_observed(
    text: &str,
    file: &str,
    scn: &Scenario,
) -> Result<Vec<Observation>, ObservedError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let err = |line: Option<u64>, col: Option<(usize, &str)>, msg: String| {
        ObservedError::new(file, line, col, msg)
    };
    if text.trim().is_empty() {
        return Err(err(
            Some(1),
            None,
            "the file is empty; expected a header line `date,cumulative_people` and one row per \
             observation"
                .into(),
        ));
    }
    // Every line end as `\n`: the csv reader ends a comment line at `\n` alone, so that in a
    // file of `\r` line ends (old Mac programs) a comment had hidden every row after it.
    let text: std::borrow::Cow<str> = match text.contains('\r') {
        true => text.replace("\r\n", "\n").replace('\r', "\n").into(),
        false => text.into(),
    };
    let text = text.as_ref();
    let sep = separator(text);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(sep)
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    // Lines are counted here, not by the csv reader, which counts `\n` alone (a file with
    // `\r\n` or `\r` line ends was told one line early, or line 1 throughout) and gives the
    // line where it started looking for a record (before blank and comment lines).
    let lines = std::cell::RefCell::new(LineCounter::new(text));
    let line_of = |p: Option<&csv::Position>| p.map(|p| lines.borrow_mut().record_line(p.byte()));
    let csv_err = |e: csv::Error| {
        let line = line_of(e.position());
        err(line, None, format!("not valid CSV: {e}"))
    };
    let headers = rdr.headers().map_err(csv_err)?.clone();
    let header_line = line_of(headers.position()).unwrap_or(1).max(1);
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    // (escaped: a header is quoted in the message as written, and must not act on the terminal)
    let found: Vec<String> = headers
        .iter()
        .map(|h| crate::scenario::diag::escape_unsafe(h).into_owned())
        .collect();
    let need = |name: &str| {
        find(name).ok_or_else(|| {
            err(
                Some(header_line),
                None,
                format!(
                    "missing column `{name}`: the header must name `date` and \
                     `cumulative_people` (found: {}){}",
                    found.join(", "),
                    // (`;` or tabs between other names: the separator is read, the names not)
                    match headers.iter().any(|h| h.contains(';') || h.contains('\t')) {
                        true =>
                            "; fields may be separated by `,`, `;` or a tab, one of them \
                                 throughout",
                        false => "",
                    }
                ),
            )
        })
    };
    // A column read named twice: which one is meant cannot be told.
    for name in ["date", "cumulative_people", "scope", "counter", "bound"] {
        let at: Vec<usize> = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| h.trim().eq_ignore_ascii_case(name))
            .map(|(i, _)| i + 1)
            .collect();
        if at.len() > 1 {
            let cols: Vec<String> = at.iter().map(ToString::to_string).collect();
            return Err(err(
                Some(header_line),
                None,
                format!(
                    "the header names `{name}` {} (columns {}): keep one, or rename the others \
                     (columns not named date, cumulative_people, scope, counter or bound are ignored)",
                    if at.len() == 2 {
                        "twice".to_string()
                    } else {
                        format!("{} times", at.len())
                    },
                    cols.join(" and ")
                ),
            ));
        }
    }
    let c_date = need("date")?;
    let c_people = need("cumulative_people")?;
    let c_scope = find("scope");
    let c_counter = find("counter");
    let c_bound = find("bound");
    let last_day = last_simulated_day(scn);
    let last_date = last_day.map(|d| scn.start_date + chrono::Duration::days(d as i64));
    // Why a date after the last allowed is refused: a count is compared at the end of its date,
    // and a fractional horizon's last day is not simulated to its end.
    let horizon_note = {
        let partial = scn.horizon.fract() > 0.0;
        let end = scn.start_date + chrono::Duration::days(scn.horizon.max(0.0).floor() as i64);
        match (last_date, partial) {
            (Some(last), false) => format!(
                "the last date allowed is {last}, the last simulated day (horizon {} days \
                 from {}); a count is compared with the simulated value at the end of its date",
                scn.horizon, scn.start_date
            ),
            (Some(last), true) => format!(
                "the last date allowed is {last}, the last day simulated to its end: the \
                 horizon ({} days from {}) ends part-way through {end}, and a count is \
                 compared with the simulated value at the end of its date",
                scn.horizon, scn.start_date
            ),
            (None, _) => format!(
                "no date is allowed: the horizon ({} days from {}) ends before the end of \
                 {end}, its first day, and a count is compared with the simulated value at the \
                 end of its date; make the horizon at least 1 day",
                scn.horizon, scn.start_date
            ),
        }
    };

    let mut out = Vec::new();
    let mut problems: Vec<ObservedError> = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(csv_err(e));
                continue;
            }
        };
        let line = line_of(rec.position()).unwrap_or(0);
        if rec.iter().all(|f| f.is_empty()) {
            continue;
        }
        // A row of more or fewer fields than the header has no sure reading: `2021-03-10,1,200`
        // (a count written with a thousands comma) had been read as 1 people, the 200 dropped.
        // A short row's missing required field is named as such by `row` first.
        let shape = (rec.len() != headers.len()).then(|| {
            let fix = if rec.len() > headers.len() && sep != b',' {
                ""
            } else if rec.len() > headers.len() {
                "; a number written with a thousands comma (1,200) splits into two fields: \
                 write it 1200"
            } else {
                "; give every column a field, empty if it has no value (`2021-03-10,1200,`)"
            };
            err(
                Some(line),
                None,
                format!(
                    "this row has {} fields, the header {} ({}){fix}",
                    rec.len(),
                    headers.len(),
                    found.join(", ")
                ),
            )
        });
        // One row: its first problem is reported, and the next rows are still read.
        let row = || -> Result<Observation, ObservedError> {
            let field = |c: usize, name: &str| -> Result<&str, ObservedError> {
                match rec.get(c) {
                    Some(v) if !v.is_empty() => Ok(v),
                    _ => Err(err(
                        Some(line),
                        Some((c + 1, name)),
                        "missing value".to_string(),
                    )),
                }
            };
            // date
            let raw_date = field(c_date, "date")?;
            // Exactly YYYY-MM-DD: chrono alone also reads `2021-3-1`, which is refused with
            // the form it means (`2021-03-01`) rather than read in a form the format does not
            // name.
            if let Some(fixed) = unpadded_date(raw_date) {
                return Err(err(
                    Some(line),
                    Some((c_date + 1, "date")),
                    format!(
                        "bad date {raw_date:?}: expected YYYY-MM-DD with two-digit month and \
                         day, e.g. {fixed}"
                    ),
                ));
            }
            let date = NaiveDate::parse_from_str(raw_date, "%Y-%m-%d").map_err(|_| {
                err(
                    Some(line),
                    Some((c_date + 1, "date")),
                    format!("bad date {raw_date:?}: expected YYYY-MM-DD, e.g. 2021-03-11"),
                )
            })?;
            let day = (date - scn.start_date).num_days();
            if day < 0 {
                return Err(err(
                    Some(line),
                    Some((c_date + 1, "date")),
                    format!(
                        "{date} is before the scenario's start date {}",
                        scn.start_date
                    ),
                ));
            }
            if last_day.is_none_or(|last| day as u64 > last) {
                return Err(err(
                    Some(line),
                    Some((c_date + 1, "date")),
                    format!("{date} is outside the simulated horizon: {horizon_note}"),
                ));
            }
            // cumulative_people
            let raw = field(c_people, "cumulative_people")?;
            // Separated by `;` or a tab, the file may have been saved where a comma is the
            // decimal mark: 11.000 is then eleven thousand and 11,5 eleven and a half, and read
            // as numbers are read here (11 and not a number) one would be taken wrongly. A count
            // is whole.
            if sep != b',' && raw.contains(['.', ',']) {
                let (name, why) = if sep == b';' {
                    (
                        "`;`",
                        "as spreadsheets save CSV where the decimal mark is a comma",
                    )
                } else {
                    (
                        "tabs",
                        "as spreadsheets save text where the decimal mark may be a comma",
                    )
                };
                return Err(err(
                    Some(line),
                    Some((c_people + 1, "cumulative_people")),
                    format!(
                        "{raw:?}: in a file separated by {name} ({why}) a `.` or `,` in a \
                         count may be a thousands separator or a decimal mark; write the whole \
                         number without separators, e.g. 11000"
                    ),
                ));
            }
            let people: f64 = raw
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| {
                    let hint = if raw.contains(',') || raw.contains('>') || raw.contains('~') {
                        " (write the plain number, e.g. 11000, without separators, > or ~)"
                    } else {
                        ""
                    };
                    err(
                        Some(line),
                        Some((c_people + 1, "cumulative_people")),
                        format!("{raw:?} is not a number{hint}"),
                    )
                })?;
            // A count is whole: `100.7` people is a mistyped or averaged figure.
            if people.fract() != 0.0 {
                return Err(err(
                    Some(line),
                    Some((c_people + 1, "cumulative_people")),
                    format!(
                        "{raw} is not a whole number; a count of people is whole: write the \
                         count as the source gives it, e.g. {}",
                        people.round()
                    ),
                ));
            }
            if people < 0.0 {
                return Err(err(
                    Some(line),
                    Some((c_people + 1, "cumulative_people")),
                    format!("{raw} is negative; a cumulative count of people is at least 0"),
                ));
            }
            if people > MAX_OBSERVED_PEOPLE {
                return Err(err(
                    Some(line),
                    Some((c_people + 1, "cumulative_people")),
                    format!(
                        "{raw} people is more than live on Earth: not a count of people \
                         processed; write the count (e.g. 11000), at most 10000000000"
                    ),
                ));
            }
            // scope
            // A port's name wins over the aliases `all` and `total`: in a scenario with a port
            // named "Total", scope `Total` is that port (it had been read as every port,
            // silently), and the whole is written with an empty scope.
            let port_named = |s: &str| {
                scn.ports
                    .iter()
                    .position(|p| p.name.eq_ignore_ascii_case(s))
            };
            let (scope, scope_name) = match c_scope.and_then(|c| rec.get(c)) {
                None | Some("") => (Scope::All, "all".to_string()),
                Some(s) => match port_named(s) {
                    Some(i) => (Scope::Port(i), scn.ports[i].name.clone()),
                    None if s.eq_ignore_ascii_case("all") || s.eq_ignore_ascii_case("total") => {
                        (Scope::All, "all".to_string())
                    }
                    None => {
                        let names: Vec<&str> = scn.ports.iter().map(|p| p.name.as_str()).collect();
                        return Err(err(
                            Some(line),
                            c_scope.map(|c| (c + 1, "scope")),
                            format!(
                                "unknown scope {s:?}: expected \"all\" (or \"total\", or empty) \
                                 or a port of the scenario ({})",
                                names.join(", ")
                            ),
                        ));
                    }
                },
            };
            let counter = c_counter
                .and_then(|c| rec.get(c))
                .filter(|s| !s.is_empty())
                .map(str::to_string);
            // Who counted is printed beside each date (the fit's table, warnings): no character
            // that a terminal acts on or that a chart (SVG) cannot hold, as for scenario text.
            if let Some((c, (at, code))) = counter
                .as_deref()
                .and_then(|t| Some((c_counter?, crate::scenario::diag::first_unsafe_char(t)?)))
            {
                return Err(err(
                    Some(line),
                    Some((c + 1, "counter")),
                    format!(
                        "the counter \"{}\" has the invisible character {code} at character \
                         {at}: a terminal acts on it and charts (SVG) cannot hold it; retype it \
                         in plain characters",
                        crate::scenario::diag::escape_unsafe(counter.as_deref().unwrap_or(""))
                    ),
                ));
            }
            let raw_bound = c_bound.and_then(|c| rec.get(c)).unwrap_or("");
            let bound = Bound::parse(raw_bound).ok_or_else(|| {
                err(
                    Some(line),
                    c_bound.map(|c| (c + 1, "bound")),
                    format!(
                        "unknown bound {:?}: expected `lower` (the count is a lower bound: \
                         \"more than 11,000\"), `upper` (an upper bound: \"fewer than\"), or \
                         empty for an exact count",
                        crate::scenario::diag::escape_unsafe(raw_bound)
                    ),
                )
            })?;
            Ok(Observation {
                line,
                date,
                day: day as usize,
                people,
                scope,
                scope_name,
                counter,
                bound,
            })
        };
        match (row(), shape) {
            (Err(e), Some(_)) if rec.len() < headers.len() => problems.push(e),
            (_, Some(e)) => problems.push(e),
            (Ok(o), None) => out.push(o),
            (Err(e), None) => problems.push(e),
        }
    }
    // A date given twice for one scope and counter: two values for one point.
    let mut seen: std::collections::HashMap<(NaiveDate, &Scope, Option<&str>), u64> =
        Default::default();
    for o in &out {
        let key = (o.date, &o.scope, o.counter.as_deref());
        if let Some(first) = seen.insert(key, o.line) {
            problems.push(err(
                Some(o.line),
                Some((c_date + 1, "date")),
                format!(
                    "{} is given twice for scope {}{} (lines {first} and {}): keep one, or name \
                     who counted each in a `counter` column",
                    o.date,
                    o.scope_name,
                    o.counter
                        .as_ref()
                        .map(|c| format!(" and counter {c}"))
                        .unwrap_or_default(),
                    o.line
                ),
            ));
        }
    }
    problems.sort_by_key(|p| p.line);
    if let Some(mut first) = (!problems.is_empty()).then(|| problems.remove(0)) {
        first.more = problems;
        return Err(first);
    }
    if out.is_empty() {
        return Err(err(
            None,
            None,
            "no observations: the file has a header but no data rows".into(),
        ));
    }
    Ok(out)
}

/// For a date written `Y-M-D` with a one-digit month or day (`2021-3-1`), the same date in
/// the format's form (`2021-03-01`); `None` for anything else.
fn unpadded_date(raw: &str) -> Option<String> {
    let parts: Vec<&str> = raw.split('-').collect();
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    match parts[..] {
        [y, m, d] if digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2) => {
            (m.len() == 1 || d.len() == 1).then(|| format!("{y}-{m:0>2}-{d:0>2}"))
        }
        _ => None,
    }
}

/// The separator of the file's fields: `,`, or `;` or a tab when the header line (its first
/// line that is not blank or a comment) names `date` and `cumulative_people` separated by it
/// and not by commas. A spreadsheet saves "CSV" with `;` where the decimal mark is a comma (in
/// most of Europe and Latin America, even as "CSV (Comma delimited)"), and "Text (Tab
/// delimited)" with tabs; the columns read are named, so the header says which it is.
fn separator(text: &str) -> u8 {
    let header = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    let names = |sep: char| {
        let cols: Vec<String> = header
            .split(sep)
            .map(|c| c.trim().trim_matches('"').trim().to_ascii_lowercase())
            .collect();
        ["date", "cumulative_people"]
            .iter()
            .all(|n| cols.iter().any(|c| c == n))
    };
    if names(',') {
        b','
    } else if names(';') {
        b';'
    } else if names('\t') {
        b'\t'
    } else {
        b','
    }
}

/// The 1-based lines of the records a csv reader read from a text, from the byte where it
/// started each: `\r\n`, `\n` and a lone `\r` each end a line (files saved on Windows, and
/// by old Mac programs), and the blank and `#` comment lines the reader passed over before the
/// record are not its line. Records are asked for in order; the count goes on from the last.
struct LineCounter<'a> {
    text: &'a [u8],
    /// Where the count stopped, and the line there.
    at: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The line of the record the reader started reading at byte `start`.
    fn record_line(&mut self, start: u64) -> u64 {
        let t = self.text;
        let eol = |b: u8| b == b'\r' || b == b'\n';
        let mut i = usize::try_from(start).unwrap_or(usize::MAX).min(t.len());
        // (what the reader skipped: the rest of a line end, blank lines, comment lines)
        loop {
            match t.get(i) {
                Some(&b) if eol(b) => i += 1,
                Some(b'#') if i == 0 || eol(t[i - 1]) => {
                    while i < t.len() && !eol(t[i]) {
                        i += 1;
                    }
                }
                _ => break,
            }
        }
        if i < self.at {
            (self.at, self.line) = (0, 1);
        }
        self.line += crate::fsio::line_ends(t, self.at..i) as u64;
        self.at = i;
        self.line
    }
}

/// The most people an observed count may be: 10^10, more than live on Earth (a count of 1e308
/// had been taken as one).
pub const MAX_OBSERVED_PEOPLE: f64 = 1e10;

/// Warnings (each `file:line: …`) for observations whose cumulative count is below that of an
/// earlier date of the same scope and counter: a cumulative count does not go down, so one of
/// the two is rounded, counted differently or mistyped. Not an error: the public record has such
/// a pair (DHS: about 11,200 on 2021-05-25, more than 11,000 on 2021-06-01). A later lower
/// bound below an earlier count, or a later count below an earlier upper bound, is no such
/// pair (at least 11,000 after about 11,200 says nothing against it), and is not warned about.
pub fn decreasing_counts(obs: &[Observation], file: &str) -> Vec<String> {
    // For each observation, the earlier-dated one of its scope and counter with more people and
    // the latest date (of several on that date, the last in the file). Per scope and counter,
    // in date order, a stack of candidates with strictly decreasing counts answers that by
    // binary search: O(n log n) for n rows (comparing every pair took minutes on 80,000 rows).
    let mut groups: std::collections::HashMap<(&Scope, &Option<String>), Vec<usize>> =
        std::collections::HashMap::new();
    for (i, o) in obs.iter().enumerate() {
        groups.entry((&o.scope, &o.counter)).or_default().push(i);
    }
    let mut earlier_of: Vec<Option<usize>> = vec![None; obs.len()];
    for mut idx in groups.into_values() {
        idx.sort_by_key(|&i| obs[i].date); // stable: file order within a date
        let mut stack: Vec<usize> = Vec::new(); // counts strictly decreasing bottom to top
        let mut start = 0;
        while start < idx.len() {
            let date = obs[idx[start]].date;
            let end = start + idx[start..].partition_point(|&i| obs[i].date == date);
            for &i in &idx[start..end] {
                if obs[i].bound == Bound::Lower {
                    continue; // at least its count: not below an earlier one
                }
                let x = obs[i].people;
                let n = stack.partition_point(|&e| obs[e].people > x);
                earlier_of[i] = n.checked_sub(1).map(|k| stack[k]);
            }
            for &i in &idx[start..end] {
                let p = obs[i].people;
                if p.is_nan() || obs[i].bound == Bound::Upper {
                    continue; // never more than another count; at most its count
                }
                while stack.last().is_some_and(|&e| obs[e].people <= p) {
                    stack.pop();
                }
                stack.push(i);
            }
            start = end;
        }
    }
    let mut out = Vec::new();
    for (o, earlier) in obs.iter().zip(earlier_of) {
        if let Some(e) = earlier.map(|e| &obs[e]) {
            out.push(format!(
                "{file}:{}: cumulative_people {} on {} is below {} on {} (line {}){}: a \
                 cumulative count does not go down, so one of them is rounded, counted \
                 differently or mistyped",
                o.line,
                o.people,
                o.date,
                e.people,
                e.date,
                e.line,
                o.counter
                    .as_ref()
                    .map(|c| format!(", both counted by {c}"))
                    .unwrap_or_default()
            ));
        }
    }
    out
}

/// The last day simulated to its end \[days since start_date\]: an observation is compared
/// with the simulated value at the end of its date, so a horizon's last partial day (the half
/// day of `10.5d`) has no such value and is not allowed. `None` when the horizon is shorter than
/// one day.
pub fn last_simulated_day(scn: &Scenario) -> Option<u64> {
    let whole = scn.horizon.max(0.0).floor();
    (whole >= 1.0).then(|| whole as u64 - 1)
}

/// The fit at one observation.
#[derive(Debug, Clone, PartialEq)]
pub struct FitRow {
    /// The observation fitted (its observed count in `obs.people` \[people\]).
    pub obs: Observation,
    /// Quantiles over replications of the simulated value (cumulative people processed in
    /// `obs.scope` at the end of `obs.date`; NaN with no replications): the 5th percentile
    /// \[people\].
    pub p5: f64,
    /// The 25th percentile of the simulated value \[people\].
    pub p25: f64,
    /// The median of the simulated value \[people\].
    pub p50: f64,
    /// The 75th percentile of the simulated value \[people\].
    pub p75: f64,
    /// The 95th percentile of the simulated value \[people\].
    pub p95: f64,
    /// observed − simulated median \[people\] (positive: the model is behind the record); for a
    /// bound, 0 when the median is on its side ([`Bound::allows`]).
    pub error: f64,
    /// True when p5 <= observed <= p95; for a lower bound when p95 >= observed (the band
    /// reaches it), for an upper bound when p5 <= observed.
    pub inside90: bool,
}

impl FitRow {
    /// The error as the fit's tables print it \[people\]: the printed observed count less the
    /// printed median, both whole, so that a reader who subtracts the two columns gets the
    /// third. `error` itself is unrounded: with a median of 9,219.5 against 9,492 it is 272.5,
    /// printed alone as +273 beside a median printed as 9,220.
    /// A bound met by the median prints 0, as it is scored.
    pub fn printed_error(&self) -> f64 {
        match self.obs.bound {
            Bound::Exact => self.obs.people.round() - self.p50.round(),
            b if b.allows(self.obs.people, self.p50) => 0.0,
            _ => self.obs.people.round() - self.p50.round(),
        }
    }
}

/// The fit of a run to all observations.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// One row per observation, in the order of the observations given.
    pub rows: Vec<FitRow>,
    /// Root mean square of `error` over all rows \[people\].
    pub rmse: f64,
    /// Rows inside the 90% band \[rows\].
    pub inside90: usize,
}

impl Fit {
    /// RMSE over the rows dated on or before `until` (all rows when `None`).
    pub fn rmse_until(&self, until: Option<NaiveDate>) -> f64 {
        rmse(
            self.rows
                .iter()
                .filter(|r| until.is_none_or(|u| r.obs.date <= u))
                .map(|r| r.error),
        )
    }
}

fn rmse(errors: impl Iterator<Item = f64>) -> f64 {
    let (mut s, mut n) = (0.0, 0usize);
    for e in errors {
        s += e * e;
        n += 1;
    }
    if n == 0 {
        f64::NAN
    } else {
        (s / n as f64).sqrt()
    }
}

/// Simulated value of a scope on the end of `day` in one replication (its daily series intact).
pub fn simulated_value(scn: &Scenario, rep: &ReplicationResult, scope: &Scope, day: usize) -> f64 {
    let series = crate::model::scenario_series_names(scn);
    match scope {
        Scope::All => {
            let s = series.iter().position(|n| n == "processed").unwrap_or(1);
            rep.daily.get(day, s, false) as f64
        }
        Scope::Port(p) => {
            let key = format!("processed_today:{}", scn.ports[*p].name);
            let s = series.iter().position(|n| *n == key).unwrap_or(0);
            (0..=day).map(|d| rep.daily.get(d, s, true) as f64).sum()
        }
    }
}

/// Fit replications (with their daily series) to observations.
pub fn fit(scn: &Scenario, reps: &[ReplicationResult], obs: &[Observation]) -> Fit {
    let rows: Vec<FitRow> = obs
        .iter()
        .map(|o| {
            let mut v: Vec<f64> = reps
                .iter()
                .map(|r| simulated_value(scn, r, &o.scope, o.day))
                .collect();
            v.sort_by(f64::total_cmp);
            let q = |x| {
                if v.is_empty() {
                    f64::NAN
                } else {
                    quantile_sorted(&v, x)
                }
            };
            let (p5, p50, p95) = (q(0.05), q(0.5), q(0.95));
            FitRow {
                obs: o.clone(),
                p5,
                p25: q(0.25),
                p50,
                p75: q(0.75),
                p95,
                error: match o.bound {
                    Bound::Exact => o.people - p50,
                    b if b.allows(o.people, p50) => 0.0,
                    _ => o.people - p50,
                },
                inside90: match o.bound {
                    Bound::Exact => o.people >= p5 && o.people <= p95,
                    Bound::Lower => p95 >= o.people,
                    Bound::Upper => p5 <= o.people,
                },
            }
        })
        .collect();
    let rmse = rmse(rows.iter().map(|r| r.error));
    let inside90 = rows.iter().filter(|r| r.inside90).count();
    Fit {
        rows,
        rmse,
        inside90,
    }
}

/// Run a scenario as `experiment::run` does, and fit it to observations before the daily series
/// of the replications are dropped.
pub fn run_with_fit(
    scn: &Scenario,
    opts: &RunOptions,
    obs: &[Observation],
) -> Result<(RunResult, Fit), RunError> {
    let scn = effective_scenario(scn, opts);
    let started = Instant::now();
    let jobs: Vec<(usize, u32)> = (0..scn.replications).map(|i| (0, i)).collect();
    // The replications keep their daily series (also folded as they finished) for the fit.
    let out = run_jobs_folding(&[&scn], &jobs, opts, "replications", true)?;
    let partial = out.results.iter().any(|r| r.is_none());
    let mut reps: Vec<ReplicationResult> = Vec::new();
    append_finished(&mut reps, out.results);
    // The fit reads each replication's daily series, which `finish_with` then drops.
    let fit = fit(&scn, &reps, obs);
    let threads = opts.threads.unwrap_or_else(rayon::current_num_threads);
    let run = finish_with(
        &scn,
        reps,
        &out.daily[0],
        started.elapsed().as_secs_f64(),
        threads,
        partial,
    )?;
    Ok((run, fit))
}

/// The columns of `observed-fit.csv`, as [`fit_csv`] writes them and
/// `output::saved::load_fit` reads them back.
pub const FIT_HEADER: [&str; 13] = [
    "date",
    "day",
    "scope",
    "counter",
    "observed",
    "sim_p5",
    "sim_p25",
    "sim_p50",
    "sim_p75",
    "sim_p95",
    "error",
    "inside_90",
    "bound",
];

/// `observed-fit.csv`: one row per observation.
pub fn fit_csv(fit: &Fit) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(FIT_HEADER)?;
    for r in &fit.rows {
        w.write_record([
            r.obs.date.to_string(),
            r.obs.day.to_string(),
            r.obs.scope_name.clone(),
            r.obs.counter.clone().unwrap_or_default(),
            r.obs.people.to_string(),
            r.p5.to_string(),
            r.p25.to_string(),
            r.p50.to_string(),
            r.p75.to_string(),
            r.p95.to_string(),
            r.error.to_string(),
            r.inside90.to_string(),
            r.obs.bound.word().to_string(),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// A human-readable table of the fit.
pub fn fit_table(fit: &Fit) -> String {
    let mut s = String::new();
    s.push_str(
        "Fit to observed cumulative people processed (simulated value at the end of the date)\n",
    );
    // The band's two ends in two columns, so that its dashes line up; its header spans them.
    let mut t = Table::new(
        "  ",
        &[
            Col::left(10),
            Col::left(11),
            Col::left(8),
            Col::right(8),
            Col::right(8),
            Col::right(8),
            Col::left(10).gap(0),
            Col::right(8),
            Col::left(0),
        ],
    );
    t.row([
        "date", "scope", "counter", "observed", "sim P50", "sim 90%", " band", "error", "in band",
    ]);
    // People with thousands separators, as the other tables print them.
    let int = crate::format::fmt_int;
    let signed = |x: f64| {
        let sign = if x.round() < 0.0 { "-" } else { "+" };
        format!("{sign}{}", int(x.abs()))
    };
    for r in &fit.rows {
        t.row([
            r.obs.date.to_string(),
            r.obs.scope_name.clone(),
            r.obs.counter.clone().unwrap_or_default(),
            format!("{}{}", r.obs.bound.sign(), int(r.obs.people)),
            int(r.p50),
            int(r.p5),
            format!("–{}", int(r.p95)),
            signed(r.printed_error()),
            if r.inside90 { "yes" } else { "NO" }.to_string(),
        ]);
    }
    for line in t.lines() {
        s.push_str(&line);
        s.push('\n');
    }
    if fit.rows.iter().any(|r| r.obs.bound != Bound::Exact) {
        s.push_str(
            "  \u{2265} a lower bound, \u{2264} an upper bound: its error is 0 when the median is on \
             its side, and it is in band when the 90% band reaches it\n",
        );
    }
    s.push_str(&format!(
        "  RMSE (observed − median) {} people over {} observations; {} of {} inside the 90% band\n",
        int(fit.rmse),
        fit.rows.len(),
        fit.inside90,
        fit.rows.len()
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `counter` or header holding a character a terminal acts on is never printed raw: the
    /// counter is refused with its position and the code point, a header quoted escaped.
    #[test]
    fn control_characters_in_counters_and_headers_are_not_printed_raw() {
        let scn = crate::scenario::load_file(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/baseline.toml"
        )))
        .unwrap();
        let text = "date,cumulative_people,counter\n2021-03-01,100,IOM\u{1b}[2K\n";
        let e = parse_observed(text, "obs.csv", &scn)
            .unwrap_err()
            .to_string();
        assert!(e.contains("U+001B (escape) at character 4"), "{e}");
        assert!(e.contains("IOM\\u{1b}[2K"), "{e}");
        assert!(!e.contains('\u{1b}'), "{e}");
        let text = "dat\u{1b}e,people\n2021-03-01,100\n";
        let e = parse_observed(text, "obs.csv", &scn)
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing column `date`"), "{e}");
        assert!(e.contains("dat\\u{1b}e"), "{e}");
        assert!(!e.contains('\u{1b}'), "{e}");
        // A plain counter still reads.
        let text = "date,cumulative_people,counter\n2021-03-01,100,IOM\n";
        let obs = parse_observed(text, "obs.csv", &scn).unwrap();
        assert_eq!(obs[0].counter.as_deref(), Some("IOM"));
    }

    /// The pairwise comparison `decreasing_counts` replaced: for each row, the latest earlier
    /// date of its scope and counter with more people (the last in the file of that date).
    fn pairwise(obs: &[Observation]) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        for o in obs {
            let earlier = obs
                .iter()
                .filter(|e| e.scope == o.scope && e.counter == o.counter && e.date < o.date)
                .filter(|e| e.people > o.people)
                .max_by(|a, b| a.date.cmp(&b.date));
            if let Some(e) = earlier {
                out.push((o.line, e.line));
            }
        }
        out
    }

    /// The stack-based `decreasing_counts` names the same pairs, in the same order, as comparing
    /// every row with every other, on rows with repeated dates and counts, two scopes, two
    /// counters and dates out of order.
    #[test]
    fn decreasing_counts_matches_the_pairwise_comparison() {
        let start = NaiveDate::from_ymd_opt(2021, 3, 1).unwrap();
        let mut state = 12345u64;
        let mut next = |m: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        let obs: Vec<Observation> = (0..600)
            .map(|i| {
                let day = next(40);
                let scope = if next(2) == 0 {
                    Scope::All
                } else {
                    Scope::Port(0)
                };
                Observation {
                    line: i + 2,
                    date: start + chrono::Days::new(day),
                    day: day as usize,
                    people: next(12) as f64,
                    scope_name: format!("{scope:?}"),
                    scope,
                    counter: ["IOM", "DHS"].get(next(3) as usize).map(|c| c.to_string()),
                    bound: Bound::Exact,
                }
            })
            .collect();
        let want = pairwise(&obs);
        assert!(want.len() > 100, "the data should have many decreases");
        let got = decreasing_counts(&obs, "obs.csv");
        assert_eq!(got.len(), want.len());
        for (w, (line, earlier)) in got.iter().zip(want) {
            assert!(w.starts_with(&format!("obs.csv:{line}: ")), "{w}");
            assert!(w.contains(&format!("(line {earlier})")), "{w} / {earlier}");
        }
    }
}
