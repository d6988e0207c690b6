//! `summary.json` and `--json`: the run summary serialised as MODEL.md §3 specifies.

use super::OutputError;
use crate::experiment::Summary;

/// Pretty JSON of the summary, ending in a newline.
pub fn summary_json(s: &Summary) -> Result<String, OutputError> {
    let mut text = serde_json::to_string_pretty(s).map_err(|e| OutputError::Serialize {
        what: "summary.json".into(),
        source: Box::new(e),
    })?;
    text.push('\n');
    Ok(text)
}
