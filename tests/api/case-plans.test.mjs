// Suggestions carried through and the departments' notes, against a real
// server: adoption from every state before a final one, a plan with
// milestones that the public reads once reached, the public list of
// suggestions (date order, figures, the suggestion a merged one joined),
// public and internal notes kept apart on every public road (tracking
// page, lists, Open311, notifications), reply templates and bulk replies
// with their refusals, staff intake per channel with the caller's details
// masked, and a visit problem's category.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login, dbQuery } from '../lib/server.mjs';

const srv = await start({ args: ['--intake-per-ip', '0'] });
test.after(() => srv.stop());

const officer = await login(srv.url, 'officer');
const admin = await login(srv.url, 'admin');
const handler = await login(srv.url, 'handler'); // 经济园区
const handler2 = await login(srv.url, 'handler2'); // 社区管理办
const secretary = await login(srv.url, 'secretary');
const grid = await login(srv.url, 'grid');
const qifan = await login(srv.url, 'qifan'); // enterprise 1

let n = 0;
const uniq = () => `${Date.now().toString(36)}-${++n}`;

async function anon(method, path, body) {
  const h = {};
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const res = await fetch(`${srv.url}${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, json, text };
}

async function submit(fields = {}) {
  const r = await anon('POST', '/api/v1/public/cases',
    { kind: 'suggestion', category: 'community', text: `建议增设社区书屋 ${uniq()}`, ...fields });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.case.id, code: r.json.tracking_code };
}

const move = (client, id, to, note, extra = {}) => client.call('POST', `/api/v1/cases/${id}/transition`,
  { to, ...(note === undefined ? {} : { note }), ...extra });
async function walk(id, steps) {
  for (const [client, to, note] of steps) {
    const r = await move(client, id, to, note);
    assert.equal(r.status, 200, `${to}: ${r.text}`);
  }
}
const getCase = async (client, id) => (await client.call('GET', `/api/v1/cases/${id}`)).json;
const track = async (code) => (await anon('GET', `/api/v1/public/cases/${code}`)).json;
const fieldsOf = (r) => [r.json?.error?.field, ...(r.json?.error?.errors || []).map((x) => x.field)];
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const daysFromToday = (d) => new Date(Date.now() + 8 * 3600e3 + d * 86400e3).toISOString().slice(0, 10);

const sql = (q) => dbQuery(srv.db, q);

// The paths to each state before a final one, for a suggestion of 社区管理办.
const TO = {
  submitted: [],
  accepted: [[officer, 'accepted']],
  assigned: [[officer, 'accepted'], [officer, 'assigned']],
  in_progress: [[officer, 'accepted'], [officer, 'assigned'], [handler2, 'in_progress']],
  resolved: [[officer, 'accepted'], [officer, 'assigned'], [handler2, 'in_progress'], [handler2, 'resolved', '已处理']],
  under_review: [[officer, 'accepted'], [handler2, 'under_review']],
};

test('a suggestion is adopted from any state before a final one; never from a final one, nor another kind', async () => {
  for (const [state, path] of Object.entries(TO)) {
    const s = await submit();
    await walk(s.id, path);
    const g = await getCase(handler2, s.id);
    assert.equal(g.case.state, state);
    assert.ok(g.allowed.includes('adopted'), `${state}: ${g.allowed}`);
    const r = await move(handler2, s.id, 'adopted', '纳入年度计划');
    assert.equal(r.status, 200, `${state}: ${r.text}`);
    assert.equal(r.json.case.state, 'adopted');
  }
  // reopened by its submitter, then adopted
  const s = await submit();
  await walk(s.id, TO.resolved);
  const re = await anon('POST', `/api/v1/public/cases/${s.code}/reopen`, { note: '只是临时处理' });
  assert.equal(re.status, 200, re.text);
  assert.equal((await move(handler2, s.id, 'adopted')).status, 200);
  // the demo's case dispatched as a problem: adopted now
  const demo = (await officer.call('GET', '/api/v1/cases?kind=suggestion&state=in_progress&limit=50')).json.items[0];
  assert.ok(demo, 'a demo suggestion being handled');
  assert.equal((await move(officer, demo.id, 'adopted')).status, 200);
  // final states stay final
  const f = await submit();
  await walk(f.id, [[officer, 'accepted'], [handler2, 'under_review'], [handler2, 'not_adopted', '不符合规划']]);
  let r = await move(handler2, f.id, 'adopted');
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'illegal_transition');
  // a complaint is not adopted
  const k = await submit({ kind: 'complaint' });
  await walk(k.id, TO.assigned);
  r = await move(officer, k.id, 'adopted');
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /complaint/);
  // another department's handler does not see it to adopt it
  const o = await submit();
  assert.equal((await move(handler, o.id, 'adopted')).status, 404);
});

test('an adopted suggestion\'s plan: milestones public only once reached, progress, refusals that write nothing', async () => {
  const s = await submit();
  // no plan before adoption
  let r = await handler2.call('GET', `/api/v1/cases/${s.id}/plan`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.plan, null);
  assert.equal(r.json.writable, false);
  const good = { summary: '在社区活动中心开设书屋', milestones: [{ title: '确定场地', due_on: daysFromToday(10) }] };
  r = await handler2.call('PUT', `/api/v1/cases/${s.id}/plan`, good);
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'plan_needs_adoption');
  await walk(s.id, [[officer, 'accepted'], [handler2, 'under_review'], [handler2, 'adopted']]);
  // who may write it
  assert.equal((await handler.call('PUT', `/api/v1/cases/${s.id}/plan`, good)).status, 404, 'another department: unknown');
  assert.equal((await anon('PUT', `/api/v1/cases/${s.id}/plan`, good)).status, 401);
  assert.equal((await anon('GET', `/api/v1/cases/${s.id}/plan`)).status, 401);
  // bad fields, each named, nothing written
  for (const [body, field, code] of [
    [{ milestones: 'x' }, 'milestones', 'wrong_type'],
    [{ summary: '无' }, 'milestones', 'required'],
    [{ milestones: [{ due_on: today() }] }, 'milestones[0].title', 'required'],
    [{ milestones: [{ title: '　 ', due_on: today() }] }, 'milestones[0].title', 'required'],
    [{ milestones: [{ title: 'a', due_on: '2026-02-30' }] }, 'milestones[0].due_on', 'invalid_date'],
    [{ milestones: [{ title: 'a' }] }, 'milestones[0].due_on', 'required'],
    [{ milestones: [{ title: 'a', due_on: today(), reached_on: daysFromToday(2) }] }, 'milestones[0].reached_on', 'in_future'],
    [{ milestones: [{ title: 'a', due_on: today(), weight: 0 }] }, 'milestones[0].weight', 'out_of_range'],
    [{ milestones: [{ title: 'a', due_on: today(), colour: 'red' }] }, 'milestones[0]', 'unknown_field'],
    [{ milestones: [{ title: 'a', due_on: today(), id: 99999 }] }, 'milestones[0].id', 'unknown_milestone'],
    [{ milestones: Array.from({ length: 21 }, (_, i) => ({ title: `m${i}`, due_on: today() })) }, 'milestones', 'too_many'],
    [{ milestones: [], owner: 'x' }, 'owner', 'unknown_field'],
  ]) {
    r = await handler2.call('PUT', `/api/v1/cases/${s.id}/plan`, body);
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    assert.ok(fieldsOf(r).includes(field), `${field}: ${r.text}`);
    assert.ok((r.json.error.errors || [r.json.error]).some((e) => e.code === code) || r.json.error.code === code, `${code}: ${r.text}`);
  }
  assert.equal((await handler2.call('GET', `/api/v1/cases/${s.id}/plan`)).json.plan, null, 'nothing written');
  // the plan: one reached, two to come
  const secret = `招募志愿者管理员 ${uniq()}`;
  r = await handler2.call('PUT', `/api/v1/cases/${s.id}/plan`, {
    summary: '在社区活动中心开设书屋',
    milestones: [
      { title: '确定场地', due_on: daysFromToday(-5), reached_on: daysFromToday(-1), text: '活动中心二楼已腾出' },
      { title: '采购书架和图书', due_on: daysFromToday(20) },
      { title: secret, due_on: daysFromToday(40), weight: 1 },
    ],
  });
  assert.equal(r.status, 200, r.text);
  const plan = r.json.plan;
  assert.equal(plan.milestones.length, 3);
  assert.ok(plan.milestones.every((m) => m.id > 0));
  assert.equal(plan.progress, 33);
  assert.deepEqual(plan.milestones.map((m) => m.public), [true, false, false]);
  const etag = r.headers.get('etag');
  // the staff's view
  let g = await handler2.call('GET', `/api/v1/cases/${s.id}/plan`);
  assert.equal(g.json.plan.summary, '在社区活动中心开设书屋');
  assert.equal(g.json.may_edit, true);
  assert.equal((await officer.call('GET', `/api/v1/cases/${s.id}/plan`)).json.may_edit, true);
  // the public's: the reached one only, no due dates
  let page = await track(s.code);
  assert.equal(page.plan.progress, 33);
  assert.equal(page.plan.milestones_total, 3);
  assert.deepEqual(page.plan.milestones, [{ title: '确定场地', reached_on: daysFromToday(-1), text: '活动中心二楼已腾出' }]);
  assert.ok(page.events.some((e) => e.action === 'milestone' && e.note === '确定场地: 活动中心二楼已腾出'));
  const one = await anon('GET', `/api/v1/public/suggestions/${s.id}`);
  assert.equal(one.status, 200, one.text);
  assert.equal(one.json.suggestion.progress, 33);
  assert.deepEqual(one.json.plan.milestones.map((m) => m.title), ['确定场地']);
  for (const text of [JSON.stringify(page), one.text, (await anon('GET', '/api/v1/public/suggestions?limit=200')).text]) {
    assert.ok(!text.includes(secret), 'a milestone not reached is not public');
    assert.ok(!text.includes('due_on'), 'no due date is public');
  }
  assert.equal((await anon('GET', '/api/v1/public/suggestions?limit=200')).json.items.find((x) => x.id === s.id).progress, 33);
  // a second reached: one more timeline entry, not two
  const ids = plan.milestones.map((m) => m.id);
  r = await handler2.call('PUT', `/api/v1/cases/${s.id}/plan`, {
    summary: '在社区活动中心开设书屋',
    milestones: [
      { id: ids[0], title: '确定场地', due_on: daysFromToday(-5), reached_on: daysFromToday(-1), text: '活动中心二楼已腾出' },
      { id: ids[1], title: '采购书架和图书', due_on: daysFromToday(20), reached_on: today(), text: '已购书架6组、图书800册' },
      { id: ids[2], title: secret, due_on: daysFromToday(40) },
    ],
  }, { 'If-Match': etag });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.plan.progress, 66);
  page = await track(s.code);
  assert.equal(page.events.filter((e) => e.action === 'milestone').length, 2);
  assert.deepEqual(page.plan.milestones.map((m) => m.title), ['确定场地', '采购书架和图书']);
  // a stale If-Match loses
  r = await handler2.call('PUT', `/api/v1/cases/${s.id}/plan`, { milestones: [] }, { 'If-Match': etag });
  assert.equal(r.status, 412, r.text);
  // what the public has read is not taken back
  r = await handler2.call('PUT', `/api/v1/cases/${s.id}/plan`, { milestones: [{ id: ids[1], title: '采购', due_on: today(), reached_on: today() }] });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'milestone_reached');
  r = await handler2.call('PUT', `/api/v1/cases/${s.id}/plan`, {
    milestones: [{ id: ids[0], title: '确定场地', due_on: today() }, { id: ids[1], title: '采购', due_on: today(), reached_on: today() }],
  });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'milestone_reached');
  assert.equal(r.json.error.field, 'milestones[0].reached_on');
  r = await handler2.call('PUT', `/api/v1/cases/${s.id}/plan`, {
    milestones: [{ id: ids[0], title: 'a', due_on: today(), reached_on: today() }, { id: ids[0], title: 'b', due_on: today() },
      { id: ids[1], title: 'c', due_on: today(), reached_on: today() }],
  });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'unknown_milestone');
  g = await handler2.call('GET', `/api/v1/cases/${s.id}/plan`);
  assert.equal(g.json.plan.milestones.length, 3, 'the refusals wrote nothing');
  assert.equal(g.json.plan.progress, 66);
  // an unreached one may go
  r = await handler2.call('PUT', `/api/v1/cases/${s.id}/plan`, {
    summary: '在社区活动中心开设书屋',
    milestones: [g.json.plan.milestones[0], g.json.plan.milestones[1]].map(({ id, title, due_on, reached_on, text }) => ({ id, title, due_on, reached_on, text })),
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.plan.progress, 100);
  // implemented: 100 and closed, no more changes
  await walk(s.id, [[handler2, 'implementing'], [handler2, 'implemented', '书屋已开放']]);
  // closed after the submitter's callback
  assert.equal((await anon('POST', `/api/v1/public/cases/${s.code}/rating`, { rating: 5 })).status, 200);
  await walk(s.id, [[handler2, 'closed']]);
  assert.equal((await track(s.code)).plan.progress, 100);
  r = await handler2.call('PUT', `/api/v1/cases/${s.id}/plan`, { milestones: [] });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'plan_needs_adoption');
  // the audit keeps who wrote it
  assert.ok(Number(sql(`SELECT count(*) FROM audit WHERE action = 'plan' AND entity_id = ${s.id}`)) >= 3);
  // a suggestion that is not public opens nowhere by id; neither does a complaint
  const k = await submit({ kind: 'complaint' });
  assert.equal((await anon('GET', `/api/v1/public/suggestions/${k.id}`)).status, 404);
  assert.equal((await anon('GET', '/api/v1/public/suggestions/99999999')).status, 404);
});

test('the public list of suggestions: newest first, its figures, and the suggestion a merged one joined', async () => {
  const list = async (q = '') => {
    const r = await anon('GET', `/api/v1/public/suggestions?limit=200${q}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  let all = await list();
  const dates = all.items.map((s) => s.created_at);
  assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first, by the date made');
  const demoIds = all.items.map((s) => s.id);
  assert.notDeepEqual(demoIds, [...demoIds].sort((a, b) => b - a), 'the demo\'s dates do not follow its ids');
  assert.equal(all.figures.received, all.items.length);
  assert.ok(all.figures.adopted >= all.figures.implemented && all.figures.implemented > 0);
  // paging by date: no gap, no repeat
  const p1 = (await anon('GET', '/api/v1/public/suggestions?limit=4')).json;
  const p2 = (await anon('GET', `/api/v1/public/suggestions?limit=4&after=${p1.next}`)).json;
  assert.deepEqual([...p1.items, ...p2.items].map((s) => s.id), all.items.slice(0, 8).map((s) => s.id));
  // a new one counts as received, adopted, implemented as it goes
  const before = all.figures;
  const s = await submit();
  await walk(s.id, [[officer, 'accepted'], [handler2, 'under_review'], [handler2, 'adopted'], [handler2, 'implementing']]);
  all = await list();
  assert.equal(all.items[0].id, s.id, 'the newest is first');
  assert.deepEqual(all.figures, { received: before.received + 1, adopted: before.adopted + 1, implemented: before.implemented });
  await walk(s.id, [[handler2, 'implemented', '已完成']]);
  assert.equal((await anon('POST', `/api/v1/public/cases/${s.code}/rating`, { rating: 4 })).status, 200);
  await walk(s.id, [[handler2, 'closed']]);
  assert.deepEqual((await list()).figures, { received: before.received + 1, adopted: before.adopted + 1, implemented: before.implemented + 1 });
  // the figures follow the filters
  const street = (await list(`&street=${encodeURIComponent('九里亭街道')}`));
  assert.equal(street.figures.received, street.items.length);
  assert.ok(street.figures.received < (await list()).figures.received);
  // a merged suggestion links to the one it joined
  const a = await submit({ text: `建议在小区增设快递柜 ${uniq()}` });
  const b = await submit({ text: `小区需要快递柜 ${uniq()}` });
  let r = await officer.call('POST', `/api/v1/cases/${b.id}/merge`, { into: a.id, note: '同一诉求' });
  assert.equal(r.status, 200, r.text);
  all = await list();
  const mb = all.items.find((x) => x.id === b.id);
  assert.equal(mb.state, 'closed');
  assert.deepEqual(mb.joined, { id: a.id, state: 'submitted' });
  assert.equal(all.items.find((x) => x.id === a.id).joined, null);
  r = await anon('GET', `/api/v1/public/suggestions/${b.id}`);
  assert.deepEqual(r.json.suggestion.joined, { id: a.id, state: 'submitted' });
  // joined to a case the public does not see: no link
  const problem = (await officer.call('POST', '/api/v1/cases', { kind: 'problem', category: 'community', text: `内部问题 ${uniq()}` })).json.case;
  const c = await submit();
  assert.equal((await officer.call('POST', `/api/v1/cases/${c.id}/merge`, { into: problem.id })).status, 200);
  assert.equal((await list()).items.find((x) => x.id === c.id).joined, null);
});

