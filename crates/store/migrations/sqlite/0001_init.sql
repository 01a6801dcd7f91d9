-- Instants are integer epoch seconds, money is decimal TEXT, so both databases
-- sort and compare alike.
CREATE TABLE skills (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE businesses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    zone TEXT NOT NULL,
    currency TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE sites (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id INTEGER NOT NULL REFERENCES businesses(id),
    name TEXT NOT NULL,
    zone TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL
);
CREATE INDEX sites_business ON sites(business_id);

CREATE TABLE workers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    zone TEXT NOT NULL,
    remote_only INTEGER NOT NULL,
    home_lat REAL,
    home_lon REAL,
    radius_km INTEGER NOT NULL,
    min_rate_amount TEXT NOT NULL,
    min_rate_currency TEXT NOT NULL,
    max_minutes_per_day INTEGER NOT NULL,
    max_minutes_per_week INTEGER NOT NULL,
    min_rest_minutes INTEGER NOT NULL,
    min_notice_minutes INTEGER NOT NULL,
    blackouts_json TEXT NOT NULL,
    availability_json TEXT NOT NULL,
    instant_book INTEGER NOT NULL,
    wanted_minutes_per_week INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE worker_skills (
    worker_id INTEGER NOT NULL REFERENCES workers(id),
    skill TEXT NOT NULL REFERENCES skills(code),
    claimed INTEGER NOT NULL,
    effective INTEGER NOT NULL,
    evidence_json TEXT NOT NULL,
    PRIMARY KEY (worker_id, skill)
);
CREATE INDEX worker_skills_skill ON worker_skills(skill, effective);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('worker', 'business', 'operator')),
    worker_id INTEGER REFERENCES workers(id),
    business_id INTEGER REFERENCES businesses(id),
    created_at INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE shifts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id INTEGER NOT NULL REFERENCES businesses(id),
    site_id INTEGER REFERENCES sites(id),
    zone TEXT NOT NULL,
    start_at INTEGER NOT NULL,
    end_at INTEGER NOT NULL CHECK (end_at > start_at),
    headcount INTEGER NOT NULL CHECK (headcount > 0),
    pay_amount TEXT NOT NULL,
    pay_currency TEXT NOT NULL,
    bill_amount TEXT NOT NULL,
    bill_currency TEXT NOT NULL,
    notes TEXT NOT NULL,
    skills_json TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX shifts_business_start ON shifts(business_id, start_at);
CREATE INDEX shifts_start ON shifts(start_at);

CREATE TABLE bookings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    shift_id INTEGER NOT NULL REFERENCES shifts(id),
    worker_id INTEGER NOT NULL REFERENCES workers(id),
    business_id INTEGER NOT NULL REFERENCES businesses(id),
    status TEXT NOT NULL,
    mode TEXT NOT NULL,
    start_at INTEGER NOT NULL,
    end_at INTEGER NOT NULL,
    offer_expires_at INTEGER,
    cancel_notice_minutes INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX bookings_worker_start ON bookings(worker_id, start_at);
CREATE INDEX bookings_shift ON bookings(shift_id);
CREATE INDEX bookings_business ON bookings(business_id);

CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    actor_user_id INTEGER,
    business_id INTEGER,
    worker_id INTEGER,
    shift_id INTEGER,
    booking_id INTEGER,
    data_json TEXT NOT NULL
);
CREATE INDEX events_business ON events(business_id, seq);
CREATE INDEX events_worker ON events(worker_id, seq);
