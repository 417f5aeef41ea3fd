// Organisations as a tree that reaches enterprises, against a real
// server: the demo's tree (the town committee, four cluster general
// branches, the 28 "two new" organisations under them); coverage by
// cluster, by grid and in all checked against an independent count from
// the registry and each organisation's own list; the uncovered list and
// the map; refusals that name the rule and write nothing (an organisation
// its own ancestor, a retired enterprise covered, a provider covering);
// roles (a cluster's secretary keeps its cluster's organisations and
// reads its cluster's worklist) and jurisdictions; the SUHE ONE alliance
// with members inside and outside the town and the resources they offer.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login } from '../lib/server.mjs';

const srv = await start();
test.after(async () => { await srv.stop(); });

const officer = await login(srv.url, 'officer');
const admin = await login(srv.url, 'admin');
const secretary = await login(srv.url, 'secretary'); // cluster 1
const grid = await login(srv.url, 'grid');
const handler = await login(srv.url, 'handler');
const qifan = await login(srv.url, 'qifan');
const zhujing = await login(srv.url, 'officer.zhujing');
const zhangyan = await login(srv.url, 'officer.zhangyan');

let serial = 0;
const uniq = () => `${Date.now().toString(36)}${++serial}`;
const ok = async (client, path, status = 200) => {
  const r = await client.call('GET', path);
  assert.equal(r.status, status, `${path}: ${r.text}`);
  return r.json;
};
const PARTY = new Set(['party_committee', 'party_general_branch', 'party_branch', 'joint_party_branch']);

// Every enterprise of the registry the caller sees, page by page.
async function registry(client) {
  const all = [];
  let cursor = '';
  for (;;) {
    const page = await ok(client, `/api/v1/enterprises?located=all&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    all.push(...page.items);
    if (!page.next) return all;
    cursor = page.next;
  }
}

// Which enterprise each organisation covers, read from each one's page.
async function coveredBy(client, kinds) {
  const orgs = (await ok(client, '/api/v1/organisations')).items.filter((o) => kinds(o.kind));
  const covered = new Set();
  for (const o of orgs) {
    const page = await ok(client, `/api/v1/organisations/${o.id}`);
    assert.equal(page.enterprises.length, o.covers, `${o.name_en}: its list is its count`);
    for (const e of page.enterprises) covered.add(e.id);
  }
  return covered;
}

const share = (c, n) => (n ? Number((c / n).toFixed(4)) : null);

test('the demo tree: the committee, four general branches, the 28 under them', async () => {
  const tree = await ok(officer, '/api/v1/organisations/tree?kind=');
  const committee = tree.items.find((n) => n.kind === 'party_committee');
  assert.ok(committee, 'the town committee is a root');
  assert.equal(committee.children.length, 4);
  const clusters = (await ok(officer, '/api/v1/clusters')).items;
  for (const g of committee.children) {
    assert.equal(g.kind, 'party_general_branch');
    const c = clusters.find((x) => x.id === g.cluster_id);
    assert.ok(g.name_zh.startsWith(c.name_zh), `${g.name_zh} is ${c.name_zh}'s`);
    assert.equal(g.secretary, c.secretary, 'the general branch\'s secretary is the cluster\'s');
    assert.ok(g.children.every((b) => b.cluster_id === g.cluster_id));
    // A general branch reaches what its branches cover, each enterprise once.
    const union = new Set();
    for (const b of g.children) {
      const page = await ok(officer, `/api/v1/organisations/${b.id}`);
      page.enterprises.forEach((e) => union.add(e.id));
      assert.equal(b.reach, b.covers);
    }
    assert.equal(g.reach, union.size);
  }
  const branches = committee.children.flatMap((g) => g.children);
  assert.equal(branches.length, 28);
  assert.equal(branches.filter((b) => /party_branch$/.test(b.kind)).length, 28);
  // Beside the party's: a trade union, a youth league, a women's federation.
  assert.deepEqual(tree.items.filter((n) => n !== committee).map((n) => n.kind).sort(),
    ['trade_union', 'womens_federation', 'youth_league']);
  // The members the committee reports are its branches'.
  assert.equal(committee.members, branches.reduce((a, b) => a + b.members, 0));
  // kind= narrows the tree; a kind that covers nothing is refused.
  const unions = await ok(officer, '/api/v1/organisations/tree?kind=trade_union');
  assert.deepEqual(unions.items.map((n) => n.kind), ['trade_union']);
  assert.equal((await officer.call('GET', '/api/v1/organisations/tree?kind=bank')).status, 400);
});

