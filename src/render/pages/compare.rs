//! The comparison view (#8): two to four entries side by side, their facts
//! and evaluation summaries.
//!
//! - `compare/<category>.html`, then `compare/<category>/page/<n>.html`: the
//!   evaluated entries of each category that has at least two, in name
//!   order, in tables of up to [`COLUMNS`] entries, [`TABLES_PER_PAGE`]
//!   tables to a page, so no page grows with the catalogue.
//! - `compare.html`: lists those pages; with JavaScript (`static/compare.js`)
//!   it compares the entries named in its `?e=` parameter.
//! - `compare/d/<n>.js`: every entry as a table column, in catalogue (slug)
//!   order, [`RECORDS_PER_FILE`] to a file; `compare/d/index.js`: the first
//!   slug of each file, the row labels and the rubrics' criteria. Like the
//!   search index, each file calls a function (`__ccCompare.i` or
//!   `__ccCompare.d`), because pages opened from disk can load scripts but
//!   not fetch files. A comparison of four entries loads the index and at
//!   most four of these files.
//!
//! The pages and the script build their tables from the same [`Column`]s
//! and the same rules ([`table`] here, `tableGroups` in `compare.js`), so a
//! comparison reads the same either way.
//!
//! This module is a child of `pages`, whose entry views it reads.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use super::{Data, EntryView, Job, Page, Pager, TermView, base_context, page_path};
use crate::index::browser::RECORDS_PER_FILE;
use crate::model::rubric::Rubric;
use crate::settings::Settings;
use crate::validate::Catalogue;

/// The most entries one table sets side by side.
pub const COLUMNS: usize = 4;

/// How many tables a page of a category's comparison holds: at most 20
/// entries.
pub const TABLES_PER_PAGE: usize = 5;

/// The folder of the script data.
const DATA_FOLDER: &str = "compare/d";

/// The version of the script data's shape.
const DATA_VERSION: u32 = 1;

/// The rows of facts, in order; each column holds one cell for each.
const FACTS: [&str; 14] = [
    "Kind",
    "Maintainer",
    "Licence",
    "Cost",
    "Access",
    "Deployment",
    "Platforms",
    "Data formats",
    "Incident classes",
    "Incident types",
    "Response phases",
    "Status",
    "Update frequency",
    "Last reviewed",
];

/// The rows of the evaluation summary that every entry has, after the facts.
const EVALUATION_ROWS: [&str; 2] = ["Evaluations", "Newest evaluation"];

/// The heading of the evaluation rows.
const EVALUATION_GROUP: &str = "Evaluation summary";

/// What a criterion's cell says when its entry was evaluated with the
/// rubric but nobody assessed the criterion.
const NOT_ASSESSED: &str = "Not assessed";

/// Part of a table cell: text, and the page it links to, from the site's
/// root. Written as `[text]` or `[text, page]`; a cell of no parts shows
/// as a dash.
#[derive(Debug, Clone, PartialEq)]
struct Part {
    text: String,
    page: Option<String>,
}

impl Part {
    fn text(text: impl Into<String>) -> Self {
        Part { text: text.into(), page: None }
    }

    fn link(text: impl Into<String>, page: String) -> Self {
        Part { text: text.into(), page: Some(page) }
    }
}

impl Serialize for Part {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(1 + usize::from(self.page.is_some())))?;
        seq.serialize_element(&self.text)?;
        if let Some(page) = &self.page {
            seq.serialize_element(page)?;
        }
        seq.end()
    }
}

/// One entry as a column of comparison tables: what the pages show and
/// the script data holds, with short keys since the data covers the whole
/// catalogue.
#[derive(Debug, Serialize)]
struct Column<'a> {
    /// The entry's slug.
    #[serde(rename = "s")]
    slug: &'a str,
    /// Its name.
    #[serde(rename = "n")]
    name: &'a str,
    /// One cell for each of [`FACTS`], then of [`EVALUATION_ROWS`].
    #[serde(rename = "f")]
    cells: Vec<Vec<Part>>,
    /// The ids of the rubrics its evaluations used.
    #[serde(rename = "r")]
    rubrics: Vec<&'a str>,
    /// Each criterion's result as its entry page shows it, by criterion
    /// id; empty when nobody assessed it.
    #[serde(rename = "c")]
    criteria: BTreeMap<&'a str, &'a str>,
}

