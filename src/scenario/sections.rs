//! Table -> raw structs: walks the `toml::Table` against the known key sets (`raw::SCHEMA`),
//! reporting EVERY unknown key (with a "did you mean" hint) and every wrongly shaped section,
//! then deserializes section by section — and, when a section fails, key by key — so that one
//! wrong value never hides another.

use super::diag::{element_labels, join, Diags};
use super::raw::*;
use super::validate::closest;
use serde::de::DeserializeOwned;

/// Build the raw file from a table, reporting problems into `d`.
pub fn raw_from_table(table: &toml::Table, d: &mut Diags) -> RawFile {
    let mut raw = RawFile::default();
    for (key, value) in table.iter() {
        if !SCHEMA.iter().any(|s| s.name == key) {
            let known: Vec<&str> = SCHEMA.iter().map(|s| s.name).collect();
            unknown_key(d, "", key, Some(value), &known, true);
        }
    }
    for section in SCHEMA {
        let Some(value) = table.get(section.name) else {
            continue;
        };
        match (section.shape, value) {
            (Shape::Table, toml::Value::Table(t)) => {
                let cleaned = clean(t, section.name, section, d);
                match section.name {
                    "scenario" => raw.scenario = section_into(&cleaned, section.name, d),
                    "backlog" => raw.backlog = section_into(&cleaned, section.name, d),
                    "registration" => raw.registration = section_into(&cleaned, section.name, d),
                    "screening" => raw.screening = section_into(&cleaned, section.name, d),
                    "health" => raw.health = section_into(&cleaned, section.name, d),
                    "attrition" => raw.attrition = section_into(&cleaned, section.name, d),
                    "dispatch" => raw.dispatch = section_into(&cleaned, section.name, d),
                    "inflow" => raw.inflow = section_into(&cleaned, section.name, d),
                    _ => {}
                }
            }
            (Shape::ArrayOfTables, toml::Value::Array(items))
                if items.iter().all(|v| v.is_table()) =>
            {
                let names: Vec<Option<String>> = items
                    .iter()
                    .map(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_string))
                    .collect();
                let labels = element_labels(section.name, &names);
                for (item, label) in items.iter().zip(labels) {
                    let Some(t) = item.as_table() else { continue };
                    let cleaned = clean(t, &label, section, d);
                    match section.name {
                        "origin" => push(&mut raw.origins, &cleaned, label, d),
                        "route" => push(&mut raw.routes, &cleaned, label, d),
                        "port" => push(&mut raw.ports, &cleaned, label, d),
                        "phase" => push(&mut raw.phases, &cleaned, label, d),
                        "class" => push(&mut raw.classes, &cleaned, label, d),
                        "disruption" => push(&mut raw.disruptions, &cleaned, label, d),
                        _ => {}
                    }
                }
            }
            (Shape::Table, _) => {
                d.poisoned.insert(section.name.to_string());
                d.error(
                    section.name,
                    format!(
                        "`{}` must be a table, found {}",
                        section.name,
                        describe(value)
                    ),
                    Some(format!("write a [{}] section", section.name)),
                );
            }
            (Shape::ArrayOfTables, _) => {
                d.poisoned.insert(section.name.to_string());
                d.error(
                    section.name,
                    format!(
                        "`{}` must be an array of tables, found {}",
                        section.name,
                        if value.is_table() {
                            "a single table".to_string()
                        } else {
                            describe(value)
                        }
                    ),
                    Some(format!(
                        "write each one as [[{}]] (double brackets)",
                        section.name
                    )),
                );
            }
        }
    }
    raw
}

fn push<T: DeserializeOwned>(
    out: &mut Vec<(String, T)>,
    t: &toml::Table,
    label: String,
    d: &mut Diags,
) {
    if let Some(v) = section_into(t, &label, d) {
        out.push((label, v));
    } else {
        d.poisoned.insert(label);
    }
}

