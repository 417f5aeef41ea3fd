-- The audit log read by person and by time (see the SQLite twin): the
-- same indexes, so that GET /api/v1/audit?user_id=&from=&to= walks an
-- index rather than every entry ever written.
CREATE INDEX audit_user ON audit(user_id);
CREATE INDEX audit_at ON audit(at);
