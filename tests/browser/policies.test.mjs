// Policy measures in a real browser, each screen read against what the
// API answers on its own: the list with its filters and eligible counts;
// the editor checking a rule as it is typed (an error marked at its line
// and column, then the count of enterprises a good rule matches), saving
// a new measure and changing it with If-Match; Qifan Cable's page with
// the measures it qualifies for (amounts), nearly qualifies for (the gap)
// and lacks data for (the facts missing), where its contact applies;
// an officer approving an application in the inbox; and a batch of
// automatic grants confirmed with a line taken out.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/policies.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { login, PASSWORD } from '../lib/server.mjs';
import { useBrowser, clickNav } from './browser.mjs';

const env = useBrowser();

async function signIn(page, username) {
  await page.goto(`${env.srv.url}/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#current-user', { state: 'attached' });
}
async function get(client, path) {
  const r = await client.call('GET', `/api/v1${path}`);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.json;
}
const ids = (page, sel, attr = 'data-id') => page.locator(sel).evaluateAll((els, a) => els.map((e) => Number(e.getAttribute(a))), attr);
// The quoted line of a rule's error: what precedes the mark is the line
// up to the error's column, the mark the character there (nothing past
// the line's end).
async function markedAt(page, rule, at) {
  const where = await page.locator('[data-testid=rule-error-where]').evaluate((pre) => {
    const mark = pre.querySelector('mark');
    const before = [...pre.childNodes].slice(0, [...pre.childNodes].indexOf(mark)).map((n) => n.textContent).join('');
    return { before, mark: mark.textContent };
  });
  const line = [...rule.split('\n')[at.line - 1]];
  assert.equal(where.before, `${at.line} │ ${line.slice(0, at.column - 1).join('')}`);
  assert.equal(where.mark.trim(), line[at.column - 1] || '');
}
// Typed into a checked textarea: the answer shown is the one to the
// whole text once no check is under way (an answer to older text is
// dropped, and a check is pending from each key until then).
async function typeRule(page, sel, text) {
  await page.fill(sel, '');
  await page.locator(sel).pressSequentially(text, { delay: 5 });
  await page.waitForFunction((id) => {
    const c = document.getElementById(`${id}-check`);
    return c && !c.classList.contains('is-busy') && c.children.length > 0;
  }, sel.slice(1));
}
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test('the list of measures: filters and eligible counts as the API gives them', async () => {
  const { context, page, check } = await env.newPage();
  const officer = await login(env.srv.url, 'officer');
  try {
    const all = (await get(officer, '/policies')).items;
    await signIn(page, 'officer');
    assert.equal((await page.textContent('[data-nav=policies]')).trim(), '惠企政策');
    await clickNav(page, 'policies');
    await page.waitForURL(`${env.srv.url}/policies`);
    await page.waitForSelector('[data-testid=policy-row]');
    assert.deepEqual(await ids(page, '[data-testid=policy-row]'), all.map((p) => p.id));
    assert.ok(await overflow(page) <= 0, 'the bar and the list fit 1280 px');
    // Every eligible count is the length of the measure's eligible list.
    for (const p of all) {
      const n = (await get(officer, `/policies/${p.id}/eligible`)).count;
      await page.waitForFunction(([id, want]) => {
        const a = document.querySelector(`[data-testid=policy-row][data-id="${id}"] [data-testid=eligible-count]`);
        return a && a.textContent.replace(/\D/g, '') === String(want);
      }, [p.id, n]);
    }
    // Filtered by mode, then by category too.
    await page.selectOption('#pol-mode', 'automatic');
    await page.waitForURL(/mode=automatic/);
    const auto = (await get(officer, '/policies?mode=automatic')).items.map((p) => p.id);
    assert.ok(auto.length >= 1);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=policy-row]').length === n, auto.length);
    assert.deepEqual(await ids(page, '[data-testid=policy-row]'), auto);
    await page.selectOption('#pol-mode', '');
    await page.selectOption('#pol-category', 'financing');
    const fin = (await get(officer, '/policies?category=financing')).items.map((p) => p.id);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=policy-row]').length === n
      && [...document.querySelectorAll('[data-testid=policy-row]')].every((r) => r.dataset.category === 'financing'), fin.length);
    assert.deepEqual(await ids(page, '[data-testid=policy-row]'), fin);
    check();
  } finally {
    await context.close();
  }
});

test('the editor checks the rule as it is typed, saves a measure and changes it with If-Match', async () => {
  const { context, page, check } = await env.newPage();
  const officer = await login(env.srv.url, 'officer');
  try {
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/policies`);
    await page.click('#policy-new');
    await page.waitForSelector('#policy-form');
    // A rule that stops too soon, typed key by key.
    const bad = 'employees >= 100 and\n  revenue(2024) >=';
    const badAnswer = (await officer.call('POST', '/api/v1/policies/check', { rule: bad })).json;
    assert.equal(badAnswer.valid, false);
    const [want] = badAnswer.errors;
    await typeRule(page, '#pol-rule', bad);
    const err = page.locator('[data-testid=rule-error]');
    assert.equal(Number(await err.getAttribute('data-line')), want.line);
    assert.equal(Number(await err.getAttribute('data-column')), want.column);
    assert.equal(await page.getAttribute('#pol-rule', 'aria-invalid'), 'true');
    const text = await err.textContent();
    assert.ok(text.includes(`第 ${want.line} 行第 ${want.column} 列`), text);
    assert.ok(text.includes(want.expected), 'the server says what was expected');
    // The mark stands at that column of that line.
    await markedAt(page, bad, want);
    // A type error names its place too: a size compared with a number.
    await typeRule(page, '#pol-rule', 'in_park and size = 3');
    const typeAnswer = (await officer.call('POST', '/api/v1/policies/check', { rule: 'in_park and size = 3' })).json.errors[0];
    assert.equal(Number(await err.getAttribute('data-line')), typeAnswer.line);
    assert.equal(Number(await err.getAttribute('data-column')), typeAnswer.column);
    await markedAt(page, 'in_park and size = 3', typeAnswer);
    // A good rule: how many enterprises it matches, as the API counts them.
    const good = 'in_park and employees >= 100\n  and status = active';
    await typeRule(page, '#pol-rule', good);
    const goodAnswer = (await officer.call('POST', '/api/v1/policies/check', { rule: good })).json;
    assert.equal(goodAnswer.valid, true);
    const count = page.locator('#pol-rule-check [data-testid=rule-count]');
    assert.equal(Number(await count.getAttribute('data-true')), goodAnswer.matches.true);
    assert.equal(Number(await count.getAttribute('data-nearly')), goodAnswer.matches.nearly);
    assert.equal(Number(await count.getAttribute('data-unknown')), goodAnswer.matches.unknown);
    assert.ok((await count.textContent()).includes(`符合 ${new Intl.NumberFormat('zh-CN').format(goodAnswer.matches.true)} 家`));
    assert.equal(await page.getAttribute('#pol-rule', 'aria-invalid'), null);
    // The benefit as a formula, checked the same way.
    await page.click('#pol-benefit-formula');
    const formula = 'min(50万, employees * 500)';
    await typeRule(page, '#pol-formula', formula);
    const fAnswer = (await officer.call('POST', '/api/v1/policies/check', { rule: formula, kind: 'benefit' })).json;
    assert.equal(fAnswer.valid, true);
    assert.equal(Number(await page.getAttribute('#pol-formula-check [data-testid=rule-count]', 'data-known')), fAnswer.amount_known);
    assert.equal(Number(await page.getAttribute('#pol-formula-check [data-testid=rule-count]', 'data-enterprises')), fAnswer.enterprises);
    // The rest of the measure, and save.
    const titleZh = `规上企业稳岗补贴${Date.now()}`;
    await page.fill('#pol-title_zh', titleZh);
    await page.fill('#pol-title_en', 'Support for keeping jobs');
    await page.fill('#pol-issuer', '张堰镇人民政府');
    await page.fill('#pol-doc_number', '张府发〔2026〕21号');
    await page.selectOption('#pol-jurisdiction', '310116103');
    await page.selectOption('#pol-category', 'talent');
    await page.fill('#pol-effective_from', '2026-01-01');
    await page.fill('#pol-documents', '稳岗承诺书\n社保缴纳证明');
    await page.click('#policy-save');
    await page.waitForURL(/\/policies\/\d+$/);
    await page.waitForSelector('#policy-title');
    const id = Number(page.url().split('/').pop());
    const saved = await get(officer, `/policies/${id}`);
    assert.equal(saved.title_zh, titleZh);
    assert.equal(saved.rule, good);
    assert.deepEqual(saved.benefit, { formula });
    assert.deepEqual(saved.documents, ['稳岗承诺书', '社保缴纳证明']);
    assert.equal(saved.category.code, 'talent');
    assert.equal(saved.jurisdiction.code, '310116103');
    assert.equal((await page.textContent('#policy-title')).trim(), titleZh);
    // The flash and the page's tab say how many qualify, as the eligible list does.
    const eligible = await get(officer, `/policies/${id}/eligible`);
    assert.match(await page.textContent('[data-testid=flash]'), new RegExp(`符合条件的企业 ${eligible.count} 家`));
    await page.waitForFunction((n) => document.querySelector('[data-testid=eligible-count-true]').textContent.replace(/\D/g, '') === String(n), eligible.count);
    assert.deepEqual(await ids(page, '[data-testid=eligible-row]'), eligible.items.slice(0, 50).map((e) => e.id));
    // The workbook of the tab shown, fetched as the link would be.
    const xlsx = await page.request.get(`${env.srv.url}${await page.getAttribute('#eligible-xlsx', 'href')}`);
    assert.equal(xlsx.status(), 200);
    assert.match(xlsx.headers()['content-type'], /spreadsheetml/);
    assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK');
    // Changed: the stricter rule is a new rule version, sent with If-Match.
    await page.click('#policy-edit');
    await page.waitForSelector('#policy-form');
    await page.waitForSelector('#pol-rule-check [data-testid=rule-count]');
    await page.fill('#pol-rule', `${good}\n  and employees >= 1000`);
    await page.click('#policy-save');
    await page.waitForURL(`${env.srv.url}/policies/${id}`);
    await page.waitForSelector('#policy-title');
    const changed = await get(officer, `/policies/${id}`);
    assert.equal(changed.version, saved.version + 1);
    assert.equal(changed.rule_version, saved.rule_version + 1);
    assert.equal(changed.rule, `${good}\n  and employees >= 1000`);
    // Someone else's change in between: the form says so and keeps what was typed.
    await page.click('#policy-edit');
    await page.waitForSelector('#policy-form');
    const r = await officer.call('PUT', `/api/v1/policies/${id}`, {
      issuer: changed.issuer, title_zh: `${titleZh}（修订）`, category: 'talent', effective_from: changed.effective_from,
      jurisdiction: '310116103', rule: changed.rule, benefit: changed.benefit, documents: changed.documents,
    }, { 'If-Match': `"v${changed.version}"` });
    assert.equal(r.status, 200, r.text);
    await page.fill('#pol-title_en', 'Jobs support, revised');
    await page.click('#policy-save');
    await page.waitForSelector('#pol-form-errors');
    assert.match(await page.textContent('#pol-form-errors'), /已被他人修改/);
    assert.equal(await page.inputValue('#pol-title_en'), 'Jobs support, revised');
    assert.equal((await get(officer, `/policies/${id}`)).title_en, r.json.title_en, 'the stale change was refused');
    check();
  } finally {
    await context.close();
  }
});

