-- Failed guesses at secrets, for the login rate limiter of several copies of the server sharing a
-- PostgreSQL database (`auth::limiter`); one server on SQLite counts them in its memory, and this
-- table stays empty. Rows older than the limiter's window (15 minutes) are swept as others come.
CREATE TABLE login_failures (
    id           TEXT PRIMARY KEY NOT NULL,
    -- What was guessed at: a kind byte (0 an account, 1 a join code) and a 16-byte hash.
    target       BLOB NOT NULL,
    -- The client's address (an IPv6 address's /64).
    address      TEXT NOT NULL,
    -- Milliseconds since the Unix epoch, from the server's clock.
    at_ms        INTEGER NOT NULL,
    -- Whether it counts against the address too: a right secret later makes the address's
    -- earlier failures for the same target typos, not guesses.
    for_address  INTEGER NOT NULL DEFAULT 1 CHECK (for_address IN (0, 1))
) STRICT;
CREATE INDEX login_failures_target ON login_failures (target, at_ms);
CREATE INDEX login_failures_address ON login_failures (address, at_ms);