/// The column of an entry.
fn column(view: &EntryView) -> Column<'_> {
    let texts = |items: &[String]| items.iter().map(Part::text).collect::<Vec<_>>();
    let summary = &view.evaluations;
    let slug = view.card.slug.as_str();
    let classes = if view.incident_any {
        vec![Part::text("Any incident class")]
    } else {
        let link = |c: &super::Link| Part::link(&c.name, format!("incident/{}.html", c.slug));
        view.incident_classes.iter().map(link).collect()
    };
    let count = summary.count();
    let evaluations = match count {
        0 => Part::text("Not evaluated"),
        1 => Part::link("1 evaluation", format!("entry/{slug}.html#evaluations")),
        n => Part::link(format!("{n} evaluations"), format!("entry/{slug}.html#evaluations")),
    };
    let cells = vec![
        vec![Part::text(view.card.kind_label)],
        vec![Part::link(&view.maintainer.name, format!("org/{}.html", view.maintainer.slug))],
        vec![Part::text(&view.licence)],
        vec![Part::text(view.cost)],
        vec![Part::text(view.access)],
        view.deployment.iter().map(|d| Part::text(*d)).collect(),
        texts(&view.platforms),
        texts(&view.formats),
        classes,
        view.incident_types.iter().map(|t| Part::link(&t.name, t.page.clone())).collect(),
        view.phases.iter().map(|p| Part::text(&p.name)).collect(),
        vec![Part::text(view.card.status_label)],
        view.update_frequency.iter().map(|f| Part::text(*f)).collect(),
        vec![Part::text(&view.last_reviewed_label)],
        vec![evaluations],
        summary.newest_label().map(Part::text).into_iter().collect(),
    ];
    Column {
        slug,
        name: &view.card.name,
        cells,
        rubrics: summary.rubrics(),
        criteria: summary.results().collect(),
    }
}

/// A comparison table as the template draws it.
#[derive(Debug, Serialize)]
struct Table<'a> {
    caption: String,
    /// How many columns the table has, the row headers' included.
    span: usize,
    columns: Vec<Head<'a>>,
    groups: Vec<Group<'a>>,
}

/// The head of a column: the entry it shows.
#[derive(Debug, Serialize)]
struct Head<'a> {
    slug: &'a str,
    name: &'a str,
}

/// Rows under one heading (none for the facts).
#[derive(Debug, Serialize)]
struct Group<'a> {
    name: Option<String>,
    rows: Vec<TableRow<'a>>,
}

/// A row: its header and a cell for each column.
#[derive(Debug, Serialize)]
struct TableRow<'a> {
    label: &'a str,
    cells: Vec<Vec<Part>>,
}

/// `names` as a sentence: `A`, `A and B`, `A, B and C`.
fn joined(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The table of `columns`: facts, the evaluation summary, then the
/// criteria of each rubric any of them was evaluated with (`rubrics` in
/// catalogue order). An entry not evaluated with a rubric has a dash for
/// its criteria; nothing is made up for it.
fn table<'a>(columns: &[Column<'a>], rubrics: &'a [Rubric]) -> Table<'a> {
    let names: Vec<&str> = columns.iter().map(|c| c.name).collect();
    let rows = |labels: &'static [&'static str], offset: usize| -> Vec<TableRow<'a>> {
        labels
            .iter()
            .enumerate()
            .map(|(n, label)| TableRow {
                label,
                cells: columns
                    .iter()
                    .map(|c| c.cells.get(offset + n).cloned().unwrap_or_default())
                    .collect(),
            })
            .collect()
    };
    let mut groups = vec![
        Group { name: None, rows: rows(&FACTS, 0) },
        Group { name: Some(EVALUATION_GROUP.into()), rows: rows(&EVALUATION_ROWS, FACTS.len()) },
    ];
    for rubric in rubrics {
        let used = |c: &Column| c.rubrics.contains(&rubric.id.as_str());
        if !columns.iter().any(used) {
            continue;
        }
        let rows = rubric
            .criteria
            .iter()
            .map(|criterion| TableRow {
                label: &criterion.name,
                cells: columns
                    .iter()
                    .map(|c| match c.criteria.get(criterion.id.as_str()) {
                        _ if !used(c) => Vec::new(),
                        Some(result) if !result.is_empty() => vec![Part::text(*result)],
                        _ => vec![Part::text(NOT_ASSESSED)],
                    })
                    .collect(),
            })
            .collect();
        groups.push(Group { name: Some(rubric_heading(rubric)), rows });
    }
    Table {
        caption: format!("{} side by side", joined(&names)),
        span: columns.len() + 1,
        columns: columns.iter().map(|c| Head { slug: c.slug, name: c.name }).collect(),
        groups,
    }
}

