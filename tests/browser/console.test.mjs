// The web console in a real browser: Playwright drives Debian's
// chromium against a real qunyan server with the demo town.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/console.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { login, PASSWORD } from '../lib/server.mjs';
import { useBrowser, clickNav } from './browser.mjs';

const QIFAN = '上海起帆电缆股份有限公司';
const QIFAN_EN = 'Shanghai Qifan Cable Co., Ltd.';

const env = useBrowser();
const newPage = (viewport) => env.newPage(viewport);

async function signIn(page, username) {
  // Signed out, / is the residents' portal, with the way to sign in.
  await page.goto(`${env.srv.url}/`);
  await page.waitForSelector('[data-testid=tile-suggest]');
  await page.goto(`${env.srv.url}/login?next=/enterprises`);
  await page.waitForSelector('#login-username');
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('[data-testid=enterprise-row]');
}

const digits = (s) => Number(String(s).replace(/[^\d-]/g, ''));

test('officer signs in, finds Qifan, edits its employees, sees errors, switches language', async () => {
  const { context, page, check } = await newPage();
  const api = await login(env.srv.url, 'admin');
  try {
    // A wrong password shows the server's message and stays on the form.
    await page.goto(`${env.srv.url}/login`);
    await page.fill('#login-username', 'officer');
    await page.fill('#login-password', 'not-the-password');
    await page.click('#login-submit');
    await page.waitForSelector('#login-error:not([hidden])');
    assert.match(await page.textContent('#login-error'), /wrong username or password/);

    await signIn(page, 'officer');
    assert.equal(new URL(page.url()).pathname, '/enterprises');
    assert.match(await page.textContent('#current-user'), /王敏/);
    assert.match(await page.textContent('#current-role'), /镇政府工作人员/);

    // Chinese first: the default language.
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal((await page.textContent('[data-nav=enterprises]')).trim(), '企业名录');
    assert.equal((await page.textContent('[data-nav=clusters]')).trim(), '集群');
    assert.equal((await page.textContent('[data-nav=bulletin]')).trim(), '公告');

    // Search (debounced): only matching rows remain.
    const before = await page.locator('[data-testid=enterprise-row]').count();
    assert.ok(before > 1, `the list shows many enterprises (${before})`);
    await page.fill('#search', '起帆');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid=enterprise-row]')];
      return rows.length > 0 && rows.every((r) => r.textContent.includes('起帆'));
    });
    assert.equal(new URL(page.url()).searchParams.get('q'), '起帆', 'the search is kept in the address');
    const row = page.locator('[data-testid=enterprise-row]', { hasText: QIFAN });
    assert.equal(await row.count(), 1);
    assert.match(await row.textContent(), /913101169269138159/, 'the row shows the USCC');
    assert.match(await row.textContent(), /光电传输产业集群/, 'the row shows the cluster by name');

    // Open it.
    await row.locator('a').first().click();
    await page.waitForURL(`${env.srv.url}/enterprises/1`);
    assert.equal((await page.textContent('#enterprise-name')).trim(), QIFAN);
    assert.match(await page.textContent('[data-testid=contacts]'), /18077809705/, 'an officer sees full contacts');
    const start = (await api.call('GET', '/api/v1/enterprises/1')).json;
    assert.equal(digits(await page.textContent('dd[data-field=employees]')), start.employees);

    // Edit the employees: PATCH with If-Match and only that field.
    const newValue = start.employees + 37;
    await page.click('#edit-button');
    await page.waitForURL(`${env.srv.url}/enterprises/1/edit`);
    const employees = page.locator('input[name=employees]');
    assert.equal(await employees.inputValue(), String(start.employees));
    await employees.fill(String(newValue));
    const [patch] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'PATCH'),
      page.click('#save-button'),
    ]);
    assert.equal(patch.url(), `${env.srv.url}/api/v1/enterprises/1`);
    assert.equal(patch.headers()['if-match'], `"v${start.version}"`);
    assert.ok(patch.headers()['x-csrf-token'], 'the PATCH carries the CSRF token');
    assert.deepEqual(JSON.parse(patch.postData()), { employees: newValue }, 'only the changed field, as an integer');
    await page.waitForURL(`${env.srv.url}/enterprises/1`);
    await page.waitForFunction((v) => {
      const dd = document.querySelector('dd[data-field=employees]');
      return dd && Number(dd.textContent.replace(/[^\d]/g, '')) === v;
    }, newValue);
    assert.ok(await page.isVisible('[data-testid=flash]'), 'a confirmation is shown');
    const saved = (await api.call('GET', '/api/v1/enterprises/1')).json;
    assert.equal(saved.employees, newValue, 'the server has the new value');
    assert.equal(saved.version, start.version + 1);
    assert.equal(saved.name_zh, start.name_zh);
    assert.deepEqual(saved.contacts, start.contacts, 'untouched fields stay as they were');

    // An invalid value: the server's message beside the field, and the
    // form stays.
    await page.click('#edit-button');
    await page.waitForSelector('input[name=employees]');
    await page.fill('input[name=employees]', '-5');
    await page.click('#save-button');
    const fieldError = page.locator('.field-error[data-field=employees]');
    await fieldError.waitFor({ state: 'visible' });
    assert.match(await fieldError.textContent(), /employees/);
    assert.ok(await page.evaluate(() => {
      const input = document.querySelector('input[name=employees]');
      const err = document.querySelector('.field-error[data-field=employees]');
      return input.closest('.field').contains(err) && input.getAttribute('aria-invalid') === 'true';
    }), 'the message sits next to the employees input, which is marked invalid');
    assert.equal(new URL(page.url()).pathname, '/enterprises/1/edit', 'the form stays open');
    assert.equal(await page.inputValue('input[name=employees]'), '-5', 'the input keeps what was typed');
    assert.equal((await api.call('GET', '/api/v1/enterprises/1')).json.employees, newValue, 'nothing was saved');

    // Someone else saves meanwhile: 412, and the newer version on request.
    const other = await api.call('PATCH', '/api/v1/enterprises/1', { employees: 3000 }, { 'If-Match': `"v${saved.version}"` });
    assert.equal(other.status, 200);
    await page.fill('input[name=employees]', '2700');
    await page.click('#save-button');
    await page.waitForSelector('#stale-alert');
    await page.click('#reload-button');
    await page.waitForFunction(() => document.querySelector('input[name=employees]').value === '3000');
    assert.equal(await page.locator('.field-error').count(), 0, 'the old errors are gone');

    // English, remembered across a reload.
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('[data-nav=enterprises]').textContent.trim() === 'Enterprises');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal((await page.textContent('label[for=f-employees]')).trim(), 'Employees');
    assert.equal(await page.inputValue('input[name=employees]'), '3000', 'the form keeps its values');
    await page.goto(`${env.srv.url}/enterprises/1`);
    await page.waitForSelector('#enterprise-name');
    assert.equal((await page.textContent('#enterprise-name')).trim(), QIFAN_EN, 'the English name in English');
    assert.equal((await page.textContent('[data-nav=clusters]')).trim(), 'Clusters');
    assert.match(await page.textContent('#current-role'), /Town officer/);

    // Clusters: the four, with their counts.
    await clickNav(page, 'clusters');
    await page.waitForSelector('[data-testid=cluster]');
    const clusters = (await api.call('GET', '/api/v1/clusters')).json.items;
    assert.equal(await page.locator('[data-testid=cluster]').count(), clusters.length);
    const counts = await page.locator('[data-testid=cluster-count]').allTextContents();
    assert.deepEqual(counts.map(digits), clusters.map((c) => c.enterprises));

    // Signing out ends the session.
    await page.click('#signout');
    await page.waitForSelector('#login-username');
    const session = await page.evaluate(() => fetch('/api/v1/session').then((r) => r.json()));
    assert.equal(session.user, null);
    check();
  } finally {
    await context.close();
  }
});

