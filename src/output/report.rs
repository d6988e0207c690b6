//! The shareable report: one self-contained `report.html` (charts inlined as SVG, inline CSS, no
//! scripts, no external files, no network) with the key answers first (P50/P90 clearance dates,
//! what binds), the statistics tables, every chart, the scenario TOML, the assumptions, and the
//! command and seed that reproduce the run. All text is HTML-escaped.

use super::charts::{render_svgs, ChartInput};
use super::{atomic_write, html_escape as esc, OutputError};
use crate::analysis::{
    bind_with, binding_shares, binding_spans, date_lever, BottleneckReport, Finish, Stage,
};
use crate::format::{counted, fmt_int, word_list};
use crate::observed::Fit;
use crate::scenario::Scenario;
use crate::stats::{quantile_sorted, Stat};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// `s` escaped for HTML, with each span in backticks (a `--set` key, a command) as code.
/// An unpaired backtick stays as it is.
fn esc_code(s: &str) -> String {
    let escaped = esc(s);
    let parts: Vec<&str> = escaped.split('`').collect();
    let n = parts.len();
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| match i % 2 {
            1 if i + 1 < n => format!("<code>{part}</code>"),
            1 => format!("`{part}"),
            _ => part.to_string(),
        })
        .collect()
}

const CSS: &str =
    "body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:1240px;margin:2em auto;\
padding:0 1em;color:#111;line-height:1.45}h1{font-size:1.7em;margin-bottom:.2em}\
h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:2em}.sub{color:#555}\
.key{background:#eef6fb;border-left:6px solid #0072B2;padding:.8em 1.2em;margin:1.2em 0}\
.key li{margin:.35em 0}.warn{background:#fdf1e6;border-left:6px solid #D55E00;padding:.6em 1em}\
.tw{overflow-x:auto;margin:.8em 0}table{border-collapse:collapse;font-size:.92em}\
caption{text-align:left;color:#444;padding:0 0 .3em}th,td{border:1px solid #ccc;\
padding:.3em .6em;text-align:right}th:first-child,td:first-child{text-align:left}\
th{background:#f3f3f3}figure{margin:1.5em 0;overflow-x:auto}figure svg{max-width:100%;min-width:50em;height:auto}\
.tw:focus-visible,figure:focus-visible{outline:2px solid #0072B2;outline-offset:2px}\
figcaption{font-weight:bold;margin-bottom:.4em}pre{background:#f6f6f6;padding:1em;overflow-x:auto;\
font-size:.88em}code{background:#f3f3f3;padding:0 .2em}tbody th{font-weight:normal;background:none}\
dt{font-weight:bold;margin-top:.5em}dd{margin-left:1.5em}a.g{color:inherit;text-decoration:underline dotted}\
@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}.key,.warn,table,figure{break-inside:avoid}\
thead{display:table-header-group}tr{break-inside:avoid}h2,h3,figcaption{break-after:avoid}\
figure svg{width:100%;max-width:100%;min-width:0;height:auto}.tw,figure{overflow:visible}\
pre{white-space:pre-wrap;overflow:visible}\
a.g{text-decoration:none}}";

fn days(x: f64) -> String {
    format!("{x:.1}")
}

fn opt(x: Option<f64>, f: fn(f64) -> String) -> String {
    x.map(f).unwrap_or_else(|| "–".into())
}

/// Waits are often fractions of a day (an hour is 0.04): two decimals, as in the terminal table.
fn wait_days(x: f64) -> String {
    format!("{x:.2}")
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn people(x: f64) -> String {
    fmt_int(x)
}

/// One row of a STAT table: name, then mean, sd, 95% CI, p5, p50, p90, p95 and max in the given
/// format (p90 `–` in a summary saved before STATs kept it).
fn stat_row(out: &mut String, name: &str, s: Option<&Stat>, f: fn(f64) -> String) {
    stat_row_marked(out, name, s, f, &|_| false, false);
}

/// [`stat_row`] with the figures for which `bound(x)` holds, and the mean when `mean_bound`,
/// marked ≥ (lower bounds: clearance figures that count replications stopped at the horizon).
fn stat_row_marked(
    out: &mut String,
    name: &str,
    s: Option<&Stat>,
    f: fn(f64) -> String,
    bound: &dyn Fn(f64) -> bool,
    mean_bound: bool,
) {
    let plain = f;
    // A lower bound rounded down at the decimals `f` prints, so that it does not overstate
    // what it bounds (a percentage is left as printed).
    let at_least = |x: f64| {
        let text = plain(x);
        if text.ends_with('%') {
            return format!("≥{text}");
        }
        let d = text.split_once('.').map_or(0, |(_, r)| {
            r.chars().take_while(char::is_ascii_digit).count()
        });
        format!("≥{}", plain(crate::format::round_down(x, d)))
    };
    let marked = |x: f64, is_bound: bool| {
        if is_bound {
            at_least(x)
        } else {
            plain(x)
        }
    };
    match s {
        None => {
            let _ = write!(
                out,
                "<tr><th scope=\"row\">{}</th><td colspan=\"8\">not available</td></tr>",
                esc(name)
            );
        }
        Some(s) => {
            // The interval as far as the mean can reach (0 at least; see `shown_ci`).
            let s = &super::table::shown_ci(s, f64::INFINITY);
            // A lower-bound mean has a lower confidence bound only: the interval's lower end
            // (the true mean is at least the mean, which is at least that end with 97.5%
            // confidence); the upper end bounds nothing.
            // A narrow interval that would print as one value (0.7 – 0.9 people as "1 – 1")
            // gets the decimals to tell its ends apart, and the mean as many, as in the
            // terminal's table.
            let narrow = super::table::narrow_decimals(s, plain);
            let exact = |x: f64| match narrow {
                Some(d) => format!("{x:.d$}"),
                None => plain(x),
            };
            // Every figure of the row with the same decimals (a wait of 0.0568 had sat beside
            // an sd of 0.00 and quantiles of 0.06).
            let f = |x: f64| {
                if bound(x) {
                    marked(x, true)
                } else {
                    exact(x)
                }
            };
            let ci = match (s.ci95_low, s.ci95_high) {
                (Some(a), Some(_)) if mean_bound => at_least(a),
                (Some(a), Some(b)) if narrow.is_some() && !bound(a) && !bound(b) => {
                    format!("{} – {}", exact(a), exact(b))
                }
                (Some(a), Some(b)) => format!("{} – {}", f(a), f(b)),
                _ => "–".into(),
            };
            let mean = if mean_bound || bound(s.mean) {
                marked(s.mean, true)
            } else {
                exact(s.mean)
            };
            let _ = write!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(name),
                esc(&mean),
                esc(&s.sd.map(exact).unwrap_or_else(|| "–".into())),
                esc(&ci),
                esc(&f(s.p5)),
                esc(&f(s.p50)),
                esc(&s.p90.map(f).unwrap_or_else(|| "–".into())),
                esc(&f(s.p95)),
                esc(&f(s.max)),
            );
        }
    }
}

/// The head of a STAT table, and the start of its body: [`TABLE_END`] closes it.
const STAT_HEAD: &str = "<thead><tr><th scope=\"col\">metric</th><th scope=\"col\">mean</th>\
<th scope=\"col\">sd</th><th scope=\"col\">95% CI of mean</th><th scope=\"col\">P5</th>\
<th scope=\"col\">P50</th><th scope=\"col\">P90</th><th scope=\"col\">P95</th>\
<th scope=\"col\">max</th></tr></thead><tbody>";

/// The end of a table opened with [`table_open`] (and [`STAT_HEAD`]) or [`table_head`], and of
/// the scrolling box around it.
const TABLE_END: &str = "</tbody></table></div>";

/// The start of a table named `caption` (id `id`, unique in the report), in a box that scrolls
/// sideways when the table is wider than the page (at high zoom, on a narrow screen), so that the
/// page itself does not: the box can be focused and scrolled from the keyboard, and is a region
/// named by the caption (read once, as the table's name).
fn table_open(id: &str, caption: &str) -> String {
    format!(
        "<div class=\"tw\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{id}\"><table>\
         <caption id=\"{id}\">{}</caption>",
        esc(caption)
    )
}

/// [`table_open`], then the head row, each column header scoped to its column, and the start
/// of the body.
fn table_head(id: &str, caption: &str, cols: &[&str]) -> String {
    let mut h = table_open(id, caption);
    h.push_str("<thead><tr>");
    for c in cols {
        let _ = write!(h, "<th scope=\"col\">{}</th>", esc(c));
    }
    h.push_str("</tr></thead><tbody>");
    h
}

