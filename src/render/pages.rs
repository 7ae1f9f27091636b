//! Which pages the site has, and the data each template receives.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use jiff::civil::Date;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use super::evaluations::{self, Lookup, Row, State, Summary};
use super::markdown::{to_safe_html, to_safe_html_linking_entries};
use crate::diagnostics::Diagnostic;
use crate::load::Body;
use crate::model::Vocabulary;
use crate::model::entry::{Entry, IncidentScope, Kind, Licence};
use crate::model::evaluation::{Evaluation, Method};
use crate::model::org::{Org, OrgKind};
use crate::model::taxonomy::Term;
use crate::settings::Settings;
use crate::theme;
use crate::validate::Catalogue;

mod compare;
mod toolkits;

/// The most HTML one body may render to, in bytes.
pub const MAX_BODY_HTML_BYTES: usize = 2 * 1024 * 1024;

/// The most addresses one sitemap file may hold.
const SITEMAP_LIMIT: usize = 50_000;

/// The listing of entries useful for any incident class.
const GENERAL_PAGE: &str = "incident-any.html";

/// How many entries the home page lists as recently added.
const RECENT_COUNT: usize = 12;

/// A finished file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Path under the output folder, `/`-separated, e.g. `entry/misp.html`.
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl Page {
    /// A script file that calls `callee` with `data` as JSON: the search
    /// index and the comparison data are scripts, because pages opened
    /// from disk can load scripts but not fetch files. `<` never appears
    /// raw, so no value can end the script element or open a comment.
    pub fn script(path: &str, callee: &str, data: &impl Serialize) -> Page {
        let json = serde_json::to_string(data).unwrap_or_else(|_| "null".into());
        let json = json.replace('<', "\\u003c");
        Page { path: path.into(), bytes: format!("{callee}({json});\n").into_bytes() }
    }
}

/// A link to another page: its slug and the name shown.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// The page's slug.
    pub slug: String,
    /// The name shown.
    pub name: String,
}

impl Link {
    /// A link to `slug` showing `name`.
    pub fn new(slug: &str, name: &str) -> Self {
        Link { slug: slug.to_string(), name: name.to_string() }
    }
}

/// An entry as listed on index pages.
#[derive(Debug, Clone, Serialize)]
struct Card {
    slug: String,
    name: String,
    kind: &'static str,
    kind_label: &'static str,
    summary: String,
    categories: Vec<Link>,
    status: &'static str,
    status_label: &'static str,
    evaluation: State,
}

/// An entry as shown on its own page.
#[derive(Debug, Serialize)]
struct EntryView {
    #[serde(flatten)]
    card: Card,
    homepage: String,
    repository: Option<String>,
    maintainer: Link,
    licence: String,
    licence_is_spdx: bool,
    cost: &'static str,
    deployment: Vec<&'static str>,
    access: &'static str,
    platforms: Vec<String>,
    formats: Vec<String>,
    incident_any: bool,
    incident_classes: Vec<Link>,
    incident_types: Vec<PageLink>,
    /// The playbook notes that name the entry.
    playbooks: Vec<PageLink>,
    phases: Vec<Link>,
    tags: Vec<String>,
    update_frequency: Option<&'static str>,
    added: String,
    added_label: String,
    last_reviewed: String,
    last_reviewed_label: String,
    evaluations: Summary,
}

/// A link to a page that is not named by a slug alone (an RSIT type's, a
/// playbook note's).
#[derive(Debug, Clone, Serialize)]
struct PageLink {
    slug: String,
    name: String,
    /// Its page, from the site's root.
    page: String,
}

/// A taxonomy term with the entries filed under it.
#[derive(Debug, Clone, Serialize)]
struct TermView {
    slug: String,
    name: String,
    description: String,
    types: Vec<Link>,
    count: usize,
}

/// An organisation as shown on pages.
#[derive(Debug, Serialize)]
struct OrgView {
    slug: String,
    name: String,
    kind: &'static str,
    country: Option<String>,
    homepage: Option<String>,
    summary: String,
    body_html: String,
    count: usize,
}

/// Names of things entries refer to, looked up while building views.
struct Names<'a> {
    categories: BTreeMap<&'a str, &'a str>,
    classes: BTreeMap<&'a str, &'a str>,
    /// Each RSIT type's name and class.
    types: BTreeMap<&'a str, (&'a str, &'a str)>,
    phases: BTreeMap<&'a str, &'a str>,
    orgs: BTreeMap<&'a str, &'a str>,
    /// For each entry a playbook note names, the notes' pages.
    noted: BTreeMap<String, Vec<PageLink>>,
}

impl<'a> Names<'a> {
    fn new(catalogue: &'a Catalogue) -> Self {
        let map =
            |terms: &'a [Term]| terms.iter().map(|t| (t.slug.as_str(), t.name.as_str())).collect();
        let classes: BTreeMap<&str, &str> = map(&catalogue.incident_classes);
        let types: BTreeMap<&str, (&str, &str)> = catalogue
            .incident_classes
            .iter()
            .flat_map(|c| {
                c.types.iter().map(|t| (t.slug.as_str(), (t.name.as_str(), c.slug.as_str())))
            })
            .collect();
        let mut noted: BTreeMap<String, Vec<PageLink>> = BTreeMap::new();
        for note in &catalogue.playbooks {
            let slug = note.slug.as_str();
            let (name, page) = match (classes.get(slug), types.get(slug)) {
                (Some(name), _) => (*name, format!("incident/{slug}.html")),
                (None, Some((name, class))) => {
                    (*name, format!("{}.html", toolkits::type_folder(class, slug)))
                }
                (None, None) => continue,
            };
            for entry in &note.entries {
                let link =
                    PageLink { slug: slug.to_string(), name: name.to_string(), page: page.clone() };
                noted.entry(entry.clone()).or_default().push(link);
            }
        }
        Names {
            categories: map(&catalogue.categories),
            classes,
            types,
            phases: map(&catalogue.phases),
            orgs: catalogue.orgs.iter().map(|o| (o.slug.as_str(), o.name.as_str())).collect(),
            noted,
        }
    }

