-- Talking with customers: inquiries with response targets (and the settings
-- they run on), the feedback board, and messages about a booking.

-- One settings document (business hours, holidays, zone, target table);
-- absent means the defaults in `slivers_core::contact::ContactSettings`.
CREATE TABLE contact_settings (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    settings_json TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE inquiries (
    id BIGSERIAL PRIMARY KEY,
    -- The customer: exactly one of the two.
    business_id BIGINT REFERENCES businesses(id),
    worker_id BIGINT REFERENCES workers(id),
    raised_by BIGINT REFERENCES users(id),
    category TEXT NOT NULL CHECK (category IN ('billing', 'booking', 'account')),
    priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'waiting_on_customer', 'resolved')),
    subject TEXT NOT NULL,
    about_kind TEXT CHECK (about_kind IN ('document', 'booking', 'timesheet')),
    about_id BIGINT,
    -- The promise made when the inquiry was raised, in business minutes.
    first_response_minutes BIGINT NOT NULL,
    resolution_minutes BIGINT NOT NULL,
    -- Raw times, so response times can be measured from the records alone.
    opened_at BIGINT NOT NULL,
    first_response_at BIGINT,
    resolved_at BIGINT,
    escalations BIGINT NOT NULL DEFAULT 0,
    -- Each breach escalates once.
    first_response_escalated_at BIGINT,
    resolution_escalated_at BIGINT,
    updated_at BIGINT NOT NULL,
    CHECK ((business_id IS NULL) <> (worker_id IS NULL)),
    CHECK ((about_kind IS NULL) = (about_id IS NULL))
);
CREATE INDEX inquiries_business ON inquiries(business_id, id);
CREATE INDEX inquiries_worker ON inquiries(worker_id, id);
CREATE INDEX inquiries_status ON inquiries(status);

CREATE TABLE inquiry_messages (
    id BIGSERIAL PRIMARY KEY,
    inquiry_id BIGINT NOT NULL REFERENCES inquiries(id),
    author TEXT NOT NULL CHECK (author IN ('customer', 'operator')),
    user_id BIGINT REFERENCES users(id),
    action TEXT NOT NULL,
    body TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX inquiry_messages_inquiry ON inquiry_messages(inquiry_id, id);

-- Spans when the target clock stood still: waiting on the customer, or resolved.
CREATE TABLE inquiry_pauses (
    id BIGSERIAL PRIMARY KEY,
    inquiry_id BIGINT NOT NULL REFERENCES inquiries(id),
    kind TEXT NOT NULL CHECK (kind IN ('waiting', 'resolved')),
    from_at BIGINT NOT NULL,
    to_at BIGINT
);
CREATE INDEX inquiry_pauses_inquiry ON inquiry_pauses(inquiry_id, id);

CREATE TABLE feature_requests (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'planned', 'in_progress', 'shipped', 'declined')),
    decline_reason TEXT,
    -- A merged-away duplicate points to the request that survived.
    merged_into BIGINT REFERENCES feature_requests(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Every customer who raised or voted for a request, in their own words.
-- Merging moves links to the survivor (request_id) and keeps where they came from.
CREATE TABLE feature_links (
    id BIGSERIAL PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES feature_requests(id),
    origin_request_id BIGINT NOT NULL REFERENCES feature_requests(id),
    kind TEXT NOT NULL CHECK (kind IN ('raised', 'voted')),
    business_id BIGINT REFERENCES businesses(id),
    worker_id BIGINT REFERENCES workers(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    at BIGINT NOT NULL,
    CHECK ((business_id IS NULL) <> (worker_id IS NULL))
);
CREATE INDEX feature_links_request ON feature_links(request_id, id);
CREATE INDEX feature_links_business ON feature_links(business_id);
CREATE INDEX feature_links_worker ON feature_links(worker_id);

CREATE TABLE booking_messages (
    id BIGSERIAL PRIMARY KEY,
    booking_id BIGINT NOT NULL REFERENCES bookings(id),
    business_id BIGINT NOT NULL REFERENCES businesses(id),
    worker_id BIGINT NOT NULL REFERENCES workers(id),
    author TEXT NOT NULL CHECK (author IN ('business', 'worker', 'operator')),
    user_id BIGINT REFERENCES users(id),
    body TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX booking_messages_booking ON booking_messages(booking_id, id);
