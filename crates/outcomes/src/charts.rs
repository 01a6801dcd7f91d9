//! Small SVG charts drawn by hand — a line chart, a (grouped) histogram and a
//! Lorenz curve — with no chart library, no script and no external asset, so
//! the report is one self-contained file and the operator console can embed
//! the same drawings. Each chart is an image with a title and a text
//! description carrying its numbers (for screen readers); several series are
//! told apart by dash pattern as well as colour, and named in a legend.

#![allow(clippy::float_arithmetic, reason = "chart geometry is in floating-point pixels")]

use std::fmt::Write;

use crate::metrics::LorenzPoint;

/// Every chart is drawn on this canvas; the `viewBox` lets CSS scale it.
pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 300.0;
/// Series colours in order: the run itself first, then references.
pub const PALETTE: [&str; 4] = ["#0969da", "#bc4c00", "#8250df", "#1a7f37"];
/// Dash patterns in the same order, so the series differ without colour too.
const DASHES: [&str; 4] = ["", "7 4", "2 3", "10 3 2 3"];
const INK: &str = "#1f2328";
const MUTED: &str = "#57606a";
const GRID: &str = "#d0d7de";

/// Escape text for SVG and HTML (content and double-quoted attributes).
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// One named line: a value (or a gap) per category.
#[derive(Debug, Clone, PartialEq)]
pub struct LineSeries {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// A line chart over categories (e.g. days), from 0 to `y_max`.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub categories: Vec<String>,
    pub series: Vec<LineSeries>,
    pub y_max: f64,
    /// Values are fractions, labelled as percentages.
    pub y_percent: bool,
}

/// One named set of bars: a count per category.
#[derive(Debug, Clone, PartialEq)]
pub struct BarSeries {
    pub name: String,
    pub counts: Vec<u64>,
}

/// A histogram; with several series the bars of a category stand side by side.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub categories: Vec<String>,
    pub series: Vec<BarSeries>,
}

/// One named Lorenz curve.
#[derive(Debug, Clone, PartialEq)]
pub struct LorenzSeries {
    pub name: String,
    pub points: Vec<LorenzPoint>,
}

/// The plotting area inside the canvas's margins.
struct Plot {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
}

impl Plot {
    fn new() -> Self {
        let (left, right, top, bottom) = (64.0, 16.0, 40.0, 56.0);
        Plot { left, top, width: WIDTH - left - right, height: HEIGHT - top - bottom }
    }
    /// x of a fraction 0..=1 of the width.
    fn x(&self, fraction: f64) -> f64 {
        self.left + fraction.clamp(0.0, 1.0) * self.width
    }
    /// y of a fraction 0..=1 of the height, 0 at the bottom.
    fn y(&self, fraction: f64) -> f64 {
        self.top + self.height - fraction.clamp(0.0, 1.0) * self.height
    }
    fn bottom(&self) -> f64 {
        self.top + self.height
    }
    fn right(&self) -> f64 {
        self.left + self.width
    }
}

fn chart_id(title: &str) -> String {
    let slug: String = title.bytes().filter(u8::is_ascii_alphanumeric).map(|b| char::from(b.to_ascii_lowercase())).take(32).collect();
    format!("outcome-{slug}")
}

fn open(title: &str, desc: &str) -> String {
    let id = chart_id(title);
    format!(
        r##"<svg class="chart" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-t {id}-d" font-family="system-ui, sans-serif" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc><rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>"##,
        esc(title),
        esc(desc)
    )
}

/// What a legend entry's swatch looks like.
enum Swatch<'a> {
    Line { color: &'a str, dash: &'a str },
    Box { color: &'a str },
}

