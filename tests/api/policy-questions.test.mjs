// Questions for the next visit and the chain facts of the eligibility
// rules, against a real server:
// - an enterprise's questions are the facts its unknown measures miss,
//   each once with every measure waiting on it, and a year's figure asks
//   for exactly the quarters its indicators lack (worked out here from
//   the enterprise's own indicators and measures);
// - who may read them: the grid worker of its grid, officers and admins;
//   other roles and other grids 403, another town's enterprise 404;
// - a visit that records the answers (figures of several quarters, blank
//   registry fields) re-matches the enterprise and the questions go;
//   refusals name the field and write nothing;
// - makes_gap_node and localisation, held to the chain's own answers
//   (the producers of every node, each enterprise's localisation), and
//   kept matches that follow a product or a supply link as it changes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());

const admin = await login(srv.url, 'admin');
const officer = await login(srv.url, 'officer');
const handler = await login(srv.url, 'handler');
const secretary = await login(srv.url, 'secretary');
const qifan = await login(srv.url, 'qifan');
const zhujing = await login(srv.url, 'officer.zhujing');
const workers = { grid: await login(srv.url, 'grid'), grid2: await login(srv.url, 'grid2'), grid3: await login(srv.url, 'grid3') };

const ok = async (client, method, path, body, status = [200, 201]) => {
  const r = await client.call(method, path, body);
  assert.ok([].concat(status).includes(r.status), `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
};
const get = (client, path) => ok(client, 'GET', path);

const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const lastYear = Number(today.slice(0, 4)) - 1;

// Facts a visit cannot collect (always known, or required).
const ALWAYS = new Set(['status', 'stage', 'cluster', 'grid', 'in_park', 'tags', 'industry']);

// The quarters of a period (2025 or 2025-Q3) that the indicators lack
// whole: a quarter's own figure, or else its three months.
function quartersMissing(items, field, period) {
  const [y, q] = period.split('-Q').map(Number);
  const out = [];
  for (const k of q ? [q] : [1, 2, 3, 4]) {
    const quarter = items.find((it) => it.period === `${y}-Q${k}`);
    let whole;
    if (quarter) whole = quarter[field] !== null;
    else {
      whole = [1, 2, 3].every((m) => {
        const month = items.find((it) => it.period === `${y}-${String((k - 1) * 3 + m).padStart(2, '0')}`);
        return month && month[field] !== null;
      });
    }
    if (!whole) out.push(`${y}-Q${k}`);
  }
  return out;
}

// The questions an enterprise should have, from its unknown measures.
async function expectedQuestions(id) {
  const pol = await get(admin, `/api/v1/enterprises/${id}/policies`);
  const ind = await get(admin, `/api/v1/enterprises/${id}/indicators`);
  const want = new Map();
  for (const u of pol.unknown) {
    for (const fact of u.missing) {
      if (ALWAYS.has(fact)) continue;
      if (!want.has(fact)) want.set(fact, new Set());
      want.get(fact).add(u.policy.id);
    }
  }
  const collect = (fact) => {
    const m = /^(revenue|output|tax|rd_spend|energy)\((\d{4})(?:Q(\d))?\)$/.exec(fact);
    if (!m) return [];
    const field = m[1] === 'rd_spend' ? 'rd' : m[1];
    return quartersMissing(ind.items, field, m[3] ? `${m[2]}-Q${m[3]}` : m[2]);
  };
  return { want, collect };
}

// Which grid worker visits an enterprise: the one whose grids include its
// grid (asked through the alerts, which refuse another team's grid).
async function workerOf(gridId) {
  const mine = [];
  for (const [name, c] of Object.entries(workers)) {
    const r = await c.call('GET', `/api/v1/alerts?grid=${gridId}`);
    if (r.status === 200) mine.push(name);
    else assert.equal(r.status, 403, r.text);
  }
  assert.equal(mine.length, 1, `grid ${gridId}: ${mine}`);
  return mine[0];
}

test('the questions are the facts the unknown measures miss, once each, with the quarters to record', async () => {
  for (const id of [1, 4, 101, 30]) {
    const q = await get(admin, `/api/v1/enterprises/${id}/questions`);
    const { want, collect } = await expectedQuestions(id);
    assert.equal(q.enterprise_id, id);
    assert.equal(q.as_of, today);
    assert.equal(q.count, q.items.length);
    assert.deepEqual(q.items.map((x) => x.fact).sort(), [...want.keys()].sort(), `enterprise ${id}`);
    assert.equal(new Set(q.items.map((x) => x.fact)).size, q.items.length, 'each fact once');
    for (const x of q.items) {
      assert.deepEqual(x.policies.map((p) => p.id).sort(), [...want.get(x.fact)].sort(), x.fact);
      assert.ok(x.policies.every((p) => p.title_zh), 'titled');
      assert.deepEqual(x.collect, collect(x.fact), `${id} ${x.fact}`);
      if (x.kind === 'indicator') assert.ok(x.collect.length > 0, 'something to record');
    }
  }
  // The demo's growth measure waits on last year's revenue of every
  // enterprise of Jinshan; Qifan lacks a quarter of it.
  const q = await get(admin, '/api/v1/enterprises/1/questions');
  const rev = q.items.find((x) => x.fact === `revenue(${lastYear})`);
  assert.ok(rev, JSON.stringify(q.items));
  assert.equal(rev.kind, 'indicator');
  assert.equal(rev.field, 'revenue');
  assert.equal(rev.period, String(lastYear));
  assert.equal(rev.label_zh, `营业收入（${lastYear}）`);
});

test('who may read the questions', async () => {
  const e = await get(admin, '/api/v1/enterprises/1');
  const name = await workerOf(e.grid_id);
  await get(workers[name], '/api/v1/enterprises/1/questions');
  for (const [other, c] of Object.entries(workers)) {
    if (other === name) continue;
    const r = await c.call('GET', '/api/v1/enterprises/1/questions');
    assert.equal(r.status, 403, `${other}: ${r.text}`);
  }
  await get(officer, '/api/v1/enterprises/1/questions');
  for (const c of [handler, secretary, qifan]) {
    const r = await c.call('GET', '/api/v1/enterprises/1/questions');
    assert.equal(r.status, 403, r.text);
  }
  // Zhujing's officer: an enterprise of Zhangyan is none of its own.
  assert.equal((await zhujing.call('GET', '/api/v1/enterprises/1/questions')).status, 404);
  assert.equal((await admin.call('GET', '/api/v1/enterprises/999999/questions')).status, 404);
  assert.equal((await admin.call('GET', '/api/v1/enterprises/x/questions')).status, 404);
  const anon = await fetch(`${srv.url}/api/v1/enterprises/1/questions`);
  assert.equal(anon.status, 401);
});

// A valid USCC (GB 32100-2015) from a serial.
const ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
let serial = 0;
function uscc() {
  const body = String(52000000 + (process.pid % 7000) * 131 + ++serial * 6007).slice(-8);
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const c9 = 11 - ([...body].reduce((s, c, k) => s + Number(c) * w[k], 0) % 11);
  const s17 = `91310116${body}${c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9)}`;
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...s17].reduce((s, c, k) => s + ALPHA.indexOf(c) * W[k], 0);
  return s17 + ALPHA[(31 - (sum % 31)) % 31];
}

test('a visit records the answers, the enterprise is matched again and the questions go', async () => {
  // A new enterprise beside Qifan, with no size, founding date or
  // employee count and no figures: the park's measures are unknown.
  const q1 = await get(admin, '/api/v1/enterprises/1');
  const e = await ok(officer, 'POST', '/api/v1/enterprises', {
    uscc: uscc(), name_zh: `问卷测试企业${serial}`, industry: '3831', lon: q1.lon + 0.0001, lat: q1.lat, jurisdiction: '310116103',
  });
  assert.equal(e.grid_id, q1.grid_id);
  const worker = workers[await workerOf(e.grid_id)];
  let q = await get(worker, `/api/v1/enterprises/${e.id}/questions`);
  const facts = q.items.map((x) => x.fact);
  for (const f of ['size', 'founded', `revenue(${lastYear})`]) assert.ok(facts.includes(f), `${f} in ${facts}`);
  const size = q.items.find((x) => x.fact === 'size');
  assert.equal(size.kind, 'registry');
  assert.deepEqual(size.collect, []);
  const small = size.policies.map((p) => p.id);
  const growth = q.items.find((x) => x.fact === `revenue(${lastYear})`);
  assert.deepEqual(growth.collect, [1, 2, 3, 4].map((k) => `${lastYear}-Q${k}`));
  const visits = async () => (await get(admin, `/api/v1/enterprises/${e.id}/visits`)).items.length;
  const audits = async () => (await get(admin, `/api/v1/audit?entity=enterprise&limit=1000`)).items.length;

  // Refusals name the field and write nothing.
  const before = { visits: await visits(), audits: await audits() };
  const bad = [
    [{ registry: { size: 'huge' } }, 422, 'invalid_enum', 'registry.size'],
    [{ registry: { employees: 12.5 } }, 422, 'wrong_type', 'registry.employees'],
    [{ registry: { address: 'x' } }, 422, 'unknown_field', 'registry.address'],
    [{ registry: { founded: '2019-02-30' } }, 422, null, 'registry.founded'],
    [{ indicators: [{ period: `${lastYear}-Q1`, revenue: 1 }, { period: `${lastYear}-Q1`, tax: 1 }] }, 422, 'duplicate_period', 'indicators[1].period'],
    [{ indicators: [{ period: `${lastYear}-Q1`, revenue: -1 }] }, 422, 'out_of_range', 'indicators[0].revenue'],
    [{ indicators: [{ period: 'soon', revenue: 1 }] }, 422, 'invalid_period', 'indicators[0].period'],
    [{ indicators: Array.from({ length: 9 }, (_, k) => ({ period: `${lastYear - 3 + Math.floor(k / 4)}-Q${(k % 4) + 1}`, revenue: 1 })) }, 422, 'too_many', 'indicators'],
    [{ status: 'planned', registry: { size: 'small' } }, 422, 'not_done', 'registry'],
  ];
  for (const [extra, status, code, field] of bad) {
    const r = await worker.call('POST', '/api/v1/visits', { enterprise_id: e.id, status: 'done', ...extra });
    assert.equal(r.status, status, `${JSON.stringify(extra)}: ${r.text}`);
    if (code) assert.equal(r.json.error.code, code, r.text);
    assert.equal(r.json.error.field, field, r.text);
  }
  assert.deepEqual({ visits: await visits(), audits: await audits() }, before);

  // The answers: the size, the founding date, last year's revenue and
  // the year before's (growth), and the last quarter's tax.
  const lq = (() => {
    const m = Number(today.slice(5, 7));
    const y = Number(today.slice(0, 4));
    const k = Math.floor((m - 1) / 3);
    return k === 0 ? `${y - 1}-Q4` : `${y}-Q${k}`;
  })();
  const figures = [];
  for (const y of [lastYear - 1, lastYear]) {
    for (let k = 1; k <= 4; k++) {
      const p = `${y}-Q${k}`;
      figures.push({ period: p, revenue: y === lastYear ? 130 : 100, ...(p === lq ? { tax: 5 } : {}) });
    }
  }
  if (!figures.some((f) => f.period === lq)) figures.push({ period: lq, tax: 5 });
  const body = { enterprise_id: e.id, status: 'done', notes: '补齐政策所需数据', registry: { size: 'small', founded: '2018-04-01' }, indicators: figures.slice(0, 8) };
  await ok(worker, 'POST', '/api/v1/visits', body, 201);
  if (figures.length > 8) await ok(worker, 'POST', '/api/v1/visits', { enterprise_id: e.id, status: 'done', indicators: figures.slice(8) }, 201);
  const after = await get(admin, `/api/v1/enterprises/${e.id}`);
  assert.equal(after.size, 'small');
  assert.equal(after.founded, '2018-04-01');
  assert.equal(after.version, e.version + 1);
  const audit = (await get(admin, `/api/v1/audit?entity=enterprise&limit=5`)).items.find((a) => a.entity_id === e.id && a.action === 'update');
  assert.ok(audit, 'the record filled is audited');

  // The questions answered are gone; what is left is what the measures
  // still miss, recomputed independently.
  q = await get(worker, `/api/v1/enterprises/${e.id}/questions`);
  const left = q.items.map((x) => x.fact);
  for (const f of ['size', 'founded', `revenue(${lastYear})`, `revenue(${lastYear - 1})`]) assert.ok(!left.includes(f), `${f} still asked: ${left}`);
  const { want } = await expectedQuestions(e.id);
  assert.deepEqual(left.sort(), [...want.keys()].sort());

  // The kept matches moved with it: 30 % growth qualifies for the growth
  // measure, and the park's small-enterprise measure is decided.
  const pol = await get(admin, `/api/v1/enterprises/${e.id}/policies`);
  const growthId = growth.policies[0].id;
  assert.ok(pol.qualified.some((x) => x.policy.id === growthId), JSON.stringify(pol.qualified.map((x) => x.policy.id)));
  const eligible = await get(admin, `/api/v1/policies/${growthId}/eligible`);
  assert.ok(eligible.items.some((x) => x.id === e.id), 'kept as eligible');
  for (const id of small) {
    const unknown = await get(admin, `/api/v1/policies/${id}/eligible?outcome=unknown`);
    assert.ok(!unknown.items.some((x) => x.id === e.id), `measure ${id} no longer unknown`);
  }

  // A field the record has is not overwritten by a visit.
  const r = await worker.call('POST', '/api/v1/visits', { enterprise_id: e.id, status: 'done', registry: { size: 'medium' } });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'already_known');
  assert.equal(r.json.error.field, 'registry.size');
  assert.equal((await get(admin, `/api/v1/enterprises/${e.id}`)).size, 'small');
  // Another grid's worker records nothing here.
  for (const c of Object.values(workers)) {
    if (c === worker) continue;
    assert.equal((await c.call('POST', '/api/v1/visits', { enterprise_id: e.id, status: 'done', registry: { employees: 5 } })).status, 403);
  }
  await ok(worker, 'POST', '/api/v1/visits', { enterprise_id: e.id, status: 'done', registry: { employees: 25 } }, 201);
  assert.equal((await get(admin, `/api/v1/enterprises/${e.id}`)).employees, 25);
});

// ---------------------------------------------------------------------
// Chain facts

// The gap makers, from the chain's own answers: an enterprise makes a
// gap node when it makes a node that no other enterprise of the park
// makes.
async function gapMakers() {
  const clusters = (await get(admin, '/api/v1/clusters')).items;
  const makers = new Set();
  for (const c of clusters) {
    const chain = await get(admin, `/api/v1/clusters/${c.id}/chain`);
    for (const n of chain.nodes) {
      const node = await get(admin, `/api/v1/chain/nodes/${n.id}`);
      for (const p of node.producers) {
        const others = node.producers.filter((o) => o.id !== p.id && o.in_park).length;
        if (others === 0) makers.add(p.id);
      }
    }
  }
  return makers;
}

async function localisation(id, year) {
  const r = await get(admin, `/api/v1/enterprises/${id}/localisation?from=${year}&to=${year}`);
  return r.series[0].rate;
}

const gapMeasure = async () => (await get(admin, '/api/v1/policies')).items.find((p) => /makes_gap_node/.test(p.rule));

test('makes_gap_node and localisation: the demo\'s chain measure against the chain\'s own answers', async () => {
  const m = await gapMeasure();
  assert.ok(m, 'the demo has a chain measure');
  const makers = await gapMakers();
  assert.ok(makers.has(1), 'Qifan alone makes a node of its chain');
  const want = { true: [], unknown: [] };
  for (const id of makers) {
    const e = await get(admin, `/api/v1/enterprises/${id}`);
    if (!e.in_park || e.status !== 'active') continue;
    const rate = await localisation(id, lastYear);
    if (rate === null) want.unknown.push(id);
    else if (rate >= 0.5) want.true.push(id);
  }
  assert.ok(want.true.includes(1) && want.unknown.length > 0, JSON.stringify(want));
  for (const outcome of ['true', 'unknown']) {
    const got = (await get(admin, `/api/v1/policies/${m.id}/eligible?outcome=${outcome}`)).items.map((e) => e.id).sort((a, b) => a - b);
    assert.deepEqual(got, want[outcome].sort((a, b) => a - b), outcome);
  }
  // Qifan's page says why.
  const pol = await get(qifan, '/api/v1/enterprises/1/policies');
  const mine = pol.qualified.find((x) => x.policy.id === m.id);
  assert.ok(mine, 'Qifan qualifies');
  const crit = mine.criteria.find((c) => c.text === 'makes_gap_node');
  assert.equal(crit.value, 'true');
  const loc = mine.criteria.find((c) => /localisation/.test(c.text));
  assert.equal(loc.reads[0].known, true);
  // The unknown one is asked, as a chain fact the visit form cannot fill.
  const q = await get(admin, `/api/v1/enterprises/${want.unknown[0]}/questions`);
  const ask = q.items.find((x) => x.fact === `localisation(${lastYear})`);
  assert.equal(ask.kind, 'chain');
  assert.deepEqual(ask.policies.map((p) => p.id), [m.id]);
  // A non-maker of the park is false and is asked nothing about the chain.
  const other = await get(admin, '/api/v1/enterprises/30/policies');
  assert.ok(![...other.qualified, ...other.unknown, ...other.nearly].some((x) => x.policy.id === m.id));
});

test('a product or a supply link that changes a chain fact re-matches who it touches', async () => {
  const m = await gapMeasure();
  const eligible = async (outcome = 'true') => (await get(admin, `/api/v1/policies/${m.id}/eligible?outcome=${outcome}`)).items.map((e) => e.id);
  // Another enterprise of the park starts making Qifan's power cable:
  // Qifan no longer fills that gap alone (it may still fill another).
  const chain = await get(admin, '/api/v1/clusters/1/chain');
  const onlyQifan = [];
  for (const n of chain.nodes) {
    const node = await get(admin, `/api/v1/chain/nodes/${n.id}`);
    if (node.producers.some((p) => p.id === 1) && node.producers.filter((p) => p.in_park).length === 1) onlyQifan.push(n.id);
  }
  assert.ok(onlyQifan.length >= 1, 'Qifan is alone at some node');
  for (const node of onlyQifan) await ok(officer, 'PUT', `/api/v1/enterprises/2/products/${node}`, { capacity: 10 });
  assert.ok(!(await eligible()).includes(1), 'Qifan no longer fills a gap alone');
  const pol = await get(admin, '/api/v1/enterprises/1/policies');
  assert.ok(!pol.qualified.some((x) => x.policy.id === m.id));
  for (const node of onlyQifan) await ok(officer, 'DELETE', `/api/v1/enterprises/2/products/${node}`);
  assert.ok((await eligible()).includes(1), 'Qifan fills its gaps again');

  // The enterprise left unknown for want of purchases buys in the park.
  const [unknown] = await eligible('unknown');
  assert.ok(unknown);
  const node = chain.nodes[0].id;
  await ok(officer, 'POST', '/api/v1/supply-links', {
    supplier_id: 1, customer_id: unknown, node_id: node, annual_value: 100, since: `${lastYear - 1}-01-01`, source: 'declared',
  }, 201);
  assert.ok((await eligible()).includes(unknown), 'its purchases are all local');
  assert.ok(!(await eligible('unknown')).includes(unknown));
  const q = await get(admin, `/api/v1/enterprises/${unknown}/questions`);
  assert.ok(!q.items.some((x) => x.fact === `localisation(${lastYear})`));
});
