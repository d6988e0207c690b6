//! Property tests over RANDOM VALID scenarios (TOML text generated from proptest strategies:
//! 1–3 origins and ports, quotas with ramps, servers, hours, weekdays, holding limits, scheduled
//! and continuous routes with seats, appointment/fifo, first/shortest_queue, attrition, health,
//! screening, disruptions, phases, inflow, group sizes 1–4), checked on the event trace of one
//! replication (`SimOptions { trace: true }`) and on whole runs:
//! - people are conserved and every group's life is one ordered path ending at most once;
//! - port quotas (fifo: service starts per day; appointment: boardings per boarding day),
//!   departure seats (× disruption factor) and holding limits are never exceeded;
//! - FIFO holds exactly as the model defines it per queue (screening, ready first-fit, port);
//! - results are identical for 1 and 2 threads;
//! - under common random numbers, +50% quota at every port never makes mean clearance later
//!   beyond the tolerance justified at `more_quota_never_clears_later`.
//!
//! Cases per property: 256 (override with PROPTEST_CASES for longer local runs). The case
//! generator's seed is fixed, so a run of the suite (and of CI) is reproducible; set
//! PROPTEST_RNG_SEED=<u64> to explore other scenarios.

use clearance::experiment::{self, RunOptions};
use clearance::model::capacity::{self, Factor};
use clearance::model::{simulate, ReplicationResult, SimOptions, TraceEvent};
use clearance::scenario::{load_str, Departures, Policy, Scenario};
use proptest::prelude::*;
use std::collections::HashMap;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256)
}

/// Seed of the case generator: fixed (reproducible runs) unless PROPTEST_RNG_SEED is set (CI's
/// longer run sets another, so that its cases are not the suite's again). The failures saved in
/// `properties.proptest-regressions` are replayed first either way.
const DEFAULT_RNG_SEED: u64 = 20_210_219;

fn config() -> ProptestConfig {
    let base = ProptestConfig::default();
    let rng_seed = match std::env::var("PROPTEST_RNG_SEED") {
        Ok(_) => base.rng_seed,
        Err(_) => proptest::test_runner::RngSeed::Fixed(DEFAULT_RNG_SEED),
    };
    ProptestConfig {
        cases: cases(),
        max_shrink_iters: 2000,
        rng_seed,
        ..base
    }
}

// ---- random valid scenarios ------------------------------------------------------------

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A `days = [...]` line for a weekday mask (never empty), or nothing for "every day".
fn days_line(mask: Option<u8>) -> String {
    match mask {
        None => String::new(),
        Some(m) => {
            let m = if m & 0x7f == 0 { 1 } else { m & 0x7f };
            let v: Vec<String> = (0..7)
                .filter(|i| m & (1 << i) != 0)
                .map(|i| format!("\"{}\"", WEEKDAYS[i]))
                .collect();
            format!("days = [{}]\n", v.join(", "))
        }
    }
}

fn hours_line(h: Option<(u8, u8)>) -> String {
    match h {
        // open < close, or wrapping past midnight; never equal (equal = never open)
        Some((o, c)) if o != c => format!("hours = [\"{o:02}:00\", \"{c:02}:00\"]\n"),
        _ => String::new(),
    }
}

fn dur_dist(kind: u8, mean_min: u32) -> String {
    let m = mean_min.max(1);
    match kind % 4 {
        0 => format!("\"{m}min\""),
        1 => format!("{{ dist = \"exponential\", mean = \"{m}min\" }}"),
        2 => format!(
            "{{ dist = \"triangular\", min = \"{}min\", mode = \"{m}min\", max = \"{}min\" }}",
            m / 2,
            m * 2
        ),
        _ => format!(
            "{{ dist = \"lognormal\", mean = \"{m}min\", sd = \"{}min\" }}",
            m / 3 + 1
        ),
    }
}

#[derive(Debug, Clone)]
struct PortGen {
    opens: u8,
    quota: Option<u16>,
    ramp: Option<(u16, u8)>,
    servers: Option<u8>,
    service: (u8, u32),
    hours: Option<(u8, u8)>,
    days: Option<u8>,
    holding: Option<u16>,
}

