-- A pending family link that ends changed nothing anyone's log means (only confirmed links join
-- logs), so it no longer makes both folds be folded again from the whole log: unlinking and
-- linking a pending link over and over was a way to make the server re-read a whole log.
DROP TRIGGER folds_family_link_ended;

CREATE TRIGGER folds_family_link_ended AFTER DELETE ON family_links
WHEN OLD.confirmed_at IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO folds (user_id)
    SELECT id FROM users WHERE id IN (OLD.parent_id, OLD.child_id);
    UPDATE folds SET generation = generation + 1, fold = NULL, through_seq = 0
    WHERE user_id IN (OLD.parent_id, OLD.child_id);
END;
