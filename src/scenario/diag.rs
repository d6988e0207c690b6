//! Diagnostics: the `Diagnostic` and `ScenarioError` types every stage of the loader reports
//! through, the `Problem` that `Scenario::check` reports, the key-path map to line:column
//! positions (`Spans`), and the collector (`Diags`) that gathers every error and warning instead
//! of stopping at the first.

use std::collections::{HashMap, HashSet};
use std::fmt;

/// One problem in a scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// The file as named by the caller.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// Key path such as `port[San Ysidro].quota_per_day` or `route[2].to`: array-of-tables
    /// elements are named by their `name` when they have a unique one, else by their 1-based
    /// position in the file; value-array elements by their 1-based position.
    pub key: Option<String>,
    /// What is wrong, as a sentence.
    pub message: String,
    /// How to put it right, where that is obvious; `None` otherwise.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// `file:line:col: key: message` (without the hint), with any [unsafe
    /// character](is_unsafe_char) quoted from the file written as an escape.
    pub fn location_and_message(&self) -> String {
        let mut s = self.file.clone();
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
            if let Some(c) = self.column {
                s.push_str(&format!(":{c}"));
            }
        }
        s.push_str(": ");
        if let Some(k) = &self.key {
            s.push_str(k);
            s.push_str(": ");
        }
        s.push_str(&self.message);
        escape_unsafe(&s).into_owned()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.location_and_message())?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {}", escape_unsafe(h))?;
        }
        Ok(())
    }
}

/// One problem [`super::Scenario::check`] found in a scenario (one changed in code after it
/// was loaded, or built in code), or that an experiment found in its options: what a program
/// matches on (`key`), with the text a person reads (`Display`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The scenario it is in, by name, when an experiment checked several (a comparison's A
    /// and B); `None` otherwise.
    pub scenario: Option<String>,
    /// Where to fix it: the scenario's TOML key path as a planner writes it and `--set` takes
    /// it (`attrition.hazard_per_day`, `origin[Tijuana].share`, `port[San Ysidro].ramp.over`;
    /// elements named as the loader names them, by `name` or else by 1-based position; a whole
    /// section such as `origin` when the problem is between its elements), or, for an option
    /// of the library, its Rust path (`CompareOptions.replications`).
    pub key: String,
    /// What is wrong, starting with the value found (`-0.1: must be 0 or more per day`).
    pub message: String,
    /// How to fix it, where that is more than the rule in `message`.
    pub hint: Option<String>,
}

impl Problem {
    /// A problem at `key`.
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            scenario: None,
            key: key.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// The same with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }

    /// Whether the problem is in an option of the library, keyed by its Rust path
    /// (`RunOptions.replications`, `CompareOptions.replications`: a type name, capitalised),
    /// rather than in the scenario (TOML keys are lower case).
    pub fn is_option(&self) -> bool {
        self.key.starts_with(|c: char| c.is_ascii_uppercase())
    }
}

/// A problem is an error of its own (e.g. returned through `Box<dyn Error>`).
impl std::error::Error for Problem {}

/// `[scenario "NAME": ]KEY: MESSAGE[ (HINT)]`, on one line.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = &self.scenario {
            write!(f, "scenario \"{s}\": ")?;
        }
        write!(f, "{}: {}", self.key, self.message)?;
        if let Some(h) = &self.hint {
            write!(f, " ({h})")?;
        }
        Ok(())
    }
}

/// What kind of failure a `ScenarioError` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScenarioErrorKind {
    /// The file could not be read (missing, unreadable, not UTF-8 text).
    Io,
    /// The file was read but is not a valid scenario.
    Invalid,
}

/// Every problem found in a scenario file, collected before anything runs. `Display` prints
/// each diagnostic on its own line (`error: file:line:col: key: message`, then `  hint: …`),
/// then each warning found beside them that no error may have caused
/// (`warning: file:line:col: key: message`; `Diags::warnings_beside_errors`).
///
/// `Debug` (`{:?}`) prints the same text as `Display`, so that `fn main() -> Result<(), Box<dyn
/// Error>>` ending in `?` shows the diagnostics, not the struct; the alternate form (`{:#?}`)
/// shows the fields.
#[derive(thiserror::Error)]
pub struct ScenarioError {
    /// The scenario file as the caller named it (`file.toml` of `load_str`'s second argument
    /// for text loaded from memory); every diagnostic names it too.
    pub file: String,
    /// Whether the file could not be read or is not a valid scenario.
    pub kind: ScenarioErrorKind,
    /// At least one entry. For an I/O failure, one entry without line or key.
    pub diagnostics: Vec<Diagnostic>,
    /// The I/O error behind a [`ScenarioErrorKind::Io`] failure, when there was one; `None`
    /// for an invalid scenario.
    #[source]
    pub source: Option<std::io::Error>,
    /// Validation warnings found beside the errors (`file:line:col: key: message`, as
    /// `Scenario::warnings`), printed after them: empty when the file could not be read or
    /// parsed.
    pub warnings: Vec<String>,
    /// The same warnings with their parts apart (file, line, column, key, message; no hint),
    /// in the same order as `warnings`, for a program to read (`clearance validate --json`).
    pub warning_diagnostics: Vec<Diagnostic>,
}

impl ScenarioError {
    /// An error for a scenario file that could not be read: one diagnostic with `message` and no
    /// position, and the I/O error (if any) as its source.
    pub fn io(file: &str, message: impl Into<String>, source: Option<std::io::Error>) -> Self {
        ScenarioError {
            file: file.to_string(),
            kind: ScenarioErrorKind::Io,
            diagnostics: vec![Diagnostic {
                file: file.to_string(),
                line: None,
                column: None,
                key: None,
                message: message.into(),
                hint: None,
            }],
            source,
            warnings: Vec::new(),
            warning_diagnostics: Vec::new(),
        }
    }

