-- Cases: enterprises' problems, residents' suggestions and complaints, the
-- departments that handle them, the categories that route them, the
-- places they are collected, and the notifications they send.

-- A handler belongs to a department by name (users.department).
CREATE TABLE departments (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	name_en TEXT NOT NULL DEFAULT ''
);

-- A category is an Open311 service: its code is the service_code, its
-- department gets the cases, its deadline counts from intake.
CREATE TABLE case_categories (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	group_name TEXT NOT NULL DEFAULT '',
	keywords TEXT NOT NULL DEFAULT '',
	department_id INTEGER NOT NULL REFERENCES departments(id),
	deadline_hours INTEGER NOT NULL CHECK (deadline_hours BETWEEN 1 AND 8760),
	attributes TEXT NOT NULL DEFAULT '[]', -- Open311 attribute definitions
	active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE collection_points (
	id INTEGER PRIMARY KEY,
	type TEXT NOT NULL CHECK (type IN ('workstation','contact_point','mailbox','residential',
		'street_reception','salon','roundtable','party_class')),
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL DEFAULT '',
	street TEXT NOT NULL,
	address TEXT NOT NULL DEFAULT '',
	lon REAL,
	lat REAL,
	keeper TEXT NOT NULL DEFAULT '',
	hours TEXT NOT NULL DEFAULT '',
	active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE cases (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	tracking_code TEXT NOT NULL UNIQUE,
	request_key TEXT UNIQUE, -- the client's Idempotency-Key, so a retry is not a second case
	kind TEXT NOT NULL CHECK (kind IN ('problem','suggestion','complaint')),
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
	closed INTEGER GENERATED ALWAYS AS (state IN ('closed','rejected','not_adopted')) VIRTUAL
);
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

-- Personal data live apart from the case so that erasing them is one
-- DELETE and no view of cases can leak them by accident.
CREATE TABLE case_people (
	case_id INTEGER PRIMARY KEY REFERENCES cases(id),
	name TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT ''
);

-- The timeline: every transition, assignment, reply, merge, rating,
-- escalation and erasure, with who and when.  public = shown on the
-- tracking page.
CREATE TABLE case_events (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	at TEXT NOT NULL,
	user_id INTEGER REFERENCES users(id),
	actor TEXT NOT NULL, -- username, or 'public', 'system', an Open311 client
	action TEXT NOT NULL,
	from_state TEXT,
	to_state TEXT,
	note TEXT NOT NULL DEFAULT '',
	public INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX case_events_case ON case_events(case_id, id);

CREATE TABLE case_photos (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	type TEXT NOT NULL CHECK (type IN ('image/jpeg','image/png','image/webp')),
	size INTEGER NOT NULL,
	data BLOB NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX case_photos_case ON case_photos(case_id);

CREATE TABLE webhooks (
	id INTEGER PRIMARY KEY,
	url TEXT NOT NULL,
	secret TEXT NOT NULL,
	active INTEGER NOT NULL DEFAULT 1,
	created_at TEXT NOT NULL
);

-- Notifications wait here until a receiver has taken them: written in
-- the transaction of the change, delivered afterwards with retries, so
-- none is lost while a receiver is down (at least once).
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	webhook_id INTEGER NOT NULL REFERENCES webhooks(id),
	event TEXT NOT NULL,
	case_id INTEGER REFERENCES cases(id),
	payload TEXT NOT NULL,
	created_at TEXT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at TEXT NOT NULL,
	delivered_at TEXT,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox(next_at) WHERE delivered_at IS NULL;

-- Problems found on visits become cases; the link was kept waiting.
CREATE INDEX visit_problems_case ON visit_problems(case_id) WHERE case_id IS NOT NULL;
