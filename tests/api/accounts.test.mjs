// Accounts: a password change ends the user's other sessions (the API's,
// an admin's reset, `qunyan user passwd`); disabling a user and revoking
// an API key take effect at the next request; keys are listed by id and
// label; every change is audited; and the sign-in throttle counts
// exactly, however many attempts arrive at once.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login, cli, PASSWORD, ON_PG } from '../lib/server.mjs';

// Many requests at once from one address: more connections than the
// default per address, and threads enough to race.
const ARGS = ['--threads', '16', '--max-per-ip', '1000'];

const srv = await start({ args: ARGS });
test.after(() => srv.stop());
const admin = await login(srv.url, 'admin');
const users = (await admin.call('GET', '/api/v1/users')).json.items;
const idOf = (name) => users.find((u) => u.username === name).id;

const signIn = (url, username, password) => fetch(`${url}/api/v1/session`, {
  method: 'POST', headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ username, password }),
});
// A change another process makes (the command line) reaches a server on
// PostgreSQL as its notice does, a moment after the commit
// (src/service/principal_cache.h): there the answer is asked for again
// for up to two seconds; on SQLite it is the first one.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function settled(ask, status) {
  let r = await ask();
  for (let i = 0; ON_PG && r.status !== status && i < 40; i++) {
    await sleep(50);
    r = await ask();
  }
  return r;
}
const withKey = (key, path, init = {}) => fetch(`${srv.url}${path}`,
  { ...init, headers: { Authorization: `Bearer ${key}`, ...(init.headers || {}) } });
