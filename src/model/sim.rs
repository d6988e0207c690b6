//! One replication: the event loop that moves groups through the stages, applying the precise
//! rules of MODEL.md §1 (first-fit boarding, appointment reservations, strict-FIFO port quota,
//! holding limits, attrition, disruptions, horizon), and the measurements taken on the way.

use super::capacity::UNLIMITED;
use super::group::{Group, State, INFLOW};
use super::port::PortState;
use super::registration::{self, Population};
use super::result::*;
use super::screening::ScreeningStage;
use super::transport::Transport;
use super::{health, purpose};
use crate::engine::{rng, Calendar, Lane, Stream};
use crate::scenario::{day_of, day_start, ChoosePort, Departures, Policy, Problem, Scenario};
use std::collections::VecDeque;

/// The milestones t50, t90, t99 as fractions of the backlog plus phases.
const MARKS: [f64; 3] = [0.5, 0.9, 0.99];

/// The least number of cohort people processed, p, with `p as f64 >= MARKS[i] * total as f64`
/// (milestone i of a cohort of `total` people is reached then); `u64::MAX` past the last
/// milestone. A comparison of integers at each processed group instead of one of floats: the
/// same instant, as `p as f64` only grows with p.
fn mark_threshold(i: usize, total: u64) -> u64 {
    let Some(m) = MARKS.get(i) else {
        return u64::MAX;
    };
    let y = m * total as f64;
    let mut p = y.ceil() as u64;
    // Exact below 2^53 people; beyond, the conversion rounds: step to the least p that passes.
    while (p as f64) < y {
        p += 1;
    }
    while p > 0 && ((p - 1) as f64) >= y {
        p -= 1;
    }
    p
}

/// A route that may take a group now: (route, index in the departing list, port).
type Candidate = (usize, Option<usize>, usize);

/// Working buffers of `on_departure`, kept between calls.
#[derive(Debug, Default)]
struct DepartureBufs {
    departing: Vec<usize>,
    seats: Vec<u64>,
    offered: Vec<u64>,
    travel: Vec<f64>,
    boarded: Vec<(u32, usize)>,
}

/// Working buffers of `board`, kept between calls.
#[derive(Debug, Default)]
struct BoardBufs {
    cand: Vec<Candidate>,
    /// Each port's room (holding room and unreserved quota) while a queue boards \[people\],
    /// by port index: set for the candidates' ports only.
    port_room: Vec<u64>,
    skipped: Vec<u32>,
}

/// Health-check ends kept outside the event loop, as (time, calendar sequence number, group):
/// one FIFO queue per check duration. With fixed test and isolation times each number of
/// positive tests gives one duration (1 day, 12 days, …), and the checks of one duration end in
/// the order screening ended, so each queue is in time order and the least of the queue fronts
/// is the earliest end. Durations beyond the first few go to the calendar's heap.
#[derive(Debug, Default)]
struct LazyReady {
    /// (duration as IEEE bits, its queue).
    queues: Vec<(u64, LazyQueue)>,
}

/// The waiting ends of one check duration, in time order.
#[derive(Debug, Default)]
struct LazyQueue {
    ends: VecDeque<HealthEnd>,
    /// The time of the end pushed last \[days\]: while `ends` is not empty, that of its back
    /// (ends leave from the front), kept so that a push compares with it without finding the
    /// back.
    last: f64,
}

/// A health-check end waiting outside the event loop: (time \[days\], calendar sequence number,
/// group).
type HealthEnd = (f64, u64, u32);

/// Check durations with a queue (or calendar lane) of their own.
const LAZY_QUEUES: usize = 4;

/// The entry of check duration `h` \[days\] in `v` (keyed by its IEEE bits), made with `make` if
/// there is room for another duration; `None` when there is not.
#[inline]
fn per_duration<T>(v: &mut Vec<(u64, T)>, h: f64, make: impl FnOnce() -> T) -> Option<&mut T> {
    let key = h.to_bits();
    let i = match v.iter().position(|(k, _)| *k == key) {
        Some(i) => i,
        None if v.len() < LAZY_QUEUES => {
            v.push((key, make()));
            v.len() - 1
        }
        None => return None,
    };
    Some(&mut v[i].1)
}

/// Whether (time, sequence) `a` comes before `b` in the calendar's order (no time is NaN).
#[inline(always)]
fn precedes(a: (f64, u64), b: (f64, u64)) -> bool {
    a.0 < b.0 || (a.0 == b.0 && a.1 < b.1)
}

impl LazyReady {
    /// The queue of checks that take `h` \[days\], if it can take one ending at `t_ready` \[days\]
    /// in time order.
    #[inline]
    fn queue_for(&mut self, h: f64, t_ready: f64) -> Option<&mut LazyQueue> {
        let q = per_duration(&mut self.queues, h, LazyQueue::default)?;
        (q.ends.is_empty() || q.last <= t_ready).then_some(q)
    }

    /// The earliest waiting end in (time, sequence) order, with the index of its queue.
    #[inline]
    fn earliest(&self) -> Option<(usize, HealthEnd)> {
        let mut best: Option<(usize, HealthEnd)> = None;
        for (i, (_, q)) in self.queues.iter().enumerate() {
            if let Some(&e) = q.ends.front() {
                if best.is_none_or(|(_, b)| precedes((e.0, e.1), (b.0, b.1))) {
                    best = Some((i, e));
                }
            }
        }
        best
    }

    /// The least (time, sequence) of the queue fronts other than queue `i`'s.
    #[inline]
    fn least_front_besides(&self, i: usize) -> Option<(f64, u64)> {
        let mut best: Option<(f64, u64)> = None;
        for (j, (_, q)) in self.queues.iter().enumerate() {
            if let (true, Some(&(t, s, _))) = (j != i, q.ends.front()) {
                if best.is_none_or(|b| precedes((t, s), b)) {
                    best = Some((t, s));
                }
            }
        }
        best
    }
}

/// What a priority class's resolutions add up, kept together so that a resolution finds them
/// with one look-up.
#[derive(Debug, Clone, Copy, Default)]
struct ClassAcc {
    /// Cohort people not resolved yet.
    unresolved: u64,
    /// Cohort people processed.
    processed: u64,
    /// The time of the last resolution \[days\].
    last: f64,
    /// Registration to processed \[days\].
    time: super::WaitAcc,
}

/// Options of one replication.
#[derive(Debug, Clone, Copy, Default)]
pub struct SimOptions {
    /// Record the event log in `ReplicationResult::trace`.
    pub trace: bool,
}

#[derive(Debug, Clone, Copy)]
enum Ev {
    Inflow,
    ScreenDone(u32),
    Ready(u32),
    Drop(u32),
    Departure(u16),
    /// The groups of one departure arrive together (index into `batches`).
    ArriveBatch(u32),
    Arrive(u32),
    PortDone(u32),
    PortWake(u16),
    ScreenWake,
    Midnight,
    Boundary,
}

struct Rngs {
    population: Stream,
    inflow: Stream,
    screening: Stream,
    health: Stream,
    travel: Stream,
    port: Stream,
}

