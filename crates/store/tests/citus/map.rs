//! Where every table goes under Citus: the declared distribution map (one
//! place; docs/SCALE.md explains it and the test holds the document to it),
//! and the named exceptions: today's constraints that break a rule under this
//! map, each with the reason and the plan. The test fails on a violation not
//! listed here and on a listed one that no longer occurs, so the list can
//! only shrink.

use super::rules::Placement::{self, Distributed, Local, Reference};
use super::rules::{Entry, Rule};

const fn by(column: &'static str, group: &'static str) -> Placement {
    Distributed { column, group }
}

/// Four co-location groups: `worker` (the 10-million axis: a worker's
/// profile, bookings and everything hanging off a booking), `business`
/// (shifts and what a business owns), `user` (logins) and `token` (secrets
/// looked up by their hash on every request).
pub const MAP: &[Entry] = &[
    // worker group: co-located with workers.id.
    Entry { table: "workers", placement: by("id", "worker"), why: "the 10-million axis; every booking locks and reads one worker" },
    Entry { table: "worker_skills", placement: by("worker_id", "worker"), why: "read with the worker" },
    Entry { table: "bookings", placement: by("worker_id", "worker"), why: "the rule checker reads a worker's bookings; the no-overlap exclusion is per worker" },
    Entry { table: "timesheets", placement: by("worker_id", "worker"), why: "one per booking, beside it; pay reads them per worker" },
    Entry { table: "ratings", placement: by("worker_id", "worker"), why: "per booking; reputation is per worker" },
    Entry { table: "booking_messages", placement: by("worker_id", "worker"), why: "per booking, beside it" },
    Entry { table: "assessment_attempts", placement: by("worker_id", "worker"), why: "a worker's evidence, read with their skills" },
    Entry { table: "assessment_questions", placement: by("worker_id", "worker"), why: "belong to an attempt (the column is still to add: NoOwnerColumn)" },
    Entry { table: "issued_credentials", placement: by("worker_id", "worker"), why: "a worker's credentials" },
    // business group: its own co-location group (colocate_with => 'none' for the first).
    Entry { table: "shifts", placement: by("business_id", "business"), why: "a business posts and lists its shifts" },
    Entry { table: "offer_waves", placement: by("business_id", "business"), why: "per shift of a business" },
    Entry { table: "webhook_endpoints", placement: by("business_id", "business"), why: "a business's endpoints, read by every event of it" },
    Entry { table: "documents", placement: by("business_id", "business"), why: "invoices and credit notes are a business's (pay statements move out: NoOwnerColumn)" },
    // user group: logins by id; preferences beside them.
    Entry { table: "users", placement: by("id", "user"), why: "one login per person (10 million and more)" },
    Entry { table: "email_preferences", placement: by("user_id", "user"), why: "per login" },
    // token group: looked up by hash, so every authenticated request is one shard.
    Entry { table: "sessions", placement: by("token_hash", "token"), why: "every portal request looks its cookie up by hash" },
    Entry { table: "api_tokens", placement: by("token_hash", "token"), why: "every API request looks its token up by hash" },
    Entry { table: "account_tokens", placement: by("token_hash", "token"), why: "redeemed by hash" },
    Entry { table: "calendar_feeds", placement: by("token_hash", "token"), why: "the feed URL carries the secret" },
    Entry { table: "sign_in_failures", placement: by("key_hash", "token"), why: "counted per email-and-address hash" },
    // Reference tables: small, read beside every shard, rarely written (2PC to every node).
    Entry { table: "skills", placement: Reference, why: "the skill catalogue" },
    Entry { table: "businesses", placement: Reference, why: "100,000 rows; every booking reads the business's policy" },
    Entry { table: "sites", placement: Reference, why: "a few per business; every on-site booking reads location and labour policy" },
    Entry { table: "assessments", placement: Reference, why: "specs read when a worker attempts or is graded" },
    Entry { table: "feature_requests", placement: Reference, why: "the public board" },
    Entry { table: "document_series", placement: Reference, why: "three counter rows (INV, CRN, PAY) locked by every issue" },
    Entry { table: "contact_settings", placement: Reference, why: "one row" },
    Entry { table: "issuer_keys", placement: Reference, why: "one row" },
    // Local: on the coordinator only.
    Entry { table: "events", placement: Local, why: "one totally ordered log that tailers read by seq; no foreign keys" },
    Entry { table: "outbox", placement: Local, why: "written in the event's transaction; one delivery loop claims from it" },
    Entry { table: "outbox_attempts", placement: Local, why: "the outbox's delivery log" },
    Entry { table: "inquiries", placement: Local, why: "support threads: few, read by operators across customers" },
    Entry { table: "inquiry_messages", placement: Local, why: "beside their inquiry" },
    Entry { table: "inquiry_pauses", placement: Local, why: "beside their inquiry" },
    Entry { table: "feature_links", placement: Local, why: "votes on the board, read by operators" },
    Entry { table: "schema_migrations", placement: Local, why: "the migration runner's bookkeeping; Citus runs DDL from the coordinator" },
];

