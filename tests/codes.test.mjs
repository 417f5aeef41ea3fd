// Every error code docs/API.md lists is answered somewhere in the suite:
// the servers the API and browser suites start log the code of each
// error they answer, tests/lib/server.mjs gathers them into the file
// QUNYAN_CODES_SEEN names, and this test, which CTest runs after the
// others (a fixture's cleanup), compares. Run alone, or after only some
// of the suites, it has nothing to compare and says so.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seenFile = process.env.QUNYAN_CODES_SEEN;
const suites = ['api', 'browser'].flatMap((d) => readdirSync(join(root, 'tests', d))
  .filter((f) => f.endsWith('.test.mjs')).map((f) => `${d}/${f}`));

// The codes the API reference lists: the first column of the table under
// "## Error codes".
function documented() {
  const doc = readFileSync(join(root, 'docs', 'API.md'), 'utf8');
  const start = doc.indexOf('\n## Error codes');
  assert.ok(start >= 0, 'docs/API.md has an "Error codes" section');
  const end = doc.indexOf('\n## ', start + 5);
  return [...doc.slice(start, end < 0 ? undefined : end).matchAll(/^\| `([a-z0-9_]+)` \|/gm)].map((m) => m[1]);
}

test('the error codes are documented once each', () => {
  const codes = documented();
  assert.ok(codes.length >= 50, `${codes.length} codes documented`);
  assert.equal(new Set(codes).size, codes.length, 'no code twice');
});

test('every documented error code is answered somewhere in the suite', (t) => {
  const lines = seenFile && existsSync(seenFile) ? readFileSync(seenFile, 'utf8').split('\n').filter(Boolean) : [];
  const ran = new Set(lines.map((l) => l.split('\t')[0]));
  // Suites that start no server of their own (layers, selfcontained, docs)
  // leave no line; every suite that does must have run.
  const starting = suites.filter((s) => /\bstart\(|useBrowser\(/.test(readFileSync(join(root, 'tests', s), 'utf8')));
  const missing = starting.filter((s) => !ran.has(s));
  if (missing.length) {
    t.skip(`not every suite ran (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''})`);
    return;
  }
  const seen = new Set(lines.map((l) => l.split('\t')[1]).filter(Boolean));
  const never = documented().filter((c) => !seen.has(c));
  assert.deepEqual(never, [], 'documented codes no suite produced');
});
