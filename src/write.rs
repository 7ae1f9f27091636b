//! Stage 4, write: put the rendered pages on disk, all or nothing.
//!
//! Pages are written into a fresh folder beside the output folder; only when
//! every file is written is the old output moved aside and the new one
//! renamed into its place. A build that fails at any point leaves the
//! previous site exactly as it was.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::render::pages::Page;

/// Writes `pages` as the new content of `out`, replacing it atomically.
pub fn publish(pages: &[Page], out: &Path) -> io::Result<()> {
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)?;
    let name =
        out.file_name().ok_or_else(|| invalid("the output folder has no name"))?.to_string_lossy();
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.old-{}", std::process::id()));
    remove_if_present(&staging)?;

    let written = write_all(pages, &staging);
    if let Err(error) = written {
        let _ = fs::remove_dir_all(&staging);
        return Err(error);
    }
    if out.exists() {
        fs::rename(out, &retired)?;
    }
    if let Err(error) = fs::rename(&staging, out) {
        // Put the previous site back before reporting.
        let _ = fs::rename(&retired, out);
        return Err(error);
    }
    remove_if_present(&retired)
}

/// Writes every page under `root`, refusing any path that would leave it.
fn write_all(pages: &[Page], root: &Path) -> io::Result<()> {
    fs::create_dir_all(root)?;
    for page in pages {
        let target = confined(root, &page.path)?;
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder)?;
        }
        fs::write(&target, &page.bytes)?;
    }
    Ok(())
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
    fn publish_replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("stale.html"), "old").unwrap();
        let pages = vec![Page { path: "a/b.html".into(), bytes: b"new".to_vec() }];
        publish(&pages, &out).unwrap();
        assert_eq!(fs::read(out.join("a/b.html")).unwrap(), b"new");
        assert!(!out.join("stale.html").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders must be cleaned up");
    }

    #[test]
    fn a_failed_write_leaves_the_previous_site_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), "previous").unwrap();
        let pages = vec![
            Page { path: "index.html".into(), bytes: b"next".to_vec() },
            Page { path: "../escape.html".into(), bytes: b"x".to_vec() },
        ];
        assert!(publish(&pages, &out).is_err());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"previous");
        assert!(!dir.path().join("escape.html").exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
