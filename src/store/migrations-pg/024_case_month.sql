-- A case's month in the town's time, as migration 020 has it, found
-- without a parse and a plan per case.  Every case written counts
-- through this function (the dashboard's counters, from a trigger), and
-- as a function in SQL whose body PostgreSQL could not inline (the cast
-- of text to a time depends on settings), each call parsed and planned
-- its body anew: a fifth of an intake's insert.  In PL/pgSQL its plans
-- are kept for the session; and the time is read only where the answer
-- depends on it: before the 28th of a month, or before 16:00 UTC, eight
-- hours later is still the same month.
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
