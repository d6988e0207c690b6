//! Tests of the bottleneck analysis: `explain`'s bounds and `bind`'s weekly bindings and levers,
//! on hand-made and bundled scenarios.

use super::binding::*;
use super::bounds::*;
use crate::experiment::RunView;
use crate::output::bottleneck::print_explain;
use crate::scenario::*;
use chrono::NaiveDate;

/// What `explain` prints for `rep`.
fn explain_text(rep: &BottleneckReport) -> String {
    let mut s = Vec::new();
    print_explain(rep, &mut s).unwrap();
    String::from_utf8(s).unwrap()
}

/// A scenario from TOML, run with its own replications, and its weekly bindings.
fn run_and_bind(toml: &str) -> (Scenario, Vec<PeriodBinding>) {
    let scn = crate::scenario::load_str(toml, "test.toml").unwrap();
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    let b = bind(&scn, &RunView::from_run(&run));
    (scn, b)
}

/// A bundled scenario, `scenarios/NAME.toml`.
fn bundled(name: &str) -> Scenario {
    crate::scenario::load_file(std::path::Path::new(&format!("scenarios/{name}.toml"))).unwrap()
}

/// `two-ports` with everyone registering half a day after opening.
fn two_ports_prompt() -> Scenario {
    let set = crate::scenario::parse_set("registration.delay=\"0.5d\"").unwrap();
    crate::scenario::load_file_with(std::path::Path::new("scenarios/two-ports.toml"), &[set])
        .unwrap()
        .scenario
}

/// One origin, one port with quota 300 and unlimited servers, a bus route: 4 departures of 50
/// seats a day = 200 people/day.
pub(crate) fn bus_scenario(people: u64) -> Scenario {
    let start_date = chrono::NaiveDate::from_ymd_opt(2021, 2, 19).unwrap();
    Scenario {
        name: "buses 200/day, quota 300".into(),
        file: String::new(),
        start_date,
        horizon: 365.0,
        seed: 7,
        replications: 4,
        warmup: 0.0,
        backlog: Cohort {
            name: "backlog".into(),
            people,
            opens: 0.0,
        },
        group_size: SizeDist::Fixed(1),
        origins: vec![Origin {
            name: "Tijuana".into(),
            share: 1.0,
        }],
        registration: Registration {
            delay: Dist::Fixed(0.0),
            never: 0.0,
        },
        screening: None,
        health: None,
        attrition_hazard: 0.0,
        policy: Policy::Fifo,
        choose_port: ChoosePort::First,
        routes: vec![Route {
            name: "Tijuana->San Ysidro".into(),
            origin: 0,
            port: 0,
            departures: Departures::Scheduled(vec![
                7.0 / 24.0,
                9.0 / 24.0,
                11.0 / 24.0,
                13.0 / 24.0,
            ]),
            days: ALL_DAYS,
            seats: Some(50),
            travel: Dist::Fixed(2.0 / 24.0),
        }],
        ports: vec![Port {
            name: "San Ysidro".into(),
            opens: 0.0,
            quota_per_day: Some(300),
            ramp: None,
            servers: None,
            service: Dist::Fixed(0.0),
            schedule: Schedule {
                hours: Some((8.0 / 24.0, 20.0 / 24.0)),
                days: ALL_DAYS,
                start_weekday: 4,
            },
            holding: None,
        }],
        phases: vec![],
        inflow: None,
        disruptions: vec![],
        classes: vec![Class {
            name: "all".into(),
            share: 1.0,
        }],
        warnings: vec![],
        loaded: None,
    }
}

#[test]
fn transport_binds_when_buses_carry_less_than_the_quota() {
    let scn = bus_scenario(10_000);
    let rep = explain(&scn);
    let t = rep.total(Stage::Transport);
    assert!(t.capacity.iter().all(|c| *c == 200.0));
    assert!(rep.total(Stage::Port).capacity.iter().all(|c| *c == 300.0));
    // 200 people/day: the 10,000th boards on day 49 (50 days × 200); ports alone: day 33.
    assert_eq!(t.earliest_day, Some(49));
    assert_eq!(rep.total(Stage::Port).earliest_day, Some(33));
    assert_eq!(rep.total(Stage::Registration).earliest_day, Some(0));
    assert_eq!(rep.binding_name(), "transport");
    assert_eq!(rep.lower_bound_day, Some(49));
    let s = explain_text(&rep);
    assert!(s.contains("Binding stage: transport"), "{s}");
    assert!(s.contains("day 49 2021-04-09"), "{s}");
}

/// Groups larger than every route from their origin can take never travel: explain said
/// clearance was not expected before day 671, and the run's lever asked for more of the
/// port's capacity, for a backlog that cannot clear (or only as its last groups drop out).
#[test]
fn groups_too_large_for_every_route_never_clear() {
    let mut scn = bundled("baseline");
    let r = scn.routes.iter().position(|r| r.seats == Some(40)).unwrap();
    assert_eq!(scn.group_size.max(), 4);
    scn.routes[r].seats = Some(3);
    let rep = explain(&scn);
    assert_eq!(rep.lower_bound_day, None);
    let why = rep.never_travel.as_deref().unwrap();
    assert!(
        why.contains(
            "groups of up to 4 people come from Matamoros, but no route from it takes more \
                 than 3 at once (to Brownsville: 3 seats, holding 150, quota 100 a day)"
        ) && why.ends_with("until the last of them has dropped out"),
        "{why}"
    );
    assert_eq!(rep.binding_name(), "transport → Brownsville");
    let mut text = Vec::new();
    print_explain(&rep, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("Binding stage: transport → Brownsville. Some groups of up to 4"));
    scn.replications = 2;
    scn.horizon = 200.0;
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    let spans = binding_spans(&bind(&scn, &RunView::from_run(&run)));
    assert!(date_lever(&scn, &spans)
        .unwrap()
        .1
        .contains("room for the largest group on a route from there"));
    // A disruption that doubles the seats for a while lets them travel then.
    let mut doubled = scn.clone();
    doubled.disruptions.push(crate::scenario::Disruption {
        ports: vec![],
        routes: vec![r],
        screening: false,
        from: 10.0,
        until: 20.0,
        capacity: 2.0,
    });
    assert_eq!(explain(&doubled).never_travel, None);
    // ... but not one after the horizon, nor two of x1.3 at different times (floor(2.6) = 2
    // seats; 3 had been read from their product).
    let mut late = doubled.clone();
    late.disruptions.last_mut().unwrap().from = 300.0;
    late.disruptions.last_mut().unwrap().until = 310.0;
    assert!(explain(&late).never_travel.is_some());
    // A size listed with weight 0 is never drawn, and a cohort of 2 people has no group of 4:
    // they clear (both had been said not to).
    let mut zero = scn.clone();
    zero.group_size =
        crate::scenario::SizeDist::empirical(&[1, 2, 3, 4], &[0.5, 0.3, 0.2, 0.0]).unwrap();
    assert_eq!(zero.group_size.max(), 4);
    assert_eq!(explain(&zero).never_travel, None);
    let mut few = scn.clone();
    few.backlog.people = 2;
    few.phases.clear();
    assert_eq!(explain(&few).never_travel, None);
    // Under fifo the quota is not checked at boarding: groups larger than every port's quota
    // travel, are never served, and hold up the port's queue; explain names the port.
    let mut fifo = bundled("baseline");
    fifo.policy = crate::scenario::Policy::Fifo;
    let b = fifo
        .ports
        .iter()
        .position(|p| p.name == "Brownsville")
        .unwrap();
    fifo.ports[b].quota_per_day = Some(3);
    fifo.ports[b].ramp = None;
    let rep = explain(&fifo);
    assert!(rep
        .never_travel
        .as_deref()
        .unwrap()
        .contains("under fifo those groups travel"));
    assert_eq!(rep.binding_name(), "port Brownsville");
    // Under fifo with a second port that can serve them, they may still board toward the
    // one that cannot: a note, not a verdict.
    let q = fifo.ports.iter().position(|p| p.name == "El Paso").unwrap();
    let r = fifo.routes.iter().position(|r| r.port == b).unwrap();
    let mut second = fifo.routes[r].clone();
    second.port = q;
    fifo.routes.push(second);
    let rep = explain(&fifo);
    assert_eq!(rep.never_travel, None);
    assert!(rep.notes.iter().any(|n| n.starts_with(
        "Under fifo groups of up to 4 people from Matamoros can board toward Brownsville, \
             whose quota is at most 3 a day"
    )));
    // Four seats take every group.
    let mut scn = bundled("baseline");
    scn.routes[r].seats = Some(4);
    let rep = explain(&scn);
    assert!(rep.never_travel.is_none() && rep.lower_bound_day.is_some());
}

/// A week in which registration binds gives the people still expected to register (it
/// had said "0 people waiting in front" while 2,250 had yet to register).
#[test]
fn registration_weeks_count_the_people_still_to_register() {
    let mut scn = bundled("baseline");
    scn.replications = 4;
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    let b = bind(&scn, &RunView::from_run(&run));
    let weeks: Vec<_> = b
        .iter()
        .filter(|w| w.stage == Stage::Registration)
        .collect();
    assert!(weeks.iter().any(|w| w.queue > 1_000.0), "{weeks:?}");
    for w in weeks {
        // the mean over the week of those expected to register after the start of each day
        // (those registering at its start, as the delay of exactly 60 days does, have
        // registered by then): the reached people times P(delay > d)
        let reached = 25_000.0 * (1.0 - scn.registration.never);
        let still = |d: usize| reached * (1.0 - cdf(&scn.registration.delay, d as f64));
        let mean = (w.from_day..w.to_day).map(still).sum::<f64>() / 7.0;
        assert!(
            w.queue >= 1.0 && (w.queue - mean).abs() < 1e-6 * mean,
            "{w:?}"
        );
        assert_eq!(w.loads[0].queue, w.queue);
    }
}

/// A holding limit below a bus's seats caps each departure toward the port: with El Paso's
/// at 5, its six weekday buses carry 30 people a day, which sets the date (a run clears
/// after 400 days). `explain` had counted the 55 seats and put the bound at day 119, and
/// the run named registration and then the port, whose quota and servers change nothing.
#[test]
fn a_holding_limit_below_the_seats_binds_transport_and_names_its_lever() {
    let mut scn = bundled("baseline");
    let p = scn.ports.iter().position(|p| p.name == "El Paso").unwrap();
    scn.ports[p].holding = Some(5);
    let rep = explain(&scn);
    let t = rep.transport_to(p).unwrap();
    // Six departures of at most 5 people on a weekday the port serves; none at weekends.
    let max = t.capacity.iter().copied().fold(0.0, f64::max);
    assert_eq!(max, 30.0);
    assert_eq!(
        rep.binding.map(|b| rep.rows[b].name.as_str()),
        Some("transport → El Paso")
    );
    assert!(
        rep.lower_bound_day.unwrap() > 400,
        "{:?}",
        rep.lower_bound_day
    );
    assert!(rep.notes.iter().any(|n| n.contains(
        "Port El Paso's holding limit (5 people waiting there or in transit to it) lets at \
             most 5 board one departure toward it (its buses have up to 55 seats)"
    )));
    scn.replications = 4;
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    let b = bind(&scn, &RunView::from_run(&run));
    let spans = binding_spans(&b);
    // Transport to El Paso binds from the third week to the last (whose last few people
    // may be at the port).
    let k = spans
        .iter()
        .position(|s| s.name == "transport → El Paso")
        .unwrap();
    let days = spans[k].to_day - spans[k].from_day;
    assert!(spans[k].from_day <= 21 && days >= 380, "{spans:#?}");
    assert!(
        spans[k + 1..].iter().all(|s| s.to_day - s.from_day <= 7),
        "{spans:#?}"
    );
    assert!(date_lever(&scn, &spans[..=k])
        .unwrap()
        .1
        .contains("a larger holding limit (or more departures) would bring the date forward"));
    // At the bundled 400 the seats count, as before.
    let base = explain(&bundled("baseline"));
    let max = base
        .transport_to(p)
        .unwrap()
        .capacity
        .iter()
        .copied()
        .fold(0.0, f64::max);
    assert_eq!(max, 330.0);
    assert!(!base.notes.iter().any(|n| n.contains("holding limit (")));
}