test('an organisation with its parent, children, secretary and the enterprises it covers', async () => {
  const tree = await ok(officer, '/api/v1/organisations/tree');
  const committee = tree.items.find((n) => n.kind === 'party_committee');
  const opto = committee.children[0];
  const qifanBranch = opto.children.find((b) => b.enterprise_id === 1);
  const page = await ok(officer, `/api/v1/organisations/${qifanBranch.id}`);
  assert.equal(page.kind, 'joint_party_branch');
  assert.equal(page.parent.id, opto.id);
  assert.equal(page.parent_id, opto.id);
  assert.deepEqual(page.children, []);
  assert.equal(page.secretary.username, 'secretary');
  assert.ok(page.enterprises.length > 1, 'a joint branch covers several');
  assert.ok(page.enterprises.every((e) => e.cluster_id === 1 && e.status === 'active'));
  const up = await ok(officer, `/api/v1/organisations/${opto.id}`);
  assert.equal(up.parent.kind, 'party_committee');
  assert.equal(up.children.length, opto.children.length);
  // A secretary named by hand: its phone in clear for officers and
  // secretaries, masked for a grid worker.
  const own = opto.children.find((b) => b.kind === 'party_branch');
  const o1 = await ok(officer, `/api/v1/organisations/${own.id}`);
  const contact = (await ok(officer, `/api/v1/enterprises/${own.enterprise_id}`)).contacts[0];
  assert.deepEqual(o1.secretary, { name: contact.name, phone: contact.phone }, 'its enterprise\'s first contact');
  assert.match(o1.secretary.phone, /^\d{11}$/);
  const o2 = await ok(grid, `/api/v1/organisations/${own.id}`);
  assert.match(o2.secretary.phone, /^\d{3}\*{4}\d{4}$/);
  assert.equal(o1.enterprises.length, 1);
  assert.equal(o1.enterprises[0].id, own.enterprise_id, 'an own branch covers its enterprise');
});

test('coverage by cluster and in all equals an independent count', async () => {
  const ents = (await registry(officer)).filter((e) => e.in_park && e.status === 'active');
  assert.equal(ents.length, 274);
  for (const [kind, pick] of [['', () => true], ['party', (k) => PARTY.has(k)], ['trade_union', (k) => k === 'trade_union']]) {
    const covered = await coveredBy(officer, pick);
    const r = await ok(officer, `/api/v1/coverage?by=cluster${kind ? `&kind=${kind}` : ''}`);
    assert.equal(r.by, 'cluster');
    const n = ents.filter((e) => covered.has(e.id)).length;
    assert.equal(r.total.enterprises, 274, kind);
    assert.equal(r.total.covered, n, kind);
    assert.equal(r.total.uncovered, 274 - n, kind);
    assert.equal(r.total.share, share(n, 274), kind);
    for (const item of r.items) {
      const mine = ents.filter((e) => e.cluster_id === item.cluster.id);
      assert.equal(item.enterprises, mine.length, `${kind} ${item.cluster.code}`);
      assert.equal(item.covered, mine.filter((e) => covered.has(e.id)).length, `${kind} ${item.cluster.code}`);
      // The uncovered list the row links to is those enterprises.
      const list = await ok(officer, item.uncovered_href);
      assert.deepEqual(list.items.map((e) => e.id), mine.filter((e) => !covered.has(e.id)).map((e) => e.id));
      assert.equal(list.count, item.uncovered);
    }
  }
  // The party's report means something: not everyone is reached, and the
  // newest cluster least of all.
  const party = await ok(officer, '/api/v1/coverage?kind=party');
  assert.ok(party.total.share > 0.8 && party.total.share < 0.95, `${party.total.share}`);
  const byCode = Object.fromEntries(party.items.map((i) => [i.cluster.code, i.share]));
  assert.ok(byCode.upgrade < byCode.optoelectronic);
  assert.equal((await officer.call('GET', '/api/v1/coverage?by=street')).json.error.code, 'invalid_parameter');
  assert.equal((await officer.call('GET', '/api/v1/coverage?kind=bank')).status, 400);
});