    /// An error for an invalid scenario: its `diagnostics` (at least one), reported in file order
    /// with unknown keys and sections first.
    pub fn invalid(file: &str, mut diagnostics: Vec<Diagnostic>) -> Self {
        // Report in file order; problems without a position (whole-file ones) first, and before
        // all an unknown key or section: often the cause of what follows (a misspelt [[port]]
        // makes every route to it name an unknown port).
        diagnostics.sort_by_key(|d| {
            (
                !d.is_unknown_name(),
                d.line.unwrap_or(0),
                d.column.unwrap_or(0),
            )
        });
        ScenarioError {
            file: file.to_string(),
            kind: ScenarioErrorKind::Invalid,
            diagnostics,
            source: None,
            warnings: Vec::new(),
            warning_diagnostics: Vec::new(),
        }
    }

    /// The same error with the warnings found beside it (their text as `Scenario::warnings`
    /// gives it; no [`ScenarioError::warning_diagnostics`]).
    pub fn with_warnings(mut self, warnings: Vec<String>) -> Self {
        self.warnings = warnings;
        self.warning_diagnostics.clear();
        self
    }

    /// The same error with the warnings found beside it, each as a diagnostic: its text
    /// (`file:line:col: key: message`) becomes [`ScenarioError::warnings`].
    pub fn with_warning_diagnostics(mut self, warnings: Vec<Diagnostic>) -> Self {
        self.warnings = warnings.iter().map(|w| w.location_and_message()).collect();
        self.warning_diagnostics = warnings;
        self
    }
}

impl Diagnostic {
    /// Whether it reports an unknown key or section: reported first, as often the cause of
    /// what follows it.
    pub fn is_unknown_name(&self) -> bool {
        self.message.starts_with("unknown key") || self.message.starts_with("unknown section")
    }
}

/// The readable text of `Display`; `{:#?}` gives the fields.
impl fmt::Debug for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            f.debug_struct("ScenarioError")
                .field("file", &self.file)
                .field("kind", &self.kind)
                .field("diagnostics", &self.diagnostics)
                .field("source", &self.source)
                .field("warnings", &self.warnings)
                .field("warning_diagnostics", &self.warning_diagnostics)
                .finish()
        } else {
            fmt::Display::fmt(self, f)
        }
    }
}

/// Every error, then every warning, each on its own line (with its hint), when there are at
/// most [`SHOWN_BEFORE_FOLD`] of them; more are folded ([`fold_entries`]): the first ones in
/// the order found (file order), then one line saying how many more there are. The alternate
/// form (`{:#}`) lists every one.
impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let all = f.alternate();
        let errors: Vec<String> = self.diagnostics.iter().map(ToString::to_string).collect();
        let warnings: Vec<String> = self
            .warnings
            .iter()
            .map(|w| format!("warning: {}", escape_unsafe(w)))
            .collect();
        let lines = fold_entries(&errors, Severity::Error, &self.file, all)
            .into_iter()
            .chain(fold_entries(&warnings, Severity::Warning, &self.file, all));
        for (i, line) in lines.enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{line}")?;
        }
        Ok(())
    }
}

/// How many errors, and apart from them how many warnings, of one file are printed before the
/// rest are folded into one line ([`fold_entries`]): 20. Enough for every mistake of a file
/// written by hand (each shown with its hint); a generated file, or one block copied many
/// times, with one mistake repeated a thousand times had filled the terminal with it.
pub const SHOWN_BEFORE_FOLD: usize = 20;

/// Whether a diagnostic stops the scenario from loading or only looks suspicious.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The scenario is invalid.
    Error,
    /// The scenario loads, but something in it looks wrong.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// The entries (each the printed text of one diagnostic of `file`, hint included) to print:
/// all of them when there are at most [`SHOWN_BEFORE_FOLD`] or `all` is set; else the first
/// [`SHOWN_BEFORE_FOLD`], then `… and 1,980 more errors (2,000 in all); `clearance validate
/// FILE --all` lists every one`.
pub fn fold_entries(entries: &[String], severity: Severity, file: &str, all: bool) -> Vec<String> {
    if all || entries.len() <= SHOWN_BEFORE_FOLD {
        return entries.to_vec();
    }
    let more = entries.len() - SHOWN_BEFORE_FOLD;
    let word = |n: usize| format!("{}{}", severity.as_str(), if n == 1 { "" } else { "s" });
    let mut out = entries[..SHOWN_BEFORE_FOLD].to_vec();
    out.push(format!(
        "… and {} more {} ({} in all); `clearance validate {} --all` lists every one",
        crate::format::fmt_int(more as f64),
        word(more),
        crate::format::fmt_int(entries.len() as f64),
        shell_word(file)
    ));
    out
}

/// `text` as one word of a shell command: as it is when it holds only letters, digits and
/// `_-./+,:@%=`, else in single quotes (a `'` in it written `'\''`).
pub fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./+,:@%=".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// 1-based (line, column) of a byte offset in `src`; the column counts characters. Scans `src`
/// from its start: to locate many offsets in one text, build a [`LineIndex`] once.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let mut off = offset.min(src.len());
    while !src.is_char_boundary(off) {
        off -= 1;
    }
    #[cfg(test)]
    scanned::add(off);
    let before = &src[..off];
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    // A byte-order mark opening the file is not a column an editor shows.
    let line_start = match before.rfind('\n') {
        Some(i) => i + 1,
        None if before.starts_with('\u{feff}') => '\u{feff}'.len_utf8(),
        None => 0,
    };
    let col = src[line_start..off].chars().count() + 1;
    (line, col)
}

/// Bytes between character-count checkpoints in a [`LineIndex`].
const CHUNK: usize = 64;

