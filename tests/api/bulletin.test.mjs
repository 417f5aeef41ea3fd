// The bulletin written by the town, against a real server: the demo's
// items published; an officer's draft hidden from the public until it is
// published, then taken down again; every route and its refusals (an
// empty title, a bad tag, a date that is no day, too long a title or
// body, script and raw HTML shown as text, javascript: and data: links
// and image sources refused naming the line, an image that is not one,
// too many pixels, too many bytes), each refusal writing nothing; If-Match
// on edits; roles and jurisdictions; keyset paging; every change in the
// audit log; and the Atom feeds read by @rowanmanning/feed-parser and
// checked well-formed by fast-xml-parser, with their ETag and
// Last-Modified.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, login, cli } from '../lib/server.mjs';

// The feed parsers live with the browser tests' packages (make browser-deps).
const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), '..', 'browser', 'package.json'));
const { parseFeed } = require(require.resolve('@rowanmanning/feed-parser'));
const { XMLParser, XMLValidator } = require(require.resolve('fast-xml-parser'));

// Images above 4096 bytes are refused, so that the limit is reached
// below the body limit.
const srv = await start({ args: ['--photo-max', '4096'] });
test.after(() => srv.stop());
const admin = await login(srv.url, 'admin');
const officer = await login(srv.url, 'officer'); // the whole city
const zhangyan = await login(srv.url, 'officer.zhangyan');
const zhujing = await login(srv.url, 'officer.zhujing');
const secretary = await login(srv.url, 'secretary');

const anon = {
  call: async (method, path, body, headers = {}) => {
    const h = { ...headers };
    let payload;
    if (body !== undefined) { payload = JSON.stringify(body); h['Content-Type'] = 'application/json'; }
    const res = await fetch(`${srv.url}${path}`, { method, headers: h, body: payload });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, headers: res.headers, json, text };
  },
};
const ok = async (client, method, path, body, status = 200, headers) => {
  const r = await client.call(method, path, body, headers);
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r;
};
const refused = async (client, method, path, body, status, code, field, headers) => {
  const r = await client.call(method, path, body, headers);
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  assert.equal(r.json.error.code, code, r.text);
  if (field) assert.ok(r.json.error.field === field || r.json.error.errors?.some((e) => e.field === field && e.code === code), r.text);
  return r.json.error;
};
// Every item an officer of the whole city reads, drafts too.
const everything = async () => {
  const out = [];
  for (let cursor = '';;) {
    const r = await ok(officer, 'GET', `/api/v1/bulletin?status=all&limit=100${cursor}`);
    out.push(...r.json.items);
    if (!r.json.next) return out;
    cursor = `&cursor=${encodeURIComponent(r.json.next)}`;
  }
};
// Uploads bytes as an image, signed in as client.
const upload = async (client, id, bytes, type = 'image/png') => {
  const headers = { Cookie: client.cookie, 'X-CSRF-Token': client.csrf };
  if (type) headers['Content-Type'] = type;
  const res = await fetch(`${srv.url}/api/v1/bulletin/${id}/images`, { method: 'POST', headers, body: bytes });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text), text };
};

// A 1x1 PNG; the same header claiming 20000 x 20000 pixels; a JPEG and a
// WebP (lossless) reduced to the headers that give their sizes.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const HUGE = Buffer.from(PNG);
HUGE.writeUInt32BE(20000, 16);
HUGE.writeUInt32BE(20000, 20);
const JPEG = Buffer.from([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x20, 0x03,
  1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9]);
const WEBP = (() => {
  const b = Buffer.alloc(26);
  b.write('RIFF', 0); b.writeUInt32LE(18, 4); b.write('WEBP', 8); b.write('VP8L', 12); b.writeUInt32LE(5, 16);
  b[20] = 0x2F; b.writeUInt32LE((10 - 1) | ((20 - 1) << 14), 21);
  return b;
})();