test('internal notes never reach the tracking page, the public lists, Open311 or notifications; public ones do', async () => {
  // a webhook, so that every change writes its notification
  const hook = await admin.call('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook' });
  assert.equal(hook.status, 201, hook.text);
  const s = await submit();
  const internal = `内部：需协调物业 ${uniq()}`;
  const reply = `内部答复：待街道审批 ${uniq()}`;
  const shown = `已受理，将于两周内答复 ${uniq()}`;
  let r = await move(officer, s.id, 'accepted', internal, { public: false });
  assert.equal(r.status, 200, r.text);
  r = await move(officer, s.id, 'assigned', shown, { public: true });
  assert.equal(r.status, 200, r.text);
  r = await handler2.call('POST', `/api/v1/cases/${s.id}/reply`, { reply, public: false });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.reply, '', 'an internal reply is not the case\'s reply');
  // the staff read both, each saying which it is
  const g = await getCase(handler2, s.id);
  const ev = (text) => g.events.find((e) => e.note === text);
  assert.equal(ev(internal).public, false);
  assert.equal(ev(internal).action, 'note');
  assert.equal(ev(reply).public, false);
  assert.equal(ev(shown).public, true);
  assert.ok(g.events.some((e) => e.action === 'transition' && e.to === 'accepted' && e.public && e.note === ''),
    'the step itself stays public, without the words');
  // nowhere public
  const o311 = await anon('GET', `/open311/v2/requests/${s.id}.json`);
  assert.equal(o311.status, 200, o311.text);
  const o311x = await anon('GET', `/open311/v2/requests/${s.id}.json?extensions=true`);
  const o311list = await anon('GET', '/open311/v2/requests.json?service_code=community');
  const page = await anon('GET', `/api/v1/public/cases/${s.code}`);
  for (const [where, text] of [['tracking page', page.text], ['Open311 request', o311.text], ['Open311 notes', o311x.text],
    ['Open311 list', o311list.text], ['public list', (await anon('GET', '/api/v1/public/suggestions?limit=200')).text],
    ['public suggestion', (await anon('GET', `/api/v1/public/suggestions/${s.id}`)).text],
    ['similar', (await anon('GET', `/api/v1/public/similar?text=${encodeURIComponent('社区书屋')}`)).text]]) {
    assert.ok(!text.includes(internal) && !text.includes(reply), `${where} shows an internal note`);
  }
  assert.ok(page.text.includes(shown), 'a public note is on the tracking page');
  assert.ok(o311x.text.includes(shown), 'and in Open311\'s notes');
  assert.ok(!o311.json[0].status_notes.includes(reply));
  // a public reply is the status note
  r = await handler2.call('POST', `/api/v1/cases/${s.id}/reply`, { reply: '书屋选址已确定' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await anon('GET', `/open311/v2/requests/${s.id}.json`)).json[0].status_notes, 'assigned: 书屋选址已确定');
  // the notifications carry the public words only
  const payloads = sql(`SELECT payload FROM outbox WHERE case_id = ${s.id}`);
  assert.ok(payloads.includes(shown), 'a public note is notified');
  assert.ok(!payloads.includes(internal) && !payloads.includes(reply), 'an internal note is not');
  // a reason owed to the submitter is public
  r = await move(officer, s.id, 'rejected', '超出职责范围', { public: false });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'note_must_be_public');
  assert.equal(r.json.error.field, 'public');
  r = await move(officer, s.id, 'in_progress', 'x', { public: 'no' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'wrong_type');
  assert.equal((await getCase(officer, s.id)).case.state, 'assigned', 'nothing moved');
  // unsaid, a note is public, as it always was
  r = await move(handler2, s.id, 'in_progress', `已联系物业 ${n}`);
  assert.ok((await track(s.code)).events.some((e) => e.note === `已联系物业 ${n}`));
  assert.equal((await admin.call('DELETE', `/api/v1/webhooks/${hook.json.id}`)).status, 204);
});

