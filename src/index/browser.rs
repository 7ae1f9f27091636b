//! The browser's search index: plain JavaScript files under `search/`,
//! split so that a query downloads only what it needs.
//!
//! - `search/meta.js`: document count, the list of term chunks, the folding
//!   table; loaded when the search box first gets focus.
//! - `search/t/<hex>.js`: one chunk per two-character term prefix, holding
//!   every term with that prefix and its postings (document, weight). A
//!   query word of two or more characters needs exactly one chunk, which
//!   also serves every longer prefix of the same word.
//! - `search/b/<hex>.js`: beside each chunk, the result records (slug,
//!   name, summary, kind, categories) of the best [`BEST_PER_TERM`]
//!   documents of each of its terms: all a one-word query needs to show
//!   its first results.
//! - `search/r/<n>.js`: every result record, in groups of
//!   [`RECORDS_PER_FILE`] documents, for the rest (further results,
//!   several words, filters).
//!
//! Every file calls a function of `window.__cc` with its data (JSONP
//! style), because pages opened from disk cannot `fetch` files but can
//! load scripts. Data is written with serde_json, never by concatenating
//! strings, and `<` is escaped so no record can close a script element.
//! Weights are BM25-style per field (name above summary above tags and
//! categories above body); the browser multiplies them by each term's idf.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, Parser};
use rayon::prelude::*;
use serde::Serialize;

use super::analysis::{analyzer, folding_table, terms};
use crate::model::Vocabulary;
use crate::model::entry::{Access, Cost, Entry, IncidentScope, Kind, Licence};
use crate::render::pages::Page;
use crate::validate::Catalogue;

/// How many result records share one file.
pub const RECORDS_PER_FILE: usize = 100;

/// Field weights: name, summary, tags and categories, body.
const FIELD_WEIGHTS: [f64; 4] = [8.0, 4.0, 2.0, 1.0];

/// Added to a document's weight for the term that is its whole name.
const NAME_BONUS: f64 = 40.0;

/// BM25's term-frequency saturation and length normalisation.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Documents a term appears in, with its weight in each: (document, weight).
type Postings = Vec<(u32, u32)>;

/// How many levels a weight is quantised to within one term.
pub const WEIGHT_LEVELS: u32 = 32;

/// A term as a chunk stores it: the term, its largest weight, the gaps
/// between its document numbers, and each document's weight as a fraction
/// of the largest, in [`WEIGHT_LEVELS`] steps written as one character each
/// (`'1'` is 1, `'P'` is 32). Gaps and one-character weights are what makes
/// the postings of common words small once gzipped.
#[derive(Serialize)]
struct EncodedTerm<'a>(&'a str, u32, Vec<u32>, String);

/// A weight as the browser sees it: its fraction of the term's largest, in
/// [`WEIGHT_LEVELS`] steps, at least 1.
fn level(weight: u32, largest: u32) -> u32 {
    (weight * WEIGHT_LEVELS).div_ceil(largest).clamp(1, WEIGHT_LEVELS)
}

fn encode<'a>(term: &'a str, postings: &Postings) -> EncodedTerm<'a> {
    let largest = postings.iter().map(|(_, w)| *w).max().unwrap_or(1).max(1);
    let mut previous = 0;
    let mut gaps = Vec::with_capacity(postings.len());
    let mut weights = String::with_capacity(postings.len());
    for (doc, weight) in postings {
        gaps.push(doc - previous);
        previous = *doc;
        weights.push(char::from(b'0' + level(*weight, largest) as u8));
    }
    EncodedTerm(term, largest, gaps, weights)
}

/// One result as the browser shows it.
#[derive(Serialize)]
struct Record<'a>(&'a str, &'a str, &'a str, &'a str, Vec<&'a str>);

/// One facet: its id (the URL parameter), its name, and its values as
/// (slug, label).
#[derive(Serialize)]
struct Facet {
    id: &'static str,
    name: &'static str,
    values: Vec<(String, String)>,
}

/// Facet data: the facets, and for each document the indexes of its values
/// in each facet, in the same order. An empty list for incident classes
/// means "any class".
#[derive(Serialize)]
struct Facets {
    facets: Vec<Facet>,
    documents: Vec<Vec<Vec<usize>>>,
}

