//! `bind`: the stage that binds week by week in a run, from its daily bands, its share of the
//! clearance time, the spans it binds in and the lever that would move the date (the rules are in
//! the module above).

use super::bounds::*;
use crate::experiment::{
    BindingShare, BindingSpanSummary, DailyBands, DateSetBy, RunView, WhatBinds,
};
use crate::scenario::{Departures, Scenario};
use crate::stats::quantile_sorted;
use chrono::NaiveDate;

/// Utilization from which a stage counts as busy in `bind`'s second rule, and below which the
/// lever says more of its capacity would change little \[fraction\].
pub(super) const BUSY: f64 = 0.5;

/// Load of one stage in one period.
#[derive(Debug, Clone)]
pub struct StageLoad {
    /// The stage this row loads.
    pub stage: Stage,
    /// The port (index into `Scenario::ports`) of a row of one port: the port itself, or the
    /// transport toward it; `None` for a stage total, an origin's transport, registration and
    /// the health check.
    pub port: Option<usize>,
    /// Display name of the row: "screening", "transport", "transport → San Ysidro", "transport
    /// from Tijuana", "port San Ysidro", "registration", "health check".
    pub name: String,
    /// Throughput over capacity in the period \[fraction\]; `None` when unlimited or no capacity.
    pub utilization: Option<f64>,
    /// Mean people waiting in front of the stage; for registration, the people still expected
    /// to register; for the health check, the people in it or its isolation \[people\].
    pub queue: f64,
    /// Mean throughput \[people/day\]; for registration, the people expected to register a
    /// day (the scenario's arrival curve, not measured in the run); NaN for the health check
    /// (not measured: it has no capacity to compare it with).
    pub throughput: f64,
    /// No capacity at all in the period (zero servers, quota or seats, or closed) while people
    /// wait in front: nothing passes, so the stage binds whatever else is full.
    pub blocked: bool,
}

/// The stage that binds in one period of a run.
#[derive(Debug, Clone)]
pub struct PeriodBinding {
    /// First day of the period \[day index\].
    pub from_day: usize,
    /// One past the last day \[day index\].
    pub to_day: usize,
    /// The date of `from_day` (the scenario's start date + `from_day` days).
    pub from_date: NaiveDate,
    /// The stage that binds in the period.
    pub stage: Stage,
    /// The port (index into `Scenario::ports`) of a binding port row or "transport → port"
    /// row; `None` for any other row.
    pub port: Option<usize>,
    /// Display name of the binding stage.
    pub name: String,
    /// Utilization of the binding stage \[fraction\].
    pub utilization: Option<f64>,
    /// Mean people waiting in front of it (for registration and the health check, as
    /// [`StageLoad::queue`]) \[people\].
    pub queue: f64,
    /// Every stage's load in the period.
    pub loads: Vec<StageLoad>,
}

/// Transport from one origin in `bind_with`: its name, its seats and its boardings per day
/// \[people/day\], and its people ready to travel \[people\].
type OriginLoad<'a> = (String, Vec<f64>, Vec<f64>, &'a [f64], Vec<usize>);

/// Median clearance day over replications, falling back to the daily series' length.
pub fn median_clearance(run: &RunView<'_>) -> f64 {
    let mut v: Vec<f64> = run.clearance_days.to_vec();
    if v.is_empty() {
        return run.daily.days as f64;
    }
    v.sort_by(f64::total_cmp);
    quantile_sorted(&v, 0.5)
}

/// The daily means of a series, `None` when the run has no such series (saved before it
/// existed).
fn series_means(daily: &DailyBands, name: &str) -> Option<Vec<f64>> {
    let s = daily.series_index(name)?;
    Some((0..daily.days).map(|d| daily.get(d, s).mean).collect())
}

/// The daily means of a series, 0 when the run has no such series.
fn mean_series(daily: &DailyBands, name: &str) -> Vec<f64> {
    series_means(daily, name).unwrap_or_else(|| vec![0.0; daily.days])
}

/// `a` less `b` day by day, at least 0 (`a` itself without `b`): those ready to travel, from
/// `waiting_ready` and `in_health`.
fn less(a: Vec<f64>, b: Option<Vec<f64>>) -> Vec<f64> {
    match b {
        Some(b) => a.iter().zip(&b).map(|(x, y)| (x - y).max(0.0)).collect(),
        None => a,
    }
}

/// Per week, the stage that binds (see the module documentation for the rule), up to the median
/// clearance day.
pub fn bind(scn: &Scenario, run: &RunView<'_>) -> Vec<PeriodBinding> {
    let rep = super::explain_for_run(scn, run);
    bind_with(scn, &rep, run)
}