struct Sim<'a> {
    scn: &'a Scenario,
    opts: SimOptions,
    cal: Calendar<Ev>,
    /// With a fixed test time: calendar lanes for health-check ends, one per check duration
    /// (as IEEE bits) up to [`LAZY_QUEUES`] of them: the ends of one duration follow the order
    /// of screening ends, so they need no heap. (Used when the ends are events of the loop; see
    /// `lazy_ready` for when they are not.)
    health_lanes: Option<Vec<(u64, Lane)>>,
    /// With a fixed test time, no continuous route and no trace, health-check ends are not
    /// events of the loop: they wait here and are applied, in the calendar's order, just before
    /// the next event that could see the difference (a departure, a drop-out, the end of the
    /// run). See [`Sim::drain_ready`].
    lazy_ready: Option<LazyReady>,
    /// The health check when its test and isolation take fixed times (the baseline's).
    fixed_check: Option<health::FixedCheck>,
    /// `health.share`, 1 (every group checked, no draw) without a health check.
    check_share: f64,
    /// Ports with groups arriving at this instant, whose tries to start service wait for the
    /// instant's other arrivals ([`Sim::flush_arrivals`]), in the order their first group came.
    arrival_ports: Vec<usize>,
    /// Arrival events popped at `arrivals_at`, in their order, handled once every other event
    /// of that instant is ([`Sim::on_arrivals`]).
    arrivals: Vec<Ev>,
    /// The instant of the arrivals held in `arrivals`; infinity while there are none.
    arrivals_at: f64,
    rng: Rngs,
    pop: Population,
    groups: Vec<Group>,
    registrations: Vec<(f64, u32)>,
    next_reg: usize,
    /// The time of `registrations[next_reg]` (infinity past the last): the loop reads it at
    /// every event, so it is kept rather than looked up.
    next_reg_time: f64,
    drops: Vec<(f64, u32)>,
    next_drop: usize,
    /// The time of `drops[next_drop]` (infinity past the last).
    next_drop_time: f64,
    /// Take the cohort registrations of one instant together ([`Sim::register_burst`]): with
    /// screening (without it a registration passes straight on).
    batch_registrations: bool,
    /// Without screening and with more than one priority class: the cohort registrations of
    /// one instant pass on together, higher classes first ([`Sim::register_class_burst`]).
    class_bursts: bool,
    /// The groups of such an instant (reused).
    burst: Vec<u32>,
    batches: Vec<Vec<u32>>,
    free_batches: Vec<u32>,
    /// Buffers reused by every departure and boarding (no allocation per departure).
    departure_bufs: DepartureBufs,
    board_bufs: BoardBufs,
    screening: ScreeningStage,
    transport: Transport,
    ports: Vec<PortState>,
    /// Per port: the origins with a continuous route and a route to this port, whom a start
    /// here (which frees holding room) may let board.
    board_after_start: Vec<Vec<usize>>,
    min_size: u64,
    // inflow
    inflow_next: f64,
    /// When the inflow is over \[days\]: its `until` (at most the horizon); 0 without inflow.
    /// A replication does not end before it (MODEL.md §1: it ends when every group is resolved
    /// and the inflow is over).
    inflow_end: f64,
    inflow_people: u64,
    inflow_processed: u64,
    // bookkeeping
    unresolved_groups: u64,
    cohort_total: u64,
    cohort_unresolved: u64,
    processed_cohort: u64,
    processed_all: u64,
    dropped: u64,
    unreached: u64,
    last_cohort_resolution: f64,
    /// Per class: cohort people, and what resolutions add up ([`ClassAcc`]).
    class_people: Vec<u64>,
    classes: Vec<ClassAcc>,
    t_marks: [Option<f64>; 3],
    /// Index of the first milestone of `MARKS` not reached yet.
    next_mark: usize,
    /// The least cohort people processed that reach it ([`mark_threshold`]).
    next_mark_at: u64,
    events: u64,
    // daily series
    next_day: i64,
    /// The end of day `next_day` \[days\]: [`day_start`]`(next_day + 1)`, so that an event at t
    /// counts in the day [`day_of`]`(t)`, as the port quota and the event log date it (a midnight
    /// reached by adding up service times may fall a little short of the whole number).
    next_day_end: f64,
    daily: Vec<u32>,
    n_series: usize,
    trace: Vec<TraceEvent>,
    /// A traced run's health-check steps that lie ahead of the event that logged them
    /// (`traced_check`), put into the log in time order when the replication ends.
    health_steps: Vec<TraceEvent>,
}

/// The large per-replication vectors (groups, the two pre-sorted streams and the sort's
/// scratch), kept by each thread between its replications: refilling them costs nothing,
/// whereas fresh ones of this size come from the system and fault every page in again. Each
/// thread keeps at most the buffers of the largest replication it ran.
#[derive(Default)]
struct Scratch {
    cohorts: registration::Cohorts,
    sort_buf: Vec<(f64, u32)>,
}

thread_local! {
    static SCRATCH: std::cell::Cell<Option<Box<Scratch>>> = const { std::cell::Cell::new(None) };
}

/// [`simulate`] of a scenario checked first ([`Scenario::check`]): one changed in code into an
/// invalid scenario (origin shares summing to 5, a ramp over 0 days) is refused with every
/// problem, each keyed by its TOML path ([`Problem`]), instead of running on it. The check costs far less than a
/// replication; a loop over many replications of one scenario may check once and call
/// [`simulate`].
pub fn try_simulate(
    scn: &Scenario,
    index: u32,
    opts: &SimOptions,
) -> Result<ReplicationResult, Vec<Problem>> {
    scn.check()?;
    Ok(simulate(scn, index, opts))
}

/// Run replication `index` of the scenario. The scenario must be valid: one loaded from TOML
/// is, and one changed in code must pass [`Scenario::check`] first (as
/// [`crate::experiment::run`] and [`try_simulate`] make sure); an invalid one runs on
/// meaningless figures, or may panic here. Nothing is checked here, to keep each replication
/// as fast as it can be.
pub fn simulate(scn: &Scenario, index: u32, opts: &SimOptions) -> ReplicationResult {
    let mut scratch = SCRATCH.take().unwrap_or_default();
    let mut sim = Sim::new(scn, index, *opts, &mut scratch);
    let end = sim.run();
    scratch.cohorts = registration::Cohorts {
        groups: std::mem::take(&mut sim.groups),
        registrations: std::mem::take(&mut sim.registrations),
        drops: std::mem::take(&mut sim.drops),
    };
    let result = sim.finish(index, end);
    SCRATCH.set(Some(scratch));
    result
}

impl<'a> Sim<'a> {
    fn new(scn: &'a Scenario, index: u32, opts: SimOptions, scratch: &mut Scratch) -> Self {
        let s = |p| rng::stream(scn.seed, index as u64, p);
        let mut rng = Rngs {
            population: s(purpose::POPULATION),
            inflow: s(purpose::INFLOW),
            screening: s(purpose::SCREENING),
            health: s(purpose::HEALTH),
            travel: s(purpose::TRAVEL),
            port: s(purpose::PORT_SERVICE),
        };
        let pop = Population::new(scn);
        let cohorts = registration::cohorts_reusing(
            scn,
            &pop,
            &mut rng.population,
            std::mem::take(&mut scratch.cohorts),
            &mut scratch.sort_buf,
        );
        let ports = (0..scn.ports.len())
            .map(|i| PortState::new(scn, i))
            .collect();
        let transport = Transport::new(scn);
        let board_after_start = (0..scn.ports.len())
            .map(|p| {
                (0..transport.ready.len())
                    .filter(|&o| {
                        transport.has_continuous[o]
                            && transport.routes_of[o]
                                .iter()
                                .any(|&r| scn.routes[r].port == p)
                    })
                    .collect()
            })
            .collect();
        let n_series = super::FIXED_SERIES.len() + 2 * scn.ports.len() + 3 * scn.origins.len();
        let n_classes = scn.classes.len().max(1);
        let mut class_people = vec![0u64; n_classes];
        // The smallest group that may ask for room: the size distribution's least, or the
        // truncated last group of a cohort when it is smaller (inflow groups are not cut).
        let mut min_size = scn.group_size.min() as u64;
        for g in &cohorts.groups {
            class_people[g.class as usize] += g.size as u64;
            min_size = min_size.min(g.size as u64);
        }
        // With no backlog or phase people, every milestone is met at once (0 of 0).
        let no_cohort = scn.cohort_people() == 0;
        let cal = Calendar::with_capacity(1024);
        let fixed_turnaround = matches!(
            &scn.health,
            Some(h) if matches!(h.turnaround, crate::scenario::Dist::Fixed(x) if x > 0.0)
        );
        let mut sim = Sim {
            scn,
            opts,
            cal,
            health_lanes: fixed_turnaround.then(Vec::new),
            lazy_ready: None,
            fixed_check: scn.health.as_ref().and_then(health::FixedCheck::of),
            check_share: scn.health.as_ref().map_or(1.0, |h| h.share),
            arrival_ports: Vec::new(),
            arrivals: Vec::new(),
            arrivals_at: f64::INFINITY,
            rng,
            pop,
            unresolved_groups: cohorts.groups.len() as u64,
            groups: cohorts.groups,
            registrations: cohorts.registrations,
            next_reg: 0,
            next_reg_time: f64::INFINITY,
            drops: cohorts.drops,
            next_drop: 0,
            next_drop_time: f64::INFINITY,
            batch_registrations: scn.screening.is_some(),
            class_bursts: scn.screening.is_none() && scn.classes.len() > 1,
            burst: Vec::new(),
            batches: Vec::new(),
            free_batches: Vec::new(),
            departure_bufs: DepartureBufs::default(),
            board_bufs: BoardBufs::default(),
            screening: ScreeningStage::new(scn),
            transport,
            ports,
            board_after_start,
            min_size,
            inflow_next: f64::INFINITY,
            inflow_end: match &scn.inflow {
                Some(f) if f.rate_per_day > 0.0 && f.from < f.until => f.until.min(scn.horizon),
                _ => 0.0,
            },
            inflow_people: 0,
            inflow_processed: 0,
            cohort_total: scn.cohort_people(),
            cohort_unresolved: scn.cohort_people(),
            processed_cohort: 0,
            processed_all: 0,
            dropped: 0,
            unreached: 0,
            last_cohort_resolution: 0.0,
            classes: class_people
                .iter()
                .map(|&people| ClassAcc {
                    unresolved: people,
                    ..ClassAcc::default()
                })
                .collect(),
            class_people,
            t_marks: if no_cohort { [Some(0.0); 3] } else { [None; 3] },
            next_mark: if no_cohort { MARKS.len() } else { 0 },
            next_mark_at: if no_cohort {
                u64::MAX
            } else {
                mark_threshold(0, scn.cohort_people())
            },
            events: 0,
            next_day: 0,
            next_day_end: day_start(1),
            daily: Vec::new(),
            n_series,
            trace: Vec::new(),
            health_steps: Vec::new(),
        };
        sim.next_reg_time = sim.registrations.first().map_or(f64::INFINITY, |r| r.0);
        sim.next_drop_time = sim.drops.first().map_or(f64::INFINITY, |r| r.0);
        // Lazy ends assume every check takes time: a group passing at once (a `share` below 1
        // lets some skip the check) would join its ready queue ahead of ends not yet applied.
        let every_check = scn.health.as_ref().is_some_and(|h| h.share >= 1.0);
        if fixed_turnaround
            && every_check
            && !opts.trace
            && !sim.transport.has_continuous.iter().any(|c| *c)
        {
            sim.lazy_ready = Some(LazyReady::default());
        }
        sim.start();
        sim
    }

