//! Units of the scenario format: durations ("45min", "2h", "1.5d", "3w") in days, times of day
//! ("HH:MM") as fractions of a day, weekday names ("Mon".."Sun") and calendar dates
//! ("YYYY-MM-DD"). Pure string parsers; their errors carry a message and an optional hint that
//! `validate` places at the right key path.

use chrono::NaiveDate;

/// Longest duration accepted anywhere \[days\]: far beyond the 36,500-day horizon limit, but small
/// enough that no time arithmetic in the engine can overflow.
pub const MAX_DURATION_DAYS: f64 = 1_000_000.0;

/// A parse failure: what is wrong and, where obvious, how to write it instead.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitError {
    /// What is wrong, as a sentence for the diagnostic.
    pub message: String,
    /// How to write it instead, where that is obvious; `None` otherwise.
    pub hint: Option<String>,
}

impl UnitError {
    fn new(message: impl Into<String>, hint: Option<String>) -> UnitError {
        UnitError {
            message: message.into(),
            hint,
        }
    }
}

/// Minutes per unit of the accepted duration units (`min`, `h`, `d`, `w`) \[min\]; `None` for
/// another.
pub fn unit_minutes(unit: &str) -> Option<i64> {
    match unit {
        "min" => Some(1),
        "h" => Some(60),
        "d" => Some(1440),
        "w" => Some(10080),
        _ => None,
    }
}

/// Days per unit of the accepted duration units: the minutes over 1,440 (each division
/// correctly rounded, so 1/1440, 1/24, 1 and 7 exactly as written out).
fn unit_days(unit: &str) -> Option<f64> {
    unit_minutes(unit).map(|m| m as f64 / 1440.0)
}

/// The accepted unit a planner probably meant by `unit`.
fn unit_suggestion(unit: &str) -> Option<&'static str> {
    match unit.to_ascii_lowercase().as_str() {
        "m" | "mn" | "mins" | "minute" | "minutes" | "min" => Some("min"),
        "hr" | "hrs" | "hour" | "hours" | "h" => Some("h"),
        "day" | "days" | "dy" | "d" => Some("d"),
        "wk" | "wks" | "week" | "weeks" | "w" => Some("w"),
        _ => None,
    }
}

/// How a number written with one comma between digits reads (`0,125`, `1,5`, `25,000`), as
/// the readings to offer: TOML, like `--set`, takes no comma in a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommaNumber {
    /// A decimal comma (`0,125` → `0.125`, `1,5` → `1.5`): the part after the comma is not
    /// three digits, the part before it is 0, or it is more than three digits.
    Decimal(String),
    /// A thousands separator (`25,000` → `25000`): three zeros after the comma.
    Thousands(String),
    /// Either (`1,500`: 1500, or 1.5 written with a decimal comma).
    Either {
        /// The number read with a thousands separator (`1,500` → `1500`).
        thousands: String,
        /// The number read with a decimal comma (`1,500` → `1.500`).
        decimal: String,
    },
}

/// The [readings](CommaNumber) of `text` when it is a sign, digits, one comma and digits;
/// `None` for anything else (several commas are thousands separators, read elsewhere).
pub fn comma_number(text: &str) -> Option<CommaNumber> {
    let t = text.trim();
    let (sign, unsigned) = match t.strip_prefix(['-', '+']) {
        Some(rest) => (&t[..1], rest),
        None => ("", t),
    };
    let (int, frac) = unsigned.split_once(',')?;
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !digits(frac) {
        return None;
    }
    let decimal = format!("{sign}{int}.{frac}");
    let thousands = format!("{sign}{int}{frac}");
    Some(
        if frac.len() != 3 || int.bytes().all(|b| b == b'0') || int.len() > 3 {
            CommaNumber::Decimal(decimal)
        } else if frac == "000" {
            CommaNumber::Thousands(thousands)
        } else {
            // (1.500 is 1.5: the zeros a comma's three digits end with add nothing)
            CommaNumber::Either {
                thousands,
                decimal: decimal.trim_end_matches('0').to_string(),
            }
        },
    )
}

/// The hint for a number written with a decimal comma ([`comma_number`]): `write` is what the
/// hint says to write for a number `x` (`positive = 0.125`, or `0.125` alone). `None` when the
/// comma can only separate thousands (`25,000`), or the text is no such number.
pub fn decimal_comma_hint(text: &str, write: impl Fn(&str) -> String) -> Option<String> {
    match comma_number(text)? {
        CommaNumber::Decimal(x) => Some(format!(
            "a decimal number is written with a point: {}, not {}",
            write(&x),
            text.trim()
        )),
        CommaNumber::Either { thousands, decimal } => Some(format!(
            "a number has no comma in it: for {thousands} write {}; for {decimal} (a decimal \
             comma) write {} (a decimal number is written with a point)",
            write(&thousands),
            write(&decimal)
        )),
        CommaNumber::Thousands(_) => None,
    }
}

