//! The default theme, compiled into the binary so `commons` works from any
//! folder and tests build fixture catalogues with the real templates.

/// Tera templates: (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../themes/default/templates/base.html")),
    ("macros.html", include_str!("../themes/default/templates/macros.html")),
    ("index.html", include_str!("../themes/default/templates/index.html")),
    ("entry.html", include_str!("../themes/default/templates/entry.html")),
    ("entries.html", include_str!("../themes/default/templates/entries.html")),
    ("category.html", include_str!("../themes/default/templates/category.html")),
    ("categories.html", include_str!("../themes/default/templates/categories.html")),
    ("org.html", include_str!("../themes/default/templates/org.html")),
    ("orgs.html", include_str!("../themes/default/templates/orgs.html")),
    ("national-csirts.html", include_str!("../themes/default/templates/national-csirts.html")),
    ("incident.html", include_str!("../themes/default/templates/incident.html")),
    ("incidents.html", include_str!("../themes/default/templates/incidents.html")),
    ("incident-phase.html", include_str!("../themes/default/templates/incident-phase.html")),
    ("404.html", include_str!("../themes/default/templates/404.html")),
    ("evaluation.html", include_str!("../themes/default/templates/evaluation.html")),
    ("evaluations.html", include_str!("../themes/default/templates/evaluations.html")),
    ("methodology.html", include_str!("../themes/default/templates/methodology.html")),
    ("charts.html", include_str!("../themes/default/templates/charts.html")),
    ("search.html", include_str!("../themes/default/templates/search.html")),
    ("compare.html", include_str!("../themes/default/templates/compare.html")),
    ("compare-category.html", include_str!("../themes/default/templates/compare-category.html")),
    ("compare-table.html", include_str!("../themes/default/templates/compare-table.html")),
    ("data.html", include_str!("../themes/default/templates/data.html")),
    ("sitemap.xml", include_str!("../themes/default/templates/sitemap.xml")),
    ("sitemap-index.xml", include_str!("../themes/default/templates/sitemap-index.xml")),
    ("feed.xml", include_str!("../themes/default/templates/feed.xml")),
];

/// Static files copied under `site/static/`: (path, bytes).
pub const STATIC_FILES: &[(&str, &[u8])] = &[
    ("static/style.css", include_bytes!("../themes/default/static/style.css")),
    ("static/search.js", include_bytes!("../themes/default/static/search.js")),
    ("static/compare.js", include_bytes!("../themes/default/static/compare.js")),
];
