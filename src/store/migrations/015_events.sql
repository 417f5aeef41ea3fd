-- Events (src/domain/event.h): salons, roundtables, classes and alliance
-- meetings that put enterprises' problems on the table.  An event lies in
-- a jurisdiction and carries its district, as every row that grows with a
-- city; its organiser is a cluster, an organisation or an alliance (an
-- organisation of kind 'alliance'), and cluster_id is the cluster it
-- counts for (the organiser's), so that a quarter without one shows.

-- The kinds an event may be, a list the town may extend.
CREATE TABLE event_kinds (
	code TEXT PRIMARY KEY,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL DEFAULT '',
	active INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;
INSERT INTO event_kinds (code, name_zh, name_en) VALUES
	('salon', '企业秘书沙龙', 'Corporate secretaries'' salon'),
	('roundtable', '红领圆桌会', 'Red-collar roundtable'),
	('class', '红领课堂', 'Red-collar class'),
	('alliance_meeting', '联盟会议', 'Alliance meeting');

CREATE TABLE events (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	uid TEXT NOT NULL UNIQUE, -- iCalendar UID: the same event in every calendar, for ever
	kind TEXT NOT NULL REFERENCES event_kinds(code),
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	organiser_type TEXT NOT NULL CHECK (organiser_type IN ('cluster','organisation','alliance')),
	organiser_id INTEGER NOT NULL,
	cluster_id INTEGER REFERENCES clusters(id),
	-- The town's wall-clock time (Asia/Shanghai, no daylight saving),
	-- YYYY-MM-DDTHH:MM, as people set and read it; quarter is starts_at's.
	starts_at TEXT NOT NULL,
	ends_at TEXT NOT NULL,
	quarter TEXT NOT NULL,
	place TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned','held','cancelled')),
	jurisdiction_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	created_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK (ends_at > starts_at)
);
CREATE INDEX events_organiser ON events(organiser_type, organiser_id, starts_at);
CREATE INDEX events_cluster ON events(cluster_id, quarter) WHERE cluster_id IS NOT NULL;
CREATE INDEX events_starts ON events(starts_at, id);
CREATE INDEX events_district ON events(district_id, id);

-- An agenda is drafted from the open cases of the invited enterprises:
-- this index holds just those, and every column the draft reads of them
-- (store_event_open_cases), so that an enterprise's open cases are one
-- run of it, read without visiting the table's rows scattered over the
-- years.  Its WHERE is the one that function asks.
CREATE INDEX cases_enterprise_open ON cases(enterprise_id, state, merged_into, erased_at,
	department_id, deadline, created_at, created_by, jurisdiction_id, lon, lat, shingles)
	WHERE state NOT IN ('resolved', 'closed', 'rejected', 'not_adopted', 'implemented')
	AND merged_into IS NULL AND erased_at IS NULL;

-- The enterprises invited, their reply (NULL: none yet) and attendance.
CREATE TABLE event_enterprises (
	event_id INTEGER NOT NULL REFERENCES events(id),
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	reply TEXT CHECK (reply IN ('coming','not_coming')),
	reply_note TEXT NOT NULL DEFAULT '',
	replied_by INTEGER REFERENCES users(id),
	replied_at TEXT,
	attended INTEGER NOT NULL DEFAULT 0,
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	PRIMARY KEY (event_id, enterprise_id)
) WITHOUT ROWID;
CREATE INDEX event_enterprises_enterprise ON event_enterprises(enterprise_id, event_id);

-- The departments invited: by hand, or because an agenda item needs them.
CREATE TABLE event_departments (
	event_id INTEGER NOT NULL REFERENCES events(id),
	department_id INTEGER NOT NULL REFERENCES departments(id),
	why TEXT NOT NULL DEFAULT 'invited' CHECK (why IN ('invited','agenda')),
	attended INTEGER NOT NULL DEFAULT 0,
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	PRIMARY KEY (event_id, department_id)
) WITHOUT ROWID;
CREATE INDEX event_departments_department ON event_departments(department_id, event_id);

-- The agenda: items in order, drafted from open cases (reason: overdue,
-- shared by several enterprises, or age), added by the organiser, or
-- raised at the table; the minutes and the decision of each.
CREATE TABLE event_items (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events(id),
	pos INTEGER NOT NULL,
	source TEXT NOT NULL CHECK (source IN ('drafted','added','raised')),
	reason TEXT NOT NULL DEFAULT '' CHECK (reason IN ('','overdue','shared','age')),
	title TEXT NOT NULL,
	department_id INTEGER REFERENCES departments(id),
	minutes TEXT NOT NULL DEFAULT '',
	decision TEXT NOT NULL DEFAULT '',
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id)
);
CREATE INDEX event_items_event ON event_items(event_id, pos);

-- The cases an item is about (a shared problem groups several).
CREATE TABLE event_item_cases (
	item_id INTEGER NOT NULL REFERENCES event_items(id),
	case_id INTEGER NOT NULL REFERENCES cases(id),
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	PRIMARY KEY (item_id, case_id)
) WITHOUT ROWID;
CREATE INDEX event_item_cases_case ON event_item_cases(case_id);

-- A calendar application fetches a feed by its address alone, with no
-- cookie or header of the user's: the address carries this token, which
-- reads that user's feeds and nothing else.  Kept as a hash, one a user;
-- a new one replaces it.
CREATE TABLE calendar_tokens (
	token_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL UNIQUE REFERENCES users(id),
	created_at TEXT NOT NULL
) WITHOUT ROWID;
