//! Headless Chromium over the XSS fixture (`tests/fixtures/xss/`): more than
//! thirty attempts to run script from entry bodies and front-matter fields.
//! Every page is loaded twice, as built and with its Content-Security-Policy
//! removed, so the sanitiser is tested on its own and not only behind the
//! policy. A vector that runs sets the page title to `PWNED`.
//!
//! Without Chromium these tests print a loud SKIPPED and pass, so
//! `cargo test` works on a fresh machine; with `COMMONS_REQUIRE_BROWSER=1`
//! (as `.ci/run` sets) a missing browser fails them.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;

/// The Chromium binary, or `None` after saying loudly that it is missing.
pub fn chromium() -> Option<PathBuf> {
    let from_variable = std::env::var_os("CHROMIUM").map(PathBuf::from).filter(|p| p.is_file());
    let found = from_variable.or_else(|| {
        ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
            .iter()
            .find_map(|name| on_path(name))
    });
    found.or_else(|| missing("Chromium", "install `chromium` or set CHROMIUM"))
}

/// A program on the PATH.
pub fn on_path(name: &str) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths).map(|p| p.join(name)).find(|p| p.is_file())
}

/// Reports a missing browser program: a failure when
/// `COMMONS_REQUIRE_BROWSER` is set (as in CI), else a loud skip.
pub fn missing<T>(what: &str, fix: &str) -> Option<T> {
    let required =
        std::env::var("COMMONS_REQUIRE_BROWSER").is_ok_and(|v| !v.is_empty() && v != "0");
    assert!(!required, "COMMONS_REQUIRE_BROWSER is set but no {what} was found");
    // Written to the process's stderr directly, past the test harness's
    // capture, so the skip shows even when the test passes.
    let _ =
        writeln!(std::io::stderr(), "\n*** SKIPPED: browser test — no {what} found ({fix}) ***\n");
    None
}

/// The DOM of a page after it loaded and ran whatever it could.
fn dump_dom(browser: &Path, page: &Path) -> String {
    load(browser, &format!("file://{}", page.display())).0
}

/// Loads `url` in headless Chromium; returns the DOM after scripts ran, and
/// every message the page wrote to the console at warning level or above
/// (uncaught errors included).
pub fn load(browser: &Path, url: &str) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=3000",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&output.stdout).into_owned();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(dom.contains("</html>"), "no DOM for {url}:\n{log}");
    let console = log
        .lines()
        .filter(|l| l.contains(":CONSOLE") && !l.contains("INFO:CONSOLE"))
        .map(String::from)
        .collect();
    (dom, console)
}

fn assert_page_is_inert(browser: &Path, page: &Path, name: &str) {
    let dom = dump_dom(browser, page);
    assert!(!dom.contains("<title>PWNED</title>"), "script ran in {name}");
    for value in url_values(&dom) {
        let value: String =
            value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
        let value = value.to_lowercase();
        for scheme in ["javascript:", "vbscript:", "data:"] {
            assert!(!value.starts_with(scheme), "{name} keeps a `{scheme}` URL: {value}");
        }
    }
}

#[test]
fn xss_fixture_runs_no_script_in_chromium_with_or_without_csp() {
    let Some(browser) = chromium() else { return };
    let (_dir, site) = build(&fixture("xss"), &[]);
    let bare = tempfile::tempdir().unwrap();
    let pages: Vec<PathBuf> =
        files(&site).into_iter().filter(|f| f.extension().is_some_and(|e| e == "html")).collect();
    assert!(pages.len() >= 10);
    for page in &pages {
        let html = read(&site, page.to_str().unwrap());
        let csp_line = html.lines().find(|l| l.contains("Content-Security-Policy")).expect("a CSP");
        let without_csp = bare.path().join(page);
        fs::create_dir_all(without_csp.parent().unwrap()).unwrap();
        fs::write(&without_csp, html.replace(csp_line, "")).unwrap();

        let name = page.display().to_string();
        assert_page_is_inert(&browser, &site.join(page), &name);
        assert_page_is_inert(&browser, &without_csp, &format!("{name} without CSP"));
    }
}

#[test]
fn a_vector_that_runs_is_caught_by_this_harness() {
    // The harness itself must notice a script that runs, or the test above
    // would pass whatever happened.
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("live.html");
    fs::write(
        &page,
        "<!doctype html><html><head><title>t</title></head><body>\
        <img src=x onerror=\"document.title=`PWNED`\"><a href=\"javascript:x\">x</a></body></html>",
    )
    .unwrap();
    let dom = dump_dom(&browser, &page);
    assert!(dom.contains("<title>PWNED</title>"), "{dom}");
    assert!(url_values(&dom).iter().any(|v| v.starts_with("javascript:")));
}
