//! Text -> document -> table: parses scenario text with `toml_edit` (which keeps spans), reports
//! TOML syntax errors with their position, records the line:column of every key path
//! (`Spans`), and converts the document into a plain `toml::Table`.
//!
//! This is the seam where later features act on the table before it becomes raw structs
//! (`--set key.path=value` overrides, `extends = "base.toml"` merging): they edit the
//! `toml::Table`; values they introduce simply have no span.

use super::diag::{element_labels, join, line_col, Diagnostic, LineIndex, Spans};
use toml_edit::{ImDocument, Item, Value};

/// A parsed scenario document: its table and where each key path sits in the text.
#[derive(Debug, Clone)]
pub struct Document {
    /// The document as a plain TOML table.
    pub table: toml::Table,
    /// Where each key path sits in the text.
    pub spans: Spans,
}

/// Parse `src`; on a TOML syntax error, return its diagnostic.
pub fn parse(src: &str, file: &str) -> Result<Document, Box<Diagnostic>> {
    let doc = ImDocument::parse(src).map_err(|e| {
        let (line, column) = match e.span() {
            Some(r) => {
                let (l, c) = line_col(src, r.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        let message = e.message().trim().replace('\n', "; ");
        // The parser's words name TOML's grammar; say in plain words what a line should be.
        let text = line
            .and_then(|l| src.lines().nth(l - 1))
            .unwrap_or("")
            .trim();
        // A whole number beyond TOML's signed 64-bit range: say the range, not the grammar.
        if message.contains("number too large") || message.contains("number too small") {
            let (key, value) = text.split_once('=').unwrap_or(("", text));
            let (key, value) = (key.trim(), value.split('#').next().unwrap_or("").trim());
            let (message, hint) = if key == "seed" {
                (
                    format!(
                        "seed = {value} is out of range: the seed is a whole number from 0 to \
                         9223372036854775807 (TOML integers are signed 64-bit)"
                    ),
                    "write a smaller seed, e.g. seed = 12345 (any seed in range gives its own \
                     reproducible results)"
                        .to_string(),
                )
            } else {
                (
                    format!(
                        "{value} is out of range: a whole number in a TOML file goes from \
                         -9223372036854775808 to 9223372036854775807 (signed 64-bit)"
                    ),
                    "write a number in that range (the scenario's own limits on each key are \
                     smaller still; see docs/MODEL.md)"
                        .to_string(),
                )
            };
            return Box::new(Diagnostic {
                file: file.to_string(),
                line,
                column,
                key: None,
                message,
                hint: Some(hint),
            });
        }
        let raw_line = line
            .and_then(|l| src.lines().nth(l - 1))
            .unwrap_or("")
            .trim_start_matches('\u{feff}');
        let hint = if let Some(h) = duplicate_hint(src, &message) {
            h
        } else if let Some(h) = odd_space_hint(raw_line, line.unwrap_or(0)) {
            h
        } else if let Some(h) = curly_quote_hint(raw_line) {
            h
        } else if let Some(h) = escape_hint(text, &message) {
            h
        } else if let Some(h) = decimal_comma_hint(text) {
            h
        } else if let Some(h) = separated_number_hint(text) {
            h
        } else if let Some(h) = unquoted_time_hint(text) {
            h
        } else if let Some(h) = percent_hint(text) {
            h
        } else if let Some(h) = unquoted_text_hint(text, &message) {
            h
        } else if message.contains("string") {
            "a text value needs its closing quote on the same line, e.g. name = \"Port A\"".into()
        } else if !text.contains('=') && !text.starts_with('[') {
            "every line of a scenario is `key = value`, a [section] header or a # comment (the \
             file is TOML; see scenarios/baseline.toml)"
                .into()
        } else {
            "write `key = value`, text in quotes, lists in [ ] (the file is TOML; see \
             scenarios/baseline.toml)"
                .into()
        };
        Box::new(Diagnostic {
            file: file.to_string(),
            line,
            column,
            key: None,
            message: format!("TOML syntax error: {message}"),
            hint: Some(hint),
        })
    })?;
    let mut spans = Spans::default();
    record_table(doc.as_table(), "", &LineIndex::new(src), &mut spans);
    let table = table_to_toml(doc.as_table());
    Ok(Document { table, spans })
}

/// The text between backquotes after `marker` in a parser message: `port` in "duplicate key
/// `port` in document root".
fn quoted_after<'m>(message: &'m str, marker: &str) -> Option<&'m str> {
    let rest = &message[message.find(marker)? + marker.len()..];
    let rest = rest.strip_prefix('`')?;
    Some(&rest[..rest.find('`')?])
}

/// The 1-based lines of `src` whose header opens the section `name`: `[name]` or `[[name]]`,
/// with or without spaces inside the brackets and a comment after; `double` says which.
fn header_lines(src: &str, name: &str) -> Vec<(usize, bool)> {
    src.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let l = l.trim_start_matches('\u{feff}').trim();
            let l = l.split('#').next().unwrap_or(l).trim_end();
            let (inner, double) = match l.strip_prefix("[[").and_then(|r| r.strip_suffix("]]")) {
                Some(inner) => (inner, true),
                None => (l.strip_prefix('[')?.strip_suffix(']')?, false),
            };
            (inner.trim() == name).then_some((i + 1, double))
        })
        .collect()
}

