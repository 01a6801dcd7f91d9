-- A business's rule that a worker's first shifts with it are on site before
-- it books them remotely: this many on-site shifts first. 0 is no such rule,
-- so every existing business keeps booking remote work as before.
ALTER TABLE businesses ADD COLUMN onsite_before_remote BIGINT NOT NULL DEFAULT 0
    CHECK (onsite_before_remote >= 0);

-- The rule counts a worker's on-site bookings with one business.
CREATE INDEX bookings_worker_business ON bookings(worker_id, business_id);
