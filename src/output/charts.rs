//! Charts of a run, each written as PNG (rendered with the bundled DejaVu Sans through ab_glyph,
//! never a system font) and as SVG: the backlog fan chart, the clearance-time distribution,
//! cumulative processing, per-port throughput against quota, queues, and the bottleneck chart.
//!
//! Every chart is drawn by one function generic over the plotters backend, so the PNG and the SVG
//! are the same drawing. Colours are the Okabe–Ito colour-blind-safe palette; legends sit in a
//! column to the right of the plot so that they never cover data. The frame (title, grey
//! subtitle, legend column), the legend and the palette are shared with the sweep charts
//! (`experiment_charts`) and the observed chart (`observed_chart`), so that all look alike. Charts draw at most a few
//! thousand vertices each (daily bands, ≤ 40 histogram bins), whatever the number of replications.

use super::{atomic_write, OutputError};
use crate::analysis::{bind_with, BottleneckReport, PeriodBinding, RowPeople, Stage};
use crate::experiment::Band;
use crate::format::fmt_int;
use crate::model::capacity::{quota, UNLIMITED};
use crate::scenario::Scenario;
use crate::stats::quantile_sorted;
use chrono::{Datelike, NaiveDate};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Once;

/// What the charts read from a run (the run view the analysis reads too).
pub type ChartInput<'a> = crate::experiment::RunView<'a>;

/// The charts, in the order the report shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    /// `fan.png`: people remaining in the backlog over time, the median and bands over
    /// replications.
    Fan,
    /// `clearance-distribution.png`: when the backlog is cleared, over replications.
    ClearanceDistribution,
    /// `cumulative-processed.png`: people processed at the ports, cumulative, per port.
    CumulativeProcessed,
    /// `ports.png`: people processed per day at each port, a panel a port, with its quota.
    Ports,
    /// `queues.png`: people waiting at each stage over time.
    Queues,
    /// `bottleneck.png`: the stages' capacities and the stage that binds.
    Bottleneck,
}

impl Chart {
    /// Every chart, in the report's order: a new variant must be added here too, or it is
    /// never drawn (the compiler does not check this list).
    pub const ALL: [Chart; 6] = [
        Chart::Fan,
        Chart::ClearanceDistribution,
        Chart::CumulativeProcessed,
        Chart::Ports,
        Chart::Queues,
        Chart::Bottleneck,
    ];

    /// File stem: `fan` -> `fan.png`, `fan.svg`.
    pub fn name(&self) -> &'static str {
        match self {
            Chart::Fan => "fan",
            Chart::ClearanceDistribution => "clearance-distribution",
            Chart::CumulativeProcessed => "cumulative-processed",
            Chart::Ports => "ports",
            Chart::Queues => "queues",
            Chart::Bottleneck => "bottleneck",
        }
    }

    /// Title shown on the chart and in the report.
    pub fn title(&self) -> &'static str {
        match self {
            Chart::Fan => "People remaining in the backlog",
            Chart::ClearanceDistribution => "When is the backlog cleared?",
            Chart::CumulativeProcessed => "People processed at the ports, cumulative",
            Chart::Ports => "People processed per day at each port",
            Chart::Queues => "People waiting at each stage",
            Chart::Bottleneck => "Stage capacities and the stage that binds",
        }
    }

    /// Pixel size of the PNG (and of the SVG's viewport) for a scenario of `ports` ports: the
    /// ports chart is 280 pixels taller a panel, and draws at most [`PORT_PANELS`] panels.
    pub fn size(&self, ports: usize) -> (u32, u32) {
        match self {
            Chart::Ports => (
                WIDTH,
                (90 + 280 * ports.min(PORT_PANELS) as u32).max(HEIGHT),
            ),
            _ => (WIDTH, HEIGHT),
        }
    }
}

/// Most panels the ports chart draws, one a port: with more ports, the panels of the
/// `PORT_PANELS` ports that processed the most people (mean over the replications), most first.
/// Twelve panels of 280 pixels make a chart 3,450 pixels tall, about four screens, each panel
/// still tall enough to read its quota and band; a panel a port had made the chart of 1,000
/// ports 280,090 pixels tall (a bitmap of about 1 GB, 1.2 GB of memory to draw it, and no
/// viewer opens it). Every port's figures are in `daily.csv` and `summary.json`.
pub const PORT_PANELS: usize = 12;

/// Most ports the queues and cumulative charts draw a line for: with more, the lines of the
/// `PORT_LINES` ports that processed the most people, as the ports chart chooses them, and the
/// legend counts the others; more lines could not be told apart (1,000 had filled the plot).
/// Of those, the [`PORT_PANELS`] that processed the most (the ports chart's panels) are drawn
/// in their colours and patterns, each with its legend entry, and the others as thin grey
/// lines behind them under one entry: at 13 to 16 ports a line each in colours and patterns
/// that repeat after eight, in a legend of 16 entries set closer, could not be read.
pub const PORT_LINES: usize = 16;

/// The thin grey lines of the ports the queues and cumulative charts draw beyond the
/// [`PORT_PANELS`] they draw in colour: lighter than the stages' grey (transit, the people to
/// clear), which is dashed and 2 pixels wide.
const OTHER_PORTS: RGBColor = RGBColor(175, 175, 175);

/// Default chart size \[pixels\].
pub const WIDTH: u32 = 1200;
/// Default chart height \[pixels\] (the ports chart grows with its panels).
pub const HEIGHT: u32 = 700;
const LEGEND_W: u32 = 300;
const HEADER_H: u32 = 82;

// Okabe–Ito palette.
/// Okabe–Ito black.
pub const OI_BLACK: RGBColor = RGBColor(0, 0, 0);
/// Okabe–Ito orange.
pub const OI_ORANGE: RGBColor = RGBColor(230, 159, 0);
/// Okabe–Ito sky blue.
pub const OI_SKY: RGBColor = RGBColor(86, 180, 233);
/// Okabe–Ito bluish green.
pub const OI_GREEN: RGBColor = RGBColor(0, 158, 115);
/// Okabe–Ito yellow (too faint on white for lines: see the darkened yellow used for those).
pub const OI_YELLOW: RGBColor = RGBColor(240, 228, 66);
/// Okabe–Ito blue.
pub const OI_BLUE: RGBColor = RGBColor(0, 114, 178);
/// Okabe–Ito vermillion.
pub const OI_VERMILLION: RGBColor = RGBColor(213, 94, 0);
/// Okabe–Ito reddish purple.
pub const OI_PURPLE: RGBColor = RGBColor(204, 121, 167);
pub(crate) const GREY: RGBColor = RGBColor(110, 110, 110);
/// Okabe–Ito yellow darkened for lines and small marks: the pure yellow is too faint on white.
pub const OI_YELLOW_DARK: RGBColor = RGBColor(170, 150, 0);
/// Colours of ports, in scenario order. Orange, sky blue, grey, black and the health check's
/// lavender are the stages' and the totals' (screening, transport, registration and transit, all
/// ports, the health check) and are never a port's: the first five are Okabe–Ito colours (yellow
/// darkened), the last three dark colours apart from them and from each other, chosen so that
/// under simulated deuteranopia and protanopia none is near one of the first five (the slate
/// blue that had been sixth was, there, the first's blue). With more than eight ports a ninth
/// and on reuse them (cycled), each with another dash pattern than the port of its colour
/// before ([`port_dash`]).
pub(crate) const PORT_COLORS: [RGBColor; 8] = [
    OI_BLUE,
    OI_VERMILLION,
    OI_GREEN,
    OI_PURPLE,
    OI_YELLOW_DARK,
    RGBColor(30, 30, 200), // ultramarine
    RGBColor(120, 20, 20), // maroon
    RGBColor(0, 80, 80),   // dark teal
];

/// Processed people, all ports, in the bottleneck chart: a colour no port or stage has.
const PROCESSED_ALL: RGBColor = RGBColor(140, 80, 20); // brown

/// The health check, where it binds in the bottleneck chart: a colour no port or stage has.
const HEALTH: RGBColor = RGBColor(170, 130, 200); // lavender

fn port_color(p: usize) -> RGBColor {
    PORT_COLORS[p % PORT_COLORS.len()]
}

/// Dash pattern of port `p`'s line in the queues and cumulative charts ([`PORT_DASHES`]):
/// the first eight ports each their own, then shifted by one pattern for each round of the
/// colours, so that a ninth port, blue as the first, is not drawn in the first's pattern too
/// (the pair of colour and pattern is a port's own up to 64 ports).
fn port_dash(p: usize) -> Dash {
    PORT_DASHES[(p + p / PORT_COLORS.len()) % PORT_DASHES.len()]
}

pub(crate) const FONT: &str = "sans-serif";
static FONT_BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
static FONT_ONCE: Once = Once::new();

/// Register the bundled DejaVu Sans as "sans-serif" (once per process).
pub fn ensure_font() {
    FONT_ONCE.call_once(|| {
        // The bundled font is valid; should registration fail, text is simply not drawn.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES);
    });
}

/// Everything the drawing functions need, computed once per run.
struct Ctx<'a> {
    scn: &'a Scenario,
    input: ChartInput<'a>,
    rep: BottleneckReport,
    bindings: Vec<PeriodBinding>,
    /// Sorted clearance days over replications.
    clear: Vec<f64>,
    /// Days on the x axis \[days\].
    x_end: f64,
    /// The ports in the order the charts draw them ([`port_order`]): scenario order with up to
    /// [`PORT_PANELS`] ports, else by people processed, most first.
    order: Vec<usize>,
    /// Each port's place in `order`: the colour and pattern it is drawn in.
    slot: Vec<usize>,
}

impl Ctx<'_> {
    fn q(&self, p: f64) -> Option<f64> {
        (!self.clear.is_empty()).then(|| quantile_sorted(&self.clear, p))
    }

    /// The date of time `day` \[days\], as the model dates events ([`Scenario::date_of`]: a
    /// time within round-off short of a midnight is in the day that starts there).
    fn date(&self, day: f64) -> NaiveDate {
        self.scn.date_of(day)
    }

    fn series(&self, name: &str) -> Option<Vec<Band>> {
        let d = self.input.daily;
        let s = d.series_index(name)?;
        Some((0..d.days).map(|day| *d.get(day, s)).collect())
    }

    /// The colour of port `p`, after its place in the charts' order ([`PORT_COLORS`]).
    fn port_color(&self, p: usize) -> RGBColor {
        port_color(self.slot.get(p).copied().unwrap_or(p))
    }

    /// The dash pattern of port `p`, after its place in the charts' order ([`PORT_DASHES`]).
    fn port_dash(&self, p: usize) -> Dash {
        port_dash(self.slot.get(p).copied().unwrap_or(p))
    }

    /// The ports a chart draws, at most `cap` of them, in the charts' order: every port when
    /// there are no more than `cap`, else the `cap` that processed the most people.
    fn drawn_ports(&self, cap: usize) -> &[usize] {
        &self.order[..self.order.len().min(cap)]
    }

    /// The ports a line chart draws as thin grey lines, after the [`PORT_PANELS`] it draws in
    /// colour and up to [`PORT_LINES`] in all: none with 12 ports or fewer.
    fn grey_ports(&self) -> &[usize] {
        let n = self.order.len();
        &self.order[n.min(PORT_PANELS)..n.min(PORT_LINES)]
    }

    /// The legend's entry for the ports drawn as thin grey lines ([`Ctx::grey_ports`]):
    /// "4 more ports (fewer processed), each a thin grey line"; for one, "1 more port (fewer
    /// processed), a thin grey line".
    fn grey_entry(&self) -> Option<(String, Mark)> {
        let k = self.grey_ports().len();
        (k > 0).then(|| {
            (
                if k == 1 {
                    "1 more port (fewer processed), a thin grey line".to_string()
                } else {
                    format!("{k} more ports (fewer processed), each a thin grey line")
                },
                Mark::Line(OTHER_PORTS, 1),
            )
        })
    }

    /// The legend's note on the ports a chart leaves out when it draws only `cap` of them:
    /// "988 other ports not drawn (fewer processed); every port is in daily.csv".
    fn left_out_note(&self, cap: usize) -> Option<(String, Mark)> {
        let n = self.scn.ports.len();
        (n > cap).then(|| {
            let k = n - cap;
            (
                format!(
                    "{} other port{} not drawn (fewer processed); every port is in daily.csv",
                    fmt_int(k as f64),
                    if k == 1 { "" } else { "s" }
                ),
                Mark::Note,
            )
        })
    }

    fn subtitle(&self) -> String {
        self.subtitle_with("")
    }

    /// The subtitle with `extra` (" · …") after the replications and start.
    fn subtitle_with(&self, extra: &str) -> String {
        let n = self.input.clearance_days.len();
        let cens = self.input.summary.censored;
        let mut rest = format!(
            " · {} replication{} · start {}",
            n,
            if n == 1 { "" } else { "s" },
            self.scn.start_date.format("%Y-%m-%d")
        );
        if cens > 0 {
            rest.push_str(&format!(" · {cens} censored at the horizon"));
        }
        rest.push_str(extra);
        subtitle_with_set(
            &self.scn.name,
            &self.input.summary.scenario.overrides,
            &rest,
        )
    }
}

/// Characters a chart's subtitle holds on one line (DejaVu Sans of [`TEXT_SIZE`] from x = 20 in
/// a 1,200-pixel chart, up to about 9 pixels a character: 137 characters of a subtitle measured
/// 1,090 pixels at size 16).
const SUBTITLE_CHARS: usize = 126;

/// Characters of a subtitle within which [`subtitle_with_set`] names the `--set` values (the
/// line's length at the smaller print the charts had): a subtitle longer than a line is broken
/// into lines by [`subtitle_lines`], so that the larger print names as many values as before.
const SET_CHARS: usize = 145;

/// A chart's subtitle: the scenario's name, the `--set` values the run applied (`PATH=VALUE`),
/// then `rest`. The values are named in full while the line has room, and the ones left over
/// counted ("· with --set a=1, b=2 (+3 more)"; "· with 2 --set values" when not even the first
/// fits), so that a chart of a run with overrides never
/// passes for one of the scenario as written.
pub(crate) fn subtitle_with_set(name: &str, overrides: &[String], rest: &str) -> String {
    let mut s = name.to_string();
    if !overrides.is_empty() {
        let used = |s: &str| s.chars().count() + rest.chars().count();
        s.push_str(" · with --set ");
        for (i, o) in overrides.iter().enumerate() {
            let left = overrides.len() - i - 1;
            let more = if left > 0 {
                format!(" (+{left} more)")
            } else {
                String::new()
            };
            let sep = if i == 0 { "" } else { ", " };
            let fits = used(&s) + sep.len() + o.chars().count() + more.chars().count() <= SET_CHARS;
            if !fits && i > 0 {
                s.push_str(&format!(" (+{} more)", overrides.len() - i));
                return s + rest;
            }
            if !fits {
                // Not even the first value fits whole: the values are counted, not cut (a value
                // cut short could read as another one).
                let k = overrides.len();
                return format!(
                    "{name} · with {k} --set value{}{rest}",
                    if k == 1 { "" } else { "s" }
                );
            }
            s.push_str(sep);
            s.push_str(o);
        }
    }
    s + rest
}

pub(crate) type DResult = Result<(), String>;

pub(crate) fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// The clearance percentiles' marker patterns: P50 dashed, P90 dash-dot, P95 dotted (in the
/// fan, distribution and bottleneck charts), so that the markers differ in print as well as in
/// colour.
const P50_DASH: Dash = DASHED;
const P90_DASH: Dash = DASH_DOT;
const P95_DASH: Dash = DOTTED;

/// Legend marks.
#[derive(Clone, Copy)]
pub(crate) enum Mark {
    Line(RGBColor, u32),
    /// A line of the markers' pattern, [`DASHED`], 2 pixels wide.
    Dashed(RGBColor),
    /// A line `width` pixels wide with a dash pattern.
    Styled(RGBColor, u32, Dash),
    Band(RGBColor, f64),
    /// A point: filled, or a ring.
    Dot(RGBColor, bool),
    /// A filled box hatched in white (a week with no capacity in the bottleneck strip).
    Hatched(RGBColor),
    /// No mark: a note under the entries, in grey (what a word of the chart means).
    Note,
    /// An interval: a vertical whisker with caps at both ends.
    Whisker(RGBColor),
    /// A bound: a ring with an arrow pointing up (a lower bound: at least) or down (an upper
    /// bound: at most), as `output::observed_chart` draws an observed bound.
    Bound(RGBColor, bool),
}

/// Text sizes of the charts, in plotters' font size: with the bundled DejaVu Sans a size of
/// `s` draws about `s / 1.24` pixels to the em (`s / 1.16` as rendered), so that the smallest
/// text, [`TEXT_SIZE`], is at least 14 pixels to the em: about 8 pt when a 1,200-pixel chart is
/// printed across a page (at 12, the size it had, it was about 5 pt).
pub(crate) const TITLE_SIZE: u32 = 32;
/// Axis names [plotters font size].
pub(crate) const AXIS_SIZE: u32 = 20;
/// Tick labels, legend entries, marker labels and subtitles: the smallest text of a chart
/// [plotters font size].
pub(crate) const TEXT_SIZE: u32 = 18;

/// A dash pattern: lengths in pixels of dash, gap, dash, gap, … repeated along a line; empty
/// for a solid line. Every series of a chart has its own pattern (or is the one solid line), so
/// that lines of near grey levels (orange and sky blue, in greyscale print or to a reader with
/// deuteranopia) are told apart by more than their hue; the legend draws the same pattern.
pub(crate) type Dash = &'static [u32];
pub(crate) const SOLID: Dash = &[];
/// The date markers' pattern (P50 clearance, the capacity bound).
pub(crate) const DASHED: Dash = &[8, 5];
pub(crate) const LONG_DASH: Dash = &[18, 6];
pub(crate) const SHORT_DASH: Dash = &[4, 4];
pub(crate) const DOTTED: Dash = &[2, 4];
/// The P90's marker.
pub(crate) const DASH_DOT: Dash = &[12, 4, 2, 4];
pub(crate) const DASH_DOT_DOT: Dash = &[12, 4, 2, 4, 2, 4];
pub(crate) const LONG_SHORT: Dash = &[18, 4, 6, 4];
const DASH_DASH_DOT: Dash = &[10, 4, 10, 4, 2, 4];
const LONG_SHORT_SHORT: Dash = &[18, 4, 6, 4, 6, 4];
const DASH_DOT_DOT_DOT: Dash = &[12, 4, 2, 4, 2, 4, 2, 4];
/// Dashes with gaps longer than themselves.
const SPARSE_DASH: Dash = &[8, 12];
/// Dots far apart.
const SPARSE_DOT: Dash = &[2, 10];

