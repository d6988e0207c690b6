//! Charts of experiments (sweeps and sensitivity), each written as PNG and SVG with plotters and
//! the bundled DejaVu Sans font (registered from `assets/`, never a system font):
//! - `line_chart`: one swept factor on x, one line per series (e.g. P50 and P90 clearance);
//! - `heatmap`: two swept factors, cells coloured and labelled by a value (e.g. P90 clearance),
//!   with a colour bar;
//! - `tornado`: one-at-a-time sensitivity, bars from the baseline to the low and high settings,
//!   each end with a whisker for its 95% interval when the caller has one.
//!
//! The line chart and the heatmap share the run charts' frame (title, grey subtitle, legend
//! column), size, grid and Okabe–Ito palette (`output::charts`), so that a sweep looks like a run.

use super::charts::{
    self as rc, Mark, AXIS_SIZE, GREY, OI_BLACK, OI_BLUE, OI_GREEN, OI_ORANGE, OI_PURPLE, OI_SKY,
    OI_VERMILLION, OI_YELLOW_DARK, SERIES_DASHES, TEXT_SIZE,
};
use super::{atomic_write, wrap_words, OutputError};
use plotters::coord::ranged1d::{IntoSegmentedCoord, SegmentValue};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::error::Error;
use std::path::{Path, PathBuf};

type Res = Result<(), Box<dyn Error>>;

const FONT_BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
const FONT: &str = rc::FONT;
/// Size of the line chart and the heatmap: that of the run charts.
const SIZE: (u32, u32) = (rc::WIDTH, rc::HEIGHT);
/// Colours of the line chart's series, in order: mean, P50, P90 as in the run charts (P50
/// orange, P90 vermillion), then the rest of the palette.
const SERIES_COLORS: [RGBColor; 8] = [
    OI_BLUE,
    OI_ORANGE,
    OI_VERMILLION,
    OI_GREEN,
    OI_PURPLE,
    OI_SKY,
    OI_YELLOW_DARK,
    OI_BLACK,
];

/// Register the bundled font (once; later calls do nothing).
pub fn ensure_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES);
    });
}

/// `base.png` and `base.svg`.
fn paths(base: &Path) -> (PathBuf, PathBuf) {
    (base.with_extension("png"), base.with_extension("svg"))
}

/// Draw with `f` into a PNG and with `g` into an SVG at `base` (extension replaced), each
/// rendered in memory and written atomically (the PNG first), like the run charts; returns both
/// paths.
fn both(
    base: &Path,
    size: (u32, u32),
    f: impl Fn(DrawingArea<BitMapBackend, Shift>) -> Res,
    g: impl Fn(DrawingArea<SVGBackend, Shift>) -> Res,
) -> Result<Vec<PathBuf>, OutputError> {
    ensure_font();
    let (png, svg) = paths(base);
    // A drawing error (plotters', or the frame's) is kept as the message of a chart error that
    // names the chart.
    let drawn = |r: Res| {
        r.map_err(|e| OutputError::Chart {
            chart: base.display().to_string(),
            message: e.to_string(),
        })
    };
    let bytes = rc::png_in_memory(size, &png, |a| drawn(f(a)))?;
    atomic_write(&png, &bytes)?;
    let text = rc::svg_in_memory(size, |a| drawn(g(a)))?;
    atomic_write(&svg, text.as_bytes())?;
    Ok(vec![png, svg])
}

/// Last index of a segmented axis with `n` segments (plotters' integer ranges include their end).
fn last(n: u32) -> u32 {
    n.saturating_sub(1).max(1)
}

fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    // A margin of 8% of the range (at least 1% of the largest magnitude; 0.5 when all are 0),
    // not below 0 for positive values (durations of a few hours stay on a positive axis).
    let mut pad = ((hi - lo) * 0.08).max(hi.abs().max(lo.abs()) * 0.01);
    if pad == 0.0 {
        pad = 0.5;
    }
    let low = if lo > 0.0 {
        (lo - pad).max(0.0)
    } else {
        lo - pad
    };
    (low, hi + pad)
}

/// Data of a line chart: x values and named y series of the same length.
#[derive(Debug, Clone, Default)]
pub struct LineData {
    /// The chart's title.
    pub title: String,
    /// Grey line under the title: what was run (scenario, replications).
    pub subtitle: String,
    /// The x axis's label, with its unit where it has one.
    pub x_label: String,
    /// The y axis's label, with its unit (such as "P50 clearance \[days\]").
    pub y_label: String,
    /// The x value of each point, in the unit `x_label` names (a factor's values; a duration
    /// factor in days); 0, 1, 2, … when `x_names` labels the points.
    pub xs: Vec<f64>,
    /// Tick labels for the x values when they are not numbers (then xs are 0, 1, 2, …).
    pub x_names: Option<Vec<String>>,
    /// The lines: a legend name and one y value per x (same length as `xs`; a value that is not
    /// finite is not drawn), in the unit `y_label` names (clearance \[days\] in `clearance
    /// sweep`).
    pub series: Vec<(String, Vec<f64>)>,
    /// Per series and point, whether the value is only a lower bound (it counts replications
    /// stopped at the horizon): drawn as an open marker. Empty: none is.
    pub lower_bounds: Vec<Vec<bool>>,
    /// Per series and point, an interval drawn as a whisker in the series' colour (the 95% CI
    /// of the mean clearance in `clearance sweep`): (low, high) in the unit of `y_label`, high
    /// infinite for a one-sided interval (at least low: the whisker runs from low to the point,
    /// with a cap at low only). `None`, a missing series or an empty list: no whisker.
    pub intervals: Vec<Vec<Option<(f64, f64)>>>,
    /// Legend entry of each series' whiskers, drawn with them; `None`: no entry.
    pub interval_labels: Vec<Option<String>>,
    /// Per point, whether no run cleared there (every replication stopped at the horizon): its
    /// figures are the horizon, not results. No line reaches such a point, no series' marker is
    /// drawn at it, only an arrow up from the horizon. Empty: none is.
    pub no_run_cleared: Vec<bool>,
    /// The horizon \[unit of `y_label`\] of the points where no run cleared, drawn as a dashed
    /// line labelled "horizon: no run cleared" when they share one.
    pub horizon: Option<f64>,
    /// What a point without a value means, for its legend entry ("–: no run reached t90 (90%
    /// processed) by the horizon") and, when no point has one, the note drawn in place of the
    /// axes. Empty: "no value".
    pub missing: String,
}

/// `v` in the order `order` gives (a list of another length, such as an empty one, as it is).
fn permute<T: Clone>(v: &[T], order: &[usize]) -> Vec<T> {
    if v.len() != order.len() {
        return v.to_vec();
    }
    order.iter().map(|&i| v[i].clone()).collect()
}

impl LineData {
    /// The points in the order of x on a numeric axis, the order a line joins them in: values
    /// given as 200, 50, 100, 30 had been joined in that order, a zig-zag across the axis that
    /// read as a response the data do not have. Named values (categories) keep their order.
    pub fn sorted_by_x(&self) -> LineData {
        if self.x_names.is_some() {
            return self.clone();
        }
        let mut order: Vec<usize> = (0..self.xs.len()).collect();
        order.sort_by(|&a, &b| self.xs[a].total_cmp(&self.xs[b]));
        LineData {
            xs: permute(&self.xs, &order),
            series: self
                .series
                .iter()
                .map(|(n, v)| (n.clone(), permute(v, &order)))
                .collect(),
            lower_bounds: self
                .lower_bounds
                .iter()
                .map(|v| permute(v, &order))
                .collect(),
            intervals: self.intervals.iter().map(|v| permute(v, &order)).collect(),
            no_run_cleared: permute(&self.no_run_cleared, &order),
            ..self.clone()
        }
    }

    /// Whether no run cleared at point `k` (see `no_run_cleared`).
    fn none_cleared(&self, k: usize) -> bool {
        self.no_run_cleared.get(k) == Some(&true)
    }

    /// Whether point `k` has no value in any series (and is not a point where no run cleared).
    fn missing_at(&self, k: usize) -> bool {
        !self.none_cleared(k)
            && !self.series.is_empty()
            && self
                .series
                .iter()
                .all(|(_, v)| !v.get(k).is_some_and(|y| y.is_finite()))
    }

    /// What a point without a value means, in words.
    fn missing_words(&self) -> &str {
        if self.missing.is_empty() {
            "no value"
        } else {
            &self.missing
        }
    }
}

/// The runs of consecutive points `0..n` that a line joins: a point that `drawn` refuses (no
/// value, or no run cleared there) breaks the line, which had bridged it with a straight
/// segment, as if the value between had been interpolated.
fn segments(n: usize, drawn: impl Fn(usize) -> bool) -> Vec<Vec<usize>> {
    let mut runs = vec![Vec::new()];
    for k in 0..n {
        if drawn(k) {
            runs.last_mut().expect("a run").push(k);
        } else if !runs.last().expect("a run").is_empty() {
            runs.push(Vec::new());
        }
    }
    runs.retain(|r| !r.is_empty());
    runs
}

/// The lines of category tick labels under an axis: each label as one or more lines, and its
/// row (0, or 1 when staggered below its neighbours). Labels wider than `spacing` \[px\] (the
/// distance between ticks, as `width` measures text) had run into one unreadable string
/// ("06:00–22:0007:00–21:00…"): they are wrapped at "–", ", " or a space, then staggered over
/// two rows (each then has twice the room), and as a last resort cut with "…".
fn tick_layout(
    names: &[String],
    spacing: f64,
    width: impl Fn(&str) -> f64,
) -> Vec<(Vec<String>, usize)> {
    const GAP: f64 = 10.0;
    let fits = |t: &str, room: f64| width(t) + GAP <= room;
    // Pieces that end after a break ("06:00–", "22:00").
    let pieces = |s: &str| -> Vec<String> {
        let mut v = vec![String::new()];
        for c in s.chars() {
            v.last_mut().expect("a piece").push(c);
            if matches!(c, '–' | ',' | ' ') {
                v.push(String::new());
            }
        }
        v.retain(|p| !p.is_empty());
        v
    };
    // Greedy wrap into lines that each fit `room`; `None` when a piece alone does not, or
    // when it takes more than three lines.
    let wrap = |s: &str, room: f64| -> Option<Vec<String>> {
        let mut lines: Vec<String> = Vec::new();
        let mut cur = String::new();
        for p in pieces(s) {
            let joined = format!("{cur}{p}");
            if cur.is_empty() || fits(joined.trim_end(), room) {
                cur = joined;
            } else {
                lines.push(cur.trim_end().to_string());
                cur = p;
            }
        }
        lines.push(cur.trim_end().to_string());
        (lines.iter().all(|l| fits(l, room)) && lines.len() <= 3).then_some(lines)
    };
    if names.iter().all(|n| fits(n, spacing)) {
        return names.iter().map(|n| (vec![n.clone()], 0)).collect();
    }
    let wrapped: Option<Vec<Vec<String>>> = names.iter().map(|n| wrap(n, spacing)).collect();
    if let Some(w) = wrapped {
        return w.into_iter().map(|l| (l, 0)).collect();
    }
    // Staggered: neighbours on two rows, each label with twice the room.
    let room = 2.0 * spacing;
    let first_rows =
        |lines: &[Vec<String>]| lines.iter().step_by(2).map(|l| l.len()).max().unwrap_or(1);
    let staggered: Option<Vec<Vec<String>>> = names
        .iter()
        .map(|n| {
            if fits(n, room) {
                Some(vec![n.clone()])
            } else {
                wrap(n, room)
            }
        })
        .collect();
    let lines = staggered.unwrap_or_else(|| {
        names
            .iter()
            .map(|n| {
                let mut cut: String = n.clone();
                while !cut.is_empty() && !fits(&format!("{cut}…"), room) {
                    cut.pop();
                }
                vec![if cut.len() == n.len() {
                    cut
                } else {
                    format!("{}…", cut.trim_end())
                }]
            })
            .collect()
    });
    let below = first_rows(&lines);
    lines
        .into_iter()
        .enumerate()
        .map(|(k, l)| (l, if k % 2 == 1 { below } else { 0 }))
        .collect()
}

/// Height of a line of tick labels \[px\].
const TICK_LINE: i32 = 22;

/// Lines of tick labels below the first that a layout needs (rows and wrapped lines).
fn extra_tick_lines(layout: &[(Vec<String>, usize)]) -> i32 {
    layout
        .iter()
        .map(|(l, row)| (l.len() + row) as i32)
        .max()
        .unwrap_or(1)
        - 1
}

