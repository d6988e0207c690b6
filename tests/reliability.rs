//! Reliability of the `clearance` binary as a user meets it: SIGINT mid-run leaves a valid partial
//! summary.json and exit 130; SIGTERM ends it at once with 143, writing nothing (also as PID 1
//! of a namespace, a container's entrypoint); output files are replaced
//! whole or not at all (no temp files left); a never-clearing scenario stops at the horizon and
//! names the stage without capacity; absurd sizes and NaN/inf are refused with a message; a run
//! whose memory estimate exceeds the limit is refused with the estimate; an unusable --out fails
//! before simulating; `--trace` writes the event log of replication 0, checked against
//! hand-computed times; a run that cannot make a temporary file for its records says so and gives
//! the same results; a closed or full stdout ends a command cleanly (no panic); outputs are written
//! through symbolic links and into FIFOs instead of replacing them, but a link from one output to
//! another file of the run (an output or an input) is refused before anything is written.

use assert_cmd::Command;
use std::path::Path;
use std::time::{Duration, Instant};

fn clearance() -> Command {
    Command::cargo_bin("clearance").unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn no_temp_files(dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with('.'), "temp file left behind: {name}");
    }
}

/// Send SIGINT to `child` once `ready` holds (or 30 s have passed) and `settle` more has passed
/// with it still running; wait for it to exit (within 60 s) and return its status and stderr.
fn interrupt(
    child: &mut std::process::Child,
    ready: &dyn Fn() -> bool,
    settle: Duration,
) -> (std::process::ExitStatus, String) {
    send_signal(child, "INT", ready, settle)
}

