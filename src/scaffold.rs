//! `commons new`: a new entry, organisation or evaluation, written from a
//! template in which every field is explained.
//!
//! The comments come from the same doc comments as the JSON Schemas, so the
//! template, the schema and `check` describe a field the same way. Values
//! come from flags, or from questions when standard input is a terminal;
//! what neither gives is filled with a value that passes `check` but is
//! marked `# placeholder`, and `check` warns about every such mark until the
//! contributor replaces it. The written file is checked with the rest of
//! the catalogue before the command succeeds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use schemars::JsonSchema;
use serde_json::Value;

use crate::diagnostics::is_invisible;
use crate::model::Vocabulary;
use crate::model::entry::{Access, Cost, Deployment, Kind, RawEntry, Status, closest};
use crate::model::evaluation::{NOT_ASSESSED, RawEvaluation};
use crate::model::org::{OrgKind, RawOrg};
use crate::model::rubric::{CriterionKind, Rubric};
use crate::validate::Catalogue;

/// The comment that marks a value `commons new` could not know.
pub const PLACEHOLDER: &str = "# placeholder";

/// What every piece of text a template leaves to write starts with; `check`
/// warns wherever it is left, with or without a placeholder mark.
pub const TO_WRITE: &str = "TO WRITE:";

/// A summary not yet written.
const SUMMARY_FILLER: &str = "TO WRITE: one line on what it is good for.";
/// An organisation's summary not yet written.
const ORG_SUMMARY_FILLER: &str = "TO WRITE: one line on who they are.";
/// A verdict not yet written.
const VERDICT_FILLER: &str = "TO WRITE: the conclusion in one or two sentences.";
/// The `why` of a criterion not yet looked at.
const WHY_FILLER: &str = "TO WRITE: why it was not assessed, or give a score with evidence.";
/// An entry's body, to be replaced.
const ENTRY_BODY: &str = "TO WRITE: what it is and what it does, in two or three sentences.\n\n\
    ## In incident response\n\nTO WRITE: when a CSIRT uses it, in which phases, for which \
    incidents, and with which other tools.\n\n## Before you adopt it\n\nTO WRITE: what it takes \
    to run or to get access, and its limits.\n";
/// An organisation's body, to be replaced or deleted.
const ORG_BODY: &str =
    "TO WRITE: a paragraph on what the organisation does for incident response, or nothing.\n";
/// An evaluation's body, to be replaced.
const EVALUATION_BODY: &str = "## What we looked at\n\nTO WRITE: what was read, installed or \
    measured, and when.\n\n## Findings\n\nTO WRITE: the observations behind the scores above.\n\n\
    ## Not assessed\n\nTO WRITE: what this evaluation did not look at, and why.\n";

/// The maintainer and evaluator written when none is given: the project's
/// own organisation, which exists in every copy of the catalogue.
const PLACEHOLDER_ORG: &str = "csirt-commons";

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    /// A tool, in `entries/tools/`.
    Tool,
    /// A data source, in `entries/data/`.
    Data,
    /// A free online service, in `entries/data/`.
    Service,
    /// An organisation, in `entries/orgs/`.
    Org,
    /// An evaluation of an entry, in `entries/evaluations/<entry>/`.
    Evaluation,
}

/// Values given as flags. Each is checked as `check` would check it.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Given {
    /// The file name without `.md` [default: made from NAME].
    #[arg(long)]
    pub slug: Option<String>,
    /// One line on what it is good for (or, for an organisation, who they are).
    #[arg(long)]
    pub summary: Option<String>,
    /// The http or https address readers should visit.
    #[arg(long)]
    pub homepage: Option<String>,
    /// The source code's address.
    #[arg(long)]
    pub repository: Option<String>,
    /// The slug of the maintaining organisation in `entries/orgs/`.
    #[arg(long)]
    pub maintainer: Option<String>,
    /// An SPDX licence expression, or `free-service`.
    #[arg(long)]
    pub licence: Option<String>,
    /// A category slug; repeat for more, the main one first.
    #[arg(long = "category")]
    pub categories: Vec<String>,
    /// How it is used: `self-hosted`, `online` or `download`; repeatable.
    #[arg(long)]
    pub deployment: Vec<String>,
    /// Who may use it, e.g. `open` or `registration`.
    #[arg(long)]
    pub access: Option<String>,
    /// What using it costs: `free`, or `freemium` for a free tier beside paid plans.
    #[arg(long)]
    pub cost: Option<String>,
    /// Whether it still works, e.g. `live` or `archived` [default: live].
    #[arg(long)]
    pub status: Option<String>,
    /// An RSIT incident-class slug, or `any`; repeatable.
    #[arg(long = "incident-class")]
    pub incident_classes: Vec<String>,
    /// A response-phase slug; repeatable.
    #[arg(long = "phase")]
    pub phases: Vec<String>,
    /// For an organisation: its kind, e.g. `national-csirt`.
    #[arg(long)]
    pub org_kind: Option<String>,
    /// For an organisation: its ISO 3166-1 country code.
    #[arg(long)]
    pub country: Option<String>,
    /// For an evaluation: your organisation's slug in `entries/orgs/`.
    #[arg(long)]
    pub evaluator: Option<String>,
    /// For an evaluation: the rubric version [default: the newest that applies].
    #[arg(long)]
    pub rubric: Option<String>,
    /// For an evaluation: the version of the tool or data evaluated.
    #[arg(long = "of-version")]
    pub version: Option<String>,
}