/// "line 4", "lines 4 and 9", "lines 4, 9 and 12".
fn lines_text(lines: &[usize]) -> String {
    let n: Vec<String> = lines.iter().map(ToString::to_string).collect();
    match n.len() {
        0 => String::new(),
        1 => format!("line {}", n[0]),
        _ => format!("lines {}", crate::format::word_list(&n, "and")),
    }
}

/// The hint for a key or section written twice. `[port]` where `[[port]]` is meant is the
/// common case: TOML reads a second `[port]` (or a `[port]` beside `[[port]]`) as the same
/// table written twice. `None` when the message is not about a duplicate.
fn duplicate_hint(src: &str, message: &str) -> Option<String> {
    use super::raw::{Shape, SCHEMA};
    if let Some(key) = quoted_after(message, "duplicate key ") {
        if message.contains("document root") {
            let headers = header_lines(src, key);
            let single: Vec<usize> = headers.iter().filter(|h| !h.1).map(|h| h.0).collect();
            let all: Vec<usize> = headers.iter().map(|h| h.0).collect();
            return Some(
                match SCHEMA.iter().find(|s| s.name == key).map(|s| s.shape) {
                    Some(Shape::ArrayOfTables) if !single.is_empty() => format!(
                        "each {key} is written [[{key}]] (double brackets), one header per {key}: \
                     write [[{key}]] on {} instead of [{key}]",
                        lines_text(&single)
                    ),
                    Some(Shape::ArrayOfTables) => format!(
                        "each {key} is written [[{key}]] (double brackets), one header per {key}"
                    ),
                    Some(Shape::Table) if all.len() > 1 => format!(
                        "[{key}] is one section, written once: put the keys of {} under a single \
                     [{key}] (single brackets)",
                        lines_text(&all)
                    ),
                    _ => format!("`{key}` is given twice: keep one of them"),
                },
            );
        }
        let table = quoted_after(message, " in table ");
        let shape = table.and_then(|t| SCHEMA.iter().find(|s| s.name == t).map(|s| s.shape));
        return Some(match (table, shape) {
            (Some(t), Some(Shape::ArrayOfTables)) => {
                format!("`{key}` is given twice in one [[{t}]]: keep one of them")
            }
            (Some(t), _) => format!("`{key}` is given twice in [{t}]: keep one of them"),
            (None, _) => format!("`{key}` is given twice in the same table: keep one of them"),
        });
    }
    None
}