/// Where each line of a text starts, and how many characters precede every 64th byte: built
/// once per file in one pass, it gives the same (line, column) as [`line_col`] for any offset by
/// a binary search and a scan of at most 64 bytes, so locating every key of a large file is
/// linear in its size (rescanning from byte 0 for each key took half a minute on a 1 MB file).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    src: &'a str,
    /// Byte offset of the start of each line after the first.
    line_starts: Vec<usize>,
    /// Characters in `src[..k * CHUNK]`, for each k.
    chars_before_chunk: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// An index of the line starts of `src`, built by one scan.
    pub fn new(src: &'a str) -> Self {
        #[cfg(test)]
        scanned::add(src.len());
        let bytes = src.as_bytes();
        let line_starts = (0..bytes.len())
            .filter(|&i| bytes[i] == b'\n')
            .map(|i| i + 1)
            .collect();
        let mut chars_before_chunk = Vec::with_capacity(bytes.len() / CHUNK + 1);
        let mut n = 0;
        for chunk in bytes.chunks(CHUNK) {
            chars_before_chunk.push(n);
            n += count_chars(chunk);
        }
        chars_before_chunk.push(n);
        LineIndex {
            src,
            line_starts,
            chars_before_chunk,
        }
    }

    /// The text indexed.
    pub fn text(&self) -> &'a str {
        self.src
    }

    /// Characters in `src[..off]` (`off` at a character boundary).
    fn chars_before(&self, off: usize) -> usize {
        let k = off / CHUNK;
        #[cfg(test)]
        scanned::add(off - k * CHUNK);
        self.chars_before_chunk[k] + count_chars(&self.src.as_bytes()[k * CHUNK..off])
    }

    /// 1-based (line, column) of a byte offset, exactly as [`line_col`] gives it.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let src = self.src;
        let mut off = offset.min(src.len());
        while !src.is_char_boundary(off) {
            off -= 1;
        }
        let above = self.line_starts.partition_point(|&s| s <= off);
        let line_start = match above {
            0 if src[..off].starts_with('\u{feff}') => '\u{feff}'.len_utf8(),
            0 => 0,
            n => self.line_starts[n - 1],
        };
        let col = self.chars_before(off) - self.chars_before(line_start) + 1;
        (above + 1, col)
    }
}

/// Characters that start in `bytes` (bytes that are not UTF-8 continuation bytes).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// A count of the bytes [`line_col`] and [`LineIndex`] scan, for tests that loading a file
/// scans it a bounded number of times (per thread, so tests running in parallel do not mix).
#[cfg(test)]
pub(crate) mod scanned {
    use std::cell::Cell;
    thread_local!(static BYTES: Cell<usize> = const { Cell::new(0) });
    pub fn add(n: usize) {
        BYTES.with(|b| b.set(b.get() + n));
    }
    /// The bytes scanned since the last call.
    pub fn take() -> usize {
        BYTES.with(|b| b.replace(0))
    }
}

/// Whether `c` would act on a terminal or reorder text rather than print as itself: a C0 or
/// C1 control character (U+0000–U+001F, U+007F–U+009F: ESC starts terminal commands, CR
/// returns to the start of the line, NUL ends a C string and is no XML character) or a
/// bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069), which reorders the text
/// shown after it.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `text` with every [unsafe character](is_unsafe_char) written as a `\u{…}` escape, so that
/// a message quoting text from a file can neither erase nor reorder what is printed around it.
pub fn escape_unsafe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The first [unsafe character](is_unsafe_char) of `text`: its 1-based position in characters
/// and a description (`U+001B (escape)`).
pub fn first_unsafe_char(text: &str) -> Option<(usize, String)> {
    let (i, c) = text.chars().enumerate().find(|(_, c)| is_unsafe_char(*c))?;
    let what = match c {
        '\0' => " (null)",
        '\t' => " (tab)",
        '\n' => " (line feed)",
        '\r' => " (carriage return)",
        '\u{1b}' => " (escape)",
        '\u{7f}' => " (delete)",
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => " (bidirectional override)",
        _ => " (control character)",
    };
    Some((i + 1, format!("U+{:04X}{what}", c as u32)))
}

/// The name of a character that shows as a space, or as nothing, but is not the space TOML and
/// every name match expect: a non-breaking space (U+00A0, which Word and e-mail put between
/// words), the typographic spaces (U+2000–U+200A, U+202F, U+205F, U+3000), and the invisible
/// zero-width space, word joiner, soft hyphen and byte-order mark (U+200B, U+2060, U+00AD,
/// U+FEFF; the mark is harmless only as a file's first character). `None` for any other
/// character (zero-width joiners, U+200C–U+200D, belong in some scripts' words).
pub fn odd_space_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{a0}' => "non-breaking space",
        '\u{1680}' => "ogham space mark",
        '\u{2000}' => "en quad",
        '\u{2001}' => "em quad",
        '\u{2002}' => "en space",
        '\u{2003}' => "em space",
        '\u{2004}' => "three-per-em space",
        '\u{2005}' => "four-per-em space",
        '\u{2006}' => "six-per-em space",
        '\u{2007}' => "figure space",
        '\u{2008}' => "punctuation space",
        '\u{2009}' => "thin space",
        '\u{200a}' => "hair space",
        '\u{202f}' => "narrow non-breaking space",
        '\u{205f}' => "medium mathematical space",
        '\u{3000}' => "ideographic space",
        '\u{200b}' => "zero-width space",
        '\u{2060}' => "word joiner",
        '\u{feff}' => "zero-width no-break space (byte-order mark)",
        '\u{ad}' => "soft hyphen",
        _ => return None,
    })
}

/// Whether an [odd space](odd_space_name) shows as nothing at all (zero-width, soft hyphen).
pub fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200b}' | '\u{2060}' | '\u{feff}' | '\u{ad}')
}

