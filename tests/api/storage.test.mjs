// When the database cannot be written, the server says so: with its
// database on a small tmpfs that is then filled up, writes answer 507
// naming the full disk and /healthz says "degraded" with 503; once space
// is freed both recover without a restart, the file is intact and no
// acknowledged write is lost, nor any refused one half-written.  On the
// same file system remounted read-only (after a crash, as a kernel does
// after I/O errors), a server serves reads and answers writes 503.
//
// Mounting needs root: as anyone else the tests skip, saying why.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, cli, login } from '../lib/server.mjs';

let dir;
let skip = null;

before(() => {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    skip = 'not root: mounting a small tmpfs needs root';
    return;
  }
  dir = mkdtempSync(join(tmpdir(), 'qunyan-storage-'));
  try {
    // The demo town takes about 1.8 MB, and a server's first minutes as
    // much again in its WAL; the second test's town lies beside the
    // first's.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0755', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    dir = null;
    skip = `cannot mount a tmpfs here: ${String(e.stderr || e.message).trim()}`;
  }
});

after(() => {
  if (!dir) return;
  try { execFileSync('mount', ['-o', 'remount,rw', dir], { stdio: 'pipe' }); } catch { /* already */ }
  try { execFileSync('umount', [dir], { stdio: 'pipe' }); } catch { /* gone */ }
  rmSync(dir, { recursive: true, force: true });
});

const sql = (db, q) => execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).trim();
const healthz = async (url) => {
  const r = await fetch(`${url}/healthz`);
  return { status: r.status, json: await r.json() };
};
async function until(what, fn, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Fills the file system with one file until it has no byte left.
function fill(path) {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0x5a);
  try {
    for (;;) {
      try {
        writeSync(fd, chunk);
      } catch (e) {
        if (e.code !== 'ENOSPC') throw e;
        // The last blocks, smaller than a chunk.
        for (let n = 32 * 1024; n >= 512; n /= 2) {
          try { for (;;) writeSync(fd, chunk, 0, n); } catch (e2) { if (e2.code !== 'ENOSPC') throw e2; }
        }
        return;
      }
    }
  } finally {
    closeSync(fd);
  }
}

// A server started as a child of this test, answering /healthz with any
// status (a read-only one never says "ok").
async function launch(db, log) {
  const proc = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--db', db, '--access-log', log],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stderr.on('data', (d) => { out += d; });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 15000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /serving on http:\/\/[\d.]+:(\d+)\//.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}): ${out}`)); });
  });
  const stop = async (signal = 'SIGTERM') => {
    if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
    const exited = new Promise((r) => proc.once('exit', (code, sig) => r(code ?? sig)));
    proc.kill(signal);
    return exited;
  };
  return { url: `http://127.0.0.1:${port}`, proc, stop, output: () => out };
}

test('a full disk: 507 and degraded, then both recover by themselves with nothing lost', async (t) => {
  if (skip) return t.skip(skip);
  const db = join(dir, 'full.db');
  const filler = join(dir, 'filler');
  assert.equal(cli(['init', '--demo', '--db', db]).status, 0);
  const log = join(tmpdir(), `qunyan-storage-${process.pid}.log`);
  const srv = await launch(db, log);
  const acked = [];       // case ids answered 201
  const refusedText = []; // texts of cases answered 507
  let employees = null;   // the last value of enterprise 7 answered 200
  try {
    const officer = await login(srv.url, 'officer');
    let h = await healthz(srv.url);
    assert.equal(h.status, 200);
    assert.equal(h.json.status, 'ok');
    assert.equal(h.json.database.writable, true);

    let refusals = 0;
    let firstRefusal = null;
    const write = async (i) => {
      const text = `满盘测试 ${process.pid} ${i} ${'这段文字让每个案件占些空间。'.repeat(20)}`;
      const c = await officer.call('POST', '/api/v1/cases', { kind: 'problem', category: 'land', text });
      if (c.status === 201) acked.push(c.json.case.id);
      else {
        assert.equal(c.status, 507, c.text);
        refusedText.push(`${process.pid} ${i} `);
        refusals++;
        firstRefusal ||= c;
      }
      const p = await officer.call('PATCH', '/api/v1/enterprises/7', { employees: 100 + i }, { 'If-Match': '*' });
      if (p.status === 200) employees = 100 + i;
      else {
        assert.equal(p.status, 507, p.text);
        assert.equal(p.json.error.code, 'disk_full');
        refusals++;
      }
    };
    for (let i = 0; i < 5; i++) await write(i);
    assert.equal(refusals, 0, 'writes land while there is space');

    fill(filler);
    h = await healthz(srv.url);
    assert.equal(h.status, 503);
    assert.equal(h.json.status, 'degraded');
    assert.equal(h.json.database.code, 'disk_full');
    // Until SQLite needs a page more than its files have, a write may
    // still land; the next ones cannot.
    for (let i = 5; i < 400 && refusals < 6; i++) await write(i);
    assert.ok(firstRefusal, 'a write on a full disk is refused');
    assert.equal(firstRefusal.json.error.code, 'disk_full');
    assert.match(firstRefusal.json.error.message, /disk .*full/);
    h = await healthz(srv.url);
    assert.equal(h.status, 503);
    assert.equal(h.json.database.writable, false);
    assert.equal(h.json.database.code, 'disk_full');
    assert.match(h.json.database.message, /full|no space/);
    // Reads go on.
    assert.equal((await officer.call('GET', '/api/v1/enterprises/7')).status, 200);

    // Space again: no restart, no write needed for /healthz to see it.
    unlinkSync(filler);
    h = await until('healthz ok', async () => {
      const x = await healthz(srv.url);
      return x.status === 200 && x.json.status === 'ok' ? x : null;
    });
    assert.equal(h.json.database.writable, true);
    const n = acked.length;
    await write(1000);
    await write(1001);
    assert.equal(acked.length, n + 2);
    assert.equal(employees, 1101);
  } finally {
    assert.equal(await srv.stop(), 0, srv.output());
    rmSync(log, { force: true });
  }
  assert.equal(sql(db, 'PRAGMA integrity_check'), 'ok');
  assert.equal(Number(sql(db, `SELECT count(*) FROM cases WHERE id IN (${acked.join(',')})`)), acked.length);
  for (const t0 of refusedText) {
    assert.equal(sql(db, `SELECT count(*) FROM cases WHERE text LIKE '满盘测试 ${t0}%'`), '0', `refused case ${t0} is not there`);
  }
  assert.equal(Number(sql(db, 'SELECT employees FROM enterprises WHERE id = 7')), employees);
});

