//! Static analysis of a scenario for stages that have NO capacity for the whole horizon (zero
//! servers, a zero quota, zero seats, a zero holding limit, a schedule that never opens, a port
//! that opens after the horizon, or a disruption with factor 0 that covers the whole horizon),
//! and for origins whose every route leads into one. A scenario with such a stage on every path
//! can never clear: the run stops at the horizon, and these messages say which stage is to blame.

use crate::scenario::{Departures, Scenario};

/// Why the disruptions selected by `applies` leave a stage no capacity over the whole horizon
/// [0, horizon), if they do: `closed` of the product of the factors in force (capacities are
/// floor(value × factor), MODEL.md §1.6) holds from 0 to the horizon. A factor of 0 is a
/// closure; a fraction that floors the stage's capacity to 0 (0.5 of 1 server) is said as such.
fn closed_all_horizon(
    scn: &Scenario,
    applies: impl Fn(&crate::scenario::Disruption) -> bool,
    closed: impl Fn(f64) -> bool,
) -> Option<&'static str> {
    let ds: Vec<&crate::scenario::Disruption> =
        scn.disruptions.iter().filter(|d| applies(d)).collect();
    // The product changes only where a window starts or ends.
    let changes: Vec<f64> = std::iter::once(0.0)
        .chain(ds.iter().flat_map(|d| [d.from, d.until]))
        .filter(|&t| (0.0..scn.horizon).contains(&t))
        .collect();
    let mut factors = Vec::with_capacity(changes.len());
    for &t in &changes {
        match crate::scenario::types::factor_in_force(&ds, t) {
            Some(f) if closed(f) => factors.push(f),
            _ => return None,
        }
    }
    if factors.is_empty() {
        None
    } else if factors.iter().all(|&f| f <= 0.0) {
        Some("a disruption closes it for the whole horizon")
    } else {
        Some(
            "disruptions leave it no capacity for the whole horizon (their factor floors its \
             capacity to 0: capacities are floor(value × factor))",
        )
    }
}

/// Why a stage has no capacity for the whole horizon, and what would give it some.
#[derive(Debug, Clone, PartialEq)]
pub struct NoCapacity {
    /// The stage: `port "P"`, `route "R"` or `screening`.
    pub stage: String,
    /// Why, as the scenario says it: `quota_per_day = 0`, `seats = 0`, …
    pub why: String,
    /// What would give it capacity: `a quota_per_day above 0`, `seats above 0`, …
    pub fix: &'static str,
    /// The key of the stage's table that takes its capacity away (`servers`, `quota_per_day`,
    /// `seats`, `opens`, `holding`, `departures`, `days`); `None` when no one key does (hours
    /// and days that never open, a disruption).
    pub key: Option<&'static str>,
    /// The words that open the warning validation gives for the same cause when the scenario
    /// is loaded (`port El Paso has servers = 0`, followed by `: ` and the consequence), placed
    /// at its key; `None` for a cause validation does not warn of (a disruption). The warnings
    /// "no capacity: …" leave out a stage whose cause a warning of the scenario already says
    /// ([`crate::experiment::summary::new_capacity_warnings`]): one warning a cause.
    pub said_at_load: Option<String>,
}

/// The fix for a disruption with capacity 0 over the whole horizon.
const END_CLOSURE: &str = "a closure that ends before the horizon";

/// Why the screening stage has no capacity within the horizon, if it has none.
pub fn screening_no_capacity(scn: &Scenario) -> Option<NoCapacity> {
    let s = scn.screening.as_ref()?;
    let (why, fix, key, said) = if s.servers == Some(0) {
        (
            "servers = 0",
            "servers above 0",
            Some("servers"),
            Some("screening has servers = 0"),
        )
    } else if s.schedule.is_never() {
        (
            "it is never open (days/hours)",
            "days and hours when it opens",
            None,
            Some("screening is never open"),
        )
    } else if let Some(why) = closed_all_horizon(scn, |d| d.screening, |f| s.closed_by(f)) {
        (why, END_CLOSURE, None, None)
    } else {
        return None;
    };
    Some(NoCapacity {
        stage: "screening".into(),
        why: why.into(),
        fix,
        key,
        said_at_load: said.map(String::from),
    })
}

/// The words that open validation's warning for port `name` with `quota_per_day = 0` and a
/// ramp from `from` below 1 (its quota floor(from … 0) is 0 every day): `port P has
/// quota_per_day = 0 and ramp.from = 0.5 (below one person a day)`.
pub fn zero_quota_ramp_words(name: &str, from: f64) -> String {
    format!(
        "{} has quota_per_day = 0 and ramp.from = {from} (below one person a day)",
        crate::format::port_named(name)
    )
}