    fn links(table: &BTreeMap<&str, &str>, slugs: &[String]) -> Vec<Link> {
        slugs
            .iter()
            .map(|slug| Link {
                slug: slug.clone(),
                name: table.get(slug.as_str()).unwrap_or(&slug.as_str()).to_string(),
            })
            .collect()
    }
}

/// One page to render: its output path, template and data.
struct Job<'a> {
    path: String,
    template: &'static str,
    context: Data<'a>,
}

/// Makes a page's data from its path, when it is rendered.
type MakeData<'a> = Box<dyn Fn(&str) -> Result<Context, Diagnostic> + Send + Sync + 'a>;

/// A page's template data: ready, or made only when the page is rendered,
/// so that the data of thousands of entry pages is never held at once.
enum Data<'a> {
    Ready(Context),
    Lazy(MakeData<'a>),
}

impl<'a> Job<'a> {
    /// A page whose data is made when it is rendered, from its path.
    fn lazy(
        path: String,
        template: &'static str,
        make: impl Fn(&str) -> Context + Send + Sync + 'a,
    ) -> Self {
        Job { path, template, context: Data::Lazy(Box::new(move |path| Ok(make(path)))) }
    }

    /// A page whose data is made when it is rendered, and may fail then.
    fn fallible(
        path: String,
        template: &'static str,
        make: impl Fn(&str) -> Result<Context, Diagnostic> + Send + Sync + 'a,
    ) -> Self {
        Job { path, template, context: Data::Lazy(Box::new(make)) }
    }

    fn render(&self, tera: &Tera) -> Result<Page, Diagnostic> {
        let made;
        let context = match &self.context {
            Data::Ready(context) => context,
            Data::Lazy(make) => {
                made = make(&self.path)?;
                &made
            }
        };
        tera.render(self.template, context)
            .map(|html| Page { path: self.path.clone(), bytes: html.into_bytes() })
            .map_err(|error| template_problem(self, &error))
    }
}

/// How many cards or rows one listing page shows; longer listings go on
/// over numbered pages, so no page grows with the catalogue.
pub const PAGE_SIZE: usize = 100;

/// Where one page of a listing stands among the others. `previous` and
/// `next` are paths from the site's root.
#[derive(Debug, Serialize)]
struct Pager {
    number: usize,
    count: usize,
    total: usize,
    first: usize,
    last: usize,
    previous: Option<String>,
    next: Option<String>,
}

/// The path of page `number` (from 1) of the listing whose first page is
/// `first`: `entries.html`, then `entries/page/2.html`, and so on.
fn page_path(first: &str, number: usize) -> String {
    if number <= 1 {
        first.to_string()
    } else {
        format!("{}/page/{number}.html", first.trim_end_matches(".html"))
    }
}

/// The jobs of a listing of `items`, [`PAGE_SIZE`] to a page, the first at
/// `first`. Each page's data is `base` for its path, plus its items under
/// `key` and its place under `pager`; it is made only when rendered.
fn listing<'a, T: Serialize + Send + Sync + 'a>(
    first: &str,
    template: &'static str,
    key: &'static str,
    items: Vec<T>,
    base: impl Fn(&str) -> Context + Send + Sync + 'a,
) -> Vec<Job<'a>> {
    let items = std::sync::Arc::new(items);
    let base = std::sync::Arc::new(base);
    let total = items.len();
    let count = total.div_ceil(PAGE_SIZE).max(1);
    (1..=count)
        .map(|number| {
            let (items, base) = (std::sync::Arc::clone(&items), std::sync::Arc::clone(&base));
            let start = (number - 1) * PAGE_SIZE;
            let end = (start + PAGE_SIZE).min(total);
            let pager = Pager {
                number,
                count,
                total,
                first: if total == 0 { 0 } else { start + 1 },
                last: end,
                previous: (number > 1).then(|| page_path(first, number - 1)),
                next: (number < count).then(|| page_path(first, number + 1)),
            };
            Job::lazy(page_path(first, number), template, move |path| {
                let mut context = base(path);
                context.insert(key, &items[start..end]);
                context.insert("pager", &pager);
                context
            })
        })
        .collect()
}

/// Every view the templates need, built once. Evaluations are kept as
/// table rows: each one's page is made from the whole evaluation when it
/// is rendered, so their answers and bodies are never all held at once.
struct Views {
    entries: Vec<EntryView>,
    orgs: Vec<OrgView>,
    evaluations: Vec<Row>,
    /// Each playbook note by the slug of its class or type.
    playbooks: BTreeMap<String, PlaybookView>,
}

/// A playbook note as its toolkit page shows it.
#[derive(Debug, Clone, Serialize)]
struct PlaybookView {
    summary: String,
    last_reviewed: String,
    last_reviewed_label: String,
    sources: Vec<String>,
    body_html: String,
    /// The file it comes from, for contributors.
    file: String,
    /// The slugs of the entries it names, in the order first named.
    entries: Vec<String>,
}

