// The transport, attacked: request smuggling (Content-Length against
// Transfer-Encoding, several lengths, unknown codings, lengths beyond 64
// bits) read off the wire byte for byte; encoded NULs in the target; the
// methods of /healthz and /metrics; the public intake's rate limits; and
// floods of slow and silent connections from a few addresses, which must
// leave room for everyone else.  Loopback only: the floods come from
// other addresses of 127.0.0.0/8.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { start, cli } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Sends the parts on a new connection (from a given loopback address),
// pausing `pause` ms between them, and reads until the server closes the
// connection or `wait` ms pass.  -> {bytes, closed}
function exchange(port, parts, { from, pause = 60, wait = 3000 } = {}) {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1', ...(from ? { localAddress: from } : {}) });
    const chunks = [];
    let done = false;
    const finish = (closed) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      resolve({ bytes: Buffer.concat(chunks), closed });
    };
    const timer = setTimeout(() => finish(false), wait);
    s.on('data', (d) => chunks.push(d));
    s.on('error', () => finish(true));
    s.on('close', () => finish(true));
    s.on('connect', async () => {
      for (const [i, p] of parts.entries()) {
        if (i) await sleep(pause);
        if (!s.destroyed) s.write(p);
      }
    });
  });
}

// The answers in a byte stream, each framed by its Content-Length (every
// answer of this server has one): [{status, head, headers, body}] and
// the bytes after the last one.
function answers(bytes) {
  const out = [];
  let at = 0;
  while (at < bytes.length) {
    const end = bytes.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const head = bytes.subarray(at, end).toString('latin1');
    const lines = head.split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3}) /.exec(lines[0]);
    if (!m) break;
    const headers = new Map();
    for (const l of lines.slice(1)) {
      const i = l.indexOf(':');
      const k = l.slice(0, i).trim().toLowerCase();
      headers.set(k, [...(headers.get(k) || []), l.slice(i + 1).trim()]);
    }
    const len = Number((headers.get('content-length') || ['0'])[0]);
    const body = bytes.subarray(end + 4, end + 4 + len);
    out.push({ status: Number(m[1]), head, headers, body: body.toString('utf8') });
    at = end + 4 + len;
  }
  return { list: out, rest: bytes.subarray(at).toString('latin1') };
}

// Exactly one answer with this status, nothing after it, and the
// connection closed by the server.
function refusedOnce(ex, status, code, what) {
  const text = ex.bytes.toString('latin1');
  const statusLines = text.match(/HTTP\/1\.[01] \d{3}/g) || [];
  assert.equal(statusLines.length, 1, `${what}: one status line, got ${JSON.stringify(text)}`);
  const { list, rest } = answers(ex.bytes);
  assert.equal(list.length, 1, `${what}: ${JSON.stringify(text)}`);
  assert.equal(list[0].status, status, `${what}: ${JSON.stringify(text)}`);
  assert.equal(rest, '', `${what}: nothing after the answer`);
  assert.equal(list[0].headers.get('content-length').length, 1, `${what}: one Content-Length`);
  assert.equal(list[0].headers.get('connection')?.[0], 'close', `${what}: Connection: close`);
  assert.ok(ex.closed, `${what}: the server closes the connection`);
  if (code) assert.equal(JSON.parse(list[0].body).error.code, code, what);
  return list[0];
}

const HOST = 'Host: 127.0.0.1\r\n';
// A request hidden in a body, which a server that reads the body the
// other way would answer.
const HIDDEN = `GET /healthz HTTP/1.1\r\n${HOST}\r\n`;

test('Content-Length with Transfer-Encoding: 400, the connection closed, nothing hidden answered', async () => {
  const body = `0\r\n\r\n${HIDDEN}`;
  for (const fields of [
    `Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n`,
    `Transfer-Encoding: chunked\r\nContent-Length: ${body.length}\r\n`,
    `Content-Length: 3\r\nTransfer-Encoding: chunked\r\n`,
  ]) {
    const ex = await exchange(srv.port, [`POST /api/v1/public/cases HTTP/1.1\r\n${HOST}Content-Type: application/json\r\n${fields}\r\n${body}`]);
    refusedOnce(ex, 400, 'ambiguous_length', fields);
  }
});