    /// Resolve the unreached, schedule the first inflow arrival, departures, midnights and
    /// disruption boundaries.
    fn start(&mut self) {
        let scn = self.scn;
        for g in 0..self.groups.len() {
            if self.groups[g].state == State::Unreached {
                self.resolve(g as u32, 0.0, State::Unreached);
            }
        }
        if let Some(inf) = &scn.inflow {
            if inf.rate_per_day > 0.0 && inf.from < inf.until {
                let first = inf.from + self.exp_gap(inf.rate_per_day);
                if first < inf.until {
                    self.inflow_next = first;
                    self.cal.schedule(first, Ev::Inflow);
                }
            }
        }
        for o in 0..scn.origins.len() {
            if let Some(t) = self
                .transport
                .next_origin_departure(&scn.routes, o, 0.0, true)
            {
                self.cal.schedule(t, Ev::Departure(o as u16));
            }
        }
        if self.transport.has_continuous.iter().any(|c| *c) {
            self.cal.schedule(1.0, Ev::Midnight);
        }
        let mut bounds: Vec<f64> = scn
            .disruptions
            .iter()
            .flat_map(|d| [d.from, d.until])
            .filter(|t| *t > 0.0 && *t <= scn.horizon)
            .collect();
        bounds.sort_by(f64::total_cmp);
        bounds.dedup();
        for b in bounds {
            self.cal.schedule(b, Ev::Boundary);
        }
    }

    fn exp_gap(&mut self, rate: f64) -> f64 {
        use rand::Rng;
        let u: f64 = self.rng.inflow.random();
        -(1.0 - u).ln() / rate
    }

    fn inflow_over(&self) -> bool {
        self.inflow_next == f64::INFINITY
    }

    /// Every group resolved and no inflow arrival to come: the run ends at `inflow_end` or
    /// now, whichever is later.
    fn quiet(&self) -> bool {
        self.unresolved_groups == 0 && self.inflow_over()
    }

    /// The event loop; returns the time the replication ended \[days\].
    fn run(&mut self) -> f64 {
        // The run stops at the first event after `stop`: the horizon, or, once every group is
        // resolved and no inflow arrival is to come, the end of the inflow (at most the horizon).
        let mut stop = self.scn.horizon;
        if self.quiet() {
            if self.inflow_end <= 0.0 {
                self.record_days_until(0.0);
                return 0.0;
            }
            stop = self.inflow_end;
        }
        loop {
            // Three sources, merged in time order; at equal times registrations come first,
            // then drop-outs, then calendar events (the two streams were laid out at t = 0,
            // before anything was scheduled).
            let next = self.cal.peek_next();
            let t_cal = next.map_or(f64::INFINITY, |n| n.time);
            let t_reg = self.next_reg_time;
            let t_drop = self.next_drop_time;
            // No time is NaN (the calendar clamps one to now, the streams hold none): the least
            // by plain comparisons, without `f64::min`'s handling of NaN.
            let t = least(least(t_cal, t_reg), t_drop);
            if t > self.arrivals_at {
                // Every other event of the arrivals' instant is handled: now the arrivals.
                self.flush_arrivals();
                continue;
            }
            if t > stop {
                // The days ending before the stop first (each applies the health-check ends
                // due before its end, so that its `in_health` counts who was still in the
                // check), then the ends up to the stop, which would have been events of the run.
                self.record_days_until(stop);
                self.drain_ready(stop, Some(u64::MAX));
                return stop;
            }
            self.record_days_until(t);
            self.events += 1;
            // The event's place in the calendar's order: `None` for the pre-sorted streams,
            // which come before calendar events of the same instant.
            let seq = if t_reg <= t {
                self.cal.advance_to(t);
                if self.batch_registrations {
                    self.register_burst(t);
                } else if self.class_bursts {
                    self.register_class_burst(t);
                } else {
                    let g = self.registrations[self.next_reg].1;
                    self.advance_registrations();
                    self.register(g, t, None);
                }
                None
            } else if t_drop <= t {
                let g = self.drops[self.next_drop].1;
                self.next_drop += 1;
                self.next_drop_time = self
                    .drops
                    .get(self.next_drop)
                    .map_or(f64::INFINITY, |r| r.0);
                self.cal.advance_to(t);
                self.drain_ready(t, None);
                self.on_drop(g, t);
                None
            } else {
                let next = next.expect("t is the calendar's earliest time");
                let (t, ev) = self.cal.pop_next(next);
                self.handle(t, ev);
                Some(self.cal.last_seq())
            };
            if self.quiet() {
                if t >= self.inflow_end {
                    // What preceded this last event was processed.
                    self.drain_ready(t, seq);
                    return t;
                }
                // Everyone is resolved before the inflow is over: idle until it is.
                stop = self.inflow_end;
            }
        }
    }

    fn handle(&mut self, t: f64, ev: Ev) {
        match ev {
            Ev::Inflow => self.on_inflow(t),
            Ev::ScreenDone(g) => self.on_screen_done(g, t),
            Ev::Ready(g) => {
                self.drain_ready(t, Some(self.cal.last_seq()));
                self.on_ready(g, t);
            }
            Ev::Drop(g) => {
                self.drain_ready(t, Some(self.cal.last_seq()));
                self.on_drop(g, t);
            }
            Ev::Departure(o) => {
                self.drain_ready(t, Some(self.cal.last_seq()));
                self.on_departure(o as usize, t);
            }
            Ev::Arrive(_) => self.on_arrivals(ev, t),
            Ev::ArriveBatch(_) => self.on_arrivals(ev, t),
            Ev::PortDone(g) => self.on_port_done(g, t),
            Ev::PortWake(p) => {
                let ps = &mut self.ports[p as usize];
                if ps.wake_at <= t {
                    ps.wake_at = f64::INFINITY;
                }
                self.port_try_start(p as usize, t);
            }
            Ev::ScreenWake => {
                if self.screening.wake_at <= t {
                    self.screening.wake_at = f64::INFINITY;
                }
                self.screening_try_start(t);
            }
            Ev::Midnight => {
                self.dispatch_all_continuous(t);
                self.cal.schedule(t + 1.0, Ev::Midnight);
            }
            Ev::Boundary => {
                self.screening_try_start(t);
                for p in 0..self.ports.len() {
                    self.port_try_start(p, t);
                }
                self.dispatch_all_continuous(t);
            }
        }
    }

