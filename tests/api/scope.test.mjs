// Scope, against a real server: similar cases show only what the caller
// may read; cases, visits named in them and partner contacts are written
// only inside the writer's scope; an anonymous Idempotency-Key replays
// only its own request; Open311 tokens agree with requests/{id}; list
// filters outside the caller's scope are refused; numbers are read
// strictly, from queries, forms and paths alike.
import test from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { start, login, cli } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());

const names = ['admin', 'officer', 'secretary', 'secretary2', 'grid', 'grid2', 'handler', 'handler2', 'qifan'];
const as = {};
for (const n of names) as[n] = await login(srv.url, n);
const { admin, officer, secretary, secretary2, grid, grid2, handler, handler2, qifan } = as;

let serial = 0;
const uniq = () => `${Date.now().toString(36)}-${++serial}`;

// An anonymous request, from a chosen local address when given (the
// loopback network answers on every 127.x address).
function anon(method, path, body, headers = {}, localAddress) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body));
    const h = { ...headers };
    if (payload !== undefined) {
      h['Content-Type'] ??= 'application/json';
      h['Content-Length'] = Buffer.byteLength(payload);
    }
    const req = request(`${srv.url}${path}`, { method, headers: h, localAddress }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

const allCases = (await admin.call('GET', '/api/v1/cases?limit=500')).json.items;
const ents = (await admin.call('GET', '/api/v1/enterprises?limit=500')).json.items;
const ent = (id) => ents.find((e) => e.id === id);
// Enterprise 1 (Qifan Cable): cluster 1 (secretary's), grid ZY-W3 (grid's
// team), its contact qifan.  Enterprise 2: cluster 1, grid ZY-E1 (grid2's).
assert.equal(ent(1).cluster_id, 1);
assert.equal(ent(2).cluster_id, 1);
const gridsOf = async (client) => {
  const out = [];
  for (const g of (await admin.call('GET', '/api/v1/grids')).json.items) {
    if ((await admin.call('GET', `/api/v1/grids/${g.id}`)).json.members.includes(client.user.id)) out.push(g.id);
  }
  return out;
};
const gridMine = await gridsOf(grid);
const grid2Mine = await gridsOf(grid2);
assert.ok(gridMine.includes(ent(1).grid_id) && !gridMine.includes(ent(2).grid_id), 'enterprise 1 is grid\'s, 2 is not');
assert.ok(grid2Mine.includes(ent(2).grid_id), 'enterprise 2 is grid2\'s');
// An enterprise of another cluster, placed outside grid's cells.
const foreign = ents.find((e) => e.cluster_id === 2 && e.grid_id && !gridMine.includes(e.grid_id));
assert.ok(foreign, 'the demo has an enterprise of cluster 2 outside grid\'s cells');

// ---------------------------------------------------------------------
// 1. Similar cases

test('similar cases show only cases the caller may read, for every role; the public variant only public ones', async () => {
  const open = allCases.filter((c) => c.status === 'open' && !c.merged_into);
  // Open cases of every scope: enterprises', residents', each department's.
  const probes = [
    open.find((c) => c.enterprise?.id === 2),
    open.find((c) => c.enterprise?.id === 1),
    open.find((c) => c.enterprise && c.enterprise.id !== 1 && c.enterprise.id !== 2),
    open.find((c) => c.public && c.department.name === '社区管理办'),
    open.find((c) => !c.enterprise && !c.public),
  ].filter(Boolean);
  assert.ok(probes.length >= 4, 'the demo has open cases of every scope');
  const other = probes[0];
  for (const [name, client] of Object.entries(as)) {
    for (const p of probes) {
      const r = await client.call('GET', `/api/v1/cases/similar?text=${encodeURIComponent(p.text)}`);
      assert.equal(r.status, 200, `${name}: ${r.text}`);
      for (const hit of r.json.similar) {
        const g = await client.call('GET', `/api/v1/cases/${hit.id}`);
        assert.equal(g.status, 200, `${name} was shown case ${hit.id}, which it may not open`);
      }
      const mayRead = (await client.call('GET', `/api/v1/cases/${p.id}`)).status === 200;
      assert.equal(r.json.similar.some((h) => h.id === p.id), mayRead,
        `${name}: case ${p.id} (its own text) is shown exactly when it may be read`);
    }
  }
  // The contact of enterprise 1 does not see enterprise 2's problem.
  const r = await qifan.call('GET', `/api/v1/cases/similar?text=${encodeURIComponent(other.text)}`);
  assert.ok(!r.json.similar.some((h) => h.id === other.id), r.text);
  assert.ok(!r.text.includes(other.text.slice(0, 20)), 'nor its text');
  // The public variant: public cases only, whoever asks.
  for (const client of [null, officer, handler]) {
    for (const p of probes) {
      const path = `/api/v1/public/similar?text=${encodeURIComponent(p.text)}`;
      const res = client ? await client.call('GET', path) : await anon('GET', path);
      assert.equal(res.status, 200, res.text);
      const publicIds = new Set(allCases.filter((c) => c.public).map((c) => c.id));
      for (const hit of res.json.similar) assert.ok(publicIds.has(hit.id), `public similar showed case ${hit.id}`);
      assert.equal(res.json.similar.some((h) => h.id === p.id), p.public);
    }
  }
  // Without a session the staff variant is 401.
  assert.equal((await anon('GET', '/api/v1/cases/similar?text=x')).status, 401);
  // The intake's answer and a case's page list similar cases by the same rule.
  const made = await qifan.call('POST', '/api/v1/cases', { kind: 'problem', category: other.category.code, text: other.text });
  assert.equal(made.status, 201, made.text);
  assert.ok(!made.json.similar.some((h) => h.id === other.id), `intake: ${JSON.stringify(made.json.similar)}`);
  const page = await qifan.call('GET', `/api/v1/cases/${made.json.case.id}`);
  assert.ok(!page.json.similar.some((h) => h.id === other.id), `case page: ${JSON.stringify(page.json.similar)}`);
  assert.ok((await officer.call('GET', `/api/v1/cases/${made.json.case.id}`)).json.similar.some((h) => h.id === other.id),
    'an officer, who reads both, is shown the duplicate');
});

// ---------------------------------------------------------------------
// 2. Scope of writes

const problem = (fields) => ({ kind: 'problem', category: 'land', text: `扩产用地 ${uniq()}`, ...fields });

test('a grid worker raises cases only for enterprises in its grids, and names only their visits', async () => {
  let r = await grid.call('POST', '/api/v1/cases', problem({ enterprise_id: 2 }));
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.field, 'enterprise_id');
  assert.match(r.json.error.message, /only for the enterprises in its grids/);
  r = await grid.call('POST', '/api/v1/cases', problem({ enterprise_id: 1 }));
  assert.equal(r.status, 201, r.text);
  r = await grid.call('POST', '/api/v1/cases', problem({}));
  assert.equal(r.status, 201, 'a case naming no enterprise is still the grid worker\'s to raise');

  // A visit of another grid may not be named; the worker's own may.
  const theirs = await grid2.call('POST', '/api/v1/visits', { enterprise_id: 2, status: 'planned' });
  assert.equal(theirs.status, 201, theirs.text);
  assert.equal((await grid.call('POST', '/api/v1/visits', { enterprise_id: 2, status: 'planned' })).status, 403);
  r = await grid.call('POST', '/api/v1/cases', problem({ visit_id: theirs.json.id }));
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.field, 'visit_id');
  assert.match(r.json.error.message, /visits to the enterprises in its grids/);
  const mine = await grid.call('POST', '/api/v1/visits', { enterprise_id: 1, status: 'planned' });
  assert.equal(mine.status, 201, mine.text);
  r = await grid.call('POST', '/api/v1/cases', problem({ visit_id: mine.json.id }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.case.enterprise.id, 1, 'the visit names the enterprise');
  assert.equal(r.json.case.visit_id, mine.json.id);
  assert.equal(r.json.case.channel, 'grid_visit');
  // A visit and an enterprise that disagree, an unknown visit: the sender's mistakes.
  r = await officer.call('POST', '/api/v1/cases', problem({ visit_id: mine.json.id, enterprise_id: 2 }));
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.field, 'visit_id');
  r = await officer.call('POST', '/api/v1/cases', problem({ visit_id: 99999999 }));
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'unknown_visit');
  // Officers name any visit; secretaries, contacts none.
  assert.equal((await officer.call('POST', '/api/v1/cases', problem({ visit_id: theirs.json.id }))).status, 201);
  assert.equal((await secretary.call('POST', '/api/v1/cases', problem({ visit_id: mine.json.id }))).status, 403);
  assert.equal((await qifan.call('POST', '/api/v1/cases', problem({ visit_id: mine.json.id }))).status, 403);
});

