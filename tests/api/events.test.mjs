// Events against a real server: a cluster secretary runs its salon, the
// agenda drafted from the open cases of the invited enterprises and
// checked against the cases themselves (every open case the secretary may
// read on it once; overdue first, longest overdue first; then problems of
// several enterprises, two firms' near-identical problems in one item;
// then by age; each item's department invited); reordering, adding and
// dropping items; minutes; a problem raised at the table becoming a case
// of channel event with its department and deadline, and showing on the
// next event as last time's problem with its progress; replies and
// attendance; the refusals of the issue (an event ending before it
// starts, a retired enterprise, an item for a case the organiser may not
// see, attendance of someone not invited) naming the rule and writing
// nothing; roles and scope; the quarter alerts against the events
// listed; and the calendars parsed by ical.js, a real iCalendar parser:
// one event's .ics, feeds by session and by calendar token.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, login, cli, PASSWORD } from '../lib/server.mjs';

// ical.js lives with the browser tests' packages (make browser-deps).
const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), '..', 'browser', 'package.json'));
const ICAL = (await import(require.resolve('ical.js'))).default;

const srv = await start();
test.after(() => srv.stop());
{
  const r = cli(['user', 'add', 'firm2', '--role', 'enterprise', '--enterprise', '2', '--name', '协益联系人', '--db', srv.db],
    { env: { ...process.env, QUNYAN_PASSWORD: PASSWORD } });
  assert.equal(r.status, 0, r.stderr);
}
const admin = await login(srv.url, 'admin');
const officer = await login(srv.url, 'officer');
const secretary = await login(srv.url, 'secretary'); // cluster 1
const secretary2 = await login(srv.url, 'secretary2'); // cluster 2
const handler = await login(srv.url, 'handler'); // 经济园区
const grid = await login(srv.url, 'grid');
const qifan = await login(srv.url, 'qifan'); // enterprise 1
const firm2 = await login(srv.url, 'firm2'); // enterprise 2
const zhujing = await login(srv.url, 'officer.zhujing'); // another town

const ok = async (client, method, path, body, status = 200) => {
  const r = await client.call(method, path, body);
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r.json ?? r.text;
};
const refused = async (client, method, path, body, status, code, field) => {
  const r = await client.call(method, path, body);
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  assert.equal(r.json.error.code, code, r.text);
  if (field) assert.equal(r.json.error.field, field, r.text);
  return r.json.error;
};

// The town's calendar (UTC+8).
const townNow = new Date(Date.now() + 8 * 3600e3).toISOString();
const today = townNow.slice(0, 10);
const year = Number(today.slice(0, 4));
// The demo's next salons lie 20 to 23 days ahead: this test's salon comes
// after them, so that it is the organiser's latest when the next is made.
const day = (offset) => new Date(Date.now() + 8 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);

// Cluster 1's enterprises, and which have open cases.
const FINAL = new Set(['resolved', 'closed', 'rejected', 'not_adopted', 'implemented']);
const cluster1 = [];
for (let cursor = '';;) {
  const page = await ok(admin, 'GET', `/api/v1/enterprises?cluster=1&limit=500&located=all${cursor}`);
  cluster1.push(...page.items);
  if (!page.next) break;
  cursor = `&cursor=${encodeURIComponent(page.next)}`;
}
// Enterprise 2 (firm2's) stays uninvited: the outsider of the tests.
const ids1 = cluster1.map((e) => e.id).filter((id) => id !== 2);
async function openCasesOf(ids) {
  const out = [];
  for (const id of ids) {
    let after = '';
    for (;;) {
      const page = await ok(admin, 'GET', `/api/v1/cases?enterprise_id=${id}&limit=200${after}`);
      out.push(...page.items.filter((c) => !FINAL.has(c.state) && !c.merged_into));
      if (!page.next) break;
      after = `&after=${page.next}`;
    }
  }
  return out;
}

