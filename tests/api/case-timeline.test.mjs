// A case's timeline on a real server: every entry names who acted by the
// person's display name (actor_name) and as a word anyone may read (by),
// and the entries the server words itself carry their facts (detail) with
// the category, department and jurisdictions by name in both languages --
// written so now, and read back from the notes of rows written before.
// The public answers (the tracking page, Open311) show no login and no
// name of the staff, and no office's words about a transfer.  And the
// server's messages put "an" before a vowel: "an enterprise may not".
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login, dbQuery } from '../lib/server.mjs';

// Rounds every second: the escalation is the system's.
const srv = await start({ args: ['--maintenance-seconds', '1', '--intake-per-ip', '0'] });
test.after(() => srv.stop());

const ZY = '310116103', JLT = '310117011';
const admin = await login(srv.url, 'admin');
const officer = await login(srv.url, 'officer');
const grid = await login(srv.url, 'grid');
const handler = await login(srv.url, 'handler'); // 经济园区, which handles land
const qifan = await login(srv.url, 'qifan');
const jiuliting = await login(srv.url, 'officer.jiuliting');
const zhangyan = await login(srv.url, 'officer.zhangyan');

const users = (await admin.call('GET', '/api/v1/users')).json.items;
const displayName = (username) => users.find((u) => u.username === username).display_name;
const categories = (await officer.call('GET', '/api/v1/case-categories')).json.items;
const category = (code) => categories.find((c) => c.code === code);
const departments = (await officer.call('GET', '/api/v1/departments')).json.items;

let seq = 0;
const uniq = () => `${process.pid}-${++seq}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sql = (q) => dbQuery(srv.db, q);
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const getCase = async (client, id) => {
  const r = await client.call('GET', `/api/v1/cases/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

// A problem of enterprise 1 entered by the officer, accepted, dispatched
// to another category with a deadline, with a photo; then past its
// deadline, escalated by the round.
async function handled() {
  let r = await officer.call('POST', '/api/v1/cases',
    { kind: 'problem', category: 'land', text: `扩产用地需求 ${uniq()}`, enterprise_id: 1 });
  assert.equal(r.status, 201, r.text);
  const c = r.json.case;
  r = await officer.call('POST', `/api/v1/cases/${c.id}/transition`, { to: 'accepted', note: '受理' });
  assert.equal(r.status, 200, r.text);
  const deadline = new Date(Date.now() + 5 * 86400e3).toISOString().replace(/\.\d{3}Z$/, 'Z');
  r = await officer.call('POST', `/api/v1/cases/${c.id}/assign`,
    { category_id: category('environment').id, deadline, urgency: 'urgent', note: '属环境卫生，改派' });
  assert.equal(r.status, 200, r.text);
  const photo = await fetch(`${srv.url}/api/v1/cases/${c.id}/photos`, {
    method: 'POST', headers: { Cookie: officer.cookie, 'X-CSRF-Token': officer.csrf, 'Content-Type': 'image/png' }, body: PNG });
  assert.equal(photo.status, 201, await photo.text());
  sql(`UPDATE cases SET deadline = '2020-01-02T03:04:05Z' WHERE id = ${c.id}`);
  for (let i = 0; i < 100; i++) {
    const g = await getCase(officer, c.id);
    if (g.events.some((e) => e.action === 'escalate')) return { c, deadline, g };
    await sleep(100);
  }
  return assert.fail('no escalation');
}

test('staff: every entry has its actor_name and by; the server\'s entries their facts, named', async () => {
  const { c, deadline, g } = await handled();
  for (const e of g.events) {
    assert.ok('actor_name' in e && 'by' in e && 'detail' in e, JSON.stringify(e));
    if (e.actor === 'system') assert.deepEqual([e.actor_name, e.by], [null, 'system']);
  }
  const mine = g.events.filter((e) => e.actor === 'officer');
  assert.ok(mine.length >= 4, JSON.stringify(g.events));
  for (const e of mine) assert.deepEqual([e.actor_name, e.by], [displayName('officer'), 'staff']);

  const intake = g.events.find((e) => e.action === 'intake');
  assert.deepEqual(intake.detail, { channel: 'console' });
  const accepted = g.events.find((e) => e.to === 'accepted');
  assert.equal(accepted.detail, null, 'a move with a person\'s note has no facts');
  assert.equal(accepted.note, '受理');

  const assign = g.events.find((e) => e.action === 'assign');
  const env = category('environment');
  assert.deepEqual(assign.detail.category, { code: 'environment', name_zh: env.name_zh, name_en: env.name_en });
  const dept = departments.find((d) => d.id === env.department.id);
  assert.deepEqual(assign.detail.department, { id: dept.id, name: dept.name, name_en: dept.name_en || null });
  assert.equal(assign.detail.deadline, deadline);
  assert.equal(assign.detail.urgency, 'urgent');
  assert.equal(assign.detail.note, '属环境卫生，改派');
  assert.match(assign.note, /^category environment, deadline .*, urgency urgent: 属环境卫生，改派$/, 'the note stays for Open311');

  const photo = g.events.find((e) => e.action === 'photo');
  assert.equal(photo.detail.type, 'image/png');
  assert.equal(photo.detail.photo, g.photos[0].id);

  const esc = g.events.find((e) => e.action === 'escalate');
  assert.deepEqual(esc.detail, { deadline: '2020-01-02T03:04:05Z' });
  assert.equal(esc.public, false);
  // in the database, as facts beside the English note
  assert.equal(sql(`SELECT detail FROM case_events WHERE id = ${esc.id}`), '{"deadline":"2020-01-02T03:04:05Z"}');
  assert.equal(sql(`SELECT CASE WHEN detail IS NULL THEN 1 ELSE 0 END FROM case_events WHERE id = ${accepted.id}`), '1');
});

