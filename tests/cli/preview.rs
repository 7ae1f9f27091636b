//! `commons serve`: the site is served on 127.0.0.1, rebuilt when a file
//! changes, and open pages reload; a failed build shows its problems in the
//! page while the last good site stays served.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::browser::chromium;
use super::keyboard;
use super::*;

/// A running `commons serve` over a copy of the valid fixture, stopped
/// when dropped.
struct Preview {
    child: Child,
    port: u16,
    root: tempfile::TempDir,
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Preview {
    fn start() -> Preview {
        Preview::start_after(|_| {})
    }

    /// Starts after `prepare` has changed the copy of the fixture.
    fn start_after(prepare: impl FnOnce(&Path)) -> Preview {
        let root = tempfile::tempdir().unwrap();
        copy_tree(Path::new(&fixture("valid")), root.path());
        prepare(root.path());
        let mut child = Command::new(env!("CARGO_BIN_EXE_commons"))
            .args(["serve", root.path().to_str().unwrap(), "--port", "0"])
            .env("SOURCE_DATE_EPOCH", TEST_DATE_EPOCH)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("commons serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Preview { child, port, root }
    }

    /// A raw GET of `path`, as written: status and body.
    fn get(&self, path: &str) -> (u16, String) {
        self.get_from(path, "127.0.0.1")
    }

    /// A raw GET of `path` with `host` as the `Host` header.
    fn get_from(&self, path: &str, host: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        (status, body)
    }

    /// The answer to a page's long poll: the first build after the one it
    /// knows, `since`, that concerns it.
    fn ask(&self, query: &str) -> serde_json::Value {
        let (_, body) = self.get(&format!("/__commons/wait.js?{query}"));
        let json = body
            .split_once("__commonsLive(")
            .and_then(|(_, rest)| rest.rsplit_once(");"))
            .map(|(json, _)| json)
            .unwrap_or_else(|| panic!("not a live answer: {body}"));
        serde_json::from_str(json).unwrap()
    }

    /// The state once the builds that follow `generation` are done (a
    /// quick build of one edited entry is followed by a whole one).
    fn after(&self, generation: u64) -> serde_json::Value {
        let mut state = self.ask(&format!("since={generation}"));
        while state["pending"] == true {
            state = self.ask(&format!("since={}", state["generation"]));
        }
        state
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.root.path().join("entries").join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no `{from}`");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
}

const PAGE: &str = "/entry/sample-sandbox.html";

#[test]
fn serve_rebuilds_on_a_change_and_keeps_the_last_good_site_when_a_build_fails() {
    let preview = Preview::start();
    let first = preview.after(0);
    assert_eq!(first["generation"], 1);
    assert_eq!(first["problems"], "");
    let (status, page) = preview.get(PAGE);
    assert_eq!(status, 200);
    assert!(page.contains(
        "<script src=\"/__commons/live.js?since=1&amp;page=entry/sample-sandbox.html\" defer>\
         </script>\n</body>"
    ));
    let on_disk = fs::read_to_string(preview.root.path().join("site").join(&PAGE[1..])).unwrap();
    assert!(!on_disk.contains("__commons"), "the built site itself has no preview script");

    preview.edit("tools/sample-sandbox.md", "name: Sample Sandbox", "name: Sample Sandbox Two");
    let second = preview.after(1);
    assert_eq!(second["problems"], "");
    assert!(preview.get(PAGE).1.contains("Sample Sandbox Two"));
    assert!(preview.get("/entries.html").1.contains("Sample Sandbox Two"), "listings too");

    preview.edit("tools/sample-sandbox.md", "status: live", "status: alive");
    let third = preview.after(second["generation"].as_u64().unwrap());
    let problems = third["problems"].as_str().unwrap();
    assert!(
        problems.contains("entries/tools/sample-sandbox.md:18:9: unknown status `alive`"),
        "{problems}"
    );
    let (status, page) = preview.get(PAGE);
    assert_eq!(status, 200, "the last good site is still served");
    assert!(page.contains("Sample Sandbox Two"));

    preview.edit("tools/sample-sandbox.md", "status: alive", "status: live");
    assert_eq!(preview.after(third["generation"].as_u64().unwrap())["problems"], "");
}

#[test]
fn serve_shows_the_problems_when_no_build_has_succeeded_yet() {
    let preview = Preview::start_after(|root| {
        let path = root.join("entries/tools/sample-sandbox.md");
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace("status: live", "status: alive")).unwrap();
    });
    let first = preview.after(0);
    let problems = first["problems"].as_str().unwrap();
    assert!(problems.contains("unknown status `alive`"), "{problems}");
    assert!(problems.ends_with("1 problem; no site has been built yet"), "{problems}");
    let (status, page) = preview.get("/index.html");
    assert_eq!(status, 404);
    assert!(page.contains("<h1>No site yet</h1>"));
    assert!(page.contains("<script src=\"/__commons/live.js?since=0&amp;page=index.html\" defer>"));

    preview.edit("tools/sample-sandbox.md", "status: alive", "status: live");
    assert_eq!(preview.after(1)["problems"], "");
    assert_eq!(preview.get("/index.html").0, 200);
}

#[test]
fn a_page_opened_after_a_failed_build_is_told_the_problems_at_once() {
    let preview = Preview::start();
    preview.after(0);
    preview.edit("tools/sample-sandbox.md", "status: live", "status: alive");
    assert_ne!(preview.after(1)["problems"], "");
    // Opened now, the page comes from build 1, the last good one; asking
    // what followed build 1 is answered at once, with the problems, rather
    // than after the next build.
    let (_, page) = preview.get(PAGE);
    assert!(page.contains("/__commons/live.js?since=1&amp;page=entry/sample-sandbox.html\""));
    let asked = Instant::now();
    let state = preview.ask("since=1&page=entry/sample-sandbox.html");
    assert_eq!(state["reload"], false);
    assert!(state["problems"].as_str().unwrap().contains("unknown status `alive`"));
    assert!(asked.elapsed() < Duration::from_secs(20), "answered at once, not after the poll");
}

#[test]
fn serve_notices_every_safe_save_of_the_settings() {
    let preview = Preview::start();
    preview.after(0);
    // A safe save writes a new file and renames it over the old one; the
    // second one is missed if the watch followed the first file away.
    let settings = preview.root.path().join("commons.yaml");
    let mut generation = 1;
    for title in ["Renamed One", "Renamed Two"] {
        let text = fs::read_to_string(&settings).unwrap();
        let old_title = text.lines().find(|l| l.starts_with("title:")).unwrap().to_string();
        let next = preview.root.path().join("commons.yaml.new");
        fs::write(&next, text.replace(&old_title, &format!("title: {title}"))).unwrap();
        fs::rename(&next, &settings).unwrap();
        let state = preview.after(generation);
        assert!(state["generation"].as_u64().unwrap() > generation);
        generation = state["generation"].as_u64().unwrap();
        assert!(preview.get("/index.html").1.contains(title), "{title} not shown");
    }
}

#[test]
fn serve_refuses_requests_for_other_host_names() {
    let preview = Preview::start();
    let port = preview.port;
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}"), "localhost".into()] {
        assert_eq!(preview.get_from("/index.html", &host).0, 200, "{host}");
    }
    // A page on another site that points its own name at 127.0.0.1.
    for host in [format!("rebind.example:{port}"), format!("127.0.0.1:{}", port.wrapping_add(1))] {
        let (status, body) = preview.get_from("/index.html", &host);
        assert_eq!(status, 403, "{host}");
        assert!(!body.contains("<h1"), "{host}");
    }
}

