//! Numbers printed for people: integers with thousands separators ("25,000"), as every table,
//! chart and report of the crate shows counts of people, rates of people a day and spans of days,
//! and signed differences with their intervals (`compare`, `sensitivity`), and lists in words
//! ("a, b and c"), and a port's name after the word "port" ("port El Paso", but "Port A"
//! alone). A leaf: it imports nothing from the
//! crate, so that any layer (the observed-data fit, the outputs, the commands) can use it.

/// `x` with `d` decimals, a negative that rounds to zero without its sign: "0.0", never
/// "-0.0" (the lower end of an interval at −0.03 had printed so).
pub fn fixed(x: f64, d: usize) -> String {
    let s = format!("{x:.d$}");
    match s.strip_prefix('-') {
        Some(r) if r.bytes().all(|b| b == b'0' || b == b'.') => r.to_string(),
        _ => s,
    }
}

/// `x` rounded down to `d` decimals, for a lower bound ("≥") or a day number that must not
/// name a later day: 13.35 to 13.3; a value within float noise of a step (146.9 held as
/// 146.89999…) is that step. Infinite and NaN values are returned as they are.
pub fn round_down(x: f64, d: usize) -> f64 {
    step_round(x, d, f64::floor)
}

/// `x` rounded up to `d` decimals, for an upper bound ("≤", "at most"): 13.35 to 13.4; a value
/// within float noise of a step is that step.
pub fn round_up(x: f64, d: usize) -> f64 {
    step_round(x, d, f64::ceil)
}

fn step_round(x: f64, d: usize, f: fn(f64) -> f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(d as i32);
    let y = x * scale;
    let near = y.round();
    if (y - near).abs() <= 1e-9 * near.abs().max(1.0) {
        near / scale
    } else {
        f(y) / scale
    }
}

/// A list in words, the last item joined by `conj`: "a", "a and b", "a, b and c" (`conj` =
/// "and"; "or" for alternatives); "" for none.
pub fn word_list<S: AsRef<str>>(items: &[S], conj: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} {conj} {}", rest.join(", "), last.as_ref())
        }
    }
}

/// A port's name as text calls it: "port El Paso", or the name alone when its first word is
/// already "port" in any case ("Port A", "port of entry 3"), where "port Port A" had doubled
/// the word. "Portland" is no such word: "port Portland".
pub fn port_named(name: &str) -> String {
    if names_port(name) {
        name.to_string()
    } else {
        format!("port {name}")
    }
}

/// [`port_named`] at the start of a sentence: "Port El Paso", or the name alone ("Port A").
pub fn port_named_cap(name: &str) -> String {
    if names_port(name) {
        name.to_string()
    } else {
        format!("Port {name}")
    }
}

/// Several ports' names as text calls them: "port A" for one, "ports A and B" for more (`conj`
/// joins the last), each name alone when every one of them starts with the word "port"
/// ("Port A and Port B"); see [`port_named`].
pub fn ports_named<S: AsRef<str>>(names: &[S], conj: &str) -> String {
    match names {
        [one] => port_named(one.as_ref()),
        _ => format!("{}{}", ports_word(names), word_list(names, conj)),
    }
}

/// The word "ports " before a list of ports' names, or "" when every name starts with the word
/// "port" ("Port A, Port B"); see [`ports_named`].
pub fn ports_word<S: AsRef<str>>(names: &[S]) -> &'static str {
    if names.iter().all(|n| names_port(n.as_ref())) {
        ""
    } else {
        "ports "
    }
}

/// Whether `name`'s first word is "port" (any case): "Port A", "PORT", not "Portland".
fn names_port(name: &str) -> bool {
    let first = name.split_whitespace().next().unwrap_or("");
    first.eq_ignore_ascii_case("port")
}

