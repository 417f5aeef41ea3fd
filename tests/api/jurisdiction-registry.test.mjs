// The registry cut by jurisdiction, against a real server on the demo:
// every registry list and export under each scope (the whole tree,
// Jinshan District, Zhangyan Town, Zhujing Town, Jiuliting Street) holds
// exactly the records of the scope, checked against the whole tree's
// list cut by the subtree computed from GET /api/v1/jurisdictions; the
// jurisdiction= filter and its refusals; an enterprise's jurisdiction on
// create, with and without one given; the USCC's region warning; reads
// outside the scope answering 404 as unknown ids do; grids' jurisdictions;
// and enterprise moves with their refusals and their lists.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login, cli, dbQuery } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());

const sql = (q) => dbQuery(srv.db, q);

// The callers: a whole-tree officer and officers of each level.
const SCOPES = { officer: null, 'officer.jinshan': 3, 'officer.zhangyan': 1, 'officer.zhujing': 6, 'officer.jiuliting': 8 };
const as = {};
for (const u of [...Object.keys(SCOPES), 'admin', 'grid', 'secretary']) as[u] = await login(srv.url, u);
const { officer, admin } = as;
const zhujing = as['officer.zhujing'];
const zhangyan = as['officer.zhangyan'];
const jinshan = as['officer.jinshan'];

// The tree, as everyone reads it, and the subtrees computed from its
// parent links alone (nothing of the server's numbering).
const tree = (await officer.call('GET', '/api/v1/jurisdictions')).json.items;
const node = (id) => tree.find((j) => j.id === id);
const code = (c) => tree.find((j) => j.code === c);
function subtree(id) {
  const out = new Set([id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const j of tree) if (j.parent_id !== null && out.has(j.parent_id) && !out.has(j.id)) { out.add(j.id); grew = true; }
  }
  return out;
}
function above(id) {
  const out = new Set();
  for (let j = node(id); j && j.parent_id !== null; j = node(j.parent_id)) out.add(j.parent_id);
  return out;
}
// A record lies in a scope; reference data is also seen from below it.
const lies = (scope, jid) => scope === null || subtree(scope).has(jid);
const sees = (scope, jid) => lies(scope, jid) || above(scope).has(jid);

test('the demo: Zhujing is id 6 under Jinshan, with enterprises of its own', async () => {
  assert.equal(code('310116101').id, 6);
  assert.equal(code('310116101').parent_id, 3);
  assert.equal(code('310116103').id, 1);
  for (const [u, scope] of Object.entries(SCOPES)) {
    assert.equal((await as[u].call('GET', '/api/v1/jurisdictions')).json.scope, scope, u);
  }
});

