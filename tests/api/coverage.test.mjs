// Behaviours that had no test of their own: every notification event,
// masking in lists, a staff reopening, collection points kept by
// officers, the photo limit per case, and paging through the audit log.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { start, login } from '../lib/server.mjs';

const srv = await start({ args: ['--maintenance-seconds', '1', '--webhook-timeout', '2'] });
const receiver = createServer();
test.after(async () => { receiver.close(); await srv.stop(); });
const officer = await login(srv.url, 'officer');
const admin = await login(srv.url, 'admin');
const handler = await login(srv.url, 'handler');
const handler2 = await login(srv.url, 'handler2');
const grid = await login(srv.url, 'grid');

let serial = 0;
const uniq = () => `${Date.now().toString(36)}-${++serial}`;
const move = (c, id, to, note) => c.call('POST', `/api/v1/cases/${id}/transition`, note ? { to, note } : { to });
async function enter(client, fields) {
  const r = await client.call('POST', '/api/v1/cases', { kind: 'problem', category: 'land', text: `扩产用地需求 ${uniq()}`, ...fields });
  assert.equal(r.status, 201, r.text);
  return r.json.case;
}
async function walk(id, steps) {
  for (const [client, to, note] of steps) {
    const r = await move(client, id, to, note);
    assert.equal(r.status, 200, `${to}: ${r.text}`);
  }
}
async function until(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('all six notification events reach a webhook, each signed and about its case', async () => {
  const got = [];
  receiver.on('request', (req, res) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      got.push({ event: req.headers['x-qunyan-event'], signature: req.headers['x-qunyan-signature'], body: Buffer.concat(chunks).toString('utf8') });
      res.end('ok');
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = await admin.call('POST', '/api/v1/webhooks', { url: `http://127.0.0.1:${receiver.address().port}/hook` });
  assert.equal(hook.status, 201, hook.text);
  const { secret } = hook.json;

  const a = await enter(officer, {});                                     // case.created
  await walk(a.id, [[officer, 'accepted', '受理'], [officer, 'assigned'], [handler, 'in_progress']]); // case.status
  const past = new Date(Date.now() - 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
  let r = await officer.call('POST', `/api/v1/cases/${a.id}/assign`, { deadline: past, note: '时限已到' });
  assert.equal(r.status, 200, r.text);                                    // case.overdue, at the next round
  r = await handler.call('POST', `/api/v1/cases/${a.id}/reply`, { reply: '已协调用地指标' });
  assert.equal(r.status, 200, r.text);                                    // case.reply
  await walk(a.id, [[handler, 'resolved', '已解决']]);
  r = await officer.call('POST', `/api/v1/cases/${a.id}/rating`, { rating: 4, note: '电话回访' });
  assert.equal(r.status, 200, r.text);                                    // case.rate
  const b = await enter(officer, {});
  r = await officer.call('POST', `/api/v1/cases/${b.id}/merge`, { into: a.id, note: '同一地块' });
  assert.equal(r.status, 200, r.text);                                    // case.merge

  const kinds = ['case.created', 'case.status', 'case.overdue', 'case.reply', 'case.rate', 'case.merge'];
  await until('every kind of event', () => kinds.every((k) => got.some((g) => g.event === k && JSON.parse(g.body).case?.id === (k === 'case.merge' ? b.id : a.id))));
  for (const g of got) {
    assert.equal(g.signature, `sha256=${createHmac('sha256', secret).update(g.body).digest('hex')}`);
    assert.equal(JSON.parse(g.body).event, g.event);
  }
  const of = (k, id) => JSON.parse(got.find((g) => g.event === k && JSON.parse(g.body).case?.id === id).body);
  assert.equal(of('case.reply', a.id).note, '已协调用地指标');
  assert.equal(of('case.rate', a.id).note, '4/5 电话回访');
  assert.equal(of('case.rate', a.id).case.state, 'resolved');
  assert.match(of('case.overdue', a.id).note, new RegExp(`past its deadline ${past}`));
  assert.equal(of('case.merge', b.id).note, '同一地块');
  assert.equal(of('case.merge', b.id).case.state, 'closed');
});

test('people and contacts are masked in lists for those who may not see them', async () => {
  // A resident's suggestion goes to the community affairs office.
  const made = await fetch(`${srv.url}/api/v1/public/cases`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'suggestion', category: 'community', text: `建议增设座椅 ${uniq()}`, name: '王小明', phone: '13812345678' }),
  });
  assert.equal(made.status, 201);
  const id = (await made.json()).case.id;
  // Lists carry no person at all, whoever asks; the case itself shows
  // the person in clear to its department and masked to the rest.
  for (const client of [handler2, officer]) {
    const list = await client.call('GET', '/api/v1/cases?limit=500');
    const row = list.json.items.find((c) => c.id === id);
    assert.ok(row, 'listed');
    assert.equal(row.person, null);
    assert.ok(!list.text.includes('13812345678') && !list.text.includes('王小明'));
  }
  const person = async (client) => (await client.call('GET', `/api/v1/cases/${id}`)).json.case.person;
  assert.deepEqual(await person(handler2), { name: '王小明', phone: '13812345678', email: '', masked: false });
  assert.deepEqual(await person(officer), { name: '王**', phone: '138****5678', email: '', masked: true });
  assert.equal((await handler.call('GET', `/api/v1/cases/${id}`)).status, 404, 'another department does not see it');

  // Enterprise contacts: officers in clear, grid workers and handlers masked.
  const q = async (client) => (await client.call('GET', '/api/v1/enterprises?q=Qifan')).json.items[0].contacts[0];
  const inClear = await q(officer);
  assert.match(inClear.phone, /^\d{11}$/);
  for (const client of [grid, handler]) {
    const c = await q(client);
    assert.equal(c.phone, `${inClear.phone.slice(0, 3)}****${inClear.phone.slice(-4)}`);
    assert.match(c.email, /^.\*\*\*@/);
    assert.equal(c.name, inClear.name);
  }
});