test('a secretary raises cases only for its cluster\'s enterprises', async () => {
  let r = await secretary.call('POST', '/api/v1/cases', problem({ enterprise_id: foreign.id }));
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.field, 'enterprise_id');
  assert.match(r.json.error.message, /only for the enterprises of its cluster/);
  r = await secretary2.call('POST', '/api/v1/cases', problem({ enterprise_id: 1 }));
  assert.equal(r.status, 403, r.text);
  r = await secretary.call('POST', '/api/v1/cases', problem({ enterprise_id: 1 }));
  assert.equal(r.status, 201, r.text);
  r = await secretary2.call('POST', '/api/v1/cases', problem({ enterprise_id: foreign.id }));
  assert.equal(r.status, 201, r.text);
  // and what it raised, it reads
  assert.equal((await secretary2.call('GET', `/api/v1/cases/${r.json.case.id}`)).status, 200);
});

test('partner contacts are recorded only inside the recorder\'s scope; never by handlers or enterprise contacts', async () => {
  // A partner and a node that exist: the answer is then the scope's.
  const node = (await admin.call('GET', '/api/v1/clusters/1/chain')).json.nodes[0].id;
  const rec = (id) => ({ partner_id: id === 3 ? 4 : 3, node_id: node, role: 'supplier', note: '介绍' });
  const body1 = rec(1);
  const body2 = rec(2);
  const bodyF = rec(foreign.id);
  const cases = [
    [handler, 1, body1, 403], [handler2, 2, body2, 403],
    [grid, 1, body1, 201], [grid, 2, body2, 403], [grid2, 2, body2, 201], [grid2, 1, body1, 403],
    [secretary, 1, body1, 201], [secretary, foreign.id, bodyF, 403], [secretary2, 1, body1, 403], [secretary2, foreign.id, bodyF, 201],
    [qifan, 1, body1, 403], [qifan, 2, body2, 403],
    [officer, 2, body2, 201], [admin, foreign.id, bodyF, 201],
  ];
  for (const [client, id, body, want] of cases) {
    const r = await client.call('POST', `/api/v1/enterprises/${id}/partner-contacts`, body);
    assert.equal(r.status, want, `${client.user.username} for enterprise ${id}: ${r.text}`);
    if (want === 403) assert.match(r.json.error.message, /partner contacts/, r.text);
  }
});

