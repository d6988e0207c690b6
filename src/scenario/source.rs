//! A scenario file read once and loaded as often as a command needs (with different `--set`
//! overrides, at every point of a sweep or value of a search): a pipe, a FIFO or a shell's
//! `<(…)` gives its text only once, so a command that opened the file again read it empty. The
//! files its `extends` names are read as they are loaded.

use super::extends::{load_file_with, load_text_of, read_text, Loaded};
use super::{Override, ScenarioError};
use std::path::{Path, PathBuf};

/// The text of a scenario file, read once, with the path that names it in messages and that its
/// `extends` are resolved from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    path: PathBuf,
    text: String,
}

impl Source {
    /// Read the file at `path` (with the size cap and the messages of [`load_file_with`]).
    pub fn read(path: &Path) -> Result<Source, ScenarioError> {
        Ok(Source {
            path: path.to_path_buf(),
            text: read_text(path)?,
        })
    }

    /// Text already read from `path`.
    pub fn from_text(path: &Path, text: String) -> Source {
        Source {
            path: path.to_path_buf(),
            text,
        }
    }

    /// The path as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's text as read.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Load the scenario from the text with `extends` and the overrides `ovs`, as
    /// [`load_file_with`] loads the file.
    pub fn load_with(&self, ovs: &[Override]) -> Result<Loaded, ScenarioError> {
        load_text_of(&self.text, &self.path, ovs)
    }

    /// Diagnostics at the key paths `keys`, placed as loading the text with `ovs` places its
    /// own ([`super::extends::locate_keys`]), their messages left to the caller.
    pub fn locate_keys(
        &self,
        ovs: &[Override],
        keys: &[String],
    ) -> Result<Vec<super::Diagnostic>, ScenarioError> {
        super::extends::locate_keys(&self.text, &self.path, ovs, keys)
    }
}

/// A scenario file to load with overrides: a path (read at each load) or a [`Source`] (read
/// once). The experiments that load a scenario at every setting ([`crate::experiment::target`],
/// [`crate::experiment::sensitivity`], [`crate::experiment::sweep::load_points`]) take either.
pub trait ScenarioFile {
    /// Load the scenario with `extends` and the overrides `ovs`, as [`load_file_with`].
    fn load_with(&self, ovs: &[Override]) -> Result<Loaded, ScenarioError>;
}

impl ScenarioFile for Path {
    fn load_with(&self, ovs: &[Override]) -> Result<Loaded, ScenarioError> {
        load_file_with(self, ovs)
    }
}

impl ScenarioFile for PathBuf {
    fn load_with(&self, ovs: &[Override]) -> Result<Loaded, ScenarioError> {
        load_file_with(self, ovs)
    }
}

impl ScenarioFile for Source {
    fn load_with(&self, ovs: &[Override]) -> Result<Loaded, ScenarioError> {
        Source::load_with(self, ovs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_loads_from_its_text_without_reading_the_file_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        let text = std::fs::read_to_string("tests/scenarios/tiny.toml").unwrap();
        std::fs::write(&path, &text).unwrap();
        let src = Source::read(&path).unwrap();
        // The file gone (as a pipe is once read), the source still loads, named as the path.
        std::fs::remove_file(&path).unwrap();
        let set = crate::scenario::parse_set("scenario.replications=3").unwrap();
        let l = src.load_with(&[set]).unwrap();
        assert_eq!(l.scenario.replications, 3);
        assert!(path.load_with(&[]).is_err());
        let e = Source::from_text(&path, "[scenario]\n".into())
            .load_with(&[])
            .unwrap_err();
        assert!(e.to_string().contains(&path.display().to_string()), "{e}");
    }
}