    /// Groups reach their ports at t: one group on a continuous route (`Ev::Arrive`) or a
    /// bus's groups in boarding order (`Ev::ArriveBatch`). The arrivals of an instant are held
    /// until every other event of that instant is handled (the loop then calls
    /// [`Sim::flush_arrivals`] before it moves past the instant), as docs/MODEL.md's
    /// clarification has it: groups that become ready at one instant are all dispatched before
    /// any of them arrives, even with a screening time or a travel time of 0, and a group counts
    /// as in transit until its arrival is handled. So the groups arriving at one instant all
    /// join their ports' queues before service starts at any of them, and a higher priority
    /// class among them is served first, whatever else happens at that instant.
    #[inline]
    fn on_arrivals(&mut self, ev: Ev, t: f64) {
        debug_assert!(self.arrivals.is_empty() || self.arrivals_at == t);
        self.arrivals.push(ev);
        self.arrivals_at = t;
    }

    /// The held arrivals join their ports' queues, in the order they were popped, and then
    /// each port with an arrival tries to start service (in the order its first group came).
    /// With one class this starts the same groups in the same order as trying after each
    /// arrival would (each port's queue is FIFO).
    #[inline(never)]
    fn flush_arrivals(&mut self) {
        let t = self.arrivals_at;
        self.arrivals_at = f64::INFINITY;
        let events = std::mem::take(&mut self.arrivals);
        for &ev in &events {
            match ev {
                Ev::Arrive(g) => {
                    let p = self.arrive(g, t);
                    self.arrival_port(p);
                }
                Ev::ArriveBatch(b) => {
                    let groups = std::mem::take(&mut self.batches[b as usize]);
                    for &g in &groups {
                        let p = self.arrive(g, t);
                        self.arrival_port(p);
                    }
                    self.batches[b as usize] = groups;
                    self.batches[b as usize].clear();
                    self.free_batches.push(b);
                }
                _ => unreachable!("only arrival events are held"),
            }
        }
        self.arrivals = events;
        self.arrivals.clear();
        let ports = std::mem::take(&mut self.arrival_ports);
        for &p in &ports {
            self.port_try_start(p, t);
        }
        self.arrival_ports = ports;
        self.arrival_ports.clear();
    }

    /// Port p has a group arriving at this instant: tried once the instant's arrivals are in.
    #[inline]
    fn arrival_port(&mut self, p: usize) {
        // A bus's groups go to one port: most often p is the last one listed.
        if self.arrival_ports.last() != Some(&p) && !self.arrival_ports.contains(&p) {
            self.arrival_ports.push(p);
        }
    }

    #[inline(always)]
    fn trace(&mut self, t: f64, event: &'static str, g: Option<u32>, stage: &'static str) {
        if self.opts.trace {
            self.record_trace(t, event, g, stage);
        }
    }

    #[cold]
    fn record_trace(&mut self, t: f64, event: &'static str, g: Option<u32>, stage: &'static str) {
        let e = self.trace_event(t, event, g, stage);
        self.trace.push(e);
    }

    /// The event log's line for an event of group `g` (or of none) now.
    fn trace_event(
        &self,
        t: f64,
        event: &'static str,
        g: Option<u32>,
        stage: &'static str,
    ) -> TraceEvent {
        let (size, port, origin, cohort, class) = match g {
            Some(g) => {
                let gr = &self.groups[g as usize];
                let port = matches!(
                    gr.state,
                    State::Transit | State::WaitPort | State::InPort | State::Processed
                )
                .then(|| self.scn.ports[gr.port as usize].name.clone());
                let origin = Some(self.scn.origins[gr.origin as usize].name.clone());
                let cohort = match gr.cohort {
                    INFLOW => "inflow".to_string(),
                    0 => self.scn.backlog.name.clone(),
                    c => self.scn.phases[c as usize - 1].name.clone(),
                };
                let class = self.scn.classes[gr.class as usize].name.clone();
                (Some(gr.size), port, origin, Some(cohort), Some(class))
            }
            None => (None, None, None, None, None),
        };
        TraceEvent {
            time: t,
            event,
            group: g,
            size,
            stage,
            port,
            origin,
            seats: None,
            cohort,
            class,
        }
    }

    // ---- registration and inflow -------------------------------------------------------

    /// Every cohort registration at instant t (the registration stream's next ones) joins the
    /// screening queue, then screening starts whom it can, so that a higher priority class
    /// registering at the same instant is served first. With one priority class this starts
    /// the same groups in the same order, with the same draws, as a try after each
    /// registration would: the queue is FIFO and nothing else happens in between. Each
    /// registration still counts as an event.
    fn register_burst(&mut self, t: f64) {
        if self.opts.trace {
            while let Some(g) = self.register_next_at(t) {
                self.join_screening_queue(g);
            }
        } else {
            // Untraced, the same in one pass over the stream's entries at t, which come
            // together (the stream is sorted): the position and the count moved once.
            let mut n = 0;
            for &(tr, g) in &self.registrations[self.next_reg..] {
                if tr != t {
                    break;
                }
                let gr = &mut self.groups[g as usize];
                gr.t_reg = t;
                gr.t_mark = t;
                Self::join_queue(&mut self.screening, gr, g);
                n += 1;
            }
            self.next_reg += n - 1; // `advance_registrations` moves past the last one
            self.advance_registrations();
            self.events += n as u64;
        }
        self.events -= 1; // the loop counted the first one already
        self.screening_try_start(t);
    }

    /// Every cohort registration at instant t, without screening and with priority classes:
    /// all register, then pass on (the screening stage omitted is passed at zero time) in
    /// class order, higher classes first and registration order within a class, as they
    /// would leave a screening of zero time. One by one, the first group of the instant could
    /// take a port's holding room or a bus's seats before a higher class of the same instant
    /// had registered. Each registration still counts as an event.
    #[inline(never)]
    fn register_class_burst(&mut self, t: f64) {
        let mut burst = std::mem::take(&mut self.burst);
        burst.clear();
        while let Some(g) = self.register_next_at(t) {
            burst.push(g);
        }
        self.events -= 1; // the loop counted the first one already
                          // Stable: registration order within a class.
        burst.sort_by_key(|&g| self.groups[g as usize].class);
        for &g in &burst {
            if self.groups[g as usize].counted {
                self.screening.wait.add(0.0);
            }
            self.after_screening(g, t);
        }
        self.burst = burst;
    }

    /// The registration stream's next group, when its entry is at t: registered at t (its
    /// times set, traced, counted as an event) and passed over in the stream.
    fn register_next_at(&mut self, t: f64) -> Option<u32> {
        if self.next_reg_time != t {
            return None;
        }
        let g = self.registrations[self.next_reg].1;
        self.advance_registrations();
        let gr = &mut self.groups[g as usize];
        gr.t_reg = t;
        gr.t_mark = t;
        self.trace(t, "register", Some(g), "registration");
        self.events += 1;
        Some(g)
    }

    /// Past the registration stream's next entry.
    #[inline]
    fn advance_registrations(&mut self) {
        self.next_reg += 1;
        self.next_reg_time = self
            .registrations
            .get(self.next_reg)
            .map_or(f64::INFINITY, |r| r.0);
    }

    /// Group g waits for screening (the caller then tries to start screening).
    #[inline]
    fn join_screening_queue(&mut self, g: u32) {
        Self::join_queue(&mut self.screening, &mut self.groups[g as usize], g);
    }

    /// [`Sim::join_screening_queue`] with the stage and group `gr` (whose id is g) borrowed
    /// by the caller.
    #[inline(always)]
    fn join_queue(screening: &mut ScreeningStage, gr: &mut Group, g: u32) {
        gr.state = State::WaitScreen;
        screening.waiting_people += gr.size as u64;
        screening.queue.push_back(gr.class, g);
    }

    /// Group g registers at t. Cohort drop-outs come from the pre-sorted stream; an inflow
    /// group's drop-out time `inflow_drop` goes on the calendar here.
    fn register(&mut self, g: u32, t: f64, inflow_drop: Option<f64>) {
        let gr = &mut self.groups[g as usize];
        gr.t_reg = t;
        gr.t_mark = t;
        if let Some(t_drop) = inflow_drop {
            if t_drop < self.scn.horizon {
                self.cal.schedule(t_drop, Ev::Drop(g));
            }
        }
        self.trace(t, "register", Some(g), "registration");
        if self.screening.cfg.is_some() {
            self.join_screening_queue(g);
            self.screening_try_start(t);
        } else {
            if self.groups[g as usize].counted {
                self.screening.wait.add(0.0);
            }
            self.after_screening(g, t);
        }
    }

