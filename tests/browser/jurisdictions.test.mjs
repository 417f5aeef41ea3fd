// The jurisdictions in a real browser: a district officer narrowing the
// console to one town and then another with the header's switcher (the
// lists follow, the choice survives a reload), the district's roll-up
// with its towns ranked and re-ranked, and a case transferred from
// Jiuliting Street (Songjiang) to Zhangyan Town (Jinshan): sent with a
// reason, found in Zhangyan's inbox, accepted, then in Zhangyan with the
// transfer on its timeline. What the page shows is compared with what the
// API answers the same user, fetched in the test.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/jurisdictions.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { login, PASSWORD } from '../lib/server.mjs';
import { useBrowser, clickNav } from './browser.mjs';

const env = useBrowser();
const PHONE = { width: 390, height: 844 };

async function signIn(page, username) {
  await page.goto(`${env.srv.url}/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#current-user', { state: 'attached' });
}

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

// The tree as a user's API answers it, and a node by its Chinese name.
async function tree(api) {
  const r = await api.call('GET', '/api/v1/jurisdictions');
  assert.equal(r.status, 200);
  const byName = (name) => {
    const n = r.json.items.find((x) => x.name_zh === name);
    assert.ok(n, `the tree has ${name}`);
    return n;
  };
  return { ...r.json, byName };
}

// The rows of the enterprise list once it shows `ids`.
async function waitForEnterprises(page, ids) {
  await page.waitForFunction((want) => JSON.stringify([...document.querySelectorAll('[data-testid=enterprise-row]')]
    .map((r) => Number(r.dataset.id))) === want, JSON.stringify(ids));
}

test('a district officer narrows the console to 张堰镇, then to 朱泾镇: the lists follow, the choice outlives a reload', async () => {
  const { context, page, check } = await env.newPage();
  const api = await login(env.srv.url, 'officer.jinshan');
  try {
    const t = await tree(api);
    const jinshan = t.byName('金山区');
    const zhangyan = t.byName('张堰镇');
    const zhujing = t.byName('朱泾镇');
    assert.equal(t.scope, jinshan.id, 'the officer acts for the district');
    const under = t.items.filter((n) => n.parent_id === zhangyan.id);
    // What the API lists for each town (the first page the console asks for).
    const first = async (code) => (await api.call('GET', `/api/v1/enterprises?jurisdiction=${code}&limit=50`)).json;
    const inZhangyan = await first(zhangyan.code);
    const inZhujing = await first(zhujing.code);
    assert.ok(inZhangyan.items.length > 0, 'the home town has enterprises');
    assert.notDeepEqual(inZhujing.items.map((e) => e.id), inZhangyan.items.map((e) => e.id),
      'the API lists other enterprises for 朱泾镇 than for 张堰镇');

    await signIn(page, 'officer.jinshan');
    await page.goto(`${env.srv.url}/enterprises`);
    const sw = page.locator('[data-testid=jur-switch]');
    await sw.waitFor();
    assert.equal((await sw.locator('label').textContent()).trim(), '辖区');
    assert.equal(await page.getAttribute('#jur-switch', 'aria-describedby'), 'jur-switch-note');
    // The choices: all of the district, then every node under it in tree
    // order, indented by level, named with their codes.
    const options = await page.locator('#jur-switch option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
    assert.deepEqual(options[0], ['', '全部：金山区']);
    const below = t.items.filter((n) => n.id !== jinshan.id && n.district_id === jinshan.id);
    assert.deepEqual(options.slice(1).map(([v]) => v), below.map((n) => n.code), 'the nodes under the scope, in tree order');
    assert.ok(options.some(([v, text]) => v === zhangyan.code && text === `张堰镇 · ${zhangyan.code}`));
    for (const n of under) {
      const [, text] = options.find(([v]) => v === n.code);
      assert.equal(text, `\u00a0\u00a0\u00a0${n.name_zh} · ${n.code}`, `${n.name_zh} is indented under its town`);
    }
    assert.ok(!options.some(([v]) => v === t.byName('九里亭街道').code), 'nothing outside the scope');

    // 张堰镇: the list asks for it and shows what the API gives.
    await page.focus('#jur-switch');
    const [zyRes] = await Promise.all([
      page.waitForResponse((r) => /\/api\/v1\/enterprises\?/.test(r.url())),
      page.selectOption('#jur-switch', zhangyan.code),
    ]);
    assert.equal(new URL(zyRes.url()).searchParams.get('jurisdiction'), zhangyan.code);
    await waitForEnterprises(page, inZhangyan.items.map((e) => e.id));
    assert.equal((await page.textContent('[data-testid=enterprise-row] >> nth=0 >> [data-testid=enterprise-link]')).trim(),
      inZhangyan.items[0].name_zh);
    assert.equal(await sw.getAttribute('data-code'), zhangyan.code, 'the header shows the choice');
    assert.match(await sw.getAttribute('class'), /is-narrowed/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'jur-switch', 'the focus stays on the switcher');

    // 朱泾镇: another list.
    const [zjRes] = await Promise.all([
      page.waitForResponse((r) => /\/api\/v1\/enterprises\?/.test(r.url())),
      page.selectOption('#jur-switch', zhujing.code),
    ]);
    assert.equal(new URL(zjRes.url()).searchParams.get('jurisdiction'), zhujing.code);
    await waitForEnterprises(page, inZhujing.items.map((e) => e.id));
    const status = (await page.textContent('#list-status')).trim();
    if (inZhujing.items.length === 0) {
      await page.waitForSelector('[data-testid=empty]');
    } else {
      assert.match(status, new RegExp(`${inZhujing.items.length} 家企业`));
    }

    // Remembered: a reload keeps 朱泾镇, and the other lists and the map
    // ask for it too.
    const [again] = await Promise.all([
      page.waitForResponse((r) => /\/api\/v1\/enterprises\?/.test(r.url())),
      page.reload(),
    ]);
    assert.equal(new URL(again.url()).searchParams.get('jurisdiction'), zhujing.code);
    await sw.waitFor();
    assert.equal(await page.inputValue('#jur-switch'), zhujing.code);
    const [cases] = await Promise.all([
      page.waitForResponse((r) => /\/api\/v1\/cases\?/.test(r.url())),
      clickNav(page, 'cases'),
    ]);
    assert.equal(new URL(cases.url()).searchParams.get('jurisdiction'), zhujing.code);
    const [grids] = await Promise.all([
      page.waitForResponse((r) => /\/api\/v1\/grids\?/.test(r.url())),
      clickNav(page, 'map'),
    ]);
    assert.equal(new URL(grids.url()).searchParams.get('jurisdiction'), zhujing.code);

    // All of the district again: no jurisdiction= any more.
    await clickNav(page, 'enterprises');
    await page.waitForSelector(inZhujing.items.length ? '[data-testid=enterprise-row]' : '[data-testid=empty]');
    const [all] = await Promise.all([
      page.waitForResponse((r) => /\/api\/v1\/enterprises\?/.test(r.url())),
      page.selectOption('#jur-switch', ''),
    ]);
    assert.equal(new URL(all.url()).searchParams.get('jurisdiction'), null);
    assert.equal(await sw.getAttribute('data-code'), '');
    assert.equal(await page.evaluate(() => localStorage.getItem('qunyan.jurisdiction.officer.jinshan')), null);

    // English names.
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('[data-testid=jur-switch] label').textContent.trim() === 'Area');
    assert.equal(await page.textContent('#jur-switch option >> nth=0'), 'All of Jinshan District');
    assert.ok((await page.locator('#jur-switch option').allTextContents()).includes(`Zhangyan Town · ${zhangyan.code}`));
    await page.click('#lang-switch');
    check();

    // On a phone the switcher has a row of its own and fits.
    const phone = await env.newPage(PHONE);
    try {
      await signIn(phone.page, 'officer.jinshan');
      await phone.page.goto(`${env.srv.url}/enterprises`);
      await phone.page.waitForSelector('#jur-switch');
      assert.ok(await overflow(phone.page) <= 0, 'the header fits the phone');
      const box = await phone.page.locator('#jur-switch').boundingBox();
      assert.ok(box.height >= 40, `the switcher is easy to touch (${box.height})`);
      phone.check();
    } finally {
      await phone.context.close();
    }
  } finally {
    await context.close();
  }
});

test('a town officer with nothing under it has no switcher; a grid worker has no roll-up', async () => {
  const { context, page, check } = await env.newPage();
  try {
    await signIn(page, 'officer.jiuliting');
    await page.goto(`${env.srv.url}/enterprises`);
    await page.waitForSelector('[data-nav=rollup]');
    assert.equal(await page.locator('#jur-switch').count(), 0);
    await page.click('#signout');
    await page.waitForURL(/\/login/);
    await signIn(page, 'grid');
    await page.goto(`${env.srv.url}/rollup`);
    await page.waitForSelector('[data-testid=rollup-error]');
    assert.match(await page.textContent('[data-testid=rollup-error]'), /只有系统管理员和政府工作人员/);
    assert.equal(await page.locator('[data-nav=rollup]').count(), 0);
    check();
  } finally {
    await context.close();
  }
});

test('the roll-up of 金山区 shows its towns ranked, re-ranks them by a column, and leads to a town\'s own', async () => {
  const { context, page, check } = await env.newPage();
  const api = await login(env.srv.url, 'officer.jinshan');
  try {
    const t = await tree(api);
    const jinshan = t.byName('金山区');
    const zhangyan = t.byName('张堰镇');
    const zhujing = t.byName('朱泾镇');
    const roll = async (q = '') => {
      const r = await api.call('GET', `/api/v1/jurisdictions/${jinshan.id}/rollup${q}`);
      assert.equal(r.status, 200, `GET rollup${q}: ${r.text}`);
      return r.json;
    };
    const d = await roll();
    assert.deepEqual(d.children.map((c) => c.jurisdiction.code).sort(), [zhangyan.code, zhujing.code].sort());

    await signIn(page, 'officer.jinshan');
    await page.goto(`${env.srv.url}/enterprises`);
    await page.click('[data-nav=rollup]');
    await page.waitForURL(`${env.srv.url}/rollup/${jinshan.id}`);
    await page.waitForSelector('[data-testid=rollup-row]');
    assert.equal(await page.getAttribute('[data-nav=rollup]', 'aria-current'), 'page');
    assert.equal((await page.textContent('h1')).trim(), '金山区 · 辖区汇总');
    assert.match(await page.textContent('[data-testid=rollup-sub]'),
      new RegExp(`${jinshan.code}.*统计期间 ${d.period.since} 至 ${d.period.until}`));

    // The district's own figures: rates as percentages, nothing as a dash.
    const shown = (sel) => page.locator(sel).evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.figure, e.querySelector('dd').textContent])));
    const figures = await shown('[data-testid=rollup-figures] [data-figure]');
    const pct = (v) => (v === null ? '—' : `${new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(v * 100)}%`);
    assert.equal(figures.on_time_rate, pct(d.figures.on_time_rate));
    assert.equal(figures.adoption_rate, pct(d.figures.adoption_rate));
    assert.equal(figures.enterprises, new Intl.NumberFormat('zh-CN').format(d.figures.enterprises));
    assert.equal(figures.cases, new Intl.NumberFormat('zh-CN').format(d.figures.cases));

    // The towns side by side, in the API's ranking.
    const rows = () => page.locator('[data-testid=rollup-row]').evaluateAll((els) => els.map((e) => [e.dataset.code, e.dataset.rank]));
    const ranked = (x) => x.children.slice().sort((a, b) => a.rank - b.rank).map((c) => [c.jurisdiction.code, String(c.rank)]);
    assert.deepEqual(await rows(), ranked(d));
    assert.deepEqual((await rows()).map(([, r]) => r), ['1', '2']);
    assert.equal(await page.getAttribute(`th[data-sort-key=${d.sort}]`, 'aria-sort'), 'descending');
    const zyRow = page.locator(`[data-testid=rollup-row][data-code="${zhangyan.code}"]`);
    assert.equal((await zyRow.locator('[data-testid=rollup-child]').textContent()).trim(), '张堰镇');
    const zyApi = d.children.find((c) => c.jurisdiction.code === zhangyan.code);
    assert.equal((await zyRow.locator('[data-col=on_time_rate]').textContent()).trim(), pct(zyApi.figures.on_time_rate));

    // Re-ranked by enterprises: asked again with sort=.
    const byEnt = await roll('?sort=enterprises');
    const [res] = await Promise.all([
      page.waitForResponse((r) => /\/rollup\?/.test(r.url())),
      page.click('[data-sort=enterprises]'),
    ]);
    assert.equal(new URL(res.url()).searchParams.get('sort'), 'enterprises');
    await page.waitForSelector('th[data-sort-key=enterprises][aria-sort=descending]');
    assert.deepEqual(await rows(), ranked(byEnt));
    assert.equal(new URL(page.url()).searchParams.get('sort'), 'enterprises', 'the ranking is kept in the address');

    // A period: last year, asked with since and until.
    const year = Number(d.period.until.slice(0, 4)) - 1;
    const [per] = await Promise.all([
      page.waitForResponse((r) => /\/rollup\?/.test(r.url())),
      page.click('[data-preset=lastyear]'),
    ]);
    assert.equal(new URL(per.url()).searchParams.get('since'), `${year}-01-01`);
    assert.equal(new URL(per.url()).searchParams.get('until'), `${year}-12-31`);
    await page.waitForFunction((y) => document.querySelector('[data-testid=rollup-sub]').textContent.includes(`${y}-12-31`), year);

    // A period that ends before it starts: the server's word beside the field.
    await page.fill('#rollup-since', `${year}-06-01`);
    await page.fill('#rollup-until', `${year}-01-01`);
    const [bad] = await Promise.all([
      page.waitForResponse((r) => /\/rollup\?/.test(r.url())),
      page.click('#rollup-apply'),
    ]);
    assert.equal(bad.status(), 422);
    await page.waitForSelector('[data-for=until] .field-error, [data-for=since] .field-error, [data-testid=rollup-error]');

    // A town's own roll-up, from its row.
    await page.goto(`${env.srv.url}/rollup/${jinshan.id}`);
    await zyRow.waitFor();
    await zyRow.locator('[data-testid=rollup-child]').click();
    await page.waitForURL(`${env.srv.url}/rollup/${zhangyan.id}`);
    await page.waitForFunction(() => document.querySelector('h1').textContent.includes('张堰镇'));
    await page.waitForSelector('[data-testid=rollup-figures]');
    assert.equal((await page.textContent('[data-testid=rollup-crumb]')).trim(), '金山区');
    check();
  } finally {
    await context.close();
  }

  // Outside the scope: a town's officer asking for the district's.
  const other = await env.newPage();
  try {
    const zy = await login(env.srv.url, 'officer.zhangyan');
    const jinshan = (await tree(zy)).byName('金山区');
    assert.equal((await zy.call('GET', `/api/v1/jurisdictions/${jinshan.id}/rollup`)).status, 403);
    await signIn(other.page, 'officer.zhangyan');
    await other.page.goto(`${env.srv.url}/rollup/${jinshan.id}`);
    const err = other.page.locator('[data-testid=rollup-error]');
    await err.waitFor();
    assert.equal(await err.getAttribute('data-status'), '403');
    assert.match(await err.textContent(), /您无权查看金山区的汇总/);
    assert.equal(await other.page.locator('#rollup-period').count(), 0, 'no period to pick for what cannot be read');
    other.check();
  } finally {
    await other.context.close();
  }
});

test('a case transferred from 九里亭街道 to 张堰镇: sent with a reason, found in the inbox, accepted, then 张堰镇\'s', async () => {
  const jl = await login(env.srv.url, 'officer.jiuliting');
  const zy = await login(env.srv.url, 'officer.zhangyan');
  const t = await tree(jl);
  const jiuliting = t.byName('九里亭街道');
  const zhangyan = t.byName('张堰镇');
  const REASON = '反映的企业位于张堰镇工业园区，不属本街道管辖，请张堰镇办理。';
  const NOTE = '接收，由企业服务办办理。';

  // An open case lying in 九里亭街道, as its officer's API lists them.
  const open = (await jl.call('GET', '/api/v1/cases?status=open&limit=200')).json.items;
  const mine = open.find((c) => c.jurisdiction && c.jurisdiction.code === jiuliting.code && !c.transfer);
  assert.ok(mine, 'the demo has an open case in 九里亭街道');
  const id = mine.id;

  const sender = await env.newPage();
  try {
    const { page } = sender;
    await signIn(page, 'officer.jiuliting');
    await page.goto(`${env.srv.url}/cases/${id}`);
    await page.waitForSelector('[data-testid=case-page]');
    assert.equal(await page.getAttribute('[data-testid=case-jurisdiction]', 'data-code'), jiuliting.code);
    assert.match(await page.textContent('[data-testid=case-jurisdiction]'), /九里亭街道/);
    await page.click('#transfer-summary');
    // Every node of the tree may be the target but the case's own.
    const targets = await page.locator('#transfer-to option').evaluateAll((os) => os.filter((o) => o.value && !o.disabled).map((o) => o.value));
    assert.ok(targets.includes(zhangyan.code), 'another district\'s town may be chosen');
    assert.ok(!targets.includes(jiuliting.code), 'not where it lies');

    // No reason: said beside the field, nothing sent.
    await page.selectOption('#transfer-to', zhangyan.code);
    await page.click('#transfer-send');
    const reasonErr = page.locator('.field-error[data-field=reason]');
    await reasonErr.waitFor();
    assert.equal((await reasonErr.textContent()).trim(), '请填写转办理由。');
    assert.equal(await page.getAttribute('#transfer-reason', 'aria-invalid'), 'true');
    assert.equal((await jl.call('GET', `/api/v1/cases/${id}`)).json.case.transfer, null);

    // To where it already lies (the option forced on): the API's refusal
    // beside the target.
    await page.evaluate((code) => {
      const o = document.querySelector(`#transfer-to option[value="${code}"]`);
      o.disabled = false;
      o.selected = true;
      o.parentElement.dispatchEvent(new Event('change'));
    }, jiuliting.code);
    await page.fill('#transfer-reason', REASON);
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/v1/cases/${id}/transfer`)),
      page.click('#transfer-send'),
    ]);
    assert.equal(refused.status(), 422);
    const apiErr = (await refused.json()).error;
    const toErr = page.locator('.field-error[data-field=to]');
    await toErr.waitFor();
    assert.equal((await toErr.textContent()).trim(), (apiErr.errors || [apiErr]).find((e) => e.field === 'to').message);
    assert.equal(await page.inputValue('#transfer-reason'), REASON, 'the reason is kept');

    // Sent.
    await page.selectOption('#transfer-to', zhangyan.code);
    const [sent] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/v1/cases/${id}/transfer`)),
      page.click('#transfer-send'),
    ]);
    assert.ok(sent.status() >= 200 && sent.status() < 300, `sent: ${sent.status()}`);
    assert.deepEqual(JSON.parse(sent.request().postData()), { to: zhangyan.code, reason: REASON });
    const pending = page.locator('[data-testid=transfer-pending]');
    await pending.waitFor();
    assert.equal(await pending.getAttribute('data-to'), zhangyan.code);
    assert.match(await pending.textContent(), /由九里亭街道转至张堰镇/);
    assert.match(await pending.textContent(), new RegExp(REASON));
    assert.match(await page.textContent('[data-testid=transfer-result]'), /已转办至张堰镇/);
    assert.equal(await page.locator('#transfer-accept').count(), 0, 'the sender does not answer its own transfer');
    sender.check();
  } finally {
    await sender.context.close();
  }

  const receiver = await env.newPage();
  try {
    const { page } = receiver;
    const waiting = (await zy.call('GET', '/api/v1/transfers?direction=in&status=pending')).json;
    const list = waiting.items;
    assert.ok(list.some((x) => (x.case_id ?? (x.case && x.case.id)) === id), 'the API lists it for 张堰镇');

    await signIn(page, 'officer.zhangyan');
    await page.goto(`${env.srv.url}/cases`);
    const inbox = page.locator('[data-testid=transfer-inbox]');
    await inbox.waitFor();
    assert.match(await inbox.locator('h2').textContent(), new RegExp(`转来待接收（${list.length}）`));
    const item = inbox.locator(`[data-testid=transfers-in] [data-testid=transfer-item][data-case="${id}"]`);
    await item.waitFor();
    assert.match(await item.textContent(), /来自九里亭街道/);
    assert.match(await item.textContent(), new RegExp(REASON));

    await item.locator('[data-testid=transfer-case]').click();
    await page.waitForURL(`${env.srv.url}/cases/${id}`);
    await page.waitForSelector('[data-testid=transfer-pending]');
    // Returning needs a reason; accepting does not.
    await page.click('#transfer-return');
    await page.locator('.field-error[data-field=reason]').waitFor();
    assert.equal((await page.textContent('.field-error[data-field=reason]')).trim(), '退回时请填写理由。');
    await page.fill('#transfer-answer', NOTE);
    const [accepted] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/v1/cases/${id}/transfer/accept`)),
      page.click('#transfer-accept'),
    ]);
    assert.equal(accepted.status(), 200);
    assert.deepEqual(JSON.parse(accepted.request().postData()), { note: NOTE });
    await page.waitForSelector(`[data-testid=case-jurisdiction][data-code="${zhangyan.code}"]`);
    assert.match(await page.textContent('[data-testid=case-jurisdiction]'), /张堰镇/);
    assert.match(await page.textContent('[data-testid=transfer-result]'), /已接收/);
    assert.equal(await page.locator('[data-testid=transfer-pending]').count(), 0);

    // The timeline tells the transfer: sent with its reason, accepted
    // with its note, each once, after the intake.
    const actions = await page.locator('[data-testid=timeline] [data-testid=event]')
      .evaluateAll((els) => els.map((e) => e.dataset.action));
    assert.equal(actions[0], 'intake');
    assert.deepEqual(actions.filter((a) => a.startsWith('transfer')), ['transfer', 'transfer_accept']);
    // Each a sentence, the person by name (never the login).
    const sentEvent = page.locator('[data-testid=event][data-action=transfer]');
    assert.equal((await sentEvent.locator('.timeline-what').textContent()).trim(), '九里亭街道 吴芳将本件由九里亭街道转办至张堰镇');
    assert.equal((await sentEvent.locator('.timeline-note').textContent()).trim(), REASON);
    const acceptEvent = page.locator('[data-testid=event][data-action=transfer_accept]');
    assert.equal((await acceptEvent.locator('.timeline-what').textContent()).trim(), '张堰镇企业服务办 孙洁接收转办，本件改由张堰镇办理');
    assert.equal((await acceptEvent.locator('.timeline-note').textContent()).trim(), NOTE);
    assert.doesNotMatch(await page.textContent('[data-testid=timeline]'), /officer\.(jiuliting|zhangyan)/);

    const after = (await zy.call('GET', `/api/v1/cases/${id}`)).json.case;
    assert.equal(after.jurisdiction.code, zhangyan.code);
    assert.equal(after.transfer, null);

    // Gone from the inbox.
    await clickNav(page, 'cases');
    await page.waitForSelector('[data-testid=case-row]');
    assert.equal(await page.locator(`[data-testid=transfer-item][data-case="${id}"]`).count(), 0);
    receiver.check();
  } finally {
    await receiver.context.close();
  }
});
