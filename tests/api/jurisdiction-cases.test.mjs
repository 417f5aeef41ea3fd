// Cases under jurisdictions: every list, statistic, export, search and
// Open311 answer returns exactly the records of the caller's scope (or of
// the jurisdiction= it names), compared with an independent count: the
// whole-tree officer's list filtered by the subtree that the tree of GET
// /api/v1/jurisdictions gives.  Scopes: Jinshan (a district), Zhangyan and
// Zhujing (its towns), Jiuliting (a street of another district), the whole
// tree.
import test from 'node:test';
import assert from 'node:assert/strict';
import { cli, start, login } from '../lib/server.mjs';

const srv = await start({ args: ['--intake-per-ip', '0'] });
test.after(() => srv.stop());

const ZY = '310116103', ZJ = '310116101', JLT = '310117011', JS = '310116';
const officer = await login(srv.url, 'officer');
const admin = await login(srv.url, 'admin');
const scoped = {
  [JS]: await login(srv.url, 'officer.jinshan'),
  [ZY]: await login(srv.url, 'officer.zhangyan'),
  [ZJ]: await login(srv.url, 'officer.zhujing'),
  [JLT]: await login(srv.url, 'officer.jiuliting'),
};

const tree = (await officer.call('GET', '/api/v1/jurisdictions')).json.items;
const byCode = (code) => tree.find((j) => j.code === code);
// The ids of a node and every node under it, from the parent links alone.
function subtree(code) {
  const out = new Set([byCode(code).id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const j of tree) if (out.has(j.parent_id) && !out.has(j.id)) { out.add(j.id); grew = true; }
  }
  return out;
}

let seq = 0;
const uniq = () => `${process.pid}-${++seq}`;

// Every page of a list of cases.
async function allCases(client, query = '') {
  const out = [];
  let after = '';
  for (;;) {
    const r = await client.call('GET', `/api/v1/cases?limit=500${query}${after}`);
    assert.equal(r.status, 200, r.text);
    out.push(...r.json.items);
    if (!r.json.next) return out;
    after = `&after=${r.json.next}`;
  }
}
const ids = (list) => list.map((c) => c.id).sort((a, b) => a - b);

// A CSV of the export, as rows of cells (RFC 4180 quoting); a decoder
// has dropped its byte-order mark, or not.
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = text.charCodeAt(0) === 0xFEFF ? 1 : 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += ch;
  }
  return rows;
}

async function open311(resource, params = {}, headers = {}) {
  const q = new URLSearchParams(params).toString();
  const res = await fetch(`${srv.url}/open311/v2/${resource}.json${q ? `?${q}` : ''}`, { headers });
  const text = await res.text();
  return { status: res.status, text, data: JSON.parse(text) };
}

// Cases in every scope, public ones among them: a complaint entered by
// each town's officer lies in its town.
for (const code of [ZY, ZJ, JLT]) {
  const r = await scoped[code].call('POST', '/api/v1/cases', { kind: 'complaint', category: 'environment', text: `垃圾清运不及时 ${code} ${uniq()}` });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.case.jurisdiction.code, code);
}
const whole = await allCases(officer);
const jurOf = new Map(whole.map((c) => [c.id, c.jurisdiction.id]));
const inScope = (code) => whole.filter((c) => subtree(code).has(c.jurisdiction.id));

test('every case lies in a jurisdiction, and the demo\'s lie in more than one', () => {
  assert.ok(whole.every((c) => c.jurisdiction && byCode(c.jurisdiction.code)), 'each names a node of the tree');
  for (const code of [JS, ZY, ZJ, JLT]) assert.ok(inScope(code).length > 0, `cases in ${code}`);
  assert.ok(inScope(JLT).length + inScope(JS).length <= whole.length);
});

