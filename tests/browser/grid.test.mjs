// The grid screens in a real browser: the park map, a grid's page, the
// alerts, an enterprise's indicators and visits, and a grid worker
// recording a visit on a phone. Playwright drives Debian's chromium
// against a real qunyan server with the demo town.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/grid.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { login, PASSWORD } from '../lib/server.mjs';
import { useBrowser, clickNav } from './browser.mjs';

const env = useBrowser();
const newPage = (viewport) => env.newPage(viewport);

async function signIn(page, username) {
  await page.goto(`${env.srv.url}/login?next=/enterprises`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('[data-testid=enterprise-row]');
}

const digits = (s) => Number(String(s).replace(/[^\d]/g, ''));

async function allEnterprises(api) {
  const out = [];
  let cursor = '';
  for (;;) {
    const r = await api.call('GET', `/api/v1/enterprises?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200);
    out.push(...r.json.items);
    if (!r.json.next) return out;
    cursor = r.json.next;
  }
}

// The zh-CN sentence the console should show for an alert.
function zhAlert(a) {
  const field = { revenue: '营业收入', output: '工业产值', tax: '税收' }[a.field];
  if (a.kind === 'fall') {
    return `${field}${a.compared_with === 'year_ago' ? '同比' : '环比'}下降 ${Math.abs(a.change * 100).toFixed(1)}%`;
  }
  if (a.kind === 'missing_report') return `${a.period} 未报送`;
  return a.days >= 0 ? `已 ${a.days} 天未走访` : '从未走访';
}

function enAlert(a) {
  const field = { revenue: 'Revenue', output: 'Output', tax: 'Tax' }[a.field];
  if (a.kind === 'fall') {
    const than = a.compared_with === 'year_ago' ? 'a year before' : `the previous ${/Q/.test(a.period) ? 'quarter' : 'month'}`;
    return `${field} down ${Math.abs(a.change * 100).toFixed(1)}% on ${than}`;
  }
  if (a.kind === 'missing_report') return `No report for ${a.period}`;
  return a.days >= 0 ? `Not visited for ${a.days} days` : 'Never visited';
}

test('the park map: grids, Rongwei Road, every enterprise; an area lists its cells\' enterprises', async () => {
  const { context, page, check } = await newPage();
  const api = await login(env.srv.url, 'officer');
  try {
    const grids = (await api.call('GET', '/api/v1/grids')).json.items;
    const code = (c) => grids.find((g) => g.code === c);
    const east = code('ZY-E');
    const eastCells = grids.filter((g) => g.parent_id === east.id);
    assert.equal(eastCells.length, 3, 'the East area has three cells');
    const located = (await allEnterprises(api)).filter((e) => typeof e.lon === 'number' && typeof e.lat === 'number');
    assert.equal(located.length, 274, 'the demo park places 274 enterprises');

    await signIn(page, 'officer');
    assert.equal((await page.textContent('[data-nav=map]')).trim(), '网格地图');
    assert.equal((await page.textContent('[data-nav=alerts]')).trim(), '预警');
    await clickNav(page, 'map');
    await page.waitForURL(`${env.srv.url}/map`);
    await page.waitForSelector('[data-testid=enterprise-dot]');

    // Every grid polygon, by level.
    assert.equal(await page.locator('[data-testid=grid-polygon]').count(), grids.length);
    for (const level of ['town', 'area', 'cell']) {
      assert.equal(await page.locator(`[data-testid=grid-polygon][data-level=${level}]`).count(),
        grids.filter((g) => g.level === level).length, `every ${level} is drawn`);
    }
    assert.equal(await page.locator('[data-testid=area-label]').count(), 2, 'both areas are labelled');
    assert.match(await page.textContent('[data-testid=area-label][data-code=ZY-E]'), /东片区/);

    // Rongwei Road: a line of its own along the edge the areas share.
    assert.equal(await page.locator('#road-rongwei').count(), 1, 'Rongwei Road is drawn');
    assert.equal((await page.textContent('[data-testid=road-label]')).trim(), '荣威路');
    const road = await page.evaluate(() => {
      const pairs = (d) => (d.match(/-?[\d.]+ -?[\d.]+/g) || []);
      const line = pairs(document.querySelector('#road-rongwei [data-testid=road-line]').getAttribute('d'));
      const west = new Set(pairs(document.querySelector('[data-testid=grid-polygon][data-code="ZY-W"]').getAttribute('d')));
      const eastP = new Set(pairs(document.querySelector('[data-testid=grid-polygon][data-code="ZY-E"]').getAttribute('d')));
      return { n: line.length, onBoth: line.filter((p) => west.has(p) && eastP.has(p)).length };
    });
    assert.ok(road.n >= 2, 'the road has at least two points');
    assert.equal(road.onBoth, road.n, 'every point of the road is a corner of both the West and the East area');

    // One dot per enterprise, each inside the polygon of its grid.
    assert.equal(await page.locator('[data-testid=enterprise-dot]').count(), located.length);
    const misplaced = await page.evaluate(() => [...document.querySelectorAll('[data-testid=enterprise-dot]')].filter((dot) => {
      const poly = document.querySelector(`[data-testid=grid-polygon][data-id="${dot.dataset.grid}"]`);
      const p = new DOMPoint(Number(dot.getAttribute('cx')), Number(dot.getAttribute('cy')));
      return !poly || !(poly.isPointInFill(p) || poly.isPointInStroke(p));
    }).map((d) => d.dataset.id));
    assert.deepEqual(misplaced, [], 'each dot lies in its own grid');

    // The East area: enterprises are placed in the smallest grid, so the
    // area itself holds none (its count is 0), and the area's page lists
    // those of its cells.
    assert.equal(east.enterprises, 0, 'no enterprise is placed in the area itself');
    const eastOwn = (await api.call('GET', `/api/v1/grids/${east.id}`)).json;
    const cellLists = await Promise.all(eastCells.map((c) => api.call('GET', `/api/v1/grids/${c.id}`)));
    const eastTotal = cellLists.reduce((s, r) => s + r.json.enterprises.length, 0);
    assert.equal(eastTotal, eastCells.reduce((s, c) => s + c.enterprises, 0), 'the cells\' lists match their counts');
    assert.equal(eastOwn.enterprises.length, eastTotal, 'the area lists its cells\' enterprises');
    await page.click('[data-testid=area-label][data-code=ZY-E]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=panel-enterprise]').length === n, eastTotal);
    assert.match(await page.textContent('[data-testid=panel-title]'), /东片区/);
    assert.equal(digits(await page.textContent('[data-testid=panel-count]')), eastTotal);
    assert.equal((await page.textContent('[data-testid=panel-area]')).trim(), `${east.area_km2.toFixed(2)} km²`);
    assert.equal(await page.getAttribute('[data-testid=panel-grid-link]', 'href'), `/grids/${east.id}`);
    const listed = (await page.locator('[data-testid=panel-enterprise]').evaluateAll((els) => els.map((e) => Number(e.dataset.id)))).sort((a, b) => a - b);
    const expected = cellLists.flatMap((r) => r.json.enterprises.map((e) => e.id)).sort((a, b) => a - b);
    assert.deepEqual(listed, expected, 'the panel lists exactly the East cells\' enterprises');
    assert.equal(new URL(page.url()).searchParams.get('grid'), String(east.id), 'the choice is kept in the address');

    // A cell, clicked where no dot covers it.
    const e2 = code('ZY-E2');
    const free = await page.evaluate(() => {
      const poly = document.querySelector('[data-testid=grid-polygon][data-code="ZY-E2"]');
      const r = poly.getBoundingClientRect();
      for (let fy = 0.1; fy < 0.95; fy += 0.05) {
        for (let fx = 0.1; fx < 0.95; fx += 0.05) {
          const x = r.left + r.width * fx;
          const y = r.top + r.height * fy;
          if (document.elementFromPoint(x, y) === poly) return { x, y };
        }
      }
      return null;
    });
    assert.ok(free, 'some of the cell is not covered by dots');
    await page.mouse.click(free.x, free.y);
    await page.waitForFunction((n) => document.querySelector('[data-testid=panel-title]').textContent.includes('ZY-E2')
      && document.querySelectorAll('[data-testid=panel-enterprise]').length === n, e2.enterprises);
    assert.equal(digits(await page.textContent('[data-testid=panel-count]')), e2.enterprises);

    // Another, picked from the keyboard.
    const e1 = code('ZY-E1');
    await page.focus('[data-testid=grid-polygon][data-code=ZY-E1]');
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelector('[data-testid=panel-title]').textContent.includes('ZY-E1')
      && document.querySelectorAll('[data-testid=panel-enterprise]').length === n, e1.enterprises);

    // Colour by alert: the enterprises the alerts name.
    const alerts = (await api.call('GET', '/api/v1/alerts')).json;
    await page.click('label[for=colour-alerts]');
    await page.waitForSelector('[data-testid=enterprise-dot].has-alert');
    assert.equal(await page.locator('[data-testid=enterprise-dot].has-alert').count(), alerts.count);
    assert.equal(await page.locator('[data-testid=enterprise-dot].no-alert').count(), located.length - alerts.count);
    assert.match(await page.textContent('#map-legend'), new RegExp(`有预警（${alerts.count}）`));

    // A dot of an East enterprise whose revenue fell: its name, linked.
    const fell = alerts.items.find((it) => eastCells.some((c) => c.id === it.enterprise.grid_id)
      && it.alerts.some((a) => a.kind === 'fall' && a.field === 'revenue'));
    assert.ok(fell, 'the demo has an East enterprise whose revenue fell');
    const id = fell.enterprise.id;
    await page.hover(`[data-testid=enterprise-dot][data-id="${id}"]`);
    await page.waitForSelector('[data-testid=map-tip]:not(.is-hidden)');
    assert.equal((await page.textContent('[data-testid=map-tip]')).trim(), fell.enterprise.name_zh);
    await page.click(`[data-testid=enterprise-dot][data-id="${id}"]`);
    await page.waitForSelector('[data-testid=picked-enterprise]');
    assert.equal((await page.textContent('[data-testid=picked-link]')).trim(), fell.enterprise.name_zh);

    // Its page: the revenue chart, the alerts and the visit history.
    await page.click('[data-testid=picked-link]');
    await page.waitForURL(`${env.srv.url}/enterprises/${id}`);
    await page.waitForSelector('[data-testid=chart-revenue] [data-testid=chart-line-revenue]');
    const ind = (await api.call('GET', `/api/v1/enterprises/${id}/indicators`)).json;
    const withRevenue = ind.items.filter((it) => it.revenue !== null).length;
    assert.equal(await page.locator('[data-testid=chart-revenue] .chart-point').count(), withRevenue,
      'a point per period with a revenue');
    assert.equal((await page.getAttribute('[data-testid=chart-line-revenue]', 'd')).match(/[ML]/g).length, withRevenue);
    assert.ok(await page.locator('[data-testid=chart-revenue] .chart-point.is-marked').count() >= 1, 'the fall is marked');
    for (const key of ['output', 'tax']) assert.ok(await page.isVisible(`[data-testid=chart-${key}]`), `a ${key} chart`);
    const shown = await page.locator('[data-testid=enterprise-alerts] [data-testid=alert-text] .alert-sentence').allTextContents();
    assert.deepEqual(shown, ind.alerts.map(zhAlert), 'each alert in words');
    const visits = (await api.call('GET', `/api/v1/enterprises/${id}/visits`)).json.items;
    await page.waitForFunction(() => document.querySelector('[data-testid=visits], [data-testid=visits-empty]'));
    assert.equal(await page.locator('[data-testid=visit]').count(), visits.length);
    if (visits.length) {
      const first = await page.textContent('[data-testid=visit] >> nth=0');
      assert.ok(first.includes(visits[0].worker) && first.includes(visits[0].notes), 'the newest visit: worker and notes');
    }
    assert.ok(await page.isVisible('#visit-button'), 'an officer may record a visit');

    // In English.
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('[data-testid=chart-revenue] figcaption').textContent.startsWith('Revenue'));
    const shownEn = await page.locator('[data-testid=enterprise-alerts] [data-testid=alert-text] .alert-sentence').allTextContents();
    assert.deepEqual(shownEn, ind.alerts.map(enAlert));
    assert.equal((await page.textContent('#visit-button')).trim(), 'Record a visit');
    check();
  } finally {
    await context.close();
  }
});

test('a grid worker\'s alerts and grid page', async () => {
  const { context, page, check } = await newPage();
  const api = await login(env.srv.url, 'grid');
  try {
    const grids = (await api.call('GET', '/api/v1/grids')).json.items;
    const alerts = (await api.call('GET', '/api/v1/alerts')).json;
    assert.ok(alerts.count > 0, 'the grid worker has alerts');
    const mine = new Set(alerts.items.map((it) => it.enterprise.grid_id));

    await signIn(page, 'grid');
    await clickNav(page, 'alerts');
    await page.waitForURL(`${env.srv.url}/alerts`);
    await page.waitForSelector('[data-testid=alert-group]');
    assert.equal(await page.locator('[data-testid=alert-group]').count(), alerts.count, 'one card per enterprise');
    assert.equal(Number(await page.getAttribute('[data-testid=alerts-count]', 'data-count')), alerts.count);
    const ids = await page.locator('[data-testid=alert-group]').evaluateAll((els) => els.map((e) => Number(e.dataset.id)));
    assert.deepEqual(ids, alerts.items.map((it) => it.enterprise.id));
    const sentences = await page.locator('[data-testid=alert-group] .alert-sentence').allTextContents();
    assert.deepEqual(sentences, alerts.items.flatMap((it) => it.alerts.map(zhAlert)), 'every alert in Chinese');
    assert.ok(sentences.some((s) => /^已 \d+ 天未走访$/.test(s)), 'a "not visited for n days" alert');

    // One kind only.
    await page.selectOption('#alert-kind', 'not_visited');
    const nv = alerts.items.filter((it) => it.alerts.some((a) => a.kind === 'not_visited'));
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=alert-group]').length === n, nv.length);
    assert.equal(new URL(page.url()).searchParams.get('kind'), 'not_visited');

    // English.
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('h1').textContent === 'Alerts');
    const en = await page.locator('[data-testid=alert-group] .alert-sentence').allTextContents();
    assert.deepEqual(en, nv.flatMap((it) => it.alerts.filter((a) => a.kind === 'not_visited').map(enAlert)));
    await page.click('#lang-switch');

    // On the map, coloured by alert: the enterprises of other grids are
    // neither with nor without alerts for her.
    const teams = await Promise.all(grids.map((g) => api.call('GET', `/api/v1/grids/${g.id}`)));
    const hers = grids.filter((g, i) => teams[i].json.members.includes(api.user.id));
    assert.deepEqual(hers.map((g) => g.code), ['ZY-W1', 'ZY-W2', 'ZY-W3'], 'she is on the West cells\' teams');
    assert.ok(alerts.items.every((it) => hers.some((g) => g.id === it.enterprise.grid_id)), 'her alerts are in her grids');
    const mineTotal = hers.reduce((s, g) => s + g.enterprises, 0);
    await page.goto(`${env.srv.url}/map?colour=alerts`);
    await page.waitForSelector('[data-testid=enterprise-dot].has-alert');
    assert.equal(await page.locator('[data-testid=enterprise-dot].has-alert').count(), alerts.count);
    assert.equal(await page.locator('[data-testid=enterprise-dot].no-alert').count(), mineTotal - alerts.count);
    assert.equal(await page.locator('[data-testid=enterprise-dot].out-of-scope').count(), 274 - mineTotal);
    assert.ok(await page.isChecked('#colour-alerts'), 'the colouring comes from the address');

    // A cell of hers with two team members, on its own page.
    const cell = grids.find((g) => g.code === 'ZY-W2');
    assert.ok(mine.has(cell.id), 'ZY-W2 is one of her grids');
    const detail = (await api.call('GET', `/api/v1/grids/${cell.id}`)).json;
    const cellAlerts = (await api.call('GET', `/api/v1/alerts?grid=${cell.id}`)).json;
    await page.goto(`${env.srv.url}/grids/${cell.id}`);
    await page.waitForSelector('[data-testid=grid-alert-count]');
    assert.equal((await page.textContent('#grid-name')).trim(), cell.name_zh);
    const members = await page.locator('[data-testid=member]').evaluateAll((els) => els.map((e) => [Number(e.dataset.id),
      e.querySelector('[data-testid=member-name]').textContent, e.querySelector('[data-testid=member-dept]').textContent]));
    assert.deepEqual(members.map(([m]) => m), detail.members);
    for (const [m, name, dept] of members) {
      const who = detail.team.find((x) => x.id === m);
      assert.equal(name, m === api.user.id ? `${api.user.display_name}（我）` : who.display_name, 'each member by name');
      assert.equal(dept, who.department, 'and department');
    }
    assert.equal(await page.locator('[data-testid=grid-enterprise]').count(), detail.enterprises.length);
    assert.equal(digits(await page.textContent('[data-testid=grid-enterprise-count]')), cell.enterprises);
    assert.equal(await page.locator('[data-testid=grid-visit]').count(), detail.enterprises.length, 'a visit button for each');
    assert.equal(digits(await page.textContent('[data-testid=grid-alert-count]')), cellAlerts.count);
    assert.equal(await page.locator('[data-section=alerts] [data-testid=alert-group]').count(), cellAlerts.count);

    // The West area's page gathers its cells.
    const west = grids.find((g) => g.code === 'ZY-W');
    await page.click(`.breadcrumb a[href="/grids/${west.id}"]`);
    await page.waitForURL(`${env.srv.url}/grids/${west.id}`);
    const westTotal = grids.filter((g) => g.parent_id === west.id).reduce((s, g) => s + g.enterprises, 0);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=grid-enterprise]').length === n, westTotal);
    check();
  } finally {
    await context.close();
  }
});

test('on a 390 px phone a grid worker records a visit with a problem; a bad period is marked first', async () => {
  const { context, page, check } = await newPage({ width: 390, height: 844 });
  const api = await login(env.srv.url, 'grid');
  try {
    const grids = (await api.call('GET', '/api/v1/grids')).json.items;
    const w1 = grids.find((g) => g.code === 'ZY-W1');
    const ent = (await api.call('GET', `/api/v1/grids/${w1.id}`)).json.enterprises[0];
    const id = ent.id;
    const before = (await api.call('GET', `/api/v1/enterprises/${id}/visits`)).json.items;

    await signIn(page, 'grid');
    await page.goto(`${env.srv.url}/enterprises/${id}`);
    await page.waitForSelector('#visit-button');
    await page.click('#visit-button');
    await page.waitForURL(`${env.srv.url}/enterprises/${id}/visit`);
    await page.waitForSelector('#visit-form');
    assert.equal((await page.textContent('[data-testid=visit-subject]')).trim(), ent.name_zh);

    // Made for a thumb: one column, nothing too wide, big targets.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px too wide)`);
    for (const sel of ['label[for=f-status-done]', 'label[for=f-status-planned]', '#f-date', '#f-notes', '#add-problem', '#visit-save']) {
      const box = await page.locator(sel).boundingBox();
      assert.ok(box.height >= 44, `${sel} is at least 44 px high (${box.height})`);
    }

    const notes = '走访测试：企业反映招工难，已记录。';
    const problem = '一线技术工人缺口约 30 人';
    await page.check('#f-status-done');
    await page.fill('#f-notes', notes);
    await page.click('#add-problem');
    await page.selectOption('select[name="problems[0].category"]', 'labour');
    await page.fill('textarea[name="problems[0].text"]', problem);
    await page.check('#f-with-figures');
    await page.fill('#f-period', '2026-Q9');
    await page.fill('#f-ind-revenue', '12345.5');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth) <= 0, true,
      'the filled form fits');

    // A period that does not exist: the server's message beside it.
    const [post] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/visits')),
      page.click('#visit-save'),
    ]);
    assert.ok(post.headers()['x-csrf-token'], 'the POST carries the CSRF token');
    const sent = JSON.parse(post.postData());
    assert.equal(sent.enterprise_id, id);
    assert.equal(sent.status, 'done');
    assert.match(sent.done_on, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(sent.notes, notes);
    assert.deepEqual(sent.problems, [{ category: 'labour', text: problem }]);
    assert.deepEqual(sent.indicators, { period: '2026-Q9', revenue: 12345.5 });
    const err = page.locator('.field-error[data-field="indicators.period"]');
    await err.waitFor({ state: 'visible' });
    assert.match(await err.textContent(), /indicators\.period/);
    assert.ok(await page.evaluate(() => {
      const input = document.querySelector('#f-period');
      const e = document.querySelector('.field-error[data-field="indicators.period"]');
      return input.closest('.field').contains(e) && input.getAttribute('aria-invalid') === 'true';
    }), 'the message sits next to the period, which is marked invalid');
    assert.equal(new URL(page.url()).pathname, `/enterprises/${id}/visit`, 'the form stays open');
    assert.equal(await page.inputValue('#f-notes'), notes, 'what was typed is kept');
    assert.equal(await page.inputValue('textarea[name="problems[0].text"]'), problem);
    assert.equal(await page.inputValue('#f-ind-revenue'), '12345.5');
    assert.equal((await api.call('GET', `/api/v1/enterprises/${id}/visits`)).json.items.length, before.length,
      'nothing was saved');

    // Corrected, it is saved and shows in the history.
    await page.fill('#f-period', '2026-Q3');
    await page.click('#visit-save');
    await page.waitForURL(`${env.srv.url}/enterprises/${id}`);
    await page.waitForSelector('[data-testid=flash]');
    await page.waitForSelector('[data-testid=visit]');
    const after = (await api.call('GET', `/api/v1/enterprises/${id}/visits`)).json.items;
    assert.equal(after.length, before.length + 1, 'one visit more');
    const saved = after.find((v) => !before.some((b) => b.id === v.id));
    assert.equal(saved.notes, notes);
    assert.equal(saved.worker_id, api.user.id);
    assert.deepEqual(saved.problems.map((p) => [p.category, p.text]), [['labour', problem]]);
    const row = page.locator(`[data-testid=visit][data-id="${saved.id}"]`);
    assert.ok(await row.isVisible(), 'the new visit is in the history');
    const text = await row.textContent();
    for (const part of [notes, problem, '用工', '李娜', saved.done_on]) assert.ok(text.includes(part), `it shows ${part}`);
    const q3 = (await api.call('GET', `/api/v1/enterprises/${id}/indicators`)).json.items.find((it) => it.period === '2026-Q3');
    assert.equal(q3.revenue, 12345.5, 'the figure collected is stored');

    // Outside her grids the server says no, and the form says why.
    const e1 = grids.find((g) => g.code === 'ZY-E1');
    const other = (await api.call('GET', `/api/v1/grids/${e1.id}`)).json.enterprises[0];
    await page.goto(`${env.srv.url}/enterprises/${other.id}/visit`);
    await page.waitForSelector('#visit-form');
    await page.fill('#f-notes', '试图走访其他网格的企业');
    await page.click('#visit-save');
    await page.waitForSelector('#form-errors');
    assert.match(await page.textContent('#form-errors'), /outside their grids/);
    assert.equal(new URL(page.url()).pathname, `/enterprises/${other.id}/visit`);
    check();
  } finally {
    await context.close();
  }
});
