// What the console's grid editor relies on, against a real server: a
// refused polygon says where (error.detail), a grid is cut in two along a
// line in one transaction, and a grid team is kept by name and department
// with members added and removed one at a time by the rule of a team.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());
const officer = await login(srv.url, 'officer');
const admin = await login(srv.url, 'admin');
const worker = await login(srv.url, 'grid');
const secretary = await login(srv.url, 'secretary');

const grids = async () => (await officer.call('GET', '/api/v1/grids?geometry=1')).json.items;
const byCode = (list, code) => list.find((g) => g.code === code);
const poly = (ring) => ({ type: 'Polygon', coordinates: [ring] });
const box = (x0, y0, x1, y1) => poly([[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]);
const audit = async (action) => (await admin.call('GET', '/api/v1/audit?entity=grid&limit=1000')).json.items
  .filter((a) => a.action === action);
const inBox = ([x0, y0, x1, y1], { lon, lat }) => lon >= x0 && lon <= x1 && lat >= y0 && lat <= y1;

test('a self-crossing polygon is refused with the crossing as error.detail', async () => {
  const g = await grids();
  const w = byCode(g, 'ZY-W');
  const [x0, y0] = w.bbox;
  const before = g.length;
  // A bow-tie whose edges cross at their midpoints.
  const bowtie = poly([[x0, y0], [x0 + 0.002, y0 + 0.002], [x0 + 0.002, y0], [x0, y0 + 0.002], [x0, y0]]);
  const r = await officer.call('POST', '/api/v1/grids', { code: 'ZY-X', name_zh: '自交网格', level: 'cell', parent_id: w.id, geometry: bowtie });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'self_intersection');
  assert.equal(r.json.error.field, 'geometry');
  const { lon, lat } = r.json.error.detail;
  assert.ok(Math.abs(lon - (x0 + 0.001)) < 1e-7 && Math.abs(lat - (y0 + 0.001)) < 1e-7, `${lon} ${lat}`);
  assert.match(r.json.error.message, /crosses itself at/);

  // A change of a grid likewise: a ring pinched at a point.
  const w1 = byCode(g, 'ZY-W1');
  const full = await officer.call('GET', `/api/v1/grids/${w1.id}`);
  const [a, b, c, d] = w1.bbox;
  const mx = (a + c) / 2;
  const my = (b + d) / 2;
  const pinched = poly([[a, b], [c, b], [mx, my], [c, d], [a, d], [mx, my], [a, b]]);
  const p = await officer.call('PUT', `/api/v1/grids/${w1.id}`, { ...full.json.grid, geometry: pinched },
    { 'If-Match': full.headers.get('etag') });
  assert.equal(p.status, 422, p.text);
  assert.equal(p.json.error.code, 'ring_self_intersection');
  assert.ok(Math.abs(p.json.error.detail.lon - mx) < 1e-7 && Math.abs(p.json.error.detail.lat - my) < 1e-7);
  // A rule without a place has no detail.
  const open = await officer.call('POST', '/api/v1/grids', { code: 'ZY-X', name_zh: '开口', level: 'cell', parent_id: w.id,
    geometry: poly([[x0, y0], [x0 + 0.001, y0], [x0 + 0.001, y0 + 0.001], [x0, y0 + 0.001]]) });
  assert.equal(open.json.error.code, 'ring_not_closed');
  assert.equal(open.json.error.detail, undefined);
  assert.equal((await grids()).length, before, 'nothing written');
});

test('a grid outside its parent or over a sibling is refused with a point of the part at fault', async () => {
  const g = await grids();
  const w = byCode(g, 'ZY-W');
  const w1 = byCode(g, 'ZY-W1');
  const [x0, y0, x1, y1] = w.bbox;
  // Half out of the West area, to the south of it.
  const out = await officer.call('POST', '/api/v1/grids', { code: 'ZY-X', name_zh: '越界', level: 'cell', parent_id: w.id,
    geometry: box(x0 + 0.001, y0 - 0.003, x0 + 0.003, y0 + 0.001) });
  assert.equal(out.status, 422, out.text);
  assert.equal(out.json.error.code, 'outside_parent');
  const o = out.json.error.detail;
  assert.ok(inBox([x0 + 0.001, y0 - 0.003, x0 + 0.003, y0 + 0.001], o) && o.lat < y0 + 1e-6, `${o.lon} ${o.lat}`);
  // Inside the area, over cell W1.
  const [a, b, c, d] = w1.bbox;
  const over = box((a + c) / 2 - 0.001, (b + d) / 2 - 0.001, (a + c) / 2 + 0.001, (b + d) / 2 + 0.001);
  const ov = await officer.call('POST', '/api/v1/grids', { code: 'ZY-X', name_zh: '重叠', level: 'cell', parent_id: w.id, geometry: over });
  assert.equal(ov.status, 422, ov.text);
  assert.equal(ov.json.error.code, 'overlaps_sibling');
  assert.ok(inBox(over.coordinates[0][0].concat(over.coordinates[0][2]), ov.json.error.detail));
  assert.ok(x1 > x0 && y1 > y0);
});