/// [`interrupt`] with signal `sig` (as `kill -SIG` names it).
fn send_signal(
    child: &mut std::process::Child,
    sig: &str,
    ready: &dyn Fn() -> bool,
    settle: Duration,
) -> (std::process::ExitStatus, String) {
    let t0 = Instant::now();
    while !ready() && t0.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(settle);
    assert!(
        child.try_wait().unwrap().is_none(),
        "it ended before SIG{sig}"
    );
    let status = std::process::Command::new("kill")
        .args([&format!("-{sig}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let t1 = Instant::now();
    let res = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            t1.elapsed() < Duration::from_secs(60),
            "no exit after SIG{sig}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    (res, err)
}

#[test]
fn sigint_mid_run_leaves_a_valid_partial_summary_and_exit_130() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let bin = assert_cmd::cargo::cargo_bin("clearance");
    let mut child = std::process::Command::new(bin)
        .args([
            "run",
            "tests/scenarios/minimal.toml",
            "--replications",
            "1000000",
        ])
        .args(["--threads", "1", "--quiet", "--out"])
        .arg(&out)
        // the estimate for a million replications is large; this test is about interruption
        .env("CLEARANCE_MEMORY_LIMIT", "1T")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupted once the run has started (its output directory is prepared after loading and
    // the memory check, right before the Ctrl-C handler is installed and the replications start).
    let (res, err) = interrupt(&mut child, &|| out.exists(), Duration::from_millis(700));
    assert_eq!(res.code(), Some(130), "stderr: {err}");
    assert!(err.contains("interrupted"), "{err}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["partial"], serde_json::Value::Bool(true));
    let n = json["replications"].as_u64().unwrap();
    assert!((1..1_000_000).contains(&n), "replications {n}");
    let reps = std::fs::read_to_string(out.join("replications.csv")).unwrap();
    assert_eq!(reps.lines().count() as u64, n + 1);
    no_temp_files(&out);
    // It kept no store: extending it says why, and its report says it cannot be reproduced
    // by a replication count.
    let ext = clearance()
        .args(["run", "--replications", "10", "--quiet", "--extend"])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&ext.stderr);
    assert!(!ext.status.success());
    assert!(err.contains("was interrupted"), "{err}");
    clearance().arg("report").arg(&out).assert().success();
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("The run was interrupted"), "report");
    assert!(
        report.contains("no command reproduces it exactly"),
        "report"
    );
}

/// SIGTERM (a CI job cancelled or timed out) ends the process at once with exit code 143 (as a
/// shell reports a process the signal ended), writing nothing, and the outputs of an earlier run
/// in the same --out stay as they were, byte for byte, with no file added.
#[test]
fn sigterm_mid_run_writes_nothing_and_leaves_earlier_outputs() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    clearance()
        .args([
            "run",
            "tests/scenarios/minimal.toml",
            "--replications",
            "20",
        ])
        .args(["--quiet", "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    let files = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let name = e.file_name().to_string_lossy().into_owned();
                (name, std::fs::read(e.path()).unwrap())
            })
            .collect();
        v.sort();
        v
    };
    let before = files(&out);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("clearance"))
        .args(["run", "tests/scenarios/minimal.toml"])
        .args([
            "--replications",
            "1000000",
            "--threads",
            "1",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .env("CLEARANCE_MEMORY_LIMIT", "1T")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (status, err) = send_signal(&mut child, "TERM", &|| true, Duration::from_millis(700));
    let mut stdout = Vec::new();
    std::io::Read::read_to_end(child.stdout.as_mut().unwrap(), &mut stdout).unwrap();
    // Exit code 143 (caught), not killed by the signal.
    assert_eq!(status.code(), Some(143), "{status:?}: {err}");
    assert!(stdout.is_empty(), "{stdout:?}");
    assert_eq!(
        err.trim_end(),
        "terminated (SIGTERM): stopped at once, writing nothing more"
    );
    assert!(files(&out) == before, "the earlier run's outputs changed");
}

/// A long `run` with `--out` in a directory it created, given SIGTERM: exit code 143, and no
/// output at all (the directories it created, still empty, are removed, as by a second Ctrl-C).
fn sigterm_run_writes_nothing(wrap: &[&str]) {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("new").join("out");
    let bin = assert_cmd::cargo::cargo_bin("clearance");
    let (program, args): (&std::ffi::OsStr, Vec<&std::ffi::OsStr>) = match wrap.split_first() {
        Some((w, rest)) => (
            w.as_ref(),
            rest.iter()
                .map(|a| a.as_ref())
                .chain([bin.as_os_str()])
                .collect(),
        ),
        None => (bin.as_os_str(), Vec::new()),
    };
    let mut child = std::process::Command::new(program)
        .args(args)
        .args(["run", "tests/scenarios/minimal.toml"])
        .args(["--replications", "1000000", "--threads", "1", "--quiet"])
        .arg("--out")
        .arg(&out)
        .env("CLEARANCE_MEMORY_LIMIT", "1T")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The process to signal: clearance itself, the child of `unshare` when wrapped (the first
    // process of its PID namespace, which signals with their default action do not reach).
    let t0 = Instant::now();
    let target = loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "{wrap:?}: it ended before SIGTERM"
        );
        if wrap.is_empty() {
            break child.id();
        }
        let children = format!("/proc/{0}/task/{0}/children", child.id());
        let found = std::fs::read_to_string(children).unwrap_or_default();
        if let Some(pid) = found.split_whitespace().next() {
            let pid: u32 = pid.parse().unwrap();
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
            let nspid = status.lines().find(|l| l.starts_with("NSpid:")).unwrap();
            assert!(
                nspid.ends_with("\t1"),
                "not PID 1 of its namespace: {nspid}"
            );
            break pid;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "no child of {wrap:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    // Well into the run: its output directory made, its replications under way.
    while !out.exists() && t0.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(out.exists(), "the run did not start");
    std::thread::sleep(Duration::from_millis(500));
    let kill = |sig: &str| {
        std::process::Command::new("kill")
            .args([sig, &target.to_string()])
            .status()
            .unwrap()
    };
    assert!(kill("-TERM").success());
    let t1 = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if t1.elapsed() > Duration::from_secs(20) {
            kill("-KILL");
            let _ = child.kill();
            let _ = child.wait();
            panic!("{wrap:?}: still running 20 s after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    let mut stdout = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut stdout).unwrap();
    assert_eq!(status.code(), Some(143), "{wrap:?}: {status:?}: {err}");
    assert!(stdout.is_empty(), "{wrap:?}: {stdout}");
    assert!(err.contains("terminated (SIGTERM)"), "{wrap:?}: {err}");
    // Nothing written: not even the directories it made for its outputs.
    let left: Vec<_> = std::fs::read_dir(d.path()).unwrap().collect();
    assert!(left.is_empty(), "{wrap:?}: left {left:?}");
}

#[test]
fn sigterm_ends_a_run_at_once_with_143_and_removes_its_empty_out() {
    sigterm_run_writes_nothing(&[]);
}

/// As the first process of a PID namespace (a container's entrypoint, `docker stop`, `kubectl
/// delete`), SIGTERM had been ignored: the kernel does not deliver a signal whose action is the
/// default to that process. Run under `unshare --pid --fork` (with a user namespace when not
/// root); skipped, saying so, where `unshare` is missing or not permitted.
#[test]
fn sigterm_ends_a_run_that_is_pid_1_of_its_namespace() {
    let tries: [&[&str]; 2] = [
        &["unshare", "--pid", "--fork", "--kill-child"],
        &[
            "unshare",
            "--user",
            "--map-root-user",
            "--pid",
            "--fork",
            "--kill-child",
        ],
    ];
    let works = |w: &[&str]| {
        std::process::Command::new(w[0])
            .args(&w[1..])
            .arg("true")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    match tries.iter().find(|w| works(w)) {
        Some(w) => sigterm_run_writes_nothing(w),
        None => eprintln!(
            "skipped: `unshare --pid --fork` is not available or not permitted here, so \
             clearance cannot be run as PID 1 of a namespace"
        ),
    }
}

/// Ctrl-C in a sweep (as in compare, sensitivity and target) exits 130 like a run, saying how
/// many replications had finished and that nothing was written; it exited 1 with "interrupted
/// before any replication finished" after thousands had.
#[test]
fn sigint_mid_sweep_exits_130_and_says_what_finished() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let bin = assert_cmd::cargo::cargo_bin("clearance");
    let mut child = std::process::Command::new(bin)
        .args([
            "sweep",
            "tests/scenarios/minimal.toml",
            "--vary",
            "screening.servers=1,2",
        ])
        .args([
            "--replications",
            "1000000",
            "--threads",
            "1",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .env("CLEARANCE_MEMORY_LIMIT", "1T")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (res, err) = interrupt(&mut child, &|| out.exists(), Duration::from_millis(700));
    assert_eq!(res.code(), Some(130), "stderr: {err}");
    assert!(
        err.contains("interrupted after") && err.contains("of 2000000 replications"),
        "{err}"
    );
    assert!(!out.join("sweep.csv").exists() && !out.join("sweep_long.csv").exists());
    // The output directory it had created is gone again: nothing was written into it.
    assert!(
        !out.exists(),
        "{:?}",
        std::fs::read_dir(&out).map(|r| r.count())
    );
}

/// A scenario whose one replication takes many seconds with little memory (a departure a
/// minute toward a port that never serves, until a 10,000-day horizon).
fn slow_scenario(dir: &Path) -> std::path::PathBuf {
    slow_scenario_to(dir, 10_000)
}

/// [`slow_scenario`] with a horizon of `days` (about 1.5 million events a 1,000 days).
fn slow_scenario_to(dir: &Path, days: u32) -> std::path::PathBuf {
    let times: Vec<String> = (0..24 * 60)
        .map(|m| format!("\"{:02}:{:02}\"", m / 60, m % 60))
        .collect();
    write(
        dir,
        "slow.toml",
        &format!(
            "[scenario]\nname = \"slow\"\nhorizon = \"{days}d\"\n[backlog]\npeople = 10\n\
             [[origin]]\nname = \"A\"\n[[route]]\nfrom = \"A\"\nto = \"P\"\nseats = 1\n\
             departures = [{}]\n[[port]]\nname = \"P\"\nquota_per_day = 0\n",
            times.join(", ")
        ),
    )
}

/// Ctrl-C during a long replication: the first says that the replications in progress are
/// being finished (it had said nothing, and waited for them), a second stops the process at
/// once with exit code 130, writing nothing.
#[test]
fn a_second_sigint_stops_a_long_replication_at_once() {
    let d = tempfile::tempdir().unwrap();
    let scn = slow_scenario(d.path());
    let out = d.path().join("out");
    let bin = assert_cmd::cargo::cargo_bin("clearance");
    let mut child = std::process::Command::new(bin)
        .arg("run")
        .arg(&scn)
        .args(["--replications", "1", "--threads", "1", "--quiet", "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let kill = |pid: u32| {
        let s = std::process::Command::new("kill")
            .args(["-INT", &pid.to_string()])
            .status()
            .unwrap();
        assert!(s.success());
    };
    let t0 = Instant::now();
    while !out.exists() && t0.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(700));
    kill(child.id());
    // The first one lets the replication go on.
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        child.try_wait().unwrap().is_none(),
        "it stopped at the first SIGINT (or the replication was too short for this test)"
    );
    kill(child.id());
    let t1 = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if t1.elapsed() > Duration::from_secs(5) {
            let _ = child.kill();
            panic!("no exit within 5 s of the second SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(
        err.contains("finishing the replications in progress")
            && err.contains("Ctrl-C again to stop at once"),
        "{err}"
    );
    assert!(err.contains("stopped at once"), "{err}");
    // Nothing was written: the output directory it had made is gone again.
    assert!(!out.exists());
}

/// Ctrl-C while the last replication asked for runs: it is finished, and then every replication
/// asked for has, so the run is whole: not partial, its store written, exit code 0 (it had been
/// marked partial, without run.json, replications.jsonl or daily.json).
#[test]
fn a_run_interrupted_after_its_last_replication_started_is_whole() {
    let d = tempfile::tempdir().unwrap();
    let scn = slow_scenario_to(d.path(), 3000);
    let out = d.path().join("out");
    let bin = assert_cmd::cargo::cargo_bin("clearance");
    let mut child = std::process::Command::new(bin)
        .arg("run")
        .arg(&scn)
        .args(["--replications", "1", "--quiet", "--no-charts", "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (status, err) = interrupt(&mut child, &|| out.exists(), Duration::from_millis(500));
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(err.contains("the run is whole"), "{err}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["partial"], serde_json::Value::Bool(false));
    for f in ["run.json", "replications.jsonl", "daily.json"] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
}

/// Ctrl-C during `run --extend`: the store it continues from is still whole, and the note says
/// to keep it (it told the user to delete it), and a later --extend continues from it.
#[test]
fn sigint_mid_extend_keeps_the_store_and_says_so() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    clearance()
        .args([
            "run",
            "tests/scenarios/minimal.toml",
            "--replications",
            "100",
            "-q",
        ])
        .args(["--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    let bin = assert_cmd::cargo::cargo_bin("clearance");
    let mut child = std::process::Command::new(bin)
        .args([
            "run",
            "--replications",
            "1000000",
            "--threads",
            "1",
            "-q",
            "--no-charts",
        ])
        .arg("--extend")
        .arg(&out)
        .env("CLEARANCE_MEMORY_LIMIT", "1T")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (status, err) = interrupt(&mut child, &|| true, Duration::from_millis(1500));
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(
        err.contains("still holds the replications it had before this run"),
        "{err}"
    );
    assert!(!err.contains("delete them"), "{err}");
    clearance()
        .args([
            "run",
            "--replications",
            "150",
            "-q",
            "--no-charts",
            "--extend",
        ])
        .arg(&out)
        .assert()
        .success();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["replications"], 150);
    assert_eq!(json["partial"], false);
}

#[test]
fn a_run_that_fails_before_writing_leaves_existing_outputs_whole() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // An earlier run's summary (clearance's: a user's own file would be refused unreplaced).
    let old = "{\"clearance_version\": \"0.1.0\", \"old\": true}\n";
    write(&out, "summary.json", old);
    // refused by the memory check: nothing is simulated, nothing written
    clearance()
        .args(["run", "tests/scenarios/minimal.toml", "--quiet", "--out"])
        .arg(&out)
        .env("CLEARANCE_MEMORY_LIMIT", "1K")
        .assert()
        .code(1);
    // an invalid scenario: refused before anything else
    clearance()
        .args([
            "run",
            "tests/scenarios/many-errors.toml",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read_to_string(out.join("summary.json")).unwrap(),
        old
    );
    no_temp_files(&out);
    // a successful run replaces it whole and leaves no temp files
    clearance()
        .args(["run", "tests/scenarios/minimal.toml", "--quiet"])
        .args(["--replications", "3", "--out"])
        .arg(&out)
        .assert()
        .success();
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(v["replications"], 3);
    no_temp_files(&out);
}

/// A run that fails half-way through writing (a full disk at its store) replaces none of the
/// directory's earlier outputs, and the error gives the cause: the files it had written before
/// the failure had replaced the earlier run's, leaving a mix of two runs.
#[test]
fn a_run_that_fails_while_writing_leaves_the_earlier_outputs_whole() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let run = |reps: &str| {
        clearance()
            .args(["run", "tests/scenarios/minimal.toml", "--quiet"])
            .args(["--replications", reps, "--out"])
            .arg(&out)
            .assert()
    };
    run("3").success();
    let before: Vec<(String, Vec<u8>)> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    // daily.json, written after summary.json, the CSVs and the charts, cannot be written
    std::fs::remove_file(out.join("daily.json")).unwrap();
    std::os::unix::fs::symlink("/dev/full", out.join("daily.json")).unwrap();
    let err = run("5").code(1).get_output().stderr.clone();
    let err = String::from_utf8_lossy(&err);
    assert!(
        err.contains("daily.json") && err.contains("No space left on device"),
        "{err}"
    );
    for (name, bytes) in &before {
        if name != "daily.json" {
            assert_eq!(
                &std::fs::read(out.join(name)).unwrap(),
                bytes,
                "{name} was replaced"
            );
        }
    }
    no_temp_files(&out);
    // A temporary file of a process killed while writing is removed by the next run into the
    // directory; one of a process still running is not.
    std::fs::remove_file(out.join("daily.json")).unwrap();
    let dead = out.join(".summary.json.tmp-999999999");
    let live = out.join(format!(".summary.json.tmp-{}", std::process::id()));
    std::fs::write(&dead, "half").unwrap();
    std::fs::write(&live, "half").unwrap();
    run("5").success();
    assert!(!dead.exists() && live.exists());
    std::fs::remove_file(&live).unwrap();
    no_temp_files(&out);
    // A directory in the way of one file: nothing is replaced (the files renamed before it had
    // been the new run's).
    let summary = std::fs::read(out.join("summary.json")).unwrap();
    std::fs::remove_file(out.join("queues.png")).unwrap();
    std::fs::create_dir(out.join("queues.png")).unwrap();
    let err = run("7").code(1).get_output().stderr.clone();
    assert!(
        String::from_utf8_lossy(&err).contains("a directory is in the way of this file"),
        "{}",
        String::from_utf8_lossy(&err)
    );
    assert_eq!(std::fs::read(out.join("summary.json")).unwrap(), summary);
    std::fs::remove_dir(out.join("queues.png")).unwrap();
    no_temp_files(&out);
}

#[test]
fn unusable_out_directory_fails_before_simulating() {
    let d = tempfile::tempdir().unwrap();
    let file = write(d.path(), "not-a-dir", "x");
    let t0 = Instant::now();
    let a = clearance()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--replications",
            "100000",
            "--out",
        ])
        .arg(file.join("sub"))
        .env("CLEARANCE_MEMORY_LIMIT", "1T")
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("output directory is not usable"), "{err}");
    assert!(err.contains("not-a-dir"), "{err}");
    assert!(a.get_output().stdout.is_empty(), "something ran");
    assert!(t0.elapsed() < Duration::from_secs(10), "it simulated first");
    // same for a trace file in a directory that cannot exist
    let a = clearance()
        .args(["run", "tests/scenarios/minimal.toml", "--quiet", "--trace"])
        .arg(file.join("trace.csv"))
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("trace"));
    // and a trace path ending with a separator, which names no file: refused before anything
    // is simulated or written, with the file name to use instead
    let dir = tempfile::tempdir().unwrap();
    let slash = format!("{}/", dir.path().join("t.csv").display());
    let a = clearance()
        .args([
            "run",
            "tests/scenarios/minimal.toml",
            "--quiet",
            "--trace",
            &slash,
        ])
        .arg("--out")
        .arg(dir.path().join("o"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("ends with a path separator"), "{err}");
    assert!(err.trim_end().ends_with("t.csv"), "{err}");
    assert!(a.get_output().stdout.is_empty(), "something ran");
    assert!(!dir.path().join("o").exists(), "--out was written");
    // compare too, before simulating; and a path the system refuses for another reason
    // (here a virtual file system) is the same usage error, exit 2.
    let t0 = Instant::now();
    let a = clearance()
        .args([
            "compare",
            "scenarios/baseline.toml",
            "scenarios/two-ports.toml",
            "--replications",
            "100000",
            "--quiet",
            "--out",
        ])
        .arg(file.join("sub"))
        .env("CLEARANCE_MEMORY_LIMIT", "1T")
        .assert()
        .code(2);
    assert!(a.get_output().stdout.is_empty(), "something ran");
    assert!(t0.elapsed() < Duration::from_secs(10), "it simulated first");
    if cfg!(target_os = "linux") {
        for args in [
            &[
                "run",
                "tests/scenarios/minimal.toml",
                "--quiet",
                "--out",
                "/proc/clearance-x",
            ][..],
            &[
                "run",
                "tests/scenarios/minimal.toml",
                "--quiet",
                "--trace",
                "/proc/x/t.csv",
            ],
        ] {
            let a = clearance().args(args).assert().code(2);
            let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
            assert!(
                err.contains("not usable") || err.contains("cannot be written"),
                "{err}"
            );
        }
    }
}

/// `chart DIR` and `report DIR` refuse a saved run whose files are damaged or cut short, with
/// the line and the problem, and leave the charts already there as they were.
#[test]
fn a_damaged_saved_run_is_refused_and_its_charts_are_kept() {
    let d = tempfile::tempdir().unwrap();
    let run = d.path().join("r");
    clearance()
        .args([
            "run",
            "tests/scenarios/minimal.toml",
            "--replications",
            "5",
            "--quiet",
        ])
        .arg("--out")
        .arg(&run)
        .assert()
        .success();
    let fan = std::fs::read(run.join("fan.png")).unwrap();
    let daily = std::fs::read_to_string(run.join("daily.csv")).unwrap();
    let reps = std::fs::read_to_string(run.join("replications.csv")).unwrap();
    let mut lines: Vec<&str> = daily.lines().collect();
    let first = lines[1].replacen("0,", "99999999,", 1);
    let cut = lines[..lines.len() - 1].join("\n") + "\n";
    lines[1] = &first;
    let far = lines.join("\n") + "\n";
    let twice = daily.clone() + daily.lines().nth(1).unwrap() + "\n";
    let reps_cut = reps.lines().take(4).collect::<Vec<_>>().join("\n") + "\n";
    // The first replication's clearance time as written, to replace.
    let header: Vec<&str> = reps.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "clearance_days").unwrap();
    let reps_clear = reps
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(col)
        .unwrap()
        .to_string();
    // A series renamed, a value that is no count of people, a date that is not its day's,
    // quantiles out of order: all had been drawn.
    let rows: Vec<&str> = daily.lines().collect();
    let renamed = daily.replace(",remaining,", ",remainder,");
    let cells = |l: &str| l.split(',').map(String::from).collect::<Vec<_>>();
    let with_cells = |f: &dyn Fn(&mut Vec<String>)| {
        let mut r: Vec<String> = rows.iter().map(|l| l.to_string()).collect();
        let mut c = cells(rows[2]);
        f(&mut c);
        r[2] = c.join(",");
        r.join("\n") + "\n"
    };
    let nan = with_cells(&|c| c[3] = "NaN".into());
    let date = with_cells(&|c| c[1] = "2099-12-31".into());
    let order = with_cells(&|c| {
        c[4] = "5".into();
        c[8] = "1".into();
    });
    let cases = [
        (
            "daily.csv",
            far,
            "line 2: column day: 99999999 is not a day of this run",
        ),
        (
            "daily.csv",
            renamed,
            "its series are not those of the scenario",
        ),
        (
            "daily.csv",
            nan,
            "line 3: column mean: \"NaN\" is not a number of people",
        ),
        (
            "daily.csv",
            date,
            "line 3: column date: \"2099-12-31\" is not day",
        ),
        (
            "daily.csv",
            order,
            "line 3: the quantiles p5 ≤ p25 ≤ p50 ≤ p75 ≤ p95 are out of order",
        ),
        ("daily.csv", cut, "is missing"),
        ("daily.csv", twice, "is given twice"),
        (
            "daily.csv",
            "garbage\n".to_string(),
            "not a clearance daily.csv",
        ),
        (
            "replications.csv",
            reps_cut,
            "3 replications, but summary.json summarises 5",
        ),
        (
            "daily.csv",
            daily.lines().next().unwrap().to_string() + "\n",
            "no rows: the file is incomplete",
        ),
        (
            "replications.csv",
            reps.replacen(&format!(",{reps_clear},"), ",1e300,", 1),
            "column clearance_days: 1e300 is not a time of this run",
        ),
    ];
    for (file, text, needle) in cases {
        std::fs::write(run.join(file), &text).unwrap();
        for cmd in ["chart", "report"] {
            let a = clearance().arg(cmd).arg(&run).assert().code(1);
            let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
            assert!(err.contains(needle), "{cmd} {file}: {err}");
            let nothing = if cmd == "chart" {
                "nothing was redrawn"
            } else {
                "no report was written"
            };
            assert!(err.contains(nothing), "{err}");
        }
        assert_eq!(std::fs::read(run.join("fan.png")).unwrap(), fan);
        std::fs::write(run.join("daily.csv"), &daily).unwrap();
        std::fs::write(run.join("replications.csv"), &reps).unwrap();
    }
    clearance().arg("chart").arg(&run).assert().success();
    let fan = std::fs::read(run.join("fan.png")).unwrap();

    // Another run's scenario.toml copied in (300 people where the results are of 100): it had
    // been drawn and reported beside this run's results.
    let scenario = std::fs::read_to_string(run.join("scenario.toml")).unwrap();
    assert!(scenario.contains("people = 100"), "{scenario}");
    let other_scenario = scenario.replace("people = 100", "people = 300");
    std::fs::write(run.join("scenario.toml"), other_scenario).unwrap();
    for cmd in ["chart", "report"] {
        let a = clearance().arg(cmd).arg(&run).assert().code(1);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(err.contains("is not the scenario of"), "{cmd}: {err}");
        assert!(
            err.contains("300 people") && err.contains("100 people"),
            "{err}"
        );
    }
    assert_eq!(std::fs::read(run.join("fan.png")).unwrap(), fan);
    std::fs::write(run.join("scenario.toml"), &scenario).unwrap();
    clearance().arg("report").arg(&run).assert().success();

    // Cut after a whole day: a run whose last replication ends inside a day (the minimal
    // one's end at midnight, which may close the bands either way).
    let other = d.path().join("other");
    clearance()
        .args([
            "run",
            "scenarios/two-ports.toml",
            "--replications",
            "3",
            "--quiet",
        ])
        .arg("--out")
        .arg(&other)
        .assert()
        .success();
    let daily = std::fs::read_to_string(other.join("daily.csv")).unwrap();
    let series: std::collections::BTreeSet<&str> = daily
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    let rows: Vec<&str> = daily.lines().collect();
    let whole_days = rows[..rows.len() - series.len()].join("\n") + "\n";
    std::fs::write(other.join("daily.csv"), whole_days).unwrap();
    let a = clearance().arg("chart").arg(&other).assert().code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        err.contains("days, but the last replication ended on day"),
        "{err}"
    );
}

const NEVER_CLEARS: &str = r#"
[scenario]
name = "never clears"
horizon = "40d"
replications = 3

[backlog]
people = 200

[[origin]]
name = "A"

[screening]
servers = 2
service = "30min"

[[route]]
from = "A"
to = "P"
departures = ["07:00"]
seats = 40

[[port]]
name = "P"
quota_per_day = 100
servers = 0
"#;

#[test]
fn never_clearing_scenario_stops_at_horizon_and_names_the_stage() {
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "never.toml", NEVER_CLEARS);
    let a = clearance()
        .args(["run", f.to_str().unwrap(), "--json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    assert_eq!(v["censored"], 3);
    assert_eq!(v["clearance_days"]["max"], 40.0);
    // the stage is named once, by validation at its key
    let warnings = v["warnings"].to_string();
    assert_eq!(
        warnings
            .matches("port[P].servers: port P has servers = 0: no capacity at all")
            .count(),
        1,
        "{warnings}"
    );
    assert!(!warnings.contains("no capacity: port"), "{warnings}");
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("3 replications reached the horizon"), "{err}");
    // and again among the stages with no capacity, when the runs reached the horizon
    let listed = err
        .split_once("stages with no capacity:")
        .unwrap_or_else(|| panic!("{err}"))
        .1;
    assert!(listed.contains("port P has servers = 0"), "{err}");
    // No median date is claimed for runs that never cleared.
    let a = clearance()
        .args(["run", f.to_str().unwrap()])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    assert!(
        out.contains("→ median clearance: not within the horizon (3 of 3 runs"),
        "{out}"
    );
    // The port without servers is what binds, not registration.
    assert!(
        out.contains("port P                        no capacity,"),
        "{out}"
    );
    assert!(
        out.contains("share of the clearance time: port P 100%"),
        "{out}"
    );
    let a = clearance()
        .args(["validate", f.to_str().unwrap()])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    assert!(
        out.contains("port P has servers = 0: no capacity at all; nobody passes it"),
        "{out}"
    );
    assert!(!out.contains("no capacity: port"), "{out}");
    assert!(out.contains("nobody can ever be processed"), "{out}");
}

#[test]
fn absurd_sizes_and_non_finite_numbers_are_refused_with_a_message() {
    let d = tempfile::tempdir().unwrap();
    let base =
        "[[origin]]\nname = \"A\"\n[[route]]\nfrom = \"A\"\nto = \"P\"\n[[port]]\nname = \"P\"\n";
    for (extra, needle) in [
        (
            "[scenario]\nname = \"x\"\n[backlog]\npeople = 1000000000000\n",
            "backlog.people",
        ),
        (
            "[scenario]\nname = \"x\"\nhorizon = \"1000000d\"\n",
            "scenario.horizon",
        ),
        (
            "[scenario]\nname = \"x\"\n[inflow]\nrate_per_day = inf\n",
            "not a finite number",
        ),
        (
            "[scenario]\nname = \"x\"\n[inflow]\nrate_per_day = nan\n",
            "not a finite number",
        ),
        (
            "[scenario]\nname = \"x\"\nreplications = 100000000000\n",
            "replications",
        ),
    ] {
        let f = write(d.path(), "absurd.toml", &format!("{extra}{base}"));
        let a = clearance()
            .args(["run", f.to_str().unwrap(), "--quiet"])
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(err.contains(needle), "{extra}: {err}");
        assert!(a.get_output().stdout.is_empty());
    }
    clearance()
        .args(["run", "tests/scenarios/minimal.toml", "--replications", "0"])
        .assert()
        .code(2);
}

#[test]
fn run_refuses_when_memory_estimate_exceeds_the_limit() {
    // A run refused after its --out directory was prepared leaves no directory behind, nor the
    // parents it created; a directory that already existed stays.
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("new/out");
    clearance()
        .args(["run", "tests/scenarios/minimal.toml", "--quiet", "--out"])
        .arg(&out)
        .env("CLEARANCE_MEMORY_LIMIT", "64K")
        .assert()
        .code(1);
    assert!(!d.path().join("new").exists());
    clearance()
        .args(["run", "tests/scenarios/minimal.toml", "--quiet", "--out"])
        .arg(d.path())
        .env("CLEARANCE_MEMORY_LIMIT", "64K")
        .assert()
        .code(1);
    assert!(d.path().is_dir());
    let a = clearance()
        .args(["run", "tests/scenarios/minimal.toml", "--quiet"])
        .env("CLEARANCE_MEMORY_LIMIT", "64K")
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("would need about"), "{err}");
    assert!(err.contains("MiB"), "{err}");
    assert!(err.contains("CLEARANCE_MEMORY_LIMIT=64K"), "{err}");
    assert!(a.get_output().stdout.is_empty());
    // and a generous limit lets it run
    clearance()
        .args(["run", "tests/scenarios/minimal.toml", "--quiet"])
        .env("CLEARANCE_MEMORY_LIMIT", "1G")
        .assert()
        .success();
    // A horizon far past the clearance costs no memory: the baseline with 100 years (it clears
    // in about 150 days and peaks near 12 MB) had been refused under 2 GB, for 3.1 GiB of
    // daily series.
    clearance()
        .args([
            "run",
            "scenarios/baseline.toml",
            "--quiet",
            "--replications",
            "2",
        ])
        .args(["--set", "scenario.horizon=\"36500d\""])
        .env("CLEARANCE_MEMORY_LIMIT", "500M")
        .assert()
        .success();
    // The experiments are checked too, before anything runs (they had started and grown to
    // gigabytes).
    let huge = ["--set", "backlog.people=100000000", "--quiet"];
    for args in [
        vec![
            "compare",
            "scenarios/baseline.toml",
            "scenarios/two-ports.toml",
        ],
        vec![
            "sweep",
            "scenarios/baseline.toml",
            "--vary",
            "health.isolation=5d,15d",
        ],
        vec![
            "sensitivity",
            "scenarios/baseline.toml",
            "--vary",
            "health.isolation=5d,15d",
        ],
        vec![
            "target",
            "scenarios/baseline.toml",
            "--vary",
            "port[El Paso].quota_per_day",
            "--goal",
            "p90(clearance_days) <= 200",
        ],
    ] {
        let a = clearance()
            .args(&args)
            .args(huge)
            .env("CLEARANCE_MEMORY_LIMIT", "1G")
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .code(1);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(
            err.contains("the experiment was not started")
                && err.contains("this experiment would need about")
                && err.contains("CLEARANCE_MEMORY_LIMIT=1G"),
            "{args:?}: {err}"
        );
    }
}

/// A memory limit that is not a size is refused (exit 2), not silently replaced by the memory
/// available: whoever set it expects it to hold.
#[test]
fn run_refuses_a_memory_limit_that_is_not_a_size() {
    for bad in ["abc", "2GB", "-1G"] {
        let a = clearance()
            .args(["run", "tests/scenarios/minimal.toml", "--quiet"])
            .env("CLEARANCE_MEMORY_LIMIT", bad)
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(
            err.contains(&format!("CLEARANCE_MEMORY_LIMIT={bad:?} is not a size")),
            "{bad}: {err}"
        );
        assert!(err.contains("e.g. 2G"), "{err}");
        assert!(a.get_output().stdout.is_empty());
    }
    // Set but empty is unset.
    clearance()
        .args(["run", "tests/scenarios/minimal.toml", "--quiet"])
        .env("CLEARANCE_MEMORY_LIMIT", "")
        .assert()
        .success();
    // So the temporary space the records may use (it had been ignored), by the commands that
    // run replications; validate reads neither.
    for args in [
        vec!["run", "tests/scenarios/minimal.toml", "--quiet"],
        vec![
            "sweep",
            "tests/scenarios/minimal.toml",
            "--vary",
            "backlog.people=5,6",
        ],
    ] {
        let a = clearance()
            .args(&args)
            .env("CLEARANCE_TEMP_SPACE", "abc")
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(
            err.contains("CLEARANCE_TEMP_SPACE=\"abc\" is not a size"),
            "{args:?}: {err}"
        );
    }
    clearance()
        .args(["validate", "tests/scenarios/minimal.toml"])
        .env("CLEARANCE_TEMP_SPACE", "abc")
        .assert()
        .success();
}

/// Two groups of two, one origin; registration after 1 day; one screening server (1 h, 08–18);
/// health 1 day, never positive; one bus at 07:00 with 2 seats, 2 h travel; a port with one
/// server (30 min, 08–18). Hand-computed (t in days):
/// - both register at 1; group 0 screened 1+8h..1+9h, group 1 1+9h..1+10h;
/// - ready 2+9h and 2+10h; the 07:00 bus of day 3 takes group 0 (2 seats), group 1 waits;
/// - group 0 arrives 3+9h, starts at once, processed 3+9.5h;
/// - group 1 boards 4+7h, arrives 4+9h, starts, processed 4+9.5h.
const TRACED: &str = r#"
[scenario]
name = "traced"
start_date = "2021-02-19"
horizon = "30d"
replications = 1

[backlog]
people = 4
group_size = 2

[[origin]]
name = "A"

[registration]
delay = "1d"

[screening]
servers = 1
service = "1h"
hours = ["08:00", "18:00"]

[health]
turnaround = "1d"
positive = 0.0
isolation = "1d"

[[route]]
from = "A"
to = "P"
departures = ["07:00"]
seats = 2
travel = "2h"

[[port]]
name = "P"
quota_per_day = 10
servers = 1
service = "30min"
hours = ["08:00", "18:00"]
"#;

#[test]
fn trace_file_matches_hand_computed_times() {
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "traced.toml", TRACED);
    let trace = d.path().join("trace.csv");
    clearance()
        .args(["run", f.to_str().unwrap(), "--quiet", "--trace"])
        .arg(&trace)
        .assert()
        .success();
    let text = std::fs::read_to_string(&trace).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "time,day,date,event,group,size,stage,port,origin,seats,cohort,class"
    );
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    let h = 1.0 / 24.0;
    // (time, event, group, size, stage, port, seats); every event is at origin A. The bus
    // leaves at 07:00 every day with 2 seats, empty until a group is ready; the health check
    // (one day) starts as screening ends.
    let expect: [(f64, &str, &str, &str, &str, &str, &str); 23] = [
        (7.0 * h, "departure", "", "0", "transport", "P", "2"),
        (1.0, "register", "0", "2", "registration", "", ""),
        (1.0, "register", "1", "2", "registration", "", ""),
        (1.0 + 7.0 * h, "departure", "", "0", "transport", "P", "2"),
        (
            1.0 + 8.0 * h,
            "screening_start",
            "0",
            "2",
            "screening",
            "",
            "",
        ),
        (
            1.0 + 9.0 * h,
            "screening_end",
            "0",
            "2",
            "screening",
            "",
            "",
        ),
        (1.0 + 9.0 * h, "health_start", "0", "2", "health", "", ""),
        (
            1.0 + 9.0 * h,
            "screening_start",
            "1",
            "2",
            "screening",
            "",
            "",
        ),
        (
            1.0 + 10.0 * h,
            "screening_end",
            "1",
            "2",
            "screening",
            "",
            "",
        ),
        (1.0 + 10.0 * h, "health_start", "1", "2", "health", "", ""),
        (2.0 + 7.0 * h, "departure", "", "0", "transport", "P", "2"),
        (2.0 + 9.0 * h, "ready", "0", "2", "transport", "", ""),
        (2.0 + 10.0 * h, "ready", "1", "2", "transport", "", ""),
        (3.0 + 7.0 * h, "board", "0", "2", "transport", "P", ""),
        (3.0 + 7.0 * h, "departure", "", "2", "transport", "P", "2"),
        (3.0 + 9.0 * h, "arrive", "0", "2", "port", "P", ""),
        (3.0 + 9.0 * h, "port_start", "0", "2", "port", "P", ""),
        (3.0 + 9.5 * h, "processed", "0", "2", "port", "P", ""),
        (4.0 + 7.0 * h, "board", "1", "2", "transport", "P", ""),
        (4.0 + 7.0 * h, "departure", "", "2", "transport", "P", "2"),
        (4.0 + 9.0 * h, "arrive", "1", "2", "port", "P", ""),
        (4.0 + 9.0 * h, "port_start", "1", "2", "port", "P", ""),
        (4.0 + 9.5 * h, "processed", "1", "2", "port", "P", ""),
    ];
    assert_eq!(rows.len(), expect.len(), "{text}");
    let start = chrono::NaiveDate::from_ymd_opt(2021, 2, 19).unwrap();
    for (row, (t, ev, g, size, stage, port, seats)) in rows.iter().zip(expect) {
        let time: f64 = row[0].parse().unwrap();
        assert!((time - t).abs() < 1e-9, "{row:?} expected t = {t}");
        assert_eq!(row[1], (t.floor() as i64).to_string());
        assert_eq!(
            row[2],
            (start + chrono::Duration::days(t.floor() as i64)).to_string()
        );
        assert_eq!(row[3], ev, "{row:?}");
        assert_eq!(row[4], g, "{row:?}");
        assert_eq!(row[5], size, "{row:?}");
        assert_eq!(row[6], stage, "{row:?}");
        assert_eq!(row[7], port, "{row:?}");
        assert_eq!(row[8], "A", "{row:?}");
        assert_eq!(row[9], seats, "{row:?}");
    }
}

