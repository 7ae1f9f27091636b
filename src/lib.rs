//! CSIRT Commons: validates a catalogue of free security tools and public
//! data, and builds it into a static website.
//!
//! The pipeline runs one way: [`load`] reads `entries/` into raw structs,
//! [`validate`] turns them into a [`validate::Catalogue`] of checked types,
//! [`render`] makes HTML pages, and [`mod@write`] swaps them into the output
//! folder only when everything succeeded. Problems from every stage are
//! gathered as [`diagnostics::Diagnostic`]s and reported together.

pub mod diagnostics;
pub mod index;
pub mod load;
pub mod model;
pub mod quick;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod schemas;
pub mod serve;
pub mod settings;
pub mod synth;
pub mod theme;
pub mod timings;
pub mod validate;
pub mod warnings;
pub mod write;

use std::path::Path;

use diagnostics::Diagnostics;
use render::pages::Page;
use settings::Settings;
use validate::Catalogue;

/// The result of checking a repository: the catalogue and every problem.
pub struct Checked {
    /// The site settings.
    pub settings: Settings,
    /// The validated catalogue (partial when there are problems).
    pub catalogue: Catalogue,
    /// Every problem found.
    pub problems: Diagnostics,
}

/// Loads and validates the repository at `root` without writing anything.
pub fn check(root: &Path) -> Checked {
    check_timed(root, &mut timings::Timings::default())
}

fn check_timed(root: &Path, timings: &mut timings::Timings) -> Checked {
    let mut problems = Diagnostics::default();
    let (settings, raw) = timings.time("load", || {
        let settings = settings::load(root, &mut problems);
        (settings, load::load_catalogue(&under(root, "entries"), &mut problems))
    });
    let catalogue = timings.time("validate", || validate::validate(raw, &mut problems));
    Checked { settings, catalogue, problems }
}

/// The date a build treats as today: the `SOURCE_DATE_EPOCH` environment
/// variable (seconds since 1970, the reproducible-builds convention) when
/// set, else the current date in UTC — never the local time zone.
pub fn build_date() -> Result<jiff::civil::Date, String> {
    let now = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => {
            let seconds: i64 = text
                .trim()
                .parse()
                .map_err(|_| format!("SOURCE_DATE_EPOCH `{text}` is not a number of seconds"))?;
            jiff::Timestamp::from_second(seconds)
                .map_err(|e| format!("SOURCE_DATE_EPOCH `{text}`: {e}"))?
        }
        Err(_) => jiff::Timestamp::now(),
    };
    Ok(now.to_zoned(jiff::tz::TimeZone::UTC).date())
}

/// `root/relative`, without a leading `./` when the root is the working
/// directory, so messages name files the way contributors do.
pub fn under(root: &Path, relative: &str) -> std::path::PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        relative.into()
    } else {
        root.join(relative)
    }
}

/// Loads, validates and renders the repository at `root` in memory, with
/// ages and review warnings computed against `today`. Returns the pages,
/// sorted by path, or every problem found.
pub fn render_pages(
    root: &Path,
    today: jiff::civil::Date,
) -> Result<(Catalogue, Vec<Page>), Diagnostics> {
    let pages = std::sync::Mutex::new(Vec::new());
    let catalogue = make_site(root, today, &mut timings::Timings::default(), &|page| {
        pages.lock().unwrap_or_else(|e| e.into_inner()).push(page)
    })?;
    let mut pages = pages.into_inner().unwrap_or_else(|e| e.into_inner());
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((catalogue, pages))
}

/// Loads, validates and renders the repository at `root`, handing every
/// file of the site to `sink` as it is made (from any thread). When the
/// catalogue has problems, the problems are returned and nothing is handed
/// over, except when only rendering found them: some pages may have been
/// handed over by then, so callers must discard what they got on an error
/// (a build's staging folder is dropped, `check` only counts). Bodies are
/// rendered even when validation found problems, so that their problems
/// are reported too.
pub fn make_site(
    root: &Path,
    today: jiff::civil::Date,
    timings: &mut timings::Timings,
    sink: &(dyn Fn(Page) + Sync),
) -> Result<Catalogue, Diagnostics> {
    let Checked { settings, catalogue, mut problems } = check_timed(root, timings);
    if !problems.is_empty() {
        // Rendering still runs, for the problems of bodies; no page leaves.
        let discard = |_: Page| {};
        if let Err(found) = render::render_site(&catalogue, &settings, today, &discard) {
            problems.extend(found);
        }
        return Err(problems);
    }

    // Pages first, then the search index and the exports. Each stage is
    // parallel within itself, so running them one after another costs no
    // time on two cores, and memory holds the pages' listings or the
    // index's term counts, never both: at 100,000 entries the peak fell
    // from 1.2 to 0.95 GB and the build got faster (BENCHMARKS.md).
    let (rendered, render_time) =
        timings::timed(|| render::render_site(&catalogue, &settings, today, sink));
    timings.record("render", render_time);
    if let Err(found) = rendered {
        problems.extend(found);
        return Err(problems);
    }
    // The index's postings and the exports are serial: side by side, each
    // keeps the other core busy.
    let (((), index_time), ((), exports_time)) = rayon::join(
        || timings::timed(|| index::browser::pages(&catalogue).into_iter().for_each(sink)),
        || {
            timings::timed(|| {
                index::exports::pages(&catalogue, sink);
                index::misp::pages(&catalogue, &settings).into_iter().for_each(sink);
            })
        },
    );
    timings.record("index", index_time);
    timings.record("exports", exports_time);
    Ok(catalogue)
}

/// Why a build wrote nothing.
#[derive(Debug)]
pub enum BuildError {
    /// The catalogue has problems.
    Problems(Diagnostics),
    /// The output folder could not be written.
    Write(std::io::Error),
}

/// Builds the repository at `root` into `out`: every file is written into
/// a new folder as soon as it is made, and that folder replaces `out` only
/// when everything succeeded. Returns the catalogue and how many files the
/// site has.
pub fn build_site(
    root: &Path,
    out: &Path,
    today: jiff::civil::Date,
    timings: &mut timings::Timings,
) -> Result<(Catalogue, usize), BuildError> {
    build_site_seeing(root, out, today, timings, &|_| {})
}

/// [`build_site`], showing each file to `see` (from any thread) before it
/// is written: `commons serve` tells open pages which of them changed.
pub fn build_site_seeing(
    root: &Path,
    out: &Path,
    today: jiff::civil::Date,
    timings: &mut timings::Timings,
    see: &(dyn Fn(&Page) + Sync),
) -> Result<(Catalogue, usize), BuildError> {
    let staging = write::Staging::begin(out).map_err(BuildError::Write)?;
    let count = std::sync::atomic::AtomicUsize::new(0);
    let catalogue = make_site(root, today, timings, &|page| {
        see(&page);
        staging.put(page);
        count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    })
    .map_err(BuildError::Problems)?;
    timings.time("write", || staging.commit()).map_err(BuildError::Write)?;
    Ok((catalogue, count.into_inner()))
}
