//! Byte counts: parsed from the environment's limits (`512M`) and printed for people
//! (`1.5 MiB`).

/// Parse a byte count with an optional K/M/G/T suffix (powers of 1024), e.g. "512M".
pub fn parse_bytes(s: &str) -> Option<f64> {
    let s = s.trim();
    let (num, mult) = match s.chars().last()?.to_ascii_uppercase() {
        'K' => (&s[..s.len() - 1], 1024f64),
        'M' => (&s[..s.len() - 1], 1024f64.powi(2)),
        'G' => (&s[..s.len() - 1], 1024f64.powi(3)),
        'T' => (&s[..s.len() - 1], 1024f64.powi(4)),
        _ => (s, 1.0),
    };
    let v: f64 = num.trim().parse().ok()?;
    (v.is_finite() && v >= 0.0).then_some(v * mult)
}

/// Human-readable byte count.
pub fn human_bytes(b: f64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut v = b;
    let mut i = 0;
    while v >= 1024.0 && i + 1 < units.len() {
        v /= 1024.0;
        i += 1;
    }
    format!("{v:.1} {}", units[i])
}
