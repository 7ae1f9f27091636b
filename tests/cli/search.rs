//! The browser search, in headless Chromium, over pages opened from disk
//! and served over HTTP: the queries issue #5 and the cases B27 and B29
//! name, facets of the URL state, and a clean console. Skips loudly
//! without Chromium, like the other browser tests.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use super::browser::{chromium, load};
use super::*;

/// The valid fixture plus the CJK and markup cases, built once per test.
fn search_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid"), dir.path());
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases");
    for (case, slug) in
        [("B27-cjk-cyrillic-search.md", "b27"), ("B29-html-in-search-index.md", "b29")]
    {
        let text = fs::read_to_string(cases.join(case)).unwrap();
        let text = text
            .replace("categories: [search]", "categories: [phishing]")
            .replace("categories: [notes]", "categories: [phishing]");
        fs::write(dir.path().join(format!("entries/tools/{slug}.md")), text).unwrap();
    }
    let out = dir.path().join("site");
    let output =
        commons(&["build", dir.path().to_str().unwrap(), "--out", out.to_str().unwrap()], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    (dir, out)
}

/// Serves `root` on 127.0.0.1 from a background thread; returns the base URL.
pub fn serve(root: PathBuf) -> String {
    serve_slowly(root, None)
}

/// Like [`serve`], but answers requests whose path starts with `slow` after
/// a second and a half; each request is answered on its own thread.
pub fn serve_slowly(root: PathBuf, slow: Option<&'static str>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(500) {
            let Ok(stream) = stream else { continue };
            let root = root.clone();
            std::thread::spawn(move || answer(stream, &root, slow));
        }
    });
    format!("http://{address}/")
}

