-- The dashboard's counters, and the reference region's employment that
-- the clusters' location quotients compare against.
--
-- A city's dashboard cannot count ten million cases on every request, so
-- the counts it reads are kept as they change: cases by district,
-- jurisdiction, month of creation (the town's time, UTC+8), kind,
-- channel, category and department; enterprises of the park by
-- district, jurisdiction, cluster, grid, size, stage and status.  The
-- triggers below move a row's contribution between buckets on every
-- insert, update and delete, so a figure read from here equals a count
-- of the rows (store_dash_recount checks exactly that).  A bulk load
-- drops the triggers and builds the counters again by one GROUP BY at
-- its end (sqlite_bulk.c, store_dash_rebuild).
--
-- A case counts as its created row is: merged duplicates not at all (the
-- same matter counted once, as the roll-ups count it), closed when it has
-- a closing time, on time when resolved (or closed, never resolved) by
-- its deadline, rated, satisfied (a rating of 4 or 5), reopened at least
-- once, and adopted or implemented when its timeline holds that step.

CREATE TABLE case_counts (
	district_id INTEGER NOT NULL,
	jurisdiction_id INTEGER NOT NULL,
	month TEXT NOT NULL, -- YYYY-MM of created_at in the town's time
	kind TEXT NOT NULL,
	channel TEXT NOT NULL,
	category_id INTEGER NOT NULL,
	department_id INTEGER NOT NULL,
	created INTEGER NOT NULL DEFAULT 0,
	closed INTEGER NOT NULL DEFAULT 0,
	on_time INTEGER NOT NULL DEFAULT 0,
	rated INTEGER NOT NULL DEFAULT 0,
	rating_sum INTEGER NOT NULL DEFAULT 0,
	satisfied INTEGER NOT NULL DEFAULT 0,
	reopened INTEGER NOT NULL DEFAULT 0,
	adopted INTEGER NOT NULL DEFAULT 0,
	implemented INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (district_id, jurisdiction_id, month, kind, channel, category_id, department_id)
) WITHOUT ROWID;

CREATE TABLE enterprise_counts (
	district_id INTEGER NOT NULL,
	jurisdiction_id INTEGER NOT NULL,
	cluster_id INTEGER NOT NULL, -- 0: none
	grid_id INTEGER NOT NULL,    -- 0: not placed
	size TEXT NOT NULL,          -- '': not known
	stage TEXT NOT NULL,         -- '': not known
	status TEXT NOT NULL,
	enterprises INTEGER NOT NULL DEFAULT 0,
	employees INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (district_id, jurisdiction_id, cluster_id, grid_id, size, stage, status)
) WITHOUT ROWID;

-- Employment of the reference region by GB/T 4754-2017 class, imported
-- whole (qunyan import reference-employment, POST
-- /api/v1/reference-employment): an import replaces every row.  Its sum
-- is the region's employment.
CREATE TABLE reference_employment (
	region TEXT NOT NULL,
	industry TEXT NOT NULL CHECK (length(industry) = 4),
	employees INTEGER NOT NULL CHECK (employees >= 0),
	imported_at TEXT NOT NULL,
	PRIMARY KEY (region, industry)
);

-- The figures read beside the counters, one district at a time, from
-- the rows of the district: organisations' coverage, policy matches,
-- applications and grants (each by the district first, as the roll-ups'
-- indexes of migration 010 are).
CREATE INDEX organisation_coverage_district ON organisation_coverage(district_id, enterprise_id);
CREATE INDEX policy_matches_district ON policy_matches(district_id, outcome, enterprise_id);
CREATE INDEX policy_applications_district ON policy_applications(district_id, created_at,
	enterprise_id);
CREATE INDEX policy_batch_lines_district ON policy_batch_lines(district_id, batch_id);

-- ---- cases ----

CREATE TRIGGER dash_cases_ins AFTER INSERT ON cases WHEN new.merged_into IS NULL BEGIN
	INSERT INTO case_counts (district_id, jurisdiction_id, month, kind, channel, category_id,
		department_id, created, closed, on_time, rated, rating_sum, satisfied, reopened, adopted,
		implemented)
	VALUES (new.district_id, new.jurisdiction_id,
		coalesce(strftime('%Y-%m', new.created_at, '+8 hours'), substr(new.created_at, 1, 7)),
		new.kind, new.channel, new.category_id, new.department_id, 1,
		new.closed_at IS NOT NULL,
		new.closed_at IS NOT NULL AND coalesce(new.resolved_at, new.closed_at) <= new.deadline,
		new.rating IS NOT NULL, coalesce(new.rating, 0), coalesce(new.rating, 0) >= 4,
		new.reopened > 0,
		EXISTS (SELECT 1 FROM case_events WHERE case_id = new.id AND to_state = 'adopted'),
		EXISTS (SELECT 1 FROM case_events WHERE case_id = new.id AND to_state = 'implemented'))
	ON CONFLICT (district_id, jurisdiction_id, month, kind, channel, category_id, department_id)
	DO UPDATE SET created = created + excluded.created, closed = closed + excluded.closed,
		on_time = on_time + excluded.on_time, rated = rated + excluded.rated,
		rating_sum = rating_sum + excluded.rating_sum, satisfied = satisfied + excluded.satisfied,
		reopened = reopened + excluded.reopened, adopted = adopted + excluded.adopted,
		implemented = implemented + excluded.implemented;
END;

-- Only a change of what the counters read moves anything: the old row's
-- contribution is taken away and the new row's added (a transfer moves a
-- case between jurisdictions, a merge takes it out, a closing adds it to
-- the closed).
CREATE TRIGGER dash_cases_upd AFTER UPDATE ON cases
WHEN old.merged_into IS NOT new.merged_into OR old.district_id IS NOT new.district_id
	OR old.jurisdiction_id IS NOT new.jurisdiction_id OR old.created_at IS NOT new.created_at
	OR old.kind IS NOT new.kind OR old.channel IS NOT new.channel
	OR old.category_id IS NOT new.category_id OR old.department_id IS NOT new.department_id
	OR old.closed_at IS NOT new.closed_at OR old.resolved_at IS NOT new.resolved_at
	OR old.deadline IS NOT new.deadline OR old.rating IS NOT new.rating
	OR old.reopened IS NOT new.reopened BEGIN
	INSERT INTO case_counts (district_id, jurisdiction_id, month, kind, channel, category_id,
		department_id, created, closed, on_time, rated, rating_sum, satisfied, reopened, adopted,
		implemented)
	SELECT old.district_id, old.jurisdiction_id,
		coalesce(strftime('%Y-%m', old.created_at, '+8 hours'), substr(old.created_at, 1, 7)),
		old.kind, old.channel, old.category_id, old.department_id, -1,
		-(old.closed_at IS NOT NULL),
		-(old.closed_at IS NOT NULL AND coalesce(old.resolved_at, old.closed_at) <= old.deadline),
		-(old.rating IS NOT NULL), -coalesce(old.rating, 0), -(coalesce(old.rating, 0) >= 4),
		-(old.reopened > 0),
		-EXISTS (SELECT 1 FROM case_events WHERE case_id = old.id AND to_state = 'adopted'),
		-EXISTS (SELECT 1 FROM case_events WHERE case_id = old.id AND to_state = 'implemented')
	WHERE old.merged_into IS NULL
	ON CONFLICT (district_id, jurisdiction_id, month, kind, channel, category_id, department_id)
	DO UPDATE SET created = created + excluded.created, closed = closed + excluded.closed,
		on_time = on_time + excluded.on_time, rated = rated + excluded.rated,
		rating_sum = rating_sum + excluded.rating_sum, satisfied = satisfied + excluded.satisfied,
		reopened = reopened + excluded.reopened, adopted = adopted + excluded.adopted,
		implemented = implemented + excluded.implemented;
	INSERT INTO case_counts (district_id, jurisdiction_id, month, kind, channel, category_id,
		department_id, created, closed, on_time, rated, rating_sum, satisfied, reopened, adopted,
		implemented)
	SELECT new.district_id, new.jurisdiction_id,
		coalesce(strftime('%Y-%m', new.created_at, '+8 hours'), substr(new.created_at, 1, 7)),
		new.kind, new.channel, new.category_id, new.department_id, 1,
		new.closed_at IS NOT NULL,
		new.closed_at IS NOT NULL AND coalesce(new.resolved_at, new.closed_at) <= new.deadline,
		new.rating IS NOT NULL, coalesce(new.rating, 0), coalesce(new.rating, 0) >= 4,
		new.reopened > 0,
		EXISTS (SELECT 1 FROM case_events WHERE case_id = new.id AND to_state = 'adopted'),
		EXISTS (SELECT 1 FROM case_events WHERE case_id = new.id AND to_state = 'implemented')
	WHERE new.merged_into IS NULL
	ON CONFLICT (district_id, jurisdiction_id, month, kind, channel, category_id, department_id)
	DO UPDATE SET created = created + excluded.created, closed = closed + excluded.closed,
		on_time = on_time + excluded.on_time, rated = rated + excluded.rated,
		rating_sum = rating_sum + excluded.rating_sum, satisfied = satisfied + excluded.satisfied,
		reopened = reopened + excluded.reopened, adopted = adopted + excluded.adopted,
		implemented = implemented + excluded.implemented;
