//! Capacities over time: disruption factors (piecewise constant, overlapping factors multiply),
//! port quotas with linear ramp, floor(value × factor), and the server time a schedule offers.

use crate::scenario::{day_of, Disruption, Port, Schedule};

/// floor(value × factor) for a capacity (defined with the scenario, whose analyses judge
/// closures by it too).
pub use crate::scenario::scaled;

/// The round-off guard at a disruption's boundaries \[days\], as at a midnight (`day_of`): a
/// time less than this short of `from` or `until` is on it, as exact arithmetic has it (the 73rd
/// start of a 20-minute service, summed 72 times to 0.9999999999999983, starts on day 1 and
/// under a disruption from day 1, not before it).
const EDGE: f64 = 1e-9;

/// The product of all disruption factors that apply to one target, as a function of time.
#[derive(Debug, Clone, Default)]
pub struct Factor {
    /// (from, until, capacity) of each disruption that applies, `from` and `until` moved
    /// `EDGE` earlier (the guard), so that [`Factor::at`] compares as before.
    windows: Vec<(f64, f64, f64)>,
    /// The boundaries as the scenario gives them, sorted, without repeats.
    boundaries: Vec<f64>,
}

impl Factor {
    /// The combined factor of the disruptions `ds` (1 when there are none).
    pub fn new<'a>(ds: impl Iterator<Item = &'a Disruption>) -> Factor {
        let ds: Vec<&Disruption> = ds.collect();
        let mut boundaries: Vec<f64> = ds.iter().flat_map(|d| [d.from, d.until]).collect();
        boundaries.sort_by(f64::total_cmp);
        boundaries.dedup();
        Factor {
            windows: ds
                .iter()
                .map(|d| (d.from - EDGE, d.until - EDGE, d.capacity))
                .collect(),
            boundaries,
        }
    }

    /// Factor in force at time t: windows are half-open [from, until), a time less than 1e-9
    /// day short of a boundary taken as on it (`EDGE`).
    #[inline]
    pub fn at(&self, t: f64) -> f64 {
        let mut f = 1.0;
        for (a, b, c) in &self.windows {
            if t >= *a && t < *b {
                f *= c;
            }
        }
        f
    }

    /// Whether no disruption applies (the factor is 1 at every time).
    pub fn is_trivial(&self) -> bool {
        self.windows.is_empty()
    }

    /// The first time after t at which the factor may change (infinity if none): a boundary
    /// less its guard (`EDGE`), where [`Factor::at`] changes.
    #[inline]
    pub fn next_change(&self, t: f64) -> f64 {
        let mut next = f64::INFINITY;
        for &(a, b, _) in &self.windows {
            for x in [a, b] {
                if x > t && x < next {
                    next = x;
                }
            }
        }
        next
    }

    /// Times at which the factor may change, as the scenario gives them (`from` and `until`).
    pub fn boundaries(&self) -> Vec<f64> {
        self.boundaries.clone()
    }

    /// The largest factor in force at any time of day d, [d, d+1): what a quota or a capacity
    /// of that day can reach (a fifo start and an appointment's boarding each take the factor
    /// in force at their time, which may be any time of the day).
    pub fn max_in_day(&self, d: i64) -> f64 {
        let a = d as f64;
        let mut m = self.at(a);
        for &b in &self.boundaries {
            if b > a && b < a + 1.0 {
                m = m.max(self.at(b));
            }
        }
        m
    }
}

/// How far short of a closing time or midnight an [`OpenSpan`] stops \[days\]: twice the 1e-9
/// tolerance of `Schedule::is_open` and `day_of`, so that inside the span they cannot answer
/// differently from where it began.
const SPAN_MARGIN: f64 = 2e-9;

/// A span of time [from, until) inside one open period of a schedule, within one day and under
/// one disruption factor. A stage that may start services at any time in it sees the same day,
/// opening and capacity there, so it asks the schedule once a span instead of at every try.
#[derive(Debug, Clone, Copy)]
pub struct OpenSpan {
    /// Start of the span \[days\].
    pub from: f64,
    /// End of the span, exclusive \[days\].
    pub until: f64,
    /// The day of every time in the span.
    pub day: i64,
    /// The disruption factor in force throughout the span.
    pub factor: f64,
}

impl OpenSpan {
    /// A span that holds no time.
    pub const EMPTY: OpenSpan = OpenSpan {
        from: f64::INFINITY,
        until: f64::NEG_INFINITY,
        day: 0,
        factor: 1.0,
    };

    /// Is t inside the span?
    #[inline]
    pub fn holds(&self, t: f64) -> bool {
        t >= self.from && t < self.until
    }

