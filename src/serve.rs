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

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};
use tiny_http::{Header, Request, Response, Server};

use crate::diagnostics::Diagnostics;
use crate::render::pages::Page;

/// How long a `wait.js` request is held before it is answered unchanged.
const LONG_POLL: Duration = Duration::from_secs(25);

/// How long the watcher waits for a burst of events to end.
const SETTLE: Duration = Duration::from_millis(80);

/// The prefix of the preview's own addresses; no page of a site uses it.
const OWN: &str = "/__commons/";

/// What the open pages are told: which build this is, its problems, and
/// which files changed when.
#[derive(Debug, Clone, Default)]
struct Status {
    /// Counts builds, whole or quick, good or failed, from 1.
    generation: u64,
    /// The last good build: the one whose site is being served (0 before
    /// any). Pages are told this one, so that a page opened after a failed
    /// build learns of it at once and shows its problems.
    served: u64,
    /// The problems of the last build, empty when it succeeded.
    problems: String,
    /// The build that last changed `problems`.
    problems_at: u64,
    /// The build after which every open page reloads: the first good one.
    everything_at: u64,
    /// Each file of the site that changed, with the build that last
    /// changed (or removed) it: an open page reloads only when its own file
    /// changed.
    changed: HashMap<String, u64>,
    /// Whether a whole build is coming after a quick one.
    pending: bool,
}

impl Status {
    fn set_problems(&mut self, problems: String) {
        if problems != self.problems {
            self.problems = problems;
            self.problems_at = self.generation;
        }
    }
}

/// State shared by the watcher and the request threads.
struct Shared {
    status: Mutex<Status>,
    changed: Condvar,
    /// Held for reading while a file is served and for writing while a
    /// build swaps the output folder, so no request sees it half-swapped.
    site: RwLock<()>,
}

/// What the preview builds with.
pub trait Builder: Send + 'static {
    /// Builds the whole site into the output folder, showing each file to
    /// `see` as it is made; a build that fails leaves the folder untouched.
    /// Returns a one-line summary, or the problems as text.
    fn build(&mut self, see: &(dyn Fn(&Page) + Sync)) -> Result<String, String>;

    /// What to show at once for a change to the file at `path` alone,
    /// before the whole build that follows: a page to put in the site, or
    /// problems as text. `None` when there is nothing quick to show.
    fn quick(&mut self, path: &Path) -> Option<Result<Page, String>>;
}

/// The builder `commons serve` uses: whole builds of `root` into `out`,
/// and quick looks at single edited entries against the last good build.
pub struct SiteBuilder {
    root: PathBuf,
    out: PathBuf,
    /// The catalogue of the last whole build, when it succeeded.
    last_good: Option<crate::validate::Catalogue>,
}

impl SiteBuilder {
    /// A builder of `root` into `out`.
    pub fn new(root: &Path, out: &Path) -> Self {
        SiteBuilder { root: root.to_path_buf(), out: out.to_path_buf(), last_good: None }
    }
}

impl Builder for SiteBuilder {
    fn build(&mut self, see: &(dyn Fn(&Page) + Sync)) -> Result<String, String> {
        let started = std::time::Instant::now();
        self.last_good = None;
        let today = crate::build_date()?;
        let mut timings = crate::timings::Timings::default();
        match crate::build_site_seeing(&self.root, &self.out, today, &mut timings, see) {
            Ok((catalogue, files)) => {
                let summary = format!(
                    "built {} entries into {files} files ({:.2} s)",
                    catalogue.entries.len(),
                    started.elapsed().as_secs_f64()
                );
                self.last_good = Some(catalogue);
                Ok(summary)
            }
            Err(crate::BuildError::Problems(problems)) => Err(problems_text(problems)),
            Err(crate::BuildError::Write(error)) => {
                Err(format!("error: cannot write `{}`: {error}", self.out.display()))
            }
        }
    }

    fn quick(&mut self, path: &Path) -> Option<Result<Page, String>> {
        let last = self.last_good.as_ref()?;
        let today = crate::build_date().ok()?;
        match crate::quick::entry_edit(&self.root, last, path, today)? {
            crate::quick::Quick::Page(page) => Some(Ok(page)),
            crate::quick::Quick::Problems(problems) => Some(Err(problems_text(problems))),
        }
    }
}

/// The problems of a failed build as the text the page shows.
pub fn problems_text(problems: Diagnostics) -> String {
    let count = problems.len();
    let mut text: Vec<String> = problems.into_sorted().iter().map(|p| p.to_string()).collect();
    text.push(format!("{count} problem{}", if count == 1 { "" } else { "s" }));
    text.join("\n")
}

