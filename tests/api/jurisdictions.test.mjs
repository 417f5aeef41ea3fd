// Jurisdictions, against a real server on the demo: the tree as everyone
// reads it and the scope each account gets; a node with its path and
// children; admins adding, renaming and moving nodes inside their scope,
// a move under another district taking the rows lying in the node with
// it; and every kind of bad input refused with its code and field, the
// tree unchanged after each refusal.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login, cli, dbQuery } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());

const admin = await login(srv.url, 'admin');
const jadmin = await login(srv.url, 'admin.jinshan');
const officer = await login(srv.url, 'officer');

const anon = async (method, path) => {
  const res = await fetch(`${srv.url}${path}`, { method });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) };
};
const sql = (q) => dbQuery(srv.db, q);
const tree = async () => (await anon('GET', '/api/v1/jurisdictions')).json.items;
const byCode = async (code) => (await tree()).find((j) => j.code === code);

// The demo's places: ids as init --demo creates them (the home town, id 1,
// is the database's first jurisdiction, renamed and hung under Jinshan).
const DEMO = [
  // code            id  parent level        kind        district name_zh        name_en
  ['310000',          2, null, 'city',      'city',      2, '上海市',       'Shanghai'],
  ['310107',          9, 2,    'district',  'district',  9, '普陀区',       'Putuo District'],
  ['310116',          3, 2,    'district',  'district',  3, '金山区',       'Jinshan District'],
  ['310116101',       6, 3,    'town',      'town',      3, '朱泾镇',       'Zhujing Town'],
  ['310116103',       1, 3,    'town',      'town',      3, '张堰镇',       'Zhangyan Town'],
  ['310116103001',    5, 1,    'community', 'community', 3, '张堰社区居委会', 'Zhangyan Community'],
  ['310116103201',    4, 1,    'community', 'park',      3, '张堰工业园区',  'Zhangyan Industrial Park'],
  ['310117',          7, 2,    'district',  'district',  7, '松江区',       'Songjiang District'],
  ['310117011',       8, 7,    'town',      'street',    7, '九里亭街道',    'Jiuliting Street'],
];

