//! Open data: the catalogue as files other tools can read, in `site/api/`.
//!
//! - `entries.json`, `evaluations.json`, `taxonomy.json`: each a JSON
//!   object with a `version` field ([`VERSION`]) and the data; the format is
//!   described on the site's `data.html` page. Fields are only ever added
//!   within a version.
//! - `entries.csv`: one row per entry, for spreadsheets.
//!
//! Everything is written with serde_json and the csv crate, sorted, so the
//! same catalogue gives the same bytes.

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::Vocabulary;
use crate::model::entry::{
    Access, Cost, Deployment, Entry, IncidentScope, Kind, Licence, Status, UpdateFrequency,
};
use crate::model::evaluation::{Evaluation, Evidence, Method, Outcome};
use crate::model::shapes::{Day, Slug, WebUrl};
use crate::model::taxonomy::Term;
use crate::render::pages::Page;
use crate::validate::Catalogue;

/// The version of the export format.
pub const VERSION: u32 = 1;

/// `api/entries.json`.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "CSIRT Commons entries export")]
pub struct EntriesFile<'a> {
    /// The version of this format; fields are only ever added within a version.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    /// Every entry, sorted by slug.
    pub entries: Vec<EntryRecord<'a>>,
}

/// `api/evaluations.json`.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "CSIRT Commons evaluations export")]
pub struct EvaluationsFile<'a> {
    /// The version of this format; fields are only ever added within a version.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    /// Every evaluation, by entry and then newest first.
    pub evaluations: Vec<EvaluationRecord<'a>>,
}

/// `api/taxonomy.json`.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "CSIRT Commons taxonomy export")]
pub struct TaxonomyFile<'a> {
    /// The version of this format; fields are only ever added within a version.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    /// Tool and data categories.
    pub categories: Vec<TermRecord<'a>>,
    /// RSIT incident classes, each with its incident types.
    pub incident_classes: Vec<TermRecord<'a>>,
    /// Incident-response phases.
    pub phases: Vec<TermRecord<'a>>,
}

/// One entry, with every field of its front matter.
#[derive(Serialize, JsonSchema)]
pub struct EntryRecord<'a> {
    /// The entry's identifier: its file name without `.md`.
    #[schemars(with = "Slug")]
    slug: &'a str,
    /// Its page, relative to the site's root.
    page: String,
    /// The display name.
    name: &'a str,
    /// What it is.
    #[schemars(with = "Kind")]
    kind: &'static str,
    /// One line on what it is good for.
    summary: &'a str,
    /// The address readers should visit.
    #[schemars(with = "WebUrl")]
    homepage: &'a str,
    /// The source code's address, or null.
    #[schemars(with = "Option<WebUrl>")]
    repository: Option<&'a str>,
    /// The slug of the organisation that maintains it.
    #[schemars(with = "Slug")]
    maintainer: &'a str,
    /// An SPDX expression, or `free-service`.
    licence: &'a str,
    /// What using it costs.
    #[schemars(with = "Cost")]
    cost: &'static str,
    /// How it is used.
    #[schemars(with = "Vec<Deployment>")]
    deployment: Vec<&'static str>,
    /// Who may use it.
    #[schemars(with = "Access")]
    access: &'static str,
    /// Platforms it runs on.
    platforms: &'a [String],
    /// Data formats it reads or writes.
    formats: &'a [String],
    /// Category slugs, the main one first.
    #[schemars(with = "Vec<Slug>")]
    categories: &'a [String],
    /// RSIT class slugs, or `["any"]`.
    #[schemars(with = "Vec<Slug>")]
    incident_classes: Vec<&'a str>,
    /// RSIT incident-type slugs, each under one of `incident_classes`;
    /// empty for entries not made for particular types of incident.
    #[schemars(with = "Vec<Slug>")]
    incident_types: &'a [String],
    /// Response-phase slugs.
    #[schemars(with = "Vec<Slug>")]
    phases: &'a [String],
    /// Free words.
    tags: &'a [String],
    /// For data: how often it changes, or null.
    #[schemars(with = "Option<UpdateFrequency>")]
    update_frequency: Option<&'static str>,
    /// Whether it still works.
    #[schemars(with = "Status")]
    status: &'static str,
    /// When it was added.
    #[schemars(with = "Day")]
    added: String,
    /// When its facts were last checked.
    #[schemars(with = "Day")]
    last_reviewed: String,
}

