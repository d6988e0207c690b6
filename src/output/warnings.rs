//! Many warnings folded into a few lines, for the terminal and the report alike: a scenario's
//! warnings at places in its file beyond the first [`crate::scenario::SHOWN_BEFORE_FOLD`] into
//! one line counting them, and ports without capacity beyond [`PORT_WARNINGS_SAID`] into one line
//! naming the first few. The JSON outputs keep every warning.

/// The file of a warning given at a place in it (`FILE:LINE:COL: key: message`, as validation
/// gives them), `None` for one about the run or the whole scenario.
pub(crate) fn located_file(warning: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(i) = warning[from..].find(':').map(|i| i + from) {
        let rest = &warning[i + 1..];
        let digits = |t: &str| t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let l = digits(rest);
        if l > 0 && rest[l..].starts_with(':') {
            let c = digits(&rest[l + 1..]);
            if c > 0 && rest[l + 1 + c..].starts_with(": ") && i > 0 {
                return Some(&warning[..i]);
            }
        }
        from = i + 1;
    }
    None
}

/// `warnings` as a table or stderr gives them: those at a place in a file (the scenario's
/// validation warnings) beyond the first [`crate::scenario::SHOWN_BEFORE_FOLD`] folded into one line,
/// where the next would be, saying how many more there are and that `clearance validate FILE
/// --all` lists every one; the ports without capacity ("no capacity: port …") beyond four
/// folded as well ([`fold_port_capacity_warnings`]); the others (a run's, another stage without
/// capacity, an inflow that outpaces it) are all kept. The JSON (`--json`, summary.json) keeps
/// every warning.
pub fn fold_file_warnings(warnings: &[String]) -> Vec<String> {
    let warnings = &fold_port_capacity_warnings(warnings)[..];
    let located: Vec<&str> = warnings.iter().filter_map(|w| located_file(w)).collect();
    if located.len() <= crate::scenario::SHOWN_BEFORE_FOLD {
        return warnings.to_vec();
    }
    let more = located.len() - crate::scenario::SHOWN_BEFORE_FOLD;
    let file = located[crate::scenario::SHOWN_BEFORE_FOLD];
    let mut out = Vec::new();
    let mut seen = 0;
    for w in warnings {
        if located_file(w).is_none() {
            out.push(w.clone());
            continue;
        }
        seen += 1;
        if seen <= crate::scenario::SHOWN_BEFORE_FOLD {
            out.push(w.clone());
        } else if seen == crate::scenario::SHOWN_BEFORE_FOLD + 1 {
            out.push(format!(
                "… and {} more warning{} of the scenario ({} in all); `clearance validate {} \
                 --all` lists every one",
                crate::format::fmt_int(more as f64),
                if more == 1 { "" } else { "s" },
                crate::format::fmt_int(located.len() as f64),
                crate::scenario::diag::shell_word(file)
            ));
        }
    }
    out
}

/// The most ports without capacity that the printed warnings give a line each: beyond it, the
/// first [`PORT_WARNINGS_SAID`] - 1 have theirs and one line counts the others, with their first
/// names, as the note on ports that processed nobody does under the table (a scenario with
/// hundreds of closed ports had printed a warning a port, twice).
pub const PORT_WARNINGS_SAID: usize = 4;

/// The warning of a port without capacity names it so: `no capacity: port "P5": servers = 0`.
const PORT_CAPACITY_PREFIX: &str = "no capacity: port \"";

/// `warnings` with the ports without capacity ("no capacity: port …") folded beyond
/// [`PORT_WARNINGS_SAID`]: the first ones a line each, then, where the next would be, one line
/// counting the others with the first three names and saying that the JSON lists every one.
/// Other warnings are kept as they are.
pub fn fold_port_capacity_warnings(warnings: &[String]) -> Vec<String> {
    let ports: Vec<&String> = warnings
        .iter()
        .filter(|w| w.starts_with(PORT_CAPACITY_PREFIX))
        .collect();
    if ports.len() <= PORT_WARNINGS_SAID {
        return warnings.to_vec();
    }
    let said = PORT_WARNINGS_SAID - 1;
    // The port's name, quoted as the warning quotes it.
    let name = |w: &str| {
        let rest = &w[PORT_CAPACITY_PREFIX.len() - 1..];
        rest.find("\": ")
            .map_or(rest.to_string(), |i| rest[..=i].to_string())
    };
    let rest = &ports[said..];
    let mut names: Vec<String> = rest.iter().take(3).map(|w| name(w)).collect();
    if rest.len() > 3 {
        names.push(format!(
            "{} more",
            crate::format::fmt_int((rest.len() - 3) as f64)
        ));
    }
    let counted = format!(
        "no capacity: {} other ports as well ({}; the JSON, `--json` or summary.json, lists \
         every warning)",
        crate::format::fmt_int(rest.len() as f64),
        crate::format::word_list(&names, "and")
    );
    let mut out = Vec::new();
    let mut seen = 0;
    for w in warnings {
        if !w.starts_with(PORT_CAPACITY_PREFIX) {
            out.push(w.clone());
            continue;
        }
        seen += 1;
        if seen <= said {
            out.push(w.clone());
        } else if seen == said + 1 {
            out.push(counted.clone());
        }
    }
    out
}
