// Organisations and coverage in a real browser: an officer opens the
// organisation tree (the committee, the four general branches, the
// branches under one of them), picks a branch and sees the enterprises
// it covers; the coverage page shows the town's and each cluster's share
// as the API has them, the map's grids coloured by the server's fill,
// and the uncovered enterprises of a cluster; switching to every kind of
// organisation changes the figures.  The alliance lists its members.
// Each step is checked against the API, not only the page.
//
//   QUNYAN_BIN=$PWD/build/qunyan node --test tests/browser/organisations.test.mjs
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

test('the organisation tree, a branch\'s enterprises and the alliance', async () => {
  const { context, page, check } = await env.newPage();
  const api = await login(env.srv.url, 'officer');
  try {
    await signIn(page, 'officer');
    await clickNav(page, 'orgs');
    await page.waitForURL(`${env.srv.url}/organisations`);
    await page.waitForSelector('[data-testid=org-tree]');
    const tree = (await api.call('GET', '/api/v1/organisations/tree')).json;
    const committee = tree.items.find((n) => n.kind === 'party_committee');
    // The committee is open: its four general branches show.
    assert.equal(await page.locator('[data-kind=party_general_branch]').count(), 4);
    assert.equal(await page.locator('[data-kind=party_branch], [data-kind=joint_party_branch]').count(), 0);
    const general = committee.children[0];
    await page.locator(`[data-testid=org-node][data-id="${general.id}"] > .org-row [data-testid=org-toggle]`).click();
    const branches = page.locator(`[data-testid=org-node][data-id="${general.id}"] .org-children > [data-testid=org-node]`);
    assert.equal(await branches.count(), general.children.length);
    const reach = await page.locator(`[data-testid=org-node][data-id="${general.id}"] > .org-row [data-testid=org-reach]`).textContent();
    assert.ok(reach.includes(String(general.reach)), reach);
    // A joint branch's enterprises in the panel: the API's list.
    const joint = general.children.find((b) => b.kind === 'joint_party_branch');
    await page.locator(`[data-testid=org-node][data-id="${joint.id}"] [data-testid=org-pick]`).click();
    await page.waitForSelector('[data-testid=org-enterprises]');
    const page1 = (await api.call('GET', `/api/v1/organisations/${joint.id}`)).json;
    assert.equal(await page.locator('[data-testid=org-enterprises] li').count(), page1.enterprises.length);
    // The alliance with its members.
    const ally = (await api.call('GET', '/api/v1/alliances')).json.items[0];
    assert.equal(await page.locator('[data-testid=alliance-member]').count(), ally.members);
    check();
  } finally {
    await context.close();
  }
});

test('coverage by cluster, on the map, and the uncovered of a cluster', async () => {
  const { context, page, check } = await env.newPage();
  const api = await login(env.srv.url, 'officer');
  try {
    await signIn(page, 'officer');
    await clickNav(page, 'orgs');
    await page.click('[data-testid=to-coverage]');
    await page.waitForURL(`${env.srv.url}/coverage`);
    await page.waitForSelector('[data-testid=cov-map]');
    const party = (await api.call('GET', '/api/v1/coverage?kind=party')).json;
    const total = await page.textContent('[data-testid=cov-total]');
    assert.ok(total.includes(String(party.total.covered)) && total.includes(String(party.total.enterprises)), total);
    const shares = await page.locator('[data-testid=cov-clusters] [data-testid=cov-share]').allTextContents();
    assert.deepEqual(shares, party.items.map((i) => `${(i.share * 100).toFixed(1)}%`));
    // The map's cells carry the server's colours.
    const map = (await api.call('GET', '/api/v1/coverage/geojson?kind=party')).json;
    const cells = map.features.filter((f) => f.properties.level === 'cell');
    assert.equal(await page.locator('[data-testid=cov-cell]').count(), cells.length);
    for (const f of cells) {
      const fill = await page.locator(`[data-testid=cov-cell][data-code="${f.properties.code}"] path`).getAttribute('fill');
      assert.equal(fill, f.properties.fill, f.properties.code);
    }
    // The uncovered of the transformation and upgrading cluster.
    const upgrade = party.items.find((i) => i.cluster?.code === 'upgrade');
    const row = page.locator('[data-testid=cov-clusters] [data-testid=cov-row]').nth(party.items.indexOf(upgrade));
    await row.locator('[data-testid=cov-uncovered]').click();
    await page.waitForSelector('[data-testid=cov-list-item]');
    assert.equal(await page.locator('[data-testid=cov-list-item]').count(), upgrade.uncovered);
    // Every kind of organisation: more are reached.
    await page.selectOption('#cov-kind', 'any');
    const any = (await api.call('GET', '/api/v1/coverage')).json;
    await page.waitForFunction((n) => document.querySelector('[data-testid=cov-total]')?.textContent.includes(String(n)), any.total.covered);
    assert.ok(any.total.covered > party.total.covered);
    assert.equal(new URL(page.url()).search, '?kind=any');
    check();
  } finally {
    await context.close();
  }
});
