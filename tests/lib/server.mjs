// Starts a real qunyan server for a test: a fresh demo database in a
// temporary directory, a free port on loopback, and a clean stop.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.QUNYAN_BIN || join(root, 'build', 'qunyan');
export const PASSWORD = 'qunyan2024';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
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

// start({demo: true, args: [...]}) -> {url, port, db, dir, proc, stop()}
export async function start({ demo = true, args = [], env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'qunyan-test-'));
  const db = join(dir, 'qunyan.db');
  const init = cli(['init', ...(demo ? ['--demo'] : []), '--db', db]);
  if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
  const port = await freePort();
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`,
    '--access-log', join(dir, 'access.log'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env },
  });
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { out += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited: ${out}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // Stops the server and insists it stopped cleanly: under the
  // sanitizers a leak or an error report makes the exit status non-zero.
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
    if (proc.exitCode !== 0) {
      throw new Error(`server exited with ${proc.exitCode ?? proc.signalCode}:\n${out.slice(-4000)}`);
    }
    return proc.exitCode;
  };
  return { url, port, db, dir, proc, stop, output: () => out };
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
