//! Files written whole or not at all: the atomic write (a temporary file in the same directory,
//! then a rename), the staging that puts a command's outputs in place together, and the removal of
//! temporary files a killed process left behind; and files read with a cap on their size, so that
//! an endless input (`/dev/zero`, a FIFO that never closes) is refused instead of filling memory,
//! and the words for an input that cannot be used as given (not UTF-8, or a path that names
//! nothing: [`not_utf8`], [`not_found`]), one for every reader. A leaf: it reads only the record of this run's inputs (`inputs`, never replaced), so that any
//! layer (`output`, the per-replication store of `experiment`) can read and write files safely
//! without depending on `output`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The most read from a file a person writes (a scenario or its base, a sweep file, observed
/// data) or a small file of a saved run (`scenario.toml`, `summary.json`) \[bytes\]: 64 MiB,
/// thousands of times the largest of them (the bundled scenarios are a few KB).
pub const TEXT_CAP: u64 = 64 << 20;

/// The most read of a file of a stored run that is read whole (`run.json`, `sweep.json`,
/// `daily.json`) \[bytes\]: 1 GiB. daily.json holds one histogram per day and series (1 MB for
/// the baseline's 2,000 replications; about 200 MB for 22 series over a 100-year horizon at a
/// typical 64 bins), and a sweep's run.json one scenario per point (about 30 MB for 10,000
/// points of the baseline).
pub const STORE_CAP: u64 = 1 << 30;

/// The longest line read from a file read line by line (`replications.jsonl`,
/// `replications.csv`, `daily.csv`), whose length grows with the replications \[bytes\]: 64
/// MiB (a baseline line is about 1.3 KB; one of a store from before daily.json, with its daily
/// series, about 5 MB for a 100-year horizon).
pub const LINE_CAP: u64 = 64 << 20;

/// Errors reading a file; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("could not read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {}", too_large(*cap))]
    TooLarge { path: PathBuf, cap: u64 },
}

/// Why a file of more than `cap` bytes is refused (without the file's name).
pub fn too_large(cap: u64) -> String {
    format!(
        "larger than {}, the most read from such a file: is it the right file? (an endless \
         input such as /dev/zero is refused)",
        cap_text(cap)
    )
}

/// A cap in words: "64 MiB", "1 GiB".
pub fn cap_text(cap: u64) -> String {
    match cap {
        c if c >= 1 << 30 && c % (1 << 30) == 0 => format!("{} GiB", c >> 30),
        c if c >= 1 << 20 && c % (1 << 20) == 0 => format!("{} MiB", c >> 20),
        c => format!("{c} bytes"),
    }
}

