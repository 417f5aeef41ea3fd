-- The service catalogue and resource list, after HSDS 3.0 (Open
-- Referral): the organisations that provide services, the services with
-- their locations and contacts (hours are one canonical JSON object of
-- the service, read and checked by src/domain/hours.c), and service
-- requests: cases of the kind 'service_request' that name their service.

-- Organisations become providers: what a directory shows of them, the
-- town department that answers requests for their services, a version
-- for If-Match, and the district beside the jurisdiction as the rows that
-- grow with a city carry it.
ALTER TABLE organisations ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN department_id INTEGER REFERENCES departments(id);
ALTER TABLE organisations ADD COLUMN district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id);
ALTER TABLE organisations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE organisations ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
UPDATE organisations SET district_id = (SELECT district_id FROM jurisdictions j
	WHERE j.id = organisations.jurisdiction_id);
CREATE INDEX organisations_jurisdiction ON organisations(jurisdiction_id, id);
CREATE INDEX organisations_enterprise ON organisations(enterprise_id) WHERE enterprise_id IS NOT NULL;

-- A service of the catalogue.  status: pending (an enterprise's offer,
-- waiting for an officer), active (listed), inactive (kept, not listed),
-- retired (no longer offered, with its reason).  deadline_hours is the
-- time limit of a request for it, as a case category's.
CREATE TABLE services (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	organization_id INTEGER NOT NULL REFERENCES organisations(id),
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL DEFAULT '',
	description_zh TEXT NOT NULL DEFAULT '',
	description_en TEXT NOT NULL DEFAULT '',
	category TEXT NOT NULL CHECK (category IN ('policy_consulting','financing','talent_hr',
		'legal','land_premises','permits_approvals','training','venues','testing_technology',
		'logistics')),
	eligibility TEXT NOT NULL DEFAULT '',
	fees TEXT NOT NULL DEFAULT '',
	languages TEXT NOT NULL DEFAULT '', -- codes, comma-separated
	documents TEXT NOT NULL DEFAULT '', -- required documents, one a line
	url TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('pending','active','inactive','retired')),
	status_reason TEXT NOT NULL DEFAULT '',
	last_verified TEXT,
	deadline_hours INTEGER NOT NULL CHECK (deadline_hours BETWEEN 1 AND 8760),
	hours TEXT NOT NULL DEFAULT '',
	offered_by INTEGER REFERENCES enterprises(id),
	approved_by INTEGER REFERENCES users(id),
	approved_at TEXT,
	created_by INTEGER REFERENCES users(id),
	jurisdiction_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX services_jurisdiction ON services(jurisdiction_id, id);
