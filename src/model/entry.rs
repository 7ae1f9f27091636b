//! Entries: one Markdown file per tool (`entries/tools/`) or per data source
//! or free service (`entries/data/`).
//!
//! [`RawEntry`] is the front matter as written; [`Entry`] is what the rest
//! of the pipeline sees. The field docs on [`Entry`] are the schema that
//! contributors read.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;
use url::Url;

use super::shapes::{Day, IncidentScope as IncidentScopeShape, Slug, Token, WebUrl};
use super::{FieldChecker, Vocabulary, file_slug, vocabulary};
use crate::diagnostics::Diagnostic;
use crate::load::Loaded;

vocabulary! {
    /// What an entry is.
    Kind {
        /// Software a team installs or runs.
        Tool = "tool", "Tool";
        /// A data set or feed: lists, reports, databases.
        Data = "data", "Data source";
        /// A free online service used through a website or API.
        Service = "service", "Service";
    }
}

vocabulary! {
    /// What using an entry costs.
    Cost {
        /// No charge.
        Free = "free", "Free";
        /// A free tier, with paid plans beside it.
        Freemium = "freemium", "Free tier";
    }
}

vocabulary! {
    /// How an entry is used.
    Deployment {
        /// You install and run it yourself.
        SelfHosted = "self-hosted", "Self-hosted";
        /// Used on the provider's website or API.
        Online = "online", "Online";
        /// You download data files or lists and use them locally.
        Download = "download", "Download";
    }
}

vocabulary! {
    /// Who may use an entry.
    Access {
        /// Anyone, without an account.
        Open = "open", "Open to all";
        /// Anyone, after a free registration or with an API key.
        Registration = "registration", "Free registration";
        /// Only the owners of the networks concerned.
        NetworkOwners = "network-owners", "Network owners";
        /// Only national CSIRTs.
        NationalCsirts = "national-csirts", "National CSIRTs";
        /// Vetted partners, on request.
        TrustedPartners = "trusted-partners", "Trusted partners";
    }
}

vocabulary! {
    /// Whether an entry still works.
    Status {
        /// Available and maintained as far as we know.
        Live = "live", "Live";
        /// Available, with known problems.
        Degraded = "degraded", "Degraded";
        /// Not reachable at the last review.
        Down = "down", "Down";
        /// Shut down by its maintainer.
        Defunct = "defunct", "Defunct";
        /// Kept online but no longer maintained.
        Archived = "archived", "Archived";
    }
}

vocabulary! {
    /// How often a data source publishes new data.
    UpdateFrequency {
        /// As events happen.
        Realtime = "realtime", "Real time";
        /// Every hour or more often.
        Hourly = "hourly", "Hourly";
        /// Every day.
        Daily = "daily", "Daily";
        /// Every week.
        Weekly = "weekly", "Weekly";
        /// Every month.
        Monthly = "monthly", "Monthly";
        /// Without a fixed schedule.
        Irregular = "irregular", "Irregular";
    }
}

/// The word written in `licence` for something free of charge under its
/// provider's own terms rather than an open licence.
pub const FREE_SERVICE: &str = "free-service";

/// The terms an entry is available under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Licence {
    /// An SPDX licence expression, as written (`AGPL-3.0-or-later`,
    /// `Apache-2.0 OR GPL-2.0`, `LicenseRef-NPSL`).
    Spdx(String),
    /// Free of charge under the provider's own terms: no open licence.
    FreeService,
}

impl Licence {
    /// The licence as shown to readers.
    pub fn label(&self) -> &str {
        match self {
            Licence::Spdx(expression) => expression,
            Licence::FreeService => "Free service (provider's terms)",
        }
    }
}

/// The incident classes an entry helps with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncidentScope {
    /// Useful whatever the incident (`incident_classes: [any]`).
    Any,
    /// Useful for these RSIT classes (slugs from the taxonomy).
    Classes(Vec<String>),
}

