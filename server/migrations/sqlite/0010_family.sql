-- STEAMcamp Family: parents linked to their children. A link is made with a short one-time code
-- that one side shows and the other types; the code is kept only as a hash, for 24 hours.

CREATE TABLE family_codes (
    code_hash   BLOB PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id),
    expires_at  TEXT NOT NULL,
    used_at     TEXT
) STRICT;

CREATE TABLE family_links (
    parent_id   TEXT NOT NULL REFERENCES users (id),
    child_id    TEXT NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (parent_id, child_id)
) STRICT;

CREATE INDEX family_links_child ON family_links (child_id);