/// The index's entry point for the browser.
#[derive(Serialize)]
struct Meta {
    version: u32,
    documents: usize,
    records_per_file: usize,
    chunks: Vec<String>,
    fold: BTreeMap<String, String>,
}

/// The plain text of a Markdown body: what a reader sees, without markup.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text.push_str(&t);
                text.push(' ');
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text
}

/// The fields of every entry, analysed: `[name, summary, tags, body]`.
pub fn analysed_fields(catalogue: &Catalogue) -> Vec<[Vec<String>; 4]> {
    let category_names: BTreeMap<&str, &str> =
        catalogue.categories.iter().map(|t| (t.slug.as_str(), t.name.as_str())).collect();
    // In parallel, one analyser per thread; the order of entries is kept.
    catalogue
        .entries
        .par_iter()
        .map_init(analyzer, |analyzer, entry| entry_fields(entry, &category_names, analyzer))
        .collect()
}

/// One entry's fields, analysed: `[name, summary, labels, body]`, where
/// labels are its tags, category names and kind.
fn entry_fields(
    entry: &Entry,
    category_names: &BTreeMap<&str, &str>,
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
) -> [Vec<String>; 4] {
    let mut labels: Vec<&str> = entry.tags.iter().map(String::as_str).collect();
    labels.extend(
        entry.categories.iter().map(|c| category_names.get(c.as_str()).copied().unwrap_or(c)),
    );
    labels.push(entry.kind.label());
    [
        terms(analyzer, &entry.name),
        terms(analyzer, &entry.summary),
        terms(analyzer, &labels.join(" ")),
        terms(analyzer, &plain_text(&entry.body.text)),
    ]
}

/// How many of each term's best documents have their records beside the
/// term's chunk: as many as the search box shows.
pub const BEST_PER_TERM: usize = 8;

/// Every file of the browser index.
pub fn pages<'a>(catalogue: &'a Catalogue) -> Vec<Page> {
    let postings = postings(&counted_fields(catalogue));

    // Group terms by their chunk: the first two characters.
    let mut chunks: BTreeMap<String, Vec<(&str, &Postings)>> = BTreeMap::new();
    for (term, list) in &postings {
        chunks.entry(chunk_key(term)).or_default().push((term.as_str(), list));
    }
    let mut pages = Vec::new();
    for (key, terms) in &chunks {
        let data: Vec<EncodedTerm> = terms.iter().map(|(term, list)| encode(term, list)).collect();
        pages.push(script(&format!("search/t/{}.js", hex(key)), "t", &(key, data)));
    }

    let category_names: BTreeMap<&str, &str> =
        catalogue.categories.iter().map(|t| (t.slug.as_str(), t.name.as_str())).collect();
    let record = |e: &'a Entry| -> Record<'a> {
        let categories = e
            .categories
            .iter()
            .map(|c| category_names.get(c.as_str()).copied().unwrap_or(c))
            .collect();
        Record(&e.slug, &e.name, &e.summary, e.kind.label(), categories)
    };
    for (n, group) in catalogue.entries.chunks(RECORDS_PER_FILE).enumerate() {
        let records: Vec<Record> = group.iter().map(record).collect();
        pages.push(script(&format!("search/r/{n}.js"), "r", &(n, records)));
    }

    // Beside each chunk, the records of the best documents of each of its
    // terms. A one-word query's first results are always among them (a
    // document's score for a word is its best matching term's weight times
    // a factor that term shares with all its documents), so it needs no
    // other file: meta, chunk and these records make three requests.
    for (key, terms) in &chunks {
        let mut documents = std::collections::BTreeSet::new();
        for (_, list) in terms {
            // Ranked as the browser ranks them: by the weight it sees (the
            // quantised level), then by document number.
            let largest = list.iter().map(|(_, w)| *w).max().unwrap_or(1).max(1);
            let mut best: Vec<(u32, u32)> =
                list.iter().map(|(doc, w)| (level(*w, largest), *doc)).collect();
            let ranked = |a: &(u32, u32), b: &(u32, u32)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
            // Only the first few matter: picked in time linear in the list
            // (a whole sort grew faster than the catalogue), then ordered.
            if best.len() > BEST_PER_TERM {
                best.select_nth_unstable_by(BEST_PER_TERM - 1, ranked);
                best.truncate(BEST_PER_TERM);
            }
            best.sort_by(ranked);
            documents.extend(best.iter().map(|(_, doc)| *doc));
        }
        let records: Vec<(u32, Record)> = documents
            .into_iter()
            .map(|doc| (doc, record(&catalogue.entries[doc as usize])))
            .collect();
        pages.push(script(&format!("search/b/{}.js", hex(key)), "b", &(key, records)));
    }

    pages.push(script("search/facets.js", "f", &facets(catalogue)));

    let meta = Meta {
        version: 1,
        documents: catalogue.entries.len(),
        records_per_file: RECORDS_PER_FILE,
        chunks: chunks.keys().cloned().collect(),
        fold: folding_table().iter().map(|(c, s)| (c.to_string(), s.clone())).collect(),
    };
    pages.push(script("search/meta.js", "m", &meta));
    pages
}