// Two firms of cluster 1 raise the same problem: one item, "shared".
const [a, b] = ids1.filter((id) => id !== 1).slice(0, 2);
const sharedText = '园区东门外道路货车占道停放严重，早晚高峰员工通勤拥堵，希望协调交警和城管整治';
for (const ent of [a, b]) {
  await ok(admin, 'POST', '/api/v1/cases', { kind: 'problem', category: 'enterprise_other', text: sharedText, enterprise_id: ent }, 201);
}
const invited = [1, a, b, ...ids1.filter((id) => id !== 1 && id !== a && id !== b).slice(0, 9)];

let salon;
test('a secretary organises its cluster\'s salon; the kinds are configurable', async () => {
  const kinds = (await ok(secretary, 'GET', '/api/v1/event-kinds')).items.map((k) => k.code);
  for (const k of ['salon', 'roundtable', 'class', 'alliance_meeting']) assert.ok(kinds.includes(k), k);
  await refused(secretary, 'POST', '/api/v1/event-kinds', { code: 'visit_day', name_zh: '走访日' }, 403, 'forbidden');
  await ok(admin, 'POST', '/api/v1/event-kinds', { code: 'visit_day', name_zh: '走访日', name_en: 'Visit day' });
  assert.ok((await ok(grid, 'GET', '/api/v1/event-kinds')).items.some((k) => k.code === 'visit_day'));
  await refused(secretary, 'POST', '/api/v1/events', {
    kind: 'tea_party', title: 'x', organiser: { type: 'cluster', id: 1 },
    starts_at: `${day(30)}T14:00`, ends_at: `${day(30)}T16:00`,
  }, 422, 'unknown_kind', 'kind');

  salon = await ok(secretary, 'POST', '/api/v1/events', {
    kind: 'salon', title: '光电企业秘书沙龙, 第四期; 用地\\用电', organiser: { type: 'cluster', id: 1 },
    starts_at: `${day(30)}T14:00`, ends_at: `${day(30)}T16:30`, place: '张堰镇党群服务中心，二楼会议室',
    enterprises: invited,
  }, 201);
  assert.equal(salon.organiser.type, 'cluster');
  assert.equal(salon.cluster_id, 1);
  assert.equal(salon.quarter, `${day(30).slice(0, 4)}-Q${Math.floor((Number(day(30).slice(5, 7)) - 1) / 3) + 1}`);
  assert.equal(salon.may_run, true);
  assert.equal(salon.jurisdiction.name_zh, '张堰镇');
  assert.deepEqual(salon.invited.enterprises.map((e) => e.id).sort((x, y) => x - y), [...invited].sort((x, y) => x - y));
  assert.deepEqual(salon.agenda, []);
});

test('refusals name the rule and write nothing', async () => {
  const before = (await ok(admin, 'GET', '/api/v1/events?limit=500')).count;
  const e = await refused(secretary, 'POST', '/api/v1/events', {
    kind: 'salon', title: '倒着开的会', organiser: { type: 'cluster', id: 1 },
    starts_at: `${day(30)}T14:00`, ends_at: `${day(30)}T13:00`,
  }, 422, 'ends_before_start', 'ends_at');
  assert.match(e.message, /ends after it starts/);
  await refused(secretary, 'POST', '/api/v1/events', {
    kind: 'salon', title: 'x', organiser: { type: 'cluster', id: 1 },
    starts_at: `${day(30)} 14:00`, ends_at: `${day(30)}T16:00`,
  }, 422, 'invalid_time', 'starts_at');
  // A retired enterprise is not invited.
  const retired = ids1[ids1.length - 1];
  await ok(admin, 'POST', `/api/v1/enterprises/${retired}/retire`, { status: 'closed', reason: '注销' });
  const r = await refused(secretary, 'POST', '/api/v1/events', {
    kind: 'salon', title: 'x', organiser: { type: 'cluster', id: 1 },
    starts_at: `${day(30)}T14:00`, ends_at: `${day(30)}T16:00`, enterprises: [1, retired],
  }, 422, 'enterprise_retired', 'enterprises');
  assert.match(r.message, new RegExp(String(retired)));
  await refused(admin, 'PATCH', `/api/v1/events/${salon.id}`, { enterprises: [1, retired] }, 422, 'enterprise_retired');
  await refused(admin, 'PATCH', `/api/v1/events/${salon.id}`, { ends_at: `${day(30)}T12:00` }, 422, 'ends_before_start');
  // Organisers: unknown, or an organisation of the wrong type.
  await refused(admin, 'POST', '/api/v1/events', {
    kind: 'salon', title: 'x', organiser: { type: 'cluster', id: 999 },
    starts_at: `${day(30)}T14:00`, ends_at: `${day(30)}T16:00`,
  }, 422, 'unknown_organiser', 'organiser');
  const org = (await ok(admin, 'GET', '/api/v1/organisations')).items.find((o) => o.kind !== 'alliance');
  await refused(admin, 'POST', '/api/v1/events', {
    kind: 'alliance_meeting', title: 'x', organiser: { type: 'alliance', id: org.id },
    starts_at: `${day(30)}T14:00`, ends_at: `${day(30)}T16:00`,
  }, 422, 'organiser_kind', 'organiser');
  assert.equal((await ok(admin, 'GET', '/api/v1/events?limit=500')).count, before);
  const now = await ok(admin, 'GET', `/api/v1/events/${salon.id}`);
  assert.equal(now.version, salon.version);
  assert.equal(now.ends_at, salon.ends_at);
});

