//! The incident pages, the toolkits of incident-handling procedures: the
//! matrix of RSIT incident classes by response phase, one page per class,
//! per RSIT type that entries name, and for the general-purpose entries,
//! each listing its entries phase by phase, and one listing per non-empty
//! pair of those and a phase.

use std::collections::BTreeMap;

use super::{
    Card, EntryView, GENERAL_PAGE, Job, PlaybookView, Settings, TermView, base_context, cards,
    listing, shortened,
};
use crate::model::taxonomy::Term;
use crate::validate::Catalogue;
use serde::Serialize;

/// How many entries a toolkit page lists under each phase; all of them are
/// on the phase's own listing.
const PER_PHASE_SHOWN: usize = 8;

/// Which entries one toolkit is about.
#[derive(Debug, Clone, Copy)]
enum Scope<'a> {
    /// The entries useful whatever the incident.
    General,
    /// The entries for one RSIT class.
    Class(&'a Term),
    /// The entries that name one RSIT type, under its class.
    Type(&'a Term, &'a Term),
}

impl Scope<'_> {
    fn name(&self) -> &str {
        match self {
            Scope::General => "Any incident class",
            Scope::Class(class) => &class.name,
            Scope::Type(_, kind) => &kind.name,
        }
    }

    /// The folder of its pages, from the site's root.
    fn folder(&self) -> String {
        match self {
            Scope::General => "incident-any".into(),
            Scope::Class(class) => format!("incident/{}", class.slug),
            Scope::Type(class, kind) => type_folder(&class.slug, &kind.slug),
        }
    }

    /// Its page, from the site's root.
    fn page(&self) -> String {
        match self {
            Scope::General => GENERAL_PAGE.into(),
            _ => format!("{}.html", self.folder()),
        }
    }

    /// The slug of its class or type (`any` for the general toolkit).
    fn slug(&self) -> &str {
        match self {
            Scope::General => "any",
            Scope::Class(term) | Scope::Type(_, term) => &term.slug,
        }
    }

    fn holds(&self, view: &EntryView) -> bool {
        match self {
            Scope::General => view.incident_any,
            Scope::Class(class) => view.incident_classes.iter().any(|c| c.slug == class.slug),
            Scope::Type(_, kind) => view.incident_types.iter().any(|t| t.slug == kind.slug),
        }
    }
}

/// The folder of an RSIT type's pages, from the site's root.
pub(super) fn type_folder(class: &str, kind: &str) -> String {
    format!("incident/{class}/type/{kind}")
}

/// The entries of one toolkit for one response phase.
#[derive(Debug, Clone, Serialize)]
struct Cell {
    /// The phase's name.
    phase: String,
    /// How many entries.
    count: usize,
    /// Their listing, from the site's root; there is none when there are
    /// no entries.
    path: String,
}

/// One phase of a toolkit page: the first few of its entries.
#[derive(Debug, Clone, Serialize)]
struct PhaseList<'a> {
    #[serde(flatten)]
    cell: Cell,
    /// The phase's slug, the anchor of its section.
    slug: String,
    description: String,
    entries: Vec<&'a Card>,
}

/// One row of the matrix of incident classes and response phases.
#[derive(Debug, Serialize)]
struct MatrixRow {
    /// The class's name, or "Any incident class" for general entries.
    name: String,
    /// The class's page, from the site's root.
    page: String,
    /// The RSIT incident types of the class.
    types: Vec<TypeView>,
    cells: Vec<Cell>,
    /// Whether a playbook note is about the class.
    playbook: bool,
}

/// An RSIT type as its class's pages list it.
#[derive(Debug, Clone, Serialize)]
struct TypeView {
    slug: String,
    name: String,
    description: String,
    /// How many entries name it.
    count: usize,
    /// Its page, from the site's root, when it has one (when entries name
    /// it or a playbook note is about it).
    page: Option<String>,
    /// Whether a playbook note is about it.
    playbook: bool,
}

/// What every toolkit page is made from.
struct Toolkits<'a, 's> {
    catalogue: &'a Catalogue,
    settings: &'a Settings,
    /// The entries by name.
    sorted: &'s [&'a EntryView],
    /// Each playbook note by the slug of its class or type.
    playbooks: &'a BTreeMap<String, PlaybookView>,
    /// Each entry's card by its slug.
    cards: BTreeMap<&'a str, &'a Card>,
}

