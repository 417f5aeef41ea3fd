// The industrial-chain screens in a real browser: the chain map with
// its node panel, partner recommendations on an enterprise's page and
// the attraction pipeline board, against a real qunyan server with the
// demo town.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/chain.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { login, PASSWORD } from '../lib/server.mjs';
import { useBrowser, clickNav } from './browser.mjs';

const QIFAN = '上海起帆电缆股份有限公司';
const GAPS = { coating_resin: '光纤涂覆树脂', water_tape: '阻水带' };
const COATING_LEADS = ['江苏科瑞光纤涂料有限公司', '广东华彩树脂有限公司'];

const env = useBrowser();
const newPage = (viewport) => env.newPage(viewport);

async function signIn(page, username) {
  await page.goto(`${env.srv.url}/login?next=/enterprises`);
  await page.waitForSelector('#login-username');
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('[data-testid=enterprise-row]');
}

const digits = (s) => Number(String(s).replace(/[^\d-]/g, ''));
const node = (code) => `[data-testid=chain-node][data-code=${code}]`;

test('officer reads the optoelectronic chain map, its gaps, a node\'s leads, the rates and the loops', async () => {
  const { context, page, check } = await newPage();
  const api = await login(env.srv.url, 'officer');
  try {
    await signIn(page, 'officer');
    assert.equal((await page.textContent('[data-nav=chain]')).trim(), '产业链');
    assert.equal((await page.textContent('[data-nav=pipeline]')).trim(), '招商');

    // The clusters page links each cluster's chain map.
    await clickNav(page, 'clusters');
    await page.waitForSelector('[data-testid=cluster-chain]');
    await page.click('[data-testid=cluster][data-id="1"] [data-testid=cluster-chain]');
    await page.waitForURL(`${env.srv.url}/clusters/1/chain`);
    await page.waitForSelector('[data-testid=chain-node]');
    assert.equal(await page.getAttribute('[data-nav=chain]', 'aria-current'), 'page');

    // Every node and edge of the template is drawn.
    const chain = (await api.call('GET', '/api/v1/clusters/1/chain')).json;
    assert.equal(await page.locator('[data-testid=chain-node]').count(), chain.nodes.length);
    assert.equal(await page.locator('[data-testid=chain-map] path.chain-edge').count(), chain.edges.length);
    assert.match(await page.textContent('#chain-title'), /光电传输产业集群/);

    // Nodes sit in stage columns, left to right.
    const xs = {};
    for (const n of chain.nodes) {
      const box = await page.locator(node(n.code)).boundingBox();
      (xs[n.stage] = xs[n.stage] || new Set()).add(Math.round(box.x));
    }
    const col = (st) => [...xs[st]][0];
    for (const st of Object.keys(xs)) assert.equal(xs[st].size, 1, `the ${st} nodes share a column`);
    assert.ok(col('upstream') < col('midstream') && col('midstream') < col('downstream')
      && col('downstream') < col('service'), 'upstream → midstream → downstream → service');

    // The gaps are marked: state, a badge and the legend.
    const gapCodes = await page.locator('[data-testid=chain-node][data-state=gap]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-code')).sort());
    assert.deepEqual(gapCodes, Object.keys(GAPS).sort(), 'the demo\'s two gaps');
    for (const [code, name] of Object.entries(GAPS)) {
      const g = page.locator(node(code));
      assert.match(await g.textContent(), new RegExp(name));
      assert.equal((await g.locator('[data-testid=node-badge]').textContent()).trim(), '缺口');
      assert.match(await g.getAttribute('aria-label'), /链条缺口/);
    }
    assert.equal(await page.locator('[data-testid=chain-node]:not([data-state=gap]) [data-testid=node-badge]', { hasText: '缺口' }).count(), 0);
    assert.match(await page.textContent('.legend-gap'), /缺口.*2/);
    assert.match(await page.textContent('[data-testid=chain-summary]'), /18.*2/);

    // The coating resin gap: its panel lists the leads aimed at it.
    await page.click(node('coating_resin'));
    await page.waitForSelector('[data-testid=node-lead]');
    assert.equal((await page.textContent('[data-testid=panel-title]')).trim(), GAPS.coating_resin);
    assert.equal(new URL(page.url()).searchParams.get('node'), '7', 'the chosen node is kept in the address');
    assert.equal(await page.getAttribute(node('coating_resin'), 'aria-pressed'), 'true');
    const leads = await page.locator('[data-testid=node-lead]').allTextContents();
    assert.equal(leads.length, 2);
    for (const name of COATING_LEADS) assert.ok(leads.some((l) => l.includes(name)), `${name} is listed`);
    for (const l of leads) assert.match(l, new RegExp(`引荐.*${QIFAN}`), 'with who introduced it');
    assert.match(leads.join(), /洽谈中/);
    assert.match(leads.join(), /已走访/);
    assert.match(await page.textContent('[data-testid=node-panel] [data-list=producers]'), /暂无/, 'nobody makes it');
    const consumers = page.locator('[data-testid=consumers] a');
    assert.equal(await consumers.count(), 6);
    assert.match(await consumers.first().getAttribute('href'), /^\/enterprises\/\d+$/);

    // A covered node: in-park makers first, outside ones after, each a link.
    await page.click(node('optical_fibre'));
    await page.waitForFunction(() => document.querySelector('[data-testid=panel-title]')?.textContent.trim() === '光纤'
      && document.querySelector('[data-testid=producers]'));
    const inPark = await page.locator('[data-testid=producers] li').evaluateAll((els) => els.map((e) => e.dataset.inPark));
    assert.ok(inPark.length > 1);
    assert.deepEqual(inPark, [...inPark].sort().reverse(), 'makers in the park first');
    assert.ok(inPark.includes('false'), 'the outside maker is listed too');

    // The year selector reloads the map for that year.
    const [resp] = await Promise.all([
      page.waitForResponse((r) => /\/api\/v1\/clusters\/1\/chain\?year=2016$/.test(r.url())),
      page.selectOption('#chain-year', '2016'),
    ]);
    assert.equal(resp.status(), 200);
    await page.waitForFunction(() => /2016/.test(document.querySelector('.chain-year-note').textContent));
    assert.equal(new URL(page.url()).searchParams.get('year'), '2016');
    assert.equal(await page.locator('[data-testid=chain-node]').count(), chain.nodes.length);

    // The local sourcing rates: two lines with percentages.
    const loc = (await api.call('GET', '/api/v1/clusters/1/localisation')).json;
    assert.equal(await page.locator('[data-testid=localisation-chart] path.chart-line').count(), 2);
    const values = await page.locator('[data-testid=localisation-chart] text.chart-value[data-series=cluster]').allTextContents();
    assert.equal(values.length, loc.cluster.filter((p) => p.rate !== null).length);
    for (const v of values) assert.match(v, /^\d+(\.\d)?%$/);
    const latest = await page.textContent('[data-testid=loc-cluster-latest]');
    assert.ok(Math.abs(parseFloat(latest) - loc.cluster.at(-1).rate * 100) < 0.06, `${latest} is the latest rate`);
    assert.match(await page.textContent('[data-testid=loc-leading-latest]'), /%$/);

    // The gaps ranked, and the loops with their members as links.
    const gaps = (await api.call('GET', '/api/v1/clusters/1/gaps')).json.items;
    const listed = await page.locator('[data-testid=gap]').evaluateAll((els) => els.map((e) => e.dataset.code));
    assert.deepEqual(listed, gaps.map((g) => g.node.code), 'in the server\'s order');
    assert.match(await page.textContent(`[data-testid=gap][data-code=coating_resin]`), /科瑞/);
    const loops = (await api.call('GET', '/api/v1/clusters/1/loops?year=2016')).json.items;
    assert.equal(await page.locator('[data-testid=loop]').count(), loops.length);
    if (loops.length) {
      const hrefs = await page.locator('[data-testid=loop]').first().locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(hrefs, loops[0].members.map((m) => `/enterprises/${m.id}`));
    }

    // A gap in the list opens in the map.
    await page.click('[data-testid=gap][data-code=water_tape] .gap-name');
    await page.waitForFunction(() => document.querySelector('[data-testid=panel-title]')?.textContent.trim() === '阻水带');

    // English: the node names and the marks follow.
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('[data-nav=chain]').textContent.trim() === 'Chain');
    assert.equal((await page.locator(`${node('coating_resin')} [data-testid=node-badge]`).textContent()).trim(), 'GAP');
    assert.equal((await page.textContent('[data-testid=panel-title]')).trim(), 'Water-blocking tape');
    assert.match(await page.locator(node('coating_resin')).getAttribute('aria-label'), /Fibre coating resin/);
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('[data-nav=chain]').textContent.trim() === '产业链');
    check();
  } finally {
    await context.close();
  }
});