// Every page of a list of enterprises.
async function enterprises(c, query = '') {
  const out = []; let cursor = null;
  do {
    const r = await c.call('GET', `/api/v1/enterprises?located=all&limit=500${query}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200, r.text);
    out.push(...r.json.items);
    cursor = r.json.next;
  } while (cursor);
  return out;
}
const ids = (items) => items.map((x) => x.id).sort((a, b) => a - b);

// A USCC (GB 32100-2015) of a region, with both check characters.
const ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
let serial = 0;
function uscc(region = '310116') {
  const body = String(81000000 + (process.pid % 9000) * 97 + ++serial * 7919).slice(-8);
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const c9 = 11 - ([...body].reduce((s, c, k) => s + Number(c) * w[k], 0) % 11);
  const s17 = `91${region}${body}${c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9)}`;
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...s17].reduce((s, c, k) => s + ALPHA.indexOf(c) * W[k], 0);
  return s17 + ALPHA[(31 - (sum % 31)) % 31];
}
const firm = (extra = {}) => ({ uscc: uscc(), name_zh: `辖区测试企业${++serial}`, industry: '3311', ...extra });

test('every enterprise answer names its jurisdiction; Zhujing\'s demo enterprises lie in Zhujing', async () => {
  const one = await officer.call('GET', '/api/v1/enterprises/1');
  assert.equal(one.status, 200);
  assert.deepEqual(one.json.jurisdiction, { id: 1, code: '310116103', name_zh: '张堰镇', name_en: 'Zhangyan Town' });
  assert.deepEqual(one.json.warnings, []);
  const all = await enterprises(officer);
  assert.ok(all.every((e) => e.jurisdiction && typeof e.jurisdiction.id === 'number'));
  const theirs = all.filter((e) => e.jurisdiction.id === 6);
  assert.ok(theirs.length >= 6 && theirs.length <= 10, `${theirs.length} in Zhujing`);
  assert.ok(theirs.every((e) => e.address.includes('朱泾镇') && e.in_park === false));
  // The park's list (the default) is still the demo town's 274.
  assert.equal((await officer.call('GET', '/api/v1/enterprises?limit=500')).json.items.length, 274);
});

test('create: the body\'s jurisdiction, else the grid\'s, else the caller\'s, else the home town', async () => {
  // No location, no jurisdiction: the caller's own.
  let r = await zhujing.call('POST', '/api/v1/enterprises', firm());
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.jurisdiction.code, '310116101');
  // A whole-tree caller: the home town.
  r = await officer.call('POST', '/api/v1/enterprises', firm());
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.jurisdiction.id, 1);
  // Named by code or id.
  r = await jinshan.call('POST', '/api/v1/enterprises', firm({ jurisdiction: '310116101' }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.jurisdiction.id, 6);
  r = await officer.call('POST', '/api/v1/enterprises', firm({ jurisdiction: 8 }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.jurisdiction.code, '310117011');
  // Down to a community.
  r = await zhangyan.call('POST', '/api/v1/enterprises', firm({ jurisdiction: '310116103201' }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.jurisdiction.name_zh, '张堰工业园区');
  // Located in a park grid: the grid's jurisdiction (the home town's).
  const cell = (await officer.call('GET', '/api/v1/grids')).json.items.find((g) => g.code === 'ZY-W3');
  const [lon, lat] = [(cell.bbox[0] + cell.bbox[2]) / 2, (cell.bbox[1] + cell.bbox[3]) / 2];
  r = await jinshan.call('POST', '/api/v1/enterprises', firm({ lon, lat }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.jurisdiction.id, cell.jurisdiction.id);
  assert.equal(r.json.grid_id, cell.id);
});

test('create: refusals name the field and the rule, and write nothing', async () => {
  const before = (await enterprises(officer)).length;
  // A district officer without a jurisdiction: the district is no town.
  let r = await jinshan.call('POST', '/api/v1/enterprises', firm());
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'jurisdiction_level');
  assert.equal(r.json.error.field, 'jurisdiction');
  assert.match(r.json.error.message, /town or street.*金山区 \(310116\) is a district/);
  for (const j of ['310000', '310116', 2]) {
    r = await officer.call('POST', '/api/v1/enterprises', firm({ jurisdiction: j }));
    assert.equal(r.status, 422, `${j}: ${r.text}`);
    assert.equal(r.json.error.errors?.[0]?.code ?? r.json.error.code, 'jurisdiction_level');
  }
  r = await officer.call('POST', '/api/v1/enterprises', firm({ jurisdiction: '999999999' }));
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'jurisdiction');
  assert.equal(r.json.error.code, 'unknown_jurisdiction');
  r = await officer.call('POST', '/api/v1/enterprises', firm({ jurisdiction: true }));
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'wrong_type');
  // Outside the caller's scope, named or through the grid of a location.
  r = await zhujing.call('POST', '/api/v1/enterprises', firm({ jurisdiction: '310116103' }));
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.code, 'outside_scope');
  assert.equal(r.json.error.field, 'jurisdiction');
  const cell = (await officer.call('GET', '/api/v1/grids')).json.items.find((g) => g.code === 'ZY-E1');
  r = await zhujing.call('POST', '/api/v1/enterprises', firm({ lon: (cell.bbox[0] + cell.bbox[2]) / 2, lat: (cell.bbox[1] + cell.bbox[3]) / 2 }));
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.code, 'outside_scope');
  assert.match(r.json.error.message, /ZY-E1/);
  assert.equal((await enterprises(officer)).length, before);
});

test('PATCH keeps the jurisdiction: the one a GET gave is accepted back, another is a move', async () => {
  const r = await zhujing.call('POST', '/api/v1/enterprises', firm());
  assert.equal(r.status, 201);
  const got = await zhujing.call('GET', `/api/v1/enterprises/${r.json.id}`);
  const same = await zhujing.call('PATCH', `/api/v1/enterprises/${r.json.id}`, { jurisdiction: got.json.jurisdiction, warnings: got.json.warnings, employees: 12 }, { 'If-Match': got.headers.get('etag') });
  assert.equal(same.status, 200, same.text);
  assert.equal(same.json.jurisdiction.id, 6);
  for (const j of [6, '6', '310116101']) {
    const r2 = await zhujing.call('PATCH', `/api/v1/enterprises/${r.json.id}`, { jurisdiction: j }, { 'If-Match': '*' });
    assert.equal(r2.status, 200, r2.text);
  }
  for (const j of ['310116103', 1, { id: 1 }]) {
    const other = await officer.call('PATCH', `/api/v1/enterprises/${r.json.id}`, { jurisdiction: j }, { 'If-Match': '*' });
    assert.equal(other.status, 422, other.text);
    assert.equal(other.json.error.code, 'use_move');
    assert.equal(other.json.error.field, 'jurisdiction');
  }
  assert.equal((await officer.call('GET', `/api/v1/enterprises/${r.json.id}`)).json.jurisdiction.id, 6);
});

test('a USCC issued in another district is a warning, never a refusal', async () => {
  const all = await enterprises(officer);
  const songjiangCoded = all.filter((e) => e.uscc.slice(2, 8) === '310117' && e.jurisdiction.id === 6);
  assert.equal(songjiangCoded.length, 1, 'one demo firm of Zhujing registered in Songjiang');
  const got = await zhujing.call('GET', `/api/v1/enterprises/${songjiangCoded[0].id}`);
  assert.equal(got.status, 200);
  assert.equal(got.json.warnings.length, 1);
  assert.equal(got.json.warnings[0].code, 'uscc_region_mismatch');
  assert.equal(got.json.warnings[0].field, 'uscc');
  assert.match(got.json.warnings[0].message, /310117 \(松江区\).*金山区 \(310116\)/);
  // On create too; the record is kept as given.
  const r = await zhujing.call('POST', '/api/v1/enterprises', firm({ uscc: uscc('310107') }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.warnings[0].code, 'uscc_region_mismatch');
  assert.match(r.json.warnings[0].message, /310107 \(普陀区\)/);
  // A code of the district, or a city-level one, is no warning.
  for (const region of ['310116', '310000']) {
    const ok = await zhujing.call('POST', '/api/v1/enterprises', firm({ uscc: uscc(region) }));
    assert.equal(ok.status, 201, ok.text);
    assert.deepEqual(ok.json.warnings, [], region);
  }
});

// Records that only some scopes see: a cluster of Jinshan, one of
// Zhujing; a grid of Zhujing; an enterprise of Zhujing located outside
// every grid.
const made = {};
test('setup: a cluster of the district, a grid and a located enterprise of Zhujing', async () => {
  let r = await jinshan.call('POST', '/api/v1/clusters', { code: 'js-newmat', name_zh: '金山新材料' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.jurisdiction.id, 3);
  made.districtCluster = r.json.id;
  r = await zhujing.call('POST', '/api/v1/clusters', { code: 'zj-pack', name_zh: '朱泾包装' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.jurisdiction.id, 6);
  made.townCluster = r.json.id;
  r = await officer.call('POST', '/api/v1/clusters', { code: 'jlt-svc', name_zh: '九里亭服务', jurisdiction: '310117011' });
  assert.equal(r.status, 201, r.text);
  r = await zhujing.call('POST', '/api/v1/grids', { code: 'ZJ', name_zh: '朱泾镇网格', level: 'town', geometry: square(121.10, 30.88, 0.02) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.grid.jurisdiction.id, 6);
  made.grid = r.json.grid.id;
  r = await zhujing.call('POST', '/api/v1/enterprises', firm({ lon: 121.16, lat: 30.90 }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.grid_id, null);
  made.unplaced = r.json.id;
});

function square(x, y, d) {
  return { type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] };
}

// The lists, each read as a whole and turned into [id, jurisdiction id]
// pairs.  `whole` is what the whole-tree officer reads.
const LISTS = {
  enterprises: async (c, q = '') => (await enterprises(c, q)).map((e) => [e.id, e.jurisdiction.id]),
  search: async (c, q = '') => (await enterprises(c, `&q=${encodeURIComponent('上海')}${q}`)).map((e) => [e.id, e.jurisdiction.id]),
  grids: async (c, q = '') => (await ok(c, `/api/v1/grids?geometry=1${q}`)).items.map((g) => [g.id, g.jurisdiction.id]),
  // The features name no jurisdiction (a file travels between
  // databases): each is found by its code among the whole tree's grids.
  geojson: async (c, q = '') => {
    const where = new Map((await ok(officer, '/api/v1/grids')).items.map((g) => [g.code, g.jurisdiction.id]));
    return (await ok(c, `/api/v1/grids/geojson?x=1${q}`)).features.map((f) => [f.id, where.get(f.id)]);
  },
};
async function ok(c, path) {
  const r = await c.call('GET', path);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.json;
}
const sorted = (pairs) => pairs.map(([id]) => id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

test('every registry list holds exactly the records of the caller\'s scope', async () => {
  for (const [name, list] of Object.entries(LISTS)) {
    const whole = await list(officer);
    for (const [u, scope] of Object.entries(SCOPES)) {
      const got = await list(as[u]);
      assert.deepEqual(sorted(got), sorted(whole.filter(([, j]) => lies(scope, j))), `${name} of ${u}`);
    }
  }
  // They differ from scope to scope, so the comparison means something.
  const n = async (u) => (await LISTS.enterprises(as[u])).length;
  assert.ok((await n('officer')) > (await n('officer.jinshan')));
  assert.ok((await n('officer.jinshan')) > (await n('officer.zhangyan')));
  assert.ok((await n('officer.zhujing')) >= 8);
  assert.equal((await LISTS.grids(zhujing)).length, 1);
  assert.equal((await LISTS.grids(zhangyan)).length, 9);
});

test('clusters and organisations: those defined in the scope or above it', async () => {
  for (const [path, key] of [['/api/v1/clusters', 'clusters'], ['/api/v1/organisations', 'organisations']]) {
    const whole = (await ok(officer, path)).items;
    for (const [u, scope] of Object.entries(SCOPES)) {
      const got = (await ok(as[u], path)).items;
      assert.deepEqual(ids(got), ids(whole.filter((x) => sees(scope, x.jurisdiction.id))), `${key} of ${u}`);
    }
  }
  const of = async (u) => ids((await ok(as[u], '/api/v1/clusters')).items);
  assert.deepEqual(await of('officer.zhujing'), [made.districtCluster, made.townCluster].sort((a, b) => a - b));
  assert.ok((await of('officer.zhangyan')).includes(made.districtCluster));
  assert.ok(!(await of('officer.zhangyan')).includes(made.townCluster));
  // Zhujing sees the district's two providers of the catalogue (the
  // guarantee fund, the talent centre), the city's alliance (SUHE ONE)
  // and none of Zhangyan's.
  assert.deepEqual((await ok(zhujing, '/api/v1/organisations')).items.map((o) => o.jurisdiction.code), ['310116', '310116', '310000']);
  assert.equal((await ok(zhangyan, '/api/v1/organisations')).items.filter((o) => /party_branch$/.test(o.kind)).length, 28);
});

test('leads: the pipelines of the clusters the scope sees; another town\'s node is none', async () => {
  const clusters = (await ok(officer, '/api/v1/clusters')).items;
  const jlt = clusters.find((c) => c.code === 'jlt-svc');
  const nodeOf = {};
  for (const [client, cluster] of [[jinshan, made.districtCluster], [zhujing, made.townCluster], [officer, jlt.id]]) {
    let r = await client.call('POST', `/api/v1/clusters/${cluster}/chain/nodes`, { code: 'svc', name_zh: '配套服务', name_en: 'Services', kind: 'service', stage: 'service' });
    assert.equal(r.status, 201, r.text);
    nodeOf[cluster] = r.json.id ?? r.json.node?.id;
    r = await client.call('POST', '/api/v1/leads', { name: `意向企业 ${cluster}`, node_id: nodeOf[cluster], contacted_on: '2026-11-02' });
    assert.equal(r.status, 201, r.text);
  }
  // Independently: each lead's cluster and that cluster's jurisdiction.
  const clusterOf = new Map(sql('SELECT l.id, k.jurisdiction_id FROM leads l JOIN chain_nodes n ON n.id = l.node_id JOIN clusters k ON k.id = n.cluster_id')
    .split('\n').map((line) => line.split('|').map(Number)));
  const whole = (await ok(officer, '/api/v1/leads')).items;
  assert.equal(whole.length, clusterOf.size, 'the whole tree sees every lead');
  for (const [u, scope] of Object.entries(SCOPES)) {
    const got = (await ok(as[u], '/api/v1/leads')).items;
    assert.deepEqual(ids(got), ids(whole.filter((l) => sees(scope, clusterOf.get(l.id)))), `leads of ${u}`);
  }
  const zj = ids((await ok(zhujing, '/api/v1/leads')).items);
  assert.equal(zj.length, 2, 'Zhujing: its own cluster\'s lead and the district\'s');
  // jurisdiction= narrows; one lead of another town reads as none
  assert.equal((await ok(jinshan, '/api/v1/leads?jurisdiction=310116101')).items.length, 2);
  const zyLead = whole.find((l) => clusterOf.get(l.id) === 1);
  let r = await zhujing.call('GET', `/api/v1/leads/${zyLead.id}`);
  assert.equal(r.status, 404, r.text);
  r = await zhujing.call('POST', '/api/v1/leads', { name: '越界', node_id: zyLead.node_id, contacted_on: '2026-11-02' });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'unknown_node');
  assert.equal((await ok(officer, '/api/v1/leads')).items.length, whole.length, 'nothing written');
  // an enterprise of another town named in a body is none, as an unknown id
  const zjNode = nodeOf[made.townCluster];
  for (const [id, msg] of [[1, 'no enterprise with id 1'], [999999, 'no enterprise with id 999999']]) {
    r = await zhujing.call('POST', '/api/v1/leads', { name: '引荐', node_id: zjNode, introduced_by_enterprise_id: id, contacted_on: '2026-11-02' });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.code, 'unknown_enterprise');
    assert.equal(r.json.error.message, `introduced_by_enterprise_id: ${msg}`);
    r = await zhujing.call('PATCH', `/api/v1/clusters/${made.townCluster}`, { leading_enterprise_id: id });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.message, `leading_enterprise_id: ${msg}`);
  }
  r = await zhujing.call('POST', `/api/v1/leads/${zyLead.id}/stage`, { stage: 'visited' });
  assert.equal(r.status, 404, r.text);
  assert.equal(r.json.error.message, `no lead with id ${zyLead.id}`, 'as an unknown id');
  assert.equal((await ok(officer, `/api/v1/leads/${zyLead.id}`)).stage, zyLead.stage);
});

test('unplaced enterprises and alerts: those of the scope', async () => {
  const where = new Map((await LISTS.enterprises(officer)).map(([id, j]) => [id, j]));
  const wholeUn = (await ok(officer, '/api/v1/grids/unplaced')).items;
  assert.ok(wholeUn.some((x) => x.id === made.unplaced));
  const wholeAl = (await ok(officer, '/api/v1/alerts')).items;
  assert.ok(wholeAl.length > 0);
  for (const [u, scope] of Object.entries(SCOPES)) {
    const un = (await ok(as[u], '/api/v1/grids/unplaced')).items;
    assert.deepEqual(ids(un), ids(wholeUn.filter((x) => lies(scope, where.get(x.id)))), `unplaced of ${u}`);
    const al = (await ok(as[u], '/api/v1/alerts')).items;
    assert.deepEqual(al.map((x) => x.enterprise.id).sort((a, b) => a - b),
      wholeAl.filter((x) => lies(scope, where.get(x.enterprise.id))).map((x) => x.enterprise.id).sort((a, b) => a - b), `alerts of ${u}`);
  }
});

test('jurisdiction= narrows every list to a part of the scope; unknown 422, outside 403', async () => {
  const paths = ['/api/v1/enterprises?located=all&limit=500', '/api/v1/clusters', '/api/v1/organisations', '/api/v1/grids',
    '/api/v1/grids/geojson', '/api/v1/grids/unplaced', '/api/v1/alerts', '/api/v1/enterprise-moves'];
  for (const p of paths) {
    const sep = p.includes('?') ? '&' : '?';
    // Narrowed to Zhujing, by code or id: what Zhujing's officer reads.
    const mine = await ok(zhujing, p);
    for (const j of ['310116101', '6']) {
      const narrowed = await ok(officer, `${p}${sep}jurisdiction=${j}`);
      assert.deepEqual(narrowed.items ?? narrowed.features, mine.items ?? mine.features, `${p} jurisdiction=${j}`);
      const fromDistrict = await ok(jinshan, `${p}${sep}jurisdiction=${j}`);
      assert.deepEqual(fromDistrict.items ?? fromDistrict.features, mine.items ?? mine.features, `${p}, Jinshan narrowed`);
    }
    let r = await officer.call('GET', `${p}${sep}jurisdiction=310199999`);
    assert.equal(r.status, 422, `${p}: ${r.text}`);
    assert.equal(r.json.error.code, 'unknown_jurisdiction');
    assert.equal(r.json.error.field, 'jurisdiction');
    r = await zhangyan.call('GET', `${p}${sep}jurisdiction=310116101`);
    assert.equal(r.status, 403, `${p}: ${r.text}`);
    assert.equal(r.json.error.code, 'outside_scope');
    r = await zhujing.call('GET', `${p}${sep}jurisdiction=310116`);
    assert.equal(r.status, 403, `${p}: a town's officer asking for its district`);
  }
});

