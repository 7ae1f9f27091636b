//! The comparison view (#8): the pre-rendered pages of each category's
//! evaluated entries, `compare.html`, the script data in `compare/d/`, and
//! choosing entries with the Compare boxes in Chromium.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::browser::chromium;
use super::keyboard::start;
use super::*;

/// The valid fixture with `tests/fixtures/compare/` laid over it: three
/// evaluated entries in `malware-analysis` (two tools and a data source)
/// and one not evaluated. Returns the temporary folder and the site.
fn compare_fixture_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("catalogue");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&manifest.join("tests/fixtures/valid"), &root);
    copy_tree(&manifest.join("tests/fixtures/compare/entries"), &root.join("entries"));
    let site = dir.path().join("site");
    let output = commons(&["build", root.to_str().unwrap(), "--out", site.to_str().unwrap()], &[]);
    assert!(output.status.success(), "build failed:\n{}", stderr(&output));
    (dir, site)
}

#[test]
fn comparison_pages_match_snapshots() {
    let (_dir, site) = compare_fixture_site();
    for page in ["compare/malware-analysis.html", "compare.html"] {
        insta::assert_snapshot!(page.replace('/', "__"), read(&site, page));
    }
    // One evaluated entry is not enough for a comparison.
    assert!(!site.join("compare/phishing.html").exists());
    let category = read(&site, "category/malware-analysis.html");
    assert!(
        category.contains(
            "<a href=\"../compare/malware-analysis.html\">Compare the 3 evaluated entries side by side</a>"
        ),
        "{category}"
    );
    assert!(!read(&site, "category/phishing.html").contains("compare/phishing.html"));
}

#[test]
fn a_table_mixing_rubrics_shows_a_dash_where_an_entry_was_not_evaluated_with_one() {
    let (_dir, site) = compare_fixture_site();
    let page = read(&site, "compare/malware-analysis.html");
    // Columns in name order: Hash List (data-1), Sample Sandbox and
    // Static <Scanner> & Co (tool-1).
    assert!(page.contains("<caption>Hash List, Sample Sandbox and Static &lt;Scanner&gt; &amp; Co side by side</caption>"), "{page}");
    assert!(page.contains("<th scope=\"rowgroup\" colspan=\"4\">Tool evaluation (tool-1)</th>"));
    assert!(page.contains(
        "<th scope=\"rowgroup\" colspan=\"4\">Data source and service evaluation (data-1)</th>"
    ));
    // The medians of the entry page; a dash for the data source.
    assert!(
        page.contains(
            "<tr><th scope=\"row\">Extensibility</th><td>—</td><td>2.5</td><td>2</td></tr>"
        ),
        "{page}"
    );
    assert!(page.contains("<tr><th scope=\"row\">Scalability</th><td>—</td><td>Not assessed</td><td>Not assessed</td></tr>"), "{page}");
    assert!(page.contains("<tr><th scope=\"row\">Source reliability (Admiralty)</th><td>B</td><td>—</td><td>—</td></tr>"), "{page}");
    assert!(!page.contains("Unevaluated Tool"), "only evaluated entries are compared");
}

/// Every category's evaluated entries, from the site's open data:
/// category slug to entry slugs.
fn evaluated_by_category(site: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let json = |page: &str| -> Value { serde_json::from_str(&read(site, page)).unwrap() };
    let evaluated: BTreeSet<String> = json("api/evaluations.json")["evaluations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entry"].as_str().unwrap().to_string())
        .collect();
    let mut by_category: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in json("api/entries.json")["entries"].as_array().unwrap() {
        let slug = entry["slug"].as_str().unwrap();
        for category in entry["categories"].as_array().unwrap() {
            let set = by_category.entry(category.as_str().unwrap().to_string()).or_default();
            if evaluated.contains(slug) {
                set.insert(slug.to_string());
            }
        }
    }
    by_category
}