/// The baseline's last people are in the health check's isolation (10 days after a
/// positive test), not waiting for a bus: the last weeks name the health check, and
/// transport, whose `waiting_ready` counts them, is never named.
#[test]
fn the_last_people_in_isolation_name_the_health_check_not_transport() {
    let mut scn = bundled("baseline");
    scn.replications = 40;
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    let b = bind(&scn, &RunView::from_run(&run));
    let last = b.last().unwrap();
    assert_eq!(last.stage, Stage::Health, "{:?}", last.name);
    assert_eq!(last.name, "health check");
    assert!(last.queue >= 1.0, "{}", last.queue);
    assert!(b.iter().all(|p| p.stage != Stage::Transport), "{b:#?}");
    // The health check's throughput is not measured: NaN, as `BindingSpan::throughput` says.
    let spans = binding_spans(&b);
    assert_eq!(spans.last().unwrap().stage, Stage::Health);
    assert!(spans.last().unwrap().throughput.is_nan());
    // Transport's queue is those ready to travel: less than `waiting_ready` by the people
    // in the health check.
    let t = last.loads.iter().find(|l| l.name == "transport").unwrap();
    assert!(t.queue < last.queue, "{} vs {}", t.queue, last.queue);
    // Without a health check it is never named.
    scn.health = None;
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    let b = bind(&scn, &RunView::from_run(&run));
    assert!(b.iter().all(|p| p.stage != Stage::Health), "{b:#?}");
}

#[test]
fn simulated_run_shows_transport_binding_and_meets_the_bound() {
    let scn = bus_scenario(10_000);
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    let input = RunView::from_run(&run);
    let b = bind(&scn, &input);
    assert!(!b.is_empty());
    // Every full week before clearance is transport-bound.
    for p in b.iter().filter(|p| p.to_day - p.from_day == PERIOD_DAYS) {
        assert_eq!(p.stage, Stage::Transport, "{p:?}");
        assert!(p.utilization.unwrap() > 0.95, "{p:?}");
    }
    let shares = binding_shares(&b);
    assert!(shares[0].0.starts_with("transport"), "{shares:?}");
    // The simulation clears on day 49 (last bus 13:00 + 2 h travel), never before the bound.
    for &c in &run.clearance_days {
        assert!((49.0..50.0).contains(&c), "{c}");
    }
}

#[test]
fn under_appointment_a_port_counts_only_its_own_origins_ready_queue() {
    // Origin A (9,000 people) goes to port PA at 300 a day, origin B (1,000) to port PB at
    // 100 a day: both quotas are full in the first week, but A's ready queue is the long
    // one, and it is in front of PA alone.
    let toml = r#"
[scenario]
name = "two origins"
start_date = "2021-02-19"
horizon = "100d"
seed = 3
replications = 4
[backlog]
people = 10000
[[origin]]
name = "A"
share = 0.9
[[origin]]
name = "B"
share = 0.1
[registration]
delay = "0d"
[dispatch]
policy = "appointment"
[[route]]
from = "A"
to = "PA"
departures = "continuous"
travel = "1h"
[[route]]
from = "B"
to = "PB"
departures = "continuous"
travel = "1h"
[[port]]
name = "PA"
quota_per_day = 300
[[port]]
name = "PB"
quota_per_day = 100
"#;
    let scn = crate::scenario::load_str(toml, "two-origins.toml").unwrap();
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    let b = bind(&scn, &RunView::from_run(&run));
    let week = &b[1];
    let queue = |p: usize| {
        week.loads
            .iter()
            .find(|l| l.stage == Stage::Port && l.port == Some(p))
            .unwrap()
            .queue
    };
    // Mean ready people of each origin in that week, from the daily bands.
    let ready = |o: &str| {
        let s = run
            .daily
            .series_index(&format!("waiting_ready:{o}"))
            .unwrap();
        (week.from_day..week.to_day)
            .map(|d| run.daily.get(d, s).mean)
            .sum::<f64>()
            / (week.to_day - week.from_day) as f64
    };
    assert!(
        ready("A") > 5000.0 && ready("B") < 1000.0,
        "{} {}",
        ready("A"),
        ready("B")
    );
    assert!(
        (queue(0) - ready("A")).abs() < 1.0,
        "{} vs {}",
        queue(0),
        ready("A")
    );
    assert!(
        (queue(1) - ready("B")).abs() < 1.0,
        "{} vs {}",
        queue(1),
        ready("B")
    );
    assert_eq!((week.stage, week.port), (Stage::Port, Some(0)), "{week:?}");
}

#[test]
fn people_stuck_at_a_port_are_named_once_nobody_is_left_to_register() {
    // Groups of 7 never fit a quota of 5: nothing is processed, nothing is busy.
    let toml = r#"
[scenario]
name = "stuck"
horizon = "30d"
replications = 3
[backlog]
people = 10
group_size = 7
[[origin]]
name = "A"
[[port]]
name = "P"
quota_per_day = 5
[[route]]
from = "A"
to = "P"
"#;
    let scn = crate::scenario::load_str(toml, "stuck.toml").unwrap();
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    let b = bind(&scn, &RunView::from_run(&run));
    // Everyone registers at t = 0, by the start of the first week: port P from the start (the
    // first week had named registration, counting those registering at t = 0 as still to).
    for w in &b {
        assert_eq!((w.stage, w.port), (Stage::Port, Some(0)), "{w:?}");
        assert!(w.queue >= 9.9, "{w:?}");
    }
}

#[test]
fn inflow_registrations_count_in_the_screening_throughput() {
    // 60 inflow people a day against one screener at 48 a day: screening is full from day
    // 0, while the backlog itself registers only on day 20.
    let toml = r#"
[scenario]
name = "inflow"
horizon = "60d"
replications = 3
[backlog]
people = 100
[[origin]]
name = "A"
[registration]
delay = "20d"
[screening]
servers = 1
service = "30min"
[inflow]
rate_per_day = 60
until = "40d"
[[port]]
name = "P"
[[route]]
from = "A"
to = "P"
"#;
    let (scn, b) = run_and_bind(toml);
    for w in b.iter().filter(|w| w.to_day <= 14) {
        assert_eq!(w.stage, Stage::Screening, "{w:?}");
        assert!(w.utilization.unwrap() > 0.9, "{w:?}");
    }
    let s = explain_text(&explain(&scn));
    assert!(
        s.contains("The inflow (60 groups a day, about 60 people a day"),
        "{s}"
    );
}

#[test]
fn drop_outs_from_the_screening_queue_are_not_screening_throughput() {
    // 2,000 people register at once in front of one screener at 48 groups a day, and drop
    // out at 5% a day while they wait: most leave the queue without being screened.
    let toml = r#"
[scenario]
name = "attrition"
horizon = "120d"
replications = 4
[backlog]
people = 2000
[[origin]]
name = "A"
[screening]
servers = 1
service = "30min"
[attrition]
hazard_per_day = 0.05
[[port]]
name = "P"
[[route]]
from = "A"
to = "P"
"#;
    let (scn, b) = run_and_bind(toml);
    let screening: Vec<&PeriodBinding> = b.iter().filter(|w| w.stage == Stage::Screening).collect();
    assert!(!screening.is_empty(), "{b:?}");
    // The capacity bound leaves attrition out, and says so: with 5% a day most drop out,
    // and the run clears long before the bound.
    let text = explain_text(&explain(&scn));
    assert!(
        text.contains("if nobody dropped out, clearance would not be expected before day"),
        "{text}"
    );
    let mut without = scn.clone();
    without.attrition_hazard = 0.0;
    let text = explain_text(&explain(&without));
    assert!(
        text.contains(", clearance is not expected before day"),
        "{text}"
    );
    for w in screening {
        // No more than full (counted from what arrived, it read 2.6 in the first week), and full
        // while a queue is there.
        let u = w.utilization.unwrap();
        assert!(u <= 1.02, "{w:?}");
        assert!(u >= 0.9 || w.queue < 48.0, "{w:?}");
    }
}

#[test]
fn ramp_disruption_and_servers_bound_the_port() {
    let mut scn = bus_scenario(1000);
    scn.routes[0].departures = Departures::Continuous;
    scn.ports[0].ramp = Some(Ramp {
        from: 100.0,
        over: 2.0,
    });
    // 2 servers × 12 h / 1 h = 24 groups of 1: servers bind after the ramp.
    scn.ports[0].servers = Some(2);
    scn.ports[0].service = Dist::Fixed(1.0 / 24.0);
    scn.disruptions.push(Disruption {
        ports: vec![0],
        routes: vec![],
        screening: false,
        from: 3.0,
        until: 4.0,
        capacity: 0.0,
    });
    let rep = explain(&scn);
    let c = &rep.port(0).unwrap().capacity;
    assert!((c[0] - 24.0).abs() < 1e-9, "{}", c[0]);
    assert_eq!(c[3], 0.0);
    assert!((c[4] - 24.0).abs() < 1e-9);
    assert!(rep.total(Stage::Transport).unlimited);
    assert_eq!(rep.binding_name(), "ports");
}

/// Origins routed only to one port must pass it: with Juárez and Matamoros (71% of the
/// people) bound for El Paso, El Paso alone sets the ports' finish, later than both ports
/// together would, and is named. An origin with a route to both ports is nobody's alone.
#[test]
fn a_port_its_origins_are_routed_to_alone_bounds_the_ports() {
    let mut scn = two_ports_prompt();
    let rep = explain(&scn);
    let el_paso = rep.port(1).unwrap();
    assert_eq!(el_paso.name, "port El Paso");
    let own = el_paso.earliest_day.unwrap();
    assert_eq!(rep.binding_name(), "port El Paso");
    assert_eq!(rep.lower_bound_day, Some(own));
    assert_eq!(rep.total(Stage::Port).earliest_day, Some(own));
    // Both ports together would pass everyone sooner.
    let together = fluid_finish(
        &opened_by(&scn, rep.days),
        &rep.total(Stage::Port).capacity,
        rep.to_clear,
    )
    .unwrap();
    assert!(together < own, "{together} vs {own}");
    // San Ysidro's own origin (Tijuana) finishes sooner.
    assert!(rep.port(0).unwrap().earliest_day.unwrap() < own);
    // Matamoros may also go to San Ysidro: El Paso alone holds Juárez's people only.
    let mut r = scn.routes[2].clone();
    assert_eq!(scn.origins[r.origin].name, "Matamoros");
    r.port = 0;
    scn.routes.push(r);
    let rep2 = explain(&scn);
    assert!(rep2.port(1).unwrap().earliest_day.unwrap() < own);
    assert!(rep2.total(Stage::Port).earliest_day.unwrap() < own);
}

/// Two origins share El Paso; Matamoros's own bus (3 × 55 seats, four days a week) is full
/// while Juárez's has seats to spare, so pooled transport to El Paso is not: the weeks when
/// Matamoros's people wait for their bus name "transport from Matamoros", at its seats.
#[test]
fn a_full_route_from_one_origin_binds_though_the_port_has_other_routes() {
    let mut scn = two_ports_prompt();
    scn.replications = 40;
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    let b = bind(&scn, &RunView::from_run(&run));
    let from: Vec<&PeriodBinding> = b
        .iter()
        .filter(|p| p.name == "transport from Matamoros")
        .collect();
    assert!(
        from.len() >= 3,
        "{:#?}",
        b.iter().map(|p| &p.name).collect::<Vec<_>>()
    );
    let full = from
        .iter()
        .filter(|p| p.utilization.unwrap() >= NEAR_FULL)
        .count();
    assert!(2 * full > from.len(), "{full} of {} weeks full", from.len());
    for p in &from {
        assert_eq!(p.stage, Stage::Transport);
        assert!(p.utilization.unwrap() >= 0.5, "{:?}", p.utilization);
        // Pooled, transport to El Paso has room: it is not what binds.
        let pooled = p
            .loads
            .iter()
            .find(|l| l.name == "transport → El Paso")
            .unwrap();
        assert!(
            pooled.utilization.unwrap() < NEAR_FULL,
            "{:?}",
            pooled.utilization
        );
    }
    // Juárez's and Tijuana's routes are each a port's own, or not full: never named.
    assert!(b
        .iter()
        .all(|p| !p.name.starts_with("transport from Ciudad")));
    assert!(b.iter().all(|p| p.name != "transport from Tijuana"));
}

