-- What routes a new case and sets its time limits (the categories with
-- their departments, the rules of places, the limits by step, the closing
-- rules and the working calendar) changes seldom and is read by every
-- intake: settings_version counts its changes, so that a server may keep
-- what it read while the count stands (store_settings_hint).
INSERT INTO meta (key, value) VALUES ('settings_version', 0);
CREATE TRIGGER settings_v_departments_ins AFTER INSERT ON departments BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
CREATE TRIGGER settings_v_departments_upd AFTER UPDATE ON departments BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
CREATE TRIGGER settings_v_departments_del AFTER DELETE ON departments BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
CREATE TRIGGER settings_v_case_categories_ins AFTER INSERT ON case_categories BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
CREATE TRIGGER settings_v_case_categories_upd AFTER UPDATE ON case_categories BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
CREATE TRIGGER settings_v_case_categories_del AFTER DELETE ON case_categories BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
CREATE TRIGGER settings_v_category_rules_ins AFTER INSERT ON category_rules BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
CREATE TRIGGER settings_v_category_rules_upd AFTER UPDATE ON category_rules BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
CREATE TRIGGER settings_v_category_rules_del AFTER DELETE ON category_rules BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
CREATE TRIGGER settings_v_case_limits_ins AFTER INSERT ON case_limits BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
CREATE TRIGGER settings_v_case_limits_upd AFTER UPDATE ON case_limits BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
CREATE TRIGGER settings_v_case_limits_del AFTER DELETE ON case_limits BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
CREATE TRIGGER settings_v_case_closing_rules_ins AFTER INSERT ON case_closing_rules BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
CREATE TRIGGER settings_v_case_closing_rules_upd AFTER UPDATE ON case_closing_rules BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
CREATE TRIGGER settings_v_case_closing_rules_del AFTER DELETE ON case_closing_rules BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
CREATE TRIGGER settings_v_work_calendar_ins AFTER INSERT ON work_calendar BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
CREATE TRIGGER settings_v_work_calendar_upd AFTER UPDATE ON work_calendar BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
CREATE TRIGGER settings_v_work_calendar_del AFTER DELETE ON work_calendar BEGIN
	UPDATE meta SET value = value + 1 WHERE key = 'settings_version'; END;
