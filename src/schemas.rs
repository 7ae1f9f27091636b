//! JSON Schemas for every file format, generated from the Rust types.
//!
//! The raw structs that files are read into, and the records the exports
//! are written from, derive `JsonSchema`; their doc comments become the
//! descriptions editors show. The schemas are committed in `schemas/`
//! (a test fails when they drift from the types; `commons schemas` writes
//! them anew) and published in the site's `schemas/` folder.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

use crate::index::exports::{EntriesFile, EvaluationsFile, TaxonomyFile};
use crate::model::entry::RawEntry;
use crate::model::evaluation::RawEvaluation;
use crate::model::org::RawOrg;
use crate::model::playbook::RawPlaybook;
use crate::model::rubric::RawRubric;
use crate::model::taxonomy::RawTerm;

/// The folder schemas are committed in and published under.
pub const FOLDER: &str = "schemas";

/// The schema file for entries, as named in scaffolds' schema lines.
pub const ENTRY: &str = "entry.schema.json";
/// The schema file for organisations.
pub const ORG: &str = "organisation.schema.json";
/// The schema file for evaluations.
pub const EVALUATION: &str = "evaluation.schema.json";

fn schema<T: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12().into_generator().into_root_schema_for::<T>()
}

fn text(schema: &Schema) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Every schema: its file name and its text, in a fixed order.
pub fn all() -> Vec<(&'static str, String)> {
    let mut taxonomy = schema::<Vec<RawTerm>>();
    taxonomy.insert("title".into(), "CSIRT Commons taxonomy".into());
    taxonomy.insert(
        "description".into(),
        "A taxonomy file in entries/taxonomy/: a list of terms.".into(),
    );
    vec![
        (ENTRY, text(&schema::<RawEntry>())),
        (ORG, text(&schema::<RawOrg>())),
        (EVALUATION, text(&schema::<RawEvaluation>())),
        ("playbook.schema.json", text(&schema::<RawPlaybook>())),
        ("rubric.schema.json", text(&schema::<RawRubric>())),
        ("taxonomy.schema.json", text(&taxonomy)),
        ("api-entries.schema.json", text(&schema::<EntriesFile<'static>>())),
        ("api-evaluations.schema.json", text(&schema::<EvaluationsFile<'static>>())),
        ("api-taxonomy.schema.json", text(&schema::<TaxonomyFile<'static>>())),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed schemas are what the types generate: a change to a
    /// raw struct or an export record must come with `commons schemas`.
    #[test]
    fn committed_schemas_match_the_types() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FOLDER);
        let mut stale = Vec::new();
        for (name, generated) in all() {
            let committed = std::fs::read_to_string(folder.join(name)).unwrap_or_default();
            if committed != generated {
                stale.push(name);
            }
        }
        assert!(
            stale.is_empty(),
            "schemas differ from the types: {stale:?}; run `cargo run -- schemas` and commit"
        );
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .map(|dir| {
                dir.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect()
            })
            .unwrap_or_default();
        names.sort();
        let mut expected: Vec<String> = all().into_iter().map(|(n, _)| n.to_string()).collect();
        expected.sort();
        assert_eq!(names, expected, "the schema folder holds exactly the generated schemas");
    }
}
