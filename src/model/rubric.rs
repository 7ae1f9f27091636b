//! Rubrics: the standard evaluation procedure, one YAML file per version in
//! `entries/rubrics/` (`tool-1.yaml`, `data-1.yaml`).
//!
//! A rubric never changes in place. A change, even to wording, is a new
//! file with the next version number, and each evaluation names the version
//! it used, so published scores always mean what they meant when given.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::entry::Kind;
use super::shapes::{Day, Letters, Levels, Slug};
use super::{FieldChecker, Vocabulary, is_slug, vocabulary};
use crate::diagnostics::Diagnostic;

/// The graded scale every graded criterion uses: 1 to 4.
pub const SCALE: [(u8, &str); 4] = [(1, "Poor"), (2, "Fair"), (3, "Good"), (4, "Excellent")];

/// The Admiralty source-reliability letters.
pub const LETTERS: [char; 6] = ['A', 'B', 'C', 'D', 'E', 'F'];

vocabulary! {
    /// How a criterion is answered.
    CriterionKind {
        /// A score on the 1–4 scale (Poor, Fair, Good, Excellent).
        Graded = "graded", "Graded 1–4";
        /// A letter from A to F, as in the Admiralty source-reliability scale.
        Letter = "letter", "Letter A–F";
        /// A short description, not a grade (for example the type of output).
        Described = "described", "Described";
        /// A measured figure over a stated window (for example latency).
        Measured = "measured", "Measured";
    }
}

/// One question of a rubric.
#[derive(Debug, Clone)]
pub struct Criterion {
    /// `id`: the slug evaluations use to answer it. Required.
    pub id: String,
    /// `group`: the block it belongs to (for example `fitness`, `health`),
    /// a slug. Required.
    pub group: String,
    /// `name`: the criterion as shown to readers. Required.
    pub name: String,
    /// `kind`: `graded`, `letter`, `described` or `measured`. Required.
    pub kind: CriterionKind,
    /// `weight`: how much it matters relative to the others, 1 to 10;
    /// defaults to 1. Shown on the methodology page; never summed into one
    /// opaque score.
    pub weight: u8,
    /// `question`: the question the criterion answers. Required.
    pub question: String,
    /// `levels`: for graded criteria, what each score 1 to 4 means. All four
    /// are required.
    pub levels: Vec<(u8, String)>,
    /// `letters`: for letter criteria, what each letter A to F means. All
    /// six are required.
    pub letters: Vec<(char, String)>,
    /// `evidence`: what counts as evidence for an answer. Required.
    pub evidence: String,
    /// `optional`: whether an evaluation may leave it out entirely (measured
    /// metrics that need data few teams have). Defaults to `false`.
    pub optional: bool,
}

/// A validated rubric.
#[derive(Debug, Clone)]
pub struct Rubric {
    /// The file it was read from.
    pub path: PathBuf,
    /// `id`: `<name>-<version>`, equal to the file name, e.g. `tool-1`.
    pub id: String,
    /// `name`: the rubric's title. Required.
    pub name: String,
    /// `version`: a whole number, the suffix of `id`. Required.
    pub version: u32,
    /// `applies_to`: the entry kinds it evaluates. Required.
    pub applies_to: Vec<Kind>,
    /// `published`: the date this version was published. Required.
    pub published: Date,
    /// `description`: what it is for and what it builds on. Required.
    pub description: String,
    /// `criteria`: the questions, in the order pages show them. Required.
    pub criteria: Vec<Criterion>,
}

impl Rubric {
    /// The criterion with this id.
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }
}

/// A rubric file as written. Unknown keys are errors.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "CSIRT Commons rubric",
    description = "One version of an evaluation rubric: entries/rubrics/<name>-<version>.yaml. A published version never changes; a change is a new file."
)]
pub struct RawRubric {
    /// `<name>-<version>`, equal to the file name, e.g. `tool-1`.
    #[schemars(required, with = "Slug")]
    pub id: Option<Spanned<String>>,
    /// The rubric's title.
    #[schemars(required, with = "String", length(min = 1))]
    pub name: Option<Spanned<String>>,
    /// A whole number, the suffix of `id`.
    #[schemars(required, with = "u32", range(min = 1))]
    pub version: Option<Spanned<u32>>,
    /// The entry kinds it evaluates.
    #[schemars(required, with = "Vec<Kind>", length(min = 1))]
    pub applies_to: Option<Spanned<Vec<Spanned<String>>>>,
    /// The date this version was published, `YYYY-MM-DD`.
    #[schemars(required, with = "Day")]
    pub published: Option<Spanned<String>>,
    /// What it is for and what it builds on.
    #[schemars(required, with = "String", length(min = 1))]
    pub description: Option<Spanned<String>>,
    /// The questions, in the order pages show them.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub criteria: Vec<RawCriterion>,
}

