//! Charts and report on a realistic scenario built in code (25,000 people, three origins and three
//! ports with ramps, exponential registration delay, buses): every chart exists as PNG and SVG,
//! the PNGs have the expected size and are not blank, the report inlines every chart and states
//! the key answers. Set `CLEARANCE_PREVIEW_DIR` to keep the files for looking at them, and
//! `CLEARANCE_PREVIEW_REPS` to change the number of replications (default 20).

use clearance::experiment::{run, RunOptions};
use clearance::output::charts::Chart;
use clearance::output::{write_charts, write_report, ChartInput};
use clearance::scenario::*;
use std::collections::HashSet;

fn hours(h: f64) -> f64 {
    h / 24.0
}

fn schedule(open: f64, close: f64) -> Schedule {
    Schedule {
        hours: Some((hours(open), hours(close))),
        days: ALL_DAYS,
        start_weekday: 4,
    }
}

fn route(origin: usize, port: usize, deps: &[f64], seats: u32) -> Route {
    Route {
        name: format!("{origin}->{port}"),
        origin,
        port,
        departures: Departures::Scheduled(deps.iter().map(|h| hours(*h)).collect()),
        days: ALL_DAYS,
        seats: Some(seats),
        travel: Dist::triangular(hours(1.0), hours(2.0), hours(4.0)).unwrap(),
    }
}

fn port(name: &str, opens: f64, quota: u32, ramp_over: f64, servers: u32) -> Port {
    Port {
        name: name.into(),
        opens,
        quota_per_day: Some(quota),
        ramp: Some(Ramp {
            from: 25.0,
            over: ramp_over,
        }),
        servers: Some(servers),
        service: Dist::lognormal(40.0 / 1440.0, 15.0 / 1440.0).unwrap(),
        schedule: schedule(8.0, 20.0),
        holding: Some(600),
    }
}

/// The MPP wind-down, phase 1 as announced, in round numbers.
pub fn realistic(replications: u32) -> Scenario {
    let origins = [
        ("Tijuana", 0.4),
        ("Ciudad Juárez", 0.35),
        ("Matamoros", 0.25),
    ];
    Scenario {
        name: "MPP wind-down, phase 1 as announced".into(),
        file: "scenarios/mpp-phase1.toml".into(),
        start_date: chrono::NaiveDate::from_ymd_opt(2021, 2, 19).unwrap(),
        horizon: 730.0,
        seed: 20210219,
        replications,
        warmup: 0.0,
        backlog: Cohort {
            name: "backlog".into(),
            people: 25_000,
            opens: 0.0,
        },
        group_size: SizeDist::empirical(&[1, 2, 3, 4], &[0.45, 0.25, 0.2, 0.1]).unwrap(),
        origins: origins
            .iter()
            .map(|(n, s)| Origin {
                name: (*n).into(),
                share: *s,
            })
            .collect(),
        registration: Registration {
            delay: Dist::exponential(20.0).unwrap(),
            never: 0.05,
        },
        screening: Some(Screening {
            servers: Some(10),
            service: Dist::exponential(15.0 / 1440.0).unwrap(),
            schedule: schedule(8.0, 18.0),
        }),
        health: Some(Health {
            turnaround: Dist::fixed(1.0).unwrap(),
            positive: 0.04,
            isolation: Dist::fixed(10.0).unwrap(),
            share: 1.0,
        }),
        attrition_hazard: 0.0005,
        policy: Policy::Appointment,
        choose_port: ChoosePort::First,
        routes: vec![
            route(0, 0, &[7.0, 10.0, 13.0, 16.0], 80),
            route(1, 1, &[7.0, 11.0, 15.0], 50),
            route(2, 2, &[8.0, 13.0], 40),
            route(2, 1, &[6.0], 50),
        ],
        ports: vec![
            port("San Ysidro", 0.0, 300, 14.0, 12),
            port("El Paso", 7.0, 300, 21.0, 12),
            port("Brownsville", 14.0, 150, 14.0, 6),
        ],
        phases: vec![],
        inflow: None,
        disruptions: vec![Disruption {
            ports: vec![0],
            routes: vec![],
            screening: false,
            from: 30.0,
            until: 37.0,
            capacity: 0.0,
        }],
        classes: vec![Class {
            name: "all".into(),
            share: 1.0,
        }],
        warnings: vec![],
        loaded: None,
    }
}

fn png_dims(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (w, h)
}

#[test]
fn charts_and_report_for_a_realistic_scenario() {
    let reps: u32 = std::env::var("CLEARANCE_PREVIEW_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let scn = realistic(reps);
    let r = run(&scn, &RunOptions::default()).unwrap();
    let input = ChartInput::from_run(&r);
    let tmp = tempfile::tempdir().unwrap();
    let dir = match std::env::var("CLEARANCE_PREVIEW_DIR") {
        Ok(d) => std::path::PathBuf::from(d),
        Err(_) => tmp.path().to_path_buf(),
    };
    let t0 = std::time::Instant::now();
    let written = write_charts(&dir, &scn, &input).unwrap();
    let chart_secs = t0.elapsed().as_secs_f64();
    println!(
        "simulation {:.2}s, charts {:.2}s",
        r.summary.performance.wall_seconds, chart_secs
    );
    assert_eq!(written.len(), 2 * Chart::ALL.len());
    for chart in Chart::ALL {
        let png = dir.join(format!("{}.png", chart.name()));
        let svg = dir.join(format!("{}.svg", chart.name()));
        assert!(written.contains(&png) && written.contains(&svg));
        let bytes = std::fs::read(&png).unwrap();
        let expected = chart.size(scn.ports.len());
        assert_eq!(png_dims(&bytes), expected, "{}", chart.name());
        let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), expected);
        let colours: HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
        assert!(
            colours.len() > 50,
            "{}: {} colours",
            chart.name(),
            colours.len()
        );
        let ink = img.pixels().filter(|p| p.0 != [255, 255, 255]).count();
        let share = ink as f64 / (expected.0 * expected.1) as f64;
        assert!(
            share > 0.03,
            "{}: only {:.3} of pixels drawn",
            chart.name(),
            share
        );
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(
            text.contains("<svg") && text.contains(chart.title()),
            "{}",
            chart.name()
        );
    }
    // No temporary files left behind.
    for e in std::fs::read_dir(&dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with('.'), "{name}");
    }

    let toml = "[scenario]\nname = \"MPP wind-down <phase 1> & more\"\n";
    let report = write_report(&dir, &scn, toml, &input).unwrap();
    let html = std::fs::read_to_string(&report).unwrap();
    assert_eq!(html.matches("<svg").count(), Chart::ALL.len());
    assert!(html.contains("Median clearance (P50): "));
    assert!(html.contains("What binds: "));
    assert!(
        html.contains("What sets the date: "),
        "the key answers name the lever"
    );
    let p50 = scn.date_of(r.summary.clearance_days.as_ref().unwrap().p50);
    assert!(html.contains(&p50.format("%d %b %Y").to_string()));
    // The P90 date is the date of the day number printed beside it.
    let at = html.find("(P90, day ").expect("P90 day") + "(P90, day ".len();
    let day: f64 = html[at..][..html[at..].find(')').unwrap()].parse().unwrap();
    let shown = scn.date_of(day).format("%a %d %b %Y").to_string();
    assert!(
        html[..at].ends_with(&format!("<b>{shown}</b> (P90, day ")),
        "{}",
        &html[at - 80..at + 10]
    );
    assert!(html.contains("MPP wind-down &lt;phase 1&gt; &amp; more"));
    assert!(!html.contains("<script"));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    assert!(html.contains("with seed 20210219 and"));
    assert!(html.contains("clearance run scenario.toml --out OUTDIR"));
}

