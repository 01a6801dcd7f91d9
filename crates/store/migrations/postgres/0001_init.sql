-- Instants are integer epoch seconds, money is decimal TEXT, so both databases
-- sort and compare alike.
CREATE TABLE skills (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE businesses (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    zone TEXT NOT NULL,
    currency TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE sites (
    id BIGSERIAL PRIMARY KEY,
    business_id BIGINT NOT NULL REFERENCES businesses(id),
    name TEXT NOT NULL,
    zone TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL
);
CREATE INDEX sites_business ON sites(business_id);

CREATE TABLE workers (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    zone TEXT NOT NULL,
    remote_only BIGINT NOT NULL,
    home_lat DOUBLE PRECISION,
    home_lon DOUBLE PRECISION,
    radius_km BIGINT NOT NULL,
    min_rate_amount TEXT NOT NULL,
    min_rate_currency TEXT NOT NULL,
    max_minutes_per_day BIGINT NOT NULL,
    max_minutes_per_week BIGINT NOT NULL,
    min_rest_minutes BIGINT NOT NULL,
    min_notice_minutes BIGINT NOT NULL,
    blackouts_json TEXT NOT NULL,
    availability_json TEXT NOT NULL,
    instant_book BIGINT NOT NULL,
    wanted_minutes_per_week BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE worker_skills (
    worker_id BIGINT NOT NULL REFERENCES workers(id),
    skill TEXT NOT NULL REFERENCES skills(code),
    claimed BIGINT NOT NULL,
    effective BIGINT NOT NULL,
    evidence_json TEXT NOT NULL,
    PRIMARY KEY (worker_id, skill)
);
CREATE INDEX worker_skills_skill ON worker_skills(skill, effective);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('worker', 'business', 'operator')),
    worker_id BIGINT REFERENCES workers(id),
    business_id BIGINT REFERENCES businesses(id),
    created_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE shifts (
    id BIGSERIAL PRIMARY KEY,
    business_id BIGINT NOT NULL REFERENCES businesses(id),
    site_id BIGINT REFERENCES sites(id),
    zone TEXT NOT NULL,
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL CHECK (end_at > start_at),
    headcount BIGINT NOT NULL CHECK (headcount > 0),
    pay_amount TEXT NOT NULL,
    pay_currency TEXT NOT NULL,
    bill_amount TEXT NOT NULL,
    bill_currency TEXT NOT NULL,
    notes TEXT NOT NULL,
    skills_json TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX shifts_business_start ON shifts(business_id, start_at);
CREATE INDEX shifts_start ON shifts(start_at);

CREATE TABLE bookings (
    id BIGSERIAL PRIMARY KEY,
    shift_id BIGINT NOT NULL REFERENCES shifts(id),
    worker_id BIGINT NOT NULL REFERENCES workers(id),
    business_id BIGINT NOT NULL REFERENCES businesses(id),
    status TEXT NOT NULL,
    mode TEXT NOT NULL,
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    offer_expires_at BIGINT,
    cancel_notice_minutes BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX bookings_worker_start ON bookings(worker_id, start_at);
CREATE INDEX bookings_shift ON bookings(shift_id);
CREATE INDEX bookings_business ON bookings(business_id);

CREATE TABLE events (
    seq BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    actor_user_id BIGINT,
    business_id BIGINT,
    worker_id BIGINT,
    shift_id BIGINT,
    booking_id BIGINT,
    data_json TEXT NOT NULL
);
CREATE INDEX events_business ON events(business_id, seq);
CREATE INDEX events_worker ON events(worker_id, seq);

-- Defence in depth behind the rule checker: two bookings that hold a worker's
-- time can never overlap, whatever the application does.
CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public;
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
    EXCLUDE USING gist (worker_id WITH =, int8range(start_at, end_at) WITH &&)
    WHERE (status IN ('confirmed', 'checked_in', 'completed'));
