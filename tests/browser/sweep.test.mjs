// Every page of the console as each role finds it, in both languages, at
// 1366 px and at 360 px. For every role (and a visitor not signed in) the
// sweep opens each page its menus offer, then one detail page of each kind
// linked from them (an enterprise, a case, a grid, a cluster's chain, a
// service, a policy, an event, a suggestion; the cases' rankings and the
// organisations' coverage), and reads what a person
// sees (document.body.innerText, without code and pre blocks, which show
// keys and formulas as they are typed). On none of them may there be:
// - a code of the API's vocabulary (a snake_case word such as in_progress,
//   not_grid_worker or grid_worker) or a label's key (case.state.x),
// - an ISO timestamp (2024-07-01T08:00),
// - a demo user's login name where a person is meant,
// - in English, "1 leads": a count with the wrong plural,
// - a page wider than the window,
// - in English, the Chinese name of an enterprise or a place that has an
//   English one, shown as the name (the other language's name, marked
//   lang="zh-CN", may stand beside it).
// The case timeline ([data-testid=timeline]) is left out of the text: its
// rendering is being rewritten on its own and has its own tests.
//
// The labels themselves are checked once: the Chinese ones space Chinese
// from Latin letters and digits, the English ones with a count choose the
// plural form by it.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/sweep.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { login, PASSWORD } from '../lib/server.mjs';
import { useBrowser } from './browser.mjs';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const env = useBrowser();
const WIDE = { width: 1366, height: 900 };
const NARROW = { width: 360, height: 740 };

const ROLES = [
  ['anonymous', null],
  ['admin', 'admin'],
  ['officer', 'officer'],
  ['secretary', 'secretary'],
  ['grid_worker', 'grid'],
  ['handler', 'handler'],
  ['enterprise', 'qifan'],
];

// The detail pages one click away from the menus' pages.
const DETAILS = [
  ['enterprise', /^\/enterprises\/\d+$/],
  ['case', /^\/cases\/\d+$/],
  ['grid', /^\/grids\/\d+$/],
  ['chain', /^\/clusters\/\d+\/chain$/],
  ['service', /^\/services\/\d+$/],
  ['policy', /^\/policies\/\d+$/],
  ['event', /^\/events\/\d+$/],
  ['suggestion', /^\/suggestions\/\d+$/],
  // and the pages the lists lead to beside their records
  ['rankings', /^\/cases\/rankings$/],
  ['coverage', /^\/coverage$/],
];

// Counts every fetch the console makes, so that a page is read once its
// answers have arrived and been drawn.
function countFetches() {
  window.__qyInflight = 0;
  window.__qyLast = 0;
  const fetch0 = window.fetch;
  window.fetch = (...args) => {
    window.__qyInflight += 1;
    return fetch0(...args).finally(() => {
      window.__qyInflight -= 1;
      window.__qyLast = performance.now();
    });
  };
}

// -> null once the page is drawn, else what keeps it from being so.
async function settle(page) {
  try {
    await page.waitForFunction(() => {
      if (!document.body.classList.contains('ready') || window.__qyInflight > 0) return false;
      if (performance.now() - window.__qyLast < 60) return false;
      return ![...document.querySelectorAll('.loading')].some((e) => e.getClientRects().length);
    }, null, { polling: 30, timeout: 8000 });
    return null;
  } catch (e) {
    const why = await page.evaluate(() => ({
      inflight: window.__qyInflight,
      loading: [...document.querySelectorAll('.loading')].filter((x) => x.getClientRects().length).map((x) => x.outerHTML.slice(0, 200)),
    }));
    return `still loading after 8 s (${JSON.stringify(why)})`;
  }
}