/// Draw category tick labels laid out by [`tick_layout`], each centred at pixel column `x`
/// of `at` (with its pixel row of the axis), a tick mark above it.
fn draw_ticks<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &[(Vec<String>, usize)],
    at: impl Fn(usize) -> (i32, i32),
) -> Res
where
    DB::ErrorType: 'static,
{
    let style = TextStyle::from((FONT, TEXT_SIZE).into_font())
        .color(&OI_BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for (k, (lines, row)) in layout.iter().enumerate() {
        let (px, py) = at(k);
        let drop = TICK_LINE * *row as i32;
        root.draw(&PathElement::new(
            vec![(px, py), (px, py + 5 + drop)],
            OI_BLACK.stroke_width(1),
        ))?;
        for (j, l) in lines.iter().enumerate() {
            root.draw(&Text::new(
                l.clone(),
                (px, py + 9 + drop + TICK_LINE * j as i32),
                style.clone(),
            ))?;
        }
    }
    Ok(())
}

/// A text's width as drawn at `TEXT_SIZE` \[px\] (about 10 pixels a character should the font
/// fail).
fn text_width<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &str) -> f64 {
    let style = TextStyle::from((FONT, TEXT_SIZE).into_font());
    area.estimate_text_size(t, &style)
        .map_or(t.chars().count() as f64 * 10.0, |(w, _)| f64::from(w))
}

/// Decimals that show `v`'s first significant digit (at least `d`): a half-width of 0.012 days
/// is "0.01", not "0.0".
fn significant_decimals(v: f64, d: usize) -> usize {
    if !(v.is_finite() && v > 0.0) || v >= 1.0 {
        return d;
    }
    d.max((-v.log10()).ceil().clamp(0.0, 6.0) as usize)
}

/// Axis label of a number, with as many decimals as ticks `step` apart need.
fn tick_label(v: f64, step: f64) -> String {
    let d = if step >= 1.0 || step <= 0.0 {
        0
    } else {
        (-step.log10()).ceil().clamp(0.0, 6.0) as usize
    };
    if d == 0 && v.abs() >= 1000.0 {
        crate::format::fmt_int(v)
    } else {
        format!("{v:.d$}")
    }
}

/// A "nice" tick step (1, 2 or 5 × 10^k) for about `n` ticks over `span`.
fn nice_step(span: f64, n: f64) -> f64 {
    if !(span.is_finite() && span > 0.0) {
        return 1.0;
    }
    let raw = span / n;
    let p = 10f64.powf(raw.log10().floor());
    let m = raw / p;
    p * if m < 1.5 {
        1.0
    } else if m < 3.5 {
        2.0
    } else if m < 7.5 {
        5.0
    } else {
        10.0
    }
}

fn draw_lines<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, d: &LineData) -> Res
where
    DB::ErrorType: 'static,
{
    let d = &d.sorted_by_x();
    let (plot, legend) = rc::frame(&root, &d.title, &d.subtitle)?;
    let n = d.xs.len();
    // Without a value anywhere, no axes (an empty plot from 0 to 1 had looked like a failure,
    // or like a value of 0) but a note saying so, as the run's clearance chart does.
    if !d.series.iter().flat_map(|(_, v)| v).any(|y| y.is_finite()) {
        plot.draw(&Text::new(
            if n == 1 {
                "No value at the sweep's one point".to_string()
            } else {
                format!("No value at any of the {n} points")
            },
            (40, 60),
            (FONT, 26).into_font().color(&OI_BLACK),
        ))?;
        let words = d.missing_words();
        let mut first = words.chars();
        let text = match first.next() {
            Some(c) => format!("{}{}: nothing to draw.", c.to_uppercase(), first.as_str()),
            None => String::new(),
        };
        for (k, line) in wrap_words(&text, 70).into_iter().enumerate() {
            plot.draw(&Text::new(
                line,
                (40, 112 + 28 * k as i32),
                (FONT, TEXT_SIZE).into_font().color(&OI_BLACK),
            ))?;
        }
        root.present()?;
        return Ok(());
    }
    // Named values (a categorical factor: "fifo", "appointment") are categories, not numbers:
    // each has its own place and labelled tick, half a place of room either side, and its
    // points are not joined by lines (which had read as a trend between the names, with
    // unlabelled ticks between them). The series sit side by side within a place.
    let categories = d.x_names.as_ref().map(|n| n.len());
    let (x0, x1) = match categories {
        Some(n) => (-0.5, n.max(1) as f64 - 0.5),
        None => bounds(d.xs.iter().copied()),
    };
    // The categories' tick labels, fitted to the room between ticks (the plot's width less
    // the margins and the y labels' area, over the places).
    let layout = d.x_names.as_ref().map(|names| {
        let room = f64::from(plot.dim_in_pixel().0.saturating_sub(2 * 12 + 90));
        tick_layout(names, room / names.len().max(1) as f64, |t| {
            text_width(&plot, t)
        })
    });
    let extra = layout.as_deref().map_or(0, extra_tick_lines);
    let ns = d.series.len();
    let x_of = |i: usize| -> Vec<f64> {
        let shift = match categories {
            Some(_) if ns > 1 => (i as f64 - (ns - 1) as f64 / 2.0) * (0.3 / ns as f64),
            _ => 0.0,
        };
        d.xs.iter().map(|x| x + shift).collect()
    };
    // The y range holds every point, every whisker's finite ends and the horizon.
    let ends = d
        .intervals
        .iter()
        .flatten()
        .flatten()
        .flat_map(|(lo, hi)| [*lo, *hi]);
    let (y0, y1) = bounds(
        d.series
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .chain(ends)
            .chain(d.horizon),
    );
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .x_label_area_size(56 + TICK_LINE * extra)
        .y_label_area_size(90)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    let xstep = nice_step(x1 - x0, 10.0);
    let fmt = move |v: &f64| tick_label(*v, xstep);
    let ystep = nice_step(y1 - y0, 8.0);
    let yfmt = move |v: &f64| tick_label(*v, ystep);
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(d.x_label.as_str())
        .y_desc(d.y_label.as_str())
        .x_label_formatter(&fmt)
        .y_label_formatter(&yfmt)
        .y_labels(8)
        .axis_desc_style((FONT, AXIS_SIZE))
        .label_style((FONT, TEXT_SIZE))
        .bold_line_style(OI_BLACK.mix(0.12))
        .light_line_style(TRANSPARENT);
    if categories.is_some() {
        // The categories' ticks are drawn below, one at each place.
        mesh.x_labels(0).disable_x_mesh();
    }
    mesh.draw()?;
    if let Some(layout) = &layout {
        draw_ticks(&root, layout, |k| chart.backend_coord(&(k as f64, y0)))?;
    }
    // The horizon where no run cleared: a dashed grey line, labelled at its left end.
    let none_anywhere = (0..n).any(|k| d.none_cleared(k));
    if let (Some(h), true) = (d.horizon, none_anywhere) {
        rc::draw_line(&mut chart, [(x0, h), (x1, h)], GREY, 2, rc::DASHED)?;
        // Under the line, clear of the arrows that rise from it.
        let (px, py) = chart.backend_coord(&(x0, h));
        root.draw(&Text::new(
            "horizon: no run cleared",
            (px + 8, py + 8),
            TextStyle::from((FONT, TEXT_SIZE).into_font())
                .color(&GREY)
                .pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
    }
    let mut items = Vec::new();
    let mut all_whiskers = Vec::new();
    for (i, (name, ys)) in d.series.iter().enumerate() {
        let color = SERIES_COLORS[i % SERIES_COLORS.len()];
        // Each series its own dash pattern as well as colour (P50 orange and P90 vermilion are
        // near in grey): solid, long dashes, dots, …
        let pattern = SERIES_DASHES[i % SERIES_DASHES.len()];
        // The finite points where some run cleared, each with whether it is only a lower bound.
        let bound = |k: usize| d.lower_bounds.get(i).and_then(|b| b.get(k)) == Some(&true);
        let drawn = |k: usize| ys.get(k).is_some_and(|y| y.is_finite()) && !d.none_cleared(k);
        let xs = x_of(i);
        let marks: Vec<((f64, f64), bool)> = (0..n)
            .filter(|&k| drawn(k))
            .map(|k| ((xs[k], ys[k]), bound(k)))
            .collect();
        if categories.is_none() {
            // Broken where a point has no value or no run cleared.
            for run in segments(n, drawn) {
                if run.len() > 1 {
                    rc::draw_line(
                        &mut chart,
                        run.iter().map(|&k| (xs[k], ys[k])),
                        color,
                        3,
                        pattern,
                    )?;
                }
            }
        }
        // Whiskers, drawn over every series' line and markers (a later series' markers had
        // hidden them where the lines meet): a line from low to high (or to the point, when the
        // interval is one-sided) and a cap at each finite end. None where no run cleared.
        let whiskers: Vec<(f64, f64, f64, f64)> = d
            .intervals
            .get(i)
            .into_iter()
            .flatten()
            .zip(xs.iter().zip(ys))
            .enumerate()
            .filter(|(k, _)| !d.none_cleared(*k))
            .filter_map(|(_, (iv, (x, y)))| iv.map(|(lo, hi)| (*x, *y, lo, hi)))
            .filter(|(x, _, lo, _)| x.is_finite() && lo.is_finite())
            .collect();
        for (p, lower) in marks {
            if lower {
                // Open: the value is at least this.
                chart.draw_series(std::iter::once(Circle::new(p, 6, WHITE.filled())))?;
                chart.draw_series(std::iter::once(Circle::new(p, 6, color.stroke_width(2))))?;
            } else {
                chart.draw_series(std::iter::once(Circle::new(p, 5, color.filled())))?;
            }
        }
        items.push((
            name.clone(),
            if categories.is_some() {
                Mark::Dot(color, true)
            } else {
                Mark::Styled(color, 3, pattern)
            },
        ));
        if let Some(Some(label)) = d.interval_labels.get(i) {
            if !whiskers.is_empty() {
                items.push((label.clone(), Mark::Whisker(color)));
            }
        }
        all_whiskers.extend(whiskers.into_iter().map(|w| (w, color)));
    }
    for ((x, y, lo, hi), color) in all_whiskers {
        let top = if hi.is_finite() { hi } else { y.max(lo) };
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x, lo), (x, top)],
            color.stroke_width(2),
        )))?;
        let cap = |v: f64| {
            EmptyElement::at((x, v))
                + PathElement::new(vec![(-8, 0), (8, 0)], color.stroke_width(2))
        };
        chart.draw_series(std::iter::once(cap(lo)))?;
        if hi.is_finite() {
            chart.draw_series(std::iter::once(cap(hi)))?;
        }
    }
    // Where no run cleared: one arrow up from the horizon (every series' figure is the horizon
    // there), in black.
    for k in (0..n).filter(|&k| d.none_cleared(k)) {
        let y = d.horizon.or_else(|| {
            d.series
                .iter()
                .filter_map(|(_, v)| v.get(k).copied())
                .find(|y| y.is_finite())
        });
        if let Some(y) = y {
            let (px, py) = chart.backend_coord(&(d.xs[k], y));
            rc::draw_bound_marker(&root, (px, py), OI_BLACK, true, 12)?;
        }
    }
    // A point without a value: a "–" at its tick, explained in the legend.
    let missing: Vec<usize> = (0..n).filter(|&k| d.missing_at(k)).collect();
    for &k in &missing {
        let (px, py) = chart.backend_coord(&(d.xs[k], y0));
        root.draw(&Text::new(
            "–",
            (px, py - 6),
            TextStyle::from((FONT, AXIS_SIZE).into_font())
                .color(&OI_BLACK)
                .pos(Pos::new(HPos::Center, VPos::Bottom)),
        ))?;
    }
    if d.lower_bounds
        .iter()
        .any(|b| b.iter().enumerate().any(|(k, b)| *b && !d.none_cleared(k)))
    {
        items.push(("≥: some runs not cleared".into(), Mark::Dot(GREY, false)));
    }
    if none_anywhere {
        let k = (0..n).filter(|&k| d.none_cleared(k)).count();
        items.push((
            format!("no run cleared (all runs at the horizon) at {k} of {n} points"),
            Mark::Bound(OI_BLACK, true),
        ));
    }
    if !missing.is_empty() {
        items.push((
            format!(
                "–: {} at {} of {n} points",
                d.missing_words(),
                missing.len()
            ),
            Mark::Note,
        ));
    }
    rc::draw_legend(&legend, &items)?;
    root.present()?;
    Ok(())
}

/// Line chart at `base` (.png and .svg).
pub fn line_chart(base: &Path, d: &LineData) -> Result<Vec<PathBuf>, OutputError> {
    both(base, SIZE, |a| draw_lines(a, d), |a| draw_lines(a, d))
}