/// Why port `i` can never start a service within the horizon, if it cannot.
pub fn port_no_capacity(scn: &Scenario, i: usize) -> Option<NoCapacity> {
    let p = &scn.ports[i];
    let named = || crate::format::port_named(&p.name);
    let (why, fix, key, said) = if p.servers == Some(0) {
        (
            "servers = 0",
            "servers above 0",
            Some("servers"),
            Some(format!("{} has servers = 0", named())),
        )
    } else if p.quota_per_day == Some(0) && p.ramp.as_ref().is_none_or(|r| r.from < 1.0) {
        (
            "quota_per_day = 0",
            "a quota_per_day above 0",
            Some("quota_per_day"),
            // (a ramp from 1 or more: the ramp's own warning says when the quota reaches 0)
            match &p.ramp {
                None => Some(format!("{} has quota_per_day = 0", named())),
                Some(r) => Some(zero_quota_ramp_words(&p.name, r.from)),
            },
        )
    } else if p.schedule.is_never() {
        (
            "it is never open (days/hours)",
            "days and hours when it opens",
            None,
            Some(format!("{} is never open", named())),
        )
    } else if p.opens >= scn.horizon {
        (
            "it opens after the horizon",
            "an opening before the horizon",
            Some("opens"),
            Some(format!("{} never opens within the horizon", named())),
        )
    } else if p.holding == Some(0) {
        (
            "holding = 0 (nobody may travel to it)",
            "a holding limit above 0",
            Some("holding"),
            Some(format!("{} has holding = 0", named())),
        )
    } else if let Some(why) = closed_all_horizon(scn, |d| d.ports.contains(&i), |f| p.closed_by(f))
    {
        (why, END_CLOSURE, None, None)
    } else {
        return None;
    };
    Some(NoCapacity {
        stage: format!("port \"{}\"", p.name),
        why: why.into(),
        fix,
        key,
        said_at_load: said,
    })
}

/// Why route `i` can never carry anyone, if it cannot (its port aside).
pub fn route_no_capacity(scn: &Scenario, i: usize) -> Option<NoCapacity> {
    let r = &scn.routes[i];
    let closed = closed_all_horizon(scn, |d| d.routes.contains(&i), |f| r.closed_by(f));
    let said = |what: &str| Some(format!("route {} {what}", r.name));
    let (why, fix, key, said) = match &r.departures {
        Departures::Continuous => (closed?, END_CLOSURE, None, None),
        Departures::Scheduled(times) => {
            if r.seats == Some(0) {
                (
                    "seats = 0",
                    "seats above 0",
                    Some("seats"),
                    said("has seats = 0"),
                )
            } else if times.is_empty() {
                (
                    "it has no departures (departures = [])",
                    "departures",
                    Some("departures"),
                    None,
                )
            } else if !r.days.iter().any(|d| *d) {
                (
                    "it runs on no day of the week (days = [])",
                    "days it runs on",
                    Some("days"),
                    said("runs on no day of the week"),
                )
            } else if let Some(why) = closed {
                (why, END_CLOSURE, None, None)
            } else {
                return None;
            }
        }
    };
    Some(NoCapacity {
        stage: format!("route \"{}\"", r.name),
        why: why.into(),
        fix,
        key,
        said_at_load: said,
    })
}

impl std::fmt::Display for NoCapacity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.stage, self.why)
    }
}

/// The stages of `scn` with no capacity at all within the horizon, each named with the reason,
/// followed by one line per origin (with a positive share) that no route can ever leave, and by
/// "nobody can ever be processed" when that holds for every origin. Empty when every stage has
/// some capacity. (A capacity that is positive but too small for every group is a validation
/// warning, not reported here.)
pub fn zero_capacity_stages(scn: &Scenario) -> Vec<String> {
    zero_capacity_stages_placed(scn)
        .into_iter()
        .map(|(line, _)| line)
        .collect()
}

/// Where in the scenario a line of [`zero_capacity_stages`] is about: an element of an array
/// of tables or a section (`section`, with the 0-based `index` of the element), and the key
/// under it that takes the capacity away, when one does. A line about the whole scenario
/// ("nobody can ever be processed") has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StagePlace {
    /// `"screening"`, `"port"`, `"route"` or `"origin"`.
    pub section: &'static str,
    /// The element of `section` (0-based, in the scenario's order); `None` for a section.
    pub index: Option<usize>,
    /// The key under it (`servers`, `quota_per_day`, …; [`NoCapacity::key`]).
    pub key: Option<&'static str>,
}

