//! The page and the console agree: the summary line and the report's table
//! print the same strings for fill and Gini; the SVG charts and the whole HTML
//! page are well-formed XML (read back with quick-xml, every tag closed in
//! order), text is escaped, and reference runs get their own column and series.

#![allow(clippy::unwrap_used, reason = "tests")]

#[path = "support/records.rs"]
mod records;

use quick_xml::events::Event;
use quick_xml::Reader;
use records::*;
use slivers_outcomes::charts::{histogram, line_chart, lorenz_chart, BarSeries, Histogram, LineChart, LineSeries};
use slivers_outcomes::report::{charts, compared_charts};
use slivers_outcomes::summary::{decimal3, percent};
use slivers_outcomes::{html, measure, summary_line, Metrics, ReportInput};

/// Reads `text` as XML and returns the names of the elements in document order;
/// fails on anything unbalanced or mis-nested (quick-xml checks end names).
fn elements(text: &str) -> Vec<String> {
    let mut reader = Reader::from_str(text);
    let mut open: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let check_attributes = |e: &quick_xml::events::BytesStart<'_>| {
        for attribute in e.attributes() {
            // Duplicated or unquoted attributes, and entities XML does not know, fail here.
            attribute.unwrap().normalized_value(quick_xml::XmlVersion::Implicit1_0).unwrap();
        }
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                check_attributes(&e);
                let name = e.name().as_ref().to_string();
                seen.push(name.clone());
                open.push(name);
            }
            Ok(Event::Empty(e)) => {
                check_attributes(&e);
                seen.push(e.name().as_ref().to_string());
            }
            Ok(Event::End(e)) => {
                let name = e.name().as_ref().to_string();
                assert_eq!(open.pop().as_deref(), Some(name.as_str()), "mis-nested </{name}>");
            }
            Ok(Event::GeneralRef(r)) => {
                // Only the entities XML itself defines (no &nbsp; and friends).
                let name: &str = &r;
                assert!(["amp", "lt", "gt", "quot", "apos"].contains(&name) || r.is_char_ref(), "unknown entity &{name};");
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed at {}: {e}", reader.buffer_position()),
        }
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
    seen
}

fn mixed() -> Metrics {
    measure(&mixed_market())
}

