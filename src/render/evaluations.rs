//! What evaluation pages, entry summaries, listings and the methodology
//! page show, computed from the validated evaluations and rubrics.
//!
//! Summaries never collapse an entry into one opaque score: each criterion
//! keeps its own median and the number of evaluations behind it, and the age
//! of the newest evaluation is always shown beside them.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use super::pages::{Link, human_date};
use crate::model::Vocabulary;
use crate::model::evaluation::{Evaluation, Evidence, Method, Outcome};
use crate::model::rubric::{Criterion, CriterionKind, Rubric, SCALE};
use crate::validate::Catalogue;

/// An evaluation older than this many months gets a warning.
pub const STALE_AFTER_MONTHS: i32 = 18;

/// Width in SVG units of one step of the 1–4 scale in charts.
const STEP: f64 = 40.0;

/// One piece of evidence as shown.
#[derive(Debug, Serialize)]
pub struct EvidenceView {
    url: Option<String>,
    text: String,
}

/// One answer as shown on an evaluation page.
#[derive(Debug, Serialize)]
pub struct AnswerView {
    id: String,
    name: String,
    group: String,
    kind: &'static str,
    not_assessed: bool,
    /// The score, letter or value as text, e.g. `3 Good`, `B`.
    result: String,
    /// What the given level means in the rubric.
    meaning: Option<String>,
    window: Option<String>,
    why: String,
    evidence: Vec<EvidenceView>,
    /// Bar length in the chart, for graded answers.
    bar: Option<f64>,
}

/// An evaluation as shown on its own page and in listings.
#[derive(Debug, Serialize)]
pub struct EvaluationView {
    /// Output path, e.g. `evaluation/misp/2026-12-03-csirt-commons.html`.
    pub path: String,
    entry: Link,
    evaluator: Link,
    date: String,
    date_label: String,
    version: String,
    method: &'static str,
    method_label: &'static str,
    is_desk_review: bool,
    rubric: Link,
    answers: Vec<AnswerView>,
    graded: Vec<ChartRow>,
    assessed: usize,
    not_assessed: usize,
    verdict: String,
    peer_reviewer: Option<Link>,
    next_review: String,
    next_review_label: String,
    overdue: bool,
    /// The sanitised narrative.
    pub body_html: String,
}

/// One row of a chart: a criterion and its bar.
#[derive(Debug, Clone, Serialize)]
pub struct ChartRow {
    name: String,
    /// The value drawn, as text (`3`, `3.5`), or empty when not assessed.
    value: String,
    /// Bar length in SVG units; zero when not assessed.
    bar: f64,
    /// Vertical position of the row in SVG units.
    y: f64,
}

/// One criterion across all evaluations of an entry.
#[derive(Debug, Serialize)]
pub struct CriterionSummary {
    id: String,
    name: String,
    kind: &'static str,
    /// Median score as text (`3`, `3.5`), the letters given (`B ×2, C`), or
    /// the newest value; empty when nobody assessed it.
    result: String,
    assessed: usize,
    total: usize,
}

/// An entry's evaluations, summarised for its page.
#[derive(Debug, Serialize)]
pub struct Summary {
    count: usize,
    newest: Option<String>,
    newest_label: Option<String>,
    newest_age: Option<String>,
    warning: Option<String>,
    evaluations: Vec<Row>,
    criteria: Vec<CriterionSummary>,
    chart: Vec<ChartRow>,
}

impl Summary {
    /// How many evaluations the entry has.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The newest evaluation's date, as readers write it.
    pub fn newest_label(&self) -> Option<&str> {
        self.newest_label.as_deref()
    }

