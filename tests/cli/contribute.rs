//! The contributor's path: `commons new` writes a file that passes
//! `check` and `build`, placeholders are pointed out until replaced, and
//! `check` reports in the formats code hosts show on a change.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::{TEST_DATE_EPOCH, catalogue_copy, commons, stderr};

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `commons new` in `root` with `args`, standard input closed.
fn new(root: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    all.extend(["--root", root.to_str().unwrap()]);
    commons(&all, &[])
}

fn check_json(root: &Path, strict: bool) -> (Option<i32>, Value) {
    let mut args = vec!["check", root.to_str().unwrap(), "--format", "json"];
    if strict {
        args.push("--strict");
    }
    let output = commons(&args, &[]);
    (output.status.code(), serde_json::from_str(&stdout(&output)).unwrap())
}

#[test]
fn new_tool_then_check_then_build_works_and_placeholders_are_warned_about() {
    let dir = catalogue_copy();
    let root = dir.path();
    let output = new(root, &["tool", "Example"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let path = root.join("entries/tools/example.md");
    assert!(stdout(&output).contains(&format!("wrote {}", path.display())));
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("---\n# yaml-language-server: $schema=../../schemas/entry.schema.json\n")
    );
    assert!(
        text.contains("\nname: \"Example\"\nkind: tool\n") || text.contains("name: \"Example\"")
    );

    let (code, report) = check_json(root, false);
    assert_eq!(code, Some(0), "{report:#}");
    let placeholders: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["path"].as_str().unwrap().ends_with("entries/tools/example.md"))
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    for field in ["summary", "homepage", "maintainer", "licence", "categories"] {
        let message = format!("`{field}` still holds the placeholder `commons new` wrote");
        assert!(placeholders.contains(&message.as_str()), "{field}: {placeholders:#?}");
    }
    let (code, _) = check_json(root, true);
    assert_eq!(code, Some(1), "--strict fails while placeholders are left");
    let output =
        commons(&["check", root.to_str().unwrap(), "--format", "github", "--no-placeholders"], &[]);
    assert_eq!(output.status.code(), Some(1), "--no-placeholders fails, as CI runs it");
    let annotation = format!(
        "::error file={},line=17,col=10,title=commons::`summary` still holds the placeholder",
        path.display()
    );
    assert!(stdout(&output).lines().any(|l| l.starts_with(&annotation)), "{}", stdout(&output));

    let site = root.join("site");
    let output = commons(&["build", root.to_str().unwrap()], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(fs::read_to_string(site.join("entry/example.html")).unwrap().contains("Example"));

    // Deleting only the marks leaves the template's text to write and the
    // values `commons new` made up, which are still pointed out, at their
    // lines.
    let unmarked: String = text
        .lines()
        .map(|line| line.trim_end_matches(" # placeholder"))
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(&path, &unmarked).unwrap();
    let (code, report) = check_json(root, false);
    assert_eq!(code, Some(0));
    let left: Vec<(u64, &str)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["path"].as_str().unwrap().ends_with("example.md"))
        .map(|p| (p["line"].as_u64().unwrap(), p["message"].as_str().unwrap()))
        .collect();
    let summary_line = unmarked.lines().position(|l| l.starts_with("summary:")).unwrap() + 1;
    assert!(
        left.contains(&(summary_line as u64, "text from the `commons new` template is still here"))
    );
    let line_of = |key: &str| unmarked.lines().position(|l| l.starts_with(key)).unwrap() as u64 + 1;
    let made_up = [
        (line_of("homepage:"), "`homepage` still holds the placeholder `commons new` wrote"),
        (line_of("licence:"), "`licence` still holds the placeholder `commons new` wrote"),
    ];
    assert!(made_up.iter().all(|value| left.contains(value)), "{left:#?}");
    assert!(
        left.iter().all(|item| item.1.starts_with("text from") || made_up.contains(item)),
        "{left:#?}"
    );

    // Writing the text and real values too silences every warning.
    let done: String = unmarked
        .lines()
        .map(|line| {
            line.replace("TO WRITE:", "Written:")
                .replace("https://example.org/", "https://example-tool.example.net/")
                .replace("LicenseRef-unknown", "Apache-2.0")
        })
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(&path, done).unwrap();
    let (code, report) = check_json(root, true);
    assert_eq!(code, Some(0), "{:#}", report["problems"]);
}