/// Renders every page of the site, plus the sitemap, the schemas and the
/// theme's static files, handing each to `sink` as soon as it is made (from
/// any thread, in no set order), so that no more than a few pages are held
/// at once. `today` is the date ages and review warnings are computed
/// against. Returns how many files were made, or every problem.
pub fn render_site(
    catalogue: &Catalogue,
    settings: &Settings,
    today: Date,
    sink: &(dyn Fn(Page) + Sync),
) -> Result<usize, Vec<Diagnostic>> {
    let tera = templates()?;
    let lookup = Lookup::new(catalogue);
    let (views, mut problems) = views(catalogue, &lookup, today);
    let jobs = jobs(catalogue, settings, (&views, &lookup), today);
    problems.extend(
        jobs.par_iter().filter_map(|job| job.render(&tera).map(sink).err()).collect::<Vec<_>>(),
    );
    if !problems.is_empty() {
        return Err(problems);
    }
    let html: Vec<&str> = jobs
        .iter()
        .map(|job| job.path.as_str())
        .filter(|path| path.ends_with(".html") && *path != "404.html")
        .collect();
    let mut extra = sitemap_and_robots(&tera, settings, &html).map_err(|p| vec![p])?;
    extra.extend(crate::schemas::all().into_iter().map(|(name, text)| Page {
        path: format!("{}/{name}", crate::schemas::FOLDER),
        bytes: text.into_bytes(),
    }));
    extra.extend(
        theme::STATIC_FILES
            .iter()
            .map(|(path, bytes)| Page { path: path.to_string(), bytes: bytes.to_vec() }),
    );
    let data = compare::data_files(catalogue, &views.entries, sink);
    let count = jobs.len() + extra.len() + data;
    extra.into_iter().for_each(sink);
    Ok(count)
}

/// Renders the organisations' bodies in parallel (the part that can fail on
/// content), then builds the views around them. Entries' and evaluations'
/// bodies are rendered with their pages.
fn views(catalogue: &Catalogue, lookup: &Lookup, today: Date) -> (Views, Vec<Diagnostic>) {
    // A body that fails is reported and shown empty: the build fails
    // anyway, and the problems of the other pages are still found.
    let mut problems = Vec::new();
    let org_bodies: Vec<Result<String, Diagnostic>> =
        catalogue.orgs.par_iter().map(|org| render_body(&org.path, &org.body)).collect();
    let org_bodies: Vec<String> = org_bodies
        .into_iter()
        .map(|body| {
            body.unwrap_or_else(|problem| {
                problems.push(problem);
                String::new()
            })
        })
        .collect();

    let evaluations: Vec<Row> = catalogue
        .evaluations
        .iter()
        .map(|evaluation| evaluations::row(evaluation, lookup))
        .collect();
    let states = evaluations::states(&catalogue.evaluations);
    let names = Names::new(catalogue);
    // Each entry's evaluations, gathered in one pass (evaluations are
    // sorted by entry, so each group keeps the catalogue's order).
    let mut by_entry: BTreeMap<&str, (Vec<_>, Vec<_>)> = BTreeMap::new();
    for (evaluation, row) in catalogue.evaluations.iter().zip(&evaluations) {
        let group = by_entry.entry(evaluation.entry.as_str()).or_default();
        group.0.push(evaluation);
        group.1.push(row);
    }
    let entries: Vec<EntryView> = catalogue
        .entries
        .iter()
        .map(|entry| {
            let (own, own_rows) = by_entry.remove(entry.slug.as_str()).unwrap_or_default();
            let state = states.get(&entry.slug).cloned().unwrap_or_default();
            entry_view(entry, &names, (&own, &own_rows), lookup, state, today)
        })
        .collect();
    let mut maintained: BTreeMap<&str, usize> = BTreeMap::new();
    for entry in &catalogue.entries {
        *maintained.entry(entry.maintainer.as_str()).or_default() += 1;
    }
    let orgs = catalogue
        .orgs
        .iter()
        .zip(org_bodies)
        .map(|(org, body)| {
            org_view(org, maintained.get(org.slug.as_str()).copied().unwrap_or(0), body)
        })
        .collect();
    // A note's links lead from its toolkit page: a class's page is one
    // folder deep, a type's three.
    let notes: Vec<Result<PlaybookView, Diagnostic>> = catalogue
        .playbooks
        .par_iter()
        .map(|note| {
            let root =
                if names.classes.contains_key(note.slug.as_str()) { "../" } else { "../../../" };
            let body_html = render_body_with(&note.path, &note.body, |text| {
                to_safe_html_linking_entries(text, root)
            })?;
            Ok(PlaybookView {
                summary: note.summary.clone(),
                last_reviewed: note.last_reviewed.to_string(),
                last_reviewed_label: human_date(note.last_reviewed),
                sources: note.sources.iter().map(|u| u.to_string()).collect(),
                body_html,
                file: format!("entries/playbooks/{}.md", note.slug),
                entries: note.entries.clone(),
            })
        })
        .collect();
    let mut playbooks = BTreeMap::new();
    for (note, view) in catalogue.playbooks.iter().zip(notes) {
        match view {
            Ok(view) => {
                playbooks.insert(note.slug.clone(), view);
            }
            Err(problem) => problems.push(problem),
        }
    }
    (Views { entries, orgs, evaluations, playbooks }, problems)
}

/// The theme's templates, with autoescape on for all of them whatever their
/// name (the empty suffix matches every template).
fn templates() -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::default();
    tera.add_raw_templates(theme::TEMPLATES.iter().copied()).map_err(|error| {
        vec![Diagnostic::file(
            std::path::Path::new("themes/default/templates"),
            error_chain(&error),
        )]
    })?;
    tera.autoescape_on(vec![""]);
    tera.set_escape_fn(escape_html);
    Ok(tera)
}

