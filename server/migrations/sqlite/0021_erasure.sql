-- Erasure (GDPR art. 17). An erased account leaves nothing that identifies anyone; what it had
-- added to the impact report's counts stays, summed per cohort (see core's `Reach::of_member`), so
-- the reports of the past still add up. `active` is about now and is not kept.
CREATE TABLE erased_reach (
    cohort_id        TEXT PRIMARY KEY NOT NULL REFERENCES cohorts (id),
    young_people     INTEGER NOT NULL DEFAULT 0,
    parents          INTEGER NOT NULL DEFAULT 0,
    completed        INTEGER NOT NULL DEFAULT 0,
    badges           INTEGER NOT NULL DEFAULT 0,
    family_tasks     INTEGER NOT NULL DEFAULT 0,
    assessed_people  INTEGER NOT NULL DEFAULT 0,
    assessed_before  REAL NOT NULL DEFAULT 0,
    assessed_after   REAL NOT NULL DEFAULT 0
) STRICT;

-- The ids of an erased account's Open Badges assertions: their public URLs answer 410 Gone,
-- revoked, for good, so whoever was shown one learns it no longer holds.
CREATE TABLE withdrawn_assertions (
    id  TEXT PRIMARY KEY NOT NULL
) STRICT;