/// Serves `out` on 127.0.0.1:`port` (0 picks a free port) and rebuilds
/// with `builder` when anything under `watch` changes. Calls `ready` with
/// the address once the first build is done and the server listens, then
/// runs until the process is stopped.
pub fn run(
    watch: &[PathBuf],
    out: &Path,
    port: u16,
    builder: Box<dyn Builder>,
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
    let mut rebuilder = Rebuilder {
        builder,
        out: out.to_path_buf(),
        shared: Arc::clone(&shared),
        hashes: HashMap::new(),
    };
    rebuilder.whole();
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
    std::thread::spawn(move || {
        // Keeps the watcher alive as long as the thread runs.
        let _watcher = watcher;
        while let Ok(event) = changes.recv() {
            let mut touched = Touched::default();
            if !touched.add(&event, &watched) {
                continue;
            }
            // An editor's save is often several events; wait for quiet so
            // that one save means one build.
            while let Ok(event) = changes.recv_timeout(SETTLE) {
                touched.add(&event, &watched);
            }
            if let Some(path) = touched.one_file() {
                rebuilder.quick(&path);
            }
            rebuilder.whole();
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

/// The paths a burst of events touched.
#[derive(Default)]
struct Touched {
    paths: BTreeSet<PathBuf>,
    /// Some event named no path, or asked for a rescan: anything may have
    /// changed.
    unknown: bool,
}

impl Touched {
    /// Adds an event's paths; returns whether it was a change to something
    /// the site is built from.
    fn add(&mut self, event: &notify::Result<notify::Event>, watched: &Watched) -> bool {
        let Ok(event) = event else {
            self.unknown = true;
            return true;
        };
        // Reading a file is an event too (a build reads every one): only
        // changes count.
        if matches!(event.kind, EventKind::Access(_)) {
            return false;
        }
        let ours: Vec<&PathBuf> = event.paths.iter().filter(|p| watched.has(p)).collect();
        if ours.is_empty() && !event.need_rescan() {
            return false;
        }
        self.unknown |= event.need_rescan();
        self.paths.extend(ours.into_iter().cloned());
        true
    }

    /// The one file the build reads that the burst touched, if it was one.
    fn one_file(self) -> Option<PathBuf> {
        if self.unknown {
            return None;
        }
        match crate::quick::read_by_build(self.paths).as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }
}

/// Builds the site for the preview, and tells open pages what changed.
struct Rebuilder {
    builder: Box<dyn Builder>,
    out: PathBuf,
    shared: Arc<Shared>,
    /// A hash of each file of the site being served, by path.
    hashes: HashMap<String, u64>,
}

impl Rebuilder {
    /// Runs one whole build into `out` and tells every page that changed.
    fn whole(&mut self) {
        let made = Mutex::new(HashMap::new());
        let see = |page: &Page| {
            let hash = hash(&page.bytes);
            made.lock().unwrap_or_else(|e| e.into_inner()).insert(page.path.clone(), hash);
        };
        let outcome = {
            let _swapping = self.shared.site.write().unwrap_or_else(|e| e.into_inner());
            self.builder.build(&see)
        };
        let made = made.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut status = self.shared.status.lock().unwrap_or_else(|e| e.into_inner());
        status.generation += 1;
        status.pending = false;
        let generation = status.generation;
        match outcome {
            Ok(summary) => {
                eprintln!("{summary}");
                if self.hashes.is_empty() {
                    status.everything_at = generation;
                }
                let old = std::mem::take(&mut self.hashes);
                for (path, hash) in &made {
                    if old.get(path) != Some(hash) {
                        status.changed.insert(path.clone(), generation);
                    }
                }
                for path in old.keys().filter(|path| !made.contains_key(*path)) {
                    status.changed.insert(path.clone(), generation);
                }
                self.hashes = made;
                status.served = generation;
                status.set_problems(String::new());
            }
            Err(problems) => {
                let problems = self.last_good_note(problems);
                eprintln!("{problems}");
                status.set_problems(problems);
            }
        }
        self.shared.changed.notify_all();
    }

    /// Shows a change to `path` alone at once, when the builder has
    /// something quick for it; the whole build follows.
    fn quick(&mut self, path: &Path) {
        let started = std::time::Instant::now();
        let answer = match self.builder.quick(path) {
            None => return,
            Some(Ok(page)) => {
                let written = {
                    let _writing = self.shared.site.write().unwrap_or_else(|e| e.into_inner());
                    crate::write::replace_one(&self.out, &page)
                };
                match written {
                    Ok(()) => Ok(page),
                    // The whole build that follows shows the edit.
                    Err(_) => return,
                }
            }
            Some(Err(problems)) => Err(problems),
        };
        let mut status = self.shared.status.lock().unwrap_or_else(|e| e.into_inner());
        status.generation += 1;
        status.pending = true;
        let generation = status.generation;
        match answer {
            Ok(page) => {
                let hash = hash(&page.bytes);
                if self.hashes.insert(page.path.clone(), hash) != Some(hash) {
                    status.changed.insert(page.path.clone(), generation);
                }
                status.served = generation;
                eprintln!(
                    "showing the edit to `{}` ({} ms); rebuilding the rest",
                    page.path,
                    started.elapsed().as_millis()
                );
            }
            Err(problems) => {
                let problems = self.last_good_note(problems);
                eprintln!("{problems}");
                status.set_problems(problems);
            }
        }
        self.shared.changed.notify_all();
    }

    /// The problems, saying what is served meanwhile.
    fn last_good_note(&self, mut problems: String) -> String {
        problems.push_str(if self.out.join(crate::write::MARKER).exists() {
            "; the last good site is still being served"
        } else {
            "; no site has been built yet"
        });
        problems
    }
}

/// A hash of a file's bytes, to tell which files a build changed.
fn hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
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
        Some(_) => not_found(out, shared, served, path.trim_start_matches('/')),
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

/// Answers a page's long poll, `wait.js?since=BUILD&page=PATH`: at once if
/// something the page shows changed since the build it knows (its file, or
/// the problems), else when it does, or after [`LONG_POLL`]. Without
/// `page`, any build answers. The answer says whether to reload, the
/// problems to show, and whether a whole build is still to come.
fn wait(shared: &Shared, url: &str) -> String {
    let query = url.split_once('?').map_or("", |(_, query)| query);
    let param =
        |name: &str| query.split('&').find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='));
    let known: Option<u64> = param("since").and_then(|n| n.parse().ok());
    let page = param("page").map(percent_decode);
    let status = shared.status.lock().unwrap_or_else(|e| e.into_inner());
    let (status, _) = shared
        .changed
        .wait_timeout_while(status, LONG_POLL, |s| news(s, known, page.as_deref()).is_none())
        .unwrap_or_else(|e| e.into_inner());
    let answer = serde_json::json!({
        "generation": status.generation,
        "problems": status.problems,
        "reload": news(&status, known, page.as_deref()).unwrap_or(false),
        "pending": status.pending,
    });
    format!("window.__commonsLive && window.__commonsLive({answer});\n")
}

/// What a page that knows build `known` and shows `page` has to learn:
/// `None` when nothing, else whether to reload (its file changed, or this
/// is the first good build) rather than show the problems. Without `page`,
/// every build is news, and a good one means reloading.
fn news(status: &Status, known: Option<u64>, page: Option<&str>) -> Option<bool> {
    let Some(known) = known else { return Some(false) };
    let reload = status.everything_at > known
        || match page {
            Some(page) => status.changed.get(page).is_some_and(|at| *at > known),
            None => status.served > known,
        };
    let told =
        reload || status.problems_at > known || (page.is_none() && status.generation > known);
    told.then_some(reload)
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
    let wanted = decoded.trim_start_matches('/');
    let mut target = out.to_path_buf();
    let mut parts = Vec::new();
    for part in Path::new(wanted).components() {
        match part {
            // Hidden files (the build's marker) are not part of the site.
            Component::Normal(name) if name.to_string_lossy().starts_with('.') => {
                return not_found(out, shared, generation, wanted);
            }
            Component::Normal(name) => {
                target.push(name);
                parts.push(name.to_string_lossy().into_owned());
            }
            Component::CurDir => {}
            _ => return not_found(out, shared, generation, wanted),
        }
    }
    let _reading = shared.site.read().unwrap_or_else(|e| e.into_inner());
    if target.is_dir() {
        target.push("index.html");
        parts.push("index.html".into());
    } else if decoded.ends_with('/') {
        // `page.html/` would load with its relative links one level off.
        drop(_reading);
        return not_found(out, shared, generation, wanted);
    }
    match std::fs::read(&target) {
        Ok(bytes) => page(&target, bytes, 200, (generation, &parts.join("/"))),
        Err(_) => {
            drop(_reading);
            not_found(out, shared, generation, wanted)
        }
    }
}

/// The site's 404 page, served for `wanted`: it reloads when a build makes
/// that file.
fn not_found(
    out: &Path,
    shared: &Shared,
    generation: u64,
    wanted: &str,
) -> Response<std::io::Cursor<Vec<u8>>> {
    let _reading = shared.site.read().unwrap_or_else(|e| e.into_inner());
    let page_404 = out.join("404.html");
    // Before the first good build there is no site, not even a 404 page:
    // a bare page still carries the script that shows the problems and
    // reloads once a build succeeds.
    let bytes = std::fs::read(&page_404).unwrap_or_else(|_| NO_SITE_YET.as_bytes().to_vec());
    page(&page_404, bytes, 404, (generation, wanted))
}

/// A file's response. HTML pages get the live-reload script, told which
/// build they come from and which file of the site they show (`shows`), so
/// that a build that finishes before the script first asks still reloads
/// them, and builds that leave the file alone do not.
fn page(
    path: &Path,
    mut bytes: Vec<u8>,
    status: u16,
    (generation, shows): (u64, &str),
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
        let tag = format!(
            "<script src=\"{OWN}live.js?since={generation}&amp;page={}\" defer></script>\n",
            percent_encode(shows)
        );
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

/// `text` with every byte but letters, digits and `/._-` as `%xx`: safe in a
/// URL's query and in an HTML attribute.
fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/._-".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
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

    /// Builds the sites it is given, one a build, as `(path, bytes)`.
    struct Sites(Vec<Vec<(&'static str, &'static str)>>);

    impl Builder for Sites {
        fn build(&mut self, see: &(dyn Fn(&Page) + Sync)) -> Result<String, String> {
            let site = self.0.remove(0);
            if site.is_empty() {
                return Err("1 problem".into());
            }
            for (path, bytes) in site {
                see(&Page { path: path.into(), bytes: bytes.into() });
            }
            Ok("built".into())
        }

        fn quick(&mut self, _: &Path) -> Option<Result<Page, String>> {
            None
        }
    }

    #[test]
    fn open_pages_are_told_to_reload_only_when_their_own_file_changed() {
        let out = tempfile::tempdir().unwrap();
        let sites = vec![
            vec![("index.html", "home"), ("entry/a.html", "a"), ("entry/b.html", "b")],
            vec![("index.html", "home"), ("entry/a.html", "a, edited"), ("entry/c.html", "c")],
            vec![],
        ];
        let shared = Arc::new(Shared {
            status: Mutex::new(Status::default()),
            changed: Condvar::new(),
            site: RwLock::new(()),
        });
        let mut rebuilder = Rebuilder {
            builder: Box::new(Sites(sites)),
            out: out.path().to_path_buf(),
            shared: Arc::clone(&shared),
            hashes: HashMap::new(),
        };
        let status = || shared.status.lock().unwrap().clone();
        rebuilder.whole();
        // The first good build reloads every page, even the "no site yet"
        // page of a file that is still missing.
        assert_eq!(news(&status(), Some(0), Some("entry/missing.html")), Some(true));

        rebuilder.whole();
        let s = status();
        assert_eq!(news(&s, Some(1), Some("index.html")), None, "unchanged");
        assert_eq!(news(&s, Some(1), Some("entry/a.html")), Some(true), "changed");
        assert_eq!(news(&s, Some(1), Some("entry/b.html")), Some(true), "removed");
        assert_eq!(news(&s, Some(1), Some("entry/c.html")), Some(true), "added");
        assert_eq!(news(&s, Some(2), Some("entry/a.html")), None, "already seen");
        assert_eq!(news(&s, Some(1), None), Some(true), "any build, without a page");

        // A failed build: every page shows the problems, none reloads.
        rebuilder.whole();
        let s = status();
        assert!(s.problems.starts_with("1 problem; "), "{}", s.problems);
        assert_eq!(news(&s, Some(2), Some("index.html")), Some(false));
        assert_eq!(s.served, 2, "the last good site is still served");
    }

    #[test]
    fn page_names_in_the_live_script_address_are_escaped_and_decode_back() {
        let name = "entry/a b\"<x>&y=1.html";
        let encoded = percent_encode(name);
        assert_eq!(encoded, "entry/a%20b%22%3Cx%3E%26y%3D1.html");
        assert_eq!(percent_decode(&encoded), name);
    }
}
