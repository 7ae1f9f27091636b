//! Building the valid and invalid fixtures and the real catalogue.

use std::fs;
use std::path::{Path, PathBuf};

use super::*;

#[test]
fn valid_fixture_builds_every_page() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    for page in [
        "index.html",
        "404.html",
        "entries.html",
        "categories.html",
        "incidents.html",
        "orgs.html",
        "entry/sample-sandbox.html",
        "entry/phish-feed.html",
        "category/malware-analysis.html",
        "category/phishing.html",
        "incident/malicious-code.html",
        "incident/fraud.html",
        "org/example-cert.html",
        "static/style.css",
    ] {
        assert!(site.join(page).is_file(), "missing {page}");
    }
}

#[test]
fn valid_fixture_pages_match_snapshots() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    for page in ["index.html", "entry/sample-sandbox.html", "category/phishing.html", "404.html"] {
        insta::assert_snapshot!(page.replace('/', "__"), read(&site, page));
    }
}

#[test]
fn unsafe_link_and_script_in_a_body_are_neutralised() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    let page = read(&site, "entry/sample-sandbox.html");
    assert!(page.contains("Unsafe link"), "the link text stays");
    assert!(!page.to_lowercase().contains("javascript:"), "{page}");
    assert!(!page.contains("<script"), "{page}");
    assert!(page.contains("href=\"https://example.org/docs\""));
}

#[test]
fn front_matter_text_is_escaped_in_every_context() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    let page = read(&site, "entry/sample-sandbox.html");
    assert!(page.contains("<p class=\"cc-lead\">Runs samples in a throw-away machine &amp; reports: files, network, &lt;processes&gt;.</p>"), "{page}");
    assert!(page.contains(
        r#"<meta name="description" content="Runs samples in a throw-away machine &amp; reports: files, network, &lt;processes&gt;.">"#
    ));
}

#[test]
fn every_page_forbids_inline_script_and_third_party_requests() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    for file in files(&site).iter().filter(|f| f.extension().is_some_and(|e| e == "html")) {
        let page = read(&site, file.to_str().unwrap());
        assert!(
            page.contains(
                "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'"
            ),
            "{} has no strict Content-Security-Policy",
            file.display()
        );
        for tag in ["<script", "<img", "<iframe", "<link rel=\"stylesheet\" href=\"http"] {
            assert!(!page.contains(tag), "{} contains {tag}", file.display());
        }
    }
}