/// `bind` with an already computed `explain` report.
pub fn bind_with(scn: &Scenario, rep: &BottleneckReport, run: &RunView<'_>) -> Vec<PeriodBinding> {
    // Buses that carry nobody (beside a continuous route that takes everyone at once) are no
    // part of the bounds, nor of who waits for which port.
    let used = used_routes(scn);
    let scn = used.as_ref().unwrap_or(scn);
    let daily = run.daily;
    let end = (median_clearance(run).ceil() as usize)
        .min(daily.days)
        .min(rep.days);
    if end == 0 {
        return vec![];
    }
    let ws = mean_series(daily, "waiting_screening");
    let wr = mean_series(daily, "waiting_ready");
    // People in the health check or its isolation, part of `waiting_ready` but not waiting for
    // transport (`None` for a run saved before the series existed).
    let in_health = series_means(daily, "in_health");
    // Ready to travel: `waiting_ready` less those in the health check.
    let ready_all = less(wr.clone(), in_health.clone());
    let it = mean_series(daily, "in_transit");
    let wp = mean_series(daily, "waiting_port");
    let port_thr: Vec<Vec<f64>> = scn
        .ports
        .iter()
        .map(|p| mean_series(daily, &format!("processed_today:{}", p.name)))
        .collect();
    // Under `appointment` the quota is enforced at boarding, so the people a port's quota holds
    // back wait in the ready queues: on the days the quota holds them (see `port_wait`), count
    // those of the origins with a route to the port as in front of it too (all of
    // `waiting_ready` for a run saved before the per-origin series).
    let appointment = scn.policy == crate::scenario::Policy::Appointment;
    let per_origin: Option<Vec<Vec<f64>>> = scn
        .origins
        .iter()
        .map(|o| {
            let w = series_means(daily, &format!("waiting_ready:{}", o.name))?;
            Some(less(
                w,
                series_means(daily, &format!("in_health:{}", o.name)),
            ))
        })
        .collect();
    // People ready to travel (not in the health check) at the origins with a route to each port.
    let ready_for: Vec<Vec<f64>> = (0..scn.ports.len())
        .map(|p| match &per_origin {
            None => ready_all.clone(),
            Some(ready) => {
                let mut w = vec![0.0; daily.days];
                for (o, ready) in ready.iter().enumerate() {
                    if scn.routes.iter().any(|r| r.origin == o && r.port == p) {
                        w.iter_mut().zip(ready).for_each(|(a, b)| *a += b);
                    }
                }
                w
            }
        })
        .collect();
    // Each port's quota and each route's usable seats, day by day up to `end` (which is within
    // the days `rep` analysed).
    let quotas = port_quotas(scn, &port_factors(scn), end);
    let route_caps = usable_route_caps(scn, &quotas, end);
    let port_wait: Vec<Vec<f64>> = (0..scn.ports.len())
        .map(|p| {
            let mut w = mean_series(daily, &format!("waiting:{}", scn.ports[p].name));
            w.truncate(end);
            if appointment {
                // The ready people wait for a seat and an appointment. The quota holds them
                // on a day it offers no more than the seats toward the port (none at all on a
                // day the port takes no appointments); on a day it offers more, the seats are
                // the shorter and the people are transport's alone. (Counted on every day, they
                // had made a port 0% used bind with transport's queue in front of it: buses
                // with 3 seats toward San Ysidro, whose quota of 300 took nobody.)
                for (d, (a, b)) in w.iter_mut().zip(&ready_for[p]).enumerate() {
                    let seats: f64 = routes_to(scn, p).map(|r| route_caps[r][d]).sum();
                    if quotas[p][d].is_finite() && quotas[p][d] <= seats {
                        *a += b;
                    }
                }
            }
            w
        })
        .collect();
    let reg = &rep.total(Stage::Registration).capacity;
    let delta = |v: &[f64], d: usize| if d == 0 { v[0] } else { v[d] - v[d - 1] };
    let processed_all = |d: usize| port_thr.iter().map(|v| v[d]).sum::<f64>();
    let boarded: Vec<f64> = (0..end)
        .map(|d| (delta(&it, d) + delta(&wp, d) + processed_all(d)).max(0.0))
        .collect();
    // Screened: what left screening, i.e. what entered the health check and ready queues
    // (`waiting_ready` counts both) and boarded. Counted from what arrived instead
    // (registrations − Δwaiting_screening), the drop-outs from the screening queue would pass
    // for throughput: ten times screening's capacity in a long queue with attrition.
    let screened: Vec<f64> = (0..end)
        .map(|d| (delta(&wr, d) + boarded[d]).max(0.0))
        .collect();

    // People arriving at each port per day: processed there plus the change of its queue.
    let arrived: Vec<Vec<f64>> = scn
        .ports
        .iter()
        .enumerate()
        .map(|(p, port)| {
            let w = mean_series(daily, &format!("waiting:{}", port.name));
            (0..end)
                .map(|d| (port_thr[p][d] + delta(&w, d)).max(0.0))
                .collect()
        })
        .collect();
    let load = |stage: Stage,
                port: Option<usize>,
                name: String,
                cap: &[f64],
                thr: &[f64],
                queue: &[f64],
                a: usize,
                b: usize| {
        let c: f64 = cap[a..b].iter().sum();
        let t: f64 = thr[a..b].iter().sum();
        let n = (b - a) as f64;
        StageLoad {
            stage,
            port,
            name,
            utilization: (c.is_finite() && c > 0.0).then(|| t / c),
            queue: queue[a..b].iter().sum::<f64>() / n,
            throughput: t / n,
            blocked: c == 0.0 && queue[a..b].iter().sum::<f64>() / n >= 1.0,
        }
    };

    // Transport from each origin whose routes are not one port's own (those are the rows
    // "transport → port"): its seats against its boardings (`boarded_today:o`), with its ready
    // people in front. A full route from one origin shows here even when the other routes
    // into the same port have seats to spare. (Not for a run saved before the series existed.)
    let origin_loads: Vec<OriginLoad> = per_origin
        .iter()
        .flatten()
        .enumerate()
        .filter_map(|(o, ready)| {
            let origin = &scn.origins[o];
            let thr = series_means(daily, &format!("boarded_today:{}", origin.name))?;
            if routes_from(scn, o).next().is_none() || own_port(scn, o).is_some() {
                return None;
            }
            let cap: Vec<f64> = (0..end)
                .map(|d| routes_from(scn, o).map(|r| route_caps[r][d]).sum())
                .collect();
            if cap.iter().all(|c| c.is_infinite()) {
                return None;
            }
            Some((
                format!("transport from {}", origin.name),
                cap,
                thr,
                ready.as_slice(),
                routes_from(scn, o).map(|r| scn.routes[r].port).collect(),
            ))
        })
        .collect();

    // People still expected to register after the start of each day (those registering at
    // its very start, as the backlog without a delay does at t = 0, have registered: they
    // wait for no registration that day). The last entry: those expected to register after
    // the days analysed (past the horizon).
    let still_to_register = unregistered_at(scn, reg.len());
    let mut out: Vec<PeriodBinding> = Vec::new();
    let mut a = 0;
    while a < end {
        let b = (a + PERIOD_DAYS).min(end);
        let mut loads = vec![
            load(
                Stage::Screening,
                None,
                "screening".into(),
                &rep.total(Stage::Screening).capacity,
                &screened,
                &ws,
                a,
                b,
            ),
            load(
                Stage::Transport,
                None,
                "transport".into(),
                &rep.total(Stage::Transport).capacity,
                &boarded,
                &ready_all,
                a,
                b,
            ),
        ];
        for (p, port) in scn.ports.iter().enumerate() {
            if let Some(t) = rep.transport_to(p).filter(|t| !t.unlimited) {
                loads.push(load(
                    Stage::Transport,
                    Some(p),
                    t.name.clone(),
                    &t.capacity,
                    &arrived[p],
                    &ready_for[p],
                    a,
                    b,
                ));
            }
            let cap = &rep.port(p).expect("port row").capacity;
            loads.push(load(
                Stage::Port,
                Some(p),
                crate::format::port_named(&port.name),
                cap,
                &port_thr[p][..end],
                &port_wait[p][..end],
                a,
                b,
            ));
        }
        // After the ports: an origin's own transport wins a tie (the same people, the same
        // full seats) with "transport → port" and the port, being the more exact answer.
        // Under appointment, transport whose ports all take no appointments in the period has
        // no seats because of them: the ports bind, not the buses.
        let ports_closed = |ports: &[usize]| {
            appointment
                && ports.iter().all(|&p| {
                    rep.port(p).expect("port row").capacity[a..b]
                        .iter()
                        .all(|c| *c <= 0.0)
                })
        };
        let all_ports: Vec<usize> = (0..scn.ports.len()).collect();
        for l in loads.iter_mut() {
            if l.stage == Stage::Transport && l.blocked {
                let ports = l.port.map_or(all_ports.clone(), |p| vec![p]);
                if ports_closed(&ports) {
                    l.blocked = false;
                }
            }
        }
        for (name, cap, thr, ready, ports) in &origin_loads {
            let mut l = load(Stage::Transport, None, name.clone(), cap, thr, ready, a, b);
            if l.blocked && ports_closed(ports) {
                l.blocked = false;
            }
            loads.push(l);
        }
        // The health check: no capacity to fill, so it binds only as where the last people
        // are (see `stuck` below).
        if let Some(h) = in_health.as_ref().filter(|_| scn.health.is_some()) {
            loads.push(StageLoad {
                stage: Stage::Health,
                port: None,
                name: "health check".into(),
                utilization: None,
                queue: h[a..b].iter().sum::<f64>() / (b - a) as f64,
                throughput: f64::NAN,
                blocked: false,
            });
        }
        // A stage without capacity and with people in front counts as full; so does one at
        // 90% or more of its capacity with people in front (at least one on average: a stage
        // that keeps up with what reaches it, nobody waiting, holds nobody back, however
        // busy it is).
        let full = loads
            .iter()
            .filter(|l| {
                l.blocked || (l.utilization.is_some_and(|u| u >= NEAR_FULL) && l.queue >= 1.0)
            })
            .max_by(|x, y| {
                x.queue.total_cmp(&y.queue).then(
                    x.utilization
                        .unwrap_or(0.0)
                        .total_cmp(&y.utilization.unwrap_or(0.0)),
                )
            });
        // Busy (≥ half its capacity) with at least one day's throughput queued in front.
        let most = loads
            .iter()
            .filter(|l| {
                l.utilization.is_some_and(|u| u >= BUSY) && l.queue >= l.throughput.max(1.0)
            })
            .max_by(|x, y| {
                x.utilization
                    .unwrap_or(0.0)
                    .total_cmp(&y.utilization.unwrap_or(0.0))
            });
        // Nobody left to register, nothing busy, yet people wait: name where they wait.
        let registering = still_to_register[a.min(reg.len())] >= 1.0;
        let stuck = if registering {
            None
        } else {
            loads
                .iter()
                .filter(|l| l.queue >= 1.0)
                .max_by(|x, y| x.queue.total_cmp(&y.queue))
        };
        // Nobody left to register, and more people in the health check than in front of the
        // busiest stage: the health check holds the last people back, not that stage.
        let health_first = if registering {
            None
        } else {
            loads.iter().find(|l| {
                l.stage == Stage::Health
                    && l.queue >= 1.0
                    && most.is_some_and(|m| l.queue > m.queue)
            })
        };
        // The first period, nobody left to register and nobody queued at the end of any of
        // its days: the people wait only within days (for a port to open at 08:00, say),
        // which the daily means do not see. Name the stage where groups waited longest over
        // the run (its mean wait per group), which describes this period when it is the run.
        let within_days =
            if full.or(health_first).or(most).or(stuck).is_none() && !registering && out.is_empty()
            {
                longest_wait(scn, run, &loads)
            } else {
                None
            };
        let chosen = full.or(health_first).or(most).or(stuck).or(within_days);
        // People still expected to register, the mean over the period's days: registration's
        // "queue" (they are not in front of any stage yet).
        let to_register = (a..b)
            .map(|d| still_to_register[d.min(reg.len())])
            .sum::<f64>()
            / (b - a) as f64;
        let (stage, port, name, utilization, queue) = match (chosen, out.last()) {
            (Some(l), _) => (l.stage, l.port, l.name.clone(), l.utilization, l.queue),
            // Nobody left to register and under one person anywhere on average, after weeks in
            // which the health check held the last people: the last few are still there (in
            // isolation and retests part of the week), not waiting for registrations.
            (None, Some(prev)) if !registering && prev.stage == Stage::Health => {
                let l = loads.iter().find(|l| l.name == prev.name);
                (
                    prev.stage,
                    prev.port,
                    prev.name.clone(),
                    l.and_then(|l| l.utilization),
                    l.map_or(0.0, |l| l.queue),
                )
            }
            _ => (
                Stage::Registration,
                None,
                "registration".into(),
                None,
                to_register,
            ),
        };
        loads.insert(
            0,
            StageLoad {
                stage: Stage::Registration,
                port: None,
                name: "registration".into(),
                utilization: None,
                queue: to_register,
                throughput: reg[a..b].iter().sum::<f64>() / (b - a) as f64,
                blocked: false,
            },
        );
        out.push(PeriodBinding {
            from_day: a,
            to_day: b,
            from_date: scn.start_date + chrono::Duration::days(a as i64),
            stage,
            port,
            name,
            utilization,
            queue,
            loads,
        });
        a = b;
    }
    out
}

