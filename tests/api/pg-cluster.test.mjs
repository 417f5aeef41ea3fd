// Three servers behind nginx on one PostgreSQL (scripts/cluster), and what
// goes wrong there: a server killed while 200 clients submit cases, the
// database restarted under load, a server started on an older schema.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, cli, serve } from '../lib/server.mjs';
import { pgBinDir, psql } from '../lib/pg.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLUSTER = join(root, 'scripts', 'cluster');
const PG_TMP = join(root, 'scripts', 'pg-tmp');
const CLIENTS = 200;
const ANSWERS = 600; // kill one server once this many cases are acknowledged

const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].some((p) => { try { return readFileSync(p) && true; } catch { return false; } });
const skip = !pgBinDir() ? 'no PostgreSQL (scripts/install-deps installs it)'
  : !nginx ? 'no nginx (scripts/install-deps installs it)' : false;

// One HTTP request on the given agent: {status, headers, text}.
function send(agent, url, method, headers, body = '') {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method, headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };

let dir; let url; let db; let servers;
// What the servers logged of their failures, for an assertion's message.
const serverErrors = () => readdirSync(dir).filter((f) => /^server-\d+\.log$/.test(f))
  .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => /failed|error/i.test(l)).map((l) => `${f}: ${l}`))
  .slice(-20).join('\n');
const readServers = () => readFileSync(join(dir, 'servers'), 'utf8').trim().split('\n')
  .map((l) => l.split(' ').map(Number)).map(([i, pid, port]) => ({ i, pid, port }));

test.before(() => {
  if (skip) return;
  dir = mkdtempSync('/tmp/qycl-');
  const r = spawnSync(CLUSTER, ['start', dir, '3'], {
    encoding: 'utf8', timeout: 180000,
    env: { ...process.env, QUNYAN_BIN: BIN, QUNYAN_CLUSTER_ARGS: '--max-per-ip 512 --intake-per-ip 0 --intake-total 0 --threads 4' },
  });
  if (r.status !== 0) throw new Error(`scripts/cluster start failed: ${r.stderr}`);
  url = readFileSync(join(dir, 'url'), 'utf8').trim();
  db = readFileSync(join(dir, 'db'), 'utf8').trim();
  servers = readServers();
});

test.after(() => {
  if (skip || !dir) return;
  spawnSync(CLUSTER, ['stop', dir], { encoding: 'utf8', timeout: 120000 });
  rmSync(dir, { recursive: true, force: true });
});

test('the servers answer alike behind nginx, and one sees the others\' writes', { skip }, async () => {
  assert.equal(servers.length, 3);
  const agent = new Agent({ keepAlive: true });
  try {
    // A suggestion through nginx, then read from each server directly.
    const text = `集群测试 ${Date.now()} 张堰镇路灯不亮，夜间行走不便，请尽快修复。`;
    const made = await send(agent, `${url}/api/v1/public/cases`, 'POST', { 'Content-Type': 'application/json' },
      JSON.stringify({ kind: 'suggestion', category: 'community', text }));
    assert.equal(made.status, 201, made.text);
    const answer = JSON.parse(made.text);
    const code = answer.tracking_code || answer.case.tracking_code;
    assert.ok(code, made.text);
    for (const s of servers) {
      const r = await send(agent, `http://127.0.0.1:${s.port}/api/v1/public/cases/${code}`, 'GET', {});
      assert.equal(r.status, 200, `server ${s.i}: ${r.text}`);
    }
    // Each server's duplicate index knows the case, whichever server took
    // it in: the others follow its commit.
    const id = answer.case ? answer.case.id : answer.id;
    for (const s of servers) {
      let found = false;
      for (let tries = 0; tries < 20 && !found; tries++) {
        const r = await send(agent, `http://127.0.0.1:${s.port}/api/v1/public/similar?text=${encodeURIComponent(text)}`, 'GET', {});
        assert.equal(r.status, 200, r.text);
        const body = JSON.parse(r.text);
        found = (body.items || body.similar || []).some((x) => x.id === id || x.tracking_code === code);
        if (!found) await sleep(100);
      }
      assert.ok(found, `server ${s.i} does not find the case server of nginx's choice took in`);
    }
  } finally {
    agent.destroy();
  }
});

