-- Labour rules (`core::labour::LabourRules` as JSON): a worker's own and a
-- site's policy. '{}' is no rule, so every existing worker and site keeps
-- booking as before.
ALTER TABLE workers ADD COLUMN labour_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE sites ADD COLUMN labour_json TEXT NOT NULL DEFAULT '{}';