/// The unit of a key that takes a plain number, by its path (`port[El Paso].quota_per_day` →
/// "people/day"), for axis labels; `None` for keys without one (counts of replications, seeds)
/// and for durations, whose values carry their unit ("3d").
pub fn number_unit(path: &str) -> Option<&'static str> {
    let last = path.rsplit('.').next().unwrap_or(path);
    let after_ramp = path.ends_with("ramp.from");
    Some(match last {
        "quota_per_day" => "people/day",
        _ if after_ramp => "people/day",
        "seats" | "holding" | "people" | "group_size" => "people",
        "servers" => "servers",
        "share" | "capacity" => "fraction",
        "never" | "positive" => "probability",
        "hazard_per_day" => "1/day",
        "rate_per_day" => "groups/day",
        _ => return None,
    })
}

/// Whether the key (its last segment: `horizon`, `port[A].service`) takes a duration, written
/// as text with its unit ("400d"), or a distribution of durations.
pub fn takes_duration(path: &str) -> bool {
    let last = path.rsplit('.').next().unwrap_or(path);
    !path.ends_with("ramp.from")
        && [
            "horizon",
            "warmup",
            "over",
            "opens",
            "from",
            "until",
            "delay",
            "service",
            "turnaround",
            "isolation",
            "travel",
            "mean",
            "sd",
            "min",
            "mode",
            "max",
        ]
        .contains(&last)
}

/// Whether the key takes a count (people, people a day, servers, groups a day, replications, a
/// seed), written in digits alone.
pub fn takes_count(path: &str) -> bool {
    let last = path.rsplit('.').next().unwrap_or(path);
    matches!(
        number_unit(path),
        Some("people" | "people/day" | "servers" | "groups/day")
    ) || ["replications", "seed"].contains(&last)
}

/// The drop-out hazard per day at which a share `p` (0 < p < 1) of those still waiting drops
/// out within `days`: −ln(1 − p)/days, to two significant digits (5% a month of 30 days:
/// 0.0017; 0.05/30 would understate it a little, and 0.05 a day is 30 times too high).
pub fn hazard_for_share(p: f64, days: f64) -> f64 {
    let h = -(1.0 - p).ln() / days;
    format!("{h:.1e}").parse().unwrap_or(h)
}

/// The hint for a share `p` (0 < p < 1) of those waiting dropping out each `period` (a
/// "week" of 7 days, a "month" of 30, a "year" of 365): the hazard per day to write for it,
/// with the formula (`for 5% a month, write hazard_per_day = 0.0017 (−ln(1 − 0.05)/30)`).
/// `None` for another period or a share outside (0, 1).
pub fn share_per_period_hint(p: f64, period: &str) -> Option<String> {
    let days = match period {
        "week" => 7.0,
        "month" => 30.0,
        "year" => 365.0,
        _ => return None,
    };
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    let pct: f64 = format!("{:.10}", p * 100.0).parse().unwrap_or(p * 100.0);
    Some(format!(
        "for {pct}% a {period}, write hazard_per_day = {} (−ln(1 − {p})/{days})",
        hazard_for_share(p, days)
    ))
}

/// For a count written with letters after its digits (`people = 12k`, `seats = 55x`,
/// `servers = 20staff`), quoted or not: the number to write, in digits alone. `k` or `thousand`
/// after the digits is read as thousands ("12k": 12000), `M` or `million` as millions; other
/// letters are dropped. `None` for a key that does not take a count, or a text that is not
/// digits followed by letters.
pub fn count_with_letters_hint(path: &str, text: &str) -> Option<String> {
    if !takes_count(path) {
        return None;
    }
    let t = text.trim();
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, letters) = (&t[..end], t[end..].trim());
    let x: f64 = num.parse().ok()?;
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let scale = match letters {
        "k" | "K" | "thousand" | "thousands" => Some((1e3, "thousand")),
        "M" | "m" | "mn" | "million" | "millions" => Some((1e6, "million")),
        _ => None,
    };
    // 1.2 * 1000 is 1199.99…: round to 12 significant digits for the reader.
    let x = x * scale.map_or(1.0, |(f, _)| f);
    // Every count but groups a day is whole: a hint must not write 1234.5 people.
    let x: f64 = format!("{x:.12e}").parse().unwrap_or(x);
    if x.fract() != 0.0 && number_unit(path) != Some("groups/day") {
        return None;
    }
    let key = path.rsplit('.').next().unwrap_or(path);
    Some(match scale {
        Some((_, word)) => {
            format!("write the number in digits, without quotes: {key} = {x} ({t} is {num} {word})")
        }
        None => {
            format!("write the number in digits alone, without quotes or letters: {key} = {x}")
        }
    })
}