test('two Content-Lengths, or a list of them: 400 and closed', async () => {
  const cases = [
    [`Content-Length: 0\r\nContent-Length: ${HIDDEN.length}\r\n`, 'ambiguous_length'],
    [`Content-Length: ${HIDDEN.length}\r\nContent-Length: 0\r\n`, 'ambiguous_length'],
    ['Content-Length: 5\r\nContent-Length: 5\r\n', 'ambiguous_length'],
    ['Content-Length: 5, 6\r\n', 'bad_content_length'],
    ['Content-Length: 5,5\r\n', 'bad_content_length'],
    ['Content-Length: 0x10\r\n', 'bad_content_length'],
    ['Content-Length: -1\r\n', 'bad_content_length'],
    ['Content-Length:\r\n', 'bad_content_length'],
    ['Content-Length: 5\r\n 6\r\n', 'malformed_header'], // folded onto a second line
    ['Content-Length:\r\n\t5\r\n', 'malformed_header'],
  ];
  for (const [fields, code] of cases) {
    const ex = await exchange(srv.port, [`POST /api/v1/session HTTP/1.1\r\n${HOST}${fields}\r\n${HIDDEN}`]);
    refusedOnce(ex, 400, code, fields);
  }
  // whitespace between a field's name and its colon (RFC 9112 §5.1)
  const ex = await exchange(srv.port, [`POST /api/v1/session HTTP/1.1\r\n${HOST}Content-Length : ${HIDDEN.length}\r\n\r\n${HIDDEN}`]);
  refusedOnce(ex, 400, 'malformed_header', 'a blank before the colon');
  // any field folded over two lines (obs-fold, RFC 9112 §5.2), which
  // libmicrohttpd would append to the field's name
  for (const fields of ['X-Note: a\r\n b\r\n', 'Transfer-Encoding:\r\n chunked\r\n', 'Accept: */*\r\n\tx: y\r\n']) {
    const f = await exchange(srv.port, [`POST /api/v1/session HTTP/1.1\r\n${HOST}${fields}Content-Length: ${HIDDEN.length}\r\n\r\n${HIDDEN}`]);
    refusedOnce(f, 400, null, fields);
  }
});

test('a transfer coding other than chunked: 501 Not Implemented, closed', async () => {
  for (const te of ['xchunked', 'chunked, identity', 'gzip', 'gzip, chunked', 'identity', 'chunked ']) {
    const ex = await exchange(srv.port, [`POST /api/v1/session HTTP/1.1\r\n${HOST}Transfer-Encoding: ${te}\r\n\r\n0\r\n\r\n${HIDDEN}`]);
    refusedOnce(ex, 501, 'unsupported_transfer_encoding', te);
  }
  const two = await exchange(srv.port, [`POST /api/v1/session HTTP/1.1\r\n${HOST}Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`]);
  refusedOnce(two, 501, 'unsupported_transfer_encoding', 'two fields');
  // HTTP/1.0 has no transfer codings at all
  const old = await exchange(srv.port, [`POST /api/v1/session HTTP/1.0\r\n${HOST}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n`]);
  refusedOnce(old, 400, 'bad_transfer_encoding', 'HTTP/1.0');
});

