// Transfers of cases between jurisdictions (the 12345 hotline's 转办) on a
// real server: a case of Jiuliting sent to Zhangyan and accepted there
// (the case moves, with the department and time limit of its new side,
// its timeline and district), one returned (it stays, the sender reads
// why), the way back allowed once and then refused as a loop, and every
// refusal: an unknown target, the case's own jurisdiction, a transfer
// pending, no reason, a final case, callers outside the scope or of the
// wrong role.  The demo's tree: 上海市 310000 > 金山区 310116 > 张堰镇
// 310116103 (home), 朱泾镇 310116101; 松江区 310117 > 九里亭街道 310117011.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login, dbQuery } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());

const ZY = '310116103', ZJ = '310116101', JLT = '310117011', JS = '310116', SH = '310000';
const jiuliting = await login(srv.url, 'officer.jiuliting');
const zhangyan = await login(srv.url, 'officer.zhangyan');
const zhujing = await login(srv.url, 'officer.zhujing');
const jinshan = await login(srv.url, 'officer.jinshan');
const officer = await login(srv.url, 'officer'); // the whole tree
const admin = await login(srv.url, 'admin');
const handler = await login(srv.url, 'handler'); // 经济园区
const handler2 = await login(srv.url, 'handler2'); // 社区管理办
const secretary = await login(srv.url, 'secretary'); // cluster 1
const qifan = await login(srv.url, 'qifan'); // enterprise 1

const tree = (await officer.call('GET', '/api/v1/jurisdictions')).json.items;
const node = (code) => tree.find((j) => j.code === code);
// The codes of a node and every node under it, from the parent links.
function subtree(code) {
  const out = new Set([code]);
  for (let grew = true; grew;) {
    grew = false;
    for (const j of tree) {
      const parent = tree.find((p) => p.id === j.parent_id);
      if (parent && out.has(parent.code) && !out.has(j.code)) { out.add(j.code); grew = true; }
    }
  }
  return out;
}
const categories = (await officer.call('GET', '/api/v1/case-categories')).json.items;
const category = (code) => categories.find((c) => c.code === code);
const departments = (await officer.call('GET', '/api/v1/departments')).json.items;

let seq = 0;
const uniq = () => `${process.pid}-${++seq}`;
const sql = (q) => dbQuery(srv.db, q);
const HOUR = 3600 * 1000;

// A case entered by a client; where it lies is its scope's, or the body's.
async function enter(client, fields = {}) {
  const r = await client.call('POST', '/api/v1/cases',
    { kind: 'complaint', category: 'safety', text: `楼道堆放杂物 ${uniq()}`, ...fields });
  assert.equal(r.status, 201, r.text);
  return r.json.case;
}
const send = (client, id, body) => client.call('POST', `/api/v1/cases/${id}/transfer`, body);
const accept = (client, id, body = {}) => client.call('POST', `/api/v1/cases/${id}/transfer/accept`, body);
const giveBack = (client, id, body) => client.call('POST', `/api/v1/cases/${id}/transfer/return`, body);
const getCase = (client, id) => client.call('GET', `/api/v1/cases/${id}`);
function refused(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.error.code, code, r.text);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
}
// A case moved from one side to the other, accepted there.
async function moveTo(from, to, id, code) {
  const s = await send(from, id, { to: code, reason: `应由${code}办理` });
  assert.equal(s.status, 201, s.text);
  const a = await accept(to, id);
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.case.jurisdiction.code, code);
  return a.json.case;
}

