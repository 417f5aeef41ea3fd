// The policy questions on the visit form, in a real browser: a grid
// worker on a phone sees the facts her enterprise's measures wait on
// (as GET /enterprises/{id}/questions lists them), records the quarters
// asked for and a blank registry field in the same visit, and the
// questions answered are gone; a bad figure is marked beside its input;
// a planned visit lists the questions without inputs.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/visit-questions.test.mjs
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

const ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function uscc(n) {
  const body = String(63000000 + (process.pid % 5000) * 173 + n * 4099).slice(-8);
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const c9 = 11 - ([...body].reduce((s, c, k) => s + Number(c) * w[k], 0) % 11);
  const s17 = `91310116${body}${c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9)}`;
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...s17].reduce((s, c, k) => s + ALPHA.indexOf(c) * W[k], 0);
  return s17 + ALPHA[(31 - (sum % 31)) % 31];
}

async function openForm(page, id) {
  await page.goto(`${env.srv.url}/enterprises/${id}/visit`);
  await page.waitForSelector('#visit-form');
}

test('a grid worker answers the questions of the policy measures on the visit form', async () => {
  const { context, page, check } = await env.newPage({ width: 390, height: 844 });
  const api = await login(env.srv.url, 'grid');
  const officer = await login(env.srv.url, 'officer');
  try {
    const grids = (await api.call('GET', '/api/v1/grids')).json.items;
    const w1 = grids.find((g) => g.code === 'ZY-W1');
    const ent = (await api.call('GET', `/api/v1/grids/${w1.id}`)).json.enterprises[1];
    const id = ent.id;
    const asked = (await api.call('GET', `/api/v1/enterprises/${id}/questions`)).json;
    assert.ok(asked.count > 0, 'the demo leaves some measure unknown for it');
    const rev = asked.items.find((q) => q.kind === 'indicator');
    assert.ok(rev && rev.collect.length, JSON.stringify(asked));

    await signIn(page, 'grid');
    await openForm(page, id);
    const section = page.locator('[data-section=questions]');
    await section.waitFor();
    assert.equal(await page.locator('[data-testid=question]').count(), asked.count);
    for (const q of asked.items) {
      const item = page.locator(`[data-testid=question][data-fact="${q.fact}"]`);
      const text = await item.textContent();
      assert.ok(text.includes(q.label_zh), `${q.fact}: its label`);
      for (const p of q.policies) assert.ok(text.includes(p.title_zh), `${q.fact}: waits for ${p.title_zh}`);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px too wide)`);

    // A planned visit lists them without inputs.
    await page.check('#f-status-planned');
    assert.equal(await section.locator('input, select').count(), 0, 'nothing to fill on a planned visit');
    await page.check('#f-status-done');

    // A negative figure: the server's refusal sits beside its input.
    const inputs = rev.collect.map((p) => `[name="q.${rev.field}@${p}"]`);
    for (const sel of inputs) await page.fill(sel, '-5');
    await page.click('#visit-save');
    const err = page.locator('.field-error[data-field$="].' + rev.field + '"]').first();
    await err.waitFor({ state: 'visible' });
    assert.ok(await page.evaluate(({ sel }) => {
      const input = document.querySelector(sel);
      return input.getAttribute('aria-invalid') === 'true' && Boolean(input.closest('.field').querySelector('.field-error'));
    }, { sel: inputs[0] }), 'the first quarter is marked, with the message beside it');
    assert.equal(new URL(page.url()).pathname, `/enterprises/${id}/visit`, 'the form stays open');

    // The figures asked for, sent as one object per quarter.
    for (const [k, sel] of inputs.entries()) await page.fill(sel, String(1000 + k));
    const [post] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/visits')),
      page.click('#visit-save'),
    ]);
    const sent = JSON.parse(post.postData());
    const periods = [].concat(sent.indicators).map((o) => o.period);
    assert.deepEqual(periods.sort(), [...rev.collect].sort());
    for (const o of [].concat(sent.indicators)) assert.equal(o[rev.field], 1000 + rev.collect.indexOf(o.period));
    await page.waitForURL(`${env.srv.url}/enterprises/${id}`);
    const items = (await api.call('GET', `/api/v1/enterprises/${id}/indicators`)).json.items;
    for (const p of rev.collect) assert.equal(items.find((it) => it.period === p)[rev.field], 1000 + rev.collect.indexOf(p));
    const left = (await api.call('GET', `/api/v1/enterprises/${id}/questions`)).json.items;
    assert.ok(!left.some((q) => q.fact === rev.fact), 'the question answered is gone');
    await openForm(page, id);
    await page.waitForFunction(() => document.querySelector('[data-section=questions]') || document.querySelector('#visit-save'));
    assert.equal(await page.locator(`[data-testid=question][data-fact="${rev.fact}"]`).count(), 0, 'and gone from the form');

    // A new enterprise of her grid, registered without a size: the form
    // asks for it, and the visit fills the blank.
    const made = await officer.call('POST', '/api/v1/enterprises', {
      uscc: uscc(1), name_zh: '走访问卷测试企业', industry: '3831', lon: ent.lon, lat: ent.lat, jurisdiction: '310116103',
    });
    assert.equal(made.status, 201, made.text);
    await openForm(page, made.json.id);
    const size = page.locator('select[name="q.registry.size"]');
    await size.waitFor();
    await size.selectOption('small');
    await page.fill('input[name="q.registry.founded"]', '2017-03-15');
    await page.click('#visit-save');
    await page.waitForURL(`${env.srv.url}/enterprises/${made.json.id}`);
    const rec = (await api.call('GET', `/api/v1/enterprises/${made.json.id}`)).json;
    assert.equal(rec.size, 'small');
    assert.equal(rec.founded, '2017-03-15');
    const after = (await api.call('GET', `/api/v1/enterprises/${made.json.id}/questions`)).json.items.map((q) => q.fact);
    assert.ok(!after.includes('size') && !after.includes('founded'), after.join());
    check();
  } finally {
    await context.close();
  }
});

test('the questions in English, and none for a caller who may not read them', async () => {
  const { context, page, check } = await env.newPage();
  try {
    const api = await login(env.srv.url, 'officer');
    const asked = (await api.call('GET', '/api/v1/enterprises/1/questions')).json;
    await signIn(page, 'officer');
    await page.evaluate(() => localStorage.setItem('qunyan.lang', 'en'));
    await openForm(page, 1);
    await page.locator('[data-section=questions]').waitFor();
    const text = await page.textContent('[data-section=questions]');
    for (const q of asked.items) assert.ok(text.includes(q.label_en), q.label_en);

    // A worker of other grids gets no questions (the server says 403 to
    // them) and the form without the section.
    const other = await login(env.srv.url, 'grid2');
    assert.equal((await other.call('GET', '/api/v1/enterprises/1/questions')).status, 403);
    await context.clearCookies();
    await signIn(page, 'grid2');
    await openForm(page, 1);
    await page.waitForSelector('#visit-save');
    assert.equal(await page.locator('[data-section=questions]').count(), 0);
    check();
  } finally {
    await context.close();
  }
});