test('the demo\'s items are published and paged newest first', async () => {
  const all = [];
  const seen = new Set();
  for (let cursor = '';;) {
    const r = await ok(anon, 'GET', `/api/v1/bulletin?limit=2${cursor}`);
    assert.ok(r.json.items.length <= 2);
    for (const i of r.json.items) {
      assert.ok(!seen.has(i.id), `item ${i.id} once`);
      seen.add(i.id);
      all.push(i);
    }
    if (!r.json.next) break;
    cursor = `&cursor=${encodeURIComponent(r.json.next)}`;
  }
  assert.equal(all.length, 6);
  for (let k = 1; k < all.length; k++) assert.ok(all[k - 1].date >= all[k].date, 'newest day first');
  const main = all.find((i) => i.title.includes('书记讲给书记听'));
  assert.equal(main.date, '2024-07-01');
  assert.equal(main.status, 'published');
  assert.deepEqual(main.tags, ['党建引领', '产业集群']);
  assert.match(main.html, /<p>7月1日/);
  assert.equal(main.jurisdiction.code, '310116103');
  const jiuliting = all.find((i) => i.tags.includes('九里亭'));
  assert.equal(jiuliting.jurisdiction.code, '310117011', 'Jiuliting\'s item is Jiuliting\'s');
  // A tag, a place, the tags with their counts.
  const tagged = await ok(anon, 'GET', `/api/v1/bulletin?tag=${encodeURIComponent('九里亭')}`);
  assert.deepEqual(tagged.json.items.map((i) => i.id), [jiuliting.id]);
  const place = await ok(anon, 'GET', '/api/v1/bulletin?jurisdiction=310117011');
  assert.deepEqual(place.json.items.map((i) => i.id), [jiuliting.id]);
  const tags = await ok(anon, 'GET', '/api/v1/bulletin/tags');
  assert.ok(tags.json.items.some((t) => t.tag === '党建引领' && t.items === 1));
  // Paging and filters that are not.
  await refused(anon, 'GET', '/api/v1/bulletin?cursor=bm90IGEgY3Vyc29y', undefined, 400, 'invalid_cursor', 'cursor');
  await refused(anon, 'GET', '/api/v1/bulletin?limit=0', undefined, 400, 'invalid_parameter', 'limit');
  await refused(anon, 'GET', '/api/v1/bulletin?tag=a%20b', undefined, 400, 'invalid_parameter', 'tag');
  await refused(anon, 'GET', '/api/v1/bulletin?status=secret', undefined, 400, 'invalid_parameter', 'status');
  await refused(anon, 'GET', '/api/v1/bulletin?status=draft', undefined, 403, 'forbidden', 'status');
  await refused(anon, 'GET', '/api/v1/bulletin?jurisdiction=999999', undefined, 422, 'unknown_jurisdiction', 'jurisdiction');
  // An unchanged list answers 304 to the tag it gave.
  const again = await anon.call('GET', '/api/v1/bulletin?limit=2', undefined, { 'If-None-Match': tagged.headers.get('etag') });
  assert.equal(again.status, 200, 'another list has another tag');
  const first = await ok(anon, 'GET', '/api/v1/bulletin?limit=2');
  assert.equal((await anon.call('GET', '/api/v1/bulletin?limit=2', undefined, { 'If-None-Match': first.headers.get('etag') })).status, 304);
});

