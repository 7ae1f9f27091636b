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
    for page in [
        "index.html",
        "entry/sample-sandbox.html",
        "entry/phish-feed.html",
        "category/phishing.html",
        "404.html",
        "evaluation/sample-sandbox/2026-11-01-example-cert.html",
        "evaluation/phish-feed/2026-06-01-second-team.html",
        "evaluations.html",
        "methodology.html",
        "incidents.html",
        "incident/malicious-code.html",
        "incident/malicious-code/phase/detection-analysis.html",
        "incident/malicious-code/type/c2-server.html",
        "incident-any.html",
        "org/second-team.html",
        "national-csirts.html",
    ] {
        insta::assert_snapshot!(page.replace('/', "__"), read(&site, page));
    }
}

#[test]
fn incident_matrix_counts_each_class_and_phase_and_links_to_their_entries() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    let matrix = read(&site, "incidents.html");
    // The numbers in the row of one class, in phase order.
    let row = |name: &str| -> Vec<String> {
        let start = matrix.find(&format!(">{name}</a>")).unwrap_or_else(|| panic!("{name}"));
        let row = &matrix[start..start + matrix[start..].find("</tr>").unwrap()];
        row.split("<td>")
            .skip(1)
            .map(|cell| {
                let text = cell.split("</td>").next().unwrap();
                text.rsplit_once("\">").map_or(text, |(_, n)| n.trim_end_matches("</a>")).into()
            })
            .collect()
    };
    // The fixture's two phases are preparation and detection;
    // sample-sandbox helps with malicious code in detection only, and
    // phish-feed with any class in both.
    assert_eq!(row("Malicious code"), ["0", "1"]);
    assert_eq!(row("Fraud"), ["0", "0"]);
    assert_eq!(row("Any incident class"), ["1", "1"]);
    assert!(matrix.contains(
        "<a href=\"incident/malicious-code/phase/detection-analysis.html\" aria-label=\"1 entry: Malicious code, Detection and analysis\">1</a>"
    ));

    let cell = read(&site, "incident/malicious-code/phase/detection-analysis.html");
    assert!(cell.contains("href=\"../../../entry/sample-sandbox.html\""), "{cell}");
    assert!(!cell.contains("entry/phish-feed.html\""), "general entries are linked, not listed");
    assert!(cell.contains(
        "one general-purpose entry, <a href=\"../../../incident-any/phase/detection-analysis.html\">"
    ));
    // An empty cell has no page, and nothing links to one.
    assert!(!site.join("incident/malicious-code/phase/preparation.html").exists());
    let class = read(&site, "incident/malicious-code.html");
    assert!(class.contains(
        "<h3 id=\"phase-preparation\">Preparation <span class=\"cc-count\">0<span class=\"cc-visually-hidden\"> entries</span></span></h3>\n<p class=\"cc-empty\">None yet.</p>"
    ));
    let general = read(&site, "incident-any/phase/preparation.html");
    assert!(general.contains("href=\"../../entry/phish-feed.html\""), "{general}");
    // The class page lists each phase's entries with their evaluation state.
    let detection = &class[class.find("id=\"phase-detection-analysis\"").unwrap()..];
    let detection = &detection[..detection.find("</section>").unwrap()];
    assert!(detection.contains("<a href=\"../entry/sample-sandbox.html\">Sample Sandbox</a>"));
    // Each non-empty phase's heading leads to its own listing.
    assert!(detection.contains(
        "<a href=\"../incident/malicious-code/phase/detection-analysis.html\">Detection and analysis</a>"
    ));
    assert!(detection.contains("2 evaluations</a>, newest 1 November 2026"), "{detection}");
}

