-- migrations/sqlite/0025_login_failures.sql's table: failed guesses at secrets, which every copy of
-- the server counts together (`auth::limiter`).
CREATE TABLE login_failures (
    id           TEXT PRIMARY KEY NOT NULL,
    target       BYTEA NOT NULL,
    address      TEXT NOT NULL,
    at_ms        BIGINT NOT NULL,
    for_address  BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX login_failures_target ON login_failures (target, at_ms);
CREATE INDEX login_failures_address ON login_failures (address, at_ms);