test('coverage by grid: each grid with the grids inside it, and the map', async () => {
  const ents = (await registry(officer)).filter((e) => e.in_park && e.status === 'active');
  const covered = await coveredBy(officer, () => true);
  const grids = (await ok(officer, '/api/v1/grids')).items;
  const under = (id) => {
    const ids = new Set([id]);
    for (let grew = true; grew;) {
      grew = false;
      for (const g of grids) if (ids.has(g.parent_id) && !ids.has(g.id)) { ids.add(g.id); grew = true; }
    }
    return ids;
  };
  const r = await ok(officer, '/api/v1/coverage?by=grid');
  assert.equal(r.items.filter((i) => i.grid).length, grids.length);
  for (const item of r.items.filter((i) => i.grid)) {
    const ids = under(item.grid.id);
    const mine = ents.filter((e) => ids.has(e.grid_id));
    assert.equal(item.enterprises, mine.length, item.grid.code);
    assert.equal(item.covered, mine.filter((e) => covered.has(e.id)).length, item.grid.code);
    const list = await ok(officer, item.uncovered_href);
    assert.deepEqual(list.items.map((e) => e.id).sort((a, b) => a - b),
      mine.filter((e) => !covered.has(e.id)).map((e) => e.id).sort((a, b) => a - b));
  }
  const town = r.items.find((i) => i.grid?.level === 'town');
  assert.equal(town.enterprises + (r.items.find((i) => i.grid === null)?.enterprises || 0), 274);
  // The map: every grid a feature with its figures and a fill for its share.
  const map = await officer.call('GET', '/api/v1/coverage/geojson');
  assert.equal(map.status, 200);
  assert.match(map.headers.get('content-type'), /application\/geo\+json/);
  assert.equal(map.json.type, 'FeatureCollection');
  assert.equal(map.json.features.length, grids.length);
  for (const f of map.json.features) {
    const item = r.items.find((i) => i.grid?.id === f.properties.grid_id);
    assert.equal(f.properties.covered, item.covered);
    assert.equal(f.properties.coverage, item.share);
    assert.match(f.properties.fill, /^#[0-9a-f]{6}$/);
    assert.ok(['Polygon', 'MultiPolygon'].includes(f.geometry.type));
  }
  const fills = new Set(map.json.features.map((f) => f.properties.fill));
  assert.ok(fills.size >= 1);
  // A grid that does not exist.
  assert.equal((await officer.call('GET', '/api/v1/coverage/uncovered?grid_id=99999')).status, 404);
});

test('roles: who reads coverage, and a secretary\'s worklist is its cluster\'s', async () => {
  for (const c of [admin, officer, secretary, grid, handler]) {
    assert.equal((await c.call('GET', '/api/v1/coverage')).status, 200);
    assert.equal((await c.call('GET', '/api/v1/alliances')).status, 200);
  }
  for (const path of ['/api/v1/coverage', '/api/v1/coverage/uncovered', '/api/v1/coverage/geojson', '/api/v1/organisations/tree', '/api/v1/alliances']) {
    assert.equal((await qifan.call('GET', path)).status, 403, path);
    assert.equal((await fetch(`${srv.url}${path}`)).status, 401, path);
  }
  const mine = await ok(secretary, '/api/v1/coverage/uncovered');
  assert.ok(mine.items.length > 0 && mine.items.every((e) => e.cluster_id === 1));
  const other = await secretary.call('GET', '/api/v1/coverage/uncovered?cluster_id=2');
  assert.equal(other.status, 403);
  assert.equal(other.json.error.code, 'forbidden');
  assert.equal(other.json.error.field, 'cluster_id');
  // An officer's list of cluster 2 is not the secretary's.
  const two = await ok(officer, '/api/v1/coverage/uncovered?cluster_id=2');
  assert.ok(two.items.every((e) => e.cluster_id === 2));
});

test('jurisdictions: a town officer sees its town, another town\'s is refused', async () => {
  const mine = await ok(zhangyan, '/api/v1/coverage');
  const all = await ok(officer, '/api/v1/coverage');
  assert.deepEqual(mine.total, all.total, 'Zhangyan holds the park');
  // Zhujing's enterprises lie outside the park: nothing to cover there.
  const zj = await ok(zhujing, '/api/v1/coverage?by=grid');
  assert.equal(zj.total.enterprises, 0);
  assert.equal(zj.total.share, null);
  assert.equal(zj.jurisdiction.code, '310116101');
  assert.equal((await ok(zhujing, '/api/v1/coverage/uncovered')).count, 0);
  const r = await zhujing.call('GET', '/api/v1/coverage?jurisdiction=310116103');
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'outside_scope');
  // The alliance is the city's: every town reads it.
  assert.equal((await ok(zhujing, '/api/v1/alliances')).items.length, 1);
  // The town committee is Zhangyan's: Zhujing does not see it.
  const tree = await ok(zhujing, '/api/v1/organisations/tree');
  assert.ok(!tree.items.some((n) => n.kind === 'party_committee'));
});

