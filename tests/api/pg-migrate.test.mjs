// qunyan migrate: the demo town from a SQLite file into PostgreSQL and
// back into a new file.  The counts and checksums each run prints agree,
// the servers on either side answer the same JSON (last: they write), and a target that
// holds rows or a source at an older schema is refused with nothing
// written.  Runs on a throwaway cluster of its own (scripts/pg-tmp).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, serve, login } from '../lib/server.mjs';
import { pgBinDir, psql, startPg } from '../lib/pg.mjs';

const skip = pgBinDir() ? false
  : 'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): scripts/install-deps installs it';

let pg;
let dir;
let demo;
let first; // the table the first migration printed

// "table rows checksum" lines -> {table: 'rows sum'}; and the verdict.
function sums(stdout) {
  const lines = stdout.trim().split('\n');
  assert.match(lines[0], /^table\s+rows\s+checksum$/);
  const out = {};
  for (const l of lines.slice(1, -1)) {
    const [t, rows, sum] = l.trim().split(/\s+/);
    out[t] = `${rows} ${sum}`;
  }
  return { tables: out, verdict: lines.at(-1) };
}

// Each server runs its first maintenance round as it starts and escalates
// the demo's overdue cases at its own second: b with those moments (ISO
// times of the last few minutes where a has another such) taken from a.
function settled(b, a) {
  const recent = (v) => typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v)
    && Math.abs(Date.now() - Date.parse(v)) < 300000;
  if (recent(a) && recent(b)) return a;
  if (Array.isArray(b) && Array.isArray(a)) return b.map((x, i) => settled(x, a[i]));
  if (b && a && typeof b === 'object' && typeof a === 'object')
    return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, settled(v, a[k])]));
  return b;
}