/// The terms the report uses, defined in plain words; the report links their first uses to
/// the `g-…` anchors.
const GLOSSARY: &str = "<h2 id=\"glossary\">Glossary</h2>\n<dl>\
<dt id=\"g-replication\">Replication (run)</dt><dd>One simulation of the whole scenario with its \
own random draws (who registers when, how long each service takes, test results, drop-outs). \
The report's figures are over many replications.</dd>\
<dt id=\"g-cleared\">Cleared, clearance; remaining in the backlog</dt><dd>A replication has \
cleared the backlog when every person of the backlog and phases is resolved: processed, dropped \
out or never reached (the model's definition: the \"time at which the last group of the backlog \
and phases is resolved (processed, dropped or unreached)\"). Cleared does not mean that everyone \
crossed. People remaining in the backlog are those not yet resolved: still to register, waiting, \
travelling or in the health check.</dd>\
<dt id=\"g-percentile\">P50, P90, P5, P95</dt><dd>Percentiles over the replications: P50 (the \
median) is the value half the replications are at or below, P90 the value 9 in 10 are at or \
below; P5 to P95 is the middle 90% of the replications.</dd>\
<dt id=\"g-ci\">Confidence interval (95%)</dt><dd>How precisely the replications pin down an \
estimate such as the median: the range in which the true value lies with 95% confidence. It \
narrows with more replications; it is not the range of outcomes.</dd>\
<dt id=\"g-censored\">Censored</dt><dd>A replication that reached the horizon before clearing: \
its clearance is counted as the horizon, so figures that include it are lower bounds \
(marked ≥ or \"or later\").</dd>\
<dt id=\"g-horizon\">Horizon</dt><dd>The end of the simulated period (the scenario's \
<code>horizon</code>); nothing after it is simulated.</dd>\
<dt id=\"g-binds\">Binds, binding</dt><dd>A stage binds in a week when it is what holds people \
back that week (it runs at or near its capacity with the longest queue, or people are waiting \
to register or in the health check). The stage that binds at the end sets the date.</dd>\
<dt id=\"g-transport-wait\">Transport wait</dt><dd>From being ready to travel (screened, \
through the health check) to boarding a bus. Under the appointment policy it includes waiting \
for a port appointment, a day the port's quota has room, so more seats shorten only the rest \
of it.</dd>\
<dt id=\"g-utilization\">Utilization, % used</dt><dd>Utilization: the share of the offered \
staff time (or seats) that was busy. Staff time is offered in open hours only, while a service \
started before closing runs on past it and counts as busy, so a stage's or port's utilization \
can exceed 100%. % used, in the weekly table: the week's throughput over \
the stage's capacity bound.</dd>\
<dt id=\"g-bound\">Capacity bound</dt><dd>The earliest date by which a stage could pass \
everyone, from the scenario's capacities and registrations alone, before any waiting or chance; \
the latest of these over the stages bounds clearance.</dd>\
<dt id=\"g-milestones\">Milestones t50, t90, t99</dt><dd>The days by which 50%, 90% and 99% of \
all the people of the backlog and phases have been processed; a milestone is out of reach when \
more than that share are never reached or drop out.</dd>\
<dt id=\"g-attrition\">Attrition</dt><dd>People dropping out while they wait (they give up or \
cannot be found); they count as resolved but not processed.</dd>\
<dt id=\"g-unreached\">Unreached</dt><dd>People the programme never reaches (they never \
register); they count as resolved but not processed.</dd>\
<dt id=\"g-appointment\">Appointment</dt><dd>A dispatch policy: people are given a day to \
travel, and no port is sent more people a day than its quota.</dd>\
<dt id=\"g-seed\">Seed</dt><dd>The number that fixes the random draws: the same scenario and \
seed give the same results.</dd>\
<dt id=\"g-ecdf\">ECDF</dt><dd>Empirical cumulative distribution: for each date, the share of \
replications cleared by then (the clearance chart).</dd>\
</dl>\n";

/// Strip an XML prolog so the SVG can sit inside HTML.
fn inline_svg(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}

/// `svg` inline (see [`inline_svg`]) as an image for assistive technology: `role="img"` and an
/// `aria-label` of `desc`, the chart's description (its title is the figure's caption, named
/// once: the label had begun with the title, and a `<title>` and `<desc>` repeated both). Empty
/// for no chart.
fn accessible_svg(svg: &str, desc: &str) -> String {
    let svg = inline_svg(svg);
    let Some(open_end) = svg.starts_with("<svg").then(|| svg.find('>')).flatten() else {
        return svg.to_string();
    };
    let (open, rest) = svg.split_at(open_end);
    format!(
        "{open} role=\"img\" aria-label=\"{}\">{}",
        esc(desc),
        &rest[1..]
    )
}

/// A chart of the report: a figure `id` named by its caption `title` (`aria-labelledby`), the
/// chart inline as an image described by `desc` ([`accessible_svg`]). The figure scrolls
/// sideways and can be focused to scroll from the keyboard: the chart keeps a width of at
/// least 50 em (800 pixels at the default text size), so that zooming the page in enlarges its
/// text instead of shrinking the chart to the narrower page.
fn figure(id: &str, title: &str, svg: &str, desc: &str) -> String {
    format!(
        "<figure id=\"{id}\" tabindex=\"0\" aria-labelledby=\"{id}-cap\"><figcaption \
         id=\"{id}-cap\">{}</figcaption>\n{}\n</figure>",
        esc(title),
        accessible_svg(svg, desc)
    )
}

/// Where the fan chart's median line starts, for its description: the median over replications
/// of the people not yet cleared at the end of the first day (the curve's first point) \[people\],
/// and whether people never reached are counted as cleared at day 0 (the scenario's
/// `registration.never` above 0), which puts that point below the backlog.
#[derive(Debug, Clone, Copy)]
struct FanStart {
    people: Option<f64>,
    never_reached: bool,
}

impl FanStart {
    fn of(scn: &Scenario, run: &ChartInput<'_>) -> FanStart {
        let d = run.daily;
        let people = d
            .series_index("remaining")
            .filter(|_| d.days > 0)
            .map(|s| d.get(0, s).p50);
        FanStart {
            people,
            never_reached: scn.registration.never > 0.0,
        }
    }

    /// "falling from N (median) at the end of the first day", with why N is below `total`
    /// when it is, as the chart's note says it; the backlog when there is no daily series.
    fn phrase(&self, total: f64) -> String {
        let Some(start) = self.people else {
            return format!("falling from {} at the start", fmt_int(total));
        };
        let why = if start >= total - 0.5 {
            String::new()
        } else if self.never_reached {
            format!(
                ", below the {} people of the backlog and phases because those never reached \
                 count as cleared at day 0",
                fmt_int(total)
            )
        } else {
            format!(
                ", below the {} people of the backlog and phases because those processed or \
                 dropped out on the first day are cleared",
                fmt_int(total)
            )
        };
        format!(
            "falling from {} (median) at the end of the first day{why}",
            fmt_int(start)
        )
    }
}

/// One sentence for a chart of the report, from the run: what it shows and its key figure.
/// `date` names a day since the start; `q` is a quantile of the replications' clearance; `fan`
/// where the fan chart's curve starts.
fn chart_description(
    chart: &str,
    sum: &crate::experiment::summary::Summary,
    fan: FanStart,
    rep: &BottleneckReport,
    shares: &[(String, f64)],
    q: &dyn Fn(f64) -> Option<f64>,
    date: &dyn Fn(f64) -> String,
) -> String {
    let n = sum.replications;
    // "1 replication", "200 replications".
    let n_reps = super::table::replications_text(n);
    let when = |p: f64| match q(p) {
        Some(x) if sum.is_censored_clearance(x) => "not within the horizon".to_string(),
        Some(x) => date(x),
        None => "not known".into(),
    };
    let mean = |s: &Option<Stat>| s.as_ref().map(|s| s.mean);
    match chart {
        "fan" => format!(
            "People not yet cleared day by day, median and bands over {n_reps}, {}; \
             the median clearance is {}.",
            fan.phrase(sum.people.total as f64),
            when(0.5)
        ),
        "clearance-distribution" => format!(
            "The share of {n_reps} cleared by each date: median clearance {}, the middle \
             90% between {} and {}.",
            when(0.5),
            when(0.05),
            when(0.95)
        ),
        "cumulative-processed" => format!(
            "People processed at the ports so far, day by day over {n_reps}: about {} \
             of {} by the end (mean){}.",
            mean(&sum.people.processed).map_or("–".into(), about),
            fmt_int(sum.people.total as f64),
            sum.t50_days.as_ref().map_or(String::new(), |t| format!(
                ", half of them by {} (median)",
                date(t.p50)
            ))
        ),
        "ports" => {
            // Beyond PORT_PANELS ports the chart draws those that processed the most (means,
            // ties in scenario order), most first: the sentence names those (it had named all
            // 1,000 ports of a scenario, 20,000 characters read out for one image).
            let mut ports: Vec<&crate::experiment::summary::PortSummary> =
                sum.ports.iter().collect();
            let many = ports.len() > super::charts::PORT_PANELS;
            if many {
                let key =
                    |p: &crate::experiment::summary::PortSummary| mean(&p.processed).unwrap_or(0.0);
                ports.sort_by(|a, b| key(b).total_cmp(&key(a)));
                ports.truncate(super::charts::PORT_PANELS);
            }
            let each: Vec<String> = ports
                .iter()
                .map(|p| {
                    format!(
                        "{} about {}",
                        p.name,
                        mean(&p.processed).map_or("–".into(), about)
                    )
                })
                .collect();
            if many {
                format!(
                    "People processed per day at the {} of the {} ports that processed the \
                     most over {n_reps}, most first; in all (means): {}; every port is in \
                     the ports table.",
                    ports.len(),
                    fmt_int(sum.ports.len() as f64),
                    word_list(&each, "and")
                )
            } else {
                format!(
                    "People processed per day at each of the {} ports over {n_reps}; in all \
                     (means): {}.",
                    sum.ports.len(),
                    word_list(&each, "and")
                )
            }
        }
        "queues" => {
            let waits: Vec<String> = [
                ("screening", &sum.stages.screening),
                ("transport", &sum.stages.transport),
                ("port", &sum.stages.port),
            ]
            .iter()
            .filter_map(|(name, st)| {
                Some(format!("{name} {}", duration_words(mean(&st.wait_days)?)))
            })
            .collect();
            format!(
                "People waiting in front of each stage day by day over {n_reps}; mean \
                 waits per group: {}.",
                if waits.is_empty() {
                    "none recorded".to_string()
                } else {
                    word_list(&waits, "and")
                }
            )
        }
        "bottleneck" => format!(
            "Each stage's capacity per day and the stage that binds week by week{}{}.",
            shares
                .first()
                .map_or(String::new(), |(name, share)| format!(
                    "; most often {name} ({:.0}% of the weeks)",
                    share * 100.0
                )),
            match (rep.lower_bound_day, rep.lower_bound_date) {
                (Some(d), Some(dt)) => format!(
                    "; from capacities alone, {} {} (day {d}), set by {}",
                    rep.bound_phrase(),
                    dt.format("%a %d %b %Y"),
                    rep.binding_name()
                ),
                _ => String::new(),
            }
        ),
        _ => format!("A chart of {n_reps}."),
    }
}

