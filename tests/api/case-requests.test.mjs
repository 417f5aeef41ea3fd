// Cases by step against a real server: urgency and the limits of each
// step with their deadlines and overdue marks; the department's requests
// of extension, return and parking and the officer's approval, with every
// refusal; the callback and the check on site before closing; the
// escalation round by step; the categories' limits and the working
// calendar; and the rankings, recomputed here from the cases' timelines.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login, dbQuery } from '../lib/server.mjs';

const srv = await start({ args: ['--intake-per-ip', '0'] });
// Rounds every second: escalation by step, parked cases resumed.
const msrv = await start({ args: ['--maintenance-seconds', '1', '--intake-per-ip', '0'] });
test.after(async () => {
  await srv.stop();
  await msrv.stop();
});

const officer = await login(srv.url, 'officer');
const admin = await login(srv.url, 'admin');
const handler = await login(srv.url, 'handler'); // 经济园区
const handler2 = await login(srv.url, 'handler2'); // 社区管理办
const secretary = await login(srv.url, 'secretary');
const grid = await login(srv.url, 'grid');
const qifan = await login(srv.url, 'qifan'); // enterprise 1

let seq = 0;
const uniq = () => `${process.pid}-${Date.now()}-${++seq}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
// The town's date (UTC+8) of an instant, and of today with days added.
const townDay = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);
const today = (days = 0) => townDay(Date.now() + days * 86400e3);
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const sql = dbQuery;

// An enterprise 1 problem entered by the officer, taken along `states`.
async function problem(fields = {}, states = [], client = officer, base = srv.url) {
  const c = client === officer && base === srv.url ? officer : client;
  const r = await c.call('POST', '/api/v1/cases',
    { kind: 'problem', category: 'land', text: `扩产用地需求 ${uniq()}`, enterprise_id: 1, ...fields });
  assert.equal(r.status, 201, r.text);
  for (const to of states) {
    const who = ['accepted', 'assigned'].includes(to) ? c : (base === srv.url ? handler : c);
    const m = await who.call('POST', `/api/v1/cases/${r.json.case.id}/transition`, { to, note: `${to} 记录` });
    assert.equal(m.status, 200, `${to}: ${m.text}`);
  }
  return r.json.case;
}
const getCase = async (id, client = officer) => (await client.call('GET', `/api/v1/cases/${id}`)).json;
const ask = (client, id, body) => client.call('POST', `/api/v1/cases/${id}/requests`, body);
const decide = (client, id, rid, body) => client.call('POST', `/api/v1/cases/${id}/requests/${rid}/decision`, body);
function refused(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error.code, code, r.text);
  if (field) assert.ok([r.json.error.field, ...(r.json.error.errors || []).map((e) => e.field)].includes(field), r.text);
}

// ---------------------------------------------------------------------

test('a case gets its category\'s limits by urgency and step, with deadlines and overdue marks', async () => {
  const cats = (await officer.call('GET', '/api/v1/case-categories')).json.items;
  const land = cats.find((c) => c.code === 'land');
  const limits = (await officer.call('GET', `/api/v1/case-categories/${land.id}/limits`)).json;
  assert.deepEqual(limits.limits.ordinary.dispatch, { amount: 1, unit: 'working_days' });
  const c = await problem();
  assert.equal(c.urgency, 'ordinary');
  for (const step of ['dispatch', 'first_reply', 'resolution']) {
    assert.deepEqual(c.steps[step].limit, limits.limits.ordinary[step], step);
    assert.ok(Date.parse(c.steps[step].due) > Date.parse(c.created_at), step);
    assert.equal(c.steps[step].done_at, null);
    assert.equal(c.steps[step].overdue, false);
  }
  assert.equal(c.steps.resolution.due, c.deadline);
  // A working day ends at 18:00 in the town, 10:00 UTC.
  assert.match(c.steps.dispatch.due, /T10:00:00Z$/);
  assert.ok(c.steps.dispatch.due <= c.steps.first_reply.due && c.steps.first_reply.due <= c.deadline);
  assert.equal(c.parked, null);
  assert.equal(c.closing.missing, 'callback');

  // An emergency counts plain hours: 2 to dispatch, from intake.
  const e = await problem({ urgency: 'emergency' });
  assert.equal(e.urgency, 'emergency');
  assert.deepEqual(e.steps.dispatch.limit, { amount: 2, unit: 'hours' });
  assert.equal(Date.parse(e.steps.dispatch.due) - Date.parse(e.created_at), 2 * 3600e3);
  refused(await officer.call('POST', '/api/v1/cases', { kind: 'problem', category: 'land', text: `x ${uniq()}`, enterprise_id: 1, urgency: 'soon' }),
    422, 'invalid_enum', 'urgency');
  // Residents' forms do not set it.
  const pub = await fetch(`${srv.url}/api/v1/public/cases`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'suggestion', category: 'community', text: `建议 ${uniq()}`, urgency: 'urgent' }) });
  assert.equal(pub.status, 422);
  assert.equal((await pub.json()).error.code, 'not_allowed');

  // Dispatch marks the dispatch done; urgency changed at dispatch plans the
  // steps again from intake.
  let r = await officer.call('POST', `/api/v1/cases/${c.id}/assign`, { urgency: 'urgent', note: '企业停产风险' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.urgency, 'urgent');
  assert.deepEqual(r.json.case.steps.dispatch.limit, limits.limits.urgent.dispatch);
  assert.ok(r.json.case.deadline < c.deadline, 'an urgent case is due sooner');
  for (const to of ['accepted', 'assigned']) await officer.call('POST', `/api/v1/cases/${c.id}/transition`, { to });
  let g = await getCase(c.id);
  assert.ok(g.case.steps.dispatch.done_at);
  assert.equal(g.case.steps.first_reply.done_at, null);
  // The department's reply is its first.
  r = await handler.call('POST', `/api/v1/cases/${c.id}/reply`, { reply: '已联系企业，正在排摸存量厂房' });
  assert.equal(r.status, 200, r.text);
  g = await getCase(c.id);
  assert.ok(g.case.steps.first_reply.done_at);

  // Overdue by step: a dispatch past due shows on its step, and only there.
  const late = await problem();
  sql(srv.db, `UPDATE case_steps SET dispatch_due = '2020-01-01T00:00:00Z' WHERE case_id = ${late.id}`);
  g = await getCase(late.id);
  assert.equal(g.case.steps.dispatch.overdue, true);
  assert.equal(g.case.steps.first_reply.overdue, false);
  assert.equal(g.case.overdue, false, 'the case\'s own mark is its resolution\'s');
});

test('extension: the handler asks, an officer decides; each refusal names its rule', async () => {
  const c = await problem({}, ['accepted', 'assigned', 'in_progress']);
  const later = iso(Date.parse(c.deadline) + 10 * 86400e3);
  // Bad bodies: nothing written.
  refused(await ask(handler, c.id, { kind: 'delay', reason: '协调' }), 422, 'invalid_enum', 'kind');
  refused(await ask(handler, c.id, { kind: 'extension', reason: '  ', deadline: later }), 422, 'reason_required', 'reason');
  refused(await ask(handler, c.id, { kind: 'extension', reason: '协调', deadline: '明天' }), 422, 'invalid_datetime', 'deadline');
  refused(await ask(handler, c.id, { kind: 'extension', reason: '协调', deadline: '2020-01-01' }), 422, 'deadline_past', 'deadline');
  refused(await ask(handler, c.id, { kind: 'extension', reason: '协调', deadline: iso(Date.parse(c.deadline) - 3600e3) }),
    422, 'extension_not_later', 'deadline');
  refused(await ask(handler, c.id, { kind: 'extension', reason: '协调', deadline: later, review_on: today(3) }), 422, 'not_allowed', 'review_on');
  refused(await ask(handler, c.id, { kind: 'extension', reason: '协调', deadline: later, when: 1 }), 422, 'unknown_field');
  assert.equal((await officer.call('GET', `/api/v1/cases/${c.id}/requests`)).json.count, 0, 'nothing written');
  // Who asks: the case's department; another's cannot see it, a reader
  // who is no department may not.
  refused(await ask(handler2, c.id, { kind: 'extension', reason: '协调', deadline: later }), 404, 'not_found');
  refused(await ask(secretary, c.id, { kind: 'extension', reason: '协调', deadline: later }), 403, 'forbidden');

  let r = await ask(handler, c.id, { kind: 'extension', reason: '需区规划资源局统筹用地指标', deadline: later });
  assert.equal(r.status, 201, r.text);
  const q = r.json.request;
  assert.equal(r.headers.get('location'), `/api/v1/cases/${c.id}/requests/${q.id}`);
  assert.deepEqual([q.kind, q.status, q.deadline, q.asked_by], ['extension', 'pending', later, 'handler']);
  // One waits at a time, whatever the kind.
  refused(await ask(handler, c.id, { kind: 'park', reason: '等待', review_on: today(20) }), 409, 'request_pending');
  let list = (await handler.call('GET', `/api/v1/cases/${c.id}/requests`)).json;
  assert.equal(list.count, 1);
  assert.deepEqual(list.may_request, []);
  assert.equal(list.may_decide, false);
  // The handler may not decide; the decision needs a reason.
  refused(await decide(handler, c.id, q.id, { approve: true, note: '同意' }), 403, 'forbidden');
  refused(await decide(officer, c.id, q.id, { approve: true }), 422, 'reason_required', 'note');
  refused(await decide(officer, c.id, q.id, { note: '同意' }), 422, 'required', 'approve');
  refused(await decide(officer, c.id, 999999, { approve: true, note: '同意' }), 404, 'not_found');
  // Officers see what waits.
  const waiting = (await officer.call('GET', '/api/v1/case-requests')).json.items;
  assert.ok(waiting.some((x) => x.id === q.id && x.case_id === c.id));
  refused(await handler.call('GET', '/api/v1/case-requests'), 403, 'forbidden');

  r = await decide(officer, c.id, q.id, { approve: true, note: '同意延期十天' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.request.status, 'approved');
  assert.equal(r.json.request.decided_by, 'officer');
  assert.equal(r.json.case.deadline, later);
  assert.equal(r.json.case.escalated_at, null);
  refused(await decide(admin, c.id, q.id, { approve: false, note: '不同意' }), 409, 'request_decided');
  const g = await getCase(c.id);
  const acts = g.events.map((e) => [e.action, e.public]);
  assert.deepEqual(acts.slice(-3), [['request', false], ['decision', false], ['extension', true]]);
  assert.match(g.events.at(-1).note, new RegExp(later));

  // A refusal leaves the deadline; the second extension is the last.
  r = await ask(handler, c.id, { kind: 'extension', reason: '再延一周', deadline: iso(Date.parse(later) + 7 * 86400e3) });
  assert.equal(r.status, 201, r.text);
  r = await decide(officer, c.id, r.json.request.id, { approve: false, note: '请按期办结' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.request.status, 'refused');
  assert.equal(r.json.case.deadline, later);
  r = await ask(handler, c.id, { kind: 'extension', reason: '第三次', deadline: iso(Date.parse(later) + 9 * 86400e3) });
  refused(r, 409, 'request_limit');
  assert.match(r.json.error.message, /2 times.*allowed now: return, park$/);
});

test('nobody decides their own request; approving one the case no longer fits or past its date is refused', async () => {
  // An officer takes a request down for the department; another decides.
  const c = await problem({}, ['accepted', 'assigned']);
  let r = await ask(officer, c.id, { kind: 'extension', reason: '部门电话申请', deadline: iso(Date.parse(c.deadline) + 86400e3) });
  assert.equal(r.status, 201, r.text);
  const q = r.json.request;
  refused(await decide(officer, c.id, q.id, { approve: true, note: '同意' }), 422, 'own_request');
  // The date asked for passed while it waited.
  sql(srv.db, `UPDATE case_requests SET deadline = '2020-01-01T00:00:00Z' WHERE id = ${q.id}`);
  refused(await decide(admin, c.id, q.id, { approve: true, note: '同意' }), 422, 'deadline_past');
  r = await decide(admin, c.id, q.id, { approve: false, note: '日期已过，请重新申请' });
  assert.equal(r.status, 200, r.text);

  // Resolved while its extension waited: nothing to extend.
  const d = await problem({}, ['accepted', 'assigned', 'in_progress']);
  r = await ask(handler, d.id, { kind: 'extension', reason: '协调', deadline: iso(Date.parse(d.deadline) + 86400e3) });
  assert.equal(r.status, 201, r.text);
  await handler.call('POST', `/api/v1/cases/${d.id}/transition`, { to: 'resolved', note: '已解决' });
  refused(await decide(officer, d.id, r.json.request.id, { approve: true, note: '同意' }), 409, 'request_not_allowed');
  // Closed cases take no requests.
  const x = await problem();
  await officer.call('POST', `/api/v1/cases/${x.id}/transition`, { to: 'rejected', note: '重复' });
  refused(await ask(officer, x.id, { kind: 'park', reason: '等待', review_on: today(5) }), 409, 'not_open');
});

test('return: back to the dispatcher to be routed again, once dispatched only', async () => {
  const a = await problem({}, ['accepted']);
  let r = await ask(handler, a.id, { kind: 'return', reason: '非本部门职责' });
  refused(r, 409, 'request_not_allowed', 'kind');
  assert.match(r.json.error.message, /allowed now: extension, park$/);

  const c = await problem({}, ['accepted', 'assigned', 'in_progress']);
  r = await ask(handler, c.id, { kind: 'return', reason: '属规划建设办职责' });
  assert.equal(r.status, 201, r.text);
  r = await decide(officer, c.id, r.json.request.id, { approve: true, note: '同意退回，重新派单' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.state, 'accepted');
  assert.equal(r.json.case.steps.dispatch.done_at, null, 'dispatch to come anew');
  assert.ok(Date.parse(r.json.case.steps.dispatch.due) > Date.now());
  const g = await getCase(c.id);
  const ret = g.events.find((e) => e.action === 'return');
  assert.deepEqual([ret.from, ret.to, ret.public], ['in_progress', 'accepted', false]);
  assert.match(ret.note, /属规划建设办职责/);
  // The officer routes it again.
  const deps = (await officer.call('GET', '/api/v1/departments')).json.items;
  const plan = deps.find((d) => d.name === '规划建设办');
  r = await officer.call('POST', `/api/v1/cases/${c.id}/assign`, { department_id: plan.id, note: '改派规划建设办' });
  assert.equal(r.status, 200, r.text);
  r = await officer.call('POST', `/api/v1/cases/${c.id}/transition`, { to: 'assigned', note: '派单' });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.case.steps.dispatch.done_at);
  assert.equal(r.json.case.department.name, '规划建设办');
});

test('parking: no review date, a date past, then the clock stands until an officer or the review date resumes it', async () => {
  const c = await problem({}, ['accepted', 'assigned', 'in_progress']);
  refused(await ask(handler, c.id, { kind: 'park', reason: '等待供电公司排期' }), 422, 'required', 'review_on');
  refused(await ask(handler, c.id, { kind: 'park', reason: '等待供电公司排期', review_on: today(0) }), 422, 'deadline_past', 'review_on');
  refused(await ask(handler, c.id, { kind: 'park', reason: '等待', review_on: '2099-13-01' }), 422, 'invalid_date', 'review_on');
  refused(await ask(handler, c.id, { kind: 'park', reason: '等待', review_on: today(30), deadline: '2099-01-01' }), 422, 'not_allowed', 'deadline');
  let r = await ask(handler, c.id, { kind: 'park', reason: '等待供电公司排期', review_on: today(30) });
  assert.equal(r.status, 201, r.text);
  refused(await officer.call('POST', `/api/v1/cases/${c.id}/resume`, { note: '恢复' }), 409, 'not_parked');
  r = await decide(officer, c.id, r.json.request.id, { approve: true, note: '同意挂账' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.parked.review_on, today(30));
  // Its clock stands: past its deadline it is not late, nor in the list
  // of the overdue.
  sql(srv.db, `UPDATE cases SET deadline = '2020-01-01T00:00:00Z' WHERE id = ${c.id}`);
  let g = await getCase(c.id);
  assert.equal(g.case.overdue, false);
  assert.equal(g.case.steps.resolution.overdue, false);
  assert.equal(g.may_resume, true);
  const overdue = (await officer.call('GET', '/api/v1/cases?overdue=true&limit=500')).json.items;
  assert.ok(!overdue.some((x) => x.id === c.id));
  refused(await ask(handler, c.id, { kind: 'park', reason: '再次', review_on: today(40) }), 409, 'request_not_allowed');
  refused(await handler.call('POST', `/api/v1/cases/${c.id}/resume`, {}), 403, 'forbidden');
  // Parked a fortnight: whatever today's weekday, that holds several
  // working days for a clock that counts only those.
  sql(srv.db, `UPDATE case_steps SET parked_at = '${iso(Date.now() - 14 * 86400e3)}' WHERE case_id = ${c.id}`);
  r = await officer.call('POST', `/api/v1/cases/${c.id}/resume`, { note: '供电公司已排期' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.parked, null);
  assert.ok(r.json.case.deadline > '2020-01-02', `the deadline moved by the time parked: ${r.json.case.deadline}`);
  g = await getCase(c.id);
  assert.equal(g.events.at(-1).action, 'resume');
  assert.match(g.events.at(-1).note, /供电公司已排期/);
  // A case parks once.
  refused(await ask(handler, c.id, { kind: 'park', reason: '再次', review_on: today(10) }), 409, 'request_limit');

  // A move of a parked case (the matter settled) starts its clock again.
  const d = await problem({}, ['accepted', 'assigned', 'in_progress']);
  r = await ask(handler, d.id, { kind: 'park', reason: '等待', review_on: today(10) });
  await decide(officer, d.id, r.json.request.id, { approve: true, note: '同意' });
  r = await handler.call('POST', `/api/v1/cases/${d.id}/transition`, { to: 'resolved', note: '已解决' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.parked, null);
});

test('the round resumes a parked case on its review date and escalates each step once', async () => {
  const off = await login(msrv.url, 'officer');
  const hnd = await login(msrv.url, 'handler');
  const mk = async () => {
    const r = await off.call('POST', '/api/v1/cases', { kind: 'problem', category: 'land', text: `用地 ${uniq()}`, enterprise_id: 1 });
    assert.equal(r.status, 201, r.text);
    return r.json.case.id;
  };
  // Parked, review date come: resumed by the system.
  const p = await mk();
  for (const to of ['accepted', 'assigned']) await off.call('POST', `/api/v1/cases/${p}/transition`, { to });
  let r = await hnd.call('POST', `/api/v1/cases/${p}/requests`, { kind: 'park', reason: '等待', review_on: today(5) });
  assert.equal(r.status, 201, r.text);
  r = await off.call('POST', `/api/v1/cases/${p}/requests/${r.json.request.id}/decision`, { approve: true, note: '同意' });
  assert.equal(r.status, 200, r.text);
  // Past due on each step while parked: not escalated.
  const q = await mk();
  const past = '2020-01-01T00:00:00Z';
  sql(msrv.db, `UPDATE case_steps SET dispatch_due = '${past}', reply_due = '${past}' WHERE case_id IN (${p}, ${q});
    UPDATE cases SET deadline = '${past}' WHERE id IN (${p}, ${q})`);
  const events = async (id) => (await off.call('GET', `/api/v1/cases/${id}`)).json;
  let g = await (async () => {
    for (let i = 0; i < 80; i++) {
      const x = await events(q);
      if (x.case.steps.first_reply.escalated_at && x.case.escalated_at) return x;
      await sleep(100);
    }
    return assert.fail('no escalation');
  })();
  assert.ok(g.case.steps.dispatch.escalated_at);
  const esc = g.events.filter((e) => e.action.startsWith('escalate')).map((e) => [e.action, e.actor, e.public]);
  assert.deepEqual(esc.sort(), [['escalate', 'system', false], ['escalate_dispatch', 'system', false], ['escalate_reply', 'system', false]]);
  await sleep(1500);
  g = await events(q);
  assert.equal(g.events.filter((e) => e.action.startsWith('escalate')).length, 3, 'once each');
  assert.match(g.events.find((e) => e.action === 'escalate_dispatch').note, /not dispatched by its deadline 2020-01-01T00:00:00Z/);
  // The parked one stood still: dispatched already, so its dispatch is
  // marked done rather than chased; nothing escalated.
  g = await events(p);
  assert.ok(!g.events.some((e) => e.action.startsWith('escalate')), 'a parked case is not chased');
  assert.ok(g.case.steps.dispatch.done_at);
  sql(msrv.db, `UPDATE case_steps SET park_review = '${today(-1)}' WHERE case_id = ${p}`);
  for (let i = 0; i < 80 && (await events(p)).case.parked; i++) await sleep(100);
  g = await events(p);
  assert.equal(g.case.parked, null);
  const resume = g.events.find((e) => e.action === 'resume');
  assert.equal(resume.actor, 'system');
  assert.match(resume.note, /review date .* reached/);
});

test('closing waits for the callback: a rating, or the submitter unreached after three tries', async () => {
  const c = await problem({}, ['accepted', 'assigned', 'in_progress', 'resolved']);
  let r = await officer.call('POST', `/api/v1/cases/${c.id}/transition`, { to: 'closed', note: '办结' });
  refused(r, 409, 'callback_required');
  assert.match(r.json.error.message, /0 of 3 tries/);
  refused(await officer.call('POST', `/api/v1/cases/${c.id}/callback`, { rating: 4, unreached: true }), 422, 'conflicting_fields');
  refused(await officer.call('POST', `/api/v1/cases/${c.id}/callback`, { rating: 6 }), 422, 'out_of_range', 'rating');
  refused(await officer.call('POST', `/api/v1/cases/${c.id}/callback`, { unreached: 'yes' }), 422, 'wrong_type');
  refused(await qifan.call('POST', `/api/v1/cases/${c.id}/callback`, { unreached: true }), 403, 'forbidden');
  for (let i = 1; i <= 3; i++) {
    if (i === 3) refused(await officer.call('POST', `/api/v1/cases/${c.id}/transition`, { to: 'closed', note: '办结' }), 409, 'callback_required');
    r = await officer.call('POST', `/api/v1/cases/${c.id}/callback`, { unreached: true, note: `第${i}次电话无人接听` });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.case.closing.tries, i);
  }
  assert.equal(r.json.case.closing.callback, 'unreached');
  assert.equal(r.json.case.closing.missing, null);
  refused(await officer.call('POST', `/api/v1/cases/${c.id}/callback`, { unreached: true }), 409, 'callback_done');
  r = await officer.call('POST', `/api/v1/cases/${c.id}/transition`, { to: 'closed', note: '三次回访未接通，办结' });
  assert.equal(r.status, 200, r.text);
  const tries = (await getCase(c.id)).events.filter((e) => e.action === 'callback');
  assert.equal(tries.length, 3);
  assert.ok(tries.every((e) => !e.public));
  assert.match(tries[2].note, /try 3 of 3: the callback is given up/);

  // The callback before resolution is none.
  const open = await problem({}, ['accepted']);
  refused(await officer.call('POST', `/api/v1/cases/${open.id}/callback`, { unreached: true }), 409, 'not_resolved');
  // An officer who reached the submitter records the rating.
  const d = await problem({}, ['accepted', 'assigned', 'in_progress', 'resolved']);
  r = await officer.call('POST', `/api/v1/cases/${d.id}/callback`, { rating: 5, note: '电话回访，满意' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.rating, 5);
  refused(await officer.call('POST', `/api/v1/cases/${d.id}/callback`, { unreached: true }), 409, 'rated_already');
  r = await handler.call('POST', `/api/v1/cases/${d.id}/transition`, { to: 'closed', note: '办结' });
  assert.equal(r.status, 200, r.text);
});

test('a dissatisfied callback sends the case back to its department, once', async () => {
  const c = await problem({}, ['accepted', 'assigned', 'in_progress', 'resolved']);
  let r = await qifan.call('POST', `/api/v1/cases/${c.id}/rating`, { rating: 2, note: '厂房仍未落实' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.state, 'assigned');
  assert.equal(r.json.case.reopened, 1);
  assert.equal(r.json.case.rating, null);
  assert.equal(r.json.case.closing.missing, 'callback', 'a new resolution, a new callback');
  const g = await getCase(c.id);
  const tail = g.events.slice(-3).map((e) => [e.action, e.to, e.actor]);
  assert.deepEqual(tail, [['rate', null, 'qifan'], ['reopen', 'reopened', 'system'], ['transition', 'assigned', 'system']]);
  for (const to of ['in_progress', 'resolved']) await handler.call('POST', `/api/v1/cases/${c.id}/transition`, { to, note: to });
  // The second time the rating stands and the case may close.
  r = await officer.call('POST', `/api/v1/cases/${c.id}/callback`, { rating: 1, note: '仍不满意' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.state, 'resolved');
  r = await officer.call('POST', `/api/v1/cases/${c.id}/transition`, { to: 'closed', note: '已尽力协调，办结' });
  assert.equal(r.status, 200, r.text);
});

test('a category that asks for it is closed only after a grid worker\'s check on site with a photo', async () => {
  const cats = (await officer.call('GET', '/api/v1/case-categories')).json.items;
  const util = cats.find((c) => c.code === 'utilities');
  assert.equal((await officer.call('GET', `/api/v1/case-categories/${util.id}/limits`)).json.site_check, true);
  const c = await problem({ category: 'utilities', text: `雨水管网排水不畅 ${uniq()}` }, ['accepted', 'assigned', 'in_progress']);
  refused(await grid.call('POST', `/api/v1/cases/${c.id}/site-check`, { photo_id: 1 }), 409, 'not_resolved');
  await handler.call('POST', `/api/v1/cases/${c.id}/transition`, { to: 'resolved', note: '已疏通' });
  assert.equal((await officer.call('POST', `/api/v1/cases/${c.id}/callback`, { rating: 5 })).status, 200);
  let r = await officer.call('POST', `/api/v1/cases/${c.id}/transition`, { to: 'closed', note: '办结' });
  refused(r, 409, 'site_check_required');
  assert.match(r.json.error.message, /site-check/);
  refused(await grid.call('POST', `/api/v1/cases/${c.id}/site-check`, { photo_id: 999999, note: '已查看' }), 422, 'unknown_photo', 'photo_id');
  refused(await grid.call('POST', `/api/v1/cases/${c.id}/site-check`, { note: '已查看' }), 422, 'required', 'photo_id');
  refused(await officer.call('POST', `/api/v1/cases/${c.id}/site-check`, { photo_id: 1 }), 403, 'forbidden');
  const photo = await fetch(`${srv.url}/api/v1/cases/${c.id}/photos`, {
    method: 'POST', headers: { Cookie: grid.cookie, 'X-CSRF-Token': grid.csrf, 'Content-Type': 'image/png' }, body: PNG });
  assert.equal(photo.status, 201);
  const pid = (await photo.json()).id;
  r = await grid.call('POST', `/api/v1/cases/${c.id}/site-check`, { photo_id: pid, passed: true, note: '现场已无积水' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.closing.site_check, 'passed');
  assert.equal(r.json.case.closing.site_check_photo, pid);
  r = await officer.call('POST', `/api/v1/cases/${c.id}/transition`, { to: 'closed', note: '办结' });
  assert.equal(r.status, 200, r.text);

  // Not done as reported: back to the department.
  const d = await problem({ category: 'utilities', text: `厂区门口积水 ${uniq()}` }, ['accepted', 'assigned', 'in_progress', 'resolved']);
  const p2 = await fetch(`${srv.url}/api/v1/cases/${d.id}/photos`, {
    method: 'POST', headers: { Cookie: grid.cookie, 'X-CSRF-Token': grid.csrf, 'Content-Type': 'image/png' }, body: PNG });
  r = await grid.call('POST', `/api/v1/cases/${d.id}/site-check`, { photo_id: (await p2.json()).id, passed: false, note: '仍有积水' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.state, 'assigned');
  assert.equal(r.json.case.closing.site_check, 'missing', 'a new resolution, a new check');
});

test('limits and the calendar: read by all staff, set by admins, every fault named', async () => {
  const cal = (await handler.call('GET', '/api/v1/work-calendar/2026')).json;
  assert.equal(cal.year, 2026);
  assert.ok(cal.days.some((d) => d.date === '2026-10-01' && d.kind === 'holiday' && d.name === '国庆节'));
  assert.ok(cal.days.some((d) => d.date === '2026-10-10' && d.kind === 'workday'));
  refused(await handler.call('GET', '/api/v1/work-calendar/1999'), 400, 'invalid_parameter');
  refused(await officer.call('PUT', '/api/v1/work-calendar/2030', { days: [] }), 403, 'forbidden');
  let r = await admin.call('PUT', '/api/v1/work-calendar/2030', { days: [{ date: '2031-01-01', kind: 'holiday' }, { date: '2030-01-02', kind: 'workday' }, { date: '2030-01-05', kind: 'rest' }] });
  refused(r, 422, 'invalid_date', 'days[0].date');
  assert.ok(r.json.error.errors.some((e) => e.field === 'days[1].kind'));
  assert.ok(r.json.error.errors.some((e) => e.field === 'days[2].kind' && e.code === 'invalid_enum'));
  r = await admin.call('PUT', '/api/v1/work-calendar/2030', { days: [{ date: '2030-01-01', kind: 'holiday', name: '元旦' }, { date: '2030-01-05', kind: 'workday' }] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual((await officer.call('GET', '/api/v1/work-calendar/2030')).json.days.map((d) => d.date), ['2030-01-01', '2030-01-05']);

  const cats = (await officer.call('GET', '/api/v1/case-categories')).json.items;
  const env = cats.find((c) => c.code === 'environment');
  refused(await officer.call('PUT', `/api/v1/case-categories/${env.id}/limits`, { limits: {} }), 403, 'forbidden');
  r = await admin.call('PUT', `/api/v1/case-categories/${env.id}/limits`, { limits: { ordinary: { dispatch: { amount: 0, unit: 'working_hours' }, first_reply: { amount: 1, unit: 'days' } }, soon: null } });
  refused(r, 422, 'out_of_range', 'limits.ordinary.dispatch.amount');
  assert.ok(r.json.error.errors.some((e) => e.field === 'limits.ordinary.first_reply.unit'));
  refused(await admin.call('PUT', '/api/v1/case-categories/999999/limits', { limits: {} }), 404, 'not_found');
  // A case taken in before the change has the limits as they were; the
  // server keeps what routes a case while nothing of it changes, and the
  // next case must not get that.
  const was = (await officer.call('GET', `/api/v1/case-categories/${env.id}/limits`)).json.limits.ordinary;
  assert.notDeepEqual(was.dispatch, { amount: 3, unit: 'hours' });
  for (let i = 0; i < 2; i++) {
    const k0 = await officer.call('POST', '/api/v1/cases', { kind: 'complaint', category: 'environment', text: `垃圾清运 ${uniq()}` });
    assert.equal(k0.status, 201, k0.text);
    assert.deepEqual(k0.json.case.steps.dispatch.limit, was.dispatch);
  }
  r = await admin.call('PUT', `/api/v1/case-categories/${env.id}/limits`, { limits: { ordinary: { dispatch: { amount: 3, unit: 'hours' }, resolution: { amount: 5, unit: 'working_days' } } }, site_check: false });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.limits.ordinary, { dispatch: { amount: 3, unit: 'hours' }, first_reply: null, resolution: { amount: 5, unit: 'working_days' } });
  // Cases taken in afterwards follow them.
  const k = await officer.call('POST', '/api/v1/cases', { kind: 'complaint', category: 'environment', text: `垃圾清运 ${uniq()}` });
  assert.equal(k.status, 201, k.text);
  assert.equal(Date.parse(k.json.case.steps.dispatch.due) - Date.parse(k.json.case.created_at), 3 * 3600e3);
  assert.equal(k.json.case.steps.first_reply.limit, null);
  assert.equal(k.json.case.steps.first_reply.due, null);
});

// The rankings recomputed from what the API shows of every case: each
// answer (resolved, implemented, not adopted) on the town's day it was
// given, on time when by the deadline, its rating the next one given.
test('rankings by department, category and handler equal a count of the cases\' timelines', async () => {
  refused(await handler.call('GET', '/api/v1/cases/rankings'), 403, 'forbidden');
  refused(await officer.call('GET', '/api/v1/cases/rankings?by=month'), 400, 'invalid_by', 'by');
  refused(await officer.call('GET', '/api/v1/cases/rankings?from=2026-02-30'), 400, 'invalid_date', 'from');
  refused(await officer.call('GET', '/api/v1/cases/rankings?from=2026-05-01&to=2026-04-01'), 422, 'before_since', 'to');

  const cases = [];
  for (let after = ''; ;) {
    const page = (await officer.call('GET', `/api/v1/cases?limit=500${after ? `&after=${after}` : ''}`)).json;
    cases.push(...page.items);
    if (!page.next) break;
    after = page.next;
  }
  const from = today(-364);
  const to = today(0);
  const want = { department: new Map(), category: new Map(), handler: new Map() };
  const bump = (m, k, f) => {
    const x = m.get(k) || { finished: 0, on_time: 0, rated: 0, satisfied: 0 };
    f(x);
    m.set(k, x);
  };
  for (const c of cases) {
    if (c.merged_into) continue;
    const ev = (await getCase(c.id)).events;
    let last = null;
    for (const e of ev) {
      if (['resolved', 'implemented', 'not_adopted'].includes(e.to)) {
        const day = townDay(Date.parse(e.at));
        last = day >= from && day <= to ? { keys: [c.department.name, c.category.code, e.actor] } : null;
        if (last) {
          const onTime = e.at <= c.deadline ? 1 : 0;
          bump(want.department, last.keys[0], (x) => { x.finished++; x.on_time += onTime; });
          bump(want.category, last.keys[1], (x) => { x.finished++; x.on_time += onTime; });
          bump(want.handler, last.keys[2], (x) => { x.finished++; x.on_time += onTime; });
        }
      } else if (e.action === 'rate' && last) {
        const n = Number(e.note.split('/')[0]);
        const add = (x) => { x.rated++; x.satisfied += n >= 4 ? 1 : 0; };
        bump(want.department, last.keys[0], add);
        bump(want.category, last.keys[1], add);
        bump(want.handler, last.keys[2], add);
        last = null;
      }
    }
  }
  const pick = (x) => ({ finished: x.finished, on_time: x.on_time, rated: x.rated, satisfied: x.satisfied });
  const dep = (await officer.call('GET', `/api/v1/cases/rankings?by=department&from=${from}&to=${to}`)).json;
  assert.deepEqual(Object.fromEntries(dep.items.map((r) => [r.name, pick(r)])), Object.fromEntries([...want.department].map(([k, v]) => [k, pick(v)])));
  // Best first: by on-time rate, then satisfaction.
  for (let i = 1; i < dep.items.length; i++) assert.ok(dep.items[i - 1].on_time_rate >= dep.items[i].on_time_rate || dep.items[i].on_time_rate === null);
  assert.deepEqual(dep.items.map((r) => r.rank), dep.items.map((_, i) => i + 1));
  const row = dep.items[0];
  assert.equal(row.on_time_rate, Number((row.on_time / row.finished).toFixed(4)));
  const cat = (await officer.call('GET', `/api/v1/cases/rankings?by=category&from=${from}&to=${to}`)).json;
  const codes = Object.fromEntries(((await officer.call('GET', '/api/v1/case-categories')).json.items).map((k) => [k.name_zh, k.code]));
  assert.deepEqual(Object.fromEntries(cat.items.map((r) => [codes[r.name], pick(r)])), Object.fromEntries([...want.category].map(([k, v]) => [k, pick(v)])));
  // The demo's histories are the officer's; the handlers' answers are
  // this suite's, attributed to them.
  const hnd = (await officer.call('GET', `/api/v1/cases/rankings?by=handler&from=${from}&to=${to}`)).json;
  for (const name of ['handler', 'handler2']) {
    const got = hnd.items.find((r) => r.username === name);
    if (!want.handler.has(name)) continue;
    assert.ok(got, name);
    assert.deepEqual(pick(got), pick(want.handler.get(name)), name);
  }
  assert.equal(hnd.total.finished, dep.total.finished);
  // A period with nothing answered: no rows.
  const none = (await officer.call('GET', '/api/v1/cases/rankings?from=2001-01-01&to=2001-12-31')).json;
  assert.deepEqual(none.items, []);
  assert.equal(none.total.on_time_rate, null);
});
