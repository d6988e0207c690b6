//! Loading scenarios: every bundled scenario loads; every kind of broken scenario is refused with
//! diagnostics that name the file and the key path or line, and all errors of a file are reported.

use clearance::scenario::{load_file, load_str, ScenarioError, ScenarioErrorKind};
use std::path::{Path, PathBuf};

const VALID: &str = r#"
[scenario]
name = "test"
start_date = "2021-02-19"
horizon = "365d"

[backlog]
people = 1000
group_size = { dist = "empirical", values = [1, 2, 3], weights = [0.5, 0.3, 0.2] }

[[origin]]
name = "Tijuana"
share = 0.6

[[origin]]
name = "Matamoros"
share = 0.4

[registration]
delay = { dist = "exponential", mean = "20d" }
never = 0.05

[screening]
servers = 10
service = { dist = "exponential", mean = "15min" }
hours = ["08:00", "18:00"]

[health]
turnaround = "1d"
positive = 0.04
isolation = "10d"

[dispatch]
policy = "appointment"

[[route]]
from = "Tijuana"
to = "San Ysidro"
departures = ["12:00", "07:00"]
seats = 50
travel = { dist = "triangular", min = "1h", mode = "2h", max = "4h" }

[[route]]
from = "Matamoros"
to = "Brownsville"

[[port]]
name = "San Ysidro"
quota_per_day = 300
ramp = { from = 25, over = "14d" }
servers = 12
service = { dist = "lognormal", mean = "40min", sd = "15min" }
hours = ["08:00", "20:00"]
holding = 400

[[port]]
name = "Brownsville"
quota_per_day = 100
days = ["Mon", "Tue", "Wed", "Thu", "Fri"]
"#;

fn err(src: &str) -> ScenarioError {
    match load_str(src, "bad.toml") {
        Ok(_) => panic!("scenario accepted:\n{src}"),
        Err(e) => e,
    }
}

/// `VALID` with `old` replaced by `new` (which must occur).
fn with(old: &str, new: &str) -> String {
    assert!(VALID.contains(old), "{old:?} not in VALID");
    VALID.replacen(old, new, 1)
}

/// Assert some diagnostic has this key and a message containing `msg`; return it.
fn has(e: &ScenarioError, key: &str, msg: &str) -> clearance::scenario::Diagnostic {
    let d = e
        .diagnostics
        .iter()
        .find(|d| d.key.as_deref() == Some(key) && d.message.contains(msg));
    match d {
        Some(d) => {
            assert_eq!(d.file, "bad.toml");
            assert!(d.line.is_some(), "no line for {d:?}");
            d.clone()
        }
        None => panic!("no diagnostic {key:?} containing {msg:?} in:\n{e}"),
    }
}

fn line_of(src: &str, needle: &str) -> usize {
    src.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{needle:?} not found"))
}

fn bundled() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_bundled_scenario_loads() {
    let files = bundled();
    assert!(
        files.len() >= 6,
        "expected baseline + 5 variants, found {files:?}"
    );
    for f in &files {
        match load_file(f) {
            Ok(s) => {
                assert!(!s.name.is_empty());
                assert!(
                    s.warnings.is_empty(),
                    "{}: warnings {:?}",
                    f.display(),
                    s.warnings
                );
            }
            Err(e) => panic!("{} does not load:\n{e}", f.display()),
        }
    }
}

#[test]
fn baseline_is_the_announced_plan() {
    let s =
        load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml")).unwrap();
    assert_eq!(s.start_date.to_string(), "2021-02-19");
    assert_eq!(s.backlog.people, 25_000);
    assert!((s.group_size.mean() - 1.5).abs() < 0.01);
    assert_eq!(s.ports.len(), 3);
    let quotas: Vec<_> = s.ports.iter().map(|p| p.quota_per_day).collect();
    assert_eq!(quotas, vec![Some(300), Some(300), Some(100)]);
    assert_eq!(s.replications, 200);
}

#[test]
fn valid_scenario_resolves_defaults_and_names() {
    let s = load_str(VALID, "ok.toml").unwrap();
    assert_eq!(s.file, "ok.toml");
    assert_eq!(s.routes[0].name, "Tijuana->San Ysidro");
    assert_eq!(s.routes[1].port, 1);
    match &s.routes[0].departures {
        clearance::scenario::Departures::Scheduled(t) => {
            assert_eq!(t, &vec![7.0 / 24.0, 0.5]); // sorted
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        s.routes[1].departures,
        clearance::scenario::Departures::Continuous
    ));
    assert_eq!(s.seed, 1);
    assert_eq!(s.replications, 100);
    assert!(s.inflow.is_none());
    assert!((s.horizon - 365.0).abs() < 1e-12);
    assert!(!s.ports[1].schedule.days[5]); // Brownsville closed on Saturday
    assert_eq!(s.ports[1].schedule.start_weekday, 4); // 2021-02-19 was a Friday
}

#[test]
fn toml_syntax_error_names_file_and_line() {
    let src = with("servers = 12", "servers = = 12");
    let e = err(&src);
    assert_eq!(e.kind, ScenarioErrorKind::Invalid);
    let d = &e.diagnostics[0];
    assert_eq!(d.line, Some(line_of(&src, "servers = = 12")));
    assert!(d.message.contains("TOML syntax error"), "{d:?}");
    assert!(e.to_string().starts_with("error: bad.toml:"), "{e}");
}

#[test]
fn unknown_key_suggests_the_right_one() {
    let src = with("quota_per_day = 300", "quota_per_dya = 300");
    let e = err(&src);
    let d = has(
        &e,
        "port[San Ysidro].quota_per_dya",
        "unknown key \"quota_per_dya\"",
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean \"quota_per_day\"?"));
    assert_eq!(d.line, Some(line_of(&src, "quota_per_dya")));
    assert_eq!(d.column, Some(1));
    let shown = e.to_string();
    assert!(
        shown.contains("port[San Ysidro].quota_per_dya: unknown key \"quota_per_dya\"\n  hint: did you mean \"quota_per_day\"?"),
        "{shown}"
    );
    // unknown section, unknown key inside an inline table, key in the wrong section
    let e = err(&with("[dispatch]", "[dispath]"));
    let d = has(&e, "dispath", "unknown section");
    assert_eq!(d.hint.as_deref(), Some("did you mean \"dispatch\"?"));
    let e = err(&with(
        "ramp = { from = 25,",
        "ramp = { form = 25, from = 25,",
    ));
    has(&e, "port[San Ysidro].ramp.form", "unknown key");
    let e = err(&with("[backlog]", "[backlog]\nhorizon = \"3d\""));
    let d = has(&e, "backlog.horizon", "unknown key");
    assert!(d.hint.unwrap().contains("[scenario]"));
}

#[test]
fn wrong_type_is_reported_with_its_key() {
    let src = with("seats = 50", "seats = \"fifty\"");
    let e = err(&src);
    let d = has(&e, "route[1].seats", "expected a whole number");
    assert_eq!(d.line, Some(line_of(&src, "seats = \"fifty\"")));
    let e = err(&with("share = 0.6", "share = \"0.6\""));
    has(&e, "origin[Tijuana].share", "expected a number");
    let e = err(&with("name = \"test\"", "name = 5"));
    has(&e, "scenario.name", "expected a string");
    // no second "missing name" error for a name that was reported as wrong
    assert!(!e.to_string().contains("missing scenario name"), "{e}");
    let e = err(&with(
        "[[port]]\nname = \"Brownsville\"",
        "[port]\nname = \"Brownsville\"",
    ));
    assert!(
        e.to_string().contains("array of tables") || e.to_string().contains("syntax"),
        "{e}"
    );
}

/// A ramp's key of the wrong type is named by its own path, with the fix (`from = "25"`: write
/// 25 without quotes); it had been "ramp: expected a number, found a table". A ramp that is not
/// a table (`ramp = 100`, `ramp = [25, "14d"]`, which had been read in the fields' order) is
/// refused with the table to write, not serde's "expected struct RawRamp".
#[test]
fn a_ramp_of_the_wrong_type_says_which_key_and_how_to_write_it() {
    let ramp = "ramp = { from = 25, over = \"14d\" }";
    let e = err(&with(ramp, "ramp = { from = \"25\", over = \"14d\" }"));
    let d = has(
        &e,
        "port[San Ysidro].ramp.from",
        "expected a number, found the string \"25\"",
    );
    assert_eq!(d.hint.as_deref(), Some("write 25 without quotes"));
    assert_eq!(e.diagnostics.len(), 1, "{e}");
    for wrong in ["100", "[25, \"14d\"]", "[\"14d\", 25]"] {
        let e = err(&with(ramp, &format!("ramp = {wrong}")));
        let d = has(&e, "port[San Ysidro].ramp", "a ramp is a table, found ");
        assert_eq!(
            d.hint.as_deref(),
            Some(
                "write ramp = { from = 25, over = \"14d\" }: the quota on the opening day, and \
                 how long the ramp takes"
            ),
            "{wrong}"
        );
        assert_eq!(e.diagnostics.len(), 1, "{wrong}: {e}");
    }
    // The same by --set.
    use clearance::scenario::{load_file_with, parse_set};
    let set = [parse_set("port[1].ramp=100").unwrap()];
    let e = load_file_with(Path::new("tests/scenarios/minimal.toml"), &set).unwrap_err();
    let d = &e.diagnostics[0];
    assert_eq!(
        (d.file.as_str(), d.key.as_deref(), d.message.as_str()),
        (
            "--set",
            Some("port[San Ysidro].ramp"),
            "a ramp is a table, found the integer 100"
        ),
        "{e}"
    );
}

