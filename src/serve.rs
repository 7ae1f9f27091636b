//! `commons serve`: a preview for contributors.
//!
//! Builds the site, serves the output folder on 127.0.0.1, and rebuilds
//! whenever a file under `entries/` or `commons.yaml` changes. Every HTML
//! page it serves gets one extra script, `/__commons/live.js`, which asks
//! `/__commons/wait.js` (a long poll answered when the next build finishes)
//! and reloads the page after a good build or shows the problems over the
//! page after a failed one. The script is loaded as a script from the same
//! origin, so the pages' Content Security Policy needs no change. A failed
//! build writes nothing: the last good site keeps being served.

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};
use tiny_http::{Header, Request, Response, Server};

use crate::diagnostics::Diagnostics;

/// How long a `wait.js` request is held before it is answered unchanged.
const LONG_POLL: Duration = Duration::from_secs(25);

/// How long the watcher waits for a burst of events to end.
const SETTLE: Duration = Duration::from_millis(80);

/// The prefix of the preview's own addresses; no page of a site uses it.
const OWN: &str = "/__commons/";

/// What the open pages are told: which build this is, and its problems.
#[derive(Debug, Clone, Default)]
struct Status {
    /// Counts builds, good or failed, from 1.
    generation: u64,
    /// The last good build: the one whose site is being served (0 before
    /// any). Pages are told this one, so that a page opened after a failed
    /// build learns of it at once and shows its problems.
    served: u64,
    /// The problems of the last build, empty when it succeeded.
    problems: String,
}

/// State shared by the watcher and the request threads.
struct Shared {
    status: Mutex<Status>,
    changed: Condvar,
    /// Held for reading while a file is served and for writing while a
    /// build swaps the output folder, so no request sees it half-swapped.
    site: RwLock<()>,
}

/// Builds `root` into `out`; a build that fails leaves `out` untouched.
/// Returns a one-line summary, or the problems as text.
pub type Build = dyn Fn() -> Result<String, String> + Send + Sync;

/// The problems of a failed build as the text the page shows.
pub fn problems_text(problems: Diagnostics) -> String {
    let count = problems.len();
    let mut text: Vec<String> = problems.into_sorted().iter().map(|p| p.to_string()).collect();
    text.push(format!("{count} problem{}", if count == 1 { "" } else { "s" }));
    text.join("\n")
}

/// Serves `out` on 127.0.0.1:`port` (0 picks a free port) and rebuilds
/// with `build` when anything under `watch` changes. Calls `ready` with
/// the address once the first build is done and the server listens, then
/// runs until the process is stopped.
pub fn run(
    watch: &[PathBuf],
    out: &Path,
    port: u16,
    build: Box<Build>,
    ready: impl FnOnce(&str),
) -> Result<(), String> {
    let shared = Arc::new(Shared {
        status: Mutex::new(Status::default()),
        changed: Condvar::new(),
        site: RwLock::new(()),
    });
    // Listening first: a busy port fails before the output folder is touched.
    let server = Server::http(("127.0.0.1", port)).map_err(|e| {
        format!("cannot listen on 127.0.0.1:{port}: {e}; choose another port with --port")
    })?;
    rebuild(&shared, &*build, out);
    let address = match server.server_addr().to_ip() {
        Some(address) => format!("http://{address}/"),
        None => return Err("the server has no IP address".into()),
    };

    let (events, changes) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(events)
        .map_err(|e| format!("cannot watch for changes: {e}"))?;
    let watched = Watched::new(watch);
    for (path, mode) in watched.roots() {
        watcher
            .watch(&path, mode)
            .map_err(|e| format!("cannot watch `{}`: {e}", path.display()))?;
    }
    let watcher_state = Arc::clone(&shared);
    let site = out.to_path_buf();
    std::thread::spawn(move || {
        // Keeps the watcher alive as long as the thread runs.
        let _watcher = watcher;
        // Reading a file is an event too (a build reads every one): only
        // changes count.
        let is_change = |event: &notify::Result<notify::Event>| {
            event.as_ref().is_ok_and(|e| {
                !matches!(e.kind, EventKind::Access(_)) && e.paths.iter().any(|p| watched.has(p))
            })
        };
        while let Ok(event) = changes.recv() {
            if !is_change(&event) {
                continue;
            }
            // An editor's save is often several events; wait for quiet so
            // that one save means one build.
            while changes.recv_timeout(SETTLE).is_ok() {}
            rebuild(&watcher_state, &*build, &site);
        }
    });

    ready(&address);
    let out = out.to_path_buf();
    let port = server.server_addr().to_ip().map_or(port, |address| address.port());
    for request in server.incoming_requests() {
        let shared = Arc::clone(&shared);
        let out = out.clone();
        std::thread::spawn(move || respond(request, &out, &shared, port));
    }
    Ok(())
}

