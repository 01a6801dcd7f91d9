-- Offer waves: a business's settings, and one row per wave campaign on a shift.
ALTER TABLE businesses ADD COLUMN wave_size BIGINT NOT NULL DEFAULT 5;
ALTER TABLE businesses ADD COLUMN wave_interval_minutes BIGINT NOT NULL DEFAULT 10;
ALTER TABLE businesses ADD COLUMN wave_order TEXT NOT NULL DEFAULT 'best';

CREATE TABLE offer_waves (
    id BIGSERIAL PRIMARY KEY,
    shift_id BIGINT NOT NULL REFERENCES shifts(id),
    business_id BIGINT NOT NULL REFERENCES businesses(id),
    status TEXT NOT NULL,
    wave_size BIGINT NOT NULL,
    interval_minutes BIGINT NOT NULL,
    wave_order TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    next_wave_at BIGINT NOT NULL,
    waves_sent BIGINT NOT NULL DEFAULT 0,
    offers_sent BIGINT NOT NULL DEFAULT 0,
    ended_at BIGINT
);
-- At most one active campaign per shift.
CREATE UNIQUE INDEX offer_waves_one_active ON offer_waves(shift_id) WHERE status = 'active';
CREATE INDEX offer_waves_due ON offer_waves(status, next_wave_at);
CREATE INDEX bookings_offer_expiry ON bookings(status, offer_expires_at);
