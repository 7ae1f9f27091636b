//! Evaluations: one Markdown file per evaluation, at
//! `entries/evaluations/<entry>/<date>-<evaluator>.md`, answering every
//! criterion of one rubric version with a score (or "not assessed"), a
//! one-line justification and evidence.
//!
//! Evaluations are never edited into someone else's: a team that sees
//! things differently adds its own file.

use std::collections::BTreeSet;
use std::path::PathBuf;

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;
use url::Url;

use super::entry::Entry;
use super::rubric::{CriterionKind, LETTERS, Rubric, SCALE};
use super::shapes::{Day, Score, Slug};
use super::{FieldChecker, Vocabulary, vocabulary};
use crate::diagnostics::Diagnostic;
use crate::load::Loaded;

/// What `score` is set to for a criterion that was not assessed.
pub const NOT_ASSESSED: &str = "not-assessed";

vocabulary! {
    /// How an evaluation was done, from least to most hands-on.
    Method {
        /// Reading public documentation, licences and project history only.
        DeskReview = "desk-review", "Desk review";
        /// Installing or using it in a test environment.
        LabTest = "lab-test", "Lab test";
        /// Experience from using it in the team's real work.
        ProductionUse = "production-use", "Production use";
    }
}

/// The answer to one criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Explicitly not assessed; never counted as a score.
    NotAssessed,
    /// A graded score, 1 (Poor) to 4 (Excellent).
    Score(u8),
    /// A letter, A to F (Admiralty source reliability).
    Letter(char),
    /// A description or measured figure, with its window when measured.
    Value {
        /// The description or the figure with its unit.
        value: String,
        /// For measured criteria, the period measured over.
        window: Option<String>,
    },
}

/// One piece of evidence: a link, or a description of a test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// An http or https address where the evidence can be read.
    Link(Url),
    /// A description of what was tested or observed.
    Note(String),
}

/// One criterion's answer in an evaluation.
#[derive(Debug, Clone)]
pub struct Answer {
    /// `id`: the criterion answered, from the rubric.
    pub criterion: String,
    /// `score` (1–4, A–F or `not-assessed`), or `value` (and `window` for
    /// measured criteria).
    pub outcome: Outcome,
    /// `why`: a one-line justification, at most 300 characters. Required.
    pub why: String,
    /// `evidence`: at least one link or description; required unless not
    /// assessed.
    pub evidence: Vec<Evidence>,
}

/// A validated evaluation.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The file it was read from.
    pub path: PathBuf,
    /// Page name: the file name without `.md`, `<date>-<evaluator>`.
    pub slug: String,
    /// `entry`: the slug of the entry evaluated; equal to the folder name.
    /// Required.
    pub entry: String,
    /// `evaluator`: the slug of the organisation that evaluated it.
    /// Required.
    pub evaluator: String,
    /// `date`: when the evaluation was finished, `YYYY-MM-DD`. Required.
    pub date: Date,
    /// `version`: the version of the tool or data evaluated, as text (quote
    /// it: `"3.10"`), or `n/a`. Required.
    pub version: String,
    /// `method`: `desk-review`, `lab-test` or `production-use`. Required.
    pub method: Method,
    /// `rubric`: the rubric version used, e.g. `tool-1`. Required.
    pub rubric: String,
    /// `criteria`: one answer per criterion of the rubric (optional ones may
    /// be left out), each with `id`, `score` or `value`, `why` and
    /// `evidence`. Required.
    pub answers: Vec<Answer>,
    /// `verdict`: the evaluation's conclusion in one or two sentences, at
    /// most 400 characters. Required.
    pub verdict: String,
    /// `peer_reviewer`: the slug of a second organisation that reviewed the
    /// evaluation. Optional.
    pub peer_reviewer: Option<String>,
    /// `next_review`: when it should be evaluated again, `YYYY-MM-DD`, after
    /// `date`. Required.
    pub next_review: Date,
    /// The Markdown body: the narrative of the evaluation.
    pub body: crate::load::Body,
}

