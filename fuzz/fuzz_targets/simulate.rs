//! Fuzz target: arbitrary scenario text; if it validates, clamp its sizes (people, horizon,
//! replications, inflow) and run one short replication with the trace on. Must never panic or
//! hang (libFuzzer's -timeout catches hangs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut scn) = clearance::scenario::load_str(text, "fuzz.toml") else {
        return;
    };
    scn.replications = 1;
    scn.horizon = scn.horizon.min(60.0);
    scn.backlog.people = scn.backlog.people.min(200);
    for p in &mut scn.phases {
        p.people = p.people.min(100);
    }
    scn.phases.truncate(3);
    if let Some(inf) = &mut scn.inflow {
        inf.rate_per_day = inf.rate_per_day.min(20.0);
    }
    let r = clearance::model::simulate(&scn, 0, &clearance::model::SimOptions { trace: true });
    assert_eq!(
        r.processed + r.dropped + r.unreached + r.in_system,
        r.people_total,
        "people not conserved"
    );
});
