//! The HTML report of one run, optionally beside reference runs (the greedy
//! baseline, …): one self-contained page — inline CSS, inline SVG, no script,
//! no external asset — so it can be mailed, archived or opened from disk. The
//! page is also well-formed XML (void elements self-closed), which lets tests
//! parse it.

use std::collections::BTreeMap;
use std::fmt::Write;

use jiff::civil::Date;

use crate::charts::{self, esc, BarSeries, Histogram, LineChart, LineSeries, LorenzSeries};
use crate::metrics::{time_to_fill_labels, Metrics};
use crate::summary::{headline_rows, summary_line};

/// What one report shows.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    /// The run the page is about, and its name (e.g. "simulated exchange").
    pub main: (&'a str, &'a Metrics),
    /// Runs to compare it with, each a column of the table and a series of the charts.
    pub references: Vec<(&'a str, &'a Metrics)>,
    /// Extra lines under the table, e.g. ("LP upper bound on fill", "97.1%").
    pub notes: Vec<(String, String)>,
}

impl<'a> ReportInput<'a> {
    /// A report of one run with nothing beside it.
    pub fn single(name: &'a str, metrics: &'a Metrics) -> Self {
        ReportInput { main: (name, metrics), references: Vec::new(), notes: Vec::new() }
    }

    fn runs(&self) -> impl Iterator<Item = (&'a str, &'a Metrics)> + '_ {
        std::iter::once(self.main).chain(self.references.iter().copied())
    }
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2328;background:#f6f8fa;margin:0}\
main{max-width:60rem;margin:0 auto;padding:1.5rem;background:#ffffff}\
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem}\
.period{color:#57606a;margin:0 0 1rem}\
.summary{font-size:1.05rem;padding:.6rem .8rem;background:#ddf4ff;border-left:4px solid #0969da;margin:.4rem 0}\
.summary.reference{background:#f6f8fa;border-left-color:#8c959f;font-size:.95rem}\
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}\
th,td{padding:.3rem .6rem;border-bottom:1px solid #d0d7de;text-align:left}\
td{text-align:right}thead th{text-align:right;border-bottom:2px solid #8c959f}thead th:first-child{text-align:left}\
svg.chart{max-width:100%;height:auto;display:block}";

/// The four charts of one run, as (heading, SVG), for the operator console's own layout.
pub fn charts(m: &Metrics) -> Vec<(String, String)> {
    compared_charts(&ReportInput::single("this period", m))
}

/// The four charts with every run of `input` as a series where runs can share
/// axes: fill over time, time to fill, fairness. Earnings buckets depend on each
/// run's amounts, so that histogram shows the main run only.
pub fn compared_charts(input: &ReportInput<'_>) -> Vec<(String, String)> {
    let (main_name, main) = input.main;
    let days: Vec<Date> = main.fill_by_day.iter().map(|d| d.date).collect();
    let fill = LineChart {
        title: "Fill rate per day".to_string(),
        x_label: "day shifts start (UTC)".to_string(),
        y_label: "places filled".to_string(),
        categories: days.iter().map(|d| format!("{:02}-{:02}", d.month(), d.day())).collect(),
        series: input
            .runs()
            .map(|(name, m)| {
                let by_date: BTreeMap<Date, Option<f64>> = m.fill_by_day.iter().map(|d| (d.date, d.rate())).collect();
                LineSeries { name: name.to_string(), values: days.iter().map(|d| by_date.get(d).copied().flatten()).collect() }
            })
            .collect(),
        y_max: 1.0,
        y_percent: true,
    };
    let time_to_fill = Histogram {
        title: "Time to fill urgent shifts".to_string(),
        x_label: "minutes from posting until every place was booked".to_string(),
        y_label: "urgent shifts".to_string(),
        categories: time_to_fill_labels(),
        series: input
            .runs()
            .map(|(name, m)| BarSeries { name: name.to_string(), counts: m.time_to_fill.histogram.iter().map(|b| b.count).collect() })
            .collect(),
    };
    let lorenz: Vec<LorenzSeries> = input.runs().map(|(name, m)| LorenzSeries { name: name.to_string(), points: m.fairness.lorenz.clone() }).collect();
    let earnings = match &main.earnings.histogram {
        Some(h) => Histogram {
            title: format!("Earnings per worker ({})", h.currency),
            x_label: format!("earned in the period ({})", h.currency),
            y_label: "workers".to_string(),
            categories: h.buckets.iter().map(|b| b.label.clone()).collect(),
            series: vec![BarSeries { name: main_name.to_string(), counts: h.buckets.iter().map(|b| b.count).collect() }],
        },
        None => Histogram {
            title: "Earnings per worker (nobody earned)".to_string(),
            x_label: "earned in the period".to_string(),
            y_label: "workers".to_string(),
            categories: Vec::new(),
            series: Vec::new(),
        },
    };
    vec![
        (fill.title.clone(), charts::line_chart(&fill)),
        (time_to_fill.title.clone(), charts::histogram(&time_to_fill)),
        ("Hours fairness (Lorenz curve of worked ÷ wanted)".to_string(), charts::lorenz_chart("Hours fairness", &lorenz)),
        (earnings.title.clone(), charts::histogram(&earnings)),
    ]
}

/// The headline table: a row per measure, a column per run. Rows only some
/// runs have (a currency only one run earned in) show a dash for the others.
fn table(input: &ReportInput<'_>) -> String {
    let runs: Vec<(&str, Vec<(String, String)>)> = input.runs().map(|(name, m)| (name, headline_rows(m))).collect();
    let mut labels: Vec<&str> = Vec::new();
    for (_, rows) in &runs {
        for (label, _) in rows {
            if !labels.contains(&label.as_str()) {
                labels.push(label);
            }
        }
    }
    let mut s = String::from(r#"<table class="headline"><thead><tr><th scope="col">Measure</th>"#);
    for (name, _) in &runs {
        let _ = write!(s, r#"<th scope="col">{}</th>"#, esc(name));
    }
    s.push_str("</tr></thead><tbody>");
    for label in labels {
        let _ = write!(s, r#"<tr><th scope="row">{}</th>"#, esc(label));
        for (_, rows) in &runs {
            let value = rows.iter().find(|(l, _)| l == label).map_or(crate::summary::NOT_APPLICABLE, |(_, v)| v.as_str());
            let _ = write!(s, "<td>{}</td>", esc(value));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

/// The whole page: summary lines, the headline table, notes, then the four charts.
pub fn html(title: &str, input: &ReportInput<'_>) -> String {
    let (main_name, main) = input.main;
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><title>{t}</title><style>{CSS}</style></head><body><main><h1>{t}</h1><p class="period">Shifts starting from {} up to {} (UTC)</p>"#,
        main.period.start,
        main.period.end,
        t = esc(title)
    );
    let _ = write!(s, r#"<p class="summary"><strong>{}</strong>: {}</p>"#, esc(main_name), esc(&summary_line(main)));
    for (name, m) in &input.references {
        let _ = write!(s, r#"<p class="summary reference"><strong>{}</strong>: {}</p>"#, esc(name), esc(&summary_line(m)));
    }
    s.push_str("<h2>Headline numbers</h2>");
    s.push_str(&table(input));
    if !input.notes.is_empty() {
        s.push_str(r#"<h2>Notes</h2><table class="notes"><tbody>"#);
        for (key, value) in &input.notes {
            let _ = write!(s, r#"<tr><th scope="row">{}</th><td>{}</td></tr>"#, esc(key), esc(value));
        }
        s.push_str("</tbody></table>");
    }
    for (heading, svg) in compared_charts(input) {
        let _ = write!(s, "<section><h2>{}</h2>{svg}</section>", esc(&heading));
    }
    s.push_str("</main></body></html>\n");
    s
}