    fn on_inflow(&mut self, t: f64) {
        let scn = self.scn;
        let (g, t_drop) = registration::inflow_group(scn, &self.pop, &mut self.rng.inflow, t);
        self.inflow_people += g.size as u64;
        let id = self.groups.len() as u32;
        self.groups.push(g);
        self.unresolved_groups += 1;
        let inf = scn.inflow.as_ref().expect("inflow event without inflow");
        let next = t + self.exp_gap(inf.rate_per_day);
        if next < inf.until && next <= scn.horizon {
            self.inflow_next = next;
            self.cal.schedule(next, Ev::Inflow);
        } else {
            self.inflow_next = f64::INFINITY;
        }
        self.register(id, t, Some(t_drop));
    }

    // ---- screening ---------------------------------------------------------------------

    fn screening_try_start(&mut self, t: f64) {
        let scn = self.scn;
        let Some(cfg) = &scn.screening else {
            return;
        };
        if t == self.screening.full_at {
            return; // nothing can start at this instant (see `full_at`)
        }
        // Time is fixed during the call: opening and capacity are decided once.
        let mut decided: Option<u64> = None;
        loop {
            // The head, past the groups that dropped out while waiting, taken off the queue
            // (and put back at its front if it cannot start: the queue is then as it was).
            let g = loop {
                let Some(g) = self.screening.queue.pop_front() else {
                    return;
                };
                if self.groups[g as usize].state == State::WaitScreen {
                    break g;
                }
            };
            let cap = match decided {
                Some(c) => c,
                None => {
                    let Some(c) = self.screening.open_capacity(t) else {
                        let class = self.groups[g as usize].class;
                        self.screening.queue.push_front(class, g);
                        self.screening.full_at = t;
                        // A wake-up pending in the future is the next opening already.
                        if self.screening.wake_at > t && self.screening.wake_at.is_finite() {
                            return;
                        }
                        if let Some(w) = cfg.schedule.next_open(t) {
                            if w < self.screening.wake_at {
                                self.screening.wake_at = w;
                                self.cal.schedule(w, Ev::ScreenWake);
                            }
                        }
                        return;
                    };
                    decided = Some(c);
                    c
                }
            };
            if self.screening.busy >= cap {
                let class = self.groups[g as usize].class;
                self.screening.queue.push_front(class, g);
                self.screening.full_at = t;
                return;
            }
            let gr = &mut self.groups[g as usize];
            gr.state = State::InScreen;
            self.screening.waiting_people -= gr.size as u64;
            if gr.counted {
                self.screening.wait.add(t - gr.t_reg);
            }
            gr.t_mark = t;
            self.screening.busy += 1;
            self.screening.inprog_start_sum += t;
            let s = cfg.service.sample(&mut self.rng.screening);
            self.cal.schedule(t + s, Ev::ScreenDone(g));
            self.trace(t, "screening_start", Some(g), "screening");
            if self.screening.busy >= cap {
                // Every server busy: nobody else starts at t, whoever waits (groups that dropped
                // out are left at the head, to be skipped by a later try, as they would be).
                self.screening.full_at = t;
                return;
            }
        }
    }

    fn on_screen_done(&mut self, g: u32, t: f64) {
        if self.groups[g as usize].state != State::InScreen {
            return; // dropped out during service; the server was released then
        }
        let start = self.groups[g as usize].t_mark;
        self.screening.release(start, t);
        self.trace(t, "screening_end", Some(g), "screening");
        self.after_screening(g, t);
        self.screening_try_start(t);
    }

    fn after_screening(&mut self, g: u32, t: f64) {
        // With a `share` below 1, whether the group needs the check is drawn first (from the
        // health stream, and only then, so that scenarios of share 1 draw as before); one that
        // does not passes at once, as through an omitted stage. Out of line: with a share of 1
        // (every scenario without the key) the check costs a comparison.
        if self.check_share < 1.0 && !self.needs_check() {
            self.become_ready(g, t);
            return;
        }
        let limit = crate::scenario::validate::MAX_HORIZON_DAYS;
        let h = match (&self.fixed_check, &self.scn.health) {
            _ if self.opts.trace => self.traced_check(g, t, limit),
            (Some(f), _) => f.duration(&mut self.rng.health, limit),
            (None, Some(h)) => health::check_duration(h, &mut self.rng.health, limit),
            (None, None) => 0.0,
        };
        if h > 0.0 {
            let gr = &mut self.groups[g as usize];
            gr.state = State::Health;
            self.transport.health_people[gr.origin as usize] += gr.size as u64;
            let t_ready = t + h;
            if let Some(q) = self
                .lazy_ready
                .as_mut()
                .and_then(|l| l.queue_for(h, t_ready))
            {
                // Its place in the calendar's order, as `schedule` would have given it.
                q.ends.push_back((t_ready, self.cal.take_seq(), g));
                q.last = t_ready;
            } else if let Some(lane) = self.health_lane_for(h) {
                // In time order within the lane, or on the heap if not: the order is exact.
                self.cal.schedule_in(lane, t_ready, Ev::Ready(g));
            } else {
                self.cal.schedule(t_ready, Ev::Ready(g));
            }
        } else {
            self.become_ready(g, t);
        }
    }

    /// Whether a group at the end of screening needs the health check, with a `share` below 1
    /// ([`health::needs_check`]).
    #[cold]
    #[inline(never)]
    fn needs_check(&mut self) -> bool {
        health::needs_check(self.check_share, &mut self.rng.health)
    }

    /// A traced replication's health check: the duration [`health::check_duration`] gives,
    /// with the same draws, and its steps for the event log: `health_start` now, and for each
    /// positive test `health_positive` at its result and `health_retest` when the isolation
    /// ends. The steps lie ahead, so they wait in `health_steps` and join the log in time order
    /// when the replication ends, less those at or after the group's drop-out or the run's end.
    #[cold]
    fn traced_check(&mut self, g: u32, t: f64, limit: f64) -> f64 {
        let Some(h) = &self.scn.health else {
            return 0.0;
        };
        let mut steps = Vec::new();
        let d = health::check_steps(h, &mut self.rng.health, limit, &mut steps);
        if d > 0.0 {
            self.record_trace(t, "health_start", Some(g), "health");
            for (offset, event) in steps {
                let e = self.trace_event(t + offset, event, Some(g), "health");
                self.health_steps.push(e);
            }
        }
        d
    }

    /// The calendar lane for health checks that take `h` \[days\], when the test time is fixed
    /// and the duration has (or can have) a lane of its own.
    fn health_lane_for(&mut self, h: f64) -> Option<Lane> {
        let cal = &mut self.cal;
        per_duration(self.health_lanes.as_mut()?, h, || cal.add_lane()).copied()
    }

    // ---- ready queues and transport ----------------------------------------------------

    /// A health check ends: the group is ready unless it dropped out meanwhile.
    #[inline]
    fn on_ready(&mut self, g: u32, t: f64) {
        let gr = &self.groups[g as usize];
        if gr.state == State::Health {
            let size = gr.size as u64;
            self.transport.health_people[gr.origin as usize] -= size;
            self.become_ready(g, t);
        }
    }

    /// Apply the waiting health-check ends that come before (t, seq) in the calendar's order
    /// (seq `None`: before every calendar event at t, as the pre-sorted streams are), each as
    /// the event it would have been, at its own time. Until then the difference is invisible:
    /// only boarding reads the ready queues (and with no continuous route it happens at
    /// departures alone), a drop-out reads the group's state, and a day's end (whose
    /// `in_health` counts who is still in the check) drains them first.
    #[inline]
    fn drain_ready(&mut self, t: f64, seq: Option<u64>) {
        let Some(mut lazy) = self.lazy_ready.take() else {
            return;
        };
        // An end is due when it comes before (t, seq); for `None`, before (t, 0): no sequence
        // number is below 0, so before t.
        let until = (t, seq.unwrap_or(0));
        while let Some((i, (tr, s, _))) = lazy.earliest() {
            if !precedes((tr, s), until) {
                break;
            }
            // The earliest end is queue i's front: its ends come next, in their order, up to
            // the least front of the other queues (applying them touches no queue here), so
            // they are taken without looking at the others again: while they come before the
            // lesser of `until` and that front.
            let mut bound = until;
            if let Some(other) = lazy.least_front_besides(i) {
                if precedes(other, bound) {
                    bound = other;
                }
            }
            let q = &mut lazy.queues[i].1.ends;
            while let Some((tr, s, g)) = q.pop_front() {
                if !precedes((tr, s), bound) {
                    q.push_front((tr, s, g)); // not due: back where it was
                    break;
                }
                self.events += 1;
                // `on_ready`, less what cannot apply here: lazy ends are untraced and no origin
                // has a continuous route (see `lazy_ready`), so becoming ready is joining the
                // ready queue, with no boarding to try.
                let gr = &self.groups[g as usize];
                if gr.state == State::Health {
                    self.transport.health_people[gr.origin as usize] -= gr.size as u64;
                    self.join_ready(g, tr);
                }
            }
        }
        self.lazy_ready = Some(lazy);
    }