// What the page shows: its text without code and pre blocks, the case
// timeline, and login names where a login name is what is shown (the
// users' page, marked data-login); and the elements whose text is a
// record's name, with whether they sit inside a part marked Chinese.
function readPage() {
  const skip = [...document.querySelectorAll('code, pre, [data-testid=timeline], [data-login]')];
  const saved = skip.map((e) => e.style.display);
  for (const e of skip) e.style.display = 'none';
  const text = document.body.innerText;
  skip.forEach((e, i) => { e.style.display = saved[i]; });
  const names = [];
  for (const e of document.body.querySelectorAll('*')) {
    if (e.closest('code, pre, [data-testid=timeline]') || !e.getClientRects().length) continue;
    if (e.children.length && e.tagName !== 'OPTION') continue;
    const s = e.textContent.trim();
    if (s && /\p{Script=Han}/u.test(s) && s.length <= 60) {
      names.push({ text: s, zh: Boolean(e.closest('[lang^=zh]')) });
    }
  }
  // An English sentence of the console's with a name put in: the Chinese
  // runs of text that also has Latin letters ("Reference region: 上海市").
  const runs = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const s = n.textContent;
    const e = n.parentElement;
    if (!/[A-Za-z]/.test(s) || !/\p{Script=Han}/u.test(s)) continue;
    if (e.closest('[lang^=zh], code, pre, [data-testid=timeline], script, style') || !e.getClientRects().length) continue;
    for (const m of s.matchAll(/\p{Script=Han}+/gu)) runs.push({ run: m[0], text: s.trim().slice(0, 100) });
  }
  for (const o of document.querySelectorAll('select option')) {
    const s = o.textContent.trim();
    if (/\p{Script=Han}/u.test(s)) names.push({ text: s, zh: Boolean(o.closest('[lang^=zh]')) });
  }
  // In English, the console's own words: the bar's links, labels, buttons,
  // table heads, terms; Chinese there is a label left untranslated.
  const chrome = [];
  for (const e of document.querySelectorAll('.topbar a, th, label, button, legend, dt')) {
    if (e.closest('[lang^=zh], code, pre, [data-testid=timeline]') || !e.getClientRects().length) continue;
    const own = [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
    if (/\p{Script=Han}/u.test(own)) chrome.push(`<${e.tagName.toLowerCase()}${e.className ? ` class="${e.className}"` : ''}>${own.slice(0, 60)}`);
  }
  const errors = [...document.querySelectorAll('.alert-error, [role=alert]')]
    .filter((e) => e.getClientRects().length && e.textContent.trim()).map((e) => e.textContent.trim().slice(0, 120));
  return {
    text,
    names,
    runs,
    chrome,
    errors,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    lang: document.documentElement.lang,
  };
}

const SNAKE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g;
const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d/g;
const LABEL_KEY = /\b([a-z]+)\.[a-z][a-z0-9_]*(?:\.[a-z0-9_-]+)*\b/g;
// "1 leads": a one followed by a plural noun (not "1 of 3 leads", nor a
// verb that ends in s).
const ONE_PLURAL = /(?<![\d.,:/-])\b1 (?:(?:new|open|more|other|active|registered) )?([a-z]+s)\b/g;
const NOT_NOUNS = new Set(['is', 'was', 'has', 'does', 'its', 'this', 'as', 'us', 'plus', 'yes', 'status', 'campus']);

function snippet(text, index, length) {
  return text.slice(Math.max(0, index - 30), index + length + 30).replace(/\s+/g, ' ');
}

function findings(where, page, known) {
  const out = [];
  const { text } = page;
  const add = (kind, m) => out.push(`${where}: ${kind} "${m[0]}" in …${snippet(text, m.index, m[0].length)}…`);
  for (const m of text.matchAll(SNAKE)) add('code', m);
  for (const m of text.matchAll(ISO)) add('ISO time', m);
  for (const m of text.matchAll(LABEL_KEY)) if (known.keyPrefixes.has(m[1])) add('label key', m);
  for (const m of text.matchAll(known.logins[page.lang === 'en' ? 'en' : 'zh'])) add('login name', m);
  if (page.lang === 'en') {
    for (const m of text.matchAll(ONE_PLURAL)) {
      if (!NOT_NOUNS.has(m[1]) && !m[1].endsWith('ss')) add('plural', m);
    }
    for (const c of page.chrome) out.push(`${where}: untranslated ${c}`);
    for (const r of page.runs) {
      if (known.names.has(r.run)) out.push(`${where}: Chinese name "${r.run}" in "${r.text}"`);
    }
    const seen = new Set();
    for (const n of page.names) {
      const en = known.names.get(n.text);
      if (en && !n.zh && !seen.has(n.text)) {
        seen.add(n.text);
        out.push(`${where}: Chinese name "${n.text}" shown for "${en}"`);
      }
    }
  }
  for (const e of page.errors) out.push(`${where}: error shown: ${e}`);
  if (page.overflow > 0) out.push(`${where}: ${page.overflow} px wider than the window`);
  return out;
}