/// For a word a planner writes in `section` for one of its keys (`capacity` in a `[[port]]`:
/// its quota or its servers), the keys meant, with what each counts; for a drop-out rate in
/// another period (`hazard_per_month = 0.05`), the rate per day to write for `value`. `None`
/// for any other.
pub fn key_meant(section: &str, key: &str, value: Option<&toml::Value>) -> Option<String> {
    if section == "attrition" {
        if let Some(period) = key.strip_prefix("hazard_per_") {
            return hazard_in_period(period, value);
        }
    }
    let meant = match (section, key) {
        ("port", "capacity") => {
            "did you mean `quota_per_day` (people a day) or `servers` (groups served at once)?"
        }
        ("screening", "capacity") => {
            "did you mean `servers` (groups served at once; [screening] has no daily quota)?"
        }
        ("route", "capacity") => "did you mean `seats` (people a departure)?",
        _ => return None,
    };
    // (where the word is a key)
    let elsewhere = SCHEMA
        .iter()
        .find(|s| s.keys.contains(&key))
        .map(|s| match s.shape {
            Shape::Table => format!(" (`{key}` is a [{}] key)", s.name),
            Shape::ArrayOfTables => format!(" (`{key}` is a [[{}]] factor)", s.name),
        })
        .unwrap_or_default();
    Some(format!("{meant}{elsewhere}"))
}

/// The hint for `[attrition] hazard_per_{period}` (week, month, year): attrition takes a rate
/// per day, and a share of `value` a period is −ln(1 − share)/days a day (5% a month: 0.0017,
/// not 0.05). A value from 1 to 100 is read as a percentage. `None` for another period.
fn hazard_in_period(period: &str, value: Option<&toml::Value>) -> Option<String> {
    use crate::scenario::units::share_per_period_hint;
    let lead = "attrition takes a rate per day, `hazard_per_day`";
    let example = share_per_period_hint(0.05, period)?;
    let x = match value {
        Some(toml::Value::Float(x)) => Some(*x),
        Some(toml::Value::Integer(i)) => Some(*i as f64),
        Some(toml::Value::String(s)) => s
            .trim()
            .strip_suffix('%')
            .and_then(|p| p.trim().parse::<f64>().ok())
            .map(|x| x / 100.0),
        _ => None,
    };
    Some(match x {
        Some(p) if p > 0.0 && p < 1.0 => format!("{lead}: {}", share_per_period_hint(p, period)?),
        Some(x) if (1.0..100.0).contains(&x) => format!(
            "{lead}: if {x} means {x}%, {}",
            share_per_period_hint(x / 100.0, period)?
        ),
        _ => format!("{lead}: e.g. {example}"),
    })
}

/// Report an unknown key at `prefix.key`, with the closest known key as a hint.
fn unknown_key(
    d: &mut Diags,
    prefix: &str,
    key: &str,
    value: Option<&toml::Value>,
    known: &[&str],
    top: bool,
) {
    let path = join(prefix, key);
    // The section of a key of a section or of an element (`port[P]`), not of a nested table.
    let segs = super::diag::path_segments(prefix);
    let section = match segs.as_slice() {
        [s] => *s,
        [s, element] if element.starts_with('[') => *s,
        _ => "",
    };
    let hint = if let Some(meant) = key_meant(section, key, value) {
        Some(meant)
    } else if let Some(c) = closest(key, known.iter().copied()) {
        Some(format!("did you mean \"{c}\"?"))
    } else if SCHEMA.iter().any(|s| s.keys.contains(&key)) {
        // Every section that has the key: `servers` is both [screening]'s and [[port]]'s.
        let sections: Vec<String> = SCHEMA
            .iter()
            .filter(|s| s.keys.contains(&key))
            .map(|s| match s.shape {
                Shape::Table => format!("[{}]", s.name),
                Shape::ArrayOfTables => format!("[[{}]]", s.name),
            })
            .collect();
        let sections = crate::format::word_list(&sections, "or");
        Some(format!("`{key}` belongs in {sections}"))
    } else if key == "extends" && !top {
        // The base was not read, so what it would have given is not reported missing.
        for key in ["origin", "port", "route", "scenario", "scenario.name"] {
            d.poisoned.insert(key.into());
        }
        d.poisoned.insert(super::diag::BASE_UNREAD.into());
        Some("`extends` goes at the top of the file, before any [section]".into())
    } else {
        Some(format!(
            "known {}: {}",
            if top { "sections" } else { "keys here" },
            known.join(", ")
        ))
    };
    // At the top, a table or an array of tables is a section; any other value is a key written
    // before the first [section] (a `[scenario]` header left out), not a section.
    let section_value = match value {
        Some(toml::Value::Table(_)) => true,
        Some(toml::Value::Array(a)) => !a.is_empty() && a.iter().all(|v| v.is_table()),
        _ => false,
    };
    let message = if !top {
        format!("unknown key \"{key}\"")
    } else if section_value {
        format!("unknown section \"{key}\"")
    } else {
        format!("unknown key \"{key}\" outside any section (before the first [section])")
    };
    d.error(&path, message, hint);
}