/// The trace names each group's cohort (the backlog, a phase by its name, the inflow) and
/// priority class, so that an audit can tell them apart: it had only the group's number.
#[test]
fn trace_names_each_groups_cohort_and_class() {
    let d = tempfile::tempdir().unwrap();
    let f = write(
        d.path(),
        "cls.toml",
        "[scenario]\nname = \"cls\"\nhorizon = \"60d\"\nreplications = 1\n\
         [backlog]\npeople = 20\n\
         [[phase]]\nname = \"late, wave\"\npeople = 10\nopens = \"3d\"\n\
         [inflow]\nrate_per_day = 1\nuntil = \"5d\"\n\
         [[class]]\nname = \"vip\"\nshare = 0.3\n[[class]]\nname = \"std\"\nshare = 0.7\n\
         [[origin]]\nname = \"O\"\n\
         [[route]]\nfrom = \"O\"\nto = \"P\"\ndepartures = [\"08:00\"]\nseats = 10\n\
         [[port]]\nname = \"P\"\nservers = 1\nservice = \"1h\"\n",
    );
    let trace = d.path().join("trace.csv");
    clearance()
        .args(["run", f.to_str().unwrap(), "--quiet", "--trace"])
        .arg(&trace)
        .assert()
        .success();
    let text = std::fs::read_to_string(&trace).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let head = rows.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (event, group, cohort, class) = (col("event"), col("group"), col("cohort"), col("class"));
    let mut of_group: std::collections::BTreeMap<u32, (String, String)> = Default::default();
    for r in rows.records() {
        let r = r.unwrap();
        if &r[event] == "departure" {
            assert_eq!((&r[cohort], &r[class]), ("", ""), "{r:?}");
            continue;
        }
        let g: u32 = r[group].parse().unwrap();
        let who = (r[cohort].to_string(), r[class].to_string());
        // One cohort and class a group, on every line of it.
        assert_eq!(of_group.entry(g).or_insert(who.clone()), &who, "{r:?}");
    }
    let count = |c: &str| of_group.values().filter(|w| w.0 == c).count();
    // Groups of one person (no group_size given): 20 of the backlog, 10 of the phase, the
    // inflow's after them.
    assert_eq!(
        (count("backlog"), count("late, wave")),
        (20, 10),
        "{of_group:?}"
    );
    assert!(count("inflow") > 0, "{of_group:?}");
    assert!(of_group
        .keys()
        .filter(|&&g| g >= 30)
        .all(|g| of_group[g].0 == "inflow"));
    assert!(of_group.values().all(|w| w.1 == "vip" || w.1 == "std"));
    assert!(of_group.values().any(|w| w.1 == "vip") && of_group.values().any(|w| w.1 == "std"));
}

