// The case pipeline against real servers: intake from the console, the
// public form and grid visits; routing, inboxes, the lifecycle, dispatch,
// duplicates and merging, privacy, public tracking, ratings and reopening,
// webhooks through the outbox, erasure, escalation, photos and statistics.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { start, login, ON_PG, dbQuery } from '../lib/server.mjs';
import { psql } from '../lib/pg.mjs';

// The main server: small limits, so that oversized bodies are cheap to send.
const startedAt = Date.now();
const MAX_BODY = 65536;
const PHOTO_MAX = 4096;
// Intakes come fast and from one address here: the public limit is off.
const srv = await start({ args: ['--max-body', String(MAX_BODY), '--photo-max', String(PHOTO_MAX), '--intake-per-ip', '0'] });
// The maintenance server: rounds every second, personal data erased at closing.
const msrv = await start({ args: ['--maintenance-seconds', '1', '--erase-days', '0', '--webhook-timeout', '2', '--intake-per-ip', '0'] });
let receiver = null;
test.after(async () => {
  await srv.stop();
  await msrv.stop();
  if (receiver) await new Promise((r) => receiver.close(r));
});

const officer = await login(srv.url, 'officer');
const admin = await login(srv.url, 'admin');
const secretary = await login(srv.url, 'secretary');
const grid = await login(srv.url, 'grid');
const handler = await login(srv.url, 'handler'); // 经济园区
const handler2 = await login(srv.url, 'handler2'); // 社区管理办
const qifan = await login(srv.url, 'qifan'); // enterprise 1

const categories = (await officer.call('GET', '/api/v1/case-categories')).json.items;
const category = (code) => categories.find((c) => c.code === code);

// A request without a session, as a resident's browser sends it.
async function anon(base, method, path, body, headers = {}) {
  const h = { ...headers };
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    if (!('Content-Type' in h)) h['Content-Type'] = 'application/json';
  }
  const res = await fetch(`${base}${path}`, { method, headers: h, body: payload });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, json, text };
}

// A signed-in request with a raw body (photos), answered as bytes.
async function rawCall(client, base, method, path, body, headers = {}) {
  const h = { Cookie: client.cookie, ...headers };
  if (method !== 'GET') h['X-CSRF-Token'] = client.csrf;
  const res = await fetch(`${base}${path}`, { method, headers: h, body });
  const bytes = Buffer.from(await res.arrayBuffer());
  let json = null;
  try { json = JSON.parse(bytes.toString('utf8')); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, bytes, json };
}

// Every field an error names: the first and the list.
const fieldsOf = (r) => [r.json?.error?.field, ...(r.json?.error?.errors || []).map((x) => x.field)];
const allCases = async (client = officer) => (await client.call('GET', '/api/v1/cases?limit=500')).json.items;
const caseCount = async () => (await officer.call('GET', '/api/v1/cases?limit=500')).json.count;
const getCase = async (client, id) => client.call('GET', `/api/v1/cases/${id}`);
const move = (client, id, to, note) => client.call('POST', `/api/v1/cases/${id}/transition`, note === undefined ? { to } : { to, note });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, fn, ms = 8000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

let seq = 0;
const uniq = () => `${process.pid}-${Date.now()}-${++seq}`;

