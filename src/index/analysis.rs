//! Turning text into search terms, the same way for the browser index, the
//! terminal's `commons search` and the browser's queries.
//!
//! tantivy's analysers do the work: the simple tokeniser (runs of letters
//! and digits), Unicode lower-casing and ASCII folding (`é` → `e`, `ß` →
//! `ss`). Scripts written without spaces — Chinese, Japanese, Korean — come
//! out of the tokeniser as one long run; such runs are cut into single
//! characters and pairs of characters, so that any two adjacent characters
//! of a query find the text they come from. The browser repeats these steps
//! in `search.js`, with a folding table written by [`folding_table`] so that
//! both sides fold the same characters the same way.
//!
//! Each word is indexed twice: as written (folded), so that every prefix of
//! it finds it while someone types, and as its English stem, so that a
//! query for `configured` finds `configuration`. The browser's `search.js`
//! stems query words with the same algorithm; a test checks that both give
//! the same stems for thousands of words.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer, TokenStream,
};

/// Words longer than this many bytes (after folding) are not indexed:
/// hashes, base64, long identifiers. Runs of CJK characters are cut into
/// pairs first, so the limit never drops a sentence of Chinese.
pub const MAX_TERM_BYTES: usize = 40;

/// The analyser every search term goes through.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// How many words each thread remembers the stems of. Text repeats its
/// words, so most words are looked up rather than stemmed again; the bound
/// keeps memory small when a catalogue has many distinct words.
const STEM_CACHE: usize = 50_000;

/// The English stem of a lower-cased, folded word (tantivy's Snowball
/// stemmer). The browser's `search.js` carries the same algorithm.
pub fn stem(word: &str) -> String {
    thread_local! {
        static STEMMER: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(
            TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
                .filter(tantivy::tokenizer::Stemmer::new(tantivy::tokenizer::Language::English))
                .build(),
        );
        static STEMS: std::cell::RefCell<rustc_hash::FxHashMap<String, String>> =
            Default::default();
    }
    if let Some(known) = STEMS.with(|stems| stems.borrow().get(word).cloned()) {
        return known;
    }
    let stemmed = STEMMER.with(|analyzer| {
        let mut analyzer = analyzer.borrow_mut();
        let mut stream = analyzer.token_stream(word);
        let mut out = String::new();
        while stream.advance() {
            out.push_str(&stream.token().text);
        }
        out
    });
    STEMS.with(|stems| {
        let mut stems = stems.borrow_mut();
        if stems.len() >= STEM_CACHE {
            stems.clear();
        }
        stems.insert(word.to_string(), stemmed.clone());
    });
    stemmed
}

/// Whether a character belongs to a script written without spaces between
/// words.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'   // Hiragana, Katakana
        | '\u{3400}'..='\u{4dbf}' // CJK extension A
        | '\u{4e00}'..='\u{9fff}' // CJK unified ideographs
        | '\u{f900}'..='\u{faff}' // CJK compatibility ideographs
        | '\u{ac00}'..='\u{d7af}' // Hangul syllables
        | '\u{20000}'..='\u{2fa1f}')
}

/// The terms of a text, in order, with repeats.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        split_scripts(&stream.token().text, &mut out);
    }
    out
}

/// The terms of a query: like [`terms`], except that a run of CJK
/// characters gives only its pairs (or the single character when the run is
/// one long), so that every part of the query must match.
pub fn query_terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        for (run, cjk) in runs(&stream.token().text) {
            if !cjk {
                if run.len() <= MAX_TERM_BYTES {
                    out.push(run);
                }
                continue;
            }
            let chars: Vec<char> = run.chars().collect();
            if chars.len() == 1 {
                out.push(run);
            } else {
                out.extend(chars.windows(2).map(|pair| pair.iter().collect::<String>()));
            }
        }
    }
    // Each term once, in order of first appearance.
    let mut seen = std::collections::HashSet::new();
    out.retain(|term| seen.insert(term.clone()));
    out
}