/// Parse a duration string into days. The unit is required: `min`, `h`, `d` or `w`.
pub fn parse_duration(text: &str) -> Result<f64, UnitError> {
    let s = text.trim();
    if s.is_empty() {
        return Err(UnitError::new(
            "empty duration",
            Some(r#"write a number and a unit, e.g. "20d", "2h", "45min" or "3w""#.into()),
        ));
    }
    // Several parts ("1d 2h") or a clock's hours and minutes ("1:30"): one number and one unit
    // is the format, and the sum is given in it.
    if let Some(e) = several_parts(s) {
        return Err(e);
    }
    let split = s
        .char_indices()
        .find(|(_, c)| c.is_alphabetic() || c.is_whitespace())
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    let (num_text, unit) = (s[..split].trim(), s[split..].trim());
    if num_text.is_empty() {
        return Err(UnitError::new(
            format!("duration \"{s}\" does not start with a number"),
            Some(r#"write a number and a unit, e.g. "20d", "2h", "45min" or "3w""#.into()),
        ));
    }
    let value: f64 = match num_text.parse() {
        Ok(v) => v,
        Err(_) => {
            return Err(UnitError::new(
                format!("\"{num_text}\" in duration \"{s}\" is not a number"),
                Some(r#"write a number and a unit, e.g. "1.5d""#.into()),
            ))
        }
    };
    if unit.is_empty() {
        return Err(number_without_unit(value));
    }
    let Some(minutes) = unit_minutes(unit) else {
        let years =
            ["y", "yr", "yrs", "year", "years"].contains(&unit.to_ascii_lowercase().as_str());
        let months = ["mo", "mos", "mon", "mth", "mths", "month", "months"]
            .contains(&unit.to_ascii_lowercase().as_str());
        let hint = match unit_suggestion(unit) {
            Some(u) => format!("write \"{num_text}{u}\""),
            // No year unit: in days (365 a year).
            None if years => format!(
                "the units are min, h, d and w: for {num_text} year{} of 365 days write \"{}d\"",
                if value == 1.0 { "" } else { "s" },
                (value * 365.0 * 1e6).round() / 1e6
            ),
            // No month unit either, and a month is not one length: in days of 30, said so.
            None if months => format!(
                "the units are min, h, d and w, and months differ in length: for {num_text} \
                 month{} of 30 days write \"{}d\"",
                if value == 1.0 { "" } else { "s" },
                (value * 30.0 * 1e6).round() / 1e6
            ),
            None => {
                "the units are min, h, d and w (e.g. \"45min\", \"2h\", \"1.5d\", \"3w\")".into()
            }
        };
        return Err(UnitError::new(
            format!("unknown unit \"{unit}\" in duration \"{s}\""),
            Some(hint),
        ));
    };
    if !value.is_finite() {
        return Err(UnitError::new(
            format!("duration \"{s}\" is not a finite number"),
            None,
        ));
    }
    if value < 0.0 {
        return Err(UnitError::new(
            format!("duration \"{s}\" is negative; durations must not be negative"),
            None,
        ));
    }
    // Minutes and hours as one correctly rounded division of the minutes written out, as a
    // time of day is ("480min", "8h" and "08:00" are the same instant: value × (1/1440) would
    // round twice and land an ulp late for 371 of a day's 1,440 whole minutes); days and weeks
    // as a whole number of days times the value (exact for "1d", one rounding for "1.5w").
    let days = if minutes % 1440 == 0 {
        value * (minutes / 1440) as f64
    } else {
        value * minutes as f64 / 1440.0
    };
    if !days.is_finite() || days > MAX_DURATION_DAYS {
        return Err(UnitError::new(
            format!("duration \"{s}\" is longer than the {MAX_DURATION_DAYS} days accepted"),
            None,
        ));
    }
    // "-0d" is the duration 0: +0.0, not -0.0, whose sign bit would order it after every
    // positive time where times are compared by their bits (the pre-sorted event streams).
    Ok(if days == 0.0 { 0.0 } else { days })
}

/// The error for a duration written in several parts, each a number and a known unit ("1d 2h",
/// "2h30min"), or as hours and minutes ("1:30", "0:45:00"): a duration is one number and one
/// unit, and the hint gives the sum in the smallest unit written ("26h", "90min"). `None` for
/// any other text.
fn several_parts(s: &str) -> Option<UnitError> {
    let number = |x: f64| -> String { format!("{}", (x * 1e6).round() / 1e6) };
    // hours:minutes(:seconds)
    let clock: Vec<&str> = s.split(':').collect();
    if (2..=3).contains(&clock.len())
        && clock
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        let v: Vec<f64> = clock.iter().filter_map(|p| p.parse().ok()).collect();
        let minutes = v[0] * 60.0 + v[1] + v.get(2).copied().unwrap_or(0.0) / 60.0;
        return Some(UnitError::new(
            format!("duration \"{s}\" is written as hours and minutes"),
            Some(format!(
                "a duration is one number and one unit: write \"{}min\"",
                number(minutes)
            )),
        ));
    }
    // number-unit parts
    let mut parts: Vec<(f64, &str)> = Vec::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let n_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let value: f64 = rest[..n_end].parse().ok()?;
        let after = rest[n_end..].trim_start();
        let u_end = after
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(after.len());
        let unit = &after[..u_end];
        unit_days(unit)?;
        parts.push((value, unit));
        rest = after[u_end..]
            .trim_start()
            .trim_start_matches(['+', ','])
            .trim_start();
    }
    if parts.len() < 2 {
        return None;
    }
    let total: f64 = parts
        .iter()
        .map(|(v, u)| v * unit_days(u).unwrap_or(0.0))
        .sum();
    let smallest = parts.iter().map(|(_, u)| *u).min_by(|a, b| {
        unit_days(a)
            .unwrap_or(0.0)
            .total_cmp(&unit_days(b).unwrap_or(0.0))
    })?;
    let value = total / unit_days(smallest)?;
    Some(UnitError::new(
        format!("duration \"{s}\" has {} parts", parts.len()),
        Some(format!(
            "a duration is one number and one unit: write \"{}{smallest}\"",
            number(value)
        )),
    ))
}

/// A duration \[days\] as a planner reads it, in the format's own units: minutes under an hour,
/// hours under a day, else days, to 6 significant digits ("45min", "2h", "1.5d"; 0 is "0d").
/// For messages: a value written "2h" had read "0.08333333333333333 d".
pub fn duration_text(days: f64) -> String {
    if !days.is_finite() {
        return format!("{days} d");
    }
    let (x, unit) = if days.abs() >= 1.0 || days == 0.0 {
        (days, "d")
    } else if days.abs() * 24.0 >= 1.0 {
        (days * 24.0, "h")
    } else {
        (days * 1440.0, "min")
    };
    let r: f64 = format!("{x:.5e}").parse().unwrap_or(x);
    format!("{r}{unit}")
}

/// The error for a duration written as a bare number (string "20" or TOML number 20).
pub fn number_without_unit(value: f64) -> UnitError {
    if !value.is_finite() {
        return UnitError::new(
            format!("duration {value} is not a finite number"),
            Some("write a number with its unit (min, h, d, w), e.g. \"30d\"".into()),
        );
    }
    let shown = format!("{value}");
    // No unit is guessed: "30" may be minutes as well as days.
    let hint = if value < 0.0 {
        "a duration is 0 or more, with its unit (min, h, d, w), e.g. \"30min\"".to_string()
    } else {
        format!(
            "write it with its unit: \"{shown}min\", \"{shown}h\", \"{shown}d\" or \"{shown}w\""
        )
    };
    UnitError::new(format!("duration {shown} has no unit"), Some(hint))
}

/// Parse a time of day "HH:MM" (00:00 to 24:00) into a fraction of a day.
pub fn parse_time_of_day(text: &str) -> Result<f64, UnitError> {
    let s = text.trim();
    let bad = || {
        UnitError::new(
            format!("\"{s}\" is not a time of day"),
            Some(r#"write 24-hour "HH:MM", e.g. "08:00" or "18:30""#.into()),
        )
    };
    // Seconds ("08:00:00", as a TOML time written without quotes is read): times are to the
    // minute, written without them.
    if let [h, m, sec] = s.split(':').collect::<Vec<_>>()[..] {
        let digits = |p: &str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit());
        if (1..=2).contains(&h.len())
            && h.bytes().all(|b| b.is_ascii_digit())
            && digits(m)
            && digits(sec)
            && parse_time_of_day(&format!("{h}:{m}")).is_ok()
        {
            return Err(UnitError::new(
                format!("\"{s}\" is not a time of day in HH:MM: it has seconds"),
                Some(format!(
                    "write \"{h}:{m}\" (in quotes, without seconds{})",
                    if sec == "00" {
                        ""
                    } else {
                        "; times are to the minute"
                    }
                )),
            ));
        }
    }
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(bad());
    }
    if !h.bytes().all(|b| b.is_ascii_digit()) || !m.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let hours: u32 = h.parse().map_err(|_| bad())?;
    let minutes: u32 = m.parse().map_err(|_| bad())?;
    if minutes > 59 || hours > 24 || (hours == 24 && minutes > 0) {
        return Err(UnitError::new(
            format!("\"{s}\" is not a time of day between 00:00 and 24:00"),
            None,
        ));
    }
    Ok((hours * 60 + minutes) as f64 / 1440.0)
}

