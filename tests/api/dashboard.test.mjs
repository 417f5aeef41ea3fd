// The dashboard against a real server with the demo town: every figure
// recomputed here from the API's own lists (enterprises, cases and their
// timelines, visits, indicators, alerts, leads, the reference
// employment), never from the database; the counters after writes,
// transfers and merges; who may ask and for what scope; periods that do
// not exist; the reference employment's import, refused by line and
// whole; the workbook read back cell by cell and the PDF's text, against
// the JSON.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start, login, cli } from '../lib/server.mjs';
import { unzip } from '../lib/zip.mjs';

const srv = await start();
const work = mkdtempSync(join(tmpdir(), 'qunyan-dash-'));
test.after(async () => { await srv.stop(); rmSync(work, { recursive: true, force: true }); });

const as = {};
for (const n of ['admin', 'officer', 'officer.zhangyan', 'officer.zhujing', 'officer.jinshan', 'secretary',
  'grid', 'handler', 'qifan']) as[n] = await login(srv.url, n);
const zy = as['officer.zhangyan'];

const townDay = (iso) => new Date(Date.parse(iso) + 8 * 3600e3).toISOString().slice(0, 10);
const today = townDay(new Date().toISOString());
const YEAR = Number(today.slice(0, 4));

async function get(client, path) {
  const r = await client.call('GET', path);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.json;
}
const dashboard = (client, query) => get(client, `/api/v1/dashboard?${query}`);
const section = (d, id) => {
  const s = d.sections.find((x) => x.id === id);
  assert.ok(s, `section ${id}`);
  return s;
};
const row = (d, id, key) => section(d, id).rows.find((r) => r.key === key);
const close = (a, b, what, eps = 1e-4) => {
  if (a === null || b === null) assert.equal(a, b, what);
  else assert.ok(Math.abs(a - b) <= eps * Math.max(1, Math.abs(b)), `${what}: ${a} against ${b}`);
};
const share = (p, w) => (w ? p / w : null);

