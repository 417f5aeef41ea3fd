// Records that leave qunyan and come back: clusters created and changed
// through the API, and the grids' GeoJSON export imported into an empty
// database as it is.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login, cli } from '../lib/server.mjs';

const srv = await start();
const empty = await start({ demo: false });
test.after(async () => { await srv.stop(); await empty.stop(); });
const officer = await login(srv.url, 'officer');
const secretary = await login(srv.url, 'secretary');
const qifan = await login(srv.url, 'qifan');

const clusters = async () => (await officer.call('GET', '/api/v1/clusters')).json.items;
const auditCount = async () => {
  const admin = await login(srv.url, 'admin');
  return (await admin.call('GET', '/api/v1/audit?limit=500')).json.items.length;
};

test('an officer creates a cluster and changes it; the audit log has both', async () => {
  const a0 = await auditCount();
  const lead = (await officer.call('GET', '/api/v1/enterprises?q=Qifan')).json.items[0];
  let r = await officer.call('POST', '/api/v1/clusters', {
    code: 'biomedicine', name_zh: '生物医药产业集群', name_en: 'Biomedicine',
    leading_enterprise_id: lead.id, secretary: 'secretary2',
  });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  assert.equal(r.headers.get('location'), `/api/v1/clusters/${id}`);
  assert.equal(r.json.leading_enterprise_id, lead.id);
  assert.equal(r.json.leading_uscc, lead.uscc);
  assert.equal(r.json.secretary, 'secretary2');
  assert.ok(r.json.secretary_user_id > 0);
  assert.ok((await clusters()).some((c) => c.code === 'biomedicine'));

  r = await officer.call('PATCH', `/api/v1/clusters/${id}`, { name_en: 'Biomedicine and health', secretary: null });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name_en, 'Biomedicine and health');
  assert.equal(r.json.name_zh, '生物医药产业集群', 'fields not sent are kept');
  assert.equal(r.json.secretary, '');
  assert.equal(r.json.secretary_user_id, 0);
  r = await officer.call('GET', `/api/v1/clusters/${id}`);
  assert.equal(r.json.name_en, 'Biomedicine and health');
  assert.equal(await auditCount(), a0 + 2);
});

test('bad clusters are refused naming each field and rule, and nothing is written', async () => {
  const before = await clusters();
  const a0 = await auditCount();
  const cases = [
    [{ name_zh: '无代码' }, 'code', 'required'],
    [{ code: 'Bad Code', name_zh: '大写' }, 'code', 'invalid_code'],
    [{ code: 'x'.repeat(33), name_zh: '太长' }, 'code', 'too_long'],
    [{ code: 'okcode' }, 'name_zh', 'required'],
    [{ code: 'okcode', name_zh: 5 }, 'name_zh', 'wrong_type'],
    [{ code: 'okcode', name_zh: '名'.repeat(101) }, 'name_zh', 'too_long'],
    [{ code: 'okcode', name_zh: '名', leading_enterprise_id: 999999 }, 'leading_enterprise_id', 'unknown_enterprise'],
    [{ code: 'okcode', name_zh: '名', leading_enterprise_id: 'one' }, 'leading_enterprise_id', 'wrong_type'],
    [{ code: 'okcode', name_zh: '名', secretary: 'nobody' }, 'secretary', 'unknown_user'],
    [{ code: 'okcode', name_zh: '名', secretary: 'qifan' }, 'secretary', 'not_a_secretary'],
    [{ code: 'okcode', name_zh: '名', colour: 'red' }, 'colour', 'unknown_field'],
  ];
  for (const [body, field, code] of cases) {
    const r = await officer.call('POST', '/api/v1/clusters', body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    const hit = (r.json.error.errors || [r.json.error]).find((e) => e.field === field);
    assert.ok(hit, `${field} named in ${r.text}`);
    assert.equal(hit.code, code, r.text);
  }
  // A code another cluster has: a conflict.
  let r = await officer.call('POST', '/api/v1/clusters', { code: 'optoelectronic', name_zh: '重复' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.field, 'code');
  r = await officer.call('PATCH', '/api/v1/clusters/2', { code: 'optoelectronic' });
  assert.equal(r.status, 409);
  // Malformed and wrongly typed bodies.
  r = await officer.call('POST', '/api/v1/clusters', '{"code": ');
  assert.equal(r.status, 400);
  r = await officer.call('POST', '/api/v1/clusters', '[1]');
  assert.equal(r.status, 400);
  r = await officer.call('POST', '/api/v1/clusters', 'code=x', { 'Content-Type': 'application/x-www-form-urlencoded' });
  assert.equal(r.status, 415);
  r = await officer.call('PATCH', '/api/v1/clusters/999', { name_en: 'x' });
  assert.equal(r.status, 404);
  assert.deepEqual(await clusters(), before);
  assert.equal(await auditCount(), a0);
});

test('only admins and officers change clusters', async () => {
  const before = await clusters();
  for (const who of [secretary, qifan]) {
    let r = await who.call('POST', '/api/v1/clusters', { code: 'mine', name_zh: '我的' });
    assert.equal(r.status, 403, r.text);
    r = await who.call('PATCH', '/api/v1/clusters/1', { name_en: 'Mine' });
    assert.equal(r.status, 403, r.text);
  }
  const anon = await fetch(`${srv.url}/api/v1/clusters/1`, {
    method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '{"name_en":"x"}',
  });
  assert.equal(anon.status, 401);
  assert.deepEqual(await clusters(), before);
});

test('the grids GeoJSON imports into an empty database as it is, and exports the same', async () => {
  const out = await officer.call('GET', '/api/v1/grids/geojson');
  assert.equal(out.status, 200);
  const fc = out.json;
  // Parents come first and are named by code; no database's ids inside.
  const seen = new Set();
  for (const f of fc.features) {
    assert.equal(f.properties.parent_id, undefined);
    if (f.properties.level === 'town') assert.equal(f.properties.parent_code, null);
    else assert.ok(seen.has(f.properties.parent_code), `${f.properties.code} after its parent`);
    seen.add(f.properties.code);
  }
  // The empty database has no users: one is added, with an API key.
  const env = { ...process.env, QUNYAN_PASSWORD: 'a-good-password' };
  assert.equal(cli(['user', 'add', 'mapper', '--role', 'officer', '--db', empty.db], { env }).status, 0);
  const key = cli(['user', 'key', 'mapper', '--db', empty.db]).stdout.trim();
  const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/geo+json' };
  let r = await fetch(`${empty.url}/api/v1/grids/import`, { method: 'POST', headers, body: out.text });
  assert.equal(r.status, 201, await r.clone().text());
  assert.equal((await r.json()).added, fc.features.length);
  r = await fetch(`${empty.url}/api/v1/grids/geojson`, { headers });
  const again = await r.json();
  const strip = (c) => c.features.map((f) => ({ ...f, properties: { ...f.properties } }));
  assert.deepEqual(strip(again), strip(fc));
  // Another type is still refused.
  r = await fetch(`${empty.url}/api/v1/grids/import`, {
    method: 'POST', headers: { ...headers, 'Content-Type': 'text/plain' }, body: out.text,
  });
  assert.equal(r.status, 415);
  r = await fetch(`${empty.url}/api/v1/grids/import`, {
    method: 'POST', headers: { ...headers, 'Content-Type': 'application/geo+jsonx' }, body: out.text,
  });
  assert.equal(r.status, 415);
});