#[test]
fn without_a_temporary_directory_records_stay_in_memory_with_the_same_results() {
    let d = tempfile::tempdir().unwrap();
    let run = |tmp: &Path, out: &str| {
        let o = clearance()
            .args(["run", "scenarios/baseline.toml", "--replications", "12"])
            .args(["--set", "backlog.people=2000", "--quiet", "--out"])
            .arg(d.path().join(out))
            .env("TMPDIR", tmp)
            .assert()
            .success()
            .get_output()
            .clone();
        String::from_utf8(o.stderr).unwrap()
    };
    let err = run(&d.path().join("missing"), "memory");
    assert!(err.contains("no temporary file"), "{err}");
    assert!(err.contains("keeping them in memory"), "{err}");
    assert!(err.contains("missing"), "names the directory: {err}");
    let err = run(d.path(), "spilled");
    assert!(!err.contains("temporary"), "{err}");
    for f in ["replications.csv", "replications.jsonl", "daily.csv"] {
        let a = std::fs::read(d.path().join("memory").join(f)).unwrap();
        let b = std::fs::read(d.path().join("spilled").join(f)).unwrap();
        assert!(a == b, "{f} differs");
    }
    // The spill file has no name: nothing is left in the temporary directory.
    let left: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
}

/// A temporary directory without room for every record: the run says so before it starts and
/// keeps the records in memory (same results), and the memory check counts them there.
#[test]
fn without_room_for_the_records_they_stay_in_memory_and_the_memory_check_counts_them() {
    let d = tempfile::tempdir().unwrap();
    let run = |space: Option<&str>, out: &str| {
        let mut c = clearance();
        c.args(["run", "scenarios/baseline.toml", "--replications", "12"])
            .args(["--set", "backlog.people=2000", "--quiet", "--out"])
            .arg(d.path().join(out))
            .env("TMPDIR", d.path());
        if let Some(s) = space {
            c.env("CLEARANCE_TEMP_SPACE", s);
        }
        let o = c.assert().success().get_output().clone();
        String::from_utf8(o.stderr).unwrap()
    };
    let err = run(Some("1K"), "memory");
    assert!(err.contains("keeping them in memory"), "{err}");
    assert!(
        err.contains("the records of 12 replications need")
            && err.contains("but only 1.0 KiB is free (CLEARANCE_TEMP_SPACE=1K)"),
        "{err}"
    );
    // 12 records of the baseline's shape take 12 × 544 bytes: room for exactly that spills.
    let err = run(Some("6528"), "spilled");
    assert!(!err.contains("temporary"), "{err}");
    for f in ["replications.csv", "replications.jsonl", "daily.csv"] {
        let a = std::fs::read(d.path().join("memory").join(f)).unwrap();
        let b = std::fs::read(d.path().join("spilled").join(f)).unwrap();
        assert!(a == b, "{f} differs");
    }
    let err = run(Some("6527"), "short");
    assert!(err.contains("keeping them in memory"), "{err}");

    // The memory check: 20,000 short replications fit in 5 MiB with their records spilled
    // (about 1.6 MiB), not with them in memory (about 10.8 MiB).
    let check = |space: &str| {
        clearance()
            .args([
                "run",
                "tests/scenarios/minimal.toml",
                "--replications",
                "20000",
            ])
            .args(["--set", "scenario.horizon=\"30d\"", "--quiet"])
            .env("CLEARANCE_MEMORY_LIMIT", "5M")
            .env("CLEARANCE_TEMP_SPACE", space)
            .assert()
    };
    check("1G").success();
    let a = check("1K").code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("keeping them in memory"), "{err}");
    assert!(
        err.contains("would need about") && err.contains("results 9.8 MiB"),
        "{err}"
    );
}

