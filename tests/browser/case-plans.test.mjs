// Suggestions carried through, notes and staff intake in a real browser:
// a resident follows an adopted suggestion's milestones on a phone while
// the department reaches them in the console; an officer enters a
// hotline case; the case page says which a note will be, public or
// internal, before it is sent; an enterprise's own case is labelled its
// own. Playwright drives Debian's chromium against a real qunyan server
// with the demo town.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/case-plans.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { login, PASSWORD } from '../lib/server.mjs';
import { useBrowser } from './browser.mjs';

const env = useBrowser();
const PHONE = { width: 360, height: 740 };
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const inDays = (d) => new Date(Date.now() + 8 * 3600e3 + d * 86400e3).toISOString().slice(0, 10);

async function signIn(page, username) {
  await page.goto(`${env.srv.url}/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#current-user', { state: 'attached' });
}

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function submit(fields = {}) {
  const r = await fetch(`${env.srv.url}/api/v1/public/cases`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'suggestion', category: 'community', text: `建议在社区开设老年书画班 ${Date.now()}`, ...fields }),
  });
  assert.equal(r.status, 201);
  const j = await r.json();
  return { id: j.case.id, code: j.tracking_code };
}

test('a resident follows an adopted suggestion\'s milestones as the department reaches them', async () => {
  const officer = await login(env.srv.url, 'officer');
  const handler2 = await login(env.srv.url, 'handler2');
  const s = await submit();
  for (const [c, to] of [[officer, 'accepted'], [handler2, 'under_review'], [handler2, 'adopted']]) {
    assert.equal((await c.call('POST', `/api/v1/cases/${s.id}/transition`, { to })).status, 200);
  }
  const hidden = '联系书画协会派老师';
  const r = await handler2.call('PUT', `/api/v1/cases/${s.id}/plan`, {
    summary: '每周六上午在社区活动中心开班',
    milestones: [
      { title: '确定教室', due_on: inDays(-3), reached_on: inDays(-1), text: '活动中心三楼教室' },
      { title: hidden, due_on: inDays(14) },
    ],
  });
  assert.equal(r.status, 200, r.text);

  // The resident, on a phone: the reached milestone, not the other.
  const resident = await env.newPage(PHONE);
  const staff = await env.newPage();
  try {
    const { page } = resident;
    await page.goto(`${env.srv.url}/track/${s.code}`);
    await page.waitForSelector('[data-testid=public-plan]');
    assert.equal(await page.getAttribute('[data-testid=public-plan-progress]', 'data-progress'), '50');
    assert.deepEqual(await page.locator('[data-testid=public-milestone] .milestone-title').allTextContents(), ['确定教室']);
    assert.ok(!(await page.textContent('body')).includes(hidden), 'a milestone not reached is not shown');
    assert.ok((await overflow(page)) <= 0, 'no horizontal overflow at 360 px');

    // The department reaches the second one in the console.
    await signIn(staff.page, 'handler2');
    await staff.page.goto(`${env.srv.url}/cases/${s.id}`);
    await staff.page.waitForSelector('[data-section=plan] [data-testid=milestone]');
    assert.deepEqual(await staff.page.locator('[data-section=plan] [data-testid=milestone]').evaluateAll((els) => els.map((e) => e.dataset.public)),
      ['true', 'false']);
    await staff.page.click('#plan-edit');
    await staff.page.waitForSelector('#plan-form');
    await staff.page.locator('[data-testid=milestone-edit]').nth(1).locator('[data-testid=milestone-reach]').click();
    assert.equal(await staff.page.inputValue('#plan-m1-reached'), today());
    await staff.page.fill('#plan-m1-text', '书画协会两位老师每周授课');
    const [res] = await Promise.all([
      staff.page.waitForResponse((x) => x.url().endsWith(`/api/v1/cases/${s.id}/plan`) && x.request().method() === 'PUT'),
      staff.page.click('#plan-save'),
    ]);
    assert.equal(res.status(), 200, await res.text());
    await staff.page.waitForSelector('[data-testid=plan-result]');
    assert.equal(await staff.page.getAttribute('[data-section=plan] [data-testid=plan-progress]', 'data-progress'), '100');
    await staff.page.waitForSelector(`[data-testid=event][data-action=milestone]`);
    staff.check();

    // The resident reads it on the tracking page and the public list.
    await page.reload();
    await page.waitForSelector('[data-testid=public-plan]');
    assert.deepEqual(await page.locator('[data-testid=public-milestone] .milestone-title').allTextContents(), ['确定教室', hidden]);
    assert.match(await page.textContent('[data-testid=public-milestones]'), /书画协会两位老师每周授课/);
    await page.goto(`${env.srv.url}/suggestions`);
    await page.waitForSelector('[data-testid=sugs-figures] [data-figure=adopted] dd');
    const item = page.locator(`[data-testid=suggestion][data-id="${s.id}"]`);
    await item.waitFor();
    assert.match(await item.locator('[data-testid=suggestion-progress]').textContent(), /100%/);
    await item.locator('.suggestion-open').click();
    await page.waitForURL(`${env.srv.url}/suggestions/${s.id}`);
    await page.waitForSelector('[data-testid=public-plan]');
    assert.equal(await page.locator('[data-testid=public-milestone]').count(), 2);
    assert.ok((await overflow(page)) <= 0, 'no horizontal overflow at 360 px');
    resident.check();
  } finally {
    await resident.context.close();
    await staff.context.close();
  }
});

test('a merged suggestion on the public list links to the one it joined', async () => {
  const officer = await login(env.srv.url, 'officer');
  const a = await submit({ text: `建议增设社区晾衣架 ${Date.now()}` });
  const b = await submit({ text: `小区需要公共晾衣架 ${Date.now()}` });
  assert.equal((await officer.call('POST', `/api/v1/cases/${b.id}/merge`, { into: a.id })).status, 200);
  const { context, page, check } = await env.newPage(PHONE);
  try {
    await page.goto(`${env.srv.url}/suggestions`);
    const item = page.locator(`[data-testid=suggestion][data-id="${b.id}"]`);
    await item.waitFor();
    assert.equal(await item.locator('[data-testid=case-state]').count(), 0, 'not a bare "closed"');
    await item.locator('[data-testid=suggestion-joined]').click();
    await page.waitForURL(`${env.srv.url}/suggestions/${a.id}`);
    await page.waitForSelector('[data-testid=suggestion-page]');
    check();
  } finally {
    await context.close();
  }
});

test('an officer enters a hotline case in the console; the caller is masked to the officer', async () => {
  const { context, page, check } = await env.newPage();
  try {
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/cases`);
    await page.click('#new-case');
    await page.waitForURL(`${env.srv.url}/cases/new`);
    await page.waitForSelector('#intake-form');
    assert.equal(await page.inputValue('#f-channel'), 'hotline');
    // Field errors beside their fields, nothing entered.
    await page.click('#intake-save');
    await page.waitForSelector('.field-error[data-field=category]');
    await page.selectOption('#f-kind', 'complaint');
    await page.selectOption('#f-category', 'environment');
    await page.fill('#f-text', '来电反映：菜场后门垃圾堆放三天无人清运。');
    await page.fill('#f-name', '赵小明');
    await page.fill('#f-phone', '13912345678');
    const [res] = await Promise.all([
      page.waitForResponse((x) => x.url().endsWith('/api/v1/cases') && x.request().method() === 'POST' && x.status() === 201),
      page.click('#intake-save'),
    ]);
    const sent = JSON.parse(res.request().postData());
    assert.equal(sent.channel, 'hotline');
    assert.equal(sent.phone, '13912345678');
    await page.waitForSelector('[data-testid=case-created]');
    const body = await res.json();
    assert.match(await page.textContent('[data-testid=intake-code]'), new RegExp(body.tracking_code));
    await page.click('#open-created');
    await page.waitForURL(`${env.srv.url}/cases/${body.case.id}`);
    await page.waitForSelector('[data-testid=case-page]');
    assert.match(await page.textContent('[data-section=case] [data-field=channel]'), /热线电话/);
    assert.equal(await page.getAttribute('[data-testid=person]', 'data-masked'), 'true');
    assert.equal((await page.textContent('[data-testid=person-phone]')).trim(), '139****5678');
    check();
  } finally {
    await context.close();
  }
});