#[test]
fn new_files_satisfy_their_schemas() {
    let dir = catalogue_copy();
    let root = dir.path();
    for args in [
        &["tool", "Schema Tool"][..],
        &["data", "Schema Feed"],
        &["service", "Schema Service"],
        &["org", "Schema Team", "--org-kind", "national-csirt", "--country", "at"],
        &["evaluation", "zeek", "--evaluator", "schema-team"],
    ] {
        let output = new(root, args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    }
    let output = commons(&["check", root.to_str().unwrap()], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    for (file, schema) in [
        ("entries/tools/schema-tool.md", "entry"),
        ("entries/data/schema-feed.md", "entry"),
        ("entries/data/schema-service.md", "entry"),
        ("entries/orgs/schema-team.md", "organisation"),
        ("entries/evaluations/zeek/2026-12-03-schema-team.md", "evaluation"),
    ] {
        let text = fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let yaml = &text[4..text[4..].find("\n---\n").unwrap() + 4];
        let value: Value = serde_saphyr::from_str(yaml).unwrap();
        let schema_text = fs::read_to_string(format!("schemas/{schema}.schema.json")).unwrap();
        let validator =
            jsonschema::validator_for(&serde_json::from_str(&schema_text).unwrap()).unwrap();
        let problems: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(problems.is_empty(), "{file}: {problems:#?}");
    }
}

#[test]
fn new_refuses_to_replace_a_file_and_writes_nothing_for_a_bad_flag() {
    let dir = catalogue_copy();
    let root = dir.path();
    let misp = root.join("entries/tools/misp.md");
    let before = fs::read(&misp).unwrap();
    let output = new(root, &["tool", "MISP"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("already exists"), "{}", stderr(&output));
    assert_eq!(fs::read(&misp).unwrap(), before);

    for (flag, value, message) in [
        ("--homepage", "javascript:alert(1)", "is not an http or https address"),
        ("--maintainer", "nobody-at-all", "there is no organisation `nobody-at-all`"),
        ("--licence", "Not-A-Licence OR", "is not an SPDX expression"),
        ("--category", "malware-analysys", "unknown category `malware-analysys`"),
        ("--slug", "../escape", "is not a slug"),
    ] {
        let output = new(root, &["tool", "Flagged", flag, value]);
        assert_eq!(output.status.code(), Some(2), "{flag}");
        assert!(stderr(&output).contains(message), "{flag}: {}", stderr(&output));
        assert!(!root.join("entries/tools/flagged.md").exists(), "{flag}");
    }
    assert!(!root.join("entries/escape.md").exists());
}

#[test]
fn new_asks_nothing_when_standard_input_is_not_a_terminal() {
    let dir = catalogue_copy();
    let mut child = Command::new(env!("CARGO_BIN_EXE_commons"))
        .args(["new", "tool", "Piped", "--root", dir.path().to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", TEST_DATE_EPOCH)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Answers on a pipe must not be taken for a contributor's.
    let _ = child.stdin.take().unwrap().write_all(b"A summary\nhttps://piped.example.net/\n");
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("Homepage"), "it asked: {}", stderr(&output));
    let text = fs::read_to_string(dir.path().join("entries/tools/piped.md")).unwrap();
    assert!(text.contains("homepage: https://example.org/ # placeholder"), "{text}");
}

#[test]
fn new_with_flags_writes_their_values_and_leaves_no_placeholder_for_them() {
    let dir = catalogue_copy();
    let root = dir.path();
    let output = new(
        root,
        &[
            "data",
            "Testland Abuse Feed",
            "--summary",
            "Daily list of abusive hosts in Testland: \"quoted\" # not a comment",
            "--homepage",
            "https://feed.example.net/",
            "--maintainer",
            "abuse-ch",
            "--licence",
            "CC0-1.0",
            "--category",
            "reputation-blocklists",
            "--deployment",
            "download",
            "--access",
            "registration",
            "--incident-class",
            "malicious-code",
            "--phase",
            "detection-analysis",
            "--cost",
            "freemium",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let text = fs::read_to_string(root.join("entries/data/testland-abuse-feed.md")).unwrap();
    assert!(
        !text.contains("\"\n# placeholder")
            && !text
                .lines()
                .any(|l| l.ends_with("# placeholder") && !l.trim_start().starts_with('#')),
        "{text}"
    );
    assert!(text.contains("\ncost: freemium\n"), "{text}");
    // Only the body is left to write.
    let (code, report) = check_json(root, false);
    assert_eq!(code, Some(0));
    let left: Vec<&Value> = report["problems"].as_array().unwrap().iter().collect();
    assert!(
        left.iter().all(|p| p["message"] == "text from the `commons new` template is still here")
    );
    let body_starts = text.lines().skip(1).position(|l| l == "---").unwrap() + 3;
    assert!(left.iter().all(|p| p["line"].as_u64().unwrap() as usize >= body_starts), "{left:#?}");
    let built = commons(&["build", root.to_str().unwrap()], &[]);
    assert!(built.status.success(), "{}", stderr(&built));
    let page = fs::read_to_string(root.join("site/entry/testland-abuse-feed.html")).unwrap();
    assert!(page.contains("&quot;quoted&quot; # not a comment"), "the summary survives quoting");
}

#[test]
fn check_reports_a_broken_field_as_a_github_annotation_and_a_gitlab_issue() {
    let dir = catalogue_copy();
    let root = dir.path();
    let path = root.join("entries/tools/zeek.md");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replacen("status: live", "status: alive", 1)).unwrap();
    let line = text.lines().position(|l| l == "status: live").unwrap() + 1;

    let output = commons(&["check", root.to_str().unwrap(), "--format", "github"], &[]);
    assert_eq!(output.status.code(), Some(1));
    let expected = format!(
        "::error file={},line={line},col=9,title=commons::unknown status `alive`",
        path.display()
    );
    assert!(stdout(&output).lines().any(|l| l.starts_with(&expected)), "{}", stdout(&output));

    let output = commons(&["check", root.to_str().unwrap(), "--format", "gitlab"], &[]);
    assert_eq!(output.status.code(), Some(1));
    let issues: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let issue = &issues.as_array().unwrap()[0];
    assert_eq!(issue["location"]["path"], path.display().to_string());
    assert_eq!(issue["location"]["lines"]["begin"], line);
    assert_eq!(issue["severity"], "major");
    assert!(issue["description"].as_str().unwrap().starts_with("unknown status `alive`"));
    // GitLab tells new issues from old by fingerprint: stable and unique.
    let again = commons(&["check", root.to_str().unwrap(), "--format", "gitlab"], &[]);
    assert_eq!(stdout(&again), stdout(&output));
    assert_eq!(issue["fingerprint"].as_str().unwrap().len(), 36);
}