impl<'a> Toolkits<'a, '_> {
    /// The phases of one toolkit: each phase's entries, as a cell of the
    /// matrix and as the start of a list (the entries its note names
    /// first, then evaluated ones, most evaluations first, then the others
    /// by name), with the listing of each non-empty cell among `jobs`.
    /// `general` holds the general toolkit's cells, which every other
    /// toolkit's listings mention.
    fn phases(
        &self,
        scope: Scope<'a>,
        general: Option<&[Cell]>,
        jobs: &mut Vec<Job<'a>>,
    ) -> Vec<PhaseList<'a>> {
        let settings = self.settings;
        let in_scope: Vec<&EntryView> =
            self.sorted.iter().copied().filter(|v| scope.holds(v)).collect();
        let named = self.playbooks.get(scope.slug()).map_or(&[][..], |note| &note.entries[..]);
        let (name, page, folder) = (scope.name().to_string(), scope.page(), scope.folder());
        // The pages above this one, for the way back.
        let mut crumbs = Vec::new();
        if let Scope::Type(class, _) = scope {
            crumbs.push((class.name.clone(), Scope::Class(class).page()));
        }
        crumbs.push((name.clone(), page));
        let mut lists = Vec::new();
        for (n, phase) in self.catalogue.phases.iter().enumerate() {
            let cards = cards(&in_scope, |v| v.phases.iter().any(|p| p.slug == phase.slug));
            let path = format!("{folder}/phase/{}.html", phase.slug);
            let cell = Cell { phase: phase.name.clone(), count: cards.len(), path: path.clone() };
            // A stable sort keeps the name order within each group.
            let mut first = cards.clone();
            first
                .sort_by_key(|c| (!named.contains(&c.slug), std::cmp::Reverse(c.evaluation.count)));
            lists.push(PhaseList {
                cell,
                slug: phase.slug.clone(),
                description: phase.description.clone(),
                // Every entry the note names stays in view, however many.
                entries: shortened(
                    &first,
                    PER_PHASE_SHOWN.max(first.iter().filter(|c| named.contains(&c.slug)).count()),
                ),
            });
            // An empty cell gets no page: nothing links to it.
            if cards.is_empty() {
                continue;
            }
            let title = format!("{name}: {}", phase.name);
            let crumbs = crumbs.clone();
            let general = general
                .map(|cells| &cells[n])
                .filter(|cell| cell.count > 0)
                .map(|cell| (cell.count, cell.path.clone()));
            let general_row = matches!(scope, Scope::General);
            jobs.extend(listing(&path, "incident-phase.html", "entries", cards, move |path| {
                let mut context = base_context(settings, path, &title);
                context.insert("description", &phase.description);
                context.insert("crumbs", &crumbs);
                context.insert("phase", &phase.name);
                context.insert("phase_description", &phase.description);
                context.insert("general_row", &general_row);
                if let Some((count, path)) = &general {
                    context.insert("general_count", count);
                    context.insert("general_path", path);
                }
                context
            }));
        }
        lists
    }

    /// The jobs of one toolkit's own pages: its note and its phases' first
    /// entries on the first page, then all its entries by name over as
    /// many pages as needed.
    fn pages(
        &self,
        scope: Scope<'a>,
        lists: Vec<PhaseList<'a>>,
        (types, general_count): (Vec<TypeView>, usize),
    ) -> Vec<Job<'a>> {
        let settings = self.settings;
        let first = scope.page();
        let title = match scope {
            Scope::General => "Entries for any incident class".to_string(),
            _ => scope.name().to_string(),
        };
        let (kind, description, class) = match scope {
            Scope::General => ("general", String::new(), None),
            Scope::Class(class) => ("class", class.description.clone(), None),
            Scope::Type(class, kind) => (
                "type",
                kind.description.clone(),
                Some((class.name.clone(), Scope::Class(class).page())),
            ),
        };
        let slug = scope.slug().to_string();
        let playbook = self.playbooks.get(&slug);
        // The entries the note names, as a list of their own.
        let named: Vec<&Card> = playbook
            .map(|note| {
                note.entries.iter().filter_map(|s| self.cards.get(s.as_str()).copied()).collect()
            })
            .unwrap_or_default();
        // A type without a note of its own points to its class's note.
        let class_note = match scope {
            Scope::Type(class, _) if playbook.is_none() => self
                .playbooks
                .get(&class.slug)
                .map(|_| (class.name.clone(), Scope::Class(class).page())),
            _ => None,
        };
        let all = cards(self.sorted, |v| scope.holds(v));
        listing(&first.clone(), "incident.html", "entries", all, move |path| {
            let mut context = base_context(settings, path, &title);
            if !description.is_empty() {
                context.insert("description", &description);
            }
            context.insert("kind", kind);
            context.insert("slug", &slug);
            context.insert("term_description", &description);
            context.insert("class", &class);
            context.insert("general_count", &general_count);
            // The toolkit on the first page only; the others go on with
            // the list of all entries.
            let first_page = path == first;
            context.insert("first_page", &first_page);
            context.insert("phases", if first_page { &lists[..] } else { &[] });
            context.insert("types", if first_page { &types[..] } else { &[] });
            context.insert("playbook", &playbook.filter(|_| first_page));
            context.insert("named", if first_page { &named[..] } else { &[] });
            context.insert("class_note", &class_note);
            context
        })
    }
}