test('rows written before the facts were kept are read from their notes', async () => {
  const { c } = await handled();
  const dept = departments.find((d) => d.id === category('land').department.id);
  const old = [
    ['assign', 'officer', `category land, department ${dept.id}, deadline 2026-03-12T06:00:00Z: 旧的改派`],
    ['escalate_dispatch', 'system', 'not dispatched by its deadline 2026-03-12T06:00:00Z: escalated to the officer'],
    ['photo', 'grid', 'image/jpeg'],
    ['transfer', 'officer', `to 张堰镇 ${ZY}: 事发地在张堰镇`],
    ['return', 'officer', `returned by ${dept.name} to be routed again: 不属本部门`],
    ['callback', 'officer', 'could not be reached, try 3 of 3: the callback is given up; 空号'],
    ['note', 'officer', 'category land: 只是备注'],
  ];
  const uid = (name) => (name === 'system' ? 'NULL' : users.find((u) => u.username === name).id);
  sql(old.map(([action, actor, note]) => `INSERT INTO case_events (case_id, at, user_id, actor, action, note, public, district_id)
    VALUES (${c.id}, '2026-03-12T07:00:00Z', ${uid(actor)}, '${actor}', '${action}', '${note}', 0, (SELECT district_id FROM cases WHERE id = ${c.id}))`).join(';'));
  const g = await getCase(officer, c.id);
  const at = g.events.filter((e) => e.at === '2026-03-12T07:00:00Z');
  assert.equal(at.length, old.length);
  const by = (action) => at.find((e) => e.action === action);
  const land = category('land');
  assert.deepEqual(by('assign').detail, {
    category: { code: 'land', name_zh: land.name_zh, name_en: land.name_en },
    department: { id: dept.id, name: dept.name, name_en: dept.name_en || null },
    deadline: '2026-03-12T06:00:00Z', note: '旧的改派',
  });
  assert.equal(by('assign').actor_name, displayName('officer'));
  assert.deepEqual(by('escalate_dispatch').detail, { deadline: '2026-03-12T06:00:00Z' });
  assert.deepEqual(by('photo').detail, { type: 'image/jpeg' });
  assert.equal(by('photo').actor_name, displayName('grid'));
  const zy = (await officer.call('GET', '/api/v1/jurisdictions')).json.items.find((j) => j.code === ZY);
  assert.deepEqual(by('transfer').detail, {
    to: { id: zy.id, code: ZY, name_zh: zy.name_zh, name_en: zy.name_en || null }, reason: '事发地在张堰镇',
  });
  assert.deepEqual(by('return').detail.department, { id: dept.id, name: dept.name, name_en: dept.name_en || null });
  assert.deepEqual(by('callback').detail, { try: 3, tries: 3, given_up: true, note: '空号' });
  assert.equal(by('note').detail, null, 'a person\'s note is never read as facts');
});

