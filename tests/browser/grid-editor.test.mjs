// The grid editor and a grid team's upkeep in a real browser: an officer
// draws a grid on the park map, drags a vertex and saves it; a polygon
// that crosses itself is refused with the rule marked where it crosses;
// a line cuts a grid in two; a grid worker is added to a team by name and
// shown with name and department, and removed; a role without the right
// sees none of it; both languages; a 360 px phone.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/grid-editor.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { login, PASSWORD } from '../lib/server.mjs';
import { useBrowser } from './browser.mjs';

const env = useBrowser();

async function signIn(page, username) {
  await page.goto(`${env.srv.url}/login?next=/enterprises`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('[data-testid=enterprise-row]');
}

const gridsOf = async (api) => (await api.call('GET', '/api/v1/grids?geometry=1')).json.items;
const byCode = (list, code) => list.find((g) => g.code === code);

// Where a longitude and latitude are drawn on the page: the town's polygon
// is its box, so its drawn box gives the projection (a linear one).
async function toScreen(page, town, [lon, lat]) {
  return page.evaluate(({ lon, lat, b }) => {
    const map = document.querySelector('#park-map');
    const bb = map.querySelector('[data-testid=grid-polygon][data-code="ZY"]').getBBox();
    const x = bb.x + ((lon - b[0]) / (b[2] - b[0])) * bb.width;
    const y = bb.y + ((b[3] - lat) / (b[3] - b[1])) * bb.height;
    const p = new DOMPoint(x, y).matrixTransform(map.getScreenCTM());
    return { x: p.x, y: p.y };
  }, { lon, lat, b: town.bbox });
}

async function clickAt(page, town, lonlat) {
  const p = await toScreen(page, town, lonlat);
  await page.mouse.click(p.x, p.y);
}

const centre = async (locator) => {
  const b = await locator.boundingBox();
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
};

const noOverflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test('an officer draws a grid, drags a vertex and saves; a self-crossing one is marked where it crosses', async () => {
  const { context, page, check } = await env.newPage({ width: 1366, height: 900 });
  const api = await login(env.srv.url, 'officer');
  try {
    // Room in the East area: cell E3 drawn back to its western half.
    let grids = await gridsOf(api);
    const town = byCode(grids, 'ZY');
    const east = byCode(grids, 'ZY-E');
    const e3 = byCode(grids, 'ZY-E3');
    const e3full = await api.call('GET', `/api/v1/grids/${e3.id}`);
    const [x0, y0, , y1] = e3.bbox;
    const shrunk = await api.call('PUT', `/api/v1/grids/${e3.id}`, {
      code: e3.code, name_zh: e3.name_zh, name_en: e3.name_en, level: 'cell', parent_id: east.id,
      geometry: { type: 'Polygon', coordinates: [[[x0, y0], [121.2997, y0], [121.2997, y1], [e3full.json.grid.geometry.coordinates[0][3][0], y1], [x0, y0]]] },
    }, { 'If-Match': e3full.headers.get('etag') });
    assert.equal(shrunk.status, 200, shrunk.text);

    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/map?grid=${east.id}`);
    await page.waitForSelector('[data-testid=enterprise-dot]');
    assert.equal((await page.textContent('#grid-draw')).trim(), '绘制网格');
    await page.click('#grid-draw');
    await page.waitForSelector('[data-testid=grid-editor][data-mode=draw]');
    assert.equal((await page.textContent('[data-testid=edit-title]')).trim(), '绘制新网格');
    assert.equal(await page.inputValue('#ge-level'), 'cell', 'a cell, as the area picked holds cells');
    assert.equal(Number(await page.inputValue('#ge-parent')), east.id);

    // Four clicks in the room made, then the third vertex dragged.
    const corners = [[121.3005, 30.8032], [121.3038, 30.8032], [121.3038, 30.8055], [121.3005, 30.8055]];
    for (const c of corners) await clickAt(page, town, c);
    assert.equal(await page.locator('[data-testid=vertex]').count(), 4);
    assert.equal(await page.locator('[data-testid=vertex-row]').count(), 4);
    assert.equal(await page.locator('[data-testid=midpoint]').count(), 4, 'an insert handle on each edge');
    const placed = await page.locator('[data-testid=vertex]').evaluateAll((els) => els.map((e) => [Number(e.dataset.lon), Number(e.dataset.lat)]));
    placed.forEach(([lon, lat], i) => assert.ok(Math.abs(lon - corners[i][0]) < 5e-5 && Math.abs(lat - corners[i][1]) < 5e-5,
      `vertex ${i + 1} at ${lon} ${lat}, clicked at ${corners[i]}`));
    const from = await centre(page.locator('[data-testid=vertex][data-index="2"]'));
    const to = await toScreen(page, town, [121.3041, 30.8058]);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
    await page.mouse.move(to.x, to.y, { steps: 4 });
    await page.mouse.up();
    const moved = await page.locator('[data-testid=vertex][data-index="2"]');
    const [mlon, mlat] = [Number(await moved.getAttribute('data-lon')), Number(await moved.getAttribute('data-lat'))];
    assert.ok(Math.abs(mlon - 121.3041) < 5e-5 && Math.abs(mlat - 30.8058) < 5e-5, `dragged to ${mlon} ${mlat}`);
    assert.equal(Number(await page.inputValue('[data-testid=vertex-row][data-index="2"] [data-testid=vertex-lon]')), mlon,
      'the list follows the drag');
    // A vertex inserted at an edge's middle, and removed again from the list.
    await page.click('[data-testid=midpoint][data-index="0"]');
    assert.equal(await page.locator('[data-testid=vertex]').count(), 5);
    await page.click('[data-testid=vertex-row][data-index="1"] [data-testid=vertex-remove]');
    assert.equal(await page.locator('[data-testid=vertex]').count(), 4);

    await page.fill('#ge-code', 'ZY-E9');
    await page.fill('#ge-name_zh', '东片区九网格');
    await page.fill('#ge-name_en', 'East cell 9');
    const [post] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/grids')),
      page.click('#ge-save'),
    ]);
    const sent = JSON.parse(post.postData());
    assert.equal(sent.level, 'cell');
    assert.equal(sent.parent_id, east.id);
    assert.equal(sent.geometry.coordinates[0].length, 5, 'four corners and the first again');
    await page.waitForSelector('[data-testid=flash]');
    assert.match(await page.textContent('[data-testid=flash]'), /已创建网格 东片区九网格 ZY-E9/);
    grids = await gridsOf(api);
    const made = byCode(grids, 'ZY-E9');
    assert.ok(made, 'the grid is stored');
    assert.equal(made.parent_id, east.id);
    assert.ok(made.geometry.coordinates[0].some(([lon, lat]) => lon === mlon && lat === mlat), 'with the dragged vertex');
    assert.equal(new URL(page.url()).searchParams.get('grid'), String(made.id), 'the new grid is picked');
    await page.waitForSelector(`[data-testid=grid-polygon][data-code="ZY-E9"]`);

    // A bow-tie in the West area: refused, and marked where it crosses.
    await page.click('#grid-draw');
    await page.waitForSelector('[data-testid=grid-editor][data-mode=draw]');
    const tie = [[121.2860, 30.7960], [121.2900, 30.8000], [121.2900, 30.7960], [121.2860, 30.8000]];
    for (const c of tie) await clickAt(page, town, c);
    await page.fill('#ge-code', 'ZY-W9');
    await page.fill('#ge-name_zh', '交叉网格');
    assert.equal(Number(await page.inputValue('#ge-parent')), byCode(grids, 'ZY-W').id, 'the area under the first vertex');
    await page.click('#ge-save');
    const marker = page.locator('[data-testid=error-marker]');
    await marker.waitFor();
    assert.equal(await marker.getAttribute('data-code'), 'self_intersection');
    const lon = Number(await marker.getAttribute('data-lon'));
    const lat = Number(await marker.getAttribute('data-lat'));
    // Where the edges 1-2 and 3-4 of the vertices as placed cross.
    const [p1, p2, p3, p4] = await page.locator('[data-testid=vertex]').evaluateAll((els) => els.map((e) => [Number(e.dataset.lon), Number(e.dataset.lat)]));
    const den = (p1[0] - p2[0]) * (p3[1] - p4[1]) - (p1[1] - p2[1]) * (p3[0] - p4[0]);
    const k = ((p1[0] - p3[0]) * (p3[1] - p4[1]) - (p1[1] - p3[1]) * (p3[0] - p4[0])) / den;
    const cross = [p1[0] + k * (p2[0] - p1[0]), p1[1] + k * (p2[1] - p1[1])];
    assert.ok(Math.abs(lon - cross[0]) < 2e-7 && Math.abs(lat - cross[1]) < 2e-7, `the crossing: ${lon} ${lat}, want ${cross}`);
    assert.ok(Math.abs(lon - 121.288) < 5e-5 && Math.abs(lat - 30.798) < 5e-5, 'where the clicks put it');
    const at = await centre(page.locator('[data-testid=error-marker] .error-ring'));
    const want = await toScreen(page, town, cross);
    assert.ok(Math.hypot(at.x - want.x, at.y - want.y) < 3, `the marker is drawn at the crossing (${at.x},${at.y} vs ${want.x},${want.y})`);
    assert.equal((await page.textContent('[data-testid=error-marker] text')).trim(), '边界在此处自相交');
    assert.ok((await page.getAttribute('[data-testid=error-marker]', 'aria-label')).includes(`经度 ${lon}，纬度 ${lat}`));
    const said = await page.textContent('[data-testid=edit-error]');
    assert.ok(said.includes("边界在此处自相交") && said.includes(`crosses itself at ${lon} ${lat}`), `${said} (${lon} ${lat})`);
    assert.equal(await page.locator('[data-testid=vertex]').count(), 4, 'the drawing is kept to be corrected');
    assert.ok(!byCode(await gridsOf(api), 'ZY-W9'), 'nothing stored');

    // In English, the same place in English words.
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('[data-testid=edit-title]')?.textContent === 'Draw a new grid');
    assert.equal((await page.textContent('[data-testid=error-marker] text')).trim(), 'The boundary crosses itself here');
    assert.equal((await page.textContent('#ge-save')).trim(), 'Save');
    assert.equal(await page.locator('[data-testid=vertex]').count(), 4, 'the drawing survives the language');
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('[data-testid=edit-title]')?.textContent === '绘制新网格');

    // One corner less: a triangle over cells W1 and W2, marked where it
    // overlaps one of them.
    await page.click('[data-testid=vertex-row][data-index="3"] [data-testid=vertex-remove]');
    assert.equal(await page.locator('[data-testid=error-marker]').count(), 0, 'a change clears the old mark');
    await page.click('#ge-save');
    await page.waitForSelector('[data-testid=error-marker][data-code=overlaps_sibling]');
    // Given up: the map as it was.
    await page.click('#ge-cancel');
    await page.waitForSelector('#grid-draw');
    assert.equal(await page.locator('[data-testid=edit-layer]').count(), 0);
    check();
  } finally {
    await context.close();
  }
});

test('a line cuts a grid in two', async () => {
  const { context, page, check } = await env.newPage({ width: 1366, height: 900 });
  const api = await login(env.srv.url, 'officer');
  try {
    const grids = await gridsOf(api);
    const town = byCode(grids, 'ZY');
    const e1 = byCode(grids, 'ZY-E1');
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/map?grid=${e1.id}`);
    await page.waitForSelector('#grid-split');
    // An area with cells is not offered a split.
    await page.click('[data-testid=area-label][data-code=ZY-E]');
    await page.waitForFunction(() => document.querySelector('[data-testid=panel-title]')?.textContent.includes('ZY-E'));
    assert.equal(await page.locator('#grid-split').count(), 0);
    await page.goto(`${env.srv.url}/map?grid=${e1.id}`);
    await page.click('#grid-split');
    await page.waitForSelector('[data-testid=grid-editor][data-mode=split]');
    assert.match(await page.textContent('[data-testid=edit-title]'), /切分东片区/);
    // From below the park, across E1, to inside E2.
    await clickAt(page, town, [121.2995, 30.7946]);
    await clickAt(page, town, [121.2995, 30.7995]);
    assert.equal(await page.locator('[data-testid=vertex]').count(), 2);
    await page.fill('#ge-code', 'ZY-E5');
    await page.fill('#ge-name_zh', '东片区五网格');
    const [post] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/api/v1/grids/${e1.id}/split`)),
      page.click('#ge-save'),
    ]);
    assert.ok(post.headers()['if-match'], 'the split names the version it cuts');
    await page.waitForSelector('[data-testid=flash]');
    assert.match(await page.textContent('[data-testid=flash]'), /切分为两块，新网格为东片区五网格 ZY-E5/);
    const after = await gridsOf(api);
    assert.equal(after.length, grids.length + 1, 'two grids where there was one');
    const kept = byCode(after, 'ZY-E1');
    const made = byCode(after, 'ZY-E5');
    assert.equal(made.parent_id, e1.parent_id);
    assert.ok(Math.abs(kept.area_km2 + made.area_km2 - e1.area_km2) < 1e-5);
    assert.equal(kept.enterprises + made.enterprises, e1.enterprises, 'every enterprise in one of the two');
    await page.waitForSelector('[data-testid=grid-polygon][data-code="ZY-E5"]');
    assert.equal(new URL(page.url()).searchParams.get('grid'), String(made.id));
    check();
  } finally {
    await context.close();
  }
});

test('a grid worker is added to a team by name and shown with name and department, then removed', async () => {
  const { context, page, check } = await env.newPage({ width: 1366, height: 900 });
  const api = await login(env.srv.url, 'officer');
  try {
    const grids = await gridsOf(api);
    const e2 = byCode(grids, 'ZY-E2');
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/grids/${e2.id}`);
    await page.waitForSelector('[data-testid=member]');
    const shown = async () => page.locator('[data-testid=member]').evaluateAll((els) => els.map((e) => [
      e.querySelector('[data-testid=member-name]').textContent, e.querySelector('[data-testid=member-dept]').textContent]));
    // Her team: 王磊 of the economic park, 周静 of the transport centre.
    assert.deepEqual(await shown(), [['王磊', '经济园区'], ['周静', '城市运输中心']]);
    assert.ok(!/成员 #|grid2|grid3/.test(await page.textContent('[data-section=team]')), 'no numbers, no login names');
    // Whom it may take: 李娜 only; found by department.
    await page.waitForFunction(() => document.querySelectorAll('#team-choose option').length === 1);
    await page.fill('#team-find', '工业');
    await page.waitForFunction(() => document.querySelector('#team-choose option')?.textContent === '李娜 · 工业园区');
    await page.selectOption('#team-choose', { label: '李娜 · 工业园区' });
    await page.click('#team-add');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=member]').length === 3);
    assert.deepEqual(await shown(), [['李娜', '工业园区'], ['王磊', '经济园区'], ['周静', '城市运输中心']]);
    assert.equal((await page.textContent('[data-testid=team-status]')).trim(), '已将李娜加入网格团队。');
    let detail = (await api.call('GET', `/api/v1/grids/${e2.id}`)).json;
    assert.deepEqual(detail.team.map((m) => m.display_name), ['李娜', '王磊', '周静']);
    await page.waitForFunction(() => document.querySelectorAll('#team-choose option').length === 0);
    // Removed again.
    await page.click('[data-testid=member][data-id="7"] [data-testid=member-remove]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=member]').length === 2);
    detail = (await api.call('GET', `/api/v1/grids/${e2.id}`)).json;
    assert.deepEqual(detail.team.map((m) => m.display_name), ['王磊', '周静']);
    // In English.
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('#team-add-form h3')?.textContent === 'Add a member');
    assert.equal((await page.textContent('label[for=team-find]')).trim(), 'Find by name or department');
    assert.equal(await page.getAttribute('[data-testid=member][data-id="10"] [data-testid=member-remove]', 'aria-label'),
      'Remove 王磊 from the grid team');
    assert.equal((await page.textContent('#grid-edit-link')).trim(), 'Edit the boundary');
    // The grid page's links open the editor on the map.
    await page.click('#grid-edit-link');
    await page.waitForSelector('[data-testid=grid-editor][data-mode=edit]');
    assert.equal(await page.locator('[data-testid=vertex]').count(), 4);
    assert.equal((await page.textContent('[data-testid=edit-title]')).trim(), `Edit the boundary of ${e2.name_en}`);
    await page.click('#lang-switch');
    check();
  } finally {
    await context.close();
  }
});

