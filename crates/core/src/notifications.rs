//! Which changes people are told about by email, and which of those emails a
//! person may turn off.
//!
//! The table is pure data so that the store can apply it inside the very
//! transaction that records the change (the outbox row and the change commit
//! together), while the application layer renders and sends the mail later.

/// Who, of the parties an event names, receives the email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Every live login of the worker the event names.
    Worker,
    /// Every live login of the business the event names.
    Business,
}

/// A kind of email. Essential ones (account security, a booking made or
/// undone, money) cannot be turned off; the others carry an unsubscribe link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Topic {
    pub name: &'static str,
    pub essential: bool,
    pub describe: &'static str,
}

pub const TOPICS: &[Topic] = &[
    Topic { name: "account", essential: true, describe: "Email verification, password reset, email change and account invitations" },
    Topic { name: "booking", essential: true, describe: "A booking confirmed or cancelled" },
    Topic { name: "money", essential: true, describe: "Invoices, credit notes and pay statements issued" },
    Topic { name: "offers", essential: false, describe: "A shift offered to you" },
    Topic { name: "timesheets", essential: false, describe: "A timesheet waiting for your review, or disputed" },
    Topic { name: "inquiries", essential: false, describe: "An answer to your inquiry" },
    Topic { name: "feedback", essential: false, describe: "A change of status of a feature request you raised or voted for" },
];

pub fn topic(name: &str) -> Option<&'static Topic> {
    TOPICS.iter().find(|t| t.name == name)
}

/// The emails an event of `kind` sends: to whom, under which topic.
pub fn emails_for(kind: &str) -> &'static [(Audience, &'static str)] {
    use Audience::*;
    match kind {
        "booking.confirmed" | "booking.cancelled_by_worker" | "booking.cancelled_by_business" => {
            &[(Worker, "booking"), (Business, "booking")]
        }
        "booking.offered" => &[(Worker, "offers")],
        "timesheet.submitted" | "timesheet.disputed" => &[(Business, "timesheets")],
        "invoice.issued" | "credit_note.issued" => &[(Business, "money")],
        "pay_statement.issued" => &[(Worker, "money")],
        // An operator told the customer something about their inquiry. The
        // event names only the customer (a business or a worker), so exactly
        // one of the two audiences applies.
        "inquiry.answered" | "inquiry.waiting" | "inquiry.resolved" => &[(Worker, "inquiries"), (Business, "inquiries")],
        _ => &[],
    }
}

/// Whether a webhook endpoint subscribed to `types` (a comma-separated list
/// of event kinds, `*` for all, `booking.*` for a family) wants `kind`.
pub fn subscribed(types: &str, kind: &str) -> bool {
    types.split(',').map(str::trim).any(|t| {
        t == "*" || t == kind || t.strip_suffix(".*").is_some_and(|family| kind.split('.').next() == Some(family))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_topic_an_event_names_is_in_the_table() {
        for kind in ["booking.confirmed", "booking.offered", "timesheet.submitted", "invoice.issued", "pay_statement.issued", "inquiry.answered"] {
            for (_, name) in emails_for(kind) {
                assert!(topic(name).is_some(), "{kind} names unknown topic {name}");
            }
        }
    }

    #[test]
    fn subscriptions_match_exact_kinds_families_and_all() {
        assert!(subscribed("*", "booking.confirmed"));
        assert!(subscribed("invoice.issued, booking.*", "booking.cancelled_by_worker"));
        assert!(!subscribed("booking.*", "bookings.x"));
        assert!(!subscribed("invoice.issued", "invoice.issued.x"));
        assert!(!subscribed("", "booking.confirmed"));
    }
}
