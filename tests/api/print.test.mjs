// Printed matter over HTTP: an enterprise's card to print (card.pdf), a
// grid's cards on A4 sheets (cards.pdf) and the services in the booklet,
// read back with poppler-utils (pdfinfo, pdftotext, pdftoppm) and
// zbar-tools (zbarimg), and compared with facts read elsewhere: the
// enterprises and grids from the test's own database with sqlite3 (psql
// on PostgreSQL), the grid's team and its phones from the API's grid and
// user routes, the catalogue from its list.  Who may print what is the card's and the
// grid's rule: another town's records are not there (404, as unknown
// ids), other roles are refused as the card's JSON refuses them.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start, login, dbQuery } from '../lib/server.mjs';

for (const [tool, pkg] of [['pdfinfo', 'poppler-utils'], ['pdftotext', 'poppler-utils'], ['pdftoppm', 'poppler-utils'], ['zbarimg', 'zbar-tools'], ['sqlite3', 'sqlite3']]) {
  try {
    execFileSync(tool, ['-v'], { stdio: 'ignore' });
  } catch (e) {
    if (e.code === 'ENOENT') throw new Error(`${tool} is not installed: this test needs it (Debian package ${pkg}; scripts/install-deps installs it)`);
  }
}

const srv = await start();
const tmp = mkdtempSync(join(tmpdir(), 'qunyan-print-'));
test.after(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await srv.stop();
});

const who = {};
for (const u of ['admin', 'officer', 'secretary', 'grid', 'grid2', 'handler', 'qifan', 'officer.zhujing']) {
  who[u] = await login(srv.url, u);
}

// A GET with the client's cookie (none: anonymous), the body as bytes.
async function get(client, path) {
  let res;
  try {
    res = await fetch(`${srv.url}${path}`, { headers: client ? { Cookie: client.cookie } : {} });
  } catch (e) {
    // undici says only "fetch failed"; its cause says why (reset, closed, timeout).
    throw new Error(`GET ${path}: ${e.message} (${e.cause?.code ?? ''} ${e.cause?.message ?? ''})`);
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  let json = null;
  try { json = JSON.parse(bytes.toString('utf8')); } catch { /* a PDF */ }
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes, json };
}

let n = 0;
function readPdf(bytes) {
  const file = join(tmp, `p${++n}.pdf`);
  writeFileSync(file, bytes);
  const info = execFileSync('pdfinfo', ['-enc', 'UTF-8', file], { encoding: 'utf8' });
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info);
  return { file, info, text, pages: Number(/^Pages:\s+(\d+)/m.exec(info)[1]), width: Number(size[1]), height: Number(size[2]) };
}
// Text with every space and line break gone: a long name may wrap.
const squeeze = (s) => s.replace(/\s+/g, '');
const flat = (s) => s.replace(/\s+/g, ' ');