/// Data of a heatmap: `z[row][col]`, rows along y, columns along x.
#[derive(Debug, Clone, Default)]
pub struct HeatData {
    /// The chart's title.
    pub title: String,
    /// Grey line under the title: what was run (scenario, replications).
    pub subtitle: String,
    /// The x axis's label: the factor of the columns.
    pub x_label: String,
    /// The y axis's label: the factor of the rows.
    pub y_label: String,
    /// What the cells show, with units, over the colour bar: "P90 clearance \[days\]".
    pub z_label: String,
    /// Unit of the values for the note on the colour scale: "days".
    pub z_unit: String,
    /// Sampling uncertainty of a cell's value (a typical 95% CI half-width), when known: the
    /// colour scale spans at least four times it (see `heat_scale`).
    pub noise: Option<f64>,
    /// What `noise` is the half-width of, for the note under the colour scale, as plain words
    /// ("the 95% CI of the mean clearance; that of a P90 is wider" where the cells are P90s),
    /// or, without `noise`, why there is none (empty: nothing said).
    pub noise_of: String,
    /// The name of each column's value, as written (one per column of `z`).
    pub x_names: Vec<String>,
    /// The name of each row's value, as written (one per row of `z`).
    pub y_names: Vec<String>,
    /// The cells' values, in the unit `z_unit` names, `z[row][col]`; NaN for a cell without a
    /// value.
    pub z: Vec<Vec<f64>>,
    /// Like `z`, whether a cell's value is only a lower bound (replications stopped at the
    /// horizon): its text reads "≥". Empty: none is.
    pub lower_bounds: Vec<Vec<bool>>,
    /// What a cell without a value ("–", plain grey) means, for its legend entry under the
    /// colour bar ("no run reached t90 (90% processed) by the horizon"). Empty: "no value".
    pub missing: String,
}

/// Viridis at nine evenly spaced stops (dark purple to yellow): sequential, colour-blind safe,
/// and even in lightness, so that it also reads in grey.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (72, 40, 120),
    (62, 74, 137),
    (49, 104, 142),
    (38, 130, 142),
    (31, 158, 137),
    (53, 183, 121),
    (109, 205, 89),
    (253, 231, 37),
];

/// Colour of a cell at `t` in [0, 1] of the scale: viridis reversed, light yellow for the low
/// values (the early clearances) to dark purple for the high ones. Not finite: light grey.
fn heat_color(t: f64) -> RGBColor {
    if !t.is_finite() {
        return RGBColor(220, 220, 220);
    }
    let u = (1.0 - t.clamp(0.0, 1.0)) * (VIRIDIS.len() - 1) as f64;
    let i = (u.floor() as usize).min(VIRIDIS.len() - 2);
    let f = u - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Black or white, whichever contrasts more with `c` (WCAG relative luminance).
fn text_color(c: RGBColor) -> RGBColor {
    let lin = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2);
    // Contrast with black (l + 0.05) / 0.05 against with white 1.05 / (l + 0.05).
    if l > 0.179 {
        OI_BLACK
    } else {
        WHITE
    }
}

/// The colour scale of a heatmap: the range of the values, widened when it is narrow.
#[derive(Debug, Clone, Copy, PartialEq)]
struct HeatScale {
    lo: f64,
    hi: f64,
    /// The spread of the data [lo, hi] when the scale was widened beyond it.
    widened_from: Option<(f64, f64)>,
}

/// Fill of a heatmap cell whose value is only a lower bound (censored), under its grey hatch:
/// off the colour scale, and apart from the plain light grey of a cell without a value.
const CENSORED_FILL: RGBColor = RGBColor(236, 236, 236);
/// The hatch of a censored cell.
const CENSORED_HATCH: RGBColor = RGBColor(160, 160, 160);

/// Grey diagonals over the pixel box `(x0, y0)`–`(x1, y1)` (y downwards), rising at 45°, as
/// the bottleneck strip hatches a closed week: a censored heatmap cell and its legend swatch.
fn hatch_box<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x0, y0): (i32, i32),
    (x1, y1): (i32, i32),
) -> Res
where
    DB::ErrorType: 'static,
{
    let h = f64::from((y1 - y0).max(1));
    let px = |(u, v): (f64, f64)| (u.round() as i32, y1 - (v * h).round() as i32);
    for (a, b) in rc::hatch(f64::from(x0), f64::from(x1), h, rc::HATCH_PX) {
        area.draw(&PathElement::new(
            vec![px(a), px(b)],
            CENSORED_HATCH.stroke_width(1),
        ))?;
    }
    Ok(())
}

/// The colour scale of the values `z`. Stretched over the data alone, the palette makes any
/// spread look large: two cells 0.1 day apart would be its two ends. So the scale spans at least
/// 5% of the mean value and four times the cells' sampling uncertainty `noise` (a difference as
/// large as one 95% confidence interval then covers at most half the palette); a narrower range
/// is widened about its middle (kept at or above 0 for values that are) and the chart says so.
fn heat_scale(z: &[Vec<f64>], noise: Option<f64>) -> HeatScale {
    let v: Vec<f64> = z
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if v.is_empty() {
        return HeatScale {
            lo: 0.0,
            hi: 1.0,
            widened_from: None,
        };
    }
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    let min_span = (0.05 * mean.abs())
        .max(4.0 * noise.filter(|n| n.is_finite()).unwrap_or(0.0))
        .max(1e-9);
    if hi - lo >= min_span {
        return HeatScale {
            lo,
            hi,
            widened_from: None,
        };
    }
    let mid = (lo + hi) / 2.0;
    let (mut a, mut b) = (mid - min_span / 2.0, mid + min_span / 2.0);
    if lo >= 0.0 && a < 0.0 {
        b -= a;
        a = 0.0;
    }
    HeatScale {
        lo: a,
        hi: b,
        widened_from: Some((lo, hi)),
    }
}

/// Format a value of the colour scale with `d` decimals.
fn fmt_z(v: f64, d: usize) -> String {
    format!("{v:.d$}")
}

/// How far apart the cells of a widened colour scale lie, `v` \[z units\] at `d` decimals.
enum Spread {
    /// Not at all: every cell the same.
    Equal,
    /// Less than the last decimal shown ("less than 0.1"), which the value would round to 0.
    Below(String),
    /// By this much.
    By(String),
}

fn spread_of(v: f64, d: usize) -> Spread {
    let s = fmt_z(v, d);
    if v <= 0.0 {
        Spread::Equal
    } else if s.parse::<f64>() == Ok(0.0) {
        Spread::Below(fmt_z(10f64.powi(-(d as i32)), d))
    } else {
        Spread::By(s)
    }
}

/// The colour bar in the legend column: the label, the gradient with ticks and values, the data
/// range bracketed beside it, and under it the note on a widened scale; when some cells are
/// censored (`censored`), the hatched swatch that marks them and what it means. Without a cell
/// on the scale (`scaled` false: every one censored) there is no colour bar, only that note.
fn draw_color_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    d: &HeatData,
    sc: &HeatScale,
    censored: bool,
    scaled: bool,
) -> Res
where
    DB::ErrorType: 'static,
{
    let font = (FONT, TEXT_SIZE).into_font().color(&OI_BLACK);
    let (first, rest) = rc::wrap(&d.z_label, NOTE_CHARS);
    area.draw(&Text::new(first, (8, 24), font.clone()))?;
    if let Some(r) = rest {
        area.draw(&Text::new(r, (8, 46), font.clone()))?;
    }
    let (_, h) = area.dim_in_pixel();
    let missing = d.z.iter().flatten().any(|z| !z.is_finite());
    if !scaled {
        let mut y = 72;
        if censored {
            censored_note(area, y)?;
            y += CENSORED_NOTE_H;
        }
        if missing {
            missing_note(area, y, d)?;
        }
        return Ok(());
    }
    let step = nice_step(sc.hi - sc.lo, 6.0);
    let dec = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil().clamp(0.0, 6.0) as usize
    };
    // A widened scale: why, in notes under the bar, counted first so that the bar ends where
    // they leave room (a wrapped note had run off the chart's foot).
    // One paragraph wrapped to the legend column's width (its lines had been broken by hand
    // and at 28 characters, into short lines that left half the column empty).
    let mut lines = Vec::new();
    if let Some((a, b)) = sc.widened_from {
        let dec = dec.max(1);
        // A figure and its unit stay on one line.
        let unit = format!("{KEEP}{}", d.z_unit);
        // Each note a sentence of its own ("the range of the cells The cells differ by" had
        // run two together).
        let mut text = if censored {
            "Bracket: the coloured cells.".to_string()
        } else {
            "Bracket: the range of the cells.".to_string()
        };
        let who = if censored { "They" } else { "The cells" };
        text += &match spread_of(b - a, dec) {
            Spread::Equal => format!(" {who} are all equal:"),
            Spread::Below(x) => format!(" {who} differ by less than {x}{unit}:"),
            Spread::By(x) => format!(" {who} differ by {x}{unit} only:"),
        };
        text += " the scale is widened to at least ";
        // The interval is named as what it is of, which need not be what the cells show
        // (the sweep's cells are P90s, its interval that of the mean clearance).
        text += &match d.noise {
            Some(n) if n.is_finite() && n > 0.0 => {
                // With its first significant digit: 0.012 days had read "±0.0 days".
                let n = fmt_z(n, significant_decimals(n, dec));
                format!(
                    "5% of the mean or 4{KEEP}×{KEEP}±{n}{unit} (±{n}{unit}: {}).",
                    d.noise_of
                )
            }
            // Without an interval, why, when the caller says ("every point had runs stopped
            // by the horizon").
            _ if !d.noise_of.is_empty() => format!("5% of the mean ({}).", d.noise_of),
            _ => "5% of the mean.".into(),
        };
        lines = wrap_to_width(area, &text, note_width(area));
    }
    let (x0, x1) = (14, 44);
    // The censored and the empty cells' notes take room under the notes on the scale.
    let room =
        if censored { CENSORED_NOTE_H } else { 0 } + if missing { MISSING_NOTE_H } else { 0 };
    let notes = 16 + NOTE_LINE * lines.len() as i32 + 20;
    let (top, bot) = (72, (h as i32 - notes.max(150) - room).max(200));
    let y_of = |v: f64| {
        let t = ((v - sc.lo) / (sc.hi - sc.lo)).clamp(0.0, 1.0);
        bot - ((bot - top) as f64 * t).round() as i32
    };
    for y in top..bot {
        let t = (bot - y) as f64 / (bot - top) as f64;
        area.draw(&Rectangle::new(
            [(x0, y), (x1, y + 1)],
            heat_color(t).filled(),
        ))?;
    }
    area.draw(&Rectangle::new(
        [(x0, top), (x1, bot)],
        GREY.stroke_width(1),
    ))?;
    let label =
        TextStyle::from((FONT, TEXT_SIZE).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    let mut v = (sc.lo / step).ceil() * step;
    while v <= sc.hi + step * 1e-9 {
        let y = y_of(v);
        area.draw(&PathElement::new(
            vec![(x1, y), (x1 + 5, y)],
            OI_BLACK.stroke_width(1),
        ))?;
        area.draw(&Text::new(
            format!("{} {}", fmt_z(v, dec), d.z_unit),
            (x1 + 9, y),
            label.clone(),
        ))?;
        v += step;
    }
    // Where the cells lie on a widened scale: a bracket left of the bar.
    if let Some((a, b)) = sc.widened_from {
        let (ya, yb) = (y_of(b), y_of(a));
        area.draw(&PathElement::new(
            vec![(x0 - 3, ya), (x0 - 8, ya), (x0 - 8, yb), (x0 - 3, yb)],
            OI_BLACK.stroke_width(2),
        ))?;
    }
    let small = (FONT, TEXT_SIZE).into_font().color(&GREY);
    let mut y = bot + 16;
    for l in lines {
        area.draw(&Text::new(l, (8, y), small.clone()))?;
        y += NOTE_LINE;
    }
    if censored {
        censored_note(area, y + 6)?;
        y += CENSORED_NOTE_H;
    }
    if missing {
        missing_note(area, y + 6, d)?;
    }
    Ok(())
}

/// Height of the censored cells' legend entry \[px\].
const CENSORED_NOTE_H: i32 = 120;
/// Height of the empty cells' legend entry \[px\].
const MISSING_NOTE_H: i32 = 90;

/// The legend entry of the cells without a value from pixel row `y`: a plain grey swatch with
/// its "–", and what it means (they had had no entry).
fn missing_note<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, y: i32, d: &HeatData) -> Res
where
    DB::ErrorType: 'static,
{
    let (x0, x1) = (8, 42);
    area.draw(&Rectangle::new(
        [(x0, y), (x1, y + 16)],
        heat_color(f64::NAN).filled(),
    ))?;
    area.draw(&Rectangle::new(
        [(x0, y), (x1, y + 16)],
        GREY.stroke_width(1),
    ))?;
    let centre = TextStyle::from((FONT, TEXT_SIZE).into_font())
        .color(&OI_BLACK)
        .pos(Pos::new(HPos::Center, VPos::Center));
    area.draw(&Text::new("–", ((x0 + x1) / 2, y + 8), centre))?;
    let font = (FONT, TEXT_SIZE).into_font().color(&OI_BLACK);
    area.draw(&Text::new("–: no value", (x1 + 10, y), font))?;
    let small = (FONT, TEXT_SIZE).into_font().color(&GREY);
    let words = if d.missing.is_empty() {
        "no replication measured it"
    } else {
        &d.missing
    };
    for (k, l) in wrap_to_width(area, words, note_width(area))
        .into_iter()
        .enumerate()
    {
        area.draw(&Text::new(
            l,
            (x0, y + 26 + NOTE_LINE * k as i32),
            small.clone(),
        ))?;
    }
    Ok(())
}

