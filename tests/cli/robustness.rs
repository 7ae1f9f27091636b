//! Property tests: random and mutated entry files never make the loader or
//! the `check` and render pipeline panic, and no body, however strange,
//! publishes a script or a `javascript:` link.
//!
//! CI runs proptest's default 256 cases per property (a few seconds). For a
//! longer run, set `PROPTEST_CASES`, e.g.
//! `PROPTEST_CASES=200000 cargo test --release --test cli robustness`.

use std::fs;
use std::path::Path;

use proptest::prelude::*;

use super::copy_tree;

/// A valid entry to mutate.
const VALID: &str = include_str!("../fixtures/valid/entries/tools/sample-sandbox.md");

/// Fragments that have broken YAML, Markdown or HTML handling somewhere.
const PIECES: &[&str] = &[
    "---",
    "---\n",
    "----\n",
    "\n",
    "\r\n",
    "\r",
    "\t",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!binary ",
    "!tag ",
    "? ",
    "|\n",
    ">-\n",
    "\u{feff}",
    "\"",
    "'",
    "\\",
    "#",
    "%",
    "%2F..",
    "../",
    "..\\",
    "\0",
    "\u{202e}",
    "é",
    "e\u{301}",
    "検索",
    "привет",
    "yes",
    "no",
    "NO",
    "3.10",
    "0x1F",
    "1e400",
    ".nan",
    "~",
    "null",
    "2024-02-30",
    "2024-02-29T25:00",
    "name: x\n",
    "tags: [",
    "categories: []\n",
    "licence: GPL-9\n",
    "homepage: javascript:x\n",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java&#x09;script:a)",
    "![i](data:text/html,x)",
    "<javascript:alert(1)>",
    "[r]: vbscript:x\n[r]\n",
    "[^1]",
    "[^1]: note\n",
    "    ",
    "```",
    "```html\"><script>x</script>\n",
    "## h {#i onclick=x}\n",
    "| a |\n|---|\n",
    "> ",
    "* ",
    "1. ",
    "<!--",
    "-->",
    "<![CDATA[",
    "&#0;",
    "&#x110000;",
];

/// One edit of a file: insert a piece, delete a range, flip a byte, or cut.
#[derive(Debug, Clone)]
enum Edit {
    Insert { at: usize, piece: usize },
    Delete { at: usize, len: usize },
    Flip { at: usize, byte: u8 },
    Cut { at: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<usize>(), any::<usize>()).prop_map(|(at, piece)| Edit::Insert { at, piece }),
        2 => (any::<usize>(), 0usize..40).prop_map(|(at, len)| Edit::Delete { at, len }),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Edit::Flip { at, byte }),
        1 => any::<usize>().prop_map(|at| Edit::Cut { at }),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let len = bytes.len();
        match *edit {
            Edit::Insert { at, piece } => {
                let at = at % (len + 1);
                let piece = PIECES[piece % PIECES.len()].as_bytes();
                bytes.splice(at..at, piece.iter().copied());
            }
            Edit::Delete { at, len: count } if len > 0 => {
                let at = at % len;
                bytes.drain(at..(at + count).min(len));
            }
            Edit::Flip { at, byte } if len > 0 => bytes[at % len] = byte,
            Edit::Cut { at } => bytes.truncate(at % (len + 1)),
            _ => {}
        }
    }
    bytes
}

/// A scratch catalogue with one entry file at `entries/tools/fuzzed.md`.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid"), dir.path());
        Scratch { dir }
    }

    /// Replaces the fuzzed file and runs the whole pipeline in memory.
    fn run(&self, bytes: &[u8]) -> Option<Vec<csirt_commons::render::pages::Page>> {
        fs::write(self.dir.path().join("entries/tools/fuzzed.md"), bytes).unwrap();
        let checked = csirt_commons::check(self.dir.path());
        for problem in checked.problems.into_sorted() {
            // Every problem names a file and says something.
            assert!(!problem.message.is_empty());
            assert!(problem.path.components().count() > 0);
        }
        csirt_commons::render_pages(self.dir.path(), jiff::civil::date(2026, 12, 3))
            .ok()
            .map(|(_, pages)| pages)
    }
}

proptest! {
    #[test]
    fn mutated_entries_never_panic(edits in proptest::collection::vec(edit(), 1..16)) {
        let scratch = Scratch::new();
        scratch.run(&apply(VALID.as_bytes().to_vec(), &edits));
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
        let scratch = Scratch::new();
        let mut framed = b"---\nname: x\n".to_vec();
        framed.extend_from_slice(&bytes);
        scratch.run(&bytes);
        scratch.run(&framed);
    }

    #[test]
    fn no_body_publishes_a_script_or_a_dangerous_link(
        pieces in proptest::collection::vec(any::<usize>(), 0..40),
    ) {
        let scratch = Scratch::new();
        let front = VALID.split("\n---\n").next().unwrap();
        let body: String = pieces.iter().map(|p| PIECES[p % PIECES.len()]).collect();
        let pages = scratch.run(format!("{front}\n---\n{body}").as_bytes());
        let pages = pages.expect("a valid front matter with any body builds");
        let page = pages.iter().find(|p| p.path == "entry/fuzzed.html").unwrap();
        let html = super::without_own_script(&String::from_utf8_lossy(&page.bytes)).to_lowercase();
        prop_assert!(!html.contains("<script"), "{}", html);
        prop_assert!(!html.contains("<svg"), "{}", html);
        for scheme in ["javascript:", "vbscript:", "data:"] {
            prop_assert!(!html.contains(&format!("href=\"{scheme}")), "{}", html);
            prop_assert!(!html.contains(&format!("src=\"{scheme}")), "{}", html);
        }
    }
}