/// The heading above a rubric's criteria.
fn rubric_heading(rubric: &Rubric) -> String {
    format!("{} ({})", rubric.name, rubric.id)
}

/// `count` entries cut into tables of at most [`COLUMNS`], as even as
/// can be, so that no table holds a lone entry when there are two or more:
/// the sizes of the tables, in order.
fn table_sizes(count: usize) -> Vec<usize> {
    let tables = count.div_ceil(COLUMNS);
    (0..tables).map(|n| count / tables + usize::from(n < count % tables)).collect()
}

/// The evaluated entries of each category with at least two of them, in
/// the order of `sorted` (by name), by category slug.
pub(super) fn evaluated_by_category<'a>(
    sorted: &[&'a EntryView],
) -> BTreeMap<&'a str, Vec<&'a EntryView>> {
    let mut by_category: BTreeMap<&str, Vec<&EntryView>> = BTreeMap::new();
    for view in sorted.iter().filter(|v| v.card.evaluation.count > 0) {
        for category in &view.card.categories {
            by_category.entry(category.slug.as_str()).or_default().push(view);
        }
    }
    by_category.retain(|_, views| views.len() >= 2);
    by_category
}

/// A category with a comparison page, as `compare.html` lists it.
#[derive(Debug, Serialize)]
struct Compared<'t> {
    slug: &'t str,
    name: &'t str,
    count: usize,
}

/// The comparison pages of each category in `compared`, and
/// `compare.html`.
pub(super) fn jobs<'a>(
    catalogue: &'a Catalogue,
    settings: &'a Settings,
    terms: &[TermView],
    compared: &BTreeMap<&'a str, Vec<&'a EntryView>>,
) -> Vec<Job<'a>> {
    let mut jobs = Vec::new();
    let mut listed = Vec::new();
    for term in terms {
        let Some(views) = compared.get(term.slug.as_str()) else { continue };
        listed.push(Compared { slug: &term.slug, name: &term.name, count: views.len() });
        jobs.extend(category_pages(catalogue, settings, term, views));
    }
    let mut context = base_context(settings, "compare.html", "Compare entries");
    context.insert(
        "description",
        "Two to four entries side by side: their facts and evaluation summaries.",
    );
    context.insert("categories", &listed);
    context.insert("columns", &COLUMNS);
    jobs.push(Job {
        path: "compare.html".into(),
        template: "compare.html",
        context: Data::Ready(context),
    });
    jobs
}

/// The pages comparing the evaluated entries `views` of one category.
fn category_pages<'a>(
    catalogue: &'a Catalogue,
    settings: &'a Settings,
    term: &TermView,
    views: &[&'a EntryView],
) -> Vec<Job<'a>> {
    let first = format!("compare/{}.html", term.slug);
    let sizes = table_sizes(views.len());
    let pages: Vec<&[usize]> = sizes.chunks(TABLES_PER_PAGE).collect();
    let (count, total) = (pages.len(), views.len());
    let mut start = 0;
    let mut jobs = Vec::new();
    for (n, sizes) in pages.into_iter().enumerate() {
        let number = n + 1;
        let end = start + sizes.iter().sum::<usize>();
        let pager = Pager {
            number,
            count,
            total,
            first: start + 1,
            last: end,
            previous: (number > 1).then(|| page_path(&first, number - 1)),
            next: (number < count).then(|| page_path(&first, number + 1)),
        };
        let (term, sizes) = (term.clone(), sizes.to_vec());
        let views: Vec<&EntryView> = views[start..end].to_vec();
        jobs.push(Job::lazy(page_path(&first, number), "compare-category.html", move |path| {
            let mut context = base_context(settings, path, &format!("Compare: {}", term.name));
            context.insert(
                "description",
                &format!("The evaluated entries of {} side by side.", term.name),
            );
            let columns: Vec<Column> = views.iter().map(|v| column(v)).collect();
            let mut tables = Vec::new();
            let mut at = 0;
            for size in &sizes {
                tables.push(table(&columns[at..at + size], &catalogue.rubrics));
                at += size;
            }
            context.insert("term", &term);
            context.insert("tables", &tables);
            context.insert("pager", &pager);
            context
        }));
        start = end;
    }
    jobs
}

