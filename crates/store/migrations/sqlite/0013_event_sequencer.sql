-- The event log's identity beside its number (issue 13, item 3).
--
-- On PostgreSQL an event is appended without a number and numbered after it
-- commits (see that migration). SQLite has one writer, which numbers each
-- event at its append, so here an event's identity `id` always equals its
-- `seq`; the column exists so both databases answer the same questions.
ALTER TABLE events ADD COLUMN id INTEGER;
-- The backfill is the migration's own update: the append-only trigger steps
-- aside for it and comes back guarding `id` too.
DROP TRIGGER events_no_update;
UPDATE events SET id = seq;
CREATE UNIQUE INDEX events_id ON events(id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
WHEN NEW.seq IS NOT OLD.seq OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.kind IS NOT OLD.kind
  OR NEW.actor_user_id IS NOT OLD.actor_user_id OR NEW.business_id IS NOT OLD.business_id
  OR NEW.worker_id IS NOT OLD.worker_id OR NEW.shift_id IS NOT OLD.shift_id
  OR NEW.booking_id IS NOT OLD.booking_id OR NEW.data_json IS NOT '{"erased":true}'
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;

-- The outbox names the event that caused each message by its identity.
ALTER TABLE outbox RENAME COLUMN event_seq TO event_id;
