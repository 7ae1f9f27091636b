//! Organisations: one Markdown file per maintainer or evaluator in
//! `entries/orgs/`.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;
use url::Url;

use super::shapes::{Country, WebUrl};
use super::{FieldChecker, file_slug, vocabulary};
use crate::diagnostics::Diagnostic;
use crate::load::Loaded;

vocabulary! {
    /// What kind of organisation it is.
    OrgKind {
        /// A country's national CSIRT or CERT.
        NationalCsirt = "national-csirt", "National CSIRT";
        /// A government agency other than a national CSIRT.
        Government = "government", "Government";
        /// A non-profit foundation or association.
        NonProfit = "non-profit", "Non-profit";
        /// A company.
        Company = "company", "Company";
        /// An open-source or volunteer community.
        Community = "community", "Community";
        /// One person.
        Individual = "individual", "Individual";
        /// A university or research institute.
        Academic = "academic", "Academic";
        /// An international body.
        International = "international", "International body";
    }
}

/// A validated organisation.
#[derive(Debug, Clone)]
pub struct Org {
    /// The file the organisation was read from.
    pub path: std::path::PathBuf,
    /// Stable identifier and page name: the file name without `.md`.
    pub slug: String,
    /// `name`: the organisation's name, one line. Required.
    pub name: String,
    /// `kind`: `national-csirt`, `government`, `non-profit`, `company`,
    /// `community`, `individual`, `academic` or `international`. Required.
    pub kind: OrgKind,
    /// `country`: ISO 3166-1 alpha-2 code in upper case, e.g. `AT`. Optional.
    pub country: Option<String>,
    /// `homepage`: the organisation's http or https address. Optional.
    pub homepage: Option<Url>,
    /// `summary`: one line on who they are, at most 160 characters.
    /// Required.
    pub summary: String,
    /// The Markdown body. Optional.
    pub body: crate::load::Body,
}

/// The front matter of an organisation as written. Unknown keys are errors.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "CSIRT Commons organisation",
    description = "The front matter of one maintainer or evaluator: a Markdown file in entries/orgs/."
)]
pub struct RawOrg {
    /// The organisation's name, one line, at most 100 characters.
    #[schemars(required, with = "String", length(min = 1, max = 100))]
    pub name: Option<Spanned<String>>,
    /// What kind of organisation it is.
    #[schemars(required, with = "OrgKind")]
    pub kind: Option<Spanned<String>>,
    /// Its ISO 3166-1 alpha-2 country code in upper case, e.g. `AT`.
    #[serde(default)]
    #[schemars(with = "Country")]
    pub country: Option<Spanned<String>>,
    /// The organisation's http or https address.
    #[serde(default)]
    #[schemars(with = "WebUrl")]
    pub homepage: Option<Spanned<String>>,
    /// One line on who they are, at most 160 characters.
    #[schemars(required, with = "String", length(min = 1, max = 160))]
    pub summary: Option<Spanned<String>>,
}

/// Validates one organisation file.
pub fn validate(file: Loaded<RawOrg>) -> Result<Org, Vec<Diagnostic>> {
    let mut check = FieldChecker::new(&file.path, 2);
    let raw = &file.raw;
    let slug =
        file_slug(&file.path, &file.stem).map_err(|problem| check.problems.push(problem)).ok();
    let name = check.required(&raw.name, "name").and_then(|v| check.line_of_text(v, "name", 100));
    let kind = check.required(&raw.kind, "kind").and_then(|v| check.word(v, "organisation kind"));
    let country = raw.country.as_ref().and_then(|v| country(&mut check, v));
    let homepage = raw.homepage.as_ref().and_then(|v| check.web_url(v, "homepage"));
    let summary =
        check.required(&raw.summary, "summary").and_then(|v| check.line_of_text(v, "summary", 160));
    match (slug, name, kind, summary) {
        (Some(slug), Some(name), Some(kind), Some(summary)) if check.problems.is_empty() => {
            Ok(Org {
                path: file.path.clone(),
                slug,
                name,
                kind,
                country,
                homepage,
                summary,
                body: file.body,
            })
        }
        _ => Err(check.problems),
    }
}

/// `country`: two upper-case ASCII letters.
fn country(check: &mut FieldChecker, value: &Spanned<String>) -> Option<String> {
    let code = value.value.trim();
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Some(code.to_string())
    } else {
        check.report(
            value,
            format!("`country` must be a two-letter ISO 3166-1 code, not `{code}`"),
            Some("e.g. `AT`, `PL`, `JP`; leave it out for international bodies".into()),
        );
        None
    }
}