function sqliteCount(db, table) {
  const r = spawnSync('sqlite3', [db, `SELECT count(*) FROM ${table}`], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

before(() => {
  if (skip) return;
  pg = startPg();
  dir = mkdtempSync(join(tmpdir(), 'qunyan-migrate-'));
  demo = join(dir, 'demo.db');
  const init = cli(['init', '--demo', '--db', demo]);
  assert.equal(init.status, 0, init.stderr);
});

after(() => {
  if (pg) pg.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a SQLite file goes into an empty PostgreSQL database, every table summed on both sides', { skip }, () => {
  const r = cli(['migrate', '--from', demo, '--to', pg.url]);
  assert.equal(r.status, 0, r.stderr);
  const { tables, verdict } = sums(r.stdout);
  assert.equal(verdict, 'agree');
  first = tables;
  // Every table the file has, FTS5's and SQLite's own aside.
  for (const t of ['enterprises', 'cases', 'case_events', 'jurisdictions', 'users', 'meta', 'audit'])
    assert.ok(tables[t], `${t} is copied`);
  for (const t of ['enterprise_fts', 'service_fts_data', 'service_grams', 'schema_version'])
    assert.equal(tables[t], undefined, `${t} is not copied`);
  for (const t of ['enterprises', 'cases', 'jurisdictions'])
    assert.equal(Number(tables[t].split(' ')[0]), sqliteCount(demo, t));
  // The rows kept their ids, and the sequences moved past them.
  const maxId = sqliteCount(demo, 'enterprises') && Number(spawnSync('sqlite3', [demo, 'SELECT max(id) FROM enterprises'], { encoding: 'utf8' }).stdout);
  assert.equal(Number(psql(pg.url, ['-Atc', 'SELECT max(id) FROM enterprises'])), maxId);
  assert.ok(Number(psql(pg.url, ['-Atc', "SELECT nextval(pg_get_serial_sequence('enterprises', 'id'))"])) > maxId);
});

test('back from PostgreSQL into a new file: the same counts and checksums', { skip }, () => {
  const back = join(dir, 'back.db');
  const r = cli(['migrate', '--from', pg.url, '--to', back]);
  assert.equal(r.status, 0, r.stderr);
  const { tables, verdict } = sums(r.stdout);
  assert.equal(verdict, 'agree');
  assert.deepEqual(tables, first);
  // The search tables were rebuilt from the rows: they find what the
  // original's find (FTS5 trigrams; the shell lacks service_grams's
  // tokenizer).
  for (const q of ["SELECT count(*) FROM enterprise_fts WHERE enterprise_fts MATCH '\"有限公\" AND \"限公司\"'",
    "SELECT count(*) FROM service_fts WHERE service_fts MATCH '\"ser\"'"]) {
    const got = spawnSync('sqlite3', [back, q], { encoding: 'utf8' }).stdout.trim();
    assert.equal(got, spawnSync('sqlite3', [demo, q], { encoding: 'utf8' }).stdout.trim(), q);
    assert.ok(Number(got) > 0, q);
  }
  // File to file as well.
  const third = join(dir, 'third.db');
  const r2 = cli(['migrate', '--from', back, '--to', third]);
  assert.equal(r2.status, 0, r2.stderr);
  assert.deepEqual(sums(r2.stdout).tables, first);
});

test('a target that holds rows is refused, nothing written', { skip }, () => {
  const before = psql(pg.url, ['-Atc', 'SELECT count(*) FROM enterprises']);
  const r = cli(['migrate', '--from', demo, '--to', pg.url]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /not empty: its table \w+ holds/);
  assert.match(r.stderr, /nothing was written/);
  assert.equal(psql(pg.url, ['-Atc', 'SELECT count(*) FROM enterprises']), before);
  // A file: not touched either.
  const back = join(dir, 'back.db');
  const st = statSync(back);
  const f = cli(['migrate', '--from', demo, '--to', back]);
  assert.equal(f.status, 2);
  assert.equal(statSync(back).mtimeMs, st.mtimeMs);
  // A freshly migrated database is empty: only the migrations' own rows.
  const admin = pg.url.replace('/qunyan?', '/postgres?');
  psql(admin, ['-qc', 'CREATE DATABASE qy_fresh']);
  const fresh = pg.url.replace('/qunyan?', '/qy_fresh?');
  assert.equal(cli(['upgrade', '--db', fresh]).status, 0);
  const ok = cli(['migrate', '--from', demo, '--to', fresh]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(sums(ok.stdout).tables, first);
});

test('a source at an older schema is refused: upgrade it first', { skip }, () => {
  const old = join(dir, 'old.db');
  copyFileSync(demo, old);
  spawnSync('sqlite3', [old, 'PRAGMA user_version = 5']);
  const target = join(dir, 'never.db');
  const r = cli(['migrate', '--from', old, '--to', target]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /the source .*schema version 5.*qunyan upgrade/);
  assert.equal(existsSync(target), false);
  // And usage errors.
  assert.equal(cli(['migrate', '--from', demo]).status, 2);
  assert.equal(cli(['migrate', '--from', demo, '--to', demo]).status, 2);
});

test('text, reals and blobs that COPY would misread arrive as they were', { skip }, () => {
  // Tabs, newlines, carriage returns and backslashes end or escape a
  // value in COPY's text format; \N is its NULL and \. its end of data.
  const odd = join(dir, 'odd.db');
  copyFileSync(demo, odd);
  const sql = [
    "UPDATE enterprises SET name_en = 'a' || char(9) || 'b' || char(10) || 'c' || char(13) || 'd\\e',"
      + " address = '\\N', industry = '\\.', lon = 113.12345678901234, lat = 1e-7 WHERE id = 1",
    "UPDATE enterprises SET stage = NULL, address = '', lon = 0.1, lat = -0.0 WHERE id = 2",
    'INSERT INTO case_photos (case_id, type, size, data, created_at) SELECT min(id), \'image/png\', 4,'
      + " x'005c090a', '2026-01-01T00:00:00Z' FROM cases",
  ].join(';\n');
  const u = spawnSync('sqlite3', [odd, sql], { encoding: 'utf8' });
  assert.equal(u.status, 0, u.stderr);
  const admin = pg.url.replace('/qunyan?', '/postgres?');
  psql(admin, ['-qc', 'CREATE DATABASE qy_odd']);
  const target = pg.url.replace('/qunyan?', '/qy_odd?');
  const r = cli(['migrate', '--from', odd, '--to', target]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(sums(r.stdout).verdict, 'agree');
  assert.equal(psql(target, ['-Atc', "SELECT name_en = 'a' || chr(9) || 'b' || chr(10) || 'c' || chr(13) || 'd\\e',"
    + " address, industry, lon = 113.12345678901234, lat = 1e-7 FROM enterprises WHERE id = 1"]).trim(),
  't|\\N|\\.|t|t');
  assert.equal(psql(target, ['-Atc', "SELECT stage IS NULL, address = '', lon = 0.1 FROM enterprises WHERE id = 2"]).trim(),
    't|t|t');
  assert.equal(psql(target, ['-Atc', 'SELECT encode(data, \'hex\') FROM case_photos']).trim(), '005c090a');
});

test('a file whose search index is behind (a bulk import not yet indexed) serves on PostgreSQL with nothing waiting', { skip }, async () => {
  const behind = join(dir, 'behind.db');
  copyFileSync(demo, behind);
  // As a bulk import leaves it: the enterprises past the mark wait for
  // SQLite's search index, which PostgreSQL does not have.
  spawnSync('sqlite3', [behind, "INSERT INTO meta (key, value) VALUES ('search_indexed_to', 3)"]);
  psql(pg.url, ['-c', 'CREATE DATABASE behind']);
  const url = pg.url.replace('/qunyan?', '/behind?');
  const r = cli(['migrate', '--from', behind, '--to', url]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(sums(r.stdout).verdict, 'agree');
  const name = spawnSync('sqlite3', [behind, 'SELECT name_zh FROM enterprises WHERE id = 5'], { encoding: 'utf8' }).stdout.trim();
  assert.ok(name.length >= 3, name);
  const s = await serve(['--db', url]);
  try {
    const health = await (await fetch(`${s.url}/healthz`)).json();
    assert.equal(health.search_pending, 0);
    const c = await login(s.url, 'admin');
    const found = await c.call('GET', `/api/v1/enterprises?q=${encodeURIComponent(name)}&limit=50`);
    assert.equal(found.status, 200);
    assert.ok(found.json.items.some((e) => e.id === 5), `${name} found`);
    // A second look of the indexer has come and gone: nothing said.
    await new Promise((res) => setTimeout(res, 1500));
    assert.doesNotMatch(s.output(), /search index/);
  } finally {
    s.proc.kill('SIGTERM');
    await s.exited;
  }
});

test('a server on each side answers the same', { skip }, async () => {
  const a = await serve(['--db', demo]);
  const b = await serve(['--db', pg.url]);
  try {
    const ca = await login(a.url, 'admin');
    const cb = await login(b.url, 'admin');
    const list = (await ca.call('GET', '/api/v1/enterprises?limit=20')).json;
    const ent = list.items?.[0]?.id ?? list.enterprises?.[0]?.id ?? 1;
    const cases = (await ca.call('GET', '/api/v1/cases?limit=20')).json;
    const kase = (cases.items ?? cases.cases)?.[0]?.id ?? 1;
    for (const path of ['/api/v1/enterprises?limit=20', `/api/v1/enterprises/${ent}`,
      '/api/v1/cases?limit=20', `/api/v1/cases/${kase}`, '/api/v1/jurisdictions']) {
      const ra = await ca.call('GET', path);
      const rb = await cb.call('GET', path);
      assert.equal(ra.status, 200, path);
      assert.equal(rb.status, ra.status, path);
      assert.deepEqual(settled(rb.json, ra.json), ra.json, path);
    }
  } finally {
    a.proc.kill('SIGTERM');
    b.proc.kill('SIGTERM');
    await Promise.all([a.exited, b.exited]);
  }
});