// ---------------------------------------------------------------------
// 3. Idempotency for anonymous callers

test('an anonymous Idempotency-Key replays only the same request: same key, address and body', async () => {
  const key = `shared-${uniq()}`;
  const mine = { kind: 'suggestion', category: 'community', text: `建议增设休息座椅 ${uniq()}`, name: '王小明', phone: '13812345678' };
  const theirs = { kind: 'complaint', category: 'environment', text: `夜间施工噪音 ${uniq()}` };
  const a = await anon('POST', '/api/v1/public/cases', mine, { 'Idempotency-Key': key });
  assert.equal(a.status, 201, a.text);
  // Another resident happens on the same key: a case of their own, not
  // the first resident's case and tracking code.
  const b = await anon('POST', '/api/v1/public/cases', theirs, { 'Idempotency-Key': key });
  assert.equal(b.status, 201, b.text);
  assert.equal(b.json.replayed, false);
  assert.notEqual(b.json.case.id, a.json.case.id);
  assert.notEqual(b.json.tracking_code, a.json.tracking_code);
  assert.ok(!b.text.includes(a.json.tracking_code));
  // The same body and key from another address: another resident.
  const c = await anon('POST', '/api/v1/public/cases', mine, { 'Idempotency-Key': key }, '127.0.0.2');
  assert.equal(c.status, 201, c.text);
  assert.notEqual(c.json.tracking_code, a.json.tracking_code);
  // The first resident's own retry, byte for byte: the one case.
  const again = await anon('POST', '/api/v1/public/cases', mine, { 'Idempotency-Key': key });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.replayed, true);
  assert.equal(again.json.tracking_code, a.json.tracking_code);
  // A signed-in caller's key is its own, body or not.
  const ck = `console-${uniq()}`;
  const c1 = await officer.call('POST', '/api/v1/cases', problem({ enterprise_id: 3 }), { 'Idempotency-Key': ck });
  const c2 = await officer.call('POST', '/api/v1/cases', problem({ enterprise_id: 3 }), { 'Idempotency-Key': ck });
  assert.equal(c1.status, 201);
  assert.equal(c2.status, 200);
  assert.equal(c2.json.case.id, c1.json.case.id);
});

