// Starts a real qunyan server for a test: a fresh demo database in a
// temporary directory, a free port on loopback, and a clean stop.
import { spawn, execFileSync } from 'node:child_process';
import {
  appendFileSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash, randomBytes } from 'node:crypto';
import { psql } from './pg.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.QUNYAN_BIN || join(root, 'build', 'qunyan');
export const PASSWORD = 'qunyan2024';

// The backend the servers of a test run on: 'sqlite' (a file in the test's
// directory), or 'pg' (QUNYAN_TEST_BACKEND=pg): a database of its own in
// the cluster that QUNYAN_TEST_PG_DIR holds (scripts/pg-tmp, started once
// for the whole run by CTest), dropped when the server stops.
export const BACKEND = process.env.QUNYAN_TEST_BACKEND === 'pg' ? 'pg' : 'sqlite';
export const ON_PG = BACKEND === 'pg';

// -> {url, drop()}: a new database in the test run's cluster, empty or a
// copy of the database `template` names.
export function pgDatabase(template = null) {
  const dir = process.env.QUNYAN_TEST_PG_DIR;
  if (!dir) throw new Error('QUNYAN_TEST_BACKEND=pg needs QUNYAN_TEST_PG_DIR (a cluster of scripts/pg-tmp)');
  const name = `qy_${randomBytes(6).toString('hex')}`;
  const admin = `postgresql:///postgres?host=${dir}&user=qunyan`;
  psql(admin, ['-qc', `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`]);
  return {
    name,
    url: `postgresql:///${name}?host=${dir}&user=qunyan`,
    admin,
    drop: () => psql(admin, ['-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]),
  };
}

// The demo town every server of a run starts from is made once and
// copied: `qunyan init --demo` writes some 20,000 rows, three seconds on
// PostgreSQL (a round trip each) and more under the sanitizers, the same
// rows for every server.  A copy belongs to one binary (its path, size
// and time) and to ten minutes of the clock, so that a rebuilt binary or
// a demo dated by the day it was made is never served stale.  Two tests
// that need it at once both make it; the first to put it in place wins.
function demoKey() {
  const st = statSync(BIN);
  const bucket = Math.floor(Date.now() / 600000);
  return createHash('sha256').update(`${BIN}\0${st.size}\0${st.mtimeMs}\0${bucket}`).digest('hex').slice(0, 16);
}

// -> the path of a new database file in dir holding the demo town.
function demoFile(dir) {
  const template = join(tmpdir(), `qunyan-demo-${demoKey()}.db`);
  if (!existsSync(template)) {
    const part = `${template}.${process.pid}.part`;
    const init = cli(['init', '--demo', '--db', part]);
    if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
    renameSync(part, template);
    // Copies of earlier binaries or hours are of no further use.
    for (const f of readdirSync(tmpdir())) {
      const p = join(tmpdir(), f);
      if (/^qunyan-demo-[0-9a-f]{16}\.db$/.test(f) && p !== template) {
        try { if (Date.now() - statSync(p).mtimeMs > 3600000) rmSync(p, { force: true }); } catch { /* gone */ }
      }
    }
  }
  const db = join(dir, 'qunyan.db');
  copyFileSync(template, db);
  return db;
}

// -> {url, drop()}: a new database in the run's cluster holding the demo
// town, copied from a template database made as demoFile's file is.
function demoDatabase() {
  const template = `qy_demo_${demoKey()}`;
  try {
    return pgDatabase(template);
  } catch (e) {
    if (!/does not exist/.test(e.message)) throw e;
  }
  const made = pgDatabase();
  const init = cli(['init', '--demo', '--db', made.url]);
  if (init.status !== 0) {
    made.drop();
    throw new Error(`init failed: ${init.stderr}`);
  }
  try {
    psql(made.admin, ['-qc', `ALTER DATABASE ${made.name} RENAME TO ${template}`]);
  } catch (e) {
    made.drop();
    if (!/already exists/.test(e.message)) throw e;
  }
  return pgDatabase(template);
}

// Starts `qunyan serve` on a port the kernel picks (--listen ...:0, so no
// other process can take the port between choosing and binding it) and
// waits until it says where it serves and /healthz answers.
// -> {url, port, proc, exited, output()}
export async function serve(args, { env = {} } = {}) {
  const proc = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env },
  });
  let out = '';
  let port = 0;
  const exited = new Promise((r) => proc.once('exit', (code, signal) => r({ code, signal })));
  const announced = new Promise((resolve) => {
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /serving on http:\/\/[\d.]+:(\d+)\//.exec(out);
      if (m && !port) { port = Number(m[1]); resolve(); }
    });
  });
  proc.stderr.on('data', (d) => { out += d; });
  const gone = exited.then(({ code, signal }) => { throw new Error(`server exited (${code ?? signal}): ${out}`); });
  const timer = new Promise((_, reject) => setTimeout(() => reject(new Error(`server did not start: ${out}`)), 15000).unref());
  await Promise.race([announced, gone, timer]);
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch { /* not accepting yet */ }
    if (proc.exitCode !== null) throw new Error(`server exited: ${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  gone.catch(() => {});
  return { url, port, proc, exited, output: () => out };
}

// Runs SQL on a test server's database by the backend's own client,
// sqlite3 or psql; both print a row's columns joined by '|', one row to a
// line.  -> the output, trimmed
export function dbQuery(db, q) {
  const out = ON_PG ? psql(db, ['-qAt', '-c', q])
    : execFileSync('sqlite3', ['-cmd', '.timeout 5000', db, q], { encoding: 'utf8' });
  return out.trim();
}

// Runs the qunyan CLI synchronously; returns {status, stdout, stderr}.
export function cli(args, opts = {}) {
  try {
    const stdout = execFileSync(BIN, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...opts });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    return { status: e.status, stdout: e.stdout || '', stderr: e.stderr || '' };
  }
}

// The error codes a server answered, from its access log, added to the
// file QUNYAN_CODES_SEEN names (one "suite<TAB>code" line each, and one
// "suite<TAB>" line for the suite itself), for tests/codes.test.mjs.
function noteErrorCodes(log) {
  const seen = process.env.QUNYAN_CODES_SEEN;
  if (!seen) return;
  const suite = process.argv[1] ? process.argv[1].split('/').slice(-2).join('/') : 'unknown';
  const codes = new Set();
  if (existsSync(log)) {
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const entry = JSON.parse(line);
        if (entry.error) codes.add(entry.error);
      } catch { /* a line cut by a crash: the test says so elsewhere */ }
    }
  }
  appendFileSync(seen, [`${suite}\t`, ...[...codes].map((c) => `${suite}\t${c}`)].join('\n') + '\n');
}

// start({demo: true, args: [...]}) -> {url, port, db, dir, proc, stop()}
export async function start({ demo = true, args = [], env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'qunyan-test-'));
  let pg = null;
  let db;
  if (ON_PG) {
    pg = demo ? demoDatabase() : pgDatabase();
    db = pg.url;
  } else {
    db = demo ? demoFile(dir) : join(dir, 'qunyan.db');
  }
  if (!demo) {
    const init = cli(['init', '--db', db]);
    if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
  }
  const { url, port, proc, output } = await serve(['--db', db, '--access-log', join(dir, 'access.log'), ...args], { env });
  // Stops the server and insists it stopped cleanly: under the
  // sanitizers a leak or an error report makes the exit status non-zero.
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
    noteErrorCodes(join(dir, 'access.log'));
    rmSync(dir, { recursive: true, force: true });
    if (pg) pg.drop();
    if (proc.exitCode !== 0) {
      throw new Error(`server exited with ${proc.exitCode ?? proc.signalCode}:\n${output().slice(-4000)}`);
    }
    return proc.exitCode;
  };
  return { url, port, db, dir, proc, stop, output };
}

// A signed-in client: keeps the cookie and sends the CSRF token.
export async function login(url, username, password = PASSWORD) {
  const r = await fetch(`${url}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf, user } = await r.json();
  const call = async (method, path, body, headers = {}) => {
    const h = { Cookie: cookie, ...headers };
    if (method !== 'GET' && method !== 'HEAD' && !('X-CSRF-Token' in headers)) h['X-CSRF-Token'] = csrf;
    // A header given as null is not sent at all (fetch would send the
    // text "undefined" or "null").
    for (const k of Object.keys(h)) if (h[k] === null || h[k] === undefined) delete h[k];
    let payload;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      if (!('Content-Type' in h)) h['Content-Type'] = 'application/json';
    }
    const res = await fetch(`${url}${path}`, { method, headers: h, body: payload });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, headers: res.headers, json, text };
  };
  return { cookie, csrf, user, call };
}