#[test]
fn rsit_types_named_by_entries_get_pages_linked_from_the_matrix_class_and_entry() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    // sample-sandbox names the type c2-server; nothing names phishing,
    // and no note is about it.
    let page = "incident/malicious-code/type/c2-server.html";
    let kind = read(&site, page);
    assert!(kind.contains("<a href=\"../../../entry/sample-sandbox.html\">Sample Sandbox</a>"));
    assert!(
        site.join("incident/malicious-code/type/c2-server/phase/detection-analysis.html").exists()
    );
    assert!(!site.join("incident/fraud/type/phishing.html").exists());
    let matrix = read(&site, "incidents.html");
    assert!(matrix.contains(&format!("<a href=\"{page}\">C2 server</a>")), "{matrix}");
    assert!(matrix.contains("<small>Phishing</small>"), "a type without a page is not linked");
    let class = read(&site, "incident/malicious-code.html");
    assert!(class.contains(&format!("<a href=\"../{page}\">C2 server</a>")), "{class}");
    let entry = read(&site, "entry/sample-sandbox.html");
    assert!(
        entry.contains(&format!(
            "<dt>Incident types</dt><dd><a href=\"../{page}\">C2 server</a></dd>"
        )),
        "{entry}"
    );
}

#[test]
fn a_playbook_note_renders_on_its_page_with_links_to_the_entries_it_names() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    let kind = read(&site, "incident/malicious-code/type/c2-server.html");
    let note = &kind[kind.find("<section class=\"cc-playbook\"").expect("the note")..];
    let note = &note[..note.find("</section>").unwrap()];
    assert!(note.contains("<h3>Detection and analysis</h3>"), "{note}");
    assert!(note.contains("<a href=\"../../../entry/sample-sandbox.html\""), "{note}");
    assert!(note.contains("Last reviewed 1 November 2026"), "{note}");
    assert!(note.contains("<code>entries/playbooks/c2-server.md</code>"), "{note}");
    // The entries it names, with their evaluation state.
    let named = &note[note.find("<h3 id=\"named\">").expect("named entries")..];
    assert!(named.contains("<a href=\"../../../entry/sample-sandbox.html\">Sample Sandbox</a>"));
    assert!(named.contains("2 evaluations</a>, newest 1 November 2026"), "{named}");
    // Only on the page of its type, and named on the entries it links.
    assert!(!read(&site, "incident/malicious-code.html").contains("cc-playbook"));
    assert!(read(&site, "entry/sample-sandbox.html").contains(
        "<dt>Playbook notes</dt><dd><a href=\"../incident/malicious-code/type/c2-server.html#playbook\">C2 server</a></dd>"
    ));
    assert!(!read(&site, "entry/phish-feed.html").contains("Playbook notes"));
}

#[test]
fn an_organisation_page_shows_its_newest_evaluations_and_links_to_the_rest() {
    let (_dir, _root, site) = synthetic_site(250, 120);
    // The synthetic catalogue's evaluations are all by org-0.
    let org = read(&site, "org/org-0.html");
    let evaluated = &org[org.find("id=\"evaluated\"").expect("an Evaluated section")..];
    let evaluated = &evaluated[..evaluated.find("</section>").unwrap()];
    assert_eq!(evaluated.matches("<li>").count(), 20, "{evaluated}");
    assert!(evaluated.contains(
        "The 20 newest of 120: <a href=\"../evaluations-by-evaluator.html\">all evaluations by"
    ));
    assert!(!read(&site, "org/org-1.html").contains("id=\"evaluated\""), "no empty section");
}

#[test]
fn unsafe_link_and_script_in_a_body_are_neutralised() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    let page = without_own_script(&read(&site, "entry/sample-sandbox.html"));
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
        let full = read(&site, file.to_str().unwrap());
        let scripts = full.matches("<script").count();
        let own = full.lines().filter(|l| l.starts_with("<script src=\"")).count();
        assert!(
            (1..=2).contains(&scripts) && scripts == own,
            "{}: the theme's own scripts and no other",
            file.display()
        );
        let page = without_own_script(&full);
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
        "tests/fixtures/invalid/entries/tools/bad-incident-types.md:12:18: unknown incident type `c2-sever`\n  hint: did you mean `c2-server`?",
        "tests/fixtures/invalid/entries/tools/bad-incident-types.md:12:28: incident type `phishing` belongs to class `fraud`, which `incident_classes` does not list",
        "tests/fixtures/invalid/entries/tools/any-with-types.md:12:17: an entry for any incident class (`[any]`) cannot name incident types",
        "tests/fixtures/invalid/entries/playbooks/c2-servers.md: `c2-servers` is not an RSIT incident class or type\n  hint: did you mean `c2-server.md`?",
        "tests/fixtures/invalid/entries/playbooks/c2-servers.md:6:35: link to unknown entry `sample-sandbox`",
        "error: 19 problems in 8 files; nothing was written",
    ] {
        assert!(text.contains(expected), "missing:\n{expected}\n\nin:\n{text}");
    }
    insta::assert_snapshot!("invalid_fixture_check", text);
}

