//! Transport: each origin's ready queue (FIFO by the time a group became ready), scheduled
//! departures with seats and first-fit boarding, continuous routes, and the seat measurements.
//! Boarding itself, which needs the ports' quota and holding room, is driven from `sim`.

use super::capacity::Factor;
use super::queue::ClassQueue;
use super::WaitAcc;
use crate::scenario::{Departures, Route, Scenario};

/// Transport's state during a replication: the routes of each origin, the ready queues and the seat
/// measurements.
pub struct Transport {
    /// Per origin: route indices in listing order.
    pub routes_of: Vec<Vec<usize>>,
    /// Per origin: its scheduled routes.
    pub scheduled_of: Vec<Vec<usize>>,
    /// Per origin: whether any route is continuous.
    pub has_continuous: Vec<bool>,
    /// Per route: disruption factor on seats.
    pub factor: Vec<Factor>,
    /// Per origin: ready queue of group ids (dropped ones skipped lazily).
    pub ready: Vec<ClassQueue>,
    /// Per origin: people in the ready queue \[people\].
    pub ready_people: Vec<u64>,
    /// Per origin: people in the health check \[people\].
    pub health_people: Vec<u64>,
    /// Per origin: people boarded since the last day's end \[people\].
    pub boarded_today: Vec<u64>,
    /// Waits from becoming ready to boarding of counted groups \[days\].
    pub wait: WaitAcc,
    /// Seats offered / filled on scheduled departures with a seat limit \[people\].
    pub seats_offered: u64,
    /// Seats filled on those departures \[people\].
    pub seats_filled: u64,
    start_weekday: u8,
}

impl Transport {
    /// The routes of each origin and empty ready queues at t = 0.
    pub fn new(scn: &Scenario) -> Self {
        let n = scn.origins.len();
        let mut routes_of = vec![vec![]; n];
        let mut scheduled_of = vec![vec![]; n];
        let mut has_continuous = vec![false; n];
        for (i, r) in scn.routes.iter().enumerate() {
            routes_of[r.origin].push(i);
            match r.departures {
                Departures::Continuous => has_continuous[r.origin] = true,
                Departures::Scheduled(_) => scheduled_of[r.origin].push(i),
            }
        }
        let factor = (0..scn.routes.len())
            .map(|i| Factor::new(scn.disruptions.iter().filter(|d| d.routes.contains(&i))))
            .collect();
        Transport {
            routes_of,
            scheduled_of,
            has_continuous,
            factor,
            ready: vec![ClassQueue::new(scn.classes.len()); n],
            ready_people: vec![0; n],
            health_people: vec![0; n],
            boarded_today: vec![0; n],
            wait: WaitAcc::default(),
            seats_offered: 0,
            seats_filled: 0,
            start_weekday: scn.start_weekday(),
        }
    }

    /// Seats route r offers at t: its seats scaled by the disruption factor in force, or
    /// `UNLIMITED` without a seat limit, unless a factor of 0 closes it.
    #[inline]
    pub fn seats(&self, route: &Route, r: usize, t: f64) -> u64 {
        match route.seats {
            Some(s) => super::capacity::scaled(s as f64, self.factor[r].at(t)),
            None if self.closed(r, t) => 0,
            None => super::capacity::UNLIMITED,
        }
    }

    /// Whether a disruption factor of 0 closes route r at t.
    #[inline]
    pub fn closed(&self, r: usize, t: f64) -> bool {
        !self.factor[r].is_trivial() && self.factor[r].at(t) <= 0.0
    }

    /// Route r's departures in time order from the start of t's day, over the nine days from it
    /// (a timetable repeats weekly, so the first departure after t is among them); none for a
    /// route without a timetable or with no day of service.
    fn departures_from<'r>(&self, route: &'r Route, t: f64) -> impl Iterator<Item = f64> + 'r {
        let times: &[f64] = match &route.departures {
            Departures::Scheduled(times) if route.days.iter().any(|d| *d) => times,
            _ => &[],
        };
        let (d0, start_weekday) = (crate::scenario::day_of(t), self.start_weekday as i64);
        (d0..d0 + 9)
            .filter(move |&d| route.days[(d + start_weekday).rem_euclid(7) as usize])
            .flat_map(move |d| times.iter().map(move |x| d as f64 + x))
    }

    /// First departure of route r at a time > t (or >= t when `inclusive`).
    pub fn next_departure(&self, route: &Route, t: f64, inclusive: bool) -> Option<f64> {
        self.departures_from(route, t)
            .find(|&dep| dep > t || (inclusive && dep >= t))
    }

    /// Whether route r departs at t, and its first departure at a time > t: what
    /// [`Transport::next_departure`] gives with `inclusive` (compared with t) and without it,
    /// from one scan of the timetable instead of two (the same days, times and sums in the same
    /// order: the first departure >= t comes no later in the scan than the first > t).
    pub fn departs_at_and_next(&self, route: &Route, t: f64) -> (bool, Option<f64>) {
        let mut first_at_or_after = None;
        for dep in self.departures_from(route, t) {
            if first_at_or_after.is_none() && dep >= t {
                first_at_or_after = Some(dep);
            }
            if dep > t {
                return (first_at_or_after == Some(t), Some(dep));
            }
        }
        (first_at_or_after == Some(t), None)
    }

    /// Next departure from origin o over all its scheduled routes.
    pub fn next_origin_departure(
        &self,
        routes: &[Route],
        o: usize,
        t: f64,
        inclusive: bool,
    ) -> Option<f64> {
        self.scheduled_of[o]
            .iter()
            .filter_map(|&r| self.next_departure(&routes[r], t, inclusive))
            .min_by(f64::total_cmp)
    }
}
