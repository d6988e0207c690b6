//! Fuzz target: arbitrary bytes through scenario loading and validation (`load_str`), and the
//! static capacity analysis of whatever validates. Must never panic, hang or abort.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match clearance::scenario::load_str(text, "fuzz.toml") {
        Ok(scn) => {
            // Everything a `validate` prints must be computable for any valid scenario.
            let _ = scn.cohort_people();
            let _ = clearance::model::zero_capacity_stages(&scn);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
