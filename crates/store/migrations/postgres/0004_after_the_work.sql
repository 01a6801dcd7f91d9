-- After the work: timesheets (and late-cancellation pay), ratings both ways,
-- issued documents with gapless numbers, calendar feeds, billing terms.
ALTER TABLE businesses ADD COLUMN billing_json TEXT NOT NULL DEFAULT '';
ALTER TABLE businesses ADD COLUMN party_json TEXT NOT NULL DEFAULT '';
-- Whether a cancellation came with less notice than the business's policy asks.
ALTER TABLE bookings ADD COLUMN cancelled_late BIGINT NOT NULL DEFAULT 0;

CREATE TABLE timesheets (
    id BIGSERIAL PRIMARY KEY,
    booking_id BIGINT NOT NULL UNIQUE REFERENCES bookings(id),
    shift_id BIGINT NOT NULL REFERENCES shifts(id),
    worker_id BIGINT NOT NULL REFERENCES workers(id),
    business_id BIGINT NOT NULL REFERENCES businesses(id),
    kind TEXT NOT NULL CHECK (kind IN ('work', 'late_cancellation')),
    status TEXT NOT NULL CHECK (status IN ('open', 'submitted', 'disputed', 'approved')),
    approval TEXT,
    scheduled_start BIGINT NOT NULL,
    scheduled_end BIGINT NOT NULL,
    check_in_at BIGINT,
    check_out_at BIGINT,
    break_minutes BIGINT NOT NULL DEFAULT 0,
    late_minutes BIGINT NOT NULL DEFAULT 0,
    review_until BIGINT,
    approved_minutes BIGINT,
    share_percent TEXT NOT NULL DEFAULT '0',
    notes_json TEXT NOT NULL DEFAULT '[]',
    invoice_id BIGINT,
    paid_amount TEXT NOT NULL DEFAULT '0',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX timesheets_business ON timesheets(business_id, status);
CREATE INDEX timesheets_worker ON timesheets(worker_id, status);
CREATE INDEX timesheets_review ON timesheets(status, review_until);

CREATE TABLE ratings (
    id BIGSERIAL PRIMARY KEY,
    booking_id BIGINT NOT NULL REFERENCES bookings(id),
    by_side TEXT NOT NULL CHECK (by_side IN ('worker', 'business')),
    worker_id BIGINT NOT NULL REFERENCES workers(id),
    business_id BIGINT NOT NULL REFERENCES businesses(id),
    stars BIGINT NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (booking_id, by_side)
);
CREATE INDEX ratings_worker ON ratings(worker_id);
CREATE INDEX ratings_business ON ratings(business_id);

-- The last number used per series; issuing bumps it in the issuing
-- transaction, so numbers run without gaps.
CREATE TABLE document_series (
    series TEXT PRIMARY KEY,
    last BIGINT NOT NULL
);

CREATE TABLE documents (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note', 'pay_statement')),
    series TEXT NOT NULL,
    seq BIGINT NOT NULL,
    number TEXT NOT NULL,
    business_id BIGINT REFERENCES businesses(id),
    worker_id BIGINT REFERENCES workers(id),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    currency TEXT NOT NULL,
    total TEXT NOT NULL,
    corrects_id BIGINT REFERENCES documents(id),
    credited_by_id BIGINT REFERENCES documents(id),
    body_json TEXT NOT NULL,
    UNIQUE (series, seq)
);
CREATE INDEX documents_business ON documents(business_id, id);
CREATE INDEX documents_worker ON documents(worker_id, id);

CREATE TABLE calendar_feeds (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    worker_id BIGINT REFERENCES workers(id),
    business_id BIGINT REFERENCES businesses(id),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