/// An evaluation's front matter as written. Unknown keys are errors.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "CSIRT Commons evaluation",
    description = "The front matter of one evaluation: entries/evaluations/<entry>/<date>-<evaluator>.md, answering every criterion of one rubric version."
)]
pub struct RawEvaluation {
    /// The slug of the entry evaluated; equal to the folder name.
    #[schemars(required, with = "Slug")]
    pub entry: Option<Spanned<String>>,
    /// The slug of the organisation that evaluated it: a file in entries/orgs/.
    #[schemars(required, with = "Slug")]
    pub evaluator: Option<Spanned<String>>,
    /// When the evaluation was finished, `YYYY-MM-DD`.
    #[schemars(required, with = "Day")]
    pub date: Option<Spanned<String>>,
    /// The version of the tool or data evaluated, as text (quote it: `"3.10"`), or `n/a`.
    #[schemars(required, with = "String", length(min = 1, max = 60))]
    pub version: Option<Spanned<String>>,
    /// How the evaluation was done.
    #[schemars(required, with = "Method")]
    pub method: Option<Spanned<String>>,
    /// The rubric version used: a file name in entries/rubrics/ without `.yaml`, e.g. `tool-1`.
    #[schemars(required, with = "Slug")]
    pub rubric: Option<Spanned<String>>,
    /// One answer per criterion of the rubric; optional criteria may be left out.
    #[schemars(required, with = "Vec<RawAnswer>", length(min = 1))]
    pub criteria: Option<Spanned<Vec<RawAnswer>>>,
    /// The evaluation's conclusion in one or two sentences, at most 400 characters.
    #[schemars(required, with = "String", length(min = 1, max = 400))]
    pub verdict: Option<Spanned<String>>,
    /// The slug of a second organisation that reviewed the evaluation.
    #[serde(default)]
    #[schemars(with = "Slug")]
    pub peer_reviewer: Option<Spanned<String>>,
    /// When it should be evaluated again, `YYYY-MM-DD`, after `date`.
    #[schemars(required, with = "Day")]
    pub next_review: Option<Spanned<String>>,
}

/// One answer as written. Unknown keys are errors.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAnswer {
    /// The criterion answered: an `id` from the rubric.
    #[schemars(with = "Slug")]
    pub id: Spanned<String>,
    /// For graded and letter criteria: the score, or `not-assessed`.
    #[serde(default)]
    #[schemars(with = "Score")]
    pub score: Option<Spanned<String>>,
    /// For described and measured criteria: the description, or the figure with its unit.
    #[serde(default)]
    #[schemars(with = "String")]
    pub value: Option<Spanned<String>>,
    /// For measured criteria: the period measured over, e.g. `2026-10-01 to 2026-10-31`.
    #[serde(default)]
    #[schemars(with = "String")]
    pub window: Option<Spanned<String>>,
    /// A one-line justification, at most 300 characters.
    #[schemars(required, with = "String", length(min = 1, max = 300))]
    pub why: Option<Spanned<String>>,
    /// Links (http or https) or short descriptions of what was tested; required unless not assessed.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub evidence: Option<Spanned<Vec<Spanned<String>>>>,
}

/// What an evaluation's references may name.
pub struct Known<'a> {
    /// Validated entries, sorted by slug.
    pub entries: &'a [Entry],
    /// The slugs of every entry file, valid or not: an evaluation of an
    /// entry whose file has problems is not blamed for them again.
    pub entry_files: &'a BTreeSet<String>,
    /// Organisation slugs.
    pub orgs: &'a BTreeSet<String>,
    /// Validated rubrics.
    pub rubrics: &'a [Rubric],
}

