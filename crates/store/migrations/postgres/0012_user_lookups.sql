-- Who to notify: every booking's outbox fan-out looks up the logins of the
-- booking's worker and business inside the write transaction. Without these
-- indexes both lookups scanned every user (found by `slivers bench book`).
CREATE INDEX users_worker ON users(worker_id);
CREATE INDEX users_business ON users(business_id);
