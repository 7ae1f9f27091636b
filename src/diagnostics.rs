//! Problems found in the catalogue, reported together at the end of a run.
//!
//! Every stage pushes [`Diagnostic`]s into one [`Diagnostics`] list instead of
//! stopping at the first problem, so a contributor sees everything that is
//! wrong in one run. The text form is `path:line:col: what is wrong`, with an
//! optional hint on its own line.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, as the user named it (relative to the working directory).
    pub path: PathBuf,
    /// Line in the file, counted from 1, when the problem has one.
    pub line: Option<usize>,
    /// Column in the line, counted from 1 in characters.
    pub column: Option<usize>,
    /// What is wrong: lower case, no final period, values in backticks.
    pub message: String,
    /// How to fix it, when a fix is likely.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem with the whole file rather than one place in it.
    pub fn file(path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A problem at a line and column of a file.
    pub fn at(path: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint, printed on its own line under the message.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", printable(&self.path.display().to_string()))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", printable(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {}", printable(hint))?;
        }
        Ok(())
    }
}

/// Text from files (names, values) made safe to print on a terminal or in a
/// CI log: control characters (escape sequences, newlines that could forge
/// a second message) and invisible bidirectional or zero-width characters
/// are shown as `\u{..}` escapes.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || is_invisible(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that change how text displays without showing themselves:
/// zero-width characters, bidirectional controls, the byte-order mark.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
        | '\u{ffa0}' | '\u{fff0}'..='\u{fffb}' | '\u{e0000}'..='\u{e007f}')
}

/// Every problem found so far, in a stable order.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records every problem of another list.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Whether nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many problems there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// How many different files have a problem.
    pub fn file_count(&self) -> usize {
        let mut paths: Vec<&Path> = self.items.iter().map(|d| d.path.as_path()).collect();
        paths.sort();
        paths.dedup();
        paths.len()
    }

    /// The problems sorted by file, line and column, so output never depends
    /// on the order in which threads finished.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort();
        self.items.dedup();
        self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_puts_location_first_and_hint_on_its_own_line() {
        let d = Diagnostic::at(Path::new("entries/tools/x.md"), 3, 7, "unknown category `foo`")
            .hint("use one of the slugs in entries/taxonomy/categories.yaml");
        assert_eq!(
            d.to_string(),
            "entries/tools/x.md:3:7: unknown category `foo`\n  \
             hint: use one of the slugs in entries/taxonomy/categories.yaml"
        );
    }

    #[test]
    fn control_and_invisible_characters_are_escaped_when_printed() {
        let d = Diagnostic::file(
            Path::new("a\u{1b}[2J.md"),
            "unknown kind `x\nb.md:1:1: forged`\u{202e}",
        );
        assert_eq!(
            d.to_string(),
            "a\\u{1b}[2J.md: unknown kind `x\\u{a}b.md:1:1: forged`\\u{202e}"
        );
    }

    #[test]
    fn display_without_line_names_only_the_file() {
        let d = Diagnostic::file(Path::new("a.md"), "empty file");
        assert_eq!(d.to_string(), "a.md: empty file");
    }

    #[test]
    fn sorted_output_orders_by_path_then_line() {
        let mut all = Diagnostics::default();
        all.push(Diagnostic::at(Path::new("b.md"), 1, 1, "x"));
        all.push(Diagnostic::at(Path::new("a.md"), 9, 1, "y"));
        all.push(Diagnostic::at(Path::new("a.md"), 2, 1, "z"));
        let lines: Vec<String> = all.into_sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(lines, ["a.md:2:1: z", "a.md:9:1: y", "b.md:1:1: x"]);
    }
}
