-- A cluster names its leading enterprise by USCC and its secretary by
-- username instead of by row id.  Ids are private to one database: a
-- clusters file exported from one town and imported into another (or into
-- an empty database before its enterprises and users) must still say who
-- leads and who looks after the cluster.  The names are resolved when the
-- cluster is read, so the link holds as soon as the enterprise or the user
-- exists, whatever the order of the imports.
--
-- The old id columns stay (SQLite cannot drop a column that a foreign key
-- names) but are emptied, so that nothing can read a stale id from them.

ALTER TABLE clusters ADD COLUMN leading_uscc TEXT;
ALTER TABLE clusters ADD COLUMN secretary_username TEXT;

UPDATE clusters SET
	leading_uscc = (SELECT uscc FROM enterprises WHERE id = clusters.leading_enterprise_id),
	secretary_username = (SELECT username FROM users WHERE id = clusters.secretary_user_id);
UPDATE clusters SET leading_enterprise_id = NULL, secretary_user_id = NULL;

-- An officer may correct a code with the audited override; the cluster
-- follows its leading enterprise to the new code.
CREATE TRIGGER clusters_follow_uscc AFTER UPDATE OF uscc ON enterprises
WHEN OLD.uscc <> NEW.uscc
BEGIN
	UPDATE clusters SET leading_uscc = NEW.uscc WHERE leading_uscc = OLD.uscc;
END;
