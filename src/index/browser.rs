//! The browser's search index: plain JavaScript files under `search/`,
//! split so that a query downloads only what it needs.
//!
//! - `search/meta.js`: document count, the list of term chunks, the folding
//!   table; loaded when the search box first gets focus.
//! - `search/t/<hex>.js`: one chunk per two-character term prefix, holding
//!   every term with that prefix and its postings (document, weight). A
//!   query word of two or more characters needs exactly one chunk, which
//!   also serves every longer prefix of the same word.
//! - `search/r/<n>.js`: result records (slug, name, summary, kind,
//!   categories) in groups of [`RECORDS_PER_FILE`] documents.
//!
//! Every file calls a function of `window.__cc` with its data (JSONP
//! style), because pages opened from disk cannot `fetch` files but can
//! load scripts. Data is written with serde_json, never by concatenating
//! strings, and `<` is escaped so no record can close a script element.
//! Weights are BM25-style per field (name above summary above tags and
//! categories above body); the browser multiplies them by each term's idf.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, Parser};
use serde::Serialize;

use super::analysis::{analyzer, folding_table, terms};
use crate::model::Vocabulary;
use crate::render::pages::Page;
use crate::validate::Catalogue;

/// How many result records share one file.
pub const RECORDS_PER_FILE: usize = 100;

/// Field weights: name, summary, tags and categories, body.
const FIELD_WEIGHTS: [f64; 4] = [8.0, 4.0, 2.0, 1.0];

/// BM25's term-frequency saturation and length normalisation.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Documents a term appears in, with its weight in each: (document, weight).
type Postings = Vec<(usize, u32)>;

/// One result as the browser shows it.
#[derive(Serialize)]
struct Record<'a>(&'a str, &'a str, &'a str, &'a str, Vec<&'a str>);

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
    let mut analyzer = analyzer();
    let category_names: BTreeMap<&str, &str> =
        catalogue.categories.iter().map(|t| (t.slug.as_str(), t.name.as_str())).collect();
    catalogue
        .entries
        .iter()
        .map(|entry| {
            let mut labels: Vec<&str> = entry.tags.iter().map(String::as_str).collect();
            labels.extend(
                entry
                    .categories
                    .iter()
                    .map(|c| category_names.get(c.as_str()).copied().unwrap_or(c)),
            );
            labels.push(entry.kind.label());
            [
                terms(&mut analyzer, &entry.name),
                terms(&mut analyzer, &entry.summary),
                terms(&mut analyzer, &labels.join(" ")),
                terms(&mut analyzer, &plain_text(&entry.body.text)),
            ]
        })
        .collect()
}

/// Every file of the browser index.
pub fn pages(catalogue: &Catalogue) -> Vec<Page> {
    let fields = analysed_fields(catalogue);
    let postings = postings(&fields);

    // Group terms by their chunk: the first two characters.
    let mut chunks: BTreeMap<String, Vec<(&str, &Postings)>> = BTreeMap::new();
    for (term, list) in &postings {
        chunks.entry(chunk_key(term)).or_default().push((term.as_str(), list));
    }
    let mut pages = Vec::new();
    for (key, terms) in &chunks {
        let data: Vec<(&str, Vec<u32>)> = terms
            .iter()
            .map(|(term, list)| {
                (*term, list.iter().flat_map(|(doc, w)| [*doc as u32, *w]).collect())
            })
            .collect();
        pages.push(script(&format!("search/t/{}.js", hex(key)), "t", &(key, data)));
    }

    let category_names: BTreeMap<&str, &str> =
        catalogue.categories.iter().map(|t| (t.slug.as_str(), t.name.as_str())).collect();
    for (n, group) in catalogue.entries.chunks(RECORDS_PER_FILE).enumerate() {
        let records: Vec<Record> = group
            .iter()
            .map(|e| {
                let categories = e
                    .categories
                    .iter()
                    .map(|c| category_names.get(c.as_str()).copied().unwrap_or(c))
                    .collect();
                Record(&e.slug, &e.name, &e.summary, e.kind.label(), categories)
            })
            .collect();
        pages.push(script(&format!("search/r/{n}.js"), "r", &(n, records)));
    }

    let meta = Meta {
        version: 1,
        documents: catalogue.entries.len(),
        records_per_file: RECORDS_PER_FILE,
        chunks: chunks.keys().cloned().collect(),
        fold: folding_table().into_iter().map(|(c, s)| (c.to_string(), s)).collect(),
    };
    pages.push(script("search/meta.js", "m", &meta));
    pages
}

/// For each term, the documents it appears in with their weight, by
/// document number.
fn postings(fields: &[[Vec<String>; 4]]) -> BTreeMap<String, Postings> {
    let count = fields.len().max(1) as f64;
    let average: Vec<f64> =
        (0..4).map(|f| fields.iter().map(|d| d[f].len()).sum::<usize>() as f64 / count).collect();
    let mut postings: BTreeMap<String, Postings> = BTreeMap::new();
    for (doc, document) in fields.iter().enumerate() {
        let mut scores: BTreeMap<&str, f64> = BTreeMap::new();
        for (f, words) in document.iter().enumerate() {
            let mut frequency: BTreeMap<&str, f64> = BTreeMap::new();
            for word in words {
                *frequency.entry(word).or_default() += 1.0;
            }
            let length = words.len() as f64 / average[f].max(1.0);
            for (word, tf) in frequency {
                let saturated = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * length));
                *scores.entry(word).or_default() += FIELD_WEIGHTS[f] * saturated;
            }
        }
        for (word, score) in scores {
            postings
                .entry(word.to_string())
                .or_default()
                .push((doc, (score * 10.0).round().max(1.0) as u32));
        }
    }
    postings
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
    let json = serde_json::to_string(data).unwrap_or_else(|_| "null".into());
    // `<` never appears raw, so no value can end the script element or
    // open a comment.
    let json = json.replace('<', "\\u003c");
    Page { path: path.into(), bytes: format!("__cc.{function}({json});\n").into_bytes() }
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
    fn scripts_never_contain_a_raw_angle_bracket() {
        let page = script("x.js", "r", &("</script><script>alert(1)</script>",));
        let text = String::from_utf8(page.bytes).unwrap();
        assert!(!text.contains('<'), "{text}");
        assert!(text.starts_with("__cc.r([\""));
    }

    #[test]
    fn name_matches_outweigh_body_matches() {
        let fields = vec![
            [vec!["misp".to_string()], vec![], vec![], vec![]],
            [vec![], vec![], vec![], vec!["misp".to_string()]],
        ];
        let postings = postings(&fields);
        let list = &postings["misp"];
        assert!(list[0].1 > list[1].1, "{list:?}");
    }
}