test('one record outside the scope is 404, as an id that does not exist', async () => {
  const theirs = (await enterprises(zhujing))[0].id;
  const zyGrid = (await ok(officer, '/api/v1/grids')).items.find((g) => g.code === 'ZY').id;
  const node = (await ok(officer, '/api/v1/clusters/1/chain')).nodes?.[0]?.id;
  const reads = [
    [zhujing, (id) => `/api/v1/enterprises/${id}`, 1],
    [zhujing, (id) => `/api/v1/enterprises/${id}/visits`, 1],
    [zhujing, (id) => `/api/v1/enterprises/${id}/indicators`, 1],
    [zhujing, (id) => `/api/v1/enterprises/${id}/moves`, 1],
    [zhujing, (id) => `/api/v1/enterprises/${id}/partners`, 1],
    [zhujing, (id) => `/api/v1/enterprises/${id}/localisation?from=2020&to=2024`, 1],
    [zhujing, (id) => `/api/v1/enterprises/${id}/attracted`, 1],
    [zhujing, (id) => `/api/v1/clusters/${id}`, 1],
    [zhujing, (id) => `/api/v1/clusters/${id}/chain`, 1],
    [zhujing, (id) => `/api/v1/clusters/${id}/gaps`, 1],
    [zhujing, (id) => `/api/v1/clusters/${id}/loops`, 1],
    [zhujing, (id) => `/api/v1/grids/${id}`, zyGrid],
    [zhangyan, (id) => `/api/v1/enterprises/${id}`, theirs],
    [zhangyan, (id) => `/api/v1/grids/${id}`, made.grid],
    [zhangyan, (id) => `/api/v1/clusters/${id}`, made.townCluster],
    [as['officer.jiuliting'], (id) => `/api/v1/clusters/${id}`, made.districtCluster],
  ];
  for (const [c, path, id] of reads) {
    const hidden = await c.call('GET', path(id));
    const unknown = await c.call('GET', path(999999));
    assert.equal(hidden.status, 404, `${path(id)}: ${hidden.text}`);
    assert.equal(unknown.status, 404, path(999999));
    assert.equal(hidden.json.error.code, unknown.json.error.code);
    assert.equal(hidden.json.error.message, unknown.json.error.message.replace('999999', String(id)), path(id));
  }
  if (node) {
    const r = await zhujing.call('GET', `/api/v1/chain/nodes/${node}`);
    assert.equal(r.status, 404);
    assert.equal((await officer.call('GET', `/api/v1/chain/nodes/${node}`)).status, 200);
  }
  // Writes to such a record: as unknown too.
  let r = await zhujing.call('PATCH', '/api/v1/enterprises/1', { employees: 1 }, { 'If-Match': '*' });
  assert.equal(r.status, 404);
  r = await zhujing.call('POST', '/api/v1/enterprises/1/retire', { status: 'closed', reason: '测试' });
  assert.equal(r.status, 404);
  r = await zhujing.call('PUT', '/api/v1/enterprises/1/indicators/2024-Q1', { revenue: 1 });
  assert.equal(r.status, 404);
  r = await zhujing.call('POST', '/api/v1/visits', { enterprise_id: 1, status: 'planned' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.errors[0].code, 'unknown_enterprise');
  r = await zhujing.call('PATCH', '/api/v1/clusters/1', { name_en: 'x' });
  assert.equal(r.status, 404);
  // A cluster seen from below is read, and changed only where it is defined.
  r = await zhujing.call('PATCH', `/api/v1/clusters/${made.districtCluster}`, { name_en: 'New materials' });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.code, 'outside_scope');
  assert.equal((await zhujing.call('GET', `/api/v1/clusters/${made.districtCluster}`)).status, 200);
  r = await jinshan.call('PATCH', `/api/v1/clusters/${made.districtCluster}`, { name_en: 'New materials' });
  assert.equal(r.status, 200, r.text);
});