// The names with an English form, and the login names of the demo users.
async function knownNames(url) {
  const admin = await login(url, 'admin');
  const names = new Map();
  const add = (zh, en) => { if (zh && en && zh !== en) names.set(zh, en); };
  for (let after = 0; ;) {
    const r = (await admin.call('GET', `/api/v1/enterprises?limit=200${after ? `&cursor=${after}` : ''}`)).json;
    for (const e of r.items) add(e.name_zh, e.name_en);
    after = r.next;
    if (!after || !r.items.length) break;
  }
  for (const path of ['/api/v1/jurisdictions', '/api/v1/grids', '/api/v1/clusters']) {
    for (const x of (await admin.call('GET', path)).json.items) add(x.name_zh, x.name_en);
  }
  for (const d of (await admin.call('GET', '/api/v1/departments')).json.items) add(d.name, d.name_en);
  const users = (await admin.call('GET', '/api/v1/users')).json.items.map((u) => u.username);
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // A login name as a word of its own, not part of a longer word or an
  // address. In English pages only those that are no English word: "the
  // officer" may well be meant; the Chinese pages catch the others.
  const words = (list) => new RegExp(`(?<![\\w.@/-])(?:${list.map(esc).join('|')})(?![\\w@/-]|\\.\\w)`, 'g');
  const english = new Set(['admin', 'officer', 'secretary', 'grid', 'handler']);
  return { names, logins: { zh: words(users), en: words(users.filter((u) => !english.has(u))) } };
}

const variants = (first) => (first === 'zh'
  ? [['zh', WIDE], ['zh', NARROW], ['en', NARROW], ['en', WIDE]]
  : [['en', WIDE], ['en', NARROW], ['zh', NARROW], ['zh', WIDE]]);

// Opens the path inside the console (as its own links do) and reads it in
// the four variants; returns the findings and the page's links.
async function sweepPath(page, path, state, known, role) {
  await page.evaluate((p) => {
    history.pushState(null, '', p);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  const out = [];
  const stuck = await settle(page);
  if (stuck) out.push(`${role} ${path}: ${stuck}`);
  for (const [lang, viewport] of variants(state.lang)) {
    if (lang !== state.lang) {
      await page.click('#lang-switch');
      await page.waitForFunction((l) => document.documentElement.lang === l, lang === 'zh' ? 'zh-CN' : 'en');
      state.lang = lang;
      const again = await settle(page);
      if (again && !stuck) out.push(`${role} ${lang} ${path}: ${again}`);
    }
    if (viewport !== state.viewport) {
      await page.setViewportSize(viewport);
      state.viewport = viewport;
      await page.waitForFunction((w) => window.innerWidth === w, viewport.width);
    }
    out.push(...findings(`${role} ${lang} ${viewport.width}px ${path}`, await page.evaluate(readPage), known));
  }
  const links = await page.evaluate(() => [...document.querySelectorAll('main a[href]')]
    .map((a) => new URL(a.href, location.href)).filter((u) => u.origin === location.origin).map((u) => u.pathname));
  return { out, links };
}

async function sweepRole(role, username, known) {
  const context = await env.browser.newContext({ viewport: WIDE, locale: 'zh-CN' });
  context.setDefaultTimeout(15000);
  await context.addInitScript(countFetches);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`${role}: page error: ${e.message}`));
  try {
    if (username) {
      const r = await context.request.post(`${env.srv.url}/api/v1/session`,
        { data: { username, password: PASSWORD } });
      assert.equal(r.status(), 200, `${username} signs in`);
    }
    await page.goto(`${env.srv.url}/`);
    assert.equal(await settle(page), null);
    // Every page the menus offer: the bar's links, in groups or not, and
    // the jurisdictions' row.
    const menu = await page.evaluate(() => [...new Set([...document.querySelectorAll('header a[data-nav]')]
      .map((a) => new URL(a.href).pathname))]);
    assert.ok(menu.length >= 4, `${role} has a menu (${menu})`);
    const state = { lang: 'zh', viewport: WIDE };
    const found = new Map();
    const out = [];
    for (const path of menu) {
      const r = await sweepPath(page, path, state, known, role);
      out.push(...r.out);
      for (const l of r.links) {
        for (const [kind, re] of DETAILS) if (!found.has(kind) && re.test(l)) found.set(kind, { path: l, from: path });
      }
    }
    for (const [kind] of DETAILS) {
      if (!found.has(kind)) continue;
      const { path, from } = found.get(kind);
      out.push(...(await sweepPath(page, path, state, known, `${role} (from ${from})`)).out);
    }
    return { out: [...out, ...problems], menu, details: [...found.keys()] };
  } finally {
    await context.close();
  }
}

// The console's labels in both languages, as the browser has them once
// every module has added its own.
let labelsCache = null;
// The console's modules by their paths on the server (web/ is served
// at /).
function consoleModules() {
  const web = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
  return readdirSync(web, { recursive: true }).filter((f) => f.endsWith('.js')).map((f) => `/${f}`);
}

