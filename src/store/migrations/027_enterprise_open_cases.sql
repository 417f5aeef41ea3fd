-- cases_enterprise_open (migration 015) holds the open cases of
-- enterprises only.  It held every open case, a resident's suggestion as
-- much as an enterprise's problem, though only an enterprise's are read
-- from it (store_event_open_cases asks for one enterprise's): each new
-- case from the public paid for a wide entry, its shingles among the
-- columns, that no query would read.
DROP INDEX cases_enterprise_open;
CREATE INDEX cases_enterprise_open ON cases(enterprise_id, state, merged_into, erased_at,
	department_id, deadline, created_at, created_by, jurisdiction_id, lon, lat, shingles)
	WHERE enterprise_id IS NOT NULL
	AND state NOT IN ('resolved', 'closed', 'rejected', 'not_adopted', 'implemented')
	AND merged_into IS NULL AND erased_at IS NULL;
