//! `commons`: the command line over the CSIRT Commons library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use csirt_commons::BuildError;
use csirt_commons::diagnostics::Diagnostics;
use csirt_commons::index::terminal as search;
use csirt_commons::report::{self, Format};
use csirt_commons::{scaffold, warnings};

/// Validate the CSIRT Commons catalogue and build it into a static website.
#[derive(Debug, Parser)]
#[command(name = "commons", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate `entries/` and build the site into `site/`.
    Build {
        /// The repository root, holding `commons.yaml` and `entries/`.
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/site].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print how long each stage took (load, validate, render, index,
        /// write) on stderr.
        #[arg(long)]
        timings: bool,
    },
    /// Validate `entries/` and report every problem, writing nothing.
    Check {
        /// The repository root, holding `commons.yaml` and `entries/`.
        #[arg(default_value = ".")]
        root: PathBuf,
        /// How to report: text for people, a JSON report, GitHub workflow
        /// annotations that show on a pull request's diff, or a GitLab Code
        /// Quality report that shows on a merge request.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail on warnings too (likely duplicates, entries not reviewed
        /// for over 12 months, placeholders left by `commons new`).
        #[arg(long)]
        strict: bool,
        /// Fail when values or text that `commons new` left to replace
        /// remain, reporting them as errors (for CI on pull requests).
        #[arg(long)]
        no_placeholders: bool,
    },
    /// Write a new entry, organisation or evaluation from a template.
    ///
    /// Every field is explained in the file. On a terminal, missing values
    /// are asked for; otherwise they come from the flags, and what is still
    /// missing is written as a placeholder that `commons check` points out.
    New(Box<NewArgs>),
    /// Build, serve the site on 127.0.0.1 and rebuild on every change.
    ///
    /// Open pages reload after each good build; a failed build shows its
    /// problems in the page and here, and the last good site stays served.
    Serve {
        /// The repository root, holding `commons.yaml` and `entries/`.
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/site].
        #[arg(long)]
        out: Option<PathBuf>,
        /// The port on 127.0.0.1; 0 picks a free one.
        #[arg(long, default_value_t = 8000)]
        port: u16,
    },
    /// Write the JSON Schemas of every file format into a folder.
    #[command(hide = true)]
    Schemas {
        /// Where to write them.
        #[arg(default_value = "schemas")]
        out: PathBuf,
    },
    /// Write a synthetic catalogue for benchmarks (not for contributors).
    #[command(hide = true)]
    Synth {
        /// Where to write it (a new folder).
        out: PathBuf,
        /// How many entries.
        #[arg(long, default_value_t = 1000)]
        entries: usize,
        /// How many evaluations (at most one per entry).
        #[arg(long, default_value_t = 0)]
        evaluations: usize,
        /// The seed: the same seed writes the same bytes.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Search the catalogue from the terminal, as the site's search does.
    Search {
        /// The words to look for; every word must match.
        query: String,
        /// The repository root, holding `commons.yaml` and `entries/`.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only entries of this kind: `tool`, `data` or `service`.
        #[arg(long)]
        kind: Option<String>,
        /// Only entries in this category (a slug, e.g. `malware-analysis`).
        #[arg(long)]
        category: Option<String>,
        /// How many results to print at most.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Print the results as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
}

impl Command {
    /// The repository root the command reads, if it reads one.
    fn root(&self) -> Option<&PathBuf> {
        match self {
            Command::Build { root, .. }
            | Command::Check { root, .. }
            | Command::Search { root, .. }
            | Command::Serve { root, .. } => Some(root),
            Command::New(args) => Some(&args.root),
            Command::Synth { .. } | Command::Schemas { .. } => None,
        }
    }
}

/// Asks on the terminal: the question on stderr, the answer from stdin.
/// End of input (Ctrl-D) ends the questions: the rest become placeholders.
struct Terminal {
    ended: bool,
}

impl scaffold::Ask for Terminal {
    fn ask(&mut self, question: &str) -> Option<String> {
        if self.ended {
            return None;
        }
        eprint!("{question}: ");
        let mut answer = String::new();
        match std::io::stdin().read_line(&mut answer) {
            Ok(read) if read > 0 => Some(answer.trim().to_string()).filter(|a| !a.is_empty()),
            _ => {
                self.ended = true;
                eprintln!("\n  (no more questions: what is left becomes a placeholder)");
                None
            }
        }
    }

    fn tell(&mut self, message: &str) {
        eprintln!("  {message}");
    }
}

/// `commons new`: plans the file, writes it, then checks the catalogue
/// with it; a file that would not pass is removed again.
fn new(
    root: &std::path::Path,
    what: scaffold::What,
    name: &str,
    given: scaffold::Given,
    today: jiff::civil::Date,
) -> ExitCode {
    let before = csirt_commons::check(root);
    let mut terminal = Terminal { ended: false };
    let mut silent = scaffold::NoQuestions;
    let ask: &mut dyn scaffold::Ask =
        if std::io::stdin().is_terminal() { &mut terminal } else { &mut silent };
    let planned = match scaffold::plan(&before.catalogue, what, name, given, today, ask) {
        Ok(planned) => planned,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(USAGE_OR_IO_ERROR);
        }
    };
    let path = match scaffold::write(root, &planned) {
        Ok(path) => path,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(USAGE_OR_IO_ERROR);
        }
    };
    let after = csirt_commons::check(root);
    let mine: Vec<_> =
        after.problems.into_sorted().into_iter().filter(|p| p.path == path).collect();
    if !mine.is_empty() {
        let _ = std::fs::remove_file(&path);
        report::print(&mine, &[], Format::Human);
        eprintln!("error: the new file would not pass `commons check`, so it was not kept");
        return ExitCode::from(CONTENT_ERROR);
    }
    println!("wrote {}", path.display());
    let left = scaffold::leftovers(&planned.text);
    if !left.is_empty() {
        println!("still to write (`commons check` lists what is left):");
        for left in left {
            let what = left.field.unwrap_or_else(|| "text".into());
            println!("  {}:{}:{}: {what}", path.display(), left.line, left.column);
        }
    }
    println!("then run `commons check`; `commons serve` previews the site as you edit");
    ExitCode::SUCCESS
}

