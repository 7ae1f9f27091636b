//! Markdown bodies to safe HTML.
//!
//! Entry text comes from strangers' pull requests, so the HTML that
//! pulldown-cmark writes always passes through ammonia's allow-list before it
//! reaches a page: no scripts, no event handlers, no `style`, no frames, and
//! only `http`, `https`, `mailto`, relative and `#` links. Images become
//! plain links, because an image from another host would be a third-party
//! request from the reader's browser.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// Prefix given to every `id` from entry text and to the `#` links that
/// point at them, so entry text can never clash with the page's own ids.
const ID_PREFIX: &str = "fn-";

/// Renders a Markdown body to sanitised HTML.
pub fn to_safe_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(markdown, options).map(adjust);
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events);
    sanitiser().clean(&unsafe_html).to_string()
}

/// Rewrites the events pages need changed: `#` headings become `##` (the page
/// title is the only `h1`), images become links, task-list boxes become text.
fn adjust(event: Event<'_>) -> Event<'_> {
    match event {
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
                "href" if value.starts_with('#') => {
                    Some(format!("#{ID_PREFIX}{}", &value[1..]).into())
                }
                _ => Some(value.into()),
            });
        builder
    })
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
            let html = to_safe_html(source);
            assert!(!html.to_lowercase().contains("href=\"javascript"), "{source} -> {html}");
            assert!(!html.contains("href=\"data:"), "{source} -> {html}");
            assert!(!html.contains("href=\"vbscript"), "{source} -> {html}");
        }
    }

    #[test]
    fn safe_links_survive_with_rel() {
        let html = to_safe_html(
            "[a](https://example.org/) [b](mailto:x@example.org) [c](../entry/misp.html)",
        );
        assert!(html.contains("href=\"https://example.org/\""), "{html}");
        assert!(html.contains("href=\"mailto:x@example.org\""), "{html}");
        assert!(html.contains("href=\"../entry/misp.html\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer nofollow ugc\""), "{html}");
    }

    #[test]
    fn raw_html_scripts_handlers_and_styles_are_removed() {
        let html = to_safe_html(
            "<script>alert(1)</script><img src=x onerror=alert(1)><iframe src=x></iframe>\
             <p style=\"background:url(javascript:alert(1))\" onclick=\"x()\">t</p>",
        );
        for bad in ["<script", "onerror", "<iframe", "style=", "onclick"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
    }

    #[test]
    fn images_become_links_so_no_third_party_request_is_made() {
        let html = to_safe_html("![diagram](https://example.org/a.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("<a href=\"https://example.org/a.png\""), "{html}");
        assert!(html.contains(">diagram</a>"), "{html}");
    }

    #[test]
    fn code_is_shown_literally() {
        let html = to_safe_html("```\n<author@example.org></code></pre><script>x</script>\n```\n");
        assert!(html.contains("&lt;author@example.org&gt;"), "{html}");
        assert!(!html.contains("<script"), "{html}");
    }

    #[test]
    fn footnote_links_point_at_their_prefixed_ids() {
        let html = to_safe_html("Text[^a].\n\n[^a]: The note.\n");
        assert!(html.contains("href=\"#fn-a\""), "{html}");
        assert!(html.contains("id=\"fn-a\""), "{html}");
    }

    #[test]
    fn top_level_headings_become_second_level() {
        assert_eq!(to_safe_html("# Title").trim(), "<h2>Title</h2>");
    }

    #[test]
    fn heading_attribute_syntax_is_plain_text() {
        let html = to_safe_html("## Heading {#intro .lead onclick=alert(1)}");
        assert!(html.starts_with("<h2>Heading {#intro"), "{html}");
    }
}
