// Grids, placement, visits, indicators and alerts against a real server,
// with bad GeoJSON of every kind.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());
const officer = await login(srv.url, 'officer');
const grid = await login(srv.url, 'grid');
const admin = await login(srv.url, 'admin');

const grids = async () => (await officer.call('GET', '/api/v1/grids')).json.items;
const byCode = (list, code) => list.find((g) => g.code === code);
const auditCount = async () => (await admin.call('GET', '/api/v1/audit?limit=1000')).json.items.length;
const poly = (ring) => ({ type: 'Polygon', coordinates: [ring] });

test('the park is a town of 2.35 km² split into West and East, each in three cells', async () => {
  const g = await grids();
  assert.equal(g.length, 9);
  const town = byCode(g, 'ZY'); const w = byCode(g, 'ZY-W'); const e = byCode(g, 'ZY-E');
  assert.equal(town.level, 'town');
  assert.ok(Math.abs(w.area_km2 + e.area_km2 - 2.35) / 2.35 < 0.01, `${w.area_km2} + ${e.area_km2}`);
  assert.ok(Math.abs(town.area_km2 - 2.35) / 2.35 < 0.01);
  assert.equal(w.parent_id, town.id);
  const cells = g.filter((x) => x.level === 'cell');
  assert.equal(cells.length, 6);
  assert.ok(Math.abs(cells.reduce((a, c) => a + c.area_km2, 0) - town.area_km2) < 0.001);
  // every park enterprise is in a cell, none left outside
  assert.equal(cells.reduce((a, c) => a + c.enterprises, 0), 274);
  const un = await officer.call('GET', '/api/v1/grids/unplaced');
  assert.equal(un.json.count, 0);
});

test('grids export as a GeoJSON FeatureCollection', async () => {
  const r = await officer.call('GET', '/api/v1/grids/geojson');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /geo\+json/);
  assert.equal(r.json.type, 'FeatureCollection');
  assert.equal(r.json.features.length, 9);
  for (const f of r.json.features) {
    assert.equal(f.type, 'Feature');
    assert.ok(['Polygon', 'MultiPolygon'].includes(f.geometry.type));
    const ring = f.geometry.coordinates[0];
    assert.deepEqual(ring[0], ring[ring.length - 1], 'closed ring');
  }
});

test('bad GeoJSON of every kind is refused with the reason, and nothing is written', async () => {
  const g = await grids();
  const w = byCode(g, 'ZY-W');
  const [minx, miny, maxx, maxy] = w.bbox;
  const a0 = await auditCount();
  const base = { code: 'ZY-X', name_zh: '测试网格', level: 'cell', parent_id: w.id };
  const cases = [
    ['open ring', poly([[minx, miny], [minx + 0.001, miny], [minx + 0.001, miny + 0.001], [minx, miny + 0.001]]), /closed/],
    ['too few positions', poly([[minx, miny], [minx + 0.001, miny], [minx, miny]]), /four|4/],
    ['bow-tie', poly([[minx, miny], [minx + 0.001, miny + 0.001], [minx + 0.001, miny], [minx, miny + 0.001], [minx, miny]]), /self-intersection|intersect/i],
    ['longitude out of range', poly([[181, 30], [181.001, 30], [181.001, 30.001], [181, 30]]), /longitude|range|181/],
    ['latitude out of range', poly([[121, -91], [121.001, -91], [121.001, -90.5], [121, -91]]), /latitude|range|-91/],
    ['a point', { type: 'Point', coordinates: [121.29, 30.8] }, /Polygon/],
    ['no coordinates', { type: 'Polygon' }, /coordinates/],
  ];
  for (const [name, geometry, re] of cases) {
    const r = await officer.call('POST', '/api/v1/grids', { ...base, geometry });
    assert.equal(r.status, 422, `${name}: ${r.text}`);
    assert.match(r.json.error.message, re, name);
  }
  // not JSON at all
  const nj = await officer.call('POST', '/api/v1/grids', '{"code": "x", "geometry": {');
  assert.equal(nj.status, 400);
  // wrong nesting: a cell whose parent is the town
  let r = await officer.call('POST', '/api/v1/grids', { ...base, parent_id: byCode(g, 'ZY').id,
    geometry: poly([[minx, miny], [minx + 0.0005, miny], [minx + 0.0005, miny + 0.0005], [minx, miny + 0.0005], [minx, miny]]) });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'wrong_nesting');
  // overlapping a sibling cell
  r = await officer.call('POST', '/api/v1/grids', { ...base,
    geometry: poly([[minx, miny], [minx + 0.002, miny], [minx + 0.002, miny + 0.002], [minx, miny + 0.002], [minx, miny]]) });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'overlaps_sibling');
  // outside its parent area
  r = await officer.call('POST', '/api/v1/grids', { ...base,
    geometry: poly([[maxx + 0.01, miny], [maxx + 0.02, miny], [maxx + 0.02, miny + 0.01], [maxx + 0.01, miny + 0.01], [maxx + 0.01, miny]]) });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'outside_parent');
  assert.equal((await grids()).length, 9, 'no grid written');
  assert.equal(await auditCount(), a0, 'nothing audited');
  assert.equal((await grid.call('POST', '/api/v1/grids', { ...base, geometry: cases[0][1] })).status, 403);
});