test('the case page says whether a note is public before it is sent, and an internal one stays inside', async () => {
  const s = await submit({ kind: 'complaint', category: 'environment', text: `楼道堆物 ${Date.now()}` });
  const { context, page, check } = await env.newPage(PHONE);
  try {
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/cases/${s.id}`);
    await page.waitForSelector('[data-testid=note-visibility]');
    const warning = '[data-testid=note-visibility-warning]';
    assert.equal(await page.getAttribute(warning, 'data-public'), 'false', 'internal unless chosen');
    assert.match(await page.textContent(warning), /仅内部可见/);
    await page.check('#case-note-vis-public');
    assert.equal(await page.getAttribute(warning, 'data-public'), 'true');
    assert.match(await page.textContent(warning), /公开显示在查询页/);
    await page.check('#case-note-vis-internal');
    await page.fill('#case-note', '内部：需核实物业责任');
    const [res] = await Promise.all([
      page.waitForResponse((x) => x.url().endsWith(`/api/v1/cases/${s.id}/transition`)),
      page.click('[data-testid=move][data-to=accepted]'),
    ]);
    assert.equal(res.status(), 200);
    assert.equal(JSON.parse(res.request().postData()).public, false);
    const note = page.locator('[data-testid=event][data-action=note]');
    await note.waitFor();
    assert.match(await note.locator('[data-testid=event-visibility]').textContent(), /仅内部可见/);
    assert.ok((await overflow(page)) <= 0, 'no horizontal overflow at 360 px');
    check();
  } finally {
    await context.close();
  }
  const pub = await (await fetch(`${env.srv.url}/api/v1/public/cases/${s.code}`)).text();
  assert.ok(!pub.includes('需核实物业责任'), 'the internal note is not on the tracking page');
});

test('an enterprise\'s own problem is labelled its own, not entered by staff', async () => {
  const { context, page, check } = await env.newPage();
  try {
    await signIn(page, 'qifan');
    await page.goto(`${env.srv.url}/cases/new`);
    await page.waitForSelector('#case-form');
    await page.selectOption('#f-category', 'finance');
    await page.fill('#f-text', '希望了解科技贷款贴息的申报条件。');
    await page.click('#case-save');
    await page.waitForSelector('[data-testid=case-created]');
    await page.click('#open-created');
    await page.waitForSelector('[data-testid=case-page]');
    const channel = await page.textContent('[data-section=case] [data-field=channel]');
    assert.match(channel, /企业自行提交/);
    assert.doesNotMatch(channel, /工作人员录入/);
    check();
  } finally {
    await context.close();
  }
});
