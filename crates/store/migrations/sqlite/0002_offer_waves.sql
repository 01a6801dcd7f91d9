-- Offer waves: a business's settings, and one row per wave campaign on a shift.
ALTER TABLE businesses ADD COLUMN wave_size INTEGER NOT NULL DEFAULT 5;
ALTER TABLE businesses ADD COLUMN wave_interval_minutes INTEGER NOT NULL DEFAULT 10;
ALTER TABLE businesses ADD COLUMN wave_order TEXT NOT NULL DEFAULT 'best';

CREATE TABLE offer_waves (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    shift_id INTEGER NOT NULL REFERENCES shifts(id),
    business_id INTEGER NOT NULL REFERENCES businesses(id),
    status TEXT NOT NULL,
    wave_size INTEGER NOT NULL,
    interval_minutes INTEGER NOT NULL,
    wave_order TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    next_wave_at INTEGER NOT NULL,
    waves_sent INTEGER NOT NULL DEFAULT 0,
    offers_sent INTEGER NOT NULL DEFAULT 0,
    ended_at INTEGER
);
-- At most one active campaign per shift.
CREATE UNIQUE INDEX offer_waves_one_active ON offer_waves(shift_id) WHERE status = 'active';
CREATE INDEX offer_waves_due ON offer_waves(status, next_wave_at);
CREATE INDEX bookings_offer_expiry ON bookings(status, offer_expires_at);
