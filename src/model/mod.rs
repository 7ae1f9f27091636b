//! The catalogue's data: raw structs as read from files and the validated
//! types built from them.
//!
//! Each file format has its own module holding the raw struct (every value
//! wrapped in [`Spanned`] so problems can name a line and column), the
//! validated type (which cannot hold bad data) and the conversion between
//! them. The doc comments on the validated types are the contributors'
//! schema.

pub mod entry;
pub mod evaluation;
pub mod org;
pub mod playbook;
pub mod rubric;
pub mod shapes;
pub mod taxonomy;

use std::path::Path;

use jiff::civil::Date;
use serde_saphyr::Spanned;
use url::Url;

use crate::diagnostics::{Diagnostic, is_invisible};
use crate::load::position;

/// A closed list of words a field may take, each with a label for pages.
pub trait Vocabulary: Sized + Copy + PartialEq + 'static {
    /// Every word, in the order pages list them.
    const ALL: &'static [Self];

    /// The word as written in files.
    fn slug(self) -> &'static str;

    /// The word as shown to readers.
    fn label(self) -> &'static str;

    /// The word for `text`, if it is one.
    fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|word| word.slug() == text)
    }

    /// Every word, joined for an error hint.
    fn choices() -> String {
        Self::ALL.iter().map(|word| format!("`{}`", word.slug())).collect::<Vec<_>>().join(", ")
    }
}

/// Declares an enum whose variants are written as slugs in files.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[doc = $vdoc:literal])* $variant:ident = $slug:literal, $label:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[doc = $vdoc])* $variant, )+
        }

        /// The schema of a field holding one of the words: each word with
        /// its doc comment, which editors show beside it.
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                $crate::model::word_schema(&[
                    $( ($slug, &[$($vdoc),*]), )+
                ])
            }
        }

        impl $crate::model::Vocabulary for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];

            fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug,)+ }
            }

            fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
        }
    };
}
pub(crate) use vocabulary;

/// The schema of a closed list of words, each given with its doc lines.
pub fn word_schema(words: &[(&str, &[&str])]) -> schemars::Schema {
    let choices: Vec<serde_json::Value> = words
        .iter()
        .map(|(slug, doc)| {
            let text = doc.iter().map(|line| line.trim()).collect::<Vec<_>>().join(" ");
            serde_json::json!({ "const": slug, "description": text })
        })
        .collect();
    schemars::json_schema!({ "type": "string", "oneOf": choices })
}

/// Checks the fields of one file, collecting a diagnostic per problem.
pub struct FieldChecker<'a> {
    path: &'a Path,
    yaml_line: usize,
    /// Problems found so far in this file.
    pub problems: Vec<Diagnostic>,
}

impl<'a> FieldChecker<'a> {
    /// A checker for a file whose YAML starts on `yaml_line`.
    pub fn new(path: &'a Path, yaml_line: usize) -> Self {
        FieldChecker { path, yaml_line, problems: Vec::new() }
    }

    /// The file being checked.
    pub fn path(&self) -> &Path {
        self.path
    }

    /// A diagnostic pointing at a value.
    pub fn at<T>(&self, value: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
        let (line, column) = position(value, self.yaml_line);
        Diagnostic::at(self.path, line, column, message)
    }

    /// Records a problem at a value.
    pub fn report<T>(
        &mut self,
        value: &Spanned<T>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let mut problem = self.at(value, message);
        problem.hint = hint;
        self.problems.push(problem);
    }

