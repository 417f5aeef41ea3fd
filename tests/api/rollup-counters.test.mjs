// The roll-ups count a period's whole months from the dashboard's
// counters (migration 020, kept by triggers) and only the days outside
// them from the case rows.  Here the two ways are held against each
// other, month by month and jurisdiction by jurisdiction: a whole month
// (read from the counters) must give the figures of its two halves (each
// read from the rows), before and after cases are written, moved along
// their steps, rated, merged, adopted, and transferred to another town
// and to another district, so that the counters cannot drift unnoticed.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());

const admin = await login(srv.url, 'admin');
const zy = await login(srv.url, 'officer.zhangyan');
const zj = await login(srv.url, 'officer.zhujing');

// Dates are the town's (UTC+8).
const townDay = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);
const today = townDay(Date.now());
const pad = (n) => String(n).padStart(2, '0');
const lastDay = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();
// The month `back` months before this one: [first, 15th, 16th, last].
function month(back) {
  let y = Number(today.slice(0, 4));
  let m = Number(today.slice(5, 7)) - back;
  while (m < 1) { m += 12; y--; }
  const p = `${y}-${pad(m)}`;
  return { name: p, first: `${p}-01`, mid: `${p}-15`, next: `${p}-16`, last: `${p}-${pad(lastDay(y, m))}` };
}

async function figures(id, since, until) {
  const r = await admin.call('GET', `/api/v1/jurisdictions/${id}/rollup?since=${since}&until=${until}`);
  assert.equal(r.status, 200, r.text);
  return r.json.figures;
}

// The counts behind a roll-up's case figures (its rates times what they
// divide).
function counts(f) {
  return {
    cases: f.cases, closed: f.closed, rated: f.rated, suggestions: f.suggestions, adopted: f.adopted,
    on_time: f.on_time_rate === null ? 0 : Math.round(f.on_time_rate * f.closed),
    rating_sum: f.satisfaction === null ? 0 : Math.round(f.satisfaction * f.rated),
  };
}
const add = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k] + b[k]]));

// Zhangyan, the city, Jinshan, Zhujing, Songjiang, Jiuliting.
const PLACES = [1, 2, 3, 6, 7, 8];

async function agree(months, what) {
  let seen = 0;
  for (const back of months) {
    const m = month(back);
    for (const id of PLACES) {
      const whole = counts(await figures(id, m.first, m.last));
      const halves = add(counts(await figures(id, m.first, m.mid)), counts(await figures(id, m.next, m.last)));
      assert.deepEqual(whole, halves, `${what}: jurisdiction ${id}, ${m.name}: the counters against the rows`);
      seen += whole.cases;
    }
  }
  return seen;
}

test('whole months from the counters agree with the rows, month by month', async () => {
  // The demo's cases lie over the last months.
  const seen = await agree([0, 1, 2, 3, 4, 5, 6, 7, 8], 'the demo');
  assert.ok(seen > 0, 'the demo has cases to count');
});

test('after writes, steps, ratings, merges and transfers the counters still agree', async () => {
  const m = month(0);
  const before = counts(await figures(1, m.first, m.last));
  const mk = async (fields) => {
    const r = await zy.call('POST', '/api/v1/cases', { kind: 'complaint', category: 'safety', text: `厂区门口路灯不亮 ${Math.random()}`, ...fields });
    assert.equal(r.status, 201, r.text);
    return r.json.case;
  };
  const step = async (c, id, to) => {
    const r = await c.call('POST', `/api/v1/cases/${id}/transition`, { to, note: '处理' });
    assert.equal(r.status, 200, `${to}: ${r.text}`);
  };
  // Resolved on time, rated, closed.
  const a = await mk({});
  for (const to of ['accepted', 'assigned', 'in_progress', 'resolved']) await step(zy, a.id, to);
  let r = await zy.call('POST', `/api/v1/cases/${a.id}/rating`, { rating: 5 });
  assert.ok(r.status === 200 || r.status === 201, r.text);
  const aNow = (await zy.call('GET', `/api/v1/cases/${a.id}`)).json.case;
  if (aNow.state !== 'closed') await step(zy, a.id, 'closed');
  // A suggestion adopted, and one rejected.
  const s1 = await mk({ kind: 'suggestion', category: 'community' });
  for (const to of ['accepted', 'under_review', 'adopted']) await step(admin, s1.id, to);
  const s2 = await mk({ kind: 'suggestion', category: 'community' });
  for (const to of ['accepted', 'under_review', 'not_adopted']) await step(admin, s2.id, to);
  // Merged away.
  const b = await mk({ kind: 'problem', category: 'community' });
  const c = await mk({});
  r = await zy.call('POST', `/api/v1/cases/${c.id}/merge`, { into: b.id, note: '重复' });
  assert.equal(r.status, 200, r.text);
  // Sent to Zhujing, in the same district.
  const d = await mk({ kind: 'problem', category: 'community' });
  r = await zy.call('POST', `/api/v1/cases/${d.id}/transfer`, { to: '310116101', reason: '应由朱泾镇办理' });
  assert.equal(r.status, 201, r.text);
  r = await zj.call('POST', `/api/v1/cases/${d.id}/transfer/accept`, {});
  assert.equal(r.status, 200, r.text);
  // Sent to Jiuliting, in another district.
  const e = await mk({ kind: 'problem', category: 'community' });
  r = await admin.call('POST', `/api/v1/cases/${e.id}/transfer`, { to: '310117011', reason: '应由九里亭街道办理' });
  assert.equal(r.status, 201, r.text);
  r = await admin.call('POST', `/api/v1/cases/${e.id}/transfer/accept`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal((await admin.call('GET', `/api/v1/cases/${e.id}`)).json.case.jurisdiction.code, '310117011');

  const after = counts(await figures(1, m.first, m.last));
  assert.equal(after.cases, before.cases + 4, 'a, s1, s2, b stay; c merged away; d and e sent away');
  assert.equal(after.suggestions, before.suggestions + 2);
  assert.equal(after.adopted, before.adopted + 1);
  assert.equal(after.rated, before.rated + 1);
  assert.ok(after.closed >= before.closed + 2, 'a and s2 are closed');
  await agree([0, 1], 'after the writes');
  // Reopened and closed again: the counters follow the rows.
  r = await zy.call('POST', `/api/v1/cases/${s2.id}/transition`, { to: 'accepted', note: '重新办理' });
  if (r.status === 200) await agree([0], 'after a reopening');
});