// A case's writes after its INSERT (its person, first event, steps and
// notice) reach PostgreSQL with the end of its job, unanswered till then
// (db_step_unread): one that fails there must fail its own case alone,
// among the others of its writer's group.
test('a write refused after the case went out fails that case alone: an error, nothing of it kept, the others stored', { skip }, async (t) => {
  const run = Date.now().toString(36).toUpperCase();
  const poison = '13900000666';
  psql(db, ['-c', `CREATE FUNCTION qy_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF NEW.phone = '${poison}' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$`,
  '-c', 'CREATE TRIGGER qy_test_refuse BEFORE INSERT ON case_people FOR EACH ROW EXECUTE FUNCTION qy_test_refuse()']);
  t.after(() => psql(db, ['-c', 'DROP TRIGGER qy_test_refuse ON case_people', '-c', 'DROP FUNCTION qy_test_refuse()']));
  const agent = new Agent({ keepAlive: true, maxSockets: 60 });
  t.after(() => agent.destroy());
  // Sent at once, so that each server's writer takes many in one group;
  // every fifth is refused.
  const refusedAt = (n) => n % 5 === 2;
  const answers = await Promise.all(Array.from({ length: 150 }, (_, n) => send(agent, `${url}/api/v1/public/cases`, 'POST',
    { 'Content-Type': 'application/json' }, JSON.stringify({ kind: 'suggestion', category: 'community',
      text: `分组写入 T${run}x${n}x 张堰镇路灯不亮，夜间行走不便。`,
      phone: refusedAt(n) ? poison : `1380013${String(n).padStart(4, '0')}` }))));
  answers.forEach((r, n) => {
    if (refusedAt(n)) {
      assert.equal(r.status, 500, r.text);
      assert.equal(JSON.parse(r.text).error.code, 'database_error', r.text);
    } else {
      assert.equal(r.status, 201, `submission ${n}: ${r.text}`);
    }
  });
  // The answer keeps the cause to the server's log.
  assert.match(serverErrors(), /refused for the test/);
  const rows = psql(db, ['-At', '-c',
    `SELECT substring(c.text from 'T${run}x([0-9]+)x'), (SELECT count(*) FROM case_events e WHERE e.case_id = c.id),
       (SELECT string_agg(p.phone, ',') FROM case_people p WHERE p.case_id = c.id)
     FROM cases c WHERE c.text LIKE '%T${run}x%'`]).trim().split('\n').filter(Boolean).map((l) => l.split('|'));
  const stored = rows.map(([n]) => Number(n)).sort((a, b) => a - b);
  const expected = answers.map((_, n) => n).filter((n) => !refusedAt(n));
  assert.deepEqual(stored, expected, 'the cases stored are not exactly those acknowledged');
  for (const [n, events, phone] of rows) {
    assert.equal(Number(events), 1, `case ${n}: ${events} events`);
    assert.equal(phone, `1380013${n.padStart(4, '0')}`, `case ${n}: its person`);
  }
  // The dashboard counted each stored case once (a group's cases are
  // counted once a statement): its counts match the cases, key by key.
  const off = psql(db, ['-At', '-c', `SELECT count(*) FROM (
      (SELECT district_id, jurisdiction_id, qy_case_month(created_at), kind, channel, category_id, department_id, count(*)
         FROM cases WHERE merged_into IS NULL GROUP BY 1, 2, 3, 4, 5, 6, 7)
      EXCEPT
      (SELECT district_id, jurisdiction_id, month, kind, channel, category_id, department_id, created
         FROM case_counts WHERE created <> 0)) d`]).trim();
  assert.equal(off, '0', 'case_counts differ from the cases');
});