/// The licence families readers filter by.
const LICENCE_FAMILIES: [(&str, &str); 5] = [
    ("permissive", "Permissive open source"),
    ("copyleft", "Copyleft open source"),
    ("content", "Open content licence"),
    ("other", "Other or source-available"),
    ("free-service", "Free service (provider's terms)"),
];

/// The family of a licence, from the identifiers in its expression. Where
/// an expression offers a choice (`OR`), the reader may take the most open
/// one; where it combines licences (`AND`, `WITH`), the most restrictive
/// applies.
pub fn licence_family(licence: &Licence) -> &'static str {
    let Licence::Spdx(expression) = licence else { return "free-service" };
    // From most to least open.
    const ORDER: [&str; 4] = ["permissive", "content", "copyleft", "other"];
    let family_of = |id: &str| -> usize {
        let starts = |prefixes: &[&str]| prefixes.iter().any(|p| id.starts_with(p));
        if starts(&[
            "MIT",
            "BSD",
            "Apache",
            "ISC",
            "Zlib",
            "0BSD",
            "Unlicense",
            "CC0",
            "PostgreSQL",
        ]) {
            0
        } else if starts(&["CC-BY", "DRL", "ODbL", "ODC", "CDLA"]) {
            1
        } else if starts(&["AGPL", "GPL", "LGPL", "EUPL", "MPL", "CECILL", "EPL", "OSL"]) {
            2
        } else {
            3
        }
    };
    let best = expression
        .split(" OR ")
        .map(|choice| {
            choice
                .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
                .filter(|id| !id.is_empty() && !matches!(*id, "AND" | "WITH"))
                .filter(|id| !id.contains("exception"))
                .map(family_of)
                .max()
                .unwrap_or(3)
        })
        .min()
        .unwrap_or(3);
    ORDER[best]
}

/// Facet data for every entry.
fn facets(catalogue: &Catalogue) -> Facets {
    let terms = |terms: &[crate::model::taxonomy::Term]| -> Vec<(String, String)> {
        terms.iter().map(|t| (t.slug.clone(), t.name.clone())).collect()
    };
    let words = |all: &[(&'static str, &'static str)]| -> Vec<(String, String)> {
        all.iter().map(|(s, l)| (s.to_string(), l.to_string())).collect()
    };
    let vocabulary = |all: Vec<(&'static str, &'static str)>| words(&all);
    let facets = vec![
        Facet {
            id: "kind",
            name: "Kind",
            values: vocabulary(Kind::ALL.iter().map(|k| (k.slug(), k.label())).collect()),
        },
        Facet { id: "category", name: "Category", values: terms(&catalogue.categories) },
        Facet {
            id: "incident",
            name: "Incident class",
            values: terms(&catalogue.incident_classes),
        },
        Facet { id: "phase", name: "Response phase", values: terms(&catalogue.phases) },
        Facet { id: "licence", name: "Licence", values: words(&LICENCE_FAMILIES) },
        Facet {
            id: "cost",
            name: "Cost",
            values: vocabulary(Cost::ALL.iter().map(|c| (c.slug(), c.label())).collect()),
        },
        Facet {
            id: "access",
            name: "Access",
            values: vocabulary(Access::ALL.iter().map(|a| (a.slug(), a.label())).collect()),
        },
        Facet {
            id: "evaluated",
            name: "Evaluated",
            values: words(&[("yes", "Evaluated"), ("no", "Not evaluated")]),
        },
    ];
    let index = |facet: usize, slug: &str| facets[facet].values.iter().position(|(s, _)| s == slug);
    let evaluated: std::collections::BTreeSet<&str> =
        catalogue.evaluations.iter().map(|e| e.entry.as_str()).collect();
    let documents = catalogue
        .entries
        .iter()
        .map(|e| {
            let many = |facet: usize, slugs: &[String]| {
                slugs.iter().filter_map(|s| index(facet, s)).collect()
            };
            let classes = match &e.incident_classes {
                IncidentScope::Any => Vec::new(),
                IncidentScope::Classes(classes) => many(2, classes),
            };
            let is_evaluated = if evaluated.contains(e.slug.as_str()) { "yes" } else { "no" };
            vec![
                index(0, e.kind.slug()).into_iter().collect(),
                many(1, &e.categories),
                classes,
                many(3, &e.phases),
                index(4, licence_family(&e.licence)).into_iter().collect(),
                index(5, e.cost.slug()).into_iter().collect(),
                index(6, e.access.slug()).into_iter().collect(),
                index(7, is_evaluated).into_iter().collect(),
            ]
        })
        .collect();
    Facets { facets, documents }
}