/// Without attrition, no replication of any bundled scenario clears before explain's bound,
/// with everyone registering at once (so that the ports' bounds, per port among them, are
/// what binds): the bound of a share of the origins allows for the randomness of who comes
/// from where.
#[test]
fn no_replication_clears_before_the_bound_without_attrition() {
    let mut checked = 0;
    for e in std::fs::read_dir("scenarios").unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let mut scn = crate::scenario::load_file(&path).unwrap();
        scn.attrition_hazard = 0.0;
        scn.registration.delay = Dist::fixed(0.0).unwrap();
        scn.replications = 100;
        let rep = explain(&scn);
        let Some(bound) = rep.lower_bound_day else {
            continue;
        };
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        for r in &run.replications.to_vec().unwrap() {
            assert!(
                r.censored || r.clearance_days >= bound as f64,
                "{}: replication {} clears at {} before the bound {bound} ({})",
                path.display(),
                r.index,
                r.clearance_days,
                rep.binding_name()
            );
        }
        checked += 1;
    }
    assert!(checked >= 5, "{checked}");
}

/// A group registering at t counts on day floor(t): a delay of exactly 120 days registers
/// on day 120, so registration finishes then, not on day 119 (explain said day 119 for runs
/// that clear on day 120, and "ports, day 0" for a delay of one day).
#[test]
fn registration_at_midnight_counts_on_its_own_day() {
    let scn = |delay: &str| {
        crate::scenario::load_str(
            &format!(
                "[scenario]\nname = \"m\"\n[backlog]\npeople = 30\n[[origin]]\nname = \"O\"\n\
                     [registration]\ndelay = {delay}\n[[route]]\nfrom = \"O\"\nto = \"P\"\n\
                     [[port]]\nname = \"P\"\n"
            ),
            "m.toml",
        )
        .unwrap()
    };
    for (delay, day) in [
        ("\"120d\"", 120),
        ("\"1d\"", 1),
        (
            "{ dist = \"empirical\", values = [\"0.5d\", \"3d\"], weights = [0.5, 0.5] }",
            3,
        ),
        ("{ dist = \"uniform\", min = \"0d\", max = \"3d\" }", 2),
    ] {
        let mut s = scn(delay);
        let rep = explain(&s);
        assert_eq!(rep.lower_bound_day, Some(day), "{delay}");
        assert_eq!(rep.binding_name(), "registration", "{delay}");
        // and no replication clears before it
        s.replications = 5;
        let run = crate::experiment::run(&s, &Default::default()).unwrap();
        for r in &run.replications.to_vec().unwrap() {
            assert!(
                r.clearance_days >= day as f64,
                "{delay}: {}",
                r.clearance_days
            );
        }
    }
}

/// A service longer than the stage's opening is still started once a day by each server
/// (it runs past the close): the bound of one server, 4-hour services and a 1-hour opening
/// for 30 people is day 29, as every replication clears at 29.5 (it had read a quarter of a
/// service a day and a bound of day 119); a run never clears before it.
#[test]
fn a_service_longer_than_the_opening_counts_once_a_day() {
    let mut scn = crate::scenario::load_str(
        r#"
[scenario]
name = "long service"
replications = 20
horizon = "400d"
[backlog]
people = 30
[[origin]]
name = "O"
[screening]
servers = 1
service = "4h"
hours = ["08:00", "09:00"]
[[route]]
from = "O"
to = "P"
[[port]]
name = "P"
"#,
        "long.toml",
    )
    .unwrap();
    let rep = explain(&scn);
    assert_eq!(rep.lower_bound_day, Some(29), "{}", rep.binding_name());
    scn.replications = 20;
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    for r in &run.replications.to_vec().unwrap() {
        assert!(
            r.clearance_days >= 29.0 && r.clearance_days < 30.0,
            "{}",
            r.clearance_days
        );
    }
    // A 10-day service, always open: a tenth of a service a day, not one a day (the bound
    // had read day 29 for runs that clear on day 300).
    let s = scn.screening.as_mut().unwrap();
    s.service = Dist::fixed(10.0).unwrap();
    s.schedule = crate::scenario::Schedule::always(s.schedule.start_weekday);
    scn.horizon = 2000.0;
    let rep = explain(&scn);
    assert_eq!(rep.lower_bound_day, Some(299), "{}", rep.binding_name());
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    for r in &run.replications.to_vec().unwrap() {
        assert!(r.clearance_days >= 299.0, "{}", r.clearance_days);
    }
}

/// People still to register after the horizon keep registration binding (they are not
/// "nobody left to register"): with a 100-day horizon, 10% of the baseline registers on day
/// 120, and the last weeks named the health check for the few in it.
#[test]
fn registrations_after_the_horizon_still_count_as_to_come() {
    let mut scn = bundled("baseline");
    scn.horizon = 100.0;
    scn.replications = 20;
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    let b = bind(&scn, &RunView::from_run(&run));
    assert!(b.iter().all(|p| p.stage != Stage::Health), "{b:#?}");
    assert_eq!(b.last().unwrap().stage, Stage::Registration);
    // A registration span's throughput is the people expected to register a day (finite, as
    // `BindingSpan::throughput` says), not NaN.
    let spans = binding_spans(&b);
    let reg = spans.last().unwrap();
    assert_eq!(reg.stage, Stage::Registration);
    assert!(
        reg.throughput.is_finite() && reg.throughput >= 0.0,
        "{reg:?}"
    );
}

/// Once nobody is left to register, a long isolation that holds more people than wait in
/// front of a half-busy port is what binds: with 20% positive tests and 30 days' isolation
/// the week from day 63 named Brownsville (54% used, 67 waiting) over 780 in isolation.
#[test]
fn the_health_check_outranks_a_half_busy_stage_once_nobody_is_to_register() {
    let mut scn = bundled("baseline");
    let h = scn.health.as_mut().unwrap();
    h.positive = 0.2;
    h.isolation = Dist::fixed(30.0).unwrap();
    scn.registration.delay = Dist::fixed(0.0).unwrap();
    scn.replications = 30;
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    let b = bind(&scn, &RunView::from_run(&run));
    let health: Vec<&PeriodBinding> = b.iter().filter(|p| p.stage == Stage::Health).collect();
    assert!(!health.is_empty(), "{b:#?}");
    for p in &health {
        // Nothing full that week, and more people in the check than in front of any stage.
        for l in p.loads.iter().filter(|l| l.stage != Stage::Health) {
            assert!(l.utilization.is_none_or(|u| u < NEAR_FULL) || l.queue < 1.0);
            assert!(l.queue < p.queue, "{}: {} vs {}", l.name, l.queue, p.queue);
        }
    }
    // Everyone registers on day 0: from the second week no stage short of full is named
    // while more people are in the health check than in front of it.
    for p in &b[1..] {
        let full = p.utilization.is_some_and(|u| u >= NEAR_FULL);
        if p.stage != Stage::Health && !full {
            let h = p.loads.iter().find(|l| l.stage == Stage::Health).unwrap();
            assert!(
                h.queue <= p.queue,
                "{} from day {}: {} in the check, {} in front",
                p.name,
                p.from_day,
                h.queue,
                p.queue
            );
        }
    }
    // From the first week it binds on, it binds to the end.
    let first = b.iter().position(|p| p.stage == Stage::Health).unwrap();
    assert!(
        b[first..].iter().all(|p| p.stage == Stage::Health),
        "{b:#?}"
    );
}

/// One origin with full buses to two ports: its own transport is named, not "transport →"
/// the first port, which ties with it (the same people, the same full seats) and would
/// suggest buses to that port alone.
#[test]
fn an_origins_own_transport_wins_a_tie_with_one_of_its_ports() {
    let (_, b) = run_and_bind(
        r#"
[scenario]
name = "one origin, two ports"
start_date = "2021-02-19"
horizon = "200d"
replications = 10

[backlog]
people = 6000

[[origin]]
name = "A"

[[route]]
from = "A"
to = "P1"
departures = ["08:00"]
seats = 100
travel = "1h"

[[route]]
from = "A"
to = "P2"
departures = ["08:00"]
seats = 100
travel = "1h"

[[port]]
name = "P1"
quota_per_day = 1000

[[port]]
name = "P2"
quota_per_day = 1000
"#,
    );
    assert!(b.len() >= 3, "{b:#?}");
    for p in &b[1..b.len() - 1] {
        assert_eq!(p.name, "transport from A", "{b:#?}");
        assert!(p.utilization.unwrap() >= NEAR_FULL);
    }
}

/// Transport is bounded per origin, and the row that sets the bound is named: in
/// bus-bottleneck each origin has one route to its own port, so "transport → El Paso"
/// carries Juárez's finish and binds; in two-ports El Paso is fed by two origins, so each
/// has a row "transport from …" and "transport → El Paso" has no finish of its own.
#[test]
fn transport_names_the_origin_or_route_that_sets_its_bound() {
    let scn = bundled("bus-bottleneck");
    let rep = explain(&scn);
    assert_eq!(rep.binding_name(), "transport → El Paso");
    let row = rep.transport_to(1).unwrap();
    assert_eq!(row.earliest_day, rep.lower_bound_day);
    assert_eq!(
        rep.total(Stage::Transport).earliest_day,
        rep.lower_bound_day
    );
    assert!(rep.transport_to(0).unwrap().earliest_day < rep.lower_bound_day);
    // Each "transport → port" row carries its one origin.
    assert_eq!(rep.transport_to(1).unwrap().origin, Some(0)); // Ciudad Juarez
    assert!(rep
        .rows
        .iter()
        .all(|r| r.origin.is_none() || r.port.is_some()));

    let scn = two_ports_prompt();
    let rep = explain(&scn);
    assert_eq!(rep.transport_to(1).unwrap().earliest_day, None);
    let from: Vec<&StageBound> = rep
        .rows
        .iter()
        .filter(|r| r.origin.is_some() && r.port.is_none())
        .collect();
    let names: Vec<&str> = from.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["transport from Ciudad Juarez", "transport from Matamoros"]
    );
    assert!(from.iter().all(|r| r.earliest_day.is_some()));
    // The transport total is the later of the two, and still the total's row.
    let latest = from.iter().filter_map(|r| r.earliest_day).max();
    assert_eq!(rep.total(Stage::Transport).earliest_day, latest);
    assert_eq!(rep.total(Stage::Transport).name, "transport");
    let mut text = Vec::new();
    print_explain(&rep, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("\n  transport from Matamoros   "), "{text}");
}

