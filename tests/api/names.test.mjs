// The names the console shows with a record, in both languages and by the
// names people know: an enterprise named beside a case, an application, a
// batch's line, an agenda's case or a lead carries its English name too; a
// department beside an agenda's case or a grid team's member, the same; an
// organisation's secretary and the people who asked for and decided a
// case's request are named by their display names (their sign-in names
// stay where they were); a policy's gap reads in yuan in English.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());
const officer = await login(srv.url, 'officer');
const admin = await login(srv.url, 'admin');
const qifan = await login(srv.url, 'qifan');

const get = async (who, path) => {
  const r = await who.call('GET', `/api/v1${path}`);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.json;
};

// Every registered enterprise's names by id.
const enterprises = new Map();
for (let cursor = ''; ;) {
  const r = await get(admin, `/enterprises?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
  for (const e of r.items) enterprises.set(e.id, e);
  cursor = r.next;
  if (!cursor || !r.items.length) break;
}
const departments = new Map((await get(admin, '/departments')).items.map((d) => [d.id, d]));
const users = new Map((await get(admin, '/users')).items.map((u) => [u.username, u]));

function sameEnterprise(x, id, zhKey = 'name_zh') {
  const e = enterprises.get(id);
  assert.ok(e, `enterprise ${id} is known`);
  assert.equal(x[zhKey], e.name_zh);
  assert.equal(x.name_en, e.name_en);
}

test('a case names its enterprise in both languages', async () => {
  const cases = (await get(officer, '/cases?limit=200')).items.filter((c) => c.enterprise);
  assert.ok(cases.length > 10);
  for (const c of cases) sameEnterprise(c.enterprise, c.enterprise.id, 'name');
  const one = await get(officer, `/cases/${cases[0].id}`);
  sameEnterprise((one.case ?? one).enterprise, cases[0].enterprise.id, 'name');
});

test('applications and a batch\'s lines name their enterprises in both languages', async () => {
  const apps = (await get(officer, '/applications')).items;
  assert.ok(apps.length > 0);
  for (const a of apps) sameEnterprise(a.enterprise, a.enterprise.id);
  for (const a of (await get(qifan, '/applications')).items) sameEnterprise(a.enterprise, a.enterprise.id);
  const automatic = (await get(officer, '/policies')).items.find((p) => p.mode === 'automatic');
  const batch = (await get(officer, `/policies/${automatic.id}/batches`)).items[0];
  const lines = (await get(officer, `/batches/${batch.id}`)).lines;
  assert.ok(lines.length > 0);
  for (const l of lines) sameEnterprise(l, l.enterprise_id);
});

test('an agenda\'s cases name their enterprise and department in both languages', async () => {
  let seen = 0;
  for (const { id } of (await get(officer, '/events?limit=100')).items) {
    const ev = await get(officer, `/events/${id}`);
    for (const item of ev.agenda || []) {
      for (const c of item.cases) {
        if (c.enterprise) sameEnterprise(c.enterprise, c.enterprise.id);
        const d = departments.get(c.department.id);
        assert.deepEqual([c.department.name, c.department.name_en], [d.name, d.name_en]);
        seen++;
      }
    }
  }
  assert.ok(seen > 0, 'the demo\'s agendas have cases');
});

test('a lead names the enterprise that introduced it and the one it became in English', async () => {
  const leads = (await get(officer, '/leads?limit=500')).items;
  const introduced = leads.filter((l) => l.introduced_by_enterprise_id);
  const settled = leads.filter((l) => l.enterprise_id);
  assert.ok(introduced.length > 0 && settled.length > 0);
  for (const l of introduced) assert.equal(l.introduced_by_en, enterprises.get(l.introduced_by_enterprise_id).name_en);
  for (const l of settled) assert.equal(l.name_en, enterprises.get(l.enterprise_id).name_en);
  for (const l of leads.filter((x) => !x.enterprise_id)) assert.equal(l.name_en, null);
});

test('an organisation\'s secretary by display name, the sign-in name kept', async () => {
  const tree = (await get(officer, '/organisations/tree')).items;
  const all = [];
  const walk = (nodes) => { for (const n of nodes) { all.push(n); walk(n.children || []); } };
  walk(tree);
  const withUser = all.filter((n) => n.secretary && users.has(n.secretary));
  assert.ok(withUser.length > 0);
  for (const n of withUser) assert.equal(n.secretary_name, users.get(n.secretary).display_name);
  for (const n of all.filter((x) => !x.secretary)) assert.equal(n.secretary_name, null);
  const one = await get(officer, `/organisations/${withUser[0].id}`);
  assert.equal(one.secretary.username, withUser[0].secretary);
  assert.equal(one.secretary.display_name, users.get(withUser[0].secretary).display_name);
});

test('a grid team\'s members carry their department\'s English name', async () => {
  const byName = new Map([...departments.values()].map((d) => [d.name, d.name_en]));
  let known = 0;
  for (const id of [4, 5, 6, 7, 8, 9]) {
    for (const m of (await get(officer, `/grids/${id}`)).team) {
      assert.equal(m.department_en, byName.get(m.department) ?? null, `${m.display_name}: ${m.department}`);
      if (m.department_en) known++;
    }
  }
  assert.ok(known > 0, 'some members are of a department with an English name');
});

test('a case\'s request names who asked and who decided by display name', async () => {
  // The demo's request waiting for an officer's decision.
  const q = (await get(officer, '/case-requests')).items.find((x) => x.asked_by === 'handler');
  assert.ok(q, 'the demo has a handler\'s request waiting');
  assert.deepEqual([q.asked_by_name, q.decided_by, q.decided_by_name], [users.get('handler').display_name, null, null]);
  const decided = await officer.call('POST', `/api/v1/cases/${q.case_id}/requests/${q.id}/decision`,
    { approve: true, note: '同意。' });
  assert.equal(decided.status, 200, decided.text);
  const d = decided.json.request;
  assert.deepEqual([d.decided_by, d.decided_by_name], ['officer', users.get('officer').display_name]);
  const listed = (await get(officer, `/cases/${q.case_id}/requests`)).items.find((x) => x.id === q.id);
  assert.deepEqual([listed.asked_by, listed.asked_by_name, listed.decided_by_name],
    ['handler', users.get('handler').display_name, users.get('officer').display_name]);
});

test('a criterion\'s gap in English reads in yuan, in Chinese in the rule\'s own units', async () => {
  let yuan = 0;
  for (const id of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
    const fit = await get(officer, `/enterprises/${id}/policies`);
    for (const m of [...(fit.qualified || []), ...(fit.nearly || []), ...(fit.unknown || [])]) {
      for (const c of m.criteria.filter((x) => x.gap_en)) {
        assert.doesNotMatch(c.gap_en, /[万亿元]/, c.gap_en);
        if (/¥[\d,.]+/.test(c.gap_en)) {
          yuan++;
          assert.match(c.gap_zh, /[万亿元]/, c.gap_zh);
        }
      }
    }
  }
  assert.ok(yuan > 0, 'the demo has amounts in its criteria');
});