/// The hint for a number written with thousands separators, `people = 25,000` or `25 000`
/// (TOML reads `25` and then stops at what follows): the number to write. `None` when the line
/// holds no such number after an `=`.
fn separated_number_hint(line: &str) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    let digit = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    let mut quote: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"') | (None, '\'') => quote = Some(c),
            (None, '#') => return None,
            (None, '=') => {
                let mut j = i + 1;
                while chars.get(j) == Some(&' ') || chars.get(j) == Some(&'\t') {
                    j += 1;
                }
                let start = j;
                if matches!(chars.get(j), Some('-') | Some('+')) {
                    j += 1;
                }
                let lead = j;
                while digit(j) && j - lead < 4 {
                    j += 1;
                }
                if j == lead || j - lead > 3 {
                    continue;
                }
                // groups of three digits after a comma or a (non-breaking) space
                let mut groups = 0;
                while matches!(chars.get(j), Some(',' | ' ' | '\u{a0}' | '\u{202f}'))
                    && (1..=3).all(|k| digit(j + k))
                    && !digit(j + 4)
                {
                    j += 4;
                    groups += 1;
                }
                if groups == 0 {
                    continue;
                }
                if chars.get(j) == Some(&'.') && digit(j + 1) {
                    j += 1;
                    while digit(j) {
                        j += 1;
                    }
                }
                let written: String = chars[start..j].iter().collect();
                let plain: String = written
                    .chars()
                    .filter(|c| !matches!(c, ',' | ' ' | '\u{a0}' | '\u{202f}'))
                    .collect();
                let (int, frac) = plain.split_at(plain.find('.').unwrap_or(plain.len()));
                let (sign, digits) = match int.strip_prefix(['-', '+']) {
                    Some(d) => (&int[..1], d),
                    None => ("", int),
                };
                let mut grouped = String::new();
                for (k, d) in digits.chars().enumerate() {
                    if k > 0 && (digits.len() - k) % 3 == 0 {
                        grouped.push('_');
                    }
                    grouped.push(d);
                }
                return Some(format!(
                    "write {plain} or {sign}{grouped}{frac}, not {written}: a number in the file \
                     has no commas or spaces in it (TOML allows _ between digits)"
                ));
            }
            _ => {}
        }
    }
    None
}

/// The characters of a line that TOML reads as its code, with their 1-based columns: those
/// outside the strings that close on the line (a string left open is read as code, where a
/// curly closing quote may be what left it open), up to a `#` comment.
fn code_chars(line: &str) -> Vec<(usize, char)> {
    let mut out = Vec::new();
    // (the quote that opened the string being read, and the characters read since)
    let mut open: Option<(char, Vec<(usize, char)>)> = None;
    let mut escaped = false;
    for (i, c) in line.chars().enumerate() {
        match &mut open {
            Some((q, inside)) => {
                inside.push((i + 1, c));
                if escaped {
                    escaped = false;
                } else if c == '\\' && *q == '"' {
                    escaped = true;
                } else if c == *q {
                    open = None;
                }
            }
            None if c == '#' => return out,
            None => {
                out.push((i + 1, c));
                if c == '"' || c == '\'' {
                    open = Some((c, Vec::new()));
                }
            }
        }
    }
    if let Some((_, inside)) = open {
        out.extend(inside);
    }
    out
}

/// For a line holding a non-breaking space or another [odd space](super::diag::odd_space_name)
/// where TOML reads code (`people =<U+00A0>25000`, `people<U+00A0>= 25000`): which, where, and
/// to retype it. `line` is the raw line; `n` its 1-based number.
fn odd_space_hint(line: &str, n: usize) -> Option<String> {
    use super::diag::{describe_odd_space, odd_space_fix, odd_space_name};
    let odd: Vec<(usize, char)> = code_chars(line)
        .into_iter()
        .filter(|(_, c)| odd_space_name(*c).is_some())
        .collect();
    let &(col, c) = odd.first()?;
    let more = match odd.len() {
        1 => String::new(),
        2 => " (and one more on the line)".to_string(),
        k => format!(" (and {} more on the line)", k - 1),
    };
    let looks = if super::diag::is_zero_width(c) {
        "it shows as nothing, but TOML reads it as a character"
    } else {
        "it looks like a space, but TOML does not read it as one"
    };
    Some(format!(
        "line {n} holds {} at column {col}{more}, pasted from a word processor or e-mail: \
         {looks}; {}",
        describe_odd_space(c)?,
        odd_space_fix(c)
    ))
}

