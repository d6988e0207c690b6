//! Bottleneck analysis: what limits clearance, from the scenario alone (`explain`, in `bounds`)
//! and from a run (`bind`, in `binding`). It computes result structs ([`BottleneckReport`],
//! [`PeriodBinding`], [`BindingSpan`]) and the sentences that explain them; `output` renders them
//! (`output::bottleneck::print_explain`, the `bottleneck` chart, the report) and so do the
//! commands (the run's "What binds" table). It reads the scenario, the model's capacity rules
//! and a run's daily bands, never the engine.
//!
//! # Capacity bounds (`explain`, no simulation)
//! For every simulated day d, each stage's capacity in people/day:
//! - **registration**: not a capacity but the arrival curve the delay implies: the expected
//!   people registering on day d, Σ over cohorts of people × (1 − never) × (F(d+1−o) − F(d−o)),
//!   F the CDF of `registration.delay`, o the cohort's opening time.
//! - **screening**: servers × open server-days offered on day d / mean service × mean group size
//!   (unlimited without `[screening]`, without `servers`, or with zero service time).
//! - **transport → port**: Σ over scheduled routes to the port of seats × departures on day d
//!   (floor(seats × factor) per departure, at most the port's `holding`: no more can board
//!   toward it at once); a continuous route or one without `seats` is unlimited (a factor of 0
//!   closes it). A holding limit holds a continuous route to about holding / mean travel time a
//!   day over time (Little's law), which a note says; random travel beats it on some days, so
//!   the bound leaves it out. Under `appointment` a route offers nothing on a day its
//!   port takes no appointments (quota 0), since nobody boards toward the port then; a row
//!   whose routes are all unlimited on every day but those stays unlimited (the port's quota,
//!   not transport, holds people back then). The stage total sums every route. A scheduled route of an origin whose continuous route takes every
//!   group the moment it is ready (fifo, no holding limit at its port, never closed within the
//!   horizon: `Scenario::idle_scheduled_routes`) carries nobody, since a ready group leaves on
//!   whatever route can take it then, and so, under `choose_port = "first"`, does a continuous
//!   route listed after one whose port always accepts a group (`Scenario::shadowed_routes`):
//!   the bounds are those of the scenario without them, and a port only such routes reach is
//!   "not used" (`RowPeople::Unused`), out of the ports' total.
//! - **port**: min(q(d), servers × open server-days on day d / mean service × mean group size),
//!   q(d) from `model::capacity::quota`. Disruption factors are taken at their largest value
//!   inside the day, so the capacity is an upper bound and the implied finish a lower bound.
//!   Under `appointment` the quota counts boardings, which the servers can serve on later
//!   days: a port's finish is then the later of its finish through the quota alone and
//!   through the servers alone (the smaller of the two day by day could be later than a run).
//!
//! The **earliest finish** of a stage is the first day D on which a fluid that starts with each
//! cohort's people at its opening day and passes at most the stage's capacity per day has passed
//! everyone: out(d) = min(A(d), out(d−1) + c(d)) ≥ people. People to clear are the backlog plus
//! phases times (1 − never); attrition is ignored. Transport is bounded per origin (its share of
//! the people against its own routes) and in total; the stage's finish is the later. An
//! origin's finish shows on the row "transport → p" when its routes are exactly port p's, else
//! on a row "transport from o" of its own; when it sets transport's finish, later than the
//! total alone, that row is named as binding. Ports are
//! bounded in total and per set of ports by the origins whose every route leads into the set
//! (their share against the set's capacity; every set up to 10 ports, else each port alone). A
//! share of the people (per origin, per set, and all who register for the totals) is counted
//! three standard deviations below its expected number, as origins and reach are drawn group by
//! group at random. A port's own row shows the finish of the origins routed only to it, and when
//! one port's finish is the ports' and later than all ports together would allow, that port is
//! named as binding. For registration the earliest finish is the first day by whose end the
//! chance that every group has registered reaches one in a thousand (for many groups: fewer
//! than ln 1000 ≈ 6.9 still expected to register). Clearance is not expected before
//! the latest of these days (the `lower_bound_day`), and the stage that sets it is the one that
//! binds. When stages never finish within the days analysed, registration binds if it is one
//! of them; else the one whose fluid leaves the largest share of its people unpassed by the
//! last day (a tie to the later row, as for equal days: under `appointment` a port without
//! quota leaves its buses no usable seats either, and the port binds), and of its rows the
//! port's or origin's that leaves the most of its own people. For quotas and seats it holds but
//! for chance (three standard deviations of who registers, from where and when: about one
//! replication in a thousand beats it); a continuous registration delay and service started
//! until closing time can let a few more beat it. When servers with random service times set
//! it (the day comes earlier with them taken as unlimited: `BoundKind::RandomServers`), it is
//! an estimate around which runs fall, not a floor ("clearance is expected about day N"), and
//! the day with every server unlimited (`floor_day`) is the floor, as the report and `explain`
//! say.
//!
//! # Binding stages from a run (`bind`)
//! Per week (up to the median clearance day), per stage, from the daily bands' means (means are
//! linear, so differences of means are means of differences):
//! - throughput: port p `processed_today:p`; transport boardings = Δin_transit + Δwaiting_port +
//!   Σ processed_today (per port: processed_today:p + Δwaiting:p, against the seats of the routes
//!   to p; per origin whose routes are not exactly one port's, `boarded_today:o` against the seats
//!   of its routes, with its ready people in front, so that one origin's full bus shows even when
//!   the port's other routes have room); screening = Δwaiting_ready + boardings (what left
//!   screening; the few who drop out after screening and before boarding are left out, so this
//!   is a lower bound);
//! - utilization = Σ throughput / Σ capacity over the week; queue in front = mean of
//!   `waiting_screening`, `waiting_ready` − `in_health` (ready to travel), `waiting:p` (under
//!   `appointment`, on each day p's quota offers no more than the usable seats of the routes to
//!   p, `waiting:p` plus `waiting_ready:o` − `in_health:o` of every origin o with a route to p,
//!   since the quota then holds people back before boarding; on a day it offers more, the seats
//!   hold them, and they are in front of transport alone).
//!
//! The stage that binds in a week is, among stages at ≥ 90% utilization or with no capacity at
//! all that week (zero servers, quota or seats, or closed) and people in front, the one with the
//! longest queue in front; if none is that full and nobody is left to register, the health check
//! when more people are in it than in front of the stage the next rule would name; otherwise the
//! most utilized stage among those at ≥ 50% with at least one day's throughput queued in front;
//! otherwise, while anyone is still expected to register after the week's start (also after
//! the horizon; a group registering at the very start, as a backlog without a delay does at
//! t = 0, has registered), registration (the system is waiting for them); once nobody is, the
//! stage with the longest queue in front (at least one person: the last people wait there, or
//! are stuck, e.g. groups larger than a port's quota), the health check counting as such a
//! stage with the people in it or its isolation (`in_health`, which is not in front of
//! transport although `waiting_ready` counts it); otherwise, in the first week (no week before
//! it), the stage where groups waited longest over the run by the summary's mean waits (they
//! waited only within days, for a port to open at 08:00, say, which the daily means at
//! midnight do not see); otherwise (the last few, under one person on average) the health
//! check if it bound the week before; otherwise registration, shown as "nobody waits" when
//! fewer than one person waits anywhere (also in the shares).
//!
//! A stage's **share of the clearance time** is the fraction of the days up to the median clearance
//! day that fall in weeks in which it binds.

mod binding;
mod bounds;
mod inflow;

pub use binding::{
    bind, bind_with, binding_shares, binding_spans, date_lever, date_lever_inputs,
    lever_is_measurable, median_clearance, named_ports, never_clears, never_clears_everyone_lever,
    never_clears_origin, ramps_to_nothing, registration_sets_date, unused_ports_note, what_binds,
    what_binds_of, BindingSpan, PeriodBinding, StageLoad,
};
pub(crate) use binding::{idle_span, period_name, IDLE};
pub use bounds::{
    cdf, cdf_before, explain, explain_for_run, explain_through, port_limit, port_serves_a_day,
    quota_over_servers_warning, BottleneckReport, BoundKind, Finish, PortLimit, PortNote,
    RowPeople, Stage, StageBound, NEAR_FULL, PERIOD_DAYS,
};
pub use inflow::{
    inflow_groups_note, inflow_groups_note_unless_warned, inflow_overload,
    inflow_overload_at_points, inflow_overload_of, InflowOverload, INFLOW_OVERLOAD,
};

#[cfg(test)]
pub(crate) mod tests;