test('the bulletin works without signing in', async () => {
  const { context, page, check } = await newPage();
  try {
    const r = await fetch(`${env.srv.url}/api/v1/bulletin`);
    assert.equal(r.status, 200);
    const { items } = await r.json();
    assert.ok(items.length > 0, 'the demo has bulletin items');

    await page.goto(`${env.srv.url}/bulletin`);
    await page.waitForSelector('[data-testid=bulletin-item]');
    assert.equal(await page.locator('[data-testid=bulletin-item]').count(), items.length);
    const first = page.locator('[data-testid=bulletin-item]').first();
    assert.equal((await first.locator('h2').textContent()).trim(), items[0].title);
    assert.equal(await first.locator('time').getAttribute('datetime'), items[0].date);
    const tagged = items.findIndex((b) => b.tags.length);
    if (tagged >= 0) {
      const tags = await page.locator('[data-testid=bulletin-item]').nth(tagged).locator('.tag').allTextContents();
      assert.deepEqual(tags, items[tagged].tags);
    }
    // Long items open in place.
    const more = first.locator('button[aria-expanded=false]');
    if (await more.count()) {
      const short = (await first.locator('.bulletin-body').textContent()).length;
      await more.click();
      await page.waitForSelector('[data-testid=bulletin-item] button[aria-expanded=true]');
      const full = (await page.locator('[data-testid=bulletin-item]').first().locator('.bulletin-body').textContent()).length;
      assert.ok(full > short, 'the whole text is shown');
    }
    // Not signed in: the navigation offers sign-in, not the registry.
    assert.equal(await page.locator('#login-username').count(), 0);
    assert.equal(await page.locator('[data-nav=enterprises]').count(), 0);
    assert.ok(await page.isVisible('#signin-link'));
    check();
  } finally {
    await context.close();
  }
});