/// A row of one origin's transport that never passes its people says "not reached", and
/// so does the binding total, even when its capacity is unlimited (the other origin's
/// route has no seat limit); explain notes when its bound is an estimate.
#[test]
fn an_origin_whose_buses_never_run_is_not_reached() {
    let scn = crate::scenario::load_str(
        r#"
[scenario]
name = "closed route"
start_date = "2021-02-19"
horizon = "100d"

[backlog]
people = 1000

[[origin]]
name = "A"
share = 0.5

[[origin]]
name = "B"
share = 0.5

[[route]]
from = "A"
to = "P"
departures = ["08:00"]
seats = 50
travel = "1h"

[[route]]
from = "B"
to = "P"

[[port]]
name = "P"
quota_per_day = 500

[[disruption]]
routes = ["A->P"]
from = "0d"
until = "100d"
capacity = 0.0
"#,
        "closed.toml",
    )
    .unwrap();
    let rep = explain(&scn);
    assert_eq!(rep.lower_bound_day, None);
    // The row that never passes its people binds, not the total.
    assert_eq!(rep.binding_name(), "transport from A");
    let text = explain_text(&rep);
    let line = |start: &str| {
        text.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("{start}: {text}"))
            .to_string()
    };
    assert!(
        line("  transport from A ").ends_with("not reached"),
        "{text}"
    );
    assert!(line("transport ").ends_with("not reached"), "{text}");
    assert!(
        text.contains("Note: The bound takes mean service times"),
        "{text}"
    );
    // With a port of its own, the row "transport → port" carries A's finish.
    let mut own = scn.clone();
    let mut q = own.ports[0].clone();
    q.name = "Q".into();
    own.ports.push(q);
    own.routes[1].port = 1;
    let text = explain_text(&explain(&own));
    let row = text
        .lines()
        .find(|l| l.starts_with("  transport → P "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(row.ends_with("not reached"), "{text}");
}

/// The people a share of the origins is bounded with: all of them when everyone is reached
/// and the share is everyone (sizes add up to the cohorts); otherwise three standard
/// deviations of the group-by-group draw below the expected number.
#[test]
fn a_share_of_the_people_allows_for_chance() {
    let mut scn = bundled("baseline");
    // Sizes 1–4 with weights 0.64/0.25/0.08/0.03: E[s] = 1.5, E[s²] = 2.84.
    assert!((scn.group_size.mean_square() - 2.84).abs() < 1e-9);
    let p: f64 = 0.28 * 0.9;
    let groups = 25_000.0 / 1.5;
    let expected = 25_000.0 * p - 3.0 * (groups * 2.84 * p * (1.0 - p)).sqrt();
    assert!((share_people(&scn, 0.28) - expected).abs() < 1e-6);
    assert!(share_people(&scn, 0.28) < 25_000.0 * p - 250.0);
    scn.registration.never = 0.0;
    assert_eq!(share_people(&scn, 1.0), 25_000.0);
}

#[test]
fn registration_finish_follows_the_exponential_tail() {
    let mut scn = bus_scenario(10_000);
    scn.registration.delay = Dist::exponential(20.0).unwrap();
    let rep = explain(&scn);
    // Fewer than ln 1000 groups of one expected unregistered: 10,000 e^{-(d+1)/20} < 6.9078
    // -> d + 1 > 20 ln(10,000 / 6.9078) = 145.5.
    assert_eq!(rep.total(Stage::Registration).earliest_day, Some(145));
    assert_eq!(rep.binding_name(), "registration");
}

/// A backlog of fewer groups than ln 1000 ≈ 6.9: the chance that all have registered, not the
/// number expected still to register, sets the day. Five groups on a 5-day exponential delay
/// have all registered by the end of day 0 with chance (1 − e^(−1/5))^5 = 0.0002 and of day 1
/// with (1 − e^(−2/5))^5 = 0.004: the row finishes on day 1 (the expected number, 4.1 on day
/// 0, had put it on day 0).
#[test]
fn registration_finish_of_a_few_groups_is_their_chance_of_all_registering() {
    let mut scn = bus_scenario(5);
    scn.registration.delay = Dist::exponential(5.0).unwrap();
    let rep = explain(&scn);
    assert_eq!(rep.total(Stage::Registration).earliest_day, Some(1));
}

/// The registration row's finish is a bound a replication beats about once in a thousand, not
/// the day by which one group is still expected (which a third of the replications beat: the
/// last of 10,000 exponential delays of mean 20 days falls before it with chance e^(−1)).
#[test]
fn registration_finish_is_a_bound_for_a_long_exponential_delay() {
    let mut scn = bus_scenario(10_000);
    scn.registration.delay = Dist::exponential(20.0).unwrap();
    scn.replications = 200;
    let bound = explain(&scn).lower_bound_day.expect("a bound") as f64;
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    let before = run.clearance_days.iter().filter(|&&c| c < bound).count();
    assert_eq!(
        before, 0,
        "bound day {bound}: {before} of 200 clear before it"
    );
    // The last registration, and so the clearance, varies by weeks: the bound is not idle.
    let earliest = run
        .clearance_days
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    assert!(
        earliest < bound + 30.0,
        "earliest {earliest}, bound {bound}"
    );
}

#[test]
fn cdfs_are_sane() {
    let ds = [
        Dist::exponential(2.0).unwrap(),
        Dist::uniform(1.0, 3.0).unwrap(),
        Dist::triangular(1.0, 2.0, 4.0).unwrap(),
        Dist::lognormal(2.0, 1.0).unwrap(),
        Dist::gamma(2.0, 1.0).unwrap(),
        Dist::empirical(vec![1.0, 3.0], &[1.0, 1.0]).unwrap(),
    ];
    for d in &ds {
        assert_eq!(cdf(d, -1.0), 0.0);
        assert!(cdf(d, 100.0) > 0.999);
        let mut prev = 0.0;
        for i in 0..100 {
            let p = cdf(d, i as f64 * 0.1);
            assert!(p >= prev - 1e-12);
            prev = p;
        }
    }
    assert!((cdf(&ds[1], 2.0) - 0.5).abs() < 1e-12);
    assert!((cdf(&ds[2], 2.0) - 1.0 / 3.0).abs() < 1e-12);
    assert!((cdf(&ds[5], 2.0) - 0.5).abs() < 1e-12);
}

/// A bundled scenario with `--set` overrides.
fn bundled_with(name: &str, sets: &[&str]) -> Scenario {
    let sets: Vec<_> = sets
        .iter()
        .map(|s| crate::scenario::parse_set(s).unwrap())
        .collect();
    crate::scenario::load_file_with(
        std::path::Path::new(&format!("scenarios/{name}.toml")),
        &sets,
    )
    .unwrap()
    .scenario
}

/// Index of the port named `name`.
fn port_index(scn: &Scenario, name: &str) -> usize {
    scn.ports.iter().position(|p| p.name == name).unwrap()
}

/// Index into `rep.rows` of port p's row of `stage`.
fn row_of(rep: &BottleneckReport, stage: Stage, p: usize) -> usize {
    rep.rows
        .iter()
        .position(|r| r.stage == stage && r.port == Some(p))
        .unwrap()
}

#[test]
fn rows_without_a_finish_of_their_own_say_why() {
    // two-ports: El Paso is reached from Ciudad Juarez and Matamoros, so its transport row
    // is shared; the port itself has Ciudad Juarez alone and keeps a finish.
    let scn = bundled("two-ports");
    let el_paso = port_index(&scn, "El Paso");
    let rep = explain(&scn);
    let i = row_of(&rep, Stage::Transport, el_paso);
    assert_eq!(rep.rows[i].people, RowPeople::Shared);
    assert_eq!(rep.finish(i), Finish::Shared);
    let text = explain_text(&rep);
    assert!(text.contains("shared\n"), "{text}");
    assert!(text.contains("Note: \"shared\""), "{text}");
    assert!(!text.contains("no route"), "{text}");
    let j = row_of(&rep, Stage::Port, el_paso);
    assert!(matches!(rep.finish(j), Finish::Day(..)));

    // The Brownsville route sent to El Paso: no route leads to Brownsville.
    let scn = bundled_with(
        "baseline",
        &["route[Matamoros->Brownsville].to=\"El Paso\""],
    );
    let b = port_index(&scn, "Brownsville");
    let rep = explain(&scn);
    for (i, r) in rep.rows.iter().enumerate() {
        if r.port == Some(b) {
            assert_eq!(r.people, RowPeople::NoRoute, "{}", r.name);
            assert_eq!(rep.finish(i), Finish::NoRoute, "{}", r.name);
        }
    }
    assert!(explain_text(&rep).contains("Note: \"no route\""));

    // A port whose own origin never gets through says so instead of leaving a blank.
    let scn = bundled_with("baseline", &["port[Brownsville].quota_per_day=1"]);
    let b = port_index(&scn, "Brownsville");
    let rep = explain(&scn);
    let i = row_of(&rep, Stage::Port, b);
    assert_eq!(rep.rows[i].people, RowPeople::Own);
    assert_eq!(rep.finish(i), Finish::NotReached);
}

#[test]
fn explain_columns_fit_long_names() {
    let long = "Matamoros (Tamaulipas, Puerta Mexico camp)";
    let mut scn = bundled("two-ports");
    let m = scn
        .origins
        .iter()
        .position(|o| o.name == "Matamoros")
        .unwrap();
    scn.origins[m].name = long.into();
    let text = explain_text(&explain(&scn));
    let lines: Vec<&str> = text.lines().collect();
    let rule = lines.iter().position(|l| l.starts_with("---")).unwrap();
    let width = lines[rule].chars().count();
    // The header and every row are as wide as the rule, so the columns line up.
    assert_eq!(lines[rule - 1].chars().count(), width, "{text}");
    let rows: Vec<&&str> = lines[rule + 1..]
        .iter()
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(rows.iter().any(|l| l.contains(long)), "{text}");
    for l in rows {
        assert_eq!(l.chars().count(), width, "{l:?} in\n{text}");
    }
}

#[test]
fn binding_spans_keep_a_closure_apart_and_average_their_weeks() {
    let start = NaiveDate::from_ymd_opt(2024, 3, 4).unwrap();
    let week =
        |i: usize, days: usize, name: &str, stage: Stage, u: Option<f64>, q: f64| PeriodBinding {
            from_day: 7 * i,
            to_day: 7 * i + days,
            from_date: start + chrono::Duration::days(7 * i as i64),
            stage,
            port: None,
            name: name.into(),
            utilization: u,
            queue: q,
            loads: Vec::new(),
        };
    let b = [
        week(0, 7, "screening", Stage::Screening, Some(0.9), 100.0),
        week(1, 7, "port B", Stage::Port, None, 1000.0),
        week(2, 7, "port B", Stage::Port, Some(1.0), 900.0),
        week(3, 7, "port B", Stage::Port, Some(0.9), 500.0),
        week(4, 7, "port B", Stage::Port, Some(0.5), 100.0),
        week(5, 7, "registration", Stage::Registration, None, 0.0),
        week(6, 7, "registration", Stage::Registration, None, 0.0),
        week(7, 7, "port B", Stage::Port, Some(0.6), 10.0),
        week(8, 3, "port B", Stage::Port, Some(0.2), 3.0),
    ];
    let s = binding_spans(&b);
    let got: Vec<(usize, usize, &str, Option<f64>)> = s
        .iter()
        .map(|s| (s.from_day, s.to_day, s.name.as_str(), s.utilization))
        .collect();
    let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-12);
    assert_eq!(got.len(), 5, "{got:?}");
    assert_eq!((got[0].0, got[0].1), (0, 7));
    // The closure week stands alone, not merged into the weeks after it.
    assert_eq!((got[1].0, got[1].1, got[1].3), (7, 14, None));
    assert_eq!(s[1].queue, 1000.0);
    // The three weeks with capacity: their mean, not the first week's figure.
    assert_eq!((got[2].0, got[2].1), (14, 35));
    assert!(close(got[2].3, 0.8), "{got:?}");
    assert!((s[2].queue - 500.0).abs() < 1e-9);
    assert_eq!((got[3].0, got[3].1, got[3].2), (35, 49, "registration"));
    // Weighted by days: a short last period counts for its days.
    assert!(close(got[4].3, (0.6 * 7.0 + 0.2 * 3.0) / 10.0), "{got:?}");
    assert_eq!(s[4].from_date, start + chrono::Duration::days(49));
}