test("Qifan's page: qualified with amounts, nearly with the gap, unknown with the facts missing; its contact applies", async () => {
  const { context, page, check } = await env.newPage();
  const qifan = await login(env.srv.url, 'qifan');
  try {
    const m = await get(qifan, '/enterprises/1/policies');
    assert.ok(m.qualified.length && m.nearly.length && m.unknown.length, 'the demo shows every outcome');
    await signIn(page, 'qifan');
    await page.goto(`${env.srv.url}/enterprises/1`);
    await page.waitForSelector('[data-testid=policy-fit]');
    const fits = (outcome) => ids(page, `[data-testid=policy-fit][data-outcome=${outcome}]`, 'data-policy');
    assert.deepEqual(await fits('true'), m.qualified.map((x) => x.policy.id));
    assert.deepEqual(await fits('nearly'), m.nearly.map((x) => x.policy.id));
    assert.deepEqual(await fits('unknown'), m.unknown.map((x) => x.policy.id));
    for (const x of m.qualified) {
      const el = page.locator(`[data-testid=policy-fit][data-policy="${x.policy.id}"]`);
      assert.equal(Number(await el.locator('[data-testid=policy-amount]').getAttribute('data-amount')), x.benefit.amount);
      assert.equal(await el.locator('[data-testid=criterion]').count(), x.criteria.length);
    }
    for (const x of m.nearly) {
      const el = page.locator(`[data-testid=policy-fit][data-policy="${x.policy.id}"]`);
      assert.ok((await el.locator('[data-testid=policy-gap]').textContent()).includes(x.gap.zh), 'the gap, in Chinese');
      // The criterion missed is marked as such, its reading shown.
      const failed = x.criteria.filter((c) => c.value === 'false');
      assert.deepEqual(await el.locator('[data-testid=criterion][data-value=false] code').allTextContents(), failed.map((c) => c.text));
    }
    for (const x of m.unknown) {
      const el = page.locator(`[data-testid=policy-fit][data-policy="${x.policy.id}"]`);
      assert.deepEqual(await el.locator('[data-testid=policy-missing] [data-fact]').evaluateAll((fs) => fs.map((f) => f.dataset.fact)), x.missing);
      assert.equal(await el.locator('[data-testid=criterion][data-value=unknown]').count(), x.criteria.filter((c) => c.value === 'unknown').length);
    }
    // In English, the gap is the English one.
    await page.click('#lang-switch');
    const n0 = m.nearly[0];
    await page.waitForFunction(([id, gap]) => {
      const g = document.querySelector(`[data-testid=policy-fit][data-policy="${id}"] [data-testid=policy-gap]`);
      return g && g.textContent.includes(gap);
    }, [n0.policy.id, n0.gap.en]);
    await page.click('#lang-switch');
    // Applying: a qualified apply measure without an application of its own.
    const mine = (await get(qifan, '/applications?mine')).items;
    const target = m.qualified.find((x) => x.policy.mode === 'apply' && !mine.some((a) => a.policy.id === x.policy.id));
    assert.ok(target, 'a measure to apply to');
    const docs = (await get(qifan, `/policies/${target.policy.id}`)).documents;
    assert.ok(docs.length >= 1);
    const fit = page.locator(`[data-testid=policy-fit][data-policy="${target.policy.id}"]`);
    await fit.locator('[data-testid=apply]').click();
    await fit.locator('[data-testid=apply-form]').waitFor();
    assert.deepEqual(await fit.locator('input[name=document]').evaluateAll((bs) => bs.map((b) => b.value)), docs);
    // Without its first document: refused, naming it; the documents
    // ticked and the note typed stay.
    const boxes = fit.locator('input[name=document]');
    for (const b of (await boxes.all()).slice(1)) await b.check();
    await fit.locator('textarea').fill('贷款已于本季度发生');
    await fit.locator('button[type=submit]').click();
    await fit.locator('[data-testid=apply-note].alert-error').waitFor();
    assert.ok((await fit.locator('[data-testid=apply-note]').textContent()).includes(docs[0]));
    assert.equal((await get(qifan, '/applications?mine')).items.length, mine.length, 'nothing written');
    assert.deepEqual(await boxes.evaluateAll((bs) => bs.map((b) => b.checked)), docs.map((d, i) => i > 0));
    assert.equal(await fit.locator('textarea').inputValue(), '贷款已于本季度发生');
    for (const b of await fit.locator('input[name=document]').all()) await b.check();
    await fit.locator('textarea').fill('贷款已于本季度发生');
    await fit.locator('button[type=submit]').click();
    await fit.locator('[data-testid=my-application]').waitFor();
    const after = (await get(qifan, '/applications?mine')).items;
    const made = after.find((a) => a.policy.id === target.policy.id);
    assert.ok(made, 'the application was made');
    assert.deepEqual(made.documents, docs);
    assert.equal(made.note, '贷款已于本季度发生');
    assert.equal(await fit.locator('[data-testid=application-state]').getAttribute('data-state'), made.state);
    // Its contact follows its applications in its own inbox.
    await clickNav(page, 'applications');
    await page.waitForSelector('[data-testid=application]');
    assert.deepEqual(await ids(page, '[data-testid=application]'), after.map((a) => a.id));
    assert.equal(await page.locator('[data-testid=application] [data-step]').count(), 0, 'an enterprise decides nothing');
    check();
  } finally {
    await context.close();
  }
});

