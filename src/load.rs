//! Stage 1, load: find the catalogue's files and read each into raw data.
//!
//! Walks `entries/` with walkdir, reads each file as UTF-8, splits the YAML
//! front matter from the Markdown body and deserialises the YAML with
//! serde-saphyr into the permissive raw structs of [`crate::model`], whose
//! values keep their line and column. Nothing here judges the values; that
//! is [`crate::validate`]'s job. Problems become [`Diagnostic`]s, never panics.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::entry::RawEntry;
use crate::model::evaluation::RawEvaluation;
use crate::model::org::RawOrg;
use crate::model::playbook::RawPlaybook;
use crate::model::rubric::RawRubric;
use crate::model::taxonomy::RawTerm;

/// The largest file read, in bytes. Larger files are refused unread.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The largest front matter accepted, in bytes.
pub const MAX_FRONT_MATTER_BYTES: usize = 16 * 1024;

/// A file whose front matter parsed into the raw struct `T`.
#[derive(Debug)]
pub struct Loaded<T> {
    /// The file, relative to the working directory as the user named it.
    pub path: PathBuf,
    /// The slug: the file name without `.md`.
    pub stem: String,
    /// The front matter, not yet validated.
    pub raw: T,
    /// The Markdown body after the closing `---`.
    pub body: Body,
}

/// The Markdown body of a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    /// The text, with CR LF turned into LF and control characters other
    /// than tab and newline removed (they have no business in a page).
    pub text: String,
    /// The line of the file on which the body starts (counted from 1).
    pub line: usize,
}

