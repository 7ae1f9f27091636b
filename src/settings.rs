//! Site settings: the small `commons.yaml` file at the repository root.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// The name of the settings file at the repository root.
pub const FILE_NAME: &str = "commons.yaml";

/// Settings for the whole site.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `title`: the site's name, shown on every page.
    pub title: String,
    /// `description`: one sentence on what the site is, for the home page
    /// and page metadata.
    pub description: String,
    /// `base_url`: where the site is published, ending in `/`. Used for
    /// canonical links and the 404 page; every other link is relative, so
    /// `site/` also works when opened from disk.
    pub base_url: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            title: "CSIRT Commons".into(),
            description: "Free tools and public data for incident response teams.".into(),
            base_url: "/".into(),
        }
    }
}

impl Settings {
    /// The path part of `base_url`, for links on pages served at any depth.
    pub fn base_path(&self) -> String {
        let path = match url::Url::parse(&self.base_url) {
            Ok(url) => url.path().to_string(),
            Err(_) => self.base_url.clone(),
        };
        if path.ends_with('/') { path } else { format!("{path}/") }
    }
}

/// Reads `commons.yaml` under `root`; defaults when the file is absent.
pub fn load(root: &Path, problems: &mut Diagnostics) -> Settings {
    let path = crate::under(root, FILE_NAME);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Settings::default();
    };
    match crate::load::parse_yaml::<Settings>(&path, &text, 1) {
        Ok(settings)
            if settings.base_url.starts_with("https://")
                || settings.base_url.starts_with("http://")
                || settings.base_url.starts_with('/') =>
        {
            settings
        }
        Ok(_) => {
            problems.push(
                Diagnostic::file(&path, "`base_url` must start with `https://`, `http://` or `/`")
                    .hint("e.g. `base_url: https://commons.example.org/`"),
            );
            Settings::default()
        }
        Err(problem) => {
            problems.push(problem);
            Settings::default()
        }
    }
}
