-- The enterprises' USCC becomes unique through a named index instead of a
-- UNIQUE column constraint.  The constraint's automatic index cannot be
-- dropped, and keeping it up to date row by row costs a bulk import a
-- fifth of its time; a named index can be dropped for the load and built
-- once, by one sort, after the import has checked the codes itself.
--
-- SQLite cannot drop a column constraint in place, so the table is
-- rebuilt with the procedure of https://sqlite.org/lang_altertable.html
-- ("Making Other Kinds Of Table Schema Changes"): the migration runs with
-- foreign keys off (see migrate() in sqlite.c), copies the rows into a new
-- table with every other constraint kept, drops the old table, renames the
-- new one, recreates the indexes and triggers that went with the old one,
-- and checks every foreign key before it commits.  The tables that refer
-- to enterprises(id) name the table, so they refer to the new one.
--
-- The search index is remade at the same time, with detail=none: it
-- stores for each trigram only the rows that hold it, not where.  That is
-- a fifth of the size and half the work to build, and a search does not
-- need positions: it takes the rows that hold every trigram of the query
-- and keeps those in which the query really occurs (see
-- store_enterprise_list).

CREATE TABLE enterprises_new (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	uscc TEXT NOT NULL,
	uscc_override INTEGER NOT NULL DEFAULT 0,
	name_zh TEXT NOT NULL DEFAULT '',
	name_en TEXT NOT NULL DEFAULT '',
	industry TEXT NOT NULL,
	cluster_id INTEGER REFERENCES clusters(id),
	stage TEXT CHECK (stage IN ('leading','upstream','midstream','downstream','service')),
	size TEXT CHECK (size IN ('micro','small','medium','large')),
	founded TEXT,
	address TEXT NOT NULL DEFAULT '',
	lon REAL,
	lat REAL,
	employees INTEGER CHECK (employees >= 0),
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','moved_out','closed')),
	status_reason TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	in_park INTEGER NOT NULL DEFAULT 1 CHECK (in_park IN (0, 1)),
	grid_id INTEGER REFERENCES grids(id),
	CHECK ((lon IS NULL) = (lat IS NULL))
);
INSERT INTO enterprises_new (id, version, uscc, uscc_override, name_zh, name_en, industry,
	cluster_id, stage, size, founded, address, lon, lat, employees, status, status_reason,
	created_at, updated_at, in_park, grid_id)
SELECT id, version, uscc, uscc_override, name_zh, name_en, industry,
	cluster_id, stage, size, founded, address, lon, lat, employees, status, status_reason,
	created_at, updated_at, in_park, grid_id
FROM enterprises;
DROP TABLE enterprises;
ALTER TABLE enterprises_new RENAME TO enterprises;

CREATE UNIQUE INDEX enterprises_uscc ON enterprises(uscc);
CREATE INDEX enterprises_cluster ON enterprises(cluster_id, id);
CREATE INDEX enterprises_status ON enterprises(status, id);
CREATE INDEX enterprises_grid ON enterprises(grid_id);

CREATE TRIGGER chain_v_ent_ins AFTER INSERT ON enterprises BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'chain_version'; END;
CREATE TRIGGER chain_v_ent_upd AFTER UPDATE ON enterprises BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'chain_version'; END;

-- The search index may cover only the enterprises up to an id, kept in
-- meta as 'search_indexed_to' while the rest wait to be indexed (after a
-- bulk import, which does not index its rows itself); no such row: it
-- covers every enterprise.  The triggers keep the covered rows up to date
-- and leave the others to whoever extends the index
-- (store_search_index_step), which reads them as they are then.  Searches
-- do not use the index while the row exists.
DROP TABLE enterprise_fts;
CREATE VIRTUAL TABLE enterprise_fts USING fts5(
	name_zh, name_en, address, content='enterprises', content_rowid='id',
	tokenize='trigram', detail=none
);
CREATE TRIGGER enterprises_fts_ins AFTER INSERT ON enterprises
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search_indexed_to' AND value < new.id) BEGIN
	INSERT INTO enterprise_fts(rowid, name_zh, name_en, address)
	VALUES (new.id, new.name_zh, new.name_en, new.address);
END;
CREATE TRIGGER enterprises_fts_del AFTER DELETE ON enterprises
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search_indexed_to' AND value < old.id) BEGIN
	INSERT INTO enterprise_fts(enterprise_fts, rowid, name_zh, name_en, address)
	VALUES ('delete', old.id, old.name_zh, old.name_en, old.address);
END;
CREATE TRIGGER enterprises_fts_upd AFTER UPDATE OF name_zh, name_en, address ON enterprises
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search_indexed_to' AND value < old.id) BEGIN
	INSERT INTO enterprise_fts(enterprise_fts, rowid, name_zh, name_en, address)
	VALUES ('delete', old.id, old.name_zh, old.name_en, old.address);
	INSERT INTO enterprise_fts(rowid, name_zh, name_en, address)
	VALUES (new.id, new.name_zh, new.name_en, new.address);
END;

-- The old flag said the same for every row; the index is empty now, so
-- every existing enterprise waits to be indexed.
DELETE FROM meta WHERE key = 'search_stale';
INSERT INTO meta (key, value)
SELECT 'search_indexed_to', 0 WHERE EXISTS (SELECT 1 FROM enterprises);
