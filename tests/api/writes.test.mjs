// Every write of a request runs on the writer thread: /healthz counts
// the writer's jobs, which grow by one per request that writes (whatever
// its answer, once it passed sign-in and the CSRF check) and not at all
// for reads.  The handler reads what the request said (path, body,
// headers, cookies) from a copy, since its connection is suspended; and
// writes from 32 clients at once all land, each in order.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { start, login } from '../lib/server.mjs';

let srv;
let officer;

before(async () => {
  srv = await start();
  officer = await login(srv.url, 'officer');
});
after(async () => srv && srv.stop());

const health = async () => (await (await fetch(`${srv.url}/healthz`)).json()).database;
const jobs = async () => (await health()).writes;

test('every write is one job of the writer; reads and refusals before the handler are none', async () => {
  const w0 = await jobs();
  let n = 0;
  const write = async (method, path, body, headers, status) => {
    const r = await officer.call(method, path, body, headers);
    assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
    n++;
    return r;
  };

  // A change, with If-Match read from the copied headers.
  let r = await write('PATCH', '/api/v1/enterprises/2', { employees: 321 }, { 'If-Match': '*' }, 200);
  const etag = r.headers.get('etag');
  assert.equal(r.json.employees, 321);
  r = await write('PATCH', '/api/v1/enterprises/2', { employees: 322 }, { 'If-Match': '"v1"' }, 412);
  assert.equal(r.json.error.code, 'stale_version');
  r = await write('PATCH', '/api/v1/enterprises/2', { employees: 323 }, { 'If-Match': etag }, 200);
  assert.equal(r.json.employees, 323);
  // Refused by the handler: a job all the same, and nothing written.
  r = await write('PATCH', '/api/v1/enterprises/2', { employees: -5 }, { 'If-Match': '*' }, 422);
  assert.equal((await officer.call('GET', '/api/v1/enterprises/2')).json.employees, 323);
  // The handler tells products from needs by the path.
  const m = (await officer.call('GET', '/api/v1/clusters/1/chain')).json;
  const resin = m.nodes.find((x) => x.code === 'coating_resin');
  await write('PUT', `/api/v1/enterprises/3/needs/${resin.id}`, { annual_need: 7 }, {}, 200);
  await write('PUT', `/api/v1/enterprises/3/products/${resin.id}`, { capacity: 500 }, {}, 200);
  assert.equal((await officer.call('GET', '/api/v1/clusters/1/chain')).json.nodes.find((x) => x.code === 'coating_resin').state, 'covered');
  await write('DELETE', `/api/v1/enterprises/3/products/${resin.id}`, undefined, {}, 200);
  assert.equal((await officer.call('GET', '/api/v1/clusters/1/chain')).json.nodes.find((x) => x.code === 'coating_resin').state, 'gap');
  r = await write('POST', '/api/v1/leads', { name: `写入测试涂料有限公司 ${process.pid}`, node_id: resin.id, contacted_on: '2024-09-01' }, {}, 201);
  assert.match(r.headers.get('location') || '', /\/api\/v1\/leads\/\d+$/);
  await write('POST', `/api/v1/leads/${r.json.id}/stage`, { stage: 'visited' }, {}, 200);
  // The intakes queue their own write: one job each too.
  r = await write('POST', '/api/v1/cases', { kind: 'problem', category: 'land', text: `写入线程 ${Date.now()}` }, {}, 201);
  await write('POST', `/api/v1/cases/${r.json.case.id}/transition`, { to: 'accepted' }, {}, 200);
  const pub = await fetch(`${srv.url}/api/v1/public/cases`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'suggestion', category: 'community', text: `公众建议 ${Date.now()}` }),
  });
  assert.equal(pub.status, 201);
  n++;

  // Reads, and writes refused before their handler (no CSRF token, not
  // signed in), are not jobs.
  await officer.call('GET', '/api/v1/enterprises?limit=5');
  assert.equal((await officer.call('PATCH', '/api/v1/enterprises/2', { employees: 1 }, { 'If-Match': '*', 'X-CSRF-Token': 'wrong' })).status, 403);
  assert.equal((await fetch(`${srv.url}/api/v1/enterprises/2`, { method: 'PATCH', body: '{}' })).status, 401);
  assert.equal(await jobs() - w0, n);
});