test('a Content-Length beyond 64 bits: one 413, whole or in pieces, first or after another request', async () => {
  const big = '99999999999999999999';
  const whole = await exchange(srv.port, [`POST /api/v1/session HTTP/1.1\r\n${HOST}Content-Length: ${big}\r\n\r\n`]);
  refusedOnce(whole, 413, 'body_too_large', 'whole');
  // every split of the field's line, the name included
  const line = `Content-Length: ${big}\r\n`;
  for (const cut of [1, 5, 10, 14, 15, 17, 30, line.length - 1]) {
    const ex = await exchange(srv.port, [`POST /api/v1/session HTTP/1.1\r\n${HOST}${line.slice(0, cut)}`, line.slice(cut), '\r\n']);
    refusedOnce(ex, 413, 'body_too_large', `split at ${cut}`);
  }
  // byte by byte
  const slow = await exchange(srv.port, [`POST /api/v1/session HTTP/1.1\r\n${HOST}`, ...`${line}\r\n`], { pause: 5 });
  refusedOnce(slow, 413, 'body_too_large', 'byte by byte');
  const lower = await exchange(srv.port, [`POST /api/v1/session HTTP/1.1\r\n${HOST}content-length:\t${big}\r\n\r\n`]);
  refusedOnce(lower, 413, 'body_too_large', 'lower case, a tab');

  // after a first request on the same connection, sent behind it at once
  // and sent after its answer
  const first = `GET /healthz HTTP/1.1\r\n${HOST}\r\n`;
  const post = `POST /api/v1/session HTTP/1.1\r\n${HOST}Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`;
  for (const parts of [[first + post + `POST /x HTTP/1.1\r\n${HOST}${line}\r\n`],
    [first, `POST /x HTTP/1.1\r\n${HOST}${line}\r\n`]]) {
    const ex = await exchange(srv.port, parts, { pause: 300 });
    const text = ex.bytes.toString('latin1');
    const { list, rest } = answers(ex.bytes);
    const statuses = list.map((a) => a.status);
    assert.equal(statuses.at(-1), 413, text);
    assert.equal((text.match(/HTTP\/1\.1 413/g) || []).length, 1, text);
    assert.equal(statuses[0], 200, text);
    assert.equal(rest, '', text);
    assert.ok(ex.closed);
  }
});

