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

/// `quota_per_day = 600` at a port of two servers that serve 40 people a day is warned of by
/// `validate` (text and `--json`, at the port's quota, with a hint naming the 40), once for the
/// port though two routes reach it, in a run's warnings and summary.json; `--deny-warnings`
/// refuses it; a quota the servers can serve is not warned of. (Only `explain` had said it.)
#[test]
fn a_quota_its_servers_cannot_serve_is_a_warning_at_the_quota() {
    let dir = tempfile::tempdir().unwrap();
    let text = scenario("quota_per_day = 600", "fifo");
    let over = write(dir.path(), "over.toml", &text);
    let line = text
        .lines()
        .position(|l| l.starts_with("quota_per_day"))
        .unwrap()
        + 1;
    let (out, _, code) = output(&["validate", &over]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("with 1 warning\n"), "{out}");
    assert!(
        out.contains(&format!(
            "over.toml:{line}:1: port[P].quota_per_day: {OVER}\n"
        )),
        "{out}"
    );
    let (json, _, _) = output(&["validate", "--json", &over]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{json}");
    let w = &diags[0];
    assert_eq!(w["severity"], "warning");
    assert_eq!(w["key"], "port[P].quota_per_day");
    assert_eq!(w["line"], line as u64);
    assert_eq!(w["message"], OVER);
    assert_eq!(
        w["hint"],
        "its servers serve about 40 people a day: more servers (`port[P].servers`) or longer \
         hours (`port[P].hours`), or a quota_per_day of about 40, would make the two agree"
    );
    let (_, err, code) = output(&["validate", "--deny-warnings", &over]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("1 warning (--deny-warnings)"), "{err}");
    // a run's warnings and summary.json's
    let out_dir = dir.path().join("out");
    let (_, err, code) = output(&[
        "run",
        &over,
        "--replications",
        "2",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(err.matches(OVER).count(), 1, "{err}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("summary.json")).unwrap())
            .unwrap();
    let said: Vec<&str> = summary["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w.as_str())
        .filter(|w| w.contains(OVER))
        .collect();
    assert_eq!(said.len(), 1, "{summary}");
    // 40 a day is what its servers serve: no warning
    let fits = write(
        dir.path(),
        "fits.toml",
        &scenario("quota_per_day = 40", "fifo"),
    );
    let (out, _, _) = output(&["validate", &fits]);
    assert_eq!(out, format!("ok: {fits} (q)\n"));
}

/// Under `appointment` the quota counts boardings: the warning says so in the words of
/// `explain`'s note on the same port, which says it too.
#[test]
fn under_appointment_the_warning_and_explain_say_the_quota_counts_boardings() {
    let dir = tempfile::tempdir().unwrap();
    let over = write(
        dir.path(),
        "over.toml",
        &scenario("quota_per_day = 600", "appointment"),
    );
    let boardings = "Under appointment the quota counts boardings: buses bring up to 600 \
                     people a day toward it, and those its servers cannot serve that day wait at \
                     it for later days";
    let (out, _, _) = output(&["validate", &over]);
    assert!(
        out.contains(&format!("port[P].quota_per_day: {OVER}. {boardings}\n")),
        "{out}"
    );
    let (out, _, code) = output(&["explain", &over]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains(&format!(
            "Note: Port P's quota of 600 a day is more than its servers serve: 2 servers in its \
             opening hours serve about 40 people a day (about 40 groups at 30min mean service), \
             so its capacity shows that. {boardings}. More servers"
        )),
        "{out}"
    );
    // under fifo neither says it
    let fifo = write(
        dir.path(),
        "fifo.toml",
        &scenario("quota_per_day = 600", "fifo"),
    );
    let (out, _, _) = output(&["explain", &fifo]);
    assert!(
        out.contains("so its capacity shows that. More servers"),
        "{out}"
    );
    assert!(!out.contains("Under appointment the quota counts"), "{out}");
}

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

/// In a sweep file, each point at which no run can clear is a note placed at the sweep file's
/// line of the value that takes the capacity away (its factor's key), with the lever as its
/// hint; a scenario's note about every origin has the lever as its hint too.
#[test]
fn a_sweeps_point_notes_are_placed_at_its_value_with_the_lever() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "base.toml",
        &scenario("quota_per_day = 40", "fifo"),
    );
    let sweep = write(
        dir.path(),
        "sweep.toml",
        "[sweep]\nscenario = \"base.toml\"\n\"backlog.people\" = [100, 200]\n\
         \"port[P].servers\" = [0, 2]\n",
    );
    let (json, _, code) = output(&["validate", "--json", &sweep]);
    assert_eq!(code, Some(0), "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let notes = v["files"][0]["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 3, "{json}");
    assert_eq!(notes[0]["line"], serde_json::Value::Null);
    let lever = "give servers above 0 for port \"P\", or add a route from A and B to a port \
                 with capacity";
    for (n, people) in notes[1..].iter().zip([100, 200]) {
        assert_eq!(
            n["message"],
            format!(
                "at backlog.people={people}, port[P].servers=0, no run can clear: nobody can \
                 ever be processed"
            )
        );
        assert_eq!(n["severity"], "note");
        assert_eq!(n["file"], sweep.as_str());
        assert_eq!(
            (n["line"].as_u64(), n["column"].as_u64()),
            (Some(4), Some(1))
        );
        assert_eq!(n["key"], "port[P].servers");
        assert_eq!(n["hint"], lever);
    }
    // the first factor when no factor's key takes the capacity away
    let closed = write(
        dir.path(),
        "closed.toml",
        &scenario("quota_per_day = 40", "fifo").replace("servers = 2", "servers = 0"),
    );
    let sweep = write(
        dir.path(),
        "people.toml",
        "[sweep]\nscenario = \"closed.toml\"\n\n\"backlog.people\" = [100, 200]\n",
    );
    let (json, _, _) = output(&["validate", "--json", &sweep]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let n = &v["files"][0]["notes"][1];
    assert_eq!(
        (n["line"].as_u64(), n["key"].as_str()),
        (Some(4), Some("backlog.people"))
    );
    assert_eq!(n["hint"], lever);
    // the scenario's own note: about the whole file, with the lever
    let (json, _, _) = output(&["validate", "--json", &closed]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let n = &v["files"][0]["notes"][0];
    assert_eq!(
        n["message"],
        "no run can clear: nobody can ever be processed"
    );
    assert_eq!((n["line"].as_u64(), n["key"].as_str()), (None, None));
    assert_eq!(n["hint"], lever);
}
