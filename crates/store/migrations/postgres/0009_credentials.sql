-- Portable reputation (issue "The worker's side of the market", part 3).
--
-- The exchange's Ed25519 signing key, generated on first use: one row.
-- RISK: whoever can read this table can sign credentials in the exchange's
-- name. A production deployment keeps the key in a KMS or a file readable only
-- by the server and stores here at most the public half.
CREATE TABLE issuer_keys (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    secret_key TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Every credential issued, so its owner can revoke it and the status list can
-- name it. status_index is its place in the public status list.
CREATE TABLE issued_credentials (
    id TEXT PRIMARY KEY,
    worker_id BIGINT NOT NULL REFERENCES workers(id),
    status_index BIGINT NOT NULL UNIQUE,
    issued_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX issued_credentials_worker ON issued_credentials(worker_id);