async function labels() {
  if (labelsCache) return labelsCache;
  const context = await env.browser.newContext({ viewport: WIDE });
  try {
    const page = await context.newPage();
    await page.goto(`${env.srv.url}/`);
    await page.waitForSelector('body.ready');
    // Every module of the console, so that the labels the pages add
    // when they are loaded are all there.
    labelsCache = await page.evaluate(async (modules) => {
      await Promise.all(modules.map((f) => import(f)));
      const m = await import('/i18n.js');
      return { zh: { ...m.messages('zh-CN') }, en: { ...m.messages('en') } };
    }, consoleModules());
  } finally {
    await context.close();
  }
  return labelsCache;
}

test('every page of every role reads right in both languages at both widths', async () => {
  const known = await knownNames(env.srv.url);
  const { zh } = await labels();
  known.keyPrefixes = new Set(Object.keys(zh).map((k) => k.split('.')[0]));
  const t0 = Date.now();
  // Two roles at a time: the machine's cores are shared with the server.
  const results = new Map();
  const queue = [...ROLES];
  const worker = async () => {
    while (queue.length) {
      const [role, username] = queue.shift();
      results.set(role, await sweepRole(role, username, known));
    }
  };
  await Promise.all([worker(), worker()]);
  const all = [];
  for (const [role] of ROLES) {
    const r = results.get(role);
    console.log(`# ${role}: ${r.menu.length} menu pages, details: ${r.details.join(' ')}`);
    all.push(...r.out);
  }
  console.log(`# swept in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  assert.deepEqual([...new Set(all)], []);
  // Every kind of detail page was reached by some role.
  const reached = new Set([...results.values()].flatMap((r) => r.details));
  assert.deepEqual([...reached].sort(), DETAILS.map(([k]) => k).sort());
});

// Placeholders that stand for a number: Chinese puts a space between them
// and the characters around them, as between characters and digits.
const NUMERIC = new Set(['n', 'count', 'total', 'done', 'of', 'p', 'd', 'k', 'b', 'c', 'e', 'o', 'l', 'x', 's',
  'shown', 'size', 'gaps', 'open', 'max', 'cap', 'days', 'nearly', 'unknown', 'year', 'amount', 'hours']);

test('the Chinese labels space Chinese from Latin letters, digits and numbers', async () => {
  const { zh } = await labels();
  const han = '\\p{Script=Han}';
  const touching = new RegExp(`${han}[A-Za-z0-9]|[A-Za-z0-9]${han}`, 'u');
  const numberTouching = new RegExp(`${han}\\{(\\w+)\\}|\\{(\\w+)\\}${han}`, 'gu');
  const bad = [];
  for (const [key, s] of Object.entries(zh)) {
    if (touching.test(s)) bad.push(`${key}: ${s}`);
    for (const m of s.matchAll(numberTouching)) if (NUMERIC.has(m[1] || m[2])) bad.push(`${key}: ${s}`);
  }
  assert.deepEqual([...new Set(bad)], []);
});

test('the English labels with a count choose its plural form', async () => {
  const { en } = await labels();
  // A number's placeholder followed by a plural noun, maybe after an
  // adjective: "{n} leads", "{n} open cases", "{total} milestones".
  const re = /\{(\w+)\}\)?\s+(?:([a-z-]+)\s+)?([a-z]+s)\b/g;
  const verbs = new Set(['is', 'was', 'has', 'does', 'its', 'this', 'as', 'us', 'makes', 'buys', 'lies', 'qualifies',
    'goes', 'takes', 'needs', 'asks', 'names', 'applies', 'covers', 'holds', 'shows', 'reads', 'becomes']);
  const bad = [];
  // The forms inside {n|one|other} are chosen by the count already.
  const forms = /\{\w+\|(?:[^|{}]|\{\w+\})*\|(?:[^|{}]|\{\w+\})*\}/g;
  for (const [key, s] of Object.entries(en)) {
    for (const m of s.replace(forms, '·').matchAll(re)) {
      if (!NUMERIC.has(m[1]) || verbs.has(m[3]) || m[3].endsWith('ss') || (m[2] && verbs.has(m[2]))) continue;
      bad.push(`${key}: ${s}`);
    }
  }
  assert.deepEqual([...new Set(bad)], []);
  // And the form is chosen: t() with {n|one|other}.
  const page = await (await env.browser.newContext()).newPage();
  try {
    await page.goto(`${env.srv.url}/`);
    await page.waitForSelector('body.ready');
    const forms = await page.evaluate(async () => {
      const m = await import('/i18n.js');
      m.setLang('en');
      const r = [0, 1, 2].map((n) => m.t('list.shown.all', { n }));
      m.setLang('zh-CN');
      return [...r, m.t('list.shown.all', { n: 1 })];
    });
    assert.deepEqual(forms, ['0 enterprises', '1 enterprise', '2 enterprises', '共 1 家企业']);
  } finally {
    await page.context().close();
  }
});
