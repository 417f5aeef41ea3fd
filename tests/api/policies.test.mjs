// Policy measures against a real server: the demo's measures matched for
// Qifan Cable with their reasons (qualified with the benefit worked out
// again here from its own figures, nearly with the gap, unknown with the
// facts missing); a measure's eligible list against an independent
// evaluation over the registry; the rule check; refusals that name the
// field and the rule and write nothing; jurisdictions (a town officer of
// another town, a district's measure serving its towns); re-matching
// after an indicator or a record changes, told through the outbox;
// applications step by step, each step audited, the decision keeping its
// rule version; a batch of automatic grants confirmed with a line removed.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { start, login, cli, PASSWORD } from '../lib/server.mjs';

const srv = await start({ args: ['--maintenance-seconds', '1', '--webhook-timeout', '2'] });
let receiver;
test.after(async () => {
  if (receiver) await new Promise((r) => receiver.close(r));
  await srv.stop();
});
{
  const r = cli(['user', 'add', 'firm2', '--role', 'enterprise', '--enterprise', '2', '--name', '协益联系人', '--db', srv.db],
    { env: { ...process.env, QUNYAN_PASSWORD: PASSWORD } });
  assert.equal(r.status, 0, r.stderr);
}
const officer = await login(srv.url, 'officer');
const admin = await login(srv.url, 'admin');
const qifan = await login(srv.url, 'qifan'); // enterprise 1, Zhangyan
const firm2 = await login(srv.url, 'firm2'); // enterprise 2, Zhangyan
const handler = await login(srv.url, 'handler');
const zhujing = await login(srv.url, 'officer.zhujing');
const zhangyan = await login(srv.url, 'officer.zhangyan');
const jinshan = await login(srv.url, 'officer.jinshan');

let serial = 0;
const uniq = () => `${Date.now().toString(36)}${++serial}`;
const ok = async (client, path, status = 200) => {
  const r = await client.call('GET', path);
  assert.equal(r.status, status, `${path}: ${r.text}`);
  return r.json;
};
async function until(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`waited in vain for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The town's calendar (UTC+8): today, the last whole quarter, last year.
const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const [ty, tm] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
const tq = Math.floor((tm - 1) / 3) + 1;
const lastQuarter = tq === 1 ? `${ty - 1}-Q4` : `${ty}-Q${tq - 1}`;
const lastQuarterName = lastQuarter.replace('-', '');
const lastYear = ty - 1;
const age = (founded) => {
  if (!founded) return null;
  const [y, m, d] = founded.split('-').map(Number);
  const [ny, nm, nd] = today.split('-').map(Number);
  return ny - y - (nm < m || (nm === m && nd < d) ? 1 : 0);
};

// Every enterprise of the registry (the demo has a few hundred).
async function everyEnterprise(client = admin) {
  const items = [];
  let cursor = '';
  for (;;) {
    const r = await ok(client, `/api/v1/enterprises?located=all&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...r.items);
    if (!r.next) return items;
    cursor = encodeURIComponent(r.next);
  }
}
const measures = (await ok(officer, '/api/v1/policies')).items;
const byCat = (c) => measures.find((m) => m.category.code === c);
const chain = byCat('chain');
const rd = byCat('rd');
const small = measures.find((m) => m.mode === 'automatic');
const financing = byCat('financing');
const growth = byCat('market');
const putuo = measures.filter((m) => m.jurisdiction.code === '310107');
const gap = measures.find((m) => /makes_gap_node/.test(m.rule)); // Qifan alone makes power cable

const newBody = (over = {}) => ({
  issuer: '张堰镇人民政府', doc_number: `张府发〔2026〕${uniq()}号`, title_zh: `测试措施${uniq()}`, title_en: 'A test measure',
  category: 'market', effective_from: '2020-01-01', jurisdiction: '310116103', mode: 'apply',
  rule: 'status = active', benefit: { amount: 10000 }, documents: ['申请表'], ...over,
});

test('the demo has district and town measures of every mode, in force', () => {
  assert.ok(measures.length >= 7, `${measures.length} measures`);
  assert.ok(chain && rd && small && financing && growth && putuo.length >= 2);
  assert.equal(chain.level, 'town');
  assert.equal(financing.level, 'district');
  assert.equal(financing.jurisdiction.code, '310116');
  assert.ok(measures.every((m) => m.in_force), 'every demo measure is in force');
});