/// Patterns of the sweep chart's series in order, cycled: mean solid, then the P50's and the
/// P90's patterns of the run charts, then others; each differs from the others in the lengths
/// of its dashes or in their rhythm.
pub(crate) const SERIES_DASHES: [Dash; 8] = [
    SOLID,
    DASHED,
    DASH_DOT,
    DOTTED,
    LONG_DASH,
    SHORT_DASH,
    DASH_DOT_DOT,
    LONG_SHORT,
];

/// The runs of a polyline `pts` (pixels) that `pattern` draws: the dashes, each a polyline,
/// the pattern running on across the vertices (a daily series' dashes do not restart each day),
/// starting `phase` pixels into it. A solid pattern gives the polyline whole.
pub(crate) fn dash_runs(pts: &[(f64, f64)], pattern: Dash, phase: f64) -> Vec<Vec<(f64, f64)>> {
    let period: f64 = pattern.iter().map(|v| f64::from(*v)).sum();
    if pattern.is_empty() || period <= 0.0 || pts.len() < 2 {
        return vec![pts.to_vec()];
    }
    // Where in the pattern the line starts: element `k`, `left` pixels of it to go.
    let mut k = 0;
    let mut left = f64::from(pattern[0]);
    let mut skip = phase.rem_euclid(period);
    while skip > 0.0 {
        if skip >= left {
            skip -= left;
            k = (k + 1) % pattern.len();
            left = f64::from(pattern[k]);
        } else {
            left -= skip;
            skip = 0.0;
        }
    }
    let mut out = Vec::new();
    let mut cur: Vec<(f64, f64)> = if k % 2 == 0 { vec![pts[0]] } else { vec![] };
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let mut at = 0.0;
        while len - at > left {
            at += left;
            let t = at / len;
            let p = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            if k % 2 == 0 {
                cur.push(p);
                out.push(std::mem::take(&mut cur));
            } else {
                cur = vec![p];
            }
            k = (k + 1) % pattern.len();
            left = f64::from(pattern[k]);
        }
        left -= len - at;
        if k % 2 == 0 {
            cur.push(b);
        }
    }
    if cur.len() > 1 {
        out.push(cur);
    }
    out
}

/// Draw the polyline `pts` (pixels of `area`) with `pattern`, `phase` pixels into it.
pub(crate) fn draw_dashed_px<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    pts: &[(i32, i32)],
    style: ShapeStyle,
    pattern: Dash,
    phase: f64,
) -> DResult {
    let f: Vec<(f64, f64)> = pts
        .iter()
        .map(|p| (f64::from(p.0), f64::from(p.1)))
        .collect();
    for run in dash_runs(&f, pattern, phase) {
        let px: Vec<(i32, i32)> = run
            .iter()
            .map(|p| (p.0.round() as i32, p.1.round() as i32))
            .collect();
        area.draw(&PathElement::new(px, style)).map_err(err)?;
    }
    Ok(())
}

/// Draw a line through data points `pts` of `chart` in `color`, `width` pixels wide, with
/// `pattern` (solid: a plotters line series; otherwise dashed in pixels, so that a pattern looks
/// the same whatever the axes' scales).
pub(crate) fn draw_line<DB: DrawingBackend, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    pts: impl IntoIterator<Item = (f64, f64)>,
    color: RGBColor,
    width: u32,
    pattern: Dash,
) -> DResult
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    if pattern.is_empty() {
        chart
            .draw_series(LineSeries::new(pts, color.stroke_width(width)))
            .map_err(err)?;
        return Ok(());
    }
    let area = chart.plotting_area().strip_coord_spec();
    let (bx, by) = area.get_base_pixel();
    let px: Vec<(i32, i32)> = pts
        .into_iter()
        .map(|p| {
            let (x, y) = chart.backend_coord(&p);
            (x - bx, y - by)
        })
        .collect();
    draw_dashed_px(&area, &px, color.stroke_width(width), pattern, 0.0)
}

/// Relative luminance of a colour (WCAG 2: sRGB channels linearised, weighted 0.2126 R,
/// 0.7152 G, 0.0722 B): 0 for black, 1 for white; what a greyscale print keeps of it.
pub(crate) fn luminance(c: RGBColor) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// WCAG 2 contrast ratio of two colours, from 1 (none) to 21 (black on white).
pub(crate) fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Contrast on white that chart text has at least (WCAG AA for normal text).
pub(crate) const TEXT_CONTRAST: f64 = 4.5;

/// The colour to write text of a line's colour `c` in on white: `c` itself when it has
/// [`TEXT_CONTRAST`] on white, else the lightest darker shade of the same hue (its channels
/// scaled down together) that has. The Okabe–Ito orange (2.2:1) and reddish purple (3.1:1) are
/// too light for text; lines and fills keep them.
pub(crate) fn ink(c: RGBColor) -> RGBColor {
    let mut k = 1.0;
    loop {
        let scale = |v: u8| (f64::from(v) * k).round() as u8;
        let d = RGBColor(scale(c.0), scale(c.1), scale(c.2));
        // A margin over the threshold, so that rounding in a viewer cannot take it under.
        if contrast(d, WHITE) >= TEXT_CONTRAST + 0.1 || k <= 0.0 {
            return d;
        }
        k -= 0.01;
    }
}

/// The plot area and the legend column of a chart.
pub(crate) type Areas<DB> = (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>);

/// The lines a subtitle is drawn on: each of at most [`SUBTITLE_CHARS`], a longer line broken
/// after its last " · " that fits (the "·" kept at the line's end, so that the next line reads
/// as its continuation), else at a space ([`wrap`]). A line break in `subtitle` is kept.
pub(crate) fn subtitle_lines(subtitle: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for given in subtitle.lines() {
        let mut s = given.to_string();
        while s.chars().count() > SUBTITLE_CHARS {
            let head: String = s.chars().take(SUBTITLE_CHARS).collect();
            let (line, rest) = match head.rfind(" · ") {
                Some(i) if i > 0 => (
                    s[..i + " ·".len()].to_string(),
                    s[i + " · ".len()..].to_string(),
                ),
                _ => match wrap(&s, SUBTITLE_CHARS) {
                    (line, Some(rest)) => (line, rest),
                    // One word longer than the line: nothing to break at.
                    (line, None) => (line, String::new()),
                },
            };
            lines.push(line);
            s = rest;
        }
        if !s.is_empty() {
            lines.push(s);
        }
    }
    lines
}

/// Height of a line of a subtitle after its first \[px\].
const SUBTITLE_LINE: u32 = 23;

/// Height of the title and the subtitle above a chart's body \[px\]: one more subtitle line
/// (see [`subtitle_lines`]) each makes it [`SUBTITLE_LINE`] taller.
pub(crate) fn header_height(subtitle: &str) -> u32 {
    HEADER_H + SUBTITLE_LINE * (subtitle_lines(subtitle).len().max(1) as u32 - 1)
}

/// Title and subtitle on white (the subtitle on as many lines as [`subtitle_lines`] needs);
/// returns the area under them.
pub(crate) fn header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> Result<DrawingArea<DB, Shift>, String> {
    root.fill(&WHITE).map_err(err)?;
    root.draw(&Text::new(
        title.to_string(),
        (20, 12),
        (FONT, TITLE_SIZE).into_font().color(&OI_BLACK),
    ))
    .map_err(err)?;
    for (k, line) in subtitle_lines(subtitle).into_iter().enumerate() {
        root.draw(&Text::new(
            line,
            (20, 54 + (SUBTITLE_LINE * k as u32) as i32),
            (FONT, TEXT_SIZE).into_font().color(&GREY),
        ))
        .map_err(err)?;
    }
    let (_, body) = root.split_vertically(header_height(subtitle));
    Ok(body)
}

/// Title, subtitle, then the plot area and the legend column.
pub(crate) fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> Result<Areas<DB>, String> {
    let body = header(root, title, subtitle)?;
    let (w, _) = body.dim_in_pixel();
    let (plot, legend) = body.split_horizontally(w.saturating_sub(LEGEND_W));
    Ok((plot, legend))
}

/// An observed bound's marker at pixel `at` of `area`: a ring of radius 5 with an arrow `len`
/// pixels long past it, pointing up for a lower bound (the value is at least this) or down for
/// an upper bound (at most this).
pub(crate) fn draw_bound_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    c: RGBColor,
    lower: bool,
    len: i32,
) -> DResult {
    let dir = if lower { -1 } else { 1 };
    let (x, y) = at;
    area.draw(&Circle::new(at, 5, c.stroke_width(2)))
        .map_err(err)?;
    let tip = (x, y + dir * (5 + len));
    area.draw(&PathElement::new(
        vec![(x, y + dir * 5), tip],
        c.stroke_width(2),
    ))
    .map_err(err)?;
    let base = tip.1 - dir * 7;
    area.draw(&Polygon::new(
        vec![(x - 5, base), (x + 5, base), tip],
        c.filled(),
    ))
    .map_err(err)?;
    Ok(())
}

pub(crate) fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[(String, Mark)],
) -> DResult {
    let font = (FONT, TEXT_SIZE).into_font().color(&OI_BLACK);
    // The entries' step, 32 px (22 px a wrapped line), shrinks to what the column's height
    // holds (down to 22 px, 19 px a line: text of 18 px): 16 ports' entries had run past the
    // bottom, "Waiting at Port 14" cut in half and the last two clamped onto it. What still
    // does not fit ends in "… and N more", naming them as far as the column allows.
    let (_, height) = area.dim_in_pixel();
    let lines = |(label, mark): &(String, Mark)| -> i32 {
        let width = if matches!(mark, Mark::Note) {
            30
        } else {
            LEGEND_CHARS
        };
        let (mut n, mut rest) = (0, Some(label.clone()));
        while let Some(r) = rest {
            n += 1;
            rest = wrap(&r, width).1;
        }
        n
    };
    let need = |step: i32, line: i32, items: &[(String, Mark)]| -> i32 {
        24 + items
            .iter()
            .map(|i| step + line * (lines(i) - 1))
            .sum::<i32>()
    };
    let room = height as i32 - 4;
    let (mut step, mut line) = (32, 22);
    if need(step, line, items) > room {
        line = 19;
        let extra: i32 = items.iter().map(|i| 19 * (lines(i) - 1)).sum();
        let n = items.len().max(1) as i32;
        step = ((room - 24 - extra) / n).clamp(22, 32);
    }
    let mut shown: Vec<(String, Mark)> = items.to_vec();
    if need(step, line, &shown) > room {
        // Keep the entries that fit with the note of the rest under them: the most entries
        // with every other name in the note, or, when no number of entries leaves room for all
        // the names (a thousand ports), the most entries with the note cut to the lines left
        // under them, its names ending in "…" ("… and 988 more" alone when none fits). The
        // note had named them all whatever their number, running past the image's bottom.
        // Notes at the end of the legend ("984 other ports not drawn") stay whole under it,
        // not counted among the entries left out.
        let notes = items
            .iter()
            .rev()
            .take_while(|(_, m)| matches!(m, Mark::Note))
            .count();
        let (items, tail) = items.split_at(items.len() - notes);
        let room = room
            - tail
                .iter()
                .map(|i| step + line * (lines(i) - 1))
                .sum::<i32>();
        let names = |keep: usize| -> Vec<&str> {
            items[keep..]
                .iter()
                .map(|(l, _)| l.split(": ").next().unwrap_or(l))
                .collect()
        };
        // Height of the first `keep` entries, as `need` counts it, for each `keep`.
        let mut above = vec![24];
        for i in items {
            above.push(above[above.len() - 1] + step + line * (lines(i) - 1));
        }
        let fits = |keep: usize, note: &str| {
            above[keep] + step + line * (lines(&(note.to_string(), Mark::Note)) - 1) <= room
        };
        // Lines the note has room for under `keep` entries: a note of more characters than
        // they hold (30 a line) cannot fit, and is not laid out.
        let note_lines = |keep: usize| (room - above[keep] - step) / line + 1;
        let with_note = |keep: usize, note: String| {
            let mut v = items[..keep].to_vec();
            v.push((note, Mark::Note));
            v
        };
        let whole = (1..items.len()).rev().find_map(|keep| {
            let rest = names(keep);
            let note = format!("… and {} more: {}", rest.len(), rest.join(", "));
            let short_enough = note.chars().count() as i32 <= 31 * note_lines(keep);
            (short_enough && fits(keep, &note)).then(|| with_note(keep, note))
        });
        shown = whole.unwrap_or_else(|| {
            (0..items.len())
                .rev()
                .find_map(|keep| {
                    let rest = names(keep);
                    let count = format!("… and {} more", fmt_int(rest.len() as f64));
                    if !fits(keep, &count) {
                        return None;
                    }
                    // As many names as fit, then "…".
                    let mut note = count.clone();
                    for k in 1..=rest.len() {
                        let longer = format!("{count}: {}, …", rest[..k].join(", "));
                        if !fits(keep, &longer) {
                            break;
                        }
                        note = longer;
                    }
                    Some(with_note(keep, note))
                })
                .unwrap_or_default()
        });
        shown.extend_from_slice(tail);
    }
    let items = &shown[..];
    let mut y = 24;
    for (label, mark) in items {
        // The swatch is wide enough to show two periods of the longest dash pattern.
        let (x0, x1, ym) = (8, 58, y + 8);
        match mark {
            Mark::Note => {}
            Mark::Whisker(c) => {
                let xm = (x0 + x1) / 2;
                for pts in [
                    vec![(xm, y), (xm, y + 16)],
                    vec![(xm - 7, y), (xm + 7, y)],
                    vec![(xm - 7, y + 16), (xm + 7, y + 16)],
                ] {
                    area.draw(&PathElement::new(pts, c.stroke_width(2)))
                        .map_err(err)?;
                }
            }
            Mark::Line(c, w) => area
                .draw(&PathElement::new(
                    vec![(x0, ym), (x1, ym)],
                    c.stroke_width(*w),
                ))
                .map_err(err)?,
            Mark::Dashed(c) => {
                draw_dashed_px(area, &[(x0, ym), (x1, ym)], c.stroke_width(2), DASHED, 0.0)?
            }
            Mark::Styled(c, w, pattern) => draw_dashed_px(
                area,
                &[(x0, ym), (x1, ym)],
                c.stroke_width(*w),
                pattern,
                0.0,
            )?,
            Mark::Band(c, a) => area
                .draw(&Rectangle::new([(x0, y), (x1, y + 16)], c.mix(*a).filled()))
                .map_err(err)?,
            Mark::Hatched(c) => {
                area.draw(&Rectangle::new([(x0, y), (x1, y + 16)], c.filled()))
                    .map_err(err)?;
                // The strip's hatch: diagonals rising 16 pixels over 16, `HATCH_PX` apart, from
                // the box's bottom edge.
                let px = |(u, v): (f64, f64)| (u as i32, y + 16 - (v * 16.0) as i32);
                for (a, b) in hatch(x0 as f64, x1 as f64, 16.0, HATCH_PX) {
                    area.draw(&PathElement::new(vec![px(a), px(b)], WHITE.stroke_width(2)))
                        .map_err(err)?;
                }
            }
            Mark::Dot(c, filled) => {
                let style = if *filled {
                    c.filled()
                } else {
                    c.stroke_width(2)
                };
                area.draw(&Circle::new(((x0 + x1) / 2, ym), 5, style))
                    .map_err(err)?
            }
            Mark::Bound(c, lower) => {
                let at = ((x0 + x1) / 2, ym + if *lower { 5 } else { -5 });
                draw_bound_marker(area, at, *c, *lower, 8)?
            }
        }
        // As many lines as the label needs: a second line of any length had run past the
        // chart's right edge ("clearance not expected before"). A note starts at the swatches'
        // left edge, in grey.
        let (x, width, style) = match mark {
            Mark::Note => (x0, 30, (FONT, TEXT_SIZE).into_font().color(&GREY)),
            _ => (x1 + 10, LEGEND_CHARS, font.clone()),
        };
        let mut rest = Some(label.clone());
        let mut first_line = true;
        while let Some(r) = rest {
            if !first_line {
                y += line;
            }
            first_line = false;
            let (line, more) = wrap(&r, width);
            area.draw(&Text::new(line, (x, y), style.clone()))
                .map_err(err)?;
            rest = more;
        }
        y += step;
    }
    Ok(())
}

/// Characters of a legend label's line beside its swatch (text of [`TEXT_SIZE`] in the legend
/// column, from 68 pixels to its right edge at 300).
pub(crate) const LEGEND_CHARS: usize = 24;

/// Split a label at a space near `n` characters; a first word longer than `n` is cut at `n`
/// characters (it had been kept whole, running past the chart's edge: a legend entry
/// "<script>alert(1)</script> (mean)" was cut off at the right edge of the canvas). A number
/// opening a parenthesis stays with the word after it where an earlier space allows:
/// "Replications per bin" / "(2 days)", not "Replications per bin (2" / "days)".
pub(crate) fn wrap(s: &str, n: usize) -> (String, Option<String>) {
    if s.chars().count() <= n {
        return (s.to_string(), None);
    }
    let idx: Vec<(usize, char)> = s.char_indices().collect();
    let spaces: Vec<usize> = idx
        .iter()
        .take(n + 1)
        .filter(|(_, c)| *c == ' ')
        .map(|(i, _)| *i)
        .collect();
    // the word before the space at `i` is "(2", "(1,000": a number its unit follows
    let glued = |i: usize| {
        let w = s[..i].rsplit(' ').next().unwrap_or("");
        w.len() > 1
            && w.starts_with('(')
            && w[1..]
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    };
    let cut = spaces
        .iter()
        .rev()
        .find(|&&i| i > 0 && !glued(i))
        .or(spaces.last())
        .copied();
    match cut {
        Some(i) if i > 0 => (s[..i].to_string(), Some(s[i + 1..].to_string())),
        _ => {
            let i = idx[n.max(1)].0;
            (s[..i].to_string(), Some(s[i..].to_string()))
        }
    }
}

/// `s` shortened to at most `n` characters, its end replaced by "…" when it is longer.
pub(crate) fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// A linear axis in days whose ticks are the given dates (month starts, Mondays, …).
#[derive(Debug, Clone)]
pub(crate) struct DayAxis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl DayAxis {
    pub(crate) fn new(start: NaiveDate, lo: f64, hi: f64) -> DayAxis {
        DayAxis {
            lo,
            hi,
            ticks: date_ticks(start, lo, hi),
        }
    }
}

impl Ranged for DayAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        if self.hi == self.lo {
            return (limit.0 + limit.1) / 2;
        }
        let r = (v - self.lo) / (self.hi - self.lo);
        limit.0 + ((limit.1 - limit.0) as f64 * r).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            vec![]
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// A linear axis of counts from 0 whose ticks fall on whole numbers only (a step of 1, 2 or 5
/// times a power of ten): plotters' own ticks on a short axis (0 to 2) fall at halves, which a
/// count label rounds into repeats ("0, 0, 1, 2, 2, 2").
#[derive(Debug, Clone)]
pub(crate) struct CountAxis {
    hi: f64,
}

