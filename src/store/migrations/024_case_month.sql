-- The PostgreSQL twin of this number makes its month of a case cheaper
-- to find; SQLite's (strftime in migration 020's triggers) stays.
SELECT 1;
