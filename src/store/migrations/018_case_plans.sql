-- Suggestions carried through, and the departments' replies.
--
-- An adopted suggestion gets a plan: what the town will do, as
-- milestones with a due date, the date each was reached and the words
-- the public reads once it is.  A milestone is public when reached,
-- never before (src/domain/case_plan.c).  Plans and milestones grow with
-- the town and carry their case's district; a transfer moves them with it.
CREATE TABLE case_plans (
	case_id INTEGER PRIMARY KEY REFERENCES cases(id),
	district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
	summary TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	updated_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX case_plans_district ON case_plans(district_id, case_id);

CREATE TABLE case_milestones (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES case_plans(case_id),
	district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
	pos INTEGER NOT NULL,
	title TEXT NOT NULL CHECK (title <> ''),
	due_on TEXT NOT NULL, -- YYYY-MM-DD
	reached_on TEXT, -- YYYY-MM-DD; NULL until reached
	public_text TEXT NOT NULL DEFAULT '',
	weight INTEGER NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 100)
);
CREATE INDEX case_milestones_case ON case_milestones(case_id, pos);

-- A department's reply templates: answers it gives often, with
-- placeholders each case fills in ({id}, {category}, {department},
-- {date}).  They carry the district of the department's jurisdiction.
CREATE TABLE reply_templates (
	id INTEGER PRIMARY KEY,
	department_id INTEGER NOT NULL REFERENCES departments(id),
	district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
	title TEXT NOT NULL CHECK (title <> ''),
	body TEXT NOT NULL CHECK (body <> ''),
	version INTEGER NOT NULL DEFAULT 1,
	created_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX reply_templates_department ON reply_templates(department_id, title);

-- An enterprise's own problems raised in the console came through the
-- channel 'console', which reads "entered by staff"; they have their own
-- channel now, and the ones already taken in are told apart by who
-- entered them.
UPDATE cases SET channel = 'enterprise' WHERE channel = 'console'
	AND created_by IN (SELECT id FROM users WHERE role = 'enterprise');
