// Importing enterprises over HTTP, as the console uploads a file: a CSV
// file or an XLSX workbook checked by a dry run that lists every bad
// record by line and column, then imported all or nothing.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login } from '../lib/server.mjs';
import { workbook, xlsxOf, zip } from '../lib/zip.mjs';

const srv = await start();
test.after(() => srv.stop());

const officer = await login(srv.url, 'officer');
const admin = await login(srv.url, 'admin');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// A valid USCC (GB 32100-2015) of Jinshan with the given body of 8.
const ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function uscc(body8) {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const v = (c) => (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55);
  const o = 11 - ([...body8].reduce((a, c, i) => a + v(c) * w[i], 0) % 11);
  const c17 = '91310116' + body8 + (o === 10 ? 'X' : o === 11 ? '0' : String(o));
  const s = [...c17].reduce((a, c, i) => a + ALPHA.indexOf(c) * W[i], 0);
  return c17 + ALPHA[(31 - (s % 31)) % 31];
}

async function total() {
  let n = 0; let cursor = null;
  do {
    const r = await officer.call('GET', `/api/v1/enterprises?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200);
    n += r.json.items.length;
    cursor = r.json.next;
  } while (cursor);
  return n;
}
async function byCode(code) {
  const r = await officer.call('GET', `/api/v1/enterprises?located=all&q=${code}`);
  assert.equal(r.status, 200);
  return r.json.items.find((e) => e.uscc === code);
}

const HEAD = ['uscc', 'name_zh', 'name_en', 'industry', 'cluster_id', 'stage', 'size', 'founded',
  'lon', 'lat', 'employees', 'in_park', 'contact_name', 'contact_phone'];
const A = uscc('MPTA0001'); const B = uscc('MPTA0002');
const good = [
  HEAD,
  [A, '上海导入测试电缆有限公司', 'Shanghai Import Test Cable Co., Ltd.', '3831', 1, 'upstream', 'small',
    '2021-04-01', 121.2905, 30.8012, 35, 'true', '陈立', '13911112222'],
  [B, '上海导入测试材料有限公司', '', '2929', 2, 'midstream', 'micro', '2022-09-15', '', '', 8, 'false', '', ''],
];
const bad = [
  HEAD,
  good[1],
  [A, '重复代码公司', '', '3831', 1, '', '', '', '', '', '', '', '', ''], // same code as line 2
  [uscc('MPTA0003').slice(0, 17) + 'Z', '校验码错误公司', '', 'abc', 99, 'sideways', '', '2023-02-30', '', '', -3, 'maybe', '', ''],
];

async function post(client, body, type, query = '') {
  return client.call('POST', `/api/v1/enterprises/import${query}`, body, { 'Content-Type': type });
}
const post2 = (client, buf, type, query) => fetch(`${srv.url}/api/v1/enterprises/import${query}`, {
  method: 'POST', body: buf,
  headers: { Cookie: client.cookie, 'X-CSRF-Token': client.csrf, 'Content-Type': type },
}).then(async (r) => ({ status: r.status, json: await r.json() }));

test('a dry run of a workbook lists every bad record by line and column and writes nothing', async () => {
  const before = await total();
  const r = await post2(officer, xlsxOf(bad), XLSX, '?dry_run=true');
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.dry_run, true);
  assert.equal(r.json.format, 'xlsx');
  assert.equal(r.json.records, 3);
  assert.equal(r.json.bad, 2);
  assert.equal(r.json.created, 0);
  const at = (line, heading) => r.json.items.filter((p) => p.line === line && p.heading === heading);
  assert.equal(at(3, 'uscc').length, 1, 'the code repeated on line 3');
  assert.equal(at(3, 'uscc')[0].code, 'duplicate_uscc');
  assert.equal(at(3, 'uscc')[0].column, 1);
  // Line 4 breaks a rule in many columns: each is listed.
  for (const h of ['uscc', 'industry', 'stage', 'founded', 'employees', 'in_park'])
    assert.equal(at(4, h).length, 1, `line 4, ${h}: ${JSON.stringify(r.json.items)}`);
  assert.ok(r.json.items.every((p) => typeof p.message === 'string' && p.message.length > 5));
  assert.equal(await total(), before);
  assert.equal(await byCode(A), undefined, 'the good record of the dry run is not kept');
});

test('importing a file with a bad record writes none of it', async () => {
  const before = await total();
  const r = await post2(officer, xlsxOf(bad), XLSX, '');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'import_bad_records');
  assert.match(r.json.error.message, /2 of 3 records are bad; nothing was imported/);
  assert.ok(r.json.error.errors.some((e) => e.field === 'line 3, column 1 (uscc)'));
  assert.equal(await total(), before);
  assert.equal(await byCode(A), undefined);
});

test('the fixed workbook imports: placed, in the registry, audited', async () => {
  const before = await total();
  const dry = await post2(officer, xlsxOf(good), XLSX, '?dry_run=true');
  assert.equal(dry.status, 200);
  assert.deepEqual([dry.json.bad, dry.json.items.length], [0, 0]);
  const r = await post2(officer, xlsxOf(good), XLSX, '');
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.equal(r.json.created, 2);
  // B is a partner outside the park, not counted among the park's.
  assert.equal(await total(), before + 1);
  const a = await byCode(A);
  assert.equal(a.name_zh, '上海导入测试电缆有限公司');
  const full = await officer.call('GET', `/api/v1/enterprises/${a.id}`);
  assert.equal(full.json.employees, 35);
  assert.equal(full.json.founded, '2021-04-01');
  assert.equal(full.json.in_park, true);
  assert.ok(full.json.grid_id, 'placed on the grid its location lies in');
  const b = await officer.call('GET', `/api/v1/enterprises/${(await byCode(B)).id}`);
  assert.equal(b.json.in_park, false);
  const audit = await admin.call('GET', '/api/v1/audit?limit=20');
  assert.ok(audit.json.items.some((e) => e.action === 'import' && e.entity === 'enterprise'));
  // The same file again: every code is now registered.
  const again = await post2(officer, xlsxOf(good), XLSX, '?dry_run=true');
  assert.equal(again.json.bad, 2);
  assert.ok(again.json.items.every((p) => p.code === 'duplicate_uscc'));
});

test('a CSV file takes the same path; a GBK one is refused with the way out', async () => {
  const C = uscc('MPTA0004');
  const csv = `uscc,name_zh,industry\r\n${C},上海导入测试CSV有限公司,3831\r\n`;
  const dry = await post(officer, csv, 'text/csv', '?dry_run=true');
  assert.equal(dry.status, 200);
  assert.deepEqual([dry.json.format, dry.json.records, dry.json.bad], ['csv', 1, 0]);
  const gbk = Buffer.from([0x75, 0x73, 0x63, 0x63, 0x0a, 0xd5, 0xc5, 0xd1, 0xdf, 0x0a]);
  const r = await post2(officer, gbk, 'text/csv', '?dry_run=true');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'not_utf8');
  assert.equal(r.json.error.field, 'file');
  assert.match(r.json.error.message, /GBK|UTF-8/);
});

test('bad uploads: empty, damaged, a header that is not the registry\'s, a bad flag', async () => {
  let r = await post(officer, '', 'text/csv', '?dry_run=true');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'empty_file');
  r = await post2(officer, Buffer.from('PK\x03\x04 not really'), XLSX, '?dry_run=true');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'xlsx_damaged');
  r = await post2(officer, zip({ 'word/document.xml': '<w/>' }), XLSX, '?dry_run=true');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'xlsx_damaged');
  assert.match(r.json.error.message, /xl\/workbook\.xml/);
  r = await post2(officer, workbook(null), XLSX, '?dry_run=true');
  assert.equal(r.json.error.code, 'xlsx_no_sheet');
  r = await post2(officer, workbook('<worksheet><sheetData><row r="1"><c r="IW1"><v>1</v></c></row></sheetData></worksheet>'), XLSX, '?dry_run=true');
  assert.equal(r.json.error.code, 'xlsx_too_wide');
  assert.match(r.json.error.message, /row 1 .*column IV/);
  // A sheet that unpacks to 65 MiB from some 65 KiB: refused unread.
  const bomb = Buffer.alloc(65 << 20, 0x20);
  r = await post2(officer, workbook(bomb, { deflate: true }), XLSX, '?dry_run=true');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'xlsx_too_large');
  // The header must be the registry's.
  const header = async (csv, code, field) => {
    const h = await post(officer, csv, 'text/csv', '?dry_run=true');
    assert.equal(h.status, 422, csv);
    assert.equal(h.json.error.code, code, csv);
    if (field) assert.equal(h.json.error.field, field);
  };
  await header('uscc,industry,colour\r\n', 'unknown_column', 'colour');
  await header('uscc,industry,uscc\r\n', 'repeated_column', 'uscc');
  await header('uscc,name_zh\r\n', 'missing_column', 'industry');
  await header(`${Array.from({ length: 70 }, (_, i) => `c${i}`).join(',')}\r\n`, 'too_many_columns');
  await header('uscc,industry\r\n"913,3831\r\n', 'bad_csv');
  r = await post(officer, 'uscc,industry\r\n', 'text/csv', '?dry_run=maybe');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'dry_run');
});

test('only those who register enterprises import them, within their scope', async () => {
  const csv = `uscc,name_zh,industry\r\n${uscc('MPTA0005')},上海导入测试越权有限公司,3831\r\n`;
  for (const who of ['grid', 'handler', 'secretary', 'qifan']) {
    const c = await login(srv.url, who);
    const r = await post(c, csv, 'text/csv', '?dry_run=true');
    assert.equal(r.status, 403, who);
  }
  const anon = await fetch(`${srv.url}/api/v1/enterprises/import?dry_run=true`, { method: 'POST', body: csv, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(anon.status, 401);
  // A jurisdiction outside the officer's town is refused per record.
  const r = await post(officer, csv, 'text/csv', '?dry_run=true&jurisdiction=310117');
  assert.equal(r.status, 200);
  assert.equal(r.json.bad, 1);
  assert.equal(r.json.items[0].heading, null);
});