impl Body {
    fn new(raw: &str, line: usize) -> Self {
        // Dropping every `\r` turns CR LF into LF. One allocation of the
        // right size: bodies are most of a catalogue's memory, and a string
        // collected from characters could hold up to twice its length.
        let mut text = String::with_capacity(raw.len());
        text.extend(raw.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')));
        Body { text, line }
    }
}

/// Everything read from `entries/`, before validation.
#[derive(Debug, Default)]
pub struct RawCatalogue {
    /// Files from `entries/tools/`.
    pub tools: Vec<Loaded<RawEntry>>,
    /// Files from `entries/data/`.
    pub data: Vec<Loaded<RawEntry>>,
    /// Files from `entries/orgs/`.
    pub orgs: Vec<Loaded<RawOrg>>,
    /// The slug of every entry file in `entries/tools/` and `entries/data/`,
    /// including files that could not be parsed: an evaluation of such an
    /// entry is not reported as naming an unknown entry.
    pub entry_stems: std::collections::BTreeSet<String>,
    /// Whether `entries/orgs/` is a real folder that could be read; when it
    /// is not, that is reported once and references to organisations are
    /// not reported again for every entry.
    pub orgs_readable: bool,
    /// `entries/taxonomy/categories.yaml`.
    pub categories: Option<(PathBuf, Vec<RawTerm>)>,
    /// `entries/taxonomy/incident-classes.yaml`.
    pub incident_classes: Option<(PathBuf, Vec<RawTerm>)>,
    /// `entries/taxonomy/phases.yaml`.
    pub phases: Option<(PathBuf, Vec<RawTerm>)>,
    /// Files from `entries/rubrics/`, with their file stems.
    pub rubrics: Vec<(PathBuf, String, RawRubric)>,
    /// Files from `entries/evaluations/<entry>/`.
    pub evaluations: Vec<Loaded<RawEvaluation>>,
    /// Files from `entries/playbooks/`.
    pub playbooks: Vec<Loaded<RawPlaybook>>,
}

/// Reads the whole catalogue under `entries`, collecting every problem.
pub fn load_catalogue(entries: &Path, problems: &mut Diagnostics) -> RawCatalogue {
    let mut catalogue = RawCatalogue::default();
    if !entries.is_dir() {
        problems.push(
            Diagnostic::file(entries, "the catalogue folder does not exist")
                .hint("run `commons` from the repository root, or name the root as an argument"),
        );
        return catalogue;
    }
    if is_symlink(entries) {
        problems.push(symlink_problem(entries));
        return catalogue;
    }
    // The folders are read side by side: each parses its files in
    // parallel, and while one folder's last files are parsed, the other
    // thread takes on another folder. Problems are sorted when reported,
    // so their order here does not matter.
    let folder = |name: &str| entries.join(name);
    let (((unexpected, stems), (tools, data)), (orgs, evaluations)) = rayon::join(
        || {
            rayon::join(
                || {
                    let mut found = Diagnostics::default();
                    report_unexpected_files(entries, &mut found);
                    (found, entry_stems(entries))
                },
                || rayon::join(|| loaded(&folder("tools"), 1), || loaded(&folder("data"), 1)),
            )
        },
        || rayon::join(|| loaded(&folder("orgs"), 1), || loaded(&folder("evaluations"), 2)),
    );
    problems.extend(unexpected.into_sorted());
    catalogue.entry_stems = stems;
    for ((files, found), into) in [(tools, &mut catalogue.tools), (data, &mut catalogue.data)] {
        *into = files;
        problems.extend(found.into_sorted());
    }
    let orgs_folder = folder("orgs");
    catalogue.orgs_readable = orgs_folder.is_dir() && !is_symlink(&orgs_folder);
    catalogue.orgs = orgs.0;
    problems.extend(orgs.1.into_sorted());

    let taxonomy = entries.join("taxonomy");
    catalogue.categories = load_yaml_file(&taxonomy.join("categories.yaml"), problems);
    catalogue.incident_classes = load_yaml_file(&taxonomy.join("incident-classes.yaml"), problems);
    catalogue.phases = load_yaml_file(&taxonomy.join("phases.yaml"), problems);

    for path in files_with_extension(&entries.join("rubrics"), "yaml", 1, problems) {
        if let Some((path, raw)) = load_yaml_file(&path, problems) {
            let stem =
                path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            catalogue.rubrics.push((path, stem, raw));
        }
    }
    catalogue.evaluations = evaluations.0;
    problems.extend(evaluations.1.into_sorted());
    // A handful of files: no need to read them beside the others.
    let (playbooks, found) = loaded(&folder("playbooks"), 1);
    catalogue.playbooks = playbooks;
    problems.extend(found.into_sorted());
    catalogue
}

/// The slugs of the files in `tools/` and `data/`, valid or not, so that an
/// evaluation of an entry whose file has problems is not blamed as well.
fn entry_stems(entries: &Path) -> std::collections::BTreeSet<String> {
    let mut stems = std::collections::BTreeSet::new();
    for folder in ["tools", "data"] {
        let listed = fs::read_dir(entries.join(folder)).into_iter().flatten().flatten();
        stems.extend(listed.filter_map(|item| {
            let path = item.path();
            let is_md = path.extension().is_some_and(|e| e == "md");
            is_md.then(|| path.file_stem().map(|s| s.to_string_lossy().into_owned())).flatten()
        }));
    }
    stems
}

/// The `.md` files at most `depth` levels below `folder`, loaded, with the
/// problems found.
fn loaded<T: DeserializeOwned + Send>(
    folder: &Path,
    depth: usize,
) -> (Vec<Loaded<T>>, Diagnostics) {
    let mut found = Diagnostics::default();
    let files = load_markdown_files(folder, depth, &mut found);
    (files, found)
}

/// Loads every `.md` file at most `depth` levels below a folder.
fn load_markdown_files<T: DeserializeOwned + Send>(
    folder: &Path,
    depth: usize,
    problems: &mut Diagnostics,
) -> Vec<Loaded<T>> {
    // Files are read and parsed in parallel; results keep the sorted order
    // of the paths, so problems and output do not depend on thread timing.
    let paths = files_with_extension(folder, "md", depth, problems);
    let results: Vec<Result<Loaded<T>, Diagnostics>> =
        paths.par_iter().map(|path| load_markdown_file(path)).collect();
    let mut loaded = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(file) => loaded.push(file),
            Err(found) => problems.extend(found.into_sorted()),
        }
    }
    loaded
}

