// The audit log read by the admin of the whole tree (GET /api/v1/audit):
// each entry with its author's display name; narrowed by record, person,
// action and the town's days, every filter together; paged newest first
// by next (sent back as cursor); and each bad parameter refused with 400 naming it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());
const admin = await login(srv.url, 'admin');
const officer = await login(srv.url, 'officer');

// The town's day (UTC+8) of an instant, YYYY-MM-DD.
const townDay = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);
const audit = async (query) => {
  const r = await admin.call('GET', `/api/v1/audit?${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

// An officer changes an enterprise's phone and adds an organisation; the
// admin makes a user.
const ent = (await officer.call('GET', '/api/v1/enterprises/3')).json;
const patched = await officer.call('PATCH', '/api/v1/enterprises/3',
  { contacts: [{ ...ent.contacts[0], phone: '02157210001' }] }, { 'If-Match': `"v${ent.version}"` });
assert.equal(patched.status, 200, patched.text);
const org = await officer.call('POST', '/api/v1/organisations', { name_zh: '审计测试协会', kind: 'association' });
assert.equal(org.status, 201, org.text);
const user = await admin.call('POST', '/api/v1/users',
  { username: 'audit-reader', password: 'audit-pass-2024', role: 'officer', display_name: '审计读者' });
assert.equal(user.status, 201, user.text);

test('each entry names its author by display name, newest first', async () => {
  const { items, next } = await audit('limit=10');
  assert.equal(next, null);
  assert.deepEqual(items.map((i) => i.id), [...items.map((i) => i.id)].sort((a, b) => b - a));
  const change = items.find((i) => i.entity === 'enterprise' && i.entity_id === 3);
  assert.equal(change.action, 'update');
  assert.equal(change.username, 'officer');
  assert.equal(change.display_name, officer.user.display_name);
  assert.equal(change.before.contacts[0].phone, ent.contacts[0].phone);
  assert.equal(change.after.contacts[0].phone, '02157210001');
  // The demo's own entry names a program, not a user.
  const init = items.find((i) => i.action === 'init_demo');
  assert.equal(init.display_name, null);
});

test('filters narrow, alone and together', async () => {
  const byEntity = (await audit('entity=organisation')).items;
  assert.ok(byEntity.length >= 1 && byEntity.every((i) => i.entity === 'organisation'));
  assert.deepEqual((await audit(`entity=organisation&entity_id=${org.json.id}`)).items.map((i) => i.action), ['create']);
  const byUser = (await audit(`user_id=${officer.user.id}`)).items;
  assert.deepEqual(byUser.map((i) => i.entity).sort(), ['enterprise', 'organisation']);
  assert.ok(byUser.every((i) => i.user_id === officer.user.id));
  const byAction = (await audit('action=create')).items;
  assert.deepEqual(byAction.map((i) => i.entity).sort(), ['organisation', 'user']);
  assert.deepEqual((await audit(`action=update&user_id=${officer.user.id}&entity=enterprise`)).items.map((i) => i.entity_id), [3]);
  assert.deepEqual((await audit(`user_id=${admin.user.id}&entity=enterprise`)).items, []);
  // The town's day: today holds every entry, yesterday none, a span to
  // today all of them.
  const today = townDay(Date.now());
  const yesterday = townDay(Date.now() - 86400e3);
  const all = (await audit('limit=1000')).items.length;
  assert.equal((await audit(`from=${today}&to=${today}&limit=1000`)).items.length, all);
  assert.equal((await audit(`to=${yesterday}`)).items.length, 0);
  assert.equal((await audit(`from=${yesterday}&limit=1000`)).items.length, all);
  assert.equal((await audit(`from=${townDay(Date.now() + 86400e3)}`)).items.length, 0);
  // Empty values count as not sent.
  assert.equal((await audit('entity=&action=&from=&to=&limit=1000')).items.length, all);
});

test('older pages follow next to the end', async () => {
  const all = (await audit('limit=1000')).items.map((i) => i.id);
  assert.ok(all.length >= 4, `${all.length} entries`);
  const seen = [];
  let before = null;
  for (let guard = 0; guard < 20; guard++) {
    const page = await audit(`limit=2${before ? `&cursor=${before}` : ''}`);
    seen.push(...page.items.map((i) => i.id));
    if (!page.next) break;
    assert.equal(page.next, String(page.items[page.items.length - 1].id));
    before = page.next;
  }
  assert.deepEqual(seen, all);
});

test('a bad parameter is refused naming it', async () => {
  const bad = [
    ['entity=Enterprise', 'entity', 'invalid_parameter'],
    ['entity=enterprise;drop', 'entity', 'invalid_parameter'],
    [`action=${'x'.repeat(41)}`, 'action', 'invalid_parameter'],
    ['user_id=0', 'user_id', 'invalid_parameter'],
    ['user_id=abc', 'user_id', 'invalid_parameter'],
    ['entity_id=-1', 'entity_id', 'invalid_parameter'],
    ['before=1x', 'before', 'invalid_parameter'],
    ['limit=1001', 'limit', 'invalid_parameter'],
    ['from=2026-02-30', 'from', 'invalid_date'],
    ['to=yesterday', 'to', 'invalid_date'],
    ['from=2026-12-05&to=2026-12-04', 'to', 'invalid_parameter'],
  ];
  for (const [query, field, code] of bad) {
    const r = await admin.call('GET', `/api/v1/audit?${query}`);
    assert.equal(r.status, 400, `${query}: ${r.text}`);
    assert.equal(r.json.error.field, field, query);
    assert.equal(r.json.error.code, code, query);
    assert.ok(r.json.error.message.startsWith(`${field}:`), r.json.error.message);
  }
});

test('only the admin of the whole tree reads the log', async () => {
  assert.equal((await officer.call('GET', '/api/v1/audit?user_id=2')).status, 403);
  const district = await login(srv.url, 'admin.jinshan');
  const r = await district.call('GET', '/api/v1/audit?action=update');
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'outside_scope');
  assert.equal((await fetch(`${srv.url}/api/v1/audit`)).status, 401);
});