test("Qifan's measures: qualified with the benefit, nearly with the gap, unknown with the missing facts", async () => {
  const m = await ok(qifan, '/api/v1/enterprises/1/policies');
  assert.equal(m.as_of, today);
  const ids = (list) => list.map((x) => x.policy.id);
  assert.deepEqual(ids(m.qualified).sort(), [chain.id, financing.id, gap.id].sort());
  assert.deepEqual(ids(m.nearly), [rd.id]);
  assert.deepEqual(ids(m.unknown), [growth.id]);
  // Putuo's measures serve Putuo, not a Jinshan enterprise.
  for (const p of putuo) assert.ok(![...m.qualified, ...m.nearly, ...m.unknown].some((x) => x.policy.id === p.id));
  // The benefit, worked out here from the enterprise's own figures.
  const ind = (await ok(qifan, '/api/v1/enterprises/1/indicators')).items ?? (await ok(qifan, '/api/v1/enterprises/1/indicators')).indicators;
  const q = ind.find((x) => x.period === lastQuarter);
  assert.ok(q, `a figure for ${lastQuarter}`);
  const c = m.qualified.find((x) => x.policy.id === chain.id);
  assert.equal(c.benefit.amount, Math.min(2e6, 0.01 * q.revenue * 1e4));
  assert.ok(c.criteria.every((k) => !k.top || k.value === 'true'), 'every criterion met');
  assert.equal(m.qualified.find((x) => x.policy.id === financing.id).benefit.amount, 1e6);
  // Nearly: R&D intensity short of 3.5 %, with the gap in both languages.
  const n = m.nearly[0];
  const intensity = q.rd / q.revenue;
  assert.ok(intensity < 0.035 && intensity >= 0.035 * 0.8, `intensity ${intensity}`);
  assert.match(n.gap.en, new RegExp(`^R&D intensity \\(${lastQuarterName}\\) .*needs ≥ 3\\.5 %$`));
  assert.match(n.gap.zh, /研发投入强度.*需 ≥ 3\.5 %/);
  assert.equal(n.benefit.amount, Math.round(Math.min(5e6, 0.1 * q.rd * 1e4) * 100) / 100);
  const failed = n.criteria.filter((k) => k.top && k.value === 'false');
  assert.equal(failed.length, 1);
  assert.match(failed[0].text, /rd_intensity\(last_quarter\) >= 3\.5%/);
  // Unknown: no whole year of revenue (the demo has quarters since Q2 of last year).
  const u = m.unknown[0];
  assert.ok(u.missing.includes(`revenue(${lastYear})`), u.missing.join(','));
  assert.equal(u.outcome, 'unknown');
  // Another enterprise's contact cannot read them.
  assert.equal((await firm2.call('GET', '/api/v1/enterprises/1/policies')).status, 403);
});

