// HTTP itself, read off the wire: conditional requests (If-None-Match
// with weak comparison, If-Match with strong comparison, lists, W/ and
// "*"), 304 Not Modified, gzip and its entity-tags, Vary, and
// Cache-Control on every kind of answer.
import test from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { start, login, cli } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());

const officer = await login(srv.url, 'officer');
// An API key for the officer, as a machine client holds one.
const keyRun = cli(['user', 'key', 'officer', '--db', srv.db]);
assert.equal(keyRun.status, 0, keyRun.stderr);
const apiKey = () => keyRun.stdout.trim().split('\n').pop().trim().split(/\s+/).pop();

// One request on its own connection, read to the end: the status, every
// header line as sent (names lower-cased, repeated ones kept) and the
// exact bytes after the header block.  The answer is read until the
// server closes, so nothing sent after the headers can hide.
function raw(method, path, headers = {}, body) {
  return new Promise((resolve, reject) => {
    const s = connect(srv.port, '127.0.0.1');
    const chunks = [];
    s.on('data', (d) => chunks.push(d));
    s.on('error', reject);
    s.on('close', () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return reject(new Error(`no header block in ${JSON.stringify(all.toString())}`));
      const lines = all.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(lines[0].split(' ')[1]);
      const list = lines.slice(1).map((l) => {
        const i = l.indexOf(':');
        return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()];
      });
      const one = (name) => {
        const v = list.filter(([k]) => k === name).map(([, x]) => x);
        assert.ok(v.length <= 1, `${name} sent ${v.length} times`);
        return v[0] ?? null;
      };
      resolve({ status, list, header: one, has: (n) => list.some(([k]) => k === n), body: all.subarray(end + 4) });
    });
    const h = { Host: `127.0.0.1:${srv.port}`, Connection: 'close', ...headers };
    if (body !== undefined) h['Content-Length'] = Buffer.byteLength(body);
    let head = `${method} ${path} HTTP/1.1\r\n`;
    for (const [k, v] of Object.entries(h)) {
      for (const x of Array.isArray(v) ? v : [v]) head += `${k}: ${x}\r\n`;
    }
    // Written without closing our side: the server ends the connection
    // (Connection: close), and a half-closed one could be dropped while
    // its answer waits for the writer.
    s.write(body === undefined ? head + '\r\n' : Buffer.concat([Buffer.from(head + '\r\n'), Buffer.from(body)]));
  });
}

// Signed-in: the session cookie, and the CSRF token on state changes.
const as = (client, method, path, headers = {}, body) => raw(method, path, {
  Cookie: client.cookie,
  ...(method === 'GET' || method === 'HEAD' ? {} : { 'X-CSRF-Token': client.csrf }),
  ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
  ...headers,
}, body === undefined ? undefined : JSON.stringify(body));

// The body as sent, decoded when it is gzip-coded.
const decoded = (r) => (r.header('content-encoding') === 'gzip' ? gunzipSync(r.body) : r.body);

// A 304 as RFC 9110 §15.4.5 has it: the validator and the caching
// headers, and neither a body nor a length for one.
function assertNotModified(r, etag, cache) {
  assert.equal(r.status, 304, r.body.toString());
  assert.equal(r.header('etag'), etag);
  assert.equal(r.header('cache-control'), cache);
  assert.equal(r.has('content-length'), false, 'no Content-Length in a 304');
  assert.equal(r.has('transfer-encoding'), false, 'no Transfer-Encoding in a 304');
  assert.equal(r.body.length, 0, 'no body in a 304');
}

// ---------------------------------------------------------------------