test('a read-only file system: reads served, writes 503, healthz degraded', async (t) => {
  if (skip) return t.skip(skip);
  const db = join(dir, 'ro.db');
  const log = join(tmpdir(), `qunyan-storage-ro-${process.pid}.log`);
  assert.equal(cli(['init', '--demo', '--db', db]).status, 0);
  // A server that dies leaves its WAL and shared-memory files, which a
  // read-only file system needs to be read in WAL mode.
  const first = await launch(db, log);
  const officer = await login(first.url, 'officer');
  const before = await officer.call('PATCH', '/api/v1/enterprises/8', { employees: 808 }, { 'If-Match': '*' });
  assert.equal(before.status, 200);
  await first.stop('SIGKILL');
  execFileSync('mount', ['-o', 'remount,ro', dir]);
  const srv = await launch(db, log);
  try {
    const h = await healthz(srv.url);
    assert.equal(h.status, 503);
    assert.equal(h.json.status, 'degraded');
    assert.equal(h.json.database.writable, false);
    assert.equal(h.json.database.code, 'read_only');
    assert.match(h.json.database.message, /read-only/);
    // Reads: served, the write made before the crash with them.
    assert.equal((await fetch(`${srv.url}/api/v1/public/suggestions`)).status, 200);
    const e8 = await fetch(`${srv.url}/api/v1/enterprises/8`, { headers: { Cookie: officer.cookie } });
    assert.equal(e8.status, 200);
    assert.equal((await e8.json()).employees, 808);
    // Writes: 503 with the cause, on the writer and on a worker alike.
    const pub = await fetch(`${srv.url}/api/v1/public/cases`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'suggestion', category: 'community', text: '只读测试' }),
    });
    assert.equal(pub.status, 503);
    const body = await pub.json();
    assert.equal(body.error.code, 'read_only');
    assert.match(body.error.message, /read-only/);
    const signIn = await fetch(`${srv.url}/api/v1/session`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'officer', password: 'qunyan2024' }),
    });
    assert.equal(signIn.status, 503);
    assert.equal((await signIn.json()).error.code, 'read_only');
    // The session made before the crash still signs in.
    const patch = await fetch(`${srv.url}/api/v1/enterprises/8`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', Cookie: officer.cookie, 'X-CSRF-Token': officer.csrf, 'If-Match': '*' },
      body: JSON.stringify({ employees: 909 }),
    });
    assert.equal(patch.status, 503);
    assert.equal((await patch.json()).error.code, 'read_only');
  } finally {
    assert.equal(await srv.stop(), 0, srv.output());
    execFileSync('mount', ['-o', 'remount,rw', dir]);
    rmSync(log, { force: true });
  }
  assert.equal(sql(db, 'PRAGMA integrity_check'), 'ok');
  assert.equal(sql(db, 'SELECT employees FROM enterprises WHERE id = 8'), '808');
  assert.equal(sql(db, "SELECT count(*) FROM cases WHERE text = '只读测试'"), '0');
});
