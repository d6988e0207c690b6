//! Registration: cutting the backlog and phases into groups (size, origin, reach, registration
//! delay, drop-out time) and generating Poisson inflow groups. Registrations of cohort groups are
//! returned as one time-sorted stream, so they never crowd the event calendar.

use super::group::{Group, State, INFLOW};
use crate::engine::Stream;
use crate::scenario::dist::{cumulative_weights, Picker};
use crate::scenario::{Dist, Scenario, SizeDist};
use rand::Rng;
use rand_distr::{Distribution, Exp};

/// Origin picker and attrition draws shared by cohort and inflow groups, and the pickers of the
/// group size and registration delay when they are tables of values.
pub struct Population {
    origin: Picker,
    /// Class shares; `None` with a single class (no draw is made then, so a scenario without
    /// classes draws exactly as before classes existed).
    class: Option<Picker>,
    drop: Option<Exp<f64>>,
    /// The group size's picker, when the sizes are a table of values.
    size: Option<Picker>,
    /// The registration delay's picker, when the delays are a table of values.
    delay: Option<Picker>,
}

impl Population {
    /// The drawing of groups for `scn`: its origin shares, class shares, size and delay tables, and
    /// attrition.
    pub fn new(scn: &Scenario) -> Population {
        let shares: Vec<f64> = scn.origins.iter().map(|o| o.share).collect();
        let origin_cum = cumulative_weights(shares.len(), &shares).unwrap_or_else(|_| vec![1.0]);
        let drop = if scn.attrition_hazard > 0.0 {
            Exp::new(scn.attrition_hazard).ok()
        } else {
            None
        };
        let class = if scn.classes.len() > 1 {
            let shares: Vec<f64> = scn.classes.iter().map(|c| c.share).collect();
            cumulative_weights(shares.len(), &shares)
                .ok()
                .map(|c| Picker::new(&c))
        } else {
            None
        };
        let size = match &scn.group_size {
            SizeDist::Empirical { cumulative, .. } => Some(Picker::new(cumulative)),
            SizeDist::Fixed(_) => None,
        };
        let delay = match &scn.registration.delay {
            Dist::Empirical { cumulative, .. } => Some(Picker::new(cumulative)),
            _ => None,
        };
        Population {
            origin: Picker::new(&origin_cum),
            class,
            drop,
            size,
            delay,
        }
    }

    /// A group size \[people\], drawn as `scn.group_size.sample` draws it.
    #[inline(always)]
    fn size(&self, scn: &Scenario, rng: &mut Stream) -> u32 {
        match (&self.size, &scn.group_size) {
            (Some(p), SizeDist::Empirical { values, .. }) => values[p.pick(rng)],
            _ => scn.group_size.sample(rng),
        }
    }

    /// A registration delay \[days\], drawn as `scn.registration.delay.sample` draws it.
    #[inline(always)]
    fn delay(&self, scn: &Scenario, rng: &mut Stream) -> f64 {
        match (&self.delay, &scn.registration.delay) {
            (Some(p), Dist::Empirical { values, .. }) => values[p.pick(rng)],
            (_, d) => d.sample(rng),
        }
    }

    /// A new group registering at `t_reg` in `state` (pending, or unreached for a cohort group
    /// that never registers), and its drop-out time \[days\] (drawn from the same stream;
    /// infinity without attrition).
    pub fn group(
        &self,
        scn: &Scenario,
        rng: &mut Stream,
        size: u32,
        cohort: u16,
        t_reg: f64,
        state: State,
    ) -> (Group, f64) {
        let origin = self.origin.pick(rng) as u16;
        let class = match &self.class {
            None => 0,
            Some(c) => c.pick(rng) as u8,
        };
        let t_drop = match &self.drop {
            Some(e) => t_reg + e.sample(rng),
            None => f64::INFINITY,
        };
        let group = Group {
            size,
            origin,
            port: 0,
            cohort,
            class,
            state,
            counted: t_reg >= scn.warmup,
            t_reg,
            t_mark: t_reg,
        };
        (group, t_drop)
    }
}

/// Cohort groups and their registrations, sorted by (time, id).
#[derive(Debug, Default)]
pub struct Cohorts {
    /// Every group of the backlog and phases, indexed by group id.
    pub groups: Vec<Group>,
    /// (registration time, group id) of reached groups, sorted.
    pub registrations: Vec<(f64, u32)>,
    /// (drop-out time, group id) of reached groups that may drop out before the horizon,
    /// sorted: attrition of cohort groups is a pre-sorted stream, not calendar events.
    pub drops: Vec<(f64, u32)>,
}

/// Cut the backlog and every phase into groups. Draw order per group (fixed, so that common
/// random numbers line up across scenarios): size, reach, delay, origin, class (with more than
/// one), drop-out (with attrition).
pub fn cohorts(scn: &Scenario, pop: &Population, rng: &mut Stream) -> Cohorts {
    cohorts_reusing(scn, pop, rng, Cohorts::default(), &mut Vec::new())
}

/// [`cohorts`] written into the vectors of `reuse` (cleared first) with `sort_buf` as the
/// sort's scratch, so that replication after replication allocates nothing here. The result
/// is the same as that of [`cohorts`].
pub fn cohorts_reusing(
    scn: &Scenario,
    pop: &Population,
    rng: &mut Stream,
    reuse: Cohorts,
    sort_buf: &mut Vec<(f64, u32)>,
) -> Cohorts {
    let mean = scn.group_size.mean().max(1.0);
    let est = (scn.cohort_people() as f64 / mean * 1.05) as usize + 16;
    let Cohorts {
        mut groups,
        mut registrations,
        mut drops,
    } = reuse;
    groups.clear();
    registrations.clear();
    drops.clear();
    groups.reserve(est);
    registrations.reserve(est);
    let all = std::iter::once(&scn.backlog).chain(scn.phases.iter());
    for (ci, cohort) in all.enumerate() {
        let mut left = cohort.people;
        while left > 0 {
            let size = (pop.size(scn, rng) as u64).min(left) as u32;
            left -= size as u64;
            let never = rng.random::<f64>() < scn.registration.never;
            let delay = pop.delay(scn, rng);
            let t_reg = cohort.opens + delay;
            // The state set in the group as it is made (not changed after), so that the
            // group goes to the vector straight from registers.
            let state = if never {
                State::Unreached
            } else {
                State::Pending
            };
            let (g, t_drop) = pop.group(scn, rng, size, ci as u16, t_reg, state);
            let id = groups.len() as u32;
            // Written always, kept or not by the length: whether a group registers or may
            // drop out is a coin toss to the branch predictor, a length is not.
            let (nr, nd) = (registrations.len(), drops.len());
            registrations.push((t_reg, id));
            registrations.truncate(nr + !never as usize);
            drops.push((t_drop, id));
            drops.truncate(nd + (!never & (t_drop < scn.horizon)) as usize);
            groups.push(g);
        }
    }
    // Pushed in id order; a stable sort by time gives the (time, id) order.
    crate::engine::sort::sort_by_time_with(&mut registrations, sort_buf);
    crate::engine::sort::sort_by_time_with(&mut drops, sort_buf);
    Cohorts {
        groups,
        registrations,
        drops,
    }
}

/// A new inflow group arriving (and registering) at t, and its drop-out time \[days\].
pub fn inflow_group(scn: &Scenario, pop: &Population, rng: &mut Stream, t: f64) -> (Group, f64) {
    let size = pop.size(scn, rng);
    pop.group(scn, rng, size, INFLOW, t, State::Pending)
}
