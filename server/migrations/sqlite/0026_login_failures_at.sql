-- The limiter's sweep deletes by age: without this it read the whole table at every attempt.
CREATE INDEX login_failures_at ON login_failures (at_ms);