test('an organisation made, hung in the tree and covering; its own ancestor refused, nothing written', async () => {
  const tree = await ok(officer, '/api/v1/organisations/tree');
  const committee = tree.items.find((n) => n.kind === 'party_committee');
  const general = committee.children[1]; // cluster 2
  const uncovered = (await ok(officer, `/api/v1/coverage/uncovered?cluster_id=${general.cluster_id}&kind=party`)).items;
  assert.ok(uncovered.length >= 2);
  const before = await ok(officer, '/api/v1/coverage?kind=party');
  const made = await officer.call('POST', '/api/v1/organisations', {
    name_zh: `新材料研发产业集群第4联合党支部${uniq()}`, name_en: 'New material R&D Joint Party Branch No. 4',
    kind: 'joint_party_branch', cluster_id: general.cluster_id, parent_id: general.id, members: 9,
    secretary: { name: '周明', phone: '13800001111' }, covers: [uncovered[0].id, uncovered[1].id],
  });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.covers, 2);
  assert.equal(made.json.parent_id, general.id);
  assert.equal(made.headers.get('location'), `/api/v1/organisations/${made.json.id}`);
  const after = await ok(officer, '/api/v1/coverage?kind=party');
  assert.equal(after.total.covered, before.total.covered + 2);
  const audit = await ok(admin, `/api/v1/audit?entity=organisation&entity_id=${made.json.id}`);
  assert.equal(audit.items.length, 1);
  assert.deepEqual(audit.items[0].after.enterprise_ids, [uncovered[0].id, uncovered[1].id]);

  // The general branch under its new grandchild's parent... under the new
  // branch itself: a cycle, refused naming the rule.
  const g = await ok(officer, `/api/v1/organisations/${general.id}`);
  const cyc = await officer.call('PATCH', `/api/v1/organisations/${general.id}`, { parent_id: made.json.id }, { 'If-Match': `"v${g.version}"` });
  assert.equal(cyc.status, 422, cyc.text);
  assert.equal(cyc.json.error.code, 'organisation_cycle');
  assert.equal(cyc.json.error.field, 'parent_id');
  assert.match(cyc.json.error.message, /cannot be its own ancestor/);
  const self = await officer.call('PATCH', `/api/v1/organisations/${committee.id}`, { parent_id: made.json.id }, { 'If-Match': '*' });
  assert.equal(self.json.error.code, 'organisation_cycle');
  const itself = await officer.call('PATCH', `/api/v1/organisations/${made.json.id}`, { parent_id: made.json.id, members: 12 }, { 'If-Match': '*' });
  assert.equal(itself.json.error.code, 'organisation_cycle');
  // Nothing written: the same version, parent and members, no audit entry.
  const still = await ok(officer, `/api/v1/organisations/${general.id}`);
  assert.equal(still.version, g.version);
  assert.equal(still.parent_id, committee.id);
  assert.equal((await ok(officer, `/api/v1/organisations/${made.json.id}`)).members, 9);
  assert.equal((await ok(admin, `/api/v1/audit?entity=organisation&entity_id=${general.id}`)).items.length, 0);

  // Moving it across is fine; the coverage list replaced, the old one gone.
  const moved = await officer.call('PATCH', `/api/v1/organisations/${made.json.id}`, { covers: [uncovered[0].id] }, { 'If-Match': '"v1"' });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.covers, 1);
  assert.equal((await ok(officer, '/api/v1/coverage?kind=party')).total.covered, before.total.covered + 1);
  // Made a kind that covers nothing, it must give up its coverage.
  const kind = await officer.call('PATCH', `/api/v1/organisations/${made.json.id}`, { kind: 'bank' }, { 'If-Match': '*' });
  assert.equal(kind.status, 422);
  assert.equal(kind.json.error.code, 'not_allowed');
  assert.equal(kind.json.error.field, 'kind');
  assert.equal((await officer.call('PATCH', `/api/v1/organisations/${made.json.id}`, { members: 3 })).status, 428);
  assert.equal((await officer.call('PATCH', `/api/v1/organisations/${made.json.id}`, { members: 3 }, { 'If-Match': '"v1"' })).status, 412);
});