/// Read the file at `path` whole, refusing one of more than `cap` bytes ([`ReadError::TooLarge`]:
/// at once for a regular file; for a device or FIFO, whose size is not known before it ends,
/// after at most [`TEXT_CAP`] bytes, so that `/dev/zero` in a stored run's place is refused
/// without first filling a gigabyte).
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let f = std::fs::File::open(path).map_err(io)?;
    let meta = f.metadata().map_err(io)?;
    let cap = if meta.is_file() {
        cap
    } else {
        cap.min(TEXT_CAP)
    };
    let too_large = || ReadError::TooLarge {
        path: path.to_path_buf(),
        cap,
    };
    if meta.is_file() && meta.len() > cap {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(if meta.is_file() {
        meta.len() as usize
    } else {
        0
    });
    f.take(cap + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > cap {
        return Err(too_large());
    }
    Ok(bytes)
}

/// [`read_capped`] as UTF-8 text; `None` inside `Ok` when it is not UTF-8.
pub fn read_text_capped(path: &Path, cap: u64) -> Result<Option<String>, ReadError> {
    Ok(String::from_utf8(read_capped(path, cap)?).ok())
}

/// What a file read as text is told when it is not UTF-8: the line of its first byte that is
/// not, or that it is UTF-16 (what Windows calls "Unicode": Excel's "Unicode Text", Notepad's
/// "UTF-16 LE"), and `save_as`, how to save it as UTF-8 in the program that wrote it.
pub fn not_utf8(bytes: &[u8], save_as: &str) -> String {
    // A UTF-16 file as Windows programs save it starts with its byte order mark (FF FE, or
    // FE FF big-endian).
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return format!(
            "not a UTF-8 text file: it is UTF-16 (what Windows calls \"Unicode\"): {save_as}"
        );
    }
    let at = std::str::from_utf8(bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    // (a lone `\r` ends a line too: old Mac files are also the likeliest not to be UTF-8)
    let line = line_ends(bytes, 0..at) + 1;
    format!(
        "not a UTF-8 text file (line {line} has the first byte that is not UTF-8, 0x{:02X}): \
         {save_as}",
        bytes.get(at).copied().unwrap_or(0)
    )
}

/// The line ends among `bytes[range]`, as an editor counts them: `\r\n`, `\n` and a lone `\r`
/// (files saved on Windows, and by old Mac programs) each end one line, counted at its last
/// byte (a `\r` whose `\n` lies just past the range is not counted).
pub fn line_ends(bytes: &[u8], range: std::ops::Range<usize>) -> usize {
    range
        .filter(|&k| match bytes[k] {
            b'\n' => true,
            b'\r' => bytes.get(k + 1) != Some(&b'\n'),
            _ => false,
        })
        .count()
}

/// How to save a text file (a scenario or sweep file) as UTF-8, for [`not_utf8`].
pub const SAVE_TEXT_AS_UTF8: &str = "save it as UTF-8 (in most editors: Save As, encoding UTF-8)";

/// How to save a CSV file as UTF-8, for [`not_utf8`].
pub const SAVE_CSV_AS_UTF8: &str = "save it as UTF-8 (in Excel: Save As, \"CSV UTF-8 (Comma \
     delimited)\"; in other editors: Save As, encoding UTF-8)";

/// What a path given on the command line that names nothing is told: `missing` ("no such
/// file", "no such directory") and, when one applies, a hint from the mistakes of a planner used
/// to Windows ([`missing_path_hint`]).
pub fn not_found(path: &Path, missing: &str, extensions: &[&str]) -> String {
    match missing_path_hint(path, extensions) {
        Some(h) => format!("{missing}; {h}"),
        None => missing.to_string(),
    }
}

/// A hint for a path that names nothing: a `\` taken for a folder separator (here it is a
/// character of the name: folders are separated by `/`), or a file name written without the
/// extension that Windows hides (`baseline` for `baseline.toml`; `baseline.toml` for
/// `baseline.toml.txt`, a file saved by an editor that added `.txt`), or with its extension
/// mistyped (`baseline.tom` for `baseline.toml`). `extensions` are those a
/// file of its kind has (`toml`, `csv`), without the dot.
pub fn missing_path_hint(path: &Path, extensions: &[&str]) -> Option<String> {
    let text = path.to_string_lossy();
    // (on Windows `\\` is a separator, and a path holding one is read as meant)
    if cfg!(not(windows)) && text.contains('\\') {
        let fixed = text.replace('\\', "/");
        let exists = if Path::new(&fixed).exists() {
            ", which exists"
        } else {
            ""
        };
        return Some(format!(
            "folders are separated by `/` here, not `\\` (a `\\` is part of a name): write \
             \"{fixed}\"{exists}"
        ));
    }
    let exists = |s: &str| Path::new(s).exists();
    for ext in extensions {
        let with = format!("{text}.{ext}");
        if !text.ends_with(&format!(".{ext}")) && exists(&with) {
            return Some(format!("did you mean {with}?"));
        }
    }
    // An extension mistyped (`baseline.tom`, `baseline.tmol`) or of another kind
    // (`baseline.txt`) where the file with the right one exists.
    if let Some(written) = path.extension() {
        for ext in extensions {
            let with = path.with_extension(ext);
            if written != *ext && with.exists() {
                return Some(format!("did you mean {}?", with.display()));
            }
        }
    }
    // `X.toml` saved as `X.toml.txt`, or `X` as `X.toml.txt` (Windows showed either as `X.toml`
    // or `X`).
    let mut txt = vec![format!("{text}.txt")];
    txt.extend(extensions.iter().map(|e| format!("{text}.{e}.txt")));
    for t in txt {
        if exists(&t) {
            let meant = t.trim_end_matches(".txt");
            return Some(format!(
                "did you mean {t}? (its name ends in .txt, which Windows hides; renaming it \
                 {meant} avoids this)"
            ));
        }
    }
    None
}

/// What to give instead of a directory named where a scenario file is due: the saved run's
/// scenario (`DIR/scenario.toml`, as `run --out` writes it beside `summary.json` or `run.json`:
/// `compare` takes it as a side, so a new scenario is compared with last month's run), or, for a
/// folder of scenario files, its files (`DIR/*.toml`, which the shell expands; the first names
/// them, in order). `None` for a directory holding neither, where "is a directory" says all.
pub fn directory_hint(dir: &Path) -> Option<String> {
    let saved = dir.join("scenario.toml");
    if saved.is_file() && (dir.join("summary.json").is_file() || dir.join("run.json").is_file()) {
        return Some(format!(
            "it holds a saved run (`run --out`): give its scenario, {}",
            saved.display()
        ));
    }
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    files.sort();
    let first = files.first()?;
    let glob = dir.join("*.toml");
    Some(match files.len() {
        1 => format!(
            "give the scenario file in it, {}",
            dir.join(first).display()
        ),
        n => format!(
            "give a scenario file in it ({} and {} more), or {} for all {n} to a command that \
             takes several, as `validate` does",
            dir.join(first).display(),
            n - 1,
            glob.display()
        ),
    })
}

/// A reader that fails (an `InvalidData` error naming the cap) once a line runs longer than
/// `cap` bytes without a newline, so that a file read line by line (or record by record) cannot
/// fill memory with one endless line; the file as a whole may be of any length.
pub struct LineCapped<R> {
    inner: R,
    cap: u64,
    /// Bytes since the last newline.
    run: u64,
    /// Lines passed, for the message.
    line: u64,
}

impl<R: Read> LineCapped<R> {
    pub fn new(inner: R, cap: u64) -> Self {
        LineCapped {
            inner,
            cap,
            run: 0,
            line: 1,
        }
    }
}

impl LineCapped<std::fs::File> {
    /// Open the file at `path`, lines capped at [`LINE_CAP`].
    pub fn open(path: &Path) -> std::io::Result<Self> {
        Ok(LineCapped::new(std::fs::File::open(path)?, LINE_CAP))
    }
}

impl<R: Read> Read for LineCapped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            if b == b'\n' {
                self.run = 0;
                self.line += 1;
            } else {
                self.run += 1;
            }
        }
        if self.run > self.cap {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "line {} is longer than {}, the longest line read: is it the right file? \
                     (an endless input such as /dev/zero is refused)",
                    self.line,
                    cap_text(self.cap)
                ),
            ));
        }
        Ok(n)
    }
}