#[test]
fn a_closed_pipe_ends_quietly_and_a_full_stdout_is_a_clean_error() {
    // The reader goes away before anything is written, as in `clearance validate … | grep -q`.
    for args in [
        &["validate", "scenarios/baseline.toml"][..],
        &["run", "tests/scenarios/minimal.toml", "--quiet", "--json"][..],
        &["run", "tests/scenarios/minimal.toml", "--quiet"][..],
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("clearance"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
    // The files asked for are written all the same, whether the reader went away or stdout is
    // full.
    let d = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("clearance"))
        .args([
            "run",
            "tests/scenarios/minimal.toml",
            "--quiet",
            "--no-charts",
            "--out",
        ])
        .arg(d.path().join("piped"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert!(d.path().join("piped/summary.json").is_file());
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("clearance"))
            .args([
                "run",
                "tests/scenarios/minimal.toml",
                "--quiet",
                "--no-charts",
                "--out",
            ])
            .arg(d.path().join("full"))
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(d.path().join("full/summary.json").is_file());
        assert!(d.path().join("full/scenario.toml").is_file());
    }
    // No room on stdout: an error that says so, exit 1.
    if Path::new("/dev/full").exists() {
        for args in [
            &["validate", "scenarios/baseline.toml"][..],
            &["run", "tests/scenarios/minimal.toml", "--quiet", "--json"][..],
        ] {
            let full = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap();
            let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("clearance"))
                .args(args)
                .stdout(full)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(!err.contains("panicked"), "{args:?}: {err}");
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
            assert!(
                err.contains("could not write to standard output"),
                "{args:?}: {err}"
            );
        }
    }
}