test('a grid\'s team by name and department; candidates; one member more or less', async () => {
  const g = await grids();
  const w2 = byCode(g, 'ZY-W2');
  const e1 = byCode(g, 'ZY-E1');
  const users = (await admin.call('GET', '/api/v1/users')).json.items;
  const u = (name) => users.find((x) => x.username === name);

  // ZY-W2's team: 李娜 of the industrial park and 周静 of the transport centre.
  const w2full = (await worker.call('GET', `/api/v1/grids/${w2.id}`)).json;
  assert.deepEqual(w2full.team.map((m) => m.id), w2full.members);
  assert.deepEqual(w2full.team.map((m) => [m.display_name, m.department, m.role]),
    [['李娜', '工业园区', 'grid_worker'], ['周静', '城市运输中心', 'grid_worker']]);
  assert.ok(!('username' in w2full.team[0]), 'no login names');

  // Whom ZY-E1 (王磊's) may take: the other grid workers, by name.
  let r = await officer.call('GET', `/api/v1/grids/${e1.id}/candidates`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((m) => m.display_name).sort(), ['周静', '李娜'].sort());
  assert.equal(r.json.more, false);
  r = await officer.call('GET', `/api/v1/grids/${e1.id}/candidates?q=${encodeURIComponent('运输')}`);
  assert.deepEqual(r.json.items.map((m) => [m.display_name, m.department]), [['周静', '城市运输中心']]);
  assert.equal((await worker.call('GET', `/api/v1/grids/${e1.id}/candidates`)).status, 403);
  assert.equal((await secretary.call('GET', `/api/v1/grids/${e1.id}/candidates`)).status, 403);
  assert.equal((await officer.call('GET', '/api/v1/grids/9999/candidates')).status, 404);

  // Added by id, as chosen by name.
  r = await officer.call('POST', `/api/v1/grids/${e1.id}/members`, { user_id: u('grid3').id });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.team.map((m) => m.display_name), ['王磊', '周静']);
  assert.deepEqual(r.json.user_ids, [u('grid2').id, u('grid3').id]);
  assert.deepEqual((await officer.call('GET', `/api/v1/grids/${e1.id}`)).json.members, r.json.user_ids);
  assert.equal((await audit('add_member')).filter((a) => a.entity_id === e1.id).length, 1);
  r = await officer.call('POST', `/api/v1/grids/${e1.id}/members`, { user_id: u('grid3').id });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'already_member');
  assert.equal((await officer.call('GET', `/api/v1/grids/${e1.id}/candidates`)).json.items.length, 1, '周静 is no candidate now');

  // The rule of a team.
  r = await officer.call('POST', `/api/v1/grids/${e1.id}/members`, { user_id: u('officer').id });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'not_grid_worker');
  assert.equal(r.json.error.field, 'user_id');
  r = await officer.call('POST', `/api/v1/grids/${e1.id}/members`, { user_id: 99999 });
  assert.equal(r.json.error.code, 'unknown_user');
  r = await officer.call('POST', `/api/v1/grids/${e1.id}/members`, { user_id: 'grid3' });
  assert.equal(r.status, 422);
  r = await officer.call('POST', `/api/v1/grids/${e1.id}/members`, { user_id: u('grid').id, role: 'x' });
  assert.equal(r.json.error.code, 'unknown_field');
  // A worker of another town (朱泾镇) holds no grid of Zhangyan's.
  const far = await admin.call('POST', '/api/v1/users', { username: 'zhujing.grid', password: 'qunyan2024', role: 'grid_worker', display_name: '朱泾网格员', jurisdiction: '310116101' });
  assert.equal(far.status, 201, far.text);
  r = await officer.call('POST', `/api/v1/grids/${e1.id}/members`, { user_id: far.json.id });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'member_outside_grid');
  r = await officer.call('PUT', `/api/v1/grids/${e1.id}/members`, { user_ids: [u('grid2').id, far.json.id] });
  assert.equal(r.json.error.code, 'member_outside_grid');
  assert.equal(r.json.error.field, 'user_ids[1]');
  assert.ok(!(await officer.call('GET', `/api/v1/grids/${e1.id}/candidates?q=${encodeURIComponent('朱泾')}`)).json.items.length);
  // A disabled one joins no team.
  const off = await admin.call('POST', '/api/v1/users', { username: 'away.grid', password: 'qunyan2024', role: 'grid_worker', display_name: '休假网格员' });
  assert.equal(off.status, 201, off.text);
  assert.equal((await admin.call('PATCH', `/api/v1/users/${off.json.id}`, { disabled: true })).status, 200);
  r = await officer.call('POST', `/api/v1/grids/${e1.id}/members`, { user_id: off.json.id });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'user_disabled');
  // Only admins and officers.
  assert.equal((await worker.call('POST', `/api/v1/grids/${e1.id}/members`, { user_id: u('grid').id })).status, 403);

  // One less.
  r = await officer.call('DELETE', `/api/v1/grids/${e1.id}/members/${u('grid3').id}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.team.map((m) => m.display_name), ['王磊']);
  r = await officer.call('DELETE', `/api/v1/grids/${e1.id}/members/${u('grid3').id}`);
  assert.equal(r.status, 404);
  assert.equal(r.json.error.code, 'not_member');
  assert.equal((await audit('remove_member')).filter((a) => a.entity_id === e1.id).length, 1);
  assert.equal((await worker.call('DELETE', `/api/v1/grids/${e1.id}/members/${u('grid2').id}`)).status, 403);
});

test('a grid is cut in two along a line, all in one transaction', async () => {
  let g = await grids();
  const e2 = byCode(g, 'ZY-E2');
  const full = await officer.call('GET', `/api/v1/grids/${e2.id}`);
  const etag = full.headers.get('etag');
  const [x0, y0, x1, y1] = e2.bbox;
  const mx = x0 + (x1 - x0) * 0.3;
  const line = { type: 'LineString', coordinates: [[mx, y0 - 0.001], [mx, y1 + 0.001]] };
  const body = { code: 'ZY-E4', name_zh: '东片区四网格', name_en: 'East cell 4', line };
  const n = g.length;

  // Refusals first; none writes anything.
  let r = await officer.call('POST', `/api/v1/grids/${e2.id}/split`, body);
  assert.equal(r.status, 428, 'If-Match is required');
  r = await officer.call('POST', `/api/v1/grids/${e2.id}/split`, { ...body, line: { type: 'LineString', coordinates: [[mx, y0 - 0.001], [mx, (y0 + y1) / 2]] } }, { 'If-Match': etag });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'bad_split');
  assert.equal(r.json.error.field, 'line');
  r = await officer.call('POST', `/api/v1/grids/${e2.id}/split`, { ...body, line: { type: 'Point', coordinates: [mx, y0] } }, { 'If-Match': etag });
  assert.equal(r.json.error.code, 'wrong_type');
  r = await officer.call('POST', `/api/v1/grids/${e2.id}/split`, { ...body, line: 'x' }, { 'If-Match': etag });
  assert.equal(r.json.error.code, 'wrong_type');
  assert.equal(r.json.error.field, 'line');
  r = await officer.call('POST', `/api/v1/grids/${e2.id}/split`, { code: 'ZY-E4' }, { 'If-Match': etag });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.errors.map((e) => e.field).sort(), ['line', 'name_zh']);
  r = await officer.call('POST', `/api/v1/grids/${e2.id}/split`, { ...body, code: 'ZY-E1' }, { 'If-Match': etag });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'duplicate_code');
  const east = byCode(g, 'ZY-E');
  r = await officer.call('POST', `/api/v1/grids/${east.id}/split`, body, { 'If-Match': '*' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'has_children');
  r = await officer.call('POST', `/api/v1/grids/${e2.id}/split`, body, { 'If-Match': '"v999"' });
  assert.equal(r.status, 412);
  assert.equal((await worker.call('POST', `/api/v1/grids/${e2.id}/split`, body, { 'If-Match': etag })).status, 403);
  assert.equal((await grids()).length, n, 'nothing written');
  assert.equal((await officer.call('GET', `/api/v1/grids/${e2.id}`)).headers.get('etag'), etag);

  // The cut.
  r = await officer.call('POST', `/api/v1/grids/${e2.id}/split`, body, { 'If-Match': etag });
  assert.equal(r.status, 201, r.text);
  const kept = r.json.grid;
  const made = r.json.new_grid;
  assert.equal(r.headers.get('location'), `/api/v1/grids/${made.id}`);
  assert.equal(kept.id, e2.id);
  assert.equal(kept.code, 'ZY-E2');
  assert.equal(made.code, 'ZY-E4');
  assert.equal(made.name_en, 'East cell 4');
  assert.equal(made.level, 'cell');
  assert.equal(made.parent_id, e2.parent_id);
  assert.deepEqual(made.jurisdiction, kept.jurisdiction);
  assert.ok(kept.area_km2 > made.area_km2, 'the larger piece stays the grid');
  assert.ok(Math.abs(kept.area_km2 + made.area_km2 - e2.area_km2) < 1e-5, `${kept.area_km2} + ${made.area_km2} = ${e2.area_km2}`);
  assert.ok(Math.abs(made.bbox[2] - mx) < 1e-9 && Math.abs(kept.bbox[0] - mx) < 1e-9, 'they meet on the line');
  // The enterprises follow their piece; none is lost.
  g = await grids();
  assert.equal(g.length, n + 1);
  assert.equal(byCode(g, 'ZY-E2').enterprises + byCode(g, 'ZY-E4').enterprises, e2.enterprises);
  assert.equal((await officer.call('GET', '/api/v1/grids/unplaced')).json.count, 0);
  // The same team on both, until it is changed.
  const team = (await officer.call('GET', `/api/v1/grids/${made.id}`)).json;
  assert.deepEqual(team.members, full.json.members);
  assert.ok(team.team.length > 0);
  const split = (await audit('split')).find((a) => a.entity_id === e2.id);
  assert.ok(split, 'the split is audited');
  assert.match(JSON.stringify(split), new RegExp(`"new_grid_id\\\\?":${made.id}`));
  assert.ok((await audit('create')).some((a) => a.entity_id === made.id));
});
