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

use serde::Serialize;

use crate::model::Vocabulary;
use crate::model::entry::{Entry, IncidentScope, Licence};
use crate::model::evaluation::{Evaluation, Evidence, Outcome};
use crate::model::taxonomy::Term;
use crate::render::pages::Page;
use crate::validate::Catalogue;

/// The version of the export format.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct EntryRecord<'a> {
    slug: &'a str,
    page: String,
    name: &'a str,
    kind: &'static str,
    summary: &'a str,
    homepage: &'a str,
    repository: Option<&'a str>,
    maintainer: &'a str,
    licence: &'a str,
    cost: &'static str,
    deployment: Vec<&'static str>,
    access: &'static str,
    platforms: &'a [String],
    formats: &'a [String],
    categories: &'a [String],
    incident_classes: Vec<&'a str>,
    phases: &'a [String],
    tags: &'a [String],
    update_frequency: Option<&'static str>,
    status: &'static str,
    added: String,
    last_reviewed: String,
}

#[derive(Serialize)]
struct AnswerRecord<'a> {
    criterion: &'a str,
    score: Option<u8>,
    letter: Option<String>,
    value: Option<&'a str>,
    window: Option<&'a str>,
    not_assessed: bool,
    why: &'a str,
    evidence: Vec<&'a str>,
}

#[derive(Serialize)]
struct EvaluationRecord<'a> {
    entry: &'a str,
    page: String,
    evaluator: &'a str,
    date: String,
    version: &'a str,
    method: &'static str,
    rubric: &'a str,
    answers: Vec<AnswerRecord<'a>>,
    verdict: &'a str,
    peer_reviewer: Option<&'a str>,
    next_review: String,
}

#[derive(Serialize)]
struct TermRecord<'a> {
    slug: &'a str,
    name: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
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

fn json(path: &str, value: &serde_json::Value) -> Page {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".into());
    Page { path: path.into(), bytes: format!("{text}\n").into_bytes() }
}

/// The files of `site/api/`.
pub fn pages(catalogue: &Catalogue) -> Vec<Page> {
    let entries: Vec<EntryRecord> = catalogue.entries.iter().map(entry_record).collect();
    let evaluations: Vec<EvaluationRecord> =
        catalogue.evaluations.iter().map(evaluation_record).collect();
    let mut pages = vec![
        json("api/entries.json", &serde_json::json!({"version": VERSION, "entries": entries})),
        json(
            "api/evaluations.json",
            &serde_json::json!({"version": VERSION, "evaluations": evaluations}),
        ),
        json(
            "api/taxonomy.json",
            &serde_json::json!({
                "version": VERSION,
                "categories": terms(&catalogue.categories),
                "incident_classes": terms(&catalogue.incident_classes),
                "phases": terms(&catalogue.phases),
            }),
        ),
    ];
    pages.push(Page { path: "api/entries.csv".into(), bytes: csv_table(&entries) });
    pages
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
    ];
    let _ = writer.write_record(header);
    for e in entries {
        let join = |items: &[String]| items.join(";");
        let _ = writer.write_record([
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
        ]);
    }
    writer.into_inner().unwrap_or_default()
}
