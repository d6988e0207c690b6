//! What `validate` tells a planner about ports and sweeps: a daily quota its servers cannot
//! serve is a warning (once a port, at its quota, as `explain`'s note words it), a quota of 0
//! under a ramp from below 1 is warned of once, a fraction where a whole number is due is told
//! the whole numbers to round to, and a sweep file's notes of points where no run can clear are
//! placed at the sweep file's value with the lever as their hint.

use assert_cmd::Command;
use std::path::Path;

fn clearance() -> Command {
    Command::cargo_bin("clearance").unwrap()
}

/// A scenario of two origins whose routes both reach port P: 2 servers, a 30-minute service,
/// open 08:00–18:00 (40 groups of one a day), with `quota` and `extra` lines under [[port]];
/// under `policy`.
fn scenario(quota: &str, policy: &str) -> String {
    format!(
        r#"[scenario]
name = "q"
horizon = "200d"

[backlog]
people = 100

[dispatch]
policy = "{policy}"

[[origin]]
name = "A"
share = 0.5

[[origin]]
name = "B"
share = 0.5

[[route]]
from = "A"
to = "P"

[[route]]
from = "B"
to = "P"

[[port]]
name = "P"
servers = 2
service = "30min"
hours = ["08:00", "18:00"]
{quota}
"#
    )
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

/// What `clearance ARGS` printed: (stdout, stderr, exit code).
fn output(args: &[&str]) -> (String, String, Option<i32>) {
    let out = clearance().args(args).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code(),
    )
}

const OVER: &str = "port P's quota of 600 a day is more than its servers serve: 2 servers in its \
                    opening hours serve about 40 people a day (about 40 groups at 30min mean \
                    service), so its servers, not its quota, limit it";

/// `quota_per_day = 0` under a ramp from below 1 (its quota floors to 0 every day) is warned of
/// once, at the quota: neither the ramp's warning (which had said the port stops taking anyone
/// only once the ramp ends) nor "no capacity: port "P": quota_per_day = 0" besides.
#[test]
fn a_zero_quota_under_a_ramp_from_below_one_is_warned_of_once() {
    let dir = tempfile::tempdir().unwrap();
    for from in ["0.5", "0"] {
        let path = write(
            dir.path(),
            "ramp.toml",
            &scenario(
                &format!("quota_per_day = 0\nramp = {{ from = {from}, over = \"10d\" }}"),
                "fifo",
            ),
        );
        let (out, _, _) = output(&["validate", &path]);
        let about_p: Vec<&str> = out
            .lines()
            .filter(|l| l.contains("port[P]") || l.contains("port \"P\""))
            .collect();
        assert_eq!(
            about_p,
            [format!(
                "  warning: {path}:32:1: port[P].quota_per_day: port P has quota_per_day = 0 \
                 and ramp.from = {from} (below one person a day): nobody is ever processed there"
            )],
            "{out}"
        );
        assert!(out.contains("nobody can ever be processed"), "{out}");
        // the library's capacity warnings leave it to that one too
        let s = clearance::scenario::load_file(Path::new(&path)).unwrap();
        assert!(
            !clearance::experiment::summary::new_capacity_warnings(&s)
                .iter()
                .any(|w| w.contains("port \"P\"")),
            "{:?}",
            s.warnings
        );
    }
    // a ramp from 1 or more down to 0 keeps the ramp's own warning
    let path = write(
        dir.path(),
        "down.toml",
        &scenario(
            "quota_per_day = 0\nramp = { from = 5, over = \"10d\" }",
            "fifo",
        ),
    );
    let (out, _, _) = output(&["validate", &path]);
    assert!(
        out.contains("ramp.from (5) is above quota_per_day (0)"),
        "{out}"
    );
}

/// A fraction where a whole number is due is told the whole numbers either side of it (300.5
/// cannot lose its point and stay 300.5); 2.0 and 1e6 keep "write it without a decimal point".
#[test]
fn a_fraction_where_a_whole_number_is_due_is_told_to_round() {
    let cases = [
        ("people = 300.5", "backlog.people", "round it to 300 or 301"),
        ("people = -0.5", "backlog.people", "round it to -1 or 0"),
        ("people = -3.5", "backlog.people", "round it to -4 or -3"),
        (
            "people = 2.0",
            "backlog.people",
            "write it without a decimal point or exponent: 2",
        ),
        (
            "people = 1e6",
            "backlog.people",
            "write it without a decimal point or exponent: 1000000",
        ),
    ];
    for (line, key, says) in cases {
        let text = scenario("quota_per_day = 40", "fifo").replace("people = 100", line);
        let e = clearance::scenario::load_str(&text, "n.toml").unwrap_err();
        let d = e
            .diagnostics
            .iter()
            .find(|d| d.key.as_deref() == Some(key))
            .unwrap_or_else(|| panic!("{e}"));
        assert!(d.message.contains(says), "{line}: {}", d.message);
        if says.starts_with("round") {
            assert!(!d.message.contains("decimal point"), "{}", d.message);
        }
    }
    // servers too
    let text = scenario("quota_per_day = 40", "fifo").replace("servers = 2", "servers = 2.5");
    let e = clearance::scenario::load_str(&text, "n.toml").unwrap_err();
    assert!(e.to_string().contains("round it to 2 or 3"), "{e}");
}
