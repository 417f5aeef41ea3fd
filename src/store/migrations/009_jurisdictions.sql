-- Jurisdictions: the tree of places the system serves, city -> district
-- -> town or street -> community, village or park.  Every record belongs
-- to one (jurisdiction_id, the finest level it lives at); the rows that
-- grow with a city also carry their district (district_id), set from the
-- jurisdiction and changed only by a transfer, the key a distributed
-- database would cut the rows by.
--
-- lo and hi number the tree in depth-first order (a node's subtree is
-- every node whose lo lies in [lo, hi]), so that "in the scope of" is one
-- range test instead of a walk up the tree.  The store renumbers the
-- whole tree, which is small, whenever a node is added or moved.
CREATE TABLE jurisdictions (
	id INTEGER PRIMARY KEY,
	parent_id INTEGER REFERENCES jurisdictions(id),
	level TEXT NOT NULL CHECK (level IN ('city','district','town','community')),
	kind TEXT NOT NULL CHECK (kind IN ('city','district','county','town','street',
		'community','village','park')),
	code TEXT NOT NULL UNIQUE, -- GB/T 2260 (6 digits) above towns, 9 and 12 digits below
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL DEFAULT '',
	-- The district the node lies in: the node at level 'district' on its
	-- path, or the top of the tree when the tree has none (a lone town).
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	lo INTEGER NOT NULL,
	hi INTEGER NOT NULL,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX jurisdictions_parent ON jurisdictions(parent_id);
CREATE INDEX jurisdictions_lo ON jurisdictions(lo, id);

-- A database of one town becomes a tree of one: everything it holds
-- belongs to it.  Its code and names are placeholders to be set (qunyan
-- jurisdiction set), and it can be hung under a district later with
-- nothing else changed.
INSERT INTO jurisdictions (id, parent_id, level, kind, code, name_zh, name_en, district_id,
	lo, hi, created_at, updated_at)
VALUES (1, NULL, 'town', 'town', '000000000', '本镇', 'The town', 1, 1, 1,
	strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

-- Records and the jurisdiction they belong to.  Reference data (clusters,
-- departments, categories, collection points, organisations) may sit at
-- any level and serve its subtree.
ALTER TABLE clusters ADD COLUMN jurisdiction_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE departments ADD COLUMN jurisdiction_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE case_categories ADD COLUMN jurisdiction_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE collection_points ADD COLUMN jurisdiction_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE organisations ADD COLUMN jurisdiction_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
-- A user's scope: the subtree it sees and acts on; NULL is the whole tree.
ALTER TABLE users ADD COLUMN jurisdiction_id INTEGER REFERENCES jurisdictions(id);

-- The rows that grow with the city: their jurisdiction and their district.
ALTER TABLE enterprises ADD COLUMN jurisdiction_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE enterprises ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
CREATE INDEX enterprises_district ON enterprises(district_id, id);
CREATE INDEX enterprises_jurisdiction ON enterprises(jurisdiction_id, id);
ALTER TABLE grids ADD COLUMN jurisdiction_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE grids ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
CREATE INDEX grids_jurisdiction ON grids(jurisdiction_id);
ALTER TABLE cases ADD COLUMN jurisdiction_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE cases ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
CREATE INDEX cases_district ON cases(district_id, id);
CREATE INDEX cases_jurisdiction ON cases(jurisdiction_id, id);
-- Their dependents carry the district of the record they depend on.
ALTER TABLE enterprise_contacts ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE enterprise_tags ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE enterprise_products ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE enterprise_needs ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE supply_links ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE visits ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE indicators ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE case_events ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);

-- A case sent from one jurisdiction to another (the hotline's transfer):
-- asked for by the sending side with a reason, then accepted or returned
-- by the receiving side.  A case has at most one transfer pending.
CREATE TABLE case_transfers (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id), -- the case's, when sent
	from_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	to_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	reason TEXT NOT NULL,
	sent_by INTEGER REFERENCES users(id),
	sent_at TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','accepted','returned')),
	answered_by INTEGER REFERENCES users(id),
	answered_at TEXT,
	answer_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_transfers_case ON case_transfers(case_id, id);
CREATE UNIQUE INDEX case_transfers_pending ON case_transfers(case_id) WHERE status = 'pending';
CREATE INDEX case_transfers_to ON case_transfers(to_id, status);

-- An enterprise that moves from one town to another keeps its id and its
-- history; each move is kept so that the old town sees that it left and
-- where to.
CREATE TABLE enterprise_moves (
	id INTEGER PRIMARY KEY,
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	from_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	to_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	reason TEXT NOT NULL DEFAULT '',
	user_id INTEGER REFERENCES users(id),
	at TEXT NOT NULL
);
CREATE INDEX enterprise_moves_enterprise ON enterprise_moves(enterprise_id, id);
CREATE INDEX enterprise_moves_from ON enterprise_moves(from_id, at);

-- A category's department and time limit may differ below where it is
-- defined: the rule of the nearest jurisdiction on a case's path applies,
-- so a case transferred elsewhere follows the rules of its new side.
CREATE TABLE category_rules (
	category_id INTEGER NOT NULL REFERENCES case_categories(id),
	jurisdiction_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	department_id INTEGER NOT NULL REFERENCES departments(id),
	deadline_hours INTEGER NOT NULL CHECK (deadline_hours BETWEEN 1 AND 8760),
	PRIMARY KEY (category_id, jurisdiction_id)
) WITHOUT ROWID;

INSERT INTO meta (key, value) VALUES ('jurisdiction_version', 0);
CREATE TRIGGER jurisdiction_v_ins AFTER INSERT ON jurisdictions BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'jurisdiction_version'; END;
CREATE TRIGGER jurisdiction_v_upd AFTER UPDATE ON jurisdictions BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'jurisdiction_version'; END;