END;

CREATE TRIGGER dash_cases_del AFTER DELETE ON cases WHEN old.merged_into IS NULL BEGIN
	UPDATE case_counts SET created = created - 1, closed = closed - (old.closed_at IS NOT NULL),
		on_time = on_time - (old.closed_at IS NOT NULL
			AND coalesce(old.resolved_at, old.closed_at) <= old.deadline),
		rated = rated - (old.rating IS NOT NULL), rating_sum = rating_sum - coalesce(old.rating, 0),
		satisfied = satisfied - (coalesce(old.rating, 0) >= 4),
		reopened = reopened - (old.reopened > 0),
		adopted = adopted - EXISTS (SELECT 1 FROM case_events WHERE case_id = old.id
			AND to_state = 'adopted'),
		implemented = implemented - EXISTS (SELECT 1 FROM case_events WHERE case_id = old.id
			AND to_state = 'implemented')
	WHERE district_id = old.district_id AND jurisdiction_id = old.jurisdiction_id
		AND month = coalesce(strftime('%Y-%m', old.created_at, '+8 hours'),
			substr(old.created_at, 1, 7))
		AND kind = old.kind AND channel = old.channel AND category_id = old.category_id
		AND department_id = old.department_id;
END;

-- The first step of a case to adopted (or implemented) counts it; a
-- second time through the same step does not.
CREATE TRIGGER dash_events_ins AFTER INSERT ON case_events
WHEN new.to_state IN ('adopted', 'implemented') AND NOT EXISTS (SELECT 1 FROM case_events
	WHERE case_id = new.case_id AND to_state = new.to_state AND id <> new.id) BEGIN
	UPDATE case_counts SET adopted = adopted + (new.to_state = 'adopted'),
		implemented = implemented + (new.to_state = 'implemented')
	WHERE (district_id, jurisdiction_id, month, kind, channel, category_id, department_id) =
		(SELECT district_id, jurisdiction_id,
			coalesce(strftime('%Y-%m', created_at, '+8 hours'), substr(created_at, 1, 7)),
			kind, channel, category_id, department_id
		FROM cases WHERE id = new.case_id AND merged_into IS NULL);
