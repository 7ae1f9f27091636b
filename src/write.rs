//! Stage 4, write: put the rendered pages on disk, all or nothing.
//!
//! Pages are written into a fresh folder beside the output folder; only when
//! every file is written is the old output moved aside and the new one
//! renamed into its place. A build that fails at any point leaves the
//! previous site exactly as it was.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::render::pages::Page;

/// The file every build leaves at the top of the output folder, so that a
/// later build knows the folder is its own to replace.
pub const MARKER: &str = ".commons-site";

const MARKER_TEXT: &str =
    "This folder is written by `commons build` and replaced whole by the next build.\n";

/// Writes `pages` as the new content of `out`, replacing it atomically.
/// Refuses to replace a folder that `commons` did not build: `--out` must
/// never be able to delete a repository, a catalogue or anything else.
pub fn publish(pages: &[Page], out: &Path) -> io::Result<()> {
    let staging = Staging::begin(out)?;
    pages.iter().for_each(|page| staging.put(page.clone()));
    staging.commit()
}

/// A new site being written beside `out`: pages are put into it as they are
/// made, from any thread, and it replaces `out` only on [`Staging::commit`].
/// Dropped without a commit, it is removed and `out` stays as it was.
///
/// `WRITERS` threads write the files, fed through bounded queues, each
/// folder's files by the same thread: creating a file takes a lock on its
/// folder, so two threads writing into one folder mostly wait for each
/// other, while threads writing into different folders do not. Meanwhile
/// the other cores keep rendering.
pub struct Staging {
    out: PathBuf,
    folder: PathBuf,
    retired: PathBuf,
    queues: Vec<std::sync::mpsc::SyncSender<Page>>,
    writers: Vec<std::thread::JoinHandle<io::Result<()>>>,
    /// A path refused before it reached a writer; a commit fails with it.
    failed: Mutex<Option<io::Error>>,
    committed: bool,
}

/// How many pages may wait for each writer: enough to keep it busy, few
/// enough that memory stays small.
const QUEUE: usize = 128;

/// How many threads write files.
const WRITERS: usize = 2;

impl Staging {
    /// Starts a new site for `out`, after checking that `out` may be
    /// replaced.
    pub fn begin(out: &Path) -> io::Result<Staging> {
        check_replaceable(out)?;
        let parent = match out.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)?;
        let name = out
            .file_name()
            .ok_or_else(|| invalid("the output folder has no name"))?
            .to_string_lossy();
        let folder = parent.join(format!(".{name}.new-{}", std::process::id()));
        let retired = parent.join(format!(".{name}.old-{}", std::process::id()));
        remove_if_present(&folder)?;
        fs::create_dir_all(&folder)?;
        let (queues, writers) = (0..WRITERS).map(|_| writer(folder.clone())).unzip();
        Ok(Staging {
            out: out.to_path_buf(),
            folder,
            retired,
            queues,
            writers,
            failed: Mutex::new(None),
            committed: false,
        })
    }

    /// Queues one page for writing. A path that would leave the folder is
    /// refused, and the failure kept for [`Staging::commit`] to report.
    pub fn put(&self, page: Page) {
        if self.queues.is_empty() {
            return;
        }
        if let Err(error) = confined(&self.folder, &page.path) {
            self.failed.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(error);
            return;
        }
        let folder = page.path.rsplit_once('/').map_or("", |(folder, _)| folder);
        let queue =
            &self.queues[std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, folder)
                as usize
                % self.queues.len()];
        if queue.send(page).is_err() {
            let error = io::Error::other("the writer stopped");
            self.failed.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(error);
        }
    }

    /// Waits for every writer to finish; the first error, if any.
    fn finish_writing(&mut self) -> io::Result<()> {
        self.queues.clear();
        let mut outcome = Ok(());
        for writer in self.writers.drain(..) {
            let written =
                writer.join().unwrap_or_else(|_| Err(io::Error::other("a writer crashed")));
            if outcome.is_ok() {
                outcome = written;
            }
        }
        outcome
    }

    /// Waits for every page to be written, then swaps the new site in
    /// place of `out`, unless a write failed.
    pub fn commit(mut self) -> io::Result<()> {
        self.finish_writing()?;
        if let Some(error) = self.failed.lock().unwrap_or_else(|e| e.into_inner()).take() {
            return Err(error);
        }
        fs::write(self.folder.join(MARKER), MARKER_TEXT)?;
        if self.out.exists() {
            fs::rename(&self.out, &self.retired)?;
        }
        if let Err(error) = fs::rename(&self.folder, &self.out) {
            // Put the previous site back before reporting.
            let _ = fs::rename(&self.retired, &self.out);
            return Err(error);
        }
        self.committed = true;
        remove_if_present(&self.retired)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // The writers must finish before their folder can be removed.
        let _ = self.finish_writing();
        if !self.committed {
            let _ = fs::remove_dir_all(&self.folder);
        }
    }
}

