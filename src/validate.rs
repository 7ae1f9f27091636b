//! Stage 2, validate: turn the raw files into a [`Catalogue`] of validated
//! types, resolving every reference and collecting every problem.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::RawCatalogue;
use crate::model::entry::{self, Entry, Folder, Known};
use crate::model::evaluation::{self, Evaluation};
use crate::model::org::{self, Org};
use crate::model::playbook::{self, Playbook};
use crate::model::rubric::{self, Rubric};
use crate::model::taxonomy::{self, RawTerm, Term};

/// The whole validated catalogue, every list sorted for stable output.
#[derive(Debug, Default)]
pub struct Catalogue {
    /// Tools, data sources and services, sorted by slug.
    pub entries: Vec<Entry>,
    /// Organisations, sorted by slug.
    pub orgs: Vec<Org>,
    /// Categories, in the taxonomy file's order.
    pub categories: Vec<Term>,
    /// RSIT incident classes, in the taxonomy file's order.
    pub incident_classes: Vec<Term>,
    /// NIST response phases, in the taxonomy file's order.
    pub phases: Vec<Term>,
    /// Rubric versions, sorted by id.
    pub rubrics: Vec<Rubric>,
    /// Evaluations, sorted by entry, then date, then evaluator.
    pub evaluations: Vec<Evaluation>,
    /// Playbook notes, sorted by the slug of their class or type.
    pub playbooks: Vec<Playbook>,
}

/// Validates everything that was loaded. Returns the catalogue even when
/// some files had problems, so that one run reports all of them; callers
/// must not publish it unless `problems` stays empty.
///
/// Takes the raw catalogue whole, so that bodies move into the validated
/// types rather than being copied: at 100,000 entries the copies took
/// half of the stage's time (700 ms before, 360 ms after).
pub fn validate(raw: RawCatalogue, problems: &mut Diagnostics) -> Catalogue {
    let categories = terms(&raw.categories, problems);
    let incident_classes = terms(&raw.incident_classes, problems);
    let phases = terms(&raw.phases, problems);
    let slugs = |terms: &Option<Vec<Term>>| -> Option<BTreeSet<String>> {
        terms.as_ref().map(|terms| terms.iter().map(|t| t.slug.clone()).collect())
    };
    let (category_slugs, class_slugs, phase_slugs) =
        (slugs(&categories), slugs(&incident_classes), slugs(&phases));
    let type_classes = incident_classes.as_deref().map(taxonomy::class_of_types);
    let mut catalogue = Catalogue {
        categories: categories.unwrap_or_default(),
        incident_classes: incident_classes.unwrap_or_default(),
        phases: phases.unwrap_or_default(),
        ..Catalogue::default()
    };

    // An org whose file had problems still counts as known, so its entries
    // are not blamed for it as well.
    let org_slugs: BTreeSet<String> = raw.orgs.iter().map(|f| f.stem.clone()).collect();
    let RawCatalogue {
        tools,
        data,
        orgs,
        orgs_readable,
        rubrics,
        evaluations,
        entry_stems,
        playbooks,
        ..
    } = raw;
    for file in orgs {
        match org::validate(file) {
            Ok(org) => catalogue.orgs.push(org),
            Err(found) => problems.extend(found),
        }
    }
    let known = Known {
        orgs: orgs_readable.then_some(&org_slugs),
        categories: category_slugs.as_ref(),
        incident_classes: class_slugs.as_ref(),
        incident_types: type_classes.as_ref(),
        phases: phase_slugs.as_ref(),
    };

    let entry_paths: Vec<(String, PathBuf)> =
        tools.iter().chain(&data).map(|f| (f.stem.clone(), f.path.clone())).collect();
    for (files, folder) in [(tools, Folder::Tools), (data, Folder::Data)] {
        let results: Vec<_> =
            files.into_par_iter().map(|file| entry::validate(file, folder, &known)).collect();
        keep(results, &mut catalogue.entries, problems);
    }
    report_collisions("entry", entry_paths.into_iter(), problems);
    catalogue.entries.sort_by(|a, b| a.slug.cmp(&b.slug));
    catalogue.orgs.sort_by(|a, b| a.slug.cmp(&b.slug));

    for (path, stem, raw) in &rubrics {
        match rubric::validate(path, stem, raw) {
            Ok(rubric) => catalogue.rubrics.push(rubric),
            Err(found) => problems.extend(found),
        }
    }
    catalogue.rubrics.sort_by(|a, b| a.id.cmp(&b.id));
    validate_evaluations(evaluations, &entry_stems, &org_slugs, &mut catalogue, problems);

    // The slugs of the classes and of their types.
    let incidents: Option<BTreeSet<String>> = class_slugs.as_ref().map(|_| {
        let classes = &catalogue.incident_classes;
        classes
            .iter()
            .chain(classes.iter().flat_map(|c| &c.types))
            .map(|t| t.slug.clone())
            .collect()
    });
    let results: Vec<_> = playbooks
        .into_iter()
        .map(|file| playbook::validate(file, incidents.as_ref(), &entry_stems))
        .collect();
    keep(results, &mut catalogue.playbooks, problems);
    catalogue.playbooks.sort_by(|a, b| a.slug.cmp(&b.slug));
    catalogue
}

