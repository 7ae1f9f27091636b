//! The catalogue as a MISP galaxy, so a CSIRT can import it into MISP and
//! tag events with the tools and data sources involved.
//!
//! Two files in `site/api/misp/`: `galaxy.json` (the galaxy) and
//! `cluster.json` (one cluster value per entry, with its facts in `meta`).
//! UUIDs are name-based (v5) from fixed names and entry slugs, which never
//! change, so they stay the same across builds, hosts and copies of the
//! catalogue. Response phases are the galaxy's kill chain, so MISP can show
//! the catalogue as a matrix by phase.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::index::exports::json;
use crate::model::Vocabulary;
use crate::model::entry::{Entry, IncidentScope};
use crate::render::pages::Page;
use crate::settings::Settings;
use crate::validate::Catalogue;

/// The galaxy's `type` and `namespace`, and the name of its kill chain.
pub const TYPE: &str = "csirt-commons";

/// The galaxy's UUID, which is also the cluster's, as MISP expects.
pub fn galaxy_uuid() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:csirt-commons:misp-galaxy")
}

/// The UUID of an entry's cluster value: from its slug, which is permanent.
pub fn entry_uuid(slug: &str) -> Uuid {
    Uuid::new_v5(&galaxy_uuid(), format!("entry/{slug}").as_bytes())
}

/// The galaxy's version: the newest `added` or `last_reviewed` date as
/// `YYYYMMDD`, so it grows when entries are added or reviewed, which is
/// when MISP should update its copy.
fn version(catalogue: &Catalogue) -> u32 {
    catalogue
        .entries
        .iter()
        .map(|e| e.added.max(e.last_reviewed))
        .max()
        .map_or(1, |d| d.year() as u32 * 10_000 + d.month() as u32 * 100 + d.day() as u32)
}

fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> Value {
    Value::from(items.into_iter().map(String::from).collect::<Vec<_>>())
}

/// How many entries bear each name.
type NameCounts<'a> = std::collections::BTreeMap<&'a str, usize>;

/// The cluster value's name: MISP makes tags from names, so they must be
/// unique; an entry whose name another entry shares gets its slug beside it.
fn name(entry: &Entry, counts: &NameCounts) -> String {
    if counts.get(entry.name.as_str()).is_some_and(|n| *n > 1) {
        format!("{} ({})", entry.name, entry.slug)
    } else {
        entry.name.clone()
    }
}

fn value(entry: &Entry, counts: &NameCounts, catalogue: &Catalogue, settings: &Settings) -> Value {
    let mut refs =
        vec![format!("{}entry/{}.html", settings.base_url, entry.slug), entry.homepage.to_string()];
    refs.extend(entry.repository.as_ref().map(|r| r.to_string()));
    refs.dedup();
    // Organisations are sorted by slug.
    let maintainer = catalogue
        .orgs
        .binary_search_by(|o| o.slug.as_str().cmp(&entry.maintainer))
        .map_or(entry.maintainer.as_str(), |at| catalogue.orgs[at].name.as_str());
    let mut meta = json!({
        "refs": refs,
        "kind": [entry.kind.slug()],
        "categories": strings(entry.categories.iter().map(String::as_str)),
        "incident-classes": match &entry.incident_classes {
            IncidentScope::Any => strings(["any"]),
            IncidentScope::Classes(classes) => strings(classes.iter().map(String::as_str)),
        },
        "kill_chain": entry.phases.iter().map(|p| format!("{TYPE}:{p}")).collect::<Vec<_>>(),
        "licence": entry.licence.label(),
        "cost": entry.cost.slug(),
        "deployment": strings(entry.deployment.iter().map(|d| d.slug())),
        "access": entry.access.slug(),
        "maintainer": maintainer,
        "status": entry.status.slug(),
        "last-reviewed": entry.last_reviewed.to_string(),
    });
    let lists = [
        ("incident-types", &entry.incident_types),
        ("formats", &entry.formats),
        ("platforms", &entry.platforms),
        ("tags", &entry.tags),
    ];
    for (key, list) in lists.into_iter().filter(|(_, list)| !list.is_empty()) {
        meta[key] = strings(list.iter().map(String::as_str));
    }
    json!({
        "value": name(entry, counts),
        "description": entry.summary,
        "uuid": entry_uuid(&entry.slug).to_string(),
        "meta": meta,
    })
}

/// Every entry's cluster value, made as it is serialised.
struct Values<'a> {
    counts: &'a NameCounts<'a>,
    catalogue: &'a Catalogue,
    settings: &'a Settings,
}

impl serde::Serialize for Values<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Values { counts, catalogue, settings } = self;
        serializer
            .collect_seq(catalogue.entries.iter().map(|e| value(e, counts, catalogue, settings)))
    }
}

/// The cluster file: its head's fields, in order, then `values`.
struct Cluster<'a> {
    head: &'a Value,
    values: Values<'a>,
}

impl serde::Serialize for Cluster<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let empty = serde_json::Map::new();
        let head = self.head.as_object().unwrap_or(&empty);
        let mut map = serializer.serialize_map(Some(head.len()))?;
        for (key, value) in head {
            if key == "values" {
                map.serialize_entry(key, &self.values)?;
            } else {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

/// `api/misp/galaxy.json` and `api/misp/cluster.json`.
pub fn pages(catalogue: &Catalogue, settings: &Settings) -> Vec<Page> {
    let description = format!(
        "Free tools, data sources and services for incident response, from {}: {}",
        settings.title, settings.description
    );
    let version = version(catalogue);
    let mut counts = NameCounts::new();
    for entry in &catalogue.entries {
        *counts.entry(entry.name.as_str()).or_default() += 1;
    }
    let uuid = galaxy_uuid().to_string();
    let phases: Vec<&str> = catalogue.phases.iter().map(|p| p.slug.as_str()).collect();
    let galaxy = json!({
        "name": settings.title,
        "namespace": TYPE,
        "type": TYPE,
        "description": description,
        "uuid": uuid,
        "version": version,
        "icon": "wrench",
        "kill_chain_order": { TYPE: phases },
    });
    let cluster = json!({
        "name": settings.title,
        "type": TYPE,
        "category": "tool",
        "description": description,
        "uuid": uuid,
        "version": version,
        "source": settings.base_url,
        "authors": [format!("{} contributors", settings.title)],
        "values": [],
    });
    // The values are written one at a time rather than built as one tree:
    // a tree of 100,000 values would be the build's largest allocation.
    let values = Values { counts: &counts, catalogue, settings };
    let cluster = Cluster { head: &cluster, values };
    vec![json("api/misp/galaxy.json", &galaxy), json("api/misp/cluster.json", &cluster)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_name_based_and_never_change() {
        // Pinned: a changed UUID would make every MISP instance that
        // imported the galaxy see new clusters instead of updated ones.
        assert_eq!(galaxy_uuid().to_string(), "bcf8126b-8e0d-505b-af65-0a157d614a27");
        // The same values as Python's uuid.uuid5 gives for these names.
        assert_eq!(entry_uuid("misp").to_string(), "acaff271-174b-5722-aaf8-f73f4437dcb9");
        assert_ne!(entry_uuid("misp"), entry_uuid("zeek"));
        assert_eq!(entry_uuid("misp").get_version_num(), 5);
    }
}