test('If-None-Match on an enterprise: lists, W/ and "*" answer 304; others the record', async () => {
  const first = await as(officer, 'GET', '/api/v1/enterprises/2');
  assert.equal(first.status, 200);
  const rec = JSON.parse(first.body);
  const etag = first.header('etag');
  assert.equal(etag, `"v${rec.version}"`);
  assert.equal(first.header('cache-control'), 'no-store');

  for (const inm of [etag, `"nope", ${etag}`, `"a",\t,W/"b" , ${etag} ,`, `W/${etag}`, '*', `W/"zz", W/${etag}`]) {
    const r = await as(officer, 'GET', '/api/v1/enterprises/2', { 'If-None-Match': inm });
    assertNotModified(r, etag, 'no-store');
    assert.equal(r.has('content-type'), false, 'no representation metadata in a 304');
  }
  // Several field lines make one list.
  assertNotModified(await as(officer, 'GET', '/api/v1/enterprises/2',
    { 'If-None-Match': ['"other"', etag] }), etag, 'no-store');
  // HEAD is conditional too.
  assertNotModified(await as(officer, 'HEAD', '/api/v1/enterprises/2', { 'If-None-Match': etag }), etag, 'no-store');

  // No listed tag matches: the whole record.
  for (const inm of [`"v${rec.version + 1}"`, '"x", W/"y"', `"V${rec.version}"`, '']) {
    const r = await as(officer, 'GET', '/api/v1/enterprises/2', { 'If-None-Match': inm });
    assert.equal(r.status, 200, inm);
    assert.deepEqual(JSON.parse(r.body), rec);
  }
  // A field that is not a list of tags is ignored: the record again.
  for (const inm of [`v${rec.version}`, `${etag} ${etag}`, `*, ${etag}`]) {
    const r = await as(officer, 'GET', '/api/v1/enterprises/2', { 'If-None-Match': inm });
    assert.equal(r.status, 200, inm);
    assert.equal(r.header('etag'), etag);
  }
  // Only a success is replaced: a resource the caller may not see stays 403/404.
  const qifan = await login(srv.url, 'qifan');
  const other = await as(qifan, 'GET', '/api/v1/enterprises/2', { 'If-None-Match': '*' });
  assert.ok(other.status === 403 || other.status === 404, String(other.status));
  assert.equal(other.header('cache-control'), 'no-store');
  // A new version no longer matches the old tag.
  const u = await as(officer, 'PATCH', '/api/v1/enterprises/2', { 'If-Match': etag }, { employees: rec.employees + 1 });
  assert.equal(u.status, 200, u.body.toString());
  const now = await as(officer, 'GET', '/api/v1/enterprises/2', { 'If-None-Match': etag });
  assert.equal(now.status, 200);
  assert.equal(now.header('etag'), `"v${rec.version + 1}"`);
});

test('If-Match on an enterprise: strong, with lists and "*"; 412 and 428 name the current tag', async () => {
  const path = '/api/v1/enterprises/3';
  const tagOf = async () => (await as(officer, 'GET', path)).header('etag');
  const patch = (im, employees) => as(officer, 'PATCH', path, im === undefined ? {} : { 'If-Match': im }, { employees });

  let etag = await tagOf();
  const n = Number(etag.slice(2, -1));
  // Accepted: the current tag alone, in a list, "*", its gzip form.
  let r = await patch(etag, 101);
  assert.equal(r.status, 200, r.body.toString());
  assert.equal(JSON.parse(r.body).employees, 101);
  assert.equal(r.header('etag'), `"v${n + 1}"`);
  r = await patch(`"v${n - 1}", "v${n + 1}", "v${n + 7}"`, 102);
  assert.equal(r.status, 200, r.body.toString());
  r = await patch('*', 103);
  assert.equal(r.status, 200, r.body.toString());
  r = await patch(`"v${n + 3}-gz"`, 104);
  assert.equal(r.status, 200, r.body.toString());
  r = await patch(['"v1"', `"v${n + 4}"`], 105);
  assert.equal(r.status, 200, 'several field lines make one list');
  etag = await tagOf();
  assert.equal(etag, `"v${n + 5}"`);

  // Refused: a weak tag never matches strongly, even the current one.
  r = await patch(`W/${etag}`, 1);
  assert.equal(r.status, 412);
  let e = JSON.parse(r.body).error;
  assert.equal(e.code, 'stale_version');
  assert.ok(e.message.includes(etag), e.message);
  r = await patch(`W/${etag}, "v1"`, 1);
  assert.equal(r.status, 412);
  // An old version, alone or in a list.
  r = await patch(`"v${n}", "v${n + 1}"`, 1);
  assert.equal(r.status, 412);
  e = JSON.parse(r.body).error;
  assert.equal(e.code, 'stale_version');
  assert.ok(e.message.includes(etag), e.message);
  // Not a list of tags: refused, not guessed at.
  r = await patch(`v${n + 5}`, 1);
  assert.equal(r.status, 412);
  e = JSON.parse(r.body).error;
  assert.equal(e.code, 'invalid_if_match');
  assert.ok(e.message.includes(etag), e.message);
  // None at all: 428, naming the tag to send.
  r = await patch(undefined, 1);
  assert.equal(r.status, 428);
  e = JSON.parse(r.body).error;
  assert.equal(e.code, 'if_match_required');
  assert.ok(e.message.includes(etag), e.message);
  assert.equal(r.header('cache-control'), 'no-store');
  // Nothing of the refused ones was written.
  assert.equal(JSON.parse((await as(officer, 'GET', path)).body).employees, 105);
});