#[test]
fn censored_replications_are_not_drawn_as_cleared() {
    let mut scn = realistic(12);
    // Short enough that some replications do not clear.
    let full = run(&scn, &RunOptions::default()).unwrap();
    let mut c = full.clearance_days.clone();
    c.sort_by(f64::total_cmp);
    scn.horizon = c[4].floor() + 0.5;
    let r = run(&scn, &RunOptions::default()).unwrap();
    let cleared = 12 - r.summary.censored;
    assert!(
        r.summary.censored >= 4 && cleared >= 1,
        "{}",
        r.summary.censored
    );
    let tmp = tempfile::tempdir().unwrap();
    write_charts(tmp.path(), &scn, &ChartInput::from_run(&r)).unwrap();
    let svg = std::fs::read_to_string(tmp.path().join("clearance-distribution.svg")).unwrap();
    assert!(svg.contains("Not cleared by the") && svg.contains("(censored)"));
    assert!(
        svg.contains("P95: ≥ "),
        "P95 of a run with censored replications"
    );
    assert!(svg.contains("(not cleared)"));
    let fan = std::fs::read_to_string(tmp.path().join("fan.svg")).unwrap();
    assert!(fan.contains("P90: ≥ "));
    // The report says how many had not cleared when its P90 is censored (it said "in 9 of 10
    // replications it is not cleared", the reverse).
    let html = std::fs::read_to_string(
        write_report(
            tmp.path(),
            &scn,
            "[scenario]\nname = \"censored\"\n",
            &ChartInput::from_run(&r),
        )
        .unwrap(),
    )
    .unwrap();
    assert!(!html.contains("in 9 of 10 replications it is"), "{html}");
    // A horizon that stops the last two or three: the median is measured, the P95 is among the
    // censored ones, a lower bound, not a date the runs cleared on (it had read "clear between
    // … and … (P5 to P95)"); and with only 12 replications the range says how few.
    let mut late = scn.clone();
    late.horizon = c[9].floor() + 0.5;
    let r2 = run(&late, &RunOptions::default()).unwrap();
    assert!(
        (2..=6).contains(&r2.summary.censored),
        "{}",
        r2.summary.censored
    );
    let html2 =
        clearance::output::report::render_report(&late, "", &ChartInput::from_run(&r2)).unwrap();
    assert!(
        html2.contains(" or later (not within the horizon): too few <a class=\"g\" href=\"#g-replication\">replications</a> to give a middle 90%"),
        "{html2}"
    );
    assert!(!html2.contains("(P5 to P95)"), "{html2}");
    let mut table = Vec::new();
    clearance::output::table::print_summary(&mut table, &r2.summary).unwrap();
    let table = String::from_utf8(table).unwrap();
    assert!(table.contains(", or later: the horizon\n"), "{table}");
    assert!(
        table.contains("(from only 12 replications: too few for a middle 90%"),
        "{table}"
    );
    if html.contains("Median clearance (P50): ") {
        assert!(
            html.contains(&format!(
                "its P90 is <b>not within the horizon</b>: {} of 12 replications had not cleared",
                r.summary.censored
            )),
            "{html}"
        );
    }

    // Every replication censored: no distribution to draw. The plot says so in words, with the
    // horizon's date and what is known there, and draws no axes: they had shown empty days
    // before the horizon, a flat ECDF and one grey bar past it, an axis that meant nothing.
    scn.horizon = c[0].floor() - 1.0;
    let r = run(&scn, &RunOptions::default()).unwrap();
    assert_eq!(r.summary.censored, 12);
    write_charts(tmp.path(), &scn, &ChartInput::from_run(&r)).unwrap();
    let svg = std::fs::read_to_string(tmp.path().join("clearance-distribution.svg")).unwrap();
    let text = words(&svg);
    let date = scn.date_of(scn.horizon).format("%b %d %Y").to_string();
    assert!(
        text.contains(&format!(
            "No replication cleared by the horizon ({date}, day {})",
            scn.horizon
        )) && text.contains("All 12 replications stopped at the horizon")
            && text.contains("People not yet cleared at the horizon: ")
            && text.contains(&format!(
                "P50, P90 and P95 clearance: ≥ {date} (not cleared)."
            ))
            && text.contains("A longer scenario.horizon shows when the backlog clears."),
        "{text}"
    );
    for axis in [
        "Replications [count]",
        "ECDF",
        "Replications per bin",
        "Date (",
        "Not cleared by the",
    ] {
        assert!(!text.contains(axis), "{axis}: {text}");
    }
    assert!(
        !svg.contains("<polyline") && !svg.contains("<line"),
        "no axes"
    );
    // The report's weeks end at the horizon: it says so instead of naming a median clearance.
    let toml = "[scenario]\nname = \"censored\"\n";
    let html = std::fs::read_to_string(
        write_report(tmp.path(), &scn, toml, &ChartInput::from_run(&r)).unwrap(),
    )
    .unwrap();
    assert!(
        html.contains("of the weeks up to the horizon (the median run does not clear within it)"),
        "{html}"
    );
    assert!(!html.contains("weeks before the median clearance"));

    // With a port that has no servers nobody is ever processed: the plot does not suggest a
    // longer horizon, which would not help, but names the stage. At the longest horizon
    // accepted it says that capacity is needed.
    let mut stuck = scn.clone();
    for p in &mut stuck.ports {
        p.servers = Some(0);
    }
    stuck.horizon = 20.0;
    let r = run(&stuck, &RunOptions::default()).unwrap();
    write_charts(tmp.path(), &stuck, &ChartInput::from_run(&r)).unwrap();
    let text =
        words(&std::fs::read_to_string(tmp.path().join("clearance-distribution.svg")).unwrap());
    assert!(text.contains("No horizon would help: "), "{text}");
    assert!(text.contains("servers = 0"), "{text}");
    assert!(!text.contains("A longer scenario.horizon"), "{text}");
    // (drawn as if no replication had cleared by the longest horizon)
    let max = clearance::scenario::validate::MAX_HORIZON_DAYS;
    scn.horizon = max;
    let mut r = run(&scn, &RunOptions::default()).unwrap();
    r.summary.censored = r.summary.replications;
    r.summary.last_cleared_days = None;
    let at_horizon = vec![max; r.clearance_days.len()];
    let input = ChartInput {
        summary: &r.summary,
        daily: &r.daily,
        clearance_days: &at_horizon,
    };
    write_charts(tmp.path(), &scn, &input).unwrap();
    let text =
        words(&std::fs::read_to_string(tmp.path().join("clearance-distribution.svg")).unwrap());
    assert!(
        text.contains("No replication cleared by the horizon"),
        "{text}"
    );
    assert!(
        text.contains("scenario.horizon is already the longest accepted (36500d)"),
        "{text}"
    );
}