#[test]
fn the_summary_line_and_the_page_print_the_same_numbers() {
    let m = mixed();
    let line = summary_line(&m);
    let (fill, gini) = (percent(m.fill.rate), decimal3(m.fairness.gini));
    assert_eq!((fill.as_str(), gini.as_str()), ("62.5%", "0.583"));
    assert_eq!(
        line,
        "fill 62.5% · urgent fill 66.7% · urgent filled ≤30 min 100.0% · hours spread 0.298 · Gini 0.583 · worker cancellations absorbed 1/3 · no-shows 1"
    );
    let page = html("March, week 1", &ReportInput::single("exchange", &m));
    assert!(page.contains(&line), "the page opens with the console's line");
    assert!(page.contains(&format!(r#"<th scope="row">Fill rate</th><td>{fill}</td>"#)));
    assert!(page.contains(&format!(r#"<th scope="row">Hours share, Gini</th><td>{gini}</td>"#)));
    assert!(page.contains(r#"<th scope="row">Worker cancellations absorbed</th><td>1/3</td>"#));
    assert!(page.contains(r#"<th scope="row">Earnings total (EUR)</th><td>EUR 50.10</td>"#));
}

#[test]
fn the_page_is_well_formed_self_contained_and_has_four_charts() {
    let m = mixed();
    let page = html("March <week 1> & \"co\"", &ReportInput::single("exchange", &m));
    assert!(page.starts_with("<!DOCTYPE html>"));
    let names = elements(&page);
    assert_eq!(names.iter().filter(|n| *n == "svg").count(), 4);
    assert_eq!(page.matches("<svg").count(), page.matches("</svg>").count());
    for forbidden in ["script", "link", "img", "iframe"] {
        assert!(!names.iter().any(|n| n == forbidden), "no <{forbidden}> on a self-contained page");
    }
    assert!(!page.contains("http://") || page.matches("http://").count() == page.matches("xmlns=\"http://www.w3.org/2000/svg\"").count(), "only the SVG namespace is a URL");
    assert!(!page.contains("https://"));
    assert!(page.contains("<title>March &lt;week 1&gt; &amp; &quot;co&quot;</title>"));
}

#[test]
fn each_chart_is_an_accessible_svg_of_fixed_size() {
    let m = mixed();
    let all = charts(&m);
    let headings: Vec<&str> = all.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(
        headings,
        vec!["Fill rate per day", "Time to fill urgent shifts", "Hours fairness (Lorenz curve of worked ÷ wanted)", "Earnings per worker (GBP)"]
    );
    for (heading, svg) in &all {
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{heading}");
        for attribute in [r#"role="img""#, r#"width="640""#, r#"height="300""#, r#"viewBox="0 0 640 300""#, "aria-labelledby="] {
            assert!(svg.contains(attribute), "{heading} lacks {attribute}");
        }
        let names = elements(svg);
        assert_eq!(&names[..3], &["svg", "title", "desc"], "{heading}");
    }
    // The description carries the numbers for a screen reader.
    assert!(all[0].1.contains("03-04 100.0%") && all[0].1.contains("03-05 33.3%"), "{}", all[0].1);
    assert!(all[1].1.contains("10–15: 1") || all[1].1.contains("0–5: 1"));
}

#[test]
fn reference_runs_get_a_column_a_series_and_a_legend() {
    let m = mixed();
    let mut worse_record = mixed_market();
    worse_record.bookings.retain(|b| b.worker_id.0 != 3);
    let worse = measure(&worse_record);
    let empty = measure(&record(week()));
    let input = ReportInput {
        main: ("simulated", &m),
        references: vec![("greedy <FCFS>", &worse), ("empty", &empty)],
        notes: vec![("LP upper bound on fill".to_string(), "87.5%".to_string())],
    };
    let page = html("Simulation", &input);
    elements(&page);
    assert!(page.contains(r#"<th scope="col">simulated</th><th scope="col">greedy &lt;FCFS&gt;</th><th scope="col">empty</th>"#));
    assert!(page.contains(&format!(r#"<th scope="row">Fill rate</th><td>62.5%</td><td>{}</td><td>—</td>"#, percent(worse.fill.rate))));
    // A currency only some runs earned in shows a dash for the others.
    assert!(page.contains(r#"<th scope="row">Earnings total (EUR)</th><td>EUR 50.10</td><td>EUR 50.10</td><td>—</td>"#));
    assert!(page.contains(r#"<th scope="row">LP upper bound on fill</th><td>87.5%</td>"#));
    assert!(page.contains(&summary_line(&worse)));
    let compared = compared_charts(&input);
    for (heading, svg) in &compared[..3] {
        assert!(svg.contains("greedy &lt;FCFS&gt;"), "{heading} names the reference in its legend");
        assert!(svg.contains("stroke-dasharray") || heading.starts_with("Time"), "{heading}: references differ by dash, not colour only");
    }
}

#[test]
fn an_empty_market_still_draws_valid_charts() {
    let m = measure(&record(week()));
    let page = html("Nothing happened", &ReportInput::single("exchange", &m));
    elements(&page);
    assert!(page.contains("fill — · urgent fill —"));
    for (_, svg) in charts(&m) {
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    }
}

#[test]
fn chart_builders_escape_text_and_leave_gaps() {
    let line = line_chart(&LineChart {
        title: "A <b> & c".to_string(),
        x_label: "x \"quoted\"".to_string(),
        y_label: "y".to_string(),
        categories: vec!["1".into(), "2".into(), "3".into(), "4".into()],
        series: vec![LineSeries { name: "run".into(), values: vec![Some(0.5), None, Some(1.0), Some(f64::NAN)] }],
        y_max: 1.0,
        y_percent: true,
    });
    elements(&line);
    assert!(line.contains("A &lt;b&gt; &amp; c") && line.contains("x &quot;quoted&quot;"));
    assert_eq!(line.matches("<polyline").count(), 2, "a gap splits the line");
    assert!(!line.contains("NaN"));
    let bars = histogram(&Histogram {
        title: "h".into(),
        x_label: "x".into(),
        y_label: "y".into(),
        categories: vec!["a".into(), "b".into()],
        series: vec![BarSeries { name: "one".into(), counts: vec![3, 0] }, BarSeries { name: "two".into(), counts: vec![1, 7] }],
    });
    elements(&bars);
    assert_eq!(bars.matches("<rect").count(), 1 + 4 + 2, "background, four bars, two legend swatches");
    let lorenz = lorenz_chart("L", &[]);
    elements(&lorenz);
    assert!(lorenz.contains("equality"));
}