test('roles: who runs, who reads, who is refused', async () => {
  await refused(secretary2, 'POST', '/api/v1/events', {
    kind: 'salon', title: 'x', organiser: { type: 'cluster', id: 1 },
    starts_at: `${day(30)}T14:00`, ends_at: `${day(30)}T16:00`,
  }, 403, 'forbidden', 'organiser');
  await refused(secretary2, 'GET', `/api/v1/events/${salon.id}`, undefined, 404, 'not_found');
  await refused(zhujing, 'GET', `/api/v1/events/${salon.id}`, undefined, 404, 'not_found');
  await refused(grid, 'GET', '/api/v1/events', undefined, 403, 'forbidden');
  await refused(firm2, 'GET', `/api/v1/events/${salon.id}`, undefined, 404, 'not_found');
  await refused(qifan, 'PATCH', `/api/v1/events/${salon.id}`, { title: 'x' }, 403, 'forbidden');
  await refused(qifan, 'POST', `/api/v1/events/${salon.id}/agenda/draft`, undefined, 403, 'forbidden');
  assert.ok((await ok(officer, 'GET', '/api/v1/events')).items.some((e) => e.id === salon.id));
  assert.ok((await ok(secretary, 'GET', '/api/v1/events')).items.some((e) => e.id === salon.id));
  assert.ok(!(await ok(secretary2, 'GET', '/api/v1/events')).items.some((e) => e.id === salon.id));
  assert.ok((await ok(qifan, 'GET', '/api/v1/events')).items.some((e) => e.id === salon.id));
  assert.ok(!(await ok(firm2, 'GET', '/api/v1/events')).items.some((e) => e.id === salon.id));
});