/// Validates one evaluation file. `folder` is the name of the folder it is
/// in, which must be the entry's slug.
pub fn validate(
    file: Loaded<RawEvaluation>,
    folder: &str,
    known: &Known,
) -> Result<Evaluation, Vec<Diagnostic>> {
    let mut check = FieldChecker::new(&file.path, 2);
    let raw = &file.raw;

    let entry = check.required(&raw.entry, "entry").and_then(|v| {
        // Validated entries are sorted by slug.
        let found = known
            .entries
            .binary_search_by(|e| e.slug.as_str().cmp(&v.value))
            .ok()
            .map(|at| &known.entries[at]);
        if found.is_none() && known.entry_files.contains(&v.value) {
            // The entry's own file has problems, reported there.
        } else if found.is_none() {
            check.report(
                v,
                format!("unknown entry `{}`", v.value),
                Some("name the slug of a file in `entries/tools/` or `entries/data/`".into()),
            );
        } else if v.value != folder {
            check.report(
                v,
                format!("this evaluation of `{}` is in the folder of `{folder}`", v.value),
                Some(format!("move it to `entries/evaluations/{}/`", v.value)),
            );
        }
        found
    });
    let evaluator =
        check.required(&raw.evaluator, "evaluator").and_then(|v| org(&mut check, v, known.orgs));
    let date = check.required(&raw.date, "date").and_then(|v| check.date(v, "date"));
    let version =
        check.required(&raw.version, "version").and_then(|v| check.line_of_text(v, "version", 60));
    let method =
        check.required(&raw.method, "method").and_then(|v| check.word::<Method>(v, "method"));
    let rubric = check.required(&raw.rubric, "rubric").and_then(|v| {
        let found = known.rubrics.iter().find(|r| r.id == v.value);
        match (found, entry) {
            (None, _) => {
                let ids: Vec<String> =
                    known.rubrics.iter().map(|r| format!("`{}`", r.id)).collect();
                check.report(
                    v,
                    format!("unknown rubric `{}`", v.value),
                    Some(format!("use one of {}", ids.join(", "))),
                );
            }
            (Some(rubric), Some(entry)) if !rubric.applies_to.contains(&entry.kind) => {
                check.report(
                    v,
                    format!(
                        "rubric `{}` does not apply to an entry of kind `{}`",
                        rubric.id,
                        entry.kind.slug()
                    ),
                    None,
                );
            }
            _ => {}
        }
        found
    });
    let applies = matches!((rubric, entry), (Some(r), Some(e)) if r.applies_to.contains(&e.kind));
    let answers = match (check.required(&raw.criteria, "criteria"), rubric) {
        // A rubric for another kind of entry was already reported; its
        // criteria would only add noise.
        (Some(list), Some(rubric)) if applies || entry.is_none() => {
            answers(&mut check, list, rubric)
        }
        _ => Vec::new(),
    };
    let verdict =
        check.required(&raw.verdict, "verdict").and_then(|v| check.line_of_text(v, "verdict", 400));
    let peer_reviewer = raw.peer_reviewer.as_ref().and_then(|v| org(&mut check, v, known.orgs));
    if let (Some(peer), Some(evaluator), Some(value)) =
        (&peer_reviewer, &evaluator, &raw.peer_reviewer)
        && peer == evaluator
    {
        let message = "the peer reviewer must be another organisation than the evaluator";
        check.report(value, message, None);
    }
    let next_review =
        check.required(&raw.next_review, "next_review").and_then(|v| check.date(v, "next_review"));
    if let (Some(date), Some(next), Some(value)) = (date, next_review, &raw.next_review)
        && next <= date
    {
        check.report(value, format!("`next_review` ({next}) must be after `date` ({date})"), None);
    }
    if let (Some(date), Some(evaluator)) = (date, &evaluator) {
        let expected = format!("{date}-{evaluator}");
        if file.stem != expected {
            check.problems.push(
                Diagnostic::file(
                    &file.path,
                    format!(
                        "the file name `{}.md` does not match its date and evaluator",
                        file.stem
                    ),
                )
                .hint(format!("name it `{expected}.md`")),
            );
        }
    }

    let evaluation = || {
        Some(Evaluation {
            path: file.path.clone(),
            slug: file.stem.clone(),
            entry: entry?.slug.clone(),
            evaluator: evaluator?,
            date: date?,
            version: version?,
            method: method?,
            rubric: rubric?.id.clone(),
            answers,
            verdict: verdict?,
            peer_reviewer,
            next_review: next_review?,
            body: file.body,
        })
    };
    match evaluation() {
        Some(evaluation) if check.problems.is_empty() => Ok(evaluation),
        _ => Err(check.problems),
    }
}

