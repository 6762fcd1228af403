-- Photos of challenge evidence (#8). The image files live outside the database, named by the
-- SHA-256 of their re-encoded bytes; these tables say whose each one is and how far its upload got.

-- An upload, by the photo's id (a UUID made on the device). Its row stays once the photo is
-- stored, so a repeated upload of the same id answers "done", and the per-account cap counts it.
CREATE TABLE photo_uploads (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id),
    total       INTEGER NOT NULL CHECK (total > 0),
    received    INTEGER NOT NULL DEFAULT 0 CHECK (received BETWEEN 0 AND total),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX photo_uploads_user ON photo_uploads (user_id);

-- A finished photo: checked, re-encoded to JPEG without metadata, on disk as `<sha256>.jpg`.
CREATE TABLE photos (
    id          TEXT PRIMARY KEY NOT NULL REFERENCES photo_uploads (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    bytes       INTEGER NOT NULL CHECK (bytes > 0),
    width       INTEGER NOT NULL CHECK (width > 0),
    height      INTEGER NOT NULL CHECK (height > 0),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
