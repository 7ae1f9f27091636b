//! Stage 4, index: the search index for the browser and the terminal.

pub mod analysis;
pub mod browser;
pub mod exports;
pub mod misp;
pub mod terminal;
