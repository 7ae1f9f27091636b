//! A synthetic catalogue for benchmarks: N entries, M evaluations, shaped
//! like the real one, the same bytes for the same seed. Used by the
//! benchmark scripts in `bench/`; hidden from `commons --help`.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// Words entry text is made of: the vocabulary of the real catalogue's
/// domain, so that terms and chunks look like real ones.
const WORDS: &[&str] = &[
    "incident",
    "response",
    "malware",
    "analysis",
    "sandbox",
    "phishing",
    "feed",
    "indicator",
    "network",
    "monitoring",
    "forensic",
    "memory",
    "timeline",
    "endpoint",
    "vulnerability",
    "scanner",
    "advisory",
    "threat",
    "intelligence",
    "sharing",
    "platform",
    "botnet",
    "command",
    "control",
    "server",
    "domain",
    "certificate",
    "transparency",
    "passive",
    "dns",
    "routing",
    "registry",
    "abuse",
    "contact",
    "report",
    "constituency",
    "national",
    "team",
    "analyst",
    "alert",
    "triage",
    "enrichment",
    "correlation",
    "event",
    "attribute",
    "taxonomy",
    "playbook",
    "detection",
    "rule",
    "signature",
    "packet",
    "capture",
    "flow",
    "log",
    "collection",
    "artefact",
    "registry",
    "hash",
    "sample",
    "family",
    "ransomware",
    "decryptor",
    "leak",
    "defacement",
    "archive",
    "exposure",
    "service",
    "open",
    "source",
    "licence",
    "python",
    "linux",
    "windows",
    "container",
    "deployment",
    "api",
    "export",
    "import",
    "json",
    "csv",
    "stix",
    "misp",
    "yara",
    "sigma",
    "zeek",
    "suricata",
    "pipeline",
    "parser",
    "collector",
    "notification",
    "owner",
    "address",
    "range",
    "autonomous",
    "system",
    "prefix",
    "hijack",
    "outage",
    "measurement",
    "honeypot",
    "sensor",
    "credential",
    "brute",
    "force",
    "scan",
    "exploit",
    "patch",
    "priority",
    "score",
    "catalogue",
    "evaluation",
    "evidence",
    "review",
    "documentation",
    "release",
    "maintainer",
];

const CATEGORIES: &[&str] = &[
    "incident-management",
    "threat-intel-platform",
    "feed-processing-automation",
    "malware-analysis",
    "forensics-endpoint",
    "network-monitoring",
    "vulnerability-management",
    "osint-web-analysis",
    "phishing",
    "botnet-c2",
    "reputation-blocklists",
    "passive-dns",
];
const CLASSES: &[&str] = &["malicious-code", "fraud", "intrusions", "availability", "vulnerable"];
/// An RSIT type of each of [`CLASSES`], named by every third entry.
const TYPES: &[&str] =
    &["malware-distribution", "phishing", "system-compromise", "ddos", "vulnerable-system"];
const PHASES: &[&str] =
    &["preparation", "detection-analysis", "containment-eradication-recovery", "post-incident"];
const LICENCES: &[&str] =
    &["Apache-2.0", "MIT", "AGPL-3.0-or-later", "GPL-3.0-only", "BSD-3-Clause", "free-service"];

/// A small deterministic generator (xorshift64*): benchmarks need the same
/// catalogue for the same seed on every machine, nothing more.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn sentence(&mut self, words: usize) -> String {
        let mut text: Vec<&str> = (0..words).map(|_| self.pick(WORDS)).collect();
        let first = text[0];
        let capital = format!("{}{}", first[..1].to_uppercase(), &first[1..]);
        text[0] = &capital;
        format!("{}.", text.join(" "))
    }
}