#[test]
fn invalid_fixture_reports_every_problem_with_exact_messages() {
    let output = commons(&["check", &fixture("invalid")], &[]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    for expected in [
        "tests/fixtures/invalid/entries/tools/unknown-key.md:5:1: unknown field `colour`",
        "tests/fixtures/invalid/entries/tools/bad-category.md:10:14: unknown category `malware-analysys`\n  hint: did you mean `malware-analysis`?",
        "tests/fixtures/invalid/entries/tools/bad-licence.md:7:10: invalid licence `GPL-4.0`: unknown term",
        "tests/fixtures/invalid/entries/tools/bad-licence.md:5:11: `homepage` must be an http or https URL, not `javascript:`",
        "tests/fixtures/invalid/entries/data/colon-in-name.md:2:13: mapping values are not allowed in this context\n  hint: a value that contains `: ` must be quoted",
        "error: 12 problems in 5 files; nothing was written",
    ] {
        assert!(text.contains(expected), "missing:\n{expected}\n\nin:\n{text}");
    }
    insta::assert_snapshot!("invalid_fixture_check", text);
}

#[test]
fn build_with_problems_exits_1_and_leaves_the_previous_site_byte_for_byte() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    let before: Vec<(PathBuf, Vec<u8>)> =
        files(&site).into_iter().map(|f| (f.clone(), fs::read(site.join(&f)).unwrap())).collect();
    let output = commons(&["build", &fixture("invalid"), "--out", site.to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let after: Vec<(PathBuf, Vec<u8>)> =
        files(&site).into_iter().map(|f| (f.clone(), fs::read(site.join(&f)).unwrap())).collect();
    assert_eq!(before, after);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(commons(&["build", "--no-such-flag"], &[]).status.code(), Some(2));
    assert_eq!(commons(&["frobnicate"], &[]).status.code(), Some(2));
    let missing = commons(&["check", "tests/fixtures/no-such-root"], &[]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("there is no catalogue folder"), "{}", stderr(&missing));
}

#[test]
fn output_is_byte_identical_across_runs_thread_counts_and_time_zones() {
    let root = fixture("valid");
    let runs = [
        vec![("RAYON_NUM_THREADS", "1"), ("TZ", "Pacific/Kiritimati")],
        vec![("RAYON_NUM_THREADS", "2"), ("TZ", "Etc/GMT+12")],
        vec![("RAYON_NUM_THREADS", "2"), ("TZ", "UTC")],
    ];
    let sites: Vec<Vec<(PathBuf, Vec<u8>)>> = runs
        .iter()
        .map(|envs| {
            let (_dir, site) = build(&root, envs);
            files(&site)
                .into_iter()
                .map(|f| (f.clone(), fs::read(site.join(&f)).unwrap()))
                .collect()
        })
        .collect();
    assert!(sites[0].len() > 10);
    assert_eq!(sites[0], sites[1]);
    assert_eq!(sites[1], sites[2]);
}

#[test]
fn real_catalogue_checks_without_problems() {
    let output = commons(&["check"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn real_catalogue_builds_a_page_for_everything_and_nothing_unsafe() {
    let (_dir, site) = build(".", &[]);
    let folder_count =
        |folder: &str| fs::read_dir(Path::new("entries").join(folder)).unwrap().count();
    let count = |folder: &str| fs::read_dir(site.join(folder)).unwrap().count();
    assert_eq!(count("entry"), folder_count("tools") + folder_count("data"));
    assert_eq!(count("org"), folder_count("orgs"));
    assert!(count("category") >= 29, "one page per category");
    assert_eq!(count("incident"), 10, "one page per RSIT class");
    assert!(count("entry") >= 100, "at least 100 entries");
    for file in files(&site) {
        let text = String::from_utf8_lossy(&fs::read(site.join(&file)).unwrap()).to_lowercase();
        assert!(!text.contains("<script"), "{} has a script element", file.display());
        assert!(!text.contains("javascript:"), "{} has a javascript: URL", file.display());
    }
}

/// The scenario a reviewer runs: three broken files in a copy of the real
/// catalogue are all reported, with file, line and column, in one run.
#[test]
fn check_on_a_copy_of_entries_with_three_broken_files_reports_all_three() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("entries").as_path(),
        &dir.path().join("entries"),
    );
    let edit = |relative: &str, from: &str, to: &str| {
        let path = dir.path().join("entries").join(relative);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{relative} has no `{from}`");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit("tools/misp.md", "kind: tool", "kind: tool\nfavourite: yes");
    edit("tools/intelmq.md", "categories: [", "categories: [no-such-category, ");
    edit("tools/zeek.md", "licence: BSD-3-Clause", "licence: BSD-3-Claws");

    let output = commons(&["check", dir.path().to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    let located = |file: &str, message: &str| {
        text.lines().any(|line| {
            let Some(rest) = line.split(file).nth(1) else { return false };
            let mut parts = rest.splitn(4, ':');
            let (_, line_no, column, what) =
                (parts.next(), parts.next(), parts.next(), parts.next().unwrap_or(""));
            line_no.is_some_and(|n| n.parse::<usize>().is_ok())
                && column.is_some_and(|c| c.parse::<usize>().is_ok())
                && what.contains(message)
        })
    };
    assert!(located("entries/tools/misp.md", "unknown field `favourite`"), "{text}");
    assert!(located("entries/tools/intelmq.md", "unknown category `no-such-category`"), "{text}");
    assert!(located("entries/tools/zeek.md", "invalid licence `BSD-3-Claws`"), "{text}");
    assert!(text.contains("error: 3 problems in 3 files"), "{text}");
}