/// For a line holding curly (typographic) quotes where TOML reads code (`horizon = ”730d”`,
/// `days = [“Mon”, “Tue”]`): that TOML takes only straight quotes, and the line with straight
/// ones in their place (curly double quotes, else curly single ones, become `"`).
fn curly_quote_hint(line: &str) -> Option<String> {
    use super::diag::CURLY_QUOTES;
    let code = code_chars(line);
    let curly: Vec<(usize, char)> = code
        .iter()
        .copied()
        .filter(|(_, c)| CURLY_QUOTES.contains(c))
        .collect();
    let &(col, _) = curly.first()?;
    let double = |c: char| "“”„«»″".contains(c);
    let any_double = curly.iter().any(|(_, c)| double(*c));
    let end = code.last().map_or(0, |(i, _)| *i);
    let chars: Vec<char> = line.chars().collect();
    // A single curly quote between two letters or digits is an apostrophe (‘It’s’,
    // ‘O’Brien’): it stays, so that the line given back reads as TOML.
    let apostrophe = |i: usize| {
        i > 0
            && chars.get(i - 1).is_some_and(|c| c.is_alphanumeric())
            && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric())
    };
    let mut fixed = String::new();
    for (i, c) in line.chars().enumerate().take(end) {
        let curly_here = curly.iter().any(|(j, _)| *j == i + 1);
        fixed.push(
            if curly_here && (double(c) || (!any_double && !apostrophe(i))) {
                '"'
            } else {
                c
            },
        );
    }
    let mut kinds: Vec<String> = Vec::new();
    for (_, c) in &curly {
        if !kinds.contains(&c.to_string()) {
            kinds.push(c.to_string());
        }
    }
    Some(format!(
        "the line has curly (typographic) quotes ({} from column {col}), as a word processor \
         types them: TOML reads only straight quotes; replace them with straight quotes \": {}",
        crate::format::word_list(&kinds, "and"),
        fixed.trim()
    ))
}

/// For a backslash escape TOML cannot read (`"C:\Users\…"`: `\U` starts an 8-digit code,
/// `\m` is no escape): for a path (`extends`, a key naming a file or folder, or a value that
/// looks like a path), to write it with `/` or in single quotes; for other text, how to write
/// a backslash. `None` for other errors.
fn escape_hint(line: &str, message: &str) -> Option<String> {
    if !(message.contains("escape") || message.contains("unicode")) || !line.contains('\\') {
        return None;
    }
    let (key, value) = line.split_once('=').unwrap_or(("", line));
    let key = key.trim();
    let value = value.trim();
    let inner = value
        .strip_prefix('"')
        .map(|v| v.split('"').next().unwrap_or(v))
        .unwrap_or(value);
    let pathlike = key == "extends"
        || ["path", "file", "dir", "folder"]
            .iter()
            .any(|w| key.to_lowercase().contains(w))
        || inner.contains(":\\")
        || inner.starts_with(".\\")
        || inner.starts_with("..\\")
        || [".toml", ".csv", ".json"]
            .iter()
            .any(|e| inner.to_lowercase().ends_with(e));
    if pathlike {
        let key = if key.is_empty() { "path" } else { key };
        return Some(super::extends::backslash_path_hint(key, inner));
    }
    Some(
        "in \"…\" text a backslash starts an escape (\\n, \\t, \\u…): write \\\\ for a \
         backslash, or put the text in single quotes ('…'), where a backslash is read as written"
            .into(),
    )
}

