-- The roll-ups' indexes, as migrations/010_rollup_indexes.sql for SQLite:
-- the same keys and conditions, so that a roll-up reads one range of one
-- index per jurisdiction.  PostgreSQL answers from an index alone (an
-- index-only scan) once the visibility map says the pages are all
-- visible, which autovacuum keeps; the columns are the same on both.
CREATE INDEX cases_rollup ON cases(district_id, jurisdiction_id, created_at, kind, rating,
	deadline, resolved_at, closed_at, merged_into) WHERE merged_into IS NULL;
CREATE INDEX enterprises_rollup ON enterprises(district_id, jurisdiction_id, status);
CREATE INDEX case_events_adopted ON case_events(district_id, at, case_id, to_state)
	WHERE to_state = 'adopted';
CREATE INDEX indicators_rollup ON indicators(district_id, period, enterprise_id, output);
CREATE INDEX visits_rollup ON visits(district_id, done_on, enterprise_id, status)
	WHERE status = 'done';
CREATE INDEX supply_links_rollup ON supply_links(district_id, customer_id, supplier_id, since,
	until, annual_value);