#[test]
fn build_with_problems_exits_1_and_leaves_the_previous_site_byte_for_byte() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    let before = contents(&site);
    let output = commons(&["build", &fixture("invalid"), "--out", site.to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let after = contents(&site);
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
            contents(&site)
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
    let pages = |folder: &str| {
        fs::read_dir(site.join(folder))
            .unwrap()
            .filter(|f| f.as_ref().unwrap().path().extension().is_some_and(|e| e == "html"))
            .count()
    };
    assert_eq!(pages("incident"), 10, "one page per RSIT class");
    assert!(!site.join("incident/phishing").exists(), "phishing is a type, not a class");
    assert_eq!(pages("incident/fraud/phase"), 4, "one page per class and phase");
    assert!(count("entry") >= 100, "at least 100 entries");
    for file in files(&site) {
        let text =
            without_own_script(&String::from_utf8_lossy(&fs::read(site.join(&file)).unwrap()))
                .to_lowercase();
        assert!(!text.contains("<script"), "{} has a script element", file.display());
        assert!(!text.contains("javascript:"), "{} has a javascript: URL", file.display());
    }
}

/// The scenario a reviewer runs: three broken files in a copy of the real
/// catalogue are all reported, with file, line and column, in one run.
#[test]
fn real_catalogue_has_playbook_notes_for_phishing_malware_ddos_and_defacement() {
    let (_dir, site) = build(".", &[]);
    for (page, entries) in [
        ("incident/fraud/type/phishing.html", ["phishtank", "urlscan-io", "lookyloo"]),
        ("incident/malicious-code.html", ["malwarebazaar", "capev2", "yara"]),
        ("incident/availability/type/ddos.html", ["nfdump", "cloudflare-radar", "peeringdb"]),
        (
            "incident/information-content-security/type/unauthorised-information-modification.html",
            ["zone-h", "wayback-machine", "urlscan-io"],
        ),
    ] {
        let text = fs::read_to_string(site.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        let start = text.find("<section class=\"cc-playbook\"").unwrap_or_else(|| panic!("{page}"));
        let note = &text[start..start + text[start..].find("</section>").unwrap()];
        let root = "../".repeat(page.matches('/').count());
        for slug in entries {
            let link = format!("<a href=\"{root}entry/{slug}.html\"");
            assert!(note.contains(&link), "{page} does not link {slug}");
        }
        // The notes walk through the four phases.
        for phase in ["Preparation", "Detection and analysis", "Post-incident activity"] {
            assert!(note.contains(&format!("<h3>{phase}</h3>")), "{page}: {phase}");
        }
        // Each phase's list starts with entries the note names.
        let detection = &text[text.find("id=\"phase-detection-analysis\"").unwrap()..];
        let first = detection.split("<li><a href=\"").nth(1).unwrap();
        let first = first.split('"').next().unwrap();
        assert!(note.contains(&format!("<a href=\"{first}\"")), "{page}: {first} first");
    }
    // A type without a note points to its class's note.
    let infected =
        fs::read_to_string(site.join("incident/malicious-code/type/infected-system.html")).unwrap();
    assert!(infected.contains("<a href=\"../../../incident/malicious-code.html#playbook\">"));
}

#[test]
fn every_entry_a_note_names_stays_in_its_phase_list_however_long() {
    let (_dir, site) = build(".", &[]);
    let page = read(&site, "incident/fraud/type/phishing.html");
    let detection = &page[page.find("id=\"phase-detection-analysis\"").expect("detection")..];
    let detection = &detection[..detection.find("</section>").unwrap_or(detection.len())];
    // The phishing note names more than eight entries that name phishing
    // and help in detection.
    for slug in [
        "certstream",
        "eml-parser",
        "oletools",
        "lookyloo",
        "urlscan-io",
        "phishtank",
        "openphish",
        "google-safe-browsing",
    ] {
        assert!(
            detection.contains(&format!("<a href=\"../../../entry/{slug}.html\"")),
            "{slug} is not in the detection list"
        );
    }
}

#[test]
fn playbook_links_that_would_lead_nowhere_fail_the_check_where_they_are_written() {
    let dir = catalogue_copy();
    let path = dir.path().join("entries/playbooks/ddos.md");
    let text = fs::read_to_string(&path).unwrap();
    let added = "See ![the map](entry:nope), [MISP](../entry/misp.html) and [steps](#steps).\n";
    fs::write(&path, format!("{text}\n{added}")).unwrap();
    let line = text.lines().count() + 2;
    let output = commons(&["check", dir.path().to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stderr(&output);
    for (column, message) in [
        (16, "link to unknown entry `nope`"),
        (
            36,
            "link to `../entry/misp.html`: a note links only to entries and to web or mail addresses",
        ),
        (68, "link to `#steps`: a note links only to entries and to web or mail addresses"),
    ] {
        let at = format!("entries/playbooks/ddos.md:{line}:{column}: {message}");
        assert!(text.contains(&at), "no `{at}` in:\n{text}");
    }
}

#[test]
fn a_playbook_note_long_unreviewed_or_dated_in_the_future_warns_like_an_entry() {
    let dir = catalogue_copy();
    let set = |note: &str, date: &str| {
        let path = dir.path().join("entries/playbooks").join(note);
        let text = fs::read_to_string(&path).unwrap();
        let old = text.lines().find(|l| l.starts_with("last_reviewed:")).unwrap().to_string();
        fs::write(&path, text.replacen(&old, &format!("last_reviewed: {date}"), 1)).unwrap();
    };
    set("ddos.md", "2019-01-01");
    set("phishing.md", "2099-01-01");
    let output = commons(&["check", dir.path().to_str().unwrap(), "--format", "json"], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let warned = |note: &str, start: &str| {
        report["problems"].as_array().unwrap().iter().any(|p| {
            p["path"].as_str().unwrap().ends_with(note)
                && p["severity"] == "warning"
                && p["line"] == 4
                && p["message"].as_str().unwrap().starts_with(start)
        })
    };
    assert!(
        warned("playbooks/ddos.md", "not reviewed for over 12 months (last on 2019-01-01)"),
        "{report:#}"
    );
    assert!(
        warned("playbooks/phishing.md", "`last_reviewed` is in the future (2099-01-01"),
        "{report:#}"
    );
    let strict = commons(&["check", dir.path().to_str().unwrap(), "--strict"], &[]);
    assert_eq!(strict.status.code(), Some(1));
}

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

#[test]
fn bodies_too_large_in_an_org_an_entry_and_an_evaluation_are_all_reported_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(Path::new(&fixture("valid")), dir.path());
    // 600 KB of `<` renders to 2.4 MB of `&lt;`, over the 2 MB limit.
    let oversized = "<".repeat(600 * 1024);
    let files = [
        "entries/orgs/example-cert.md",
        "entries/tools/sample-sandbox.md",
        "entries/evaluations/phish-feed/2026-06-01-second-team.md",
    ];
    for relative in files {
        let path = dir.path().join(relative);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, format!("{text}\n{oversized}\n")).unwrap();
    }

    let output = commons(&["check", dir.path().to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    for relative in files {
        assert!(
            text.lines().any(|l| l.contains(relative) && l.contains("over the limit of 2097152")),
            "{relative} not reported:\n{text}"
        );
    }
    assert!(text.contains("error: 3 problems in 3 files"), "{text}");
}

#[test]
fn invalid_evaluations_fail_with_exact_messages() {
    let output = commons(&["check", &fixture("invalid-evaluations")], &[]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output).replace("tests/fixtures/invalid-evaluations/", "");
    for expected in [
        "entries/evaluations/no-such-entry/2026-05-01-second-team.md:2:8: unknown entry `no-such-entry`",
        "entries/evaluations/sample-sandbox/2026-02-01-nobody.md:3:12: unknown organisation `nobody`",
        "entries/evaluations/sample-sandbox/2026-02-01-nobody.md:7:9: unknown rubric `tool-9`\n  hint: use one of `data-1`, `tool-1`",
        "entries/evaluations/sample-sandbox/2026-01-01-example-cert.md:11:3: criteria `security-policy`, `releases` of rubric `tool-1` are not answered",
        "entries/evaluations/sample-sandbox/2026-01-01-example-cert.md:25:9: unknown criterion `speed` for rubric `tool-1`",
        "entries/evaluations/sample-sandbox/2026-01-01-example-cert.md:16:12: score `5` for `timeliness` is off the scale",
        "entries/evaluations/sample-sandbox/2026-01-01-example-cert.md:19:9: `accuracy` has a score but no evidence",
        "entries/evaluations/phish-feed/2026-04-01-second-team.md:18:37: grade `G` for `source-reliability` is off the scale",
        "entries/evaluations/phish-feed/2026-04-01-second-team.md:19:26: the measured `latency` has no `window`",
        "entries/evaluations/sample-sandbox/2026-03-01-wrong-name.md:7:9: rubric `data-1` does not apply to an entry of kind `tool`",
        "error: 17 problems in 5 files; nothing was written",
    ] {
        assert!(text.contains(expected), "missing:\n{expected}\n\nin:\n{text}");
    }
    insta::assert_snapshot!("invalid_evaluations_check", text);
}

#[test]
fn evaluation_listing_is_offered_in_four_orders_without_javascript() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    let order_of = |page: &str| -> Vec<String> {
        let html = read(&site, page);
        html.split("<tbody>")
            .nth(1)
            .unwrap()
            .split("<tr>")
            .skip(1)
            .map(|row| {
                row.split("<td>").nth(1).unwrap().split("datetime=\"").nth(1).unwrap()[..10]
                    .to_string()
            })
            .collect()
    };
    assert_eq!(order_of("evaluations.html"), ["2026-11-01", "2026-06-01", "2024-01-10"]);
    // Phish Feed before Sample Sandbox; within an entry, newest first.
    assert_eq!(order_of("evaluations-by-entry.html"), ["2026-06-01", "2026-11-01", "2024-01-10"]);
    // Example CERT before Second Team.
    assert_eq!(
        order_of("evaluations-by-evaluator.html"),
        ["2026-11-01", "2026-06-01", "2024-01-10"]
    );
    // Desk review, then lab test, then production use.
    assert_eq!(order_of("evaluations-by-method.html"), ["2024-01-10", "2026-11-01", "2026-06-01"]);
    assert!(!without_own_script(&read(&site, "evaluations.html")).contains("<script"));
}

#[test]
fn entry_summary_shows_medians_counts_and_age_never_an_overall_score() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    let page = read(&site, "entry/sample-sandbox.html");
    assert!(page.contains("2 evaluations; the newest from <time datetime=\"2026-11-01\">1 November 2026</time> (32 days ago)."), "{page}");
    assert!(
        page.contains("<th scope=\"row\">Extensibility</th><td>2.5</td><td>2 of 2</td>"),
        "{page}"
    );
    assert!(
        page.contains("<th scope=\"row\">Scalability</th><td>Not assessed</td><td>0 of 2</td>"),
        "{page}"
    );
    assert!(!page.contains("cc-warning"), "a fresh evaluation carries no warning");
    let phish = read(&site, "entry/phish-feed.html");
    assert!(
        phish.contains("The newest evaluation was due for review on 1 November 2026."),
        "{phish}"
    );
    assert!(
        phish.contains(
            "<th scope=\"row\">Source reliability (Admiralty)</th><td>B</td><td>1 of 1</td>"
        ),
        "{phish}"
    );
    for page in [&page, &phish] {
        assert!(!page.to_lowercase().contains("overall"), "no overall score");
    }
}

#[test]
fn entry_summary_warns_when_the_newest_evaluation_is_older_than_18_months() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid"), dir.path());
    let newest = dir.path().join("entries/evaluations/sample-sandbox/2026-11-01-example-cert.md");
    let text = fs::read_to_string(&newest)
        .unwrap()
        .replace("next_review: 2027-11-01", "next_review: 2030-01-01");
    fs::write(&newest, text).unwrap();
    let out = dir.path().join("site");
    // 1 June 2028: 19 months after the newest evaluation, before its review date.
    let output = commons(
        &["build", dir.path().to_str().unwrap(), "--out", out.to_str().unwrap()],
        &[("SOURCE_DATE_EPOCH", "1843516800")],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let page = read(&out, "entry/sample-sandbox.html");
    assert!(page.contains("The newest evaluation is more than 18 months old."), "{page}");
}

#[test]
fn category_cards_show_each_entrys_evaluation_state() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    let page = read(&site, "category/malware-analysis.html");
    assert!(page.contains(">2 evaluations</a>, newest 1 November 2026</p>"), "{page}");
    let (_dir, site) = build(&fixture("cases-base"), &[]);
    assert!(read(&site, "categories.html").contains("Categories"));
}

#[test]
fn evaluation_charts_are_svg_with_a_table_beside_them() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    let page = read(&site, "evaluation/sample-sandbox/2026-11-01-example-cert.html");
    assert!(page.contains("<svg class=\"cc-chart\""), "{page}");
    assert!(page.contains("aria-hidden=\"true\""));
    // Timeliness scored 3: a bar three steps long, and the same figure in the table.
    assert!(
        page.contains(
            "<rect class=\"cc-chart__bar\" x=\"180\" y=\"3\" width=\"120\" height=\"14\"/>"
        ),
        "{page}"
    );
    assert!(
        page.contains("<td>3 Good<br><small>Results arrive within minutes.</small></td>"),
        "{page}"
    );
    assert!(page.contains("not assessed</text>"), "scalability was not assessed");
    let desk = read(&site, "evaluation/sample-sandbox/2024-01-10-second-team.html");
    assert!(desk.contains("What a desk review can and cannot tell"));
    assert!(!page.contains("What a desk review can and cannot tell"));
}

#[test]
fn published_rubrics_never_change_in_place() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let frozen = root.join("tests/fixtures/published-rubrics");
    let mut checked = 0;
    for file in fs::read_dir(root.join("entries/rubrics")).unwrap() {
        let path = file.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let copy = fs::read(frozen.join(&name)).unwrap_or_else(|_| {
            panic!("rubric `{name}` has no frozen copy in tests/fixtures/published-rubrics/: add one when publishing it")
        });
        assert!(
            fs::read(&path).unwrap() == copy,
            "rubric `{name}` was changed in place: publish the change as a new version instead"
        );
        checked += 1;
    }
    assert!(checked >= 2);
}

