-- A cluster names its leading enterprise by USCC and its secretary by
-- username, as migrations/006_cluster_links.sql does for SQLite; the old
-- id columns stay, emptied, as there.
ALTER TABLE clusters ADD COLUMN leading_uscc text;
ALTER TABLE clusters ADD COLUMN secretary_username text;

UPDATE clusters SET
	leading_uscc = (SELECT uscc FROM enterprises WHERE id = clusters.leading_enterprise_id),
	secretary_username = (SELECT username FROM users WHERE id = clusters.secretary_user_id);
UPDATE clusters SET leading_enterprise_id = NULL, secretary_user_id = NULL;

-- The cluster follows its leading enterprise to a corrected code.
CREATE FUNCTION clusters_follow_uscc() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE clusters SET leading_uscc = NEW.uscc WHERE leading_uscc = OLD.uscc;
	RETURN NULL;
END
$$;
CREATE TRIGGER clusters_follow_uscc AFTER UPDATE OF uscc ON enterprises
	FOR EACH ROW WHEN (OLD.uscc <> NEW.uscc) EXECUTE FUNCTION clusters_follow_uscc();
