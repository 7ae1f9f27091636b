//! Open data for other tools: the MISP galaxy export checked against the
//! MISP galaxy format and MISP's own consistency rules, and the Atom feeds
//! checked against RFC 4287.

use std::collections::BTreeSet;

use serde_json::Value;

use super::*;

fn json(site: &Path, page: &str) -> Value {
    serde_json::from_str(&read(site, page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

fn format_problems(schema: &str, value: &Value) -> Vec<String> {
    let text = fs::read_to_string(format!("tests/fixtures/misp-format/{schema}")).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&serde_json::from_str(&text).unwrap())
        .unwrap();
    validator.iter_errors(value).map(|e| format!("{e} at {}", e.instance_path())).collect()
}

#[test]
fn misp_galaxy_export_follows_the_galaxy_format_with_one_value_per_entry() {
    let (_dir, site) = build(".", &[]);
    let galaxy = json(&site, "api/misp/galaxy.json");
    let cluster = json(&site, "api/misp/cluster.json");
    let problems = format_problems("galaxy.schema.json", &galaxy);
    assert!(problems.is_empty(), "galaxy: {problems:#?}");
    let problems = format_problems("cluster.schema.json", &cluster);
    assert!(problems.is_empty(), "cluster: {problems:#?}");

    // MISP pairs a cluster with its galaxy by type and UUID.
    assert_eq!(galaxy["type"], cluster["type"]);
    assert_eq!(galaxy["uuid"], cluster["uuid"]);
    assert_eq!(galaxy["version"], cluster["version"]);

    let entries = json(&site, "api/entries.json");
    let entries = entries["entries"].as_array().unwrap();
    let values = cluster["values"].as_array().unwrap();
    assert_eq!(values.len(), entries.len(), "one value per entry");
    let uuids: BTreeSet<&str> = values.iter().map(|v| v["uuid"].as_str().unwrap()).collect();
    assert_eq!(uuids.len(), values.len(), "value UUIDs are unique");
    assert!(!uuids.contains(galaxy["uuid"].as_str().unwrap()));
    let names: BTreeSet<&str> = values.iter().map(|v| v["value"].as_str().unwrap()).collect();
    assert_eq!(names.len(), values.len(), "value names are unique");

    let chain = galaxy["kill_chain_order"]["csirt-commons"].as_array().unwrap();
    let phases: BTreeSet<String> =
        chain.iter().map(|p| format!("csirt-commons:{}", p.as_str().unwrap())).collect();
    for value in values {
        for step in value["meta"]["kill_chain"].as_array().unwrap() {
            assert!(phases.contains(step.as_str().unwrap()), "{step} is not in the kill chain");
        }
    }
    let misp = values.iter().find(|v| v["value"] == "MISP").unwrap();
    assert_eq!(misp["uuid"], "acaff271-174b-5722-aaf8-f73f4437dcb9");
    assert_eq!(misp["meta"]["licence"], "AGPL-3.0");
    assert!(misp["meta"]["refs"][0].as_str().unwrap().ends_with("/entry/misp.html"));
}

#[test]
fn misp_uuids_survive_a_new_host_and_other_entries_changing() {
    let uuid_of = |site: &Path, name: &str| {
        json(site, "api/misp/cluster.json")["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["value"] == name)
            .map(|v| v["uuid"].clone())
            .unwrap()
    };
    let (_a, first) = build(&fixture("valid"), &[]);
    let dir = tempfile::tempdir().unwrap();
    copy_tree(Path::new(&fixture("valid")), dir.path());
    let settings = dir.path().join("commons.yaml");
    let text = fs::read_to_string(&settings).unwrap();
    fs::write(&settings, text.replace("fixture.example.org", "mirror.example.net")).unwrap();
    let feed = dir.path().join("entries/data/phish-feed.md");
    let text = fs::read_to_string(&feed).unwrap();
    fs::write(&feed, text.replace("name: Phish Feed", "name: Phish Feed Renamed")).unwrap();
    let (_b, second) = build(dir.path().to_str().unwrap(), &[]);
    assert_eq!(uuid_of(&first, "Sample Sandbox"), uuid_of(&second, "Sample Sandbox"));
    assert_eq!(uuid_of(&first, "Phish Feed"), uuid_of(&second, "Phish Feed Renamed"));
}

/// Checks a document against the rules of RFC 4287 that a feed reader
/// relies on; returns the entries' ids.
fn check_atom(name: &str, text: &str) -> Vec<String> {
    const ATOM: &str = "http://www.w3.org/2005/Atom";
    let document = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let feed = document.root_element();
    assert_eq!(feed.tag_name().namespace(), Some(ATOM), "{name}: not in the Atom namespace");
    assert_eq!(feed.tag_name().name(), "feed", "{name}");
    let children = |node: roxmltree::Node<'_, '_>, tag: &str| -> Vec<String> {
        node.children()
            .filter(|c| c.is_element() && c.tag_name().name() == tag)
            .inspect(|c| assert_eq!(c.tag_name().namespace(), Some(ATOM)))
            .map(|c| c.text().unwrap_or_default().to_string())
            .collect()
    };
    let date = |text: &str, what: &str| {
        text.parse::<jiff::Timestamp>()
            .unwrap_or_else(|e| panic!("{name}: {what} `{text}` is not an RFC 3339 date: {e}"))
    };
    let is_iri = |text: &str| url::Url::parse(text).is_ok_and(|u| u.has_host());
    for tag in ["id", "title", "updated"] {
        assert_eq!(children(feed, tag).len(), 1, "{name}: the feed needs exactly one {tag}");
    }
    assert!(is_iri(&children(feed, "id")[0]), "{name}: the feed id is not an absolute IRI");
    let feed_updated = date(&children(feed, "updated")[0], "feed updated");
    let feed_has_author = !children(feed, "author").is_empty();
    let self_link = feed.children().any(|c| {
        c.tag_name().name() == "link"
            && c.attribute("rel") == Some("self")
            && c.attribute("href").is_some_and(is_iri)
    });
    assert!(self_link, "{name}: no rel=self link");
    let mut ids = Vec::new();
    for entry in feed.children().filter(|c| c.tag_name().name() == "entry") {
        for tag in ["id", "title", "updated"] {
            assert_eq!(children(entry, tag).len(), 1, "{name}: an entry needs exactly one {tag}");
        }
        let id = children(entry, "id").remove(0);
        assert!(is_iri(&id), "{name}: entry id `{id}` is not an absolute IRI");
        let updated = date(&children(entry, "updated")[0], "entry updated");
        assert!(updated <= feed_updated, "{name}: {id} is newer than the feed");
        assert!(feed_has_author || !children(entry, "author").is_empty(), "{name}: no author");
        let alternate = entry.children().any(|c| {
            c.tag_name().name() == "link"
                && c.attribute("rel").unwrap_or("alternate") == "alternate"
                && c.attribute("href").is_some_and(is_iri)
        });
        assert!(alternate || !children(entry, "content").is_empty(), "{name}: {id} has no link");
        ids.push(id);
    }
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{name}: entry ids repeat");
    ids
}

#[test]
fn atom_feeds_are_valid_atom() {
    let (_dir, site) = build(".", &[]);
    let entries = check_atom("entries.xml", &read(&site, "feeds/entries.xml"));
    assert!(entries.len() >= 20, "{}", entries.len());
    let evaluations = check_atom("evaluations.xml", &read(&site, "feeds/evaluations.xml"));
    assert!(!evaluations.is_empty());
    // Text that looks like markup stays text.
    let (_fixture_dir, fixture_site) = build(&fixture("valid"), &[]);
    let feed = read(&fixture_site, "feeds/entries.xml");
    check_atom("fixture entries.xml", &feed);
    let document = roxmltree::Document::parse(&feed).unwrap();
    let summary = document.descendants().find(|n| n.has_tag_name("summary")).unwrap();
    assert_eq!(
        summary.text(),
        Some("Runs samples in a throw-away machine & reports: files, network, <processes>.")
    );
}

#[test]
fn atom_checker_rejects_a_broken_feed() {
    let good = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>https://x.example/f</id>\
        <title>t</title><updated>2026-12-01T00:00:00Z</updated><author><name>a</name></author>\
        <link rel=\"self\" href=\"https://x.example/f\"/><entry><id>https://x.example/1</id>\
        <title>e</title><updated>2026-11-01T00:00:00Z</updated>\
        <link href=\"https://x.example/1\"/></entry></feed>";
    check_atom("good", good);
    for (broken, why) in [
        (good.replace("2026-11-01T00:00:00Z", "1 November 2026"), "date"),
        (good.replace("<id>https://x.example/1</id>", ""), "entry id"),
        (good.replace("http://www.w3.org/2005/Atom", "urn:other"), "namespace"),
        (good.replace("<link rel=\"self\" href=\"https://x.example/f\"/>", ""), "self link"),
    ] {
        let caught = std::panic::catch_unwind(|| check_atom(why, &broken)).is_err();
        assert!(caught, "a feed with a broken {why} passes");
    }
}

#[test]
fn misp_value_names_stay_unique_when_two_entries_share_a_name() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(Path::new(&fixture("valid")), dir.path());
    let feed = dir.path().join("entries/data/phish-feed.md");
    let text = fs::read_to_string(&feed).unwrap();
    fs::write(&feed, text.replace("name: Phish Feed", "name: Sample Sandbox")).unwrap();
    let (_out, site) = build(dir.path().to_str().unwrap(), &[]);
    let cluster = json(&site, "api/misp/cluster.json");
    let names: Vec<&str> = cluster["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Sample Sandbox (phish-feed)", "Sample Sandbox (sample-sandbox)"]);
}
