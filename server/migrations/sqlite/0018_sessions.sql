-- A token unused for a while stops working (store::accounts::user_for_token says how long); its
-- last use is renewed at most once a minute, so a request is not a write. NULL: not used since it
-- was issued.
ALTER TABLE sessions ADD COLUMN last_used_at TEXT;

-- A member an educator removed (a stranger who joined with a leaked code): no token works, the login
-- answers 403 `removed`, the roster leaves them out; their events stay for the reports.
ALTER TABLE users ADD COLUMN removed_at TEXT;
