// The request's path through the code is one direction: http → api →
// domain, with store, service and util beneath; no layer includes one
// above it (docs/DESIGN.md).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
const FORBIDDEN = {
  domain: ['api', 'http', 'store', 'service', 'cli', 'demo'],
  demo: ['api', 'http', 'store', 'service', 'cli'],
  util: ['api', 'http', 'store', 'service', 'cli', 'domain', 'demo'],
  store: ['api', 'http', 'service', 'cli', 'demo'],
  service: ['api', 'http', 'cli', 'demo'],
  http: ['api', 'cli', 'demo'],
  api: ['cli', 'demo'],
  print: ['api', 'http', 'store', 'service', 'cli', 'demo'],
};

test('no layer includes one above it', () => {
  const bad = [];
  for (const [dir, above] of Object.entries(FORBIDDEN)) {
    const files = readdirSync(join(src, dir)).filter((f) => /\.[ch]$/.test(f));
    assert.ok(files.length > 0, `src/${dir} has sources`);
    for (const f of files) {
      for (const m of readFileSync(join(src, dir, f), 'utf8').matchAll(/^#include "\.\.\/([a-z]+)\//gm)) {
        if (above.includes(m[1])) bad.push(`src/${dir}/${f} includes ${m[1]}/`);
      }
    }
  }
  assert.deepEqual(bad, []);
});
