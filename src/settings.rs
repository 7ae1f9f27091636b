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
/// A file that exists but cannot be used is a problem, never a silent
/// fallback to defaults.
pub fn load(root: &Path, problems: &mut Diagnostics) -> Settings {
    let path = crate::under(root, FILE_NAME);
    match std::fs::symlink_metadata(&path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Settings::default(),
        Ok(metadata) if metadata.file_type().is_symlink() => {
            problems.push(Diagnostic::file(
                &path,
                "symbolic links are not allowed for the settings file",
            ));
            return Settings::default();
        }
        _ => {}
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            problems.push(
                Diagnostic::file(&path, format!("cannot read the settings file: {error}"))
                    .hint("it must be a UTF-8 text file"),
            );
            return Settings::default();
        }
    };
    let mut settings = match crate::load::parse_yaml::<Settings>(&path, &text, 1) {
        Ok(settings) => settings,
        Err(problem) => {
            problems.push(problem);
            return Settings::default();
        }
    };
    match normalise_base_url(&settings.base_url) {
        Ok(base_url) => settings.base_url = base_url,
        Err(reason) => problems.push(
            Diagnostic::file(&path, format!("`base_url` {reason}"))
                .hint("e.g. `base_url: https://commons.example.org/` or `base_url: /`"),
        ),
    }
    settings
}

/// Warnings about settings that work but publish less than they should:
/// without an absolute `base_url`, feed ids, the sitemap, canonical links
/// and Open Graph addresses are only paths, which feed readers, search
/// engines and link previews cannot use.
pub fn warnings(root: &Path, settings: &Settings) -> Diagnostics {
    let mut warnings = Diagnostics::default();
    let path = crate::under(root, FILE_NAME);
    if !path.exists() {
        warnings.push(
            Diagnostic::file(&path, "there is no settings file; the site uses default settings")
                .hint("create it with `title`, `description` and `base_url`"),
        );
    } else if settings.base_url.starts_with('/') {
        warnings.push(
            Diagnostic::file(
                &path,
                format!("`base_url` `{}` is a path, not a full address", settings.base_url),
            )
            .hint("feeds, the sitemap and link previews need one, e.g. `https://commons.example.org/`"),
        );
    }
    warnings
}

/// A base URL as links need it: an absolute http(s) URL with a host, or a
/// path from the server root (`/`, `/commons/`), always ending in `/`.
fn normalise_base_url(text: &str) -> Result<String, String> {
    let text = text.trim();
    let valid = if text.starts_with('/') {
        if text.starts_with("//") || text.contains('\\') {
            return Err(format!("`{text}` would point at another host"));
        }
        text.to_string()
    } else {
        match url::Url::parse(text) {
            Ok(url) if url.query().is_some() || url.fragment().is_some() => {
                return Err(format!("`{text}` has a query or fragment; pages are added after it"));
            }
            Ok(url)
                if matches!(url.scheme(), "http" | "https")
                    && url.host_str().is_some_and(|h| !h.is_empty()) =>
            {
                url.to_string()
            }
            _ => {
                return Err(format!(
                    "`{text}` is not an http(s) address with a host, nor a path starting with `/`"
                ));
            }
        }
    };
    Ok(if valid.ends_with('/') { valid } else { format!("{valid}/") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_and_end_in_a_slash() {
        assert_eq!(normalise_base_url("https://x.example/sub").unwrap(), "https://x.example/sub/");
        assert_eq!(normalise_base_url("/").unwrap(), "/");
        assert_eq!(normalise_base_url("/commons").unwrap(), "/commons/");
        for bad in [
            "https://",
            "//evil.example/",
            "ftp://x.example/",
            "javascript:alert(1)",
            "example.org",
            "/\\evil",
            "https://x.example/?a=1",
            "https://x.example/#top",
        ] {
            assert!(normalise_base_url(bad).is_err(), "{bad}");
        }
    }
}