test('case lists: each scope exactly its records, by the account or by jurisdiction=', async () => {
  for (const code of [JS, ZY, ZJ, JLT]) {
    const want = ids(inScope(code));
    assert.deepEqual(ids(await allCases(scoped[code])), want, `officer of ${code}`);
    assert.deepEqual(ids(await allCases(officer, `&jurisdiction=${code}`)), want, `officer, jurisdiction=${code}`);
    assert.deepEqual(ids(await allCases(officer, `&jurisdiction=${byCode(code).id}`)), want, `by id ${code}`);
  }
  // a district narrows to its towns, and filters still narrow
  assert.deepEqual(ids(await allCases(scoped[JS], `&jurisdiction=${ZY}`)), ids(inScope(ZY)));
  const open = await allCases(scoped[JLT], '&status=open');
  assert.deepEqual(ids(open), ids(inScope(JLT).filter((c) => c.status === 'open')));
  // nothing outside: 403 naming the filter, and an unknown node 422
  const out = await scoped[ZY].call('GET', `/api/v1/cases?jurisdiction=${JLT}`);
  assert.equal(out.status, 403, out.text);
  assert.equal(out.json.error.code, 'outside_scope');
  assert.equal(out.json.error.field, 'jurisdiction');
  const bad = await officer.call('GET', '/api/v1/cases?jurisdiction=123456789');
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.json.error.code, 'unknown_jurisdiction');
  // one case outside reads as absent; inside, it reads
  const jlt = inScope(JLT)[0];
  for (const code of [JS, ZY, ZJ]) assert.equal((await scoped[code].call('GET', `/api/v1/cases/${jlt.id}`)).status, 404, code);
  assert.equal((await scoped[JLT].call('GET', `/api/v1/cases/${jlt.id}`)).status, 200);
  assert.equal((await scoped[JS].call('GET', `/api/v1/cases/${jlt.id}/transfers`)).status, 404);
  // nor is it a case to merge into
  const own = inScope(ZY).find((c) => c.status === 'open' && c.merged_into === null);
  const merge = await scoped[ZY].call('POST', `/api/v1/cases/${own.id}/merge`, { into: jlt.id, note: '重复' });
  assert.equal(merge.status, 422, merge.text);
  assert.equal(merge.json.error.code, 'unknown_case');
  assert.equal(merge.json.error.field, 'into');
});

