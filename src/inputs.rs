//! The files this process has read as inputs (scenario files and their bases, sweep files,
//! observed data), kept by device and inode so that no output ever replaces one of them, under
//! whatever name or link it is reached.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

static READ: Mutex<Vec<(u64, u64, PathBuf)>> = Mutex::new(Vec::new());

/// Device and inode of the file `path` names (following links).
fn key(path: &Path) -> Option<(u64, u64)> {
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

fn read() -> std::sync::MutexGuard<'static, Vec<(u64, u64, PathBuf)>> {
    READ.lock().unwrap_or_else(|e| e.into_inner())
}

/// Remember `path` as an input (nothing happens when it cannot be examined).
pub fn record(path: &Path) {
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return;
    }
    if let Some(k) = key(path) {
        // An entry with the same inode is this file under another name, or a deleted file's:
        // the name it has now replaces it.
        forget(path);
        read().push((k.0, k.1, path.to_path_buf()));
    }
}

/// Stop protecting `path` (an input that is also this run's own output to rewrite: the
/// `scenario.toml` of the directory that `run --extend` continues).
pub fn forget(path: &Path) {
    if let Some(k) = key(path) {
        read().retain(|(d, i, _)| (*d, *i) != k);
    }
}

/// The input that `path` names (following links), if it is one: as it was named when read.
/// An input since deleted is forgotten (its inode may now be another file's).
pub fn input_at(path: &Path) -> Option<PathBuf> {
    let k = key(path)?;
    read()
        .iter()
        .find(|(d, i, p)| (*d, *i) == k && key(p) == Some(k))
        .map(|(_, _, p)| p.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_input_is_recognised_through_another_name() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("a.toml");
        std::fs::write(&f, "x").unwrap();
        let link = d.path().join("b.toml");
        std::os::unix::fs::symlink(&f, &link).unwrap();
        assert_eq!(input_at(&link), None);
        record(&f);
        assert_eq!(input_at(&link), Some(f.clone()));
        assert_eq!(input_at(&d.path().join("c.toml")), None);
    }
}