fn answer(mut stream: std::net::TcpStream, root: &Path, slow: Option<&str>) {
    let mut line = String::new();
    let _ = BufReader::new(&stream).read_line(&mut line);
    let path = line.split_whitespace().nth(1).unwrap_or("/").split('?').next().unwrap_or("/");
    if slow.is_some_and(|prefix| path.starts_with(prefix)) {
        std::thread::sleep(std::time::Duration::from_millis(1500));
    }
    let relative = path.trim_start_matches('/');
    let file = root.join(if relative.is_empty() { "index.html" } else { relative });
    let inside = !relative.split('/').any(|p| p == "..");
    let (status, body) = match fs::read(&file) {
        Ok(body) if inside => ("200 OK", body),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// The slugs of the results the search page shows for `query`.
fn results(browser: &Path, base: &str, query: &str) -> (Vec<String>, String) {
    let encoded: String =
        query
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
    page_results(browser, base, &format!("q={encoded}"))
}

fn check_queries(browser: &Path, base: &str) {
    let finds = |query: &str, slug: &str| {
        let (slugs, _) = results(browser, base, query);
        assert!(slugs.iter().any(|s| s == slug), "{query:?} should find {slug}, found {slugs:?}");
    };
    // B27: Chinese, Japanese, Cyrillic, accents folded both ways.
    for query in
        ["检索", "数据", "東京", "привет", "мир", "café", "cafe", "resume", "strasse", "straße"]
    {
        finds(query, "b27");
    }
    // Every prefix from the second character, one typo from five letters.
    for query in ["sa", "san", "sand", "sandb", "sandbo", "sandbox", "sandbx", "sanbdox"] {
        finds(query, "sample-sandbox");
    }
    // Stems: another form of the same English word finds it.
    finds("reporting", "sample-sandbox");
    finds("refreshing", "phish-feed");
    // Words are combined with AND.
    let (both, _) = results(browser, base, "phish sandbox");
    assert!(both.is_empty(), "{both:?}");
    finds("phish feed", "phish-feed");
    // Symbols never throw (the console check in `results` would fail).
    for query in ["C++", "php:", "\"quoted\"", "*", "<script>", "%", "\\"] {
        results(browser, base, query);
    }
    // B29: markup in the index is shown as text and never runs.
    let (slugs, dom) = results(browser, base, "onerror");
    assert!(slugs.iter().any(|s| s == "b29"), "{slugs:?}");
    let list = dom.split("cc-search-page__results").nth(1).unwrap();
    assert!(
        list.contains("&lt;img src=x <mark>onerror</mark>=alert(document.title)&gt;"),
        "{list}"
    );
    assert!(!list.contains("<img") && !list.contains("<script"), "{list}");
    assert!(dom.contains("<title>Search · Fixture Commons</title>"));
}

/// The slugs a search page URL (query and filters) shows, and its DOM.
fn page_results(browser: &Path, base: &str, parameters: &str) -> (Vec<String>, String) {
    let (dom, console) = load(browser, &format!("{base}search.html?{parameters}"));
    assert!(console.is_empty(), "console messages for {parameters}:\n{}", console.join("\n"));
    assert!(
        dom.contains("cc-search-page--ready"),
        "the search page did not start for {parameters}"
    );
    let slugs = dom
        .split("<li class=\"cc-result\"><a href=\"")
        .skip(1)
        .filter_map(|piece| piece.split('"').next())
        .map(|href| href.rsplit('/').next().unwrap_or("").trim_end_matches(".html").to_string())
        .collect();
    (slugs, dom)
}

fn check_facets(browser: &Path, base: &str) {
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    // Facets alone, without a query, and the URL state ticks their boxes.
    let (slugs, dom) = page_results(browser, base, "kind=data");
    assert_eq!(slugs, ["phish-feed"]);
    assert!(dom.contains("name=\"kind\" value=\"data\" checked=\"\""), "the box is ticked");
    assert!(dom.contains("Data source (1)"), "counts show beside values");
    // Query and facet combine with AND.
    assert!(page_results(browser, base, "q=sandbox&kind=data").0.is_empty());
    assert_eq!(page_results(browser, base, "q=sandbox&kind=tool").0, ["sample-sandbox"]);
    // Values of one facet combine with OR.
    assert_eq!(
        sorted(page_results(browser, base, "kind=data&kind=tool&evaluated=yes").0),
        ["phish-feed", "sample-sandbox"]
    );
    // Entries for any incident class pass every class filter.
    assert_eq!(
        sorted(page_results(browser, base, "incident=fraud").0),
        ["b27", "b29", "phish-feed"]
    );
    assert_eq!(sorted(page_results(browser, base, "licence=free-service").0), ["phish-feed"]);
}

#[test]
fn search_facets_filter_from_the_url_without_a_query() {
    let Some(browser) = chromium() else { return };
    let (_dir, site) = search_site();
    check_facets(&browser, &format!("file://{}/", site.display()));
    check_facets(&browser, &serve(site));
}

#[test]
fn search_works_from_disk() {
    let Some(browser) = chromium() else { return };
    let (_dir, site) = search_site();
    check_queries(&browser, &format!("file://{}/", site.display()));
}

#[test]
fn search_works_over_http() {
    let Some(browser) = chromium() else { return };
    let (_dir, site) = search_site();
    let base = serve(site);
    check_queries(&browser, &base);
}

#[test]
fn no_index_bytes_load_before_the_search_box_is_used() {
    let Some(browser) = chromium() else { return };
    let (_dir, site) = search_site();
    let (dom, console) =
        load(&browser, &format!("file://{}/entry/sample-sandbox.html", site.display()));
    assert!(console.is_empty(), "{console:?}");
    assert!(
        !dom.contains("search/meta.js") && !dom.contains("search/t/"),
        "index scripts were added:\n{dom}"
    );
}

/// The terminal's answer, as slugs.
fn terminal_results(root: &Path, query: &str) -> Vec<String> {
    let output = commons(
        &["search", query, "--root", root.to_str().unwrap(), "--json", "--limit", "100"],
        &[],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let hits: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    hits.as_array().unwrap().iter().map(|h| h["slug"].as_str().unwrap().to_string()).collect()
}

#[test]
fn terminal_and_browser_find_the_same_entries() {
    let (dir, site) = search_site();
    let queries = [
        "sandbox",
        "sandbx",
        "sa",
        "检索",
        "東京",
        "café",
        "strasse",
        "мир",
        "phish feed",
        "onerror",
        "feed",
        "reporting",
        "refreshing",
    ];
    let browser = chromium();
    for query in queries {
        let mut terminal = terminal_results(dir.path(), query);
        assert!(!terminal.is_empty(), "{query:?} finds nothing in the terminal");
        let Some(browser) = &browser else { continue };
        let (mut shown, _) = results(browser, &format!("file://{}/", site.display()), query);
        terminal.sort();
        shown.sort();
        assert_eq!(terminal, shown, "{query:?}: terminal and browser disagree");
    }
}

#[test]
fn terminal_search_filters_by_kind_and_category_and_prints_text() {
    let (dir, _site) = search_site();
    let root = dir.path().to_str().unwrap();
    let only = |args: &[&str]| {
        let mut all = vec!["search", "feed", "--root", root, "--json"];
        all.extend_from_slice(args);
        let output = commons(&all, &[]);
        let hits: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        hits.as_array()
            .unwrap()
            .iter()
            .map(|h| h["slug"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(only(&["--kind", "data"]), ["phish-feed"]);
    assert!(only(&["--kind", "tool"]).is_empty());
    assert_eq!(only(&["--category", "phishing"]), ["phish-feed"]);
    let output = commons(&["search", "sandbox", "--root", root], &[]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("Sample Sandbox (tool, malware-analysis)\n"), "{text}");
    assert!(text.contains("entry/sample-sandbox.html"), "{text}");
}

/// Every word of the real catalogue and of the multilingual list, at least
/// 2,000 of them.
fn parity_words() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let list = fs::read_to_string(root.join("tests/fixtures/parity-words.txt")).unwrap();
    let mut words: Vec<String> = list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(String::from)
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for folder in ["tools", "data", "orgs"] {
        for file in fs::read_dir(root.join("entries").join(folder)).unwrap() {
            let text = fs::read_to_string(file.unwrap().path()).unwrap();
            for word in text.split_whitespace() {
                if seen.insert(word.to_string()) {
                    words.push(word.to_string());
                }
            }
        }
    }
    words
}

#[test]
fn browser_and_build_analyse_two_thousand_words_alike() {
    let words = parity_words();
    assert!(words.len() >= 2000, "only {} words", words.len());
    let Some(browser) = chromium() else { return };
    let (_dir, site) = search_site();
    let json = serde_json::to_string(&words).unwrap().replace('<', "\\u003c");
    let page = format!(
        "<!doctype html><html><head><title>parity</title><script src=\"static/search.js\"></script></head><body>\
         <script type=\"application/json\" id=\"words\">{json}</script><pre id=\"out\"></pre>\
         <script>__cc.analyse(JSON.parse(document.getElementById('words').textContent))\
         .then(function (r) {{ document.getElementById('out').textContent = \
         JSON.stringify(r.map(function (terms) {{ return [terms, __cc.stems(terms)]; }})); }});</script>\
         </body></html>"
    );
    fs::write(site.join("parity.html"), page).unwrap();
    let (dom, console) = load(&browser, &format!("file://{}/parity.html", site.display()));
    assert!(console.is_empty(), "{console:?}");
    let out = dom.split("<pre id=\"out\">").nth(1).unwrap().split("</pre>").next().unwrap();
    let out =
        out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    let browser: Vec<(Vec<String>, Vec<String>)> =
        serde_json::from_str(&out).expect("the page wrote its terms");
    let mut analyzer = csirt_commons::index::analysis::analyzer();
    let mut stems_compared = 0;
    let differences: Vec<String> = words
        .iter()
        .zip(&browser)
        .filter_map(|(word, (terms, stems))| {
            let from_build = csirt_commons::index::analysis::query_terms(&mut analyzer, word);
            if from_build != *terms {
                return Some(format!("{word:?}: build {from_build:?}, browser {terms:?}"));
            }
            let build_stems: Vec<String> = from_build
                .iter()
                .map(|t| {
                    let cjk = t.chars().next().is_some_and(csirt_commons::index::analysis::is_cjk);
                    if cjk { t.clone() } else { csirt_commons::index::analysis::stem(t) }
                })
                .collect();
            stems_compared += build_stems.len();
            (build_stems != *stems)
                .then(|| format!("{word:?}: build stems {build_stems:?}, browser {stems:?}"))
        })
        .collect();
    assert!(stems_compared >= 2000, "only {stems_compared} stems compared");
    assert!(
        differences.is_empty(),
        "{} of {} words differ:\n{}",
        differences.len(),
        words.len(),
        differences[..differences.len().min(30)].join("\n")
    );
}
