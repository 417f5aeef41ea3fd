// Service contact cards on a real server: what a card names (checked
// against the grids, users, clusters and service desks read on their own
// routes), who may read it, its link (issued on the first reading, once,
// unguessable, re-issued by an officer, the old one then answering the
// page of whom to call), the QR code decoded by zbarimg (zbar-tools) to
// the link that opens that enterprise's form, a problem filed through it
// belonging to the enterprise, the vCard read back by a reader written
// here, the service desks and the staff's phones that cards print.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { start, login, cli, dbQuery } from '../lib/server.mjs';

const srv = await start();
const tmp = mkdtempSync(join(tmpdir(), 'qunyan-cards-'));
test.after(async () => { rmSync(tmp, { recursive: true, force: true }); await srv.stop(); });

const who = {};
for (const u of ['admin', 'officer', 'secretary', 'secretary2', 'grid', 'grid2', 'grid3', 'handler', 'qifan', 'officer.zhangyan', 'officer.zhujing']) {
  who[u] = await login(srv.url, u);
}
const anon = {
  call: async (method, path, body, headers = {}) => {
    const h = { ...headers };
    let payload;
    if (body !== undefined) { payload = JSON.stringify(body); h['Content-Type'] = 'application/json'; }
    const res = await fetch(`${srv.url}${path}`, { method, headers: h, body: payload, redirect: 'manual' });
    const buf = Buffer.from(await res.arrayBuffer());
    const text = buf.toString('utf8');
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, headers: res.headers, text, json, buf };
  },
};
// Binary answers for signed-in callers too.
async function raw(client, path) {
  const res = await fetch(`${srv.url}${path}`, { headers: { Cookie: client.cookie } });
  return { status: res.status, headers: res.headers, buf: Buffer.from(await res.arrayBuffer()) };
}

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const TOKEN = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{27}$/;
// The check of card.h, computed here: the token read in base 3 modulo 31.
const checks = (tok) => [...tok].reduce((s, c) => (s * 3 + ALPHABET.indexOf(c)) % 31, 0) === 0;
const tokenOf = (link) => link.slice(link.lastIndexOf('/') + 1);
const card = async (client, id) => {
  const r = await client.call('GET', `/api/v1/enterprises/${id}/card`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};
async function audit(id, action) {
  const r = await who.admin.call('GET', `/api/v1/audit?entity=enterprise&entity_id=${id}&limit=200`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.filter((a) => !action || a.action === action);
}
// zbarimg reads the picture as a phone's camera would.
function decodeQr(png) {
  const file = join(tmp, `qr-${process.hrtime.bigint()}.png`);
  writeFileSync(file, png);
  return execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

const users = (await who.admin.call('GET', '/api/v1/users')).json.items;
const user = (name) => users.find((u) => u.username === name);

test('a card names the grid worker of its grid, its cluster secretary, the town\'s office and the hotlines', async () => {
  const e = (await who.admin.call('GET', '/api/v1/enterprises/1')).json;
  const grid = (await who.admin.call('GET', `/api/v1/grids/${e.grid_id}`)).json;
  const cluster = (await who.admin.call('GET', `/api/v1/clusters/${e.cluster_id}`)).json;
  const desk = (await anon.call('GET', `/api/v1/jurisdictions/${e.jurisdiction.id}/service-desk`)).json;
  const c = await card(who.admin, 1);

  assert.equal(c.enterprise.name_zh, e.name_zh);
  assert.equal(c.enterprise.name_en, e.name_en);
  const byRole = (role) => c.contacts.filter((k) => k.role === role);
  // The grid's team, as the grid has it, with each member's phone.
  assert.ok(grid.members.length > 0, 'the demo grid has a team');
  assert.deepEqual(byRole('grid_worker').map((k) => k.user_id).sort(), [...grid.members].sort());
  for (const k of byRole('grid_worker')) {
    const u = users.find((x) => x.id === k.user_id);
    assert.equal(k.name_zh, u.display_name);
    assert.equal(k.phone, u.phone);
    assert.equal(k.unit_zh, grid.grid.name_zh);
  }
  const sec = byRole('secretary');
  assert.equal(sec.length, 1);
  assert.equal(sec[0].name_zh, user(cluster.secretary ?? 'secretary').display_name);
  assert.equal(sec[0].phone, user('secretary').phone);
  assert.equal(sec[0].unit_zh, cluster.name_zh);
  const office = byRole('service_office');
  assert.equal(office.length, 1);
  assert.equal(office[0].name_zh, desk.office.name_zh);
  assert.equal(office[0].phone, desk.office.phone);
  const lines = byRole('hotline').map((k) => k.phone);
  assert.deepEqual(lines, [desk.hotline.phone, '12345'], 'the town\'s own hotline, then the city\'s');
  // In that order on the card: people, the office, the hotlines.
  const order = ['grid_worker', 'secretary', 'service_office', 'hotline'];
  const seen = c.contacts.map((k) => order.indexOf(k.role));
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
  assert.match(c.link, new RegExp(`^${srv.url}/q/[0-9A-Z]{27}$`), 'the link begins with the address the server listens on');
});

test('a cell without a team of its own names its area\'s team; the middle cells have two workers', async () => {
  // grid3 (transport centre) looks after the middle cells beside grid or grid2.
  const list = (await who.admin.call('GET', '/api/v1/enterprises?limit=500')).json.items;
  const grids = (await who.admin.call('GET', '/api/v1/grids')).json;
  const gridList = grids.items || grids.grids;
  const w2 = gridList.find((g) => g.code === 'ZY-W2');
  const ent = list.find((x) => x.grid_id === w2.id);
  assert.ok(ent, 'an enterprise in the middle West cell');
  const c = await card(who.admin, ent.id);
  assert.deepEqual(c.contacts.filter((k) => k.role === 'grid_worker').map((k) => k.user_id).sort((a, b) => a - b),
    [user('grid').id, user('grid3').id].sort((a, b) => a - b));
});

test('who reads a card: its own contact, its secretary, its grid worker, officers in scope; no one else', async () => {
  const get = async (client, id, suffix = '') => (await client.call('GET', `/api/v1/enterprises/${id}/card${suffix}`)).status;
  for (const suffix of ['', '.vcf', '.svg', '.png']) {
    assert.equal(await get(anon, 1, suffix), 401, `anonymous ${suffix}`);
    assert.equal(await get(who.admin, 1, suffix), 200);
    assert.equal(await get(who.officer, 1, suffix), 200);
    assert.equal(await get(who['officer.zhangyan'], 1, suffix), 200);
    assert.equal(await get(who['officer.zhujing'], 1, suffix), 404, 'another town\'s enterprise is not there');
    assert.equal(await get(who.qifan, 1, suffix), 200, 'an enterprise reads its own card');
    assert.equal(await get(who.qifan, 2, suffix), 403, 'and no other');
    assert.equal(await get(who.secretary, 1, suffix), 200);
    assert.equal(await get(who.secretary2, 1, suffix), 403, 'another cluster\'s secretary');
    assert.equal(await get(who.grid, 1, suffix), 200, 'the West cells\' grid worker');
    assert.equal(await get(who.grid2, 1, suffix), 403, 'the East cells\' grid worker');
    assert.equal(await get(who.handler, 1, suffix), 403);
    assert.equal(await get(who.admin, 999999, suffix), 404);
    assert.equal(await get(who.admin, 'abc', suffix), 404);
  }
  const r = await who.handler.call('GET', '/api/v1/enterprises/1/card');
  assert.equal(r.json.error.code, 'forbidden');
});

test('a link is issued on the first reading, once, even to readers at the same moment', async () => {
  const id = 7;
  assert.equal((await audit(id, 'issue_card_link')).length, 0, 'no link before the card is read');
  const cards = await Promise.all(Array.from({ length: 12 }, () => card(who.admin, id)));
  const links = new Set(cards.map((c) => c.link));
  assert.equal(links.size, 1, 'every simultaneous first reader got the same link');
  const issued = await audit(id, 'issue_card_link');
  assert.equal(issued.length, 1, 'one issue, audited once');
  assert.equal(issued[0].username, 'admin');
  assert.ok(!JSON.stringify(issued[0]).includes(tokenOf([...links][0])), 'the audit log does not hold the token');
  assert.equal((await card(who.officer, id)).link, [...links][0], 'later readings keep it');
  assert.equal((await audit(id, 'issue_card_link')).length, 1);
});

test('links are random tokens with a check character, not derived from the id', async () => {
  const tokens = [];
  for (let id = 10; id < 30; id++) tokens.push(tokenOf((await card(who.admin, id)).link));
  for (const t of tokens) {
    assert.match(t, TOKEN);
    assert.ok(checks(t), `${t} carries its check`);
  }
  assert.equal(new Set(tokens).size, tokens.length);
  // Neighbouring ids share no run of characters beyond chance.
  for (let i = 1; i < tokens.length; i++) {
    const same = [...tokens[i]].filter((ch, k) => tokens[i - 1][k] === ch).length;
    assert.ok(same < 8, `${tokens[i - 1]} and ${tokens[i]} agree in ${same} places`);
  }
  const query = 'SELECT count(*) FROM card_tokens WHERE token_hash = token';
  assert.equal(Number(dbQuery(srv.db, query)), 0);
});

test('revoke and re-issue: the old link answers 404 with whom to call, the new one opens the form', async () => {
  const before = await card(who.officer, 1);
  const old = before.link;
  assert.equal((await anon.call('GET', new URL(old).pathname)).status, 200);

  for (const u of ['qifan', 'secretary', 'grid', 'handler']) {
    const r = await who[u].call('POST', '/api/v1/enterprises/1/card/token');
    assert.equal(r.status, 403, `${u} may not re-issue`);
  }
  assert.equal((await anon.call('POST', '/api/v1/enterprises/1/card/token')).status, 401);
  assert.equal((await who['officer.zhujing'].call('POST', '/api/v1/enterprises/1/card/token')).status, 404);
  assert.equal((await who.officer.call('POST', '/api/v1/enterprises/999999/card/token')).status, 404);

  const r = await who.officer.call('POST', '/api/v1/enterprises/1/card/token');
  assert.equal(r.status, 201, r.text);
  const fresh = r.json.link;
  assert.notEqual(fresh, old);
  assert.match(tokenOf(fresh), TOKEN);
  assert.equal((await card(who.qifan, 1)).link, fresh, 'every reader sees the new link');

  const gone = await anon.call('GET', new URL(old).pathname);
  assert.equal(gone.status, 404);
  assert.match(gone.headers.get('content-type'), /^text\/html/);
  assert.match(gone.headers.get('content-security-policy') || '', /default-src 'self'/);
  assert.match(gone.text, /此链接无法打开/);
  assert.match(gone.text, /This link cannot be opened/);
  assert.match(gone.text, /12345/);
  assert.match(gone.text, /021-5721 8890/, 'the town\'s hotline');
  for (const leak of [before.enterprise.name_zh, before.enterprise.name_en, '起帆', 'Qifan', '李娜', '陈永达'])
    assert.ok(!gone.text.includes(leak), `the page names no enterprise or person (${leak})`);
  // Revoked, unknown, mistyped, malformed: the same page, byte for byte.
  const t = tokenOf(old);
  const typo = t.slice(0, 5) + (t[5] === 'A' ? 'B' : 'A') + t.slice(6);
  const unknown = (() => { // a token of the right form that was never issued
    const body = '3'.repeat(26);
    for (const c of ALPHABET) if (checks(body + c)) return body + c;
    return null;
  })();
  for (const path of [`/q/${typo}`, `/q/${unknown}`, '/q/nothing', '/q/', `/q/${t}/more`, `/q/${t.toLowerCase()}x`]) {
    const other = await anon.call('GET', path);
    assert.equal(other.status, 404, path);
    assert.equal(other.text, gone.text, `${path} answers as a revoked link does`);
  }
  // The new one opens the console on the form; in lower case too.
  const open = await anon.call('GET', new URL(fresh).pathname);
  assert.equal(open.status, 200);
  assert.match(open.text, /<script type="module" src="\/app.js">/);
  assert.equal((await anon.call('GET', `/q/${tokenOf(fresh).toLowerCase()}`)).status, 200);

  const entries = await audit(1, 'reissue_card_link');
  assert.ok(entries.length >= 1);
  assert.equal(entries[0].username, 'officer');
  assert.ok(entries[0].after.revoked_link_id > 0);
  assert.ok(!JSON.stringify(entries[0]).includes(tokenOf(fresh)), 'no token in the audit log');
});

test('the QR code decodes to the link; the link opens the problem form of that enterprise; the case is its', async () => {
  const c = await card(who.admin, 1);
  const png = await raw(who.admin, '/api/v1/enterprises/1/card.png');
  assert.equal(png.status, 200);
  assert.equal(png.headers.get('content-type'), 'image/png');
  assert.deepEqual([...png.buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const link = decodeQr(png.buf);
  assert.equal(link, c.link);
  const page = await anon.call('GET', new URL(link).pathname);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /^text\/html/);

  // What the form shows before anything is sent: the enterprise, whom else to call.
  const token = tokenOf(link);
  const pub = await anon.call('GET', `/api/v1/public/cards/${token}`);
  assert.equal(pub.status, 200, pub.text);
  assert.equal(pub.json.enterprise.name_zh, c.enterprise.name_zh);
  assert.deepEqual(pub.json.contacts.map((k) => k.role).sort(), ['hotline', 'hotline', 'service_office']);
  assert.ok(!pub.text.includes('139 1620'), 'no person\'s phone on the public side');
  // Another last character: the check no longer holds (never the same
  // character, which would be the token itself).
  const other = token.endsWith('2') ? '3' : '2';
  const bad = await anon.call('GET', `/api/v1/public/cards/${token.slice(0, -1)}${other}`);
  assert.equal(bad.status, 404);
  assert.equal(bad.json.error.code, 'unknown_card_link');

  // Filed through the link, without signing in: the enterprise's problem.
  const text = `车间屋顶漏雨，影响生产 ${process.pid}`;
  const r = await anon.call('POST', '/api/v1/public/cases',
    { card: token.toLowerCase(), kind: 'problem', category: 'land', text, name: '赵工', phone: '139 1111 2222' });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.tracking_code, /^[0-9A-Z]{10}$/);
  assert.equal(r.json.case.enterprise, undefined, 'the public answer names no enterprise');
  const staff = await who.admin.call('GET', `/api/v1/cases/${r.json.case.id}`);
  assert.equal(staff.status, 200, staff.text);
  assert.equal(staff.json.case?.enterprise?.id ?? staff.json.enterprise?.id, 1);
  const cs = staff.json.case || staff.json;
  assert.equal(cs.kind, 'problem');
  assert.equal(cs.channel, 'card');
  assert.equal(cs.public, false, 'an enterprise\'s problem is not on the public list');
  // Its own contact sees it among its cases.
  const mine = await who.qifan.call('GET', '/api/v1/cases?limit=50');
  assert.ok(mine.json.items.some((x) => x.id === r.json.case.id), 'the enterprise sees the case it raised by card');
  // The tracking page follows it.
  assert.equal((await anon.call('GET', `/api/v1/public/cases/${r.json.tracking_code}`)).status, 200);
});

test('the public form refuses a card that opens nothing, and a card used for a suggestion', async () => {
  const c = await card(who.admin, 2);
  const token = tokenOf(c.link);
  const post = (body) => anon.call('POST', '/api/v1/public/cases', { kind: 'problem', category: 'land', text: `用电增容 ${process.pid}`, ...body });
  let r = await post({ card: `${token.slice(0, 26)}${token[26] === '2' ? '3' : '2'}` });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'card');
  assert.equal(r.json.error.code, 'unknown_card_link');
  r = await post({ card: 12345 });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.errors.find((x) => x.field === 'card').code, 'wrong_type');
  r = await post({ card: token, kind: 'suggestion', category: 'community' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'kind');
  r = await post({ card: token, enterprise_id: 3 });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.errors.some((x) => x.field === 'enterprise_id'));
  r = await post({}); // no card: the public form takes no problems
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'kind');
  // A revoked card's link: refused.
  assert.equal((await who.officer.call('POST', '/api/v1/enterprises/2/card/token')).status, 201);
  r = await post({ card: token });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'unknown_card_link');
});

