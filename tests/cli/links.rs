//! Every link between pages of the built site leads somewhere: the file it
//! names exists, and the anchor it names is an `id` on that page.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::{attributes, build, files, read};

/// The address the real catalogue is published at (`commons.yaml`).
const BASE_URL: &str = "https://csirt-commons.example.org/";

#[test]
fn every_internal_link_and_anchor_of_the_real_site_resolves() {
    let (_dir, site) = build(".", &[]);
    let walk = walk(&site, BASE_URL);
    let broken = &walk.broken;
    assert!(broken.is_empty(), "{} broken links:\n{}", broken.len(), broken.join("\n"));
    // The walk saw the site's links (about 9,000 and 750 anchors when
    // this was written), not a page it failed to parse.
    assert!(walk.links > 5_000, "only {} links checked", walk.links);
    assert!(walk.anchors > 300, "only {} anchors checked", walk.anchors);
}

#[test]
fn every_internal_link_of_a_synthetic_site_with_many_pages_resolves() {
    let (_dir, root, site) = crate::synthetic_site(250, 120);
    let base_url = fs::read_to_string(root.join("commons.yaml"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("base_url:").map(|v| v.trim().trim_matches('"').to_string()))
        .expect("the synthetic catalogue has a base_url");
    let broken = walk(&site, &base_url).broken;
    assert!(broken.is_empty(), "{} broken links:\n{}", broken.len(), broken.join("\n"));
}

#[test]
fn the_link_walk_finds_a_missing_page_and_a_missing_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path();
    fs::create_dir_all(site.join("entry")).unwrap();
    fs::write(
        site.join("index.html"),
        r#"<h1 id="top">Home</h1><a href="entry/a.html#facts">a</a>"#,
    )
    .unwrap();
    fs::write(
        site.join("entry/a.html"),
        r##"<p id="summary"><a href="../index.html#top">home</a> <a href="b.html">b</a>
        <a href="#summary">here</a> <a href="https://example.org/x.html">out</a>
        <a href="https://site.example/entry/gone.html">canonical</a></p>"##,
    )
    .unwrap();
    let broken = walk(site, "https://site.example/").broken;
    assert_eq!(
        broken,
        [
            "entry/a.html: `b.html` names a file that does not exist",
            "entry/a.html: `https://site.example/entry/gone.html` names a file that does not exist",
            "index.html: `entry/a.html#facts`: no id `facts` on that page",
        ]
    );
}

/// What a walk over the links of a site found.
struct Walk {
    /// How many links into the site were checked.
    links: usize,
    /// How many of them named an anchor.
    anchors: usize,
    /// Each link that does not resolve, as `page: link: why`, sorted.
    broken: Vec<String>,
}

/// Checks each link of each HTML page under `site`. Links to other hosts
/// are not followed; addresses under `base_url` (canonical and Open Graph
/// addresses) and paths from the site root (the 404 page) are checked as
/// files of the site.
fn walk(site: &Path, base_url: &str) -> Walk {
    let pages: Vec<PathBuf> =
        files(site).into_iter().filter(|f| f.extension().is_some_and(|e| e == "html")).collect();
    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut links: Vec<(PathBuf, String)> = Vec::new();
    for page in &pages {
        let html = read(site, page.to_str().unwrap());
        let mut own = BTreeSet::new();
        for (name, value) in attributes(&html) {
            match name.as_str() {
                "id" => {
                    own.insert(value);
                }
                "href" | "src" | "action" => links.push((page.clone(), value)),
                _ => {}
            }
        }
        ids.insert(page.clone(), own);
    }
    let base_path = base_url
        .split_once("://")
        .map_or("/", |(_, rest)| rest.find('/').map_or("/", |slash| &rest[slash..]));

    let mut broken = Vec::new();
    let (mut checked, mut anchors) = (0, 0);
    for (page, link) in links {
        let (address, anchor) = link.split_once('#').unwrap_or((&link, ""));
        let address = address.split('?').next().unwrap_or_default();
        let target = if let Some(inside) = address.strip_prefix(base_url) {
            Some(PathBuf::from(inside))
        } else if address.contains(':') || address.starts_with("//") {
            None // another host, or mailto:
        } else if let Some(inside) = address.strip_prefix(base_path) {
            Some(PathBuf::from(inside))
        } else if address.starts_with('/') {
            broken.push(format!("{}: `{link}` is outside the site's path", page.display()));
            continue;
        } else if address.is_empty() {
            Some(page.clone())
        } else {
            Some(page.parent().unwrap_or(Path::new("")).join(percent_decoded(address)))
        };
        let Some(target) = target else { continue };
        checked += 1;
        anchors += usize::from(!anchor.is_empty());
        let Some(mut target) = normalised(&target) else {
            broken.push(format!("{}: `{link}` leads out of the site", page.display()));
            continue;
        };
        if target.as_os_str().is_empty() || site.join(&target).is_dir() {
            target.push("index.html");
        }
        if !site.join(&target).is_file() {
            broken.push(format!("{}: `{link}` names a file that does not exist", page.display()));
            continue;
        }
        if !anchor.is_empty() && !ids.get(&target).is_some_and(|own| own.contains(anchor)) {
            broken.push(format!("{}: `{link}`: no id `{anchor}` on that page", page.display()));
        }
    }
    broken.sort();
    broken.dedup();
    Walk { links: checked, anchors, broken }
}

/// `path` with `.` and `..` resolved, or `None` when it climbs above its
/// start.
fn normalised(path: &Path) -> Option<PathBuf> {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

/// `%XX` escapes decoded, for looking the file up.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
