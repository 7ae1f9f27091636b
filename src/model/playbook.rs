//! Playbook notes: `entries/playbooks/<class-or-type>.md`, prose on the
//! procedure for one RSIT incident class or type (the file name is its
//! slug), shown on that class's or type's page. The body names catalogue
//! entries with links of the form `[MISP](entry:misp)`; each must name an
//! entry that exists.

use std::collections::BTreeSet;

use jiff::civil::Date;
use pulldown_cmark::{Event, LinkType, Parser, Tag};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;
use url::Url;

use super::entry::closest;
use super::shapes::{Day, WebUrl};
use super::{FieldChecker, file_slug};
use crate::diagnostics::Diagnostic;
use crate::load::{Body, Loaded};

/// How a playbook's body links to an entry: `entry:` and the entry's slug.
pub const ENTRY_LINK: &str = "entry:";

/// A validated playbook note.
#[derive(Debug, Clone)]
pub struct Playbook {
    /// The file it was read from.
    pub path: std::path::PathBuf,
    /// The RSIT class or type it is about: the file name without `.md`.
    pub slug: String,
    /// `summary`: one line on what the note covers, at most 160
    /// characters. Required.
    pub summary: String,
    /// `last_reviewed`: the date the note was last checked, `YYYY-MM-DD`.
    /// Required.
    pub last_reviewed: Date,
    /// `sources`: public references the procedure draws on, http or https
    /// addresses. Optional.
    pub sources: Vec<Url>,
    /// The Markdown body: the procedure's steps in prose.
    pub body: Body,
    /// The slugs of the entries the body links, each once, in the order
    /// first written.
    pub entries: Vec<String>,
}

/// The front matter of a playbook note as written. Unknown keys are errors.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "CSIRT Commons playbook note",
    description = "The front matter of a playbook note: a Markdown file in entries/playbooks/ named after an RSIT incident class or type, whose body links entries as [Name](entry:slug)."
)]
pub struct RawPlaybook {
    /// One line on what the note covers, at most 160 characters.
    #[schemars(required, with = "String", length(min = 1, max = 160))]
    pub summary: Option<Spanned<String>>,
    /// The date the note was last checked, `YYYY-MM-DD`.
    #[schemars(required, with = "Day")]
    pub last_reviewed: Option<Spanned<String>>,
    /// Public references the procedure draws on, http or https addresses.
    #[serde(default)]
    #[schemars(with = "Vec<WebUrl>")]
    pub sources: Vec<Spanned<String>>,
}

/// Validates one playbook note. `incidents` holds every RSIT class and type
/// slug (`None` when the taxonomy could not be read); `entries` every
/// entry's slug.
pub fn validate(
    file: Loaded<RawPlaybook>,
    incidents: Option<&BTreeSet<String>>,
    entries: &BTreeSet<String>,
) -> Result<Playbook, Vec<Diagnostic>> {
    let mut check = FieldChecker::new(&file.path, 2);
    let raw = &file.raw;
    let slug =
        file_slug(&file.path, &file.stem).map_err(|problem| check.problems.push(problem)).ok();
    if let (Some(slug), Some(incidents)) = (&slug, incidents)
        && !incidents.contains(slug)
    {
        let hint = match closest(slug, incidents) {
            Some(close) => format!("did you mean `{close}.md`? "),
            None => String::new(),
        };
        check.problems.push(
            Diagnostic::file(&file.path, format!("`{slug}` is not an RSIT incident class or type"))
                .hint(format!(
                    "{hint}name the file after a class or type slug from \
                 `entries/taxonomy/incident-classes.yaml`"
                )),
        );
    }
    let summary =
        check.required(&raw.summary, "summary").and_then(|v| check.line_of_text(v, "summary", 160));
    let last_reviewed = check
        .required(&raw.last_reviewed, "last_reviewed")
        .and_then(|v| check.date(v, "last_reviewed"));
    let sources: Vec<Url> =
        raw.sources.iter().filter_map(|v| check.web_url(v, "sources")).collect();
    if file.body.text.trim().is_empty() {
        check.problems.push(
            Diagnostic::at(&file.path, file.body.line, 1, "the note has no text")
                .hint("write the procedure's steps below the closing `---`, naming entries as `[Name](entry:slug)`"),
        );
    }
    check.problems.extend(link_problems(&file.path, &file.body, entries));
    match (slug, summary, last_reviewed) {
        (Some(slug), Some(summary), Some(last_reviewed)) if check.problems.is_empty() => {
            let entries = linked_entries(&file.body);
            Ok(Playbook {
                path: file.path,
                slug,
                summary,
                last_reviewed,
                sources,
                body: file.body,
                entries,
            })
        }
        _ => Err(check.problems),
    }
}

/// Every link a body writes (images too: the site shows them as links),
/// each with its kind and the offset in the text where its target is
/// written (else where the link starts), in the order written.
fn links(text: &str) -> Vec<(String, LinkType, usize)> {
    let mut links = Vec::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        let (Event::Start(Tag::Link { dest_url, link_type, .. })
        | Event::Start(Tag::Image { dest_url, link_type, .. })) = event
        else {
            continue;
        };
        let at = range.start + text[range.clone()].find(&*dest_url).unwrap_or(0);
        links.push((dest_url.to_string(), link_type, at));
    }
    links
}

