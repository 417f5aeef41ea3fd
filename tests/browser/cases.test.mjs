// The case screens in a real browser: a resident's suggestion from the
// public form on a phone to its tracking page, the officer's inbox and
// case page (accepting it, a refused move), the handling department
// seeing the resident's phone in clear, an enterprise raising a
// problem, the public list of suggestions and the language switch.
// Playwright drives Debian's chromium against a real qunyan server with
// the demo town. The tests run in order and share the resident's case.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/cases.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { login, PASSWORD } from '../lib/server.mjs';
import { holdAnswers, useBrowser, clickNav } from './browser.mjs';

const env = useBrowser();
const PHONE = { width: 390, height: 844 };
const EXISTING = '涞亭南路人行道路灯间距过大，夜间行走不安全，建议加密路灯。';
const MINE = '建议在亭北居民区中心花园增设一处儿童滑梯和沙坑，周末带孩子的家庭很多。';
const resident = { code: null, id: null, name: '王芳', phone: '13812345678' };

async function signIn(page, username) {
  await page.goto(`${env.srv.url}/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#current-user', { state: 'attached' });
}

// The digits of a time in Beijing time (UTC+8, no DST), to the minute:
// 2026-11-27T05:13:46Z -> 202611271313.
const beijingDigits = (iso) => new Date(Date.parse(iso) + 8 * 3600e3).toISOString().slice(0, 16).replace(/\D/g, '');
const digits = (s) => s.replace(/\D/g, '');

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test('a resident on a phone suggests without signing in: similar ones offered, field errors, a tracking code, the tracking page', async () => {
  const { context, page, check } = await env.newPage(PHONE);
  try {
    await page.goto(`${env.srv.url}/enterprises`);
    await page.waitForURL(/\/login\?next=/);
    assert.equal((await page.textContent('#login-suggest')).trim(), '提建议');
    assert.equal((await page.textContent('#login-track')).trim(), '查进度');
    await page.click('#login-suggest');
    await page.waitForURL(`${env.srv.url}/suggest`);
    await page.waitForSelector('#suggest-form');
    assert.equal(await page.locator('#current-user').count(), 0, 'nobody is signed in');
    assert.ok(await overflow(page) <= 0, 'the form fits the phone');
    for (const sel of ['label[for=f-kind-suggestion]', '#f-category', '#f-text', '#f-phone', '#locate', '#suggest-save']) {
      const box = await page.locator(sel).boundingBox();
      assert.ok(box.height >= 44, `${sel} is at least 44 px high (${box.height})`);
    }
    // Residents' categories only: no enterprise matters.
    const codes = await page.locator('#f-category option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.ok(codes.includes('community') && codes.includes('road_lighting'));
    assert.ok(!codes.includes('land') && !codes.includes('finance'), 'no enterprise categories');
    assert.match(await page.textContent('[data-testid=privacy-note]'), /部分隐藏.*删除/s);

    // Typing the text of an open suggestion offers it.
    await page.check('#f-kind-suggestion');
    await page.fill('#f-text', EXISTING);
    const offer = page.locator('[data-testid=similar-offer]');
    await offer.waitFor();
    assert.match(await offer.textContent(), /已经有人提过类似的建议/);
    const excerpts = await offer.locator('.similar-excerpt').allTextContents();
    assert.ok(excerpts.includes(EXISTING), 'the existing suggestion is shown');
    assert.ok(await overflow(page) <= 0, 'the offer fits');

    // Something else after all; no category and a bad phone: the
    // server's messages beside the fields.
    await page.fill('#f-text', MINE);
    await page.fill('#f-name', resident.name);
    await page.fill('#f-phone', 'abc');
    await page.click('#suggest-save');
    const catErr = page.locator('.field-error[data-field=category]');
    await catErr.waitFor();
    assert.equal((await catErr.textContent()).trim(), 'category: is required (text)');
    assert.equal((await page.textContent('.field-error[data-field=phone]')).trim(),
      'phone: must be 5 to 20 digits, with + - or spaces only');
    assert.ok(await page.evaluate(() => {
      const e = document.querySelector('.field-error[data-field=phone]');
      const i = document.querySelector('#f-phone');
      return i.closest('.field').contains(e) && i.getAttribute('aria-invalid') === 'true';
    }), 'the phone\'s message sits beside it');
    assert.equal(await page.inputValue('#f-text'), MINE, 'what was typed is kept');

    await page.selectOption('#f-category', 'community');
    await page.fill('#f-phone', resident.phone);
    await page.fill('#f-street', '九里亭街道');
    await page.fill('#f-address', '亭北居委会旁中心花园');
    // "Use my location", where the phone says it is.
    await context.grantPermissions(['geolocation'], { origin: env.srv.url });
    await context.setGeolocation({ latitude: 31.1102, longitude: 121.3385 });
    await page.click('#locate');
    await page.waitForSelector('[data-testid=located]');
    assert.match(await page.textContent('[data-testid=located]'), /31\.11020, 121\.33850/);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/public/cases')),
      page.click('#suggest-save'),
    ]);
    assert.equal(res.status(), 201);
    const answer = await res.json();
    const sent = JSON.parse(res.request().postData());
    assert.deepEqual(sent, {
      kind: 'suggestion', category: 'community', text: MINE, street: '九里亭街道', address: '亭北居委会旁中心花园',
      name: resident.name, phone: resident.phone, lon: 121.3385, lat: 31.1102,
    });
    assert.ok(res.request().headers()['idempotency-key'], 'sent with an Idempotency-Key');

    // The code, big.
    const codeEl = page.locator('[data-testid=tracking-code]');
    await codeEl.waitFor();
    resident.code = (await codeEl.textContent()).trim();
    resident.id = answer.case.id;
    assert.equal(resident.code, answer.tracking_code);
    assert.match(resident.code, /^[2-9A-HJKMNP-Z]{10}$/);
    const size = await codeEl.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok(size >= 28, `the code is big (${size}px)`);
    assert.ok(await overflow(page) <= 0, 'the code fits the phone');

    // Its tracking page.
    await page.click('[data-testid=track-link]');
    await page.waitForURL(`${env.srv.url}/track/${resident.code}`);
    await page.waitForSelector('[data-testid=track-case]');
    assert.equal(await page.getAttribute('[data-testid=track-case]', 'data-state'), 'submitted');
    assert.equal((await page.textContent('[data-testid=track-case] [data-testid=case-state]')).trim(), '已提交');
    assert.equal(await page.getAttribute('[data-testid=progress] [aria-current=step]', 'data-step'), 'submitted');
    const steps = await page.locator('[data-testid=progress] .progress-step').evaluateAll((els) => els.map((e) => e.dataset.step));
    assert.deepEqual(steps, ['submitted', 'accepted', 'under_review', 'adopted', 'implementing', 'implemented', 'closed'],
      'a suggestion\'s way to being implemented');
    assert.match(await page.textContent('[data-testid=track-case] .case-text'), /儿童滑梯/);
    assert.ok(await overflow(page) <= 0, 'the tracking page fits the phone');

    // A typed code, in lower case with a dash, finds it too.
    await page.goto(`${env.srv.url}/track`);
    await page.fill('#track-code', `${resident.code.slice(0, 5).toLowerCase()}-${resident.code.slice(5)}`);
    await page.click('#track-go');
    await page.waitForURL(`${env.srv.url}/track/${resident.code}`);
    await page.waitForSelector('[data-testid=track-case]');
    check();
  } finally {
    await context.close();
  }
});

test('the officer finds it in the inbox, sees the phone masked, accepts it; a refused move shows the API\'s message', async () => {
  assert.ok(resident.id, 'the resident\'s case exists');
  const { context, page, check } = await env.newPage();
  const api = await login(env.srv.url, 'officer');
  try {
    await signIn(page, 'officer');
    assert.equal((await page.textContent('[data-nav=cases]')).trim(), '诉求');
    await clickNav(page, 'cases');
    await page.waitForURL(`${env.srv.url}/cases`);
    const row = page.locator(`[data-testid=case-row][data-id="${resident.id}"]`);
    await row.waitFor();
    assert.equal(await page.getAttribute('[data-testid=case-row] >> nth=0', 'data-id'), String(resident.id), 'newest first');
    assert.equal((await row.locator('[data-testid=case-state]').textContent()).trim(), '已提交');
    assert.equal((await row.locator('[data-col=category]').textContent()).trim(), '社区服务与设施');
    assert.equal((await row.locator('[data-col=department]').textContent()).trim(), '社区管理办');
    assert.match(await row.locator('[data-col=deadline]').textContent(), /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}（剩余 \d+ (天|小时)）$/);

    // The overdue tab: what the API calls overdue, the escalated marked.
    const overdue = (await api.call('GET', '/api/v1/cases?overdue=true&limit=500')).json.items;
    assert.ok(overdue.length > 0, 'the demo has overdue cases');
    await page.click('[data-tab=overdue]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=case-row]').length === n
      && document.querySelector('#case-list-status').dataset.count === String(n), overdue.length);
    assert.equal(new URL(page.url()).searchParams.get('tab'), 'overdue');
    assert.equal(await page.locator('[data-testid=case-row] [data-testid=overdue]').count(), overdue.length, 'every row is marked overdue');
    const escalated = overdue.filter((c) => c.escalated_at).map((c) => String(c.id));
    assert.ok(escalated.length > 0, 'some are escalated');
    assert.deepEqual(await page.locator('[data-testid=case-row].is-escalated').evaluateAll((els) => els.map((e) => e.dataset.id)),
      escalated, 'the escalated ones are marked');
    assert.equal(await page.locator('[data-testid=case-row] [data-testid=escalated]').count(), escalated.length);

    // All of them, a page at a time.
    const first = (await api.call('GET', '/api/v1/cases?limit=50')).json;
    const second = (await api.call('GET', `/api/v1/cases?limit=50&after=${first.next}`)).json;
    await page.click('[data-tab=all]');
    await page.waitForFunction(() => document.querySelector('#case-list-status').dataset.count === '50');
    assert.ok(await page.isVisible('#case-more'), 'there are more');
    await page.click('#case-more');
    await page.waitForFunction((n) => document.querySelector('#case-list-status').dataset.count === String(n),
      50 + second.items.length);
    assert.deepEqual(await page.locator('[data-testid=case-row]').evaluateAll((els) => els.map((e) => Number(e.dataset.id))),
      [...first.items, ...second.items].map((c) => c.id), 'the next page follows the first');

    // Filters: suggestions in one category.
    await page.click('[data-tab=open]');
    await page.selectOption('#filter-kind', 'suggestion');
    const community = (await api.call('GET', '/api/v1/case-categories')).json.items.find((c) => c.code === 'community');
    await page.selectOption('#filter-category', { label: '社区服务与设施' });
    const openSugs = (await api.call('GET', `/api/v1/cases?status=open&kind=suggestion&category_id=${community.id}&limit=500`)).json.items;
    await page.waitForFunction((ids) => JSON.stringify([...document.querySelectorAll('[data-testid=case-row]')].map((r) => Number(r.dataset.id))) === ids,
      JSON.stringify(openSugs.map((c) => c.id)));
    assert.equal(new URL(page.url()).search, `?kind=suggestion&category_id=${community.id}`);

    // A photo taken at the place.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const photo = await fetch(`${env.srv.url}/api/v1/cases/${resident.id}/photos`, {
      method: 'POST', body: png, headers: { Cookie: api.cookie, 'X-CSRF-Token': api.csrf, 'Content-Type': 'image/png' },
    });
    assert.equal(photo.status, 201);

    // The case page: the person masked for the officer.
    await page.click(`[data-testid=case-row][data-id="${resident.id}"] [data-testid=case-link]`);
    await page.waitForURL(`${env.srv.url}/cases/${resident.id}`);
    await page.waitForSelector('[data-testid=case-page]');
    assert.equal((await page.textContent('h1')).trim(), `诉求 ${resident.id} 号`);
    assert.equal(await page.getAttribute('[data-testid=person]', 'data-masked'), 'true');
    assert.equal((await page.textContent('[data-testid=person-phone]')).trim(), '138****5678');
    assert.equal((await page.textContent('[data-testid=person-name]')).trim(), '王*');
    assert.equal((await page.textContent('[data-testid=case-department]')).trim(), '社区管理办');
    assert.match(await page.textContent('[data-section=case] [data-field=channel]'), /网上提交/);
    assert.equal((await page.textContent('[data-section=case] [data-field=location] dd')).trim(), '31.11020, 121.33850');
    assert.match(await page.textContent('[data-section=case] [data-field=tracking]'), new RegExp(resident.code));
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-section=photos] img');
      return img && img.complete && img.naturalWidth === 1;
    });
    const moves = () => page.locator('[data-testid=move]').evaluateAll((els) => els.map((e) => e.dataset.to));
    // A suggestion may be adopted from any state before a final one.
    assert.deepEqual(await moves(), ['accepted', 'rejected', 'adopted']);

    // Rejecting needs a reason, said beside the note; nothing is sent.
    await page.click('[data-testid=move][data-to=rejected]');
    await page.waitForSelector('.field-error[data-field=note]');
    assert.match(await page.textContent('.field-error[data-field=note]'), /不予受理.*需要说明原因/);
    assert.equal((await api.call('GET', `/api/v1/cases/${resident.id}`)).json.case.state, 'submitted');

    // Accepting: the state changes on the page and in the timeline; the
    // note is made public, and the page says so before it is sent.  The
    // dispatch section, opened by hand before, is still open after the
    // answer has drawn the page again.
    await page.click('[data-section=dispatch] summary');
    await page.fill('#case-note', '受理，转社区管理办研究。');
    assert.equal(await page.getAttribute('[data-testid=note-visibility-warning]', 'data-public'), 'false');
    await page.check('#case-note-vis-public');
    assert.equal(await page.getAttribute('[data-testid=note-visibility-warning]', 'data-public'), 'true');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/v1/cases/${resident.id}/transition`)),
      page.click('[data-testid=move][data-to=accepted]'),
    ]);
    assert.equal(res.status(), 200);
    assert.ok(res.request().headers()['x-csrf-token'], 'the POST carries the CSRF token');
    assert.deepEqual(JSON.parse(res.request().postData()), { to: 'accepted', note: '受理，转社区管理办研究。', public: true });
    await page.waitForSelector('[data-testid=case-page][data-state=accepted]');
    assert.match(await page.textContent('[data-testid=move-result]'), /已受理/);
    assert.ok(await page.$eval('[data-section=dispatch]', (d) => d.open), 'the dispatch section opened stays open');
    assert.equal((await page.textContent('[data-testid=case-badges] [data-testid=case-state]')).trim(), '已受理');
    const detail = (await api.call('GET', `/api/v1/cases/${resident.id}`)).json;
    const ev = detail.events.find((e) => e.from === 'submitted' && e.to === 'accepted');
    assert.ok(ev, 'the API has the move');
    const shown = page.locator('[data-testid=event][data-from=submitted][data-to=accepted]');
    assert.equal(await shown.count(), 1, 'the timeline shows it');
    assert.equal((await shown.locator('.timeline-what').textContent()).trim(), '王敏受理了本件');
    assert.equal(digits(await shown.locator('.timeline-at').textContent()), beijingDigits(ev.at), 'at, in Beijing time');
    assert.equal(await shown.locator('.timeline-at').getAttribute('datetime'), ev.at);
    assert.equal((await shown.locator('.timeline-note').textContent()).trim(), '受理，转社区管理办研究。');
    assert.deepEqual(await moves(), detail.allowed, 'the buttons are the answer\'s "allowed"');
    assert.deepEqual(detail.allowed, ['assigned', 'under_review', 'adopted']);
    assert.equal(await page.inputValue('#case-note'), '', 'the note box is empty again');

    // Meanwhile someone else puts it under review: the stale "dispatch"
    // button is refused, in the API's words.
    assert.equal((await api.call('POST', `/api/v1/cases/${resident.id}/transition`, { to: 'under_review' })).status, 200);
    const refusal = await api.call('POST', `/api/v1/cases/${resident.id}/transition`, { to: 'assigned' });
    assert.equal(refusal.status, 409);
    await page.click('[data-testid=move][data-to=assigned]');
    const err = page.locator('[data-testid=move-error]');
    await err.waitFor();
    assert.match(await err.textContent(), new RegExp(refusal.json.error.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.match(refusal.json.error.message, /cannot go from under_review to assigned/);
    await page.click('[data-testid=reload]');
    await page.waitForSelector('[data-testid=case-page][data-state=under_review]');
    assert.deepEqual(await moves(), ['adopted', 'not_adopted']);

    // Merging into a case that does not exist: the API's field error.
    await page.click('[data-section=merge] summary');
    await page.fill('#merge-into', '999999');
    await page.click('#merge-save');
    await page.waitForSelector('.field-error[data-field=into]');
    assert.equal((await page.textContent('.field-error[data-field=into]')).trim(), 'into: no case 999999');

    // The resident's tracking page follows.
    await page.goto(`${env.srv.url}/track/${resident.code}`);
    await page.waitForSelector('[data-testid=track-case]');
    assert.equal(await page.getAttribute('[data-testid=progress] [aria-current=step]', 'data-step'), 'under_review');
    assert.deepEqual(await page.locator('[data-testid=progress] .progress-step.is-done').evaluateAll((els) => els.map((e) => e.dataset.step)),
      ['submitted', 'accepted']);
    check();
  } finally {
    await context.close();
  }
});

