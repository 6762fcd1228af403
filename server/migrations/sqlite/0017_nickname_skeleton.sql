-- Two nicknames that look alike (Latin "Astro", Cyrillic "Аstro") cannot share a cohort: each
-- account keeps the TR39 skeleton of its case-folded nickname, unique per cohort. The server fills
-- it for the accounts made before (db::fill_skeletons); their nicknames stay as they are, and an
-- older look-alike of an account already holding its skeleton keeps none.
ALTER TABLE users ADD COLUMN nickname_skeleton TEXT;
CREATE UNIQUE INDEX users_skeleton_in_cohort ON users (cohort_id, nickname_skeleton)
    WHERE cohort_id IS NOT NULL AND nickname_skeleton IS NOT NULL;
