//! Adjust a scenario in code (from a minimal TOML text): 25,000 people, two ports at 300 a day open 08:00–18:00,
//! nothing else limiting. Exact arithmetic says it clears at 08:00 on day 41 (the 42nd day).

use clearance::experiment::{self, RunOptions};
use clearance::scenario::load_str;

fn main() {
    // Start from a minimal TOML text and adjust the resolved scenario in code.
    let mut scn = load_str(
        r#"
[scenario]
name = "two ports at 300 a day"
replications = 5

[backlog]
people = 25000

[[origin]]
name = "Camp"
share = 1.0

[dispatch]
choose_port = "shortest_queue"

[[route]]
from = "Camp"
to = "North"
departures = "continuous"

[[route]]
from = "Camp"
to = "South"
departures = "continuous"

[[port]]
name = "North"
quota_per_day = 300
hours = ["08:00", "18:00"]

[[port]]
name = "South"
quota_per_day = 300
hours = ["08:00", "18:00"]
"#,
        "in-code",
    )
    .expect("valid");
    let run = experiment::run(&scn, &RunOptions::default()).expect("run");
    let c = run.summary.clearance_days.clone().unwrap();
    println!("clearance: {:.3} days", c.mean);
    assert!((c.mean - (41.0 + 8.0 / 24.0)).abs() < 1e-9);

    // What if the quota were 400 at both ports? 25,000 / 800 = 31.25 -> day 31.
    for p in &mut scn.ports {
        p.quota_per_day = Some(400);
    }
    // A scenario changed in code is checked again (`experiment::run` does it too).
    scn.check().expect("still a valid scenario");
    let faster = experiment::run(&scn, &RunOptions::default()).expect("run");
    let f = faster.summary.clearance_days.unwrap();
    println!("with 400 a day per port: {:.3} days", f.mean);
    assert!((f.mean - (31.0 + 8.0 / 24.0)).abs() < 1e-9);
}
