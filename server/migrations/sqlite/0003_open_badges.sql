-- Open Badges 2.0, hosted: an assertion for each badge a person earns, at a stable public URL.
-- Recipients are never an email: an assertion names a salted hash of the person's public
-- profile URL, whose id is random and says nothing about the account.

CREATE TABLE badge_recipients (
    user_id        TEXT PRIMARY KEY NOT NULL REFERENCES users (id),
    public_id      TEXT NOT NULL UNIQUE,
    -- The nickname appears in the public profile only if the person asks for it.
    show_nickname  INTEGER NOT NULL DEFAULT 0 CHECK (show_nickname IN (0, 1))
) STRICT;

CREATE TABLE assertions (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id),
    badge_id    TEXT NOT NULL,
    -- Device time of the event that completed the criterion (core::badges::Earned::on).
    earned_on   TEXT NOT NULL,
    -- JSON array of the ids of the events that earned it.
    events      TEXT NOT NULL,
    salt        TEXT NOT NULL,
    issued_on   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    revoked_on  TEXT,
    -- One assertion per person and badge: issuing is idempotent, and a revoked one stays revoked.
    UNIQUE (user_id, badge_id)
) STRICT;
