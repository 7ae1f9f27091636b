//! Warnings: things that are not wrong, but deserve a reviewer's look —
//! likely duplicate entries, entries not reviewed for over a year, dates in
//! the future, and values still holding a `commons new` placeholder.
//! `commons check` prints them; `--strict` makes them fail the check.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::entry::Entry;
use crate::scaffold;
use crate::validate::Catalogue;

/// An entry not reviewed for this many months gets a warning.
pub const REVIEW_AFTER_MONTHS: i32 = 12;

/// Every warning about a valid catalogue, as of `today`.
pub fn find(catalogue: &Catalogue, today: Date) -> Diagnostics {
    let mut warnings = Diagnostics::default();
    let by = |key: &dyn Fn(&Entry) -> Vec<String>| {
        let mut groups: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
        for entry in &catalogue.entries {
            for value in key(entry) {
                groups.entry(value).or_default().push(entry);
            }
        }
        groups
    };
    let addresses = by(&|e: &Entry| {
        let mut urls = vec![normal_url(&e.homepage)];
        urls.extend(e.repository.as_ref().map(normal_url));
        urls.sort();
        urls.dedup();
        urls
    });
    let names = by(&|e: &Entry| vec![normal_name(&e.name)]);
    for (what, groups) in [("the same address", addresses), ("the same name", names)] {
        for (value, entries) in groups.into_iter().filter(|(_, list)| list.len() > 1) {
            for entry in &entries {
                let others: Vec<String> = entries
                    .iter()
                    .filter(|o| o.slug != entry.slug)
                    .map(|o| format!("`{}`", o.path.display()))
                    .collect();
                let key = if what == "the same name" { "name" } else { "homepage" };
                let message =
                    format!("possible duplicate: {what} (`{value}`) as {}", others.join(", "));
                warnings.push(at_field(&entry.path, key, message).hint(
                    "merge the entries, or make each one's name and address say how they differ",
                ));
            }
        }
    }
    // A day of slack: a contributor east of UTC writes a date that is
    // still tomorrow for the build.
    let tomorrow = today.saturating_add(jiff::Span::new().days(1));
    let dates = catalogue
        .entries
        .iter()
        .flat_map(|e| [(&e.path, "added", e.added), (&e.path, "last_reviewed", e.last_reviewed)])
        .chain(catalogue.evaluations.iter().map(|e| (&e.path, "date", e.date)))
        .chain(catalogue.playbooks.iter().map(|p| (&p.path, "last_reviewed", p.last_reviewed)));
    for (path, key, date) in dates.filter(|(_, _, date)| *date > tomorrow) {
        warnings.push(
            at_field(path, key, format!("`{key}` is in the future ({date}, today is {today})"))
                .hint("write the date it happened, as YYYY-MM-DD"),
        );
    }
    // A playbook note recommends entries: it goes stale like one.
    let reviewed =
        catalogue.entries.iter().map(|e| (&e.path, e.last_reviewed, "its facts and links")).chain(
            catalogue
                .playbooks
                .iter()
                .map(|p| (&p.path, p.last_reviewed, "its steps and the entries it names")),
        );
    for (path, last_reviewed, what) in reviewed {
        if last_reviewed.saturating_add(jiff::Span::new().months(REVIEW_AFTER_MONTHS)) < today {
            let message = format!(
                "not reviewed for over {REVIEW_AFTER_MONTHS} months (last on {last_reviewed})"
            );
            warnings.push(
                at_field(path, "last_reviewed", message)
                    .hint(format!("check {what}, then set `last_reviewed` to today")),
            );
        }
    }
    warnings
}

/// A warning at the value of `key` in the front matter of `path`, or at
/// the file when the line cannot be found.
fn at_field(path: &std::path::Path, key: &str, message: String) -> Diagnostic {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let prefix = format!("{key}:");
    let found = text.lines().position(|line| line.starts_with(&prefix)).map(|index| {
        let line = text.lines().nth(index).unwrap_or_default();
        let value = line[prefix.len()..].len() - line[prefix.len()..].trim_start().len();
        (index + 1, prefix.chars().count() + value + 1)
    });
    match found {
        Some((line, column)) => Diagnostic::at(path, line, column, message),
        None => Diagnostic::file(path, message),
    }
}

/// Every value still marked as a `commons new` placeholder, and all the
/// template text still to write, in entries, organisations and evaluations.
pub fn leftovers(catalogue: &Catalogue) -> Diagnostics {
    let mut warnings = Diagnostics::default();
    let paths = catalogue
        .entries
        .iter()
        .map(|e| &e.path)
        .chain(catalogue.orgs.iter().map(|o| &o.path))
        .chain(catalogue.evaluations.iter().map(|e| &e.path));
    for path in paths {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        for left in scaffold::leftovers(&text) {
            warnings.push(
                Diagnostic::at(path, left.line, left.column, left.message()).hint(left.hint()),
            );
        }
    }
    warnings
}

/// An address without its scheme, `www.`, letter case or trailing slash.
fn normal_url(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default().trim_start_matches("www.").to_lowercase();
    let path = url.path().trim_end_matches('/').trim_end_matches(".git").to_lowercase();
    format!("{host}{path}")
}

/// A name without letter case, punctuation or spaces.
fn normal_name(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_names_are_compared_loosely() {
        let a = url::Url::parse("https://www.GitHub.com/MISP/MISP/").unwrap();
        let b = url::Url::parse("http://github.com/misp/misp.git").unwrap();
        assert_eq!(normal_url(&a), normal_url(&b));
        assert_eq!(normal_name("Intel-MQ Manager"), normal_name("intelmq manager"));
        assert_ne!(normal_name("MISP"), normal_name("MISP modules"));
    }
}