// ---------------------------------------------------------------------
// 4. Open311 tokens, and filters outside the caller's scope

test('Open311 tokens/{token} resolves exactly the requests that requests/{id} shows', async () => {
  const problemCase = allCases.find((c) => c.kind === 'problem');
  const publicCase = allCases.find((c) => c.public);
  for (const c of [problemCase, publicCase]) {
    const byId = await anon('GET', `/open311/v2/requests/${c.id}.json`);
    const byToken = await anon('GET', `/open311/v2/tokens/${c.tracking_code}.json`);
    assert.equal(byToken.status, byId.status, `case ${c.id}: tokens ${byToken.status}, requests ${byId.status}`);
    assert.equal(byId.status, c.public ? 200 : 404);
    if (c.public) assert.equal(byToken.json[0].service_request_id, String(c.id));
    else assert.ok(!byToken.text.includes(String(c.id)), byToken.text);
  }
});

test('a list filter outside the caller\'s scope is refused with 403 naming it', async () => {
  const depts = (await admin.call('GET', '/api/v1/departments')).json.items;
  const park = depts.find((d) => d.name === '经济园区');
  const community = depts.find((d) => d.name === '社区管理办');
  const foreignGrid = grid2Mine.find((g) => !gridMine.includes(g));
  const refused = [
    [handler, `department_id=${community.id}`, 'department_id'],
    [secretary, 'cluster_id=2', 'cluster_id'],
    [secretary, `enterprise_id=${foreign.id}`, 'enterprise_id'],
    [grid, `grid_id=${foreignGrid}`, 'grid_id'],
    [grid, 'enterprise_id=2', 'enterprise_id'],
    [qifan, 'enterprise_id=2', 'enterprise_id'],
    [qifan, 'cluster_id=2', 'cluster_id'],
    [qifan, `grid_id=${ent(1).grid_id}`, 'grid_id'],
  ];
  for (const [client, q, field] of refused) {
    const r = await client.call('GET', `/api/v1/cases?${q}`);
    assert.equal(r.status, 403, `${client.user.username} ?${q}: ${r.text}`);
    assert.equal(r.json.error.field, field);
    assert.ok(r.json.error.message.startsWith(`${field}:`), r.json.error.message);
  }
  const r = await grid.call('GET', `/api/v1/alerts?grid=${foreignGrid}`);
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.field, 'grid');
  // Inside the scope a filter narrows, as for those who see everything.
  const ok = [
    [handler, `department_id=${park.id}`], [secretary, 'cluster_id=1'], [secretary, 'enterprise_id=2'],
    [grid, `grid_id=${ent(1).grid_id}`], [grid, 'enterprise_id=1'], [qifan, 'enterprise_id=1'], [qifan, 'cluster_id=1'],
    [admin, 'cluster_id=2'], [admin, `grid_id=${foreignGrid}`], [officer, `department_id=${community.id}`],
  ];
  for (const [client, q] of ok) {
    const res = await client.call('GET', `/api/v1/cases?${q}&limit=500`);
    assert.equal(res.status, 200, `${client.user.username} ?${q}: ${res.text}`);
  }
  assert.equal((await grid.call('GET', `/api/v1/alerts?grid=${ent(1).grid_id}`)).status, 200);
  // The new filters narrow: a cluster's cases are its enterprises', a grid's those placed in it.
  const c2 = (await admin.call('GET', '/api/v1/cases?cluster_id=2&limit=500')).json.items;
  assert.ok(c2.length > 0 && c2.every((c) => c.enterprise && ent(c.enterprise.id).cluster_id === 2));
  const inGrid = (await admin.call('GET', `/api/v1/cases?grid_id=${ent(1).grid_id}&limit=500`)).json.items;
  assert.ok(inGrid.some((c) => c.enterprise?.id === 1));
  assert.ok(inGrid.every((c) => c.enterprise && ent(c.enterprise.id).grid_id === ent(1).grid_id));
});

