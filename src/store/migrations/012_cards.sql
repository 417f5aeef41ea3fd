-- Service contact cards: the link on each enterprise's card (its QR
-- code), the phone each staff member answers on the cards, and each
-- jurisdiction's service desk (its enterprise service office and its
-- own hotline).

-- A card's link is <public address>/q/<token>, the token 128 random bits
-- (domain/card.h).  It is kept as it is, since every reading of the card
-- prints it again, and looked up by its BLAKE2b hash, so that the
-- index's comparisons cannot be timed to learn a token byte by byte.  An
-- enterprise has at most one live token; issuing anew revokes the old one,
-- which stays, so that its link answers "revoked" as an unknown one does.
-- No district: a link names no place, so the token is its only key (a
-- distributed database would cut this table by the token's hash).
CREATE TABLE card_tokens (
	id INTEGER PRIMARY KEY,
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	token TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	issued_at TEXT NOT NULL,
	issued_by INTEGER REFERENCES users(id),
	revoked_at TEXT,
	revoked_by INTEGER REFERENCES users(id)
);
CREATE UNIQUE INDEX card_tokens_live ON card_tokens(enterprise_id) WHERE revoked_at IS NULL;
CREATE INDEX card_tokens_enterprise ON card_tokens(enterprise_id, id);

-- The work phone a grid worker or a secretary answers, printed on the
-- cards that name them.
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';

-- A jurisdiction's service desk, what its cards name beside the people:
-- its enterprise service office (one of the departments, with the phone
-- it answers) and its own hotline.  A card takes the office of the
-- nearest jurisdiction on its enterprise's path that names one, and the
-- hotline of every one on the path (a town's, its district's).
CREATE TABLE service_desks (
	jurisdiction_id INTEGER PRIMARY KEY REFERENCES jurisdictions(id),
	office_department_id INTEGER REFERENCES departments(id),
	office_phone TEXT NOT NULL DEFAULT '',
	hotline_zh TEXT NOT NULL DEFAULT '',
	hotline_en TEXT NOT NULL DEFAULT '',
	hotline_phone TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL
);