/// Errors writing a file; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("could not write {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "refusing to write {path}: it is {input}, an input of this run, and would be replaced; \
         write the outputs somewhere else"
    )]
    WouldReplaceInput { path: PathBuf, input: PathBuf },
    /// A file of a command's outputs could not be kept before it is replaced ([`commit_staged`]):
    /// nothing was replaced.
    #[error(
        "could not keep a copy of {path} before replacing it, so none of this command's files \
         were put in place: the directory holds its earlier files"
    )]
    NotKept {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file of a command's outputs could not be renamed into place ([`commit_staged`]); the
    /// files renamed before it were put back.
    #[error(
        "could not put {path} in place, so none of this command's files were: those already \
         renamed were put back, and the directory holds its earlier files"
    )]
    NotPlaced {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// As [`WriteError::NotPlaced`], but some of the files already renamed could not be put
    /// back: `left` pairs each with the hidden file that holds its earlier content.
    #[error(
        "could not put {path} in place, and could not put back the earlier {}: {}",
        if left.len() == 1 { "file" } else { "files" },
        left.iter()
            .map(|(dest, kept)| format!("{} is in {}", dest.display(), kept.display()))
            .collect::<Vec<_>>()
            .join(", ")
    )]
    NotRestored {
        path: PathBuf,
        #[source]
        source: std::io::Error,
        left: Vec<(PathBuf, PathBuf)>,
    },
    #[error(
        "refusing to write {path}: it is a link to {target}, which this command also writes \
         (as {other}), so one output would overwrite the other; remove the link or write the \
         outputs somewhere else"
    )]
    SameFileTwice {
        path: PathBuf,
        target: PathBuf,
        other: PathBuf,
    },
}

impl WriteError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        WriteError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

std::thread_local! {
    /// While a [`Staging`] is open on this thread: the files written (temporary name,
    /// destination), to be renamed into place together.
    static STAGED: std::cell::RefCell<Option<Vec<(PathBuf, PathBuf)>>> =
        const { std::cell::RefCell::new(None) };
    /// While a [`Staging`] is open on this thread: every file written (as named, the file it
    /// replaces), also those already renamed into place, so that two outputs of one command
    /// that are the same file (one a link to the other) are refused instead of one
    /// overwriting the other.
    static WRITTEN: std::cell::RefCell<Option<Vec<(PathBuf, PathBuf)>>> =
        const { std::cell::RefCell::new(None) };
}

/// A set of outputs replaced together: while it is open, [`atomic_write`] leaves each file
/// under its temporary name; [`Staging::commit`] (or [`commit_staged`]) renames them into place,
/// and dropping it uncommitted removes them. So a command that fails half-way (a full disk at
/// its fifth file) leaves every earlier output of the directory as it was, instead of a mix of
/// two runs. Files are staged per thread; without a staging open, each file is renamed into
/// place as soon as it is written.
#[must_use = "dropping a staging discards what was written"]
pub struct Staging(());

impl Staging {
    /// Open a staging on this thread (one at a time; opening another commits nothing).
    pub fn begin() -> Staging {
        STAGED.with(|s| {
            s.borrow_mut().get_or_insert_with(Vec::new);
        });
        WRITTEN.with(|s| {
            s.borrow_mut().get_or_insert_with(Vec::new);
        });
        Staging(())
    }

    /// Rename every staged file into place and close the staging.
    pub fn commit(self) -> Result<(), WriteError> {
        let res = commit_staged();
        self.close();
        res
    }

    /// [`Staging::commit`] unless `stop` is set when the renames would begin
    /// ([`commit_staged_unless`]): then the staged files are removed and `Ok(false)` says
    /// nothing was put in place.
    pub fn commit_unless(self, stop: &std::sync::atomic::AtomicBool) -> Result<bool, WriteError> {
        let res = commit_staged_unless(stop);
        self.close();
        res
    }

    fn close(self) {
        STAGED.with(|s| s.borrow_mut().take());
        WRITTEN.with(|s| s.borrow_mut().take());
        std::mem::forget(self);
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        WRITTEN.with(|s| s.borrow_mut().take());
        if let Some(files) = STAGED.with(|s| s.borrow_mut().take()) {
            for (tmp, _) in files {
                let _ = std::fs::remove_file(tmp);
            }
        }
    }
}

/// Rename the files staged so far into place, in the order written, leaving the staging open.
/// Undone when a rename fails half-way: each file about to be replaced is first kept under a
/// hidden name beside it (`.NAME.kept-PID`, `keep`), and on a failure the files already
/// renamed are put back (or removed, those that had none before), so that the directory holds
/// its earlier files; [`WriteError::NotPlaced`] then names the file, or
/// [`WriteError::NotRestored`] the files that could not be put back and where their earlier
/// content is. The kept files are removed once all are in place.
pub fn commit_staged() -> Result<(), WriteError> {
    // Not stopped between renames by a signal's exit ([`hold_commits`]).
    let _committing = COMMITTING.lock().unwrap_or_else(|e| e.into_inner());
    commit_held()
}