async function allEnterprises(client, query = 'status=active') {
  const out = [];
  let cursor = '';
  for (;;) {
    const r = await get(client, `/api/v1/enterprises?${query}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...r.items);
    if (!r.next) return out;
    cursor = r.next;
  }
}
async function allCases(client, path) {
  const out = [];
  let after = '';
  for (;;) {
    const r = await get(client, `${path}${path.includes('?') ? '&' : '?'}limit=500${after ? `&after=${after}` : ''}`);
    out.push(...r.items);
    if (!r.next) return out;
    after = r.next;
  }
}

// What a bucket of cases counts, by the rules the counters keep.
function caseFigures(cases) {
  const f = { created: 0, closed: 0, on_time: 0, rated: 0, rating_sum: 0, satisfied: 0, reopened: 0 };
  for (const c of cases) {
    f.created++;
    if (c.closed_at) {
      f.closed++;
      if ((c.resolved_at || c.closed_at) <= c.deadline) f.on_time++;
    }
    if (c.rating !== null) {
      f.rated++;
      f.rating_sum += c.rating;
      if (c.rating >= 4) f.satisfied++;
    }
    if (c.reopened > 0) f.reopened++;
  }
  return {
    created: f.created, closed: f.closed, on_time_rate: share(f.on_time, f.closed),
    satisfaction: share(f.rating_sum, f.rated), satisfied_rate: share(f.satisfied, f.rated),
    reopen_rate: share(f.reopened, f.created),
  };
}
function groupBy(items, key) {
  const m = new Map();
  for (const x of items) {
    const k = key(x);
    if (!m.has(k)) m.set(k, []);
    m.get(k).push(x);
  }
  return m;
}
function sameCaseRows(d, id, groups, what) {
  const s = section(d, id);
  assert.deepEqual(s.rows.map((r) => r.key).sort(), [...groups.keys()].map(String).sort(), `${what}: the rows`);
  for (const [k, list] of groups) {
    const want = caseFigures(list);
    const got = s.rows.find((r) => r.key === String(k)).values;
    for (const col of Object.keys(want)) close(got[col], want[col], `${what} ${k} ${col}`);
  }
}

// The dashboard's case figures of a scope against its list of cases.
async function checkCases(client, d, what) {
  const list = (await allCases(client, row(d, 'summary', 'cases').links.api)).filter((c) => c.merged_into === null);
  const want = caseFigures(list);
  for (const k of ['on_time_rate', 'satisfaction', 'satisfied_rate', 'reopen_rate']) {
    close(row(d, 'summary', k).values.value, want[k], `${what}: ${k}`);
  }
  assert.equal(row(d, 'summary', 'cases').values.value, want.created, `${what}: cases`);
  sameCaseRows(d, 'cases_by_channel', groupBy(list, (c) => c.channel), `${what} by channel`);
  sameCaseRows(d, 'cases_by_kind', groupBy(list, (c) => c.kind), `${what} by kind`);
  const byCat = groupBy(list, (c) => c.category_id);
  sameCaseRows(d, 'cases_by_category', byCat, `${what} by category`);
  sameCaseRows(d, 'departments', groupBy(list, (c) => c.department.id), `${what} by department`);
  const byMonth = groupBy(list, (c) => townDay(c.created_at).slice(0, 7));
  for (const r of section(d, 'cases_by_month').rows) {
    assert.equal(r.values.created, (byMonth.get(r.key) || []).length, `${what}: month ${r.key}`);
  }
  // The list behind each channel's row holds its cases.
  for (const r of section(d, 'cases_by_channel').rows) {
    const behind = (await allCases(client, r.links.api)).filter((c) => c.merged_into === null);
    assert.equal(behind.length, r.values.created, `${what}: the list behind ${r.key}`);
  }
  // Suggestions adopted and implemented, from their timelines.
  let adopted = 0;
  let implemented = 0;
  for (const c of list.filter((x) => x.kind === 'suggestion')) {
    const events = (await get(client, `/api/v1/cases/${c.id}`)).events;
    if (events.some((e) => e.to === 'adopted')) adopted++;
    if (events.some((e) => e.to === 'implemented')) implemented++;
  }
  assert.equal(row(d, 'summary', 'adopted').values.value, adopted, `${what}: adopted`);
  assert.equal(row(d, 'summary', 'implemented').values.value, implemented, `${what}: implemented`);
  return list;
}

test('every figure of the town\'s dashboard, recomputed from the lists', async () => {
  const period = String(YEAR);
  const d = await dashboard(zy, `period=${period}`);
  assert.equal(d.period.label, period);
  assert.equal(d.period.since, `${YEAR}-01-01`);
  assert.equal(d.scope.kind, 'jurisdiction');
  assert.equal(d.scope.code, '310116103');

  // ---- enterprises ----
  const ents = await allEnterprises(zy);
  const emp = (e) => e.employees || 0;
  const total = ents.reduce((s, e) => s + emp(e), 0);
  assert.equal(row(d, 'summary', 'enterprises').values.value, ents.length);
  assert.equal(row(d, 'summary', 'employees').values.value, total);
  const byCluster = groupBy(ents, (e) => e.cluster_id || 0);
  assert.deepEqual(section(d, 'clusters').rows.map((r) => r.key).sort(), [...byCluster.keys()].map(String).sort());
  for (const [k, list] of byCluster) {
    const r = row(d, 'clusters', String(k));
    assert.equal(r.values.enterprises, list.length, `cluster ${k}`);
    assert.equal(r.values.employees, list.reduce((s, e) => s + emp(e), 0), `cluster ${k} employees`);
    close(r.values.share_here, share(r.values.employees, total), `cluster ${k} share`);
    const behind = await get(zy, r.links.api.replace('status=active', 'status=active&limit=500'));
    assert.equal(behind.items.length, list.length, `the list behind cluster ${k}`);
  }
  for (const [id, key] of [['sizes', 'size'], ['stages', 'stage']]) {
    for (const r of section(d, id).rows) {
      const n = ents.filter((e) => (r.key === 'none' ? !e[key] : e[key] === r.key)).length;
      assert.equal(r.values.enterprises, n, `${id} ${r.key}`);
    }
  }

  // ---- location quotients against the reference region ----
  const ref = (await get(zy, '/api/v1/reference-employment')).items;
  assert.ok(ref.length > 20, 'the demo has a reference region');
  assert.equal(d.reference.region, ref[0].region);
  const refTotal = ref.reduce((s, r) => s + r.employees, 0);
  assert.equal(d.reference.employees, refTotal);
  // A cluster's classes: those of its active enterprises of the park.
  const everywhere = await allEnterprises(as.admin);
  for (const [k, list] of byCluster) {
    if (!k) continue;
    const classes = new Set(everywhere.filter((e) => e.cluster_id === k).map((e) => e.industry));
    const refC = ref.filter((r) => classes.has(r.industry)).reduce((s, r) => s + r.employees, 0);
    const here = list.reduce((s, e) => s + emp(e), 0);
    const r = row(d, 'clusters', String(k));
    assert.equal(r.values.reference_employees, refC, `cluster ${k}: reference employment`);
    close(r.values.share_reference, share(refC, refTotal), `cluster ${k}: reference share`);
    close(r.values.lq, refC ? (here / total) / (refC / refTotal) : null, `cluster ${k}: LQ`);
    assert.ok(r.values.lq > 1, `cluster ${k} is concentrated in the town`);
  }

  // ---- revenue, output and tax by quarter, year on year ----
  const quarters = {};
  for (const e of await allEnterprises(zy, 'located=all')) {
    const items = (await get(zy, `/api/v1/enterprises/${e.id}/indicators`)).items;
    for (const y of [YEAR - 1, YEAR]) {
      for (let q = 1; q <= 4; q++) {
        const qi = items.find((i) => i.period === `${y}-Q${q}`);
        for (const f of ['revenue', 'output', 'tax']) {
          let v = qi && qi[f] !== null ? qi[f] : null;
          if (v === null) {
            const months = items.filter((i) => [1, 2, 3].map((m) => `${y}-${String(3 * q - 3 + m).padStart(2, '0')}`).includes(i.period) && i[f] !== null);
            if (months.length) v = months.reduce((s, i) => s + i[f], 0);
          }
          if (v !== null) quarters[`${y}-Q${q}-${f}`] = (quarters[`${y}-Q${q}-${f}`] || 0) + v;
        }
      }
    }
  }
  for (const r of section(d, 'economy').rows) {
    const [y, q] = [Number(r.key.slice(0, 4)), r.key.slice(5)];
    for (const f of ['revenue', 'output', 'tax']) {
      const now = quarters[`${y}-${q}-${f}`] ?? null;
      const before = quarters[`${y - 1}-${q}-${f}`] ?? null;
      close(r.values[f], now, `${r.key} ${f}`, 1e-6);
      close(r.values[`${f}_yoy`], now !== null && before ? (now - before) / Math.abs(before) : null, `${r.key} ${f} yoy`);
    }
  }

  // ---- cases ----
  await checkCases(zy, d, 'the town');

  // ---- visits by grid, and the alerts ----
  const visited = new Map();
  for (const e of ents) {
    const v = (await get(zy, `/api/v1/enterprises/${e.id}/visits`)).items;
    const inPeriod = v.some((x) => x.status === 'done' && x.done_on >= d.period.since && x.done_on <= d.period.until);
    const g = String(e.grid_id || 0);
    const acc = visited.get(g) || { n: 0, visited: 0 };
    acc.n++;
    if (inPeriod) acc.visited++;
    visited.set(g, acc);
  }
  assert.deepEqual(section(d, 'visits').rows.map((r) => r.key).sort(), [...visited.keys()].sort());
  for (const [g, v] of visited) {
    const r = row(d, 'visits', g);
    assert.equal(r.values.enterprises, v.n, `grid ${g}`);
    assert.equal(r.values.visited, v.visited, `grid ${g} visited`);
  }
  const alerts = (await get(zy, '/api/v1/alerts')).items;
  for (const kind of ['fall', 'missing_report', 'not_visited']) {
    const n = alerts.filter((a) => a.alerts.some((x) => x.kind === kind)).length;
    assert.equal(row(d, 'alerts', kind).values.enterprises, n, `alerts: ${kind}`);
  }

  // ---- the attraction pipeline ----
  const leads = (await get(zy, '/api/v1/leads')).items;
  for (const r of section(d, 'pipeline').rows) {
    assert.equal(r.values.leads, leads.filter((l) => l.stage === r.key).length, `leads ${r.key}`);
  }
  // Every row names the list behind it.
  for (const s of d.sections) for (const r of s.rows) {
    if (s.id === 'cases_by_month' || (s.id === 'visits' && r.key === '0') || r.key === 'none') continue;
    assert.ok(r.links.console || r.links.api, `${s.id} ${r.key} links to its list`);
  }
});

test('the counters follow writes, transfers and merges', async () => {
  const period = `${today.slice(0, 7)}`;
  const zj = as['officer.zhujing'];
  const before = await dashboard(zy, `period=${period}`);
  const mk = async (fields) => {
    const r = await zy.call('POST', '/api/v1/cases', { kind: 'complaint', category: 'safety', text: `仓库消防通道被占用 ${Math.random()}`, ...fields });
    assert.equal(r.status, 201, r.text);
    return r.json.case;
  };
  const a = await mk({});
  const b = await mk({ kind: 'problem', category: 'community' });
  const c = await mk({});
  const e = await mk({ kind: 'problem', category: 'community' });
  // resolved, rated at the callback, closed
  for (const to of ['accepted', 'assigned', 'in_progress', 'resolved']) {
    const r = await zy.call('POST', `/api/v1/cases/${a.id}/transition`, { to, note: '处理' });
    assert.equal(r.status, 200, `${to}: ${r.text}`);
  }
  let r = await zy.call('POST', `/api/v1/cases/${a.id}/rating`, { rating: 5 });
  assert.ok(r.status === 200 || r.status === 201, r.text);
  if ((await get(zy, `/api/v1/cases/${a.id}`)).case.state !== 'closed') {
    r = await zy.call('POST', `/api/v1/cases/${a.id}/transition`, { to: 'closed', note: '办结' });
    assert.equal(r.status, 200, r.text);
  }
  // merged
  r = await zy.call('POST', `/api/v1/cases/${c.id}/merge`, { into: b.id, note: '重复' });
  assert.equal(r.status, 200, r.text);
  // transferred to Zhujing
  r = await zy.call('POST', `/api/v1/cases/${e.id}/transfer`, { to: '310116101', reason: '应由朱泾镇办理' });
  assert.equal(r.status, 201, r.text);
  r = await zj.call('POST', `/api/v1/cases/${e.id}/transfer/accept`, {});
  assert.equal(r.status, 200, r.text);

  const after = await dashboard(zy, `period=${period}`);
  assert.equal(row(after, 'summary', 'cases').values.value, row(before, 'summary', 'cases').values.value + 2,
    'two new cases stay: one merged away, one sent to Zhujing');
  await checkCases(zy, after, 'the town after the writes');
  const there = await dashboard(zj, `period=${period}`);
  assert.equal(there.scope.code, '310116101');
  await checkCases(zj, there, 'Zhujing after the transfer');
  // The district adds its towns up.
  const district = await dashboard(as['officer.jinshan'], `period=${period}`);
  await checkCases(as['officer.jinshan'], district, 'the district');
});

test('who may read the dashboard, and for what scope', async () => {
  for (const n of ['handler', 'qifan']) {
    const r = await as[n].call('GET', '/api/v1/dashboard');
    assert.equal(r.status, 403, `${n}: ${r.text}`);
    assert.equal(r.json.error.code, 'forbidden');
  }
  let r = await fetch(`${srv.url}/api/v1/dashboard`);
  assert.equal(r.status, 401);
  // Outside the caller's places: 403 naming scope.
  r = await as['officer.zhujing'].call('GET', '/api/v1/dashboard?scope=310116103');
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.code, 'outside_scope');
  assert.equal(r.json.error.field, 'scope');
  r = await zy.call('GET', '/api/v1/dashboard?scope=999999999');
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'unknown_jurisdiction');
  assert.equal(r.json.error.field, 'scope');
  // A district officer may ask for one of its towns, by code or by id.
  const town = await dashboard(as['officer.jinshan'], `period=${YEAR}&scope=310116103`);
  const mine = await dashboard(zy, `period=${YEAR}`);
  assert.deepEqual(town.sections.filter((s) => s.id !== 'pipeline'), mine.sections.filter((s) => s.id !== 'pipeline'));
  const byId = await dashboard(as['officer.jinshan'], `period=${YEAR}&scope=${town.scope.id}`);
  assert.equal(byId.scope.code, '310116103');
  // A secretary sees its cluster's enterprises only.
  const sec = await dashboard(as.secretary, `period=${YEAR}`);
  assert.equal(sec.scope.kind, 'cluster');
  const clusterEnts = (await allEnterprises(as.admin)).filter((e) => e.cluster_id === as.secretary.user.cluster_id);
  assert.equal(row(sec, 'summary', 'enterprises').values.value, clusterEnts.length);
  assert.deepEqual(section(sec, 'clusters').rows.map((x) => x.key), [String(as.secretary.user.cluster_id)]);
  // A grid worker sees its grids' enterprises only.
  const gw = await dashboard(as.grid, `period=${YEAR}`);
  assert.equal(gw.scope.kind, 'grids');
  const grids = new Set(section(gw, 'visits').rows.map((x) => x.key));
  const total = section(gw, 'visits').rows.reduce((s, x) => s + x.values.enterprises, 0);
  assert.equal(row(gw, 'summary', 'enterprises').values.value, total);
  assert.ok(total > 0 && total < row(mine, 'summary', 'enterprises').values.value);
  assert.ok(!grids.has('0'));
});

test('a period that does not exist, or is not one, is 422 naming the field and the forms', async () => {
  for (const p of ['2024Q5', '2024Q0', '2024-13', '2024-00', '24Q1', '2024-Q', 'Q4', '2024-1', '1989', '2101Q1',
    `${YEAR + 1}`, 'abc']) {
    const r = await zy.call('GET', `/api/v1/dashboard?period=${encodeURIComponent(p)}`);
    assert.equal(r.status, 422, `${p}: ${r.text}`);
    assert.equal(r.json.error.code, 'invalid_period', p);
    assert.equal(r.json.error.field, 'period', p);
  }
  const r = await zy.call('GET', '/api/v1/dashboard?period=2024Q5');
  assert.match(r.json.error.message, /quarter 5 does not exist/);
  const m = await zy.call('GET', '/api/v1/dashboard?period=2024-13');
  assert.match(m.json.error.message, /month 13 does not exist/);
  const f = await zy.call('GET', '/api/v1/dashboard?period=abc');
  assert.match(f.json.error.message, /2024Q4.*2024-11.*2024/);
  const feb = await dashboard(zy, 'period=2023-02');
  assert.deepEqual([feb.period.kind, feb.period.since, feb.period.until], ['month', '2023-02-01', '2023-02-28']);
  const leap = await dashboard(zy, 'period=2024-02');
  assert.equal(leap.period.until, '2024-02-29');
  const q = await dashboard(zy, 'period=2024-Q4');
  assert.deepEqual([q.period.label, q.period.since, q.period.until], ['2024Q4', '2024-10-01', '2024-12-31']);
  // No period: the current quarter.
  const now = await dashboard(zy, '');
  assert.equal(now.period.kind, 'quarter');
  assert.ok(now.period.since <= today && today <= now.period.until);
});

test('the reference employment: refused by line and whole, then replaced', async () => {
  const csv = (lines) => `region,industry,employees\r\n${lines.join('\r\n')}\r\n`;
  const before = (await get(as.admin, '/api/v1/reference-employment')).items;
  const post = (body, type = 'text/csv') => as.admin.call('POST', '/api/v1/reference-employment', body, { 'Content-Type': type });
  let r = await post(csv(['上海市,3831,1000', '上海市,9999,10', '上海市,3832,-5', '上海市,3831,7', '上海市,3833,many',
    '浙江省,3976,10', '上海市,38,10']));
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'invalid_reference_employment');
  const messages = r.json.error.errors.map((e) => e.message);
  assert.deepEqual(messages.map((m) => Number(/^line (\d+)/.exec(m)[1])), [3, 4, 5, 6, 7, 8]);
  assert.match(messages[0], /9999.*division 99 does not exist/);
  assert.match(messages[1], /-5 must not be negative/);
  assert.match(messages[2], /3831 is already given/);
  assert.match(messages[3], /whole number/);
  assert.match(messages[4], /one region/);
  assert.match(messages[5], /4-digit/);
  assert.deepEqual((await get(as.admin, '/api/v1/reference-employment')).items, before, 'nothing was imported');
  r = await post('region,industry\r\n上海市,3831\r\n');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'invalid_header');
  r = await post('region,industry,employees\r\n');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'no_rows');
  r = await post(csv(['上海市,3831,1']), 'application/json');
  assert.equal(r.status, 415);
  r = await as.secretary.call('POST', '/api/v1/reference-employment', csv(['上海市,3831,1']), { 'Content-Type': 'text/csv' });
  assert.equal(r.status, 403);

  // From the command line: every problem by line, nothing imported.
  const bad = join(work, 'bad.csv');
  writeFileSync(bad, csv(['上海市,3831,1000', '上海市,0000,5', '上海市,3976,-1']));
  const c = cli(['import', 'reference-employment', bad, '--db', srv.db]);
  assert.notEqual(c.status, 0);
  assert.match(c.stderr, /line 3: industry '0000'/);
  assert.match(c.stderr, /line 4: employees -1 must not be negative/);
  assert.deepEqual((await get(as.admin, '/api/v1/reference-employment')).items, before, 'nothing was imported');

  // A region where the optoelectronic classes are a tenth of the whole:
  // the cluster's quotient follows.
  r = await post(csv(['北京市,3831,100', '北京市,3832,100', '北京市,3833,100', '北京市,7020,2700']));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { imported: 4, region: '北京市' });
  const d = await dashboard(zy, `period=${YEAR}`);
  assert.equal(d.reference.region, '北京市');
  assert.equal(d.reference.employees, 3000);
  const ents = await allEnterprises(as.admin);
  for (const cr of section(d, 'clusters').rows.filter((x) => x.key !== '0')) {
    const classes = new Set(ents.filter((e) => String(e.cluster_id) === cr.key).map((e) => e.industry));
    const refC = ['3831', '3832', '3833'].filter((k) => classes.has(k)).length * 100;
    assert.equal(cr.values.reference_employees, refC, `cluster ${cr.key}`);
    close(cr.values.lq, refC ? cr.values.share_here / (refC / 3000) : null, `cluster ${cr.key}: LQ`);
  }
  // The demo's region back, through the command line.
  const good = join(work, 'good.csv');
  writeFileSync(good, csv(before.map((x) => `${x.region},${x.industry},${x.employees}`)));
  const ok = cli(['import', 'reference-employment', good, '--db', srv.db]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual((await get(as.admin, '/api/v1/reference-employment')).items, before);
});

// ---- the report: the same numbers as the JSON ----

function sheetsOf(buf) {
  const files = unzip(buf);
  const names = [...files.get('xl/workbook.xml').matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1]);
  const shared = [...(files.get('xl/sharedStrings.xml') || '').matchAll(/<si>(.*?)<\/si>/gs)]
    .map((m) => [...m[1].matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((t) => t[1]).join(''));
  const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const sheets = {};
  names.forEach((name, i) => {
    const xml = files.get(`xl/worksheets/sheet${i + 1}.xml`);
    const cells = {};
    for (const m of xml.matchAll(/<c r="([A-Z]+)(\d+)"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
      const t = (/ t="(\w+)"/.exec(m[3]) || [])[1] || 'n';
      let v = (/<v>(.*?)<\/v>/s.exec(m[4] || '') || [])[1];
      if (t === 's') v = unescape(shared[Number(v)]);
      cells[`${m[1]}${m[2]}`] = { t, v };
    }
    sheets[name] = { xml, cells };
  });
  return { names, sheets, files };
}
const COL = (i) => String.fromCharCode(65 + i);

test('the workbook holds the dashboard cell by cell: one sheet per topic, typed, frozen bold headers, widths', async () => {
  const period = `${YEAR}Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
  const d = await dashboard(zy, `period=${period}`);
  const res = await fetch(`${srv.url}/api/v1/dashboard/report.xlsx?period=${period}`, { headers: { Cookie: zy.cookie } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  const { names, sheets, files } = sheetsOf(Buffer.from(await res.arrayBuffer()));
  assert.deepEqual(names, ['about', ...d.sections.map((s) => s.id)]);
  assert.equal(sheets.about.cells.B5.v, d.period.label);
  const styles = files.get('xl/styles.xml');
  assert.match(styles, /<b\/>/, 'a bold font');
  for (const s of d.sections) {
    const { xml, cells } = sheets[s.id];
    assert.match(xml, /<pane [^>]*ySplit="1"[^>]*state="frozen"/, `${s.id}: the header row frozen`);
    assert.match(xml, /<cols>.*<col /s, `${s.id}: widths set`);
    assert.equal(cells.A1.v, 'key');
    s.columns.forEach((c, i) => assert.equal(cells[`${COL(3 + i)}1`].v, `${c.title.zh}\n${c.title.en}`.replace(/\n/g, '\n')));
    s.rows.forEach((r, k) => {
      const n = k + 2;
      assert.equal(cells[`A${n}`].v, r.key, `${s.id} row ${n}`);
      assert.equal(cells[`B${n}`].v, r.label.zh);
      s.columns.forEach((c, i) => {
        const cell = cells[`${COL(3 + i)}${n}`];
        const v = r.values[c.key];
        if (v === null) assert.equal(cell, undefined, `${s.id} ${r.key} ${c.key}: empty`);
        else {
          assert.equal(cell.t, 'n', `${s.id} ${r.key} ${c.key}: a number`);
          close(Number(cell.v), v, `${s.id} ${r.key} ${c.key}`, 1e-5);
        }
      });
    });
  }
});

// A figure as the PDF prints it (print_report_value).
function printed(kind, v) {
  if (v === null) return '—';
  if (kind === 'count') return v.toFixed(0);
  if (kind === 'rate') return `${(v * 100).toFixed(1)}%`;
  if (kind === 'change') return `${v >= 0 ? '+' : '-'}${Math.abs(v * 100).toFixed(1)}%`;
  return v.toFixed(2);
}

test('the PDF report says the dashboard\'s figures, and the command line writes the same', async () => {
  const period = `${YEAR}`;
  const d = await dashboard(as.admin, `period=${period}&scope=310116103`);
  const res = await fetch(`${srv.url}/api/v1/dashboard/report.pdf?period=${period}&scope=310116103`, { headers: { Cookie: as.admin.cookie } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  const pdf = join(work, 'api.pdf');
  writeFileSync(pdf, Buffer.from(await res.arrayBuffer()));
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  const lines = text.split('\n');
  for (const s of d.sections) {
    assert.ok(text.includes(s.title.zh), `${s.id}: its title`);
    for (const r of s.rows) {
      const label = r.label.zh || r.key;
      const want = s.columns.map((c) => printed(r.kind && c.key !== 'change' ? r.kind : c.kind, r.values[c.key]));
      // The row's line: its label, then its figures in order.
      const line = lines.find((l) => l.trimStart().startsWith(label) && want.every((w) => l.includes(w))
        && l.trim().split(/\s{2,}/).slice(-want.length).join('|') === want.join('|'));
      assert.ok(line, `${s.id} ${r.key}: a line "${label} … ${want.join(' ')}"`);
    }
  }
  // The command line's PDF and workbook of the same period and scope.
  const out = join(work, 'cli.pdf');
  const c = cli(['report', '--period', period, '--scope', '310116103', '--format', 'pdf', '--output', out, '--db', srv.db]);
  assert.equal(c.status, 0, c.stderr);
  const cliText = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
  assert.equal(cliText, text, 'the same report from the command line');
  const x = join(work, 'cli.xlsx');
  assert.equal(cli(['report', '--period', period, '--scope', '310116103', '--format', 'xlsx', '--output', x, '--db', srv.db]).status, 0);
  assert.ok(sheetsOf(readFileSync(x)).names.includes('clusters'));
  const bad = cli(['report', '--period', '2024Q5', '--format', 'pdf', '--output', out, '--db', srv.db]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /quarter 5 does not exist/);
});
