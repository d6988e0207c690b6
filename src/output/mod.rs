//! Output: JSON, CSV and text tables, charts (PNG and SVG), `explain`'s table and the
//! self-contained HTML report, all written from result structs (never from the engine), through
//! the atomic file writing of `fsio` that keeps a user's existing files whole (offered here with
//! this module's error, [`OutputError`]).
//!
//! The bottleneck analysis they render is computed in `analysis`; `output::bottleneck` prints
//! `explain`'s table.

pub mod bottleneck;
pub mod charts;
pub mod columns;
pub mod csv;
pub mod experiment_charts;
pub mod json;
pub mod observed_chart;
pub mod report;
pub mod saved;
pub mod table;
pub mod warnings;

pub use crate::analysis::{
    bind, explain, BottleneckReport, Finish, PeriodBinding, RowPeople, Stage,
};
pub use bottleneck::{print_explain, print_explain_warned};
pub use charts::{write_charts, ChartInput};
pub use report::write_report;

pub use crate::fsio::{is_stdout, remove_stale_temp_files};

use crate::fsio::{self, WriteError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// `s` broken at spaces into lines of at most `n` characters (a longer word on a line alone):
/// the notes under a chart, and those under the run table's median.
pub(crate) fn wrap_words(s: &str, n: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for w in s.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + w.chars().count() <= n => {
                l.push(' ');
                l.push_str(w);
            }
            _ => lines.push(w.to_string()),
        }
    }
    lines
}

