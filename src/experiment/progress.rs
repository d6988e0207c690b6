//! The one progress-bar helper: an indicatif bar on stderr, hidden when stderr is not a terminal,
//! when the terminal is `TERM=dumb` (which cannot redraw a line in place), or when the caller
//! asks for quiet.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::ffi::OsStr;
use std::io::IsTerminal;

/// A progress bar over `len` units, or a hidden one. `what` names the units ("replications",
/// "replications at 400"); its first word is the unit of the rate ("195 replications/s").
pub fn bar(len: u64, what: &str, show: bool) -> ProgressBar {
    if !(show && stderr_redraws()) {
        return ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
    }
    let pb = ProgressBar::new(len);
    pb.set_style(style(what));
    pb
}

/// Whether stderr is a terminal that a bar can be redrawn on: see [`redraws`].
pub fn stderr_redraws() -> bool {
    redraws(
        std::io::stderr().is_terminal(),
        std::env::var_os("TERM").as_deref(),
    )
}

/// Whether a bar is drawn on a stream: a terminal (`is_tty`) other than `TERM=dumb` (an Emacs
/// shell, some CI consoles), which shows each redraw as a line of its own. `term` is the
/// value of `TERM`, unset or not.
pub fn redraws(is_tty: bool, term: Option<&OsStr>) -> bool {
    is_tty && term != Some(OsStr::new("dumb"))
}

/// The bar's look: spinner, bar, done/all, what, and the rate and time left in brackets.
fn style(what: &str) -> ProgressStyle {
    let unit = what.split_whitespace().next().unwrap_or("").to_string();
    ProgressStyle::with_template(&format!(
        "{{spinner}} {{bar:40}} {{pos}}/{{len}} {what} ({{rate}}, ETA {{eta}})"
    ))
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .with_key(
        "rate",
        move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{}", rate_text(state.per_sec(), &unit));
        },
    )
}

/// A rate of units a second, rounded for reading at a glance: whole units from 100 up
/// ("1,250 replications/s"), else two significant digits ("19 replications/s",
/// "3.4 replications/s", "0.25 replications/s"); "0" before any has finished.
pub fn rate_text(per_sec: f64, unit: &str) -> String {
    let n = if !per_sec.is_finite() || per_sec <= 0.0 {
        "0".to_string()
    } else if per_sec >= 99.5 {
        crate::format::fmt_int(per_sec)
    } else {
        // Two significant digits, counted again after rounding (9.97 is "10", not "10.0").
        let decimals = |x: f64| (1 - x.log10().floor() as i32).max(0) as usize;
        let d = decimals(per_sec);
        let rounded: f64 = format!("{per_sec:.d$}").parse().unwrap_or(per_sec);
        let d = decimals(rounded);
        format!("{rounded:.d$}")
    };
    format!("{n} {unit}/s")
}

#[cfg(test)]
mod tests {
    use super::{rate_text, redraws, style};
    use indicatif::{ProgressBar, ProgressDrawTarget, TermLike};
    use std::ffi::OsStr;
    use std::sync::{Arc, Mutex};

    #[test]
    fn the_rate_is_rounded_and_has_its_unit() {
        let r = |x: f64| rate_text(x, "replications");
        assert_eq!(r(194.9669), "195 replications/s");
        assert_eq!(r(1249.6), "1,250 replications/s");
        assert_eq!(r(99.7), "100 replications/s");
        assert_eq!(r(19.4), "19 replications/s");
        assert_eq!(r(3.4567), "3.5 replications/s");
        assert_eq!(r(9.97), "10 replications/s");
        assert_eq!(r(0.2512), "0.25 replications/s");
        assert_eq!(r(0.0), "0 replications/s");
        assert_eq!(r(f64::NAN), "0 replications/s");
    }

    #[test]
    fn the_bar_is_drawn_on_a_terminal_unless_term_is_dumb() {
        fn term(t: &str) -> Option<&OsStr> {
            Some(OsStr::new(t))
        }
        assert!(redraws(true, term("xterm-256color")));
        assert!(redraws(true, None));
        assert!(redraws(true, term("")));
        assert!(!redraws(true, term("dumb")));
        assert!(!redraws(false, term("xterm-256color")));
        assert!(!redraws(false, None));
    }

    /// A terminal that keeps what is drawn on it.
    #[derive(Debug, Clone, Default)]
    struct Screen(Arc<Mutex<String>>);

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            120
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.write_str(s)
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            self.0.lock().unwrap().push_str(s);
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_bar_shows_the_rate_with_its_unit() {
        let screen = Screen::default();
        let pb = ProgressBar::with_draw_target(
            Some(200),
            ProgressDrawTarget::term_like(Box::new(screen.clone())),
        );
        pb.set_style(style("replications at 400"));
        pb.inc(50);
        std::thread::sleep(std::time::Duration::from_millis(20));
        pb.inc(50);
        pb.tick();
        let shown = screen.0.lock().unwrap().clone();
        assert!(shown.contains("100/200 replications at 400 ("), "{shown}");
        let rate = shown
            .rsplit(" replications at 400 (")
            .next()
            .and_then(|s| s.split(" replications/s, ETA").next())
            .unwrap_or_else(|| panic!("no rate with its unit in {shown:?}"));
        // Rounded: at most two decimals, none from 100 a second up.
        let decimals = rate.split_once('.').map_or(0, |(_, d)| d.len());
        assert!(decimals <= 2, "{shown}");
        assert!(!rate.contains('/'), "{shown}");
    }
}
