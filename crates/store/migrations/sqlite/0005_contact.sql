-- Contact: single-use account tokens (verification, password reset, email
-- change, claiming an imported account), email preferences, webhook
-- endpoints, and the transactional outbox with its delivery log.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
-- Random per user, put in unsubscribe links; it grants nothing else.
ALTER TABLE users ADD COLUMN unsubscribe_key TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN deleted_at BIGINT;

CREATE TABLE account_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id),
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email', 'claim_account')),
    token_hash TEXT NOT NULL UNIQUE,
    new_email TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX account_tokens_user ON account_tokens(user_id, purpose);

CREATE TABLE email_preferences (
    user_id BIGINT NOT NULL REFERENCES users(id),
    topic TEXT NOT NULL,
    enabled BIGINT NOT NULL,
    PRIMARY KEY (user_id, topic)
);

CREATE TABLE webhook_endpoints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    business_id BIGINT NOT NULL REFERENCES businesses(id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    -- After a rotation deliveries are signed with both secrets for a day.
    previous_secret TEXT,
    previous_until BIGINT,
    event_types TEXT NOT NULL,
    enabled BIGINT NOT NULL,
    disabled_reason TEXT,
    consecutive_failures BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_business ON webhook_endpoints(business_id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    topic TEXT NOT NULL,
    event_seq BIGINT,
    business_id BIGINT REFERENCES businesses(id),
    worker_id BIGINT REFERENCES workers(id),
    user_id BIGINT REFERENCES users(id),
    endpoint_id BIGINT REFERENCES webhook_endpoints(id),
    recipient TEXT NOT NULL,
    -- Fixed when the row is written: every retry carries the same id.
    message_id TEXT NOT NULL UNIQUE,
    data_json TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    delivered_at BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_business ON outbox(business_id, id);
CREATE INDEX outbox_user ON outbox(user_id, id);

CREATE TABLE outbox_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id BIGINT NOT NULL REFERENCES outbox(id),
    at BIGINT NOT NULL,
    ok BIGINT NOT NULL,
    code BIGINT,
    error TEXT
);
CREATE INDEX outbox_attempts_outbox ON outbox_attempts(outbox_id);
