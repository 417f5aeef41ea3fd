-- Keeping a chain template: its nodes are renamed, retired or deleted
-- and its edges removed, as the town's picture of the chain changes.
--
-- A retired node keeps its history (what enterprises made and bought of
-- it, the supply links and leads that name it) and stays on the map,
-- marked; nothing new may name it and it is no gap to fill.  A node that
-- nothing names is deleted instead, with its edges.
ALTER TABLE chain_nodes ADD COLUMN retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1));

-- Whether anything names a node is asked of every table by its node;
-- the supply links had no index for it.
CREATE INDEX supply_links_node ON supply_links(node_id);

-- The graph kept in memory is reloaded after these too.
CREATE TRIGGER chain_v_node_upd AFTER UPDATE ON chain_nodes BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'chain_version'; END;
CREATE TRIGGER chain_v_node_del AFTER DELETE ON chain_nodes BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'chain_version'; END;
