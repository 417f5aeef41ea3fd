// Industrial chains over HTTP: the map, gaps, localisation, loops, partner
// recommendations, the attraction pipeline, and every kind of bad edit.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());
const officer = await login(srv.url, 'officer');
const admin = await login(srv.url, 'admin');

const map = async (c = 1) => (await officer.call('GET', `/api/v1/clusters/${c}/chain`)).json;
const node = (m, code) => m.nodes.find((n) => n.code === code);
const auditCount = async () => (await admin.call('GET', '/api/v1/audit?limit=1000')).json.items.length;

test('the optoelectronic chain map shows covered nodes, gaps and nodes made only outside', async () => {
  const m = await map();
  assert.equal(m.cluster.name_en, 'Optoelectronic transmission');
  assert.ok(m.nodes.length >= 15);
  assert.ok(m.edges.length >= 15);
  for (const e of m.edges) assert.ok(m.nodes.some((n) => n.id === e.from) && m.nodes.some((n) => n.id === e.to));
  assert.equal(node(m, 'optical_cable').state, 'covered');
  assert.ok(node(m, 'optical_cable').producers_in_park >= 1);
  assert.equal(node(m, 'coating_resin').state, 'gap');
  assert.equal(node(m, 'coating_resin').producers_in_park, 0);
  assert.ok(node(m, 'coating_resin').demand_in_park > 0);
  assert.equal(node(m, 'copper_rod').state, 'outside_only');
  assert.ok(node(m, 'copper_rod').value_from_outside > 0);
  assert.equal(node(m, 'coating_resin').open_leads, 2);
});

test('gaps are ranked by the demand they would serve, with the leads aimed at them', async () => {
  const g = (await officer.call('GET', '/api/v1/clusters/1/gaps')).json.items;
  assert.ok(g.length >= 4);
  for (let i = 1; i < g.length; i++) assert.ok(g[i - 1].demand_in_park >= g[i].demand_in_park);
  const resin = g.find((x) => x.node.code === 'coating_resin');
  assert.equal(resin.state, 'gap');
  assert.equal(resin.leads.length, 2);
  assert.ok(resin.leads.every((l) => !['settled', 'dropped'].includes(l.stage)));
});

test('84 enterprises were attracted around Qifan Cable: a count of settled leads', async () => {
  const r = await officer.call('GET', '/api/v1/enterprises/1/attracted');
  assert.equal(r.status, 200);
  assert.equal(r.json.count, 84);
  assert.ok(r.json.items.every((l) => l.stage === 'settled' && l.enterprise_id));
  const names = (await Promise.all(r.json.items.slice(0, 84).map((l) => officer.call('GET', `/api/v1/enterprises/${l.enterprise_id}`))))
    .map((x) => x.json.name_en);
  for (const n of ['Shanghai Xieyi Industrial Co., Ltd.', 'Shanghai Zili Plastic Technology Co., Ltd.',
    'Shuaiyi Chi New Materials Group Co., Ltd.', 'Shanghai Niwei Intelligent Technology Co., Ltd.']) {
    assert.ok(names.includes(n), n);
  }
});

test('localisation rises as attracted suppliers settle', async () => {
  const r = await officer.call('GET', '/api/v1/clusters/1/localisation?from=2016&to=2024');
  assert.equal(r.status, 200);
  const c = r.json.cluster; const q = r.json.leading;
  assert.equal(c.length, 9);
  assert.ok(c[8].rate > c[0].rate, 'cluster rate rises');
  assert.ok(q[8].rate > q[0].rate, 'leading enterprise rate rises');
  for (const y of [...c, ...q]) assert.ok(y.rate === null || (y.rate >= 0 && y.rate <= 1));
  for (const y of c) if (y.rate !== null) assert.ok(Math.abs(y.rate - y.bought_in_park / y.bought_total) < 1e-3);
  const e = await officer.call('GET', '/api/v1/enterprises/1/localisation?from=2020&to=2024');
  assert.equal(e.json.series.length, 5);
  assert.equal((await officer.call('GET', '/api/v1/clusters/1/localisation?from=2024&to=2016')).status, 400);
});

test('the park has a local loop around Qifan Cable', async () => {
  const r = await officer.call('GET', '/api/v1/clusters/1/loops');
  assert.equal(r.status, 200);
  assert.ok(r.json.items.length >= 1);
  assert.ok(r.json.items.some((l) => l.members.some((m) => m.id === 1)));
  for (const l of r.json.items) assert.equal(l.members.length, l.size);
  assert.ok(Array.isArray(r.json.near_loops));
});