/// Of `loads`, the stage (screening, transport in total, a port) where groups waited longest
/// over the run, by its mean wait per group in the run's summary; `None` when nobody waited.
fn longest_wait<'l>(
    scn: &Scenario,
    run: &RunView<'_>,
    loads: &'l [StageLoad],
) -> Option<&'l StageLoad> {
    let stages = &run.summary.stages;
    let wait = |l: &StageLoad| -> f64 {
        let stat = match (l.stage, l.port) {
            (Stage::Screening, _) => stages.screening.wait_days.as_ref(),
            (Stage::Transport, None) if l.name == "transport" => {
                stages.transport.wait_days.as_ref()
            }
            (Stage::Port, Some(p)) => run
                .summary
                .ports
                .iter()
                .find(|x| x.name == scn.ports[p].name)
                .and_then(|x| x.wait_days.as_ref()),
            _ => None,
        };
        stat.map_or(0.0, |s| s.mean)
    };
    loads
        .iter()
        .map(|l| (l, wait(l)))
        // (a wait of under a second is round-off, not a wait)
        .filter(|(_, w)| *w > 1e-5)
        .max_by(|x, y| x.1.total_cmp(&y.1))
        .map(|(l, _)| l)
}

/// Share of the clearance time each stage accounts for: the fraction of the days covered by
/// `bindings` in periods where it binds, largest first.
pub fn binding_shares(bindings: &[PeriodBinding]) -> Vec<(String, f64)> {
    let total: usize = bindings.iter().map(|b| b.to_day - b.from_day).sum();
    let mut v: Vec<(String, f64)> = Vec::new();
    for b in bindings {
        let n = (b.to_day - b.from_day) as f64 / total.max(1) as f64;
        // A period named registration only because nobody waits anywhere: nothing binds.
        let name = period_name(b);
        match v.iter_mut().find(|(s, _)| *s == name) {
            Some(e) => e.1 += n,
            None => v.push((name.to_string(), n)),
        }
    }
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    v
}

/// Consecutive periods in which one stage binds in the same way (with a utilization, or
/// with no capacity at all), as `run` prints them.
#[derive(Debug, Clone, PartialEq)]
pub struct BindingSpan {
    /// First day \[day index\] and its date.
    pub from_day: usize,
    /// The date of `from_day` (the scenario's start date + `from_day` days).
    pub from_date: NaiveDate,
    /// One past the last day \[day index\].
    pub to_day: usize,
    /// The stage that binds throughout the span.
    pub stage: Stage,
    /// The port of a port row or a "transport → port" row.
    pub port: Option<usize>,
    /// Display name of the binding row, as [`StageLoad::name`] ("port San Ysidro", "transport → San
    /// Ysidro", …).
    pub name: String,
    /// Utilization over the span's periods, weighted by their days \[fraction\]; `None` when
    /// the stage has no capacity (or none to measure: registration, the health check).
    pub utilization: Option<f64>,
    /// Mean people waiting in front of it over the span, weighted by days \[people\].
    pub queue: f64,
    /// Mean people passing it a day over the span, weighted by days \[people/day\]: as
    /// [`StageLoad::throughput`], for registration the people expected to register a day (the
    /// scenario's arrival curve, finite), and NaN for the health check, which is not measured.
    pub throughput: f64,
}

