// The bar's grouped menus and the brand, in Chinese and English, at
// 1366 px and at 360 px:
// - the signed-in bar groups its links by what the town office does
//   (Registry, Grids, Services, Admin), each group a button with
//   aria-expanded that shows its links; Home, the overview and the cases
//   stand alone; a visitor's few links stand alone too;
// - a group opens and closes by click, Enter and Space; Escape closes it
//   and gives the focus back to its button; a click elsewhere closes it;
//   one group is open at a time; tabbing out closes it;
// - following a link closes the menu and marks the page's group;
// - at 360 px the row of links scrolls sideways and an open group's panel
//   lies inside the window, on top of the page, not cut by the row;
// - the brand (name and subtitle) stays on its two lines at 1366 px, and
//   the admin's bar, the longest, holds its links on one row.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/menus.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD } from '../lib/server.mjs';
import { useBrowser } from './browser.mjs';

const env = useBrowser();
const WIDE = { width: 1366, height: 900 };
const NARROW = { width: 360, height: 740 };

const LABELS = {
  zh: { registry: '企业与产业', grids: '网格', services: '服务', admin: '系统管理', clusters: '集群' },
  en: { registry: 'Registry', grids: 'Grids', services: 'Services', admin: 'Admin', clusters: 'Clusters' },
};

async function open(viewport, lang, username) {
  const { context, page, check } = await env.newPage(viewport);
  if (lang === 'en') await context.addInitScript(() => localStorage.setItem('qunyan.lang', 'en'));
  if (username) {
    const r = await context.request.post(`${env.srv.url}/api/v1/session`, { data: { username, password: PASSWORD } });
    assert.equal(r.status(), 200);
  }
  await page.goto(`${env.srv.url}/bulletin`);
  await page.waitForSelector('body.ready');
  await page.waitForSelector('#main-nav > *');
  return { context, page, check };
}

// The bar's items in order: a link's data-nav, or "group:name [links]".
const barItems = (page) => page.evaluate(() => [...document.querySelector('#main-nav').children].map((e) => (e.dataset.navGroup
  ? `group:${e.dataset.navGroup} [${[...e.querySelectorAll('a[data-nav]')].map((a) => a.dataset.nav).join(' ')}]`
  : e.dataset.nav)));

const expanded = (page, name) => page.getAttribute(`[data-nav-group-button=${name}]`, 'aria-expanded');
const focusedGroup = (page) => page.evaluate(() => document.activeElement.dataset.navGroupButton || document.activeElement.dataset.nav || null);