test('partner recommendations come with the reasons that earned them', async () => {
  const r = await officer.call('GET', '/api/v1/enterprises/2/partners?limit=10');
  assert.equal(r.status, 200);
  const items = r.json.items;
  assert.ok(items.length > 0);
  for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].score >= items[i].score);
  for (const p of items) {
    assert.notEqual(p.partner.id, 2);
    const sum = p.reasons.reduce((a, x) => a + x.points, 0);
    assert.ok(Math.abs(sum - p.score) < 0.02, `score ${p.score} = sum of reasons ${sum}`);
    assert.ok(p.reasons.some((x) => x.reason === 'node_match' && x.points === 40));
    assert.ok(['supplier', 'customer'].includes(p.role));
  }
  // an enterprise contact sees its own partners, not another's, nor the map
  const qifan = await login(srv.url, 'qifan');
  assert.equal((await qifan.call('GET', '/api/v1/enterprises/1/partners')).status, 200);
  assert.equal((await qifan.call('GET', '/api/v1/enterprises/2/partners')).status, 403);
  assert.equal((await qifan.call('GET', '/api/v1/clusters/1/chain')).status, 403);
  assert.equal((await officer.call('GET', '/api/v1/enterprises/999999/partners')).status, 404);
});

test('recording a contact from a recommendation', async () => {
  const rec = (await officer.call('GET', '/api/v1/enterprises/2/partners?limit=1')).json.items[0];
  const r = await officer.call('POST', '/api/v1/enterprises/2/partner-contacts',
    { partner_id: rec.partner.id, node_id: rec.node.id, role: rec.role, note: '已电话介绍' });
  assert.equal(r.status, 201, r.text);
  const bad = await officer.call('POST', '/api/v1/enterprises/2/partner-contacts', { partner_id: 2, node_id: rec.node.id, role: 'supplier' });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.field, 'partner_id');
});

test('a template edit that would make a cycle is refused and names the cycle', async () => {
  const m = await map();
  const a0 = await auditCount();
  const r = await officer.call('POST', '/api/v1/clusters/1/chain/edges',
    { from: node(m, 'optical_cable').id, to: node(m, 'optical_fibre').id });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'would_make_cycle');
  assert.match(r.json.error.message, /optical_fibre → optical_cable → optical_fibre|optical_cable → optical_fibre → optical_cable/);
  const self = await officer.call('POST', '/api/v1/clusters/1/chain/edges', { from: node(m, 'optical_cable').id, to: node(m, 'optical_cable').id });
  assert.equal(self.status, 422);
  const other = await officer.call('POST', '/api/v1/clusters/1/chain/edges', { from: node(m, 'optical_cable').id, to: node(await map(2), 'film').id });
  assert.equal(other.status, 422);
  const unknown = await officer.call('POST', '/api/v1/clusters/1/chain/edges', { from: 99999, to: node(m, 'optical_cable').id });
  assert.equal(unknown.status, 422);
  assert.equal((await map()).edges.length, m.edges.length, 'no edge written');
  assert.equal(await auditCount(), a0);
  // a good edit lands and shows on the map
  const n = await officer.call('POST', '/api/v1/clusters/1/chain/nodes',
    { code: 'ribbon_fibre', name_zh: '带状光纤', name_en: 'Ribbon fibre', kind: 'component', stage: 'midstream' });
  assert.equal(n.status, 201, n.text);
  const e = await officer.call('POST', '/api/v1/clusters/1/chain/edges', { from: n.json.id, to: node(m, 'optical_cable').id });
  assert.equal(e.status, 201, e.text);
  const m2 = await map();
  assert.equal(node(m2, 'ribbon_fibre').state, 'gap');
  assert.equal(m2.edges.length, m.edges.length + 1);
  const dup = await officer.call('POST', '/api/v1/clusters/1/chain/nodes',
    { code: 'ribbon_fibre', name_zh: 'x', name_en: 'x', kind: 'component', stage: 'midstream' });
  assert.equal(dup.status, 409);
  const badNode = await officer.call('POST', '/api/v1/clusters/1/chain/nodes', { code: 'Bad Code', name_zh: 'x', name_en: 'x', kind: 'gadget', stage: 'leading' });
  assert.equal(badNode.status, 422);
  assert.deepEqual(badNode.json.error.errors.map((x) => x.field).sort(), ['code', 'kind', 'stage']);
  const sec2 = await login(srv.url, 'secretary2');
  assert.equal((await sec2.call('POST', '/api/v1/clusters/1/chain/nodes', { code: 'x1', name_zh: 'x', name_en: 'x', kind: 'service', stage: 'service' })).status, 403);
});

