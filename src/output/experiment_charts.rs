//! Charts of experiments (sweeps and sensitivity), each written as PNG and SVG with plotters and
//! the bundled DejaVu Sans font (registered from `assets/`, never a system font):
//! - `line_chart`: one swept factor on x, one line per series (e.g. P50 and P90 clearance);
//! - `heatmap`: two swept factors, cells coloured and labelled by a value (e.g. P90 clearance);
//! - `tornado`: one-at-a-time sensitivity, bars from the baseline to the low and high settings.
//!
//! Self-contained: it only needs plotters, so it sits beside the run charts without sharing code.

use plotters::coord::ranged1d::{IntoSegmentedCoord, SegmentValue};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::error::Error;
use std::path::{Path, PathBuf};

type Res = Result<(), Box<dyn Error>>;

const FONT_BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
const FONT: &str = "sans-serif";
const SIZE: (u32, u32) = (960, 600);

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

/// Draw with `f` into a PNG and an SVG at `base` (extension replaced); returns both paths.
fn both(
    base: &Path,
    size: (u32, u32),
    f: impl Fn(DrawingArea<BitMapBackend, Shift>) -> Res,
    g: impl Fn(DrawingArea<SVGBackend, Shift>) -> Res,
) -> Result<Vec<PathBuf>, Box<dyn Error>> {
    ensure_font();
    let (png, svg) = paths(base);
    f(BitMapBackend::new(&png, size).into_drawing_area())?;
    g(SVGBackend::new(&svg, size).into_drawing_area())?;
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
    let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.01).max(0.5);
    (lo - pad, hi + pad)
}

/// Data of a line chart: x values and named y series of the same length.
#[derive(Debug, Clone)]
pub struct LineData {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub xs: Vec<f64>,
    /// Tick labels for the x values when they are not numbers (then xs are 0, 1, 2, …).
    pub x_names: Option<Vec<String>>,
    pub series: Vec<(String, Vec<f64>)>,
}

fn draw_lines<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, d: &LineData) -> Res
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let (x0, x1) = bounds(d.xs.iter().copied());
    let (y0, y1) = bounds(d.series.iter().flat_map(|(_, v)| v.iter().copied()));
    let mut chart = ChartBuilder::on(&root)
        .caption(&d.title, (FONT, 22))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(65)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    let names = d.x_names.clone();
    let fmt = move |v: &f64| match &names {
        Some(n) => {
            let i = v.round();
            if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < n.len() {
                n[i as usize].clone()
            } else {
                String::new()
            }
        }
        None => format!("{v}"),
    };
    chart
        .configure_mesh()
        .x_desc(d.x_label.as_str())
        .y_desc(d.y_label.as_str())
        .x_label_formatter(&fmt)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 16))
        .draw()?;
    for (i, (name, ys)) in d.series.iter().enumerate() {
        let color = Palette99::pick(i).to_rgba();
        let pts: Vec<(f64, f64)> =
            d.xs.iter()
                .zip(ys)
                .filter(|(_, y)| y.is_finite())
                .map(|(x, y)| (*x, *y))
                .collect();
        chart
            .draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))?
            .label(name.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
        chart.draw_series(pts.iter().map(|p| Circle::new(*p, 4, color.filled())))?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font((FONT, 14))
        .draw()?;
    root.present()?;
    Ok(())
}

/// Line chart at `base` (.png and .svg).
pub fn line_chart(base: &Path, d: &LineData) -> Result<Vec<PathBuf>, Box<dyn Error>> {
    both(base, SIZE, |a| draw_lines(a, d), |a| draw_lines(a, d))
}

/// Data of a heatmap: `z[row][col]`, rows along y, columns along x.
#[derive(Debug, Clone)]
pub struct HeatData {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x_names: Vec<String>,
    pub y_names: Vec<String>,
    pub z: Vec<Vec<f64>>,
}

fn heat_color(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        1.0
    };
    // light yellow (low) to dark red (high)
    RGBColor(
        (255.0 - 90.0 * t) as u8,
        (245.0 - 215.0 * t) as u8,
        (180.0 - 160.0 * t) as u8,
    )
}

fn draw_heat<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, d: &HeatData) -> Res
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let nx = d.x_names.len() as u32;
    let ny = d.y_names.len() as u32;
    let mut chart = ChartBuilder::on(&root)
        .caption(&d.title, (FONT, 22))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(90)
        .build_cartesian_2d(
            (0..last(nx)).into_segmented(),
            (0..last(ny)).into_segmented(),
        )?;
    let xl = d.x_names.clone();
    let yl = d.y_names.clone();
    let xf = move |v: &SegmentValue<u32>| match v {
        SegmentValue::CenterOf(i) => xl.get(*i as usize).cloned().unwrap_or_default(),
        _ => String::new(),
    };
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
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 16))
        .draw()?;
    let (lo, hi) = {
        let v: Vec<f64> =
            d.z.iter()
                .flatten()
                .copied()
                .filter(|v| v.is_finite())
                .collect();
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lo, hi)
    };
    let span = if hi > lo { hi - lo } else { 1.0 };
    let text = TextStyle::from((FONT, 15).into_font()).pos(Pos::new(HPos::Center, VPos::Center));
    for (j, row) in d.z.iter().enumerate() {
        for (i, z) in row.iter().enumerate() {
            let (i, j) = (i as u32, j as u32);
            chart.draw_series(std::iter::once(Rectangle::new(
                [
                    (SegmentValue::Exact(i), SegmentValue::Exact(j)),
                    (SegmentValue::Exact(i + 1), SegmentValue::Exact(j + 1)),
                ],
                heat_color((z - lo) / span).filled(),
            )))?;
            let label = if z.is_finite() {
                format!("{z:.1}")
            } else {
                "–".into()
            };
            chart.draw_series(std::iter::once(Text::new(
                label,
                (SegmentValue::CenterOf(i), SegmentValue::CenterOf(j)),
                text.clone(),
            )))?;
        }
    }
    root.present()?;
    Ok(())
}