/// For each term, the documents it appears in with their weight, by
/// document number.
/// One analysed field of one document, as ranking needs it: its length in
/// terms and how often each term occurs (each term once, sorted), which is
/// far smaller than the terms themselves.
#[derive(Debug, Default)]
pub struct Counts {
    length: usize,
    /// The distinct terms, one after another.
    text: String,
    /// Each distinct term, in order: where it ends in `text`, and how often
    /// it occurs. One string per field rather than one per term keeps the
    /// index of 100,000 entries in a few hundred megabytes.
    terms: Vec<(u32, u32)>,
}

impl Counts {
    fn of(words: Vec<String>) -> Self {
        let length = words.len();
        let mut frequency: rustc_hash::FxHashMap<String, u32> = Default::default();
        for word in words {
            *frequency.entry(word).or_default() += 1;
        }
        // Sorted, so that the order of terms never depends on the hash.
        let mut counted: Vec<(String, u32)> = frequency.into_iter().collect();
        counted.sort_unstable();
        let mut text = String::with_capacity(counted.iter().map(|(t, _)| t.len()).sum());
        let mut terms = Vec::with_capacity(counted.len());
        for (term, tf) in counted {
            text.push_str(&term);
            terms.push((text.len() as u32, tf));
        }
        Counts { length, text, terms }
    }

    /// Each distinct term with how often it occurs, in term order.
    fn terms(&self) -> impl Iterator<Item = (&str, u32)> {
        let mut start = 0;
        self.terms.iter().map(move |&(end, tf)| {
            let term = &self.text[start..end as usize];
            start = end as usize;
            (term, tf)
        })
    }
}

/// The fields of every entry as [`Counts`], analysed in parallel: each
/// document's terms are dropped as soon as they are counted.
fn counted_fields(catalogue: &Catalogue) -> Vec<[Counts; 4]> {
    let category_names: BTreeMap<&str, &str> =
        catalogue.categories.iter().map(|t| (t.slug.as_str(), t.name.as_str())).collect();
    catalogue
        .entries
        .par_iter()
        .map_init(analyzer, |analyzer, entry| {
            entry_fields(entry, &category_names, analyzer).map(Counts::of)
        })
        .collect()
}

fn postings(fields: &[[Counts; 4]]) -> BTreeMap<String, Postings> {
    let count = fields.len().max(1) as f64;
    let average: Vec<f64> =
        (0..4).map(|f| fields.iter().map(|d| d[f].length).sum::<usize>() as f64 / count).collect();
    // Hash maps while gathering (term order does not matter there), one
    // sorted map at the end: the index files list terms in order.
    let mut postings: rustc_hash::FxHashMap<&str, Postings> = Default::default();
    // Document numbers as u32 halve the postings' memory (8 bytes each
    // rather than 16: 100,000 entries make millions of postings); a
    // catalogue of four billion files could not be loaded anyway.
    for (doc, document) in (0..).zip(fields) {
        let mut scores: rustc_hash::FxHashMap<&str, f64> = Default::default();
        for (f, field) in document.iter().enumerate() {
            let length = field.length as f64 / average[f].max(1.0);
            for (word, tf) in field.terms() {
                let tf = f64::from(tf);
                let saturated = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * length));
                *scores.entry(word).or_default() += FIELD_WEIGHTS[f] * saturated;
            }
        }
        // A name that is exactly one word (MISP, Zeek) is what someone
        // typing that word most likely wants: it outranks every mention.
        if let (1, [_]) = (document[0].length, document[0].terms.as_slice()) {
            *scores.entry(&document[0].text).or_default() += NAME_BONUS;
        }
        for (word, score) in scores {
            postings.entry(word).or_default().push((doc, (score * 10.0).round().max(1.0) as u32));
        }
    }
    // Documents were visited in order, so each list is sorted already.
    postings.into_iter().map(|(term, list)| (term.to_string(), list)).collect()
}