/// Splits a token into runs of CJK and other characters; CJK runs become
/// single characters and pairs.
fn split_scripts(token: &str, out: &mut Vec<String>) {
    let word = |run: &str, out: &mut Vec<String>| {
        if run.len() <= MAX_TERM_BYTES {
            let stemmed = stem(run);
            if stemmed != run && !stemmed.is_empty() {
                out.extend([run.to_string(), stemmed]);
            } else {
                out.push(run.to_string());
            }
        }
    };
    // Most tokens have no CJK character: one term and its stem, without
    // splitting the token into runs first.
    if !token.chars().any(is_cjk) {
        word(token, out);
        return;
    }
    for (run, cjk) in runs(token) {
        if !cjk {
            word(&run, out);
            continue;
        }
        let chars: Vec<char> = run.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            out.push(c.to_string());
            if let Some(next) = chars.get(i + 1) {
                out.push([*c, *next].iter().collect());
            }
        }
    }
}

/// Maximal runs of CJK and of other characters in a token.
fn runs(token: &str) -> Vec<(String, bool)> {
    let mut runs: Vec<(String, bool)> = Vec::new();
    for c in token.chars() {
        let cjk = is_cjk(c);
        match runs.last_mut() {
            Some((run, kind)) if *kind == cjk => run.push(c),
            _ => runs.push((c.to_string(), cjk)),
        }
    }
    runs
}

/// `text` lower-cased and folded to ASCII where tantivy's folding knows
/// how (`Málaga` becomes `malaga`); other characters are kept.
pub fn fold(text: &str) -> String {
    let mut analyzer = TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let mut folded = String::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        folded.push_str(&stream.token().text);
    }
    folded
}

/// Every character of the Basic Multilingual Plane that tantivy's ASCII
/// folding changes beyond lower-casing, with what it becomes: the browser's
/// folding table. Computed once per process.
pub fn folding_table() -> &'static [(char, String)] {
    static TABLE: std::sync::OnceLock<Vec<(char, String)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut analyzer = TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build();
        let mut table = Vec::new();
        for c in ('\u{a0}'..='\u{ffff}').filter(|c| !is_cjk(*c)) {
            let text = c.to_string();
            let mut folded = String::new();
            let mut stream = analyzer.token_stream(&text);
            while stream.advance() {
                folded.push_str(&stream.token().text);
            }
            // The browser lower-cases first; only what folding adds is needed.
            let lower: String = c.to_lowercase().collect();
            if folded != lower && !folded.is_empty() {
                table.push((c, folded));
            }
        }
        table
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysed(text: &str) -> Vec<String> {
        terms(&mut analyzer(), text)
    }

    #[test]
    fn words_are_lower_cased_and_folded() {
        assert_eq!(
            query_terms(&mut analyzer(), "Café crème, naïve RÉSUMÉ, Ærø, straße"),
            ["cafe", "creme", "naive", "resume", "aero", "strasse"]
        );
    }

    #[test]
    fn words_are_indexed_as_written_and_as_their_stem() {
        assert_eq!(
            analysed("Configured blocklists"),
            ["configured", "configur", "blocklists", "blocklist"]
        );
        assert_eq!(stem("configuration"), "configur");
        assert_eq!(analysed("zeek"), ["zeek"], "no second term when the stem is the word");
    }

    #[test]
    fn cyrillic_is_kept_and_lower_cased() {
        assert_eq!(query_terms(&mut analyzer(), "Привет, мир!"), ["привет", "мир"]);
    }

    #[test]
    fn cjk_runs_become_characters_and_pairs() {
        assert_eq!(analysed("東京"), ["東", "東京", "京"]);
        assert_eq!(query_terms(&mut analyzer(), "数据检索"), ["数据", "据检", "检索"]);
        assert_eq!(query_terms(&mut analyzer(), "検"), ["検"]);
    }

    #[test]
    fn long_runs_of_cjk_are_kept_as_pairs() {
        let found = analysed("東京タワーの近くで会議があります。");
        assert!(found.contains(&"東京".to_string()), "{found:?}");
    }

    #[test]
    fn symbols_and_long_hashes_give_no_terms() {
        assert!(
            query_terms(&mut analyzer(), "C++ php: \"*\" ---")
                .iter()
                .all(|t| t == "c" || t == "php")
        );
        assert!(analysed(&"a".repeat(64)).is_empty());
    }

    #[test]
    fn the_folding_table_covers_common_accents() {
        let table = folding_table();
        let fold = |c: char| table.iter().find(|(k, _)| *k == c).map(|(_, v)| v.as_str());
        assert_eq!(fold('é'), Some("e"));
        assert_eq!(fold('ß'), Some("ss"));
        assert_eq!(fold('Æ'), Some("ae"));
        assert_eq!(fold('a'), None);
    }
}
