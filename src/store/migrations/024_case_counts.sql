-- The PostgreSQL twin of this number makes its counting of a case for
-- the dashboard cheaper; SQLite's triggers (migration 020) stay.
SELECT 1;