/// Every command writes its output through one helper, as `run` does: a reader gone before
/// anything is written (`… | head -1`) ends it quietly with exit code 0, and a full stdout
/// (`> /dev/full`) with "error: could not write to standard output" and its cause, exit code
/// 1, never a panic, after writing the files asked for with `--out`. explain's, sweep's,
/// compare's and merge's tables had ended with the cause alone ("error: No space left on
/// device"), sweep, compare, sensitivity and merge without their files, and `--help >
/// /dev/full` with exit code 0.
#[test]
fn every_command_ends_cleanly_on_a_closed_pipe_and_on_a_full_stdout() {
    let d = tempfile::tempdir().unwrap();
    let m = "tests/scenarios/minimal.toml";
    let dir = |n: &str| d.path().join(n).to_str().unwrap().to_string();
    let (run, sh1, sh2) = (dir("run"), dir("sh1"), dir("sh2"));
    clearance()
        .args([
            "run",
            m,
            "-q",
            "--replications",
            "3",
            "--no-charts",
            "--out",
            &run,
        ])
        .assert()
        .success();
    for (shard, out) in [("1/2", &sh1), ("2/2", &sh2)] {
        clearance()
            .args([
                "run",
                m,
                "-q",
                "--replications",
                "4",
                "--shard",
                shard,
                "--out",
                out,
            ])
            .assert()
            .success();
    }
    let vary = [
        "--vary",
        "screening.servers=1,2",
        "--replications",
        "2",
        "-q",
    ];
    let commands: Vec<Vec<&str>> = vec![
        vec!["validate", m],
        vec!["explain", "scenarios/baseline.toml"],
        vec!["explain", "scenarios/baseline.toml", "--json"],
        [&["sweep", m][..], &vary].concat(),
        [&["sweep", m][..], &vary, &["--json"]].concat(),
        [&["sweep", m][..], &vary, &["--out"]].concat(),
        vec!["compare", m, m, "--replications", "2", "-q"],
        vec!["compare", m, m, "--replications", "2", "-q", "--json"],
        vec!["compare", m, m, "--replications", "2", "-q", "--out"],
        [&["sensitivity", m][..], &vary].concat(),
        [&["sensitivity", m][..], &vary, &["--json"]].concat(),
        [&["sensitivity", m][..], &vary, &["--out"]].concat(),
        vec![
            "target",
            m,
            "--vary",
            "screening.servers",
            "--goal",
            "p90(clearance_days) <= 30",
            "--min",
            "1",
            "--max",
            "4",
            "--step",
            "1",
            "--replications",
            "2",
            "-q",
        ],
        // (-q as for the experiments above: merge's status line, "merged … into DIR", goes to
        // stderr like their "wrote …" lines, and a merge that goes on to it is checked by
        // `a_merge_over_an_earlier_run_names_the_charts_it_left`)
        vec!["merge", &sh1, &sh2, "-q", "--out"],
        vec!["chart", &run],
        vec!["report", &run],
        vec!["--help"],
        vec!["--version"],
        vec!["run", "--help"],
    ];
    let bin = assert_cmd::cargo::cargo_bin("clearance");
    for (k, args) in commands.iter().enumerate() {
        let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        // Each --out to a directory of its own.
        let merged = |how: &str| dir(&format!("out-{k}-{how}"));
        // The reader goes away before anything is written.
        let mut piped = args.clone();
        if args.last().is_some_and(|a| a == "--out") {
            piped.push(merged("pipe"));
        }
        let mut child = std::process::Command::new(&bin)
            .args(&piped)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{piped:?} | closed: {err}");
        // Status lines ("wrote …") go to stderr; nothing else may (no error, no panic).
        assert!(
            err.lines().all(|l| l.starts_with("wrote ")),
            "{piped:?} | closed: {err}"
        );
        // No room on stdout.
        if !Path::new("/dev/full").exists() {
            continue;
        }
        let out_dir = args
            .last()
            .is_some_and(|a| a == "--out")
            .then(|| merged("full"));
        if let Some(o) = &out_dir {
            args.push(o.clone());
        }
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(&bin)
            .args(&args)
            .stdout(full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        if matches!(args[0].as_str(), "chart" | "report") {
            // They print nothing on stdout (their status lines go to stderr).
            assert_eq!(out.status.code(), Some(0), "{args:?} > /dev/full: {err}");
            continue;
        }
        assert_eq!(out.status.code(), Some(1), "{args:?} > /dev/full: {err}");
        assert_eq!(
            err,
            "error: could not write to standard output\n  caused by: No space left on device \
             (os error 28)\n",
            "{args:?} > /dev/full"
        );
        if let Some(o) = &out_dir {
            let files = std::fs::read_dir(o).map_or(0, |d| d.count());
            assert!(files >= 1, "{args:?} > /dev/full: no files in --out");
        }
    }
}

#[test]
fn outputs_are_written_through_symlinks_and_into_fifos() {
    let d = tempfile::tempdir().unwrap();
    let scn = "tests/scenarios/minimal.toml";
    // A link to a file (and a link to a file not yet made): the target gets the trace, the link
    // stays a link.
    std::fs::write(d.path().join("target.csv"), "old").unwrap();
    std::os::unix::fs::symlink("target.csv", d.path().join("link.csv")).unwrap();
    std::os::unix::fs::symlink("later.csv", d.path().join("dangling.csv")).unwrap();
    for link in ["link.csv", "dangling.csv"] {
        clearance()
            .args(["run", scn, "--quiet", "--replications", "2", "--trace"])
            .arg(d.path().join(link))
            .assert()
            .success();
        let meta = std::fs::symlink_metadata(d.path().join(link)).unwrap();
        assert!(meta.file_type().is_symlink(), "{link} was replaced");
    }
    for target in ["target.csv", "later.csv"] {
        let text = std::fs::read_to_string(d.path().join(target)).unwrap();
        assert!(
            text.starts_with("time,day,date,event"),
            "{target}: {text:.40}"
        );
    }
    no_temp_files(d.path());
    // A FIFO: the reader gets the trace and the FIFO stays a FIFO.
    let fifo = d.path().join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo on this machine
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    clearance()
        .args(["run", scn, "--quiet", "--replications", "2", "--trace"])
        .arg(&fifo)
        .assert()
        .success();
    use std::os::unix::fs::FileTypeExt;
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced by a file");
    let text = reader.join().unwrap();
    assert!(text.starts_with("time,day,date,event"), "{text:.40}");
}

#[test]
fn outputs_never_replace_an_input_of_the_run() {
    let d = tempfile::tempdir().unwrap();
    let scn = d.path().join("scenario.toml");
    let original = std::fs::read_to_string("tests/scenarios/minimal.toml").unwrap()
        + "# the planner's notes\n";
    std::fs::write(&scn, &original).unwrap();
    std::os::unix::fs::symlink("scenario.toml", d.path().join("alias.csv")).unwrap();
    let run_with = |extra: &[&str]| {
        clearance()
            .current_dir(d.path())
            .args(["run", "scenario.toml", "--quiet", "--replications", "2"])
            .args(extra)
            .output()
            .unwrap()
    };
    // The study's own folder as --out (its scenario.toml would be the normalised copy), the
    // scenario as the trace file, and a link to it: each refused before anything runs.
    let cases: [&[&str]; 3] = [
        &["--out", "."],
        &["--trace", "scenario.toml"],
        &["--trace", "alias.csv"],
    ];
    for extra in cases {
        let out = run_with(extra);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains("would replace"), "{extra:?}: {err}");
        assert_eq!(
            std::fs::read_to_string(&scn).unwrap(),
            original,
            "{extra:?}"
        );
    }
    // The trace may not be one of the run's own outputs either.
    let out = run_with(&["--no-charts", "--out", "q", "--trace", "q/summary.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("one of the files the run writes"));
    // Observed data linked into --out under the name of the fit's output: refused up front.
    std::fs::write(
        d.path().join("obs.csv"),
        "date,cumulative_people\n2021-01-05,10\n",
    )
    .unwrap();
    std::fs::create_dir(d.path().join("o")).unwrap();
    std::os::unix::fs::symlink("../obs.csv", d.path().join("o/observed-fit.csv")).unwrap();
    let out = run_with(&["--no-charts", "--observed", "obs.csv", "--out", "o"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("would replace obs.csv"), "{err}");
    assert!(out.stdout.is_empty(), "it ran first");
    assert!(!d.path().join("o/summary.json").exists());
}

/// An output that is a symbolic link to another file of the same command (an output, or a
/// file of the saved run it reads) is refused with exit 2 before anything is written: `report`
/// had turned summary.json into HTML through `report.html -> summary.json`, and `chart`, `run
/// --extend` and `run --out` wrote through such links too.
#[test]
fn a_link_from_one_output_to_another_file_of_the_run_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let run = d.path().join("run");
    clearance()
        .args(["run", "tests/scenarios/minimal.toml", "--quiet", "--out"])
        .arg(&run)
        .args(["--replications", "3"])
        .assert()
        .success();
    let snapshot = |dir: &Path| {
        let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&p).unwrap_or_default())
            })
            .collect();
        v.sort();
        v
    };
    let relink = |name: &str, to: &str| {
        let p = run.join(name);
        let _ = std::fs::remove_file(&p);
        std::os::unix::fs::symlink(to, &p).unwrap();
    };
    let cases: [(&str, &str, Vec<&str>); 4] = [
        ("report.html", "summary.json", vec!["report"]),
        ("fan.svg", "scenario.toml", vec!["chart"]),
        (
            "fan.png",
            "replications.jsonl",
            vec!["run", "--replications", "5", "--quiet", "--extend"],
        ),
        (
            "fan.png",
            "summary.json",
            vec!["run", "tests/scenarios/minimal.toml", "--quiet", "--out"],
        ),
    ];
    for (link, to, args) in cases {
        relink(link, to);
        let before = snapshot(&run);
        let out = clearance().args(&args).arg(&run).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&format!("{link} would replace")) || err.contains("is a link to"),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty(), "{args:?} ran");
        assert_eq!(snapshot(&run), before, "{args:?} changed the directory");
        no_temp_files(&run);
        let _ = std::fs::remove_file(run.join(link));
    }
    // A trace linked to one of the run's outputs, too.
    std::os::unix::fs::symlink(run.join("summary.json"), d.path().join("t.csv")).unwrap();
    let out = clearance()
        .args([
            "run",
            "tests/scenarios/minimal.toml",
            "--quiet",
            "--no-charts",
        ])
        .arg("--out")
        .arg(&run)
        .arg("--trace")
        .arg(d.path().join("t.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a link to"));
}

/// An endless input is refused, naming the file and the cap, instead of filling memory:
/// `validate /dev/zero` had grown to 24 GB. Scenario files and their bases, observed data, sweep
/// files and the files of a stored or saved run (read whole, or line by line) are all capped.
#[test]
fn endless_inputs_are_refused_with_the_file_and_the_cap() {
    let d = tempfile::tempdir().unwrap();
    let limited = |args: &[&str], cwd: &Path| {
        let out = clearance()
            .current_dir(cwd)
            .args(args)
            .timeout(Duration::from_secs(30))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!out.status.success(), "{args:?}: {err}");
        assert!(
            out.status.code().is_some(),
            "{args:?}: killed (timeout?): {err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        err
    };
    write(d.path(), "ext.toml", "extends = \"/dev/zero\"\n");
    write(
        d.path(),
        "sweep.toml",
        "[sweep]\nscenario = \"/dev/zero\"\n\"backlog.people\" = [1, 2]\n",
    );
    let minimal = std::fs::canonicalize("tests/scenarios/minimal.toml").unwrap();
    let minimal = minimal.to_str().unwrap();
    for args in [
        &["validate", "/dev/zero"][..],
        &["validate", "ext.toml"],
        &["sweep", "/dev/zero", "--vary", "backlog.people=1,2"],
        &["sweep", "sweep.toml"],
        &["run", minimal, "-q", "--observed", "/dev/zero"],
    ] {
        let err = limited(args, d.path());
        assert!(
            err.contains("/dev/zero") && err.contains("larger than 64 MiB"),
            "{args:?}: {err}"
        );
    }
    // A stored run with one of its files endless: read whole, or line by line.
    let run = d.path().join("run");
    clearance()
        .args(["run", minimal, "-q", "--replications", "3", "--no-charts"])
        .arg("--out")
        .arg(&run)
        .assert()
        .success();
    for (file, args, says) in [
        (
            "daily.json",
            &["run", "-q", "--replications", "5", "--extend", "run"][..],
            "larger than 64 MiB",
        ),
        (
            "replications.jsonl",
            &["run", "-q", "--replications", "5", "--extend", "run"],
            "line 1 is longer than 64 MiB",
        ),
        (
            "run.json",
            &["merge", "run", "--out", "m"],
            "larger than 64 MiB",
        ),
        (
            "replications.csv",
            &["chart", "run"],
            "line 1 is longer than 64 MiB",
        ),
        (
            "daily.csv",
            &["report", "run"],
            "line 1 is longer than 64 MiB",
        ),
        ("summary.json", &["report", "run"], "larger than 64 MiB"),
    ] {
        let p = run.join(file);
        let kept = std::fs::read(&p).unwrap();
        std::fs::remove_file(&p).unwrap();
        std::os::unix::fs::symlink("/dev/zero", &p).unwrap();
        let err = limited(args, d.path());
        assert!(err.contains(file) && err.contains(says), "{file}: {err}");
        std::fs::remove_file(&p).unwrap();
        std::fs::write(&p, kept).unwrap();
    }
}

