// Keeping the registry in the console: an officer registers an
// enterprise, is told in place that its code fails its check, accepts it
// with the reason the server requires (audited), then moves it out with a
// reason and reinstates it.  Roles that do not register or retire
// enterprises are not offered either.  Chinese at 1366 px, English at 360.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/registry-upkeep.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { login, PASSWORD } from '../lib/server.mjs';
import { useBrowser } from './browser.mjs';

const env = useBrowser();

async function signIn(page, username, lang) {
  await page.goto(`${env.srv.url}/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#home-title');
  if (lang === 'en') {
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  }
}

// A code of Jinshan whose check character is wrong, from a body of 8.
const ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function badUscc(body8) {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const v = (c) => (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55);
  const o = 11 - ([...body8].reduce((a, c, i) => a + v(c) * w[i], 0) % 11);
  const c17 = '91310116' + body8 + (o === 10 ? 'X' : o === 11 ? '0' : String(o));
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const s = [...c17].reduce((a, c, i) => a + ALPHA.indexOf(c) * W[i], 0);
  const good = ALPHA[(31 - (s % 31)) % 31];
  return c17 + (good === '0' ? '1' : '0');
}

const overflowing = (page) => page.evaluate(() => [...document.querySelectorAll('main *')]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map((e) => `${e.tagName.toLowerCase()}.${e.className}`).slice(0, 5));

for (const [lang, viewport, body8] of [['zh', { width: 1366, height: 800 }, 'UPKP0001'], ['en', { width: 360, height: 740 }, 'UPKP0002']]) {
  test(`an officer registers an enterprise with an overridden code, moves it out and reinstates it (${lang}, ${viewport.width} px)`, async () => {
    const { context, page, check } = await env.newPage(viewport);
    const admin = await login(env.srv.url, 'admin');
    const code = badUscc(body8);
    const name = `上海登记测试${lang}有限公司`;
    try {
      await signIn(page, 'officer', lang);
      await page.goto(`${env.srv.url}/enterprises`);
      await page.click('#new-link');
      await page.waitForURL(`${env.srv.url}/enterprises/new`);
      await page.fill('#f-uscc', code);
      await page.fill('#f-name_zh', name);
      await page.fill('#f-industry', '3831');
      await page.click('#save-button');
      // The check character is named at the field.
      await page.waitForSelector('.field-error[data-field=uscc]');
      assert.match(await page.textContent('.field-error[data-field=uscc]'), /check|校验/i);
      // Accepting it asks for the reason, then takes it.
      assert.equal(await page.isVisible('#f-uscc_override_reason'), false);
      await page.check('#f-uscc_override');
      await page.waitForSelector('#f-uscc_override_reason', { state: 'visible' });
      await page.click('#save-button');
      await page.waitForSelector('.field-error[data-field=uscc_override_reason]');
      const why = lang === 'zh' ? '已核验营业执照原件' : 'The business licence was seen';
      await page.fill('#f-uscc_override_reason', why);
      assert.deepEqual(await overflowing(page), [], 'the form fits');
      await page.click('#save-button');
      await page.waitForSelector('#enterprise-name');
      const id = Number(new URL(page.url()).pathname.split('/').pop());
      assert.equal((await page.textContent('#enterprise-name')).trim(), name);
      const audit = (await admin.call('GET', `/api/v1/audit?entity=enterprise&entity_id=${id}`)).json.items;
      assert.ok(audit.some((a) => a.action === 'uscc_override' && a.after.reason === why), 'the reason is audited');

      // Moved out, with the reason; then reinstated.
      await page.click('#retire-button');
      await page.selectOption('#retire-status', 'moved_out');
      await page.click('#retire-submit');
      await page.waitForSelector('#retire-error:not([hidden])');
      await page.fill('#retire-reason', lang === 'zh' ? '迁至松江区九亭镇' : 'Moved to Jiuting Town');
      await page.click('#retire-submit');
      await page.waitForSelector('[data-testid=status].status-moved_out');
      assert.deepEqual(await overflowing(page), [], 'the page fits');
      await page.click('#retire-button');
      await page.fill('#retire-reason', lang === 'zh' ? '迁回本镇' : 'Moved back');
      await page.click('#retire-submit');
      await page.waitForSelector('[data-testid=status].status-active');
      const actions = (await admin.call('GET', `/api/v1/audit?entity=enterprise&entity_id=${id}`)).json.items.map((a) => a.action);
      assert.ok(actions.includes('retire') && actions.includes('reinstate'), actions.join());
      check();
    } finally {
      await context.close();
    }
  });
}

test('a secretary and a grid worker are offered neither registering nor retiring', async () => {
  for (const user of ['secretary', 'grid']) {
    const { context, page, check } = await env.newPage();
    try {
      await signIn(page, user, 'zh');
      await page.goto(`${env.srv.url}/enterprises`);
      await page.waitForSelector('#list-status');
      assert.equal(await page.locator('#new-link').count(), 0);
      await page.goto(`${env.srv.url}/enterprises/1`);
      await page.waitForSelector('#enterprise-name');
      assert.equal(await page.locator('#retire-button').count(), 0);
      await page.goto(`${env.srv.url}/enterprises/new`);
      await page.waitForSelector('[role=alert]');
      assert.equal(await page.locator('#f-uscc').count(), 0);
      check();
    } finally {
      await context.close();
    }
  }
});