// The QR codes on one page, or on a part of it (crop: x, y, w, h in
// pixels at 300 dpi), as a phone's camera would read them (none: zbarimg
// exits with 4).  A camera frames one card; zbar, shown a whole sheet of
// ten codes, now and then misses one that it reads framed on its own.
function qrCodes(file, page, crop) {
  const stem = `q${++n}`;
  const frame = crop ? ['-x', crop[0], '-y', crop[1], '-W', crop[2], '-H', crop[3]].map(String) : [];
  execFileSync('pdftoppm', ['-r', '300', '-png', ...frame, '-f', String(page), '-l', String(page), file, join(tmp, stem)]);
  const png = readdirSync(tmp).filter((f) => f.startsWith(`${stem}-`)).map((f) => join(tmp, f));
  assert.equal(png.length, 1, `page ${page} of ${file}`);
  try {
    const out = execFileSync('zbarimg', ['--raw', '-q', png[0]], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\n').map((s) => s.trim()).filter(Boolean);
  } catch (e) {
    if (e.status === 4) return [];
    throw e;
  }
}
// The text of one page, or of a part of it as qrCodes crops it.
const pageText = (file, page, crop) => execFileSync('pdftotext', ['-enc', 'UTF-8', '-r', '300',
  ...(crop ? ['-x', crop[0], '-y', crop[1], '-W', crop[2], '-H', crop[3]].map(String) : []),
  '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });
// The slot of card i (0..9) of an A4 sheet at 300 dpi, 2 columns by 5 rows
// of 85.6 x 54 mm (1011 x 638 px) from (229, 159), drawn a few pixels
// inwards so that no neighbour's edge is in it.  A back is in the other
// column from its front, so that it lies behind it when the sheet is
// turned over its long edge.
function slot(i, back) {
  const col = (i % 2) ^ (back ? 1 : 0);
  return [229 + col * 1011 + 6, 159 + Math.floor(i / 2) * 638 + 6, 1011 - 12, 638 - 12];
}

const sql = (q) => dbQuery(srv.db, q);
// The active enterprises of a grid and of every grid inside it, from the
// database itself.
const gridEnterprises = (id) => sql(`WITH RECURSIVE g(id) AS (SELECT id FROM grids WHERE id = ${Number(id)} UNION SELECT c.id FROM grids c JOIN g ON c.parent_id = g.id) `
  + 'SELECT name_zh FROM enterprises WHERE status = \'active\' AND grid_id IN (SELECT id FROM g) ORDER BY id').split('\n').filter(Boolean);

const ent = (await who.admin.call('GET', '/api/v1/enterprises/1')).json;
const cell = (await who.admin.call('GET', `/api/v1/grids/${ent.grid_id}`)).json;
const users = (await who.admin.call('GET', '/api/v1/users')).json.items;

test('card.pdf: the card\'s size, both sides, the enterprise, its grid worker\'s phone, a QR that opens its form', async () => {
  // Its own contact prints it, as it reads its card.
  const r = await get(who.qifan, '/api/v1/enterprises/1/card.pdf');
  assert.equal(r.status, 200, r.bytes.toString().slice(0, 300));
  assert.equal(r.type, 'application/pdf');
  assert.match(r.disposition, /^inline; filename="card-1\.pdf"$/);
  const pdf = readPdf(r.bytes);
  assert.equal(pdf.pages, 2, 'front and back');
  // ISO/IEC 7810 ID-1: 85.6 x 54 mm.
  assert.ok(Math.abs(pdf.width - 242.6) <= 0.5, `width ${pdf.width}`);
  assert.ok(Math.abs(pdf.height - 153.1) <= 0.5, `height ${pdf.height}`);
  assert.ok(pdf.text.includes(ent.name_zh), 'the enterprise\'s name');
  assert.ok(flat(pdf.text).includes(ent.name_en), 'its English name');
  // The grid's team, read from the grid, with the phone its account has.
  const worker = users.find((u) => cell.members.includes(u.id) && u.phone);
  assert.ok(worker, 'the enterprise\'s grid has a worker with a phone');
  assert.ok(pdf.text.includes(worker.phone), `the grid worker's phone ${worker.phone}`);
  assert.ok(pdf.text.includes('12345'), 'the city\'s hotline');

  // The back's QR code: the card's link, which opens this enterprise's form.
  const card = (await who.qifan.call('GET', '/api/v1/enterprises/1/card')).json;
  const codes = qrCodes(pdf.file, 2);
  assert.deepEqual(codes, [card.link]);
  assert.ok(card.link.startsWith(`${srv.url}/q/`), card.link);
  const open = await get(null, new URL(card.link).pathname);
  assert.equal(open.status, 200);
  assert.match(open.type, /^text\/html/);
  const token = card.link.slice(card.link.lastIndexOf('/') + 1);
  const pub = await get(null, `/api/v1/public/cards/${token}`);
  assert.equal(pub.status, 200);
  assert.equal(pub.json.enterprise.name_zh, ent.name_zh, 'the form is this enterprise\'s');
  // The front bears nothing of the back.
  assert.deepEqual(qrCodes(pdf.file, 1), []);
});

test('card.pdf of an enterprise never read issues its link first, audited', async () => {
  const id = Number(sql('SELECT e.id FROM enterprises e WHERE e.status = \'active\' AND e.grid_id IS NOT NULL AND NOT EXISTS '
    + '(SELECT 1 FROM card_tokens t WHERE t.enterprise_id = e.id) ORDER BY e.id DESC LIMIT 1'));
  assert.ok(id > 1);
  const r = await get(who.officer, `/api/v1/enterprises/${id}/card.pdf`);
  assert.equal(r.status, 200);
  const live = sql(`SELECT token FROM card_tokens WHERE enterprise_id = ${id} AND revoked_at IS NULL`);
  assert.match(live, /^[23456789A-HJKMNP-Z]{27}$/);
  assert.deepEqual(qrCodes(readPdf(r.bytes).file, 2), [`${srv.url}/q/${live}`]);
  const audit = (await who.admin.call('GET', `/api/v1/audit?entity=enterprise&entity_id=${id}&limit=20`)).json.items;
  assert.equal(audit.filter((a) => a.action === 'issue_card_link').length, 1);
});

test('cards.pdf of a cell for its own grid worker: 2 pages per 10 cards, every enterprise on it, each back\'s link live', async () => {
  const names = gridEnterprises(ent.grid_id);
  assert.ok(names.length > 10, `${names.length} enterprises in the cell`);
  const r = await get(who.grid, `/api/v1/grids/${ent.grid_id}/cards.pdf`);
  assert.equal(r.status, 200, r.bytes.toString().slice(0, 300));
  assert.equal(r.type, 'application/pdf');
  assert.equal(r.disposition, `inline; filename="cards-${cell.grid.code}.pdf"`);
  const pdf = readPdf(r.bytes);
  assert.equal(pdf.pages, 2 * Math.ceil(names.length / 10));
  assert.match(pdf.info, /^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/m);
  const text = squeeze(pdf.text);
  for (const name of names) assert.ok(text.includes(squeeze(name)), `${name} on the sheets`);
  // Every enterprise of the cell has a live link now.
  const linked = Number(sql(`SELECT count(*) FROM card_tokens t JOIN enterprises e ON e.id = t.enterprise_id WHERE t.revoked_at IS NULL AND e.status = 'active' AND e.grid_id = ${ent.grid_id}`));
  assert.equal(linked, names.length);
  // The second page holds the first ten backs, each behind its front:
  // its one code opens the form of the enterprise named on that front.
  for (let i = 0; i < 10; i++) {
    const codes = qrCodes(pdf.file, 2, slot(i, true));
    assert.equal(codes.length, 1, `the back of card ${i + 1}: ${codes}`);
    const link = codes[0];
    assert.ok(link.startsWith(`${srv.url}/q/`), link);
    const pub = await get(null, `/api/v1/public/cards/${link.slice(link.lastIndexOf('/') + 1)}`);
    assert.equal(pub.status, 200, link);
    const front = squeeze(pageText(pdf.file, 1, slot(i, false)));
    assert.ok(front.includes(squeeze(pub.json.enterprise.name_zh)), `card ${i + 1}: ${pub.json.enterprise.name_zh} is on its front (${front.slice(0, 80)})`);
  }
});

test('cards.pdf of an area holds the cards of its cells', async () => {
  const area = cell.grid.parent_id;
  const names = gridEnterprises(area);
  assert.ok(names.length > gridEnterprises(ent.grid_id).length);
  const r = await get(who.officer, `/api/v1/grids/${area}/cards.pdf`);
  assert.equal(r.status, 200);
  const pdf = readPdf(r.bytes);
  assert.equal(pdf.pages, 2 * Math.ceil(names.length / 10));
  const text = squeeze(pdf.text);
  for (const name of names) assert.ok(text.includes(squeeze(name)), `${name} on the sheets`);
});

test('refusals: another town\'s grid and enterprise are unknown ids; roles refused as the card\'s JSON refuses them', async () => {
  const zhujing = who['officer.zhujing'];
  // Another town's grid: the same answer as a grid that does not exist.
  const gone = await get(zhujing, '/api/v1/grids/999999/cards.pdf');
  assert.equal(gone.status, 404);
  assert.equal(gone.json.error.message, 'no grid with id 999999');
  const other = await get(zhujing, `/api/v1/grids/${ent.grid_id}/cards.pdf`);
  assert.equal(other.status, 404);
  assert.equal(other.json.error.code, gone.json.error.code);
  assert.equal(other.json.error.message, `no grid with id ${ent.grid_id}`);
  // Another town's enterprise likewise.
  const none = await get(zhujing, '/api/v1/enterprises/999999/card.pdf');
  assert.equal(none.status, 404);
  assert.equal(none.json.error.message, 'no enterprise with id 999999');
  const theirs = await get(zhujing, '/api/v1/enterprises/1/card.pdf');
  assert.equal(theirs.status, 404);
  assert.equal(theirs.json.error.message, 'no enterprise with id 1');

  // An enterprise's contact and another enterprise's card: as the JSON.
  const json = await who.qifan.call('GET', '/api/v1/enterprises/2/card');
  const pdf = await get(who.qifan, '/api/v1/enterprises/2/card.pdf');
  assert.ok([403, 404].includes(pdf.status), `${pdf.status}`);
  assert.equal(pdf.status, json.status);
  assert.equal(pdf.json.error.code, json.json.error.code);
  for (const [u, status] of [['grid2', 403], ['handler', 403]]) {
    assert.equal((await get(who[u], '/api/v1/enterprises/1/card.pdf')).status, status, u);
  }
  assert.equal((await get(null, '/api/v1/enterprises/1/card.pdf')).status, 401);
  assert.equal((await get(who.admin, '/api/v1/enterprises/abc/card.pdf')).status, 404);

  // A grid's sheet: its own workers, not another cell's, nor the area's
  // above their cells; no secretary, handler or enterprise.
  for (const [u, status, grid] of [['grid2', 403, ent.grid_id], ['grid', 403, cell.grid.parent_id],
    ['secretary', 403, ent.grid_id], ['handler', 403, ent.grid_id], ['qifan', 403, ent.grid_id]]) {
    const r = await get(who[u], `/api/v1/grids/${grid}/cards.pdf`);
    assert.equal(r.status, status, `${u} on grid ${grid}`);
    assert.equal(r.json.error.code, 'forbidden');
  }
  assert.equal((await get(null, `/api/v1/grids/${ent.grid_id}/cards.pdf`)).status, 401);
  assert.equal((await get(who.admin, '/api/v1/grids/abc/cards.pdf')).status, 404);
});

test('the booklet lists the catalogue by category, each service with its phone, in Chinese and English; its QR opens /services', async () => {
  const active = sql('SELECT name_zh FROM services WHERE status = \'active\' ORDER BY id').split('\n');
  assert.ok(active.length >= 30, `${active.length} active services in the demo`);
  const list = (await get(null, '/api/v1/services?limit=100')).json.items;
  const svc = list.find((s) => s.name_en && (s.phone || s.contacts.some((c) => c.phone)));
  const phone = svc.contacts.find((c) => c.phone)?.phone || svc.phone;

  const zh = await get(who.admin, '/api/v1/booklet.pdf?lang=zh');
  assert.equal(zh.status, 200);
  const z = readPdf(zh.bytes);
  assert.ok(z.text.includes(svc.name_zh), svc.name_zh);
  assert.ok(z.text.includes(phone), phone);
  assert.ok(z.text.includes(svc.category.name_zh), svc.category.name_zh);
  const text = squeeze(z.text);
  for (const name of active) assert.ok(text.includes(squeeze(name)), `${name} in the booklet`);
  assert.match(z.text, /周一至周五 08:30–11:30、13:30–17:00/);

  const en = await get(who.admin, '/api/v1/booklet.pdf?lang=en');
  assert.equal(en.status, 200);
  const e = readPdf(en.bytes);
  assert.ok(flat(e.text).includes(svc.name_en), svc.name_en);
  assert.ok(e.text.includes(phone), phone);
  assert.ok(flat(e.text).includes(svc.category.name_en), svc.category.name_en);
  assert.match(flat(e.text), /Mon–Fri 08:30–11:30, 13:30–17:00/);

  // The last page's code opens the public catalogue of this server.
  assert.deepEqual(qrCodes(z.file, z.pages), [`${srv.url}/services`]);
  assert.equal((await get(null, '/services')).status, 200);
});

test('a town\'s booklet lists the services its officers see, and no other town\'s', async () => {
  const zhujing = who['officer.zhujing'];
  const seen = (await zhujing.call('GET', '/api/v1/services?limit=100')).json.items;
  const all = (await get(null, '/api/v1/services?limit=100')).json.items;
  assert.ok(seen.length > 0 && seen.length < all.length, `${seen.length} of ${all.length}`);
  const r = await get(zhujing, '/api/v1/booklet.pdf?lang=zh');
  assert.equal(r.status, 200);
  const text = squeeze(readPdf(r.bytes).text);
  for (const s of all) {
    assert.equal(text.includes(squeeze(s.name_zh)), seen.some((x) => x.id === s.id), s.name_zh);
  }
});
