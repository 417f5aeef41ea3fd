// Printing from the console in a real browser: the enterprise page's
// "Print card" opens the card's PDF (the response the browser gets is a
// PDF, named for the enterprise), and the grid page's "Print the grid's
// cards" is there for the grid's own worker and officers, opening the
// grid's sheets, and not for a worker of other cells or a secretary.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/print.test.mjs
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

// Clicks a link that opens a tab of its own and returns the response the
// browser got for it: a PDF is shown or saved as the browser likes, but
// the response is what the server sent.
async function opened(context, page, selector, pattern) {
  const [res] = await Promise.all([
    context.waitForEvent('response', (r) => pattern.test(new URL(r.url()).pathname)),
    page.click(selector),
  ]);
  return res;
}

test('"Print card" on the enterprise page opens the card as a PDF; in English too', async () => {
  const { context, page, check } = await env.newPage();
  try {
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/enterprises/1`);
    await page.waitForSelector('[data-testid=card-contacts] li');
    assert.equal((await page.textContent('#card-print')).trim(), '打印服务联系卡');
    assert.equal(await page.getAttribute('#card-print', 'href'), '/api/v1/enterprises/1/card.pdf');
    assert.equal(await page.getAttribute('#card-print', 'target'), '_blank');
    const res = await opened(context, page, '#card-print', /^\/api\/v1\/enterprises\/1\/card\.pdf$/);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    assert.equal(res.headers()['content-disposition'], 'inline; filename="card-1.pdf"');
    // Its length, not its body: the browser hands a PDF to its viewer,
    // and what Playwright reads back of it is the viewer's page.
    assert.ok(Number(res.headers()['content-length']) > 10000, res.headers()['content-length']);
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('#card-print').textContent === 'Print card');
    check();
  } finally {
    await context.close();
  }
});

test('an enterprise contact prints its own card from its home', async () => {
  const { context, page, check } = await env.newPage();
  try {
    await signIn(page, 'qifan');
    await page.waitForSelector('#card-print');
    const res = await opened(context, page, '#card-print', /\/card\.pdf$/);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    check();
  } finally {
    await context.close();
  }
});

test('"Print the grid\'s cards": the grid\'s own worker and officers, not others', async () => {
  const api = await login(env.srv.url, 'admin');
  const e = (await api.call('GET', '/api/v1/enterprises/1')).json;
  const cell = (await api.call('GET', `/api/v1/grids/${e.grid_id}`)).json.grid;

  const { context, page, check } = await env.newPage();
  try {
    await signIn(page, 'grid');
    await page.goto(`${env.srv.url}/grids/${cell.id}`);
    await page.waitForSelector('#grid-print-cards');
    assert.equal((await page.textContent('#grid-print-cards')).trim(), '打印本网格的服务联系卡');
    assert.equal(await page.getAttribute('#grid-print-cards', 'href'), `/api/v1/grids/${cell.id}/cards.pdf`);
    const res = await opened(context, page, '#grid-print-cards', /\/cards\.pdf$/);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    assert.equal(res.headers()['content-disposition'], `inline; filename="cards-${cell.code}.pdf"`);
    // The area above its cells is not its grid: no button.
    await page.goto(`${env.srv.url}/grids/${cell.parent_id}`);
    await page.waitForSelector('[data-testid=grid-name]');
    await page.waitForSelector('[data-section=enterprises]');
    assert.equal(await page.locator('#grid-print-cards').count(), 0);
    check();
  } finally {
    await context.close();
  }

  for (const [user, shown] of [['officer', true], ['grid2', false], ['secretary', false]]) {
    const p = await env.newPage();
    try {
      await signIn(p.page, user);
      await p.page.goto(`${env.srv.url}/grids/${cell.id}`);
      await p.page.waitForSelector('[data-section=enterprises]');
      assert.equal(await p.page.locator('#grid-print-cards').count(), shown ? 1 : 0, user);
      p.check();
    } finally {
      await p.context.close();
    }
  }
});