/// An [odd space](odd_space_name) described for a message: "a non-breaking space (U+00A0)",
/// "an invisible zero-width space (U+200B)". `None` for any other character.
pub fn describe_odd_space(c: char) -> Option<String> {
    let name = odd_space_name(c)?;
    let invisible = if is_zero_width(c) { "invisible " } else { "" };
    let words = format!("{invisible}{name}");
    let article = if words.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    Some(format!("{article} {words} (U+{:04X})", c as u32))
}

/// What to do with an [odd space](odd_space_name): retype it as a space, or delete it when it
/// shows as nothing.
pub fn odd_space_fix(c: char) -> &'static str {
    if is_zero_width(c) {
        "delete it"
    } else {
        "retype it as a normal space"
    }
}

/// `text` with every [odd space](odd_space_name) that shows as a space made a normal space and
/// every one that shows as nothing dropped: two names that look the same fold to the same text.
pub fn fold_odd_spaces(text: &str) -> String {
    text.chars()
        .filter(|c| !is_zero_width(*c))
        .map(|c| if odd_space_name(c).is_some() { ' ' } else { c })
        .collect()
}

/// For two different names that [fold](fold_odd_spaces) to the same text (they look alike),
/// what differs, at the first difference: `"San Ysidro" here holds a non-breaking space
/// (U+00A0) at character 4 where "San Ysidro" has a normal space`, and the fix. `word` is the
/// name as written where the message points; `known` the name it was meant to match.
pub fn odd_space_difference(word: &str, known: &str) -> Option<String> {
    if word == known || fold_odd_spaces(word) != fold_odd_spaces(known) {
        return None;
    }
    let w: Vec<char> = word.chars().collect();
    let k: Vec<char> = known.chars().collect();
    let i = (0..w.len().max(k.len())).find(|&i| w.get(i) != k.get(i))?;
    let (a, b) = (w.get(i).copied(), k.get(i).copied());
    let at = i + 1;
    let desc = |c: Option<char>| c.and_then(describe_odd_space);
    let zero_width = |c: Option<char>| c.is_some_and(is_zero_width);
    Some(match (desc(a), desc(b)) {
        // (a character that shows as nothing is one the other lacks)
        (Some(da), _) if zero_width(a) => format!(
            "\"{word}\" here holds {da} at character {at} that \"{known}\" does not have: {}",
            odd_space_fix(a?)
        ),
        (_, Some(db)) if zero_width(b) => format!(
            "\"{known}\" holds {db} at character {at} that \"{word}\" here does not have: {} \
             where that name is given",
            odd_space_fix(b?)
        ),
        // (the odd one is `word`'s: a space in `known`)
        (Some(da), _) if b == Some(' ') => format!(
            "\"{word}\" here holds {da} at character {at} where \"{known}\" has a normal space: \
             {}",
            odd_space_fix(a?)
        ),
        (Some(da), Some(db)) => format!(
            "\"{word}\" here holds {da} at character {at} where \"{known}\" holds {db}: retype \
             both as normal spaces"
        ),
        (None, Some(db)) if a == Some(' ') => format!(
            "\"{word}\" here has a normal space at character {at} where \"{known}\" holds {db}: \
             retype it as a normal space where that name is given"
        ),
        _ => return None,
    })
}

/// Calls `f(path, key, text)` for each text value of `table`, and `f(path, None, key)` for each
/// key, with key paths labelled as [`Spans`] labels them (array-of-tables elements by name);
/// `key` is the key that holds a text value (for a list's entries, the list's key). Returns
/// whether `f` returned true for any.
fn for_each_text(table: &toml::Table, f: &mut dyn FnMut(&str, Option<&str>, &str) -> bool) -> bool {
    type Visit<'f> = dyn FnMut(&str, Option<&str>, &str) -> bool + 'f;
    fn walk(f: &mut Visit, path: &str, key: &str, v: &toml::Value) -> bool {
        match v {
            toml::Value::String(s) => f(path, Some(key), s),
            toml::Value::Table(t) => walk_table(f, path, t),
            toml::Value::Array(a) if !a.is_empty() && a.iter().all(toml::Value::is_table) => {
                let names: Vec<Option<String>> = a
                    .iter()
                    .map(|t| {
                        t.get("name")
                            .and_then(toml::Value::as_str)
                            .map(str::to_string)
                    })
                    .collect();
                let mut found = false;
                for (el, label) in a.iter().zip(element_labels(path, &names)) {
                    found |= walk(f, &label, key, el);
                }
                found
            }
            toml::Value::Array(a) => {
                let mut found = false;
                for (i, el) in a.iter().enumerate() {
                    found |= walk(f, &format!("{path}[{}]", i + 1), key, el);
                }
                found
            }
            _ => false,
        }
    }
    fn walk_table(f: &mut Visit, prefix: &str, t: &toml::Table) -> bool {
        let mut found = false;
        for (k, v) in t {
            let path = join(prefix, &escape_unsafe(k));
            found |= f(&path, None, k);
            found |= walk(f, &path, k, v);
        }
        found
    }
    walk_table(f, "", table)
}

/// Curly (typographic) quotes, which a word processor or e-mail types for `"` and `'`: TOML
/// reads none of them as a quote.
pub const CURLY_QUOTES: [char; 10] = ['“', '”', '‘', '’', '„', '‚', '«', '»', '″', '′'];

/// Whether `text` begins and ends with a [curly quote](CURLY_QUOTES): `"“MPP wind-down”"`,
/// curly quotes wrapped in the straight ones.
fn curly_wrapped(text: &str) -> Option<&str> {
    let mut chars = text.chars();
    let (first, last) = (chars.next()?, chars.next_back()?);
    (CURLY_QUOTES.contains(&first) && CURLY_QUOTES.contains(&last)).then_some(chars.as_str())
}