/// A number given by a user, for a message: as Rust prints it (the shortest text that reads
/// back as the same number: "0.05", "1500"), but in scientific notation from 1e9 up and below
/// 1e-6 ("1e300", "2.5e-7"), where the plain form had run to hundreds of digits in a warning.
pub fn short_num(x: f64) -> String {
    let a = x.abs();
    if a != 0.0 && a.is_finite() && !(1e-6..1e9).contains(&a) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// A count too large to be told exactly (an estimate): [`fmt_int`] up to 1e15, above it three
/// significant digits in scientific notation ("3.65e301", not 302 digits).
pub fn fmt_estimate(x: f64) -> String {
    if x.abs() < 1e15 || !x.is_finite() {
        fmt_int(x)
    } else {
        format!("{x:.2e}")
    }
}

/// Integer with thousands separators: 25000 -> "25,000"; a negative that rounds to zero is "0".
/// A half rounds away from zero, 9558.5 to "9,559" as 6477.5 to "6,478" (formatting alone
/// rounds half to even, and had printed "9,558").
pub fn fmt_int(x: f64) -> String {
    let neg = x < 0.0 && x.abs().round() > 0.0;
    let s = format!("{:.0}", x.abs().round());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg {
        format!("-{out}")
    } else {
        out
    }
}

/// A rate of people a day as a whole number with separators, "unlimited" when infinite.
pub fn fmt_rate(x: f64) -> String {
    if x.is_infinite() {
        "unlimited".into()
    } else {
        fmt_int(x.round())
    }
}

/// `text` split at its spaces into words to wrap, except inside backticks: "`port[Port B].hours`"
/// is one word, so that a key a reader copies is never broken across lines.
pub fn words_keeping_code(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let (mut start, mut in_code) = (0, false);
    for (i, c) in text.char_indices() {
        match c {
            '`' => in_code = !in_code,
            ' ' if !in_code => {
                words.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    words.push(&text[start..]);
    words
}

/// `n` and the word for that many: "1 replication", "0 replications", "40 replications" (`one`
/// for a count of one, `many` for any other).
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "1 day", "30 days".
pub fn days_text(n: f64) -> String {
    if n == 1.0 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// A signed difference for the table: whole numbers (people) with thousands separators.
/// A difference that rounds to zero is "0" ("0.00"), with no sign: "+0.00" for −0.003 read as
/// if the value were at or above 0, and "-0.00" as if below.
pub fn signed(x: f64, d: usize) -> String {
    let scale = 10f64.powi(d as i32);
    if x.is_finite() && (x * scale).round() == 0.0 {
        return format!("{:.d$}", 0.0);
    }
    if d == 0 && x.is_finite() {
        let sign = if x < 0.0 { "-" } else { "+" };
        format!("{sign}{}", fmt_int(x.abs()))
    } else {
        format!("{x:+.d$}")
    }
}

/// An end of a difference's interval, as `signed` prints it with `d` decimals, unless it is not
/// zero and would print as zero: then with the decimals of its first significant digit (up to
/// `d` + 3: `+0.0003` for an end at +0.00028 that `d` = 2 had printed `0.00`, as if the
/// interval stopped at 0 or took no side of it), or, smaller still, its sign and the bound of its
/// size (`+<0.00001`: above zero by less than 0.00001). An end that is zero prints as zero.
pub fn interval_end(x: f64, d: usize) -> String {
    let zero_at = |d: usize| (x * 10f64.powi(d as i32)).round() == 0.0;
    if !x.is_finite() || x == 0.0 || !zero_at(d) {
        return signed(x, d);
    }
    match (d + 1..=d + 3).find(|&e| !zero_at(e)) {
        Some(e) => signed(x, e),
        None => {
            let cap = d + 3;
            format!(
                "{}<{:.cap$}",
                if x < 0.0 { "-" } else { "+" },
                10f64.powi(-(cap as i32))
            )
        }
    }
}

/// An end of an interval that is itself a bound (compare's `≥` and `≤` ends): as
/// [`interval_end`] prints it, but rounded toward the side it bounds (down for `lower`, up
/// otherwise), so that the printed figure is never past the true one (`≥+5.24` for +5.236 had
/// claimed more than was shown). A bound that rounds to zero that way gets more decimals (up to
/// `d` + 3), as [`interval_end`] does for one that rounds to zero.
pub fn bound_end(x: f64, d: usize, lower: bool) -> String {
    if !x.is_finite() || x == 0.0 {
        return signed(x, d);
    }
    let zero_at = |e: usize| (x * 10f64.powi(e as i32)).round() == 0.0;
    let first = (d..=d + 3).find(|&e| !zero_at(e)).unwrap_or(d + 3);
    for e in first..=d + 3 {
        let r = if lower {
            round_down(x, e)
        } else {
            round_up(x, e)
        };
        if r != 0.0 {
            return signed(r, e);
        }
    }
    interval_end(x, d)
}

/// Decimals for a row's B − A and its interval: `d`, or up to 3 more while an interval that
/// excludes 0 would print an end as zero (`+0 [+0 … +1]` for a difference of +0.42 people in
/// [+0.17, +0.66] had read as no difference), or an interval around 0 would print both ends as
/// zero (`[+0.0 … +0.0]` for [−0.013, +0.020] had read as no difference at all, measured
/// exactly).
pub fn diff_decimals(low: Option<f64>, high: Option<f64>, d: usize) -> usize {
    let zero_at = |x: f64, d: usize| (x * 10f64.powi(d as i32)).round() == 0.0;
    let alike = |l: f64, h: f64, d: usize| l < h && format!("{l:.d$}") == format!("{h:.d$}");
    let mut dd = d;
    if let (Some(l), Some(h)) = (low, high) {
        // Also while two different ends print alike (+1 [+1 … +1] for 0.88 in [0.58, 1.18]).
        let both_zero = |dd: usize| l < h && zero_at(l, dd) && zero_at(h, dd);
        while dd < d + 3
            && ((l > 0.0 && zero_at(l, dd))
                || (h < 0.0 && zero_at(h, dd))
                || alike(l, h, dd)
                || both_zero(dd))
        {
            dd += 1;
        }
    }
    dd
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Huge and tiny numbers in messages are short; ordinary ones as written.
    #[test]
    fn huge_and_tiny_numbers_are_short() {
        assert_eq!(short_num(1e300), "1e300");
        assert_eq!(short_num(-1e300), "-1e300");
        assert_eq!(short_num(1e-300), "1e-300");
        assert_eq!(short_num(2.5e-7), "2.5e-7");
        assert_eq!(short_num(0.05), "0.05");
        assert_eq!(short_num(1500.0), "1500");
        assert_eq!(short_num(0.0), "0");
        assert_eq!(short_num(f64::INFINITY), "inf");
        assert_eq!(fmt_estimate(36_500_000.4), "36,500,000");
        assert_eq!(fmt_estimate(3.65e301), "3.65e301");
    }

    /// Bounds and day numbers rounded one way, float noise at a step left at the step.
    #[test]
    fn rounding_one_way() {
        assert_eq!(round_down(13.35, 0), 13.0);
        assert_eq!(round_up(13.35, 0), 14.0);
        assert_eq!(round_down(123.97, 1), 123.9);
        assert_eq!(round_up(0.123, 1), 0.2);
        assert_eq!(round_up(0.1 + 0.2, 1), 0.3);
        assert_eq!(round_down(146.0 - 1e-12, 1), 146.0);
        assert_eq!(round_down(-0.25, 1), -0.3);
        assert!(round_up(f64::INFINITY, 1).is_infinite());
    }

    /// Whole numbers round half away from zero, as people read them.
    #[test]
    fn a_half_rounds_away_from_zero() {
        assert_eq!(fmt_int(6477.5), "6,478");
        assert_eq!(fmt_int(9558.5), "9,559");
        assert_eq!(fmt_int(0.5), "1");
        assert_eq!(fmt_int(-2.5), "-3");
        assert_eq!(fmt_int(-0.4), "0");
    }

    /// The lists messages and the report give in words, with "and" or "or".
    #[test]
    fn lists_in_words() {
        assert_eq!(word_list::<&str>(&[], "and"), "");
        assert_eq!(word_list(&["a"], "or"), "a");
        assert_eq!(word_list(&["a", "b"], "and"), "a and b");
        assert_eq!(
            word_list(&["a".to_string(), "b".into(), "c".into()], "or"),
            "a, b or c"
        );
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(fmt_int(25000.0), "25,000");
        assert_eq!(fmt_int(999.0), "999");
        assert_eq!(fmt_int(1234567.0), "1,234,567");
        assert_eq!(fmt_int(1234567.4), "1,234,567");
        assert_eq!(fmt_int(-1234.0), "-1,234");
        assert_eq!(fmt_int(-0.3), "0");
        assert_eq!(fmt_int(-0.0), "0");
    }

    /// A negative zero, or a negative that rounds to zero, prints without its sign.
    #[test]
    fn no_negative_zero() {
        assert_eq!(fixed(-0.03, 1), "0.0");
        assert_eq!(fixed(-0.0, 2), "0.00");
        assert_eq!(fixed(-0.0, 0), "0");
        assert_eq!(fixed(-0.06, 1), "-0.1");
        assert_eq!(fixed(0.04, 1), "0.0");
        assert_eq!(fixed(f64::NAN, 1), "NaN");
    }

    /// An interval's ends get the decimals to show what they are: away from 0 when it
    /// excludes 0, and not both printed as zero when it holds 0 without being 0.
    #[test]
    fn difference_decimals() {
        let d = |l: f64, h: f64| diff_decimals(Some(l), Some(h), 1);
        assert_eq!(d(0.17, 0.66), 1);
        assert_eq!(d(0.017, 0.066), 2);
        assert_eq!(d(-0.013, 0.020), 2);
        assert_eq!(d(-0.3, 0.2), 1);
        assert_eq!(d(0.0, 0.0), 1);
        assert_eq!(d(-1e-9, 1e-9), 4);
        assert_eq!(signed(-0.013, 2), "-0.01");
        assert_eq!(signed(-0.004, 2), "0.00");
        assert_eq!(signed(0.004, 2), "0.00");
        assert_eq!(signed(-0.4, 0), "0");
        assert_eq!(signed(0.006, 2), "+0.01");
        assert_eq!(signed(-1234.6, 0), "-1,235");
    }

    /// An interval's end that is not zero never prints as a zero: its first significant
    /// digit, or its sign and a bound of its size; a zero end, and any other, as `signed`.
    #[test]
    fn an_interval_end_off_zero_does_not_print_as_zero() {
        assert_eq!(interval_end(0.00028, 2), "+0.0003");
        assert_eq!(interval_end(-0.00008, 2), "-0.0001");
        assert_eq!(interval_end(-0.0008, 0), "-0.001");
        assert_eq!(interval_end(-0.0003, 0), "-<0.001");
        assert_eq!(interval_end(0.0049, 2), "+0.005");
        assert_eq!(interval_end(4e-6, 2), "+<0.00001");
        assert_eq!(interval_end(-4e-6, 2), "-<0.00001");
        assert_eq!(interval_end(0.0, 2), "0.00");
        assert_eq!(interval_end(-0.0, 2), "0.00");
        assert_eq!(interval_end(0.013, 2), "+0.01");
        assert_eq!(interval_end(-1234.6, 0), "-1,235");
        assert_eq!(interval_end(f64::NAN, 2), signed(f64::NAN, 2));
    }

    /// A bound's end rounds toward the side it bounds, never past the true figure; tiny ends
    /// keep a significant digit as `interval_end` does.
    #[test]
    fn bound_end_rounds_toward_the_side_it_bounds() {
        assert_eq!(bound_end(5.236, 2, true), "+5.23");
        assert_eq!(bound_end(5.236, 2, false), "+5.24");
        assert_eq!(bound_end(-5.236, 2, true), "-5.24");
        assert_eq!(bound_end(-5.231, 2, false), "-5.23");
        // Exact steps stay as they are (146.9 held as 146.89999…).
        assert_eq!(bound_end(146.9, 1, true), "+146.9");
        // Near zero: 0.0051 would round down to 0.00, which says nothing of its side.
        assert_eq!(bound_end(0.0051, 2, true), "+0.005");
        assert_eq!(bound_end(0.00028, 2, false), "+0.0003");
        assert_eq!(bound_end(0.00028, 2, true), "+0.0002");
        assert_eq!(bound_end(-0.0003, 2, true), "-0.0003");
        assert_eq!(bound_end(0.0, 2, true), "0.00");
    }

    /// A port named "Port A" is not called "port Port A"; other names keep the word.
    #[test]
    fn a_port_whose_name_starts_with_port_is_not_called_port_twice() {
        assert_eq!(port_named("Port A"), "Port A");
        assert_eq!(port_named("port of entry 3"), "port of entry 3");
        assert_eq!(port_named("PORT"), "PORT");
        assert_eq!(port_named("El Paso"), "port El Paso");
        assert_eq!(port_named("Portland"), "port Portland");
        assert_eq!(port_named_cap("Port A"), "Port A");
        assert_eq!(port_named_cap("El Paso"), "Port El Paso");
        assert_eq!(ports_named(&["Port A"], "and"), "Port A");
        assert_eq!(
            ports_named(&["Port A", "Port B"], "and"),
            "Port A and Port B"
        );
        assert_eq!(
            ports_named(&["Port A", "El Paso"], "and"),
            "ports Port A and El Paso"
        );
        assert_eq!(ports_named(&["A", "B", "C"], "or"), "ports A, B or C");
        assert_eq!(ports_word(&["Port A", "port B"]), "");
        assert_eq!(ports_word(&["Port A", "B"]), "ports ");
    }

    /// One of a thing reads in the singular, any other count in the plural.
    #[test]
    fn a_count_of_one_reads_in_the_singular() {
        assert_eq!(counted(1, "replication", "replications"), "1 replication");
        assert_eq!(counted(0, "replication", "replications"), "0 replications");
        assert_eq!(counted(2, "replication", "replications"), "2 replications");
        assert_eq!(
            counted(1, "shard directory", "shard directories"),
            "1 shard directory"
        );
    }
}
