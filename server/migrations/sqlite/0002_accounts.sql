-- Accounts for minors: the least data. A learner or parent is a nickname in a cohort; an educator
-- or admin a name. Secrets and tokens are kept only as hashes; no email, no birth date.

CREATE TABLE cohorts (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    path_id     TEXT NOT NULL,
    join_code   TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE users (
    id           TEXT PRIMARY KEY NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('learner', 'parent', 'educator', 'admin')),
    -- Learners and parents belong to exactly one cohort; staff to none.
    cohort_id    TEXT REFERENCES cohorts (id),
    nickname     TEXT NOT NULL,
    -- Argon2id, PHC string.
    secret_hash  TEXT NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK ((role IN ('learner', 'parent')) = (cohort_id IS NOT NULL))
) STRICT;

-- "Astro" and "astro" would be the same person to a teenager.
CREATE UNIQUE INDEX users_nickname_in_cohort ON users (cohort_id, nickname COLLATE NOCASE) WHERE cohort_id IS NOT NULL;
CREATE UNIQUE INDEX users_staff_name ON users (nickname COLLATE NOCASE) WHERE cohort_id IS NULL;

-- Which educators run which cohorts (admins run them all).
CREATE TABLE cohort_educators (
    cohort_id  TEXT NOT NULL REFERENCES cohorts (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (cohort_id, user_id)
) STRICT;

-- Bearer tokens, by their SHA-256: a stolen database holds no usable token.
CREATE TABLE sessions (
    token_hash  BLOB PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX sessions_user ON sessions (user_id);
