-- Industrial chains: templates of chain nodes per cluster, what
-- enterprises make and buy, the supply links between them, and the
-- pipeline of enterprises being attracted to fill the gaps.

-- Enterprises outside the park (suppliers and customers of the park's
-- firms) are registry records too, so that links and partners are one
-- kind of thing; they are not counted among the park's enterprises.
ALTER TABLE enterprises ADD COLUMN in_park INTEGER NOT NULL DEFAULT 1 CHECK (in_park IN (0, 1));

CREATE TABLE chain_nodes (
	id INTEGER PRIMARY KEY,
	cluster_id INTEGER NOT NULL REFERENCES clusters(id),
	code TEXT NOT NULL,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('material','component','product','service')),
	stage TEXT NOT NULL CHECK (stage IN ('upstream','midstream','downstream','service')),
	UNIQUE (cluster_id, code)
);

-- from_node is an input of to_node.  Acyclicity is checked before insert
-- (chain_check_dag), since SQL cannot say it.
CREATE TABLE chain_edges (
	from_node INTEGER NOT NULL REFERENCES chain_nodes(id),
	to_node INTEGER NOT NULL REFERENCES chain_nodes(id),
	PRIMARY KEY (from_node, to_node),
	CHECK (from_node <> to_node)
) WITHOUT ROWID;

CREATE TABLE enterprise_products (
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	node_id INTEGER NOT NULL REFERENCES chain_nodes(id),
	capacity REAL NOT NULL CHECK (capacity >= 0), -- 10,000 CNY a year
	PRIMARY KEY (enterprise_id, node_id)
) WITHOUT ROWID;
CREATE INDEX enterprise_products_node ON enterprise_products(node_id);

CREATE TABLE enterprise_needs (
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	node_id INTEGER NOT NULL REFERENCES chain_nodes(id),
	annual_need REAL NOT NULL CHECK (annual_need >= 0), -- 10,000 CNY a year
	PRIMARY KEY (enterprise_id, node_id)
) WITHOUT ROWID;
CREATE INDEX enterprise_needs_node ON enterprise_needs(node_id);

CREATE TABLE supply_links (
	id INTEGER PRIMARY KEY,
	supplier_id INTEGER NOT NULL REFERENCES enterprises(id),
	customer_id INTEGER NOT NULL REFERENCES enterprises(id),
	node_id INTEGER NOT NULL REFERENCES chain_nodes(id),
	annual_value REAL NOT NULL CHECK (annual_value >= 0), -- 10,000 CNY
	since TEXT NOT NULL,
	until TEXT,
	source TEXT NOT NULL CHECK (source IN ('declared','visit','inferred')),
	created_at TEXT NOT NULL,
	CHECK (supplier_id <> customer_id)
);
CREATE INDEX supply_links_supplier ON supply_links(supplier_id);
CREATE INDEX supply_links_customer ON supply_links(customer_id);

CREATE TABLE leads (
	id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 1,
	name TEXT NOT NULL,
	node_id INTEGER NOT NULL REFERENCES chain_nodes(id),
	introduced_by_enterprise_id INTEGER REFERENCES enterprises(id),
	introduced_by TEXT NOT NULL DEFAULT '',
	stage TEXT NOT NULL CHECK (stage IN ('contacted','visited','negotiating','signed','settled','dropped')),
	drop_reason TEXT NOT NULL DEFAULT '',
	owner_user_id INTEGER REFERENCES users(id),
	enterprise_id INTEGER UNIQUE REFERENCES enterprises(id), -- once settled
	contacted_on TEXT NOT NULL,
	stage_on TEXT NOT NULL, -- date the current stage was reached
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	CHECK ((stage = 'settled') = (enterprise_id IS NOT NULL))
);
CREATE INDEX leads_node ON leads(node_id, stage);
CREATE INDEX leads_introducer ON leads(introduced_by_enterprise_id, stage);

CREATE TABLE lead_events (
	id INTEGER PRIMARY KEY,
	lead_id INTEGER NOT NULL REFERENCES leads(id),
	on_date TEXT NOT NULL,
	stage TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	user_id INTEGER REFERENCES users(id)
);
CREATE INDEX lead_events_lead ON lead_events(lead_id);

-- Contacts recorded from partner recommendations ("we introduced them").
CREATE TABLE partner_contacts (
	id INTEGER PRIMARY KEY,
	enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
	partner_id INTEGER NOT NULL REFERENCES enterprises(id),
	node_id INTEGER NOT NULL REFERENCES chain_nodes(id),
	role TEXT NOT NULL CHECK (role IN ('supplier','customer')),
	note TEXT NOT NULL DEFAULT '',
	user_id INTEGER REFERENCES users(id),
	at TEXT NOT NULL
);
CREATE INDEX partner_contacts_enterprise ON partner_contacts(enterprise_id);

-- A counter bumped by every change that the chain analyses read, so that
-- a server can keep the graph in memory and reload it only when it has
-- changed, whichever process changed it.
CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('chain_version', 0);

CREATE TRIGGER chain_v_ent_ins AFTER INSERT ON enterprises BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'chain_version'; END;
CREATE TRIGGER chain_v_ent_upd AFTER UPDATE ON enterprises BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'chain_version'; END;
CREATE TRIGGER chain_v_node_ins AFTER INSERT ON chain_nodes BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'chain_version'; END;
CREATE TRIGGER chain_v_edge_ins AFTER INSERT ON chain_edges BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'chain_version'; END;
CREATE TRIGGER chain_v_edge_del AFTER DELETE ON chain_edges BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'chain_version'; END;
CREATE TRIGGER chain_v_prod_ins AFTER INSERT ON enterprise_products BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'chain_version'; END;
CREATE TRIGGER chain_v_prod_upd AFTER UPDATE ON enterprise_products BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'chain_version'; END;
CREATE TRIGGER chain_v_prod_del AFTER DELETE ON enterprise_products BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'chain_version'; END;
CREATE TRIGGER chain_v_need_ins AFTER INSERT ON enterprise_needs BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'chain_version'; END;
CREATE TRIGGER chain_v_need_upd AFTER UPDATE ON enterprise_needs BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'chain_version'; END;
CREATE TRIGGER chain_v_need_del AFTER DELETE ON enterprise_needs BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'chain_version'; END;
CREATE TRIGGER chain_v_link_ins AFTER INSERT ON supply_links BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'chain_version'; END;
CREATE TRIGGER chain_v_link_upd AFTER UPDATE ON supply_links BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'chain_version'; END;