test('the link of an enterprise no longer active opens nothing', async () => {
  const c = await card(who.officer, 3);
  const path = new URL(c.link).pathname;
  assert.equal((await anon.call('GET', path)).status, 200);
  const r = await who.officer.call('POST', '/api/v1/enterprises/3/retire', { status: 'closed', reason: '注销' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await anon.call('GET', path)).status, 404);
  assert.equal((await anon.call('GET', `/api/v1/public/cards/${tokenOf(c.link)}`)).status, 404);
  const after = await card(who.officer, 3);
  assert.equal(after.enterprise.active, false);
  assert.equal(after.link, c.link, 'the card keeps its link, which opens nothing while it is closed');
});

test('the QR code as SVG draws the same symbol as the PNG', async () => {
  const svg = await raw(who.admin, '/api/v1/enterprises/1/card.svg');
  assert.equal(svg.status, 200);
  assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
  const text = svg.buf.toString('utf8');
  const m = /viewBox="0 0 (\d+) (\d+)"/.exec(text);
  assert.ok(m, 'a viewBox');
  const side = Number(m[1]) - 8; // the quiet zone: 4 modules a side
  assert.equal((side - 17) % 4, 0, 'a QR symbol is 17 + 4 × version modules wide');
  // The dark modules of the path, rebuilt; the PNG's modules, sampled at
  // their centres, must be the same.
  const dark = new Set();
  for (const r of text.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g))
    for (let x = 0; x < Number(r[3]); x++) dark.add(`${Number(r[1]) + x},${r[2]}`);
  assert.ok(dark.size > side * side / 4, 'about half the modules are dark');
  const png = (await raw(who.admin, '/api/v1/enterprises/1/card.png')).buf;
  const pixels = pngPixels(png);
  const scale = pixels.width / (side + 8);
  assert.equal(scale, 8);
  let differ = 0;
  for (let y = 0; y < side + 8; y++) {
    for (let x = 0; x < side + 8; x++) {
      const black = pixels.gray(Math.floor((x + 0.5) * scale), Math.floor((y + 0.5) * scale)) < 128;
      if (black !== dark.has(`${x},${y}`)) differ++;
    }
  }
  assert.equal(differ, 0);
});

