// A case's timeline read as sentences in a real browser, in Chinese and in
// English: a case of 九里亭街道 dispatched to another category with a
// deadline and an urgency, given a photo, escalated by the round past its
// deadline, then transferred to 张堰镇 and accepted there.  The staff's
// page names each person by display name, says each time in Beijing time
// and the category, the department and the towns by name; the tracking
// page says the public entries without any person.  Neither shows an ISO
// instant, a login, a MIME type or a code, and the Chinese page no English.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/case-timeline.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { dbQuery, login, PASSWORD } from '../lib/server.mjs';
import { useBrowser } from './browser.mjs';

// The escalation round every second, in the server useBrowser starts.
process.env.QUNYAN_MAINTENANCE_SECONDS = '1';
const env = useBrowser();
const PHONE = { width: 360, height: 780 };
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function signIn(page, username) {
  await page.goto(`${env.srv.url}/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#current-user', { state: 'attached' });
}

// The console's own Beijing time of an instant, in the page's language.
const beijing = (page, iso) => page.evaluate((at) => {
  const lang = document.documentElement.lang;
  return new Intl.DateTimeFormat(lang, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai',
  }).format(new Date(at));
}, iso);

// What no timeline may show, in any language.
function plain(text, logins, where) {
  assert.doesNotMatch(text, /\d{4}-\d\d-\d\dT/, `${where}: an ISO instant`);
  assert.doesNotMatch(text, /image\/(jpeg|png|webp)/, `${where}: a MIME type`);
  assert.doesNotMatch(text, /\b[a-z0-9]+_[a-z0-9_]+\b/, `${where}: a code`);
  // "the officer" is English for the role, not the login.
  const words = text.replace(/\bthe officer\b/g, '');
  for (const u of logins) {
    assert.ok(!new RegExp(`(^|[^\\w.])${u.replace(/\./g, '\\.')}($|[^\\w.])`).test(words), `${where}: the login ${u}`);
  }
}

// No English sentence: no two Latin words together (a lone "PNG" is a name).
function chinese(text, where) {
  assert.doesNotMatch(text, /[A-Za-z]{2,}[\s,.:;]+[A-Za-z]{2,}/, `${where}: English in the Chinese page: ${text}`);
}

test('a case\'s timeline in Chinese and English: sentences, names, Beijing time; the tracking page names nobody', async () => {
  const jl = await login(env.srv.url, 'officer.jiuliting');
  const zy = await login(env.srv.url, 'officer.zhangyan');
  const admin = await login(env.srv.url, 'admin');
  const users = (await admin.call('GET', '/api/v1/users')).json.items;
  const logins = users.map((u) => u.username);
  const name = (login) => users.find((u) => u.username === login).display_name;
  const categories = (await jl.call('GET', '/api/v1/case-categories')).json.items;
  const env2 = categories.find((c) => c.code === 'environment');
  const tree = (await jl.call('GET', '/api/v1/jurisdictions')).json.items;
  const town = (code) => tree.find((j) => j.code === code);
  const JLT = town('310117011'), ZY = town('310116103');

  // The case's life, by the API and the round.
  let r = await jl.call('POST', '/api/v1/cases', { kind: 'complaint', category: 'safety', text: `楼道堆放杂物，存在消防隐患 ${Date.now()}` });
  assert.equal(r.status, 201, r.text);
  const c = r.json.case;
  r = await jl.call('POST', `/api/v1/cases/${c.id}/transition`, { to: 'accepted', note: '受理，核实情况。' });
  assert.equal(r.status, 200, r.text);
  const deadline = new Date(Date.now() + 3 * 86400e3).toISOString().replace(/\.\d{3}Z$/, 'Z');
  r = await jl.call('POST', `/api/v1/cases/${c.id}/assign`,
    { category_id: env2.id, deadline, urgency: 'urgent', note: '属环境卫生问题，改派并加急。' });
  assert.equal(r.status, 200, r.text);
  const dept = r.json.case.department; // where the category routes it here
  const photo = await fetch(`${env.srv.url}/api/v1/cases/${c.id}/photos`, {
    method: 'POST', headers: { Cookie: jl.cookie, 'X-CSRF-Token': jl.csrf, 'Content-Type': 'image/png' }, body: PNG });
  assert.equal(photo.status, 201, await photo.text());
  const missed = '2026-03-12T06:00:00Z';
  dbQuery(env.srv.db, `UPDATE cases SET deadline = '${missed}' WHERE id = ${c.id}`);
  let events = [];
  for (let i = 0; i < 100 && !events.some((e) => e.action === 'escalate'); i++) {
    await sleep(100);
    events = (await jl.call('GET', `/api/v1/cases/${c.id}`)).json.events;
  }
  assert.ok(events.some((e) => e.action === 'escalate'), 'escalated by the round');
  r = await jl.call('POST', `/api/v1/cases/${c.id}/transfer`, { to: ZY.code, reason: '事发地位于张堰镇，请张堰镇办理。' });
  assert.equal(r.status, 201, r.text);
  r = await zy.call('POST', `/api/v1/cases/${c.id}/transfer/accept`, { note: '接收，安排网格员核查。' });
  assert.equal(r.status, 200, r.text);
  const tracking = r.json.case.tracking_code;

  const { page, check } = await env.newPage(PHONE);
  try {
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/cases/${c.id}`);
    await page.waitForSelector('[data-testid=timeline] [data-action=transfer_accept]');
    const what = async (action) => (await page.locator(`[data-testid=event][data-action=${action}] .timeline-what`).first().textContent()).trim();
    const note = async (action) => (await page.locator(`[data-testid=event][data-action=${action}] .timeline-note`).first().textContent()).trim();

    // 中文
    let text = await page.textContent('[data-testid=timeline]');
    plain(text, logins, 'zh');
    chinese(text, 'zh');
    assert.equal(await what('intake'), `${name('officer.jiuliting')}登记了本件（工作人员录入）`);
    assert.equal(await what('transition'), `${name('officer.jiuliting')}受理了本件`);
    assert.equal(await what('assign'),
      `${name('officer.jiuliting')}将类别改为“${env2.name_zh}”，交${dept.name}办理，将办理期限定为 ${await beijing(page, deadline)}，将紧急程度定为“紧急”`);
    assert.equal(await note('assign'), '属环境卫生问题，改派并加急。');
    assert.equal(await what('photo'), `${name('officer.jiuliting')}添加了一张照片（PNG）`);
    assert.equal(await what('escalate'), `已超过办理期限（${await beijing(page, missed)}），已上报主管`);
    assert.equal(await what('transfer'), `${name('officer.jiuliting')}将本件由${JLT.name_zh}转办至${ZY.name_zh}`);
    assert.equal(await note('transfer'), '事发地位于张堰镇，请张堰镇办理。');
    assert.equal(await what('transfer_accept'), `${name('officer.zhangyan')}接收转办，本件改由${ZY.name_zh}办理`);
    assert.equal(await note('transfer_accept'), '接收，安排网格员核查。');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page fits 360 px');

    // English
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    text = await page.textContent('[data-testid=timeline]');
    plain(text, logins, 'en');
    assert.equal(await what('transition'), `${name('officer.jiuliting')} accepted the case`);
    assert.equal(await what('assign'),
      `${name('officer.jiuliting')} changed the category to ${env2.name_en}, sent the case to ${dept.name_en}, `
      + `set the deadline to ${await beijing(page, deadline)} and set the urgency to Urgent`);
    assert.equal(await what('photo'), `${name('officer.jiuliting')} added a photo (PNG)`);
    assert.equal(await what('escalate'), `Escalated to the officer: not resolved by ${await beijing(page, missed)}`);
    assert.equal(await what('transfer'), `${name('officer.jiuliting')} sent the case from ${JLT.name_en} to ${ZY.name_en}`);
    assert.equal(await what('transfer_accept'), `${name('officer.zhangyan')} accepted the transfer: ${ZY.name_en} handles the case now`);
    assert.equal(await note('transfer'), '事发地位于张堰镇，请张堰镇办理。', 'a person\'s words stay as written');
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');

    // The tracking page: the public entries, nobody named.
    await page.goto(`${env.srv.url}/track/${tracking}`);
    await page.waitForSelector('[data-testid=track-case] [data-testid=timeline]');
    text = await page.textContent('[data-testid=track-case] [data-testid=timeline]');
    plain(text, logins, 'track zh');
    chinese(text, 'track zh');
    for (const u of users) if (u.display_name) assert.ok(!text.includes(u.display_name), `the tracking page names ${u.display_name}`);
    assert.equal(await what('transfer_accept'), `工作人员接收转办，本件改由${ZY.name_zh}办理`);
    assert.equal(await page.locator('[data-testid=event][data-action=transfer_accept] .timeline-note').count(), 0, 'the office\'s note stays in');
    assert.equal(await page.locator('[data-testid=event][data-action=escalate]').count(), 0);
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    text = await page.textContent('[data-testid=track-case] [data-testid=timeline]');
    plain(text, logins, 'track en');
    assert.equal(await what('transfer_accept'), `Staff accepted the transfer: ${ZY.name_en} handles the case now`);
    check();
  } finally {
    await page.context().close();
  }
});