#[derive(Debug, Clone)]
struct RouteGen {
    /// Port mask for this origin's routes (never empty after normalising).
    ports: u8,
    scheduled: bool,
    departures: Vec<u8>,
    seats: Option<u8>,
    travel: (u8, u32),
    days: Option<u8>,
}

/// Screening: servers, service (kind, mean minutes), hours, weekday mask.
type ScreeningGen = (u8, (u8, u32), Option<(u8, u8)>, Option<u8>);

#[derive(Debug, Clone)]
struct DisruptionGen {
    target: u8,
    index: u8,
    from: u8,
    len: u8,
    half: bool,
}

#[derive(Debug, Clone)]
struct Gen {
    seed: u64,
    people: u16,
    group: u8,
    n_origins: usize,
    weights: Vec<u8>,
    delay: Option<u8>,
    never: bool,
    screening: Option<ScreeningGen>,
    health: Option<(u8, u8)>,
    attrition: Option<u8>,
    appointment: bool,
    shortest: bool,
    routes: Vec<RouteGen>,
    ports: Vec<PortGen>,
    phases: Vec<(u8, u8)>,
    inflow: Option<u8>,
    disruptions: Vec<DisruptionGen>,
    horizon: u16,
}

fn port_gen() -> impl Strategy<Value = PortGen> {
    (
        (
            0u8..4,
            prop::option::of(5u16..120),
            prop::option::of((1u16..60, 1u8..12)),
        ),
        (
            prop::option::weighted(0.7, 1u8..5),
            (0u8..4, 5u32..120),
            prop::option::of((0u8..24, 0u8..24)),
            prop::option::weighted(0.3, any::<u8>()),
            prop::option::weighted(0.4, 8u16..120),
        ),
    )
        .prop_map(
            |((opens, quota, ramp), (servers, service, hours, days, holding))| PortGen {
                opens,
                quota,
                ramp,
                servers,
                service,
                hours,
                days,
                holding,
            },
        )
}

fn route_gen() -> impl Strategy<Value = RouteGen> {
    (
        1u8..8,
        any::<bool>(),
        prop::collection::vec(1u8..24, 1..3),
        prop::option::weighted(0.8, 4u8..60),
        (0u8..4, 10u32..600),
        prop::option::weighted(0.3, any::<u8>()),
    )
        .prop_map(
            |(ports, scheduled, departures, seats, travel, days)| RouteGen {
                ports,
                scheduled,
                departures,
                seats,
                travel,
                days,
            },
        )
}

fn gen() -> impl Strategy<Value = Gen> {
    (
        (
            0u64..(1 << 40),
            40u16..300,
            0u8..6,
            1usize..4,
            prop::collection::vec(1u8..6, 3),
            prop::option::of(0u8..10),
            any::<bool>(),
        ),
        (
            prop::option::of((
                1u8..5,
                (0u8..4, 10u32..240),
                prop::option::of((0u8..24, 0u8..24)),
                prop::option::weighted(0.3, any::<u8>()),
            )),
            prop::option::of((0u8..3, 0u8..30)),
            prop::option::of(1u8..30),
            any::<bool>(),
            any::<bool>(),
        ),
        (
            prop::collection::vec(route_gen(), 3),
            prop::collection::vec(port_gen(), 1..4),
            prop::collection::vec((5u8..80, 1u8..40), 0..3),
            prop::option::weighted(0.2, 1u8..30),
            prop::collection::vec(
                (0u8..3, 0u8..3, 0u8..60, 1u8..15, any::<bool>()).prop_map(
                    |(target, index, from, len, half)| DisruptionGen {
                        target,
                        index,
                        from,
                        len,
                        half,
                    },
                ),
                0..3,
            ),
            60u16..240,
        ),
    )
        .prop_map(
            |(
                (seed, people, group, n_origins, weights, delay, never),
                (screening, health, attrition, appointment, shortest),
                (routes, ports, phases, inflow, disruptions, horizon),
            )| Gen {
                seed,
                people,
                group,
                n_origins,
                weights,
                delay,
                never,
                screening,
                health,
                attrition,
                appointment,
                shortest,
                routes,
                ports,
                phases,
                inflow,
                disruptions,
                horizon,
            },
        )
}

