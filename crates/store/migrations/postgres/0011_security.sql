-- Security basics (issue 14.5).
--
-- Failed sign-ins (portal and the API's token endpoint) kept in the database,
-- so every server process on it counts the same attempts. Only a SHA-256 of
-- "email|address" is stored, never the email or the address.
CREATE TABLE sign_in_failures (
    id BIGSERIAL PRIMARY KEY,
    key_hash TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures(key_hash, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures(at);

-- Sessions also end after a spell of idleness: the last time a session was used.
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;

-- The event log is the audit trail: append-only. No row is ever deleted
-- or truncated; the one update allowed is account deletion's redaction of an
-- event's data to exactly '{"erased":true}' (a person's name in
-- `worker.created`), which keeps the sequence number, time, kind, actor and
-- ids: what happened and who did it stays, the personal words go. (The
-- database's owner can still drop the triggers: they guard against the
-- application and its users, not against the owner.)
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.kind = OLD.kind
       AND NEW.actor_user_id IS NOT DISTINCT FROM OLD.actor_user_id
       AND NEW.business_id IS NOT DISTINCT FROM OLD.business_id
       AND NEW.worker_id IS NOT DISTINCT FROM OLD.worker_id
       AND NEW.shift_id IS NOT DISTINCT FROM OLD.shift_id
       AND NEW.booking_id IS NOT DISTINCT FROM OLD.booking_id
       AND NEW.data_json = '{"erased":true}' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the event log is append-only';
END
$$;
CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
