-- Indexes for the roll-ups of jurisdictions (GET /jurisdictions/{id}/rollup,
-- sqlite_rollup.c).  A roll-up counts one district's rows at a time,
-- grouped by jurisdiction: each query is "WHERE district_id = ? AND
-- jurisdiction_id IN (the district's, or a town's subtree of them) AND
-- <the period> GROUP BY jurisdiction_id".  Each index below leads with
-- the district and holds every column its query reads, so that a query
-- walks one range of one index per jurisdiction (cases: per jurisdiction
-- the range of the period), in the order of the grouping (no sort), and
-- never visits the table's rows: those are wide (a case's text, its
-- shingles), and reading them for a district's year of cases would cost
-- ten times the index.
--
-- A partial index whose condition the query repeats still holds the
-- condition's column: SQLite 3.40 counts an index as covering only when
-- it holds every column the query names, the condition's included.

-- Cases created in the period: the counts of closed, on-time, rated and
-- suggestions come from the kind, rating and times held here (a case is
-- closed when it has a closing time).  Partial: a case merged into
-- another is the same matter counted once, as the case statistics count
-- it.
CREATE INDEX cases_rollup ON cases(district_id, jurisdiction_id, created_at, kind, rating,
	deadline, resolved_at, closed_at, merged_into) WHERE merged_into IS NULL;

-- Active enterprises by jurisdiction: a count over the range of each.
-- (The indicators, visits and links below name an enterprise, whose
-- jurisdiction is read from its row by id.)
CREATE INDEX enterprises_rollup ON enterprises(district_id, jurisdiction_id, status);

-- Suggestions adopted: the adoption is a transition event; adoptions are
-- few beside events, so a partial index holds only them, by the time
-- they happened (an adoption of a case of the period happens after the
-- period began).
CREATE INDEX case_events_adopted ON case_events(district_id, at, case_id, to_state)
	WHERE to_state = 'adopted';

-- Output: the indicators of the district's enterprises by period.
CREATE INDEX indicators_rollup ON indicators(district_id, period, enterprise_id, output);

-- Visits done in the period.
CREATE INDEX visits_rollup ON visits(district_id, done_on, enterprise_id, status)
	WHERE status = 'done';

-- Localisation: the links of the district's customers, with what the
-- query reads of them.
CREATE INDEX supply_links_rollup ON supply_links(district_id, customer_id, supplier_id, since,
	until, annual_value);