/// `bindings` joined into spans: a new span starts where another stage binds, or where the
/// same stage goes from having capacity to having none or back (a closure week is not
/// hidden in the weeks around it).
pub fn binding_spans(bindings: &[PeriodBinding]) -> Vec<BindingSpan> {
    // Sums weighted by days while joining, then divided by each span's days.
    let mut spans: Vec<BindingSpan> = Vec::new();
    // Registration named only because nobody waits anywhere (under one person, nobody left to
    // register) is a span of its own, not joined with weeks of people still registering (two
    // such weeks of travel had read "registration, 0 people still to register" and the lever
    // "wait for people still registering").
    let mut last_idle = false;
    for b in bindings {
        let n = (b.to_day - b.from_day) as f64;
        let b_idle = idle(b.stage, b.queue);
        match spans.last_mut() {
            Some(s)
                if s.name == b.name
                    && s.utilization.is_some() == b.utilization.is_some()
                    && last_idle == b_idle =>
            {
                s.to_day = b.to_day;
                s.utilization = s.utilization.zip(b.utilization).map(|(a, u)| a + u * n);
                s.queue += b.queue * n;
                s.throughput += throughput(b) * n;
            }
            _ => spans.push(BindingSpan {
                from_day: b.from_day,
                from_date: b.from_date,
                to_day: b.to_day,
                stage: b.stage,
                port: b.port,
                name: b.name.clone(),
                utilization: b.utilization.map(|u| u * n),
                queue: b.queue * n,
                throughput: throughput(b) * n,
            }),
        }
        last_idle = b_idle;
    }
    for s in &mut spans {
        let d = ((s.to_day - s.from_day) as f64).max(1.0);
        s.utilization = s.utilization.map(|u| u / d);
        s.queue /= d;
        s.throughput /= d;
    }
    spans
}

/// The binding stage's mean throughput in a period \[people/day\] (NaN when not measured).
fn throughput(b: &PeriodBinding) -> f64 {
    b.loads
        .iter()
        .find(|l| l.name == b.name)
        .map_or(f64::NAN, |l| l.throughput)
}

/// Whether `s` is the week or less at the end where nobody waits anywhere and nobody is left to
/// register: registration is named only because nothing else is, and what held the last
/// people is the span before it.
pub(crate) fn idle_tail(s: &BindingSpan) -> bool {
    idle_span(s) && s.to_day - s.from_day <= 7
}

/// Whether `s` is a span where nobody waits anywhere and nobody is left to register (named
/// registration only because nothing else is): the last people are travelling or in service.
pub(crate) fn idle_span(s: &BindingSpan) -> bool {
    idle(s.stage, s.queue)
}

/// The name of period `b` as the tables show it: [`IDLE`] for a period where nobody waits
/// anywhere and nobody is left to register (named registration only because nothing else is).
pub(crate) fn period_name(b: &PeriodBinding) -> &str {
    if idle(b.stage, b.queue) {
        IDLE
    } else {
        &b.name
    }
}

/// What the run's table calls a period in which nobody waits ([`idle_span`]).
pub(crate) const IDLE: &str = "nobody waits";

/// Registration named with under one person waiting anywhere: nobody waits.
fn idle(stage: Stage, queue: f64) -> bool {
    stage == Stage::Registration && queue < 1.0
}

/// The span of `spans` that sets the clearance date and what it means for the date: the lever
/// that moves it. That is the last span (up to the median clearance), whose queue holds the
/// last people, so relieving a stage that binds only earlier shortens waits more than the
/// date; but a last week where nobody waits anywhere gives way to the span before it (the
/// closure or the port that held the last people). `None` without spans.
pub fn date_lever(scn: &Scenario, spans: &[BindingSpan]) -> Option<(usize, String)> {
    let mut k = spans.len().checked_sub(1)?;
    if k > 0 && idle_tail(&spans[k]) {
        k -= 1;
    }
    let text = lever_text(scn, &spans[..=k])?;
    Some((k, text))
}

/// The day \[day index\] by which the scenario expects registrations to end, when they set the
/// clearance date: the stage that holds the last people ([`date_lever`]'s span of `spans`) is
/// registration or the health check after it, registration sets `explain`'s capacity bound
/// (`rep`), and the median clearance `p50` \[days\] (`None` when the median run does not clear
/// within the horizon) comes on or after that day. The day is `rep`'s bound: the largest value
/// of a table delay, for a continuous one the early day 1 run in 1000 beats (the outputs then
/// give [`crate::analysis::BottleneckReport::registration_median_day`] as the day the
/// registrations are expected to end, and this one as the earliest). `None` otherwise: another stage
/// sets the date (a port the inflow keeps full, which `explain`'s bound does not see). The run's
/// table, the report's "What the certainty covers" and its "In short" all ask this one
/// question, so they cannot disagree.
pub fn registration_sets_date(
    scn: &Scenario,
    rep: &BottleneckReport,
    spans: &[BindingSpan],
    p50: Option<f64>,
) -> Option<i64> {
    let (k, _) = date_lever(scn, spans)?;
    if !matches!(spans[k].stage, Stage::Registration | Stage::Health) {
        return None;
    }
    let bound_registration = rep
        .binding
        .is_some_and(|b| rep.rows[b].stage == Stage::Registration);
    match (rep.lower_bound_day, p50) {
        (Some(d), Some(p50)) if bound_registration && p50 >= d as f64 => Some(d),
        _ => None,
    }
}

/// Whether `lever` ([`date_lever`]'s text) is a change by an amount, which `clearance
/// sensitivity` can measure; not one without which the runs cannot clear at all ("… would
/// let those groups travel": room for the largest group; buses on days their port serves).
pub fn lever_is_measurable(lever: &str) -> bool {
    !lever.contains("would let")
}