/// A reference to an organisation.
fn org(
    check: &mut FieldChecker,
    value: &Spanned<String>,
    orgs: &BTreeSet<String>,
) -> Option<String> {
    if orgs.contains(&value.value) {
        Some(value.value.clone())
    } else {
        check.report(
            value,
            format!("unknown organisation `{}`", value.value),
            Some("add it to `entries/orgs/` first".into()),
        );
        None
    }
}

/// Checks the answers against the rubric: each criterion answered once,
/// none unknown, each answer of the right kind and backed by evidence.
fn answers(
    check: &mut FieldChecker,
    list: &Spanned<Vec<RawAnswer>>,
    rubric: &Rubric,
) -> Vec<Answer> {
    let mut seen = BTreeSet::new();
    let mut valid = Vec::new();
    for raw in &list.value {
        let Some(criterion) = rubric.criterion(&raw.id.value) else {
            let ids: Vec<&str> = rubric.criteria.iter().map(|c| c.id.as_str()).collect();
            check.report(
                &raw.id,
                format!("unknown criterion `{}` for rubric `{}`", raw.id.value, rubric.id),
                Some(format!("the criteria of `{}` are: {}", rubric.id, ids.join(", "))),
            );
            continue;
        };
        if !seen.insert(raw.id.value.clone()) {
            check.report(&raw.id, format!("criterion `{}` is answered twice", raw.id.value), None);
            continue;
        }
        if let Some(answer) = answer(check, raw, criterion.kind) {
            valid.push(answer);
        }
    }
    let missing: Vec<&str> = rubric
        .criteria
        .iter()
        .filter(|c| !c.optional && !seen.contains(&c.id))
        .map(|c| c.id.as_str())
        .collect();
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|id| format!("`{id}`")).collect();
        let (noun, verb) =
            if missing.len() == 1 { ("criterion", "is") } else { ("criteria", "are") };
        check.report(
            list,
            format!("{noun} {} of rubric `{}` {verb} not answered", names.join(", "), rubric.id),
            Some(format!("answer each with a score, or `score: {NOT_ASSESSED}` and why")),
        );
    }
    // Answers follow the rubric's order on pages, whatever order was written.
    valid.sort_by_key(|a: &Answer| rubric.criteria.iter().position(|c| c.id == a.criterion));
    valid
}

fn answer(check: &mut FieldChecker, raw: &RawAnswer, kind: CriterionKind) -> Option<Answer> {
    let id = &raw.id;
    let outcome = outcome(check, raw, kind)?;
    let why = match &raw.why {
        Some(why) => check.line_of_text(why, "why", 300)?,
        None => {
            check.report(
                id,
                format!("the answer to `{}` has no `why`", id.value),
                Some("justify it in one line".into()),
            );
            return None;
        }
    };
    let written = raw.evidence.as_ref().map_or(0, |list| list.value.len());
    let evidence: Vec<Evidence> = raw
        .evidence
        .as_ref()
        .map(|list| list.value.iter().filter_map(|e| evidence(check, e)).collect())
        .unwrap_or_default();
    if evidence.len() < written {
        // Each bad item was reported where it stands.
        return None;
    }
    if outcome != Outcome::NotAssessed && evidence.is_empty() {
        let what = if matches!(outcome, Outcome::Value { .. }) { "a value" } else { "a score" };
        check.report(
            id,
            format!("`{}` has {what} but no evidence", id.value),
            Some("add `evidence:` with at least one link or a description of the test".into()),
        );
        return None;
    }
    Some(Answer { criterion: id.value.clone(), outcome, why, evidence })
}