test('changing a grid re-places the enterprises', async () => {
  const g = await grids();
  const w1 = byCode(g, 'ZY-W1');
  const full = await officer.call('GET', `/api/v1/grids/${w1.id}`);
  assert.equal(full.status, 200);
  assert.equal(full.json.enterprises.length, w1.enterprises);
  const ring = full.json.grid.geometry.coordinates[0];
  // keep the western half of the cell
  const xs = ring.map((p) => p[0]); const midx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const ys = ring.map((p) => p[1]);
  const half = poly([[Math.min(...xs), Math.min(...ys)], [midx, Math.min(...ys)], [midx, Math.max(...ys)], [Math.min(...xs), Math.max(...ys)], [Math.min(...xs), Math.min(...ys)]]);
  const r = await officer.call('PUT', `/api/v1/grids/${w1.id}`,
    { code: 'ZY-W1', name_zh: '西片区一网格', level: 'cell', parent_id: w1.parent_id, geometry: half },
    { 'If-Match': full.headers.get('etag') });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.placement.moved > 0);
  assert.ok(r.json.grid.area_km2 < w1.area_km2 * 0.6);
  // the cut-off half is still in the West area, so they fall to it
  const west = byCode(await grids(), 'ZY-W');
  assert.equal(west.enterprises, r.json.placement.moved);
  assert.equal(r.json.placement.outside, 0);
  // a stale edit loses
  const stale = await officer.call('PUT', `/api/v1/grids/${w1.id}`,
    { code: 'ZY-W1', name_zh: 'x', level: 'cell', parent_id: w1.parent_id, geometry: half }, { 'If-Match': full.headers.get('etag') });
  assert.equal(stale.status, 412);
  // and putting it back places them again
  const back = await officer.call('PUT', `/api/v1/grids/${w1.id}`,
    { code: 'ZY-W1', name_zh: '西片区一网格', level: 'cell', parent_id: w1.parent_id, geometry: full.json.grid.geometry },
    { 'If-Match': r.headers.get('etag') });
  assert.equal(back.status, 200, back.text);
  assert.equal(byCode(await grids(), 'ZY-W').enterprises, 0);
});

test('an enterprise is placed from its location on create and update', async () => {
  const g = await grids();
  const e1 = byCode(g, 'ZY-E1'); const w3 = byCode(g, 'ZY-W3');
  const ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const body8 = '50000001';
  const ow = [3, 7, 9, 10, 5, 8, 4, 2];
  const s1 = [...body8].reduce((a, c, i) => a + Number(c) * ow[i], 0);
  const c1 = 11 - (s1 % 11);
  const c17 = '91310116' + body8 + (c1 === 10 ? 'X' : c1 === 11 ? '0' : String(c1));
  const uscc = c17 + ALPHA[(31 - ([...c17].reduce((a, c, i) => a + ALPHA.indexOf(c) * W[i], 0) % 31)) % 31];
  const cx = (b) => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
  const [lon, lat] = cx(e1.bbox);
  const r = await officer.call('POST', '/api/v1/enterprises', { uscc, name_zh: '网格测试企业', industry: '3833', lon, lat });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.grid_id, e1.id);
  const [lon2, lat2] = cx(w3.bbox);
  const u = await officer.call('PATCH', `/api/v1/enterprises/${r.json.id}`, { lon: lon2, lat: lat2 }, { 'If-Match': r.headers.get('etag') });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.grid_id, w3.id);
  const out = await officer.call('PATCH', `/api/v1/enterprises/${r.json.id}`, { lon: 121.0, lat: 31.0 }, { 'If-Match': u.headers.get('etag') });
  assert.equal(out.json.grid_id, null);
  const listed = await officer.call('GET', '/api/v1/grids/unplaced');
  assert.ok(listed.json.items.some((x) => x.id === r.json.id));
  const inGrid = await officer.call('GET', `/api/v1/enterprises?grid=${w3.id}&limit=500`);
  assert.ok(inGrid.json.items.every((x) => x.grid_id === w3.id));
});

