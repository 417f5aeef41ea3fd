// The documentation agrees with the program: `qunyan --help` and every
// `qunyan COMMAND --help` say what docs/qunyan.1 says (the commands, each
// command's forms and options, every setting with its flag, environment
// variable and default), and usage errors exit 2.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from '../lib/server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const man = readFileSync(join(root, 'docs', 'qunyan.1'), 'utf8');

// troff to plain words: fonts, escapes and requests dropped.
const plain = (s) => s.replace(/\\f[BIRP]/g, '').replace(/\\-/g, '-').replace(/\\\(em/g, '—')
  .replace(/^\.(B|I|BI|BR|RB|IR|RI)\s+/, '').replace(/"/g, '');

// The man page's sections as lists of .TP entries: {head, body}.
function manEntries(section) {
  const lines = man.split('\n');
  const start = lines.findIndex((l) => l === `.SH ${section}`);
  assert.ok(start >= 0, `the man page has a ${section} section`);
  const out = [];
  let cur = null;
  for (let i = start + 1; i < lines.length && !lines[i].startsWith('.SH '); i++) {
    if (lines[i] === '.TP') {
      // The heading: the font requests after .TP, up to the first line
      // of running text.
      cur = { head: plain(lines[++i]), body: '' };
      while (/^\.(B|I|BI|BR|RB|IR|RI)\s/.test(lines[i + 1] || '')) cur.head += ` ${plain(lines[++i])}`;
      out.push(cur);
    } else if (cur) {
      cur.body += ` ${plain(lines[i])}`;
    }
  }
  return out;
}

const options = (s) => new Set([...s.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((m) => m[0]));
// A setting's default: the last parenthesis of its first sentence.
const defaultOf = (s) => {
  const first = s.trim().split(/\.(?:\s|$)/)[0];
  const all = [...first.matchAll(/\(([^()]*)\)/g)];
  return all.length ? all.at(-1)[1].split(';')[0].trim() : null;
};

test('every setting has the same flag, variable and default in --help and the man page', () => {
  const help = cli(['--help']);
  assert.equal(help.status, 0);
  const fromHelp = new Map();
  for (const line of help.stdout.split('\n')) {
    const m = line.match(/^\s+(--[a-z0-9-]+)\s+(QUNYAN_[A-Z0-9_]+)\s+(.*)$/);
    if (m) fromHelp.set(m[1], { env: m[2], def: defaultOf(m[3]) });
  }
  const fromMan = new Map();
  for (const e of manEntries('SETTINGS')) {
    const m = e.head.match(/^(--[a-z0-9-]+)\s+.*?(QUNYAN_[A-Z0-9_]+)/);
    assert.ok(m, `a setting's heading names its flag and variable: ${e.head}`);
    fromMan.set(m[1], { env: m[2], def: defaultOf(e.body) });
  }
  assert.ok(fromHelp.size >= 20, 'the help lists the settings');
  assert.deepEqual([...fromMan.keys()].sort(), [...fromHelp.keys()].sort());
  for (const [flag, h] of fromHelp) {
    assert.equal(fromMan.get(flag).env, h.env, `${flag}: the same variable`);
    assert.equal(fromMan.get(flag).def, h.def, `${flag}: the same default`);
  }
});

test('every command has the same forms and options in its --help and the man page', () => {
  const help = cli(['--help']).stdout;
  const commands = [...help.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]);
  const entries = manEntries('COMMANDS');
  const manCommands = [...new Set(entries.map((e) => e.head.split(/[\s|]/)[0]))];
  assert.deepEqual(manCommands.sort(), [...commands].sort());
  for (const cmd of commands) {
    if (cmd === 'version') continue;
    const own = cli([cmd, '--help']);
    assert.equal(own.status, 0, `qunyan ${cmd} --help exits 0`);
    // The usage lines: "usage: qunyan user add ..." and the lines that
    // continue it.
    const usage = own.stdout.split('\n\n')[0];
    const forms = new Set([...usage.matchAll(/qunyan ([a-z]+)(?: ([a-z][a-z|-]*))?/g)]
      .flatMap((m) => (m[2] ? m[2].split('|') : ['']).map((f) => `${m[1]} ${f}`.trim())));
    const mine = entries.filter((e) => e.head.split(/[\s|]/)[0] === cmd);
    const manForms = new Set(mine.flatMap((e) => {
      const m = e.head.match(/^([a-z]+)(?: ([a-z][a-z|-]*)(?=\s|$))?/);
      return (m[2] ? m[2].split('|') : ['']).map((f) => `${m[1]} ${f}`.trim());
    }));
    assert.deepEqual([...manForms].sort(), [...forms].sort(), `${cmd}: the same forms`);
    // Settings are documented once, under SETTINGS; --db is one of them.
    const settingFlags = options(manEntries('SETTINGS').map((e) => e.head).join(' '));
    const helpOpts = [...options(usage)].filter((o) => !settingFlags.has(o));
    const manOpts = [...options(mine.map((e) => e.head).join(' '))].filter((o) => !settingFlags.has(o));
    assert.deepEqual(manOpts.sort(), helpOpts.sort(), `${cmd}: the same options`);
  }
});

test('usage errors exit 2, other failures 1', () => {
  assert.equal(cli([]).status, 2);
  assert.equal(cli(['frobnicate']).status, 2);
  assert.equal(cli(['export']).status, 2);
  assert.equal(cli(['export', 'enterprises', '--format', 'pdf']).status, 2);
  assert.equal(cli(['export', 'enterprises', '--bogus']).status, 2);
  assert.equal(cli(['import', 'clusters']).status, 2);
  assert.equal(cli(['import', 'nothing', 'x.csv']).status, 2);
  assert.equal(cli(['init', '--bogus']).status, 2);
  assert.equal(cli(['user', 'add', 'x1', '--role', 'king']).status, 2);
  assert.equal(cli(['user', 'add', 'x1', '--role']).status, 2);
  assert.equal(cli(['chain', 'gaps', 'abc']).status, 2);
  assert.equal(cli(['serve', 'extra']).status, 2);
  assert.equal(cli(['check', '--threads', 'many']).status, 2);
  // Not a usage error: a file that cannot be read.
  const missing = cli(['import', 'clusters', '/nonexistent/file.csv']);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /cannot read/);
});
