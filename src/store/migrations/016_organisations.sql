-- Organisations as a tree that reaches enterprises: the town's party
-- committee, the cluster general branches under it and the branches
-- under those (and the trade unions, youth leagues, women's federations,
-- associations and alliances beside them), each with its members, its
-- secretary and the enterprises it covers.  Coverage is what the town
-- reports: which in-park enterprises no organisation reaches.

-- parent_id: the organisation above (NULL: a root).  Its tree is kept
-- acyclic by the writer (src/domain/organisation.c), which walks the
-- ancestors before every change of a parent.
ALTER TABLE organisations ADD COLUMN parent_id INTEGER REFERENCES organisations(id);
-- members: the number of its members (party members, union members ...),
-- as the organisation reports it; 0 when not reported.
ALTER TABLE organisations ADD COLUMN members INTEGER NOT NULL DEFAULT 0 CHECK (members >= 0);
-- The secretary: a user of this server, or a person named with a phone.
ALTER TABLE organisations ADD COLUMN secretary_user_id INTEGER REFERENCES users(id);
ALTER TABLE organisations ADD COLUMN secretary_name TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN secretary_phone TEXT NOT NULL DEFAULT '';
CREATE INDEX organisations_parent ON organisations(parent_id) WHERE parent_id IS NOT NULL;

-- The enterprises an organisation covers: an enterprise by its own
-- branch, or several by a joint branch.  An enterprise may be covered by
-- more than one (its branch and its union); it counts once.  The rows
-- carry the enterprise's district, as every row that grows with a city.
CREATE TABLE organisation_coverage (
	organisation_id INTEGER NOT NULL REFERENCES organisations(id),
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
	PRIMARY KEY (organisation_id, enterprise_id)
) WITHOUT ROWID;
CREATE INDEX organisation_coverage_enterprise ON organisation_coverage(enterprise_id, organisation_id);

-- The members of an alliance (an organisation of kind 'alliance'): an
-- enterprise of the registry, an organisation, or someone outside the
-- town recorded by name and, for a firm, its USCC.  One of the three.
CREATE TABLE alliance_members (
	id INTEGER PRIMARY KEY,
	alliance_id INTEGER NOT NULL REFERENCES organisations(id),
	enterprise_id INTEGER REFERENCES enterprises(id),
	organisation_id INTEGER REFERENCES organisations(id),
	name_zh TEXT NOT NULL DEFAULT '',
	name_en TEXT NOT NULL DEFAULT '',
	uscc TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL DEFAULT '', -- "founding member", "vice chair" ...
	joined_on TEXT NOT NULL DEFAULT '',
	district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
	created_at TEXT NOT NULL,
	CHECK ((enterprise_id IS NOT NULL) + (organisation_id IS NOT NULL) + (name_zh <> '') = 1)
);
CREATE INDEX alliance_members_alliance ON alliance_members(alliance_id, id);
CREATE UNIQUE INDEX alliance_members_enterprise ON alliance_members(alliance_id, enterprise_id)
	WHERE enterprise_id IS NOT NULL;
CREATE UNIQUE INDEX alliance_members_organisation ON alliance_members(alliance_id, organisation_id)
	WHERE organisation_id IS NOT NULL;

-- What a member offers the others: a service of the catalogue, or words.
CREATE TABLE alliance_resources (
	member_id INTEGER NOT NULL REFERENCES alliance_members(id),
	pos INTEGER NOT NULL,
	service_id INTEGER REFERENCES services(id),
	text TEXT NOT NULL DEFAULT '',
	district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
	PRIMARY KEY (member_id, pos),
	CHECK (service_id IS NOT NULL OR text <> '')
) WITHOUT ROWID;