/// A validated entry.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The file the entry was read from.
    pub path: std::path::PathBuf,
    /// Stable identifier and page name: the file name without `.md`.
    pub slug: String,
    /// `name`: the display name, one line, at most 80 characters. Required.
    pub name: String,
    /// `kind`: `tool`, `data` or `service`. Tools live in `entries/tools/`,
    /// data sources and services in `entries/data/`. Required.
    pub kind: Kind,
    /// `summary`: one line saying what it is good for, at most 160
    /// characters, no Markdown. Required.
    pub summary: String,
    /// `homepage`: the http or https address readers should visit. Required.
    pub homepage: Url,
    /// `repository`: the source code's address, for open-source tools.
    pub repository: Option<Url>,
    /// `maintainer`: the slug of the organisation in `entries/orgs/` that
    /// maintains it. Required.
    pub maintainer: String,
    /// `licence`: an SPDX expression (deprecated ids such as `AGPL-3.0` and
    /// `LicenseRef-…` are accepted), or `free-service`. Required.
    pub licence: Licence,
    /// `cost`: `free` or `freemium`. Required.
    pub cost: Cost,
    /// `deployment`: one or more of `self-hosted`, `online`, `download`.
    /// Required.
    pub deployment: Vec<Deployment>,
    /// `access`: `open`, `registration`, `network-owners`, `national-csirts`
    /// or `trusted-partners`. Required for data and services; tools default
    /// to `open`.
    pub access: Access,
    /// `platforms`: lower-case words such as `linux`, `windows`. Optional.
    pub platforms: Vec<String>,
    /// `formats`: data formats read or written, such as `json`, `misp`,
    /// `stix2`. Optional.
    pub formats: Vec<String>,
    /// `categories`: one or more category slugs from
    /// `entries/taxonomy/categories.yaml`, the main one first. Required.
    pub categories: Vec<String>,
    /// `incident_classes`: RSIT class slugs from
    /// `entries/taxonomy/incident-classes.yaml`, or `[any]`. Required.
    pub incident_classes: IncidentScope,
    /// `incident_types`: RSIT incident-type slugs (the `types` under the
    /// classes in `entries/taxonomy/incident-classes.yaml`), each under a
    /// class the entry lists, for entries made for particular kinds of
    /// incident (phishing, DDoS…). Optional.
    pub incident_types: Vec<String>,
    /// `phases`: response-phase slugs from `entries/taxonomy/phases.yaml`.
    /// Required.
    pub phases: Vec<String>,
    /// `tags`: free lower-case words. Optional.
    pub tags: Vec<String>,
    /// `update_frequency`: for data, how often it changes: `realtime`,
    /// `hourly`, `daily`, `weekly`, `monthly`, `irregular`. Optional.
    pub update_frequency: Option<UpdateFrequency>,
    /// `status`: `live`, `degraded`, `down`, `defunct` or `archived`.
    /// Required.
    pub status: Status,
    /// `added`: the date the entry was added, `YYYY-MM-DD`. Required.
    pub added: Date,
    /// `last_reviewed`: the date its facts were last checked, `YYYY-MM-DD`,
    /// not before `added`. Required.
    pub last_reviewed: Date,
    /// The Markdown body: what it is good for in incident response and how
    /// CSIRTs use it.
    pub body: crate::load::Body,
}

