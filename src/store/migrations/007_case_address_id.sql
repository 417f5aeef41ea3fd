-- Open311's address_id: the id of the place in the addressing system of
-- the client that sent the request, kept as given and apart from the
-- address a person reads.
ALTER TABLE cases ADD COLUMN address_id TEXT NOT NULL DEFAULT '';
