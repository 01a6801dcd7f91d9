-- Security basics (issue 14.5).
--
-- Failed sign-ins (portal and the API's token endpoint) kept in the database,
-- so every server process on it counts the same attempts. Only a SHA-256 of
-- "email|address" is stored, never the email or the address.
CREATE TABLE sign_in_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key_hash TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures(key_hash, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures(at);

-- Sessions also end after a spell of idleness: the last time a session was used.
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;

-- The event log is the audit trail: append-only. No row is ever deleted;
-- the one update allowed is account deletion's redaction of an event's data
-- to exactly '{"erased":true}' (a person's name in `worker.created`), which
-- keeps the sequence number, time, kind, actor and ids: what happened and who
-- did it stays, the personal words go.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
WHEN NEW.seq IS NOT OLD.seq OR NEW.at IS NOT OLD.at OR NEW.kind IS NOT OLD.kind
  OR NEW.actor_user_id IS NOT OLD.actor_user_id OR NEW.business_id IS NOT OLD.business_id
  OR NEW.worker_id IS NOT OLD.worker_id OR NEW.shift_id IS NOT OLD.shift_id
  OR NEW.booking_id IS NOT OLD.booking_id OR NEW.data_json IS NOT '{"erased":true}'
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;