test('a grid worker sees the team by name but no editing controls', async () => {
  const { context, page, check } = await env.newPage({ width: 1366, height: 900 });
  try {
    const api = await login(env.srv.url, 'grid');
    const grids = await gridsOf(api);
    const w2 = byCode(grids, 'ZY-W2');
    await signIn(page, 'grid');
    await page.goto(`${env.srv.url}/map?grid=${w2.id}&edit=shape`);
    await page.waitForSelector('[data-testid=panel-team]');
    assert.match(await page.textContent('[data-testid=panel-team]'), /李娜（我）、周静/);
    for (const sel of ['#grid-draw', '#grid-edit-shape', '#grid-split', '[data-testid=grid-editor]', '[data-testid=edit-layer]']) {
      assert.equal(await page.locator(sel).count(), 0, `no ${sel}`);
    }
    await page.goto(`${env.srv.url}/grids/${w2.id}`);
    await page.waitForSelector('[data-testid=member]');
    const names = await page.locator('[data-testid=member-name]').allTextContents();
    assert.deepEqual(names, ['李娜（我）', '周静']);
    for (const sel of ['#team-add-form', '[data-testid=member-remove]', '#grid-edit-link', '#grid-split-link']) {
      assert.equal(await page.locator(sel).count(), 0, `no ${sel}`);
    }
    check();
  } finally {
    await context.close();
  }
});