impl CountAxis {
    pub(crate) fn new(hi: f64) -> CountAxis {
        CountAxis {
            hi: if hi.is_finite() && hi > 0.0 { hi } else { 1.0 },
        }
    }

    /// Whole-number tick values, at most `max` of them (at least 0 and one more when the axis
    /// reaches 1).
    pub(crate) fn ticks(&self, max: usize) -> Vec<f64> {
        let max = max.max(2) as f64;
        let mut step = 1.0_f64;
        'find: loop {
            for m in [1.0, 2.0, 5.0] {
                let s = step * m;
                if (self.hi / s).floor() + 1.0 <= max {
                    step = s;
                    break 'find;
                }
            }
            step *= 10.0;
        }
        let n = (self.hi / step).floor() as usize;
        (0..=n).map(|i| i as f64 * step).collect()
    }
}

impl Ranged for CountAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let r = v / self.hi;
        limit.0 + ((limit.1 - limit.0) as f64 * r).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            vec![]
        } else {
            self.ticks(hint.max_num_points())
        }
    }

    fn range(&self) -> Range<f64> {
        0.0..self.hi
    }
}

/// Line width for a series with one point per day: 2 pixels, or 1 over more than a year of
/// days, where a day is a pixel or two and the joins of a thick zigzag would spike past the
/// values (and below the axis).
fn daily_width(days: usize) -> u32 {
    if days > 366 {
        1
    } else {
        2
    }
}

/// Tick positions \[days\] for a date axis over [x0, x1]: every 2 days, Mondays, or month starts
/// (every month up to 250 days, then every 2, 3 or 6 months, every year, every 2 or 5 years).
fn date_ticks(start: NaiveDate, x0: f64, x1: f64) -> Vec<f64> {
    let span = (x1 - x0).max(1.0);
    let first = x0.ceil() as i64;
    let last = x1.floor() as i64;
    if span <= 21.0 {
        return (first..=last)
            .filter(|d| d % 2 == 0)
            .map(|d| d as f64)
            .collect();
    }
    if span <= 75.0 {
        return (first..=last)
            .filter(|d| (start + chrono::Duration::days(*d)).weekday() == chrono::Weekday::Mon)
            .map(|d| d as f64)
            .collect();
    }
    let step = if span <= 250.0 {
        1
    } else if span <= 500.0 {
        2
    } else if span <= 1000.0 {
        3
    } else if span <= 2000.0 {
        6
    } else if span <= 5000.0 {
        12
    } else if span <= 10000.0 {
        24
    } else {
        60
    };
    let mut out = Vec::new();
    let end = start + chrono::Duration::days(last);
    let mut m = NaiveDate::from_ymd_opt(start.year(), start.month(), 1).unwrap_or(start);
    while m <= end {
        let d = (m - start).num_days();
        let months = m.year() as i64 * 12 + m.month0() as i64;
        if d >= first && months.rem_euclid(step) == 0 {
            out.push(d as f64);
        }
        m = if m.month() == 12 {
            NaiveDate::from_ymd_opt(m.year() + 1, 1, 1).unwrap_or(end)
        } else {
            NaiveDate::from_ymd_opt(m.year(), m.month() + 1, 1).unwrap_or(end)
        };
        if m == end && (m - start).num_days() > last {
            break;
        }
    }
    out
}

pub(crate) fn date_label(start: NaiveDate, span: f64) -> impl Fn(&f64) -> String {
    let fmt = if span > 2000.0 {
        "%Y"
    } else if span > 250.0 {
        "%b %Y"
    } else {
        "%b %d"
    };
    move |x: &f64| {
        (start + chrono::Duration::days(x.round() as i64))
            .format(fmt)
            .to_string()
    }
}

pub(crate) fn date_desc(start: NaiveDate, x0: f64, x1: f64) -> String {
    let a = (start + chrono::Duration::days(x0 as i64)).year();
    let b = (start + chrono::Duration::days(x1 as i64)).year();
    if a == b {
        format!("Date ({a})")
    } else {
        format!("Date ({a}–{b})")
    }
}

pub(crate) fn people_label(y: &f64) -> String {
    // People are counted in whole numbers: on a short axis (0 to 3) the ticks fall at halves,
    // which would round to repeated labels ("0, 0, 1, 2, 2"); those ticks keep their grid line
    // and go unlabelled.
    if (y - y.round()).abs() > 1e-6 * y.abs().max(1.0) {
        return String::new();
    }
    fmt_int(*y)
}

/// Upper end of a y axis: a bit above the data, never 0.
pub(crate) fn y_top(max: f64) -> f64 {
    if max.is_finite() && max > 0.0 {
        max * 1.08
    } else {
        1.0
    }
}

pub(crate) fn band_polygon(
    xs: impl Iterator<Item = f64> + Clone,
    lo: &[f64],
    hi: &[f64],
) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> = xs.clone().zip(hi.iter().copied()).collect();
    let lower: Vec<(f64, f64)> = xs.zip(lo.iter().copied()).collect();
    pts.extend(lower.into_iter().rev());
    pts
}

/// The chart of a daily series over the run's days (0 to `ctx.x_end`, dated) and people 0 to
/// `ymax` on `plot`, as the fan, cumulative and queue charts draw it.
fn day_chart<'a, DB: DrawingBackend>(
    plot: &'a DrawingArea<DB, Shift>,
    ctx: &Ctx<'_>,
    ymax: f64,
) -> Result<
    ChartContext<'a, DB, Cartesian2d<DayAxis, plotters::coord::types::RangedCoordf64>>,
    String,
> {
    ChartBuilder::on(plot)
        .margin(12)
        .x_label_area_size(56)
        .y_label_area_size(90)
        .build_cartesian_2d(DayAxis::new(ctx.scn.start_date, 0.0, ctx.x_end), 0.0..ymax)
        .map_err(err)
}

/// Two quantiles of a day's band, its lower and upper edge, for [`draw_band`].
type BandEdges = (fn(&Band) -> f64, fn(&Band) -> f64);
/// A day's band from its 5th to its 95th percentile.
const P5_P95: BandEdges = (|b| b.p5, |b| b.p95);
/// A day's band from its 25th to its 75th percentile.
const P25_P75: BandEdges = (|b| b.p25, |b| b.p75);

/// Fill the band between the quantiles `lo` and `hi` of the daily bands `b` (each day at its
/// x of `xs`) on `chart` in `style`.
fn draw_band<DB: DrawingBackend, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    xs: impl Iterator<Item = f64> + Clone,
    b: &[Band],
    (lo, hi): BandEdges,
    style: ShapeStyle,
) -> DResult
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let col = |f: fn(&Band) -> f64| b.iter().map(f).collect::<Vec<f64>>();
    chart
        .draw_series(std::iter::once(Polygon::new(
            band_polygon(xs, &col(lo), &col(hi)),
            style,
        )))
        .map_err(err)?;
    Ok(())
}

/// A labelled vertical marker on a chart with f64 coordinates.
pub(crate) fn vline<DB: DrawingBackend, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    x: f64,
    y_top: f64,
    label_y: f64,
    color: RGBColor,
    label: &str,
    right_side: bool,
) -> DResult
where
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    vline_line(chart, x, y_top, color, DASHED)?;
    vline_label(chart, x, label_y, color, label, right_side)
}

/// The line of a vertical marker, in `pattern`.
fn vline_line<DB: DrawingBackend, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    x: f64,
    y_top: f64,
    color: RGBColor,
    pattern: Dash,
) -> DResult
where
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    vline_dashes(chart, x, y_top, color, pattern, 0.0)
}

/// A vertical marker line in `pattern` whose dashes start `skip` pixels above the x axis: two
/// markers on one column, drawn with dashes that fit into each other's gaps, both show.
fn vline_dashes<DB: DrawingBackend, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    x: f64,
    y_top: f64,
    color: RGBColor,
    pattern: Dash,
    skip: f64,
) -> DResult
where
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    let (_, ys) = chart.plotting_area().get_pixel_range();
    let y0 = y_top * skip / f64::from((ys.end - ys.start).abs().max(1));
    draw_line(chart, [(x, y0), (x, y_top)], color, 2, pattern)
}

/// The label of a vertical marker, on a white box so that no line crosses the text (draw the
/// labels after all the lines).
fn vline_label<DB: DrawingBackend, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    x: f64,
    label_y: f64,
    color: RGBColor,
    label: &str,
    right_side: bool,
) -> DResult
where
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    let (dx, anchor) = if right_side {
        (6, HPos::Left)
    } else {
        (-6, HPos::Right)
    };
    let style = (FONT, TEXT_SIZE)
        .into_font()
        .color(&ink(color))
        .pos(Pos::new(anchor, VPos::Top));
    let (w, h) = chart
        .plotting_area()
        .estimate_text_size(label, &style)
        .unwrap_or((9 * label.len() as u32, TEXT_SIZE));
    let (w, h) = (w as i32, h as i32);
    let (bx0, bx1) = if right_side {
        (dx - 3, dx + w + 3)
    } else {
        (dx - w - 3, dx + 3)
    };
    chart
        .draw_series(std::iter::once(
            EmptyElement::at((x, label_y))
                + Rectangle::new([(bx0, -2), (bx1, h + 3)], WHITE.filled())
                + Text::new(label.to_string(), (dx, 0), style),
        ))
        .map_err(err)?;
    Ok(())
}

/// Height of a row of the marker labels above a plot \[pixels\].
const LABEL_ROW: i32 = 26;

/// A marker label in the strip above a plot (absolute pixel coordinates of `root`): beside the
/// line at column `x`, vertically centred on `y`, on a white box (a line that runs on to a
/// higher row passes behind it).
fn strip_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    x: i32,
    y: i32,
    color: RGBColor,
    label: &str,
    right_side: bool,
) -> DResult {
    let anchor = if right_side { HPos::Left } else { HPos::Right };
    let style = (FONT, TEXT_SIZE)
        .into_font()
        .color(&ink(color))
        .pos(Pos::new(anchor, VPos::Center));
    let (w, h) = root
        .estimate_text_size(label, &style)
        .unwrap_or((9 * label.len() as u32, TEXT_SIZE));
    let (w, h) = (w as i32, h as i32);
    let (tx, bx0, bx1) = if right_side {
        (x + 6, x + 3, x + 9 + w)
    } else {
        (x - 6, x - 9 - w, x - 3)
    };
    root.draw(&Rectangle::new(
        [(bx0, y - h / 2 - 2), (bx1, y + h / 2 + 2)],
        WHITE.filled(),
    ))
    .map_err(err)?;
    root.draw(&Text::new(label.to_string(), (tx, y), style))
        .map_err(err)
}

fn no_data<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, what: &str) -> DResult {
    area.draw(&Text::new(
        format!("No data: {what}"),
        (40, 40),
        (FONT, AXIS_SIZE).into_font().color(&GREY),
    ))
    .map_err(err)
}

macro_rules! mesh {
    ($chart:expr, $ctx:expr, $x0:expr, $x1:expr, $ydesc:expr, $ylab:expr) => {{
        let span = $x1 - $x0;
        let fx = date_label($ctx.scn.start_date, span);
        $chart
            .configure_mesh()
            .x_label_formatter(&fx)
            .y_label_formatter(&$ylab)
            .x_desc(date_desc($ctx.scn.start_date, $x0, $x1))
            .y_desc($ydesc)
            .y_labels(8)
            .axis_desc_style((FONT, AXIS_SIZE))
            .label_style((FONT, TEXT_SIZE))
            .bold_line_style(OI_BLACK.mix(0.12))
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(err)?;
    }};
}

/// Clearance-percentile label: "P50 clearance: Apr 09 2021".
/// "P50: Jul 15 2021"; for a quantile that is the horizon of runs that had not cleared,
/// "P50: ≥ Aug 24 2021 (not cleared)".
fn pct_label(ctx: &Ctx<'_>, name: &str, x: f64) -> String {
    let date = ctx.date(x).format("%b %d %Y");
    if ctx.input.summary.is_censored_clearance(x) {
        format!("{name}: ≥ {date} (not cleared)")
    } else {
        format!("{name}: {date}")
    }
}

/// The labels of clearance percentiles `marks` (name and day, in order): one per marker, but
/// markers that fall on the same date (and are alike censored or not) share one label, on the
/// first of them, that names them all ("P50 = P90: Jul 15 2021"); the others get `None`. Two
/// labels of one date had been drawn on top of each other, or stacked so close as to be read
/// as one.
fn pct_labels(ctx: &Ctx<'_>, marks: &[(&str, f64)]) -> Vec<Option<String>> {
    let key = |x: f64| (ctx.date(x), ctx.input.summary.is_censored_clearance(x));
    let mut out: Vec<Option<String>> = vec![None; marks.len()];
    let mut k = 0;
    while k < marks.len() {
        let mut j = k + 1;
        while j < marks.len() && key(marks[j].1) == key(marks[k].1) {
            j += 1;
        }
        let names: Vec<&str> = marks[k..j].iter().map(|m| m.0).collect();
        out[k] = Some(pct_label(ctx, &names.join(" = "), marks[k].1));
        k = j;
    }
    out
}

fn draw_fan<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx<'_>) -> DResult {
    let (plot, legend) = frame(root, Chart::Fan.title(), &ctx.subtitle())?;
    let Some(b) = ctx.series("remaining").filter(|b| !b.is_empty()) else {
        return no_data(&plot, "no daily series");
    };
    let x1 = ctx.x_end;
    let ymax = y_top(b.iter().map(|b| b.p95).fold(0.0, f64::max));
    let mut chart = day_chart(&plot, ctx, ymax)?;
    // The series is `remaining`: people of the backlog and phases not yet resolved, that is not
    // yet processed, dropped out or found never to be reached (those at day 0, so the curve
    // starts below the backlog by them), the count that reaches 0 on the clearance day. The
    // axis had read "People remaining, never reached left out", silent on drop-outs and phases.
    mesh!(
        chart,
        ctx,
        0.0,
        x1,
        "People not yet cleared, backlog and phases [people]",
        people_label
    );
    let xs = (0..b.len()).map(|d| d as f64 + 1.0);
    let col = |f: fn(&Band) -> f64| b.iter().map(f).collect::<Vec<f64>>();
    draw_band(&mut chart, xs.clone(), &b, P5_P95, OI_SKY.mix(0.3).filled())?;
    draw_band(
        &mut chart,
        xs.clone(),
        &b,
        P25_P75,
        OI_BLUE.mix(0.35).filled(),
    )?;
    chart
        .draw_series(LineSeries::new(
            xs.zip(col(|b| b.p50)),
            OI_BLUE.stroke_width(3),
        ))
        .map_err(err)?;
    let mut items = vec![
        ("Median".to_string(), Mark::Line(OI_BLUE, 3)),
        ("50% band (P25–P75)".to_string(), Mark::Band(OI_BLUE, 0.35)),
        ("90% band (P5–P95)".to_string(), Mark::Band(OI_SKY, 0.3)),
    ];
    // What the axis counts, under the entries (drawn last).
    let note = if ctx.scn.registration.never > 0.0 {
        "Cleared: processed, dropped out, or never reached (counted at day 0, so the curve starts below the backlog)"
    } else {
        "Cleared: processed or dropped out"
    };
    // Every marker's line first, then every label on its white box, so that no line crosses
    // another marker's label (the t90 line had crossed the P50 and P90 dates).
    let sum = &ctx.input.summary;
    // The median of t90 over the replications that reached it, drawn when most did.
    let t90 = sum
        .t90_days
        .as_ref()
        .filter(|s| s.n > sum.t_not_reached.t90)
        .map(|s| (s.p50, s.n, s.n + sum.t_not_reached.t90));
    let quantiles = ctx.q(0.5).zip(ctx.q(0.9));
    if let Some((p50, p90)) = quantiles {
        vline_line(&mut chart, p50, ymax, OI_ORANGE, P50_DASH)?;
        vline_line(&mut chart, p90, ymax, OI_VERMILLION, P90_DASH)?;
    }
    if let Some((t90, _, _)) = t90 {
        vline_line(&mut chart, t90, ymax, GREY, LONG_DASH)?;
    }
    if let Some((p50, p90)) = quantiles {
        let right = |x: f64| x < x1 * 0.72;
        let labels = pct_labels(ctx, &[("P50", p50), ("P90", p90)]);
        for ((x, y, c), label) in [
            (p50, ymax * 0.97, OI_ORANGE),
            (p90, ymax * 0.89, OI_VERMILLION),
        ]
        .into_iter()
        .zip(&labels)
        {
            if let Some(label) = label {
                vline_label(&mut chart, x, y, c, label, right(x))?;
            }
        }
        items.push((
            "P50 clearance date".into(),
            Mark::Styled(OI_ORANGE, 2, P50_DASH),
        ));
        items.push((
            "P90 clearance date".into(),
            Mark::Styled(OI_VERMILLION, 2, P90_DASH),
        ));
    }
    if let Some((t90, k, n)) = t90 {
        // With the year when the axis spans more than one ("Apr 16" of which year?).
        let multi_year = ctx.date(0.0).year() != ctx.date(x1).year();
        let fmt = if multi_year { "%b %d %Y" } else { "%b %d" };
        let label = format!("90% processed: {}", ctx.date(t90).format(fmt));
        vline_label(&mut chart, t90, ymax * 0.81, GREY, &label, t90 < x1 * 0.72)?;
        items.push((
            if k == n {
                "90% of people processed (median t90)".into()
            } else {
                format!("90% of people processed (median t90, {k} of {n} runs)")
            },
            Mark::Styled(GREY, 2, LONG_DASH),
        ));
    }
    items.push((note.into(), Mark::Note));
    draw_legend(&legend, &items)
}