/// Escapes text for HTML text and quoted attribute values. Unlike tera's
/// default it leaves `/` alone, so URLs stay readable in the page source;
/// templates always quote attributes, so `/` cannot end one.
fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// A tera error with its causes, on one line.
fn error_chain(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn template_problem(job: &Job, error: &tera::Error) -> Diagnostic {
    let path = format!("themes/default/templates/{}", job.template);
    Diagnostic::file(
        std::path::Path::new(&path),
        format!("rendering `{}` failed: {}", job.path, error_chain(error)),
    )
}

/// A body to HTML, turning a library panic, an over-deep body or an
/// oversized result into a problem that names the file.
fn render_body(path: &Path, body: &Body) -> Result<String, Diagnostic> {
    render_body_with(path, body, to_safe_html)
}

/// [`render_body`] with a given renderer.
fn render_body_with(
    path: &Path,
    body: &Body,
    render: impl Fn(&str) -> Result<String, String>,
) -> Result<String, Diagnostic> {
    let html = catch_unwind(AssertUnwindSafe(|| render(&body.text)))
        .map_err(|_| {
            Diagnostic::at(path, body.line, 1, "the Markdown renderer crashed on this body")
                .hint("simplify the body's Markdown and report the input to the maintainers")
        })?
        .map_err(|reason| Diagnostic::at(path, body.line, 1, reason))?;
    if html.len() > MAX_BODY_HTML_BYTES {
        let size = html.len();
        let message =
            format!("the body renders to {size} bytes, over the limit of {MAX_BODY_HTML_BYTES}");
        return Err(Diagnostic::at(path, body.line, 1, message));
    }
    Ok(html)
}

fn card(entry: &Entry, names: &Names, evaluation: State) -> Card {
    Card {
        slug: entry.slug.clone(),
        name: entry.name.clone(),
        kind: entry.kind.slug(),
        kind_label: entry.kind.label(),
        summary: entry.summary.clone(),
        categories: Names::links(&names.categories, &entry.categories),
        status: entry.status.slug(),
        status_label: entry.status.label(),
        evaluation,
    }
}

/// An entry's page data, from its evaluations (oldest first) and their
/// views.
fn entry_view(
    entry: &Entry,
    names: &Names,
    (own, own_rows): (&[&Evaluation], &[&Row]),
    lookup: &Lookup,
    state: State,
    today: Date,
) -> EntryView {
    let evaluations = evaluations::summary(own, own_rows, lookup, today);
    let (incident_any, classes) = match &entry.incident_classes {
        IncidentScope::Any => (true, Vec::new()),
        IncidentScope::Classes(classes) => (false, Names::links(&names.classes, classes)),
    };
    EntryView {
        card: card(entry, names, state),
        homepage: entry.homepage.to_string(),
        repository: entry.repository.as_ref().map(|u| u.to_string()),
        maintainer: Names::links(&names.orgs, std::slice::from_ref(&entry.maintainer)).remove(0),
        licence: entry.licence.label().to_string(),
        licence_is_spdx: matches!(entry.licence, Licence::Spdx(_)),
        cost: entry.cost.label(),
        deployment: entry.deployment.iter().map(|d| d.label()).collect(),
        access: entry.access.label(),
        platforms: entry.platforms.clone(),
        formats: entry.formats.clone(),
        incident_any,
        incident_classes: classes,
        playbooks: names.noted.get(&entry.slug).cloned().unwrap_or_default(),
        incident_types: entry
            .incident_types
            .iter()
            .filter_map(|slug| {
                let (name, class) = names.types.get(slug.as_str())?;
                let page = format!("{}.html", toolkits::type_folder(class, slug));
                Some(PageLink { slug: slug.clone(), name: name.to_string(), page })
            })
            .collect(),
        phases: Names::links(&names.phases, &entry.phases),
        tags: entry.tags.clone(),
        update_frequency: entry.update_frequency.map(|f| f.label()),
        added: entry.added.to_string(),
        added_label: human_date(entry.added),
        last_reviewed: entry.last_reviewed.to_string(),
        last_reviewed_label: human_date(entry.last_reviewed),
        evaluations,
    }
}

/// A calendar date as readers write it, e.g. `29 February 2024`. Dates have
/// no time or zone, so this never depends on where the build runs.
pub fn human_date(date: jiff::civil::Date) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = MONTHS[usize::from(date.month().unsigned_abs()) - 1];
    format!("{} {month} {}", date.day(), date.year())
}

/// The entries the way readers scan lists: by name, ignoring case.
fn sorted_by_name(views: &[EntryView]) -> Vec<&EntryView> {
    let mut sorted: Vec<&EntryView> = views.iter().collect();
    sorted.sort_by_cached_key(|v| (v.card.name.to_lowercase(), v.card.slug.clone()));
    sorted
}

/// The pages of one taxonomy term: `{folder}/{slug}.html` and its further
/// pages, each rendered with `template`; `more` adds to each page's data.
fn term_listing<'a>(
    settings: &'a Settings,
    (folder, template): (&str, &'static str),
    term: &TermView,
    cards: Vec<&'a Card>,
    more: impl Fn(&mut Context) + Send + Sync + 'a,
) -> Vec<Job<'a>> {
    let term = term.clone();
    listing(&format!("{folder}/{}.html", term.slug), template, "entries", cards, move |path| {
        let mut context = base_context(settings, path, &term.name);
        context.insert("description", &term.description);
        context.insert("term", &term);
        more(&mut context);
        context
    })
}