/// Characters of the colour scale's label line (text of `TEXT_SIZE` across the legend column,
/// 300 pixels).
const NOTE_CHARS: usize = 28;

/// Stands for a space that does not break a line of a note under the colour scale (between a
/// figure and its unit): a character of the private use area, drawn as a space.
const KEEP: char = '\u{E000}';

/// Width a note line under the colour scale may take \[px\]: the legend column's, less the
/// notes' left margin of 8 pixels and as much on the right.
fn note_width<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> f64 {
    f64::from(area.dim_in_pixel().0) - 16.0
}

/// `text` broken at spaces (not at [`KEEP`], drawn as a space) into lines no wider than
/// `width` pixels as drawn at `TEXT_SIZE` (a longer word on a line alone): the notes under the
/// colour scale read to the column's edge rather than in lines of 28 characters.
fn wrap_to_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    width: f64,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for w in text.split_whitespace() {
        let w = w.replace(KEEP, " ");
        match lines.last_mut() {
            Some(l) if text_width(area, &format!("{l} {w}")) <= width => {
                l.push(' ');
                l.push_str(&w);
            }
            _ => lines.push(w),
        }
    }
    lines
}

/// Height of a note line under the colour scale \[px\].
const NOTE_LINE: i32 = 22;

/// The legend entry of the censored cells from pixel row `y`: the hatched swatch, and that
/// their value is only a lower bound, off the colour scale.
fn censored_note<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, y: i32) -> Res
where
    DB::ErrorType: 'static,
{
    let (x0, x1) = (8, 42);
    area.draw(&Rectangle::new(
        [(x0, y), (x1, y + 16)],
        CENSORED_FILL.filled(),
    ))?;
    hatch_box(area, (x0, y), (x1, y + 16))?;
    area.draw(&Rectangle::new(
        [(x0, y), (x1, y + 16)],
        GREY.stroke_width(1),
    ))?;
    let font = (FONT, TEXT_SIZE).into_font().color(&OI_BLACK);
    area.draw(&Text::new("Censored: ≥ the value", (x1 + 10, y), font))?;
    let small = (FONT, TEXT_SIZE).into_font().color(&GREY);
    let note = "replications stopped at the horizon, so the value is a lower bound: not on the colour scale";
    for (k, l) in wrap_to_width(area, note, note_width(area))
        .into_iter()
        .enumerate()
    {
        area.draw(&Text::new(
            l,
            (x0, y + 26 + NOTE_LINE * k as i32),
            small.clone(),
        ))?;
    }
    Ok(())
}

fn draw_heat<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, d: &HeatData) -> Res
where
    DB::ErrorType: 'static,
{
    // A cell whose value is only a lower bound (replications stopped at the horizon) is not on
    // the colour scale: it is hatched grey with its "≥" label, and its value neither sets nor
    // stretches the scale. Coloured as a value, a cell where no run cleared by a short horizon
    // ("≥200.0") had been the scale's light yellow, the earliest clearance of the sweep.
    let bound = |j: usize, i: usize| {
        d.lower_bounds
            .get(j)
            .and_then(|r| r.get(i))
            .copied()
            .unwrap_or(false)
    };
    let on_scale: Vec<Vec<f64>> =
        d.z.iter()
            .enumerate()
            .map(|(j, row)| {
                row.iter()
                    .enumerate()
                    .map(|(i, z)| if bound(j, i) { f64::NAN } else { *z })
                    .collect()
            })
            .collect();
    let censored = (0..d.z.len()).any(|j| (0..d.z[j].len()).any(|i| bound(j, i)));
    let scaled = on_scale.iter().flatten().any(|v| v.is_finite());
    let sc = heat_scale(&on_scale, d.noise);
    let subtitle = match sc.widened_from {
        Some((a, b)) => {
            let how = match spread_of(b - a, 1) {
                Spread::Equal => "are all equal".to_string(),
                Spread::Below(x) => format!("differ by less than {x} {}", d.z_unit),
                Spread::By(x) => format!("differ by only {x} {}", d.z_unit),
            };
            format!(
                "{} · the {}cells {how}: colour scale widened",
                d.subtitle,
                if censored { "coloured " } else { "" },
            )
        }
        None => d.subtitle.clone(),
    };
    let (plot, legend) = rc::frame(&root, &d.title, &subtitle)?;
    let nx = d.x_names.len() as u32;
    let ny = d.y_names.len() as u32;
    // Room for the widest row label (about 10 pixels a character at `TEXT_SIZE`) beside the
    // axis name: 90 pixels up to 5 characters; a longer one had lost its start.
    let widest = d
        .y_names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0) as u32;
    let y_area = 90.max(10 * widest + 40);
    // The columns' labels, fitted to the columns' width (they had run into one another).
    let room = f64::from(plot.dim_in_pixel().0.saturating_sub(2 * 12 + y_area));
    let layout = tick_layout(&d.x_names, room / f64::from(nx.max(1)), |t| {
        text_width(&plot, t)
    });
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .x_label_area_size(56 + TICK_LINE * extra_tick_lines(&layout))
        .y_label_area_size(y_area)
        .build_cartesian_2d(
            (0..last(nx)).into_segmented(),
            (0..last(ny)).into_segmented(),
        )?;
    let yl = d.y_names.clone();
    // The columns' labels are drawn below, as laid out.
    let xf = |_: &SegmentValue<u32>| String::new();
    let yf = move |v: &SegmentValue<u32>| match v {
        SegmentValue::CenterOf(i) => yl.get(*i as usize).cloned().unwrap_or_default(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(d.x_label.as_str())
        .y_desc(d.y_label.as_str())
        .x_labels(nx as usize + 1)
        .y_labels(ny as usize + 1)
        .x_label_formatter(&xf)
        .y_label_formatter(&yf)
        .axis_desc_style((FONT, AXIS_SIZE))
        .label_style((FONT, TEXT_SIZE))
        .draw()?;
    draw_ticks(&root, &layout, |k| {
        chart.backend_coord(&(SegmentValue::CenterOf(k as u32), SegmentValue::Exact(0)))
    })?;
    let span = sc.hi - sc.lo;
    for (j, row) in d.z.iter().enumerate() {
        for (i, z) in row.iter().enumerate() {
            let lower = bound(j, i);
            let (i, j) = (i as u32, j as u32);
            let fill = if lower {
                CENSORED_FILL
            } else {
                heat_color((z - sc.lo) / span)
            };
            let mut r = Rectangle::new(
                [
                    (SegmentValue::Exact(i), SegmentValue::Exact(j)),
                    (SegmentValue::Exact(i + 1), SegmentValue::Exact(j + 1)),
                ],
                fill.filled(),
            );
            r.set_margin(1, 1, 1, 1);
            chart.draw_series(std::iter::once(r))?;
            if lower {
                // The hatch inside the cell's margins, in the drawing's pixels.
                let (a, b) = (
                    chart.backend_coord(&(SegmentValue::Exact(i), SegmentValue::Exact(j + 1))),
                    chart.backend_coord(&(SegmentValue::Exact(i + 1), SegmentValue::Exact(j))),
                );
                hatch_box(&root, (a.0 + 1, a.1 + 1), (b.0 - 1, b.1 - 1))?;
                // The label on a plain box, clear of the hatch (about 10 pixels a character).
                let c =
                    chart.backend_coord(&(SegmentValue::CenterOf(i), SegmentValue::CenterOf(j)));
                let half = (6 * format!("≥{:.1}", crate::format::round_down(*z, 1))
                    .chars()
                    .count() as i32
                    + 8)
                .min((b.0 - a.0) / 2);
                root.draw(&Rectangle::new(
                    [(c.0 - half, c.1 - 13), (c.0 + half, c.1 + 13)],
                    CENSORED_FILL.filled(),
                ))?;
            }
            let label = match (z.is_finite(), lower) {
                // A lower bound, rounded down.
                (true, true) => format!("≥{:.1}", crate::format::round_down(*z, 1)),
                (true, false) => format!("{z:.1}"),
                (false, _) => "–".into(),
            };
            let tc = text_color(fill);
            let text = TextStyle::from((FONT, TEXT_SIZE).into_font())
                .color(&tc)
                .pos(Pos::new(HPos::Center, VPos::Center));
            chart.draw_series(std::iter::once(Text::new(
                label,
                (SegmentValue::CenterOf(i), SegmentValue::CenterOf(j)),
                text,
            )))?;
        }
    }
    draw_color_bar(&legend, d, &sc, censored, scaled)?;
    root.present()?;
    Ok(())
}

/// Heatmap at `base` (.png and .svg).
pub fn heatmap(base: &Path, d: &HeatData) -> Result<Vec<PathBuf>, OutputError> {
    both(base, SIZE, |a| draw_heat(a, d), |a| draw_heat(a, d))
}

/// One bar of a tornado: a factor with the KPI at its low and high setting.
#[derive(Debug, Clone, Default)]
pub struct TornadoBar {
    /// The bar's label: the factor and its low and high values.
    pub label: String,
    /// The KPI with the factor at its low setting (e.g. P90 clearance) \[days\].
    pub low: f64,
    /// The KPI with the factor at its high setting \[days\].
    pub high: f64,
    /// Whether `low` / `high` is only a lower bound (the horizon of replications that had not
    /// cleared): its bar end is labelled "≥".
    pub low_bound: bool,
    /// Whether `high` is only a lower bound (see `low_bound`).
    pub high_bound: bool,
    /// Where the low end could lie: the baseline plus the 95% interval of the change from it,
    /// on the axis \[days\], drawn as a whisker at the bar's end. `None`: no whisker.
    pub low_ci: Option<(f64, f64)>,
    /// The same for the high end \[days\].
    pub high_ci: Option<(f64, f64)>,
}

/// Data of a tornado chart: one panel per KPI (e.g. P50 and P90 clearance), bars largest first.
#[derive(Debug, Clone)]
pub struct TornadoPanel {
    /// The panel's title: the KPI it shows.
    pub title: String,
    /// The KPI with every factor at its baseline value, where the bars start \[days\].
    pub baseline: f64,
    /// The factors' bars, drawn from the top down in this order (`sensitivity` gives them by
    /// the P90 swing, largest first, in both panels).
    pub bars: Vec<TornadoBar>,
}

/// The lines under a tornado chart that say what its whiskers are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TornadoNotes {
    /// What a whisker is, shown after a sample whisker; drawn only when some bar end has one
    /// (e.g. "95% interval of the change from the baseline, paired bootstrap, …").
    pub whiskers: String,
    /// How far the whiskers can be trusted (e.g. the coverage a check found short of 95%),
    /// drawn on its own line after what they are; only when some bar end has one and given.
    pub caveat: Option<String>,
    /// Why some bar ends, or all, have no whisker; drawn when given.
    pub missing: Option<String>,
}

/// Whether any bar of `panels` has a whisker.
pub fn has_whiskers(panels: &[TornadoPanel]) -> bool {
    panels
        .iter()
        .flat_map(|p| &p.bars)
        .any(|b| b.low_ci.is_some() || b.high_ci.is_some())
}

/// The values a tornado panel's axis must show: the baseline, every bar end and every whisker
/// end.
fn tornado_extent(p: &TornadoPanel) -> impl Iterator<Item = f64> + '_ {
    p.bars
        .iter()
        .flat_map(|b| {
            [b.low_ci, b.high_ci]
                .into_iter()
                .flatten()
                .flat_map(|(l, h)| [l, h])
                .chain([b.low, b.high])
        })
        .chain([p.baseline])
}

/// Colour of the whiskers: black, as the baseline line, over a white halo so that they read on
/// the blue and the orange bars alike.
const WHISKER: RGBColor = OI_BLACK;
/// Half the height of a whisker's end caps \[px\].
const WHISKER_CAP: i32 = 6;
/// How far above (low) and below (high) the row's middle a bar's two whiskers are drawn \[px\].
const WHISKER_SHIFT: i32 = 7;

/// A whisker `w` pixels long, `dy` below the row's middle, in pixels from its anchor at the left
/// end: a line with an end cap at each end, each a black rectangle over a white one a pixel
/// larger all round (rectangles, which the PNG draws as crisply as the SVG).
fn whisker_rects(w: i32, dy: i32) -> Vec<Rectangle<(i32, i32)>> {
    let c = WHISKER_CAP;
    let parts = [
        [(0, dy - 1), (w, dy + 1)],
        [(-1, dy - c), (1, dy + c)],
        [(w - 1, dy - c), (w + 1, dy + c)],
    ];
    let halo = parts
        .map(|[(a, b), (c, d)]| Rectangle::new([(a - 1, b - 1), (c + 1, d + 1)], WHITE.filled()));
    let ink = parts.map(|corners| Rectangle::new(corners, WHISKER.filled()));
    halo.into_iter().chain(ink).collect()
}