/// An RMSE in people, "–" when there is none (no replications).
fn rmse_text(x: f64) -> String {
    if x.is_finite() {
        fmt_int(x)
    } else {
        "–".into()
    }
}

/// The fit to observed data: its table (as the terminal prints it, and `observed-fit.csv`
/// holds it) and its chart (`observed-chart.svg`).
fn observed_section(
    h: &mut String,
    scn: &Scenario,
    run: &ChartInput<'_>,
    fit: &Fit,
) -> Result<(), OutputError> {
    h.push_str(
        "<h2 id=\"observed\">Fit to observed data</h2>\n<p>Observed cumulative people \
         processed against the simulated value at the end of each date (quantiles over \
         replications; the error is observed − simulated median, positive when the model is \
         behind the record).</p>",
    );
    h.push_str(&table_head(
        "t-observed",
        "Observed against simulated cumulative people processed [people]",
        &[
            "date",
            "scope",
            "counter",
            "observed [people]",
            "simulated P50",
            "simulated 90% band (P5 – P95)",
            "error",
            "inside the 90% band",
        ],
    ));
    let signed = |x: f64| {
        if !x.is_finite() {
            return "–".to_string();
        }
        let sign = if x.round() < 0.0 { "−" } else { "+" };
        format!("{sign}{}", fmt_int(x.abs()))
    };
    let int = |x: f64| {
        if x.is_finite() {
            fmt_int(x)
        } else {
            "–".into()
        }
    };
    for r in &fit.rows {
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{} – {}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.obs.date.format("%Y-%m-%d").to_string()),
            esc(&r.obs.scope_name),
            esc(r.obs.counter.as_deref().unwrap_or("")),
            esc(&format!("{}{}", r.obs.bound.sign(), int(r.obs.people))),
            esc(&int(r.p50)),
            esc(&int(r.p5)),
            esc(&int(r.p95)),
            esc(&signed(r.printed_error())),
            if r.inside90 { "yes" } else { "<b>no</b>" }
        );
    }
    let _ = writeln!(
        h,
        "{TABLE_END}\n<p>RMSE (observed − simulated median) {} people over {} observations; {} of \
         {} inside the 90% band.</p>",
        esc(&rmse_text(fit.rmse)),
        fit.rows.len(),
        fit.inside90,
        fit.rows.len()
    );
    let svg = super::observed_chart::fit_chart(
        None,
        &scn.name,
        &run.summary.scenario.overrides,
        scn.start_date,
        run.clearance_days.len(),
        run.daily,
        fit,
    )?
    .unwrap_or_default();
    let desc = format!(
        "Observed cumulative people processed against the simulated median and 90% band; {} of \
         {} observations inside the band, RMSE {} people.",
        fit.inside90,
        fit.rows.len(),
        rmse_text(fit.rmse)
    );
    let _ = writeln!(
        h,
        "{}",
        figure(
            "observed-chart",
            super::observed_chart::FIT_TITLE,
            &svg,
            &desc
        )
    );
    Ok(())
}

/// A time as a day number beside its date \[days\]: one decimal, rounded as the tables round it
/// (146.385 is "146.4"), but cut instead where rounding would cross into the next day, so that
/// it names the day of its date (123.97 is "123.9", not "124.0", on the date of day 123).
fn day_num(t: f64) -> String {
    crate::scenario::day_fixed(t, 1)
}

/// Why milestones are out of reach, as the terminal table says it (a sentence starting with a
/// space), or empty when that is not why.
fn out_of_reach(sum: &crate::experiment::summary::Summary) -> String {
    let Some(o) = super::table::out_of_reach(sum) else {
        return String::new();
    };
    format!(
        " {} {} {}out of reach: milestones are shares of all {}, and on average {} ({:.1}%) \
         were never reached or dropped out.",
        o.names.join(" and "),
        if o.names.len() == 1 { "is" } else { "are" },
        if o.always { "" } else { "often " },
        o.total_text(),
        o.lost_text(),
        100.0 * o.lost / o.total
    )
}

/// A count of people as a reader quotes it, "about" so many: two significant figures, three
/// from 10,000 (22,281 is "22,300", 2,497 "2,500", 222 "220"), whole people under 100.
fn about(x: f64) -> String {
    let x = x.max(0.0);
    let digits = if x < 1.0 {
        1
    } else {
        x.round().log10().floor() as i32 + 1
    };
    let keep = if digits >= 5 { 3 } else { 2 };
    let step = 10f64.powi((digits - keep).max(0));
    fmt_int((x / step).round() * step)
}

/// A mean wait in words \[days\]: in minutes under an hour, in hours under 2 days, in days
/// otherwise ("1.5 hours", "5.1 days").
fn duration_words(d: f64) -> String {
    if d * 24.0 < 1.0 {
        let m = (d * 1440.0).round();
        format!("{m:.0} minute{}", if m == 1.0 { "" } else { "s" })
    } else if d < 2.0 {
        format!("{:.1} hours", d * 24.0)
    } else {
        format!("{d:.1} days")
    }
}

/// How many of the backlog and phases cross, in words, from the summary's means: "About 22,300
/// of the 25,000 people are processed (89%); about 2,500 are never reached and about 220 drop
/// out (means over the 200 replications)". The never reached follow the input `never`
/// (`registration.never`), which is said beside them. HTML; `None` without people or
/// replications.
fn people_sentence(sum: &crate::experiment::summary::Summary, never: f64) -> Option<String> {
    let total = sum.people.total as f64;
    let processed = sum.people.processed.as_ref()?.mean;
    if total <= 0.0 || sum.replications == 0 {
        return None;
    }
    let mean = |s: &Option<Stat>| s.as_ref().map_or(0.0, |s| s.mean);
    let mut parts = Vec::new();
    let unreached = mean(&sum.people.unreached);
    if unreached >= 0.5 {
        parts.push(format!(
            "about {} are <a class=\"g\" href=\"#g-unreached\">never reached</a> ({})",
            about(unreached),
            esc(&super::table::never_input(never))
        ));
    }
    let dropped = mean(&sum.people.dropped);
    if dropped >= 0.5 {
        parts.push(format!(
            "about {} <a class=\"g\" href=\"#g-attrition\">drop out</a>",
            about(dropped)
        ));
    }
    let waiting = mean(&sum.people.in_system);
    if waiting >= 0.5 {
        parts.push(format!(
            "about {} are still on their way at the <a class=\"g\" href=\"#g-horizon\">horizon</a>",
            about(waiting)
        ));
    }
    Some(format!(
        "<b>Who crosses:</b> about {} of the {} {} processed ({:.0}%){} (means over the \
         {}).",
        about(processed),
        if total == 1.0 {
            "1 person".to_string()
        } else {
            format!("{} people", fmt_int(total))
        },
        if about(processed) == "1" { "is" } else { "are" },
        100.0 * processed / total,
        if parts.is_empty() {
            String::new()
        } else {
            format!("; {}", word_list(&parts, "and"))
        },
        super::table::replications_text(sum.replications)
    ))
}

/// The mean waits per stage, in hours under 2 days, and the mean time from registration to
/// being processed (`classes[].days_to_processed`, per class when there are several). HTML;
/// `None` when no stage has a wait.
/// Under `appointment` (`appointment`), the transport wait is said to include waiting for a
/// port appointment (the quota), which it mostly is when the quota binds.
fn waits_sentence(sum: &crate::experiment::summary::Summary, appointment: bool) -> Option<String> {
    let mut parts = Vec::new();
    for (st, what) in [
        (&sum.stages.screening, "for screening after registering"),
        (
            &sum.stages.transport,
            if appointment {
                "for transport, including waiting for a port appointment (a day its quota has \
                 room; see <a class=\"g\" href=\"#g-transport-wait\">transport wait</a>)"
            } else {
                "for transport"
            },
        ),
        (&sum.stages.port, "at the port before service"),
    ] {
        if let Some(w) = &st.wait_days {
            parts.push(format!("{} {what}", duration_words(w.mean)));
        }
    }
    if parts.is_empty() {
        return None;
    }
    let totals: Vec<String> = sum
        .classes
        .iter()
        .filter_map(|c| Some((c, c.days_to_processed.as_ref()?.mean)))
        .map(|(c, d)| {
            if sum.classes.len() == 1 {
                duration_words(d)
            } else {
                format!("{} for class {}", duration_words(d), esc(&c.name))
            }
        })
        .collect();
    Some(format!(
        "<b>Waits</b> (means per group over the replications): {}.{}",
        word_list(&parts, "and"),
        if totals.is_empty() {
            String::new()
        } else {
            format!(
                " In all, from registration to being processed at a port (waits, travel and the \
                 health check): {}.",
                word_list(&totals, "and")
            )
        }
    ))
}

/// What the certainty covers: the randomness simulated, not the scenario's assumed inputs,
/// which can move the date further (by as much as the end of the registrations moves, when
/// they set the date: `registration`, [`crate::analysis::registration_sets_date`]'s day, as the
/// run's table and "In short" say it). HTML.
fn inputs_sentence(
    registration: Option<(i64, Option<i64>)>,
    date: &dyn Fn(f64) -> String,
) -> String {
    let registration = match registration {
        Some((d, m)) => format!(
            " Here the date follows the registrations, which the scenario expects to end about \
             day {}: an earlier or later end moves it by about as much.",
            registration_end(d, m, date)
        ),
        _ => String::new(),
    };
    format!(
        "<b>What the certainty covers:</b> only the randomness the model simulates (when each \
         group registers, service times, test results, drop-outs), not the scenario's assumed \
         inputs; a different assumption can move the date further than the range above.{registration} \
         <code>clearance sensitivity scenario.toml --vary PATH=LOW,HIGH</code> measures how far \
         one input moves it."
    )
}

