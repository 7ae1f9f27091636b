//! `commons search`: the same search in the terminal, answered by a tantivy
//! index built in memory from the same terms as the browser index.
//!
//! Both sides analyse text with [`super::analysis`]; here the terms are
//! handed to tantivy pre-tokenised, and a query word matches a term
//! exactly, by its stem, as a prefix, or — for words of five letters or
//! more — with one typo, exact above prefix above typo, name above summary above tags and
//! categories above body. Every word must match. The browser looks for
//! typos only among terms that share the word's first two letters; the
//! terminal looks among all terms, so it can find a little more.

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{PreTokenizedString, Token};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use super::analysis::{analyzer, query_terms};
use super::browser::analysed_fields;
use crate::model::Vocabulary;
use crate::validate::Catalogue;

/// Field boosts: name, summary, tags and categories, body.
const BOOSTS: [f32; 4] = [8.0, 4.0, 2.0, 1.0];

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// The entry's slug; its page is `entry/<slug>.html`.
    pub slug: String,
    /// The entry's name.
    pub name: String,
    /// `tool`, `data` or `service`.
    pub kind: String,
    /// Category slugs.
    pub categories: Vec<String>,
    /// The one-line summary.
    pub summary: String,
    /// The relevance score; only the order means anything.
    pub score: f32,
}

/// Filters: only entries of this kind and in this category, when given.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    /// `tool`, `data` or `service`.
    pub kind: Option<String>,
    /// A category slug.
    pub category: Option<String>,
}

struct Fields {
    text: [Field; 4],
    /// The whole name, analysed and joined by spaces: a query that is
    /// exactly the name ranks that entry first.
    whole_name: Field,
    slug: Field,
    kind: Field,
    category: Field,
}

/// Searches the catalogue; at most `limit` hits, best first.
pub fn search(
    catalogue: &Catalogue,
    query: &str,
    filters: &Filters,
    limit: usize,
) -> tantivy::Result<Vec<Hit>> {
    let (index, fields) = build(catalogue)?;
    let reader = index.reader()?;
    let searcher = reader.searcher();

    let mut musts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let words: Vec<String> = query_terms(&mut analyzer(), query)
        .into_iter()
        .filter(|w| w.chars().count() >= 2 || w.chars().any(super::analysis::is_cjk))
        .collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    for word in &words {
        musts.push((Occur::Must, Box::new(word_query(&fields, word))));
    }
    let whole = TermQuery::new(
        Term::from_field_text(fields.whole_name, &words.join(" ")),
        IndexRecordOption::Basic,
    );
    musts.push((Occur::Should, Box::new(BoostQuery::new(Box::new(whole), 100.0))));
    if let Some(kind) = &filters.kind {
        musts.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(fields.kind, kind),
                IndexRecordOption::Basic,
            )),
        ));
    }
    if let Some(category) = &filters.category {
        musts.push((
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(fields.category, category),
                IndexRecordOption::Basic,
            )),
        ));
    }
    let top =
        searcher.search(&BooleanQuery::new(musts), &TopDocs::with_limit(limit).order_by_score())?;

    let by_slug: std::collections::BTreeMap<&str, &crate::model::entry::Entry> =
        catalogue.entries.iter().map(|e| (e.slug.as_str(), e)).collect();
    let mut hits = Vec::new();
    for (score, address) in top {
        let document: TantivyDocument = searcher.doc(address)?;
        let slug = document.get_first(fields.slug).and_then(|v| v.as_str()).unwrap_or_default();
        if let Some(entry) = by_slug.get(slug) {
            hits.push(Hit {
                slug: entry.slug.clone(),
                name: entry.name.clone(),
                kind: entry.kind.slug().to_string(),
                categories: entry.categories.clone(),
                summary: entry.summary.clone(),
                score,
            });
        }
    }
    // Equal scores fall back to the slug, so the order never depends on
    // how tantivy laid out its segments.
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.slug.cmp(&b.slug)));
    Ok(hits)
}

/// One query word: exact, prefix or one-typo matches in any field.
fn word_query(fields: &Fields, word: &str) -> BooleanQuery {
    let mut shoulds: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let stemmed = super::analysis::stem(word);
    for (field, boost) in fields.text.iter().zip(BOOSTS) {
        if stemmed != word && !stemmed.is_empty() {
            let by_stem = TermQuery::new(
                Term::from_field_text(*field, &stemmed),
                IndexRecordOption::WithFreqs,
            );
            shoulds
                .push((Occur::Should, Box::new(BoostQuery::new(Box::new(by_stem), boost * 3.0))));
        }
        let term = Term::from_field_text(*field, word);
        let exact = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
        shoulds.push((Occur::Should, Box::new(BoostQuery::new(Box::new(exact), boost * 3.0))));
        let prefix = FuzzyTermQuery::new_prefix(term.clone(), 0, true);
        shoulds.push((Occur::Should, Box::new(BoostQuery::new(Box::new(prefix), boost * 2.0))));
        if word.chars().count() >= 5 {
            let typo = FuzzyTermQuery::new(term, 1, true);
            shoulds.push((Occur::Should, Box::new(BoostQuery::new(Box::new(typo), boost))));
        }
    }
    BooleanQuery::new(shoulds)
}

/// An in-memory index of the catalogue, fed the same terms as the browser.
fn build(catalogue: &Catalogue) -> tantivy::Result<(Index, Fields)> {
    let mut schema = Schema::builder();
    let indexing =
        TextFieldIndexing::default().set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let text = TextOptions::default().set_indexing_options(indexing);
    let fields = Fields {
        text: ["name", "summary", "labels", "body"]
            .map(|name| schema.add_text_field(name, text.clone())),
        whole_name: schema.add_text_field("whole_name", STRING),
        slug: schema.add_text_field("slug", STRING | STORED),
        kind: schema.add_text_field("kind", STRING),
        category: schema.add_text_field("category", STRING),
    };
    let index = Index::create_in_ram(schema.build());
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000)?;
    for (entry, analysed) in catalogue.entries.iter().zip(analysed_fields(catalogue)) {
        let mut document = TantivyDocument::default();
        document.add_text(fields.whole_name, analysed[0].join(" "));
        for (field, terms) in fields.text.iter().zip(analysed) {
            document.add_pre_tokenized_text(*field, pre_tokenized(terms));
        }
        document.add_text(fields.slug, &entry.slug);
        document.add_text(fields.kind, entry.kind.slug());
        for category in &entry.categories {
            document.add_text(fields.category, category);
        }
        writer.add_document(document)?;
    }
    writer.commit()?;
    Ok((index, fields))
}

fn pre_tokenized(terms: Vec<String>) -> PreTokenizedString {
    let tokens = terms
        .iter()
        .enumerate()
        .map(|(position, text)| Token {
            offset_from: 0,
            offset_to: 0,
            position,
            text: text.clone(),
            position_length: 1,
        })
        .collect();
    PreTokenizedString { text: terms.join(" "), tokens }
}