test('a draft is the staff\'s until it is published; then everyone\'s, and taken down again', async () => {
  const r = await ok(zhangyan, 'POST', '/api/v1/bulletin', {
    title: '张堰镇召开“红色问询”工作推进会', date: '2024-08-02', tags: ['网格管理', 'red-inquiry'],
    body: '# 推进会\n\n网格员交流走访经验，见 [镇政府网站](https://www.jinshan.gov.cn/) 与 [规则](/bulletin)。',
  }, 201);
  const id = r.json.id;
  assert.equal(r.json.status, 'draft');
  assert.equal(r.json.version, 1);
  assert.equal(r.json.jurisdiction.code, '310116103', 'the officer\'s own town');
  assert.equal(r.headers.get('location'), `/api/v1/bulletin/${id}`);
  assert.equal(r.headers.get('etag'), '"v1"');
  assert.match(r.json.html, /<h1>推进会<\/h1>/);
  assert.match(r.json.html, /<a href="https:\/\/www.jinshan.gov.cn\/">/);

  // Hidden from the public, from another town's officer and from roles
  // that do not write; seen by the staff of its place.
  await refused(anon, 'GET', `/api/v1/bulletin/${id}`, undefined, 404, 'not_found');
  await refused(zhujing, 'GET', `/api/v1/bulletin/${id}`, undefined, 404, 'not_found');
  await refused(secretary, 'GET', `/api/v1/bulletin/${id}`, undefined, 404, 'not_found');
  assert.ok(!(await ok(anon, 'GET', '/api/v1/bulletin?limit=100')).json.items.some((i) => i.id === id));
  assert.ok((await ok(zhangyan, 'GET', '/api/v1/bulletin?status=draft')).json.items.some((i) => i.id === id));
  assert.ok(!(await ok(zhujing, 'GET', '/api/v1/bulletin?status=draft')).json.items.some((i) => i.id === id));
  assert.equal((await ok(officer, 'GET', `/api/v1/bulletin/${id}`)).json.id, id);

  // Edits need If-Match with the current version.
  await refused(zhangyan, 'PATCH', `/api/v1/bulletin/${id}`, { title: '改' }, 428, 'if_match_required');
  await refused(zhangyan, 'PATCH', `/api/v1/bulletin/${id}`, { title: '改' }, 412, 'stale_version', null, { 'If-Match': '"v7"' });
  await refused(zhangyan, 'PATCH', `/api/v1/bulletin/${id}`, { title: '改' }, 412, 'invalid_if_match', null, { 'If-Match': 'v1' });
  const edited = await ok(zhangyan, 'PATCH', `/api/v1/bulletin/${id}`, { tags: ['网格管理'] }, 200, { 'If-Match': '"v1"' });
  assert.equal(edited.json.version, 2);
  assert.deepEqual(edited.json.tags, ['网格管理']);
  assert.equal(edited.json.title, '张堰镇召开“红色问询”工作推进会', 'fields not sent are kept');

  // Another town's officer, a secretary and the public may not.
  await refused(zhujing, 'PATCH', `/api/v1/bulletin/${id}`, { title: '改' }, 404, 'not_found', null, { 'If-Match': '*' });
  await refused(secretary, 'POST', `/api/v1/bulletin/${id}/publish`, undefined, 403, 'forbidden');
  await refused(anon, 'POST', `/api/v1/bulletin/${id}/publish`, undefined, 401, 'login_required');

  const pub = await ok(zhangyan, 'POST', `/api/v1/bulletin/${id}/publish`);
  assert.equal(pub.json.status, 'published');
  assert.match(pub.json.published_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  await refused(zhangyan, 'POST', `/api/v1/bulletin/${id}/publish`, undefined, 409, 'no_change');
  assert.equal((await ok(anon, 'GET', `/api/v1/bulletin/${id}`)).json.title, '张堰镇召开“红色问询”工作推进会');
  assert.ok((await ok(anon, 'GET', `/api/v1/bulletin?tag=${encodeURIComponent('网格管理')}`)).json.items.some((i) => i.id === id));
  // Seen by the other town now, and still not changed by it.
  await refused(zhujing, 'PATCH', `/api/v1/bulletin/${id}`, { title: '改' }, 403, 'outside_scope', null, { 'If-Match': '*' });
  await refused(zhujing, 'POST', `/api/v1/bulletin/${id}/unpublish`, undefined, 403, 'outside_scope');
  // Once public, it stays on record: taken down, not deleted.
  await refused(zhangyan, 'DELETE', `/api/v1/bulletin/${id}`, undefined, 409, 'not_draft');
  const down = await ok(zhangyan, 'POST', `/api/v1/bulletin/${id}/unpublish`);
  assert.equal(down.json.status, 'unpublished');
  assert.equal(down.json.published_at, pub.json.published_at, 'first published is kept');
  await refused(zhangyan, 'POST', `/api/v1/bulletin/${id}/unpublish`, undefined, 409, 'no_change');
  await refused(anon, 'GET', `/api/v1/bulletin/${id}`, undefined, 404, 'not_found');
  await refused(zhangyan, 'DELETE', `/api/v1/bulletin/${id}`, undefined, 409, 'not_draft');
  const unpublished = await ok(zhangyan, 'GET', '/api/v1/bulletin?status=unpublished');
  assert.deepEqual(unpublished.json.items.map((i) => i.id), [id]);

  // Every change is in the audit log, with the item before and after.
  const log = (await ok(admin, 'GET', `/api/v1/audit?entity=bulletin&entity_id=${id}`)).json.items;
  assert.deepEqual(log.map((a) => a.action).reverse(), ['create', 'update', 'publish', 'unpublish']);
  const upd = log.find((a) => a.action === 'update');
  assert.deepEqual(upd.before.tags, ['网格管理', 'red-inquiry']);
  assert.deepEqual(upd.after.tags, ['网格管理']);
  assert.equal(upd.username, 'officer.zhangyan');
  assert.equal(log.find((a) => a.action === 'publish').after.status, 'published');
});

test('a draft is deleted with its images; the others are refused', async () => {
  const d = (await ok(officer, 'POST', '/api/v1/bulletin', { title: '草稿', date: '2024-08-03' }, 201)).json;
  assert.deepEqual(d.tags, []);
  assert.equal(d.body, '');
  assert.equal((await upload(officer, d.id, PNG)).status, 201);
  await refused(secretary, 'DELETE', `/api/v1/bulletin/${d.id}`, undefined, 403, 'forbidden');
  const gone = await officer.call('DELETE', `/api/v1/bulletin/${d.id}`);
  assert.equal(gone.status, 204, gone.text);
  await refused(officer, 'GET', `/api/v1/bulletin/${d.id}`, undefined, 404, 'not_found');
  await refused(officer, 'GET', `/api/v1/bulletin/${d.id}/images/1`, undefined, 404, 'not_found');
  const log = (await ok(admin, 'GET', `/api/v1/audit?entity=bulletin&entity_id=${d.id}`)).json.items;
  assert.equal(log[0].action, 'delete');
  assert.equal(log[0].before.title, '草稿');
});

test('an item moved to another district takes its tags and images along', async () => {
  const d = (await ok(officer, 'POST', '/api/v1/bulletin', { title: '迁移', date: '2024-08-07', tags: ['迁移'], jurisdiction: '310116103' }, 201)).json;
  assert.equal((await upload(officer, d.id, PNG)).status, 201);
  const moved = await ok(officer, 'PATCH', `/api/v1/bulletin/${d.id}`, { jurisdiction: '310117011' }, 200, { 'If-Match': '*' });
  assert.equal(moved.json.jurisdiction.code, '310117011');
  // Jiuliting's officer now keeps it; Zhangyan's no longer sees the draft.
  assert.equal((await ok(await login(srv.url, 'officer.jiuliting'), 'GET', `/api/v1/bulletin/${d.id}`)).json.id, d.id);
  await refused(zhangyan, 'GET', `/api/v1/bulletin/${d.id}`, undefined, 404, 'not_found');
  // Every row lies in its jurisdiction's district.
  const r = cli(['check', '--db', srv.db]);
  assert.equal(r.status, 0, r.stderr);
});

test('Markdown: script and raw HTML are shown as text, never run; unsafe links are refused', async () => {
  const body = [
    'Hello <script>alert(1)</script> and <img src=x onerror=alert(2)> inline.',
    '',
    '<div onclick="alert(3)"><script>alert(4)</script></div>',
    '',
    '<iframe src="https://evil.example/"></iframe>',
    '',
    '[mail](mailto:office@zhangyan.example.cn) [tel](tel:+86-21-5721-1000) [frag](#top) <https://www.example.cn/a?b=1&c=2>',
  ].join('\n');
  const r = await ok(officer, 'POST', '/api/v1/bulletin', { title: 'Markdown <b>&</b>', date: '2024-08-04', body }, 201);
  const html = r.json.html;
  assert.doesNotMatch(html, /<script|<img|<div|<iframe|<[^>]*\son(error|click)=/i, html);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /&lt;div onclick=&quot;alert\(3\)&quot;&gt;/);
  assert.match(html, /href="mailto:office@zhangyan.example.cn"/);
  assert.match(html, /href="tel:\+86-21-5721-1000"/);
  assert.match(html, /href="https:\/\/www.example.cn\/a\?b=1&amp;c=2"/);
  assert.equal(r.json.body, body, 'the Markdown is kept as written');
  assert.equal(r.json.title, 'Markdown <b>&</b>', 'a title is text');

  // Each of these is refused naming the body and its line, and nothing
  // is written.
  const before = (await everything()).length;
  const bad = [
    ['[x](javascript:alert(1))', 1],
    ['ok\n\n[x](JavaScript:alert(1))', 3],
    ['[x](< java\tscript:alert(1)>)', 1],
    ['[x](javascript&#58;alert(1))', 1],
    ['<javascript:alert(1)>', 1],
    ['[x][r]\n\n[r]: vbscript:msgbox(1)', 1],
    ['[x](file:///etc/passwd)', 1],
    ['[x](data:text/html;base64,PHNjcmlwdD4=)', 1],
    ['![x](javascript:alert(1))', 1],
    ['![x](data:image/png;base64,iVBORw0KGgo=)', 1],
    ['![x](https://tracker.example/p.png)', 1],
    ['![x](//tracker.example/p.png)', 1],
    ['![x](\\\\\\\\tracker.example/p.png)', 1],
  ];
  for (const [text, line] of bad) {
    const e = await refused(officer, 'POST', '/api/v1/bulletin', { title: '坏链接', date: '2024-08-04', body: text }, 422, 'unsafe_link', 'body');
    assert.match(e.message, new RegExp(`^body: line ${line}: `), `${text}: ${e.message}`);
    const p = await refused(officer, 'POST', '/api/v1/bulletin/preview', { body: text }, 422, 'unsafe_link', 'body');
    assert.equal(p.message, e.message);
  }
  await refused(officer, 'PATCH', `/api/v1/bulletin/${r.json.id}`, { body: '[x](javascript:alert(1))' }, 422, 'unsafe_link', 'body', { 'If-Match': '*' });
  assert.equal((await everything()).length, before, 'nothing written');
  assert.equal((await ok(officer, 'GET', `/api/v1/bulletin/${r.json.id}`)).json.body, body, 'the item unchanged');

  // The preview renders as a save would, and writes nothing.
  const pv = await ok(officer, 'POST', '/api/v1/bulletin/preview', { body: '**粗体** <script>x</script>' });
  assert.equal(pv.json.html, '<p><strong>粗体</strong> &lt;script&gt;x&lt;/script&gt;</p>\n');
  await refused(officer, 'POST', '/api/v1/bulletin/preview', {}, 422, 'required', 'body');
  await refused(officer, 'POST', '/api/v1/bulletin/preview', { body: 1 }, 422, 'wrong_type', 'body');
  await refused(secretary, 'POST', '/api/v1/bulletin/preview', { body: 'x' }, 403, 'forbidden');
  await refused(anon, 'POST', '/api/v1/bulletin/preview', { body: 'x' }, 401, 'login_required');
  assert.equal((await everything()).length, before);
});