/// A warning for each `name` holding an [odd space](odd_space_name): it prints like a space,
/// but `--set port[…]`, a comparison's ports and an observed-data column must repeat the
/// invisible character exactly, and nobody types it. A warning, not an error: a name written
/// the same way everywhere works, and the run is right.
pub fn warn_odd_spaces_in_names(table: &toml::Table, d: &mut Diags) {
    for_each_text(table, &mut |path, key, text| {
        if key != Some("name") {
            return false;
        }
        let Some((i, c)) = text
            .chars()
            .enumerate()
            .find(|(_, c)| odd_space_name(*c).is_some())
        else {
            return false;
        };
        d.warn(
            path,
            format!(
                "the name \"{text}\" holds {} at character {}: it looks like a normal space, but \
                 --set, comparisons and observed data must then repeat it exactly; {}",
                describe_odd_space(c).unwrap_or_default(),
                i + 1,
                odd_space_fix(c)
            ),
        );
        true
    });
}

/// An error for each text value wrapped in curly quotes inside the straight ones (`name =
/// "“MPP wind-down”"`, what retyping `name = “MPP wind-down”` half-way gives): the curly quotes
/// would become part of a name in every table, chart and report, and no duration, date,
/// weekday or port name is written with them. When there is one, returns the table with those
/// quotes removed, for the rest of the checks to read (a route to `"“San Ysidro”"` is then not
/// also an unknown port).
pub fn refuse_curly_wrapped_text(table: &toml::Table, d: &mut Diags) -> Option<toml::Table> {
    let found = for_each_text(table, &mut |path, key, text| {
        let (Some(key), Some(inner)) = (key, curly_wrapped(text)) else {
            return false;
        };
        d.error(
            path,
            format!(
                "the text \"{text}\" begins and ends with curly (typographic) quotes, which would \
                 be part of it: only the straight quotes around it are TOML's"
            ),
            // A list's item is written alone ("write days = \"Mon\"" had dropped the list).
            Some(if path.ends_with(']') {
                format!("write {inner:?} as that item of {key}")
            } else {
                format!("write {key} = {inner:?}")
            }),
        );
        true
    });
    fn strip(v: &mut toml::Value) {
        match v {
            toml::Value::String(s) => {
                if let Some(inner) = curly_wrapped(s) {
                    *s = inner.to_string();
                }
            }
            toml::Value::Array(a) => a.iter_mut().for_each(strip),
            toml::Value::Table(t) => t.iter_mut().for_each(|(_, v)| strip(v)),
            _ => {}
        }
    }
    found.then(|| {
        let mut t = table.clone();
        t.iter_mut().for_each(|(_, v)| strip(v));
        t
    })
}

/// For each element of an array of tables that `checked` (a copy of `written` with some text
/// changed, such as [`refuse_curly_wrapped_text`]'s) labels otherwise than `written`, its
/// label in `checked` -> its label in `written` (`port[P]` -> `port[“P”]`).
pub fn relabelled(written: &toml::Table, checked: &toml::Table) -> HashMap<String, String> {
    let labels = |section: &str, v: &toml::Value| -> Option<Vec<String>> {
        let items = v
            .as_array()
            .filter(|a| a.iter().all(toml::Value::is_table))?;
        let names: Vec<Option<String>> = items
            .iter()
            .map(|t| t.get("name").and_then(|n| n.as_str()).map(str::to_string))
            .collect();
        Some(element_labels(section, &names))
    };
    let mut out = HashMap::new();
    for (section, v) in written {
        let (Some(a), Some(b)) = (
            labels(section, v),
            checked.get(section).and_then(|w| labels(section, w)),
        ) else {
            continue;
        };
        for (a, b) in a.into_iter().zip(b) {
            if a != b {
                out.insert(b, a);
            }
        }
    }
    out
}

/// An error for each text value, and each key, of `table` that holds an [unsafe
/// character](is_unsafe_char): names and other text are printed in messages, tables, charts
/// (SVG, which is XML: a control character makes it unreadable) and reports, where such a
/// character can erase or reorder what is printed. Key paths are labelled as [`Spans`] labels
/// them. Returns whether any was found.
pub fn refuse_unsafe_text(table: &toml::Table, d: &mut Diags) -> bool {
    for_each_text(table, &mut |path, key, text| {
        let Some((at, code)) = first_unsafe_char(text) else {
            return false;
        };
        let what = if key.is_some() { "text" } else { "key" };
        d.error(
            path,
            format!(
                "the {what} \"{}\" has the invisible character {code} at character {at}: a \
                 terminal acts on it (it can erase or reorder what is printed) and charts (SVG) \
                 cannot hold it",
                escape_unsafe(text)
            ),
            Some(
                "retype the text in plain characters, without \\u escapes for control or \
                 bidirectional characters"
                    .into(),
            ),
        );
        true
    })
}