/// Hints that had pointed the wrong way: text without quotes had been told to close its quote;
/// a group size's table without `dist` had been shown an exponential (which group sizes refuse)
/// and its missing parameters durations; a Latin-1 file had been told only "not a UTF-8 text
/// file".
#[test]
fn hints_point_to_a_fix_that_works() {
    let e = err(&with("name = \"Tijuana\"", "name = Tijuana"));
    assert_eq!(
        e.diagnostics[0].hint.as_deref(),
        Some(
            "text is written in quotes: name = \"Tijuana\" (numbers, true/false and lists without)"
        ),
        "{e}"
    );
    // A key that takes a number is not told to quote a word (it would then be refused as
    // text); a duration written without quotes (`400d`, read as 400 and a stray `d`) is.
    let e = err(&with("people = 1000", "people = many"));
    assert_eq!(
        e.diagnostics[0].hint.as_deref(),
        Some("people takes a number, written in digits without quotes (e.g. people = 100)"),
        "{e}"
    );
    let e = err(&with("horizon = \"365d\"", "horizon = 400d"));
    assert!(
        e.diagnostics[0]
            .hint
            .as_deref()
            .is_some_and(|h| h == "a duration is text, written in quotes: horizon = \"400d\""),
        "{e}"
    );
    let sizes = "{ dist = \"empirical\", values = [1, 2, 3], weights = [0.5, 0.3, 0.2] }";
    let e = err(&with(
        "group_size = { dist = \"empirical\", ",
        "group_size = { ",
    ));
    let d = has(
        &e,
        "backlog.group_size",
        "a distribution table needs `dist`",
    );
    assert_eq!(
        d.hint,
        Some(format!(
            "write {sizes} (a group size is a whole number or this table)"
        ))
    );
    let e = err(&with(
        "values = [1, 2, 3], weights = [0.5, 0.3, 0.2] }",
        "values = [1, 2, 3] }",
    ));
    let d = has(&e, "backlog.group_size", "missing its parameter `weights`");
    assert_eq!(d.hint, Some(format!("write {sizes}")));
    // Followed, the hint validates.
    load_str(
        &with(
            "{ dist = \"empirical\", values = [1, 2, 3], weights = [0.5, 0.3, 0.2] }",
            sizes,
        ),
        "ok.toml",
    )
    .unwrap();
    let dir = std::env::temp_dir().join(format!("clearance-latin1-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("latin1.toml");
    std::fs::write(&p, b"[scenario]\nname = \"Ciudad Ju\xe1rez\"\n").unwrap();
    let text = load_file(&p).unwrap_err().to_string();
    assert!(
        text.contains(
            "not a UTF-8 text file (line 2 has the first byte that is not UTF-8, 0xE1): save it \
             as UTF-8"
        ),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A count written with letters after its digits (`people = 12k`) is told to write the number
/// in digits, not to quote it as a duration: followed, that hint had led to `people = "12k"`,
/// refused as text with no hint at all. The quoted form gets the same hint, a key that takes a
/// duration still the duration's, and text the quotes. Each hint, followed, validates.
#[test]
fn a_count_with_letters_is_told_to_write_digits() {
    let hint = |src: &str| err(src).diagnostics[0].hint.clone().unwrap_or_default();
    for (old, new, want, fixed) in [
        (
            "people = 1000",
            "people = 12k",
            "write the number in digits, without quotes: people = 12000 (12k is 12 thousand)",
            "people = 12000",
        ),
        (
            "people = 1000",
            "people = \"12k\"",
            "write the number in digits, without quotes: people = 12000 (12k is 12 thousand)",
            "people = 12000",
        ),
        (
            "people = 1000",
            "people = \"1.5 thousand\"",
            "write the number in digits, without quotes: people = 1500 (1.5 thousand is 1.5 \
             thousand)",
            "people = 1500",
        ),
        (
            "seats = 50",
            "seats = 55x",
            "write the number in digits alone, without quotes or letters: seats = 55",
            "seats = 55",
        ),
        (
            "servers = 10",
            "servers = 20staff",
            "write the number in digits alone, without quotes or letters: servers = 20",
            "servers = 20",
        ),
        (
            "quota_per_day = 300",
            "quota_per_day = 150pp",
            "write the number in digits alone, without quotes or letters: quota_per_day = 150",
            "quota_per_day = 150",
        ),
        (
            "quota_per_day = 300",
            "quota_per_day = \"150pp\"",
            "write the number in digits alone, without quotes or letters: quota_per_day = 150",
            "quota_per_day = 150",
        ),
        (
            "never = 0.05",
            "never = 5pc",
            "never takes a number, written in digits alone, without a unit or quotes (e.g. \
             never = 0.5)",
            "never = 0.5",
        ),
        (
            "horizon = \"365d\"",
            "horizon = 400d",
            "a duration is text, written in quotes: horizon = \"400d\"",
            "horizon = \"400d\"",
        ),
        (
            "name = \"Tijuana\"",
            "name = 12k",
            "text is written in quotes: name = \"12k\" (numbers, true/false and lists without)",
            "name = \"12k\"",
        ),
    ] {
        assert_eq!(hint(&with(old, new)), want, "{new}");
        if !fixed.contains("12k") {
            load_str(&with(old, fixed), "ok.toml").unwrap_or_else(|e| panic!("{fixed}: {e}"));
        }
    }
    // A scale that would give a part of a person is not guessed.
    assert_eq!(hint(&with("people = 1000", "people = \"1.2345k\"")), "");
}

/// Attrition given as a share a month (`hazard_per_month = 0.05`, `hazard_per_day = "5%"`,
/// `hazard_per_day = 0.05` meant as 5% a month) is given the rate per day to write,
/// −ln(1 − p)/30, not steered to 0.05 a day (30 times too high): the unknown key had been told
/// only "did you mean hazard_per_day?". Each rate given, written back, loads without warning.
#[test]
fn attrition_given_a_month_gets_the_rate_a_day() {
    let src = |line: &str| with("[dispatch]", &format!("[attrition]\n{line}\n\n[dispatch]"));
    let hint = |line: &str| {
        let e = err(&src(line));
        let d = has(
            &e,
            &format!("attrition.{}", line.split(' ').next().unwrap()),
            "",
        );
        d.hint.unwrap_or_default()
    };
    assert_eq!(
        hint("hazard_per_month = 0.05"),
        "attrition takes a rate per day, `hazard_per_day`: for 5% a month, write hazard_per_day \
         = 0.0017 (−ln(1 − 0.05)/30)"
    );
    assert_eq!(
        hint("hazard_per_year = 10"),
        "attrition takes a rate per day, `hazard_per_day`: if 10 means 10%, for 10% a year, \
         write hazard_per_day = 0.00029 (−ln(1 − 0.1)/365)"
    );
    assert_eq!(
        hint("hazard_per_week = \"2%\""),
        "attrition takes a rate per day, `hazard_per_day`: for 2% a week, write hazard_per_day \
         = 0.0029 (−ln(1 − 0.02)/7)"
    );
    assert_eq!(
        hint("hazard_per_month = true"),
        "attrition takes a rate per day, `hazard_per_day`: e.g. for 5% a month, write \
         hazard_per_day = 0.0017 (−ln(1 − 0.05)/30)"
    );
    assert!(
        hint("hazard_per_day = \"5%\"").ends_with(
            "(5% a day), not a percentage; for 5% a month, write hazard_per_day = 0.0017 \
             (−ln(1 − 0.05)/30)"
        ),
        "{}",
        hint("hazard_per_day = \"5%\"")
    );
    // Unquoted, as TOML cannot read it.
    let e = err(&src("hazard_per_day = 5%"));
    assert_eq!(
        e.diagnostics[0].hint.as_deref(),
        Some(
            "for 5% a day, write hazard_per_day = 0.05 (a rate per day, not a percentage); for \
             5% a month, write hazard_per_day = 0.0017 (−ln(1 − 0.05)/30)"
        )
    );
    // By --set too.
    use clearance::scenario::{load_file_with, parse_set};
    let set = [parse_set("attrition.hazard_per_month=0.05").unwrap()];
    let e = load_file_with(Path::new("tests/scenarios/minimal.toml"), &set).unwrap_err();
    assert!(
        e.diagnostics[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.ends_with("write hazard_per_day = 0.0017 (−ln(1 − 0.05)/30)")),
        "{e}"
    );
    // 0.05 a day is warned: 78% gone within 30 days, and the rate for 5% a month.
    let w = load_str(&src("hazard_per_day = 0.05"), "ok.toml")
        .unwrap()
        .warnings;
    assert!(
        w.iter().any(|w| w.contains(
            "attrition.hazard_per_day: hazard_per_day = 0.05: 78% of those not yet boarded drop \
             out within 30 days (it is a rate per day); for 5% a month, write hazard_per_day = \
             0.0017 (−ln(1 − 0.05)/30)"
        )),
        "{w:?}"
    );
    // The rates given load without the warning; just under 0.02 is not warned either.
    for h in ["0.0017", "0.00029", "0.0029", "0.0199"] {
        let w = load_str(&src(&format!("hazard_per_day = {h}")), "ok.toml")
            .unwrap()
            .warnings;
        assert!(
            !w.iter().any(|w| w.contains("drop out within")),
            "{h}: {w:?}"
        );
    }
}

/// Times of day written without quotes (`hours = [08:00, 16:00]`, which TOML cannot read) had
/// been given only the generic TOML hint; TOML times with seconds (`[08:00:00, 16:00:00]`, read
/// as "08:00:00") were told "HH:MM" as if the time were wrong. Both now get the quoted HH:MM to
/// write, and each hint, followed, validates.
#[test]
fn a_time_without_quotes_or_with_seconds_gets_hh_mm_in_quotes() {
    let old = "hours = [\"08:00\", \"18:00\"]";
    for (new, want) in [
        (
            "hours = [08:00, 18:00]",
            "a time of day is text, in quotes: write hours = [\"08:00\", \"18:00\"] (24-hour \
             \"HH:MM\")",
        ),
        (
            "hours = [8:00, 18:00]",
            "a time of day is text, in quotes: write hours = [\"8:00\", \"18:00\"] (24-hour \
             \"HH:MM\")",
        ),
        (
            "hours = 08:00-18:00",
            "a time of day is text, in quotes: write hours = [\"08:00\", \"18:00\"] (24-hour \
             \"HH:MM\")",
        ),
    ] {
        let e = err(&with(old, new));
        assert_eq!(e.diagnostics[0].hint.as_deref(), Some(want), "{new}: {e}");
        let fixed = want
            .split("write ")
            .nth(1)
            .unwrap()
            .split(" (24-hour")
            .next()
            .unwrap();
        load_str(&with(old, fixed), "ok.toml").unwrap_or_else(|e| panic!("{fixed}: {e}"));
    }
    let e = err(&with(
        "departures = [\"12:00\", \"07:00\"]",
        "departures = [12:00, \"07:00\"]",
    ));
    assert_eq!(
        e.diagnostics[0].hint.as_deref(),
        Some(
            "a time of day is text, in quotes: write departures = [\"12:00\", \"07:00\"] \
             (24-hour \"HH:MM\")"
        ),
        "{e}"
    );
    // TOML times with seconds, and the same quoted.
    for new in [
        "hours = [08:00:00, 18:00:30]",
        "hours = [\"08:00:00\", \"18:00:30\"]",
    ] {
        let e = err(&with(old, new));
        let d = has(
            &e,
            "screening.hours[1]",
            "\"08:00:00\" is not a time of day in HH:MM: it has seconds",
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("write \"08:00\" (in quotes, without seconds)")
        );
        let d = has(&e, "screening.hours[2]", "\"18:00:30\" is not a time");
        assert_eq!(
            d.hint.as_deref(),
            Some("write \"18:00\" (in quotes, without seconds; times are to the minute)")
        );
    }
}

/// Shares off 1 by a rounding are given shares that sum to 1, and equal shares the decimals of
/// 1/n that are close enough (0.333333 three times is refused: the sum may differ from 1 by at
/// most 0.000001). Each suggestion, written back, validates.
#[test]
fn shares_that_do_not_sum_to_1_are_given_shares_that_do() {
    let src = with("share = 0.6", "share = 0.333").replace(
        "share = 0.4",
        "share = 0.333\n\n[[origin]]\nname = \"Juarez\"\nshare = 0.333",
    ) + "\n[[route]]\nfrom = \"Juarez\"\nto = \"Brownsville\"\n";
    let e = err(&src);
    let d = has(&e, "origin", "the origin shares sum to 0.999");
    assert_eq!(
        d.hint.as_deref(),
        Some(
            "make the shares add up to 1 (to within 0.000001), e.g. 0.333, 0.333, 0.334; or give \
             each 1/3 to seven decimals, 0.3333333 (within 0.000001 of 1 in all)"
        )
    );
    let fixed = src.replacen("share = 0.333", "share = 0.334", 1);
    load_str(&fixed, "ok.toml").unwrap();
    load_str(
        &src.replace("share = 0.333", "share = 0.3333333"),
        "ok.toml",
    )
    .unwrap();
    assert!(load_str(&src.replace("share = 0.333", "share = 0.333333"), "x.toml").is_err());
    let e = err(&with("share = 0.4", "share = 0.45"));
    let d = has(&e, "origin", "sum to 1.05");
    assert_eq!(
        d.hint.as_deref(),
        Some("make the shares add up to 1 (to within 0.000001)")
    );
    let e = err(&with("share = 0.4", "share = 0.42"));
    let d = has(&e, "origin", "sum to 1.02");
    assert!(
        d.hint.as_deref().unwrap().ends_with("e.g. 0.58, 0.42"),
        "{e}"
    );
}

/// A table given whole by --set whose values are wrong (min above max, too few weights) is not
/// suggested back as the table to set: the hint had repeated the same broken table after "swap
/// them". A table that lacks a key still gets the whole table, which validates.
#[test]
fn a_set_table_that_is_wrong_is_not_suggested_back() {
    use clearance::scenario::{load_file_with, parse_set};
    let minimal = Path::new("tests/scenarios/minimal.toml");
    for s in [
        "health.turnaround={ dist = \"uniform\", min = \"2d\", max = \"1d\" }",
        "health.turnaround={ dist = \"triangular\", min = \"2d\", mode = \"1d\", max = \"3d\" }",
        "health.turnaround={ dist = \"empirical\", values = [\"1d\", \"2d\"], weights = [0.5] }",
    ] {
        let e = load_file_with(minimal, &[parse_set(s).unwrap()]).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!(d.key.as_deref(), Some("health.turnaround"), "{e}");
        let hint = d.hint.as_deref().unwrap_or_default();
        assert!(hint.starts_with("the value comes from --set"), "{hint}");
        assert!(!hint.contains("e.g."), "{s}: {hint}");
    }
    let e = load_file_with(
        minimal,
        &[parse_set("backlog.group_size={ values = [1, 2], weights = [0.5, 0.5] }").unwrap()],
    )
    .unwrap_err();
    let hint = e.diagnostics[0].hint.clone().unwrap_or_default();
    let fix = "backlog.group_size={ dist = \"empirical\", values = [1, 2], weights = [0.5, 0.5] }";
    assert!(hint.ends_with(&format!("e.g. --set '{fix}'")), "{hint}");
    load_file_with(minimal, &[parse_set(fix).unwrap()]).unwrap();
}

/// A list where one text is expected is named as such, with one text to write (a route's `to`:
/// one [[route]] per port); it had been told that every entry of the list must be a string, as
/// for `days`. Only the keys that take a list of texts get that.
#[test]
fn a_list_where_one_text_is_expected_says_so() {
    let e = err(&with(
        "to = \"San Ysidro\"",
        "to = [\"San Ysidro\", \"Brownsville\"]",
    ));
    let d = has(
        &e,
        "route[1].to",
        "expected one text (a port's name), found a list: a route goes from one origin to one \
         port, and these are 2 ports",
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("write one [[route]] per port, each with its own `to` (to = \"San Ysidro\" in the first)")
    );
    assert!(!e.to_string().contains("every entry"), "{e}");
    let e = err(&with(
        "from = \"Tijuana\"",
        "from = [\"Tijuana\", \"Matamoros\"]",
    ));
    has(
        &e,
        "route[1].from",
        "expected one text (an origin's name), found a list",
    );
    // (not also "origin Tijuana has no route": the route meant to leave it is the wrong one)
    assert_eq!(e.diagnostics.len(), 1, "{e}");
    let e = err(&with("name = \"test\"", "name = [\"test\"]"));
    let d = has(
        &e,
        "scenario.name",
        "expected one text (the scenario's name), found a list",
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("write name = \"test\", without brackets")
    );
    let e = err(&with(
        "policy = \"appointment\"",
        "policy = [\"appointment\"]",
    ));
    has(
        &e,
        "dispatch.policy",
        "expected one text (\"fifo\" or \"appointment\"), found a list",
    );
    let src = format!(
        "{VALID}\n[[disruption]]\nstage = [\"screening\"]\nfrom = \"3d\"\nuntil = \"5d\"\ncapacity = 0\n"
    );
    let d = has(
        &err(&src),
        "disruption[1].stage",
        "expected one text (\"screening\")",
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("write stage = \"screening\", without brackets")
    );
    // A list of texts with an entry that is not one.
    let e = err(&with("days = [\"Mon\", \"Tue\",", "days = [\"Mon\", 2,"));
    has(
        &e,
        "port[Brownsville].days",
        "entry 2 of the list is the integer 2: every entry must be a string in quotes, e.g. \
         [\"Mon\", \"Fri\"]",
    );
}

#[test]
fn negative_values_are_refused() {
    let e = err(&with("people = 1000", "people = -1000"));
    has(&e, "backlog.people", "negative");
    let e = err(&with("servers = 10", "servers = -1"));
    has(&e, "screening.servers", "negative");
    let e = err(&with("holding = 400", "holding = -400"));
    has(&e, "port[San Ysidro].holding", "negative");
    let e = err(&with(
        "[dispatch]",
        "[attrition]\nhazard_per_day = -0.1\n\n[dispatch]",
    ));
    has(&e, "attrition.hazard_per_day", "negative");
    let e = err(&with("turnaround = \"1d\"", "turnaround = \"-1d\""));
    has(&e, "health.turnaround", "negative");
}

#[test]
fn impossible_probabilities_are_refused() {
    let e = err(&with("never = 0.05", "never = 1.5"));
    has(&e, "registration.never", "not a probability");
    let e = err(&with("positive = 0.04", "positive = 1.0"));
    let d = has(&e, "health.positive", "isolate forever");
    assert!(d.hint.is_some());
}

#[test]
fn unknown_port_and_origin_get_the_closest_name() {
    let src = with("to = \"San Ysidro\"", "to = \"San Ysdro\"");
    let e = err(&src);
    let d = has(&e, "route[1].to", "unknown port \"San Ysdro\"");
    assert_eq!(d.hint.as_deref(), Some("did you mean \"San Ysidro\"?"));
    assert_eq!(d.line, Some(line_of(&src, "San Ysdro")));
    let e = err(&with("from = \"Matamoros\"", "from = \"Matamores\""));
    let d = has(&e, "route[2].from", "unknown origin \"Matamores\"");
    assert_eq!(d.hint.as_deref(), Some("did you mean \"Matamoros\"?"));
    // ...and the origin is now left without a route
    has(&e, "origin[Matamoros]", "has no route");
    let src = format!("{VALID}\n[[disruption]]\nports = [\"Brownsvile\"]\nfrom = \"3d\"\nuntil = \"5d\"\ncapacity = 0\n");
    let e = err(&src);
    let d = has(&e, "disruption[1].ports[1]", "unknown port");
    assert_eq!(d.hint.as_deref(), Some("did you mean \"Brownsville\"?"));
}

#[test]
fn shares_must_sum_to_one() {
    let e = err(&with("share = 0.4", "share = 0.3"));
    let d = has(&e, "origin", "sum to 0.9");
    assert!(d.message.contains("0.6 + 0.3"), "{d:?}");
}

#[test]
fn bad_durations_are_refused_with_a_hint() {
    let e = err(&with("horizon = \"365d\"", "horizon = \"5 days\""));
    let d = has(&e, "scenario.horizon", "unknown unit \"days\"");
    assert_eq!(d.hint.as_deref(), Some("write \"5d\""));
    let e = err(&with("horizon = \"365d\"", "horizon = \"20\""));
    let d = has(&e, "scenario.horizon", "no unit");
    assert!(d.hint.unwrap().contains("\"20h\", \"20d\""));
    let e = err(&with("horizon = \"365d\"", "horizon = 20"));
    let d = has(&e, "scenario.horizon", "no unit");
    assert!(d.hint.unwrap().contains("\"20h\", \"20d\""));
    let e = err(&with("mean = \"20d\"", "mean = 20"));
    has(&e, "registration.delay.mean", "no unit");
    let e = err(&with("horizon = \"365d\"", "horizon = \"40000d\""));
    has(&e, "scenario.horizon", "36,500");
    let e = err(&with(
        "hours = [\"08:00\", \"18:00\"]",
        "hours = [\"08:00\", \"8am\"]",
    ));
    has(&e, "screening.hours[2]", "not a time of day");
    // Years: in days.
    let e = err(&with("horizon = \"365d\"", "horizon = \"2y\""));
    let d = has(&e, "scenario.horizon", "unknown unit \"y\"");
    assert_eq!(
        d.hint.as_deref(),
        Some("the units are min, h, d and w: for 2 years of 365 days write \"730d\"")
    );
    // Months: in days of 30, said so (a phase "1 month" in had met the generic list alone).
    for (written, hint) in [
        ("1 month", "for 1 month of 30 days write \"30d\""),
        ("2 months", "for 2 months of 30 days write \"60d\""),
        ("1.5mo", "for 1.5 months of 30 days write \"45d\""),
    ] {
        let e = err(&with(
            "horizon = \"365d\"",
            &format!("horizon = \"{written}\""),
        ));
        let d = has(&e, "scenario.horizon", "unknown unit");
        assert_eq!(
            d.hint.as_deref(),
            Some(
                format!("the units are min, h, d and w, and months differ in length: {hint}")
                    .as_str()
            ),
            "{written}"
        );
    }
    // Several parts, or hours and minutes: one number and one unit, the sum given.
    for (written, message, hint) in [
        ("1d 2h", "has 2 parts", "write \"26h\""),
        ("2h30min", "has 2 parts", "write \"150min\""),
        ("1w 2d", "has 2 parts", "write \"9d\""),
        ("1:30", "is written as hours and minutes", "write \"90min\""),
    ] {
        let e = err(&with(
            "isolation = \"10d\"",
            &format!("isolation = \"{written}\""),
        ));
        let d = has(&e, "health.isolation", message);
        assert_eq!(
            d.hint.as_deref(),
            Some(format!("a duration is one number and one unit: {hint}").as_str())
        );
    }
}

#[test]
fn impossible_distributions_are_refused() {
    let src = with(
        "travel = { dist = \"triangular\", min = \"1h\", mode = \"2h\", max = \"4h\" }",
        "travel = { dist = \"uniform\", min = \"4h\", max = \"1h\" }",
    );
    let e = err(&src);
    has(&e, "route[1].travel", "larger than `max`");
    let e = err(&with("mean = \"40min\", sd", "mean = \"0min\", sd"));
    has(&e, "port[San Ysidro].service", "mean above zero");
    // a missing and an extra parameter, each named
    let e = err(&with("mean = \"20d\" }", "sd = \"20d\" }"));
    has(&e, "registration.delay", "missing its parameter `mean`");
    has(
        &e,
        "registration.delay.sd",
        "not a parameter of an exponential",
    );
    let e = err(&with(
        "dist = \"exponential\", mean = \"20d\"",
        "dist = \"exponental\", mean = \"20d\"",
    ));
    let d = has(&e, "registration.delay.dist", "unknown distribution");
    assert_eq!(d.hint.as_deref(), Some("did you mean \"exponential\"?"));
    let e = err(&with("weights = [0.5, 0.3, 0.2]", "weights = [0.5, 0.3]"));
    has(&e, "backlog.group_size", "one weight per value");
    let e = err(&with("values = [1, 2, 3]", "values = [0, 2, 3]"));
    has(&e, "backlog.group_size.values[1]", "at least 1 person");
}

#[test]
fn invalid_date_is_refused() {
    let src = with("start_date = \"2021-02-19\"", "start_date = \"2021-02-30\"");
    let e = err(&src);
    let d = has(&e, "scenario.start_date", "not a calendar date");
    assert_eq!(d.line, Some(line_of(&src, "2021-02-30")));
    let e = err(&with(
        "start_date = \"2021-02-19\"",
        "start_date = \"19/02/2021\"",
    ));
    has(&e, "scenario.start_date", "not a date");
}

#[test]
fn empty_file_reports_what_is_missing() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/empty.toml");
    let e = load_file(&p).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("empty.toml"), "{text}");
    assert!(text.contains("missing [scenario] table"), "{text}");
    assert!(text.contains("no [[origin]]"), "{text}");
    assert!(text.contains("no [[port]]"), "{text}");
    let e = load_str("   \n# only a comment\n", "c.toml").unwrap_err();
    assert!(e.to_string().contains("missing [scenario] table"));
}

#[test]
fn binary_garbage_is_a_clean_error() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/garbage.bin");
    let e = load_file(&p).unwrap_err();
    assert_eq!(e.kind, ScenarioErrorKind::Io);
    let text = e.to_string();
    assert!(text.contains("garbage.bin"), "{text}");
    assert!(text.contains("not a UTF-8 text file"), "{text}");
    // valid UTF-8 but not TOML, NUL bytes
    assert!(load_str("\u{1}\u{2}\u{3}ÿ€", "x.toml").is_err());
    assert!(load_str("[scenario]\0", "x.toml").is_err());
    let e = load_file(Path::new("does/not/exist.toml")).unwrap_err();
    assert_eq!(e.kind, ScenarioErrorKind::Io);
    assert!(
        e.to_string().contains("does/not/exist.toml: no such file"),
        "{e}"
    );
}

#[test]
fn nan_and_infinity_are_refused() {
    let e = err(&with("share = 0.6", "share = nan"));
    has(&e, "origin[Tijuana].share", "not a finite number");
    let e = err(&with("never = 0.05", "never = inf"));
    has(&e, "registration.never", "not a finite number");
    let src = format!("{VALID}\n[[disruption]]\nports = [\"Brownsville\"]\nfrom = \"3d\"\nuntil = \"5d\"\ncapacity = -inf\n");
    has(&err(&src), "disruption[1].capacity", "not a finite number");
    let e = err(&with("mean = \"20d\"", "mean = \"nand\""));
    has(
        &e,
        "registration.delay.mean",
        "does not start with a number",
    );
    let e = err(&with(
        "weights = [0.5, 0.3, 0.2]",
        "weights = [0.5, nan, 0.2]",
    ));
    has(&e, "backlog.group_size.weights[2]", "not a finite number");
}

#[test]
fn a_trillion_people_is_refused() {
    let e = err(&with("people = 1000", "people = 1000000000000"));
    has(&e, "backlog.people", "100,000,000");
    let e = err(&with("people = 1000", "people = 1e12"));
    has(&e, "backlog.people", "expected a whole number");
}

/// `until` before `from` names both times as written (`"3d"`, not `3 d`), with their length
/// where written in another unit (`"2w"` is 14 days, so not before `"14d"`), and how to fix it:
/// for a disruption and for the inflow; an inflow without `until` that starts after the horizon
/// is said to, at its `from`, not as an `until` the file does not write.
#[test]
fn until_before_from_names_the_times_as_written() {
    let disruption = |from: &str, until: &str| {
        format!(
            "{VALID}\n[[disruption]]\nports = [\"Brownsville\"]\nfrom = \"{from}\"\n\
             until = \"{until}\"\ncapacity = 0\n"
        )
    };
    let e = err(&disruption("5d", "3d"));
    let d = has(
        &e,
        "disruption[1].until",
        "`until` (\"3d\") is not after `from` (\"5d\")",
    );
    assert!(d.hint.unwrap().contains("give an `until` after `from`"));
    let e = err(&disruption("2w", "14d"));
    has(
        &e,
        "disruption[1].until",
        "`until` (\"14d\") is not after `from` (\"2w\", 14d)",
    );
    let inflow = |times: &str| format!("{VALID}\n[inflow]\nrate_per_day = 2\n{times}");
    let e = err(&inflow("from = \"5d\"\nuntil = \"3d\"\n"));
    let d = has(
        &e,
        "inflow.until",
        "`until` (\"3d\") is before `from` (\"5d\")",
    );
    assert!(d.hint.unwrap().contains("give an `until` after `from`"));
    let e = err(&inflow("from = \"10d\"\nuntil = \"1w\"\n"));
    has(
        &e,
        "inflow.until",
        "`until` (\"1w\", 7d) is before `from` (\"10d\")",
    );
    // 36h is written otherwise than its length (1.5d); 12h is not.
    let e = err(&inflow("from = \"36h\"\nuntil = \"12h\"\n"));
    has(
        &e,
        "inflow.until",
        "`until` (\"12h\") is before `from` (\"36h\", 1.5d)",
    );
    // No `until`: the inflow would end at the horizon (365 days), before its `from`.
    let e = err(&inflow("from = \"400d\"\n"));
    has(
        &e,
        "inflow.from",
        "`from` (\"400d\") is after the horizon (\"365d\"), where an inflow without `until` ends",
    );
    assert!(!e.to_string().contains("inflow.until"), "{e}");
}

/// An `until` written as the length of a disruption or an inflow (`from = "31d"`, `until =
/// "7d"` for a week's closure) is said to be a time counted from the start, with the `until`
/// that ends the length after `from`: "swap them" alone would close the port from day 7 to
/// day 31. A missing `until` is given an example a week after the disruption's own `from`.
#[test]
fn an_until_written_as_a_length_is_given_its_end_time() {
    let disruption = |times: &str| {
        format!("{VALID}\n[[disruption]]\nports = [\"Brownsville\"]\n{times}capacity = 0\n")
    };
    let e = err(&disruption("from = \"31d\"\nuntil = \"7d\"\n"));
    let d = has(&e, "disruption[1].until", "is not after `from`");
    let hint = d.hint.unwrap();
    assert!(
        hint.contains(
            "not how long the disruption lasts: for 7d from `from`, write until = \"38d\""
        ),
        "{hint}"
    );
    assert!(hint.contains("give an `until` after `from`"), "{hint}");
    let e = err(&disruption("from = \"2w\"\nuntil = \"36h\"\n"));
    let hint = has(&e, "disruption[1].until", "is not after `from`")
        .hint
        .unwrap();
    assert!(
        hint.contains("for 1.5d from `from`, write until = \"15.5d\""),
        "{hint}"
    );
    // Equal times are no length: the swap alone, as before.
    let e = err(&disruption("from = \"5d\"\nuntil = \"5d\"\n"));
    let hint = has(&e, "disruption[1].until", "is not after `from`")
        .hint
        .unwrap();
    assert!(!hint.contains("write until"), "{hint}");
    // No until: an example after this disruption's own from (not a fixed "37d").
    let e = err(&disruption("from = \"40d\"\n"));
    let hint = has(&e, "disruption[1].until", "missing `until`")
        .hint
        .unwrap();
    assert!(hint.starts_with("write until = \"47d\""), "{hint}");
    let e = err(&format!(
        "{VALID}\n[inflow]\nrate_per_day = 2\nfrom = \"60d\"\nuntil = \"2w\"\n"
    ));
    let hint = has(&e, "inflow.until", "is before `from`").hint.unwrap();
    assert!(
        hint.contains("not how long the inflow lasts: for 14d from `from`, write until = \"74d\""),
        "{hint}"
    );
}

/// A start date in another format is given in `YYYY-MM-DD` where the text says which day it is,
/// and in both readings where day and month could be either.
#[test]
fn a_start_date_in_another_format_is_given_in_the_right_one() {
    let date = |s: &str| {
        with(
            "start_date = \"2021-02-19\"",
            &format!("start_date = \"{s}\""),
        )
    };
    let e = err(&date("2021-2-19"));
    let d = has(&e, "scenario.start_date", "\"2021-2-19\" is not a date");
    assert_eq!(d.hint.as_deref(), Some("write \"2021-02-19\" (YYYY-MM-DD)"));
    let e = err(&date("19 February 2021"));
    let d = has(&e, "scenario.start_date", "is not a date");
    assert_eq!(d.hint.as_deref(), Some("write \"2021-02-19\" (YYYY-MM-DD)"));
    let e = err(&date("01/03/2021"));
    let d = has(&e, "scenario.start_date", "is not a date");
    assert_eq!(
        d.hint.as_deref(),
        Some(
            "write \"YYYY-MM-DD\": \"2021-03-01\" if 01/03/2021 is day/month/year, \
             \"2021-01-03\" if it is month/day/year"
        )
    );
}

#[test]
fn a_disruption_capacity_in_words_is_told_the_factor() {
    // "closed" for a closure (a planner's word for capacity = 0) had no hint at all.
    for (word, factor) in [
        ("closed", "0"),
        ("Shut", "0"),
        ("half", "0.5"),
        ("open", "1"),
    ] {
        let src = format!(
            "{VALID}\n[[disruption]]\nports = [\"Brownsville\"]\nfrom = \"3d\"\nuntil = \"5d\"\ncapacity = \"{word}\"\n"
        );
        let e = err(&src);
        let d = has(&e, "disruption[1].capacity", "expected a number");
        assert_eq!(
            d.hint.as_deref(),
            Some(
                format!(
                    "write {factor} without quotes: capacity is the factor the capacity is \
                     multiplied by (0 closes it, 0.5 halves it)"
                )
                .as_str()
            ),
            "{word}"
        );
    }
    // A word that is no capacity gets no guess.
    let src = format!(
        "{VALID}\n[[disruption]]\nports = [\"Brownsville\"]\nfrom = \"3d\"\nuntil = \"5d\"\ncapacity = \"strike\"\n"
    );
    let d = has(&err(&src), "disruption[1].capacity", "expected a number");
    assert_eq!(d.hint, None);
}

#[test]
fn disruption_and_schedule_rules() {
    let src = format!("{VALID}\n[[disruption]]\nports = [\"Brownsville\"]\nfrom = \"5d\"\nuntil = \"3d\"\ncapacity = 0\n");
    has(&err(&src), "disruption[1].until", "not after `from`");
    let src = format!("{VALID}\n[[disruption]]\nfrom = \"3d\"\nuntil = \"5d\"\ncapacity = 0\n");
    has(&err(&src), "disruption[1]", "affects nothing");
    let e = err(&with(
        "departures = [\"12:00\", \"07:00\"]",
        "departures = [\"12:00\", \"12:00\"]",
    ));
    has(&e, "route[1].departures[2]", "listed twice");
    let e = err(&with(
        "hours = [\"08:00\", \"20:00\"]",
        "hours = [\"08:00\", \"08:00\"]",
    ));
    has(&e, "port[San Ysidro].hours", "equal");
    let e = err(&with("\"Thu\", \"Fri\"]", "\"Thurs\", \"Fri\"]"));
    let d = has(&e, "port[Brownsville].days[4]", "not a weekday");
    assert_eq!(d.hint.as_deref(), Some("did you mean \"Thu\"?"));
    let e = err(&with("quota_per_day = 300\n", ""));
    has(&e, "port[San Ysidro].ramp", "needs `quota_per_day`");
    let e = err(&with("over = \"14d\"", "over = \"0d\""));
    has(&e, "port[San Ysidro].ramp.over", "longer than 0");
    let e = err(&with(
        "horizon = \"365d\"",
        "horizon = \"365d\"\nreplications = 0",
    ));
    has(&e, "scenario.replications", "between 1 and 1,000,000");
}

#[test]
fn dates_and_decorated_numbers_get_the_value_to_write() {
    // A calendar date where a time since the start is expected: the time (start 2021-02-19).
    let e = err(&with(
        "name = \"Brownsville\"\n",
        "name = \"Brownsville\"\nopens = \"2021-03-01\"\n",
    ));
    let d = has(
        &e,
        "port[Brownsville].opens",
        "\"2021-03-01\" is a calendar date, not a duration",
    );
    assert_eq!(
        d.hint.as_deref(),
        Some(
            "times count from scenario.start_date (2021-02-19): 2021-03-01 is \"10d\" (00:00 of \
             2021-03-01)"
        )
    );
    // A date in a planner's own form, day first or month first, is read as the date it can
    // only be, and said as such; one that could be either gets both readings.
    let e = err(&with(
        "name = \"Brownsville\"\n",
        "name = \"Brownsville\"\nopens = \"15/04/2021\"\n",
    ));
    let d = has(
        &e,
        "port[Brownsville].opens",
        "\"15/04/2021\" is a calendar date, not a duration",
    );
    assert_eq!(
        d.hint.as_deref(),
        Some(
            "read as 2021-04-15: times count from \
             scenario.start_date (2021-02-19): 2021-04-15 is \"55d\" (00:00 of 2021-04-15)"
        )
    );
    let e = err(&with(
        "name = \"Brownsville\"\n",
        "name = \"Brownsville\"\nopens = \"04.03.2021\"\n",
    ));
    let d = has(&e, "port[Brownsville].opens", "is a calendar date");
    assert_eq!(
        d.hint.as_deref(),
        Some(
            "day/month/year, read as 2021-03-04: times count from \
             scenario.start_date (2021-02-19): 2021-03-04 is \"13d\" (00:00 of 2021-03-04); \
             month/day/year, read as 2021-04-03: times count from \
             scenario.start_date (2021-02-19): 2021-04-03 is \"43d\" (00:00 of 2021-04-03)"
        )
    );
    // Numbers written with a unit, a percent sign or separators.
    let e = err(&with("quota_per_day = 300", "quota_per_day = \"300/day\""));
    let d = has(
        &e,
        "port[San Ysidro].quota_per_day",
        "expected a whole number",
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("write 300 without quotes (it is in people/day already)")
    );
    let e = err(&with("never = 0.05", "never = \"10%\""));
    let d = has(&e, "registration.never", "expected a number");
    assert_eq!(
        d.hint.as_deref(),
        Some("write 0.1 without quotes: a probability from 0 to 1, not a percentage")
    );
    // No guess where the text is not plainly a number: another unit, a decimal comma, an
    // exponent cut short, a percentage for a count.
    for (key, bad) in [
        ("quota_per_day = 300", "quota_per_day = \"2100/week\""),
        ("quota_per_day = 300", "quota_per_day = \"1,5\""),
        ("people = 1000", "people = \"25.000\""),
        ("people = 1000", "people = \"0.7%\""),
        ("never = 0.05", "never = \"150%\""),
        ("people = 1000", "people = \"-5\""),
    ] {
        let e = err(&with(key, bad));
        let d = e
            .diagnostics
            .iter()
            .find(|d| d.message.contains("found the string"));
        assert_eq!(d.map(|d| d.hint.clone()), Some(None), "{bad}: {e}");
    }
    // A date written for a length is not turned into a time since the start.
    let e = err(&with("isolation = \"10d\"", "isolation = \"2021-03-01\""));
    let d = has(&e, "health.isolation", "is a calendar date");
    assert!(d
        .hint
        .as_deref()
        .unwrap()
        .starts_with("isolation is a length of time"));
    let e = err(&with("people = 1000", "people = \"25,000\""));
    let d = has(&e, "backlog.people", "expected a whole number");
    assert!(d
        .hint
        .as_deref()
        .unwrap()
        .starts_with("write 25000 without"));
}

/// A decimal number where a whole number is due, written with a point between its thousands
/// (`people = 25.000`, as many European countries write twenty-five thousand), gets the whole
/// number to write beside the fix for a decimal point; only that shape does (2.5 and 25.0 are
/// not thousands). In a base file (`extends`) too, and in an element's key.
#[test]
fn a_point_between_thousands_gets_the_whole_number_to_write() {
    let e = err(&with("people = 1000", "people = 25.000"));
    let d = has(
        &e,
        "backlog.people",
        "found the decimal number 25.0; write it without a decimal point or exponent: 25",
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("if 25.000 means 25000, with a point between the thousands, write 25000 or 25_000")
    );
    // 1.250 is 1.25 to TOML: no whole number to give, but the thousands' one.
    let e = err(&with("quota_per_day = 300", "quota_per_day = 1.250"));
    let d = has(
        &e,
        "port[San Ysidro].quota_per_day",
        "found the decimal number 1.25",
    );
    assert!(
        d.hint.as_deref().unwrap().contains("write 1250 or 1_250"),
        "{e}"
    );
    for other in ["2.5", "25.0", "25.00", "0.500", "2500.000", "1e3"] {
        let e = err(&with("people = 1000", &format!("people = {other}")));
        let d = has(&e, "backlog.people", "expected a whole number");
        assert_eq!(d.hint, None, "{other}: {e}");
    }
    // Written in a base file: the hint, at the base's line.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("base.toml"),
        with("people = 1000", "people = 25.000"),
    )
    .unwrap();
    let child = dir.path().join("child.toml");
    std::fs::write(
        &child,
        "extends = \"base.toml\"\n[scenario]\nname = \"c\"\n",
    )
    .unwrap();
    let e = load_file(&child).unwrap_err();
    let d = e
        .diagnostics
        .iter()
        .find(|d| d.key.as_deref() == Some("backlog.people"))
        .unwrap_or_else(|| panic!("{e}"));
    assert!(d.file.ends_with("base.toml"), "{e}");
    assert!(
        d.hint.as_deref().unwrap().contains("write 25000 or 25_000"),
        "{e}"
    );
}