/// Where answers come from when a flag was not given.
pub trait Ask {
    /// Asks `question`; `None` when nothing can be asked or the answer is
    /// empty (the value then becomes a placeholder).
    fn ask(&mut self, question: &str) -> Option<String>;
    /// Says why an answer was refused, before the question is asked again.
    fn tell(&mut self, message: &str);
}

/// Asks nothing: for standard input that is not a terminal.
pub struct NoQuestions;

impl Ask for NoQuestions {
    fn ask(&mut self, _: &str) -> Option<String> {
        None
    }

    fn tell(&mut self, _: &str) {}
}

/// A file to write.
#[derive(Debug)]
pub struct Scaffold {
    /// Where, under the repository root.
    pub path: PathBuf,
    /// The whole file.
    pub text: String,
    /// The fields left as placeholders, in the file's order.
    pub placeholders: Vec<&'static str>,
}

/// The slug for a name: folded to ASCII, lower case, words joined by
/// hyphens, at most 64 characters.
pub fn slug_for(name: &str) -> String {
    let folded = crate::index::analysis::fold(name);
    let mut slug = String::new();
    // Folding can leave combining marks (the dot of `İ`); they belong to
    // the letter before them, not between words.
    for c in folded.chars().filter(|c| !matches!(c, '\u{300}'..='\u{36f}')) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.len() > 64 || slug.ends_with('-') {
        match slug.rfind('-').filter(|_| slug.len() > 64) {
            Some(cut) => slug.truncate(cut),
            None if slug.ends_with('-') => {
                slug.pop();
            }
            None => slug.truncate(64),
        }
    }
    slug
}

/// One line of front matter: a field, its value as YAML, and whether it is
/// a placeholder. A field without a value is written commented out.
struct Field {
    key: &'static str,
    value: Option<String>,
    placeholder: bool,
}

fn set(key: &'static str, value: impl Into<String>) -> Field {
    Field { key, value: Some(value.into()), placeholder: false }
}

fn either(key: &'static str, value: Option<String>, placeholder: impl Into<String>) -> Field {
    match value {
        Some(value) => set(key, value),
        None => Field { key, value: Some(placeholder.into()), placeholder: true },
    }
}

fn absent(key: &'static str, example: impl Into<String>) -> Field {
    Field { key, value: Some(example.into()), placeholder: false }.commented()
}

impl Field {
    fn commented(mut self) -> Self {
        self.value = self.value.map(|v| format!("\u{0}{v}"));
        self
    }
}

/// A YAML string that means exactly `text`: JSON's double-quoted form is
/// valid YAML.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// The explanation of each field, from the schema's descriptions.
struct Descriptions(Value);

impl Descriptions {
    fn of<T: JsonSchema>() -> Self {
        Descriptions(serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default())
    }

    /// Comment lines for `key`: its description, then its words, if it
    /// takes words from a list.
    fn comment(&self, key: &str) -> Vec<String> {
        let field = &self.0["properties"][key];
        let mut lines = wrap(field["description"].as_str().unwrap_or_default());
        let reference = field["$ref"].as_str().or(field["items"]["$ref"].as_str());
        let words = match reference.and_then(|r| r.strip_prefix("#/$defs/")) {
            Some(name) => &self.0["$defs"][name]["oneOf"],
            None => &field["oneOf"],
        };
        {
            for choice in words.as_array().into_iter().flatten() {
                if let (Some(word), Some(about)) =
                    (choice["const"].as_str(), choice["description"].as_str())
                {
                    lines.extend(wrap(&format!("  {word}: {about}")));
                }
            }
        }
        lines
    }
}

/// `text` as comment lines of at most 78 characters.
fn wrap(text: &str) -> Vec<String> {
    let indent = text.len() - text.trim_start().len();
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > 76 {
            lines.push(format!("# {line}"));
            line = " ".repeat(if indent > 0 { indent + 2 } else { 0 });
        } else if !line.is_empty() && !line.ends_with(' ') {
            line.push(' ');
        } else if line.is_empty() {
            line = " ".repeat(indent);
        }
        line.push_str(word);
    }
    if !line.trim().is_empty() {
        lines.push(format!("# {line}"));
    }
    lines
}

