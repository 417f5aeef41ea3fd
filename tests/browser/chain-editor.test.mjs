// Keeping the industrial chain in the console: an officer edits the
// chain map (a node added after a refusal shown at its field, connected
// by picking in the map, a loop refused, renamed, its edge removed, then
// deleted), and keeps an enterprise's products, needs and supply links;
// roles that may not edit are offered nothing and the API refuses them.
// Chinese at 1366 px, English at 360.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/chain-editor.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { login, PASSWORD } from '../lib/server.mjs';
import { holdAnswers, useBrowser } from './browser.mjs';

const env = useBrowser();
const DESKTOP = { width: 1366, height: 800 };
const PHONE = { width: 360, height: 740 };
const node = (code) => `[data-testid=chain-node][data-code=${code}]`;

async function signIn(page, username, lang = 'zh') {
  await page.goto(`${env.srv.url}/login`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#home-title');
  if (lang === 'en') {
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  }
}

// What sticks out of the window sideways: the page's own width, and any
// element of the page beyond the right edge that no scrolling box (the
// chain map's) holds.
async function overflowing(page) {
  return page.evaluate(() => {
    const clipped = (e) => {
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
      }
      return false;
    };
    const out = [...document.querySelectorAll('main *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(e))
      .map((e) => `${e.tagName.toLowerCase()}.${e.className && e.className.baseVal !== undefined ? e.className.baseVal : e.className}`)
      .slice(0, 5);
    if (document.documentElement.scrollWidth > window.innerWidth) out.push(`page ${document.documentElement.scrollWidth}px`);
    return out;
  });
}

// The codes of the chain's nodes, which the screen never shows as text.
async function visibleCodes(page, codes, selector = 'main') {
  const text = await page.locator(selector).innerText();
  return codes.filter((c) => text.includes(c));
}

test('an officer adds a node, connects it on the map, renames it, removes its edge and deletes it (zh, 1366 px)', async () => {
  const { context, page, check } = await env.newPage(DESKTOP);
  const api = await login(env.srv.url, 'officer');
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.accept(); });
  try {
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/clusters/1/chain`);
    await page.waitForSelector('[data-testid=chain-node]');
    assert.equal(await page.locator('#chain-editor').count(), 0, 'the editor waits to be asked for');
    await page.click('#chain-edit-toggle');
    await page.waitForSelector('#chain-editor');
    assert.equal(await page.getAttribute('#chain-edit-toggle', 'aria-pressed'), 'true');
    assert.match(await page.textContent('#chain-edit-toggle'), /完成编辑/);

    // A code the server refuses: told at the code field, nothing added.
    await page.fill('#ce-add-name_zh', '光纤着色油墨');
    await page.fill('#ce-add-name_en', 'Fibre colouring ink');
    assert.equal(await page.inputValue('#ce-add-code'), 'fibre_colouring_ink', 'a code made from the English name');
    await page.fill('#ce-add-code', 'Colouring Ink');
    await page.click('#chain-add-submit');
    const codeError = page.locator('#chain-add-form .field-error[data-field=code]');
    await codeError.waitFor();
    assert.match(await codeError.textContent(), /代码只能使用小写字母、数字和下划线/);
    assert.equal(await page.getAttribute('#ce-add-code', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#ce-add-name_zh'), '光纤着色油墨', 'the form keeps what was typed');
    let chain = (await api.call('GET', '/api/v1/clusters/1/chain')).json;
    assert.ok(!chain.nodes.some((n) => n.name_zh === '光纤着色油墨'), 'nothing was added');

    // Corrected: added, drawn in the map, its panel opened with its tools.
    await page.fill('#ce-add-code', 'colouring_ink');
    await page.selectOption('#ce-add-kind', 'material');
    await page.selectOption('#ce-add-stage', 'upstream');
    await page.click('#chain-add-submit');
    await page.waitForSelector(node('colouring_ink'));
    assert.match(await page.textContent('#chain-edit-status'), /已添加节点“光纤着色油墨”/);
    await page.waitForFunction(() => document.querySelector('[data-testid=panel-title]')?.textContent.trim() === '光纤着色油墨');
    await page.waitForSelector('[data-testid=node-tools]');
    chain = (await api.call('GET', '/api/v1/clusters/1/chain')).json;
    const ink = chain.nodes.find((n) => n.code === 'colouring_ink');
    const fibre = chain.nodes.find((n) => n.code === 'optical_fibre');
    const cable = chain.nodes.find((n) => n.code === 'optical_cable');
    assert.equal(ink.stage, 'upstream');
    assert.equal(ink.kind, 'material');
    assert.equal(ink.state, 'gap');

    // Connected by picking the two nodes in the map.
    await page.click('#chain-pick');
    assert.match(await page.textContent('#chain-pick-prompt'), /点击作为投入的节点/);
    await page.click(node('colouring_ink'));
    await page.waitForFunction(() => /光纤着色油墨/.test(document.querySelector('#chain-pick-prompt').textContent));
    assert.ok(await page.locator(`${node('colouring_ink')}.is-pick-from`).count());
    await page.click(node('optical_fibre'));
    await page.waitForFunction(() => /请按“连接”/.test(document.querySelector('#chain-pick-prompt').textContent));
    assert.equal(await page.inputValue('#ce-link-from'), String(ink.id));
    assert.equal(await page.inputValue('#ce-link-to'), String(fibre.id));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'chain-link-submit', 'the Connect button is next');
    await page.keyboard.press('Enter');
    const edge = `[data-testid=chain-map] path.chain-edge[data-from="${ink.id}"][data-to="${fibre.id}"]`;
    await page.waitForSelector(edge);
    assert.match(await page.textContent('#chain-edit-status'), /已连接“光纤着色油墨”→“光纤”/);
    chain = (await api.call('GET', '/api/v1/clusters/1/chain')).json;
    assert.ok(chain.edges.some((e) => e.from === ink.id && e.to === fibre.id));

    // With the two lists: an edge that would close a loop is refused,
    // the loop named by the nodes' names, at the "goes into" field.
    await page.selectOption('#ce-link-from', String(cable.id));
    await page.selectOption('#ce-link-to', String(ink.id));
    await page.click('#chain-link-submit');
    const loop = page.locator('#chain-link-form .field-error[data-field=to]');
    await loop.waitFor();
    assert.match(await loop.textContent(), /形成循环.*光纤着色油墨.*光纤/);
    assert.deepEqual(await visibleCodes(page, ['colouring_ink →', 'optical_fibre', 'optical_cable'], '#chain-editor'), []);

    // Renamed in the panel, where the node is still chosen.
    assert.equal((await page.textContent('[data-testid=panel-title]')).trim(), '光纤着色油墨');
    await page.fill('#ce-node-name_zh', '光纤着色UV油墨');
    await page.click('#node-save');
    await page.waitForFunction(() => document.querySelector('[data-testid=panel-title]')?.textContent.trim() === '光纤着色UV油墨');
    assert.match(await page.locator(node('colouring_ink')).textContent(), /光纤着色UV油墨/);
    assert.equal((await api.call('GET', `/api/v1/chain/nodes/${ink.id}`)).json.node.name_zh, '光纤着色UV油墨');
    assert.deepEqual(await overflowing(page), [], 'the editor fits');

    // Its edge removed from the panel, after a confirmation.
    const out = page.locator('[data-testid=node-outputs] [data-testid=node-edge]');
    assert.equal(await out.count(), 1);
    assert.match(await out.textContent(), /光纤/);
    await out.locator('[data-testid=edge-remove]').click();
    await page.waitForSelector(edge, { state: 'detached' });
    assert.match(dialogs.at(-1), /移除连线“光纤着色UV油墨”→“光纤”/);
    assert.ok(!(await api.call('GET', '/api/v1/clusters/1/chain')).json.edges.some((e) => e.from === ink.id));

    // A node with history cannot be deleted: told why, in Chinese, in
    // the panel as it is when the refusal comes, which the node's detail
    // arriving in between has drawn anew.
    const detail = await holdAnswers(page, 'GET', /^\/api\/v1\/chain\/nodes\/\d+$/);
    const refusal = await holdAnswers(page, 'DELETE', /^\/api\/v1\/chain\/nodes\/\d+$/);
    await page.click(node('coating_resin'));
    await page.waitForFunction(() => document.querySelector('[data-testid=panel-title]')?.textContent.trim() === '光纤涂覆树脂');
    await detail.held();
    await page.click('#node-delete');
    await refusal.held();
    detail.release();
    await page.waitForSelector('#node-panel [data-list=producers]');
    refusal.release();
    const inUse = page.locator('[data-testid=node-tools] .alert-error');
    await inUse.waitFor();
    assert.match(await inUse.textContent(), /不能删除.*家企业采购.*2 条招商线索.*停用/);
    assert.ok((await api.call('GET', '/api/v1/clusters/1/chain')).json.nodes.some((n) => n.code === 'coating_resin'));

    // The new node, with nothing naming it, is deleted.
    await page.click(node('colouring_ink'));
    await page.waitForFunction(() => document.querySelector('[data-testid=panel-title]')?.textContent.trim() === '光纤着色UV油墨');
    await page.click('#node-delete');
    await page.waitForSelector(node('colouring_ink'), { state: 'detached' });
    assert.match(dialogs.at(-1), /删除节点“光纤着色UV油墨”/);
    assert.match(await page.textContent('#chain-edit-status'), /已删除节点/);
    assert.equal((await api.call('GET', `/api/v1/chain/nodes/${ink.id}`)).status, 404);

    // Done editing: the tools go.
    await page.click('#chain-edit-toggle');
    await page.waitForSelector('#chain-editor', { state: 'detached' });
    check();
  } finally {
    await context.close();
  }
});

test('retiring a node marks it on the map and keeps it out of the gaps; putting it back undoes both', async () => {
  const { context, page, check } = await env.newPage(DESKTOP);
  page.on('dialog', (d) => d.accept());
  try {
    await signIn(page, 'officer');
    await page.goto(`${env.srv.url}/clusters/1/chain?node=5`);
    await page.waitForSelector('[data-testid=chain-node]');
    await page.click('#chain-edit-toggle');
    await page.waitForSelector('[data-testid=node-tools]');
    assert.equal((await page.textContent('[data-testid=panel-title]')).trim(), '阻水带');
    assert.ok(await page.locator('[data-testid=gap][data-code=water_tape]').count());
    await page.click('#node-retire');
    await page.waitForSelector(`${node('water_tape')}[data-retired=true]`);
    assert.equal((await page.locator(`${node('water_tape')} [data-testid=node-badge]`).textContent()).trim(), '已停用');
    await page.waitForSelector('[data-testid=gap][data-code=water_tape]', { state: 'detached' });
    assert.match(await page.textContent('.legend-retired'), /已停用.*1/);
    assert.equal(await page.locator('#ce-link-from option[value="5"]').count(), 0, 'a retired node is not offered for an edge');
    await page.click('#node-retire');
    await page.waitForFunction(() => !document.querySelector('[data-code=water_tape]').hasAttribute('data-retired'));
    await page.waitForSelector('[data-testid=gap][data-code=water_tape]');
    check();
  } finally {
    await context.close();
  }
});

test('an officer keeps an enterprise\'s products, needs and supply links (en, 360 px)', async () => {
  const { context, page, check } = await env.newPage(PHONE);
  const api = await login(env.srv.url, 'officer');
  page.on('dialog', (d) => d.accept());
  try {
    // An enterprise of the cluster other than Qifan Cable.
    const ents = (await api.call('GET', '/api/v1/enterprises?cluster=1&limit=5')).json.items;
    const e = ents.find((x) => x.id !== 1);
    const before = (await api.call('GET', `/api/v1/enterprises/${e.id}/chain`)).json;
    const codes = before.choices.map((n) => n.code);
    await signIn(page, 'officer', 'en');
    await page.goto(`${env.srv.url}/enterprises/${e.id}`);
    await page.waitForSelector('[data-section=chain-place] [data-list=products]');
    assert.match(await page.textContent('#sec-chain-place'), /Place in the industrial chain/);

    // A product: a capacity below 0 is refused at its field.
    const made = new Set(before.products.map((p) => p.node.id));
    const pick = before.choices.find((n) => !made.has(n.id));
    await page.click('#ec-add-product');
    await page.selectOption('#ec-node_id', String(pick.id));
    await page.fill('#ec-capacity', '-5');
    assert.deepEqual(await overflowing(page), [], 'the product form fits');
    await page.click('#ec-submit');
    const bad = page.locator('#ec-product-form .field-error[data-field=capacity]');
    await bad.waitFor();
    assert.match(await bad.textContent(), /must be 0 or more/);
    await page.fill('#ec-capacity', '1200');
    assert.match(await page.textContent('#ec-capacity-hint'), /10,000 CNY a year.*That is CNY 12 m\/yr/);
    await page.click('#ec-submit');
    const item = page.locator(`[data-testid=ent-product][data-node="${pick.id}"]`);
    await item.waitFor();
    assert.match(await item.textContent(), new RegExp(`${pick.name_en}.*capacity CNY 12 m/yr`));
    assert.equal((await api.call('GET', `/api/v1/enterprises/${e.id}/chain`)).json.products.find((p) => p.node.id === pick.id).capacity, 1200);

    // Its capacity changed, then something it buys added: the form for
    // it, opened while the change is on its way, stays open when the
    // change's answer arrives.
    await item.locator('[data-testid=offer-change]').click();
    await page.fill('#ec-capacity', '800');
    const change = await holdAnswers(page, 'PUT', /^\/api\/v1\/enterprises\/\d+\/products\/\d+$/);
    await page.click('#ec-submit');
    await change.held();
    await page.click('#ec-add-need');
    await page.waitForSelector('#ec-need-form #ec-node_id');
    change.release();
    await page.waitForFunction((id) => /CNY 8 m\/yr/.test(document.querySelector(`[data-testid=ent-product][data-node="${id}"]`)?.textContent || ''), pick.id);
    assert.equal(await page.locator('#ec-need-form').count(), 1, 'the form opened meanwhile stays open');
    const needed = new Set(before.needs.map((p) => p.node.id));
    const buy = before.choices.find((n) => !needed.has(n.id) && n.id !== pick.id);
    await page.selectOption('#ec-node_id', String(buy.id));
    await page.fill('#ec-annual_need', '350');
    await page.click('#ec-submit');
    await page.locator(`[data-testid=ent-need][data-node="${buy.id}"]`).waitFor();
    assert.match(await page.textContent(`[data-testid=ent-need][data-node="${buy.id}"]`), /need CNY 3\.5 m\/yr/);

    // A supply link: bought from Qifan Cable, found by name.
    await page.click('#ec-add-link');
    await page.fill('#ec-partner', 'Qifan');
    await page.locator('[data-testid=partner-result]', { hasText: 'Shanghai Qifan Cable' }).locator('[data-testid=partner-pick]').click();
    assert.match(await page.textContent('[data-testid=partner-chosen]'), /Shanghai Qifan Cable/);
    await page.selectOption('#ec-node_id', String(buy.id));
    await page.fill('#ec-annual_value', '90');
    await page.fill('#ec-since', '2025-02-01');
    assert.deepEqual(await overflowing(page), [], 'the link form fits');
    const [req] = await Promise.all([
      page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/supply-links')),
      page.click('#ec-submit'),
    ]);
    assert.deepEqual(JSON.parse(req.postData()), {
      supplier_id: 1, customer_id: e.id, node_id: buy.id, annual_value: 90, since: '2025-02-01', source: 'declared',
    });
    await page.waitForSelector('[data-testid=ent-chain-status]:has-text("Supply link recorded")');
    const link = page.locator('[data-testid=ent-link]', { hasText: 'Shanghai Qifan Cable' }).first();
    assert.match(await link.textContent(), new RegExp(`Buys from Shanghai Qifan Cable.*${buy.name_en}.*CNY 0\\.9 m/yr.*since 2025-02-01`));

    // The product removed, after a confirmation.
    await item.locator('[data-testid=offer-remove]').click();
    await item.waitFor({ state: 'detached' });
    assert.ok(!(await api.call('GET', `/api/v1/enterprises/${e.id}/chain`)).json.products.some((p) => p.node.id === pick.id));

    // No node codes on the screen, nothing sideways.
    assert.deepEqual(await visibleCodes(page, codes, '[data-section=chain-place]'), []);
    assert.deepEqual(await overflowing(page), [], 'the page fits');

    // The chain editor in English on the phone.
    await page.goto(`${env.srv.url}/clusters/1/chain`);
    await page.waitForSelector('[data-testid=chain-node]');
    await page.click('#chain-edit-toggle');
    await page.waitForSelector('#chain-editor');
    assert.match(await page.textContent('#chain-editor'), /Add a node.*Connect two nodes/s);
    await page.click('#chain-add-submit');
    await page.locator('#chain-add-form .field-error[data-field=name_zh]').waitFor();
    assert.match(await page.textContent('#chain-add-form .field-error[data-field=name_zh]'), /Fill in the Chinese name/);
    assert.deepEqual(await overflowing(page), [], 'the chain editor fits');
    check();
  } finally {
    await context.close();
  }
});

test('a handler, an enterprise contact and another cluster\'s secretary get no edit controls, and the API refuses them', async () => {
  const chain = (await (await login(env.srv.url, 'officer')).call('GET', '/api/v1/clusters/1/chain')).json;
  const n = chain.nodes[0];
  for (const [user, lang] of [['handler', 'zh'], ['qifan', 'en'], ['secretary2', 'zh']]) {
    const { context, page, check } = await env.newPage(user === 'qifan' ? PHONE : DESKTOP);
    const api = await login(env.srv.url, user);
    try {
      await signIn(page, user, lang);
      await page.goto(`${env.srv.url}/clusters/1/chain`);
      await page.waitForSelector('[data-testid=chain-node], [role=alert]');
      assert.equal(await page.locator('#chain-edit-toggle').count(), 0, `${user}: no edit toggle`);
      assert.equal(await page.locator('#chain-editor, [data-testid=node-tools]').count(), 0);
      const put = await api.call('PUT', `/api/v1/chain/nodes/${n.id}`, { name_en: 'x' });
      assert.equal(put.status, 403, `${user}: ${put.text}`);
      const add = await api.call('POST', '/api/v1/clusters/1/chain/nodes', { code: `no_${user}`, name_zh: '节点', name_en: 'Node', kind: 'material', stage: 'upstream' });
      assert.equal(add.status, 403, `${user}: ${add.text}`);
      const e = chain.edges[0];
      assert.equal((await api.call('DELETE', `/api/v1/clusters/1/chain/edges/${e.from}/${e.to}`)).status, 403);

      if (user === 'handler') {
        // It reads an enterprise's place in the chain, and changes nothing.
        await page.goto(`${env.srv.url}/enterprises/2`);
        await page.waitForSelector('[data-section=chain-place] [data-list=links]');
        assert.equal(await page.locator('#ec-add-product, #ec-add-need, #ec-add-link, [data-testid=offer-change], [data-testid=offer-remove]').count(), 0);
        assert.equal((await api.call('PUT', `/api/v1/enterprises/2/products/${n.id}`, { capacity: 1 })).status, 403);
        assert.equal((await api.call('POST', '/api/v1/supply-links', { supplier_id: 1, customer_id: 2, node_id: n.id, annual_value: 1, since: '2025-01-01' })).status, 403);
      }
      if (user === 'qifan') {
        // Its own enterprise's products are its to keep (the server's
        // rule); the chain map is not its to read.
        assert.match(await page.textContent('main'), /not allowed/);
        await page.goto(`${env.srv.url}/enterprises/1`);
        await page.waitForSelector('[data-section=chain-place] [data-list=products]');
        assert.equal(await page.locator('#ec-add-product').count(), 1);
        assert.deepEqual(await overflowing(page), []);
      }
      check();
    } finally {
      await context.close();
    }
  }
});