/// [`commit_staged`], unless `stop` (the flag of a first Ctrl-C) is set when the renames would
/// begin: then every staged file is removed, none is put in place, and `Ok(false)` says so. A
/// flag set once the renames have begun lets them finish (`Ok(true)`): a command is never
/// stopped with some of its files replaced and others not. With nothing staged, `Ok(true)`.
pub fn commit_staged_unless(stop: &std::sync::atomic::AtomicBool) -> Result<bool, WriteError> {
    let _committing = COMMITTING.lock().unwrap_or_else(|e| e.into_inner());
    if stop.load(std::sync::atomic::Ordering::SeqCst) {
        let files = STAGED.with(|s| s.borrow_mut().as_mut().map(std::mem::take));
        let files = files.unwrap_or_default();
        for (tmp, _) in &files {
            let _ = std::fs::remove_file(tmp);
        }
        return Ok(files.is_empty());
    }
    commit_held().map(|()| true)
}

/// [`commit_staged`] with [`COMMITTING`] held by the caller.
fn commit_held() -> Result<(), WriteError> {
    let files = STAGED.with(|s| s.borrow_mut().as_mut().map(std::mem::take));
    let files = files.unwrap_or_default();
    let discard = |files: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in files {
            let _ = std::fs::remove_file(tmp);
        }
    };
    let remove_kept = |kept: &[Option<PathBuf>]| {
        for b in kept.iter().flatten() {
            let _ = std::fs::remove_file(b);
        }
    };
    // What would stop a rename half-way (a directory where a file goes) is refused before
    // the first, with its own message.
    if let Some((_, dest)) = files.iter().find(|(_, d)| d.is_dir()) {
        discard(&files);
        return Err(WriteError::io(
            dest,
            std::io::Error::other("a directory is in the way of this file"),
        ));
    }
    // Each file to be replaced, kept until all are in place.
    let mut kept: Vec<Option<PathBuf>> = Vec::with_capacity(files.len());
    for (_, dest) in &files {
        let backup = match std::fs::symlink_metadata(dest) {
            Ok(_) => {
                let backup = backup_name(dest);
                if let Err(e) = keep(dest, &backup) {
                    remove_kept(&kept);
                    discard(&files);
                    return Err(WriteError::NotKept {
                        path: dest.clone(),
                        source: e,
                    });
                }
                Some(backup)
            }
            Err(_) => None,
        };
        kept.push(backup);
    }
    for (k, (tmp, dest)) in files.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, dest) {
            discard(&files[k..]);
            remove_kept(&kept[k..]);
            let left = put_back(&files[..k], &kept[..k]);
            return Err(match left.is_empty() {
                true => WriteError::NotPlaced {
                    path: dest.clone(),
                    source: e,
                },
                false => WriteError::NotRestored {
                    path: dest.clone(),
                    source: e,
                    left,
                },
            });
        }
    }
    remove_kept(&kept);
    Ok(())
}

/// Held while [`commit_staged`] keeps, renames or puts back files.
static COMMITTING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Wait until no command's outputs are being renamed into place, and let none start after:
/// called by a process about to exit at once (SIGTERM, a second Ctrl-C), so that it never stops
/// between the renames of [`commit_staged`] with some of its files replaced and others not.
pub fn hold_commits() {
    std::mem::forget(COMMITTING.lock().unwrap_or_else(|e| e.into_inner()));
}

/// The hidden name beside `dest` under which [`commit_staged`] keeps the file it replaces:
/// `.NAME.kept-PID`.
fn backup_name(dest: &Path) -> PathBuf {
    hidden_beside(dest, BACKUP_MARK)
}

/// The hidden name `.NAME.MARKPID` beside `path` (in `.` for a bare name): this process's
/// temporary file (`tmp-`) or kept file ([`BACKUP_MARK`]) for it.
fn hidden_beside(path: &Path, mark: &str) -> PathBuf {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    dir.join(format!(".{name}.{mark}{}", std::process::id()))
}

/// What follows a file's name in [`backup_name`], before the process id.
const BACKUP_MARK: &str = "kept-";

/// Keep the file at `dest` as `backup`: a second name for it (a hard link: nothing is copied
/// and the file stays in place), or a copy where the file system or the file allows no link (a
/// file system without hard links, an immutable file, a file mounted in place of another).
fn keep(dest: &Path, backup: &Path) -> std::io::Result<()> {
    let _ = std::fs::remove_file(backup);
    if std::fs::hard_link(dest, backup).is_ok() {
        return Ok(());
    }
    std::fs::copy(dest, backup).map(|_| ()).inspect_err(|_| {
        let _ = std::fs::remove_file(backup);
    })
}

/// Undo the renames of `done` (temporary name, destination), the last first: each destination
/// that had a file before gets it back from `kept`, each that had none is removed. Returns the
/// (destination, kept file) pairs that could not be put back, their kept files left in place.
fn put_back(done: &[(PathBuf, PathBuf)], kept: &[Option<PathBuf>]) -> Vec<(PathBuf, PathBuf)> {
    let mut left = Vec::new();
    for ((_, dest), backup) in done.iter().zip(kept).rev() {
        match backup {
            Some(b) => {
                if std::fs::rename(b, dest).is_err() {
                    left.push((dest.clone(), b.clone()));
                }
            }
            None => {
                let _ = std::fs::remove_file(dest);
            }
        }
    }
    left.reverse();
    left
}

