// A throwaway PostgreSQL cluster for a test (scripts/pg-tmp): a fresh
// directory, a server on a Unix socket inside it, the database qunyan, and
// a stop that removes it all.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = join(root, 'scripts', 'pg-tmp');

// The directory of PostgreSQL's programs, as scripts/pg-tmp finds them
// (PG_BINDIR, else the newest of Debian's), or null when there are none.
export function pgBinDir() {
  if (process.env.PG_BINDIR) return existsSync(join(process.env.PG_BINDIR, 'pg_ctl')) ? process.env.PG_BINDIR : null;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl')) && existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => parseFloat(b) - parseFloat(a));
  return versions.length ? join(base, versions[0], 'bin') : null;
}

// Runs psql on url with args; throws with psql's message when it fails.
// -> its standard output
export function psql(url, args, { input } = {}) {
  const r = spawnSync(join(pgBinDir(), 'psql'), ['-X', '-v', 'ON_ERROR_STOP=1', '-d', url, ...args], {
    input, encoding: 'utf8', timeout: 120000,
  });
  if (r.status !== 0) throw new Error(`psql ${args.join(' ')}: ${r.error?.message || ''}${r.stderr}`);
  return r.stdout;
}

// -> {url, dir, stop()}; stop() stops the server and removes the directory.
// Directories are made under /tmp: a socket's path must stay short.
export function startPg() {
  const dir = mkdtempSync('/tmp/qypg-');
  const r = spawnSync(SCRIPT, ['start', dir], { encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`scripts/pg-tmp start failed: ${r.error?.message || ''}${r.stderr}`);
  }
  const url = r.stdout.trim().split('\n').pop();
  let stopped = false;
  return {
    url,
    dir,
    stop() {
      if (stopped) return;
      stopped = true;
      const s = spawnSync(SCRIPT, ['stop', dir], { encoding: 'utf8', timeout: 120000 });
      rmSync(dir, { recursive: true, force: true });
      if (s.status !== 0) throw new Error(`scripts/pg-tmp stop failed: ${s.stderr}`);
    },
  };
}