/// Route names in the order they are written: (origin, port) pairs, at most one per pair.
fn route_pairs(g: &Gen) -> Vec<(usize, usize)> {
    let np = g.ports.len();
    let mut v = Vec::new();
    for o in 0..g.n_origins {
        let mut mask = g.routes[o].ports & ((1 << np) - 1);
        if mask == 0 {
            mask = 1 << (o % np);
        }
        for p in 0..np {
            if mask & (1 << p) != 0 {
                v.push((o, p));
            }
        }
    }
    v
}

fn toml_of(g: &Gen) -> String {
    let mut s = String::new();
    s += &format!(
        "[scenario]\nname = \"prop\"\nstart_date = \"2021-02-19\"\nhorizon = \"{}d\"\nseed = {}\nreplications = 1\n\n",
        g.horizon, g.seed
    );
    let group = match g.group {
        0..=3 => format!("{}", g.group + 1),
        4 => {
            "{ dist = \"empirical\", values = [1, 2, 3, 4], weights = [0.4, 0.3, 0.2, 0.1] }".into()
        }
        _ => "{ dist = \"empirical\", values = [1, 3], weights = [0.5, 0.5] }".into(),
    };
    s += &format!("[backlog]\npeople = {}\ngroup_size = {group}\n\n", g.people);
    let total: u32 = g.weights[..g.n_origins].iter().map(|w| *w as u32).sum();
    for o in 0..g.n_origins {
        s += &format!(
            "[[origin]]\nname = \"O{o}\"\nshare = {}\n\n",
            g.weights[o] as f64 / total as f64
        );
    }
    s += "[registration]\n";
    match g.delay {
        None => s += "delay = \"0d\"\n",
        Some(m) => {
            s += &format!(
                "delay = {{ dist = \"exponential\", mean = \"{}d\" }}\n",
                m + 1
            )
        }
    }
    if g.never {
        s += "never = 0.05\n";
    }
    s += "\n";
    if let Some((servers, service, hours, days)) = &g.screening {
        s += &format!(
            "[screening]\nservers = {servers}\nservice = {}\n{}{}\n",
            dur_dist(service.0, service.1),
            hours_line(*hours),
            days_line(*days)
        );
    }
    if let Some((kind, pos)) = g.health {
        let turnaround = if kind == 0 {
            "\"1d\"".to_string()
        } else {
            "{ dist = \"uniform\", min = \"12h\", max = \"2d\" }".to_string()
        };
        s += &format!(
            "[health]\nturnaround = {turnaround}\npositive = {}\nisolation = \"5d\"\n",
            pos as f64 / 100.0
        );
        // About a quarter of the checks are for some groups only (`share`).
        if pos % 4 == 1 {
            s += "share = 0.5\n";
        }
        s += "\n";
    }
    if let Some(h) = g.attrition {
        s += &format!("[attrition]\nhazard_per_day = {}\n\n", h as f64 / 1000.0);
    }
    s += &format!(
        "[dispatch]\npolicy = \"{}\"\nchoose_port = \"{}\"\n\n",
        if g.appointment { "appointment" } else { "fifo" },
        if g.shortest {
            "shortest_queue"
        } else {
            "first"
        }
    );
    for (o, p) in route_pairs(g) {
        let r = &g.routes[(o + p) % 3];
        s += &format!("[[route]]\nfrom = \"O{o}\"\nto = \"P{p}\"\n");
        if r.scheduled {
            let mut deps: Vec<u8> = r.departures.clone();
            deps.sort();
            deps.dedup();
            let deps: Vec<String> = deps
                .iter()
                .map(|h| format!("\"{h:02}:{:02}\"", (7 * o + 13 * p) % 60))
                .collect();
            s += &format!("departures = [{}]\n", deps.join(", "));
            if let Some(seats) = r.seats {
                s += &format!("seats = {seats}\n");
            }
            s += &days_line(r.days);
        } else {
            s += "departures = \"continuous\"\n";
        }
        s += &format!("travel = {}\n\n", dur_dist(r.travel.0, r.travel.1));
    }
    for (i, p) in g.ports.iter().enumerate() {
        s += &format!("[[port]]\nname = \"P{i}\"\nopens = \"{}d\"\n", p.opens);
        if let Some(q) = p.quota {
            s += &format!("quota_per_day = {q}\n");
            if let Some((from, over)) = p.ramp {
                s += &format!("ramp = {{ from = {}, over = \"{over}d\" }}\n", from.min(q));
            }
        }
        if let Some(c) = p.servers {
            s += &format!("servers = {c}\n");
        }
        s += &format!("service = {}\n", dur_dist(p.service.0, p.service.1));
        s += &hours_line(p.hours);
        s += &days_line(p.days);
        if let Some(h) = p.holding {
            s += &format!("holding = {h}\n");
        }
        s += "\n";
    }
    for (k, (people, opens)) in g.phases.iter().enumerate() {
        s += &format!("[[phase]]\nname = \"ph{k}\"\npeople = {people}\nopens = \"{opens}d\"\n\n");
    }
    if let Some(rate) = g.inflow {
        s += &format!(
            "[inflow]\nrate_per_day = {}\nuntil = \"30d\"\n\n",
            rate as f64 / 10.0
        );
    }
    let pairs = route_pairs(g);
    for d in &g.disruptions {
        let cap = if d.half { 0.5 } else { 0.0 };
        let target = match d.target {
            0 => format!("ports = [\"P{}\"]", d.index as usize % g.ports.len()),
            1 => {
                let (o, p) = pairs[d.index as usize % pairs.len()];
                format!("routes = [\"O{o}->P{p}\"]")
            }
            _ if g.screening.is_some() => "stage = \"screening\"".into(),
            _ => format!("ports = [\"P{}\"]", d.index as usize % g.ports.len()),
        };
        s += &format!(
            "[[disruption]]\n{target}\nfrom = \"{}d\"\nuntil = \"{}d\"\ncapacity = {cap}\n\n",
            d.from,
            d.from as u32 + d.len as u32
        );
    }
    s
}

