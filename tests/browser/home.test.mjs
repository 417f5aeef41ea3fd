// Each role's home: what it does first, figures equal to the API's lists,
// links to the lists behind them; the residents' portal for a visitor.
// Every role in Chinese on a desktop and in English on a 360 px phone,
// with no horizontal overflow and no internal code, ISO timestamp or
// login name on the page.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/home.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { login, PASSWORD } from '../lib/server.mjs';
import { useBrowser } from './browser.mjs';

const env = useBrowser();
const VIEWS = [['zh', { width: 1366, height: 800 }], ['en', { width: 360, height: 740 }]];

async function signIn(page, username, lang) {
  await page.goto(`${env.srv.url}/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#home-title');
  assert.equal(new URL(page.url()).pathname, '/', 'signing in leads home');
  if (lang === 'en') {
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  }
}

// The page's elements reaching past the window (the menu scrolls
// sideways by design).
const overflowing = (page) => page.evaluate(() => [...document.querySelectorAll('main *')]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map((e) => `${e.tagName.toLowerCase()}.${e.className}`).slice(0, 5));

// What a page must not show: ISO timestamps, login names (checked on the
// Chinese pages, where they cannot be English words), codes of states,
// kinds or alerts in place of their names.
async function noRawText(page, usernames) {
  const text = await page.textContent('main');
  if (await page.getAttribute('html', 'lang') === 'en') usernames = [];
  assert.doesNotMatch(text, /\d{4}-\d\d-\d\dT\d\d:\d\d/, 'no ISO timestamp');
  assert.doesNotMatch(text, /\b(in_progress|under_review|not_visited|missing_report|service_request|negotiating)\b/, 'no internal code');
  for (const u of usernames) assert.ok(!new RegExp(`\\b${u}\\b`).test(text), `no login name ${u}`);
}

async function loaded(page, ids) {
  for (const id of ids) {
    await page.waitForSelector(`[data-testid=home-${id}] .home-foot a, [data-testid=home-${id}] .alert-error, [data-testid=home-${id}] [data-testid=${id}-body] > :not(.muted)`);
    assert.equal(await page.locator(`[data-testid=home-${id}] .alert-error`).count(), 0, `${id} loaded`);
  }
}

for (const [lang, viewport] of VIEWS) {
  test(`an officer's home: overdue cases, alerts, the pipeline, events (${lang}, ${viewport.width} px)`, async () => {
    const { context, page, check } = await env.newPage(viewport);
    const api = await login(env.srv.url, 'officer');
    try {
      await signIn(page, 'officer', lang);
      await loaded(page, ['overdue', 'alerts', 'pipeline', 'events']);
      const overdue = (await api.call('GET', '/api/v1/cases?status=open&overdue=true&limit=100')).json.items;
      assert.equal((await page.textContent('[data-testid=overdue-figure]')).trim(), String(overdue.length));
      assert.equal(await page.locator('[data-testid=home-overdue] [data-testid=home-case]').count(), Math.min(6, overdue.length));
      const alerts = (await api.call('GET', '/api/v1/alerts')).json.items;
      assert.match(await page.textContent('[data-testid=alerts-figure]'), new RegExp(`\\b${alerts.length}\\b`));
      const leads = (await api.call('GET', '/api/v1/leads?open=true')).json.items;
      const negotiating = leads.filter((l) => l.stage === 'negotiating').length;
      assert.equal((await page.textContent('[data-testid=home-pipeline] [data-stage=negotiating] .home-stage-n')).trim(), String(negotiating));
      assert.deepEqual(await overflowing(page), [], 'no horizontal overflow');
      await noRawText(page, ['officer', 'admin']);
      // A figure leads to its list.
      await page.click('[data-testid=home-overdue] .home-foot a');
      await page.waitForFunction(() => location.pathname === '/cases' && location.search === '?tab=overdue');
      await page.waitForSelector('.case-tab-overdue.is-active');
      check();
    } finally {
      await context.close();
    }
  });

  test(`a grid worker's round, a handler's inbox, a secretary's cluster (${lang}, ${viewport.width} px)`, async () => {
    for (const [user, ids] of [['grid', ['round', 'other-alerts', 'cards', 'cases']], ['handler', ['inbox']], ['secretary', ['cluster', 'cases', 'pipeline', 'events']]]) {
      const { context, page, check } = await env.newPage(viewport);
      const api = await login(env.srv.url, user);
      try {
        await signIn(page, user, lang);
        await loaded(page, ids);
        if (user === 'grid') {
          const due = (await api.call('GET', '/api/v1/alerts')).json.items
            .filter((g) => g.alerts.some((a) => a.kind === 'not_visited'));
          assert.equal((await page.textContent('[data-testid=round-figure]')).trim(), String(due.length));
          assert.ok(await page.locator('[data-testid=home-grid] a[href$="/cards.pdf"]').count() > 0, 'its grids\' cards to print');
        }
        if (user === 'handler') {
          const open = (await api.call('GET', '/api/v1/cases?status=open&limit=100')).json.items;
          const shown = await page.locator('[data-testid=home-inbox] [data-testid=home-case] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
          const byDeadline = open.slice().sort((a, b) => a.deadline.localeCompare(b.deadline)).slice(0, 6).map((c) => `/cases/${c.id}`);
          assert.deepEqual(shown, byDeadline, 'the inbox by deadline');
        }
        if (user === 'secretary') {
          const c = (await api.call('GET', `/api/v1/clusters/${api.user.cluster_id}`)).json;
          const name = lang === 'zh' ? c.name_zh : c.name_en || c.name_zh;
          assert.equal((await page.textContent('[data-testid=home-cluster-name]')).trim(), name);
        }
        assert.deepEqual(await overflowing(page), [], `${user}: no horizontal overflow`);
        await noRawText(page, [user]);
        check();
      } finally {
        await context.close();
      }
    }
  });

  test(`an enterprise contact's home: its card, cases, measures and partners (${lang}, ${viewport.width} px)`, async () => {
    const { context, page, check } = await env.newPage(viewport);
    const api = await login(env.srv.url, 'qifan');
    try {
      await signIn(page, 'qifan', lang);
      await loaded(page, ['cases', 'policies', 'partners']);
      const pol = (await api.call('GET', `/api/v1/enterprises/${api.user.enterprise_id}/policies`)).json;
      assert.equal(await page.locator('[data-testid=home-policy]').count(), Math.min(5, pol.qualified.length));
      assert.ok(await page.locator('[data-testid=home-partner]').count() > 0);
      assert.equal(await page.locator('a[href="/cases/new"]').count(), 1, 'a problem is raised from home');
      assert.deepEqual(await overflowing(page), [], 'no horizontal overflow');
      await noRawText(page, ['qifan']);
      check();
    } finally {
      await context.close();
    }
  });

  test(`a visitor's home is the residents' portal (${lang}, ${viewport.width} px)`, async () => {
    const { context, page, check } = await env.newPage(viewport);
    try {
      await page.goto(`${env.srv.url}/`);
      if (lang === 'en') {
        await page.click('#lang-switch');
        await page.waitForFunction(() => document.documentElement.lang === 'en');
      }
      for (const k of ['suggest', 'track', 'suggestions', 'services']) await page.waitForSelector(`[data-testid=tile-${k}]`);
      await page.waitForSelector('[data-testid=home-news]');
      assert.equal(await page.locator('[data-testid=home-news]').count(), 3);
      assert.deepEqual(await overflowing(page), [], 'no horizontal overflow');
      await noRawText(page, []);
      await page.click('[data-testid=tile-suggest]');
      await page.waitForURL(/\/suggest$/);
      check();
    } finally {
      await context.close();
    }
  });
}
