//! The JSON Schemas: every file in the real catalogue satisfies the schema
//! of its format, the schemas refuse what `check` refuses in shape, and
//! the exports of a build satisfy their schemas.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::{build, files, fixture, read};

fn schema(name: &str) -> jsonschema::Validator {
    let text = fs::read_to_string(Path::new("schemas").join(name)).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{name} is not a valid JSON Schema: {e}"))
}

/// The YAML of a file: its front matter for Markdown, all of it otherwise.
fn yaml_of(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap();
    let yaml = match text.strip_prefix("---\n") {
        Some(rest) => &rest[..rest.find("\n---").map_or(rest.len(), |end| end + 1)],
        None => text.as_str(),
    };
    serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn problems(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator.iter_errors(value).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

#[test]
fn every_catalogue_file_satisfies_the_schema_of_its_format() {
    let formats = [
        ("tools", "entry.schema.json"),
        ("data", "entry.schema.json"),
        ("orgs", "organisation.schema.json"),
        ("evaluations", "evaluation.schema.json"),
        ("rubrics", "rubric.schema.json"),
        ("taxonomy", "taxonomy.schema.json"),
        ("playbooks", "playbook.schema.json"),
    ];
    let mut checked = 0;
    for (folder, name) in formats {
        let validator = schema(name);
        let root = Path::new("entries").join(folder);
        for file in files(&root) {
            let value = yaml_of(&root.join(&file));
            let problems = problems(&validator, &value);
            assert!(problems.is_empty(), "{folder}/{}: {problems:#?}", file.display());
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} files were checked");
}

#[test]
fn entry_schema_refuses_what_check_refuses_in_shape() {
    let validator = schema("entry.schema.json");
    let good = yaml_of(Path::new("entries/tools/misp.md"));
    assert!(validator.is_valid(&good));
    let broken = [
        ("kind", serde_json::json!("software")),
        ("homepage", serde_json::json!("javascript:alert(1)")),
        ("added", serde_json::json!("3 December 2026")),
        ("maintainer", serde_json::json!("MISP Project")),
        ("categories", serde_json::json!([])),
        ("summary", serde_json::json!("x".repeat(161))),
        ("licnese", serde_json::json!("MIT")),
    ];
    for (field, value) in broken {
        let mut entry = good.clone();
        entry[field] = value;
        assert!(!validator.is_valid(&entry), "the schema accepts a bad `{field}`");
    }
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("status");
    assert!(!validator.is_valid(&missing), "the schema accepts an entry without `status`");
}

#[test]
fn site_publishes_the_committed_schemas() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    for file in files(Path::new("schemas")) {
        let name = file.to_str().unwrap();
        assert_eq!(
            read(&site, &format!("schemas/{name}")),
            fs::read_to_string(Path::new("schemas").join(name)).unwrap(),
            "site/schemas/{name}"
        );
    }
}

#[test]
fn exports_of_the_real_catalogue_satisfy_their_schemas() {
    let (_dir, site) = build(".", &[]);
    for (page, name) in [
        ("api/entries.json", "api-entries.schema.json"),
        ("api/evaluations.json", "api-evaluations.schema.json"),
        ("api/taxonomy.json", "api-taxonomy.schema.json"),
    ] {
        let value: Value = serde_json::from_str(&read(&site, page)).unwrap();
        let problems = problems(&schema(name), &value);
        assert!(problems.is_empty(), "{page}: {problems:#?}");
    }
}

#[test]
fn export_schemas_refuse_a_changed_format() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    let mut entries: Value = serde_json::from_str(&read(&site, "api/entries.json")).unwrap();
    let validator = schema("api-entries.schema.json");
    assert!(validator.is_valid(&entries));
    entries["version"] = serde_json::json!(2);
    assert!(!validator.is_valid(&entries), "a version 2 file passes the version 1 schema");
    entries["version"] = serde_json::json!(1);
    entries["entries"][0]["kind"] = serde_json::json!("gadget");
    assert!(!validator.is_valid(&entries), "an unknown kind passes");
}