/// The front matter of an entry as written. Unknown keys are errors.
///
/// The doc comments here are what editors show contributors, through the
/// schema generated from this struct (`schemas/entry.schema.json`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "CSIRT Commons entry",
    description = "The front matter of one tool, data source or free service: a Markdown file in entries/tools/ or entries/data/."
)]
pub struct RawEntry {
    /// The name readers see, one line, at most 80 characters.
    #[schemars(required, with = "String", length(min = 1, max = 80))]
    pub name: Option<Spanned<String>>,
    /// `tool` lives in entries/tools/; `data` and `service` in entries/data/.
    #[schemars(required, with = "Kind")]
    pub kind: Option<Spanned<String>>,
    /// One line saying what it is good for, at most 160 characters, no Markdown.
    #[schemars(required, with = "String", length(min = 1, max = 160))]
    pub summary: Option<Spanned<String>>,
    /// The http or https address readers should visit.
    #[schemars(required, with = "WebUrl")]
    pub homepage: Option<Spanned<String>>,
    /// The source code's address, for open-source tools.
    #[serde(default)]
    #[schemars(with = "WebUrl")]
    pub repository: Option<Spanned<String>>,
    /// The slug of the organisation that maintains it: a file in entries/orgs/.
    #[schemars(required, with = "Slug")]
    pub maintainer: Option<Spanned<String>>,
    /// An SPDX licence expression such as `Apache-2.0` or `GPL-2.0-only OR MIT`, or `free-service` for something free under its provider's own terms.
    #[schemars(required, with = "String", length(min = 1))]
    pub licence: Option<Spanned<String>>,
    /// What using it costs.
    #[schemars(required, with = "Cost")]
    pub cost: Option<Spanned<String>>,
    /// How it is used: one or more of the words.
    #[schemars(required, with = "Vec<Deployment>", length(min = 1))]
    pub deployment: Option<Spanned<Vec<Spanned<String>>>>,
    /// Who may use it. Required for data and services; tools default to `open`.
    #[serde(default)]
    #[schemars(with = "Access")]
    pub access: Option<Spanned<String>>,
    /// Platforms it runs on, lower-case words such as `linux` or `windows`.
    #[serde(default)]
    #[schemars(with = "Vec<Token>")]
    pub platforms: Vec<Spanned<String>>,
    /// Data formats it reads or writes, lower-case words such as `json`, `misp`, `stix2`.
    #[serde(default)]
    #[schemars(with = "Vec<Token>")]
    pub formats: Vec<Spanned<String>>,
    /// Category slugs from entries/taxonomy/categories.yaml, the main one first.
    #[schemars(required, with = "Vec<Slug>", length(min = 1))]
    pub categories: Option<Spanned<Vec<Spanned<String>>>>,
    /// RSIT incident-class slugs from entries/taxonomy/incident-classes.yaml, or `[any]`.
    #[schemars(required, with = "IncidentScopeShape")]
    pub incident_classes: Option<Spanned<Vec<Spanned<String>>>>,
    /// RSIT incident-type slugs (the `types` of the classes in entries/taxonomy/incident-classes.yaml) for entries made for particular kinds of incident, each under a class listed in `incident_classes`.
    #[serde(default)]
    #[schemars(with = "Vec<Slug>")]
    pub incident_types: Option<Spanned<Vec<Spanned<String>>>>,
    /// Response-phase slugs from entries/taxonomy/phases.yaml.
    #[schemars(required, with = "Vec<Slug>", length(min = 1))]
    pub phases: Option<Spanned<Vec<Spanned<String>>>>,
    /// Free lower-case words that help search.
    #[serde(default)]
    #[schemars(with = "Vec<Token>")]
    pub tags: Vec<Spanned<String>>,
    /// For data sources and services: how often the data changes.
    #[serde(default)]
    #[schemars(with = "UpdateFrequency")]
    pub update_frequency: Option<Spanned<String>>,
    /// Whether it still works, as of `last_reviewed`.
    #[schemars(required, with = "Status")]
    pub status: Option<Spanned<String>>,
    /// The date the entry was added, `YYYY-MM-DD`.
    #[schemars(required, with = "Day")]
    pub added: Option<Spanned<String>>,
    /// The date its facts were last checked, `YYYY-MM-DD`, not before `added`.
    #[schemars(required, with = "Day")]
    pub last_reviewed: Option<Spanned<String>>,
}

/// The slugs that references in an entry may name.
/// Each list is `None` when its file or folder could not be read: that
/// problem is reported once, and references to the list are then not
/// reported again for every entry.
pub struct Known<'a> {
    /// Organisation slugs.
    pub orgs: Option<&'a BTreeSet<String>>,
    /// Category slugs.
    pub categories: Option<&'a BTreeSet<String>>,
    /// Incident-class slugs.
    pub incident_classes: Option<&'a BTreeSet<String>>,
    /// Incident-type slugs, each with its class's slug.
    pub incident_types: Option<&'a BTreeMap<String, String>>,
    /// Phase slugs.
    pub phases: Option<&'a BTreeSet<String>>,
}