    fn become_ready(&mut self, g: u32, t: f64) {
        let o = self.join_ready(g, t);
        self.trace(t, "ready", Some(g), "transport");
        if self.transport.has_continuous[o] {
            self.board_continuous(o, t);
        }
    }

    /// Group g joins its origin's ready queue at t; returns the origin.
    #[inline(always)]
    fn join_ready(&mut self, g: u32, t: f64) -> usize {
        let gr = &mut self.groups[g as usize];
        gr.state = State::Ready;
        gr.t_mark = t;
        let o = gr.origin as usize;
        self.transport.ready[o].push_back(gr.class, g);
        self.transport.ready_people[o] += gr.size as u64;
        o
    }

    /// Boarding onto origin o's continuous routes alone (no scheduled departure now).
    fn board_continuous(&mut self, o: usize, t: f64) {
        self.board(o, t, &[], &mut [], &mut Vec::new());
    }

    fn dispatch_all_continuous(&mut self, t: f64) {
        for o in 0..self.transport.ready.len() {
            if self.transport.has_continuous[o] {
                self.board_continuous(o, t);
            }
        }
    }

    fn on_departure(&mut self, o: usize, t: f64) {
        let scn = self.scn;
        let mut sc = std::mem::take(&mut self.departure_bufs);
        // The routes departing now and the origin's next departure, from one scan of each
        // timetable: what `next_departure` (inclusive) and `next_origin_departure` give (the
        // least by `total_cmp`, the first of equals, as `min_by`). Nothing in between changes a
        // timetable; the next departure is still scheduled last, as before.
        sc.departing.clear();
        let mut next: Option<f64> = None;
        for &r in &self.transport.scheduled_of[o] {
            let (now, after) = self.transport.departs_at_and_next(&scn.routes[r], t);
            if now {
                sc.departing.push(r);
            }
            if let Some(a) = after {
                next = match next {
                    Some(n) if n.total_cmp(&a) != std::cmp::Ordering::Greater => Some(n),
                    _ => Some(a),
                };
            }
        }
        sc.seats.clear();
        sc.seats.extend(
            sc.departing
                .iter()
                .map(|&r| self.transport.seats(&scn.routes[r], r, t)),
        );
        sc.offered.clear();
        sc.offered.extend_from_slice(&sc.seats);
        sc.boarded.clear();
        self.board(o, t, &sc.departing, &mut sc.seats, &mut sc.boarded);
        // One travel time per departure, shared by everyone on that bus; groups join the port
        // queue in boarding order.
        sc.travel.clear();
        sc.travel.extend(
            sc.departing
                .iter()
                .map(|&r| scn.routes[r].travel.sample(&mut self.rng.travel)),
        );
        for (i, &r) in sc.departing.iter().enumerate() {
            if scn.routes[r].seats.is_some() {
                self.transport.seats_offered += sc.offered[i];
                self.transport.seats_filled += sc.offered[i] - sc.seats[i];
            }
        }
        // One arrival event per departure: its groups join the port queue in boarding order.
        for (k, tr) in sc.travel.iter().enumerate() {
            let batch = match self.free_batches.pop() {
                Some(b) => b,
                None => {
                    self.batches.push(Vec::new());
                    (self.batches.len() - 1) as u32
                }
            };
            let groups = &mut self.batches[batch as usize];
            groups.extend(
                sc.boarded
                    .iter()
                    .filter(|(_, kk)| *kk == k)
                    .map(|(g, _)| *g),
            );
            if groups.is_empty() {
                self.free_batches.push(batch);
                continue;
            }
            self.cal.schedule(t + tr, Ev::ArriveBatch(batch));
        }
        if self.opts.trace {
            self.trace_departures(o, t, &sc);
        }
        self.departure_bufs = sc;
        if let Some(next) = next {
            self.cal.schedule(next, Ev::Departure(o as u16));
        }
    }

    /// One `departure` line per bus leaving origin o at t: the people it carries (its groups'
    /// `board` lines precede it), its port and, on a route with a seat limit, the seats it
    /// offered.
    #[cold]
    fn trace_departures(&mut self, o: usize, t: f64, sc: &DepartureBufs) {
        let scn = self.scn;
        for (k, &r) in sc.departing.iter().enumerate() {
            let people: u64 = sc
                .boarded
                .iter()
                .filter(|(_, kk)| *kk == k)
                .map(|(g, _)| self.groups[*g as usize].size as u64)
                .sum();
            let route = &scn.routes[r];
            self.trace.push(TraceEvent {
                time: t,
                event: "departure",
                group: None,
                size: Some(people.min(u32::MAX as u64) as u32),
                stage: "transport",
                port: Some(scn.ports[route.port].name.clone()),
                origin: Some(scn.origins[o].name.clone()),
                seats: route.seats.map(|_| sc.offered[k]),
                cohort: None,
                class: None,
            });
        }
    }

    /// First-fit boarding from origin o's ready queue at time t onto the departing scheduled
    /// routes (with `seats` left each) and the origin's continuous routes. Returns the groups
    /// boarded onto scheduled routes with the index of their route in `departing`; groups on
    /// continuous routes get their own travel draw and arrival event here.
    fn board(
        &mut self,
        o: usize,
        t: f64,
        departing: &[usize],
        seats: &mut [u64],
        boarded: &mut Vec<(u32, usize)>,
    ) {
        let scn = self.scn;
        if self.transport.ready[o].is_empty() {
            return;
        }
        let d = day_of(t);
        // Candidate routes (listing order): continuous ones, and scheduled ones departing now.
        // Each is (route, index in `departing`, port).
        let BoardBufs {
            mut cand,
            mut port_room,
            mut skipped,
        } = std::mem::take(&mut self.board_bufs);
        cand.clear();
        skipped.clear();
        if port_room.len() != scn.ports.len() {
            port_room.resize(scn.ports.len(), 0);
        }
        for &r in &self.transport.routes_of[o] {
            let route = &scn.routes[r];
            match route.departures {
                // A continuous route closed by a disruption (factor 0) takes nobody until it
                // ends (a disruption boundary reconsiders the waiting groups).
                Departures::Continuous if self.transport.closed(r, t) => {}
                Departures::Continuous => cand.push((r, None, route.port)),
                Departures::Scheduled(_) => {
                    if let Some(k) = departing.iter().position(|x| *x == r) {
                        cand.push((r, Some(k), route.port));
                    }
                }
            }
        }
        // Port room (holding room and unreserved quota) is computed once, indexed by port:
        // during boarding only boarding itself changes it. (A list searched by port, and built
        // with a search per candidate, had made boarding quadratic in an origin's routes.)
        for &(_, _, p) in &cand {
            port_room[p] = self.ports[p].room(&scn.ports[p], scn.policy, d, t);
        }
        let room_of = |c: &Candidate, seats: &[u64], pr: &[u64]| {
            let seat = c.1.map_or(UNLIMITED, |k| seats[k]);
            seat.min(pr[c.2])
        };
        if let [only] = cand[..] {
            // One candidate route (one route from the origin, say): the same first fit, with
            // nothing to choose between.
            loop {
                let room = room_of(&only, seats, &port_room);
                if room < self.min_size {
                    break;
                }
                let Some(g) = self.transport.ready[o].pop_front() else {
                    break;
                };
                let gr = &self.groups[g as usize];
                if gr.state != State::Ready {
                    continue; // dropped out while waiting
                }
                if room < gr.size as u64 {
                    skipped.push(g);
                    continue;
                }
                self.board_one(g, o, t, d, only, seats, boarded, &mut port_room);
            }
        } else {
            // Seats and port room only shrink while the queue boards: a candidate without room
            // for the smallest group stays so, and the scans start at the first that has it
            // (under "first" the scan stops at the first fit, so boarding is linear in the
            // routes, not quadratic).
            let mut open = 0;
            loop {
                while open < cand.len() && room_of(&cand[open], seats, &port_room) < self.min_size {
                    open += 1;
                }
                if open == cand.len() {
                    break;
                }
                let Some(g) = self.transport.ready[o].pop_front() else {
                    break;
                };
                if self.groups[g as usize].state != State::Ready {
                    continue; // dropped out while waiting
                }
                let size = self.groups[g as usize].size as u64;
                // First fit: the first candidate (or the least loaded port) that can take it now.
                let mut choice: Option<(Candidate, u64)> = None;
                for c in &cand[open..] {
                    if room_of(c, seats, &port_room) < size {
                        continue;
                    }
                    let load = self.ports[c.2].waiting_people + self.ports[c.2].transit_people;
                    match (scn.choose_port, &choice) {
                        (_, None) => choice = Some((*c, load)),
                        (ChoosePort::ShortestQueue, Some((_, best))) if load < *best => {
                            choice = Some((*c, load))
                        }
                        _ => {}
                    }
                    if scn.choose_port == ChoosePort::First {
                        break;
                    }
                }
                let Some((c, _)) = choice else {
                    skipped.push(g);
                    continue;
                };
                self.board_one(g, o, t, d, c, seats, boarded, &mut port_room);
            }
        }
        for &g in skipped.iter().rev() {
            let class = self.groups[g as usize].class;
            self.transport.ready[o].push_front(class, g);
        }
        self.board_bufs = BoardBufs {
            cand,
            port_room,
            skipped,
        };
    }