/// The chunk a term belongs to: its first two characters (one for a single
/// character).
pub fn chunk_key(term: &str) -> String {
    term.chars().take(2).collect()
}

/// A chunk key as a file name: the hex of its UTF-8 bytes.
fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

/// A script that hands `data` to `window.__cc.<function>`.
fn script(path: &str, function: &str, data: &impl Serialize) -> Page {
    Page::script(path, &format!("__cc.{function}"), data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_markup_and_keeps_words() {
        let text = plain_text(
            "## Title\n\nSome **bold** [link](https://x.org) and `code`.\n\n<script>x</script>\n",
        );
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(
            words,
            ["Title", "Some", "bold", "link", "and", "code", ".", "<script>x</script>"]
        );
    }

    #[test]
    fn chunk_keys_are_two_characters_and_hex_file_names() {
        assert_eq!(chunk_key("misp"), "mi");
        assert_eq!(chunk_key("東"), "東");
        assert_eq!(hex("mi"), "6d69");
    }

    #[test]
    fn postings_are_gaps_and_one_character_weights() {
        let encoded = encode("misp", &vec![(3, 100), (4, 50), (10, 1)]);
        assert_eq!(encoded.1, 100);
        assert_eq!(encoded.2, [3, 1, 6]);
        assert_eq!(encoded.3, "P@1", "32, 16 and 1 in 32 steps");
    }

    #[test]
    fn scripts_never_contain_a_raw_angle_bracket() {
        let page = script("x.js", "r", &("</script><script>alert(1)</script>",));
        let text = String::from_utf8(page.bytes).unwrap();
        assert!(!text.contains('<'), "{text}");
        assert!(text.starts_with("__cc.r([\""));
    }

    #[test]
    fn licence_families_follow_the_identifiers() {
        let family = |text: &str| licence_family(&Licence::Spdx(text.into()));
        assert_eq!(family("AGPL-3.0-or-later"), "copyleft");
        assert_eq!(family("Apache-2.0 OR GPL-2.0"), "permissive");
        assert_eq!(family("CC0-1.0 AND LicenseRef-LME-Contractor-Grant"), "other");
        assert_eq!(family("BSD-3-Clause"), "permissive");
        assert_eq!(family("CC-BY-4.0"), "content");
        assert_eq!(family("LicenseRef-NPSL"), "other");
        assert_eq!(family("Elastic-2.0"), "other");
        assert_eq!(licence_family(&Licence::FreeService), "free-service");
    }

    #[test]
    fn a_one_word_name_outranks_documents_that_mention_it_often() {
        let misp = vec!["misp".to_string()];
        let many = vec!["misp".to_string(); 6];
        let fields = vec![
            [vec!["misp".to_string(), "modules".to_string()], many.clone(), vec![], many]
                .map(Counts::of),
            [misp, vec![], vec![], vec![]].map(Counts::of),
        ];
        let postings = postings(&fields);
        let list = &postings["misp"];
        assert!(list[1].1 > list[0].1, "{list:?}");
    }

    #[test]
    fn name_matches_outweigh_body_matches() {
        let fields = vec![
            [vec!["misp".to_string()], vec![], vec![], vec![]].map(Counts::of),
            [vec![], vec![], vec![], vec!["misp".to_string()]].map(Counts::of),
        ];
        let postings = postings(&fields);
        let list = &postings["misp"];
        assert!(list[0].1 > list[1].1, "{list:?}");
    }
}