/// For a number written with a decimal comma (`positive = 0,125`; TOML reads `0` and stops
/// at the comma): the number with a point; for `1,500`, both readings. `None` for a
/// thousands separator (`25,000`: [`separated_number_hint`]) and any other line.
fn decimal_comma_hint(line: &str) -> Option<String> {
    let (key, value) = line.split_once('=')?;
    let key = key.trim();
    let value = value.split('#').next().unwrap_or("").trim();
    if key.is_empty() {
        return None;
    }
    super::units::decimal_comma_hint(value, |x| format!("{key} = {x}"))
}

fn pos(src: &LineIndex, span: Option<std::ops::Range<usize>>) -> Option<(usize, usize)> {
    span.map(|r| src.line_col(r.start))
}

fn record_table(t: &toml_edit::Table, prefix: &str, src: &LineIndex, spans: &mut Spans) {
    for (k, _) in t.iter() {
        let Some((key, item)) = t.get_key_value(k) else {
            continue;
        };
        let path = join(prefix, k);
        if let Some(p) = pos(src, key.span()).or_else(|| pos(src, item.span())) {
            spans.insert(path.clone(), p);
        }
        record_item(item, &path, k, src, spans);
    }
}

fn record_item(item: &Item, path: &str, key: &str, src: &LineIndex, spans: &mut Spans) {
    match item {
        Item::None => {}
        Item::Table(sub) => {
            if let Some(p) = pos(src, sub.span()) {
                spans.insert(path.to_string(), p);
            }
            record_table(sub, path, src, spans);
        }
        Item::ArrayOfTables(aot) => {
            let names: Vec<Option<String>> = aot
                .iter()
                .map(|t| t.get("name").and_then(item_name_value))
                .collect();
            let base = path_without_last(path, key);
            let labels = element_labels(&join(&base, key), &names);
            for (t, label) in aot.iter().zip(labels) {
                if let Some(p) = pos(src, t.span()) {
                    spans.insert(label.clone(), p);
                }
                record_table(t, &label, src, spans);
            }
        }
        // a top-level array of inline tables (`port = [{ name = "A", … }]`) is an array of
        // tables like `[[port]]`: its elements are labelled the same way
        Item::Value(Value::Array(a))
            if path == key && !a.is_empty() && a.iter().all(Value::is_inline_table) =>
        {
            let names: Vec<Option<String>> = a
                .iter()
                .map(|el| {
                    el.as_inline_table()
                        .and_then(|t| t.get("name"))
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .collect();
            for (el, label) in a.iter().zip(element_labels(key, &names)) {
                if let Some(p) = pos(src, el.span()) {
                    spans.insert(label.clone(), p);
                }
                record_value(el, &label, src, spans);
            }
        }
        Item::Value(v) => record_value(v, path, src, spans),
    }
}

fn item_name_value(item: &Item) -> Option<String> {
    item.as_str().map(|s| s.to_string())
}

/// `path` minus its last key `key` (the prefix under which `key` sits).
fn path_without_last(path: &str, key: &str) -> String {
    path.strip_suffix(key)
        .map(|p| p.trim_end_matches('.').to_string())
        .unwrap_or_default()
}

fn record_value(v: &Value, path: &str, src: &LineIndex, spans: &mut Spans) {
    match v {
        Value::InlineTable(t) => {
            for (k, _) in t.iter() {
                let Some((key, item)) = t.get_key_value(k) else {
                    continue;
                };
                let p = join(path, k);
                if let Some(at) = pos(src, key.span()).or_else(|| pos(src, item.span())) {
                    spans.insert(p.clone(), at);
                }
                record_item(item, &p, k, src, spans);
            }
        }
        Value::Array(a) => {
            for (i, el) in a.iter().enumerate() {
                let p = format!("{path}[{}]", i + 1);
                if let Some(at) = pos(src, el.span()) {
                    spans.insert(p.clone(), at);
                }
                record_value(el, &p, src, spans);
            }
        }
        // How a decimal number is written (`25.000`, for a hint where a whole number is due).
        Value::Float(_) => {
            if let Some(text) = v.span().and_then(|r| src.text().get(r)) {
                spans.insert_decimal(path.to_string(), text.trim());
            }
        }
        _ => {}
    }
}

fn table_to_toml(t: &toml_edit::Table) -> toml::Table {
    let mut out = toml::Table::new();
    for (k, item) in t.iter() {
        if let Some(v) = item_to_toml(item) {
            out.insert(k.to_string(), v);
        }
    }
    out
}

fn item_to_toml(item: &Item) -> Option<toml::Value> {
    match item {
        Item::None => None,
        Item::Value(v) => Some(value_to_toml(v)),
        Item::Table(t) => Some(toml::Value::Table(table_to_toml(t))),
        Item::ArrayOfTables(a) => Some(toml::Value::Array(
            a.iter()
                .map(|t| toml::Value::Table(table_to_toml(t)))
                .collect(),
        )),
    }
}

fn value_to_toml(v: &Value) -> toml::Value {
    match v {
        Value::String(s) => toml::Value::String(s.value().clone()),
        Value::Integer(i) => toml::Value::Integer(*i.value()),
        Value::Float(f) => toml::Value::Float(*f.value()),
        Value::Boolean(b) => toml::Value::Boolean(*b.value()),
        Value::Datetime(d) => toml::Value::Datetime(*d.value()),
        Value::Array(a) => toml::Value::Array(a.iter().map(value_to_toml).collect()),
        Value::InlineTable(t) => {
            let mut out = toml::Table::new();
            for (k, v) in t.iter() {
                out.insert(k.to_string(), value_to_toml(v));
            }
            toml::Value::Table(out)
        }
    }
}

/// The hint for a percentage written as a bare number (`never = 3%`, which TOML cannot read) on
/// a key that takes a probability, a fraction or a rate a day: the number to write, as the hint
/// for `never = 3` gives it. `None` for other keys and lines.
fn percent_hint(line: &str) -> Option<String> {
    let (key, value) = line.split_once('=')?;
    let key = key.trim();
    let value = value.split('#').next().unwrap_or("").trim();
    let x: f64 = value.strip_suffix('%')?.trim().parse().ok()?;
    if !(0.0..=100.0).contains(&x) {
        return None;
    }
    // 0.7 / 100 is 0.006999…: round to 12 significant digits for the reader.
    let f: f64 = format!("{:.12e}", x / 100.0).parse().unwrap_or(x / 100.0);
    match crate::scenario::units::number_unit(key)? {
        "1/day" => Some(format!(
            "for {x}% a day, write {key} = {f} (a rate per day, not a percentage){}",
            crate::scenario::units::share_per_period_hint(x / 100.0, "month")
                .map(|h| format!("; {h}"))
                .unwrap_or_default()
        )),
        u @ ("probability" | "fraction") => Some(format!(
            "for {x}%, write {key} = {f} (a {u} from 0 to 1, not a percentage)"
        )),
        _ => None,
    }
}

/// For times of day written without quotes on a key that takes them (`hours = [08:00, 16:00]`,
/// which TOML cannot read, `hours = 08:00-16:00`, `departures = [7:00, 12:00]`): the line with
/// each time in quotes, as "HH:MM" without seconds. `None` for other keys and lines.
fn unquoted_time_hint(line: &str) -> Option<String> {
    let (key, value) = line.split_once('=')?;
    let key = key.trim();
    let value = value.split('#').next().unwrap_or("").trim();
    if !["hours", "departures"].contains(&key) {
        return None;
    }
    let fixed = if value.starts_with('[') {
        // Each run of digits and colons outside quotes that is a time, quoted.
        let mut out = String::new();
        let mut found = false;
        let mut quoted = false;
        let mut chars = value.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '"' {
                quoted = !quoted;
            }
            if quoted || !c.is_ascii_digit() {
                out.push(c);
                continue;
            }
            let mut run = String::from(c);
            while let Some(&n) = chars.peek() {
                if !(n.is_ascii_digit() || n == ':') {
                    break;
                }
                run.push(n);
                chars.next();
            }
            let hhmm = match run.split(':').collect::<Vec<_>>()[..] {
                [h, m] | [h, m, "00"] => format!("{h}:{m}"),
                _ => run.clone(),
            };
            if crate::scenario::units::parse_time_of_day(&hhmm).is_ok() {
                found = true;
                out.push_str(&format!("{hhmm:?}"));
            } else {
                out.push_str(&run);
            }
        }
        if !found {
            return None;
        }
        out
    } else if key == "hours" {
        crate::scenario::units::toml_list(&crate::scenario::units::hours_in_text(value)?)
    } else {
        return None;
    };
    Some(format!(
        "a time of day is text, in quotes: write {key} = {fixed} (24-hour \"HH:MM\")"
    ))
}

/// For text written without quotes (`name = Tijuana`: the parser expected a quote where the
/// value starts), the line with its value in quotes. `None` for any other error or line.
fn unquoted_text_hint(line: &str, message: &str) -> Option<String> {
    let (key, value) = line.split_once('=')?;
    let value = value.split('#').next().unwrap_or("").trim();
    let key = key.trim();
    // A duration without quotes (`horizon = 400d`): the parser read the number and stopped
    // at its unit.
    let number_then_unit = |v: &str| {
        let unit = v.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
        unit.len() < v.len()
            && v.starts_with(|c: char| c.is_ascii_digit())
            && !unit.trim().is_empty()
            && unit.trim().chars().all(|c| c.is_ascii_alphabetic())
    };
    if message.starts_with("expected newline") && !key.is_empty() && number_then_unit(value) {
        use crate::scenario::units;
        // A count with letters after it (`people = 12k`) is written in digits; only a key that
        // takes a duration is told to quote it (`people = "12k"` would be refused as text).
        if let Some(h) = units::count_with_letters_hint(key, value) {
            return Some(h);
        }
        if units::number_unit(key).is_some() {
            return Some(format!(
                "{key} takes a number, written in digits alone, without a unit or quotes \
                 (e.g. {key} = {})",
                number_example(key)
            ));
        }
        if units::takes_duration(key) {
            return Some(format!(
                "a duration is text, written in quotes: {key} = {value:?}"
            ));
        }
        return Some(format!(
            "text is written in quotes: {key} = {value:?} (numbers, true/false and lists without)"
        ));
    }
    if !message.starts_with("invalid string; expected `\"`") {
        return None;
    }
    if key.is_empty() || value.is_empty() || value.starts_with(['"', '\'', '[', '{']) {
        return None;
    }
    // A key that takes a number (`replications = fifty`) is not told to quote its value, which
    // would then be refused as text: a number is written in digits.
    let numeric = crate::scenario::units::number_unit(key).is_some()
        || ["replications", "seed"].contains(&key);
    if numeric && !value.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(format!(
            "{key} takes a number, written in digits without quotes (e.g. {key} = {})",
            number_example(key)
        ));
    }
    Some(format!(
        "text is written in quotes: {key} = {value:?} (numbers, true/false and lists without)"
    ))
}