test('bad organisations are refused naming the field and the rule; nothing is written', async () => {
  const count = async () => (await ok(officer, '/api/v1/organisations')).items.length;
  const n0 = await count();
  // A retired enterprise.
  const ents = await registry(officer);
  const victim = ents.find((e) => e.cluster_id === 3 && e.status === 'active' && e.stage !== 'leading');
  const ret = await officer.call('POST', `/api/v1/enterprises/${victim.id}/retire`, { status: 'moved_out', reason: '迁往嘉兴' });
  assert.equal(ret.status, 200, ret.text);
  const active = ents.find((e) => e.cluster_id === 3 && e.status === 'active' && e.id !== victim.id);
  const cases = [
    [{ covers: [active.id, victim.id] }, 'covers', 'enterprise_retired', /moved_out/],
    [{ kind: 'bank', covers: [active.id] }, 'covers', 'not_allowed', /covers no enterprises/],
    [{ parent_id: 999999 }, 'parent_id', 'unknown_organisation', /no organisation/],
    [{ covers: [999999] }, 'covers', 'unknown_enterprise', /999999/],
    [{ covers: 'all' }, 'covers', 'wrong_type', /list/],
    [{ members: -1 }, 'members', 'out_of_range', /0 to/],
    [{ members: 'many' }, 'members', 'wrong_type', /whole number/],
    [{ secretary: { name: '李四' } }, 'secretary', 'required', /phone/],
    [{ secretary: { user_id: 999999 } }, 'secretary', 'unknown_user', /999999/],
    [{ secretary: { user_id: 3, name: '李四', phone: '13800000000' } }, 'secretary', 'conflicting_fields', /not both/],
    [{ secretary: { name: '李四', phone: 'none' } }, 'secretary', 'invalid_phone', /digits/],
    [{ secretary: { email: 'x@example.cn' } }, 'secretary', 'unknown_field', /email/],
    [{ kind: 'cell' }, 'kind', 'invalid_enum', /party_general_branch/],
  ];
  for (const [patch, field, code, msg] of cases) {
    const body = { name_zh: `测试党支部${uniq()}`, kind: 'joint_party_branch', cluster_id: 3, ...patch };
    const r = await officer.call('POST', '/api/v1/organisations', body);
    assert.equal(r.status, 422, `${code}: ${r.text}`);
    const f = r.json.error.field === field ? r.json.error : r.json.error.errors?.find((e) => e.field === field);
    assert.ok(f, `${code}: ${r.text}`);
    assert.equal(f.code, code, r.text);
    assert.match(f.message, msg);
  }
  assert.equal(await count(), n0, 'nothing was written');
  // Retiring an enterprise takes it out of the figures.
  const cov = await ok(officer, '/api/v1/coverage');
  assert.equal(cov.total.enterprises, 273);
});

