// Events in a real browser: cluster 1's secretary creates a salon from
// the calendar inviting the cluster's enterprises, drafts its agenda from
// their open cases, moves an item down, records an item's minutes and
// decision, turns a problem raised at the table into a case, and finds
// that problem, with its case's state, opening the next salon as last
// time's problem; the enterprise's contact replies and sees its own
// items. Each step is checked against the API, not only the page.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/events.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { login, PASSWORD } from '../lib/server.mjs';
import { clickNav, holdAnswers, useBrowser } from './browser.mjs';

const env = useBrowser();

async function signIn(page, username) {
  await page.goto(`${env.srv.url}/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#current-user', { state: 'attached' });
}
const day = (offset) => new Date(Date.now() + 8 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);
const itemIds = (page) => page.locator('#agenda [data-testid=agenda-item]').evaluateAll((els) => els.map((e) => Number(e.dataset.id)));

let eventId, raisedCase;

test('a secretary builds an agenda, records minutes and turns a problem into a case', async () => {
  const { context, page, check } = await env.newPage();
  const api = await login(env.srv.url, 'secretary');
  try {
    await signIn(page, 'secretary');
    await clickNav(page, 'events');
    await page.waitForURL(`${env.srv.url}/events`);
    // The demo's salons of this year are on the calendar.
    await page.waitForSelector('[data-testid=event-card]');
    await page.click('#event-new');
    await page.selectOption('#evt-kind', 'salon');
    await page.fill('#evt-title', '光电企业秘书沙龙（浏览器）');
    // The feed's address asked for while the form is being filled: its
    // arrival draws the page again, with the form as filled and the
    // focus where it was.
    const feed = await holdAnswers(page, 'POST', /^\/api\/v1\/calendars\/token$/);
    await page.click('#event-feed');
    await feed.held();
    await page.fill('#evt-starts_at', `${day(60)}T14:00`);
    await page.fill('#evt-ends_at', `${day(60)}T16:30`);
    await page.fill('#evt-place', '张堰镇党群服务中心');
    feed.release();
    await page.waitForSelector('[data-testid=event-feed]');
    assert.equal(await page.inputValue('#evt-title'), '光电企业秘书沙龙（浏览器）');
    assert.equal(await page.inputValue('#evt-place'), '张堰镇党群服务中心');
    assert.ok(await page.$eval('#evt-place', (el) => el === document.activeElement), 'the place keeps the focus');
    await page.click('#event-create');
    await page.waitForURL(/\/events\/\d+$/);
    eventId = Number(page.url().split('/').pop());
    assert.equal((await page.textContent('#event-title')).trim(), '光电企业秘书沙龙（浏览器）');
    const created = (await api.call('GET', `/api/v1/events/${eventId}`)).json;
    assert.equal(created.starts_at, `${day(60)}T14:00`);
    assert.ok(created.invited.enterprises.length > 10, 'the cluster is invited');
    assert.equal(await page.locator('#agenda [data-testid=agenda-item]').count(), 0);
    assert.equal(await page.locator('[data-testid=agenda-empty]').count(), 1);

    // Drafted from the open cases: the page shows what the API holds.
    await page.click('#agenda-draft');
    await page.waitForSelector('#agenda [data-testid=agenda-item]');
    let ev = (await api.call('GET', `/api/v1/events/${eventId}`)).json;
    assert.ok(ev.agenda.length >= 3, `${ev.agenda.length} items`);
    assert.deepEqual(await itemIds(page), ev.agenda.map((i) => i.id));
    assert.equal(await page.locator('#agenda [data-testid=item-case]').count(), ev.agenda.reduce((n, i) => n + i.cases.length, 0));

    // The first item moves down one.
    const before = await itemIds(page);
    await page.locator('#agenda [data-testid=agenda-item]').first().locator('[data-testid=item-down]').click();
    await page.waitForFunction((first) => Number(document.querySelectorAll('#agenda [data-testid=agenda-item]')[1].dataset.id) === first, before[0]);
    ev = (await api.call('GET', `/api/v1/events/${eventId}`)).json;
    assert.deepEqual(ev.agenda.map((i) => i.id), [before[1], before[0], ...before.slice(2)]);

    // Minutes and the decision of the item now first; the next item's
    // minutes, typed while those are saved, stay with the focus when the
    // answer draws the page again.
    const first = page.locator('#agenda [data-testid=agenda-item]').first();
    await first.locator('[data-testid=item-minutes]').fill('经济园区通报了厂房对接进展');
    await first.locator('[data-testid=item-decision]').fill('两周内书面答复企业');
    // An attendance ticked and a state picked, neither saved yet, stay
    // so too.
    const tick = page.locator('[data-testid=invitee] input[type=checkbox]').first();
    const ticked = !(await tick.isChecked());
    await tick.setChecked(ticked);
    await page.selectOption('#event-state', 'held');
    const saved = await holdAnswers(page, 'PATCH', /^\/api\/v1\/events\/\d+\/items\/\d+$/);
    await first.locator('[data-testid=item-save]').click();
    await saved.held();
    const next = page.locator('#agenda [data-testid=agenda-item]').nth(1).locator('[data-testid=item-minutes]');
    await next.fill('企业反映招工难');
    saved.release();
    await page.waitForSelector('[data-testid=event-msg]');
    assert.equal(await next.inputValue(), '企业反映招工难');
    assert.ok(await next.evaluate((el) => el === document.activeElement), 'the next item\'s minutes keep the focus');
    assert.equal(await tick.isChecked(), ticked, 'the attendance ticked is kept');
    assert.equal(await page.inputValue('#event-state'), 'held', 'the state picked is kept');
    await tick.setChecked(!ticked);
    await page.selectOption('#event-state', 'planned');
    ev = (await api.call('GET', `/api/v1/events/${eventId}`)).json;
    assert.equal(ev.agenda[0].minutes, '经济园区通报了厂房对接进展');
    assert.equal(ev.agenda[0].decision, '两周内书面答复企业');

    // A problem raised at the table becomes a case in one step.
    await page.selectOption('#problem-enterprise', '1');
    await page.fill('#problem-text', '园区内部道路夜间照明不足，员工下班不安全');
    await page.selectOption('#problem-dept', { label: '经济园区' });
    await page.fill('#problem-deadline', day(75));
    await page.click('#problem-go');
    await page.waitForSelector('#agenda [data-testid=agenda-item][data-source=raised]');
    const msg = await page.textContent('[data-testid=event-msg]');
    const code = /[2-9A-Z]{10}/.exec(msg)[0];
    ev = (await api.call('GET', `/api/v1/events/${eventId}`)).json;
    const raised = ev.agenda.find((i) => i.source === 'raised');
    assert.equal(raised.cases[0].tracking_code, code);
    raisedCase = raised.cases[0].id;
    const c = (await api.call('GET', `/api/v1/cases/${raisedCase}`)).json.case;
    assert.equal(c.channel, 'event');
    assert.equal(c.department.name, '经济园区');
    assert.equal(c.deadline, `${day(75)}T15:59:59Z`);
    assert.ok(ev.invited.departments.some((d) => d.name === '经济园区'), 'its department is invited');
    check();
  } finally {
    await context.close();
  }
});

test('the enterprise replies and sees its own items', async () => {
  const { context, page, check } = await env.newPage();
  try {
    await signIn(page, 'qifan');
    await page.goto(`${env.srv.url}/events/${eventId}`);
    await page.waitForSelector('#event-title');
    await page.click('[data-testid=reply-coming]');
    await page.waitForSelector('[data-testid=event-msg]');
    const qifan = await login(env.srv.url, 'qifan');
    const ev = (await qifan.call('GET', `/api/v1/events/${eventId}`)).json;
    assert.equal(ev.invited.enterprises[0].reply, 'coming');
    // Only its own cases, and the problem it raised among them.
    const cases = await page.locator('#agenda [data-testid=item-case]').evaluateAll((els) => els.map((e) => Number(e.dataset.case)));
    assert.deepEqual(cases.sort((a, b) => a - b), ev.agenda.flatMap((i) => i.cases.map((x) => x.id)).sort((a, b) => a - b));
    assert.ok(cases.includes(raisedCase));
    assert.equal(await page.locator('#agenda-draft').count(), 0, 'no organiser tools');
    check();
  } finally {
    await context.close();
  }
});

test('the next salon opens with what became of last time\'s problems', async () => {
  const { context, page, check } = await env.newPage();
  const sec = await login(env.srv.url, 'secretary');
  const admin = await login(env.srv.url, 'admin');
  try {
    const next = await sec.call('POST', '/api/v1/events', {
      kind: 'salon', title: '光电企业秘书沙龙（下一期）', organiser: { type: 'cluster', id: 1 },
      starts_at: `${day(90)}T14:00`, ends_at: `${day(90)}T16:00`, enterprises: [1],
    });
    assert.equal(next.status, 201, next.text);
    // The handling department takes the case meanwhile.
    assert.equal((await admin.call('POST', `/api/v1/cases/${raisedCase}/transition`, { to: 'accepted' })).status, 200);
    await signIn(page, 'secretary');
    await page.goto(`${env.srv.url}/events/${next.json.id}`);
    await page.waitForSelector('[data-testid=follow-up] [data-testid=agenda-item]');
    assert.match(await page.textContent('[data-testid=follow-up]'), /光电企业秘书沙龙（浏览器）/);
    const row = page.locator(`[data-testid=follow-up] [data-testid=item-case][data-case="${raisedCase}"]`);
    assert.equal(await row.getAttribute('data-state'), 'accepted');
    assert.match(await page.textContent('[data-testid=follow-up]'), /两周内书面答复企业/);
    check();
  } finally {
    await context.close();
  }
});