#[test]
fn a_trace_to_standard_output_joins_the_table_in_a_pipe_or_a_file() {
    let args = [
        "run",
        "tests/scenarios/minimal.toml",
        "--quiet",
        "--replications",
        "2",
        "--trace",
        "/dev/stdout",
    ];
    let piped = clearance().args(args).output().unwrap();
    assert!(
        piped.status.success(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("out.txt");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_clearance"))
        .args(args)
        .stdout(std::fs::File::create(&file).unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    for text in [
        String::from_utf8(piped.stdout).unwrap(),
        std::fs::read_to_string(&file).unwrap(),
    ] {
        assert!(text.contains("Clearance of"), "{text:.200}");
        assert!(text.contains("\ntime,day,date,event"), "{text:.200}");
    }
}

/// Options that a run would ignore without a word are refused (exit 2): with --shard the
/// trace, the fit, the report and the JSON (they belong to the merged run), --replications
/// with --precision (which chooses the count), --no-charts with nothing to write; and a quota
/// of 0 is named once, not also as a stage "with no capacity".
#[test]
fn ignored_options_are_refused_and_a_zero_quota_is_named_once() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("s");
    let o = out.to_str().unwrap();
    let t = d.path().join("t.csv");
    let t = t.to_str().unwrap();
    let minimal = "tests/scenarios/minimal.toml";
    for args in [
        vec!["run", minimal, "--shard", "1/2", "--out", o, "--trace", t],
        vec!["run", minimal, "--shard", "1/2", "--out", o, "--json"],
        vec!["run", minimal, "--shard", "1/2", "--out", o, "--report"],
        vec!["run", minimal, "--precision", "5%", "--replications", "50"],
        vec!["run", minimal, "--no-charts"],
        vec!["run", minimal, "--shard", "1/2", "--out", o, "--no-charts"],
        vec![
            "run",
            minimal,
            "--replications",
            "5",
            "--max-replications",
            "50",
        ],
        vec!["sweep", minimal, "--vary", "screening.servers=1,2"]
            .into_iter()
            .chain(["--shard", "1/2", "--out", o, "--json"])
            .collect(),
    ] {
        let a = clearance().args(&args).arg("-q").assert().code(2);
        assert!(a.get_output().stdout.is_empty(), "{args:?} ran");
    }
    assert!(!out.exists() && !Path::new(t).exists());
    let a = clearance()
        .args([
            "run",
            minimal,
            "--set",
            "port[1].quota_per_day=0",
            "--replications",
            "2",
            "-q",
            "--json",
        ])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    let w: Vec<&str> = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .filter(|w| w.contains("quota_per_day = 0"))
        .collect();
    assert_eq!(w.len(), 1, "{w:?}");
}

/// Messages that had pointed the wrong way: the memory refusal no longer says "use fewer
/// --replications" where they hardly change the estimate (one replication, or records spilled
/// to a temporary file); a key missing in a section that only `--set` made
/// (`inflow.until` on a scenario without [inflow]) is put on the `--set`, not on the file; and
/// `run --extend` of a directory that does not exist says so, not "no run.json here".
#[test]
fn messages_name_what_can_be_done_and_where_the_problem_is() {
    let minimal = "tests/scenarios/minimal.toml";
    let refused = |reps: &str| {
        let out = clearance()
            .args([
                "run",
                minimal,
                "-q",
                "--threads",
                "2",
                "--replications",
                reps,
            ])
            .env("CLEARANCE_MEMORY_LIMIT", "1K")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let one = refused("1");
    assert!(one.contains("would need about"), "{one}");
    assert!(
        !one.contains("fewer --replications") && !one.contains("fewer --threads"),
        "{one}"
    );
    assert!(
        one.contains("Use a shorter horizon or fewer people"),
        "{one}"
    );
    // Ten replications whose records go to a temporary file: more threads hold more groups at
    // once, more replications hardly more memory, so only the threads are named.
    let ten = refused("10");
    assert!(
        ten.contains("Use a shorter horizon, fewer people or fewer --threads"),
        "{ten}"
    );
    let out = clearance()
        .args(["validate", minimal, "--set", "inflow.until=\"1d\""])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("error: --set: inflow.rate_per_day: missing")
            && err.contains("the scenario has no [inflow]: --set inflow.until=1d made one"),
        "{err}"
    );
    let d = tempfile::tempdir().unwrap();
    let out = clearance()
        .args(["run", "--replications", "3", "--extend"])
        .arg(d.path().join("nonexist"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("nonexist: no such directory"), "{err}");
}

/// A user's own files in --out (a hand-written, commented scenario.toml, notes kept as
/// summary.json and report.html) are not replaced: the run refuses before simulating (exit 2),
/// naming them, and leaves them as they were; `--force` replaces them. The directory of an
/// earlier run is written again without a word: its files are clearance's. `sweep`,
/// `sensitivity` and `compare` refuse alike.
#[test]
fn out_does_not_replace_a_users_own_files() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let mine = std::fs::read_to_string("scenarios/baseline.toml").unwrap();
    write(dir, "scenario.toml", &mine);
    write(dir, "summary.json", "my notes\n");
    write(dir, "report.html", "<h1>mine</h1>\n");
    let other = std::fs::canonicalize("tests/scenarios/minimal.toml").unwrap();
    let run = |extra: &[&str]| {
        let mut c = clearance();
        c.current_dir(dir)
            .arg("run")
            .arg(&other)
            .args(["-q", "--replications", "3", "--out", ".", "--report"])
            .args(extra)
            .env("CLEARANCE_MEMORY_LIMIT", "1G");
        c.assert()
    };
    let a = run(&[]).code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    for f in ["scenario.toml", "summary.json", "report.html", "--force"] {
        assert!(err.contains(f), "{f}: {err}");
    }
    assert!(a.get_output().stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(dir.join("scenario.toml")).unwrap(),
        mine
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("summary.json")).unwrap(),
        "my notes\n"
    );
    assert!(!dir.join("run.json").exists() && !dir.join("fan.png").exists());
    for (args, file) in [
        (
            vec!["sweep", "--vary", "backlog.people=100,200"],
            "scenario.toml",
        ),
        (
            vec!["sensitivity", "--vary", "backlog.people=100,200"],
            "scenario.toml",
        ),
    ] {
        let a = clearance()
            .current_dir(dir)
            .arg(args[0])
            .arg(&other)
            .args(&args[1..])
            .args(["-q", "--replications", "2", "--out", "."])
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(err.contains(file) && err.contains("--force"), "{err}");
    }
    write(dir, "comparison.json", "{}\n");
    clearance()
        .current_dir(dir)
        .arg("compare")
        .args([&other, &other])
        .args(["-q", "--replications", "2", "--out", "."])
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read_to_string(dir.join("scenario.toml")).unwrap(),
        mine
    );
    // --force replaces them; the scenario.toml written is marked as clearance's own.
    run(&["--force"]).success();
    let written = std::fs::read_to_string(dir.join("scenario.toml")).unwrap();
    assert!(
        written.starts_with("# The scenario as run, written by clearance"),
        "{written}"
    );
    // Written again into the run's own directory: no --force needed; a scenario.toml left
    // alone there is clearance's by its first line.
    run(&[]).success();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.file_name().unwrap() != "scenario.toml" {
            std::fs::remove_file(p).unwrap();
        }
    }
    run(&[]).success();
}

/// The memory check counts the health retests of --trace's replication 0 (2·p/(1−p) events a
/// group checked): the baseline at health.positive = 0.998 peaked at 2.4 GB unannounced, and
/// at 0.999999 (the reviewer's trace-oom case) it was estimated at 262 KiB and aborted.
#[test]
fn trace_memory_counts_health_retests() {
    let d = tempfile::tempdir().unwrap();
    let a = clearance()
        .args([
            "run",
            "scenarios/baseline.toml",
            "-q",
            "--replications",
            "1",
        ])
        .args(["--set", "health.positive=0.998", "--trace"])
        .arg(d.path().join("t.csv"))
        .env("CLEARANCE_MEMORY_LIMIT", "1G")
        .timeout(Duration::from_secs(60))
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    for s in [
        "would need about",
        "GiB",
        "health.positive = 0.998",
        "scenarios/baseline.toml",
        "t.csv",
        "no --trace",
        "a lower health.positive",
        "CLEARANCE_MEMORY_LIMIT=1G",
    ] {
        assert!(err.contains(s), "{s}: {err}");
    }
    assert!(!d.path().join("t.csv").exists());
    let f = write(
        d.path(),
        "oom.toml",
        "[scenario]\nname = 'x'\nreplications = 1\nhorizon = '36500d'\n[backlog]\npeople = 200\n\
         [health]\npositive = 0.999999\nturnaround = '0.001min'\nisolation = '0.001min'\n\
         [[origin]]\nname = 'A'\n[[route]]\nfrom = 'A'\nto = 'P'\n[[port]]\nname = 'P'\n\
         quota_per_day = 100\n",
    );
    let a = clearance()
        .args(["run", f.to_str().unwrap(), "-q", "--trace"])
        .arg(d.path().join("t.csv"))
        .env("CLEARANCE_MEMORY_LIMIT", "1G")
        .timeout(Duration::from_secs(60))
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("a lower health.positive"), "{err}");
    // The same run without the trace is not refused for it.
    clearance()
        .args([
            "run",
            "scenarios/baseline.toml",
            "-q",
            "--replications",
            "1",
        ])
        .args(["--set", "health.positive=0.998"])
        .env("CLEARANCE_MEMORY_LIMIT", "1G")
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
}