test('well-framed requests still go through: chunked bodies, and requests after them', async () => {
  const json = JSON.stringify({ kind: 'suggestion', category: 'community', text: '传输测试：分块上传的建议' });
  const b = Buffer.from(json);
  const chunked = `${b.subarray(0, 10).length.toString(16)}\r\n${b.subarray(0, 10).toString('latin1')}\r\n`
    + `${b.subarray(10).length.toString(16)}\r\n${b.subarray(10).toString('latin1')}\r\n0\r\n\r\n`;
  const head = `POST /api/v1/public/cases HTTP/1.1\r\n${HOST}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
  const ex = await exchange(srv.port, [Buffer.concat([Buffer.from(head), Buffer.from(chunked, 'latin1')]),
    `GET /healthz HTTP/1.1\r\n${HOST}Connection: close\r\n\r\n`], { pause: 800 });
  const { list, rest } = answers(ex.bytes);
  assert.deepEqual(list.map((a) => a.status), [201, 200], ex.bytes.toString());
  assert.equal(rest, '');
  // Content-Length bodies, back to back on one connection: each answered
  // once, in order
  const login = `POST /api/v1/session HTTP/1.1\r\n${HOST}Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`;
  const three = await exchange(srv.port, [`GET /healthz HTTP/1.1\r\n${HOST}\r\n${login}GET /healthz HTTP/1.1\r\n${HOST}Connection: close\r\n\r\n`]);
  const got = answers(three.bytes);
  assert.equal(got.list.length, 3, three.bytes.toString());
  assert.equal(got.list[0].status, 200);
  assert.ok(got.list[1].status >= 400 && got.list[1].status < 500 && got.list[1].status !== 413);
  assert.equal(got.list[2].status, 200);
  // a Content-Length with leading zeros and blanks is a number
  const zeros = await exchange(srv.port, [`POST /api/v1/session HTTP/1.1\r\n${HOST}Content-Type: application/json\r\nContent-Length:   002\r\nConnection: close\r\n\r\n{}`]);
  assert.ok(![400, 413, 501].includes(answers(zeros.bytes).list[0].status), zeros.bytes.toString());
});

test('an encoded NUL in the path or in a query value is refused, not cut short', async () => {
  for (const path of ['/api/v1/public/cases/AB%00CD', '/api/v1/public/suggestions?category=community%00x',
    '/api/v1/public/suggestions?x%00=1', '/healthz?probe=%00', '/open311/v2/requests.json?service_code=road_lighting%00',
    '/index.html%00.png']) {
    const r = await fetch(`${srv.url}${path}`);
    const text = await r.text();
    assert.equal(r.status, 400, `${path}: ${text}`);
    assert.equal(JSON.parse(text).error.code, 'nul_in_target', path);
  }
  // "%2500" is the text "%00", not a NUL
  const fine = await fetch(`${srv.url}/api/v1/public/suggestions?category=%2500`);
  assert.notEqual(fine.status, 500);
  assert.notEqual((await fine.json()).error?.code, 'nul_in_target');
});

test('/healthz and /metrics answer GET and HEAD only, 405 with Allow otherwise', async () => {
  for (const path of ['/healthz', '/metrics']) {
    for (const method of ['GET', 'HEAD']) {
      const r = await fetch(`${srv.url}${path}`, { method });
      assert.equal(r.status, 200, `${method} ${path}`);
    }
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const r = await fetch(`${srv.url}${path}`, { method, ...(method === 'OPTIONS' ? {} : { body: '{}' }) });
      const text = await r.text();
      assert.equal(r.status, 405, `${method} ${path}: ${text}`);
      assert.equal(r.headers.get('allow'), 'GET, HEAD', `${method} ${path}`);
      assert.equal(JSON.parse(text).error.code, 'method_not_allowed');
    }
  }
});

// One HTTP request from a given loopback address, on a new connection.
function call(port, { from, method = 'GET', path, headers = {}, body, timeout = 5000 }) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path, method, localAddress: from, agent: false, headers: {
      ...headers, ...(body !== undefined ? { 'Content-Length': Buffer.byteLength(body) } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text, ms: performance.now() - t0 }));
    });
    // a whole-request limit: connecting counts too
    const timer = setTimeout(() => req.destroy(new Error('timed out')), timeout);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (e) => resolve({ status: 0, error: String(e), ms: performance.now() - t0 }));
    req.end(body);
  });
}

test('the public intake is limited per address and in total: 429 with Retry-After', async () => {
  // By the environment, so that a server without the settings starts
  // (and fails the test by answering).
  const s = await start({ env: { QUNYAN_INTAKE_PER_IP: '3', QUNYAN_INTAKE_TOTAL: '5' } });
  try {
    const k = cli(['user', 'key', 'officer', '--db', s.db]);
    assert.equal(k.status, 0, k.stderr);
    const key = k.stdout.trim().split('\n').pop().trim().split(/\s+/).pop();
    const suggest = (from, n) => call(s.port, { from, method: 'POST', path: '/api/v1/public/cases',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'suggestion', category: 'community', text: `限流测试 ${from} 第${n}条：建议增设长椅` }) });
    const open311 = (from, format, n) => call(s.port, { from, method: 'POST', path: `/open311/v2/requests.${format}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: key, service_code: 'road_lighting', lat: '30.8031', long: '121.2915',
        description: `限流测试 ${from} ${n} 路灯不亮` }).toString() });

    // one address: three, then 429
    for (let n = 1; n <= 3; n++) assert.equal((await suggest('127.0.0.2', n)).status, 201);
    const over = await suggest('127.0.0.2', 4);
    assert.equal(over.status, 429, over.text);
    const wait = Number(over.headers['retry-after']);
    assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 20, `Retry-After ${over.headers['retry-after']}`);
    const e = JSON.parse(over.text).error;
    assert.equal(e.code, 'too_many_requests');
    assert.match(e.message, /this address/);
    assert.equal(over.headers['cache-control'], 'no-store');
    // the rest of the public site is not limited
    assert.equal((await call(s.port, { from: '127.0.0.2', path: '/api/v1/public/suggestions' })).status, 200);

    // another address, through Open311: two more make five in all
    assert.equal((await open311('127.0.0.3', 'json', 1)).status, 201);
    assert.equal((await open311('127.0.0.3', 'xml', 2)).status, 201);
    const json = await open311('127.0.0.3', 'json', 3);
    assert.equal(json.status, 429, json.text);
    assert.ok(Number(json.headers['retry-after']) >= 1);
    const list = JSON.parse(json.text);
    assert.equal(list.length, 1);
    assert.equal(list[0].code, 429);
    assert.match(list[0].description, /too many submissions/);
    const xml = await open311('127.0.0.3', 'xml', 4);
    assert.equal(xml.status, 429);
    assert.match(xml.headers['content-type'], /^text\/xml/);
    assert.match(xml.text, /<errors><error><code>429<\/code><description>too many submissions[^<]*<\/description><\/error><\/errors>/);
    // a third address finds the total spent
    const third = await suggest('127.0.0.4', 1);
    assert.equal(third.status, 429);
    assert.match(JSON.parse(third.text).error.message, /at the moment/);
    assert.ok(Number(third.headers['retry-after']) >= 1 && Number(third.headers['retry-after']) <= 12);
  } finally {
    await s.stop();
  }
});

