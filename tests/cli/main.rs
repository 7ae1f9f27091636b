//! The integration tests: they run the real `commons` binary over fixture
//! catalogues (`tests/fixtures/`) and over the real catalogue in `entries/`.

mod browser;
mod cases;
mod ci_files;
mod compare;
mod contribute;
mod keyboard;
mod links;
mod open_data;
mod preview;
mod robustness;
mod schemas;
mod search;
mod site;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The date tests build on, 3 December 2026, as `SOURCE_DATE_EPOCH`, so
/// ages and review warnings in snapshots never change with the calendar.
pub const TEST_DATE_EPOCH: &str = "1796256000";

/// Runs `commons` from the repository root; `envs` may override
/// `SOURCE_DATE_EPOCH`.
pub fn commons(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_commons"));
    command.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    command.env("SOURCE_DATE_EPOCH", TEST_DATE_EPOCH);
    for (key, value) in envs {
        command.env(key, value);
    }
    command.output().expect("the commons binary runs")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn fixture(name: &str) -> String {
    format!("tests/fixtures/{name}")
}

/// Builds `root` into a fresh temporary folder and returns it with the site path.
pub fn build(root: &str, envs: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = commons(&["build", root, "--out", out.to_str().unwrap()], envs);
    assert!(output.status.success(), "build of {root} failed:\n{}", stderr(&output));
    (dir, out)
}

/// Writes a synthetic catalogue (`commons synth`) of `entries` entries and
/// `evaluations` evaluations and builds it; returns the temporary folder
/// holding both, the catalogue and the site.
pub fn synthetic_site(entries: usize, evaluations: usize) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("catalogue");
    let (entries, evaluations) = (entries.to_string(), evaluations.to_string());
    let synth = commons(
        &["synth", root.to_str().unwrap(), "--entries", &entries, "--evaluations", &evaluations],
        &[],
    );
    assert!(synth.status.success(), "{}", stderr(&synth));
    let site = dir.path().join("site");
    let output = commons(&["build", root.to_str().unwrap(), "--out", site.to_str().unwrap()], &[]);
    assert!(output.status.success(), "build failed:\n{}", stderr(&output));
    (dir, root, site)
}

pub fn read(site: &Path, page: &str) -> String {
    fs::read_to_string(site.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

/// Every file under `root`, relative, sorted.
pub fn files(root: &Path) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
        .collect();
    all.sort();
    all
}

/// Every file under `root` with its bytes, sorted by path: a whole site to
/// compare byte for byte.
pub fn contents(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files(root).into_iter().map(|f| (f.clone(), fs::read(root.join(&f)).unwrap())).collect()
}

/// Copies a folder and everything below it.
pub fn copy_tree(from: &Path, to: &Path) {
    for item in walkdir::WalkDir::new(from) {
        let item = item.unwrap();
        let target = to.join(item.path().strip_prefix(from).unwrap());
        if item.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(item.path(), &target).unwrap();
        }
    }
}

/// A copy of the real catalogue (`entries/` and `commons.yaml`) in a
/// temporary folder, for tests that add or change files.
pub fn catalogue_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&root.join("entries"), &dir.path().join("entries"));
    fs::copy(root.join("commons.yaml"), dir.path().join("commons.yaml")).unwrap();
    dir
}

/// A page without the theme's own script tags — search on every page, the
/// comparison on listings and `compare.html` — so that tests can look for
/// every other.
pub fn without_own_script(html: &str) -> String {
    let own = |line: &str| {
        line.starts_with("<script src=\"")
            && ["static/search.js", "static/compare.js"]
                .iter()
                .any(|file| line.ends_with(&format!("{file}\" defer></script>")))
    };
    html.lines().filter(|line| !own(line)).collect::<Vec<_>>().join("\n")
}

/// Every attribute of every tag in an HTML document, as (lower-case name,
/// value with the common entities decoded). Text is skipped: in HTML that
/// this project writes, and in a serialised DOM, a `<` in text is always
/// escaped, so each `<` starts a tag.
pub fn attributes(html: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for tag in html.split('<').skip(1) {
        let mut chars = tag.chars().peekable();
        // The tag name.
        while chars.next_if(|c| !c.is_whitespace() && *c != '>').is_some() {}
        loop {
            while chars.next_if(|c| c.is_whitespace() || *c == '/').is_some() {}
            let mut name = String::new();
            while let Some(c) =
                chars.next_if(|c| !c.is_whitespace() && !matches!(c, '=' | '>' | '/'))
            {
                name.push(c.to_ascii_lowercase());
            }
            if name.is_empty() {
                break;
            }
            let mut value = String::new();
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            if chars.next_if_eq(&'=').is_some() {
                while chars.next_if(|c| c.is_whitespace()).is_some() {}
                match chars.next_if(|c| *c == '"' || *c == '\'') {
                    Some(quote) => value.extend(chars.by_ref().take_while(|c| *c != quote)),
                    None => {
                        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '>') {
                            value.push(c);
                        }
                    }
                }
            }
            let value = value
                .replace("&quot;", "\"")
                .replace("&#x27;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            found.push((name, value));
        }
    }
    found
}

/// Whether any element carries an `on…` event-handler attribute.
pub fn has_event_handler(html: &str) -> bool {
    attributes(html).iter().any(|(name, _)| name.starts_with("on"))
}

/// Every value of an attribute that holds a URL.
pub fn url_values(html: &str) -> Vec<String> {
    const URL_ATTRIBUTES: [&str; 7] =
        ["href", "src", "action", "data", "xlink:href", "formaction", "poster"];
    attributes(html)
        .into_iter()
        .filter(|(name, _)| URL_ATTRIBUTES.contains(&name.as_str()))
        .map(|(_, value)| value)
        .collect()
}

#[test]
fn attributes_skip_quoted_values_and_text() {
    let html =
        r#"<meta content="only one" name=x><p>a &lt;b onclick="x"&gt;</p><a href='y' ONCLICK="z">"#;
    let names: Vec<String> = attributes(html).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["content", "name", "href", "onclick"]);
    assert!(has_event_handler(html));
    assert!(!has_event_handler(r#"<meta content="exists only in tests">"#));
    assert_eq!(url_values(r#"<img src=x onerror=alert(1)><a href="a&amp;b">"#), ["x", "a&b"]);
}
