//! Validation of the engine against queueing theory and exact arithmetic. Each case has its own
//! scenario in tests/scenarios/.
//!
//! Tolerance: every theory case runs R = 400 independent replications; the per-replication mean
//! wait is one observation, and the test asserts that the mean over replications lies within
//! 4 standard errors (sd/√R, measured from the replications) of the theoretical value — a false
//! alarm has probability below 1e-4 — and that this standard error is itself below 1.5% of the
//! theoretical value, so the check cannot pass by being loose.

use clearance::experiment::{self, RunOptions};
use clearance::scenario::load_file;
use clearance::stats::Stat;
use std::path::Path;

fn run(file: &str) -> experiment::RunResult {
    let scn = load_file(Path::new(&format!("tests/scenarios/{file}"))).expect("valid scenario");
    experiment::run(&scn, &RunOptions::default()).expect("run")
}

fn factorial(n: u32) -> f64 {
    (1..=n).map(f64::from).product()
}

/// Erlang C: mean wait in queue of M/M/c with arrival rate λ and service rate μ per server.
fn erlang_c_wait(lambda: f64, mu: f64, c: u32) -> f64 {
    let a = lambda / mu;
    let top = a.powi(c as i32) / factorial(c) * (c as f64 / (c as f64 - a));
    let sum: f64 = (0..c).map(|k| a.powi(k as i32) / factorial(k)).sum();
    let p_wait = top / (sum + top);
    p_wait / (c as f64 * mu - lambda)
}

fn assert_agrees(what: &str, s: &Stat, theory: f64) {
    let se = s.sd.expect("several replications") / (s.n as f64).sqrt();
    println!(
        "{what}: simulated {:.4} ± {:.4} (s.e.), theory {:.4}",
        s.mean, se, theory
    );
    assert!(
        se < 0.015 * theory,
        "{what}: standard error {se} too large for a meaningful test"
    );
    assert!(
        (s.mean - theory).abs() <= 4.0 * se,
        "{what}: simulated {} vs theory {} (4 s.e. = {})",
        s.mean,
        theory,
        4.0 * se
    );
}

#[test]
fn erlang_c_formula_matches_a_textbook_value() {
    // M/M/2, λ = 1.5, μ = 1: P(wait) = 0.642857…, Wq = 1.285714…
    assert!((erlang_c_wait(1.5, 1.0, 2) - 9.0 / 7.0).abs() < 1e-12);
    // M/M/1 reduces to ρ/(μ − λ).
    assert!((erlang_c_wait(1.5, 2.0, 1) - 1.5).abs() < 1e-12);
}

#[test]
fn mmc_port_matches_erlang_c() {
    let r = run("mmc-port.toml");
    let w = r.summary.ports[0].wait_days.as_ref().unwrap();
    assert_agrees("M/M/3 port wait [days]", w, erlang_c_wait(2.4, 1.0, 3));
    // Utilization is ρ = λ/(cμ) = 0.8.
    let u = r.summary.ports[0].utilization.as_ref().unwrap();
    assert!((u.mean - 0.8).abs() < 0.01, "utilization {}", u.mean);
}

#[test]
fn mg1_lognormal_port_matches_pollaczek_khinchine() {
    let r = run("mg1-lognormal.toml");
    let (lambda, mean, sd) = (0.7, 1.0, 0.8);
    let rho: f64 = lambda * mean;
    let es2 = sd * sd + mean * mean;
    let theory = lambda * es2 / (2.0 * (1.0 - rho));
    let w = r.summary.ports[0].wait_days.as_ref().unwrap();
    assert_agrees("M/G/1 lognormal wait [days]", w, theory);
}

#[test]
fn tandem_stages_match_burke() {
    let r = run("tandem.toml");
    let sw = r.summary.stages.screening.wait_days.as_ref().unwrap();
    assert_agrees(
        "tandem screening M/M/2 wait [days]",
        sw,
        erlang_c_wait(1.5, 1.0, 2),
    );
    let pw = r.summary.stages.port.wait_days.as_ref().unwrap();
    assert_agrees(
        "tandem port M/M/1 wait [days]",
        pw,
        erlang_c_wait(1.5, 2.0, 1),
    );
}

#[test]
fn deterministic_backlog_clears_on_day_42() {
    let r = run("deterministic-42.toml");
    let c = r.summary.clearance_days.as_ref().unwrap();
    assert!(c.min > 41.0 && c.max <= 42.0, "clearance {c:?}");
    assert_eq!(c.min, c.max, "a deterministic scenario gives one answer");
    assert_eq!(r.summary.censored, 0);
    assert_eq!(r.summary.people.processed.as_ref().unwrap().min, 25_000.0);
    // Both ports processed exactly half.
    for p in &r.summary.ports {
        assert_eq!(p.processed.as_ref().unwrap().mean, 12_500.0);
    }
}