CREATE INDEX services_district ON services(district_id, id);
-- A page of a status (the catalogue's: active) or of a category in it is
-- read in id order and stops when full.
CREATE INDEX services_status ON services(status, id);
CREATE INDEX services_category ON services(category, status, id);
CREATE INDEX services_provider ON services(organization_id, id);
CREATE INDEX services_offered ON services(offered_by) WHERE offered_by IS NOT NULL;

-- Where a service is given (HSDS location and service_at_location in
-- one: a location here is always of its service).
CREATE TABLE service_locations (
	service_id INTEGER NOT NULL REFERENCES services(id),
	pos INTEGER NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',
	lon REAL,
	lat REAL,
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	PRIMARY KEY (service_id, pos),
	CHECK ((lon IS NULL) = (lat IS NULL))
) WITHOUT ROWID;

-- Whom to call or write (HSDS contact, each with its phone).
CREATE TABLE service_contacts (
	service_id INTEGER NOT NULL REFERENCES services(id),
	pos INTEGER NOT NULL,
	name TEXT NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	PRIMARY KEY (service_id, pos)
) WITHOUT ROWID;

-- Search over names and descriptions, as the registry's: the trigram
-- index narrows the rows that may hold a query of three characters or
-- more, and a LIKE on them decides (sqlite_service.c).
CREATE VIRTUAL TABLE service_fts USING fts5(
	name_zh, name_en, description_zh, description_en, content='services', content_rowid='id',
	tokenize='trigram', detail=none
);
CREATE TRIGGER services_fts_ins AFTER INSERT ON services BEGIN
	INSERT INTO service_fts(rowid, name_zh, name_en, description_zh, description_en)
	VALUES (new.id, new.name_zh, new.name_en, new.description_zh, new.description_en);
END;
CREATE TRIGGER services_fts_del AFTER DELETE ON services BEGIN
	INSERT INTO service_fts(service_fts, rowid, name_zh, name_en, description_zh, description_en)
	VALUES ('delete', old.id, old.name_zh, old.name_en, old.description_zh, old.description_en);
END;
CREATE TRIGGER services_fts_upd AFTER UPDATE OF name_zh, name_en, description_zh, description_en
ON services BEGIN
	INSERT INTO service_fts(service_fts, rowid, name_zh, name_en, description_zh, description_en)
	VALUES ('delete', old.id, old.name_zh, old.name_en, old.description_zh, old.description_en);
	INSERT INTO service_fts(rowid, name_zh, name_en, description_zh, description_en)
	VALUES (new.id, new.name_zh, new.name_en, new.description_zh, new.description_en);
END;

-- Cases gain the kind 'service_request' and the service it names.  A
-- CHECK constraint cannot be changed in place, so the table is rebuilt as
-- 005 rebuilt enterprises (https://sqlite.org/lang_altertable.html,
-- "Making Other Kinds Of Table Schema Changes"): the migration runs with
-- foreign keys off, the rows are copied with every column and constraint
-- kept, the old table dropped and the new one renamed, its indexes made
-- again, and every foreign key checked before the commit.  The tables
-- that refer to cases(id) name the table, so they refer to the new one.
CREATE TABLE cases_new (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	tracking_code TEXT NOT NULL UNIQUE,
	request_key TEXT UNIQUE, -- the client's Idempotency-Key, so a retry is not a second case
	kind TEXT NOT NULL CHECK (kind IN ('problem','suggestion','complaint','service_request')),
	channel TEXT NOT NULL,
	point_id INTEGER REFERENCES collection_points(id),
	category_id INTEGER NOT NULL REFERENCES case_categories(id),
	department_id INTEGER NOT NULL REFERENCES departments(id),
	text TEXT NOT NULL,
	street TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',
	lon REAL,
	lat REAL,
	enterprise_id INTEGER REFERENCES enterprises(id),
	visit_id INTEGER REFERENCES visits(id),
	created_by INTEGER REFERENCES users(id),
	client TEXT NOT NULL DEFAULT '', -- Open311: the key's label and device id
	media_url TEXT NOT NULL DEFAULT '',
	attributes TEXT NOT NULL DEFAULT '{}',
	public INTEGER NOT NULL, -- suggestions and complaints; enterprises' problems are not
	state TEXT NOT NULL DEFAULT 'submitted',
	reopened INTEGER NOT NULL DEFAULT 0,
	deadline TEXT NOT NULL,
	escalated_at TEXT,
	merged_into INTEGER REFERENCES cases(id),
	reply TEXT NOT NULL DEFAULT '',
	rating INTEGER CHECK (rating BETWEEN 1 AND 5),
	rating_note TEXT NOT NULL DEFAULT '',
	resolved_at TEXT,
	closed_at TEXT,
	erased_at TEXT,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	shingles BLOB, -- the text's similarity shingles, so start-up need not fold every text
	-- Open311's closed: a final state.  Kept as a column so that lists
	-- by status walk an index in time order.
	closed INTEGER GENERATED ALWAYS AS (state IN ('closed','rejected','not_adopted')) VIRTUAL,
	address_id TEXT NOT NULL DEFAULT '',
	jurisdiction_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
	district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
	-- A service request's service (kind 'service_request'); NULL otherwise.
	service_id INTEGER REFERENCES services(id),
	CHECK ((kind = 'service_request') = (service_id IS NOT NULL))
);
INSERT INTO cases_new (id, version, tracking_code, request_key, kind, channel, point_id,
	category_id, department_id, text, street, address, lon, lat, enterprise_id, visit_id,
	created_by, client, media_url, attributes, public, state, reopened, deadline, escalated_at,
	merged_into, reply, rating, rating_note, resolved_at, closed_at, erased_at, created_at,
	updated_at, shingles, address_id, jurisdiction_id, district_id)
SELECT id, version, tracking_code, request_key, kind, channel, point_id,
	category_id, department_id, text, street, address, lon, lat, enterprise_id, visit_id,
	created_by, client, media_url, attributes, public, state, reopened, deadline, escalated_at,
	merged_into, reply, rating, rating_note, resolved_at, closed_at, erased_at, created_at,
	updated_at, shingles, address_id, jurisdiction_id, district_id
FROM cases;
DROP TABLE cases;
ALTER TABLE cases_new RENAME TO cases;

CREATE INDEX cases_created ON cases(created_at);
CREATE INDEX cases_public ON cases(public, created_at);
CREATE INDEX cases_status ON cases(public, closed, created_at);
CREATE INDEX cases_service ON cases(category_id, closed, created_at);
CREATE INDEX cases_state ON cases(state, deadline);
CREATE INDEX cases_department ON cases(department_id, state);
CREATE INDEX cases_category ON cases(category_id, created_at);
CREATE INDEX cases_enterprise ON cases(enterprise_id) WHERE enterprise_id IS NOT NULL;
CREATE INDEX cases_merged ON cases(merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX cases_closed ON cases(closed_at) WHERE erased_at IS NULL AND closed_at IS NOT NULL;
CREATE INDEX cases_district ON cases(district_id, id);
CREATE INDEX cases_jurisdiction ON cases(jurisdiction_id, id);
CREATE INDEX cases_rollup ON cases(district_id, jurisdiction_id, created_at, kind, rating,
	deadline, resolved_at, closed_at, merged_into) WHERE merged_into IS NULL;
CREATE INDEX cases_by_service ON cases(service_id) WHERE service_id IS NOT NULL;
