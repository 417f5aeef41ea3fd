-- The dashboard's counters and the reference region's employment, as
-- SQLite's 020 (see there).  The triggers are row-level PL/pgSQL with
-- the names SQLite's have; the month of a case is its created_at in the
-- town's time (UTC+8), or the text's first seven characters when it is
-- not a time.

CREATE TABLE case_counts (
	district_id bigint NOT NULL,
	jurisdiction_id bigint NOT NULL,
	month text NOT NULL,
	kind text NOT NULL,
	channel text NOT NULL,
	category_id bigint NOT NULL,
	department_id bigint NOT NULL,
	created bigint NOT NULL DEFAULT 0,
	closed bigint NOT NULL DEFAULT 0,
	on_time bigint NOT NULL DEFAULT 0,
	rated bigint NOT NULL DEFAULT 0,
	rating_sum bigint NOT NULL DEFAULT 0,
	satisfied bigint NOT NULL DEFAULT 0,
	reopened bigint NOT NULL DEFAULT 0,
	adopted bigint NOT NULL DEFAULT 0,
	implemented bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (district_id, jurisdiction_id, month, kind, channel, category_id, department_id)
);

CREATE TABLE enterprise_counts (
	district_id bigint NOT NULL,
	jurisdiction_id bigint NOT NULL,
	cluster_id bigint NOT NULL,
	grid_id bigint NOT NULL,
	size text NOT NULL,
	stage text NOT NULL,
	status text NOT NULL,
	enterprises bigint NOT NULL DEFAULT 0,
	employees bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (district_id, jurisdiction_id, cluster_id, grid_id, size, stage, status)
);