for (const lang of ['zh', 'en']) {
  for (const viewport of [WIDE, NARROW]) {
    test(`the admin's grouped menus in ${lang} at ${viewport.width} px`, async () => {
      const { context, page, check } = await open(viewport, lang, 'admin');
      try {
        assert.deepEqual(await barItems(page), [
          'home', 'dashboard',
          'group:registry [enterprises clusters chain pipeline]',
          'group:grids [map alerts]',
          'cases',
          'group:services [services policies events orgs bulletin]',
          'group:admin [users audit]',
        ]);
        // Each group: a labelled button that controls its hidden panel.
        for (const name of ['registry', 'grids', 'services', 'admin']) {
          const b = page.locator(`[data-nav-group-button=${name}]`);
          assert.equal((await b.textContent()).trim(), LABELS[lang][name]);
          assert.equal(await b.getAttribute('aria-expanded'), 'false');
          const panel = page.locator(`#${await b.getAttribute('aria-controls')}`);
          assert.equal(await panel.isVisible(), false);
          assert.equal(await panel.locator('a[data-nav]').count() > 0, true);
        }
        // The bulletin's page marks its group, and only that one.
        assert.equal(await page.getAttribute('[data-nav-group-button=services]', 'aria-current'), 'true');
        assert.match(await page.getAttribute('[data-nav-group-button=services]', 'class'), /\bactive\b/);
        assert.equal(await page.getAttribute('[data-nav-group-button=registry]', 'aria-current'), null);
        assert.equal(await page.getAttribute('a[data-nav=bulletin]', 'aria-current'), 'page');

        // A click opens a group; another group's click closes the first.
        await page.click('[data-nav-group-button=registry]');
        assert.equal(await expanded(page, 'registry'), 'true');
        assert.ok(await page.locator('a[data-nav=clusters]').isVisible());
        assert.equal((await page.textContent('a[data-nav=clusters]')).trim(), LABELS[lang].clusters);
        await page.click('[data-nav-group-button=services]');
        assert.equal(await expanded(page, 'registry'), 'false');
        assert.equal(await expanded(page, 'services'), 'true');
        // The open panel is inside the window and on top of the page: the
        // point in the middle of its last link is that link.
        const onTop = await page.evaluate(() => {
          const panel = document.querySelector('[data-nav-group=services] .nav-menu');
          const r = panel.getBoundingClientRect();
          const last = [...panel.querySelectorAll('a')].pop();
          const lr = last.getBoundingClientRect();
          const hit = document.elementFromPoint(lr.left + lr.width / 2, lr.top + lr.height / 2);
          return { left: r.left, right: r.right, width: innerWidth, hit: hit === last || last.contains(hit) };
        });
        assert.ok(onTop.left >= 0 && onTop.right <= onTop.width, `the panel lies in the window: ${JSON.stringify(onTop)}`);
        assert.ok(onTop.hit, 'the panel is not covered or cut');
        // A click elsewhere closes it.
        await page.click('footer');
        assert.equal(await expanded(page, 'services'), 'false');
        assert.equal(await page.locator('a[data-nav=events]').isVisible(), false);

        // The keyboard: Enter and Space open, Escape closes and gives the
        // focus back, Tab walks into the panel's links.
        await page.focus('[data-nav-group-button=grids]');
        await page.keyboard.press('Enter');
        assert.equal(await expanded(page, 'grids'), 'true');
        await page.keyboard.press('Tab');
        assert.equal(await focusedGroup(page), 'map');
        await page.keyboard.press('Escape');
        assert.equal(await expanded(page, 'grids'), 'false');
        assert.equal(await focusedGroup(page), 'grids');
        await page.keyboard.press('Space');
        assert.equal(await expanded(page, 'grids'), 'true');
        await page.keyboard.press('Space');
        assert.equal(await expanded(page, 'grids'), 'false');
        // Tabbing past the last link closes the group.
        await page.keyboard.press('Enter');
        await page.keyboard.press('Tab');
        await page.keyboard.press('Tab');
        assert.equal(await focusedGroup(page), 'alerts');
        await page.keyboard.press('Tab');
        assert.equal(await expanded(page, 'grids'), 'false');

        // Following a link: the page, its group marked, the menu closed.
        await page.click('[data-nav-group-button=registry]');
        await page.click('a[data-nav=clusters]');
        await page.waitForURL(`${env.srv.url}/clusters`);
        await page.waitForSelector('[data-testid=cluster]');
        assert.equal(await expanded(page, 'registry'), 'false');
        assert.equal(await page.getAttribute('[data-nav-group-button=registry]', 'aria-current'), 'true');
        assert.equal(await page.getAttribute('[data-nav-group-button=services]', 'aria-current'), null);
        assert.equal(await page.getAttribute('a[data-nav=clusters]', 'aria-current'), 'page');

        // No horizontal overflow, closed or open.
        assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth), 0);
        await page.click('[data-nav-group-button=admin]');
        assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth), 0);
        if (viewport === NARROW) {
          // The small screen's row scrolls sideways rather than wrapping.
          const row = await page.evaluate(() => {
            const nav = document.querySelector('#main-nav');
            return { overflowX: getComputedStyle(nav).overflowX, tops: new Set([...nav.children].map((c) => Math.round(c.getBoundingClientRect().top))).size };
          });
          assert.deepEqual(row, { overflowX: 'auto', tops: 1 });
        } else {
          // At 1366 px the admin's bar, the longest, holds its links on one row.
          const tops = await page.evaluate(() => new Set([...document.querySelector('#main-nav').children]
            .map((c) => Math.round(c.getBoundingClientRect().top))).size);
          assert.equal(tops, 1);
        }
        check();
      } finally {
        await context.close();
      }
    });
  }

  test(`each role's menus in ${lang}: groups of its links, single links alone`, async () => {
    const want = {
      officer: ['home', 'dashboard', 'group:registry [enterprises clusters chain pipeline]', 'group:grids [map alerts]',
        'cases', 'group:services [services policies events orgs bulletin]'],
      grid: ['home', 'dashboard', 'group:registry [enterprises clusters chain]', 'group:grids [map alerts]',
        'cases', 'group:services [services policies orgs bulletin]'],
      qifan: ['home', 'group:registry [enterprises clusters]', 'cases',
        'group:services [services applications events bulletin]'],
      null: ['home', 'suggest', 'track', 'suggestions', 'services', 'bulletin'],
    };
    for (const [username, items] of Object.entries(want)) {
      const { context, page, check } = await open(WIDE, lang, username === 'null' ? null : username);
      try {
        assert.deepEqual(await barItems(page), items, `${username}'s bar`);
        check();
      } finally {
        await context.close();
      }
    }
  });

  test(`the brand stays on its two lines at 1366 px in ${lang}`, async () => {
    for (const username of ['admin', 'qifan', null]) {
      const { context, page, check } = await open(WIDE, lang, username);
      try {
        const r = await page.evaluate(() => {
          const brand = document.querySelector('[data-testid=brand]');
          // The same brand with nothing to squeeze it: each line whole.
          const free = brand.cloneNode(true);
          free.style.cssText = 'position:absolute;left:0;top:0;width:max-content;white-space:nowrap;visibility:hidden';
          document.querySelector('.topbar-inner').append(free);
          const one = free.getBoundingClientRect().height;
          free.remove();
          const sub = document.querySelector('.brand-sub');
          return { height: brand.getBoundingClientRect().height, one, sub: getComputedStyle(sub).display, text: sub.textContent };
        });
        assert.notEqual(r.sub, 'none', 'the subtitle is shown');
        assert.ok(r.text.length > 0);
        assert.ok(r.height <= r.one + 0.5, `the brand is ${r.height} px high, ${r.one} px on its own lines`);
        check();
      } finally {
        await context.close();
      }
    }
  });
}