/// One criterion's answer.
#[derive(Serialize, JsonSchema)]
pub struct AnswerRecord<'a> {
    /// The criterion's id in the rubric.
    #[schemars(with = "Slug")]
    criterion: &'a str,
    /// For graded criteria: 1 (Poor) to 4 (Excellent); otherwise null.
    #[schemars(range(min = 1, max = 4))]
    score: Option<u8>,
    /// For letter criteria: A to F; otherwise null.
    #[schemars(regex(pattern = "^[A-F]$"))]
    letter: Option<String>,
    /// For described and measured criteria: the description or figure.
    value: Option<&'a str>,
    /// For measured criteria: the period measured over.
    window: Option<&'a str>,
    /// True when the criterion was explicitly not assessed.
    not_assessed: bool,
    /// The one-line justification.
    why: &'a str,
    /// Links or descriptions of what was tested.
    evidence: Vec<&'a str>,
}

/// One evaluation.
#[derive(Serialize, JsonSchema)]
pub struct EvaluationRecord<'a> {
    /// The slug of the entry evaluated.
    #[schemars(with = "Slug")]
    entry: &'a str,
    /// Its page, relative to the site's root.
    page: String,
    /// The slug of the evaluating organisation.
    #[schemars(with = "Slug")]
    evaluator: &'a str,
    /// When it was finished.
    #[schemars(with = "Day")]
    date: String,
    /// The version evaluated.
    version: &'a str,
    /// How it was done.
    #[schemars(with = "Method")]
    method: &'static str,
    /// The rubric version used, e.g. `tool-1`.
    #[schemars(with = "Slug")]
    rubric: &'a str,
    /// One answer per criterion answered.
    answers: Vec<AnswerRecord<'a>>,
    /// The conclusion.
    verdict: &'a str,
    /// The slug of the peer-reviewing organisation, or null.
    #[schemars(with = "Option<Slug>")]
    peer_reviewer: Option<&'a str>,
    /// When it should be evaluated again.
    #[schemars(with = "Day")]
    next_review: String,
}

/// One taxonomy term.
#[derive(Serialize, JsonSchema)]
pub struct TermRecord<'a> {
    /// Its identifier.
    #[schemars(with = "Slug")]
    slug: &'a str,
    /// Its name.
    name: &'a str,
    /// What it covers.
    description: &'a str,
    /// Finer terms (RSIT incident types), left out when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    types: Vec<TermRecord<'a>>,
}

fn licence(entry: &Entry) -> &str {
    match &entry.licence {
        Licence::Spdx(expression) => expression,
        Licence::FreeService => crate::model::entry::FREE_SERVICE,
    }
}

fn entry_record(entry: &Entry) -> EntryRecord<'_> {
    EntryRecord {
        slug: &entry.slug,
        page: format!("entry/{}.html", entry.slug),
        name: &entry.name,
        kind: entry.kind.slug(),
        summary: &entry.summary,
        homepage: entry.homepage.as_str(),
        repository: entry.repository.as_ref().map(|u| u.as_str()),
        maintainer: &entry.maintainer,
        licence: licence(entry),
        cost: entry.cost.slug(),
        deployment: entry.deployment.iter().map(|d| d.slug()).collect(),
        access: entry.access.slug(),
        platforms: &entry.platforms,
        formats: &entry.formats,
        categories: &entry.categories,
        incident_classes: match &entry.incident_classes {
            IncidentScope::Any => vec!["any"],
            IncidentScope::Classes(classes) => classes.iter().map(String::as_str).collect(),
        },
        incident_types: &entry.incident_types,
        phases: &entry.phases,
        tags: &entry.tags,
        update_frequency: entry.update_frequency.map(|f| f.slug()),
        status: entry.status.slug(),
        added: entry.added.to_string(),
        last_reviewed: entry.last_reviewed.to_string(),
    }
}