    /// The span from t to the first time the schedule could close, the day could end or the
    /// factor could change, if the schedule is open at t; `None` if it is closed.
    pub fn starting_at(schedule: &Schedule, factor: &Factor, t: f64) -> Option<OpenSpan> {
        if !schedule.is_open(t) {
            return None;
        }
        let day = day_of(t);
        let base = day as f64;
        let day_end = base + 1.0 - SPAN_MARGIN;
        let close = match schedule.hours {
            None => day_end,
            // Open from `open` to `close` the same day.
            Some((open, close)) if open < close => base + close - SPAN_MARGIN,
            // Wrapping: open until `close` after midnight, then from `open` to midnight.
            Some((_, close)) if (t - base).max(0.0) < close - 1e-9 => base + close - SPAN_MARGIN,
            Some(_) => day_end,
        };
        Some(OpenSpan {
            from: t,
            until: day_end.min(close).min(factor.next_change(t)),
            day,
            factor: factor.at(t),
        })
    }
}

/// Capacity that is unlimited.
pub const UNLIMITED: u64 = u64::MAX;

/// Servers available at t: floor(servers × factor), UNLIMITED when the scenario sets none
/// (unless the factor closes the stage).
#[inline]
pub fn servers_at(servers: Option<u32>, factor: f64) -> u64 {
    match servers {
        Some(c) => scaled(c as f64, factor),
        None if factor <= 0.0 => 0,
        None => UNLIMITED,
    }
}

/// The unscaled daily quota of a port on day d: 0 before it opens and on days it does not serve.
pub fn base_quota(port: &Port, d: i64) -> Option<f64> {
    let opens_day = port.opens as i64; // opens >= 0: truncation is floor
    if d < opens_day || !port.schedule.day_open(d) {
        return Some(0.0);
    }
    let q = port.quota_per_day? as f64;
    Some(match &port.ramp {
        None => q,
        Some(r) => {
            let frac = if r.over > 0.0 {
                ((d - opens_day) as f64 / r.over).min(1.0)
            } else {
                1.0
            };
            r.from + (q - r.from) * frac
        }
    })
}

/// Quota of day d with the disruption factor in force at t \[people\]: q(d) of MODEL.md §1.6.
#[inline]
pub fn quota(port: &Port, d: i64, factor: f64) -> u64 {
    match base_quota(port, d) {
        Some(q) => scaled(q, factor),
        None if factor <= 0.0 => 0,
        None => UNLIMITED,
    }
}