test('intake places a case: its scope, its point, its body; a rule of the place routes it', async () => {
  const c = await enter(jiuliting);
  assert.equal(c.jurisdiction.code, JLT, 'the scope of the officer who entered it');
  assert.equal(c.transfer, null);
  // Jiuliting's rule for safety hazards: its own office, 12 hours.
  assert.equal(c.department.name, '九里亭街道平安办');
  assert.equal(Date.parse(c.deadline) - Date.parse(c.created_at), 12 * HOUR);
  // the same category at home: the category's own department and time limit
  const home = await enter(zhangyan);
  assert.equal(home.jurisdiction.code, ZY);
  assert.equal(home.department.id, category('safety').department.id);
  assert.equal(Date.parse(home.deadline) - Date.parse(home.created_at), category('safety').deadline_hours * HOUR);
  // a case collected at a Jiuliting point lies in Jiuliting, whoever enters it
  const points = (await officer.call('GET', '/api/v1/collection-points')).json.items;
  const jltPoint = points.find((p) => p.jurisdiction.code === JLT);
  const zyPoint = points.find((p) => p.jurisdiction.code === ZY);
  assert.ok(jltPoint && zyPoint, 'points of both places');
  const atPoint = await enter(officer, { kind: 'suggestion', category: 'community', point_id: jltPoint.id });
  assert.equal(atPoint.jurisdiction.code, JLT);
  // the body's jurisdiction, inside the caller's scope
  const named = await enter(jinshan, { jurisdiction: ZJ });
  assert.equal(named.jurisdiction.code, ZJ);
  const byId = await enter(officer, { jurisdiction: node(ZJ).id });
  assert.equal(byId.jurisdiction.code, ZJ);
  // outside the caller's scope, by the body or by what places it: 403 naming the field
  refused(await jiuliting.call('POST', '/api/v1/cases', { kind: 'complaint', category: 'safety', text: `越界 ${uniq()}`, jurisdiction: ZY }),
    403, 'outside_scope', 'jurisdiction');
  refused(await jiuliting.call('POST', '/api/v1/cases', { kind: 'suggestion', category: 'community', text: `越界 ${uniq()}`, point_id: zyPoint.id }),
    403, 'outside_scope', 'point_id');
  refused(await zhangyan.call('POST', '/api/v1/cases', { kind: 'complaint', category: 'safety', text: `无此地 ${uniq()}`, jurisdiction: '999999999' }),
    422, 'unknown_jurisdiction', 'jurisdiction');
  // the public form does not choose
  const pub = await fetch(`${srv.url}/api/v1/public/cases`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'suggestion', category: 'community', text: `选地方 ${uniq()}`, jurisdiction: JLT }) });
  const pj = await pub.json();
  assert.equal(pub.status, 422, JSON.stringify(pj));
  assert.ok([pj.error.field, ...(pj.error.errors || []).map((e) => e.field)].includes('jurisdiction'));
});