    /// A required field: reports it missing when absent.
    pub fn required<'v, T>(
        &mut self,
        value: &'v Option<Spanned<T>>,
        field: &str,
    ) -> Option<&'v Spanned<T>> {
        if value.is_none() {
            self.problems.push(
                Diagnostic::at(
                    self.path,
                    self.yaml_line.saturating_sub(1).max(1),
                    1,
                    format!("missing required field `{field}`"),
                )
                .hint(format!("add a line `{field}: …` between the `---` lines")),
            );
        }
        value.as_ref()
    }

    /// A one-line text of at most `max` characters.
    pub fn line_of_text(
        &mut self,
        value: &Spanned<String>,
        field: &str,
        max: usize,
    ) -> Option<String> {
        let text = value.value.trim();
        if text.is_empty() {
            self.report(value, format!("`{field}` is empty"), None);
            return None;
        }
        if text.contains(['\n', '\r']) {
            self.report(value, format!("`{field}` must be a single line"), None);
            return None;
        }
        if let Some(c) = text.chars().find(|c| c.is_control() || is_invisible(*c)) {
            self.report(
                value,
                format!("`{field}` contains the invisible character U+{:04X}", u32::from(c)),
                Some(
                    "retype the value; invisible and direction-changing characters are not allowed"
                        .into(),
                ),
            );
            return None;
        }
        let length = text.chars().count();
        if length > max {
            self.report(
                value,
                format!("`{field}` is {length} characters long, over the limit of {max}"),
                Some("say more in the body".into()),
            );
            return None;
        }
        Some(text.to_string())
    }

    /// A word from a closed vocabulary.
    pub fn word<V: Vocabulary>(&mut self, value: &Spanned<String>, field: &str) -> Option<V> {
        let word = V::parse(&value.value);
        if word.is_none() {
            self.report(
                value,
                format!("unknown {field} `{}`", value.value),
                Some(format!("use one of {}", V::choices())),
            );
        }
        word
    }

    /// A list of words from a closed vocabulary; at least one when `required`.
    pub fn words<V: Vocabulary>(&mut self, values: &[Spanned<String>], field: &str) -> Vec<V> {
        let mut words: Vec<V> = values.iter().filter_map(|v| self.word(v, field)).collect();
        words.dedup();
        words
    }

    /// An `http` or `https` URL with a host.
    pub fn web_url(&mut self, value: &Spanned<String>, field: &str) -> Option<Url> {
        let text = value.value.trim();
        match Url::parse(text) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
                Some(url)
            }
            Ok(url) => {
                self.report(
                    value,
                    format!("`{field}` must be an http or https URL, not `{}:`", url.scheme()),
                    None,
                );
                None
            }
            Err(error) => {
                self.report(
                    value,
                    format!("`{field}` is not a valid URL: {error}"),
                    Some("write the full address, e.g. `https://example.org/`".into()),
                );
                None
            }
        }
    }

    /// A calendar date written `YYYY-MM-DD`, with no time or zone.
    pub fn date(&mut self, value: &Spanned<String>, field: &str) -> Option<Date> {
        let text = value.value.trim();
        let shaped = text.len() == 10
            && text
                .bytes()
                .enumerate()
                .all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
        let date = if shaped { text.parse::<Date>().ok() } else { None };
        // The catalogue is about software and data in use: a date outside
        // these years is a typo.
        let date = date.filter(|d| (1970..=2200).contains(&d.year()));
        if date.is_none() {
            self.report(
                value,
                format!("`{field}` is not a valid date: `{text}`"),
                Some("write a calendar date as YYYY-MM-DD, e.g. `2026-02-28`".into()),
            );
        }
        date
    }

    /// A lower-case token: letters, digits and single hyphens, at most 40
    /// characters (tags, formats, platforms).
    pub fn token(&mut self, value: &Spanned<String>, field: &str) -> Option<String> {
        if is_slug(&value.value) && value.value.len() <= 40 {
            Some(value.value.clone())
        } else {
            self.report(
                value,
                format!("`{field}` value `{}` is not a lower-case word", value.value),
                Some("use lower-case letters, digits and hyphens, e.g. `stix2`".into()),
            );
            None
        }
    }

    /// A list of tokens, sorted and without repeats.
    pub fn tokens(&mut self, values: &[Spanned<String>], field: &str) -> Vec<String> {
        let mut tokens: Vec<String> = values.iter().filter_map(|v| self.token(v, field)).collect();
        tokens.sort();
        tokens.dedup();
        tokens
    }
}

/// Whether `text` is a slug: one safe path segment of lower-case ASCII
/// letters, digits and single inner hyphens, at most 64 characters.
pub fn is_slug(text: &str) -> bool {
    // Names Windows reserves for devices: a file called `con.md` would break
    // every checkout on Windows.
    const RESERVED: [&str; 22] = [
        "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
        "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    ];
    !RESERVED.contains(&text)
        && !text.is_empty()
        && text.len() <= 64
        && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
}

/// The slug of a file: its name without `.md`, checked.
pub fn file_slug(path: &Path, stem: &str) -> Result<String, Diagnostic> {
    if is_slug(stem) {
        Ok(stem.to_string())
    } else {
        Err(Diagnostic::file(path, format!("file name `{stem}` is not a valid slug")).hint(
            "name the file with lower-case letters, digits and hyphens, e.g. `intelmq-manager.md`",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A string value as the YAML parser would hand it over, on line 1.
    fn spanned(text: &str) -> Spanned<String> {
        serde_saphyr::from_str::<Spanned<String>>(&format!("'{text}'")).unwrap()
    }

    #[test]
    fn dates_are_calendar_dates_and_impossible_ones_are_refused() {
        let mut check = FieldChecker::new(Path::new("x.md"), 2);
        assert_eq!(
            check.date(&spanned("2024-02-29"), "added"),
            Some(jiff::civil::date(2024, 2, 29))
        );
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-2-1",
            "2024-02-29T10:00",
            "29/02/2024",
            "",
            "0000-01-01",
        ] {
            assert_eq!(check.date(&spanned(bad), "added"), None, "{bad}");
        }
        assert_eq!(check.problems.len(), 7);
        assert!(check.problems[0].message.starts_with("`added` is not a valid date"));
    }

    #[test]
    fn only_http_and_https_urls_with_a_host_are_accepted() {
        let mut check = FieldChecker::new(Path::new("x.md"), 2);
        assert!(check.web_url(&spanned("https://example.org/a"), "homepage").is_some());
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:text/html,x",
            "ftp://x.org/",
            "example.org",
            "file:///etc/passwd",
        ] {
            assert!(check.web_url(&spanned(bad), "homepage").is_none(), "{bad}");
        }
    }

    #[test]
    fn slugs_are_single_safe_segments() {
        for good in ["misp", "crt-sh", "volatility-3", "a"] {
            assert!(is_slug(good), "{good}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "a--b",
            "A",
            "a/b",
            "..",
            "a.b",
            "a b",
            "é",
            "con",
            "lpt1",
            &"a".repeat(65),
        ] {
            assert!(!is_slug(bad), "{bad}");
        }
    }
}
