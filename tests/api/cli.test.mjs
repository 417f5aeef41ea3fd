// The command line: import, export, users, backup and settings, against
// real database files (and a running server for the backup).
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { BIN, cli, start, login, ON_PG, dbQuery } from '../lib/server.mjs';
import { unzip, sheetCells } from '../lib/zip.mjs';

const dir = mkdtempSync(join(tmpdir(), 'qunyan-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'q.db');
assert.equal(cli(['init', '--demo', '--db', db]).status, 0);

const HEADER = 'uscc,name_zh,name_en,industry,cluster_id,stage,size,founded,address,lon,lat,employees,status,tags,contact_name,contact_role,contact_phone,contact_email';
const ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function uscc(body8) {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const v = (c) => (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55);
  const s1 = [...body8].reduce((a, c, i) => a + v(c) * w[i], 0);
  const c1 = 11 - (s1 % 11);
  const c17 = '91310116' + body8 + (c1 === 10 ? 'X' : c1 === 11 ? '0' : String(c1));
  const s = [...c17].reduce((a, c, i) => a + ALPHA.indexOf(c) * W[i], 0);
  return c17 + ALPHA[(31 - (s % 31)) % 31];
}
const row = (u, extra = {}) => {
  const r = { uscc: u, name_zh: '上海导入测试有限公司', name_en: 'Shanghai Import Test Co., Ltd.', industry: '3833',
    cluster_id: '1', stage: 'upstream', size: 'small', founded: '2019-03-04', address: '张堰镇, "荣威路" 8号',
    lon: '121.29', lat: '30.80', employees: '33', status: '', tags: '高新技术企业;招商引进',
    contact_name: '王刚', contact_role: '经理', contact_phone: '13900001111', contact_email: 'wang@import.example.cn', ...extra };
  return HEADER.split(',').map((k) => `"${String(r[k]).replaceAll('"', '""')}"`).join(',');
};
// RFC 4180, written from the specification for the test.
function parseCsv(text) {
  const rows = []; let row = []; let cell = ''; let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); cell = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else cell += ch;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}
const total = () => Number(/(\d+) enterprises/.exec(cli(['check', '--db', db]).stdout)[1]);

test('every command has --help', () => {
  for (const c of [[], ['serve'], ['init'], ['import'], ['export'], ['user'], ['backup'], ['check'], ['chain']]) {
    const r = cli([...c, '--help']);
    assert.equal(r.status, 0, c.join(' '));
    assert.match(r.stdout, /usage: qunyan/);
  }
  assert.match(cli(['--help']).stdout, /QUNYAN_DB/);
  assert.equal(cli(['frobnicate']).status, 2);
});

test('import is all or nothing and reports every bad record', () => {
  const n0 = total();
  const bad = [HEADER, row(uscc('20000001')), row(uscc('20000002'), { industry: '38x3' }),
    row(uscc('20000003')), row('913101162000000499', {}), row(uscc('20000004'), { employees: '-3', lat: '95' }),
    '"only","three","fields"', ''].join('\r\n');
  const f = join(dir, 'bad.csv');
  writeFileSync(f, bad);
  const r = cli(['import', 'enterprises', f, '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /line 3, column 4 \(industry\)/);
  assert.match(r.stderr, /line 5, .*uscc/);
  assert.match(r.stderr, /line 6, column 12 \(employees\)/);
  assert.match(r.stderr, /line 6, column 11 \(lat\)/);
  assert.match(r.stderr, /line 7, record: has 3 fields, the header has 18/);
  assert.match(r.stderr, /nothing was imported/);
  assert.equal(total(), n0);
});

test('import accepts a BOM, quoted commas and newlines, then refuses duplicates', () => {
  const n0 = total();
  const good = '\ufeff' + [HEADER, row(uscc('30000001')), row(uscc('30000002'), { name_en: 'Shanghai "Quoted", Co.' }),
    '', row(uscc('30000003'))].join('\n') + '\n';
  const f = join(dir, 'good.csv');
  writeFileSync(f, good);
  const r = cli(['import', 'enterprises', f, '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /imported 3 enterprises/);
  assert.equal(total(), n0 + 3);
  const again = cli(['import', 'enterprises', f, '--db', db]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already registered/);
  assert.equal(total(), n0 + 3);
});

test('a code that is twice in the file is refused on the second line, naming the first', () => {
  const n0 = total();
  const f = join(dir, 'twice.csv');
  writeFileSync(f, [HEADER, row(uscc('60000001')), row(uscc('60000002')), row(uscc('60000001')), row(uscc('60000001'))].join('\n'));
  const r = cli(['import', 'enterprises', f, '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`line 4, column 1 \\(uscc\\): uscc: code ${uscc('60000001')} is also on line 2 of this file`));
  assert.match(r.stderr, /line 5, column 1 \(uscc\): uscc: code \w+ is also on line 2/);
  assert.match(r.stderr, /2 of 4 records are bad; nothing was imported/);
  assert.equal(total(), n0);
  // the code of a registered enterprise, from the demo town
  const demo = JSON.parse(cli(['export', 'enterprises', '--format', 'json', '--db', db]).stdout)[0].uscc;
  writeFileSync(f, [HEADER, row(uscc('60000003')), row(demo)].join('\n'));
  const again = cli(['import', 'enterprises', f, '--db', db]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, new RegExp(`line 3, column 1 \\(uscc\\): uscc: an enterprise with code ${demo} is already registered`));
  assert.equal(total(), n0);
});

test('records after a quoted newline keep their own line numbers', () => {
  const f = join(dir, 'multiline.csv');
  writeFileSync(f, [HEADER, row(uscc('30000011'), { address: '两行\n地址' }), row(uscc('30000012'), { industry: 'abcd' })].join('\n'));
  const r = cli(['import', 'enterprises', f, '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /column 9 \(address\): address: must not contain control characters/);
  assert.match(r.stderr, /line 4, column 4 \(industry\)/);
});

test('a GBK file is refused with a way to convert it', () => {
  const f = join(dir, 'gbk.csv');
  // "起帆" in GBK
  writeFileSync(f, Buffer.concat([Buffer.from(`${HEADER}\n${uscc('40000001')},`), Buffer.from([0xC6, 0xF0, 0xB7, 0xAB]), Buffer.from(',,3833,,,,,,,,,,,,,,\n')]));
  const r = cli(['import', 'enterprises', f, '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /GBK/);
  assert.match(r.stderr, /iconv/);
});

test('unknown and missing headings are named', () => {
  const f = join(dir, 'head.csv');
  writeFileSync(f, 'uscc,colour\n1,2\n');
  let r = cli(['import', 'enterprises', f, '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unknown heading 'colour'/);
  writeFileSync(f, 'name_zh\nx\n');
  r = cli(['import', 'enterprises', f, '--db', db]);
  assert.match(r.stderr, /needs a 'uscc' column/);
  writeFileSync(f, '');
  r = cli(['import', 'enterprises', f, '--db', db]);
  assert.match(r.stderr, /empty/);
});

test('clusters and enterprises export, import into an empty database and export again identically', () => {
  const env = { ...process.env, QUNYAN_PASSWORD: 'a-good-password' };
  // What the demo lacks: many contacts, a reason for a status, an
  // accepted code that fails its check.
  const many = join(dir, 'many.csv');
  const head = 'uscc,name_zh,industry,cluster_id,status,status_reason,uscc_override,contact_name,contact_phone,contact2_name,contact2_role,contact2_email,contact3_name,contact3_phone,address';
  writeFileSync(many, [head,
    `${uscc('70000001')},三联系人有限公司,3833,2,active,,false,甲,13900000001,乙,采购,yi@example.cn,丙,021-57200000,"=HYPERLINK(""http://evil.example"",""x"")"`,
    `${uscc('70000002')},迁出企业有限公司,3833,,moved_out,迁往松江区,false,丁,+86 139 0000 0002,,,,,,@SUM(1)`,
    '91350100M000100Y4A,早期代码企业,3833,,active,,true,,,,,,,,'].join('\r\n'));
  let r = cli(['import', 'enterprises', many, '--db', db]);
  assert.equal(r.status, 0, r.stderr);

  const out = (name) => join(dir, name);
  for (const what of ['clusters', 'enterprises'])
    assert.equal(cli(['export', what, '--output', out(`${what}1.csv`), '--db', db]).status, 0);
  const text = readFileSync(out('enterprises1.csv'), 'utf8');
  // RFC 4180: CRLF after every record.
  assert.equal(text.split('\r\n').length - 1, text.split('\n').length - 1);
  assert.ok(text.endsWith('\r\n'));
  const rows = parseCsv(text);
  assert.deepEqual(rows[0].slice(0, 21), ['uscc', 'name_zh', 'name_en', 'industry', 'cluster_id', 'stage', 'size',
    'founded', 'address', 'lon', 'lat', 'employees', 'status', 'status_reason', 'tags', 'in_park', 'uscc_override',
    'contact_name', 'contact_role', 'contact_phone', 'contact_email']);
  assert.equal(rows[0].at(-1), 'contact3_email', 'as many contact groups as the most contacts need');
  const three = rows.find((x) => x[0] === uscc('70000001'));
  assert.equal(three[rows[0].indexOf('contact2_email')], 'yi@example.cn');
  assert.equal(three[rows[0].indexOf('contact3_phone')], '021-57200000');
  assert.equal(rows.find((x) => x[0] === uscc('70000002'))[13], '迁往松江区');
  // A cell a spreadsheet would run as a formula is written with a guard
  // (and read back without it, below).
  assert.match(text, /"'=HYPERLINK\(""http:\/\/evil\.example""/);
  assert.match(text, /"'\+86 139 0000 0002"/);
  assert.match(text, /"'@SUM\(1\)"/);
  assert.doesNotMatch(text, /(^|,)"[=+@]/m);

  const empty = out('roundtrip.db');
  assert.equal(cli(['init', '--db', empty]).status, 0);
  r = cli(['import', 'clusters', out('clusters1.csv'), '--db', empty]);
  assert.equal(r.status, 0, r.stderr);
  r = cli(['import', 'enterprises', out('enterprises1.csv'), '--db', empty]);
  assert.equal(r.status, 0, r.stderr.slice(0, 500));
  for (const what of ['clusters', 'enterprises']) {
    assert.equal(cli(['export', what, '--output', out(`${what}2.csv`), '--db', empty]).status, 0);
    assert.ok(readFileSync(out(`${what}1.csv`)).equals(readFileSync(out(`${what}2.csv`))), `${what}: the same bytes`);
  }
  // The clusters' links hold in the new database: the leading
  // enterprise is found, and the secretary once the user exists.
  r = cli(['user', 'add', 'secretary', '--role', 'secretary', '--cluster', '1', '--db', empty], { env });
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(cli(['export', 'clusters', '--format', 'json', '--db', empty]).stdout);
  assert.equal(json.length, 4);
  assert.equal(json[0].secretary, 'secretary');
  assert.match(json[0].leading_uscc, /^91310116/);

  // --bom for Excel.
  assert.equal(cli(['export', 'clusters', '--bom', '--output', out('bom.csv'), '--db', db]).status, 0);
  assert.deepEqual([...readFileSync(out('bom.csv')).subarray(0, 3)], [0xEF, 0xBB, 0xBF]);
  r = cli(['import', 'clusters', out('bom.csv'), '--db', empty]);
  assert.equal(r.status, 0, r.stderr);
});

test('a clusters file with bad records imports nothing and names every fault', () => {
  const f = join(dir, 'bad-clusters.csv');
  writeFileSync(f, ['id,code,name_zh,name_en,leading_uscc,secretary',
    '1,optoelectronic,光电传输产业集群,Opto,,',
    'x,Bad Code,,,91310116MA1K0004XA,officer',
    '9,optoelectronic,重复,,,',
    '10,fresh,新集群,,,qifan'].join('\n'));
  const before = cli(['export', 'clusters', '--db', db]).stdout;
  const r = cli(['import', 'clusters', f, '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /line 3, column 1 \(id\): id: 'x' must be a positive whole number/);
  assert.match(r.stderr, /line 3, column 2 \(code\): code: 1 to 32 characters/);
  assert.match(r.stderr, /line 3, column 3 \(name_zh\): name_zh: required/);
  assert.match(r.stderr, /line 3, column 5 \(leading_uscc\): .*expected 'F'/);
  assert.match(r.stderr, /line 4, column 2 \(code\): code: 'optoelectronic' is also on line 2/);
  assert.match(r.stderr, /line 5, column 6 \(secretary\): secretary: 'qifan' has the role enterprise, not secretary/);
  assert.match(r.stderr, /3 of 4 records are bad/);
  assert.match(r.stderr, /nothing was imported/);
  assert.equal(cli(['export', 'clusters', '--db', db]).stdout, before);
});

test('XLSX export: typed cells, a bold frozen header with a filter, widths', () => {
  const xlsx = join(dir, 'out.xlsx');
  const r = cli(['export', 'enterprises', '--format', 'xlsx', '--output', xlsx, '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  const files = unzip(readFileSync(xlsx));
  const { xml, cells } = sheetCells(files);
  assert.match(xml, /<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"\/>/);
  assert.match(xml, /<autoFilter ref="A1:[A-Z]+\d+"\/>/);
  assert.match(xml, /<col min="2" max="2" width="(\d+)/);
  assert.ok(Number(/<col min="2" max="2" width="([\d.]+)/.exec(xml)[1]) > 20, 'names get a wide column');
  // Bold header: the style of A1 has a font with <b/>.
  const styles = files.get('xl/styles.xml');
  const xf = [...styles.match(/<cellXfs[^>]*>(.*?)<\/cellXfs>/s)[1].matchAll(/<xf [^>]*?fontId="(\d+)"/g)].map((m) => Number(m[1]));
  const fonts = [...styles.match(/<fonts[^>]*>(.*?)<\/fonts>/s)[1].matchAll(/<font>(.*?)<\/font>/gs)].map((m) => m[1]);
  assert.match(fonts[xf[cells.A1.s]], /<b\/>/);
  assert.equal(cells.A1.v, 'uscc');
  // Row 2 is Qifan Cable: employees a number, founded a date (a serial
  // day with a date format), in_park a boolean.
  const col = (name) => String.fromCharCode(65 + ['uscc', 'name_zh', 'name_en', 'industry', 'cluster_id', 'stage',
    'size', 'founded', 'address', 'lon', 'lat', 'employees', 'status', 'status_reason', 'tags', 'in_park'].indexOf(name));
  assert.equal(cells[`${col('employees')}2`].t, 'n');
  assert.ok(Number(cells[`${col('employees')}2`].v) > 0);
  assert.equal(cells[`${col('lon')}2`].t, 'n');
  assert.equal(cells[`${col('in_park')}2`].t, 'b');
  assert.equal(cells[`${col('in_park')}2`].v, '1');
  const founded = cells[`${col('founded')}2`];
  assert.equal(founded.t, 'n');
  // 1994-12-16 is day 34684 counted from 1899-12-30.
  assert.equal(Number(founded.v), (Date.UTC(1994, 11, 16) - Date.UTC(1899, 11, 30)) / 86400000);
  assert.match(styles, /formatCode="yyyy-mm-dd"/);
  assert.equal(cells[`${col('uscc')}2`].t, 's', 'codes stay text');
  assert.equal(cli(['export', 'enterprises', '--format', 'pdf', '--db', db]).status, 2);
  assert.equal(cli(['export', 'enterprises', '--format', 'xlsx', '--db', db]).status, 2);
});

test('JSON export', () => {
  const r = cli(['export', 'enterprises', '--format', 'json', '--db', db]);
  assert.equal(r.status, 0);
  const arr = JSON.parse(r.stdout);
  assert.equal(arr.length, total());
  assert.ok(arr.some((e) => e.name_en === 'Shanghai Qifan Cable Co., Ltd.'));
});

test('users: add, list, passwd, bad input', () => {
  const env = { ...process.env, QUNYAN_PASSWORD: 'a-good-password' };
  let r = cli(['user', 'add', 'zhou.ping', '--role', 'handler', '--department', '经济园区', '--name', '周平', '--db', db], { env });
  assert.equal(r.status, 0, r.stderr);
  r = cli(['user', 'list', '--db', db]);
  assert.match(r.stdout, /zhou\.ping\s+handler/);
  r = cli(['user', 'add', 'zhou.ping', '--role', 'handler', '--department', 'x', '--db', db], { env });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /taken/);
  assert.equal(cli(['user', 'add', 'x1', '--role', 'king', '--db', db], { env }).status, 2);
  assert.equal(cli(['user', 'add', 'x2', '--role', 'secretary', '--db', db], { env }).status, 2);
  assert.equal(cli(['user', 'add', 'x3', '--role', 'officer', '--db', db], { env: { ...env, QUNYAN_PASSWORD: 'short' } }).status, 1);
  assert.equal(cli(['user', 'add', 'Bad Name', '--role', 'officer', '--db', db], { env }).status, 2);
  r = cli(['user', 'passwd', 'zhou.ping', '--db', db], { env: { ...env, QUNYAN_PASSWORD: 'another-password' } });
  assert.equal(r.status, 0, r.stderr);
});

test('init refuses to overwrite; settings come from flags, environment and INI', () => {
  let r = cli(['init', '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /exists/);
  r = cli(['check'], { env: { ...process.env, QUNYAN_DB: db } });
  assert.equal(r.status, 0, r.stderr);
  const ini = join(dir, 'q.ini');
  writeFileSync(ini, `[server]\ndb = ${db}\nthreads = 3\n`);
  r = cli(['check', '--config', ini]);
  assert.equal(r.status, 0, r.stderr);
  writeFileSync(ini, '[server]\nthreads = lots\n');
  r = cli(['check', '--config', ini]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /threads must be a whole number/);
  r = cli(['check', '--db', join(dir, 'missing.db')]);
  assert.equal(r.status, 1);
  r = cli(['serve', '--db', db, '--listen', 'nowhere']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /listen/);
});

test('backup while the server writes: the copy is one consistent moment', { skip: ON_PG && 'qunyan backup copies a SQLite file; PostgreSQL is backed up by its server' }, async () => {
  const srv = await start();
  try {
    const s = await login(srv.url, 'officer');
    // A writer that keeps changing enterprise 1 while the backup runs,
    // noting each acknowledged value.
    const acked = [(await s.call('GET', '/api/v1/enterprises/1')).json.employees];
    let version = 1; let writing = true;
    const writer = (async () => {
      for (let i = 0; writing && i < 5000; i++) {
        const r = await s.call('PATCH', '/api/v1/enterprises/1', { employees: 4000 + i }, { 'If-Match': `"v${version}"` });
        assert.equal(r.status, 200, r.text);
        version++;
        acked.push(4000 + i);
      }
    })();
    while (acked.length < 20) await new Promise((r) => setTimeout(r, 5));
    const floor = acked.at(-1); // acknowledged before the backup began
    const copy = join(dir, 'backup.db');
    const r = await new Promise((resolve) => {
      execFile(BIN, ['backup', copy, '--db', srv.db], (error, stdout, stderr) => resolve({ status: error ? error.code : 0, stderr }));
    });
    writing = false;
    await writer;
    assert.equal(r.status, 0, r.stderr);
    const chk = cli(['check', '--db', copy]);
    assert.equal(chk.status, 0, chk.stderr);
    const live = JSON.parse(cli(['export', 'enterprises', '--format', 'json', '--db', srv.db]).stdout);
    const restored = JSON.parse(cli(['export', 'enterprises', '--format', 'json', '--db', copy]).stdout);
    // The copy holds one of the acknowledged values, no older than the
    // last one acknowledged before it began, with the version that went
    // with it; every other record is as it is live.
    const e1 = restored.find((e) => e.id === 1);
    assert.ok(acked.includes(e1.employees) && e1.employees >= floor, `employees ${e1.employees}, floor ${floor}`);
    assert.equal(e1.version, acked.indexOf(e1.employees) + 1);
    assert.deepEqual(restored.filter((e) => e.id !== 1), live.filter((e) => e.id !== 1));
    assert.equal(live.find((e) => e.id === 1).employees, acked.at(-1));
  } finally {
    await srv.stop();
  }
});

test('enterprises imported while the server runs are found at once, then through the index it builds', async () => {
  const srv = await start();
  try {
    const s = await login(srv.url, 'officer');
    const f = join(dir, 'search.csv');
    const a = uscc('70000001'); const b = uscc('70000002'); const c = uscc('70000003');
    writeFileSync(f, [HEADER,
      row(a, { name_zh: '上海鸿雁光纤有限公司', name_en: 'Shanghai Hongyan Fibre Co., Ltd.', address: '张堰镇鸿雁路1号' }),
      row(b, { name_zh: '上海雁荡精密机械有限公司', name_en: 'Yandang Precision Machinery Co., Ltd.' }),
      row(c, { name_zh: '鸿雁检测技术有限公司', name_en: 'Hongyan Testing' })].join('\n'));
    const r = cli(['import', 'enterprises', f, '--db', srv.db]);
    assert.equal(r.status, 0, r.stderr);
    const find = async (q) => {
      const res = await s.call('GET', `/api/v1/enterprises?q=${encodeURIComponent(q)}&located=all&limit=500`);
      assert.equal(res.status, 200, q);
      return res.json.items.map((e) => e.uscc).sort();
    };
    const want = {
      鸿雁: [a, c], 鸿雁光纤: [a], 鸿雁路: [a], Hongyan: [a, c], 'hongyan fibre': [a],
      雁荡精密: [b], Yandang: [b], 'yandang precision': [b], [c]: [c], 不存在的公司: [],
    };
    const check = async () => {
      for (const [q, ids] of Object.entries(want)) assert.deepEqual(await find(q), [...ids].sort(), q);
    };
    // at once, whether or not the server has indexed them yet
    await check();
    // the server extends the index in the background within seconds
    // (PostgreSQL's trigram index has nothing to catch up on)
    const { execFileSync } = await import('node:child_process');
    const query = "SELECT count(*) FROM meta WHERE key = 'search_indexed_to'";
    const waiting = () => Number(dbQuery(srv.db, query));
    for (let i = 0; i < 100 && waiting(); i++) await new Promise((res) => setTimeout(res, 100));
    assert.equal(waiting(), 0);
    const health = await (await fetch(`${srv.url}/healthz`)).json();
    assert.ok(health.search_pending === 0 || health.search_pending === -1, JSON.stringify(health));
    await check();
    // the FTS5 index SQLite searches through is whole
    if (!ON_PG) execFileSync('sqlite3', [srv.db, "INSERT INTO enterprise_fts(enterprise_fts) VALUES ('integrity-check')"]);
  } finally {
    await srv.stop();
  }
});

test('a database from a newer qunyan is refused', async () => {
  const f = join(dir, 'newer.db');
  assert.equal(cli(['init', '--db', f]).status, 0);
  const { execFileSync } = await import('node:child_process');
  execFileSync('sqlite3', [f, 'PRAGMA user_version = 99']);
  const r = cli(['check', '--db', f]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /newer qunyan/);
});

test('chain analyses from the command line', () => {
  let r = cli(['chain', 'gaps', '1', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /coating_resin\s+upstream\s+gap/);
  assert.match(r.stdout, /copper_rod\s+upstream\s+outside_only/);
  r = cli(['chain', 'map', '1', '--db', db]);
  assert.match(r.stdout, /optical_cable\s+downstream\s+covered/);
  r = cli(['chain', 'localisation', '1', '--from', '2016', '--to', '2024', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  const rates = [...r.stdout.matchAll(/^  (\d{4})\s+([\d.]+) %/gm)].map((m) => Number(m[2]));
  assert.equal(rates.length, 18);
  assert.ok(rates[8] > rates[0]);
  r = cli(['chain', 'partners', '1', '--limit', '3', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 4);
  assert.match(r.stdout, /node\+40\.0/);
  r = cli(['chain', 'loops', '1', '--db', db]);
  assert.match(r.stdout, /loop 1:/);
  assert.equal(cli(['chain', 'map', '99', '--db', db]).status, 1);
  assert.equal(cli(['chain', 'partners', 'x', '--db', db]).status, 2);
});

test('indicators import all or nothing, by the registry rules', () => {
  const f = join(dir, 'ind.csv');
  const qifan = JSON.parse(cli(['export', 'enterprises', '--format', 'json', '--db', db]).stdout)
    .find((e) => e.name_en === 'Shanghai Qifan Cable Co., Ltd.');
  writeFileSync(f, `uscc,period,revenue,output,tax\n${qifan.uscc},2026-Q3,100,90,6\n${qifan.uscc},2026-Q5,x,1,\n913101160000000000,2026-Q3,1,1,1\n`);
  let r = cli(['import', 'indicators', f, '--db', db]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /line 3, column 2 \(period\): '2026-Q5'/);
  assert.match(r.stderr, /line 3, column 3 \(revenue\): 'x' must be a number/);
  assert.match(r.stderr, /line 4, column 1 \(uscc\): no enterprise/);
  assert.match(r.stderr, /2 of 3 records are bad; nothing was imported/);
  writeFileSync(f, `uscc,period,revenue,output,tax\n${qifan.uscc},2026-Q3,100,90,6\n${qifan.uscc},2026-Q2,120,,\n`);
  r = cli(['import', 'indicators', f, '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /imported 2 periods/);
  writeFileSync(f, 'enterprise,when\n1,2\n');
  assert.match(cli(['import', 'indicators', f, '--db', db]).stderr, /unknown heading 'enterprise'/);
});
