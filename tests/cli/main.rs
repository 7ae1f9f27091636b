//! The integration tests: they run the real `commons` binary over fixture
//! catalogues (`tests/fixtures/`) and over the real catalogue in `entries/`.

mod cases;
mod site;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn commons(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_commons"));
    command.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    for (key, value) in envs {
        command.env(key, value);
    }
    command.output().expect("the commons binary runs")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn fixture(name: &str) -> String {
    format!("tests/fixtures/{name}")
}

/// Builds `root` into a fresh temporary folder and returns it with the site path.
pub fn build(root: &str, envs: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = commons(&["build", root, "--out", out.to_str().unwrap()], envs);
    assert!(output.status.success(), "build of {root} failed:\n{}", stderr(&output));
    (dir, out)
}

pub fn read(site: &Path, page: &str) -> String {
    fs::read_to_string(site.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

/// Every file under `root`, relative, sorted.
pub fn files(root: &Path) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
        .collect();
    all.sort();
    all
}

/// Copies a folder and everything below it.
pub fn copy_tree(from: &Path, to: &Path) {
    for item in walkdir::WalkDir::new(from) {
        let item = item.unwrap();
        let target = to.join(item.path().strip_prefix(from).unwrap());
        if item.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(item.path(), &target).unwrap();
        }
    }
}