/// When the scenario expects registrations to end, for the report's sentences (HTML): the
/// day `d`, `explain`'s bound, or, when every group has registered in half the runs only on a
/// later day `m` (a continuous delay, whose bound only 1 run in 1000 beats), that day, with the
/// bound as the earliest. Read after "about day ".
fn registration_end(d: i64, m: Option<i64>, date: &dyn Fn(f64) -> String) -> String {
    match m {
        Some(m) => format!(
            "{m} ({}, in half the runs; <code>clearance explain</code>'s bound, day {d}, is the \
             earliest)",
            esc(&date(m as f64))
        ),
        None => format!(
            "{d} ({}, <code>clearance explain</code>'s bound)",
            esc(&date(d as f64))
        ),
    }
}

/// The date in one story, when registration or the health check sets it: when the scenario
/// expects registrations to end (`registration`: [`crate::analysis::registration_sets_date`]'s
/// day, when they set the date), the gap to the median clearance, and that staff and quotas
/// shorten waits, not the date (said only when the registrations set the date; with the health
/// check alone at the end, whether they would move it is left to `clearance sensitivity`).
/// HTML; `None` when a stage's capacity sets the date (its lever says what moves it) or the
/// median is not within the horizon.
fn date_story(
    registration: Option<(i64, Option<i64>)>,
    last: &crate::analysis::BindingSpan,
    p50: f64,
    date: &dyn Fn(f64) -> String,
) -> Option<String> {
    let idle = crate::analysis::idle_span(last);
    // What follows the last registrations, named in the first sentence too: it is the stage
    // "What sets the date" names (the one the last people are in at the end), so that the two
    // answers read as one account, not as two causes.
    let (after, tail) = match last.stage {
        Stage::Health => (
            " and by the health check after it",
            ", as the last of them go through the health check (and isolation, for those who \
             test positive)",
        ),
        Stage::Registration if idle => (
            " and by their travel and processing after it",
            ", as the last of them travel and are processed",
        ),
        Stage::Registration => ("", ""),
        _ => return None,
    };
    let unchanged = "Adding staff or raising port quotas shortens how long people wait, not this \
                     date.";
    match registration {
        Some((d, m)) => Some(format!(
            "<b>In short:</b> the date is set by when the last people register{after}, not by \
             capacity. The scenario expects registrations to end about {} days in ({}{}); \
             clearance follows {:.0} days later (median {}){tail}. {unchanged}",
            m.unwrap_or(d),
            esc(&date(m.unwrap_or(d) as f64)),
            match m {
                Some(_) => format!(
                    ", in half the runs; not before day {d}, <code>clearance explain</code>'s \
                     bound"
                ),
                None => String::new(),
            },
            p50 - m.unwrap_or(d) as f64,
            esc(&date(p50)),
        )),
        // (No capacity bound from registration backs "not this date" here: the last people
        // may have reached the check late because a stage before it was full, so the lever
        // is left to `clearance sensitivity` to measure.)
        _ if last.stage == Stage::Health => Some(
            "<b>In short:</b> the last people are in the health check or its isolation at the \
             end, so the check's and the isolation's durations set the date; whether more \
             staff or larger port quotas would still bring it forward depends on how late \
             those people reached the check (<code>clearance sensitivity</code> measures it)."
                .to_string(),
        ),
        _ if !idle => Some(format!(
            "<b>In short:</b> the date waits for the last people to register. {unchanged}"
        )),
        _ => None,
    }
}

/// Write `report.html` into `dir` (created if missing) and return its path.
pub fn write_report(
    dir: &Path,
    scn: &Scenario,
    scenario_toml_text: &str,
    run: &ChartInput<'_>,
) -> Result<PathBuf, OutputError> {
    write_report_with(dir, scn, scenario_toml_text, run, None)
}

