// The dashboard in a real browser: an officer's home link opens it, in
// Chinese and in English, on a desktop (1366 px) and on a 360 px phone,
// with no horizontal overflow; its figures are the API's; a figure
// clicked through opens the list behind it; the period picker asks for
// another period; a handler has no such page.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/dashboard.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { login, PASSWORD } from '../lib/server.mjs';
import { clickNav, holdAnswers, useBrowser } from './browser.mjs';

const env = useBrowser();
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 360, height: 740 };

async function signIn(page, username) {
  await page.goto(`${env.srv.url}/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#current-user', { state: 'attached' });
}

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function openDashboard(page) {
  await clickNav(page, 'dashboard');
  await page.waitForSelector('[data-testid=dash-figure]');
}

for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  for (const lang of ['zh', 'en']) {
    test(`the dashboard on a ${name} in ${lang}: the API's figures, no overflow`, async () => {
      const { context, page, check } = await env.newPage(viewport);
      const api = await login(env.srv.url, 'officer.zhangyan');
      try {
        await signIn(page, 'officer.zhangyan');
        if (lang === 'en') {
          await page.click('#lang-switch');
          await page.waitForFunction(() => document.documentElement.lang === 'en');
        }
        if (name === 'phone') {
          // On a phone the menu may fold away: go by the address.
          await page.goto(`${env.srv.url}/dashboard`);
          await page.waitForSelector('[data-testid=dash-figure]');
        } else {
          await openDashboard(page);
        }
        const period = await page.getAttribute('[data-testid=dash-page]', 'data-period');
        const r = await api.call('GET', `/api/v1/dashboard?period=${period}`);
        assert.equal(r.status, 200);
        const summary = r.json.sections.find((s) => s.id === 'summary');
        const shown = await page.$$eval('[data-testid=dash-figure]', (els) => els.map((e) => [
          e.dataset.figure, e.querySelector('.dash-tile-value').dataset.value]));
        assert.deepEqual(shown, summary.rows.map((row) => [row.key,
          row.values.value === null ? '' : String(row.values.value)]));
        // Every section drawn, its chart an SVG.
        for (const s of r.json.sections.filter((x) => x.id !== 'summary')) {
          assert.ok(await page.$(`[data-section=${s.id}]`), `section ${s.id} shown`);
        }
        assert.ok(await page.$('svg.dash-bars'), 'bar charts drawn as SVG');
        const title = await page.textContent('#dash-title');
        assert.match(title, lang === 'en' ? /at a glance/ : /一览/);
        assert.ok(await overflow(page) <= 0, `no horizontal overflow at ${viewport.width} px`);
        check();
      } finally {
        await context.close();
      }
    });
  }
}

test('a figure clicked through opens the list behind it; the picker asks for another period', async () => {
  const { context, page, check } = await env.newPage(DESKTOP);
  try {
    await signIn(page, 'officer.zhangyan');
    await openDashboard(page);
    // The size "small": its row links to the enterprise list of that size.
    const link = page.locator('[data-section=sizes] [data-testid=dash-row-link]').nth(1);
    const href = await link.getAttribute('href');
    assert.equal(href, '/enterprises?size=small&status=active');
    const count = Number(await page.getAttribute('[data-section=sizes] tr[data-key=small] td[data-col=enterprises]', 'data-value'));
    await link.click();
    await page.waitForURL(/\/enterprises\?size=small/);
    await page.waitForSelector('[data-testid=enterprise-row]');
    const total = await page.evaluate(() => document.body.textContent);
    assert.match(total, new RegExp(String(count)), 'the list says the count the dashboard showed');

    // Back, the period chosen while the figures are still on their way:
    // their arrival draws the page again and keeps the choice.
    const figures = await holdAnswers(page, 'GET', /^\/api\/v1\/dashboard$/);
    await page.goBack();
    await page.waitForSelector('#dash-kind');
    await figures.held();
    await page.selectOption('#dash-kind', 'year');
    const year = await page.$eval('#dash-year option:nth-child(2)', (o) => o.value);
    await page.selectOption('#dash-year', year);
    figures.release();
    await page.waitForSelector('[data-testid=dash-figure]');
    assert.equal(await page.inputValue('#dash-kind'), 'year');
    assert.equal(await page.inputValue('#dash-year'), year);
    assert.ok(await page.isHidden('#dash-sub'), 'a year has no month or quarter to choose');
    await page.click('#dash-apply');
    await page.waitForFunction((y) => document.querySelector('[data-testid=dash-page]')?.dataset.period === y, year);
    await page.waitForURL(new RegExp(`/dashboard\\?period=${year}$`));
    check();
  } finally {
    await context.close();
  }
});

test('a handler has no dashboard in its menu and is told so on the page', async () => {
  const { context, page, check } = await env.newPage(DESKTOP);
  try {
    await signIn(page, 'handler');
    assert.equal(await page.$('[data-nav=dashboard]'), null);
    await page.goto(`${env.srv.url}/dashboard`);
    await page.waitForSelector('[data-testid=dash-error]');
    check();
  } finally {
    await context.close();
  }
});