test('sign-out reads its cookie from the copy and ends the session', async () => {
  const c = await login(srv.url, 'officer');
  const w0 = await jobs();
  const r = await c.call('DELETE', '/api/v1/session');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('set-cookie'), /qy_session=;/);
  assert.equal(await jobs() - w0, 1);
  const me = await c.call('GET', '/api/v1/session');
  assert.equal(me.json.user, null);
});

test('32 clients writing at once: every write lands, each in its order', async () => {
  const CLIENTS = 32;
  const EACH = 5;
  const ids = Array.from({ length: CLIENTS }, (_, i) => i + 10);
  const startOf = new Map();
  for (const id of ids) startOf.set(id, (await officer.call('GET', `/api/v1/enterprises/${id}`)).json.version);
  const w0 = await health();
  // Each client edits its own enterprise with If-Match (so a write that
  // overtook another would be refused) and all of them one shared
  // enterprise, last writer wins.
  await Promise.all(ids.map(async (id, k) => {
    let etag = (await officer.call('GET', `/api/v1/enterprises/${id}`)).headers.get('etag');
    for (let i = 1; i <= EACH; i++) {
      const r = await officer.call('PATCH', `/api/v1/enterprises/${id}`, { employees: 1000 + i }, { 'If-Match': etag });
      assert.equal(r.status, 200, r.text);
      etag = r.headers.get('etag');
      const s = await officer.call('PATCH', '/api/v1/enterprises/5', { employees: 5000 + k }, { 'If-Match': '*' });
      assert.equal(s.status, 200, s.text);
    }
  }));
  for (const id of ids) {
    const e = (await officer.call('GET', `/api/v1/enterprises/${id}`)).json;
    assert.equal(e.employees, 1000 + EACH);
    assert.equal(e.version, startOf.get(id) + EACH);
  }
  const w1 = await health();
  assert.equal(w1.writes - w0.writes, 2 * CLIENTS * EACH);
  // Several writes share a commit (one fsync): never more commits than
  // writes.
  assert.ok(w1.commits - w0.commits <= w1.writes - w0.writes);
});

test('writes refused inside a group of jobs undo only themselves; the others land', async () => {
  // At once: distinct suggestions, one suggestion sent eight times with one
  // Idempotency-Key (one case, seven replays) and edits with a stale
  // If-Match (refused after the job has read).  The writer runs them in
  // groups of jobs, each job in a savepoint of the group's transaction.
  const tag = `${process.pid}-${Date.now()}`;
  const suggest = (text, headers = {}) => fetch(`${srv.url}/api/v1/public/cases`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ kind: 'suggestion', category: 'community', street: '九里亭街道', text }),
  }).then(async (r) => ({ status: r.status, json: await r.json() }));
  const before = (await officer.call('GET', '/api/v1/enterprises/7')).json.version;
  const w0 = await health();
  const [distinct, keyed, stale] = await Promise.all([
    Promise.all(Array.from({ length: 16 }, (_, i) => suggest(`小区第${i}号楼门口的路灯不亮了 ${tag}`))),
    Promise.all(Array.from({ length: 8 }, () => suggest(`菜场旁的垃圾桶满了 ${tag}`, { 'Idempotency-Key': `group-${tag}` }))),
    Promise.all(Array.from({ length: 8 }, (_, i) =>
      officer.call('PATCH', '/api/v1/enterprises/7', { employees: 700 + i }, { 'If-Match': '"v999"' }))),
  ]);
  for (const r of distinct) assert.equal(r.status, 201, JSON.stringify(r.json));
  assert.equal(new Set(distinct.map((r) => r.json.case.id)).size, 16);
  assert.deepEqual(keyed.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
  assert.equal(new Set(keyed.map((r) => r.json.case.id)).size, 1, 'one case for the key');
  for (const r of stale) assert.equal(r.status, 412, r.text);
  assert.equal((await officer.call('GET', '/api/v1/enterprises/7')).json.version, before);
  // Every case acknowledged is there, once, as it was answered.
  for (const r of [...distinct, keyed.find((k) => k.status === 201)]) {
    const got = await fetch(`${srv.url}/api/v1/public/cases/${r.json.tracking_code}`);
    assert.equal(got.status, 200);
    assert.equal((await got.json()).case.text, r.json.case.text);
  }
  const w1 = await health();
  assert.equal(w1.writes - w0.writes, 32);
  assert.ok(w1.commits - w0.commits <= 32);
});
