//! Playbook notes: `entries/playbooks/<class-or-type>.md`, prose on the
//! procedure for one RSIT incident class or type (the file name is its
//! slug), shown on that class's or type's page. The body names catalogue
//! entries with links of the form `[MISP](entry:misp)`; each must name an
//! entry that exists.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use pulldown_cmark::{Event, Parser, Tag};
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

/// Validates one playbook note. `incidents` maps each RSIT class and type
/// slug to its name (`None` when the taxonomy could not be read); `entries`
/// holds every entry's slug.
pub fn validate(
    file: Loaded<RawPlaybook>,
    incidents: Option<&BTreeMap<String, String>>,
    entries: &BTreeSet<String>,
) -> Result<Playbook, Vec<Diagnostic>> {
    let mut check = FieldChecker::new(&file.path, 2);
    let raw = &file.raw;
    let slug =
        file_slug(&file.path, &file.stem).map_err(|problem| check.problems.push(problem)).ok();
    if let (Some(slug), Some(incidents)) = (&slug, incidents)
        && !incidents.contains_key(slug)
    {
        let known: BTreeSet<String> = incidents.keys().cloned().collect();
        let hint = match closest(slug, &known) {
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
    check.problems.extend(entry_links(&file.path, &file.body, entries));
    match (slug, summary, last_reviewed) {
        (Some(slug), Some(summary), Some(last_reviewed)) if check.problems.is_empty() => {
            Ok(Playbook { path: file.path, slug, summary, last_reviewed, sources, body: file.body })
        }
        _ => Err(check.problems),
    }
}

/// The entries a body links with `entry:` links, each with the offset in
/// the text where its link's target is written (else where the link
/// starts), in the order written.
fn linked(text: &str) -> Vec<(String, usize)> {
    let mut links = Vec::new();
    for (event, range) in Parser::new(text).into_offset_iter() {
        let Event::Start(Tag::Link { dest_url, .. }) = event else { continue };
        let Some(slug) = dest_url.strip_prefix(ENTRY_LINK) else { continue };
        let at = range.start + text[range.clone()].find(&*dest_url).unwrap_or(0);
        links.push((slug.to_string(), at));
    }
    links
}

/// The slugs of the entries a note links, each once, in the order first
/// written.
pub fn linked_entries(body: &Body) -> Vec<String> {
    let mut slugs: Vec<String> = Vec::new();
    for (slug, _) in linked(&body.text) {
        if !slugs.contains(&slug) {
            slugs.push(slug);
        }
    }
    slugs
}

/// A problem for each `entry:` link in `body` that names no entry, at the
/// line and column of the link.
fn entry_links(path: &std::path::Path, body: &Body, entries: &BTreeSet<String>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (slug, at) in linked(&body.text) {
        let slug = slug.as_str();
        if entries.contains(slug) {
            continue;
        }
        let before = &body.text[..at];
        let line = body.line + before.matches('\n').count();
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        let hint = match closest(slug, entries) {
            Some(close) => {
                format!("did you mean `{ENTRY_LINK}{close}`? entries are named by their file name")
            }
            None => "name an entry by its file name in `entries/tools/` or `entries/data/`".into(),
        };
        problems.push(
            Diagnostic::at(path, line, column, format!("link to unknown entry `{slug}`"))
                .hint(hint),
        );
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
        let problems = entry_links(std::path::Path::new("p.md"), &body, &entries);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let text = problems[0].to_string();
        assert!(text.starts_with("p.md:8:8: link to unknown entry `zek`"), "{text}");
        assert!(text.contains("did you mean `entry:zeek`?"), "{text}");
    }
}