/// Split a key path into segments, `a.b[c].d` -> `a`, `b`, `[c]`, `d`; dots inside brackets
/// (a port named "St. Mary") do not split.
pub fn path_segments(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    for (i, c) in path.char_indices() {
        match c {
            '[' if depth == 0 => {
                if i > start {
                    out.push(&path[start..i]);
                }
                start = i;
                depth += 1;
            }
            '[' => depth += 1,
            ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(&path[start..=i]);
                    start = i + 1;
                }
            }
            '.' if depth == 0 => {
                if i > start {
                    out.push(&path[start..i]);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < path.len() {
        out.push(&path[start..]);
    }
    out
}

/// The key path one level up, or `None` at the top.
pub fn parent_path(path: &str) -> Option<String> {
    let segs = path_segments(path);
    if segs.len() <= 1 {
        return None;
    }
    Some(join_segments(&segs[..segs.len() - 1]))
}

/// Key-path segments joined back into a path (`port`, `[P]`, `ramp` -> `port[P].ramp`).
pub fn join_segments(segs: &[&str]) -> String {
    let mut s = String::new();
    for seg in segs {
        if !s.is_empty() && !seg.starts_with('[') {
            s.push('.');
        }
        s.push_str(seg);
    }
    s
}

/// Join a key path and a key.
pub fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Longest name a scenario, port, origin, route, phase or class may have \[characters\]: the
/// tables, charts and reports print names in full.
pub const MAX_NAME_CHARS: usize = 100;

/// Labels of the elements of an array of tables, as used in key paths: the element's `name`
/// when it has a non-empty one, no longer than [`MAX_NAME_CHARS`], that no earlier element
/// has, else its 1-based position.
pub fn element_labels(section: &str, names: &[Option<String>]) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for n in names.iter().flatten() {
        *counts.entry(n.as_str()).or_default() += 1;
    }
    names
        .iter()
        .enumerate()
        .map(|(i, n)| match n {
            Some(n)
                if !n.is_empty()
                    && n.chars().count() <= MAX_NAME_CHARS
                    && !n.chars().any(is_unsafe_char)
                    && counts.get(n.as_str()) == Some(&1)
                    && seen.insert(n) =>
            {
                format!("{section}[{n}]")
            }
            _ => format!("{section}[{}]", i + 1),
        })
        .collect()
}

/// Positions of every key path found in the source document, and the text of every decimal
/// number there as written (TOML reads `25.000` as 25.0: how it was written is gone from the
/// value, and a hint needs it).
#[derive(Debug, Clone, Default)]
pub struct Spans {
    map: HashMap<String, (usize, usize)>,
    decimals: HashMap<String, String>,
}

impl Spans {
    /// Record the 1-based (line, column) of the key path `path`; the first position recorded for a
    /// path is kept.
    pub fn insert(&mut self, path: String, pos: (usize, usize)) {
        self.map.entry(path).or_insert(pos);
    }

    /// Record how the decimal number at `path` is written (`25.000`).
    pub fn insert_decimal(&mut self, path: String, text: &str) {
        self.decimals
            .entry(path)
            .or_insert_with(|| text.to_string());
    }

    /// How the decimal number at `path` is written, if the source writes one there.
    pub fn decimal(&self, path: &str) -> Option<&str> {
        self.decimals.get(path).map(String::as_str)
    }

    /// Take the decimal numbers of `other` (a base file's, under the same key paths) where this
    /// one writes none: a value a file does not write comes from its base.
    pub fn add_decimals_from(&mut self, other: &Spans) {
        for (path, text) in &other.decimals {
            self.insert_decimal(path.clone(), text);
        }
    }

    /// Position of `path`, or of its nearest enclosing key that has one.
    pub fn locate(&self, path: &str) -> Option<(usize, usize)> {
        let mut p = path.to_string();
        loop {
            if let Some(pos) = self.map.get(&p) {
                return Some(*pos);
            }
            p = parent_path(&p)?;
        }
    }

    /// Exact position of `path`, if it occurs in the source.
    pub fn get(&self, path: &str) -> Option<(usize, usize)> {
        self.map.get(path).copied()
    }

    /// Whether the source writes `path` or anything under it (`inflow`, `inflow.until`).
    pub fn has_under(&self, path: &str) -> bool {
        self.map.keys().any(|k| {
            k == path
                || k.strip_prefix(path)
                    .is_some_and(|r| r.starts_with('.') || r.starts_with('['))
        })
    }

    /// The same positions under new key paths: `rename` gives each path its new name, or
    /// `None` to drop it. When two paths get the same name, the later position in the file is
    /// kept (of two elements merged into one, the later one wins).
    pub fn renamed(&self, mut rename: impl FnMut(&str) -> Option<String>) -> Spans {
        let mut map: HashMap<String, (usize, usize)> = HashMap::with_capacity(self.map.len());
        for (path, pos) in &self.map {
            if let Some(p) = rename(path) {
                let e = map.entry(p).or_insert(*pos);
                *e = (*e).max(*pos);
            }
        }
        // (of two merged elements' numbers, the later one's, as for the positions)
        let mut later: Vec<(&String, &String)> = self.decimals.iter().collect();
        later.sort_by_key(|(path, _)| std::cmp::Reverse(self.map.get(*path)));
        let mut decimals = HashMap::with_capacity(self.decimals.len());
        for (path, text) in later {
            if let Some(p) = rename(path) {
                decimals.entry(p).or_insert_with(|| text.clone());
            }
        }
        Spans { map, decimals }
    }
}

/// Collects errors and warnings with their positions.
pub struct Diags<'a> {
    /// The scenario file's name, as every diagnostic names it.
    pub file: &'a str,
    /// Where each key path sits in the file, for the diagnostics' positions.
    pub spans: &'a Spans,
    /// The errors found so far.
    pub errors: Vec<Diagnostic>,
    /// The warnings found so far, each as `file:line:col: key: message` (the position and key where
    /// known).
    pub warnings: Vec<String>,
    /// The key path of each of `warnings`, in the same order.
    pub warning_keys: Vec<String>,
    /// Each of `warnings` as a diagnostic (its parts apart), in the same order.
    pub warning_diagnostics: Vec<Diagnostic>,
    /// Key paths whose value was already reported as wrong (e.g. a type error), so that no
    /// second "missing" error is raised for them.
    pub poisoned: HashSet<String>,
    /// Moves a diagnostic to the file that wrote its key, for a scenario built from several
    /// files (`extends`, `--set`); without it every diagnostic is placed in `file` by `spans`.
    pub place: Option<&'a dyn Fn(&mut Diagnostic)>,
    /// The scenario's start date once read: a calendar date written where a time since the
    /// start is expected is then given back as that time.
    pub start_date: Option<chrono::NaiveDate>,
    /// Whether `start_date` is the default (no `scenario.start_date` written), which such a
    /// time is then said to count from.
    pub start_date_default: bool,
    /// What merging the files of an `extends` chain found (empty for a single file).
    pub inherited: Inherited,
    /// Elements the checks label otherwise than the table as written (`port[P]` for a port
    /// written `name = "“P”"`, checked without its curly quotes): the label as checked -> the
    /// label as written, by which `spans` and `place` locate its keys.
    pub relabel: HashMap<String, String>,
}

