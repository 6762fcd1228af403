-- Account recovery: a member who forgot their PIN gets a one-time code from an educator of their
-- cohort (or a parent by a confirmed link) and chooses a new PIN with it. One live code per
-- account, kept only as a hash, for 24 hours; a new one replaces it, and using it deletes it.
CREATE TABLE recovery_codes (
    user_id     TEXT PRIMARY KEY NOT NULL REFERENCES users (id),
    code_hash   BLOB NOT NULL,
    expires_at  TEXT NOT NULL,
    -- Who issued it: an educator, an admin or a parent.
    issued_by   TEXT NOT NULL REFERENCES users (id)
) STRICT;