/// Why a constraint that breaks a rule is still there, and the plan. One
/// reason covers many constraints; the plan is the same for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// The key is the surrogate `id` alone. Unique anyway (one sequence).
    SurrogateKey,
    /// A key into a table that is itself keyed by `id` alone.
    IdOnlyParent,
    /// The key runs from one group to another (worker ↔ business ↔ user).
    AcrossGroups,
    /// A local table points at a distributed one.
    LocalToDistributed,
    /// Unique across the whole exchange, not per owner.
    ExchangeWideUnique,
    /// Unique per parent row, and the parent belongs to one owner.
    PerParentUnique,
    /// The distribution column is missing or may be NULL.
    NoOwnerColumn,
}

impl Why {
    pub fn plan(self) -> &'static str {
        match self {
            Why::SurrogateKey => "at cut-over the key becomes (distribution column, id) and every lookup by id also names the owner",
            Why::IdOnlyParent => "after the parent is rekeyed the key becomes (distribution column, x_id) → parent (distribution column, id)",
            Why::AcrossGroups => "dropped at cut-over: the write takes the parent's row lock in the same transaction (bookings lock the shift), and rows are never deleted",
            Why::LocalToDistributed => "dropped at cut-over: the row is written in the transaction that just read the ids it names, and those rows are never deleted",
            Why::ExchangeWideUnique => "moves to a small table distributed by the unique value itself (user_emails by email), or is guaranteed by the counter row locked to allocate it",
            Why::PerParentUnique => "becomes (distribution column, ...): the same rows, because a parent has one owner",
            Why::NoOwnerColumn => "add the owner's column (assessment_questions.worker_id); split pay statements (no business) into a worker-distributed table",
        }
    }
}

/// A known violation: (table, constraint, rule, reason).
pub struct Exception {
    pub table: &'static str,
    pub constraint: &'static str,
    pub rule: Rule,
    pub why: Why,
}

const fn x(table: &'static str, constraint: &'static str, rule: Rule, why: Why) -> Exception {
    Exception { table, constraint, rule, why }
}

use Rule::*;
use Why::*;

