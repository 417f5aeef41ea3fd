-- The registry: clusters, enterprises with contacts and tags, accounts,
-- sessions, the audit log, organisations and the bulletin.
CREATE TABLE clusters (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL,
	leading_enterprise_id INTEGER REFERENCES enterprises(id),
	secretary_user_id INTEGER REFERENCES users(id)
);

CREATE TABLE enterprises (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	uscc TEXT NOT NULL UNIQUE,
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
	CHECK ((lon IS NULL) = (lat IS NULL))
);
CREATE INDEX enterprises_cluster ON enterprises(cluster_id, id);
CREATE INDEX enterprises_status ON enterprises(status, id);

CREATE TABLE enterprise_contacts (
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	pos INTEGER NOT NULL,
	name TEXT NOT NULL,
	role TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (enterprise_id, pos)
) WITHOUT ROWID;

CREATE TABLE enterprise_tags (
	tag TEXT NOT NULL,
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	PRIMARY KEY (tag, enterprise_id)
) WITHOUT ROWID;
CREATE INDEX enterprise_tags_by_enterprise ON enterprise_tags(enterprise_id);

-- Substring search over names and address.  The trigram tokenizer finds
-- any substring of three or more characters, Chinese included; shorter
-- queries fall back to a scan (see sqlite.c).
CREATE VIRTUAL TABLE enterprise_fts USING fts5(
	name_zh, name_en, address, content='enterprises', content_rowid='id',
	tokenize='trigram'
);
CREATE TRIGGER enterprises_fts_ins AFTER INSERT ON enterprises BEGIN
	INSERT INTO enterprise_fts(rowid, name_zh, name_en, address)
	VALUES (new.id, new.name_zh, new.name_en, new.address);
END;
CREATE TRIGGER enterprises_fts_del AFTER DELETE ON enterprises BEGIN
	INSERT INTO enterprise_fts(enterprise_fts, rowid, name_zh, name_en, address)
	VALUES ('delete', old.id, old.name_zh, old.name_en, old.address);
END;
CREATE TRIGGER enterprises_fts_upd AFTER UPDATE OF name_zh, name_en, address ON enterprises BEGIN
	INSERT INTO enterprise_fts(enterprise_fts, rowid, name_zh, name_en, address)
	VALUES ('delete', old.id, old.name_zh, old.name_en, old.address);
	INSERT INTO enterprise_fts(rowid, name_zh, name_en, address)
	VALUES (new.id, new.name_zh, new.name_en, new.address);
END;

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL CHECK (role IN ('admin','officer','secretary','grid_worker','handler','enterprise')),
	password_hash TEXT NOT NULL,
	cluster_id INTEGER REFERENCES clusters(id),
	enterprise_id INTEGER REFERENCES enterprises(id),
	department TEXT NOT NULL DEFAULT '',
	disabled INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL
);

-- Tokens are stored as hashes so that a copy of the database does not
-- hand out live sessions.
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	csrf TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_keys (
	key_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	label TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE login_failures (
	username TEXT NOT NULL,
	ip TEXT NOT NULL,
	at INTEGER NOT NULL
);
CREATE INDEX login_failures_user ON login_failures(username, at);
CREATE INDEX login_failures_ip ON login_failures(ip, at);

CREATE TABLE audit (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	user_id INTEGER,
	username TEXT NOT NULL,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id INTEGER,
	before TEXT,
	after TEXT,
	request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit(entity, entity_id);

CREATE TABLE organisations (
	id INTEGER PRIMARY KEY,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL,
	kind TEXT NOT NULL,
	cluster_id INTEGER REFERENCES clusters(id),
	enterprise_id INTEGER REFERENCES enterprises(id)
);

CREATE TABLE bulletin (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL,
	published TEXT NOT NULL,
	tags TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL
);
