-- An educator can switch points (XP) and weekly streaks off for a cohort: some groups learn better
-- without any sense of score.
ALTER TABLE cohorts ADD COLUMN xp_and_streaks INTEGER NOT NULL DEFAULT 1 CHECK (xp_and_streaks IN (0, 1));