/// A number to show for a key that takes one, in the key's range.
fn number_example(key: &str) -> &'static str {
    match crate::scenario::units::number_unit(key) {
        Some("fraction" | "probability") => "0.5",
        Some("1/day") => "0.01",
        _ => "100",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A seed beyond TOML's signed 64-bit integers is said to be out of the seed's range, with
    /// the range and the fix, not a grammar hint; another such number gets TOML's range.
    #[test]
    fn an_out_of_range_seed_says_its_range() {
        let e = parse("[scenario]\nseed = 18446744073709551615\n", "t.toml").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(
            e.message
                .contains("the seed is a whole number from 0 to 9223372036854775807"),
            "{e}"
        );
        assert!(e.hint.as_deref().unwrap().contains("seed = 12345"), "{e}");
        let e = parse("[backlog]\npeople = 99999999999999999999\n", "t.toml").unwrap_err();
        assert!(
            e.message.contains("9223372036854775807 (signed 64-bit)"),
            "{e}"
        );
    }

    /// Recording where every key and array element sits scans the file a bounded number of
    /// times, not once per key: a file of 3,000 keys and an array of 3,000 values is scanned
    /// for fewer bytes than 10 times its size (the index is built in one pass, and each lookup
    /// scans at most 128 bytes; rescanning from the start for each key, it was about 3,000
    /// times its size).
    #[test]
    fn locating_every_key_is_linear_in_the_file() {
        let mut src = String::from("[scenario]\nname = \"x\"\n[junk]\n");
        for i in 0..3000 {
            src.push_str(&format!("key_{i} = {i}\n"));
        }
        src.push_str("[dist]\nvalues = [");
        src.push_str(
            &(0..3000)
                .map(|i| format!("{i}.5"))
                .collect::<Vec<_>>()
                .join(", "),
        );
        src.push_str("]\n");
        super::super::diag::scanned::take();
        let d = parse(&src, "t.toml").unwrap();
        let scanned = super::super::diag::scanned::take();
        assert!(
            scanned < 10 * src.len(),
            "{scanned} bytes scanned for {}",
            src.len()
        );
        // … and the positions are those of a scan from the start.
        let at = src.find("key_2999").unwrap();
        assert_eq!(d.spans.get("junk.key_2999"), Some(line_col(&src, at)));
        let at = src.find("2999.5").unwrap();
        assert_eq!(d.spans.get("dist.values[3000]"), Some(line_col(&src, at)));
    }

    #[test]
    fn spans_cover_tables_arrays_and_inline_tables() {
        let src =
            "[scenario]\nname = \"x\"\n\n[[port]]\nname = \"San Ysidro\"\nquota_per_day = 300\n\
                   ramp = { from = 25, over = \"14d\" }\n\n[[port]]\nservers = 2\n\n\
                   [[route]]\ndepartures = [\"07:00\", \"12:00\"]\n";
        let d = parse(src, "t.toml").unwrap();
        assert_eq!(d.spans.get("scenario.name"), Some((2, 1)));
        assert_eq!(d.spans.get("port[San Ysidro]"), Some((4, 1)));
        assert_eq!(d.spans.get("port[San Ysidro].quota_per_day"), Some((6, 1)));
        assert_eq!(d.spans.get("port[San Ysidro].ramp.over"), Some((7, 21)));
        assert_eq!(d.spans.get("port[2].servers"), Some((10, 1)));
        assert_eq!(d.spans.get("route[1].departures[2]"), Some((13, 24)));
        assert_eq!(
            d.table["port"].as_array().unwrap()[0]["quota_per_day"].as_integer(),
            Some(300)
        );
    }

    #[test]
    fn inline_arrays_of_tables_are_labelled_like_arrays_of_tables() {
        let src = "port = [{ name = \"A\", quota_per_day = -3 }, { servers = 1 }]\n\
                   [scenario]\nhours = [{ a = 1 }]\n";
        let d = parse(src, "t.toml").unwrap();
        assert_eq!(d.spans.get("port[A]"), Some((1, 9)));
        assert_eq!(d.spans.get("port[A].quota_per_day"), Some((1, 23)));
        assert_eq!(d.spans.get("port[2].servers"), Some((1, 47)));
        // below the top level, elements keep their positions
        assert_eq!(d.spans.get("scenario.hours[1].a"), Some((3, 12)));
    }

    #[test]
    fn syntax_error_has_a_position() {
        let e = parse("[scenario]\nname = \"x\nseed = 1\n", "t.toml").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.starts_with("TOML syntax error"), "{e:?}");
    }
}