/// Copy of `t` without unknown keys (each one reported); nested fixed-key tables likewise.
fn clean(t: &toml::Table, prefix: &str, section: &SectionSchema, d: &mut Diags) -> toml::Table {
    let mut out = toml::Table::new();
    for (k, v) in t.iter() {
        if !section.keys.contains(&k.as_str()) {
            unknown_key(d, prefix, k, Some(v), section.keys, false);
            continue;
        }
        let nested = section.nested.iter().find(|(n, _)| *n == k.as_str());
        match (nested, v) {
            (Some((_, keys)), toml::Value::Table(sub)) => {
                let sub_prefix = join(prefix, k);
                let mut sub_out = toml::Table::new();
                for (sk, sv) in sub.iter() {
                    if keys.contains(&sk.as_str()) {
                        sub_out.insert(sk.clone(), sv.clone());
                    } else {
                        unknown_key(d, &sub_prefix, sk, Some(sv), keys, false);
                    }
                }
                // Each key of a ramp checked on its own, named by its own path
                // (`port[P].ramp.from`), not as the whole ramp's type error.
                let sub_out = if k == "ramp" {
                    good_keys::<RawRamp>(&sub_out, &sub_prefix, d)
                } else {
                    sub_out
                };
                out.insert(k.clone(), toml::Value::Table(sub_out));
            }
            // A fixed-key table given as something else (`ramp = 100`, `ramp = [25, "10d"]`,
            // which serde would read in the fields' order): what it is and how it is written.
            (Some((name, keys)), _) => {
                let path = join(prefix, k);
                d.poisoned.insert(path.clone());
                let hint = match *name {
                    "ramp" => r#"write ramp = { from = 25, over = "14d" }: the quota on the opening day, and how long the ramp takes"#.to_string(),
                    _ => format!("write {name} = {{ {} = … }}", keys.join(" = …, ")),
                };
                d.error(
                    &path,
                    format!("a {name} is a table, found {}", describe(v)),
                    Some(hint),
                );
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out
}

/// The first line of a serde error, without toml's "in `key`" trailers.
fn clean_message(e: &toml::de::Error) -> String {
    let m = e.message();
    let first = m.lines().next().unwrap_or(m).trim();
    first.to_string()
}

/// Deserialize one section; on failure, find every bad key by deserializing key by key,
/// report each, and deserialize the rest.
fn section_into<T: DeserializeOwned>(t: &toml::Table, path: &str, d: &mut Diags) -> Option<T> {
    if let Ok(v) = toml::Value::Table(t.clone()).try_into::<T>() {
        return Some(v);
    }
    let good = good_keys::<T>(t, path, d);
    match toml::Value::Table(good).try_into::<T>() {
        Ok(v) => Some(v),
        Err(e) => {
            d.error(path, clean_message(&e), None);
            None
        }
    }
}

/// `t` (the table at `path`) without the keys whose value `T` refuses, each reported at its
/// own key path and marked as poisoned.
fn good_keys<T: DeserializeOwned>(t: &toml::Table, path: &str, d: &mut Diags) -> toml::Table {
    if toml::Value::Table(t.clone()).try_into::<T>().is_ok() {
        return t.clone();
    }
    let mut good = toml::Table::new();
    for (k, v) in t.iter() {
        let mut single = toml::Table::new();
        single.insert(k.clone(), v.clone());
        match toml::Value::Table(single).try_into::<T>() {
            Ok(_) => {
                good.insert(k.clone(), v.clone());
            }
            Err(e) => {
                let key_path = join(path, k);
                let msg = clean_message(&e);
                d.poisoned.insert(key_path.clone());
                // A list where one text is expected (`to = ["El Paso", "San Ysidro"]`).
                if msg.contains("expected a string") && !LIST_KEYS.contains(&k.as_str()) {
                    if let toml::Value::Array(items) = v {
                        let (msg, hint) = list_for_one_text(path, k, items);
                        d.error(&key_path, msg, Some(hint));
                        continue;
                    }
                }
                let (msg, list_hint) = nested_error(k, v, &msg);
                let whole = msg.starts_with("expected a whole number");
                let hint = list_hint
                    .or_else(|| number_hint(v, &key_path, whole))
                    .or_else(|| {
                        whole
                            .then(|| thousands_point_hint(v, d.spans.decimal(&key_path)))
                            .flatten()
                    });
                d.error(&key_path, msg, hint);
            }
        }
    }
    good
}

/// For a number written as text: quoted ("12"), with its own unit ("300/day", "55 seats"), a
/// percent sign for a probability or fraction ("10%") or thousands separators ("25,000"): the
/// number to write. `None` when the text is not plainly one of those (a hint that guessed would
/// mislead more than none).
fn number_hint(v: &toml::Value, path: &str, whole: bool) -> Option<String> {
    let toml::Value::String(s) = v else {
        return None;
    };
    let s = s.trim();
    let unit = crate::scenario::units::number_unit(path);
    let show = |x: f64| {
        // 0.7 / 100 is 0.006999…: round to 12 significant digits for the reader.
        let r: f64 = format!("{x:.12e}").parse().unwrap_or(x);
        format!("{r}")
    };
    let ok = |x: f64| x.is_finite() && (!whole || (x.fract() == 0.0 && x.abs() < 1e15));
    // A decimal comma ("0,03", as `--set health.positive=0,03` gives it): the number with a
    // point (for "1,500", both readings). Not for a whole number, which no decimal reading fits
    // (its thousands reading, "1,500", is read below).
    if !whole {
        if let Some(h) = crate::scenario::units::decimal_comma_hint(s, str::to_string) {
            return Some(h);
        }
    }
    // A disruption's capacity said in words ("closed", "half"): the factor to write.
    if path.ends_with(".capacity") {
        let factor = match s.to_lowercase().as_str() {
            "closed" | "close" | "shut" | "off" | "none" | "zero" => Some("0"),
            "half" => Some("0.5"),
            "open" | "normal" | "full" => Some("1"),
            _ => None,
        };
        if let Some(f) = factor {
            return Some(format!(
                "write {f} without quotes: capacity is the factor the capacity is multiplied by \
                 (0 closes it, 0.5 halves it)"
            ));
        }
    }
    if let Some(p) = s.strip_suffix('%') {
        let x: f64 = p.trim().parse().ok()?;
        // A rate a day written as a percentage a day ("0.05%": 0.0005 of the groups a day).
        // "5%" is as likely 5% a month: its rate per day too.
        if unit == Some("1/day") && (0.0..=100.0).contains(&x) {
            let month = crate::scenario::units::share_per_period_hint(x / 100.0, "month")
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            return Some(format!(
                "write {} without quotes: a rate per day ({x}% a day), not a percentage{month}",
                show(x / 100.0)
            ));
        }
        let fraction = matches!(unit, Some("probability") | Some("fraction"));
        return (fraction && (0.0..=100.0).contains(&x)).then(|| {
            format!(
                "write {} without quotes: a {} from 0 to 1, not a percentage",
                show(x / 100.0),
                unit.unwrap_or("fraction")
            )
        });
    }
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || ".,_ +-eE".contains(c)))
        .unwrap_or(s.len());
    let (num, suffix) = (s[..end].trim(), s[end..].trim());
    // The unit written after the number must be the key's own.
    let own = match unit {
        Some("people/day") => [
            "/day",
            "/d",
            "per day",
            "a day",
            "people/day",
            "people a day",
        ]
        .contains(&suffix),
        Some("people") => ["people", "persons", "seats"].contains(&suffix),
        Some("servers") => ["servers"].contains(&suffix),
        Some("groups/day") => ["/day", "/d", "per day", "a day", "groups/day"].contains(&suffix),
        _ => false,
    };
    // A count with letters of another kind after it ("12k", "55x"): the number in digits.
    if !suffix.is_empty() && !own {
        return crate::scenario::units::count_with_letters_hint(path, s);
    }
    let x = match num.parse::<f64>() {
        Ok(x) => x,
        // Thousands separators: 25,000 · 25_000 · 25 000 (groups of three digits).
        Err(_) => {
            let sep = num.chars().find(|c| ",_ ".contains(*c))?;
            let mut parts = num.split(sep);
            let first = parts.next()?;
            let rest: Vec<&str> = parts.collect();
            let digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
            if first.is_empty() || first.len() > 3 || !digits(first) {
                return None;
            }
            if rest.is_empty() || !rest.iter().all(|p| p.len() == 3 && digits(p)) {
                return None;
            }
            num.replace(sep, "").parse().ok()?
        }
    };
    // "25.000" in a whole-number field may mean 25 or 25,000: no guess.
    if !ok(x) || (whole && (num.contains('.') || x < 0.0)) {
        return None;
    }
    let implied = match unit {
        Some(u) if !suffix.is_empty() => format!(" (it is in {u} already)"),
        _ => String::new(),
    };
    Some(format!("write {} without quotes{implied}", show(x)))
}

/// The keys whose value is a list of texts (`Vec<String>` in `raw`): every other key that
/// takes text takes one.
const LIST_KEYS: [&str; 4] = ["hours", "days", "ports", "routes"];

/// The message and hint for a list given for `key` of `section` (`route[1]`, `scenario`), which
/// takes one text: what the text is, and, for a route's `from` or `to`, that a route joins one
/// origin to one port. The hint, written back, is one text (the list's first, when it is one).
fn list_for_one_text(section: &str, key: &str, items: &[toml::Value]) -> (String, String) {
    let kind = super::diag::path_segments(section)
        .first()
        .map_or("", |s| *s)
        .to_string();
    let first = items.first().and_then(toml::Value::as_str);
    // What the text is, and one to write when the list holds none.
    let (what, example) = match (kind.as_str(), key) {
        ("route", "to") => ("a port's name", "\"San Ysidro\""),
        ("route", "from") => ("an origin's name", "\"Tijuana\""),
        ("route", "name") => ("the route's name", "\"…\""),
        ("scenario", "name") => ("the scenario's name", "\"…\""),
        ("origin", "name") => ("the origin's name", "\"…\""),
        ("port", "name") => ("the port's name", "\"…\""),
        ("phase", "name") => ("the phase's name", "\"…\""),
        ("class", "name") => ("the class's name", "\"…\""),
        ("dispatch", "policy") => ("\"fifo\" or \"appointment\"", "\"appointment\""),
        ("dispatch", "choose_port") => ("\"first\" or \"shortest_queue\"", "\"first\""),
        ("disruption", "stage") => ("\"screening\"", "\"screening\""),
        _ => ("a name", "\"…\""),
    };
    let message = format!("expected one text ({what}), found a list");
    match (kind.as_str(), key) {
        ("route", "to" | "from") if items.len() > 1 => {
            let (end, ends) = if key == "to" {
                ("port", "ports")
            } else {
                ("origin", "origins")
            };
            (
                format!(
                    "{message}: a route goes from one origin to one port, and these are {} {ends}",
                    items.len()
                ),
                format!(
                    "write one [[route]] per {end}, each with its own `{key}`{}",
                    match first {
                        Some(s) => format!(" ({key} = {s:?} in the first)"),
                        None => String::new(),
                    }
                ),
            )
        }
        _ => {
            let hint = match first {
                Some(s) if items.len() == 1 => format!("write {key} = {s:?}, without brackets"),
                Some(s) => format!("write one, e.g. {key} = {s:?}"),
                None => format!("write one in quotes, e.g. {key} = {example}"),
            };
            (message, hint)
        }
    }
}

/// What to write for one text `s` given where `key` takes a list: the two times of `hours`
/// (`"08:00-18:00"`: `["08:00", "18:00"]`), the weekdays of `days` (`"weekdays"`: Monday to
/// Friday), else the same text in brackets. Each hint, written back, validates.
fn list_hint(key: &str, s: &str) -> String {
    use super::units;
    match key {
        "hours" => match units::hours_in_text(s) {
            Some(t) => format!("write {}", units::toml_list(&t)),
            None => r#"write the opening and closing times, e.g. ["08:00", "18:00"]"#.into(),
        },
        "days" => match units::weekdays_in_text(s) {
            Some(days) => format!("write {}", units::toml_list(&days)),
            // All seven, to write as the list asked for ("leave `days` out" alone had given
            // nothing to write where a base file's `days` must be overridden).
            None if units::means_every_day(s) => format!(
                "leave `days` out for every day, or write {}",
                units::toml_list(&units::WEEKDAYS)
            ),
            None => r#"write the weekdays, e.g. ["Mon", "Tue", "Wed", "Thu", "Fri"]"#.into(),
        },
        // One name where a list is expected: the same in brackets.
        _ => format!("write [{s:?}]"),
    }
}

/// For a decimal number given where a whole number is due, written as a number with a point
/// between its thousands (`25.000`, `1.250`: twenty-five thousand, one thousand two hundred and
/// fifty, as many European countries write them): the whole number to write. `text` is the
/// number as written; `None` for any other shape (`2.5`, `0.500`, `25.00`), where no thousands
/// are meant. (`1.250.000` is not TOML: the parser's hint covers it.)
fn thousands_point_hint(v: &toml::Value, text: Option<&str>) -> Option<String> {
    let toml::Value::Float(x) = v else {
        return None;
    };
    let t = text?.trim();
    let (int, frac) = t.split_once('.')?;
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || int.len() > 3 || int.starts_with('0') || frac.len() != 3 || !digits(frac) {
        return None;
    }
    // The text must be the value's (a `--set` may have given another).
    if t.parse::<f64>().ok()? != *x {
        return None;
    }
    Some(format!(
        "if {t} means {int}{frac}, with a point between the thousands, write {int}{frac} or \
         {int}_{frac}"
    ))
}

/// Whether `s` is a whole number in TOML's form (sign, digits, underscores between digits)
/// that does not fit a 64-bit integer.
fn too_large_integer(s: &str) -> bool {
    let t = s.trim();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    !digits.is_empty()
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.ends_with(|c: char| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '_')
        && !digits.contains("__")
        && t.replace('_', "").parse::<i64>().is_err()
}

/// Serde messages name the expected Rust type; say it in planner words where we can. `key` is
/// the key the value was given for (its hint for one text where a list is expected depends on
/// it: `hours`, `days`).
fn nested_error(key: &str, v: &toml::Value, msg: &str) -> (String, Option<String>) {
    let found = describe(v);
    let message = if msg.contains("expected i64") || msg.contains("expected u64") {
        match v {
            toml::Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!(
                "expected a whole number, found {found}; write it without a decimal point or \
                 exponent: {}",
                *f as i64
            ),
            // A fraction cannot lose its point and stay the same number: the whole numbers
            // either side of it, to round to.
            toml::Value::Float(f) if f.is_finite() && f.abs() < 1e15 => format!(
                "expected a whole number, found {found}; round it to {} or {}",
                f.floor() as i64,
                f.ceil() as i64
            ),
            // A whole number beyond i64 is read as text (by `--set`, which takes what TOML
            // does not as a string): name it as the number it is.
            toml::Value::String(s) if too_large_integer(s) => format!(
                "expected a whole number, found {}, too large (at most {})",
                s.trim(),
                i64::MAX
            ),
            _ => format!("expected a whole number, found {found}"),
        }
    } else if msg.contains("expected f64") {
        format!("expected a number, found {found}")
    } else if let (true, toml::Value::Array(items)) = (msg.contains("expected a string"), v) {
        // A list of texts (`days`, `hours`, `ports`, `routes`) with an entry that is not one.
        let (i, bad) = items
            .iter()
            .enumerate()
            .find(|(_, x)| !x.is_str())
            .map_or((1, "not a string".to_string()), |(i, x)| {
                (i + 1, describe(x))
            });
        let example = match key {
            "hours" => r#"["08:00", "18:00"]"#,
            "days" => r#"["Mon", "Fri"]"#,
            "ports" => r#"["San Ysidro", "El Paso"]"#,
            "routes" => r#"["Tijuana->San Ysidro"]"#,
            _ => r#"["…", "…"]"#,
        };
        format!(
            "entry {i} of the list is {bad}: every entry must be a string in quotes, e.g. {example}"
        )
    } else if msg.contains("expected a string") {
        format!("expected a string, found {found}")
    } else if msg.contains("expected a sequence") {
        match v {
            // The fix on the error's `hint:` line, as other errors give theirs (it had
            // followed the message after "; ").
            toml::Value::String(s) => {
                return (
                    format!("expected a list in brackets, found {found}"),
                    Some(list_hint(key, s)),
                )
            }
            _ => format!("expected a list in brackets, such as [\"…\", \"…\"], found {found}"),
        }
    } else {
        msg.to_string()
    };
    (message, None)
}
