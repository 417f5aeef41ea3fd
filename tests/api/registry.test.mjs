// The enterprise registry over HTTP, against a real server: the normal
// path of every endpoint and each class of bad input, checking that a
// refused request wrote nothing.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());

const officer = await login(srv.url, 'officer');
const admin = await login(srv.url, 'admin');

// A valid USCC (GB 32100-2015): body of 8, then both check characters.
const ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function orgCheck(body8) {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const v = (c) => (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55);
  const s = [...body8].reduce((a, c, i) => a + v(c) * w[i], 0);
  const c = 11 - (s % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}
function uscc(body8) {
  const c17 = '91310116' + body8 + orgCheck(body8);
  const s = [...c17].reduce((a, c, i) => a + ALPHA.indexOf(c) * W[i], 0);
  return c17 + ALPHA[(31 - (s % 31)) % 31];
}

async function count() {
  let n = 0; let cursor = null;
  do {
    const r = await officer.call('GET', `/api/v1/enterprises?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200);
    n += r.json.items.length;
    cursor = r.json.next;
  } while (cursor);
  return n;
}
async function auditCount() {
  const r = await admin.call('GET', '/api/v1/audit?limit=1000');
  assert.equal(r.status, 200);
  return r.json.items.length;
}

const base = {
  name_zh: '上海测试光缆有限公司', name_en: 'Shanghai Test Cable Co., Ltd.', industry: '3833',
  cluster_id: 1, stage: 'midstream', size: 'small', founded: '2020-05-01',
  address: '上海市金山区张堰镇荣威路1号', lon: 121.29, lat: 30.80, employees: 42,
  tags: ['招商引进'], contacts: [{ name: '周平', role: '总经理', phone: '13812345678', email: 'zhou@test.example.cn' }],
};

test('the demo town has 274 enterprises, four clusters and 28 organisations', async () => {
  assert.equal(await count(), 274);
  const c = await officer.call('GET', '/api/v1/clusters');
  assert.equal(c.json.items.length, 4);
  assert.equal(c.json.items.reduce((a, x) => a + x.enterprises, 0), 274);
  // The 28 "two new" party organisations; the catalogue's providers
  // stand beside them.
  const o = await officer.call('GET', '/api/v1/organisations');
  assert.equal(o.json.items.filter((x) => /party_branch$/.test(x.kind)).length, 28);
});

test('search finds Chinese substrings and English words', async () => {
  for (const q of ['起帆', 'Qifan', 'qifan', 'Ｑｉｆａｎ', '起帆电缆']) {
    const r = await officer.call('GET', `/api/v1/enterprises?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, q);
    assert.ok(r.json.items.some((e) => e.name_en === 'Shanghai Qifan Cable Co., Ltd.'), q);
  }
  const none = await officer.call('GET', `/api/v1/enterprises?q=${encodeURIComponent('不存在的公司')}`);
  assert.equal(none.json.items.length, 0);
});

