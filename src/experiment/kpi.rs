//! Key performance indicators by name (what compare, sweep, target and sensitivity report), the
//! STAT-plus-P90 summary used in experiment tables, and a distribution-free confidence interval
//! for a quantile.

use crate::model::ReplicationResult;
use crate::scenario::Scenario;
use crate::stats::{quantile_sorted, Stat};
use serde::Serialize;

/// Scenario-wide KPIs, in report order. Per-port ones are `processed:NAME`, `wait_days:NAME`
/// and `utilization:NAME`.
pub const KPIS: &[&str] = &[
    "clearance_days",
    "t50_days",
    "t90_days",
    "t99_days",
    "processed",
    "dropped",
    "unreached",
    "screening_wait_days",
    "screening_utilization",
    "transport_wait_days",
    "transport_utilization",
    "port_wait_days",
    "port_utilization",
];

/// Whether a clearance figure (a quantile of the replications' clearance times) \[days\] is a
/// lower bound rather than a measured clearance, given how many of `replications` were
/// `censored` (stopped at the horizon before clearing) and the latest clearance of those that
/// cleared (`last_cleared` \[days\]): it is when it lies above every replication that cleared
/// (a quantile between the last that cleared and one at the horizon is pulled up by the latter),
/// or when none cleared. The one rule of the summary, the sweep and the sensitivity analysis.
pub fn censored_figure(days: f64, censored: u64, replications: u64, last_cleared: f64) -> bool {
    censored > 0 && (censored >= replications || days > last_cleared)
}

/// Every KPI name of a scenario: `KPIS` then the per-port ones.
pub fn kpi_names(scn: &Scenario) -> Vec<String> {
    let mut v: Vec<String> = KPIS.iter().map(|s| s.to_string()).collect();
    for p in &scn.ports {
        v.push(format!("processed:{}", p.name));
        v.push(format!("wait_days:{}", p.name));
        v.push(format!("utilization:{}", p.name));
    }
    v
}

/// Value of KPI `name` in one replication (`None`: not measured, e.g. a milestone not reached).
/// `port_names` are the scenario's ports in order.
pub fn kpi(r: &ReplicationResult, name: &str, port_names: &[String]) -> Option<f64> {
    Some(match name {
        "clearance_days" => r.clearance_days,
        "t50_days" => return r.t50_days,
        "t90_days" => return r.t90_days,
        "t99_days" => return r.t99_days,
        "processed" => r.processed as f64,
        "dropped" => r.dropped as f64,
        "unreached" => r.unreached as f64,
        "screening_wait_days" => return r.screening.wait_days,
        "screening_utilization" => return r.screening.utilization,
        "transport_wait_days" => return r.transport.wait_days,
        "transport_utilization" => return r.transport.utilization,
        "port_wait_days" => return r.port.wait_days,
        "port_utilization" => return r.port.utilization,
        _ => {
            let (what, port) = name.split_once(':')?;
            let i = port_names.iter().position(|p| p == port)?;
            let m = r.ports.get(i)?;
            match what {
                "processed" => m.processed as f64,
                "wait_days" => return m.wait_days,
                "utilization" => return m.utilization,
                _ => return None,
            }
        }
    })
}

/// True when `name` is a KPI of the scenario.
pub fn is_kpi(scn: &Scenario, name: &str) -> bool {
    kpi_names(scn).iter().any(|k| k == name)
}

/// Port names of a scenario, in order.
pub fn port_names(scn: &Scenario) -> Vec<String> {
    scn.ports.iter().map(|p| p.name.clone()).collect()
}

/// Values of one KPI over replications (in their order), skipping unmeasured ones.
pub fn values(scn: &Scenario, reps: &[ReplicationResult], name: &str) -> Vec<f64> {
    let ports = port_names(scn);
    reps.iter().filter_map(|r| kpi(r, name, &ports)).collect()
}

/// [`values`] of records in memory or spilled (reading a spill can fail).
pub fn values_in<R: super::Records + ?Sized>(
    scn: &Scenario,
    reps: &R,
    name: &str,
) -> std::io::Result<Vec<f64>> {
    let ports = port_names(scn);
    reps.values_some(|r| kpi(r, name, &ports))
}

/// A STAT with the P90 added (experiment tables and the sweep CSV).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KpiStat {
    /// The STAT, its fields flattened into this object in JSON \[the KPI's unit\].
    #[serde(flatten)]
    pub stat: Stat,
    /// 90th percentile (type 7, as the STAT's percentiles) \[the KPI's unit\].
    pub p90: f64,
}