let agenda;
test('the agenda is drafted from the invited enterprises\' open cases', async () => {
  const open = await openCasesOf(invited);
  assert.ok(open.length >= 4, `${open.length} open cases`);
  const ev = await ok(secretary, 'POST', `/api/v1/events/${salon.id}/agenda/draft`);
  agenda = ev.agenda;
  const onAgenda = agenda.flatMap((i) => i.cases.map((c) => c.id));
  assert.equal(new Set(onAgenda).size, onAgenda.length, 'each case once');
  assert.deepEqual([...onAgenda].sort((x, y) => x - y), open.map((c) => c.id).sort((x, y) => x - y));
  const nowIso = new Date().toISOString();
  const rank = { overdue: 0, shared: 1, age: 2 };
  for (let i = 0; i < agenda.length; i++) {
    const it = agenda[i];
    assert.equal(it.source, 'drafted');
    const overdue = it.cases.some((c) => c.deadline < nowIso);
    const firms = new Set(it.cases.map((c) => c.enterprise.id)).size;
    assert.equal(it.reason, overdue ? 'overdue' : firms > 1 ? 'shared' : 'age', JSON.stringify(it));
    if (i) assert.ok(rank[agenda[i - 1].reason] <= rank[it.reason], 'tiers in order');
    // Each item's department is invited because of the agenda.
    assert.ok(ev.invited.departments.some((d) => d.id === it.department.id), it.department.name);
  }
  const minDeadline = (it) => it.cases.map((c) => c.deadline).sort()[0];
  const oldest = (it) => it.cases.map((c) => c.created_at).sort()[0];
  const tier = (r) => agenda.filter((i) => i.reason === r);
  for (const [x, y] of tier('overdue').map((v, i, arr) => [arr[i - 1], v]).slice(1)) assert.ok(minDeadline(x) <= minDeadline(y));
  for (const [x, y] of tier('age').map((v, i, arr) => [arr[i - 1], v]).slice(1)) assert.ok(oldest(x) <= oldest(y));
  // The two firms' problem is one item of both.
  const shared = agenda.find((i) => i.cases.some((c) => c.excerpt.startsWith('园区东门外道路')));
  assert.equal(shared.reason, 'shared');
  assert.deepEqual(new Set(shared.cases.map((c) => c.enterprise.id)), new Set([a, b]));
  assert.match(shared.title, /2家企业/);
  // Drafting again changes nothing.
  const again = await ok(secretary, 'POST', `/api/v1/events/${salon.id}/agenda/draft`);
  assert.deepEqual(again.agenda.map((i) => i.cases.map((c) => c.id)), agenda.map((i) => i.cases.map((c) => c.id)));
  agenda = again.agenda;
});

test('the organiser reorders, adds and drops items; a case it may not see is refused', async () => {
  const ids = agenda.map((i) => i.id);
  const reversed = [...ids].reverse();
  const ev = await ok(secretary, 'PATCH', `/api/v1/events/${salon.id}`, { agenda: reversed });
  assert.deepEqual(ev.agenda.map((i) => i.id), reversed);
  await refused(secretary, 'PATCH', `/api/v1/events/${salon.id}`, { agenda: reversed.slice(1) }, 422, 'agenda_mismatch', 'agenda');
  await refused(secretary, 'PATCH', `/api/v1/events/${salon.id}`, { agenda: [reversed[0], ...reversed.slice(0, -1)] }, 422, 'agenda_mismatch');
  // A topic of its own, with a department.
  const depts = (await ok(admin, 'GET', '/api/v1/departments')).items;
  const park = depts.find((d) => d.name === '经济园区');
  const added = await ok(secretary, 'POST', `/api/v1/events/${salon.id}/items`, { title: '园区党建共建交流', department_id: park.id }, 201);
  const topic = added.agenda[added.agenda.length - 1];
  assert.equal(topic.source, 'added');
  assert.equal(topic.title, '园区党建共建交流');
  // A case of another cluster's enterprise: the secretary may not read it.
  const other = (await ok(admin, 'GET', '/api/v1/enterprises?cluster=2&limit=1')).items[0];
  const foreign = await ok(admin, 'POST', '/api/v1/cases', { kind: 'problem', category: 'enterprise_other', text: '外集群企业的用工问题', enterprise_id: other.id }, 201);
  const foreignId = (foreign.case ?? foreign).id;
  await refused(secretary, 'POST', `/api/v1/events/${salon.id}/items`, { case_id: foreignId }, 422, 'unknown_case', 'case_id');
  await refused(secretary, 'POST', `/api/v1/events/${salon.id}/items`, { case_id: 99999999 }, 422, 'unknown_case');
  // The officer may: the case joins the agenda, its department invited.
  const withCase = await ok(officer, 'POST', `/api/v1/events/${salon.id}/items`, { case_id: foreignId }, 201);
  const item = withCase.agenda.find((i) => i.cases.some((c) => c.id === foreignId));
  assert.ok(item);
  // The secretary sees the item, not the case it may not read.
  const seen = await ok(secretary, 'GET', `/api/v1/events/${salon.id}`);
  assert.deepEqual(seen.agenda.find((i) => i.id === item.id).cases, []);
  // Dropped.
  const dropped = await ok(officer, 'DELETE', `/api/v1/events/${salon.id}/items/${item.id}`);
  assert.ok(!dropped.agenda.some((i) => i.id === item.id));
  await refused(officer, 'DELETE', `/api/v1/events/${salon.id}/items/${item.id}`, undefined, 404, 'not_found');
  // Minutes and the decision of an item.
  const m = await ok(secretary, 'PATCH', `/api/v1/events/${salon.id}/items/${topic.id}`, { minutes: '各企业交流党建共建做法', decision: '下季度组织一次联合主题党日' });
  const t2 = m.agenda.find((i) => i.id === topic.id);
  assert.equal(t2.minutes, '各企业交流党建共建做法');
  assert.equal(t2.decision, '下季度组织一次联合主题党日');
});