pub const EXCEPTIONS: &[Exception] = &[
    // Keyed by the surrogate id alone.
    x("bookings", "bookings_pkey", KeyWithoutDistributionColumn, SurrogateKey),
    x("timesheets", "timesheets_pkey", KeyWithoutDistributionColumn, SurrogateKey),
    x("ratings", "ratings_pkey", KeyWithoutDistributionColumn, SurrogateKey),
    x("booking_messages", "booking_messages_pkey", KeyWithoutDistributionColumn, SurrogateKey),
    x("assessment_attempts", "assessment_attempts_pkey", KeyWithoutDistributionColumn, SurrogateKey),
    x("assessment_questions", "assessment_questions_pkey", KeyWithoutDistributionColumn, SurrogateKey),
    x("issued_credentials", "issued_credentials_pkey", KeyWithoutDistributionColumn, SurrogateKey),
    x("shifts", "shifts_pkey", KeyWithoutDistributionColumn, SurrogateKey),
    x("offer_waves", "offer_waves_pkey", KeyWithoutDistributionColumn, SurrogateKey),
    x("webhook_endpoints", "webhook_endpoints_pkey", KeyWithoutDistributionColumn, SurrogateKey),
    x("documents", "documents_pkey", KeyWithoutDistributionColumn, SurrogateKey),
    x("api_tokens", "api_tokens_pkey", KeyWithoutDistributionColumn, SurrogateKey),
    x("account_tokens", "account_tokens_pkey", KeyWithoutDistributionColumn, SurrogateKey),
    x("calendar_feeds", "calendar_feeds_pkey", KeyWithoutDistributionColumn, SurrogateKey),
    x("sign_in_failures", "sign_in_failures_pkey", KeyWithoutDistributionColumn, SurrogateKey),
    // Keys into a parent keyed by id alone, inside one group.
    x("timesheets", "timesheets_booking_id_fkey", ForeignKeyWithoutDistributionColumn, IdOnlyParent),
    x("ratings", "ratings_booking_id_fkey", ForeignKeyWithoutDistributionColumn, IdOnlyParent),
    x("booking_messages", "booking_messages_booking_id_fkey", ForeignKeyWithoutDistributionColumn, IdOnlyParent),
    x("assessment_questions", "assessment_questions_attempt_id_fkey", ForeignKeyWithoutDistributionColumn, IdOnlyParent),
    x("offer_waves", "offer_waves_shift_id_fkey", ForeignKeyWithoutDistributionColumn, IdOnlyParent),
    x("documents", "documents_corrects_id_fkey", ForeignKeyWithoutDistributionColumn, IdOnlyParent),
    x("documents", "documents_credited_by_id_fkey", ForeignKeyWithoutDistributionColumn, IdOnlyParent),
    // Unique per parent; the parent has one owner.
    x("timesheets", "timesheets_booking_id_key", KeyWithoutDistributionColumn, PerParentUnique),
    x("ratings", "ratings_booking_id_by_side_key", KeyWithoutDistributionColumn, PerParentUnique),
    x("offer_waves", "offer_waves_one_active", KeyWithoutDistributionColumn, PerParentUnique),
    // Unique across the exchange.
    x("users", "users_email_key", KeyWithoutDistributionColumn, ExchangeWideUnique),
    x("documents", "documents_series_seq_key", KeyWithoutDistributionColumn, ExchangeWideUnique),
    x("issued_credentials", "issued_credentials_status_index_key", KeyWithoutDistributionColumn, ExchangeWideUnique),
    // From one group into another: worker ↔ business, anything → users.
    x("bookings", "bookings_shift_id_fkey", NotColocated, AcrossGroups),
    x("timesheets", "timesheets_shift_id_fkey", NotColocated, AcrossGroups),
    x("users", "users_worker_id_fkey", NotColocated, AcrossGroups),
    x("sessions", "sessions_user_id_fkey", NotColocated, AcrossGroups),
    x("api_tokens", "api_tokens_user_id_fkey", NotColocated, AcrossGroups),
    x("account_tokens", "account_tokens_user_id_fkey", NotColocated, AcrossGroups),
    x("calendar_feeds", "calendar_feeds_worker_id_fkey", NotColocated, AcrossGroups),
    x("booking_messages", "booking_messages_user_id_fkey", NotColocated, AcrossGroups),
    x("assessment_attempts", "assessment_attempts_reviewer_fkey", NotColocated, AcrossGroups),
    x("assessment_questions", "assessment_questions_answered_by_fkey", NotColocated, AcrossGroups),
    x("assessments", "assessments_created_by_fkey", ReferenceToDistributed, AcrossGroups),
    // From the coordinator's local tables into distributed ones.
    x("outbox", "outbox_worker_id_fkey", LocalAndDistributed, LocalToDistributed),
    x("outbox", "outbox_user_id_fkey", LocalAndDistributed, LocalToDistributed),
    x("outbox", "outbox_endpoint_id_fkey", LocalAndDistributed, LocalToDistributed),
    x("inquiries", "inquiries_worker_id_fkey", LocalAndDistributed, LocalToDistributed),
    x("inquiries", "inquiries_raised_by_fkey", LocalAndDistributed, LocalToDistributed),
    x("inquiry_messages", "inquiry_messages_user_id_fkey", LocalAndDistributed, LocalToDistributed),
    x("feature_links", "feature_links_worker_id_fkey", LocalAndDistributed, LocalToDistributed),
    x("feature_links", "feature_links_user_id_fkey", LocalAndDistributed, LocalToDistributed),
    // The owner's column is missing, or NULL for some rows.
    x("assessment_questions", "column worker_id", NoDistributionColumn, NoOwnerColumn),
    x("documents", "column business_id", NullableDistributionColumn, NoOwnerColumn),
    x("documents", "documents_worker_id_fkey", NotColocated, NoOwnerColumn),
];
