//! Printing problems: for people (text on stderr), for tools (a JSON report
//! on stdout), as GitHub workflow annotations (on stdout) so that problems
//! show on a pull request's diff, or as a GitLab Code Quality report (on
//! stdout) that GitLab shows on a merge request.

use std::path::Path;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, printable};

/// How `commons check` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path:line:col: message` lines and hints, on stderr.
    Human,
    /// One JSON document on stdout (see [`Report`]).
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`).
    Github,
    /// A GitLab Code Quality report: a JSON array of issues.
    Gitlab,
}

/// The JSON report. Its shape is versioned: fields are only ever added.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// The report format's version.
    pub version: u32,
    /// How many errors (they fail the check).
    pub errors: usize,
    /// How many warnings (they fail the check only with `--strict`).
    pub warnings: usize,
    /// Every problem, errors first, each sorted by file and line.
    pub problems: Vec<Problem<'a>>,
}

/// One problem in the JSON report.
#[derive(Debug, Serialize)]
pub struct Problem<'a> {
    /// `error` or `warning`.
    pub severity: &'static str,
    /// The file, as given on the command line.
    pub path: String,
    /// Line, from 1, when known.
    pub line: Option<usize>,
    /// Column, from 1, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: &'a str,
    /// How to fix it, when known.
    pub hint: Option<&'a str>,
}

/// Prints errors and warnings in the chosen format.
pub fn print(errors: &[Diagnostic], warnings: &[Diagnostic], format: Format) {
    let tagged = errors.iter().map(|d| ("error", d)).chain(warnings.iter().map(|d| ("warning", d)));
    match format {
        Format::Human => {
            for (severity, problem) in tagged {
                if severity == "warning" {
                    eprintln!("warning: {problem}");
                } else {
                    eprintln!("{problem}");
                }
            }
        }
        Format::Json => {
            let problems = tagged
                .map(|(severity, d)| Problem {
                    severity,
                    path: d.path.display().to_string(),
                    line: d.line,
                    column: d.column,
                    message: &d.message,
                    hint: d.hint.as_deref(),
                })
                .collect();
            let report =
                Report { version: 1, errors: errors.len(), warnings: warnings.len(), problems };
            println!("{}", serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into()));
        }
        Format::Github => {
            for (severity, d) in tagged {
                println!("{}", annotation(severity, d));
            }
        }
        Format::Gitlab => {
            let issues: Vec<serde_json::Value> = tagged.map(|(s, d)| code_quality(s, d)).collect();
            println!("{}", serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into()));
        }
    }
}

/// One issue of a GitLab Code Quality report. Errors are `major` and
/// warnings `minor`; the fingerprint, which GitLab uses to tell new issues
/// from old ones, is a name-based UUID of the file, position and message.
pub fn code_quality(severity: &str, d: &Diagnostic) -> serde_json::Value {
    let mut description = d.message.clone();
    if let Some(hint) = &d.hint {
        description.push_str(" (hint: ");
        description.push_str(hint);
        description.push(')');
    }
    let description = printable(&description);
    let path = d.path.display().to_string();
    let key = format!("{path}\0{:?}\0{:?}\0{description}", d.line, d.column);
    serde_json::json!({
        "type": "issue",
        "check_name": format!("commons-{severity}"),
        "description": description,
        "categories": ["Bug Risk"],
        "severity": if severity == "error" { "major" } else { "minor" },
        "fingerprint": uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, key.as_bytes()).to_string(),
        "location": { "path": path, "lines": { "begin": d.line.unwrap_or(1) } },
    })
}

/// One GitHub workflow command. Values are escaped as GitHub's runner
/// expects, so no message can end the command or forge another.
pub fn annotation(severity: &str, d: &Diagnostic) -> String {
    let mut properties = format!("file={}", property(&d.path));
    if let Some(line) = d.line {
        properties.push_str(&format!(",line={line}"));
    }
    if let Some(column) = d.column {
        properties.push_str(&format!(",col={column}"));
    }
    let mut message = d.message.clone();
    if let Some(hint) = &d.hint {
        message.push_str("\nhint: ");
        message.push_str(hint);
    }
    format!("::{severity} {properties},title=commons::{}", data(&printable_lines(&message)))
}

/// Text with control characters escaped, keeping the newlines GitHub shows.
fn printable_lines(text: &str) -> String {
    text.split('\n').map(printable).collect::<Vec<_>>().join("\n")
}

fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn property(path: &Path) -> String {
    data(&printable(&path.display().to_string())).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_escape_what_would_end_or_forge_a_command() {
        let d = Diagnostic::at(
            Path::new("entries/tools/a,b:c.md"),
            3,
            7,
            "bad `x`\n::error::forged 100%",
        )
        .hint("fix it");
        assert_eq!(
            annotation("error", &d),
            "::error file=entries/tools/a%2Cb%3Ac.md,line=3,col=7,title=commons::bad `x`%0A::error::forged 100%25%0Ahint: fix it"
        );
    }
}