const count = (statuses) => statuses.reduce((m, s) => ({ ...m, [s]: (m[s] || 0) + 1 }), {});
async function audit(entity, id) {
  const r = await admin.call('GET', `/api/v1/audit?entity=${entity}&entity_id=${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}
async function newKey(userId, label) {
  const r = await admin.call('POST', `/api/v1/users/${userId}/keys`, label === undefined ? {} : { label });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('changing one\'s own password ends every other session; the caller\'s and the keys stay', async () => {
  const id = idOf('grid2');
  const key = await newKey(id, 'grid2 sync');
  const mine = await login(srv.url, 'grid2');
  const other = await login(srv.url, 'grid2');
  assert.equal((await other.call('GET', '/api/v1/enterprises?limit=1')).status, 200);

  let r = await mine.call('PUT', '/api/v1/session/password', { current: PASSWORD, new: 'short' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'new');
  assert.equal(r.json.error.code, 'too_short');
  r = await mine.call('PUT', '/api/v1/session/password', { current: 'not-my-password', new: 'grid2-new-password' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'current');
  assert.equal(r.json.error.code, 'wrong_password');
  r = await mine.call('PUT', '/api/v1/session/password', { current: PASSWORD, new: 'grid2-new-password' },
    { 'X-CSRF-Token': null });
  assert.equal(r.status, 403, 'a session needs its CSRF token');

  r = await mine.call('PUT', '/api/v1/session/password', { current: PASSWORD, new: 'grid2-new-password' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { sessions_ended: 1, api_keys_kept: 1 });
  assert.equal((await other.call('GET', '/api/v1/enterprises?limit=1')).status, 401, 'the other session ended');
  assert.equal((await other.call('GET', '/api/v1/session')).json.user, null);
  const me = await mine.call('GET', '/api/v1/session');
  assert.equal(me.json.user.username, 'grid2', 'the caller\'s own session stays');
  assert.equal((await mine.call('GET', '/api/v1/enterprises?limit=1')).status, 200);
  assert.equal((await withKey(key.key, '/api/v1/enterprises?limit=1')).status, 200, 'the API key stays');
  assert.equal((await signIn(srv.url, 'grid2', PASSWORD)).status, 401, 'the old password is refused');
  assert.equal((await signIn(srv.url, 'grid2', 'grid2-new-password')).status, 200);

  const entries = await audit('user', id);
  const change = entries.find((e) => e.action === 'change_password');
  assert.ok(change, 'the change is audited');
  assert.equal(change.username, 'grid2');
  assert.deepEqual(change.after, { sessions_ended: 1 });
  assert.doesNotMatch(JSON.stringify(entries), /argon2|grid2-new-password/);
});

test('a wrong current password counts as a failed sign-in', async () => {
  const s = await login(srv.url, 'secretary4');
  for (let i = 0; i < 5; i++) {
    const r = await s.call('PUT', '/api/v1/session/password', { current: `guess-${i}`, new: 'another-password' });
    assert.equal(r.status, 422, r.text);
  }
  const r = await s.call('PUT', '/api/v1/session/password', { current: PASSWORD, new: 'another-password' });
  assert.equal(r.status, 429, 'the sixth guess waits out the window, right or wrong');
  assert.equal(r.json.error.code, 'too_many_attempts');
  assert.equal((await signIn(srv.url, 'secretary4', PASSWORD)).status, 429, 'and so does signing in');
});

test('an admin resets another\'s password: every session of the user ends, its keys stay', async () => {
  const id = idOf('handler2');
  const key = await newKey(id);
  const a = await login(srv.url, 'handler2');
  const b = await login(srv.url, 'handler2');
  const officer = await login(srv.url, 'officer');
  let r = await officer.call('PUT', `/api/v1/users/${id}/password`, { new: 'handler2-reset-pw' });
  assert.equal(r.status, 403, 'an officer may not');
  r = await admin.call('PUT', `/api/v1/users/${id}/password`, { new: 'handler2-reset-pw', extra: 1 });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'unknown_field');
  r = await admin.call('PUT', '/api/v1/users/99999/password', { new: 'handler2-reset-pw' });
  assert.equal(r.status, 404);
  r = await admin.call('PUT', `/api/v1/users/${id}/password`, { new: 'handler2-reset-pw' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { sessions_ended: 2, api_keys_kept: 1 });
  assert.equal((await a.call('GET', '/api/v1/cases')).status, 401);
  assert.equal((await b.call('GET', '/api/v1/cases')).status, 401);
  assert.equal((await withKey(key.key, '/api/v1/cases')).status, 200);
  assert.equal((await admin.call('GET', '/api/v1/session')).json.user.username, 'admin', 'the admin\'s session stays');
  assert.equal((await signIn(srv.url, 'handler2', 'handler2-reset-pw')).status, 200);
  const e = (await audit('user', id)).find((x) => x.action === 'reset_password');
  assert.equal(e.username, 'admin');
  assert.deepEqual(e.after, { sessions_ended: 2 });
});

test('qunyan user passwd ends every session of the user; its keys stay', async () => {
  const key = await newKey(idOf('grid3'), 'grid3 cli');
  const a = await login(srv.url, 'grid3');
  const b = await login(srv.url, 'grid3');
  const r = cli(['user', 'passwd', 'grid3', '--db', srv.db], { env: { ...process.env, QUNYAN_PASSWORD: 'grid3-changed-pw' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /2 sessions ended; its 1 API key still works/);
  assert.equal((await a.call('GET', '/api/v1/enterprises?limit=1')).status, 401, 'a session of the old password ended');
  assert.equal((await b.call('GET', '/api/v1/session')).json.user, null);
  assert.equal((await withKey(key.key, '/api/v1/enterprises?limit=1')).status, 200);
  assert.equal((await signIn(srv.url, 'grid3', 'grid3-changed-pw')).status, 200);
  const e = (await audit('user', idOf('grid3'))).find((x) => x.action === 'reset_password');
  assert.equal(e.username, 'qunyan user');
});

test('a disabled user\'s sessions and keys stop at the next request; enabling brings back the keys only', async () => {
  const id = idOf('handler');
  const key = await newKey(id, 'handler bot');
  const s = await login(srv.url, 'handler');
  assert.equal((await s.call('GET', '/api/v1/cases')).status, 200);
  assert.equal((await withKey(key.key, '/api/v1/cases')).status, 200);

  const officer = await login(srv.url, 'officer');
  assert.equal((await officer.call('GET', '/api/v1/users')).status, 403, 'only admins list users');
  assert.equal((await officer.call('PATCH', `/api/v1/users/${id}`, { disabled: true })).status, 403);
  let r = await admin.call('PATCH', `/api/v1/users/${id}`, { disabled: 'yes' });
  assert.equal(r.status, 422);
  r = await admin.call('PATCH', `/api/v1/users/${id}`, { role: 'admin' });
  assert.equal(r.json.error.code, 'unknown_field');
  r = await admin.call('PATCH', `/api/v1/users/${idOf('admin')}`, { disabled: true });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'own_account');

  r = await admin.call('PATCH', `/api/v1/users/${id}`, { disabled: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.disabled, true);
  assert.equal(r.json.sessions, 0);
  assert.equal((await s.call('GET', '/api/v1/cases')).status, 401, 'the session stops at once');
  const viaKey = await withKey(key.key, '/api/v1/cases');
  assert.equal(viaKey.status, 401, 'the key stops at once');
  assert.equal((await viaKey.json()).error.code, 'bad_api_key');
  assert.equal((await signIn(srv.url, 'handler', PASSWORD)).status, 401, 'and signing in');
  r = await admin.call('POST', `/api/v1/users/${id}/keys`, { label: 'x' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'user_disabled');
  const listed = (await admin.call('GET', '/api/v1/users')).json.items.find((u) => u.id === id);
  assert.equal(listed.disabled, true);
  assert.equal(listed.role, 'handler');

  r = await admin.call('PATCH', `/api/v1/users/${id}`, { disabled: false });
  assert.equal(r.status, 200);
  assert.equal(r.json.disabled, false);
  assert.equal((await s.call('GET', '/api/v1/cases')).status, 401, 'an ended session stays ended');
  assert.equal((await withKey(key.key, '/api/v1/cases')).status, 200, 'the key answers again');
  assert.equal((await signIn(srv.url, 'handler', PASSWORD)).status, 200);

  const actions = (await audit('user', id)).map((e) => [e.action, e.username, e.before?.disabled, e.after?.disabled]);
  assert.deepEqual(actions.filter(([a]) => a === 'disable' || a === 'enable'),
    [['enable', 'admin', true, false], ['disable', 'admin', false, true]]);
  assert.equal((await audit('user', id)).find((e) => e.action === 'disable').after.sessions_ended, 1);
});

test('qunyan user disable and enable do the same, audited', async () => {
  const id = idOf('secretary3');
  const key = await newKey(id);
  const s = await login(srv.url, 'secretary3');
  let r = cli(['user', 'disable', 'secretary3', '--db', srv.db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /secretary3 disabled; 1 session ended/);
  assert.equal((await s.call('GET', '/api/v1/enterprises?limit=1')).status, 401);
  assert.equal((await withKey(key.key, '/api/v1/enterprises?limit=1')).status, 401);
  assert.match(cli(['user', 'list', '--db', srv.db]).stdout, /secretary3 .*\(disabled\)/);
  r = cli(['user', 'enable', 'secretary3', '--db', srv.db]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await withKey(key.key, '/api/v1/enterprises?limit=1')).status, 200);
  const actions = (await audit('user', id)).map((e) => `${e.action} by ${e.username}`);
  assert.ok(actions.includes('disable by qunyan user') && actions.includes('enable by qunyan user'), actions.join(', '));
  assert.equal(cli(['user', 'disable', 'nobody', '--db', srv.db]).status, 1);
});

test('API keys: made (shown once), listed by id and label, revoked at once', async () => {
  const id = idOf('grid');
  let r = await admin.call('POST', `/api/v1/users/${id}/keys`, { label: 'x'.repeat(101) });
  assert.equal(r.status, 422);
  r = await admin.call('POST', `/api/v1/users/${id}/keys`, { label: '网格数据同步', secret: 1 });
  assert.equal(r.status, 422);
  const k1 = await newKey(id, '网格数据同步');
  assert.match(k1.key, /^[0-9a-f]{64}$/);
  assert.equal(k1.label, '网格数据同步');
  assert.equal(k1.revoked_at, null);
  const k2 = await newKey(id);
  assert.equal(k2.label, '');

  r = await admin.call('GET', `/api/v1/users/${id}/keys`);
  assert.equal(r.status, 200);
  const mine = r.json.items.filter((k) => k.id === k1.id || k.id === k2.id);
  assert.deepEqual(mine.map((k) => [k.id, k.label, k.revoked_at]), [[k1.id, '网格数据同步', null], [k2.id, '', null]]);
  assert.ok(r.json.items.every((k) => !('key' in k)), 'a listed key is never shown again');
  assert.equal((await admin.call('GET', '/api/v1/users')).json.items.find((u) => u.id === id).keys, 2);

  // The command line lists what the API made, and revokes by id.
  const listed = cli(['user', 'key', '--list', 'grid', '--db', srv.db]);
  assert.equal(listed.status, 0, listed.stderr);
  assert.match(listed.stdout, new RegExp(`^${k1.id}\\s+\\S+\\s+active\\s+网格数据同步$`, 'm'));

  assert.equal((await withKey(k1.key, '/api/v1/grids')).status, 200);
  const officer = await login(srv.url, 'officer');
  assert.equal((await officer.call('DELETE', `/api/v1/users/${id}/keys/${k1.id}`)).status, 403);
  assert.equal((await admin.call('DELETE', `/api/v1/users/${idOf('officer')}/keys/${k1.id}`)).status, 404, 'a key of another user');
  r = await admin.call('DELETE', `/api/v1/users/${id}/keys/${k1.id}`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.revoked_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const gone = await withKey(k1.key, '/api/v1/grids');
  assert.equal(gone.status, 401, 'a revoked key stops at once');
  assert.equal((await gone.json()).error.code, 'bad_api_key');
  assert.equal((await withKey(k2.key, '/api/v1/grids')).status, 200, 'the other key stays');
  r = await admin.call('DELETE', `/api/v1/users/${id}/keys/${k1.id}`);
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'already_revoked');
  r = await admin.call('GET', `/api/v1/users/${id}/keys`);
  assert.ok(r.json.items.find((k) => k.id === k1.id).revoked_at, 'a revoked key stays listed');

  r = cli(['user', 'key', '--revoke', String(k2.id), '--db', srv.db]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await settled(() => withKey(k2.key, '/api/v1/grids'), 401)).status, 401);
  assert.match(cli(['user', 'key', '--list', 'grid', '--db', srv.db]).stdout, new RegExp(`^${k2.id}\\s+\\S+\\s+revoked \\S+`, 'm'));
  assert.equal(cli(['user', 'key', '--revoke', String(k2.id), '--db', srv.db]).status, 1, 'revoked before');
  assert.equal(cli(['user', 'key', '--revoke', '999999', '--db', srv.db]).status, 1, 'no such key');

  // A key made on the command line prints the key alone on stdout.
  r = cli(['user', 'key', 'grid', '--label', 'cli key', '--db', srv.db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^[0-9a-f]{64}\n$/);
  assert.equal((await withKey(r.stdout.trim(), '/api/v1/grids')).status, 200);

  const e1 = await audit('api_key', k1.id);
  assert.deepEqual(e1.map((e) => `${e.action} by ${e.username}`), ['revoke by admin', 'create by admin']);
  assert.equal(e1[0].before.revoked_at, null);
  assert.ok(e1[0].after.revoked_at);
  assert.doesNotMatch(JSON.stringify(e1), new RegExp(k1.key), 'the key is never audited');
  assert.deepEqual((await audit('api_key', k2.id)).map((e) => `${e.action} by ${e.username}`), ['revoke by qunyan user', 'create by admin']);
});

test('the user command: its forms and usage errors', () => {
  const help = cli(['user', '--help']);
  assert.equal(help.status, 0);
  for (const form of ['user passwd USERNAME', 'user disable|enable USERNAME', 'user key USERNAME [--label TEXT]',
    'user key --list USERNAME', 'user key --revoke KEYID']) assert.ok(help.stdout.includes(`qunyan ${form}`), form);
  const db = ['--db', srv.db];
  for (const args of [['disable'], ['enable', 'a', 'b'], ['passwd'], ['key'], ['key', '--list'],
    ['key', '--revoke'], ['key', '--revoke', 'abc'], ['key', '--revoke', '0'], ['key', '--revoke', '-3'],
    ['key', 'grid', '--label'], ['key', 'grid', '--frob', 'x'], ['key', 'grid', '--label', 'x'.repeat(101)],
    ['list', 'extra'], ['frobnicate']]) {
    const r = cli(['user', ...args, ...db]);
    assert.equal(r.status, 2, `qunyan user ${args.join(' ')}: ${r.stderr}`);
  }
});

// Attempts at once, each answered; how many of each status.
const race = async (url, n, who) => count(await Promise.all(Array.from({ length: n }, async (_, i) => {
  const r = await signIn(url, who(i), 'wrong-password');
  await r.arrayBuffer();
  return r.status;
})));

test('100 wrong passwords at once for one user: exactly 5 are checked', async () => {
  const s = await start({ args: ARGS });
  try {
    assert.deepEqual(await race(s.url, 100, () => 'officer'), { 401: 5, 429: 95 });
    assert.equal((await signIn(s.url, 'officer', PASSWORD)).status, 429, 'the right password waits too');
  } finally {
    await s.stop();
  }
});

test('200 wrong passwords at once from one address: exactly 20 are checked', async () => {
  const s = await start({ args: ARGS });
  try {
    assert.deepEqual(await race(s.url, 200, (i) => `nobody${i}`), { 401: 20, 429: 180 });
    assert.equal((await signIn(s.url, 'admin', PASSWORD)).status, 429, 'the address waits, whoever it names');
  } finally {
    await s.stop();
  }
});