#[test]
fn serve_answers_only_from_the_site_folder() {
    let preview = Preview::start();
    fs::write(preview.root.path().join("secret.txt"), "not for the web").unwrap();
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/entry/..%2f..%2fsecret.txt",
        "//secret.txt",
        "/.commons-site",
        "/entry/sample-sandbox.html/",
    ] {
        let (status, body) = preview.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("not for the web"), "{path}");
    }
    let (status, body) = preview.get("/");
    assert_eq!(status, 200);
    assert!(body.contains("<h1"), "the folder's index.html");
    assert_eq!(preview.get("/api/entries.json").0, 200);
}

#[test]
fn an_open_page_reloads_after_an_edit_and_shows_the_problems_of_a_failed_build() {
    let Some(browser) = chromium() else { return };
    let Some(driver) = keyboard::start(&browser) else { return };
    let preview = Preview::start();
    preview.after(0);
    let url = format!("http://127.0.0.1:{}{PAGE}", preview.port);
    driver.call("POST", "/url", Some(serde_json::json!({"url": url})));
    driver.wait_for("return document.readyState === 'complete'", "the page");
    // The page has asked for the next build before the edit is made.
    std::thread::sleep(Duration::from_millis(300));

    let edited = Instant::now();
    preview.edit("tools/sample-sandbox.md", "name: Sample Sandbox", "name: Sandbox Renamed");
    driver.wait_for(
        "return document.querySelector('h1') && document.querySelector('h1').textContent.includes('Sandbox Renamed')",
        "the reloaded page",
    );
    // A figure for the log, not an assertion: BENCHMARKS.md records it.
    eprintln!("edit shown in the page after {} ms", edited.elapsed().as_millis());

    preview.edit("tools/sample-sandbox.md", "status: live", "status: alive");
    let shown = driver.wait_for(
        "var p = document.getElementById('commons-build-problems'); return p && p.textContent",
        "the problems panel",
    );
    let shown = shown.as_str().unwrap();
    assert!(shown.contains("The build failed"), "{shown}");
    assert!(shown.contains("sample-sandbox.md:18:9: unknown status `alive`"), "{shown}");
    assert_eq!(
        driver
            .script("return document.querySelector('h1').textContent.includes('Sandbox Renamed')"),
        serde_json::json!(true),
        "the page stays as it was"
    );

    preview.edit("tools/sample-sandbox.md", "status: alive", "status: live");
    driver.wait_for(
        "return document.readyState === 'complete' && !document.getElementById('commons-build-problems')",
        "the panel gone after a good build",
    );
}