test('replies, attendance and who sees which items', async () => {
  const r = await ok(qifan, 'POST', `/api/v1/events/${salon.id}/reply`, { reply: 'coming', note: '董秘出席' });
  assert.deepEqual(r.invited.enterprises.map((e) => e.id), [1], 'an enterprise sees its own invitation');
  assert.equal(r.invited.enterprises[0].reply, 'coming');
  assert.equal(r.replies, undefined);
  // Its items are those of its own cases, and only its cases in them.
  for (const it of r.agenda) {
    assert.ok(it.cases.length > 0);
    for (const c of it.cases) assert.equal(c.enterprise.id, 1);
  }
  const own = (await openCasesOf([1])).map((c) => c.id).sort((x, y) => x - y);
  assert.deepEqual(r.agenda.flatMap((i) => i.cases.map((c) => c.id)).sort((x, y) => x - y), own);
  await refused(qifan, 'POST', `/api/v1/events/${salon.id}/reply`, { reply: 'maybe' }, 422, 'invalid_enum', 'reply');
  await ok(secretary, 'POST', `/api/v1/events/${salon.id}/reply`, { reply: 'not_coming', enterprise_id: a });
  await refused(secretary, 'POST', `/api/v1/events/${salon.id}/reply`, { reply: 'coming', enterprise_id: 2 }, 422, 'not_invited', 'enterprise_id');
  const full = await ok(secretary, 'GET', `/api/v1/events/${salon.id}`);
  assert.deepEqual(full.replies, { invited: invited.length, coming: 1, not_coming: 1, none: invited.length - 2 });
  // Attendance: only the invited.
  const dept = full.invited.departments[0].id;
  await refused(secretary, 'PATCH', `/api/v1/events/${salon.id}`, { attendance: { enterprises: [1, 2] } }, 422, 'not_invited', 'attendance.enterprises');
  await refused(secretary, 'PATCH', `/api/v1/events/${salon.id}`, { attendance: { departments: [999] } }, 422, 'not_invited', 'attendance.departments');
  assert.ok((await ok(secretary, 'GET', `/api/v1/events/${salon.id}`)).invited.enterprises.every((e) => !e.attended));
  const att = await ok(secretary, 'PATCH', `/api/v1/events/${salon.id}`, { attendance: { enterprises: [1, b], departments: [dept] }, state: 'held' });
  assert.deepEqual(att.invited.enterprises.filter((e) => e.attended).map((e) => e.id).sort((x, y) => x - y), [1, b].sort((x, y) => x - y));
  assert.ok(att.invited.departments.find((d) => d.id === dept).attended);
  assert.equal(att.state, 'held');
  // The handler of 经济园区, invited for its items, sees those.
  const h = await ok(handler, 'GET', `/api/v1/events/${salon.id}`);
  assert.ok(h.agenda.length > 0);
  for (const it of h.agenda) assert.equal(it.department?.name, '经济园区');
});