/// A change of `d` days for a label, with its sign ("+1.3 h", "−0.2 days"), or "no change"
/// when it is none at the finest precision the labels show (under half a minute: exactly
/// none, or a difference that prints as "0 min"). A change of 0.053 days had read "no change"
/// beside a bar too short to see.
fn change_label(d: f64) -> String {
    if no_change(d) {
        "no change".to_string()
    } else {
        format!("{}{}", if d > 0.0 { "+" } else { "−" }, short_days(d.abs()))
    }
}

/// Whether a change of `d` days is none at the labels' finest precision (under half a
/// minute): [`change_label`]'s "no change".
fn no_change(d: f64) -> bool {
    (d * 1440.0).abs() < 0.5
}

/// A small amount of days for a label: "0.01 days", "5 min".
fn short_days(d: f64) -> String {
    if d >= 0.1 {
        format!("{d:.1} days")
    } else if d * 24.0 >= 1.0 {
        format!("{:.1} h", d * 24.0)
    } else {
        format!("{:.0} min", (d * 1440.0).max(1.0))
    }
}

/// [`short_days`] for an upper bound ("≤ 14 min", "at most"), rounded up at the precision
/// shown: 13.35 minutes is "14 min", not "13 min", which had understated it.
fn short_days_up(d: f64) -> String {
    use crate::format::round_up;
    if d >= 0.1 {
        format!("{:.1} days", round_up(d, 1))
    } else if d * 24.0 >= 1.0 {
        format!("{:.1} h", round_up(d * 24.0, 1))
    } else {
        format!("{:.0} min", round_up(d * 1440.0, 0).max(1.0))
    }
}

/// The end of the 95% intervals `cis` (on the axis) furthest from `baseline`, as a change from
/// it \[days\]; 0 without intervals.
fn interval_reach(cis: &[Option<(f64, f64)>], baseline: f64) -> f64 {
    cis.iter()
        .flatten()
        .flat_map(|&(a, z)| [a - baseline, z - baseline])
        .fold(0.0, |m: f64, d| if d.abs() > m.abs() { d } else { m })
}

/// "95% interval up to +2.8 days" when the interval's furthest end `reach` \[days\] goes
/// further than the point change `swing` \[days\] shows (by more than the labels' rounding,
/// and beyond their resolution); `None` otherwise.
fn interval_text(reach: f64, swing: f64) -> Option<String> {
    let shown = |d: f64| short_days_up(d.abs());
    if no_change(reach) || reach.abs() <= swing.abs() || shown(reach) == shown(swing) {
        return None;
    }
    Some(format!(
        "95% interval up to {}{}",
        if reach > 0.0 { "+" } else { "−" },
        shown(reach)
    ))
}

/// The note on a factor too small for a bar: its point change `swing` \[days\] at most (rounded
/// up), and the reach of its 95% interval where that goes further ("point change at most 2.2 h;
/// 95% interval up to +2.8 days"); "no change" only when the interval too is within the labels'
/// resolution. A P50 whose interval was [+0.07, +2.75] days had read "changes it by 2.2 h at
/// most", and one of [−2.66, +0.01] days "no change".
fn small_change_text(swing: f64, reach: f64) -> String {
    match (no_change(swing), interval_text(reach, swing)) {
        (true, None) => "no change".to_string(),
        (true, Some(i)) => format!("no point change; {i}"),
        (false, None) => format!("changes it by {} at most", short_days_up(swing)),
        (false, Some(i)) => format!("point change at most {}; {i}", short_days_up(swing)),
    }
}

/// The short form of the note on a factor too small for a bar, where the long one does not fit
/// beside the baseline: "not known", "no change", "≤ 12 min" (rounded up: a bound), with "(CI
/// to +2.8 days)" where its 95% interval reaches further (`reach`, as [`interval_text`]).
fn short_note(swing: f64, bound: bool, reach: f64) -> String {
    let ci = interval_text(reach, swing).map(|_| {
        format!(
            " (CI to {}{})",
            if reach > 0.0 { "+" } else { "−" },
            short_days_up(reach.abs())
        )
    });
    if bound {
        "not known".to_string()
    } else if no_change(swing) {
        match ci {
            Some(ci) => format!("0{ci}"),
            None => "no change".to_string(),
        }
    } else {
        format!("≤ {}{}", short_days_up(swing), ci.unwrap_or_default())
    }
}

fn draw_tornado_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &TornadoPanel,
    x_label: &str,
) -> Res
where
    DB::ErrorType: 'static,
{
    let n = p.bars.len().max(1) as u32;
    // One factor: three rows, its bar in the middle one. (An axis of segments needs a span of
    // two; with the bar in one of two rows the other had stood empty, its tick unlabelled.)
    let (rows, pad) = if n == 1 { (3, 1) } else { (n, 0) };
    let (x0, x1) = bounds(tornado_extent(p));
    // Room for the longest factor label (about 10 px a character at `TEXT_SIZE`), 250 px at
    // least and half the panel at most.
    let longest = p
        .bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0);
    let label_px = ((longest as f64 * 10.0) as u32 + 16)
        .max(250)
        .min(area.dim_in_pixel().0 / 2);
    let mut chart = ChartBuilder::on(area)
        .caption(&p.title, (FONT, AXIS_SIZE))
        .margin(12)
        .x_label_area_size(50)
        .y_label_area_size(label_px)
        .build_cartesian_2d(x0..x1, (0..rows - 1).into_segmented())?;
    // largest swing at the top: bar k is drawn in row pad+n-1-k
    let labels: Vec<String> = p.bars.iter().map(|b| b.label.clone()).collect();
    let yf = move |v: &SegmentValue<u32>| match v {
        SegmentValue::CenterOf(i) if *i >= pad && *i < pad + n => labels
            .get((n - 1 - (*i - pad)) as usize)
            .cloned()
            .unwrap_or_default(),
        _ => String::new(),
    };
    let xstep = nice_step(x1 - x0, 8.0);
    let xf = move |v: &f64| tick_label(*v, xstep);
    let mut mesh = chart.configure_mesh();
    mesh.disable_y_mesh()
        .bold_line_style(BLACK.mix(0.12))
        .light_line_style(TRANSPARENT)
        .x_label_formatter(&xf)
        .x_desc(x_label)
        .x_labels(6)
        .y_labels(rows as usize + 1)
        .y_label_formatter(&yf)
        .label_style((FONT, TEXT_SIZE))
        .axis_desc_style((FONT, AXIS_SIZE));
    if pad > 0 {
        // no ticks by the empty rows around the one factor
        mesh.set_tick_mark_size(LabelAreaPosition::Left, 0);
    }
    mesh.draw()?;
    let (low_c, high_c) = (OI_BLUE, OI_ORANGE);
    for (k, b) in p.bars.iter().enumerate() {
        let row = pad + n - 1 - k as u32;
        // The longer bar first, the shorter one thinner on top of it, both opaque: when both
        // settings move the result the same way, each stays visible in its own colour.
        let mut pair = [(b.low, low_c), (b.high, high_c)];
        if (pair[0].0 - p.baseline).abs() < (pair[1].0 - p.baseline).abs() {
            pair.swap(0, 1);
        }
        for (i, (v, c)) in pair.into_iter().enumerate() {
            let (a, z) = if v < p.baseline {
                (v, p.baseline)
            } else {
                (p.baseline, v)
            };
            let mut r = Rectangle::new(
                [
                    (a, SegmentValue::Exact(row)),
                    (z, SegmentValue::Exact(row + 1)),
                ],
                c.filled(),
            );
            let m = if i == 0 { 6 } else { 12 };
            r.set_margin(m, m, 0, 0);
            chart.draw_series(std::iter::once(r))?;
        }
        // Each end's 95% interval as a whisker across it: on the row's middle, or when both ends
        // have one, the low one above it and the high one below, so that neither hides the other
        // (nor reads as one with it) where they meet or overlap.
        let both = b.low_ci.is_some() && b.high_ci.is_some();
        for (ci, dy) in [(b.low_ci, -WHISKER_SHIFT), (b.high_ci, WHISKER_SHIFT)] {
            let Some((a, z)) = ci else { continue };
            let at = |v: f64| chart.backend_coord(&(v, SegmentValue::CenterOf(row))).0;
            let w = at(z) - at(a);
            for r in whisker_rects(w, if both { dy } else { 0 }) {
                chart.draw_series(std::iter::once(
                    EmptyElement::at((a, SegmentValue::CenterOf(row))) + r,
                ))?;
            }
        }
        // A censored end: the bar reaches the horizon, and the value is at least that. Its
        // label sits inside the bar in white, or, when the bar is too short for it (a "≥147"
        // had shown as "47"), just past the bar's end in grey.
        let px_per_unit = chart.plotting_area().dim_in_pixel().0 as f64 / (x1 - x0);
        // A note's width as drawn \[px\] (about 10 pixels a character should the font fail).
        let note_style = TextStyle::from((FONT, TEXT_SIZE).into_font());
        let measure = chart.plotting_area().strip_coord_spec();
        let text_px = |t: &str| {
            measure
                .estimate_text_size(t, &note_style)
                .map_or(t.chars().count() as f64 * 10.0, |(w, _)| f64::from(w))
        };
        for (v, lower) in [(b.low, b.low_bound), (b.high, b.high_bound)] {
            if lower {
                let right = v >= p.baseline;
                // A lower bound, rounded down to the whole days shown.
                let text = format!(" ≥{} ", tick_label(crate::format::round_down(v, 0), 1.0));
                let need = text_px(&text);
                let inside = (v - p.baseline).abs() * px_per_unit >= need;
                // Inside: aligned to the bar's end from within; outside: from beyond it.
                let h = if right == inside {
                    HPos::Right
                } else {
                    HPos::Left
                };
                // Inside: black or white, whichever stands out more on the bar's colour (white
                // on the orange bar had 2.2:1); outside: dark grey on white.
                let bar = if v == b.low { low_c } else { high_c };
                let colour = if !inside {
                    BLACK.mix(0.7)
                } else if rc::contrast(WHITE, bar) >= rc::contrast(OI_BLACK, bar) {
                    WHITE.mix(1.0)
                } else {
                    BLACK.mix(1.0)
                };
                chart.draw_series(std::iter::once(Text::new(
                    text,
                    (v, SegmentValue::CenterOf(row)),
                    TextStyle::from((FONT, TEXT_SIZE).into_font())
                        .color(&colour)
                        .pos(Pos::new(h, VPos::Center)),
                )))?;
            }
        }
        // A factor that moves the result by less than a bar can show (half a percent of the
        // axis): say by how much, so that it does not look missing.
        let swing = (b.low - p.baseline).abs().max((b.high - p.baseline).abs());
        let tiny = (x1 - x0) * 0.005;
        // Where a note beside `x` towards the right (or the left) can start clear of the
        // row's whiskers that reach over `x`.
        let clear_of = |mut x: f64, towards_right: bool| {
            for _ in 0..2 {
                for (a, z) in [b.low_ci, b.high_ci].into_iter().flatten() {
                    if a <= x && x <= z {
                        x = if towards_right { z } else { a };
                    }
                }
            }
            x
        };
        // One setting moves the result and the other too little for a bar: say by how much
        // ("low: +1.3 h", or "low: no change" when it is none), on the side away from the bar
        // (else its missing colour reads as a missing bar).
        // Beside the baseline away from the bar when there is room (about 7 px a character),
        // else past the bar's end, else not at all (the footnote's colours still tell).
        for (name, v, other, bound) in [
            ("low", b.low, b.high, b.low_bound),
            ("high", b.high, b.low, b.high_bound),
        ] {
            if swing > tiny && (v - p.baseline).abs() <= tiny && (other - p.baseline).abs() > tiny {
                // A setting at the horizon like the baseline is not known to change nothing
                // (5 screening servers, far later, had read "no change").
                let ci = if name == "low" { b.low_ci } else { b.high_ci };
                let text = if bound {
                    format!("{name}: not known (≥ horizon)")
                } else {
                    let d = v - p.baseline;
                    match interval_text(interval_reach(&[ci], p.baseline), d) {
                        Some(i) if no_change(d) => format!("{name}: no point change; {i}"),
                        Some(i) => format!("{name}: {}; {i}", change_label(d)),
                        None => format!("{name}: {}", change_label(d)),
                    }
                };
                let need = text_px(&format!("  {text}")) / px_per_unit;
                let right = other > p.baseline;
                // Beside the baseline or the bar's end, or past the whiskers across them.
                let (away, past) = (clear_of(p.baseline, !right), clear_of(other, right));
                let (room_away, room_past) = if right {
                    (away - x0, x1 - past)
                } else {
                    (x1 - away, past - x0)
                };
                let (x, towards_right) = if room_away >= need {
                    (away, !right)
                } else if room_past >= need {
                    (past, right)
                } else {
                    continue;
                };
                let (text, h) = if towards_right {
                    (format!("  {text}"), HPos::Left)
                } else {
                    (format!("{text}  "), HPos::Right)
                };
                chart.draw_series(std::iter::once(Text::new(
                    text,
                    (x, SegmentValue::CenterOf(row)),
                    TextStyle::from((FONT, TEXT_SIZE).into_font())
                        .color(&BLACK.mix(0.6))
                        .pos(Pos::new(h, VPos::Center)),
                )))?;
            }
        }
        if swing <= tiny {
            let reach = interval_reach(&[b.low_ci, b.high_ci], p.baseline);
            let text = if b.low_bound || b.high_bound {
                "not known (runs not cleared by the horizon)".to_string()
            } else {
                small_change_text(swing, reach)
            };
            // On the side of the baseline with more room, so that it stays inside the plot
            // (and off the next panel's labels).
            let left = p.baseline - x0 > x1 - p.baseline;
            // Too long for the room on that side (about 10 pixels a character): the short form;
            // and that too long, on two lines ("≤ 19 min", "(CI to −1.3 h)"), else its first
            // alone (the short form had run over the factors' labels, or out of the panel).
            let room = (p.baseline - x0).max(x1 - p.baseline) * px_per_unit;
            let fits = |t: &str| text_px(&format!("  {t}")) <= room;
            let lines: Vec<String> = if fits(&text) {
                vec![text]
            } else {
                let short = short_note(swing, b.low_bound || b.high_bound, reach);
                match short.split_once(" (") {
                    _ if fits(&short) => vec![short],
                    Some((first, rest)) if fits(&format!("({rest}")) => {
                        vec![first.to_string(), format!("({rest}")]
                    }
                    Some((first, _)) => vec![first.to_string()],
                    None => vec![short],
                }
            };
            let h = if left { HPos::Right } else { HPos::Left };
            let n = lines.len() as i32;
            for (k, line) in lines.into_iter().enumerate() {
                let line = if left {
                    format!("{line}  ")
                } else {
                    format!("  {line}")
                };
                // Lines a text's height apart, centred on the row.
                let dy = (2 * k as i32 - (n - 1)) * (TEXT_SIZE as i32 / 2 + 1);
                chart.draw_series(std::iter::once(
                    EmptyElement::at((clear_of(p.baseline, !left), SegmentValue::CenterOf(row)))
                        + Text::new(
                            line,
                            (0, dy),
                            TextStyle::from((FONT, TEXT_SIZE).into_font())
                                .color(&BLACK.mix(0.6))
                                .pos(Pos::new(h, VPos::Center)),
                        ),
                ))?;
            }
        }
    }
    chart.draw_series(LineSeries::new(
        vec![
            (p.baseline, SegmentValue::Exact(0)),
            (p.baseline, SegmentValue::Exact(rows)),
        ],
        BLACK.stroke_width(2),
    ))?;
    Ok(())
}