test('a grid worker records visits in their grids only; the visit clears its alert', async () => {
  const g = await grids();
  const mine = (await officer.call('GET', `/api/v1/grids/${byCode(g, 'ZY-W2').id}`)).json;
  assert.ok(mine.members.includes(grid.user.id));
  const other = (await officer.call('GET', `/api/v1/grids/${byCode(g, 'ZY-E3').id}`)).json;
  const target = mine.enterprises[0];
  const r = await grid.call('POST', '/api/v1/visits', {
    enterprise_id: target.id, status: 'done', notes: '红色问需走访',
    problems: [{ category: 'labour', text: '一线技术工人招工难' }],
    indicators: { period: '2026-Q3', revenue: 1234.5, employees: 88 },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.problems.length, 1);
  const v = await grid.call('GET', `/api/v1/enterprises/${target.id}/visits`);
  assert.equal(v.json.items[0].id, r.json.id);
  assert.equal(v.json.items[0].problems[0].text, '一线技术工人招工难');
  assert.equal(r.json.worker, '李娜');
  // a partial report keeps the figures already reported for the period
  const before = (await grid.call('GET', `/api/v1/enterprises/${target.id}/indicators`)).json.items.find((x) => x.period === '2026-Q3');
  assert.equal(before.revenue, 1234.5);
  const put = await grid.call('PUT', `/api/v1/enterprises/${target.id}/indicators/2026-Q3`, { tax: 5 });
  assert.equal(put.status, 200, put.text);
  const after = (await grid.call('GET', `/api/v1/enterprises/${target.id}/indicators`)).json.items.find((x) => x.period === '2026-Q3');
  assert.equal(after.revenue, 1234.5);
  assert.equal(after.tax, 5);
  const forbidden = await grid.call('POST', '/api/v1/visits', { enterprise_id: other.enterprises[0].id, status: 'done' });
  assert.equal(forbidden.status, 403);
  // bad input
  for (const [body, field] of [
    [{ enterprise_id: 999999 }, 'enterprise_id'],
    [{ enterprise_id: target.id, status: 'maybe' }, 'status'],
    [{ enterprise_id: target.id, done_on: '2026-02-30' }, 'done_on'],
    [{ enterprise_id: target.id, problems: [{ text: '' }] }, 'problems[0].text'],
    [{ enterprise_id: target.id, indicators: { period: '2026-Q5', revenue: 1 } }, 'indicators.period'],
    [{ enterprise_id: target.id, indicators: { period: '2026-Q3', revenue: -1 } }, 'indicators.revenue'],
    [{ enterprise_id: target.id, indicators: { period: '2026-Q3' } }, 'indicators.revenue'],
    [{ enterprise_id: target.id, done_on: '2099-01-01' }, 'done_on'],
    [{ enterprise_id: target.id, status: 'planned', indicators: { period: '2026-Q3', revenue: 1 } }, 'indicators'],
    [{ enterprise_id: target.id, problems: [{ category: '用'.repeat(60), text: 'x' }] }, 'problems[0].category'],
  ]) {
    const b = await grid.call('POST', '/api/v1/visits', body);
    assert.equal(b.status, 422, `${field}: ${b.text}`);
    assert.ok([b.json.error.field, ...(b.json.error.errors || []).map((x) => x.field)].includes(field), field);
  }
  assert.equal((await grid.call('GET', `/api/v1/enterprises/${target.id}/visits`)).json.items.length, v.json.items.length);
});

test('alerts are computed from the data and clear when it changes', async () => {
  const all = (await officer.call('GET', '/api/v1/alerts?limit=500')).json;
  const mineOnly = (await grid.call('GET', '/api/v1/alerts?limit=500')).json;
  assert.ok(all.count > 0);
  // The grid worker's grids: those whose team it is in, and the cells
  // inside them; its alerts are exactly theirs.
  const g = await grids();
  const teams = await Promise.all(g.map((x) => officer.call('GET', `/api/v1/grids/${x.id}`)));
  const member = new Set(teams.filter((t) => t.json.members.includes(grid.user.id)).map((t) => t.json.grid.id));
  const myGrids = new Set(g.filter((x) => member.has(x.id) || member.has(x.parent_id)).map((x) => x.id));
  assert.ok(myGrids.size > 0 && myGrids.size < g.length, 'the worker has some grids, not all');
  const expected = all.items.filter((it) => myGrids.has(it.enterprise.grid_id)).map((it) => it.enterprise.id).sort();
  assert.ok(expected.length > 0 && expected.length < all.items.length, 'some alerts are the worker\'s, some are not');
  assert.deepEqual(mineOnly.items.map((it) => it.enterprise.id).sort(), expected);
  // an area's alerts are those of its cells
  const east = byCode(g, 'ZY-E');
  const eastCells = new Set(g.filter((x) => x.parent_id === east.id).map((x) => x.id));
  const eastAlerts = (await officer.call('GET', `/api/v1/alerts?grid=${east.id}`)).json;
  assert.ok(eastAlerts.count > 0);
  for (const it of eastAlerts.items) assert.ok(eastCells.has(it.enterprise.grid_id));
  assert.equal(eastAlerts.count, all.items.filter((it) => eastCells.has(it.enterprise.grid_id)).length);
  // an enterprise that has not been visited: a visit clears that alert
  const stale = all.items.find((it) => it.alerts.some((a) => a.kind === 'not_visited'));
  assert.ok(stale, 'the demo has enterprises not visited lately');
  const v = await officer.call('POST', '/api/v1/visits', { enterprise_id: stale.enterprise.id, status: 'done' });
  assert.equal(v.status, 201, v.text);
  const after = (await officer.call('GET', `/api/v1/enterprises/${stale.enterprise.id}/indicators`)).json;
  assert.ok(!after.alerts.some((a) => a.kind === 'not_visited'));
  // a missing report: reporting clears it
  const missing = all.items.find((it) => it.alerts.some((a) => a.kind === 'missing_report'));
  assert.ok(missing, 'the demo has a missing report');
  const period = missing.alerts.find((a) => a.kind === 'missing_report').period;
  const put = await officer.call('PUT', `/api/v1/enterprises/${missing.enterprise.id}/indicators/${period}`, { revenue: 100000, output: 90000, tax: 6000 });
  assert.equal(put.status, 200, put.text);
  const ind = (await officer.call('GET', `/api/v1/enterprises/${missing.enterprise.id}/indicators`)).json;
  assert.ok(!ind.alerts.some((a) => a.kind === 'missing_report'));
  assert.ok(ind.items.some((x) => x.period === period && x.revenue === 100000));
  // falls carry their size
  const fall = all.items.flatMap((it) => it.alerts).find((a) => a.kind === 'fall');
  assert.ok(fall.change < -0.2);
  assert.equal((await officer.call('PUT', `/api/v1/enterprises/1/indicators/2026-13`, { revenue: 1 })).status, 422);
  assert.equal((await officer.call('PUT', `/api/v1/enterprises/1/indicators/2026-Q3`, {})).status, 422);
  const qifan = await login(srv.url, 'qifan');
  assert.equal((await qifan.call('PUT', `/api/v1/enterprises/1/indicators/2026-Q3`, { revenue: 5 })).status, 200);
  assert.equal((await qifan.call('PUT', `/api/v1/enterprises/2/indicators/2026-Q3`, { revenue: 5 })).status, 403);
  assert.equal((await qifan.call('GET', '/api/v1/alerts')).status, 403);
  // a role that may never write figures or visits is refused before anything is read:
  // an unknown enterprise and a known one look the same to it
  const handler = await login(srv.url, 'handler');
  for (const id of [1, 999999]) {
    assert.equal((await handler.call('PUT', `/api/v1/enterprises/${id}/indicators/2026-Q3`, { revenue: 1 })).status, 403);
    assert.equal((await handler.call('POST', '/api/v1/visits', { enterprise_id: id })).status, 403);
    assert.equal((await handler.call('POST', '/api/v1/supply-links', { supplier_id: id, customer_id: 2, node_id: 1, annual_value: 1, since: '2024-01-01' })).status, 403);
    assert.equal((await handler.call('PUT', `/api/v1/enterprises/${id}/products/1`, { capacity: 1 })).status, 403);
  }
});

test('grid teams are set by officers', async () => {
  const g = await grids();
  const e3 = byCode(g, 'ZY-E3');
  const r = await officer.call('PUT', `/api/v1/grids/${e3.id}/members`, { user_ids: [grid.user.id] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual((await officer.call('GET', `/api/v1/grids/${e3.id}`)).json.members, [grid.user.id]);
  assert.equal((await officer.call('PUT', `/api/v1/grids/${e3.id}/members`, { user_ids: [99999] })).status, 422);
  assert.equal((await officer.call('PUT', `/api/v1/grids/${e3.id}/members`, { user_ids: 'all' })).status, 422);
  assert.equal((await grid.call('PUT', `/api/v1/grids/${e3.id}/members`, { user_ids: [] })).status, 403);
});
