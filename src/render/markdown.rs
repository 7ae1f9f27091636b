//! Markdown bodies to safe HTML.
//!
//! Entry text comes from strangers' pull requests. Raw HTML in a body is
//! shown as text, never interpreted; and the HTML that pulldown-cmark writes
//! still passes through ammonia's allow-list before it reaches a page, as a
//! second wall: no scripts, no event handlers, no `style`, no frames, and
//! only `http`, `https`, `mailto`, relative and `#` links. Images become
//! plain links, because an image from another host would be a third-party
//! request from the reader's browser.
//!
//! Bodies that nest blocks deeper than [`MAX_NESTING`] are refused: the
//! sanitiser's HTML parser takes time that grows with the square of the
//! nesting depth, and no real entry nests quotes or lists that deep.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::model::playbook::ENTRY_LINK;

/// Prefix given to every `id` from entry text and to the `#` links that
/// point at them, so entry text can never clash with the page's own ids.
const ID_PREFIX: &str = "fn-";

/// The deepest nesting of blocks and inline elements a body may have.
pub const MAX_NESTING: usize = 40;

/// Renders a Markdown body to sanitised HTML, or says why it cannot.
pub fn to_safe_html(markdown: &str) -> Result<String, String> {
    safe_html(markdown, None)
}

/// [`to_safe_html`] for a body that links entries as `entry:<slug>`
/// (playbook notes): each such link leads to the entry's page, whose
/// folder is `root` followed by `entry/`. Bodies of other files keep no
/// such link: the sanitiser drops the unknown scheme. Headings go one
/// level deeper, below the heading the page gives the note.
pub fn to_safe_html_linking_entries(markdown: &str, root: &str) -> Result<String, String> {
    safe_html(markdown, Some(root))
}

fn safe_html(markdown: &str, entry_root: Option<&str>) -> Result<String, String> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let events: Vec<Event> = Parser::new_ext(markdown, options)
        .map(adjust)
        .map(|event| match (event, entry_root) {
            (Event::Start(Tag::Link { link_type, dest_url, title, id }), Some(root))
                if dest_url.starts_with(ENTRY_LINK) =>
            {
                let slug = &dest_url[ENTRY_LINK.len()..];
                let dest_url = format!("{root}entry/{slug}.html").into();
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            // The note sits under its page's own second-level heading.
            (Event::Start(Tag::Heading { level, id, classes, attrs }), Some(_)) => {
                Event::Start(Tag::Heading { level: deeper(level), id, classes, attrs })
            }
            (Event::End(TagEnd::Heading(level)), Some(_)) => {
                Event::End(TagEnd::Heading(deeper(level)))
            }
            (event, _) => event,
        })
        .collect();
    let depth = nesting_depth(&events);
    if depth > MAX_NESTING {
        return Err(format!(
            "the body nests elements (quotes, lists, emphasis, links…) {depth} deep, over the limit of {MAX_NESTING}"
        ));
    }
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events.into_iter());
    Ok(sanitiser().clean(&unsafe_html).to_string())
}

/// The heading level below `level` (the sixth stays the sixth).
fn deeper(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// The deepest nesting of start and end events.
fn nesting_depth(events: &[Event]) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for event in events {
        match event {
            Event::Start(_) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Rewrites the events pages need changed: raw HTML becomes text, `#`
/// headings become `##` (the page title is the only `h1`), images become
/// links, task-list boxes become text.
fn adjust(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        // A block of raw HTML, now text, reads as a paragraph.
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        Event::Start(Tag::Heading { level: HeadingLevel::H1, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: HeadingLevel::H2, id, classes, attrs })
        }
        Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
            Event::End(TagEnd::Heading(HeadingLevel::H2))
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url, title, id })
        }
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        Event::TaskListMarker(done) => Event::Text(if done { "☑ " } else { "☐ " }.into()),
        other => other,
    }
}

/// The allow-list, built once.
fn sanitiser() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .rm_tags(["img"])
            .link_rel(Some("noopener noreferrer nofollow ugc"))
            .add_tag_attributes("div", ["id"])
            .add_tag_attributes("li", ["id"])
            .add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"])
            .add_allowed_classes("div", ["footnote-definition"])
            .attribute_filter(|_element, attribute, value| match attribute {
                "id" => Some(format!("{ID_PREFIX}{value}").into()),
                "href" | "src" if is_network_path(value) => None,
                "href" if value.starts_with('#') => {
                    Some(format!("#{ID_PREFIX}{}", &value[1..]).into())
                }
                _ => Some(value.into()),
            });
        builder
    })
}