/// The entries whose column heads the pages of one category's comparison
/// show, following its pager from the first page; checks that no page
/// holds more than 20 and no table fewer than 2 or more than 4.
fn compared_entries(site: &Path, category: &str) -> Vec<String> {
    let mut shown = Vec::new();
    let mut page = format!("compare/{category}.html");
    loop {
        let html = read(site, &page);
        let tables: Vec<&str> =
            html.split("<table class=\"cc-table cc-compare\">").skip(1).collect();
        let mut on_page = 0;
        for table in tables {
            let head = &table[..table.find("</thead>").unwrap()];
            let heads: Vec<String> = head
                .split("<th scope=\"col\"><a href=\"")
                .skip(1)
                .map(|h| {
                    let href = &h[..h.find('"').unwrap()];
                    href.rsplit('/').next().unwrap().trim_end_matches(".html").to_string()
                })
                .collect();
            assert!((2..=4).contains(&heads.len()), "{page}: a table of {}", heads.len());
            on_page += heads.len();
            shown.extend(heads);
        }
        assert!((2..=20).contains(&on_page), "{page} compares {on_page} entries");
        let Some(next) = html.split("<a rel=\"next\" href=\"").nth(1) else { break };
        let next = &next[..next.find('"').unwrap()];
        let depth = page.matches('/').count();
        let from_root = next.strip_prefix(&"../".repeat(depth)).unwrap_or(next);
        page = from_root.to_string();
    }
    shown
}

/// A comparison page for each category with two or more evaluated entries,
/// showing exactly those, in name order; none for any other category.
fn assert_comparisons_follow_evaluations(site: &Path) -> usize {
    let mut pages = 0;
    let listing = read(site, "compare.html");
    for (category, evaluated) in evaluated_by_category(site) {
        let first = site.join(format!("compare/{category}.html"));
        if evaluated.len() < 2 {
            assert!(!first.exists(), "{category} has {} evaluated entries", evaluated.len());
            assert!(!listing.contains(&format!("compare/{category}.html")));
            continue;
        }
        assert!(first.is_file(), "no comparison for {category}");
        assert!(listing.contains(&format!("compare/{category}.html")), "{category} not listed");
        let shown = compared_entries(site, &category);
        let unique: BTreeSet<String> = shown.iter().cloned().collect();
        assert_eq!(unique.len(), shown.len(), "{category}: an entry shown twice");
        assert_eq!(unique, evaluated, "{category}: not exactly its evaluated entries");
        pages += 1;
    }
    let all = files(site);
    let made = all
        .iter()
        .filter(|f| f.starts_with("compare") && f.parent() == Some(Path::new("compare")))
        .filter(|f| f.extension().is_some_and(|e| e == "html"))
        .count();
    assert_eq!(made, pages, "a comparison page for a category without two evaluated entries");
    pages
}

#[test]
fn real_catalogue_compares_the_evaluated_entries_of_each_category_with_two_or_more() {
    let (_dir, site) = build(".", &[]);
    let pages = assert_comparisons_follow_evaluations(&site);
    assert!(pages >= 2, "only {pages} comparison pages");
}

#[test]
fn a_category_with_many_evaluated_entries_is_compared_twenty_to_a_page() {
    let (_dir, _root, site) = synthetic_site(1200, 1200);
    assert_comparisons_follow_evaluations(&site);
    let paged: Vec<PathBuf> =
        files(&site).into_iter().filter(|f| f.to_string_lossy().contains("/page/")).collect();
    assert!(
        paged.iter().any(|f| f.starts_with("compare")),
        "no category's comparison needed a second page"
    );
}

/// The argument of `__ccCompare.<function>(…);` in a data file.
fn data_call(site: &Path, page: &str, function: &str) -> Value {
    let text = read(site, page);
    let inside = text
        .strip_prefix(&format!("__ccCompare.{function}("))
        .and_then(|t| t.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("{page} is not a call of __ccCompare.{function}"));
    serde_json::from_str(inside).unwrap()
}

/// The data file holding `slug`, found as `groupOf` in compare.js finds
/// it: the last file whose first slug is not after it.
fn group_of(slug: &str, first: &[&str]) -> Option<usize> {
    first.iter().rposition(|f| *f <= slug)
}

