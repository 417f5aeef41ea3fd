// The admins' users page in a real browser: every account with its role
// and status, disabling and enabling one (its session stops at once),
// and its API keys listed, made (shown once) and revoked, in both
// languages; other roles have no such page.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/accounts.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { login, PASSWORD } from '../lib/server.mjs';
import { holdAnswers, useBrowser, clickNav } from './browser.mjs';

const env = useBrowser();
const newPage = (viewport) => env.newPage(viewport);

async function signIn(page, username) {
  await page.goto(`${env.srv.url}/login?next=/enterprises`);
  await page.waitForSelector('#login-username');
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('[data-testid=enterprise-row]');
}

const row = (username) => `[data-testid=user-row][data-username="${username}"]`;
const withKey = (key) => fetch(`${env.srv.url}/api/v1/enterprises?limit=1`, { headers: { Authorization: `Bearer ${key}` } })
  .then((r) => r.status);

test('an admin disables and enables a user and makes and revokes its API key', async () => {
  const { context, page, check } = await newPage();
  try {
    const grid2 = await login(env.srv.url, 'grid2');
    await signIn(page, 'admin');
    assert.equal((await page.textContent('[data-nav=users]')).trim(), '用户');
    await clickNav(page, 'users');
    await page.waitForSelector(row('officer'));
    assert.equal(new URL(page.url()).pathname, '/users');
    assert.equal((await page.textContent('h1')).trim(), '用户管理');
    assert.equal(await page.getAttribute('[data-nav=users]', 'aria-current'), 'page');

    // Every demo account, with its role and status.
    const names = await page.$$eval('[data-testid=user-row]', (rows) => rows.map((r) => r.dataset.username));
    for (const u of ['admin', 'officer', 'secretary', 'grid', 'grid2', 'handler', 'qifan']) assert.ok(names.includes(u), u);
    assert.equal((await page.textContent(`${row('officer')} [data-testid=user-role]`)).trim(), '镇政府工作人员');
    assert.equal((await page.textContent(`${row('grid2')} [data-testid=user-status]`)).trim(), '正常');
    assert.equal(await page.isDisabled(`${row('admin')} [data-testid=user-toggle]`), true, 'no disabling oneself');

    // Disabling grid2 ends its session at once; enabling brings no session back.
    assert.equal((await grid2.call('GET', '/api/v1/enterprises?limit=1')).status, 200);
    await page.click(`${row('grid2')} [data-testid=user-toggle]`);
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.trim() === '已停用',
      `${row('grid2')} [data-testid=user-status]`);
    assert.match(await page.textContent('[data-testid=users-message]'), /已停用/);
    assert.equal((await page.textContent(`${row('grid2')} [data-testid=user-toggle]`)).trim(), '启用');
    assert.equal((await grid2.call('GET', '/api/v1/enterprises?limit=1')).status, 401);
    await page.click(`${row('grid2')} [data-testid=user-toggle]`);
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.trim() === '正常',
      `${row('grid2')} [data-testid=user-status]`);
    assert.equal((await grid2.call('GET', '/api/v1/enterprises?limit=1')).status, 401);

    // The officer's keys: none yet; one made, shown once, working.  The
    // label, typed before the keys have arrived, keeps its text and the
    // focus when they do.
    const keys = await holdAnswers(page, 'GET', /^\/api\/v1\/users\/\d+\/keys$/);
    await page.click(`${row('officer')} [data-testid=user-keys-open]`);
    await keys.held();
    await page.click('#key-label');
    await page.keyboard.type('Open311');
    keys.release();
    await page.waitForSelector('[data-testid=keys-empty]');
    await page.keyboard.type(' 网关');
    assert.equal(await page.inputValue('#key-label'), 'Open311 网关');
    assert.match(await page.textContent('#keys-title'), /王敏/);
    await page.click('[data-testid=key-create]');
    await page.waitForSelector('[data-testid=key-secret]');
    const key = (await page.textContent('[data-testid=key-secret]')).trim();
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.equal(await withKey(key), 200);
    await page.waitForSelector('[data-testid=key-row]');
    const keyRow = page.locator('[data-testid=key-row]');
    assert.equal(await keyRow.count(), 1);
    assert.match(await keyRow.textContent(), /Open311 网关/);
    assert.equal((await keyRow.locator('[data-testid=key-status]').textContent()).trim(), '有效');
    assert.equal((await page.textContent(`${row('officer')} [data-testid=user-keys]`)).trim(), '1');
    await page.click('[data-testid=key-done]');
    assert.equal(await page.locator('[data-testid=key-secret]').count(), 0, 'the key is not shown again');
    assert.doesNotMatch(await page.textContent('[data-testid=keys-section]'), new RegExp(key));

    // Revoking asks once more, then the key stops at once and stays listed.
    await page.click('[data-testid=key-revoke]');
    await page.click('[data-testid=key-revoke-confirm]');
    await page.waitForFunction(() => /已吊销/.test(document.querySelector('[data-testid=key-status]')?.textContent || ''));
    assert.equal(await withKey(key), 401);
    assert.equal(await page.locator('[data-testid=key-revoke]').count(), 0);
    assert.equal((await page.textContent(`${row('officer')} [data-testid=user-keys]`)).trim(), '0');

    // The same page in English.
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent.trim() === 'Users');
    assert.equal((await page.textContent('[data-nav=users]')).trim(), 'Users');
    assert.equal((await page.textContent(`${row('officer')} [data-testid=user-role]`)).trim(), 'Town officer');
    assert.equal((await page.textContent(`${row('grid2')} [data-testid=user-status]`)).trim(), 'Active');
    assert.match(await page.textContent('[data-testid=key-status]'), /^Revoked/);
    assert.match(await page.textContent('#keys-title'), /API keys of/);
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent.trim() === '用户管理');

    // Every change is in the audit log, as admin.
    const admin = await login(env.srv.url, 'admin');
    const audit = (await admin.call('GET', '/api/v1/audit?limit=20')).json.items.map((e) => `${e.action} ${e.entity}`);
    for (const a of ['disable user', 'enable user', 'create api_key', 'revoke api_key']) assert.ok(audit.includes(a), a);
    check();
  } finally {
    await context.close();
  }
});