#[test]
fn warnings_do_not_block_loading() {
    let s = load_str(&with("quota_per_day = 100\n", ""), "w.toml").unwrap();
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("neither servers nor quota_per_day")),
        "{:?}",
        s.warnings
    );
    let s = load_str(&with("holding = 400", "holding = 2"), "w.toml").unwrap();
    assert!(s
        .warnings
        .iter()
        .any(|w| w.contains("holding (2) is smaller than the largest group (3)")));
    let s = load_str(&with("servers = 12", "servers = 0"), "w.toml").unwrap();
    assert!(s.warnings.iter().any(|w| w.contains("servers = 0")));
    // A disruption that starts after the horizon changes nothing: said, as for ports and phases.
    let closure = |from: &str| {
        let text = format!(
            "{}\n[[disruption]]\nports = [\"Brownsville\"]\nfrom = \"{from}\"\nuntil = \"400d\"\ncapacity = 0\n",
            VALID
        );
        load_str(&text, "w.toml").unwrap().warnings
    };
    let w = closure("370d");
    assert!(
        w.iter().any(|w| w.contains("disruption[1].from")
            && w.contains(
                "the disruption starts at `from` (\"370d\"), after the horizon (\"365d\"): it \
                 changes nothing"
            )),
        "{w:?}"
    );
    let w = closure("300d");
    assert!(!w.iter().any(|w| w.contains("after the horizon")), "{w:?}");
    // A closure from inside the run past its end: nothing passes the port after it starts
    // (said on `until`); one that ends within the run, or reopens at the horizon's edge with
    // a factor above 0, is not.
    assert!(
        w.iter().any(|w| w.contains("disruption[1].until")
            && w.contains(
                "the disruption closes what it names from `from` (\"300d\") to the end of the run \
                 (`until` \"400d\", the horizon \"365d\"): nothing passes it after that"
            )),
        "{w:?}"
    );
    let ends = format!(
        "{VALID}\n[[disruption]]\nports = [\"Brownsville\"]\nfrom = \"300d\"\nuntil = \"360d\"\ncapacity = 0\n"
    );
    let halved = format!(
        "{VALID}\n[[disruption]]\nports = [\"Brownsville\"]\nfrom = \"300d\"\nuntil = \"400d\"\ncapacity = 0.5\n"
    );
    for text in [ends, halved] {
        let w = load_str(&text, "w.toml").unwrap().warnings;
        assert!(
            !w.iter().any(|w| w.contains("to the end of the run")),
            "{w:?}"
        );
    }
    // A quota ramped down to 0 (San Ysidro's ramp starts at 25, over 14 days): the port takes
    // nobody once the ramp ends, said on the ramp; a ramp down to a quota above 0 only ramps
    // down.
    let ramp = |quota: u32| {
        let text = with(
            "quota_per_day = 300\n",
            &format!("quota_per_day = {quota}\n"),
        );
        load_str(&text, "w.toml").unwrap().warnings
    };
    let w = ramp(0);
    assert!(
        w.iter().any(|w| w.contains(
            "ramp.from (25) is above quota_per_day (0): the quota ramps down to 0, so from 14 \
             days after it opens the port takes nobody"
        )),
        "{w:?}"
    );
    // ... and it is not also said that the largest groups never fit: they fit while the ramp
    // lasts (the ramp's warning says until when).
    assert!(!w.iter().any(|w| w.contains("never fit")), "{w:?}");
    let w = ramp(10);
    assert!(
        w.iter().any(
            |w| w.ends_with("ramp.from (25) is above quota_per_day (10): the quota ramps down")
        ),
        "{w:?}"
    );
    // Down to a quota below the largest group (3 in this scenario): they fit until the ramp
    // brings the quota below it.
    let w = ramp(2);
    assert!(
        w.iter().any(|w| w.ends_with(
            "quota_per_day (2) is smaller than the largest group (3): once the ramp down from 25 \
             brings the quota below 3, such groups never fit"
        )),
        "{w:?}"
    );
    // A port or a phase that opens at or after the horizon: said with the times as written.
    let s = load_str(
        &with(
            "name = \"Brownsville\"\n",
            "name = \"Brownsville\"\nopens = \"53w\"\n",
        ),
        "w.toml",
    )
    .unwrap();
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("port[Brownsville].opens")
                && w.contains(
                    "port Brownsville never opens within the horizon: `opens` (\"53w\", 371d) is \
                     after the horizon (\"365d\"); it never serves, so nobody passes it"
                )),
        "{:?}",
        s.warnings
    );
    let phase = |opens: &str| {
        let text =
            format!("{VALID}\n[[phase]]\nname = \"late\"\npeople = 100\nopens = \"{opens}\"\n");
        load_str(&text, "w.toml").unwrap().warnings
    };
    let w = phase("365d");
    assert!(
        w.iter().any(|w| w.contains(
            "the phase opens at `opens` (\"365d\"), at the horizon (\"365d\"): it never starts"
        )),
        "{w:?}"
    );
    let w = phase("364d");
    assert!(!w.iter().any(|w| w.contains("never starts")), "{w:?}");
    // Times as written, with their length when written in another unit; a horizon left to its
    // default, as its length.
    let w = closure("53w");
    assert!(
        w.iter()
            .any(|w| w.contains("starts at `from` (\"53w\", 371d), after the horizon (\"365d\")")),
        "{w:?}"
    );
    let text = format!(
        "{}\n[[disruption]]\nports = [\"Brownsville\"]\nfrom = \"4000d\"\nuntil = \"4001d\"\ncapacity = 0\n",
        VALID.replace("horizon = \"365d\"\n", "")
    );
    let w = load_str(&text, "w.toml").unwrap().warnings;
    assert!(
        w.iter()
            .any(|w| w.contains("starts at `from` (\"4000d\"), after the horizon (3650d)")),
        "{w:?}"
    );
    // An inflow without `until` keeps every replication running to the horizon.
    let endless = |until: &str| {
        let text = format!("{}\n[inflow]\nrate_per_day = 8\n{until}", with("", ""));
        load_str(&text, "w.toml").unwrap().warnings
    };
    let w = endless("");
    assert!(
        w.iter().any(|w| w.contains("the inflow has no `until`")
            && w.contains("lasts to the horizon (\"365d\")")),
        "{w:?}"
    );
    assert!(endless("until = \"120d\"\n").is_empty());
    // Under fifo, buses run to a port before it opens.
    let late = with(
        "name = \"Brownsville\"\n",
        "name = \"Brownsville\"\nopens = \"5d\"\n",
    );
    let fifo = late.replace("policy = \"appointment\"", "policy = \"fifo\"");
    let w = load_str(&fifo, "w.toml").unwrap().warnings;
    assert!(
        w.iter().any(|w| w.contains(
            "the continuous route Matamoros->Brownsville takes each group to Brownsville as \
             soon as it is ready, also before the port opens (day 5)"
        )),
        "{w:?}"
    );
    assert!(load_str(&late, "w.toml").unwrap().warnings.is_empty());
}

#[test]
fn every_error_in_a_file_is_reported() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/many-errors.toml");
    let e = load_file(&p).unwrap_err();
    let text = e.to_string();
    eprintln!("{text}");
    let keys: Vec<&str> = e
        .diagnostics
        .iter()
        .filter_map(|d| d.key.as_deref())
        .collect();
    for k in [
        "scenario.horizon",
        "backlog.people",
        "origin",
        "registration.never",
        "route[1].to",
        "port[San Ysidro].quota_per_dya",
    ] {
        assert!(keys.contains(&k), "{k} missing in:\n{text}");
    }
    assert!(e.diagnostics.len() >= 6);
    // unknown keys and sections first (often the cause of the rest), then the others, each
    // in file order; every line naming the file
    let unknown = e
        .diagnostics
        .iter()
        .take_while(|d| d.is_unknown_name())
        .count();
    assert!(unknown >= 1, "{text}");
    assert!(
        e.diagnostics[unknown..]
            .iter()
            .all(|d| !d.is_unknown_name()),
        "{text}"
    );
    for part in [&e.diagnostics[..unknown], &e.diagnostics[unknown..]] {
        let lines: Vec<usize> = part.iter().filter_map(|d| d.line).collect();
        assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
    }
    for l in text.lines().filter(|l| l.starts_with("error")) {
        assert!(l.contains("many-errors.toml:"), "{l}");
    }
    // several type errors in the same section are all reported, too
    let e = err(&with("servers = 12", "servers = \"x\"\nholding_x = 1")
        .replace("holding = 400", "holding = true"));
    has(&e, "port[San Ysidro].servers", "expected a whole number");
    has(&e, "port[San Ysidro].holding", "expected a whole number");
    has(&e, "port[San Ysidro].holding_x", "unknown key");
}

#[test]
fn minimal_file_uses_the_defaults() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/minimal.toml");
    let s = load_file(&p).unwrap();
    assert_eq!(s.origins[0].share, 1.0);
    assert_eq!(s.start_date.to_string(), "2021-01-01");
    assert!((s.horizon - 3650.0).abs() < 1e-12);
    assert!(s.screening.is_none() && s.health.is_none());
    assert_eq!(s.ports[0].servers, None);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

mod no_panic {
    use super::VALID;
    use clearance::scenario::load_str;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
            let _ = load_str(&s, "fuzz.toml");
        }

        /// Cut a slice out of a valid scenario and splice in arbitrary text: whatever results,
        /// the loader returns Ok or Err, never panics.
        #[test]
        fn mutated_valid_scenario_never_panics(
            a in 0usize..2000, len in 0usize..40, ins in "[ -~\n]{0,20}"
        ) {
            let mut s = VALID.to_string();
            let a = a.min(s.len());
            let b = (a + len).min(s.len());
            if s.is_char_boundary(a) && s.is_char_boundary(b) {
                s.replace_range(a..b, &ins);
            }
            let _ = load_str(&s, "fuzz.toml");
        }

        /// The CI-bounded version of the fuzz targets (fuzz/): splice arbitrary text into any
        /// bundled scenario; the loader and the capacity analysis never panic, and whatever
        /// validates runs one short replication (sizes clamped as in fuzz/fuzz_targets/
        /// simulate.rs) without panicking, conserving people.
        #[test]
        fn mutated_bundled_scenario_loads_and_simulates_without_panic(
            which in 0usize..64, a in 0usize..8000, len in 0usize..60, ins in "[ -~\n]{0,24}"
        ) {
            let files = super::bundled();
            let mut s = std::fs::read_to_string(&files[which % files.len()]).unwrap();
            let a = a.min(s.len());
            let b = (a + len).min(s.len());
            if s.is_char_boundary(a) && s.is_char_boundary(b) {
                s.replace_range(a..b, &ins);
            }
            if let Ok(scn) = load_str(&s, "fuzz.toml") {
                super::smoke_simulate(scn);
            }
        }
    }
}

