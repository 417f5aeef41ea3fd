-- Policy measures (src/domain/policy.h): who qualifies is a rule in the
-- eligibility language (src/domain/rule.h), kept as text and compiled
-- again when it is read; every change of the rule or of the benefit is a
-- new rule version, kept, so that a decision names the version it was
-- made under.  A measure lies in a jurisdiction (a district's serves its
-- towns) and carries its district as every row that grows with a city.
CREATE TABLE policies (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	rule_version INTEGER NOT NULL DEFAULT 1,
	issuer TEXT NOT NULL,
	level TEXT NOT NULL CHECK (level IN ('district','town')),
	doc_number TEXT NOT NULL DEFAULT '',
	title_zh TEXT NOT NULL,
	title_en TEXT NOT NULL DEFAULT '',
	summary_zh TEXT NOT NULL DEFAULT '',
	summary_en TEXT NOT NULL DEFAULT '',
	category TEXT NOT NULL CHECK (category IN ('tax','financing','talent','rd',
		'land_premises','market','chain')),
	effective_from TEXT NOT NULL,
	effective_to TEXT NOT NULL DEFAULT '', -- '': no end
	mode TEXT NOT NULL CHECK (mode IN ('apply','automatic')),
	documents TEXT NOT NULL DEFAULT '', -- required documents, one a line
	jurisdiction_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	created_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX policies_jurisdiction ON policies(jurisdiction_id, id);
CREATE INDEX policies_district ON policies(district_id, id);

-- Each version of a measure's rule and benefit (amount NULL: the formula).
CREATE TABLE policy_rules (
	policy_id INTEGER NOT NULL REFERENCES policies(id),
	version INTEGER NOT NULL,
	rule TEXT NOT NULL,
	amount REAL,
	formula TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL,
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	PRIMARY KEY (policy_id, version)
) WITHOUT ROWID;

-- The last matching of each enterprise against each measure serving it:
-- outcome true, nearly or unknown (false is kept as no row: most
-- enterprises fail most measures), under which rule version, with the
-- estimated benefit (NULL when unknown).  Kept so that matching is
-- incremental: a changed enterprise re-matches its row of measures, an
-- edited measure its column of enterprises.
CREATE TABLE policy_matches (
	policy_id INTEGER NOT NULL REFERENCES policies(id),
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	outcome TEXT NOT NULL CHECK (outcome IN ('true','false','unknown','nearly')),
	rule_version INTEGER NOT NULL,
	amount REAL,
	matched_at TEXT NOT NULL,
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	PRIMARY KEY (policy_id, enterprise_id)
) WITHOUT ROWID;
CREATE INDEX policy_matches_enterprise ON policy_matches(enterprise_id, policy_id);

-- Applications to apply measures (states: src/domain/policy.h).
-- rule_version is the one in force when it was made, and then the one
-- its decision was made under.
CREATE TABLE policy_applications (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	policy_id INTEGER NOT NULL REFERENCES policies(id),
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	rule_version INTEGER NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('applied','review','approved','rejected','paid')),
	documents TEXT NOT NULL DEFAULT '', -- the documents handed in, one a line
	note TEXT NOT NULL DEFAULT '',
	amount REAL,
	reason TEXT NOT NULL DEFAULT '',
	applied_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id)
);
CREATE INDEX policy_applications_policy ON policy_applications(policy_id, id);
CREATE INDEX policy_applications_enterprise ON policy_applications(enterprise_id, id);

-- Automatic grants: a batch of the enterprises eligible when it was
-- built; an officer confirms it, removing lines with a reason; the lines
-- kept are the grants.
CREATE TABLE policy_batches (
	id INTEGER PRIMARY KEY,
	policy_id INTEGER NOT NULL REFERENCES policies(id),
	rule_version INTEGER NOT NULL,
	as_of TEXT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('draft','confirmed')),
	created_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL,
	confirmed_by INTEGER REFERENCES users(id),
	confirmed_at TEXT,
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id)
);
CREATE INDEX policy_batches_policy ON policy_batches(policy_id, id);

CREATE TABLE policy_batch_lines (
	batch_id INTEGER NOT NULL REFERENCES policy_batches(id),
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	amount REAL,
	removed_reason TEXT, -- NULL: kept (a grant once confirmed)
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	PRIMARY KEY (batch_id, enterprise_id)
) WITHOUT ROWID;