/// The slugs of the entries a note links, each once, in the order first
/// written.
fn linked_entries(body: &Body) -> Vec<String> {
    let mut slugs: Vec<String> = Vec::new();
    for (target, _, _) in links(&body.text) {
        if let Some(slug) = target.strip_prefix(ENTRY_LINK)
            && !slugs.iter().any(|s| s == slug)
        {
            slugs.push(slug.to_string());
        }
    }
    slugs
}

/// A problem for each link in `body` that would not lead anywhere: an
/// `entry:` link naming no entry, and any link but to an entry, a web
/// address or a mail address (a note is shown on pages at different depths,
/// so a relative link could not work on all of them), at the line and
/// column of the link.
fn link_problems(
    path: &std::path::Path,
    body: &Body,
    entries: &BTreeSet<String>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (target, link_type, at) in links(&body.text) {
        let before = &body.text[..at];
        let line = body.line + before.matches('\n').count();
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        let problem =
            |message: String, hint: String| Diagnostic::at(path, line, column, message).hint(hint);
        let scheme = target.split_once(':').map(|(scheme, _)| scheme.to_ascii_lowercase());
        if let Some(slug) = target.strip_prefix(ENTRY_LINK) {
            if entries.contains(slug) {
                continue;
            }
            let hint = match (slug.split_once('#'), closest(slug, entries)) {
                (Some((whole, _)), _) => format!(
                    "link the whole entry, `{ENTRY_LINK}{whole}`: links to a part of an entry's page are not supported"
                ),
                _ if slug.is_empty() => format!(
                    "write the entry's file name after `{ENTRY_LINK}`, as in `[MISP]({ENTRY_LINK}misp)`"
                ),
                (None, Some(close)) => format!(
                    "did you mean `{ENTRY_LINK}{close}`? entries are named by their file name"
                ),
                (None, None) => {
                    "name an entry by its file name in `entries/tools/` or `entries/data/`".into()
                }
            };
            problems.push(problem(format!("link to unknown entry `{slug}`"), hint));
        } else if scheme.as_deref() == Some("entry") {
            let fixed = format!("{ENTRY_LINK}{}", &target[ENTRY_LINK.len()..]);
            problems.push(problem(
                format!("link to `{target}`: `{ENTRY_LINK}` must be written in lower case"),
                format!("write `{fixed}`"),
            ));
        } else if link_type == LinkType::Email
            || matches!(scheme.as_deref(), Some("http" | "https" | "mailto"))
        {
            continue;
        } else {
            problems.push(problem(
                format!("link to `{target}`: a note links only to entries and to web or mail addresses"),
                format!(
                    "link an entry as `[Name]({ENTRY_LINK}slug)`, and anything else by its full `https://` address; \
                     the note is shown on pages at different depths, so other links would break"
                ),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_entry_links_are_reported_where_they_are_written() {
        let body = Body {
            text: "Intro.\n\nFirst [MISP](entry:misp), then\n[Zeek](entry:zek) and [web](https://x.org/).\n"
                .into(),
            line: 5,
        };
        let entries: BTreeSet<String> = ["misp", "zeek"].map(String::from).into();
        let problems = link_problems(std::path::Path::new("p.md"), &body, &entries);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let text = problems[0].to_string();
        assert!(text.starts_with("p.md:8:8: link to unknown entry `zek`"), "{text}");
        assert!(text.contains("did you mean `entry:zeek`?"), "{text}");
    }

    #[test]
    fn links_that_would_break_on_a_toolkit_page_are_refused_and_images_are_checked_too() {
        let body = Body {
            text: concat!(
                "![logo](entry:nope) [a](../entry/misp.html) [b](#steps)\n",
                "[c](ENTRY:misp) [d](entry:misp#evaluations) [e](entry:)\n",
                "[ok](entry:misp) ![ok](entry:misp) <https://x.org/> <team@x.org> [m](mailto:a@x.org)\n",
            )
            .into(),
            line: 1,
        };
        let entries: BTreeSet<String> = ["misp"].map(String::from).into();
        let problems: Vec<String> = link_problems(std::path::Path::new("p.md"), &body, &entries)
            .iter()
            .map(ToString::to_string)
            .collect();
        let starts: Vec<&str> =
            problems.iter().map(|p| p.split(": ").next().unwrap_or_default()).collect();
        assert_eq!(
            starts,
            ["p.md:1:9", "p.md:1:25", "p.md:1:49", "p.md:2:5", "p.md:2:21", "p.md:2:49"]
        );
        assert!(problems[0].contains("unknown entry `nope`"), "{problems:#?}");
        assert!(problems[1].contains("a note links only to entries and to web or mail addresses"));
        assert!(problems[3].contains("write `entry:misp`"), "{problems:#?}");
        assert!(problems[4].contains("link the whole entry, `entry:misp`"), "{problems:#?}");
        assert!(
            problems[5].contains("write the entry's file name after `entry:`"),
            "{problems:#?}"
        );
        assert_eq!(linked_entries(&body), ["nope", "misp#evaluations", "", "misp"]);
    }
}