test('cases carry "v<version>" tags; If-Match with lists, "*", and weak tags refused', async () => {
  const created = await as(officer, 'POST', '/api/v1/cases', {},
    { kind: 'problem', category: 'land', text: `条件请求测试 ${process.pid} ${Date.now()}` });
  assert.equal(created.status, 201, created.body.toString());
  const id = JSON.parse(created.body).case.id;
  const g = await as(officer, 'GET', `/api/v1/cases/${id}`);
  assert.equal(g.status, 200);
  const version = JSON.parse(decoded(g)).case.version;
  const identity = `"v${version}"`;
  assert.match(g.header('etag'), new RegExp(`^"v${version}(-gz)?"$`));
  // The tag a GET gave is the one If-None-Match and If-Match take.
  assertNotModified(await as(officer, 'GET', `/api/v1/cases/${id}`, { 'If-None-Match': identity }), identity, 'no-store');

  // Weak: refused.
  let r = await as(officer, 'POST', `/api/v1/cases/${id}/transition`, { 'If-Match': `W/${identity}` }, { to: 'accepted' });
  assert.equal(r.status, 412, r.body.toString());
  assert.ok(JSON.parse(decoded(r)).error.message.includes(identity));
  // The old form is another tag.
  r = await as(officer, 'POST', `/api/v1/cases/${id}/transition`, { 'If-Match': `"${version}"` }, { to: 'accepted' });
  assert.equal(r.status, 412, r.body.toString());
  // A list holding the current tag: accepted, and the answer names the next.
  r = await as(officer, 'POST', `/api/v1/cases/${id}/transition`, { 'If-Match': `"v0", ${identity}` }, { to: 'accepted' });
  assert.equal(r.status, 200, decoded(r).toString());
  const moved = JSON.parse(decoded(r)).case;
  assert.equal(moved.state, 'accepted');
  assert.ok(moved.version > version);
  assert.match(r.header('etag'), new RegExp(`^"v${moved.version}(-gz)?"$`));
  // A stale tag loses; the tag as sent with the last answer wins.
  const acceptedTag = r.header('etag');
  const move = (client, im, to, note) => as(client, 'POST', `/api/v1/cases/${id}/transition`,
    im === undefined ? {} : { 'If-Match': im }, { to, note });
  r = await move(officer, identity, 'assigned', '派至经济园区');
  assert.equal(r.status, 412);
  assert.equal(JSON.parse(decoded(r)).error.code, 'stale_version');
  r = await move(officer, acceptedTag, 'assigned', '派至经济园区');
  assert.equal(r.status, 200, decoded(r).toString());
  // "*" is any current version; a weak tag is refused.
  const handler = await login(srv.url, 'handler');
  r = await move(handler, '*', 'in_progress', '已联系企业');
  assert.equal(r.status, 200, decoded(r).toString());
  r = await move(handler, `W/${r.header('etag')}`, 'resolved', '已协调厂房');
  assert.equal(r.status, 412);
  // If-Match stays optional on cases.
  r = await move(handler, undefined, 'resolved', '已协调厂房');
  assert.equal(r.status, 200, decoded(r).toString());
  assert.equal(JSON.parse(decoded(r)).case.state, 'resolved');
});