test('Jiuliting sends a case to Zhangyan, Zhangyan accepts: it moves, with the department and time limit of its new side', async () => {
  // a webhook, so that the outbox shows what the pipeline notifies
  assert.equal((await admin.call('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook' })).status, 201);
  const c = await enter(jiuliting);
  const sent = await send(jiuliting, c.id, { to: ZY, reason: '事发地在张堰镇，应由张堰镇处置' });
  assert.equal(sent.status, 201, sent.text);
  assert.equal(sent.headers.get('location'), `/api/v1/cases/${c.id}/transfers`);
  const t = sent.json.case.transfer;
  assert.equal(t.status, 'pending');
  assert.equal(t.from.code, JLT);
  assert.equal(t.to.code, ZY);
  assert.equal(t.sent_by, 'officer.jiuliting');
  const sender = (await jiuliting.call('GET', '/api/v1/session')).json.user;
  assert.ok(sender.display_name, 'the demo names its officers');
  assert.equal(t.sent_by_display_name, sender.display_name, 'and the console names the sender so');
  assert.equal(t.answered_by_display_name, null);
  assert.equal(sent.json.case.jurisdiction.code, JLT, 'it stays until it is accepted');

  // the receiving side reads it to decide, and finds it in its inbox
  const seen = await getCase(zhangyan, c.id);
  assert.equal(seen.status, 200, seen.text);
  assert.equal(seen.json.may_answer_transfer, true);
  assert.equal(seen.json.may_transfer, false, 'one transfer at a time');
  const inbox = (await zhangyan.call('GET', '/api/v1/transfers?direction=in&status=pending')).json;
  const row = inbox.items.find((x) => x.case_id === c.id);
  assert.ok(row, JSON.stringify(inbox));
  assert.equal(row.case.tracking_code, sent.json.case.tracking_code);
  assert.equal(row.reason, '事发地在张堰镇，应由张堰镇处置');
  const out = (await jiuliting.call('GET', '/api/v1/transfers?direction=out&status=pending')).json.items;
  assert.ok(out.some((x) => x.case_id === c.id));
  assert.ok(!(await jiuliting.call('GET', '/api/v1/transfers?direction=in')).json.items.some((x) => x.case_id === c.id));
  // a third town neither reads nor answers it; the sender does not answer its own
  assert.equal((await getCase(zhujing, c.id)).status, 404);
  assert.equal((await accept(zhujing, c.id)).status, 404);
  refused(await accept(jiuliting, c.id), 403, 'forbidden');
  // a handler sends, but answers nothing
  refused(await accept(handler, c.id), 404, 'not_found');

  const before = Date.now();
  const a = await accept(zhangyan, c.id, { note: '已接收，安排网格员核查' });
  assert.equal(a.status, 200, a.text);
  const moved = a.json.case;
  assert.equal(moved.jurisdiction.code, ZY);
  assert.equal(moved.transfer, null);
  // Zhangyan has no rule for safety hazards: the category's own department and time limit,
  // counted from the acceptance
  assert.equal(moved.department.id, category('safety').department.id);
  assert.notEqual(moved.department.name, c.department.name);
  const left = Date.parse(moved.deadline) - before;
  assert.ok(Math.abs(left - category('safety').deadline_hours * HOUR) < 120 * 1000, `deadline ${moved.deadline}`);
  // the case and its whole timeline now lie in Jinshan's district
  assert.equal(sql(`SELECT jurisdiction_id || ' ' || district_id FROM cases WHERE id = ${c.id}`), `${node(ZY).id} ${node(JS).id}`);
  assert.deepEqual(sql(`SELECT DISTINCT district_id FROM case_events WHERE case_id = ${c.id}`).split('\n'), [String(node(JS).id)]);
  // the timeline: sent (internal, with the reason), accepted (public)
  const events = (await getCase(zhangyan, c.id)).json.events;
  const tx = events.find((e) => e.action === 'transfer');
  const ta = events.find((e) => e.action === 'transfer_accept');
  assert.ok(tx && ta, JSON.stringify(events));
  assert.equal(tx.public, false);
  assert.ok(tx.note.includes('事发地在张堰镇'));
  assert.equal(tx.actor, 'officer.jiuliting');
  assert.equal(ta.public, true);
  assert.ok(ta.note.includes('张堰镇'));
  assert.equal(ta.actor, 'officer.zhangyan');
  // the public see where it went, not why
  const pub = await (await fetch(`${srv.url}/api/v1/public/cases/${moved.tracking_code}`)).json();
  assert.equal(pub.case.jurisdiction.code, ZY);
  assert.ok(pub.events.some((e) => e.action === 'transfer_accept'));
  assert.ok(!pub.events.some((e) => e.action === 'transfer'));
  // the sender no longer sees the case, and sees that it left
  assert.equal((await getCase(jiuliting, c.id)).status, 404);
  const done = (await jiuliting.call('GET', '/api/v1/transfers?direction=out')).json.items.find((x) => x.case_id === c.id);
  assert.equal(done.status, 'accepted');
  assert.equal(done.answered_by, 'officer.zhangyan');
  assert.equal(done.note, '已接收，安排网格员核查');
  // the case's transfers
  const list = (await zhangyan.call('GET', `/api/v1/cases/${c.id}/transfers`)).json;
  assert.equal(list.count, 1);
  assert.equal(list.jurisdiction.code, ZY);
  assert.equal(list.items[0].status, 'accepted');
  // audited, and notified
  const audit = (await admin.call('GET', `/api/v1/audit?entity=case&entity_id=${c.id}`)).json.items.map((x) => x.action);
  assert.ok(audit.includes('transfer') && audit.includes('transfer_accept'), audit.join());
  const outbox = sql(`SELECT event FROM outbox WHERE case_id = ${c.id}`).split('\n');
  assert.ok(outbox.includes('case.transfer') && outbox.includes('case.transfer_accept'), outbox.join());
  // the reason is the offices' business: the timeline keeps it, notifications do not
  const payloads = sql(`SELECT payload FROM outbox WHERE case_id = ${c.id}`);
  assert.ok(!payloads.includes('应由张堰镇处置') && payloads.includes('张堰镇'), payloads);
});

test('the receiving side\'s rule: a case sent to Jiuliting takes its safety office and its 12 hours', async () => {
  const c = await enter(zhangyan);
  const before = Date.now();
  const moved = await moveTo(zhangyan, jiuliting, c.id, JLT);
  assert.equal(moved.department.name, '九里亭街道平安办');
  assert.ok(Math.abs(Date.parse(moved.deadline) - before - 12 * HOUR) < 120 * 1000, moved.deadline);
});

