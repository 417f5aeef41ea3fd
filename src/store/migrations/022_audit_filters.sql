-- The audit log read by person and by time (GET /api/v1/audit?user_id=,
-- from=, to=): without these, narrowing a city's log to one officer or
-- one week walks every entry ever written.  An entry by entity keeps
-- 001's audit_entity.  SQLite appends the rowid to each index, so a
-- person's entries come out in id order, newest first, from the index.
CREATE INDEX audit_user ON audit(user_id);
CREATE INDEX audit_at ON audit(at);
