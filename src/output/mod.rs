//! Output that people read: charts (PNG and SVG), the bottleneck analysis and the self-contained
//! HTML report. A leaf module: it reads result structs (`Scenario`, `Summary`, `DailyBands`,
//! `ReplicationResult`) and never drives the engine.
//!
//! The bottleneck analysis lives here (`output::bottleneck`) rather than in a separate
//! `analysis` module because it is computed from the same inputs as the charts and feeds both the
//! `bottleneck` chart and the report.

pub mod bottleneck;
pub mod charts;
pub mod report;

pub use bottleneck::{bind, explain, print_explain, BottleneckReport, PeriodBinding, Stage};
pub use charts::{write_charts, ChartInput};
pub use report::write_report;

use std::io::Write;
use std::path::{Path, PathBuf};

/// Errors while writing output files.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("could not write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("could not draw chart {chart}: {message}")]
    Chart { chart: String, message: String },
    #[error("could not encode {path} as PNG: {message}")]
    Encode { path: PathBuf, message: String },
}

/// Write `bytes` to `path` atomically: a temporary file in the same directory, flushed and synced,
/// then renamed over `path`. A reader sees either the old file or the complete new one.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let io = |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}

/// Escape text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        atomic_write(&p, b"one").unwrap();
        atomic_write(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let n = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(n, 1);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            html_escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