let raised;
test('a problem raised at the table becomes a case, and the next event follows it up', async () => {
  const park = (await ok(admin, 'GET', '/api/v1/departments')).items.find((d) => d.name === '经济园区');
  await refused(secretary, 'POST', `/api/v1/events/${salon.id}/problems`, { enterprise_id: 2, text: '夜间照明不足', department_id: park.id, deadline: day(20) }, 422, 'not_invited', 'enterprise_id');
  await refused(secretary, 'POST', `/api/v1/events/${salon.id}/problems`, { enterprise_id: 1, text: '夜间照明不足', department_id: park.id, deadline: day(-3) }, 422, 'deadline_past', 'deadline');
  raised = await ok(secretary, 'POST', `/api/v1/events/${salon.id}/problems`, {
    enterprise_id: 1, text: '企业门前道路夜间照明不足，员工下班安全受影响', department_id: park.id,
    deadline: day(20), decision: '经济园区两周内现场查看',
  }, 201);
  const c = (await ok(admin, 'GET', `/api/v1/cases/${raised.case.id}`)).case;
  assert.equal(c.channel, 'event');
  assert.equal(c.department.id, park.id);
  assert.equal(c.deadline, `${day(20)}T15:59:59Z`);
  assert.equal(c.enterprise.id, 1);
  const ev = await ok(secretary, 'GET', `/api/v1/events/${salon.id}`);
  const item = ev.agenda.find((i) => i.id === raised.item.id);
  assert.equal(item.source, 'raised');
  assert.equal(item.decision, '经济园区两周内现场查看');
  assert.deepEqual(item.cases.map((x) => x.id), [raised.case.id]);

  // The next salon of the same organiser opens with last time's problems.
  const next = await ok(secretary, 'POST', '/api/v1/events', {
    kind: 'salon', title: '光电企业秘书沙龙（第五期）', organiser: { type: 'cluster', id: 1 },
    starts_at: `${day(60)}T14:00`, ends_at: `${day(60)}T16:00`, enterprises: [1],
  }, 201);
  assert.equal(next.follow_up.event.id, salon.id);
  const fu = next.follow_up.items.find((i) => i.id === raised.item.id);
  assert.equal(fu.cases[0].state, 'submitted');
  await ok(admin, 'POST', `/api/v1/cases/${raised.case.id}/transition`, { to: 'accepted' });
  const later = await ok(secretary, 'GET', `/api/v1/events/${next.id}`);
  assert.equal(later.follow_up.items.find((i) => i.id === raised.item.id).cases[0].state, 'accepted');
});

test('a cluster without an event in a quarter raises an alert', async () => {
  // An event of cluster 3 in the first quarter of this year.
  await ok(admin, 'POST', '/api/v1/events', {
    kind: 'class', title: '红领课堂', organiser: { type: 'cluster', id: 3 },
    starts_at: `${year}-02-10T09:00`, ends_at: `${year}-02-10T11:00`,
  }, 201);
  const alerts = await ok(admin, 'GET', `/api/v1/events/alerts?year=${year}`);
  const events = (await ok(admin, 'GET', `/api/v1/events?from=${year}-01-01&to=${year + 1}-01-01&limit=500`)).items;
  const clusters = (await ok(admin, 'GET', '/api/v1/clusters')).items;
  const currentQ = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  for (const c of clusters) {
    const held = new Set(events.filter((e) => e.cluster_id === c.id && e.state !== 'cancelled').map((e) => e.quarter));
    const want = [1, 2, 3, 4].filter((q) => q <= currentQ).map((q) => `${year}-Q${q}`).filter((q) => !held.has(q));
    const got = alerts.items.find((i) => i.cluster.id === c.id)?.alerts.map((x) => x.quarter) ?? [];
    assert.deepEqual(got, want, c.code);
  }
  assert.ok(!alerts.items.find((i) => i.cluster.id === 3)?.alerts.some((x) => x.quarter === `${year}-Q1`));
  const mine = await ok(secretary, 'GET', `/api/v1/events/alerts?year=${year}`);
  assert.ok(mine.items.every((i) => i.cluster.id === 1));
  await refused(qifan, 'GET', '/api/v1/events/alerts', undefined, 403, 'forbidden');
});