END;

CREATE TRIGGER dash_events_del AFTER DELETE ON case_events
WHEN old.to_state IN ('adopted', 'implemented') AND NOT EXISTS (SELECT 1 FROM case_events
	WHERE case_id = old.case_id AND to_state = old.to_state) BEGIN
	UPDATE case_counts SET adopted = adopted - (old.to_state = 'adopted'),
		implemented = implemented - (old.to_state = 'implemented')
	WHERE (district_id, jurisdiction_id, month, kind, channel, category_id, department_id) =
		(SELECT district_id, jurisdiction_id,
			coalesce(strftime('%Y-%m', created_at, '+8 hours'), substr(created_at, 1, 7)),
			kind, channel, category_id, department_id
		FROM cases WHERE id = old.case_id AND merged_into IS NULL);
END;

-- ---- enterprises (of the park: in_park = 1) ----

CREATE TRIGGER dash_ent_ins AFTER INSERT ON enterprises WHEN new.in_park = 1 BEGIN
	INSERT INTO enterprise_counts (district_id, jurisdiction_id, cluster_id, grid_id, size, stage,
		status, enterprises, employees)
	VALUES (new.district_id, new.jurisdiction_id, coalesce(new.cluster_id, 0),
		coalesce(new.grid_id, 0), coalesce(new.size, ''), coalesce(new.stage, ''), new.status, 1,
		coalesce(new.employees, 0))
	ON CONFLICT (district_id, jurisdiction_id, cluster_id, grid_id, size, stage, status)
	DO UPDATE SET enterprises = enterprises + excluded.enterprises,
		employees = employees + excluded.employees;