test("a measure's eligible list equals an independent evaluation over the registry", async () => {
  const ents = await everyEnterprise();
  // Jinshan's financing measure: tags, employees, age, status.
  const expected = ents.filter((e) => (e.tags || []).includes('规上企业') && e.employees != null && e.employees >= 300 &&
    age(e.founded) >= 10 && e.status === 'active' && ['310116103', '310116101', '310116103201', '310116103001'].includes(e.jurisdiction.code))
    .map((e) => e.id).sort((a, b) => a - b);
  const got = await ok(officer, `/api/v1/policies/${financing.id}/eligible`);
  assert.deepEqual(got.items.map((e) => e.id), expected);
  assert.ok(expected.length > 5 && expected.includes(1));
  // A measure made now over the registry alone.
  const r = await officer.call('POST', '/api/v1/policies', newBody({ rule: 'size in (micro, small) and employees >= 50\n and in_park and status = active' }));
  assert.equal(r.status, 201, r.text);
  const want = ents.filter((e) => ['micro', 'small'].includes(e.size) && e.employees != null && e.employees >= 50 && e.in_park &&
    e.status === 'active' && e.jurisdiction.code.startsWith('310116103')).map((e) => e.id).sort((a, b) => a - b);
  assert.equal(r.json.eligible, want.length);
  const list = await ok(officer, `/api/v1/policies/${r.json.id}/eligible`);
  assert.deepEqual(list.items.map((e) => e.id), want);
  assert.ok(list.items.every((e) => e.amount === 10000 && e.rule_version === 1));
  // The same as a workbook.
  const x = await fetch(`${srv.url}/api/v1/policies/${financing.id}/eligible?format=xlsx`, { headers: { Cookie: officer.cookie } });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  const bytes = Buffer.from(await x.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  assert.equal((await officer.call('GET', `/api/v1/policies/${financing.id}/eligible?format=csv`)).json.error.code, 'invalid_parameter');
  // A handler and an enterprise do not list a measure's enterprises.
  assert.equal((await handler.call('GET', `/api/v1/policies/${financing.id}/eligible`)).status, 403);
  assert.equal((await qifan.call('GET', `/api/v1/policies/${financing.id}/eligible`)).status, 403);
});

test('the rule check: errors with line and column, or how many enterprises a rule matches', async () => {
  let r = await officer.call('POST', '/api/v1/policies/check', { rule: 'employees >= 100 and\n  revenue(2024) >=' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.valid, false);
  assert.deepEqual([r.json.errors[0].line, r.json.errors[0].column], [2, 19]);
  assert.match(r.json.errors[0].expected, /expected a value/);
  r = await officer.call('POST', '/api/v1/policies/check', { rule: 'size = 3' });
  assert.equal(r.json.valid, false);
  assert.match(r.json.errors[0].expected, /size/);
  const ents = await everyEnterprise();
  r = await officer.call('POST', '/api/v1/policies/check', { rule: 'employees >= 100 and in_park' });
  assert.equal(r.json.valid, true);
  assert.equal(r.json.enterprises, ents.length);
  const t = ents.filter((e) => e.in_park && e.employees != null && e.employees >= 100).length;
  const u = ents.filter((e) => e.in_park && e.employees == null).length;
  assert.deepEqual(r.json.matches, { true: t, nearly: r.json.matches.nearly, unknown: u, false: ents.length - t - u - r.json.matches.nearly });
  assert.ok(r.json.matches.nearly > 0, 'some have 80 to 99 employees');
  // A town officer counts its own town's enterprises only.
  r = await zhujing.call('POST', '/api/v1/policies/check', { rule: 'status = active or not (status = active)' });
  assert.equal(r.json.enterprises, ents.filter((e) => e.jurisdiction.code === '310116101').length);
  r = await officer.call('POST', '/api/v1/policies/check', { rule: 'min(500万, 10% * rd_spend(last_year))', kind: 'benefit' });
  assert.equal(r.json.valid, true);
  r = await officer.call('POST', '/api/v1/policies/check', { rule: 'x', kind: 'maybe' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'kind');
  assert.equal((await qifan.call('POST', '/api/v1/policies/check', { rule: 'in_park' })).status, 403);
});

test('refusals name the field and the rule, and write nothing', async () => {
  const before = (await ok(admin, '/api/v1/policies')).count;
  const audit = (await ok(admin, '/api/v1/audit?entity=policy&limit=1000')).items.length;
  const cases = [
    [{ rule: 'size_derived <= small and\n  rd_intensity(last_year) >= ' }, 422, 'invalid_rule', 'rule'],
    [{ rule: 'revenue(2024) > small' }, 422, 'invalid_rule', 'rule'],
    [{ benefit: { formula: 'min(500万, ' } }, 422, 'invalid_rule', 'benefit.formula'],
    [{ benefit: { amount: 5, formula: '5' } }, 422, 'not_allowed', 'benefit'],
    [{ benefit: { amount: -1 } }, 422, 'out_of_range', 'benefit.amount'],
    [{ benefit: null }, 422, 'required', 'benefit'],
    [{ category: 'sports' }, 422, 'invalid_category', 'category'],
    [{ mode: 'auto' }, 422, 'invalid_enum', 'mode'],
    [{ level: 'district' }, 422, 'invalid_enum', 'level'],
    [{ effective_from: '2026-02-30' }, 422, 'invalid_date', 'effective_from'],
    [{ effective_from: '2026-03-01', effective_to: '2026-01-01' }, 422, 'before_since', 'effective_to'],
    [{ title_zh: '' }, 422, 'required', 'title_zh'],
    [{ documents: 'a' }, 422, 'wrong_type', 'documents'],
    [{ documents: Array(11).fill('证明') }, 422, 'too_many', 'documents'],
    [{ jurisdiction: '310116103201' }, 422, 'jurisdiction_level', 'jurisdiction'],
    [{ jurisdiction: '999999' }, 422, 'unknown_jurisdiction', 'jurisdiction'],
    [{ colour: 'red' }, 422, 'unknown_field', 'colour'],
  ];
  for (const [over, status, code, field] of cases) {
    const r = await officer.call('POST', '/api/v1/policies', newBody(over));
    assert.equal(r.status, status, `${JSON.stringify(over)}: ${r.text}`);
    const errs = [r.json.error, ...(r.json.error.errors || [])];
    assert.ok(errs.some((e) => e.code === code && e.field === field), `${JSON.stringify(over)}: ${r.text}`);
  }
  // A rule refused says where and what was expected.
  const r = await officer.call('POST', '/api/v1/policies', newBody({ rule: 'in_park and\n  employees >' }));
  assert.equal(r.json.error.line, 2);
  assert.equal(r.json.error.column, 14);
  assert.match(r.json.error.message, /line 2, column 14: expected/);
  // Roles and places.
  assert.equal((await qifan.call('POST', '/api/v1/policies', newBody())).status, 403);
  assert.equal((await handler.call('POST', '/api/v1/policies', newBody())).status, 403);
  const far = await zhujing.call('POST', '/api/v1/policies', newBody());
  assert.equal(far.status, 403);
  assert.equal(far.json.error.code, 'outside_scope');
  assert.equal((await ok(admin, '/api/v1/policies')).count, before, 'nothing written');
  assert.equal((await ok(admin, '/api/v1/audit?entity=policy&limit=1000')).items.length, audit, 'nothing audited');
});

test('jurisdictions: a town sees its own and its district’s measures, and changes its own only', async () => {
  const mine = (await ok(zhujing, '/api/v1/policies')).items.map((p) => p.id);
  assert.ok(mine.includes(financing.id) && mine.includes(growth.id), "the district's measures serve Zhujing");
  assert.ok(!mine.includes(chain.id), "Zhangyan's are not Zhujing's");
  assert.equal((await zhujing.call('GET', `/api/v1/policies/${chain.id}`)).status, 404);
  assert.equal((await zhangyan.call('GET', `/api/v1/policies/${financing.id}`)).status, 200);
  const put = await zhangyan.call('PUT', `/api/v1/policies/${financing.id}`, newBody({ jurisdiction: '310116' }), { 'If-Match': '*' });
  assert.equal(put.status, 403);
  assert.equal(put.json.error.code, 'outside_scope');
  // Zhujing's officer lists Zhujing's enterprises of a district's measure.
  const all = await ok(officer, `/api/v1/policies/${financing.id}/eligible?outcome=nearly`);
  const z = await ok(zhujing, `/api/v1/policies/${financing.id}/eligible?outcome=nearly`);
  const ents = await everyEnterprise();
  const inZhujing = new Set(ents.filter((e) => e.jurisdiction.code === '310116101').map((e) => e.id));
  assert.deepEqual(z.items.map((e) => e.id), all.items.filter((e) => inZhujing.has(e.id)).map((e) => e.id));
  // An enterprise's contact reads the measures serving it only.
  const q = (await ok(qifan, '/api/v1/policies')).items.map((p) => p.id);
  assert.ok(q.includes(chain.id) && !putuo.some((p) => q.includes(p.id)));
  assert.equal((await qifan.call('GET', `/api/v1/policies/${putuo[0].id}`)).status, 404);
  // The district's officer changes the district's measure.
  const j = await jinshan.call('PUT', `/api/v1/policies/${financing.id}`, { ...newBody({ jurisdiction: '310116' }), title_zh: financing.title_zh, category: 'financing', rule: financing.rule, benefit: financing.benefit, documents: financing.documents }, { 'If-Match': `"v${financing.version}"` });
  assert.equal(j.status, 200, j.text);
  assert.equal(j.json.rule_version, financing.rule_version, 'the rule did not change');
  assert.equal(j.json.version, financing.version + 1);
});

test('PUT: If-Match, a new rule version when the rule changes, and the measure matched again', async () => {
  const r = await officer.call('POST', '/api/v1/policies', newBody({ rule: 'employees >= 2000' }));
  assert.equal(r.status, 201);
  const id = r.json.id;
  assert.equal((await officer.call('PUT', `/api/v1/policies/${id}`, newBody())).status, 428);
  const stale = await officer.call('PUT', `/api/v1/policies/${id}`, newBody(), { 'If-Match': '"v9"' });
  assert.equal(stale.status, 412);
  let e = await ok(officer, `/api/v1/policies/${id}/eligible`);
  assert.ok(e.items.some((x) => x.id === 1));
  const p = await officer.call('PUT', `/api/v1/policies/${id}`, newBody({ rule: 'employees >= 5000' }), { 'If-Match': r.headers.get('etag') });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.rule_version, 2);
  assert.equal(p.json.eligible, 0);
  e = await ok(officer, `/api/v1/policies/${id}/eligible`);
  assert.deepEqual(e.items, []);
  assert.equal(e.rule_version, 2);
  const bad = await officer.call('PUT', `/api/v1/policies/${id}`, newBody({ rule: 'employees >= ' }), { 'If-Match': '*' });
  assert.equal(bad.status, 422);
  assert.equal((await ok(officer, `/api/v1/policies/${id}`)).rule, 'employees >= 5000', 'unchanged');
});

test('re-matching after an indicator or a record changes, the newly eligible told through the outbox', async () => {
  const got = [];
  receiver = createServer((req, res) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      got.push({ event: req.headers['x-qunyan-event'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200);
      res.end('ok');
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const w = await admin.call('POST', '/api/v1/webhooks', { url: `http://127.0.0.1:${receiver.address().port}/hook` });
  assert.equal(w.status, 201, w.text);
  const eligible = async (p) => (await ok(officer, `/api/v1/policies/${p}/eligible`)).items.map((x) => x.id);
  assert.ok(!(await eligible(rd.id)).includes(1), 'nearly is not eligible');
  // R&D spending raised to 4 % of the quarter's revenue.
  const ind = await ok(officer, '/api/v1/enterprises/1/indicators');
  const q = (ind.items ?? ind.indicators).find((x) => x.period === lastQuarter);
  const r = await officer.call('PUT', `/api/v1/enterprises/1/indicators/${lastQuarter}`, { rd: Math.round(q.revenue * 0.04) });
  assert.equal(r.status, 200, r.text);
  assert.ok((await eligible(rd.id)).includes(1), 'eligible now');
  const m = await ok(qifan, '/api/v1/enterprises/1/policies');
  assert.ok(m.qualified.some((x) => x.policy.id === rd.id));
  const told = await until('policy.eligible', () => got.find((g) => g.event === 'policy.eligible' && g.body.policy_id === rd.id && g.body.enterprise_id === 1));
  assert.equal(told.body.rule_version, rd.rule_version);
  // Only what changed is told: no other enterprise of the measure.
  await new Promise((res) => setTimeout(res, 1500));
  assert.deepEqual(got.filter((g) => g.event === 'policy.eligible').map((g) => g.body.enterprise_id), [1]);
  // A changed record: fewer employees than the financing measure needs.
  const ent = await ok(officer, '/api/v1/enterprises/1');
  let p = await officer.call('PATCH', '/api/v1/enterprises/1', { employees: 250 }, { 'If-Match': `"v${ent.version}"` });
  assert.equal(p.status, 200, p.text);
  assert.ok(!(await eligible(financing.id)).includes(1));
  p = await officer.call('PATCH', '/api/v1/enterprises/1', { employees: ent.employees }, { 'If-Match': '*' });
  assert.equal(p.status, 200, p.text);
  assert.ok((await eligible(financing.id)).includes(1));
  // Put the R&D figure back as it was.
  assert.equal((await officer.call('PUT', `/api/v1/enterprises/1/indicators/${lastQuarter}`, { rd: q.rd })).status, 200);
  assert.ok(!(await eligible(rd.id)).includes(1));
});

test('applications: apply with the documents, review, approve or reject, pay; every step audited', async () => {
  // Refusals first: documents, eligibility, mode, period, role.
  let r = await qifan.call('POST', `/api/v1/policies/${chain.id}/applications`, { documents: ['奖励申请表'] });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'documents');
  assert.match(r.json.error.message, /上季度财务报表/);
  r = await firm2.call('POST', `/api/v1/policies/${financing.id}/applications`, { documents: financing.documents });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'not_eligible');
  r = await qifan.call('POST', `/api/v1/policies/${small.id}/applications`, {});
  assert.equal(r.json.error.code, 'automatic_measure');
  const later = await officer.call('POST', '/api/v1/policies', newBody({ effective_from: `${ty + 1}-01-01` }));
  r = await qifan.call('POST', `/api/v1/policies/${later.json.id}/applications`, { documents: ['申请表'] });
  assert.equal(r.json.error.code, 'not_in_force');
  r = await qifan.call('POST', `/api/v1/policies/${putuo[0].id}/applications`, {});
  assert.equal(r.status, 404, "Putuo's measure does not serve Qifan");
  assert.equal((await officer.call('POST', `/api/v1/policies/${chain.id}/applications`, {})).status, 403);
  // Apply.
  r = await qifan.call('POST', `/api/v1/policies/${chain.id}/applications`, { documents: chain.documents, note: '按季度营收申请' });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  assert.equal(r.json.state, 'applied');
  assert.deepEqual(r.json.allowed, ['review', 'rejected']);
  assert.equal(r.json.rule_version, chain.rule_version);
  // Steps: a skipped one names the allowed ones.
  r = await officer.call('POST', `/api/v1/applications/${id}/transition`, { state: 'paid' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'illegal_transition');
  assert.match(r.json.error.message, /allowed: review, rejected/);
  assert.equal((await qifan.call('POST', `/api/v1/applications/${id}/transition`, { state: 'review' })).status, 403);
  assert.equal((await zhujing.call('POST', `/api/v1/applications/${id}/transition`, { state: 'review' })).status, 404);
  r = await officer.call('POST', `/api/v1/applications/${id}/transition`, { state: 'approvedd' });
  assert.equal(r.json.error.code, 'invalid_state');
  r = await officer.call('POST', `/api/v1/applications/${id}/transition`, { state: 'review' });
  assert.equal(r.status, 200, r.text);
  r = await officer.call('POST', `/api/v1/applications/${id}/transition`, { state: 'approved' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'amount');
  // The measure's rule changes while the application is open.
  const edited = await officer.call('PUT', `/api/v1/policies/${chain.id}`, {
    issuer: chain.issuer, title_zh: chain.title_zh, category: 'chain', effective_from: chain.effective_from,
    jurisdiction: chain.jurisdiction.code, mode: 'apply', rule: `${chain.rule}\n  and employees >= 100`, benefit: chain.benefit, documents: chain.documents,
  }, { 'If-Match': '*' });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.json.rule_version, chain.rule_version + 1);
  r = await officer.call('POST', `/api/v1/applications/${id}/transition`, { state: 'approved', amount: 2000000 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.amount, 2000000);
  assert.equal(r.json.rule_version, chain.rule_version + 1, 'decided under the version in force');
  r = await officer.call('POST', `/api/v1/applications/${id}/transition`, { state: 'paid' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.allowed, []);
  r = await officer.call('POST', `/api/v1/applications/${id}/transition`, { state: 'rejected', reason: '晚了' });
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /final/);
  // A rejection needs its reason.
  const other = (await qifan.call('POST', `/api/v1/policies/${financing.id}/applications`, { documents: financing.documents })).json.id;
  r = await officer.call('POST', `/api/v1/applications/${other}/transition`, { state: 'rejected' });
  assert.equal(r.json.error.code, 'reason_required');
  r = await officer.call('POST', `/api/v1/applications/${other}/transition`, { state: 'rejected', reason: '贷款未发生' });
  assert.equal(r.status, 200);
  assert.equal(r.json.reason, '贷款未发生');
  assert.equal(r.json.rule_version, financing.rule_version);
  // The enterprise follows its own; another enterprise sees none of them.
  const mine = (await ok(qifan, '/api/v1/applications?mine')).items;
  assert.ok(mine.length >= 3 && mine.every((a) => a.enterprise.id === 1));
  assert.ok(mine.some((a) => a.id === id && a.state === 'paid'));
  assert.ok((await ok(firm2, '/api/v1/applications?mine')).items.every((a) => a.enterprise.id === 2));
  assert.equal((await firm2.call('GET', `/api/v1/applications/${id}`)).status, 404);
  assert.equal((await officer.call('GET', '/api/v1/applications?state=open')).json.error.code, 'invalid_state');
  // Every step audited, in order.
  const steps = (await ok(admin, `/api/v1/audit?entity=policy_application&entity_id=${id}`)).items.map((a) => a.action).reverse();
  assert.deepEqual(steps, ['apply', 'review', 'approved', 'paid']);
  // The demo has an application in every state.
  const states = new Set((await ok(officer, '/api/v1/applications')).items.map((a) => a.state));
  for (const s of ['applied', 'review', 'approved', 'rejected', 'paid']) assert.ok(states.has(s), s);
});

test('a batch of automatic grants: the eligible enterprises, confirmed with a line removed', async () => {
  const eligible = (await ok(officer, `/api/v1/policies/${small.id}/eligible`)).items;
  let r = await officer.call('POST', `/api/v1/policies/${small.id}/batches`);
  assert.equal(r.status, 201, r.text);
  const b = r.json;
  assert.equal(b.state, 'draft');
  assert.deepEqual(b.lines.map((l) => l.enterprise_id), eligible.map((e) => e.id));
  // Amounts as the formula says: 2万 for a micro enterprise, 5万 for a small one.
  const ents = new Map((await everyEnterprise()).map((e) => [e.id, e]));
  for (const l of b.lines) assert.equal(l.amount, ents.get(l.enterprise_id).size === 'micro' ? 20000 : 50000);
  assert.equal((await officer.call('POST', `/api/v1/policies/${chain.id}/batches`)).json.error.code, 'apply_measure');
  assert.equal((await zhujing.call('POST', `/api/v1/policies/${small.id}/batches`)).status, 404);
  const [gone, ...kept] = b.lines;
  r = await officer.call('POST', `/api/v1/batches/${b.id}/confirm`, { remove: [{ enterprise_id: gone.enterprise_id }] });
  assert.equal(r.json.error.code, 'reason_required');
  r = await officer.call('POST', `/api/v1/batches/${b.id}/confirm`, { remove: [{ enterprise_id: 999999, reason: '无' }] });
  assert.equal(r.json.error.code, 'unknown_enterprise');
  assert.equal((await ok(officer, `/api/v1/batches/${b.id}`)).state, 'draft', 'a refused confirmation changes nothing');
  r = await officer.call('POST', `/api/v1/batches/${b.id}/confirm`, { remove: [{ enterprise_id: gone.enterprise_id, reason: '已享受同类补贴' }] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'confirmed');
  assert.equal(r.json.granted, kept.length);
  assert.equal(r.json.total, kept.reduce((s, l) => s + l.amount, 0));
  assert.equal(r.json.lines.find((l) => l.enterprise_id === gone.enterprise_id).removed_reason, '已享受同类补贴');
  r = await officer.call('POST', `/api/v1/batches/${b.id}/confirm`, {});
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'not_pending');
  const audit = (await ok(admin, `/api/v1/audit?entity=policy_batch&entity_id=${b.id}`)).items.map((a) => a.action);
  assert.deepEqual(audit.sort(), ['confirm', 'create']);
  assert.equal((await qifan.call('GET', `/api/v1/batches/${b.id}`)).status, 403);
  // The measure's batches, newest first, each as its own page sums it.
  const list = await ok(officer, `/api/v1/policies/${small.id}/batches`);
  assert.equal(list.policy_id, small.id);
  assert.equal(list.count, list.items.length);
  assert.ok(list.items.length >= 1);
  assert.deepEqual(list.items.map((x) => x.id), [...list.items.map((x) => x.id)].sort((x, y) => y - x));
  for (const x of list.items) {
    const one = await ok(officer, `/api/v1/batches/${x.id}`);
    assert.equal(x.state, one.state);
    assert.equal(x.granted, one.granted, `batch ${x.id}`);
    assert.equal(x.total, one.total, `batch ${x.id}`);
  }
  assert.equal(list.items.find((x) => x.id === b.id).granted, kept.length);
  assert.equal((await ok(officer, `/api/v1/policies/${chain.id}/batches`)).count, 0);
  assert.equal((await zhujing.call('GET', `/api/v1/policies/${small.id}/batches`)).status, 404);
  assert.equal((await qifan.call('GET', `/api/v1/policies/${small.id}/batches`)).status, 403);
  // Nor does an officer below the measure read a batch of it: its lines
  // name enterprises of the measure's whole territory.
  if (small.jurisdiction?.id !== 1) {
    const below = await zhangyan.call('GET', `/api/v1/batches/${b.id}`);
    assert.ok(below.status === 403 || below.status === 404, below.text);
  }
});
