//! The simulated-versus-observed chart: simulated cumulative people processed (median line, 50%
//! and 90% bands over replications) with the observed points on top, as PNG and SVG. Drawn in
//! the run charts' style (`output::charts`: frame with title and subtitle, legend column, date
//! axis, thousands separators, Okabe–Ito colours) with the bundled DejaVu Sans font.

use super::charts::{
    self as rc, band_polygon, date_desc, date_label, people_label, vline, y_top, DayAxis, Mark,
    GREY, OI_BLACK, OI_BLUE, OI_SKY, OI_VERMILLION,
};
use super::{atomic_write, OutputError};
use crate::experiment::DailyBands;
use crate::observed::{Bound, Fit, Scope};
use chrono::NaiveDate;
use plotters::prelude::*;
use std::path::Path;

/// One simulated day: quantiles over replications of cumulative people processed \[people\].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandPoint {
    /// Simulation day, the quantiles taken at its end (drawn at the day's end, `start_date` +
    /// `day` + 1, as the run charts draw end-of-day values) \[days since start_date\].
    pub day: usize,
    /// 5th percentile \[people\].
    pub p5: f64,
    /// 25th percentile \[people\].
    pub p25: f64,
    /// Median \[people\].
    pub p50: f64,
    /// 75th percentile \[people\].
    pub p75: f64,
    /// 95th percentile \[people\].
    pub p95: f64,
}

/// One observed point, with a label for the legend group (e.g. the counter).
#[derive(Debug, Clone, PartialEq)]
pub struct ObservedPoint {
    /// Simulation day of the observation's date \[days since start_date\]: a count "by" that
    /// date is compared with the simulated value at the day's end (see `observed`), and drawn
    /// there, at `day` + 1.
    pub day: usize,
    /// Observed cumulative people processed \[people\].
    pub people: f64,
    /// True when the point was used for calibration / fitting (filled), false for hold-out (hollow).
    pub fitted: bool,
    /// What the count says of the true value: exact (a dot), or a lower or upper bound (a ring
    /// with an arrow up or down: at least, at most).
    pub bound: Bound,
}

/// What to draw.
#[derive(Debug, Clone)]
pub struct ObservedChart<'a> {
    /// The chart's title.
    pub title: &'a str,
    /// Grey line under the title: what was run (scenario, replications, start date).
    pub subtitle: &'a str,
    /// The calendar date of day 0, from which the x axis's dates are counted.
    pub start_date: NaiveDate,
    /// The simulated bands, one point a day, in day order.
    pub bands: &'a [BandPoint],
    /// The observed counts drawn over the bands.
    pub observed: &'a [ObservedPoint],
    /// Optional vertical marker (day, label), e.g. the calibration cut-off, drawn at the day's
    /// end (`day` + 1), with that day's observed point.
    pub marker: Option<(usize, &'a str)>,
}

fn draw_err(message: String) -> OutputError {
    OutputError::Serialize {
        what: "the observed chart".into(),
        source: message.into(),
    }
}

