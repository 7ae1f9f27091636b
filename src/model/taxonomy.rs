//! The taxonomy: categories, RSIT incident classes and NIST response phases,
//! each a YAML list of terms in `entries/taxonomy/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::shapes::Slug;
use super::{FieldChecker, is_slug};
use crate::diagnostics::Diagnostic;

/// One term of a taxonomy, as written. Unknown keys are errors.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "CSIRT Commons taxonomy term",
    description = "One term of a taxonomy file in entries/taxonomy/; a file is a list of terms."
)]
pub struct RawTerm {
    /// The identifier entries use, lower-case with hyphens.
    #[schemars(required, with = "Slug")]
    pub slug: Option<Spanned<String>>,
    /// The term as shown to readers.
    #[schemars(required, with = "String", length(min = 1))]
    pub name: Option<Spanned<String>>,
    /// What the term covers, one or two sentences.
    #[schemars(required, with = "String", length(min = 1))]
    pub description: Option<Spanned<String>>,
    /// Finer terms under this one (RSIT incident types under a class).
    #[serde(default)]
    pub types: Vec<RawTerm>,
}

/// A validated taxonomy term.
#[derive(Debug, Clone)]
pub struct Term {
    /// `slug`: the identifier entries use, lower-case with hyphens. Required.
    pub slug: String,
    /// `name`: the term as shown to readers. Required.
    pub name: String,
    /// `description`: what the term covers, one or two sentences. Required.
    pub description: String,
    /// `types`: finer terms under this one (RSIT incident types under a
    /// class), each with the same three fields. Optional.
    pub types: Vec<Term>,
}

/// Each RSIT incident type's slug with its class's slug.
pub fn class_of_types(classes: &[Term]) -> BTreeMap<String, String> {
    classes.iter().flat_map(|c| c.types.iter().map(|t| (t.slug.clone(), c.slug.clone()))).collect()
}

/// Validates the terms of one taxonomy file; slugs must be unique.
pub fn validate(path: &Path, raw: &[RawTerm]) -> Result<Vec<Term>, Vec<Diagnostic>> {
    let mut check = FieldChecker::new(path, 1);
    let mut seen = BTreeSet::new();
    let terms: Vec<Option<Term>> = raw.iter().map(|t| term(&mut check, t, &mut seen)).collect();
    if check.problems.is_empty() {
        Ok(terms.into_iter().flatten().collect())
    } else {
        Err(check.problems)
    }
}

fn term(check: &mut FieldChecker, raw: &RawTerm, seen: &mut BTreeSet<String>) -> Option<Term> {
    let Some(slug) = &raw.slug else {
        check.problems.push(Diagnostic::file(check.path(), "a term has no `slug`"));
        return None;
    };
    if !is_slug(&slug.value) {
        check.report(
            slug,
            format!("`{}` is not a valid slug", slug.value),
            Some("use lower-case letters, digits and hyphens".into()),
        );
    } else if !seen.insert(slug.value.clone()) {
        check.report(slug, format!("slug `{}` is defined twice", slug.value), None);
    }
    let name = check.required(&raw.name, "name").and_then(|v| check.line_of_text(v, "name", 80));
    let description =
        check.required(&raw.description, "description").map(|v| v.value.trim().to_string());
    let types = raw.types.iter().filter_map(|t| term(check, t, seen)).collect();
    Some(Term { slug: slug.value.clone(), name: name?, description: description?, types })
}