fn draw_tornado<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
    x_label: &str,
    panels: &[TornadoPanel],
    notes: &TornadoNotes,
) -> Res
where
    DB::ErrorType: 'static,
{
    // The run charts' header: the title, then the subtitle on as many lines as it needs.
    let root = rc::header(&root, title, subtitle)?;
    let lines = footer_lines(panels, notes);
    let (body, foot) = root.split_vertically(root.dim_in_pixel().1 - footer_height(panels, notes));
    let font = TextStyle::from((FONT, TEXT_SIZE).into_font());
    let mut y = 6;
    for (line, x, sample) in lines {
        if sample {
            // A sample whisker, then what it is.
            let ym = y + 9;
            for r in whisker_rects(24, 0) {
                foot.draw(&(EmptyElement::at((12, ym)) + r))?;
            }
        }
        foot.draw(&Text::new(line, (x, y), font.clone()))?;
        y += FOOTER_LINE;
    }
    let areas = body.split_evenly((1, panels.len().max(1)));
    for (a, p) in areas.iter().zip(panels) {
        draw_tornado_panel(a, p, x_label)?;
    }
    root.present()?;
    Ok(())
}

/// Height of a line of the tornado's footer \[px\].
const FOOTER_LINE: i32 = 24;

/// Characters of a line of the tornado's footer (text of `TEXT_SIZE` across 1,400 pixels).
const FOOTER_CHARS: usize = 135;

/// The footer's lines, each with its left edge \[px\] and whether a sample whisker goes before
/// it: what the colours mean, then what the whiskers are and how far to trust them (when some
/// end has one), then why some have none (when the caller says), each broken into lines of at
/// most [`FOOTER_CHARS`].
fn footer_lines(panels: &[TornadoPanel], notes: &TornadoNotes) -> Vec<(String, i32, bool)> {
    let mut legend =
        "blue: factor at its low value · orange: at its high value · line: baseline".to_string();
    if panels
        .iter()
        .flat_map(|p| &p.bars)
        .any(|b| b.low_bound || b.high_bound)
    {
        legend += " · ≥: a lower bound (runs not cleared by the horizon count as the horizon)";
    }
    let mut v: Vec<(String, i32, bool)> = wrap_words(&legend, FOOTER_CHARS)
        .into_iter()
        .map(|l| (l, 10, false))
        .collect();
    if has_whiskers(panels) {
        for (k, l) in wrap_words(&notes.whiskers, FOOTER_CHARS - 4)
            .into_iter()
            .enumerate()
        {
            v.push((l, 46, k == 0));
        }
        if let Some(c) = &notes.caveat {
            v.extend(
                wrap_words(c, FOOTER_CHARS)
                    .into_iter()
                    .map(|l| (l, 10, false)),
            );
        }
    }
    if let Some(m) = &notes.missing {
        v.extend(
            wrap_words(m, FOOTER_CHARS)
                .into_iter()
                .map(|l| (l, 10, false)),
        );
    }
    v
}

/// Height of the tornado's footer: its lines and a margin \[px\].
fn footer_height(panels: &[TornadoPanel], notes: &TornadoNotes) -> u32 {
    (6 + FOOTER_LINE * footer_lines(panels, notes).len() as i32) as u32
}