/// The front matter: a header, then each field under its explanation and
/// any `known` values listed for it.
fn front_matter(
    schema_path: &str,
    about: &Descriptions,
    fields: &[Field],
    known: &[(&str, &[String])],
) -> String {
    let mut text = format!(
        "---\n# yaml-language-server: $schema={schema_path}\n\
         # Written by `commons new`. Each field is explained above it. Values\n\
         # marked `{PLACEHOLDER}` could not be known: replace each one, then\n\
         # delete its mark. `commons check` lists the ones left.\n"
    );
    for field in fields {
        text.push('\n');
        for line in about.comment(field.key) {
            text.push_str(&line);
            text.push('\n');
        }
        for (_, values) in known.iter().filter(|(key, _)| *key == field.key) {
            for line in wrap(&format!("  Known: {}.", values.join(", "))) {
                text.push_str(&line);
                text.push('\n');
            }
        }
        match &field.value {
            Some(value) if value.starts_with('\u{0}') => {
                text.push_str(&format!("# {}: {}\n", field.key, &value[1..]));
            }
            Some(value) if field.placeholder => {
                text.push_str(&format!("{}: {value} {PLACEHOLDER}\n", field.key));
            }
            Some(value) => text.push_str(&format!("{}: {value}\n", field.key)),
            None => {}
        }
    }
    text.push_str("---\n");
    text
}

/// Everything a template may refer to, from the catalogue as it is.
struct Known {
    orgs: BTreeSet<String>,
    categories: Vec<String>,
    incident_classes: Vec<String>,
    /// Each RSIT type with its class, as `type (class)`.
    incident_types: Vec<String>,
    phases: Vec<String>,
}

impl Known {
    fn of(catalogue: &Catalogue) -> Self {
        Known {
            orgs: catalogue.orgs.iter().map(|o| o.slug.clone()).collect(),
            categories: catalogue.categories.iter().map(|c| c.slug.clone()).collect(),
            incident_classes: catalogue.incident_classes.iter().map(|c| c.slug.clone()).collect(),
            incident_types: catalogue
                .incident_classes
                .iter()
                .flat_map(|c| c.types.iter().map(|t| format!("{} ({})", t.slug, c.slug)))
                .collect(),
            phases: catalogue.phases.iter().map(|c| c.slug.clone()).collect(),
        }
    }
}

/// Gets a value from its flag, else from a question, else `None`. A flag
/// that fails `valid` is an error; a refused answer is asked again.
fn obtain(
    ask: &mut dyn Ask,
    flag: Option<String>,
    flag_name: &str,
    question: &str,
    valid: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Option<String>, String> {
    if let Some(value) = flag {
        return valid(&value).map(Some).map_err(|why| format!("--{flag_name}: {why}"));
    }
    for _ in 0..5 {
        let Some(answer) = ask.ask(question) else { return Ok(None) };
        match valid(answer.trim()) {
            Ok(value) => return Ok(Some(value)),
            Err(why) => ask.tell(&why),
        }
    }
    Ok(None)
}

fn one_line(max: usize) -> impl Fn(&str) -> Result<String, String> {
    move |text: &str| {
        let text = text.trim();
        if text.is_empty() {
            Err("it is empty".into())
        } else if text.contains(['\n', '\r']) {
            Err("it must fit on one line".into())
        } else if let Some(c) = text.chars().find(|&c| c.is_control() || is_invisible(c)) {
            Err(format!("it holds the invisible character U+{:04X}; retype it", c as u32))
        } else if text.chars().count() > max {
            Err(format!("it has {} characters; at most {max} fit", text.chars().count()))
        } else {
            Ok(quoted(text))
        }
    }
}

fn web_address(text: &str) -> Result<String, String> {
    match url::Url::parse(text.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Ok(url.to_string())
        }
        _ => Err(format!("`{text}` is not an http or https address")),
    }
}

fn org_in(known: &BTreeSet<String>) -> impl Fn(&str) -> Result<String, String> + '_ {
    move |slug: &str| {
        if known.contains(slug) {
            Ok(slug.to_string())
        } else if let Some(close) = closest(slug, known) {
            Err(format!(
                "there is no organisation `{slug}` in entries/orgs/; did you mean `{close}`?"
            ))
        } else {
            Err(format!(
                "there is no organisation `{slug}` in entries/orgs/; give its slug (the file \
                 name without .md), or add it first with `commons new org \"Its name\"`"
            ))
        }
    }
}

fn licence(text: &str) -> Result<String, String> {
    let text = text.trim();
    let mode = spdx::ParseMode { allow_deprecated: true, ..spdx::ParseMode::STRICT };
    if text == crate::model::entry::FREE_SERVICE || spdx::Expression::parse_mode(text, mode).is_ok()
    {
        Ok(quoted(text))
    } else {
        Err(format!("`{text}` is not an SPDX expression (such as `Apache-2.0`) or `free-service`"))
    }
}

/// A list of words from `known`, separated by commas or spaces.
fn words_in<'a>(
    known: &'a [String],
    what: &'a str,
) -> impl Fn(&str) -> Result<String, String> + 'a {
    move |text: &str| {
        let mut chosen: Vec<String> = Vec::new();
        for word in text.split([',', ' ']).filter(|s| !s.is_empty()) {
            if !known.iter().any(|k| k == word) {
                let set: BTreeSet<String> = known.iter().cloned().collect();
                return Err(match closest(word, &set) {
                    Some(close) => format!("unknown {what} `{word}`; did you mean `{close}`?"),
                    None => format!("unknown {what} `{word}`; use: {}", known.join(", ")),
                });
            }
            if !chosen.iter().any(|c| c == word) {
                chosen.push(word.to_string());
            }
        }
        if chosen.is_empty() {
            Err(format!("give at least one {what}"))
        } else if chosen.len() > 1 && chosen.iter().any(|c| c == "any") {
            Err("`any` stands alone".into())
        } else {
            Ok(list(&chosen))
        }
    }
}