fn draw_clearance<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx<'_>) -> DResult {
    let (plot, legend) = frame(root, Chart::ClearanceDistribution.title(), &ctx.subtitle())?;
    if ctx.clear.is_empty() {
        return no_data(&plot, "no replications");
    }
    let n = ctx.clear.len();
    // Replications that had not cleared by the horizon are counted apart, in a bar of their own
    // just after the cleared ones (their clearance is only known to be later).
    let censored = |v: f64| ctx.input.summary.is_censored_clearance(v);
    let horizon = ctx.input.summary.scenario.horizon_days;
    let cleared: Vec<f64> = ctx
        .clear
        .iter()
        .copied()
        .filter(|v| !censored(*v))
        .collect();
    let n_cens = n - cleared.len();
    // Every replication censored: there is no distribution to draw (an axis of empty days
    // before the horizon, a flat ECDF and one bar past it had said nothing); the plot says so
    // in words instead, with what is known at the horizon.
    let (Some(&lo), Some(&hi)) = (cleared.first(), cleared.last()) else {
        return none_cleared(&plot, ctx, n, horizon);
    };
    let bins = ((n as f64).sqrt() * 2.0).clamp(10.0, 40.0) as usize;
    // The spread the bins cover: the cleared values, and up to the horizon when the censored
    // bar follows them.
    let top = if n_cens > 0 { hi.max(horizon) } else { hi };
    let (x0, width) = if top - lo < 1.0 {
        // Every replication within a day of the others (one value, as in a deterministic
        // scenario or one with nobody to clear, or a spread of hours): one bar a day wide,
        // centred on the values, which it holds all of; the ECDF and the percentile lines
        // show where in it they fall. It had been a twentieth of the horizon wide (183 days
        // for the default horizon), on an axis of years, for runs that all cleared on one day.
        ((lo + hi) * 0.5 - 0.5, 1.0)
    } else {
        // Whole-day bins when the spread allows it.
        let raw = (top - lo) / bins as f64;
        let width = if raw >= 1.0 {
            raw.ceil()
        } else {
            raw.max(0.05)
        };
        ((lo / width).floor() * width, width)
    };
    let nb = ((hi - x0) / width).floor() as usize + 1;
    let mut counts = vec![0usize; nb];
    for v in &cleared {
        counts[(((v - x0) / width).floor() as usize).min(nb - 1)] += 1;
    }
    let x1 = x0 + nb as f64 * width;
    // The censored bar: from the horizon (or the last cleared bin's end, if later), one bin wide.
    let cens_at = horizon.max(x1);
    let x_end = if n_cens > 0 { cens_at + width } else { x1 };
    let (x0p, x1p) = clearance_axis(x0 - width * 0.5, x_end + width * 0.5);
    let ymax = y_top(counts.iter().copied().max().unwrap_or(0).max(n_cens).max(1) as f64);
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .margin_top(12 + 3 * LABEL_ROW)
        .x_label_area_size(56)
        .y_label_area_size(80)
        .right_y_label_area_size(80)
        .build_cartesian_2d(
            DayAxis::new(ctx.scn.start_date, x0p, x1p),
            CountAxis::new(ymax),
        )
        .map_err(err)?
        .set_secondary_coord(x0p..x1p, 0.0..1.0);
    mesh!(chart, ctx, x0p, x1p, "Replications [count]", people_label);
    chart
        .configure_secondary_axes()
        .y_desc("Share of replications cleared by this date [%]")
        .y_label_formatter(&|y: &f64| format!("{:.0}%", y * 100.0))
        .axis_desc_style((FONT, AXIS_SIZE))
        .label_style((FONT, TEXT_SIZE))
        .draw()
        .map_err(err)?;
    // Per bin, the replications that cleared, and above them those that had not (censored).
    let bar = |i: usize, lo: usize, hi: usize, style: ShapeStyle| {
        let a = x0 + i as f64 * width;
        let mut r = Rectangle::new([(a, lo as f64), (a + width, hi as f64)], style);
        r.set_margin(0, 0, 1, 1);
        r
    };
    chart
        .draw_series(
            (0..nb)
                .filter(|i| counts[*i] > 0)
                .map(|i| bar(i, 0, counts[i], OI_SKY.filled())),
        )
        .map_err(err)?;
    if n_cens > 0 {
        let mut r = Rectangle::new(
            [(cens_at, 0.0), (cens_at + width, n_cens as f64)],
            GREY.mix(0.6).filled(),
        );
        r.set_margin(0, 0, 1, 1);
        chart.draw_series(std::iter::once(r)).map_err(err)?;
    }
    // ECDF as a step line: one vertex pair per distinct value, at most n; it rises only for
    // replications that cleared, so it ends at the share that did.
    let mut steps = vec![(x0p, 0.0)];
    for (i, v) in ctx.clear.iter().enumerate() {
        if (i + 1 < n && ctx.clear[i + 1] == *v) || censored(*v) {
            continue;
        }
        let prev = steps.last().map(|p| p.1).unwrap_or(0.0);
        steps.push((*v, prev));
        steps.push((*v, (i + 1) as f64 / n as f64));
    }
    let cleared = steps.last().map(|p| p.1).unwrap_or(0.0);
    steps.push((x1p, cleared));
    chart
        .draw_secondary_series(LineSeries::new(steps, OI_BLACK.stroke_width(2)))
        .map_err(err)?;
    let marks = [
        ("P50", 0.5, OI_ORANGE, P50_DASH),
        ("P90", 0.9, OI_VERMILLION, P90_DASH),
        ("P95", 0.95, OI_PURPLE, P95_DASH),
    ];
    let mut items = Vec::new();
    if counts.iter().any(|c| *c > 0) {
        items.push((
            format!(
                "Replications per bin ({} day{})",
                fmt_w(width),
                if width == 1.0 { "" } else { "s" }
            ),
            Mark::Band(OI_SKY, 1.0),
        ));
    }
    if n_cens > 0 {
        items.push((
            "Not cleared by the horizon (censored)".into(),
            Mark::Band(GREY, 0.6),
        ));
    }
    items.push((
        "Share of replications cleared by this date (right axis)".into(),
        Mark::Line(OI_BLACK, 2),
    ));
    let xs: Vec<f64> = marks
        .iter()
        .map(|(_, p, _, _)| quantile_sorted(&ctx.clear, *p))
        .collect();
    for ((_, _, c, pattern), x) in marks.iter().zip(&xs) {
        vline_line(&mut chart, *x, ymax, *c, pattern)?;
    }
    // Labels in the strip above the plot, one row each, so that they hide no bar and no part of
    // the ECDF (on white boxes inside the plot they had cut into the bars): each line runs on
    // up to its row, and the label sits beside it on the side where no other marker line
    // crosses it (P50 preferably to the left, the later percentiles to the right); in a tight
    // cluster of lines a label moves out beside the cluster's outermost line, in its own colour.
    let px: Vec<i32> = xs
        .iter()
        .map(|x| chart.backend_coord(&(*x, 0.0)).0)
        .collect();
    // Markers of one date share a label ("P50 = P90: …") on the first one's row, and their
    // lines run up to that row.
    let top = chart.plotting_area().get_pixel_range().1.start;
    let row_y = |k: usize| top - 4 - (marks.len() - k) as i32 * LABEL_ROW + LABEL_ROW / 2;
    let named: Vec<(&str, f64)> = marks.iter().zip(&xs).map(|(m, x)| (m.0, *x)).collect();
    let labels = pct_labels(ctx, &named);
    let row_of = |k: usize| (0..=k).rev().find(|j| labels[*j].is_some()).unwrap_or(k);
    for (k, (_, _, c, pattern)) in marks.iter().enumerate() {
        draw_dashed_px(
            root,
            &[(px[k], top), (px[k], row_y(row_of(k)))],
            c.stroke_width(2),
            pattern,
            0.0,
        )?;
    }
    for (k, (name, _, c, pattern)) in marks.iter().enumerate() {
        if let Some(label) = &labels[k] {
            let (at, right) = label_place(&chart, &px, k, label, k > 0);
            strip_label(root, px[at], row_y(k), *c, label, right)?;
        }
        items.push((
            format!("{name} clearance date"),
            Mark::Styled(*c, 2, pattern),
        ));
    }
    draw_legend(&legend, &items)
}

/// The shortest date axis of the clearance chart \[days\].
const MIN_CLEARANCE_AXIS: f64 = 10.0;

/// The clearance chart's x range for bars and markers over `[lo, hi]`: that range, widened
/// evenly to `MIN_CLEARANCE_AXIS` days when shorter (a few days either side of a narrow
/// spread, so that the axis has dates to read), but not to before day 0 beyond what it
/// already shows, since nobody clears before the start.
fn clearance_axis(lo: f64, hi: f64) -> (f64, f64) {
    let pad = MIN_CLEARANCE_AXIS - (hi - lo);
    if pad <= 0.0 {
        return (lo, hi);
    }
    let left = (pad * 0.5).min(lo.max(0.0));
    (lo - left, hi + pad - left)
}

/// The clearance chart's plot when no replication cleared by the horizon: what is known, in
/// words (the horizon's date, how many replications, how many people were not yet cleared
/// there), instead of axes with nothing on them.
fn none_cleared<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    ctx: &Ctx<'_>,
    n: usize,
    horizon: f64,
) -> DResult {
    let date = ctx.date(horizon).format("%b %d %Y");
    let mut lines = vec![
        format!(
            "{} stopped at the horizon with people not yet cleared (censored):",
            if n == 1 {
                "The replication".to_string()
            } else {
                format!("All {} replications", fmt_int(n as f64))
            }
        ),
        "each clearance is only known to be later, so there is no distribution to draw."
            .to_string(),
    ];
    // The last day's value of `remaining` is the count at the horizon.
    if let Some(b) = ctx.series("remaining").and_then(|b| b.last().copied()) {
        lines.push(String::new());
        lines.push(format!(
            "People not yet cleared at the horizon: {} (median over replications;",
            fmt_int(b.p50)
        ));
        lines.push(format!(
            "90% of replications between {} and {}).",
            fmt_int(b.p5),
            fmt_int(b.p95)
        ));
    }
    lines.push(String::new());
    lines.push(format!(
        "P50, P90 and P95 clearance: ≥ {date} (not cleared)."
    ));
    // What would show the clearance: a longer horizon, unless no stage can ever take anyone
    // (then no horizon helps) or the horizon is already the longest accepted.
    let stuck = crate::model::zero_capacity_stages(ctx.scn);
    if let Some(why) = stuck.first() {
        lines.push(format!("No horizon would help: {why}."));
    } else if horizon >= crate::scenario::validate::MAX_HORIZON_DAYS {
        lines.push(format!(
            "scenario.horizon is already the longest accepted ({}d): more capacity is needed.",
            fmt_w(crate::scenario::validate::MAX_HORIZON_DAYS)
        ));
    } else {
        lines.push("A longer scenario.horizon shows when the backlog clears.".to_string());
    }
    plot.draw(&Text::new(
        format!(
            "No replication cleared by the horizon ({date}, day {})",
            fmt_w(horizon)
        ),
        (40, 60),
        (FONT, 26).into_font().color(&OI_BLACK),
    ))
    .map_err(err)?;
    for (k, line) in lines.into_iter().enumerate() {
        plot.draw(&Text::new(
            line,
            (40, 112 + 28 * k as i32),
            (FONT, TEXT_SIZE).into_font().color(&OI_BLACK),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// Where to put the label of vertical marker `k` (pixel columns of all markers in `px`): beside
/// which marker's line (its index) and on which side (`true`: right). A place fits when the
/// label stays inside the plot and no marker line runs through it (lines on the anchor's own
/// column excepted). The label starts beside its own line on the preferred side, then on the
/// other side; when a line crosses it there, it moves beyond that line, and so on. Should
/// nothing fit, it sits beside its own line on the preferred side, where its white box hides
/// the lines behind it.
fn label_place<DB: DrawingBackend, X, Y>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    px: &[i32],
    k: usize,
    label: &str,
    prefer_right: bool,
) -> (usize, bool)
where
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    let w = label_width(chart, label);
    let (xr, _) = chart.plotting_area().get_pixel_range();
    for right in [prefer_right, !prefer_right] {
        let mut at = k;
        for _ in 0..px.len() {
            // Pixel span of the label's box beside the line at `at` (as vline_label draws it),
            // with a margin of 2 pixels.
            let p = px[at];
            let (a, b) = if right {
                (p + 1, p + 11 + w)
            } else {
                (p - 11 - w, p - 1)
            };
            let crossing = (0..px.len())
                .filter(|j| (px[*j] - p).abs() > 1 && px[*j] >= a && px[*j] <= b)
                .max_by_key(|j| if right { px[*j] } else { -px[*j] });
            match crossing {
                Some(j) => at = j,
                None if a >= xr.start && b <= xr.end => return (at, right),
                None => break,
            }
        }
    }
    (k, prefer_right)
}

/// Width in pixels of a marker label as `vline_label` draws it.
fn label_width<DB: DrawingBackend, X, Y>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    label: &str,
) -> i32
where
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    let style = TextStyle::from((FONT, TEXT_SIZE).into_font());
    chart
        .plotting_area()
        .estimate_text_size(label, &style)
        .map(|(w, _)| w as i32)
        .unwrap_or(9 * label.len() as i32)
}

fn fmt_w(w: f64) -> String {
    if (w - w.round()).abs() < 1e-9 {
        format!("{w:.0}")
    } else {
        format!("{w:.2}")
    }
}

fn draw_cumulative<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx<'_>) -> DResult {
    let (plot, legend) = frame(root, Chart::CumulativeProcessed.title(), &ctx.subtitle())?;
    let Some(b) = ctx.series("processed").filter(|b| !b.is_empty()) else {
        return no_data(&plot, "no daily series");
    };
    let total = ctx.input.summary.people.total as f64;
    // Per port drawn (at most PORT_LINES, those that processed the most, the first PORT_PANELS
    // in colour and the others in grey): cumulative sum of the mean daily flow (= mean of the
    // cumulative count).
    let drawn = ctx.drawn_ports(PORT_PANELS);
    let grey = ctx.grey_ports();
    let cumulative = |p: usize| -> Vec<f64> {
        let f = ctx
            .series(&format!("processed_today:{}", ctx.scn.ports[p].name))
            .unwrap_or_default();
        f.iter()
            .scan(0.0, |s, b| {
                *s += b.mean;
                Some(*s)
            })
            .collect()
    };
    let greys: Vec<Vec<f64>> = grey.iter().map(|&p| cumulative(p)).collect();
    let ports: Vec<Vec<f64>> = drawn.iter().map(|&p| cumulative(p)).collect();
    let ymax = y_top(
        b.iter()
            .map(|b| b.p95)
            .chain(ports.iter().chain(&greys).flatten().copied())
            .fold(total, f64::max),
    );
    let x1 = ctx.x_end;
    let mut chart = day_chart(&plot, ctx, ymax)?;
    mesh!(
        chart,
        ctx,
        0.0,
        x1,
        "People processed, cumulative, mean [people]",
        people_label
    );
    let xs = (0..b.len()).map(|d| d as f64 + 1.0);
    let col = |f: fn(&Band) -> f64| b.iter().map(f).collect::<Vec<f64>>();
    draw_band(&mut chart, xs.clone(), &b, P5_P95, OI_SKY.mix(0.3).filled())?;
    // The line is the mean over replications, as the per-port lines and the level of those
    // never reached or dropped out are: the ports' lines add up to it (medians would not). It
    // had been the median, beside per-port means.
    let [(mean_c, _), (total_c, total_dash), (reach_c, reach_dash)] = CUMULATIVE_TOTALS;
    chart
        .draw_series(LineSeries::new(
            xs.clone().zip(col(|b| b.mean)),
            mean_c.stroke_width(3),
        ))
        .map_err(err)?;
    draw_line(
        &mut chart,
        [(0.0, total), (x1, total)],
        total_c,
        2,
        total_dash,
    )?;
    let inflow = ctx.scn.inflow.is_some();
    // People never reached and those who drop out are resolved without being processed: the
    // curve levels off below the total by them (their means), drawn as a second line.
    let people = &ctx.input.summary.people;
    let mean = |x: &Option<crate::stats::Stat>| x.as_ref().map_or(0.0, |s| s.mean);
    let (unreached, dropped) = (mean(&people.unreached), mean(&people.dropped));
    let reachable = total - unreached - dropped;
    let lost = !inflow && reachable < total - 0.5;
    if lost {
        draw_line(
            &mut chart,
            [(0.0, reachable), (x1, reachable)],
            reach_c,
            2,
            reach_dash,
        )?;
    }
    let mut items = vec![
        (
            if inflow {
                "All ports, mean (inflow included)".to_string()
            } else {
                "All ports, mean".to_string()
            },
            Mark::Line(mean_c, 3),
        ),
        (
            "All ports, 90% of replications (P5–P95)".to_string(),
            Mark::Band(OI_SKY, 0.3),
        ),
        (
            if inflow {
                format!("Backlog and phases to clear ({})", fmt_int(total))
            } else if lost {
                format!("Backlog and phases ({})", fmt_int(total))
            } else {
                format!("People to clear ({})", fmt_int(total))
            },
            Mark::Styled(total_c, 2, total_dash),
        ),
    ];
    if lost {
        items.push((
            format!(
                "Less never reached and dropped out, means ({})",
                fmt_int(reachable)
            ),
            Mark::Styled(reach_c, 2, reach_dash),
        ));
    }
    if ports.len() > 1 || ctx.scn.inflow.is_some() {
        for v in &greys {
            chart
                .draw_series(LineSeries::new(
                    xs.clone().zip(v.iter().copied()),
                    OTHER_PORTS.stroke_width(1),
                ))
                .map_err(err)?;
        }
        for (&p, v) in drawn.iter().zip(&ports) {
            let pattern = ctx.port_dash(p);
            draw_line(
                &mut chart,
                xs.clone().zip(v.iter().copied()),
                ctx.port_color(p),
                2,
                pattern,
            )?;
            items.push((
                format!("{} (mean)", ctx.scn.ports[p].name),
                Mark::Styled(ctx.port_color(p), 2, pattern),
            ));
        }
        items.extend(ctx.grey_entry());
        items.extend(ctx.left_out_note(PORT_LINES));
    }
    draw_legend(&legend, &items)
}

/// The ports chart's quota line of port `p` over days 0..`days` \[people/day\]: each day's
/// quota q(d) at its largest, with the largest disruption factor in force at any time of the
/// day (`Factor::max_in_day`, as `explain`'s bounds take it), so that the line never sits under
/// what a day may legally start (a disruption at half capacity from 09:00 to 18:00 on a quota
/// of 4 leaves the 4 starts of 00:00, 03:00, 06:00 and 18:00: the factor at noon had drawn 2).
/// `None` on a day without a quota (unlimited).
pub(crate) fn daily_quota(
    scn: &crate::scenario::Scenario,
    p: usize,
    days: i64,
) -> Vec<Option<f64>> {
    let port = &scn.ports[p];
    let factor = crate::model::capacity::Factor::new(
        scn.disruptions.iter().filter(|x| x.ports.contains(&p)),
    );
    (0..days)
        .map(|d| {
            let v = quota(port, d, factor.max_in_day(d));
            (v != UNLIMITED).then_some(v as f64)
        })
        .collect()
}

