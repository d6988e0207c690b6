//! The instruction-count gate `.ci/icount-gate` as CI meets it, without valgrind's six minutes:
//! the script runs in a scratch copy of its tree with stand-ins for `cargo` (the build),
//! `valgrind` (a callgrind file with the count given for each case) and `rustc` (the version it
//! prints) first on the PATH. Checked: the progress lines on stderr, the warning (not a failure)
//! when the compiler differs from the one the baseline records or it records none, the closing
//! line of a regression naming the case and the fix, and the rustc line a bless writes.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The compiler the test baselines record.
const RUSTC: &str = "rustc 1.95.0 (59807616e 2026-04-14)";

/// A scratch tree holding the gate, a baseline and the stand-in tools.
struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    fn new(baseline: &str) -> Tree {
        let dir = tempfile::tempdir().expect("a scratch directory");
        let root = dir.path();
        for d in [".ci", "benches", "tools"] {
            std::fs::create_dir(root.join(d)).expect("a directory of the tree");
        }
        let gate = root.join(".ci/icount-gate");
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/icount-gate"),
            &gate,
        )
        .expect("the gate copied");
        std::fs::write(root.join("benches/icount-baseline.txt"), baseline).expect("a baseline");
        let harness = root.join("tools/icount");
        tool(&harness, "exit 0");
        tool(
            &root.join("tools/cargo"),
            &format!(r#"echo '{{"executable":"{}"}}'"#, harness.display()),
        );
        // valgrind --tool=callgrind --callgrind-out-file=FILE --toggle-collect=F BIN CASE
        tool(
            &root.join("tools/valgrind"),
            r#"for a in "$@"; do case "$a" in --callgrind-out-file=*) out=${a#*=} ;; esac; case_=$a; done
v=COUNT_$case_; echo "summary: ${!v}" > "$out""#,
        );
        tool(&root.join("tools/rustc"), r#"echo "$FAKE_RUSTC""#);
        Tree { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Run the gate with `args`, the counts (calendar, baseline, million) and the compiler's
    /// version: (exit code, stdout, stderr).
    fn gate(&self, args: &[&str], counts: [u64; 3], rustc: &str) -> (i32, String, String) {
        let path = format!(
            "{}:{}",
            self.path("tools").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let out = Command::new("bash")
            .arg(self.path(".ci/icount-gate"))
            .args(args)
            .env("PATH", path)
            .env_remove("RUSTC")
            .env_remove("ICOUNT_TOLERANCE")
            .env("FAKE_RUSTC", rustc)
            .env("COUNT_calendar", counts[0].to_string())
            .env("COUNT_baseline", counts[1].to_string())
            .env("COUNT_million", counts[2].to_string())
            .output()
            .expect("the gate runs");
        (
            out.status.code().expect("an exit code"),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

/// An executable shell script at `path`.
fn tool(path: &Path, body: &str) {
    std::fs::write(path, format!("#!/usr/bin/env bash\n{body}\n")).expect("a stand-in tool");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("executable");
}

const COUNTS: [u64; 3] = [1_000_000, 2_000_000, 30_000_000];

fn baseline_with(rustc_line: &str) -> String {
    format!(
        "# Instructions per case\n{rustc_line}calendar {}\nbaseline {}\nmillion {}\n",
        COUNTS[0], COUNTS[1], COUNTS[2]
    )
}

#[test]
fn the_gate_says_what_it_is_doing_and_passes_quietly_on_the_same_compiler() {
    let tree = Tree::new(&baseline_with(&format!("{RUSTC}\n")));
    let (code, out, err) = tree.gate(&[], COUNTS, RUSTC);
    assert_eq!(code, 0, "{out}{err}");
    for step in [
        "icount-gate: building the icount harness",
        "icount-gate: counting calendar (1 of 3) under callgrind",
        "icount-gate: counting baseline (2 of 3)",
        "icount-gate: counting million (3 of 3)",
    ] {
        assert!(err.contains(step), "no {step:?} in stderr:\n{err}");
    }
    assert!(!err.contains("warning"), "{err}");
    assert!(
        out.contains("calendar") && out.contains("+0.00%) ok"),
        "{out}"
    );
}

#[test]
fn another_compiler_than_the_baselines_is_a_warning_not_a_failure() {
    let tree = Tree::new(&baseline_with(&format!("{RUSTC}\n")));
    let other = "rustc 1.96.0 (0123456ab 2026-05-28)";
    let (code, out, err) = tree.gate(&[], COUNTS, other);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains(&format!(
            "warning: the baseline was blessed with {RUSTC}, this is {other}: the counts may \
             move by about 1% for that reason alone"
        )),
        "{err}"
    );
}

#[test]
fn a_baseline_without_a_rustc_line_is_still_read_with_a_warning() {
    let tree = Tree::new(&baseline_with(""));
    let (code, out, err) = tree.gate(&[], COUNTS, RUSTC);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("does not record the rustc it was blessed with")
            && err.contains("about 1%")
            && err.contains("re-bless to record it"),
        "{err}"
    );
}

#[test]
fn a_regression_ends_with_what_regressed_and_how_to_re_bless() {
    let tree = Tree::new(&baseline_with(&format!("{RUSTC}\n")));
    let slower = [COUNTS[0], COUNTS[1] * 11 / 10, COUNTS[2] * 105 / 100];
    let (code, out, err) = tree.gate(&[], slower, RUSTC);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("+10.00%) REGRESSION (more than +3%)"), "{out}");
    let last = err.lines().last().unwrap_or_default();
    assert_eq!(
        last,
        "icount-gate: instructions regressed by more than 3% (baseline +10.00%, million \
         +5.00%): find the cause, or, if the slowdown was intended, re-bless with \
         `.ci/icount-gate --bless` and say why in the commit",
        "{err}"
    );
}

#[test]
fn a_bless_records_the_compiler_and_the_rustc_line_is_checked() {
    let tree = Tree::new(&baseline_with(""));
    let (code, out, err) = tree.gate(&["--bless"], [7, 8, 9], RUSTC);
    assert_eq!(code, 0, "{out}{err}");
    let written = std::fs::read_to_string(tree.path("benches/icount-baseline.txt")).unwrap();
    let data: Vec<&str> = written.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        data,
        [RUSTC, "calendar 7", "baseline 8", "million 9"],
        "{written}"
    );
    // What it wrote checks cleanly on the same compiler.
    let (code, out, err) = tree.gate(&[], [7, 8, 9], RUSTC);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!err.contains("warning"), "{err}");
    // A rustc line without a version, or two of them, is refused naming the line.
    let broken = format!("rustc\n{}", baseline_with(""));
    std::fs::write(tree.path("benches/icount-baseline.txt"), broken).unwrap();
    let (code, _, err) = tree.gate(&[], COUNTS, RUSTC);
    assert_eq!(code, 1);
    assert!(
        err.contains("icount-baseline.txt:1: expected \"rustc VERSION\""),
        "{err}"
    );
    let twice = baseline_with(&format!("{RUSTC}\n{RUSTC}\n"));
    std::fs::write(tree.path("benches/icount-baseline.txt"), twice).unwrap();
    let (code, _, err) = tree.gate(&[], COUNTS, RUSTC);
    assert_eq!(code, 1);
    assert!(err.contains(":3: the rustc line given twice"), "{err}");
}