test('an officer reopens a resolved case after a callback; the timeline says who', async () => {
  const c = await enter(officer, {});
  await walk(c.id, [[officer, 'accepted'], [officer, 'assigned'], [handler, 'in_progress'], [handler, 'resolved', '已办结']]);
  let r = await officer.call('POST', `/api/v1/cases/${c.id}/reopen`, { note: '回访：企业反映仍未解决' });
  assert.equal(r.status, 200, r.text);
  const g = (await officer.call('GET', `/api/v1/cases/${c.id}`)).json;
  assert.equal(g.case.state, 'reopened');
  assert.ok(g.events.some((e) => e.action === 'reopen' && e.actor === 'officer' && e.note === '回访：企业反映仍未解决'));
  // Once only; and not by a handler.
  assert.deepEqual((await officer.call('GET', `/api/v1/cases/${c.id}`)).json.allowed, ['assigned']);
  await walk(c.id, [[officer, 'assigned'], [handler, 'in_progress'], [handler, 'resolved', '再次办结']]);
  r = await officer.call('POST', `/api/v1/cases/${c.id}/reopen`, { note: '再次' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'reopen_used');
  const d = await enter(officer, {});
  await walk(d.id, [[officer, 'accepted'], [officer, 'assigned'], [handler, 'in_progress'], [handler, 'resolved', '已办结']]);
  r = await handler.call('POST', `/api/v1/cases/${d.id}/reopen`, { note: '自己重开' });
  assert.equal(r.status, 403, r.text);
});

test('officers keep collection points; bad ones are refused naming the field; others may not', async () => {
  const body = { type: 'residential', name_zh: `测试征集点 ${uniq()}`, street: '九里亭街道', address: '九里亭路1号', lon: 121.33, lat: 31.12, keeper: '居委会', hours: '9:00-17:00' };
  let r = await officer.call('POST', '/api/v1/collection-points', body);
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  r = await officer.call('PUT', `/api/v1/collection-points/${id}`, { ...body, hours: '8:30-17:30', active: false });
  assert.equal(r.status, 200, r.text);
  const listed = (await fetch(`${srv.url}/api/v1/collection-points`).then((x) => x.json()));
  const point = (listed.items || listed.points).find((p) => p.id === id);
  assert.ok(!point || point.hours === '8:30-17:30', 'the change is kept (or an inactive point is not listed)');
  for (const [bad, field] of [[{ type: 'kiosk' }, 'type'], [{ name_zh: '' }, 'name_zh'], [{ street: undefined }, 'street'],
    [{ lon: 121.3, lat: undefined }, 'lat'], [{ lon: 200 }, 'lon'], [{ active: 'yes' }, 'active']]) {
    r = await officer.call('POST', '/api/v1/collection-points', { ...body, ...bad });
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    assert.ok([r.json.error.field, ...(r.json.error.errors || []).map((e) => e.field)].includes(field), `${field}: ${r.text}`);
  }
  for (const who of [handler, grid]) {
    r = await who.call('POST', '/api/v1/collection-points', body);
    assert.equal(r.status, 403, r.text);
    r = await who.call('PUT', `/api/v1/collection-points/${id}`, body);
    assert.equal(r.status, 403, r.text);
  }
  r = await officer.call('PUT', '/api/v1/collection-points/999999', body);
  assert.equal(r.status, 404);
});

test('a case keeps at most six photos', async () => {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  const c = await enter(officer, {});
  const post = () => fetch(`${srv.url}/api/v1/cases/${c.id}/photos`, {
    method: 'POST', headers: { Cookie: officer.cookie, 'X-CSRF-Token': officer.csrf, 'Content-Type': 'image/png' }, body: png,
  });
  for (let i = 0; i < 6; i++) assert.equal((await post()).status, 201, `photo ${i + 1}`);
  const seventh = await post();
  assert.equal(seventh.status, 409);
  assert.equal((await seventh.json()).error.code, 'too_many_photos');
  assert.equal((await officer.call('GET', `/api/v1/cases/${c.id}`)).json.photos.length, 6);
});

test('the audit log pages backwards without gaps or repeats', async () => {
  const all = (await admin.call('GET', '/api/v1/audit?limit=500')).json.items;
  assert.ok(all.length > 12, 'enough entries to page');
  const seen = [];
  let before = null;
  for (let pages = 0; pages < 100; pages++) {
    const r = await admin.call('GET', `/api/v1/audit?limit=5${before ? `&before=${before}` : ''}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= 5);
    seen.push(...r.json.items.map((x) => x.id));
    before = r.json.next;
    if (!before) break;
  }
  const ids = all.map((x) => x.id);
  assert.deepEqual(seen.slice(0, ids.length), ids, 'the same entries, newest first');
  assert.equal(new Set(seen).size, seen.length, 'none twice');
  assert.equal((await officer.call('GET', '/api/v1/audit')).status, 403);
  assert.equal((await admin.call('GET', '/api/v1/audit?limit=0')).status, 400);
});