END;

CREATE TRIGGER dash_ent_upd AFTER UPDATE ON enterprises
WHEN old.in_park IS NOT new.in_park OR old.district_id IS NOT new.district_id
	OR old.jurisdiction_id IS NOT new.jurisdiction_id OR old.cluster_id IS NOT new.cluster_id
	OR old.grid_id IS NOT new.grid_id OR old.size IS NOT new.size OR old.stage IS NOT new.stage
	OR old.status IS NOT new.status OR old.employees IS NOT new.employees BEGIN
	UPDATE enterprise_counts SET enterprises = enterprises - 1,
		employees = employees - coalesce(old.employees, 0)
	WHERE old.in_park = 1 AND district_id = old.district_id
		AND jurisdiction_id = old.jurisdiction_id AND cluster_id = coalesce(old.cluster_id, 0)
		AND grid_id = coalesce(old.grid_id, 0) AND size = coalesce(old.size, '')
		AND stage = coalesce(old.stage, '') AND status = old.status;
	INSERT INTO enterprise_counts (district_id, jurisdiction_id, cluster_id, grid_id, size, stage,
		status, enterprises, employees)
	SELECT new.district_id, new.jurisdiction_id, coalesce(new.cluster_id, 0),
		coalesce(new.grid_id, 0), coalesce(new.size, ''), coalesce(new.stage, ''), new.status, 1,
		coalesce(new.employees, 0)
	WHERE new.in_park = 1
	ON CONFLICT (district_id, jurisdiction_id, cluster_id, grid_id, size, stage, status)
	DO UPDATE SET enterprises = enterprises + excluded.enterprises,
		employees = employees + excluded.employees;
END;

CREATE TRIGGER dash_ent_del AFTER DELETE ON enterprises WHEN old.in_park = 1 BEGIN
	UPDATE enterprise_counts SET enterprises = enterprises - 1,
		employees = employees - coalesce(old.employees, 0)
	WHERE district_id = old.district_id AND jurisdiction_id = old.jurisdiction_id
		AND cluster_id = coalesce(old.cluster_id, 0) AND grid_id = coalesce(old.grid_id, 0)
		AND size = coalesce(old.size, '') AND stage = coalesce(old.stage, '')
		AND status = old.status;
END;

-- The rows already there.
INSERT INTO case_counts (district_id, jurisdiction_id, month, kind, channel, category_id,
	department_id, created, closed, on_time, rated, rating_sum, satisfied, reopened, adopted,
	implemented)
SELECT district_id, jurisdiction_id,
	coalesce(strftime('%Y-%m', created_at, '+8 hours'), substr(created_at, 1, 7)) AS m, kind,
	channel, category_id, department_id, count(*), count(closed_at),
	sum(closed_at IS NOT NULL AND coalesce(resolved_at, closed_at) <= deadline), count(rating),
	total(rating), sum(coalesce(rating, 0) >= 4), sum(reopened > 0),
	sum(EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.to_state = 'adopted')),
	sum(EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id
		AND e.to_state = 'implemented'))
FROM cases c WHERE merged_into IS NULL
GROUP BY district_id, jurisdiction_id, m, kind, channel, category_id, department_id;

INSERT INTO enterprise_counts (district_id, jurisdiction_id, cluster_id, grid_id, size, stage,
	status, enterprises, employees)
SELECT district_id, jurisdiction_id, coalesce(cluster_id, 0) AS c, coalesce(grid_id, 0) AS g,
	coalesce(size, '') AS z, coalesce(stage, '') AS s, status, count(*), total(employees)
FROM enterprises WHERE in_park = 1
GROUP BY district_id, jurisdiction_id, c, g, z, s, status;
