//! Text -> document -> table: parses scenario text with `toml_edit` (which keeps spans), reports
//! TOML syntax errors with their position, records the line:column of every key path
//! (`Spans`), and converts the document into a plain `toml::Table`.
//!
//! This is the seam where later features act on the table before it becomes raw structs
//! (`--set key.path=value` overrides, `extends = "base.toml"` merging): they edit the
//! `toml::Table`; values they introduce simply have no span.

use super::diag::{element_labels, join, line_col, Diagnostic, Spans};
use toml_edit::{ImDocument, Item, Value};

/// A parsed scenario document: its table and where each key path sits in the text.
#[derive(Debug, Clone)]
pub struct Document {
    pub table: toml::Table,
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
        let hint = if message.contains("string") {
            "a text value needs its closing quote on the same line, e.g. name = \"Port A\""
        } else if !text.contains('=') && !text.starts_with('[') {
            "every line of a scenario is `key = value`, a [section] header or a # comment (the \
             file is TOML; see scenarios/baseline.toml)"
        } else {
            "write `key = value`, text in quotes, lists in [ ] (the file is TOML; see \
             scenarios/baseline.toml)"
        };
        Box::new(Diagnostic {
            file: file.to_string(),
            line,
            column,
            key: None,
            message: format!("TOML syntax error: {message}"),
            hint: Some(hint.into()),
        })
    })?;
    let mut spans = Spans::default();
    record_table(doc.as_table(), "", src, &mut spans);
    let table = table_to_toml(doc.as_table());
    Ok(Document { table, spans })
}

fn pos(src: &str, span: Option<std::ops::Range<usize>>) -> Option<(usize, usize)> {
    span.map(|r| line_col(src, r.start))
}

fn record_table(t: &toml_edit::Table, prefix: &str, src: &str, spans: &mut Spans) {
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

fn record_item(item: &Item, path: &str, key: &str, src: &str, spans: &mut Spans) {
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

fn record_value(v: &Value, path: &str, src: &str, spans: &mut Spans) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