/// A thread that writes the pages it is sent into `root`, and its queue.
fn writer(
    root: PathBuf,
) -> (std::sync::mpsc::SyncSender<Page>, std::thread::JoinHandle<io::Result<()>>) {
    let (queue, pages) = std::sync::mpsc::sync_channel::<Page>(QUEUE);
    let thread = std::thread::spawn(move || {
        let mut made = std::collections::HashSet::new();
        let mut first_error = None;
        for page in pages {
            let written = confined(&root, &page.path).and_then(|target| {
                if let Some(parent) = target.parent()
                    && !made.contains(parent)
                {
                    fs::create_dir_all(parent)?;
                    made.insert(parent.to_path_buf());
                }
                fs::write(&target, &page.bytes)
            });
            if let Err(error) = written {
                first_error.get_or_insert(error);
            }
        }
        first_error.map_or(Ok(()), Err)
    });
    (queue, thread)
}

/// Whether `out` may be replaced: it does not exist, is an empty folder, or
/// is a site an earlier build wrote (it has the marker, or, from before the
/// marker existed, an `index.html` and nothing that belongs to a source
/// repository).
fn check_replaceable(out: &Path) -> io::Result<()> {
    let metadata = match fs::symlink_metadata(out) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        other => other?,
    };
    if !metadata.is_dir() {
        return Err(invalid(&format!("`{}` exists and is not a folder", out.display())));
    }
    let names: Vec<String> = fs::read_dir(out)?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()?;
    let has = |name: &str| names.iter().any(|n| n == name);
    let source_like =
        ["entries", ".git", "Cargo.toml", "commons.yaml", "src"].iter().any(|n| has(n));
    if names.is_empty() || has(MARKER) || (has("index.html") && !source_like) {
        Ok(())
    } else {
        Err(invalid(&format!(
            "refusing to replace `{}`: it is not empty and was not built by commons; choose an empty or new folder for --out",
            out.display()
        )))
    }
}

/// Replaces one file of the built site at `out` in place: written beside
/// its old version, then renamed over it, so a reader gets one or the other
/// whole. `commons serve` shows an edited entry this way before the whole
/// site is rebuilt. Only a folder this tool built is written into.
pub fn replace_one(out: &Path, page: &Page) -> io::Result<()> {
    if !out.join(MARKER).is_file() {
        return Err(invalid(&format!("`{}` is not a site built by commons", out.display())));
    }
    let target = confined(out, &page.path)?;
    let mut beside = target.clone().into_os_string();
    beside.push(".commons-new");
    let beside = PathBuf::from(beside);
    fs::write(&beside, &page.bytes)?;
    fs::rename(&beside, &target).inspect_err(|_| {
        let _ = fs::remove_file(&beside);
    })
}

/// `root/relative`, provided `relative` only names folders below `root`.
fn confined(root: &Path, relative: &str) -> io::Result<PathBuf> {
    let path = Path::new(relative);
    let inside = !relative.is_empty()
        && !relative.contains('\\')
        && path.components().all(|c| matches!(c, Component::Normal(_)));
    if inside {
        Ok(root.join(path))
    } else {
        Err(invalid(&format!("refusing to write outside the output folder: `{relative}`")))
    }
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_dir_all(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_output_folder_are_refused() {
        let root = Path::new("/tmp/out");
        for bad in ["../x.html", "/etc/passwd", "a/../../x", "", "a\\..\\x", "./x"] {
            assert!(confined(root, bad).is_err(), "{bad}");
        }
        assert_eq!(confined(root, "entry/misp.html").unwrap(), root.join("entry/misp.html"));
    }

    #[test]
    fn publish_refuses_to_replace_a_folder_it_did_not_build() {
        let dir = tempfile::tempdir().unwrap();
        let repository = dir.path().join("repo");
        fs::create_dir_all(repository.join("entries")).unwrap();
        fs::write(repository.join("NOTES.txt"), "keep me").unwrap();
        let pages = vec![Page { path: "index.html".into(), bytes: b"x".to_vec() }];
        let error = publish(&pages, &repository).unwrap_err();
        assert!(error.to_string().contains("refusing to replace"), "{error}");
        assert!(publish(&pages, &repository.join("entries")).is_ok(), "an empty folder is fine");
        assert_eq!(fs::read(repository.join("NOTES.txt")).unwrap(), b"keep me");
        let file = dir.path().join("site");
        fs::write(&file, "x").unwrap();
        assert!(publish(&pages, &file).unwrap_err().to_string().contains("is not a folder"));
        assert_eq!(fs::read(&file).unwrap(), b"x");
    }

    #[test]
    fn publish_replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("stale.html"), "old").unwrap();
        fs::write(out.join(MARKER), "").unwrap();
        let pages = vec![Page { path: "a/b.html".into(), bytes: b"new".to_vec() }];
        publish(&pages, &out).unwrap();
        assert_eq!(fs::read(out.join("a/b.html")).unwrap(), b"new");
        assert!(!out.join("stale.html").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders must be cleaned up");
        assert!(out.join(MARKER).is_file());
    }

    #[test]
    fn a_failed_write_leaves_the_previous_site_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), "previous").unwrap();
        fs::write(out.join(MARKER), "").unwrap();
        let pages = vec![
            Page { path: "index.html".into(), bytes: b"next".to_vec() },
            Page { path: "../escape.html".into(), bytes: b"x".to_vec() },
        ];
        assert!(publish(&pages, &out).is_err());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"previous");
        assert!(out.join(MARKER).is_file());
        assert!(!dir.path().join("escape.html").exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