test('a case returned: it stays where it was, and the sender reads why', async () => {
  const c = await enter(jiuliting, { kind: 'suggestion', category: 'community', text: `建议增设休息座椅 ${uniq()}` });
  const etag0 = (await getCase(jiuliting, c.id)).headers.get('etag');
  assert.equal((await send(jiuliting, c.id, { to: ZJ, reason: '位于朱泾镇' })).status, 201);
  // Sending and returning change what the case reads as: new versions.
  const sent = await getCase(jiuliting, c.id);
  assert.equal(sent.json.case.version, c.version + 1);
  assert.notEqual(sent.headers.get('etag'), etag0);
  refused(await giveBack(zhujing, c.id, {}), 422, 'reason_required', 'reason');
  refused(await giveBack(zhujing, c.id, { reason: '   ' }), 422, 'reason_required', 'reason');
  refused(await giveBack(zhujing, c.id, { reason: '不属本镇', note: 'x' }), 422, 'unknown_field');
  const r = await giveBack(zhujing, c.id, { reason: '经核实，地址属九里亭街道' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.jurisdiction.code, JLT);
  assert.equal(r.json.case.transfer, null);
  assert.equal(r.json.case.department.id, c.department.id, 'nothing moved');
  assert.equal(r.json.case.deadline, c.deadline);
  assert.equal(r.json.case.version, c.version + 2);
  // the receiving side is done with it
  assert.equal((await getCase(zhujing, c.id)).status, 404);
  // the sender reads why, in the transfer and the timeline
  const list = (await jiuliting.call('GET', `/api/v1/cases/${c.id}/transfers`)).json.items;
  assert.equal(list.length, 1);
  assert.equal(list[0].status, 'returned');
  assert.equal(list[0].note, '经核实，地址属九里亭街道');
  assert.equal(list[0].answered_by, 'officer.zhujing');
  const events = (await getCase(jiuliting, c.id)).json.events;
  const ret = events.find((e) => e.action === 'transfer_return');
  assert.ok(ret && ret.note.includes('经核实') && ret.public === false, JSON.stringify(events));
  // nothing waits any more
  refused(await giveBack(zhujing, c.id, { reason: '再退' }), 404, 'not_found');
  refused(await accept(jiuliting, c.id), 409, 'no_pending_transfer');
  // it may be sent again, elsewhere
  assert.equal((await send(jiuliting, c.id, { to: ZY, reason: '改派张堰镇' })).status, 201);
  const audit = (await admin.call('GET', `/api/v1/audit?entity=case&entity_id=${c.id}`)).json.items.map((x) => x.action);
  assert.ok(audit.includes('transfer_return'), audit.join());
});

test('a place that returned a case twice is not sent it a third time; the parent above both settles it', async () => {
  const c = await enter(jiuliting, { kind: 'suggestion', category: 'community', text: `建议修缮凉亭 ${uniq()}` });
  for (const why of ['不属本镇', '补充材料后仍不属本镇']) {
    assert.equal((await send(jiuliting, c.id, { to: ZJ, reason: '位于朱泾镇' })).status, 201);
    assert.equal((await giveBack(zhujing, c.id, { reason: why })).status, 200);
  }
  const before = sql(`SELECT version, jurisdiction_id FROM cases WHERE id = ${c.id}`);
  const r = await send(jiuliting, c.id, { to: ZJ, reason: '再次转办' });
  refused(r, 422, 'transfer_returned', 'to');
  assert.match(r.json.error.message, /朱泾镇/);
  assert.match(r.json.error.message, /上海市/, 'names the parent above both');
  assert.equal(sql(`SELECT version, jurisdiction_id FROM cases WHERE id = ${c.id}`), before, 'nothing written');
  assert.equal((await jiuliting.call('GET', `/api/v1/cases/${c.id}/transfers`)).json.items.length, 2);
  // Elsewhere is still open to the sender.
  const zy = await send(jiuliting, c.id, { to: ZY, reason: '或属张堰镇' });
  assert.equal(zy.status, 201, zy.text);
  assert.equal((await giveBack(zhangyan, c.id, { reason: '不属张堰镇' })).status, 200);
  // The city, above Songjiang and Jinshan, decides: its transfer stands.
  const decided = await send(officer, c.id, { to: ZJ, reason: '经市里协调，属朱泾镇' });
  assert.equal(decided.status, 201, decided.text);
  assert.equal((await accept(zhujing, c.id)).status, 200);
  assert.equal((await getCase(zhujing, c.id)).json.case.jurisdiction.code, ZJ);
});

test('refusals: unknown target, itself, pending twice, no reason, a loop, a final case', async () => {
  const c = await enter(jiuliting);
  refused(await send(jiuliting, c.id, { to: '999999999', reason: '无此地' }), 422, 'unknown_jurisdiction', 'to');
  refused(await send(jiuliting, c.id, { to: 424242, reason: '无此编号' }), 422, 'unknown_jurisdiction', 'to');
  refused(await send(jiuliting, c.id, { reason: '没有去向' }), 422, 'required', 'to');
  refused(await send(jiuliting, c.id, { to: true, reason: '类型不对' }), 422, 'wrong_type', 'to');
  refused(await send(jiuliting, c.id, { to: JLT, reason: '自己' }), 422, 'transfer_to_itself', 'to');
  refused(await send(jiuliting, c.id, { to: ZY }), 422, 'reason_required', 'reason');
  refused(await send(jiuliting, c.id, { to: ZY, reason: '   ' }), 422, 'reason_required', 'reason');
  refused(await send(jiuliting, c.id, { to: ZY, reason: 'x'.repeat(501) }), 422, 'too_long', 'reason');
  refused(await send(jiuliting, c.id, { to: ZY, reason: '属张堰', extra: 1 }), 422, 'unknown_field');
  // one pending at a time
  assert.equal((await send(jiuliting, c.id, { to: ZY, reason: '属张堰镇' })).status, 201);
  refused(await send(jiuliting, c.id, { to: ZJ, reason: '又转朱泾' }), 409, 'transfer_pending');
  assert.equal((await accept(zhangyan, c.id)).status, 200);

  // the way back, once each way; a second return is a loop, and the common parent decides
  await moveTo(zhangyan, jiuliting, c.id, JLT); // back to Jiuliting: its first return
  await moveTo(jiuliting, zhangyan, c.id, ZY); // back to Zhangyan: its first return
  const loop = await send(zhangyan, c.id, { to: JLT, reason: '再转回九里亭' });
  refused(loop, 422, 'transfer_loop', 'to');
  assert.ok(loop.json.error.message.includes('上海市'), loop.json.error.message);
  const up = await send(zhangyan, c.id, { to: SH, reason: '两地争议，请市里协调' });
  assert.equal(up.status, 201, up.text);
  assert.equal((await accept(officer, c.id)).status, 200);
  assert.equal((await getCase(officer, c.id)).json.case.jurisdiction.code, SH);

  // a final case is not sent
  const done = await enter(jiuliting);
  assert.equal((await jiuliting.call('POST', `/api/v1/cases/${done.id}/transition`, { to: 'rejected', note: '重复反映' })).status, 200);
  refused(await send(jiuliting, done.id, { to: ZY, reason: '属张堰镇' }), 409, 'not_open');
  refused(await accept(jiuliting, done.id), 409, 'no_pending_transfer');
});

test('who may: the scope that holds the case sends, the one it is sent to answers; roles without the right are refused', async () => {
  const c = await enter(jiuliting);
  // outside the scope: the case reads as absent
  for (const who of [zhangyan, zhujing, jinshan]) refused(await send(who, c.id, { to: ZY, reason: '越权' }), 404, 'not_found');
  // a district officer sends its towns' cases, and answers for them
  const home = await enter(zhangyan);
  assert.equal((await send(jinshan, home.id, { to: JLT, reason: '属松江区九里亭街道' })).status, 201);
  assert.equal((await giveBack(jiuliting, home.id, { reason: '不属本街道' })).status, 200);
  assert.equal((await send(zhangyan, home.id, { to: ZJ, reason: '属朱泾镇' })).status, 201);
  assert.equal((await accept(jinshan, home.id)).status, 200, 'Zhujing lies in Jinshan');
  // roles that may read a case but not send it
  const own = await enter(officer, { kind: 'problem', category: 'land', text: `扩产用地 ${uniq()}`, enterprise_id: 1 });
  refused(await send(secretary, own.id, { to: ZJ, reason: '秘书转办' }), 403, 'forbidden');
  refused(await send(qifan, own.id, { to: ZJ, reason: '企业转办' }), 403, 'forbidden');
  // a handler sends its department's cases; another department's is not its to read
  refused(await send(handler2, own.id, { to: ZJ, reason: '他部门' }), 404, 'not_found');
  const byHandler = await send(handler, own.id, { to: ZJ, reason: '企业已迁至朱泾镇' });
  assert.equal(byHandler.status, 201, byHandler.text);
  // answering is for officers and admins of the receiving side
  refused(await accept(handler, own.id), 403, 'forbidden');
  refused(await accept(secretary, own.id), 403, 'forbidden');
  refused(await accept(zhangyan, own.id), 403, 'forbidden');
  assert.equal((await accept(zhujing, own.id)).status, 200);
  // the inbox is for officers and admins, inside their scope
  refused(await handler.call('GET', '/api/v1/transfers'), 403, 'forbidden');
  refused(await zhangyan.call('GET', `/api/v1/transfers?jurisdiction=${JLT}`), 403, 'outside_scope', 'jurisdiction');
  refused(await officer.call('GET', '/api/v1/transfers?direction=sideways'), 400, 'invalid_parameter', 'direction');
  refused(await officer.call('GET', '/api/v1/transfers?status=maybe'), 400, 'invalid_status', 'status');
  const all = (await officer.call('GET', `/api/v1/transfers?jurisdiction=${JS}&limit=500`)).json.items;
  const inJinshan = subtree(JS);
  assert.ok(all.length > 0 && all.every((x) => inJinshan.has(x.to.code)), JSON.stringify(all.map((x) => x.to.code)));
  const mine = (await jinshan.call('GET', '/api/v1/transfers?direction=in&limit=500')).json.items;
  assert.deepEqual(mine.map((x) => x.id).sort(), all.map((x) => x.id).sort(), 'a district officer\'s inbox is its district\'s');
  // paging
  const first = (await officer.call('GET', '/api/v1/transfers?limit=1')).json;
  assert.equal(first.count, 1);
  const second = (await officer.call('GET', `/api/v1/transfers?limit=1&after=${first.next}`)).json;
  assert.ok(second.items[0].id < first.items[0].id);
  // a department list of a scope holds what lies in it and above it
  const jltDepts = (await jiuliting.call('GET', '/api/v1/departments')).json.items.map((d) => d.jurisdiction.code);
  assert.ok(jltDepts.includes(JLT) && !jltDepts.includes(ZY), jltDepts.join());
  assert.ok(departments.length > jltDepts.length);
});

test('a case waiting for its answer is changed by neither side until it is answered', async () => {
  const c = await enter(jiuliting);
  assert.equal((await send(jiuliting, c.id, { to: ZY, reason: '属张堰镇' })).status, 201);
  const before = sql(`SELECT state, version, jurisdiction_id FROM cases WHERE id = ${c.id}`);
  // the sender cannot close or merge what the other side is about to take
  const other = await enter(jiuliting);
  for (const [path, body] of [['transition', { to: 'rejected', note: '重复' }], ['merge', { into: other.id, note: '重复' }], ['assign', { deadline: '2031-01-01T00:00:00Z', note: '延期' }]]) {
    refused(await jiuliting.call('POST', `/api/v1/cases/${c.id}/${path}`, body), 409, 'transfer_pending');
  }
  // the receiver reads it, and acts on it only once it has taken it
  assert.equal((await zhangyan.call('GET', `/api/v1/cases/${c.id}`)).status, 200);
  refused(await zhangyan.call('POST', `/api/v1/cases/${c.id}/transition`, { to: 'accepted', note: '先办' }), 403, 'outside_scope');
  const own = await enter(zhangyan);
  refused(await zhangyan.call('POST', `/api/v1/cases/${own.id}/merge`, { into: c.id, note: '并案' }), 422, 'unknown_case', 'into');
  assert.equal(sql(`SELECT state, version, jurisdiction_id FROM cases WHERE id = ${c.id}`), before, 'nothing written');
  assert.equal((await accept(zhangyan, c.id)).status, 200);
  assert.equal((await zhangyan.call('POST', `/api/v1/cases/${c.id}/transition`, { to: 'accepted', note: '受理' })).status, 200);
});

test('a case dispatched to another category is routed by the rule of its place, as at intake', async () => {
  const c = await enter(jiuliting, { category: 'community', text: `路灯不亮 ${uniq()}` });
  assert.notEqual(c.department.name, '九里亭街道平安办');
  const r = await jiuliting.call('POST', `/api/v1/cases/${c.id}/assign`, { category_id: category('safety').id, note: '改为安全类' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case.department.name, '九里亭街道平安办', 'Jiuliting\'s rule, not the category\'s own department');
});