/// Where the value at the end of `day` is drawn on the day axis: at the day's end.
fn end_of(day: usize) -> f64 {
    day as f64 + 1.0
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    c: &ObservedChart,
) -> rc::DResult {
    let (plot, legend) = rc::frame(&root, c.title, c.subtitle)?;
    let max_day = c
        .bands
        .iter()
        .map(|b| b.day)
        .chain(c.observed.iter().map(|o| o.day))
        .max()
        .unwrap_or(1)
        .max(1) as f64
        // End-of-day values are drawn at the day's end.
        + 1.0;
    let ymax = y_top(
        c.bands
            .iter()
            .map(|b| b.p95)
            .chain(c.observed.iter().map(|o| o.people))
            .fold(0.0_f64, f64::max),
    );
    let start = c.start_date;
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .x_label_area_size(56)
        .y_label_area_size(90)
        .build_cartesian_2d(DayAxis::new(start, 0.0, max_day), 0.0..ymax)
        .map_err(rc::err)?;
    let fx = date_label(start, max_day);
    chart
        .configure_mesh()
        .x_label_formatter(&fx)
        .y_label_formatter(&people_label)
        .x_desc(date_desc(start, 0.0, max_day))
        .y_desc("People processed, cumulative [people]")
        .y_labels(8)
        .axis_desc_style((rc::FONT, rc::AXIS_SIZE))
        .label_style((rc::FONT, rc::TEXT_SIZE))
        .bold_line_style(OI_BLACK.mix(0.12))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(rc::err)?;
    // Each value at the end of its day, at day + 1 as in the run charts (fan, cumulative): the
    // chart had drawn them a day earlier, at the day's start.
    let xs = c.bands.iter().map(|b| end_of(b.day));
    let col = |f: fn(&BandPoint) -> f64| c.bands.iter().map(f).collect::<Vec<f64>>();
    let mut items = Vec::new();
    if !c.bands.is_empty() {
        chart
            .draw_series(std::iter::once(Polygon::new(
                band_polygon(xs.clone(), &col(|b| b.p5), &col(|b| b.p95)),
                OI_SKY.mix(0.3).filled(),
            )))
            .map_err(rc::err)?;
        chart
            .draw_series(std::iter::once(Polygon::new(
                band_polygon(xs.clone(), &col(|b| b.p25), &col(|b| b.p75)),
                OI_BLUE.mix(0.35).filled(),
            )))
            .map_err(rc::err)?;
        chart
            .draw_series(LineSeries::new(
                xs.zip(col(|b| b.p50)),
                OI_BLUE.stroke_width(3),
            ))
            .map_err(rc::err)?;
        items.push(("Simulated median".to_string(), Mark::Line(OI_BLUE, 3)));
        items.push((
            "Simulated 50% band (P25–P75)".to_string(),
            Mark::Band(OI_BLUE, 0.35),
        ));
        items.push((
            "Simulated 90% band (P5–P95)".to_string(),
            Mark::Band(OI_SKY, 0.3),
        ));
    }
    let exact = |o: &&ObservedPoint| o.bound == Bound::Exact;
    let fitted: Vec<&ObservedPoint> = c
        .observed
        .iter()
        .filter(|o| o.fitted)
        .filter(exact)
        .collect();
    let held: Vec<&ObservedPoint> = c
        .observed
        .iter()
        .filter(|o| !o.fitted)
        .filter(exact)
        .collect();
    if !fitted.is_empty() {
        chart
            .draw_series(
                fitted
                    .iter()
                    .map(|o| Circle::new((end_of(o.day), o.people), 5, OI_VERMILLION.filled())),
            )
            .map_err(rc::err)?;
        items.push((
            "Observed (public record)".to_string(),
            Mark::Dot(OI_VERMILLION, true),
        ));
    }
    if !held.is_empty() {
        chart
            .draw_series(
                held.iter().map(|o| {
                    Circle::new((end_of(o.day), o.people), 5, OI_VERMILLION.stroke_width(2))
                }),
            )
            .map_err(rc::err)?;
        items.push((
            "Observed, not used for fitting".to_string(),
            Mark::Dot(OI_VERMILLION, false),
        ));
    }
    // A bound is a ring with an arrow pointing the way the true value lies: "more than 11,000"
    // is at least 11,000, not 11,000.
    for (lower, label) in [
        (true, "Observed lower bound (\u{2265})"),
        (false, "Observed upper bound (\u{2264})"),
    ] {
        let want = if lower { Bound::Lower } else { Bound::Upper };
        let points: Vec<&ObservedPoint> = c.observed.iter().filter(|o| o.bound == want).collect();
        for o in &points {
            let at = chart.backend_coord(&(end_of(o.day), o.people));
            rc::draw_bound_marker(&root, at, OI_VERMILLION, lower, 14)?;
        }
        if !points.is_empty() {
            items.push((label.to_string(), Mark::Bound(OI_VERMILLION, lower)));
        }
    }
    if let Some((day, label)) = c.marker {
        let x = end_of(day);
        vline(
            &mut chart,
            x,
            ymax,
            ymax * 0.97,
            GREY,
            label,
            x < max_day * 0.7,
        )?;
        items.push((label.to_string(), Mark::Dashed(GREY)));
    }
    rc::draw_legend(&legend, &items)?;
    root.present().map_err(rc::err)?;
    Ok(())
}

/// Draw the chart to `png` and `svg` (the run charts' size, 1200 × 700 pixels), each rendered in
/// memory and written atomically (the PNG first), like the run charts.
pub fn write_observed_chart(png: &Path, svg: &Path, c: &ObservedChart) -> Result<(), OutputError> {
    rc::ensure_font();
    let size = (rc::WIDTH, rc::HEIGHT);
    let bytes = rc::png_in_memory(size, png, |root| draw(root, c).map_err(draw_err))?;
    atomic_write(png, &bytes)?;
    let text = rc::svg_in_memory(size, |root| draw(root, c).map_err(draw_err))?;
    atomic_write(svg, text.as_bytes())?;
    Ok(())
}