test('grids: a child lies in its parent\'s jurisdiction or below it; drawn only inside the scope', async () => {
  // A child of Zhujing's grid takes Zhujing.
  let r = await zhujing.call('POST', '/api/v1/grids', { code: 'ZJ-A', name_zh: '朱泾东片', level: 'area', parent_id: made.grid, geometry: square(121.10, 30.88, 0.01) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.grid.jurisdiction.id, 6);
  // Under it, not in another town.
  r = await officer.call('POST', '/api/v1/grids', { code: 'ZJ-B', name_zh: '朱泾西片', level: 'area', parent_id: made.grid, jurisdiction: '310116103', geometry: square(121.11, 30.89, 0.005) });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'jurisdiction_outside_parent');
  assert.equal(r.json.error.field, 'jurisdiction');
  // Within its parent's boundary.
  r = await officer.call('POST', '/api/v1/grids', { code: 'ZJ-C', name_zh: '越界网格', level: 'area', parent_id: made.grid, geometry: square(121.115, 30.895, 0.02) });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'outside_parent');
  // Not under, over or in another jurisdiction's grid.
  r = await zhangyan.call('POST', '/api/v1/grids', { code: 'ZJ-D', name_zh: '他镇网格', level: 'area', parent_id: made.grid, geometry: square(121.115, 30.895, 0.002) });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.code, 'outside_scope');
  assert.equal(r.json.error.field, 'parent_id');
  r = await zhangyan.call('POST', '/api/v1/grids', { code: 'ZJ-E', name_zh: '他镇网格', level: 'town', jurisdiction: '310116101', geometry: square(121.2, 30.95, 0.002) });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.code, 'outside_scope');
  const zj = await zhujing.call('GET', `/api/v1/grids/${made.grid}`);
  // Another town's grid is not there to change, as an unknown id.
  const unknownGrid = (await zhangyan.call('GET', '/api/v1/grids/999999')).json.error.message.replace('999999', String(made.grid));
  r = await zhangyan.call('PUT', `/api/v1/grids/${made.grid}`, { code: 'ZJ', name_zh: '改名', level: 'town', geometry: zj.json.grid.geometry }, { 'If-Match': '*' });
  assert.equal(r.status, 404, r.text);
  assert.equal(r.json.error.message, unknownGrid);
  r = await zhangyan.call('PUT', `/api/v1/grids/${made.grid}/members`, { user_ids: [] });
  assert.equal(r.status, 404);
  assert.equal(r.json.error.message, unknownGrid);
  assert.equal((await ok(officer, '/api/v1/grids')).items.filter((g) => g.code.startsWith('ZJ')).length, 2);
  // A district's officer draws in its towns.
  r = await jinshan.call('PUT', `/api/v1/grids/${made.grid}`, { code: 'ZJ', name_zh: '朱泾镇网格', level: 'town', geometry: zj.json.grid.geometry }, { 'If-Match': '*' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.grid.jurisdiction.id, 6);
});