pub(crate) const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAYS_LONG: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A set of weekdays as a text: "Sat, Sun", "Mon–Fri" for a run of three or more, "no day".
pub fn days_text(days: &[bool; 7]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < 7 {
        if !days[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < 7 && days[j + 1] {
            j += 1;
        }
        if j >= i + 2 {
            parts.push(format!("{}–{}", WEEKDAYS[i], WEEKDAYS[j]));
        } else {
            parts.extend((i..=j).map(|k| WEEKDAYS[k].to_string()));
        }
        i = j + 1;
    }
    if parts.is_empty() {
        "no day".into()
    } else {
        parts.join(", ")
    }
}

/// A list of texts as TOML writes it: `["Mon", "Tue"]`.
pub fn toml_list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("{:?}", s.as_ref())).collect();
    format!("[{}]", quoted.join(", "))
}

/// The two times of an opening written as one text (`"08:00-18:00"`, `"08:00 – 18:00"`,
/// `"08:00 to 18:00"`), each checked to be a time of day: for a hint.
pub fn hours_in_text(text: &str) -> Option<[String; 2]> {
    let s = text.trim();
    let (a, b) = [" to ", "–", "—", "-"]
        .iter()
        .find_map(|sep| s.split_once(sep))?;
    let (a, b) = (a.trim(), b.trim());
    (parse_time_of_day(a).is_ok() && parse_time_of_day(b).is_ok())
        .then(|| [a.to_string(), b.to_string()])
}

