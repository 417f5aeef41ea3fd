-- The dashboard's counting of a case (migration 020), cheaper: every
-- case written counts through it, from a trigger.
--
-- A case's month in the town's time, as migration 020 has it, found
-- without a parse and a plan per case.  As a function in SQL whose body
-- PostgreSQL could not inline (the cast of text to a time depends on
-- settings), each call parsed and planned its body anew: a fifth of an
-- intake's insert.  In PL/pgSQL its plans are kept for the session; and
-- the time is read only where the answer depends on it: before the 28th
-- of a month, or before 16:00 UTC, eight hours later is still the same
-- month.
CREATE OR REPLACE FUNCTION qy_case_month(at text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF substr(at, 9, 2) COLLATE "C" < '28' OR substr(at, 12, 2) COLLATE "C" < '16' THEN
		RETURN substr(at, 1, 7);
	END IF;
	IF at ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}' THEN
		RETURN to_char((substr(at, 1, 19) || 'Z')::timestamptz AT TIME ZONE 'UTC'
			+ interval '8 hours', 'YYYY-MM');
	END IF;
	RETURN substr(at, 1, 7);
END
$$;

-- A case just inserted has no timeline yet (its events name it, so they
-- come after it): whether it was ever adopted or implemented is not
-- looked up in case_events for it, two index reads fewer per intake.
DROP FUNCTION qy_case_count(cases, int);
CREATE FUNCTION qy_case_count(c cases, sign int, fresh boolean DEFAULT false) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	adopted int := 0;
	implemented int := 0;
BEGIN
	IF c.merged_into IS NOT NULL THEN
		RETURN;
	END IF;
	IF NOT fresh THEN
		adopted := (EXISTS (SELECT 1 FROM case_events WHERE case_id = c.id
			AND to_state = 'adopted'))::int;
		implemented := (EXISTS (SELECT 1 FROM case_events WHERE case_id = c.id
			AND to_state = 'implemented'))::int;
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
		sign * adopted, sign * implemented)
	ON CONFLICT (district_id, jurisdiction_id, month, kind, channel, category_id, department_id)
	DO UPDATE SET created = k.created + excluded.created, closed = k.closed + excluded.closed,
		on_time = k.on_time + excluded.on_time, rated = k.rated + excluded.rated,
		rating_sum = k.rating_sum + excluded.rating_sum,
		satisfied = k.satisfied + excluded.satisfied,
		reopened = k.reopened + excluded.reopened, adopted = k.adopted + excluded.adopted,
		implemented = k.implemented + excluded.implemented;
END
$$;

CREATE OR REPLACE FUNCTION qy_dash_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM qy_case_count(OLD, -1);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		PERFORM qy_case_count(NEW, 1, TG_OP = 'INSERT');
	END IF;
	RETURN NULL;
END
$$;

-- The triggers of a timeline entry that count only answers (the
-- rankings' outcomes) and adoptions (the dashboard) are not called for
-- the other entries, an intake's among them, as SQLite's are not (their
-- functions look at the state again, as before).
DROP TRIGGER case_outcome_answer ON case_events;
CREATE TRIGGER case_outcome_answer AFTER INSERT ON case_events FOR EACH ROW
	WHEN (NEW.to_state IN ('resolved', 'implemented', 'not_adopted'))
	EXECUTE FUNCTION qy_case_outcome_answer();
DROP TRIGGER dash_events_ins ON case_events;
CREATE TRIGGER dash_events_ins AFTER INSERT ON case_events FOR EACH ROW
	WHEN (NEW.to_state IN ('adopted', 'implemented'))
	EXECUTE FUNCTION qy_dash_events();