// A resident's submission through the public form.
async function submit(base, fields, headers) {
  const r = await anon(base, 'POST', '/api/v1/public/cases',
    { kind: 'suggestion', category: 'community', text: `建议增设社区阅览室 ${uniq()}`, ...fields }, headers);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// Officer intake from the console.
async function enter(client, fields) {
  const r = await client.call('POST', '/api/v1/cases',
    { kind: 'problem', category: 'land', text: `扩产用地需求 ${uniq()}`, ...fields });
  assert.equal(r.status, 201, r.text);
  return r.json.case;
}

// Takes a case through the given states, each by the given client.
async function walk(id, steps) {
  for (const [client, to, note] of steps) {
    const r = await move(client, id, to, note);
    assert.equal(r.status, 200, `${to}: ${r.text}`);
  }
}

// Tracking codes: base 31, the weighted sum (weights 3^(9-i)) is 0 mod 31.
const ALPHA = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const codeSum = (s) => [...s].reduce((a, c) => (a * 3 + ALPHA.indexOf(c)) % 31, 0);
const withCheck = (nine) => nine + ALPHA[(31 - (codeSum(nine) * 3) % 31) % 31];

const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

// Backdates a case's resolution in the database: the only way to test a
// reopening period measured in days without waiting for them.
// The instant is written as the store writes one, on either backend.
function backdateResolution(db, id, days) {
  const at = new Date(Date.now() - days * 86400e3).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const q = `UPDATE cases SET resolved_at = '${at}' WHERE id = ${Number(id)}`;
  dbQuery(db, q);
}

// ---------------------------------------------------------------------

test('console intake routes a case to its category\'s department with its deadline; an enterprise raises only its own problems', async () => {
  const before = await caseCount();
  for (const code of ['land', 'safety', 'environment']) {
    const cat = category(code);
    const r = await officer.call('POST', '/api/v1/cases', {
      kind: code === 'land' ? 'problem' : 'complaint', category: code, text: `路由测试 ${code} ${uniq()}`,
      ...(code === 'land' ? { enterprise_id: 5 } : {}),
    });
    assert.equal(r.status, 201, r.text);
    const c = r.json.case;
    assert.equal(r.headers.get('location'), `/api/v1/cases/${c.id}`);
    assert.equal(c.state, 'submitted');
    assert.equal(c.channel, 'console');
    assert.equal(c.category.code, code);
    assert.equal(c.department.id, cat.department.id, code);
    assert.equal(c.department.name, cat.department.name, code);
    // The resolution's limit is the category's by urgency and step: in
    // plain hours its deadline_hours, else working days of the calendar.
    const lim = c.steps.resolution.limit;
    assert.equal(c.steps.resolution.due, c.deadline, code);
    if (lim.unit === 'hours') assert.equal(Date.parse(c.deadline) - Date.parse(c.created_at), lim.amount * 3600 * 1000, code);
    // N working days end at the close of the Nth working day after the
    // intake's: more than N-1 calendar days on, whatever the weekday.
    else {
      const span = Date.parse(c.deadline) - Date.parse(c.created_at);
      assert.ok(span > 86400e3 * (lim.amount - 1) && span < 86400e3 * (lim.amount + 14), code);
    }
    if (code === 'safety') assert.equal(lim.amount, cat.deadline_hours);
    assert.match(r.json.tracking_code, /^[2-9A-HJKMNP-Z]{10}$/);
    assert.equal(codeSum(r.json.tracking_code), 0, 'the tracking code carries its check');
    const ev = (await getCase(officer, c.id)).json.events;
    assert.equal(ev[0].action, 'intake');
    assert.equal(ev[0].actor, 'officer');
  }
  // by id as well as by code
  const byId = await officer.call('POST', '/api/v1/cases', { kind: 'problem', category_id: category('utilities').id, text: `按编号 ${uniq()}` });
  assert.equal(byId.status, 201, byId.text);
  assert.equal(byId.json.case.department.name, category('utilities').department.name);

  // the enterprise contact: its own problems only
  const own = await qifan.call('POST', '/api/v1/cases', { kind: 'problem', category: 'finance', text: `希望了解贴息政策 ${uniq()}` });
  assert.equal(own.status, 201, own.text);
  assert.equal(own.json.case.enterprise.id, 1, 'the enterprise is forced to its own');
  assert.equal(own.json.case.department.name, category('finance').department.name);
  assert.equal(own.json.case.public, false, 'an enterprise\'s problem is not public');
  const other = await qifan.call('POST', '/api/v1/cases', { kind: 'problem', category: 'finance', text: `冒名 ${uniq()}`, enterprise_id: 2 });
  assert.equal(other.status, 403, other.text);
  const sugg = await qifan.call('POST', '/api/v1/cases', { kind: 'suggestion', category: 'community', text: `建议 ${uniq()}` });
  assert.equal(sugg.status, 403, sugg.text);
  // a handler handles, but does not enter
  const h = await handler.call('POST', '/api/v1/cases', { kind: 'problem', category: 'land', text: `处理人录入 ${uniq()}` });
  assert.equal(h.status, 403, h.text);
  assert.equal(h.json.error.code, 'forbidden');
  // a field naming nothing is the sender's mistake, named
  for (const [field, extra] of [['enterprise_id', { enterprise_id: 999999 }], ['point_id', { point_id: 999999 }],
    ['category', { category: 'no_such' }], ['category_id', { category: undefined, category_id: 'x' }]]) {
    const bad = await officer.call('POST', '/api/v1/cases', { kind: 'problem', category: 'land', text: `无效引用 ${uniq()}`, ...extra });
    assert.equal(bad.status, 422, `${field}: ${bad.text}`);
    assert.ok(fieldsOf(bad).includes(field), `${field}: ${bad.text}`);
  }
  assert.equal(await caseCount(), before + 5, 'the refused ones wrote nothing');
});

// An intake is answered from what it wrote, not from a read of it: every
// field of the answer must be the case as a read gives it afterwards.
function sameAsStored(answer, stored, what) {
  assert.ok(Object.keys(answer).length > 10, `${what}: the answer has its fields`);
  for (const [k, v] of Object.entries(answer)) assert.deepEqual(v, stored[k], `${what}: ${k}`);
}

test('an intake\'s answer is the case as stored: names of category, department, point and enterprise, steps, jurisdiction', async () => {
  const points = (await officer.call('GET', '/api/v1/collection-points')).json.items.filter((p) => p.active);
  assert.ok(points.length > 0);
  const ent = await officer.call('POST', '/api/v1/cases', { kind: 'problem', category: 'land', text: `原样回答 ${uniq()}`, enterprise_id: 5, urgency: 'urgent' });
  assert.equal(ent.status, 201, ent.text);
  assert.ok(ent.json.case.enterprise.name, 'the enterprise is named');
  sameAsStored(ent.json.case, (await getCase(officer, ent.json.case.id)).json.case, 'console, an enterprise\'s');
  const pt = await officer.call('POST', '/api/v1/cases', { kind: 'suggestion', category: 'community', text: `原样回答 ${uniq()}`, point_id: points[0].id, lon: 121.23, lat: 31.05 });
  assert.equal(pt.status, 201, pt.text);
  assert.equal(pt.json.case.point.name, points[0].name_zh ?? points[0].name);
  sameAsStored(pt.json.case, (await getCase(officer, pt.json.case.id)).json.case, 'console, at a point');
  const pub = await submit(srv.url, { name: '王五', phone: '139 0000 2222' });
  sameAsStored(pub.case, (await anon(srv.url, 'GET', `/api/v1/public/cases/${pub.tracking_code}`)).json.case, 'public');
});

test('the public form takes a resident\'s case without a login; every refusal names the field and writes nothing', async () => {
  const r = await anon(srv.url, 'POST', '/api/v1/public/cases', {
    kind: 'complaint', category: 'environment', text: `垃圾桶满了没人清运 ${uniq()}`, street: '九里亭街道',
    name: '李四', phone: '139 0000 1111', email: 'lisi@example.cn',
  });
  assert.equal(r.status, 201, r.text);
  const code = r.json.tracking_code;
  assert.match(code, /^[2-9A-HJKMNP-Z]{10}$/);
  assert.equal(r.headers.get('location'), `/api/v1/public/cases/${code}`);
  assert.equal(r.json.case.channel, 'web');
  assert.equal(r.json.case.department.name, category('environment').department.name);
  assert.equal(r.json.case.person, undefined, 'no person in the public answer');
  assert.ok(!r.text.includes('1111') && !r.text.includes('李四') && !r.text.includes('lisi'), r.text);
  const tracked = await anon(srv.url, 'GET', r.headers.get('location'));
  assert.equal(tracked.status, 200, tracked.text);
  assert.equal(tracked.json.tracking_code, code);

  const before = await caseCount();
  const good = { kind: 'suggestion', category: 'community', text: '建议在小区门口增设公交站' };
  const refusals = [
    ['wrong type of text', { ...good, text: 42 }, 422, 'text'],
    ['wrong type of lon', { ...good, lon: '121.3', lat: 31.1 }, 422, 'lon'],
    ['lon without lat', { ...good, lon: 121.3 }, 422, 'lat'],
    ['missing text', { kind: 'suggestion', category: 'community' }, 422, 'text'],
    ['blank text', { ...good, text: '   ' }, 422, 'text'],
    ['unknown category', { ...good, category: 'no_such_category' }, 422, 'category'],
    ['a problem', { ...good, kind: 'problem' }, 422, 'kind'],
    ['unknown kind', { ...good, kind: 'wish' }, 422, 'kind'],
    ['bad phone', { ...good, phone: '1381234abcd' }, 422, 'phone'],
    ['bad e-mail', { ...good, email: 'not-an-address' }, 422, 'email'],
    ['unknown field', { ...good, colour: 'red' }, 422, 'colour'],
    ['an enterprise', { ...good, enterprise_id: 1 }, 422, 'enterprise_id'],
  ];
  for (const [name, body, status, field] of refusals) {
    const x = await anon(srv.url, 'POST', '/api/v1/public/cases', body);
    assert.equal(x.status, status, `${name}: ${x.text}`);
    assert.ok(fieldsOf(x).includes(field), `${name} names ${field}: ${x.text}`);
  }
  // several mistakes at once are all named
  const many = await anon(srv.url, 'POST', '/api/v1/public/cases', { kind: 'problem', text: '', phone: 'x', colour: 1 });
  assert.equal(many.status, 422);
  for (const f of ['kind', 'text', 'phone', 'colour']) assert.ok(fieldsOf(many).includes(f), `${f}: ${many.text}`);

  // malformed JSON: where it broke
  const bad = await anon(srv.url, 'POST', '/api/v1/public/cases', '{"kind": "suggestion",\n "text": }');
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.error.code, 'malformed_json');
  assert.equal(bad.json.error.line, 2);
  assert.ok(Number.isInteger(bad.json.error.column) && bad.json.error.column > 0, bad.text);
  assert.match(bad.json.error.message, /line 2, column \d+/);
  // not an object
  assert.equal((await anon(srv.url, 'POST', '/api/v1/public/cases', '[1,2]')).status, 400);
  // huge body
  const huge = await anon(srv.url, 'POST', '/api/v1/public/cases', { ...good, text: '长'.repeat(MAX_BODY) });
  assert.equal(huge.status, 413, huge.text);
  // not JSON
  for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
    const nj = await anon(srv.url, 'POST', '/api/v1/public/cases', 'kind=suggestion&text=x', { 'Content-Type': type });
    assert.equal(nj.status, 415, `${type}: ${nj.text}`);
  }
  assert.equal(await caseCount(), before, 'no refusal wrote a case');
});

test('the same Idempotency-Key twice gives the same case, not a second one', async () => {
  const before = await caseCount();
  const key = `idem-${uniq()}`;
  const body = { kind: 'suggestion', category: 'elderly_care', text: `建议增加助餐点 ${uniq()}` };
  const a = await anon(srv.url, 'POST', '/api/v1/public/cases', body, { 'Idempotency-Key': key });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.replayed, false);
  const b = await anon(srv.url, 'POST', '/api/v1/public/cases', body, { 'Idempotency-Key': key });
  assert.equal(b.status, 200, b.text);
  assert.equal(b.json.replayed, true);
  assert.equal(b.json.tracking_code, a.json.tracking_code);
  assert.equal(b.json.case.id, a.json.case.id);
  // the console too
  const ckey = `idem-${uniq()}`;
  const cbody = { kind: 'problem', category: 'policy', text: `政策兑现咨询 ${uniq()}`, enterprise_id: 3 };
  const c1 = await officer.call('POST', '/api/v1/cases', cbody, { 'Idempotency-Key': ckey });
  const c2 = await officer.call('POST', '/api/v1/cases', cbody, { 'Idempotency-Key': ckey });
  assert.equal(c1.status, 201, c1.text);
  assert.equal(c2.status, 200, c2.text);
  assert.equal(c2.json.replayed, true);
  assert.equal(c2.json.case.id, c1.json.case.id);
  assert.equal(await caseCount(), before + 2);
  // a key is its caller's: the same key from another caller is a new case,
  // and never shows the first caller's (a non-public problem here)
  const c3 = await anon(srv.url, 'POST', '/api/v1/public/cases', body, { 'Idempotency-Key': ckey });
  assert.equal(c3.status, 201, c3.text);
  assert.notEqual(c3.json.case.id, c1.json.case.id);
  assert.equal(await caseCount(), before + 3);
  // a key too long is refused, not truncated
  const long = await anon(srv.url, 'POST', '/api/v1/public/cases', body, { 'Idempotency-Key': 'k'.repeat(200) });
  assert.equal(long.status, 400, long.text);
  assert.equal(await caseCount(), before + 3);
});

