// The service catalogue and resource list against a real server: the
// public catalogue and its pages, search in Chinese substrings and English
// words against an independent filter, "open now" in Asia/Shanghai
// against an independent reading of the hours, keeping the catalogue
// (create, If-Match, retire, audit), refusals that name the field and the
// rule and write nothing, roles and jurisdictions, an enterprise's offer
// and its approval, a request that becomes a case routed to the
// provider's department with the service's time limit, organisations as
// providers, and the HSDS 3.0 export.
import test from 'node:test';
import assert from 'node:assert/strict';
import { start, login, cli, PASSWORD } from '../lib/server.mjs';

const srv = await start();
test.after(() => srv.stop());

// The contact of enterprise 2, to see what another enterprise sees.
{
  const r = cli(['user', 'add', 'firm2', '--role', 'enterprise', '--enterprise', '2', '--name', '协益联系人', '--db', srv.db],
    { env: { ...process.env, QUNYAN_PASSWORD: PASSWORD } });
  assert.equal(r.status, 0, r.stderr);
}
const officer = await login(srv.url, 'officer');
const admin = await login(srv.url, 'admin');
const qifan = await login(srv.url, 'qifan'); // enterprise 1
const firm2 = await login(srv.url, 'firm2'); // enterprise 2
const handler = await login(srv.url, 'handler'); // 经济园区
const handler2 = await login(srv.url, 'handler2'); // 社区管理办
const secretary = await login(srv.url, 'secretary');
const zhujing = await login(srv.url, 'officer.zhujing');
const zhangyan = await login(srv.url, 'officer.zhangyan');
const jinshan = await login(srv.url, 'officer.jinshan');

async function anon(method, path, body, headers = {}) {
  const h = { ...headers };
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    if (!('Content-Type' in h)) h['Content-Type'] = 'application/json';
  }
  const res = await fetch(`${srv.url}${path}`, { method, headers: h, body: payload });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, json, text };
}
const ok = async (client, path, status = 200) => {
  const r = client ? await client.call('GET', path) : await anon('GET', path);
  assert.equal(r.status, status, `${path}: ${r.text}`);
  return r.json;
};
let serial = 0;
const uniq = () => `${Date.now().toString(36)}${++serial}`;
// Days in the town's calendar (UTC+8), counted from today.
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