test('a transfer: both ends by name for the staff; the public see where it went, not why nor who', async () => {
  let r = await jiuliting.call('POST', '/api/v1/cases', { kind: 'complaint', category: 'safety', text: `楼道堆放杂物 ${uniq()}` });
  assert.equal(r.status, 201, r.text);
  const c = r.json.case;
  r = await jiuliting.call('POST', `/api/v1/cases/${c.id}/transfer`, { to: ZY, reason: '事发地在张堰镇' });
  assert.equal(r.status, 201, r.text);
  r = await zhangyan.call('POST', `/api/v1/cases/${c.id}/transfer/accept`, { note: '已接收，安排核查' });
  assert.equal(r.status, 200, r.text);
  const g = await getCase(zhangyan, c.id);
  const sent = g.events.find((e) => e.action === 'transfer');
  assert.equal(sent.actor_name, displayName('officer.jiuliting'));
  assert.equal(sent.detail.from.code, JLT);
  assert.equal(sent.detail.to.code, ZY);
  assert.equal(sent.detail.reason, '事发地在张堰镇');
  const taken = g.events.find((e) => e.action === 'transfer_accept');
  assert.equal(taken.actor_name, displayName('officer.zhangyan'));
  assert.deepEqual([taken.detail.from.code, taken.detail.to.code, taken.detail.answer], [JLT, ZY, '已接收，安排核查']);

  const pub = await fetch(`${srv.url}/api/v1/public/cases/${c.tracking_code}`);
  const text = await pub.text();
  const body = JSON.parse(text);
  const ta = body.events.find((e) => e.action === 'transfer_accept');
  assert.deepEqual(Object.keys(ta.detail).sort(), ['from', 'to']);
  assert.equal(ta.detail.to.code, ZY);
  assert.equal(ta.by, 'staff');
  for (const word of ['已接收，安排核查', '事发地在张堰镇', 'officer.zhangyan', 'officer.jiuliting',
    displayName('officer.zhangyan'), displayName('officer.jiuliting')]) {
    assert.ok(!text.includes(word), `the tracking page says ${word}`);
  }
});

test('the public answers name nobody: no actor, no actor_name, no login, no display name', async () => {
  const { c } = await handled();
  // resolved with a reply, rated by the submitter: public entries by staff and by the public
  for (const to of ['assigned', 'in_progress', 'resolved']) {
    const r = await officer.call('POST', `/api/v1/cases/${c.id}/transition`, { to, note: `${to} 已办` });
    assert.equal(r.status, 200, r.text);
  }
  const code = (await getCase(officer, c.id)).case.tracking_code;
  const r = await fetch(`${srv.url}/api/v1/public/cases/${code}`);
  const text = await r.text();
  const body = JSON.parse(text);
  assert.ok(body.events.length >= 4, text);
  for (const e of body.events) {
    assert.ok(!('actor' in e) && !('actor_name' in e) && !('public' in e), JSON.stringify(e));
    assert.ok(['staff', 'submitter', 'system', 'client', 'enterprise'].includes(e.by), JSON.stringify(e));
  }
  assert.ok(!body.events.some((e) => ['assign', 'photo', 'escalate'].includes(e.action)), 'internal entries stay in');
  const open311 = await (await fetch(`${srv.url}/open311/v2/requests/${c.id}.json?extensions=true`)).text();
  for (const u of users.filter((x) => x.role !== 'enterprise')) {
    for (const [where, t] of [['tracking page', text], ['Open311', open311]]) {
      assert.ok(!t.includes(`"${u.username}"`), `the ${where} names ${u.username}`);
      if (u.display_name) assert.ok(!t.includes(u.display_name), `the ${where} names ${u.display_name}`);
    }
  }
});

test('messages put "an" before a vowel: an enterprise, an officer, an extension', async () => {
  // the enterprise's own problem, which it may read but not dispatch
  let r = await qifan.call('POST', '/api/v1/cases', { kind: 'problem', category: 'land', text: `用地 ${uniq()}` });
  assert.equal(r.status, 201, r.text);
  const id = r.json.case.id;
  r = await qifan.call('POST', `/api/v1/cases/${id}/assign`, { deadline: '2030-01-01T00:00:00Z', note: '我来派' });
  assert.equal(r.status, 403, r.text);
  assert.match(r.json.error.message, /^an enterprise may not /);
  // an officer's refusal
  r = await officer.call('POST', '/api/v1/users', { username: `u${uniq()}`, role: 'officer' });
  assert.equal(r.status, 403, r.text);
  assert.match(r.json.error.message, /^an officer may not /);
  // a request kind: an extension of a case resolved already
  for (const to of ['accepted', 'assigned', 'in_progress', 'resolved']) {
    r = await officer.call('POST', `/api/v1/cases/${id}/transition`, { to, note: to });
    assert.equal(r.status, 200, r.text);
  }
  r = await handler.call('POST', `/api/v1/cases/${id}/requests`, { kind: 'extension', reason: '需要时间', deadline: '2030-01-01T00:00:00Z' });
  assert.equal(r.status, 409, r.text);
  assert.match(r.json.error.message, /^an extension is not asked for a case that is resolved/);
  assert.doesNotMatch(r.text, /\ba (enterprise|officer|admin|extension|event)\b/);
  // the grid worker's refusal keeps "a"
  r = await grid.call('POST', `/api/v1/cases/${id}/assign`, { deadline: '2030-01-01T00:00:00Z', note: 'x' });
  if (r.status === 403) assert.doesNotMatch(r.json.error.message, /\ban grid/);
});