/// Reads and parses one Markdown file with front matter.
pub fn load_markdown_file<T: DeserializeOwned>(path: &Path) -> Result<Loaded<T>, Diagnostics> {
    let mut found = Diagnostics::default();
    let Some(text) = read_text(path, &mut found) else { return Err(found) };
    parse_markdown(path, &text).map_err(|problem| {
        found.push(problem);
        found
    })
}

/// The files at most `depth` levels below a folder whose names end in
/// `.{extension}`, sorted by path. Symbolic links are refused: a pull
/// request could point one anywhere.
fn files_with_extension(
    folder: &Path,
    extension: &str,
    depth: usize,
    problems: &mut Diagnostics,
) -> Vec<PathBuf> {
    if is_symlink(folder) {
        problems.push(symlink_problem(folder));
        return Vec::new();
    }
    if !folder.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let walk = WalkDir::new(folder).follow_links(false).max_depth(depth).sort_by_file_name();
    for item in
        walk.into_iter().filter_entry(|e| e.depth() == 0 || !is_editor_leftover(e.file_name()))
    {
        let item = match item {
            Ok(item) => item,
            Err(error) => {
                let path = error.path().unwrap_or(folder).to_path_buf();
                problems.push(Diagnostic::file(&path, format!("cannot read: {error}")));
                continue;
            }
        };
        let path = item.path();
        if item.path_is_symlink() {
            problems.push(symlink_problem(path));
        } else if item.file_type().is_file() && path.extension().is_some_and(|e| e == extension) {
            files.push(path.to_path_buf());
        }
    }
    files
}

/// What may stand where in `entries/`: (folder, what its files must be, and
/// whether it holds one level of subfolders).
const LAYOUT: [(&str, &str, bool); 7] = [
    ("tools", "md", false),
    ("data", "md", false),
    ("orgs", "md", false),
    ("evaluations", "md", true),
    ("rubrics", "yaml", false),
    ("taxonomy", "yaml", false),
    ("playbooks", "md", false),
];

/// Whether a file or folder in `entries/` is no part of the catalogue:
/// hidden ones (`.gitkeep`, `.DS_Store`, vim's `.misp.md.swp`, Emacs's
/// `.#misp.md` lock) and the ones editors leave while or after saving
/// (Emacs's `misp.md~` backup and `#misp.md#` auto-save, vim's `4913`
/// probe). Git ignores nothing of this by itself, but a contributor's editor
/// makes them while `commons serve` is running, and they must not break it.
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.') || is_editor_leftover(name)
}

/// Whether a file is one an editor leaves while or after saving. Unlike
/// other hidden files, which are loaded if they end in `.md` (and then
/// refused for their name), these are never read.
fn is_editor_leftover(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with(".#")
        || name.ends_with('~')
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
}

/// Reports every file or folder in `entries/` that no stage would read, so
/// that a misspelt name (`tool/`, `x.MD`, `y.markdown`) is never silently
/// left out of the site. Files that [`is_ignored`] are not reported.
fn report_unexpected_files(entries: &Path, problems: &mut Diagnostics) {
    let walk =
        WalkDir::new(entries).follow_links(false).min_depth(1).max_depth(3).sort_by_file_name();
    for item in walk.into_iter().filter_entry(|e| !is_ignored(e.file_name())) {
        let Ok(item) = item else { continue };
        if item.path_is_symlink() {
            continue; // reported by the loaders
        }
        let relative = item.path().strip_prefix(entries).unwrap_or(item.path());
        let parts: Vec<String> =
            relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let is_dir = item.file_type().is_dir();
        let layout = LAYOUT.iter().find(|(folder, _, _)| *folder == parts[0]);
        let expected = match (layout, parts.len(), is_dir) {
            (Some(_), 1, true) => true,
            (None, 1, false) => parts[0] == "README.md",
            (Some((_, _, true)), 2, true) => true,
            (Some((_, extension, nested)), depth, false) => {
                depth == if *nested { 3 } else { 2 }
                    && item.path().extension().is_some_and(|e| e == *extension)
            }
            _ => false,
        };
        if !expected {
            let what = if is_dir { "folder" } else { "file" };
            problems.push(
                Diagnostic::file(
                    item.path(),
                    format!("unexpected {what}: nothing in the catalogue reads it"),
                )
                .hint(layout_hint(&parts[0])),
            );
        }
    }
}