/// The cards of the entries that pass `keep`, in name order.
fn cards<'a>(sorted: &[&'a EntryView], keep: impl Fn(&EntryView) -> bool) -> Vec<&'a Card> {
    sorted.iter().filter(|v| keep(v)).map(|v| &v.card).collect()
}

/// `items`, cut to `limit` unless only a few more: a list a few items
/// over the limit is shown whole.
fn shortened<T: Clone>(items: &[T], limit: usize) -> Vec<T> {
    let kept = if items.len() > limit + limit / 4 { limit } else { items.len() };
    items[..kept].to_vec()
}

/// How many of an organisation's evaluations its page shows, newest first;
/// the rest are in the listing by evaluator.
const ORG_EVALUATIONS_SHOWN: usize = 20;

/// Each evaluator's evaluations, newest first, with the page of the
/// listing by evaluator on which they start.
fn evaluated_by_org(rows: &[Row]) -> BTreeMap<&str, (Vec<&Row>, String)> {
    let listing = EVALUATION_ORDERS
        .iter()
        .find(|(order, ..)| *order == "evaluator")
        .map_or("evaluations.html", |(_, path, _)| path);
    let mut by_org: BTreeMap<&str, (Vec<&Row>, String)> = BTreeMap::new();
    for (n, row) in rows_in_order(rows, "evaluator").into_iter().enumerate() {
        by_org
            .entry(row.evaluator.slug.as_str())
            .or_insert_with(|| (Vec::new(), page_path(listing, n / PAGE_SIZE + 1)))
            .0
            .push(row);
    }
    by_org
}

/// How many of a national CSIRT's entries the page of national CSIRTs
/// lists; its own page lists them all.
const TEAM_ENTRIES_SHOWN: usize = 12;

/// A national CSIRT with what it publishes.
#[derive(Debug, Serialize)]
struct Team<'a> {
    slug: &'a str,
    name: &'a str,
    country: Option<&'a str>,
    summary: &'a str,
    count: usize,
    entries: Vec<&'a Card>,
}

/// The listing of the free tools and data published by national CSIRTs,
/// grouped by team, teams by name.
fn national_csirts<'a>(
    catalogue: &'a Catalogue,
    settings: &'a Settings,
    maintained: &BTreeMap<&str, Vec<&'a Card>>,
) -> Vec<Job<'a>> {
    let mut teams: Vec<Team> = catalogue
        .orgs
        .iter()
        .filter(|org| org.kind == OrgKind::NationalCsirt)
        .map(|org| {
            let cards = maintained.get(org.slug.as_str()).map_or(&[][..], Vec::as_slice);
            Team {
                slug: &org.slug,
                name: &org.name,
                country: org.country.as_deref(),
                summary: &org.summary,
                count: cards.len(),
                entries: shortened(cards, TEAM_ENTRIES_SHOWN),
            }
        })
        .filter(|team| team.count > 0)
        .collect();
    teams.sort_by_cached_key(|team| (team.name.to_lowercase(), team.slug));
    let entries: usize = teams.iter().map(|team| team.count).sum();
    listing("national-csirts.html", "national-csirts.html", "teams", teams, move |path| {
        let mut context = base_context(settings, path, "Published by national CSIRTs");
        context.insert("entry_count", &entries);
        context
    })
}

/// Data every page receives.
fn base_context(settings: &Settings, path: &str, title: &str) -> Context {
    let depth = path.matches('/').count();
    let mut context = Context::new();
    context.insert(
        "site",
        &serde_json::json!({
            "title": settings.title,
            "description": settings.description,
            "base_url": settings.base_url,
        }),
    );
    context.insert("root", &"../".repeat(depth));
    context.insert("path", path);
    context.insert("page_title", title);
    // The page's own description replaces this where it has one.
    context.insert("description", &settings.description);
    context
}