// ---------------------------------------------------------------------
// 5. Numbers read strictly

test('numbers in queries, forms and paths are decimal: no nan, inf, hexadecimal, nor ids beyond 64 bits', async () => {
  for (const [lon, lat] of [['nan', '31'], ['inf', '31'], ['121', '-inf'], ['0x1p4', '31'], ['121', ' 31'], ['+121', '31'], ['121', 'NaN']]) {
    const r = await officer.call('GET', `/api/v1/cases/similar?text=x&lon=${encodeURIComponent(lon)}&lat=${encodeURIComponent(lat)}`);
    assert.equal(r.status, 400, `lon=${lon} lat=${lat}: ${r.text}`);
    assert.ok(['lon', 'lat'].includes(r.json.error.field));
  }
  assert.equal((await officer.call('GET', '/api/v1/cases/similar?text=x&lon=121.3&lat=30.8')).status, 200);
  assert.equal((await officer.call('GET', '/api/v1/cases/similar?text=x&lon=121.3')).status, 400, 'lon without lat');
  assert.equal((await anon('GET', '/api/v1/public/similar?text=x&lat=nan&lon=1')).status, 400);

  // Ids beyond 64 bits are no ids: refused naming what was sent, never clamped.
  const huge = '18446744073709551617';
  for (const path of [`/api/v1/enterprises/${huge}`, `/api/v1/cases/${huge}`, `/api/v1/grids/${huge}`, '/api/v1/enterprises/9223372036854775808']) {
    const r = await admin.call('GET', path);
    assert.equal(r.status, 404, `${path}: ${r.text}`);
    assert.equal(r.json.error.field, 'id');
    assert.ok(!r.text.includes('9223372036854775807 ') && !/id 9223372036854775807/.test(r.text), `clamped: ${r.text}`);
    assert.ok(r.json.error.message.includes(path.split('/').pop()), r.text);
  }
  for (const q of [`after=${huge}`, 'after=99999999999999999999', 'category_id=0x10', 'limit=1e2', 'limit= 5', 'point_id=+3']) {
    const r = await admin.call('GET', `/api/v1/cases?${q}`);
    assert.equal(r.status, 400, `?${q}: ${r.text}`);
    assert.equal(r.json.error.field, q.split('=')[0]);
  }
  for (const q of [`cluster=${huge}`, 'grid=0x7', 'limit=10.0']) {
    const r = await admin.call('GET', `/api/v1/enterprises?${q}`);
    assert.equal(r.status, 400, `?${q}: ${r.text}`);
  }

  // Open311: the same rule for lat and long, number attributes and ids.
  const key = cli(['user', 'key', 'officer', '--db', srv.db]).stdout.trim().split(/\s+/).pop();
  const post = (fields) => anon('POST', '/open311/v2/requests.json',
    new URLSearchParams({ api_key: key, service_code: 'road_lighting', description: `路灯 ${uniq()}`, ...fields }).toString(),
    { 'Content-Type': 'application/x-www-form-urlencoded' });
  for (const [lat, long] of [['0x1p4', '121.3'], ['30.8', '0x79'], ['nan', '121'], ['30.8', 'infinity'], ['30.8', ' 121.3']]) {
    const r = await post({ lat, long });
    assert.equal(r.status, 400, `lat=${lat} long=${long}: ${r.text}`);
  }
  const good = await post({ lat: '30.8031', long: '121.2915' });
  assert.equal(good.status, 201, good.text);
  const exp = await post({ lat: '3.08031e1', long: '121.2915' });
  assert.equal(exp.status, 201, `an exponent is a decimal number: ${exp.text}`);
  let r = await anon('GET', `/open311/v2/requests.json?service_request_id=${huge}`);
  assert.equal(r.status, 400, r.text);
  r = await anon('GET', `/open311/v2/requests/${huge}.json`);
  assert.equal(r.status, 404, r.text);
  r = await anon('GET', `/open311/v2/requests.json?service_request_id=${good.json[0].service_request_id}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.length, 1);
});