// A PNG's pixels (8-bit RGB or RGBA, not interlaced: what cairo writes),
// read with zlib: enough to compare the QR's modules.
function pngPixels(buf) {
  let pos = 8, width = 0, height = 0, type = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const kind = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (kind === 'IHDR') { width = data.readUInt32BE(0); height = data.readUInt32BE(4); type = data[9]; assert.equal(data[8], 8); assert.equal(data[12], 0); }
    if (kind === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const bpp = type === 6 ? 4 : type === 2 ? 3 : type === 0 ? 1 : 0;
  assert.ok(bpp, `colour type ${type}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const cur = raw[y * (stride + 1) + 1 + x];
      const a = x >= bpp ? out[y * stride + x - bpp] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= bpp && y > 0 ? out[(y - 1) * stride + x - bpp] : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      out[y * stride + x] = (cur + [0, a, b, (a + b) >> 1, paeth][f]) & 0xff;
    }
  }
  return { width, height, gray: (x, y) => out[y * stride + x * bpp] };
}

// ---------------------------------------------------------------------
// A vCard reader of its own (RFC 6350 §3.2–3.4): lines end with CRLF, a
// line beginning with a space or tab continues the one before, a content
// line is name, ;params, a colon and the value; text values unescape
// \\ \, \; \n; structured ones split at unescaped semicolons first.
function readVcards(text) {
  assert.ok(!/[^\r]\n/.test(text) && !/\r(?!\n)/.test(text), 'every line ends with CRLF');
  for (const l of text.split('\r\n')) assert.ok(Buffer.byteLength(l) <= 75, `a line of ${Buffer.byteLength(l)} octets`);
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
  const cards = [];
  let cur = null;
  for (const l of lines) {
    const colon = l.indexOf(':');
    assert.ok(colon > 0, l);
    const [name, ...params] = l.slice(0, colon).split(';');
    const value = l.slice(colon + 1);
    if (name === 'BEGIN') { assert.equal(value, 'VCARD'); cur = []; continue; }
    if (name === 'END') { assert.equal(value, 'VCARD'); cards.push(cur); cur = null; continue; }
    cur.push({ name, params: Object.fromEntries(params.map((p) => p.split('='))), value });
  }
  assert.equal(cur, null, 'every BEGIN has its END');
  return cards;
}
function unescapeText(v) {
  return v.replace(/\\([\\,;nN])/g, (m, c) => (c === 'n' || c === 'N' ? '\n' : c));
}
function components(v) {
  const out = [];
  let cur = '';
  for (let i = 0; i < v.length; i++) {
    if (v[i] === '\\') { cur += v[i] + v[i + 1]; i++; continue; }
    if (v[i] === ';') { out.push(unescapeText(cur)); cur = ''; continue; }
    cur += v[i];
  }
  out.push(unescapeText(cur));
  return out;
}

test('the vCard: one VCARD 4.0 per contact, read back to the card', async () => {
  // A hotline name with every character vCard escapes, long enough to fold.
  const hot = '张堰镇营商服务热线, 企业专线; 工作日\\周末均有人值守 服务园区内外全部企业与个体工商户 欢迎来电咨询政策与办事流程';
  let r = await who.admin.call('PUT', '/api/v1/jurisdictions/1/service-desk', {
    office_department_id: 1, office_phone: '021-5721 1000', hotline_zh: hot, hotline_en: 'Zhangyan, business; line', hotline_phone: '021-5721 8890',
  });
  assert.equal(r.status, 200, r.text);
  const c = await card(who.qifan, 1);
  const res = await fetch(`${srv.url}/api/v1/enterprises/1/card.vcf`, { headers: { Cookie: who.qifan.cookie } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/vcard; charset=utf-8');
  assert.match(res.headers.get('content-disposition'), /attachment; filename="card-1.vcf"/);
  const cards = readVcards(await res.text());
  assert.equal(cards.length, c.contacts.length, 'one VCARD per contact');
  cards.forEach((props, i) => {
    const k = c.contacts[i];
    const get = (n, lang) => props.find((p) => p.name === n && (!lang || p.params.LANGUAGE === lang));
    assert.equal(get('VERSION').value, '4.0');
    assert.equal(unescapeText(get('FN', k.name_en ? 'zh-CN' : undefined).value), k.name_zh);
    assert.equal(unescapeText(get('TITLE', 'zh-CN').value), k.title_zh);
    assert.equal(unescapeText(get('TITLE', 'en').value), k.title_en);
    const digits = k.phone.replace(/\D/g, '');
    const tel = get('TEL');
    assert.equal(tel.params.VALUE, 'uri');
    assert.ok(tel.value.startsWith('tel:'));
    assert.ok(tel.value.split(';')[0].replace(/\D/g, '').endsWith(digits.replace(/^0/, '')), `${tel.value} is ${k.phone}`);
    if (k.role === 'grid_worker' || k.role === 'secretary') {
      assert.equal(get('KIND').value, 'individual');
      const [family, given] = components(get('N').value);
      assert.equal(family + given, k.name_zh, 'N is the name cut in two');
      assert.equal([...family].length, 1, 'a one-character family name');
      assert.equal(components(get('ORG', 'zh-CN').value)[0], k.unit_zh);
    } else {
      assert.equal(get('KIND').value, 'org');
    }
  });
  const hotCard = cards.find((p) => p.some((x) => x.name === 'FN' && unescapeText(x.value) === hot));
  assert.ok(hotCard, 'the hotline\'s name came back whole through escaping and folding');
  assert.deepEqual(components(hotCard.find((x) => x.name === 'ORG' && x.params.LANGUAGE === 'en').value),
    ['Zhangyan Town', 'Zhangyan, business; line']);
  // The grid worker's TEL is the number as a tel: URI with China's code.
  const gw = cards[0].find((p) => p.name === 'TEL').value;
  assert.equal(gw, `tel:+86${user('grid').phone.replace(/\D/g, '')}`);
});

test('service desks: public to read, set by officers in scope, every field checked', async () => {
  let r = await anon.call('GET', '/api/v1/jurisdictions/1/service-desk');
  assert.equal(r.status, 200);
  assert.equal(r.json.jurisdiction.code, '310116103');
  r = await anon.call('GET', '/api/v1/jurisdictions/8/service-desk'); // Jiuliting: none
  assert.equal(r.status, 200);
  assert.equal(r.json.office, null);
  assert.equal(r.json.hotline, null);
  assert.equal((await anon.call('GET', '/api/v1/jurisdictions/99999/service-desk')).status, 404);

  const put = (client, id, body) => client.call('PUT', `/api/v1/jurisdictions/${id}/service-desk`, body);
  assert.equal((await anon.call('PUT', '/api/v1/jurisdictions/6/service-desk', {})).status, 401);
  assert.equal((await put(who.secretary, 6, {})).status, 403);
  assert.equal((await put(who.qifan, 6, {})).status, 403);
  r = await put(who['officer.zhangyan'], 6, { hotline_zh: '热线', hotline_phone: '021-5722 0000' });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, 'outside_scope');
  assert.equal((await put(who.officer, 99999, {})).status, 404);

  const bad = async (body, field, code, client = who['officer.zhujing']) => {
    const x = await put(client, 6, body);
    assert.equal(x.status, 422, x.text);
    const e = x.json.error.errors.find((f) => f.field === field);
    assert.ok(e, `${field} named: ${x.text}`);
    assert.equal(e.code, code);
  };
  await bad({ hotline_zh: '热线', hotline_phone: '打我' }, 'hotline_phone', 'invalid_phone');
  await bad({ office_department_id: 1, office_phone: '12' }, 'office_phone', 'invalid_phone');
  await bad({ office_department_id: 999 }, 'office_department_id', 'unknown_department');
  // Zhangyan's office, which Zhujing's officer does not see; Jiuliting's,
  // which the city's officer sees but which does not serve Zhujing.
  await bad({ office_department_id: 1 }, 'office_department_id', 'unknown_department');
  await bad({ office_department_id: 7 }, 'office_department_id', 'department_elsewhere', who.officer);
  await bad({ office_department_id: 'x' }, 'office_department_id', 'wrong_type');
  await bad({ hotline_phone: '021-5722 0000' }, 'hotline_zh', 'required');
  await bad({ hotline_zh: '热线' }, 'hotline_phone', 'required');
  await bad({ office_phone: '021-5722 0000' }, 'office_department_id', 'required');
  await bad({ hotline_zh: '长'.repeat(101), hotline_phone: '021-5722 0000' }, 'hotline_zh', 'too_long');
  await bad({ hotline_zh: '热线', hotline_phone: '021-5722 0000', fax: '1' }, 'fax', 'unknown_field');
  assert.equal((await anon.call('GET', '/api/v1/jurisdictions/6/service-desk')).json.hotline.phone, '021-5722 8890', 'nothing written');

  // Zhujing's own office: one of the departments that serve it (a
  // district's or the town's own), whose card then names it.
  r = await put(who['officer.zhujing'], 6, { hotline_zh: '朱泾镇企业热线', hotline_phone: '021-5722 0001' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.hotline.phone, '021-5722 0001');
  assert.equal(r.json.office, null);
  const entries = (await who.admin.call('GET', '/api/v1/audit?entity=jurisdiction&entity_id=6')).json.items;
  assert.equal(entries[0].action, 'put_service_desk');
  assert.equal(entries[0].before.hotline.phone, '021-5722 8890');
  assert.equal(entries[0].after.hotline.phone, '021-5722 0001');
  // The page of a dead link lists it.
  assert.match((await anon.call('GET', '/q/x')).text, /021-5722 0001/);
});

test('a grid worker\'s phone, set by an admin, is the one the cards print', async () => {
  const id = user('grid').id;
  let r = await who.admin.call('PATCH', `/api/v1/users/${id}`, { phone: '139 0000 7777' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.phone, '139 0000 7777');
  assert.equal(r.json.disabled, false);
  const c = await card(who.admin, 1);
  assert.equal(c.contacts.find((k) => k.user_id === id).phone, '139 0000 7777');
  r = await who.admin.call('PATCH', `/api/v1/users/${id}`, { phone: 'call me' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'invalid_phone');
  r = await who.admin.call('PATCH', `/api/v1/users/${id}`, {});
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'disabled');
  r = await who.officer.call('PATCH', `/api/v1/users/${id}`, { phone: '139 0000 8888' });
  assert.equal(r.status, 403);
  const entries = (await who.admin.call('GET', `/api/v1/audit?entity=user&entity_id=${id}`)).json.items;
  assert.equal(entries[0].action, 'set_phone');
  assert.equal(entries[0].after.phone, '139 0000 7777');
  // A disabled worker leaves the cards.
  r = await who.admin.call('PATCH', `/api/v1/users/${id}`, { disabled: true });
  assert.equal(r.status, 200);
  assert.ok(!(await card(who.admin, 1)).contacts.some((k) => k.user_id === id));
  r = await who.admin.call('PATCH', `/api/v1/users/${id}`, { disabled: false });
  assert.equal(r.status, 200);
});

test('the links begin with the public address when one is set; a bad one stops the server', async () => {
  const other = await start({ args: ['--public-url', 'https://qunyan.example.gov.cn/zy/'] });
  try {
    const a = await login(other.url, 'admin');
    const c = (await a.call('GET', '/api/v1/enterprises/1/card')).json;
    assert.match(c.link, /^https:\/\/qunyan\.example\.gov\.cn\/zy\/q\/[0-9A-Z]{27}$/);
    const png = (await fetch(`${other.url}/api/v1/enterprises/1/card.png`, { headers: { Cookie: a.cookie } }));
    assert.equal(decodeQr(Buffer.from(await png.arrayBuffer())), c.link);
  } finally {
    await other.stop();
  }
  const r = cli(['serve', '--db', srv.db, '--listen', '127.0.0.1:0', '--public-url', 'qunyan.example.gov.cn']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /public-url/);
});