test('each role\'s inbox is its scope: officer all, handler its department, enterprise its own, secretary its cluster', async () => {
  const all = await allCases();
  const depts = new Set(all.map((c) => c.department.name));
  assert.ok(depts.size >= 5, `officer sees every department: ${[...depts]}`);

  const overdue = (await officer.call('GET', '/api/v1/cases?overdue=true&limit=500')).json.items;
  assert.ok(overdue.length > 0, 'the demo has overdue cases');
  assert.ok(overdue.every((c) => c.overdue && c.status === 'open'));
  assert.deepEqual(overdue.map((c) => c.id).sort(), all.filter((c) => c.overdue).map((c) => c.id).sort());

  const mine = await allCases(handler);
  assert.ok(mine.length > 0);
  assert.ok(mine.every((c) => c.department.name === '经济园区'), 'handler: its department only');
  assert.deepEqual(mine.map((c) => c.id).sort(), all.filter((c) => c.department.name === '经济园区').map((c) => c.id).sort());
  // asking for another department does not widen it: it is refused, naming the filter
  const other = all.find((c) => c.department.name !== '经济园区');
  const asked = await handler.call('GET', `/api/v1/cases?department_id=${other.department.id}&limit=500`);
  assert.equal(asked.status, 403, asked.text);
  assert.equal(asked.json.error.field, 'department_id');
  assert.equal((await getCase(handler, other.id)).status, 404, 'another department\'s case does not exist for a handler');
  assert.equal((await getCase(handler, mine[0].id)).status, 200);
  const mine2 = await allCases(handler2);
  assert.ok(mine2.length > 0 && mine2.every((c) => c.department.name === '社区管理办'));

  const firm = await allCases(qifan);
  assert.ok(firm.length > 0);
  assert.ok(firm.every((c) => c.enterprise?.id === 1), 'qifan: enterprise 1 only');
  assert.deepEqual(firm.map((c) => c.id).sort(), all.filter((c) => c.enterprise?.id === 1).map((c) => c.id).sort());
  const notOurs = all.find((c) => c.enterprise && c.enterprise.id !== 1);
  assert.equal((await getCase(qifan, notOurs.id)).status, 404);
  const resident = all.find((c) => !c.enterprise);
  assert.equal((await getCase(qifan, resident.id)).status, 404);

  // the secretary: the problems of its cluster's enterprises
  const clusterOf = new Map();
  for (const id of new Set(all.filter((c) => c.enterprise).map((c) => c.enterprise.id))) {
    const e = await officer.call('GET', `/api/v1/enterprises/${id}`);
    assert.equal(e.status, 200, e.text);
    clusterOf.set(id, e.json.cluster_id);
  }
  const cluster = await allCases(secretary);
  assert.ok(cluster.length > 0);
  assert.ok(cluster.every((c) => c.enterprise && clusterOf.get(c.enterprise.id) === 1), 'secretary: cluster 1 only');
  assert.deepEqual(cluster.map((c) => c.id).sort(),
    all.filter((c) => c.enterprise && clusterOf.get(c.enterprise.id) === 1).map((c) => c.id).sort());
  const elsewhere = all.find((c) => c.enterprise && clusterOf.get(c.enterprise.id) !== 1);
  assert.equal((await getCase(secretary, elsewhere.id)).status, 404);

  // the public is not let in
  assert.equal((await anon(srv.url, 'GET', '/api/v1/cases')).status, 401);
  assert.equal((await anon(srv.url, 'GET', `/api/v1/cases/${all[0].id}`)).status, 401);
  // filters are checked
  assert.equal((await officer.call('GET', '/api/v1/cases?state=bogus')).status, 400);
});

test('the lifecycle: legal steps only, who may take them, reasons for refusals, every step in the timeline', async () => {
  const c = await enter(officer, { enterprise_id: 7 });
  assert.equal(c.department.name, '经济园区');
  let g = await getCase(officer, c.id);
  assert.deepEqual(g.json.allowed, ['accepted', 'rejected']);
  assert.deepEqual((await getCase(handler, c.id)).json.allowed, [], 'intake is the officer\'s');

  // illegal: named with what is allowed
  let r = await move(officer, c.id, 'resolved');
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'illegal_transition');
  assert.match(r.json.error.message, /allowed: accepted, rejected/);
  // a refusal needs a reason; blanks (and the ideographic space) are none
  for (const note of [undefined, '', '   ', '\u3000\u3000']) {
    r = await move(officer, c.id, 'rejected', note);
    assert.equal(r.status, 422, `${JSON.stringify(note)}: ${r.text}`);
    assert.equal(r.json.error.code, 'reason_required');
  }
  // unknown and reserved targets
  assert.equal((await move(officer, c.id, 'bogus')).status, 422);
  r = await move(officer, c.id, 'reopened', 'x');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'use_reopen');
  // the handler may not accept
  r = await move(handler, c.id, 'accepted');
  assert.equal(r.status, 403, r.text);

  await walk(c.id, [[officer, 'accepted', '受理']]);
  r = await move(officer, c.id, 'under_review');
  assert.equal(r.status, 409, 'the adoption path is for suggestions');
  assert.match(r.json.error.message, /allowed: assigned$/);
  assert.equal((await move(handler, c.id, 'assigned')).status, 403, 'dispatch is the officer\'s');
  await walk(c.id, [[officer, 'assigned', '派至经济园区']]);
  assert.deepEqual((await getCase(handler, c.id)).json.allowed, ['in_progress']);
  // another department's handler cannot even see it
  assert.equal((await move(handler2, c.id, 'in_progress')).status, 404);
  await walk(c.id, [[handler, 'in_progress', '已联系企业'], [handler, 'resolved', '已协调厂房']]);
  g = await getCase(handler, c.id);
  assert.equal(g.json.case.state, 'resolved');
  assert.ok(g.json.case.resolved_at);
  assert.deepEqual(g.json.allowed, ['closed'], 'reopening is the submitter\'s, not a button');
  // closed after its callback
  assert.equal((await officer.call('POST', `/api/v1/cases/${c.id}/rating`, { rating: 5, note: '回访满意' })).status, 200);
  await walk(c.id, [[officer, 'closed', '回访满意']]);
  r = await move(officer, c.id, 'in_progress');
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /allowed: none/);
  g = await getCase(officer, c.id);
  assert.equal(g.json.case.status, 'closed');
  assert.ok(g.json.case.closed_at);
  assert.deepEqual(g.json.allowed, []);
  const moves = g.json.events.filter((e) => e.action === 'transition').map((e) => [e.actor, e.from, e.to, e.note]);
  assert.deepEqual(moves, [
    ['officer', 'submitted', 'accepted', '受理'],
    ['officer', 'accepted', 'assigned', '派至经济园区'],
    ['handler', 'assigned', 'in_progress', '已联系企业'],
    ['handler', 'in_progress', 'resolved', '已协调厂房'],
    ['officer', 'resolved', 'closed', '回访满意'],
  ], 'every step and none of the refused ones');

  // a rejection's reason becomes the answer to the submitter
  const rej = await enter(officer, {});
  await walk(rej.id, [[officer, 'rejected', '非本镇事项，请向区里反映']]);
  g = await getCase(officer, rej.id);
  assert.equal(g.json.case.state, 'rejected');
  assert.equal(g.json.case.reply, '非本镇事项，请向区里反映');

  // suggestions: the adoption path; not adopted needs a reason
  const s = (await submit(srv.url, { category: 'community' })).case;
  await walk(s.id, [[officer, 'accepted'], [handler2, 'under_review']]);
  assert.deepEqual((await getCase(handler2, s.id)).json.allowed, ['adopted', 'not_adopted']);
  r = await move(handler2, s.id, 'not_adopted');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'reason_required');
  await walk(s.id, [[handler2, 'not_adopted', '与规划不符']]);
  g = await getCase(officer, s.id);
  assert.equal(g.json.case.state, 'not_adopted');
  assert.equal(g.json.case.status, 'closed');
  const s2 = (await submit(srv.url, { category: 'community' })).case;
  await walk(s2.id, [[officer, 'accepted'], [handler2, 'under_review'], [handler2, 'adopted'],
    [handler2, 'implementing'], [handler2, 'implemented', '已建成']]);
  assert.equal((await officer.call('POST', `/api/v1/cases/${s2.id}/rating`, { rating: 4 })).status, 200);
  await walk(s2.id, [[handler2, 'closed']]);
  assert.equal((await getCase(officer, s2.id)).json.case.state, 'closed');
  // a complaint does not take the adoption path
  const k = (await submit(srv.url, { kind: 'complaint', category: 'community' })).case;
  await walk(k.id, [[officer, 'accepted']]);
  r = await move(officer, k.id, 'under_review');
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /complaint/);
  // a case's ETag is "v<version>", as every record's; a stale If-Match loses
  g = await getCase(officer, k.id);
  assert.match(g.headers.get('etag'), new RegExp(`^"v${g.json.case.version}(-gz)?"$`));
  assert.ok(g.json.case.version > 1);
  r = await officer.call('POST', `/api/v1/cases/${k.id}/transition`, { to: 'assigned' }, { 'If-Match': '"v1"' });
  assert.equal(r.status, 412, r.text);
  assert.equal(r.json.error.code, 'stale_version');
  assert.match(r.json.error.message, new RegExp(`"v${g.json.case.version}"`));
  // the tag the GET gave is the current one
  r = await officer.call('POST', `/api/v1/cases/${k.id}/transition`, { to: 'assigned', note: '派至社区管理办' },
    { 'If-Match': g.headers.get('etag') });
  assert.equal(r.status, 200, r.text);
});