fn evaluation_record(evaluation: &Evaluation) -> EvaluationRecord<'_> {
    EvaluationRecord {
        entry: &evaluation.entry,
        page: crate::render::evaluations::page_path(evaluation),
        evaluator: &evaluation.evaluator,
        date: evaluation.date.to_string(),
        version: &evaluation.version,
        method: evaluation.method.slug(),
        rubric: &evaluation.rubric,
        answers: evaluation
            .answers
            .iter()
            .map(|a| {
                let (score, letter, value, window) = match &a.outcome {
                    Outcome::Score(s) => (Some(*s), None, None, None),
                    Outcome::Letter(l) => (None, Some(l.to_string()), None, None),
                    Outcome::Value { value, window } => {
                        (None, None, Some(value.as_str()), window.as_deref())
                    }
                    Outcome::NotAssessed => (None, None, None, None),
                };
                AnswerRecord {
                    criterion: &a.criterion,
                    score,
                    letter,
                    value,
                    window,
                    not_assessed: a.outcome == Outcome::NotAssessed,
                    why: &a.why,
                    evidence: a
                        .evidence
                        .iter()
                        .map(|e| match e {
                            Evidence::Link(url) => url.as_str(),
                            Evidence::Note(text) => text.as_str(),
                        })
                        .collect(),
                }
            })
            .collect(),
        verdict: &evaluation.verdict,
        peer_reviewer: evaluation.peer_reviewer.as_deref(),
        next_review: evaluation.next_review.to_string(),
    }
}

fn terms(terms: &[Term]) -> Vec<TermRecord<'_>> {
    terms
        .iter()
        .map(|t| TermRecord {
            slug: &t.slug,
            name: &t.name,
            description: &t.description,
            types: self::terms(&t.types),
        })
        .collect()
}

/// A JSON file, pretty-printed, ending in a newline.
pub fn json(path: &str, value: &impl Serialize) -> Page {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_else(|_| b"{}".to_vec());
    bytes.push(b'\n');
    Page { path: path.into(), bytes }
}

/// The files of `site/api/`, each handed to `sink`.
pub fn pages(catalogue: &Catalogue, sink: &(dyn Fn(Page) + Sync)) {
    // Each file goes to `sink` as soon as it is made, so that only one of
    // these large files is held at a time.
    let entries: Vec<EntryRecord> = catalogue.entries.iter().map(entry_record).collect();
    sink(Page { path: "api/entries.csv".into(), bytes: csv_table(&entries) });
    sink(json("api/entries.json", &EntriesFile { version: VERSION, entries }));
    let evaluations: Vec<EvaluationRecord> =
        catalogue.evaluations.iter().map(evaluation_record).collect();
    sink(json("api/evaluations.json", &EvaluationsFile { version: VERSION, evaluations }));
    sink(json(
        "api/taxonomy.json",
        &TaxonomyFile {
            version: VERSION,
            categories: terms(&catalogue.categories),
            incident_classes: terms(&catalogue.incident_classes),
            phases: terms(&catalogue.phases),
        },
    ));
}

/// A CSV cell that a spreadsheet will show as text: a cell starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a
/// formula, so it gets a leading `'`, as spreadsheets themselves write.
fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// The entries as CSV; lists are joined with `;`.
fn csv_table(entries: &[EntryRecord]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "slug",
        "name",
        "kind",
        "summary",
        "homepage",
        "repository",
        "maintainer",
        "licence",
        "cost",
        "deployment",
        "access",
        "categories",
        "incident_classes",
        "phases",
        "tags",
        "status",
        "added",
        "last_reviewed",
        // Added after the first release of the format: new columns go at
        // the end, so that sheets reading columns by position still work.
        "incident_types",
    ];
    let _ = writer.write_record(header);
    for e in entries {
        let join = |items: &[String]| items.join(";");
        let row = [
            e.slug,
            e.name,
            e.kind,
            e.summary,
            e.homepage,
            e.repository.unwrap_or(""),
            e.maintainer,
            e.licence,
            e.cost,
            &e.deployment.join(";"),
            e.access,
            &join(e.categories),
            &e.incident_classes.join(";"),
            &join(e.phases),
            &join(e.tags),
            e.status,
            &e.added,
            &e.last_reviewed,
            &join(e.incident_types),
        ];
        let _ = writer.write_record(row.iter().map(|text| cell(text).into_owned()));
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_as_formulas_stay_text() {
        assert_eq!(cell("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(cell("+cmd|'/c calc'!A0"), "'+cmd|'/c calc'!A0");
        assert_eq!(cell("-2+3"), "'-2+3");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("MISP"), "MISP");
        assert_eq!(cell("a = b"), "a = b");
    }
}
