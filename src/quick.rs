//! An edit to one entry, shown before the whole site is rebuilt.
//!
//! `commons serve` rebuilds the whole site after every change: about 1.5 s
//! at 10,000 entries. When the change is to one entry file that the last
//! good build knew, the preview first checks that file against the last
//! good catalogue and renders its page alone — the same bytes the whole
//! build makes, since both go through [`render::pages::entry_page`]'s
//! code — so the open page shows the edit, or the file's problems, at once.
//! The whole build follows and has the last word: it alone updates
//! listings, search and exports, and finds problems in other files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::diagnostics::Diagnostics;
use crate::load::{self, Loaded};
use crate::model::entry::{self, Folder, Known, RawEntry};
use crate::render::{self, pages::Page};
use crate::validate::Catalogue;

/// What a quick look at one edited entry found.
#[derive(Debug)]
pub enum Quick {
    /// The entry is valid: its new page.
    Page(Page),
    /// The problems of the edited file.
    Problems(Diagnostics),
}

/// The quick answer to a change to the file at `path` alone, given
/// `last`, the catalogue of the last good build of `root`. `None` when the
/// file is not an entry `last` holds, when it was removed, when it changed
/// kind (evaluations are checked against kinds), or when the settings
/// cannot be read: the whole build then answers alone.
pub fn entry_edit(root: &Path, last: &Catalogue, path: &Path, today: Date) -> Option<Quick> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let changed = absolute(path);
    let slug = changed.file_stem()?.to_str()?;
    let at = last.entries.binary_search_by(|e| e.slug.as_str().cmp(slug)).ok()?;
    let old = &last.entries[at];
    // A removed entry is no edit: the whole build says what follows.
    if absolute(&old.path) != changed || !changed.is_file() {
        return None;
    }
    let folder = match changed.parent()?.file_name()?.to_str()? {
        "tools" => Folder::Tools,
        "data" => Folder::Data,
        _ => return None,
    };
    let mut settings_problems = Diagnostics::default();
    let settings = crate::settings::load(root, &mut settings_problems);
    if !settings_problems.is_empty() {
        return None;
    }

    // Read through the path the last build used, so problems name the file
    // the way the whole build does.
    let file: Loaded<RawEntry> = match load::load_markdown_file(&old.path) {
        Ok(file) => file,
        Err(problems) => return Some(Quick::Problems(problems)),
    };
    let slugs =
        |items: &mut dyn Iterator<Item = &String>| -> BTreeSet<String> { items.cloned().collect() };
    let orgs = slugs(&mut last.orgs.iter().map(|o| &o.slug));
    let categories = slugs(&mut last.categories.iter().map(|t| &t.slug));
    let classes = slugs(&mut last.incident_classes.iter().map(|t| &t.slug));
    let phases = slugs(&mut last.phases.iter().map(|t| &t.slug));
    let types = crate::model::taxonomy::class_of_types(&last.incident_classes);
    let known = Known {
        orgs: Some(&orgs),
        categories: Some(&categories),
        incident_classes: Some(&classes),
        incident_types: Some(&types),
        phases: Some(&phases),
    };
    let new = match entry::validate(file, folder, &known) {
        Ok(new) => new,
        Err(found) => return Some(Quick::Problems(diagnostics(found))),
    };
    if new.kind != old.kind {
        return None;
    }
    Some(match render::pages::entry_page(last, &new, &settings, today) {
        Ok(page) => Quick::Page(page),
        Err(found) => Quick::Problems(diagnostics(found)),
    })
}

fn diagnostics(found: Vec<crate::diagnostics::Diagnostic>) -> Diagnostics {
    let mut problems = Diagnostics::default();
    problems.extend(found);
    problems
}

/// Of the paths an editor's save touched, the ones the build reads or may
/// read: not hidden files, editors' backups and probes, or temporary files
/// (whose names end in something other than `.md` or `.yaml`). A path
/// without an extension may be a folder, and is kept.
pub fn read_by_build(paths: impl IntoIterator<Item = PathBuf>) -> Vec<PathBuf> {
    paths
        .into_iter()
        .filter(|path| {
            let name = path.file_name().unwrap_or_default();
            let extension = path.extension().and_then(|e| e.to_str());
            !load::is_ignored(name) && matches!(extension, None | Some("md" | "yaml"))
        })
        .collect()
}