test('answers that arrive late leave the focus where the user is: the inbox\'s filters, the suggestion form\'s address', async () => {
  const { context, page, check } = await env.newPage();
  try {
    await signIn(page, 'officer');
    const departments = await holdAnswers(page, 'GET', /^\/api\/v1\/departments$/);
    await page.goto(`${env.srv.url}/cases`);
    await departments.held();
    await page.waitForSelector('[data-testid=case-row]');
    await page.focus('#filter-kind');
    departments.release();
    await page.waitForFunction(() => document.querySelectorAll('#filter-department option').length > 1);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'filter-kind', 'the filter keeps the focus');

    // The phone's position, held until the resident is typing the address.
    await context.addInitScript(() => {
      navigator.geolocation.getCurrentPosition = (ok) => { window.qyPosition = ok; };
    });
    await page.goto(`${env.srv.url}/suggest`);
    await page.waitForSelector('#f-text');
    await page.click('#locate');
    await page.waitForFunction(() => typeof window.qyPosition === 'function');
    await page.click('#f-address');
    await page.keyboard.type('亭北居委会');
    await page.evaluate(() => window.qyPosition({ coords: { latitude: 31.1102, longitude: 121.3385 } }));
    await page.waitForSelector('[data-testid=located]');
    await page.keyboard.type('旁');
    assert.equal(await page.inputValue('#f-address'), '亭北居委会旁', 'the address keeps the focus and the caret');
    check();
  } finally {
    await context.close();
  }
});