test('the demo tree: every node in tree order, for everyone', async () => {
  const r = await anon('GET', '/api/v1/jurisdictions');
  assert.equal(r.status, 200);
  assert.equal(r.json.scope, null);
  assert.equal(r.json.items.length, DEMO.length);
  DEMO.forEach(([code, id, parent, level, kind, district, zh, en], i) => {
    const j = r.json.items[i];
    assert.deepEqual(
      { code: j.code, id: j.id, parent_id: j.parent_id, level: j.level, kind: j.kind, district_id: j.district_id, name_zh: j.name_zh, name_en: j.name_en },
      { code, id, parent_id: parent, level, kind, district_id: district, name_zh: zh, name_en: en }, code);
    assert.match(j.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
  // Every answer lists the same tree; a signed-in caller also learns the
  // node its lists are cut to (null: the whole tree).
  for (const [user, scope] of [['admin', null], ['officer', null], ['grid', null], ['qifan', null],
    ['officer.jinshan', 3], ['officer.zhangyan', 1], ['officer.zhujing', 6], ['officer.jiuliting', 8], ['admin.jinshan', 3]]) {
    const c = await login(srv.url, user);
    const mine = await c.call('GET', '/api/v1/jurisdictions');
    assert.equal(mine.status, 200, user);
    assert.equal(mine.json.scope, scope, user);
    assert.deepEqual(mine.json.items, r.json.items, user);
  }
});

test('one node, with its path from the top and its children', async () => {
  let r = await anon('GET', '/api/v1/jurisdictions/1');
  assert.equal(r.status, 200);
  assert.equal(r.json.code, '310116103');
  assert.equal(r.json.name_en, 'Zhangyan Town');
  assert.deepEqual(r.json.path.map((j) => j.code), ['310000', '310116']);
  assert.deepEqual(r.json.children.map((j) => j.code), ['310116103001', '310116103201']);
  assert.deepEqual(r.json.children.map((j) => j.parent_id), [1, 1]);

  r = await anon('GET', '/api/v1/jurisdictions/2');
  assert.deepEqual(r.json.path, []);
  assert.equal(r.json.parent_id, null);
  assert.deepEqual(r.json.children.map((j) => j.name_zh), ['普陀区', '金山区', '松江区']);

  r = await anon('GET', '/api/v1/jurisdictions/4');
  assert.deepEqual(r.json.path.map((j) => j.id), [2, 3, 1]);
  assert.deepEqual(r.json.children, []);

  for (const [path, status, code] of [['/api/v1/jurisdictions/99', 404, 'not_found'],
    ['/api/v1/jurisdictions/0', 404, 'not_found'], ['/api/v1/jurisdictions/x1', 404, null]]) {
    r = await anon('GET', path);
    assert.equal(r.status, status, path);
    if (code) assert.equal(r.json.error.code, code, path);
  }
});

test('an admin adds a street under Putuo and renames it; an officer may do neither', async () => {
  const body = { parent: '310107', level: 'town', kind: 'street', code: '310107015', name_zh: '长寿路街道', name_en: 'Changshoulu Street' };
  assert.equal((await officer.call('POST', '/api/v1/jurisdictions', body)).json.error.code, 'forbidden');
  const r = await admin.call('POST', '/api/v1/jurisdictions', body);
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  assert.equal(r.headers.get('location'), `/api/v1/jurisdictions/${id}`);
  assert.deepEqual({ ...r.json, updated_at: undefined },
    { id, parent_id: 9, level: 'town', kind: 'street', code: '310107015', name_zh: '长寿路街道', name_en: 'Changshoulu Street', district_id: 9, updated_at: undefined });
  // in the tree right after Putuo, and among Putuo's children
  const codes = (await tree()).map((j) => j.code);
  assert.equal(codes[codes.indexOf('310107') + 1], '310107015');
  assert.deepEqual((await anon('GET', '/api/v1/jurisdictions/9')).json.children.map((j) => j.id), [id]);

  // The parent by id works as well as by code.
  const byId = await admin.call('POST', '/api/v1/jurisdictions', { ...body, parent: 9, code: '310107016', name_zh: '曹杨新村街道', name_en: undefined });
  assert.equal(byId.status, 201, byId.text);
  assert.equal(byId.json.name_en, '');

  assert.equal((await officer.call('PATCH', `/api/v1/jurisdictions/${id}`, { name_zh: 'x' })).status, 403);
  const renamed = await admin.call('PATCH', `/api/v1/jurisdictions/${id}`, { name_zh: '长寿路街道办事处', name_en: 'Changshou Road Subdistrict' });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal(renamed.json.name_zh, '长寿路街道办事处');
  assert.equal(renamed.json.code, '310107015');
  assert.equal(renamed.json.parent_id, 9);
  // "" clears the English name; the Chinese one is required
  const cleared = await admin.call('PATCH', `/api/v1/jurisdictions/${id}`, { name_en: '' });
  assert.equal(cleared.json.name_en, '');
  assert.equal(cleared.json.name_zh, '长寿路街道办事处');

  // Each change is in the audit log with what it was and became.
  const audit = (await admin.call('GET', `/api/v1/audit?entity=jurisdiction&entity_id=${id}`)).json.items;
  assert.deepEqual(audit.map((a) => a.action).sort(), ['create', 'update', 'update']);
  // The log names every place's records: a district's admin does not read it.
  const scoped = await jadmin.call('GET', `/api/v1/audit?entity=jurisdiction&entity_id=${id}`);
  assert.equal(scoped.status, 403, scoped.text);
  assert.equal(scoped.json.error.code, 'outside_scope');
});

test('a scoped admin changes the tree inside its scope only', async () => {
  // admin.jinshan: Jinshan and below.
  let r = await jadmin.call('POST', '/api/v1/jurisdictions', { parent: '310116', level: 'town', kind: 'town', code: '310116105', name_zh: '亭林镇', name_en: 'Tinglin Town' });
  assert.equal(r.status, 201, r.text);
  const tinglin = r.json.id;
  assert.equal(r.json.district_id, 3);
  r = await jadmin.call('POST', '/api/v1/jurisdictions', { parent: tinglin, level: 'community', kind: 'village', code: '310116105201', name_zh: '亭林村' });
  assert.equal(r.status, 201, r.text);
  r = await jadmin.call('PATCH', `/api/v1/jurisdictions/${tinglin}`, { name_en: 'Tinglin' });
  assert.equal(r.status, 200, r.text);

  const before = await tree();
  for (const [what, method, path, body, field] of [
    ['under Putuo', 'POST', '/api/v1/jurisdictions', { parent: '310107', level: 'town', kind: 'street', code: '310107017', name_zh: '真如镇街道' }, 'parent'],
    ['under Songjiang by id', 'POST', '/api/v1/jurisdictions', { parent: 7, level: 'town', kind: 'street', code: '310117012', name_zh: '街道' }, 'parent'],
    ['at the top', 'POST', '/api/v1/jurisdictions', { parent: null, level: 'city', kind: 'city', code: '320500', name_zh: '苏州市' }, 'parent'],
    ['at the top, no parent', 'POST', '/api/v1/jurisdictions', { level: 'district', kind: 'district', code: '310118', name_zh: '青浦区' }, 'parent'],
    ['rename Putuo', 'PATCH', '/api/v1/jurisdictions/9', { name_en: 'Putuo' }, 'id'],
    ['rename the city', 'PATCH', '/api/v1/jurisdictions/2', { name_en: 'Shanghai City' }, 'id'],
    ['move its town to Putuo', 'PATCH', `/api/v1/jurisdictions/${tinglin}`, { parent: '310107', code: '310107105' }, 'parent'],
    ['move its town to the top', 'PATCH', `/api/v1/jurisdictions/${tinglin}`, { parent: null }, 'parent'],
  ]) {
    r = await jadmin.call(method, path, body);
    assert.equal(r.status, 403, `${what}: ${r.text}`);
    assert.equal(r.json.error.code, 'outside_scope', what);
    assert.equal(r.json.error.field, field, what);
    assert.match(r.json.error.message, /outside the jurisdictions this account acts for|only an admin of the whole tree/, what);
  }
  assert.deepEqual(await tree(), before);
  // The whole tree's admin may do what the scoped one may not.
  r = await admin.call('PATCH', `/api/v1/jurisdictions/${tinglin}`, { parent: null });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.parent_id, null);
  assert.equal(r.json.district_id, tinglin); // a town at the top is its own district
  r = await admin.call('PATCH', `/api/v1/jurisdictions/${tinglin}`, { parent: '310116' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.district_id, 3);
});

// The refusals: [what, method, path, body (a string is sent as it is),
// status, code, field (undefined: none checked)].
const refusals = [
  ['malformed JSON', 'POST', '/api/v1/jurisdictions', '{"parent": "310107", "level": ', 400, 'malformed_json'],
  ['not an object', 'POST', '/api/v1/jurisdictions', '["310107"]', 400, 'not_an_object'],
  ['no body', 'POST', '/api/v1/jurisdictions', '', 400, 'empty_body'],
  ['parent of the wrong type', 'POST', '/api/v1/jurisdictions', { parent: true, level: 'town', kind: 'street', code: '310107018', name_zh: '街道' }, 422, 'wrong_type', 'parent'],
  ['level of the wrong type', 'POST', '/api/v1/jurisdictions', { parent: '310107', level: 2, kind: 'street', code: '310107018', name_zh: '街道' }, 422, 'wrong_type', 'level'],
  ['code as a number', 'POST', '/api/v1/jurisdictions', { parent: '310107', level: 'town', kind: 'street', code: 310107018, name_zh: '街道' }, 422, 'wrong_type', 'code'],
  ['name as an array', 'PATCH', '/api/v1/jurisdictions/6', { name_zh: ['朱泾镇'] }, 422, 'wrong_type', 'name_zh'],
  ['an unknown field', 'POST', '/api/v1/jurisdictions', { parent: '310107', level: 'town', kind: 'street', code: '310107018', name_zh: '街道', population: 80000 }, 422, 'unknown_field', 'population'],
  ['the id in a body', 'PATCH', '/api/v1/jurisdictions/6', { id: 7 }, 422, 'unknown_field', 'id'],
  ['fields missing', 'POST', '/api/v1/jurisdictions', { parent: '310107' }, 422, 'required', 'level'],
  ['a bad level', 'POST', '/api/v1/jurisdictions', { parent: '310107', level: 'province', kind: 'street', code: '310107018', name_zh: '街道' }, 422, 'invalid_enum', 'level'],
  ['a kind of another level', 'POST', '/api/v1/jurisdictions', { parent: '310107', level: 'town', kind: 'county', code: '310107018', name_zh: '街道' }, 422, 'invalid_enum', 'kind'],
  ['a code too short', 'POST', '/api/v1/jurisdictions', { parent: '310107', level: 'town', kind: 'street', code: '31010701', name_zh: '街道' }, 422, 'invalid_code', 'code'],
  ['a code with a letter', 'POST', '/api/v1/jurisdictions', { parent: '310107', level: 'town', kind: 'street', code: '31010701A', name_zh: '街道' }, 422, 'invalid_code', 'code'],
  ['a code too long', 'POST', '/api/v1/jurisdictions', { parent: '310107', level: 'town', kind: 'street', code: '3101070180001', name_zh: '街道' }, 422, 'too_long', 'code'],
  ['a code not extending the parent\'s', 'POST', '/api/v1/jurisdictions', { parent: '310107', level: 'town', kind: 'street', code: '310116018', name_zh: '街道' }, 422, 'invalid_code', 'code'],
  ['a district outside its city', 'POST', '/api/v1/jurisdictions', { parent: '310000', level: 'district', kind: 'district', code: '320102', name_zh: '秦淮区' }, 422, 'invalid_code', 'code'],
  ['a move without the new code', 'PATCH', '/api/v1/jurisdictions/6', { parent: '310107' }, 422, 'invalid_code', 'code'],
  ['a parent of a lower level', 'POST', '/api/v1/jurisdictions', { parent: '310116103201', level: 'town', kind: 'town', code: '310116103', name_zh: '镇' }, 422, 'wrong_nesting', 'parent'],
  ['a parent of the same level', 'PATCH', '/api/v1/jurisdictions/7', { parent: '310116' }, 422, 'wrong_nesting', 'parent'],
  ['a node under its own child', 'PATCH', '/api/v1/jurisdictions/3', { parent: '310116103' }, 422, 'jurisdiction_cycle', 'parent'],
  ['a node under its own grandchild', 'PATCH', '/api/v1/jurisdictions/3', { parent: 4 }, 422, 'jurisdiction_cycle', 'parent'],
  ['a node under itself', 'PATCH', '/api/v1/jurisdictions/1', { parent: '310116103' }, 422, 'jurisdiction_cycle', 'parent'],
  ['the city under its district', 'PATCH', '/api/v1/jurisdictions/2', { parent: 3 }, 422, 'jurisdiction_cycle', 'parent'],
  ['a town with communities made one', 'PATCH', '/api/v1/jurisdictions/1', { level: 'community', kind: 'park', code: '310116103999' }, 422, 'wrong_nesting', 'level'],
  ['a duplicate code', 'POST', '/api/v1/jurisdictions', { parent: '310116', level: 'town', kind: 'town', code: '310116101', name_zh: '又一个朱泾镇' }, 409, 'duplicate_code', 'code'],
  ['a duplicate code by a change', 'PATCH', '/api/v1/jurisdictions/6', { code: '310116103' }, 409, 'duplicate_code', 'code'],
  ['an unknown parent code', 'POST', '/api/v1/jurisdictions', { parent: '310199', level: 'town', kind: 'town', code: '310199001', name_zh: '镇' }, 422, 'unknown_jurisdiction', 'parent'],
  ['an unknown parent id', 'PATCH', '/api/v1/jurisdictions/6', { parent: 424242 }, 422, 'unknown_jurisdiction', 'parent'],
  ['a name too long', 'PATCH', '/api/v1/jurisdictions/6', { name_zh: '镇'.repeat(101) }, 422, 'too_long', 'name_zh'],
  ['a control character', 'PATCH', '/api/v1/jurisdictions/6', { name_en: 'Zhujing\nTown' }, 422, 'control_character', 'name_en'],
  ['an unknown node', 'PATCH', '/api/v1/jurisdictions/4242', { name_zh: '无' }, 404, 'not_found'],
  ['a huge body', 'POST', '/api/v1/jurisdictions', JSON.stringify({ parent: '310107', level: 'town', kind: 'street', code: '310107018', name_zh: 'x'.repeat(2 << 20) }), 413, 'body_too_large'],
];

test('a scoped admin manages the accounts of its places only, and no webhooks', async () => {
  // Independently: the users whose jurisdiction lies under Jinshan (id 3).
  const jinshan = new Set(sql("WITH RECURSIVE t(id) AS (SELECT id FROM jurisdictions WHERE id = 3 UNION SELECT j.id FROM jurisdictions j JOIN t ON j.parent_id = t.id) SELECT u.id FROM users u JOIN t ON t.id = u.jurisdiction_id").split('\n').map(Number));
  const listed = (await jadmin.call('GET', '/api/v1/users')).json.items.map((u) => u.id);
  assert.deepEqual(listed.sort((a, b) => a - b), [...jinshan].sort((a, b) => a - b));
  assert.ok(listed.length >= 3 && listed.length < (await admin.call('GET', '/api/v1/users')).json.items.length);
  const top = sql("SELECT id FROM users WHERE username = 'admin'");
  const keysBefore = sql(`SELECT count(*) FROM api_keys WHERE user_id = ${top}`);
  // The whole tree's admin: no key, no password, no disabling from a district.
  for (const [method, path, body] of [['POST', `/api/v1/users/${top}/keys`, { label: 'x' }], ['GET', `/api/v1/users/${top}/keys`],
    ['PUT', `/api/v1/users/${top}/password`, { password: 'another-long-password-1' }], ['PATCH', `/api/v1/users/${top}`, { disabled: true }]]) {
    const r = await jadmin.call(method, path, body);
    assert.equal(r.status, 404, `${method} ${path}: ${r.text}`);
    assert.equal(r.json.error.message, `no user with id ${top}`, 'as an unknown id');
  }
  assert.equal(sql(`SELECT count(*) FROM api_keys WHERE user_id = ${top}`), keysBefore, 'nothing written');
  assert.equal((await admin.call('GET', '/api/v1/session')).status, 200, 'the admin still signs in');
  // One of its own places' accounts it does manage.
  const zy = sql("SELECT id FROM users WHERE username = 'officer.zhangyan'");
  assert.equal((await jadmin.call('GET', `/api/v1/users/${zy}/keys`)).status, 200);
  for (const [method, path, body] of [['GET', '/api/v1/webhooks'], ['POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/x' }]]) {
    const r = await jadmin.call(method, path, body);
    assert.equal(r.status, 403, r.text);
    assert.equal(r.json.error.code, 'outside_scope');
  }
});

test('bad input: each refused with its code and field, nothing written', async () => {
  const before = await tree();
  const audits = (await admin.call('GET', '/api/v1/audit?entity=jurisdiction&limit=1000')).json.items.length;
  for (const [what, method, path, body, status, code, field] of refusals) {
    const r = await admin.call(method, path, body);
    assert.equal(r.status, status, `${what}: ${r.text.slice(0, 300)}`);
    assert.equal(r.json.error.code, code, what);
    if (field !== undefined) {
      assert.equal(r.json.error.field, field, what);
      // the message names the field and the rule
      assert.ok(r.json.error.message.startsWith(`${field}:`) || r.json.error.message.includes(field), `${what}: ${r.json.error.message}`);
    }
    assert.deepEqual(await tree(), before, `${what}: the tree changed`);
  }
  assert.equal((await admin.call('GET', '/api/v1/audit?entity=jurisdiction&limit=1000')).json.items.length, audits);
});

test('messages name the rule', async () => {
  const msg = async (method, path, body) => (await admin.call(method, path, body)).json.error.message;
  assert.equal(await msg('PATCH', '/api/v1/jurisdictions/3', { parent: '310116103' }),
    'parent: 张堰镇 lies under 金山区; a jurisdiction cannot be its own ancestor');
  assert.equal(await msg('PATCH', '/api/v1/jurisdictions/1', { parent: 1 }), 'parent: 张堰镇 cannot lie under itself');
  assert.equal(await msg('POST', '/api/v1/jurisdictions', { parent: '310107', level: 'town', kind: 'street', code: '310116018', name_zh: '街道' }),
    'code: must begin with 310107, the code of 普陀区 (a town\'s code extends its parent\'s)');
  assert.equal(await msg('POST', '/api/v1/jurisdictions', { parent: '310000', level: 'district', kind: 'district', code: '320102', name_zh: '秦淮区' }),
    'code: must begin with 31, the first 2 digits of 上海市\'s code 310000');
  assert.equal(await msg('POST', '/api/v1/jurisdictions', { parent: '310107', level: 'town', kind: 'county', code: '310107018', name_zh: '街道' }),
    'kind: a town is one of: town, street');
  assert.equal(await msg('POST', '/api/v1/jurisdictions', { parent: '310107', level: 'town', kind: 'street', code: '31010701', name_zh: '街道' }),
    'code: a town\'s code is 9 digits');
  assert.equal(await msg('PATCH', '/api/v1/jurisdictions/7', { parent: '310116' }),
    'parent: a district lies under a level above it, not under a district');
  assert.equal(await msg('PATCH', '/api/v1/jurisdictions/1', { level: 'community', kind: 'park', code: '310116103999' }),
    'level: 张堰镇 has 2 jurisdictions under it, which lie below it: it stays a town');
  assert.equal(await msg('PATCH', '/api/v1/jurisdictions/6', { code: '310116103' }),
    'code: another jurisdiction has the code 310116103');
  assert.equal(await msg('PATCH', '/api/v1/jurisdictions/6', { parent: 424242 }),
    'parent: no jurisdiction has the code or id 424242');
  // A village straight under Jinshan with the code Zhangyan's park would
  // take, were Zhangyan recoded 310116107.
  const v = await admin.call('POST', '/api/v1/jurisdictions', { parent: '310116', level: 'community', kind: 'village', code: '310116107201', name_zh: '金山村' });
  assert.equal(v.status, 201, v.text);
  const before = await tree();
  const r = await admin.call('PATCH', '/api/v1/jurisdictions/1', { code: '310116107' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.message, 'code: 310116103201 under 张堰镇 would become 310116107201, the code of 金山村');
  assert.deepEqual(await tree(), before);
});

// The rows lying in Zhangyan (the demo's town, with its park and
// community) in every table that carries a district: its own rows by
// their jurisdiction, its dependents by the record they depend on.
const ZY = '(SELECT id FROM jurisdictions WHERE lo BETWEEN (SELECT lo FROM jurisdictions WHERE id = 1) AND (SELECT hi FROM jurisdictions WHERE id = 1))';
const ZY_ENT = `(SELECT id FROM enterprises WHERE jurisdiction_id IN ${ZY})`;
const OF_ZHANGYAN = {
  enterprises: `jurisdiction_id IN ${ZY}`,
  grids: `jurisdiction_id IN ${ZY}`,
  cases: `jurisdiction_id IN ${ZY}`,
  enterprise_contacts: `enterprise_id IN ${ZY_ENT}`,
  enterprise_tags: `enterprise_id IN ${ZY_ENT}`,
  enterprise_products: `enterprise_id IN ${ZY_ENT}`,
  enterprise_needs: `enterprise_id IN ${ZY_ENT}`,
  supply_links: `customer_id IN ${ZY_ENT}`,
  visits: `enterprise_id IN ${ZY_ENT}`,
  indicators: `enterprise_id IN ${ZY_ENT}`,
  case_events: `case_id IN (SELECT id FROM cases WHERE jurisdiction_id IN ${ZY})`,
};
// For each table: Zhangyan's rows by district, and the other rows by
// district ("3:120,7:19").
const byDistrict = (t, where) => sql(`SELECT district_id || ':' || count(*) FROM ${t} WHERE ${where} GROUP BY district_id ORDER BY district_id`)
  .split('\n').filter(Boolean).join(',');
const districts = () => Object.fromEntries(Object.entries(OF_ZHANGYAN).map(([t, w]) =>
  [t, { zhangyan: byDistrict(t, w), others: byDistrict(t, `NOT (${w})`) }]));

test('a town moved under another district takes its communities and its rows along', async () => {
  const rows = districts();
  // Every table holds rows of Zhangyan, all in Jinshan (district 3).
  for (const [t, { zhangyan }] of Object.entries(rows)) assert.match(zhangyan, /^3:\d+$/, `${t}: ${zhangyan}`);

  // Zhangyan goes to Putuo, with Putuo's code.
  let r = await admin.call('PATCH', '/api/v1/jurisdictions/1', { parent: '310107', code: '310107103' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.parent_id, 9);
  assert.equal(r.json.district_id, 9);
  r = await anon('GET', '/api/v1/jurisdictions/1');
  assert.deepEqual(r.json.path.map((j) => j.code), ['310000', '310107']);
  assert.deepEqual(r.json.children.map((j) => [j.code, j.district_id]), [['310107103001', 9], ['310107103201', 9]]);
  // Putuo holds the town now, Jinshan no longer.
  assert.deepEqual((await anon('GET', '/api/v1/jurisdictions/9')).json.children.map((j) => j.code).filter((c) => c.startsWith('3101071')), ['310107103']);
  assert.ok(!(await anon('GET', '/api/v1/jurisdictions/3')).json.children.some((j) => j.id === 1));
  // Every row lying in the town, and every row depending on one, is now
  // in Putuo's district; nothing was lost, and no other row moved.
  const moved = districts();
  for (const [t, { zhangyan, others }] of Object.entries(rows)) {
    assert.equal(moved[t].zhangyan, zhangyan.replace(/^3:/, '9:'), t);
    assert.equal(moved[t].others, others, t);
  }
  // officer.zhangyan's scope follows its town: its lists are Putuo's now.
  const zy = await login(srv.url, 'officer.zhangyan');
  assert.equal((await zy.call('GET', '/api/v1/jurisdictions')).json.scope, 1);
  // The database says every row is in its jurisdiction's district.
  const check = cli(['check', '--db', srv.db]);
  assert.equal(check.status, 0, check.stderr);

  // And back, with Jinshan's code: as it was.
  r = await admin.call('PATCH', '/api/v1/jurisdictions/1', { parent: 3, code: '310116103' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.district_id, 3);
  assert.deepEqual(districts(), rows);
  assert.deepEqual((await anon('GET', '/api/v1/jurisdictions/1')).json.children.map((j) => j.code), ['310116103001', '310116103201']);
});

test('a district recoded passes its digits to the codes below it', async () => {
  let r = await admin.call('PATCH', '/api/v1/jurisdictions/7', { code: '310118' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await byCode('310118011')).id, 8);
  r = await admin.call('PATCH', '/api/v1/jurisdictions/7', { code: '310117' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await byCode('310117011')).id, 8);
  assert.equal(await byCode('310118011'), undefined);
});

// A list cut to the caller's scope (the enterprises): jurisdiction= names
// a node by code or id; one that does not exist, or lies outside the
// caller's scope, is refused rather than answered with an empty list.
test('jurisdiction= on a list: unknown 422, outside the scope 403, inside narrows', async () => {
  const list = (c, q) => c.call('GET', `/api/v1/enterprises?limit=500&${q}`);
  for (const q of ['jurisdiction=310199', 'jurisdiction=4242', 'jurisdiction=x']) {
    const r = await list(admin, q);
    assert.equal(r.status, 422, `${q}: ${r.text}`);
    assert.equal(r.json.error.code, 'unknown_jurisdiction', q);
    assert.equal(r.json.error.field, 'jurisdiction', q);
  }
  for (const [user, q] of [['officer.zhujing', 'jurisdiction=310116103'], ['officer.jinshan', 'jurisdiction=310117'],
    ['officer.jinshan', 'jurisdiction=2'], ['officer.zhangyan', 'jurisdiction=310116']]) {
    const r = await list(await login(srv.url, user), q);
    assert.equal(r.status, 403, `${user} ${q}: ${r.text}`);
    assert.equal(r.json.error.code, 'outside_scope', `${user} ${q}`);
    assert.equal(r.json.error.field, 'jurisdiction', `${user} ${q}`);
  }
  // Inside: the demo's enterprises all lie in Zhangyan.
  const all = (await list(admin, '')).json.items.length;
  assert.ok(all > 0);
  assert.equal((await list(admin, 'jurisdiction=310116103')).json.items.length, all);
  assert.equal((await list(admin, 'jurisdiction=3')).json.items.length, all);
  assert.equal((await list(admin, 'jurisdiction=310117')).json.items.length, 0);
  const jinshan = await login(srv.url, 'officer.jinshan');
  assert.equal((await list(jinshan, 'jurisdiction=310116103')).json.items.length, all);
  assert.equal((await list(await login(srv.url, 'officer.zhujing'), '')).json.items.length, 0);
});