/// Validates every evaluation against the entries, organisations and
/// rubrics already validated.
fn validate_evaluations(
    files: Vec<crate::load::Loaded<evaluation::RawEvaluation>>,
    entry_files: &BTreeSet<String>,
    orgs: &BTreeSet<String>,
    catalogue: &mut Catalogue,
    problems: &mut Diagnostics,
) {
    let known = evaluation::Known {
        entries: &catalogue.entries,
        entry_files,
        orgs,
        rubrics: &catalogue.rubrics,
    };
    let results: Vec<_> = files
        .into_par_iter()
        .map(|file| {
            let folder = file
                .path
                .parent()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned());
            match folder {
                Some(folder) if folder != "evaluations" => {
                    evaluation::validate(file, &folder, &known)
                }
                _ => Err(vec![
                    Diagnostic::file(
                        &file.path,
                        "an evaluation must be in a folder named after its entry",
                    )
                    .hint("move it to `entries/evaluations/<entry>/<date>-<evaluator>.md`"),
                ]),
            }
        })
        .collect();
    let mut evaluations = Vec::new();
    keep(results, &mut evaluations, problems);
    evaluations
        .sort_by(|a, b| (&a.entry, a.date, &a.evaluator).cmp(&(&b.entry, b.date, &b.evaluator)));
    catalogue.evaluations = evaluations;
}

/// Files are validated in parallel; results come back in the files' order,
/// so problems and output do not depend on thread timing. Keeps the valid
/// ones in `valid` and their problems in `problems`.
fn keep<T>(
    results: Vec<Result<T, Vec<Diagnostic>>>,
    valid: &mut Vec<T>,
    problems: &mut Diagnostics,
) {
    for result in results {
        match result {
            Ok(item) => valid.push(item),
            Err(found) => problems.extend(found),
        }
    }
}

/// The terms of one taxonomy file, or `None` if it is missing or invalid
/// (which is reported once, where it is).
fn terms(raw: &Option<(PathBuf, Vec<RawTerm>)>, problems: &mut Diagnostics) -> Option<Vec<Term>> {
    let (path, raw) = raw.as_ref()?;
    match taxonomy::validate(path, raw) {
        Ok(terms) => Some(terms),
        Err(found) => {
            problems.extend(found);
            None
        }
    }
}

/// Reports slugs used by more than one file: they would share a page.
fn report_collisions(
    what: &str,
    items: impl Iterator<Item = (String, PathBuf)>,
    problems: &mut Diagnostics,
) {
    let mut by_slug: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for (slug, path) in items {
        by_slug.entry(slug.to_lowercase()).or_default().push(path);
    }
    for (slug, paths) in by_slug.into_iter().filter(|(_, paths)| paths.len() > 1) {
        for path in &paths {
            let others: Vec<String> =
                paths.iter().filter(|p| *p != path).map(|p| format!("`{}`", p.display())).collect();
            problems.push(
                Diagnostic::file(
                    path,
                    format!("{what} slug `{slug}` is also used by {}", others.join(", ")),
                )
                .hint("two files would write the same page: rename one of them"),
            );
        }
    }
}