/// Every page of the site with its data.
fn jobs<'a>(
    catalogue: &'a Catalogue,
    settings: &'a Settings,
    (all, lookup): (&'a Views, &'a Lookup<'a>),
    today: Date,
) -> Vec<Job<'a>> {
    let (views, orgs) = (&all.entries, &all.orgs);
    let mut jobs = Vec::new();
    let sorted = sorted_by_name(views);

    // An entry's body is rendered with its page, not kept for the whole
    // build: the catalogue's largest text is held one page at a time.
    for (view, entry) in views.iter().zip(&catalogue.entries) {
        jobs.push(entry_job(view, entry, settings));
    }

    let category_terms = term_views(&catalogue.categories, |slug| {
        views.iter().filter(|v| v.card.categories.iter().any(|c| c.slug == slug)).count()
    });
    let compared = compare::evaluated_by_category(&sorted);
    for term in &category_terms {
        let cards = cards(&sorted, |v| v.card.categories.iter().any(|l| l.slug == term.slug));
        let evaluated = compared.get(term.slug.as_str()).map_or(0, Vec::len);
        jobs.extend(term_listing(settings, ("category", "category.html"), term, cards, move |c| {
            c.insert("compare_count", &evaluated);
        }));
    }
    jobs.extend(compare::jobs(catalogue, settings, &category_terms, &compared));
    let mut context = base_context(settings, "categories.html", "Categories");
    context.insert("terms", &category_terms);
    jobs.push(Job {
        path: "categories.html".into(),
        template: "categories.html",
        context: Data::Ready(context),
    });

    toolkits::incident_pages(catalogue, settings, (&sorted, &all.playbooks), &mut jobs);

    // Each organisation's entries, gathered in one pass over the entries.
    let mut maintained: BTreeMap<&str, Vec<&Card>> = BTreeMap::new();
    for view in &sorted {
        maintained.entry(view.maintainer.slug.as_str()).or_default().push(&view.card);
    }
    jobs.extend(national_csirts(catalogue, settings, &maintained));
    let mut evaluated = evaluated_by_org(&all.evaluations);
    for org in orgs {
        let cards = maintained.remove(org.slug.as_str()).unwrap_or_default();
        let first = format!("org/{}.html", org.slug);
        let (all_rows, rows_page) = evaluated.remove(org.slug.as_str()).unwrap_or_default();
        let evaluated_count = all_rows.len();
        let rows = shortened(&all_rows, ORG_EVALUATIONS_SHOWN);
        jobs.extend(listing(&first.clone(), "org.html", "entries", cards, move |path| {
            let mut context = base_context(settings, path, &org.name);
            context.insert("description", &org.summary);
            context.insert("org", org);
            // The evaluations it made, on the first page only.
            let first_page = path == first;
            context.insert("evaluated_count", &if first_page { evaluated_count } else { 0 });
            if first_page {
                context.insert("evaluated", &rows);
                context.insert("evaluated_page", &rows_page);
            }
            context
        }));
    }
    jobs.extend(listing("orgs.html", "orgs.html", "orgs", orgs.iter().collect(), |path| {
        base_context(settings, path, "Organisations")
    }));

    jobs.extend(listing(
        "entries.html",
        "entries.html",
        "entries",
        cards(&sorted, |_| true),
        |path| base_context(settings, path, "All entries"),
    ));

    jobs.push(home(catalogue, settings, views, &category_terms));
    evaluation_jobs(catalogue, settings, (&all.evaluations, lookup), today, &mut jobs);

    jobs.extend(feeds(catalogue, settings, all));

    let mut context = base_context(settings, "data.html", "Open data");
    context.insert("version", &crate::index::exports::VERSION);
    jobs.push(Job {
        path: "data.html".into(),
        template: "data.html",
        context: Data::Ready(context),
    });
    jobs.push(Job {
        path: "search.html".into(),
        template: "search.html",
        context: Data::Ready(base_context(settings, "search.html", "Search")),
    });

    let mut context = base_context(settings, "404.html", "Page not found");
    // The 404 page is served at any depth, so it links from the site root.
    context.insert("root", &settings.base_path());
    jobs.push(Job { path: "404.html".into(), template: "404.html", context: Data::Ready(context) });
    jobs
}

/// An entry's page.
fn entry_job<'a>(view: &'a EntryView, entry: &'a Entry, settings: &'a Settings) -> Job<'a> {
    let path = format!("entry/{}.html", view.card.slug);
    Job::fallible(path, "entry.html", move |path| {
        let mut context = base_context(settings, path, &view.card.name);
        context.insert("description", &view.card.summary);
        context.insert("entry", view);
        context.insert("body_html", &render_body(&entry.path, &entry.body)?);
        Ok(context)
    })
}

/// The page of `entry` as a whole build of `catalogue` with `entry` in it
/// would make it, made without the rest of the site: `commons serve` shows
/// an edited entry with it at once, before rebuilding everything.
/// `catalogue` may hold an older version of `entry` (same slug and kind),
/// which is ignored; everything else it holds is used as it is.
pub fn entry_page(
    catalogue: &Catalogue,
    entry: &Entry,
    settings: &Settings,
    today: Date,
) -> Result<Page, Vec<Diagnostic>> {
    let tera = templates()?;
    let own: Vec<&Evaluation> =
        catalogue.evaluations.iter().filter(|e| e.entry == entry.slug).collect();
    let mut lookup = Lookup::new(catalogue);
    lookup.entries.insert(&entry.slug, &entry.name);
    let own_rows: Vec<Row> =
        own.iter().map(|evaluation| evaluations::row(evaluation, &lookup)).collect();
    let own_row_refs: Vec<&Row> = own_rows.iter().collect();
    let state = evaluations::states(own.iter().copied()).remove(&entry.slug).unwrap_or_default();
    let names = Names::new(catalogue);
    let view = entry_view(entry, &names, (&own, &own_row_refs), &lookup, state, today);
    entry_job(&view, entry, settings).render(&tera).map_err(|p| vec![p])
}

/// How many items an Atom feed carries.
const FEED_LENGTH: usize = 50;

/// One item of an Atom feed.
#[derive(Serialize)]
struct FeedItem {
    title: String,
    page: String,
    updated: String,
    summary: String,
}

/// Atom feeds of new and updated entries and of new evaluations, newest
/// first. Their ids and links start with `base_url`.
fn feeds(catalogue: &Catalogue, settings: &Settings, all: &Views) -> Vec<Job<'static>> {
    let mut entries: Vec<FeedItem> = catalogue
        .entries
        .iter()
        .map(|e| FeedItem {
            title: e.name.clone(),
            page: format!("entry/{}.html", e.slug),
            updated: e.last_reviewed.max(e.added).to_string(),
            summary: e.summary.clone(),
        })
        .collect();
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.page.cmp(&b.page)));
    let mut evaluations: Vec<FeedItem> = catalogue
        .evaluations
        .iter()
        .zip(&all.evaluations)
        .map(|(e, row)| FeedItem {
            title: format!(
                "{} evaluated by {}",
                names_of(catalogue, &e.entry),
                names_of(catalogue, &e.evaluator)
            ),
            page: row.path.clone(),
            updated: e.date.to_string(),
            summary: e.verdict.clone(),
        })
        .collect();
    evaluations.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.page.cmp(&b.page)));
    [
        ("feeds/entries.xml", "New and updated entries", "entries.html", entries),
        ("feeds/evaluations.xml", "New evaluations", "evaluations.html", evaluations),
    ]
    .into_iter()
    .map(|(path, title, alternate, mut items)| {
        items.truncate(FEED_LENGTH);
        let mut context = base_context(settings, path, title);
        context.insert("feed_title", title);
        context.insert("alternate", alternate);
        context.insert(
            "updated",
            &items.first().map_or("1970-01-01".to_string(), |i| i.updated.clone()),
        );
        context.insert("items", &items);
        Job { path: path.into(), template: "feed.xml", context: Data::Ready(context) }
    })
    .collect()
}

