// Service contact cards in a real browser: the card on an enterprise's
// page (its contacts as the API gives them, the QR code drawn, the vCard
// to download), an officer revoking the link and issuing a new one (the
// old link then shows whom to call, the new one opens the problem form,
// and a problem sent from it on a phone is the enterprise's), and an
// enterprise contact's own card on its home.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/cards.test.mjs
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

const qrDrawn = (page) => page.$eval('[data-testid=card-qr]', (img) => img.complete && img.naturalWidth > 0);

test('the card on the enterprise page; revoke and re-issue; the new link opens the form, the old one whom to call', async () => {
  const { context, page, check } = await env.newPage();
  const api = await login(env.srv.url, 'officer');
  try {
    const before = (await api.call('GET', '/api/v1/enterprises/1/card')).json;
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/enterprises/1`);
    await page.waitForSelector('[data-testid=card-contacts] li');
    assert.equal((await page.textContent('#sec-service-card')).trim(), '服务联系卡');
    const items = page.locator('[data-testid=card-contacts] li');
    assert.equal(await items.count(), before.contacts.length);
    for (const [i, k] of before.contacts.entries()) {
      const text = await items.nth(i).textContent();
      assert.ok(text.includes(k.name_zh), `${k.name_zh} on the card`);
      assert.ok(text.includes(k.title_zh));
      if (k.phone) assert.ok(text.includes(k.phone), `${k.phone} on the card`);
    }
    assert.equal((await page.textContent('[data-testid=card-link]')).trim(), before.link);
    assert.ok(!/null|undefined/.test(await page.textContent('[data-testid=service-card]')), 'no empty value shown as text');
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid=card-qr]');
      return img && img.complete && img.naturalWidth > 0;
    });
    assert.ok(await qrDrawn(page), 'the QR code is drawn');
    const vcard = await page.getAttribute('#card-vcard', 'href');
    assert.equal(vcard, '/api/v1/enterprises/1/card.vcf');
    const download = await Promise.all([page.waitForEvent('download'), page.click('#card-vcard')]);
    assert.equal(download[0].suggestedFilename(), 'card-1.vcf');

    // Revoke and re-issue, confirmed.
    await page.click('#card-reissue');
    await page.waitForSelector('#card-reissue-confirm');
    await page.click('#card-reissue-confirm');
    await page.waitForSelector('[data-testid=card-note]');
    const after = (await api.call('GET', '/api/v1/enterprises/1/card')).json;
    assert.notEqual(after.link, before.link);
    assert.equal((await page.textContent('[data-testid=card-link]')).trim(), after.link);
    assert.match(await page.textContent('[data-testid=card-note]'), /已换发新链接/);
    assert.ok((await page.getAttribute('[data-testid=card-qr]', 'src')).includes(encodeURIComponent(after.issued_at)));

    // The old link: the page of whom to call, in both languages.
    const old = await page.goto(before.link);
    assert.equal(old.status(), 404);
    assert.match(await page.textContent('h1'), /此链接无法打开/);
    assert.match(await page.textContent('body'), /This link cannot be opened/);
    assert.match(await page.textContent('body'), /12345/);
    check();
  } finally {
    await context.close();
  }
});

test('a problem sent on a phone from the card\'s link is the enterprise\'s', async () => {
  const { context, page, check } = await env.newPage({ width: 360, height: 740 });
  const api = await login(env.srv.url, 'officer');
  try {
    const card = (await api.call('GET', '/api/v1/enterprises/1/card')).json;
    const res = await page.goto(card.link);
    assert.equal(res.status(), 200);
    await page.waitForSelector('[data-testid=cardform-for]');
    assert.ok((await page.textContent('[data-testid=cardform-for]')).includes(card.enterprise.name_zh));
    assert.match(await page.textContent('[data-testid=cardform-lines]'), /12345/);
    // Nothing sent without a kind and a text.
    await page.click('#cardform-save');
    await page.waitForSelector('#form-errors');
    assert.equal(await page.getAttribute('#f-text', 'aria-invalid'), 'true');
    const text = `仓库门口道路坑洼，货车进出困难 ${process.pid}`;
    await page.selectOption('#f-category', 'logistics');
    await page.fill('#f-text', text);
    await page.fill('#f-name', '钱工');
    await page.fill('#f-phone', '139 2222 3333');
    await page.click('#cardform-save');
    await page.waitForSelector('[data-testid=tracking-code]');
    const code = (await page.textContent('[data-testid=tracking-code]')).trim();
    assert.match(code, /^[0-9A-Z]{10}$/);
    // Nothing wider than the phone.
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 360, `the page is ${wide}px wide`);
    const cases = (await api.call('GET', '/api/v1/cases?limit=50')).json.items;
    const c = cases.find((x) => x.text === text);
    assert.ok(c, 'the case is in');
    assert.equal(c.enterprise.id, 1);
    assert.equal(c.channel, 'card');
    check();
  } finally {
    await context.close();
  }
});

test('an enterprise contact sees its own card on its home, without the officer\'s button; in English too', async () => {
  const { context, page, check } = await env.newPage();
  const api = await login(env.srv.url, 'qifan');
  try {
    const card = (await api.call('GET', '/api/v1/enterprises/1/card')).json;
    await signIn(page, 'qifan');
    await page.waitForSelector('[data-testid=card-contacts] li');
    assert.equal((await page.textContent('#sec-service-card')).trim(), '本企业的服务联系卡');
    assert.equal((await page.textContent('[data-testid=card-link]')).trim(), card.link);
    assert.equal(await page.locator('#card-reissue').count(), 0);
    assert.ok(!/null|undefined/.test(await page.textContent('main')), 'no empty value shown as text');
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('#sec-service-card').textContent.includes('Your enterprise'));
    const first = card.contacts[0];
    assert.ok((await page.textContent('[data-testid=card-contacts] li')).includes(first.title_en));
    // A grid worker of other cells does not see the card of enterprise 1.
    check();
  } finally {
    await context.close();
  }
  const other = await env.newPage();
  try {
    await signIn(other.page, 'grid2');
    await other.page.goto(`${env.srv.url}/enterprises/1`);
    await other.page.waitForSelector('#enterprise-name');
    await other.page.waitForTimeout(300);
    assert.equal(await other.page.locator('[data-testid=service-card]:visible').count(), 0);
    other.check();
  } finally {
    await other.context.close();
  }
});