fn draw_ports<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx<'_>) -> DResult {
    // Beyond PORT_PANELS ports, the panels of those that processed the most, said so.
    let all = ctx.scn.ports.len();
    let drawn = ctx.drawn_ports(PORT_PANELS);
    let subtitle = if all > drawn.len() {
        ctx.subtitle_with(&format!(
            " · the {} of {} ports that processed the most people (mean), most first; \
             every port is in daily.csv",
            drawn.len(),
            fmt_int(all as f64)
        ))
    } else {
        ctx.subtitle()
    };
    let (plot, legend) = frame(root, Chart::Ports.title(), &subtitle)?;
    let n = drawn.len().max(1);
    let panels = plot.split_evenly((n, 1));
    let x1 = ctx.x_end;
    let days = ctx.x_end.ceil() as i64;
    let weekly_quota = days > 366;
    let mut any_server_binds = false;
    let mut any_quota = false;
    let mut any_week_means = false;
    for (k, (&p, area)) in drawn.iter().zip(panels.iter()).enumerate() {
        let port = &ctx.scn.ports[p];
        // A port closed on some weekdays processes nobody and has no quota or capacity there:
        // over a long horizon its daily lines fall to 0 every week in dense stripes that hide
        // what lies under them. Each of its series is then drawn as its weeks' means.
        let week_means = week_means_of(port, ctx.x_end);
        any_week_means |= week_means;
        let b = ctx
            .series(&format!("processed_today:{}", port.name))
            .unwrap_or_default();
        let q = daily_quota(ctx.scn, p, days);
        let cap = ctx
            .rep
            .port(p)
            .map(|r| r.capacity.clone())
            .unwrap_or_default();
        let server_binds = cap
            .iter()
            .zip(&q)
            .any(|(c, q)| c.is_finite() && q.is_none_or(|q| *c < q - 0.5));
        let ymax = y_top(
            b.iter()
                .map(|b| b.p95)
                .chain(q.iter().flatten().copied())
                .fold(0.0, f64::max),
        );
        let util = ctx
            .input
            .summary
            .ports
            .get(p)
            .and_then(|s| s.utilization.as_ref());
        let processed = ctx
            .input
            .summary
            .ports
            .get(p)
            .and_then(|s| s.processed.as_ref());
        // The port's name shortened so that the caption fits the panel's width (text of
        // AXIS_SIZE is about 0.55 of its size a character): a 60-character name had run off
        // the canvas at both ends and into the legend.
        let (width, _) = area.dim_in_pixel();
        let fits = (width as f64 / (AXIS_SIZE as f64 * 0.55)) as usize;
        let figures = processed.is_some() as usize * 30
            + util.is_some() as usize * 36
            + week_means as usize * WEEK_MEANS_CAPTION.len();
        let mut caption = shorten(&port.name, fits.saturating_sub(figures).max(12));
        if let Some(pr) = processed {
            caption.push_str(&format!(": {} processed (median)", fmt_int(pr.p50)));
        }
        if let Some(u) = util {
            caption.push_str(&format!(
                ", server utilization {:.0}% (median)",
                u.p50 * 100.0
            ));
        }
        if week_means {
            caption.push_str(WEEK_MEANS_CAPTION);
        }
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .caption(caption, (FONT, AXIS_SIZE))
            .x_label_area_size(if k + 1 == n { 60 } else { 32 })
            .y_label_area_size(80)
            .build_cartesian_2d(DayAxis::new(ctx.scn.start_date, 0.0, x1), 0.0..ymax)
            .map_err(err)?;
        let span = x1;
        let fx = date_label(ctx.scn.start_date, span);
        let mut m = chart.configure_mesh();
        m.x_label_formatter(&fx)
            .y_label_formatter(&people_label)
            .y_desc("Per day [people]")
            .y_labels(5)
            .axis_desc_style((FONT, AXIS_SIZE))
            .label_style((FONT, TEXT_SIZE))
            .bold_line_style(OI_BLACK.mix(0.12))
            .light_line_style(TRANSPARENT);
        if k + 1 == n {
            m.x_desc(date_desc(ctx.scn.start_date, 0.0, x1));
        }
        m.draw().map_err(err)?;
        // Quota as a dashed step line, drawn first: where a port processes exactly its quota the
        // median lies on it and stays visible (a solid quota line on top hid it).
        // Over more than a year a day is a pixel or two, and a quota that is 0 on closed days
        // would fill the panel: each week's highest quota is drawn instead (the legend says so).
        let steps: Vec<(f64, f64)> = if week_means && q.iter().all(Option::is_some) {
            let v: Vec<f64> = q.iter().flatten().copied().collect();
            weekly_clipped(&v, v.len(), f64::INFINITY)
        } else if weekly_quota {
            q.chunks(7)
                .enumerate()
                .filter_map(|(w, c)| {
                    let v = c.iter().flatten().copied().reduce(f64::max)?;
                    let d = (w * 7) as f64;
                    Some([(d, v), (d + c.len() as f64, v)])
                })
                .flatten()
                .collect()
        } else {
            q.iter()
                .enumerate()
                .flat_map(|(d, v)| v.map(|v| [(d as f64, v), (d as f64 + 1.0, v)]))
                .flatten()
                .collect()
        };
        if !steps.is_empty() {
            any_quota = true;
            draw_line(&mut chart, steps, OI_BLACK, 2, DASHED)?;
        }
        if !b.is_empty() && week_means {
            let col = |f: fn(&Band) -> f64| {
                let v: Vec<f64> = b.iter().map(f).collect();
                weekly_clipped(&v, v.len(), f64::INFINITY)
            };
            let (lo, mid, hi) = (col(|b| b.p5), col(|b| b.p50), col(|b| b.p95));
            let ys = |pts: &[(f64, f64)]| pts.iter().map(|p| p.1).collect::<Vec<f64>>();
            chart
                .draw_series(std::iter::once(Polygon::new(
                    band_polygon(hi.iter().map(|p| p.0), &ys(&lo), &ys(&hi)),
                    ctx.port_color(p).mix(0.22).filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series(LineSeries::new(mid, ctx.port_color(p).stroke_width(2)))
                .map_err(err)?;
        } else if !b.is_empty() {
            let xs = (0..b.len()).map(|d| d as f64 + 0.5);
            let col = |f: fn(&Band) -> f64| b.iter().map(f).collect::<Vec<f64>>();
            let band = ctx.port_color(p).mix(0.22).filled();
            draw_band(&mut chart, xs.clone(), &b, P5_P95, band)?;
            chart
                .draw_series(LineSeries::new(
                    xs.zip(col(|b| b.p50)),
                    ctx.port_color(p).stroke_width(daily_width(b.len())),
                ))
                .map_err(err)?;
        }
        if server_binds {
            any_server_binds = true;
            let shown = &cap[..cap.len().min(days.max(0) as usize)];
            let steps: Vec<(f64, f64)> = if week_means && shown.iter().all(|c| c.is_finite()) {
                weekly_clipped(shown, shown.len(), ymax)
            } else {
                shown
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.is_finite())
                    .flat_map(|(d, c)| [(d as f64, c.min(ymax)), (d as f64 + 1.0, c.min(ymax))])
                    .collect()
            };
            draw_line(&mut chart, steps, OI_ORANGE, 2, DASH_DOT)?;
        }
    }
    let mut items: Vec<(String, Mark)> = drawn
        .iter()
        .map(|&p| {
            (
                format!("{}: median", ctx.scn.ports[p].name),
                Mark::Line(ctx.port_color(p), 2),
            )
        })
        .collect();
    // Each panel's band is in its port's colour: the swatch is neutral.
    items.push((
        "90% band (P5–P95), in each port's colour".into(),
        Mark::Band(GREY, 0.22),
    ));
    // Under appointment the quota caps the people who board toward the port on a day (MODEL.md
    // §1, stage 5: boarding reserves it, and it is not checked again at the port), not the
    // people served: a bus that arrives after closing is served the next day, beside that
    // day's own bookings, so the median of people processed can pass the line (the baseline's
    // San Ysidro served 306 against 300 on some days). The legend names the line as boardings
    // and a note says why the processed line can cross it, which had read as a quota broken.
    // The quota's entry only when some panel draws a quota line: a port without a quota had
    // its legend name a line that was not there.
    let appointment = ctx.scn.policy == crate::scenario::Policy::Appointment;
    if any_quota {
        items.push((
            match (weekly_quota, appointment) {
                (true, true) => "Quota q(d) of boardings a day (appointments), week's highest",
                (true, false) => "Daily quota q(d), each week's highest",
                (false, true) => {
                    "Quota q(d) of boardings a day (appointments), at its largest in the day"
                }
                (false, false) => "Daily quota q(d) at its largest in the day",
            }
            .into(),
            Mark::Dashed(OI_BLACK),
        ));
    }
    if any_server_binds {
        items.push((
            "Capacity min(quota, servers × hours / service)".into(),
            Mark::Styled(OI_ORANGE, 2, DASH_DOT),
        ));
    }
    if any_quota && appointment {
        items.push((APPOINTMENT_QUOTA_NOTE.into(), Mark::Note));
    }
    if any_week_means {
        items.push((WEEK_MEANS_NOTE.into(), Mark::Note));
    }
    draw_legend(&legend, &items)
}

/// What the ports chart's legend says of the quota under `dispatch.policy = "appointment"`,
/// where the quota caps boardings (MODEL.md §1, stage 5) and the panels draw people served.
const APPOINTMENT_QUOTA_NOTE: &str = "Appointments: the quota caps the people who board for the \
     port a day, not those served; people who board late in a day are served the next, so a \
     day's processed can pass the quota line";

/// Days on the ports chart's axis beyond which a port open on some weekdays only is drawn as
/// its weeks' means: 13 weeks, about 9 pixels a day on the 800-pixel plot, where its daily
/// lines would fall to 0 every week in stripes that hide the lines under them.
pub const WEEK_MEANS_AFTER_DAYS: f64 = 91.0;

/// What the caption of a port's panel drawn as its weeks' means ends with.
const WEEK_MEANS_CAPTION: &str = " · 7-day means";

/// What the legend says of a panel drawn as its weeks' means.
const WEEK_MEANS_NOTE: &str = "7-day means: a port open on some weekdays only is drawn, over \
     more than 13 weeks, as each week's mean (closed days as 0) of every line, its band, quota \
     and capacity; its daily figures are in daily.csv";

/// Whether the ports chart draws port `port` as its weeks' means on an axis of `x_end` days:
/// it is closed on some weekday and the axis is longer than [`WEEK_MEANS_AFTER_DAYS`].
fn week_means_of(port: &crate::scenario::Port, x_end: f64) -> bool {
    port.schedule.days.iter().any(|open| !open) && x_end > WEEK_MEANS_AFTER_DAYS
}

/// Dash patterns of the ports' lines in the queues and cumulative charts, one a port up to
/// eight ports and shifted after ([`port_dash`]): none is a stage's
/// ([`QUEUE_STAGES`]) or a total's ([`CUMULATIVE_TOTALS`]), and each differs from the others in
/// the lengths of its dashes or their rhythm, so that ports at zero on the same row show through
/// each other's gaps. (There had been four, the fourth a stage's: the fourth port's line had
/// transit's pattern, the fifth the first's.)
const PORT_DASHES: [Dash; 8] = [
    DASH_DOT,
    DASH_DOT_DOT,
    LONG_SHORT,
    DASH_DASH_DOT,
    LONG_SHORT_SHORT,
    DASH_DOT_DOT_DOT,
    SPARSE_DASH,
    SPARSE_DOT,
];

/// Colours and patterns of the queues chart's stages, none a port's: waiting for screening
/// orange and solid, screened sky blue in long dashes (orange and sky blue are one grey in
/// print), the health check dotted in its lavender of the bottleneck chart, transit grey in
/// short dashes. (The health check and transit had been Okabe–Ito purple and blue, the fourth
/// port's and the first's colours.) The ports are drawn in their own colours (as in the ports
/// chart) with patterns of their own ([`PORT_DASHES`]), so that every line of the chart has its
/// own colour and its own pattern. Not black: the axes are.
const QUEUE_STAGES: [(RGBColor, Dash); 4] = [
    (OI_ORANGE, SOLID),
    (OI_SKY, LONG_DASH),
    (HEALTH, DOTTED),
    (GREY, SHORT_DASH),
];

/// Colours and patterns of the cumulative chart's lines other than the ports': the mean of all
/// ports (black, solid, 3 pixels wide), the people to clear (grey, dashed) and, where some are
/// never reached or drop out, the level it can reach (black, dotted).
const CUMULATIVE_TOTALS: [(RGBColor, Dash); 3] =
    [(OI_BLACK, SOLID), (GREY, DASHED), (OI_BLACK, DOTTED)];

/// A line of the queues chart: label, colour and dash pattern, the daily medians.
type QueueLine = (String, (RGBColor, Dash), Vec<f64>);

/// The lines of the queues chart, in drawing and legend order: the stages' then the ports'.
fn queue_lines(ctx: &Ctx<'_>) -> Vec<QueueLine> {
    // (label, (colour, dash pattern), medians)
    let mut lines: Vec<QueueLine> = Vec::new();
    // With a health check, `waiting_ready` holds those in it too: said so, and they are drawn
    // on their own (`in_health`, absent from runs saved before it existed).
    let health = ctx.scn.health.is_some() && ctx.series("in_health").is_some();
    let fixed = [
        (
            "waiting_screening",
            "Waiting for screening",
            QUEUE_STAGES[0],
        ),
        (
            "waiting_ready",
            // Under appointment they also wait for a port appointment (the quota).
            match (
                health,
                ctx.scn.policy == crate::scenario::Policy::Appointment,
            ) {
                (true, true) => "Screened, not boarded (incl. health check, appointment)",
                (true, false) => "Screened, not boarded (incl. health check)",
                (false, true) => "Ready to travel (incl. waiting for an appointment)",
                (false, false) => "Ready to travel",
            },
            QUEUE_STAGES[1],
        ),
        (
            "in_health",
            "In the health check or isolation",
            QUEUE_STAGES[2],
        ),
        ("in_transit", "In transit", QUEUE_STAGES[3]),
    ];
    for (s, label, c) in fixed {
        if s == "in_health" && !health {
            continue;
        }
        if let Some(b) = ctx.series(s) {
            lines.push((label.to_string(), c, b.iter().map(|b| b.p50).collect()));
        }
    }
    // With more ports than it draws, all ports together (where the saved run has the series),
    // in the bottleneck chart's brown of all ports, solid: the ports left out wait in it too.
    if ctx.scn.ports.len() > PORT_PANELS {
        if let Some(b) = ctx.series("waiting_port") {
            lines.push((
                "Waiting at all ports".to_string(),
                (PROCESSED_ALL, SOLID),
                b.iter().map(|b| b.p50).collect(),
            ));
        }
    }
    // The ports after the stages, patterned: drawn over a stage's line (at zero, where most
    // lines end), they let it show through their gaps. At most PORT_PANELS of them, those that
    // processed the most (the others up to PORT_LINES are drawn in grey by `draw_queues`).
    for &p in ctx.drawn_ports(PORT_PANELS) {
        let port = &ctx.scn.ports[p];
        if let Some(b) = ctx.series(&format!("waiting:{}", port.name)) {
            lines.push((
                format!("Waiting at {}", port.name),
                (ctx.port_color(p), ctx.port_dash(p)),
                b.iter().map(|b| b.p50).collect(),
            ));
        }
    }
    lines
}

fn draw_queues<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx<'_>) -> DResult {
    let (plot, legend) = frame(root, Chart::Queues.title(), &ctx.subtitle())?;
    let lines = queue_lines(ctx);
    if lines.iter().all(|l| l.2.is_empty()) {
        return no_data(&plot, "no daily series");
    }
    // The ports beyond the PORT_PANELS drawn in colour, as thin grey lines behind the others.
    let greys: Vec<Vec<f64>> = ctx
        .grey_ports()
        .iter()
        .filter_map(|&p| ctx.series(&format!("waiting:{}", ctx.scn.ports[p].name)))
        .map(|b| b.iter().map(|b| b.p50).collect())
        .collect();
    let ymax = y_top(
        lines
            .iter()
            .map(|l| &l.2)
            .chain(&greys)
            .flat_map(|v| v.iter().copied())
            .fold(0.0, f64::max),
    );
    let x1 = ctx.x_end;
    let mut chart = day_chart(&plot, ctx, ymax)?;
    mesh!(
        chart,
        ctx,
        0.0,
        x1,
        "People waiting, median [people]",
        people_label
    );
    for v in &greys {
        let pts = v.iter().enumerate().map(|(d, y)| (d as f64 + 1.0, *y));
        chart
            .draw_series(LineSeries::new(pts, OTHER_PORTS.stroke_width(1)))
            .map_err(err)?;
    }
    let mut items = Vec::new();
    for (label, (c, pattern), v) in &lines {
        let pts = v.iter().enumerate().map(|(d, y)| (d as f64 + 1.0, *y));
        let width = daily_width(v.len());
        draw_line(&mut chart, pts, *c, width, pattern)?;
        items.push((label.clone(), Mark::Styled(*c, 2, pattern)));
    }
    if !greys.is_empty() {
        items.extend(ctx.grey_entry());
    }
    items.extend(ctx.left_out_note(PORT_LINES));
    draw_legend(&legend, &items)
}

/// A binding stage's colour; a port's is its colour in the other charts (`slot`: each port's
/// place in the charts' order, [`port_order`]).
fn stage_color(b: &PeriodBinding, slot: &[usize]) -> RGBColor {
    match (b.stage, b.port) {
        (Stage::Registration, _) => GREY,
        (Stage::Screening, _) => OI_ORANGE,
        (Stage::Transport, _) => OI_SKY,
        (Stage::Port, Some(p)) => port_color(slot.get(p).copied().unwrap_or(p)),
        (Stage::Port, None) => OI_BLACK,
        (Stage::Health, _) => HEALTH,
    }
}

/// One colour per binding stage name, in order of first appearance: the stage's colour, or a
/// darker or lighter shade of it when another name of the same stage (transport in total and
/// transport to one port, say) already has it, so that no two names share a colour.
fn binding_colors(bindings: &[PeriodBinding], slot: &[usize]) -> Vec<(String, RGBColor)> {
    let mut out: Vec<(String, RGBColor)> = Vec::new();
    for b in bindings {
        if out.iter().any(|(n, _)| *n == b.name) {
            continue;
        }
        let base = stage_color(b, slot);
        let shade = |k: usize| {
            let RGBColor(r, g, bl) = base;
            let mix = |c: u8, to: f64, w: f64| (c as f64 * (1.0 - w) + to * w).round() as u8;
            let (to, w) = match k % 3 {
                1 => (0.0, 0.4),
                2 => (255.0, 0.5),
                _ => (0.0, 0.65),
            };
            RGBColor(mix(r, to, w), mix(g, to, w), mix(bl, to, w))
        };
        let c = (0..)
            .map(|k| if k == 0 { base } else { shade(k) })
            .take(4)
            .find(|c| !out.iter().any(|(_, o)| o == c))
            .unwrap_or(base);
        out.push((b.name.clone(), c));
    }
    out
}

/// People processed per day at all ports (the sum of the ports' daily means) \[people/day\].
fn processed_all(ctx: &Ctx<'_>) -> Vec<f64> {
    let mut v = vec![0.0; ctx.input.daily.days];
    for port in &ctx.scn.ports {
        if let Some(b) = ctx.series(&format!("processed_today:{}", port.name)) {
            for (x, b) in v.iter_mut().zip(b) {
                *x += b.mean;
            }
        }
    }
    v
}