fn layout_hint(top: &str) -> String {
    match LAYOUT.iter().find(|(folder, _, _)| *folder == top) {
        Some(("evaluations", _, _)) => "evaluations go in `entries/evaluations/<entry>/<date>-<evaluator>.md`".into(),
        Some((folder, extension, _)) => format!("files in `entries/{folder}/` end in `.{extension}`, with no subfolders"),
        None => "the catalogue has `tools/`, `data/`, `orgs/`, `evaluations/`, `rubrics/`, `taxonomy/` and `playbooks/`".into(),
    }
}

/// Whether `path` itself is a symbolic link (not followed).
fn is_symlink(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Symbolic links are refused everywhere in the catalogue: a pull request
/// can carry one that points at any file on the build machine.
fn symlink_problem(path: &Path) -> Diagnostic {
    Diagnostic::file(path, "symbolic links are not allowed in the catalogue")
        .hint("replace the link with the file itself")
}

/// Reads a file as UTF-8 text, refusing oversized files and naming the first
/// invalid byte of a file that is not UTF-8.
fn read_text(path: &Path, problems: &mut Diagnostics) -> Option<String> {
    let size = fs::symlink_metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES {
        problems.push(
            Diagnostic::file(
                path,
                format!("file is {size} bytes, over the limit of {MAX_FILE_BYTES}"),
            )
            .hint("entries are short: move long material to the project's own site and link it"),
        );
        return None;
    }
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            problems.push(Diagnostic::file(path, format!("cannot read: {error}")));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            let bytes = error.as_bytes();
            let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
            problems.push(
                Diagnostic::file(
                    path,
                    format!(
                        "not valid UTF-8 at line {line}, byte offset {offset} (0x{:02X})",
                        bytes[offset]
                    ),
                )
                .hint("save the file as UTF-8 in your editor"),
            );
            None
        }
    }
}

/// The parts of a Markdown file with front matter.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the delimiters.
    pub yaml: &'a str,
    /// The line of the file on which the YAML starts (counted from 1).
    pub yaml_line: usize,
    /// Everything after the closing delimiter's line.
    pub body: &'a str,
    /// The line of the file on which the body starts.
    pub body_line: usize,
}

/// Whether a line is a front-matter delimiter: exactly `---`, optionally
/// followed by blanks (and the `\r` of a CR LF ending).
fn is_delimiter(line: &str) -> bool {
    line.strip_prefix("---").is_some_and(|rest| rest.trim_end_matches([' ', '\t', '\r']).is_empty())
}

/// Whether a line looks like a mistyped delimiter (`----`, `-- -`, `---x`).
fn looks_like_delimiter(line: &str) -> bool {
    let line = line.trim_end();
    !is_delimiter(line) && line.starts_with("--") && line.len() <= 8
}

/// Splits front matter from body. The first line must be a delimiter (after
/// an optional byte-order mark); the block ends at the next line that is a
/// delimiter at column 1, so `---` inside a value or a body rule is safe.
pub fn split_front_matter(text: &str) -> Result<Split<'_>, (usize, String, Option<String>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err((1, "empty file: no front matter".into(), Some(new_file_hint())));
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if !is_delimiter(first.trim_end_matches('\n')) {
        return Err((1, "the file does not start with a `---` line".into(), Some(new_file_hint())));
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (index, line) in lines.enumerate() {
        if is_delimiter(line.trim_end_matches('\n')) {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + line.len()..],
                body_line: index + 3,
            });
        }
        if looks_like_delimiter(line) {
            return Err((
                index + 2,
                format!("malformed closing delimiter `{}`", line.trim_end()),
                Some("the front matter must end with a line that is exactly `---`".into()),
            ));
        }
        offset += line.len();
    }
    Err((
        1,
        "the front matter is never closed".into(),
        Some("add a line `---` after the last field".into()),
    ))
}