/// The display name of an entry or organisation slug.
fn names_of(catalogue: &Catalogue, slug: &str) -> String {
    // Entries and organisations are sorted by slug.
    let entry = catalogue.entries.binary_search_by(|e| e.slug.as_str().cmp(slug));
    let org = || catalogue.orgs.binary_search_by(|o| o.slug.as_str().cmp(slug));
    match (entry, org()) {
        (Ok(at), _) => catalogue.entries[at].name.clone(),
        (_, Ok(at)) => catalogue.orgs[at].name.clone(),
        _ => slug.to_string(),
    }
}

/// `sitemap.xml` (every HTML page but the 404) and `robots.txt`, added
/// once the pages are known.
fn sitemap_and_robots(
    tera: &Tera,
    settings: &Settings,
    html: &[&str],
) -> Result<Vec<Page>, Diagnostic> {
    let render = |path: String, template: &'static str, key: &str, list: &[&str]| {
        let mut context = base_context(settings, &path, "Sitemap");
        context.insert(key, list);
        Job { path, template, context: Data::Ready(context) }.render(tera)
    };
    let mut files = Vec::new();
    if html.len() <= SITEMAP_LIMIT {
        files.push(render("sitemap.xml".into(), "sitemap.xml", "pages", html)?);
    } else {
        // The sitemap protocol allows 50,000 addresses a file: beyond that,
        // numbered sitemaps and an index of them.
        let mut parts = Vec::new();
        for (n, chunk) in html.chunks(SITEMAP_LIMIT).enumerate() {
            let path = format!("sitemap-{}.xml", n + 1);
            files.push(render(path.clone(), "sitemap.xml", "pages", chunk)?);
            parts.push(path);
        }
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        files.push(render("sitemap.xml".into(), "sitemap-index.xml", "parts", &parts)?);
    }
    let robots = format!("User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n", settings.base_url);
    files.push(Page { path: "robots.txt".into(), bytes: robots.into_bytes() });
    Ok(files)
}

/// The orders the evaluation listing is offered in: (key, page, title).
const EVALUATION_ORDERS: [(&str, &str, &str); 4] = [
    ("date", "evaluations.html", "Evaluations, newest first"),
    ("entry", "evaluations-by-entry.html", "Evaluations by entry"),
    ("evaluator", "evaluations-by-evaluator.html", "Evaluations by evaluator"),
    ("method", "evaluations-by-method.html", "Evaluations by method"),
];

/// One page per evaluation, the listing in each order, and the methodology.
fn evaluation_jobs<'a>(
    catalogue: &'a Catalogue,
    settings: &'a Settings,
    (rows, lookup): (&'a [Row], &'a Lookup<'a>),
    today: Date,
    jobs: &mut Vec<Job<'a>>,
) {
    // The page's data, the narrative above all, is made only when the page
    // is rendered: 20,000 evaluations would otherwise hold hundreds of
    // megabytes for the whole build.
    for evaluation in &catalogue.evaluations {
        jobs.push(Job::fallible(
            evaluations::page_path(evaluation),
            "evaluation.html",
            move |path| {
                let body = render_body(&evaluation.path, &evaluation.body)?;
                let view = evaluations::view(evaluation, lookup, today, body);
                let mut context = base_context(settings, path, &view.title());
                context.insert("description", view.verdict());
                context.insert("evaluation", &view);
                Ok(context)
            },
        ));
    }

    for (order, path, title) in EVALUATION_ORDERS {
        let sorted = rows_in_order(rows, order);
        jobs.extend(listing(path, "evaluations.html", "rows", sorted, move |path| {
            let mut context = base_context(settings, path, title);
            context.insert("order", order);
            context
        }));
    }

    let mut context = base_context(settings, "methodology.html", "Evaluation methodology");
    context.insert("rubrics", &evaluations::rubric_views(&catalogue.rubrics));
    context.insert("stale_after_months", &evaluations::STALE_AFTER_MONTHS);
    jobs.push(Job {
        path: "methodology.html".into(),
        template: "methodology.html",
        context: Data::Ready(context),
    });
}

/// The evaluation rows in one of the [`EVALUATION_ORDERS`], newest first
/// within each entry, evaluator or method.
fn rows_in_order<'r>(rows: &'r [Row], order: &str) -> Vec<&'r Row> {
    let mut sorted: Vec<&Row> = rows.iter().collect();
    let newest_first = |a: &&Row, b: &&Row| b.date.cmp(&a.date);
    let name = |link: &Link| link.name.to_lowercase();
    match order {
        "entry" => sorted
            .sort_by(|a, b| name(&a.entry).cmp(&name(&b.entry)).then_with(|| newest_first(a, b))),
        "evaluator" => sorted.sort_by(|a, b| {
            name(&a.evaluator).cmp(&name(&b.evaluator)).then_with(|| newest_first(a, b))
        }),
        "method" => sorted.sort_by(|a, b| {
            method_rank(a.method).cmp(&method_rank(b.method)).then_with(|| newest_first(a, b))
        }),
        _ => sorted
            .sort_by(|a, b| newest_first(a, b).then_with(|| name(&a.entry).cmp(&name(&b.entry)))),
    }
    sorted
}