// The flood, on a thread of its own so that the probing client's timing
// is the server's and not this process's: connections from each of
// `slowFrom` that send a request line and then one header line a second,
// and from each of `idleFrom` that send nothing.  One the server closes
// is opened again at once when it was held, after five seconds when it
// was refused on arrival (the per-address limit).
const FLOOD = `
const { parentPort, workerData } = require('node:worker_threads');
const { connect } = require('node:net');
const { port, slowFrom, idleFrom, slowEach, idleEach } = workerData;
let open = 0;
const hold = (from, slow) => {
  const c = connect({ port, host: '127.0.0.1', localAddress: from });
  let tick = null, at = 0;
  c.on('connect', () => {
    at = Date.now();
    open++;
    if (!slow) return;
    c.write('GET /healthz HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n');
    let n = 0;
    tick = setInterval(() => c.write('X-Slow-' + n++ + ': aaaaaaaaaaaaaaaa\\r\\n'), 1000);
  });
  c.on('error', () => {});
  c.on('close', () => {
    clearInterval(tick);
    if (at) open--;
    setTimeout(() => hold(from, slow), at && Date.now() - at > 500 ? 50 : 5000);
  });
};
for (const a of slowFrom) for (let i = 0; i < slowEach; i++) hold(a, true);
for (const a of idleFrom) for (let i = 0; i < idleEach; i++) hold(a, false);
parentPort.on('message', () => parentPort.postMessage(open));
`;