/// Which kinds a folder may hold.
#[derive(Debug, Clone, Copy)]
pub enum Folder {
    /// `entries/tools/`: kind `tool`.
    Tools,
    /// `entries/data/`: kinds `data` and `service`.
    Data,
}

/// Validates one entry file, returning the entry or every problem in it.
pub fn validate(
    file: Loaded<RawEntry>,
    folder: Folder,
    known: &Known,
) -> Result<Entry, Vec<Diagnostic>> {
    let mut check = FieldChecker::new(&file.path, 2);
    let raw = &file.raw;
    let slug =
        file_slug(&file.path, &file.stem).map_err(|problem| check.problems.push(problem)).ok();

    let name = check.required(&raw.name, "name").and_then(|v| check.line_of_text(v, "name", 80));
    let kind = check.required(&raw.kind, "kind").and_then(|v| check.word::<Kind>(v, "kind"));
    if let (Some(kind), Some(value)) = (kind, &raw.kind) {
        check_folder(&mut check, value, kind, folder);
    }
    let summary =
        check.required(&raw.summary, "summary").and_then(|v| check.line_of_text(v, "summary", 160));
    let homepage =
        check.required(&raw.homepage, "homepage").and_then(|v| check.web_url(v, "homepage"));
    let repository = raw.repository.as_ref().and_then(|v| check.web_url(v, "repository"));
    let maintainer = check
        .required(&raw.maintainer, "maintainer")
        .and_then(|v| reference(&mut check, v, known.orgs, "organisation", "entries/orgs/"));
    let licence = check.required(&raw.licence, "licence").and_then(|v| licence(&mut check, v));
    let cost = check.required(&raw.cost, "cost").and_then(|v| check.word::<Cost>(v, "cost"));
    let deployment = check.required(&raw.deployment, "deployment").map(|v| {
        non_empty(&mut check, v, "deployment", |c, items| {
            c.words::<Deployment>(items, "deployment")
        })
    });
    let access = match (&raw.access, kind) {
        (Some(v), _) => check.word::<Access>(v, "access"),
        (None, Some(Kind::Tool)) => Some(Access::Open),
        (None, _) => check.required(&raw.access, "access").and(None),
    };
    let categories = check.required(&raw.categories, "categories").map(|v| {
        non_empty(&mut check, v, "categories", |c, items| {
            references(c, items, known.categories, "category", "entries/taxonomy/categories.yaml")
        })
    });
    let incident_classes = check
        .required(&raw.incident_classes, "incident_classes")
        .and_then(|v| incident_scope(&mut check, v, known.incident_classes));
    let incident_types = match (&raw.incident_types, &incident_classes) {
        (Some(list), Some(scope)) => incident_types(&mut check, list, scope, known.incident_types),
        _ => Vec::new(),
    };
    let phases = check.required(&raw.phases, "phases").map(|v| {
        non_empty(&mut check, v, "phases", |c, items| {
            references(c, items, known.phases, "phase", "entries/taxonomy/phases.yaml")
        })
    });
    let platforms = check.tokens(&raw.platforms, "platforms");
    let formats = check.tokens(&raw.formats, "formats");
    let tags = check.tokens(&raw.tags, "tags");
    let update_frequency =
        raw.update_frequency.as_ref().and_then(|v| check.word(v, "update_frequency"));
    if let (Some(Kind::Tool), Some(value)) = (kind, &raw.update_frequency) {
        check.report(
            value,
            "`update_frequency` is for data sources and services, not tools",
            Some("remove the line".into()),
        );
    }
    let status =
        check.required(&raw.status, "status").and_then(|v| check.word::<Status>(v, "status"));
    let added = check.required(&raw.added, "added").and_then(|v| check.date(v, "added"));
    let last_reviewed = check
        .required(&raw.last_reviewed, "last_reviewed")
        .and_then(|v| check.date(v, "last_reviewed"));
    if let (Some(added), Some(reviewed), Some(value)) = (added, last_reviewed, &raw.last_reviewed)
        && reviewed < added
    {
        let message = format!("`last_reviewed` ({reviewed}) is before `added` ({added})");
        check.report(value, message, None);
    }

    let entry = || {
        Some(Entry {
            path: file.path.clone(),
            slug: slug?,
            name: name?,
            kind: kind?,
            summary: summary?,
            homepage: homepage?,
            repository,
            maintainer: maintainer?,
            licence: licence?,
            cost: cost?,
            deployment: deployment?,
            access: access?,
            platforms,
            formats,
            categories: categories?,
            incident_classes: incident_classes?,
            incident_types,
            phases: phases?,
            tags,
            update_frequency,
            status: status?,
            added: added?,
            last_reviewed: last_reviewed?,
            body: file.body,
        })
    };
    match entry() {
        Some(entry) if check.problems.is_empty() => Ok(entry),
        _ => Err(check.problems),
    }
}