/// The t90 line and sentence read the replications that reached t90: with a tiny backlog and
/// attrition many never do, which the legend and the report say (they stated one date as if
/// every replication had reached it, once on 1 replication of 100).
#[test]
fn t90_says_how_many_replications_reach_it() {
    let mut scn =
        clearance::scenario::load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
    scn.backlog.people = 10;
    let r = run(
        &scn,
        &RunOptions {
            replications: Some(100),
            ..Default::default()
        },
    )
    .unwrap();
    let missed = r.summary.t_not_reached.t90;
    let k = r.summary.t90_days.as_ref().unwrap().n;
    assert!(missed > 0 && k > missed, "{k} reached, {missed} not");
    let tmp = tempfile::tempdir().unwrap();
    write_charts(tmp.path(), &scn, &ChartInput::from_run(&r)).unwrap();
    let fan = std::fs::read_to_string(tmp.path().join("fan.svg")).unwrap();
    assert!(
        words(&fan).contains(&format!("(median t90, {k} of 100 runs)")),
        "legend"
    );
    // The SVG's text asks for the font that laid it out, before the viewer's sans-serif.
    let fonts = |svg: &str| -> HashSet<String> {
        svg.split("font-family=\"")
            .skip(1)
            .map(|t| t.split('"').next().unwrap().to_string())
            .collect()
    };
    let want = HashSet::from(["DejaVu Sans, Verdana, sans-serif".to_string()]);
    assert_eq!(fonts(&fan), want);
    let html =
        clearance::output::report::render_report(&scn, "", &ChartInput::from_run(&r)).unwrap();
    assert!(
        html.contains(&format!(
            "in the {k} of 100 replications that reach it; in the other {missed}, 90% is never reached"
        )),
        "report"
    );
    // The baseline itself: 10.9% never reached or dropped out, so no run reaches 90%; the
    // report says why, as the terminal does (it had said "not available" only).
    let mut scn = scn.clone();
    scn.backlog.people = 25_000;
    let r = run(
        &scn,
        &RunOptions {
            replications: Some(4),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(r.summary.t90_days.is_none());
    let html =
        clearance::output::report::render_report(&scn, "", &ChartInput::from_run(&r)).unwrap();
    assert!(
        html.contains("No replication processed 90% of the people. t90 and t99 are out of reach: milestones are shares of all 25,000 people"),
        "report"
    );
    // Every run cleared: the horizon is not the reason (the report had said "within the
    // horizon").
    assert_eq!(r.summary.censored, 0);
    assert!(!html.contains("90% of the people within the horizon"));
}

/// The SVGs of a bundled scenario's charts, run with `reps` replications.
fn bundled_svgs(name: &str, reps: u32) -> Vec<(Chart, String)> {
    let mut scn = load_file(std::path::Path::new(&format!("scenarios/{name}.toml"))).unwrap();
    scn.replications = reps;
    let r = run(&scn, &RunOptions::default()).unwrap();
    clearance::output::charts::render_svgs(&scn, &ChartInput::from_run(&r)).unwrap()
}

fn svg_of(svgs: &[(Chart, String)], chart: Chart) -> &str {
    &svgs.iter().find(|(c, _)| *c == chart).unwrap().1
}

/// The words of an SVG's text elements, joined by spaces (a legend label wrapped onto two
/// lines reads as one).
fn words(svg: &str) -> String {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            Some(
                t.split_once('>')?
                    .1
                    .split_once("</text>")?
                    .0
                    .trim()
                    .to_string(),
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn charts_say_what_their_lines_leave_out() {
    let svgs = bundled_svgs("baseline", 20);
    // The cumulative curve levels off below the backlog by those never reached or dropped out:
    // a second line at that level says so.
    let cum = words(svg_of(&svgs, Chart::CumulativeProcessed));
    assert!(cum.contains("Backlog and phases (25,000)"), "{cum}");
    assert!(
        cum.contains("Less never reached and dropped out, means (22,"),
        "{cum}"
    );
    assert!(!cum.contains("People to clear"));
    // The fan starts below the backlog by those never reached.
    assert!(words(svg_of(&svgs, Chart::Fan)).contains("so the curve starts below the backlog"));
    // Under appointment the quota is of boardings: a day's service can pass it.
    assert!(words(svg_of(&svgs, Chart::Ports)).contains("of boardings a day"));
    // "In transit" is not drawn in the axes' black.
    let q = svg_of(&svgs, Chart::Queues);
    let at = q
        .find(">\nIn transit\n<")
        .expect("In transit in the legend");
    let text = q[..at].rfind("<text").unwrap();
    let swatch = &q[q[..text].rfind("<polyline").unwrap()..text];
    assert!(swatch.contains("stroke=\"#"), "{swatch}");
    assert!(!swatch.contains("#000000"), "{swatch}");
    // The capacity bound is what explain calls it, and drop-outs can loosen it.
    let b = words(svg_of(&svgs, Chart::Bottleneck));
    assert!(
        b.contains("Capacity bound: clearance not expected before"),
        "{b}"
    );
}

/// A legend entry's swatch: the stroke colours of the lines in the legend column (x ≥ 940)
/// drawn between the legend's text before `label` and `label`'s own text (one line for a
/// solid swatch, a line per dash for a dashed one).
fn legend_swatch(svg: &str, label: &str) -> Vec<String> {
    legend_pieces(svg, label).into_iter().map(|p| p.0).collect()
}

/// The stroke pieces of the legend swatch before `label`: colour and length in pixels of each
/// (a pattern's signature: one piece for a solid line, dashes of its lengths for a pattern).
fn legend_pieces(svg: &str, label: &str) -> Vec<(String, i64)> {
    let at = svg
        .find(&format!(">\n{label}\n<"))
        .unwrap_or_else(|| panic!("{label} in the legend"));
    let text = svg[..at].rfind("<text").unwrap();
    let from = svg[..text].rfind("</text>").unwrap();
    svg[from..text]
        .split("<polyline")
        .skip(1)
        .filter(|e| {
            points(e.split("points=\"").nth(1).unwrap())
                .iter()
                .all(|p| p.0 >= 900.0)
        })
        .map(|e| {
            let pts = points(e.split("points=\"").nth(1).unwrap());
            let len = pts.last().unwrap().0 - pts[0].0;
            (
                e.split("stroke=\"").nth(1).unwrap()[..7].to_string(),
                len.round() as i64,
            )
        })
        .collect()
}

/// The queues chart draws every line in its own colour and its own dash pattern (screening
/// solid, the others patterned), all in the charts' palette (Okabe–Ito, with the grey and the
/// health check's lavender of the other charts), in the three-port baseline and in the six-port
/// record scenario: "Waiting for screening" (orange) and "Waiting at El Paso" (vermilion) had
/// been two solid oranges, "In transit" a brown from outside the palette, then screening and
/// screened two solid lines of one grey in print, the ports one pattern; and with six ports
/// the health check and Hidalgo had shared a colour, transit and San Ysidro another, Hidalgo
/// transit's pattern and Laredo and Eagle Pass the first ports'.
#[test]
fn queue_lines_differ_in_colour_or_style_within_one_palette() {
    let palette = [
        "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#AA9600",
        "#6E6E6E", "#AA82C8",
    ];
    let stages = [
        "Waiting for screening",
        "Screened, not boarded",
        "In the health check or",
        "In transit",
    ];
    for (name, ports) in [
        ("baseline", &["San Ysidro", "El Paso", "Brownsville"][..]),
        (
            "mpp-2021-record",
            &[
                "San Ysidro",
                "Brownsville",
                "El Paso",
                "Hidalgo",
                "Laredo",
                "Eagle Pass",
            ][..],
        ),
    ] {
        let svgs = bundled_svgs(name, 3);
        let q = svg_of(&svgs, Chart::Queues);
        let ports: Vec<String> = ports.iter().map(|p| format!("Waiting at {p}")).collect();
        for s in stages {
            let sw = legend_swatch(q, s);
            assert!(palette.contains(&sw[0].as_str()), "{name}, {s}: {sw:?}");
        }
        assert_eq!(legend_swatch(q, stages[0]).len(), 1, "screening: solid");
        // Every line's colour and pattern (its swatch's dash lengths) differ from every
        // other line's.
        let mut patterns = std::collections::HashSet::new();
        let mut colours = std::collections::HashSet::new();
        for l in stages
            .iter()
            .copied()
            .chain(ports.iter().map(String::as_str))
        {
            let lengths: Vec<i64> = legend_pieces(q, l).into_iter().map(|p| p.1).collect();
            assert!(
                patterns.insert(lengths.clone()),
                "{name}, {l}: {lengths:?} taken"
            );
            let c = legend_swatch(q, l)[0].clone();
            assert!(colours.insert(c.clone()), "{name}, {l}: {c} taken");
        }
        for p in &ports {
            let sw = legend_swatch(q, p);
            assert!(sw.len() > 1, "{p}: a dashed line, {sw:?}");
        }
        // The first five ports' colours are Okabe–Ito.
        for p in ports.iter().take(5) {
            let sw = legend_swatch(q, p);
            assert!(
                palette[..8].contains(&sw[0].as_str()),
                "{name}, {p}: {sw:?}"
            );
        }
        // Every port's line is dashed in the plot too: more stroke segments of its colour than
        // its swatch has (the record scenario's smaller ports wait only on a few days).
        for p in &ports {
            let c = &legend_swatch(q, p)[0];
            assert!(
                q.matches(&format!("stroke=\"{c}\"")).count() > 20,
                "{name}, {p}: dashed line in {c}"
            );
        }
    }
}

/// Marker labels of one date are merged into one that names every marker ("P50 = P90: …"):
/// in a deterministic run the P50, P90 and P95 fall on one day, and their labels had been drawn
/// on top of each other (the fan) or stacked so close as to be unreadable.
#[test]
fn markers_of_one_date_share_one_label() {
    let mut det = load_file(std::path::Path::new(
        "tests/scenarios/deterministic-42.toml",
    ))
    .unwrap();
    det.replications = 3;
    let r = run(&det, &RunOptions::default()).unwrap();
    let svgs = clearance::output::charts::render_svgs(&det, &ChartInput::from_run(&r)).unwrap();
    let labels = |chart: Chart| -> Vec<String> {
        texts(svg_of(&svgs, chart))
            .into_iter()
            .map(|t| t.3)
            .filter(|t| t.starts_with('P') && t.contains(": "))
            .collect()
    };
    let fan = labels(Chart::Fan);
    assert_eq!(fan.len(), 1, "{fan:?}");
    assert!(fan[0].starts_with("P50 = P90: "), "{fan:?}");
    let dist = labels(Chart::ClearanceDistribution);
    assert_eq!(dist.len(), 1, "{dist:?}");
    assert!(dist[0].starts_with("P50 = P90 = P95: "), "{dist:?}");
    // Different dates keep their own labels.
    let svgs = bundled_svgs("baseline", 20);
    let dist: Vec<String> = texts(svg_of(&svgs, Chart::ClearanceDistribution))
        .into_iter()
        .map(|t| t.3)
        .filter(|t| t.starts_with('P') && t.contains(": "))
        .collect();
    let dates: std::collections::HashSet<&str> =
        dist.iter().map(|l| l.split_once(": ").unwrap().1).collect();
    assert_eq!(dates.len(), dist.len(), "one label a date: {dist:?}");
}

/// Every legend label beside a swatch keeps to its column's width (24 characters a line): the
/// bottleneck chart's "Capacity bound: clearance not expected before" had a second line of 29
/// characters that ran into the chart's right edge.
#[test]
fn legend_labels_fit_their_column() {
    let svgs = bundled_svgs("baseline", 5);
    let unescape = |t: &str| {
        t.replace("&gt;", ">")
            .replace("&lt;", "<")
            .replace("&amp;", "&")
            .replace("&apos;", "'")
            .replace("&quot;", "\"")
    };
    for (chart, svg) in &svgs {
        for (x, _, anchor, t) in texts(svg) {
            if x >= 980 && anchor == "start" {
                let t = unescape(&t);
                assert!(t.chars().count() <= 24, "{chart:?}: {t:?}");
            }
        }
    }
    let b = words(svg_of(&svgs, Chart::Bottleneck));
    assert!(
        b.contains("Capacity bound: clearance not expected before"),
        "{b}"
    );
}

/// Where servers with random service times set `explain`'s day, the chart calls it an estimate
/// as `explain` does, not a bound that clearance does not come before.
#[test]
fn a_bound_set_by_random_service_is_drawn_as_an_estimate() {
    let mut scn = load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
    scn.attrition_hazard = 0.0;
    scn.screening.as_mut().unwrap().servers = Some(3);
    scn.replications = 10;
    let r = run(&scn, &RunOptions::default()).unwrap();
    let svgs = clearance::output::charts::render_svgs(&scn, &ChartInput::from_run(&r)).unwrap();
    let b = words(svg_of(&svgs, Chart::Bottleneck));
    assert!(
        b.contains("Capacity estimate: clearance expected about"),
        "{b}"
    );
    assert!(b.contains("Capacity estimate: Feb 01 2022"), "{b}");
    assert!(!b.contains("not expected before"), "{b}");
}

#[test]
fn each_binding_stage_has_its_own_colour() {
    // Too few seats: "transport" and "transport → El Paso" both bind, and must not share the
    // transport colour.
    let svgs = bundled_svgs("bus-bottleneck", 20);
    let svg = svg_of(&svgs, Chart::Bottleneck);
    // Its buses bind the bound, which drop-outs loosen: the legend says so, in full.
    assert!(words(svg).contains("Capacity bound, if nobody dropped out"));
    // The legend swatch drawn just before each label (its first line): its fill colour.
    let fill_before = |label: &str| {
        let at = svg
            .find(&format!(">\n{label}\n<"))
            .unwrap_or_else(|| panic!("{label} not in the legend"));
        let text = svg[..at].rfind("<text").unwrap();
        let rect = svg[..text].rfind("<rect").unwrap();
        let fill = rect + svg[rect..text].find("fill=\"#").unwrap();
        svg[fill + 6..fill + 13].to_string()
    };
    assert_ne!(
        fill_before("Binds: transport"),
        fill_before("Binds: transport → El")
    );
}

/// The white boxes behind marker labels, in document order: (position, x0, y0, x1, y1) in
/// pixels (the chart's own white background left out).
fn label_boxes(svg: &str) -> Vec<(usize, f64, f64, f64, f64)> {
    let attr = |e: &str, k: &str| -> f64 {
        let v = e.split(&format!(" {k}=\"")).nth(1).unwrap();
        v.split('"').next().unwrap().parse().unwrap()
    };
    svg.match_indices("<rect ")
        .map(|(i, _)| (i, &svg[i..i + svg[i..].find('>').unwrap()]))
        .filter(|(_, e)| e.contains("fill=\"#FFFFFF\""))
        .map(|(i, e)| {
            let (x, y) = (attr(e, "x"), attr(e, "y"));
            (i, x, y, x + attr(e, "width"), y + attr(e, "height"))
        })
        .filter(|&(_, x0, y0, _, _)| x0 > 0.0 || y0 > 0.0)
        .collect()
}

/// Vertical segments of polylines, in document order: (position, x, y0, y1).
fn vertical_segments(svg: &str) -> Vec<(usize, f64, f64, f64)> {
    let mut out = Vec::new();
    for (i, _) in svg.match_indices("<polyline ") {
        let e = &svg[i..i + svg[i..].find("/>").unwrap()];
        let pts = points(e.split("points=\"").nth(1).unwrap());
        for w in pts.windows(2) {
            if w[0].0 == w[1].0 {
                out.push((i, w[0].0, w[0].1.min(w[1].1), w[0].1.max(w[1].1)));
            }
        }
    }
    out
}

/// No marker line is drawn over another marker's label: every line comes before every label.
/// The fan chart had drawn its 90%-processed line after the P50 and P90 labels, striking
/// through both when the three dates fall within a week.
#[test]
fn no_marker_line_crosses_a_label() {
    let mut scn = load_file(std::path::Path::new("tests/scenarios/closure-april.toml")).unwrap();
    scn.replications = 20;
    let r = run(&scn, &RunOptions::default()).unwrap();
    let svgs = clearance::output::charts::render_svgs(&scn, &ChartInput::from_run(&r)).unwrap();
    let mut labels = 0;
    for chart in [Chart::Fan, Chart::Bottleneck] {
        let svg = svg_of(&svgs, chart);
        let boxes = label_boxes(svg);
        labels += boxes.len();
        for &(bi, x0, y0, x1, y1) in &boxes {
            for &(li, x, ly0, ly1) in &vertical_segments(svg) {
                let crosses = li > bi && x > x0 && x < x1 && ly1 > y0 && ly0 < y1;
                assert!(
                    !crosses,
                    "{chart:?}: a line at x = {x} over the label box {x0}–{x1}"
                );
            }
        }
    }
    // The P50, P90 and 90%-processed labels, the capacity bound and P50 of the bottleneck.
    assert!(labels >= 5, "{labels} label boxes");
}

/// No label of the bottleneck chart hides a line under its white box, whichever is drawn
/// first: the P50's label, left of its line, had covered the capacity bound's line where the
/// bound fell within its width before the P50 (baseline, phase 2, two ports), and the bound's
/// label the P50's line where the P50 came just after the bound (the bus bottleneck). Each
/// label now sits where it crosses no line.
#[test]
fn no_bottleneck_label_hides_a_line() {
    for name in ["baseline", "bus-bottleneck", "phase2", "two-ports"] {
        let svgs = bundled_svgs(name, 20);
        let svg = svg_of(&svgs, Chart::Bottleneck);
        let boxes = label_boxes(svg);
        assert_eq!(boxes.len(), 2, "{name}: the bound's and the P50's labels");
        for &(_, x0, y0, x1, y1) in &boxes {
            for &(_, x, ly0, ly1) in &vertical_segments(svg) {
                assert!(
                    !(x > x0 && x < x1 && ly1 > y0 && ly0 < y1),
                    "{name}: a line at x = {x} under the label box {x0}–{x1}"
                );
            }
        }
    }
}

/// A week in which the stage that binds had no capacity (El Paso closed) is hatched in the
/// bottleneck chart's strip, with a legend entry; a scenario without a closure has neither.
/// Such weeks had looked like any other week of that stage.
#[test]
fn the_bottleneck_strip_hatches_a_closed_week() {
    let hatched = |path: &str| {
        let mut scn = load_file(std::path::Path::new(path)).unwrap();
        scn.replications = 10;
        let r = run(&scn, &RunOptions::default()).unwrap();
        let svgs = clearance::output::charts::render_svgs(&scn, &ChartInput::from_run(&r)).unwrap();
        let svg = svg_of(&svgs, Chart::Bottleneck).to_string();
        let white_lines = svg
            .split("<polyline")
            .filter(|e| e.contains("stroke=\"#FFFFFF\""))
            .count();
        (
            words(&svg).contains("Hatched: it had no capacity (closed)"),
            white_lines,
        )
    };
    let (legend, lines) = hatched("tests/scenarios/closure-april.toml");
    assert!(legend && lines >= 5, "legend {legend}, {lines} white lines");
    assert_eq!(hatched("scenarios/baseline.toml"), (false, 0));
}

/// The bottleneck strip says which weeks it shows as the table does: up to the horizon when
/// the median run does not clear within it (the 2021 record scenario: no run clears), up to
/// the median clearance otherwise. It had said "up to the median clearance" where there was
/// none.
#[test]
fn the_bottleneck_strip_says_it_runs_to_the_horizon_when_the_median_does_not_clear() {
    let strip = |name: &str| {
        let svgs = bundled_svgs(name, 10);
        words(svg_of(&svgs, Chart::Bottleneck))
    };
    let text = strip("mpp-2021-record");
    assert!(
        text.contains(
            "Binding stage per week (up to the horizon: the median run does not clear within it)"
        ) && !text.contains("up to the median clearance"),
        "{text}"
    );
    let text = strip("baseline");
    assert!(
        text.contains("Binding stage per week (up to the median clearance)")
            && !text.contains("up to the horizon"),
        "{text}"
    );
}

/// The hatch over weeks with no capacity is spaced in pixels, over the stage's own colour,
/// however long the span: Brownsville without a quota binds for about two years, and its
/// cells must still show its colour between the white diagonals. Spaced in days, the
/// diagonals had fallen about a pixel apart there, and two pixels wide, they had painted
/// the whole span white.
#[test]
fn a_long_closure_keeps_its_colour_under_the_hatch() {
    let mut scn = load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
    scn.replications = 10;
    let port = scn.ports.iter_mut().find(|p| p.name == "Brownsville");
    port.unwrap().quota_per_day = Some(0);
    let r = run(&scn, &RunOptions::default()).unwrap();
    let svgs = clearance::output::charts::render_svgs(&scn, &ChartInput::from_run(&r)).unwrap();
    let svg = svg_of(&svgs, Chart::Bottleneck);
    let attr = |e: &str, k: &str| -> f64 {
        let v = e.split(&format!(" {k}=\"")).nth(1).unwrap();
        v.split('"').next().unwrap().parse().unwrap()
    };
    // Brownsville's colour: the fill of the strip's block under its label (named on the strip,
    // it is not in the legend).
    let label = svg
        .find(">\nport Brownsville\n<")
        .expect("Brownsville binds");
    let tag = &svg[svg[..label].rfind("<text").unwrap()..label];
    let (lx, ly) = (attr(tag, "x"), attr(tag, "y"));
    let swatch = svg
        .match_indices("<rect ")
        .map(|(i, _)| &svg[i..i + svg[i..].find('>').unwrap()])
        .find(|e| {
            !e.contains("#FFFFFF")
                && (attr(e, "x")..=attr(e, "x") + attr(e, "width")).contains(&lx)
                && (attr(e, "y")..=attr(e, "y") + attr(e, "height")).contains(&ly)
        })
        .unwrap();
    let fill = swatch
        .split(" fill=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    // Its cells in the strip (left of the legend), and the box they span.
    let cells: Vec<(usize, f64, f64, f64, f64)> = svg
        .match_indices("<rect ")
        .map(|(i, _)| (i, &svg[i..i + svg[i..].find('>').unwrap()]))
        .filter(|(_, e)| e.contains(&format!(" fill=\"{fill}\"")))
        .map(|(i, e)| {
            let (x, y) = (attr(e, "x"), attr(e, "y"));
            (i, x, y, x + attr(e, "width"), y + attr(e, "height"))
        })
        .filter(|c| c.1 < 900.0)
        .collect();
    let x0 = cells.iter().map(|c| c.1).fold(f64::INFINITY, f64::min);
    let x1 = cells.iter().map(|c| c.3).fold(0.0, f64::max);
    let (y0, y1) = (cells[0].2, cells[0].4);
    assert!(x1 - x0 > 300.0, "Brownsville binds over {x0}–{x1} only");
    // The white diagonals within that box, drawn after the cells: (bottom x, top x) of
    // those that rise its whole height.
    let last_cell = cells.iter().map(|c| c.0).max().unwrap();
    let inside =
        |(x, y): (f64, f64)| x >= x0 - 1.0 && x <= x1 + 1.0 && y >= y0 - 1.0 && y <= y1 + 1.0;
    let mut diagonals = Vec::new();
    for (i, _) in svg.match_indices("<polyline ") {
        let e = &svg[i..i + svg[i..].find("/>").unwrap()];
        if !e.contains("stroke=\"#FFFFFF\"") {
            continue;
        }
        let pts = points(e.split("points=\"").nth(1).unwrap());
        if pts.len() != 2 || !pts.iter().all(|&p| inside(p)) {
            continue;
        }
        assert!(i > last_cell, "a hatch line under the cells");
        let (lo, hi) = if pts[0].1 > pts[1].1 {
            (pts[0], pts[1])
        } else {
            (pts[1], pts[0])
        };
        if lo.1 >= y1 - 1.0 && hi.1 <= y0 + 1.0 {
            diagonals.push((lo.0, hi.0));
        }
    }
    diagonals.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert!(
        diagonals.len() as f64 > (x1 - x0) / 20.0,
        "{} diagonals over {} pixels",
        diagonals.len(),
        x1 - x0
    );
    for w in diagonals.windows(2) {
        assert!(
            w[1].0 - w[0].0 >= 5.0,
            "hatch lines {} pixels apart, at x = {} and {}",
            w[1].0 - w[0].0,
            w[0].0,
            w[1].0
        );
    }
}

/// The y axis of a chart's SVG: its numeric tick labels (right-aligned left of the plot) as
/// (value, pixel row), and the pixel row of a value by the line through the first and last.
fn y_axis(svg: &str) -> impl Fn(f64) -> f64 {
    let attr = |e: &str, k: &str| -> f64 {
        let v = e.split(&format!(" {k}=\"")).nth(1).unwrap();
        v.split('"').next().unwrap().parse().unwrap()
    };
    let ticks: Vec<(f64, f64)> = svg
        .split("<text")
        .skip(1)
        .filter(|t| t.contains("text-anchor=\"end\""))
        .filter_map(|t| {
            let (tag, rest) = t.split_once('>')?;
            let label = rest.split_once("</text>")?.0.trim().replace(',', "");
            Some((label.parse::<f64>().ok()?, attr(tag, "y")))
        })
        .collect();
    assert!(ticks.len() >= 3, "{ticks:?}");
    let (a, b) = (ticks[0], ticks[ticks.len() - 1]);
    move |v| a.1 + (v - a.0) * (b.1 - a.1) / (b.0 - a.0)
}

/// The points of the `k`-th polyline drawn with this stroke colour and width.
fn polyline(svg: &str, stroke: &str, width: u32, k: usize) -> Vec<(f64, f64)> {
    let key = format!("stroke=\"{stroke}\" stroke-width=\"{width}\" points=\"");
    let at = svg.match_indices(&key).nth(k).expect("polyline").0 + key.len();
    points(&svg[at..])
}

/// The points of a `points` attribute's value, read up to its closing quote: "x,y x,y …".
fn points(list: &str) -> Vec<(f64, f64)> {
    list[..list.find('"').unwrap()]
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

/// One group of 1,000 people, never reached in about 4 runs of 10: the people processed are
/// 0 or 1,000, so their mean and median lie far apart.
const ONE_BIG_GROUP: &str = r#"
[scenario]
name = "One big group, often never reached"
start_date = "2021-02-19"
horizon = "60d"
seed = 7
replications = 40

[backlog]
people = 1000
group_size = 1000

[[origin]]
name = "A"

[registration]
delay = { dist = "exponential", mean = "5d" }
never = 0.4

[[route]]
from = "A"
to = "P"

[[port]]
name = "P"
servers = 1
service = "1d"
"#;

/// The cumulative chart plots the statistic its legend and axis name, the mean over
/// replications, as its per-port lines and the level of those never reached or dropped out
/// are (means add up across ports; medians do not). Its all-ports line had been the median,
/// labelled so, beside those means: on this run it ended at 1,000 people, the dashed level of
/// the reachable at 625.
#[test]
fn the_cumulative_line_is_the_mean_its_legend_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one-big-group.toml");
    std::fs::write(&path, ONE_BIG_GROUP).unwrap();
    let scn = load_file(&path).unwrap();
    let r = run(&scn, &RunOptions::default()).unwrap();
    let processed = r.summary.people.processed.clone().unwrap();
    assert!(
        processed.p50 - processed.mean > 200.0,
        "mean {} and median {} too close to tell apart",
        processed.mean,
        processed.p50
    );
    let svgs = clearance::output::charts::render_svgs(&scn, &ChartInput::from_run(&r)).unwrap();
    let svg = svg_of(&svgs, Chart::CumulativeProcessed);
    let text = words(svg);
    assert!(
        text.contains("People processed, cumulative, mean [people]")
            && text.contains("All ports, mean")
            && text.contains("All ports, 90% of replications (P5–P95)")
            && text.contains("Less never reached and dropped out, means (625)"),
        "{text}"
    );
    assert!(!text.contains("median"), "{text}");
    // The all-ports line (black, 3 pixels wide) ends at the mean, not at the median.
    let y = y_axis(svg);
    let line = polyline(svg, "#000000", 3, 0);
    let end = line.last().unwrap().1;
    assert!(
        (end - y(processed.mean)).abs() <= 1.5,
        "the line ends at row {end}, the mean at {}, the median at {}",
        y(processed.mean),
        y(processed.p50)
    );
}

/// The fan chart's axis says what it counts, with its unit: the backlog's and phases' people
/// not yet cleared (processed, dropped out or never reached: the count that reaches 0 on the
/// clearance day), and its legend says what "cleared" means. It had read "People remaining,
/// never reached left out", silent on drop-outs and phases.
#[test]
fn the_fan_axis_names_what_it_counts() {
    let svgs = bundled_svgs("baseline", 4);
    let svg = svg_of(&svgs, Chart::Fan);
    let axis = svg
        .split("<text")
        .find(|t| t.contains("rotate(270"))
        .and_then(|t| t.split_once('>'))
        .map(|(_, rest)| rest.split_once("</text>").unwrap().0.trim().to_string())
        .expect("a y-axis title");
    assert_eq!(axis, "People not yet cleared, backlog and phases [people]");
    let text = words(svg);
    assert!(
        text.contains("Cleared: processed, dropped out, or never reached (counted at day 0"),
        "{text}"
    );
    assert!(!text.contains("People remaining,"), "{text}");
}

/// The sweep line chart draws the 95% CI of the mean clearance (`clearance_days_ci95_low` and
/// `_high` of sweep.csv) as whiskers on the mean, and says so in its legend; it had drawn the
/// mean with no interval.
#[test]
fn the_sweep_chart_draws_the_mean_with_its_95_ci() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    assert_cmd::Command::cargo_bin("clearance")
        .unwrap()
        .args([
            "sweep",
            "scenarios/baseline.toml",
            "--vary",
            "screening.servers=3,6,10",
            "--replications",
            "8",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let rows: Vec<Vec<f64>> = lines
        .map(|l| {
            l.split(',')
                .map(|v| v.parse().unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    let svg = std::fs::read_to_string(out.join("sweep.svg")).unwrap();
    assert!(words(&svg).contains("95% CI of the mean"), "legend");
    assert!(
        svg.contains("font-family=\"DejaVu Sans, Verdana, sans-serif\"")
            && !svg.contains("font-family=\"sans-serif\""),
        "the experiment charts' SVG asks for the bundled font too"
    );
    let y = y_axis(&svg);
    // The mean line (blue, 3 wide) has a point per row; each has a whisker (blue, 2 wide) at
    // its x from the interval's low end to its high end.
    let mean = polyline(&svg, "#0072B2", 3, 0);
    assert_eq!(mean.len(), rows.len());
    for (k, (row, (x, ym))) in rows.iter().zip(&mean).enumerate() {
        let (lo, hi) = (
            row[col("clearance_days_ci95_low")],
            row[col("clearance_days_ci95_high")],
        );
        assert!(hi - lo > 0.5, "row {k}: a visible interval, {lo}–{hi}");
        let w = polyline(&svg, "#0072B2", 2, 3 * k);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w.iter().all(|p| p.0 == *x), "whisker {k} at x = {x}: {w:?}");
        let (top, bottom) = (w[0].1.min(w[1].1), w[0].1.max(w[1].1));
        assert!(
            (bottom - y(lo)).abs() <= 1.5 && (top - y(hi)).abs() <= 1.5,
            "{k}: {w:?}"
        );
        assert!(top <= *ym && *ym <= bottom, "the mean inside its interval");
    }
}

/// The date ticks of a chart's x axis (labels such as "Feb 12", centred under the plot) as
/// (day since the scenario's start, pixel column).
fn x_date_ticks(svg: &str, start: chrono::NaiveDate) -> Vec<(f64, f64)> {
    let attr = |e: &str, k: &str| -> f64 {
        let v = e.split(&format!(" {k}=\"")).nth(1).unwrap();
        v.split('"').next().unwrap().parse().unwrap()
    };
    svg.split("<text")
        .skip(1)
        .filter(|t| t.contains("text-anchor=\"middle\"") && !t.contains("transform="))
        .filter_map(|t| {
            let (tag, rest) = t.split_once('>')?;
            let label = rest.split_once("</text>")?.0.trim();
            let date = chrono::NaiveDate::parse_from_str(
                &format!("{label} {}", chrono::Datelike::year(&start)),
                "%b %d %Y",
            )
            .ok()?;
            Some(((date - start).num_days() as f64, attr(tag, "x")))
        })
        .collect()
}

/// When every replication clears on the same day (a deterministic scenario; nobody to clear),
/// the clearance chart draws one bar a day wide, centred on that day, on an axis of a few days
/// around it. The bar had been a twentieth of the horizon wide ("183 days", from Jan 1 to
/// Jul 1 for runs that all cleared on Feb 11) on an axis from 2020 to September 2021.
#[test]
fn one_clearance_day_is_one_narrow_bar_on_an_axis_of_days() {
    let mut scn = load_file(std::path::Path::new(
        "tests/scenarios/deterministic-42.toml",
    ))
    .unwrap();
    scn.replications = 20;
    for people in [25_000, 0] {
        scn.backlog.people = people;
        let r = run(&scn, &RunOptions::default()).unwrap();
        let value = r.clearance_days[0];
        assert!(r.clearance_days.iter().all(|v| *v == value), "one value");
        let svgs = clearance::output::charts::render_svgs(&scn, &ChartInput::from_run(&r)).unwrap();
        let svg = svg_of(&svgs, Chart::ClearanceDistribution);
        let text = words(svg);
        assert!(text.contains("Replications per bin (1 day)"), "{text}");
        // Date ticks every two days, a few days either side of the value.
        let ticks = x_date_ticks(svg, scn.start_date);
        assert!(ticks.len() >= 3, "{people}: {ticks:?} in {text}");
        let (first, last) = (ticks[0], ticks[ticks.len() - 1]);
        assert!(last.0 - first.0 <= 12.0, "{people}: {ticks:?}");
        assert!(
            first.0 <= value.max(0.0) + 2.0 && value <= last.0 + 2.0,
            "{ticks:?}"
        );
        let px = |day: f64| first.1 + (day - first.0) * (last.1 - first.1) / (last.0 - first.0);
        let per_day = px(1.0) - px(0.0);
        // The bar (sky blue, the legend's swatch left out): a day wide, centred on the value.
        let bars: Vec<(f64, f64)> = svg
            .match_indices("<rect ")
            .map(|(i, _)| &svg[i..i + svg[i..].find('>').unwrap()])
            .filter(|e| e.contains("fill=\"#56B4E9\""))
            .map(|e| {
                let a = |k: &str| -> f64 {
                    e.split(&format!(" {k}=\""))
                        .nth(1)
                        .unwrap()
                        .split('"')
                        .next()
                        .unwrap()
                        .parse()
                        .unwrap()
                };
                (a("x"), a("width"))
            })
            .filter(|(x, _)| *x < 900.0)
            .collect();
        assert_eq!(bars.len(), 1, "{people}: {bars:?}");
        let (x, w) = bars[0];
        assert!(
            (w - per_day).abs() <= 3.0,
            "{people}: bar {w} px, a day {per_day} px"
        );
        assert!(
            (x + w / 2.0 - px(value)).abs() <= 3.0,
            "{people}: bar centred at {}, the value at {}",
            x + w / 2.0,
            px(value)
        );
    }
}

/// 1,000 people through one port at 100 a day (a second port no route reaches): the last 100
/// are processed at 00:00 of day 9, the day `explain` gives as the bound.
const ONE_PORT_100_A_DAY: &str = r#"
[scenario]
name = "noroute"
replications = 10
[backlog]
people = 1000
[[origin]]
name = "A"
[[route]]
from = "A"
to = "P"
[[port]]
name = "P"
quota_per_day = 100
[[port]]
name = "Q"
quota_per_day = 100
"#;

/// Vertical dashes of the plot drawn in this colour, 2 pixels wide: (column, top, bottom).
fn dashes(svg: &str, stroke: &str) -> Vec<(f64, f64, f64)> {
    let key = format!("stroke=\"{stroke}\" stroke-width=\"2\" points=\"");
    svg.match_indices(&key)
        .filter_map(|(i, _)| {
            let p = points(&svg[i + key.len()..]);
            (p.len() == 2 && p[0].0 == p[1].0 && p[0].0 < 930.0)
                .then(|| (p[0].0, p[0].1.min(p[1].1), p[0].1.max(p[1].1)))
        })
        .collect()
}

/// The bottleneck chart draws the capacity bound at 00:00 of the date its label and `explain`
/// give. It had drawn it a day later (day + 1) under a label of the bound's own date, so a P50
/// on that day, as here, appeared to beat the bound. The P50 then falls on the bound's column,
/// and both lines show, in alternating dashes.
#[test]
fn the_capacity_bound_is_drawn_on_its_own_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("noroute.toml");
    std::fs::write(&path, ONE_PORT_100_A_DAY).unwrap();
    let scn = load_file(&path).unwrap();
    let rep = clearance::analysis::explain(&scn);
    assert_eq!(rep.lower_bound_day, Some(9));
    let r = run(&scn, &RunOptions::default()).unwrap();
    assert!(r.clearance_days.iter().all(|v| *v == 9.0));
    let svgs = clearance::output::charts::render_svgs(&scn, &ChartInput::from_run(&r)).unwrap();
    let svg = svg_of(&svgs, Chart::Bottleneck);
    assert!(words(svg).contains("Capacity bound: Jan 10 2021"));
    // Port Q has no route: the ports' line, like explain's total, leaves it out and says so.
    assert!(words(svg).contains("Port capacity, ports a route reaches"));
    assert!(!words(svg).contains("Port capacity, all ports"));
    let ticks = x_date_ticks(svg, scn.start_date);
    let day9 = ticks
        .iter()
        .find(|t| t.0 == 9.0)
        .or(ticks.iter().find(|t| t.0 == 8.0))
        .map(|t| {
            let (a, b) = (ticks[0], ticks[ticks.len() - 1]);
            t.1 + (9.0 - t.0) * (b.1 - a.1) / (b.0 - a.0)
        })
        .expect("a tick near day 9");
    let bound = dashes(svg, "#000000");
    let p50 = dashes(svg, "#E69F00");
    assert!(bound.len() >= 10 && p50.len() >= 10, "{bound:?} {p50:?}");
    for (name, line) in [("bound", &bound), ("P50", &p50)] {
        assert!(
            line.iter().all(|d| (d.0 - day9).abs() <= 1.5),
            "{name} line at {:?}, Jan 10 at {day9}",
            line.iter().map(|d| d.0).collect::<Vec<_>>()
        );
    }
    // The bound's dashes show between the P50's: some stretch of each is not under the other.
    let covered = |d: &(f64, f64, f64), by: &[(f64, f64, f64)]| {
        by.iter().any(|o| o.1 <= d.1 + 1.0 && d.2 <= o.2 + 1.0)
    };
    assert!(bound.iter().filter(|d| !covered(d, &p50)).count() >= 5);
    assert!(p50.iter().filter(|d| !covered(d, &bound)).count() >= 5);
}

/// Runs `clearance sweep` on bus-bottleneck with these factors; returns sweep.csv's rows as
/// name → value maps, in grid order, and sweep.svg.
fn sweep_of(vary: &[&str], reps: &str) -> (Vec<std::collections::HashMap<String, String>>, String) {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let mut args = vec!["sweep", "scenarios/bus-bottleneck.toml"];
    for v in vary {
        args.extend(["--vary", v]);
    }
    args.extend([
        "--replications",
        reps,
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_cmd::Command::cargo_bin("clearance")
        .unwrap()
        .args(&args)
        .assert()
        .success();
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let mut lines = csv.lines();
    let head: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| {
            head.iter()
                .cloned()
                .zip(l.split(',').map(String::from))
                .collect()
        })
        .collect();
    (
        rows,
        std::fs::read_to_string(out.join("sweep.svg")).unwrap(),
    )
}

/// The heatmap's cells, in drawing order (row by row, as sweep.csv lists them): their fill.
fn heat_cells(svg: &str) -> Vec<String> {
    svg.match_indices("<rect ")
        .map(|(i, _)| &svg[i..i + svg[i..].find('>').unwrap()])
        .filter(|e| {
            let a = |k: &str| -> f64 {
                e.split(&format!(" {k}=\""))
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap()
            };
            a("x") < 930.0 && a("y") > 70.0 && a("width") > 100.0
        })
        .map(|e| e.split("fill=\"").nth(1).unwrap()[..7].to_string())
        .collect()
}

/// The values of the heatmap's colour-bar ticks, text elements that read "N days".
fn scale_ticks(svg: &str) -> Vec<f64> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let label = t.split_once('>')?.1.split_once("</text>")?.0.trim();
            label.strip_suffix(" days")?.parse().ok()
        })
        .collect()
}

/// The sweep heatmap draws a cell whose P90 is only a lower bound (replications stopped at the
/// horizon, "≥") hatched in grey, off the colour scale, which the legend says, and its value
/// neither sets nor stretches the scale. It had coloured them as values: the cells where no
/// run cleared by a 200-day horizon ("≥200.0") were the scale's light yellow, the earliest
/// clearance of the sweep, beside cells that cleared after 269 days.
#[test]
fn the_heatmap_keeps_censored_cells_off_its_colour_scale() {
    let (rows, svg) = sweep_of(
        &[
            "route[Tijuana->San Ysidro].seats=25,55",
            "scenario.horizon=200d,266d,400d",
        ],
        "10",
    );
    let cells = heat_cells(&svg);
    assert_eq!(cells.len(), rows.len(), "{cells:?}");
    let censored: Vec<bool> = rows
        .iter()
        .map(|r| r["clearance_p90_censored"] == "true")
        .collect();
    assert!(
        censored.iter().any(|c| *c) && censored.iter().any(|c| !*c),
        "{censored:?}"
    );
    for (k, (fill, c)) in cells.iter().zip(&censored).enumerate() {
        assert_eq!(fill == "#ECECEC", *c, "cell {k}: {fill}, censored {c}");
    }
    // Hatched: grey diagonals, and the legend's swatch and note.
    assert!(svg.matches("stroke=\"#A0A0A0\"").count() >= 20);
    let text = words(&svg);
    // The two cells that cleared differ by some hundredths of a day: not "by only 0.0 days".
    assert!(
        !text.contains(" 0.0 days")
            && text.contains("cells differ by less than 0.1 days: colour scale widened")
            && !text.contains("only less than"),
        "{text}"
    );
    assert!(
        text.contains("Censored: ≥ the value")
            && text.contains("≥200.0")
            && text.contains("bound: not on the colour scale"),
        "{text}"
    );
    // The colour scale is that of the cells that cleared (about 270 days), not down to 200.
    let min = rows
        .iter()
        .zip(&censored)
        .filter(|(_, c)| !**c)
        .map(|(r, _)| r["clearance_days_p90"].parse::<f64>().unwrap())
        .fold(f64::INFINITY, f64::min);
    let ticks = scale_ticks(&svg);
    assert!(ticks.len() >= 3, "{text}");
    for tick in ticks {
        assert!(tick >= min - 10.0, "a scale tick at {tick} days: {text}");
    }

    // No run clears within any horizon: every cell censored, no colour bar at all.
    let (rows, svg) = sweep_of(
        &[
            "route[Tijuana->San Ysidro].seats=25,55",
            "scenario.horizon=100d,150d",
        ],
        "4",
    );
    assert!(rows.iter().all(|r| r["clearance_p90_censored"] == "true"));
    assert!(heat_cells(&svg).iter().all(|f| f == "#ECECEC"));
    let text = words(&svg);
    assert!(text.contains("Censored: ≥ the value"), "{text}");
    assert!(scale_ticks(&svg).is_empty(), "no scale ticks: {text}");
}

/// A sweep whose factors change nothing (the warm-up and a horizon well past the clearance):
/// every cell is equal, which the subtitle and the legend say in words ("differ by only 0.0
/// days" before), and the legend's lines stay short enough for its column.
#[test]
fn a_heatmap_of_equal_cells_says_they_are_equal() {
    let (rows, svg) = sweep_of(
        &["scenario.warmup=0d,1d", "scenario.horizon=3000d,3650d"],
        "4",
    );
    let p90: std::collections::HashSet<&str> = rows
        .iter()
        .map(|r| r["clearance_days_p90"].as_str())
        .collect();
    assert_eq!(p90.len(), 1, "{rows:?}");
    let text = words(&svg);
    assert!(
        text.contains("the cells are all equal: colour scale widened")
            && text.contains("The cells are all equal:")
            && !text.contains("differ by"),
        "{text}"
    );
}

/// The heatmap's axes name their factors in words with units, not as key paths (which head
/// sweep.csv's columns); the notes under its colour scale are sentences apart, and the interval
/// that widens the scale is named as the mean clearance's, not as if it were the P90 cells'.
#[test]
fn the_heatmap_reads_in_words_and_names_its_interval() {
    let (rows, svg) = sweep_of(
        &[
            "port[El Paso].quota_per_day=300,400",
            "route[Tijuana->San Ysidro].seats=25,55",
        ],
        "6",
    );
    assert!(rows[0].contains_key("port[El Paso].quota_per_day"));
    let text = words(&svg);
    assert!(
        text.contains("El Paso quota per day [people/day]")
            && text.contains("Tijuana-&gt;San Ysidro seats [people]")
            && !text.contains("port[")
            && !text.contains("route["),
        "{text}"
    );
    // The scale is widened: a bracket, then a sentence on how the cells differ.
    assert!(text.contains("colour scale widened"), "{text}");
    assert!(
        text.contains("Bracket: the range of the cells. The cells "),
        "{text}"
    );
    assert!(
        text.contains("95% CI of the mean clearance; that of a P90 is wider)")
            && !text.contains("CI of a mean"),
        "{text}"
    );
    // Every note line in the legend column lies within the 700-pixel chart (the last had run
    // off its foot).
    for (x, y, _, t) in texts(&svg) {
        assert!(x < 940 || y + 16 <= 700, "{t:?} at y = {y}");
    }
}

/// Runs `clearance` with `args` and `--out` a new directory; returns the SVG it wrote as
/// `file`.
fn svg_written(args: &[&str], file: &str) -> String {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    assert_cmd::Command::cargo_bin("clearance")
        .unwrap()
        .args(args)
        .args(["--quiet", "--out", out.to_str().unwrap()])
        .assert()
        .success();
    std::fs::read_to_string(out.join(file)).unwrap()
}

/// The sweep and sensitivity charts fit their subtitle as the run charts do: the `--set`
/// values as many as fit on the line, the others counted, and what does not fit on one line on
/// a second one, never one text wider than the chart. The heatmap's subtitle had run off at
/// "the coloured cells differ", the line chart's at "63 censored at th", and the tornado's
/// title (centred, with every `--set` value) had lost both its ends.
#[test]
fn experiment_charts_keep_their_subtitles_on_the_chart() {
    // About 8 pixels a character of 16 px text: 145 characters from x = 20 fill a 1,200-pixel
    // chart (charts::SUBTITLE_CHARS).
    let fits = |svg: &str, what: &str| {
        // The header's texts: the title and the subtitle's lines.
        for (x, _, _, t) in texts(svg).into_iter().filter(|(_, y, _, _)| *y < 110) {
            let t = t
                .replace("&gt;", ">")
                .replace("&lt;", "<")
                .replace("&amp;", "&")
                .replace("&quot;", "\"");
            assert!(t.chars().count() <= 145, "{what}: {t:?} at x = {x}");
        }
    };
    let horizon = "scenario.horizon=\"146.5d\"";
    let heat = svg_written(
        &[
            "sweep",
            "scenarios/baseline.toml",
            "--vary",
            "health.isolation=5d,10d,14d",
            "--vary",
            "screening.servers=20,40",
            "--set",
            horizon,
            "--replications",
            "8",
        ],
        "sweep.svg",
    );
    fits(&heat, "heatmap");
    let text = words(&heat);
    assert!(
        text.contains("with --set scenario.horizon=146.5d · 8 replications per point · ")
            && text.contains("censored at the horizon ·")
            && text.contains("colour scale widened"),
        "{text}"
    );
    let line = svg_written(
        &[
            "sweep",
            "scenarios/baseline.toml",
            "--vary",
            "health.isolation=5d,10d,14d",
            "--set",
            horizon,
            "--set",
            "port[San Ysidro].quota_per_day=350",
            "--replications",
            "8",
        ],
        "sweep.svg",
    );
    fits(&line, "line chart");
    let text = words(&line);
    assert!(
        text.contains("--set") && text.contains("censored at the horizon"),
        "{text}"
    );
    let tornado = svg_written(
        &[
            "sensitivity",
            "scenarios/baseline.toml",
            "--vary",
            "health.isolation=5d,15d",
            "--set",
            "port[San Ysidro].quota_per_day=350",
            "--set",
            "route[Tijuana->San Ysidro].seats=60",
            "--set",
            "port[El Paso].service={ dist = \"exponential\", mean = \"30min\" }",
            "--replications",
            "4",
        ],
        "tornado.svg",
    );
    fits(&tornado, "tornado");
    let text = words(&tornado);
    assert!(
        text.contains("Sensitivity of clearance")
            && text
                .contains("MPP wind-down, phase 1 as announced (Feb 2021) · with 3 --set values"),
        "{text}"
    );
}

/// A duration factor's axis carries its unit on the heatmap as on the line chart ("health
/// isolation [days]"); the heatmap's had read "health isolation".
#[test]
fn the_heatmap_gives_a_duration_factor_its_unit() {
    let (_, svg) = sweep_of(
        &[
            "port[El Paso].quota_per_day=200,300",
            "health.isolation=5d,10d",
        ],
        "3",
    );
    let text = words(&svg);
    assert!(
        text.contains("health isolation [days]")
            && text.contains("El Paso quota per day [people/day]"),
        "{text}"
    );
    let (_, svg) = sweep_of(&["health.isolation=5d,10d"], "3");
    assert!(words(&svg).contains("health isolation [days]"));
}

/// A sweep of named values (`dispatch.policy=fifo,appointment`) is drawn as categories: one
/// labelled tick per value under the plot and nothing else on the x axis, the figures as
/// points, not joined by lines (lines had joined "fifo" and "appointment" across nine
/// unlabelled ticks, as if a number lay between them).
#[test]
fn a_categorical_sweep_is_drawn_as_categories() {
    let (rows, svg) = sweep_of(&["dispatch.policy=fifo,appointment"], "4");
    assert_eq!(rows.len(), 2);
    // The x axis's labels: the texts under the plot (y from 630) left of the legend column,
    // but the axis title.
    let ticks: Vec<String> = texts(&svg)
        .into_iter()
        .filter(|(x, y, _, t)| *y > 630 && *x < 940 && t != "dispatch policy")
        .map(|(_, _, _, t)| t)
        .collect();
    assert_eq!(ticks, ["fifo", "appointment"], "{}", words(&svg));
    // No series line (3 wide) in the plot or the legend: points, one per value and figure.
    assert_eq!(svg.matches("stroke-width=\"3\"").count(), 0, "{svg}");
    let dots = svg.matches("<circle").count();
    assert!(dots >= 6, "{dots} circles");
    assert!(words(&svg).contains("95% CI of the mean"));
    // A numeric factor keeps its lines.
    let (_, svg) = sweep_of(&["screening.servers=20,40"], "4");
    assert!(svg.matches("stroke-width=\"3\"").count() >= 3);
}

/// The `<rect>`s of an SVG as (x, y, width, height, fill).
fn rects(svg: &str) -> Vec<(i32, i32, i32, i32, String)> {
    let attr = |r: &str, name: &str| -> String {
        let key = format!(" {name}=\"");
        r.split_once(&key)
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(v, _)| v.to_string())
            .unwrap_or_default()
    };
    svg.split("<rect")
        .skip(1)
        .map(|r| {
            let n = |k: &str| attr(r, k).parse::<f64>().unwrap_or(0.0) as i32;
            (n("x"), n("y"), n("width"), n("height"), attr(r, "fill"))
        })
        .collect()
}

/// The `<text>`s of an SVG as (x, y, text-anchor, text).
fn texts(svg: &str) -> Vec<(i32, i32, String, String)> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let (head, rest) = t.split_once('>')?;
            let attr = |name: &str| -> String {
                let key = format!(" {name}=\"");
                head.split_once(&key)
                    .and_then(|(_, rest)| rest.split_once('"'))
                    .map(|(v, _)| v.to_string())
                    .unwrap_or_default()
            };
            let n = |k: &str| attr(k).parse::<f64>().unwrap_or(0.0) as i32;
            let body = rest.split_once("</text>")?.0.trim().to_string();
            Some((n("x"), n("y"), attr("text-anchor"), body))
        })
        .collect()
}

/// The count axis of the clearance histogram has whole-number ticks only, each once (from 5
/// replications it had read "0, 0, 1, 2, 2, 2": ticks at halves printed without decimals), and
/// the P50/P90/P95 labels sit above the bars, not on white boxes cut into them.
#[test]
fn the_clearance_histogram_counts_in_whole_numbers_and_its_labels_hide_no_bar() {
    let det = load_file(std::path::Path::new(
        "tests/scenarios/deterministic-42.toml",
    ))
    .unwrap();
    let mut det = det;
    det.replications = 3;
    for (scn, n) in [(realistic(5), 5), (det, 3)] {
        let r = run(&scn, &RunOptions::default()).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        write_charts(tmp.path(), &scn, &ChartInput::from_run(&r)).unwrap();
        let svg = std::fs::read_to_string(tmp.path().join("clearance-distribution.svg")).unwrap();
        // The left axis: labels anchored at their end, left of the plot.
        let counts: Vec<String> = texts(&svg)
            .into_iter()
            .filter(|(x, _, anchor, t)| {
                *x < 120
                    && anchor == "end"
                    && !t.is_empty()
                    && t.chars().all(|c| c.is_ascii_digit())
            })
            .map(|t| t.3)
            .collect();
        let values: Vec<usize> = counts.iter().map(|c| c.parse().unwrap()).collect();
        assert!(values.len() >= 2, "{counts:?}");
        assert_eq!(values[0], 0, "{counts:?}");
        let step = values[1];
        for (i, v) in values.iter().enumerate() {
            assert_eq!(*v, i * step, "whole, distinct, evenly spaced: {counts:?}");
        }
        assert!(*values.last().unwrap() <= n, "{counts:?}");
        // Bars (sky blue, in the plot) and the marker labels' boxes (white, not the background).
        let all = rects(&svg);
        let bars: Vec<_> = all
            .iter()
            .filter(|r| r.4 == "#56B4E9" && r.0 < 900)
            .collect();
        assert!(!bars.is_empty());
        let bar_top = bars.iter().map(|r| r.1).min().unwrap();
        // One label a date: "P50 = P90 = P95: …" where all three fall on one day.
        let labels: Vec<_> = texts(&svg)
            .into_iter()
            .filter(|t| t.3.starts_with('P') && t.3.contains(": "))
            .collect();
        let named: String = labels.iter().map(|l| l.3.as_str()).collect();
        assert!(
            ["P50", "P90", "P95"]
                .iter()
                .all(|p| named.matches(p).count() == 1),
            "{labels:?}"
        );
        for l in &labels {
            assert!(
                l.1 + 10 < bar_top,
                "label {l:?} over the bars (top {bar_top})"
            );
        }
        for b in all.iter().filter(|r| r.4 == "#FFFFFF" && r.2 < 400) {
            for bar in &bars {
                let apart = b.0 + b.2 <= bar.0
                    || bar.0 + bar.2 <= b.0
                    || b.1 + b.3 <= bar.1
                    || bar.1 + bar.3 <= b.1;
                assert!(apart, "white box {b:?} cuts into bar {bar:?}");
            }
        }
    }
}

/// The SVGs of the charts of scenario `text`, run as it says.
fn toml_svgs(text: &str) -> Vec<(Chart, String)> {
    let scn = load_str(text, "test.toml").unwrap();
    let r = run(&scn, &RunOptions::default()).unwrap();
    clearance::output::charts::render_svgs(&scn, &ChartInput::from_run(&r)).unwrap()
}

/// One port without a quota, one server of 12-hour services: `people` clear in about
/// `people` / 2 days.
fn one_port_without_quota(people: u32, horizon: &str) -> String {
    format!(
        r#"
[scenario]
name = "one port"
start_date = "2021-12-20"
horizon = "{horizon}"
replications = 3

[backlog]
people = {people}

[[origin]]
name = "A"

[[route]]
from = "A"
to = "P"

[[port]]
name = "P"
servers = 1
service = {{ dist = "exponential", mean = "12h" }}
"#
    )
}

/// Under appointment a port's quota caps the people who board toward it a day (MODEL.md §1,
/// stage 5), not the people it serves: a bus boarded late is served the next day, so the
/// median processed passes the quota line on some days (the baseline's San Ysidro, quota 300).
/// The legend names the line as boardings and says why the processed line can cross it; it
/// had read "Daily quota q(d) at its largest, booked at boarding", as a quota broken. Under
/// fifo the quota caps service starts and the legend says nothing of boardings.
#[test]
fn under_appointment_the_ports_quota_line_is_named_as_boardings() {
    let mut scn = load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
    scn.replications = 20;
    let r = run(&scn, &RunOptions::default()).unwrap();
    let input = ChartInput::from_run(&r);
    // The case the note is for: San Ysidro's median passes its quota of 300 on some day.
    let d = input.daily;
    let s = d.series_index("processed_today:San Ysidro").unwrap();
    let most = (0..d.days).map(|day| d.get(day, s).p50).fold(0.0, f64::max);
    assert!(most > 300.0, "{most}");
    let svgs = clearance::output::charts::render_svgs(&scn, &input).unwrap();
    let ports = words(svg_of(&svgs, Chart::Ports));
    assert!(
        ports.contains("Quota q(d) of boardings a day (appointments)"),
        "{ports}"
    );
    assert!(
        ports.contains("the quota caps the people who board for the port a day, not those served"),
        "{ports}"
    );
    assert!(ports.contains("can pass the quota line"), "{ports}");
    // Under fifo the quota caps service starts: no word of boardings.
    let svgs = toml_svgs(
        "[scenario]\nname = \"fifo\"\nreplications = 2\nhorizon = \"60d\"\n\n\
         [backlog]\npeople = 400\n\n[[origin]]\nname = \"A\"\n\n\
         [[route]]\nfrom = \"A\"\nto = \"P\"\n\n\
         [[port]]\nname = \"P\"\nquota_per_day = 20\n",
    );
    let ports = words(svg_of(&svgs, Chart::Ports));
    assert!(ports.contains("Daily quota q(d)"), "{ports}");
    assert!(!ports.contains("board"), "{ports}");
}

/// The texts of an SVG written rotated: the y axes' titles.
fn rotated_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter(|t| {
            t.split_once('>')
                .is_some_and(|(a, _)| a.contains("rotate("))
        })
        .filter_map(|t| {
            Some(
                t.split_once('>')?
                    .1
                    .split_once("</text>")?
                    .0
                    .trim()
                    .to_string(),
            )
        })
        .collect()
}