/// Whether a link is scheme-relative (`//host/x`, also spelt with
/// backslashes): it leaves the site for another host, and from a page opened
/// from disk on Windows it becomes a network share that leaks credentials.
/// The allow-list treats it as relative, so it is caught here.
fn is_network_path(value: &str) -> bool {
    let start: String = value
        .trim_start_matches(|c: char| c.is_whitespace() || c.is_control())
        .chars()
        .take(2)
        .collect();
    matches!(start.as_str(), "//" | "\\\\" | "/\\" | "\\/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_link_schemes_lose_their_href() {
        for source in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](vbscript:msgbox(1))",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "<a href=\"java\tscript:alert(1)\">x</a>",
        ] {
            let html = to_safe_html(source).unwrap();
            assert!(!html.to_lowercase().contains("href=\"javascript"), "{source} -> {html}");
            assert!(!html.contains("href=\"data:"), "{source} -> {html}");
            assert!(!html.contains("href=\"vbscript"), "{source} -> {html}");
        }
    }

    #[test]
    fn scheme_relative_links_lose_their_href() {
        for source in ["[a](//evil.example/x)", "[b](///evil.example/x)"] {
            let html = to_safe_html(source).unwrap();
            assert!(!html.contains("href"), "{source} -> {html}");
        }
        assert!(to_safe_html("[f](/entry/x.html)").unwrap().contains("href=\"/entry/x.html\""));
    }

    #[test]
    fn safe_links_survive_with_rel() {
        let html = to_safe_html(
            "[a](https://example.org/) [b](mailto:x@example.org) [c](../entry/misp.html)",
        )
        .unwrap();
        assert!(html.contains("href=\"https://example.org/\""), "{html}");
        assert!(html.contains("href=\"mailto:x@example.org\""), "{html}");
        assert!(html.contains("href=\"../entry/misp.html\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer nofollow ugc\""), "{html}");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_safe_html("<b>bold</b> and <div onclick=\"x()\">block</div>").unwrap();
        assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<b>") && !html.contains("<div"), "{html}");
    }

    #[test]
    fn deep_nesting_is_refused_before_sanitising() {
        let error = to_safe_html(&"> ".repeat(MAX_NESTING + 5)).unwrap_err();
        assert!(error.contains("over the limit of 40"), "{error}");
        assert!(to_safe_html(&"> ".repeat(MAX_NESTING - 5)).is_ok());
    }

    #[test]
    fn raw_html_scripts_handlers_and_styles_are_removed() {
        let html = to_safe_html(
            "<script>alert(1)</script><img src=x onerror=alert(1)><iframe src=x></iframe>\
             <p style=\"background:url(javascript:alert(1))\" onclick=\"x()\">t</p>",
        )
        .unwrap();
        for bad in ["<script", "<img", "<iframe", "<p "] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
    }

    #[test]
    fn playbook_entry_links_lead_to_entry_pages_and_headings_go_one_level_deeper() {
        let text =
            "## Steps\n\n### Analysis\n\nUse [MISP](entry:misp) and [docs](https://example.org/).";
        let html = to_safe_html_linking_entries(text, "../../").unwrap();
        assert!(html.contains("<a href=\"../../entry/misp.html\""), "{html}");
        assert!(html.contains("<a href=\"https://example.org/\""), "{html}");
        assert!(html.contains("<h3>Steps</h3>") && html.contains("<h4>Analysis</h4>"), "{html}");
    }

    #[test]
    fn entry_links_in_other_bodies_lose_their_href() {
        let html = to_safe_html("Use [MISP](entry:misp).").unwrap();
        assert!(!html.contains("href"), "{html}");
        assert!(html.contains("MISP"), "{html}");
    }

    #[test]
    fn images_become_links_so_no_third_party_request_is_made() {
        let html = to_safe_html("![diagram](https://example.org/a.png)").unwrap();
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("<a href=\"https://example.org/a.png\""), "{html}");
        assert!(html.contains(">diagram</a>"), "{html}");
    }

    #[test]
    fn code_is_shown_literally() {
        let html = to_safe_html("```\n<author@example.org></code></pre><script>x</script>\n```\n")
            .unwrap();
        assert!(html.contains("&lt;author@example.org&gt;"), "{html}");
        assert!(!html.contains("<script"), "{html}");
    }

    #[test]
    fn footnote_links_point_at_their_prefixed_ids() {
        let html = to_safe_html("Text[^a].\n\n[^a]: The note.\n").unwrap();
        assert!(html.contains("href=\"#fn-a\""), "{html}");
        assert!(html.contains("id=\"fn-a\""), "{html}");
    }

    #[test]
    fn pathological_inputs_render_or_are_refused_in_bounded_time() {
        // Shapes known to make Markdown parsers or HTML sanitisers slow or
        // explode: deep nesting of quotes, lists and raw tags, unclosed
        // brackets, long emphasis runs, and one long link definition used
        // many times. Each either renders to a bounded size or is refused.
        let definition = format!("[x]: {}\n\n", "y".repeat(2000));
        let inputs = [
            "> ".repeat(200_000),
            "- ".repeat(200_000),
            "<div>".repeat(100_000),
            "[".repeat(200_000),
            "*a".repeat(100_000),
            "_".repeat(200_000),
            definition + &"[x]\n".repeat(50_000),
        ];
        for input in inputs {
            if let Ok(html) = to_safe_html(&input) {
                let (out, size) = (html.len(), input.len());
                assert!(out < 4 * size + 10_000, "{out} bytes from {size}");
            }
        }
    }

    #[test]
    fn top_level_headings_become_second_level() {
        assert_eq!(to_safe_html("# Title").unwrap().trim(), "<h2>Title</h2>");
    }

    #[test]
    fn heading_attribute_syntax_is_plain_text() {
        let html = to_safe_html("## Heading {#intro .lead onclick=alert(1)}").unwrap();
        assert!(html.starts_with("<h2>Heading {#intro"), "{html}");
    }
}