#[test]
fn under_appointment_buses_offer_no_seats_while_their_port_takes_no_appointments() {
    // El Paso opens on day 7: under appointment nobody boards toward it before, under fifo
    // the buses run (and people wait at the port).
    let appt = bundled("baseline");
    let p = port_index(&appt, "El Paso");
    let rep = explain(&appt);
    let t = rep.transport_to(p).unwrap();
    assert!(
        t.capacity[..7].iter().all(|c| *c == 0.0),
        "{:?}",
        &t.capacity[..8]
    );
    let fifo = bundled_with("baseline", &["dispatch.policy=\"fifo\""]);
    let t = explain(&fifo).transport_to(p).unwrap().clone();
    // 2021-02-22 (day 3) is a Monday: six buses of 55 seats.
    assert_eq!(t.capacity[3], 330.0);
    assert!(explain_text(&rep).contains("Note: Under appointment nobody boards"));
    assert!(!explain_text(&explain(&fifo)).contains("Under appointment"));

    // Brownsville with its buses (3 × 40 seats a day) equal to its quota from the day it
    // opens: the two rows finish together, and explain says raising one alone is no help.
    let same = bundled_with(
        "baseline",
        &[
            "port[Brownsville].quota_per_day=30",
            "port[Brownsville].ramp.from=30",
            "port[Brownsville].servers=40",
            "route[Matamoros->Brownsville].seats=10",
        ],
    );
    let b = port_index(&same, "Brownsville");
    let rep = explain(&same);
    assert_eq!(
        rep.transport_to(b).unwrap().earliest_day,
        rep.port(b).unwrap().earliest_day
    );
    // ... and that day is the bound (their 30 a day is the slowest): said.
    assert_eq!(rep.port(b).unwrap().earliest_day, rep.lower_bound_day);
    let text = explain_text(&rep);
    assert!(
        text.contains("The transport to Brownsville and port Brownsville finish on the same day"),
        "{text}"
    );
    assert!(!text.contains("The transport to El Paso and"), "{text}");
    // Equal finishes that are not the bound are not worth a note.
    let (_, text) = {
        let same = bundled_with(
            "baseline",
            &[
                "port[Brownsville].quota_per_day=120",
                "port[Brownsville].ramp.from=120",
                "port[Brownsville].servers=40",
            ],
        );
        let rep = explain(&same);
        assert_eq!(
            rep.transport_to(b).unwrap().earliest_day,
            rep.port(b).unwrap().earliest_day
        );
        assert_ne!(rep.port(b).unwrap().earliest_day, rep.lower_bound_day);
        (rep.clone(), explain_text(&rep))
    };
    assert!(!text.contains("finish on the same day"), "{text}");
}

#[test]
fn a_week_all_ports_are_closed_binds_a_port_not_the_buses_under_appointment() {
    // Every port closed in the sixth week: under appointment nobody boards either, but the
    // closure is the ports'.
    let text = std::fs::read_to_string("scenarios/baseline.toml").unwrap()
        + "\n[[disruption]]\nports = [\"San Ysidro\", \"El Paso\", \"Brownsville\"]\n\
               from = \"35d\"\nuntil = \"42d\"\ncapacity = 0\n";
    let (_, b) = run_and_bind(&text.replace("replications = 200", "replications = 10"));
    let week = b.iter().find(|b| b.from_day == 35).unwrap();
    assert_eq!(week.stage, Stage::Port, "{}", week.name);
    assert_eq!(week.utilization, None);
    // The transport loads of that week had no seats, but they do not bind as closed.
    assert!(week
        .loads
        .iter()
        .filter(|l| l.stage == Stage::Transport)
        .all(|l| !l.blocked));
}

#[test]
fn the_lever_for_the_date_follows_the_last_people() {
    let lever = |toml: &str| {
        let (scn, b) = run_and_bind(toml);
        let spans = binding_spans(&b);
        let (k, text) = date_lever(&scn, &spans).unwrap();
        (spans[k].name.clone(), text)
    };
    // Everyone registers at once; 40% test positive and wait 20 days in isolation, and
    // retests: the last weeks hold a person or less on average, still in the check, not
    // waiting for registrations (nobody registers late).
    let health = "[scenario]\nname = \"h\"\nhorizon = \"2000d\"\nreplications = 10\n\
            [backlog]\npeople = 3000\n[[origin]]\nname = \"O\"\n\
            [health]\nturnaround = \"1d\"\npositive = 0.4\nisolation = \"20d\"\n\
            [[route]]\nfrom = \"O\"\nto = \"P\"\ndepartures = [\"08:00\"]\nseats = 2000\n\
            [[port]]\nname = \"P\"\nquota_per_day = 1000\nservers = 100\nservice = \"30min\"\n\
            hours = [\"08:00\", \"18:00\"]\n";
    let (name, text) = lever(health);
    assert_eq!(name, "health check", "{text}");
    assert!(text.contains("a shorter check or isolation"), "{text}");
    // The port is closed from day 9.5 to 30.5, then clears its queue: reopening it sooner
    // is the lever, not only more of its capacity.
    let closed = "[scenario]\nname = \"c\"\nhorizon = \"200d\"\nreplications = 10\n\
            [backlog]\npeople = 1000\n[[origin]]\nname = \"O\"\n\
            [[route]]\nfrom = \"O\"\nto = \"P\"\ndepartures = [\"08:00\"]\nseats = 200\n\
            [[port]]\nname = \"P\"\nquota_per_day = 100\nservers = 10\nservice = \"30min\"\n\
            hours = [\"08:00\", \"18:00\"]\n\
            [[disruption]]\nports = [\"P\"]\nfrom = \"9.5d\"\nuntil = \"30.5d\"\ncapacity = 0\n";
    let (name, text) = lever(closed);
    assert_eq!(name, "port P", "{text}");
    // It names the week it reopened in, and both levers: more capacity after it reopens had
    // been said to move the date less, which a planner's closure refuted (a week sooner: −7
    // days; a quarter more quota: −9.9).
    assert!(text.starts_with("it reopened in the week of"), "{text}");
    assert!(
        text.contains("reopening it sooner or more of its capacity after it reopens"),
        "{text}"
    );
    assert!(!text.contains("less"), "{text}");
    // One screening server for 3,000 people binds until the last of them reach the health
    // check: more screening capacity moves the date as much as a shorter isolation (it had
    // said "more capacity little", while 2 servers took 59 days off the baseline's 5).
    let screened = health.replace(
        "[health]",
        "[screening]\nservers = 1\nservice = \"10min\"\n[health]",
    );
    let (name, text) = lever(&screened);
    assert_eq!(name, "health check", "{text}");
    assert!(
        text.contains("more screening capacity or a shorter check or isolation"),
        "{text}"
    );
}

/// The last people wait out a slow health check, then a departure or a day their port serves:
/// transport binds at the end at a tenth of its capacity. Its lever had said more of its
/// capacity would bring the date forward; more seats change nothing, a shorter isolation does.
#[test]
fn a_stage_far_from_full_at_the_end_is_not_a_capacity_lever() {
    let run_with = |sets: &[&str]| {
        let sets: Vec<_> = sets.iter().map(|s| parse_set(s).unwrap()).collect();
        let path = std::path::Path::new("tests/scenarios/slow-health.toml");
        let mut scn = load_file_with(path, &sets).unwrap().scenario;
        scn.replications = 40;
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        (scn, run)
    };
    let (scn, run) = run_with(&[]);
    let spans = binding_spans(&bind(&scn, &RunView::from_run(&run)));
    let (k, text) = date_lever(&scn, &spans).unwrap();
    assert_eq!(spans[k].name, "transport", "{spans:#?}");
    assert!(spans[k].utilization.is_some_and(|u| u < BUSY));
    assert!(text.starts_with("it is far from full ("), "{text}");
    assert!(
        text.contains("more of its capacity would change little"),
        "{text}"
    );
    // (mean, P90) of clearance: the median of this scenario moves little either way (the
    // slow health check holds the last few people, so it is the tail that moves).
    let stats = |run: &crate::experiment::RunResult| {
        let c = run.summary.clearance_days.as_ref().unwrap();
        (c.mean, c.p90.unwrap())
    };
    let base = stats(&run);
    let seats = stats(
        &run_with(&[
            "route[1].seats=120",
            "route[2].seats=120",
            "route[3].seats=80",
        ])
        .1,
    );
    let isolation = stats(&run_with(&["health.isolation=\"7d\""]).1);
    assert!(
        (seats.0 - base.0).abs() < 0.5 && (seats.1 - base.1).abs() < 1.0,
        "twice the seats: {base:?} -> {seats:?}"
    );
    assert!(
        isolation.0 < base.0 - 2.0 && isolation.1 < base.1 - 5.0,
        "isolation 7 days: {base:?} -> {isolation:?}"
    );
}

/// A port whose queue is held by a group larger than its quota (fifo) passes nobody at the
/// end: it is far from full, but its people wait for room, and more quota moves the date (from
/// never to day 101 in a review), so the lever is capacity, not "would change little". Under
/// choose_port = "first" the route to P1, listed first, takes every group (the route to P2 is
/// never used), so the lever names room for the largest group, which lets the backlog clear.
#[test]
fn a_stage_that_passes_nobody_at_the_end_keeps_its_capacity_lever() {
    let toml = "[scenario]\nname = \"stuck\"\nhorizon = \"200d\"\nreplications = 10\n\
        [backlog]\npeople = 2000\ngroup_size = { dist = \"empirical\", values = [1, 4], \
        weights = [0.9, 0.1] }\n[[origin]]\nname = \"O\"\n\
        [[route]]\nfrom = \"O\"\nto = \"P1\"\n[[route]]\nfrom = \"O\"\nto = \"P2\"\n\
        [[port]]\nname = \"P1\"\nquota_per_day = 3\n\
        [[port]]\nname = \"P2\"\nquota_per_day = 20\n";
    let (scn, b) = run_and_bind(toml);
    let spans = binding_spans(&b);
    let (k, text) = date_lever(&scn, &spans).unwrap();
    assert_eq!(spans[k].name, "port P1", "{spans:#?}");
    assert!(!text.contains("far from full"), "{text}");
    assert!(
        text.contains("no port its routes lead to takes more than 3 a day (to P1: quota 3 a day)")
            && text.contains("room for the largest group on a route from there"),
        "{text}"
    );
    // Room for the largest group lets those groups travel; it need not clear the backlog in
    // time (a quota of 4 a day left 4,800 people waiting in a review), so it does not say so.
    assert!(
        text.contains("would let those groups travel")
            && text.contains("depends on that route's capacity")
            && !text.contains("would let it clear"),
        "{text}"
    );
}

/// El Paso closed from day 100 to day 200: the last week, where nobody waits anywhere,
/// had named registration with 0 people to register, and its lever ("shorter travel or
/// service") moved the date by 0.07 days while reopening 20 days sooner moved it by 18.
#[test]
fn a_last_week_where_nobody_waits_gives_way_to_the_closure_before_it() {
    let text = std::fs::read_to_string("scenarios/baseline.toml").unwrap()
        + "\n[[disruption]]\nports = [\"El Paso\"]\nfrom = \"100d\"\nuntil = \"200d\"\n\
               capacity = 0\n";
    let (scn, b) = run_and_bind(&text.replace("replications = 200", "replications = 10"));
    let spans = binding_spans(&b);
    assert!(idle_tail(spans.last().unwrap()), "{spans:#?}");
    let (k, lever) = date_lever(&scn, &spans).unwrap();
    assert_eq!(k, spans.len() - 2);
    assert_eq!(spans[k].name, "port El Paso");
    assert!(lever.contains("reopening it sooner"), "{lever}");
}

/// A port closed after the last registrations holds the people who register late until it
/// reopens: explain had bound the baseline with El Paso closed from day 100 to 200 at day
/// 120 (registration), while every replication cleared after day 202.
#[test]
fn a_closure_after_the_registrations_holds_the_late_people_in_the_bound() {
    for policy in ["appointment", "fifo"] {
        let mut scn = bundled_with(
            "baseline",
            &[
                &format!("dispatch.policy=\"{policy}\""),
                "attrition.hazard_per_day=0",
            ],
        );
        let p = port_index(&scn, "El Paso");
        scn.disruptions.push(crate::scenario::Disruption {
            ports: vec![p],
            routes: vec![],
            screening: false,
            from: 100.0,
            until: 200.0,
            capacity: 0.0,
        });
        let rep = explain(&scn);
        let bound = rep.lower_bound_day.unwrap();
        assert!((200..=203).contains(&bound), "{policy}: {bound}");
        assert_eq!(rep.binding_name(), "port El Paso", "{policy}");
        assert!(
            explain_text(&rep).contains("Port El Paso: the people expected to register after day"),
            "{policy}"
        );
        // A lower bound still: no replication clears before it.
        scn.replications = 20;
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let first = run
            .clearance_days
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        assert!(
            first >= bound as f64,
            "{policy}: bound {bound}, a run clears at {first}"
        );
    }
    // The baseline's late registrants pass its stages within a week of the registrations'
    // end: its bound stays registration's.
    let rep = explain(&bundled("baseline"));
    assert_eq!(rep.binding_name(), "registration");
    assert_eq!(rep.lower_bound_day, Some(120));
}

