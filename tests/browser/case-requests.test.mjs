// Cases by step in a real browser: the economic park's handler asks for
// an extension on a phone and an officer approves it; a resolved case is
// closed only after its callback, and once closed shows neither a reply
// box nor rating buttons; the time limits in both languages; the
// rankings table.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/case-requests.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { login, PASSWORD } from '../lib/server.mjs';
import { useBrowser } from './browser.mjs';

const env = useBrowser();
const PHONE = { width: 360, height: 780 };

async function signIn(page, username) {
  await page.goto(`${env.srv.url}/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#current-user', { state: 'attached' });
}

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const townDate = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);

// A land problem of enterprise 1, taken by the API along `states`.
async function landCase(states) {
  const officer = await login(env.srv.url, 'officer');
  const handler = await login(env.srv.url, 'handler');
  const r = await officer.call('POST', '/api/v1/cases', { kind: 'problem', category: 'land', text: `扩建厂房用地协调 ${Date.now()}`, enterprise_id: 1 });
  assert.equal(r.status, 201, r.text);
  for (const to of states) {
    const who = ['accepted', 'assigned'].includes(to) ? officer : handler;
    const m = await who.call('POST', `/api/v1/cases/${r.json.case.id}/transition`, { to, note: to });
    assert.equal(m.status, 200, m.text);
  }
  return { c: r.json.case, officer };
}

test('a handler asks for an extension on a phone; an officer approves it', async () => {
  const { c, officer } = await landCase(['accepted', 'assigned', 'in_progress']);
  const want = townDate(Date.parse(c.deadline) + 10 * 86400e3);
  {
    const { page, check, context } = await env.newPage(PHONE);
    try {
      await signIn(page, 'handler');
      await page.goto(`${env.srv.url}/cases/${c.id}`);
      await page.waitForSelector('[data-section=steps]');
      assert.equal((await page.textContent('[data-testid=urgency]')).trim(), '一般');
      assert.match(await page.textContent('[data-step=dispatch]'), /派单.*1 个工作日/s);
      const form = page.locator('#ask-form');
      await form.waitFor();
      assert.deepEqual(await page.locator('#ask-kind option').evaluateAll((os) => os.map((o) => o.value)), ['extension', 'return', 'park']);
      // No reason: said beside the field, nothing sent.
      await page.fill('#ask-deadline', want);
      await page.click('#ask-save');
      assert.equal((await page.textContent('.field-error[data-field=reason]')).trim(), '请填写理由。');
      // A date before the deadline: the server's rule, beside the date.
      await page.fill('#ask-deadline', townDate(Date.parse(c.deadline) - 86400e3 * 2));
      await page.fill('#ask-reason', '用地指标需报区里统筹，申请延期十天。');
      await page.click('#ask-save');
      await page.waitForSelector('.field-error[data-field=deadline]');
      assert.match(await page.textContent('.field-error[data-field=deadline]'), /not later than the case's deadline|has passed/);
      await page.fill('#ask-deadline', want);
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/cases/${c.id}/requests`)),
        page.click('#ask-save'),
      ]);
      assert.equal(res.status(), 201);
      assert.deepEqual(JSON.parse(res.request().postData()), { kind: 'extension', reason: '用地指标需报区里统筹，申请延期十天。', deadline: want });
      await page.waitForSelector('[data-testid=ask-result]');
      const item = page.locator('[data-testid=request]');
      assert.equal(await item.getAttribute('data-status'), 'pending');
      assert.equal((await item.locator('[data-testid=request-status]').textContent()).trim(), '待审批');
      assert.equal(await page.locator('#ask-form').count(), 0, 'one request waits at a time');
      assert.equal(await page.locator('[data-testid=decide-form]').count(), 0, 'a handler does not decide');
      assert.ok(await overflow(page) <= 0, 'the page fits 360 px');
      check();
    } finally {
      await context.close();
    }
  }
  {
    const { page, check, context } = await env.newPage();
    try {
      await signIn(page, 'officer');
      await page.goto(`${env.srv.url}/cases/${c.id}`);
      const form = page.locator('[data-testid=decide-form]');
      await form.waitFor();
      await page.click('[data-testid=decide-approve]');
      assert.equal((await page.textContent('.field-error[data-field=note]')).trim(), '请填写审批意见。');
      await page.fill('#decide-note', '同意延期十天，请按期办结。');
      await page.click('[data-testid=decide-approve]');
      await page.waitForSelector('[data-testid=decide-result]');
      assert.equal(await page.getAttribute('[data-testid=request]', 'data-status'), 'approved');
      // The officer by the name people know, not the sign-in name.
      assert.match(await page.textContent('[data-testid=request-decision]'), new RegExp(`${officer.user.display_name} .*同意延期十天`));
      const after = (await officer.call('GET', `/api/v1/cases/${c.id}`)).json.case;
      assert.equal(townDate(Date.parse(after.deadline)), want);
      assert.ok(await page.locator('[data-testid=event][data-action=extension]').count() === 1, 'on the timeline');
      // In English too.
      await page.click('#lang-switch');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      assert.equal((await page.textContent('#sec-steps')).trim(), 'Time limits');
      assert.equal((await page.textContent('[data-testid=request-status]')).trim(), 'Approved');
      await page.click('#lang-switch');
      check();
    } finally {
      await context.close();
    }
  }
});