// Every page of a list, following next.
async function all(client, query = '') {
  const items = [];
  let cursor = null;
  for (let pages = 0; pages < 100; pages++) {
    const sep = query ? '&' : '';
    const j = await ok(client, `/api/v1/services?${query}${sep}limit=7${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...j.items);
    if (!j.next) return items;
    cursor = j.next;
  }
  throw new Error('more than 100 pages');
}
const ids = (xs) => xs.map((x) => x.id).sort((a, b) => a - b);
const named = (xs, name) => {
  const s = xs.find((x) => x.name_zh === name);
  assert.ok(s, `a service named ${name}`);
  return s;
};

// The demo's catalogue as the public reads it, once.
const demo = await all(null);
const CATEGORIES = ['policy_consulting', 'financing', 'talent_hr', 'legal', 'land_premises', 'permits_approvals',
  'training', 'venues', 'testing_technology', 'logistics'];

// What "nothing written" means: the same services, organisations and
// cases, and no new line in the audit log (every write leaves one).
async function snapshot() {
  const services = await all(officer, 'status=any');
  const orgs = (await ok(officer, '/api/v1/organisations')).items;
  const audit = (await ok(admin, '/api/v1/audit?limit=1')).items[0].id;
  const cases = (await ok(officer, '/api/v1/cases?limit=500')).items.length;
  return JSON.stringify({ s: services.map((s) => [s.id, s.version]), o: orgs.map((o) => [o.id, o.version]), audit, cases });
}

test('the public catalogue: the demo\'s services in every category, paged, read without signing in', async () => {
  assert.ok(demo.length >= 30, `${demo.length} services`);
  assert.deepEqual([...new Set(demo.map((s) => s.category.code))].sort(), [...CATEGORIES].sort());
  assert.ok(demo.every((s) => s.status === 'active'));
  // Pages in id order, each row once.
  const sorted = ids(demo);
  assert.deepEqual(demo.map((s) => s.id), sorted);
  assert.equal(new Set(sorted).size, sorted.length);
  const one = await ok(null, `/api/v1/services/${demo[0].id}`);
  assert.equal(one.name_zh, demo[0].name_zh);
  assert.ok(one.provider.name_zh && one.department.name);
  assert.ok(one.contacts.length && one.locations.length);
  assert.match(one.contacts[0].phone, /^(021-5721|021-5792|1[3-9])/);
  const lab = named(demo, '光纤光缆性能检测');
  assert.equal(lab.provider.name_zh, '上海起帆电缆股份有限公司');
  assert.equal(lab.offered_by, 1);
  assert.ok(lab.approved_at);
  // Refusals of the list's parameters.
  for (const [q, field] of [['limit=0', 'limit'], ['limit=201', 'limit'], ['category=banking', 'category'],
    ['cursor=abc', 'cursor'], ['open_now=maybe', 'open_now'], ['at=tomorrow', 'at'], ['status=closed', 'status'],
    ['provider=x', 'provider'], [`q=${encodeURIComponent('a b c d e f g h i')}`, 'q'], ['jurisdiction=999999', 'jurisdiction']]) {
    const r = await anon('GET', `/api/v1/services?${q}`);
    assert.ok(r.status === 400 || r.status === 422, `${q}: ${r.status}`);
    assert.equal(r.json.error.field, field, q);
  }
  const pending = await anon('GET', '/api/v1/services?status=pending');
  assert.equal(pending.status, 403);
  assert.equal(pending.json.error.code, 'forbidden');
  assert.equal((await anon('GET', '/api/v1/services/999999')).status, 404);
});

// The independent filter: every word of the query (NFKC-folded, Latin
// letters in any case) occurs in a name or a description.
const fold = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
function matches(s, q) {
  const words = fold(q.normalize('NFKC')).split(/[ \t]+/).filter(Boolean);
  const hay = [s.name_zh, s.name_en, s.description_zh, s.description_en].map(fold);
  return words.every((w) => hay.some((h) => h.includes(w)));
}

test('search finds Chinese substrings and English words, as an independent filter does', async () => {
  const queries = ['检测', '融资', '贷款', '园区', '人才公寓', '知识产权维权', 'testing', 'Loan', 'LOAN', 'lorr',
    'park roadshow', '园区 厂房', 'Ｔｅｓｔｉｎｇ', 'enterprise 政策', 'qifan', '不存在的服务', 'x'];
  let nonEmpty = 0;
  for (const q of queries) {
    const got = ids(await all(null, `q=${encodeURIComponent(q)}`));
    const want = ids(demo.filter((s) => matches(s, q)));
    assert.deepEqual(got, want, `q=${q}`);
    if (want.length) nonEmpty++;
  }
  assert.ok(nonEmpty >= 12, 'most queries find something');
  // Full-width letters search as their plain forms.
  assert.deepEqual(ids(await all(null, `q=${encodeURIComponent('Ｔｅｓｔｉｎｇ')}`)), ids(await all(null, 'q=testing')));
  // Filters narrow the search.
  const fin = ids(await all(null, 'category=financing'));
  assert.deepEqual(fin, ids(demo.filter((s) => s.category.code === 'financing')));
  const bank = named(demo, '科技型中小企业信用贷款').provider.id;
  assert.deepEqual(ids(await all(null, `provider=${bank}`)), ids(demo.filter((s) => s.provider.id === bank)));
  assert.deepEqual(ids(await all(null, `q=${encodeURIComponent('贷款')}&category=financing`)),
    ids(demo.filter((s) => matches(s, '贷款') && s.category.code === 'financing')));
});

test('words of one or two characters, and words with filters, open now and pages: as the independent filter', async () => {
  // One character, two (Latin in any case), punctuation and LIKE's own
  // wildcards, a short word beside a long one: each through its index.
  const queries = ['法', '税', '贷', '务', 'HR', 'hr', 'Ip', 'a', 'E', '。', '%', '_', '服务 园区', '园区 enterprise',
    '检 testing', 'loan 款'];
  let nonEmpty = 0;
  for (const q of queries) {
    const got = ids(await all(null, `q=${encodeURIComponent(q)}`));
    const want = ids(demo.filter((s) => matches(s, q)));
    assert.deepEqual(got, want, `q=${q}`);
    if (want.length) nonEmpty++;
  }
  assert.ok(nonEmpty >= 10, `${nonEmpty} of the queries find something`);
  // A word within each category, and a provider's services with words.
  for (const category of CATEGORIES) {
    for (const q of ['服务', '企', 'enterprise', '园区 服务', 'the']) {
      const got = ids(await all(null, `q=${encodeURIComponent(q)}&category=${category}`));
      assert.deepEqual(got, ids(demo.filter((s) => s.category.code === category && matches(s, q))), `${q} in ${category}`);
    }
  }
  const bank = named(demo, '科技型中小企业信用贷款').provider.id;
  for (const q of ['贷款', 'loan', '服务', '险']) {
    const got = ids(await all(null, `q=${encodeURIComponent(q)}&provider=${bank}`));
    assert.deepEqual(got, ids(demo.filter((s) => s.provider.id === bank && matches(s, q))), `${q} of the bank`);
  }
  // Seen from a jurisdiction: the words narrow what the jurisdiction sees.
  for (const j of new Set(demo.map((s) => s.jurisdiction.id))) {
    const seen = await all(null, `jurisdiction=${j}`);
    for (const q of ['服务', '园', 'testing']) {
      const got = ids(await all(null, `q=${encodeURIComponent(q)}&jurisdiction=${j}`));
      assert.deepEqual(got, ids(seen.filter((s) => matches(s, q))), `${q} from jurisdiction ${j}`);
    }
  }
  // Open now with words and a category.
  for (const at of ['2026-12-07T09:00:00+08:00', '2026-12-08T02:00:00+08:00', '2026-12-05T10:00:00+08:00']) {
    for (const [q, category] of [['服务', null], ['检测', null], ['企', 'logistics'], ['enterprise', 'financing']]) {
      const extra = category ? `&category=${category}` : '';
      const got = ids(await all(null, `q=${encodeURIComponent(q)}&open_now=1&at=${encodeURIComponent(at)}${extra}`));
      const want = ids(demo.filter((s) => matches(s, q) && (!category || s.category.code === category) && openAt(s.hours, at) === true));
      assert.deepEqual(got, want, `${q} open at ${at} ${extra}`);
    }
  }
});

// An independent reading of the hours: the spans that open on a date
// (its exceptions, else its weekday's rules) and yesterday's that run
// past midnight, in the town's time, UTC+8.
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const mins = (t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
const span = (o, c) => [mins(o), mins(o) + (mins(c) > mins(o) ? mins(c) - mins(o) : mins(c) + 1440 - mins(o))];
function spansOn(h, date) {
  const exc = h.exceptions.filter((x) => x.valid_from <= date && date <= x.valid_to);
  if (exc.length) return exc.filter((x) => !x.closed).map((x) => span(x.opens_at, x.closes_at));
  const day = DAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7];
  return h.weekly.filter((r) => r.byday.split(',').includes(day)).map((r) => span(r.opens_at, r.closes_at));
}
function openAt(h, iso) {
  if (!h.weekly.length && !h.exceptions.length) return null;
  const local = new Date(Date.parse(iso) + 8 * 3600e3);
  const date = local.toISOString().slice(0, 10);
  const prev = new Date(local.getTime() - 86400e3).toISOString().slice(0, 10);
  const m = local.getUTCHours() * 60 + local.getUTCMinutes();
  return spansOn(h, date).some(([s, e]) => m >= s && m < e) || spansOn(h, prev).some(([, e]) => e > 1440 && m < e - 1440);
}

test('open now in Asia/Shanghai: within a day, across midnight, on holidays and on worked weekend days', async () => {
  const instants = [
    '2026-12-07T09:00:00+08:00', // a Monday morning
    '2026-12-07T12:15:00+08:00', // its lunch break
    '2026-12-08T02:00:00+08:00', // a Tuesday night
    '2026-12-06T23:30:00+08:00', // a Sunday night
    '2026-12-05T10:00:00+08:00', // a Saturday
    '2026-10-01T10:00:00+08:00', // National Day, a Thursday
    '2026-10-10T09:00:00+08:00', // a Saturday worked instead
    '2026-02-17T10:00:00+08:00', // the Spring Festival
    '2026-09-30T23:00:00+08:00', // the night before National Day
    '2026-12-07T01:00:00Z', // the same Monday morning written in UTC
  ];
  for (const at of instants) {
    const got = ids(await all(null, `open_now=1&at=${encodeURIComponent(at)}`));
    const want = ids(demo.filter((s) => openAt(s.hours, at) === true));
    assert.deepEqual(got, want, `open at ${at}`);
  }
  const office = named(demo, '惠企政策一对一解读');
  const lab = named(demo, '光纤光缆性能检测');
  const hub = named(demo, '园区物流集散与仓储');
  const at = async (s, when) => ok(null, `/api/v1/services/${s.id}?at=${encodeURIComponent(when)}`);
  assert.equal((await at(office, '2026-12-07T09:00:00+08:00')).open_now, true);
  assert.equal((await at(office, '2026-12-07T12:15:00+08:00')).open_now, false);
  // The lab takes samples through the weeknights; the office does not.
  assert.equal((await at(lab, '2026-12-08T02:00:00+08:00')).open_now, true);
  assert.equal((await at(office, '2026-12-08T02:00:00+08:00')).open_now, false);
  // The hub's night deliveries run past midnight, Sunday into Monday.
  assert.equal((await at(hub, '2026-12-07T04:30:00+08:00')).open_now, true);
  assert.equal((await at(hub, '2026-12-07T05:30:00+08:00')).open_now, false);
  // National Day closes the office; the Saturday worked instead opens it.
  const holiday = await at(office, '2026-10-01T10:00:00+08:00');
  assert.equal(holiday.open_now, false);
  assert.equal(holiday.hours_today.exception, '国庆节');
  assert.equal(holiday.hours_today.closed, true);
  const worked = await at(office, '2026-10-10T09:00:00+08:00');
  assert.equal(worked.open_now, true);
  assert.deepEqual(worked.hours_today.spans, ['08:30-11:30', '13:30-17:00']);
  // By appointment only: unknown, never in an open_now list.
  const byAppointment = named(demo, '红领课堂');
  assert.equal(byAppointment.open_now, null);
  assert.equal(byAppointment.hours_today, null);
});

const body = (extra = {}) => ({
  name_zh: `企业数字化转型诊断${uniq()}`, name_en: 'Digital transformation check-up',
  description_zh: '上门评估企业信息化水平，给出数字化改造路线图。', description_en: 'An on-site assessment of the firm\'s IT and a road map.',
  category: 'testing_technology', eligibility: '园区中小企业', fees: '免费', languages: ['zh', 'en'],
  documents: ['企业基本情况表'], url: 'https://example.cn/digital', email: 'digital@zhangyan.example.cn', phone: '021-57211188',
  deadline_hours: 96, last_verified: day(-3),
  locations: [{ name: '张堰镇企业服务中心', address: '上海市金山区张堰镇新办路28号', lon: 121.2948, lat: 30.8121 }],
  contacts: [{ name: '沈佳', title: '数字化顾问', phone: '021-57211188', email: 'shen@zhangyan.example.cn' }],
  hours: { weekly: [{ byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' }],
    exceptions: [{ valid_from: '2026-10-01', valid_to: '2026-10-07', closed: true, description: '国庆节' }] },
  ...extra,
});
const office = named(demo, '惠企政策一对一解读');
const ORG = office.provider.id; // 张堰镇企业服务办公室

test('officers keep the catalogue: create, change under If-Match, retire; each change audited', async () => {
  const c = await officer.call('POST', '/api/v1/services', body({ provider_id: ORG }));
  assert.equal(c.status, 201, c.text);
  assert.equal(c.headers.get('location'), `/api/v1/services/${c.json.id}`);
  assert.match(c.headers.get('etag'), /^"v1(-gz)?"$/);
  const id = c.json.id;
  assert.equal(c.json.status, 'active');
  assert.equal(c.json.jurisdiction.code, '310116103');
  assert.equal(c.json.department.name, '企业服务办');
  assert.deepEqual(c.json.languages, ['zh', 'en']);
  assert.equal(c.json.hours.exceptions[0].description, '国庆节');
  // The public reads it as written.
  const pub = await ok(null, `/api/v1/services/${id}`);
  assert.deepEqual({ ...pub, open_now: null, hours_today: null }, { ...c.json, open_now: null, hours_today: null });
  // A change needs the version read.
  const noTag = await officer.call('PATCH', `/api/v1/services/${id}`, { fees: '每次200元' });
  assert.equal(noTag.status, 428);
  assert.equal(noTag.json.error.code, 'if_match_required');
  const stale = await officer.call('PATCH', `/api/v1/services/${id}`, { fees: '每次200元' }, { 'If-Match': '"v7"' });
  assert.equal(stale.status, 412);
  assert.equal(stale.json.error.code, 'stale_version');
  const p = await officer.call('PATCH', `/api/v1/services/${id}`, { fees: '每次200元', email: null, contacts: [] }, { 'If-Match': '"v1"' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.version, 2);
  assert.equal(p.json.fees, '每次200元');
  assert.equal(p.json.email, '');
  assert.deepEqual(p.json.contacts, []);
  assert.equal(p.json.name_zh, c.json.name_zh, 'a field absent keeps its value');
  // Inactive: kept, not listed.
  const off = await officer.call('PATCH', `/api/v1/services/${id}`, { status: 'inactive' }, { 'If-Match': '"v2"' });
  assert.equal(off.json.status, 'inactive');
  assert.equal((await anon('GET', `/api/v1/services/${id}`)).status, 404);
  assert.ok(ids(await all(officer, 'status=inactive')).includes(id));
  const on = await officer.call('PATCH', `/api/v1/services/${id}`, { status: 'active' }, { 'If-Match': '*' });
  assert.equal(on.json.status, 'active');
  // A new name and new hours are what the search and open now answer from.
  const find = async (q, extra = '') => ids(await all(null, `q=${encodeURIComponent(q)}${extra}`));
  const oldWord = c.json.name_zh.slice(0, 2);
  assert.ok((await find(c.json.name_zh)).includes(id));
  const renamed = await officer.call('PATCH', `/api/v1/services/${id}`, {
    name_zh: `鹭洲周末沙龙${uniq()}`, hours: { weekly: [{ byday: 'SA,SU', opens_at: '09:00', closes_at: '12:00' }] },
  }, { 'If-Match': '*' });
  assert.equal(renamed.status, 200, renamed.text);
  assert.deepEqual(await find('鹭洲'), [id]);
  assert.deepEqual(await find('鹭'), [id]);
  assert.ok(!(await find(c.json.name_zh)).includes(id));
  assert.equal((await find(oldWord)).includes(id), matches(renamed.json, oldWord));
  assert.deepEqual(await find('鹭洲', `&open_now=1&at=${encodeURIComponent('2026-12-05T10:00:00+08:00')}`), [id]);
  assert.deepEqual(await find('鹭洲', `&open_now=1&at=${encodeURIComponent('2026-12-07T10:00:00+08:00')}`), []);
  // Retirement records its reason; a second one changes nothing.
  const noReason = await officer.call('POST', `/api/v1/services/${id}/retire`, {});
  assert.equal(noReason.status, 422);
  assert.equal(noReason.json.error.field, 'reason');
  const r = await officer.call('POST', `/api/v1/services/${id}/retire`, { reason: '并入企业服务中心综合窗口' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'retired');
  assert.equal(r.json.status_reason, '并入企业服务中心综合窗口');
  const again = await officer.call('POST', `/api/v1/services/${id}/retire`, { reason: '再次' });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'no_change');
  assert.equal((await anon('GET', `/api/v1/services/${id}`)).status, 404);
  assert.ok(!ids(await all(null)).includes(id));
  // A retired service comes back only as active, through a change.
  const back = await officer.call('PATCH', `/api/v1/services/${id}`, { status: 'retired' }, { 'If-Match': '*' });
  assert.equal(back.status, 422);
  assert.equal(back.json.error.code, 'use_retire');
  const audit = (await ok(admin, `/api/v1/audit?entity=service&entity_id=${id}`)).items.map((a) => a.action);
  assert.deepEqual(audit, ['retire', 'update', 'update', 'update', 'update', 'create']);
});

test('bad input is refused naming the field and the rule, and nothing is written', async () => {
  const long = (n) => '长'.repeat(n);
  const cases = [
    [{ category: 'banking' }, 'category', 'invalid_enum'],
    [{ category: undefined }, 'category', 'required'],
    [{ provider_id: 999999 }, 'provider_id', 'unknown_provider'],
    [{ provider_id: undefined }, 'provider_id', 'required'],
    [{ provider_id: 'seven' }, 'provider_id', 'wrong_type'],
    [{ hours: { weekly: [{ byday: 'MO', opens_at: '09:00', closes_at: '25:00' }] } }, 'hours.weekly[0].closes_at', 'invalid_time'],
    [{ hours: { weekly: [{ byday: 'MO', opens_at: '12:60', closes_at: '13:00' }] } }, 'hours.weekly[0].opens_at', 'invalid_time'],
    [{ hours: { weekly: [{ byday: 'MO,TU', opens_at: '08:00', closes_at: '12:00' }, { byday: 'TU', opens_at: '11:00', closes_at: '14:00' }] } },
      'hours.weekly[1]', 'hours_overlap'],
    [{ hours: { weekly: [{ byday: 'SU', opens_at: '22:00', closes_at: '06:00' }, { byday: 'MO', opens_at: '05:00', closes_at: '09:00' }] } },
      'hours.weekly[1]', 'hours_overlap'],
    [{ hours: { weekly: [{ byday: 'MO', opens_at: '09:00', closes_at: '09:00' }] } }, 'hours.weekly[0].closes_at', 'empty_span'],
    [{ hours: { weekly: [{ byday: 'MON', opens_at: '09:00', closes_at: '10:00' }] } }, 'hours.weekly[0].byday', 'invalid_enum'],
    [{ hours: { exceptions: [{ valid_from: '2026-10-07', valid_to: '2026-10-01', closed: true }] } }, 'hours.exceptions[0].valid_to', 'before_since'],
    [{ hours: { exceptions: [{ valid_from: '2026-10-01', valid_to: '2026-10-01', closed: true, opens_at: '09:00' }] } },
      'hours.exceptions[0].opens_at', 'not_allowed'],
    [{ hours: { exceptions: [{ valid_from: '2026-10-01', valid_to: '2026-10-03', closed: true }, { valid_from: '2026-10-02', valid_to: '2026-10-02', closed: true }] } },
      'hours.exceptions[1]', 'hours_overlap'],
    [{ hours: { exceptions: [{ valid_from: '2026-13-01', valid_to: '2026-13-01', closed: true }] } }, 'hours.exceptions[0].valid_from', 'invalid_date'],
    [{ hours: [] }, 'hours', 'wrong_type'],
    [{ phone: '打电话' }, 'phone', 'invalid_phone'],
    [{ contacts: [{ name: '沈佳', phone: '12' }] }, 'contacts[0].phone', 'invalid_phone'],
    [{ contacts: [{ name: '沈佳', email: 'shen@' }] }, 'contacts[0].email', 'invalid_email'],
    [{ contacts: [{ name: '沈佳' }] }, 'contacts[0].phone', 'required'],
    [{ contacts: [{ name: '沈佳', phone: '021-57211188', fax: '1' }] }, 'contacts[0]', 'unknown_field'],
    [{ contacts: Array.from({ length: 9 }, () => ({ name: '沈佳', phone: '021-57211188' })) }, 'contacts', 'too_many'],
    [{ email: 'digital at zhangyan' }, 'email', 'invalid_email'],
    [{ url: 'ftp://example.cn' }, 'url', 'invalid_url'],
    [{ name_zh: long(101) }, 'name_zh', 'too_long'],
    [{ description_zh: long(2001) }, 'description_zh', 'too_long'],
    [{ eligibility: long(1001) }, 'eligibility', 'too_long'],
    [{ documents: [long(101)] }, 'documents[0]', 'too_long'],
    [{ name_zh: '名称\u0007' }, 'name_zh', 'control_character'],
    [{ deadline_hours: 0 }, 'deadline_hours', 'out_of_range'],
    [{ deadline_hours: 1.5 }, 'deadline_hours', 'wrong_type'],
    [{ languages: ['Chinese'] }, 'languages[0]', 'invalid_code'],
    [{ locations: [{ address: '张堰镇', lon: 121.29 }] }, 'locations[0].lat', 'required'],
    [{ locations: [{ address: '张堰镇', lon: 221.29, lat: 30.8 }] }, 'locations[0].lon', 'out_of_range'],
    [{ last_verified: day(1) }, 'last_verified', 'in_future'],
    [{ last_verified: '2026-02-30' }, 'last_verified', 'invalid_date'],
    [{ status: 'pending' }, 'status', 'invalid_enum'],
    [{ status: 'retired' }, 'status', 'use_retire'],
    [{ jurisdiction: '999999' }, 'jurisdiction', 'unknown_jurisdiction'],
    [{ color: 'red' }, 'color', 'unknown_field'],
  ];
  const before = await snapshot();
  for (const [extra, field, code] of cases) {
    const b = body({ provider_id: ORG, ...extra });
    for (const k of Object.keys(extra)) if (extra[k] === undefined) delete b[k];
    const r = await officer.call('POST', '/api/v1/services', b);
    assert.equal(r.status, 422, `${field} ${code}: ${r.text}`);
    const all = [r.json.error, ...(r.json.error.errors || [])];
    assert.ok(all.some((e) => e.field === field && e.code === code), `${field} ${code}: ${r.text}`);
    assert.ok(r.json.error.message.includes(field), `the message names ${field}: ${r.json.error.message}`);
  }
  // Every broken rule at once.
  const many = await officer.call('POST', '/api/v1/services', body({ provider_id: ORG, category: 'x', phone: 'x', name_zh: long(101) }));
  assert.equal(many.status, 422);
  const fields = new Set([many.json.error.field, ...(many.json.error.errors || []).map((e) => e.field)]);
  for (const f of ['category', 'phone', 'name_zh']) assert.ok(fields.has(f), `${f} listed: ${many.text}`);
  // Malformed bodies.
  const bad = await officer.call('POST', '/api/v1/services', '{"name_zh": ');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.code, 'malformed_json');
  const typed = await officer.call('POST', '/api/v1/services', 'name_zh=x', { 'Content-Type': 'text/plain' });
  assert.equal(typed.status, 415);
  // The same rules on a change, and nothing of it stays.
  const target = named(demo, '合同审查');
  for (const [extra, field, code] of [[{ hours: { weekly: [{ byday: 'MO', opens_at: '25:00', closes_at: '26:00' }] } }, 'hours.weekly[0].opens_at', 'invalid_time'],
    [{ contacts: [{ name: '韩律师', phone: 'abc' }] }, 'contacts[0].phone', 'invalid_phone'],
    [{ category: 'law' }, 'category', 'invalid_enum'], [{ provider_id: 424242 }, 'provider_id', 'unknown_provider']]) {
    const r = await officer.call('PATCH', `/api/v1/services/${target.id}`, extra, { 'If-Match': '*' });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.field, field);
    assert.equal(r.json.error.code, code);
  }
  // Organisations too.
  for (const [b, field, code] of [[{ name_zh: '某机构', kind: 'casino' }, 'kind', 'invalid_enum'],
    [{ name_zh: '某机构', kind: 'bank', department_id: 9999 }, 'department_id', 'unknown_department'],
    [{ name_zh: '某机构', kind: 'bank', website: 'bank.example.cn' }, 'website', 'invalid_url'],
    [{ name_zh: '某机构', kind: 'bank', phone: '5721' }, 'phone', 'invalid_phone'],
    [{ name_zh: '某机构', kind: 'bank', email: 'x' }, 'email', 'invalid_email'],
    [{ name_zh: '某机构', kind: 'enterprise', enterprise_id: 999999 }, 'enterprise_id', 'unknown_enterprise'],
    [{ name_zh: '某机构', kind: 'bank', cluster_id: 999 }, 'cluster_id', 'unknown_cluster'],
    [{ kind: 'bank' }, 'name_zh', 'required'],
    [{ name_zh: '某机构', kind: 'bank', tax_id: '1' }, 'tax_id', 'unknown_field']]) {
    const r = await officer.call('POST', '/api/v1/organisations', b);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.field, field, r.text);
    assert.equal(r.json.error.code, code, r.text);
  }
  assert.equal(await snapshot(), before, 'nothing was written');
});

test('roles and jurisdictions: who keeps which services, and a town\'s officer sees its own and its district\'s', async () => {
  const b = body({ provider_id: ORG });
  assert.equal((await anon('POST', '/api/v1/services', b)).status, 401);
  for (const c of [handler, secretary, handler2]) {
    const r = await c.call('POST', '/api/v1/services', b);
    assert.equal(r.status, 403, r.text);
    assert.equal(r.json.error.code, 'forbidden');
  }
  assert.equal((await handler.call('PATCH', `/api/v1/services/${office.id}`, { fees: 'x' }, { 'If-Match': '*' })).status, 403);
  assert.equal((await qifan.call('POST', `/api/v1/services/${office.id}/retire`, { reason: 'x' })).status, 403);
  // Zhujing's officer lists the services Zhujing sees: the district's
  // (defined above it) and the city's, none of Zhangyan's.
  const district = demo.filter((s) => s.jurisdiction.code === '310116');
  assert.ok(district.length >= 2, 'the demo has district services');
  const seen = await all(zhujing);
  assert.deepEqual(ids(seen), ids(demo.filter((s) => ['310116', '310000'].includes(s.jurisdiction.code))));
  assert.deepEqual(ids(await all(null, 'jurisdiction=310116101')), ids(seen), 'the public narrowed to Zhujing sees the same');
  assert.equal((await zhujing.call('GET', `/api/v1/services/${office.id}`)).status, 404);
  // It cannot change Zhangyan's (not even see it), nor the district's.
  const other = await zhujing.call('PATCH', `/api/v1/services/${office.id}`, { fees: '免费' }, { 'If-Match': '*' });
  assert.equal(other.status, 404);
  const above = await zhujing.call('PATCH', `/api/v1/services/${district[0].id}`, { fees: '免费' }, { 'If-Match': '*' });
  assert.equal(above.status, 403);
  assert.equal(above.json.error.code, 'outside_scope');
  // Nor put a service in Zhangyan, nor name Zhangyan's provider.
  const there = await zhujing.call('POST', '/api/v1/services', { ...b, jurisdiction: '310116103' });
  assert.equal(there.status, 403);
  assert.equal(there.json.error.code, 'outside_scope');
  const theirs = await zhujing.call('POST', '/api/v1/services', b);
  assert.equal(theirs.status, 422);
  assert.equal(theirs.json.error.field, 'provider_id');
  assert.equal(theirs.json.error.code, 'unknown_provider');
  // A provider of the district serves Zhujing: its service is Zhujing's.
  const fund = named(demo, '政策性融资担保').provider.id;
  const own = await zhujing.call('POST', '/api/v1/services', { ...b, provider_id: fund });
  assert.equal(own.status, 201, own.text);
  assert.equal(own.json.jurisdiction.code, '310116101');
  assert.ok(!ids(await all(zhangyan)).includes(own.json.id), 'Zhangyan does not see Zhujing\'s service');
  assert.ok(ids(await all(zhangyan)).includes(district[0].id), 'Zhangyan sees the district\'s');
  // Zhangyan's officer reads the district's services but changes only its own.
  const up = await zhangyan.call('PATCH', `/api/v1/services/${district[0].id}`, { fees: '免费' }, { 'If-Match': '*' });
  assert.equal(up.status, 403);
  assert.equal(up.json.error.code, 'outside_scope');
  assert.equal((await zhangyan.call('PATCH', `/api/v1/services/${office.id}`, { last_verified: day(0) }, { 'If-Match': '*' })).status, 200);
  // The district's officer keeps every town's.
  assert.equal((await jinshan.call('PATCH', `/api/v1/services/${own.json.id}`, { fees: '免费' }, { 'If-Match': '*' })).status, 200);
  assert.equal((await jinshan.call('PATCH', `/api/v1/services/${office.id}`, { fees: '免费' }, { 'If-Match': '*' })).status, 200);
});

test('an enterprise offers a resource of its own; an officer approves it before it is listed', async () => {
  const offer = {
    name_zh: `电缆火灾燃烧性能试验${uniq()}`, description_zh: '起帆检测实验室为合作伙伴开放成束燃烧试验。', category: 'testing_technology',
    hours: { weekly: [{ byday: 'MO,WE,FR', opens_at: '09:00', closes_at: '16:00' }] },
  };
  const o = await qifan.call('POST', '/api/v1/services', offer);
  assert.equal(o.status, 201, o.text);
  const id = o.json.id;
  assert.equal(o.json.status, 'pending');
  assert.equal(o.json.offered_by, 1);
  assert.equal(o.json.provider.kind, 'enterprise');
  assert.equal(o.json.provider.id, named(demo, '光纤光缆性能检测').provider.id, 'the enterprise\'s one organisation');
  // What an offer may not say.
  for (const [extra, field] of [[{ provider_id: ORG }, 'provider_id'], [{ status: 'active' }, 'status'], [{ jurisdiction: '310116101' }, 'jurisdiction']]) {
    const r = await qifan.call('POST', '/api/v1/services', { ...offer, ...extra });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.field, field);
    assert.equal(r.json.error.code, 'unknown_field');
  }
  // Pending: its own enterprise and the staff see it, nobody else.
  assert.equal((await anon('GET', `/api/v1/services/${id}`)).status, 404);
  assert.equal((await firm2.call('GET', `/api/v1/services/${id}`)).status, 404);
  assert.equal((await qifan.call('GET', `/api/v1/services/${id}`)).status, 200);
  assert.equal((await handler.call('GET', `/api/v1/services/${id}`)).status, 200);
  assert.ok(!ids(await all(null)).includes(id));
  assert.ok(ids(await all(qifan, 'status=pending')).includes(id));
  assert.deepEqual(ids(await all(firm2, 'status=pending')), []);
  assert.equal((await firm2.call('GET', '/api/v1/services?offered_by=1')).status, 403);
  assert.ok(ids(await all(officer, 'status=pending')).includes(id));
  // Another enterprise's first offer makes its organisation.
  const f2 = await firm2.call('POST', '/api/v1/services', { ...offer, name_zh: `协益仓储共享${uniq()}`, category: 'logistics' });
  assert.equal(f2.status, 201, f2.text);
  assert.equal(f2.json.provider.kind, 'enterprise');
  assert.notEqual(f2.json.provider.id, o.json.provider.id);
  // Approval: officers of its place; a department for requests.
  assert.equal((await handler.call('POST', `/api/v1/services/${id}/approve`, {})).status, 403);
  assert.equal((await zhujing.call('POST', `/api/v1/services/${id}/approve`, {})).status, 404);
  const noDept = await officer.call('POST', `/api/v1/services/${f2.json.id}/approve`, {});
  assert.equal(noDept.status, 422);
  assert.equal(noDept.json.error.field, 'department_id');
  assert.equal(noDept.json.error.code, 'required');
  const elsewhere = await officer.call('POST', `/api/v1/services/${f2.json.id}/approve`, { department_id: 7 });
  assert.equal(elsewhere.status, 422);
  assert.equal(elsewhere.json.error.code, 'department_elsewhere');
  const a = await officer.call('POST', `/api/v1/services/${id}/approve`, {});
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.status, 'active');
  assert.ok(a.json.approved_at);
  assert.equal(a.json.department.name, '企业服务办');
  const twice = await officer.call('POST', `/api/v1/services/${id}/approve`, {});
  assert.equal(twice.status, 409);
  assert.equal(twice.json.error.code, 'not_pending');
  assert.equal((await anon('GET', `/api/v1/services/${id}`)).status, 200);
  const f2a = await officer.call('POST', `/api/v1/services/${f2.json.id}/approve`, { department_id: 3 });
  assert.equal(f2a.status, 200, f2a.text);
  assert.equal(f2a.json.department.name, '城市运输中心');
  const audit = (await ok(admin, `/api/v1/audit?entity=service&entity_id=${id}`)).items.map((x) => x.action);
  assert.deepEqual(audit, ['approve', 'offer']);
});

test('a request becomes a case of its own kind, routed to the provider\'s department with the service\'s time limit', async () => {
  const lab = named(demo, '新材料分析测试'); // the university's, answered by the economic park
  assert.equal(lab.department.name, '经济园区');
  const r = await qifan.call('POST', `/api/v1/services/${lab.id}/request`, { text: '委托测试两款护套料的热稳定性' }, { 'Idempotency-Key': `req-${uniq()}` });
  assert.equal(r.status, 201, r.text);
  const c = r.json.case;
  assert.equal(r.headers.get('location'), `/api/v1/cases/${c.id}`);
  assert.equal(c.kind, 'service_request');
  assert.equal(c.department.name, '经济园区');
  assert.equal(c.department.id, lab.department.id);
  assert.deepEqual(c.service, { id: lab.id, name_zh: lab.name_zh, name_en: lab.name_en });
  assert.equal(c.enterprise.id, 1);
  assert.equal(c.state, 'submitted');
  assert.equal(c.public, false);
  assert.equal(Date.parse(c.deadline) - Date.parse(c.created_at), lab.deadline_hours * 3600e3);
  assert.match(r.json.tracking_code, /^[2-9A-HJKMNP-Z]{10}$/);
  // The handling department reads it, as the answer told it (the answer
  // is made from what was written, not read again); another department
  // does not.
  const read = await handler.call('GET', `/api/v1/cases/${c.id}`);
  assert.equal(read.status, 200);
  for (const [k, v] of Object.entries(c)) assert.deepEqual(v, read.json.case[k], k);
  assert.equal((await handler2.call('GET', `/api/v1/cases/${c.id}`)).status, 404);
  assert.equal((await firm2.call('GET', `/api/v1/cases/${c.id}`)).status, 404);
  const mine = (await ok(qifan, '/api/v1/cases?kind=service_request&limit=100')).items;
  assert.ok(mine.some((x) => x.id === c.id));
  assert.ok(mine.every((x) => x.kind === 'service_request' && x.service));
  // Followed and rated as every case is.
  for (const [who, to] of [[officer, 'accepted'], [officer, 'assigned'], [handler, 'in_progress'], [handler, 'resolved']]) {
    const m = await who.call('POST', `/api/v1/cases/${c.id}/transition`, { to, note: '处理' });
    assert.equal(m.status, 200, `${to}: ${m.text}`);
  }
  const under = await officer.call('POST', `/api/v1/cases/${c.id}/transition`, { to: 'under_review' });
  assert.equal(under.status, 409);
  const rate = await qifan.call('POST', `/api/v1/cases/${c.id}/rating`, { rating: 5, note: '检测很及时' });
  assert.equal(rate.status, 200, rate.text);
  assert.equal(rate.json.case.rating, 5);
  // A retry with the same key is the same case.
  const key = `req-${uniq()}`;
  const first = await qifan.call('POST', `/api/v1/services/${office.id}/request`, {}, { 'Idempotency-Key': key });
  const retry = await qifan.call('POST', `/api/v1/services/${office.id}/request`, {}, { 'Idempotency-Key': key });
  assert.equal(first.status, 201, first.text);
  assert.equal(retry.status, 200);
  assert.equal(retry.json.replayed, true);
  assert.equal(retry.json.case.id, first.json.case.id);
  assert.match(first.json.case.text, /惠企政策一对一解读/, 'a request without a text names its service');
  assert.equal(first.json.case.department.name, '企业服务办');
  // Officers request for an enterprise; it is named.
  const forIt = await officer.call('POST', `/api/v1/services/${office.id}/request`, { enterprise_id: 1, text: '代企业申请' });
  assert.equal(forIt.status, 201, forIt.text);
  assert.equal(forIt.json.case.enterprise.id, 1);
  assert.equal(forIt.json.case.kind, 'service_request');
  const noFirm = await officer.call('POST', `/api/v1/services/${office.id}/request`, { text: '代企业申请' });
  assert.equal(noFirm.status, 422);
  assert.equal(noFirm.json.error.field, 'enterprise_id');
  assert.equal(noFirm.json.error.code, 'required');
  const ghost = await officer.call('POST', `/api/v1/services/${office.id}/request`, { enterprise_id: 999999 });
  assert.equal(ghost.status, 422);
  assert.equal(ghost.json.error.code, 'unknown_enterprise');
  // Refusals: another enterprise's name, roles that do not request,
  // Zhujing's officer for Zhangyan's firm, a service that takes none.
  const before = await snapshot();
  assert.equal((await qifan.call('POST', `/api/v1/services/${office.id}/request`, { enterprise_id: 2 })).status, 403);
  assert.equal((await handler.call('POST', `/api/v1/services/${office.id}/request`, { enterprise_id: 1 })).status, 403);
  assert.equal((await anon('POST', `/api/v1/services/${office.id}/request`, {})).status, 401);
  const fund = named(demo, '政策性融资担保');
  const far = await zhujing.call('POST', `/api/v1/services/${fund.id}/request`, { enterprise_id: 1 });
  assert.equal(far.status, 422);
  assert.equal(far.json.error.code, 'unknown_enterprise');
  const extra = await qifan.call('POST', `/api/v1/services/${office.id}/request`, { priority: 'high' });
  assert.equal(extra.status, 422);
  assert.equal(extra.json.error.code, 'unknown_field');
  const retired = await officer.call('POST', '/api/v1/services', body({ provider_id: ORG }));
  assert.equal(retired.status, 201);
  const after = await snapshot();
  assert.equal((await officer.call('POST', `/api/v1/services/${retired.json.id}/retire`, { reason: '停办' })).status, 200);
  const closed = await officer.call('POST', `/api/v1/services/${retired.json.id}/request`, { enterprise_id: 1 });
  assert.equal(closed.status, 409);
  assert.equal(closed.json.error.code, 'service_not_active');
  assert.equal((await qifan.call('POST', `/api/v1/services/${retired.json.id}/request`, {})).status, 404);
  // Cases of the kind are made on a service only.
  const byHand = await qifan.call('POST', '/api/v1/cases', { kind: 'service_request', category: 'service_request', text: '直接申请' });
  assert.equal(byHand.status, 422);
  assert.equal(byHand.json.error.field, 'kind');
  assert.equal(byHand.json.error.code, 'invalid_enum');
  assert.notEqual(before, after);
  const cases = JSON.parse(await snapshot()).cases;
  assert.equal(cases, JSON.parse(before).cases, 'no refused request made a case');
});

test('organisations: providers with their department, kept by officers under If-Match', async () => {
  const banks = (await ok(officer, '/api/v1/organisations?kind=bank')).items;
  assert.ok(banks.length >= 1 && banks.every((o) => o.kind === 'bank'));
  assert.ok(banks[0].services >= 1, 'it counts its services');
  assert.equal((await officer.call('GET', '/api/v1/organisations?kind=shop')).status, 400);
  const c = await officer.call('POST', '/api/v1/organisations', {
    name_zh: '上海张堰知识产权服务中心', name_en: 'Zhangyan IP Service Centre', kind: 'service_firm',
    description: '专利申请与商标注册代理', website: 'https://ip.example.cn', email: 'ip@example.cn', phone: '021-57218888', department_id: 1,
  });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.department.name, '企业服务办');
  assert.equal(c.json.jurisdiction.code, '310116103');
  const got = await ok(officer, `/api/v1/organisations/${c.json.id}`);
  assert.equal(got.website, 'https://ip.example.cn');
  assert.equal((await officer.call('PATCH', `/api/v1/organisations/${c.json.id}`, { phone: '021-57218889' })).status, 428);
  const p = await officer.call('PATCH', `/api/v1/organisations/${c.json.id}`, { phone: '021-57218889', department_id: null }, { 'If-Match': '"v1"' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.phone, '021-57218889');
  assert.equal(p.json.department, null);
  // A provider without a department lists no active service.
  const s = await officer.call('POST', '/api/v1/services', body({ provider_id: c.json.id }));
  assert.equal(s.status, 422);
  assert.equal(s.json.error.field, 'provider_id');
  const inactive = await officer.call('POST', '/api/v1/services', body({ provider_id: c.json.id, status: 'inactive' }));
  assert.equal(inactive.status, 201, inactive.text);
  assert.equal((await qifan.call('GET', `/api/v1/organisations/${c.json.id}`)).status, 403);
  assert.equal((await handler.call('POST', '/api/v1/organisations', { name_zh: 'x', kind: 'bank' })).status, 403);
  // Zhujing's officer does not see Zhangyan's, nor change the district's.
  assert.equal((await zhujing.call('GET', `/api/v1/organisations/${c.json.id}`)).status, 404);
  const fund = named(demo, '政策性融资担保').provider.id;
  const up = await zhujing.call('PATCH', `/api/v1/organisations/${fund}`, { phone: '021-57926699' }, { 'If-Match': '*' });
  assert.equal(up.status, 403);
  assert.equal(up.json.error.code, 'outside_scope');
});

test('GET /hsds/services: the active catalogue in HSDS 3.0\'s shape, page by page', async () => {
  const active = await all(null);
  const first = await anon('GET', '/hsds/services?per_page=10');
  assert.equal(first.status, 200);
  assert.match(first.headers.get('content-type'), /^application\/json/);
  const p = first.json;
  for (const k of ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents'])
    assert.ok(k in p, `page has ${k}`);
  assert.equal(p.total_items, active.length);
  assert.equal(p.total_pages, Math.ceil(active.length / 10));
  assert.equal(p.page_number, 1);
  assert.equal(p.first_page, true);
  assert.equal(p.last_page, false);
  assert.equal(p.empty, false);
  const seen = [];
  for (let page = 1; page <= p.total_pages; page++) {
    const j = (await anon('GET', `/hsds/services?per_page=10&page=${page}`)).json;
    assert.equal(j.page_number, page);
    assert.equal(j.last_page, page === p.total_pages);
    seen.push(...j.contents);
  }
  assert.deepEqual(seen.map((s) => Number(s.id.replace('svc-', ''))).sort((a, b) => a - b), ids(active));
  const byId = new Map(active.map((s) => [`svc-${s.id}`, s]));
  for (const h of seen) {
    const s = byId.get(h.id);
    assert.equal(typeof h.id, 'string');
    assert.equal(h.name, s.name_zh);
    assert.equal(h.alternate_name, s.name_en);
    assert.equal(h.description, s.description_zh);
    assert.equal(h.status, 'active');
    assert.equal(h.organization_id, `org-${s.provider.id}`);
    assert.equal(h.organization.id, h.organization_id);
    assert.equal(h.organization.name, s.provider.name_zh);
    assert.equal(h.eligibility_description, s.eligibility);
    assert.equal(h.fees_description, s.fees);
    assert.equal(h.assured_date, s.last_verified);
    assert.deepEqual(h.languages.map((l) => l.code), s.languages);
    assert.deepEqual(h.required_documents.map((d) => d.document), s.documents);
    assert.equal(h.attributes[0].taxonomy_term.code, s.category.code);
    assert.equal(h.attributes[0].taxonomy_term.taxonomy, 'qunyan-resource-list');
    // Phones: the service's line and each contact's, linked to it.
    const numbers = [...(s.phone ? [s.phone] : []), ...s.contacts.filter((c) => c.phone).map((c) => c.phone)];
    assert.deepEqual(h.phones.map((x) => x.number), numbers);
    assert.deepEqual(h.contacts.map((c) => c.name), s.contacts.map((c) => c.name));
    for (const c of h.contacts) for (const ph of c.phones) assert.equal(ph.contact_id, c.id);
    // Schedules: the weekly rules, then the exceptions for their dates.
    assert.equal(h.schedules.length, s.hours.weekly.length + s.hours.exceptions.length);
    for (const [i, r] of s.hours.weekly.entries()) {
      const x = h.schedules[i];
      assert.equal(x.freq, 'WEEKLY');
      assert.equal(x.byday, r.byday);
      assert.equal(x.opens_at, `${r.opens_at}+08:00`);
      assert.equal(x.closes_at, `${r.closes_at}+08:00`);
    }
    for (const [i, e] of s.hours.exceptions.entries()) {
      const x = h.schedules[s.hours.weekly.length + i];
      assert.equal(x.valid_from, e.valid_from);
      assert.equal(x.valid_to, e.valid_to);
      assert.equal(x.notes, e.closed ? 'closed' : 'open');
      assert.equal('opens_at' in x, !e.closed);
    }
    assert.equal(h.service_at_locations.length, s.locations.length);
    for (const [i, at] of h.service_at_locations.entries()) {
      assert.equal(at.location_id, at.location.id);
      assert.equal(at.location.latitude, s.locations[i].lat);
      assert.equal(at.location.longitude, s.locations[i].lon);
      assert.equal(at.location.addresses[0].address_1, s.locations[i].address);
      assert.equal(at.location.addresses[0].country, 'CN');
      assert.equal(at.location.addresses[0].city, '上海市');
    }
  }
  // Filters as the catalogue's, and the page past the end is empty.
  const fin = (await anon('GET', '/hsds/services?category=financing')).json;
  assert.equal(fin.total_items, active.filter((s) => s.category.code === 'financing').length);
  const beyond = (await anon('GET', `/hsds/services?per_page=10&page=${p.total_pages + 1}`)).json;
  assert.deepEqual(beyond.contents, []);
  assert.equal(beyond.last_page, true);
  const none = (await anon('GET', `/hsds/services?q=${encodeURIComponent('不存在的服务')}`)).json;
  assert.equal(none.empty, true);
  assert.equal(none.total_items, 0);
  for (const q of ['page=0', 'per_page=500', 'category=x']) {
    const r = await anon('GET', `/hsds/services?${q}`);
    assert.equal(r.status, 400, q);
  }
  // Only GET.
  assert.equal((await anon('POST', '/hsds/services', {})).status, 405);
});