/// The days both the capacities and the throughput `thr` have \[days\].
fn common_days(ctx: &Ctx<'_>, thr: &[f64]) -> usize {
    thr.len().min(ctx.rep.days)
}

/// The bottleneck chart's weekly points of a daily series `v` (a stage's capacity or the
/// throughput) drawn up to `days`, over the first `common` days, which every line has: so each
/// week's mean, also that of a last week cut by the horizon, is over the same days for all.
fn bottleneck_weekly(v: &[f64], common: usize, days: usize, ymax: f64) -> Vec<(f64, f64)> {
    weekly_clipped(&v[..common.min(v.len())], days, ymax)
}

fn draw_bottleneck<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, ctx: &Ctx<'_>) -> DResult {
    let (plot, legend) = frame(root, Chart::Bottleneck.title(), &ctx.subtitle())?;
    let (h, _) = (plot.dim_in_pixel().1, ());
    let (top, strip) = plot.split_vertically(h.saturating_sub(STRIP_H));
    let x1 = ctx.x_end;
    let days = (x1.ceil() as usize).min(ctx.rep.days);
    // The ports' total leaves out a port no route leads to, and one only buses that carry
    // nobody lead to (explain's bounds do), and says so.
    let left_out = |people: RowPeople| {
        ctx.rep
            .rows
            .iter()
            .any(|r| r.stage == Stage::Port && r.port.is_some() && r.people == people)
    };
    // Each line its own pattern or grey level: screening's orange and transport's sky blue are
    // one grey in print, so transport is dashed; registrations, grey, in short dashes.
    let totals = [
        (Stage::Registration, "Registrations expected", GREY),
        (Stage::Screening, "Screening capacity", OI_ORANGE),
        (Stage::Transport, "Transport seats", OI_SKY),
        (
            Stage::Port,
            if left_out(RowPeople::Unused) {
                "Port capacity, ports in use"
            } else if left_out(RowPeople::NoRoute) {
                "Port capacity, ports a route reaches"
            } else {
                "Port capacity, all ports"
            },
            OI_BLACK,
        ),
    ];
    let thr = processed_all(ctx);
    // y range: every series as drawn: the daily capacities of the limited stages, the throughput
    // and the weekly means of the expected registrations (the registration line is drawn as
    // weekly means, so its daily spikes do not stretch the axis, but its first weeks are not cut).
    let reg = ctx.rep.total(Stage::Registration);
    let reg_max = if reg.unlimited {
        0.0
    } else {
        weekly(&reg.capacity[..days.min(reg.capacity.len())], f64::INFINITY)
            .iter()
            .map(|p| p.1)
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
    };
    let cap_max = totals[1..]
        .iter()
        .flat_map(|(s, _, _)| ctx.rep.total(*s).capacity.iter().take(days).copied())
        .filter(|c| c.is_finite())
        .fold(thr.iter().copied().fold(reg_max, f64::max), f64::max);
    let ymax = y_top(cap_max.max(1.0) * 1.15);
    let mut chart = ChartBuilder::on(&top)
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(90)
        .build_cartesian_2d(DayAxis::new(ctx.scn.start_date, 0.0, x1), 0.0..ymax)
        .map_err(err)?;
    let fx = date_label(ctx.scn.start_date, x1);
    chart
        .configure_mesh()
        .x_label_formatter(&fx)
        .y_label_formatter(&people_label)
        .y_desc("Capacity and flow [people/day]")
        .axis_desc_style((FONT, AXIS_SIZE))
        .label_style((FONT, TEXT_SIZE))
        .bold_line_style(OI_BLACK.mix(0.12))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(err)?;
    let mut items = Vec::new();
    // The days the capacities and the throughput both have: each line's weekly means are over
    // the same days, also in a last week cut by the horizon (its last seven days for both; the
    // throughput had been the mean of the days left, four weekdays at 186 a day, over a
    // capacity of the seven days' 148).
    let common = common_days(ctx, &thr);
    for (s, label, c) in totals {
        let row = ctx.rep.total(s);
        if row.unlimited {
            items.push((format!("{label}: unlimited"), Mark::Band(WHITE, 0.0)));
            continue;
        }
        // Weekly means keep weekday closures readable and the vertex count small.
        let pts = bottleneck_weekly(&row.capacity, common, days, ymax);
        // Registrations: a thin grey line of short dashes (the grey of "registration" in the
        // strip), so that it is not mistaken for the black capacity-bound marker.
        let (w, pattern) = match s {
            Stage::Registration => (2, SHORT_DASH),
            Stage::Transport => (3, LONG_DASH),
            _ => (3, SOLID),
        };
        draw_line(&mut chart, pts, c, w, pattern)?;
        items.push((label.to_string(), Mark::Styled(c, w, pattern)));
    }
    let pts = bottleneck_weekly(&thr, common, days, ymax);
    draw_line(&mut chart, pts, PROCESSED_ALL, 2, DASH_DOT)?;
    items.push((
        "Processed, all ports (mean)".into(),
        Mark::Styled(PROCESSED_ALL, 2, DASH_DOT),
    ));
    // Both markers' lines first, then their labels, so that neither line crosses the other's
    // label.
    // The bound's line is at the start of its day, 00:00 of the date its label and `explain`
    // give: the day the last people can pass, so clearance comes within that day, not before
    // it. The line had been at the day's end (day + 1, since the first version, without a
    // reason given), a day after the date in its label, so a P50 on the bound's own day was
    // drawn before the line, as if it beat the bound.
    let bound = ctx
        .rep
        .lower_bound_day
        .map(|lb| (lb, lb as f64))
        .filter(|&(_, x)| x <= x1);
    let p50 = ctx.q(0.5);
    // A P50 on the bound (within 2 pixels, as a deterministic run's is) would hide the bound's
    // line under its own: the two then alternate shorter dashes, black and orange.
    let px = |x: f64| chart.backend_coord(&(x, 0.0)).0;
    let together = matches!((bound, p50), (Some((_, b)), Some(p)) if (px(b) - px(p)).abs() <= 2);
    // The markers' dates and pixel columns, the bound's first: each label goes where its white
    // box hides the other's line nowhere (`label_place`, as the fan chart's labels). The P50's
    // label, to the left of its line from 70% of the axis on, had covered the bound's line
    // where the bound fell within its width before the P50 (the baseline's June 19 under
    // "P50: Jul 15 2021").
    let marks: Vec<f64> = bound.map(|b| b.1).into_iter().chain(p50).collect();
    let cols: Vec<i32> = marks.iter().map(|&x| px(x)).collect();
    let dashes = |k: f64| {
        if together {
            (TOGETHER_DASH, 6.5 * k)
        } else {
            (DASHED, 0.0)
        }
    };
    if let Some((_, x)) = bound {
        let (pattern, skip) = dashes(0.0);
        vline_dashes(&mut chart, x, ymax, OI_BLACK, pattern, skip)?;
    }
    if let Some(p50) = p50 {
        let (pattern, skip) = dashes(1.0);
        vline_dashes(&mut chart, p50, ymax, OI_ORANGE, pattern, skip)?;
    }
    if let Some((lb, x)) = bound {
        // As `explain` says it: a floor from capacities, or an estimate when servers with
        // random service times set it; drop-outs loosen either.
        let estimate = ctx.rep.bound_is_estimate();
        let name = if estimate {
            "Capacity estimate"
        } else {
            "Capacity bound"
        };
        let label = format!("{name}: {}", ctx.date(lb as f64).format("%b %d %Y"));
        let (at, right) = label_place(&chart, &cols, 0, &label, x < x1 * 0.7);
        vline_label(&mut chart, marks[at], ymax * 0.97, OI_BLACK, &label, right)?;
        items.push((
            match (ctx.rep.attrition_loosens(), estimate) {
                (true, _) => format!("{name}, if nobody dropped out"),
                (false, true) => format!("{name}: clearance expected about"),
                (false, false) => format!("{name}: clearance not expected before"),
            },
            Mark::Dashed(OI_BLACK),
        ));
    }
    if let Some(p50) = p50 {
        let label = pct_label(ctx, "P50", p50);
        let k = marks.len() - 1;
        let (at, right) = label_place(&chart, &cols, k, &label, p50 < x1 * 0.7);
        vline_label(&mut chart, marks[at], ymax * 0.89, OI_ORANGE, &label, right)?;
        items.push(("P50 clearance date".into(), Mark::Dashed(OI_ORANGE)));
    }
    items.push(("Lines are weekly means.".into(), Mark::Note));
    // The strip: which stage binds, week by week, up to the median clearance, or up to the
    // horizon when the median run does not clear within it (as the table's heading says).
    let median_censored = ctx
        .q(0.5)
        .is_some_and(|m| ctx.input.summary.is_censored_clearance(m));
    let mut s = ChartBuilder::on(&strip)
        .margin_left(12)
        .margin_right(12)
        .caption(
            if median_censored {
                "Binding stage per week (up to the horizon: the median run does not clear within it)"
            } else {
                "Binding stage per week (up to the median clearance)"
            },
            (FONT, TEXT_SIZE),
        )
        .x_label_area_size(56)
        .y_label_area_size(90)
        .build_cartesian_2d(DayAxis::new(ctx.scn.start_date, 0.0, x1), 0.0..1.0)
        .map_err(err)?;
    s.configure_mesh()
        .x_label_formatter(&fx)
        .x_desc(date_desc(ctx.scn.start_date, 0.0, x1))
        .axis_desc_style((FONT, AXIS_SIZE))
        .label_style((FONT, TEXT_SIZE))
        .disable_y_axis()
        .disable_mesh()
        .draw()
        .map_err(err)?;
    let colors = binding_colors(&ctx.bindings, &ctx.slot);
    let color_of = |b: &PeriodBinding| {
        colors
            .iter()
            .find(|(n, _)| *n == b.name)
            .map_or(stage_color(b, &ctx.slot), |(_, c)| *c)
    };
    s.draw_series(ctx.bindings.iter().map(|b| {
        Rectangle::new(
            [(b.from_day as f64, 0.0), (b.to_day as f64, 1.0)],
            color_of(b).filled(),
        )
    }))
    .map_err(err)?;
    // Weeks in which the stage that binds had no capacity at all (closed: no servers, quota or
    // seats) are hatched in white over its colour, as the table says "no capacity"; they had
    // looked like any other week of that stage.
    let closed: Vec<&PeriodBinding> = ctx
        .bindings
        .iter()
        .filter(|b| {
            b.utilization.is_none() && !matches!(b.stage, Stage::Registration | Stage::Health)
        })
        .collect();
    // The hatch is spaced in pixels, not days: diagonals at 45° rising the strip's height,
    // `HATCH_PX` apart, converted to days at the strip's scale. Spaced in days (0.75 apart,
    // rising over 1.5), they had fallen about a pixel apart on a chart of a year or more, and
    // their white lines, two pixels wide, had covered the stage's colour entirely.
    let (xs, ys) = s.plotting_area().get_pixel_range();
    let day_per_px = x1 / f64::from((xs.end - xs.start).max(1));
    let run = f64::from((ys.end - ys.start).abs().max(1)) * day_per_px;
    // One hatch per run of consecutive closed weeks of one stage, so that its diagonals run on
    // across the weeks' edges rather than restarting at each.
    let mut runs: Vec<(&str, f64, f64)> = Vec::new();
    for b in &closed {
        let (from, to) = (b.from_day as f64, (b.to_day as f64).min(x1));
        match runs.last_mut() {
            Some((name, _, end)) if *name == b.name && *end == from => *end = to,
            _ => runs.push((&b.name, from, to)),
        }
    }
    for &(_, from, to) in runs.iter().filter(|r| r.2 > r.1) {
        let lines = hatch(from, to, run, HATCH_PX * day_per_px)
            .into_iter()
            .map(|(p, q)| PathElement::new(vec![p, q], WHITE.stroke_width(2)));
        s.draw_series(lines).map_err(err)?;
    }
    // Each run of weeks of one stage is labelled with the stage's name where the name fits in
    // it (in black or white, whichever stands out more on its colour), so that blocks of one
    // grey in print (registration, El Paso, Brownsville) are named on the strip itself. The
    // legend names only the stages some of whose weeks go unlabelled.
    let port_names: Vec<String> = ctx.scn.ports.iter().map(|p| p.name.clone()).collect();
    let labelled = label_blocks(&mut s, &ctx.bindings, x1, &color_of, &port_names)?;
    for (name, c) in &colors {
        match labelled.iter().find(|l| l.0 == *name) {
            Some((_, None)) => {}
            Some((_, Some(short))) => {
                items.push((format!("Binds: {name} ({short})"), Mark::Band(*c, 1.0)))
            }
            None => items.push((format!("Binds: {name}"), Mark::Band(*c, 1.0))),
        }
    }
    if !closed.is_empty() {
        items.push((
            "Hatched: it had no capacity (closed)".into(),
            Mark::Hatched(GREY),
        ));
    }
    draw_legend(&legend, &items)
}

/// Height of the bottleneck chart's strip (its caption, the blocks and the date axis) \[px\].
const STRIP_H: u32 = 150;

/// The bound's and the P50's pattern when they fall on one column: each one's dashes in the
/// other's gaps.
const TOGETHER_DASH: Dash = &[6, 7];

/// The labels a block of binding stage `b` in the strip may carry, longest first: its name
/// ("port El Paso"), for a port the port's name alone ("El Paso"), then an abbreviation: a
/// port's initials ("EP") or a single word's first three letters ("Bro."), a stage's first word
/// when it is short ("health") or else its first three letters ("reg.", "scr."), and last its
/// first two letters ("Br", "Re").
fn block_labels(b: &PeriodBinding, port_name: Option<&str>) -> Vec<String> {
    let mut out = vec![b.name.clone()];
    let abbrev = |s: &str| -> String {
        let words: Vec<&str> = s.split_whitespace().collect();
        match words.as_slice() {
            [one] if one.chars().count() <= 4 => one.to_string(),
            [first, _, ..] if port_name.is_none() && first.chars().count() <= 6 => {
                first.to_string()
            }
            [_, _, ..] if port_name.is_some() => words
                .iter()
                .filter_map(|w| w.chars().next())
                .filter(|c| c.is_alphanumeric())
                .collect(),
            _ => s.chars().take(3).collect::<String>() + ".",
        }
    };
    // Last, two letters for a narrow block ("Br", "Re"): the legend gives the name beside them.
    let two = |s: &str| -> String {
        let mut c = s.chars().filter(|c| c.is_alphanumeric());
        c.next()
            .into_iter()
            .flat_map(char::to_uppercase)
            .chain(c.next())
            .collect()
    };
    let source = match port_name {
        Some(p) if b.stage == Stage::Port => {
            out.push(p.to_string());
            p
        }
        _ => b.name.as_str(),
    };
    let short = abbrev(source);
    // Initials ("EP") are two letters already.
    let last = (short.chars().count() > 2).then(|| two(source));
    out.push(short);
    out.extend(last);
    out.dedup();
    out
}

/// Label the runs of consecutive weeks of one binding stage in the strip `s` (days on x, 0 to 1
/// on y) with the longest of [`block_labels`] that fits inside the run's width with 6 pixels to
/// spare either side, centred. Returns, for each stage some run of which was labelled, its
/// name and `None` when every run of it carries the name in full, else the shortest label used
/// (for the legend to explain).
fn label_blocks<DB: DrawingBackend, X, Y>(
    s: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    bindings: &[PeriodBinding],
    x1: f64,
    color_of: &dyn Fn(&PeriodBinding) -> RGBColor,
    port_names: &[String],
) -> Result<Vec<(String, Option<String>)>, String>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let mut runs: Vec<(&PeriodBinding, f64, f64)> = Vec::new();
    for b in bindings {
        let (from, to) = (b.from_day as f64, (b.to_day as f64).min(x1));
        match runs.last_mut() {
            Some((first, _, end)) if first.name == b.name && *end == from => *end = to,
            _ => runs.push((b, from, to)),
        }
    }
    // Per stage name: whether every run was labelled, and the shortest label other than the
    // name used.
    let mut out: Vec<(String, bool, Option<String>)> = Vec::new();
    for (b, from, to) in runs.into_iter().filter(|r| r.2 > r.1) {
        let fill = color_of(b);
        let text = if contrast(OI_BLACK, fill) >= contrast(WHITE, fill) {
            OI_BLACK
        } else {
            WHITE
        };
        let style = TextStyle::from((FONT, TEXT_SIZE).into_font())
            .color(&text)
            .pos(Pos::new(HPos::Center, VPos::Center));
        let width = s.backend_coord(&(to, 0.5)).0 - s.backend_coord(&(from, 0.5)).0;
        let port = b.port.and_then(|p| port_names.get(p)).map(String::as_str);
        let fits = |l: &String| {
            s.plotting_area()
                .estimate_text_size(l, &style)
                .is_ok_and(|(w, _)| w as i32 + 12 <= width)
        };
        let label = block_labels(b, port).into_iter().find(|l| fits(l));
        let k = match out.iter().position(|o| o.0 == b.name) {
            Some(k) => k,
            None => {
                out.push((b.name.clone(), true, None));
                out.len() - 1
            }
        };
        match &label {
            None => out[k].1 = false,
            Some(l) if *l != b.name => {
                let shorter = out[k].2.as_ref().is_none_or(|o| l.len() < o.len());
                if shorter {
                    out[k].2 = Some(l.clone());
                }
            }
            Some(_) => {}
        }
        if let Some(l) = label {
            s.draw_series(std::iter::once(Text::new(
                l,
                ((from + to) / 2.0, 0.5),
                style,
            )))
            .map_err(err)?;
        }
    }
    Ok(out
        .into_iter()
        .filter(|o| o.1)
        .map(|(name, _, short)| (name, short))
        .collect())
}

/// Horizontal distance between the diagonals of the white hatch over weeks with no capacity, in
/// the bottleneck strip and its legend entry \[pixels\].
pub(crate) const HATCH_PX: f64 = 8.0;

/// The diagonals of a hatch over x from `a` to `z`, in a box of height 1: each rises from 0 to 1
/// over `run`, one starting every `spacing` from `a − run`, clipped to the box (the bottleneck
/// strip's closed weeks and their legend entry, the sweep heatmap's censored cells).
pub(crate) fn hatch(a: f64, z: f64, run: f64, spacing: f64) -> Vec<((f64, f64), (f64, f64))> {
    let mut out = Vec::new();
    let mut x = a - run;
    while x < z {
        let start = if x < a { (a, (a - x) / run) } else { (x, 0.0) };
        let end = if x + run > z {
            (z, (z - x) / run)
        } else {
            (x + run, 1.0)
        };
        // The first diagonal can meet the box in its corner only: nothing to draw.
        if end.0 > start.0 {
            out.push((start, end));
        }
        x += spacing;
    }
    out
}

