// One shape for every list: {"items":[…],"next":…}, next a string to send
// back as cursor for the following page or null on the last one.  Each
// list of the API is read here by a role that may read it; the paged ones
// are followed page by page and must give the rows of one long page, in
// its order, each once.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());
const admin = await login(srv.url, 'admin');
const officer = await login(srv.url, 'officer');
const qifan = await login(srv.url, 'qifan');

// Every list, by who reads it.  The paths hold demo ids that exist.
const LISTS = [
  [admin, '/api/v1/jurisdictions'], [admin, '/api/v1/users'], [admin, '/api/v1/users/1/keys'],
  [officer, '/api/v1/enterprises'], [officer, '/api/v1/enterprises/1/moves'], [admin, '/api/v1/enterprise-moves'],
  [officer, '/api/v1/clusters'], [officer, '/api/v1/organisations'], [officer, '/api/v1/organisations/tree'],
  [officer, '/api/v1/coverage'], [officer, '/api/v1/coverage/uncovered'], [officer, '/api/v1/alliances'],
  [admin, '/api/v1/audit'], [officer, '/api/v1/bulletin'], [officer, '/api/v1/bulletin/tags'],
  [officer, '/api/v1/clusters/1/gaps'], [officer, '/api/v1/clusters/1/loops?year=2016'],
  [officer, '/api/v1/enterprises/1/partners'], [officer, '/api/v1/enterprises/1/attracted'],
  [officer, '/api/v1/leads'], [officer, '/api/v1/grids'], [officer, '/api/v1/grids/1/candidates'],
  [officer, '/api/v1/enterprises/1/visits'], [officer, '/api/v1/enterprises/1/indicators'], [officer, '/api/v1/alerts'],
  [officer, '/api/v1/cases'], [officer, '/api/v1/cases/stats'], [officer, '/api/v1/cases/rankings'],
  [officer, '/api/v1/cases/1/transfers'], [officer, '/api/v1/transfers'], [officer, '/api/v1/cases/1/requests'],
  [officer, '/api/v1/case-requests'], [officer, '/api/v1/departments'], [officer, '/api/v1/case-categories'],
  [officer, '/api/v1/collection-points'], [admin, '/api/v1/webhooks'], [officer, '/api/v1/public/suggestions'],
  [officer, '/api/v1/services'], [officer, '/api/v1/policies'], [officer, '/api/v1/policies/1/eligible'],
  [officer, '/api/v1/policies/1/batches'], [officer, '/api/v1/enterprises/1/questions'],
  [officer, '/api/v1/applications'], [qifan, '/api/v1/applications?mine'], [officer, '/api/v1/events'],
  [officer, '/api/v1/events/alerts'],
];

test('every list answers {"items":[…],"next":…}', async () => {
  for (const [who, path] of LISTS) {
    const r = await who.call('GET', path);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    assert.ok(Array.isArray(r.json.items), `${path}: items is a list (${Object.keys(r.json)})`);
    assert.ok('next' in r.json, `${path}: next is given`);
    assert.ok(r.json.next === null || typeof r.json.next === 'string', `${path}: next is a string or null`);
    for (const old of ['next_cursor', 'next_before', 'cases', 'categories', 'points', 'rows', 'suggestions',
      'departments', 'policies', 'applications', 'loops', 'transfers', 'requests', 'webhooks', 'batches', 'questions']) {
      assert.ok(!(old in r.json), `${path}: no "${old}" beside items`);
    }
  }
});

// A paged list read two rows at a time gives what one page of many gives
// (the audit log's paging is walked in audit.test.mjs, over entries it
// writes itself).
const PAGED = [
  [officer, '/api/v1/enterprises?', 'id'], [officer, '/api/v1/services?', 'id'],
  [officer, '/api/v1/cases?', 'id'], [officer, '/api/v1/public/suggestions?', 'id'], [officer, '/api/v1/events?', 'id'],
  [officer, '/api/v1/bulletin?', 'id'],
];

test('following next as cursor walks a paged list, each row once, in order', async () => {
  for (const [who, path, key] of PAGED) {
    const whole = (await who.call('GET', `${path}limit=9`)).json.items.map((x) => x[key]);
    assert.ok(whole.length >= 5, `${path}: the demo has rows`);
    const walked = [];
    let cursor = null;
    for (let guard = 0; guard < 5; guard++) {
      const r = await who.call('GET', `${path}limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(r.status, 200, `${path}: ${r.text}`);
      walked.push(...r.json.items.map((x) => x[key]));
      cursor = r.json.next;
      if (!cursor) break;
    }
    assert.deepEqual(walked.slice(0, whole.length), whole, path);
    assert.equal(new Set(walked).size, walked.length, `${path}: each row once`);
  }
});

test('a cursor that is not one is refused naming cursor', async () => {
  for (const path of ['/api/v1/cases', '/api/v1/audit', '/api/v1/events', '/api/v1/enterprises', '/api/v1/services']) {
    const who = path.endsWith('audit') ? admin : officer;
    const r = await who.call('GET', `${path}?cursor=zz%20top`);
    assert.equal(r.status, 400, `${path}: ${r.text}`);
    assert.equal(r.json.error.field, 'cursor', path);
  }
});
