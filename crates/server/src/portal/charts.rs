//! Charts drawn by the server as SVG: no chart library and no CDN. Each chart
//! is an image with a text alternative, so a screen reader gets the numbers.
//! Colours come from presentation attributes (allowed by the page's CSP).

use std::fmt::Write;

/// Escape text for SVG.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// One bar of a stacked bar chart: a label and its segments' values.
pub struct Bar {
    pub label: String,
    pub values: Vec<i64>,
}

/// A stacked bar chart with an optional horizontal limit line (e.g. a cap).
/// `series` names the segments, `colors` fills them.
pub fn stacked_bars(title: &str, series: &[&str], colors: &[&str], bars: &[Bar], limit: Option<(i64, &str)>, unit: &str) -> String {
    let (w, h, left, bottom, top) = (640.0_f64, 220.0_f64, 44.0_f64, 28.0_f64, 24.0_f64);
    let max_total = bars.iter().map(|b| b.values.iter().sum::<i64>()).max().unwrap_or(0);
    // Three gridlines at whole steps, so small counts read 0, 1, 2, 3 rather than rounded fractions.
    let step = nice_step(max_total.max(limit.map_or(0, |l| l.0)).max(1));
    let max = (step * 3) as f64 * 1.08;
    let plot_h = h - bottom - top;
    let slot = (w - left) / bars.len().max(1) as f64;
    let bar_w = (slot * 0.6).max(4.0);
    let y = |v: f64| top + plot_h - v / max * plot_h;
    let mut desc = String::new();
    for b in bars {
        let parts: Vec<String> = series.iter().zip(&b.values).map(|(s, v)| format!("{s} {v} {unit}")).collect();
        let _ = write!(desc, "{}: {}. ", b.label, parts.join(", "));
    }
    if let Some((l, name)) = limit {
        let _ = write!(desc, "{name}: {l} {unit}.");
    }
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="c-{id}-t c-{id}-d" xmlns="http://www.w3.org/2000/svg"><title id="c-{id}-t">{t}</title><desc id="c-{id}-d">{d}</desc>"##,
        id = chart_id(title),
        t = esc(title),
        d = esc(&desc)
    );
    // A legend when there is more than one series, so colour is never the only key.
    if series.len() > 1 {
        let mut x = left;
        for (name, color) in series.iter().zip(colors) {
            let _ = write!(s, r##"<rect x="{x:.1}" y="2" width="12" height="12" fill="{color}"/><text x="{:.1}" y="12" font-size="12" fill="#1f2328">{}</text>"##, x + 16.0, esc(name));
            x += 24.0 + 7.5 * name.len() as f64;
        }
    }
    // Axis with three gridlines.
    for i in 0..=3i64 {
        let v = step * i;
        let yy = y(v as f64);
        let _ = write!(s, r##"<line x1="{left}" x2="{w}" y1="{yy:.1}" y2="{yy:.1}" stroke="#d0d7de" stroke-width="1"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#3d4751">{v}</text>"##, left - 4.0, yy + 4.0);
    }
    for (i, b) in bars.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
        let mut acc = 0.0;
        for (j, v) in b.values.iter().enumerate() {
            if *v <= 0 {
                continue;
            }
            let v = *v as f64;
            let (y1, y0) = (y(acc + v), y(acc));
            let _ = write!(s, r##"<rect x="{x:.1}" y="{y1:.1}" width="{bar_w:.1}" height="{:.1}" fill="{}"/>"##, (y0 - y1).max(0.5), colors.get(j).copied().unwrap_or("#0969da"));
            acc += v;
        }
        let font = if bars.len() > 7 { 10 } else { 12 };
        let _ = write!(s, r##"<text x="{:.1}" y="{:.1}" font-size="{font}" text-anchor="middle" fill="#1f2328">{}</text>"##, x + bar_w / 2.0, h - 8.0, esc(&b.label));
    }
    if let Some((l, name)) = limit {
        let yy = y(l as f64);
        let _ = write!(s, r##"<line x1="{left}" x2="{w}" y1="{yy:.1}" y2="{yy:.1}" stroke="#cf222e" stroke-width="2" stroke-dasharray="6 4"/><text x="{w}" y="{:.1}" font-size="12" text-anchor="end" fill="#a40e26">{} {l}</text>"##, yy - 5.0, esc(name));
    }
    s.push_str("</svg>");
    s
}

/// A single horizontal meter: `value` against `limit` (e.g. minutes booked this week against the cap).
pub fn meter(title: &str, value: i64, limit: i64, label: &str) -> String {
    // The label is HTML below the bar, so it stays readable when the SVG is scaled down.
    let (w, h) = (640.0_f64, 34.0_f64);
    let frac = if limit <= 0 { 1.0 } else { (value as f64 / limit as f64).clamp(0.0, 1.0) };
    let color = if value > limit { "#cf222e" } else if frac > 0.85 { "#9a6700" } else { "#1a7f37" };
    let id = chart_id(title);
    format!(
        r##"<svg class="chart meter" viewBox="0 0 {w} {h}" role="img" aria-labelledby="c-{id}-t c-{id}-d" xmlns="http://www.w3.org/2000/svg"><title id="c-{id}-t">{t}</title><desc id="c-{id}-d">{l}</desc><rect x="0" y="8" width="{w}" height="22" rx="4" fill="#eaeef2"/><rect x="0" y="8" width="{:.1}" height="22" rx="4" fill="{color}"/></svg><p class="meter-label">{l}</p>"##,
        w * frac,
        t = esc(title),
        l = esc(label)
    )
}

/// The smallest of 1, 2, 5, 10, 20, 50, … that covers `max` in three steps.
fn nice_step(max: i64) -> i64 {
    let mut base = 1;
    loop {
        for m in [1, 2, 5] {
            if base * m * 3 >= max {
                return base * m;
            }
        }
        base *= 10;
    }
}

fn chart_id(title: &str) -> String {
    title.bytes().filter(u8::is_ascii_alphanumeric).map(|b| (b.to_ascii_lowercase()) as char).take(24).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_svg_with_text_alternatives() {
        let s = stacked_bars("Minutes this week", &["booked"], &["#0969da"], &[Bar { label: "Mon".into(), values: vec![120] }], Some((480, "daily cap")), "min");
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        assert!(s.contains("<title") && s.contains("Mon: booked 120 min"));
        let m = meter("Week", 600, 480, "600 of 480 min");
        assert!(m.contains("#cf222e"), "over the cap shows red");
        assert_eq!((nice_step(1), nice_step(4), nice_step(480), nice_step(2400)), (1, 2, 200, 1000));
    }
}