/// Draw the chart as SVG text, as [`write_observed_chart`] writes it (for the report).
pub fn observed_chart_svg(c: &ObservedChart) -> Result<String, OutputError> {
    rc::ensure_font();
    rc::svg_in_memory((rc::WIDTH, rc::HEIGHT), |root| {
        draw(root, c).map_err(draw_err)
    })
}

/// The fit table a run with `--observed` writes into `--out`.
pub const FIT_CSV: &str = "observed-fit.csv";
/// The fit chart a run with `--observed` writes into `--out`, as PNG.
pub const CHART_PNG: &str = "observed-chart.png";
/// The fit chart as SVG.
pub const CHART_SVG: &str = "observed-chart.svg";
/// The fit chart's title.
pub const FIT_TITLE: &str = "Simulated vs observed: people processed, cumulative";

/// Daily bands of cumulative people processed (series `processed`) for the chart, through day
/// `through` at least: after every replication has ended their last day is carried forward,
/// as the fit table carries it (the line had stopped short of observations made after the last
/// replication ended).
pub fn processed_bands(daily: &DailyBands, through: usize) -> Vec<BandPoint> {
    let Some(s) = daily.series_index("processed") else {
        return Vec::new();
    };
    if daily.days == 0 {
        return Vec::new();
    }
    (0..daily.days.max(through + 1))
        .map(|d| {
            let b = daily.get(d.min(daily.days - 1), s);
            BandPoint {
                day: d,
                p5: b.p5,
                p25: b.p25,
                p50: b.p50,
                p75: b.p75,
                p95: b.p95,
            }
        })
        .collect()
}

/// The observed totals (scope "all") as chart points.
pub fn observed_points(fit: &Fit) -> Vec<ObservedPoint> {
    fit.rows
        .iter()
        .filter(|r| r.obs.scope == Scope::All)
        .map(|r| ObservedPoint {
            day: r.obs.day,
            people: r.obs.people,
            fitted: true,
            bound: r.obs.bound,
        })
        .collect()
}

/// The parts of a run's fit chart: the bands, the observed points and the subtitle (what was
/// run: scenario, `replications`, start date, observed dates).
pub fn fit_chart_parts(
    name: &str,
    overrides: &[String],
    start_date: NaiveDate,
    replications: usize,
    daily: &DailyBands,
    fit: &Fit,
) -> (Vec<BandPoint>, Vec<ObservedPoint>, String) {
    let points = observed_points(fit);
    let last_observed = fit.rows.iter().map(|r| r.obs.day).max().unwrap_or(0);
    let bands = processed_bands(daily, last_observed);
    let n = replications;
    // The chart shows the counts of all ports; one port's counts are in the fit table only.
    let one_port = fit.rows.len() - points.len();
    let rest = format!(
        " · {} replication{} · start {} · {} observed date{}{}",
        n,
        if n == 1 { "" } else { "s" },
        start_date.format("%Y-%m-%d"),
        points.len(),
        if points.len() == 1 { "" } else { "s" },
        match one_port {
            0 => String::new(),
            k => format!(
                " (and {k} count{} of one port, in the fit table only)",
                if k == 1 { "" } else { "s" }
            ),
        }
    );
    let subtitle = rc::subtitle_with_set(name, overrides, &rest);
    (bands, points, subtitle)
}

/// A run's fit chart ([`fit_chart_parts`]), written as `observed-chart.png` and `.svg` into
/// `dir`, or, with no `dir`, returned as SVG text (nothing written).
pub fn fit_chart(
    dir: Option<&Path>,
    name: &str,
    overrides: &[String],
    start_date: NaiveDate,
    replications: usize,
    daily: &DailyBands,
    fit: &Fit,
) -> Result<Option<String>, OutputError> {
    let (bands, observed, subtitle) =
        fit_chart_parts(name, overrides, start_date, replications, daily, fit);
    let chart = ObservedChart {
        title: FIT_TITLE,
        subtitle: &subtitle,
        start_date,
        bands: &bands,
        observed: &observed,
        marker: None,
    };
    match dir {
        Some(dir) => {
            write_observed_chart(&dir.join(CHART_PNG), &dir.join(CHART_SVG), &chart)?;
            Ok(None)
        }
        None => observed_chart_svg(&chart).map(Some),
    }
}