fn scenario(g: &Gen) -> (Scenario, String) {
    let text = toml_of(g);
    match load_str(&text, "prop.toml") {
        Ok(s) => (s, text),
        Err(e) => panic!("generated scenario is invalid: {e}\n{text}"),
    }
}

fn traced(s: &Scenario) -> ReplicationResult {
    simulate(s, 0, &SimOptions { trace: true })
}

// ---- helpers on the trace ---------------------------------------------------------------

fn port_of(s: &Scenario, e: &TraceEvent) -> usize {
    s.port_index(e.port.as_deref().expect("event without port"))
        .expect("unknown port")
}

fn origin_of(s: &Scenario, e: &TraceEvent) -> usize {
    let name = e.origin.as_deref().expect("event without origin");
    s.origins.iter().position(|o| o.name == name).unwrap()
}

fn day(t: f64) -> i64 {
    clearance::scenario::day_of(t)
}

fn port_factor(s: &Scenario, p: usize) -> Factor {
    Factor::new(s.disruptions.iter().filter(|d| d.ports.contains(&p)))
}

// ---- properties -------------------------------------------------------------------------

/// The stage order of a group's life; `drop` may end it anywhere before `board`.
const PATH: [&str; 8] = [
    "register",
    "screening_start",
    "screening_end",
    "ready",
    "board",
    "arrive",
    "port_start",
    "processed",
];