test('a resolved case is closed only after its callback, and then shows no reply box or rating buttons', async () => {
  const { c } = await landCase(['accepted', 'assigned', 'in_progress', 'resolved']);
  const { page, check, context } = await env.newPage();
  try {
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/cases/${c.id}`);
    await page.waitForSelector('[data-section=closing]');
    assert.equal(await page.getAttribute('[data-testid=closing-missing]', 'data-missing'), 'callback');
    assert.match(await page.textContent('[data-testid=closing-callback]'), /尚未完成（已联系 0\/3 次）/);
    // Closing now is refused, in the server's words.
    await page.click('[data-testid=move][data-to=closed]');
    await page.waitForSelector('[data-testid=move-error]');
    assert.match(await page.textContent('[data-testid=move-error]'), /closed only after its callback/);
    assert.equal(await page.getAttribute('[data-testid=case-page]', 'data-state'), 'resolved');
    // One call not answered: counted.
    await page.click('[data-testid=callback-unreached]');
    await page.waitForSelector('[data-testid=callback-result]');
    assert.match(await page.textContent('[data-testid=closing-callback]'), /已联系 1\/3 次/);
    // Reached on the second: the submitter's rating, then closing.
    await page.check('#rate-4');
    await page.click('#rate-save');
    await page.waitForSelector('[data-testid=rate-result]');
    assert.equal(await page.getAttribute('[data-testid=closing-missing]', 'data-missing'), '');
    await page.click('[data-testid=move][data-to=closed]');
    await page.waitForFunction(() => document.querySelector('[data-testid=case-page]')?.dataset.state === 'closed');
    assert.equal(await page.locator('#reply-form').count(), 0, 'no reply box on a closed case');
    assert.equal(await page.locator('#rate-form').count(), 0, 'no rating buttons on a closed case');
    assert.equal(await page.locator('[data-section=closing]').count(), 0);
    assert.equal((await page.textContent('[data-testid=case-rating]')).trim().startsWith('4'), true);
    check();
  } finally {
    await context.close();
  }
});

test('the rankings table: departments by on-time rate, on a phone', async () => {
  const { page, check, context } = await env.newPage(PHONE);
  try {
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/cases`);
    await page.click('#rankings-link');
    await page.waitForURL(`${env.srv.url}/cases/rankings`);
    await page.waitForSelector('[data-testid=rankings]');
    const api = await login(env.srv.url, 'officer');
    const from = await page.inputValue('#rank-from');
    const to = await page.inputValue('#rank-to');
    const want = (await api.call('GET', `/api/v1/cases/rankings?by=department&from=${from}&to=${to}`)).json;
    assert.equal(await page.locator('[data-testid=rank-row]').count(), want.items.length);
    assert.equal((await page.locator('[data-testid=rank-row] >> nth=0').getAttribute('data-id')), String(want.items[0].id));
    await page.selectOption('#rank-by', 'handler');
    await page.click('#rank-apply');
    await page.waitForURL(/by=handler/);
    await page.waitForFunction(() => document.querySelector('[data-testid=rank-row]'));
    assert.ok(await overflow(page) <= 0, 'the table fits 360 px');
    check();
  } finally {
    await context.close();
  }
});