    /// The rubrics the evaluations used, by id, each once.
    pub fn rubrics(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.evaluations.iter().map(|r| r.rubric.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Each criterion's id and result as the entry page shows it: the
    /// median, letters or newest value, empty when nobody assessed it.
    pub fn results(&self) -> impl Iterator<Item = (&str, &str)> {
        self.criteria.iter().map(|c| (c.id.as_str(), c.result.as_str()))
    }
}

impl EvaluationView {
    /// The page's title: what was evaluated, and by whom.
    pub fn title(&self) -> String {
        format!("Evaluation of {} by {}", self.entry.name, self.evaluator.name)
    }

    /// The evaluation's conclusion.
    pub fn verdict(&self) -> &str {
        &self.verdict
    }
}

/// An evaluation as one row of a table.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub(crate) path: String,
    pub(crate) entry: Link,
    pub(crate) evaluator: Link,
    pub(crate) date: String,
    pub(crate) date_label: String,
    pub(crate) method: &'static str,
    pub(crate) method_label: &'static str,
    pub(crate) rubric: String,
    pub(crate) verdict: String,
}

/// The short evaluation state shown on cards in listings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct State {
    /// How many evaluations the entry has.
    pub count: usize,
    /// The newest evaluation's date, as readers write it.
    pub newest: Option<String>,
}

/// A rubric as shown on the methodology page.
#[derive(Debug, Serialize)]
pub struct RubricView {
    id: String,
    name: String,
    version: u32,
    applies_to: Vec<&'static str>,
    published: String,
    description: String,
    groups: Vec<GroupView>,
}

/// Criteria of one group of a rubric.
#[derive(Debug, Serialize)]
pub struct GroupView {
    name: String,
    criteria: Vec<CriterionView>,
}

/// A criterion as shown on the methodology page.
#[derive(Debug, Serialize)]
pub struct CriterionView {
    id: String,
    name: String,
    kind: &'static str,
    weight: u8,
    optional: bool,
    question: String,
    levels: Vec<(String, String)>,
    evidence: String,
}

/// Names to show for entries, organisations and rubrics.
pub struct Lookup<'a> {
    /// Entry slug to name.
    pub entries: BTreeMap<&'a str, &'a str>,
    /// Organisation slug to name.
    pub orgs: BTreeMap<&'a str, &'a str>,
    /// Rubric id to rubric.
    pub rubrics: BTreeMap<&'a str, &'a Rubric>,
}

impl<'a> Lookup<'a> {
    /// Lookups over a catalogue.
    pub fn new(catalogue: &'a Catalogue) -> Self {
        Lookup {
            entries: catalogue.entries.iter().map(|e| (e.slug.as_str(), e.name.as_str())).collect(),
            orgs: catalogue.orgs.iter().map(|o| (o.slug.as_str(), o.name.as_str())).collect(),
            rubrics: catalogue.rubrics.iter().map(|r| (r.id.as_str(), r)).collect(),
        }
    }

    fn entry(&self, slug: &str) -> Link {
        Link::new(slug, self.entries.get(slug).copied().unwrap_or(slug))
    }

    fn org(&self, slug: &str) -> Link {
        Link::new(slug, self.orgs.get(slug).copied().unwrap_or(slug))
    }
}

/// The page path of an evaluation.
pub fn page_path(evaluation: &Evaluation) -> String {
    format!("evaluation/{}/{}.html", evaluation.entry, evaluation.slug)
}

/// An evaluation's page data. `body_html` is its sanitised narrative.
pub fn view(
    evaluation: &Evaluation,
    lookup: &Lookup,
    today: Date,
    body_html: String,
) -> EvaluationView {
    let rubric = lookup.rubrics.get(evaluation.rubric.as_str()).copied();
    let answers: Vec<AnswerView> = evaluation
        .answers
        .iter()
        .filter_map(|answer| Some(answer_view(answer, rubric?.criterion(&answer.criterion)?)))
        .collect();
    let graded: Vec<ChartRow> = answers
        .iter()
        .filter(|a| a.kind == CriterionKind::Graded.slug())
        .enumerate()
        .map(|(row, a)| ChartRow {
            name: a.name.clone(),
            value: if a.not_assessed { String::new() } else { a.result.chars().take(1).collect() },
            bar: a.bar.unwrap_or(0.0),
            y: row as f64 * 22.0,
        })
        .collect();
    let not_assessed = answers.iter().filter(|a| a.not_assessed).count();
    let Row { path, entry, evaluator, date, date_label, method, method_label, verdict, .. } =
        row(evaluation, lookup);
    EvaluationView {
        path,
        entry,
        evaluator,
        date,
        date_label,
        version: evaluation.version.clone(),
        method,
        method_label,
        is_desk_review: evaluation.method == Method::DeskReview,
        rubric: Link::new(
            &evaluation.rubric,
            rubric.map_or(evaluation.rubric.as_str(), |r| r.name.as_str()),
        ),
        assessed: answers.len() - not_assessed,
        not_assessed,
        answers,
        graded,
        verdict,
        peer_reviewer: evaluation.peer_reviewer.as_deref().map(|slug| lookup.org(slug)),
        next_review: evaluation.next_review.to_string(),
        next_review_label: human_date(evaluation.next_review),
        overdue: evaluation.next_review < today,
        body_html,
    }
}