proptest! {
    #![proptest_config(config())]

    /// processed + dropped + unreached + in_system == total, and on the trace every group follows
    /// the stage path in order with non-decreasing times and ends at most once (processed or
    /// dropped, dropping only before boarding), its health-check steps in order between the
    /// end of screening and ready; without inflow the trace's register, processed and
    /// drop sizes reproduce the result's counts exactly.
    #[test]
    fn people_are_conserved_and_groups_end_once(g in gen()) {
        let (s, text) = scenario(&g);
        let r = traced(&s);
        prop_assert_eq!(r.processed + r.dropped + r.unreached + r.in_system, r.people_total, "{}", text);
        prop_assert_eq!(r.people_total, s.cohort_people());
        prop_assert!(r.censored || r.in_system == 0, "not censored but {} in the system", r.in_system);
        let mut life: HashMap<u32, (usize, f64, bool)> = HashMap::new();
        let mut health: HashMap<u32, u8> = HashMap::new();
        let (mut reg, mut done, mut dropped) = (0u64, 0u64, 0u64);
        let skip_screen = s.screening.is_none();
        for e in &r.trace {
            let Some(gid) = e.group else { continue };
            let size = e.size.unwrap() as u64;
            if e.event == "register" {
                prop_assert!(!life.contains_key(&gid), "group {} registers twice", gid);
                life.insert(gid, (0, e.time, false));
                reg += size;
                continue;
            }
            let st = life.get_mut(&gid).expect("event before registration");
            prop_assert!(!st.2, "group {} has an event after it ended: {:?}", gid, e);
            prop_assert!(e.time >= st.1 - 1e-12, "time goes back for group {}: {:?}", gid, e);
            st.1 = e.time;
            if e.event == "drop" {
                prop_assert!(st.0 < 4, "group {} dropped after boarding", gid);
                st.2 = true;
                dropped += size;
                continue;
            }
            if let Some(step) = e.event.strip_prefix("health_") {
                // The health check's steps, between the end of screening and ready: a start,
                // then positive results and retests in turn.
                let screened = st.0 == 2 || (skip_screen && st.0 == 0);
                prop_assert!(screened, "group {} in the health check out of order: {:?}", gid, e);
                let h = health.entry(gid).or_insert(0);
                let (from, to) = match step {
                    "start" => (0, 1),
                    "positive" => (1, 2),
                    "retest" => (2, 1),
                    _ => panic!("unknown event {e:?}"),
                };
                prop_assert_eq!(*h, from, "group {} health step out of order: {:?}", gid, e);
                *h = to;
                continue;
            }
            let k = PATH.iter().position(|x| *x == e.event).expect("unknown event");
            if e.event == "ready" {
                // Ready after a negative test: not while a positive one's isolation lasts.
                prop_assert!(health.get(&gid).copied().unwrap_or(0) != 2, "group {} ready in isolation", gid);
            }
            let expect = if skip_screen && st.0 == 0 { 3 } else { st.0 + 1 };
            prop_assert_eq!(k, expect, "group {} out of order at {:?}", gid, e);
            st.0 = k;
            if e.event == "processed" {
                st.2 = true;
                done += size;
            }
        }
        prop_assert_eq!(done, r.processed + r.inflow_processed);
        if s.inflow.is_none() {
            // groups whose registration falls after the horizon are in the system unregistered
            prop_assert!(reg <= r.people_total - r.unreached);
            prop_assert_eq!(dropped, r.dropped);
            prop_assert_eq!(r.people_total - r.unreached - done - dropped, r.in_system);
            if !r.censored {
                prop_assert_eq!(reg, r.people_total - r.unreached);
            }
        } else {
            prop_assert!(dropped >= r.dropped);
        }
    }

    /// Quotas: under fifo the people whose service starts at a port on day d, counted up to and
    /// including each start at t, never exceed q(d) with the disruption factor in force at t;
    /// under appointment the same holds for boardings toward the port on the boarding day.
    /// Seats: people boarding one scheduled departure (same instant, origin and port; the
    /// generator writes at most one route per origin and port) never exceed
    /// floor(seats × factor). Holding: after every boarding, the people waiting at the port plus
    /// in transit to it never exceed its holding limit.
    #[test]
    fn quotas_seats_and_holding_are_never_exceeded(g in gen()) {
        let (s, text) = scenario(&g);
        let r = traced(&s);
        let n = s.ports.len();
        let factors: Vec<Factor> = (0..n).map(|p| port_factor(&s, p)).collect();
        let mut per_day: HashMap<(usize, i64), u64> = HashMap::new();
        let mut bus: HashMap<(u64, usize, usize), u64> = HashMap::new();
        let (mut transit, mut waiting) = (vec![0u64; n], vec![0u64; n]);
        let counted = if s.policy == Policy::Fifo { "port_start" } else { "board" };
        for e in &r.trace {
            let Some(size) = e.size.map(|x| x as u64) else { continue };
            match e.event {
                "board" => {
                    let p = port_of(&s, e);
                    transit[p] += size;
                    if let Some(h) = s.ports[p].holding {
                        prop_assert!(waiting[p] + transit[p] <= h,
                            "holding of port {} exceeded at {}: {} > {}\n{}", p, e.time, waiting[p] + transit[p], h, text);
                    }
                    let o = origin_of(&s, e);
                    let ri = s.routes.iter().position(|x| x.origin == o && x.port == p).unwrap();
                    let route = &s.routes[ri];
                    if let (Departures::Scheduled(_), Some(seats)) = (&route.departures, route.seats) {
                        let f = Factor::new(s.disruptions.iter().filter(|d| d.routes.contains(&ri))).at(e.time);
                        let on = bus.entry((e.time.to_bits(), o, p)).or_insert(0);
                        *on += size;
                        prop_assert!(*on <= capacity::scaled(seats as f64, f),
                            "departure of {} at {} carries {} > {} × {}\n{}", route.name, e.time, on, seats, f, text);
                    }
                }
                "arrive" => {
                    let p = port_of(&s, e);
                    transit[p] -= size;
                    waiting[p] += size;
                }
                "port_start" => {
                    let p = port_of(&s, e);
                    waiting[p] -= size;
                }
                _ => {}
            }
            if e.event == counted {
                let p = port_of(&s, e);
                let d = day(e.time);
                let q = capacity::quota(&s.ports[p], d, factors[p].at(e.time));
                let used = per_day.entry((p, d)).or_insert(0);
                *used += size;
                prop_assert!(*used <= q, "port {} {} {} people on day {} > quota {}\n{}", p, counted, used, d, q, text);
            }
        }
    }

    /// FIFO, per queue, exactly as the model defines it:
    /// - screening (servers serve groups, no size rule): groups start service in registration
    ///   order;
    /// - port (strict FIFO under both policies): groups start service in their order of arrival
    ///   at that port;
    /// - ready queue (first fit by seats, quota and holding room, which only shrink during one
    ///   boarding pass): a group never boards while an earlier-ready group of the same origin
    ///   that is no larger is still waiting.
    #[test]
    fn fifo_holds_per_queue(g in gen()) {
        let (s, text) = scenario(&g);
        let r = traced(&s);
        let mut reg_order: Vec<u32> = Vec::new();
        let mut screen_order: Vec<u32> = Vec::new();
        let mut arrivals: Vec<Vec<u32>> = vec![Vec::new(); s.ports.len()];
        let mut starts: Vec<Vec<u32>> = vec![Vec::new(); s.ports.len()];
        // per origin: waiting ready groups in ready order, with sizes
        let mut ready: Vec<Vec<(u32, u32)>> = vec![Vec::new(); s.origins.len()];
        let mut origin_of_group: HashMap<u32, usize> = HashMap::new();
        for e in &r.trace {
            let Some(gid) = e.group else { continue };
            match e.event {
                "register" => reg_order.push(gid),
                "screening_start" => screen_order.push(gid),
                "ready" => {
                    let o = origin_of(&s, e);
                    origin_of_group.insert(gid, o);
                    ready[o].push((gid, e.size.unwrap()));
                }
                "board" => {
                    let o = origin_of(&s, e);
                    let size = e.size.unwrap();
                    let pos = ready[o].iter().position(|x| x.0 == gid).expect("boards without being ready");
                    if let Some(earlier) = ready[o][..pos].iter().find(|x| x.1 <= size) {
                        prop_assert!(false, "group {} (size {}) boarded at {} before earlier-ready group {} (size {})\n{}",
                            gid, size, e.time, earlier.0, earlier.1, text);
                    }
                    ready[o].remove(pos);
                }
                "drop" => {
                    if let Some(&o) = origin_of_group.get(&gid) {
                        ready[o].retain(|x| x.0 != gid);
                    }
                }
                "arrive" => arrivals[port_of(&s, e)].push(gid),
                "port_start" => starts[port_of(&s, e)].push(gid),
                _ => {}
            }
        }
        // screening: the starts are the registration order with non-started groups left out
        let pos: HashMap<u32, usize> = reg_order.iter().enumerate().map(|(i, g)| (*g, i)).collect();
        prop_assert!(screen_order.windows(2).all(|w| pos[&w[0]] < pos[&w[1]]), "screening not FIFO\n{}", text);
        for p in 0..s.ports.len() {
            prop_assert_eq!(&starts[p][..], &arrivals[p][..starts[p].len()], "port {} not FIFO\n{}", p, text);
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// Results (every replication's metrics and the daily bands) are identical for 1 and 2
    /// worker threads.
    #[test]
    fn results_do_not_depend_on_threads(g in gen()) {
        let (s, _) = scenario(&g);
        let run = |threads| {
            let opts = RunOptions { replications: Some(3), threads: Some(threads), ..Default::default() };
            experiment::run(&s, &opts).unwrap()
        };
        let (a, b) = (run(1), run(2));
        prop_assert_eq!(&a.replications, &b.replications);
        prop_assert_eq!(format!("{:?}", a.daily), format!("{:?}", b.daily));
    }

    /// Common random numbers (same seed, same 16 replications): with every port's quota (and
    /// ramp start) raised by 50%, the mean clearance time is not later than before by more than
    /// TOLERANCE = 1 day + 2% of the base mean. Why not 0: the population stream (cohorts, sizes,
    /// origins, registration and drop-out times) is common, but service and travel draws are
    /// consumed in a different order once the schedule changes, so individual replications can
    /// finish a little later: a reshuffled service time moves the last start past a closing hour
    /// (< 1 day), and, with boarding/quota weekdays, by at most a few days in rare replications,
    /// which the mean over 16 and the 2% term absorb. Measured (8,000 cases): the mean was later
    /// in 1.3% of cases, by at most 0.27 days; with tolerance 0 the test fails within a few
    /// hundred cases. A violation beyond the tolerance would mean extra capacity makes things
    /// systematically worse: a modelling bug.
    ///
    /// Attrition is switched off here, deliberately: with attrition, clearance is NOT monotone in
    /// capacity, and this test found why. Clearance counts a drop-out as resolved at its drop
    /// time; more quota (under appointment) lets more groups board, which makes them immune to
    /// attrition, and if the port's servers are the real bottleneck they are processed weeks
    /// later than they would have dropped out (e.g. a port open 2 h on Mondays with one server).
    /// For the same reason each origin gets ONE route here: with several, a quota also steers
    /// traffic (`first` sends a group to the first port with quota room), and a larger quota at
    /// a slow, server-bound port keeps groups from overflowing to a fast one, which really does
    /// clear later (found by this test: quota 77 at a one-server port, unlimited second port).
    /// Holding limits are removed too: a holding area is shared by every origin that sends
    /// buses to the port and is filled greedily by whichever bus leaves first, so more quota
    /// can let an origin with frequent buses fill it ahead of an origin whose buses are rare,
    /// which then misses its only departure of the week (found by this test; pinned in
    /// `features::more_quota_can_clear_later_through_a_shared_holding_area`).
    #[test]
    fn more_quota_never_clears_later(g in gen()) {
        let mut g = Gen { attrition: None, ..g };
        let np = g.ports.len() as u32;
        for r in &mut g.routes {
            r.ports = 1 << (r.ports.trailing_zeros() % np);
        }
        for p in &mut g.ports {
            p.holding = None;
        }
        let (s, text) = scenario(&g);
        let mut more = s.clone();
        for p in &mut more.ports {
            if let Some(q) = p.quota_per_day {
                p.quota_per_day = Some(q + q.div_ceil(2));
            }
            if let Some(r) = &mut p.ramp {
                r.from *= 1.5;
            }
        }
        let mean = |s: &Scenario| (0..16).map(|i| simulate(s, i, &SimOptions::default()).clearance_days).sum::<f64>() / 16.0;
        let (base, plus) = (mean(&s), mean(&more));
        prop_assert!(plus <= base + 1.0 + 0.02 * base, "more quota: mean clearance {} > base {}\n{}", plus, base, text);
    }
}
