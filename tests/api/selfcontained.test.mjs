// The repository carries everything its build, tests and demo read: no
// build or test file names a path outside it, and the demo's texts are
// the project's own files.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname, resolve, relative, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tracked = existsSync(join(root, '.git'))
  ? execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean)
  : [];

// The files that drive a build, a test, a benchmark or the demo.
const driving = (f) => /^(CMakeLists\.txt|Makefile|cmake\/|tests\/|scripts\/|bench\/|\.ci\/)/.test(f) ||
  /(^|\/)CMakeLists\.txt$/.test(f);

// Paths a file names: relative ones that climb (../x), CMake's source
// directories followed by a climb, and absolute ones into places that are
// neither the system's nor temporary.
function outsidePaths(file, text) {
  const found = [];
  const base = dirname(join(root, file));
  for (const m of text.matchAll(/\$\{CMAKE_(?:CURRENT_)?SOURCE_DIR\}((?:\/\.\.)+[\w./-]*)/g)) {
    const from = m[0].includes('CURRENT') ? base : root;
    const p = resolve(from, `.${m[1]}`);
    if (relative(root, p).startsWith('..')) found.push(m[0]);
  }
  for (const m of text.matchAll(/(?<![\w.$}/])((?:\.\.\/)+)([\w.-][\w./-]*)/g)) {
    // Relative to the file, or to the root for files run from there
    // (Makefile, scripts): outside from both is outside.
    const p1 = resolve(base, m[1] + m[2]);
    const p2 = resolve(root, m[1] + m[2]);
    if (relative(root, p1).startsWith('..') && relative(root, p2).startsWith('..')) found.push(m[0]);
  }
  for (const m of text.matchAll(/(?<![\w.~-])(\/(?:work|home|root|srv|mnt|opt)\/[\w./-]+)/g)) {
    if (isAbsolute(m[1])) found.push(m[1]);
  }
  return found;
}

test('the check finds a path outside the repository', () => {
  assert.deepEqual(outsidePaths('CMakeLists.txt', 'set(X ${CMAKE_SOURCE_DIR}/../shared/seed)'),
    ['${CMAKE_SOURCE_DIR}/../shared/seed']);
  assert.equal(outsidePaths('tests/api/x.test.mjs', "import('../../../shared/a.js')").length, 1);
  assert.equal(outsidePaths('Makefile', 'cp /work/other/file .').length, 1);
  assert.equal(outsidePaths('tests/api/x.test.mjs', "import('../lib/server.mjs')").length, 0);
  assert.equal(outsidePaths('tests/CMakeLists.txt', '${CMAKE_CURRENT_SOURCE_DIR}/../src').length, 0);
});

test('no build or test file names a path outside the repository', { skip: !tracked.length && 'not a git checkout' }, () => {
  // This file is left out: its examples above name such paths on purpose.
  const self = relative(root, fileURLToPath(import.meta.url));
  const files = tracked.filter(driving).filter((f) => f !== self && !/\.(png|jpg|xlsx|db)$/.test(f) &&
    !f.includes('package-lock.json'));
  assert.ok(files.length > 20, 'the build and test files are found');
  const bad = [];
  for (const f of files) {
    const text = readFileSync(join(root, f), 'utf8');
    for (const p of outsidePaths(f, text)) bad.push(`${f}: ${p}`);
  }
  assert.deepEqual(bad, []);
});

test('the demo texts are in the repository and embedded from it', () => {
  const cmake = readFileSync(join(root, 'CMakeLists.txt'), 'utf8');
  assert.match(cmake, /src\/demo\/\*\.txt/);
  const bulletin = readFileSync(join(root, 'src', 'demo', 'bulletin.txt'), 'utf8');
  assert.ok(bulletin.split('Release time:').length - 1 >= 6, 'six dated items');
});
