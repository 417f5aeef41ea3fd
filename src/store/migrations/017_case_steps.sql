-- Cases by step, as hotline offices run them: the town's working
-- calendar, time limits per category, urgency and step, where each case
-- stands by step (deadlines, parking, callback, check on site), the
-- department's requests of extension, return and parking with their
-- approval, and the outcomes that rank departments, categories and the
-- people who handled the cases.

-- The dates the town's calendar decides (the State Council's holidays
-- and the weekend days worked in their place); every other Monday to
-- Friday is a working day.  A few dozen rows a year, read whole.
CREATE TABLE work_calendar (
	day TEXT PRIMARY KEY CHECK (length(day) = 10),
	kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
	name TEXT NOT NULL DEFAULT ''
);

-- A category's limit for a step at an urgency; a step without a row has
-- no limit of its own (resolution then falls back on the category's
-- deadline_hours, or its place's rule).
CREATE TABLE case_limits (
	category_id INTEGER NOT NULL REFERENCES case_categories(id),
	urgency TEXT NOT NULL CHECK (urgency IN ('ordinary', 'urgent', 'emergency')),
	step TEXT NOT NULL CHECK (step IN ('dispatch', 'first_reply', 'resolution')),
	amount INTEGER NOT NULL CHECK (amount BETWEEN 1 AND 8760),
	unit TEXT NOT NULL CHECK (unit IN ('working_days', 'working_hours', 'hours')),
	PRIMARY KEY (category_id, urgency, step)
);

-- Categories whose cases a grid worker checks on site before closing.
CREATE TABLE case_closing_rules (
	category_id INTEGER PRIMARY KEY REFERENCES case_categories(id),
	site_check INTEGER NOT NULL DEFAULT 0 CHECK (site_check IN (0, 1))
);

-- Where a case stands by step: one row per case taken in with steps.
-- The resolution's deadline and escalation are the case's own columns.
-- Limits are kept as written at intake ("4 working_hours"), so that a
-- category changed later does not rewrite a case's promise.
CREATE TABLE case_steps (
	case_id INTEGER PRIMARY KEY REFERENCES cases(id),
	district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
	urgency TEXT NOT NULL DEFAULT 'ordinary' CHECK (urgency IN ('ordinary', 'urgent', 'emergency')),
	dispatch_limit TEXT NOT NULL DEFAULT '',
	dispatch_due TEXT,
	dispatched_at TEXT,
	dispatch_escalated_at TEXT,
	reply_limit TEXT NOT NULL DEFAULT '',
	reply_due TEXT,
	replied_at TEXT,
	reply_escalated_at TEXT,
	resolution_limit TEXT NOT NULL DEFAULT '',
	parked_at TEXT,
	park_review TEXT, -- the date a parked case is looked at again
	callback_tries INTEGER NOT NULL DEFAULT 0 CHECK (callback_tries >= 0),
	callback_unreached_at TEXT, -- the callback given up after its tries
	site_check INTEGER NOT NULL DEFAULT 0 CHECK (site_check IN (0, 1)),
	site_checked_at TEXT,
	site_checked_by INTEGER REFERENCES users(id),
	site_check_photo INTEGER, -- a photo of case_photos, which erasure deletes
	site_check_passed INTEGER NOT NULL DEFAULT 0 CHECK (site_check_passed IN (0, 1)),
	CHECK ((parked_at IS NULL) = (park_review IS NULL))
);
-- The escalation round reads only the steps due and not yet dealt with,
-- oldest first, through these partial indexes: its work follows what is
-- due, not the number of cases.
CREATE INDEX case_steps_dispatch ON case_steps(dispatch_due)
	WHERE dispatched_at IS NULL AND dispatch_escalated_at IS NULL AND parked_at IS NULL;
CREATE INDEX case_steps_reply ON case_steps(reply_due)
	WHERE replied_at IS NULL AND reply_escalated_at IS NULL AND parked_at IS NULL;
CREATE INDEX case_steps_parked ON case_steps(park_review) WHERE parked_at IS NOT NULL;
-- The resolution step of the same round, over the cases themselves.
CREATE INDEX cases_due ON cases(deadline)
	WHERE escalated_at IS NULL AND state NOT IN ('closed', 'rejected', 'not_adopted');

-- A department's request about a case and the officer's decision.  One
-- request waits at a time (the partial unique index).
CREATE TABLE case_requests (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	district_id INTEGER NOT NULL DEFAULT 1 REFERENCES jurisdictions(id),
	kind TEXT NOT NULL CHECK (kind IN ('extension', 'return', 'park')),
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'refused')),
	reason TEXT NOT NULL,
	deadline TEXT, -- an extension: the deadline asked for
	review_on TEXT, -- parking: the date to look again
	asked_by INTEGER NOT NULL REFERENCES users(id),
	asked_at TEXT NOT NULL,
	decided_by INTEGER REFERENCES users(id),
	decided_at TEXT,
	decision_note TEXT NOT NULL DEFAULT '',
	CHECK ((kind = 'extension') = (deadline IS NOT NULL)),
	CHECK ((kind = 'park') = (review_on IS NOT NULL)),
	CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX case_requests_case ON case_requests(case_id, id);
CREATE UNIQUE INDEX case_requests_pending ON case_requests(case_id) WHERE status = 'pending';
CREATE INDEX case_requests_waiting ON case_requests(district_id, id) WHERE status = 'pending';