/// One word of a vocabulary.
fn word_of<V: Vocabulary>(what: &'static str) -> impl Fn(&str) -> Result<String, String> {
    move |text: &str| match V::parse(text.trim()) {
        Some(word) => Ok(word.slug().to_string()),
        None => Err(format!("unknown {what} `{text}`; use one of {}", V::choices())),
    }
}

fn access_words() -> Vec<String> {
    Access::ALL.iter().map(|a| a.slug().to_string()).collect()
}

/// A list flag's values as one answer, or nothing when the flag was not given.
fn joined(values: Vec<String>) -> Option<String> {
    (!values.is_empty()).then(|| values.join(","))
}

/// Plans the file for `what` named `name`, asking `ask` for what the
/// flags in `given` leave out. Nothing is written.
pub fn plan(
    catalogue: &Catalogue,
    what: What,
    name: &str,
    given: Given,
    today: Date,
    ask: &mut dyn Ask,
) -> Result<Scaffold, String> {
    let known = Known::of(catalogue);
    match what {
        What::Tool | What::Data | What::Service => entry(&known, what, name, given, today, ask),
        What::Org => org(name, given, ask),
        What::Evaluation => evaluation(catalogue, &known, name, given, today, ask),
    }
}

fn slug(name: &str, given: &Option<String>) -> Result<String, String> {
    let slug = given.clone().unwrap_or_else(|| slug_for(name));
    if crate::model::is_slug(&slug) {
        Ok(slug)
    } else if given.is_some() {
        Err(format!("--slug `{slug}` is not a slug: use lower-case letters, digits and hyphens"))
    } else {
        Err(format!(
            "cannot make a file name from `{name}`; give one with --slug, e.g. --slug my-tool"
        ))
    }
}

fn entry(
    known: &Known,
    what: What,
    name: &str,
    given: Given,
    today: Date,
    ask: &mut dyn Ask,
) -> Result<Scaffold, String> {
    let name_value = one_line(80)(name).map_err(|why| format!("the name: {why}"))?;
    let slug = slug(name, &given.slug)?;
    let (kind, folder, deployment_guess) = match what {
        What::Tool => (Kind::Tool, "tools", "self-hosted"),
        What::Data => (Kind::Data, "data", "download"),
        _ => (Kind::Service, "data", "online"),
    };
    let summary = obtain(
        ask,
        given.summary,
        "summary",
        &format!("One line on what {name} is good for (at most 160 characters)"),
        &one_line(160),
    )?;
    let homepage =
        obtain(ask, given.homepage, "homepage", "Homepage (http or https address)", &web_address)?;
    let repository = if kind == Kind::Tool {
        obtain(
            ask,
            given.repository,
            "repository",
            "Source code address (leave empty if none)",
            &web_address,
        )?
    } else {
        given.repository.map(|r| web_address(&r)).transpose()?
    };
    let maintainer = obtain(
        ask,
        given.maintainer,
        "maintainer",
        "Maintainer: the slug of an organisation in entries/orgs/",
        &org_in(&known.orgs),
    )?;
    let licence = obtain(
        ask,
        given.licence,
        "licence",
        "Licence: an SPDX expression such as Apache-2.0, or free-service",
        &licence,
    )?;
    let categories = obtain(
        ask,
        joined(given.categories),
        "category",
        "Categories, the main one first, separated by commas",
        &words_in(&known.categories, "category"),
    )?;
    let ways: Vec<String> = Deployment::ALL.iter().map(|d| d.slug().to_string()).collect();
    let deployment = obtain(
        ask,
        joined(given.deployment),
        "deployment",
        &format!("How it is used ({})", ways.join(", ")),
        &words_in(&ways, "deployment"),
    )?;
    let access = if kind == Kind::Tool {
        given.access.map(|a| words_in(&access_words(), "access")(&a)).transpose()?
    } else {
        obtain(
            ask,
            given.access,
            "access",
            &format!("Who may use it ({})", access_words().join(", ")),
            &words_in(&access_words(), "access"),
        )?
    }
    .map(|v| v.trim_matches(['[', ']']).to_string());
    let cost = obtain(
        ask,
        given.cost,
        "cost",
        "What using it costs (free, or freemium for a free tier beside paid plans)",
        &word_of::<Cost>("cost"),
    )?;
    let status = given.status.map(|s| word_of::<Status>("status")(&s)).transpose()?;
    let mut classes = vec!["any".to_string()];
    classes.extend(known.incident_classes.iter().cloned());
    let incident_classes = obtain(
        ask,
        joined(given.incident_classes),
        "incident-class",
        "Incident classes it helps with, or any",
        &words_in(&classes, "incident class"),
    )?;
    let phases = obtain(
        ask,
        joined(given.phases),
        "phase",
        &format!("Response phases ({})", known.phases.join(", ")),
        &words_in(&known.phases, "phase"),
    )?;
    let first_category = known.categories.first().cloned().unwrap_or_else(|| "other".into());
    let licence_placeholder =
        if kind == Kind::Tool { quoted("LicenseRef-unknown") } else { quoted("free-service") };
    let mut fields = vec![
        set("name", name_value),
        set("kind", kind.slug()),
        either("summary", summary, quoted(SUMMARY_FILLER)),
        either("homepage", homepage, "https://example.org/"),
    ];
    fields.push(match repository {
        Some(address) => set("repository", address),
        None => absent("repository", "https://example.org/source"),
    });
    fields.extend([
        either("maintainer", maintainer, PLACEHOLDER_ORG),
        either("licence", licence, licence_placeholder),
        either("cost", cost, "free"),
        either("deployment", deployment, list(&[deployment_guess.into()])),
    ]);
    fields.push(match (kind, access) {
        (_, Some(access)) => set("access", access),
        (Kind::Tool, None) => absent("access", "open"),
        (_, None) => either("access", None, "open"),
    });
    fields.extend([
        absent("platforms", "[linux, windows]"),
        absent("formats", "[json, csv]"),
        either("categories", categories, list(&[first_category])),
        either("incident_classes", incident_classes, "[any]"),
        absent("incident_types", "[phishing]"),
        either("phases", phases, "[detection-analysis]"),
        absent("tags", "[example-tag]"),
    ]);
    if kind != Kind::Tool {
        fields.push(absent("update_frequency", "daily"));
    }
    fields.extend([
        set("status", status.unwrap_or_else(|| Status::Live.slug().to_string())),
        set("added", today.to_string()),
        set("last_reviewed", today.to_string()),
    ]);
    let mut text = front_matter(
        "../../schemas/entry.schema.json",
        &Descriptions::of::<RawEntry>(),
        &fields,
        &[
            ("categories", &known.categories),
            ("incident_classes", &known.incident_classes),
            ("incident_types", &known.incident_types),
            ("phases", &known.phases),
        ],
    );
    text.push_str(ENTRY_BODY);
    Ok(Scaffold {
        path: PathBuf::from("entries").join(folder).join(format!("{slug}.md")),
        text,
        placeholders: placeholders(&fields),
    })
}