/// Every y axis of a run's charts names its unit in brackets, as the x axes and the
/// experiment charts do ("[people]", "[people/day]", "[count]"); the ports chart's panels had
/// read "People/day" alone, and the clearance chart's right axis, a share whose ticks are in %,
/// "Share of replications cleared by this date" without its unit.
#[test]
fn every_y_axis_of_a_run_names_its_unit() {
    let svgs = bundled_svgs("baseline", 3);
    for (chart, svg) in &svgs {
        let titles = rotated_texts(svg);
        assert!(!titles.is_empty(), "{chart:?}: no y axis title");
        for t in titles {
            assert!(
                t.contains('[') && t.ends_with(']'),
                "{chart:?}: y axis {t:?}"
            );
        }
    }
    let ports = rotated_texts(svg_of(&svgs, Chart::Ports));
    assert_eq!(ports, vec!["Per day [people]"; 3]);
    let clearance = rotated_texts(svg_of(&svgs, Chart::ClearanceDistribution));
    assert_eq!(
        clearance,
        vec![
            "Replications [count]",
            "Share of replications cleared by this date [%]"
        ]
    );
}

#[test]
fn the_ports_legend_names_a_quota_only_where_one_is_drawn() {
    let svgs = toml_svgs(&one_port_without_quota(100, "200d"));
    let ports = words(svg_of(&svgs, Chart::Ports));
    assert!(ports.contains("P: median"), "{ports}");
    assert!(!ports.to_lowercase().contains("quota q(d)"), "{ports}");
    // A port with a quota keeps the entry (under appointment "Quota q(d) of boardings").
    let svgs = bundled_svgs("baseline", 3);
    let ports = words(svg_of(&svgs, Chart::Ports));
    assert!(ports.to_lowercase().contains("quota q(d)"), "{ports}");
}