test('an officer approves an application in the inbox, and rejects another with its reason', async () => {
  const { context, page, check } = await env.newPage();
  const officer = await login(env.srv.url, 'officer');
  try {
    const apps = (await get(officer, '/applications')).items;
    const review = apps.find((a) => a.state === 'review' && a.allowed.includes('approved'));
    const applied = apps.find((a) => a.state === 'applied' && a.allowed.includes('rejected'));
    assert.ok(review && applied, 'the demo has an application under review and one just applied');
    // The amount the measure estimates for the enterprise, from the API.
    const m = await get(officer, `/enterprises/${review.enterprise.id}/policies`);
    const est = [...m.qualified, ...m.nearly, ...m.unknown].find((x) => x.policy.id === review.policy.id);
    const amount = est && est.benefit.amount !== null ? est.benefit.amount : 100000;
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/policies`);
    await page.click('#applications-link');
    await page.waitForURL(`${env.srv.url}/applications`);
    await page.waitForSelector('[data-testid=application]');
    assert.deepEqual(await ids(page, '[data-testid=application]'), apps.map((a) => a.id));
    // Filtered to those under review.
    await page.selectOption('#app-state', 'review');
    await page.waitForURL(/state=review/);
    const inReview = apps.filter((a) => a.state === 'review').map((a) => a.id);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=application]').length === n
      && [...document.querySelectorAll('[data-testid=application]')].every((c) => c.dataset.state === 'review'), inReview.length);
    const card = page.locator(`[data-testid=application][data-id="${review.id}"]`);
    // The steps offered are the allowed ones.
    assert.deepEqual(await card.locator('[data-step]').evaluateAll((bs) => bs.map((b) => b.dataset.step)), review.allowed);
    await card.locator('[data-step=approved]').click();
    await card.locator('[data-testid=decide-approved]').waitFor();
    // A negative amount is refused, and stays in its box to be mended.
    await card.locator('input').fill('-1');
    await card.locator('button[type=submit]').click();
    await card.locator('[data-testid=step-error]').waitFor();
    assert.equal(await card.locator('input').inputValue(), '-1');
    await card.locator('input').fill(String(amount));
    await card.locator('button[type=submit]').click();
    await card.locator('[data-testid=step-result]').waitFor();
    assert.equal(await card.getAttribute('data-state'), 'approved');
    const done = await get(officer, `/applications/${review.id}`);
    assert.equal(done.state, 'approved');
    assert.equal(done.amount, amount);
    assert.deepEqual(await card.locator('[data-step]').evaluateAll((bs) => bs.map((b) => b.dataset.step)), done.allowed);
    // A rejection says why.
    await page.selectOption('#app-state', 'applied');
    const other = page.locator(`[data-testid=application][data-id="${applied.id}"]`);
    await other.waitFor();
    await other.locator('[data-step=rejected]').click();
    await other.locator('button[type=submit]').click();
    await other.locator('[data-testid=step-error]').waitFor();
    assert.equal((await get(officer, `/applications/${applied.id}`)).state, 'applied', 'refused without its reason');
    await other.locator('input').fill('材料不全，请补充付息凭证');
    await other.locator('button[type=submit]').click();
    await other.locator('[data-testid=step-result]').waitFor();
    const rejected = await get(officer, `/applications/${applied.id}`);
    assert.equal(rejected.state, 'rejected');
    assert.equal(rejected.reason, '材料不全，请补充付息凭证');
    assert.equal((await other.locator('[data-testid=application-reason]').textContent()).trim(), rejected.reason);
    check();
  } finally {
    await context.close();
  }
});

test('a batch of automatic grants: made from the measure, a line taken out with its reason, confirmed', async () => {
  const { context, page, check } = await env.newPage();
  const officer = await login(env.srv.url, 'officer');
  try {
    const auto = (await get(officer, '/policies?mode=automatic')).items[0];
    assert.ok(auto, 'the demo has an automatic measure');
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/policies/${auto.id}`);
    await page.click('#batch-make');
    await page.waitForURL(/\/batches\/\d+$/);
    await page.waitForSelector('[data-testid=batch-line]');
    const id = Number(page.url().split('/').pop());
    const batch = await get(officer, `/batches/${id}`);
    assert.equal(batch.state, 'draft');
    assert.equal(batch.policy_id, auto.id);
    // The lines are the measure's eligible enterprises, matched afresh.
    const eligible = (await get(officer, `/policies/${auto.id}/eligible`)).items.map((e) => e.id);
    assert.deepEqual(await ids(page, '[data-testid=batch-line]'), batch.lines.map((l) => l.enterprise_id));
    assert.deepEqual(batch.lines.map((l) => l.enterprise_id), eligible);
    const [gone, ...kept] = batch.lines;
    const total = (lines) => lines.reduce((s, l) => s + l.amount, 0);
    assert.equal(Number(await page.getAttribute('[data-testid=batch-total]', 'data-total')), total(batch.lines));
    // Taken out without a reason: asked for, nothing sent.
    await page.click(`#batch-out-${gone.enterprise_id}`);
    await page.waitForSelector(`#batch-reason-${gone.enterprise_id}`);
    assert.equal(Number(await page.getAttribute('[data-testid=batch-total]', 'data-granted')), kept.length);
    await page.click('#batch-confirm');
    await page.waitForSelector(`[data-testid=batch-line][data-id="${gone.enterprise_id}"] .field-error`);
    assert.equal((await get(officer, `/batches/${id}`)).state, 'draft');
    await page.fill(`#batch-reason-${gone.enterprise_id}`, '已享受同类补贴');
    await page.click('#batch-confirm');
    await page.waitForFunction(() => document.querySelector('[data-testid=batch-state]')?.dataset.state === 'confirmed');
    const confirmed = await get(officer, `/batches/${id}`);
    assert.equal(confirmed.state, 'confirmed');
    assert.equal(confirmed.granted, kept.length);
    assert.equal(confirmed.total, total(kept));
    assert.equal(confirmed.lines.find((l) => l.enterprise_id === gone.enterprise_id).removed_reason, '已享受同类补贴');
    assert.ok(confirmed.lines.filter((l) => l.enterprise_id !== gone.enterprise_id).every((l) => l.removed_reason === null));
    // The page shows what was granted and what was taken out, and why.
    assert.equal(Number(await page.getAttribute('[data-testid=batch-total]', 'data-granted')), confirmed.granted);
    assert.equal(Number(await page.getAttribute('[data-testid=batch-total]', 'data-total')), confirmed.total);
    assert.match(await page.textContent(`[data-testid=batch-line][data-id="${gone.enterprise_id}"] [data-testid=removed-reason]`), /已享受同类补贴/);
    assert.equal(await page.locator('#batch-confirm').count(), 0, 'a confirmed batch is not confirmed again');
    check();
  } finally {
    await context.close();
  }
});
