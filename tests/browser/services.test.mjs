// The service catalogue in a real browser: the public page on a 360 px
// phone without signing in (categories, search, pages, a service's page,
// both languages), an officer adding a service (a refused time shown at
// its row, then saved) and retiring it, an enterprise offering a resource
// that an officer approves, and an enterprise requesting a service and
// finding the request among its own.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/services.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { login, PASSWORD } from '../lib/server.mjs';
import { clickNav, holdAnswers, useBrowser } from './browser.mjs';

const env = useBrowser();
const PHONE = { width: 360, height: 740 };

async function signIn(page, username) {
  await page.goto(`${env.srv.url}/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#current-user', { state: 'attached' });
}
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const api = async (path) => (await (await fetch(`${env.srv.url}/api/v1${path}`)).json());
const cardIds = (page) => page.locator('[data-testid=service-card]').evaluateAll((cs) => cs.map((c) => Number(c.dataset.id)));

test('the public catalogue on a 360 px phone: categories, search, pages and a service, without signing in', async () => {
  const { context, page, check } = await env.newPage(PHONE);
  try {
    // The public pages lead to it.
    await page.goto(`${env.srv.url}/suggest`);
    await page.waitForSelector('#suggest-form');
    await clickNav(page, 'services');
    await page.waitForURL(`${env.srv.url}/services`);
    await page.waitForSelector('[data-testid=service-card]');
    assert.equal(await page.locator('#current-user').count(), 0, 'nobody is signed in');
    assert.equal((await page.textContent('h1')).trim(), '服务资源清单');
    assert.ok(await overflow(page) <= 0, 'the catalogue fits the phone');
    for (const sel of ['#svc-q', '#svc-search-go', '.svc-call']) {
      const box = await page.locator(sel).first().boundingBox();
      assert.ok(box.height >= 44, `${sel} is at least 44 px high (${box.height})`);
      assert.ok(box.x >= 0 && box.x + box.width <= 360, `${sel} lies on the screen`);
    }
    // A page at a time, until the whole catalogue is shown.
    const all = [];
    for (let cursor = null, first = true; first || cursor; first = false) {
      const j = await api(`/services?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...j.items.map((s) => s.id));
      cursor = j.next;
    }
    assert.equal((await cardIds(page)).length, 20);
    while (await page.isVisible('#svc-more')) {
      const n = (await cardIds(page)).length;
      await page.click('#svc-more');
      await page.waitForFunction((k) => document.querySelectorAll('[data-testid=service-card]').length > k, n);
    }
    assert.deepEqual(await cardIds(page), all);
    // A category: the chips scroll sideways, the cards are that category's.
    await page.click('[data-category=financing].svc-chip');
    await page.waitForURL(/category=financing/);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=service-card]')].every((c) => c.dataset.category === 'financing'));
    const financing = (await api('/services?category=financing&limit=200')).items.map((s) => s.id);
    assert.deepEqual(await cardIds(page), financing);
    assert.ok(await overflow(page) <= 0, 'the chips do not widen the page');
    // Search within the category, then in all of them.
    await page.fill('#svc-q', '担保');
    await page.click('#svc-search-go');
    await page.waitForURL(/q=/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=service-card]').length === 1);
    // What is typed and not yet sent stays in the box when a chip is
    // pressed, and narrows the list with it.
    await page.fill('#svc-q', '融资');
    await page.click('[data-category=all].svc-chip');
    await page.waitForURL(/q=%E8%9E%8D%E8%B5%84$/);
    assert.equal(await page.inputValue('#svc-q'), '融资');
    assert.equal(await page.getAttribute('[data-category=all].svc-chip', 'aria-pressed'), 'true');
    assert.equal(await page.getAttribute('[data-category=financing].svc-chip', 'aria-pressed'), 'false');
    const funding = (await api('/services?q=%E8%9E%8D%E8%B5%84&limit=20')).items.map((s) => s.id);
    assert.ok(funding.length > 0, 'the demo has services of financing');
    await page.waitForFunction((ids) => JSON.stringify([...document.querySelectorAll('[data-testid=service-card]')]
      .map((c) => Number(c.dataset.id))) === JSON.stringify(ids), funding);
    await page.fill('#svc-q', 'testing');
    await page.press('#svc-q', 'Enter');
    await page.waitForURL(/q=testing/);
    const testing = (await api('/services?q=testing&limit=200')).items.map((s) => s.id);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=service-card]').length === n, testing.length);
    assert.deepEqual(await cardIds(page), testing);
    // Qifan's laboratory: its page, its hours, whom to call.
    const lab = (await api(`/services?q=${encodeURIComponent('光纤光缆性能检测')}`)).items[0];
    await page.click(`[data-testid=service-card][data-id="${lab.id}"] [data-testid=service-link]`);
    await page.waitForURL(`${env.srv.url}/services/${lab.id}`);
    await page.waitForSelector('#service-name');
    assert.equal((await page.textContent('#service-name')).trim(), lab.name_zh);
    assert.match(await page.textContent('[data-testid=hours-week]'), /周一至周五/);
    assert.match(await page.textContent('[data-testid=hours-week]'), /20:00–08:00/);
    assert.equal(await page.getAttribute('.svc-tel', 'href'), `tel:${lab.contacts[0].phone.replace(/[^\d+]/g, '')}`);
    const signin = await page.locator('#request-signin').boundingBox();
    assert.ok(signin.height >= 44 && signin.width <= 360, 'the request button fits the thumb and the screen');
    assert.ok(await overflow(page) <= 0, 'the service page fits the phone');
    // In English.
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('[data-section=hours] h2').textContent.startsWith('Hours'));
    assert.equal((await page.textContent('#service-name')).trim(), lab.name_en);
    await page.click('.breadcrumb a');
    await page.waitForSelector('[data-testid=service-card]');
    assert.equal((await page.textContent('h1')).trim(), 'Service resource list');
    await page.click('#lang-switch');
    check();
  } finally {
    await context.close();
  }
});