    /// Group g (ready at origin o) boards candidate route `c` at time t of day d: the seat,
    /// the port's holding room and quota and the measurements follow.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn board_one(
        &mut self,
        g: u32,
        o: usize,
        t: f64,
        d: i64,
        (r, k, p): Candidate,
        seats: &mut [u64],
        boarded: &mut Vec<(u32, usize)>,
        port_room: &mut [u64],
    ) {
        let scn = self.scn;
        let gr = &mut self.groups[g as usize];
        let size = gr.size as u64;
        gr.state = State::Transit;
        gr.port = p as u16;
        if gr.counted {
            self.transport.wait.add(t - gr.t_mark);
        }
        self.transport.ready_people[o] -= size;
        self.transport.boarded_today[o] += size;
        self.ports[p].transit_people += size;
        if scn.policy == Policy::Appointment {
            self.ports[p].reserve(d, size);
        }
        if port_room[p] != UNLIMITED {
            port_room[p] -= size;
        }
        self.trace(t, "board", Some(g), "transport");
        match k {
            Some(k) => {
                seats[k] -= size;
                boarded.push((g, k));
            }
            None => {
                let travel = scn.routes[r].travel.sample(&mut self.rng.travel);
                self.cal.schedule(t + travel, Ev::Arrive(g));
            }
        }
    }

    // ---- ports -------------------------------------------------------------------------

    /// A group joins its port's queue; returns the port (the caller starts service).
    #[inline(always)]
    fn arrive(&mut self, g: u32, t: f64) -> usize {
        let gr = &mut self.groups[g as usize];
        let p = gr.port as usize;
        let size = gr.size as u64;
        gr.state = State::WaitPort;
        gr.t_mark = t;
        let ps = &mut self.ports[p];
        ps.transit_people -= size;
        ps.waiting_people += size;
        ps.queue.push_back(gr.class, g);
        self.trace(t, "arrive", Some(g), "port");
        p
    }

    fn wake_port(&mut self, p: usize, w: Option<f64>) {
        if let Some(w) = w {
            if w < self.ports[p].wake_at {
                self.ports[p].wake_at = w;
                self.cal.schedule(w, Ev::PortWake(p as u16));
            }
        }
    }

    fn port_try_start(&mut self, p: usize, t: f64) {
        let scn = self.scn;
        let port = &scn.ports[p];
        if self.ports[p].queue.is_empty() {
            return;
        }
        if t < port.opens {
            self.wake_port(p, port.schedule.next_open(port.opens));
            return;
        }
        let fifo = scn.policy == Policy::Fifo;
        // Time is fixed during the call: servers and quota are decided once.
        let Some((servers, d, q)) = self.ports[p].open_limits(port, fifo, t) else {
            // A pending wake-up comes no later than the next opening (a quota's retry is at
            // the next opening too, `next_opening_after_quota`).
            let w = self.ports[p].wake_at;
            if !(w > t && w.is_finite()) {
                self.wake_port(p, port.schedule.next_open(t));
            }
            return;
        };
        let mut started = false;
        loop {
            // The port's state and the head's group, each looked up once a start.
            let ps = &mut self.ports[p];
            if ps.busy >= servers {
                break; // a completion or a disruption boundary will call again
            }
            // The head, taken off the queue (and put back at its front if it cannot start).
            let Some(g) = ps.queue.pop_front() else {
                break;
            };
            let gr = &mut self.groups[g as usize];
            let size = gr.size as u64;
            if fifo && ps.used_on(d) + size > q {
                ps.queue.push_front(gr.class, g);
                // Strict FIFO: the head does not fit today's quota, so nobody else starts in
                // this opening; try again at the next one (still today's with hours that wrap
                // past midnight, where a higher class or a raised quota may start).
                self.wake_port(p, port.schedule.next_opening_after_quota(d, t));
                break;
            }
            ps.use_quota(d, size);
            ps.waiting_people -= size;
            ps.busy += 1;
            ps.inprog_start_sum += t;
            gr.state = State::InPort;
            if gr.counted {
                ps.wait.add(t - gr.t_mark);
            }
            gr.t_mark = t;
            let s = port.service.sample(&mut self.rng.port);
            self.cal.schedule(t + s, Ev::PortDone(g));
            self.trace(t, "port_start", Some(g), "port");
            started = true;
        }
        if started && port.holding.is_some() {
            for i in 0..self.board_after_start[p].len() {
                self.board_continuous(self.board_after_start[p][i], t);
            }
        }
    }

    fn on_port_done(&mut self, g: u32, t: f64) {
        let gr = &self.groups[g as usize];
        let p = gr.port as usize;
        let (start, size) = (gr.t_mark, gr.size as u64);
        let ps = &mut self.ports[p];
        ps.release(start, t);
        ps.processed += size;
        ps.processed_today += size;
        self.resolve(g, t, State::Processed);
        self.trace(t, "processed", Some(g), "port");
        self.port_try_start(p, t);
    }

    // ---- attrition and resolution ------------------------------------------------------

    fn on_drop(&mut self, g: u32, t: f64) {
        let gr = &self.groups[g as usize];
        let size = gr.size as u64;
        match gr.state {
            State::WaitScreen => self.screening.waiting_people -= size,
            State::InScreen => {
                let start = gr.t_mark;
                self.screening.release(start, t);
            }
            State::Health => self.transport.health_people[gr.origin as usize] -= size,
            State::Ready => self.transport.ready_people[gr.origin as usize] -= size,
            _ => return, // boarded or resolved: attrition no longer applies
        }
        let was_screening = gr.state == State::InScreen;
        self.resolve(g, t, State::Dropped);
        self.trace(t, "drop", Some(g), "attrition");
        if was_screening {
            self.screening_try_start(t);
        }
    }

    fn resolve(&mut self, g: u32, t: f64, how: State) {
        let gr = &mut self.groups[g as usize];
        gr.state = how;
        let size = gr.size as u64;
        self.unresolved_groups -= 1;
        if how == State::Processed {
            self.processed_all += size;
        }
        if !gr.is_cohort() {
            if how == State::Processed {
                self.inflow_processed += size;
            }
            return;
        }
        self.cohort_unresolved -= size;
        self.last_cohort_resolution = t;
        let c = gr.class as usize;
        let class = &mut self.classes[c];
        class.unresolved -= size;
        class.last = t;
        match how {
            State::Processed => {
                self.processed_cohort += size;
                class.processed += size;
                class.time.add(t - gr.t_reg);
                if self.processed_cohort >= self.next_mark_at {
                    self.reach_marks(t);
                }
            }
            State::Dropped => self.dropped += size,
            State::Unreached => self.unreached += size,
            _ => {}
        }
    }

    /// The cohort's people processed reach the next milestone at t (and perhaps more).
    /// Out of line: three times a replication.
    #[cold]
    #[inline(never)]
    fn reach_marks(&mut self, t: f64) {
        // Milestones are reached in order: check only the next one.
        while self.processed_cohort >= self.next_mark_at {
            self.t_marks[self.next_mark] = Some(t);
            self.next_mark += 1;
            self.next_mark_at = mark_threshold(self.next_mark, self.cohort_total);
        }
    }

    // ---- daily series ------------------------------------------------------------------

    fn snapshot(&mut self) {
        let n_ports = self.ports.len();
        let ready: u64 = self.transport.ready_people.iter().sum();
        let health: u64 = self.transport.health_people.iter().sum();
        let transit: u64 = self.ports.iter().map(|p| p.transit_people).sum();
        let at_port: u64 = self.ports.iter().map(|p| p.waiting_people).sum();
        let c = |x: u64| x.min(u32::MAX as u64) as u32;
        self.daily.extend_from_slice(&[
            c(self.cohort_unresolved),
            c(self.processed_all),
            c(self.screening.waiting_people),
            c(ready + health),
            c(transit),
            c(at_port),
            c(health),
        ]);
        for p in 0..n_ports {
            let v = c(self.ports[p].processed_today);
            self.daily.push(v);
            self.ports[p].processed_today = 0;
        }
        for p in 0..n_ports {
            let v = c(self.ports[p].waiting_people);
            self.daily.push(v);
        }
        for o in 0..self.transport.ready_people.len() {
            let v = c(self.transport.ready_people[o] + self.transport.health_people[o]);
            self.daily.push(v);
        }
        for o in 0..self.transport.health_people.len() {
            let v = c(self.transport.health_people[o]);
            self.daily.push(v);
        }
        for o in 0..self.transport.boarded_today.len() {
            let v = c(self.transport.boarded_today[o]);
            self.daily.push(v);
            self.transport.boarded_today[o] = 0;
        }
    }

    /// The row of the day a run stopped at the midnight that starts it, kept only when it
    /// differs from the previous day's row carried forward (the flows, `processed_today` and
    /// `boarded_today`, 0; the states as they were): that is, when an event at the stop changed
    /// a figure. Without a previous row nothing is kept.
    fn snapshot_if_changed(&mut self) {
        let n = self.n_series;
        let before = self.daily.len();
        self.snapshot();
        let (n_ports, n_origins) = (self.ports.len(), self.transport.boarded_today.len());
        let fixed = super::FIXED_SERIES.len();
        let is_flow = |i: usize| (fixed..fixed + n_ports).contains(&i) || i >= n - n_origins;
        let unchanged = before >= n && {
            let (prev, row) = self.daily[before - n..].split_at(n);
            (0..n).all(|i| row[i] == if is_flow(i) { 0 } else { prev[i] })
        };
        if before < n || unchanged {
            self.daily.truncate(before);
        }
    }

    /// Record every day that ended at or before t (the state before events at t): each day d
    /// with `day_of(t) > d`. One comparison an event; the days' ends out of line.
    #[inline(always)]
    fn record_days_until(&mut self, t: f64) {
        if self.next_day_end <= t {
            self.record_days(t);
        }
    }

    /// [`Self::record_days_until`]'s work, once a day has ended.
    #[inline(never)]
    fn record_days(&mut self, t: f64) {
        while self.next_day_end <= t {
            // Health-check ends waiting outside the loop that fall before the day's end are
            // applied first: the day's `in_health` counts who is still in the check then.
            self.drain_ready(self.next_day_end, None);
            self.snapshot();
            self.next_day += 1;
            self.next_day_end = day_start(self.next_day + 1);
        }
    }

    // ---- results -----------------------------------------------------------------------

    fn finish(mut self, index: u32, end: f64) -> ReplicationResult {
        let scn = self.scn;
        // The day containing the end (`next_day`, which is `day_of(end)`: the days before it
        // are recorded): its final state. A run stopped at a horizon, or at the inflow's end,
        // that falls on midnight (or within `day_of`'s round-off short of it) has no part of the
        // day that starts there but its midnight: that day gets a row only when an event at the
        // stop changed a figure (a service ending at the horizon is processed on that day,
        // whose `processed_today` counts it), so that every event's change is in some row.
        let at_inflow_end = self.inflow_end > 0.0 && end == self.inflow_end;
        let stopped = end >= scn.horizon || at_inflow_end;
        if !(stopped && end <= self.next_day as f64) {
            self.snapshot();
        } else {
            self.snapshot_if_changed();
        }
        if !self.health_steps.is_empty() {
            let steps = std::mem::take(&mut self.health_steps);
            self.trace = with_health_steps(std::mem::take(&mut self.trace), steps, end);
        }
        let censored = self.cohort_unresolved > 0;
        let clearance = if censored {
            scn.horizon
        } else {
            self.last_cohort_resolution
        };
        let mut ports = Vec::with_capacity(scn.ports.len());
        let (mut busy_all, mut offered_all) = (0.0, 0.0);
        let mut port_wait = super::WaitAcc::default();
        for (p, ps) in self.ports.iter().enumerate() {
            let (busy, offered) = ps.server_time(&scn.ports[p], end);
            if let Some(o) = offered {
                busy_all += busy;
                offered_all += o;
            }
            port_wait.sum += ps.wait.sum;
            port_wait.n += ps.wait.n;
            ports.push(PortMetrics {
                processed: ps.processed,
                wait_days: ps.wait.mean(),
                utilization: offered.and_then(|o| (o > 0.0).then(|| busy / o)),
                waits_counted: ps.wait.n,
                busy_server_days: busy,
                offered_server_days: offered,
            });
        }
        let screening = StageMetrics {
            wait_days: self.screening.wait.mean(),
            utilization: self.screening.utilization(end),
            waits_counted: self.screening.wait.n,
        };
        let transport = StageMetrics {
            wait_days: self.transport.wait.mean(),
            utilization: (self.transport.seats_offered > 0)
                .then(|| self.transport.seats_filled as f64 / self.transport.seats_offered as f64),
            waits_counted: self.transport.wait.n,
        };
        let port = StageMetrics {
            wait_days: port_wait.mean(),
            utilization: (offered_all > 0.0).then(|| busy_all / offered_all),
            waits_counted: port_wait.n,
        };
        ReplicationResult {
            index,
            seed: rng::replication_seed(scn.seed, index as u64),
            people_total: self.cohort_total,
            processed: self.processed_cohort,
            dropped: self.dropped,
            unreached: self.unreached,
            in_system: self.cohort_unresolved,
            inflow: self.inflow_people,
            inflow_processed: self.inflow_processed,
            clearance_days: clearance,
            censored,
            t50_days: self.t_marks[0],
            t90_days: self.t_marks[1],
            t99_days: self.t_marks[2],
            screening,
            transport,
            port,
            ports,
            classes: (0..self.class_people.len())
                .map(|c| ClassMetrics {
                    people: self.class_people[c],
                    processed: self.classes[c].processed,
                    clearance_days: if self.classes[c].unresolved > 0 {
                        scn.horizon
                    } else {
                        self.classes[c].last
                    },
                    days_to_processed: self.classes[c].time.mean(),
                })
                .collect(),
            seats_offered: self.transport.seats_offered,
            seats_filled: self.transport.seats_filled,
            end_days: end,
            events: self.events,
            daily: Daily {
                n_series: self.n_series,
                values: self.daily,
            },
            trace: self.trace,
        }
    }
}

/// A traced run's log with its health-check steps put in, in time order after the log's own
/// events of the same time (whose order is kept): each step before its group's drop-out (the
/// log's `drop`) and not after the run's `end`.
fn with_health_steps(
    log: Vec<TraceEvent>,
    mut steps: Vec<TraceEvent>,
    end: f64,
) -> Vec<TraceEvent> {
    let dropped: std::collections::HashMap<u32, f64> = log
        .iter()
        .filter(|e| e.event == "drop")
        .filter_map(|e| Some((e.group?, e.time)))
        .collect();
    steps.retain(|e| {
        let before_drop = match e.group.and_then(|g| dropped.get(&g)) {
            Some(&t_drop) => e.time < t_drop,
            None => true,
        };
        before_drop && e.time <= end
    });
    steps.sort_by(|a, b| a.time.total_cmp(&b.time));
    let mut out = Vec::with_capacity(log.len() + steps.len());
    let mut steps = steps.into_iter().peekable();
    for e in log {
        while steps.peek().is_some_and(|s| s.time < e.time) {
            out.extend(steps.next());
        }
        out.push(e);
    }
    out.extend(steps);
    out
}

/// The lesser of two times neither of which is NaN (`f64::min` less its NaN handling).
#[inline(always)]
fn least(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}