test('a secretary keeps its cluster\'s organisations, not another\'s nor the providers', async () => {
  const tree = await ok(secretary, '/api/v1/organisations/tree');
  const committee = tree.items.find((n) => n.kind === 'party_committee');
  const mine = committee.children.find((g) => g.cluster_id === 1);
  const theirs = committee.children.find((g) => g.cluster_id === 2);
  const todo = (await ok(secretary, '/api/v1/coverage/uncovered?kind=party')).items;
  const ents = await registry(officer);
  const elsewhere = ents.find((e) => e.cluster_id === 2 && e.status === 'active');
  const made = await secretary.call('POST', '/api/v1/organisations', {
    name_zh: `光电传输产业集群第4联合党支部${uniq()}`, kind: 'joint_party_branch', cluster_id: 1, parent_id: mine.id, covers: [todo[0].id],
  });
  assert.equal(made.status, 201, made.text);
  const far = await secretary.call('POST', '/api/v1/organisations', {
    name_zh: `测试${uniq()}`, kind: 'joint_party_branch', cluster_id: 1, covers: [elsewhere.id],
  });
  assert.equal(far.status, 403);
  assert.equal(far.json.error.field, 'covers');
  assert.match(far.json.error.message, /only the enterprises of its cluster/);
  const other = await secretary.call('POST', '/api/v1/organisations', { name_zh: `测试${uniq()}`, kind: 'party_branch', cluster_id: 2 });
  assert.equal(other.status, 403);
  const patch = await secretary.call('PATCH', `/api/v1/organisations/${theirs.id}`, { members: 1 }, { 'If-Match': '*' });
  assert.equal(patch.status, 403);
  const bank = await secretary.call('POST', '/api/v1/organisations', { name_zh: `测试银行${uniq()}`, kind: 'bank', cluster_id: 1 });
  assert.equal(bank.status, 403);
  assert.equal((await grid.call('POST', '/api/v1/organisations', { name_zh: 'x', kind: 'party_branch' })).status, 403);
});