#[test]
fn the_fan_charts_t90_label_has_the_year_on_an_axis_of_several_years() {
    // 2,000 people clear in about 1,000 days: the axis runs from 2021 to 2024.
    let svgs = toml_svgs(&one_port_without_quota(2000, "3000d"));
    let fan = words(svg_of(&svgs, Chart::Fan));
    let label = fan
        .split("90% processed: ")
        .nth(1)
        .expect("the t90 label")
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>();
    assert!(
        label.len() == 3 && label[2].len() == 4 && label[2].starts_with("202"),
        "{label:?} in {fan}"
    );
    // Within one year it stays short.
    let svgs = toml_svgs(&one_port_without_quota(100, "200d").replace("2021-12-20", "2021-03-01"));
    let fan = words(svg_of(&svgs, Chart::Fan));
    let label = fan.split("90% processed: ").nth(1).expect("the t90 label");
    let date: Vec<&str> = label.split_whitespace().take(3).collect();
    assert!(date[2].parse::<i32>().is_err(), "{date:?}");
}

/// The texts of an SVG with their top y \[px\] (plotters writes `y` at the text's top).
fn texts_at(svg: &str) -> Vec<(f64, String)> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let y = t.split("y=\"").nth(1)?.split('"').next()?.parse().ok()?;
            let body = t.split_once('>')?.1.split_once("</text>")?.0.trim();
            Some((y, body.to_string()))
        })
        .collect()
}