/// Reports a kind that does not belong in the folder it was found in.
fn check_folder(check: &mut FieldChecker, value: &Spanned<String>, kind: Kind, folder: Folder) {
    let fits = matches!(
        (folder, kind),
        (Folder::Tools, Kind::Tool) | (Folder::Data, Kind::Data | Kind::Service)
    );
    if !fits {
        let right = if kind == Kind::Tool { "entries/tools/" } else { "entries/data/" };
        check.report(
            value,
            format!("an entry of kind `{}` belongs in `{right}`", kind.slug()),
            Some(format!("move the file to `{right}`")),
        );
    }
}

/// A list that must hold at least one valid item.
fn non_empty<T>(
    check: &mut FieldChecker,
    list: &Spanned<Vec<Spanned<String>>>,
    field: &str,
    convert: impl FnOnce(&mut FieldChecker, &[Spanned<String>]) -> Vec<T>,
) -> Vec<T> {
    if list.value.is_empty() {
        check.report(list, format!("`{field}` needs at least one value"), None);
    }
    convert(check, &list.value)
}

/// A reference to a slug defined elsewhere.
fn reference(
    check: &mut FieldChecker,
    value: &Spanned<String>,
    known: Option<&BTreeSet<String>>,
    what: &str,
    place: &str,
) -> Option<String> {
    let Some(known) = known else {
        // The list itself is broken and already reported.
        return Some(value.value.clone());
    };
    if known.contains(&value.value) {
        return Some(value.value.clone());
    }
    let hint = match closest(&value.value, known) {
        Some(close) => format!("did you mean `{close}`? the known values are in `{place}`"),
        None => format!("the known values are in `{place}`"),
    };
    check.report(value, format!("unknown {what} `{}`", value.value), Some(hint));
    None
}

/// A list of references, without repeats, in the order written.
fn references(
    check: &mut FieldChecker,
    values: &[Spanned<String>],
    known: Option<&BTreeSet<String>>,
    what: &str,
    place: &str,
) -> Vec<String> {
    let mut slugs: Vec<String> = Vec::new();
    for value in values {
        if let Some(slug) = reference(check, value, known, what, place)
            && !slugs.contains(&slug)
        {
            slugs.push(slug);
        }
    }
    slugs
}

/// `incident_classes`: either `[any]` or a list of known classes.
fn incident_scope(
    check: &mut FieldChecker,
    list: &Spanned<Vec<Spanned<String>>>,
    known: Option<&BTreeSet<String>>,
) -> Option<IncidentScope> {
    if list.value.iter().any(|v| v.value == "any") {
        if list.value.len() > 1 {
            check.report(
                list,
                "`any` cannot be combined with other incident classes",
                Some("write either `[any]` or a list of classes".into()),
            );
            return None;
        }
        return Some(IncidentScope::Any);
    }
    let classes = non_empty(check, list, "incident_classes", |c, items| {
        references(c, items, known, "incident class", "entries/taxonomy/incident-classes.yaml")
    });
    Some(IncidentScope::Classes(classes))
}

