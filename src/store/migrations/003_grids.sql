-- Grid management: the town's grids as a hierarchy of polygons, the grid
-- teams, visits to enterprises with the problems found, and enterprises'
-- periodic indicators.

CREATE TABLE grids (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	parent_id INTEGER REFERENCES grids(id),
	level TEXT NOT NULL CHECK (level IN ('town','area','cell')),
	code TEXT NOT NULL UNIQUE,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL DEFAULT '',
	geometry TEXT NOT NULL, -- GeoJSON geometry (WGS84), validated on write
	area_km2 REAL NOT NULL,
	min_lon REAL NOT NULL, min_lat REAL NOT NULL, max_lon REAL NOT NULL, max_lat REAL NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX grids_parent ON grids(parent_id);

-- The grid an enterprise lies in: the smallest grid covering its
-- location, kept by placement on every write and after every grid change.
ALTER TABLE enterprises ADD COLUMN grid_id INTEGER REFERENCES grids(id);
CREATE INDEX enterprises_grid ON enterprises(grid_id);

-- Grid workers and the grids they look after: their scope.
CREATE TABLE grid_members (
	grid_id INTEGER NOT NULL REFERENCES grids(id),
	user_id INTEGER NOT NULL REFERENCES users(id),
	PRIMARY KEY (grid_id, user_id)
) WITHOUT ROWID;
CREATE INDEX grid_members_user ON grid_members(user_id);

CREATE TABLE visits (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	worker_id INTEGER NOT NULL REFERENCES users(id),
	status TEXT NOT NULL CHECK (status IN ('planned','done','cancelled')),
	planned_on TEXT NOT NULL,
	done_on TEXT,
	notes TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK ((status = 'done') = (done_on IS NOT NULL))
);
CREATE INDEX visits_enterprise ON visits(enterprise_id, done_on);
CREATE INDEX visits_worker ON visits(worker_id, planned_on);

-- Problems found on a visit; each becomes a case once the case pipeline
-- takes it (case_id), until then it waits here, linked to its visit.
CREATE TABLE visit_problems (
	id INTEGER PRIMARY KEY,
	visit_id INTEGER NOT NULL REFERENCES visits(id),
	category TEXT NOT NULL DEFAULT '',
	text TEXT NOT NULL,
	case_id INTEGER
);
CREATE INDEX visit_problems_visit ON visit_problems(visit_id);

CREATE TABLE indicators (
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	period TEXT NOT NULL, -- 2024-03 or 2024-Q1
	revenue REAL, output REAL, tax REAL, employees REAL, rd REAL, energy REAL,
	source TEXT NOT NULL CHECK (source IN ('console','visit','import')),
	visit_id INTEGER REFERENCES visits(id),
	updated_at TEXT NOT NULL,
	PRIMARY KEY (enterprise_id, period)
) WITHOUT ROWID;
CREATE INDEX indicators_period ON indicators(period);

-- Placement depends on every grid; servers keep the grids' prepared
-- polygons in memory and rebuild them when this counter moves.
INSERT INTO meta (key, value) VALUES ('grid_version', 0);
CREATE TRIGGER grid_v_ins AFTER INSERT ON grids BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'grid_version'; END;
CREATE TRIGGER grid_v_upd AFTER UPDATE ON grids BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'grid_version'; END;
CREATE TRIGGER grid_v_del AFTER DELETE ON grids BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'grid_version'; END;