test('the handling department sees the phone in clear, adopts it with a reply; another department cannot open it', async () => {
  const { context, page, check } = await env.newPage(PHONE);
  try {
    await signIn(page, 'handler2');
    await page.goto(`${env.srv.url}/cases`);
    const row = page.locator(`[data-testid=case-row][data-id="${resident.id}"]`);
    await row.waitFor();
    const api = await login(env.srv.url, 'handler2');
    const inbox = (await api.call('GET', '/api/v1/cases?status=open&limit=500')).json.items;
    assert.ok(inbox.every((c) => c.department.name === '社区管理办'), 'the department\'s inbox');
    assert.equal(await page.locator('[data-testid=case-row]').count(), inbox.length);
    assert.ok(await overflow(page) <= 0, 'the inbox fits the phone');
    await row.locator('[data-testid=case-link]').click();
    await page.waitForURL(`${env.srv.url}/cases/${resident.id}`);
    await page.waitForSelector('[data-testid=person]');
    assert.equal(await page.getAttribute('[data-testid=person]', 'data-masked'), 'false');
    assert.equal((await page.textContent('[data-testid=person-phone]')).trim(), resident.phone);
    assert.equal(await page.getAttribute('[data-testid=person-phone]', 'href'), `tel:${resident.phone}`);
    assert.equal((await page.textContent('[data-testid=person-name]')).trim(), resident.name);
    assert.ok(await overflow(page) <= 0, 'the case page fits the phone');
    assert.equal(await page.locator('[data-section=dispatch]').count(), 0, 'a handler does not dispatch');

    const reply = '已采纳：中心花园东侧将增设儿童滑梯和沙坑，年内完工。';
    await page.fill('#reply-text', reply);
    await page.click('#reply-save');
    await page.waitForSelector('[data-testid=reply-result]');
    assert.equal((await page.textContent('[data-testid=case-reply]')).trim(), reply);
    await page.click('[data-testid=move][data-to=adopted]');
    await page.waitForSelector('[data-testid=case-page][data-state=adopted]');
    assert.equal(await page.locator('[data-testid=event][data-action=reply]').count(), 1, 'the reply is in the timeline');

    check();
  } finally {
    await context.close();
  }
  // The economic park's handler may not see it at all.
  const other = await env.newPage();
  try {
    await signIn(other.page, 'handler');
    await other.page.goto(`${env.srv.url}/cases/${resident.id}`);
    await other.page.waitForSelector('.alert-error');
    assert.match(await other.page.textContent('.alert-error'), new RegExp(`没有编号为 ${resident.id} 的诉求`));
    other.check();
  } finally {
    await other.context.close();
  }
});

