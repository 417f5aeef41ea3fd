// Durability: 200 clients keep submitting cases, the server is killed
// with SIGKILL in the middle of it, and on the same database a new server
// must hold every case whose 201 answer arrived -- once each -- in a file
// that SQLite finds intact.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, serve, login } from '../lib/server.mjs';

const CLIENTS = 200;
const ANSWERS = 2000; // kill once this many cases are acknowledged
const MAX_RUN_MS = 20000; // or after this long, whatever came back
const LAT = 30.8031;
const LONG = 121.2915;

// The server as a child process of this test, so that it can be killed
// without the clean stop the shared harness insists on.
// 200 clients from one address: the per-address limits are raised.
const launch = (db, dir, name) => serve(['--db', db, '--access-log', join(dir, `${name}.log`),
  '--max-per-ip', '512', '--intake-per-ip', '0', '--intake-total', '0']);

// One HTTP request on the given agent: {status, text}.
function send(agent, url, method, headers, body) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method, headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const integrity = (db) => execFileSync('sqlite3', [db, 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim();

test('every acknowledged case survives a SIGKILL, once, in an intact database', async (t) => {
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'qunyan-durability-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'qunyan.db');
  assert.equal(cli(['init', '--demo', '--db', db]).status, 0);
  const k = cli(['user', 'key', 'officer', '--db', db]);
  assert.equal(k.status, 0, k.stderr);
  const key = k.stdout.trim().split('\n').pop().trim().split(/\s+/).pop();

  const first = await launch(db, dir, 'first');
  t.after(() => { if (first.proc.exitCode === null && first.proc.signalCode === null) first.proc.kill('SIGKILL'); });
  const run = Date.now().toString(36).toUpperCase();
  const acked = new Map(); // marker -> {id, via}
  const refused = []; // answers other than 2xx before the kill
  const failed = []; // connections that failed before the kill
  let sent = 0; let lost = 0; let killedAt = 0;

  // Half the clients are Open311 clients with the key, half use the
  // public suggestion form: both intakes answer only once committed.  One
  // keep-alive connection per client: no more sockets than clients.
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  t.after(() => agent.destroy());
  const post = async (via, marker) => {
    const text = `耐久测试 ${marker} 张堰镇路灯不亮，夜间行走不便。`;
    if (via === 'open311') {
      const body = new URLSearchParams({ api_key: key, service_code: 'road_lighting', lat: String(LAT),
        long: String(LONG), description: text, 'attribute[kind]': 'complaint' }).toString();
      const r = await send(agent, `${first.url}/open311/v2/requests.json`, 'POST',
        { 'Content-Type': 'application/x-www-form-urlencoded' }, body);
      const ok = r.status >= 200 && r.status < 300;
      return { status: r.status, id: ok ? JSON.parse(r.text)[0].service_request_id : null, answer: r.text };
    }
    const r = await send(agent, `${first.url}/api/v1/public/cases`, 'POST', { 'Content-Type': 'application/json' },
      JSON.stringify({ kind: 'suggestion', category: 'community', text }));
    const ok = r.status >= 200 && r.status < 300;
    return { status: r.status, id: ok ? String(JSON.parse(r.text).case.id) : null, answer: r.text };
  };

  let kill;
  const killed = new Promise((r) => { kill = r; });
  const client = async (n) => {
    const via = n % 2 ? 'public' : 'open311';
    for (let seq = 0; !killedAt; seq++) {
      const marker = `D${run}x${n}x${seq}`;
      sent++;
      let a;
      try {
        a = await post(via, marker);
      } catch (e) {
        // the connection died with the server: the case may or may not be in
        if (!killedAt) failed.push(String(e));
        lost++;
        if (killedAt) return;
        continue;
      }
      if (a.status >= 200 && a.status < 300) {
        assert.ok(a.id, `an answer without an id: ${a.answer}`);
        acked.set(marker, { id: a.id, via });
        if (acked.size >= ANSWERS) kill();
      } else if (!killedAt) {
        refused.push(`${a.status} ${a.answer.slice(0, 200)}`);
      }
    }
  };
  const timer = setTimeout(kill, MAX_RUN_MS);
  const clients = Array.from({ length: CLIENTS }, (_, n) => client(n));
  await killed;
  clearTimeout(timer);
  killedAt = Date.now();
  first.proc.kill('SIGKILL');
  const death = await first.exited;
  assert.equal(death.signal, 'SIGKILL', `the server ended by itself: ${first.output().slice(-2000)}`);
  await Promise.all(clients);
  const ackedAtKill = acked.size;
  assert.deepEqual(refused.slice(0, 5), [], `${refused.length} submissions refused under load`);
  assert.deepEqual(failed.slice(0, 5), [], `${failed.length} connections failed before the kill`);
  assert.ok(ackedAtKill >= 100, `only ${ackedAtKill} cases acknowledged before the kill`);

  // The file as the kill left it (with its write-ahead log).
  assert.equal(integrity(db), 'ok');

  const second = await launch(db, dir, 'second');
  let stopped = false;
  t.after(async () => {
    if (!stopped) { second.proc.kill('SIGKILL'); await second.exited; }
  });

  // Every acknowledged case, by its id, with its marker.
  const missing = [];
  const open311 = [...acked].filter(([, v]) => v.via === 'open311');
  for (let i = 0; i < open311.length; i += 100) {
    const chunk = open311.slice(i, i + 100);
    const q = new URLSearchParams({ service_request_id: chunk.map(([, v]) => v.id).join(',') });
    const r = await fetch(`${second.url}/open311/v2/requests.json?${q}`);
    assert.equal(r.status, 200);
    const byId = new Map((await r.json()).map((x) => [x.service_request_id, x]));
    for (const [marker, v] of chunk) {
      const x = byId.get(v.id);
      if (!x || !x.description.includes(marker)) missing.push(`${marker} as request ${v.id}: ${x ? x.description : 'absent'}`);
    }
  }
  const officer = await login(second.url, 'officer');
  const pub = [...acked].filter(([, v]) => v.via === 'public');
  for (let i = 0; i < pub.length; i += 20) {
    await Promise.all(pub.slice(i, i + 20).map(async ([marker, v]) => {
      const r = await officer.call('GET', `/api/v1/cases/${v.id}`);
      const c = r.json && (r.json.case || r.json);
      if (r.status !== 200 || !c.text.includes(marker)) missing.push(`${marker} as case ${v.id}: ${r.status} ${c && c.text}`);
    }));
  }
  assert.deepEqual(missing.slice(0, 10), [], `${missing.length} acknowledged cases missing after the restart`);

  // No marker twice, acknowledged or not.
  const rows = execFileSync('sqlite3', [db, `SELECT text FROM cases WHERE text LIKE '%D${run}x%'`],
    { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n').filter(Boolean);
  const seen = new Map();
  for (const row of rows) {
    const m = new RegExp(`D${run}x\\d+x\\d+`).exec(row)[0];
    seen.set(m, (seen.get(m) || 0) + 1);
  }
  const twice = [...seen].filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], 'markers stored more than once');
  for (const m of acked.keys()) assert.ok(seen.has(m), `${m} not in the database`);

  // The restarted server goes on: a new case gets a new id.
  const r = await fetch(`${second.url}/open311/v2/requests.json`, { method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ api_key: key, service_code: 'road_lighting', lat: String(LAT), long: String(LONG),
      description: `耐久测试 after ${run}` }) });
  assert.equal(r.status, 201, await r.clone().text());
  const newId = (await r.json())[0].service_request_id;
  assert.ok(![...acked.values()].some((v) => v.id === newId), `id ${newId} given twice`);

  second.proc.kill('SIGTERM');
  const end = await second.exited;
  stopped = true;
  assert.equal(end.code, 0, `the restarted server did not stop cleanly: ${second.output().slice(-2000)}`);
  assert.equal(integrity(db), 'ok');

  t.diagnostic(`${sent} submissions sent by ${CLIENTS} clients in ${killedAt - t0} ms; ${ackedAtKill} acknowledged `
    + `before the kill, ${lost} cut off by it; ${rows.length} stored after the restart `
    + `(${rows.length - ackedAtKill} unacknowledged but committed), every acknowledged one found; `
    + `${Date.now() - t0} ms in all`);
});