/// `incident_types`: known RSIT types, each under one of the entry's
/// classes, without repeats, in the order written.
fn incident_types(
    check: &mut FieldChecker,
    list: &Spanned<Vec<Spanned<String>>>,
    scope: &IncidentScope,
    known: Option<&BTreeMap<String, String>>,
) -> Vec<String> {
    let place = "entries/taxonomy/incident-classes.yaml";
    let IncidentScope::Classes(classes) = scope else {
        if !list.value.is_empty() {
            check.report(
                list,
                "an entry for any incident class (`[any]`) cannot name incident types",
                Some("list the classes the types belong to in `incident_classes`".into()),
            );
        }
        return Vec::new();
    };
    let mut types: Vec<String> = Vec::new();
    for value in &list.value {
        let class = match known {
            // The taxonomy is broken and already reported.
            None => None,
            Some(known) => match known.get(&value.value) {
                Some(class) => Some(class),
                None => {
                    let slugs: BTreeSet<String> = known.keys().cloned().collect();
                    let hint = match closest(&value.value, &slugs) {
                        Some(close) => format!(
                            "did you mean `{close}`? the types are listed under each class in \
                             `{place}`"
                        ),
                        None => format!("the types are listed under each class in `{place}`"),
                    };
                    check.report(
                        value,
                        format!("unknown incident type `{}`", value.value),
                        Some(hint),
                    );
                    continue;
                }
            },
        };
        if let Some(class) = class
            && !classes.contains(class)
        {
            check.report(
                value,
                format!(
                    "incident type `{}` belongs to class `{class}`, which `incident_classes` \
                     does not list",
                    value.value
                ),
                Some(format!("add `{class}` to `incident_classes`, or remove the type")),
            );
            continue;
        }
        if !types.contains(&value.value) {
            types.push(value.value.clone());
        }
    }
    types
}

/// `licence`: an SPDX expression or `free-service`.
fn licence(check: &mut FieldChecker, value: &Spanned<String>) -> Option<Licence> {
    let text = value.value.trim();
    if text == FREE_SERVICE {
        return Some(Licence::FreeService);
    }
    let mode = spdx::ParseMode { allow_deprecated: true, ..spdx::ParseMode::STRICT };
    match spdx::Expression::parse_mode(text, mode) {
        Ok(_) => Some(Licence::Spdx(text.to_string())),
        Err(error) => {
            let reason = error.reason.to_string();
            check.report(
                value,
                format!("invalid licence `{text}`: {reason}"),
                Some(format!(
                    "write an SPDX expression such as `Apache-2.0` or `GPL-3.0-or-later`, \
                     `LicenseRef-<name>` for a licence SPDX does not list, or `{FREE_SERVICE}`"
                )),
            );
            None
        }
    }
}

/// The known slug nearest to a misspelt one, if any is near.
pub(crate) fn closest<'a>(wrong: &str, known: &'a BTreeSet<String>) -> Option<&'a str> {
    known
        .iter()
        .map(|slug| (edit_distance(wrong, slug), slug))
        .filter(|(distance, slug)| *distance <= 2.max(slug.len() / 4))
        .min()
        .map(|(_, slug)| slug.as_str())
}

/// Levenshtein distance between two short strings.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn licence_of(text: &str) -> Option<Licence> {
        let value = serde_saphyr::from_str::<Spanned<String>>(&format!("'{text}'")).unwrap();
        licence(&mut FieldChecker::new(std::path::Path::new("x.md"), 2), &value)
    }

    #[test]
    fn licences_are_spdx_expressions_or_the_free_service_word() {
        for good in [
            "AGPL-3.0-or-later",
            "AGPL-3.0",
            "Apache-2.0 OR GPL-2.0",
            "LicenseRef-NPSL",
            "Elastic-2.0",
        ] {
            assert_eq!(licence_of(good), Some(Licence::Spdx(good.into())), "{good}");
        }
        assert_eq!(licence_of("free-service"), Some(Licence::FreeService));
        for bad in ["GPL-4.0", "mit", "free", "Apache 2", ""] {
            assert_eq!(licence_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn edit_distance_counts_single_changes() {
        assert_eq!(edit_distance("phishng", "phishing"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn closest_suggests_only_near_slugs() {
        let known: BTreeSet<String> = ["malware-analysis", "phishing"].map(String::from).into();
        assert_eq!(closest("malware-analysys", &known), Some("malware-analysis"));
        assert_eq!(closest("network", &known), None);
    }
}