/// [`zero_capacity_stages`], each line with the place it is about ([`StagePlace`]; `None` for
/// the line about the whole scenario), for `validate --json` to give its line and key.
pub fn zero_capacity_stages_placed(scn: &Scenario) -> Vec<(String, Option<StagePlace>)> {
    let mut out = Vec::new();
    let mut all_blocked = false;
    if let Some(s) = screening_no_capacity(scn) {
        let at = StagePlace {
            section: "screening",
            index: None,
            key: s.key,
        };
        out.push((s.to_string(), Some(at)));
        all_blocked = true;
    }
    let ports: Vec<Option<NoCapacity>> = (0..scn.ports.len())
        .map(|i| port_no_capacity(scn, i))
        .collect();
    let routes: Vec<Option<NoCapacity>> = (0..scn.routes.len())
        .map(|i| route_no_capacity(scn, i))
        .collect();
    for (section, stages) in [("port", &ports), ("route", &routes)] {
        for (i, n) in stages.iter().enumerate() {
            if let Some(n) = n {
                let at = StagePlace {
                    section,
                    index: Some(i),
                    key: n.key,
                };
                out.push((n.to_string(), Some(at)));
            }
        }
    }
    let mut live_origins = 0;
    let mut blocked_origins = 0;
    for (o, origin) in scn.origins.iter().enumerate() {
        if origin.share <= 0.0 {
            continue;
        }
        live_origins += 1;
        let open = scn
            .routes
            .iter()
            .enumerate()
            .any(|(i, r)| r.origin == o && routes[i].is_none() && ports[r.port].is_none());
        if !open {
            blocked_origins += 1;
            let at = StagePlace {
                section: "origin",
                index: Some(o),
                key: None,
            };
            out.push((
                format!(
                    "origin \"{}\": every route from it leads to a stage with no capacity",
                    origin.name
                ),
                Some(at),
            ));
        }
    }
    if live_origins > 0 && blocked_origins == live_origins {
        all_blocked = true;
    }
    if all_blocked {
        let line: String = if scn.attrition_hazard > 0.0 {
            // Drop-outs resolve groups too: a run ends once every group has dropped out.
            "nobody can ever be processed: a run ends only once everyone has dropped out \
             (attrition), or at the horizon"
                .into()
        } else {
            "nobody can ever be processed: the run can only stop at the horizon".into()
        };
        out.push((line, None));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;

    const BASE: &str = "[scenario]\nname = \"b\"\nhorizon = \"100d\"\n[backlog]\npeople = 10\n\
        [[origin]]\nname = \"A\"\n";

    fn stages(extra: &str) -> Vec<String> {
        let s = load_str(&format!("{BASE}{extra}"), "b.toml").unwrap_or_else(|e| panic!("{e}"));
        zero_capacity_stages(&s)
    }

    #[test]
    fn a_scenario_with_capacity_everywhere_reports_nothing() {
        let v = stages(
            "[[route]]\nfrom = \"A\"\nto = \"P\"\n[[port]]\nname = \"P\"\nquota_per_day = 5\n",
        );
        assert!(v.is_empty(), "{v:?}");
    }

    #[test]
    fn zero_servers_zero_seats_and_closed_screening_are_named() {
        let v = stages(
            "[screening]\nservers = 0\n[[route]]\nfrom = \"A\"\nto = \"P\"\ndepartures = [\"07:00\"]\n\
             seats = 0\n[[port]]\nname = \"P\"\nservers = 0\n",
        );
        let all = v.join("\n");
        assert!(all.contains("screening: servers = 0"), "{all}");
        assert!(all.contains("port \"P\": servers = 0"), "{all}");
        assert!(all.contains("route \"A->P\": seats = 0"), "{all}");
        assert!(all.contains("origin \"A\""), "{all}");
        assert!(all.contains("nobody can ever be processed"), "{all}");
    }

    #[test]
    fn a_bus_on_no_day_of_the_week_is_named_so() {
        let route = "[[route]]\nfrom = \"A\"\nto = \"P\"\n[[port]]\nname = \"P\"\n";
        let v = stages(&route.replace(
            "to = \"P\"\n",
            "to = \"P\"\ndepartures = [\"08:00\"]\ndays = []\n",
        ));
        assert!(
            v[0].contains("it runs on no day of the week (days = [])"),
            "{v:?}"
        );
    }

    #[test]
    fn a_dead_port_with_an_open_alternative_does_not_block_the_origin() {
        let v = stages(
            "[[route]]\nfrom = \"A\"\nto = \"P\"\n[[route]]\nfrom = \"A\"\nto = \"Q\"\n\
             [[port]]\nname = \"P\"\nquota_per_day = 0\n[[port]]\nname = \"Q\"\n\
             [[disruption]]\nports = [\"Q\"]\nfrom = \"10d\"\nuntil = \"20d\"\ncapacity = 0\n",
        );
        assert_eq!(v, vec!["port \"P\": quota_per_day = 0".to_string()]);
    }

    #[test]
    fn a_disruption_over_the_whole_horizon_closes_the_stage() {
        let v = stages(
            "[[route]]\nfrom = \"A\"\nto = \"P\"\n[[port]]\nname = \"P\"\n\
             [[disruption]]\nports = [\"P\"]\nfrom = \"0d\"\nuntil = \"100d\"\ncapacity = 0\n",
        );
        assert!(v[0].contains("disruption closes it"), "{v:?}");
        assert!(v.last().unwrap().contains("nobody can ever be processed"));
    }
}