test('filters, sorting and cursor pagination', async () => {
  const r = await officer.call('GET', '/api/v1/enterprises?cluster=1&stage=upstream&limit=500');
  assert.equal(r.status, 200);
  assert.ok(r.json.items.length >= 40);
  assert.ok(r.json.items.every((e) => e.cluster_id === 1 && e.stage === 'upstream'));
  const mid = await officer.call('GET', '/api/v1/enterprises?cluster=1&stage=midstream&limit=500');
  assert.ok(mid.json.items.length >= 30);
  const tagged = await officer.call('GET', `/api/v1/enterprises?tag=${encodeURIComponent('招商引进')}&limit=500`);
  assert.equal(tagged.json.items.length, 84);
  // Pages of 7 by descending employees: no row twice, none missing, in order.
  const seen = new Set(); let last = Infinity; let cursor = null; let pages = 0; let first = null;
  do {
    const p = await officer.call('GET', `/api/v1/enterprises?sort=-employees&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(p.status, 200);
    first ??= p.json.next;
    for (const e of p.json.items) {
      assert.ok(!seen.has(e.id), `id ${e.id} twice`);
      seen.add(e.id);
      const v = e.employees ?? -1;
      assert.ok(v <= last, 'sorted');
      last = v;
    }
    cursor = p.json.next; pages++;
  } while (cursor && pages < 100);
  assert.equal(seen.size, 274);
  const byName = await officer.call('GET', '/api/v1/enterprises?sort=name&limit=3');
  assert.equal(byName.status, 200);
  // A well-formed cursor of the descending-employees order, in another
  // order: refused as such (not as malformed).
  assert.ok(first, 'the first page has a cursor');
  for (const sort of ['id', 'employees', 'name']) {
    const mismatch = await officer.call('GET', `/api/v1/enterprises?sort=${sort}&cursor=${first}`);
    assert.equal(mismatch.status, 400, sort);
    assert.equal(mismatch.json.error.code, 'cursor_mismatch', sort);
  }
  const same = await officer.call('GET', `/api/v1/enterprises?sort=-employees&limit=7&cursor=${first}`);
  assert.equal(same.status, 200);
});

test('bad query parameters name the parameter', async () => {
  for (const [qs, field] of [['stage=top', 'stage'], ['size=huge', 'size'], ['limit=0', 'limit'],
    ['limit=abc', 'limit'], ['sort=colour', 'sort'], ['cluster=x', 'cluster'], ['cursor=%21%21', 'cursor'],
    ['status=gone', 'status'], ['located=mars', 'located']]) {
    const r = await officer.call('GET', `/api/v1/enterprises?${qs}`);
    assert.equal(r.status, 400, qs);
    assert.equal(r.json.error.field, field, qs);
  }
});

test('create, read with ETag, update with If-Match, retire, all audited', async () => {
  const before = await auditCount();
  const body = { ...base, uscc: uscc('10000001') };
  const c = await officer.call('POST', '/api/v1/enterprises', body);
  assert.equal(c.status, 201, c.text);
  assert.match(c.headers.get('location'), /^\/api\/v1\/enterprises\/\d+$/);
  assert.equal(c.headers.get('etag'), '"v1"');
  const id = c.json.id;
  const g = await officer.call('GET', `/api/v1/enterprises/${id}`);
  assert.equal(g.status, 200);
  assert.equal(g.json.name_zh, base.name_zh);
  assert.equal(g.json.contacts[0].phone, '13812345678');
  assert.deepEqual(g.json.tags, ['招商引进']);

  const u = await officer.call('PATCH', `/api/v1/enterprises/${id}`, { employees: 60, tags: ['高新技术企业', '专精特新'] },
    { 'If-Match': g.headers.get('etag') });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.employees, 60);
  assert.equal(u.json.version, 2);
  assert.equal(u.headers.get('etag'), '"v2"');

  const rt = await officer.call('POST', `/api/v1/enterprises/${id}/retire`, { status: 'moved_out', reason: '迁往嘉兴' });
  assert.equal(rt.status, 200, rt.text);
  assert.equal(rt.json.status, 'moved_out');
  assert.equal(rt.json.status_reason, '迁往嘉兴');
  const again = await officer.call('POST', `/api/v1/enterprises/${id}/retire`, { status: 'moved_out', reason: 'x' });
  assert.equal(again.status, 409);

  const a = await admin.call('GET', `/api/v1/audit?entity=enterprise&entity_id=${id}`);
  assert.deepEqual(a.json.items.map((x) => x.action), ['retire', 'update', 'create']);
  const upd = a.json.items[1];
  assert.equal(upd.before.employees, 42);
  assert.equal(upd.after.employees, 60);
  assert.equal(upd.username, 'officer');
  assert.equal(await auditCount(), before + 3);
});

test('each class of bad input is refused and nothing is written', async () => {
  const n0 = await count();
  const a0 = await auditCount();
  const post = (body, headers) => officer.call('POST', '/api/v1/enterprises', body, headers);

  // malformed JSON: 400 with line and column
  let r = await post('{"uscc": "x",\n  "name_zh": }');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'malformed_json');
  assert.equal(r.json.error.line, 2);
  assert.ok(r.json.error.column > 0);
  r = await post('[1,2]');
  assert.equal(r.status, 400);
  r = await post('');
  assert.equal(r.status, 400);
  r = await post('{"a":1}', { 'Content-Type': 'text/plain' });
  assert.equal(r.status, 415);
  // no type at all: what a cross-site no-cors request sends
  const untyped = await fetch(`${srv.url}/api/v1/session`, { method: 'POST', body: new Blob(['{"username":"officer","password":"qunyan2024"}']) });
  assert.equal(untyped.status, 415);

  // wrong types
  r = await post({ ...base, uscc: uscc('10000002'), employees: 'many' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'employees');
  assert.match(r.json.error.message, /whole number/);
  r = await post({ ...base, uscc: uscc('10000002'), lon: '121' });
  assert.equal(r.json.error.field, 'lon');
  r = await post({ ...base, uscc: uscc('10000002'), tags: 'a' });
  assert.equal(r.json.error.field, 'tags');
  r = await post({ ...base, uscc: uscc('10000002'), employees: 1.5 });
  assert.equal(r.status, 422);

  // missing fields: every one is listed
  r = await post({ name_zh: '缺字段' });
  assert.equal(r.status, 422);
  const fields = r.json.error.errors.map((e) => e.field);
  assert.ok(fields.includes('uscc') && fields.includes('industry'), fields.join());

  // invalid values, several at once
  r = await post({ ...base, uscc: uscc('10000002'), industry: '9999', founded: '2023-02-29', lat: 91, stage: 'top' });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.errors.map((e) => e.field).sort(), ['founded', 'industry', 'lat', 'stage']);

  // invalid USCC names the expected check character
  const good = uscc('10000003');
  const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
  r = await post({ ...base, uscc: wrong });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'invalid_uscc');
  assert.ok(r.json.error.message.includes(`expected '${good[17]}'`), r.json.error.message);
  r = await post({ ...base, uscc: '91310116ABCDEFGIO1' });
  assert.equal(r.status, 422);

  // only an officer may override a failing check, and then it is audited
  r = await admin.call('POST', '/api/v1/enterprises', { ...base, uscc: wrong, uscc_override: true });
  assert.equal(r.status, 403);

  // unknown field and unknown cluster
  r = await post({ ...base, uscc: uscc('10000004'), colour: 'red' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'colour');
  r = await post({ ...base, uscc: uscc('10000004'), cluster_id: 99 });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'cluster_id');
  assert.equal(r.json.error.errors[0].field, 'cluster_id');
  r = await post({ ...base, uscc: uscc('10000004'), cluster_id: 0 });
  assert.equal(r.status, 422);
  // a bad field and a record-wide rule are reported together
  r = await post({ ...base, uscc: uscc('10000004').slice(0, 17) + 'Z', employees: -5, name_zh: null, name_en: null });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.errors.map((e) => e.field).sort(), ['employees', 'name_zh', 'uscc']);

  // duplicate USCC: 409
  const qifan = (await officer.call('GET', '/api/v1/enterprises/1')).json;
  r = await post({ ...base, uscc: qifan.uscc });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'duplicate_uscc');

  // huge body: 413, declared and undeclared (chunked) alike
  r = await post(JSON.stringify({ ...base, uscc: uscc('10000005'), address: 'x'.repeat(2 * 1024 * 1024) }));
  assert.equal(r.status, 413);
  const big = new ReadableStream({
    start(c) { for (let i = 0; i < 40; i++) c.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024))); c.close(); },
  });
  const res = await fetch(`${srv.url}/api/v1/enterprises`, {
    method: 'POST', body: big, duplex: 'half',
    headers: { Cookie: officer.cookie, 'X-CSRF-Token': officer.csrf, 'Content-Type': 'application/json' },
  }).catch((e) => ({ status: 'closed', e }));
  assert.ok(res.status === 413 || res.status === 'closed', `chunked: ${res.status}`);

  // unknown id: 404
  for (const id of ['999999', 'abc', '0', '-1']) {
    r = await officer.call('GET', `/api/v1/enterprises/${id}`);
    assert.equal(r.status, 404, id);
  }
  r = await officer.call('PATCH', '/api/v1/enterprises/999999', { employees: 1 }, { 'If-Match': '"v1"' });
  assert.equal(r.status, 404);

  // No CSRF token at all, an empty one, another session's: 403, and
  // nothing written.
  const before = (await officer.call('GET', `/api/v1/enterprises?q=${uscc('10000006')}`)).json.items.length;
  assert.equal(before, 0);
  const other = await login(srv.url, 'officer');
  for (const token of [null, '', 'f'.repeat(64), other.csrf]) {
    r = await officer.call('POST', '/api/v1/enterprises', { ...base, uscc: uscc('10000006') }, { 'X-CSRF-Token': token });
    assert.equal(r.status, 403, `token ${token}`);
    assert.equal(r.json.error.code, 'csrf_required');
  }
  assert.equal((await officer.call('GET', `/api/v1/enterprises?q=${uscc('10000006')}`)).json.items.length, before);

  // stale If-Match: 412; none: 428
  r = await officer.call('PATCH', '/api/v1/enterprises/2', { employees: 10 }, { 'If-Match': '"v99"' });
  assert.equal(r.status, 412);
  r = await officer.call('PATCH', '/api/v1/enterprises/2', { employees: 10 });
  assert.equal(r.status, 428);
  // status changes only through retire
  r = await officer.call('PATCH', '/api/v1/enterprises/2', { status: 'closed' }, { 'If-Match': '"v1"' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'use_retire');
  r = await officer.call('POST', '/api/v1/enterprises/2/retire', { status: 'closed' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'reason');
  r = await officer.call('POST', '/api/v1/enterprises/2/retire', { status: 'closed', reason: 'a\u0007b' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'reason');

  assert.equal(await count(), n0, 'no enterprise was added');
  assert.equal(await auditCount(), a0, 'no change was audited');
  const e2 = (await officer.call('GET', '/api/v1/enterprises/2')).json;
  assert.equal(e2.version, 1, 'enterprise 2 untouched');
});

test('a stale edit loses against a concurrent one', async () => {
  const g = await officer.call('GET', '/api/v1/enterprises/3');
  const etag = g.headers.get('etag');
  const one = await officer.call('PATCH', '/api/v1/enterprises/3', { employees: 11 }, { 'If-Match': etag });
  assert.equal(one.status, 200);
  const two = await officer.call('PATCH', '/api/v1/enterprises/3', { employees: 12 }, { 'If-Match': etag });
  assert.equal(two.status, 412);
  assert.equal((await officer.call('GET', '/api/v1/enterprises/3')).json.employees, 11);
});

test('roles and scopes', async () => {
  const anon = await fetch(`${srv.url}/api/v1/enterprises`);
  assert.equal(anon.status, 401);
  const qifan = await login(srv.url, 'qifan');
  assert.equal(qifan.user.role, 'enterprise');
  // an enterprise contact sees only its own record
  const list = await qifan.call('GET', '/api/v1/enterprises?limit=500');
  assert.deepEqual(list.json.items.map((e) => e.id), [qifan.user.enterprise_id]);
  assert.equal((await qifan.call('GET', '/api/v1/enterprises/2')).status, 403);
  const r403 = await qifan.call('PATCH', '/api/v1/enterprises/2', { employees: 5 }, { 'If-Match': '"v1"' });
  assert.equal(r403.status, 403);
  assert.equal((await officer.call('GET', '/api/v1/enterprises/2')).json.version, 1);
  // and may change its own employees but not its name
  const own = await qifan.call('GET', `/api/v1/enterprises/${qifan.user.enterprise_id}`);
  assert.equal(own.status, 200);
  const ok = await qifan.call('PATCH', `/api/v1/enterprises/${own.json.id}`, { employees: 2700 }, { 'If-Match': own.headers.get('etag') });
  assert.equal(ok.status, 200, ok.text);
  const name = await qifan.call('PATCH', `/api/v1/enterprises/${own.json.id}`, { name_en: 'X' }, { 'If-Match': ok.headers.get('etag') });
  assert.equal(name.status, 403);
  assert.equal(name.json.error.field, 'name_en');
  assert.equal((await qifan.call('POST', '/api/v1/enterprises', { ...base, uscc: uscc('10000007') })).status, 403);

  // grid workers and handlers read, with contacts masked
  const grid = await login(srv.url, 'grid');
  const g = await grid.call('GET', '/api/v1/enterprises/1');
  assert.equal(g.status, 200);
  assert.match(g.json.contacts[0].phone, /^\d{3}\*{4}\d{4}$/);
  assert.match(g.json.contacts[0].email, /^.\*\*\*@/);
  assert.equal((await grid.call('POST', '/api/v1/enterprises', { ...base, uscc: uscc('10000008') })).status, 403);
  assert.equal((await grid.call('POST', '/api/v1/enterprises/1/retire', { status: 'closed', reason: 'x' })).status, 403);
  const handler = await login(srv.url, 'handler');
  assert.match((await handler.call('GET', '/api/v1/enterprises/1')).json.contacts[0].phone, /\*{4}/);
  const off = await officer.call('GET', '/api/v1/enterprises/1');
  assert.match(off.json.contacts[0].phone, /^\d{11}$/);

  // a secretary keeps its own cluster only
  const sec = await login(srv.url, 'secretary');
  const inCluster = (await sec.call('GET', '/api/v1/enterprises?cluster=1&limit=1')).json.items[0];
  const other = (await sec.call('GET', '/api/v1/enterprises?cluster=2&limit=1')).json.items[0];
  const g1 = await sec.call('GET', `/api/v1/enterprises/${inCluster.id}`);
  assert.match(g1.json.contacts[0].phone, /^\d{11}$/);
  const p1 = await sec.call('PATCH', `/api/v1/enterprises/${inCluster.id}`, { address: '上海市金山区张堰镇荣威路2号' }, { 'If-Match': g1.headers.get('etag') });
  assert.equal(p1.status, 200);
  const g2 = await sec.call('GET', `/api/v1/enterprises/${other.id}`);
  assert.match(g2.json.contacts[0].phone, /\*{4}/);
  assert.equal((await sec.call('PATCH', `/api/v1/enterprises/${other.id}`, { address: 'x' }, { 'If-Match': g2.headers.get('etag') })).status, 403);
  const moved = await sec.call('PATCH', `/api/v1/enterprises/${inCluster.id}`, { cluster_id: 2 }, { 'If-Match': p1.headers.get('etag') });
  assert.equal(moved.status, 403);
  assert.equal(moved.json.error.field, 'cluster_id');

  // the audit log is the admin's
  assert.equal((await officer.call('GET', '/api/v1/audit')).status, 403);
  assert.equal((await admin.call('GET', '/api/v1/audit')).status, 200);
});

test('an officer may accept a code that fails its check, with the reason, audited as such', async () => {
  const good = uscc('10000009');
  const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
  // The reason is required, blanks are none, and it goes only with the override.
  let r = await officer.call('POST', '/api/v1/enterprises', { ...base, uscc: bad, uscc_override: true });
  assert.equal(r.status, 422, r.text);
  assert.deepEqual([r.json.error.code, r.json.error.field], ['reason_required', 'uscc_override_reason']);
  r = await officer.call('POST', '/api/v1/enterprises', { ...base, uscc: bad, uscc_override: true, uscc_override_reason: '  ' });
  assert.equal(r.json.error.code, 'reason_required');
  r = await officer.call('POST', '/api/v1/enterprises', { ...base, uscc: uscc('10000010'), uscc_override_reason: '营业执照原件已核' });
  assert.deepEqual([r.status, r.json.error.code, r.json.error.field], [422, 'unknown_field', 'uscc_override_reason']);
  const why = '营业执照原件已核，代码为2015年前颁发';
  r = await officer.call('POST', '/api/v1/enterprises', { ...base, uscc: bad, uscc_override: true, uscc_override_reason: why });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.uscc_override, true);
  const a = await admin.call('GET', `/api/v1/audit?entity=enterprise&entity_id=${r.json.id}`);
  const actions = a.json.items.map((x) => x.action);
  assert.ok(actions.includes('create_with_uscc_override'), actions.join());
  const o = a.json.items.find((x) => x.action === 'uscc_override');
  assert.deepEqual(o.after, { uscc: bad, reason: why });
  // Setting the override later on an update asks for its reason too.
  const e2 = (await officer.call('POST', '/api/v1/enterprises', { ...base, uscc: uscc('10000011') })).json;
  const etag = `"v${e2.version}"`;
  const bad2 = uscc('10000012').slice(0, 17) + (uscc('10000012')[17] === '0' ? '1' : '0');
  r = await officer.call('PATCH', `/api/v1/enterprises/${e2.id}`, { uscc: bad2, uscc_override: true }, { 'If-Match': etag });
  assert.deepEqual([r.status, r.json.error.code], [422, 'reason_required']);
  r = await officer.call('PATCH', `/api/v1/enterprises/${e2.id}`, { uscc: bad2, uscc_override: true, uscc_override_reason: why }, { 'If-Match': etag });
  assert.equal(r.status, 200, r.text);
  const a2 = await admin.call('GET', `/api/v1/audit?entity=enterprise&entity_id=${e2.id}`);
  assert.ok(a2.json.items.some((x) => x.action === 'uscc_override' && x.after.reason === why));
});

test('API keys authenticate machine clients without CSRF', async () => {
  const { cli } = await import('../lib/server.mjs');
  const k = cli(['user', 'key', 'officer', '--db', srv.db, '--label', 'test']);
  assert.equal(k.status, 0, k.stderr);
  const key = k.stdout.trim();
  assert.match(key, /^[0-9a-f]{64}$/);
  const r = await fetch(`${srv.url}/api/v1/enterprises/1`, { headers: { Authorization: `Bearer ${key}` } });
  assert.equal(r.status, 200);
  const w = await fetch(`${srv.url}/api/v1/enterprises/1/retire`, {
    method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ status: 'active', reason: 'x' }),
  });
  assert.equal(w.status, 409); // already active: got past authentication and CSRF
  const bad = await fetch(`${srv.url}/api/v1/enterprises/1`, { headers: { Authorization: 'Bearer nope' } });
  assert.equal(bad.status, 401);
  const basic = await fetch(`${srv.url}/api/v1/enterprises/1`, { headers: { Authorization: 'Basic eDp5' } });
  assert.equal(basic.status, 401);
});
