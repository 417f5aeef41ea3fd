// The console loads a page's module when the page is first opened
// (web/app.js), so a label must be defined by a module that is loaded by
// then: one the module using it imports, directly or through others, or
// one the shell itself loads.  This reads web/ as text: each module's
// imports, the labels each table defines (i18n.js and every addLabels
// call), and the labels each module asks for by name, t('key'), or by a
// prefix, t(`prefix.${...}`); a label defined only in a module that is
// not loaded yet would show its key instead of its words.
//
//   node --test tests/api/console-labels.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const files = readdirSync(web, { recursive: true }).filter((f) => f.endsWith('.js')).map((f) => join(web, f));
const text = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
const name = (f) => relative(web, f);

// Static imports and re-exports: "import … from './x.js'", "import './x.js'",
// "export … from './x.js'".
const imports = new Map();
for (const [f, s] of text) {
  const deps = new Set();
  for (const m of s.matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'|import\s+'([^']+)'/g)) {
    deps.add(normalize(join(dirname(f), m[1] || m[2])));
  }
  imports.set(f, deps);
}
function closure(f, seen = new Set()) {
  if (seen.has(f)) return seen;
  seen.add(f);
  for (const d of imports.get(f) || []) closure(d, seen);
  return seen;
}
const shell = closure(join(web, 'app.js'));

// key -> the modules defining it.
const defined = new Map();
for (const [f, s] of text) {
  if (!s.includes('addLabels(') && name(f) !== 'i18n.js') continue;
  for (const m of s.matchAll(/^\s*'([a-z][a-zA-Z0-9_.-]*)':/gm)) {
    if (!defined.has(m[1])) defined.set(m[1], new Set());
    defined.get(m[1]).add(f);
  }
}

test('the tables define labels and the modules ask for them', () => {
  assert.ok(defined.size > 1000, `${defined.size} labels read`);
  assert.ok(shell.size > 10 && shell.size < files.length, `the shell loads ${shell.size} of ${files.length} modules`);
  assert.ok(!shell.has(join(web, 'views', 'audit.js')), 'the pages are not loaded with the shell');
});

test('every label a module asks for is defined by a module loaded before it', () => {
  const missing = [];
  for (const [f, s] of text) {
    const reach = new Set([...closure(f), ...shell]);
    const loaded = (owners) => [...owners].some((o) => reach.has(o));
    for (const m of new Set([...s.matchAll(/\bt\('([a-z][a-zA-Z0-9_.-]*)'/g)].map((x) => x[1]))) {
      const owners = defined.get(m);
      if (owners && !loaded(owners)) missing.push(`${name(f)}: '${m}' (in ${[...owners].map(name).join(', ')})`);
    }
    for (const p of new Set([...s.matchAll(/\bt\(`([a-z][a-zA-Z0-9_.-]*\.)\$\{/g)].map((x) => x[1]))) {
      const owners = new Set();
      for (const [k, o] of defined) if (k.startsWith(p)) o.forEach((x) => owners.add(x));
      if (owners.size && !loaded(owners)) missing.push(`${name(f)}: '${p}*' (in ${[...owners].map(name).join(', ')})`);
    }
  }
  assert.deepEqual(missing, [], 'labels defined only in modules not yet loaded where they are used');
});