fn placeholders(fields: &[Field]) -> Vec<&'static str> {
    fields.iter().filter(|f| f.placeholder).map(|f| f.key).collect()
}

fn org(name: &str, given: Given, ask: &mut dyn Ask) -> Result<Scaffold, String> {
    let name_value = one_line(100)(name).map_err(|why| format!("the name: {why}"))?;
    let slug = slug(name, &given.slug)?;
    let kinds: Vec<&str> = OrgKind::ALL.iter().map(|k| k.slug()).collect();
    let kind = obtain(
        ask,
        given.org_kind,
        "org-kind",
        &format!("Kind of organisation ({})", kinds.join(", ")),
        &|text: &str| match OrgKind::parse(text.trim()) {
            Some(kind) => Ok(kind.slug().to_string()),
            None => Err(format!("unknown kind `{text}`; use one of {}", OrgKind::choices())),
        },
    )?;
    let country = obtain(
        ask,
        given.country,
        "country",
        "Country: ISO 3166-1 code such as AT (leave empty for none)",
        &|text: &str| {
            let code = text.trim().to_ascii_uppercase();
            if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
                Ok(code)
            } else {
                Err(format!("`{text}` is not a two-letter country code"))
            }
        },
    )?;
    let homepage = obtain(
        ask,
        given.homepage,
        "homepage",
        "Homepage (http or https address, or empty)",
        &web_address,
    )?;
    let summary = obtain(
        ask,
        given.summary,
        "summary",
        &format!("One line on who {name} are (at most 160 characters)"),
        &one_line(160),
    )?;
    let fields = vec![
        set("name", name_value),
        either("kind", kind, "community"),
        match country {
            // Quoted: to YAML 1.1 readers, a bare `NO` is false.
            Some(code) => set("country", quoted(&code)),
            None => absent("country", "\"AT\""),
        },
        match homepage {
            Some(address) => set("homepage", address),
            None => absent("homepage", "https://example.org/"),
        },
        either("summary", summary, quoted(ORG_SUMMARY_FILLER)),
    ];
    let mut text = front_matter(
        "../../schemas/organisation.schema.json",
        &Descriptions::of::<RawOrg>(),
        &fields,
        &[],
    );
    text.push_str(ORG_BODY);
    Ok(Scaffold {
        path: PathBuf::from("entries/orgs").join(format!("{slug}.md")),
        text,
        placeholders: placeholders(&fields),
    })
}

/// The newest rubric version that applies to `kind`.
fn rubric_for(rubrics: &[Rubric], kind: Kind) -> Option<&Rubric> {
    rubrics.iter().filter(|r| r.applies_to.contains(&kind)).max_by_key(|r| r.version)
}