test('Qifan Cable\'s partner recommendations, and recording a contact', async () => {
  const { context, page, check } = await newPage();
  const api = await login(env.srv.url, 'officer');
  try {
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/enterprises/1`);
    await page.waitForSelector('[data-testid=partner]');
    assert.equal((await page.textContent('#enterprise-name')).trim(), QIFAN);
    assert.match(await page.textContent('[data-section=partners] h2'), /合作伙伴推荐/);

    const want = (await api.call('GET', '/api/v1/enterprises/1/partners?limit=10')).json.items;
    const items = page.locator('[data-testid=partner]');
    assert.equal(await items.count(), want.length);
    assert.ok(want.length > 0 && want.length <= 10);
    const first = items.first();
    const p = want[0];
    assert.equal(await first.locator('a.partner-name').getAttribute('href'), `/enterprises/${p.partner.id}`);
    assert.equal((await first.locator('a.partner-name').textContent()).trim(), p.partner.name_zh);
    assert.match(await first.textContent(), p.role === 'supplier' ? /供应商/ : /客户/);
    assert.match(await first.textContent(), new RegExp(p.node.name_zh));
    assert.match(await first.textContent(), /公里/);
    assert.equal(Number(await first.locator('[data-testid=partner-score]').textContent()), Math.round(p.score * 10) / 10);
    // The reasons, translated, with their points.
    const reasons = await first.locator('.reason').evaluateAll((els) => els.map((e) => e.dataset.reason));
    assert.deepEqual(reasons, p.reasons.map((r) => r.reason));
    const chips = await first.locator('.reason').allTextContents();
    assert.ok(chips.some((c) => /节点匹配\s*\+40/.test(c)), `node_match +40 in ${chips}`);
    assert.ok(chips.every((c) => !/node_match|in_park|same_cluster/.test(c)), 'no untranslated reason');

    // Record the contact: the POST carries the CSRF token and the triple.
    const [req] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/enterprises/1/partner-contacts')),
      first.locator('[data-testid=record-contact]').click(),
    ]);
    assert.ok(req.headers()['x-csrf-token'], 'with the CSRF token');
    assert.deepEqual(JSON.parse(req.postData()), { partner_id: p.partner.id, node_id: p.node.id, role: p.role });
    const done = first.locator('[data-testid=contact-recorded]');
    await done.waitFor();
    assert.match(await done.textContent(), /已记录对接/);
    assert.match(await done.textContent(), new RegExp(p.partner.name_zh));
    assert.equal(await first.locator('[data-testid=record-contact]').count(), 0, 'no second click');
    check();
  } finally {
    await context.close();
  }
});

test('the pipeline board: 84 settled folded, a lead moved on, a refused move, a drop and a new lead', async () => {
  const { context, page, check } = await newPage();
  const api = await login(env.srv.url, 'officer');
  try {
    await signIn(page, 'officer');
    await clickNav(page, 'pipeline');
    await page.waitForURL(`${env.srv.url}/pipeline`);
    await page.waitForSelector('[data-testid=lead-card]');
    const all = (await api.call('GET', '/api/v1/leads')).json;
    assert.match(await page.textContent('[data-testid=pipeline-total]'), new RegExp(String(all.count)));

    const column = (stage) => page.locator(`[data-testid=board-col][data-stage=${stage}]`);
    const stages = await page.locator('[data-testid=board-col]').evaluateAll((els) => els.map((e) => e.dataset.stage));
    assert.deepEqual(stages, ['contacted', 'visited', 'negotiating', 'signed', 'settled', 'dropped']);

    // Settled: 84, from Qifan Cable, folded until asked.
    const settled = column('settled');
    assert.equal(digits(await settled.locator('[data-testid=col-count]').textContent()), 84);
    assert.equal(await settled.locator('[data-testid=lead-card]').count(), 0, 'folded');
    assert.match(await settled.locator('[data-testid=col-summary]').textContent(), new RegExp(`${QIFAN}.*84`));
    await settled.locator('[data-testid=col-toggle]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-stage=settled] [data-testid=lead-card]').length === 84);
    assert.equal(await settled.locator('[data-testid=lead-next]').count(), 0, 'a settled lead does not move');
    await settled.locator('[data-testid=col-toggle]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-stage=settled] [data-testid=lead-card]').length === 0);

    // Each card: name, node, introducer, date.
    const contacted = all.items.filter((l) => l.stage === 'contacted');
    assert.ok(contacted.length >= 2, 'the demo has contacted leads');
    const lead = contacted.find((l) => l.node_id === 5) || contacted[0];
    const card = page.locator(`[data-testid=lead-card][data-id="${lead.id}"]`);
    assert.equal(await card.getAttribute('data-stage'), 'contacted');
    const text = await card.textContent();
    assert.match(text, new RegExp(lead.name));
    assert.match(text, new RegExp(lead.introduced_by));
    assert.match(text, new RegExp(lead.stage_on));
    if (lead.node_id === 5) assert.match(text, /阻水带/);

    // Move it to visited.
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/v1/leads/${lead.id}/stage`)),
      card.locator('[data-testid=lead-next]').click(),
    ]);
    assert.equal(res.status(), 200);
    assert.deepEqual(JSON.parse(res.request().postData()), { stage: 'visited' });
    await column('visited').locator(`[data-testid=lead-card][data-id="${lead.id}"]`).waitFor();
    assert.equal(await column('contacted').locator(`[data-testid=lead-card][data-id="${lead.id}"]`).count(), 0);
    assert.equal((await api.call('GET', `/api/v1/leads/${lead.id}`)).json.stage, 'visited');

    // Someone else moves another lead meanwhile: the server's 409, which
    // names the allowed stages, is shown on the card.
    const other = contacted.find((l) => l.id !== lead.id);
    const otherCard = page.locator(`[data-testid=lead-card][data-id="${other.id}"]`);
    assert.equal((await api.call('POST', `/api/v1/leads/${other.id}/stage`, { stage: 'visited' })).status, 200);
    const [conflict] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/v1/leads/${other.id}/stage`)),
      otherCard.locator('[data-testid=lead-next]').click(),
    ]);
    assert.equal(conflict.status(), 409);
    const err = page.locator(`[data-testid=lead-card][data-id="${other.id}"] [data-testid=lead-error]`);
    await err.waitFor();
    assert.match(await err.textContent(), /allowed: negotiating, dropped/);
    assert.equal(await page.locator(`[data-testid=lead-card][data-id="${other.id}"]`).getAttribute('data-stage'), 'visited',
      'the card moves to where the lead really is');

    // Dropping asks for a reason.
    const moved = column('visited').locator(`[data-testid=lead-card][data-id="${lead.id}"]`);
    await moved.locator('[data-testid=lead-drop]').click();
    await moved.locator('[data-testid=drop-reason]').waitFor();
    await moved.locator('[data-testid=drop-confirm]').click();
    assert.match(await moved.locator('[data-testid=lead-error]').textContent(), /放弃原因/);
    await moved.locator('[data-testid=drop-reason]').fill('企业决定在嘉兴建厂');
    await moved.locator('[data-testid=drop-confirm]').click();
    const dropped = column('dropped').locator(`[data-testid=lead-card][data-id="${lead.id}"]`);
    await dropped.waitFor();
    assert.match(await dropped.textContent(), /企业决定在嘉兴建厂/);
    assert.equal((await api.call('GET', `/api/v1/leads/${lead.id}`)).json.drop_reason, '企业决定在嘉兴建厂');

    // A new lead for the coating-resin gap, introduced by Qifan.
    await page.click('#new-lead-toggle');
    await page.fill('#lead-name', '浙江新材光纤涂料有限公司');
    await page.selectOption('#lead-node', '7');
    await page.fill('#lead-introducer', '1');
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/leads')),
      page.click('#lead-submit'),
    ]);
    assert.equal(created.status(), 201);
    const newId = (await created.json()).id;
    const fresh = column('contacted').locator(`[data-testid=lead-card][data-id="${newId}"]`);
    await fresh.waitFor();
    assert.match(await fresh.textContent(), /浙江新材光纤涂料有限公司/);
    assert.match(await fresh.textContent(), /光纤涂覆树脂/);
    assert.match(await fresh.textContent(), new RegExp(QIFAN));
    assert.match(await page.textContent('#lead-form-message'), /已添加/);

    // The cluster filter narrows the board.
    await Promise.all([
      page.waitForResponse((r) => /\/api\/v1\/leads\?cluster=2$/.test(r.url())),
      page.selectOption('#pipeline-cluster', '2'),
    ]);
    const two = (await api.call('GET', '/api/v1/leads?cluster=2')).json.count;
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=board-col] [data-testid=col-count]').length === 6
      && [...document.querySelectorAll('[data-testid=col-count]')].reduce((a, e) => a + Number(e.textContent), 0) === n, two);
    assert.equal(new URL(page.url()).searchParams.get('cluster'), '2');
    check();
  } finally {
    await context.close();
  }
});

test('who sees what: an enterprise contact its own partners, a grid worker no pipeline', async () => {
  const { context, page, check } = await newPage();
  try {
    await page.goto(`${env.srv.url}/login`);
    await page.fill('#login-username', 'qifan');
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForFunction(() => document.querySelector('#current-user'));
    assert.equal(await page.locator('[data-nav=chain]').count(), 0);
    assert.equal(await page.locator('[data-nav=pipeline]').count(), 0);
    await page.goto(`${env.srv.url}/enterprises/1`);
    await page.waitForSelector('[data-testid=partner]');
    assert.equal(await page.locator('[data-testid=record-contact]').count(), 0,
      'introductions are recorded by the town, not by the firm');
    await page.goto(`${env.srv.url}/pipeline`);
    await page.waitForSelector('.alert-error');
    assert.match(await page.textContent('.alert-error'), /没有查看此内容的权限/);
    await page.click('#signout');
    await page.waitForSelector('#login-username');

    await signIn(page, 'grid');
    assert.equal(await page.locator('[data-nav=chain]').count(), 1);
    assert.equal(await page.locator('[data-nav=pipeline]').count(), 0);
    await page.goto(`${env.srv.url}/enterprises/1`);
    await page.waitForSelector('[data-testid=partner]');
    await page.goto(`${env.srv.url}/clusters/1/chain?node=7`);
    await page.waitForSelector('[data-testid=consumers]');
    assert.equal(await page.locator('[data-testid=node-leads]').count(), 0, 'a grid worker does not read leads');
    check();
  } finally {
    await context.close();
  }
});

test('on a 360 px phone the chain map scrolls in its box and the board stacks', async () => {
  const { context, page, check } = await newPage({ width: 360, height: 740 });
  try {
    await signIn(page, 'secretary');
    await page.goto(`${env.srv.url}/clusters/1/chain`);
    await page.waitForSelector('[data-testid=chain-node]');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page does not scroll sideways (${overflow}px too wide)`);
    const box = await page.evaluate(() => {
      const s = document.querySelector('.chain-scroll');
      return { scroll: s.scrollWidth, client: s.clientWidth };
    });
    assert.ok(box.scroll > box.client, 'the map scrolls sideways in its own box');
    await page.goto(`${env.srv.url}/pipeline`);
    await page.waitForSelector('[data-testid=lead-card]');
    const overflowBoard = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflowBoard <= 0, `the board fits (${overflowBoard}px too wide)`);
    const a = await page.locator('[data-testid=board-col][data-stage=contacted]').boundingBox();
    const b = await page.locator('[data-testid=board-col][data-stage=visited]').boundingBox();
    assert.ok(b.y > a.y && Math.abs(b.x - a.x) < 2, 'the columns are stacked');
    check();
  } finally {
    await context.close();
  }
});