test('on a 360 px phone the editor and the team fit the screen', async () => {
  const { context, page, check } = await env.newPage({ width: 360, height: 740 });
  const api = await login(env.srv.url, 'officer');
  try {
    const grids = await gridsOf(api);
    const town = byCode(grids, 'ZY');
    const w1 = byCode(grids, 'ZY-W1');
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/map?grid=${w1.id}`);
    await page.waitForSelector('#grid-edit-shape');
    assert.ok(await noOverflow(page) <= 0, 'the map fits');
    await page.click('#grid-edit-shape');
    await page.waitForSelector('[data-testid=grid-editor][data-mode=edit]');
    assert.ok(await noOverflow(page) <= 0, `the editor fits (${await noOverflow(page)} px too wide)`);
    // Handles big enough for a finger.
    const box = await page.locator('[data-testid=vertex] >> nth=0').boundingBox();
    assert.ok(box.width >= 16, `a vertex handle is ${box.width} px wide`);
    for (const sel of ['#ge-save', '#ge-cancel', '[data-testid=vertex-remove] >> nth=0']) {
      const b = await page.locator(sel).boundingBox();
      assert.ok(b.height >= 36, `${sel} is ${b.height} px high`);
    }
    // Split mode too, with a line drawn.
    await page.click('#ge-cancel');
    await page.click('#grid-split');
    await page.waitForSelector('[data-testid=grid-editor][data-mode=split]');
    await clickAt(page, town, [121.2900, 30.7946]);
    await clickAt(page, town, [121.2900, 30.7995]);
    assert.ok(await noOverflow(page) <= 0, 'the split fits');
    await page.goto(`${env.srv.url}/grids/${w1.id}`);
    await page.waitForSelector('#team-add-form');
    assert.ok(await noOverflow(page) <= 0, `the grid page fits (${await noOverflow(page)} px too wide)`);
    check();
  } finally {
    await context.close();
  }
});