/// What merging a file over its base (`extends`) found, for validation to report.
#[derive(Debug, Clone, Default)]
pub struct Inherited {
    /// Warnings, each at a key path of the effective table: (key, message).
    pub warnings: Vec<(String, String)>,
    /// `[[port]]` elements a file adds (their name matches no port of its base) whose name is
    /// close to a base port's: (name, the base port's name, the base file). Without a route to
    /// it such a port is a misspelt change to the base's, an error.
    pub near_ports: Vec<(String, String, String)>,
}

/// Marks, among the poisoned keys, a file whose `extends` was misplaced: its base was not read,
/// so names the base would define (origins, ports, routes) are not reported unknown.
pub const BASE_UNREAD: &str = "(base not read)";

impl<'a> Diags<'a> {
    /// Report a name that matches nothing (an unknown origin, port or route), unless names may
    /// come from a base that was not read (a misplaced `extends`).
    pub fn unknown(&mut self, key: &str, message: impl Into<String>, hint: Option<String>) {
        if !self.poisoned.contains(BASE_UNREAD) {
            self.error(key, message, hint);
        }
    }

    /// No errors or warnings yet, for `file` with its key positions `spans`.
    pub fn new(file: &'a str, spans: &'a Spans) -> Self {
        Diags {
            file,
            spans,
            errors: Vec::new(),
            warnings: Vec::new(),
            warning_keys: Vec::new(),
            warning_diagnostics: Vec::new(),
            poisoned: HashSet::new(),
            place: None,
            start_date: None,
            start_date_default: false,
            inherited: Inherited::default(),
            relabel: HashMap::new(),
        }
    }

    /// Report an error at a key path ("" = the whole file).
    pub fn error(&mut self, key: &str, message: impl Into<String>, hint: Option<String>) {
        let d = self.diagnostic(key, message.into(), hint);
        self.errors.push(d);
    }

    /// A diagnostic at `key` ("" = the whole file), located by `spans` in `file`, then moved by
    /// `place` when there is one; an element the checks label otherwise is located by its
    /// label as written (`relabel`), and keeps the key as checked.
    fn diagnostic(&self, key: &str, message: String, hint: Option<String>) -> Diagnostic {
        let written = self.as_written(key);
        let pos = if key.is_empty() {
            None
        } else {
            self.spans.locate(&written)
        };
        let mut d = Diagnostic {
            file: self.file.to_string(),
            line: pos.map(|p| p.0),
            column: pos.map(|p| p.1),
            key: (!key.is_empty()).then_some(written),
            message,
            hint,
        };
        if let Some(place) = self.place {
            place(&mut d);
        }
        d.key = (!key.is_empty()).then(|| key.to_string());
        d
    }

    /// `key` with its element labelled as the table as written labels it (`relabel`).
    fn as_written(&self, key: &str) -> String {
        let segs = path_segments(key);
        if let [section, label, ..] = segs.as_slice() {
            let own = format!("{section}{label}");
            if let Some(new) = self.relabel.get(&own) {
                if let Some(rest) = key.strip_prefix(&own) {
                    return format!("{new}{rest}");
                }
            }
        }
        key.to_string()
    }

    /// Report that a required key is missing, unless its value was already reported as wrong.
    pub fn missing(&mut self, key: &str, message: impl Into<String>, hint: Option<String>) {
        if !self.poisoned.contains(key) {
            self.error(key, message, hint);
        }
    }

    /// Record a warning (not an error) at a key path.
    pub fn warn(&mut self, key: &str, message: impl Into<String>) {
        self.warn_with_hint(key, message, None);
    }

    /// Record a warning at a key path with a hint (what to change), which `validate --json`
    /// gives as the warning's `hint`; the warning's text (`Scenario::warnings`) is its place
    /// and message alone, as every warning's is.
    pub fn warn_with_hint(&mut self, key: &str, message: impl Into<String>, hint: Option<String>) {
        let d = self.diagnostic(key, message.into(), hint);
        self.warnings.push(d.location_and_message());
        self.warning_keys.push(key.to_string());
        self.warning_diagnostics.push(d);
    }

    /// Withdraw the warnings at `key` whose message contains `words` (one that a later
    /// finding contradicts).
    pub fn retract_warnings(&mut self, key: &str, words: &str) {
        let mut i = 0;
        while i < self.warnings.len() {
            if self.warning_keys[i] == key && self.warnings[i].contains(words) {
                self.warnings.remove(i);
                self.warning_keys.remove(i);
                self.warning_diagnostics.remove(i);
            } else {
                i += 1;
            }
        }
    }

    /// The warnings worth showing beside the errors: those of a section or element without an
    /// error of its own (a port whose `quota_per_dya` is unknown would also be warned to have
    /// no quota), and none about ports or origins when a route has an error (a route to an
    /// unknown port leaves a port "with no route to it").
    pub fn warnings_beside_errors(&self) -> Vec<String> {
        self.warning_diagnostics_beside_errors()
            .iter()
            .map(Diagnostic::location_and_message)
            .collect()
    }

