// Roll-ups of jurisdictions, against a real server: a town made for the
// test (with a community under it) whose every record is made here, so
// that each figure is known exactly; the demo's districts and towns,
// whose figures must add up (a parent's counts are its children's) and
// agree with what the lists say when counted by hand; the ranking and its
// ties; the period and its defaults; who may ask, and every refusal with
// the parameter it names.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());

const names = ['admin', 'officer', 'secretary', 'grid', 'handler', 'qifan',
  'officer.jinshan', 'officer.zhangyan', 'officer.zhujing', 'officer.jiuliting', 'admin.jinshan'];
const as = {};
for (const n of names) as[n] = await login(srv.url, n);
const { admin } = as;

const ADDITIVE = ['enterprises', 'output', 'cases', 'closed', 'rated', 'suggestions', 'adopted', 'visits'];
const FIGURES = ['enterprises', 'output', 'localisation', 'cases', 'closed', 'on_time_rate',
  'satisfaction', 'rated', 'suggestions', 'adopted', 'adoption_rate', 'visits'];

// Dates are the town's (UTC+8), as visits date themselves.
const townDay = (iso) => new Date(Date.parse(iso) + 8 * 3600e3).toISOString().slice(0, 10);
const today = townDay(new Date().toISOString());
const year = Number(today.slice(0, 4));
// A period that holds last year's whole quarters and today, so that
// what the test records now and the figures it reports for last year
// both count, whatever the date of the run.
const SINCE = `${year - 1}-01-01`;
const PERIOD = `since=${SINCE}&until=${today}`;

