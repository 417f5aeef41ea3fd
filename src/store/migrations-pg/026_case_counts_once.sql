-- The dashboard's counting of new cases (migrations 020 and 024), once a
-- statement instead of once a row.
--
-- The writer inserts a group's cases in one statement of many rows
-- (store_cases_insert), and each row's trigger added one to the same
-- counting row (a town's suggestions of a month by the web).  Every such
-- update inside one transaction leaves a version of that row the next
-- must step over: 5,000 cases in one transaction took 0.19 ms each with
-- the row's trigger and 0.11 ms without it.  A trigger on the statement
-- reads the rows it inserted as a table, and adds each count once.  A
-- new case has no timeline yet: it was neither adopted nor implemented
-- (as qy_case_count's fresh).
CREATE FUNCTION qy_dash_cases_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO case_counts AS k (district_id, jurisdiction_id, month, kind, channel, category_id,
		department_id, created, closed, on_time, rated, rating_sum, satisfied, reopened, adopted,
		implemented)
	SELECT district_id, jurisdiction_id, qy_case_month(created_at) AS m, kind, channel,
		category_id, department_id, count(*), count(closed_at),
		count(*) FILTER (WHERE closed_at IS NOT NULL
			AND coalesce(resolved_at, closed_at) <= deadline),
		count(rating), coalesce(sum(rating), 0), count(*) FILTER (WHERE rating >= 4),
		count(*) FILTER (WHERE reopened > 0), 0, 0
	FROM new_cases WHERE merged_into IS NULL
	GROUP BY district_id, jurisdiction_id, m, kind, channel, category_id, department_id
	ON CONFLICT (district_id, jurisdiction_id, month, kind, channel, category_id, department_id)
	DO UPDATE SET created = k.created + excluded.created, closed = k.closed + excluded.closed,
		on_time = k.on_time + excluded.on_time, rated = k.rated + excluded.rated,
		rating_sum = k.rating_sum + excluded.rating_sum,
		satisfied = k.satisfied + excluded.satisfied,
		reopened = k.reopened + excluded.reopened;
	RETURN NULL;
END
$$;

DROP TRIGGER dash_cases_ins ON cases;
CREATE TRIGGER dash_cases_ins AFTER INSERT ON cases REFERENCING NEW TABLE AS new_cases
	FOR EACH STATEMENT EXECUTE FUNCTION qy_dash_cases_new();