fn assert_data_covers_every_entry_once(site: &Path) -> usize {
    let entries: Value = serde_json::from_str(&read(site, "api/entries.json")).unwrap();
    let slugs: Vec<&str> = entries["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["slug"].as_str().unwrap())
        .collect();
    let index = data_call(site, "compare/d/index.js", "i");
    let first: Vec<&str> =
        index["first"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    let per_file = index["per_file"].as_u64().unwrap() as usize;
    let rows: usize =
        index["groups"].as_array().unwrap().iter().map(|g| g[1].as_array().unwrap().len()).sum();
    let mut seen: Vec<String> = Vec::new();
    for (n, first_slug) in first.iter().enumerate() {
        let data = data_call(site, &format!("compare/d/{n}.js"), "d");
        assert_eq!(data[0], json!(n));
        let columns = data[1].as_array().unwrap();
        assert!(!columns.is_empty() && columns.len() <= per_file, "file {n}: {}", columns.len());
        assert_eq!(columns[0]["s"].as_str(), Some(*first_slug), "file {n} starts elsewhere");
        for column in columns {
            let slug = column["s"].as_str().unwrap();
            assert_eq!(group_of(slug, &first), Some(n), "{slug} is looked for in another file");
            // A cell for each row of the index's groups.
            assert_eq!(column["f"].as_array().unwrap().len(), rows, "{slug}");
            seen.push(slug.to_string());
        }
    }
    assert!(!site.join(format!("compare/d/{}.js", first.len())).exists(), "a file the index omits");
    let expected: Vec<String> = slugs.iter().map(|s| s.to_string()).collect();
    assert_eq!(seen, expected, "every entry once, in catalogue order");
    assert_eq!(group_of("0-before-every-slug", &first), None);
    first.len()
}

#[test]
fn comparison_data_holds_every_entry_once_and_the_index_finds_its_file() {
    let (_dir, site) = build(".", &[]);
    assert!(assert_data_covers_every_entry_once(&site) >= 2);
    let (_dir, _root, site) = synthetic_site(250, 120);
    assert_eq!(assert_data_covers_every_entry_once(&site), 3);
}

#[test]
fn comparison_data_of_an_entry_is_its_facts_and_its_entry_pages_medians() {
    let (_dir, site) = compare_fixture_site();
    let data = data_call(&site, "compare/d/0.js", "d");
    let sandbox =
        data[1].as_array().unwrap().iter().find(|c| c["s"] == "sample-sandbox").unwrap().clone();
    assert_eq!(sandbox["n"], "Sample Sandbox");
    assert_eq!(sandbox["f"][1], json!([["Example CERT", "org/example-cert.html"]]));
    assert_eq!(
        sandbox["f"][9],
        json!([["C2 server", "incident/malicious-code/type/c2-server.html"]])
    );
    assert_eq!(
        sandbox["f"][14],
        json!([["2 evaluations", "entry/sample-sandbox.html#evaluations"]])
    );
    assert_eq!(sandbox["r"], json!(["tool-1"]));
    assert_eq!(sandbox["c"]["extensibility"], "2.5");
    assert_eq!(sandbox["c"]["scalability"], "");
    let raw = read(&site, "compare/d/0.js");
    assert!(raw.contains("Static \\u003cScanner> & Co"), "no raw `<` in script data");
}

#[test]
fn ticking_two_compare_boxes_on_a_category_page_leads_to_their_table() {
    let Some(browser) = chromium() else { return };
    let Some(driver) = start(&browser) else { return };
    let (_dir, site) = compare_fixture_site();
    let url = format!("file://{}/category/malware-analysis.html", site.display());
    driver.call("POST", "/url", Some(json!({"url": url})));
    driver.wait_for("return document.querySelectorAll('.cc-compare-box input').length", "boxes");
    // Storage from an earlier run must not leak in.
    driver.script("try { localStorage.clear(); } catch (e) {} return true;");
    driver.call("POST", "/refresh", Some(json!({})));
    let boxes = driver
        .wait_for("return document.querySelectorAll('.cc-compare-box input').length", "boxes");
    assert_eq!(boxes, json!(4), "one box for each card");
    let link = "document.querySelector('.cc-tray__go')";
    assert_eq!(driver.script(&format!("return {link}.hasAttribute('href')")), json!(false));

    // Tick Sample Sandbox and Static <Scanner> & Co, as a reader would:
    // focus each box and press Space.
    for slug in ["sample-sandbox", "static-scanner"] {
        driver.script(&format!(
            "document.querySelector('.cc-compare-box input[value=\"{slug}\"]').focus(); return true;"
        ));
        let active = driver.call("GET", "/element/active", None);
        let id = active.as_object().and_then(|o| o.values().next()).and_then(Value::as_str);
        driver.call("POST", &format!("/element/{}/value", id.unwrap()), Some(json!({"text": " "})));
    }
    let status = driver.script("return document.querySelector('.cc-tray__status').textContent");
    assert_eq!(status, json!("2 entries selected for comparison (up to 4)."));
    assert_eq!(
        driver.script("return document.querySelector('.cc-tray').getAttribute('aria-label')"),
        json!("Comparison")
    );
    let href = driver.script(&format!("return {link}.getAttribute('href')"));
    assert!(
        href.as_str().unwrap().ends_with("compare.html?e=sample-sandbox+static-scanner"),
        "{href}"
    );

    // The selection is kept across pages: the all-entries listing shows it.
    driver.call(
        "POST",
        "/url",
        Some(json!({"url": format!("file://{}/entries.html", site.display())})),
    );
    let ticked = driver.wait_for(
        "var b = document.querySelectorAll('.cc-compare-box input:checked'); \
         return b.length && Array.from(b).map(function (x) { return x.value; }).join(' ');",
        "the selection on another page",
    );
    assert_eq!(ticked, json!("sample-sandbox static-scanner"));

    // Follow the tray's link.
    driver.script(&format!("{link}.click(); return true;"));
    let names = driver.wait_for(
        "var h = document.querySelectorAll('.cc-compare th[scope=col] a'); \
         return h.length && Array.from(h).map(function (a) { return a.textContent; }).join(' | ');",
        "the comparison table",
    );
    assert_eq!(names, json!("Sample Sandbox | Static <Scanner> & Co"));
    let row = |label: &str| {
        driver.script(&format!(
            "var r = Array.from(document.querySelectorAll('.cc-compare tr')).find(function (tr) {{ \
               var th = tr.querySelector('th[scope=row]'); return th && th.textContent === '{label}'; }}); \
             return r ? Array.from(r.querySelectorAll('td')).map(function (td) {{ return td.textContent; }}) : null;"
        ))
    };
    assert_eq!(row("Maintainer"), json!(["Example CERT", "Second Team"]));
    assert_eq!(row("Platforms"), json!(["linux", "linux, windows"]));
    assert_eq!(row("Extensibility"), json!(["2.5", "2"]));

    // Removing an entry leaves the other; an unknown slug is told, not thrown.
    driver.script("document.querySelector('.cc-compare__remove').click(); return true;");
    let left = driver.wait_for(
        "var h = document.querySelectorAll('.cc-compare th[scope=col] a'); \
         return h.length === 1 && h[0].textContent;",
        "one entry left",
    );
    assert_eq!(left, json!("Static <Scanner> & Co"));
    let url = format!("file://{}/compare.html?e=phish-feed+no-such-entry", site.display());
    driver.call("POST", "/url", Some(json!({"url": url})));
    let status = driver.wait_for(
        "return document.querySelector('.cc-compare-page__status').textContent",
        "the status",
    );
    assert!(
        status.as_str().unwrap().contains("No entry “no-such-entry” in this catalogue"),
        "{status}"
    );

    // Names in capitals are found; anything not shaped like an entry's
    // name (here right-to-left and invisible characters) is counted and
    // never shown, so a crafted link cannot write its words on the page.
    let url = format!(
        "file://{}/compare.html?e=PHISH-FEED,%E2%80%AEmoc.live%E2%81%A0nigol&e=Hash-List+phish-feed",
        site.display()
    );
    driver.call("POST", "/url", Some(json!({"url": url})));
    let status = driver.wait_for(
        "var s = document.querySelector('.cc-compare-page__status').textContent; \
         return s.indexOf('Comparing') >= 0 && s;",
        "the comparison",
    );
    let status = status.as_str().unwrap();
    assert!(status.starts_with("Comparing 2 entries."), "{status}");
    assert!(status.contains("1 value in the address is not an entry's name and was ignored."));
    assert!(!status.contains("moc.live") && !status.contains('\u{202e}'), "{status}");
    let heads = driver.script(
        "return Array.prototype.map.call(document.querySelectorAll('.cc-compare th[scope=col] a'), \
         function (a) { return a.textContent; });",
    );
    assert_eq!(heads, json!(["Phish Feed", "Hash List"]));
}

#[test]
fn a_comparison_scrolls_inside_its_table_on_a_375_pixel_phone() {
    let Some(browser) = chromium() else { return };
    let Some(driver) = start(&browser) else { return };
    let (_dir, site) = compare_fixture_site();
    driver.call("POST", "/window/rect", Some(json!({"width": 375, "height": 800})));
    let url = format!("file://{}/compare/malware-analysis.html", site.display());
    driver.call("POST", "/url", Some(json!({"url": url})));
    let inner = driver.script("return window.innerWidth");
    let page = driver.script("return document.documentElement.scrollWidth");
    assert!(page.as_i64() <= inner.as_i64(), "the page is {page} px wide in {inner}");
    let wrap = driver.script(
        "var w = document.querySelector('.cc-table-wrap'); return [w.scrollWidth, w.clientWidth];",
    );
    assert!(wrap[0].as_i64() > wrap[1].as_i64(), "the table does not scroll: {wrap}");
}

#[test]
fn comparison_pages_and_listings_run_without_console_errors() {
    let Some(browser) = chromium() else { return };
    let (_dir, site) = compare_fixture_site();
    let url = |page: &str| format!("file://{}/{page}", site.display());
    let (dom, console) =
        super::browser::load(&browser, &url("compare.html?e=hash-list+sample-sandbox"));
    assert!(console.is_empty(), "{console:?}");
    assert!(dom.contains("<caption>Hash List and Sample Sandbox side by side</caption>"), "{dom}");
    assert!(dom.contains("Comparing 2 entries."), "{dom}");
    for page in
        ["category/malware-analysis.html", "entries.html", "search.html?q=sample", "compare.html"]
    {
        let (dom, console) = super::browser::load(&browser, &url(page));
        assert!(console.is_empty(), "{page}: {console:?}");
        assert!(dom.contains("class=\"cc-tray") || page == "compare.html", "{page}: no tray");
    }
    // Search results get a box too, once they are shown.
    let (dom, _) = super::browser::load(&browser, &url("search.html?q=sample"));
    let results = &dom[dom.find("cc-search-page__results").unwrap()..];
    assert!(results.contains("<input type=\"checkbox\" value=\"sample-sandbox\">"), "{results}");
}

#[test]
fn hostile_entry_names_in_a_scripted_comparison_stay_text() {
    let Some(browser) = chromium() else { return };
    let (_dir, site) = build(&fixture("xss"), &[]);
    let url = format!("file://{}/compare.html?e=body-vectors+front-matter", site.display());
    let (dom, console) = super::browser::load(&browser, &url);
    assert!(console.is_empty(), "{console:?}");
    assert!(!dom.contains("<title>PWNED</title>"), "a name ran as script");
    let table = &dom[dom.find("<table class=\"cc-table cc-compare\">").expect("a table")..];
    assert!(table.contains("&lt;img src=x onerror="), "{table}");
    assert!(!table.contains("<img"), "{table}");
}