test('statistics: the totals of a scope are its cases, department by department', async () => {
  for (const code of [JS, ZY, ZJ, JLT]) {
    const counted = inScope(code).filter((c) => c.merged_into === null);
    for (const [client, q] of [[scoped[code], ''], [officer, `&jurisdiction=${code}`]]) {
      const r = await client.call('GET', `/api/v1/cases/stats?by=department${q}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.items.reduce((a, x) => a + x.total, 0), counted.length, `${code}${q}`);
      for (const row of r.json.items) {
        const mine = counted.filter((c) => c.department.name === row.key);
        assert.equal(row.total, mine.length, `${code} ${row.key}`);
        assert.equal(row.open, mine.filter((c) => c.status === 'open').length, `${code} ${row.key} open`);
      }
    }
  }
  const out = await scoped[JLT].call('GET', `/api/v1/cases/stats?jurisdiction=${ZY}`);
  assert.equal(out.status, 403, out.text);
});

test('exports: the CSV of a scope holds its records, each with its jurisdiction', async () => {
  for (const code of [JS, ZY, ZJ, JLT]) {
    const r = await scoped[code].call('GET', '/api/v1/cases/export');
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /^text\/csv/);
    assert.match(r.headers.get('content-disposition'), /attachment/);
    const rows = parseCsv(r.text);
    const head = rows.shift();
    assert.deepEqual(head.slice(0, 3), ['id', 'tracking_code', 'kind']);
    const at = head.indexOf('jurisdiction_code');
    assert.deepEqual(rows.map((x) => Number(x[0])).sort((a, b) => a - b), ids(inScope(code)), code);
    const codes = new Set([...subtree(code)].map((id) => tree.find((j) => j.id === id).code));
    assert.ok(rows.every((x) => codes.has(x[at])), `${code}: ${rows.map((x) => x[at]).join()}`);
  }
  // UTF-8 with its byte-order mark, for spreadsheets
  const raw = Buffer.from(await (await fetch(`${srv.url}/api/v1/cases/export`, { headers: { Cookie: scoped[JLT].cookie } })).arrayBuffer());
  assert.deepEqual([...raw.subarray(0, 3)], [0xEF, 0xBB, 0xBF]);
  const narrowed = parseCsv((await officer.call('GET', `/api/v1/cases/export?jurisdiction=${JLT}&kind=suggestion`)).text);
  narrowed.shift();
  assert.deepEqual(narrowed.map((x) => Number(x[0])).sort((a, b) => a - b), ids(inScope(JLT).filter((c) => c.kind === 'suggestion')));
});

test('search: similar cases of another jurisdiction are not shown', async () => {
  const jlt = inScope(JLT).find((c) => c.status === 'open');
  const text = encodeURIComponent(jlt.text);
  const all = (await officer.call('GET', `/api/v1/cases/similar?text=${text}`)).json.similar;
  assert.ok(all.some((s) => s.id === jlt.id), 'the whole tree finds it');
  for (const code of [JS, ZY]) {
    const r = await scoped[code].call('GET', `/api/v1/cases/similar?text=${text}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.similar.every((s) => subtree(code).has(jurOf.get(s.id))), `${code}: ${JSON.stringify(r.json.similar)}`);
  }
  // the public list of suggestions of a street
  const sugg = (await (await fetch(`${srv.url}/api/v1/public/suggestions?jurisdiction=${JLT}&limit=200`)).json()).items;
  const allSugg = (await (await fetch(`${srv.url}/api/v1/public/suggestions?limit=200`)).json()).items;
  assert.ok(sugg.length > 0);
  assert.deepEqual(ids(sugg), ids(allSugg.filter((c) => subtree(JLT).has(c.jurisdiction.id))));
});

test('Open311: requests, one request, tokens and services of a jurisdiction_id', async () => {
  const everything = (await open311('requests', { page_size: 1000 })).data;
  assert.ok(everything.length > 0);
  for (const code of [JS, ZY, ZJ, JLT]) {
    const r = await open311('requests', { jurisdiction_id: code, page_size: 1000 });
    assert.equal(r.status, 200, r.text);
    const want = everything.filter((x) => subtree(code).has(jurOf.get(Number(x.service_request_id))));
    assert.ok(want.length > 0, code);
    assert.deepEqual(r.data.map((x) => x.service_request_id).sort(), want.map((x) => x.service_request_id).sort(), code);
  }
  // the installation's name is the whole tree, as before
  const named = await open311('requests', { jurisdiction_id: 'zhangyan.jinshan.shanghai.cn', page_size: 1000 });
  assert.equal(named.data.length, everything.length);
  // a signed-in officer's list is its scope's
  const mine = await open311('requests', { page_size: 1000 }, { Cookie: scoped[JLT].cookie });
  assert.deepEqual(mine.data.map((x) => x.service_request_id).sort(),
    everything.filter((x) => subtree(JLT).has(jurOf.get(Number(x.service_request_id)))).map((x) => x.service_request_id).sort());
  // one request, and its token, only where it lies
  const jlt = everything.find((x) => subtree(JLT).has(jurOf.get(Number(x.service_request_id))));
  assert.equal((await open311(`requests/${jlt.service_request_id}`, { jurisdiction_id: JLT })).status, 200);
  assert.equal((await open311(`requests/${jlt.service_request_id}`, { jurisdiction_id: ZY })).status, 404);
  const token = (await officer.call('GET', `/api/v1/cases/${jlt.service_request_id}`)).json.case.tracking_code;
  assert.equal((await open311(`tokens/${token}`, { jurisdiction_id: JLT })).status, 200);
  assert.equal((await open311(`tokens/${token}`, { jurisdiction_id: ZY })).status, 404);
  // an unknown jurisdiction_id is 404 in the specification's form, naming it
  const unknown = await open311('requests', { jurisdiction_id: '999999' });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.data[0].code, 404);
  assert.match(unknown.data[0].description, /jurisdiction_id/);

  // services: a category of Jiuliting's own serves Jiuliting only
  const dept = (await admin.call('GET', '/api/v1/departments')).json.items.find((d) => d.jurisdiction.code === JLT);
  const code = `jlt_${process.pid}`;
  const made = await admin.call('POST', '/api/v1/case-categories', { code, name_zh: '九里亭专项', name_en: 'Jiuliting only', department_id: dept.id, deadline_hours: 48, jurisdiction: JLT });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.jurisdiction.code, JLT);
  const services = async (params) => (await open311('services', params)).data.map((s) => s.service_code);
  assert.ok((await services({ jurisdiction_id: JLT })).includes(code));
  assert.ok(!(await services({ jurisdiction_id: ZY })).includes(code));
  assert.ok((await services({})).includes(code), 'the whole tree has every service');
  assert.ok((await services({ jurisdiction_id: ZY })).includes('community'), 'the city\'s categories serve every town');
  assert.equal((await open311(`services/${code}`, { jurisdiction_id: ZY })).status, 404);
  assert.equal((await open311(`services/${code}`, { jurisdiction_id: JLT })).status, 200);
  const seen = async (client) => (await client.call('GET', '/api/v1/case-categories')).json.items.map((c) => c.code);
  assert.ok((await seen(scoped[JLT])).includes(code));
  assert.ok(!(await seen(scoped[ZY])).includes(code));
  // a case of it lies where it serves
  const r = await scoped[ZY].call('POST', '/api/v1/cases', { kind: 'complaint', category: code, text: `专项 ${uniq()}` });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'unknown_category');

  // POST requests with a jurisdiction_id: the case lies there
  const key = (user) => {
    const run = cli(['user', 'key', user, '--db', srv.db]);
    assert.equal(run.status, 0, run.stderr);
    return run.stdout.trim().split('\n').pop().trim().split(/\s+/).pop();
  };
  const post = async (fields) => {
    const res = await fetch(`${srv.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ service_code: 'community', address_string: '九里亭路1号', description: `座椅损坏 ${uniq()}`, 'attribute[kind]': 'complaint', ...fields }).toString() });
    return { status: res.status, data: await res.json() };
  };
  const whole = key('officer');
  const p = await post({ api_key: whole, jurisdiction_id: JLT });
  assert.equal(p.status, 201, JSON.stringify(p.data));
  const placed = (await officer.call('GET', `/api/v1/cases/${p.data[0].service_request_id}`)).json.case;
  assert.equal(placed.jurisdiction.code, JLT);
  assert.equal((await post({ api_key: whole, jurisdiction_id: '999999' })).status, 404);
  assert.equal((await post({ api_key: whole, jurisdiction_id: ZY, service_code: code })).status, 404, 'not a service of Zhangyan');
  const zyKey = key('officer.zhangyan');
  const outside = await post({ api_key: zyKey, jurisdiction_id: JLT });
  assert.equal(outside.status, 403, JSON.stringify(outside.data));
  const own = await post({ api_key: zyKey });
  assert.equal(own.status, 201, JSON.stringify(own.data));
  assert.equal((await officer.call('GET', `/api/v1/cases/${own.data[0].service_request_id}`)).json.case.jurisdiction.code, ZY,
    'without one, the key holder\'s scope');
});

test('reference data of a scope: points and departments where they are, categories where they serve', async () => {
  const points = (await scoped[JLT].call('GET', '/api/v1/collection-points')).json.items;
  assert.ok(points.length >= 19 && points.every((p) => p.jurisdiction.code === JLT), points.map((p) => p.jurisdiction.code).join());
  const zy = (await scoped[ZY].call('GET', '/api/v1/collection-points')).json.items;
  assert.ok(zy.length > 0 && zy.every((p) => subtree(ZY).has(p.jurisdiction.id)));
  const pub = (await (await fetch(`${srv.url}/api/v1/collection-points?jurisdiction=${JLT}`)).json()).items;
  assert.deepEqual(pub.map((p) => p.id).sort(), points.filter((p) => p.active).map((p) => p.id).sort());
  // a point kept by another town's officer is not this one's to change
  const r = await scoped[ZY].call('PUT', `/api/v1/collection-points/${points[0].id}`, { type: points[0].type, name_zh: points[0].name_zh, street: points[0].street });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.code, 'outside_scope');
  const cats = (await scoped[ZJ].call('GET', '/api/v1/case-categories')).json.items;
  assert.ok(cats.length >= 13 && cats.every((c) => c.jurisdiction), 'the city\'s categories, each with its level');
});

test('a case is dispatched to a department that serves its place, and a category routes to one', async () => {
  const depts = (await admin.call('GET', '/api/v1/departments')).json.items;
  const jlt = depts.find((d) => d.jurisdiction.code === JLT);
  const above = depts.find((d) => !subtree(JLT).has(d.jurisdiction.id) && subtree(d.jurisdiction.code).has(byCode(ZY).id));
  assert.ok(jlt && above, 'a department of Jiuliting and one serving Zhangyan from at or above it');
  const made = await scoped[ZY].call('POST', '/api/v1/cases', { kind: 'complaint', category: 'community', text: `路灯不亮 ${uniq()}` });
  assert.equal(made.status, 201, made.text);
  const id = made.json.case.id;
  const read = async () => (await officer.call('GET', `/api/v1/cases/${id}`)).json;
  const before = await read();
  const assign = (client, department_id) => client.call('POST', `/api/v1/cases/${id}/assign`, { department_id, note: '改派' });

  let r = await assign(officer, jlt.id);
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'department_elsewhere');
  assert.equal(r.json.error.field, 'department_id');
  assert.match(r.json.error.message, /九里亭|Jiuliting/);
  r = await assign(officer, 999999);
  assert.equal(r.json.error.code, 'unknown_department');
  // to Zhangyan's officer, Jiuliting's departments are none at all
  r = await assign(scoped[ZY], jlt.id);
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'unknown_department');
  const after = await read();
  assert.equal(after.case.department.id, before.case.department.id, 'nothing written');
  assert.equal(after.events.length, before.events.length);

  r = await assign(scoped[ZY], above.id);
  assert.equal(r.status, 200, r.text);
  assert.equal((await read()).case.department.id, above.id);

  // a category of Zhangyan cannot route to Jiuliting's office
  const cat = await admin.call('POST', '/api/v1/case-categories', { code: `zy_${process.pid}`, name_zh: '张堰专项', name_en: 'Zhangyan only', department_id: jlt.id, deadline_hours: 24, jurisdiction: ZY });
  assert.equal(cat.status, 422, cat.text);
  assert.equal(cat.json.error.code, 'department_elsewhere');
  assert.ok(!(await admin.call('GET', '/api/v1/case-categories')).json.items.some((c) => c.code === `zy_${process.pid}`));
});

test('an enterprise or visit of another town named in a new case is none, as an unknown id', async () => {
  const count = (await officer.call('GET', '/api/v1/cases?limit=1')).json;
  for (const [id, msg] of [[1, 'enterprise_id: no enterprise with id 1'], [999999, 'enterprise_id: no enterprise with id 999999']]) {
    const r = await scoped[ZJ].call('POST', '/api/v1/cases', { kind: 'problem', category: 'land', text: `用地 ${uniq()}`, enterprise_id: id, jurisdiction: ZJ });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.code, 'unknown_enterprise');
    assert.equal(r.json.error.message, msg);
    assert.ok(!r.text.includes('启帆') && !r.text.includes('Qifan'), 'nothing of it is told');
  }
  const now = (await officer.call('GET', '/api/v1/cases?limit=1')).json.items;
  assert.ok(now.length === 1 && count.items.length === 1);
  assert.equal(now[0].id, count.items[0].id, 'nothing written');
});
