-- The educator workspace (#8): what an educator states when creating a cohort, whether its join
-- code still admits newcomers, and when each account was last heard from.

-- Dates as YYYY-MM-DD; `audience` says who the cohort is for, in the educator's words
-- ("2ª B, scuola media Galateo"); `startups` counts the start-ups an IN-Community cohort follows.
ALTER TABLE cohorts ADD COLUMN starts_on TEXT;
ALTER TABLE cohorts ADD COLUMN ends_on TEXT;
ALTER TABLE cohorts ADD COLUMN audience TEXT NOT NULL DEFAULT '';
ALTER TABLE cohorts ADD COLUMN startups INTEGER CHECK (startups IS NULL OR startups >= 0);
-- A closed code admits nobody new; members still sign in with it.
ALTER TABLE cohorts ADD COLUMN join_open INTEGER NOT NULL DEFAULT 1 CHECK (join_open IN (0, 1));

-- An admin disables an educator rather than deleting them: their reviews stay in the log.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
-- Set by every push and pull: the dashboard's "not synced for N days".
ALTER TABLE users ADD COLUMN last_synced_at TEXT;