test('an officer adds a service, sees a refused time at its row, saves it and retires it', async () => {
  const { context, page, check } = await env.newPage();
  const officer = await login(env.srv.url, 'officer');
  try {
    const office = (await api(`/services?q=${encodeURIComponent('惠企政策一对一解读')}`)).items[0];
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/services`);
    await page.click('#service-new');
    await page.waitForSelector('#service-form');
    const name = `企业上市辅导${Date.now()}`;
    await page.fill('#svc-name_zh', name);
    await page.fill('#svc-name_en', 'Listing guidance');
    await page.selectOption('#svc-category', 'financing');
    await page.selectOption('#svc-provider_id', String(office.provider.id));
    await page.fill('#svc-description_zh', '对接券商与交易所，辅导拟上市企业规范运作。');
    await page.fill('#svc-w0-closes', '25:00');
    await page.fill('#svc-contact-0-name', '吴静');
    await page.fill('#svc-contact-0-phone', '021-57211199');
    await page.click('#service-save');
    await page.waitForSelector('.field-error[data-field="hours.weekly[0].closes_at"]');
    assert.match(await page.textContent('.field-error[data-field="hours.weekly[0].closes_at"]'), /25:00/);
    assert.equal((await officer.call('GET', `/api/v1/services?q=${encodeURIComponent(name)}`)).json.items.length, 0, 'nothing written');
    assert.equal(await page.inputValue('#svc-name_zh'), name, 'what was typed stays');
    await page.fill('#svc-w0-closes', '17:00');
    await page.click('#svc-exception-add');
    await page.fill('#svc-x0-from', '2026-10-01');
    await page.fill('#svc-x0-to', '2026-10-07');
    await page.fill('#svc-x0-desc', '国庆节');
    await page.click('#service-save');
    await page.waitForURL(/\/services\/\d+$/);
    await page.waitForSelector('#service-name');
    assert.equal((await page.textContent('#service-name')).trim(), name);
    const id = Number(page.url().split('/').pop());
    const saved = (await officer.call('GET', `/api/v1/services/${id}`)).json;
    assert.equal(saved.category.code, 'financing');
    assert.deepEqual(saved.hours.weekly, [{ byday: 'MO,TU,WE,TH,FR', opens_at: '08:30', closes_at: '17:00' }]);
    assert.deepEqual(saved.hours.exceptions, [{ valid_from: '2026-10-01', valid_to: '2026-10-07', closed: true, description: '国庆节' }]);
    assert.equal(saved.contacts[0].phone, '021-57211199');
    // Retired, with its reason, which stays in its box while it is sent
    // (the page is drawn anew meanwhile): gone from the public catalogue.
    const retiring = await holdAnswers(page, 'POST', /^\/api\/v1\/services\/\d+\/retire$/);
    await page.fill('#retire-reason', '与融资服务合并');
    await page.click('#retire-submit');
    await retiring.held();
    assert.equal(await page.inputValue('#retire-reason'), '与融资服务合并');
    retiring.release();
    await page.waitForSelector('[data-testid=retire-result]');
    assert.equal(await page.textContent('[data-testid=service-status]'), '已撤销');
    assert.equal((await fetch(`${env.srv.url}/api/v1/services/${id}`)).status, 404);
    check();
  } finally {
    await context.close();
  }
});

test('an enterprise offers its resource, an officer approves it; the enterprise requests a service and follows it', async () => {
  const { context, page, check } = await env.newPage(PHONE);
  try {
    await signIn(page, 'qifan');
    await page.goto(`${env.srv.url}/services`);
    await page.click('#service-offer');
    await page.waitForSelector('#service-form');
    assert.equal(await page.locator('#svc-provider_id').count(), 0, 'an offer is the enterprise\'s own');
    const name = `成束燃烧试验${Date.now()}`;
    await page.fill('#svc-name_zh', name);
    await page.selectOption('#svc-category', 'testing_technology');
    await page.fill('#svc-description_zh', '向集群伙伴开放电缆成束燃烧试验。');
    await page.fill('#svc-contact-0-name', '陈永达');
    await page.fill('#svc-contact-0-phone', '021-57219001');
    assert.ok(await overflow(page) <= 0, 'the form fits the phone');
    await page.click('#service-save');
    await page.waitForURL(/\/services\/\d+$/);
    const offerId = Number(page.url().split('/').pop());
    assert.equal(await page.textContent('[data-testid=service-status]'), '待审核');
    assert.equal((await fetch(`${env.srv.url}/api/v1/services/${offerId}`)).status, 404, 'not listed yet');

    // An officer approves it.
    const staff = await env.newPage();
    try {
      await signIn(staff.page, 'officer');
      await staff.page.goto(`${env.srv.url}/services`);
      await staff.page.waitForSelector('#pending-offers');
      await staff.page.click('#pending-offers');
      await staff.page.waitForSelector(`[data-testid=service-card][data-id="${offerId}"]`);
      await staff.page.click(`[data-testid=service-card][data-id="${offerId}"] [data-testid=service-link]`);
      await staff.page.waitForSelector('#approve-submit');
      // Another department chosen stays chosen while the approval is sent.
      const dept = await staff.page.$eval('#approve-department', (s) => [...s.options].find((o) => !o.selected).value);
      await staff.page.selectOption('#approve-department', dept);
      const approving = await holdAnswers(staff.page, 'POST', /^\/api\/v1\/services\/\d+\/approve$/);
      await staff.page.click('#approve-submit');
      await approving.held();
      assert.equal(await staff.page.inputValue('#approve-department'), dept);
      approving.release();
      await staff.page.waitForSelector('[data-testid=approve-result]');
      assert.equal((await api(`/services/${offerId}`)).department.id, Number(dept));
      assert.equal(await staff.page.locator('[data-testid=service-status]').count(), 0, 'listed');
      staff.check();
    } finally {
      await staff.context.close();
    }
    assert.equal((await fetch(`${env.srv.url}/api/v1/services/${offerId}`)).status, 200, 'listed now');

    // A request: the university's laboratory, answered by the economic park.
    const lab = (await api(`/services?q=${encodeURIComponent('新材料分析测试')}`)).items[0];
    await page.goto(`${env.srv.url}/services/${lab.id}`);
    await page.waitForSelector('#request-form');
    // What is typed stays while it is sent (the page is drawn anew).
    const sending = await holdAnswers(page, 'POST', /^\/api\/v1\/services\/\d+\/request$/);
    await page.fill('#request-text', '委托测试三款护套料的氧指数');
    await page.click('#request-submit');
    await sending.held();
    assert.equal(await page.inputValue('#request-text'), '委托测试三款护套料的氧指数');
    sending.release();
    await page.waitForSelector('[data-testid=request-done]');
    assert.match(await page.textContent('[data-testid=request-done]'), /经济园区/);
    const code = (await page.textContent('[data-testid=request-code]')).trim();
    assert.match(code, /^[2-9A-HJKMNP-Z]{10}$/);
    await page.click('#request-case');
    await page.waitForURL(/\/cases\/\d+$/);
    const caseId = Number(page.url().split('/').pop());
    await page.waitForSelector('[data-testid=case-service]');
    assert.equal((await page.textContent('[data-testid=case-service]')).trim(), lab.name_zh);
    assert.equal((await page.textContent('[data-testid=case-department]')).trim(), '经济园区');
    // Among its requests on the catalogue's page.
    await page.goto(`${env.srv.url}/services`);
    await page.waitForSelector(`[data-testid=my-request][data-id="${caseId}"]`);
    assert.ok(await page.isVisible(`[data-testid=my-offer][data-id="${offerId}"]`));
    assert.ok(await overflow(page) <= 0);
    check();
  } finally {
    await context.close();
  }
});