/// Errors writing outputs; each names the file or the thing being written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file or directory could not be written or made.
    #[error("could not write {path}")]
    Io {
        /// The file or directory being written.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path} is a file, not a directory (an output directory is made if missing, but not \
         over a file)"
    )]
    /// The output directory's path names a file.
    NotADirectory {
        /// The path given as the output directory.
        path: PathBuf,
    },
    /// A symbolic link on the way to the output directory that leads nowhere (its target is
    /// missing, or links loop).
    #[error("{path} is a symbolic link to {target}, {why}")]
    BrokenLink {
        /// The link.
        path: PathBuf,
        /// Where it points, as the link holds it ("?" when that cannot be read).
        target: String,
        /// Why it leads nowhere (its target does not exist, or it cannot be followed) and what to
        /// do.
        why: String,
    },
    /// A directory that exists but in which no file can be made although nothing is missing
    /// (a special file system: /proc, /sys).
    #[error(
        "{path} takes no new files: making one there reported \"{reason}\" although the \
         directory exists (a special file system such as /proc or /sys?); choose another --out"
    )]
    NoNewFiles {
        /// The directory.
        path: PathBuf,
        /// The error that making a file in it reported.
        reason: std::io::Error,
    },
    /// A file written whole could not be (its own message: an input or a second output in the
    /// way, or the I/O error).
    #[error(transparent)]
    Write(#[from] WriteError),
    /// An input file could not be read.
    #[error("could not read {path}")]
    Read {
        /// The file being read.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    #[error("could not draw chart {chart}: {message}")]
    /// A chart could not be drawn.
    Chart {
        /// The chart's name (`fan`, `ports`, …) or the path of the chart file without its
        /// extension.
        chart: String,
        /// The drawing library's message.
        message: String,
    },
    #[error("could not encode {path} as PNG: {message}")]
    /// A drawn chart could not be encoded as PNG.
    Encode {
        /// The PNG file being written.
        path: PathBuf,
        /// The encoder's message.
        message: String,
    },
    /// A result could not be encoded (as JSON or CSV), or the observed chart could not be drawn.
    #[error("could not encode {what}")]
    Serialize {
        /// What was being encoded (`summary.json`, `CSV`, `the observed chart`, …).
        what: String,
        /// The encoder's (or the drawing's) error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl OutputError {
    /// [`OutputError::Io`] for `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        OutputError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// A set of outputs replaced together ([`fsio::Staging`], its errors as [`OutputError`]): while
/// it is open, [`atomic_write`] leaves each file under its temporary name; [`Staging::commit`]
/// (or [`commit_staged`]) renames them into place, and dropping it uncommitted removes them.
#[must_use = "dropping a staging discards what was written"]
pub struct Staging(fsio::Staging);

impl Staging {
    /// Open a staging on this thread (one at a time; opening another commits nothing).
    pub fn begin() -> Staging {
        Staging(fsio::Staging::begin())
    }

    /// Rename every staged file into place and close the staging.
    pub fn commit(self) -> Result<(), OutputError> {
        Ok(self.0.commit()?)
    }

    /// [`Staging::commit`] unless `stop` is set first ([`fsio::Staging::commit_unless`]):
    /// `Ok(false)` when nothing was put in place and the staged files were removed.
    pub fn commit_unless(self, stop: &std::sync::atomic::AtomicBool) -> Result<bool, OutputError> {
        Ok(self.0.commit_unless(stop)?)
    }
}

/// Rename the files staged so far into place, in the order written, leaving the staging open
/// ([`fsio::commit_staged`]).
pub fn commit_staged() -> Result<(), OutputError> {
    Ok(fsio::commit_staged()?)
}

/// [`commit_staged`] unless `stop` is set first ([`fsio::commit_staged_unless`]): `Ok(false)`
/// when nothing was put in place and the staged files were removed.
pub fn commit_staged_unless(stop: &std::sync::atomic::AtomicBool) -> Result<bool, OutputError> {
    Ok(fsio::commit_staged_unless(stop)?)
}

/// Write `bytes` to `path` whole or not at all ([`fsio::atomic_write`]: a temporary file and a
/// rename; never over an input of this run).
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    Ok(fsio::atomic_write(path, bytes)?)
}

/// [`atomic_write`] for content produced piece by piece ([`fsio::atomic_write_with`]).
pub fn atomic_write_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    Ok(fsio::atomic_write_with(path, write)?)
}

/// Make sure `dir` exists and is writable, before any simulation runs.
pub fn prepare_dir(dir: &Path) -> Result<(), OutputError> {
    // The first part of the path that exists (as itself: a link is not followed to find it)
    // must be a directory, or a link that leads to one. A link to nowhere had been passed over
    // as missing, and making the directory then failed with "File exists".
    if let Some((a, m)) = dir
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .find_map(|a| std::fs::symlink_metadata(a).ok().map(|m| (a, m)))
    {
        let m = if m.file_type().is_symlink() {
            std::fs::metadata(a).map_err(|e| broken_link(a, &e))?
        } else {
            m
        };
        if !m.is_dir() {
            return Err(OutputError::NotADirectory {
                path: a.to_path_buf(),
            });
        }
    }
    let existed = dir.is_dir();
    std::fs::create_dir_all(dir).map_err(|e| OutputError::io(dir, e))?;
    fsio::probe_writable(dir).map_err(|e| match e.kind() {
        // No file can be missing in a directory that exists: /proc says so.
        std::io::ErrorKind::NotFound if existed => OutputError::NoNewFiles {
            path: dir.to_path_buf(),
            reason: e,
        },
        _ => OutputError::io(dir, e),
    })
}

/// The error for the symbolic link `link` that could not be followed (`e`).
fn broken_link(link: &Path, e: &std::io::Error) -> OutputError {
    let target = std::fs::read_link(link).map_or_else(|_| "?".into(), |t| t.display().to_string());
    let why = if e.kind() == std::io::ErrorKind::NotFound {
        "which does not exist: make the directory it names, or give --out another path".into()
    } else {
        format!(
            "which cannot be followed ({e}: links that lead back to themselves?): give --out \
             another path"
        )
    };
    OutputError::BrokenLink {
        path: link.to_path_buf(),
        target,
        why,
    }
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

    /// An output directory through a link to nowhere, or a loop of links, is refused naming
    /// the link and its target (it had been "File exists").
    #[cfg(unix)]
    #[test]
    fn a_link_to_nowhere_or_a_loop_is_named() {
        let d = tempfile::tempdir().unwrap();
        let dang = d.path().join("dang");
        std::os::unix::fs::symlink("/nonexistent/dir", &dang).unwrap();
        let sl = d.path().join("sl");
        std::os::unix::fs::symlink(&sl, &sl).unwrap();
        for (out, link, why) in [
            (dang.clone(), &dang, "which does not exist"),
            (dang.join("sub"), &dang, "which does not exist"),
            (sl.clone(), &sl, "which cannot be followed"),
        ] {
            let e = prepare_dir(&out).unwrap_err().to_string();
            assert!(
                e.starts_with(&format!("{} is a symbolic link to ", link.display())),
                "{e}"
            );
            assert!(e.contains(why), "{e}");
        }
        // A link to a directory is written through, as before.
        let real = d.path().join("real");
        std::fs::create_dir(&real).unwrap();
        std::os::unix::fs::symlink(&real, d.path().join("ok")).unwrap();
        prepare_dir(&d.path().join("ok")).unwrap();
        prepare_dir(&d.path().join("ok/new")).unwrap();
        assert!(real.join("new").is_dir());
    }

    /// /proc takes no new files though it exists: said so, not "No such file or directory".
    #[test]
    fn a_special_file_system_is_named() {
        if !Path::new("/proc/self").is_dir() {
            return;
        }
        let e = prepare_dir(Path::new("/proc")).unwrap_err().to_string();
        assert!(e.starts_with("/proc takes no new files"), "{e}");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            html_escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