/// The weekdays a text names, for a hint: `"weekdays"` (Monday to Friday), `"weekend"`, a range
/// (`"Mon-Fri"`, `"Monday to Friday"`), a list (`"Mon, Wed"`, `"Mon Wed"`) or one day; `None`
/// for anything else (and for "every day", which is `days` left out).
pub fn weekdays_in_text(text: &str) -> Option<Vec<&'static str>> {
    let s = text.trim().to_lowercase();
    match s.as_str() {
        "weekdays" | "weekday" | "workdays" | "working days" | "business days" => {
            return Some(WEEKDAYS[..5].to_vec())
        }
        "weekend" | "weekends" => return Some(WEEKDAYS[5..].to_vec()),
        _ => {}
    }
    let day = |t: &str| weekday_index(t);
    if let Some((a, b)) = [" to ", "–", "—", "-"]
        .iter()
        .find_map(|sep| s.split_once(sep))
    {
        let (a, b) = (day(a)?, day(b)?);
        let n = (b + 7 - a) % 7 + 1;
        return Some((0..n).map(|k| WEEKDAYS[(a + k) % 7]).collect());
    }
    let parts: Vec<&str> = s
        .split([',', ' ', ';', '/'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return None;
    }
    parts.iter().map(|p| day(p).map(|i| WEEKDAYS[i])).collect()
}

/// The weekdays of a whole `days` list whose entries are days or texts of several days
/// (`["Mon-Wed", "Fri"]`: Mon, Tue, Wed, Fri), each once, in the order written: for a hint that
/// keeps every entry. `None` when an entry is neither.
pub fn weekdays_in_list<S: AsRef<str>>(list: &[S]) -> Option<Vec<&'static str>> {
    let mut out: Vec<&'static str> = Vec::new();
    for entry in list {
        let days = match weekday_index(entry.as_ref()) {
            Some(i) => vec![WEEKDAYS[i]],
            None => weekdays_in_text(entry.as_ref())?,
        };
        for day in days {
            if !out.contains(&day) {
                out.push(day);
            }
        }
    }
    Some(out)
}

/// Whether a text means every day of the week (`days` left out).
pub fn means_every_day(text: &str) -> bool {
    matches!(
        text.trim().to_lowercase().as_str(),
        "daily" | "every day" | "everyday" | "all" | "all days" | "all week" | "always"
    )
}

/// 0 = Monday … 6 = Sunday for a weekday's name ("Mon" or "Monday", any case).
fn weekday_index(text: &str) -> Option<usize> {
    let s = text.trim();
    WEEKDAYS
        .iter()
        .zip(WEEKDAYS_LONG)
        .position(|(short, long)| s.eq_ignore_ascii_case(short) || s.eq_ignore_ascii_case(long))
}

