-- The bulletin written by the town: items an officer drafts, publishes
-- and unpublishes, each in a jurisdiction (and its district, as every row
-- that grows with a city), with its tags and the images its Markdown
-- shows.  The Markdown is what is kept; its HTML is made when read
-- (src/domain/markdown.h), so that a stricter rule reaches every item.
CREATE TABLE bulletin_items (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	jurisdiction_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	title TEXT NOT NULL CHECK (title <> ''),
	-- The day the item tells of, YYYY-MM-DD: the list's order.
	date TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published','unpublished')),
	-- When it was first published (NULL: never): the feed's <published>.
	published_at TEXT,
	created_by INTEGER REFERENCES users(id),
	updated_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
-- The public list and the feeds: published items, newest day first.
CREATE INDEX bulletin_items_status ON bulletin_items(status, date, id);
CREATE INDEX bulletin_items_district ON bulletin_items(district_id, id);

-- An item's tags in the order written.
CREATE TABLE bulletin_tags (
	item_id INTEGER NOT NULL REFERENCES bulletin_items(id),
	pos INTEGER NOT NULL,
	tag TEXT NOT NULL CHECK (tag <> ''),
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	PRIMARY KEY (item_id, pos)
) WITHOUT ROWID;
CREATE INDEX bulletin_tags_tag ON bulletin_tags(tag, item_id);

-- Images uploaded for an item, its Markdown showing them by their path
-- (/api/v1/bulletin/{item}/images/{id}).  Their type and size in pixels
-- were read from their own bytes (src/domain/image.h).
CREATE TABLE bulletin_images (
	id INTEGER PRIMARY KEY,
	item_id INTEGER NOT NULL REFERENCES bulletin_items(id),
	district_id INTEGER NOT NULL REFERENCES jurisdictions(id),
	type TEXT NOT NULL CHECK (type IN ('image/png','image/jpeg','image/webp')),
	width INTEGER NOT NULL CHECK (width > 0),
	height INTEGER NOT NULL CHECK (height > 0),
	size INTEGER NOT NULL,
	data BLOB NOT NULL,
	created_by INTEGER REFERENCES users(id),
	created_at TEXT NOT NULL
);
CREATE INDEX bulletin_images_item ON bulletin_images(item_id, id);

-- The fixed list of before, of the top of the tree, becomes published
-- items; its tags were one text joined by ';'.
INSERT INTO bulletin_items (id, jurisdiction_id, district_id, title, date, body, status,
	published_at, created_at, updated_at)
SELECT b.id, 1, j.district_id, b.title, b.published, b.body, 'published',
	b.published || 'T00:00:00Z', b.published || 'T00:00:00Z', b.published || 'T00:00:00Z'
FROM bulletin b, jurisdictions j WHERE j.id = 1;
WITH RECURSIVE split(item_id, pos, rest, tag) AS (
	SELECT id, -1, tags || ';', '' FROM bulletin
	UNION ALL
	SELECT item_id, pos + 1, substr(rest, instr(rest, ';') + 1), substr(rest, 1, instr(rest, ';') - 1)
	FROM split WHERE rest <> ''
)
INSERT INTO bulletin_tags (item_id, pos, tag, district_id)
SELECT s.item_id, s.pos, s.tag, j.district_id FROM split s, jurisdictions j
WHERE j.id = 1 AND s.pos >= 0 AND s.tag <> '';
DROP TABLE bulletin;