/// Of 13 to 16 ports, the queues and cumulative charts draw the 12 that processed the most
/// (the ports chart's panels) in colour, each with its legend entry, and the others as thin
/// grey lines behind them under one entry; the queues chart adds all ports together. Every
/// port had been drawn with an entry of its own, in colours and patterns that repeat after
/// eight, in a legend of 20 entries set closer: neither could be read. Every entry fits.
#[test]
fn sixteen_ports_draw_twelve_in_colour_and_the_others_in_grey() {
    let mut text = String::from(
        "[scenario]\nname = \"sixteen ports\"\nstart_date = \"2021-02-19\"\nreplications = 3\n\
         horizon = \"400d\"\n\n[backlog]\npeople = 3200\n\n[[origin]]\nname = \"O\"\n\n\
         [health]\nturnaround = \"1d\"\n\n[dispatch]\nchoose_port = \"shortest_queue\"\n",
    );
    for p in 1..=16 {
        text.push_str(&format!("\n[[route]]\nfrom = \"O\"\nto = \"Port {p}\"\n"));
    }
    for p in 1..=16 {
        text.push_str(&format!(
            "\n[[port]]\nname = \"Port {p}\"\nquota_per_day = {}\n",
            8 + 2 * p
        ));
    }
    let scn = load_str(&text, "test.toml").unwrap();
    let r = run(&scn, &RunOptions::default()).unwrap();
    let input = ChartInput::from_run(&r);
    let svgs = clearance::output::charts::render_svgs(&scn, &input).unwrap();
    // The 12 that processed the most (means; ties in scenario order).
    let mut ranked: Vec<(usize, f64)> = input
        .summary
        .ports
        .iter()
        .enumerate()
        .map(|(p, s)| (p, s.processed.as_ref().map_or(0.0, |s| s.mean)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    for (chart, entry) in [
        (Chart::Queues, "Waiting at Port {}"),
        (Chart::CumulativeProcessed, "Port {} (mean)"),
    ] {
        let svg = svg_of(&svgs, chart);
        let texts = texts_at(svg);
        let y_of = |p: usize| {
            let label = entry.replace("{}", &(p + 1).to_string());
            texts.iter().find(|(_, t)| *t == label).map(|t| t.0)
        };
        let mut ys: Vec<f64> = ranked[..12]
            .iter()
            .map(|(p, _)| y_of(*p).unwrap_or_else(|| panic!("{chart:?}: no entry for port {p}")))
            .collect();
        for (p, _) in &ranked[12..] {
            assert!(y_of(*p).is_none(), "{chart:?}: an entry for port {p}");
        }
        let said = words(svg);
        assert!(
            said.contains("4 more ports (fewer processed), each a thin grey line"),
            "{chart:?}: {said}"
        );
        assert!(!said.contains("not drawn"), "{chart:?}: {said}");
        // Four thin grey lines, behind the ports in colour.
        let greys = svg
            .split("<polyline")
            .filter(|l| l.contains("stroke=\"#AFAFAF\"") && l.contains("stroke-width=\"1\""))
            .count();
        assert_eq!(
            greys,
            4 + 1,
            "{chart:?}: four lines and the legend's swatch"
        );
        // Each entry whole within the 700-px canvas, and none on another.
        assert!(ys.iter().all(|y| y + 18.0 <= 700.0), "{chart:?}: {ys:?}");
        ys.sort_by(f64::total_cmp);
        assert!(
            ys.windows(2).all(|w| w[1] - w[0] >= 18.0),
            "{chart:?}: {ys:?}"
        );
    }
    assert!(words(svg_of(&svgs, Chart::Queues)).contains("Waiting at all ports"));
    // Thirteen ports: the one grey line is named as one, not as "each".
    let thirteen = many_ports(13, &|p| format!("Port {p}"));
    for (chart, svg) in toml_svgs(&thirteen) {
        if matches!(chart, Chart::Queues | Chart::CumulativeProcessed) {
            let said = words(&svg);
            assert!(
                said.contains("1 more port (fewer processed), a thin grey line"),
                "{chart:?}: {said}"
            );
            assert!(!said.contains("each a thin"), "{chart:?}: {said}");
        }
    }
    // Twelve ports: every port in colour with its own entry, as before; no grey line.
    let twelve = many_ports(12, &|p| format!("Port {p}"));
    for (chart, svg) in toml_svgs(&twelve) {
        if matches!(chart, Chart::Queues | Chart::CumulativeProcessed) {
            let said = words(&svg) + " ";
            assert!(!said.contains("thin grey"), "{chart:?}: {said}");
            assert!(!said.contains("Waiting at all ports"), "{chart:?}: {said}");
            assert!(!svg.contains("#AFAFAF"), "{chart:?}");
            for p in 0..12 {
                assert!(
                    said.contains(&format!("Waiting at Port {p} "))
                        || said.contains(&format!("Port {p} (mean)")),
                    "{chart:?}: Port {p} in {said}"
                );
            }
        }
    }
}

/// A scenario of `n` ports named by `name`, each with its own route from one origin, quotas
/// growing with the port's number and more people than they process within the horizon (so
/// that the last ports process the most), 1 replication.
fn many_ports(n: usize, name: &dyn Fn(usize) -> String) -> String {
    let mut text = String::from(
        "[scenario]\nname = \"many ports\"\nstart_date = \"2021-02-19\"\nreplications = 1\n\
         horizon = \"30d\"\n\n[backlog]\npeople = 20000\n\n[[origin]]\nname = \"O\"\n\n\
         [dispatch]\nchoose_port = \"shortest_queue\"\n",
    );
    for p in 0..n {
        text.push_str(&format!(
            "\n[[route]]\nfrom = \"O\"\nto = \"{}\"\n",
            name(p)
        ));
    }
    for p in 0..n {
        text.push_str(&format!(
            "\n[[port]]\nname = \"{}\"\nquota_per_day = {}\n",
            name(p),
            1 + p
        ));
    }
    text
}

/// The height \[px\] of an SVG (its root's `height`).
fn svg_height(svg: &str) -> f64 {
    svg.split("height=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// With more ports than the charts draw, the ports chart draws the panels of the 12 ports that
/// processed the most people, most first, and says so; the queues and cumulative charts draw
/// the lines of the 12 that processed the most in colour, the next 4 in grey, all ports
/// together, and count the others. (A
/// panel a port had made the chart of 1,000 ports 280,090 pixels tall.)
#[test]
fn charts_of_many_ports_draw_those_that_processed_the_most() {
    let text = many_ports(40, &|p| format!("Port {p}"));
    let scn = load_str(&text, "test.toml").unwrap();
    let r = run(&scn, &RunOptions::default()).unwrap();
    let input = ChartInput::from_run(&r);
    let svgs = clearance::output::charts::render_svgs(&scn, &input).unwrap();
    // The 12 that processed the most (means; ties in scenario order).
    let mut ranked: Vec<(usize, f64)> = input
        .summary
        .ports
        .iter()
        .enumerate()
        .map(|(p, s)| (p, s.processed.as_ref().map_or(0.0, |s| s.mean)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let top: Vec<String> = ranked[..12]
        .iter()
        .map(|(p, _)| format!("Port {p}"))
        .collect();
    assert_ne!(
        top[..],
        (0..12).map(|p| format!("Port {p}")).collect::<Vec<_>>()[..]
    );
    let ports = svg_of(&svgs, Chart::Ports);
    assert_eq!(svg_height(ports), (90 + 280 * 12) as f64);
    assert_eq!(Chart::Ports.size(40), (1200, 90 + 280 * 12));
    let panels: Vec<String> = texts_at(ports)
        .into_iter()
        .filter(|(_, t)| t.contains(" processed (median)"))
        .map(|(_, t)| t.split(':').next().unwrap().to_string())
        .collect();
    assert_eq!(panels, top);
    let said = words(ports);
    assert!(
        said.contains("the 12 of 40 ports that processed the most people (mean), most first; every port is in daily.csv"),
        "{said}"
    );
    for chart in [Chart::Queues, Chart::CumulativeProcessed] {
        let svg = svg_of(&svgs, chart);
        let said = words(svg);
        let drawn = (0..40)
            .filter(|p| {
                texts_at(svg).iter().any(|(_, t)| {
                    *t == format!("Waiting at Port {p}") || *t == format!("Port {p} (mean)")
                })
            })
            .count();
        assert_eq!(drawn, 12, "{chart:?}: {said}");
        for (p, _) in &ranked[..12] {
            assert!(
                said.contains(&format!("Port {p} ")),
                "{chart:?}: Port {p} in {said}"
            );
        }
        assert!(
            said.contains("4 more ports (fewer processed), each a thin grey line"),
            "{chart:?}: {said}"
        );
        assert!(
            said.contains("24 other ports not drawn (fewer processed); every port is in daily.csv"),
            "{chart:?}: {said}"
        );
    }
    assert!(words(svg_of(&svgs, Chart::Queues)).contains("Waiting at all ports"));
    // The report's description of the ports chart names the ports it draws, not all 40.
    let html = clearance::output::report::render_report(&scn, &text, &input).unwrap();
    let label = html
        .split("aria-label=\"People processed per day at ")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the ports chart's description");
    assert!(
        label.starts_with(
            "the 12 of the 40 ports that processed the most over 1 replication, most first"
        ),
        "{label}"
    );
    assert!(label.contains(&format!("{} about", top[0])), "{label}");
    assert!(
        !label.contains(&format!("Port {} about", ranked[12].0)),
        "{label}"
    );
}

/// Every text of every chart lies inside its image, however many ports and however long their
/// names: the legend's note of the ports it leaves out ends in "…" where the names would run
/// past the bottom (it had named all of them, far below the 700-pixel image).
#[test]
fn chart_texts_stay_inside_the_image_with_many_long_port_names() {
    let text = many_ports(40, &|p| {
        format!("Port of entry number {p} at the crossing on the northern border")
    });
    for (chart, svg) in toml_svgs(&text) {
        let height = svg_height(&svg);
        for (x, y, _, t) in texts(&svg) {
            // A legend line (from x = 900, its y its top) whole, 19 px; any other text's y
            // (some at their foot, as the axis's name) inside.
            let tall = if x >= 900 { 19 } else { 0 };
            assert!(
                y >= 0 && f64::from(y + tall) <= height,
                "{chart:?}: {t:?} at y = {y} of {height}"
            );
        }
    }
}