/// What `compare/d/index.js` holds.
#[derive(Serialize)]
struct Index<'a> {
    version: u32,
    /// How many entries each data file holds.
    per_file: usize,
    /// The first slug of each data file, in order: an entry is in the last
    /// file whose first slug is not after its own.
    first: Vec<&'a str>,
    /// The rows every column has cells for, under their headings.
    groups: [(Option<&'static str>, &'static [&'static str]); 2],
    /// Each rubric's id, heading and criteria as `[id, name]`, in catalogue
    /// order.
    rubrics: Vec<RubricRows<'a>>,
}

/// A rubric as the script data has it: id, heading, criteria as `[id, name]`.
#[derive(Serialize)]
struct RubricRows<'a>(&'a str, String, Vec<(&'a str, &'a str)>);

/// Writes the script data (`compare/d/`) of every entry to `sink`, in
/// parallel; returns how many files it made. `views` are in catalogue
/// order, which is by slug.
pub(super) fn data_files(
    catalogue: &Catalogue,
    views: &[EntryView],
    sink: &(dyn Fn(Page) + Sync),
) -> usize {
    views.par_chunks(RECORDS_PER_FILE).enumerate().for_each(|(n, group)| {
        let columns: Vec<Column> = group.iter().map(column).collect();
        sink(script(&format!("{DATA_FOLDER}/{n}.js"), "d", &(n, columns)));
    });
    let index = Index {
        version: DATA_VERSION,
        per_file: RECORDS_PER_FILE,
        first: views.chunks(RECORDS_PER_FILE).map(|group| group[0].card.slug.as_str()).collect(),
        groups: [(None, &FACTS), (Some(EVALUATION_GROUP), &EVALUATION_ROWS)],
        rubrics: catalogue
            .rubrics
            .iter()
            .map(|r| {
                let criteria = r.criteria.iter().map(|c| (c.id.as_str(), c.name.as_str()));
                RubricRows(r.id.as_str(), rubric_heading(r), criteria.collect())
            })
            .collect(),
    };
    sink(script(&format!("{DATA_FOLDER}/index.js"), "i", &index));
    views.len().div_ceil(RECORDS_PER_FILE) + 1
}

/// A data file: a call of `__ccCompare.<function>` with `data` as JSON, in
/// which `<` never appears raw, so no value can end a script element.
fn script(path: &str, function: &str, data: &impl Serialize) -> Page {
    Page::script(path, &format!("__ccCompare.{function}"), data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_hold_two_to_four_entries_and_pages_at_most_twenty() {
        assert_eq!(table_sizes(2), [2]);
        assert_eq!(table_sizes(4), [4]);
        assert_eq!(table_sizes(5), [3, 2]);
        assert_eq!(table_sizes(9), [3, 3, 3]);
        assert_eq!(table_sizes(21), [4, 4, 4, 3, 3, 3]);
        for count in 2..200 {
            let sizes = table_sizes(count);
            assert_eq!(sizes.iter().sum::<usize>(), count);
            assert!(sizes.iter().all(|s| (2..=COLUMNS).contains(s)), "{count}: {sizes:?}");
            for page in sizes.chunks(TABLES_PER_PAGE) {
                assert!(page.iter().sum::<usize>() <= COLUMNS * TABLES_PER_PAGE);
            }
        }
    }

    #[test]
    fn captions_name_the_entries_as_a_sentence() {
        assert_eq!(joined(&["A"]), "A");
        assert_eq!(joined(&["A", "B"]), "A and B");
        assert_eq!(joined(&["A", "B", "C"]), "A, B and C");
    }

    #[test]
    fn parts_are_written_as_text_or_text_and_page() {
        let parts = vec![Part::text("Linux"), Part::link("CIRCL", "org/circl.html".into())];
        assert_eq!(
            serde_json::to_string(&parts).unwrap(),
            r#"[["Linux"],["CIRCL","org/circl.html"]]"#
        );
    }

    #[test]
    fn data_files_never_hold_a_raw_angle_bracket() {
        let page = script("compare/d/0.js", "d", &("</script><!--",));
        let text = String::from_utf8(page.bytes).unwrap();
        assert!(!text.contains('<'), "{text}");
        assert!(text.starts_with("__ccCompare.d([\""));
    }
}