// One VEVENT's facts as ical.js reads them.
function parseCalendar(text) {
  const comp = new ICAL.Component(ICAL.parse(text));
  return comp.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

test('an event\'s .ics parses with ical.js and says what the event says', async () => {
  const r = await secretary.call('GET', `/api/v1/events/${salon.id}.ics`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/calendar/);
  for (const line of r.text.split('\r\n').slice(0, -1)) assert.ok(Buffer.byteLength(line) <= 75, line);
  assert.ok(!/[^\r]\n/.test(r.text), 'CRLF line ends only');
  const [ev] = parseCalendar(r.text);
  const full = await ok(secretary, 'GET', `/api/v1/events/${salon.id}`);
  assert.equal(ev.uid, full.uid);
  assert.equal(ev.summary, full.title);
  assert.equal(ev.location, full.place);
  // 14:00 in Shanghai is 06:00 UTC.
  assert.equal(ev.startDate.toJSDate().toISOString(), new Date(`${full.starts_at}:00+08:00`).toISOString());
  assert.equal(ev.endDate.toJSDate().toISOString(), new Date(`${full.ends_at}:00+08:00`).toISOString());
  assert.equal(ev.startDate.zone.tzid, 'Asia/Shanghai');
  // The agenda, as this reader sees it, in the description.
  for (const it of full.agenda) assert.ok(ev.description.includes(it.title), it.title);
  // The enterprise's copy carries only its own items.
  const q = parseCalendar((await qifan.call('GET', `/api/v1/events/${salon.id}.ics`)).text)[0];
  const own = (await ok(qifan, 'GET', `/api/v1/events/${salon.id}`)).agenda;
  const others = full.agenda.filter((i) => !own.some((o) => o.id === i.id));
  for (const it of others) assert.ok(!q.description.includes(it.title), it.title);
  await refused(firm2, 'GET', `/api/v1/events/${salon.id}.ics`, undefined, 404, 'not_found');
});

test('calendar feeds: by session, by token, and nothing else', async () => {
  const anon = await fetch(`${srv.url}/api/v1/calendars/enterprises/1.ics`);
  assert.equal(anon.status, 401);
  const tk = await ok(qifan, 'POST', '/api/v1/calendars/token', undefined, 201);
  assert.match(tk.token, /^[0-9a-f]{64}$/);
  const feed = await fetch(`${srv.url}${tk.feeds.enterprise}`);
  assert.equal(feed.status, 200);
  const events = parseCalendar(await feed.text());
  const listed = (await ok(qifan, 'GET', '/api/v1/events?limit=500')).items;
  assert.deepEqual(events.map((e) => e.uid).sort(), listed.map((e) => e.uid).sort());
  assert.ok(events.length >= 2);
  // The user's own feed: the same events.
  const mine = parseCalendar(await (await fetch(`${srv.url}${tk.feeds.user}`)).text());
  assert.equal(mine.length, events.length);
  // Another enterprise's, or another user's, is not the token's to read.
  assert.equal((await fetch(`${srv.url}/api/v1/calendars/enterprises/2.ics?token=${tk.token}`)).status, 404);
  assert.equal((await fetch(`${srv.url}/api/v1/calendars/users/1.ics?token=${tk.token}`)).status, 403);
  const bad = await fetch(`${srv.url}/api/v1/calendars/enterprises/1.ics?token=${'0'.repeat(64)}`);
  assert.equal(bad.status, 401);
  assert.equal((await bad.json()).error.code, 'bad_calendar_token');
  // A new token replaces the old one.
  await ok(qifan, 'POST', '/api/v1/calendars/token', undefined, 201);
  assert.equal((await fetch(`${srv.url}${tk.feeds.enterprise}`)).status, 401);
  // The organiser's feed by session.
  const org = await secretary.call('GET', '/api/v1/calendars/clusters/1.ics');
  assert.equal(org.status, 200);
  const byOrg = parseCalendar(org.text);
  const list1 = (await ok(secretary, 'GET', '/api/v1/events?organiser=cluster:1&limit=500')).items;
  assert.deepEqual(byOrg.map((e) => e.uid).sort(), list1.map((e) => e.uid).sort());
  assert.ok(byOrg.some((e) => e.summary === salon.title));
  await refused(secretary, 'GET', '/api/v1/calendars/planets/1.ics', undefined, 404, 'not_found');
});
