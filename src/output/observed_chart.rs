//! The simulated-versus-observed chart: simulated cumulative people processed (median line, 50%
//! and 90% bands over replications) with the observed points on top, as PNG and SVG.
//! Self-contained (plotters 0.3 with the bundled DejaVu Sans font; no system fonts).

use super::OutputError;
use chrono::NaiveDate;
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::path::Path;
use std::sync::Once;

static FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
static REGISTER: Once = Once::new();

/// Register the bundled font as "sans-serif" (once per process).
fn register_font() {
    REGISTER.call_once(|| {
        // The bundled file is a valid TrueType font; if it ever were not, text would be missing
        // from the chart but nothing would fail.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

/// One simulated day: quantiles over replications of cumulative people processed [people].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandPoint {
    pub day: usize,
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

/// One observed point, with a label for the legend group (e.g. the counter).
#[derive(Debug, Clone, PartialEq)]
pub struct ObservedPoint {
    pub day: usize,
    pub people: f64,
    /// True when the point was used for calibration / fitting (filled), false for hold-out (hollow).
    pub fitted: bool,
}

/// What to draw.
#[derive(Debug, Clone)]
pub struct ObservedChart<'a> {
    pub title: &'a str,
    pub start_date: NaiveDate,
    pub bands: &'a [BandPoint],
    pub observed: &'a [ObservedPoint],
    /// Optional vertical marker (day, label), e.g. the calibration cut-off.
    pub marker: Option<(usize, &'a str)>,
}

fn draw_err<E: std::error::Error + Send + Sync + 'static>(
    e: DrawingAreaErrorKind<E>,
) -> OutputError {
    OutputError::Serialize {
        what: "the observed chart".into(),
        source: e.to_string().into(),
    }
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    c: &ObservedChart,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let max_day = c
        .bands
        .iter()
        .map(|b| b.day)
        .chain(c.observed.iter().map(|o| o.day))
        .max()
        .unwrap_or(1)
        .max(1);
    let max_y = c
        .bands
        .iter()
        .map(|b| b.p95)
        .chain(c.observed.iter().map(|o| o.people))
        .fold(1.0_f64, f64::max)
        * 1.05;
    let start = c.start_date;
    let mut chart = ChartBuilder::on(&root)
        .caption(c.title, ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(0f64..max_day as f64, 0f64..max_y)?;
    chart
        .configure_mesh()
        .x_desc("date")
        .y_desc("cumulative people processed")
        .x_label_formatter(&|x| {
            (start + chrono::Duration::days(x.round() as i64))
                .format("%b %d")
                .to_string()
        })
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 15))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;

    let area = |lo: fn(&BandPoint) -> f64, hi: fn(&BandPoint) -> f64| {
        let mut pts: Vec<(f64, f64)> = c.bands.iter().map(|b| (b.day as f64, hi(b))).collect();
        pts.extend(c.bands.iter().rev().map(|b| (b.day as f64, lo(b))));
        pts
    };
    let blue = RGBColor(31, 96, 168);
    chart
        .draw_series(std::iter::once(Polygon::new(
            area(|b| b.p5, |b| b.p95),
            blue.mix(0.18).filled(),
        )))?
        .label("simulated 90% band (P5–P95)")
        .legend(move |(x, y)| {
            Rectangle::new([(x, y - 5), (x + 18, y + 5)], blue.mix(0.18).filled())
        });
    chart
        .draw_series(std::iter::once(Polygon::new(
            area(|b| b.p25, |b| b.p75),
            blue.mix(0.38).filled(),
        )))?
        .label("simulated 50% band (P25–P75)")
        .legend(move |(x, y)| {
            Rectangle::new([(x, y - 5), (x + 18, y + 5)], blue.mix(0.38).filled())
        });
    chart
        .draw_series(LineSeries::new(
            c.bands.iter().map(|b| (b.day as f64, b.p50)),
            blue.stroke_width(2),
        ))?
        .label("simulated median")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], blue.stroke_width(2)));
    if let Some((day, label)) = c.marker {
        let grey = RGBColor(110, 110, 110);
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(day as f64, 0.0), (day as f64, max_y)],
            grey.stroke_width(1),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            label.to_string(),
            (day as f64 + 1.0, max_y * 0.06),
            ("sans-serif", 13).into_font().color(&grey),
        )))?;
    }
    let red = RGBColor(200, 40, 30);
    let fitted: Vec<&ObservedPoint> = c.observed.iter().filter(|o| o.fitted).collect();
    let held: Vec<&ObservedPoint> = c.observed.iter().filter(|o| !o.fitted).collect();
    if !fitted.is_empty() {
        chart
            .draw_series(
                fitted
                    .iter()
                    .map(|o| Circle::new((o.day as f64, o.people), 4, red.filled())),
            )?
            .label("observed (public record)")
            .legend(move |(x, y)| Circle::new((x + 9, y), 4, red.filled()));
    }
    if !held.is_empty() {
        chart
            .draw_series(
                held.iter()
                    .map(|o| Circle::new((o.day as f64, o.people), 4, red.stroke_width(2))),
            )?
            .label("observed, not used for fitting")
            .legend(move |(x, y)| Circle::new((x + 9, y), 4, red.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font(("sans-serif", 14))
        .draw()?;
    root.present()?;
    Ok(())
}

/// Draw the chart to `png` and `svg` (1000 × 600 pixels).
pub fn write_observed_chart(png: &Path, svg: &Path, c: &ObservedChart) -> Result<(), OutputError> {
    register_font();
    let size = (1000, 600);
    draw(BitMapBackend::new(png, size).into_drawing_area(), c).map_err(draw_err)?;
    draw(SVGBackend::new(svg, size).into_drawing_area(), c).map_err(draw_err)?;
    Ok(())
}