test('bad items are refused naming the field and the rule; nothing is written', async () => {
  const before = (await everything()).length;
  const post = (body) => officer.call('POST', '/api/v1/bulletin', body);
  const cases = [
    [{ date: '2024-08-05' }, 'title', 'required'],
    [{ title: '', date: '2024-08-05' }, 'title', 'required'],
    [{ title: '   ', date: '2024-08-05' }, 'title', 'required'],
    [{ title: '长'.repeat(201), date: '2024-08-05' }, 'title', 'too_long'],
    [{ title: 'a\nb', date: '2024-08-05' }, 'title', 'control_character'],
    [{ title: 7, date: '2024-08-05' }, 'title', 'wrong_type'],
    [{ title: '无日期' }, 'date', 'required'],
    [{ title: '日期', date: '2024-02-30' }, 'date', 'invalid_date'],
    [{ title: '日期', date: '2024-08-05T10:00:00Z' }, 'date', 'invalid_date'],
    [{ title: '标签', date: '2024-08-05', tags: ['党建 引领'] }, 'tags[0]', 'invalid_tag'],
    [{ title: '标签', date: '2024-08-05', tags: ['ok', '#hash'] }, 'tags[1]', 'invalid_tag'],
    [{ title: '标签', date: '2024-08-05', tags: ['a.b'] }, 'tags[0]', 'invalid_tag'],
    [{ title: '标签', date: '2024-08-05', tags: ['党建', '党建'] }, 'tags[1]', 'invalid_tag'],
    [{ title: '标签', date: '2024-08-05', tags: ['x'.repeat(21)] }, 'tags[0]', 'invalid_tag'],
    [{ title: '标签', date: '2024-08-05', tags: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] }, 'tags', 'too_many'],
    [{ title: '标签', date: '2024-08-05', tags: '党建' }, 'tags', 'wrong_type'],
    [{ title: '正文', date: '2024-08-05', body: '字'.repeat(20001) }, 'body', 'too_long'],
    [{ title: '正文', date: '2024-08-05', body: 'a\u0001b' }, 'body', 'control_character'],
    [{ title: '地点', date: '2024-08-05', jurisdiction: '999999999' }, 'jurisdiction', 'unknown_jurisdiction'],
    [{ title: '字段', date: '2024-08-05', colour: 'red' }, 'colour', 'unknown_field'],
  ];
  for (const [body, field, code] of cases) {
    const r = await post(body);
    assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
    assert.ok(r.json.error.errors.some((e) => e.field === field && e.code === code), `${field} ${code}: ${r.text}`);
  }
  // Every bad field at once.
  const all = await post({ title: '', date: 'x', tags: ['a b'], body: '[x](javascript:1)' });
  assert.deepEqual(all.json.error.errors.map((e) => e.field).sort(), ['body', 'date', 'tags[0]', 'title']);
  // A place outside the officer's own.
  await refused(zhujing, 'POST', '/api/v1/bulletin', { title: '越界', date: '2024-08-05', jurisdiction: '310116103' }, 403, 'outside_scope');
  await refused(secretary, 'POST', '/api/v1/bulletin', { title: '秘书', date: '2024-08-05' }, 403, 'forbidden');
  await refused(anon, 'POST', '/api/v1/bulletin', { title: '访客', date: '2024-08-05' }, 401, 'login_required');
  const notJson = await officer.call('POST', '/api/v1/bulletin', 'title=x', { 'Content-Type': 'application/x-www-form-urlencoded' });
  assert.equal(notJson.status, 415);
  assert.equal((await everything()).length, before, 'nothing written');
  // A town's officer may name a place inside its own.
  const park = await ok(zhangyan, 'POST', '/api/v1/bulletin', { title: '园区', date: '2024-08-05', jurisdiction: '310116103201' }, 201);
  assert.equal(park.json.jurisdiction.code, '310116103201');
});

