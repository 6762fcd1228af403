-- Nicknames compare as lower(nickname), a spelling PostgreSQL shares; like NOCASE it folds ASCII
-- letters only, so the rows that were unique stay unique. The same unique indexes, on that
-- expression, so that the look-ups can use them.
DROP INDEX users_nickname_in_cohort;
CREATE UNIQUE INDEX users_nickname_in_cohort ON users (cohort_id, lower(nickname)) WHERE cohort_id IS NOT NULL;
DROP INDEX users_staff_name;
CREATE UNIQUE INDEX users_staff_name ON users (lower(nickname)) WHERE cohort_id IS NULL;
