-- Consent an educator stands behind. A family link is pending until an educator of the child's
-- cohort confirms it ("I met this parent"): anyone with a family code could otherwise join as a
-- parent and link to themselves. Links made before this rule are pending too, since nobody checked
-- them. The table is rebuilt to give each link an id the workspace can name.
CREATE TABLE family_links_new (
    id           TEXT PRIMARY KEY NOT NULL,
    parent_id    TEXT NOT NULL REFERENCES users (id),
    child_id     TEXT NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- Who confirmed it and when; both NULL while pending.
    confirmed_at TEXT,
    confirmed_by TEXT REFERENCES users (id),
    UNIQUE (parent_id, child_id)
) STRICT;

INSERT INTO family_links_new (id, parent_id, child_id, created_at)
SELECT lower(hex(randomblob(16))), parent_id, child_id, created_at FROM family_links;

DROP TABLE family_links;
ALTER TABLE family_links_new RENAME TO family_links;
CREATE INDEX family_links_child ON family_links (child_id);

-- Consent on paper, which an educator records for a learner under 14 (a parent without the app).
ALTER TABLE users ADD COLUMN paper_consent_at TEXT;
ALTER TABLE users ADD COLUMN paper_consent_by TEXT REFERENCES users (id);