// A server remembers who holds an API key while it hears the changes of
// keys and users (src/service/principal_cache.h): a change stops the key at
// once on the server that made it, and on the others as its notice comes.
test('a key revoked, or its user disabled, stops on every server that remembered its holder', { skip }, async () => {
  const agent = new Agent({ keepAlive: true });
  const on = (s, method, path, key) => send(agent, `http://127.0.0.1:${s.port}${path}`, method, { Authorization: `Bearer ${key}` });
  const list = (s, key) => on(s, 'GET', '/api/v1/enterprises?limit=1', key);
  // The answer a server settles on within two seconds.
  const settles = async (s, key, status) => {
    let r = await list(s, key);
    for (let i = 0; i < 40 && r.status !== status; i++) {
      await sleep(50);
      r = await list(s, key);
    }
    return r;
  };
  try {
    const made = cli(['user', 'key', 'admin', '--db', db]);
    assert.equal(made.status, 0, made.stderr);
    const admin = made.stdout.trim();
    const added = cli(['user', 'add', 'keyholder', '--role', 'officer', '--db', db], { env: { ...process.env, QUNYAN_PASSWORD: 'keyholder-2026' } });
    assert.equal(added.status, 0, added.stderr);
    const users = JSON.parse((await on(servers[0], 'GET', '/api/v1/users', admin)).text).items;
    const holder = users.find((u) => u.username === 'keyholder').id;
    const newKey = async () => {
      const r = await send(agent, `http://127.0.0.1:${servers[0].port}/api/v1/users/${holder}/keys`, 'POST',
        { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' }, JSON.stringify({ label: 'cluster' }));
      assert.equal(r.status, 201, r.text);
      return JSON.parse(r.text);
    };

    // Revoked through the API of one server.
    const a = await newKey();
    for (const s of servers) for (let i = 0; i < 3; i++) assert.equal((await list(s, a.key)).status, 200, `server ${s.i}`);
    const [first, ...others] = servers;
    const gone = await on(first, 'DELETE', `/api/v1/users/${holder}/keys/${a.id}`, admin);
    assert.equal(gone.status, 200, gone.text);
    const at = await list(first, a.key);
    assert.equal(at.status, 401, 'the server that revoked the key refuses it at once');
    assert.equal(JSON.parse(at.text).error.code, 'bad_api_key');
    for (const s of others) assert.equal((await settles(s, a.key, 401)).status, 401, `server ${s.i} still takes the revoked key`);

    // The user disabled on the command line, which no server runs: each
    // hears it; enabled again, the key works again everywhere.
    const b = await newKey();
    for (const s of servers) for (let i = 0; i < 3; i++) assert.equal((await list(s, b.key)).status, 200, `server ${s.i}`);
    assert.equal(cli(['user', 'disable', 'keyholder', '--db', db]).status, 0);
    for (const s of servers) assert.equal((await settles(s, b.key, 401)).status, 401, `server ${s.i} still takes a disabled user's key`);
    assert.equal(cli(['user', 'enable', 'keyholder', '--db', db]).status, 0);
    for (const s of servers) assert.equal((await settles(s, b.key, 200)).status, 200, `server ${s.i}`);
  } finally {
    agent.destroy();
  }
});

test('a server killed with SIGKILL while 200 clients submit: every acknowledged case once, none half-written', { skip }, async (t) => {
  const run = Date.now().toString(36).toUpperCase();
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  t.after(() => agent.destroy());
  const acked = new Map();
  const refused = [];
  let stop = false; let killedAt = 0; let retried = 0;
  let kill;
  const killed = new Promise((r) => { kill = r; });
  // Each submission carries its Idempotency-Key; a 502 or a cut connection
  // (the server died under it) is sent again with the same key, which
  // gives the same case if the first attempt was committed.
  const submit = async (marker) => {
    const body = JSON.stringify({ kind: 'suggestion', category: 'community',
      text: `集群耐久 ${marker} 张堰镇路灯不亮，夜间行走不便。` });
    for (let attempt = 0; attempt < 8; attempt++) {
      let r;
      try {
        r = await send(agent, `${url}/api/v1/public/cases`, 'POST',
          { 'Content-Type': 'application/json', 'Idempotency-Key': marker }, body);
      } catch {
        retried++;
        await sleep(50);
        continue;
      }
      if (r.status === 502 || r.status === 503 || r.status === 504) {
        retried++;
        await sleep(50);
        continue;
      }
      return r;
    }
    return null;
  };
  const client = async (n) => {
    for (let seq = 0; !stop; seq++) {
      const marker = `K${run}x${n}x${seq}`;
      const r = await submit(marker);
      if (!r) continue;
      if (r.status === 201 || r.status === 200) {
        acked.set(marker, JSON.parse(r.text).case.id);
        if (acked.size >= ANSWERS) kill();
      } else {
        refused.push(`${r.status} ${r.text.slice(0, 200)}`);
      }
    }
  };
  const timer = setTimeout(kill, 30000);
  const clients = Array.from({ length: CLIENTS }, (_, n) => client(n));
  await killed;
  clearTimeout(timer);
  const victim = servers[1];
  process.kill(victim.pid, 'SIGKILL');
  killedAt = acked.size;
  // The two others go on taking cases through nginx.
  await sleep(3000);
  stop = true;
  await Promise.all(clients);
  assert.ok(!alive(victim.pid), 'the killed server still runs');
  assert.deepEqual(refused.slice(0, 5), [], `${refused.length} submissions refused; the servers said:\n${serverErrors()}`);
  assert.ok(killedAt >= 100, `only ${killedAt} cases acknowledged before the kill`);
  assert.ok(acked.size > killedAt, 'no case acknowledged after the kill: the other servers stopped taking them');

  const rows = psql(db, ['-At', '-c',
    `SELECT c.id, substring(c.text from 'K${run}x[0-9]+x[0-9]+'), (SELECT count(*) FROM case_events e WHERE e.case_id = c.id)
     FROM cases c WHERE c.text LIKE '%K${run}x%'`]).trim().split('\n').filter(Boolean).map((l) => l.split('|'));
  const seen = new Map();
  const bare = [];
  for (const [id, marker, events] of rows) {
    seen.set(marker, (seen.get(marker) || 0) + 1);
    if (Number(events) < 1) bare.push(`case ${id} (${marker}) has no timeline`);
  }
  const twice = [...seen].filter(([, n]) => n > 1);
  assert.deepEqual(twice.slice(0, 5), [], 'cases stored twice');
  assert.deepEqual(bare.slice(0, 5), [], 'cases written without their first event');
  const missing = [...acked].filter(([m, id]) => !seen.has(m) || !rows.some(([rid, rm]) => rm === m && Number(rid) === id));
  assert.deepEqual(missing.slice(0, 5), [], `${missing.length} acknowledged cases missing`);
  t.diagnostic(`${acked.size} cases acknowledged (${killedAt} before server ${victim.i} was killed), `
    + `${rows.length} stored, ${retried} attempts sent again`);

  // The killed server comes back on its port and serves.
  const back = spawnSync(CLUSTER, ['serve', dir, String(victim.i)], { encoding: 'utf8', timeout: 60000,
    env: { ...process.env, QUNYAN_BIN: BIN, QUNYAN_CLUSTER_ARGS: '--max-per-ip 512 --intake-per-ip 0 --intake-total 0 --threads 4' } });
  assert.equal(back.status, 0, back.stderr);
  servers = readServers();
  const r = await fetch(`http://127.0.0.1:${servers[1].port}/healthz`);
  assert.equal(r.status, 200);
});

test('PostgreSQL restarted under load: 503 with Retry-After while it is down, then back by itself', { skip }, async (t) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  t.after(() => agent.destroy());
  const pgDir = join(dir, 'pg');
  const statuses = new Map();
  const other = [];
  let phase = 'before';
  let stop = false;
  const client = async () => {
    while (!stop) {
      try {
        const r = await send(agent, `${url}/open311/v2/requests.json?status=open`, 'GET', {});
        const k = `${phase} ${r.status}`;
        statuses.set(k, (statuses.get(k) || 0) + 1);
        if (r.status === 503 && !r.headers['retry-after']) other.push('a 503 without Retry-After');
        if (r.status !== 200 && r.status !== 503) other.push(`${phase}: ${r.status} ${r.text.slice(0, 160)}`);
      } catch (e) {
        other.push(`${phase}: ${e.message}`);
      }
      await sleep(20);
    }
  };
  const clients = Array.from({ length: 16 }, () => client());
  await sleep(1000);
  phase = 'down';
  execFileSync(PG_TMP, ['stop', pgDir], { timeout: 60000 });
  await sleep(3000);
  phase = 'restarting';
  execFileSync(PG_TMP, ['start', pgDir], { timeout: 60000 });
  // Back by itself within 10 s.
  const t0 = Date.now();
  let ok = false;
  while (Date.now() - t0 < 10000 && !ok) {
    const r = await send(agent, `${url}/open311/v2/requests.json?status=open`, 'GET', {});
    ok = r.status === 200;
    if (!ok) await sleep(200);
  }
  phase = 'after';
  await sleep(1500);
  stop = true;
  await Promise.all(clients);
  t.diagnostic(JSON.stringify(Object.fromEntries(statuses)));
  assert.ok(ok, 'the servers did not recover within 10 s of the restart');
  assert.ok((statuses.get('down 503') || 0) > 0, 'no 503 while the database was down');
  assert.equal(statuses.get('after 503') || 0, 0, '503s after the recovery');
  assert.deepEqual(other.slice(0, 5), [], 'answers other than 200 and 503');
  for (const s of readServers()) assert.ok(alive(s.pid), `server ${s.i} died:\n${serverErrors()}`);
  // A write goes through again.
  const made = await send(agent, `${url}/api/v1/public/cases`, 'POST', { 'Content-Type': 'application/json' },
    JSON.stringify({ kind: 'suggestion', category: 'community', text: '恢复后的建议：张堰镇公园增加座椅，方便老人休息。' }));
  assert.equal(made.status, 201, made.text);
});

test('a server refuses a database of an older schema until qunyan upgrade migrates it', { skip }, async () => {
  const host = join(dir, 'pg');
  const admin = `postgresql:///postgres?host=${host}&user=qunyan`;
  psql(admin, ['-qc', 'CREATE DATABASE qy_old']);
  const old = `postgresql:///qy_old?host=${host}&user=qunyan`;
  const migDir = join(root, 'src', 'store', 'migrations-pg');
  const files = readdirSync(migDir).filter((f) => f.endsWith('.sql')).sort();
  const older = files.length - 1;
  for (const f of files.slice(0, older)) psql(old, ['-q', '-f', join(migDir, f)]);
  psql(old, ['-qc', `CREATE TABLE schema_version (version bigint NOT NULL); INSERT INTO schema_version VALUES (${older})`]);

  const refused = spawnSync(BIN, ['serve', '--db', old, '--listen', '127.0.0.1:0'], { encoding: 'utf8', timeout: 30000 });
  assert.notEqual(refused.status, 0, 'the server started on an older schema');
  assert.match(refused.stderr, new RegExp(`schema version ${older}`));
  assert.match(refused.stderr, /qunyan upgrade/);
  assert.doesNotMatch(refused.stderr + refused.stdout, /host=/, 'the database URL was printed');

  const up = cli(['upgrade', '--db', old]);
  assert.equal(up.status, 0, up.stderr);
  assert.match(up.stdout, new RegExp(`schema ${files.length}`));
  const again = cli(['upgrade', '--db', old]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`schema ${files.length}`));

  const s = await serve(['--db', old]);
  try {
    const r = await fetch(`${s.url}/healthz`);
    assert.equal((await r.json()).schema, files.length);
  } finally {
    s.proc.kill('SIGTERM');
    await s.exited;
  }
});