fn evaluation(
    catalogue: &Catalogue,
    known: &Known,
    entry_slug: &str,
    given: Given,
    today: Date,
    ask: &mut dyn Ask,
) -> Result<Scaffold, String> {
    let Some(entry) = catalogue.entries.iter().find(|e| e.slug == entry_slug) else {
        return Err(format!(
            "there is no valid entry `{entry_slug}` to evaluate: give the file name of an entry \
             without .md (e.g. `misp`); if entries/tools/{entry_slug}.md or \
             entries/data/{entry_slug}.md exists, `commons check` says what is wrong with it"
        ));
    };
    let rubric = match &given.rubric {
        Some(id) => catalogue
            .rubrics
            .iter()
            .find(|r| &r.id == id && r.applies_to.contains(&entry.kind))
            .ok_or_else(|| {
                format!("--rubric: no rubric `{id}` applies to a {}", entry.kind.slug())
            })?,
        None => rubric_for(&catalogue.rubrics, entry.kind).ok_or_else(|| {
            format!("no rubric in entries/rubrics/ applies to a {}", entry.kind.slug())
        })?,
    };
    let evaluator = obtain(
        ask,
        given.evaluator,
        "evaluator",
        "Evaluator: the slug of your team's organisation in entries/orgs/",
        &org_in(&known.orgs),
    )?
    .ok_or(
        "give your team's organisation with --evaluator SLUG (a file in entries/orgs/; \
            add it first with `commons new org \"Your team\"`)",
    )?;
    let version = obtain(
        ask,
        given.version,
        "version",
        &format!("Version of {} evaluated (or n/a)", entry.name),
        &one_line(60),
    )?;
    let next_review = today.saturating_add(jiff::Span::new().years(1));
    let fields = vec![
        set("entry", entry.slug.clone()),
        set("evaluator", evaluator.clone()),
        set("date", today.to_string()),
        either("version", version, quoted("n/a")),
        Field { key: "method", value: Some("desk-review".into()), placeholder: true },
        set("rubric", rubric.id.clone()),
        Field { key: "verdict", value: Some(quoted(VERDICT_FILLER)), placeholder: true },
        absent("peer_reviewer", "another-team"),
        set("next_review", next_review.to_string()),
    ];
    let mut text = front_matter(
        "../../../schemas/evaluation.schema.json",
        &Descriptions::of::<RawEvaluation>(),
        &fields,
        &[],
    );
    // The criteria go last, each with its question and scale, answered
    // "not assessed" until the evaluator fills them in.
    text.truncate(text.len() - "---\n".len());
    text.push_str(&criteria(rubric));
    text.push_str("---\n");
    text.push_str(EVALUATION_BODY);
    let mut placeholders = placeholders(&fields);
    placeholders.push("criteria");
    Ok(Scaffold {
        path: PathBuf::from("entries/evaluations")
            .join(&entry.slug)
            .join(format!("{today}-{evaluator}.md")),
        text,
        placeholders,
    })
}

/// The `criteria:` list of a new evaluation: every criterion of `rubric`,
/// not assessed; optional ones commented out.
fn criteria(rubric: &Rubric) -> String {
    let mut text = format!(
        "\n# One answer per criterion of {} (see the methodology page). Give a\n\
         # score (graded: 1 to 4; letter: A to F) or a `value` (described and\n\
         # measured criteria, with a `window` when measured), a one-line `why`\n\
         # and `evidence`, a list of links or descriptions:\n\
         #     evidence:\n\
         #       - \"https://example.org/the-page-you-read\"\n\
         # Leave `{NOT_ASSESSED}` where you did not look, and say why.\n\
         criteria:\n",
        rubric.id
    );
    for criterion in &rubric.criteria {
        let mut about = wrap(&criterion.question);
        match criterion.kind {
            CriterionKind::Graded => {
                about.extend(criterion.levels.iter().map(|(n, what)| format!("#   {n}: {what}")))
            }
            CriterionKind::Letter => {
                about.extend(criterion.letters.iter().map(|(l, what)| format!("#   {l}: {what}")))
            }
            CriterionKind::Described => about.push("#   Answer with `value: \"...\"`.".into()),
            CriterionKind::Measured => about.push(
                "#   Answer with `value: \"figure and unit\"` and `window: \"2026-10-01 to \
                 2026-10-31\"`."
                    .into(),
            ),
        }
        about.extend(wrap(&format!("Evidence: {}", criterion.evidence)));
        text.push('\n');
        for line in about {
            text.push_str(&format!("  {line}\n"));
        }
        if criterion.optional {
            // Left out unless answered: shown as it would be written.
            text.push_str("  # Optional: to answer it, delete the `# ` in front of each line.\n");
            text.push_str(&format!("  # - id: {}\n", criterion.id));
            text.push_str(&format!("  #   value: \"{TO_WRITE} figure and unit\"\n"));
            text.push_str("  #   window: \"2026-10-01 to 2026-10-31\"\n");
            text.push_str(&format!("  #   why: \"{TO_WRITE} how it was measured\"\n"));
            text.push_str(&format!(
                "  #   evidence:\n  #     - \"{TO_WRITE} a link, or how the data was gathered\"\n"
            ));
        } else {
            text.push_str(&format!("  - id: {}\n", criterion.id));
            text.push_str(&format!("    score: {NOT_ASSESSED} {PLACEHOLDER}\n"));
            text.push_str(&format!("    why: {}\n", quoted(WHY_FILLER)));
        }
    }
    text
}