    /// [`Diags::warnings_beside_errors`], each as a diagnostic.
    pub fn warning_diagnostics_beside_errors(&self) -> Vec<Diagnostic> {
        let element = |key: &str| -> String {
            let segs = path_segments(key);
            match segs.as_slice() {
                [first, second, ..] if second.starts_with('[') => format!("{first}{second}"),
                [first, ..] => first.to_string(),
                [] => String::new(),
            }
        };
        let erring: HashSet<String> = self
            .errors
            .iter()
            .filter_map(|e| e.key.as_deref())
            .map(element)
            .collect();
        let route_erring = erring.iter().any(|e| e.starts_with("route"));
        self.warning_diagnostics
            .iter()
            .zip(&self.warning_keys)
            .filter(|(_, key)| {
                let el = element(key);
                !erring.contains(&el)
                    && !(route_erring && (el.starts_with("port") || el.starts_with("origin")))
            })
            .map(|(w, _)| w.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        assert_eq!(line_col("\u{feff}nam = 1", 3), (1, 1));
        assert_eq!(line_col("\u{feff}nam = 1", 9), (1, 7));
        assert_eq!(line_col("nam = 1", 6), (1, 7));
    }

    use super::*;

    /// More than [`SHOWN_BEFORE_FOLD`] errors print the first ones and a line with how many
    /// more there are; `{:#}` prints every one.
    #[test]
    fn a_flood_of_errors_is_folded_unless_alternate() {
        let diags: Vec<Diagnostic> = (1..=25)
            .map(|i| Diagnostic {
                file: "my file.toml".into(),
                line: Some(i),
                column: Some(1),
                key: Some(format!("route[{i}].travel")),
                message: "wrong".into(),
                hint: Some("fix it".into()),
            })
            .collect();
        let e = ScenarioError::invalid("my file.toml", diags.clone());
        let folded = e.to_string();
        assert_eq!(
            folded.matches("error: ").count(),
            SHOWN_BEFORE_FOLD,
            "{folded}"
        );
        assert!(
            folded.ends_with(
                "\n… and 5 more errors (25 in all); `clearance validate 'my file.toml' --all` \
                 lists every one"
            ),
            "{folded}"
        );
        let all = format!("{e:#}");
        assert_eq!(all.matches("error: ").count(), 25, "{all}");
        assert_eq!(all.matches("  hint: fix it").count(), 25, "{all}");
        assert!(!all.contains("more errors"), "{all}");
        // as many as are shown: all of them, as before
        let few = ScenarioError::invalid("my file.toml", diags[..SHOWN_BEFORE_FOLD].to_vec());
        assert_eq!(few.to_string(), format!("{few:#}"));
        assert_eq!(shell_word("a/b-c_1.toml"), "a/b-c_1.toml");
        assert_eq!(shell_word("it's.toml"), "'it'\\''s.toml'");
    }

    #[test]
    fn segments_respect_brackets() {
        assert_eq!(
            path_segments("port[St. Mary].ramp.over"),
            vec!["port", "[St. Mary]", "ramp", "over"]
        );
        assert_eq!(
            parent_path("route[2].departures[3]").as_deref(),
            Some("route[2].departures")
        );
        assert_eq!(parent_path("port[St. Mary]").as_deref(), Some("port"));
        assert_eq!(parent_path("scenario"), None);
    }

    #[test]
    fn labels_use_unique_names() {
        let l = element_labels(
            "port",
            &[
                Some("A".into()),
                None,
                Some("B".into()),
                Some("B".into()),
                Some("".into()),
            ],
        );
        assert_eq!(
            l,
            vec!["port[A]", "port[2]", "port[3]", "port[4]", "port[5]"]
        );
    }

    #[test]
    fn line_col_counts_characters() {
        let s = "ab\nçd = 1\n";
        assert_eq!(line_col(s, 0), (1, 1));
        assert_eq!(line_col(s, 3), (2, 1));
        assert_eq!(line_col(s, 5), (2, 2)); // after the 2-byte 'ç'
        assert_eq!(line_col(s, 999), (3, 1));
    }

    /// The index gives the same (line, column) as scanning from the start, at every byte offset
    /// (inside characters and past the end too) of texts with a byte-order mark, multi-byte
    /// characters, empty lines, CRLF and lines longer than the index's 64-byte chunks.
    #[test]
    fn line_index_agrees_with_the_scan_everywhere() {
        let long = format!(
            "v = [{}]",
            (0..40)
                .map(|i| format!("\"é{i}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for src in [
            String::new(),
            "\u{feff}nam = 1".to_string(),
            "\u{feff}\n\u{feff}a = 1\n".to_string(),
            format!("ab\nçd = 1\n\n\r\n{long}\nx = \"日本\"\n{long}"),
        ] {
            let index = LineIndex::new(&src);
            for off in 0..src.len() + 3 {
                assert_eq!(index.line_col(off), line_col(&src, off), "{src:?} at {off}");
            }
        }
    }

    #[test]
    fn display_one_line_per_diagnostic() {
        let e = ScenarioError::invalid(
            "x.toml",
            vec![
                Diagnostic {
                    file: "x.toml".into(),
                    line: Some(12),
                    column: Some(1),
                    key: Some("port[San Ysidro].quota_per_dya".into()),
                    message: "unknown key \"quota_per_dya\"".into(),
                    hint: Some("did you mean \"quota_per_day\"?".into()),
                },
                Diagnostic {
                    file: "x.toml".into(),
                    line: None,
                    column: None,
                    key: None,
                    message: "missing [scenario] table".into(),
                    hint: None,
                },
            ],
        );
        // An unknown key first (often the cause of the rest), then the whole-file problem.
        assert_eq!(
            e.to_string(),
            "error: x.toml:12:1: port[San Ysidro].quota_per_dya: unknown key \"quota_per_dya\"\n  \
             hint: did you mean \"quota_per_day\"?\n\
             error: x.toml: missing [scenario] table"
        );
    }
}