/// Tornado chart at `base` (.png and .svg) under `title` and the grey `subtitle` (what was
/// run, as the run charts' subtitle: see `charts::subtitle_with_set`), one panel per entry of
/// `panels`, side by side, with `notes` on the whiskers under it.
pub fn tornado(
    base: &Path,
    title: &str,
    subtitle: &str,
    x_label: &str,
    panels: &[TornadoPanel],
    notes: &TornadoNotes,
) -> Result<Vec<PathBuf>, OutputError> {
    let rows = panels.iter().map(|p| p.bars.len()).max().unwrap_or(1) as u32;
    let size = (
        1400,
        124 + rc::header_height(subtitle) + 60 * rows.max(2) + footer_height(panels, notes)
            - footer_height(&[], &TornadoNotes::default()),
    );
    both(
        base,
        size,
        |a| draw_tornado(a, title, subtitle, x_label, panels, notes),
        |a| draw_tornado(a, title, subtitle, x_label, panels, notes),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A heatmap of two columns (`1`, `2`) by a row named `x`, `y` for each row of `z`, its values in
    /// days, their noise `noise` (`noise_of` says of what), as the tests draw it.
    fn heat_data(z_label: &str, noise: f64, noise_of: &str, z: Vec<Vec<f64>>) -> HeatData {
        HeatData {
            title: "t".into(),
            subtitle: "s".into(),
            x_label: "a".into(),
            y_label: "b".into(),
            z_label: z_label.into(),
            z_unit: "days".into(),
            noise: Some(noise),
            noise_of: noise_of.into(),
            x_names: vec!["1".into(), "2".into()],
            y_names: ["x", "y"][..z.len()].iter().map(|&n| n.into()).collect(),
            z,
            ..Default::default()
        }
    }

    /// A factor too small for a bar is described beside the baseline, on the side with more
    /// room: to its left (text ending at the baseline) when the baseline is near the right edge,
    /// where text to its right ran out of the panel into the next one's labels.
    #[test]
    fn a_tornado_note_stays_on_the_roomier_side_of_the_baseline() {
        crate::output::charts::ensure_font();
        let svg_of = |baseline: f64, far: f64| {
            let panel = TornadoPanel {
                title: "P50".into(),
                baseline,
                bars: vec![
                    TornadoBar {
                        label: "big".into(),
                        low: far,
                        high: baseline,
                        low_bound: false,
                        high_bound: false,
                        ..Default::default()
                    },
                    TornadoBar {
                        label: "tiny".into(),
                        low: baseline - 0.01,
                        high: baseline,
                        low_bound: false,
                        high_bound: false,
                        ..Default::default()
                    },
                ],
            };
            let mut s = String::new();
            {
                let root = SVGBackend::with_string(&mut s, (1400, 300)).into_drawing_area();
                draw_tornado(root, "t", "s", "days", &[panel], &TornadoNotes::default()).unwrap();
            }
            s
        };
        let anchor_of = |svg: &str| {
            let i = svg.find("changes it by").expect("the note is drawn");
            let tag = &svg[svg[..i].rfind("<text").unwrap()..i];
            tag.contains("text-anchor=\"end\"")
        };
        // Baseline at the right edge (the other bar reaches far left): the note ends at it.
        assert!(anchor_of(&svg_of(146.0, 130.0)));
        // Baseline at the left edge: the note starts at it.
        assert!(!anchor_of(&svg_of(130.0, 146.0)));
    }

    /// A factor too small for a bar, in a panel with little room on either side of the
    /// baseline (two panels side by side, long labels, the baseline mid-axis: sensitivity of a
    /// ten-port scenario): its short note goes on two lines, "≤ 19 min" over "(CI to −1.3 h)",
    /// where on one it had run over the factors' labels left of the axis.
    #[test]
    fn a_tornado_note_too_long_for_its_room_goes_on_two_lines() {
        crate::output::charts::ensure_font();
        let base = 253.4;
        let panel = |title: &str| TornadoPanel {
            title: title.into(),
            baseline: base,
            bars: vec![
                TornadoBar {
                    label: "registration.delay.mean (10d / 30d)".into(),
                    low: 127.4,
                    high: 380.8,
                    low_ci: Some((95.0, 140.0)),
                    high_ci: Some((370.0, 415.0)),
                    ..Default::default()
                },
                TornadoBar {
                    label: "port[San Ysidro].quota_per_day (200 / 400)".into(),
                    low: base - 19.0 / 1440.0,
                    high: base,
                    low_ci: Some((base - 1.3 / 24.0, base + 0.001)),
                    high_ci: Some((base - 0.001, base + 0.001)),
                    ..Default::default()
                },
            ],
        };
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (1400, 400)).into_drawing_area();
            draw_tornado(
                root,
                "t",
                "s",
                "days",
                &[panel("P50"), panel("P90")],
                &TornadoNotes::default(),
            )
            .unwrap();
        }
        // Each panel's note, as two texts of their own.
        let texts = |t: &str| svg.lines().filter(|l| l.trim() == t).count();
        assert!(!svg.contains("min (CI to"), "{svg}");
        assert_eq!(texts("≤ 19 min"), 2, "{svg}");
        assert_eq!(texts("(CI to −1.3 h)"), 2, "{svg}");
    }

    /// The SVG of a tornado chart of one panel, written as `tornado` writes it.
    fn tornado_svg(panel: TornadoPanel, notes: &TornadoNotes) -> String {
        let dir = tempfile::tempdir().unwrap();
        tornado(&dir.path().join("t"), "t", "s", "days", &[panel], notes).unwrap();
        std::fs::read_to_string(dir.path().join("t.svg")).unwrap()
    }

    /// Whiskers drawn in a tornado SVG: each is three black rectangles (line and two caps).
    fn whiskers_in(svg: &str) -> usize {
        let black = svg
            .lines()
            .filter(|l| l.starts_with("<rect") && l.contains("fill=\"#000000\""))
            .count();
        assert_eq!(black % 3, 0, "{svg}");
        black / 3
    }

    /// A bar end with an interval gets a whisker and the legend says what whiskers are; an end
    /// without one gets none; a chart with no interval at all draws no whisker and no legend
    /// for one (only the note on why), so that it claims nothing it does not show.
    #[test]
    fn tornado_whiskers_only_where_there_are_intervals() {
        let bars = |with: bool| {
            let ci = |l: f64, h: f64| with.then_some((l, h));
            vec![
                TornadoBar {
                    label: "both".into(),
                    low: 140.0,
                    high: 150.0,
                    low_ci: ci(139.0, 141.5),
                    high_ci: ci(148.0, 152.0),
                    ..Default::default()
                },
                TornadoBar {
                    label: "high only".into(),
                    low: 147.0,
                    high: 146.0,
                    low_bound: true,
                    high_ci: ci(145.5, 146.5),
                    ..Default::default()
                },
                TornadoBar {
                    label: "none".into(),
                    low: 144.0,
                    high: 146.0,
                    ..Default::default()
                },
            ]
        };
        let notes = TornadoNotes {
            whiskers: "whiskers: 95% interval of the change".into(),
            caveat: Some("checked: about 90% coverage".into()),
            missing: Some("no whisker: not known".into()),
        };
        let svg_of = |with: bool| {
            let panel = TornadoPanel {
                title: "P90 clearance".into(),
                baseline: 145.0,
                bars: bars(with),
            };
            tornado_svg(panel, &notes)
        };
        let svg = svg_of(true);
        // Every text at least 14 pixels and 4.5:1 on white.
        let problems = rc::svg_text_problems(&svg);
        assert!(problems.is_empty(), "{problems:#?}");
        // Three ends, and the legend's sample.
        assert_eq!(whiskers_in(&svg), 3 + 1, "{svg}");
        assert!(
            svg.contains("whiskers: 95% interval of the change"),
            "{svg}"
        );
        assert!(svg.contains("no whisker: not known"), "{svg}");
        assert!(svg.contains("checked: about 90% coverage"), "{svg}");
        // A "≥" end is explained beside the colours.
        assert!(
            svg.contains("≥: a lower bound (runs not cleared by the"),
            "{svg}"
        );
        let svg = svg_of(false);
        assert_eq!(whiskers_in(&svg), 0, "{svg}");
        assert!(!svg.contains("whiskers: 95%"), "{svg}");
        assert!(!svg.contains("checked: about"), "{svg}");
        assert!(svg.contains("no whisker: not known"), "{svg}");
        // With a note less, the chart is a line shorter (no empty line at its foot).
        let short = TornadoNotes::default();
        assert!(footer_height(&[], &short) < footer_height(&[], &notes));
    }

    /// The axis reaches every whisker's end, not only the bars': a whisker reaching 170 (the
    /// bars stop at 150) has its tick, and none is cut off.
    #[test]
    fn the_tornado_axis_holds_the_whiskers() {
        let panel = TornadoPanel {
            title: "P90 clearance".into(),
            baseline: 145.0,
            bars: vec![TornadoBar {
                label: "wide".into(),
                low: 140.0,
                high: 150.0,
                low_ci: Some((120.0, 141.0)),
                high_ci: Some((146.0, 170.0)),
                ..Default::default()
            }],
        };
        let (x0, x1) = bounds(tornado_extent(&panel));
        assert!(x0 < 120.0 && 170.0 < x1, "{x0} … {x1}");
        let notes = TornadoNotes {
            whiskers: "whiskers".into(),
            ..Default::default()
        };
        let svg = tornado_svg(panel, &notes);
        assert!(
            svg.contains(">\n170\n<") && svg.contains(">\n120\n<"),
            "{svg}"
        );
        assert_eq!(whiskers_in(&svg), 2 + 1);
    }

    #[test]
    fn a_narrow_spread_widens_the_colour_scale() {
        // Two cells 0.1 day apart: the scale spans 5% of the mean, not 0.1 day.
        let sc = heat_scale(&[vec![147.4, 147.5]], Some(0.5));
        assert!((sc.hi - sc.lo - 0.05 * 147.45).abs() < 1e-9, "{sc:?}");
        assert_eq!(sc.widened_from, Some((147.4, 147.5)));
        let (a, b) = (
            heat_color((147.4 - sc.lo) / (sc.hi - sc.lo)),
            heat_color((147.5 - sc.lo) / (sc.hi - sc.lo)),
        );
        assert!((a.0 as i32 - b.0 as i32).abs() < 20, "{a:?} {b:?}");
        // A large noise widens further; a wide spread is kept as it is.
        let sc = heat_scale(&[vec![147.4, 147.5]], Some(3.0));
        assert!((sc.hi - sc.lo - 12.0).abs() < 1e-9, "{sc:?}");
        let sc = heat_scale(&[vec![100.0, 300.0]], Some(3.0));
        assert_eq!((sc.lo, sc.hi, sc.widened_from), (100.0, 300.0, None));
        // Values at or above 0 keep a scale at or above 0.
        let sc = heat_scale(&[vec![0.1, 0.2]], Some(1.0));
        assert_eq!(sc.lo, 0.0);
    }

    /// A setting at the horizon like the baseline is not known to change nothing: 5 screening
    /// servers, which clear far later, had read "low: no change" beside the table's "≥0.6".
    #[test]
    fn settings_at_the_horizon_are_not_called_no_change() {
        let panel = TornadoPanel {
            title: "P90 clearance".into(),
            baseline: 147.0,
            bars: vec![
                TornadoBar {
                    label: "servers".into(),
                    low: 147.0,
                    high: 146.4,
                    low_bound: true,
                    high_bound: false,
                    ..Default::default()
                },
                TornadoBar {
                    label: "quota".into(),
                    low: 147.0,
                    high: 147.0,
                    low_bound: true,
                    high_bound: true,
                    ..Default::default()
                },
            ],
        };
        let svg = tornado_svg(panel, &TornadoNotes::default());
        assert!(svg.contains("low: not known (≥ horizon)"), "{svg}");
        // A bar too short for its "≥147" label has it past its end, dark on white (it had been
        // white, clipped to "47" by the bar).
        let lines: Vec<&str> = svg.lines().collect();
        let i = lines.iter().position(|l| l.contains("≥147")).unwrap();
        assert!(
            lines[i - 1].contains("fill=\"#000000\""),
            "{}",
            lines[i - 1]
        );
        assert!(
            svg.contains("not known (runs not cleared by the horizon)"),
            "{svg}"
        );
        assert!(!svg.contains("no change"), "{svg}");
    }

    /// An end too close to the baseline for a bar says by how much it moves the result, with
    /// its sign; "no change" only for none. Isolation at 5 days moved the P50 by +0.053 days
    /// (sensitivity.csv), a few pixels on an axis of 20 days, and the chart had said "low: no
    /// change".
    #[test]
    fn an_end_beside_the_baseline_says_its_change() {
        let bar = |low: f64| TornadoBar {
            label: "isolation".into(),
            low,
            high: 157.3,
            ..Default::default()
        };
        let panel = |low: f64| TornadoPanel {
            title: "P50 clearance".into(),
            baseline: 146.494,
            bars: vec![bar(low)],
        };
        let svg = tornado_svg(panel(146.547), &TornadoNotes::default());
        assert!(svg.contains("low: +1.3 h"), "{svg}");
        assert!(!svg.contains("no change"), "{svg}");
        let svg = tornado_svg(panel(146.444), &TornadoNotes::default());
        assert!(svg.contains("low: −1.2 h"), "{svg}");
        let svg = tornado_svg(panel(146.494), &TornadoNotes::default());
        assert!(svg.contains("low: no change"), "{svg}");
        assert_eq!(change_label(0.2), "+0.2 days");
        assert_eq!(change_label(-1e-9), "no change");
    }

    /// A factor too small for a bar says its point change and, where its 95% interval reaches
    /// further, that reach: the reviewer's P50 row of [+0.07, +2.75] days had read "changes it
    /// by 2.2 h at most", and a row of [−2.66, +0.01] days "no change".
    #[test]
    fn a_small_change_says_how_far_its_interval_reaches() {
        let base = 84.4336;
        let panel = |low: f64, high: f64, low_ci, high_ci| TornadoPanel {
            title: "P50 clearance".into(),
            baseline: base,
            bars: vec![
                TornadoBar {
                    label: "port[Port A].servers".into(),
                    low: base,
                    high: base - 20.8,
                    ..Default::default()
                },
                TornadoBar {
                    label: "quota".into(),
                    low,
                    high,
                    low_ci,
                    high_ci,
                    ..Default::default()
                },
            ],
        };
        // The quota: +0.0898 days (2.2 h) at the high setting, its interval [+0.07, +2.75].
        let svg = tornado_svg(
            panel(
                base,
                base + 0.0898,
                Some((base, base)),
                Some((base + 0.071, base + 2.745)),
            ),
            &TornadoNotes::default(),
        );
        assert!(
            svg.contains("point change at most 2.2 h; 95% interval up to +2.8 days"),
            "{svg}"
        );
        assert!(!svg.contains("changes it by"), "{svg}");
        // Isolation: no point change, its low setting's interval [−2.66, +0.01].
        let svg = tornado_svg(
            panel(
                base,
                base,
                Some((base - 2.659, base + 0.007)),
                Some((base, base)),
            ),
            &TornadoNotes::default(),
        );
        assert!(
            svg.contains("no point change; 95% interval up to −2.7 days"),
            "{svg}"
        );
        assert!(!svg.contains(">no change"), "{svg}");
        // Within the resolution both ways: "no change".
        assert_eq!(small_change_text(0.0, 0.0001), "no change");
        assert_eq!(small_change_text(0.09, 0.09), "changes it by 2.2 h at most");
    }

    /// One factor: its bar and label sit in the middle of the plot, beside no empty row (the
    /// axis of segments needs a span of two, and the bar had been in the lower of two rows,
    /// the upper one empty with an unlabelled tick).
    #[test]
    fn a_single_factor_is_drawn_in_the_middle() {
        let panel = TornadoPanel {
            title: "P50 clearance".into(),
            baseline: 145.0,
            bars: vec![TornadoBar {
                label: "the only factor".into(),
                low: 140.0,
                high: 150.0,
                ..Default::default()
            }],
        };
        let svg = tornado_svg(panel, &TornadoNotes::default());
        let attr = |tag: &str, name: &str| -> f64 {
            let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            tag[at..].split('"').next().unwrap().parse().unwrap()
        };
        let lines: Vec<&str> = svg.lines().collect();
        let i = lines
            .iter()
            .position(|l| l.trim() == "the only factor")
            .unwrap();
        let label_y = attr(lines[i - 1], "y");
        // The baseline: the 2-wide black line from the plot's top to its foot.
        let pts = svg
            .split("stroke-width=\"2\" points=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let ys: Vec<f64> = pts
            .split_whitespace()
            .map(|p| p.split(',').nth(1).unwrap().parse().unwrap())
            .collect();
        let mid = (ys[0] + ys[1]) / 2.0;
        assert!((ys[0] - ys[1]).abs() > 100.0, "{ys:?}");
        assert!(
            (label_y - mid).abs() <= 2.0,
            "label at {label_y}, plot {ys:?}"
        );
    }

    #[test]
    fn a_factor_too_small_for_a_bar_says_by_how_much() {
        let bar = |label: &str, low: f64, high: f64| TornadoBar {
            label: label.into(),
            low,
            high,
            low_bound: false,
            high_bound: false,
            ..Default::default()
        };
        let panel = TornadoPanel {
            title: "P50 clearance".into(),
            baseline: 146.0,
            bars: vec![
                bar("big", 140.0, 150.0),
                bar("tiny", 146.0, 146.01),
                bar("none", 146.0, 146.0),
                bar("one side", 146.0, 149.0),
            ],
        };
        let svg = tornado_svg(panel, &TornadoNotes::default());
        // 0.01 days is 14.4 minutes: "at most" 15, not 14.
        assert!(svg.contains("changes it by 15 min at most"), "{svg}");
        assert!(svg.contains("no change"));
        // Only the high value moves "one side": its low side says it does nothing (and the
        // bars that move on both sides, or on none, say nothing of the kind).
        assert_eq!(svg.matches("low: no change").count(), 1, "{svg}");
        assert!(!svg.contains("high: no change"));
        assert_eq!(svg.matches("at most").count(), 1);
        assert_eq!(short_days(0.25), "0.2 days");
        assert_eq!(short_days(0.05), "1.2 h");
        // Bounds round up: 13.35 minutes is at most 14, 1.21 hours at most 1.3.
        assert_eq!(short_note(13.35 / 1440.0, false, 0.0), "≤ 14 min");
        assert_eq!(short_days_up(1.21 / 24.0), "1.3 h");
        assert_eq!(short_days_up(0.25), "0.3 days");
        assert_eq!(short_days_up(0.2), "0.2 days");
    }

    /// The SVG of a line chart of `d`.
    fn line_svg(d: &LineData) -> String {
        let dir = tempfile::tempdir().unwrap();
        line_chart(&dir.path().join("l"), d).unwrap();
        std::fs::read_to_string(dir.path().join("l.svg")).unwrap()
    }

    /// The points of each polyline drawn in `color` `width` pixels wide in the plot (left of
    /// the legend column, whose swatches are drawn alike), in pixels.
    fn polylines(svg: &str, color: &str, width: u32) -> Vec<Vec<(f64, f64)>> {
        svg.lines()
            .filter(|l| {
                l.starts_with("<polyline")
                    && l.contains(&format!("stroke=\"{color}\""))
                    && l.contains(&format!("stroke-width=\"{width}\""))
            })
            .map(|l| {
                l.split("points=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .split_whitespace()
                    .map(|p| {
                        let (x, y) = p.split_once(',').unwrap();
                        (x.parse().unwrap(), y.parse().unwrap())
                    })
                    .collect::<Vec<(f64, f64)>>()
            })
            .filter(|pts| pts.iter().all(|p| p.0 < f64::from(SIZE.0 - 300)))
            .collect()
    }

    fn one_series(xs: Vec<f64>, ys: Vec<f64>) -> LineData {
        LineData {
            title: "t".into(),
            subtitle: "s".into(),
            x_label: "quota".into(),
            y_label: "Clearance [days]".into(),
            xs,
            series: vec![("Mean clearance".into(), ys)],
            ..Default::default()
        }
    }

    /// Values given out of order (200, 50, 100, 30) are joined along the x axis, not in the
    /// order given: the line had zig-zagged right and left across the chart.
    #[test]
    fn a_line_joins_its_points_in_order_of_x() {
        let d = one_series(vec![200.0, 50.0, 100.0, 30.0], vec![40.0, 43.0, 41.0, 45.0]);
        let sorted = d.sorted_by_x();
        assert_eq!(sorted.xs, [30.0, 50.0, 100.0, 200.0]);
        assert_eq!(sorted.series[0].1, [45.0, 43.0, 41.0, 40.0]);
        let lines = polylines(&line_svg(&d), "#0072B2", 3);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert_eq!(lines[0].len(), 4);
        assert!(lines[0].windows(2).all(|w| w[0].0 < w[1].0), "{lines:?}");
        // Named values keep their order.
        let named = LineData {
            x_names: Some(vec!["b".into(), "a".into()]),
            ..one_series(vec![0.0, 1.0], vec![1.0, 2.0])
        };
        assert_eq!(named.sorted_by_x().series[0].1, [1.0, 2.0]);
    }

    #[test]
    fn a_line_is_broken_where_a_point_is_not_drawn() {
        assert_eq!(segments(5, |k| k != 2), [vec![0, 1], vec![3, 4]]);
        assert_eq!(segments(3, |k| k == 1), [vec![1]]);
        assert!(segments(2, |_| false).is_empty());
    }

    /// A point where no run cleared is not joined to the others (its figures are the horizon,
    /// not a result): an arrow at a dashed horizon line marks it, and the legend says no run
    /// cleared there and at how many points.
    #[test]
    fn a_point_where_no_run_cleared_is_marked_at_the_horizon_not_joined() {
        let d = LineData {
            no_run_cleared: vec![true, false, false],
            horizon: Some(60.0),
            lower_bounds: vec![vec![true, false, false]],
            ..one_series(vec![20.0, 50.0, 100.0], vec![60.0, 43.5, 40.6])
        };
        let svg = line_svg(&d);
        let lines = polylines(&svg, "#0072B2", 3);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert_eq!(lines[0].len(), 2, "the line reaches the horizon point");
        assert!(svg.contains("horizon: no run cleared"), "{svg}");
        assert!(svg.contains("no run cleared (all runs"), "{svg}");
        // Its open ring is not drawn, nor is "some runs" said of it.
        assert!(!svg.contains("some runs not cleared"), "{svg}");
        let problems = crate::output::charts::svg_text_problems(&svg);
        assert!(problems.is_empty(), "{problems:#?}");
    }

    /// A point without a value breaks the line (it had been bridged) and is marked "–" with a
    /// legend entry; without any value, a note in place of empty axes from 0 to 1.
    #[test]
    fn points_without_a_value_are_marked_and_a_chart_without_any_says_so() {
        let d = LineData {
            missing: "no run reached t90 (90% processed) by the horizon".into(),
            ..one_series(
                vec![20.0, 50.0, 100.0, 200.0],
                vec![f64::NAN, 43.0, f64::NAN, 40.0],
            )
        };
        let svg = line_svg(&d);
        let lines = polylines(&svg, "#0072B2", 3);
        assert!(lines.iter().all(|l| l.len() < 2), "{lines:?}");
        assert!(svg.contains("–: no run reached t90 (90%"), "{svg}");
        assert_eq!(svg.matches(">\n–\n<").count(), 2, "{svg}");
        let none = LineData {
            missing: "no run reached t99 (99% processed) by the horizon".into(),
            ..one_series(vec![10.0, 20.0], vec![f64::NAN, f64::NAN])
        };
        let svg = line_svg(&none);
        assert!(svg.contains("No value at any of the 2 points"), "{svg}");
        assert!(
            svg.contains("No run reached t99 (99% processed) by the horizon"),
            "{svg}"
        );
        assert!(!svg.contains("Clearance [days]"), "no axes: {svg}");
    }

    /// Category labels wider than the room between ticks are wrapped at "–", then staggered,
    /// then cut: eight opening hours had run into one string.
    #[test]
    fn category_ticks_fit_the_room_between_them() {
        let hours: Vec<String> = (0..8)
            .map(|k| format!("{:02}:00–{:02}:00", 6 + k, 22 - k))
            .collect();
        let w = |t: &str| t.chars().count() as f64 * 10.0;
        let fits = |l: &[(Vec<String>, usize)], room: f64| {
            l.iter().flat_map(|(ls, _)| ls).all(|t| w(t) + 10.0 <= room)
        };
        // Room enough: as they are.
        let l = tick_layout(&hours, 200.0, w);
        assert!(l.iter().all(|(ls, row)| ls.len() == 1 && *row == 0));
        // 88 pixels a tick: wrapped after the dash.
        let l = tick_layout(&hours, 88.0, w);
        assert_eq!(l[0].0, ["06:00–", "22:00"]);
        assert!(fits(&l, 88.0), "{l:?}");
        assert_eq!(extra_tick_lines(&l), 1);
        // 40 pixels: staggered over two rows, each with 80.
        let l = tick_layout(&hours, 40.0, w);
        assert!(fits(&l, 80.0), "{l:?}");
        assert_eq!((l[0].1, l[1].1), (0, 2));
        // A word too long for any room is cut with "…".
        let l = tick_layout(&["abcdefghijklmnop".into(), "q".into()], 40.0, w);
        assert!(l[0].0[0].ends_with('…') && fits(&l, 80.0), "{l:?}");
        // On a chart, the labels are drawn as wrapped.
        let d = LineData {
            x_names: Some(hours.clone()),
            ..one_series((0..8).map(f64::from).collect(), vec![40.0; 8])
        };
        let svg = line_svg(&d);
        assert!(
            svg.contains("\n06:00–\n") && !svg.contains("\n06:00–22:00\n"),
            "{svg}"
        );
    }

    /// The heatmap's note on its noise shows a small half-width with its first significant
    /// digit ("±0.01 days", not "±0.0"), and a cell without a value has a legend entry.
    #[test]
    fn the_heatmap_says_small_noise_and_empty_cells() {
        assert_eq!(significant_decimals(0.012, 1), 2);
        assert_eq!(significant_decimals(0.7, 1), 1);
        assert_eq!(significant_decimals(3.0, 0), 0);
        let dir = tempfile::tempdir().unwrap();
        heatmap(
            &dir.path().join("h"),
            &HeatData {
                missing: "no run reached t90 (90% processed) by the horizon".into(),
                ..heat_data(
                    "P90 t90 [days]",
                    0.012,
                    "the 95% CI of the mean",
                    vec![vec![40.0, 40.01], vec![f64::NAN, 40.02]],
                )
            },
        )
        .unwrap();
        let svg = std::fs::read_to_string(dir.path().join("h.svg")).unwrap();
        assert!(svg.contains("±0.01 days"), "{svg}");
        assert!(!svg.contains("±0.0 days"), "{svg}");
        assert!(svg.contains("–: no value"), "{svg}");
        assert!(svg.contains("no run reached t90"), "{svg}");
    }

    /// The note under a widened colour scale is wrapped to the legend column's width: no line
    /// would have room for the next line's first word (it had been broken by hand and at 28
    /// characters: "The cells differ by" / "less than 0.1 days:" beside half a column of room),
    /// none runs past it, and a figure keeps its unit on its line.
    #[test]
    fn the_heatmap_note_fills_the_legend_column() {
        let dir = tempfile::tempdir().unwrap();
        heatmap(
            &dir.path().join("h"),
            &heat_data(
                "P90 clearance [days]",
                8.5,
                "the 95% CI of the mean clearance; that of a P90 is wider",
                vec![vec![151.1, 151.12], vec![151.13, 151.14]],
            ),
        )
        .unwrap();
        let svg = std::fs::read_to_string(dir.path().join("h.svg")).unwrap();
        let texts: Vec<String> = svg
            .split("<text")
            .skip(1)
            .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim().into()))
            .collect();
        let first = texts
            .iter()
            .position(|t| t.starts_with("Bracket:"))
            .unwrap();
        let last = first
            + texts[first..]
                .iter()
                .position(|t| t.ends_with("wider)."))
                .unwrap();
        let lines = &texts[first..=last];
        assert!(
            lines.join(" ").starts_with(
                "Bracket: the range of the cells. The cells differ by less than 0.1 days: the \
                 scale is widened to at least 5% of the mean or 4 × ±8.5 days (±8.5 days:"
            ),
            "{lines:?}"
        );
        // Measured as drawn, on a column as wide as the legend's.
        let mut buf = String::new();
        let area = SVGBackend::with_string(&mut buf, (300, 100)).into_drawing_area();
        let width = note_width(&area);
        for (k, l) in lines.iter().enumerate() {
            assert!(text_width(&area, l) <= width, "{l:?} is too wide");
            if let Some(next) = lines.get(k + 1) {
                // (a figure with its unit is one word: "(±8.5 days:")
                let mut words = next.split(' ');
                let mut word = words.next().unwrap().to_string();
                if word.contains('±') {
                    word = format!("{word} {}", words.next().unwrap());
                }
                assert!(
                    text_width(&area, &format!("{l} {word}")) > width,
                    "{l:?} has room for {word:?}: {lines:?}"
                );
            }
        }
        assert!(lines
            .iter()
            .all(|l| !l.ends_with('±') && !l.starts_with("days")));
    }

    #[test]
    fn cell_labels_contrast_with_their_cell() {
        assert_eq!(text_color(heat_color(1.0)), WHITE); // dark purple
        assert_eq!(text_color(heat_color(0.0)), OI_BLACK); // light yellow
    }

    #[test]
    fn charts_are_written_as_png_and_svg() {
        let d = tempfile::tempdir().unwrap();
        let files = line_chart(
            &d.path().join("line"),
            &LineData {
                title: "t".into(),
                subtitle: "s".into(),
                x_label: "quota".into(),
                y_label: "days".into(),
                xs: vec![200.0, 300.0, 400.0],
                x_names: None,
                series: vec![
                    ("Mean".into(), vec![148.0, 139.0, 137.0]),
                    ("P50".into(), vec![150.0, 140.0, 138.0]),
                ],
                lower_bounds: vec![vec![], vec![true, false, false]],
                intervals: vec![],
                interval_labels: vec![],
                ..Default::default()
            },
        )
        .unwrap();
        // The series differ in pattern: the mean solid, the P50 dashed (drawn as many pieces).
        let line = std::fs::read_to_string(d.path().join("line.svg")).unwrap();
        assert!(line.matches("<polyline").count() > 50, "{line}");
        let problems = crate::output::charts::svg_text_problems(&line);
        assert!(problems.is_empty(), "{problems:#?}");
        let files2 = heatmap(
            &d.path().join("heat"),
            &HeatData {
                lower_bounds: vec![vec![false, true]],
                ..heat_data(
                    "P90 clearance [days]",
                    0.5,
                    "the 95% CI of the mean",
                    vec![vec![1.0, 2.0]],
                )
            },
        )
        .unwrap();
        let files3 = tornado(
            &d.path().join("tornado"),
            "t",
            "s",
            "days",
            &[TornadoPanel {
                title: "P50".into(),
                baseline: 140.0,
                bars: vec![TornadoBar {
                    label: "quota".into(),
                    low: 150.0,
                    high: 135.0,
                    low_bound: true,
                    high_bound: false,
                    ..Default::default()
                }],
            }],
            &TornadoNotes::default(),
        )
        .unwrap();
        for f in files.iter().chain(&files2).chain(&files3) {
            let bytes = std::fs::read(f).unwrap();
            assert!(bytes.len() > 1000, "{} is too small", f.display());
        }
        let svg = std::fs::read_to_string(d.path().join("tornado.svg")).unwrap();
        // one factor, one label (the empty second row had repeated it)
        assert_eq!(
            svg.matches(">quota<").count() + svg.matches(">\nquota\n<").count(),
            1
        );
        assert!(svg.contains("quota"));
        assert!(svg.contains("≥150") && !svg.contains("≥135"));
        // Lower bounds: an open marker with its legend entry, a "≥" cell.
        let svg = std::fs::read_to_string(d.path().join("line.svg")).unwrap();
        assert!(svg.contains("≥: some runs not cleared"));
        let svg = std::fs::read_to_string(d.path().join("heat.svg")).unwrap();
        assert!(svg.contains("≥2.0") && !svg.contains("≥1.0"));
    }
}
