// The server itself: sessions, throttling, errors, limits, health,
// metrics, request ids, static files and a clean stop.
import test from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { readdirSync } from 'node:fs';
import { start, login } from '../lib/server.mjs';

const srv = await start({ args: ['--login-max-failures', '3'] });
test.after(() => srv.stop());

test('sign in, session, sign out', async () => {
  const s = await login(srv.url, 'officer');
  assert.equal(s.user.role, 'officer');
  assert.match(s.csrf, /^[0-9a-f]{64}$/);
  const me = await s.call('GET', '/api/v1/session');
  assert.equal(me.json.user.username, 'officer');
  assert.equal(me.json.csrf_token, s.csrf);
  const out = await s.call('DELETE', '/api/v1/session');
  assert.equal(out.status, 200);
  const after = await s.call('GET', '/api/v1/session');
  assert.equal(after.json.user, null);
  assert.equal((await s.call('GET', '/api/v1/enterprises')).status, 401);
});

test('the session cookie is HttpOnly and SameSite=Strict', async () => {
  const r = await fetch(`${srv.url}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'qunyan2024' }),
  });
  const c = r.headers.get('set-cookie');
  assert.match(c, /HttpOnly/);
  assert.match(c, /SameSite=Strict/);
  assert.match(c, /qy_session=[0-9a-f]{64}/);
});

test('failed sign-ins are throttled', async () => {
  const attempt = (password) => fetch(`${srv.url}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'handler', password }),
  });
  for (let i = 0; i < 3; i++) assert.equal((await attempt('wrong')).status, 401);
  const r = await attempt('wrong');
  assert.equal(r.status, 429);
  assert.equal(r.headers.get('retry-after'), '900');
  assert.equal((await r.json()).error.code, 'too_many_attempts');
  // even the right password waits out the window
  assert.equal((await attempt('qunyan2024')).status, 429);
  const unknown = await fetch(`${srv.url}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'nobody', password: 'x' }),
  });
  assert.equal(unknown.status, 401);
  const missing = await fetch(`${srv.url}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}',
  });
  assert.equal(missing.status, 422);
});

test('unknown endpoints, wrong methods and request ids', async () => {
  let r = await fetch(`${srv.url}/api/v1/nothing`);
  assert.equal(r.status, 404);
  assert.equal((await r.json()).error.code, 'no_such_endpoint');
  assert.match(r.headers.get('x-request-id'), /^[0-9a-f]{32}$/);
  r = await fetch(`${srv.url}/api/v1/enterprises/1`, { method: 'PUT' });
  assert.equal(r.status, 405);
  assert.match(r.headers.get('allow'), /GET/);
  assert.match(r.headers.get('allow'), /PATCH/);
  r = await fetch(`${srv.url}/healthz`, { headers: { 'X-Request-Id': 'trace-123' } });
  assert.equal(r.headers.get('x-request-id'), 'trace-123');
  r = await fetch(`${srv.url}/healthz`, { headers: { 'X-Request-Id': 'bad id <script>' } });
  assert.notEqual(r.headers.get('x-request-id'), 'bad id <script>');
});

test('healthz', async () => {
  const h = await (await fetch(`${srv.url}/healthz`)).json();
  assert.equal(h.status, 'ok');
  assert.equal(h.schema, readdirSync(new URL('../../src/store/migrations/', import.meta.url)).length);
});

// The runner applies the embedded migrations in the order of their names
// and records how many it applied as the schema's version, so the files
// must be numbered 001, 002, … with no gap and no number twice.
test('migrations are numbered one after another from 001', () => {
  const names = readdirSync(new URL('../../src/store/migrations/', import.meta.url)).sort();
  names.forEach((name, i) => {
    assert.match(name, /^\d{3}_[a-z0-9_]+\.sql$/, name);
    assert.equal(Number(name.slice(0, 3)), i + 1, `${name} is migration ${i + 1}`);
  });
});

test('metrics', async () => {
  await fetch(`${srv.url}/api/v1/enterprises`);
  const m = await (await fetch(`${srv.url}/metrics`)).text();
  assert.match(m, /qunyan_http_requests_total\{route="GET \/api\/v1\/enterprises",status="401"\} \d+/);
  assert.match(m, /qunyan_http_request_duration_seconds_bucket\{le="\+Inf"\} \d+/);
  assert.match(m, /qunyan_db_errors_total 0/);
});

test('the console is served from the binary', async () => {
  const r = await fetch(`${srv.url}/`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html/);
  assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
  const deep = await fetch(`${srv.url}/enterprises/1`);
  assert.equal(deep.status, 200);
  const etag = r.headers.get('etag');
  const again = await fetch(`${srv.url}/`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal((await fetch(`${srv.url}/nope.js`)).status, 404);
  const escape = await fetch(`${srv.url}/%2e%2e/%2e%2e/etc/passwd`);
  assert.doesNotMatch(await escape.text(), /root:/);
  assert.equal((await fetch(`${srv.url}/web/../CMakeLists.txt`)).status, 404);
});

test('the public bulletin holds the demo town\'s own items', async () => {
  const r = await fetch(`${srv.url}/api/v1/bulletin`);
  assert.equal(r.status, 200);
  const items = (await r.json()).items;
  assert.equal(items.length, 6);
  const main = items.find((i) => i.title.includes('书记讲给书记听'));
  assert.equal(main.date, '2024-07-01');
  assert.match(main.body, /274家企业/);
  const jiuliting = items.find((i) => i.body.includes('九里亭'));
  assert.equal(jiuliting.date, '2024-06-08');
});

test('oversized headers are refused without harm', async () => {
  const r = await new Promise((resolve) => {
    const s = connect(srv.port, '127.0.0.1');
    let data = '';
    s.on('data', (d) => { data += d; });
    s.on('close', () => resolve(data));
    s.on('error', () => resolve(data));
    s.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100000)}\r\n\r\n`);
  });
  assert.match(r, /^HTTP\/1\.1 431 /);
  assert.equal((await fetch(`${srv.url}/healthz`)).status, 200);
});

test('SIGTERM lets a request in flight finish and stops cleanly', async () => {
  const other = await start();
  // A sign-in whose body arrives in two halves, with SIGTERM in between:
  // the server must wait for the rest, answer, and only then stop.
  const body = JSON.stringify({ username: 'officer', password: 'qunyan2024' });
  const half = Math.floor(body.length / 2);
  const sock = connect(other.port, '127.0.0.1');
  let answer = '';
  sock.on('data', (d) => { answer += d; });
  const closed = new Promise((r) => sock.on('close', r));
  await new Promise((r) => sock.once('connect', r));
  sock.write(`POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, half)}`);
  await new Promise((r) => setTimeout(r, 200));
  const exited = new Promise((r) => other.proc.once('exit', r));
  other.proc.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(other.proc.exitCode, null, 'still running while a request is in flight');
  sock.write(body.slice(half));
  await closed;
  assert.match(answer, /^HTTP\/1\.1 200/);
  await exited;
  assert.equal(await other.stop(), 0);
});