// An enterprise of Zhangyan with visits and figures, to move.
async function withHistory(skip = []) {
  for (let id = 1; id < 275; id++) {
    if (skip.includes(id)) continue;
    const v = await zhangyan.call('GET', `/api/v1/enterprises/${id}/visits`);
    const f = await zhangyan.call('GET', `/api/v1/enterprises/${id}/indicators`);
    if (v.status === 200 && v.json.items.length && f.json.items.length) return { id, visits: v.json.items.length, figures: f.json.items.length };
  }
  throw new Error('no enterprise with visits and figures');
}

test('moves: refused with their codes, nothing changed', async () => {
  const { id } = await withHistory();
  const before = await officer.call('GET', `/api/v1/enterprises/${id}`);
  const cases = [
    [zhujing, { to: '310116101', reason: '迁移' }, 404, 'not_found'],
    [as.grid, { to: '310116101', reason: '迁移' }, 403, 'forbidden'],
    [as.secretary, { to: '310116101', reason: '迁移' }, 403, 'forbidden'],
    [zhangyan, { to: '310116103', reason: '迁移' }, 409, 'no_change'],
    [zhangyan, { to: '310116', reason: '迁移' }, 422, 'jurisdiction_level'],
    [zhangyan, { to: '310000', reason: '迁移' }, 422, 'jurisdiction_level'],
    [zhangyan, { to: '310116199', reason: '迁移' }, 422, 'unknown_jurisdiction'],
    [zhangyan, { to: 999, reason: '迁移' }, 422, 'unknown_jurisdiction'],
    [zhangyan, { to: ['310116101'], reason: '迁移' }, 422, 'wrong_type'],
    [zhangyan, { to: '310116101' }, 422, 'required'],
    [zhangyan, { reason: '迁移' }, 422, 'required'],
    [zhangyan, { to: '310116101', reason: '迁移', when: 'now' }, 422, 'unknown_field'],
  ];
  for (const [c, body, status, errCode] of cases) {
    const r = await c.call('POST', `/api/v1/enterprises/${id}/move`, body);
    assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json.error.errors?.[0]?.code ?? r.json.error.code, errCode, JSON.stringify(body));
  }
  const stale = await zhangyan.call('POST', `/api/v1/enterprises/${id}/move`, { to: '310116101', reason: '迁移' }, { 'If-Match': '"v999"' });
  assert.equal(stale.status, 412);
  const after = await officer.call('GET', `/api/v1/enterprises/${id}`);
  assert.deepEqual(after.json, before.json);
  assert.equal((await ok(officer, `/api/v1/enterprises/${id}/moves`)).items.length, 0);
});