test('the SUHE ONE alliance: members in and outside the town, their resources, its events', async () => {
  const list = (await ok(officer, '/api/v1/alliances')).items;
  assert.equal(list.length, 1);
  const a = list[0];
  assert.match(a.name_en, /SUHE ONE/);
  assert.equal(a.jurisdiction.code, '310000');
  const one = await ok(officer, a.href);
  assert.equal(one.members.length, a.members);
  assert.equal(a.enterprises + a.organisations + a.outside, a.members);
  assert.ok(Array.isArray(one.events));
  // Its events are the events table's, organised by the alliance.
  for (const e of one.events) {
    const ev = await ok(officer, e.href);
    assert.equal(ev.title, e.title);
  }
  const q = one.members.find((m) => m.enterprise_id === 1);
  assert.equal(q.name_en, 'Shanghai Qifan Cable Co., Ltd.');
  assert.equal(q.jurisdiction.code, '310116103');
  // A resource that is a service of the catalogue links to it.
  const linked = one.members.flatMap((m) => m.resources).filter((r) => r.service);
  assert.ok(linked.length >= 2);
  for (const r of linked) {
    const s = await ok(officer, r.service.href);
    assert.equal(s.name_zh, r.service.name_zh);
  }
  // Members from outside the town: another town's enterprise, and firms
  // outside the registry by name, one with a code that checks.
  assert.ok(one.members.some((m) => m.type === 'enterprise' && m.jurisdiction.code === '310116101'));
  const outside = one.members.filter((m) => m.type === 'outside');
  assert.ok(outside.length >= 2 && outside.every((m) => !m.in_registry));
  assert.ok(outside.some((m) => /^91310106/.test(m.uscc || '')));

  // Adding members.
  const base = `/api/v1/alliances/${a.id}/members`;
  const bank = (await ok(officer, '/api/v1/organisations?kind=research_institute')).items[0];
  const svc = (await ok(officer, '/api/v1/services?limit=200')).items[0];
  const add = await officer.call('POST', base, { organisation_id: bank.id, role: '成员单位', joined_on: '2024-09-01', resources: [{ service_id: svc.id, text: '成员优先' }, { text: '联合攻关' }] });
  assert.equal(add.status, 201, add.text);
  assert.equal(add.json.type, 'organisation');
  assert.equal(add.json.resources[0].service.id, svc.id);
  assert.equal(add.json.resources[1].service, null);
  const dup = await officer.call('POST', base, { organisation_id: bank.id });
  assert.equal(dup.status, 409);
  assert.equal(dup.json.error.code, 'duplicate_member');
  const firm = await officer.call('POST', base, { name_zh: `苏河湾测试企业${uniq()}`, uscc: '91350100M000100Y43', name_en: 'A firm' });
  assert.equal(firm.status, 201, firm.text);
  assert.equal(firm.json.in_registry, false);
  const bad = [
    [{ enterprise_id: 2, organisation_id: bank.id }, 'conflicting_fields'],
    [{}, 'required'],
    [{ name_zh: '某公司', uscc: '91350100M000100Y40' }, 'invalid_uscc'],
    [{ enterprise_id: 2, uscc: '91350100M000100Y43' }, 'not_allowed'],
    [{ name_zh: '某公司', resources: [{ service_id: 999999 }] }, 'unknown_service'],
    [{ name_zh: '某公司', resources: [{}] }, 'wrong_type'],
    [{ organisation_id: a.id }, 'not_allowed'],
    [{ organisation_id: 999999 }, 'unknown_organisation'],
    [{ name_zh: '某公司', joined_on: '2024-13-01' }, 'invalid_date'],
  ];
  const n0 = (await ok(officer, a.href)).members.length;
  for (const [body, code] of bad) {
    const r = await officer.call('POST', base, body);
    assert.equal(r.status, 422, `${code}: ${r.text}`);
    assert.ok(r.json.error.code === code || r.json.error.errors?.some((e) => e.code === code), `${code}: ${r.text}`);
  }
  // A retired enterprise does not join.
  const retired = (await registry(officer)).find((e) => e.status !== 'active');
  if (retired) {
    const r = await officer.call('POST', base, { enterprise_id: retired.id });
    assert.equal(r.json.error.code, 'enterprise_retired');
  }
  assert.equal((await ok(officer, a.href)).members.length, n0, 'nothing was written');
  // Who adds: officers of the city, not a town's nor a secretary.
  assert.equal((await zhangyan.call('POST', base, { name_zh: '某公司' })).json.error.code, 'outside_scope');
  assert.equal((await secretary.call('POST', base, { name_zh: '某公司' })).status, 403);
  // An organisation that is no alliance is not one here.
  assert.equal((await officer.call('GET', `/api/v1/alliances/${bank.id}`)).status, 404);
});