test('the public list of suggestions filters by category and shows what became of them', async () => {
  const { context, page, check } = await env.newPage(PHONE);
  try {
    await page.goto(`${env.srv.url}/login`);
    await page.click('.login-public a[href="/suggestions"]');
    await page.waitForURL(`${env.srv.url}/suggestions`);
    await page.waitForSelector('[data-testid=suggestion]');
    const get = async (q) => (await (await fetch(`${env.srv.url}/api/v1/public/suggestions?limit=200${q}`)).json()).items;
    const all = await get('');
    assert.equal(await page.locator('[data-testid=suggestion]').count(), all.length);

    const lights = await get('&category=road_lighting');
    assert.ok(lights.length > 0 && lights.length < all.length);
    await page.selectOption('#sugs-category', 'road_lighting');
    await page.waitForFunction((n) => {
      const s = document.querySelector('[data-testid=sugs-status]');
      return s.dataset.loading === 'false' && document.querySelectorAll('[data-testid=suggestion]').length === n;
    }, lights.length);
    const cats = await page.locator('[data-testid=suggestion]').evaluateAll((els) => els.map((e) => e.dataset.category));
    assert.ok(cats.every((c) => c === 'road_lighting'), 'only street lights and roads');
    assert.equal(new URL(page.url()).searchParams.get('category'), 'road_lighting');

    // Community services: the resident's suggestion, adopted, with the reply.
    await page.selectOption('#sugs-category', 'community');
    const mine = page.locator(`[data-testid=suggestion][data-id="${resident.id}"]`);
    await mine.waitFor();
    assert.equal(await mine.getAttribute('data-state'), 'adopted');
    assert.match(await mine.locator('[data-testid=suggestion-reply]').textContent(), /儿童滑梯和沙坑/);
    assert.doesNotMatch(await page.textContent('[data-testid=suggestions]'), new RegExp(`${resident.name}|${resident.phone}|5678`),
      'no person in the public list');
    const implemented = (await get('&category=community&state=implemented')).length;
    await page.selectOption('#sugs-state', 'implemented');
    await page.waitForFunction((n) => document.querySelector('[data-testid=sugs-status]').dataset.loading === 'false'
      && document.querySelectorAll('[data-testid=suggestion]').length === n, implemented);
    assert.ok(await overflow(page) <= 0, 'the list fits the phone');

    // A suggestion merged into another: its tracking page follows that one.
    const officer = await login(env.srv.url, 'officer');
    const merged = (await officer.call('GET', '/api/v1/cases?status=closed&kind=suggestion&limit=500')).json.items
      .find((c) => c.merged_into);
    assert.ok(merged, 'the demo has a merged suggestion');
    const target = (await officer.call('GET', `/api/v1/cases/${merged.merged_into}`)).json.case;
    await page.goto(`${env.srv.url}/track/${merged.tracking_code}`);
    await page.waitForSelector('[data-testid=track-merged]');
    assert.equal(await page.getAttribute('[data-testid=track-follows]', 'data-state'), target.state);
    assert.equal(await page.getAttribute('[data-testid=track-follows] [aria-current=step]', 'data-step'), target.state);
    assert.equal(await page.locator('[data-testid=track-case] [data-testid=progress]').count(), 0,
      'the merged case itself has no progress of its own');
    assert.equal(await page.locator('[data-testid=track-case] [data-testid=merged-badge]').count(), 1);
    check();
  } finally {
    await context.close();
  }
});