test('dispatch re-routes by category, extends deadlines with a reason, and is the officer\'s only', async () => {
  const c = await enter(officer, { category: 'land' });
  assert.equal(c.department.name, '经济园区');
  assert.equal((await getCase(handler, c.id)).status, 200);
  let r = await officer.call('POST', `/api/v1/cases/${c.id}/assign`, { category_id: category('environment').id });
  assert.equal(r.status, 422, 'a reason is needed');
  assert.ok(fieldsOf(r).includes('note'));
  r = await officer.call('POST', `/api/v1/cases/${c.id}/assign`, { category_id: category('environment').id, note: '属环境卫生' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.category.code, 'environment');
  assert.equal(r.json.case.department.name, category('environment').department.name);
  assert.equal(r.json.case.department.name, '社区管理办');
  assert.equal((await getCase(handler, c.id)).status, 404, 'the old department lost it');
  assert.equal((await getCase(handler2, c.id)).status, 200, 'the new department has it');
  assert.ok((await allCases(handler2)).some((x) => x.id === c.id));

  // a deadline extension: with a reason, in the one stored form
  const later = new Date(Date.parse(r.json.case.deadline) + 7 * 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  r = await officer.call('POST', `/api/v1/cases/${c.id}/assign`, { deadline: later });
  assert.equal(r.status, 422);
  assert.ok(fieldsOf(r).includes('note'));
  for (const bad of ['2026-13-01T00:00:00Z', 'tomorrow', '2026-12-01 10:00:00']) {
    r = await officer.call('POST', `/api/v1/cases/${c.id}/assign`, { deadline: bad, note: '延期' });
    assert.equal(r.status, 422, bad);
    assert.ok(fieldsOf(r).includes('deadline'), bad);
  }
  r = await officer.call('POST', `/api/v1/cases/${c.id}/assign`, { deadline: later, note: '需协调第三方，延期一周' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.deadline, later);
  r = await officer.call('POST', `/api/v1/cases/${c.id}/assign`, { note: '什么也没改' });
  assert.equal(r.status, 422);
  // handlers do not dispatch, not even their own department's
  r = await handler2.call('POST', `/api/v1/cases/${c.id}/assign`, { category_id: category('land').id, note: '退回' });
  assert.equal(r.status, 403, r.text);
  assert.equal((await getCase(officer, c.id)).json.case.category.code, 'environment');
  // an unknown category is named
  r = await officer.call('POST', `/api/v1/cases/${c.id}/assign`, { category_id: 9999, note: 'x' });
  assert.equal(r.status, 422);
  assert.ok(fieldsOf(r).includes('category_id'));
  const ev = (await getCase(officer, c.id)).json.events.filter((e) => e.action === 'assign');
  assert.equal(ev.length, 2);
  assert.match(ev[0].note, /category environment: 属环境卫生/);
  assert.match(ev[1].note, /deadline .*延期一周/);
  // closed cases are not dispatched
  await walk(c.id, [[officer, 'rejected', '重复']]);
  r = await officer.call('POST', `/api/v1/cases/${c.id}/assign`, { category_id: category('land').id, note: 'x' });
  assert.equal(r.status, 409);
});

test('duplicates: a near-identical text is found (full-width the same), merged, and followed from its tracking page', async () => {
  const tag = uniq().replace(/\D/g, '').slice(-6);
  const plain = `滨江路12号门口的LED路灯坏了3盏，晚上很暗 ${tag}`;
  const wide = plain.replace(/[0-9A-Za-z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xFEE0));
  assert.notEqual(plain, wide);
  const lon = 121.3301; const lat = 31.1101;
  const a = await submit(srv.url, { kind: 'complaint', category: 'road_lighting', text: plain, lon, lat });
  let r = await officer.call('GET', `/api/v1/cases/similar?text=${encodeURIComponent(wide)}&lon=${lon}&lat=${lat + 0.0005}`);
  assert.equal(r.status, 200, r.text);
  const hit = r.json.similar.find((x) => x.id === a.case.id);
  assert.ok(hit, `found: ${r.text}`);
  assert.ok(hit.similarity > 0.95, `NFKC folds full-width: ${hit.similarity}`);
  assert.ok(hit.km < 0.1);
  // without a location too
  r = await officer.call('GET', `/api/v1/cases/similar?text=${encodeURIComponent(wide)}`);
  assert.ok(r.json.similar.some((x) => x.id === a.case.id));
  assert.equal((await officer.call('GET', '/api/v1/cases/similar')).status, 400);
  assert.equal((await officer.call('GET', `/api/v1/cases/similar?text=x&lon=500&lat=1`)).status, 400);
  // an unrelated text does not find it
  r = await officer.call('GET', `/api/v1/cases/similar?text=${encodeURIComponent('企业用电增容需要协调供电所')}`);
  assert.ok(!r.json.similar.some((x) => x.id === a.case.id));

  // the second submission hears of the first
  const b = await submit(srv.url, { kind: 'complaint', category: 'road_lighting', text: wide, lon, lat });
  assert.ok(b.similar.some((x) => x.id === a.case.id), JSON.stringify(b.similar));

  // merging
  r = await officer.call('POST', `/api/v1/cases/${a.case.id}/merge`, { into: a.case.id });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'merge_into_itself');
  r = await officer.call('POST', `/api/v1/cases/${b.case.id}/merge`, { into: 999999 });
  assert.equal(r.status, 422);
  // A handler may not merge: 403 for a case it can read, 404 for one
  // that does not exist for it.
  const sees = (await getCase(handler, b.case.id)).status === 200;
  r = await handler.call('POST', `/api/v1/cases/${b.case.id}/merge`, { into: a.case.id });
  assert.equal(r.status, sees ? 403 : 404, r.text);
  const closed = await enter(officer, {});
  await walk(closed.id, [[officer, 'rejected', '不予受理']]);
  r = await officer.call('POST', `/api/v1/cases/${b.case.id}/merge`, { into: closed.id });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'target_closed');
  r = await officer.call('POST', `/api/v1/cases/${b.case.id}/merge`, { into: a.case.id, note: '同一路段' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.state, 'closed');
  assert.equal(r.json.case.merged_into, a.case.id);
  const ga = await getCase(officer, a.case.id);
  assert.deepEqual(ga.json.merged, [b.case.id]);
  assert.ok(ga.json.events.some((e) => e.action === 'merge' && e.note === `case ${b.case.id} merged into this case`));
  // a tracking code is its submitter's key: the other case's page does not show it
  const pubA = await anon(srv.url, 'GET', `/api/v1/public/cases/${a.tracking_code}`);
  assert.ok(pubA.json.events.some((e) => e.action === 'merge'));
  assert.ok(!pubA.text.includes(b.tracking_code), pubA.text);
  // once merged, it is neither merged again, moved, nor offered as a duplicate
  r = await officer.call('POST', `/api/v1/cases/${b.case.id}/merge`, { into: a.case.id });
  assert.equal(r.status, 409);
  r = await move(officer, b.case.id, 'accepted');
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'merged');
  assert.deepEqual((await getCase(officer, b.case.id)).json.allowed, []);
  r = await officer.call('GET', `/api/v1/cases/similar?text=${encodeURIComponent(plain)}`);
  assert.ok(!r.json.similar.some((x) => x.id === b.case.id));
  assert.ok(r.json.similar.some((x) => x.id === a.case.id));
  // merging into a merged case is refused with the one to use
  const c = await submit(srv.url, { kind: 'complaint', category: 'road_lighting', text: plain });
  r = await officer.call('POST', `/api/v1/cases/${c.case.id}/merge`, { into: b.case.id });
  assert.equal(r.status, 422);
  assert.match(r.json.error.message, new RegExp(`case ${a.case.id}`));

  // the duplicate's submitter follows the case it joined
  const page = await anon(srv.url, 'GET', `/api/v1/public/cases/${b.tracking_code}`);
  assert.equal(page.status, 200, page.text);
  assert.equal(page.json.case.merged_into, a.case.id);
  assert.equal(page.json.follows.id, a.case.id);
  assert.equal(page.json.follows.text, plain);
  assert.ok(Array.isArray(page.json.follows_events) && page.json.follows_events.length > 0);
  assert.equal(page.json.may_rate, false);
  // walk the followed case: the duplicate's page shows its progress, but
  // offers nothing the duplicate's submitter could do with it
  await walk(a.case.id, [[officer, 'accepted'], [officer, 'assigned'], [officer, 'in_progress'], [officer, 'resolved', '已修复']]);
  const page2 = await anon(srv.url, 'GET', `/api/v1/public/cases/${b.tracking_code}`);
  assert.equal(page2.json.follows.state, 'resolved');
  assert.equal(page2.json.may_rate, false);
  assert.equal(page2.json.may_reopen, false);
  const pageA = await anon(srv.url, 'GET', `/api/v1/public/cases/${a.tracking_code}`);
  assert.equal(pageA.json.may_rate, true);
  assert.equal(pageA.json.may_reopen, true);
  r = await anon(srv.url, 'POST', `/api/v1/public/cases/${b.tracking_code}/reopen`, { note: '没修好' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'merged');
  r = await anon(srv.url, 'POST', `/api/v1/public/cases/${b.tracking_code}/rating`, { rating: 5 });
  assert.equal(r.status, 409);
});

test('privacy: a resident\'s phone and name are masked but to the handling department, never public', async () => {
  const tag = uniq();
  const sub = await submit(srv.url, {
    category: 'community', street: '九里亭街道', text: `建议小区增设儿童游乐设施 ${tag}`,
    name: '张三丰', phone: '13812345678', email: 'zsf@example.cn',
  });
  const id = sub.case.id;
  const secret = ['13812345678', '张三丰', 'zsf@'];
  const leaks = (text) => secret.filter((s) => text.includes(s));
  assert.deepEqual(leaks(JSON.stringify(sub)), []);
  // the officer: masked
  let g = await getCase(officer, id);
  assert.equal(g.json.case.person.phone, '138****5678');
  assert.equal(g.json.case.person.name, '张**');
  assert.equal(g.json.case.person.email, '***@example.cn');
  assert.equal(g.json.case.person.masked, true);
  assert.deepEqual(leaks(g.text), []);
  assert.deepEqual(leaks((await officer.call('GET', '/api/v1/cases?limit=500')).text), [], 'nor in the list');
  // the handling department: in clear, to call back
  g = await getCase(handler2, id);
  assert.equal(g.json.case.person.phone, '13812345678');
  assert.equal(g.json.case.person.name, '张三丰');
  assert.equal(g.json.case.person.email, 'zsf@example.cn');
  assert.equal(g.json.case.person.masked, false);
  // another department: not at all
  assert.equal((await getCase(handler, id)).status, 404);
  // re-routed to another department, it is masked to the old one too
  let r = await officer.call('POST', `/api/v1/cases/${id}/assign`, { category_id: category('land').id, note: '转经济园区' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(leaks(r.text), []);
  assert.equal((await getCase(handler, id)).json.case.person.phone, '13812345678');
  assert.equal((await getCase(handler2, id)).status, 404);
  r = await officer.call('POST', `/api/v1/cases/${id}/assign`, { category_id: category('community').id, note: '转回' });
  assert.equal(r.status, 200);
  // a demo resident's number, to the officer
  const demo = (await allCases()).find((c) => c.text.startsWith('小区东门到菜场'));
  assert.equal((await getCase(officer, demo.id)).json.case.person.phone, '138****5678');
  // nothing public shows a person
  for (const path of [`/api/v1/public/cases/${sub.tracking_code}`, `/api/v1/public/cases/${demo.tracking_code}`,
    '/api/v1/public/suggestions?limit=200', '/api/v1/public/suggestions?street=%E4%B9%9D%E9%87%8C%E4%BA%AD%E8%A1%97%E9%81%93&limit=200',
    `/api/v1/public/similar?text=${encodeURIComponent(`建议小区增设儿童游乐设施 ${tag}`)}`]) {
    const p = await anon(srv.url, 'GET', path);
    assert.equal(p.status, 200, `${path}: ${p.text}`);
    assert.deepEqual(leaks(p.text), [], path);
    assert.ok(!p.text.includes('王秀英') && !p.text.includes('13812345678') && !p.text.includes('****'), path);
    assert.ok(!p.text.includes('"person"'), path);
  }
  const list = (await anon(srv.url, 'GET', '/api/v1/public/suggestions?limit=200')).json.items;
  assert.ok(list.some((s) => s.id === id), 'the suggestion is listed');
});

test('public tracking: the code as typed, ratings once resolved, one reopening', async () => {
  const sub = await submit(srv.url, { kind: 'complaint', category: 'environment', text: `楼下垃圾房异味严重 ${uniq()}` });
  const code = sub.tracking_code;
  const id = sub.case.id;
  const spaced = `${code.slice(0, 3)} ${code.slice(3, 6)}-${code.slice(6)}`.toLowerCase();
  for (const typed of [code, code.toLowerCase(), `${code.slice(0, 5)}-${code.slice(5)}`, spaced]) {
    const p = await anon(srv.url, 'GET', `/api/v1/public/cases/${encodeURIComponent(typed)}`);
    assert.equal(p.status, 200, `${typed}: ${p.text}`);
    assert.equal(p.json.case.id, id);
  }
  const page = (await anon(srv.url, 'GET', `/api/v1/public/cases/${code}`)).json;
  assert.equal(page.case.state, 'submitted');
  assert.equal(page.may_rate, false);
  assert.ok(page.events.every((e) => !('actor' in e)), 'who did what stays inside');
  // wrong codes
  const typo = code.slice(0, 9) + ALPHA[(ALPHA.indexOf(code[9]) + 1) % 31];
  const unknown = withCheck(ALPHA[(ALPHA.indexOf(code[0]) + 1) % 31] + code.slice(1, 9));
  assert.equal(codeSum(unknown), 0);
  for (const wrong of [typo, unknown, 'ABC', `${code}X`]) {
    const p = await anon(srv.url, 'GET', `/api/v1/public/cases/${wrong}`);
    assert.equal(p.status, 404, `${wrong}: ${p.text}`);
  }
  // not rated before it is resolved
  let r = await anon(srv.url, 'POST', `/api/v1/public/cases/${code}/rating`, { rating: 5 });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'not_resolved');
  r = await anon(srv.url, 'POST', `/api/v1/public/cases/${code}/reopen`, { note: '还没处理' });
  assert.equal(r.status, 409, 'not reopened before it is resolved');
  await walk(id, [[officer, 'accepted'], [officer, 'assigned'], [handler2, 'in_progress'], [handler2, 'resolved', '已清运并消毒']]);
  const resolved = (await anon(srv.url, 'GET', `/api/v1/public/cases/${code}`)).json;
  assert.equal(resolved.may_rate, true);
  assert.equal(resolved.may_reopen, true);
  assert.ok(resolved.events.some((e) => e.to === 'resolved' && e.note === '已清运并消毒'));
  for (const bad of [0, 6, 2.5, '5', null, -1]) {
    r = await anon(srv.url, 'POST', `/api/v1/public/cases/${code}/rating`, { rating: bad });
    assert.equal(r.status, 422, `${JSON.stringify(bad)}: ${r.text}`);
    assert.ok(fieldsOf(r).includes('rating'));
  }
  r = await anon(srv.url, 'POST', `/api/v1/public/cases/${code}/rating`, {});
  assert.equal(r.status, 422);
  assert.equal((await getCase(officer, id)).json.case.rating, null, 'no refused rating stuck');
  r = await anon(srv.url, 'POST', `/api/v1/public/cases/${code.toLowerCase()}/rating`, { rating: 4, note: '处理及时' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.rating, 4);
  assert.equal((await getCase(officer, id)).json.case.rating, 4);
  // one rating per resolution
  r = await anon(srv.url, 'POST', `/api/v1/public/cases/${code}/rating`, { rating: 1 });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'rated_already');
  assert.equal((await getCase(officer, id)).json.case.rating, 4);
  // reopening: a reason, once
  for (const body of [{}, { note: '  ' }]) {
    r = await anon(srv.url, 'POST', `/api/v1/public/cases/${code}/reopen`, body);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.code, 'reason_required');
    assert.ok(fieldsOf(r).includes('note'));
  }
  r = await anon(srv.url, 'POST', `/api/v1/public/cases/${code}/reopen`, { note: '又有异味了' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.state, 'reopened');
  assert.equal(r.json.case.reopened, 1);
  let g = await getCase(officer, id);
  assert.ok(g.json.events.some((e) => e.action === 'reopen' && e.actor === 'public' && e.from === 'resolved' && e.to === 'reopened' && e.note === '又有异味了'));
  assert.deepEqual(g.json.allowed, ['assigned']);
  await walk(id, [[officer, 'assigned'], [handler2, 'in_progress'], [handler2, 'resolved', '已更换密封垃圾桶']]);
  assert.equal((await anon(srv.url, 'GET', `/api/v1/public/cases/${code}`)).json.may_reopen, false);
  r = await anon(srv.url, 'POST', `/api/v1/public/cases/${code}/reopen`, { note: '还是不行' });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'reopen_used');
  // what no reason can fix is said first
  r = await anon(srv.url, 'POST', `/api/v1/public/cases/${code}/reopen`, {});
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'reopen_used');
  g = await getCase(officer, id);
  assert.equal(g.json.case.state, 'resolved');
  assert.equal(g.json.case.reopened, 1);

  // within the period (15 days), a resolution of two days ago may be reopened
  const late = await submit(srv.url, { kind: 'complaint', category: 'environment', text: `河道漂浮垃圾 ${uniq()}` });
  await walk(late.case.id, [[officer, 'accepted'], [officer, 'assigned'], [handler2, 'in_progress'], [handler2, 'resolved', '已打捞']]);
  backdateResolution(srv.db, late.case.id, 2);
  assert.equal((await anon(srv.url, 'GET', `/api/v1/public/cases/${late.tracking_code}`)).json.may_reopen, true);
  r = await anon(srv.url, 'POST', `/api/v1/public/cases/${late.tracking_code}/reopen`, { note: '又有了' });
  assert.equal(r.status, 200, r.text);
  // an enterprise rates its own problems, not others'
  const own = (await qifan.call('POST', '/api/v1/cases', { kind: 'problem', category: 'land', text: `厂房漏水 ${uniq()}` })).json.case;
  await walk(own.id, [[officer, 'accepted'], [officer, 'assigned'], [handler, 'in_progress'], [handler, 'resolved', '已修复']]);
  r = await qifan.call('POST', `/api/v1/cases/${own.id}/rating`, { rating: 5 });
  assert.equal(r.status, 200, r.text);
  r = await handler.call('POST', `/api/v1/cases/${own.id}/rating`, { rating: 1 });
  assert.equal(r.status, 403);
});

test('with --reopen-days 0, reopening a resolution of days ago is refused as expired', async () => {
  const s2 = await start({ args: ['--reopen-days', '0'] });
  try {
    const off = await login(s2.url, 'officer');
    const h2 = await login(s2.url, 'handler2');
    const sub = await submit(s2.url, { kind: 'complaint', category: 'environment', text: `路边垃圾堆放 ${uniq()}` });
    for (const [client, to, note] of [[off, 'accepted'], [off, 'assigned'], [h2, 'in_progress'], [h2, 'resolved', '已清理']]) {
      const r = await move(client, sub.case.id, to, note);
      assert.equal(r.status, 200, r.text);
    }
    backdateResolution(s2.db, sub.case.id, 2);
    const page = await anon(s2.url, 'GET', `/api/v1/public/cases/${sub.tracking_code}`);
    assert.equal(page.json.may_rate, true);
    assert.equal(page.json.may_reopen, false, 'the tracking page does not offer it');
    let r = await anon(s2.url, 'POST', `/api/v1/public/cases/${sub.tracking_code}/reopen`, { note: '没清理干净' });
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json.error.code, 'reopen_expired');
    assert.match(r.json.error.message, /0 days/);
    // too late is said before a missing reason: writing one would not help
    r = await anon(s2.url, 'POST', `/api/v1/public/cases/${sub.tracking_code}/reopen`, {});
    assert.equal(r.status, 409, r.text);
    assert.equal(r.json.error.code, 'reopen_expired');
    const g = await getCase(off, sub.case.id);
    assert.equal(g.json.case.state, 'resolved');
    assert.equal(g.json.case.reopened, 0);
  } finally {
    await s2.stop();
  }
});