async function rollup(c, id, query = PERIOD) {
  const r = await c.call('GET', `/api/v1/jurisdictions/${id}/rollup${query ? `?${query}` : ''}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

const close = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-4, `${what}: ${a} != ${b}`);

// A USCC (GB 32100-2015) of Jinshan, with both check characters.
const ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
let serial = 0;
function uscc(region = '310116') {
  const body = String(71000000 + (process.pid % 9000) * 97 + ++serial * 7919).slice(-8);
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const c9 = 11 - ([...body].reduce((s, c, k) => s + Number(c) * w[k], 0) % 11);
  const s17 = `91${region}${body}${c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9)}`;
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...s17].reduce((s, c, k) => s + ALPHA.indexOf(c) * W[k], 0);
  return s17 + ALPHA[(31 - (sum % 31)) % 31];
}

async function ok(c, method, path, body, status = [200, 201]) {
  const r = await c.call(method, path, body);
  assert.ok([].concat(status).includes(r.status), `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

// ---------------------------------------------------------------------
// A town of the test's own, under Jinshan, and a community in it.
const town = await ok(admin, 'POST', '/api/v1/jurisdictions',
  { parent: '310116', level: 'town', kind: 'town', code: '310116198', name_zh: '汇总测试镇', name_en: 'Rollup Town' });
const village = await ok(admin, 'POST', '/api/v1/jurisdictions',
  { parent: '310116198', level: 'community', kind: 'community', code: '310116198001', name_zh: '汇总测试社区' });

const firm = async (jurisdiction) => (await ok(admin, 'POST', '/api/v1/enterprises',
  { uscc: uscc(), name_zh: `汇总测试企业${++serial}`, industry: '3311', jurisdiction })).id;
// E1 and E3 in the town, E2 in its community, E4 in Zhangyan (outside).
const e1 = await firm(town.code);
const e2 = await firm(village.code);
const e3 = await firm(town.code);
const e4 = await firm('310116103');
await ok(admin, 'POST', `/api/v1/enterprises/${e3}/retire`, { status: 'closed', reason: '注销' });

// Output: E1 last year's Q1; E2 January and Q1 of last year (the month
// lies inside the quarter it reported: counted once, as the quarter).
await ok(admin, 'PUT', `/api/v1/enterprises/${e1}/indicators/${year - 1}-Q1`, { output: 200 });
await ok(admin, 'PUT', `/api/v1/enterprises/${e2}/indicators/${year - 1}-01`, { output: 30 });
await ok(admin, 'PUT', `/api/v1/enterprises/${e2}/indicators/${year - 1}-Q1`, { output: 90 });
await ok(admin, 'POST', '/api/v1/visits', { enterprise_id: e1, status: 'done' });
await ok(admin, 'POST', '/api/v1/visits', { enterprise_id: e2, status: 'done' });

// Links into E1: from E4 (Zhangyan, outside the town) 100, from E2 (the
// town's community) 50.
const chain = await ok(admin, 'GET', '/api/v1/clusters/1/chain');
const nodeId = chain.nodes[0].id;
for (const [supplier, value] of [[e4, 100], [e2, 50]]) {
  await ok(admin, 'POST', '/api/v1/supply-links',
    { supplier_id: supplier, customer_id: e1, node_id: nodeId, annual_value: value, since: `${year - 1}-01-01` });
}

// Cases: K1 town suggestion adopted (and implementing); K2 community
// suggestion not adopted (closed, on time); K3 town complaint resolved,
// rated 4 by its submitter; K4 community complaint left open; K5 town
// complaint merged into K4 (the same matter, not counted).
let texts = 0;
const intake = async (kind, jurisdiction, category = 'community') => (await ok(admin, 'POST', '/api/v1/cases',
  { kind, category, jurisdiction, text: `汇总测试：小区门口路灯坏了第${++texts}盏，请尽快修理 ${process.pid}-${Date.now()}` })).case;
async function walk(id, steps) {
  for (const to of steps) await ok(admin, 'POST', `/api/v1/cases/${id}/transition`, { to, note: '测试' });
}
const k1 = await intake('suggestion', town.code);
await walk(k1.id, ['accepted', 'under_review', 'adopted', 'implementing']);
const k2 = await intake('suggestion', village.code);
await walk(k2.id, ['accepted', 'under_review', 'not_adopted']);
const k3 = await intake('complaint', town.code);
await walk(k3.id, ['accepted', 'assigned', 'in_progress', 'resolved']);
await ok(admin, 'POST', `/api/v1/cases/${k3.id}/rating`, { rating: 4, note: '回访' });
const k4 = await intake('complaint', village.code);
const k5 = await intake('complaint', town.code);
await ok(admin, 'POST', `/api/v1/cases/${k5.id}/merge`, { into: k4.id, note: '同一事项' });
const k3now = (await ok(admin, 'GET', `/api/v1/cases/${k3.id}`)).case;

test('a town made here: every figure as recorded, its community beside it', async () => {
  const r = await rollup(admin, town.id);
  assert.deepEqual(r.jurisdiction, { id: town.id, code: '310116198', name_zh: '汇总测试镇', name_en: 'Rollup Town', level: 'town' });
  assert.deepEqual(r.period, { since: SINCE, until: today });
  assert.equal(r.sort, 'on_time_rate');
  assert.deepEqual(Object.keys(r.figures), FIGURES);
  const k3closed = ['closed', 'rejected', 'not_adopted'].includes(k3now.state);
  const f = r.figures;
  assert.equal(f.enterprises, 2, 'E3 closed is not active');
  assert.equal(f.output, 200 + 90);
  close(f.localisation, 50 / 150, 'localisation');
  assert.equal(f.cases, 4, 'K5 merged is not counted');
  assert.equal(f.closed, 1 + (k3closed ? 1 : 0));
  assert.equal(f.on_time_rate, 1);
  assert.equal(f.satisfaction, 4);
  assert.equal(f.rated, 1);
  assert.equal(f.suggestions, 2);
  assert.equal(f.adopted, 1);
  assert.equal(f.adoption_rate, 0.5);
  assert.equal(f.visits, 2);
  assert.equal(r.children.length, 1);
  const c = r.children[0];
  assert.equal(c.rank, 1);
  assert.deepEqual(c.jurisdiction, { id: village.id, code: '310116198001', name_zh: '汇总测试社区', name_en: '', level: 'community' });
  assert.deepEqual(c.figures, {
    enterprises: 1, output: 90, localisation: null, cases: 2, closed: 1, on_time_rate: 1,
    satisfaction: null, rated: 0, suggestions: 1, adopted: 0, adoption_rate: 0, visits: 1,
  });
  // A leaf's roll-up is its own figures, with no children.
  const leaf = await rollup(admin, village.id);
  assert.deepEqual(leaf.figures, c.figures);
  assert.deepEqual(leaf.children, []);
  // Nothing of it before it existed.
  const before = await rollup(admin, town.id, `since=${year - 3}-01-01&until=${year - 3}-12-31`);
  assert.deepEqual(before.figures, {
    enterprises: 2, output: 0, localisation: null, cases: 0, closed: 0, on_time_rate: null,
    satisfaction: null, rated: 0, suggestions: 0, adopted: 0, adoption_rate: null, visits: 0,
  });
});

test('a parent\'s counts are its children\'s: Jinshan of its towns, the city of its districts', async () => {
  // (The test's town holds records of its own beside its community's:
  // its figures are checked one by one above.)
  for (const id of [3, 2]) {
    const r = await rollup(admin, id);
    assert.ok(r.children.length > 0, `${id} has children`);
    for (const k of ADDITIVE) {
      const sum = r.children.reduce((s, c) => s + c.figures[k], 0);
      close(sum, r.figures[k], `${id} ${k}`);
    }
    // Each child's entry is that child's own roll-up.
    for (const c of r.children) {
      const own = await rollup(admin, c.jurisdiction.id);
      assert.deepEqual(own.figures, c.figures, `child ${c.jurisdiction.code} of ${id}`);
    }
  }
  // The link from Zhangyan into the test's town is local to Jinshan.
  const jinshan = await rollup(admin, 3);
  assert.ok(jinshan.figures.localisation > 50 / 150);
});

// Every case of a jurisdiction, from the list, page by page.
async function casesOf(id) {
  const out = [];
  let after = '';
  for (;;) {
    const r = await admin.call('GET', `/api/v1/cases?jurisdiction=${id}&limit=500${after}`);
    assert.equal(r.status, 200, r.text);
    out.push(...r.json.items);
    if (r.json.items.length < 500) return out;
    after = `&after=${r.json.items.at(-1).id}`;
  }
}
async function enterpriseCount(id) {
  let n = 0; let cursor = null;
  do {
    const r = await admin.call('GET', `/api/v1/enterprises?jurisdiction=${id}&status=active&located=all&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200, r.text);
    n += r.json.items.length;
    cursor = r.json.next;
  } while (cursor);
  return n;
}

test('the demo\'s figures agree with its lists counted by hand', async () => {
  // The default period: this year to date.
  for (const id of [8, 1, 6]) {
    const r = await rollup(admin, id, '');
    assert.deepEqual(r.period, { since: `${year}-01-01`, until: today });
    const all = (await casesOf(id)).filter((k) => townDay(k.created_at) >= `${year}-01-01` && townDay(k.created_at) <= today && k.merged_into === null);
    const closed = all.filter((k) => ['closed', 'rejected', 'not_adopted'].includes(k.state));
    const onTime = closed.filter((k) => (k.resolved_at ?? k.closed_at) <= k.deadline);
    const rated = all.filter((k) => k.rating !== null);
    const sugg = all.filter((k) => k.kind === 'suggestion');
    let adopted = 0;
    for (const k of sugg) {
      const full = await ok(admin, 'GET', `/api/v1/cases/${k.id}`);
      if (full.events.some((e) => e.to === 'adopted')) adopted++;
    }
    const f = r.figures;
    assert.equal(f.cases, all.length, `${id} cases`);
    assert.equal(f.closed, closed.length, `${id} closed`);
    assert.equal(f.on_time_rate, closed.length ? Number((onTime.length / closed.length).toPrecision(6)) : null, `${id} on time`);
    assert.equal(f.rated, rated.length, `${id} rated`);
    if (rated.length) close(f.satisfaction, rated.reduce((s, k) => s + k.rating, 0) / rated.length, `${id} satisfaction`);
    else assert.equal(f.satisfaction, null);
    assert.equal(f.suggestions, sugg.length, `${id} suggestions`);
    assert.equal(f.adopted, adopted, `${id} adopted`);
    assert.equal(f.enterprises, await enterpriseCount(id), `${id} enterprises`);
  }
  // Jiuliting's cases are there to be counted.
  assert.ok((await rollup(admin, 8, '')).figures.cases > 0);
});

test('children ranked by the figure asked for: highest first, nulls last, ties by code', async () => {
  for (const sort of [undefined, 'cases', 'satisfaction', 'adoption_rate', 'enterprises']) {
    const r = await rollup(admin, 2, sort ? `sort=${sort}` : '');
    const by = sort || 'on_time_rate';
    assert.equal(r.sort, by);
    assert.deepEqual(r.children.map((c) => c.rank), r.children.map((_, i) => i + 1));
    for (let i = 1; i < r.children.length; i++) {
      const a = r.children[i - 1]; const b = r.children[i];
      const va = a.figures[by]; const vb = b.figures[by];
      if (va === null) assert.equal(vb, null, `${by}: null before a number`);
      else if (vb !== null && va === vb) assert.ok(a.jurisdiction.code < b.jurisdiction.code, `${by}: tie by code`);
      else if (vb !== null) assert.ok(va > vb, `${by}: ${va} before ${vb}`);
    }
  }
  // Jinshan's towns by cases: the test's town has 4.
  const r = await rollup(admin, 3, `${PERIOD}&sort=cases`);
  const mine = r.children.find((c) => c.jurisdiction.id === town.id);
  assert.equal(mine.figures.cases, 4);
  assert.equal(r.children[0].figures.cases, Math.max(...r.children.map((c) => c.figures.cases)));
});

test('who may ask: admins and officers inside their scope', async () => {
  const status = async (who, id) => (await as[who].call('GET', `/api/v1/jurisdictions/${id}/rollup`)).status;
  // The whole tree's admin and officer: anywhere.
  for (const who of ['admin', 'officer']) for (const id of [2, 3, 1, 8, 9]) assert.equal(await status(who, id), 200, `${who} ${id}`);
  // A district's officer and admin: the district and below.
  for (const who of ['officer.jinshan', 'admin.jinshan']) {
    for (const id of [3, 1, 6, town.id]) assert.equal(await status(who, id), 200, `${who} ${id}`);
    for (const id of [2, 7, 8, 9]) assert.equal(await status(who, id), 403, `${who} ${id}`);
  }
  // A town's officer: the town only.
  assert.equal(await status('officer.zhangyan', 1), 200);
  assert.equal(await status('officer.jiuliting', 8), 200);
  const r = await as['officer.zhangyan'].call('GET', '/api/v1/jurisdictions/3/rollup');
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'outside_scope');
  assert.equal(r.json.error.field, 'id');
  assert.equal(await status('officer.zhangyan', 6), 403);
  assert.equal(await status('officer.zhujing', 1), 403);
  // Other roles: not theirs to read, in scope or not.
  for (const who of ['secretary', 'grid', 'handler', 'qifan']) {
    const x = await as[who].call('GET', '/api/v1/jurisdictions/1/rollup');
    assert.equal(x.status, 403, who);
    assert.equal(x.json.error.code, 'forbidden', who);
  }
  const anon = await fetch(`${srv.url}/api/v1/jurisdictions/1/rollup`);
  assert.equal(anon.status, 401);
});

test('refusals name what is wrong', async () => {
  const err = async (path, status, code, field) => {
    const r = await admin.call('GET', path);
    assert.equal(r.status, status, `${path}: ${r.text}`);
    assert.equal(r.json.error.code, code, path);
    assert.equal(r.json.error.field, field, path);
  };
  await err('/api/v1/jurisdictions/999999/rollup', 404, 'not_found', 'id');
  for (const bad of ['2026-13-01', '2026-02-30', '26-01-01', '2026-1-1', 'today', '1989-12-31', '2026-01-01T00:00:00Z']) {
    await err(`/api/v1/jurisdictions/3/rollup?since=${encodeURIComponent(bad)}`, 400, 'invalid_date', 'since');
    await err(`/api/v1/jurisdictions/3/rollup?until=${encodeURIComponent(bad)}`, 400, 'invalid_date', 'until');
  }
  await err('/api/v1/jurisdictions/3/rollup?since=2026-03-02&until=2026-03-01', 422, 'before_since', 'until');
  await err(`/api/v1/jurisdictions/3/rollup?since=${year + 1}-01-01`, 422, 'before_since', 'until');
  for (const bad of ['on_time', 'ON_TIME_RATE', '-cases', 'name']) {
    const r = await admin.call('GET', `/api/v1/jurisdictions/3/rollup?sort=${bad}`);
    assert.equal(r.status, 400, bad);
    assert.equal(r.json.error.code, 'invalid_parameter');
    assert.equal(r.json.error.field, 'sort');
    assert.match(r.json.error.message, /on_time_rate/);
  }
  // Empty parameters are the defaults; one day is a period.
  const d = await rollup(admin, 3, 'since=&until=&sort=');
  assert.deepEqual(d.period, { since: `${year}-01-01`, until: today });
  assert.equal(d.sort, 'on_time_rate');
  const one = await rollup(admin, 3, `since=${today}&until=${today}`);
  assert.deepEqual(one.period, { since: today, until: today });
  assert.ok(one.figures.cases >= 4, 'the cases made today');
});
