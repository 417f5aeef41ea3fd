// qunyan jurisdiction: a database of one town names its town, then joins
// its district and city from the command line; the rules are the API's,
// and a user scoped with --jurisdiction sees only its subtree.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, serve, login } from '../lib/server.mjs';

const dir = mkdtempSync(join(tmpdir(), 'qunyan-jur-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'q.db');
assert.equal(cli(['init', '--db', db]).status, 0);
const q = (...args) => cli(['jurisdiction', ...args, '--db', db]);
const lines = () => q('list').stdout.trimEnd().split('\n');

test('a new database is a tree of one town, with placeholder code and names', () => {
  assert.deepEqual(lines(), ['000000000    town      town       本镇 (The town)']);
});

test('the town is named, then hung under its district and city', () => {
  let r = q('set', '000000000', '--code', '310116103', '--name', '张堰镇', '--name-en', 'Zhangyan Town');
  assert.equal(r.status, 0, r.stderr);
  r = q('add', '310000', '--level', 'city', '--kind', 'city', '--name', '上海市');
  assert.equal(r.status, 0, r.stderr);
  r = q('add', '310116', '--level', 'district', '--kind', 'district', '--name', '金山区', '--parent', '310000');
  assert.equal(r.status, 0, r.stderr);
  r = q('set', '310116103', '--parent', '310116');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(lines(), [
    '310000       city      city       上海市',
    '  310116       district  district   金山区',
    '    310116103    town      town       张堰镇 (Zhangyan Town)',
  ]);
  // Each change is in the audit log (read through the API below).
});

test('refusals name the field and the rule, and change nothing', () => {
  const before = lines();
  const cases = [
    [['add', '31011', '--level', 'district', '--kind', 'district', '--name', 'x', '--parent', '310000'], /code: a district's code is 6 digits/],
    [['add', '320101', '--level', 'district', '--kind', 'district', '--name', 'x', '--parent', '310000'], /code: must begin with 31/],
    [['add', '310117', '--level', 'district', '--kind', 'street', '--name', 'x', '--parent', '310000'], /kind: a district is one of: district, county/],
    [['add', '310116', '--level', 'district', '--kind', 'district', '--name', 'x', '--parent', '310000'], /another jurisdiction has the code 310116/],
    [['add', '310116105', '--level', 'town', '--kind', 'town', '--name', 'x', '--parent', '999999'], /--parent: no jurisdiction has the code 999999/],
    [['set', '310116', '--parent', '310116103'], /parent: 张堰镇 lies under 金山区; a jurisdiction cannot be its own ancestor/],
    [['add', '310117', '--level', 'district', '--kind', 'district', '--name', 'x', '--parent', '310116103'], /parent: a district lies under a level above it, not under a town/],
    [['set', '310000', '--parent', '310116'], /parent: .* its own ancestor/],
    [['set', '310116', '--code', '320116'], /code: must begin with 31/],
    [['set', '999999999', '--name', 'x'], /no jurisdiction has the code 999999999/],
  ];
  for (const [args, msg] of cases) {
    const r = q(...args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, msg, args.join(' '));
  }
  assert.deepEqual(lines(), before);
});

test('usage errors exit 2', () => {
  for (const args of [[], ['frob'], ['list', 'x'], ['add'], ['add', '310117'], ['add', '310117', '--level', 'district'],
    ['add', '310117', '--level', 'shire', '--kind', 'x', '--name', 'x', '--bogus'], ['set', '310116', '--top', '--parent', '310000'],
    ['set', '310116', '--level', 'town'], ['set', '310116', '--name']]) {
    assert.equal(cli(['jurisdiction', ...args, '--db', db]).status, 2, args.join(' '));
  }
  assert.equal(q('add', '310117', '--level', 'shire', '--kind', 'x', '--name', 'x').status, 1);
});

test('a user scoped with --jurisdiction sees its subtree', async () => {
  const add = cli(['user', 'add', 'town.officer', '--role', 'officer', '--jurisdiction', '310116103', '--db', db],
    { env: { ...process.env, QUNYAN_PASSWORD: 'qunyan2024' } });
  assert.equal(add.status, 0, add.stderr);
  const bad = cli(['user', 'add', 'nowhere', '--role', 'officer', '--jurisdiction', '310999', '--db', db],
    { env: { ...process.env, QUNYAN_PASSWORD: 'qunyan2024' } });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /no jurisdiction has the code 310999/);
  const s = await serve(['--db', db, '--listen', '127.0.0.1:0']);
  try {
    const c = await login(s.url, 'town.officer');
    const tree = (await c.call('GET', '/api/v1/jurisdictions')).json;
    const town = tree.items.find((j) => j.code === '310116103');
    assert.equal(tree.scope, town.id);
    assert.equal(town.parent_id, tree.items.find((j) => j.code === '310116').id);
  } finally {
    s.proc.kill('SIGTERM');
  }
});
