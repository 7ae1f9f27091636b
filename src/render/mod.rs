//! Stage 3, render: the validated catalogue to HTML pages.
//!
//! Bodies go through [`markdown`] (pulldown-cmark, then ammonia); pages are
//! filled from the default theme's tera templates with autoescape on for
//! every template. Pages are rendered in parallel with rayon and returned
//! sorted by path, so the output never depends on the thread count.

pub mod evaluations;
pub mod markdown;
pub mod pages;

pub use pages::render_site;