/// The name of the file that [`probe_writable`] writes in a directory: `.clearance-write-test-PID`.
const PROBE_PREFIX: &str = ".clearance-write-test-";

/// Check that files can be written into `dir` by writing and removing a small one, which is
/// removed whether or not the write succeeded (a full disk can let the file be made but not
/// written).
pub fn probe_writable(dir: &Path) -> std::io::Result<()> {
    probe_with(dir, |f| f.write_all(b"ok"))
}

fn probe_with(
    dir: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let probe = dir.join(format!("{PROBE_PREFIX}{}", std::process::id()));
    let res = std::fs::File::create(&probe).and_then(|mut f| {
        write(&mut f)?;
        f.sync_all()
    });
    // Made (or half made) or not: never left behind.
    let _ = std::fs::remove_file(&probe);
    res
}

/// Remove the temporary files (`.NAME.tmp-PID`, the `.NAME.kept-PID` that [`commit_staged`]
/// keeps of a file it replaces, and the `.clearance-write-test-PID` of [`probe_writable`]) that
/// a process killed while writing into `dir` left there: those of a process that no longer runs.
pub fn remove_stale_temp_files(dir: &Path) {
    // Only where running processes can be told (/proc): never a live writer's file.
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let pid = name
            .strip_prefix(PROBE_PREFIX)
            .or_else(|| {
                let n = name.strip_prefix('.')?;
                n.rsplit_once(".tmp-")
                    .or_else(|| n.rsplit_once(&format!(".{BACKUP_MARK}")))
                    .map(|(_, pid)| pid)
            })
            .and_then(|pid| pid.parse::<u32>().ok());
        let gone =
            |pid: u32| pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists();
        if pid.is_some_and(gone) && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The file in an output directory that a command writing there holds an advisory lock on
/// ([`lock_dir`]), holding the writer's process id; removed when the writer lets it go (one a
/// killed process left is taken over by the next writer).
pub const LOCK_FILE: &str = ".clearance.lock";

/// What [`lock_dir`] got.
#[derive(Debug)]
pub enum Lock {
    /// This process holds the directory until the lock is dropped.
    Held(DirLock),
    /// Another process holds it: its process id, when it has written it.
    Busy { pid: Option<u32> },
    /// No lock could be taken and the command may go on without one: `unsupported` when the
    /// file system does not lock (some NFS and Lustre mounts: `ENOLCK`, `EOPNOTSUPP`), to be
    /// warned of; otherwise the lock file could not be made (a read-only directory), and the
    /// command's own writes will say why.
    NotTaken {
        source: std::io::Error,
        unsupported: bool,
    },
}

/// An exclusive advisory lock (`flock`) on [`LOCK_FILE`] in a directory; dropping it removes
/// the file and lets the lock go.
#[derive(Debug)]
pub struct DirLock {
    path: PathBuf,
    file: std::fs::File,
}

impl Drop for DirLock {
    fn drop(&mut self) {
        // Removed while still held, and only if it is still this lock's file: a writer waiting
        // on the old file finds it gone and takes a new one ([`lock_dir`]).
        if same_file(&self.file, &self.path) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Whether `path` names the open `file`.
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Take the exclusive advisory lock of the existing directory `dir` without waiting, so that two
/// commands writing the same directory at once cannot mix their files: [`Lock::Busy`] when
/// another process holds it. The lock file is made if need be and written with this process's
/// id; a lock taken on a file that another holder removed meanwhile is taken again on the new
/// file.
#[cfg(unix)]
pub fn lock_dir(dir: &Path) -> Lock {
    use rustix::fs::{flock, FlockOperation};
    use rustix::io::Errno;
    let path = dir.join(LOCK_FILE);
    let not_taken = |source, unsupported| Lock::NotTaken {
        source,
        unsupported,
    };
    for _ in 0..100 {
        let file = match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
        {
            Ok(f) => f,
            Err(e) => return not_taken(e, false),
        };
        match flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(Errno::WOULDBLOCK) => {
                let pid = std::fs::read_to_string(&path)
                    .ok()
                    .and_then(|t| t.trim().parse().ok());
                return Lock::Busy { pid };
            }
            Err(e @ (Errno::NOLCK | Errno::OPNOTSUPP | Errno::NOSYS | Errno::BADF)) => {
                return not_taken(e.into(), true)
            }
            Err(e) => return not_taken(e.into(), false),
        }
        // The holder before us removed the file as it let go: ours is no longer the lock.
        if !same_file(&file, &path) {
            continue;
        }
        let mut lock = DirLock { path, file };
        let _ = lock.file.set_len(0);
        let _ = writeln!(lock.file, "{}", std::process::id());
        return Lock::Held(lock);
    }
    not_taken(
        std::io::Error::other("the lock file kept being replaced"),
        false,
    )
}

/// No advisory locks here: every directory is taken as free.
#[cfg(not(unix))]
pub fn lock_dir(_dir: &Path) -> Lock {
    Lock::NotTaken {
        source: std::io::Error::other("no advisory locks on this system"),
        unsupported: true,
    }
}

/// Stage `tmp` for `dest` when a staging is open (true), else leave it to the caller.
fn stage(tmp: &Path, dest: &Path) -> bool {
    STAGED.with(|s| match s.borrow_mut().as_mut() {
        Some(files) => {
            // The same file written twice keeps its one temporary name: staged once.
            if !files.iter().any(|(_, d)| d == dest) {
                files.push((tmp.to_path_buf(), dest.to_path_buf()));
            }
            true
        }
        None => false,
    })
}

/// Write `bytes` to `path` through a temporary file in the same directory and a rename, so that
/// a reader never sees a half-written file and an existing file is replaced whole or not at all.
/// A symbolic link is written through (its target is replaced, the link stays), unless, while a
/// [`Staging`] is open, its target is a file this command has written under another name (then
/// [`WriteError::SameFileTwice`]: one output would overwrite the other); a path that is
/// not a regular file (a FIFO, `/dev/stdout`, a device) is written directly, since renaming over
/// it would replace the pipe or device with a file; `-` is standard output.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    atomic_write_with(path, |w| w.write_all(bytes))
}

/// [`atomic_write`] for content produced piece by piece (through a buffer), so that a large file
/// never has to be held in memory whole.
pub fn atomic_write_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    // `-` is standard output, as for other tools (a file named `-` had been made).
    if path == Path::new("-") {
        return write_stream(std::io::stdout().lock(), write).map_err(|e| WriteError::io(path, e));
    }
    if let Some(input) = crate::inputs::input_at(path) {
        return Err(WriteError::WouldReplaceInput {
            path: path.to_path_buf(),
            input,
        });
    }
    if let Ok(meta) = std::fs::metadata(path) {
        // This process's own standard output or error (`/dev/stdout`, or the file the shell
        // redirected it to): written through the stream, after what was printed there, so
        // that neither is lost.
        if let Some(stream) = std_stream(&meta) {
            let res = match stream {
                1 => write_stream(std::io::stdout().lock(), write),
                _ => write_stream(std::io::stderr().lock(), write),
            };
            return res.map_err(|e| WriteError::io(path, e));
        }
        // A FIFO, a device or a pipe reached through /proc: written where it is, by the name
        // given (a /proc link to a pipe names no file that could be renamed over).
        if !meta.is_file() && !meta.is_dir() {
            let res = (|| {
                let f = std::fs::OpenOptions::new().write(true).open(path)?;
                write_stream(f, write)
            })();
            return res.map_err(|e| WriteError::io(path, e));
        }
    }
    let resolved = resolve_links(path);
    check_not_written_as_other(path, &resolved)?;
    let path = resolved.as_path();
    let tmp = hidden_beside(path, "tmp-");
    let res = (|| {
        let f = std::fs::File::create(&tmp)?;
        let mut w = std::io::BufWriter::new(f);
        write(&mut w)?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        if stage(&tmp, path) {
            return Ok(());
        }
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = res {
        let _ = std::fs::remove_file(&tmp);
        return Err(WriteError::io(path, e));
    }
    Ok(())
}

/// Refuse a write to `asked` (resolved to the file `resolved`) when this command has already
/// written that file under another name; remember it otherwise (while a staging is open).
fn check_not_written_as_other(asked: &Path, resolved: &Path) -> Result<(), WriteError> {
    let (asked_key, target) = (absolute(asked), absolute(resolved));
    WRITTEN.with(|w| {
        let mut w = w.borrow_mut();
        let Some(written) = w.as_mut() else {
            return Ok(());
        };
        if let Some((other, _)) = written
            .iter()
            .find(|(a, t)| *t == target && *a != asked_key)
        {
            // The link is the one named: whichever of the two is a link.
            let (path, other) = if asked_key != target {
                (asked_key, other.clone())
            } else {
                (other.clone(), asked_key)
            };
            return Err(WriteError::SameFileTwice {
                path,
                target,
                other,
            });
        }
        written.push((asked_key, target));
        Ok(())
    })
}

/// Whether this command has written `path` (by that name) while the [`Staging`] open on this
/// thread was open: staged, or already renamed into place. False without a staging open.
pub fn written_by_this_command(path: &Path) -> bool {
    let key = absolute(path);
    WRITTEN.with(|w| {
        w.borrow()
            .as_ref()
            .is_some_and(|written| written.iter().any(|(a, _)| *a == key))
    })
}

/// The file that writing to `path` replaces, links followed, with its directory made absolute
/// and free of links (the path itself when its directory does not exist): two outputs with the
/// same write target are the same file.
pub fn write_target(path: &Path) -> PathBuf {
    absolute(&resolve_links(path))
}

/// `path` with its directory canonical (the name itself not followed): two names of one
/// directory entry compare equal.
fn absolute(path: &Path) -> PathBuf {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match (std::fs::canonicalize(dir), path.file_name()) {
        (Ok(d), Some(name)) => d.join(name),
        _ => path.to_path_buf(),
    }
}

/// Whether `path` is the file this process's standard output writes to (`-`, `/dev/stdout`, or
/// the file or pipe the shell sent it to).
pub fn is_stdout(path: &Path) -> bool {
    path == Path::new("-") || std::fs::metadata(path).is_ok_and(|m| std_stream(&m) == Some(1))
}

/// 1 or 2 when `meta` is the file this process's standard output or error writes to.
fn std_stream(meta: &std::fs::Metadata) -> Option<u8> {
    use std::os::unix::fs::MetadataExt;
    let same = |fd: std::os::fd::BorrowedFd<'_>| {
        rustix::fs::fstat(fd).is_ok_and(|s| s.st_dev == meta.dev() && s.st_ino == meta.ino())
    };
    use std::os::fd::AsFd;
    if same(std::io::stdout().as_fd()) {
        Some(1)
    } else if same(std::io::stderr().as_fd()) {
        Some(2)
    } else {
        None
    }
}

fn write_stream(
    w: impl Write,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(w);
    write(&mut w)?;
    w.flush()
}

/// The file a path names after following symbolic links (also a link to a file not yet made);
/// the path itself when it is not a link or the links go round in a circle.
fn resolve_links(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => match std::fs::read_link(&p) {
                Ok(target) => {
                    p = match p.parent() {
                        Some(dir) if target.is_relative() => dir.join(target),
                        _ => target,
                    }
                }
                Err(_) => return p,
            },
            _ => return p,
        }
    }
    path.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line of the first byte that is not UTF-8 is counted as an editor counts lines,
    /// whatever ends them: the same text with `\n`, `\r\n` or a lone `\r` gives line 3.
    #[test]
    fn not_utf8_names_the_line_whatever_ends_the_lines() {
        for end in ["\n", "\r\n", "\r"] {
            let text = format!("date,people{end}2021-03-01,1{end}2021-03-02,Ju");
            let mut bytes = text.into_bytes();
            bytes.extend([0xE1, b'r']);
            let m = not_utf8(&bytes, SAVE_CSV_AS_UTF8);
            assert!(
                m.contains("line 3 has the first byte that is not UTF-8, 0xE1"),
                "{end:?}: {m}"
            );
        }
    }

    #[test]
    fn atomic_write_replaces_whole_file_and_leaves_no_temp() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.json");
        atomic_write(&p, b"first").unwrap();
        atomic_write(&p, b"second").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        let n = std::fs::read_dir(d.path()).unwrap().count();
        assert_eq!(n, 1);
    }

    /// A link among a command's outputs to another of its outputs is refused when it is
    /// written, whichever is written first, and nothing is put in place; a link to a file the
    /// command does not write is written through.
    #[test]
    fn a_link_to_another_output_of_the_command_is_refused() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("summary.json"), "kept").unwrap();
        std::os::unix::fs::symlink("summary.json", d.path().join("fan.png")).unwrap();
        for first in ["summary.json", "fan.png"] {
            let second = if first == "fan.png" {
                "summary.json"
            } else {
                "fan.png"
            };
            let staging = Staging::begin();
            atomic_write(&d.path().join(first), b"one").unwrap();
            let e = atomic_write(&d.path().join(second), b"two").unwrap_err();
            assert!(matches!(e, WriteError::SameFileTwice { .. }), "{e}");
            assert!(e.to_string().contains("fan.png"), "{e}");
            drop(staging);
            assert_eq!(
                std::fs::read_to_string(d.path().join("summary.json")).unwrap(),
                "kept"
            );
        }
        // The same output written twice under its own name is no conflict.
        let staging = Staging::begin();
        atomic_write(&d.path().join("summary.json"), b"a").unwrap();
        atomic_write(&d.path().join("summary.json"), b"b").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(d.path().join("summary.json")).unwrap(),
            "b"
        );
        assert_eq!(
            write_target(&d.path().join("fan.png")),
            write_target(&d.path().join("summary.json"))
        );
    }

    /// A rename that fails half-way through a command's outputs is undone: the files already
    /// renamed get their earlier content back, a new file that had none before is removed, the
    /// error names the file, and no temporary or kept file is left. (The failure: the
    /// temporary file of the fourth output is gone when its turn comes. Before, the first
    /// three had stayed the new run's beside the fourth's earlier file.)
    #[test]
    fn a_rename_failing_half_way_puts_back_the_files_already_renamed() {
        let d = tempfile::tempdir().unwrap();
        let at = |n: &str| d.path().join(n);
        for n in ["a.json", "b.json", "d.json"] {
            std::fs::write(at(n), format!("old {n}")).unwrap();
        }
        let staging = Staging::begin();
        for n in ["a.json", "b.json", "c.json", "d.json"] {
            atomic_write(&at(n), format!("new {n}").as_bytes()).unwrap();
        }
        std::fs::remove_file(at(&format!(".d.json.tmp-{}", std::process::id()))).unwrap();
        let e = staging.commit().unwrap_err();
        assert!(matches!(e, WriteError::NotPlaced { .. }), "{e}");
        assert!(
            e.to_string()
                .contains("d.json in place, so none of this command's files were"),
            "{e}"
        );
        let mut names: Vec<String> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["a.json", "b.json", "d.json"]);
        for n in ["a.json", "b.json", "d.json"] {
            assert_eq!(std::fs::read_to_string(at(n)).unwrap(), format!("old {n}"));
        }
        // Without a failure, all are replaced and nothing kept is left behind.
        let staging = Staging::begin();
        for n in ["a.json", "b.json", "c.json"] {
            atomic_write(&at(n), format!("new {n}").as_bytes()).unwrap();
        }
        staging.commit().unwrap();
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 4);
        assert_eq!(std::fs::read_to_string(at("a.json")).unwrap(), "new a.json");
    }

    /// A Ctrl-C (its flag set) before a command's outputs are renamed into place puts none of
    /// them in place: the staged temporary files are removed, the earlier files stay as they
    /// were, and `Ok(false)` says so. Without the flag, the same staging is put in place.
    #[test]
    fn a_stop_before_the_commit_puts_nothing_in_place_and_removes_the_staged_files() {
        use std::sync::atomic::AtomicBool;
        let d = tempfile::tempdir().unwrap();
        let at = |n: &str| d.path().join(n);
        std::fs::write(at("summary.json"), "old").unwrap();
        let stop = AtomicBool::new(true);
        let staging = Staging::begin();
        for n in ["summary.json", "run.json"] {
            atomic_write(&at(n), b"new").unwrap();
        }
        assert!(at(&format!(".run.json.tmp-{}", std::process::id())).exists());
        assert!(!commit_staged_unless(&stop).unwrap());
        drop(staging);
        let names: Vec<String> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["summary.json"]);
        assert_eq!(std::fs::read_to_string(at("summary.json")).unwrap(), "old");
        // The same through the staging's own commit, and with nothing staged nothing is
        // refused.
        let staging = Staging::begin();
        atomic_write(&at("summary.json"), b"new").unwrap();
        assert!(!staging.commit_unless(&stop).unwrap());
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
        let staging = Staging::begin();
        assert!(staging.commit_unless(&stop).unwrap());
        let go = AtomicBool::new(false);
        let staging = Staging::begin();
        atomic_write(&at("summary.json"), b"new").unwrap();
        assert!(staging.commit_unless(&go).unwrap());
        assert_eq!(std::fs::read_to_string(at("summary.json")).unwrap(), "new");
    }

    /// The kept file is a second name of the one replaced, so it holds its content; one left
    /// by a process killed between the renames is removed with the other stale files, one of
    /// this process is not.
    #[test]
    fn kept_files_hold_the_earlier_content_and_stale_ones_are_removed() {
        let d = tempfile::tempdir().unwrap();
        let dest = d.path().join("run.json");
        std::fs::write(&dest, "earlier").unwrap();
        let backup = backup_name(&dest);
        assert_eq!(
            backup.file_name().unwrap().to_string_lossy(),
            format!(".run.json.kept-{}", std::process::id())
        );
        keep(&dest, &backup).unwrap();
        assert_eq!(std::fs::read_to_string(&backup).unwrap(), "earlier");
        if Path::new("/proc/self").exists() {
            let dead = d.path().join(".run.json.kept-999999999");
            std::fs::write(&dead, "earlier").unwrap();
            remove_stale_temp_files(d.path());
            assert!(!dead.exists());
            assert!(backup.exists() && dest.exists());
        }
    }

    /// An endless input is refused after the cap, naming the file and the cap; a file within
    /// it is read whole, and a file read by lines may be longer than the cap, its lines not.
    #[test]
    fn reads_are_capped() {
        let e = read_capped(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(
            matches!(e, ReadError::TooLarge { cap, .. } if cap == 1 << 20),
            "{e}"
        );
        assert!(
            e.to_string().contains("/dev/zero: larger than 1 MiB"),
            "{e}"
        );
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.toml");
        std::fs::write(&p, "x = 1\n").unwrap();
        assert_eq!(read_capped(&p, 6).unwrap(), b"x = 1\n");
        let e = read_capped(&p, 5).unwrap_err();
        assert!(e.to_string().contains("larger than 5 bytes"), "{e}");
        let mut text = String::new();
        LineCapped::new("ab\ncd\nef\n".as_bytes(), 2)
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "ab\ncd\nef\n");
        let mut sink = Vec::new();
        let f = std::fs::File::open("/dev/zero").unwrap();
        let e = LineCapped::new(f, 1 << 20)
            .read_to_end(&mut sink)
            .unwrap_err();
        assert!(e.to_string().contains("line 1 is longer than 1 MiB"), "{e}");
        assert!(sink.len() < 2 << 20);
    }

    /// The probe of a writable directory is removed also when writing it fails (a full disk
    /// had left `.clearance-write-test-PID` behind), and one a killed process left is removed
    /// with the other stale temporary files.
    #[test]
    fn the_write_probe_is_never_left_behind() {
        let d = tempfile::tempdir().unwrap();
        let full = || Err(std::io::Error::other("No space left on device"));
        assert!(probe_with(d.path(), |_| full()).is_err());
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 0);
        probe_writable(d.path()).unwrap();
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 0);
        if Path::new("/proc/self").exists() {
            let dead = d.path().join(format!("{PROBE_PREFIX}999999999"));
            std::fs::write(&dead, "ok").unwrap();
            remove_stale_temp_files(d.path());
            assert!(!dead.exists());
        }
    }

    #[test]
    fn atomic_write_into_missing_dir_fails_cleanly() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("no/such/dir/a.json");
        let e = atomic_write(&p, b"x").unwrap_err();
        assert!(e.to_string().contains("a.json"));
    }
}