test('grids: If-Match with a list, "*", the gzip form; weak and stale refused', async () => {
  const list = JSON.parse(decoded(await as(officer, 'GET', '/api/v1/grids', { 'Accept-Encoding': 'gzip' })));
  const cell = list.items.find((x) => x.level === 'cell' && x.code === 'ZY-E1') ||
    list.items.find((x) => x.level === 'cell');
  const path = `/api/v1/grids/${cell.id}`;
  const got = await as(officer, 'GET', path, { 'Accept-Encoding': 'gzip' });
  assert.equal(got.status, 200);
  const g = JSON.parse(decoded(got)).grid;
  // A grid with its enterprises is large: gzip-coded, with its own tag.
  assert.equal(got.header('content-encoding'), 'gzip');
  assert.equal(got.header('etag'), `"v${g.version}-gz"`);
  const body = { code: g.code, name_zh: g.name_zh, name_en: g.name_en, level: g.level, parent_id: g.parent_id, geometry: g.geometry };
  const put = (im) => as(officer, 'PUT', path, im === undefined ? {} : { 'If-Match': im }, body);

  let r = await put(`W/"v${g.version}"`);
  assert.equal(r.status, 412, decoded(r).toString());
  assert.ok(JSON.parse(decoded(r)).error.message.includes(`"v${g.version}"`));
  r = await put(undefined);
  assert.equal(r.status, 428);
  // Accepted: the tag the GET gave (its gzip form), a list, "*".
  r = await put(got.header('etag'));
  assert.equal(r.status, 200, decoded(r).toString());
  assert.equal(r.header('etag'), `"v${g.version + 1}"`);
  r = await put(`"v${g.version}", "v${g.version + 1}"`);
  assert.equal(r.status, 200, decoded(r).toString());
  r = await put('*');
  assert.equal(r.status, 200, decoded(r).toString());
  // The old tag is stale now.
  r = await put(got.header('etag'));
  assert.equal(r.status, 412);
  assert.equal(JSON.parse(decoded(r)).error.code, 'stale_version');
  // If-None-Match: the identity and the gzip form both name what the client has.
  const now = `"v${g.version + 3}"`;
  assertNotModified(await as(officer, 'GET', path, { 'Accept-Encoding': 'gzip', 'If-None-Match': `"v${g.version + 3}-gz"` }),
    `"v${g.version + 3}-gz"`, 'no-store');
  assertNotModified(await as(officer, 'GET', path, { 'Accept-Encoding': 'gzip', 'If-None-Match': now }), now, 'no-store');
  // A client that no longer takes gzip cannot use its gzip copy.
  r = await as(officer, 'GET', path, { 'If-None-Match': `"v${g.version + 3}-gz"` });
  assert.equal(r.status, 200);
  assert.equal(r.header('etag'), now);
  assert.equal(r.has('content-encoding'), false);
});

