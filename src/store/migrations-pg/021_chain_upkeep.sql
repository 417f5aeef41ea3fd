-- Keeping a chain template: its nodes are renamed, retired or deleted
-- and its edges removed (see the SQLite twin for what retiring means).
ALTER TABLE chain_nodes ADD COLUMN retired bigint NOT NULL DEFAULT 0 CHECK (retired IN (0, 1));
CREATE INDEX supply_links_node ON supply_links(node_id);

CREATE TRIGGER chain_v_node_upd AFTER UPDATE ON chain_nodes
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('chain_version');
CREATE TRIGGER chain_v_node_del AFTER DELETE ON chain_nodes
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('chain_version');