test('images: PNG, JPEG and WebP by their bytes, served where the item is read; anything else refused', async () => {
  const d = (await ok(zhangyan, 'POST', '/api/v1/bulletin', { title: '图片', date: '2024-08-06', tags: ['图片'] }, 201)).json;
  const png = await upload(zhangyan, d.id, PNG);
  assert.equal(png.status, 201, png.text);
  assert.deepEqual([png.json.type, png.json.width, png.json.height, png.json.size], ['image/png', 1, 1, PNG.length]);
  assert.equal(png.json.markdown, `![](/api/v1/bulletin/${d.id}/images/${png.json.id})`);
  const jpeg = await upload(zhangyan, d.id, JPEG, 'image/jpeg');
  assert.deepEqual([jpeg.status, jpeg.json.type, jpeg.json.width, jpeg.json.height], [201, 'image/jpeg', 32, 16]);
  const webp = await upload(zhangyan, d.id, WEBP, null);
  assert.deepEqual([webp.status, webp.json.type, webp.json.width, webp.json.height], [201, 'image/webp', 10, 20]);

  const count = async () => (await ok(zhangyan, 'GET', `/api/v1/bulletin/${d.id}`)).json.images.length;
  assert.equal(await count(), 3);
  const bad = [
    [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/png', 422, 'invalid_image'],
    [Buffer.from('GIF89a\x01\x00\x01\x00'), 'image/gif', 422, 'invalid_image'],
    [PNG.subarray(0, 20), 'image/png', 422, 'invalid_image'],
    [PNG, 'image/jpeg', 422, 'invalid_image'],
    [HUGE, 'image/png', 422, 'image_too_large'],
    [Buffer.concat([PNG, Buffer.alloc(5000)]), 'image/png', 413, 'image_too_large'],
    [PNG, 'application/json', 415, 'unsupported_media_type'],
    [Buffer.alloc(0), 'image/png', 400, 'empty_body'],
  ];
  for (const [bytes, type, status, code] of bad) {
    const r = await upload(zhangyan, d.id, bytes, type);
    assert.equal(r.status, status, `${type}: ${r.text}`);
    assert.equal(r.json.error.code, code, r.text);
    assert.equal(r.json.error.field, 'image', r.text);
  }
  assert.equal(await count(), 3, 'nothing written');
  assert.equal((await upload(zhujing, d.id, PNG)).status, 404, 'another town does not see the draft');
  assert.equal((await upload(secretary, d.id, PNG)).status, 403);

  // Read where the item is read: the staff while it is a draft.
  const path = `/api/v1/bulletin/${d.id}/images/${png.json.id}`;
  await refused(anon, 'GET', path, undefined, 404, 'not_found');
  const staff = await fetch(`${srv.url}${path}`, { headers: { Cookie: zhangyan.cookie } });
  assert.equal(staff.status, 200);
  assert.equal(staff.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await staff.arrayBuffer()), PNG);
  await ok(zhangyan, 'PATCH', `/api/v1/bulletin/${d.id}`, { body: `图片如下：\n\n${png.json.markdown}` }, 200, { 'If-Match': '*' });
  const item = (await ok(zhangyan, 'POST', `/api/v1/bulletin/${d.id}/publish`)).json;
  assert.match(item.html, new RegExp(`<img src="${path}" alt="" />`));
  const pub = await fetch(`${srv.url}${path}`);
  assert.equal(pub.status, 200);
  const tag = pub.headers.get('etag');
  assert.equal((await fetch(`${srv.url}${path}`, { headers: { 'If-None-Match': tag } })).status, 304);
  await refused(anon, 'GET', `/api/v1/bulletin/${d.id}/images/99999`, undefined, 404, 'not_found');

  // At most 20 images an item.
  for (let k = await count(); k < 20; k++) assert.equal((await upload(zhangyan, d.id, PNG)).status, 201);
  const more = await upload(zhangyan, d.id, PNG);
  assert.equal(more.status, 409);
  assert.equal(more.json.error.code, 'too_many_images');
  const log = (await ok(admin, 'GET', `/api/v1/audit?entity=bulletin&entity_id=${d.id}&limit=100`)).json.items;
  assert.equal(log.filter((a) => a.action === 'image').length, 20);
});