/// Server time \[server-days\] offered inside open hours between t0 and t1:
/// ∫ floor(servers × factor(t)) over the open part of [t0, t1). `None` when servers are unlimited.
pub fn offered_server_time(
    servers: Option<u32>,
    schedule: &Schedule,
    factor: &Factor,
    t0: f64,
    t1: f64,
) -> Option<f64> {
    let c = servers? as f64;
    if t1 <= t0 {
        return Some(0.0);
    }
    let bounds = factor.boundaries();
    let mut total = 0.0;
    let d0 = t0.floor() as i64;
    let d1 = t1.ceil() as i64;
    for d in d0..=d1 {
        for (a, b) in schedule.open_intervals(d) {
            let a = a.max(t0);
            let b = b.min(t1);
            if b <= a {
                continue;
            }
            // split [a, b) at disruption boundaries
            let mut start = a;
            for &x in bounds.iter().filter(|x| **x > a && **x < b) {
                total += scaled(c, factor.at(start)) as f64 * (x - start);
                start = x;
            }
            total += scaled(c, factor.at(start)) as f64 * (b - start);
        }
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Dist, Ramp, ALL_DAYS};

    fn port(quota: Option<u32>, ramp: Option<Ramp>) -> Port {
        Port {
            name: "P".into(),
            opens: 2.5,
            quota_per_day: quota,
            ramp,
            servers: Some(3),
            service: Dist::Fixed(0.0),
            schedule: Schedule::always(0),
            holding: None,
        }
    }

    #[test]
    fn ramp_is_linear_then_flat_and_floored() {
        let p = port(
            Some(300),
            Some(Ramp {
                from: 25.0,
                over: 14.0,
            }),
        );
        assert_eq!(quota(&p, 1, 1.0), 0); // before opens_day
        assert_eq!(quota(&p, 2, 1.0), 25); // opening day
        assert_eq!(quota(&p, 9, 1.0), 162); // 25 + 275 * 7/14 = 162.5
        assert_eq!(quota(&p, 16, 1.0), 300);
        assert_eq!(quota(&p, 100, 1.0), 300);
        assert_eq!(quota(&p, 100, 0.5), 150);
        assert_eq!(quota(&p, 100, 0.0), 0);
    }

    #[test]
    fn unlimited_quota_closes_only_at_zero_factor() {
        let p = port(None, None);
        assert_eq!(quota(&p, 5, 0.3), UNLIMITED);
        assert_eq!(quota(&p, 5, 0.0), 0);
        assert_eq!(quota(&p, 0, 1.0), 0);
    }

    #[test]
    fn floor_is_guarded_against_round_off() {
        assert_eq!(scaled(50.0, 0.7), 35);
        assert_eq!(scaled(3.0, 0.1 * 3.0 / 0.3), 3);
    }

    #[test]
    fn offered_time_respects_hours_and_disruptions() {
        let s = Schedule {
            hours: Some((8.0 / 24.0, 18.0 / 24.0)),
            days: ALL_DAYS,
            start_weekday: 0,
        };
        let none = Factor::default();
        let t = offered_server_time(Some(2), &s, &none, 0.0, 3.0).unwrap();
        assert!((t - 2.0 * 3.0 * 10.0 / 24.0).abs() < 1e-9);
        let d = Disruption {
            ports: vec![],
            routes: vec![],
            screening: true,
            from: 1.0,
            until: 2.0,
            capacity: 0.5,
        };
        let f = Factor::new(std::iter::once(&d));
        let t = offered_server_time(Some(2), &s, &f, 0.0, 3.0).unwrap();
        assert!((t - 5.0 * 10.0 / 24.0).abs() < 1e-9);
        assert!(offered_server_time(None, &s, &none, 0.0, 3.0).is_none());
    }

    /// Every time inside an open span sees what the span says: open, the same day, the same
    /// factor; and a span runs to the closing time (less its margin), not one instant.
    #[test]
    fn open_spans_agree_with_the_schedule_everywhere_inside() {
        let d = |from, until, capacity| Disruption {
            ports: vec![],
            routes: vec![],
            screening: true,
            from,
            until,
            capacity,
        };
        let ds = [d(2.3, 4.75, 0.5), d(3.0, 9.0, 0.5)];
        let factors = [Factor::default(), Factor::new(ds.iter())];
        let mut weekdays = ALL_DAYS;
        weekdays[5] = false;
        weekdays[6] = false;
        let schedules = [
            Schedule::always(0),
            Schedule {
                hours: Some((8.0 / 24.0, 18.0 / 24.0)),
                days: weekdays,
                start_weekday: 4,
            },
            // wrapping past midnight
            Schedule {
                hours: Some((20.0 / 24.0, 6.0 / 24.0)),
                days: weekdays,
                start_weekday: 0,
            },
        ];
        // A grid, and every edge (hours, midnights, factor changes) with points just around it.
        let mut times: Vec<f64> = (0..2400).map(|i| i as f64 / 240.0).collect();
        for day in 0..10 {
            for edge in [0.0, 6.0 / 24.0, 8.0 / 24.0, 18.0 / 24.0, 20.0 / 24.0] {
                for eps in [
                    -3e-9, -1.5e-9, -1e-9, -0.5e-9, 0.0, 0.5e-9, 1e-9, 1.5e-9, 3e-9,
                ] {
                    times.push(day as f64 + edge + eps);
                }
            }
        }
        for x in [2.3, 3.0, 4.75, 9.0] {
            times.extend([x - 1e-9, x, x + 1e-9]);
        }
        let mut spans = 0;
        for s in &schedules {
            for f in &factors {
                for &t in &times {
                    let Some(span) = OpenSpan::starting_at(s, f, t) else {
                        assert!(t < 0.0 || !s.is_open(t), "open at {t} but no span");
                        continue;
                    };
                    spans += 1;
                    assert_eq!(span.from, t);
                    let inside = times
                        .iter()
                        .copied()
                        .filter(|x| span.holds(*x))
                        .chain([span.until - 1e-12, (span.from + span.until) / 2.0])
                        .filter(|x| *x >= span.from);
                    for x in inside {
                        assert!(s.is_open(x), "span from {t} holds {x}, which is closed");
                        assert_eq!(day_of(x), span.day, "span from {t}: day at {x}");
                        assert_eq!(f.at(x), span.factor, "span from {t}: factor at {x}");
                    }
                }
            }
        }
        assert!(spans > 1000);
        // 09:00 on an open day: open until 18:00, less the margin.
        let office = &schedules[1];
        let span = OpenSpan::starting_at(office, &factors[0], 9.0 / 24.0).unwrap();
        assert!((span.until - 18.0 / 24.0).abs() < 1e-8);
        // 21:00 with wrapping hours: open until midnight; 03:00: until 06:00.
        let night = &schedules[2];
        let span = OpenSpan::starting_at(night, &factors[0], 21.0 / 24.0).unwrap();
        assert!((span.until - 1.0).abs() < 1e-8);
        let span = OpenSpan::starting_at(night, &factors[0], 1.0 + 3.0 / 24.0).unwrap();
        assert!((span.until - (1.0 + 6.0 / 24.0)).abs() < 1e-8);
        // A factor change ends the span, at the boundary less its guard (`EDGE`).
        let span = OpenSpan::starting_at(&schedules[0], &factors[1], 2.0).unwrap();
        assert_eq!(span.until, 2.3 - EDGE);
    }
}