fn answer_view(answer: &crate::model::evaluation::Answer, criterion: &Criterion) -> AnswerView {
    let (result, meaning, window, bar) = match &answer.outcome {
        Outcome::NotAssessed => ("Not assessed".to_string(), None, None, None),
        Outcome::Score(score) => {
            let label = SCALE.iter().find(|(n, _)| n == score).map_or("", |(_, l)| l);
            let meaning = criterion.levels.iter().find(|(n, _)| n == score).map(|(_, m)| m.clone());
            (format!("{score} {label}"), meaning, None, Some(f64::from(*score) * STEP))
        }
        Outcome::Letter(letter) => {
            let meaning =
                criterion.letters.iter().find(|(l, _)| l == letter).map(|(_, m)| m.clone());
            (letter.to_string(), meaning, None, None)
        }
        Outcome::Value { value, window } => (value.clone(), None, window.clone(), None),
    };
    AnswerView {
        id: criterion.id.clone(),
        name: criterion.name.clone(),
        group: criterion.group.clone(),
        kind: criterion.kind.slug(),
        not_assessed: answer.outcome == Outcome::NotAssessed,
        result,
        meaning,
        window,
        why: answer.why.clone(),
        evidence: answer
            .evidence
            .iter()
            .map(|e| match e {
                Evidence::Link(url) => {
                    EvidenceView { url: Some(url.to_string()), text: short_link(url) }
                }
                Evidence::Note(text) => EvidenceView { url: None, text: text.clone() },
            })
            .collect(),
        bar,
    }
}

/// A link as shown in evidence lists: host and path, with the middle of a
/// long path (such as a commit hash) elided; the full address stays in the
/// `href`.
fn short_link(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default().trim_start_matches("www.");
    let segments: Vec<&str> =
        url.path_segments().map(|s| s.filter(|p| !p.is_empty()).collect()).unwrap_or_default();
    match segments.as_slice() {
        [first, second, .., last] if segments.len() > 4 => {
            format!("{host}/{first}/{second}/…/{last}")
        }
        _ => format!("{host}{}", url.path().trim_end_matches('/')),
    }
}

/// A table row for an evaluation: all that listings and entry pages show
/// of it (its own page is made from the whole evaluation when rendered).
pub fn row(evaluation: &Evaluation, lookup: &Lookup) -> Row {
    Row {
        path: page_path(evaluation),
        entry: lookup.entry(&evaluation.entry),
        evaluator: lookup.org(&evaluation.evaluator),
        date: evaluation.date.to_string(),
        date_label: human_date(evaluation.date),
        method: evaluation.method.slug(),
        method_label: evaluation.method.label(),
        rubric: evaluation.rubric.clone(),
        verdict: evaluation.verdict.clone(),
    }
}

/// The evaluation state of every entry that has evaluations.
pub fn states<'a>(
    evaluations: impl IntoIterator<Item = &'a Evaluation>,
) -> BTreeMap<String, State> {
    let mut states: BTreeMap<String, State> = BTreeMap::new();
    for evaluation in evaluations {
        let state = states.entry(evaluation.entry.clone()).or_default();
        state.count += 1;
        // Evaluations are sorted by date within an entry: the last is newest.
        state.newest = Some(human_date(evaluation.date));
    }
    states
}

