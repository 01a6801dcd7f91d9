-- The event log without a global append lock (issue 13, item 3).
--
-- Until now every append took one advisory lock, held to commit, and numbered
-- its event MAX(seq) + 1, so events became visible in `seq` order: safe for
-- tailers, but every write of every tenant queued on that lock.
--
-- Now an append only inserts: the row gets its identity `id` from a sequence
-- (never blocks; a rolled-back append leaves a hole in `id`, which nobody
-- reads in order) and no `seq`. Numbering happens after commit: the sequencer
-- (`store::sql::events::number_pending`, run by every reader of the log, one
-- at a time under its own advisory lock that no writer takes) gives every
-- committed, unnumbered event the next numbers, in `id` order. So `seq` stays
-- gap-free and is assigned in the order events become visible, and a tailer
-- reading `seq > last` among numbered events never skips one that committed
-- late: a late commit simply gets a later number.
ALTER TABLE events ADD COLUMN id BIGINT;
-- The backfill is the one update of the migration, not of the application.
ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete;
UPDATE events SET id = seq;
ALTER TABLE events ENABLE TRIGGER events_no_update_or_delete;
CREATE SEQUENCE events_id_seq OWNED BY events.id;
SELECT setval('events_id_seq', COALESCE((SELECT MAX(id) FROM events), 0) + 1, false);
ALTER TABLE events ALTER COLUMN id SET DEFAULT nextval('events_id_seq');
ALTER TABLE events ALTER COLUMN id SET NOT NULL;
ALTER TABLE events DROP CONSTRAINT events_pkey;
ALTER TABLE events ADD PRIMARY KEY (id);
ALTER TABLE events ALTER COLUMN seq DROP DEFAULT;
ALTER TABLE events ALTER COLUMN seq DROP NOT NULL;
DROP SEQUENCE events_seq_seq;
-- Both indexes are partial, so "seq IS NULL" can only be answered from the
-- small one: with a whole-column index on `seq` the planner, misled by stale
-- statistics after a bulk load, once scanned all 55,000 of its entries for the
-- one pending event (10 ms per run instead of 0.1 ms).
CREATE UNIQUE INDEX events_seq ON events(seq) WHERE seq IS NOT NULL;
-- What the sequencer looks for: small, since events wait here only until the
-- next read of the log.
CREATE INDEX events_unnumbered ON events(id) WHERE seq IS NULL;

-- Still append-only. Two updates are allowed, each keeping what happened and
-- who did it: account deletion's redaction of the data to exactly
-- '{"erased":true}', and the sequencer's numbering, once, of an unnumbered event.
CREATE OR REPLACE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.kind = OLD.kind
       AND NEW.actor_user_id IS NOT DISTINCT FROM OLD.actor_user_id
       AND NEW.business_id IS NOT DISTINCT FROM OLD.business_id
       AND NEW.worker_id IS NOT DISTINCT FROM OLD.worker_id
       AND NEW.shift_id IS NOT DISTINCT FROM OLD.shift_id
       AND NEW.booking_id IS NOT DISTINCT FROM OLD.booking_id THEN
        IF NEW.seq IS NOT DISTINCT FROM OLD.seq AND NEW.data_json = '{"erased":true}' THEN
            RETURN NEW;
        END IF;
        IF OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.data_json = OLD.data_json THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'the event log is append-only';
END
$$;

-- The outbox points at the event that caused each message by its identity,
-- known inside the event's own transaction; its number comes later.
ALTER TABLE outbox RENAME COLUMN event_seq TO event_id;