/// Every incident page among `jobs`, `incidents.html` with its matrix
/// among them.
pub(super) fn incident_pages<'a>(
    catalogue: &'a Catalogue,
    settings: &'a Settings,
    (sorted, playbooks): (&[&'a EntryView], &'a BTreeMap<String, PlaybookView>),
    jobs: &mut Vec<Job<'a>>,
) {
    let cards = sorted.iter().map(|v| (v.card.slug.as_str(), &v.card)).collect();
    let kits = Toolkits { catalogue, settings, sorted, playbooks, cards };
    let count = |scope: Scope| sorted.iter().filter(|v| scope.holds(v)).count();
    let general_lists = kits.phases(Scope::General, None, jobs);
    let general_cells: Vec<Cell> = general_lists.iter().map(|l| l.cell.clone()).collect();
    let general_count = count(Scope::General);
    let mut rows = Vec::new();
    let mut terms = Vec::new();
    for class in &catalogue.incident_classes {
        let scope = Scope::Class(class);
        let lists = kits.phases(scope, Some(&general_cells), jobs);
        let mut types = Vec::new();
        for kind in &class.types {
            let scope = Scope::Type(class, kind);
            let count = count(scope);
            // A type has a page when entries name it or a note is about it.
            let playbook = playbooks.get(&kind.slug);
            let has_page = count > 0 || playbook.is_some();
            if has_page {
                let lists = kits.phases(scope, Some(&general_cells), jobs);
                jobs.extend(kits.pages(scope, lists, (Vec::new(), general_count)));
            }
            types.push(TypeView {
                slug: kind.slug.clone(),
                name: kind.name.clone(),
                description: kind.description.clone(),
                count,
                page: has_page.then(|| scope.page()),
                playbook: playbook.is_some(),
            });
        }
        rows.push(MatrixRow {
            name: class.name.clone(),
            page: scope.page(),
            types: types.clone(),
            cells: lists.iter().map(|l| l.cell.clone()).collect(),
            playbook: playbooks.contains_key(&class.slug),
        });
        terms.push(TermView {
            slug: class.slug.clone(),
            name: class.name.clone(),
            description: class.description.clone(),
            types: Vec::new(),
            count: count(scope),
        });
        jobs.extend(kits.pages(scope, lists, (types, general_count)));
    }
    rows.push(MatrixRow {
        name: Scope::General.name().to_string(),
        page: Scope::General.page(),
        types: Vec::new(),
        cells: general_cells,
        playbook: false,
    });
    jobs.extend(kits.pages(Scope::General, general_lists, (Vec::new(), 0)));

    let mut context = base_context(settings, "incidents.html", "Incident classes");
    context.insert("terms", &terms);
    context.insert("general_count", &general_count);
    context.insert("phases", &catalogue.phases.iter().map(|p| &p.name).collect::<Vec<_>>());
    context.insert("matrix", &rows);
    jobs.push(Job {
        path: "incidents.html".into(),
        template: "incidents.html",
        context: super::Data::Ready(context),
    });
}
