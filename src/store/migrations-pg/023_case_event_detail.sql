-- The facts of a timeline entry the server words itself, as a JSON
-- object beside its note (see the SQLite twin): text, as SQLite keeps
-- it, so that both stores read and write it alike.
ALTER TABLE case_events ADD COLUMN detail text;