test('leads: an If-Match sent with a stage change is checked', async () => {
  const next = { contacted: 'visited', visited: 'negotiating', negotiating: 'signed' };
  const leads = JSON.parse(decoded(await as(officer, 'GET', '/api/v1/leads?open=true')));
  const open = leads.items.find((l) => next[l.stage]);
  assert.ok(open, 'the demo has open leads');
  const got = await as(officer, 'GET', `/api/v1/leads/${open.id}`);
  assert.equal(got.header('etag'), `"v${open.version}"`);
  const to = next[open.stage];
  let r = await as(officer, 'POST', `/api/v1/leads/${open.id}/stage`, { 'If-Match': `W/"v${open.version}"` }, { stage: to });
  assert.equal(r.status, 412, decoded(r).toString());
  r = await as(officer, 'POST', `/api/v1/leads/${open.id}/stage`, { 'If-Match': `"x", "v${open.version}"` }, { stage: to });
  assert.equal(r.status, 200, decoded(r).toString());
  assert.equal(r.header('etag'), `"v${open.version + 1}"`);
});

test('gzip: big answers are coded when the client takes it, and decode to the same bytes', async () => {
  const path = '/api/v1/enterprises?limit=100';
  const plain = await as(officer, 'GET', path);
  assert.equal(plain.status, 200);
  assert.ok(plain.body.length > 1024, 'a big answer');
  assert.equal(plain.has('content-encoding'), false);
  assert.equal(plain.header('vary'), 'Accept-Encoding');
  assert.equal(Number(plain.header('content-length')), plain.body.length);

  for (const ae of ['gzip', 'gzip, deflate, br', 'br;q=1.0, gzip;q=0.5', '*', 'x-gzip', 'identity;q=0.5, gzip']) {
    const z = await as(officer, 'GET', path, { 'Accept-Encoding': ae });
    assert.equal(z.status, 200);
    assert.equal(z.header('content-encoding'), 'gzip', ae);
    assert.equal(z.header('vary'), 'Accept-Encoding');
    assert.equal(z.header('cache-control'), 'no-store');
    assert.equal(Number(z.header('content-length')), z.body.length);
    assert.ok(z.body.length < plain.body.length / 3, 'smaller');
    assert.ok(gunzipSync(z.body).equals(plain.body), `${ae}: the same bytes once decoded`);
  }
  for (const ae of ['gzip;q=0', 'gzip;q=0, *', '*;q=0', 'deflate, br', 'identity', '', 'gzip;q=0.5, identity']) {
    const r = await as(officer, 'GET', path, { 'Accept-Encoding': ae });
    assert.equal(r.has('content-encoding'), false, ae);
    assert.equal(r.header('vary'), 'Accept-Encoding', ae);
    assert.ok(r.body.equals(plain.body), ae);
  }
  // HEAD says what GET would send.
  const h = await as(officer, 'HEAD', path, { 'Accept-Encoding': 'gzip' });
  assert.equal(h.header('content-encoding'), 'gzip');
  assert.equal(h.body.length, 0);

  // Small answers are sent as they are, but may vary.
  const small = await as(officer, 'GET', '/api/v1/session', { 'Accept-Encoding': 'gzip' });
  assert.ok(small.body.length <= 1024);
  assert.equal(small.has('content-encoding'), false);
  assert.equal(small.header('vary'), 'Accept-Encoding');
  assert.ok(JSON.parse(small.body).user);

  // A record's tag follows its coding: identity "v<n>", gzip "v<n>-gz".
  const grid = await as(officer, 'GET', '/api/v1/grids/5');
  const gridz = await as(officer, 'GET', '/api/v1/grids/5', { 'Accept-Encoding': 'gzip' });
  assert.match(grid.header('etag'), /^"v\d+"$/);
  assert.equal(gridz.header('content-encoding'), 'gzip');
  assert.equal(gridz.header('etag'), grid.header('etag').replace(/"$/, '-gz"'));
  assert.ok(gunzipSync(gridz.body).equals(grid.body));
  const small1 = await as(officer, 'GET', '/api/v1/leads/1', { 'Accept-Encoding': 'gzip' });
  assert.equal(small1.has('content-encoding'), false);
  assert.match(small1.header('etag'), /^"v\d+"$/);
});

test('PNG photos are not coded and, signed in, not stored', async () => {
  const created = await as(officer, 'POST', '/api/v1/cases', {},
    { kind: 'problem', category: 'land', text: `照片压缩测试 ${process.pid} ${Date.now()}` });
  const id = JSON.parse(created.body).case.id;
  // A valid PNG followed by padding: large and very compressible.
  const png = Buffer.concat([Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'), Buffer.alloc(4000)]);
  const up = await raw('POST', `/api/v1/cases/${id}/photos`,
    { Cookie: officer.cookie, 'X-CSRF-Token': officer.csrf, 'Content-Type': 'image/png' }, png);
  assert.equal(up.status, 201, up.body.toString());
  const url = up.header('location');
  const r = await as(officer, 'GET', url, { 'Accept-Encoding': 'gzip' });
  assert.equal(r.status, 200);
  assert.equal(r.header('content-type'), 'image/png');
  assert.equal(r.has('content-encoding'), false);
  assert.equal(r.has('vary'), false, 'a PNG is never coded, so it does not vary');
  assert.equal(r.header('cache-control'), 'no-store');
  assert.ok(r.body.equals(png));
});

test('Cache-Control: no-store on every answer of the API, whatever its type; no-cache on the console', async () => {
  const checks = [
    ['signed-in JSON', () => as(officer, 'GET', '/api/v1/enterprises/1'), /application\/json/],
    ['signed-in GeoJSON export', () => as(officer, 'GET', '/api/v1/grids/geojson', { 'Accept-Encoding': 'gzip' }), /application\/geo\+json/],
    ['signed-in error', () => as(officer, 'GET', '/api/v1/enterprises/999999'), /application\/json/],
    ['API key', () => raw('GET', '/api/v1/enterprises/1', { Authorization: 'Bearer nope' }), /application\/json/],
    ['anonymous refusal', () => raw('GET', '/api/v1/enterprises/1'), /application\/json/],
    ['public list', () => raw('GET', '/api/v1/case-categories'), /application\/json/],
    ['Open311 XML', () => raw('GET', '/open311/v2/services.xml', { 'Accept-Encoding': 'gzip' }), /xml/],
    ['health', () => raw('GET', '/healthz'), /application\/json/],
    ['metrics', () => raw('GET', '/metrics', { 'Accept-Encoding': 'gzip' }), /text\/plain/],
    ['a missing page', () => raw('GET', '/nope.js'), /application\/json/],
  ];
  for (const [what, get, type] of checks) {
    const r = await get();
    assert.match(r.header('content-type') || '', type, what);
    assert.equal(r.header('cache-control'), 'no-store', what);
  }
  // The GeoJSON export is big: coded, varies, and still no-store.
  const geo = await as(officer, 'GET', '/api/v1/grids/geojson', { 'Accept-Encoding': 'gzip' });
  assert.equal(geo.header('content-encoding'), 'gzip');
  assert.equal(geo.header('vary'), 'Accept-Encoding');
  assert.equal(JSON.parse(gunzipSync(geo.body)).type, 'FeatureCollection');
  // So is the same export with an API key.
  const key = await raw('GET', '/api/v1/grids/geojson', { Authorization: `Bearer ${apiKey()}` });
  assert.equal(key.status, 200, key.body.toString().slice(0, 300));
  assert.equal(key.header('cache-control'), 'no-store');
  const xml = await raw('GET', '/open311/v2/services.xml', { 'Accept-Encoding': 'gzip' });
  assert.match(decoded(xml).toString(), /<services>/);

  const page = await raw('GET', '/', { Cookie: officer.cookie });
  assert.equal(page.header('cache-control'), 'no-cache');
});

test('the console\'s files: gzip with its own tag, and 304 for either tag', async () => {
  const plain = await raw('GET', '/app.js');
  assert.equal(plain.status, 200);
  assert.ok(plain.body.length > 1024);
  assert.equal(plain.has('content-encoding'), false);
  assert.equal(plain.header('vary'), 'Accept-Encoding');
  assert.equal(plain.header('cache-control'), 'no-cache');
  const tag = plain.header('etag');
  assert.match(tag, /^"[0-9a-f]{8}"$/);

  const z = await raw('GET', '/app.js', { 'Accept-Encoding': 'gzip, deflate' });
  assert.equal(z.header('content-encoding'), 'gzip');
  const ztag = z.header('etag');
  assert.equal(ztag, tag.replace(/"$/, '-gz"'));
  assert.ok(gunzipSync(z.body).equals(plain.body));

  const nm = await raw('GET', '/app.js', { 'If-None-Match': tag });
  assertNotModified(nm, tag, 'no-cache');
  assert.equal(nm.header('vary'), 'Accept-Encoding');
  assert.match(nm.header('content-security-policy'), /default-src 'self'/);
  assertNotModified(await raw('GET', '/app.js', { 'Accept-Encoding': 'gzip', 'If-None-Match': ztag }), ztag, 'no-cache');
  assertNotModified(await raw('GET', '/app.js', { 'Accept-Encoding': 'gzip', 'If-None-Match': `"x", W/${tag}` }), tag, 'no-cache');
  assertNotModified(await raw('GET', '/app.js', { 'If-None-Match': '*' }), tag, 'no-cache');
  assertNotModified(await raw('HEAD', '/app.js', { 'If-None-Match': tag }), tag, 'no-cache');
  // Another file's tag, or the gzip tag to a client that takes no gzip.
  assert.equal((await raw('GET', '/app.js', { 'If-None-Match': '"00000000"' })).status, 200);
  const back = await raw('GET', '/app.js', { 'If-None-Match': ztag });
  assert.equal(back.status, 200);
  assert.equal(back.header('etag'), tag);
  // Small files and images are sent as they are.
  const svg = await raw('GET', '/logo.svg', { 'Accept-Encoding': 'gzip' });
  assert.equal(svg.status, 200);
  assert.equal(svg.has('content-encoding'), false);
  assert.equal(svg.header('vary'), 'Accept-Encoding');
});

test('after a 304 the server still answers', async () => {
  // The 304 ends its connection; a client on a kept-alive one goes on.
  const tag = (await raw('GET', '/app.js')).header('etag');
  for (let i = 0; i < 3; i++) {
    const r = await fetch(`${srv.url}/app.js`, { headers: { 'If-None-Match': tag } });
    assert.equal(r.status, 304);
    assert.equal((await fetch(`${srv.url}/healthz`)).status, 200);
  }
});

test('two truly concurrent edits with the same tag: one wins, the other is told the version moved', async () => {
  const other = await login(srv.url, 'officer');
  for (const [path, body, again] of [
    ['/api/v1/enterprises/5', { employees: 111 }, { employees: 222 }],
    ['/api/v1/enterprises/6', { name_en: 'Concurrent A' }, { name_en: 'Concurrent B' }],
  ]) {
    const tag = (await officer.call('GET', path)).headers.get('etag').replace('-gz', '');
    const [a, b] = await Promise.all([
      officer.call('PATCH', path, body, { 'If-Match': tag }),
      other.call('PATCH', path, again, { 'If-Match': tag }),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [200, 412], `${a.text} / ${b.text}`);
    const won = a.status === 200 ? body : again;
    const now = (await officer.call('GET', path)).json;
    for (const [k, v] of Object.entries(won)) assert.equal(now[k], v);
    assert.equal(`"v${now.version}"`, `"v${Number(tag.match(/\d+/)[0]) + 1}"`, 'one new version, not two');
  }
  // A grid's PUT without If-Match is refused, naming the tag to send.
  const g = (await officer.call('GET', '/api/v1/grids/4')).json.grid;
  const r = await officer.call('PUT', '/api/v1/grids/4', { code: g.code, name_zh: g.name_zh, level: g.level, parent_id: g.parent_id, geometry: g.geometry });
  assert.equal(r.status, 428, r.text);
  assert.match(r.json.error.message, /"v\d+"/);
});
