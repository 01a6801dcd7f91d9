//! What an email says. Rendered from the outbox row alone when it is sent,
//! so a retry says exactly what the first try said.

use jiff::Timestamp;
use slivers_store::OutboxItem;

/// An email ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

fn text<'a>(v: &'a serde_json::Value, path: &[&str]) -> &'a str {
    path.iter().try_fold(v, |v, k| v.get(k)).and_then(|v| v.as_str()).unwrap_or("")
}

/// "Mon 30 Nov 09:00–17:00 (Europe/Dublin)", in the shift's own zone.
fn when(shift: &serde_json::Value) -> String {
    let zone = text(shift, &["zone"]);
    let (Ok(start), Ok(end)) = (text(shift, &["start"]).parse::<Timestamp>(), text(shift, &["end"]).parse::<Timestamp>()) else {
        return String::new();
    };
    let Ok(tz) = jiff::tz::TimeZone::get(zone) else { return format!("{start} to {end}") };
    let (s, e) = (start.to_zoned(tz.clone()), end.to_zoned(tz));
    format!("{}–{} ({zone})", s.strftime("%a %-d %b %Y %H:%M"), e.strftime("%H:%M"))
}

fn shift_line(data: &serde_json::Value) -> String {
    let shift = &data["shift"];
    if shift.is_null() {
        return String::new();
    }
    let site = text(shift, &["site"]);
    let at = if site.is_empty() { String::new() } else { format!(" at {site}") };
    format!("{}{at}, {}", text(shift, &["business"]), when(shift))
}

fn link(public_url: &str, path: &str, token: &str) -> String {
    format!("{}{path}?token={token}", public_url.trim_end_matches('/'))
}

/// The subject and body of an email outbox row.
pub fn render(item: &OutboxItem, public_url: &str) -> Rendered {
    let d = &item.data;
    if item.topic == "account" {
        return account(d, public_url);
    }
    let shift = shift_line(d);
    let booking = d["ids"]["booking_id"].as_i64().map(|b| format!(" (booking {b})")).unwrap_or_default();
    let detail = &d["detail"];
    let (subject, body) = match text(d, &["event"]) {
        "booking.confirmed" => (format!("Booking confirmed: {shift}"), format!("The booking{booking} is confirmed: {shift}.")),
        "booking.cancelled_by_worker" => (format!("Booking cancelled: {shift}"), format!("The worker cancelled the booking{booking}: {shift}.")),
        "booking.cancelled_by_business" => {
            (format!("Booking cancelled: {shift}"), format!("The business cancelled the booking{booking}: {shift}."))
        }
        "booking.offered" => (
            format!("A shift is offered to you: {shift}"),
            format!("You have a new offer{booking}: {shift}.\nAccept or decline it in the portal: {}/w/offers", public_url.trim_end_matches('/')),
        ),
        "timesheet.submitted" => (
            "A timesheet is waiting for your review".into(),
            format!("A timesheet{booking} was submitted: {shift}.\nConfirm, correct or dispute it before its review window ends."),
        ),
        "timesheet.disputed" => ("A timesheet is disputed".into(), format!("The timesheet{booking} is disputed: {shift}. An operator will hear both sides.")),
        "invoice.issued" => {
            let n = text(detail, &["number"]);
            (format!("Invoice {n} issued"), format!("Invoice {n} was issued. It is in the portal under Billing, with its e-invoice (UBL)."))
        }
        "credit_note.issued" => {
            let n = text(detail, &["number"]);
            (format!("Credit note {n} issued"), format!("Credit note {n} was issued. It is in the portal under Billing."))
        }
        "pay_statement.issued" => ("Your pay statement is ready".into(), "A new pay statement is in the portal under Timesheets.".into()),
        other => (format!("Slivers: {other}"), format!("Something changed on Slivers: {other}.")),
    };
    Rendered { subject, body }
}

fn account(d: &serde_json::Value, public_url: &str) -> Rendered {
    let token = text(d, &["token"]);
    let expires = text(d, &["expires_at"]);
    let (subject, path, lead) = match text(d, &["purpose"]) {
        "verify_email" => ("Confirm your email address for Slivers", "/account/verify", "Confirm that this address is yours"),
        "reset_password" => ("Reset your Slivers password", "/account/reset", "Someone (we hope you) asked to reset your password. Choose a new one"),
        "change_email" => ("Confirm your new email address for Slivers", "/account/change-email", "Confirm the move of your Slivers account to this address"),
        "claim_account" => ("You are invited to Slivers", "/account/claim", "A business you work for added you to Slivers. Choose a password to take over your account"),
        _ => ("Slivers account", "/", "Open"),
    };
    let invited_by = text(d, &["business"]);
    let by = if invited_by.is_empty() { String::new() } else { format!("Invited by {invited_by}.\n\n") };
    Rendered {
        subject: subject.into(),
        body: format!(
            "{by}{lead}:\n\n{}\n\nThe link works once and expires at {expires}. If you did not ask for this, ignore this email.",
            link(public_url, path, token)
        ),
    }
}