test('floods of slow and silent connections from a few addresses leave room for others', async (t) => {
  const DEADLINE_S = 3;
  const PER_IP = 128; // the default
  const s = await start({ env: { QUNYAN_HEADER_TIMEOUT: String(DEADLINE_S) } });
  let flood = null;
  try {
    // One address gets PER_IP connections, no more: the rest are closed
    // as they come.
    {
      const mine = [];
      let closed = 0;
      for (let i = 0; i < PER_IP + 36; i++) {
        const c = connect({ port: s.port, host: '127.0.0.1', localAddress: '127.0.0.7' });
        c.on('error', () => {});
        c.on('close', () => { closed++; });
        mine.push(c);
      }
      for (let i = 0; i < 50 && closed < 36; i++) await sleep(20);
      await sleep(100);
      assert.equal(closed, 36, `connections beyond ${PER_IP} from one address are closed`);
      for (const c of mine) c.destroy();
    }
    const fds = () => readdirSync(`/proc/${s.proc.pid}/fd`).length;
    const idleFds = fds();
    const t0 = performance.now();
    // about 1,100 slow connections from five addresses and 5,000 silent
    // ones from twenty
    flood = new Worker(FLOOD, { eval: true, workerData: { port: s.port,
      slowFrom: Array.from({ length: 5 }, (_, i) => `127.0.1.${i + 1}`), slowEach: 220,
      idleFrom: Array.from({ length: 20 }, (_, i) => `127.0.2.${i + 1}`), idleEach: 250 } });
    const floodOpen = () => new Promise((r) => { flood.once('message', r); flood.postMessage('count'); });
    await sleep(1500);
    const openEarly = await floodOpen();
    let mostFds = fds();

    // one slow and one silent connection of our own, timed
    const timed = (from, slow) => new Promise((resolve) => {
      const c = connect({ port: s.port, host: '127.0.0.1', localAddress: from });
      const opened = performance.now();
      let tick = null;
      let wrote = 0;
      c.on('connect', () => {
        if (!slow) return;
        c.write(`GET /healthz HTTP/1.1\r\n${HOST}`);
        tick = setInterval(() => { c.write(`X-Slow-${wrote++}: b\r\n`); }, 400);
      });
      c.on('error', () => {});
      c.on('close', () => { clearInterval(tick); resolve({ ms: performance.now() - opened, wrote }); });
      setTimeout(() => c.destroy(), (DEADLINE_S + 5) * 1000);
    });
    const slowCut = timed('127.0.0.5', true);
    const idleCut = timed('127.0.0.6', false);

    // meanwhile a client from another address asks, again and again,
    // through the first deadline and the floods' coming back
    const probes = [];
    while (performance.now() - t0 < 1500 + (DEADLINE_S + 2.5) * 1000) {
      probes.push(await call(s.port, { from: '127.0.0.2', path: '/healthz', timeout: 2000 }));
      mostFds = Math.max(mostFds, fds());
      await sleep(200);
    }
    const [slowEnd, idleEnd] = await Promise.all([slowCut, idleCut]);
    const openLate = await floodOpen();
    const ms = probes.map((p) => p.ms).sort((a, b) => a - b);
    t.diagnostic(`flood connections open: ${openEarly} after 1.5 s, ${openLate} at the end; the server had at most `
      + `${mostFds - idleFds} more files open than before; ${probes.length} probes, slowest ${ms.at(-1).toFixed(0)} ms, `
      + `median ${ms[ms.length >> 1].toFixed(0)} ms; slow connection closed after ${slowEnd.ms.toFixed(0)} ms `
      + `(${slowEnd.wrote} lines sent), silent one after ${idleEnd.ms.toFixed(0)} ms`);
    const failed = probes.filter((p) => p.status !== 200 || p.ms > 1000);
    assert.deepEqual(failed.slice(0, 3), [], `${failed.length} of ${probes.length} probes failed or took over 1 s`);
    // 25 addresses at PER_IP each, and room to spare
    assert.ok(mostFds - idleFds <= 25 * PER_IP + 64, `the server held ${mostFds - idleFds} connections`);
    // closed at the deadline although it never stopped sending
    assert.ok(slowEnd.ms >= DEADLINE_S * 1000 - 100 && slowEnd.ms < DEADLINE_S * 1000 + 1500,
      `the slow connection lasted ${slowEnd.ms} ms`);
    assert.ok(slowEnd.wrote >= DEADLINE_S * 2 - 1, `it kept sending (${slowEnd.wrote} lines)`);
    assert.ok(idleEnd.ms >= DEADLINE_S * 1000 - 100 && idleEnd.ms < DEADLINE_S * 1000 + 1500,
      `the silent connection lasted ${idleEnd.ms} ms`);
  } finally {
    if (flood) await flood.terminate();
    await s.stop();
  }
});