/// [`write_report`] for a run fitted to observed data (`run --observed`): the report then
/// holds the fit, its table and its chart.
pub fn write_report_with(
    dir: &Path,
    scn: &Scenario,
    scenario_toml_text: &str,
    run: &ChartInput<'_>,
    fit: Option<&Fit>,
) -> Result<PathBuf, OutputError> {
    std::fs::create_dir_all(dir).map_err(|source| OutputError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    // ports.csv is named beside summary.json where the run wrote one: this command (`run
    // --report`, its files still staged) or the run the directory holds (`report DIR`).
    let ports = dir.join(super::csv::PORTS_CSV);
    let ports_csv = ports.is_file() || crate::fsio::written_by_this_command(&ports);
    let html = render(scn, scenario_toml_text, run, fit, ports_csv)?;
    let path = dir.join("report.html");
    atomic_write(&path, html.as_bytes())?;
    Ok(path)
}

/// The report as an HTML string.
pub fn render_report(
    scn: &Scenario,
    scenario_toml_text: &str,
    run: &ChartInput<'_>,
) -> Result<String, OutputError> {
    render_report_with(scn, scenario_toml_text, run, None)
}

/// The report as an HTML string, with the fit to observed data when there is one.
pub fn render_report_with(
    scn: &Scenario,
    scenario_toml_text: &str,
    run: &ChartInput<'_>,
    fit: Option<&Fit>,
) -> Result<String, OutputError> {
    render(scn, scenario_toml_text, run, fit, false)
}

/// [`render_report_with`], whose sentence on where every port's figures are (beyond
/// [`super::table::PORT_ROWS`] ports) names `ports.csv` beside summary.json when `ports_csv`
/// (the directory of the report has one).
fn render(
    scn: &Scenario,
    scenario_toml_text: &str,
    run: &ChartInput<'_>,
    fit: Option<&Fit>,
    ports_csv: bool,
) -> Result<String, OutputError> {
    let sum = run.summary;
    let rep: BottleneckReport = crate::analysis::explain_for_run(scn, run);
    let bindings = bind_with(scn, &rep, run);
    let shares = binding_shares(&bindings);
    let mut clear: Vec<f64> = run.clearance_days.to_vec();
    clear.sort_by(f64::total_cmp);
    let q = |p: f64| (!clear.is_empty()).then(|| quantile_sorted(&clear, p));
    let date = |x: f64| scn.date_of(x).format("%a %d %b %Y").to_string();
    // The weeks looked at end at the median clearance, or at the horizon when the median run
    // does not clear within it.
    let median_censored = q(0.5).is_some_and(|m| sum.is_censored_clearance(m));
    let spans = binding_spans(&bindings);
    // When the registrations set the date, the day the scenario expects them to end: one
    // answer for "What the certainty covers" and "In short", as for the run's table.
    let registration = crate::analysis::registration_sets_date(
        scn,
        &rep,
        &spans,
        q(0.5).filter(|_| !median_censored),
    )
    // With the day by which every group has registered in half the runs, when it is later
    // than that bound (a continuous delay), as the run's table gives it.
    .map(|d| (d, rep.registration_median_day.filter(|&m| m > d)));
    // The horizon in "had not cleared by …", exact: a midnight is the end of the day before
    // ("by Thu 15 Jul 2021" had read a day late for a run stopped at 00:00 that day), another
    // time of day is given.
    let by_end = |x: f64| {
        let minutes = ((x - x.floor()) * 1440.0).round() as i64;
        if minutes == 0 || minutes == 1440 {
            format!("the end of {}", date(x.round() - 1.0))
        } else {
            format!("{} {:02}:{:02}", date(x), minutes / 60, minutes % 60)
        }
    };

    let mut h = String::with_capacity(400_000);
    let title = format!("Clearance report: {}", scn.name);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{}</title><style>{CSS}</style></head><body>\n<h1>{}</h1>\n<p class=\"sub\">{} <a class=\"g\" href=\"#g-replication\">{}</a> · <a class=\"g\" href=\"#g-seed\">seed</a> {} · \
start {} · {} in the backlog and phases{} · terms: <a href=\"#glossary\">glossary</a></p>\n",
        esc(&title),
        esc(&title),
        sum.replications,
        if sum.replications == 1 {
            "replication"
        } else {
            "replications"
        },
        sum.seed,
        esc(&scn.start_date.format("%Y-%m-%d").to_string()),
        esc(&if sum.people.total == 1 {
            "1 person".to_string()
        } else {
            format!("{} people", fmt_int(sum.people.total as f64))
        }),
        if sum.scenario.file.is_empty() {
            String::new()
        } else {
            format!(" · {}", esc(&sum.scenario.file))
        } + &if sum.scenario.overrides.is_empty() {
            String::new()
        } else {
            format!(" · with --set {}", esc(&sum.scenario.overrides.join(", ")))
        }
    );

    // Key answers.
    h.push_str("<div class=\"key\"><h2 style=\"margin-top:0;border:0\">Key answers</h2><ul>\n");
    match (q(0.5), q(0.9)) {
        (Some(p50), _) if sum.is_censored_clearance(p50) => {
            let _ = writeln!(
                h,
                "<li><b>Median clearance: not within the horizon.</b> {} of {} had not cleared by {}, the end of the simulated period (the horizon of {} days).</li>",
                sum.censored,
                counted(sum.replications, "replication", "replications"),
                esc(&by_end(scn.horizon)),
                crate::output::table::days_num(scn.horizon)
            );
            if let Some(text) = people_sentence(sum, scn.registration.never) {
                let _ = writeln!(h, "<li>{text}</li>");
            }
        }
        (Some(p50), Some(p90)) => {
            // Too few runs for a P90 (as for a middle 90%): no "9 of 10" clause, whose date is
            // an interpolation between runs no run reached (the "How certain" line names the
            // first and last runs instead), only how many had not cleared, if some had not.
            let few = sum.replications < crate::output::table::MIDDLE_90_MIN_RUNS;
            let p90_text = if few && sum.censored == 0 {
                String::new()
            } else if few {
                format!(
                    "; {} of {} had not cleared by {} (the horizon of {} days)",
                    sum.censored,
                    counted(sum.replications, "replication", "replications"),
                    esc(&by_end(scn.horizon)),
                    crate::output::table::days_num(scn.horizon)
                )
            } else if sum.is_censored_clearance(p90) {
                // (more than 1 in 10 had not cleared: not "9 of 10 did not")
                format!(
                    "; its P90 is <b>not within the horizon</b>: {} of {} replications had not \
                     cleared by {} (the horizon of {} days)",
                    sum.censored,
                    sum.replications,
                    esc(&by_end(scn.horizon)),
                    crate::output::table::days_num(scn.horizon)
                )
            } else {
                format!(
                    "; in 9 of 10 replications the backlog is cleared by <b>{}</b> (P90, day {})",
                    esc(&date(p90)),
                    day_num(p90)
                )
            };
            let _ = writeln!(
                h,
                "<li><b>Median clearance (P50): {}</b> (day {}){p90_text}.</li>",
                esc(&date(p50)),
                day_num(p50),
            );
            // How many cross, in words, before how sure the date is.
            if let Some(text) = people_sentence(sum, scn.registration.never) {
                let _ = writeln!(h, "<li>{text}</li>");
            }
            // How certain: the spread of the replications first, which is the range of
            // outcomes; the precision of the median after it, worded so that its narrow range
            // is not quoted as the uncertainty.
            if few {
                // Too few runs for a middle 90%: their first and last, plainly (as the run's
                // table gives them).
                if let (Some(&first), Some(&last)) = (clear.first(), clear.last()) {
                    let later = if sum.is_censored_clearance(last) {
                        " or later (not within the horizon)"
                    } else {
                        ""
                    };
                    let span = if sum.replications == 1 {
                        format!("the one replication clears on {}{later}", esc(&date(first)))
                    } else if date(first) == date(last) && later.is_empty() {
                        format!(
                            "the {} replications all clear on {}",
                            sum.replications,
                            esc(&date(first))
                        )
                    } else {
                        format!(
                            "the {} replications clear between {} and {}{later}",
                            sum.replications,
                            esc(&date(first)),
                            esc(&date(last))
                        )
                    };
                    let _ = writeln!(
                        h,
                        "<li><b>How certain:</b> {span}: too few <a class=\"g\" \
                         href=\"#g-replication\">replications</a> to give a middle 90%; run {} \
                         or more for a spread.</li>",
                        crate::output::table::MIDDLE_90_MIN_RUNS
                    );
                }
            } else if let (Some(p5), Some(p95)) = (q(0.05), q(0.95)) {
                // A P95 among replications stopped at the horizon is a lower bound, said so
                // (it had read as a measured date, with 42% of the runs not cleared).
                let range = if sum.is_censored_clearance(p95) {
                    format!(
                        "between {} (P5) and {} or later (P95, not within the horizon)",
                        esc(&date(p5)),
                        esc(&date(p95))
                    )
                } else {
                    // Both ends on one date: "on" it ("between Sat 02 Jan 2021 and Sat 02 Jan
                    // 2021" had read as a range).
                    let dates = if date(p5) == date(p95) {
                        format!("on {}", esc(&date(p5)))
                    } else {
                        format!("between {} and {}", esc(&date(p5)), esc(&date(p95)))
                    };
                    format!(
                        "{dates} (the middle 90% of the {} replications, <a class=\"g\" \
                         href=\"#g-percentile\">P5 to P95</a>)",
                        sum.replications
                    )
                };
                let _ = writeln!(
                    h,
                    "<li><b>How certain:</b> in 9 of 10 <a class=\"g\" \
                     href=\"#g-replication\">replications</a>, clearance falls {range}.</li>"
                );
            }
            if let Some(cis) = &sum.clearance_quantile_ci95 {
                // How sure the dates are, from the replications run: a median between two days
                // reads differently at 200 and 1,000 replications without it.
                // With its ends in days, as the table's line has them: the dates alone read the
                // same at 32 and 512 replications while the interval narrows.
                let span = |ci: &crate::experiment::summary::QuantileCi| {
                    use crate::experiment::summary::CiSpan;
                    use crate::output::table::interval_decimals;
                    let days = |low: f64| {
                        let high = ci.high_days.unwrap_or(low);
                        let d = interval_decimals(low, high, 1);
                        format!(
                            "days {} – {}",
                            crate::scenario::day_fixed(low, d),
                            crate::scenario::day_fixed(high, d)
                        )
                    };
                    Some(match ci.span()? {
                        CiSpan::ToHorizon { low } => format!(
                            "from {} (day {}) to the horizon or later",
                            esc(&date(low)),
                            day_num(low)
                        ),
                        CiSpan::OneDay { low } => {
                            format!("on {} ({})", esc(&date(low)), days(low))
                        }
                        CiSpan::Between { low, high } => format!(
                            "between {} and {} ({})",
                            esc(&date(low)),
                            esc(&date(high)),
                            days(low)
                        ),
                    })
                };
                let p90_span = if sum.is_censored_clearance(p90) {
                    None
                } else {
                    span(&cis.p90)
                };
                let ci = |s: &str| {
                    format!("<a class=\"g\" href=\"#g-ci\">95% confidence interval{s}</a>")
                };
                let _ = match (span(&cis.p50), p90_span) {
                    (Some(m), Some(n)) => writeln!(
                        h,
                        "<li><b>How precise the estimate is:</b> from {} replications, the \
                         scenario's median clearance lies {m} and its P90 {n} ({}). This is \
                         the precision of the estimates from {} runs, not the range of \
                         outcomes (that is the line above); more replications narrow it.</li>",
                        sum.replications,
                        ci("s"),
                        sum.replications
                    ),
                    (Some(m), None) => writeln!(
                        h,
                        "<li><b>How precise the estimate is:</b> from {} replications, the \
                         scenario's median clearance lies {m} ({}). This is the precision of \
                         the estimate from {} runs, not the range of outcomes (that is the line \
                         above); more replications narrow it.</li>",
                        sum.replications,
                        ci(""),
                        sum.replications
                    ),
                    _ => Ok(()),
                };
            }
            let _ = writeln!(h, "<li>{}</li>", inputs_sentence(registration, &date));
        }
        _ => h.push_str("<li>No replication finished.</li>\n"),
    }
    // A backlog that clears because its people drop out, said as the terminal says it.
    if let Some((head, tail)) = super::table::dropped_text(sum) {
        let _ = writeln!(h, "<li><b>{}</b>{}.</li>", esc(&head), esc(&tail));
    }
    if sum.t90_days.is_none() && sum.replications > 0 {
        // The people lost, when they put t90 out of reach in every run, are the reason, not
        // the horizon (the runs may all have cleared).
        let lost =
            super::table::out_of_reach(sum).is_some_and(|o| o.always && o.names.contains(&"t90"));
        let _ = writeln!(
            h,
            "<li>No replication processed 90% of the people{}.{}</li>",
            if lost { "" } else { " within the horizon" },
            esc(&out_of_reach(sum))
        );
    }
    if let Some(t90) = &sum.t90_days {
        // t90's statistics are over the replications that reached it: say how many did.
        let (k, n) = (t90.n, t90.n + sum.t_not_reached.t90);
        let when = format!("{} (day {})", esc(&date(t90.p50)), day_num(t90.p50));
        let _ = if k == n {
            writeln!(
                h,
                "<li>90% of people are processed by {when} (median of t90).</li>"
            )
        } else if 2 * k > n {
            writeln!(
                h,
                "<li>90% of people are processed by {when} (median of t90) in the {k} of {n} \
                 replications that reach it; in the other {}, 90% is never reached (people \
                 dropped out or were never reached).</li>",
                n - k
            )
        } else {
            writeln!(
                h,
                "<li>90% of people are processed in only {k} of {} (in the others people \
                 dropped out or were never reached); in those, by {when}.</li>",
                counted(n, "replication", "replications")
            )
        };
    }
    let weeks = if median_censored {
        "up to the horizon (the median run does not clear within it)"
    } else {
        "before the median clearance"
    };
    let lever = date_lever(scn, &spans);
    // The date in one story when registration or the health check sets it, then the waits
    // staff and quotas do change; the three answers after them say how they differ.
    if let (Some((k, _)), Some(p50)) = (&lever, q(0.5).filter(|_| !median_censored)) {
        if let Some(text) = date_story(registration, &spans[*k], p50, &date) {
            let _ = writeln!(h, "<li>{text}</li>");
        }
    }
    if let Some(text) = waits_sentence(sum, scn.policy == crate::scenario::Policy::Appointment) {
        let _ = writeln!(h, "<li>{text}</li>");
    }
    if let Some((name, share)) = shares.first() {
        let _ = write!(
            h,
            "<li><b>What binds: {}</b>, in {:.0}% of the weeks {weeks} (the stage holding people \
             back most often: it sets how long they wait, not necessarily the date; see \
             <a class=\"g\" href=\"#g-binds\">binds</a>).",
            esc(name),
            share * 100.0
        );
        if shares.len() > 1 {
            let rest: Vec<String> = shares[1..]
                .iter()
                .map(|(n, s)| format!("{} {:.0}%", n, s * 100.0))
                .collect();
            let _ = write!(h, " Others: {}.", esc(&rest.join(", ")));
        }
        h.push_str("</li>\n");
    }
    if let Some((k, lever)) = lever {
        let last = &spans[k];
        let _ = writeln!(
            h,
            "<li><b>What sets the date: {}</b>, which binds at the end{} (from {}{}; the stage the last people are in): {}.{}</li>",
            esc(if crate::analysis::idle_span(last) {
                crate::analysis::IDLE
            } else {
                &last.name
            }),
            if median_censored {
                " of the weeks up to the horizon"
            } else {
                ""
            },
            esc(&last.from_date.format("%a %d %b %Y").to_string()),
            if k + 1 < spans.len() {
                ", then nobody waits"
            } else {
                ""
            },
            esc_code(&lever),
            // (A lever that would let a run clear at all has no amount to measure.)
            if crate::analysis::lever_is_measurable(&lever) {
                " <code>clearance sensitivity</code> measures by how much."
            } else {
                ""
            }
        );
    }
    // Ports with a route that processed nobody, as the run's terminal summary says.
    if let Some(note) = crate::analysis::unused_ports_note(scn, sum) {
        let _ = writeln!(h, "<li>{}</li>", esc(&note));
    }
    match (rep.lower_bound_day, rep.lower_bound_date) {
        (Some(d), Some(dt)) => {
            let _ = writeln!(
                h,
                "<li>From capacities alone, {} <b>{}</b> (day {d}); the stage that sets this <a class=\"g\" href=\"#g-bound\">capacity bound</a> is <b>{}</b> (the earliest date the scenario's capacities and registrations allow, before any waiting).{}{}</li>",
                rep.bound_phrase(),
                esc(&dt.format("%a %d %b %Y").to_string()),
                esc(rep.binding_name()),
                if rep.attrition_loosens() {
                    " Drop-outs leave fewer people to pass, so a run can clear sooner."
                } else {
                    ""
                },
                rep.estimate_text()
                    .map_or(String::new(), |t| format!(" {}", esc(&t)))
            );
        }
        _ => match &rep.never_travel {
            Some(why) => {
                let _ = writeln!(
                    h,
                    "<li>From capacities alone, <b>{}</b> never lets the backlog clear: some {}.</li>",
                    esc(rep.binding_name()),
                    esc(why)
                );
            }
            None => {
                let days = if rep.days == 1 {
                    "1 day".to_string()
                } else {
                    format!("{} days", rep.days)
                };
                if rep.attrition_loosens() {
                    // Drop-outs can let runs clear within the horizon even so.
                    let _ = writeln!(
                        h,
                        "<li>From capacities alone, if nobody dropped out, <b>{}</b> would not let the backlog clear within {days}. Drop-outs leave fewer people to pass, so a run can clear within them.</li>",
                        esc(rep.binding_name()),
                    );
                } else {
                    let _ = writeln!(
                        h,
                        "<li>From capacities alone, <b>{}</b> does not let the backlog clear within {days}.</li>",
                        esc(rep.binding_name()),
                    );
                }
            }
        },
    }
    // The precision asked for (`run --precision`): met or not, after how many replications.
    if let Some(p) = &sum.precision {
        let width = |x: Option<f64>| x.map_or("–".to_string(), |h| format!("{h:.3}"));
        let _ = writeln!(
            h,
            "<li><b>Precision: the target {} was {}</b> after {} replications (95% CI \
             half-width of mean clearance {} days, allowed {} days){}.</li>",
            esc(&p.target),
            if p.met { "met" } else { "not met" },
            sum.replications,
            width(p.half_width_days),
            width(p.allowed_days),
            if p.met {
                ""
            } else if sum.censored > 0 {
                "; it cannot be met while replications reach the horizon before clearing (the \
                 mean is then only a lower bound): raise scenario.horizon"
            } else {
                "; the results are complete but less precise than asked: raise \
                 --max-replications"
            }
        );
    }
    if let Some(fit) = fit {
        let _ = writeln!(
            h,
            "<li><b>Against the observed data</b>{}: {} of {} observations inside the simulated \
             90% band; RMSE (observed − simulated median) {} people (see \
             <a href=\"#observed\">the fit</a>).</li>",
            sum.observed.as_ref().map_or(String::new(), |o| format!(
                " (<code>{}</code>)",
                esc(&o.file)
            )),
            fit.inside90,
            fit.rows.len(),
            esc(&rmse_text(fit.rmse))
        );
    }
    h.push_str("</ul></div>\n");
    if sum.censored > 0 || sum.partial {
        h.push_str("<div class=\"warn\">");
        if sum.censored > 0 {
            let _ = write!(
                h,
                "{} the horizon ({} days) before clearing; their clearance is counted as the horizon, so the figures they enter are lower bounds, marked ≥ or \"or later\" where they count (those between the replications that cleared are measured). ",
                counted(sum.censored, "replication reached", "replications reached"),
                super::table::days_num(scn.horizon)
            );
        }
        if sum.partial {
            h.push_str("The run was interrupted: only finished replications are summarised.");
        }
        h.push_str("</div>\n");
    }

    // Statistics.
    let n = sum.replications;
    let n_reps = super::table::replications_text(n);
    h.push_str("<h2>Statistics over replications</h2>\n<h3>Clearance and milestones [days since start]</h3>");
    h.push_str(&table_open(
        "t-clearance",
        &format!("Clearance and milestones [days since the start], over {n_reps}"),
    ));
    h.push_str(STAT_HEAD);
    // With censored replications the mean is a lower bound too.
    // Rows labelled as the terminal's table labels them (the JSON's keys, `clearance_days`,
    // `t50_days`, had headed them).
    stat_row_marked(
        &mut h,
        "clearance",
        sum.clearance_days.as_ref(),
        days,
        &|x| sum.is_censored_clearance(x),
        sum.censored > 0,
    );
    for (name, stat, key, share) in [
        ("t50: 50% processed", &sum.t50_days, "t50", 0.5),
        ("t90: 90% processed", &sum.t90_days, "t90", 0.9),
        ("t99: 99% processed", &sum.t99_days, "t99", 0.99),
    ] {
        // Why there are no figures, where they would be: in short, the people lost being
        // said with their numbers in the note under the table.
        let why = match (stat, super::table::milestone_missing(sum, key, share)) {
            (_, Some(why)) => Some(why),
            (None, None) if sum.replications > 0 => {
                Some("no run reaches it: see the note below".to_string())
            }
            _ => None,
        };
        match why {
            Some(why) => {
                let _ = write!(
                    h,
                    "<tr><th scope=\"row\">{}</th><td colspan=\"8\" style=\"text-align:left\">– ({})</td></tr>",
                    esc(name),
                    esc(&why)
                );
            }
            None => stat_row(&mut h, name, stat.as_ref(), days),
        }
    }
    h.push_str(TABLE_END);
    h.push('\n');
    let nr = &sum.t_not_reached;
    if nr.t50 + nr.t90 + nr.t99 > 0 {
        let _ = writeln!(
            h,
            "<p>Milestone not reached in: t50 {}, t90 {}, t99 {} {}.{}{}</p>",
            nr.t50,
            nr.t90,
            nr.t99,
            // The last count's noun, as the table's line reads ("t99 1 replication").
            if nr.t99 == 1 {
                "replication"
            } else {
                "replications"
            },
            {
                // Only milestones some replication reached have statistics to understate.
                let c = &sum.t_cut_by_horizon;
                let cut: Vec<String> = [
                    ("t50", c.t50, &sum.t50_days),
                    ("t90", c.t90, &sum.t90_days),
                    ("t99", c.t99, &sum.t99_days),
                ]
                .iter()
                .filter(|(_, n, s)| *n > 0 && s.is_some())
                .map(|(name, n, _)| format!("{name} {n}"))
                .collect();
                if cut.is_empty() {
                    String::new()
                } else {
                    format!(
                        " Of these, stopped by the horizon before clearing: {}; they might \
                         reach the milestone later, so its statistics (over the replications \
                         that reach it) may understate it.",
                        cut.join(", ")
                    )
                }
            },
            esc(&out_of_reach(sum))
        );
    }
    h.push_str("<h3>People [people]</h3>");
    h.push_str(&table_open(
        "t-people",
        &format!("People per replication [people], over {n_reps}"),
    ));
    h.push_str(STAT_HEAD);
    stat_row(&mut h, "processed", sum.people.processed.as_ref(), people);
    stat_row(&mut h, "dropped", sum.people.dropped.as_ref(), people);
    stat_row(&mut h, "unreached", sum.people.unreached.as_ref(), people);
    stat_row(
        &mut h,
        "still in system at end",
        sum.people.in_system.as_ref(),
        people,
    );
    if scn.inflow.is_some() {
        stat_row(&mut h, "inflow", sum.people.inflow.as_ref(), people);
        stat_row(
            &mut h,
            "inflow processed",
            sum.people.inflow_processed.as_ref(),
            people,
        );
    }
    let _ = write!(
        h,
        "{TABLE_END}\n<h3>Stages: mean wait per group [days] and <a class=\"g\" \
         href=\"#g-utilization\">utilization</a></h3>{}",
        table_open(
            "t-stages",
            &format!("Each stage's mean wait per group [days] and utilization [%], over {n_reps}")
        )
    );
    h.push_str(STAT_HEAD);
    // Under appointment the transport wait includes waiting for a port appointment.
    let appointment = scn.policy == crate::scenario::Policy::Appointment;
    for (name, st) in [
        ("screening", &sum.stages.screening),
        (
            if appointment {
                "transport (incl. waiting for an appointment)"
            } else {
                "transport"
            },
            &sum.stages.transport,
        ),
        ("port (all)", &sum.stages.port),
    ] {
        stat_row(
            &mut h,
            &format!("{name}: wait"),
            st.wait_days.as_ref(),
            wait_days,
        );
        stat_row(
            &mut h,
            &format!("{name}: utilization"),
            st.utilization.as_ref(),
            pct,
        );
    }
    let _ = write!(
        h,
        "{TABLE_END}\n<h3>Ports</h3>{}",
        table_open(
            "t-ports",
            &format!(
                "Each port's people processed [people], mean wait per group [days] and \
                 utilization [%], over {n_reps}"
            )
        )
    );
    h.push_str(STAT_HEAD);
    // Beyond PORT_ROWS ports, as the run's table: the rows of those that processed the most
    // and of those "What binds" names, then a sentence on the others and on where every port's
    // figures are (a scenario of 1,000 ports had 3,000 rows here).
    let named = crate::analysis::named_ports(scn, sum, &rep, &bindings);
    let keep: Vec<String> = named
        .iter()
        .filter_map(|&p| scn.ports.get(p).map(|x| x.name.clone()))
        .collect();
    let shown = super::table::shown_ports(sum, &keep);
    for p in shown.iter().map(|&p| &sum.ports[p]) {
        stat_row(
            &mut h,
            &format!("{}: processed [people]", p.name),
            p.processed.as_ref(),
            people,
        );
        stat_row(
            &mut h,
            &format!("{}: wait [days]", p.name),
            p.wait_days.as_ref(),
            wait_days,
        );
        stat_row(
            &mut h,
            &format!("{}: utilization", p.name),
            p.utilization.as_ref(),
            pct,
        );
    }
    h.push_str(TABLE_END);
    h.push('\n');
    if let Some(text) =
        super::table::other_ports_text(sum, &shown, "that the report names on what binds")
    {
        let _ = writeln!(
            h,
            "<p>Rows: {}. The full table is in summary.json beside this report (each port's \
             people processed, wait and utilization, under <code>ports</code>){}, and a column \
             a port in replications.csv.</p>",
            esc(&text),
            if ports_csv {
                " and in ports.csv (a row a port and figure)"
            } else {
                ""
            }
        );
    }

    if let Some(fit) = fit {
        observed_section(&mut h, scn, run, fit)?;
    }

    // Bottleneck.
    let window = rep.mean_window();
    let _ = write!(h, "<h2>What limits clearance</h2>\n<p>Capacity of each stage from the scenario alone, and the earliest day by which it could have passed everyone (the earliest clearance to expect; see the assumptions).</p>{}", table_head("t-capacity", "Each stage's capacity from the scenario alone [people/day] and its earliest finish [date]", &["stage", &format!("mean capacity, days 0–{window} [people/day]"), "peak [people/day]", "earliest finish"]));
    // Beyond PORT_ROWS ports, as explain's table: the rows of the ports that matter to the
    // bound and of those "What binds" names, then a sentence on the others and on where every
    // row is (a scenario of 1,000 ports had 2,000 rows here).
    let bound_ports = super::bottleneck::shown_bound_ports(&rep, &named);
    for (i, r) in rep.rows.iter().enumerate() {
        if r.port.is_some_and(|p| !bound_ports.contains(&p)) {
            continue;
        }
        let rate = |x: f64| {
            if x.is_infinite() {
                "unlimited".to_string()
            } else {
                fmt_int(x.round())
            }
        };
        let finish = match rep.finish(i) {
            Finish::Day(d, dt) => format!("{} (day {d})", dt.format("%Y-%m-%d")),
            Finish::NotReached => "not within the horizon".into(),
            Finish::Shared => "shared".into(),
            Finish::NoRoute => "no route".into(),
            Finish::Unused => "not used".into(),
            Finish::Blank => String::new(),
        };
        let name = if r.port.is_some() || r.origin.is_some() {
            format!("\u{2003}{}", r.name)
        } else {
            r.name.clone()
        };
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&name),
            esc(&rate(r.mean_capacity(window))),
            esc(&rate(r.peak_capacity())),
            esc(&finish)
        );
    }
    h.push_str(TABLE_END);
    h.push('\n');
    if let Some(text) = super::bottleneck::other_bound_ports_text(
        &rep,
        &bound_ports,
        "that the report names on what binds",
    ) {
        let _ = writeln!(
            h,
            "<p>Rows: {}. <code>clearance explain --json</code> gives every row (each port's and \
             the transport's to it, with its capacity day by day).</p>",
            esc(&text)
        );
    }
    if !bindings.is_empty() {
        h.push_str("<h3>Binding stage per week (simulated)</h3>");
        h.push_str(&table_head("t-binding", "The stage that binds, week by week (simulated)", &["week from", "binds", "% used (the week's throughput over the stage's capacity bound, not the busy time of the tables above)", "people queued in front (mean; for the health check, people in it or its isolation; for registration, people still expected to register)"]));
        for b in &bindings {
            let _ = write!(
                h,
                "<tr><th scope=\"row\" style=\"white-space:nowrap\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&b.from_date.format("%Y-%m-%d").to_string()),
                esc(crate::analysis::period_name(b)),
                esc(&opt(b.utilization, pct)),
                esc(&fmt_int(b.queue.round()))
            );
        }
        h.push_str(TABLE_END);
        h.push('\n');
    }

    // Charts.
    h.push_str("<h2>Charts</h2>\n");
    let fan = FanStart::of(scn, run);
    for (chart, svg) in render_svgs(scn, run)? {
        let desc = chart_description(chart.name(), sum, fan, &rep, &shares, &q, &date);
        let _ = writeln!(h, "{}", figure(chart.name(), chart.title(), &svg, &desc));
    }

    // Scenario, assumptions, reproduction.
    let _ = writeln!(
        h,
        "<h2>Scenario</h2>\n<pre>{}</pre>",
        esc(scenario_toml_text)
    );
    h.push_str("<h2>Assumptions</h2>\n<ul>\n");
    let mut notes: Vec<String> = vec![
        "Each replication is an independent discrete-event simulation of every group; bands and percentiles are over replications.".into(),
        "Clearance is the time the last group of the backlog and phases is resolved (processed, dropped out, or never reached); censored replications count as the horizon.".into(),
        "Capacity bounds use mean service times and mean group sizes, the largest disruption factor in force on a day, and ignore attrition, health checks and travel time.".into(),
        format!(
            "A stage binds in a week when it runs at ≥ {:.0}% of its capacity with the longest queue in front of it; otherwise, once nobody is left to register, the health check if more people are in it or its isolation than in front of the busiest stage (its row gives them); otherwise the most utilized stage among those at ≥ 50% with at least a day's throughput queued in front; otherwise, while anyone is still expected to register after the week's start (within the horizon or after it; a group registering at its start has registered), registration (the system waits for them); once nobody is, where the most people are: the stage with the longest queue in front or the health check (the last people wait there, or are stuck); in a first week where nobody is queued at the end of any day (they wait only within days, e.g. for a port to open), the stage where groups waited longest over the run. A week where nobody waits anywhere is \"nobody waits\". Its share of the clearance time is the share of the days up to the median clearance in weeks where it binds.",
            crate::analysis::NEAR_FULL * 100.0
        ),
    ];
    // The notes written a port each, of the ports the capacity table gives rows to.
    notes.extend(super::bottleneck::shown_notes(&rep, &bound_ports));
    // (folded as the run's table folds them: a scenario of 1,000 closed ports had listed
    // 1,000 warnings here)
    notes.extend(
        super::warnings::fold_file_warnings(&scn.warnings)
            .into_iter()
            .map(|w| format!("Warning: {w}")),
    );
    // The run's own warnings (an inflow that outpaces capacity; KPIs other than clearance cut
    // off by the horizon), which the scenario's do not hold.
    notes.extend(
        sum.warnings
            .iter()
            .filter(|w| {
                (w.starts_with(crate::analysis::INFLOW_OVERLOAD)
                    || w.contains(crate::experiment::summary::CENSORED_KPIS))
                    && !scn.warnings.contains(w)
            })
            .map(|w| format!("Warning: {w}")),
    );
    for n in &notes {
        let _ = writeln!(h, "<li>{}</li>", esc(n));
    }
    h.push_str("</ul>\n<h2>Reproduce</h2>\n");
    // The file the run read (the summary keeps it; `report DIR` loads DIR/scenario.toml).
    let file = if sum.scenario.file.is_empty() {
        "SCENARIO.toml"
    } else {
        sum.scenario.file.as_str()
    };
    if sum.partial {
        let _ = writeln!(
            h,
            "<p>This run was interrupted: the {} replications summarised are those that had finished, not the first {}, so no command reproduces it exactly. <code>scenario.toml</code> beside this report is the scenario as asked for (after <code>extends</code> and any <code>--set</code>, with its seed and number of replications); to run it again whole, from this directory:</p><pre>clearance run scenario.toml --out OUTDIR --report</pre>",
            sum.replications,
            sum.replications,
        );
    } else {
        let _ = writeln!(
            h,
            "<p>Results depend only on the scenario and the seed (not on the number of threads). <code>scenario.toml</code> beside this report is the scenario as run, from <code>{}</code> after <code>extends</code> and any <code>--set</code>, with seed {} and {}; from this directory, this writes the run's outputs and this report (<code>--report</code>; without it, <code>clearance report OUTDIR</code> writes the report afterwards):</p><pre>clearance run scenario.toml --out OUTDIR --report</pre>",
            esc(file),
            sum.seed,
            super::table::replications_text(sum.replications)
        );
    }
    if let Some(p) = &sum.precision {
        let _ = writeln!(
            h,
            "<p>The number of replications, {}, was chosen by <code>--precision</code> (target \
             {}); <code>scenario.toml</code> holds it, so the command above runs the same \
             replications.</p>",
            sum.replications,
            esc(&p.target)
        );
    }
    if let Some(o) = &sum.observed {
        let _ = writeln!(
            h,
            "<p>The fit to observed data was made with <code>--observed {}</code>; add it to \
             the command to fit again (<code>observed-fit.csv</code> beside this report holds \
             the fit's rows).</p>",
            esc(&o.file)
        );
    }
    h.push_str(GLOSSARY);
    let _ = writeln!(
        h,
        "<p class=\"sub\">Generated by clearance {}.</p>\n</body></html>",
        esc(env!("CARGO_PKG_VERSION"))
    );
    Ok(h)
}

