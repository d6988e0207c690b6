//! The library as a researcher uses it from their own crate: examples that compile there,
//! conversions and summaries that do not panic or mislabel on edge inputs, and errors that
//! read well through `?` and `Box<dyn Error>`.

/// Every example must compile when copied into a user's crate, which depends on `clearance`
/// alone: the crates it re-exports (`toml`, `chrono`, `rand_distr`) are reached through it.
#[test]
fn examples_name_reexported_crates_through_clearance() {
    let mut checked = 0;
    for entry in std::fs::read_dir("examples").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap();
            for krate in ["toml", "chrono", "rand_distr"] {
                let pat = format!("{krate}::");
                for (at, _) in code.match_indices(&pat) {
                    let before = &code[..at];
                    let bare = !before.ends_with("clearance::")
                        && !before.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':');
                    assert!(
                        !bare,
                        "{}:{}: `{pat}` is not a dependency of a user's crate; write `clearance::{pat}`",
                        path.display(),
                        n + 1
                    );
                }
            }
        }
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} examples found");
}