/// The outcome of an answer, checked against the criterion's kind.
fn outcome(check: &mut FieldChecker, raw: &RawAnswer, kind: CriterionKind) -> Option<Outcome> {
    let id = &raw.id;
    if let Some(score) = &raw.score {
        let text = score.value.trim();
        if raw.value.is_some() {
            check.report(
                score,
                format!("`{}` has both `score` and `value`", id.value),
                Some("keep one".into()),
            );
            return None;
        }
        if text == NOT_ASSESSED {
            return Some(Outcome::NotAssessed);
        }
        return match kind {
            CriterionKind::Graded => {
                match text.parse::<u8>() {
                    Ok(n) if SCALE.iter().any(|(level, _)| *level == n) => Some(Outcome::Score(n)),
                    _ => {
                        check.report(score, format!("score `{text}` for `{}` is off the scale", id.value), Some(format!("use 1 (Poor), 2 (Fair), 3 (Good), 4 (Excellent) or `{NOT_ASSESSED}`")));
                        None
                    }
                }
            }
            CriterionKind::Letter => match text.chars().collect::<Vec<_>>()[..] {
                [letter] if LETTERS.contains(&letter) => Some(Outcome::Letter(letter)),
                _ => {
                    check.report(
                        score,
                        format!("grade `{text}` for `{}` is off the scale", id.value),
                        Some(format!("use a letter from A to F, or `{NOT_ASSESSED}`")),
                    );
                    None
                }
            },
            CriterionKind::Described | CriterionKind::Measured => {
                check.report(
                    score,
                    format!(
                        "`{}` is {} and takes a `value`, not a score",
                        id.value,
                        kind.label().to_lowercase()
                    ),
                    None,
                );
                None
            }
        };
    }
    match (&raw.value, kind) {
        (Some(value), CriterionKind::Described) => {
            Some(Outcome::Value { value: check.line_of_text(value, "value", 300)?, window: None })
        }
        (Some(value), CriterionKind::Measured) => {
            let Some(window) = &raw.window else {
                check.report(
                    value,
                    format!("the measured `{}` has no `window`", id.value),
                    Some(
                        "say over which period it was measured, e.g. `2026-10-01 to 2026-10-31`"
                            .into(),
                    ),
                );
                return None;
            };
            let value = check.line_of_text(value, "value", 300)?;
            Some(Outcome::Value { value, window: Some(check.line_of_text(window, "window", 120)?) })
        }
        (Some(value), _) => {
            check.report(
                value,
                format!("`{}` is graded and takes a `score`, not a `value`", id.value),
                None,
            );
            None
        }
        (None, _) => {
            check.report(
                id,
                format!("`{}` has no `score`", id.value),
                Some(format!("give a score, or `score: {NOT_ASSESSED}` with why")),
            );
            None
        }
    }
}

/// An evidence item: an http or https link, or a description of at least
/// three words.
fn evidence(check: &mut FieldChecker, value: &Spanned<String>) -> Option<Evidence> {
    let text = value.value.trim();
    if text.contains("://") || text.starts_with("javascript:") || text.starts_with("data:") {
        return check.web_url(value, "evidence").map(Evidence::Link);
    }
    if text.split_whitespace().count() < 3 {
        check.report(
            value,
            format!("evidence `{text}` is neither a link nor a description"),
            Some("give an https link, or describe the test in a few words".into()),
        );
        return None;
    }
    check.line_of_text(value, "evidence", 300).map(Evidence::Note)
}
