// Keeping a chain template over HTTP: a node renamed, retired, put back
// in use and deleted, an edge removed, each audited and refused with the
// field and the rule when bad, nothing half-written; who may do it; and
// an enterprise's part in the chain read for its page.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());
const names = ['admin', 'officer', 'secretary', 'secretary2', 'grid', 'handler', 'qifan', 'officer.zhujing'];
const as = {};
for (const n of names) as[n] = await login(srv.url, n);
const { admin, officer, secretary, secretary2, grid, handler, qifan } = as;
const zhujing = as['officer.zhujing'];

let serial = 0;
const uniq = () => `${process.pid.toString(36)}_${++serial}`;
const map = async () => (await officer.call('GET', '/api/v1/clusters/1/chain')).json;
const byCode = async (code) => (await map()).nodes.find((n) => n.code === code);
const audit = async (entity, id) => (await admin.call('GET', `/api/v1/audit?entity=${entity}&entity_id=${id}&limit=100`)).json.items;

async function newNode(who = officer, extra = {}) {
  const r = await who.call('POST', '/api/v1/clusters/1/chain/nodes',
    { code: `t_${uniq()}`, name_zh: '测试节点', name_en: 'Test node', kind: 'component', stage: 'midstream', ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json;
}
function refused(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error.code, code, r.text);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
}

test('a node is renamed and moved to another stage; the map reads the change, the audit keeps both', async () => {
  const n = await newNode();
  const r = await officer.call('PUT', `/api/v1/chain/nodes/${n.id}`, { name_zh: '光纤预制棒套管', name_en: 'Preform jacket tube', stage: 'upstream', kind: 'material' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual({ ...r.json }, { ...n, name_zh: '光纤预制棒套管', name_en: 'Preform jacket tube', stage: 'upstream', kind: 'material', retired: false });
  const m = (await map()).nodes.find((x) => x.id === n.id);
  assert.equal(m.name_en, 'Preform jacket tube', 'the map is reloaded after the write');
  assert.equal(m.stage, 'upstream');
  const a = await audit('chain_node', n.id);
  const upd = a.find((x) => x.action === 'update');
  assert.ok(upd, JSON.stringify(a));
  assert.equal(upd.before.name_en, 'Test node');
  assert.equal(upd.after.name_en, 'Preform jacket tube');
  // The same values again: no write, no audit entry.
  const again = await officer.call('PUT', `/api/v1/chain/nodes/${n.id}`, { name_en: 'Preform jacket tube' });
  assert.equal(again.status, 200);
  assert.equal((await audit('chain_node', n.id)).filter((x) => x.action === 'update').length, 1);
  // A new code, unique in the cluster.
  const code = `renamed_${uniq()}`;
  assert.equal((await officer.call('PUT', `/api/v1/chain/nodes/${n.id}`, { code })).json.code, code);
});

test('a bad edit names its field and rule and changes nothing', async () => {
  const n = await newNode();
  const other = await newNode();
  const cases = [
    [{}, 422, 'required', null],
    [{ colour: 'red' }, 422, 'unknown_field', 'colour'],
    [{ code: 'Bad Code' }, 422, 'invalid_code', 'code'],
    [{ code: '' }, 422, 'required', 'code'],
    [{ name_zh: '' }, 422, 'required', 'name_zh'],
    [{ name_en: 'x'.repeat(51) }, 422, 'too_long', 'name_en'],
    [{ name_zh: 5 }, 422, 'wrong_type', 'name_zh'],
    [{ kind: 'machine' }, 422, 'invalid_enum', 'kind'],
    [{ stage: 'leading' }, 422, 'invalid_enum', 'stage'],
    [{ retired: 'yes' }, 422, 'wrong_type', 'retired'],
    [{ code: other.code }, 409, 'duplicate_node', 'code'],
  ];
  for (const [body, status, code, field] of cases) {
    const r = await officer.call('PUT', `/api/v1/chain/nodes/${n.id}`, body);
    assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
    const errs = r.json.error.errors || [r.json.error];
    assert.ok(errs.some((e) => e.code === code && (field === null || e.field === field)), `${JSON.stringify(body)}: ${r.text}`);
  }
  // Two bad fields with a good one: both named, the good one not written.
  const two = await officer.call('PUT', `/api/v1/chain/nodes/${n.id}`, { name_zh: '改了', kind: 'x', stage: 'y' });
  assert.deepEqual(two.json.error.errors.map((e) => e.field).sort(), ['kind', 'stage']);
  const now = (await map()).nodes.find((x) => x.id === n.id);
  assert.equal(now.name_zh, '测试节点');
  assert.equal(now.code, n.code);
  assert.equal((await audit('chain_node', n.id)).filter((x) => x.action !== 'create').length, 0);
  refused(await officer.call('PUT', '/api/v1/chain/nodes/999999', { name_en: 'x' }), 404, 'not_found', 'id');
});

test('a retired node keeps its history, is no gap, and nothing new may name it until it is back in use', async () => {
  const resin = await byCode('coating_resin');
  assert.equal(resin.state, 'gap');
  const gapsBefore = (await officer.call('GET', '/api/v1/clusters/1/gaps')).json.items.map((g) => g.node.code);
  assert.ok(gapsBefore.includes('coating_resin'));
  const leadsBefore = (await officer.call('GET', `/api/v1/chain/nodes/${resin.id}`)).json;

  const r = await officer.call('PUT', `/api/v1/chain/nodes/${resin.id}`, { retired: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.retired, true);
  assert.ok((await audit('chain_node', resin.id)).some((a) => a.action === 'retire'));
  const m = (await map()).nodes.find((x) => x.id === resin.id);
  assert.equal(m.retired, true, 'still on the map, marked');
  assert.ok(m.demand_in_park > 0, 'its history is kept');
  const gaps = (await officer.call('GET', '/api/v1/clusters/1/gaps')).json.items.map((g) => g.node.code);
  assert.ok(!gaps.includes('coating_resin'), 'no gap to fill');
  const detail = (await officer.call('GET', `/api/v1/chain/nodes/${resin.id}`)).json;
  assert.equal(detail.consumers.length, leadsBefore.consumers.length);
  assert.equal(detail.leads.length, leadsBefore.leads.length);

  // Nothing new names it.
  const buyer = detail.consumers[0].id;
  refused(await officer.call('PUT', `/api/v1/enterprises/1/products/${resin.id}`, { capacity: 10 }), 422, 'node_retired', 'node_id');
  refused(await officer.call('PUT', `/api/v1/enterprises/1/needs/${resin.id}`, { annual_need: 10 }), 422, 'node_retired', 'node_id');
  refused(await officer.call('POST', '/api/v1/supply-links', { supplier_id: 2, customer_id: buyer, node_id: resin.id, annual_value: 5, since: '2024-01-01' }), 422, 'node_retired', 'node_id');
  refused(await officer.call('POST', '/api/v1/leads', { name: `意向企业${uniq()}`, node_id: resin.id }), 422, 'node_retired', 'node_id');
  const fibre = await byCode('optical_fibre');
  refused(await officer.call('POST', '/api/v1/clusters/1/chain/edges', { from: resin.id, to: fibre.id }), 422, 'node_retired', 'from');
  const loose = await newNode();
  refused(await officer.call('POST', '/api/v1/clusters/1/chain/edges', { from: loose.id, to: resin.id }), 422, 'node_retired', 'to');
  // What was bought of it may still be removed.
  assert.equal((await officer.call('DELETE', `/api/v1/enterprises/${buyer}/needs/${resin.id}`)).status, 200);

  // Back in use: named again, a gap again.
  const back = await officer.call('PUT', `/api/v1/chain/nodes/${resin.id}`, { retired: false });
  assert.equal(back.json.retired, false);
  assert.ok((await audit('chain_node', resin.id)).some((a) => a.action === 'reinstate'));
  assert.equal((await officer.call('PUT', `/api/v1/enterprises/${buyer}/needs/${resin.id}`, { annual_need: 12 })).status, 200);
  assert.ok((await officer.call('GET', '/api/v1/clusters/1/gaps')).json.items.some((g) => g.node.code === 'coating_resin'));
});

test('a node nothing names is deleted with its edges; one with history is refused, counted, and kept', async () => {
  const resin = await byCode('coating_resin');
  const inUse = await officer.call('DELETE', `/api/v1/chain/nodes/${resin.id}`);
  refused(inUse, 409, 'node_in_use', 'id');
  assert.match(inUse.json.error.message, /enterprises? buying it/);
  assert.match(inUse.json.error.message, /2 leads/);
  assert.match(inUse.json.error.message, /retire/);
  assert.ok(await byCode('coating_resin'), 'still there');

  const a = await newNode();
  const b = await newNode();
  const c = await newNode();
  for (const [from, to] of [[a.id, b.id], [b.id, c.id]]) {
    assert.equal((await officer.call('POST', '/api/v1/clusters/1/chain/edges', { from, to })).status, 201);
  }
  const del = await officer.call('DELETE', `/api/v1/chain/nodes/${b.id}`);
  assert.equal(del.status, 204, del.text);
  const m = await map();
  assert.ok(!m.nodes.some((n) => n.id === b.id));
  assert.ok(!m.edges.some((e) => e.from === b.id || e.to === b.id), 'its edges went with it');
  assert.equal((await officer.call('GET', `/api/v1/chain/nodes/${b.id}`)).status, 404);
  const entry = (await audit('chain_node', b.id)).find((x) => x.action === 'delete');
  assert.equal(entry.before.code, b.code);
  refused(await officer.call('DELETE', `/api/v1/chain/nodes/${b.id}`), 404, 'not_found');

  // A node some enterprise makes.
  const made = await newNode();
  assert.equal((await officer.call('PUT', `/api/v1/enterprises/2/products/${made.id}`, { capacity: 30 })).status, 200);
  const refusedMade = await officer.call('DELETE', `/api/v1/chain/nodes/${made.id}`);
  refused(refusedMade, 409, 'node_in_use');
  assert.match(refusedMade.json.error.message, /1 enterprise making it/);
});

test('an edge is removed and audited; one that is not there is 404', async () => {
  const a = await newNode();
  const b = await newNode();
  assert.equal((await officer.call('POST', '/api/v1/clusters/1/chain/edges', { from: a.id, to: b.id })).status, 201);
  const r = await officer.call('DELETE', `/api/v1/clusters/1/chain/edges/${a.id}/${b.id}`);
  assert.equal(r.status, 204, r.text);
  assert.ok(!(await map()).edges.some((e) => e.from === a.id && e.to === b.id));
  assert.ok((await audit('chain_edge', a.id)).some((x) => x.action === 'delete' && x.before.to === b.id));
  refused(await officer.call('DELETE', `/api/v1/clusters/1/chain/edges/${a.id}/${b.id}`), 404, 'not_found');
  refused(await officer.call('DELETE', `/api/v1/clusters/1/chain/edges/${b.id}/${a.id}`), 404, 'not_found');
  // Nodes of another cluster are no edge of this one.
  const other = (await officer.call('GET', '/api/v1/clusters/2/chain')).json;
  const e2 = other.edges[0];
  refused(await officer.call('DELETE', `/api/v1/clusters/1/chain/edges/${e2.from}/${e2.to}`), 404, 'not_found');
  assert.ok((await officer.call('GET', '/api/v1/clusters/2/chain')).json.edges.some((e) => e.from === e2.from && e.to === e2.to));
  refused(await officer.call('DELETE', `/api/v1/clusters/1/chain/edges/${a.id}/abc`), 404, 'not_found');
});

test('only admins, officers and the cluster\'s secretary keep the template; others are refused and nothing changes', async () => {
  const n = await newNode();
  // The cluster's secretary may; another cluster's may not.
  assert.equal((await secretary.call('PUT', `/api/v1/chain/nodes/${n.id}`, { name_en: 'By the secretary' })).status, 200);
  refused(await secretary2.call('PUT', `/api/v1/chain/nodes/${n.id}`, { name_en: 'x' }), 403, 'forbidden');
  refused(await secretary2.call('DELETE', `/api/v1/chain/nodes/${n.id}`), 403, 'forbidden');
  for (const who of [grid, handler, qifan]) {
    refused(await who.call('PUT', `/api/v1/chain/nodes/${n.id}`, { name_en: 'x' }), 403, 'forbidden');
    refused(await who.call('DELETE', `/api/v1/chain/nodes/${n.id}`), 403, 'forbidden');
    refused(await who.call('POST', '/api/v1/clusters/1/chain/nodes', { code: `x_${uniq()}`, name_zh: '节点', name_en: 'Node', kind: 'material', stage: 'upstream' }), 403, 'forbidden');
  }
  const m = await newNode();
  assert.equal((await officer.call('POST', '/api/v1/clusters/1/chain/edges', { from: n.id, to: m.id })).status, 201);
  for (const who of [secretary2, grid, handler, qifan]) {
    refused(await who.call('DELETE', `/api/v1/clusters/1/chain/edges/${n.id}/${m.id}`), 403, 'forbidden');
  }
  // An officer of another town does not see this town's clusters.
  refused(await zhujing.call('PUT', `/api/v1/chain/nodes/${n.id}`, { name_en: 'x' }), 404, 'not_found');
  refused(await zhujing.call('DELETE', `/api/v1/chain/nodes/${n.id}`), 404, 'not_found');
  refused(await zhujing.call('DELETE', `/api/v1/clusters/1/chain/edges/${n.id}/${m.id}`), 404, 'not_found');
  const after = (await map());
  assert.equal(after.nodes.find((x) => x.id === n.id).name_en, 'By the secretary');
  assert.ok(after.edges.some((e) => e.from === n.id && e.to === m.id));
});

test('an enterprise\'s part in the chain: what it makes and buys, its links, and the nodes to pick from', async () => {
  const r = await officer.call('GET', '/api/v1/enterprises/1/chain');
  assert.equal(r.status, 200, r.text);
  const c = r.json;
  assert.equal(c.enterprise_id, 1);
  assert.equal(c.cluster_id, 1);
  assert.ok(c.products.some((p) => p.node.code === 'optical_cable' && p.capacity > 0));
  assert.ok(c.needs.some((p) => p.node.code === 'optical_fibre' && p.annual_need > 0));
  assert.ok(c.links.length > 0);
  for (const l of c.links) {
    assert.ok(['sells', 'buys'].includes(l.direction));
    assert.ok(l.partner.id && (l.partner.name_zh || l.partner.name_en), JSON.stringify(l));
    assert.match(l.since, /^\d{4}-\d\d-\d\d$/);
    assert.equal(typeof l.annual_value, 'number');
  }
  assert.ok(c.links.some((l) => l.direction === 'buys'));
  // Running links first.
  const ended = c.links.findIndex((l) => l.until !== null);
  if (ended >= 0) assert.ok(c.links.slice(ended).every((l) => l.until !== null));
  assert.equal(c.links_truncated, false);
  const m = await map();
  assert.deepEqual(c.choices.map((n) => n.id).sort((a, b) => a - b),
    m.nodes.filter((n) => !n.retired).map((n) => n.id).sort((a, b) => a - b));

  // A change shows at once; a retired node is no choice.
  const n = await newNode();
  assert.equal((await officer.call('PUT', `/api/v1/enterprises/1/products/${n.id}`, { capacity: 42 })).status, 200);
  await officer.call('PUT', `/api/v1/chain/nodes/${n.id}`, { retired: true });
  const c2 = (await officer.call('GET', '/api/v1/enterprises/1/chain')).json;
  assert.equal(c2.products.find((p) => p.node.id === n.id).capacity, 42);
  assert.equal(c2.products.find((p) => p.node.id === n.id).node.retired, true);
  assert.ok(!c2.choices.some((x) => x.id === n.id));

  // A recorded link is listed on both sides.
  const link = await officer.call('POST', '/api/v1/supply-links', { supplier_id: 3, customer_id: 1, node_id: c.choices[0].id, annual_value: 77, since: '2025-03-01' });
  assert.equal(link.status, 201, link.text);
  const mine = (await officer.call('GET', '/api/v1/enterprises/1/chain')).json.links.find((l) => l.id === link.json.id);
  assert.equal(mine.direction, 'buys');
  assert.equal(mine.partner.id, 3);
  assert.equal(mine.until, null);
  assert.equal(mine.source, 'declared');
  const theirs = (await officer.call('GET', '/api/v1/enterprises/3/chain')).json.links.find((l) => l.id === link.json.id);
  assert.equal(theirs.direction, 'sells');
  assert.equal(theirs.partner.id, 1);

  // Readers: chain readers and the enterprise's own contact.
  assert.equal((await handler.call('GET', '/api/v1/enterprises/1/chain')).status, 200);
  assert.equal((await qifan.call('GET', '/api/v1/enterprises/1/chain')).status, 200);
  const foreign = await qifan.call('GET', '/api/v1/enterprises/2/chain');
  assert.ok([403, 404].includes(foreign.status), foreign.text);
  refused(await zhujing.call('GET', '/api/v1/enterprises/1/chain'), 404, 'not_found');
  refused(await officer.call('GET', '/api/v1/enterprises/999999/chain'), 404, 'not_found');
});

// A valid Unified Social Credit Code of Jinshan from a body of 8.
const ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function uscc(body8) {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const v = (c) => (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55);
  const c1 = 11 - ([...body8].reduce((a, c, i) => a + v(c) * w[i], 0) % 11);
  const c17 = '91310116' + body8 + (c1 === 10 ? 'X' : c1 === 11 ? '0' : String(c1));
  const s = [...c17].reduce((a, c, i) => a + ALPHA.indexOf(c) * W[i], 0);
  return c17 + ALPHA[(31 - (s % 31)) % 31];
}

test('a partner outside the caller\'s places is not named', async () => {
  // An enterprise of Zhujing, the neighbouring town, buying from Qifan
  // Cable in Zhangyan: Zhujing's officer reads the link, not Qifan's name.
  const e = await admin.call('POST', '/api/v1/enterprises', {
    uscc: uscc('CHED0001'), name_zh: '上海朱泾链测试有限公司', industry: '3833', jurisdiction: '310116101',
  });
  assert.equal(e.status, 201, e.text);
  const node = (await officer.call('GET', '/api/v1/enterprises/1/chain')).json.choices[0].id;
  const r = await admin.call('POST', '/api/v1/supply-links', { supplier_id: 1, customer_id: e.json.id, node_id: node, annual_value: 9, since: '2025-01-01' });
  assert.equal(r.status, 201, r.text);
  const got = (await zhujing.call('GET', `/api/v1/enterprises/${e.json.id}/chain`)).json.links.find((l) => l.id === r.json.id);
  assert.deepEqual(got.partner, { id: null, elsewhere: true });
  assert.equal(got.direction, 'buys');
  const all = (await admin.call('GET', `/api/v1/enterprises/${e.json.id}/chain`)).json.links.find((l) => l.id === r.json.id);
  assert.equal(all.partner.id, 1);
  assert.equal(all.partner.name_zh, '上海起帆电缆股份有限公司');
});