/// `--trace -` writes the trace to standard output, after the table, as `--trace /dev/stdout`
/// does (a file named `-` had been made).
#[test]
fn trace_dash_is_standard_output() {
    let d = tempfile::tempdir().unwrap();
    let a = clearance()
        .current_dir(d.path())
        .arg("run")
        .arg(std::fs::canonicalize("tests/scenarios/minimal.toml").unwrap())
        .args(["-q", "--replications", "2", "--trace", "-"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    assert!(
        out.contains("time,day,date,event,group,size,stage,port,origin,seats,cohort,class\n"),
        "{out}"
    );
    assert!(out.contains(",register,"), "{out}");
    assert!(!d.path().join("-").exists());
}

/// Every command that writes a directory takes it from any other clearance process first: with
/// the directory's lock held (here by the test, as a running command holds it), `run --out`,
/// `run --extend`, `merge --out`, `sweep --out`, `compare --out`, `chart` and `report` are each
/// refused at once with exit 1, saying the directory is being written and by which process,
/// and the directory holds its earlier files, byte for byte, with none added. Before, two
/// commands writing one directory at once had left it holding the files of both, each
/// exiting 0. Once the lock is let go the same command writes there, leaving no lock file.
#[test]
fn a_directory_being_written_by_another_process_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    clearance()
        .args(["run", "tests/scenarios/minimal.toml", "--replications", "4"])
        .args(["--quiet", "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(
        !out.join(".clearance.lock").exists(),
        "the lock file stayed"
    );
    let files = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let name = e.file_name().to_string_lossy().into_owned();
                (name, std::fs::read(e.path()).unwrap())
            })
            .collect();
        v.sort();
        v
    };
    let lock = std::fs::File::create(out.join(".clearance.lock")).unwrap();
    rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockExclusive).unwrap();
    std::io::Write::write_all(&mut &lock, b"4242\n").unwrap();
    let before = files(&out);
    let o = out.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec![
            "run",
            "tests/scenarios/minimal.toml",
            "--replications",
            "4",
            "--out",
            o,
        ],
        vec!["run", "--replications", "8", "--extend", o],
        vec!["merge", o, "--out", o],
        vec![
            "sweep",
            "tests/scenarios/minimal.toml",
            "--vary",
            "backlog.people=5,6",
            "--replications",
            "2",
            "--out",
            o,
        ],
        vec![
            "compare",
            "tests/scenarios/minimal.toml",
            "tests/scenarios/minimal.toml",
            "--replications",
            "2",
            "--out",
            o,
        ],
        vec!["chart", o],
        vec!["report", o],
    ];
    for args in &commands {
        let r = clearance().args(args).arg("--quiet").output().unwrap();
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains(&format!(
                "{o} is being written by another clearance process (pid 4242): wait for it to \
                 finish"
            )),
            "{args:?}: {err}"
        );
        assert!(files(&out) == before, "{args:?} changed the directory");
    }
    drop(lock);
    clearance().args(["chart", o, "--quiet"]).assert().success();
    assert!(
        !out.join(".clearance.lock").exists(),
        "the lock file stayed"
    );
    no_temp_files(&out);
}

/// Ctrl-C during `merge` (as during `chart` and `report`, which have the same handler) stops
/// it before anything is put in place: exit code 130, `interrupted: nothing written, DIR as it
/// was`, no temporary file left, and the earlier merge's files byte for byte as they were.
/// Before, merge had no handler: Ctrl-C killed it (no message), leaving its temporary files,
/// or, between its renames, a directory holding files of two runs. The merge is held half-way
/// through its writing, its first files staged, by a FIFO in place of its daily.csv (written
/// where it is, so the write waits for a reader), and interrupted there.
#[test]
fn sigint_mid_merge_writes_nothing_and_exits_130() {
    let d = tempfile::tempdir().unwrap();
    let shard = |i: &str| d.path().join(format!("s{i}"));
    for i in ["1", "2"] {
        clearance()
            .args(["run", "tests/scenarios/minimal.toml", "--replications", "6"])
            .args(["--quiet", "--shard", &format!("{i}/2"), "--out"])
            .arg(shard(i))
            .assert()
            .success();
    }
    let out = d.path().join("out");
    let merge = || {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("clearance"));
        c.arg("merge").arg(shard("1")).arg(shard("2"));
        c.args(["--quiet", "--out"]).arg(&out);
        c
    };
    assert!(merge().output().unwrap().status.success());
    let fifo = out.join("daily.csv");
    std::fs::remove_file(&fifo).unwrap();
    if !std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        return; // no mkfifo on this machine
    }
    let files = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name() != "daily.csv")
            .map(|e| {
                let e = e.unwrap();
                let name = e.file_name().to_string_lossy().into_owned();
                (name, std::fs::read(e.path()).unwrap())
            })
            .collect();
        v.sort();
        v
    };
    let before = files(&out);
    let mut child = merge()
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let staged = || {
        std::fs::read_dir(&out).unwrap().any(|e| {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            n.starts_with(".summary.json.tmp-")
        })
    };
    // The FIFO is read once the merge is interrupted, so that it goes on to its commit.
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let t0 = Instant::now();
            while t0.elapsed() < Duration::from_secs(30) {
                if READ_FIFO.load(std::sync::atomic::Ordering::SeqCst) {
                    return std::fs::read(&fifo).unwrap().len();
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            0
        })
    };
    static READ_FIFO: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let t0 = Instant::now();
    while !staged() && t0.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(staged(), "the merge staged nothing");
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    std::thread::sleep(Duration::from_millis(200));
    READ_FIFO.store(true, std::sync::atomic::Ordering::SeqCst);
    assert!(reader.join().unwrap() > 0);
    let status = child.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(
        err.contains(&format!(
            "interrupted: nothing written, {} as it was",
            out.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("interrupted: stopping before anything is put in place"),
        "{err}"
    );
    no_temp_files(&out);
    assert!(files(&out) == before, "the earlier merge's files changed");
}

/// `chart DIR` and `report DIR` refuse a scenario.toml that is not the one the run wrote,
/// though its name, start, horizon and people match: a quota edited after the run (its
/// fingerprint differs from the one summary.json records: both are named), or the
/// scenario.toml of a run of another seed copied in. Exit 1, saying what to do, and the
/// directory as it was. Before, the charts had been redrawn with the edited quota and the
/// report had embedded it beside results run with the other, or said the run's command
/// reran the other seed.
#[test]
fn chart_and_report_refuse_a_scenario_toml_that_is_not_the_runs() {
    let d = tempfile::tempdir().unwrap();
    let run_to = |dir: &Path, seed: &str| {
        clearance()
            .args(["run", "tests/scenarios/minimal.toml", "--replications", "5"])
            .args(["--seed", seed, "--quiet", "--out"])
            .arg(dir)
            .assert()
            .success();
    };
    let run = d.path().join("r");
    let other = d.path().join("seed99");
    run_to(&run, "11");
    run_to(&other, "99");
    let files = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let name = e.file_name().to_string_lossy().into_owned();
                (name, std::fs::read(e.path()).unwrap())
            })
            .collect();
        v.sort();
        v
    };
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("summary.json")).unwrap()).unwrap();
    let recorded = summary["scenario"]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    let scenario = std::fs::read_to_string(run.join("scenario.toml")).unwrap();
    assert!(scenario.contains("quota_per_day = 50\n"), "{scenario}");
    let edited = scenario.replace("quota_per_day = 50\n", "quota_per_day = 500\n");
    let seed99 = std::fs::read_to_string(other.join("scenario.toml")).unwrap();
    for (text, says) in [
        (
            &edited,
            format!("the summary's {recorded} (the model differs)"),
        ),
        (&seed99, "it has seed 99, the summary seed 11".to_string()),
    ] {
        std::fs::write(run.join("scenario.toml"), text).unwrap();
        let before = files(&run);
        for cmd in ["chart", "report"] {
            let a = clearance().arg(cmd).arg(&run).assert().code(1);
            let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
            assert!(
                err.contains(&format!(
                    "{} is not the scenario of {}",
                    run.join("scenario.toml").display(),
                    run.join("summary.json").display()
                )),
                "{cmd}: {err}"
            );
            assert!(err.contains(&says), "{cmd}: {err}");
            assert!(
                err.contains("put back the scenario.toml the run wrote, or run the scenario again"),
                "{cmd}: {err}"
            );
            assert!(files(&run) == before, "{cmd} changed the directory");
        }
    }
    // The edited fingerprint is named too.
    std::fs::write(run.join("scenario.toml"), &edited).unwrap();
    let a = clearance().arg("report").arg(&run).assert().code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    let named = err
        .split_once("its fingerprint is ")
        .map(|(_, r)| &r[..16])
        .unwrap_or_default();
    assert!(named.len() == 16 && named != recorded, "{err}");
    // The run's own scenario.toml back: both work.
    std::fs::write(run.join("scenario.toml"), &scenario).unwrap();
    for cmd in ["chart", "report"] {
        clearance()
            .arg(cmd)
            .arg(&run)
            .arg("--quiet")
            .assert()
            .success();
    }
}

/// A run interrupted (Ctrl-C) into a directory that held an earlier run of another seed keeps
/// no store of its own, and removes the earlier run's (saying so), so that `run --extend DIR`
/// and `merge DIR` refuse, saying the run written there was interrupted, instead of going on
/// with the earlier run and replacing the interrupted run's summary (they had exited 0 with
/// the earlier run's scenario and seed). A store left beside such a summary (by a build that
/// kept it, or files copied back) is refused the same way, naming both seeds.
#[test]
fn an_interrupted_run_over_an_earlier_one_is_not_extended_or_merged_as_it() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("pd");
    clearance()
        .args(["run", "tests/scenarios/minimal.toml", "--replications", "5"])
        .args(["--seed", "11", "--quiet", "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    let store = ["run.json", "replications.jsonl", "daily.json"];
    let earlier: Vec<Vec<u8>> = store
        .iter()
        .map(|n| std::fs::read(out.join(n)).unwrap())
        .collect();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("clearance"))
        .args(["run", "tests/scenarios/minimal.toml", "--seed", "77"])
        .args(["--replications", "1000000", "--threads", "1", "--quiet"])
        .args(["--no-charts", "--out"])
        .arg(&out)
        .env("CLEARANCE_MEMORY_LIMIT", "1T")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (status, err) = interrupt(&mut child, &|| true, Duration::from_millis(700));
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(
        err.contains("note: removed run.json, replications.jsonl, daily.json from"),
        "{err}"
    );
    for n in store {
        assert!(!out.join(n).exists(), "{n} was left");
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["partial"], true);
    assert_eq!(summary["seed"], 77);
    let summary_text = std::fs::read(out.join("summary.json")).unwrap();
    let refused = |says: &str| {
        let ext = clearance()
            .args(["run", "--replications", "100", "--quiet", "--extend"])
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&ext.stderr);
        assert_eq!(ext.status.code(), Some(1), "{err}");
        assert!(
            err.contains("the run written here was interrupted"),
            "{err}"
        );
        assert!(err.contains(says), "{err}");
        let m = clearance()
            .arg("merge")
            .arg(&out)
            .arg("--out")
            .arg(d.path().join("pd_m"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&m.stderr);
        assert_eq!(m.status.code(), Some(1), "{err}");
        assert!(
            err.contains("the run written here was interrupted"),
            "{err}"
        );
        assert!(!d.path().join("pd_m").exists());
        assert_eq!(
            std::fs::read(out.join("summary.json")).unwrap(),
            summary_text
        );
    };
    refused("run it again whole");
    // The earlier store put back beside the interrupted run's summary.
    for (n, bytes) in store.iter().zip(&earlier) {
        std::fs::write(out.join(n), bytes).unwrap();
    }
    refused("(seed 77 in summary.json, seed 11 in run.json) is of an earlier run");
}