test('a move keeps the id and the history; the old town sees that it left, and where to', async () => {
  const e = await withHistory();
  const before = await officer.call('GET', `/api/v1/enterprises/${e.id}`);
  const r = await zhangyan.call('POST', `/api/v1/enterprises/${e.id}/move`, { to: '310116101', reason: '迁至朱泾镇新厂区' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get('location'), `/api/v1/enterprises/${e.id}/moves`);
  assert.equal(r.json.move.from.code, '310116103');
  assert.equal(r.json.move.to.code, '310116101');
  assert.equal(r.json.move.reason, '迁至朱泾镇新厂区');
  assert.equal(r.json.move.by, 'officer.zhangyan');
  assert.equal(r.json.enterprise.id, e.id);
  assert.equal(r.json.enterprise.jurisdiction.id, 6);
  assert.equal(r.json.enterprise.version, before.json.version + 1);
  // The new town holds it, with its history; the old one no longer.
  assert.equal((await zhangyan.call('GET', `/api/v1/enterprises/${e.id}`)).status, 404);
  const now = await zhujing.call('GET', `/api/v1/enterprises/${e.id}`);
  assert.equal(now.status, 200);
  assert.equal(now.json.uscc, before.json.uscc);
  assert.equal((await ok(zhujing, `/api/v1/enterprises/${e.id}/visits`)).items.length, e.visits);
  assert.equal((await ok(zhujing, `/api/v1/enterprises/${e.id}/indicators`)).items.length, e.figures);
  const moves = await ok(zhujing, `/api/v1/enterprises/${e.id}/moves`);
  assert.equal(moves.items.length, 1);
  assert.equal(moves.jurisdiction.code, '310116101');
  // The lists of moves, seen from each side.
  const seen = async (c, q = '') => (await ok(c, `/api/v1/enterprise-moves${q}`)).items.find((m) => m.enterprise.id === e.id);
  const out = await seen(zhangyan);
  assert.equal(out.direction, 'out');
  assert.equal(out.to.name_zh, '朱泾镇');
  assert.equal(out.enterprise.name_zh, before.json.name_zh);
  assert.equal((await seen(zhujing)).direction, 'in');
  assert.equal((await seen(jinshan)).direction, 'within');
  assert.equal((await seen(jinshan, '?jurisdiction=310116103')).direction, 'out');
  assert.equal((await seen(officer, '?jurisdiction=6')).direction, 'in');
  assert.equal(await seen(as['officer.jiuliting']), undefined);
  assert.equal((await as.grid.call('GET', '/api/v1/enterprise-moves')).status, 403);
  // Audited.
  const audit = await ok(admin, `/api/v1/audit?entity=enterprise&entity_id=${e.id}`);
  const entry = audit.items.find((a) => a.action === 'move');
  assert.ok(entry);
  assert.equal(entry.after.to.code, '310116101');
  assert.equal(entry.before.id, e.id);
});

test('a move to another district takes every dependent row\'s district along', async () => {
  const e = await withHistory();
  const r = await officer.call('POST', `/api/v1/enterprises/${e.id}/move`, { to: 8, reason: '迁往松江九里亭' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.enterprise.jurisdiction.code, '310117011');
  assert.equal(sql(`SELECT district_id FROM enterprises WHERE id = ${e.id}`), '7');
  for (const t of ['enterprise_contacts', 'enterprise_tags', 'enterprise_products', 'enterprise_needs', 'visits', 'indicators']) {
    assert.equal(sql(`SELECT count(*) FROM ${t} WHERE enterprise_id = ${e.id} AND district_id <> 7`), '0', t);
  }
  assert.ok(Number(sql(`SELECT count(*) FROM visits WHERE enterprise_id = ${e.id}`)) > 0);
  assert.equal(sql(`SELECT count(*) FROM supply_links WHERE customer_id = ${e.id} AND district_id <> 7`), '0');
  // Songjiang's street reads it now; Jinshan no longer.
  assert.equal((await as['officer.jiuliting'].call('GET', `/api/v1/enterprises/${e.id}`)).status, 200);
  assert.equal((await jinshan.call('GET', `/api/v1/enterprises/${e.id}`)).status, 404);
  // What is written for it afterwards lies in its new district.
  const v = await officer.call('POST', '/api/v1/visits', { enterprise_id: e.id, status: 'planned' });
  assert.equal(v.status, 201, v.text);
  assert.equal(sql(`SELECT district_id FROM visits WHERE id = ${v.json.id}`), '7');
  // Every row written so far carries its enterprise's district.
  for (const t of ['enterprise_contacts', 'enterprise_tags', 'enterprise_products', 'enterprise_needs', 'visits', 'indicators']) {
    assert.equal(sql(`SELECT count(*) FROM ${t} r JOIN enterprises e ON e.id = r.enterprise_id WHERE r.district_id <> e.district_id`), '0', t);
  }
  assert.equal(sql('SELECT count(*) FROM enterprises e JOIN jurisdictions j ON j.id = e.jurisdiction_id WHERE e.district_id <> j.district_id'), '0');
  assert.equal(sql('SELECT count(*) FROM grids g JOIN jurisdictions j ON j.id = g.jurisdiction_id WHERE g.district_id <> j.district_id'), '0');
});

test('the lists still hold exactly the records of each scope after the moves', async () => {
  for (const [name, list] of Object.entries(LISTS)) {
    const whole = await list(officer);
    for (const [u, scope] of Object.entries(SCOPES)) {
      assert.deepEqual(sorted(await list(as[u])), sorted(whole.filter(([, j]) => lies(scope, j))), `${name} of ${u}`);
    }
  }
  assert.ok((await LISTS.enterprises(as['officer.jiuliting'])).length >= 2);
});

test('the figures of clusters and grids count the enterprises of the scope', async () => {
  const all = await enterprises(officer);
  const grids = (await ok(officer, '/api/v1/grids')).items;
  let differ = 0;
  for (const [u, scope] of Object.entries(SCOPES)) {
    const mine = all.filter((e) => lies(scope, e.jurisdiction.id));
    for (const c of (await ok(as[u], '/api/v1/clusters')).items) {
      const want = mine.filter((e) => e.cluster_id === c.id && e.status === 'active' && e.in_park).length;
      assert.equal(c.enterprises, want, `cluster ${c.code} for ${u}`);
      assert.equal((await ok(as[u], `/api/v1/clusters/${c.id}`)).enterprises, want);
      if (want !== all.filter((e) => e.cluster_id === c.id && e.status === 'active' && e.in_park).length) differ++;
    }
    for (const g of (await ok(as[u], '/api/v1/grids')).items) {
      const want = mine.filter((e) => e.grid_id === g.id).length;
      assert.equal(g.enterprises, want, `grid ${g.code} for ${u}`);
      assert.equal((await ok(as[u], `/api/v1/grids/${g.id}`)).grid.enterprises, want);
      // Its page lists those in it and in the grids inside it.
      const inside = new Set([g.id]);
      for (let grew = true; grew;) {
        grew = false;
        for (const x of grids) if (inside.has(x.parent_id) && !inside.has(x.id)) { inside.add(x.id); grew = true; }
      }
      assert.deepEqual(ids((await ok(as[u], `/api/v1/grids/${g.id}`)).enterprises), ids(mine.filter((e) => inside.has(e.grid_id))));
      if (want !== all.filter((e) => e.grid_id === g.id).length) differ++;
    }
  }
  // The enterprise moved out of Zhangyan still lies in its park's cell
  // and cluster: Zhangyan's figures leave it out.
  assert.ok(differ > 0);
});

test('qunyan export --jurisdiction writes what the API lists for the scope', async () => {
  for (const [u, scope] of Object.entries(SCOPES)) {
    const args = scope === null ? [] : ['--jurisdiction', node(scope).code];
    const out = cli(['export', 'enterprises', '--format', 'json', ...args, '--db', srv.db]);
    assert.equal(out.status, 0, out.stderr);
    const exported = JSON.parse(out.stdout).map((e) => e.uscc).sort();
    const listed = (await enterprises(as[u])).map((e) => e.uscc).sort();
    assert.deepEqual(exported, listed, `enterprises of ${u}`);
    const cl = cli(['export', 'clusters', '--format', 'json', ...args, '--db', srv.db]);
    assert.equal(cl.status, 0, cl.stderr);
    assert.deepEqual(JSON.parse(cl.stdout).map((c) => c.id).sort((a, b) => a - b),
      ids((await ok(as[u], '/api/v1/clusters')).items), `clusters of ${u}`);
  }
  const csv = cli(['export', 'enterprises', '--jurisdiction', '310116101', '--db', srv.db]);
  assert.equal(csv.status, 0);
  assert.equal(csv.stdout.trim().split('\r\n').length - 1, (await enterprises(zhujing)).length);
  const bad = cli(['export', 'enterprises', '--jurisdiction', '310199999', '--db', srv.db]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /no jurisdiction has the code '310199999'/);
  assert.equal(cli(['export', 'enterprises', '--jurisdiction']).status, 2);
});

test('qunyan import --jurisdiction puts a file\'s enterprises in that town, with their district', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'qunyan-jr-'));
  try {
    const f = join(dir, 'zhujing.csv');
    const codes = [uscc(), uscc()];
    writeFileSync(f, ['uscc,name_zh,industry,contact_name,tags', ...codes.map((c, i) => `${c},朱泾导入企业${i},2231,联系人${i},导入`)].join('\r\n'));
    for (const [j, re] of [['310116', /is a district/], ['310199999', /no jurisdiction has the code '310199999'/]]) {
      const r = cli(['import', 'enterprises', f, '--jurisdiction', j, '--db', srv.db]);
      assert.equal(r.status, 1, j);
      assert.match(r.stderr, re);
    }
    const r = cli(['import', 'enterprises', f, '--jurisdiction', '310116101', '--db', srv.db]);
    assert.equal(r.status, 0, r.stderr);
    const theirs = (await enterprises(zhujing)).filter((e) => codes.includes(e.uscc));
    assert.equal(theirs.length, 2);
    assert.ok(theirs.every((e) => e.jurisdiction.id === 6));
    for (const t of ['enterprise_contacts', 'enterprise_tags']) {
      assert.equal(sql(`SELECT DISTINCT r.district_id FROM ${t} r JOIN enterprises e ON e.id = r.enterprise_id WHERE e.uscc IN ('${codes.join("','")}')`), '3', t);
    }
    // Without it: the home town.
    const g = join(dir, 'home.csv');
    const home = uscc();
    writeFileSync(g, `uscc,name_zh,industry\r\n${home},本镇导入企业,2231\r\n`);
    assert.equal(cli(['import', 'enterprises', g, '--db', srv.db]).status, 0);
    assert.equal((await enterprises(zhangyan)).filter((e) => e.uscc === home).length, 1);
    assert.equal(cli(['import', 'enterprises', g, '--jurisdiction']).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The chain graph is the whole city's; its names are the registry's.
test('chain nodes, partners and loops name only enterprises of the caller\'s places', async () => {
  const theirs = (await enterprises(zhujing))[0].id;
  const mine = new Set((await enterprises(zhangyan)).map((e) => e.id));
  const node = (await ok(officer, '/api/v1/clusters/1/chain')).nodes[0].id;
  // A Zhujing firm that makes what a Zhangyan node stands for.
  let r = await officer.call('PUT', `/api/v1/enterprises/${theirs}/products/${node}`, { capacity: 1000 });
  assert.ok(r.status === 200 || r.status === 201 || r.status === 204, r.text);

  const whole = await ok(officer, `/api/v1/chain/nodes/${node}`);
  const town = await ok(zhangyan, `/api/v1/chain/nodes/${node}`);
  assert.ok(whole.producers.some((p) => p.id === theirs), 'the whole tree sees the Zhujing producer');
  assert.ok(!town.producers.some((p) => p.id === theirs), 'Zhangyan does not');
  for (const side of ['producers', 'consumers']) {
    for (const p of town[side]) assert.ok(mine.has(p.id), `${side}: ${p.id} is not Zhangyan's`);
    // What is left out is counted, and is exactly what lies elsewhere.
    const elsewhere = whole[side].filter((p) => !mine.has(p.id)).length;
    assert.equal(town.elsewhere[side], elsewhere, side);
    assert.equal(town[side].length + town.elsewhere[side], whole[side].length, side);
    assert.equal(whole.elsewhere[side], 0, `${side}: the whole tree leaves nothing out`);
  }
  assert.ok(town.elsewhere.producers >= 1);

  // Partners recommended to a Zhangyan firm: its own town's only.
  const firm = mine.has(1) ? 1 : [...mine][0];
  const wantsIt = (await ok(officer, `/api/v1/enterprises/${firm}/partners?limit=100`)).items;
  const cut = (await ok(zhangyan, `/api/v1/enterprises/${firm}/partners?limit=100`)).items;
  for (const p of cut) assert.ok(mine.has(p.partner.id), `partner ${p.partner.id} is not Zhangyan's`);
  assert.deepEqual(cut.map((p) => p.partner.id),
    wantsIt.filter((p) => mine.has(p.partner.id)).map((p) => p.partner.id).slice(0, cut.length));

  // Loops: a member elsewhere is there, but nameless.
  const loops = await ok(zhangyan, '/api/v1/clusters/1/loops');
  for (const l of loops.items) {
    for (const m of l.members) {
      if (m.elsewhere) assert.deepEqual(m, { id: null, elsewhere: true });
      else assert.ok(mine.has(m.id), `loop member ${m.id}`);
    }
  }
  for (const l of loops.near_loops) {
    for (const m of [l.supplier, l.customer]) if (!m.elsewhere) assert.ok(mine.has(m.id));
  }
  r = await officer.call('DELETE', `/api/v1/enterprises/${theirs}/products/${node}`);
  assert.ok(r.status < 300, r.text);
});

test('the firms an enterprise attracted: those settled in clusters the caller sees', async () => {
  // Qifan's town now (an earlier test may have moved it), and the nodes
  // of the clusters that town's officer sees.
  const home = (await ok(officer, '/api/v1/enterprises/1')).jurisdiction.id;
  const caller = home === 6 ? zhujing : zhangyan;
  const clusters = (await ok(caller, '/api/v1/clusters')).items;
  const nodes = new Set();
  for (const c of clusters) for (const n of (await ok(caller, `/api/v1/clusters/${c.id}/chain`)).nodes) nodes.add(n.id);
  // One of Qifan's settled leads moved into a cluster of the other town,
  // so that both outcomes are present whichever town holds Qifan.
  const other = home === 6 ? 1 : made.townCluster;
  let r = await officer.call('POST', `/api/v1/clusters/${other}/chain/nodes`,
    { code: 'attr_film', name_zh: '包装薄膜', name_en: 'Packaging film', kind: 'material', stage: 'upstream' });
  assert.equal(r.status, 201, r.text);
  const elsewhere = r.json.id ?? r.json.node?.id;
  const before = await ok(officer, '/api/v1/enterprises/1/attracted');
  assert.ok(before.count >= 2, 'the demo has settled leads brought by Qifan');
  const moved = before.items.find((l) => nodes.has(l.node_id))?.id ?? before.items[0].id;
  const old = sql(`SELECT node_id FROM leads WHERE id = ${moved}`);
  sql(`UPDATE leads SET node_id = ${elsewhere} WHERE id = ${moved}`);
  try {
    const whole = await ok(officer, '/api/v1/enterprises/1/attracted');
    const cut = await ok(caller, '/api/v1/enterprises/1/attracted');
    assert.equal(whole.count, before.count);
    assert.ok(whole.items.some((l) => l.id === moved));
    assert.ok(!cut.items.some((l) => l.id === moved), 'a lead of a cluster the caller does not see');
    assert.deepEqual(cut.items.map((l) => l.id), whole.items.filter((l) => nodes.has(l.node_id)).map((l) => l.id));
    assert.equal(cut.count, cut.items.length);
  } finally {
    sql(`UPDATE leads SET node_id = ${old} WHERE id = ${moved}`);
  }
});

test('a town\'s grids hold its own enterprises: another town\'s point inside them stays unplaced', async () => {
  // A located enterprise of Zhangyan, and its grid.
  const zy = (await enterprises(zhangyan)).find((e) => e.grid_id && e.lon !== null);
  assert.ok(zy, 'a placed enterprise of Zhangyan');
  const { lon, lat } = zy;
  // Zhujing's enterprise at that very point: Zhangyan's team does not get it.
  let r = await officer.call('POST', '/api/v1/enterprises', firm({ lon, lat, jurisdiction: '310116101' }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.jurisdiction.id, 6);
  assert.equal(r.json.grid_id, null, 'not placed in a grid of Zhangyan');
  const stray = r.json.id;
  assert.ok((await ok(zhujing, '/api/v1/grids/unplaced')).items.some((e) => e.id === stray), 'Zhujing sees it unplaced');
  assert.ok(!(await ok(zhangyan, '/api/v1/grids/unplaced')).items.some((e) => e.id === stray), 'nor is it Zhangyan\'s');

  // A grid write of Zhangyan re-places the enterprises its grids may hold,
  // and no other town's: counted against the tree read on its own.
  const all = await enterprises(officer);
  const up = new Set(); for (let j = node(1); j; j = j.parent_id ? node(j.parent_id) : null) up.add(j.id);
  const mayHold = all.filter((e) => e.lon !== null && (subtree(1).has(e.jurisdiction.id) || up.has(e.jurisdiction.id)));
  const g = await zhangyan.call('GET', `/api/v1/grids/${zy.grid_id}`);
  assert.equal(g.status, 200, g.text);
  const { code, name_zh, level, parent_id, geometry } = g.json.grid;
  r = await zhangyan.call('PUT', `/api/v1/grids/${zy.grid_id}`, { code, name_zh, level, parent_id, geometry }, { 'If-Match': g.headers.get('etag') });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.placement.located, mayHold.length);
  assert.equal(r.json.placement.moved, 0);
  assert.ok(r.json.placement.located < all.filter((e) => e.lon !== null).length, 'fewer than the whole tree\'s');
  assert.equal((await ok(officer, `/api/v1/enterprises/${stray}`)).grid_id, null, 'still unplaced after the write');

  // Moved to Zhujing, a Zhangyan enterprise leaves its Zhangyan grid.
  const before = await zhangyan.call('GET', `/api/v1/enterprises/${zy.id}`);
  r = await zhangyan.call('POST', `/api/v1/enterprises/${zy.id}/move`, { to: '310116101', reason: '迁往朱泾' }, { 'If-Match': before.headers.get('etag') });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.enterprise.grid_id, null);
  assert.equal((await ok(zhujing, `/api/v1/enterprises/${zy.id}`)).grid_id, null);
});