/// The lever for the last of `spans`.
fn lever_text(scn: &Scenario, spans: &[BindingSpan]) -> Option<String> {
    let last = spans.last()?;
    // Groups that can never travel: whatever binds at the end, their people stay.
    if let Some((_, why, _)) = never_travel(scn) {
        return Some(format!(
            "some {why}; room for the largest group on a route from there (seats, holding \
             limit, quota) would let those groups travel, more capacity elsewhere would not \
             (whether the backlog then clears in time depends on that route's capacity: \
             `clearance explain` of the changed scenario gives the day)"
        ));
    }
    // Buses toward a port whose holding limit is below their seats carry the holding at most:
    // the row of one port's transport, or of one origin's ("transport from O").
    if let (Stage::Transport, Some(_)) = (last.stage, last.utilization) {
        let routes: Vec<usize> = match last.port {
            Some(p) => routes_to(scn, p).collect(),
            None => scn
                .origins
                .iter()
                .position(|o| last.name == format!("transport from {}", o.name))
                .map(|o| routes_from(scn, o).collect())
                .unwrap_or_default(),
        };
        let mut held: Vec<String> = Vec::new();
        let mut continuous = false;
        for &r in &routes {
            let route = &scn.routes[r];
            let port = &scn.ports[route.port];
            let Some(h) = port.holding else { continue };
            let over = match route.departures {
                Departures::Continuous => {
                    continuous = true;
                    true
                }
                Departures::Scheduled(_) => route.seats.is_none_or(|s| u64::from(s) > h),
            };
            let text = format!("{}'s, {h}", crate::format::port_named(&port.name));
            if over && !held.contains(&text) {
                held.push(text);
            }
        }
        if !held.is_empty() {
            return Some(format!(
                "no more than the holding limit ({} {} waiting there or in transit to it) can \
                 board toward a port at once: a larger holding limit{} would bring the date \
                 forward, more seats would not",
                held.join("; "),
                if held.len() == 1 && held[0].ends_with(", 1") {
                    "person"
                } else {
                    "people"
                },
                if continuous {
                    ""
                } else {
                    " (or more departures)"
                }
            ));
        }
    }
    // Under appointment, buses that run only on days their port does not serve: no capacity
    // ever, not a closure that ends.
    if let (Stage::Transport | Stage::Port, None) = (last.stage, last.utilization) {
        if let Some(text) = days_never_meet(scn, last) {
            return Some(text);
        }
    }
    // The same stage closed just before: its queue built up while it was closed.
    let closed_before = spans.len() >= 2 && {
        let prev = &spans[spans.len() - 2];
        prev.name == last.name && prev.utilization.is_none()
    };
    // Screening bound (full, or closed) up to the health check's last weeks.
    let screening_before = spans.len() >= 2 && {
        let prev = &spans[spans.len() - 2];
        prev.stage == Stage::Screening && prev.utilization.is_none_or(|u| u >= 0.9)
    };
    Some(match (last.stage, last.utilization) {
        // Named only because nothing else is: nobody queued anywhere, nobody left to register
        // (the last people are travelling or in service).
        (Stage::Registration, _) if last.queue < 1.0 => "in the last weeks under one person on \
                                     average waits in front of any stage and nobody is left to \
                                     register: the last people are travelling or in service, so \
                                     shorter travel or service would bring the date forward, \
                                     more capacity little"
            .into(),
        (Stage::Registration, _) => "the last weeks wait for people still registering: earlier \
                                     registration would bring the date forward, more capacity \
                                     little"
            .into(),
        // Screening held them back until the end: they reach the check late, so both count.
        (Stage::Health, _) if screening_before => format!(
            "the last people are in the health check or its isolation, which screening let them \
             reach only from the week of {}: more screening capacity or a shorter check or \
             isolation would bring the date forward",
            last.from_date
        ),
        (Stage::Health, _) => "the last people are in the health check or its isolation: a \
                               shorter check or isolation would bring the date forward, more \
                               capacity little"
            .into(),
        // No capacity at any time within the horizon (a quota of 0 without a ramp, seats = 0):
        // nothing reopens it, so what would move the date is giving it some.
        (_, None) => match never_has_capacity(scn, last) {
            Some(why) => {
                let mut fixes: Vec<&str> = Vec::new();
                for n in &why {
                    if !fixes.contains(&n.fix) {
                        fixes.push(n.fix);
                    }
                }
                let whys: Vec<String> = why.iter().map(ToString::to_string).collect();
                format!(
                    "it never has capacity within the horizon ({}): giving it capacity ({}) would \
                     bring the date forward",
                    whys.join("; "),
                    fixes.join(" or ")
                )
            }
            None => {
                "it has no capacity then: reopening it sooner would bring the date forward".into()
            }
        },
        _ if closed_before => format!(
            "it reopened in the week of {} after weeks with no capacity: reopening it sooner or \
             more of its capacity after it reopens would bring the date forward",
            last.from_date
        ),
        // Far from full: its last people wait for a departure or for it to open, not for room.
        // Only while it passes in a week as many as wait in front of it: people it does not pass
        // at all (a group larger than a port's quota under fifo, stuck at its head) wait for
        // room, and more capacity moves the date.
        (_, Some(u)) if u < BUSY && last.throughput * PERIOD_DAYS as f64 >= last.queue.max(1.0) => {
            format!(
                "it is far from full ({:.0}% used): its last people wait there for a departure or \
             for it to open rather than for room, so more of its capacity would change little; \
             shorter delays before it (the health check, its isolation, travel) or more frequent \
             departures or service days may bring the date forward",
                u * 100.0
            )
        }
        (Stage::Port, _) | (Stage::Screening, _) => capacity_lever(scn, last).0,
        (Stage::Transport, _) => transport_lever(scn, last).0,
    })
}

/// The capacity lever of transport that binds at the end (`last`: one port's transport, one
/// origin's, or all of it), naming its routes' seats and departures as `--set` keys (the
/// routes with seats, at most four named, the others counted). It had said only "more of its
/// capacity", which did not say which inputs those are.
fn transport_lever(scn: &Scenario, last: &BindingSpan) -> (String, Vec<String>) {
    let mut keys: Vec<String> = Vec::new();
    let mut named = 0;
    let mut more = 0;
    for r in span_routes(scn, last) {
        let route = &scn.routes[r];
        if route.seats.is_none() {
            continue;
        }
        if named == 4 {
            more += 1;
            continue;
        }
        named += 1;
        let key = format!("route[{}]", route.name);
        keys.push(format!("{key}.seats"));
        if matches!(route.departures, Departures::Scheduled(_)) {
            keys.push(format!("{key}.departures"));
        }
    }
    if keys.is_empty() {
        return (
            "more of its capacity would bring the date forward".into(),
            Vec::new(),
        );
    }
    let listed: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    let others = match more {
        0 => String::new(),
        1 => ", or on its one other route with seats".into(),
        n => format!(", or on its {n} other routes with seats"),
    };
    (
        format!(
            "its seats are what limits it: more seats or departures ({}{others}) would bring \
             the date forward",
            listed.join(", ")
        ),
        keys,
    )
}

/// The scenario keys a longer opening would change for a schedule written in `key` ("port[X]"
/// or "screening"): its hours when it keeps some, its days when it keeps some; none when it is
/// always open.
fn opening_keys(key: &str, schedule: &crate::scenario::Schedule) -> Vec<String> {
    let mut keys = Vec::new();
    if schedule.hours.is_some() {
        keys.push(format!("{key}.hours"));
    }
    if schedule.days != crate::scenario::types::ALL_DAYS {
        keys.push(format!("{key}.days"));
    }
    keys
}

/// The capacity lever of a port or screening that binds at the end (`last`), naming the input
/// that limits it, and those inputs as `--set` keys: a port's servers (servers × opening hours
/// ÷ mean service time) or its quota, whichever is the smaller over the span's days, as
/// `explain` counts them; screening's servers. Under appointment a higher quota at a port its
/// servers limit books people they cannot serve, who then wait at the port (a quota of 100 at
/// a port whose 4 servers serve 72 a day made the median later, not earlier).
fn capacity_lever(scn: &Scenario, last: &BindingSpan) -> (String, Vec<String>) {
    let appointment = scn.policy == crate::scenario::Policy::Appointment;
    let fmt = crate::format::fmt_rate;
    let (from, to) = (last.from_day, last.to_day);
    let ticked =
        |keys: &[String]| -> Vec<String> { keys.iter().map(|k| format!("`{k}`")).collect() };
    match (last.stage, last.port) {
        (Stage::Screening, _) => {
            let Some(screening) = &scn.screening else {
                return (
                    "more of its capacity would bring the date forward".into(),
                    Vec::new(),
                );
            };
            let opening = opening_keys("screening", &screening.schedule);
            let longer = if opening.is_empty() {
                String::new()
            } else {
                format!(", longer opening ({})", ticked(&opening).join(" or "))
            };
            let mut keys = vec!["screening.servers".to_string()];
            keys.extend(opening);
            (
                format!(
                    "its servers are what limits it: more servers (`screening.servers`){longer} \
                     or a shorter service would bring the date forward"
                ),
                keys,
            )
        }
        (Stage::Port, Some(p)) => {
            let port = &scn.ports[p];
            let key = format!("port[{}]", port.name);
            match port_limit(scn, p, from, to) {
                PortLimit::Servers { quota, servers } => {
                    let opening = opening_keys(&key, &port.schedule);
                    let mut keys = vec![format!("{key}.servers")];
                    keys.extend(opening.iter().cloned());
                    let quota_text = if quota.is_finite() {
                        format!(", under its quota of {} a day", fmt(quota))
                    } else {
                        String::new()
                    };
                    let longer = if opening.is_empty() {
                        String::new()
                    } else {
                        format!(", longer opening ({})", ticked(&opening).join(" or "))
                    };
                    let higher = if !quota.is_finite() {
                        String::new()
                    } else if appointment {
                        ", not its quota: under appointment a higher quota books more people a \
                         day than the servers can serve, who then wait at the port"
                            .into()
                    } else {
                        ", not its quota: a higher quota would change nothing".into()
                    };
                    (
                        format!(
                            "its servers are what limits it ({} about {} people a \
                             day{quota_text}){higher}; more servers (`{key}.servers`){longer} or \
                             a shorter service would bring the date forward",
                            match port.servers {
                                Some(1) => "1 server serves".to_string(),
                                Some(c) => format!("{c} servers serve"),
                                None => "they serve".into(),
                            },
                            fmt(servers),
                        ),
                        keys,
                    )
                }
                PortLimit::Quota { quota, servers } => {
                    let keys = vec![format!("{key}.quota_per_day")];
                    let could = if servers.is_finite() {
                        format!("; its servers could serve about {}", fmt(servers))
                    } else {
                        String::new()
                    };
                    (
                        format!(
                            "its quota is what limits it ({} a day{could}): a higher quota \
                             (`{key}.quota_per_day`) would bring the date forward, more servers \
                             would not",
                            fmt(quota)
                        ),
                        keys,
                    )
                }
                PortLimit::Neither => (
                    "more of its capacity would bring the date forward".into(),
                    Vec::new(),
                ),
            }
        }
        // What binds has a row per port, none for the ports' total: nothing else to name.
        _ => (
            "more of its capacity would bring the date forward".into(),
            Vec::new(),
        ),
    }
}