test('supply links: bad ones are refused with nothing written, a good one moves the map', async () => {
  const m = await map();
  const fibre = node(m, 'coating_resin');
  const a0 = await auditCount();
  const base = { supplier_id: 2, customer_id: 1, node_id: fibre.id, annual_value: 100, since: '2024-01-01' };
  for (const [body, field] of [
    [{ ...base, supplier_id: 999999 }, 'supplier_id'],
    [{ ...base, customer_id: 999999 }, 'customer_id'],
    [{ ...base, node_id: 999999 }, 'node_id'],
    [{ ...base, customer_id: 2 }, 'customer_id'],
    [{ ...base, annual_value: -5 }, 'annual_value'],
    [{ ...base, annual_value: '5' }, 'annual_value'],
    [{ ...base, since: '2024-13-01' }, 'since'],
    [{ ...base, until: '2020-01-01' }, 'until'],
    [{ ...base, source: 'rumour' }, 'source'],
    [{ supplier_id: 2 }, 'customer_id'],
  ]) {
    const r = await officer.call('POST', '/api/v1/supply-links', body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.ok([r.json.error.field, ...(r.json.error.errors || []).map((x) => x.field)].includes(field), `${field}: ${r.text}`);
  }
  assert.equal((await officer.call('POST', '/api/v1/supply-links', '{bad json')).status, 400);
  assert.equal(await auditCount(), a0, 'nothing written');
  assert.equal(node(await map(), 'coating_resin').value_from_outside, fibre.value_from_outside);
  // an enterprise may declare its own links only
  const qifan = await login(srv.url, 'qifan');
  assert.equal((await qifan.call('POST', '/api/v1/supply-links', { ...base, supplier_id: 3, customer_id: 2 })).status, 403);
  const ok = await officer.call('POST', '/api/v1/supply-links', { ...base, source: 'visit' });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(await auditCount(), a0 + 1);
});

test('what an enterprise makes and buys', async () => {
  const m = await map();
  const resin = node(m, 'coating_resin');
  let r = await officer.call('PUT', `/api/v1/enterprises/3/products/${resin.id}`, { capacity: 500 });
  assert.equal(r.status, 200, r.text);
  assert.equal(node(await map(), 'coating_resin').state, 'covered');
  r = await officer.call('PUT', `/api/v1/enterprises/3/products/${resin.id}`, { capacity: -1 });
  assert.equal(r.status, 422);
  r = await officer.call('DELETE', `/api/v1/enterprises/3/products/${resin.id}`);
  assert.equal(r.status, 200);
  assert.equal(node(await map(), 'coating_resin').state, 'gap');
  assert.equal((await officer.call('PUT', '/api/v1/enterprises/3/needs/99999', { annual_need: 5 })).status, 404);
});

test('the attraction pipeline moves one stage at a time', async () => {
  const m = await map();
  const resin = node(m, 'coating_resin');
  const r = await officer.call('POST', '/api/v1/leads', { name: '江苏测试涂料有限公司', node_id: resin.id, introduced_by_enterprise_id: 1, contacted_on: '2024-09-01' });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  assert.equal(r.json.stage, 'contacted');
  assert.equal(r.json.introduced_by, '上海起帆电缆股份有限公司');
  let s = await officer.call('POST', `/api/v1/leads/${id}/stage`, { stage: 'signed' });
  assert.equal(s.status, 409);
  assert.match(s.json.error.message, /allowed: visited, dropped/);
  for (const stage of ['visited', 'negotiating', 'signed']) {
    s = await officer.call('POST', `/api/v1/leads/${id}/stage`, { stage, on: '2024-10-01' });
    assert.equal(s.status, 200, s.text);
    assert.equal(s.json.stage, stage);
  }
  s = await officer.call('POST', `/api/v1/leads/${id}/stage`, { stage: 'settled', on: '2024-11-01' });
  assert.equal(s.status, 422);
  assert.equal(s.json.error.field, 'enterprise_id');
  s = await officer.call('POST', `/api/v1/leads/${id}/stage`, { stage: 'settled', on: '2024-09-01', enterprise_id: 5 });
  assert.equal(s.status, 422);
  assert.equal(s.json.error.field, 'on');
  // enterprise 5 already settled through another lead
  s = await officer.call('POST', `/api/v1/leads/${id}/stage`, { stage: 'settled', on: '2024-11-01', enterprise_id: 5 });
  assert.equal(s.status, 409);
  s = await officer.call('POST', `/api/v1/leads/${id}/stage`, { stage: 'dropped' });
  assert.equal(s.status, 422);
  assert.equal(s.json.error.field, 'note');
  s = await officer.call('POST', `/api/v1/leads/${id}/stage`, { stage: 'dropped', note: '转投嘉兴' });
  assert.equal(s.status, 200);
  assert.equal(s.json.drop_reason, '转投嘉兴');
  s = await officer.call('POST', `/api/v1/leads/${id}/stage`, { stage: 'visited' });
  assert.equal(s.status, 409);
  assert.match(s.json.error.message, /final/);
  const list = await officer.call('GET', `/api/v1/leads?node=${resin.id}`);
  assert.ok(list.json.items.some((l) => l.id === id));
  assert.equal((await officer.call('GET', '/api/v1/leads?stage=settled')).json.count, 84);
  assert.equal((await officer.call('GET', '/api/v1/leads?stage=bogus')).status, 400);
  const grid = await login(srv.url, 'grid');
  assert.equal((await grid.call('GET', '/api/v1/leads')).status, 403);
  assert.equal((await officer.call('GET', '/api/v1/leads/999999')).status, 404);
});