/// What the `simulate` fuzz target does with a valid scenario: clamp people, phases, horizon and
/// inflow, run replication 0 with the trace on, and check that people are conserved.
fn smoke_simulate(mut scn: clearance::scenario::Scenario) {
    let _ = clearance::model::zero_capacity_stages(&scn);
    scn.replications = 1;
    scn.horizon = scn.horizon.min(60.0);
    scn.backlog.people = scn.backlog.people.min(200);
    for p in &mut scn.phases {
        p.people = p.people.min(100);
    }
    scn.phases.truncate(3);
    if let Some(inf) = &mut scn.inflow {
        inf.rate_per_day = inf.rate_per_day.min(20.0);
    }
    let r = clearance::model::simulate(&scn, 0, &clearance::model::SimOptions { trace: true });
    assert_eq!(
        r.processed + r.dropped + r.unreached + r.in_system,
        r.people_total
    );
}

/// Every input of the committed, minimised fuzz corpus (fuzz/corpus/load and /simulate: what
/// the coverage-guided runs kept) still loads or fails cleanly, and whatever validates simulates.
#[test]
fn fuzz_corpus_replays_without_panic() {
    let files = ["fuzz/corpus/load", "fuzz/corpus/simulate"]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).expect("the fuzz corpus is committed"));
    let mut n = 0;
    for e in files {
        let bytes = std::fs::read(e.unwrap().path()).unwrap();
        n += 1;
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        match clearance::scenario::load_str(text, "corpus.toml") {
            Ok(scn) => smoke_simulate(scn),
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
    assert!(n >= 300, "only {n} corpus files");
}

/// A value reported as wrong is not reported again as missing by a rule that needs it (`ramp`
/// needs `quota_per_day`).
#[test]
fn a_wrong_value_gives_one_error_not_a_knock_on() {
    let set = clearance::scenario::parse_set("port[San Ysidro].quota_per_day=abc").unwrap();
    let e = clearance::scenario::load_file_with(Path::new("scenarios/baseline.toml"), &[set])
        .expect_err("a string quota");
    let text = e.to_string();
    assert_eq!(e.diagnostics.len(), 1, "{text}");
    assert!(text.contains("expected a whole number"), "{text}");
    assert!(!text.contains("ramp"), "{text}");
}

/// With no [[route]] at all, each port had been asked "Did you mean" the other port, which no
/// route reaches either; it is now told to add a route to it.
#[test]
fn ports_with_no_routes_at_all_are_told_to_add_one() {
    let start = VALID.find("[[route]]").unwrap();
    let end = VALID.find("[[port]]").unwrap();
    // (names close enough to be offered for each other)
    let src = format!("{}{}", &VALID[..start], &VALID[end..])
        .replace("San Ysidro", "Port A")
        .replace("Brownsville", "Port B");
    let e = err(&src);
    for (port, other) in [("Port A", "Port B"), ("Port B", "Port A")] {
        let want = format!(
            "port \"{port}\" has no route to it: nobody is processed there (add a [[route]] \
             with to = \"{port}\")"
        );
        assert!(e.warnings.iter().any(|w| w.contains(&want)), "{e}");
        assert!(
            !e.warnings
                .iter()
                .any(|w| w.contains(&format!("Did you mean \"{other}\"?"))),
            "{e}"
        );
    }
}

#[test]
fn a_port_no_route_reaches_is_warned_with_the_closest_name() {
    let s = load_str(
        &format!("{VALID}\n[[port]]\nname = \"San Ysdro\"\nquota_per_day = 400\n"),
        "w.toml",
    )
    .unwrap();
    assert!(
        s.warnings.iter().any(|w| w.contains(
            "port \"San Ysdro\" has no route to it: nobody is processed there. Did you mean \"San Ysidro\"?"
        )),
        "{:?}",
        s.warnings
    );
    let s = load_str(VALID, "w.toml").unwrap();
    assert!(
        !s.warnings.iter().any(|w| w.contains("no route to it")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn phase_names_are_unique() {
    let phase =
        |opens: &str| format!("\n[[phase]]\nname = \"p\"\npeople = 10\nopens = \"{opens}\"\n");
    let src = format!("{VALID}{}{}", phase("3d"), phase("5d"));
    let e = err(&src);
    has(
        &e,
        "phase[2].name",
        "phase name \"p\" is used twice (first by phase[1])",
    );
}

#[test]
fn a_run_past_the_year_9999_is_refused() {
    let e = err(&with(
        "start_date = \"2021-02-19\"",
        "start_date = \"9999-12-01\"",
    ));
    has(&e, "scenario.start_date", "runs past 9999-12-31");
}

#[test]
fn a_scenario_changed_in_code_is_checked_again() {
    for p in bundled() {
        let s = clearance::scenario::load_file(&p).unwrap();
        assert_eq!(s.check(), Ok(()), "{}", p.display());
    }
    let base = load_str(VALID, "v.toml").unwrap();
    let mut s = base.clone();
    s.horizon = -5.0;
    s.registration.never = 1.5;
    s.replications = 0;
    let e = s.check().unwrap_err();
    assert_eq!(e.len(), 3, "{e:?}");
    // Each problem is keyed by the TOML path a planner writes, and reads as such.
    let keys: Vec<&str> = e.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "scenario.horizon",
            "scenario.replications",
            "registration.never"
        ]
    );
    assert_eq!(
        e[0].to_string(),
        "scenario.horizon: -5 days: must be above 0 and at most 36,500 days"
    );
    assert!(
        e[2].to_string()
            .starts_with("registration.never: 1.5: a probability"),
        "{e:?}"
    );
    let run = clearance::experiment::run(&s, &Default::default());
    let msg = match run {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a scenario with a negative horizon was run"),
    };
    assert!(
        msg.starts_with("the scenario is not valid: scenario.horizon: -5 days"),
        "{msg}"
    );
    let mut s = base.clone();
    s.horizon = 1e7;
    assert!(s.check().is_err());
    // Sizes and durations set directly, past the constructors.
    let mut s = base;
    s.group_size = clearance::scenario::dist::SizeDist::Fixed(0);
    s.ports[0].service = clearance::scenario::dist::Dist::Fixed(-1.0);
    let e = s.check().unwrap_err();
    assert!(e.iter().any(|m| m.key == "backlog.group_size"), "{e:?}");
    assert!(
        e.iter().any(|m| m
            .to_string()
            .starts_with("port[San Ysidro].service: every duration")),
        "{e:?}"
    );
}

/// What a researcher may set wrongly in code: a table without entries (it panicked in a
/// worker), weights that do not end at 1, hours or departures in hours instead of fractions of
/// a day, unsorted departures, sizes past the loader's limits, and a start date assigned
/// without its weekday. Each is refused by name; `set_start_date` moves the weekday too and
/// matches the same change made through `--set`.
#[test]
fn a_scenario_changed_in_code_is_refused_where_the_loader_would_refuse_it() {
    use clearance::scenario::dist::Dist;
    use clearance::scenario::Departures;
    let base =
        clearance::scenario::load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
    let refused = |f: &dyn Fn(&mut clearance::scenario::Scenario), needle: &str| {
        let mut s = base.clone();
        f(&mut s);
        let e = s.check().unwrap_err();
        assert!(
            e.iter().any(|m| m.to_string().contains(needle)),
            "{needle}: {e:?}"
        );
        assert!(clearance::experiment::run(&s, &Default::default()).is_err());
    };
    refused(
        &|s| {
            s.ports[0].service = Dist::Empirical {
                values: vec![],
                cumulative: vec![],
            }
        },
        "service: every duration",
    );
    refused(
        &|s| {
            s.ports[0].service = Dist::Empirical {
                values: vec![0.1, 0.2],
                cumulative: vec![0.5, 0.7],
            }
        },
        "service: every duration",
    );
    refused(
        &|s| s.ports[0].schedule.hours = Some((8.0, 18.0)),
        ".hours: (8, 18) must be fractions of a day",
    );
    refused(
        &|s| s.routes[0].departures = Departures::Scheduled(vec![7.0, 12.0]),
        "departures must be times of day",
    );
    refused(
        &|s| s.routes[0].departures = Departures::Scheduled(vec![0.7, 0.3]),
        "in increasing order",
    );
    refused(
        &|s| s.routes[0].departures = Departures::Scheduled(vec![]),
        "at least one",
    );
    refused(
        &|s| s.ports[0].servers = Some(2_000_000),
        "servers: 2000000: at most",
    );
    refused(
        &|s| s.start_date = chrono::NaiveDate::from_ymd_opt(2021, 2, 20).unwrap(),
        "change the start with Scenario::set_start_date",
    );
    let mut s = base.clone();
    s.set_start_date(chrono::NaiveDate::from_ymd_opt(2021, 2, 20).unwrap());
    assert_eq!(s.check(), Ok(()));
    let set =
        clearance::scenario::overrides::parse_set("scenario.start_date=\"2021-02-20\"").unwrap();
    let via_set = clearance::scenario::load_file_with(
        std::path::Path::new("scenarios/baseline.toml"),
        &[set],
    )
    .unwrap()
    .scenario;
    let opts = clearance::experiment::RunOptions {
        replications: Some(4),
        ..Default::default()
    };
    let a = clearance::experiment::run(&s, &opts).unwrap();
    let b = clearance::experiment::run(&via_set, &opts).unwrap();
    assert_eq!(a.replications, b.replications);
}

/// What the loader refuses for its structure is refused in code too: a ramp over 0 days (it
/// divided by zero), a ramp without a quota, two ports (origins, routes, phases, classes) of
/// one name, and a distribution whose sampler is not the one its parameters say (an
/// exponential of mean 1 day drawing with a mean of 10,000 days ran, and every analysis read
/// the mean of 1). `model::try_simulate` checks as `experiment::run` does (origin shares summing
/// to 5 had run silently through `model::simulate`).
#[test]
fn a_scenario_changed_in_code_is_refused_for_what_its_structure_cannot_be() {
    use clearance::scenario::dist::Dist;
    use clearance::scenario::Ramp;
    let base =
        clearance::scenario::load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
    let refused = |f: &dyn Fn(&mut clearance::scenario::Scenario), needle: &str| {
        let mut s = base.clone();
        f(&mut s);
        let e = s.check().unwrap_err();
        assert!(
            e.iter().any(|m| m.to_string().contains(needle)),
            "{needle}: {e:?}"
        );
        assert!(clearance::experiment::run(&s, &Default::default()).is_err());
        assert!(clearance::model::try_simulate(&s, 0, &Default::default()).is_err());
    };
    let q = base
        .ports
        .iter()
        .position(|p| p.quota_per_day.is_some())
        .unwrap();
    refused(
        &|s| {
            s.ports[q].ramp = Some(Ramp {
                from: 25.0,
                over: 0.0,
            })
        },
        "ramp.over: 0 days: must be longer than 0 (for no ramp, set ramp to None)",
    );
    refused(
        &|s| {
            s.ports[q].quota_per_day = None;
            s.ports[q].ramp = Some(Ramp {
                from: 25.0,
                over: 10.0,
            });
        },
        "a ramp needs quota_per_day",
    );
    refused(
        &|s| s.ports[1].name = s.ports[0].name.clone(),
        &format!(
            "port[2].name: \"{}\" is used twice (give every port its own name)",
            base.ports[0].name
        ),
    );
    refused(
        &|s| s.origins[1].name = s.origins[0].name.clone(),
        "origin[2].name: ",
    );
    refused(
        &|s| s.ports[0].name = "x".repeat(101),
        "at most 100 characters",
    );
    refused(
        &|s| {
            s.health.as_mut().unwrap().isolation = Dist::Exponential {
                mean: 1.0,
                exp: rand_distr::Exp::new(1e-4).unwrap(),
            }
        },
        "health.isolation: its sampler does not match its parameters",
    );
    refused(
        &|s| {
            s.ports[0].service = Dist::Uniform {
                min: 0.01,
                max: 0.02,
                uni: rand_distr::Uniform::new_inclusive(0.0, 5.0).unwrap(),
            }
        },
        "service: its sampler does not match",
    );
    refused(
        &|s| s.origins[0].share = 5.0,
        "origin: the shares of the 3 origins sum to",
    );
    // Distributions built by their constructors, as the loader builds them, pass.
    let mut s = base.clone();
    s.health.as_mut().unwrap().isolation = Dist::exponential(7.0).unwrap();
    s.ports[0].service = Dist::lognormal(0.01, 0.005).unwrap();
    s.registration.delay = Dist::gamma(20.0, 30.0).unwrap();
    s.routes[0].travel = Dist::triangular(0.1, 0.2, 0.5).unwrap();
    assert_eq!(s.check(), Ok(()));
    assert!(clearance::model::try_simulate(&s, 0, &Default::default()).is_ok());
}

#[test]
fn every_bad_group_size_is_named_and_extends_mistakes_say_where() {
    let e = err(&with("values = [1, 2, 3]", "values = [1.5, 0, -1]"));
    has(
        &e,
        "backlog.group_size.values[1]",
        "found the decimal number 1.5",
    );
    has(
        &e,
        "backlog.group_size.values[2]",
        "at least 1 person, not 0",
    );
    has(
        &e,
        "backlog.group_size.values[3]",
        "at least 1 person, not -1",
    );
    // `extends` inside a section, and a base that is a directory
    let e = err(&with("[scenario]\n", "[scenario]\nextends = \"a.toml\"\n"));
    let d = has(&e, "scenario.extends", "unknown key \"extends\"");
    assert_eq!(
        d.hint.as_deref(),
        Some("`extends` goes at the top of the file, before any [section]")
    );
    // A variant whose only `extends` is misplaced: what its base would give is not reported
    // missing, so the one error is the misplaced key.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("variant.toml");
    std::fs::write(&f, "[scenario]\nname = \"v\"\nextends = \"base.toml\"\n").unwrap();
    let e = clearance::scenario::load_file(&f).unwrap_err();
    let keys: Vec<_> = e.diagnostics.iter().map(|d| d.key.as_deref()).collect();
    assert_eq!(keys, [Some("scenario.extends")], "{:?}", e.diagnostics);
    for (text, key) in [
        (
            "[scenario]\nextends = \"base.toml\"\n[[origin]]\nname = \"A\"\n",
            "scenario.extends",
        ),
        (
            "[[port]]\nname = \"X\"\nextends = \"base.toml\"\n",
            "port[X].extends",
        ),
        (
            "[scenario]\nextends = \"base.toml\"\n[[disruption]]\nports = [\"San Ysidro\"]\n\
             from = \"1d\"\nuntil = \"2d\"\ncapacity = 0\n[[route]]\nfrom = \"Nowhere\"\n\
             to = \"P\"\n",
            "scenario.extends",
        ),
    ] {
        std::fs::write(&f, text).unwrap();
        let e = clearance::scenario::load_file(&f).unwrap_err();
        let keys: Vec<_> = e.diagnostics.iter().map(|d| d.key.as_deref()).collect();
        assert_eq!(keys, [Some(key)], "{:?}", e.diagnostics);
    }
    std::fs::create_dir(dir.path().join("base.toml")).unwrap();
    let f = dir.path().join("v.toml");
    std::fs::write(&f, "extends = \"base.toml\"\n").unwrap();
    let e = clearance::scenario::load_file(&f).unwrap_err();
    let d = &e.diagnostics[0];
    assert_eq!(
        (d.key.as_deref(), d.line),
        (Some("extends"), Some(1)),
        "{e}"
    );
    assert!(
        d.message
            .ends_with("base.toml: is a directory, not a scenario file"),
        "{e}"
    );
    assert!(
        d.message.starts_with("cannot read the base scenario"),
        "{e}"
    );
}

#[test]
fn one_pass_reports_the_ramp_too_and_names_an_unknown_section_first() {
    // A misspelt quota: the ramp that needs it is reported, and so is its own unit error.
    let src = with(
        "quota_per_day = 300\nramp = { from = 25, over = \"14d\" }",
        "quota_per_dya = 300\nramp = { from = 25, over = 14 }",
    );
    let e = err(&src);
    has(&e, "port[San Ysidro].quota_per_dya", "unknown key");
    has(&e, "port[San Ysidro].ramp", "`ramp` needs `quota_per_day`");
    has(&e, "port[San Ysidro].ramp.over", "no unit");
    // A misspelt [[port]] header makes the routes to it name an unknown port: the cause comes
    // first although it is further down the file.
    let src = VALID.replacen(
        "[[port]]\nname = \"Brownsville\"",
        "[[ports]]\nname = \"Brownsville\"",
        1,
    );
    let e = err(&src);
    assert!(
        e.diagnostics[0]
            .message
            .contains("unknown section \"ports\""),
        "{e}"
    );
    assert!(e.diagnostics.len() > 1, "{e}");
    assert!(
        e.diagnostics[1..]
            .iter()
            .any(|d| d.message.contains("unknown port \"Brownsville\"")),
        "{e}"
    );
}

#[test]
fn plain_words_for_toml_errors_percentages_and_overnight_hours() {
    let e = err("name,people\nTijuana,300\n");
    let d = &e.diagnostics[0];
    assert!(d.message.starts_with("TOML syntax error"), "{e}");
    assert!(d
        .hint
        .as_deref()
        .unwrap()
        .contains("every line of a scenario is `key = value`"));
    let e = err(&with("name = \"test\"", "name = \"test"));
    assert!(
        e.diagnostics[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("closing quote"),
        "{e}"
    );
    let e = err(&with("never = 0.05", "never = 20"));
    let d = has(&e, "registration.never", "is not a probability");
    assert_eq!(d.hint.as_deref(), Some("for 20%, write 0.2"));
    let e = err(&with("never = 0.05", "never = 14.3"));
    let d = has(&e, "registration.never", "is not a probability");
    assert_eq!(d.hint.as_deref(), Some("for 14.3%, write 0.143"));
    let e = err(&with("share = 0.6", "share = 60"));
    let d = has(&e, "origin[Tijuana].share", "is not between 0 and 1");
    assert_eq!(d.hint.as_deref(), Some("for 60%, write 0.6"));
    // One name where a list is expected: the same in brackets, and no second error saying the
    // disruption affects nothing (it had come with it, and a weekday example).
    let src = format!(
        "{VALID}\n[[disruption]]\nports = \"Brownsville\"\nfrom = \"3d\"\nuntil = \"5d\"\n\
         capacity = 0\n"
    );
    let e = err(&src);
    let d = has(&e, "disruption[1].ports", "expected a list in brackets");
    assert_eq!(d.hint.as_deref(), Some("write [\"Brownsville\"]"), "{e}");
    assert!(!d.message.contains("write"), "{e}");
    assert_eq!(e.diagnostics.len(), 1, "{e}");
    // A disruption's capacity is a factor, and may exceed 1; 50 is more likely a percentage.
    let disrupt = |c: &str| {
        let src = format!(
            "{VALID}\n[[disruption]]\nports = [\"Brownsville\"]\nfrom = \"3d\"\n\
             until = \"5d\"\ncapacity = {c}\n"
        );
        load_str(&src, "ok.toml").unwrap().warnings
    };
    let w = disrupt("50");
    assert!(
        w.iter().any(|w| w.contains(
            "disruption[1].capacity: capacity = 50 multiplies the capacity by 50 while the \
             disruption lasts; if you meant 50%, write capacity = 0.5"
        )),
        "{w:?}"
    );
    assert!(!disrupt("1.5").iter().any(|w| w.contains("capacity =")));
    // A drop-out rate of 5 a day (5% meant) loaded silently and "cleared" the backlog sooner as
    // everyone dropped out; it warns now, and a rate written as a percentage says how to write it.
    let hazard = |h: &str| {
        load_str(
            &with(
                "[dispatch]",
                &format!("[attrition]\nhazard_per_day = {h}\n\n[dispatch]"),
            ),
            "bad.toml",
        )
    };
    let w = hazard("5").unwrap().warnings;
    assert!(
        w.iter().any(|w| w.contains(
            "attrition.hazard_per_day: hazard_per_day = 5: half of those not yet boarded drop out \
             within 3.3 hours; if you meant 5% a day, write hazard_per_day = 0.05"
        )),
        "{w:?}"
    );
    assert!(!hazard("0.0005")
        .unwrap()
        .warnings
        .iter()
        .any(|w| w.contains("hazard_per_day")));
    let e = hazard("\"0.05%\"").unwrap_err();
    let d = has(&e, "attrition.hazard_per_day", "expected a number");
    assert_eq!(
        d.hint.as_deref(),
        Some(
            "write 0.0005 without quotes: a rate per day (0.05% a day), not a percentage; for \
             0.05% a month, write hazard_per_day = 0.000017 (−ln(1 − 0.0005)/30)"
        )
    );
    // Hours written the wrong way round load (an overnight shift is allowed), with a warning.
    let s = load_str(
        &with(
            "hours = [\"08:00\", \"18:00\"]",
            "hours = [\"18:00\", \"08:00\"]",
        ),
        "ok.toml",
    )
    .unwrap();
    assert!(
        s.warnings.iter().any(|w| w.contains(
            "screening.hours: open from 18:00 to 08:00 the next day (14 h overnight); if you meant 08:00 to 18:00"
        )),
        "{:?}",
        s.warnings
    );
    let plain = load_str(VALID, "ok.toml").unwrap();
    assert!(!plain.warnings.iter().any(|w| w.contains("overnight")));
    // A close of 00:00 is midnight, as 24:00 is: no warning. A short night says minutes.
    let midnight = load_str(
        &with(
            "hours = [\"08:00\", \"18:00\"]",
            "hours = [\"20:00\", \"00:00\"]",
        ),
        "ok.toml",
    )
    .unwrap();
    assert!(
        !midnight.warnings.iter().any(|w| w.contains("overnight")),
        "{:?}",
        midnight.warnings
    );
    let short = load_str(
        &with(
            "hours = [\"08:00\", \"18:00\"]",
            "hours = [\"23:59\", \"00:01\"]",
        ),
        "ok.toml",
    )
    .unwrap();
    assert!(
        short
            .warnings
            .iter()
            .any(|w| w.contains("(2 min overnight)")),
        "{:?}",
        short.warnings
    );
}

/// A name longer than the tables can print is refused, keyed by position (a name of 70,000
/// characters had panicked the tables' padding), for every kind of named element.
#[test]
fn overlong_names_are_refused() {
    let long = "P".repeat(70_000);
    let e = err(&with(
        "name = \"Brownsville\"",
        &format!("name = \"{long}\""),
    ));
    has(
        &e,
        "port[2].name",
        "the port name is 70000 characters long; at most 100",
    );
    let e = err(&with("name = \"test\"", &format!("name = \"{long}\"")));
    has(
        &e,
        "scenario.name",
        "the scenario name is 70000 characters long",
    );
    let e = err(&with("name = \"Tijuana\"", &format!("name = \"{long}\"")));
    has(
        &e,
        "origin[1].name",
        "the origin name is 70000 characters long",
    );
    // 100 characters are fine.
    let fine = "Q".repeat(100);
    load_str(
        &with("name = \"Brownsville\"", &format!("name = \"{fine}\""))
            .replace("to = \"Brownsville\"", &format!("to = \"{fine}\"")),
        "ok.toml",
    )
    .unwrap();
}

/// The hint for one text where `hours` or `days` takes a list, written back as the hint says,
/// validates: `"08:00-18:00"` had been hinted `["08:00-18:00"]` (then "needs exactly two
/// times") and `"weekdays"` `["weekdays"]` (then "did you mean Wed").
#[test]
fn list_hints_for_hours_and_days_validate_when_followed() {
    let hours = r#"hours = ["08:00", "18:00"]"#;
    // What the hint says to write: the TOML after its last "write " (and "days = ").
    let hinted = |e: &ScenarioError| -> String {
        let text = e.to_string();
        let at = text
            .rfind("write ")
            .unwrap_or_else(|| panic!("no hint in {text}"));
        let rest = &text[at + "write ".len()..];
        let rest = rest.strip_prefix("them one by one: ").unwrap_or(rest);
        let rest = rest.split_once(" = ").map_or(rest, |(_, v)| v);
        rest.lines().next().unwrap().trim().to_string()
    };
    for (bad, key) in [
        (r#"hours = "08:00-18:00""#, "hours"),
        (r#"hours = "08:00 to 18:00""#, "hours"),
        (r#"hours = ["08:00-18:00"]"#, "hours"),
        (
            r#"hours = ["08:00", "18:00"]
days = "weekdays""#,
            "days",
        ),
        (
            r#"hours = ["08:00", "18:00"]
days = "Mon-Sat""#,
            "days",
        ),
        (
            r#"hours = ["08:00", "18:00"]
days = "weekend""#,
            "days",
        ),
        (
            r#"hours = ["08:00", "18:00"]
days = ["weekdays"]"#,
            "days",
        ),
        (
            r#"hours = ["08:00", "18:00"]
days = "Tue""#,
            "days",
        ),
        (
            r#"hours = ["08:00", "18:00"]
days = ["Mon-Wed", "Fri"]"#,
            "days",
        ),
        (
            r#"hours = ["08:00", "18:00"]
days = ["weekdays", "Sat"]"#,
            "days",
        ),
    ] {
        let e = err(&with(hours, bad));
        let value = hinted(&e);
        let fixed =
            with(hours, bad).replace(bad.lines().last().unwrap(), &format!("{key} = {value}"));
        if let Err(e2) = load_str(&fixed, "fixed.toml") {
            panic!("{bad}: hint {value} does not validate:\n{e}\n{e2}");
        }
    }
    let e = err(&with(
        hours,
        "hours = [\"08:00\", \"18:00\"]\ndays = \"weekdays\"",
    ));
    assert!(
        e.to_string()
            .contains(r#"write ["Mon", "Tue", "Wed", "Thu", "Fri"]"#),
        "{e}"
    );
    assert!(!e.to_string().contains("did you mean"), "{e}");
    // In a list of several, every entry's days (the other entries had been dropped).
    let e = err(&with(
        hours,
        "hours = [\"08:00\", \"18:00\"]\ndays = [\"Mon-Wed\", \"Fri\"]",
    ));
    assert!(
        e.to_string()
            .contains(r#"days = ["Mon", "Tue", "Wed", "Fri"]"#),
        "{e}"
    );
}

/// A ramp over 0 days is refused with a hint that works where `ramp` cannot be removed (in a
/// file that extends one with a ramp, or with --set): "remove `ramp`" had been the only hint.
/// Written back, the hint validates and gives the quota from the opening day on.
#[test]
fn a_ramp_over_no_time_gets_a_hint_that_works_under_extends() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("base.toml"),
        "[scenario]\nname = \"b\"\n[backlog]\npeople = 100\n[[origin]]\nname = \"O\"\n\
         [[route]]\nfrom = \"O\"\nto = \"P\"\n[[port]]\nname = \"P\"\nquota_per_day = 300\n\
         ramp = { from = 25, over = \"14d\" }\n",
    )
    .unwrap();
    let variant = d.path().join("variant.toml");
    let write_variant = |ramp: &str| {
        std::fs::write(
            &variant,
            format!("extends = \"base.toml\"\n[scenario]\nname = \"v\"\n[[port]]\nname = \"P\"\n{ramp}\n"),
        )
        .unwrap();
    };
    write_variant(r#"ramp = { over = "0d" }"#);
    let e = load_file(&variant).unwrap_err();
    let hint = e.diagnostics[0].hint.clone().unwrap_or_default();
    assert!(!hint.starts_with("remove"), "{e}");
    let written = hint
        .split_once("write ")
        .and_then(|(_, rest)| rest.split_once(" (").map(|(w, _)| w.to_string()))
        .unwrap_or_else(|| panic!("no value in the hint: {hint}"));
    assert_eq!(written, r#"ramp = { from = 300, over = "1d" }"#);
    write_variant(&written);
    let s = load_file(&variant).unwrap_or_else(|e| panic!("{written}: {e}"));
    let r = s.ports[0].ramp.as_ref().expect("a ramp");
    assert_eq!((r.from, r.over), (300.0, 1.0));
}

/// The syntax errors planners make most get their own hint, at the parser's line: `[port]`
/// where each port is `[[port]]` (TOML reads a second `[port]` as the same table written
/// twice), any array of tables alike, and numbers with thousands separators (`25,000`,
/// `25 000`), which TOML reads as 25 followed by something it cannot place.
#[test]
fn syntax_errors_get_hints_for_single_brackets_and_thousands_separators() {
    let hint = |src: &str| {
        let e = err(src);
        assert_eq!(e.diagnostics.len(), 1, "{e}");
        let d = e.diagnostics[0].clone();
        assert!(d.message.starts_with("TOML syntax error"), "{e}");
        assert_eq!(d.file, "bad.toml");
        (d.line.unwrap(), d.hint.unwrap())
    };
    // The second of two ports written [port]: its line, and what to write there.
    let src = with(
        "[[port]]\nname = \"Brownsville\"",
        "[port]\nname = \"Brownsville\"",
    );
    let (line, h) = hint(&src);
    assert_eq!(line, 1 + src.lines().position(|l| l == "[port]").unwrap());
    assert!(
        h.contains("[[port]] (double brackets)")
            && h.contains(&format!("write [[port]] on line {line} instead of [port]")),
        "{h}"
    );
    // Both written [port]: both lines named.
    let src = VALID.replace("[[port]]", "[port]");
    let (_, h) = hint(&src);
    let lines: Vec<usize> = src
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "[port]")
        .map(|(i, _)| i + 1)
        .collect();
    assert!(
        h.contains(&format!("lines {} and {}", lines[0], lines[1])),
        "{h}"
    );
    // Any other array of tables alike: routes, origins, phases.
    for section in ["route", "origin"] {
        let src = VALID.replace(&format!("[[{section}]]"), &format!("[{section}]"));
        let (_, h) = hint(&src);
        assert!(
            h.contains(&format!("[[{section}]] (double brackets)")),
            "{h}"
        );
    }
    let phases = format!(
        "{VALID}\n[phase]\nname = \"a\"\npeople = 5\nopens = \"9d\"\n\n[[phase]]\nname = \"b\"\npeople = 5\nopens = \"9d\"\n"
    );
    let (_, h) = hint(&phases);
    assert!(
        h.contains(&format!(
            "write [[phase]] on line {} instead of [phase]",
            1 + phases.lines().position(|l| l == "[phase]").unwrap()
        )),
        "{h}"
    );
    // A table section written twice: one section.
    let (_, h) = hint(&format!("{VALID}\n[scenario]\nseed = 3\n"));
    assert!(h.contains("[scenario] is one section, written once"), "{h}");
    // A single [port] is a table where a list of ports is expected: one error, which says to
    // write [[port]], and no "unknown port" for the routes to the port it names.
    let one = "[scenario]\nname = \"t\"\n[[origin]]\nname = \"O\"\n[[route]]\nfrom = \"O\"\nto = \"P\"\n[port]\nname = \"P\"\n";
    let e = err(one);
    assert_eq!(e.diagnostics.len(), 1, "{e}");
    let d = has(
        &e,
        "port",
        "must be an array of tables, found a single table",
    );
    assert!(d.hint.unwrap().contains("[[port]]"));
    // Thousands separators, after `=` or inside an inline table.
    for (written, plain) in [
        ("25,000", "write 25000 or 25_000, not 25,000"),
        ("25 000", "write 25000 or 25_000, not 25 000"),
        ("1,000,000", "write 1000000 or 1_000_000, not 1,000,000"),
    ] {
        let src = with("people = 1000", &format!("people = {written}  # announced"));
        let (line, h) = hint(&src);
        assert_eq!(line, line_of(&src, "people = "));
        assert!(h.starts_with(plain), "{h}");
    }
    let src = with("quota_per_day = 300", "quota_per_day = 1 500");
    assert!(hint(&src).1.starts_with("write 1500 or 1_500"));
    let src = with("ramp = { from = 25,", "ramp = { from = 2,500,");
    let (line, h) = hint(&src);
    assert_eq!(line, line_of(&src, "ramp = "));
    assert!(h.starts_with("write 2500 or 2_500, not 2,500"), "{h}");
    // Other syntax errors keep their hints.
    let (_, h) = hint(&with("servers = 12", "servers = = 12"));
    assert!(!h.contains("commas") && !h.contains("brackets"), "{h}");
    // A key given twice in one element.
    let (_, h) = hint(&with("servers = 12", "servers = 12\nservers = 13"));
    assert!(
        h.contains("`servers` is given twice in one [[port]]"),
        "{h}"
    );
}

/// A distribution's message gives its parameters as the file wrote them ("2h"), not in days
/// ("0.08333333333333333 d"); built in code, in a readable unit.
#[test]
fn distribution_messages_echo_the_units_written() {
    let travel = "travel = { dist = \"triangular\", min = \"1h\", mode = \"2h\", max = \"4h\" }";
    let e = err(&with(
        travel,
        "travel = { dist = \"uniform\", min = \"4h\", max = \"2 h\" }",
    ));
    let d = has(
        &e,
        "route[1].travel",
        "`min` (4h) is larger than `max` (2 h); swap them",
    );
    assert!(!d.message.contains(" d)"), "{d:?}");
    let e = err(&with(
        travel,
        "travel = { dist = \"triangular\", min = \"1h\", mode = \"30min\", max = \"4h\" }",
    ));
    has(&e, "route[1].travel", "`mode` (30min) is below `min` (1h)");
    let e = err(&with(
        travel,
        "travel = { dist = \"triangular\", min = \"1h\", mode = \"1.5d\", max = \"4h\" }",
    ));
    has(&e, "route[1].travel", "`mode` (1.5d) is above `max` (4h)");
    let e = err(&with(
        travel,
        "travel = { dist = \"triangular\", min = \"5h\", mode = \"2h\", max = \"4h\" }",
    ));
    has(
        &e,
        "route[1].travel",
        "`min` (5h) is larger than `max` (4h)",
    );
    use clearance::scenario::Dist;
    let m = Dist::uniform(0.25, 1.0 / 12.0).unwrap_err();
    assert_eq!(m, "`min` (6h) is larger than `max` (2h); swap them");
    let m = Dist::triangular(2.0, 1.0 / 48.0, 3.0).unwrap_err();
    assert!(m.starts_with("`mode` (30min) is below `min` (2d)"), "{m}");
}

/// Waits count only the groups registered at or after the warmup. A warmup not shorter than
/// the horizon is refused, saying so and what to change; one after every registration (a
/// bounded registration delay, no inflow after it) is warned of; a scenario changed in code is
/// checked for the first again.
#[test]
fn a_warmup_that_would_measure_no_wait_is_named() {
    let e = err(&with(
        "horizon = \"365d\"",
        "horizon = \"365d\"\nwarmup = \"365d\"",
    ));
    let d = has(
        &e,
        "scenario.warmup",
        "the warmup (365d) is not shorter than the horizon (365d)",
    );
    assert!(d.message.contains("no wait would be measured"), "{d:?}");
    assert!(d.hint.unwrap().starts_with("shorten the warmup below 365d"));
    let warned = |delay: &str, warmup: &str, extra: &str| {
        let src = with(
            "delay = { dist = \"exponential\", mean = \"20d\" }",
            &format!("delay = {delay}"),
        )
        .replace(
            "horizon = \"365d\"",
            &format!("horizon = \"365d\"\nwarmup = \"{warmup}\""),
        ) + extra;
        load_str(&src, "w.toml")
            .unwrap()
            .warnings
            .into_iter()
            .filter(|w| w.contains("scenario.warmup"))
            .collect::<Vec<_>>()
    };
    let w = warned(
        "{ dist = \"uniform\", min = \"1d\", max = \"36h\" }",
        "10d",
        "",
    );
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("every group registers within 1.5d of the start")
            && w[0].contains("before the warmup (10d)")
            && w[0].contains("no wait would be measured")
            && w[0].contains("shorten it to 1.5d at most"),
        "{w:?}"
    );
    assert!(warned("\"0d\"", "10d", "")[0].contains("every group registers at the start"));
    // A group may register at or after the warmup: no warning.
    assert!(warned("\"2d\"", "2d", "").is_empty());
    assert!(warned("{ dist = \"exponential\", mean = \"1d\" }", "10d", "").is_empty());
    let phase = "\n[[phase]]\nname = \"late\"\npeople = 10\nopens = \"20d\"\n";
    assert!(warned("\"0d\"", "10d", phase).is_empty());
    let inflow = "\n[inflow]\nrate_per_day = 1\nuntil = \"30d\"\n";
    assert!(warned("\"0d\"", "10d", inflow).is_empty());
    let early = "\n[inflow]\nrate_per_day = 1\nuntil = \"5d\"\n";
    assert_eq!(warned("\"0d\"", "10d", early).len(), 1);
    // Changed in code after loading.
    let mut s = load_str(VALID, "ok.toml").unwrap();
    s.warmup = s.horizon;
    let problems = s.check().unwrap_err();
    assert!(
        problems.iter().any(|p| p.key == "scenario.warmup"
            && p.message
                .starts_with("365 days: must be shorter than scenario.horizon")),
        "{problems:?}"
    );
}

#[test]
fn a_scenario_with_nobody_in_it_is_warned_of() {
    let nobody = |src: &str| {
        load_str(src, "w.toml")
            .unwrap()
            .warnings
            .into_iter()
            .filter(|w| w.contains("nobody to clear"))
            .collect::<Vec<_>>()
    };
    let w = nobody(&with("people = 1000\n", "people = 0\n"));
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("backlog.people")
            && w[0].contains("set [backlog] people")
            && !w[0].contains("is not set"),
        "{w:?}"
    );
    // [backlog] left out: people defaults to 0, and the warning says so.
    let src = VALID.replace(
        "[backlog]\npeople = 1000\ngroup_size = { dist = \"empirical\", values = [1, 2, 3], weights = [0.5, 0.3, 0.2] }\n",
        "",
    );
    assert!(!src.contains("[backlog]"));
    let w = nobody(&src);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("defaults to 0"), "{w:?}");
    // A phase or an inflow brings people: no warning.
    let phase = "\n[[phase]]\nname = \"late\"\npeople = 10\nopens = \"20d\"\n";
    assert!(nobody(&(src.clone() + phase)).is_empty());
    let inflow = "\n[inflow]\nrate_per_day = 1\nuntil = \"30d\"\n";
    assert!(nobody(&(src + inflow)).is_empty());
    assert!(nobody(VALID).is_empty());
}

#[test]
fn warnings_are_shown_beside_errors() {
    let src = with("positive = 0.04", "positive = 3") + "\n[attrition]\nhazard_per_day = 5\n";
    let e = err(&src);
    has(&e, "health.positive", "not a probability");
    assert!(
        e.warnings
            .iter()
            .any(|w| w.contains("attrition.hazard_per_day") && w.contains("hazard_per_day = 5")),
        "{:?}",
        e.warnings
    );
    let text = e.to_string();
    let error_at = text.find("error: bad.toml").unwrap();
    let warning_at = text
        .find("warning: bad.toml")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(error_at < warning_at, "{text}");
    // A warning the error may cause is left out: a port whose quota key is misspelt would be
    // warned to have no quota.
    let e = err(&with("quota_per_day = 100\n", "quota_per_dya = 100\n"));
    has(&e, "port[Brownsville].quota_per_dya", "unknown key");
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    // A policy in error is no policy: nothing is warned about under the default "fifo" (a
    // route to a port that opens late had been, though the file asks for "appointment").
    let late = with(
        "name = \"Brownsville\"\n",
        "name = \"Brownsville\"\nopens = \"5d\"\n",
    );
    for wrong in ["[\"appointment\"]", "100"] {
        let e = err(&late.replace("policy = \"appointment\"", &format!("policy = {wrong}")));
        has(&e, "dispatch.policy", "found");
        assert!(e.warnings.is_empty(), "policy = {wrong}: {:?}", e.warnings);
    }
    let e = err(&format!(
        "dispatch = 1\n{}",
        late.replace("[dispatch]\npolicy = \"appointment\"", "")
    ));
    has(&e, "dispatch", "must be a table");
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    // (the same under a valid "fifo" is warned about)
    let fifo = late.replace("policy = \"appointment\"", "policy = \"fifo\"");
    assert!(!load_str(&fifo, "w.toml").unwrap().warnings.is_empty());
}

#[test]
fn small_messages_say_what_is_wrong_in_plain_terms() {
    use clearance::scenario::{load_str_with, parse_set};
    let set =
        |s: &str| match load_str_with(VALID, "ok.toml", Path::new("."), &[parse_set(s).unwrap()]) {
            Ok(_) => panic!("--set {s} accepted"),
            Err(e) => e.diagnostics[0].message.clone(),
        };
    // A position out of range, not an unknown name.
    let m = set("port[9].servers=1");
    assert_eq!(
        m, "position 9 is out of range: the scenario has 2 [[port]] elements, numbered from 1",
        "{m}"
    );
    // A whole number too large for TOML is named as a number, not as a string.
    let m = set("port[Brownsville].holding=99999999999999999999");
    assert!(
        m.contains("found 99999999999999999999, too large (at most 9223372036854775807)")
            && !m.contains("string"),
        "{m}"
    );
    // A key of two sections names both.
    let e = err(&with("[registration]", "servers = 3\n[registration]"));
    let d = e
        .diagnostics
        .iter()
        .find(|d| d.message.contains("unknown key \"servers\""))
        .unwrap_or_else(|| panic!("{e}"));
    assert_eq!(
        d.hint.as_deref(),
        Some("`servers` belongs in [screening] or [[port]]")
    );
    // A very high drop-out hazard: its half-life in a unit that reads.
    let src = with(
        "[dispatch]",
        "[attrition]\nhazard_per_day = 1000\n\n[dispatch]",
    );
    let w = load_str(&src, "w.toml").unwrap().warnings;
    assert!(
        w.iter().any(|w| w.contains("drop out within 59.9 seconds")),
        "{w:?}"
    );
    // An inflow that ends after the horizon is warned of, as a disruption after it is.
    let inflow = |until: &str| {
        let text = format!("{VALID}\n[inflow]\nrate_per_day = 1\nuntil = \"{until}\"\n");
        load_str(&text, "w.toml").unwrap().warnings
    };
    let w = inflow("400d");
    assert!(
        w.iter().any(|w| w.contains("inflow.until")
            && w.contains(
                "the inflow ends at `until` (\"400d\"), after the horizon (\"365d\"): it stops \
                 at the horizon"
            )),
        "{w:?}"
    );
    assert!(inflow("365d").is_empty(), "{:?}", inflow("365d"));
    let w = inflow("60w");
    assert!(
        w.iter()
            .any(|w| w.contains("the inflow ends at `until` (\"60w\", 420d), after the horizon")),
        "{w:?}"
    );
}

#[test]
fn a_sweep_file_given_as_a_scenario_is_named_as_one() {
    let src = "[sweep]\nscenario = \"baseline.toml\"\nreplications = 10\n\"screening.servers\" = [30, 40]\n";
    let e = err(src);
    assert_eq!(e.diagnostics.len(), 1, "{e}");
    let d = has(
        &e,
        "sweep",
        "this is a sweep file ([sweep]), not a scenario",
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("run it with `clearance sweep bad.toml` (the scenario it varies is its [sweep] scenario = \"…\")")
    );
}

/// Origin A has buses to P1 and a continuous route to P2; B only a continuous route to P2.
const BESIDE: &str = r#"
[scenario]
name = "beside"
horizon = "100d"
[backlog]
people = 500
[[origin]]
name = "A"
share = 0.5
[[origin]]
name = "B"
share = 0.5
[dispatch]
choose_port = "shortest_queue"
[[route]]
from = "A"
to = "P1"
departures = ["09:00", "13:00"]
seats = 15
travel = "2h"
[[route]]
from = "A"
to = "P2"
travel = "3h"
[[route]]
from = "B"
to = "P2"
departures = "continuous"
travel = "1h"
[[port]]
name = "P1"
quota_per_day = 17
[[port]]
name = "P2"
quota_per_day = 23
"#;

/// A scheduled route beside a continuous route from the same origin carries only what the
/// continuous route cannot take when a group is ready, and nobody when it can always take
/// everyone: warned, naming the origin and both routes, with exactly the conditions under which
/// a bus can still take someone (the scenario stays valid).
#[test]
fn buses_beside_a_continuous_route_are_warned_of() {
    let beside = |src: &str| -> Vec<String> {
        load_str(src, "w.toml")
            .unwrap()
            .warnings
            .into_iter()
            .filter(|w| w.contains("continuous route"))
            .collect()
    };
    // P2 always takes A's groups at once: the buses to P1 carry nobody, and P1 processes
    // nobody. One warning, at the continuous route (route[2], line 21), none for B.
    let w = beside(BESIDE);
    assert_eq!(w.len(), 1, "{w:?}");
    let line = BESIDE.lines().position(|l| l == "travel = \"3h\"").unwrap() - 2;
    assert!(
        w[0].contains(&format!("w.toml:{line}:1: route[2]:")),
        "{w:?}"
    );
    for part in [
        "origin \"A\"",
        "its continuous route A->P2 takes every group ready to travel there the moment it is \
         ready",
        "its scheduled route A->P1 carries nobody",
        "nobody is processed at port P1, which no other route reaches",
        "give A->P2 `departures` too",
    ] {
        assert!(w[0].contains(part), "{part}: {w:?}");
    }
    // A holding limit at P2: the buses carry the groups it has no room for.
    let w = beside(&BESIDE.replace("quota_per_day = 23", "quota_per_day = 23\nholding = 30"));
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains(
            "its scheduled route A->P1 carries only the groups it cannot take when they are \
             ready, who wait for a bus or for room: while port P2's holding limit (30 people \
             waiting there or in transit to it) leaves no room for them"
        ) && !w[0].contains("nobody"),
        "{w:?}"
    );
    // Under appointment, P2's quota: the days it has none left to book.
    let appointment = BESIDE.replace("[dispatch]\n", "[dispatch]\npolicy = \"appointment\"\n");
    let w = beside(&appointment);
    assert!(
        w[0].contains("on days port P2 has no quota left to book") && !w[0].contains("nobody"),
        "{w:?}"
    );
    // … but a port without quota, open every day from day 0, always has room.
    let w = beside(&appointment.replace("quota_per_day = 23\n", ""));
    assert!(w[0].contains("carries nobody"), "{w:?}");
    // A disruption that closes A->P2 within the horizon leaves groups for the buses; one that
    // only halves it (a continuous route has no seats to halve), or that starts after the
    // horizon, does not.
    let disrupt = |capacity: &str, from: &str| {
        format!(
            "{BESIDE}[[disruption]]\nroutes = [\"A->P2\"]\nfrom = \"{from}\"\nuntil = \"200d\"\n\
             capacity = {capacity}\n"
        )
    };
    let w = beside(&disrupt("0", "30d"));
    assert!(
        w[0].contains("only the groups it cannot take")
            && w[0].contains("while a disruption closes it"),
        "{w:?}"
    );
    assert!(beside(&disrupt("0.5", "30d"))[0].contains("carries nobody"));
    assert!(beside(&disrupt("0", "150d"))[0].contains("carries nobody"));
    // Two continuous routes that can each be full: the buses carry what neither takes.
    let two = BESIDE.replace("quota_per_day = 23", "quota_per_day = 23\nholding = 30")
        + "[[route]]\nfrom = \"A\"\nto = \"P3\"\n[[port]]\nname = \"P3\"\nholding = 10\n";
    let w = beside(&two);
    assert!(
        w[0].contains("its continuous routes (A->P2, A->P3)")
            && w[0].contains("only the groups none of them can take")
            && w[0].contains("A->P2 while port P2's holding limit (30")
            && w[0].contains("; and A->P3 while port P3's holding limit (10"),
        "{w:?}"
    );
    // Only continuous routes, or only buses: nothing to say.
    assert!(
        beside(&BESIDE.replace("departures = [\"09:00\", \"13:00\"]\nseats = 15\n", "")).is_empty()
    );
    assert!(beside(VALID).is_empty());
}

/// A table that `--set` made on the way to its key (`port[P].ramp.from=10` on a port without a
/// ramp, `service.mean` on one without a service) or gave whole: what it lacks is put on the
/// `--set`, which names itself, with the whole table to set; a ramp's missing `over` had been
/// put on the file's `[[port]]` line, which has no ramp. A key of a fixed duration names the
/// distribution to give instead.
#[test]
fn what_a_table_made_by_set_lacks_is_put_on_the_set() {
    use clearance::scenario::{load_file_with, load_str_with, parse_set};
    let minimal = Path::new("tests/scenarios/minimal.toml");
    let one = |src: Option<&str>, s: &str| {
        let sets = [parse_set(s).unwrap()];
        let e = match src {
            None => load_file_with(minimal, &sets).map(|_| ()),
            Some(src) => load_str_with(src, "plain.toml", Path::new("."), &sets).map(|_| ()),
        }
        .expect_err(s);
        assert_eq!(e.diagnostics.len(), 1, "{s}: {e}");
        let d = e.diagnostics[0].clone();
        assert_eq!((d.file.as_str(), d.line), ("--set", None), "{s}: {e}");
        (
            d.key.unwrap_or_default(),
            d.message,
            d.hint.unwrap_or_default(),
        )
    };
    let (key, message, hint) = one(None, "port[San Ysidro].ramp.from=10");
    assert_eq!(key, "port[San Ysidro].ramp.over");
    assert!(message.contains("`ramp` is missing `over`"), "{message}");
    assert_eq!(
        hint,
        "the value comes from --set port[San Ysidro].ramp.from=10, which made port[San \
         Ysidro].ramp (the scenario has none): set the whole table, e.g. --set 'port[San \
         Ysidro].ramp={ from = 10, over = \"30d\" }'"
    );
    // Followed, the hint validates.
    let fix = parse_set("port[San Ysidro].ramp={ from = 10, over = \"30d\" }").unwrap();
    load_file_with(minimal, &[fix]).unwrap();
    // A table given whole that lacks a key.
    let (_, _, hint) = one(None, "port[1].ramp={ from = 10 }");
    assert!(
        hint.starts_with("the value comes from --set port[1].ramp={ from = 10 }: set the whole")
            && hint.ends_with("--set 'port[1].ramp={ from = 10, over = \"30d\" }'"),
        "{hint}"
    );
    // A distribution table made by a parameter, in a section the file has and one it has not.
    let (key, message, hint) = one(None, "port[San Ysidro].service.mean=20min");
    assert_eq!(key, "port[San Ysidro].service");
    assert!(message.contains("needs `dist`"), "{message}");
    assert!(
        hint.ends_with(
            "set the whole table, e.g. --set 'port[San Ysidro].service={ dist = \"exponential\", \
             mean = \"20min\" }'"
        ),
        "{hint}"
    );
    let (_, _, hint) = one(None, "registration.delay.sd=2d");
    assert!(
        hint.contains("which made registration.delay (the scenario has none)")
            && hint.contains(
                "'registration.delay={ dist = \"lognormal\", mean = \"40min\", sd = \"2d\" }'"
            ),
        "{hint}"
    );
    // A key that takes no table, made one.
    let (_, _, hint) = one(None, "port[1].hours.open=1");
    assert!(
        hint.ends_with("which made port[1].hours a table: set port[1].hours itself, e.g. --set 'port[1].hours=…'"),
        "{hint}"
    );
    // A parameter of a fixed duration: the distribution to give, the duration its mean.
    let plain = std::fs::read_to_string(minimal).unwrap() + "service = \"40min\"\n";
    let (key, message, hint) = one(Some(&plain), "port[San Ysidro].service.sd=10min");
    assert_eq!(key, "port[San Ysidro].service.sd");
    assert_eq!(
        message,
        "`service` is \"40min\", not a table: it has no `sd` to set"
    );
    assert_eq!(
        hint,
        "set it whole, e.g. --set 'port[San Ysidro].service={ dist = \"lognormal\", mean = \
         \"40min\", sd = \"10min\" }'"
    );
    // A bad value set in a ramp the file writes: the --set's, made by no --set.
    let e = load_file_with(
        Path::new("scenarios/baseline.toml"),
        &[parse_set("port[San Ysidro].ramp.from=-5").unwrap()],
    )
    .unwrap_err();
    assert!(e.diagnostics.iter().all(|d| d.file == "--set"), "{e}");
    assert!(!e.to_string().contains("which made"), "{e}");
}

/// `capacity` under a `[[port]]` means its quota or its servers, not the [[disruption]] factor
/// the hint had sent it to; under [screening] its servers, under a [[route]] its seats; in the
/// file and by --set alike. Another key of another section keeps its "belongs in" hint.
#[test]
fn capacity_in_a_port_suggests_its_quota_or_servers() {
    use clearance::scenario::{load_str_with, parse_set};
    let port = "did you mean `quota_per_day` (people a day) or `servers` (groups served at once)? \
                (`capacity` is a [[disruption]] factor)";
    let e = err(&with("holding = 400\n", "holding = 400\ncapacity = 50\n"));
    let d = has(&e, "port[San Ysidro].capacity", "unknown key \"capacity\"");
    assert_eq!(d.hint.as_deref(), Some(port));
    let e = err(&with("servers = 10\n", "capacity = 10\n"));
    let d = has(&e, "screening.capacity", "unknown key \"capacity\"");
    assert_eq!(
        d.hint.as_deref(),
        Some(
            "did you mean `servers` (groups served at once; [screening] has no daily quota)? \
             (`capacity` is a [[disruption]] factor)"
        )
    );
    let e = err(&with("seats = 50\n", "capacity = 50\n"));
    let d = has(&e, "route[1].capacity", "unknown key \"capacity\"");
    assert!(
        d.hint
            .as_deref()
            .is_some_and(|h| h.starts_with("did you mean `seats` (people a departure)?")),
        "{d:?}"
    );
    // Not in a nested table, nor where it is no planner's word for a key.
    let e = err(&with("[health]", "[attrition]\ncapacity = 1\n[health]"));
    let d = has(&e, "attrition.capacity", "unknown key \"capacity\"");
    assert_eq!(
        d.hint.as_deref(),
        Some("`capacity` belongs in [[disruption]]")
    );
    let e = err(&with("over = \"14d\"", "over = \"14d\", capacity = 3"));
    let d = has(
        &e,
        "port[San Ysidro].ramp.capacity",
        "unknown key \"capacity\"",
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("`capacity` belongs in [[disruption]]")
    );
    let e = load_str_with(
        VALID,
        "ok.toml",
        Path::new("."),
        &[parse_set("port[Brownsville].capacity=50").unwrap()],
    )
    .unwrap_err();
    assert_eq!(e.diagnostics[0].hint.as_deref(), Some(port), "{e}");
}

/// The deterministic two-port scenario with `choose_port` as given ("" = the line removed).
fn two_ports(choose: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/deterministic-42.toml");
    let text = std::fs::read_to_string(p).unwrap();
    let line = "choose_port = \"shortest_queue\"\n";
    assert!(text.contains(line));
    text.replace(line, choose)
}

/// Under choose_port = "first" a continuous route listed first whose port always accepts a
/// group takes everyone: the routes after it are never used, which validation says, naming the
/// origin, the routes, the port left idle and the fixes; not when they can be used.
#[test]
fn routes_never_used_under_choose_port_first_are_named() {
    let never = |w: &Vec<String>| -> Vec<String> {
        w.iter()
            .filter(|w| w.contains("never used"))
            .cloned()
            .collect()
    };
    let w = load_str(&two_ports("choose_port = \"first\"\n"), "d.toml")
        .unwrap()
        .warnings;
    let n = never(&w);
    assert_eq!(n.len(), 1, "{w:?}");
    for needle in [
        "d.toml:24:1: route[2]: origin \"A\"",
        "under dispatch.choose_port = \"first\" a ready group",
        "its continuous route A->P1 takes every group the moment it is ready",
        "its route A->P2 listed after it is never used",
        "port P2, which no other route reaches, processes nobody",
        "write choose_port = \"shortest_queue\" under [dispatch]",
        "give port P1 a `holding` limit",
    ] {
        assert!(n[0].contains(needle), "{needle:?} in {}", n[0]);
    }
    // The default, said as such.
    let w = load_str(&two_ports(""), "d.toml").unwrap().warnings;
    assert!(
        never(&w)
            .iter()
            .any(|w| w.contains("choose_port = \"first\" (the default)")),
        "{w:?}"
    );
    // Spread by shortest_queue, or the later route taking the overflow of a holding limit (or,
    // under appointment, of P1's quota): no such warning.
    let sq = load_str(&two_ports("choose_port = \"shortest_queue\"\n"), "d.toml").unwrap();
    assert!(never(&sq.warnings).is_empty(), "{:?}", sq.warnings);
    let held = two_ports("").replace("name = \"P1\"\n", "name = \"P1\"\nholding = 300\n");
    let w = load_str(&held, "d.toml").unwrap().warnings;
    assert!(never(&w).is_empty(), "{w:?}");
    let booked = two_ports("policy = \"appointment\"\n");
    let w = load_str(&booked, "d.toml").unwrap().warnings;
    assert!(never(&w).is_empty(), "{w:?}");
}

/// Under appointment, buses that run only on days their port does not serve carry nobody:
/// validation names the route, its days and the port's; not when the days meet, nor under fifo.
#[test]
fn appointment_buses_on_days_the_port_does_not_serve_are_named() {
    let text = |policy: &str, days: &str| {
        format!(
            "[scenario]\nname = \"w\"\n[backlog]\npeople = 100\n[[origin]]\nname = \"A\"\n\
             [dispatch]\npolicy = \"{policy}\"\n[[route]]\nfrom = \"A\"\nto = \"P\"\n\
             departures = [\"07:00\"]\ndays = {days}\nseats = 50\n[[port]]\nname = \"P\"\n\
             quota_per_day = 50\ndays = [\"Mon\", \"Tue\", \"Wed\", \"Thu\", \"Fri\"]\n"
        )
    };
    let w = load_str(&text("appointment", "[\"Sat\", \"Sun\"]"), "a.toml")
        .unwrap()
        .warnings;
    assert!(
        w.iter().any(|w| w.contains("a.toml:13:1: route[1].days: under dispatch.policy = \"appointment\" nobody ever boards route A->P")
            && w.contains("its buses run on Sat, Sun and port P serves on Mon–Fri")
            && w.contains("run the buses on days the port serves")),
        "{w:?}"
    );
    for (policy, days) in [
        ("appointment", "[\"Fri\", \"Sat\"]"),
        ("fifo", "[\"Sat\", \"Sun\"]"),
    ] {
        let w = load_str(&text(policy, days), "a.toml").unwrap().warnings;
        assert!(!w.iter().any(|w| w.contains("nobody ever boards")), "{w:?}");
    }
    // Days that partly meet: the buses on the others carry nobody, said for the days written.
    let w = load_str(&text("appointment", "[\"Fri\", \"Sat\"]"), "a.toml")
        .unwrap()
        .warnings;
    assert!(
        w.iter()
            .any(|w| w
                .contains("the buses of route A->P on Sat carry nobody: port P serves on Mon–Fri")),
        "{w:?}"
    );
    let w = load_str(&text("appointment", "[\"Mon\", \"Fri\"]"), "a.toml")
        .unwrap()
        .warnings;
    assert!(!w.iter().any(|w| w.contains("carry nobody")), "{w:?}");
}

/// Attrition acts only until boarding: with every route continuous and taking a group at once,
/// nobody drops out while waiting at a port, which validation says; not under appointment
/// (groups then wait for a day with quota before boarding).
#[test]
fn attrition_with_only_continuous_routes_is_explained() {
    let text = |dispatch: &str| {
        format!(
            "[scenario]\nname = \"w\"\n[backlog]\npeople = 10000\n[[origin]]\nname = \"A\"\n\
             [attrition]\nhazard_per_day = 0.01\n{dispatch}[[route]]\nfrom = \"A\"\nto = \"P\"\n\
             [[port]]\nname = \"P\"\nquota_per_day = 100\n"
        )
    };
    let w = load_str(&text(""), "t.toml").unwrap().warnings;
    assert!(
        w.iter()
            .any(|w| w.starts_with("t.toml:8:1: attrition.hazard_per_day:")
                && w.contains("drop-outs happen only before boarding")
                && w.contains("nobody drops out while waiting at a port")
                && w.contains("policy = \"appointment\"")),
        "{w:?}"
    );
    let w = load_str(&text("[dispatch]\npolicy = \"appointment\"\n"), "t.toml")
        .unwrap()
        .warnings;
    assert!(
        !w.iter().any(|w| w.contains("only before boarding")),
        "{w:?}"
    );
}

/// A horizon that is refused is not quoted by other messages with the default standing in for
/// it ("lasts to the horizon (\"1y\", 3650d)").
#[test]
fn a_refused_horizon_is_not_quoted_by_other_messages() {
    let text = VALID.replace("horizon = \"365d\"", "horizon = \"1y\"")
        + "[inflow]\nrate_per_day = 2\n[[phase]]\npeople = 5\nopens = \"4000d\"\n\
           [[disruption]]\nports = [\"Brownsville\"]\nfrom = \"4000d\"\nuntil = \"4001d\"\n\
           capacity = 0\n";
    let e = load_str(&text, "h.toml").unwrap_err();
    let all = format!("{e} {:?}", e.warnings);
    assert!(all.contains("scenario.horizon"), "{all}");
    assert!(!all.contains("3650d"), "{all}");
    assert!(!all.contains("the horizon (\"1y\""), "{all}");
}

/// A ':' in a port's, an origin's or a class's name is refused: the outputs join a metric and
/// a name with ':', and a port "class:vip" beside a class "vip" gave two columns
/// processed:class:vip. Other names (the scenario's, a phase's) may hold one.
#[test]
fn a_colon_in_a_port_origin_or_class_name_is_refused() {
    let src = VALID
        .replace("name = \"San Ysidro\"", "name = \"class:vip\"")
        .replace("to = \"San Ysidro\"", "to = \"class:vip\"")
        .replace("name = \"Matamoros\"", "name = \"A:B\"")
        .replace("from = \"Matamoros\"", "from = \"A:B\"")
        + "[[class]]\nname = \"vip\"\nshare = 0.5\n[[class]]\nname = \"x:y\"\nshare = 0.5\n";
    let e = err(&src);
    let d = has(
        &e,
        "port[class:vip].name",
        "port name \"class:vip\" contains ':'",
    );
    assert!(d.message.contains("processed:class:vip"), "{}", d.message);
    assert!(d.hint.unwrap().contains("name = \"class-vip\""));
    has(&e, "origin[A:B].name", "origin name \"A:B\" contains ':'");
    has(&e, "class[x:y].name", "class name \"x:y\" contains ':'");
    // The scenario's name and a phase's may.
    let ok = VALID.replace("name = \"test\"", "name = \"Variant: test\"")
        + "[[phase]]\nname = \"Phase 2: later\"\npeople = 10\nopens = \"10d\"\n";
    load_str(&ok, "ok.toml").unwrap();
}

/// A variant that extends a base: a start_date other than the base's moves every time the base
/// writes (they count from the start date), which a warning says with both dates; a [[port]]
/// whose name is a near miss of a base port's adds a port no route leads to, an error naming
/// the base port; a base that is a sweep file is named in the hint, not the variant.
#[test]
fn extends_warns_of_a_moved_start_date_and_refuses_a_misspelt_port() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/port-closure.toml");
    let baseline = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    std::fs::copy(&base, d.join("port-closure.toml")).unwrap();
    std::fs::copy(&baseline, d.join("baseline.toml")).unwrap();
    let write = |name: &str, text: &str| {
        let p = d.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let later = write(
        "later.toml",
        "extends = \"port-closure.toml\"\n[scenario]\nname = \"later\"\nstart_date = \"2021-04-01\"\n",
    );
    let w = load_file(&later).unwrap().warnings;
    assert!(
        w.iter().any(|w| w.contains("later.toml:4:1: scenario.start_date: start_date (2021-04-01) is not the start_date of the base")
            && w.contains("port-closure.toml (2021-02-19)")
            && w.contains("[[disruption]] from and until")
            && w.contains("41 days later")),
        "{w:?}"
    );
    let same = write(
        "same.toml",
        "extends = \"port-closure.toml\"\n[scenario]\nname = \"same\"\nstart_date = 2021-02-19\n",
    );
    let w = load_file(&same).unwrap().warnings;
    assert!(!w.iter().any(|w| w.contains("start_date")), "{w:?}");

    let typo = write(
        "typo.toml",
        "extends = \"baseline.toml\"\n[scenario]\nname = \"typo\"\n[[port]]\nname = \"ElPaso\"\nquota_per_day = 500\n",
    );
    let find = |e: &ScenarioError, key: &str, msg: &str| {
        e.diagnostics
            .iter()
            .find(|d| d.key.as_deref() == Some(key) && d.message.contains(msg))
            .unwrap_or_else(|| panic!("no {key:?} {msg:?} in {e}"))
            .clone()
    };
    let e = load_file(&typo).unwrap_err();
    let x = find(
        &e,
        "port[ElPaso].name",
        "port \"ElPaso\" matches no port of the base",
    );
    assert_eq!(x.line, Some(5));
    assert!(x.hint.unwrap().contains("did you mean \"El Paso\"?"));

    // A near miss of a base phase's name adds a cohort: warned.
    write(
        "with-phase.toml",
        &(VALID.to_string() + "[[phase]]\nname = \"Phase 2\"\npeople = 10\nopens = \"30d\"\n"),
    );
    let more = write(
        "more.toml",
        "extends = \"with-phase.toml\"\n[scenario]\nname = \"more\"\n[[phase]]\nname = \"Phase2\"\npeople = 500\nopens = \"30d\"\n",
    );
    let w = load_file(&more).unwrap().warnings;
    assert!(
        w.iter().any(|w| w.contains(
            "more.toml:5:1: phase[Phase2].name: phase \"Phase2\" matches no phase of the base"
        ) && w.contains("write name = \"Phase 2\"")),
        "{w:?}"
    );
    let sweep = write(
        "sweep2.toml",
        "[sweep]\nscenario = \"baseline.toml\"\n\"port[San Ysidro].quota_per_day\" = [200, 300]\n",
    );
    let exsw = write("exsw.toml", "extends = \"sweep2.toml\"\n");
    let e = load_file(&exsw).unwrap_err();
    let x = find(&e, "sweep", "extends");
    let hint = x.hint.unwrap();
    assert!(
        hint.contains(&format!("clearance sweep {}", sweep.display())),
        "{hint}"
    );
    assert!(!hint.contains("exsw.toml"), "{hint}");
}

/// A bare TOML date (`start_date = 2021-03-01`, as README allows) is a start date as the quoted
/// one is, on either side of `extends`: a variant's bare date over a bare or a quoted base's,
/// a quoted one over a bare base's, and a bare one over a base on the default start date all
/// warn that the base's times move. A bare date had been read as no date at all, so the base's
/// closure written as 30d–37d moved a month without a word.
#[test]
fn a_bare_start_date_on_either_side_of_extends_warns_as_a_quoted_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let closure = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/port-closure.toml"),
    )
    .unwrap();
    let quoted = "start_date = \"2021-02-19\"";
    assert!(closure.contains(quoted));
    std::fs::write(d.join("quoted.toml"), &closure).unwrap();
    std::fs::write(
        d.join("bare.toml"),
        closure.replace(quoted, "start_date = 2021-02-19"),
    )
    .unwrap();
    std::fs::write(
        d.join("nobase.toml"),
        "[scenario]\nname = \"nb\"\n[backlog]\npeople = 10\n[[origin]]\nname = \"O\"\n\
         [[port]]\nname = \"P\"\nopens = \"30d\"\nservers = 1\n[[route]]\nfrom = \"O\"\nto = \"P\"\n",
    )
    .unwrap();
    let cases = [
        ("bare.toml", "2021-03-01", "(2021-02-19)", "10 days later"),
        ("quoted.toml", "2021-03-01", "(2021-02-19)", "10 days later"),
        (
            "bare.toml",
            "\"2021-03-01\"",
            "(2021-02-19)",
            "10 days later",
        ),
        ("bare.toml", "2021-02-01", "(2021-02-19)", "18 days earlier"),
        (
            "nobase.toml",
            "2021-03-01",
            "(2021-01-01, the default)",
            "59 days later",
        ),
    ];
    for (k, (base, date, theirs, shift)) in cases.into_iter().enumerate() {
        let v = d.join(format!("v{k}.toml"));
        std::fs::write(
            &v,
            format!("extends = \"{base}\"\n[scenario]\nstart_date = {date}\n"),
        )
        .unwrap();
        let w = load_file(&v).unwrap().warnings;
        let want = format!("v{k}.toml:3:1: scenario.start_date: start_date (");
        assert!(
            w.iter().any(|w| w.contains(&want)
                && w.contains(&format!("{base} {theirs}"))
                && w.contains(shift)),
            "{base} with start_date = {date}: {w:?}"
        );
    }
    // The same date, bare over quoted and quoted over bare: nothing moves, no warning.
    for (base, date) in [
        ("quoted.toml", "2021-02-19"),
        ("bare.toml", "\"2021-02-19\""),
    ] {
        let v = d.join("same.toml");
        std::fs::write(
            &v,
            format!("extends = \"{base}\"\n[scenario]\nstart_date = {date}\n"),
        )
        .unwrap();
        let w = load_file(&v).unwrap().warnings;
        assert!(
            !w.iter().any(|w| w.contains("start_date")),
            "{base} {date}: {w:?}"
        );
    }
}

/// The crates whose types the API takes are reachable through it, at the versions it uses: a
/// program writes `clearance::toml::Value`, `clearance::chrono::NaiveDate` and
/// `clearance::rand_distr::Exp` without pinning those crates itself.
#[test]
fn the_api_s_foreign_types_are_re_exported() {
    use clearance::scenario::{dist::Dist, load_file, overrides::Override};
    let mut s = load_file(Path::new("scenarios/baseline.toml")).unwrap();
    s.set_start_date(clearance::chrono::NaiveDate::from_ymd_opt(2021, 3, 1).unwrap());
    s.health.as_mut().unwrap().isolation = Dist::Exponential {
        mean: 7.0,
        exp: clearance::rand_distr::Exp::new(1.0 / 7.0).unwrap(),
    };
    assert_eq!(s.check(), Ok(()));
    let o = Override {
        path: "backlog.people".into(),
        value: clearance::toml::Value::Integer(100),
        origin: "--set".into(),
    };
    let l = clearance::scenario::load_file_with(Path::new("scenarios/baseline.toml"), &[o]);
    assert_eq!(l.unwrap().scenario.backlog.people, 100);
}

/// The problems of a scenario changed in code name the TOML key a planner writes (not the
/// Rust field: `attrition.hazard_per_day`, not `attrition_hazard`), elements as the loader
/// names them, and the fix where there is one; a program matches on their `key`.
#[test]
fn check_problems_are_keyed_by_toml_paths() {
    use clearance::experiment::{self, RunError};
    let base =
        clearance::scenario::load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
    let mut s = base.clone();
    s.health.as_mut().unwrap().positive = 1.5;
    s.attrition_hazard = -0.1;
    s.warmup = 1e9;
    s.origins[0].share = 0.9;
    let tijuana = s.origins[0].name.clone();
    let q = s.ports.iter().position(|p| p.ramp.is_some()).unwrap();
    s.ports[q].ramp.as_mut().unwrap().over = 0.0;
    let port = s.ports[q].name.clone();
    let e = s.check().unwrap_err();
    let keys: Vec<&str> = e.iter().map(|p| p.key.as_str()).collect();
    for k in [
        "health.positive",
        "attrition.hazard_per_day",
        "scenario.warmup",
        "origin",
        &format!("port[{port}].ramp.over"),
    ] {
        assert!(keys.contains(&k), "{k}: {keys:?}");
    }
    let text = |key: &str| {
        e.iter()
            .find(|p| p.key == key)
            .map(ToString::to_string)
            .unwrap()
    };
    assert_eq!(
        text("attrition.hazard_per_day"),
        "attrition.hazard_per_day: -0.1: must be 0 or more per day"
    );
    assert!(
        text("origin").starts_with("origin: the shares of the 3 origins sum to 1.")
            && text("origin").contains("(scale each origin's share by 0."),
        "{}",
        text("origin")
    );
    assert_eq!(
        text(&format!("port[{port}].ramp.over")),
        format!(
            "port[{port}].ramp.over: 0 days: must be longer than 0 (for no ramp, set ramp to None)"
        )
    );
    // A share out of range is keyed by its element.
    let mut s = base.clone();
    s.origins[0].share = -0.5;
    s.origins[1].share += 1.5;
    let e = s.check().unwrap_err();
    assert_eq!(e[0].key, format!("origin[{tijuana}].share"), "{e:?}");
    // A start date assigned without its weekday: keyed where the schedule's days count from,
    // with the fix.
    let mut s = base.clone();
    s.start_date = s.start_date.succ_opt().unwrap();
    let e = s.check().unwrap_err();
    assert!(
        e.iter().all(|p| p.key.ends_with(".days")
            && p.hint.as_deref() == Some("change the start with Scenario::set_start_date")),
        "{e:?}"
    );
    // Experiments give the same problems; a comparison names the scenario each is in, and an
    // option out of range is keyed by the option.
    let mut bad = base.clone();
    bad.attrition_hazard = -0.1;
    match experiment::run(&bad, &Default::default()) {
        Err(RunError::Invalid(p)) => {
            assert_eq!(p.len(), 1);
            assert_eq!(p[0].key, "attrition.hazard_per_day");
            assert_eq!(p[0].scenario, None);
        }
        other => panic!("{:?}", other.map(|r| r.summary.replications)),
    }
    let zero = experiment::RunOptions {
        replications: Some(0),
        ..Default::default()
    };
    match experiment::run(&base, &zero) {
        Err(RunError::Invalid(p)) => assert_eq!(
            p[0].to_string(),
            "RunOptions.replications: 0: give 1 to 1,000,000"
        ),
        other => panic!("{:?}", other.map(|r| r.summary.replications)),
    }
}

/// `[health].share`: a share of the groups, 0 to 1; 30 for 30% and "30%" are told how to write
/// it; omitted, every group is checked.
#[test]
fn a_health_share_is_a_fraction_of_the_groups() {
    let ok = load_str(
        &with("positive = 0.04", "positive = 0.04\nshare = 0.3"),
        "ok.toml",
    );
    assert_eq!(ok.unwrap().health.unwrap().share, 0.3);
    assert_eq!(
        load_str(VALID, "ok.toml").unwrap().health.unwrap().share,
        1.0
    );
    let e = err(&with("positive = 0.04", "positive = 0.04\nshare = 30"));
    let d = has(&e, "health.share", "not between 0 and 1");
    assert_eq!(d.hint.as_deref(), Some("for 30%, write 0.3"), "{d:?}");
    let e = err(&with("positive = 0.04", "positive = 0.04\nshare = \"30%\""));
    let d = has(&e, "health.share", "");
    assert!(
        d.hint.as_deref().unwrap_or("").contains("write 0.3"),
        "{d:?}"
    );
    let e = err(&with("positive = 0.04", "positive = 0.04\nshare = -0.1"));
    has(&e, "health.share", "not between 0 and 1");
}

/// A name or other text holding a control character (ESC, CR, NUL, …) or a bidirectional
/// override is refused at its key with its line, the character's code point and position, and
/// the fix; no message prints the character itself (an ESC in a port name had erased the other
/// errors in a terminal and forged an `ok:` line), and the other errors are still reported.
#[test]
fn control_and_bidi_characters_in_text_are_refused_and_never_printed() {
    let src = with(
        "name = \"Brownsville\"\nquota_per_day = 100",
        "name = \"Brownsville\\r\\u001b[2Kok: fine\"\nquota_per_day = -100",
    );
    let src = src.replacen("name = \"test\"", "name = \"te\\u202Est\"", 1);
    let src = src.replacen("isolation = \"10d\"", "isolation = \"10d\\u0000\"", 1);
    let e = err(&src);
    let d = has(
        &e,
        "port[2].name",
        "U+000D (carriage return) at character 12",
    );
    assert_eq!(d.line, Some(line_of(&src, "Brownsville\\r")));
    assert!(d.hint.as_deref().unwrap_or("").contains("retype"), "{d:?}");
    has(
        &e,
        "scenario.name",
        "U+202E (bidirectional override) at character 3",
    );
    has(&e, "health.isolation", "U+0000 (null) at character 4");
    // the quota error of the same port is reported beside it, at its position label
    has(&e, "port[2].quota_per_day", "");
    let shown = e.to_string();
    for c in ['\u{1b}', '\r', '\0', '\u{202e}'] {
        assert!(!shown.contains(c), "{c:?} printed raw in:\n{shown}");
    }
    assert!(
        shown.contains(r"Brownsville\u{d}\u{1b}[2Kok: fine"),
        "{shown}"
    );
}

/// A name that differs from a known one only in how an accented letter is encoded (é as one
/// character in one place, e + a combining accent in the other) is said to be that, not only
/// "did you mean" the same-looking name.
#[test]
fn a_name_differing_only_in_normalisation_says_so() {
    let src = VALID.replacen("from = \"Tijuana\"", "from = \"Tiju\u{e1}na\"", 1);
    let src = src.replacen("name = \"Tijuana\"", "name = \"Tijua\u{301}na\"", 1);
    let e = err(&src);
    let d = has(&e, "route[1].from", "unknown origin");
    let hint = d.hint.unwrap_or_default();
    assert!(
        hint.contains("differ only in how an accented letter is encoded (Unicode normalisation)"),
        "{hint}"
    );
}

/// More than 1,000 ports (or origins, or routes) are refused with the count, the limit and why,
/// before the capacity analysis that compares them pairwise would take minutes.
#[test]
fn more_than_a_thousand_ports_are_refused_with_the_count_and_the_limit() {
    let mut src = VALID.to_string();
    for i in 0..1000 {
        src.push_str(&format!(
            "\n[[port]]\nname = \"Extra {i}\"\nquota_per_day = 1\n"
        ));
    }
    let e = err(&src);
    let d = has(&e, "port", "1002 [[port]] sections; at most 1000");
    assert!(d.message.contains("pairwise"), "{d:?}");
    // 1,000 are accepted
    let mut src = VALID.to_string();
    for i in 0..998 {
        src.push_str(&format!(
            "\n[[port]]\nname = \"Extra {i}\"\nquota_per_day = 1\n"
        ));
    }
    assert!(load_str(&src, "ok.toml").is_ok());
}

/// The hint of the one diagnostic of a file with a TOML syntax error.
fn syntax_hint(src: &str) -> (clearance::scenario::Diagnostic, String) {
    let e = err(src);
    assert_eq!(e.diagnostics.len(), 1, "{e}");
    let d = e.diagnostics[0].clone();
    assert!(d.message.starts_with("TOML syntax error"), "{e}");
    let h = d.hint.clone().unwrap();
    (d, h)
}

/// A non-breaking space (pasted from Word or e-mail) or another odd space where TOML reads
/// code is named, with its line, column and code point, and the fix, not taken for a missing
/// quote or a malformed key; with the space retyped, the file loads.
#[test]
fn an_odd_space_in_a_line_is_named_with_its_position() {
    for (old, new, col) in [
        ("people = 1000", "people =\u{a0}1000", 9),
        ("people = 1000", "people =\u{a0}\"1000\"", 9),
        ("people = 1000", "people\u{a0}= 1000", 7),
    ] {
        let src = with(old, new);
        let (d, h) = syntax_hint(&src);
        let line = line_of(&src, "people");
        assert_eq!(d.line, Some(line), "{new:?}");
        assert_eq!(
            h,
            format!(
                "line {line} holds a non-breaking space (U+00A0) at column {col}, pasted from a \
                 word processor or e-mail: it looks like a space, but TOML does not read it as \
                 one; retype it as a normal space"
            ),
            "{new:?}"
        );
        assert!(
            load_str(&src.replace('\u{a0}', " "), "ok.toml").is_err_and(|e| {
                // (`people = "1000"` is then text where a number is due: a new error, not this one)
                !e.to_string().contains("U+00A0")
            }) || load_str(&src.replace('\u{a0}', " "), "ok.toml").is_ok()
        );
    }
    for (c, what) in [
        ('\u{202f}', "a narrow non-breaking space (U+202F)"),
        ('\u{2009}', "a thin space (U+2009)"),
        ('\u{3000}', "an ideographic space (U+3000)"),
    ] {
        let (_, h) = syntax_hint(&with("people = 1000", &format!("people ={c}1000")));
        assert!(h.contains(&format!("{what} at column 9")), "{h}");
    }
    // Zero-width characters mid-file: said to show as nothing, and to be deleted.
    for (c, what) in [
        ('\u{200b}', "an invisible zero-width space (U+200B)"),
        (
            '\u{feff}',
            "an invisible zero-width no-break space (byte-order mark) (U+FEFF)",
        ),
    ] {
        let (_, h) = syntax_hint(&with("people = 1000", &format!("people = {c}1000")));
        assert!(h.contains(&format!("{what} at column 10")), "{h}");
        assert!(h.ends_with("shows as nothing, but TOML reads it as a character; delete it"));
    }
    // In a comment or inside a closed string it is no syntax error's cause, and not named.
    let (_, h) = syntax_hint(&with(
        "people = 1000",
        "people = 1000 x # 25\u{a0}000 people\nnote = \"a\u{a0}b\"",
    ));
    assert!(!h.contains("U+00A0"), "{h}");
}

/// A name that differs from a known one only by a non-breaking space (or another odd or
/// invisible character) looks the same in every editor: the did-you-mean hint says which
/// character differs and where. A name holding one that matches everywhere is a warning.
#[test]
fn names_differing_by_an_invisible_character_say_what_differs() {
    let src = with("name = \"San Ysidro\"", "name = \"San\u{a0}Ysidro\"");
    let e = err(&src);
    let d = has(&e, "route[1].to", "unknown port");
    assert_eq!(
        d.hint.as_deref(),
        Some(
            "did you mean \"San\u{a0}Ysidro\"? \"San Ysidro\" here has a normal space at \
             character 4 where \"San\u{a0}Ysidro\" holds a non-breaking space (U+00A0): retype \
             it as a normal space where that name is given"
        )
    );
    let src = with("to = \"San Ysidro\"", "to = \"San\u{a0}Ysidro\"");
    let d = has(&err(&src), "route[1].to", "unknown port");
    assert!(
        d.hint.as_deref().unwrap().contains(
            "\"San\u{a0}Ysidro\" here holds a non-breaking space (U+00A0) at character 4 where \
             \"San Ysidro\" has a normal space: retype it as a normal space"
        ),
        "{d:?}"
    );
    // The same name with the same space everywhere loads, with a warning naming it.
    let src = with("name = \"San Ysidro\"", "name = \"San\u{a0}Ysidro\"")
        .replace("to = \"San Ysidro\"", "to = \"San\u{a0}Ysidro\"");
    let s = load_str(&src, "nbsp.toml").unwrap();
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(
        s.warnings[0].contains(
            "port[San\u{a0}Ysidro].name: the name \"San\u{a0}Ysidro\" holds a non-breaking space \
             (U+00A0) at character 4"
        ),
        "{:?}",
        s.warnings
    );
    assert!(load_str(VALID, "ok.toml").unwrap().warnings.is_empty());
}

/// A decimal comma gets the number with a point (not a thousands fix that TOML cannot read
/// either), `1,500` both readings, `25,000` still its thousands fix; so does `--set`.
#[test]
fn a_decimal_comma_is_given_its_point() {
    for (old, new, fix) in [
        (
            "positive = 0.04",
            "positive = 0,125",
            "positive = 0.125, not 0,125",
        ),
        (
            "positive = 0.04",
            "positive = 0,03",
            "positive = 0.03, not 0,03",
        ),
        ("servers = 10", "servers = 1,5", "servers = 1.5, not 1,5"),
        (
            "never = 0.05",
            "never = 0,05 # ten in 200",
            "never = 0.05, not 0,05",
        ),
    ] {
        let (_, h) = syntax_hint(&with(old, new));
        assert_eq!(
            h,
            format!("a decimal number is written with a point: {fix}")
        );
    }
    let (_, h) = syntax_hint(&with("people = 1000", "people = 1,500"));
    assert_eq!(
        h,
        "a number has no comma in it: for 1500 write people = 1500; for 1.5 (a decimal comma) \
         write people = 1.5 (a decimal number is written with a point)"
    );
    let (_, h) = syntax_hint(&with("people = 1000", "people = 25,000"));
    assert!(h.starts_with("write 25000 or 25_000, not 25,000"), "{h}");

    use clearance::scenario::{load_file_with, parse_set};
    let minimal = Path::new("tests/scenarios/minimal.toml");
    let e = load_file_with(minimal, &[parse_set("health.positive=0,03").unwrap()]).unwrap_err();
    assert_eq!(
        e.diagnostics[0].hint.as_deref(),
        Some("a decimal number is written with a point: 0.03, not 0,03"),
        "{e}"
    );
}

/// Curly (typographic) quotes are named, and the line suggested has straight ones in their
/// place (none kept); text wrapped in curly quotes inside straight ones is refused, naming the
/// key, and nothing else about it is reported.
#[test]
fn curly_quotes_are_named_and_replaced_by_straight_ones() {
    for (old, new, fixed) in [
        (
            "horizon = \"365d\"",
            "horizon = \u{201d}365d\u{201d}",
            "horizon = \"365d\"",
        ),
        (
            "name = \"test\"",
            "name = \u{201c}MPP wind-down\u{201d}",
            "name = \"MPP wind-down\"",
        ),
        (
            "name = \"test\"",
            "name = \u{2018}test\u{2019}",
            "name = \"test\"",
        ),
        (
            "name = \"test\"",
            "name = \"test\u{201d}",
            "name = \"test\"",
        ),
        // an apostrophe between letters stays (a `"` there had ended the text)
        (
            "name = \"test\"",
            "name = \u{2018}People\u{2019}s shelter\u{2019}",
            "name = \"People\u{2019}s shelter\"",
        ),
        (
            "days = [\"Mon\", \"Tue\", \"Wed\", \"Thu\", \"Fri\"]",
            "days = [\u{201c}Mon\u{201d}, \u{201c}Tue\u{201d}]",
            "days = [\"Mon\", \"Tue\"]",
        ),
    ] {
        let (_, h) = syntax_hint(&with(old, new));
        assert!(h.contains("curly (typographic) quotes"), "{h}");
        assert!(
            h.ends_with(&format!("replace them with straight quotes \": {fixed}")),
            "{new}: {h}"
        );
        // following the hint gives a scenario that loads
        load_str(&with(old, fixed), "fixed.toml").unwrap();
    }
    let e = err(&with(
        "name = \"test\"",
        "name = \"\u{201c}MPP wind-down\u{201d}\"",
    ));
    assert_eq!(e.diagnostics.len(), 1, "{e}");
    let d = has(
        &e,
        "scenario.name",
        "begins and ends with curly (typographic) quotes",
    );
    assert_eq!(d.hint.as_deref(), Some("write name = \"MPP wind-down\""));
    let src = with("horizon = \"365d\"", "horizon = \"\u{201d}365d\u{201d}\"");
    let e = err(&src);
    assert_eq!(e.diagnostics.len(), 1, "{e}");
    assert_eq!(e.diagnostics[0].line, Some(line_of(&src, "horizon")));
    // an item of a list wrapped so is told to be written alone, not as the whole key
    let e = err(&with(
        "days = [\"Mon\", \"Tue\", \"Wed\", \"Thu\", \"Fri\"]",
        "days = [\"\u{201c}Mon\u{201d}\", \"Tue\"]",
    ));
    assert_eq!(e.diagnostics.len(), 1, "{e}");
    assert_eq!(
        e.diagnostics[0].hint.as_deref(),
        Some("write \"Mon\" as that item of days"),
        "{e}"
    );
    // curly quotes inside a text are kept
    load_str(
        &with("name = \"test\"", "name = \"Plan \u{201c}B\u{201d}\""),
        "ok.toml",
    )
    .unwrap();
}

/// A Windows path in `extends`: `\b` read as a backspace, `\U` as the start of a code point,
/// and a literal backslash on a system where `/` separates folders are each told to write the
/// path with `/`.
#[test]
fn backslashes_in_an_extends_path_are_told_to_be_slashes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("baseline.toml"), VALID).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let child = dir.path().join("sub").join("child.toml");
    let load = |extends: &str| {
        std::fs::write(
            &child,
            format!("extends = {extends}\n[scenario]\nname = \"c\"\n"),
        )
        .unwrap();
        load_file(&child)
    };
    let e = load(r#""..\baseline.toml""#).unwrap_err();
    let d = &e.diagnostics[0];
    assert_eq!(d.key.as_deref(), Some("extends"));
    assert!(
        d.message.contains("holds a backspace (U+0008) at character 3: in \"…\" text TOML reads \\b as a backspace"),
        "{e}"
    );
    let h = d.hint.as_deref().unwrap();
    assert!(
        h.starts_with("write the path with / (extends = \"../baseline.toml\")"),
        "{h}"
    );
    assert!(h.contains("'..\\baseline.toml'"), "{h}");
    let e = load(r#""C:\Users\me\baseline.toml""#).unwrap_err();
    let d = &e.diagnostics[0];
    assert!(d.message.starts_with("TOML syntax error"), "{e}");
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .starts_with("write the path with / (extends = \"C:/Users/me/baseline.toml\")"),
        "{e}"
    );
    // written with `/`, as the hint says, it loads
    load(r#""../baseline.toml""#).unwrap();
    if !cfg!(windows) {
        let e = load(r#"'..\baseline.toml'"#).unwrap_err();
        let h = e.diagnostics[0].hint.as_deref().unwrap();
        assert!(h.contains("on this system / separates folders"), "{e}");
    }
    // another escape error in text: how to write a backslash
    let (_, h) = syntax_hint(&with("name = \"test\"", r#"name = "a \q b""#));
    assert!(
        h.starts_with("in \"…\" text a backslash starts an escape"),
        "{h}"
    );
}

/// An unnamed phase is called "phase N" by its place: a phase that writes that name is refused
/// by validation, at its line, as `run` would refuse it (also when the two come from a base and
/// its variant).
#[test]
fn a_written_phase_name_that_takes_an_unnamed_phases_name_is_refused() {
    let src = format!(
        "{VALID}\n[[phase]]\nname = \"phase 2\"\npeople = 1000\nopens = \"10d\"\n\n\
         [[phase]]\npeople = 500\nopens = \"20d\"\n"
    );
    let e = err(&src);
    let d = has(
        &e,
        "phase[phase 2].name",
        "\"phase 2\" is also the name of phase[2]",
    );
    assert_eq!(d.line, Some(line_of(&src, "name = \"phase 2\"")));
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("give this phase another name"),
        "{d:?}"
    );
    assert_eq!(e.kind, ScenarioErrorKind::Invalid, "{e}");

    // Through `extends`: the base's unnamed phase is "phase 1", the variant names its own so.
    let dir = tempfile::tempdir().unwrap();
    let base = format!("{VALID}\n[[phase]]\npeople = 1000\nopens = \"10d\"\n");
    std::fs::write(dir.path().join("base.toml"), base).unwrap();
    let variant = "extends = \"base.toml\"\n[scenario]\nname = \"v\"\n\n\
                   [[phase]]\nname = \"phase 1\"\npeople = 500\nopens = \"10d\"\n";
    let f = dir.path().join("v.toml");
    std::fs::write(&f, variant).unwrap();
    let e = load_file(&f).unwrap_err();
    let d = e
        .diagnostics
        .iter()
        .find(|d| d.key.as_deref() == Some("phase[phase 1].name"))
        .unwrap_or_else(|| panic!("{e}"));
    assert!(
        d.message
            .contains("\"phase 1\" is also the name of phase[1]"),
        "{e}"
    );
    assert!(d.file.ends_with("v.toml"), "{d:?}");
    assert_eq!(d.line, Some(line_of(variant, "name = \"phase 1\"")));
}

/// A small scenario of one origin, one route and one port, for the warnings below.
fn one_port(group_size: &str, route: &str, port: &str, rest: &str) -> Vec<String> {
    one_port_scenario(group_size, route, port, rest).warnings
}

fn one_port_scenario(
    group_size: &str,
    route: &str,
    port: &str,
    rest: &str,
) -> clearance::scenario::Scenario {
    let text = format!(
        "[scenario]\nname = \"w\"\nhorizon = \"200d\"\n[backlog]\npeople = 100\n{group_size}\n\
         [[origin]]\nname = \"O\"\n[[route]]\nfrom = \"O\"\nto = \"P\"\n{route}\n\
         [[port]]\nname = \"P\"\n{port}\n{rest}"
    );
    load_str(&text, "w.toml").unwrap()
}

/// Under fifo a quota below the largest group stalls the port's whole queue behind the first
/// such group (MODEL.md §1.6): the warning says so; under appointment it does not.
#[test]
fn under_fifo_a_quota_below_the_largest_group_is_said_to_stall_the_queue() {
    let gs = "group_size = { dist = \"empirical\", values = [1, 4], weights = [0.9, 0.1] }";
    let w = one_port(gs, "", "quota_per_day = 3", "");
    assert!(
        w.iter().any(|w| w.ends_with(
            "quota_per_day (3) is smaller than the largest group (4): such groups never fit, and \
             under fifo the first such group stalls the port's whole queue behind it: nobody \
             after it is processed there"
        )),
        "{w:?}"
    );
    let w = one_port(
        gs,
        "",
        "quota_per_day = 3",
        "[dispatch]\npolicy = \"appointment\"\n",
    );
    assert!(
        w.iter()
            .any(|w| w.ends_with("smaller than the largest group (4): such groups never fit")),
        "{w:?}"
    );
}

/// Sizes listed with weight 0 are never drawn: no "smaller than the largest group" warning
/// counts them.
#[test]
fn group_sizes_of_weight_zero_do_not_count_as_the_largest_group() {
    let gs = "group_size = { dist = \"empirical\", values = [1, 2, 3, 10], weights = [0.5, 0.3, \
              0.2, 0.0] }";
    let w = one_port(
        gs,
        "departures = [\"08:00\"]\nseats = 5",
        "quota_per_day = 8\nholding = 9",
        "",
    );
    assert!(!w.iter().any(|w| w.contains("largest group")), "{w:?}");
    // Below the largest size drawn (3), they are said, with that size.
    let w = one_port(
        gs,
        "departures = [\"08:00\"]\nseats = 2",
        "quota_per_day = 8\nholding = 9",
        "",
    );
    assert!(
        w.iter().any(|w| w
            .ends_with("seats (2) is smaller than the largest group (3): such groups never board")),
        "{w:?}"
    );
}

/// A continuous route ignores `days`: an empty list is said to be ignored, not also "never
/// open"; on a scheduled route it runs on no day, said once, naming the route.
#[test]
fn an_empty_days_on_a_continuous_route_is_only_said_to_be_ignored() {
    let w = one_port("", "days = []", "", "");
    assert!(w.iter().any(|w| w.contains("`days` is ignored")), "{w:?}");
    assert!(!w.iter().any(|w| w.contains("no day of the week")), "{w:?}");
    let w = one_port("", "departures = [\"08:00\"]\ndays = []", "", "");
    assert_eq!(
        w.iter().filter(|w| w.contains("`days` is empty")).count(),
        1,
        "{w:?}"
    );
    assert!(
        w.iter().any(|w| w.contains(
            ".days: route O->P runs on no day of the week: `days` is empty; nobody boards it"
        )),
        "{w:?}"
    );
}

/// An inflow that starts at or after the horizon never starts, as a phase there; one that starts
/// before it and ends after it stops at the horizon.
#[test]
fn an_inflow_starting_after_the_horizon_is_said_never_to_start() {
    let w = one_port(
        "",
        "",
        "",
        "[inflow]\nrate_per_day = 2\nfrom = \"250d\"\nuntil = \"300d\"\n",
    );
    assert!(
        w.iter().any(|w| w.contains(
            "inflow.from: the inflow starts at `from` (\"250d\"), after the horizon (\"200d\"): \
             it never starts"
        )),
        "{w:?}"
    );
    assert!(
        !w.iter().any(|w| w.contains("stops at the horizon")),
        "{w:?}"
    );
    let w = one_port(
        "",
        "",
        "",
        "[inflow]\nrate_per_day = 2\nfrom = \"200d\"\nuntil = \"300d\"\n",
    );
    assert!(
        w.iter()
            .any(|w| w.contains("(\"200d\"), at the horizon (\"200d\"): it never starts")),
        "{w:?}"
    );
    let w = one_port(
        "",
        "",
        "",
        "[inflow]\nrate_per_day = 2\nfrom = \"100d\"\nuntil = \"300d\"\n",
    );
    assert!(
        w.iter().any(|w| w.contains("it stops at the horizon")),
        "{w:?}"
    );
    assert!(!w.iter().any(|w| w.contains("never starts")), "{w:?}");
}

/// Capacities are floor(value × factor): a fraction that floors a capacity to 0 closes it, and
/// is said as a closure is (0.5 of 1 server), for the whole horizon and from inside the run to
/// its end; one that leaves some capacity (0.5 of 2 servers) is not.
#[test]
fn a_fraction_that_floors_a_capacity_to_zero_is_said_to_close_it() {
    let port = "servers = 1\nservice = \"1h\"";
    let disruption = |from: &str, capacity: f64| {
        format!(
            "[[disruption]]\nports = [\"P\"]\nfrom = \"{from}\"\nuntil = \"200d\"\ncapacity = \
             {capacity}\n"
        )
    };
    // The stages without capacity (what `validate` and `run` say as "no capacity: …").
    let zero = |route: &str, port: &str, rest: &str| {
        clearance::model::zero_capacity_stages(&one_port_scenario("", route, port, rest))
    };
    let z = zero("", port, &disruption("0d", 0.5));
    assert!(
        z.iter()
            .any(|w| w
                .contains("port \"P\": disruptions leave it no capacity for the whole horizon")),
        "{z:?}"
    );
    assert!(
        z.iter().any(|w| w.contains("nobody can ever be processed")),
        "{z:?}"
    );
    let w = one_port("", "", port, &disruption("10d", 0.5));
    assert!(
        w.iter().any(|w| w.contains(
            "the disruption leaves port P no capacity (capacity 0.5 floors it to 0: capacities \
             are floor(value × factor)) from `from` (\"10d\") to the end of the run"
        )),
        "{w:?}"
    );
    // A closure (factor 0) is said as before.
    let w = one_port("", "", port, &disruption("10d", 0.0));
    assert!(
        w.iter()
            .any(|w| w.contains("the disruption closes what it names from `from` (\"10d\")")),
        "{w:?}"
    );
    // Two servers at 0.5 leave one: nothing is said.
    for from in ["0d", "10d"] {
        let two = "servers = 2\nservice = \"1h\"";
        let w = one_port("", "", two, &disruption(from, 0.5));
        assert!(
            !w.iter().any(|w| w.contains("to the end of the run")),
            "{w:?}"
        );
        let z = zero("", two, &disruption(from, 0.5));
        assert!(z.is_empty(), "{z:?}");
    }
    // A quota of 1 at 0.5, and seats of 1 at 0.5, floor to 0 too.
    let z = zero("", "quota_per_day = 1", &disruption("0d", 0.5));
    assert!(z.iter().any(|w| w.starts_with("port \"P\"")), "{z:?}");
    let text =
        "[[disruption]]\nroutes = [\"O->P\"]\nfrom = \"0d\"\nuntil = \"200d\"\ncapacity = 0.5\n";
    let z = zero("departures = [\"08:00\"]\nseats = 1", "", text);
    assert!(z.iter().any(|w| w.starts_with("route \"O->P\"")), "{z:?}");
}

/// An `extends` path that names no file is told the path that does, as a path on the command
/// line is: the `.toml` left out, a variant in a subfolder of its base's folder (`../`), or a
/// file in the current folder while the path is read from the extending file's folder. It had
/// been told only that the path is relative to the file that says `extends`.
#[test]
fn a_wrong_extends_path_is_told_the_path_that_exists() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("my.toml"), "[scenario]\nname = \"base\"\n").unwrap();
    let variants = dir.path().join("variants");
    std::fs::create_dir(&variants).unwrap();
    let hint = |extends: &str| {
        let f = variants.join("v.toml");
        std::fs::write(&f, format!("extends = \"{extends}\"\n")).unwrap();
        let e = clearance::scenario::load_file(&f).unwrap_err();
        let d = &e.diagnostics[0];
        assert!(
            d.message.starts_with("cannot read the base scenario"),
            "{e}"
        );
        d.hint.clone().unwrap_or_default()
    };
    let relative = "the path is relative to the file that says `extends`";
    assert_eq!(
        hint("my.toml"),
        format!("write extends = \"../my.toml\", which exists ({relative})")
    );
    assert_eq!(
        hint("../my"),
        format!("write extends = \"../my.toml\", which exists ({relative})")
    );
    std::fs::write(variants.join("other.toml"), "").unwrap();
    assert_eq!(
        hint("other"),
        format!("write extends = \"other.toml\", which exists ({relative})")
    );
    assert_eq!(hint("nothing.toml"), relative);
}

/// A key written before the first `[section]` (the `[scenario]` header left out) is a key
/// outside any section, not an unknown section; a table or array of tables of an unknown name
/// is still an unknown section.
#[test]
fn a_key_before_any_section_is_called_a_key() {
    let src = format!("horizon = \"30d\"\n{VALID}");
    let e = err(&src);
    let d = has(&e, "horizon", "unknown key \"horizon\" outside any section");
    assert_eq!(d.line, Some(1));
    assert!(
        d.hint.as_deref().unwrap_or("").contains("[scenario]"),
        "{d:?}"
    );
    assert!(
        !e.to_string().contains("unknown section \"horizon\""),
        "{e}"
    );
    let e = err(&format!("{VALID}\n[[sweeps]]\nx = 1\n"));
    has(&e, "sweeps", "unknown section \"sweeps\"");
}

/// One text where `days` takes a list is refused with the fix on the `hint:` line, as other
/// errors give theirs, not after a "; " in the message: the weekdays the text names, written out
/// ("weekdays" Monday to Friday, "weekends" Saturday and Sunday, "daily" all seven). Followed,
/// each hint validates.
#[test]
fn one_text_for_days_gets_the_list_to_write_as_its_hint() {
    let hours = r#"hours = ["08:00", "18:00"]"#;
    let all = r#"["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]"#;
    for (text, list) in [
        ("weekdays", r#"["Mon", "Tue", "Wed", "Thu", "Fri"]"#),
        ("weekends", r#"["Sat", "Sun"]"#),
        ("daily", all),
        ("every day", all),
        ("all", all),
    ] {
        let e = err(&with(hours, &format!("{hours}\ndays = \"{text}\"")));
        let d = has(&e, "screening.days", "expected a list in brackets");
        assert_eq!(
            d.message,
            format!("expected a list in brackets, found the string \"{text}\""),
            "{e}"
        );
        let hint = d.hint.clone().unwrap_or_default();
        assert!(hint.ends_with(&format!("write {list}")), "{text}: {e}");
        assert!(
            e.to_string().contains(&format!("hint: {hint}")),
            "{text}: {e}"
        );
        load_str(
            &with(hours, &format!("{hours}\ndays = {list}")),
            "fixed.toml",
        )
        .unwrap_or_else(|e2| panic!("{text}: {list} does not validate: {e2}"));
    }
}