/// What the preview rebuilds for: folders, with everything below them, and
/// single files. A file is watched through its folder, because editors that
/// save safely write a new file and rename it over the old one, and a watch
/// on the old file would end with it.
struct Watched {
    folders: Vec<PathBuf>,
    files: Vec<PathBuf>,
}

impl Watched {
    fn new(paths: &[PathBuf]) -> Self {
        // Absolute, so that the paths of events compare with them.
        let absolute = |p: &PathBuf| std::path::absolute(p).unwrap_or_else(|_| p.clone());
        let (folders, files) = paths.iter().map(absolute).partition(|p| p.is_dir());
        Watched { folders, files }
    }

    /// What to hand the watcher: each folder, recursively, and the folder
    /// of each file, alone.
    fn roots(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut roots: Vec<(PathBuf, RecursiveMode)> =
            self.folders.iter().map(|f| (f.clone(), RecursiveMode::Recursive)).collect();
        for file in &self.files {
            if let Some(parent) = file.parent().filter(|p| p.is_dir()) {
                roots.push((parent.to_path_buf(), RecursiveMode::NonRecursive));
            }
        }
        roots
    }

    /// Whether a change at `path` concerns the site (the output folder, in
    /// the same root folder as `commons.yaml`, does not).
    fn has(&self, path: &Path) -> bool {
        self.folders.iter().any(|f| path.starts_with(f)) || self.files.iter().any(|f| path == f)
    }
}

/// Runs one build into `out` and tells every waiting page.
///
/// TODO(#7): every rebuild is a whole build, about 2 s at 10,000 entries
/// (`bench/preview.py 10 10000`); the goal is 100 ms after one entry is
/// edited, which needs the stages to reuse the previous build's results
/// (files whose size and time are unchanged, pages whose inputs are) and
/// to write only the files that changed.
fn rebuild(shared: &Shared, build: &Build, out: &Path) {
    let outcome = {
        let _swapping = shared.site.write().unwrap_or_else(|e| e.into_inner());
        build()
    };
    let mut status = shared.status.lock().unwrap_or_else(|e| e.into_inner());
    status.generation += 1;
    match outcome {
        Ok(summary) => {
            eprintln!("{summary}");
            status.served = status.generation;
            status.problems.clear();
        }
        Err(mut problems) => {
            problems.push_str(if out.join(crate::write::MARKER).exists() {
                "; the last good site is still being served"
            } else {
                "; no site has been built yet"
            });
            eprintln!("{problems}");
            status.problems = problems;
        }
    }
    shared.changed.notify_all();
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|()| {
        Header::from_bytes(&b"X-Invalid"[..], &b"1"[..]).expect("a fixed header is valid")
    })
}

fn respond(request: Request, out: &Path, shared: &Shared, port: u16) {
    // A web page elsewhere could point a name of its own at 127.0.0.1 and
    // read the preview through it (DNS rebinding); such requests carry
    // that name, not this machine's.
    let host = request.headers().iter().find(|h| h.field.equiv("Host"));
    if !host.is_none_or(|h| is_local_host(h.value.as_str(), port)) {
        let refused =
            Response::from_string("this preview answers only to 127.0.0.1 and localhost\n")
                .with_status_code(403);
        let _ = request.respond(refused);
        return;
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let served = shared.status.lock().map(|s| s.served).unwrap_or_default();
    let response = match path.strip_prefix(OWN) {
        Some("live.js") => script(LIVE_SCRIPT.to_string()),
        Some("wait.js") => script(wait(shared, &url)),
        Some(_) => not_found(out, shared, served),
        None => file(out, path, shared, served),
    };
    let _ = request.respond(response);
}

/// Whether a request's `Host` names this machine: `127.0.0.1`, `localhost`
/// or `[::1]`, with this server's port or none.
fn is_local_host(host: &str, port: u16) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, given)) if !name.ends_with(':') && !given.ends_with(']') => {
            if given != port.to_string() {
                return false;
            }
            name
        }
        _ => host,
    };
    matches!(name.to_ascii_lowercase().as_str(), "127.0.0.1" | "localhost" | "[::1]")
}

fn script(text: String) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(text.into_bytes())
        .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"))
}