/// What `commons new` left in a file for the contributor to replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, where the value or the template text starts.
    pub column: usize,
    /// What is left, for messages: ``summary``, ``score` of `timeliness``,
    /// or `None` for template text.
    pub field: Option<String>,
}

impl Left {
    /// The warning's message.
    pub fn message(&self) -> String {
        match &self.field {
            Some(field) => format!("{field} still holds the placeholder `commons new` wrote"),
            None => "text from the `commons new` template is still here".into(),
        }
    }

    /// How to fix it.
    pub fn hint(&self) -> String {
        match &self.field {
            Some(_) => format!("replace it with the real value, then delete `{PLACEHOLDER}`"),
            None => "replace it with your own text".into(),
        }
    }
}

/// Everything `commons new` left to replace in `text`: values marked
/// `# placeholder` in the front matter, and the template's filler text
/// anywhere in the file, marked or not.
pub fn leftovers(text: &str) -> Vec<Left> {
    let mut found = Vec::new();
    let mut in_front_matter = text.starts_with("---");
    // The `id` of the list item being read, to name a criterion's answer.
    let mut item = None;
    for (index, line) in text.lines().enumerate() {
        if index > 0 && line.trim_end() == "---" {
            in_front_matter = false;
        }
        if in_front_matter {
            if let Some(id) = line.trim_start().strip_prefix("- id:") {
                item = Some(id.trim().to_string());
            } else if !line.starts_with([' ', '#']) && !line.trim().is_empty() {
                item = None;
            }
            if let Some(before) = line.trim_end().strip_suffix(PLACEHOLDER)
                && before.ends_with(' ')
                && !before.trim_start().starts_with('#')
            {
                let content = before.trim_start().trim_start_matches("- ");
                let key = content.split(':').next().unwrap_or_default().trim();
                let field = match item.as_ref().filter(|_| line.starts_with(' ')) {
                    Some(id) => format!("`{key}` of `{id}`"),
                    None => format!("`{key}`"),
                };
                let column = line.find(": ").map_or(1, |at| line[..at].chars().count() + 3);
                found.push(Left { line: index + 1, column, field: Some(field) });
                continue;
            }
            if line.trim_start().starts_with('#') {
                continue;
            }
            if let Some((key, column)) = placeholder_value(line) {
                let field = match item.as_ref().filter(|_| line.starts_with(' ')) {
                    Some(id) => format!("`{key}` of `{id}`"),
                    None => format!("`{key}`"),
                };
                found.push(Left { line: index + 1, column, field: Some(field) });
                continue;
            }
        }
        if let Some(at) = line.find(TO_WRITE) {
            let column = line[..at].chars().count() + 1;
            found.push(Left { line: index + 1, column, field: None });
        }
    }
    found
}

/// The values `commons new` writes where it was not given one, which no
/// real file has: they count as placeholders with or without their mark.
const PLACEHOLDER_VALUES: [&str; 2] = ["https://example.org/", "LicenseRef-unknown"];

/// The key and the value's column of a front-matter line that holds one of
/// the [`PLACEHOLDER_VALUES`].
fn placeholder_value(line: &str) -> Option<(String, usize)> {
    let content = line.trim_start().trim_start_matches("- ");
    let (key, value) = content.split_once(": ")?;
    let value = value.split(" #").next().unwrap_or_default().trim().trim_matches(['"', '\'']);
    if !PLACEHOLDER_VALUES.contains(&value) {
        return None;
    }
    let column = line.find(": ").map_or(1, |at| line[..at].chars().count() + 3);
    Some((key.trim().to_string(), column))
}