impl KpiStat {
    pub fn of(values: &[f64]) -> Option<KpiStat> {
        let stat = Stat::of(values)?;
        let mut s = values.to_vec();
        s.sort_by(f64::total_cmp);
        Some(KpiStat {
            p90: quantile_sorted(&s, 0.9),
            stat,
        })
    }

    /// Column suffixes of `csv_cells`, in order.
    pub const COLUMNS: [&'static str; 11] = [
        "mean",
        "sd",
        "ci95_low",
        "ci95_high",
        "min",
        "p5",
        "p50",
        "p90",
        "p95",
        "max",
        "n",
    ];

    /// Cells for `COLUMNS` (empty strings where undefined).
    pub fn csv_cells(s: Option<&KpiStat>) -> Vec<String> {
        let o = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        match s {
            None => vec![String::new(); 10]
                .into_iter()
                .chain(["0".to_string()])
                .collect(),
            Some(k) => vec![
                k.stat.mean.to_string(),
                o(k.stat.sd),
                o(k.stat.ci95_low),
                o(k.stat.ci95_high),
                k.stat.min.to_string(),
                k.stat.p5.to_string(),
                k.stat.p50.to_string(),
                k.p90.to_string(),
                k.stat.p95.to_string(),
                k.stat.max.to_string(),
                k.stat.n.to_string(),
            ],
        }
    }
}

/// Point estimate and approximate 95% confidence interval of quantile `q` of `values`, from
/// order statistics: ranks n·q ∓ 1.96·√(n·q·(1−q)) (normal approximation to the binomial),
/// interpolated and clamped to the sample. Distribution-free; `None` for fewer than 2 values.
pub fn quantile_ci(values: &[f64], q: f64) -> Option<(f64, f64, f64)> {
    if values.len() < 2 {
        return None;
    }
    let mut s = values.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len() as f64;
    let half = 1.959_963_984_540_054 * (n * q * (1.0 - q)).sqrt();
    let at = |rank: f64| {
        // rank is 1-based; convert to the type-7 position in [0, 1].
        let pos = ((rank - 1.0) / (n - 1.0)).clamp(0.0, 1.0);
        quantile_sorted(&s, pos)
    };
    Some((
        quantile_sorted(&s, q),
        at((n * q - half).floor()),
        at((n * q + half).ceil() + 1.0),
    ))
}

/// A statistic of a KPI over replications, as named in goals: `mean`, `median`, `pNN`, `min`, `max`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    Mean,
    Quantile(f64),
    Min,
    Max,
}

impl Measure {
    pub fn parse(s: &str) -> Option<Measure> {
        match s.trim().to_ascii_lowercase().as_str() {
            "mean" => Some(Measure::Mean),
            "median" => Some(Measure::Quantile(0.5)),
            "min" => Some(Measure::Min),
            "max" => Some(Measure::Max),
            t => {
                let n: f64 = t.strip_prefix('p')?.parse().ok()?;
                (0.0..=100.0)
                    .contains(&n)
                    .then_some(Measure::Quantile(n / 100.0))
            }
        }
    }

    /// The value and its 95% CI (mean: t interval; quantile: order statistics; min/max: none).
    pub fn eval(&self, values: &[f64]) -> Option<(f64, Option<(f64, f64)>)> {
        let st = Stat::of(values)?;
        Some(match self {
            Measure::Mean => (st.mean, st.ci95_low.zip(st.ci95_high)),
            Measure::Min => (st.min, None),
            Measure::Max => (st.max, None),
            Measure::Quantile(q) => match quantile_ci(values, *q) {
                Some((v, lo, hi)) => (v, Some((lo, hi))),
                None => (values[0], None),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_ci_brackets_the_estimate() {
        let v: Vec<f64> = (1..=100).map(|x| x as f64).collect();
        let (p, lo, hi) = quantile_ci(&v, 0.9).unwrap();
        assert!((p - 90.1).abs() < 1e-9);
        assert!(lo < p && p < hi, "{lo} {p} {hi}");
        assert!(lo >= 80.0 && hi <= 97.0, "{lo} {hi}");
        assert_eq!(Measure::parse("p90"), Some(Measure::Quantile(0.9)));
        assert_eq!(Measure::parse("median"), Some(Measure::Quantile(0.5)));
        assert_eq!(Measure::parse("q3"), None);
    }
}