#[test]
fn open_data_exports_hold_the_whole_catalogue_with_a_version() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    let json =
        |page: &str| -> serde_json::Value { serde_json::from_str(&read(&site, page)).unwrap() };
    let entries = json("api/entries.json");
    assert_eq!(entries["version"], 1);
    let slugs: Vec<&str> = entries["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["phish-feed", "sample-sandbox"]);
    assert_eq!(entries["entries"][0]["incident_classes"], serde_json::json!(["any"]));
    assert_eq!(entries["entries"][1]["page"], "entry/sample-sandbox.html");

    let evaluations = json("api/evaluations.json");
    assert_eq!(evaluations["evaluations"].as_array().unwrap().len(), 3);
    let latency = evaluations["evaluations"][0]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["criterion"] == "latency")
        .unwrap();
    assert_eq!(latency["window"], "2026-05-01 to 2026-05-31");
    let reliability = evaluations["evaluations"][0]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["criterion"] == "source-reliability")
        .unwrap();
    assert_eq!(reliability["letter"], "B");

    let taxonomy = json("api/taxonomy.json");
    assert_eq!(taxonomy["incident_classes"][0]["types"][0]["slug"], "c2-server");

    let csv = read(&site, "api/entries.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("slug,name,kind,summary,"));
    assert!(
        lines[2].contains(
            "\"Runs samples in a throw-away machine & reports: files, network, <processes>.\""
        ),
        "{}",
        lines[2]
    );
    assert!(read(&site, "data.html").contains("Format version <strong>1</strong>"));
}