/// One criterion as written. Unknown keys are errors.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCriterion {
    /// The slug evaluations use to answer it.
    #[schemars(with = "Slug")]
    pub id: Spanned<String>,
    /// The block it belongs to, a slug such as `fitness` or `health`.
    #[schemars(required, with = "Slug")]
    pub group: Option<Spanned<String>>,
    /// The criterion as shown to readers.
    #[schemars(required, with = "String", length(min = 1))]
    pub name: Option<Spanned<String>>,
    /// How it is answered.
    #[schemars(required, with = "CriterionKind")]
    pub kind: Option<Spanned<String>>,
    /// How much it matters relative to the others, 1 to 10; defaults to 1. Never summed into one score.
    #[serde(default)]
    #[schemars(with = "u8", range(min = 1, max = 10))]
    pub weight: Option<Spanned<u8>>,
    /// The question the criterion answers.
    #[schemars(required, with = "String", length(min = 1))]
    pub question: Option<Spanned<String>>,
    /// For graded criteria: what each score 1 to 4 means.
    #[serde(default)]
    #[schemars(with = "Levels")]
    pub levels: Option<Spanned<BTreeMap<u8, String>>>,
    /// For letter criteria: what each letter A to F means.
    #[serde(default)]
    #[schemars(with = "Letters")]
    pub letters: Option<Spanned<BTreeMap<char, String>>>,
    /// What counts as evidence for an answer.
    #[schemars(required, with = "String", length(min = 1))]
    pub evidence: Option<Spanned<String>>,
    /// Whether an evaluation may leave it out entirely; defaults to `false`.
    pub optional: Option<bool>,
}

/// Validates one rubric file.
pub fn validate(path: &Path, stem: &str, raw: &RawRubric) -> Result<Rubric, Vec<Diagnostic>> {
    let mut check = FieldChecker::new(path, 1);
    let id = check.required(&raw.id, "id").cloned();
    let version = check.required(&raw.version, "version").map(|v| v.value);
    if let (Some(id), Some(version)) = (&id, version) {
        let expected = format!("-{version}");
        if id.value != stem {
            check.report(
                id,
                format!("rubric id `{}` differs from its file name `{stem}`", id.value),
                Some(format!("rename the file to `{}.yaml`", id.value)),
            );
        } else if !id.value.ends_with(&expected) || !is_slug(&id.value) {
            check.report(
                id,
                format!("rubric id `{}` must be a slug ending in `{expected}`", id.value),
                Some("e.g. `tool-2` for version 2 of the tool rubric".into()),
            );
        }
    }
    let name = check.required(&raw.name, "name").and_then(|v| check.line_of_text(v, "name", 80));
    let applies_to = check
        .required(&raw.applies_to, "applies_to")
        .map(|v| check.words::<Kind>(&v.value, "kind"));
    let published =
        check.required(&raw.published, "published").and_then(|v| check.date(v, "published"));
    let description =
        check.required(&raw.description, "description").map(|v| v.value.trim().to_string());

    let mut seen = BTreeSet::new();
    let criteria: Vec<Criterion> =
        raw.criteria.iter().filter_map(|c| criterion(&mut check, c, &mut seen)).collect();
    if raw.criteria.is_empty() {
        check.problems.push(Diagnostic::file(path, "a rubric needs at least one criterion"));
    }
    let rubric = || {
        Some(Rubric {
            path: path.to_path_buf(),
            id: id?.value,
            name: name?,
            version: version?,
            applies_to: applies_to?,
            published: published?,
            description: description?,
            criteria,
        })
    };
    match rubric() {
        Some(rubric) if check.problems.is_empty() => Ok(rubric),
        _ => Err(check.problems),
    }
}