fn legend(s: &mut String, entries: &[(&str, Swatch<'_>)]) {
    let mut x = 64.0;
    for (name, swatch) in entries {
        match swatch {
            Swatch::Line { color, dash } => {
                let _ = write!(s, r##"<line x1="{x:.1}" x2="{:.1}" y1="14" y2="14" stroke="{color}" stroke-width="2.5"{}/>"##, x + 22.0, dash_attribute(dash));
            }
            Swatch::Box { color } => {
                let _ = write!(s, r##"<rect x="{:.1}" y="8" width="12" height="12" fill="{color}"/>"##, x + 5.0);
            }
        }
        let _ = write!(s, r##"<text x="{:.1}" y="18" font-size="12" fill="{INK}">{}</text>"##, x + 28.0, esc(name));
        x += 40.0 + 7.0 * name.chars().count() as f64;
    }
}

/// Horizontal gridlines with their labels at `fractions` of the height, and the axis names.
fn axes(s: &mut String, plot: &Plot, y_ticks: &[(f64, String)], x_label: &str, y_label: &str) {
    for (fraction, label) in y_ticks {
        let y = plot.y(*fraction);
        let _ = write!(
            s,
            r##"<line x1="{:.1}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{GRID}" stroke-width="1"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="{MUTED}">{}</text>"##,
            plot.left,
            plot.right(),
            plot.left - 6.0,
            y + 4.0,
            esc(label)
        );
    }
    let _ = write!(
        s,
        r##"<line x1="{l:.1}" x2="{l:.1}" y1="{t:.1}" y2="{b:.1}" stroke="{MUTED}" stroke-width="1"/><line x1="{l:.1}" x2="{r:.1}" y1="{b:.1}" y2="{b:.1}" stroke="{MUTED}" stroke-width="1"/>"##,
        l = plot.left,
        r = plot.right(),
        t = plot.top,
        b = plot.bottom()
    );
    let _ = write!(
        s,
        r##"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="middle" fill="{INK}">{}</text>"##,
        plot.left + plot.width / 2.0,
        HEIGHT - 8.0,
        esc(x_label)
    );
    let (cx, cy) = (14.0, plot.top + plot.height / 2.0);
    let _ = write!(
        s,
        r##"<text x="{cx:.1}" y="{cy:.1}" font-size="12" text-anchor="middle" fill="{INK}" transform="rotate(-90 {cx:.1} {cy:.1})">{}</text>"##,
        esc(y_label)
    );
}

/// Category labels under the plot, thinned to about a dozen so they never overlap.
fn category_labels(s: &mut String, plot: &Plot, categories: &[String]) {
    let n = categories.len();
    let every = n.div_ceil(12).max(1);
    let font = if n > 7 { 10 } else { 12 };
    for (i, label) in categories.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let x = plot.x((i as f64 + 0.5) / n as f64);
        let _ = write!(s, r##"<text x="{x:.1}" y="{:.1}" font-size="{font}" text-anchor="middle" fill="{MUTED}">{}</text>"##, plot.bottom() + 16.0, esc(label));
    }
}

/// The smallest of 1, 2, 5, 10, 20, 50, … that covers `max` in four steps.
fn count_step(max: u64) -> u64 {
    let mut base: u64 = 1;
    loop {
        for multiple in [1, 2, 5] {
            if base.saturating_mul(multiple).saturating_mul(4) >= max {
                return base.saturating_mul(multiple);
            }
        }
        base = base.saturating_mul(10);
    }
}

fn format_value(value: f64, as_percent: bool) -> String {
    if as_percent { crate::summary::percent(Some(value)) } else { crate::summary::decimal3(Some(value)) }
}

/// A line chart; a `None` value leaves a gap in its line.
pub fn line_chart(chart: &LineChart) -> String {
    let plot = Plot::new();
    let n = chart.categories.len().max(1);
    let y_max = if chart.y_max.is_finite() && chart.y_max > 0.0 { chart.y_max } else { 1.0 };
    let mut desc = String::new();
    for series in &chart.series {
        let points: Vec<String> = chart
            .categories
            .iter()
            .zip(&series.values)
            .filter_map(|(c, v)| v.filter(|v| v.is_finite()).map(|v| format!("{c} {}", format_value(v, chart.y_percent))))
            .collect();
        let _ = write!(desc, "{}: {}. ", series.name, if points.is_empty() { "no data".to_string() } else { points.join(", ") });
    }
    let mut s = open(&chart.title, desc.trim_end());
    if chart.series.len() > 1 {
        let entries: Vec<(&str, Swatch<'_>)> = chart.series.iter().enumerate().map(|(i, se)| (se.name.as_str(), line_swatch(i))).collect();
        legend(&mut s, &entries);
    }
    let ticks: Vec<(f64, String)> = (0..=4).map(|i| {
        let fraction = f64::from(i) / 4.0;
        let value = fraction * y_max;
        (fraction, if chart.y_percent { format!("{:.0}%", value * 100.0) } else { format!("{value:.2}") })
    }).collect();
    axes(&mut s, &plot, &ticks, &chart.x_label, &chart.y_label);
    category_labels(&mut s, &plot, &chart.categories);
    for (i, series) in chart.series.iter().enumerate() {
        let (color, dash) = (PALETTE[i % PALETTE.len()], DASHES[i % DASHES.len()]);
        let at = |k: usize, v: f64| (plot.x((k as f64 + 0.5) / n as f64), plot.y(v / y_max));
        // Consecutive values form one polyline; a gap starts a new one.
        let mut run: Vec<(f64, f64)> = Vec::new();
        let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
        for (k, value) in series.values.iter().enumerate().take(n) {
            match value.filter(|v| v.is_finite()) {
                Some(v) => run.push(at(k, v)),
                None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
                None => {}
            }
        }
        if !run.is_empty() {
            runs.push(run);
        }
        for run in &runs {
            let points: Vec<String> = run.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
            let _ = write!(s, r##"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2"{}/>"##, points.join(" "), dash_attribute(dash));
            for (x, y) in run {
                let _ = write!(s, r##"<circle cx="{x:.1}" cy="{y:.1}" r="2.5" fill="{color}"/>"##);
            }
        }
    }
    s.push_str("</svg>");
    s
}

/// The dash attribute, left out for a solid line.
fn dash_attribute(dash: &str) -> String {
    if dash.is_empty() { String::new() } else { format!(r#" stroke-dasharray="{dash}""#) }
}

fn line_swatch(i: usize) -> Swatch<'static> {
    Swatch::Line { color: PALETTE[i % PALETTE.len()], dash: DASHES[i % DASHES.len()] }
}

/// A histogram of counts per category; bars of several series stand side by side.
pub fn histogram(chart: &Histogram) -> String {
    let plot = Plot::new();
    let n = chart.categories.len().max(1);
    let max = chart.series.iter().flat_map(|se| se.counts.iter().copied()).max().unwrap_or(0);
    let step = count_step(max.max(1));
    let top = (step * 4) as f64;
    let mut desc = String::new();
    for series in &chart.series {
        let parts: Vec<String> = chart.categories.iter().zip(&series.counts).map(|(c, v)| format!("{c}: {v}")).collect();
        let _ = write!(desc, "{}: {}. ", series.name, parts.join(", "));
    }
    let mut s = open(&chart.title, desc.trim_end());
    if chart.series.len() > 1 {
        let entries: Vec<(&str, Swatch<'_>)> = chart.series.iter().enumerate().map(|(i, se)| (se.name.as_str(), Swatch::Box { color: PALETTE[i % PALETTE.len()] })).collect();
        legend(&mut s, &entries);
    }
    let ticks: Vec<(f64, String)> = (0..=4_u64).map(|i| ((i * step) as f64 / top, (i * step).to_string())).collect();
    axes(&mut s, &plot, &ticks, &chart.x_label, &chart.y_label);
    category_labels(&mut s, &plot, &chart.categories);
    let slot = plot.width / n as f64;
    let groups = chart.series.len().max(1) as f64;
    let bar_width = (slot * 0.8 / groups).max(1.0);
    for (j, series) in chart.series.iter().enumerate() {
        let color = PALETTE[j % PALETTE.len()];
        for (k, count) in series.counts.iter().enumerate().take(n) {
            let x = plot.left + slot * k as f64 + slot * 0.1 + bar_width * j as f64;
            let y = plot.y(*count as f64 / top);
            let height = (plot.bottom() - y).max(0.0);
            let _ = write!(s, r##"<rect x="{x:.1}" y="{y:.1}" width="{bar_width:.1}" height="{height:.1}" fill="{color}"/>"##);
            // With one series there is room to print each count over its bar.
            if chart.series.len() == 1 && *count > 0 {
                let _ = write!(s, r##"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="{INK}">{count}</text>"##, x + bar_width / 2.0, y - 3.0);
            }
        }
    }
    s.push_str("</svg>");
    s
}

/// Lorenz curves of the hours shares with the line of perfect equality.
pub fn lorenz_chart(title: &str, series: &[LorenzSeries]) -> String {
    let plot = Plot::new();
    let mut desc = String::from("The diagonal is perfect equality; the further a curve sags below it, the more unequal. ");
    for se in series {
        // Quartiles are enough for a reader; the full curve is in the drawing.
        let quartiles: Vec<String> = [0.25, 0.5, 0.75]
            .iter()
            .filter_map(|q| se.points.iter().find(|p| p.workers >= *q).map(|p| format!("lowest {:.0}% of workers got {:.1}% of the hours share", p.workers * 100.0, p.hours * 100.0)))
            .collect();
        let _ = write!(desc, "{}: {}. ", se.name, if quartiles.is_empty() { "no workers".to_string() } else { quartiles.join(", ") });
    }
    let mut s = open(title, desc.trim_end());
    let mut entries: Vec<(&str, Swatch<'_>)> = vec![("equality", Swatch::Line { color: MUTED, dash: "3 3" })];
    entries.extend(series.iter().enumerate().map(|(i, se)| (se.name.as_str(), line_swatch(i))));
    legend(&mut s, &entries);
    let ticks: Vec<(f64, String)> = (0..=4).map(|i| (f64::from(i) / 4.0, format!("{}%", i * 25))).collect();
    axes(&mut s, &plot, &ticks, "workers, from fewest to most hours (share of all)", "share of all hours");
    for i in 0..=4 {
        let x = plot.x(f64::from(i) / 4.0);
        let _ = write!(s, r##"<text x="{x:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="{MUTED}">{}%</text>"##, plot.bottom() + 16.0, i * 25);
    }
    let _ = write!(
        s,
        r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="3 3"/>"##,
        plot.x(0.0),
        plot.y(0.0),
        plot.x(1.0),
        plot.y(1.0)
    );
    for (i, se) in series.iter().enumerate() {
        let (color, dash) = (PALETTE[i % PALETTE.len()], DASHES[i % DASHES.len()]);
        let points: Vec<String> = se
            .points
            .iter()
            .filter(|p| p.workers.is_finite() && p.hours.is_finite())
            .map(|p| format!("{:.1},{:.1}", plot.x(p.workers), plot.y(p.hours)))
            .collect();
        if !points.is_empty() {
            let _ = write!(s, r##"<polyline points="{}" fill="none" stroke="{color}" stroke-width="2"{}/>"##, points.join(" "), dash_attribute(dash));
        }
    }
    s.push_str("</svg>");
    s
}
