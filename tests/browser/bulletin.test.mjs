// The bulletin in a real browser: an officer writes a draft with
// Markdown, raw HTML and an image, previews it as the server renders it,
// is told at its field what the server refuses, publishes it; a resident
// without signing in finds it on the public page and on its tag's page,
// in Chinese and in English, on a 360 px phone without horizontal
// overflow; taken down, it is gone from the public page.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/bulletin.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD } from '../lib/server.mjs';
import { useBrowser } from './browser.mjs';

const env = useBrowser();
const PHONE = { width: 360, height: 740 };
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const TAG = '红色问询';
const TITLE = '张堰镇网格员“红色问询”经验交流会';

async function signIn(page, username) {
  await page.goto(`${env.srv.url}/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#current-user', { state: 'attached' });
}
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const publicIds = async () => (await (await fetch(`${env.srv.url}/api/v1/bulletin?limit=100`)).json()).items.map((i) => i.id);

let itemId = null;

test('an officer writes a draft, previews it, uploads an image, is refused at the field, and publishes', async () => {
  const { context, page, check } = await env.newPage(PHONE);
  try {
    await signIn(page, 'officer.zhangyan');
    await page.goto(`${env.srv.url}/bulletin`);
    await page.click('[data-testid=write-link]');
    await page.waitForURL(`${env.srv.url}/bulletin/new`);
    await page.waitForSelector('#bul-body');
    assert.ok(await overflow(page) <= 0, 'the editor fits the phone');
    assert.ok(await page.isDisabled('#bul-image'), 'images wait for the first save');
    await page.fill('#bul-title', TITLE);
    await page.fill('#bul-date', '2024-08-09');
    await page.fill('#bul-tags', `${TAG} 网格管理`);
    // A javascript: link is refused at the body's field, nothing saved.
    await page.fill('#bul-body', '**经验交流**\n\n[点这里](javascript:alert(1))');
    await page.click('#bul-save');
    await page.waitForSelector('.field-error[data-field=body]');
    assert.match(await page.textContent('.field-error[data-field=body]'), /line 3/);
    assert.equal(page.url(), `${env.srv.url}/bulletin/new`);
    // Fixed: the draft is saved, and the editor is the item's.
    const body = '## 经验交流\n\n网格员 <script>alert(1)</script> 分享了**走访**心得，见[张堰镇](https://www.jinshan.gov.cn/)。\n\n<div onclick="alert(2)">原样显示</div>';
    await page.fill('#bul-body', body);
    await page.click('#bul-save');
    await page.waitForURL(/\/bulletin\/\d+\/edit$/);
    itemId = Number(/\/bulletin\/(\d+)\/edit$/.exec(page.url())[1]);
    await page.waitForSelector('[data-testid=item-status] [data-status=draft]');
    // The preview is the server's HTML: script shown as text, never run.
    await page.click('#bul-preview');
    await page.waitForSelector('[data-testid=preview] h2 + .bul-html h4');
    const preview = page.locator('[data-testid=preview] .bul-html');
    assert.equal((await preview.locator('h4').textContent()).trim(), '经验交流', 'a heading of the body ranks below the page\'s');
    assert.match(await preview.textContent(), /<script>alert\(1\)<\/script>/);
    assert.equal(await preview.locator('script, div[onclick]').count(), 0);
    assert.equal(await preview.locator('a[href="https://www.jinshan.gov.cn/"]').count(), 1);
    // An image: uploaded, its Markdown put into the body.
    await page.setInputFiles('#bul-image', { name: 'photo.png', mimeType: 'image/png', buffer: PNG });
    await page.waitForSelector('.bul-images img');
    assert.match(await page.inputValue('#bul-body'), new RegExp(`!\\[\\]\\(/api/v1/bulletin/${itemId}/images/\\d+\\)`));
    // Not an image: refused at its field.
    await page.setInputFiles('#bul-image', { name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not an image at all') });
    await page.waitForSelector('.field-error[data-field=image]');
    assert.equal(await page.locator('.bul-images img').count(), 1, 'nothing written');
    // Published (the body with its image saved first).
    assert.ok(!(await publicIds()).includes(itemId), 'a draft is not public');
    await page.click('#bul-publish');
    await page.waitForSelector('[data-testid=item-status] [data-status=published]');
    assert.ok((await publicIds()).includes(itemId));
    assert.ok(await overflow(page) <= 0, 'still no horizontal overflow');
    check();
  } finally {
    await context.close();
  }
});

test('a resident finds it on the public page and its tag page, in both languages, on a 360 px phone', async () => {
  assert.ok(itemId, 'the officer\'s item');
  const { context, page, check } = await env.newPage(PHONE);
  try {
    await page.goto(`${env.srv.url}/bulletin`);
    await page.waitForSelector('[data-testid=bulletin-item]');
    assert.equal(await page.locator('#current-user').count(), 0);
    assert.equal(await page.locator('[data-testid=write-link]').count(), 0, 'no editor for the public');
    const first = page.locator('[data-testid=bulletin-item]').first();
    assert.equal(Number(await first.getAttribute('data-id')), itemId, 'the newest item first');
    assert.equal((await first.locator('h2').textContent()).trim(), TITLE);
    assert.equal(await first.locator('time').getAttribute('datetime'), '2024-08-09');
    assert.deepEqual(await first.locator('.tag').allTextContents(), [TAG, '网格管理']);
    assert.equal(await page.locator('.bulletin-body script, .bulletin-body [onclick]').count(), 0);
    assert.equal(await page.locator('[data-testid=feed-link]').getAttribute('href'), '/bulletin.atom');
    assert.ok(await overflow(page) <= 0, 'the list fits the phone');
    // Its image is served to the public now.
    const img = first.locator('.bul-html img');
    if (!(await img.count())) await first.locator('button[aria-controls]').click();
    await page.waitForFunction(() => {
      const i = document.querySelector('[data-testid=bulletin-item] .bul-html img');
      return i && i.complete && i.naturalWidth === 1;
    });

    // Its tag's page: only that tag's items, with the tag's feed.
    await first.locator(`.tag:text-is("${TAG}")`).click();
    await page.waitForURL(`${env.srv.url}/bulletin/tags/${encodeURIComponent(TAG)}`);
    await page.waitForSelector('h1:has-text("标签")');
    const tagged = (await (await fetch(`${env.srv.url}/api/v1/bulletin?tag=${encodeURIComponent(TAG)}`)).json()).items.map((i) => i.id);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=bulletin-item]').length === n, tagged.length);
    const shown = await page.locator('[data-testid=bulletin-item]').evaluateAll((els) => els.map((e) => Number(e.dataset.id)));
    assert.deepEqual(shown, tagged);
    assert.ok(shown.includes(itemId));
    assert.equal(await page.locator('[data-testid=feed-link]').getAttribute('href'), `/bulletin/tags/${encodeURIComponent(TAG)}.atom`);
    assert.ok(await overflow(page) <= 0, 'the tag page fits the phone');

    // In English.
    await page.click('#lang-switch');
    await page.waitForSelector(`h1:has-text("Tag: ${TAG}")`);
    assert.match(await page.textContent('[data-testid=feed-link]'), /Subscribe/);
    assert.ok(await overflow(page) <= 0);
    // The item's own page.
    await page.click(`[data-testid=bulletin-item][data-id="${itemId}"] h2 a`);
    await page.waitForURL(`${env.srv.url}/bulletin/${itemId}`);
    await page.waitForSelector('h1.bulletin-title');
    assert.equal((await page.textContent('h1.bulletin-title')).trim(), TITLE);
    assert.match(await page.textContent('.bulletin-body'), /<script>alert\(1\)<\/script>/);
    assert.equal(await page.locator('[data-testid=edit-link]').count(), 0);
    assert.ok(await overflow(page) <= 0, 'the item fits the phone');
    await page.click('a[href="/bulletin"]:has-text("Back to the bulletin")');
    await page.waitForSelector('h1:has-text("Bulletin")');
    // Back in Chinese.
    await page.click('#lang-switch');
    await page.waitForSelector('h1:has-text("公告")');
    check();
  } finally {
    await context.close();
  }
});

test('taken down, it leaves the public page; the officers\' list still has it', async () => {
  const { context, page, check } = await env.newPage({ width: 1280, height: 800 });
  try {
    await signIn(page, 'officer.zhangyan');
    await page.goto(`${env.srv.url}/bulletin/manage`);
    await page.waitForSelector(`[data-testid=manage-item][data-id="${itemId}"]`);
    await page.click(`[data-testid=manage-item][data-id="${itemId}"] a`);
    await page.waitForSelector('#bul-unpublish');
    await page.click('#bul-unpublish');
    await page.waitForSelector('[data-testid=item-status] [data-status=unpublished]');
    assert.ok(!(await publicIds()).includes(itemId));
    await page.goto(`${env.srv.url}/bulletin/manage?status=unpublished`);
    await page.waitForSelector(`[data-testid=manage-item][data-id="${itemId}"] [data-status=unpublished]`);
    check();
  } finally {
    await context.close();
  }
});