/// Answers a page's long poll: at once if a build finished since the one
/// the page knows, else when the next one does (or after [`LONG_POLL`]).
fn wait(shared: &Shared, url: &str) -> String {
    let known: Option<u64> = url
        .split_once("since=")
        .and_then(|(_, rest)| rest.split('&').next())
        .and_then(|n| n.parse().ok());
    let status = shared.status.lock().unwrap_or_else(|e| e.into_inner());
    let (status, _) = shared
        .changed
        .wait_timeout_while(status, LONG_POLL, |s| Some(s.generation) == known)
        .unwrap_or_else(|e| e.into_inner());
    let answer = serde_json::json!({
        "generation": status.generation,
        "problems": status.problems,
    });
    format!("window.__commonsLive && window.__commonsLive({answer});\n")
}

/// The file at `path` under `out`, or the site's 404 page. Paths with `..`
/// or other tricks never leave `out`.
fn file(
    out: &Path,
    path: &str,
    shared: &Shared,
    generation: u64,
) -> Response<std::io::Cursor<Vec<u8>>> {
    let decoded = percent_decode(path);
    let mut target = out.to_path_buf();
    for part in Path::new(decoded.trim_start_matches('/')).components() {
        match part {
            // Hidden files (the build's marker) are not part of the site.
            Component::Normal(name) if name.to_string_lossy().starts_with('.') => {
                return not_found(out, shared, generation);
            }
            Component::Normal(name) => target.push(name),
            Component::CurDir => {}
            _ => return not_found(out, shared, generation),
        }
    }
    let _reading = shared.site.read().unwrap_or_else(|e| e.into_inner());
    if target.is_dir() {
        target.push("index.html");
    } else if decoded.ends_with('/') {
        // `page.html/` would load with its relative links one level off.
        drop(_reading);
        return not_found(out, shared, generation);
    }
    match std::fs::read(&target) {
        Ok(bytes) => page(&target, bytes, 200, generation),
        Err(_) => {
            drop(_reading);
            not_found(out, shared, generation)
        }
    }
}

fn not_found(out: &Path, shared: &Shared, generation: u64) -> Response<std::io::Cursor<Vec<u8>>> {
    let _reading = shared.site.read().unwrap_or_else(|e| e.into_inner());
    let page_404 = out.join("404.html");
    // Before the first good build there is no site, not even a 404 page:
    // a bare page still carries the script that shows the problems and
    // reloads once a build succeeds.
    let bytes = std::fs::read(&page_404).unwrap_or_else(|_| NO_SITE_YET.as_bytes().to_vec());
    page(&page_404, bytes, 404, generation)
}

/// A file's response. HTML pages get the live-reload script, told which
/// build they come from, so a build that finishes before the script first
/// asks still reloads them.
fn page(
    path: &Path,
    mut bytes: Vec<u8>,
    status: u16,
    generation: u64,
) -> Response<std::io::Cursor<Vec<u8>>> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
    let kind = match extension {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    if extension == "html" {
        let text = String::from_utf8_lossy(&bytes);
        let tag = format!("<script src=\"{OWN}live.js?since={generation}\" defer></script>\n");
        let with_script = match text.rfind("</body>") {
            Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]),
            None => format!("{text}{tag}"),
        };
        bytes = with_script.into_bytes();
    }
    Response::from_data(bytes)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
}

/// `%xx` escapes decoded; bytes that do not form UTF-8 are replaced.
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied(), bytes.get(i + 2).copied()) {
            (b'%', Some(a), Some(b)) if hex(a).is_some() && hex(b).is_some() => {
                decoded.push((hex(a).unwrap_or(0) * 16 + hex(b).unwrap_or(0)) as u8);
                i += 3;
            }
            (byte, _, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// What is served where the site has no page, before any build succeeded.
const NO_SITE_YET: &str = "<!doctype html>\n<html lang=\"en\">\n<meta charset=\"utf-8\">\n\
    <title>No site yet</title>\n<body>\n<h1>No site yet</h1>\n<p>No build has succeeded \
    yet. The problems are listed below and in the terminal; this page reloads when a build \
    succeeds.</p>\n</body>\n</html>\n";

/// The script every served page loads: it waits for the next build, then
/// reloads, or shows the build's problems over the page.
const LIVE_SCRIPT: &str = include_str!("live.js");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machines_names_are_answered() {
        for host in ["127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000", "[::1]"] {
            assert!(is_local_host(host, 8000), "{host}");
        }
        for host in ["evil.example:8000", "127.0.0.1:8001", "127.0.0.1.evil.example", "", ":8000"] {
            assert!(!is_local_host(host, 8000), "{host}");
        }
    }

    #[test]
    fn percent_escapes_decode_and_bad_ones_stay_as_written() {
        assert_eq!(percent_decode("/entry/a%20b.html"), "/entry/a b.html");
        assert_eq!(percent_decode("/%2e%2e/secret"), "/../secret");
        assert_eq!(percent_decode("/100%"), "/100%");
        assert_eq!(percent_decode("/%zz"), "/%zz");
    }
}