/// [`weekly`] of a capacity drawn up to `days`: a last week cut by the chart's edge or by the
/// end of the data keeps a full week's mean (of its seven days, or of the last seven there are)
/// rather than the mean of the days left, which a weekend closure would pull down.
fn weekly_clipped(v: &[f64], days: usize, ymax: f64) -> Vec<(f64, f64)> {
    let full = days.div_ceil(7) * 7;
    let have = full.min(v.len());
    let mut pts = weekly(&v[..have], ymax);
    // A last week the data stops inside (the analysis ends at the horizon): the mean of the
    // last seven days there are, a full week's (the same for a capacity that repeats weekly).
    if !have.is_multiple_of(7) && have >= 7 {
        let m = (v[have - 7..have].iter().sum::<f64>() / 7.0).min(ymax);
        let n = pts.len();
        pts[n - 2].1 = m;
        pts[n - 1].1 = m;
    }
    for p in &mut pts {
        p.0 = p.0.min(days as f64);
    }
    pts
}

/// Weekly mean of a daily series as (x, y) points at week midpoints, clipped at `ymax`.
fn weekly(v: &[f64], ymax: f64) -> Vec<(f64, f64)> {
    v.chunks(7)
        .enumerate()
        .flat_map(|(w, c)| {
            let m = (c.iter().sum::<f64>() / c.len() as f64).min(ymax);
            let a = (w * 7) as f64;
            [(a, m), (a + c.len() as f64, m)]
        })
        .collect()
}

fn draw<DB: DrawingBackend>(chart: Chart, root: &DrawingArea<DB, Shift>, ctx: &Ctx<'_>) -> DResult {
    match chart {
        Chart::Fan => draw_fan(root, ctx),
        Chart::ClearanceDistribution => draw_clearance(root, ctx),
        Chart::CumulativeProcessed => draw_cumulative(root, ctx),
        Chart::Ports => draw_ports(root, ctx),
        Chart::Queues => draw_queues(root, ctx),
        Chart::Bottleneck => draw_bottleneck(root, ctx),
    }
}

fn context<'a>(scn: &'a Scenario, input: &ChartInput<'a>) -> Ctx<'a> {
    ensure_font();
    let rep = crate::analysis::explain_for_run(scn, input);
    let bindings = bind_with(scn, &rep, input);
    let mut clear: Vec<f64> = input.clearance_days.to_vec();
    clear.sort_by(f64::total_cmp);
    let last = clear.last().copied().unwrap_or(0.0).ceil() + 1.0;
    let x_end = (input.daily.days as f64).max(last).max(1.0);
    let order = port_order(scn, input);
    let mut slot = vec![0; order.len()];
    for (k, &p) in order.iter().enumerate() {
        slot[p] = k;
    }
    Ctx {
        scn,
        input: *input,
        rep,
        bindings,
        clear,
        x_end,
        order,
        slot,
    }
}

/// The order in which the charts take the ports, and give them colours and patterns: scenario
/// order with up to [`PORT_PANELS`] ports (so that a scenario of a few ports is drawn as it
/// always was); with more, by people processed, most first (the mean over the replications of
/// `summary.json`, else the sum of the daily means; ties in scenario order), so that the ports
/// chart's panels and the line charts' lines are those that processed the most, and a port
/// keeps its colour from one chart to the next.
fn port_order(scn: &Scenario, input: &ChartInput<'_>) -> Vec<usize> {
    let n = scn.ports.len();
    let mut order: Vec<usize> = (0..n).collect();
    if n <= PORT_PANELS {
        return order;
    }
    let d = input.daily;
    let processed: Vec<f64> = scn
        .ports
        .iter()
        .enumerate()
        .map(|(p, port)| {
            let from_summary = input
                .summary
                .ports
                .get(p)
                .filter(|s| s.name == port.name)
                .and_then(|s| s.processed.as_ref())
                .map(|s| s.mean);
            from_summary.unwrap_or_else(|| {
                d.series_index(&format!("processed_today:{}", port.name))
                    .map_or(0.0, |s| (0..d.days).map(|day| d.get(day, s).mean).sum())
            })
        })
        .collect();
    // A stable sort: equal counts stay in scenario order.
    order.sort_by(|&a, &b| processed[b].total_cmp(&processed[a]));
    order
}

fn chart_error(chart: Chart, message: String) -> OutputError {
    OutputError::Chart {
        chart: chart.name().into(),
        message,
    }
}

/// The font an SVG's text asks for: the bundled DejaVu Sans that laid it out (and that the PNG
/// uses), where the viewer has it, else the viewer's sans-serif, whose other widths can make
/// a label overrun what was measured for it.
const SVG_FONT: &str = "font-family=\"DejaVu Sans, Verdana, sans-serif\"";

/// Draw a `size` picture with `draw` as SVG text, in memory (written afterwards with the
/// atomic writer, never drawn in place). Its text names DejaVu Sans first ([`SVG_FONT`]):
/// plotters writes the family the font was registered under, "sans-serif".
pub(crate) fn svg_in_memory(
    size: (u32, u32),
    draw: impl FnOnce(DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), OutputError>,
) -> Result<String, OutputError> {
    let mut s = String::new();
    draw(SVGBackend::with_string(&mut s, size).into_drawing_area())?;
    Ok(s.replace(&format!("font-family=\"{FONT}\""), SVG_FONT))
}

