-- The content versions this database has served, with their bundles.
CREATE TABLE content_bundles (
    version    TEXT PRIMARY KEY NOT NULL,
    loaded_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    bundle     TEXT NOT NULL
) STRICT;

-- The event log. `seq` is the server's cursor: it only grows, whatever the devices' clocks say.
CREATE TABLE events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    device_id    TEXT NOT NULL,
    user_id      TEXT,
    kind         TEXT NOT NULL,
    activity_id  TEXT,
    at           TEXT NOT NULL,
    data         TEXT NOT NULL,
    received_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX events_user ON events (user_id, seq);