/// Parse a weekday name ("Mon" or "Monday", any case) into 0 = Monday … 6 = Sunday.
pub fn parse_weekday(text: &str) -> Result<u8, UnitError> {
    let s = text.trim();
    if let Some(i) = weekday_index(s) {
        return Ok(i as u8);
    }
    // Several days in one text ("weekdays", "Mon-Fri"): the list to write, not a day it is
    // close to ("weekdays" had been taken for "Wed").
    if let Some(days) = weekdays_in_text(s) {
        return Err(UnitError::new(
            format!("\"{s}\" is not a weekday but several"),
            Some(format!(
                "write them one by one: days = {}",
                toml_list(&days)
            )),
        ));
    }
    if means_every_day(s) {
        return Err(UnitError::new(
            format!("\"{s}\" is not a weekday"),
            Some(format!(
                "leave `days` out for every day, or write days = {}",
                toml_list(&WEEKDAYS)
            )),
        ));
    }
    let hint =
        match super::validate::closest(s, WEEKDAYS.iter().chain(WEEKDAYS_LONG.iter()).copied()) {
            Some(c) => {
                let i = WEEKDAYS
                    .iter()
                    .chain(WEEKDAYS_LONG.iter())
                    .position(|w| *w == c)
                    .unwrap_or(0)
                    % 7;
                format!("did you mean \"{}\"?", WEEKDAYS[i])
            }
            None => {
                "weekdays are \"Mon\", \"Tue\", \"Wed\", \"Thu\", \"Fri\", \"Sat\", \"Sun\"".into()
            }
        };
    Err(UnitError::new(
        format!("\"{s}\" is not a weekday"),
        Some(hint),
    ))
}

/// Parse a calendar date "YYYY-MM-DD".
pub fn parse_date(text: &str) -> Result<NaiveDate, UnitError> {
    let s = text.trim();
    let shape_ok = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape_ok {
        return Err(UnitError::new(
            format!("\"{s}\" is not a date"),
            Some(date_hint(s)),
        ));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        UnitError::new(
            format!("\"{s}\" is not a calendar date (no such day)"),
            None,
        )
    })
}

/// English month names, January first, matched on their first three letters.
const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// How to write a date that is not `YYYY-MM-DD`, in that form where the text says which day
/// it is: `2024-3-1` or `2024/03/01` (year first), `1 March 2024` or `March 1, 2024` (a month
/// name), `15/03/2024` (a day above 12 says which number is the month); both readings of
/// `01/03/2024`, which is 1 March where the day comes first and 3 January where the month
/// does, so that neither is taken for the planner.
fn date_hint(s: &str) -> String {
    const FORM: &str = r#"write "YYYY-MM-DD", e.g. "2021-02-19""#;
    match date_readings(s)[..] {
        [one] => format!("write \"{}\" (YYYY-MM-DD)", one.format("%Y-%m-%d")),
        [x, y] => format!(
            "write \"YYYY-MM-DD\": \"{}\" if {s} is day/month/year, \"{}\" if it is \
             month/day/year",
            x.format("%Y-%m-%d"),
            y.format("%Y-%m-%d")
        ),
        _ => FORM.into(),
    }
}