#[test]
fn an_edited_entry_is_shown_by_a_quick_build_before_the_whole_one() {
    let preview = Preview::start();
    preview.after(0);
    preview.edit("tools/sample-sandbox.md", "in a throw-away machine", "in a disposable machine");
    // The first answer is the quick build of the one page: the page is
    // already served with the edit, and a whole build is still to come.
    let quick = preview.ask("since=1&page=entry/sample-sandbox.html");
    assert_eq!(quick["reload"], true);
    assert_eq!(quick["pending"], true, "{quick}");
    assert!(preview.get(PAGE).1.contains("in a disposable machine"));
    let whole = preview.after(quick["generation"].as_u64().unwrap());
    assert_eq!(whole["problems"], "");
    assert!(preview.get("/entries.html").1.contains("in a disposable machine"));
    // The whole build made the page the quick one had made: no second
    // reload for it.
    let known = quick["generation"].as_u64().unwrap();
    let state = preview.ask(&format!("since={known}&page=entry/sample-sandbox.html"));
    assert_eq!(state["reload"], false, "{state}");
}

#[test]
fn an_edit_that_breaks_an_entry_shows_its_problems_from_the_quick_build() {
    let preview = Preview::start();
    preview.after(0);
    preview.edit("tools/sample-sandbox.md", "status: live", "status: alive");
    let quick = preview.ask("since=1&page=entry/sample-sandbox.html");
    assert_eq!(quick["pending"], true, "{quick}");
    assert_eq!(quick["reload"], false);
    let problems = quick["problems"].as_str().unwrap();
    assert!(
        problems.contains("entries/tools/sample-sandbox.md:18:9: unknown status `alive`"),
        "{problems}"
    );
    assert!(problems.ends_with("the last good site is still being served"), "{problems}");
    assert_eq!(preview.after(quick["generation"].as_u64().unwrap())["problems"], problems);
}