/// Weeks where nobody waits (the last people travel for 12 days) after weeks of people
/// still registering are a span of their own: joined, they had read "registration, 0 people
/// still to register" and the lever "wait for people still registering".
#[test]
fn weeks_where_nobody_waits_are_not_joined_with_registration() {
    let toml = "[scenario]\nname = \"t\"\nstart_date = \"2021-01-01\"\nhorizon = \"200d\"\n\
            replications = 10\n[backlog]\npeople = 2000\n[[origin]]\nname = \"O\"\n\
            [registration]\ndelay = { dist = \"empirical\", values = [\"0.5d\", \"40d\"], \
            weights = [0.8, 0.2] }\n[[route]]\nfrom = \"O\"\nto = \"P\"\ntravel = \"12d\"\n\
            [[port]]\nname = \"P\"\nquota_per_day = 100000\n";
    let (scn, b) = run_and_bind(toml);
    let spans = binding_spans(&b);
    let last = spans.last().unwrap();
    assert!(idle_span(last) && !idle_tail(last), "{spans:#?}");
    assert!(
        spans.len() >= 2 && !idle_span(&spans[spans.len() - 2]),
        "{spans:#?}"
    );
    let (k, lever) = date_lever(&scn, &spans).unwrap();
    assert_eq!(k, spans.len() - 1);
    assert!(lever.contains("shorter travel or service"), "{lever}");
}

#[test]
fn under_appointment_a_quota_booked_early_is_served_later() {
    // The quota ramps down from 300 to 50 a day while the servers pass 150 a day: people
    // booked on the early days of high quota are served on later days. Every replication
    // clears on day 20; the bound must not come later (taking the smaller of quota and
    // servers day by day said day 27).
    let toml = "[scenario]\nname = \"rampdown\"\nhorizon = \"200d\"\nreplications = 10\n\
            [backlog]\npeople = 3000\n[[origin]]\nname = \"O\"\n\
            [dispatch]\npolicy = \"appointment\"\n\
            [[route]]\nfrom = \"O\"\nto = \"P\"\n\
            [[port]]\nname = \"P\"\nquota_per_day = 50\nramp = { from = 300, over = \"20d\" }\n\
            servers = 1\nservice = \"9.6min\"\n";
    let scn = crate::scenario::load_str(toml, "t.toml").unwrap();
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    let first = run
        .clearance_days
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    let bound = explain(&scn).lower_bound_day.unwrap();
    assert!(
        (bound as f64) < first + 1e-9,
        "bound day {bound}, a run clears at {first}"
    );
    // Under fifo the quota counts service starts, and the day by day bound holds (27).
    let fifo = toml.replace("\"appointment\"", "\"fifo\"");
    let scn = crate::scenario::load_str(&fifo, "t.toml").unwrap();
    assert_eq!(explain(&scn).lower_bound_day, Some(27));
}

/// `baseline` with `sets` and 4 replications: explain's binding row, and the run's spans with
/// the one that sets the date.
fn explain_and_run(sets: &[&str]) -> (String, Vec<BindingSpan>, usize) {
    let mut scn = bundled_with("baseline", sets);
    scn.replications = 4;
    let rep = explain(&scn);
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    let b = bind_with(&scn, &rep, &RunView::from_run(&run));
    let spans = binding_spans(&b);
    let (k, _) = date_lever(&scn, &spans).unwrap();
    (rep.binding_name().to_string(), spans, k)
}

/// Buses with 3 seats toward San Ysidro under appointment (the baseline's policy): groups of
/// 4 never board and the others wait for the 18 seats a day, not for the port's 300
/// appointments. explain named transport; the run had named port San Ysidro, "0% used" with
/// the ready people of Tijuana in front of it, for the last 57% of the weeks.
#[test]
fn under_appointment_seats_too_few_bind_transport_in_explain_and_the_run() {
    let (explained, spans, k) = explain_and_run(&["route[Tijuana->San Ysidro].seats=3"]);
    assert_eq!(explained, "transport → San Ysidro");
    assert_eq!(spans[k].name, explained, "{spans:?}");
    assert!(
        spans.iter().all(|s| s.name != "port San Ysidro"),
        "{spans:?}"
    );
    // Under fifo too.
    let (explained, spans, k) = explain_and_run(&[
        "route[Tijuana->San Ysidro].seats=3",
        "dispatch.policy=\"fifo\"",
    ]);
    assert_eq!(explained, "transport → San Ysidro");
    assert_eq!(spans[k].name, explained, "{spans:?}");
}

/// Brownsville's quota ramps from 25 down to 0 in ten days: Matamoros, routed only there, is
/// never cleared. Under appointment its buses have no seats on the days it takes no
/// appointments, so transport never finishes either; explain had named "transport" (the first
/// of two rows without a finish), the run the port, which is what holds the people back.
#[test]
fn a_port_without_quota_binds_in_explain_and_the_run() {
    let (explained, spans, k) = explain_and_run(&["port[Brownsville].quota_per_day=0"]);
    assert_eq!(explained, "port Brownsville");
    assert_eq!(spans[k].name, explained, "{spans:?}");
    assert_eq!(spans[k].utilization, None, "{spans:?}");
}

