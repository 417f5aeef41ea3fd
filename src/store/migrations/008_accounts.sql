-- Accounts: an API key gets an id, by which it is listed and revoked, and
-- the time it was revoked (a revoked key stays listed, and answers no
-- more).  Only the key's hash is stored, as before.
CREATE TABLE api_keys_new (
	id INTEGER PRIMARY KEY,
	key_hash TEXT NOT NULL UNIQUE,
	user_id INTEGER NOT NULL REFERENCES users(id),
	label TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	revoked_at TEXT
);
INSERT INTO api_keys_new (key_hash, user_id, label, created_at)
	SELECT key_hash, user_id, label, created_at FROM api_keys ORDER BY created_at, key_hash;
DROP TABLE api_keys;
ALTER TABLE api_keys_new RENAME TO api_keys;
CREATE INDEX api_keys_user ON api_keys(user_id);
