-- A small message (up to 64 KB, PostgresClaims.INLINE) is kept in its entry's row: storing it needs no chunk row and
-- no foreign-key check, and sending it no chunk delete; the outcome SENT clears it in the same UPDATE. Entries stored
-- before keep their chunks (message stays NULL) and are read from them as before. Adding a nullable column without a
-- default rewrites nothing.
ALTER TABLE outbox_entry ADD COLUMN message bytea;
