-- SQLite's functions that the store's SQL uses, for PostgreSQL: the text
-- of a statement is written once for both backends (docs/DESIGN.md, "One
-- SQL text, two backends").  Run by every connection that migrates,
-- before the migrations; each definition replaces the last, so a newer
-- qunyan brings its own.

-- total(x): the sum of the values that are not NULL as a float, 0.0 over
-- none (SQLite's; sum() would give NULL).
CREATE OR REPLACE AGGREGATE total(double precision) (
	SFUNC = float8pl,
	STYPE = double precision,
	INITCOND = '0'
);

-- sum(<comparison>): SQLite's comparisons are integers 0 and 1.
CREATE OR REPLACE FUNCTION qy_sum_bool(acc bigint, v boolean) RETURNS bigint
	LANGUAGE sql IMMUTABLE AS
	$$ SELECT CASE WHEN v IS NULL THEN acc ELSE coalesce(acc, 0) + v::int END $$;
CREATE OR REPLACE AGGREGATE sum(boolean) (
	SFUNC = qy_sum_bool,
	STYPE = bigint
);

-- strftime(format, time, modifier) and date(time, modifier) for the
-- store's uses: times written as ISO 8601 in UTC ('2026-12-04T08:00:00Z'),
-- modifiers that are intervals ('+8 hours'), and the formats %Y %m %d %H
-- %M %S.
CREATE OR REPLACE FUNCTION strftime(fmt text, t text, modifier text) RETURNS text
	LANGUAGE sql IMMUTABLE AS
	$$ SELECT to_char(t::timestamp + modifier::interval,
		replace(replace(replace(replace(replace(replace(fmt, '%Y', 'YYYY'), '%m', 'MM'),
			'%d', 'DD'), '%H', 'HH24'), '%M', 'MI'), '%S', 'SS')) $$;
CREATE OR REPLACE FUNCTION strftime(fmt text, t text) RETURNS text
	LANGUAGE sql IMMUTABLE AS
	$$ SELECT strftime(fmt, t, '0 seconds') $$;
CREATE OR REPLACE FUNCTION date(t text, modifier text) RETURNS text
	LANGUAGE sql IMMUTABLE AS
	$$ SELECT strftime('%Y-%m-%d', t, modifier) $$;

-- json_each(ids) as the store uses it: the ids of a JSON array, as a
-- column named value.
CREATE OR REPLACE FUNCTION qy_json_each(ids text) RETURNS TABLE (value bigint)
	LANGUAGE sql IMMUTABLE AS
	$$ SELECT x::bigint FROM json_array_elements_text(ids::json) AS x $$;

-- A row inserted with a NULL id gets the next one, as SQLite gives an
-- INTEGER PRIMARY KEY (the store binds NULL for "a new row"); an identity
-- column would refuse the NULL.  Attached to every table whose id is an
-- identity column by qy_attach_id_triggers(), run after the migrations.
CREATE OR REPLACE FUNCTION qy_fill_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.id IS NULL THEN
		NEW.id := nextval(TG_ARGV[0]::regclass);
	END IF;
	RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION qy_attach_id_triggers() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT c.relname AS name, pg_get_serial_sequence(c.relname, 'id') AS seq
		FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
		WHERE a.attname = 'id' AND a.attidentity <> '' AND c.relkind = 'r'
		AND pg_table_is_visible(c.oid)
	LOOP
		EXECUTE format('CREATE OR REPLACE TRIGGER %I BEFORE INSERT ON %I FOR EACH ROW '
			'WHEN (NEW.id IS NULL) EXECUTE FUNCTION qy_fill_id(%L)',
			t.name || '_fill_id', t.name, t.seq);
	END LOOP;
END $$;

-- After rows were written with ids of their own (an import, a copy by
-- qunyan migrate): every identity column goes on after its largest id, as
-- SQLite's would.
CREATE OR REPLACE FUNCTION qy_sync_ids() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	t record;
	m bigint;
BEGIN
	FOR t IN SELECT c.relname AS name, pg_get_serial_sequence(c.relname, 'id') AS seq
		FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
		WHERE a.attname = 'id' AND a.attidentity <> '' AND c.relkind = 'r'
		AND pg_table_is_visible(c.oid)
	LOOP
		EXECUTE format('SELECT max(id) FROM %I', t.name) INTO m;
		IF m IS NOT NULL THEN
			PERFORM setval(t.seq, m);
		END IF;
	END LOOP;
END $$;

-- Every change of a case that the duplicate index keeps (a new case, its
-- state, its merge, its text's shingles or its place) is told to every
-- server, as its transaction commits, on the channel qunyan_case with the
-- case's id; each server reads the case again (src/service/case_follow.c).
CREATE OR REPLACE FUNCTION qy_case_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('qunyan_case', NEW.id::text);
	RETURN NULL;
END $$;

-- Every change of what makes an API key's holder (the key, its user, the
-- jurisdiction tree the user's scope is numbered in) is told on the
-- channel qunyan_principals, once a transaction however many rows it
-- changed; each server forgets the holders it remembers
-- (src/service/principal_cache.h).  A new key or user needs no notice:
-- nothing remembered names it.
CREATE OR REPLACE FUNCTION qy_principals_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('qunyan_principals', '');
	RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION qy_attach_notify() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF to_regclass('cases') IS NOT NULL THEN
		CREATE OR REPLACE TRIGGER cases_notify AFTER INSERT OR UPDATE OF state, merged_into,
			shingles, lon, lat ON cases FOR EACH ROW EXECUTE FUNCTION qy_case_notify();
	END IF;
	IF to_regclass('api_keys') IS NOT NULL THEN
		CREATE OR REPLACE TRIGGER api_keys_notify AFTER UPDATE OR DELETE ON api_keys
			FOR EACH STATEMENT EXECUTE FUNCTION qy_principals_notify();
	END IF;
	IF to_regclass('users') IS NOT NULL THEN
		CREATE OR REPLACE TRIGGER users_notify AFTER UPDATE OR DELETE ON users
			FOR EACH STATEMENT EXECUTE FUNCTION qy_principals_notify();
	END IF;
	IF to_regclass('jurisdictions') IS NOT NULL THEN
		CREATE OR REPLACE TRIGGER jurisdictions_notify AFTER INSERT OR UPDATE OR DELETE
			ON jurisdictions FOR EACH STATEMENT EXECUTE FUNCTION qy_principals_notify();
	END IF;
END $$;