fn criterion(
    check: &mut FieldChecker,
    raw: &RawCriterion,
    seen: &mut BTreeSet<String>,
) -> Option<Criterion> {
    let id = &raw.id;
    if !is_slug(&id.value) {
        check.report(id, format!("criterion id `{}` is not a valid slug", id.value), None);
    } else if !seen.insert(id.value.clone()) {
        check.report(id, format!("criterion `{}` is defined twice", id.value), None);
    }
    let group = raw.group.as_ref().and_then(|v| check.token(v, "group"));
    if raw.group.is_none() {
        check.report(id, format!("criterion `{}` has no `group`", id.value), None);
    }
    let name = field(check, id, &raw.name, "name");
    let question = field(check, id, &raw.question, "question");
    let evidence = field(check, id, &raw.evidence, "evidence");
    let kind = match &raw.kind {
        Some(kind) => check.word::<CriterionKind>(kind, "criterion kind"),
        None => {
            check.report(
                id,
                format!("criterion `{}` has no `kind`", id.value),
                Some(format!("use one of {}", CriterionKind::choices())),
            );
            None
        }
    }?;
    let weight = raw.weight.as_ref().map_or(1, |w| w.value);
    if !(1..=10).contains(&weight) {
        check.report(
            raw.weight.as_ref()?,
            format!("`weight` must be between 1 and 10, not {weight}"),
            None,
        );
    }

    let levels: Vec<(u8, String)> =
        raw.levels.as_ref().map(|l| l.value.clone().into_iter().collect()).unwrap_or_default();
    let letters: Vec<(char, String)> =
        raw.letters.as_ref().map(|l| l.value.clone().into_iter().collect()).unwrap_or_default();
    let wanted_levels: Vec<u8> = SCALE.iter().map(|(n, _)| *n).collect();
    match kind {
        CriterionKind::Graded
            if levels.iter().map(|(n, _)| *n).collect::<Vec<_>>() != wanted_levels =>
        {
            let message = format!(
                "graded criterion `{}` must describe each level 1, 2, 3 and 4 under `levels`",
                id.value
            );
            match &raw.levels {
                Some(levels) => check.report(levels, message, None),
                None => check.report(id, message, None),
            }
        }
        CriterionKind::Letter if letters.iter().map(|(c, _)| *c).collect::<Vec<_>>() != LETTERS => {
            check.report(
                id,
                format!(
                    "letter criterion `{}` must describe each letter A to F under `letters`",
                    id.value
                ),
                None,
            );
        }
        CriterionKind::Described | CriterionKind::Measured
            if !levels.is_empty() || !letters.is_empty() =>
        {
            check.report(
                id,
                format!(
                    "criterion `{}` is `{}`: it takes no `levels` or `letters`",
                    id.value,
                    kind.slug()
                ),
                None,
            );
        }
        _ => {}
    }
    Some(Criterion {
        id: id.value.clone(),
        group: group?,
        name: name?,
        kind,
        weight,
        question: question?,
        levels,
        letters,
        evidence: evidence?,
        optional: raw.optional.unwrap_or(false),
    })
}

/// A required text field of a criterion, reported at the criterion's id.
fn field(
    check: &mut FieldChecker,
    id: &Spanned<String>,
    value: &Option<Spanned<String>>,
    name: &str,
) -> Option<String> {
    match value {
        Some(value) => check.line_of_text(value, name, 400),
        None => {
            check.report(id, format!("criterion `{}` has no `{name}`", id.value), None);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rubric_from(yaml: &str, stem: &str) -> Result<Rubric, Vec<String>> {
        let path = Path::new("entries/rubrics/x.yaml");
        let raw: RawRubric =
            crate::load::parse_yaml(path, yaml, 1).map_err(|d| vec![d.to_string()])?;
        validate(path, stem, &raw).map_err(|all| all.iter().map(|d| d.to_string()).collect())
    }

    const HEADER: &str = "id: tool-2\nname: T\nversion: 2\napplies_to: [tool]\n\
                          published: 2026-12-03\ndescription: D\ncriteria:\n";

    #[test]
    fn a_valid_rubric_keeps_its_criteria_in_order() {
        let yaml = format!(
            "{HEADER}  - {{id: b, group: g, name: B, kind: described, question: Q?, evidence: E}}\n  \
             - {{id: a, group: g, name: A, kind: graded, question: Q?, evidence: E, \
             levels: {{1: p, 2: f, 3: g, 4: e}}}}\n"
        );
        let rubric = rubric_from(&yaml, "tool-2").unwrap();
        let ids: Vec<&str> = rubric.criteria.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["b", "a"]);
        assert_eq!(rubric.criteria[1].levels.len(), 4);
    }

    #[test]
    fn graded_criteria_must_describe_all_four_levels() {
        let yaml = format!(
            "{HEADER}  - {{id: a, group: g, name: A, kind: graded, question: Q?, evidence: E, \
             levels: {{1: p, 2: f, 4: e}}}}\n"
        );
        let problems = rubric_from(&yaml, "tool-2").unwrap_err();
        assert!(problems[0].contains("must describe each level 1, 2, 3 and 4"), "{problems:?}");
    }

    #[test]
    fn a_level_given_twice_is_a_duplicate_key() {
        let yaml = format!(
            "{HEADER}  - {{id: a, group: g, name: A, kind: graded, question: Q?, evidence: E, \
             levels: {{1: p, 2: f, 3: g, 3: h, 4: e}}}}\n"
        );
        let problems = rubric_from(&yaml, "tool-2").unwrap_err();
        assert!(problems[0].contains("duplicate key `3`"), "{problems:?}");
    }

    #[test]
    fn the_id_matches_the_file_name_and_ends_in_the_version() {
        let problems = rubric_from(&format!("{HEADER}  - {{id: a, group: g, name: A, kind: described, question: Q?, evidence: E}}\n"), "tool-1").unwrap_err();
        assert!(
            problems[0].contains("rubric id `tool-2` differs from its file name `tool-1`"),
            "{problems:?}"
        );
        let renamed = HEADER.replace("version: 2", "version: 3");
        let problems = rubric_from(&format!("{renamed}  - {{id: a, group: g, name: A, kind: described, question: Q?, evidence: E}}\n"), "tool-2").unwrap_err();
        assert!(problems[0].contains("must be a slug ending in `-3`"), "{problems:?}");
    }
}