/// Writes a catalogue of `entries` entries and `evaluations` evaluations
/// under `root` (its `entries/` folder and `commons.yaml`).
pub fn write_catalogue(
    root: &Path,
    entries: usize,
    evaluations: usize,
    seed: u64,
) -> io::Result<()> {
    let mut random = Random(seed.max(1));
    let base = root.join("entries");
    for folder in ["tools", "data", "orgs", "taxonomy", "rubrics", "evaluations"] {
        fs::create_dir_all(base.join(folder))?;
    }
    fs::write(
        root.join("commons.yaml"),
        "title: Synthetic Commons\ndescription: A generated catalogue for benchmarks.\nbase_url: /\n",
    )?;
    // The real taxonomy and rubrics, compiled in so the command works from
    // any folder.
    let copies = [
        ("taxonomy/categories.yaml", include_str!("../entries/taxonomy/categories.yaml")),
        (
            "taxonomy/incident-classes.yaml",
            include_str!("../entries/taxonomy/incident-classes.yaml"),
        ),
        ("taxonomy/phases.yaml", include_str!("../entries/taxonomy/phases.yaml")),
        ("rubrics/tool-1.yaml", include_str!("../entries/rubrics/tool-1.yaml")),
        ("rubrics/data-1.yaml", include_str!("../entries/rubrics/data-1.yaml")),
    ];
    for (path, text) in copies {
        fs::write(base.join(path), text)?;
    }
    let orgs = (entries / 20).max(1);
    for n in 0..orgs {
        fs::write(
            base.join(format!("orgs/org-{n}.md")),
            format!(
                "---\nname: Organisation {n}\nkind: community\nsummary: {}\n---\n",
                random.sentence(8)
            ),
        )?;
    }
    for n in 0..entries {
        let tool = random.below(3) != 0;
        let kind = if tool {
            "tool"
        } else if random.below(2) == 0 {
            "data"
        } else {
            "service"
        };
        let licence = if tool { random.pick(&LICENCES[..5]) } else { "free-service" };
        let mut body = String::new();
        for paragraph in 0..3 {
            if paragraph == 1 {
                body.push_str("## In incident response\n\n");
            }
            for _ in 0..3 {
                let _ = write!(body, "{} ", random.sentence(12));
            }
            body.push_str("\n\n");
        }
        let name =
            format!("{} {} {n}", capitalised(random.pick(WORDS)), capitalised(random.pick(WORDS)));
        // Drawn in the order the text once drew them, so that a seed makes
        // the catalogue it made before entries named incident types.
        let summary = random.sentence(14);
        let org = random.below(orgs);
        let category = random.pick(CATEGORIES);
        let class = random.below(CLASSES.len());
        let (phase, tag1, tag2) = (random.pick(PHASES), random.pick(WORDS), random.pick(WORDS));
        let text = format!(
            "---\nname: {name}\nkind: {kind}\nsummary: {summary}\nhomepage: https://example.org/{n}\n\
             maintainer: org-{org}\nlicence: {licence}\ncost: free\ndeployment: [{deployment}]\naccess: open\n\
             categories: [{category}]\nincident_classes: [{class}]\nincident_types: [{types}]\nphases: [{phase}]\n\
             tags: [{tag1}, {tag2}]\nstatus: live\nadded: 2026-01-01\nlast_reviewed: 2026-06-01\n---\n{body}",
            deployment = if tool { "self-hosted" } else { "online" },
            class = CLASSES[class],
            types = if n % 3 == 0 { TYPES[class] } else { "" },
        );
        let folder = if tool { "tools" } else { "data" };
        fs::write(base.join(format!("{folder}/entry-{n}.md")), text)?;
        if n < evaluations {
            write_evaluation(&base, n, tool, &mut random)?;
        }
    }
    Ok(())
}

fn write_evaluation(base: &Path, n: usize, tool: bool, random: &mut Random) -> io::Result<()> {
    let criteria: &[&str] = if tool {
        &[
            "type",
            "timeliness",
            "accuracy",
            "ease-of-use",
            "coverage",
            "resources",
            "scalability",
            "extensibility",
            "completeness",
            "documentation",
            "deployment-effort",
            "maintenance",
            "licence",
            "security-policy",
            "releases",
        ]
    } else {
        &[
            "timeliness",
            "accuracy",
            "ease-of-use",
            "completeness",
            "volume",
            "documentation",
            "terms",
            "source-reliability",
        ]
    };
    let mut answers = String::new();
    for id in criteria {
        let line = match *id {
            "type" | "volume" => format!("  - id: {id}\n    value: {}\n", random.sentence(6)),
            "source-reliability" => format!("  - id: {id}\n    score: B\n"),
            _ => format!("  - id: {id}\n    score: {}\n", 1 + random.below(4)),
        };
        answers.push_str(&line);
        let _ = write!(
            answers,
            "    why: {}\n    evidence: [\"https://example.org/evidence/{n}\"]\n",
            random.sentence(8)
        );
    }
    let folder = base.join(format!("evaluations/entry-{n}"));
    fs::create_dir_all(&folder)?;
    let text = format!(
        "---\nentry: entry-{n}\nevaluator: org-0\ndate: 2026-06-01\nversion: \"1.0\"\nmethod: lab-test\n\
         rubric: {}\nnext_review: 2027-06-01\nverdict: {}\ncriteria:\n{answers}---\n{}\n",
        if tool { "tool-1" } else { "data-1" },
        random.sentence(12),
        random.sentence(30),
    );
    fs::write(folder.join("2026-06-01-org-0.md"), text)
}

fn capitalised(word: &str) -> String {
    format!("{}{}", word[..1].to_uppercase(), &word[1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_writes_the_same_catalogue_and_it_checks_clean() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        write_catalogue(a.path(), 30, 10, 7).unwrap();
        write_catalogue(b.path(), 30, 10, 7).unwrap();
        let read = |root: &Path| {
            fs::read(root.join("entries/tools/entry-1.md"))
                .or_else(|_| fs::read(root.join("entries/data/entry-1.md")))
                .unwrap()
        };
        assert_eq!(read(a.path()), read(b.path()));
        let checked = crate::check(a.path());
        assert!(checked.problems.is_empty(), "{:?}", checked.problems.into_sorted());
        assert_eq!(checked.catalogue.entries.len(), 30);
        assert_eq!(checked.catalogue.evaluations.len(), 10);
    }
}
