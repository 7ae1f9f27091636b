//! Regression tests for the inputs in `shared/cases/` (converted copies in
//! `tests/fixtures/cases/`), one or more per case, named after the case.
//! Each drops the case into a copy of `tests/fixtures/cases-base/`.

use std::fs;
use std::path::Path;

use super::*;

/// The bytes of a converted case file.
fn case(name: &str) -> Vec<u8> {
    fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases").join(name)).unwrap()
}

/// A copy of the base catalogue with `files` added under `entries/`.
fn catalogue(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases-base"), dir.path());
    for (relative, bytes) in files {
        let path = dir.path().join("entries").join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    dir
}

fn root(dir: &tempfile::TempDir) -> &str {
    dir.path().to_str().unwrap()
}

/// Builds the catalogue and returns its site folder; panics on failure.
fn built(dir: &tempfile::TempDir) -> PathBuf {
    let out = dir.path().join("site");
    let output = commons(&["build", root(dir), "--out", out.to_str().unwrap()], &[]);
    assert!(output.status.success(), "build failed:\n{}", stderr(&output));
    out
}

/// Runs `check` and returns its report; asserts it failed with exit 1.
fn failed_check(dir: &tempfile::TempDir) -> String {
    let output = commons(&["check", root(dir)], &[]);
    let text = stderr(&output).replace(&format!("{}/", root(dir)), "");
    assert_eq!(output.status.code(), Some(1), "expected problems, got:\n{text}");
    assert!(!text.contains("panicked"), "{text}");
    text
}

#[test]
fn b01_byte_order_mark_is_stripped_everywhere() {
    let dir = catalogue(&[("tools/b01.md", &case("B01-bom.md"))]);
    let site = built(&dir);
    assert!(read(&site, "entry/b01.html").contains("<h1>Byte order mark first</h1>"));
    for file in files(&site) {
        let text = String::from_utf8_lossy(&fs::read(site.join(&file)).unwrap()).into_owned();
        assert!(!text.contains('\u{feff}'), "U+FEFF in {}", file.display());
    }
}

#[test]
fn b02_crlf_file_builds_exactly_like_its_lf_twin() {
    let crlf = case("B02-crlf.md");
    let lf = String::from_utf8(crlf.clone()).unwrap().replace("\r\n", "\n");
    let a = catalogue(&[("tools/b02.md", &crlf)]);
    let b = catalogue(&[("tools/b02.md", lf.as_bytes())]);
    let (page_a, page_b) = (read(&built(&a), "entry/b02.html"), read(&built(&b), "entry/b02.html"));
    assert_eq!(page_a, page_b);
    assert!(page_a.contains("<code>alpha</code>, <code>beta</code></dd>"), "{page_a}");
    assert!(!page_a.contains('\r'));
    let body = page_a.split("cc-body").nth(1).unwrap().split("</section>").next().unwrap();
    assert_eq!(body.matches("<p>").count(), 2, "{body}");
}

#[test]
fn b04_mistyped_closing_delimiter_is_an_error_at_its_line() {
    let dir = catalogue(&[("tools/b04.md", &case("B04-unclosed-front-matter.md"))]);
    let text = failed_check(&dir);
    assert!(
        text.contains(
            "entries/tools/b04.md:5:1: malformed closing delimiter `----`\n  \
             hint: the front matter must end with a line that is exactly `---`"
        ),
        "{text}"
    );
    assert!(!text.contains("First body paragraph"), "body text never becomes metadata");
}

#[test]
fn b05_dashes_inside_values_and_body_rules_stay_where_they_are() {
    let dir = catalogue(&[("tools/b05.md", &case("B05-dashes-in-value-and-body.md"))]);
    let page = read(&built(&dir), "entry/b05.html");
    assert!(page.contains("<h1>Before --- after</h1>"), "{page}");
    assert!(page.contains("a quoted value that continues --- on an indented line"), "{page}");
    let body = page.split("cc-body").nth(1).unwrap().split("</section>").next().unwrap();
    assert_eq!(body.matches("<hr>").count(), 2, "{body}");
    assert_eq!(body.matches("<p>").count(), 3, "{body}");
}

#[test]
fn b06_empty_file_is_an_error_and_the_other_files_are_still_checked() {
    let dir = catalogue(&[
        ("tools/b06.md", &case("B06-empty-file.md")),
        ("tools/only-delimiters.md", b"---\n---\n"),
        ("tools/b07.md", &case("B07-colon-in-title.md")),
    ]);
    let text = failed_check(&dir);
    assert!(text.contains("entries/tools/b06.md:1:1: empty file: no front matter"), "{text}");
    assert!(
        text.contains("entries/tools/only-delimiters.md:1:1: missing required field `name`"),
        "{text}"
    );
    assert!(text.contains("entries/tools/b07.md:2:"), "{text}");
}

#[test]
fn b07_unquoted_colon_is_an_error_with_a_quoting_hint() {
    let dir = catalogue(&[("tools/b07.md", &case("B07-colon-in-title.md"))]);
    let text = failed_check(&dir);
    assert!(
        text.contains(
            "entries/tools/b07.md:2:13: mapping values are not allowed in this context\n  \
             hint: a value that contains `: ` must be quoted"
        ),
        "{text}"
    );
}

#[test]
fn b08_tab_indentation_is_an_error_at_its_line() {
    let dir = catalogue(&[("tools/b08.md", &case("B08-tab-indent.md"))]);
    let text = failed_check(&dir);
    assert!(text.contains("entries/tools/b08.md:6:"), "{text}");
    assert!(text.contains("hint: YAML forbids tabs for indentation: indent with spaces"), "{text}");
}

#[test]
fn b09_yaml_1_1_boolean_words_stay_strings() {
    let org = b"---\nname: Norwegian team\nkind: national-csirt\ncountry: NO\nsummary: A team in Norway.\n---\n";
    let dir =
        catalogue(&[("tools/b09.md", &case("B09-yaml11-booleans.md")), ("orgs/norway.md", org)]);
    let site = built(&dir);
    let page = read(&site, "entry/b09.html");
    let tags = ["n", "no", "off", "on", "y", "yes"].map(|t| format!("<code>{t}</code>")).join(", ");
    assert!(page.contains(&tags), "{page}");
    let tags_row = page.split("<dt>Tags</dt>").nth(1).unwrap().split("</dd>").next().unwrap();
    assert!(!tags_row.contains("true") && !tags_row.contains("false"), "{tags_row}");
    assert!(read(&site, "org/norway.html").contains("<dd>NO</dd>"));
}

#[test]
fn b11_date_only_value_is_the_same_calendar_date_in_every_time_zone() {
    let dir = catalogue(&[("tools/b11.md", &case("B11-date-only-timezone.md"))]);
    let page_in = |tz: &str| {
        let out = dir.path().join(format!("site-{}", tz.replace('/', "-")));
        let output = commons(&["build", root(&dir), "--out", out.to_str().unwrap()], &[("TZ", tz)]);
        assert!(output.status.success(), "{}", stderr(&output));
        read(&out, "entry/b11.html")
    };
    let east = page_in("Pacific/Kiritimati");
    assert_eq!(east, page_in("Etc/GMT+12"));
    assert!(east.contains(r#"<time datetime="2024-02-29">29 February 2024</time>"#), "{east}");
}

#[test]
fn b13_duplicate_keys_are_an_error() {
    let dir = catalogue(&[("tools/b13.md", &case("B13-duplicate-keys.md"))]);
    let text = failed_check(&dir);
    assert!(text.contains("entries/tools/b13.md:6:1: duplicate key `name`"), "{text}");
}

#[test]
fn b14_anchors_and_aliases_are_refused() {
    let anchored = b"---\nname: Anchored\ntags: &many [a, b]\n---\n";
    let dir =
        catalogue(&[("tools/b14.md", &case("B14-alias-bomb.md")), ("tools/anchor.md", anchored)]);
    let text = failed_check(&dir);
    assert!(text.contains("entries/tools/b14.md:5:1: unknown field `k0`"), "{text}");
    assert!(
        text.contains("entries/tools/anchor.md:3:13: anchors and aliases are not allowed"),
        "{text}"
    );
}

#[test]
fn b14_aliases_inside_known_fields_are_refused() {
    let bomb = String::from_utf8(case("B14-alias-bomb.md")).unwrap();
    let known_keys =
        (0..9).fold(bomb, |text, i| text.replace(&format!("k{i}: &k{i}"), &format!("tags: &k{i}")));
    let dir = catalogue(&[("tools/b14.md", known_keys.as_bytes())]);
    let text = failed_check(&dir);
    assert!(text.contains("anchors and aliases are not allowed"), "{text}");
}

#[test]
fn b16_two_entries_with_one_slug_are_an_error_naming_both() {
    let entry = case("B01-bom.md");
    let dir = catalogue(&[("tools/same-output.md", &entry), ("data/same-output.md", &entry)]);
    let text = failed_check(&dir);
    assert!(
        text.contains("entries/data/same-output.md: entry slug `same-output` is also used by `")
            && text.contains("entries/tools/same-output.md`"),
        "{text}"
    );
}

#[test]
fn b16_slugs_that_differ_only_by_case_are_an_error_naming_both() {
    let entry = case("B01-bom.md");
    let dir = catalogue(&[("tools/Same-Output.md", &entry), ("data/same-output.md", &entry)]);
    let text = failed_check(&dir);
    assert!(
        text.contains("entries/tools/Same-Output.md: file name `Same-Output` is not a valid slug"),
        "{text}"
    );
    assert!(
        text.contains("entries/data/same-output.md: entry slug `same-output` is also used by"),
        "{text}"
    );
}

#[test]
fn b18_slugs_that_could_leave_the_output_folder_are_refused() {
    let entry = case("B18-path-traversal-slug.md");
    let mut files: Vec<(String, Vec<u8>)> =
        ["..%2F..%2Foutside", "..", "a..b", "cafe\u{301}", "caf\u{e9}", "a%2fb", "UPPER"]
            .iter()
            .map(|stem| (format!("tools/{stem}.md"), entry.clone()))
            .collect();
    let categories = "- slug: ../../outside-output\n  name: Outside\n  description: Tries to climb.\n\
                      - slug: notes\n  name: Notes\n  description: Notes.\n";
    files.push(("taxonomy/categories.yaml".into(), categories.as_bytes().to_vec()));
    let borrowed: Vec<(&str, &[u8])> =
        files.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
    let dir = catalogue(&borrowed);
    let text = failed_check(&dir);
    assert!(
        text.contains(
            "entries/taxonomy/categories.yaml:1:9: `../../outside-output` is not a valid slug"
        ),
        "{text}"
    );
    for (path, _) in &files[..files.len() - 1] {
        assert!(
            text.contains(&format!("entries/{path}: file name `")),
            "{path} not refused:\n{text}"
        );
    }
    let out = dir.path().join("site");
    let output = commons(&["build", root(&dir), "--out", out.to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!dir.path().join("outside-output.html").exists() && !out.exists());
}

#[test]
fn b20_dangerous_link_schemes_lose_their_href() {
    let dir = catalogue(&[("tools/b20.md", &case("B20-javascript-links.md"))]);
    let page = read(&built(&dir), "entry/b20.html");
    for url in url_values(&page) {
        let url = url.to_lowercase();
        for scheme in ["javascript:", "vbscript:", "data:"] {
            assert!(!url.trim_start().starts_with(scheme), "{url} in {page}");
        }
    }
    assert!(page.contains("plain") && page.contains("reference style"), "link texts stay");
}

#[test]
fn b21_raw_html_scripts_frames_handlers_and_styles_are_removed() {
    let dir = catalogue(&[("tools/b21.md", &case("B21-raw-html.md"))]);
    let page = without_own_script(&read(&built(&dir), "entry/b21.html"));
    for banned in ["<script", "<iframe", "<object", "<embed", "<img", "<div"] {
        assert!(!page.contains(banned), "{banned} in {page}");
    }
    let names: Vec<String> = attributes(&page).into_iter().map(|(name, _)| name).collect();
    assert!(
        !names.iter().any(|n| n == "style" || n == "srcdoc" || n.starts_with("on")),
        "{names:?}"
    );
    assert!(
        page.contains("&lt;script&gt;alert(\"inline script\")&lt;/script&gt;"),
        "shown as text"
    );
    assert!(
        page.contains("<h2>Heading with attributes {#intro .lead onclick=alert(1)}</h2>"),
        "{page}"
    );
}

#[test]
fn b22_html_inside_code_is_shown_literally() {
    let dir = catalogue(&[("tools/b22.md", &case("B22-code-block-escaping.md"))]);
    let page = without_own_script(&read(&built(&dir), "entry/b22.html"));
    assert!(page.contains("Example Author &lt;author@example.org&gt;"), "{page}");
    assert!(page.contains("&lt;b&gt;not bold&lt;/b&gt;"), "{page}");
    assert!(page.contains("<code>&lt;i&gt;not italic&lt;/i&gt;</code>"), "{page}");
    assert!(!page.contains("<script"), "{page}");
}

#[test]
fn b24_nested_footnotes_build_without_a_panic() {
    let dir = catalogue(&[("tools/b24.md", &case("B24-footnote-parser-panic.md"))]);
    let page = read(&built(&dir), "entry/b24.html");
    assert!(page.contains("Last line."), "{page}");
}

#[test]
fn b26_reference_amplification_stays_bounded() {
    let dir = catalogue(&[("tools/b26.md", &case("B26-link-reference-amplification.md"))]);
    let site = built(&dir);
    let size = fs::metadata(site.join("entry/b26.html")).unwrap().len();
    assert!(size < 2 * 1024 * 1024, "page is {size} bytes");
}

#[test]
fn b27_cjk_cyrillic_and_accented_text_is_published_intact() {
    // The search half of B27 (each word finds the entry) is tested in the
    // browser by `search::search_works_from_disk` and `..._over_http`.
    let dir = catalogue(&[("tools/b27.md", &case("B27-cjk-cyrillic-search.md"))]);
    let page = read(&built(&dir), "entry/b27.html");
    for text in ["检索", "数据", "東京", "Привет, мир!", "Café crème, naïve résumé, Ærø, straße."]
    {
        assert!(page.contains(text), "{text} missing");
    }
}

#[test]
fn b29_markup_in_names_and_summaries_is_escaped_text() {
    // The search half (results show markup as text) is in `search.rs`.
    let dir = catalogue(&[("tools/b29.md", &case("B29-html-in-search-index.md"))]);
    let site = built(&dir);
    let page = read(&site, "entry/b29.html");
    assert!(page.contains("<h1>&lt;img src=x onerror=alert(document.title)&gt;</h1>"), "{page}");
    assert!(
        page.contains("&lt;b&gt;bold&lt;&#x2F;b&gt;") || page.contains("&lt;b&gt;bold&lt;/b&gt;"),
        "{page}"
    );
    for file in files(&site) {
        let text = read(&site, file.to_str().unwrap());
        if file.extension().is_some_and(|e| e == "html") {
            let html = without_own_script(&text);
            assert!(!html.contains("<img") && !html.contains("<script"), "{}", file.display());
            assert!(!has_event_handler(&html), "{}", file.display());
        } else if file.starts_with("search") {
            // Index scripts carry the text JSON-escaped: no `<` at all.
            assert!(!text.contains('<'), "{}", file.display());
        }
    }
}

#[test]
fn b32_values_that_try_to_break_out_of_their_context_are_refused_or_escaped() {
    let hostile = case("B32-template-escaping.md");
    let text = failed_check(&catalogue(&[("tools/b32.md", &hostile)]));
    assert!(text.contains("unknown category `notes\" onmouseover=\"alert(1)`"), "{text}");
    assert!(
        text.contains("`tags` value `</script><script>alert(1)</script>` is not a lower-case word"),
        "{text}"
    );

    let tamed = String::from_utf8(hostile)
        .unwrap()
        .replace(r#"categories: ["notes\" onmouseover=\"alert(1)"]"#, "categories: [notes]")
        .replace(r#"tags: ["</script><script>alert(1)</script>"]"#, "tags: [escaping]");
    let dir = catalogue(&[("tools/b32.md", tamed.as_bytes())]);
    let site = built(&dir);
    let page = without_own_script(&read(&site, "entry/b32.html"));
    let name = "Quotes &quot; and &lt;angles&gt; &amp; &#x27;apostrophes&#x27;";
    assert!(page.contains(&format!("<title>{name} · Cases Commons</title>")), "{page}");
    assert!(page.contains(&format!("<h1>{name}</h1>")), "{page}");
    assert!(page.contains(r#"<meta name="description" content="&lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;">"#), "{page}");
    assert!(!page.contains("<script") && !has_event_handler(&page), "{page}");
}

#[test]
fn b33_missing_required_fields_are_each_reported_by_name() {
    let dir = catalogue(&[("tools/b33.md", &case("B33-missing-optional-fields.md"))]);
    let text = failed_check(&dir);
    for field in
        ["kind", "summary", "homepage", "maintainer", "licence", "categories", "status", "added"]
    {
        assert!(
            text.contains(&format!("entries/tools/b33.md:1:1: missing required field `{field}`")),
            "{field}:\n{text}"
        );
    }
}

#[cfg(unix)]
#[test]
fn b34_symbolic_links_are_refused_and_their_targets_never_read() {
    let secret = tempfile::tempdir().unwrap();
    fs::write(secret.path().join("bug-cases.md"), case("B01-bom.md")).unwrap();
    let dir = catalogue(&[]);
    let entries = dir.path().join("entries");
    std::os::unix::fs::symlink(secret.path().join("bug-cases.md"), entries.join("tools/b34.md"))
        .unwrap();
    std::os::unix::fs::symlink(secret.path(), entries.join("tools/linked-folder")).unwrap();
    fs::remove_dir_all(entries.join("data")).unwrap();
    std::os::unix::fs::symlink(secret.path(), entries.join("data")).unwrap();
    let text = failed_check(&dir);
    for link in ["tools/b34.md", "tools/linked-folder", "data"] {
        assert!(
            text.contains(&format!(
                "entries/{link}: symbolic links are not allowed in the catalogue"
            )),
            "{link}:\n{text}"
        );
    }
    assert!(!text.contains("Byte order mark first"));
}

#[test]
fn b35_latin1_file_is_an_error_giving_the_byte_offset() {
    let dir = catalogue(&[("tools/b35.md", &case("B35-latin1.md")), ("tools/b06.md", b"")]);
    let text = failed_check(&dir);
    assert!(
        text.contains("entries/tools/b35.md: not valid UTF-8 at line 2, byte offset 14 (0xE9)"),
        "{text}"
    );
    assert!(text.contains("entries/tools/b06.md:1:1: empty file"), "other files are still checked");
    assert!(!text.contains('\u{fffd}'));
}

// Found by trying the tool as a new user would; each guards one finding.

#[test]
fn check_reports_body_problems_that_build_would_hit() {
    let mut entry = String::from_utf8(case("B01-bom.md")).unwrap();
    entry.push_str(&"> ".repeat(45));
    entry.push_str("deep\n");
    let dir = catalogue(&[
        ("tools/deep.md", entry.as_bytes()),
        ("tools/b07.md", &case("B07-colon-in-title.md")),
    ]);
    let text = failed_check(&dir);
    assert!(text.contains("entries/tools/deep.md:18:1: the body nests elements"), "{text}");
    assert!(
        text.contains("entries/tools/b07.md:2:13:"),
        "front-matter and body problems in one run:\n{text}"
    );
}

#[test]
fn files_that_nothing_reads_are_reported() {
    let entry = case("B01-bom.md");
    let dir = catalogue(&[
        ("tool/typo.md", &entry),
        ("tools/upper.MD", &entry),
        ("tools/long.markdown", &entry),
        ("tools/sub/nested.md", &entry),
        ("stray.md", &entry),
        ("tools/.gitkeep", b""),
    ]);
    let text = failed_check(&dir);
    for path in [
        "entries/tool",
        "entries/tools/upper.MD",
        "entries/tools/long.markdown",
        "entries/tools/sub",
        "entries/stray.md",
    ] {
        assert!(text.contains(&format!("{path}: unexpected ")), "{path} not reported:\n{text}");
    }
    assert!(!text.contains(".gitkeep"), "hidden files are ignored");
}

#[test]
fn files_editors_leave_beside_an_entry_do_not_break_the_build() {
    let entry = case("B01-bom.md");
    let dir = catalogue(&[
        ("tools/b01.md", &entry),
        ("tools/b01.md~", &entry),
        ("tools/#b01.md#", &entry),
        ("tools/4913", b""),
        ("tools/.b01.md.swp", b"\0binary"),
    ]);
    // Emacs's lock file is a dangling symbolic link.
    std::os::unix::fs::symlink("user@host.1234", dir.path().join("entries/tools/.#b01.md"))
        .unwrap();
    let site = built(&dir);
    assert!(read(&site, "entry/b01.html").contains("<h1>Byte order mark first</h1>"));
    let odd: Vec<_> = files(&site)
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(['~', '#']) || p.ends_with("4913"))
        .collect();
    assert!(odd.is_empty(), "editor files made pages: {odd:?}");
}

#[test]
fn a_broken_taxonomy_file_is_reported_once_not_for_every_entry() {
    let phases = "- slug: preparation\n  nme: Preparation\n  description: Getting ready.\n";
    let dir = catalogue(&[
        ("taxonomy/phases.yaml", phases.as_bytes()),
        ("tools/one.md", &case("B01-bom.md")),
        ("tools/two.md", &case("B05-dashes-in-value-and-body.md")),
    ]);
    let text = failed_check(&dir);
    assert!(text.contains("entries/taxonomy/phases.yaml:2:3: unknown field `nme`"), "{text}");
    assert!(!text.contains("unknown phase"), "{text}");
    assert!(text.contains("error: 1 problem in 1 file"), "{text}");
}

#[test]
fn build_refuses_to_replace_a_folder_it_did_not_build() {
    let dir = catalogue(&[("tools/b01.md", &case("B01-bom.md"))]);
    fs::write(dir.path().join("NOTES.txt"), "keep me").unwrap();
    for out in [dir.path().to_path_buf(), dir.path().join("entries")] {
        let output = commons(&["build", root(&dir), "--out", out.to_str().unwrap()], &[]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(stderr(&output).contains("refusing to replace"), "{}", stderr(&output));
    }
    assert_eq!(fs::read(dir.path().join("NOTES.txt")).unwrap(), b"keep me");
    assert!(dir.path().join("entries/tools/b01.md").is_file());
    let site = built(&dir);
    assert!(site.join(".commons-site").is_file(), "a build marks its output as its own");
    assert!(built(&dir).join("index.html").is_file(), "and may replace it next time");
}

#[test]
fn a_settings_file_that_cannot_be_used_is_an_error_not_a_silent_default() {
    for (bytes, message) in [
        (&b"\xff"[..], "cannot read the settings file"),
        (
            &b"title: T\ndescription: D\nbase_url: \"//evil.example/\"\n"[..],
            "would point at another host",
        ),
        (&b"title: T\ndescription: D\nbase_url: \"https://\"\n"[..], "is not an http(s) address"),
    ] {
        let dir = catalogue(&[]);
        fs::write(dir.path().join("commons.yaml"), bytes).unwrap();
        let text = failed_check(&dir);
        assert!(text.contains("commons.yaml: ") && text.contains(message), "{text}");
    }
}

#[test]
fn hostile_values_and_file_names_cannot_forge_lines_in_the_report() {
    let forged =
        "---\nname: x\nkind: \"x\\e[2J\\nentries/tools/misp.md:1:1: forged problem\"\n---\n";
    let dir =
        catalogue(&[("tools/forged.md", forged.as_bytes()), ("tools/\u{1b}[32mgreen.md", b"")]);
    let text = failed_check(&dir);
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(!text.lines().any(|l| l.starts_with("entries/tools/misp.md")), "{text}");
    assert!(text.contains("\\u{1b}[32mgreen.md"), "{text}");
    assert!(
        text.contains("unknown kind `x\\u{1b}[2J\\u{a}entries/tools/misp.md:1:1: forged problem`"),
        "{text}"
    );
}

#[test]
fn check_format_json_is_a_versioned_report_on_stdout() {
    let output = commons(&["check", &fixture("invalid"), "--format", "json"], &[]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(report["version"], 1);
    assert_eq!(report["errors"], 19);
    assert_eq!(report["warnings"], 0);
    let first = &report["problems"][0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["path"], "tests/fixtures/invalid/entries/data/colon-in-name.md");
    assert_eq!((first["line"].as_u64(), first["column"].as_u64()), (Some(2), Some(13)));
    assert!(first["hint"].as_str().unwrap().contains("must be quoted"));
}

#[test]
fn check_format_github_prints_one_annotation_per_problem() {
    let output = commons(&["check", &fixture("invalid"), "--format", "github"], &[]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().count(), 19, "{text}");
    assert!(
        text.lines().all(|l| l.starts_with("::error file=tests/fixtures/invalid/entries/")),
        "{text}"
    );
    assert!(
        text.contains("::error file=tests/fixtures/invalid/entries/tools/bad-category.md,line=10,col=14,title=commons::unknown category `malware-analysys`%0Ahint: did you mean `malware-analysis`?"),
        "{text}"
    );
}

#[test]
fn likely_duplicates_and_stale_reviews_warn_and_fail_only_with_strict() {
    // Both get the same homepage, in place of the one `commons new` writes
    // (which would warn as a placeholder too).
    let same_homepage = |name: &str| {
        String::from_utf8(case(name))
            .unwrap()
            .replace("https://example.org/", "https://tool.example.net/")
    };
    let dir = catalogue(&[
        ("tools/one.md", same_homepage("B01-bom.md").as_bytes()),
        ("tools/two.md", same_homepage("B05-dashes-in-value-and-body.md").as_bytes()),
    ]);
    let output = commons(&["check", root(&dir)], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stderr(&output).replace(&format!("{}/", root(&dir)), "");
    // At the homepage line of each file.
    assert!(text.contains("warning: entries/tools/one.md:8:11: possible duplicate: the same address (`tool.example.net`) as `"), "{text}");
    assert!(text.contains("2 warnings"), "{text}");
    let strict = commons(&["check", root(&dir), "--strict"], &[]);
    assert_eq!(strict.status.code(), Some(1));

    // 1 June 2028: both were last reviewed on 1 December 2026.
    let later =
        commons(&["check", root(&dir), "--format", "json"], &[("SOURCE_DATE_EPOCH", "1843516800")]);
    let report: serde_json::Value = serde_json::from_slice(&later.stdout).unwrap();
    let stale = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["message"].as_str().unwrap().starts_with("not reviewed for over 12 months"))
        .count();
    assert_eq!(stale, 2);
    let at_review_date = report["problems"].as_array().unwrap().iter().any(|p| {
        p["path"].as_str().unwrap().ends_with("one.md")
            && p["message"].as_str().unwrap().starts_with("not reviewed")
            && p["line"] == 16
    });
    assert!(at_review_date, "{report:#}");
    assert_eq!(report["warnings"], 4);
}