test('rows written before the facts were kept read as sentences too', async () => {
  const officer = await login(env.srv.url, 'officer');
  const admin = await login(env.srv.url, 'admin');
  const logins = (await admin.call('GET', '/api/v1/users')).json.items.map((u) => u.username);
  let r = await officer.call('POST', '/api/v1/cases', { kind: 'problem', category: 'land', text: `厂房用地 ${Date.now()}`, enterprise_id: 1 });
  assert.equal(r.status, 201, r.text);
  const id = r.json.case.id;
  const officerId = (await admin.call('GET', '/api/v1/users')).json.items.find((u) => u.username === 'officer').id;
  const rows = [
    ['escalate_dispatch', 'system', 'NULL', 'not dispatched by its deadline 2026-03-12T06:00:00Z: escalated to the officer'],
    ['photo', 'officer', officerId, 'image/jpeg'],
    ['assign', 'officer', officerId, 'category environment, deadline 2026-03-20T09:00:00Z: 按旧格式记录的改派'],
    ['callback', 'officer', officerId, 'could not be reached, try 1 of 3'],
  ];
  dbQuery(env.srv.db, rows.map(([action, actor, uid, note]) =>
    `INSERT INTO case_events (case_id, at, user_id, actor, action, note, public, district_id)
     VALUES (${id}, '2026-03-12T07:00:00Z', ${uid}, '${actor}', '${action}', '${note}', 0, (SELECT district_id FROM cases WHERE id = ${id}))`).join(';'));
  const { page, check } = await env.newPage();
  try {
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/cases/${id}`);
    await page.waitForSelector('[data-testid=timeline] [data-action=callback]');
    let text = await page.textContent('[data-testid=timeline]');
    plain(text, logins, 'zh');
    chinese(text, 'zh');
    assert.match(text, /已超过派单时限（2026\/03\/12 14:00），已上报主管/);
    assert.match(text, /王敏添加了一张照片（JPEG）/);
    assert.match(text, /王敏电话回访，未联系上提出人（第 1 次，共 3 次）/);
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    text = await page.textContent('[data-testid=timeline]');
    plain(text, logins, 'en');
    assert.match(text, /Escalated to the officer: not dispatched by 03\/12\/2026, 14:00/);
    assert.match(text, /王敏 changed the category to [A-Z][^,]+ and set the deadline to 03\/20\/2026, 17:00/);
    assert.match(text, /按旧格式记录的改派/);
    check();
  } finally {
    await page.context().close();
  }
});
