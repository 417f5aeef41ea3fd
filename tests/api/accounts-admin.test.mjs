// Accounts made and changed by an admin over HTTP: POST /users and
// PUT /users/{id}/role, each field's rule, the ties each role needs and
// no other may have, the admin's own scope, sessions ending on a change
// of role, and the audit.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login, cli } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());
const admin = await login(srv.url, 'admin');
let n = 0;
const uniq = () => `t${process.pid.toString(36)}${(++n).toString(36)}`;

async function users() {
  return (await admin.call('GET', '/api/v1/users')).json.items;
}

test('an admin makes an account of each role with the ties it needs, and it signs in', async () => {
  const dept = (await admin.call('GET', '/api/v1/departments')).json;
  const deptName = (dept.departments || dept.items)[0].name;
  const made = [
    { role: 'officer' },
    { role: 'secretary', cluster_id: 2 },
    { role: 'grid_worker' },
    { role: 'handler', department: deptName },
    { role: 'enterprise', enterprise_id: 3 },
  ];
  for (const ties of made) {
    const username = uniq();
    const r = await admin.call('POST', '/api/v1/users', { username, password: 'new-pass-2024', display_name: `测试${ties.role}`, ...ties });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.get('location'), `/api/v1/users/${r.json.id}`);
    assert.equal(r.json.role, ties.role);
    assert.equal(r.json.cluster_id, ties.cluster_id ?? null);
    assert.equal(r.json.enterprise_id, ties.enterprise_id ?? null);
    assert.equal(r.json.department, ties.department ?? null);
    const me = await login(srv.url, username, 'new-pass-2024');
    assert.equal(me.user.role, ties.role);
    const audit = (await admin.call('GET', `/api/v1/audit?entity=user&entity_id=${r.json.id}`)).json.items;
    assert.equal(audit[0].action, 'create');
    assert.equal(audit[0].after.username, username);
    assert.ok(!JSON.stringify(audit[0].after).includes('new-pass-2024'), 'no password in the log');
  }
});

test('every field\'s rule, and nothing written', async () => {
  const before = (await users()).length;
  const bad = async (body, field, code, status = 422) => {
    const r = await admin.call('POST', '/api/v1/users', { username: uniq(), password: 'new-pass-2024', role: 'officer', ...body });
    assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
    const fields = [r.json.error.field, ...(r.json.error.errors || []).map((e) => e.field)];
    assert.ok(fields.includes(field), `${field} in ${fields}`);
    if (code) assert.ok([r.json.error.code, ...(r.json.error.errors || []).map((e) => e.code)].includes(code), r.text);
  };
  await bad({ username: 'Has Space' }, 'username', 'invalid_username');
  await bad({ username: 'x' }, 'username', 'invalid_username');
  await bad({ password: 'short' }, 'password');
  await bad({ role: 'mayor' }, 'role', 'invalid_enum');
  await bad({ role: 'secretary' }, 'cluster_id', 'required');
  await bad({ role: 'enterprise' }, 'enterprise_id', 'required');
  await bad({ role: 'handler' }, 'department', 'required');
  await bad({ role: 'officer', cluster_id: 1 }, 'cluster_id', 'not_for_role');
  await bad({ role: 'grid_worker', department: '经济园区' }, 'department', 'not_for_role');
  await bad({ role: 'secretary', cluster_id: 999 }, 'cluster_id', 'unknown_cluster');
  await bad({ role: 'enterprise', enterprise_id: 999999 }, 'enterprise_id', 'unknown_enterprise');
  await bad({ role: 'handler', department: '不存在的部门' }, 'department', 'unknown_department');
  await bad({ jurisdiction: '999999' }, 'jurisdiction', 'unknown_jurisdiction');
  await bad({ colour: 'red' }, 'colour', 'unknown_field');
  await bad({ display_name: 'x'.repeat(101) }, 'display_name');
  // A username taken.
  const r = await admin.call('POST', '/api/v1/users', { username: 'officer', password: 'new-pass-2024', role: 'officer' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'duplicate_username');
  assert.equal((await users()).length, before);
});

test('a role changed: the old ties go, every session ends, audited; not one\'s own', async () => {
  const username = uniq();
  const made = (await admin.call('POST', '/api/v1/users', { username, password: 'new-pass-2024', role: 'secretary', cluster_id: 1, display_name: '周书记' })).json;
  const session = await login(srv.url, username, 'new-pass-2024');
  assert.equal((await session.call('GET', '/api/v1/session')).json.user.role, 'secretary');
  const r = await admin.call('PUT', `/api/v1/users/${made.id}/role`, { role: 'grid_worker', display_name: '周网格' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.role, r.json.cluster_id, r.json.display_name], ['grid_worker', null, '周网格']);
  // The old session acts no longer.
  assert.equal((await session.call('GET', '/api/v1/session')).json.user, null);
  const again = await login(srv.url, username, 'new-pass-2024');
  assert.equal(again.user.role, 'grid_worker');
  const audit = (await admin.call('GET', `/api/v1/audit?entity=user&entity_id=${made.id}`)).json.items;
  const set = audit.find((a) => a.action === 'set_role');
  assert.deepEqual([set.before.role, set.before.cluster_id, set.after.role], ['secretary', 1, 'grid_worker']);
  // Ties must fit the new role; nothing changes otherwise.
  const bad = await admin.call('PUT', `/api/v1/users/${made.id}/role`, { role: 'secretary' });
  assert.deepEqual([bad.status, bad.json.error.field], [422, 'cluster_id']);
  assert.equal((await admin.call('GET', '/api/v1/users')).json.items.find((u) => u.id === made.id).role, 'grid_worker');
  // Not one's own.
  const own = await admin.call('PUT', `/api/v1/users/${admin.user.id}/role`, { role: 'officer' });
  assert.deepEqual([own.status, own.json.error.code], [422, 'own_account']);
  const none = await admin.call('PUT', '/api/v1/users/999999/role', { role: 'officer' });
  assert.equal(none.status, 404);
});

test('an admin of a district makes accounts inside it only', async () => {
  const k = cli(['user', 'add', 'admin.songjiang', '--role', 'admin', '--jurisdiction', '310117', '--db', srv.db],
    { env: { ...process.env, QUNYAN_PASSWORD: 'district-admin-2024' } });
  assert.equal(k.status, 0, k.stderr);
  const da = await login(srv.url, 'admin.songjiang', 'district-admin-2024');
  // Without a jurisdiction: its own.
  const r = await da.call('POST', '/api/v1/users', { username: uniq(), password: 'new-pass-2024', role: 'officer' });
  assert.equal(r.status, 201, r.text);
  const tree = (await admin.call('GET', '/api/v1/jurisdictions')).json.items;
  assert.equal(r.json.jurisdiction_id, tree.find((j) => j.code === '310117').id);
  // Outside it: refused.
  const out = await da.call('POST', '/api/v1/users', { username: uniq(), password: 'new-pass-2024', role: 'officer', jurisdiction: '310116' });
  assert.equal(out.status, 403, out.text);
  // Others than admins make none.
  const officer = await login(srv.url, 'officer');
  assert.equal((await officer.call('POST', '/api/v1/users', { username: uniq(), password: 'new-pass-2024', role: 'officer' })).status, 403);
});