#[test]
fn feeds_sitemap_and_robots_use_the_base_url() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    let entries = read(&site, "feeds/entries.xml");
    assert!(entries.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
    ));
    assert_eq!(entries.matches("<entry>").count(), 2);
    // Newest first: Sample Sandbox was reviewed on 1 December 2026.
    let first = entries.split("<entry>").nth(1).unwrap();
    assert!(
        first.contains("<id>https://fixture.example.org/commons/entry/sample-sandbox.html</id>"),
        "{first}"
    );
    assert!(first.contains("<updated>2026-12-01T00:00:00Z</updated>"), "{first}");
    assert!(first.contains("&amp; reports: files, network, &lt;processes&gt;."), "{first}");
    let evaluations = read(&site, "feeds/evaluations.xml");
    assert_eq!(evaluations.matches("<entry>").count(), 3);
    let sitemap = read(&site, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://fixture.example.org/commons/entry/phish-feed.html</loc>")
    );
    assert!(!sitemap.contains("404.html"));
    assert_eq!(
        read(&site, "robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://fixture.example.org/commons/sitemap.xml\n"
    );
}

#[test]
fn every_page_has_a_description_a_canonical_url_and_open_graph_metadata() {
    let (_dir, site) = build(&fixture("valid"), &[]);
    let base = "https://fixture.example.org/commons/";
    let mut pages = 0;
    for file in files(&site).into_iter().filter(|f| f.extension().is_some_and(|e| e == "html")) {
        let html = read(&site, file.to_str().unwrap());
        let meta = |key: &str, name: &str| -> Option<String> {
            let tag = html
                .split('<')
                .find(|t| t.starts_with("meta ") && t.contains(&format!("{key}=\"{name}\"")))?;
            let content = tag.split("content=\"").nth(1)?;
            Some(content[..content.find('"')?].to_string())
        };
        let url = format!("{base}{}", file.display());
        let what = file.display();
        assert_eq!(meta("property", "og:url").as_deref(), Some(url.as_str()), "{what}");
        assert!(html.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")), "{what}");
        let description = meta("name", "description").unwrap_or_default();
        assert!(!description.is_empty(), "{what}");
        assert_eq!(meta("property", "og:description"), Some(description), "{what}");
        let title = meta("property", "og:title").unwrap_or_default();
        assert!(html.contains(&format!("<title>{title}")), "{what}: og:title `{title}`");
        assert_eq!(meta("property", "og:site_name").as_deref(), Some("Fixture Commons"));
        pages += 1;
    }
    assert!(pages > 20);
    let entry = read(&site, "entry/phish-feed.html");
    assert!(entry.contains("<meta property=\"og:title\" content=\"Phish Feed\">"));
}

#[test]
fn long_listings_are_split_into_pages_of_100_with_working_links() {
    let (_dir, _root, site) = synthetic_site(250, 120);
    let cards = |page: &str| read(&site, page).matches("<li class=\"cc-card\">").count();
    assert_eq!(cards("entries.html"), 100);
    assert_eq!(cards("entries/page/2.html"), 100);
    assert_eq!(cards("entries/page/3.html"), 50);
    assert!(!site.join("entries/page/4.html").exists());
    let first = read(&site, "entries.html");
    assert!(first.contains("1–100 of 250, page 1 of 3"), "the pager says where the page stands");
    assert!(first.contains("<a rel=\"next\" href=\"entries/page/2.html\">"));
    let last = read(&site, "entries/page/3.html");
    assert!(last.contains("<a rel=\"prev\" href=\"../../entries/page/2.html\">"));
    assert!(last.contains("href=\"../../static/style.css\""), "links from deeper pages still work");
    let rows = |page: &str| read(&site, page).matches("<tr>").count() - 1;
    assert_eq!(rows("evaluations.html"), 100);
    assert_eq!(rows("evaluations-by-entry/page/2.html"), 20);

    // No listing page anywhere holds more than a page of cards, and every
    // link between pages leads to a page that exists.
    for file in files(&site).into_iter().filter(|f| f.extension().is_some_and(|e| e == "html")) {
        let name = file.to_str().unwrap();
        let html = read(&site, name);
        assert!(html.matches("<li class=\"cc-card\">").count() <= 100, "{name}");
        for (key, value) in attributes(&html) {
            // Relative links only: canonical addresses start with base_url.
            let is_page_link = key == "href"
                && value.contains("/page/")
                && !value.starts_with('/')
                && !value.contains("://");
            if is_page_link {
                let target = file.parent().unwrap().join(&value);
                assert!(site.join(&target).exists(), "{name} links to missing {value}");
            }
        }
    }
    assert!(site.join("incident-any.html").exists());
}