-- Outcomes for the rankings.  Each time a department answers a case
-- (resolved, implemented, not adopted) the answer is counted on the
-- town's day it was given, under the case's place, department and
-- category and the user who gave it: finished, and on time when by the
-- deadline the case had then (extensions approved and parking included).
-- The rating the callback brings is counted under the same key, kept
-- per case in case_outcomes.  Kept by triggers, so that every way a case
-- is answered or rated counts, the console's, the demo's and a bulk
-- load's alike; a year of rankings then reads a year of days, not a
-- year of cases.
CREATE TABLE case_outcomes (
	case_id INTEGER PRIMARY KEY REFERENCES cases(id),
	district_id INTEGER NOT NULL,
	jurisdiction_id INTEGER NOT NULL,
	day TEXT NOT NULL,
	department_id INTEGER NOT NULL,
	category_id INTEGER NOT NULL,
	handler_id INTEGER NOT NULL, -- 0: no user (the system)
	on_time INTEGER NOT NULL,
	rating INTEGER
);
CREATE TABLE case_outcome_days (
	day TEXT NOT NULL,
	district_id INTEGER NOT NULL,
	jurisdiction_id INTEGER NOT NULL,
	department_id INTEGER NOT NULL,
	category_id INTEGER NOT NULL,
	handler_id INTEGER NOT NULL,
	finished INTEGER NOT NULL DEFAULT 0,
	on_time INTEGER NOT NULL DEFAULT 0,
	rated INTEGER NOT NULL DEFAULT 0,
	satisfied INTEGER NOT NULL DEFAULT 0, -- rated 4 or 5
	rating_sum INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day, district_id, jurisdiction_id, department_id, category_id, handler_id)
) WITHOUT ROWID;

CREATE TRIGGER case_outcome_answer AFTER INSERT ON case_events
WHEN new.to_state IN ('resolved', 'implemented', 'not_adopted') BEGIN
	INSERT INTO case_outcomes (case_id, district_id, jurisdiction_id, day, department_id,
		category_id, handler_id, on_time, rating)
	SELECT c.id, c.district_id, c.jurisdiction_id,
		coalesce(date(new.at, '+8 hours'), substr(new.at, 1, 10)), c.department_id,
		c.category_id, coalesce(new.user_id, 0), new.at <= c.deadline, NULL
	FROM cases c WHERE c.id = new.case_id AND c.merged_into IS NULL
	ON CONFLICT (case_id) DO UPDATE SET district_id = excluded.district_id,
		jurisdiction_id = excluded.jurisdiction_id, day = excluded.day,
		department_id = excluded.department_id, category_id = excluded.category_id,
		handler_id = excluded.handler_id, on_time = excluded.on_time, rating = NULL;
	INSERT INTO case_outcome_days (day, district_id, jurisdiction_id, department_id, category_id,
		handler_id, finished, on_time)
	SELECT day, district_id, jurisdiction_id, department_id, category_id, handler_id, 1, on_time
	FROM case_outcomes WHERE case_id = new.case_id
	ON CONFLICT (day, district_id, jurisdiction_id, department_id, category_id, handler_id)
	DO UPDATE SET finished = finished + 1, on_time = on_time + excluded.on_time;
END;

CREATE TRIGGER case_outcome_rated AFTER UPDATE OF rating ON cases
WHEN new.rating IS NOT NULL AND old.rating IS NULL BEGIN
	UPDATE case_outcome_days SET rated = rated + 1, satisfied = satisfied + (new.rating >= 4),
		rating_sum = rating_sum + new.rating
	WHERE (day, district_id, jurisdiction_id, department_id, category_id, handler_id) =
		(SELECT day, district_id, jurisdiction_id, department_id, category_id, handler_id
		FROM case_outcomes WHERE case_id = new.id AND rating IS NULL);
	UPDATE case_outcomes SET rating = new.rating WHERE case_id = new.id;
END;

-- The answers and ratings already there: every answer counted, each
-- case's rating under its last answer.
INSERT INTO case_outcomes (case_id, district_id, jurisdiction_id, day, department_id, category_id,
	handler_id, on_time, rating)
SELECT c.id, c.district_id, c.jurisdiction_id,
	coalesce(date(e.at, '+8 hours'), substr(e.at, 1, 10)), c.department_id, c.category_id,
	coalesce(e.user_id, 0), e.at <= c.deadline, c.rating
FROM cases c JOIN case_events e ON e.id = (SELECT max(x.id) FROM case_events x
	WHERE x.case_id = c.id AND x.to_state IN ('resolved', 'implemented', 'not_adopted'))
WHERE c.merged_into IS NULL;
INSERT INTO case_outcome_days (day, district_id, jurisdiction_id, department_id, category_id,
	handler_id, finished, on_time)
SELECT coalesce(date(e.at, '+8 hours'), substr(e.at, 1, 10)) AS d, c.district_id,
	c.jurisdiction_id, c.department_id, c.category_id, coalesce(e.user_id, 0) AS h, count(*),
	sum(e.at <= c.deadline)
FROM case_events e JOIN cases c ON c.id = e.case_id
WHERE e.to_state IN ('resolved', 'implemented', 'not_adopted') AND c.merged_into IS NULL
GROUP BY d, c.district_id, c.jurisdiction_id, c.department_id, c.category_id, h;
UPDATE case_outcome_days AS k SET rated = x.n, satisfied = x.s, rating_sum = x.r
FROM (SELECT day, district_id, jurisdiction_id, department_id, category_id, handler_id,
	count(rating) AS n, sum(coalesce(rating, 0) >= 4) AS s, total(rating) AS r
	FROM case_outcomes GROUP BY day, district_id, jurisdiction_id, department_id, category_id,
	handler_id) AS x
WHERE k.day = x.day AND k.district_id = x.district_id AND k.jurisdiction_id = x.jurisdiction_id
	AND k.department_id = x.department_id AND k.category_id = x.category_id
	AND k.handler_id = x.handler_id;