test('the public suggestions list: suggestions only, anonymised, filtered by street and category', async () => {
  const tag = uniq();
  const mine = await submit(srv.url, { category: 'elderly_care', street: '九里亭街道', text: `建议开设老年大学分校 ${tag}`, name: '王五', phone: '13700001234' });
  const complaint = await submit(srv.url, { kind: 'complaint', category: 'elderly_care', street: '九里亭街道', text: `助餐点饭菜太咸 ${tag}` });
  const elsewhere = await submit(srv.url, { category: 'elderly_care', street: '张堰镇', text: `建议增加养老床位 ${tag}` });
  await officer.call('POST', '/api/v1/cases', { kind: 'suggestion', category: 'community', street: '九里亭街道', text: `内部建议 ${tag}` });
  const list = async (q) => {
    const r = await anon(srv.url, 'GET', `/api/v1/public/suggestions?${q}&limit=200`);
    assert.equal(r.status, 200, r.text);
    return r.json.items;
  };
  const all = await list('');
  assert.ok(all.length > 0);
  assert.ok(all.every((s) => s.kind === 'suggestion'), 'suggestions only');
  for (const s of all) {
    for (const k of ['person', 'tracking_code', 'enterprise', 'address', 'lon', 'lat', 'created_by', 'point', 'version', 'attributes', 'rating_note']) {
      assert.ok(!(k in s), `${k} is not shown`);
    }
  }
  const street = await list(`street=${encodeURIComponent('九里亭街道')}`);
  assert.ok(street.length > 0 && street.every((s) => s.street === '九里亭街道' && s.kind === 'suggestion'));
  assert.ok(street.some((s) => s.id === mine.case.id));
  assert.ok(!street.some((s) => s.id === complaint.case.id), 'no complaints');
  assert.ok(!street.some((s) => s.id === elsewhere.case.id), 'another street');
  const cat = await list(`street=${encodeURIComponent('九里亭街道')}&category=elderly_care`);
  assert.ok(cat.length > 0 && cat.every((s) => s.category.code === 'elderly_care' && s.street === '九里亭街道'));
  assert.ok(cat.some((s) => s.id === mine.case.id));
  const other = await list(`street=${encodeURIComponent('九里亭街道')}&category=community`);
  assert.ok(other.length > 0 && other.every((s) => s.category.code === 'community'));
  assert.ok(!other.some((s) => s.id === mine.case.id));
  const closedOnly = await list('state=closed');
  assert.ok(closedOnly.length > 0 && closedOnly.every((s) => s.state === 'closed'));
  assert.equal((await list('category=no_such')).length, 0);
  assert.equal((await anon(srv.url, 'GET', '/api/v1/public/suggestions?state=bogus')).status, 400);
  // paging
  const page1 = await anon(srv.url, 'GET', '/api/v1/public/suggestions?limit=2');
  assert.equal(page1.json.items.length, 2);
  const page2 = await anon(srv.url, 'GET', `/api/v1/public/suggestions?limit=2&after=${page1.json.next}`);
  // newest first by the date each was made, which ids need not follow
  assert.ok(page2.json.items.every((s) => s.created_at <= page1.json.items[1].created_at));
  assert.ok(!page2.json.items.some((s) => page1.json.items.some((x) => x.id === s.id)));
  assert.ok(!JSON.stringify(all).includes('王五') && !JSON.stringify(all).includes('13700001234'));
});