fn new_file_hint() -> String {
    "each Markdown file here (an entry, organisation, evaluation or playbook note) starts with a line `---`, \
     then its fields, then `---`; copy an existing file of the same kind"
        .into()
}

/// Splits and deserialises one Markdown file.
fn parse_markdown<T: DeserializeOwned>(path: &Path, text: &str) -> Result<Loaded<T>, Diagnostic> {
    let split = split_front_matter(text).map_err(|(line, message, hint)| {
        let problem = Diagnostic::at(path, line, 1, message);
        match hint {
            Some(hint) => problem.hint(hint),
            None => problem,
        }
    })?;
    let raw = parse_yaml(path, split.yaml, split.yaml_line)?;
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let body = Body::new(split.body, split.body_line);
    Ok(Loaded { path: path.to_path_buf(), stem, raw, body })
}

/// Reads a whole YAML file (a taxonomy or a rubric) into `T`.
fn load_yaml_file<T: DeserializeOwned>(
    path: &Path,
    problems: &mut Diagnostics,
) -> Option<(PathBuf, T)> {
    if is_symlink(path) {
        problems.push(symlink_problem(path));
        return None;
    }
    if !path.is_file() {
        problems.push(Diagnostic::file(path, "missing taxonomy file"));
        return None;
    }
    let text = read_text(path, problems)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match parse_yaml(path, text, 1) {
        Ok(value) => Some((path.to_path_buf(), value)),
        Err(problem) => {
            problems.push(problem);
            None
        }
    }
}

/// Deserialises YAML that starts on line `first_line` of `path`, with the
/// strict options every catalogue file gets.
pub(crate) fn parse_yaml<T: DeserializeOwned>(
    path: &Path,
    yaml: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    if first_line > 1 && yaml.len() > MAX_FRONT_MATTER_BYTES {
        return Err(Diagnostic::at(
            path,
            first_line,
            1,
            format!(
                "front matter is {} bytes, over the limit of {MAX_FRONT_MATTER_BYTES}",
                yaml.len()
            ),
        ));
    }
    // An empty block is an empty mapping, so each required field is then
    // reported missing by name.
    let yaml = if yaml.trim().is_empty() { "{}" } else { yaml };
    // Only what a reviewer sees in the diff may reach the site: no anchors or
    // aliases, no merge keys, no custom tags, and `!!binary` is not decoded.
    let options = serde_saphyr::options! {
        strict_booleans: true,
        budget: serde_saphyr::budget! { max_aliases: 0, max_anchors: 0 },
        merge_keys: serde_saphyr::options::MergeKeyPolicy::Error,
        reject_unsupported_tags: true,
        reject_tagged_field_names: true,
        ignore_binary_tag_for_string: true,
    };
    serde_saphyr::from_str_with_options(yaml, options).map_err(|error| {
        let (line, column) =
            error.location().map(|l| (l.line() as usize, l.column() as usize)).unwrap_or((1, 1));
        let message = yaml_message(&error);
        let problem = Diagnostic::at(path, line + first_line - 1, column, message.clone());
        match yaml_hint(&message) {
            Some(hint) => problem.hint(hint),
            None => problem,
        }
    })
}

/// The parser's message without its own location suffix, since the
/// diagnostic prints the location counted in the whole file.
fn yaml_message(error: &serde_saphyr::Error) -> String {
    let text = error.without_snippet().to_string();
    let text = match text.rfind(" at line ") {
        Some(at) if text[at..].contains("column") => text[..at].to_string(),
        _ => text,
    };
    if text.starts_with("budget breached: Anchors") || text.starts_with("budget breached: Aliases")
    {
        return "anchors and aliases are not allowed".into();
    }
    if text.contains("cannot deserialize null into string") {
        return "an empty value (`~`, `null` or nothing) where text is needed".into();
    }
    let text = text.replace(", set DuplicateKeyPolicy in Options if acceptable", "");
    match text.strip_prefix("duplicate mapping key: ") {
        Some(key) => format!("duplicate key `{key}`"),
        None => text,
    }
}