test('an enterprise contact raises a problem: the API\'s field errors beside the fields, then the similar cases', async () => {
  const { context, page, check } = await env.newPage();
  try {
    await signIn(page, 'qifan');
    await clickNav(page, 'cases');
    await page.waitForSelector('[data-testid=case-row]');
    const api = await login(env.srv.url, 'qifan');
    // An earlier problem of its own like the one it will raise: the only
    // kind of similar case an enterprise may be shown.
    const earlier = await api.call('POST', '/api/v1/cases', { kind: 'problem', category: 'utilities', text: '申请用电增容，供电所排期较长，新车间无法投产。' });
    assert.equal(earlier.status, 201, earlier.text);
    await page.reload();
    await page.waitForSelector('[data-testid=case-row]');
    const before = (await api.call('GET', '/api/v1/cases?status=open&limit=500')).json.items;
    assert.ok(before.every((c) => c.enterprise && c.enterprise.id === api.user.enterprise_id), 'its own cases only');
    assert.equal(await page.locator('[data-testid=case-row]').count(), before.length);
    await page.click('#new-case');
    await page.waitForURL(`${env.srv.url}/cases/new`);
    await page.waitForSelector('#case-form');
    const codes = await page.locator('#f-category option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.deepEqual(codes, ['land', 'labour', 'finance', 'logistics', 'utilities', 'policy', 'enterprise_other']);

    await page.click('#case-save');
    await page.waitForSelector('.field-error[data-field=text]');
    assert.equal((await page.textContent('.field-error[data-field=category]')).trim(), 'category: is required (text)');
    assert.equal((await page.textContent('.field-error[data-field=text]')).trim(), 'text: is required (text)');
    assert.equal(await page.getAttribute('#f-text', 'aria-invalid'), 'true');

    await page.selectOption('#f-category', 'utilities');
    await page.fill('#f-text', '申请用电增容，供电所排期较长，影响新生产线投产。');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/cases')),
      page.click('#case-save'),
    ]);
    assert.equal(res.status(), 201);
    const answer = await res.json();
    assert.deepEqual(JSON.parse(res.request().postData()),
      { kind: 'problem', category: 'utilities', text: '申请用电增容，供电所排期较长，影响新生产线投产。' });
    await page.waitForSelector('[data-testid=case-created]');
    assert.ok(answer.similar.some((x) => x.id === earlier.json.case.id), 'the API finds its earlier case');
    const own = new Set([...before.map((c) => c.id), answer.case.id]);
    assert.ok(answer.similar.every((x) => own.has(x.id)), 'and no other enterprise\'s');
    assert.deepEqual(await page.locator('[data-testid=similar-item]').evaluateAll((els) => els.map((e) => Number(e.dataset.id))),
      answer.similar.map((s) => s.id), 'the answer\'s similar cases, linked');
    await page.click('#open-created');
    await page.waitForURL(`${env.srv.url}/cases/${answer.case.id}`);
    await page.waitForSelector('[data-testid=case-page][data-state=submitted]');
    assert.equal(await page.locator('[data-testid=actions-none]').count(), 1, 'nothing for the enterprise to do yet');
    check();
  } finally {
    await context.close();
  }
});

