// The audit log, the organisations' upkeep and the lists' CSV exports in
// a real browser:
// - the admin's audit page tells a change made just before as a sentence
//   with the officer's display name and the town's local time, what
//   changed from what to what, with no raw code, login name or ISO time
//   on screen; filters narrow it as the API does; "older" pages on;
// - an officer creates and edits an organisation; the server's 422 is
//   shown at the field it names, a stale edit shows the 412 message and
//   reloads; a grid worker sees no button;
// - a non-admin has no audit menu, and the API refuses;
// - "Export CSV" downloads every row of the filtered list, headers in the
//   reader's language, a formula-like cell quoted;
// - in Chinese and English, at 1366 px and at 360 px without overflow.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/audit-orgs.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { login, PASSWORD } from '../lib/server.mjs';
import { holdAnswers, useBrowser, clickNav } from './browser.mjs';

const env = useBrowser();
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 360, height: 740 };

async function signIn(page, username, lang = 'zh') {
  await page.goto(`${env.srv.url}/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#current-user', { state: 'attached' });
  if (lang === 'en') {
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  }
}

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

// The town's time as the console shows it.
const shown = (iso, lang) => new Intl.DateTimeFormat(lang === 'en' ? 'en' : 'zh-CN', {
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  timeZone: 'Asia/Shanghai',
}).format(new Date(iso));

// RFC 4180, enough for the console's files.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell); rows.push(row); row = []; cell = ''; i++;
    } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const bytes = readFileSync(await dl.path());
  return { name: dl.suggestedFilename(), bytes, rows: parseCsv(bytes.toString('utf8').replace(/^\ufeff/, '')) };
}

let officer;
let admin;
let change; // the audit entry of the officer's change to enterprise 3
let org; // an organisation made through the API for the exports

// Made once, by the first test that needs it (after the server started).
let ready = null;
const setup = () => { ready ||= prepare(); return ready; };
async function prepare() {
  officer = await login(env.srv.url, 'officer');
  admin = await login(env.srv.url, 'admin');
  // An organisation whose name a spreadsheet would take for a formula,
  // changed often enough that the log has more than a page.
  const made = await officer.call('POST', '/api/v1/organisations', { name_zh: '=HYPERLINK("x")协会', kind: 'association' });
  assert.equal(made.status, 201, made.text);
  org = made.json;
  for (let i = 1; i <= 52; i++) {
    const p = await officer.call('PATCH', `/api/v1/organisations/${org.id}`, { members: i }, { 'If-Match': `"v${org.version}"` });
    assert.equal(p.status, 200, p.text);
    org = p.json;
  }
  // The change the page must tell: the newest entry.
  const ent = (await officer.call('GET', '/api/v1/enterprises/3')).json;
  const r = await officer.call('PATCH', '/api/v1/enterprises/3',
    { contacts: [{ ...ent.contacts[0], phone: '02157210001' }] }, { 'If-Match': `"v${ent.version}"` });
  assert.equal(r.status, 200, r.text);
  change = (await admin.call('GET', '/api/v1/audit?entity=enterprise&entity_id=3')).json.items[0];
  assert.equal(change.action, 'update');
}

for (const [lang, viewport] of [['zh', DESKTOP], ['en', PHONE]]) {
  test(`the audit log in ${lang} at ${viewport.width} px: sentences, local times, filters, paging`, async () => {
    await setup();
    const { context, page, check } = await env.newPage(viewport);
    try {
      await signIn(page, 'admin', lang);
      if (viewport === DESKTOP) await clickNav(page, 'audit');
      else await page.goto(`${env.srv.url}/audit`);
      await page.waitForURL(`${env.srv.url}/audit`);
      await page.waitForSelector('[data-testid=audit-entry]');
      // The enterprise's change: a sentence with the display name and the
      // enterprise's name, the local time, the phone from → to.
      const entry = page.locator(`[data-testid=audit-entry][data-id="${change.id}"]`);
      await entry.waitFor();
      const sentence = await entry.locator('[data-testid=audit-sentence]').textContent();
      assert.ok(sentence.includes(officer.user.display_name), sentence);
      const name = lang === 'zh' ? change.after.name_zh : change.after.name_en || change.after.name_zh;
      assert.ok(sentence.includes(name), sentence);
      assert.equal(await entry.locator('[data-testid=audit-time]').textContent(), shown(change.at, lang));
      const diff = await entry.locator('[data-testid=audit-diff]').textContent();
      assert.ok(diff.includes(change.before.contacts[0].phone) && diff.includes('02157210001'), diff);
      // No codes, login names or ISO times on screen.
      const text = await page.locator('[data-testid=audit-list]').textContent();
      assert.doesNotMatch(text, /\d{4}-\d\d-\d\dT\d\d:\d\d/);
      assert.doesNotMatch(text, /\b(officer|admin|set_role|init_demo|contacts)\b/);
      if (lang === 'zh') assert.doesNotMatch(text, /\b(update|create|enterprise|organisation)\b/);
      // Fifty at first, and older ones on demand until all are shown: all
      // that were written when the page loaded (the server's own rounds
      // may add entries since).
      const top = Number(await page.locator('[data-testid=audit-entry]').first().getAttribute('data-id'));
      const all = (await admin.call('GET', '/api/v1/audit?limit=1000')).json.items.filter((a) => a.id <= top);
      assert.ok(all.length > 50, `${all.length} entries`);
      assert.equal(await page.locator('[data-testid=audit-entry]').count(), 50);
      await page.click('#audit-older');
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid=audit-entry]').length === n, all.length);
      assert.equal(await page.locator('#audit-older').isHidden(), true);
      const ids = await page.$$eval('[data-testid=audit-entry]', (els) => els.map((e) => Number(e.dataset.id)));
      assert.deepEqual(ids, all.map((a) => a.id));
      // Filters narrow it as the API does: the officer's changes of
      // enterprises, then the creations, then a day with nothing.
      await page.selectOption('#audit-user', String(officer.user.id));
      await page.selectOption('#audit-entity', 'enterprise');
      await page.waitForURL(/entity=enterprise/);
      await page.waitForFunction(() => document.querySelector('[data-testid=audit-status]').dataset.loading === 'false');
      const mine = (await admin.call('GET', `/api/v1/audit?user_id=${officer.user.id}&entity=enterprise`)).json.items;
      assert.deepEqual(await page.$$eval('[data-testid=audit-entry]', (els) => els.map((e) => Number(e.dataset.id))),
        mine.map((a) => a.id));
      await page.click('#audit-reset');
      await page.selectOption('#audit-action', 'create');
      await page.waitForURL(/action=create/);
      await page.waitForFunction(() => document.querySelector('[data-testid=audit-status]').dataset.loading === 'false');
      const created = await page.locator('[data-testid=audit-sentence]').allTextContents();
      assert.equal(created.length, 1);
      assert.ok(created[0].includes('=HYPERLINK'), created[0]);
      const tomorrow = new Date(Date.now() + 32 * 3600e3).toISOString().slice(0, 10);
      await page.fill('#audit-from', tomorrow);
      await page.dispatchEvent('#audit-from', 'change');
      await page.waitForSelector('[data-testid=empty]');
      assert.equal(await overflow(page), 0, 'no horizontal overflow');
      check();
    } finally {
      await context.close();
    }
  });
}

test('the audit log\'s filters keep what is typed, and the focus, when the people arrive', async () => {
  const { context, page, check } = await env.newPage(DESKTOP);
  try {
    await signIn(page, 'admin');
    await page.waitForURL(`${env.srv.url}/`);
    const people = await holdAnswers(page, 'GET', /^\/api\/v1\/users$/);
    await page.goto(`${env.srv.url}/audit`);
    await people.held();
    await page.waitForSelector('[data-testid=audit-entry]');
    await page.click('#audit-entity-id');
    await page.keyboard.type('12');
    people.release();
    await page.waitForFunction(() => document.querySelectorAll('#audit-user option').length > 2);
    await page.keyboard.type('3');
    assert.equal(await page.inputValue('#audit-entity-id'), '123', 'what was typed is kept, and the focus');
    assert.equal(new URL(page.url()).search, '', 'nothing was sent yet');
    check();
  } finally {
    await context.close();
  }
});

test('a non-admin has no audit menu, and the API refuses', async () => {
  await setup();
  const { context, page, check } = await env.newPage(DESKTOP);
  try {
    await signIn(page, 'officer');
    assert.equal(await page.locator('a[data-nav=audit]').count(), 0);
    await page.goto(`${env.srv.url}/audit`);
    await page.waitForSelector('[data-testid=audit-forbidden]');
    assert.equal((await officer.call('GET', '/api/v1/audit')).status, 403);
    const district = await login(env.srv.url, 'admin.jinshan');
    assert.equal((await district.call('GET', '/api/v1/audit')).status, 403);
    check();
  } finally {
    await context.close();
  }
});

for (const [lang, viewport] of [['zh', DESKTOP], ['en', PHONE]]) {
  test(`an officer creates and edits an organisation in ${lang} at ${viewport.width} px`, async () => {
    await setup();
    const { context, page, check } = await env.newPage(viewport);
    const name = `测试联合会${lang}`;
    try {
      await signIn(page, 'officer', lang);
      await page.goto(`${env.srv.url}/organisations`);
      await page.click('#org-new');
      await page.waitForSelector('#org-form');
      await page.fill('#org-f-name_zh', name);
      await page.selectOption('#org-f-kind', 'trade_union');
      await page.fill('#org-f-website', 'ftp://union.example.cn');
      await page.fill('#org-f-members', '40');
      assert.equal(await overflow(page), 0, 'the form fits');
      await page.click('#org-save');
      // The server's 422 at the field it names.
      const err = page.locator('[data-field=website] .field-error');
      await err.waitFor();
      assert.match(await err.textContent(), /^website:/);
      assert.equal(await page.getAttribute('#org-f-website', 'aria-invalid'), 'true');
      await page.fill('#org-f-website', 'https://union.example.cn');
      await page.click('#org-save');
      await page.waitForSelector('[data-testid=org-message]');
      const list = (await officer.call('GET', '/api/v1/organisations?kind=trade_union')).json.items;
      const made = list.find((o) => o.name_zh === name);
      assert.ok(made, 'created');
      assert.equal(made.members, 40);
      assert.equal(made.website, 'https://union.example.cn');
      assert.equal(await page.locator(`[data-testid=org-node][data-id="${made.id}"]`).count(), 1, 'in the tree');
      // An edit sends the change with its version.
      await page.click('#org-edit');
      await page.fill('#org-f-members', '41');
      await page.fill('#org-f-phone', '02157211234');
      await page.click('#org-save');
      await page.waitForSelector('[data-testid=org-message]');
      const after = (await officer.call('GET', `/api/v1/organisations/${made.id}`)).json;
      assert.equal(after.members, 41);
      assert.equal(after.phone, '02157211234');
      assert.equal(after.version, made.version + 1);
      // Someone else changes it while the form is open: the 412 message,
      // and a reload brings the other change in.
      await page.click('#org-edit');
      await page.fill('#org-f-members', '42');
      const other = await officer.call('PATCH', `/api/v1/organisations/${made.id}`, { description: '他人修改' }, { 'If-Match': `"v${after.version}"` });
      assert.equal(other.status, 200, other.text);
      await page.click('#org-save');
      await page.waitForSelector('[data-testid=org-stale]');
      assert.equal((await officer.call('GET', `/api/v1/organisations/${made.id}`)).json.members, 41, 'nothing written');
      await page.click('#org-reload');
      await page.waitForFunction(() => document.querySelector('#org-f-description')?.value === '他人修改');
      assert.equal(await page.inputValue('#org-f-members'), '41');
      assert.equal(await overflow(page), 0, 'no horizontal overflow');
      check();
    } finally {
      await context.close();
    }
  });
}

test('a grid worker reads the organisations but is offered no upkeep', async () => {
  await setup();
  const { context, page, check } = await env.newPage(DESKTOP);
  try {
    await signIn(page, 'grid');
    await page.goto(`${env.srv.url}/organisations`);
    await page.waitForSelector('[data-testid=org-tree]');
    assert.equal(await page.locator('#org-new').count(), 0);
    await page.locator('[data-testid=org-pick]').first().click();
    await page.waitForSelector('[data-testid=org-panel]');
    assert.equal(await page.locator('#org-edit').count(), 0);
    check();
  } finally {
    await context.close();
  }
});

for (const [lang, viewport] of [['zh', DESKTOP], ['en', PHONE]]) {
  test(`"Export CSV" of a filtered list in ${lang} at ${viewport.width} px: every row, as shown`, async () => {
    await setup();
    const { context, page, check } = await env.newPage(viewport);
    try {
      await signIn(page, 'officer', lang);
      await page.goto(`${env.srv.url}/enterprises?stage=upstream&located=all`);
      await page.waitForSelector('[data-testid=enterprise-row]');
      let all = [];
      for (let cursor = null; ;) {
        const r = (await officer.call('GET', `/api/v1/enterprises?stage=upstream&located=all&limit=7${cursor ? `&cursor=${cursor}` : ''}`)).json;
        all = all.concat(r.items);
        if (!r.next) break;
        cursor = encodeURIComponent(r.next);
      }
      const file = await download(page, '#export-csv');
      assert.match(file.name, /^enterprises-\d{8}-\d{4}\.csv$/);
      assert.deepEqual([...file.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte-order mark');
      const [head, ...rows] = file.rows;
      assert.equal(head[0], lang === 'zh' ? '企业名称' : 'Name');
      assert.equal(rows.length, all.length);
      // The rows are the list's, labels rather than codes.
      const names = await page.$$eval('[data-testid=enterprise-link]', (els) => els.map((e) => e.textContent));
      assert.deepEqual(rows.slice(0, names.length).map((r) => r[0]), names);
      const stage = head.indexOf(lang === 'zh' ? '产业链环节' : 'Stage');
      assert.ok(rows.every((r) => r[stage] === (lang === 'zh' ? '上游' : 'Upstream')), 'the stage as a label');
      assert.match(await page.textContent('[data-testid=export-note]'), new RegExp(String(all.length)));
      // The organisations: a name that looks like a formula stays text.
      await page.goto(`${env.srv.url}/organisations`);
      await page.waitForSelector('[data-testid=org-tree]');
      const orgs = await download(page, '#export-csv');
      const listed = (await officer.call('GET', '/api/v1/organisations')).json.items;
      assert.equal(orgs.rows.length - 1, listed.length);
      assert.ok(orgs.rows.some((r) => r[0] === `'${org.name_zh}`), 'a leading quote');
      assert.ok(orgs.bytes.toString('utf8').includes('"\'=HYPERLINK(""x"")协会"'), 'quoted as RFC 4180 says');
      // Beyond the cap nothing is saved, and the message says why.
      const capped = await page.evaluate(async () => {
        const m = await import('/export.js');
        return m.fetchAll({ path: '/enterprises', query: { located: 'all' }, limit: 3, cap: 5 });
      });
      assert.equal(capped.truncated, true);
      assert.equal(capped.items.length, 5);
      assert.equal(await overflow(page), 0, 'no horizontal overflow');
      check();
    } finally {
      await context.close();
    }
  });
}

test('the audit log exports its filtered entries as sentences', async () => {
  await setup();
  const { context, page, check } = await env.newPage(DESKTOP);
  try {
    await signIn(page, 'admin');
    await page.goto(`${env.srv.url}/audit?entity=enterprise`);
    await page.waitForSelector('[data-testid=audit-entry]');
    const file = await download(page, '#export-csv');
    const items = (await admin.call('GET', '/api/v1/audit?entity=enterprise&limit=1000')).json.items;
    const [head, ...rows] = file.rows;
    assert.deepEqual(head.slice(0, 2), ['时间', '操作人']);
    assert.equal(rows.length, items.length);
    assert.equal(rows[0][0], shown(items[0].at, 'zh'));
    const sentences = await page.locator('[data-testid=audit-sentence]').allTextContents();
    assert.deepEqual(rows.map((r) => r[5]), sentences);
    check();
  } finally {
    await context.close();
  }
});
