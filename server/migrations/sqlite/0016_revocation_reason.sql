-- Why an assertion was revoked: by the person who earned it, or by `audit badges --revoke`
-- because its evidence no longer satisfies the programme's rules. NULL for older revocations
-- (made by their owners).
ALTER TABLE assertions ADD COLUMN revocation_reason TEXT;