/// The arguments of `commons new`.
#[derive(Debug, clap::Args)]
struct NewArgs {
    /// What to write.
    #[arg(value_enum)]
    what: scaffold::What,
    /// The name of the tool, data source, service or organisation; for an
    /// evaluation, the slug of the entry evaluated.
    name: String,
    /// The repository root, holding `entries/`.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    #[command(flatten)]
    given: scaffold::Given,
}

/// Exit code when the catalogue has problems.
const CONTENT_ERROR: u8 = 1;
/// Exit code when the command could not run (bad usage, unwritable output).
const USAGE_OR_IO_ERROR: u8 = 2;

fn main() -> ExitCode {
    return_freed_memory_soon();
    let cli = Cli::parse();
    let started = Instant::now();
    if let Some(root) = cli.command.root() {
        let entries = csirt_commons::under(root, "entries");
        if !entries.is_dir() {
            eprintln!("error: there is no catalogue folder `{}`", entries.display());
            let how = match cli.command {
                Command::New(_) | Command::Search { .. } => "give it with `--root`",
                _ => "name it as an argument",
            };
            eprintln!("  hint: run `commons` from the repository root, or {how}");
            return ExitCode::from(USAGE_OR_IO_ERROR);
        }
    }
    let today = match csirt_commons::build_date() {
        Ok(today) => today,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(USAGE_OR_IO_ERROR);
        }
    };
    match cli.command {
        Command::New(args) => {
            let NewArgs { what, name, root, given } = *args;
            new(&root, what, &name, given, today)
        }
        Command::Serve { root, out, port } => {
            let out = out.unwrap_or_else(|| csirt_commons::under(&root, "site"));
            let watch = vec![
                csirt_commons::under(&root, "entries"),
                csirt_commons::under(&root, "commons.yaml"),
            ];
            let builder = csirt_commons::serve::SiteBuilder::new(&root, &out);
            let served = csirt_commons::serve::run(&watch, &out, port, Box::new(builder), |url| {
                println!("serving {url} (Ctrl-C stops); rebuilding on every change");
            });
            match served {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::from(USAGE_OR_IO_ERROR)
                }
            }
        }
        Command::Schemas { out } => {
            let written = std::fs::create_dir_all(&out).and_then(|()| {
                csirt_commons::schemas::all()
                    .into_iter()
                    .try_for_each(|(name, text)| std::fs::write(out.join(name), text))
            });
            match written {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: cannot write `{}`: {error}", out.display());
                    ExitCode::from(USAGE_OR_IO_ERROR)
                }
            }
        }
        Command::Synth { out, entries, evaluations, seed } => {
            match csirt_commons::synth::write_catalogue(&out, entries, evaluations, seed) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: cannot write `{}`: {error}", out.display());
                    ExitCode::from(USAGE_OR_IO_ERROR)
                }
            }
        }
        Command::Check { root, format, strict, no_placeholders } => {
            // The whole pipeline but the write, so that `check` passing
            // means `build` will too.
            // Pages are counted, not kept: memory stays as small as a build's.
            let files = std::sync::atomic::AtomicUsize::new(0);
            let count = |_| {
                files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            };
            let mut timings = csirt_commons::timings::Timings::default();
            let catalogue = match csirt_commons::make_site(&root, today, &mut timings, &count) {
                Ok(done) => done,
                Err(problems) => {
                    return match format {
                        Format::Human => report(problems),
                        _ => {
                            report::print(&problems.into_sorted(), &[], format);
                            ExitCode::from(CONTENT_ERROR)
                        }
                    };
                }
            };
            let mut warnings = warnings::find(&catalogue, today);
            let settings = csirt_commons::settings::load(&root, &mut Diagnostics::default());
            warnings.extend(csirt_commons::settings::warnings(&root, &settings).into_sorted());
            let leftovers = warnings::leftovers(&catalogue);
            let errors = if no_placeholders {
                leftovers.into_sorted()
            } else {
                warnings.extend(leftovers.into_sorted());
                Vec::new()
            };
            let warnings = warnings.into_sorted();
            report::print(&errors, &warnings, format);
            let plural = |n: usize| if n == 1 { "" } else { "s" };
            if format == Format::Human {
                eprintln!(
                    "checked {} entries, {} organisations, {} evaluations and {} playbook note{} ({} files): {} problem{}, {} warning{} ({:.2} s)",
                    catalogue.entries.len(),
                    catalogue.orgs.len(),
                    catalogue.evaluations.len(),
                    catalogue.playbooks.len(),
                    plural(catalogue.playbooks.len()),
                    files.into_inner(),
                    if errors.is_empty() { "no".to_string() } else { errors.len().to_string() },
                    plural(errors.len()),
                    warnings.len(),
                    plural(warnings.len()),
                    started.elapsed().as_secs_f64()
                );
            }
            if !errors.is_empty() {
                if format == Format::Human {
                    eprintln!("error: --no-placeholders and {} left to replace", errors.len());
                }
                return ExitCode::from(CONTENT_ERROR);
            }
            if strict && !warnings.is_empty() {
                if format == Format::Human {
                    eprintln!(
                        "error: --strict and {} warning{}",
                        warnings.len(),
                        plural(warnings.len())
                    );
                }
                return ExitCode::from(CONTENT_ERROR);
            }
            ExitCode::SUCCESS
        }
        Command::Search { query, root, kind, category, limit, json } => {
            let checked = csirt_commons::check(&root);
            if !checked.problems.is_empty() {
                return report(checked.problems);
            }
            let filters = search::Filters { kind, category };
            let hits = match search::search(&checked.catalogue, &query, &filters, limit) {
                Ok(hits) => hits,
                Err(error) => {
                    eprintln!("error: the search index could not be built: {error}");
                    return ExitCode::from(USAGE_OR_IO_ERROR);
                }
            };
            print_hits(&hits, json);
            ExitCode::SUCCESS
        }
        Command::Build { root, out, timings: show_timings } => {
            let out = out.unwrap_or_else(|| csirt_commons::under(&root, "site"));
            let mut timings = csirt_commons::timings::Timings::default();
            let (catalogue, files) =
                match csirt_commons::build_site(&root, &out, today, &mut timings) {
                    Ok(done) => done,
                    Err(BuildError::Problems(problems)) => return report(problems),
                    Err(BuildError::Write(error)) => {
                        eprintln!("error: cannot write `{}`: {error}", out.display());
                        eprintln!("  nothing in `{}` was changed", out.display());
                        return ExitCode::from(USAGE_OR_IO_ERROR);
                    }
                };
            eprintln!(
                "built {} entries into {files} files in `{}` ({:.2} s)",
                catalogue.entries.len(),
                out.display(),
                started.elapsed().as_secs_f64()
            );
            if show_timings {
                eprint!("{}", timings.report());
            }
            ExitCode::SUCCESS
        }
    }
}