/// An entry's summary from its evaluations (oldest first) and their views.
pub fn summary(
    evaluations: &[&Evaluation],
    rows: &[&Row],
    lookup: &Lookup,
    today: Date,
) -> Summary {
    let newest = evaluations.iter().max_by_key(|e| e.date);
    let warning = newest.and_then(|e| {
        if e.next_review < today {
            Some(format!(
                "The newest evaluation was due for review on {}.",
                human_date(e.next_review)
            ))
        } else if e.date.saturating_add(jiff::Span::new().months(STALE_AFTER_MONTHS)) < today {
            Some(format!("The newest evaluation is more than {STALE_AFTER_MONTHS} months old."))
        } else {
            None
        }
    });
    let criteria = criterion_summaries(evaluations, lookup);
    let chart = criteria
        .iter()
        .filter(|c| c.kind == CriterionKind::Graded.slug())
        .enumerate()
        .map(|(row, c)| ChartRow {
            name: c.name.clone(),
            value: c.result.clone(),
            bar: c.result.parse::<f64>().map_or(0.0, |m| m * STEP),
            y: row as f64 * 22.0,
        })
        .collect();
    let mut rows: Vec<Row> = rows.iter().map(|&row| row.clone()).collect();
    rows.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.evaluator.slug.cmp(&b.evaluator.slug)));
    Summary {
        count: evaluations.len(),
        newest: newest.map(|e| e.date.to_string()),
        newest_label: newest.map(|e| human_date(e.date)),
        newest_age: newest.map(|e| age(e.date, today)),
        warning,
        evaluations: rows,
        criteria,
        chart,
    }
}

/// Each criterion that any of the evaluations' rubrics has, in rubric order,
/// with its median (graded), the letters given, or the newest value.
fn criterion_summaries(evaluations: &[&Evaluation], lookup: &Lookup) -> Vec<CriterionSummary> {
    let mut order: Vec<&Criterion> = Vec::new();
    for evaluation in evaluations {
        if let Some(rubric) = lookup.rubrics.get(evaluation.rubric.as_str()) {
            for criterion in &rubric.criteria {
                if !order.iter().any(|c| c.id == criterion.id) {
                    order.push(criterion);
                }
            }
        }
    }
    order
        .into_iter()
        .map(|criterion| {
            let outcomes: Vec<&Outcome> = evaluations
                .iter()
                .flat_map(|e| {
                    e.answers.iter().filter(|a| a.criterion == criterion.id).map(|a| &a.outcome)
                })
                .collect();
            let assessed: Vec<&Outcome> =
                outcomes.iter().copied().filter(|o| **o != Outcome::NotAssessed).collect();
            CriterionSummary {
                id: criterion.id.clone(),
                name: criterion.name.clone(),
                kind: criterion.kind.slug(),
                result: summarise(&assessed),
                assessed: assessed.len(),
                total: outcomes.len(),
            }
        })
        .collect()
}

/// The median of scores, the tally of letters, or the newest value.
fn summarise(assessed: &[&Outcome]) -> String {
    let mut scores: Vec<u8> = assessed
        .iter()
        .filter_map(|o| if let Outcome::Score(s) = o { Some(*s) } else { None })
        .collect();
    if !scores.is_empty() {
        scores.sort_unstable();
        let middle = scores.len() / 2;
        let median = if scores.len() % 2 == 1 {
            f64::from(scores[middle])
        } else {
            (f64::from(scores[middle - 1]) + f64::from(scores[middle])) / 2.0
        };
        return if median.fract() == 0.0 { format!("{median:.0}") } else { format!("{median:.1}") };
    }
    let mut letters: BTreeMap<char, usize> = BTreeMap::new();
    for outcome in assessed {
        if let Outcome::Letter(letter) = outcome {
            *letters.entry(*letter).or_default() += 1;
        }
    }
    if !letters.is_empty() {
        let parts: Vec<String> = letters
            .iter()
            .map(|(l, n)| if *n == 1 { l.to_string() } else { format!("{l} ×{n}") })
            .collect();
        return parts.join(", ");
    }
    assessed
        .iter()
        .rev()
        .find_map(|o| if let Outcome::Value { value, .. } = o { Some(value.clone()) } else { None })
        .unwrap_or_default()
}