test('escalation: overdue demo cases are escalated by the first maintenance round, with an event', async () => {
  // overdue when the server started: the first round's, at start
  const overdue = await until('escalation', async () => {
    const list = (await officer.call('GET', '/api/v1/cases?overdue=true&limit=500')).json.items
      .filter((c) => Date.parse(c.deadline) < startedAt - 1000);
    return list.length && list.every((c) => c.escalated_at) ? list : null;
  });
  assert.ok(overdue.length >= 5, `${overdue.length} overdue`);
  const c = overdue[0];
  const g = await getCase(officer, c.id);
  const ev = g.json.events.filter((e) => e.action === 'escalate');
  assert.equal(ev.length, 1, 'escalated once, not every round');
  assert.equal(ev[0].actor, 'system');
  assert.equal(ev[0].public, false);
  assert.match(ev[0].note, new RegExp(c.deadline));
  // not overdue: not escalated
  const onTime = (await allCases()).filter((x) => x.status === 'open' && !x.overdue);
  assert.ok(onTime.length > 0);
  assert.ok(onTime.every((x) => x.escalated_at === null), 'only overdue cases are escalated');
  // the tracking page keeps internal events inside
  const p = await anon(srv.url, 'GET', `/api/v1/public/cases/${c.tracking_code}`);
  assert.ok(!p.json.events.some((e) => e.action === 'escalate'));
  // a new deadline is a new chance
  const later = new Date(Date.now() + 3 * 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const r = await officer.call('POST', `/api/v1/cases/${c.id}/assign`, { deadline: later, note: '延期三天' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.escalated_at, null);
  assert.equal(r.json.case.overdue, false);
});

test('photos: a PNG is kept byte for byte; text, a wrong type and oversized bodies are refused', async () => {
  const c = await enter(officer, { category: 'land' });
  const base = `/api/v1/cases/${c.id}/photos`;
  let r = await rawCall(officer, srv.url, 'POST', base, TINY_PNG, { 'Content-Type': 'image/png' });
  assert.equal(r.status, 201, r.bytes.toString());
  assert.equal(r.json.type, 'image/png');
  assert.equal(r.json.size, TINY_PNG.length);
  const location = r.headers.get('location');
  assert.equal(location, `${base}/${r.json.id}`);
  const got = await rawCall(officer, srv.url, 'GET', location);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'image/png');
  assert.ok(got.bytes.equals(TINY_PNG), 'the same bytes');
  // the handling department sees it; another does not
  assert.ok((await rawCall(handler, srv.url, 'GET', location)).bytes.equals(TINY_PNG));
  assert.equal((await rawCall(handler2, srv.url, 'GET', location)).status, 404);
  assert.equal((await anon(srv.url, 'GET', location)).status, 401);

  const refusals = [
    ['a text file', Buffer.from('这不是图片\n'), 'text/plain', 415],
    ['text called PNG', Buffer.from('这不是图片\n'), 'image/png', 415],
    ['PNG called JPEG', TINY_PNG, 'image/jpeg', 415],
    ['over --photo-max', Buffer.concat([TINY_PNG, Buffer.alloc(PHOTO_MAX)]), 'image/png', 413],
    ['over --max-body', Buffer.concat([TINY_PNG, Buffer.alloc(MAX_BODY * 2)]), 'image/png', 413],
    ['empty', Buffer.alloc(0), 'image/png', 400],
  ];
  for (const [name, body, type, status] of refusals) {
    r = await rawCall(officer, srv.url, 'POST', base, body, { 'Content-Type': type });
    assert.equal(r.status, status, `${name}: ${r.bytes.toString().slice(0, 300)}`);
  }
  assert.equal(r.json?.error?.code, 'empty_body');
  r = await rawCall(handler2, srv.url, 'POST', base, TINY_PNG, { 'Content-Type': 'image/png' });
  assert.equal(r.status, 404, 'not onto another department\'s case');
  const g = await getCase(officer, c.id);
  assert.equal(g.json.photos.length, 1, 'only the one photo');
  assert.equal(g.json.photos[0].url, location);
  assert.equal(g.json.events.filter((e) => e.action === 'photo').length, 1);
  assert.equal((await rawCall(officer, srv.url, 'GET', `${base}/999999`)).status, 404);
});

test('a recorded visit\'s problems become cases of the enterprise, channel grid_visit, linked to the visit', async () => {
  const cells = (await officer.call('GET', '/api/v1/grids')).json.items.filter((g) => g.level === 'cell');
  let target = null;
  for (const cell of cells) {
    const full = (await officer.call('GET', `/api/v1/grids/${cell.id}`)).json;
    if (full.members.includes(grid.user.id) && full.enterprises.length) { target = full.enterprises[0]; break; }
  }
  assert.ok(target, 'the grid worker has an enterprise to visit');
  const tag = uniq();
  const r = await grid.call('POST', '/api/v1/visits', {
    enterprise_id: target.id, status: 'done', notes: '红色问需走访',
    problems: [{ category: 'land', text: `厂区道路破损需修补 ${tag}` }, { text: `其他诉求 ${tag}` }],
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.problems.length, 2);
  const expected = [['land', '经济园区'], ['enterprise_other', category('enterprise_other').department.name]];
  for (const [i, p] of r.json.problems.entries()) {
    assert.ok(p.case_id, `problem ${i} has its case`);
    const g = await getCase(officer, p.case_id);
    assert.equal(g.status, 200);
    const c = g.json.case;
    assert.equal(c.channel, 'grid_visit');
    assert.equal(c.visit_id, r.json.id);
    assert.equal(c.kind, 'problem');
    assert.equal(c.enterprise.id, target.id);
    assert.equal(c.category.code, expected[i][0]);
    assert.equal(c.department.name, expected[i][1]);
    assert.equal(c.state, 'submitted');
    assert.equal(c.public, false);
    assert.equal(g.json.events[0].actor, 'grid');
    // the worker who found it can follow it
    assert.equal((await getCase(grid, p.case_id)).status, 200);
  }
  const inbox = await allCases(grid);
  assert.ok(r.json.problems.every((p) => inbox.some((c) => c.id === p.case_id)));
  // ... and nothing else: the cases of the enterprises in its grids.
  const g = (await officer.call('GET', '/api/v1/grids')).json.items;
  const teams = await Promise.all(g.map((x) => officer.call('GET', `/api/v1/grids/${x.id}`)));
  const member = new Set(teams.filter((t) => t.json.members.includes(grid.user.id)).map((t) => t.json.grid.id));
  const mine = new Set(teams.filter((t) => member.has(t.json.grid.id) || member.has(t.json.grid.parent_id))
    .flatMap((t) => t.json.enterprises.map((e) => e.id)));
  const everyCase = await allCases();
  const inGrids = everyCase.filter((c) => c.enterprise && mine.has(c.enterprise.id)).map((c) => c.id).sort();
  assert.ok(everyCase.some((c) => c.enterprise && !mine.has(c.enterprise.id)), 'some cases lie outside its grids');
  assert.deepEqual(inbox.map((c) => c.id).sort(), inGrids);
  assert.equal((await getCase(handler, r.json.problems[0].case_id)).status, 200, 'the land case is the park\'s');
  assert.equal((await getCase(handler, r.json.problems[1].case_id)).status, 404);
});

test('outcome statistics by department, category and month, for the officer only', async () => {
  const all = await allCases();
  const counted = all.filter((c) => c.merged_into === null);
  const sums = {};
  for (const by of ['department', 'category', 'month']) {
    const r = await officer.call('GET', `/api/v1/cases/stats?by=${by}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.by, by);
    sums[by] = r.json.items.reduce((a, x) => a + x.total, 0);
    for (const row of r.json.items) {
      assert.ok(row.open <= row.total && row.overdue <= row.open && row.on_time <= row.finished, JSON.stringify(row));
      if (row.satisfaction !== null) assert.ok(row.satisfaction >= 1 && row.satisfaction <= 5);
      if (row.on_time_rate !== null) assert.ok(row.on_time_rate >= 0 && row.on_time_rate <= 1);
    }
    if (by === 'month') assert.ok(r.json.items.every((x) => /^\d{4}-\d{2}$/.test(x.key)));
    if (by === 'department') {
      const park = r.json.items.find((x) => x.key === '经济园区');
      const mine = counted.filter((c) => c.department.name === '经济园区');
      assert.equal(park.total, mine.length);
      assert.equal(park.open, mine.filter((c) => c.status === 'open').length);
      assert.equal(park.overdue, mine.filter((c) => c.overdue).length);
    }
    if (by === 'category') {
      const land = r.json.items.find((x) => x.key === 'land');
      assert.equal(land.total, counted.filter((c) => c.category.code === 'land').length);
      const rated = counted.filter((c) => c.category.code === 'land' && c.rating !== null);
      assert.equal(land.rated, rated.length);
    }
  }
  assert.equal(sums.department, counted.length, 'every case once, merged ones not');
  assert.equal(sums.category, counted.length);
  assert.equal(sums.month, counted.length);
  assert.equal((await officer.call('GET', '/api/v1/cases/stats')).json.by, 'department');
  assert.equal((await officer.call('GET', '/api/v1/cases/stats?by=street')).status, 400);
  assert.equal((await admin.call('GET', '/api/v1/cases/stats?by=month')).status, 200);
  for (const who of [handler, qifan, secretary, grid]) {
    assert.equal((await who.call('GET', '/api/v1/cases/stats?by=department')).status, 403);
  }
});

test('webhooks: every change reaches the receiver at least once, retried after a failure, signed', async () => {
  const got = [];
  let calls = 0;
  receiver = createServer((req, res) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      calls++;
      // the first delivery fails, the rest succeed
      const status = calls === 1 ? 500 : 200;
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status, at: Date.now() });
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'down');
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${receiver.address().port}/hook`;
  const madmin = await login(msrv.url, 'admin');
  const moff = await login(msrv.url, 'officer');
  assert.equal((await moff.call('POST', '/api/v1/webhooks', { url: hook })).status, 403);
  assert.equal((await moff.call('GET', '/api/v1/webhooks')).status, 403);
  let r = await madmin.call('POST', '/api/v1/webhooks', { url: 'ftp://example.cn/x' });
  assert.equal(r.status, 422);
  r = await madmin.call('POST', '/api/v1/webhooks', { url: hook, secret: 'short' });
  assert.equal(r.status, 422);
  r = await madmin.call('POST', '/api/v1/webhooks', { url: hook });
  assert.equal(r.status, 201, r.text);
  const { secret } = r.json;
  assert.ok(secret && secret.length >= 16);
  const listed = (await madmin.call('GET', '/api/v1/webhooks')).json;
  assert.ok(listed.items.some((w) => w.url === hook && w.active));
  assert.ok(!JSON.stringify(listed).includes(secret), 'the secret is shown once');

  const c = await enter(moff, { text: `通知测试 ${uniq()}` });
  await until('the failed delivery', () => got.length >= 1);
  assert.equal(got[0].status, 500);
  const failing = await until('the outbox to show the failure', async () => {
    const ob = (await madmin.call('GET', '/api/v1/webhooks')).json.outbox;
    return ob.failing >= 1 ? ob : null;
  });
  assert.ok(failing.pending >= 1);
  // a transition while the first is waiting: delivered at once
  r = await move(moff, c.id, 'accepted', '受理');
  assert.equal(r.status, 200);
  const first = got[0].headers['x-qunyan-delivery'];
  // back-off: retried about ten seconds later
  await until('the retry', () => got.some((g, i) => i > 0 && g.headers['x-qunyan-delivery'] === first), 20000);
  const retry = got.find((g, i) => i > 0 && g.headers['x-qunyan-delivery'] === first);
  assert.equal(retry.status, 200);
  assert.ok(retry.at - got[0].at >= 8000, `retried after the back-off, not at once: ${retry.at - got[0].at} ms`);
  assert.equal(retry.body, got[0].body, 'the same message');
  for (const g of got) {
    assert.match(g.headers['content-type'], /^application\/json/);
    const expected = `sha256=${createHmac('sha256', secret).update(g.body).digest('hex')}`;
    assert.equal(g.headers['x-qunyan-signature'], expected, 'signed with the secret');
    const body = JSON.parse(g.body);
    assert.equal(g.headers['x-qunyan-event'], body.event);
    assert.match(g.headers['x-qunyan-delivery'], /^\d+$/);
  }
  const created = got.find((g) => g.headers['x-qunyan-event'] === 'case.created');
  assert.ok(created);
  const cb = JSON.parse(created.body);
  assert.equal(cb.case.id, c.id);
  assert.equal(cb.case.tracking_code, c.tracking_code);
  const status = got.find((g) => g.headers['x-qunyan-event'] === 'case.status');
  assert.ok(status, 'the transition was notified');
  assert.equal(JSON.parse(status.body).case.state, 'accepted');
  assert.equal(JSON.parse(status.body).note, '受理');
  const ob = await until('the outbox to drain', async () => {
    const o = (await madmin.call('GET', '/api/v1/webhooks')).json.outbox;
    return o.pending === 0 ? o : null;
  });
  assert.equal(ob.failing, 0);
  assert.ok(ob.delivered >= 2);
  // the audit log still reads as JSON after a webhook was added
  const audit = await madmin.call('GET', '/api/v1/audit?limit=50');
  assert.equal(audit.status, 200);
  assert.ok(audit.json, `the audit log is JSON: ${audit.text.slice(0, 300)}`);
  assert.ok(audit.json.items.some((a) => a.entity === 'webhook' && a.action === 'create'));
  // a receiver that is gone for good: once its webhook is disabled, what
  // waited for it is abandoned, not pending for ever
  const dead = await madmin.call('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/gone' });
  assert.equal(dead.status, 201, dead.text);
  await submit(msrv.url, { category: 'community', text: `建议增设座椅 ${uniq()}` });
  assert.ok((await madmin.call('GET', '/api/v1/webhooks')).json.outbox.pending >= 1);
  assert.equal((await madmin.call('DELETE', `/api/v1/webhooks/${dead.json.id}`)).status, 204);
  const after = (await madmin.call('GET', '/api/v1/webhooks')).json;
  assert.ok(after.items.some((w) => w.id === dead.json.id && !w.active));
  assert.ok(after.outbox.abandoned >= 1, JSON.stringify(after.outbox));
  await until('the live receiver to be up to date', async () => {
    const o = (await madmin.call('GET', '/api/v1/webhooks')).json.outbox;
    return o.pending === 0 ? o : null;
  });
});

test('erasure: once a resident\'s case is closed, its person and photos are erased, and the audit log says so', async () => {
  const moff = await login(msrv.url, 'officer');
  const madmin = await login(msrv.url, 'admin');
  const h2 = await login(msrv.url, 'handler2');
  const sub = await submit(msrv.url, { category: 'community', text: `建议增设快递柜 ${uniq()}`, name: '赵六', phone: '13611112222' });
  const open = await submit(msrv.url, { category: 'community', text: `建议增设路灯 ${uniq()}`, name: '孙七', phone: '13633334444' });
  const id = sub.case.id;
  let g = await getCase(h2, id);
  assert.equal(g.json.case.person.phone, '13611112222');
  const photo = await rawCall(moff, msrv.url, 'POST', `/api/v1/cases/${id}/photos`, TINY_PNG, { 'Content-Type': 'image/png' });
  assert.equal(photo.status, 201);
  const r = await move(moff, id, 'rejected', '已有同类建议在办');
  assert.equal(r.status, 200, r.text);
  g = await until('the erasure', async () => {
    const x = await getCase(h2, id);
    return x.json.case.erased_at ? x : null;
  });
  assert.equal(g.json.case.person, null);
  assert.equal(g.json.photos.length, 0);
  assert.equal((await rawCall(moff, msrv.url, 'GET', photo.headers.get('location'))).status, 404);
  const ev = g.json.events.find((e) => e.action === 'erase');
  assert.ok(ev);
  assert.equal(ev.actor, 'system');
  assert.equal(ev.public, false);
  // the case itself stays, with its text and outcome
  assert.equal(g.json.case.state, 'rejected');
  assert.equal(g.json.case.reply, '已有同类建议在办');
  const audit = await madmin.call('GET', `/api/v1/audit?entity=case&entity_id=${id}`);
  assert.equal(audit.status, 200, audit.text);
  const entry = audit.json.items.find((a) => a.action === 'erase_personal_data');
  assert.ok(entry, audit.text);
  assert.equal(entry.username, 'system');
  assert.equal(entry.entity_id, id);
  assert.equal(entry.after.erase_days, 0);
  assert.ok(!audit.text.includes('13611112222') && !audit.text.includes('赵六'));
  // an open case keeps its person
  g = await getCase(h2, open.case.id);
  assert.equal(g.json.case.erased_at, null);
  assert.equal(g.json.case.person.phone, '13633334444');
  // and the demo's closed residents' cases were erased too
  const closedDemo = (await allCases(moff)).filter((c) => c.status === 'closed' && !c.enterprise);
  assert.ok(closedDemo.length > 0);
  for (const c of closedDemo) {
    const x = (await getCase(moff, c.id)).json.case;
    assert.ok(x.erased_at && x.person === null, `case ${c.id}`);
  }
});

// A deferred constraint trigger fails the COMMIT itself, after every
// statement of the intake succeeded: the answer must be the COMMIT's.
test('on PostgreSQL an intake is answered 201 only once its COMMIT succeeded', { skip: !ON_PG && 'a COMMIT that fails is made with a PostgreSQL trigger' }, async () => {
  const s = await start({ args: ['--intake-per-ip', '0'] });
  try {
    const off = await login(s.url, 'officer');
    const count = async () => (await off.call('GET', '/api/v1/cases?limit=500')).json.count;
    const before = await count();
    psql(s.db, ['-q', '-c', `CREATE FUNCTION qy_refuse_at_commit() RETURNS trigger LANGUAGE plpgsql
      AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$;
      CREATE CONSTRAINT TRIGGER qy_refuse_at_commit AFTER INSERT ON cases DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION qy_refuse_at_commit()`]);
    const key = `commit-${uniq()}`;
    const body = { kind: 'complaint', category: 'environment', text: `夜间施工噪音 ${uniq()}`, street: '九里亭街道' };
    const refused = await anon(s.url, 'POST', '/api/v1/public/cases', body, { 'Idempotency-Key': key });
    assert.ok(refused.status >= 500, `${refused.status} ${refused.text}`);
    assert.equal(refused.json.case, undefined, refused.text);
    assert.equal(await count(), before, 'nothing of the refused intake is kept');
    psql(s.db, ['-q', '-c', 'DROP TRIGGER qy_refuse_at_commit ON cases; DROP FUNCTION qy_refuse_at_commit()']);
    // the same key again makes the case: the first one never was
    const made = await anon(s.url, 'POST', '/api/v1/public/cases', body, { 'Idempotency-Key': key });
    assert.equal(made.status, 201, made.text);
    assert.equal(made.json.replayed, false);
    assert.equal(await count(), before + 1);
    const code = psql(s.db, ['-qAt', '-c', `SELECT tracking_code FROM cases WHERE id = ${made.json.case.id}`]).trim();
    assert.equal(code, made.json.tracking_code);
  } finally {
    await s.stop();
  }
});