#[cfg(test)]
mod tests {

    /// A STAT row gives the P90 between the P50 and the P95 (the run table's columns), and `–`
    /// for a summary saved before STATs kept it.
    #[test]
    fn a_stat_row_gives_the_p90_between_the_p50_and_the_p95() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        let mut s = crate::stats::Stat::of(&values).unwrap();
        let mut row = String::new();
        super::stat_row(&mut row, "processed", Some(&s), super::people);
        // (the P50, 50.5, rounds half away from zero, as every whole number)
        assert!(
            row.contains("<td>51</td><td>90</td><td>95</td><td>100</td>"),
            "{row}"
        );
        assert!(super::STAT_HEAD.contains(
            "<th scope=\"col\">P50</th><th scope=\"col\">P90</th><th scope=\"col\">P95</th>"
        ));
        s.p90 = None;
        let mut row = String::new();
        super::stat_row(&mut row, "processed", Some(&s), super::people);
        assert!(row.contains("<td>51</td><td>–</td><td>95</td>"), "{row}");
    }
    use super::day_num;

    /// A mean of people under one whose interval prints as "1 – 1" in whole people gets the
    /// decimals of the terminal's table (the report had read "1 … 1 – 1" where the table read
    /// "0.8 [0.7 – 0.9]").
    #[test]
    fn a_narrow_interval_keeps_its_decimals_as_in_the_table() {
        let values: Vec<f64> = (0..400)
            .map(|i| [0.0, 1.0, 1.0, 1.0, 2.0][i % 5] * 0.8)
            .collect();
        let s = crate::stats::Stat::of(&values).unwrap();
        let mut row = String::new();
        super::stat_row(&mut row, "still in system at end", Some(&s), super::people);
        assert!(!row.contains("<td>1 – 1</td>"), "{row}");
        let d = crate::output::table::narrow_decimals(&s, super::people).unwrap();
        let (a, b) = (s.ci95_low.unwrap(), s.ci95_high.unwrap());
        assert!(
            row.contains(&format!("<td>{a:.d$} – {b:.d$}</td>")),
            "{row}"
        );
        assert!(row.contains(&format!("<td>{:.d$}</td>", s.mean)), "{row}");
        // The sd and the quantiles with the same decimals: a wait of 0.0568 had sat beside an
        // sd of 0.00 and quantiles of 0.06.
        for x in [s.sd.unwrap(), s.p5, s.p50, s.p90.unwrap(), s.p95, s.max] {
            assert!(row.contains(&format!("<td>{x:.d$}</td>")), "{x} in {row}");
        }
        let waits: Vec<f64> = (0..200).map(|i| 0.0568 + (i % 7) as f64 * 1e-4).collect();
        let w = crate::stats::Stat::of(&waits).unwrap();
        let mut row = String::new();
        super::stat_row(&mut row, "port (all): wait", Some(&w), super::wait_days);
        assert!(
            !row.contains("<td>0.06</td>") && !row.contains("<td>0.00</td>"),
            "{row}"
        );
        // An interval straddling a rounding boundary, 0.0550–0.0554, had read "0.05 – 0.06",
        // ten times wider than it is, with an sd of 0.00.
        let waits: Vec<f64> = (0..40)
            .map(|i| 0.0552 + ((i % 5) as f64 - 2.0) * 5e-4)
            .collect();
        let w = crate::stats::Stat::of(&waits).unwrap();
        let (a, b) = (w.ci95_low.unwrap(), w.ci95_high.unwrap());
        assert_eq!(
            (super::wait_days(a), super::wait_days(b)),
            ("0.05".into(), "0.06".into())
        );
        let mut row = String::new();
        super::stat_row(&mut row, "port (all): wait", Some(&w), super::wait_days);
        assert!(row.contains(&format!("<td>{a:.4} – {b:.4}</td>")), "{row}");
        assert!(!row.contains("<td>0.00</td>"), "{row}");
        // Percentages keep their own format (their decimals are not the fraction's).
        let shares: Vec<f64> = (0..400).map(|i| 0.349 + (i % 3) as f64 * 1e-5).collect();
        let p = crate::stats::Stat::of(&shares).unwrap();
        assert_eq!(crate::output::table::narrow_decimals(&p, super::pct), None);
    }

    /// Counts are said as a reader quotes them, waits in the unit that reads best.
    #[test]
    fn counts_and_waits_read_in_words() {
        use super::{about, duration_words};
        assert_eq!(about(22_281.0), "22,300");
        assert_eq!(about(2_497.0), "2,500");
        assert_eq!(about(222.0), "220");
        assert_eq!(about(64.4), "64");
        assert_eq!(about(0.2), "0");
        assert_eq!(duration_words(0.0638), "1.5 hours");
        assert_eq!(duration_words(1.99), "47.8 hours");
        assert_eq!(duration_words(2.0), "2.0 days");
        assert_eq!(duration_words(13.53), "13.5 days");
        assert_eq!(duration_words(0.0364), "52 minutes");
        assert_eq!(duration_words(1.0 / 1440.0), "1 minute");
    }

    /// A chart inlined in the report is an image with a name and a description, escaped, as
    /// its first children; no chart stays no chart.
    #[test]
    fn an_inlined_chart_is_named_and_described() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"10\" viewBox=\"0 0 10 10\"><rect/></svg>";
        let got = super::accessible_svg(svg, "Median <b> & more.");
        assert_eq!(
            got,
            "<svg width=\"10\" viewBox=\"0 0 10 10\" role=\"img\" aria-label=\"Median \
             &lt;b&gt; &amp; more.\"><rect/></svg>"
        );
        assert_eq!(super::accessible_svg("", "b"), "");
        // The figure is named by its caption, the title said once: the image's label is the
        // description alone, with no <title> or <desc> to read it again.
        let fig = super::figure("queues", "When?", svg, "Median.");
        assert!(fig.starts_with(
            "<figure id=\"queues\" tabindex=\"0\" aria-labelledby=\"queues-cap\">\
             <figcaption id=\"queues-cap\">When?</figcaption>"
        ));
        assert_eq!(fig.matches("When?").count(), 1, "{fig}");
        assert!(fig.contains("aria-label=\"Median.\"") && !fig.contains("<title>"));
    }

    /// A run's report, with `replications` replications of `file`.
    fn report_of(file: &str, replications: u32) -> (String, crate::experiment::RunResult) {
        let mut scn = crate::scenario::load_file(std::path::Path::new(file)).unwrap();
        scn.replications = replications;
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let html = super::render_report(&scn, "x = 1", &super::ChartInput::from_run(&run)).unwrap();
        (html, run)
    }

    /// The fan chart's description gives the value its curve starts at (the median of the
    /// first day's people not yet cleared), and why it is below the backlog: it had given the
    /// backlog (35,000 for the record scenario, whose curve starts near 15,700 with the people
    /// never reached counted as cleared at day 0).
    #[test]
    fn the_fan_charts_description_starts_where_its_curve_does() {
        for (file, total) in [
            ("scenarios/mpp-2021-record.toml", "35,000"),
            ("scenarios/baseline.toml", "25,000"),
        ] {
            let (html, run) = report_of(file, 4);
            let d = &run.daily;
            let start = d.get(0, d.series_index("remaining").unwrap()).p50;
            let want = format!(
                "falling from {} (median) at the end of the first day, below the {total} people \
                 of the backlog and phases because those never reached count as cleared at day 0",
                super::fmt_int(start)
            );
            let fan = &html[html.find("<figure id=\"fan\"").unwrap()..];
            let label = &fan[fan.find("aria-label=").unwrap()..];
            let label = &label[..label.find("\">").unwrap()];
            assert!(label.contains(&want), "{file}: {label}");
            assert!(!label.contains(&format!("from {total}")), "{file}: {label}");
        }
        // With nobody lost at day 0 and nobody processed on the first day, the curve starts at
        // the backlog and says no more.
        let start = super::FanStart {
            people: Some(25_000.0),
            never_reached: false,
        };
        assert_eq!(
            start.phrase(25_000.0),
            "falling from 25,000 (median) at the end of the first day"
        );
        let early = super::FanStart {
            people: Some(24_900.0),
            never_reached: false,
        };
        assert!(early
            .phrase(25_000.0)
            .ends_with("those processed or dropped out on the first day are cleared"));
    }

    /// Every table of the report has a caption, which names it, inside a box that scrolls
    /// sideways and can be focused (a region named by that caption); no id repeats.
    #[test]
    fn every_table_has_a_caption_and_scrolls_in_its_own_box() {
        let (html, _) = report_of("scenarios/baseline.toml", 4);
        let tables = html.matches("<table").count();
        assert!(tables >= 6, "{tables}");
        let mut ids = std::collections::HashSet::new();
        for (i, _) in html.match_indices("<table>") {
            let before = &html[..i];
            let open = &before[before.rfind("<div class=\"tw\"").unwrap()..];
            assert!(
                open.starts_with(
                    "<div class=\"tw\" role=\"region\" tabindex=\"0\" aria-labelledby=\""
                ),
                "{open}"
            );
            let id = open.split('"').nth(7).unwrap();
            let after = &html[i + "<table>".len()..];
            let caption = format!("<caption id=\"{id}\">");
            assert!(after.starts_with(&caption), "{}", &after[..80]);
            let text = &after[caption.len()..after.find("</caption>").unwrap()];
            assert!(text.len() > 10, "{text}");
            assert!(ids.insert(id.to_string()), "id {id} repeats");
        }
        assert_eq!(ids.len(), tables);
        assert_eq!(html.matches("</table></div>").count(), tables);
        assert!(html.contains(".tw{overflow-x:auto"));
        // Captions give the units the headers lack.
        assert!(html.contains(
            "Clearance and milestones [days since the start], over 4 replications</caption>"
        ));
        // Charts: each figure named once, by its caption; under zoom the chart keeps its width
        // in em and its figure scrolls.
        assert!(html.contains(
            "figure{margin:1.5em 0;overflow-x:auto}figure svg{max-width:100%;min-width:50em"
        ));
        assert_eq!(html.matches("<figure id=").count(), 6);
        assert_eq!(html.matches("<title>").count(), 1, "the page's title only");
    }

    #[test]
    fn day_numbers_name_the_day_of_their_date() {
        assert_eq!(day_num(123.63), "123.6");
        assert_eq!(day_num(146.385), "146.4");
        assert_eq!(day_num(146.96), "146.9");
        assert_eq!(day_num(123.97), "123.9");
        assert_eq!(day_num(146.8), "146.8");
        assert_eq!(day_num(0.3), "0.3");
        assert_eq!(day_num(730.0), "730.0");
        // Within the schedule's round-off of midnight, as `day_of` reads it.
        assert_eq!(day_num(146.0 - 1e-12), "146.0");
        assert_eq!(crate::scenario::types::day_of(146.0 - 1e-12), 146);
    }
}