test('the language switch on the case page', async () => {
  const { context, page, check } = await env.newPage();
  try {
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/cases/${resident.id}`);
    await page.waitForSelector('[data-testid=case-page]');
    assert.equal((await page.textContent('#case-title')).trim(), `诉求 ${resident.id} 号`);
    await page.click('#lang-switch');
    await page.waitForFunction((id) => document.querySelector('#case-title').textContent === `Case No. ${id}`, resident.id);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal((await page.textContent('[data-testid=case-badges] [data-testid=case-state]')).trim(), 'Adopted');
    assert.equal((await page.textContent('#sec-timeline')).trim(), 'Timeline');
    assert.equal((await page.textContent('[data-testid=event][data-from=submitted][data-to=accepted] .timeline-what')).trim(),
      '王敏 accepted the case');
    assert.equal((await page.textContent('[data-testid=case-department]')).trim(), 'Community affairs office');
    assert.equal((await page.textContent('[data-testid=move][data-to=implementing]')).trim(), 'Start implementing');
    assert.equal((await page.textContent('[data-nav=cases]')).trim(), 'Cases');
    await page.click('#lang-switch');
    await page.waitForFunction((id) => document.querySelector('#case-title').textContent === `诉求 ${id} 号`, resident.id);
    assert.equal((await page.textContent('[data-testid=case-badges] [data-testid=case-state]')).trim(), '已采纳');
    check();
  } finally {
    await context.close();
  }
});
