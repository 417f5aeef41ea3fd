-- The catalogue's words of one or two characters (贷款, 法, HR) through an
-- index instead of a look at every row.  The trigram index of 011 makes
-- no token of fewer than three characters, so such a word found its rows
-- by a LIKE over all of them: 20 ms over 10,000 services for a word that
-- occurs nowhere.  This index holds every character of the four texts
-- and every pair of neighbouring ones (the tokenizer qy_grams,
-- sqlite_grams.c, registered on every connection), in id order and
-- without positions, so that a word of one or two characters is one
-- token whose rows come in the order a page wants them (nothing is
-- ranked, so no sizes are kept).  As with the trigram index, it narrows
-- and the LIKE decides (sqlite_service.c).  A connection without the
-- tokenizer (the sqlite3 shell) reads every table but cannot write a
-- service's texts.
CREATE VIRTUAL TABLE service_grams USING fts5(
	name_zh, name_en, description_zh, description_en, content='services', content_rowid='id',
	tokenize='qy_grams', detail=none, columnsize=0
);
CREATE TRIGGER services_grams_ins AFTER INSERT ON services BEGIN
	INSERT INTO service_grams(rowid, name_zh, name_en, description_zh, description_en)
	VALUES (new.id, new.name_zh, new.name_en, new.description_zh, new.description_en);
END;
CREATE TRIGGER services_grams_del AFTER DELETE ON services BEGIN
	INSERT INTO service_grams(service_grams, rowid, name_zh, name_en, description_zh,
		description_en)
	VALUES ('delete', old.id, old.name_zh, old.name_en, old.description_zh, old.description_en);
END;
CREATE TRIGGER services_grams_upd AFTER UPDATE OF name_zh, name_en, description_zh,
	description_en ON services BEGIN
	INSERT INTO service_grams(service_grams, rowid, name_zh, name_en, description_zh,
		description_en)
	VALUES ('delete', old.id, old.name_zh, old.name_en, old.description_zh, old.description_en);
	INSERT INTO service_grams(rowid, name_zh, name_en, description_zh, description_en)
	VALUES (new.id, new.name_zh, new.name_en, new.description_zh, new.description_en);
END;
INSERT INTO service_grams(service_grams) VALUES ('rebuild');

-- Filters that a page checks on rows it then leaves out (another
-- category, a jurisdiction outside the caller's, closed now) are read
-- from indexes instead of the services' rows.  A row is a page of its
-- own (its hours, with a year's holidays, fill most of 4 kB), so each row
-- looked at and left out cost a page read: a frequent word in a category
-- it is not found in, or "open now" at night, read thousands of pages.
--
-- First the hours, which "open now" judges: the same text is shared by
-- many services (the town's offices keep the town's holidays), so each
-- text is kept once and a service names it by hours_id, which an index
-- can hold.  Triggers keep hours_id in step with hours on every write,
-- by the store or any other client; a text no longer used is kept (it
-- is small, and an id always names the same text).
CREATE TABLE service_hours (
	id INTEGER PRIMARY KEY,
	text TEXT NOT NULL UNIQUE
);
INSERT INTO service_hours(text) SELECT hours FROM services WHERE hours <> '' GROUP BY hours
	ORDER BY min(id);
ALTER TABLE services ADD COLUMN hours_id INTEGER REFERENCES service_hours(id);
UPDATE services SET hours_id = (SELECT h.id FROM service_hours h WHERE h.text = services.hours)
	WHERE hours <> '';
CREATE TRIGGER services_hours_ins AFTER INSERT ON services WHEN new.hours <> '' BEGIN
	INSERT OR IGNORE INTO service_hours(text) VALUES (new.hours);
	UPDATE services SET hours_id = (SELECT id FROM service_hours WHERE text = new.hours)
		WHERE id = new.id;
END;
CREATE TRIGGER services_hours_upd AFTER UPDATE OF hours ON services BEGIN
	INSERT OR IGNORE INTO service_hours(text) SELECT new.hours WHERE new.hours <> '';
	UPDATE services SET hours_id = (SELECT id FROM service_hours WHERE text = new.hours)
		WHERE id = new.id;
END;

-- Then the indexes: each list's index carries the columns its filters
-- read, so that SQLite checks them on the index entry and reads a row
-- only once they hold (it tests what an index covers before it seeks the
-- table).  services_facets, led by the id, is what a search through a
-- text index looks each candidate up in.
DROP INDEX services_status;
CREATE INDEX services_status ON services(status, id, jurisdiction_id, hours_id);
DROP INDEX services_category;
CREATE INDEX services_category ON services(category, status, id, jurisdiction_id, hours_id);
DROP INDEX services_provider;
CREATE INDEX services_provider ON services(organization_id, id, status, category,
	jurisdiction_id, hours_id);
CREATE INDEX services_facets ON services(id, status, category, organization_id, jurisdiction_id,
	hours_id, offered_by);
