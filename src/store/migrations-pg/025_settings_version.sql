-- The count of changes to what routes a new case and sets its limits, as
-- SQLite's twin keeps it (see there), by one bump per statement.
INSERT INTO meta (key, value) VALUES ('settings_version', 0);
CREATE TRIGGER settings_v_departments_ins AFTER INSERT ON departments
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
CREATE TRIGGER settings_v_departments_upd AFTER UPDATE ON departments
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
CREATE TRIGGER settings_v_departments_del AFTER DELETE ON departments
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
CREATE TRIGGER settings_v_case_categories_ins AFTER INSERT ON case_categories
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
CREATE TRIGGER settings_v_case_categories_upd AFTER UPDATE ON case_categories
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
CREATE TRIGGER settings_v_case_categories_del AFTER DELETE ON case_categories
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
CREATE TRIGGER settings_v_category_rules_ins AFTER INSERT ON category_rules
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
CREATE TRIGGER settings_v_category_rules_upd AFTER UPDATE ON category_rules
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
CREATE TRIGGER settings_v_category_rules_del AFTER DELETE ON category_rules
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
CREATE TRIGGER settings_v_case_limits_ins AFTER INSERT ON case_limits
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
CREATE TRIGGER settings_v_case_limits_upd AFTER UPDATE ON case_limits
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
CREATE TRIGGER settings_v_case_limits_del AFTER DELETE ON case_limits
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
CREATE TRIGGER settings_v_case_closing_rules_ins AFTER INSERT ON case_closing_rules
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
CREATE TRIGGER settings_v_case_closing_rules_upd AFTER UPDATE ON case_closing_rules
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
CREATE TRIGGER settings_v_case_closing_rules_del AFTER DELETE ON case_closing_rules
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
CREATE TRIGGER settings_v_work_calendar_ins AFTER INSERT ON work_calendar
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
CREATE TRIGGER settings_v_work_calendar_upd AFTER UPDATE ON work_calendar
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
CREATE TRIGGER settings_v_work_calendar_del AFTER DELETE ON work_calendar
	FOR EACH STATEMENT EXECUTE FUNCTION qy_bump_version('settings_version');