/// Draw a `size` picture with `draw` into an RGB buffer in memory (white to start with) and
/// encode it as PNG; `path`, the file it is for, names an encoding error. The bytes are those
/// `BitMapBackend::new(path)` would have saved, written afterwards with the atomic writer.
pub(crate) fn png_in_memory(
    size: (u32, u32),
    path: &Path,
    draw: impl FnOnce(DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), OutputError>,
) -> Result<Vec<u8>, OutputError> {
    use image::ImageEncoder;
    let (w, h) = size;
    let mut buf = vec![255u8; (w * h * 3) as usize];
    draw(BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area())?;
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&buf, w, h, image::ColorType::Rgb8)
        .map_err(|e| OutputError::Encode {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
    Ok(out)
}

fn render_svg(chart: Chart, ctx: &Ctx<'_>) -> Result<String, OutputError> {
    svg_in_memory(chart.size(ctx.scn.ports.len()), |root| {
        draw(chart, &root, ctx).map_err(|m| chart_error(chart, m))?;
        root.present()
            .map_err(|e| chart_error(chart, e.to_string()))
    })
}

fn render_png(chart: Chart, ctx: &Ctx<'_>, path: &Path) -> Result<Vec<u8>, OutputError> {
    png_in_memory(chart.size(ctx.scn.ports.len()), path, |root| {
        draw(chart, &root, ctx).map_err(|m| chart_error(chart, m))?;
        root.present()
            .map_err(|e| chart_error(chart, e.to_string()))
    })
}

/// Every chart as SVG text: (chart, svg), in report order.
pub fn render_svgs(
    scn: &Scenario,
    run: &ChartInput<'_>,
) -> Result<Vec<(Chart, String)>, OutputError> {
    let ctx = context(scn, run);
    Chart::ALL
        .iter()
        .map(|c| Ok((*c, render_svg(*c, &ctx)?)))
        .collect()
}

/// Write every chart as `NAME.png` and `NAME.svg` into `dir` (created if missing), atomically.
/// Returns the paths written, PNG then SVG for each chart in `Chart::ALL` order.
pub fn write_charts(
    dir: &Path,
    scn: &Scenario,
    run: &ChartInput<'_>,
) -> Result<Vec<PathBuf>, OutputError> {
    std::fs::create_dir_all(dir).map_err(|source| OutputError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let ctx = context(scn, run);
    let mut written = Vec::new();
    for chart in Chart::ALL {
        let png = dir.join(format!("{}.png", chart.name()));
        let bytes = render_png(chart, &ctx, &png)?;
        atomic_write(&png, &bytes)?;
        written.push(png);
        let svg = dir.join(format!("{}.svg", chart.name()));
        atomic_write(&svg, render_svg(chart, &ctx)?.as_bytes())?;
        written.push(svg);
    }
    Ok(written)
}

/// What fails the charts' print and contrast rules in an SVG: every `<text>` whose font size is
/// under 14 pixels, or whose colour (its fill blended with white by its opacity) has less than
/// [`TEXT_CONTRAST`] on white. White text is left out: it is drawn on a coloured block (the
/// bottleneck strip's, a tornado bar), on which black or white is chosen by contrast.
#[cfg(test)]
pub(crate) fn svg_text_problems(svg: &str) -> Vec<String> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[at..].split('"').next()?.to_string())
    };
    let mut out = Vec::new();
    for piece in svg.split("<text").skip(1) {
        let tag = piece.split('>').next().unwrap_or("");
        let text = piece
            .split('>')
            .nth(1)
            .unwrap_or("")
            .split('<')
            .next()
            .unwrap_or("");
        if text.trim().is_empty() {
            continue;
        }
        let size: f64 = attr(tag, "font-size")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0);
        if size < 14.0 {
            out.push(format!("{text:?}: font size {size:.1} px"));
        }
        let fill = attr(tag, "fill").unwrap_or_default();
        let op: f64 = attr(tag, "opacity")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1.0);
        let hex = |k: usize| u8::from_str_radix(fill.get(1 + 2 * k..3 + 2 * k).unwrap_or("00"), 16);
        let (Ok(r), Ok(g), Ok(b)) = (hex(0), hex(1), hex(2)) else {
            out.push(format!("{text:?}: fill {fill:?}"));
            continue;
        };
        let blend = |v: u8| (f64::from(v) * op + 255.0 * (1.0 - op)).round() as u8;
        let c = RGBColor(blend(r), blend(g), blend(b));
        if c != WHITE && contrast(c, WHITE) < TEXT_CONTRAST {
            out.push(format!(
                "{text:?}: {fill} at opacity {op}, contrast {:.2}",
                contrast(c, WHITE)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every port of the line charts (they draw up to [`PORT_LINES`]) has a colour and dash
    /// pattern of its own: the ninth had been drawn as the first, blue and dash-dot, and the
    /// legend could not tell them apart. The first eight keep their patterns.
    #[test]
    fn no_two_ports_share_colour_and_pattern() {
        let pairs: Vec<(RGBColor, Dash)> = (0..64).map(|p| (port_color(p), port_dash(p))).collect();
        for (a, pa) in pairs.iter().enumerate() {
            for (b, pb) in pairs.iter().enumerate().skip(a + 1) {
                assert!(pa != pb, "ports {a} and {b} share colour and pattern");
            }
        }
        const { assert!(PORT_LINES <= 64) };
        for (p, &d) in PORT_DASHES.iter().enumerate() {
            assert_eq!(port_dash(p), d);
        }
    }

    /// Every text of every run chart is at least 14 pixels and has a contrast of 4.5:1 on
    /// white (the P50 labels had been in the Okabe–Ito orange, 2.2:1, at 12 pixels), and the
    /// bottleneck strip names its blocks where they are wide enough.
    #[test]
    fn chart_text_is_large_and_dark_enough_to_print() {
        let mut scn =
            crate::scenario::load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
        scn.replications = 40;
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let input = ChartInput::from_run(&run);
        let svgs = render_svgs(&scn, &input).unwrap();
        for (chart, svg) in &svgs {
            let problems = svg_text_problems(svg);
            assert!(problems.is_empty(), "{}: {problems:#?}", chart.name());
        }
        let (_, bottleneck) = svgs.iter().find(|c| c.0 == Chart::Bottleneck).unwrap();
        assert!(
            bottleneck.contains(">\nport El Paso\n</text>"),
            "the El Paso block is named"
        );
        assert!(bottleneck.contains(">\nregistration\n</text>"));
        // A stage named in full on every block of it is not in the legend again.
        assert!(!bottleneck.contains("Binds: port El Paso"));
        let (_, clearance) = svgs
            .iter()
            .find(|c| c.0 == Chart::ClearanceDistribution)
            .unwrap();
        assert!(!clearance.contains("ECDF"), "plain words, not ECDF");
    }

    /// The text colours of the palette's lines: darker shades of the same hue with at least
    /// 4.5:1 on white; black and the grey are kept as they are.
    #[test]
    fn text_in_a_lines_colour_has_contrast_on_white() {
        assert!((contrast(OI_BLACK, WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast(OI_ORANGE, WHITE) - 2.25).abs() < 0.01);
        let palette = [
            OI_BLACK,
            OI_ORANGE,
            OI_SKY,
            OI_GREEN,
            OI_YELLOW,
            OI_BLUE,
            OI_VERMILLION,
            OI_PURPLE,
            OI_YELLOW_DARK,
            GREY,
            HEALTH,
            PROCESSED_ALL,
        ];
        for c in palette.iter().chain(&PORT_COLORS) {
            let d = ink(*c);
            assert!(contrast(d, WHITE) >= TEXT_CONTRAST, "{c:?} -> {d:?}");
            // The same hue: the channels scaled together (to within rounding).
            let k = f64::from(d.0.max(d.1).max(d.2)) / f64::from(c.0.max(c.1).max(c.2).max(1));
            for (a, b) in [(c.0, d.0), (c.1, d.1), (c.2, d.2)] {
                assert!(
                    (f64::from(a) * k - f64::from(b)).abs() <= 1.5,
                    "{c:?} -> {d:?}"
                );
            }
        }
        assert_eq!(ink(OI_BLACK), OI_BLACK);
        assert_eq!(ink(GREY), GREY);
        assert_ne!(ink(OI_ORANGE), OI_ORANGE);
        // Black or white on a block: the better of the two always has 4.5:1.
        for v in (0..=255).step_by(5) {
            let c = RGBColor(v, v, v);
            assert!(contrast(OI_BLACK, c).max(contrast(WHITE, c)) >= TEXT_CONTRAST);
        }
    }

    /// The strip's labels, longest first, down to two letters for a narrow block.
    #[test]
    fn strip_blocks_have_short_labels_too() {
        let b = |stage: Stage, port: Option<usize>, name: &str| PeriodBinding {
            from_day: 0,
            to_day: 7,
            from_date: NaiveDate::from_ymd_opt(2021, 2, 19).unwrap(),
            stage,
            port,
            name: name.into(),
            utilization: None,
            queue: 0.0,
            loads: Vec::new(),
        };
        let reg = b(Stage::Registration, None, "registration");
        assert_eq!(block_labels(&reg, None), ["registration", "reg.", "Re"]);
        let health = b(Stage::Health, None, "health check");
        assert_eq!(
            block_labels(&health, None),
            ["health check", "health", "He"]
        );
        let ep = b(Stage::Port, Some(1), "port El Paso");
        assert_eq!(
            block_labels(&ep, Some("El Paso")),
            ["port El Paso", "El Paso", "EP"]
        );
        let bro = b(Stage::Port, Some(2), "port Brownsville");
        assert_eq!(
            block_labels(&bro, Some("Brownsville")),
            ["port Brownsville", "Brownsville", "Bro.", "Br"]
        );
    }

    /// Dash patterns run on across a polyline's vertices and start `phase` pixels in.
    #[test]
    fn dash_runs_follow_the_pattern_along_the_line() {
        // 30 pixels in two segments, dashes of 8 with gaps of 5.
        let pts = [(0.0, 0.0), (10.0, 0.0), (10.0, 20.0)];
        let runs = dash_runs(&pts, &[8, 5], 0.0);
        assert_eq!(runs.len(), 3);
        assert_eq!(runs[0], [(0.0, 0.0), (8.0, 0.0)]);
        // The second dash turns the corner: 13 to 21 along the line.
        assert_eq!(runs[1], [(10.0, 3.0), (10.0, 11.0)]);
        assert_eq!(runs[2], [(10.0, 16.0), (10.0, 20.0)]);
        // Started 8 pixels in: a gap first.
        let late = dash_runs(&pts, &[8, 5], 8.0);
        assert_eq!(late[0][0], (5.0, 0.0));
        assert_eq!(dash_runs(&pts, SOLID, 0.0), [pts.to_vec()]);
        // Dash-dot: two dashes of different lengths a period.
        let long = [(0.0, 0.0), (44.0, 0.0)];
        let lens: Vec<f64> = dash_runs(&long, DASH_DOT, 0.0)
            .iter()
            .map(|r| r[r.len() - 1].0 - r[0].0)
            .collect();
        assert_eq!(lens, [12.0, 2.0, 12.0, 2.0]);
    }

    /// Every line of the queues and cumulative charts has its own colour and dash pattern, up
    /// to eight ports: no port's line is a stage's or a total's in colour or in pattern (the
    /// health check and transit had been the fourth port's and the first's colours, and the
    /// fourth port's pattern transit's), and no two ports' lines share either (the patterns
    /// had repeated from the fifth port). The clearance percentiles' markers differ from each
    /// other.
    #[test]
    fn lines_of_a_chart_differ_in_pattern() {
        /// Every two of `lines` differ in colour and in dash pattern, named by index.
        fn all_apart(chart: &str, lines: &[(RGBColor, Dash)]) {
            for (i, a) in lines.iter().enumerate() {
                for (j, b) in lines.iter().enumerate().skip(i + 1) {
                    assert_ne!(a.0, b.0, "{chart}: lines {i} and {j} share a colour");
                    assert_ne!(a.1, b.1, "{chart}: lines {i} and {j} share a pattern");
                }
            }
        }
        let ports: Vec<(RGBColor, Dash)> = (0..8).map(|p| (port_color(p), port_dash(p))).collect();
        // The queues chart: the four stages, then eight ports.
        let queues: Vec<(RGBColor, Dash)> = QUEUE_STAGES.iter().chain(&ports).copied().collect();
        all_apart("queues", &queues);
        // The cumulative chart: its totals (two of them black, one solid and one dotted) apart
        // from each other in pattern, each port apart from every other line in both.
        for (i, a) in CUMULATIVE_TOTALS.iter().enumerate() {
            for b in &CUMULATIVE_TOTALS[i + 1..] {
                assert_ne!(a, b);
            }
        }
        all_apart("cumulative ports", &ports);
        for (p, (c, d)) in ports.iter().enumerate() {
            for (tc, td) in CUMULATIVE_TOTALS {
                assert!(
                    *c != tc && *d != td,
                    "cumulative: port {p} shares a total's style"
                );
            }
        }
        // Nor is a port's colour one the other charts give a stage or a total.
        for c in [OI_ORANGE, OI_SKY, GREY, OI_BLACK, HEALTH, PROCESSED_ALL] {
            assert!(!PORT_COLORS.contains(&c), "{c:?} is a port's colour");
        }
        // The bundled six-port record scenario, as drawn: ten lines, all apart.
        let mut rec =
            crate::scenario::load_file(std::path::Path::new("scenarios/mpp-2021-record.toml"))
                .unwrap();
        rec.replications = 2;
        assert_eq!(rec.ports.len(), 6);
        let run = crate::experiment::run(&rec, &Default::default()).unwrap();
        let input = ChartInput::from_run(&run);
        let lines = queue_lines(&context(&rec, &input));
        assert_eq!(
            lines.len(),
            10,
            "{:?}",
            lines.iter().map(|l| &l.0).collect::<Vec<_>>()
        );
        let styles: Vec<(RGBColor, Dash)> = lines.iter().map(|l| l.1).collect();
        all_apart("queues of the record scenario", &styles);
        assert_ne!(P50_DASH, P90_DASH);
        assert_ne!(P90_DASH, P95_DASH);
        assert_ne!(P50_DASH, P95_DASH);
        let mut scn =
            crate::scenario::load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
        scn.replications = 5;
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let input = ChartInput::from_run(&run);
        let ctx = context(&scn, &input);
        // Screening's orange line is solid (one line and its legend swatch); screened, sky blue,
        // is drawn in dashes, line and swatch alike (it had been solid: two polylines).
        let svg = render_svg(Chart::Queues, &ctx).unwrap();
        let pieces = |colour: &str| {
            svg.matches(&format!("stroke=\"{colour}\" stroke-width=\"2\""))
                .count()
        };
        assert_eq!(pieces("#E69F00"), 2);
        assert!(pieces("#56B4E9") > 10, "{}", pieces("#56B4E9"));
    }

    /// A port open on weekdays only (the baseline's El Paso, Mon–Fri) is drawn as its weeks'
    /// means on a long axis: its median a step a week, not a line that falls to 0 every
    /// weekend, its caption and the legend say so; a port open every day keeps its daily line,
    /// and on a short axis so does the weekday port.
    #[test]
    fn a_weekday_port_is_drawn_as_weekly_means_on_a_long_axis() {
        let mut scn =
            crate::scenario::load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
        scn.replications = 4;
        let el_paso = scn.ports.iter().position(|p| p.name == "El Paso").unwrap();
        assert!(
            !scn.ports[el_paso].schedule.days[5],
            "El Paso is closed on Saturdays"
        );
        // The longest polyline in a port's colour (its median; the legend's swatch is short),
        // and the captions of the panels.
        let drawn = |scn: &Scenario| {
            let run = crate::experiment::run(scn, &Default::default()).unwrap();
            let input = ChartInput::from_run(&run);
            let ctx = context(scn, &input);
            let svg = render_svg(Chart::Ports, &ctx).unwrap();
            let c = ctx.port_color(el_paso);
            let stroke = format!("stroke=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2);
            let median: Vec<f64> = svg
                .split("<polyline")
                .filter(|e| e.contains(&stroke))
                .map(|e| {
                    let pts = e.split(" points=\"").nth(1).unwrap();
                    pts[..pts.find('"').unwrap()]
                        .split_whitespace()
                        .map(|p| p.split_once(',').unwrap().1.parse().unwrap())
                        .collect::<Vec<f64>>()
                })
                .max_by_key(|v| v.len())
                .unwrap();
            (svg, median, ctx.x_end)
        };
        let (svg, median, x_end) = drawn(&scn);
        assert!(x_end > WEEK_MEANS_AFTER_DAYS, "{x_end}");
        assert!(svg.contains("% (median) · 7-day means"), "{svg}");
        assert_eq!(
            svg.matches(WEEK_MEANS_CAPTION).count(),
            1,
            "El Paso's alone"
        );
        let said: Vec<&str> = svg
            .split("<text")
            .skip(1)
            .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim()))
            .collect();
        let said = said.join(" ");
        assert!(
            said.contains(&WEEK_MEANS_NOTE.replace('\'', "&apos;")),
            "{said}"
        );
        // A step a week: two points at each week's mean (the daily line had a point a day and
        // fell to 0 each weekend).
        let weeks = (x_end / 7.0).ceil() as usize + 1;
        assert!(median.len() <= 2 * weeks, "{} points", median.len());
        assert!(median.chunks(2).all(|w| w[0] == w[1]), "{median:?}");
        // On an axis of 60 days the daily line stays, and nothing says otherwise.
        scn.horizon = 60.0;
        let (svg, median, x_end) = drawn(&scn);
        assert!(x_end <= WEEK_MEANS_AFTER_DAYS, "{x_end}");
        assert!(!svg.contains("7-day means"));
        assert!(median.len() >= 55, "{} points", median.len());
    }

    /// A port's long name is shortened in its panel's caption and cut in the legends, so that
    /// no text runs off the canvas (a 60-character name had, at both ends of its caption).
    #[test]
    fn long_port_names_stay_on_the_canvas() {
        let mut scn =
            crate::scenario::load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
        scn.replications = 3;
        let long = "Nuevo Laredo — Puente Internacional Número Dos Juárez-Lincoln Bridge";
        scn.ports[0].name = long.into();
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let input = ChartInput::from_run(&run);
        let ctx = context(&scn, &input);
        let svg = render_svg(Chart::Ports, &ctx).unwrap();
        // The caption: the text element holding the first port's figures.
        let at = svg
            .find("processed (median)")
            .unwrap_or_else(|| panic!("{svg}"));
        let from = svg[..at].rfind('>').unwrap() + 1;
        let to = at + svg[at..].find('<').unwrap();
        let text = svg[from..to].trim();
        assert!(text.starts_with("Nuevo Laredo"), "{text}");
        assert!(!svg.contains(long) && text.contains('…'), "{text}");
        // The caption's text fits the panel: at most the characters of its width.
        assert!(
            text.chars().count() as f64 * AXIS_SIZE as f64 * 0.55 <= WIDTH as f64,
            "{text}"
        );
    }

    /// The queues chart does not call people in the health check "ready to travel": with a
    /// health check they have a line of their own and the screened line says it holds them.
    #[test]
    fn the_queues_chart_shows_the_health_check_apart() {
        let svg_of = |scn: &Scenario| {
            let run = crate::experiment::run(scn, &Default::default()).unwrap();
            let input = ChartInput::from_run(&run);
            let ctx = context(scn, &input);
            render_svg(Chart::Queues, &ctx).unwrap()
        };
        let mut scn =
            crate::scenario::load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
        scn.replications = 5;
        let with = svg_of(&scn);
        assert!(with.contains("In the health check"));
        assert!(with.contains("Screened, not boarded"));
        assert!(!with.contains("Ready to travel"));
        scn.health = None;
        let without = svg_of(&scn);
        assert!(without.contains("Ready to travel"));
        assert!(!without.contains("health check"));
        // The baseline dispatches by appointment: those ready to travel also wait for a port
        // appointment, which the line says (the legend wraps it); under fifo it does not.
        let lines = |scn: &Scenario| {
            let run = crate::experiment::run(scn, &Default::default()).unwrap();
            let input = ChartInput::from_run(&run);
            let ctx = context(scn, &input);
            queue_lines(&ctx)
                .into_iter()
                .map(|l| l.0)
                .collect::<Vec<_>>()
        };
        let labels = lines(&scn);
        assert!(
            labels.contains(&"Ready to travel (incl. waiting for an appointment)".to_string()),
            "{labels:?}"
        );
        scn.policy = crate::scenario::Policy::Fifo;
        let labels = lines(&scn);
        assert!(
            labels.contains(&"Ready to travel".to_string()),
            "{labels:?}"
        );
    }

    /// A horizon of 60 days cuts the last week (days 56–59, Monday to Thursday): the chart's
    /// throughput had been the mean of those four weekdays (186 a day) over a capacity of the
    /// last seven days' mean (148, weekend included). Both are now over the same days.
    #[test]
    fn the_bottleneck_charts_last_week_averages_both_lines_over_the_same_days() {
        let text = std::fs::read_to_string("tests/scenarios/port-servers-bind.toml")
            .unwrap()
            .replace("horizon = \"365d\"", "horizon = \"60d\"")
            .replace("servers = 4", "servers = 40")
            .replace("quota_per_day = 80", "quota_per_day = 20");
        let mut scn = crate::scenario::load_str(&text, "t.toml").unwrap();
        scn.replications = 4;
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let input = ChartInput::from_run(&run);
        let ctx = context(&scn, &input);
        let days = (ctx.x_end.ceil() as usize).min(ctx.rep.days);
        assert_eq!(days, 60);
        let thr = processed_all(&ctx);
        let common = common_days(&ctx, &thr);
        let cap = &ctx.rep.total(Stage::Port).capacity;
        let cap_pts = bottleneck_weekly(cap, common, days, f64::INFINITY);
        let thr_pts = bottleneck_weekly(&thr, common, days, f64::INFINITY);
        // Both lines' last week: the mean of days 53–59.
        let mean = |v: &[f64]| v[53..60].iter().sum::<f64>() / 7.0;
        let (c, t) = (cap_pts.last().unwrap().1, thr_pts.last().unwrap().1);
        assert!((c - mean(cap)).abs() < 1e-9, "{c} {cap_pts:?}");
        assert!((t - mean(&thr)).abs() < 1e-9, "{t} {thr_pts:?}");
        // Port A's weekday quota of 150 binds: processed is at the capacity, not far above it
        // as the four weekdays' mean against the week's was (150 against 150 × 5/7 + 20).
        assert!(t <= c * 1.02, "{t} > {c}");
        let weekdays = thr[56..60].iter().sum::<f64>() / 4.0;
        assert!(weekdays > c * 1.1, "{weekdays} {c}");
    }

    #[test]
    fn a_capacity_cut_by_the_charts_edge_keeps_its_full_week_mean() {
        // Open Monday to Friday at 100 a day; the chart ends two days into a week.
        let v: Vec<f64> = (0..21)
            .map(|d| if d % 7 < 5 { 100.0 } else { 0.0 })
            .collect();
        let pts = weekly_clipped(&v, 9, 1e9);
        let week = 500.0 / 7.0;
        assert_eq!(pts, [(0.0, week), (7.0, week), (7.0, week), (9.0, week)]);
        // Cut at the end of the data, the last seven days there are.
        let end = weekly_clipped(&v[..9], 9, 1e9);
        assert_eq!(end[3], (9.0, week));
    }

    #[test]
    fn people_ticks_are_labelled_only_at_whole_people() {
        let labels: Vec<String> = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 25_000.0]
            .iter()
            .map(people_label)
            .collect();
        assert_eq!(labels, ["0", "", "1", "", "2", "", "3", "25,000"]);
    }

    #[test]
    fn count_ticks_are_whole_and_distinct() {
        assert_eq!(CountAxis::new(2.16).ticks(8), [0.0, 1.0, 2.0]);
        assert_eq!(CountAxis::new(3.24).ticks(8), [0.0, 1.0, 2.0, 3.0]);
        assert_eq!(CountAxis::new(0.5).ticks(8), [0.0]);
        assert_eq!(
            CountAxis::new(10.8).ticks(8),
            [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
        );
        let t = CountAxis::new(540.0).ticks(8);
        assert_eq!(t, [0.0, 100.0, 200.0, 300.0, 400.0, 500.0]);
    }

    #[test]
    fn subtitles_name_the_set_values_within_one_line() {
        let rest = " · 5 replications · start 2021-02-19";
        assert_eq!(subtitle_with_set("Base", &[], rest), format!("Base{rest}"));
        let one = vec!["health.isolation=5d".to_string()];
        assert_eq!(
            subtitle_with_set("Base", &one, rest),
            format!("Base · with --set health.isolation=5d{rest}")
        );
        let many: Vec<String> = (0..12)
            .map(|i| format!("port[Port number {i}].quota_per_day={i}00"))
            .collect();
        let s = subtitle_with_set("Base", &many, rest);
        assert!(s.chars().count() <= SET_CHARS, "{s}");
        assert!(s.starts_with("Base · with --set port[Port number 0].quota_per_day=000, "));
        assert!(s.contains(" more)") && s.ends_with(rest), "{s}");
        let long = vec![
            "scenario.name=".to_string() + &"x".repeat(300),
            "a=1".into(),
        ];
        let s = subtitle_with_set("Base", &long, rest);
        assert_eq!(s, format!("Base · with 2 --set values{rest}"));
    }

    #[test]
    fn month_ticks_fall_on_the_first() {
        let start = NaiveDate::from_ymd_opt(2021, 2, 19).unwrap();
        let t = date_ticks(start, 0.0, 200.0);
        assert_eq!(t[0], 10.0); // Mar 01
        let f = date_label(start, 200.0);
        assert_eq!(f(&t[0]), "Mar 01");
        assert!(t.len() >= 6);
        let w = date_ticks(start, 0.0, 50.0);
        assert_eq!(w[0], 3.0); // Mon Feb 22

        // Ten years: one tick a year, on 1 January, labelled with the year alone (a tick every
        // six months, "Jan 2026", ran the labels into each other).
        let y = date_ticks(start, 0.0, 3650.0);
        let f = date_label(start, 3650.0);
        let labels: Vec<String> = y.iter().map(f).collect();
        assert_eq!(labels.first().map(String::as_str), Some("2022"));
        assert_eq!(labels.len(), 10, "{labels:?}");
        for x in &y {
            let d = start + chrono::Duration::days(*x as i64);
            assert_eq!((d.month(), d.day()), (1, 1));
        }
        // Twenty years: every other year.
        assert_eq!(date_ticks(start, 0.0, 7300.0).len(), 10);
        assert_eq!(daily_width(3650), 1);
        assert_eq!(daily_width(150), 2);
    }

    #[test]
    fn wraps_long_labels() {
        assert_eq!(wrap("short", 24), ("short".into(), None));
        // A word longer than the line is cut at the line's length, the rest kept.
        let (a, b) = wrap("<script>alert(1)</script> (mean)", 24);
        assert_eq!(a.chars().count(), 24);
        assert_eq!(
            format!("{a}{}", b.as_deref().unwrap()),
            "<script>alert(1)</script> (mean)"
        );
        let (a, b) = wrap("Puente-Internacional-Número-Dos", 10);
        assert_eq!(
            (a.as_str(), b.as_deref()),
            ("Puente-Int", Some("ernacional-Número-Dos"))
        );
        assert_eq!(shorten("Nuevo Laredo — Puente", 10), "Nuevo Lar…");
        assert_eq!(shorten("Tijuana", 10), "Tijuana");
        let (a, b) = wrap("Capacity min(quota, servers × hours / service)", 24);
        assert!(a.chars().count() <= 24);
        assert!(b.is_some());
        // A number in parentheses stays with its unit.
        assert_eq!(
            wrap("Replications per bin (2 days)", 24),
            ("Replications per bin".into(), Some("(2 days)".into()))
        );
        assert_eq!(
            wrap("Replications per bin (14 days)", 24),
            ("Replications per bin".into(), Some("(14 days)".into()))
        );
        // … unless no earlier space allows it.
        assert_eq!(
            wrap("(2 daysandmoredaysandmore)", 24),
            ("(2".into(), Some("daysandmoredaysandmore)".into()))
        );
    }

    #[test]
    fn degenerate_run_with_identical_clearances_still_draws_everything() {
        let scn = crate::analysis::tests::bus_scenario(2_000);
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let input = ChartInput::from_run(&run);
        let dir = tempfile::tempdir().unwrap();
        let files = write_charts(dir.path(), &scn, &input).unwrap();
        assert_eq!(files.len(), 12);
        for f in &files {
            assert!(std::fs::metadata(f).unwrap().len() > 1000, "{f:?}");
        }
        let html = crate::output::report::render_report(&scn, "x = 1", &input).unwrap();
        assert_eq!(html.matches("<svg").count(), 6);
        assert!(html.contains("What binds: transport"));
    }

    /// The ports chart's quota line never sits under what a day may start: MODEL.md's example,
    /// a quota of 4 and a disruption at half capacity from 09:00 to 18:00 on day 0, starts 4
    /// people that day (00:00, 03:00, 06:00 at the full quota, 18:00 after the disruption), and
    /// the line is 4 there (the factor at noon had drawn 2, under the processed line); a day
    /// under the disruption all day is at half, 2.
    #[test]
    fn the_ports_quota_line_is_the_days_largest_quota() {
        let toml = |disruption: &str| {
            format!(
                r#"
[scenario]
name = "s4"
start_date = "2021-01-01"
horizon = "10d"
replications = 1
[backlog]
people = 10
[[origin]]
name = "O"
[[route]]
from = "O"
to = "P"
[[port]]
name = "P"
servers = 1
service = "3h"
quota_per_day = 4
[[disruption]]
ports = ["P"]
{disruption}
capacity = 0.5
"#
            )
        };
        let scn =
            crate::scenario::load_str(&toml("from = \"9h\"\nuntil = \"18h\""), "s4.toml").unwrap();
        let q = daily_quota(&scn, 0, 3);
        assert_eq!(q, [Some(4.0), Some(4.0), Some(4.0)]);
        // What the model started on day 0: the 4 the line shows.
        let r = crate::model::simulate(&scn, 0, &crate::model::SimOptions { trace: true });
        let day0 = r
            .trace
            .iter()
            .filter(|e| e.event == "port_start" && crate::scenario::day_of(e.time) == 0)
            .count();
        assert_eq!(day0, 4);
        let scn =
            crate::scenario::load_str(&toml("from = \"1d\"\nuntil = \"2d\""), "s4.toml").unwrap();
        assert_eq!(daily_quota(&scn, 0, 3), [Some(4.0), Some(2.0), Some(4.0)]);
    }

    /// The tops \[px\] and texts of an SVG's text elements.
    fn text_tops(svg: &str) -> Vec<(f64, String)> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                let y = t.split("y=\"").nth(1)?.split('"').next()?.parse().ok()?;
                let body = t.split_once('>')?.1.split_once("</text>")?.0.trim();
                Some((y, body.to_string()))
            })
            .collect()
    }

    /// A legend of many long names stays inside its column: the note of the entries left out
    /// ends in "…" where its names would run past the bottom (it had named all 300, in 400
    /// lines, most of them below the image), and a legend whose full note fits still names
    /// every entry left out.
    #[test]
    fn the_legends_note_of_entries_left_out_ends_inside_the_image() {
        ensure_font();
        let legend_of = |n: usize, name: &dyn Fn(usize) -> String| {
            let items: Vec<(String, Mark)> = (0..n)
                .map(|k| (name(k), Mark::Styled(port_color(k), 2, port_dash(k))))
                .collect();
            svg_in_memory((LEGEND_W, HEIGHT), |root| {
                draw_legend(&root, &items).map_err(|m| chart_error(Chart::Queues, m))
            })
            .unwrap()
        };
        let long = |k: usize| format!("Waiting at the port of entry number {k} on the border");
        let svg = legend_of(300, &long);
        let texts = text_tops(&svg);
        // Each line whole within the 700-px column (a line is 19 px of text of 18 px).
        assert!(
            texts.iter().all(|(y, _)| y + 19.0 <= HEIGHT as f64),
            "{texts:?}"
        );
        let words: String = texts
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(words.contains("… and "), "{words}");
        assert!(words.trim_end().ends_with('…'), "{words}");
        // A few short names: the note names every one left out, as before.
        let svg = legend_of(40, &|k| format!("Port {k}"));
        let words: String = text_tops(&svg)
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(words.contains("Port 39"), "{words}");
        assert!(!words.trim_end().ends_with('…'), "{words}");
    }
}