test('on a 360 px phone the list becomes cards and nothing overflows', async () => {
  const { context, page, check } = await newPage({ width: 360, height: 740 });
  try {
    await signIn(page, 'secretary');
    assert.equal(await page.isVisible('#enterprise-table thead'), false, 'no table header on a phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px too wide)`);
    const box = await page.locator('[data-testid=enterprise-row]').first().boundingBox();
    assert.ok(box.width <= 360, 'a row fits the screen');
    // A secretary may edit its own cluster's leading enterprise.
    await page.goto(`${env.srv.url}/enterprises/1`);
    await page.waitForSelector('#edit-button');
    await page.click('#edit-button');
    await page.waitForSelector('input[name=employees]');
    assert.equal(await page.locator('input[name=uscc]').count(), 0, 'a secretary may not change the USCC');
    const overflowForm = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflowForm <= 0, `the form fits (${overflowForm}px too wide)`);
    // ...but not another cluster's.
    await page.goto(`${env.srv.url}/enterprises/101`);
    await page.waitForSelector('#enterprise-name');
    assert.equal(await page.locator('#edit-button').count(), 0);
    check();
  } finally {
    await context.close();
  }
});

test('an officer creates a cluster, sees a refusal at its field, and edits it; a secretary cannot', async () => {
  const { context, page, check } = await newPage();
  const api = await login(env.srv.url, 'admin');
  try {
    const before = (await api.call('GET', '/api/v1/clusters')).json.items.length;
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/clusters`);
    await page.waitForSelector('[data-testid=cluster]');
    assert.match(await page.textContent('[data-testid=clusters-total]'), new RegExp(`^${before} 个集群`));
    await page.click('[data-testid=cluster-new]');
    await page.fill('#cluster-code', 'Bio Medicine');
    await page.fill('#cluster-name_zh', '生物医药产业集群');
    await page.fill('#cluster-secretary', 'qifan');
    await page.click('[data-testid=cluster-save]');
    // Both refusals shown at their fields, and nothing created.
    await page.waitForSelector('.field-error[data-field=code]');
    assert.match(await page.textContent('.field-error[data-field=code]'), /a-z, 0-9/);
    assert.match(await page.textContent('.field-error[data-field=secretary]'), /role enterprise/);
    assert.equal(await page.getAttribute('#cluster-code', 'aria-invalid'), 'true');
    assert.equal((await api.call('GET', '/api/v1/clusters')).json.items.length, before);

    await page.fill('#cluster-code', 'biomedicine');
    await page.fill('#cluster-secretary', 'secretary2');
    await page.click('[data-testid=cluster-save]');
    await page.waitForSelector('[data-testid=cluster-form]', { state: 'detached' });
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=cluster]').length === n, before + 1);
    const made = (await api.call('GET', '/api/v1/clusters')).json.items.find((c) => c.code === 'biomedicine');
    assert.equal(made.secretary, 'secretary2');

    const card = page.locator(`[data-testid=cluster][data-id="${made.id}"]`);
    await card.locator('[data-testid=cluster-edit]').click();
    assert.equal(await page.inputValue('#cluster-code'), 'biomedicine');
    await page.fill('#cluster-name_en', 'Biomedicine');
    await page.click('[data-testid=cluster-save]');
    await page.waitForSelector('[data-testid=cluster-form]', { state: 'detached' });
    const after = (await api.call('GET', `/api/v1/clusters/${made.id}`)).json;
    assert.equal(after.name_en, 'Biomedicine');
    assert.equal(after.name_zh, '生物医药产业集群');
    check();
  } finally {
    await context.close();
  }
  // A secretary sees the clusters but no editor.
  const s = await newPage();
  try {
    await signIn(s.page, 'secretary');
    await s.page.goto(`${env.srv.url}/clusters`);
    await s.page.waitForSelector('[data-testid=cluster]');
    assert.equal(await s.page.locator('[data-testid=cluster-new], [data-testid=cluster-edit]').count(), 0);
    s.check();
  } finally {
    await s.context.close();
  }
});