/// "did you mean `licence`?" for serde's "unknown field `license`,
/// expected one of `name`, …", when one expected field is near.
fn nearest_field(message: &str) -> Option<String> {
    let (_, rest) = message.split_once("unknown field `")?;
    let (wrong, rest) = rest.split_once('`')?;
    let (_, list) = rest.split_once("expected one of ")?;
    let expected: std::collections::BTreeSet<String> =
        list.split(", ").map(|field| field.trim().trim_matches('`').to_string()).collect();
    let near = crate::model::entry::closest(wrong, &expected)?;
    Some(format!("did you mean `{near}`? the fields are listed in README.md"))
}

/// A hint for the YAML mistakes contributors make most.
fn yaml_hint(message: &str) -> Option<String> {
    let hint = if message.contains("mapping values are not allowed") {
        "a value that contains `: ` must be quoted, e.g. `name: \"Part 2: The Return\"`; also check the line's indentation"
    } else if message.contains("tab") {
        "YAML forbids tabs for indentation: indent with spaces"
    } else if message.contains("unknown field") {
        if let Some(hint) = nearest_field(message) {
            return Some(hint);
        }
        "check the spelling; the fields are listed in README.md"
    } else if message.contains("duplicate key") {
        "each field may appear only once: remove one of them"
    } else if message.contains("recursion limit") {
        "values are nested too deeply: entries need at most a list of words"
    } else if message.contains("alias") || message.contains("anchor") {
        "anchors and aliases (`&name`, `*name`) are not allowed: write the value out"
    } else if message.contains("expected sequence") {
        "this field takes a list: write `[first, second]`"
    } else if message.contains("expected string") || message.contains("unexpected character") {
        "quote the value with double quotes"
    } else if message.contains("empty value") {
        "write the value, or remove the line"
    } else if message.contains("simple key")
        || message.contains("did not find expected")
        || message.contains("expected mapping")
    {
        "each line is `field: value` with a space after the colon, and the front matter ends with a line `---`"
    } else if message.contains("tag") || message.contains("merge") {
        "YAML tags (`!name`) and merge keys (`<<`) are not allowed: write the value out"
    } else {
        return None;
    };
    Some(hint.into())
}

