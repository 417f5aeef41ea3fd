-- The enterprises' USCC becomes unique through the named index
-- enterprises_uscc instead of a column constraint, which a bulk import
-- can drop and build again, as migrations/005_enterprise_uscc_index.sql
-- does for SQLite.  PostgreSQL drops a constraint in place: the table is
-- not rebuilt, and its other indexes and triggers stay as they are.
ALTER TABLE enterprises DROP CONSTRAINT enterprises_uscc_key;
CREATE UNIQUE INDEX enterprises_uscc ON enterprises(uscc);

-- SQLite remakes its search index here (detail=none) and may mark it as
-- covering the enterprises only up to an id (meta 'search_indexed_to'),
-- which store_search_index_step extends after a bulk import.  The GIN
-- index of 001 always covers every row (a bulk import drops and builds it
-- whole), so no mark is written and the step has nothing to do.