/// Prints search results on stdout: JSON, or one block per hit.
fn print_hits(hits: &[search::Hit], json: bool) {
    if json {
        println!("{}", serde_json::to_string_pretty(hits).unwrap_or_else(|_| "[]".into()));
        return;
    }
    if hits.is_empty() {
        eprintln!("no results");
    }
    for hit in hits {
        let name = csirt_commons::diagnostics::printable(&hit.name);
        let summary = csirt_commons::diagnostics::printable(&hit.summary);
        println!(
            "{name} ({}, {})\n  {summary}\n  entry/{}.html",
            hit.kind,
            hit.categories.join(", "),
            hit.slug
        );
    }
}

/// Prints every problem and a closing count to stderr.
fn report(problems: Diagnostics) -> ExitCode {
    let (count, files) = (problems.len(), problems.file_count());
    for problem in problems.into_sorted() {
        eprintln!("{problem}");
    }
    let plural = |n: usize, word: &str| {
        if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
    };
    eprintln!(
        "error: {} in {}; nothing was written",
        plural(count, "problem"),
        plural(files, "file")
    );
    ExitCode::from(CONTENT_ERROR)
}

/// mimalloc instead of the system allocator: builds allocate and free many
/// small strings from several threads, and glibc's per-thread arenas kept
/// that memory long after it was freed (peak memory is one of the build's
/// goals); mimalloc reuses it, and is faster at it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`, by its place in the option list of
/// mimalloc 3's `mimalloc.h` (the Rust bindings have no name for it).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long mimalloc keeps freed memory before returning it to the system.
/// A build frees and allocates in waves (bodies, pages, index files). With
/// mimalloc 3's default of a second, freed pages were still counted while
/// the next wave allocated, and peak memory at 10,000 entries was 254 MB.
/// With no delay it was 177 MB, but every page freed and soon needed again
/// was faulted back in and zeroed, which took a tenth of the build's time.
/// 10 ms keeps both: about 190 MB, and the build 10 % faster than with no
/// delay (`bench/build.sh`, BENCHMARKS.md).
const PURGE_DELAY_MS: std::ffi::c_long = 10;

/// Sets mimalloc's purge delay to [`PURGE_DELAY_MS`].
fn return_freed_memory_soon() {
    // SAFETY: sets one integer option of the allocator; mimalloc allows it
    // at any time, from any thread.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_DELAY_MS) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // The option's number is not in the bindings: check that it names
        // the option whose default is mimalloc 3's purge delay, 1000 ms (no
        // other option has that default), and that setting it takes.
        // SAFETY: reads and sets an integer option of the allocator.
        unsafe {
            if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
                assert_eq!(libmimalloc_sys::mi_option_get(PURGE_DELAY), 1000);
            }
            return_freed_memory_soon();
            assert_eq!(libmimalloc_sys::mi_option_get(PURGE_DELAY), PURGE_DELAY_MS);
        }
    }
}
