//! The CI files for the code hosts CSIRTs use: GitHub Actions workflows
//! and GitLab CI. Each is parsed, its jobs and permissions checked, and
//! every `commons` command it runs is run here too, so a renamed flag
//! breaks this test before it breaks a pipeline.

use std::fs;

use serde_json::Value;

use super::*;

fn yaml(path: &str) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every shell line of a GitHub job's steps, or of a GitLab job's script.
fn commands(steps_or_script: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    for item in steps_or_script.as_array().into_iter().flatten() {
        let text = item["run"].as_str().or(item.as_str()).unwrap_or_default();
        lines.extend(text.lines().map(|l| l.trim().to_string()));
    }
    lines
}

/// The arguments after `cargo run ... --` in a command line.
fn commons_arguments(line: &str) -> Option<Vec<String>> {
    let (_, rest) = line.split_once("cargo run")?;
    let (_, arguments) = rest.split_once(" -- ")?;
    let arguments = arguments.split(['>', '|']).next().unwrap_or_default();
    Some(arguments.split_whitespace().map(String::from).collect())
}

fn uses(steps: &Value) -> Vec<String> {
    steps
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["uses"].as_str().map(String::from))
        .collect()
}

/// Runs a command a CI file runs, on the valid fixture, with the output
/// sent to a temporary folder: it must parse and succeed.
fn run_like_ci(arguments: &[String]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let mut args: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let root = fixture("valid");
    args.push(&root);
    let out_text = out.to_str().unwrap().to_string();
    if args[0] == "build" {
        args.extend(["--out", &out_text]);
    }
    commons(&args, &[])
}

#[test]
fn github_workflows_check_pull_requests_and_deploy_main_with_pinned_official_actions() {
    let check = yaml(".github/workflows/check.yml");
    assert!(check["on"].as_object().unwrap().contains_key("pull_request"));
    assert_eq!(check["permissions"], serde_json::json!({"contents": "read"}));

    let pages = yaml(".github/workflows/pages.yml");
    assert_eq!(pages["on"]["push"]["branches"], serde_json::json!(["main"]));
    assert_eq!(pages["permissions"], serde_json::json!({"contents": "read"}));
    let deploy = &pages["jobs"]["deploy"];
    assert_eq!(deploy["permissions"]["pages"], "write");
    assert_eq!(deploy["permissions"]["id-token"], "write");
    assert_eq!(deploy["environment"]["name"], "github-pages");
    for (name, job) in pages["jobs"].as_object().unwrap() {
        if name != "deploy" {
            let write =
                job["permissions"].as_object().into_iter().flatten().any(|(_, v)| v == "write");
            assert!(!write, "job `{name}` may write; only deploy should");
        }
    }

    let mut all_uses = Vec::new();
    let mut all_commands = Vec::new();
    for workflow in [&check, &pages] {
        for job in workflow["jobs"].as_object().unwrap().values() {
            all_uses.extend(uses(&job["steps"]));
            all_commands.extend(commands(&job["steps"]));
        }
    }
    for action in &all_uses {
        let (name, pin) = action.split_once('@').unwrap_or_else(|| panic!("{action}: not pinned"));
        assert!(name.starts_with("actions/"), "{action}: not an official action");
        assert!(
            pin.len() == 40 && pin.bytes().all(|b| b.is_ascii_hexdigit()),
            "{action}: pinned to a tag or branch, not a commit"
        );
    }
    for needed in ["actions/deploy-pages", "actions/upload-pages-artifact", "actions/checkout"] {
        assert!(all_uses.iter().any(|u| u.starts_with(needed)), "no {needed}");
    }
    let upload = pages["jobs"]["build"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["uses"].as_str().is_some_and(|u| u.starts_with("actions/upload-pages-artifact"))
        })
        .unwrap();
    assert_eq!(upload["with"]["path"], "site");

    let check_commands = commands(&check["jobs"]["check"]["steps"]);
    assert!(
        check_commands.iter().any(|c| c.contains("-- check --format github --no-placeholders")),
        "pull requests fail on placeholders left by `commons new`"
    );
    let code = commands(&check["jobs"]["code"]["steps"]);
    assert!(code.iter().any(|c| c == "CI=true bash .ci/run"), "the generator's tests run");
    assert!(pages["on"]["schedule"][0]["cron"].is_string(), "a scheduled rebuild");
    assert!(check_commands.iter().any(|c| c.ends_with("-- build")));
    for line in all_commands.iter().filter(|l| l.contains("cargo run")) {
        let arguments = commons_arguments(line).unwrap();
        let output = run_like_ci(&arguments);
        assert!(output.status.success(), "`{line}` fails: {}", stderr(&output));
    }
}

#[test]
fn gitlab_ci_checks_with_a_code_quality_report_builds_and_publishes_pages() {
    let ci = yaml(".gitlab-ci.yml");
    let check = &ci["check"];
    let script = commands(&check["script"]);
    let report_line = script
        .iter()
        .find(|l| {
            l.contains("check --format gitlab --no-placeholders > gl-code-quality-report.json")
        })
        .expect("the check job writes a Code Quality report");
    assert_eq!(check["artifacts"]["reports"]["codequality"], "gl-code-quality-report.json");
    assert_eq!(check["artifacts"]["when"], "always", "the report is kept when the check fails");
    assert!(script.iter().any(|l| l.starts_with("exit")), "the job fails when the check does");

    assert!(commands(&ci["test"]["script"]).iter().any(|c| c == "CI=true bash .ci/run"));

    let build = commands(&ci["build"]["script"]);
    assert!(build.iter().any(|l| l.ends_with("-- build")));

    let pages = &ci["pages"];
    assert_eq!(pages["artifacts"]["paths"], serde_json::json!(["public"]));
    assert!(commands(&pages["script"]).iter().any(|l| l == "cp -a site public"));
    assert_eq!(pages["rules"][0]["if"], "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH");

    // The commands themselves work, and the report is what GitLab reads.
    let arguments = commons_arguments(report_line).unwrap();
    let output = run_like_ci(&arguments);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report.is_array());
    for line in build {
        let output = run_like_ci(&commons_arguments(&line).unwrap());
        assert!(output.status.success(), "`{line}`: {}", stderr(&output));
    }
}
