//! What every page shares: the navigation for the visitor's role, security
//! headers, rendering, and how times and money are shown.

use askama::Template;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use jiff::Timestamp;
use slivers_core::{Interval, Zone};
use slivers_store::Role;

use super::session::Session;
use super::PortalError;

/// One entry in the top navigation.
pub struct Link {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// The header every page renders: who is signed in, where they can go, and
/// the CSRF token for the sign-out form.
pub struct Nav {
    pub signed_in: bool,
    pub email: String,
    pub role: &'static str,
    pub csrf: String,
    pub links: Vec<Link>,
}

impl Nav {
    pub fn anonymous() -> Nav {
        Nav { signed_in: false, email: String::new(), role: "", csrf: String::new(), links: Vec::new() }
    }

    /// The navigation for `s`'s role with `current` (an href) marked.
    pub fn new(s: &Session, current: &str) -> Nav {
        let items: &[(&'static str, &'static str)] = match s.user.role {
            Role::Worker => &[
                ("/w", "Home"),
                ("/w/availability", "Availability"),
                ("/w/limits", "Limits"),
                ("/w/skills", "Skills"),
                ("/w/assessments", "Assessments"),
                ("/w/work", "Work for me"),
                ("/w/timesheets", "Timesheets"),
                ("/w/timeline", "Timeline"),
                ("/w/help", "Help"),
                ("/account", "Account"),
            ],
            Role::Business => &[
                ("/b", "Home"),
                ("/b/shifts/new", "Post a shift"),
                ("/b/roster", "Roster"),
                ("/b/sites", "Sites"),
                ("/b/assessments", "Assessments"),
                ("/b/timesheets", "Invoices"),
                ("/b/timeline", "Timeline"),
                ("/b/settings", "Settings"),
                ("/b/help", "Help"),
                ("/account", "Account"),
            ],
            Role::Operator => &[
                ("/op", "Market"),
                ("/op/outcomes", "Outcomes"),
                ("/op/workers", "Workers"),
                ("/op/businesses", "Businesses"),
                ("/op/assessments", "Assessments"),
                ("/op/billing", "Billing"),
                ("/op/help", "Help"),
                ("/account", "Account"),
            ],
        };
        Nav {
            signed_in: true,
            email: s.user.email.clone(),
            role: s.user.role.as_str(),
            csrf: s.csrf.clone(),
            links: items.iter().map(|(href, label)| Link { href, label, current: *href == current }).collect(),
        }
    }
}

/// Headers for every HTML page: no caching of personal pages. The security
/// headers (CSP, framing, referrer, no sniffing) are added to every response
/// of the server by `crate::security::headers`.
pub fn page_headers(h: &mut HeaderMap) {
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// Render a template as a page.
pub fn render(t: &impl Template) -> Result<Response, PortalError> {
    let mut res = Html(t.render()?).into_response();
    page_headers(res.headers_mut());
    Ok(res)
}

/// Render with a status other than 200 (a refused form shown again).
pub fn render_status(status: axum::http::StatusCode, t: &impl Template) -> Result<Response, PortalError> {
    let mut res = render(t)?;
    *res.status_mut() = status;
    Ok(res)
}

/// Whether htmx sent the request (and wants a fragment, not a page).
pub fn is_htmx(h: &HeaderMap) -> bool {
    h.get("HX-Request").is_some_and(|v| v == "true")
}

/// "Tue 1 Dec 09:00" in `zone`.
pub fn when(t: Timestamp, zone: &Zone) -> String {
    t.to_zoned(zone.tz().clone()).strftime("%a %-d %b %H:%M").to_string()
}

/// "Tue 1 Dec 09:00–17:00" (the end's date is shown only when it differs).
pub fn window(iv: Interval, zone: &Zone) -> String {
    let s = iv.start.to_zoned(zone.tz().clone());
    let e = iv.end.to_zoned(zone.tz().clone());
    if s.date() == e.date() || (e.time() == jiff::civil::Time::midnight() && iv.minutes() <= 24 * 60) {
        format!("{}–{}", s.strftime("%a %-d %b %H:%M"), e.strftime("%H:%M"))
    } else {
        format!("{} – {}", s.strftime("%a %-d %b %H:%M"), e.strftime("%a %-d %b %H:%M"))
    }
}

/// A window on the reader's clock and, when the other side keeps another
/// zone, on theirs too: "Mon 7 Dec 12:00–15:30 (Europe/Dublin) · 17:30–21:00
/// at the site (Asia/Kolkata)". Both sides of remote work see both clocks.
pub fn window_both(iv: Interval, own: &Zone, other: &Zone, other_label: &str) -> String {
    let mine = window(iv, own);
    let theirs = window(iv, other);
    if own.name() == other.name() || mine == theirs {
        return mine;
    }
    format!("{mine} ({}) · {theirs} {other_label} ({})", own.name(), other.name())
}

/// Minutes as "7 h 30 min".
pub fn hours(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (h, 0) => format!("{h} h"),
        (0, m) => format!("{m} min"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// A rule checker refusal in words a person can act on: each broken rule's
/// name and message.
pub struct Refusal {
    pub summary: String,
    pub rules: Vec<(String, String)>,
}

impl Refusal {
    /// A use case's refusal, as the visitor may see it (the application layer
    /// has already reduced a worker's private numbers to verdicts).
    pub fn from_exchange(e: slivers_exchange::ExchangeError) -> Result<Refusal, PortalError> {
        use slivers_exchange::ExchangeError as E;
        match e {
            E::Conflict(c) => Refusal::from_store(slivers_store::StoreError::Conflict(c)),
            E::Invalid(i) => Refusal::from_store(slivers_store::StoreError::Invalid(i)),
            other => Err(other.into()),
        }
    }

    pub fn from_store(e: slivers_store::StoreError) -> Result<Refusal, PortalError> {
        use slivers_store::{Conflict, StoreError};
        match e {
            StoreError::Conflict(Conflict::Rules(v)) => Ok(Refusal {
                summary: "The rule checker refused this booking.".into(),
                rules: v.failures().map(|c| (c.rule.as_str().to_string(), c.message.clone())).collect(),
            }),
            StoreError::Conflict(c) => {
                let names = c.rules();
                Ok(Refusal { summary: "The booking was refused.".into(), rules: names.into_iter().map(|n| (n.to_string(), c.to_string())).collect() })
            }
            StoreError::Invalid(i) => Ok(Refusal {
                summary: "Some fields need attention.".into(),
                rules: i.0.into_iter().map(|f| (f.field, f.reason)).collect(),
            }),
            other => Err(other.into()),
        }
    }
}

/// Problems with a submitted form, field by field.
pub fn field_errors(i: slivers_core::Invalid) -> Vec<(String, String)> {
    i.0.into_iter().map(|f| (f.field, f.reason)).collect()
}

#[cfg(test)]
mod both_zones {
    use super::*;

    #[test]
    fn a_window_shows_the_other_clock_only_when_it_differs() {
        let iv = Interval::new("2026-12-07T12:00:00Z".parse().expect("ts"), "2026-12-07T15:30:00Z".parse().expect("ts")).expect("iv");
        let dublin = Zone::parse("Europe/Dublin").expect("zone");
        let london = Zone::parse("Europe/London").expect("zone");
        let kolkata = Zone::parse("Asia/Kolkata").expect("zone");
        assert_eq!(window_both(iv, &dublin, &dublin, "x"), "Mon 7 Dec 12:00–15:30");
        // Same clock in December, other name: one time is enough.
        assert_eq!(window_both(iv, &dublin, &london, "x"), "Mon 7 Dec 12:00–15:30");
        assert_eq!(
            window_both(iv, &dublin, &kolkata, "at the business"),
            "Mon 7 Dec 12:00–15:30 (Europe/Dublin) · Mon 7 Dec 17:30–21:00 at the business (Asia/Kolkata)"
        );
    }
}