/// Heatmap at `base` (.png and .svg).
pub fn heatmap(base: &Path, d: &HeatData) -> Result<Vec<PathBuf>, Box<dyn Error>> {
    both(base, SIZE, |a| draw_heat(a, d), |a| draw_heat(a, d))
}

/// One bar of a tornado: a factor with the KPI at its low and high setting.
#[derive(Debug, Clone)]
pub struct TornadoBar {
    pub label: String,
    pub low: f64,
    pub high: f64,
}

/// Data of a tornado chart: one panel per KPI (e.g. P50 and P90 clearance), bars largest first.
#[derive(Debug, Clone)]
pub struct TornadoPanel {
    pub title: String,
    pub baseline: f64,
    pub bars: Vec<TornadoBar>,
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
    let (x0, x1) = bounds(
        p.bars
            .iter()
            .flat_map(|b| [b.low, b.high])
            .chain([p.baseline]),
    );
    let mut chart = ChartBuilder::on(area)
        .caption(&p.title, (FONT, 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(250)
        .build_cartesian_2d(x0..x1, (0..last(n)).into_segmented())?;
    // largest swing at the top: bar k is drawn in row n-1-k
    let labels: Vec<String> = p.bars.iter().map(|b| b.label.clone()).collect();
    let yf = move |v: &SegmentValue<u32>| match v {
        SegmentValue::CenterOf(i) => labels
            .get((n - 1 - *i.min(&(n - 1))) as usize)
            .cloned()
            .unwrap_or_default(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc(x_label)
        .y_labels(n as usize + 1)
        .y_label_formatter(&yf)
        .label_style((FONT, 12))
        .axis_desc_style((FONT, 14))
        .draw()?;
    let low_c = RGBColor(70, 120, 190);
    let high_c = RGBColor(230, 130, 40);
    for (k, b) in p.bars.iter().enumerate() {
        let row = n - 1 - k as u32;
        for (v, c) in [(b.low, low_c), (b.high, high_c)] {
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
                c.mix(0.85).filled(),
            );
            r.set_margin(6, 6, 0, 0);
            chart.draw_series(std::iter::once(r))?;
        }
    }
    chart.draw_series(LineSeries::new(
        vec![
            (p.baseline, SegmentValue::Exact(0)),
            (p.baseline, SegmentValue::Exact(n)),
        ],
        BLACK.stroke_width(2),
    ))?;
    Ok(())
}

fn draw_tornado<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    title: &str,
    x_label: &str,
    panels: &[TornadoPanel],
) -> Res
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let root = root.titled(title, (FONT, 22))?;
    let legend = "blue: factor at its low value · orange: at its high value · line: baseline";
    let (body, foot) = root.split_vertically(root.dim_in_pixel().1 - 28);
    foot.draw(&Text::new(
        legend,
        (10, 6),
        TextStyle::from((FONT, 14).into_font()),
    ))?;
    let areas = body.split_evenly((1, panels.len().max(1)));
    for (a, p) in areas.iter().zip(panels) {
        draw_tornado_panel(a, p, x_label)?;
    }
    root.present()?;
    Ok(())
}

/// Tornado chart at `base` (.png and .svg), one panel per entry of `panels`, side by side.
pub fn tornado(
    base: &Path,
    title: &str,
    x_label: &str,
    panels: &[TornadoPanel],
) -> Result<Vec<PathBuf>, Box<dyn Error>> {
    let rows = panels.iter().map(|p| p.bars.len()).max().unwrap_or(1) as u32;
    let size = (1400, 160 + 60 * rows.max(2));
    both(
        base,
        size,
        |a| draw_tornado(a, title, x_label, panels),
        |a| draw_tornado(a, title, x_label, panels),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_written_as_png_and_svg() {
        let d = tempfile::tempdir().unwrap();
        let files = line_chart(
            &d.path().join("line"),
            &LineData {
                title: "t".into(),
                x_label: "quota".into(),
                y_label: "days".into(),
                xs: vec![200.0, 300.0, 400.0],
                x_names: None,
                series: vec![("P50".into(), vec![150.0, 140.0, 138.0])],
            },
        )
        .unwrap();
        let files2 = heatmap(
            &d.path().join("heat"),
            &HeatData {
                title: "t".into(),
                x_label: "a".into(),
                y_label: "b".into(),
                x_names: vec!["1".into(), "2".into()],
                y_names: vec!["x".into()],
                z: vec![vec![1.0, 2.0]],
            },
        )
        .unwrap();
        let files3 = tornado(
            &d.path().join("tornado"),
            "t",
            "days",
            &[TornadoPanel {
                title: "P50".into(),
                baseline: 140.0,
                bars: vec![TornadoBar {
                    label: "quota".into(),
                    low: 150.0,
                    high: 135.0,
                }],
            }],
        )
        .unwrap();
        for f in files.iter().chain(&files2).chain(&files3) {
            let bytes = std::fs::read(f).unwrap();
            assert!(bytes.len() > 1000, "{} is too small", f.display());
        }
        let svg = std::fs::read_to_string(d.path().join("tornado.svg")).unwrap();
        assert!(svg.contains("quota"));
    }
}
