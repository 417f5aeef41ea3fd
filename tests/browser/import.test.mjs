// Importing enterprises in the console: an officer uploads a workbook
// with mistakes, sees each bad record by line and column with nothing
// written, uploads the corrected one and imports it; the registry then
// has the new enterprise.  Roles that do not register enterprises are
// not offered the page.  Both languages, on a desktop and a 360 px phone.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/import.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { login, PASSWORD } from '../lib/server.mjs';
import { xlsxOf } from '../lib/zip.mjs';
import { useBrowser } from './browser.mjs';

const env = useBrowser();
const dir = mkdtempSync(join(tmpdir(), 'qy-import-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function signIn(page, username) {
  await page.goto(`${env.srv.url}/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#current-user', { state: 'attached' });
}

// A valid USCC (GB 32100-2015) of Jinshan from a body of 8.
const ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function uscc(body8) {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const v = (c) => (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55);
  const o = 11 - ([...body8].reduce((a, c, i) => a + v(c) * w[i], 0) % 11);
  const c17 = '91310116' + body8 + (o === 10 ? 'X' : o === 11 ? '0' : String(o));
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const s = [...c17].reduce((a, c, i) => a + ALPHA.indexOf(c) * W[i], 0);
  return c17 + ALPHA[(31 - (s % 31)) % 31];
}

// The page's elements reaching past the window, none when nothing
// overflows (the menu scrolls sideways by design).
const overflowing = (page) => page.evaluate(() => [...document.querySelectorAll('main *')]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${e.className}`).slice(0, 5));

for (const [lang, viewport] of [['zh', { width: 1366, height: 800 }], ['en', { width: 360, height: 740 }]]) {
  test(`an officer checks a workbook, sees its problems, then imports the corrected one (${lang}, ${viewport.width} px)`, async () => {
    const { context, page, check } = await env.newPage(viewport);
    const api = await login(env.srv.url, 'officer');
    const code = uscc(lang === 'zh' ? 'BRWT0001' : 'BRWT0002');
    const name = `上海浏览器导入${lang}有限公司`;
    const head = ['uscc', 'name_zh', 'industry', 'stage', 'employees'];
    const badFile = join(dir, `bad-${lang}.xlsx`);
    const goodFile = join(dir, `good-${lang}.xlsx`);
    writeFileSync(badFile, xlsxOf([head, [code, name, '3831', 'sideways', 12], [code, '重复', '38', '', -1]]));
    writeFileSync(goodFile, xlsxOf([head, [code, name, '3831', 'upstream', 12]]));
    try {
      await signIn(page, 'officer');
      if (lang === 'en') {
        await page.click('#lang-switch');
        await page.waitForFunction(() => document.documentElement.lang === 'en');
      }
      await page.goto(`${env.srv.url}/enterprises`);
      await page.click('#import-link');
      await page.waitForURL(`${env.srv.url}/enterprises/import`);
      await page.setInputFiles('#import-file', badFile);
      await page.click('#import-check');
      await page.waitForSelector('#import-table');
      // Line 2: the stage; line 3: the industry and the employees.
      const rows = page.locator('#import-table tbody tr');
      assert.equal(await rows.count(), 3);
      assert.equal(await page.locator('#import-table tr[data-line="2"][data-column="4"]').count(), 1);
      assert.equal(await page.locator('#import-table tr[data-line="3"][data-column="3"]').count(), 1);
      assert.equal(await page.locator('#import-table tr[data-line="3"][data-column="5"]').count(), 1);
      assert.equal(await page.locator('#import-run').isVisible(), false, 'no import of a bad file');
      const status = await page.textContent('#import-status');
      assert.match(status, lang === 'zh' ? /2 条记录中有 2 条有误/ : /2 of 2 records have problems/);
      assert.deepEqual(await overflowing(page), [], 'no horizontal overflow');
      assert.equal((await api.call('GET', `/api/v1/enterprises?located=all&q=${code}`)).json.items.length, 0);
      // The corrected file.
      await page.setInputFiles('#import-file', goodFile);
      await page.click('#import-check');
      await page.waitForSelector('#import-run:not([hidden])');
      assert.match(await page.textContent('#import-run'), lang === 'zh' ? /导入 1 家企业/ : /Import 1 enterprise\b/);
      await page.click('#import-run');
      await page.waitForURL(`${env.srv.url}/enterprises`);
      const found = (await api.call('GET', `/api/v1/enterprises?located=all&q=${code}`)).json.items;
      assert.equal(found.length, 1);
      assert.equal(found[0].name_zh, name);
      check();
    } finally {
      await context.close();
    }
  });
}

test('roles that do not register enterprises are not offered the import', async () => {
  const { context, page, check } = await env.newPage();
  try {
    await signIn(page, 'grid');
    await page.goto(`${env.srv.url}/enterprises`);
    await page.waitForSelector('#list-status');
    assert.equal(await page.locator('#import-link').count(), 0);
    await page.goto(`${env.srv.url}/enterprises/import`);
    await page.waitForSelector('[role=alert]');
    assert.equal(await page.locator('#import-file').count(), 0);
    check();
  } finally {
    await context.close();
  }
});
