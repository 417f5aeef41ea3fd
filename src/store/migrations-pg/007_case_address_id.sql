-- Open311's address_id, as migrations/007_case_address_id.sql.
ALTER TABLE cases ADD COLUMN address_id text NOT NULL DEFAULT '';