test('reply templates: kept by the department and officers, placeholders checked and filled', async () => {
  const deps = (await officer.call('GET', '/api/v1/departments')).json.items;
  const community = deps.find((d) => d.name === '社区管理办');
  const park = deps.find((d) => d.name === '经济园区');
  const path = `/api/v1/departments/${community.id}/reply-templates`;
  const body = { title: '已受理', body: '您反映的第{id}号“{category}”诉求已由{department}受理（{date}）。' };
  let r = await handler2.call('POST', path, body);
  assert.equal(r.status, 201, r.text);
  const tpl = r.json;
  assert.equal(r.headers.get('location'), `/api/v1/reply-templates/${tpl.id}`);
  assert.equal(tpl.version, 1);
  // who keeps them
  assert.equal((await handler.call('POST', path, body)).status, 403);
  assert.equal((await handler.call('GET', path)).status, 403);
  assert.equal((await grid.call('GET', path)).status, 403);
  assert.equal((await secretary.call('POST', path, body)).status, 403);
  assert.equal((await qifan.call('GET', path)).status, 403);
  assert.equal((await anon('GET', path)).status, 401);
  assert.equal((await officer.call('GET', path)).status, 200);
  assert.equal((await officer.call('GET', '/api/v1/departments/99999/reply-templates')).status, 404);
  r = await officer.call('POST', `/api/v1/departments/${park.id}/reply-templates`, { title: '园区', body: '已转园区办理。' });
  assert.equal(r.status, 201, r.text);
  // bad ones
  for (const [b, field, code] of [
    [{ title: 'x', body: '尊敬的{name}：' }, 'body', 'unknown_placeholder'],
    [{ body: 'x' }, 'title', 'required'],
    [{ title: 'x' }, 'body', 'required'],
    [{ title: 'x', body: 'y', lang: 'zh' }, 'lang', 'unknown_field'],
  ]) {
    r = await handler2.call('POST', path, b);
    assert.equal(r.status, 422, r.text);
    assert.ok(fieldsOf(r).includes(field), r.text);
    assert.ok([r.json.error.code, ...(r.json.error.errors || []).map((e) => e.code)].includes(code), r.text);
  }
  assert.match(r.json.error.message || '', /./);
  // the list, filled for a case
  const s = await submit();
  r = await handler2.call('GET', `${path}?case_id=${s.id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.count, 1);
  assert.equal(r.json.templates[0].text, `您反映的第${s.id}号“社区服务与设施”诉求已由社区管理办受理（${today()}）。`);
  assert.equal((await handler.call('GET', `/api/v1/departments/${park.id}/reply-templates?case_id=${s.id}`)).status, 404,
    'a case the caller cannot read is unknown');
  // changed, under its version
  r = await handler2.call('PUT', `/api/v1/reply-templates/${tpl.id}`, { title: '已受理（新）' }, { 'If-Match': '"v9"' });
  assert.equal(r.status, 412, r.text);
  r = await handler2.call('PUT', `/api/v1/reply-templates/${tpl.id}`, { title: '已受理（新）' }, { 'If-Match': '"v1"' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 2);
  assert.equal(r.json.body, body.body);
  assert.equal((await handler.call('PUT', `/api/v1/reply-templates/${tpl.id}`, { title: 'x' })).status, 403);
  r = await handler2.call('PUT', `/api/v1/reply-templates/${tpl.id}`, { body: '{phone}' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'unknown_placeholder');
  // deleted
  r = await handler2.call('POST', path, { title: '临时', body: '临时答复' });
  assert.equal((await handler.call('DELETE', `/api/v1/reply-templates/${r.json.id}`)).status, 403);
  assert.equal((await handler2.call('DELETE', `/api/v1/reply-templates/${r.json.id}`)).status, 204);
  assert.equal((await handler2.call('DELETE', `/api/v1/reply-templates/${r.json.id}`)).status, 404);
  assert.equal((await handler2.call('PUT', `/api/v1/reply-templates/${r.json.id}`, { title: 'x' })).status, 404);
});

test('a bulk reply: every case\'s rules checked, all or nothing, refusals named by place', async () => {
  const deps = (await officer.call('GET', '/api/v1/departments')).json.items;
  const community = deps.find((d) => d.name === '社区管理办');
  const tpl = (await handler2.call('POST', `/api/v1/departments/${community.id}/reply-templates`,
    { title: '已办结', body: '第{id}号诉求已办结，感谢您的反映。' })).json;
  const ks = [];
  for (let i = 0; i < 3; i++) {
    const k = await submit({ kind: 'complaint', category: 'environment', text: `垃圾房异味 ${uniq()}` });
    await walk(k.id, TO.in_progress);
    ks.push(k);
  }
  const parkCase = (await officer.call('POST', '/api/v1/cases', { kind: 'problem', category: 'land', text: `厂房 ${uniq()}`, enterprise_id: 1 })).json.case;
  const state = async (id) => (await getCase(officer, id)).case;
  const bulk = (client, b) => client.call('POST', '/api/v1/cases/bulk-reply', b);
  // refusals: nothing is written
  for (const [client, b, status, code, field] of [
    [handler2, { case_ids: [ks[0].id, parkCase.id], reply: '已处理' }, 422, 'unknown_case', 'case_ids[1]'],
    [officer, { case_ids: [ks[0].id, parkCase.id], template_id: tpl.id }, 422, 'template_other_department', 'case_ids[1]'],
    [handler2, { case_ids: [ks[0].id, ks[0].id], reply: 'x' }, 422, 'duplicate_case', 'case_ids[1]'],
    [handler2, { case_ids: [], reply: 'x' }, 422, 'required', 'case_ids'],
    [handler2, { case_ids: Array.from({ length: 101 }, (_, i) => i + 1), reply: 'x' }, 422, 'too_many', 'case_ids'],
    [handler2, { case_ids: [ks[0].id] }, 422, 'required', 'reply'],
    [handler2, { case_ids: [ks[0].id], reply: 'x', template_id: tpl.id }, 422, 'conflicting_fields', 'template_id'],
    [handler2, { case_ids: [ks[0].id], template_id: 999999 }, 422, 'unknown_template', 'template_id'],
    [handler, { case_ids: [parkCase.id], template_id: tpl.id }, 403, 'forbidden', undefined],
    [handler2, { case_ids: [ks[0].id, ks[1].id], reply: 'x', to: 'closed' }, 409, 'illegal_transition', 'case_ids[0]'],
    [handler2, { case_ids: [ks[0].id], reply: 'x', to: 'rejected', public: false }, 422, 'note_must_be_public', 'public'],
    [handler2, { case_ids: [ks[0].id], reply: 'x', to: 'reopened' }, 422, 'use_reopen', 'to'],
    [handler2, { case_ids: [ks[0].id], reply: 'x', to: 'nowhere' }, 422, 'invalid_state', 'to'],
  ]) {
    const r = await bulk(client, b);
    assert.equal(r.status, status, `${code}: ${r.text}`);
    assert.equal(r.json.error.code, code, r.text);
    if (field) assert.ok(fieldsOf(r).includes(field), `${field}: ${r.text}`);
  }
  // both refusals of a list are named
  let r = await bulk(handler2, { case_ids: [parkCase.id, ks[0].id, 99999999], reply: 'x' });
  assert.equal(r.status, 422);
  assert.deepEqual(fieldsOf(r).slice(1).sort(), ['case_ids[0]', 'case_ids[2]'], r.text);
  for (const k of ks) {
    const c = await state(k.id);
    assert.equal(c.state, 'in_progress');
    assert.equal(c.reply, '', 'nothing written');
  }
  // a merged case is refused too
  const m = await submit({ kind: 'complaint', category: 'environment' });
  await officer.call('POST', `/api/v1/cases/${m.id}/merge`, { into: ks[2].id });
  r = await bulk(handler2, { case_ids: [ks[0].id, m.id], reply: 'x' });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'merged');
  // the template, filled for each, and the move
  r = await bulk(handler2, { case_ids: [ks[0].id, ks[1].id], template_id: tpl.id, to: 'resolved' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.count, 2);
  for (const k of [ks[0], ks[1]]) {
    const c = await state(k.id);
    assert.equal(c.state, 'resolved');
    assert.equal(c.reply, `第${k.id}号诉求已办结，感谢您的反映。`);
    assert.ok((await track(k.code)).events.some((e) => e.to === 'resolved' && e.note === c.reply));
  }
  // an internal bulk note: the staff's only
  r = await bulk(officer, { case_ids: [ks[2].id], reply: '内部：请下周复查', public: false });
  assert.equal(r.status, 200, r.text);
  assert.equal((await state(ks[2].id)).reply, '');
  assert.ok(!(await anon('GET', `/api/v1/public/cases/${ks[2].code}`)).text.includes('请下周复查'));
  assert.ok((await getCase(handler2, ks[2].id)).events.some((e) => e.action === 'note' && !e.public && e.note === '内部：请下周复查'));
  assert.equal((await anon('POST', '/api/v1/cases/bulk-reply', { case_ids: [1], reply: 'x' })).status, 401);
});

test('staff intake in every channel keeps the caller apart and masked; an enterprise\'s own case is its own', async () => {
  const points = (await officer.call('GET', '/api/v1/collection-points')).json.items;
  const salon = points.find((p) => p.type === 'salon');
  const mailbox = points.find((p) => p.type === 'mailbox');
  const cases = [];
  for (const [fields, channel] of [
    [{ channel: 'hotline' }, 'hotline'],
    [{ channel: 'mailbox' }, 'mailbox'],
    [{ point_id: mailbox.id }, 'mailbox'],
    [{ channel: 'street_reception' }, 'street_reception'],
    [{ channel: 'residential' }, 'residential'],
    [{ point_id: salon.id }, 'event'],
    [{ channel: 'event' }, 'event'],
  ]) {
    const r = await officer.call('POST', '/api/v1/cases', {
      kind: 'complaint', category: 'environment', text: `来电反映垃圾清运不及时 ${uniq()}`,
      name: '赵小明', phone: '13912345678', email: 'zxm@example.cn', ...fields,
    });
    assert.equal(r.status, 201, `${channel}: ${r.text}`);
    assert.equal(r.json.case.channel, channel);
    assert.ok(!r.text.includes('13912345678') && !r.text.includes('赵小明') && !r.text.includes('zxm@'), 'not in the answer');
    cases.push(r.json.case.id);
  }
  for (const id of cases) {
    const masked = (await getCase(officer, id)).case.person;
    assert.deepEqual(masked, { name: '赵**', phone: '139****5678', email: '***@example.cn', masked: true });
    const clear = (await getCase(handler2, id)).case.person;
    assert.deepEqual(clear, { name: '赵小明', phone: '13912345678', email: 'zxm@example.cn', masked: false });
  }
  // kept apart: in the people's table, not the case's
  assert.equal(Number(sql(`SELECT count(*) FROM cases WHERE id = ${cases[0]} AND text LIKE '%13912345678%'`)), 0);
  assert.equal(sql(`SELECT phone FROM case_people WHERE case_id = ${cases[0]}`).trim(), '13912345678');
  // a bad channel is named
  let r = await officer.call('POST', '/api/v1/cases', { kind: 'complaint', category: 'environment', text: 'x', channel: 'fax' });
  assert.equal(r.status, 422);
  assert.ok(fieldsOf(r).includes('channel'));
  r = await officer.call('POST', '/api/v1/cases', { kind: 'complaint', category: 'environment', text: 'x', channel: 'hotline', phone: '12' });
  assert.equal(r.status, 422);
  assert.ok(fieldsOf(r).includes('phone'));
  // a handler enters nothing
  assert.equal((await handler2.call('POST', '/api/v1/cases', { kind: 'complaint', category: 'environment', text: 'x', channel: 'hotline' })).status, 403);
  // an enterprise's own problem is the enterprise's, not "entered by staff"
  r = await qifan.call('POST', '/api/v1/cases', { kind: 'problem', category: 'finance', text: `贴息政策咨询 ${uniq()}` });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.case.channel, 'enterprise');
  r = await qifan.call('POST', '/api/v1/cases', { kind: 'problem', category: 'finance', text: `冒充 ${uniq()}`, channel: 'hotline' });
  assert.equal(r.json.case.channel, 'enterprise', 'an enterprise does not pose as a channel');
  // the demo's own ones too
  const own = (await qifan.call('GET', '/api/v1/cases?limit=200')).json.items.filter((c) => c.enterprise && c.enterprise.id === 1);
  assert.ok(!own.some((c) => c.channel === 'console' && c.kind === 'service_request'), 'its service requests are its own');
});

test('a visit problem\'s category must be a known one', async () => {
  const g = (await officer.call('GET', '/api/v1/grids')).json.items;
  let target = null;
  for (const cell of g) {
    const full = (await officer.call('GET', `/api/v1/grids/${cell.id}`)).json;
    if (full.members.includes(grid.user.id) && full.enterprises.length) { target = full.enterprises[0]; break; }
  }
  assert.ok(target);
  const count = async () => (await grid.call('GET', `/api/v1/enterprises/${target.id}/visits`)).json.items.length;
  const before = await count();
  let r = await grid.call('POST', '/api/v1/visits', {
    enterprise_id: target.id, status: 'done',
    problems: [{ category: 'labour', text: '招工难' }, { category: 'other', text: '其他' }, { category: '用地', text: '用地' }],
  });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'unknown_category');
  assert.deepEqual(fieldsOf(r).slice(1), ['problems[1].category', 'problems[2].category']);
  assert.equal(await count(), before, 'nothing written');
  r = await grid.call('POST', '/api/v1/visits', {
    enterprise_id: target.id, status: 'done', problems: [{ category: 'labour', text: `招工难 ${uniq()}` }, { text: `其他诉求 ${uniq()}` }],
  });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.problems.map((p) => p.category), ['labour', '']);
  const other = (await getCase(officer, r.json.problems[1].case_id)).case;
  assert.equal(other.category.code, 'enterprise_other');
});