// The feed as a reader following RFC 4287 reads it: content type="html"
// unescaped once by an XML parser (the feed parser below decodes HTML
// entities a second time, which would hide what a reader shows).
function xmlEntries(xml) {
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['entry', 'category', 'link'].includes(name) }).parse(xml);
  return doc.feed.entry || [];
}

test('the Atom feeds: well-formed, read by a real parser, stable ids, conditional requests', async () => {
  const res = await fetch(`${srv.url}/bulletin.atom`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
  const etag = res.headers.get('etag');
  const modified = res.headers.get('last-modified');
  assert.match(modified, /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
  const xml = await res.text();
  assert.equal(XMLValidator.validate(xml), true);
  const feed = parseFeed(xml);
  assert.equal(feed.meta.type, 'atom');
  assert.equal(feed.meta.version, '1.0');
  assert.match(feed.title, /公告/);
  assert.equal(feed.self, `${srv.url}/bulletin.atom`);
  assert.ok(feed.updated instanceof Date);
  const published = [];
  for (let cursor = '';;) {
    const r = await ok(anon, 'GET', `/api/v1/bulletin?limit=100${cursor}`);
    published.push(...r.json.items);
    if (!r.json.next) break;
    cursor = `&cursor=${encodeURIComponent(r.json.next)}`;
  }
  assert.equal(feed.items.length, published.length, 'every published item, drafts never');
  const ids = new Set(feed.items.map((i) => i.id));
  assert.equal(ids.size, feed.items.length);
  for (const it of feed.items) {
    assert.match(it.id, /^tag:127\.0\.0\.1,\d{4}-\d\d-\d\d:bulletin\/\d+$/);
    assert.match(it.url, new RegExp(`^${srv.url}/bulletin/\\d+$`));
    assert.ok(it.authors[0].name, 'an author');
    const api = published.find((p) => it.id.endsWith(`/${p.id}`));
    assert.equal(it.title, api.title);
    assert.deepEqual(it.categories.map((c) => c.term), api.tags);
  }
  // A title with markup and ampersands, an image, script in the body:
  // the reader sees the title as text and the HTML safe.
  const d = (await ok(officer, 'POST', '/api/v1/bulletin', {
    title: 'Feed <b>&</b> "quotes"', date: '2099-01-01', tags: ['feed-test'],
    body: 'Hi <script>alert(1)</script>\n\n<p onclick=x>raw</p>\n\n[home](/bulletin)',
  }, 201)).json;
  const img = await upload(officer, d.id, PNG);
  await ok(officer, 'PATCH', `/api/v1/bulletin/${d.id}`, { body: `${d.body}\n\n${img.json.markdown}` }, 200, { 'If-Match': '*' });
  // A draft changes nothing in the feed.
  assert.equal((await fetch(`${srv.url}/bulletin.atom`, { headers: { 'If-None-Match': etag } })).status, 304);
  assert.equal((await fetch(`${srv.url}/bulletin.atom`, { headers: { 'If-Modified-Since': modified } })).status, 304);
  await ok(officer, 'POST', `/api/v1/bulletin/${d.id}/publish`);
  const after = await fetch(`${srv.url}/bulletin.atom`, { headers: { 'If-None-Match': etag } });
  assert.equal(after.status, 200, 'published: a new feed');
  assert.notEqual(after.headers.get('etag'), etag);
  const xml2 = await after.text();
  assert.equal(XMLValidator.validate(xml2), true);
  const f2 = parseFeed(xml2);
  const e = f2.items[0];
  assert.equal(e.title, 'Feed <b>&</b> "quotes"', 'newest first; the title as written');
  assert.deepEqual(e.categories.map((c) => c.term), ['feed-test']);
  const entry = xmlEntries(xml2)[0];
  assert.equal(entry.content['@_type'], 'html');
  const html = entry.content['#text'];
  assert.doesNotMatch(html, /<script|<[^>]*\sonclick=/i, html);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, new RegExp(`<a href="${srv.url}/bulletin">home</a>`), 'links absolute');
  assert.match(html, new RegExp(`<img src="${srv.url}/api/v1/bulletin/${d.id}/images/${img.json.id}"`), 'images absolute');
  const entryId = e.id;
  // An edit keeps the entry's id and moves its updated.
  await new Promise((r) => setTimeout(r, 1100));
  await ok(officer, 'PATCH', `/api/v1/bulletin/${d.id}`, { title: 'Feed edited' }, 200, { 'If-Match': '*' });
  const f3 = parseFeed(await (await fetch(`${srv.url}/bulletin.atom`)).text());
  assert.equal(f3.items[0].id, entryId);
  assert.equal(f3.items[0].title, 'Feed edited');
  assert.ok(f3.items[0].updated > e.updated);
  // Taken down: gone from the feed, and the feed changed since.
  const lm3 = (await fetch(`${srv.url}/bulletin.atom`)).headers.get('last-modified');
  await new Promise((r) => setTimeout(r, 1100));
  await ok(officer, 'POST', `/api/v1/bulletin/${d.id}/unpublish`);
  const f4res = await fetch(`${srv.url}/bulletin.atom`, { headers: { 'If-Modified-Since': lm3 } });
  assert.equal(f4res.status, 200, 'taken down is a change');
  assert.ok(!parseFeed(await f4res.text()).items.some((i) => i.id === entryId));
});

test('a tag\'s feed lists that tag\'s items; a place\'s feed that place\'s', async () => {
  const tag = '党建引领';
  const res = await fetch(`${srv.url}/bulletin/tags/${encodeURIComponent(tag)}.atom`);
  assert.equal(res.status, 200);
  const xml = await res.text();
  assert.equal(XMLValidator.validate(xml), true);
  const feed = parseFeed(xml);
  assert.equal(feed.self, `${srv.url}/bulletin/tags/${encodeURIComponent(tag)}.atom`);
  assert.match(feed.title, new RegExp(tag));
  const api = (await ok(anon, 'GET', `/api/v1/bulletin?tag=${encodeURIComponent(tag)}`)).json.items;
  assert.ok(api.length >= 1);
  assert.deepEqual(feed.items.map((i) => i.title), api.map((i) => i.title));
  for (const it of feed.items) assert.ok(it.categories.some((c) => c.term === tag));
  const feedId = (text) => new XMLParser().parse(text).feed.id;
  assert.equal(feedId(xml), `tag:127.0.0.1,2024:bulletin/tags/${tag}`);
  assert.equal(feedId(await (await fetch(`${srv.url}/bulletin.atom`)).text()), 'tag:127.0.0.1,2024:bulletin');
  const none = parseFeed(await (await fetch(`${srv.url}/bulletin/tags/nothing-here.atom`)).text());
  assert.equal(none.items.length, 0);
  const place = parseFeed(await (await fetch(`${srv.url}/bulletin.atom?jurisdiction=310117011`)).text());
  assert.deepEqual(place.items.map((i) => i.authors[0].name), ['九里亭街道']);
  // Not a tag: no feed.
  assert.equal((await fetch(`${srv.url}/bulletin/tags/a%20b.atom`)).status, 404);
  assert.equal((await fetch(`${srv.url}/bulletin/tags/.atom`)).status, 404);
  // The console's pages under /bulletin are the console's.
  const page = await fetch(`${srv.url}/bulletin/tags/${encodeURIComponent(tag)}`);
  assert.match(page.headers.get('content-type'), /^text\/html/);
});