test('on a phone the users page is still usable', async () => {
  const { context, page, check } = await newPage({ width: 390, height: 844 });
  try {
    await signIn(page, 'admin');
    await page.goto(`${env.srv.url}/users`);
    await page.waitForSelector(row('handler'));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling (${width}px)`);
    await page.click(`${row('handler')} [data-testid=user-keys-open]`);
    await page.fill('#key-label', 'phone');
    await page.click('[data-testid=key-create]');
    await page.waitForSelector('[data-testid=key-secret]');
    const w2 = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w2 <= 390, `the key wraps (${w2}px)`);
    check();
  } finally {
    await context.close();
  }
});

test('other roles have no users page', async () => {
  const { context, page, check } = await newPage();
  try {
    await signIn(page, 'officer');
    assert.equal(await page.locator('[data-nav=users]').count(), 0);
    await page.goto(`${env.srv.url}/users`);
    await page.waitForSelector('.alert-error');
    assert.match(await page.textContent('.alert-error'), /没有查看此内容的权限/);
    assert.equal(await page.locator('[data-testid=user-row]').count(), 0);
    check();
  } finally {
    await context.close();
  }
});

for (const [lang, viewport] of [['zh', { width: 1366, height: 800 }], ['en', { width: 360, height: 740 }]]) {
  test(`an admin makes a handler's account, sees a rule broken at its field, then changes its role (${lang}, ${viewport.width} px)`, async () => {
    const { context, page, check } = await newPage(viewport);
    const username = `acct.${lang}.${process.pid}`;
    try {
      await signIn(page, 'admin');
      if (lang === 'en') {
        await page.click('#lang-switch');
        await page.waitForFunction(() => document.documentElement.lang === 'en');
      }
      await page.goto(`${env.srv.url}/users`);
      await page.click('#account-new');
      await page.waitForSelector('#account-form');
      // The department shows only for a handler.
      assert.equal(await page.isVisible('#acct-department'), false);
      await page.selectOption('#acct-role', 'handler');
      assert.equal(await page.isVisible('#acct-department'), true);
      assert.equal(await page.isVisible('#acct-cluster'), false);
      await page.fill('#acct-username', 'Bad Name');
      await page.fill('#acct-display_name', '钱经办');
      await page.fill('#acct-password', 'first-pass-2024');
      await page.click('#acct-save');
      await page.waitForSelector('.field-error[data-field=username]:not([hidden])');
      await page.fill('#acct-username', username);
      await page.click('#acct-save');
      await page.waitForSelector(row(username));
      assert.match(await page.textContent(`${row(username)} [data-testid=user-role]`), lang === 'zh' ? /部门经办人/ : /handler/i);
      const overflow = await page.evaluate(() => [...document.querySelectorAll('main *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).length);
      assert.equal(overflow, 0, 'no horizontal overflow');
      const made = await login(env.srv.url, username, 'first-pass-2024');
      assert.equal(made.user.role, 'handler');

      // Another role: its session ends.
      await page.click(`${row(username)} [data-testid=user-role-open]`);
      await page.selectOption('#acct-role', 'secretary');
      await page.click('#acct-save');
      await page.waitForFunction((sel) => /书记|secretary/i.test(document.querySelector(sel).textContent), `${row(username)} [data-testid=user-role]`);
      assert.equal((await made.call('GET', '/api/v1/session')).json.user, null, 'the old session ended');
      check();
    } finally {
      await context.close();
    }
  });
}
