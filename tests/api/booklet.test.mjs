// The service booklet: GET /api/v1/booklet.pdf and `qunyan booklet`, read
// back with pdftotext and pdfinfo (poppler-utils) and compared with what
// the API's lists say: the title, the clusters and their leading
// enterprises, the collection points; English on asking; a caller's
// jurisdictions cut it as they cut the lists; a bad lang is refused
// naming the field.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start, login, cli } from '../lib/server.mjs';

for (const [tool, pkg] of [['pdftotext', 'poppler-utils'], ['pdfinfo', 'poppler-utils']]) {
  try {
    execFileSync(tool, ['-v'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} is not installed: this test reads the PDFs with it (Debian package ${pkg}; scripts/install-deps installs it)`);
  }
}

const srv = await start();
const tmp = mkdtempSync(join(tmpdir(), 'qunyan-booklet-'));
test.after(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await srv.stop();
});
const admin = await login(srv.url, 'admin');

let n = 0;
// The PDF's text (lines joined by spaces where a long line wrapped is
// checked with flat()) and its pdfinfo.
function readPdf(bytes) {
  const file = join(tmp, `b${++n}.pdf`);
  writeFileSync(file, bytes);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  const info = execFileSync('pdfinfo', ['-enc', 'UTF-8', file], { encoding: 'utf8' });
  return { file, text, info, pages: Number(/^Pages:\s+(\d+)/m.exec(info)[1]) };
}
const flat = (s) => s.replace(/\s+/g, ' ');

async function booklet(who, query) {
  const res = await fetch(`${srv.url}/api/v1/booklet.pdf${query}`, { headers: who ? { Cookie: who.cookie } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), bytes };
}

const clusters = (await admin.call('GET', '/api/v1/clusters')).json.items;
const points = (await admin.call('GET', '/api/v1/collection-points')).json.items.filter((p) => p.active);
assert.ok(clusters.length >= 4 && points.length >= 19, 'the demo has its clusters and points');
const led = clusters.find((c) => c.leading_enterprise_id);
const leader = (await admin.call('GET', `/api/v1/enterprises/${led.leading_enterprise_id}`)).json;

test('the Chinese booklet holds the title, every cluster with its leader, every collection point', async () => {
  const r = await booklet(admin, '?lang=zh');
  assert.equal(r.status, 200, r.bytes.toString().slice(0, 300));
  assert.equal(r.type, 'application/pdf');
  const pdf = readPdf(r.bytes);
  assert.match(pdf.info, /^Title:\s+雁聚张堰$/m);
  assert.match(pdf.info, /^Creator:\s+qunyan$/m);
  assert.match(pdf.info, /^Page size:\s+419\.5\d* x 595\.2\d* pts/m, 'A5');
  assert.ok(pdf.pages >= 4 && pdf.pages <= 40, `${pdf.pages} pages`);
  const first = execFileSync('pdftotext', ['-enc', 'UTF-8', '-l', '1', pdf.file, '-'], { encoding: 'utf8' });
  assert.match(first, /雁聚张堰/, 'the title is on the cover');
  for (const c of clusters) assert.ok(pdf.text.includes(c.name_zh), `cluster ${c.name_zh}`);
  assert.ok(pdf.text.includes(leader.name_zh), `leading enterprise ${leader.name_zh}`);
  for (const p of points) assert.ok(pdf.text.includes(p.name_zh), `collection point ${p.name_zh}`);
  // The contents name the page the collection points begin on.
  const toc = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', '-f', '2', '-l', '2', pdf.file, '-'], { encoding: 'utf8' });
  const page = Number(/意见收集点\s+(\d+)/.exec(toc)[1]);
  const there = execFileSync('pdftotext', ['-enc', 'UTF-8', '-f', String(page), '-l', String(page), pdf.file, '-'], { encoding: 'utf8' });
  assert.ok(there.startsWith('意见收集点\n'), `page ${page} begins the collection points: ${there.slice(0, 80)}`);
});

test('lang=en gives the English booklet', async () => {
  const r = await booklet(admin, '?lang=en');
  assert.equal(r.status, 200);
  const pdf = readPdf(r.bytes);
  assert.match(pdf.info, /^Title:\s+Wild Geese Gathering in Zhangyan$/m);
  assert.ok(flat(pdf.text).includes('Wild Geese Gathering in Zhangyan'));
  assert.ok(!pdf.text.includes('雁聚张堰'), 'no Chinese title');
  assert.ok(flat(pdf.text).includes('Industrial clusters'));
  for (const c of clusters.filter((x) => x.name_en)) assert.ok(flat(pdf.text).includes(c.name_en), `cluster ${c.name_en}`);
});

test('no lang is Chinese; a bad lang is 422 naming the field; signing in is required', async () => {
  const r = await booklet(admin, '');
  assert.equal(r.status, 200);
  assert.match(readPdf(r.bytes).info, /^Title:\s+雁聚张堰$/m);
  for (const bad of ['fr', 'ZH', 'zh-CN', 'zh en']) {
    const e = await admin.call('GET', `/api/v1/booklet.pdf?lang=${encodeURIComponent(bad)}`);
    assert.equal(e.status, 422, `lang=${bad}`);
    assert.equal(e.json.error.code, 'invalid_enum');
    assert.equal(e.json.error.field, 'lang');
    assert.match(e.json.error.message, /zh or en/);
  }
  assert.equal((await booklet(null, '?lang=zh')).status, 401);
});

test('a town officer\'s booklet is its town\'s: clusters and points elsewhere are not in it', async () => {
  const zhujing = await login(srv.url, 'officer.zhujing');
  const seen = (await zhujing.call('GET', '/api/v1/clusters')).json.items;
  const seenPoints = (await zhujing.call('GET', '/api/v1/collection-points')).json.items;
  const r = await booklet(zhujing, '?lang=zh');
  assert.equal(r.status, 200);
  const pdf = readPdf(r.bytes);
  assert.match(pdf.text, /朱泾镇企业服务手册/);
  for (const c of clusters) {
    assert.equal(pdf.text.includes(c.name_zh), seen.some((s) => s.id === c.id), `cluster ${c.name_zh}`);
  }
  for (const p of points) {
    assert.equal(pdf.text.includes(p.name_zh), seenPoints.some((s) => s.id === p.id), `point ${p.name_zh}`);
  }
  // jurisdiction= (Zhujing's code) narrows an admin's booklet the same way.
  const s = await booklet(admin, '?lang=zh&jurisdiction=310116101');
  assert.equal(s.status, 200);
  assert.equal(readPdf(s.bytes).text, pdf.text);
});

test('qunyan booklet writes the same booklet to a file', () => {
  const out = join(tmp, 'cli.pdf');
  let r = cli(['booklet', '--lang', 'en', '--output', out, '--db', srv.db]);
  assert.equal(r.status, 0, r.stderr);
  const pdf = readPdf(readFileSync(out));
  assert.match(pdf.info, /^Title:\s+Wild Geese Gathering in Zhangyan$/m);
  for (const p of points.filter((x) => x.name_en)) assert.ok(flat(pdf.text).includes(p.name_en), `point ${p.name_en}`);
  r = cli(['booklet', '--lang', 'fr', '--output', out, '--db', srv.db]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--lang must be zh or en/);
  r = cli(['booklet', '--lang', 'zh', '--db', srv.db]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--output FILE is required/);
  r = cli(['booklet', '--lang', 'zh', '--output', out, '--db', srv.db, '--town-title', '测试标题']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(readPdf(readFileSync(out)).info, /^Title:\s+测试标题$/m);
});
