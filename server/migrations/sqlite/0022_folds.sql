-- Each person's log folded by core's rules (`officina_core::summary::Summary`: the fold badges
-- read and what the reports read, in `Summary::to_bytes`'s format) through `seq`, so that badges and reports are worked
-- out from the events that arrived since, not from the whole log. Only a cache: a missing or
-- stale fold is folded again from the log.
--
-- Whatever changes what a stored log means bumps `generation` and drops the fold, in the same
-- transaction (the triggers below): a fold worked out from an older snapshot is then not saved.
CREATE TABLE folds (
    user_id          TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    generation       INTEGER NOT NULL DEFAULT 0,
    -- The content the fold was judged against; another content means folding again.
    content_version  TEXT,
    through_seq      INTEGER NOT NULL DEFAULT 0,
    fold             BLOB
) STRICT;

-- A link confirmed or ended adds or takes away a relative's family-task confirmations.
CREATE TRIGGER folds_family_link_confirmed AFTER UPDATE OF confirmed_at ON family_links
BEGIN
    INSERT OR IGNORE INTO folds (user_id) VALUES (NEW.parent_id), (NEW.child_id);
    UPDATE folds SET generation = generation + 1, fold = NULL, through_seq = 0
    WHERE user_id IN (NEW.parent_id, NEW.child_id);
END;

CREATE TRIGGER folds_family_link_ended AFTER DELETE ON family_links
BEGIN
    INSERT OR IGNORE INTO folds (user_id)
    SELECT id FROM users WHERE id IN (OLD.parent_id, OLD.child_id);
    UPDATE folds SET generation = generation + 1, fold = NULL, through_seq = 0
    WHERE user_id IN (OLD.parent_id, OLD.child_id);
END;

-- Events leave a log only with an erased account (whose links end too), but none may stay folded.
CREATE TRIGGER folds_event_deleted AFTER DELETE ON events
BEGIN
    UPDATE folds SET generation = generation + 1, fold = NULL, through_seq = 0
    WHERE user_id = OLD.user_id;
END;
