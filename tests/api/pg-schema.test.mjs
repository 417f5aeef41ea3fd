// The PostgreSQL schema against SQLite's: every migration of
// src/store/migrations-pg/ applied in order to a throwaway cluster must
// give the tables, columns, keys, checks, indexes and triggers that
// `qunyan init` gives a fresh SQLite file, so that the store's SQL reads
// both.  SQLite's side is read from its own catalogue (sqlite_master and
// the pragmas), PostgreSQL's from pg_catalog; neither from the migration
// texts, except to find a trigger's stated replacement.  Then the same
// statements run on both must be accepted and refused alike, and the
// triggers translated to PL/pgSQL must leave what SQLite's leave.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from '../lib/server.mjs';
import { pgBinDir, psql, startPg } from '../lib/pg.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SQLITE_DIR = join(root, 'src', 'store', 'migrations');
const PG_DIR = join(root, 'src', 'store', 'migrations-pg');
const skip = pgBinDir() ? false
  : 'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): scripts/install-deps installs it';

// Compatible declared types: SQLite's affinity names → PostgreSQL's.
const TYPES = { INTEGER: ['bigint'], TEXT: ['text'], REAL: ['double precision'], BLOB: ['bytea'] };

function sqliteJson(db, sql) {
  const r = spawnSync('sqlite3', ['-json', db, sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

function pgJson(url, sql) {
  const out = psql(url, ['-Atq', '-c', `WITH q AS (${sql}) SELECT coalesce(json_agg(q), '[]') FROM q`]);
  return JSON.parse(out);
}

// SQL text without comments, string literals kept.
function stripComments(sql) {
  let out = '';
  for (let i = 0; i < sql.length;) {
    if (sql[i] === "'") {
      const j = sql.indexOf("'", i + 1);
      const end = j < 0 ? sql.length : j + 1;
      out += sql.slice(i, end);
      i = end;
    } else if (sql.startsWith('--', i)) {
      const j = sql.indexOf('\n', i);
      i = j < 0 ? sql.length : j;
    } else {
      out += sql[i++];
    }
  }
  return out;
}

// The text inside the parenthesis that opens at sql[open].
function balanced(sql, open) {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    if (sql[i] === "'") i = sql.indexOf("'", i + 1);
    else if (sql[i] === '(') depth++;
    else if (sql[i] === ')' && --depth === 0) return sql.slice(open + 1, i);
  }
  throw new Error(`unbalanced parenthesis in ${sql}`);
}

// What an expression (a CHECK, an index's WHERE) says, in a form both
// databases' renderings share: the table's columns it names, the
// constants it compares them with, and its operators.  PostgreSQL writes
// "x IN ('a','b')" as "x = ANY (ARRAY['a'::text, 'b'::text])", "NOT IN" as
// "<> ALL" and "BETWEEN 1 AND 9" as ">= 1 AND <= 9"; the columns, the
// constants and the operators so counted stay the same.
function signature(expr, columns) {
  const text = expr.replace(/::[a-z_]+( precision)?(\[\])?/gi, '');
  const strings = (text.match(/'(?:[^']|'')*'/g) || []).sort();
  let rest = text.replace(/'(?:[^']|'')*'/g, ' ');
  const words = [...new Set((rest.match(/[A-Za-z_][A-Za-z_0-9]*/g) || []).filter((w) => columns.has(w)))].sort();
  const numbers = (rest.replace(/[A-Za-z_][A-Za-z_0-9]*/g, ' ').match(/\d+(\.\d+)?/g) || []).map(Number).sort((a, b) => a - b);
  rest = rest.replace(/\bNOT\s+IN\s*\(/gi, ' <> (').replace(/\bIN\s*\(/gi, ' = (').replace(/<>\s*ALL\b/gi, ' <> ')
    .replace(/=\s*ANY\b/gi, ' = ').replace(/\bBETWEEN\b/gi, ' >= <= ').replace(/!=/g, '<>');
  const ops = (rest.match(/\bIS\s+NOT\s+NULL\b|\bIS\s+NULL\b|<>|>=|<=|=|<|>|\+|\bAND\b|\bOR\b|\bNOT\b/gi) || [])
    .map((o) => o.toUpperCase().replace(/\s+/g, ' ')).sort();
  return `${words.join(',')} | ${strings.join(',')} | ${numbers.join(',')} | ${ops.join(' ')}`;
}

// Every CHECK (...) of a CREATE TABLE statement.
function checksOf(sql) {
  const text = stripComments(sql);
  const found = [];
  const re = /\bCHECK\s*\(/gi;
  for (let m; (m = re.exec(text));) found.push(balanced(text, m.index + m[0].length - 1));
  return found;
}

function sqliteSchema(db) {
  const master = sqliteJson(db, "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'");
  const virtual = master.filter((m) => m.type === 'table' && /^CREATE VIRTUAL TABLE/i.test(m.sql));
  // FTS5's own tables: <name>_data, _idx, _content, _docsize, _config.
  const shadow = new Set(virtual.flatMap((v) => ['data', 'idx', 'content', 'docsize', 'config'].map((s) => `${v.name}_${s}`)));
  const tables = master.filter((m) => m.type === 'table' && !virtual.includes(m) && !shadow.has(m.name));
  const names = tables.map((t) => t.name);
  const inList = names.map((n) => `'${n}'`).join(',');
  const cols = sqliteJson(db, `SELECT m.name AS tbl, p.cid, p.name, p.type, p."notnull" AS nn, p.dflt_value, p.pk, p.hidden
    FROM sqlite_master m, pragma_table_xinfo(m.name) p WHERE m.name IN (${inList}) ORDER BY m.name, p.cid`);
  const indexes = sqliteJson(db, `SELECT m.name AS tbl, l.name, l."unique" AS uq, l.origin, l.partial,
    (SELECT json_group_array(i.name) FROM (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno) i) AS columns
    FROM sqlite_master m, pragma_index_list(m.name) l WHERE m.name IN (${inList})`);
  const fks = sqliteJson(db, `SELECT m.name AS tbl, f.id, f.seq, f."table" AS ref, f."from" AS src, f."to" AS dst
    FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.name IN (${inList}) ORDER BY m.name, f.id, f.seq`);
  return {
    master, virtual, tables, cols, fks,
    indexes: indexes.map((i) => ({ ...i, columns: JSON.parse(i.columns) })),
    triggers: master.filter((m) => m.type === 'trigger'),
    version: sqliteJson(db, 'PRAGMA user_version')[0].user_version,
    meta: sqliteJson(db, 'SELECT key, value FROM meta ORDER BY key'),
  };
}

function pgSchema(url) {
  const rel = "c.relnamespace = 'public'::regnamespace";
  return {
    tables: pgJson(url, `SELECT c.relname AS name FROM pg_class c WHERE ${rel} AND c.relkind = 'r'`).map((r) => r.name),
    cols: pgJson(url, `SELECT c.relname AS tbl, a.attnum, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
        a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS dflt, a.attgenerated AS generated, a.attidentity AS identity
      FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
      LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE ${rel} AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum`),
    constraints: pgJson(url, `SELECT c.relname AS tbl, k.conname AS name, k.contype AS type, pg_get_constraintdef(k.oid) AS def,
        (SELECT json_agg(a.attname ORDER BY u.ord) FROM unnest(k.conkey) WITH ORDINALITY u(n, ord)
          JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n) AS columns,
        r.relname AS ref,
        (SELECT json_agg(a.attname ORDER BY u.ord) FROM unnest(k.confkey) WITH ORDINALITY u(n, ord)
          JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n) AS ref_columns
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid LEFT JOIN pg_class r ON r.oid = k.confrelid
      WHERE ${rel}`),
    indexes: pgJson(url, `SELECT t.relname AS tbl, c.relname AS name, x.indisunique AS uniq, am.amname AS method,
        pg_get_expr(x.indpred, x.indrelid) AS pred, pg_get_indexdef(x.indexrelid) AS def,
        EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype IN ('p','u')) AS of_constraint,
        (SELECT json_agg(coalesce(a.attname, '<expr>') ORDER BY u.ord) FROM unnest(x.indkey::int2[]) WITH ORDINALITY u(n, ord)
          LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = u.n) AS columns
      FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_am am ON am.oid = c.relam WHERE ${rel}`),
    triggers: pgJson(url, `SELECT g.tgname AS name, c.relname AS tbl FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
      WHERE ${rel} AND NOT g.tgisinternal`),
    meta: pgJson(url, 'SELECT key, value FROM meta ORDER BY key'),
  };
}

// A text that may outgrow a B-tree entry (2,704 bytes) is kept unique
// through a unique index on its MD5 (see migrations-pg/013).
const hashUnique = (x, columns) => x.uniq && !x.pred && columns.length === 1
  && x.def.includes(`(md5(${columns[0]}))`);
const byTable = (rows) => rows.reduce((m, r) => m.set(r.tbl, [...(m.get(r.tbl) || []), r]), new Map());
const normDefault = (d) => (d == null ? null : String(d).replace(/::[a-z_]+( precision)?/gi, '').replace(/^\((.*)\)$/, '$1'));

describe('PostgreSQL schema parity', { skip }, () => {
  let pg;
  let dir;
  let lite;
  let post;
  let pgFiles;
  let pgText;
  let liteDb;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'qy-pgschema-'));
    liteDb = join(dir, 'fresh.db');
    const r = cli(['init', '--db', liteDb]);
    assert.equal(r.status, 0, r.stderr);
    lite = sqliteSchema(liteDb);
    pg = startPg();
    pgFiles = readdirSync(PG_DIR).filter((f) => f.endsWith('.sql')).sort();
    for (const f of pgFiles) psql(pg.url, ['-q', '-1', '-f', join(PG_DIR, f)]);
    pgText = pgFiles.map((f) => readFileSync(join(PG_DIR, f), 'utf8')).join('\n');
    post = pgSchema(pg.url);
  });

  after(() => {
    pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('one migration for PostgreSQL per migration for SQLite, by the same number and name', () => {
    const sqliteFiles = readdirSync(SQLITE_DIR).filter((f) => f.endsWith('.sql')).sort();
    assert.deepEqual(pgFiles, sqliteFiles);
    assert.equal(pgFiles.length, lite.version, 'a fresh SQLite file is at the version of the last migration');
  });

  test('the same tables, with the same columns in the same order and compatible types', () => {
    const problems = [];
    const liteTables = lite.tables.map((t) => t.name).sort();
    for (const t of liteTables) if (!post.tables.includes(t)) problems.push(`table ${t} missing`);
    for (const t of post.tables) if (!liteTables.includes(t)) problems.push(`table ${t} not in SQLite`);
    const pgCols = byTable(post.cols);
    const pgCons = byTable(post.constraints);
    for (const [tbl, cols] of byTable(lite.cols)) {
      const theirs = pgCols.get(tbl) || [];
      if (!post.tables.includes(tbl)) continue;
      const pk = (pgCons.get(tbl) || []).find((k) => k.type === 'p');
      const litePk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      if (JSON.stringify(litePk) !== JSON.stringify(pk?.columns || []))
        problems.push(`${tbl}: primary key (${litePk}) in SQLite, (${pk?.columns || ''}) here`);
      if (JSON.stringify(cols.map((c) => c.name)) !== JSON.stringify(theirs.map((c) => c.name)))
        problems.push(`${tbl}: columns (${cols.map((c) => c.name)}) in SQLite, (${theirs.map((c) => c.name)}) here`);
      for (const c of cols) {
        const p = theirs.find((x) => x.name === c.name);
        if (!p) continue;
        const want = TYPES[c.type.toUpperCase()];
        if (!want) problems.push(`${tbl}.${c.name}: SQLite type ${c.type} has no counterpart`);
        else if (!want.includes(p.type)) problems.push(`${tbl}.${c.name}: ${c.type} in SQLite, ${p.type} here`);
        // SQLite lets a rowid table's key be NULL on paper only; the key
        // is NOT NULL here by nature.
        if (!litePk.includes(c.name) && Boolean(c.nn) !== p.notnull)
          problems.push(`${tbl}.${c.name}: NOT NULL ${Boolean(c.nn)} in SQLite, ${p.notnull} here`);
        const generated = c.hidden === 2 || c.hidden === 3;
        if (generated !== (p.generated === 's')) problems.push(`${tbl}.${c.name}: generated ${generated} in SQLite, not here`);
        const rowid = litePk.length === 1 && litePk[0] === c.name && c.type.toUpperCase() === 'INTEGER'
          && !/WITHOUT ROWID/i.test(lite.tables.find((t) => t.name === tbl).sql);
        if (!generated && !(rowid && p.identity) && normDefault(c.dflt_value) !== normDefault(p.dflt))
          problems.push(`${tbl}.${c.name}: default ${c.dflt_value} in SQLite, ${p.dflt} here`);
        // A rowid key numbers itself when none is given, unless it is
        // another table's key (case_people.case_id).
        const given = lite.fks.some((f) => f.tbl === tbl && f.src === c.name);
        if (rowid && !given && !p.identity) problems.push(`${tbl}.${c.name}: a rowid key in SQLite, no identity here`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test('every CHECK, UNIQUE and FOREIGN KEY of SQLite, here', () => {
    const problems = [];
    const pgCons = byTable(post.constraints);
    const pgIdx = byTable(post.indexes);
    for (const t of lite.tables) {
      const columns = new Set(lite.cols.filter((c) => c.tbl === t.name).map((c) => c.name));
      const mine = checksOf(t.sql).map((e) => signature(e, columns)).sort();
      const theirs = (pgCons.get(t.name) || []).filter((k) => k.type === 'c').map((k) => signature(k.def, columns)).sort();
      for (const s of mine) {
        const i = theirs.indexOf(s);
        if (i < 0) problems.push(`${t.name}: CHECK [${s}] missing`);
        else theirs.splice(i, 1);
      }
      for (const s of theirs) problems.push(`${t.name}: CHECK [${s}] not in SQLite`);
    }
    for (const i of lite.indexes.filter((x) => x.origin === 'u')) {
      const key = JSON.stringify(i.columns);
      const ok = (pgCons.get(i.tbl) || []).some((k) => k.type === 'u' && JSON.stringify(k.columns) === key)
        || (pgIdx.get(i.tbl) || []).some((x) => x.uniq && !x.pred
          && (JSON.stringify(x.columns) === key || hashUnique(x, i.columns)));
      if (!ok) problems.push(`${i.tbl}: UNIQUE (${i.columns}) missing`);
    }
    const fkKey = (src, ref, dst) => `${src.join(',')} -> ${ref}(${dst.join(',')})`;
    const liteFks = new Map();
    for (const f of lite.fks) {
      const k = `${f.tbl}:${f.id}`;
      const cur = liteFks.get(k) || { tbl: f.tbl, ref: f.ref, src: [], dst: [] };
      cur.src.push(f.src);
      cur.dst.push(f.dst ?? lite.cols.find((c) => c.tbl === f.ref && c.pk === cur.src.length)?.name);
      liteFks.set(k, cur);
    }
    const pgFks = post.constraints.filter((k) => k.type === 'f').map((k) => `${k.tbl}: ${fkKey(k.columns, k.ref, k.ref_columns)}`);
    const mine = [...liteFks.values()].map((f) => `${f.tbl}: ${fkKey(f.src, f.ref, f.dst)}`);
    for (const f of mine) {
      const i = pgFks.indexOf(f);
      if (i < 0) problems.push(`FOREIGN KEY ${f} missing`);
      else pgFks.splice(i, 1);
    }
    for (const f of pgFks) problems.push(`FOREIGN KEY ${f} not in SQLite`);
    assert.ok(mine.length > 50, `SQLite declares ${mine.length} foreign keys`);
    assert.deepEqual(problems, []);
  });

  test('every index by name, with its columns, uniqueness and condition; a search table is a GIN index', () => {
    const problems = [];
    const pgIdx = new Map(post.indexes.map((x) => [x.name, x]));
    const named = lite.indexes.filter((i) => i.origin === 'c');
    for (const i of named) {
      const p = pgIdx.get(i.name);
      if (!p) { problems.push(`index ${i.name} missing`); continue; }
      if (p.tbl !== i.tbl) problems.push(`index ${i.name}: on ${i.tbl} in SQLite, on ${p.tbl} here`);
      if (JSON.stringify(p.columns) !== JSON.stringify(i.columns))
        problems.push(`index ${i.name}: (${i.columns}) in SQLite, (${p.columns}) here`);
      if (Boolean(i.uq) !== p.uniq) problems.push(`index ${i.name}: unique ${Boolean(i.uq)} in SQLite, ${p.uniq} here`);
      const sql = stripComments(lite.master.find((m) => m.name === i.name).sql);
      const where = /\bWHERE\b([\s\S]*)$/i.exec(sql)?.[1];
      const columns = new Set(lite.cols.filter((c) => c.tbl === i.tbl).map((c) => c.name));
      if (Boolean(i.partial) !== Boolean(p.pred)) problems.push(`index ${i.name}: partial ${Boolean(i.partial)} in SQLite, not here`);
      else if (where && signature(where, columns) !== signature(p.pred, columns))
        problems.push(`index ${i.name}: WHERE ${where.trim()} in SQLite, ${p.pred} here`);
    }
    // FTS5 tables become GIN indexes of their name on their content table.
    for (const v of lite.virtual) {
      const content = /content\s*=\s*'([^']+)'/i.exec(v.sql)?.[1];
      const p = pgIdx.get(v.name);
      // Its columns: the arguments of fts5(...) that are not options.
      const args = balanced(v.sql, v.sql.indexOf('(')).split(',').map((a) => a.trim()).filter((a) => !a.includes('='));
      if (!p) problems.push(`search table ${v.name}: no index of its name`);
      else if (p.tbl !== content || p.method !== 'gin') problems.push(`search table ${v.name}: ${p.def}`);
      else for (const a of args) if (!new RegExp(`\\b${a}\\b`).test(p.def)) problems.push(`search table ${v.name}: ${a} not in ${p.def}`);
    }
    const hashed = post.indexes.filter((p) => lite.indexes.some((i) => i.origin === 'u' && i.tbl === p.tbl && hashUnique(p, i.columns)));
    const known = new Set([...named.map((i) => i.name), ...lite.virtual.map((v) => v.name), ...hashed.map((p) => p.name)]);
    for (const p of post.indexes)
      if (!p.of_constraint && !known.has(p.name)) problems.push(`index ${p.name} not in SQLite`);
    assert.ok(named.length > 80, `SQLite names ${named.length} indexes`);
    assert.deepEqual(problems, []);
  });

  test('every trigger: the same here, or its replacement named in the migrations', () => {
    const problems = [];
    for (const t of lite.triggers) {
      const p = post.triggers.find((x) => x.name === t.name);
      if (p && p.tbl !== t.tbl_name) problems.push(`trigger ${t.name}: on ${t.tbl_name} in SQLite, on ${p.tbl} here`);
      if (!p && !new RegExp(`\\b${t.name}\\b`).test(pgText))
        problems.push(`trigger ${t.name} on ${t.tbl_name}: neither here nor said what replaces it`);
    }
    for (const p of post.triggers)
      if (!lite.triggers.some((t) => t.name === p.name)) problems.push(`trigger ${p.name} not in SQLite`);
    assert.deepEqual(problems, []);
  });

  test('the same rows in meta', () => {
    assert.deepEqual(post.meta.map((r) => [r.key, Number(r.value)]), lite.meta.map((r) => [r.key, r.value]));
  });

  // The same SQL text on both, each statement alone: what each accepts
  // and refuses must be what the schema says (the expected column), and
  // what the triggers leave behind must agree.  Services are left out:
  // SQLite writes their texts only through qunyan's own tokenizer, which
  // the sqlite3 shell lacks.
  test('the same statements succeed and fail on both, and the triggers agree', () => {
    const Q = '91310000MA1FL4XQ3K';
    const R = '91310000MA1FL4XR1P';
    // Rows are named by their keys, not by ids: an identity column
    // spends an id on a refused insert where SQLite does not.
    const steps = [
      ['ok', "INSERT INTO users (username, role, password_hash, created_at) VALUES ('u1', 'officer', 'x', 't')"],
      ['ok', `INSERT INTO clusters (code, name_zh, name_en, leading_uscc) VALUES ('c9', '光电', 'Optics', '${Q}')`],
      ['ok', `INSERT INTO enterprises (uscc, industry, created_at, updated_at, name_zh, name_en) VALUES ('${Q}', 'C38', 't', 't', '上海起帆电缆', 'Qifan Cable')`],
      ['fails: unique uscc', `INSERT INTO enterprises (uscc, industry, created_at, updated_at) VALUES ('${Q}', 'C38', 't', 't')`],
      ['fails: status', "INSERT INTO enterprises (uscc, industry, created_at, updated_at, status) VALUES ('X1', 'C', 't', 't', 'gone')"],
      ['fails: lon without lat', "INSERT INTO enterprises (uscc, industry, created_at, updated_at, lon) VALUES ('X2', 'C', 't', 't', 121.3)"],
      ['fails: in_park', "INSERT INTO enterprises (uscc, industry, created_at, updated_at, in_park) VALUES ('X3', 'C', 't', 't', 2)"],
      ['fails: unknown cluster', "INSERT INTO enterprises (uscc, industry, created_at, updated_at, cluster_id) VALUES ('X4', 'C', 't', 't', 999)"],
      ['ok', `UPDATE enterprises SET uscc = '${R}' WHERE uscc = '${Q}'`],
      ['ok', "INSERT INTO grids (level, code, name_zh, geometry, area_km2, min_lon, min_lat, max_lon, max_lat, created_at, updated_at) VALUES ('town', 'g1', '镇', '{}', 1, 0, 0, 1, 1, 't', 't')"],
      ['fails: grid level', "INSERT INTO grids (level, code, name_zh, geometry, area_km2, min_lon, min_lat, max_lon, max_lat, created_at, updated_at) VALUES ('city', 'g2', '市', '{}', 1, 0, 0, 1, 1, 't', 't')"],
      ['ok', "INSERT INTO departments (name) VALUES ('d1')"],
      ['fails: deadline', "INSERT INTO case_categories (code, name_zh, name_en, department_id, deadline_hours) VALUES ('k0', 'k', 'k', (SELECT id FROM departments WHERE name = 'd1'), 0)"],
      ['ok', "INSERT INTO case_categories (code, name_zh, name_en, department_id, deadline_hours) VALUES ('k1', 'k', 'k', (SELECT id FROM departments WHERE name = 'd1'), 24)"],
      ['ok', "INSERT INTO cases (tracking_code, kind, channel, category_id, department_id, text, public, deadline, created_at, updated_at) VALUES ('T1', 'problem', 'web', (SELECT id FROM case_categories WHERE code = 'k1'), (SELECT id FROM departments WHERE name = 'd1'), '路灯', 1, 'd', 't', 't')"],
      ['fails: service request without service', "INSERT INTO cases (tracking_code, kind, channel, category_id, department_id, text, public, deadline, created_at, updated_at) VALUES ('T2', 'service_request', 'web', (SELECT id FROM case_categories WHERE code = 'k1'), (SELECT id FROM departments WHERE name = 'd1'), 'x', 1, 'd', 't', 't')"],
      ['fails: rating', "UPDATE cases SET rating = 6 WHERE tracking_code = 'T1'"],
      ['ok', "UPDATE cases SET state = 'closed' WHERE tracking_code = 'T1'"],
      ['ok', "INSERT INTO case_transfers (case_id, district_id, from_id, to_id, reason, sent_at) VALUES ((SELECT id FROM cases WHERE tracking_code = 'T1'), 1, 1, 1, 'r', 't')"],
      ['fails: second pending transfer', "INSERT INTO case_transfers (case_id, district_id, from_id, to_id, reason, sent_at) VALUES ((SELECT id FROM cases WHERE tracking_code = 'T1'), 1, 1, 1, 'r', 't')"],
      ['fails: alliance member of two kinds', "INSERT INTO alliance_members (alliance_id, enterprise_id, name_zh, created_at) VALUES (1, 1, '某', 't')"],
    ];
    const onLite = (sql) => spawnSync('sqlite3', ['-bail', liteDb, `PRAGMA foreign_keys = ON; ${sql};`], { encoding: 'utf8' }).status === 0;
    const onPg = (sql) => { try { psql(pg.url, ['-q', '-c', sql]); return true; } catch { return false; } };
    const before = { lite: sqliteJson(liteDb, 'SELECT key, value FROM meta'), pg: pgJson(pg.url, 'SELECT key, value FROM meta') };
    const got = steps.map(([want, sql]) => [want, onLite(sql) ? 'ok' : 'fails', onPg(sql) ? 'ok' : 'fails', sql]);
    const wrong = got.filter(([want, l, p]) => want.split(':')[0] !== l || want.split(':')[0] !== p)
      .map(([want, l, p, sql]) => `${want}: SQLite ${l}, PostgreSQL ${p}: ${sql}`);
    assert.deepEqual(wrong, []);
    const read = [
      "SELECT leading_uscc FROM clusters WHERE code = 'c9'",
      "SELECT uscc FROM enterprises WHERE name_zh LIKE '%起帆电%'",
      "SELECT closed FROM cases WHERE tracking_code = 'T1'",
    ];
    for (const q of read)
      assert.deepEqual(Object.values(pgJson(pg.url, q)[0]), Object.values(sqliteJson(liteDb, q)[0]), q);
    assert.equal(pgJson(pg.url, read[0])[0].leading_uscc, R, 'the cluster followed its enterprise to the new code');
    // Each counter moved on both or on neither (SQLite counts rows,
    // PostgreSQL statements).
    const moved = (b, a) => Object.fromEntries(a.map((r) => [r.key, Number(r.value) > Number(b.find((x) => x.key === r.key)?.value ?? -1)]));
    const movedLite = moved(before.lite, sqliteJson(liteDb, 'SELECT key, value FROM meta'));
    assert.deepEqual(moved(before.pg, pgJson(pg.url, 'SELECT key, value FROM meta')), movedLite);
    assert.equal(movedLite.chain_version && movedLite.grid_version && !movedLite.jurisdiction_version, true);
  });

  // The hours of the catalogue, on PostgreSQL alone (see above): each
  // distinct text is kept once, a service names it, '' names none.
  test('services name their hours as SQLite\'s triggers make them', () => {
    // Letters that do not compress, longer than a B-tree entry takes.
    let seed = 7;
    const long = Array.from({ length: 3000 }, () => String.fromCharCode(97 + ((seed = (seed * 1103515245 + 12345) % 2147483648) % 26))).join('');
    const org = pgJson(pg.url, "INSERT INTO organisations (name_zh, name_en, kind) VALUES ('o', 'o', 'office') RETURNING id")[0].id;
    const add = (name, hours) => pgJson(pg.url, `INSERT INTO services (organization_id, name_zh, category, status, deadline_hours, hours,
      jurisdiction_id, district_id, created_at, updated_at) VALUES (${org}, '${name}', 'financing', 'active', 24, '${hours}', 1, 1, 't', 't')
      RETURNING id, hours_id`)[0];
    const a = add('贷款', long);
    const b = add('法律', long);
    const c = add('培训', '');
    assert.ok(a.hours_id);
    assert.equal(b.hours_id, a.hours_id);
    assert.equal(c.hours_id, null);
    const d = pgJson(pg.url, `UPDATE services SET hours = '{}' WHERE id = ${a.id} RETURNING hours_id`)[0];
    assert.notEqual(d.hours_id, a.hours_id);
    assert.equal(pgJson(pg.url, `UPDATE services SET hours = '' WHERE id = ${b.id} RETURNING hours_id`)[0].hours_id, null);
    assert.equal(pgJson(pg.url, 'SELECT count(*) AS n FROM service_hours')[0].n, 2);
    // The words of one and two characters, through the index of 013.
    const grams = "qy_grams(name_zh || ' ' || name_en || ' ' || description_zh || ' ' || description_en)";
    assert.deepEqual(pgJson(pg.url, `SELECT id FROM services WHERE ${grams} @> ARRAY['法'] ORDER BY id`).map((r) => r.id), [b.id]);
    assert.deepEqual(pgJson(pg.url, `SELECT id FROM services WHERE ${grams} @> ARRAY['贷款'] ORDER BY id`).map((r) => r.id), [a.id]);
  });
});
