//! Numbers printed for people: integers with thousands separators ("25,000"), as every table,
//! chart and report of the crate shows counts of people, rates of people a day and spans of days. A leaf: it imports nothing from the
//! crate, so that any layer (the observed-data fit, the outputs, the commands) can use it.

/// Integer with thousands separators: 25000 -> "25,000".
pub fn fmt_int(x: f64) -> String {
    let neg = x < 0.0;
    let s = format!("{:.0}", x.abs());
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

/// "1 day", "30 days".
pub fn days_text(n: f64) -> String {
    if n == 1.0 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(fmt_int(25000.0), "25,000");
        assert_eq!(fmt_int(999.0), "999");
        assert_eq!(fmt_int(1234567.0), "1,234,567");
    }
}
