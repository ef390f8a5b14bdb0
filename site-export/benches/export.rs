//! Exports 1,000 artifacts (the seven kinds in turn, with live data so the MRR path, funnel and
//! cohort charts are all drawn) and prints the time per page. The baseline is mdBook on the same
//! 1,000 pages, run by `scripts/bench-export-vs-mdbook`, which passes `--mdbook-src DIR` to have
//! this tool write that book's source (each chapter is the artifact's `index.md` plus its charts
//! as inline SVG) before timing.
//!
//! Run: `cargo bench -p cosos-site --bench export` (`-- --artifacts N` for another size).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use cosos_site::{ExportOptions, Rendered, export, render, sample};

const RUNS: usize = 7;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let n: usize = value("--artifacts")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let started = Instant::now();
    let site = sample::site(n);
    println!(
        "generated {} artifacts in {:.0} ms",
        site.artifacts.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    let scratch = tempfile::tempdir().expect("a temporary directory");
    let options = |i: usize| ExportOptions {
        out: scratch.path().join(format!("run-{i}")),
        base_url: None,
        passphrase: None,
        templates_dir: None,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default(),
    };

    // Warm-up (templates compile once per process), then timed runs into fresh directories.
    let report = export(&site, &options(0)).expect("export");
    let mut renders = Vec::with_capacity(RUNS);
    let mut exports = Vec::with_capacity(RUNS);
    for i in 1..=RUNS {
        let t = Instant::now();
        let rendered = render(&site, &options(i)).expect("render");
        renders.push(t.elapsed());
        drop(rendered);
        let t = Instant::now();
        export(&site, &options(i)).expect("export");
        exports.push(t.elapsed());
    }
    // Pages: one per artifact, plus the index and the board book.
    let pages = n + 2;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let (render_ms, export_ms) = (ms(median(&mut renders)), ms(median(&mut exports)));
    println!(
        "{} files, {} pages; median of {RUNS} runs: render {render_ms:.1} ms, render + write {export_ms:.1} ms",
        report.files, pages
    );
    println!(
        "cosos-export: pages={pages} total_ms={export_ms:.1} per_page_us={:.1}",
        export_ms * 1e3 / pages as f64
    );

    if let Some(dir) = value("--mdbook-src") {
        let rendered = render(&site, &options(RUNS + 1)).expect("render");
        write_book(&PathBuf::from(dir), &rendered, &site);
    }
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// The same pages as an mdBook source: `book.toml`, `src/SUMMARY.md`, a chapter per artifact.
fn write_book(dir: &Path, rendered: &Rendered, site: &cosos_site::Site) {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).expect("book dir");
    std::fs::write(
        dir.join("book.toml"),
        format!("[book]\ntitle = \"{}\"\n", site.name),
    )
    .expect("book.toml");
    let file = |path: &str| {
        rendered
            .files
            .iter()
            .find(|f| f.path == path)
            .map(|f| String::from_utf8_lossy(&f.bytes).to_string())
            .unwrap_or_default()
    };
    let mut summary = String::from("# Summary\n\n");
    for a in &rendered.artifacts {
        let folder = a
            .path
            .trim_start_matches("artifacts/")
            .trim_end_matches("/index.html");
        let mut chapter = file(&format!("artifacts/{folder}/index.md"));
        let html = file(&a.path);
        let mut rest = html.as_str();
        while let Some(start) = rest.find("<svg") {
            let Some(len) = rest[start..].find("</svg>") else {
                break;
            };
            chapter.push_str("\n\n");
            chapter.push_str(&rest[start..start + len + 6]);
            chapter.push_str("\n\n");
            rest = &rest[start + len..];
        }
        std::fs::write(src.join(format!("{folder}.md")), chapter).expect("chapter");
        let title = a.title.replace(['[', ']'], "");
        summary.push_str(&format!("- [{title}](./{folder}.md)\n"));
    }
    std::fs::write(src.join("SUMMARY.md"), summary).expect("SUMMARY.md");
    println!("wrote the mdBook source to {}", dir.display());
}