CREATE TABLE reference_employment (
	region text NOT NULL,
	industry text NOT NULL CHECK (length(industry) = 4),
	employees bigint NOT NULL CHECK (employees >= 0),
	imported_at text NOT NULL,
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

CREATE FUNCTION qy_case_month(at text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN at ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}'
		THEN to_char((substr(at, 1, 19) || 'Z')::timestamptz AT TIME ZONE 'UTC'
			+ interval '8 hours', 'YYYY-MM')
		ELSE substr(at, 1, 7) END
$$;

-- Adds sign times the case's contribution to its bucket.
CREATE FUNCTION qy_case_count(c cases, sign int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF c.merged_into IS NOT NULL THEN
		RETURN;
	END IF;
	INSERT INTO case_counts AS k (district_id, jurisdiction_id, month, kind, channel, category_id,
		department_id, created, closed, on_time, rated, rating_sum, satisfied, reopened, adopted,
		implemented)
	VALUES (c.district_id, c.jurisdiction_id, qy_case_month(c.created_at), c.kind, c.channel,
		c.category_id, c.department_id, sign,
		sign * (c.closed_at IS NOT NULL)::int,
		sign * (c.closed_at IS NOT NULL
			AND coalesce(c.resolved_at, c.closed_at) <= c.deadline)::int,
		sign * (c.rating IS NOT NULL)::int, sign * coalesce(c.rating, 0),
		sign * (coalesce(c.rating, 0) >= 4)::int, sign * (c.reopened > 0)::int,
		sign * (EXISTS (SELECT 1 FROM case_events WHERE case_id = c.id
			AND to_state = 'adopted'))::int,
		sign * (EXISTS (SELECT 1 FROM case_events WHERE case_id = c.id
			AND to_state = 'implemented'))::int)
	ON CONFLICT (district_id, jurisdiction_id, month, kind, channel, category_id, department_id)
	DO UPDATE SET created = k.created + excluded.created, closed = k.closed + excluded.closed,
		on_time = k.on_time + excluded.on_time, rated = k.rated + excluded.rated,
		rating_sum = k.rating_sum + excluded.rating_sum,
		satisfied = k.satisfied + excluded.satisfied,
		reopened = k.reopened + excluded.reopened, adopted = k.adopted + excluded.adopted,
		implemented = k.implemented + excluded.implemented;
END
$$;

CREATE FUNCTION qy_dash_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM qy_case_count(OLD, -1);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		PERFORM qy_case_count(NEW, 1);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER dash_cases_ins AFTER INSERT ON cases
	FOR EACH ROW EXECUTE FUNCTION qy_dash_cases();
CREATE TRIGGER dash_cases_upd AFTER UPDATE ON cases FOR EACH ROW
	WHEN (OLD.merged_into IS DISTINCT FROM NEW.merged_into
		OR OLD.district_id IS DISTINCT FROM NEW.district_id
		OR OLD.jurisdiction_id IS DISTINCT FROM NEW.jurisdiction_id
		OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.kind IS DISTINCT FROM NEW.kind
		OR OLD.channel IS DISTINCT FROM NEW.channel
		OR OLD.category_id IS DISTINCT FROM NEW.category_id
		OR OLD.department_id IS DISTINCT FROM NEW.department_id
		OR OLD.closed_at IS DISTINCT FROM NEW.closed_at
		OR OLD.resolved_at IS DISTINCT FROM NEW.resolved_at
		OR OLD.deadline IS DISTINCT FROM NEW.deadline OR OLD.rating IS DISTINCT FROM NEW.rating
		OR OLD.reopened IS DISTINCT FROM NEW.reopened)
	EXECUTE FUNCTION qy_dash_cases();
CREATE TRIGGER dash_cases_del AFTER DELETE ON cases
	FOR EACH ROW EXECUTE FUNCTION qy_dash_cases();

CREATE FUNCTION qy_dash_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	e case_events;
	sign int;
BEGIN
	IF TG_OP = 'INSERT' THEN
		e := NEW;
		sign := 1;
	ELSE
		e := OLD;
		sign := -1;
	END IF;
	IF e.to_state NOT IN ('adopted', 'implemented') OR EXISTS (SELECT 1 FROM case_events
		WHERE case_id = e.case_id AND to_state = e.to_state AND id <> e.id) THEN
		RETURN NULL;
	END IF;
	UPDATE case_counts SET adopted = adopted + sign * (e.to_state IS NOT DISTINCT FROM 'adopted')::int,
		implemented = implemented + sign * (e.to_state IS NOT DISTINCT FROM 'implemented')::int
	WHERE (district_id, jurisdiction_id, month, kind, channel, category_id, department_id) =
		(SELECT district_id, jurisdiction_id, qy_case_month(created_at), kind, channel,
			category_id, department_id
		FROM cases WHERE id = e.case_id AND merged_into IS NULL);
	RETURN NULL;
END
$$;

CREATE TRIGGER dash_events_ins AFTER INSERT ON case_events
	FOR EACH ROW EXECUTE FUNCTION qy_dash_events();
CREATE TRIGGER dash_events_del AFTER DELETE ON case_events
	FOR EACH ROW EXECUTE FUNCTION qy_dash_events();

CREATE FUNCTION qy_ent_count(e enterprises, sign int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF e.in_park <> 1 THEN
		RETURN;
	END IF;
	INSERT INTO enterprise_counts AS k (district_id, jurisdiction_id, cluster_id, grid_id, size,
		stage, status, enterprises, employees)
	VALUES (e.district_id, e.jurisdiction_id, coalesce(e.cluster_id, 0), coalesce(e.grid_id, 0),
		coalesce(e.size, ''), coalesce(e.stage, ''), e.status, sign,
		sign * coalesce(e.employees, 0))
	ON CONFLICT (district_id, jurisdiction_id, cluster_id, grid_id, size, stage, status)
	DO UPDATE SET enterprises = k.enterprises + excluded.enterprises,
		employees = k.employees + excluded.employees;
END
$$;

CREATE FUNCTION qy_dash_ent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM qy_ent_count(OLD, -1);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		PERFORM qy_ent_count(NEW, 1);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER dash_ent_ins AFTER INSERT ON enterprises
	FOR EACH ROW EXECUTE FUNCTION qy_dash_ent();
CREATE TRIGGER dash_ent_upd AFTER UPDATE ON enterprises FOR EACH ROW
	WHEN (OLD.in_park IS DISTINCT FROM NEW.in_park
		OR OLD.district_id IS DISTINCT FROM NEW.district_id
		OR OLD.jurisdiction_id IS DISTINCT FROM NEW.jurisdiction_id
		OR OLD.cluster_id IS DISTINCT FROM NEW.cluster_id
		OR OLD.grid_id IS DISTINCT FROM NEW.grid_id OR OLD.size IS DISTINCT FROM NEW.size
		OR OLD.stage IS DISTINCT FROM NEW.stage OR OLD.status IS DISTINCT FROM NEW.status
		OR OLD.employees IS DISTINCT FROM NEW.employees)
	EXECUTE FUNCTION qy_dash_ent();
CREATE TRIGGER dash_ent_del AFTER DELETE ON enterprises
	FOR EACH ROW EXECUTE FUNCTION qy_dash_ent();

INSERT INTO case_counts (district_id, jurisdiction_id, month, kind, channel, category_id,
	department_id, created, closed, on_time, rated, rating_sum, satisfied, reopened, adopted,
	implemented)
SELECT district_id, jurisdiction_id, qy_case_month(created_at) AS m, kind, channel,
	category_id, department_id, count(*), count(closed_at),
	count(*) FILTER (WHERE closed_at IS NOT NULL
		AND coalesce(resolved_at, closed_at) <= deadline),
	count(rating), coalesce(sum(rating), 0), count(*) FILTER (WHERE rating >= 4),
	count(*) FILTER (WHERE reopened > 0),
	count(*) FILTER (WHERE EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id
		AND e.to_state = 'adopted')),
	count(*) FILTER (WHERE EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id
		AND e.to_state = 'implemented'))
FROM cases c WHERE merged_into IS NULL
GROUP BY district_id, jurisdiction_id, m, kind, channel, category_id, department_id;

INSERT INTO enterprise_counts (district_id, jurisdiction_id, cluster_id, grid_id, size, stage,
	status, enterprises, employees)
SELECT district_id, jurisdiction_id, coalesce(cluster_id, 0) AS c, coalesce(grid_id, 0) AS g,
	coalesce(size, '') AS z, coalesce(stage, '') AS s, status, count(*),
	coalesce(sum(employees), 0)
FROM enterprises WHERE in_park = 1
GROUP BY district_id, jurisdiction_id, c, g, z, s, status;
