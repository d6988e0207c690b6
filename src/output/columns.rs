//! Text tables whose columns widen to their widest cell: every table the command line prints
//! (run, compare, explain, sweep, sensitivity, the observed fit) lays out its rows here, so that
//! a wide value (a seven-digit count, a long interval) pushes the columns after it right instead
//! of running into them, and no line ends in spaces.

use std::io::{self, Write};

/// How a column's cells sit in its width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Padded on the right (names, labels).
    Left,
    /// Padded on the left (numbers).
    Right,
}

/// One column: its alignment, the width it has at least (the table's usual look) and the spaces
/// before it (at least two, so that neighbouring cells never touch or read as one).
#[derive(Clone, Copy, Debug)]
pub struct Col {
    align: Align,
    min: usize,
    gap: usize,
}

impl Col {
    /// A left-aligned column at least `min` characters wide.
    pub fn left(min: usize) -> Col {
        Col {
            align: Align::Left,
            min,
            gap: 2,
        }
    }

    /// A right-aligned column at least `min` characters wide.
    pub fn right(min: usize) -> Col {
        Col {
            align: Align::Right,
            min,
            gap: 2,
        }
    }

    /// The same column with `gap` spaces before it instead of two (the first column's gap is
    /// the table's indent instead). Fewer than two only for cells that open with their own
    /// separator (", 6,568 people waiting"), which keeps them apart from the cell before.
    pub fn gap(self, gap: usize) -> Col {
        Col { gap, ..self }
    }
}

enum Line {
    /// Cells, one per column from the first; a row may have fewer cells than columns.
    Cells(Vec<String>),
    /// A line printed as it is (a heading, a note), outside the columns.
    Text(String),
}

/// A table laid out when written: each column as wide as its widest cell (or its `min`).
pub struct Table {
    indent: String,
    cols: Vec<Col>,
    lines: Vec<Line>,
}

/// Characters a cell takes on a terminal (every character the tables print is one wide: "–",
/// "≥", "−", "…").
fn width(s: &str) -> usize {
    s.chars().count()
}

impl Table {
    /// A table whose rows start with `indent` and have the columns `cols`.
    pub fn new(indent: &str, cols: &[Col]) -> Table {
        Table {
            indent: indent.to_string(),
            cols: cols.to_vec(),
            lines: Vec::new(),
        }
    }

    /// Adds a row of cells (at most one per column).
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.lines
            .push(Line::Cells(cells.into_iter().map(Into::into).collect()));
    }

    /// Adds a line outside the columns (it does not widen them).
    pub fn text(&mut self, line: impl Into<String>) {
        self.lines.push(Line::Text(line.into()));
    }

    /// The width of each column: its widest cell, or its `min`.
    fn widths(&self) -> Vec<usize> {
        let mut widths: Vec<usize> = self.cols.iter().map(|c| c.min).collect();
        for line in &self.lines {
            if let Line::Cells(cells) = line {
                for (w, cell) in widths.iter_mut().zip(cells) {
                    *w = (*w).max(width(cell));
                }
            }
        }
        widths
    }

    /// The table's lines, without trailing spaces.
    pub fn lines(&self) -> Vec<String> {
        let widths = self.widths();
        self.lines
            .iter()
            .map(|line| match line {
                Line::Text(t) => t.trim_end().to_string(),
                Line::Cells(cells) => {
                    let mut out = self.indent.clone();
                    for (i, ((cell, col), w)) in
                        cells.iter().zip(&self.cols).zip(&widths).enumerate()
                    {
                        if i > 0 {
                            out.push_str(&" ".repeat(col.gap));
                        }
                        let pad = " ".repeat(w - width(cell));
                        match col.align {
                            Align::Left => {
                                out.push_str(cell);
                                out.push_str(&pad);
                            }
                            Align::Right => {
                                out.push_str(&pad);
                                out.push_str(cell);
                            }
                        }
                    }
                    out.trim_end().to_string()
                }
            })
            .collect()
    }

    /// Writes the table's lines.
    pub fn write(&self, w: &mut impl Write) -> io::Result<()> {
        for line in self.lines() {
            writeln!(w, "{line}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{Col, Table};

    #[test]
    fn columns_widen_to_their_widest_cell_and_keep_two_spaces_apart() {
        let mut t = Table::new("  ", &[Col::left(6), Col::right(5), Col::right(5)]);
        t.row(["name", "n", "mean"]);
        t.row(["a", "1,234,567", "3.5"]);
        t.row(["a very long name", "2", "12,345,678.9"]);
        t.text("a note   ");
        let lines = t.lines();
        assert_eq!(
            lines,
            [
                "  name                      n          mean",
                "  a                 1,234,567           3.5",
                "  a very long name          2  12,345,678.9",
                "a note",
            ]
        );
    }

    #[test]
    fn narrow_cells_keep_the_usual_widths_and_no_line_ends_in_spaces() {
        let mut t = Table::new("  ", &[Col::left(4), Col::right(3), Col::left(8).gap(3)]);
        t.row(["ab", "1", ""]);
        t.row(["ab", "1"]);
        t.row(["abcd", "123", "x"]);
        assert_eq!(t.lines(), ["  ab      1", "  ab      1", "  abcd  123   x"]);
    }
}