/// What binds over a run, week by week up to its median clearance (or the horizon), as
/// `clearance run` prints it under "What binds" and writes it into summary.json's `what_binds`:
/// the spans of weeks in which one stage binds, each stage's share of the days, and the span
/// that sets the clearance date with what would move it. [`experiment::run`] leaves
/// [`Summary::what_binds`] empty, since this reads the run's daily bands; fill it, or read it,
/// from a run made in code. `None` when no week could be read (a run with no day).
///
/// ```
/// use clearance::experiment::{self, RunOptions, RunView};
/// use clearance::scenario::load_file;
///
/// let scn = load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
/// let opts = RunOptions { replications: Some(20), ..Default::default() };
/// let mut run = experiment::run(&scn, &opts).unwrap();
/// let binds = clearance::analysis::what_binds(&scn, &RunView::from_run(&run)).unwrap();
/// // The stage or port whose last weeks set the date ("health check", "port El Paso", …).
/// let last = binds.sets_date().expect("the baseline clears");
/// println!("from day {} ({}): {} binds", last.from_day, last.from_date, last.name);
/// assert_eq!(binds.up_to, "median_clearance");
/// run.summary.what_binds = Some(binds); // as `clearance run`'s summary.json has it
/// ```
///
/// [`experiment::run`]: crate::experiment::run
/// [`Summary::what_binds`]: crate::experiment::Summary::what_binds
pub fn what_binds(scn: &Scenario, run: &RunView<'_>) -> Option<WhatBinds> {
    let bindings = bind(scn, run);
    if bindings.is_empty() {
        return None;
    }
    let median_censored = run.summary.is_censored_clearance(median_clearance(run));
    Some(what_binds_of(scn, &bindings, median_censored))
}

/// [`what_binds`] of bindings already read ([`bind`], [`bind_with`]); `median_censored` says
/// whether the median run did not clear within the horizon (the weeks then run up to it).
pub fn what_binds_of(
    scn: &Scenario,
    bindings: &[PeriodBinding],
    median_censored: bool,
) -> WhatBinds {
    let spans = binding_spans(bindings);
    WhatBinds {
        up_to: if median_censored {
            "horizon"
        } else {
            "median_clearance"
        }
        .into(),
        spans: spans
            .iter()
            .map(|b| BindingSpanSummary {
                from_day: b.from_day,
                from_date: b.from_date.to_string(),
                to_day: b.to_day,
                name: if idle_span(b) {
                    IDLE.into()
                } else {
                    b.name.clone()
                },
                used: b.utilization,
                people_waiting: b.queue,
            })
            .collect(),
        shares: binding_shares(bindings)
            .into_iter()
            .map(|(name, share)| BindingShare { name, share })
            .collect(),
        date_set_by: date_lever(scn, &spans).map(|(span, lever)| DateSetBy {
            span,
            lever,
            inputs: date_lever_inputs(scn, &spans),
        }),
    }
}