/// Screening with 3 servers of random (exponential) service times sets the bound, day 347:
/// 45 of 100 runs cleared before it, so "not expected before" misled; it is said as an
/// estimate, with the floor that quotas, seats and registrations alone give (day 120, which
/// no run beat). The same servers with a fixed service time, and the baseline (registration),
/// keep "not expected before".
#[test]
fn a_bound_set_by_random_service_is_an_estimate_not_a_floor() {
    let random = bundled_with(
        "baseline",
        &["attrition.hazard_per_day=0", "screening.servers=3"],
    );
    let rep = explain(&random);
    assert_eq!(rep.binding_name(), "screening");
    assert_eq!(rep.lower_bound_day, Some(347));
    assert_eq!(rep.bound_kind, BoundKind::RandomServers);
    assert_eq!(rep.floor_day, Some(120));
    let text = explain_text(&rep);
    assert!(
        text.contains("clearance is expected about day 347 (2022-02-01). That day is an estimate"),
        "{text}"
    );
    assert!(
        text.contains("do not let it clear before day 120"),
        "{text}"
    );
    assert!(!text.contains("not expected before"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&crate::output::json::explain_json(&rep, &random, &[]).unwrap())
            .unwrap();
    assert_eq!(json["bound_kind"], "random_servers");
    assert_eq!(json["bound_is_estimate"], true);
    assert_eq!(json["floor_day"], 120);
    assert_eq!(json["lower_bound_day"], 347);
    // A port's servers: El Paso with 2.
    let port = bundled_with(
        "baseline",
        &["attrition.hazard_per_day=0", "port[El Paso].servers=2"],
    );
    let rep = explain(&port);
    assert_eq!(rep.bound_kind, BoundKind::RandomServers);
    assert!(explain_text(&rep).contains("port El Paso's servers set it"));
    // Fixed service: a floor but for service started until closing time.
    let fixed = bundled_with(
        "baseline",
        &[
            "attrition.hazard_per_day=0",
            "screening.servers=3",
            "screening.service=\"30min\"",
        ],
    );
    let rep = explain(&fixed);
    assert_eq!(rep.bound_kind, BoundKind::FixedServers);
    assert!(explain_text(&rep).contains("clearance is not expected before day 347"));
    // Registration sets the baseline's: a floor.
    let rep = explain(&bundled("baseline"));
    assert_eq!(
        (rep.bound_kind, rep.floor_day),
        (BoundKind::Floor, Some(120))
    );
    assert!(explain_text(&rep).contains("clearance is not expected before day 120"));
}

/// The ports' total counts only the ports a route reaches: with port Q (100/day) reached by no
/// route, the "ports" row had shown 200 a day, and the bottleneck chart had drawn the ports'
/// capacity at 200, where only port P's 100 can be used. Its finish is P's, in the table and
/// the JSON alike.
#[test]
fn the_ports_total_leaves_out_ports_no_route_reaches() {
    let toml = "[scenario]\nname = \"noroute\"\nreplications = 10\n[backlog]\npeople = 1000\n\
                [[origin]]\nname = \"A\"\n[[route]]\nfrom = \"A\"\nto = \"P\"\n\
                [[port]]\nname = \"P\"\nquota_per_day = 100\n\
                [[port]]\nname = \"Q\"\nquota_per_day = 100\n";
    let scn = crate::scenario::load_str(toml, "noroute.toml").unwrap();
    let rep = explain(&scn);
    let total = rep
        .rows
        .iter()
        .position(|r| r.stage == Stage::Port && r.port.is_none())
        .unwrap();
    let p = row_of(&rep, Stage::Port, port_index(&scn, "P"));
    let q = row_of(&rep, Stage::Port, port_index(&scn, "Q"));
    assert_eq!(rep.rows[total].peak_capacity(), 100.0);
    assert!(rep.rows[total].capacity.iter().all(|&c| c == 100.0));
    assert_eq!(rep.rows[total].earliest_day, rep.rows[p].earliest_day);
    assert_eq!(rep.rows[total].earliest_day, Some(9));
    assert_eq!(rep.finish(q), Finish::NoRoute);
    let text = explain_text(&rep);
    let line = text
        .lines()
        .find(|l| l.starts_with("ports "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.split_whitespace().collect::<Vec<_>>()[1..3] == ["100", "100"],
        "{line}"
    );
    assert!(text.contains("the ports' total leaves it out"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&crate::output::json::explain_json(&rep, &scn, &[]).unwrap()).unwrap();
    let rows = json["rows"].as_array().unwrap();
    let ports = rows.iter().find(|r| r["name"] == "ports").unwrap();
    assert!(
        ports["capacity_per_day"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c.as_f64() == Some(100.0)),
        "{ports}"
    );
}

/// Origin A has buses to P1 (two a day, 15 seats) and a continuous route to P2; B only a
/// continuous route to P2. A group ready to travel leaves on whatever route can take it then,
/// and A's continuous route always can: the buses carry nobody.
const BESIDE: &str = r#"
[scenario]
name = "beside"
horizon = "100d"
replications = 20
[backlog]
people = 500
group_size = { dist = "empirical", values = [1, 2, 3, 4], weights = [0.4, 0.3, 0.2, 0.1] }
[[origin]]
name = "A"
share = 0.5
[[origin]]
name = "B"
share = 0.5
[registration]
delay = { dist = "uniform", min = "0d", max = "10d" }
[dispatch]
choose_port = "shortest_queue"
[[route]]
from = "A"
to = "P1"
departures = ["09:00", "13:00"]
seats = 15
travel = "2h"
[[route]]
from = "A"
to = "P2"
travel = { dist = "exponential", mean = "3h" }
[[route]]
from = "B"
to = "P2"
travel = "1h"
[[port]]
name = "P1"
quota_per_day = 17
servers = 2
service = { dist = "gamma", mean = "30min", sd = "10min" }
hours = ["08:00", "16:00"]
holding = 20
[[port]]
name = "P2"
quota_per_day = 23
ramp = { from = 5, over = "5d" }
servers = 1
service = "20min"
hours = ["06:00", "14:00"]
"#;

/// Scheduled routes beside a continuous route that takes everyone at once carry nobody: the
/// run processes nobody at P1, and explain leaves the buses and P1 out of its totals ("not
/// used"), so its bound is exactly that of the scenario without them, which no run beats. It
/// had counted P1's 17 a day and put the bound at day 13, where the runs clear after day 24.
#[test]
fn buses_beside_a_continuous_route_that_takes_everyone_are_left_out_of_explain() {
    let scn = load_str(BESIDE, "beside.toml").unwrap();
    assert_eq!(scn.idle_scheduled_routes(), vec![0]);
    let rep = explain(&scn);
    let without = explain(&scn.without_routes(&[0]));
    assert!(rep.lower_bound_day.is_some());
    assert_eq!(rep.lower_bound_day, without.lower_bound_day);
    assert_eq!(
        rep.total(Stage::Port).capacity,
        without.total(Stage::Port).capacity
    );
    // The ports' total is P2's alone.
    assert_eq!(
        rep.total(Stage::Port).capacity,
        rep.port(1).unwrap().capacity
    );
    for (i, r) in rep.rows.iter().enumerate() {
        if r.port == Some(0) {
            assert_eq!(r.people, RowPeople::Unused, "{}", r.name);
            assert_eq!(rep.finish(i), Finish::Unused, "{}", r.name);
        }
    }
    assert!(rep
        .transport_to(0)
        .unwrap()
        .capacity
        .iter()
        .all(|c| *c == 0.0));
    let text = explain_text(&rep);
    assert!(text.contains("not used"), "{text}");
    assert!(
        text.contains(
            "carry nobody (see the warning): from A (A->P1 beside A->P2). The transport rows \
             and the ports' total leave them out, and port P1, which only they reach, is \"not \
             used\""
        ),
        "{text}"
    );
    // The run: nobody at P1, and no replication before the bound.
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    assert_eq!(run.summary.ports[0].processed.as_ref().unwrap().max, 0.0);
    let day = rep.lower_bound_day.unwrap() as f64;
    assert!(
        run.clearance_days.iter().all(|c| *c >= day),
        "{day} {:?}",
        run.clearance_days
    );
    // The run names P2, which is the ports' total here: nothing for the run to explain.
    let b = bind(&scn, &RunView::from_run(&run));
    let last = binding_spans(&b).last().unwrap().clone();
    assert_eq!(last.name, "port P2");
    assert_eq!(rep.binding_name(), "ports");
    assert!(rep.same_stage("ports", "port P2") && rep.same_stage("port P2", "ports"));
    assert!(!rep.same_stage("ports", "port P1"));
}

/// With a holding limit at P2, A's groups that find P2 full wait, and the buses take them: the
/// run processes people at P1, so explain counts the buses and P1 in full, and says that they
/// carry only what the continuous route leaves them.
#[test]
fn buses_beside_a_continuous_route_with_a_holding_limit_are_counted_with_a_note() {
    let toml = BESIDE.replace("service = \"20min\"", "service = \"20min\"\nholding = 5");
    let scn = load_str(&toml, "beside.toml").unwrap();
    assert!(scn.idle_scheduled_routes().is_empty());
    let rep = explain(&scn);
    assert!(rep.rows.iter().all(|r| r.people != RowPeople::Unused));
    let text = explain_text(&rep);
    assert!(
        text.contains(
            "Scheduled routes beside a continuous route carry only the groups it cannot take \
             when they are ready (see the warning): from A (A->P1 beside A->P2)"
        ),
        "{text}"
    );
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    assert!(run.summary.ports[0].processed.as_ref().unwrap().min > 0.0);
    assert!(!rep.same_stage("ports", "port P2"));
}

/// "ports" and the only port are one stage (and "transport" and the transport to it); with
/// several ports in use they are not.
#[test]
fn the_ports_total_and_the_only_port_are_one_stage() {
    let scn =
        crate::scenario::load_file(std::path::Path::new("tests/scenarios/minimal.toml")).unwrap();
    let rep = explain(&scn);
    assert!(rep.same_stage("ports", "port San Ysidro"));
    assert!(rep.same_stage("transport → San Ysidro", "transport"));
    assert!(!rep.same_stage("ports", "transport"));
    assert!(!rep.same_stage("ports", "registration"));
    let rep = explain(&bundled("baseline"));
    assert!(!rep.same_stage("ports", "port El Paso"));
    assert!(rep.same_stage("port El Paso", "port El Paso"));
}

/// Everyone registers at t = 0 and waits at the port for it to open at 08:00: registration
/// does not bind (it had, "100 people still to register", 100% of the clearance time), the
/// port does, as where the groups waited (within the day, which the daily means do not see).
#[test]
fn registration_does_not_bind_when_everyone_registered_at_the_start() {
    let mut scn =
        crate::scenario::load_file(std::path::Path::new("tests/scenarios/minimal.toml")).unwrap();
    scn.ports[0].quota_per_day = Some(1000);
    scn.ports[0].schedule.hours = Some((8.0 / 24.0, 18.0 / 24.0));
    scn.replications = 5;
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    let b = bind(&scn, &RunView::from_run(&run));
    assert!(!b.is_empty());
    for w in &b {
        assert_ne!(w.stage, Stage::Registration, "{w:?}");
        assert_eq!(w.loads[0].queue, 0.0, "{w:?}");
    }
    assert_eq!(b[0].name, "port San Ysidro");
    let shares = binding_shares(&b);
    assert_eq!(shares, vec![("port San Ysidro".to_string(), 1.0)]);
    let spans = binding_spans(&b);
    let (_, lever) = date_lever(&scn, &spans).unwrap();
    assert!(
        lever.contains("wait there for a departure or for it to open"),
        "{lever}"
    );
}

/// A phase whose people register at the very start of a week (opening on day 14, no delay)
/// keeps registration binding the week before, not that week: they have registered by its
/// start. Its last week, nobody waiting, is "nobody waits", not registration, in the shares.
#[test]
fn people_registering_at_a_weeks_start_are_not_still_to_register_in_it() {
    let toml = r#"
[scenario]
name = "phase at a week's start"
horizon = "40d"
replications = 3
[backlog]
people = 10
[[origin]]
name = "A"
[[port]]
name = "P"
quota_per_day = 1000
hours = ["08:00", "18:00"]
[[route]]
from = "A"
to = "P"
[[phase]]
people = 50
opens = "14d"
"#;
    let (scn, b) = run_and_bind(toml);
    assert_eq!(unregistered_at(&scn, 20)[13], 50.0);
    assert_eq!(unregistered_at(&scn, 20)[14], 0.0);
    let last = b.last().unwrap();
    assert_eq!(last.from_day, 14, "{b:?}");
    assert!(last.queue < 1.0, "{last:?}");
    assert_eq!(b[1].stage, Stage::Registration, "{:?}", b[1]);
    assert_eq!(b[1].queue, 50.0, "{:?}", b[1]);
    let shares = binding_shares(&b);
    assert!(
        shares.iter().any(|(n, _)| n == "nobody waits"),
        "{shares:?}"
    );
}

/// Screening without servers passes nobody: it binds, though a route whose buses never meet
/// their port's days also never passes its origin's people (explain had named that route, the
/// later row of the tie), and the text says nobody can be processed (it had said drop-outs
/// let a run clear within the days analysed).
#[test]
fn screening_that_passes_nobody_binds_before_later_stages() {
    let scn = bundled_with(
        "baseline",
        &[
            "screening.servers=0",
            "port[El Paso].days=[\"Sat\",\"Sun\"]",
            "scenario.horizon=\"200d\"",
        ],
    );
    let rep = explain(&scn);
    assert_eq!(rep.binding_name(), "screening");
    assert!(rep.passes_nobody);
    assert_eq!(rep.lower_bound_day, None);
    let s = explain_text(&rep);
    assert!(
        s.contains(
            "Binding stage: screening. It passes nobody within the 200 days analysed, so nobody \
             can be processed: a run ends only at the horizon, or once everyone still waiting \
             has dropped out."
        ),
        "{s}"
    );
    assert!(!s.contains("so a run can clear within them"), "{s}");
    // A route that never carries, with screening open, still binds as before.
    let route_only = bundled_with("baseline", &["port[El Paso].days=[\"Sat\",\"Sun\"]"]);
    let rep = explain(&route_only);
    assert!(!rep.passes_nobody);
    assert_ne!(rep.binding_name(), "screening");
}

/// Under appointment a continuous route carries nobody on the days its port takes no
/// appointments, yet it limits nothing: the port's quota holds people back. Transport made of
/// such routes only is unlimited (every day, as the bottleneck chart and `explain --json` read
/// it); a scheduled route to another port keeps the total limited by its seats.
#[test]
fn continuous_routes_under_appointment_are_unlimited_transport() {
    let toml = |policy: &str, b_departures: &str| {
        format!(
            r#"
[scenario]
name = "walk"
start_date = "2024-03-04"
horizon = "60d"
replications = 2
[backlog]
people = 500
[[origin]]
name = "Camp"
[registration]
delay = "1d"
[dispatch]
policy = "{policy}"
choose_port = "shortest_queue"
[[route]]
from = "Camp"
to = "A"
departures = "continuous"
travel = "2h"
[[route]]
from = "Camp"
to = "B"
{b_departures}
travel = "3h"
[[port]]
name = "A"
quota_per_day = 50
days = ["Mon","Tue","Wed","Thu","Fri"]
[[port]]
name = "B"
opens = "10d"
quota_per_day = 20
"#
        )
    };
    for policy in ["appointment", "fifo"] {
        let scn = crate::scenario::load_str(&toml(policy, "departures = \"continuous\""), "w.toml")
            .unwrap();
        let rep = explain(&scn);
        for row in [
            rep.total(Stage::Transport),
            rep.transport_to(0).unwrap(),
            rep.transport_to(1).unwrap(),
        ] {
            assert!(row.unlimited, "{policy}: {}", row.name);
            assert!(row.capacity.iter().all(|c| c.is_infinite()), "{}", row.name);
        }
    }
    // B reached by a bus of 30 seats a day: its transport and the total are limited (the
    // total is the bus alone on weekends, when A takes no appointments); A's stays unlimited.
    let scn = crate::scenario::load_str(
        &toml("appointment", "departures = [\"08:00\"]\nseats = 30"),
        "w.toml",
    )
    .unwrap();
    let rep = explain(&scn);
    assert!(rep.transport_to(0).unwrap().unlimited);
    let b = rep.transport_to(1).unwrap();
    assert!(!b.unlimited);
    assert_eq!(b.capacity[5], 0.0, "B opens on day 10");
    assert_eq!(b.capacity[12], 30.0);
    let total = rep.total(Stage::Transport);
    assert!(!total.unlimited);
    // Day 12 is Saturday 2024-03-16: A takes no appointments, the bus to B runs.
    assert_eq!(total.capacity[12], 30.0);
    assert!(total.capacity[11].is_infinite());
}

/// `explain`'s bound and every run of `toml` (fixed service times, no attrition, nothing
/// random that the bound leaves out): no run clears before the bound.
fn bound_and_runs(toml: &str) -> (BottleneckReport, Vec<f64>) {
    let scn = crate::scenario::load_str(toml, "test.toml").unwrap();
    let rep = explain(&scn);
    let run = crate::experiment::run(&scn, &Default::default()).unwrap();
    (rep, run.clearance_days.clone())
}

/// A port open on Mondays only, one server, a fixed 5-hour service: it starts five services a
/// Monday (00:00, 05:00, 10:00, 15:00, 20:00, the last running into Tuesday). Capping a day's
/// starts at 24 h / 5 h = 4.8 had put the bound on day 38, a week after every run's clearance
/// (day 32).
#[test]
fn a_service_running_past_midnight_into_a_closed_day_counts_in_the_bound() {
    let (rep, runs) = bound_and_runs(
        r#"
[scenario]
name = "port open Mondays, 5h fixed service"
horizon = "400d"
replications = 5

[backlog]
people = 25

[[origin]]
name = "A"

[[route]]
from = "A"
to = "P"

[[port]]
name = "P"
servers = 1
service = "5h"
days = ["Mon"]
"#,
    );
    let bound = rep.lower_bound_day.unwrap() as f64;
    assert!(
        runs.iter().all(|&c| c >= bound),
        "bound {bound}, runs {runs:?}"
    );
    // Five a Monday (day 0, 2021-01-01, is a Friday: closed).
    let cap = &rep.total(Stage::Port).capacity;
    assert_eq!(cap.iter().copied().fold(0.0, f64::max), 5.0);
    assert_eq!(cap[0], 0.0);
}

/// Screening without a server count, closed by a disruption for 60 days: the bound counts
/// the closure (the simulation does: no one is screened before day 60), as it does for a port
/// or a route without a limit; it had called screening unlimited and put the bound on day 9.
#[test]
fn a_screening_closure_counts_also_without_servers() {
    let (rep, runs) = bound_and_runs(
        r#"
[scenario]
name = "screening closure, unlimited servers"
horizon = "400d"
replications = 5

[backlog]
people = 1000

[screening]
service = "1h"

[[origin]]
name = "A"

[[route]]
from = "A"
to = "P"

[[port]]
name = "P"
quota_per_day = 100

[[disruption]]
stage = "screening"
from = "0d"
until = "60d"
capacity = 0
"#,
    );
    assert_eq!(rep.binding_name(), "screening");
    assert_eq!(rep.lower_bound_day, Some(60));
    assert!(runs.iter().all(|&c| c >= 60.0), "{runs:?}");
}

/// Screening at 100% of its capacity with nobody waiting (ten people a day arrive, ten are
/// screened), while one 3-seat bus a day carries one group of 2 and the ready queue grows by
/// 8 a day: the bus holds people back from the first week, not screening, which keeps up.
#[test]
fn a_full_stage_with_nobody_in_front_does_not_bind() {
    let mut toml = String::from(
        r#"
[scenario]
name = "screening full with nobody waiting"
horizon = "400d"
replications = 5

[backlog]
people = 10
group_size = 2

[screening]
servers = 1
service = "2h"
hours = ["08:00", "17:00"]

[[origin]]
name = "A"

[[route]]
from = "A"
to = "P"
departures = ["20:00"]
seats = 3

[[port]]
name = "P"
"#,
    );
    for d in 1..40 {
        toml += &format!("\n[[phase]]\nname = \"p{d}\"\npeople = 10\nopens = \"{d}d\"\n");
    }
    let (_, b) = run_and_bind(&toml);
    assert_eq!(b[0].stage, Stage::Transport, "{:?}", b[0]);
    assert!(b.iter().all(|p| p.stage != Stage::Screening), "{b:?}");
}

/// Two origins, each with a route to a port of its own, and an inflow split between them: the
/// totals keep up, one port does not. The overload is named by that port and its origin (it had
/// passed silently, the totals being compared alone); with a route joining the two groups it
/// is not (the origins' inflow can then go to either port), nor when the share fits.
#[test]
fn an_inflow_share_above_its_own_ports_capacity_is_warned_about() {
    let toml = |share_a: f64, join: bool| {
        format!(
            r#"
[scenario]
name = "split"
horizon = "60d"
[backlog]
people = 10
[[origin]]
name = "A"
share = {share_a}
[[origin]]
name = "B"
share = {}
[inflow]
rate_per_day = 100
[[port]]
name = "PA"
quota_per_day = 80
[[port]]
name = "PB"
quota_per_day = 80
[[route]]
from = "A"
to = "PA"
[[route]]
from = "B"
to = "PB"
{}"#,
            1.0 - share_a,
            if join {
                "[[route]]\nfrom = \"A\"\nto = \"PB\"\n"
            } else {
                ""
            }
        )
    };
    let load = |share_a: f64, join: bool| {
        let scn = crate::scenario::load_str(&toml(share_a, join), "test.toml").unwrap();
        crate::analysis::inflow_overload_of(&scn)
    };
    // 100 people a day against 160: the totals keep up; A's 90 exceed PA's 80.
    let o = load(0.9, false).expect("A's share outpaces port PA");
    assert_eq!(o.stage, "port PA", "{o:?}");
    assert_eq!(o.origins, vec!["A".to_string()], "{o:?}");
    assert!(
        (o.share - 0.9).abs() < 1e-12 && (o.people_per_day - 90.0).abs() < 1e-9,
        "{o:?}"
    );
    assert!((o.capacity_per_day - 80.0).abs() < 1e-9, "{o:?}");
    let text = o.text(None);
    assert!(
        text.contains("about 90 people a day arrive at A (90% of the inflow's 100 groups a day")
            && text.contains("more than the 80 people a day port PA can pass"),
        "{text}"
    );
    // B's share is the larger the other way round.
    assert_eq!(load(0.1, false).unwrap().stage, "port PB");
    // Shares that fit each port: nothing.
    assert!(load(0.5, false).is_none());
    // A route from A to PB joins the two: A, B, PA and PB are one group, the totals' figures.
    assert!(load(0.9, true).is_none());
    // Over the totals, the totals are named as before (all of the inflow).
    let scn = crate::scenario::load_str(
        &toml(0.9, false).replace("rate_per_day = 100", "rate_per_day = 200"),
        "test.toml",
    )
    .unwrap();
    let o = crate::analysis::inflow_overload_of(&scn).unwrap();
    assert_eq!((o.stage.as_str(), o.share), ("ports", 1.0), "{o:?}");
    assert!(o.origins.is_empty(), "{o:?}");
}

/// The capacity lever names the input that limits the stage, as `--set` keys: screening's
/// servers and hours; for a port, its servers when they serve less than its quota lets through
/// (under fifo, a higher quota changes nothing), its quota otherwise; for the ports' total,
/// each port by what limits it. It had said "more of its capacity" for all of them.
#[test]
fn the_capacity_lever_names_the_input_that_limits_it() {
    let lever = |toml: &str| {
        let (scn, b) = run_and_bind(toml);
        let spans = binding_spans(&b);
        let (k, text) = date_lever(&scn, &spans).unwrap();
        (spans[k].name.clone(), text, date_lever_inputs(&scn, &spans))
    };
    // Two screening servers of 30 minutes, 8 hours a day, for 2,000 people: screening binds.
    let base = "[scenario]\nname = \"s\"\nhorizon = \"400d\"\nreplications = 4\n\
            [backlog]\npeople = 2000\n[[origin]]\nname = \"O\"\n\
            [screening]\nservers = 2\nservice = \"30min\"\nhours = [\"08:00\", \"16:00\"]\n\
            [[route]]\nfrom = \"O\"\nto = \"P\"\ndepartures = \"continuous\"\n\
            [[port]]\nname = \"P\"\nquota_per_day = QUOTA\nservers = SERVERS\n\
            service = \"30min\"\nhours = [\"08:00\", \"16:00\"]\nDAYS";
    let screening = base
        .replace("QUOTA", "1000")
        .replace("SERVERS", "100")
        .replace("DAYS", "");
    let (name, text, inputs) = lever(&screening);
    assert_eq!(name, "screening", "{text}");
    assert_eq!(
        text,
        "its servers are what limits it: more servers (`screening.servers`), longer opening \
         (`screening.hours`) or a shorter service would bring the date forward"
    );
    assert_eq!(inputs, ["screening.servers", "screening.hours"]);
    // Without screening, a port with 1 server (16 people a day, on 6 days of 7) under a quota
    // of 100 (fifo): its servers, its hours and days.
    let no_screening = |q: &str, s: &str| {
        base.replace(
            "[screening]\nservers = 2\nservice = \"30min\"\nhours = [\"08:00\", \"16:00\"]\n",
            "",
        )
        .replace("QUOTA", q)
        .replace("SERVERS", s)
        .replace(
            "DAYS",
            "days = [\"Mon\", \"Tue\", \"Wed\", \"Thu\", \"Fri\", \"Sat\"]\n",
        )
    };
    let (name, text, inputs) = lever(&no_screening("100", "1"));
    assert_eq!(name, "port P", "{text}");
    assert!(
        text == "its servers are what limits it (1 server serves about 14 people a day, under \
                 its quota of 86 a day), not its quota: a higher quota would change nothing; \
                 more servers (`port[P].servers`), longer opening (`port[P].hours` or \
                 `port[P].days`) or a shorter service would bring the date forward",
        "{text}"
    );
    assert_eq!(inputs, ["port[P].servers", "port[P].hours", "port[P].days"]);
    // A quota of 10 (9 a day over the week) under 100 servers: the quota.
    let (_, text, inputs) = lever(&no_screening("10", "100"));
    assert!(
        text == "its quota is what limits it (9 a day; its servers could serve about 1,373): a \
                 higher quota (`port[P].quota_per_day`) would bring the date forward, more \
                 servers would not",
        "{text}"
    );
    assert_eq!(inputs, ["port[P].quota_per_day"]);
    // A bus of 40 seats a day under appointment to a port taking 50: the seats, by their
    // route's keys (the lever had said only "more of its capacity").
    let bus = "[scenario]\nname = \"b\"\nhorizon = \"400d\"\nreplications = 4\n\
            [backlog]\npeople = 3000\n[[origin]]\nname = \"O\"\n\
            [dispatch]\npolicy = \"appointment\"\n\
            [[route]]\nfrom = \"O\"\nto = \"P\"\ndepartures = [\"08:00\"]\nseats = 40\n\
            [[port]]\nname = \"P\"\nquota_per_day = 50\nservers = 20\nservice = \"30min\"\n\
            hours = [\"08:00\", \"18:00\"]\n";
    let (name, text, inputs) = lever(bus);
    assert_eq!(name, "transport → P", "{text}");
    assert_eq!(
        text,
        "its seats are what limits it: more seats or departures (`route[O->P].seats`, \
         `route[O->P].departures`) would bring the date forward"
    );
    assert_eq!(inputs, ["route[O->P].seats", "route[O->P].departures"]);
}

/// A scenario of `ports` ports with quota `quota`, 20,000 people from one origin, and
/// `routes` continuous routes from it to P0, P1, … (under `choose_port = "first"` only P0's
/// is used).
fn many_ports(ports: usize, routes: usize, quota: u32) -> Scenario {
    let mut s = String::from(
        "[scenario]\nname=\"many\"\n[backlog]\npeople=20000\n[dispatch]\nchoose_port=\"first\"\n\
         [[origin]]\nname=\"O\"\n",
    );
    for p in 0..routes {
        s += &format!("[[route]]\nfrom=\"O\"\nto=\"P{p}\"\n");
    }
    for p in 0..ports {
        s += &format!("[[port]]\nname=\"P{p}\"\nquota_per_day={quota}\n");
    }
    crate::scenario::load_str(&s, "many.toml").unwrap()
}

/// Ports no route reaches carry nobody, however many there are: from 65 ports on the ports'
/// total had counted every port (a 64-bit mask wrapped its shift), so that 20,000 people at
/// 100 a day were "not expected before day 3" and P0 itself was "not reached" (and with 64,
/// the bound was right only because P0's own row, set apart, named it).
#[test]
fn ports_no_route_reaches_count_for_nothing_at_any_port_count() {
    for n in [2, 64, 65, 129, 300] {
        let rep = explain(&many_ports(n, 1, 100));
        // As with 2 ports: the ports bind, P0 alone being all of them that carry anyone.
        assert_eq!(rep.binding_name(), "ports", "{n} ports");
        assert_eq!(rep.lower_bound_day, Some(199), "{n} ports");
        assert_eq!(rep.port(0).unwrap().earliest_day, Some(199), "{n} ports");
        assert_eq!(rep.total(Stage::Port).earliest_day, Some(199), "{n} ports");
        assert!(rep.total(Stage::Port).capacity.iter().all(|c| *c == 100.0));
    }
}

/// Under `choose_port = "first"` an origin's continuous routes after the first carry nobody, at
/// any route count: P0 alone passes the 20,000 people, 100 a day, by day 199 (with 65 routes
/// the bound had fallen to the sum of every port's quota).
#[test]
fn routes_after_the_first_continuous_one_count_for_nothing_at_any_route_count() {
    for n in [3, 64, 65, 200] {
        let rep = explain(&many_ports(n, n, 100));
        assert_eq!(rep.binding_name(), "ports", "{n} routes");
        assert_eq!(rep.lower_bound_day, Some(199), "{n} routes");
        assert_eq!(rep.port(0).unwrap().earliest_day, Some(199), "{n} routes");
        assert_eq!(rep.total(Stage::Port).earliest_day, Some(199), "{n} routes");
    }
}