/// Writes `scaffold` under `root`, refusing to replace a file.
pub fn write(root: &Path, scaffold: &Scaffold) -> Result<PathBuf, String> {
    let path = crate::under(root, &scaffold.path.to_string_lossy());
    // The catalogue refuses symbolic links (one could point anywhere on
    // the machine); a new file must not be written through one either.
    let mut folder = crate::under(root, "");
    for part in scaffold.path.parent().into_iter().flat_map(Path::components) {
        folder.push(part);
        if std::fs::symlink_metadata(&folder).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!(
                "`{}` is a symbolic link, which the catalogue does not allow; replace it with a folder",
                folder.display()
            ));
        }
    }
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .map_err(|e| format!("cannot create `{}`: {e}", folder.display()))?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(
        |e| match e.kind() {
            std::io::ErrorKind::AlreadyExists
                if scaffold.path.starts_with("entries/evaluations") =>
            {
                format!("`{}` already exists: edit that evaluation instead", path.display())
            }
            std::io::ErrorKind::AlreadyExists => format!(
                "`{}` already exists; edit it, or choose another file name with --slug",
                path.display()
            ),
            _ => format!("cannot write `{}`: {e}", path.display()),
        },
    )?;
    std::io::Write::write_all(&mut file, scaffold.text.as_bytes())
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_accents_and_join_words_with_hyphens() {
        assert_eq!(slug_for("Example"), "example");
        assert_eq!(slug_for("  Málaga CERT — Feed #2 "), "malaga-cert-feed-2");
        assert_eq!(slug_for("IntelMQ/Manager"), "intelmq-manager");
        assert_eq!(slug_for("İstanbul Iğdır"), "istanbul-igdir");
        assert_eq!(slug_for("日本"), "");
        let long = slug_for(&"word ".repeat(30));
        assert!(long.len() <= 64 && !long.ends_with('-'), "{long}");
    }

    #[test]
    fn wrapped_comments_stay_under_80_columns() {
        let lines = wrap(&"a fairly long sentence ".repeat(12));
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| l.len() <= 80 && l.starts_with("# ")), "{lines:#?}");
    }

    #[test]
    fn leftovers_are_found_with_their_line_and_column() {
        let text = "---\nname: X\nhomepage: https://example.org/ # placeholder\n\
                    # kind: tool # placeholder\ncriteria:\n  - id: a\n    score: not-assessed # placeholder\n\
                    verdict: \"TO WRITE: it\"\n---\nbody # placeholder\nSo: TO WRITE: more\n";
        let found: Vec<(usize, usize, Option<String>)> =
            leftovers(text).into_iter().map(|l| (l.line, l.column, l.field)).collect();
        let field = |text: &str| Some(text.to_string());
        assert_eq!(
            found,
            vec![
                (3, 11, field("`homepage`")),
                (7, 12, field("`score` of `a`")),
                (8, 11, None),
                (11, 5, None),
            ]
        );
    }

    #[test]
    fn new_files_are_never_written_through_a_symbolic_link() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("entries/evaluations")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("entries/evaluations/zmap"))
            .unwrap();
        let scaffold = Scaffold {
            path: "entries/evaluations/zmap/2026-12-04-cert-at.md".into(),
            text: "---\n---\n".into(),
            placeholders: Vec::new(),
        };
        let error = write(dir.path(), &scaffold).unwrap_err();
        assert!(error.contains("is a symbolic link"), "{error}");
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0, "nothing written there");
    }

    #[test]
    fn placeholder_values_count_without_their_mark() {
        let text = "---\nname: X\nhomepage: https://example.org/\n\
                    repository: \"https://example.org/x\"\nlicence: \"LicenseRef-unknown\"\n\
                    maintainer: cert-at\nsummary: \"See https://example.org/ for details.\"\n\
                    ---\nhomepage: https://example.org/ in the body\n";
        let found: Vec<(usize, usize, Option<String>)> =
            leftovers(text).into_iter().map(|l| (l.line, l.column, l.field)).collect();
        let field = |text: &str| Some(text.to_string());
        assert_eq!(found, vec![(3, 11, field("`homepage`")), (5, 10, field("`licence`"))]);
    }

    struct Script(Vec<&'static str>, Vec<String>);

    impl Ask for Script {
        fn ask(&mut self, _: &str) -> Option<String> {
            let answer = if self.0.is_empty() { "" } else { self.0.remove(0) };
            (!answer.is_empty()).then(|| answer.to_string())
        }

        fn tell(&mut self, message: &str) {
            self.1.push(message.to_string());
        }
    }

    #[test]
    fn refused_answers_are_asked_again_and_empty_ones_become_placeholders() {
        let checked = crate::check(Path::new(env!("CARGO_MANIFEST_DIR")));
        let mut script = Script(
            vec![
                "Looks at things.",
                "ftp://example.net/",
                "https://example.net/",
                "",
                "misp-projct",
                "misp-project",
                "Apache-2.0",
                "forensics-endpiont",
                "forensics-endpoint",
            ],
            Vec::new(),
        );
        let planned = plan(
            &checked.catalogue,
            What::Tool,
            "Looker",
            Given::default(),
            jiff::civil::date(2026, 12, 3),
            &mut script,
        )
        .unwrap();
        assert_eq!(script.1.len(), 3, "{:?}", script.1);
        assert!(script.1[1].ends_with("did you mean `misp-project`?"), "{:?}", script.1);
        assert!(script.1[2].ends_with("did you mean `forensics-endpoint`?"), "{:?}", script.1);
        assert!(planned.text.contains("\nhomepage: https://example.net/\n"));
        assert!(planned.text.contains("\n# repository: https://example.org/source\n"));
        assert!(planned.text.contains("\nmaintainer: misp-project\n"));
        assert!(planned.text.contains("\ncategories: [forensics-endpoint]\n"));
        assert_eq!(planned.placeholders, ["cost", "deployment", "incident_classes", "phases"]);
        assert!(planned.text.contains("\ndeployment: [self-hosted] # placeholder\n"));
    }
}