/// The calendar dates a text written as a date in another form than `YYYY-MM-DD` can be:
/// none when it is not a date (or is one in that form), one where the text says which day it
/// is (`2024/03/01`, `1 March 2024`, `15/03/2024`), and two for a day and a month that could
/// be either (`01/03/2024`): the day/month/year reading first, then the month/day/year one.
pub(crate) fn date_readings(s: &str) -> Vec<NaiveDate> {
    let s = s.trim();
    let parts: Vec<&str> = s
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    let number = |p: &str| -> Option<u32> {
        (p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let month_name = |p: &str| -> Option<u32> {
        let l = p.to_ascii_lowercase();
        (l.len() >= 3 && l.bytes().all(|b| b.is_ascii_alphabetic()))
            .then(|| MONTHS.iter().position(|m| l.starts_with(m)))
            .flatten()
            .map(|i| i as u32 + 1)
    };
    let ymd = |y: u32, m: u32, d: u32| NaiveDate::from_ymd_opt(y as i32, m, d);
    if parts.len() != 3 {
        return Vec::new();
    }
    let is_year = |p: &str| p.len() == 4 && number(p).is_some();
    // A month name with a day and a year, in either order ("1 March 2024", "March 1, 2024").
    if let Some(i) = parts.iter().position(|p| month_name(p).is_some()) {
        let rest: Vec<&str> = (0..3).filter(|&j| j != i).map(|j| parts[j]).collect();
        let m = month_name(parts[i]).unwrap_or(1);
        let date = match rest[..] {
            [y, d] | [d, y] if is_year(y) && !is_year(d) => {
                number(d).and_then(|d| ymd(number(y)?, m, d))
            }
            _ => None,
        };
        return date.into_iter().collect();
    }
    let n: Vec<Option<u32>> = parts.iter().map(|p| number(p)).collect();
    let (Some(a), Some(b), Some(c)) = (n[0], n[1], n[2]) else {
        return Vec::new();
    };
    if is_year(parts[0]) {
        return ymd(a, b, c).into_iter().collect();
    }
    if !is_year(parts[2]) {
        return Vec::new();
    }
    // Day and month before the year: one reading, or two to choose from.
    match (ymd(c, b, a), ymd(c, a, b)) {
        (Some(x), Some(y)) if x != y => vec![x, y],
        (Some(x), _) | (None, Some(x)) => vec![x],
        (None, None) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One comma between digits is a decimal comma unless three digits follow a non-zero part
    /// of at most three digits: then `000` is thousands and anything else either.
    #[test]
    fn a_comma_in_a_number_reads_as_a_decimal_or_thousands() {
        use CommaNumber::*;
        assert_eq!(comma_number("0,125"), Some(Decimal("0.125".into())));
        assert_eq!(comma_number("0,03"), Some(Decimal("0.03".into())));
        assert_eq!(comma_number("-1,5"), Some(Decimal("-1.5".into())));
        assert_eq!(comma_number("0,0005"), Some(Decimal("0.0005".into())));
        assert_eq!(comma_number("1234,567"), Some(Decimal("1234.567".into())));
        assert_eq!(comma_number("25,000"), Some(Thousands("25000".into())));
        assert_eq!(
            comma_number("1,500"),
            Some(Either {
                thousands: "1500".into(),
                decimal: "1.5".into()
            })
        );
        for no in ["1,234,567", "1,", ",5", "1.5", "a,b", "1, 5"] {
            assert_eq!(comma_number(no), None, "{no}");
        }
        assert_eq!(
            decimal_comma_hint("0,125", |x| format!("positive = {x}")).as_deref(),
            Some("a decimal number is written with a point: positive = 0.125, not 0,125")
        );
        assert_eq!(decimal_comma_hint("25,000", str::to_string), None);
    }

    #[test]
    fn a_duration_in_minutes_or_hours_is_the_time_of_day_written_out() {
        // "Nmin" and "Nh" are the instant "HH:MM" is, to the bit, for every whole minute of a
        // day (value × (1/1440) had been an ulp late for 371 of them, "480min" among them).
        for n in 0..=1440u32 {
            let hhmm = format!("{:02}:{:02}", n / 60, n % 60);
            let tod = parse_time_of_day(&hhmm).unwrap();
            assert_eq!(parse_duration(&format!("{n}min")).unwrap(), tod, "{n}min");
            if n % 60 == 0 {
                assert_eq!(parse_duration(&format!("{}h", n / 60)).unwrap(), tod, "{n}");
            }
        }
        assert_eq!(parse_duration("480min"), parse_duration("8h"));
        assert_eq!(parse_duration("1.5d").unwrap(), 1.5);
        assert_eq!(parse_duration("0.1d").unwrap(), 0.1);
        assert_eq!(parse_duration("2w").unwrap(), 14.0);
    }

    /// "-0d" (and "-0h", "-0.0min") is the duration +0.0: a -0.0 had sorted after every
    /// positive time in the pre-sorted registration stream, so that a phase opening at "-0d"
    /// registered after the horizon.
    #[test]
    fn a_negative_zero_duration_is_positive_zero() {
        for text in ["-0d", "-0h", "-0.0min", "-0w", "0d"] {
            let d = parse_duration(text).unwrap();
            assert_eq!(d.to_bits(), 0.0f64.to_bits(), "{text}");
        }
    }

    /// Days per unit, derived from the minutes, are the very values written out as fractions.
    #[test]
    fn days_per_unit_are_the_fractions_written_out() {
        assert_eq!(unit_days("min"), Some(1.0 / 1440.0));
        assert_eq!(unit_days("h"), Some(1.0 / 24.0));
        assert_eq!(unit_days("d"), Some(1.0));
        assert_eq!(unit_days("w"), Some(7.0));
        assert_eq!(unit_days("y"), None);
    }

    #[test]
    fn durations_read_in_a_unit_a_planner_reads() {
        assert_eq!(duration_text(2.0 / 24.0), "2h");
        assert_eq!(duration_text(45.0 / 1440.0), "45min");
        assert_eq!(duration_text(1.5), "1.5d");
        assert_eq!(duration_text(0.0), "0d");
        assert_eq!(duration_text(1.0 / 3.0), "8h");
        assert_eq!(duration_text(365.0), "365d");
        assert_eq!(duration_text(1.0 / 7.0), "3.42857h");
    }

    #[test]
    fn plain_number_keys_have_units() {
        assert_eq!(
            number_unit("port[El Paso].quota_per_day"),
            Some("people/day")
        );
        assert_eq!(number_unit("port[El Paso].ramp.from"), Some("people/day"));
        assert_eq!(number_unit("route[A->B].seats"), Some("people"));
        assert_eq!(number_unit("screening.servers"), Some("servers"));
        assert_eq!(number_unit("attrition.hazard_per_day"), Some("1/day"));
        assert_eq!(number_unit("scenario.replications"), None);
        assert_eq!(number_unit("port[P].opens"), None);
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn durations_in_every_unit() {
        assert!(close(parse_duration("45min").unwrap(), 45.0 / 1440.0));
        assert!(close(parse_duration("2h").unwrap(), 2.0 / 24.0));
        assert!(close(parse_duration("1.5d").unwrap(), 1.5));
        assert!(close(parse_duration("3w").unwrap(), 21.0));
        assert!(close(parse_duration("0d").unwrap(), 0.0));
        assert!(close(parse_duration(" 2 h ").unwrap(), 2.0 / 24.0));
    }

    #[test]
    fn non_finite_number_is_named_as_such() {
        let e = number_without_unit(f64::NAN);
        assert_eq!(e.message, "duration NaN is not a finite number");
        let e = number_without_unit(f64::INFINITY);
        assert_eq!(e.message, "duration inf is not a finite number");
    }

    #[test]
    fn bare_number_needs_a_unit() {
        let e = parse_duration("20").unwrap_err();
        assert!(e.message.contains("no unit"), "{e:?}");
        // No unit guessed: minutes as much as days.
        assert_eq!(
            e.hint.as_deref(),
            Some(r#"write it with its unit: "20min", "20h", "20d" or "20w""#)
        );
        let e = number_without_unit(-1.0);
        assert!(!e.hint.unwrap().contains("-1d"));
    }

    #[test]
    fn wrong_units_get_a_suggestion() {
        let e = parse_duration("5 days").unwrap_err();
        assert!(e.message.contains("unknown unit \"days\""), "{e:?}");
        assert_eq!(e.hint.as_deref(), Some(r#"write "5d""#));
        let e = parse_duration("30m").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some(r#"write "30min""#));
        assert!(parse_duration("3fortnights")
            .unwrap_err()
            .hint
            .unwrap()
            .contains("min, h, d"));
    }

    #[test]
    fn bad_durations_are_refused() {
        for s in [
            "",
            "d",
            "-3d",
            "nand",
            "infd",
            "NaN",
            "1e3d",
            "1..5d",
            "99999999999w",
            "--1d",
        ] {
            assert!(parse_duration(s).is_err(), "{s:?} accepted");
        }
        let long = format!("1{}d", "0".repeat(400));
        assert!(parse_duration(&long).is_err());
    }

    #[test]
    fn times_of_day() {
        assert!(close(parse_time_of_day("00:00").unwrap(), 0.0));
        assert!(close(parse_time_of_day("08:00").unwrap(), 8.0 / 24.0));
        assert!(close(parse_time_of_day("8:30").unwrap(), 8.5 / 24.0));
        assert!(close(parse_time_of_day("24:00").unwrap(), 1.0));
        for s in [
            "24:01", "25:00", "08:60", "8", "8am", "08:00:00", "-1:00", "ab:cd", "",
        ] {
            assert!(parse_time_of_day(s).is_err(), "{s:?} accepted");
        }
    }

    #[test]
    fn weekdays() {
        assert_eq!(parse_weekday("Mon").unwrap(), 0);
        assert_eq!(parse_weekday("sunday").unwrap(), 6);
        assert_eq!(parse_weekday("FRI").unwrap(), 4);
        let e = parse_weekday("Thurs").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("did you mean \"Thu\"?"));
        assert!(parse_weekday("Xyz").is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2021-02-19").unwrap(),
            NaiveDate::from_ymd_opt(2021, 2, 19).unwrap()
        );
        let e = parse_date("2021-02-30").unwrap_err();
        assert!(e.message.contains("not a calendar date"), "{e:?}");
        assert!(parse_date("2021-2-3").is_err());
        assert!(parse_date("19/02/2021").is_err());
        // The hint gives the date in the format's form where the text says which day it is,
        // and both readings where day and month could be either.
        let hint = |s: &str| parse_date(s).unwrap_err().hint.unwrap();
        for (text, form) in [
            ("2024-3-1", "2024-03-01"),
            ("2024/03/01", "2024-03-01"),
            ("19/02/2021", "2021-02-19"),
            ("02/19/2021", "2021-02-19"),
            ("1 March 2024", "2024-03-01"),
            ("March 1, 2024", "2024-03-01"),
            ("1-mar-2024", "2024-03-01"),
        ] {
            assert_eq!(
                hint(text),
                format!("write \"{form}\" (YYYY-MM-DD)"),
                "{text}"
            );
        }
        assert_eq!(
            hint("01/03/2024"),
            "write \"YYYY-MM-DD\": \"2024-03-01\" if 01/03/2024 is day/month/year, \
             \"2024-01-03\" if it is month/day/year"
        );
        for unclear in [
            "tomorrow",
            "2024",
            "31/02/2024",
            "03/03/24",
            "1 Smarch 2024",
        ] {
            assert_eq!(
                hint(unclear),
                r#"write "YYYY-MM-DD", e.g. "2021-02-19""#,
                "{unclear}"
            );
        }
        assert!(parse_date("2020-02-29").is_ok());
        assert!(parse_date("2021-02-29").is_err());
    }
}