/// How long ago a date was, in words: `today`, `5 days`, `3 months`, `2 years`.
pub fn age(date: Date, today: Date) -> String {
    let days = (today - date).get_days();
    let plural =
        |n: i32, unit: &str| if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") };
    match days {
        i32::MIN..=0 => "today".into(),
        1..=60 => plural(days, "day"),
        61..=730 => plural(days / 30, "month"),
        _ => plural(days / 365, "year"),
    }
}

/// The rubrics as the methodology page shows them, criteria grouped.
pub fn rubric_views(rubrics: &[Rubric]) -> Vec<RubricView> {
    rubrics
        .iter()
        .map(|rubric| {
            let mut groups: Vec<GroupView> = Vec::new();
            for criterion in &rubric.criteria {
                let view = CriterionView {
                    id: criterion.id.clone(),
                    name: criterion.name.clone(),
                    kind: criterion.kind.label(),
                    weight: criterion.weight,
                    optional: criterion.optional,
                    question: criterion.question.clone(),
                    levels: criterion
                        .levels
                        .iter()
                        .map(|(n, text)| {
                            let label =
                                SCALE.iter().find(|(level, _)| level == n).map_or("", |(_, l)| l);
                            (format!("{n} {label}"), text.clone())
                        })
                        .chain(
                            criterion.letters.iter().map(|(l, text)| (l.to_string(), text.clone())),
                        )
                        .collect(),
                    evidence: criterion.evidence.clone(),
                };
                match groups.iter_mut().find(|g| g.name == criterion.group) {
                    Some(group) => group.criteria.push(view),
                    None => groups
                        .push(GroupView { name: criterion.group.clone(), criteria: vec![view] }),
                }
            }
            RubricView {
                id: rubric.id.clone(),
                name: rubric.name.clone(),
                version: rubric.version,
                applies_to: rubric.applies_to.iter().map(|k| k.label()).collect(),
                published: human_date(rubric.published),
                description: rubric.description.clone(),
                groups,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_even_counts_average_the_middle_pair() {
        let (two, three, four) = (Outcome::Score(2), Outcome::Score(3), Outcome::Score(4));
        assert_eq!(summarise(&[&three, &four]), "3.5");
        assert_eq!(summarise(&[&four, &two, &three]), "3");
        assert_eq!(summarise(&[]), "");
    }

    #[test]
    fn letters_are_tallied_not_averaged() {
        let (b, c) = (Outcome::Letter('B'), Outcome::Letter('C'));
        assert_eq!(summarise(&[&b, &c, &b]), "B ×2, C");
    }

    #[test]
    fn evidence_links_are_shortened_for_reading() {
        let long = url::Url::parse(
            "https://github.com/MISP/MISP/blob/21d3edc61952c1618f83668a7b1a183898254eb2/README.md",
        )
        .unwrap();
        assert_eq!(short_link(&long), "github.com/MISP/MISP/…/README.md");
        let short = url::Url::parse("https://www.first.org/epss/api").unwrap();
        assert_eq!(short_link(&short), "first.org/epss/api");
    }

    #[test]
    fn ages_read_as_people_say_them() {
        let day = |y, m, d| jiff::civil::date(y, m, d);
        assert_eq!(age(day(2026, 12, 3), day(2026, 12, 3)), "today");
        assert_eq!(age(day(2026, 12, 1), day(2026, 12, 3)), "2 days");
        assert_eq!(age(day(2026, 6, 1), day(2026, 12, 3)), "6 months");
        assert_eq!(age(day(2023, 12, 1), day(2026, 12, 3)), "3 years");
    }
}