/// The line and column of a spanned value, counted in the whole file.
pub fn position<T>(value: &Spanned<T>, yaml_line: usize) -> (usize, usize) {
    (value.referenced.line() as usize + yaml_line - 1, value.referenced.column() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_field_gets_the_nearest_known_one() {
        let message = "unknown field `license`, expected one of name, licence, kind";
        assert_eq!(
            yaml_hint(message).as_deref(),
            Some("did you mean `licence`? the fields are listed in README.md")
        );
        let far = "unknown field `colour`, expected one of name, licence";
        assert_eq!(
            yaml_hint(far).as_deref(),
            Some("check the spelling; the fields are listed in README.md")
        );
    }

    #[test]
    fn split_finds_block_and_body() {
        let split = split_front_matter("---\na: 1\n---\nbody\n").unwrap();
        assert_eq!(split.yaml, "a: 1\n");
        assert_eq!(split.body, "body\n");
        assert_eq!(split.body_line, 4);
    }

    #[test]
    fn split_strips_byte_order_mark() {
        let split = split_front_matter("\u{feff}---\na: 1\n---\n").unwrap();
        assert_eq!(split.yaml, "a: 1\n");
    }

    #[test]
    fn split_accepts_crlf_and_trailing_blanks_on_delimiters() {
        let split = split_front_matter("--- \r\na: 1\r\n---\t\r\nbody\r\n").unwrap();
        assert_eq!(split.yaml, "a: 1\r\n");
        assert_eq!(split.body, "body\r\n");
    }

    #[test]
    fn body_turns_crlf_into_lf_and_drops_control_characters_but_not_tabs() {
        let body = Body::new("one\r\ntwo\u{7}\tthree\rfour\u{1b}[0m\n", 5);
        assert_eq!(body.text, "one\ntwo\tthreefour[0m\n");
        assert_eq!(body.line, 5);
        assert_eq!(Body::new("plain\n", 1).text.capacity(), "plain\n".len());
    }

    #[test]
    fn split_ignores_dashes_inside_values_and_later_rules() {
        let text = "---\ntitle: a --- b\n---\none\n\n---\n\ntwo\n";
        let split = split_front_matter(text).unwrap();
        assert_eq!(split.yaml, "title: a --- b\n");
        assert_eq!(split.body, "one\n\n---\n\ntwo\n");
    }

    #[test]
    fn split_points_at_mistyped_closing_delimiter() {
        let error = split_front_matter("---\na: 1\nb: 2\n----\nbody\n").unwrap_err();
        assert_eq!(error.0, 4);
        assert!(error.1.contains("malformed closing delimiter"), "{}", error.1);
    }

    fn parse_entry(text: &str) -> Result<Loaded<RawEntry>, Diagnostic> {
        parse_markdown(Path::new("x.md"), text)
    }

    #[test]
    fn deep_nesting_is_refused_with_a_location() {
        let text = format!("---\ntags: {}a{}\n---\n", "[".repeat(5_000), "]".repeat(5_000));
        let problem = parse_entry(&text).unwrap_err();
        assert_eq!(problem.line, Some(2));
        assert!(problem.message.contains("recursion limit"), "{problem}");
    }

    #[test]
    fn oversized_front_matter_is_refused_before_parsing() {
        let text = format!("---\nname: x\n{}---\n", "# padding\n".repeat(2000));
        let problem = parse_entry(&text).unwrap_err();
        assert!(problem.message.starts_with("front matter is 20"), "{problem}");
        assert!(problem.message.ends_with("over the limit of 16384"), "{problem}");
    }

    #[test]
    fn anchors_are_refused_even_when_unused() {
        let problem = parse_entry("---\nname: &n x\n---\n").unwrap_err();
        assert_eq!(problem.message, "anchors and aliases are not allowed");
        assert_eq!((problem.line, problem.column), (Some(2), Some(10)));
    }

    #[test]
    fn tags_and_merge_keys_cannot_hide_what_a_reviewer_sees() {
        let custom = parse_entry("---\nname: !custom hello\n---\n").unwrap_err();
        assert_eq!(custom.line, Some(2), "{custom}");
        let merge = parse_entry("---\nname: x\n<<: {summary: hidden}\n---\n").unwrap_err();
        assert_eq!(merge.line, Some(3), "{merge}");
        let binary = parse_entry("---\nname: !!binary PHNjcmlwdD4=\n---\n").unwrap();
        assert_eq!(binary.raw.name.unwrap().value, "PHNjcmlwdD4=", "never decoded");
    }

    #[test]
    fn version_like_and_yaml_1_1_words_stay_strings() {
        let loaded = parse_entry("---\nname: 3.10\ntags: [no, on, NO, 1e3]\n---\n").unwrap();
        assert_eq!(loaded.raw.name.unwrap().value, "3.10");
        let tags: Vec<String> = loaded.raw.tags.into_iter().map(|t| t.value).collect();
        assert_eq!(tags, ["no", "on", "NO", "1e3"]);
    }

    #[test]
    fn split_reports_empty_and_unclosed_files() {
        assert!(split_front_matter("").unwrap_err().1.starts_with("empty file"));
        assert!(split_front_matter("---\na: 1\n").unwrap_err().1.contains("never closed"));
        assert!(split_front_matter("a: 1\n").unwrap_err().1.contains("does not start"));
    }
}