/// Methods from least to most hands-on, for ordering.
fn method_rank(method: &str) -> usize {
    Method::ALL.iter().position(|m| m.slug() == method).unwrap_or(usize::MAX)
}

fn home(
    catalogue: &Catalogue,
    settings: &Settings,
    views: &[EntryView],
    categories: &[TermView],
) -> Job<'static> {
    let mut recent: Vec<(&str, &Card)> =
        views.iter().map(|v| (v.added.as_str(), &v.card)).collect();
    recent.sort_by(|a, b| {
        b.0.cmp(a.0).then_with(|| a.1.name.to_lowercase().cmp(&b.1.name.to_lowercase()))
    });
    let recent: Vec<&Card> = recent.into_iter().take(RECENT_COUNT).map(|(_, c)| c).collect();
    let count = |kind: Kind| catalogue.entries.iter().filter(|e| e.kind == kind).count();
    let mut context = base_context(settings, "index.html", &settings.title);
    context.insert(
        "counts",
        &serde_json::json!({
            "entries": catalogue.entries.len(),
            "tools": count(Kind::Tool),
            "data": count(Kind::Data),
            "services": count(Kind::Service),
            "orgs": catalogue.orgs.len(),
            "incident_classes": catalogue.incident_classes.len(),
        }),
    );
    context.insert("categories", categories);
    context.insert("recent", &recent);
    Job { path: "index.html".into(), template: "index.html", context: Data::Ready(context) }
}

fn term_views(terms: &[Term], count: impl Fn(&str) -> usize) -> Vec<TermView> {
    terms
        .iter()
        .map(|term| TermView {
            slug: term.slug.clone(),
            name: term.name.clone(),
            description: term.description.clone(),
            types: term
                .types
                .iter()
                .map(|t| Link { slug: t.slug.clone(), name: t.name.clone() })
                .collect(),
            count: count(&term.slug),
        })
        .collect()
}

fn org_view(org: &Org, count: usize, body_html: String) -> OrgView {
    OrgView {
        slug: org.slug.clone(),
        name: org.name.clone(),
        kind: org.kind.label(),
        country: org.country.clone(),
        homepage: org.homepage.as_ref().map(|u| u.to_string()),
        summary: org.summary.clone(),
        body_html,
        count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(evaluator: &str, date: &str) -> Row {
        Row {
            path: format!("evaluation/x/{date}-{evaluator}.html"),
            entry: Link::new("x", "X"),
            evaluator: Link::new(&evaluator.to_lowercase(), evaluator),
            date: date.into(),
            date_label: date.into(),
            method: "desk-review",
            method_label: "Desk review",
            rubric: "tool-1".into(),
            verdict: String::new(),
        }
    }

    #[test]
    fn each_organisations_evaluations_are_newest_first_with_the_listing_page_they_start_on() {
        let mut rows: Vec<Row> =
            (0..150).map(|n| row("Alpha", &format!("2026-01-{:02}", n % 28 + 1))).collect();
        rows.push(row("Beta", "2025-05-05"));
        rows.push(row("Beta", "2026-02-02"));
        let by_org = evaluated_by_org(&rows);
        let (alpha, alpha_page) = &by_org["alpha"];
        assert_eq!(alpha.len(), 150);
        assert_eq!(alpha_page, "evaluations-by-evaluator.html");
        assert!(alpha.windows(2).all(|w| w[0].date >= w[1].date), "newest first");
        // Beta's rows come after Alpha's 150: the second page of 100.
        let (beta, beta_page) = &by_org["beta"];
        let dates: Vec<&str> = beta.iter().map(|r| r.date.as_str()).collect();
        assert_eq!(dates, ["2026-02-02", "2025-05-05"]);
        assert_eq!(beta_page, "evaluations-by-evaluator/page/2.html");
    }

    #[test]
    fn sitemaps_over_50000_addresses_are_split_under_an_index() {
        let tera = templates().unwrap();
        let settings = Settings { base_url: "https://x.example/".into(), ..Settings::default() };
        let names: Vec<String> =
            (0..SITEMAP_LIMIT + 1).map(|n| format!("entry/{n}.html")).collect();
        let html: Vec<&str> = names.iter().map(String::as_str).collect();
        let files = sitemap_and_robots(&tera, &settings, &html).unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml", "robots.txt"]);
        let text = |n: usize| String::from_utf8(files[n].bytes.clone()).unwrap();
        assert_eq!(text(0).matches("<url>").count(), SITEMAP_LIMIT);
        assert_eq!(text(1).matches("<url>").count(), 1);
        assert!(text(2).contains("<sitemap><loc>https://x.example/sitemap-2.xml</loc></sitemap>"));
        let small = sitemap_and_robots(&tera, &settings, &html[..3]).unwrap();
        assert_eq!(small[0].path, "sitemap.xml");
        assert!(
            String::from_utf8(small[0].bytes.clone())
                .unwrap()
                .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset")
        );
    }

    #[test]
    fn escape_html_covers_text_and_quoted_attributes() {
        assert_eq!(
            escape_html(r#"<a href="x" title='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; title=&#x27;y&#x27;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(escape_html("../entry/a.html"), "../entry/a.html");
    }
}