/// The scenario keys ("port[Port B].servers", "port[Port B].hours", "screening.servers", …)
/// that [`date_lever`]'s text names as what would move the date, for scripts; empty when it
/// names none (another lever, or a stage whose capacity it does not take apart).
pub fn date_lever_inputs(scn: &Scenario, spans: &[BindingSpan]) -> Vec<String> {
    let Some((k, text)) = date_lever(scn, spans) else {
        return Vec::new();
    };
    let last = &spans[k];
    match last.stage {
        Stage::Transport => {
            let (own, keys) = transport_lever(scn, last);
            if own == text {
                keys
            } else {
                Vec::new()
            }
        }
        Stage::Port | Stage::Screening => {
            let (own, keys) = capacity_lever(scn, last);
            // Only when the lever is that text (not a closure, a never-capacity or a
            // far-from-full one).
            if own == text {
                keys
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    }
}

/// The routes of a transport span `last`: those to its port, from its origin, or all of them.
fn span_routes(scn: &Scenario, last: &BindingSpan) -> Vec<usize> {
    match last.port {
        Some(p) => routes_to(scn, p).collect(),
        None => match scn
            .origins
            .iter()
            .position(|o| last.name == format!("transport from {}", o.name))
        {
            Some(o) => routes_from(scn, o).collect(),
            None => (0..scn.routes.len()).collect(),
        },
    }
}

/// Why the stage of `last` has no capacity at any time within the horizon, as the scenario
/// says it ([`crate::model::blocked`]): screening or a port with no servers or quota, or never
/// open; for transport, every one of its routes without seats or departures (or toward a port
/// that has none). `None` when it has capacity at some time (it is closed for a while), or for
/// a stage without a capacity (registration, the health check).
fn never_has_capacity(
    scn: &Scenario,
    last: &BindingSpan,
) -> Option<Vec<crate::model::blocked::NoCapacity>> {
    use crate::model::blocked::{port_no_capacity, route_no_capacity, screening_no_capacity};
    match (last.stage, last.port) {
        (Stage::Screening, _) => screening_no_capacity(scn).map(|n| vec![n]),
        (Stage::Port, Some(p)) => port_no_capacity(scn, p).map(|n| vec![n]),
        (Stage::Transport, _) => {
            let routes = span_routes(scn, last);
            let why: Option<Vec<_>> = routes
                .iter()
                .map(|&r| {
                    route_no_capacity(scn, r).or_else(|| port_no_capacity(scn, scn.routes[r].port))
                })
                .collect();
            why.filter(|w| !w.is_empty())
        }
        _ => None,
    }
}

/// The lever when the routes of `last` (those to its port, from its origin, or all of them)
/// are all scheduled routes whose days never meet their port's serving days under
/// `appointment` ([`Scenario::appointment_days_never_meet`]): nobody ever boards them, so the
/// stage has no capacity on any day, which no reopening ends. `None` otherwise.
fn days_never_meet(scn: &Scenario, last: &BindingSpan) -> Option<String> {
    let routes = span_routes(scn, last);
    if routes.is_empty() || !routes.iter().all(|&r| scn.appointment_days_never_meet(r)) {
        return None;
    }
    let parts: Vec<String> = routes
        .iter()
        .map(|&r| {
            let route = &scn.routes[r];
            let port = &scn.ports[route.port];
            format!(
                "route {} runs on {} and {} serves on {}",
                route.name,
                crate::scenario::units::days_text(&route.days),
                crate::format::port_named(&port.name),
                crate::scenario::units::days_text(&port.schedule.days)
            )
        })
        .collect();
    Some(format!(
        "it never has capacity, as nothing closed it: under dispatch.policy = \"appointment\" a \
         group boards only on a day its port serves (its quota is 0 on other days), and {}, so \
         nobody ever boards; running the buses on days the port serves (or serving on the buses' \
         days, or policy = \"fifo\") would let the backlog clear",
        parts.join("; ")
    ))
}

/// A sentence on the ports that a route leads to but that processed nobody in any replication
/// of a run, with why when the scenario says it: under `choose_port = "first"` a route listed
/// before theirs takes every group ([`Scenario::shadowed_routes`]), or a continuous route
/// beside their buses does ([`Scenario::idle_scheduled_routes`]). `None` when every such port
/// processed someone, or when no port processed anyone (the run's tables say so, and the
/// lever speaks to it). Beyond four such ports (`UNUSED_PORTS_SAID`), the first ones have their
/// sentence and the rest are counted in one, with their first names.
pub fn unused_ports_note(scn: &Scenario, summary: &crate::experiment::Summary) -> Option<String> {
    let idle = idle_ports(scn, summary)?;
    let shadowed = scn.shadowed_routes();
    let idle_buses = scn.idle_scheduled_routes();
    // A sentence each for a few; a scenario with hundreds of such ports (one generated with a
    // port per crossing) had printed hundreds of sentences under the table and in the report.
    let (said, rest) = said_and_rest(&idle);
    let mut texts: Vec<String> = said
        .iter()
        .map(|&p| {
            let port = &scn.ports[p].name;
            let to: Vec<usize> = routes_to(scn, p).collect();
            let names: Vec<&str> = to.iter().map(|&r| scn.routes[r].name.as_str()).collect();
            let leads = if names.len() == 1 {
                format!("route {} leads to it", names[0])
            } else {
                format!("routes {} lead to it", names.join(", "))
            };
            let by_first: Vec<&str> = shadowed
                .iter()
                .filter(|(_, _, later)| later.iter().any(|r| to.contains(r)))
                .map(|(_, first, _)| scn.routes[*first].name.as_str())
                .collect();
            let all_never = to.iter().all(|r| {
                idle_buses.contains(r) || shadowed.iter().any(|(_, _, later)| later.contains(r))
            });
            let why = if all_never && !by_first.is_empty() {
                format!(
                    ": under dispatch.choose_port = \"first\" route {}, listed before, takes every \
                     group the moment it is ready; choose_port = \"shortest_queue\" (or a \
                     holding limit at its port) would spread the groups over the ports",
                    by_first.join(", ")
                )
            } else if all_never {
                ": a continuous route from the same origin takes every group the moment it is \
                 ready, so the buses to it carry nobody"
                    .to_string()
            } else {
                " (see the scenario's warnings)".to_string()
            };
            format!(
                "{} processed nobody in any replication, although {leads}{why}.",
                crate::format::port_named_cap(port)
            )
        })
        .collect();
    if !rest.is_empty() {
        let mut names: Vec<String> = rest
            .iter()
            .take(UNUSED_PORTS_NAMED)
            .map(|&p| scn.ports[p].name.clone())
            .collect();
        if rest.len() > UNUSED_PORTS_NAMED {
            names.push(format!(
                "{} more",
                crate::format::fmt_int((rest.len() - UNUSED_PORTS_NAMED) as f64)
            ));
        }
        // Beyond PORT_ROWS ports the tables give a row to a few ports only (these named among
        // them): summary.json alone then has every port's figures.
        let figures = if summary.ports.len() > crate::output::table::PORT_ROWS {
            "summary.json gives each port's figures"
        } else {
            "the ports table and summary.json give each port's figures"
        };
        texts.push(format!(
            "{} other ports that a route leads to processed nobody either ({}; the scenario's warnings may \
             say why, and {figures}).",
            crate::format::fmt_int(rest.len() as f64),
            crate::format::word_list(&names, "and")
        ));
    }
    Some(texts.join(" "))
}

/// The ports a route leads to that processed nobody in any replication, in scenario order;
/// `None` when there are none, or when no port processed anyone ([`unused_ports_note`]).
fn idle_ports(scn: &Scenario, summary: &crate::experiment::Summary) -> Option<Vec<usize>> {
    let nobody = |p: usize| -> Option<bool> {
        let name = &scn.ports[p].name;
        let stat = summary
            .ports
            .iter()
            .find(|x| &x.name == name)?
            .processed
            .as_ref()?;
        Some(stat.max <= 0.0)
    };
    let idle: Vec<usize> = (0..scn.ports.len())
        .filter(|&p| scn.port_has_route(p) && nobody(p) == Some(true))
        .collect();
    if idle.is_empty() || (0..scn.ports.len()).all(|p| nobody(p) != Some(false)) {
        return None;
    }
    Some(idle)
}

/// `idle` split into the ports [`unused_ports_note`] gives a sentence each and the others it
/// counts in one.
fn said_and_rest(idle: &[usize]) -> (&[usize], &[usize]) {
    if idle.len() > UNUSED_PORTS_SAID {
        idle.split_at(UNUSED_PORTS_SAID - 1)
    } else {
        (idle, &[])
    }
}

/// The ports, by scenario index, that "What binds" names in the run's table and in the report:
/// those that bind in some week (`bindings`), the port `clearance explain`'s bound names
/// (`rep`), and those [`unused_ports_note`] names (with a sentence or among the first names of
/// its count). Sorted, each once. The tables of many ports keep their rows, so that a port
/// named beside them is not missing from them.
pub fn named_ports(
    scn: &Scenario,
    summary: &crate::experiment::Summary,
    rep: &BottleneckReport,
    bindings: &[PeriodBinding],
) -> Vec<usize> {
    let mut named: Vec<usize> = bindings.iter().filter_map(|b| b.port).collect();
    named.extend(rep.binding.and_then(|i| rep.rows.get(i)?.port));
    if let Some(idle) = idle_ports(scn, summary) {
        let (said, rest) = said_and_rest(&idle);
        named.extend(said);
        named.extend(rest.iter().take(UNUSED_PORTS_NAMED));
    }
    named.sort_unstable();
    named.dedup();
    named
}

/// The most ports [`unused_ports_note`] gives a sentence each: with more, all but the last of
/// these places go to the first ports and one sentence counts the others.
const UNUSED_PORTS_SAID: usize = 4;

/// The ports [`unused_ports_note`] names in its sentence counting the others (then "and 855
/// more").
const UNUSED_PORTS_NAMED: usize = 3;

/// Ports whose quota ramps down to 0 (`quota_per_day = 0` under a ramp from above it) and
/// that are the only port of some origin with people: once the ramp ends, that origin's
/// people still to be processed never are, so a run clears only if the ramp's few days take
/// them all. A clause for `validate`'s first line ("port Brownsville takes nobody from 10 days
/// after it opens, and origin Matamoros has no other port"); `None` when no port does so.
pub fn ramps_to_nothing(scn: &Scenario) -> Option<String> {
    let clauses: Vec<String> = scn
        .ports
        .iter()
        .enumerate()
        .filter_map(|(p, port)| {
            let ramp = port.ramp.as_ref()?;
            if port.quota_per_day != Some(0) || ramp.from <= 0.0 {
                return None;
            }
            let only: Vec<&str> = scn
                .origins
                .iter()
                .enumerate()
                .filter(|(o, origin)| {
                    let mut rs = routes_from(scn, *o).peekable();
                    origin.share > 0.0 && rs.peek().is_some() && rs.all(|r| scn.routes[r].port == p)
                })
                .map(|(_, origin)| origin.name.as_str())
                .collect();
            let origins = match only[..] {
                [] => return None,
                [o] => format!("origin {o} has"),
                _ => format!("origins {} have", only.join(", ")),
            };
            Some(format!(
                "{} takes nobody from {} after it opens, and {origins} no other port",
                crate::format::port_named(&port.name),
                crate::format::days_text(ramp.over)
            ))
        })
        .collect();
    (!clauses.is_empty()).then(|| clauses.join("; "))
}

/// The origins (with a positive share) whose people can never be processed for want of a way
/// out: every route from it leads to a stage without capacity (`zero`, the lines of
/// [`crate::model::zero_capacity_stages`]), or, under `appointment`, runs only on days its port
/// does not serve.
fn blocked_origins(scn: &Scenario, zero: &[String]) -> Vec<usize> {
    scn.origins
        .iter()
        .enumerate()
        .filter(|(o, origin)| {
            origin.share > 0.0
                && (zero.contains(&format!(
                    "origin \"{}\": every route from it leads to a stage with no capacity",
                    origin.name
                )) || {
                    let mut rs = routes_from(scn, *o).peekable();
                    rs.peek().is_some() && rs.all(|r| scn.appointment_days_never_meet(r))
                })
        })
        .map(|(o, _)| o)
        .collect()
}

/// The origin that [`never_clears`] names first (0-based, in the scenario's order) when it
/// names origins rather than the whole scenario, with the lever: what input would give its
/// people a way out (`servers above 0 for port "El Paso", or a route from Ciudad Juarez to a
/// port with capacity`). `None` when [`never_clears`] is, or says that nobody at all can ever
/// be processed.
pub fn never_clears_origin(scn: &Scenario) -> Option<(usize, String)> {
    never_clears(scn)?;
    let zero = crate::model::zero_capacity_stages(scn);
    if zero
        .iter()
        .any(|z| z.starts_with("nobody can ever be processed"))
    {
        return None;
    }
    let blocked = blocked_origins(scn, &zero);
    let live = scn.origins.iter().filter(|o| o.share > 0.0).count();
    if !blocked.is_empty() && blocked.len() == live {
        return None;
    }
    let name = |o: usize| scn.origins[o].name.as_str();
    if let Some(&o) = blocked.first() {
        let mut levers: Vec<String> = Vec::new();
        route_levers(scn, o, &mut levers);
        let lever = crate::format::word_list(&levers, "or");
        return Some((
            o,
            format!(
                "give {lever}, or add a route from {} to a port with capacity",
                name(o)
            ),
        ));
    }
    never_travel(scn).map(|(o, _, _)| {
        (
            o,
            format!(
                "give the largest groups from {} a way out: a route and port that take them \
                 (seats, quota_per_day and holding at least the largest group), or smaller \
                 groups (backlog.group_size)",
                name(o)
            ),
        )
    })
}

/// What would give a way out to the people of blocked origin `o`, one lever for each of its
/// routes (the stage without capacity it leads to, or, under `appointment`, days on which the
/// route runs and its port serves), each once, added to `levers`.
fn route_levers(scn: &Scenario, o: usize, levers: &mut Vec<String>) {
    use crate::model::blocked::{port_no_capacity, route_no_capacity};
    for r in routes_from(scn, o) {
        let route = &scn.routes[r];
        let lever = match route_no_capacity(scn, r).or_else(|| port_no_capacity(scn, route.port)) {
            Some(n) => format!("{} for {}", n.fix, n.stage),
            None => format!(
                "days on which route \"{}\" runs and {} serves",
                route.name,
                crate::format::port_named(&scn.ports[route.port].name)
            ),
        };
        if !levers.contains(&lever) {
            levers.push(lever);
        }
    }
}

/// The lever when [`never_clears`] says that nobody at all can ever be processed (where
/// [`never_clears_origin`] names no origin): what input would let anyone through (`give servers
/// above 0 for screening`; `give servers above 0 for port "El Paso" or seats above 0 for route
/// "Tijuana->San Ysidro", or add a route from Ciudad Juarez and Tijuana to a port with
/// capacity`; both, joined by "; and"). `None` when [`never_clears`] says otherwise.
pub fn never_clears_everyone_lever(scn: &Scenario) -> Option<String> {
    if never_clears(scn)? != "nobody can ever be processed" {
        return None;
    }
    let zero = crate::model::zero_capacity_stages(scn);
    let mut parts: Vec<String> = Vec::new();
    if let Some(n) = crate::model::blocked::screening_no_capacity(scn) {
        parts.push(format!("give {} for {}", n.fix, n.stage));
    }
    let blocked = blocked_origins(scn, &zero);
    if !blocked.is_empty() {
        let mut levers: Vec<String> = Vec::new();
        for &o in &blocked {
            route_levers(scn, o, &mut levers);
        }
        let names: Vec<String> = blocked
            .iter()
            .map(|&o| scn.origins[o].name.clone())
            .collect();
        let add = format!(
            "add a route from {} to a port with capacity",
            crate::format::word_list(&names, "and")
        );
        parts.push(if levers.is_empty() {
            add
        } else {
            format!("give {}, or {add}", crate::format::word_list(&levers, "or"))
        });
    }
    (!parts.is_empty()).then(|| parts.join("; and "))
}

/// Why nobody, or the people of some origin, can ever be processed, as validation can tell
/// from the scenario alone: every route leads to a stage without capacity
/// ([`crate::model::zero_capacity_stages`]), groups too large for every way out of their origin
/// or for every port it leads to, or under `appointment` buses that run only on days their
/// port does not serve. A short clause for `validate`'s first line ("nobody can ever be
/// processed"); `None` when nothing such is known (the scenario may still not clear within its
/// horizon).
pub fn never_clears(scn: &Scenario) -> Option<String> {
    let zero = crate::model::zero_capacity_stages(scn);
    if zero
        .iter()
        .any(|z| z.starts_with("nobody can ever be processed"))
    {
        return Some("nobody can ever be processed".into());
    }
    let blocked: Vec<&str> = blocked_origins(scn, &zero)
        .into_iter()
        .map(|o| scn.origins[o].name.as_str())
        .collect();
    if blocked.len() == scn.origins.iter().filter(|o| o.share > 0.0).count() && !blocked.is_empty()
    {
        return Some("nobody can ever be processed".into());
    }
    match blocked[..] {
        [] => {}
        [o] => return Some(format!("nobody from origin {o} can ever be processed")),
        // Every such origin named (the first alone had been, beside warnings naming more).
        [.., last] => {
            let rest = blocked[..blocked.len() - 1].join(", ");
            return Some(format!(
                "nobody from origins {rest} and {last} can ever be processed"
            ));
        }
    }
    never_travel(scn).map(|(o, _, _)| {
        format!(
            "the largest groups from origin {} can never be processed",
            scn.origins[o].name
        )
    })
}