/// Checks that the quick page of every entry of `root`, unedited since
/// the last build, is the whole build's page.
fn assert_quick_pages_are_whole_pages(root: &Path, today: jiff::civil::Date) {
    let (catalogue, pages) = csirt_commons::render_pages(root, today).unwrap();
    for entry in &catalogue.entries {
        let whole = pages.iter().find(|p| p.path == format!("entry/{}.html", entry.slug)).unwrap();
        match csirt_commons::quick::entry_edit(root, &catalogue, &entry.path, today) {
            Some(csirt_commons::quick::Quick::Page(page)) => {
                assert!(page == *whole, "{}: the pages differ", entry.slug)
            }
            other => panic!("{}: {other:?}", entry.slug),
        }
    }
}

#[test]
fn a_quick_entry_page_is_the_whole_builds_page_byte_for_byte() {
    let today = jiff::civil::date(2026, 12, 1);
    // Every entry of the real catalogue, with its evaluations.
    assert_quick_pages_are_whole_pages(Path::new(env!("CARGO_MANIFEST_DIR")), today);

    // An edit the last build has not seen: the quick page comes from the
    // last build's catalogue and the new file, and must equal the page of
    // a whole build with the edit.
    let copy = tempfile::tempdir().unwrap();
    copy_tree(Path::new(&fixture("valid")), copy.path());
    let (before, _) = csirt_commons::render_pages(copy.path(), today).unwrap();
    let file = copy.path().join("entries/tools/sample-sandbox.md");
    let text = fs::read_to_string(&file).unwrap();
    let edited = text
        .replace("name: Sample Sandbox", "name: Renamed Sandbox")
        .replace("maintainer: example-cert", "maintainer: second-team")
        .replace("categories: [malware-analysis]", "categories: [malware-analysis, phishing]")
        .replace("A sandbox for", "A changed sandbox for");
    assert_ne!(edited, text);
    fs::write(&file, edited).unwrap();
    let quick = match csirt_commons::quick::entry_edit(copy.path(), &before, &file, today) {
        Some(csirt_commons::quick::Quick::Page(page)) => page,
        other => panic!("{other:?}"),
    };
    let (_, after) = csirt_commons::render_pages(copy.path(), today).unwrap();
    let whole = after.iter().find(|p| p.path == "entry/sample-sandbox.html").unwrap();
    assert!(quick == *whole, "the edited page differs from the whole build's");
    assert!(String::from_utf8_lossy(&quick.bytes).contains("Renamed Sandbox"));
    assert_quick_pages_are_whole_pages(copy.path(), today);
}

#[test]
fn a_quick_build_declines_what_it_cannot_show_alone() {
    use csirt_commons::quick::entry_edit;
    let copy = tempfile::tempdir().unwrap();
    copy_tree(Path::new(&fixture("valid")), copy.path());
    let today = jiff::civil::date(2026, 12, 1);
    let (catalogue, _) = csirt_commons::render_pages(copy.path(), today).unwrap();
    let entries = copy.path().join("entries");
    // Not entries the last build knew: an organisation, an evaluation, a
    // new entry, the settings.
    for path in [
        entries.join("orgs/example-cert.md"),
        entries.join("evaluations/phish-feed/2026-06-01-second-team.md"),
        entries.join("tools/brand-new.md"),
        copy.path().join("commons.yaml"),
    ] {
        assert!(entry_edit(copy.path(), &catalogue, &path, today).is_none(), "{path:?}");
    }
    // A removed entry.
    let removed = entries.join("tools/sample-sandbox.md");
    fs::remove_file(&removed).unwrap();
    assert!(entry_edit(copy.path(), &catalogue, &removed, today).is_none());
    // A change of kind: evaluations are checked against kinds.
    let file = entries.join("data/phish-feed.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replace("kind: data", "kind: service")).unwrap();
    assert!(entry_edit(copy.path(), &catalogue, &file, today).is_none());
}
