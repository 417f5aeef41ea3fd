// Open311 GeoReport v2 against a real server, through a small client
// written from the specification: every resource in both formats, the
// XML and JSON answers compared field by field, filters, errors in the
// specification's form, and the status of a case moved in the console.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, cli, login } from '../lib/server.mjs';

const JURISDICTION = 'zhangyan.jinshan.shanghai.cn';
const SPEC = 'http://wiki.open311.org/GeoReport_v2';
const FORMATS = ['json', 'xml'];
// Zhangyan, inside the park.
const LAT = 30.8031;
const LONG = 121.2915;

// ------------------------------------------------------------------
// A reader for the specification's XML: a declaration, then elements
// that hold either text or other elements, never both.

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeText(s, where) {
  return s.replace(/&([^;]*);/g, (_, e) => {
    if (e in ENTITIES) return ENTITIES[e];
    if (/^#x[0-9a-fA-F]+$/.test(e)) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (/^#[0-9]+$/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 10));
    throw new Error(`XML: unknown entity &${e}; in ${where}`);
  });
}

function parseXml(text) {
  const decl = /^<\?xml\s+version\s*=\s*(["'])1\.[01]\1\s+encoding\s*=\s*(["'])([^"']*)\2(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*\?>/.exec(text);
  if (!decl) throw new Error(`XML: no declaration at the start: ${text.slice(0, 80)}`);
  if (decl[3].toUpperCase() !== 'UTF-8') throw new Error(`XML: encoding ${decl[3]}, not UTF-8`);
  let i = decl[0].length;
  const fail = (msg) => { throw new Error(`XML at ${i}: ${msg}: …${text.slice(i, i + 60)}`); };
  const misc = () => {
    for (;;) {
      const m = /^\s*/.exec(text.slice(i)); i += m[0].length;
      if (text.startsWith('<!--', i)) {
        const e = text.indexOf('-->', i); if (e < 0) fail('comment not closed'); i = e + 3;
      } else if (text.startsWith('<?', i)) {
        const e = text.indexOf('?>', i); if (e < 0) fail('processing instruction not closed'); i = e + 2;
      } else return;
    }
  };
  const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*/;
  const element = () => {
    if (text[i] !== '<') fail('expected <');
    i++;
    const m = NAME.exec(text.slice(i)); if (!m) fail('expected an element name');
    const name = m[0]; i += name.length;
    if (name.includes(':')) fail(`namespace prefix in <${name}>`);
    const attrs = {};
    for (;;) {
      const ws = /^\s*/.exec(text.slice(i)); i += ws[0].length;
      if (text.startsWith('/>', i)) { i += 2; return { name, attrs, children: [], text: '' }; }
      if (text[i] === '>') { i++; break; }
      const a = /^([A-Za-z_][A-Za-z0-9_.:-]*)\s*=\s*(["'])([^"'<]*)\2/.exec(text.slice(i));
      if (!a) fail(`bad attribute in <${name}>`);
      if (a[1] === 'xmlns' || a[1].startsWith('xmlns:')) fail(`namespace declared on <${name}>`);
      attrs[a[1]] = decodeText(a[3], name); i += a[0].length;
    }
    const children = []; let str = '';
    for (;;) {
      if (i >= text.length) fail(`<${name}> not closed`);
      if (text.startsWith('</', i)) {
        const e = /^<\/([A-Za-z_][A-Za-z0-9_.:-]*)\s*>/.exec(text.slice(i));
        if (!e || e[1] !== name) fail(`</${name}> expected`);
        i += e[0].length;
        break;
      }
      if (text.startsWith('<!--', i)) {
        const e = text.indexOf('-->', i); if (e < 0) fail('comment not closed'); i = e + 3;
      } else if (text.startsWith('<![CDATA[', i)) {
        const e = text.indexOf(']]>', i); if (e < 0) fail('CDATA not closed');
        str += text.slice(i + 9, e); i = e + 3;
      } else if (text[i] === '<') {
        children.push(element());
      } else {
        const e = text.indexOf('<', i); if (e < 0) fail('text runs to the end');
        const raw = text.slice(i, e);
        if (/&(?![A-Za-z]+;|#[0-9]+;|#x[0-9a-fA-F]+;)/.test(raw)) fail(`bare & in <${name}>`);
        str += decodeText(raw, name); i = e;
      }
    }
    if (children.length && str.trim() !== '') fail(`<${name}> mixes text and elements`);
    return { name, attrs, children, text: children.length ? '' : str };
  };
  misc();
  const root = element();
  misc();
  if (i !== text.length) fail('content after the root element');
  return root;
}

// Elements that hold a list, and the name of their items.
const LISTS = {
  services: 'service', service_requests: 'request', errors: 'error', attributes: 'attribute',
  values: 'value', endpoints: 'endpoint', formats: 'format', notes: 'note',
};

// The XML tree as the JSON the specification mirrors it with: lists as
// arrays, other elements with children as objects, the rest as text.
function xmlValue(node) {
  if (node.name in LISTS) {
    for (const c of node.children) assert.equal(c.name, LISTS[node.name], `<${node.name}> holds <${c.name}>`);
    return node.children.map(xmlValue);
  }
  if (!node.children.length) return node.text;
  const o = {};
  for (const c of node.children) {
    assert.ok(!(c.name in o), `<${c.name}> twice in <${node.name}>`);
    o[c.name] = xmlValue(c);
  }
  return o;
}

// Checks that an XML answer carries the same data as the JSON one: text
// against strings, "true"/"false" against booleans, numbers by value,
// and an empty or missing element against null.
function sameData(json, xml, path = '$') {
  if (json === null || json === undefined) {
    assert.ok(xml === undefined || xml === '', `${path}: JSON null, XML ${JSON.stringify(xml)}`);
    return;
  }
  if (Array.isArray(json)) {
    assert.ok(Array.isArray(xml), `${path}: JSON array, XML ${JSON.stringify(xml)}`);
    assert.equal(xml.length, json.length, `${path}: ${json.length} items in JSON, ${xml.length} in XML`);
    json.forEach((v, k) => sameData(v, xml[k], `${path}[${k}]`));
    return;
  }
  if (typeof json === 'object') {
    // an object with nothing but nulls is an empty element
    if (xml === '' && Object.values(json).every((v) => v === null)) return;
    assert.ok(xml && typeof xml === 'object' && !Array.isArray(xml), `${path}: JSON object, XML ${JSON.stringify(xml)}`);
    for (const k of new Set([...Object.keys(json), ...Object.keys(xml)])) {
      assert.ok(k in json, `${path}.${k}: in the XML, not in the JSON`);
      sameData(json[k], xml[k], `${path}.${k}`);
    }
    return;
  }
  assert.equal(typeof xml, 'string', `${path}: XML ${JSON.stringify(xml)} for ${JSON.stringify(json)}`);
  if (typeof json === 'boolean') assert.equal(xml, String(json), path);
  else if (typeof json === 'number') {
    assert.match(xml, /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/, `${path}: not a number`);
    assert.ok(Math.abs(Number(xml) - json) <= 1e-9 * Math.max(1, Math.abs(json)), `${path}: ${xml} ≠ ${json}`);
  } else assert.equal(xml, json, path);
}

// ------------------------------------------------------------------
// The client.

// application/x-www-form-urlencoded, with attribute[CODE]=v for one value
// and attribute[CODE][]=v repeated for several.
function formBody(fields) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    if (k === 'attributes') {
      for (const [code, val] of Object.entries(v)) {
        if (Array.isArray(val)) for (const x of val) p.append(`attribute[${code}][]`, x);
        else p.append(`attribute[${code}]`, val);
      }
    } else p.append(k, String(v));
  }
  return p.toString();
}

function query(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined) p.append(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

class Open311 {
  constructor(base, { apiKey, jurisdiction } = {}) {
    this.base = `${base}/open311/v2`;
    this.apiKey = apiKey;
    this.jurisdiction = jurisdiction;
  }

  // Reads an answer in the format asked for; XML becomes the same
  // shape of data as JSON.
  async #answer(res, format) {
    const text = await res.text();
    const type = res.headers.get('content-type') || '';
    const out = { status: res.status, type, text, data: undefined };
    if (format === 'json') {
      assert.match(type, /^application\/json\b/, `content type ${type}`);
      out.data = JSON.parse(text);
    } else {
      assert.match(type, /^(text|application)\/xml\b/, `content type ${type}`);
      out.root = parseXml(text);
      out.data = xmlValue(out.root);
    }
    if (/charset=/i.test(type)) assert.match(type, /charset="?utf-8"?/i, `charset in ${type}`);
    return out;
  }

  async get(resource, format, params = {}) {
    const p = { ...(this.jurisdiction ? { jurisdiction_id: this.jurisdiction } : {}), ...params };
    const res = await fetch(`${this.base}/${resource}.${format}${query(p)}`);
    return this.#answer(res, format);
  }

  // POST requests: api_key and jurisdiction_id from the client unless
  // the fields name them (undefined leaves one out).
  async post(resource, format, fields) {
    const f = { api_key: this.apiKey, jurisdiction_id: this.jurisdiction, ...fields };
    const res = await fetch(`${this.base}/${resource}.${format}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: formBody(f),
    });
    return this.#answer(res, format);
  }

  // The same GET in both formats; checks that they agree and returns the
  // JSON answer, with the XML one as its xml.
  async both(resource, params = {}) {
    const j = await this.get(resource, 'json', params);
    const x = await this.get(resource, 'xml', params);
    assert.equal(x.status, j.status, `${resource}: XML ${x.status}, JSON ${j.status}`);
    sameData(j.data, x.data);
    j.xml = x;
    return j;
  }
}

// ------------------------------------------------------------------
// What the specification says of values.

// A date-time of the W3C profile of ISO 8601 that names an instant: date,
// hours and minutes, seconds and their fraction optional, and the zone.
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const isIso = (v, what) => {
  assert.match(v, ISO, `${what}: ${v} is not a W3C date-time with a zone`);
  assert.ok(!Number.isNaN(Date.parse(v)), `${what}: ${v} is no date`);
};

// The shapes of the specification's published JSON schemas
// (github.com/open311/schema-validation, schema/georeport-v2) and of the
// answers its swagger.json describes, with a validator for just what they
// use: type (null among them), anyOf, enum, required, properties, items,
// maxLength, and the formats date-time and uri.  `closed` refuses members
// that are not among the properties: the specification asks servers not
// to add foreign elements.
const STR = { type: 'string' };
const orNull = (s) => ({ anyOf: [s, { type: 'null' }] });
const DATE_TIME = { type: 'string', format: 'date-time' };
const SCHEMA = {};
SCHEMA.service = {
  closed: true,
  required: ['service_code', 'service_name', 'metadata', 'type'],
  properties: {
    service_code: STR, service_name: STR, description: orNull(STR), metadata: { type: 'boolean' },
    type: { type: 'string', enum: ['realtime', 'batch', 'blackbox'] }, keywords: orNull(STR), group: orNull(STR),
  },
};
SCHEMA.serviceDefinition = {
  closed: true,
  required: ['service_code', 'attributes'],
  properties: {
    service_code: STR,
    attributes: {
      type: 'array',
      items: {
        closed: true,
        required: ['variable', 'code', 'datatype', 'required'],
        properties: {
          variable: { type: 'boolean' }, code: STR,
          datatype: { type: 'string', enum: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] },
          required: { type: 'boolean' }, datatype_description: orNull(STR), order: orNull({ type: 'integer' }),
          description: orNull(STR),
          values: { type: 'array', items: { closed: true, required: ['key', 'name'], properties: { key: STR, name: STR } } },
        },
      },
    },
  },
};
SCHEMA.request = {
  closed: true,
  required: ['service_request_id', 'status', 'service_code', 'requested_datetime'],
  properties: {
    service_request_id: STR, status: { type: 'string', enum: ['open', 'closed'] }, status_notes: orNull(STR),
    service_name: orNull(STR), service_code: STR, description: orNull({ type: 'string', maxLength: 4000 }),
    agency_responsible: orNull(STR), service_notice: orNull(STR), requested_datetime: DATE_TIME,
    updated_datetime: orNull(DATE_TIME), expected_datetime: orNull(DATE_TIME), address: orNull(STR),
    address_id: orNull(STR), zipcode: orNull(STR), lat: orNull({ type: 'number' }), long: orNull({ type: 'number' }),
    media_url: orNull({ type: 'string', format: 'uri' }),
  },
};
// extensions=true: the values of the request's attributes and its public history
SCHEMA.extendedRequest = {
  ...SCHEMA.request,
  required: [...SCHEMA.request.required, 'attributes', 'notes'],
  properties: {
    ...SCHEMA.request.properties,
    attributes: { type: 'array', items: { closed: true, required: ['code', 'value'], properties: { code: STR, value: { anyOf: [STR, { type: 'number' }] } } } },
    notes: { type: 'array', items: { closed: true, required: ['datetime'], properties: { datetime: DATE_TIME, type: orNull(STR), status: orNull(STR), summary: orNull(STR) } } },
  },
};
SCHEMA.requestResponse = {
  closed: true,
  properties: { service_request_id: STR, token: STR, service_notice: orNull(STR), account_id: orNull(STR) },
};
SCHEMA.tokenResponse = { closed: true, required: ['service_request_id', 'token'], properties: { service_request_id: STR, token: STR } };
const listOf = (items) => ({ type: 'array', items });

function validate(value, schema, path = '$', errors = []) {
  if (schema.anyOf) {
    if (!schema.anyOf.some((s) => validate(value, s, path).length === 0))
      errors.push(`${path}: ${JSON.stringify(value)} is none of ${schema.anyOf.map((s) => s.type).join(', ')}`);
    return errors;
  }
  const type = schema.type || (schema.properties ? 'object' : undefined);
  const is = {
    null: (v) => v === null, string: (v) => typeof v === 'string', boolean: (v) => typeof v === 'boolean',
    number: (v) => typeof v === 'number' && Number.isFinite(v), integer: (v) => Number.isInteger(v),
    array: (v) => Array.isArray(v), object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  };
  if (type && !is[type](value)) {
    errors.push(`${path}: ${JSON.stringify(value)} is not of type ${type}`);
    return errors;
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${schema.enum}`);
  if (schema.maxLength !== undefined && [...value].length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`);
  if (schema.format === 'date-time' && !(ISO.test(value) && !Number.isNaN(Date.parse(value))))
    errors.push(`${path}: ${value} is not a W3C date-time with a zone`);
  if (schema.format === 'uri' && !URL.canParse(value)) errors.push(`${path}: ${value} is not a URI`);
  if (schema.items) value.forEach((v, i) => validate(v, schema.items, `${path}[${i}]`, errors));
  if (type === 'object') {
    for (const k of schema.required || []) if (!(k in value)) errors.push(`${path}.${k}: missing`);
    for (const [k, v] of Object.entries(value)) {
      if (schema.properties[k]) validate(v, schema.properties[k], `${path}.${k}`, errors);
      else if (schema.closed) errors.push(`${path}.${k}: not in the specification`);
    }
  }
  return errors;
}
const assertValid = (value, schema, what = '') =>
  assert.deepEqual(validate(value, schema), [], `${what} ${JSON.stringify(value).slice(0, 600)}`);

// In XML every member of a request is there, empty when it has no value
// (the specification's examples), in every item of the list.
function xmlComplete(answer, schema) {
  for (const item of answer.root.children) {
    const names = item.children.map((c) => c.name);
    assert.deepEqual([...names].sort(), Object.keys(schema.properties).sort(), `<${item.name}> members`);
  }
}
const pad = (n) => String(n).padStart(2, '0');
// A moment written in a given offset from UTC, in minutes: +08:00 is 480.
function isoAt(ms, offset) {
  const local = new Date(ms + offset * 60000).toISOString().slice(0, 19);
  const a = Math.abs(offset);
  return `${local}${offset < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}
const DAY = 86400000;

function isError(answer, status) {
  assert.equal(answer.status, status, `expected ${status}, got ${answer.status}: ${answer.text}`);
  if (answer.root) {
    assert.equal(answer.root.name, 'errors');
    assert.ok(answer.root.children.length >= 1);
  }
  assert.ok(Array.isArray(answer.data) && answer.data.length >= 1, `errors list: ${answer.text}`);
  for (const e of answer.data) {
    assert.deepEqual(Object.keys(e).sort(), ['code', 'description'], answer.text);
    assert.equal(Number(e.code), status, answer.text);
    if (!answer.root) assert.equal(typeof e.code, 'number');
    assert.equal(typeof e.description, 'string');
    assert.ok(e.description.length > 0);
  }
  return answer.data;
}

// Both formats of a GET must fail alike.
async function bothFail(client, resource, params, status) {
  for (const f of FORMATS) isError(await client.get(resource, f, params), status);
}

function checkRequest(r, schema = SCHEMA.request) {
  assertValid(r, schema, 'request');
  // a location is both coordinates or none
  assert.equal(r.lat === null, r.long === null, `lat ${r.lat}, long ${r.long}`);
  // every member that may be absent is null then, never ""
  for (const [k, v] of Object.entries(r)) assert.notEqual(v, '', `${k} is "" instead of null`);
}

// ------------------------------------------------------------------

// Pages of these origins may call Open311 from a browser (CORS).
const ORIGINS = ['https://map.example.org', 'http://localhost:8000'];
// Requests come fast and from one address here: the intake limit is off.
const srv = await start({ args: ['--open311-origins', `${ORIGINS[0]}, ${ORIGINS[1]}/`, '--intake-per-ip', '0'] });
test.after(() => srv.stop());
const keyRun = cli(['user', 'key', 'officer', '--db', srv.db]);
assert.equal(keyRun.status, 0, keyRun.stderr);
const API_KEY = keyRun.stdout.trim().split('\n').pop().trim().split(/\s+/).pop();
const o311 = new Open311(srv.url, { apiKey: API_KEY, jurisdiction: JURISDICTION });
// the same server without a jurisdiction_id: one jurisdiction needs none
const bare = new Open311(srv.url, { apiKey: API_KEY });
const officer = await login(srv.url, 'officer');
const admin = await login(srv.url, 'admin');

// A service with an attribute of every datatype, required ones among them.
const deps = await admin.call('GET', '/api/v1/departments');
assert.equal(deps.status, 200, deps.text);
const HYDRANT = {
  code: 'hydrant', name_zh: '消防栓', name_en: 'Fire hydrants', group: '平安建设', keywords: 'hydrant,fire',
  description: '消防栓损坏 / Damaged fire hydrants', department_id: deps.json.items[0].id, deadline_hours: 48,
  attributes: [
    { code: 'hydrant_no', datatype: 'string', required: true, order: 1, description: '消防栓编号 Number on the hydrant' },
    { code: 'damage', datatype: 'multivaluelist', required: true, order: 2, description: '损坏情况 Damage',
      values: [{ key: 'leak', name: '漏水 Leaking' }, { key: 'cap', name: '缺盖 Cap missing' }, { key: 'blocked', name: '被占用 Blocked' }] },
    { code: 'pressure', datatype: 'number', required: false, order: 3, description: '水压 Pressure (bar)' },
    { code: 'seen_at', datatype: 'datetime', required: false, order: 4, description: '发现时间 Seen at' },
    { code: 'notes', datatype: 'text', required: false, order: 5, description: '补充说明 Notes' },
    { code: 'urgency', datatype: 'singlevaluelist', required: false, order: 6, description: '紧急程度 Urgency',
      values: [{ key: 'low', name: '一般 Low' }, { key: 'high', name: '紧急 High' }] },
  ],
};
const made = await admin.call('POST', '/api/v1/case-categories', HYDRANT);
assert.equal(made.status, 201, made.text);

let serial = 0;
const unique = (what) => `${what} ${Date.now().toString(36)}-${++serial}`;

// The type of each service, as GET services declares it.
let typeOf;
async function serviceType(code) {
  if (!typeOf || !(code in typeOf)) {
    const s = await o311.get('services', 'json');
    typeOf = Object.fromEntries(s.data.map((x) => [x.service_code, x.type]));
  }
  assert.ok(code in typeOf, `no service ${code}`);
  return typeOf[code];
}

// Checks a POST's answer: the id of a realtime service's request, the
// token of a batch or blackbox one, never both; service_notice and
// account_id null or text.  Returns the item.
async function checkPosted(a, format, code) {
  assert.equal(a.status, 201, `POST requests: ${a.status} ${a.text}`);
  if (format === 'xml') assert.equal(a.root.name, 'service_requests');
  assert.ok(Array.isArray(a.data) && a.data.length === 1, a.text);
  const item = a.data[0];
  if (format === 'json') assertValid(item, SCHEMA.requestResponse, 'POST answer');
  assert.ok('service_notice' in item, `service_notice missing: ${a.text}`);
  assert.ok('account_id' in item, `account_id missing: ${a.text}`);
  const type = await serviceType(code);
  if (type === 'realtime') {
    assert.ok(item.service_request_id, `a realtime service answers the id: ${a.text}`);
    assert.ok(!('token' in item), `the id and a token: ${a.text}`);
  } else {
    assert.ok(item.token, `a ${type} service answers a token: ${a.text}`);
    assert.ok(!('service_request_id' in item), `a token and the id: ${a.text}`);
  }
  return item;
}

// Posts a request and returns {answer, item, id}, following a token to its id.
async function submit(fields, format = 'json') {
  const a = await o311.post('requests', format, fields);
  const item = await checkPosted(a, format, fields.service_code);
  let id = item.service_request_id;
  if (!id) {
    const t = await o311.both(`tokens/${encodeURIComponent(item.token)}`);
    assert.equal(t.status, 200, t.text);
    id = t.data[0].service_request_id;
  }
  return { answer: a, item, id };
}

// One request by id in both formats; returns the JSON item.
async function getRequest(id, params = {}) {
  const r = await o311.both(`requests/${encodeURIComponent(id)}`, params);
  assert.equal(r.status, 200, r.text);
  assert.ok(Array.isArray(r.data), 'requests/{id} answers a list');
  assert.equal(r.data.length, 1);
  const schema = params.extensions === 'true' ? SCHEMA.extendedRequest : SCHEMA.request;
  checkRequest(r.data[0], schema);
  xmlComplete(r.xml, schema);
  assert.equal(r.data[0].service_request_id, id);
  return r.data[0];
}

const ids = async (params) => {
  const r = await o311.both('requests', params);
  assert.equal(r.status, 200, r.text);
  assertValid(r.data, listOf(SCHEMA.request), 'requests');
  for (const x of r.data) checkRequest(x);
  xmlComplete(r.xml, SCHEMA.request);
  return r.data.map((x) => x.service_request_id);
};
// The last hour to the next: every request made by this file.
const recent = () => ({ start_date: isoAt(Date.now() - 3600000, 480), end_date: isoAt(Date.now() + 3600000, 480) });

// ------------------------------------------------------------------

test('XML reader: the declaration, entities, lists and refusals', () => {
  const doc = parseXml('<?xml version="1.0" encoding="utf-8"?>\n<services>\n <service><service_code>a&amp;b</service_code>'
    + '<metadata>true</metadata><description/><group>&#24352;&#x5830;</group></service>\n</services>\n');
  assert.deepEqual(xmlValue(doc), [{ service_code: 'a&b', metadata: 'true', description: '', group: '张堰' }]);
  assert.throws(() => parseXml('<services/>'), /declaration/);
  assert.throws(() => parseXml('<?xml version="1.0" encoding="ISO-8859-1"?><services/>'), /UTF-8/);
  assert.throws(() => parseXml('<?xml version="1.0" encoding="UTF-8"?><services xmlns="urn:x"/>'), /namespace/);
  assert.throws(() => parseXml('<?xml version="1.0" encoding="UTF-8"?><a:services/>'), /namespace/);
  assert.throws(() => parseXml('<?xml version="1.0" encoding="UTF-8"?><a>x<b/></a>'), /mixes/);
  assert.throws(() => parseXml('<?xml version="1.0" encoding="UTF-8"?><a><b></a>'), /expected/);
  assert.throws(() => parseXml('<?xml version="1.0" encoding="UTF-8"?><a>R&D</a>'), /bare &/);
  sameData([{ a: true, b: 1.5, c: null, d: 'x', e: [] }], [{ a: 'true', b: '1.50', d: 'x', e: [] }]);
  assert.throws(() => sameData({ a: 1 }, { a: '1', b: '2' }), /in the XML/);
  assert.equal(formBody({ attributes: { kind: 'complaint', many: ['a', 'b'] } }),
    'attribute%5Bkind%5D=complaint&attribute%5Bmany%5D%5B%5D=a&attribute%5Bmany%5D%5B%5D=b');
  assert.equal(isoAt(Date.UTC(2024, 0, 1, 20, 0, 0), 480), '2024-01-02T04:00:00+08:00');
  assert.equal(isoAt(Date.UTC(2024, 0, 1, 2, 30, 0), -300), '2023-12-31T21:30:00-05:00');
});

test('discovery: endpoints of the GeoReport v2 specification and their formats', async () => {
  for (const client of [o311, bare]) {
    const d = await client.both('discovery');
    assert.equal(d.status, 200, d.text);
    const x = await client.get('discovery', 'xml');
    assert.equal(x.root.name, 'discovery');
    assert.ok(!Array.isArray(d.data) && typeof d.data === 'object');
    for (const k of ['changeset', 'contact', 'key_service', 'endpoints']) assert.ok(k in d.data, `${k} missing`);
    isIso(d.data.changeset, 'changeset');
    assert.ok(d.data.endpoints.length >= 1);
    const v2 = d.data.endpoints.filter((e) => e.specification === SPEC);
    assert.ok(v2.length >= 1, `no endpoint of ${SPEC}: ${d.text}`);
    for (const e of d.data.endpoints) {
      for (const k of ['specification', 'url', 'changeset', 'type', 'formats']) assert.ok(k in e, `endpoint.${k} missing`);
      isIso(e.changeset, 'endpoint changeset');
      assert.ok(['production', 'test'].includes(e.type), `type ${e.type}`);
      assert.ok(e.formats.includes('text/xml'), 'XML is required');
      assert.ok(e.formats.includes('application/json'), 'JSON is served, so advertised');
    }
    // the endpoint is where this server answers
    assert.match(new URL(v2[0].url).pathname, /\/open311\/v2\/?$/, v2[0].url);
    const there = await fetch(`${v2[0].url.replace(/\/?$/, '/')}services.json`);
    assert.equal(there.status, 200, `${v2[0].url} does not serve services`);
    await there.text();
  }
});

// The services and their definitions (JSON), read once by whichever test
// needs them first, so that no test depends on another having run.
let loading = null;
function catalogue() {
  loading ??= (async () => {
    const services = (await o311.get('services', 'json')).data;
    const definitions = {};
    for (const x of services)
      definitions[x.service_code] = (await o311.get(`services/${encodeURIComponent(x.service_code)}`, 'json')).data;
    return { services, definitions };
  })();
  return loading;
}

test('services: codes as strings, metadata true exactly when the service has attributes', async () => {
  const s = await o311.both('services');
  assert.equal(s.status, 200, s.text);
  assert.equal((await o311.get('services', 'xml')).root.name, 'services');
  const services = s.data;
  assert.ok(Array.isArray(services) && services.length >= 7);
  assertValid(services, listOf(SCHEMA.service), 'services');
  // every service of the demo is realtime: its POST is answered with the id
  for (const x of services) assert.equal(x.type, 'realtime', x.service_code);
  const codes = services.map((x) => x.service_code);
  assert.equal(new Set(codes).size, codes.length, 'service codes are unique');
  for (const c of ['road_lighting', 'environment', 'community', 'safety', 'parking', 'land', 'labour'])
    assert.ok(codes.includes(c), `${c} missing from ${codes}`);
  for (const x of services) {
    for (const k of ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'])
      assert.ok(k in x, `${x.service_code}: ${k} missing`);
    assert.equal(typeof x.service_code, 'string');
    assert.equal(typeof x.service_name, 'string');
    assert.ok(x.service_name.length > 0);
    assert.equal(typeof x.metadata, 'boolean', `${x.service_code}: metadata ${x.metadata}`);
    assert.ok(['realtime', 'batch', 'blackbox'].includes(x.type), `${x.service_code}: type ${x.type}`);
    assert.ok(x.keywords === null || typeof x.keywords === 'string', `${x.service_code}: keywords`);
    assert.ok(x.group === null || typeof x.group === 'string', `${x.service_code}: group`);
  }
  // the same list without the (optional) jurisdiction_id, or with it empty
  assert.deepEqual((await bare.get('services', 'json')).data, services);
  assert.deepEqual((await bare.get('services', 'json', { jurisdiction_id: '' })).data, services);

  for (const x of services) {
    const d = await o311.both(`services/${encodeURIComponent(x.service_code)}`);
    assert.equal(d.status, 200, d.text);
    assertValid(d.data, SCHEMA.serviceDefinition, x.service_code);
    const hasAttributes = Array.isArray(d.data.attributes) && d.data.attributes.length > 0;
    assert.equal(x.metadata, hasAttributes, `${x.service_code}: metadata ${x.metadata}, ${d.data.attributes?.length} attributes`);
  }
  assert.equal(services.find((x) => x.service_code === 'road_lighting').metadata, true);
  const h = services.find((x) => x.service_code === 'hydrant');
  assert.ok(h, 'a category defined in the console is a service');
  assert.equal(h.metadata, true);
  assert.equal(h.group, HYDRANT.group);
  assert.equal(h.keywords, HYDRANT.keywords);
  assert.equal(h.description, HYDRANT.description);
});

test('service definition: attributes with their datatypes, order and values', async () => {
  const { definitions } = await catalogue();
  assert.ok(Object.keys(definitions).length >= 7);
  const x = await o311.get('services/road_lighting', 'xml');
  assert.equal(x.root.name, 'service_definition');
  const DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'];
  for (const [code, def] of Object.entries(definitions)) {
    assert.ok(!Array.isArray(def) && typeof def === 'object', `${code}: a definition is one object`);
    assert.equal(def.service_code, code);
    assert.equal(typeof def.service_code, 'string');
    assert.ok(Array.isArray(def.attributes), `${code}: attributes is a list`);
    const orders = def.attributes.map((a) => a.order);
    assert.equal(new Set(orders).size, orders.length, `${code}: orders unique`);
    for (const a of def.attributes) {
      for (const k of ['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description'])
        assert.ok(k in a, `${code}.${a.code}: ${k} missing`);
      assert.equal(typeof a.variable, 'boolean');
      assert.equal(typeof a.code, 'string');
      assert.ok(DATATYPES.includes(a.datatype), `${code}.${a.code}: datatype ${a.datatype}`);
      assert.equal(typeof a.required, 'boolean');
      assert.ok(Number.isInteger(a.order) && a.order > 0, `${code}.${a.code}: order ${a.order}`);
      assert.equal(typeof a.description, 'string');
      assert.ok(a.description.length > 0);
      if (a.datatype.endsWith('valuelist')) {
        assert.ok(Array.isArray(a.values) && a.values.length > 0, `${code}.${a.code}: values`);
        for (const v of a.values) {
          assert.deepEqual(Object.keys(v).sort(), ['key', 'name']);
          assert.equal(typeof v.key, 'string');
          assert.equal(typeof v.name, 'string');
        }
      } else {
        assert.ok(a.values === undefined || a.values === null || a.values.length === 0, `${code}.${a.code}: values of a ${a.datatype}`);
      }
    }
  }
  const rl = definitions.road_lighting.attributes;
  const kind = rl.find((a) => a.code === 'kind');
  const pole = rl.find((a) => a.code === 'pole');
  assert.ok(kind && pole, JSON.stringify(rl));
  assert.equal(kind.datatype, 'singlevaluelist');
  assert.deepEqual(kind.values.map((v) => v.key).sort(), ['complaint', 'suggestion']);
  assert.equal(pole.datatype, 'string');
  // the definition as the console gave it
  const hyd = definitions.hydrant.attributes;
  assert.deepEqual(hyd.map((a) => a.code), HYDRANT.attributes.map((a) => a.code));
  for (const want of HYDRANT.attributes) {
    const a = hyd.find((y) => y.code === want.code);
    assert.equal(a.datatype, want.datatype);
    assert.equal(a.required, want.required);
    assert.equal(a.order, want.order);
    assert.equal(a.description, want.description);
    assert.equal(a.variable, true);
    if (want.values) assert.deepEqual(a.values, want.values);
  }
  // an unknown service, in both formats, with and without a jurisdiction
  await bothFail(o311, 'services/no_such_service', {}, 404);
  await bothFail(bare, 'services/no_such_service', {}, 404);
});

test('unknown jurisdiction, unknown resource: 404 in the specification\'s form', async () => {
  const other = new Open311(srv.url, { apiKey: API_KEY, jurisdiction: 'elsewhere.example.org' });
  await bothFail(other, 'services', {}, 404);
  await bothFail(other, 'services/road_lighting', {}, 404);
  await bothFail(other, 'requests', {}, 404);
  for (const f of FORMATS) {
    const a = await other.post('requests', f, { service_code: 'road_lighting', lat: LAT, long: LONG,
      description: unique('elsewhere'), attributes: { kind: 'complaint' } });
    isError(a, 404);
  }
  await bothFail(o311, 'no_such_resource', {}, 404);
  await bothFail(o311, 'requests/999999999', {}, 404);
  await bothFail(o311, 'tokens/no-such-token', {}, 404);
});

// Two requests several tests read: made once, by whichever test needs
// them first, so that each test also runs alone.
let litMade = null;
function litRequest() { // a road_lighting request: {id, description, fields, item, before, token}
  litMade ??= (async () => {
    const description = `${unique('路灯不亮')} — R&D "park" 'east' > 3 nights < 5 days`;
    const fields = {
      service_code: 'road_lighting', lat: LAT, long: LONG, description,
      attributes: { kind: 'complaint', pole: 'ZY-0417' },
      email: 'li.hua@example.cn', first_name: '华', last_name: '李', phone: '13800001234',
      device_id: 'test-device-1', account_id: 'acct-77', media_url: 'https://example.cn/p/1.jpg',
    };
    const before = Date.now();
    const { item, id } = await submit(fields, 'json');
    const c = await officer.call('GET', `/api/v1/cases/${id}`);
    return { id, description, fields, item, before, token: (c.json.case || c.json).tracking_code };
  })();
  return litMade;
}
let addressMade = null;
function addressOnlyRequest() { // an environment request with an address only: {id, description}
  addressMade ??= (async () => {
    const description = unique('垃圾堆放');
    const { id } = await submit({
      service_code: 'environment', address_string: '张堰镇 新华路 88 号', description,
      lat: '', long: '', address_id: '', email: '', media_url: '', device_id: '', account_id: '',
      first_name: '', last_name: '', phone: '', jurisdiction_id: '',
    });
    return { id, description };
  })();
  return addressMade;
}

test('POST requests with lat/long and attributes, then GET requests/{id} in both formats', async () => {
  const { id, description, fields, item, before, token } = await litRequest();
  assert.ok(item.account_id === null || typeof item.account_id === 'string', `account_id ${item.account_id}`);
  const r = await getRequest(id);
  assert.equal(r.service_code, 'road_lighting');
  const { services } = await catalogue();
  assert.equal(r.service_name, services.find((s) => s.service_code === 'road_lighting').service_name);
  assert.equal(r.status, 'open');
  assert.equal(r.description, description);
  assert.ok(Math.abs(Number(r.lat) - LAT) < 1e-6, `lat ${r.lat}`);
  assert.ok(Math.abs(Number(r.long) - LONG) < 1e-6, `long ${r.long}`);
  assert.equal(r.media_url, fields.media_url);
  const t = Date.parse(r.requested_datetime);
  assert.ok(t >= before - 5000 && t <= Date.now() + 5000, `requested_datetime ${r.requested_datetime}`);
  if (r.updated_datetime) assert.ok(Date.parse(r.updated_datetime) >= t);
  // personal data is not published
  assert.ok(!r.text && !JSON.stringify(r).includes('13800001234') && !JSON.stringify(r).includes('li.hua@'), JSON.stringify(r));
  // the console sees the same case with its attributes
  const c = await officer.call('GET', `/api/v1/cases/${id}`);
  assert.equal(c.status, 200, c.text);
  const kase = c.json.case || c.json;
  assert.equal(kase.text, description);
  assert.deepEqual(kase.attributes, { kind: 'complaint', pole: 'ZY-0417' });
  // its tracking code reads as a token
  assert.match(kase.tracking_code, /^[2-9A-HJKMNP-Z]{10}$/);
  assert.equal(token, kase.tracking_code);

  // the same request posted in XML answers the same shape
  const fx = { ...fields, description: unique('路灯闪烁'), attributes: { kind: 'suggestion', pole: 'ZY-0418' } };
  const sx = await submit(fx, 'xml');
  assert.deepEqual(Object.keys(sx.item).filter((k) => k !== 'account_id').sort(),
    Object.keys(item).filter((k) => k !== 'account_id').sort());
  const rx = await getRequest(sx.id);
  assert.equal(rx.description, fx.description);
  assert.notEqual(sx.id, id);
});

test('POST requests with an address_string only, and optional fields sent empty', async () => {
  const { id, description } = await addressOnlyRequest();
  const r = await getRequest(id);
  assert.equal(r.service_code, 'environment');
  assert.equal(r.address, '张堰镇 新华路 88 号');
  assert.equal(r.description, description);
  // no location: null coordinates, never "" or 0; nothing else made up
  assert.strictEqual(r.lat, null);
  assert.strictEqual(r.long, null);
  for (const k of ['address_id', 'zipcode', 'media_url', 'service_notice']) assert.strictEqual(r[k], null, k);
  // and in XML, empty elements
  const x = await o311.get(`requests/${id}`, 'xml');
  const el = (name) => x.root.children[0].children.find((c) => c.name === name);
  for (const k of ['lat', 'long', 'address_id', 'zipcode', 'media_url', 'service_notice']) {
    assert.ok(el(k), `<${k}> missing`);
    assert.equal(el(k).text, '', `<${k}>`);
    assert.equal(el(k).children.length, 0, `<${k}>`);
  }
});

test('POST requests with an address_id: kept and given back as address_id', async () => {
  const addressId = `JS-ZY-${Date.now().toString(36)}-0088`;
  const { id } = await submit({ service_code: 'environment', address_id: addressId, description: unique('垃圾桶满溢') });
  const r = await getRequest(id);
  assert.equal(r.address_id, addressId);
  assert.strictEqual(r.address, null, 'the id is no address to read');
  assert.strictEqual(r.lat, null);
  // with an address_string and coordinates, each in its place
  const both = await submit({ service_code: 'environment', address_id: 'ZY/0042 & <1>', address_string: '张堰镇 东市街 42 号',
    lat: LAT, long: LONG, description: unique('垃圾桶破损') }, 'xml');
  const b = await getRequest(both.id);
  assert.equal(b.address_id, 'ZY/0042 & <1>');
  assert.equal(b.address, '张堰镇 东市街 42 号');
  assert.ok(Math.abs(b.lat - LAT) < 1e-6 && Math.abs(b.long - LONG) < 1e-6);
  // one too long is refused, naming it
  const a = await o311.post('requests', 'json', { service_code: 'environment', address_id: 'x'.repeat(401) });
  isError(a, 400);
  assert.match(a.data[0].description, /address_id/);
});

test('POST answers by service type: a realtime service the id, never a token too', async () => {
  for (const f of FORMATS) {
    const a = await o311.post('requests', f, { service_code: 'community', lat: LAT, long: LONG, description: unique('楼道灯') });
    const item = await checkPosted(a, f, 'community');
    assert.equal(await serviceType('community'), 'realtime');
    assert.match(item.service_request_id, /^[1-9][0-9]*$/);
    assert.ok(!('token' in item), a.text);
    await getRequest(item.service_request_id);
  }
});

test('tokens/{token}: the id a token stands for, in both formats', async () => {
  const lit = await litRequest();
  // a resident's tracking code, from the web form, is a token
  const p = await fetch(`${srv.url}/api/v1/public/cases`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'suggestion', category: 'community', text: unique('建议小区增设休息座椅') }) });
  const made = await p.json();
  assert.equal(p.status, 201, JSON.stringify(made));
  const token = made.tracking_code;
  const id = String(made.case.id);
  for (const tok of [token, lit.token]) {
    const t = await o311.both(`tokens/${encodeURIComponent(tok)}`);
    assert.equal(t.status, 200, t.text);
    assert.equal(t.xml.root.name, 'service_requests');
    assertValid(t.data, listOf(SCHEMA.tokenResponse), 'tokens');
    assert.equal(t.data.length, 1);
    assert.equal(t.data[0].token, tok);
    await getRequest(t.data[0].service_request_id);
  }
  assert.equal((await o311.get(`tokens/${token}`, 'json')).data[0].service_request_id, id);
  assert.equal((await o311.get(`tokens/${lit.token}`, 'json')).data[0].service_request_id, lit.id);
  await bothFail(o311, 'tokens/2222222222', {}, 404);
});

test('api_key in the query string or in the body; twice only if the same', async () => {
  const fields = { service_code: 'parking', address_string: '张堰镇 新华路', description: unique('占道停车') };
  const post = async (query, body) => {
    const res = await fetch(`${srv.url}/open311/v2/requests.json${query}`, { method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: formBody(body) });
    return { status: res.status, text: await res.text() };
  };
  const q = `?api_key=${encodeURIComponent(API_KEY)}`;
  for (const [where, query, body] of [['query', q, fields], ['body', '', { ...fields, api_key: API_KEY }],
    ['both', q, { ...fields, api_key: API_KEY }],
    ['query with the jurisdiction', `${q}&jurisdiction_id=${JURISDICTION}`, fields]]) {
    const a = await post(query, { ...body, description: unique(`占道停车 ${where}`) });
    assert.equal(a.status, 201, `${where}: ${a.text}`);
    const item = JSON.parse(a.text)[0];
    assert.ok(item.service_request_id, a.text);
    await getRequest(item.service_request_id);
  }
  // refused: none, a bad one in the query, two that differ, another jurisdiction
  const refused = [
    [403, '', fields], [403, '?api_key=not-a-key', fields],
    [400, q, { ...fields, api_key: `${API_KEY.slice(0, -1)}x` }],
    [404, `${q}&jurisdiction_id=elsewhere.example.org`, fields],
  ];
  for (const [status, query, body] of refused) {
    const a = await post(query, body);
    assert.equal(a.status, status, `${query}: ${a.text}`);
    isError({ status: a.status, data: JSON.parse(a.text), text: a.text }, status);
  }
});

test('refused POSTs: 403 without a good api_key, 404 unknown service, 400 bad input; nothing written', async () => {
  const window = recent();
  const count0 = (await ids(window)).length;
  const newest = async () => (await officer.call('GET', '/api/v1/cases?limit=1')).json.items[0].id;
  const top0 = await newest();
  const good = { service_code: 'road_lighting', lat: LAT, long: LONG, attributes: { kind: 'complaint', pole: 'P-1' } };
  const hydrant = { service_code: 'hydrant', lat: LAT, long: LONG, attributes: { hydrant_no: 'H-9', damage: ['leak'] } };
  const { definitions } = await catalogue();
  const required = definitions.hydrant.attributes.filter((a) => a.required);
  assert.deepEqual(required.map((a) => a.code), ['hydrant_no', 'damage']);
  const cases = [
    [403, 'no api_key', { ...good, api_key: undefined }],
    [403, 'empty api_key', { ...good, api_key: '' }],
    [403, 'bad api_key', { ...good, api_key: 'not-a-key' }],
    [403, 'a key with a character changed', { ...good, api_key: API_KEY.slice(0, -1) + (API_KEY.endsWith('A') ? 'B' : 'A') }],
    [404, 'unknown service', { ...good, service_code: 'no_such_service' }],
    [400, 'no service_code', { ...good, service_code: undefined }],
    [400, 'no location', { ...good, lat: undefined, long: undefined }],
    [400, 'location sent empty', { ...good, lat: '', long: '', address_string: '' }],
    [400, 'lat without long', { ...good, long: undefined }],
    [400, 'lat not a number', { ...good, lat: 'north' }],
    [400, 'lat with trailing junk', { ...good, lat: '30.8x' }],
    [400, 'lat beyond 90', { ...good, lat: '91' }],
    [400, 'long beyond 180', { ...good, long: '181' }],
    [400, 'lat not a number at all', { ...good, lat: 'NaN' }],
    [400, 'long infinite', { ...good, long: 'inf' }],
    [400, 'description over 4,000 characters', { ...good, description: 'x'.repeat(4001) }],
    [400, 'a value outside the singlevaluelist', { ...good, attributes: { ...good.attributes, kind: 'praise' } }],
    [400, 'two values for a singlevaluelist', { ...good, attributes: { ...good.attributes, kind: ['complaint', 'suggestion'] } }],
    [400, 'a value outside the multivaluelist', { ...hydrant, attributes: { ...hydrant.attributes, damage: ['leak', 'rust'] } }],
    [400, 'a number that is not', { ...hydrant, attributes: { ...hydrant.attributes, pressure: 'high' } }],
    [400, 'a number that is not a number', { ...hydrant, attributes: { ...hydrant.attributes, pressure: 'NaN' } }],
    [400, 'a number that is infinite', { ...hydrant, attributes: { ...hydrant.attributes, pressure: 'Infinity' } }],
    [400, 'two values for a number', { ...hydrant, attributes: { ...hydrant.attributes, pressure: ['1', '2'] } }],
    [400, 'two values for a required string', { ...hydrant, attributes: { ...hydrant.attributes, hydrant_no: ['H-1', 'H-2'] } }],
    [400, 'a datetime that is not', { ...hydrant, attributes: { ...hydrant.attributes, seen_at: 'last night' } }],
    [400, 'a value outside a singlevaluelist of the service', { ...hydrant, attributes: { ...hydrant.attributes, urgency: 'medium' } }],
  ];
  for (const a of required) {
    const attributes = { ...hydrant.attributes };
    delete attributes[a.code];
    cases.push([400, `required attribute ${a.code} missing`, { ...hydrant, attributes }]);
    cases.push([400, `required attribute ${a.code} sent empty`, { ...hydrant, attributes: { ...attributes, [a.code]: '' } }]);
  }
  cases.push([400, 'no attribute at all for a service that requires some', { ...hydrant, attributes: {} }]);
  const wrong = [];
  for (const [status, name, fields] of cases) {
    for (const f of FORMATS) {
      const a = await o311.post('requests', f, { description: unique(name), ...fields });
      if (a.status !== status) wrong.push(`${name} (${f}): ${a.status} ${a.text}`);
      else isError(a, status);
    }
  }
  assert.deepEqual(wrong, []);
  assert.equal((await ids(window)).length, count0, 'a refused POST wrote a request');
  assert.equal(await newest(), top0, 'a refused POST wrote a case');
});

test('a service with an attribute of every datatype: attribute[CODE][]=v for several values', async () => {
  const attributes = { hydrant_no: 'H-0231', damage: ['leak', 'blocked'], pressure: '2.5',
    seen_at: '2024-05-01T21:30:00+08:00', notes: '井盖旁有积水', urgency: 'high' };
  const description = unique('消防栓漏水');
  const { id } = await submit({ service_code: 'hydrant', lat: LAT, long: LONG, description, attributes });
  const r = await getRequest(id);
  assert.equal(r.service_code, 'hydrant');
  assert.equal(r.service_name, HYDRANT.name_zh);
  const c = await officer.call('GET', `/api/v1/cases/${id}`);
  const kase = c.json.case || c.json;
  assert.equal(kase.text, description);
  for (const [k, v] of Object.entries(attributes))
    assert.deepEqual(kase.attributes[k], k === 'pressure' ? kase.attributes[k] : v, `attribute ${k}`);
  assert.equal(Number(kase.attributes.pressure), 2.5);
  // one value of a multivaluelist sent without []
  const one = await submit({ service_code: 'hydrant', lat: LAT, long: LONG, description: unique('消防栓缺盖'),
    attributes: { hydrant_no: 'H-0232', damage: ['cap'] } });
  await getRequest(one.id);
});

test('every service offered takes a request that can be read back', async () => {
  const { services, definitions } = await catalogue();
  for (const x of services) {
    const attributes = {};
    for (const a of definitions[x.service_code].attributes.filter((y) => y.required))
      attributes[a.code] = a.datatype === 'multivaluelist' ? [a.values[0].key]
        : a.datatype === 'singlevaluelist' ? a.values[0].key : a.datatype === 'number' ? '1' : 'x1';
    const a = await o311.post('requests', 'json', { service_code: x.service_code, lat: LAT, long: LONG,
      description: unique(`${x.service_name} 测试`), attributes });
    assert.equal(a.status, 201, `${x.service_code}: ${a.status} ${a.text}`);
    const id = a.data[0].service_request_id;
    const r = await o311.get(`requests/${id}`, 'json');
    assert.equal(r.status, 200, `${x.service_code}: request ${id} posted, then ${r.status} ${r.text}`);
  }
});

test('GET requests: service_request_id list overrides, service_code list, empty parameters unsent', async () => {
  const lit = await litRequest();
  const addressOnly = await addressOnlyRequest();
  // a comma list of ids, whatever else is asked
  const old = { start_date: isoAt(Date.now() - 400 * DAY, 480), end_date: isoAt(Date.now() - 380 * DAY, 480) };
  for (const extra of [{}, { service_code: 'parking', status: 'closed', ...old }]) {
    const got = await ids({ service_request_id: `${lit.id},${addressOnly.id}`, ...extra });
    assert.deepEqual([...got].sort(), [lit.id, addressOnly.id].sort(), JSON.stringify(extra));
  }
  const one = await ids({ service_request_id: lit.id });
  assert.deepEqual(one, [lit.id]);
  // another jurisdiction has none of them
  const other = new Open311(srv.url, { jurisdiction: 'elsewhere.example.org' });
  await bothFail(other, `requests/${lit.id}`, {}, 404);
  await bothFail(other, 'requests', { service_request_id: lit.id }, 404);
  if (lit.token) await bothFail(other, `tokens/${lit.token}`, {}, 404);
  // a comma list of service codes
  const w = recent();
  const rl = await ids({ service_code: 'road_lighting', ...w });
  const env = await ids({ service_code: 'environment', ...w });
  const both = await ids({ service_code: 'road_lighting,environment', ...w });
  assert.ok(rl.includes(lit.id) && env.includes(addressOnly.id));
  assert.deepEqual([...both].sort(), [...rl, ...env].sort());
  const listed = await o311.both('requests', { service_code: 'road_lighting,environment', ...w });
  for (const r of listed.data) assert.ok(['road_lighting', 'environment'].includes(r.service_code), r.service_code);
  // in the list, a request reads as it does alone
  const alone = await getRequest(lit.id);
  assert.deepEqual(listed.data.find((r) => r.service_request_id === lit.id), alone);
  // optional parameters sent empty count as not sent
  const plain = await ids({});
  const empty = await ids({ service_request_id: '', service_code: '', start_date: '', end_date: '', status: '', jurisdiction_id: '' });
  assert.deepEqual(empty, plain);
  assert.ok(plain.includes(lit.id), 'the default window holds a request made now');
  assert.ok(plain.length <= 1000, 'at most the first 1,000');
});

test('GET requests: by status, with a service and without, in the order of the whole list', async () => {
  // A page by status is read from another index than the whole list
  // (store_cases): the same requests in the same order, newest first.
  await litRequest();
  const all = (await o311.get('requests', 'json', {})).data;
  for (const status of ['open', 'closed']) {
    for (const code of [null, 'road_lighting']) {
      const q = code ? { status, service_code: code } : { status };
      const r = await o311.get('requests', 'json', q);
      assert.equal(r.status, 200, r.text);
      const want = all.filter((x) => x.status === status && (!code || x.service_code === code));
      assert.ok(want.length > 0, `the demo has ${JSON.stringify(q)}`);
      // The whole list stops at 1,000: what it holds begins the page.
      assert.deepEqual(r.data.slice(0, want.length).map((x) => x.service_request_id),
        want.map((x) => x.service_request_id), JSON.stringify(q));
      for (const x of r.data) assert.equal(x.status, status);
    }
  }
});

test('GET requests: start_date and end_date with a zone, a span of 90 days at most', async () => {
  const lit = await litRequest();
  const r = await getRequest(lit.id);
  const t = Date.parse(r.requested_datetime);
  const has = async (s, e) => (await ids({ service_request_id: undefined, start_date: s, end_date: e, service_code: 'road_lighting' })).includes(lit.id);
  // the same window written in Shanghai time, in UTC and in New York time
  for (const off of [480, 0, -300]) {
    assert.ok(await has(isoAt(t - 60000, off), isoAt(t + 60000, off)), `window around it, offset ${off}`);
    assert.ok(!(await has(isoAt(t + 60000, off), isoAt(t + 120000, off))), `window after it, offset ${off}`);
    assert.ok(!(await has(isoAt(t - 120000, off), isoAt(t - 60000, off))), `window before it, offset ${off}`);
  }
  // only one end given
  assert.ok((await ids({ start_date: isoAt(t - 60000, 480) })).includes(lit.id));
  assert.ok(!(await ids({ start_date: isoAt(t + 60000, 480) })).includes(lit.id));
  assert.ok(!(await ids({ end_date: isoAt(t - 60000, 480) })).includes(lit.id));
  // every request listed lies in the window asked for
  const s = t - 30 * DAY; const e = t + 60000;
  for (const x of (await o311.both('requests', { start_date: isoAt(s, 480), end_date: isoAt(e, 480) })).data) {
    const q = Date.parse(x.requested_datetime);
    assert.ok(q >= s - 1000 && q <= e + 1000, `${x.service_request_id} at ${x.requested_datetime}`);
  }
  // a leap day is a day
  assert.equal((await o311.get('requests', 'json', { start_date: '2024-02-29T12:00:00+08:00' })).status, 200);
  // 90 days is allowed, more is refused
  assert.equal((await o311.get('requests', 'json', { start_date: isoAt(t - 89 * DAY, 480), end_date: isoAt(t + 60000, 480) })).status, 200);
  await bothFail(o311, 'requests', { start_date: isoAt(t - 100 * DAY, 480), end_date: isoAt(t, 480) }, 400);
  // malformed dates, and the profile's dates without a time, which name
  // no instant: 400 naming the parameter
  const wrong = [];
  for (const bad of ['yesterday', '2024-13-45T00:00:00Z', '2024-02-30T10:00:00+08:00', '2024-01-01T25:00:00Z',
    '2024-01-01T00:00:00', '2024-01-01T00:00:00+8', '2024-01-01T00:00:00+8:00', '2024-1-01T00:00:00Z',
    '2024-01-01T0:00:00Z', ' 2024-01-01T00:00:00Z', '2024/01/01', '2023-02-29T12:00:00Z',
    '2024', '2024-01', '2024-01-01', '2024-01-01T10Z', '2024-01-01T10:00:00.Z', '2024-01-01T10:00:60Z',
    '2024-01-01T10:00:00+0800', '2024-01-01t10:00:00z', '2024-01-01T10:00:00Z junk']) {
    for (const p of ['start_date', 'end_date']) {
      for (const f of FORMATS) {
        const a = await o311.get('requests', f, { [p]: bad });
        if (a.status !== 400) wrong.push(`${p}=${bad} (${f}): ${a.status}`);
        else if (!isError(a, 400)[0].description.startsWith(`${p}:`)) wrong.push(`${p}=${bad}: ${a.text}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
  await bothFail(o311, 'requests', { status: 'pending' }, 400);
});

// A moment in one of the W3C profile's forms of a date-time, in a given
// offset from UTC in minutes: min (no seconds), sec, or frac (seconds with
// a fraction of the given digits).
function w3cAt(ms, offset, form, digits = 3) {
  const local = new Date(ms + offset * 60000).toISOString();
  const a = Math.abs(offset);
  const zone = offset === 0 && form !== 'sec' ? 'Z' : `${offset < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
  const time = form === 'min' ? local.slice(0, 16) : local.slice(0, 19);
  const frac = form === 'frac' ? `.${local.slice(20, 23)}${'7'.repeat(Math.max(0, digits - 3))}`.slice(0, digits + 1) : '';
  return `${time}${frac}${zone}`;
}

test('GET requests: every W3C form of a date-time, converted to UTC', async () => {
  const lit = await litRequest();
  const r = await getRequest(lit.id);
  const t = Date.parse(r.requested_datetime);
  const has = async (s, e) => (await ids({ start_date: s, end_date: e, service_code: 'road_lighting' })).includes(lit.id);
  assert.equal(w3cAt(Date.UTC(2024, 0, 1, 20, 5, 6, 789), 480, 'min'), '2024-01-02T04:05+08:00');
  assert.equal(w3cAt(Date.UTC(2024, 0, 1, 20, 5, 6, 789), 0, 'frac', 1), '2024-01-01T20:05:06.7Z');
  assert.equal(w3cAt(Date.UTC(2024, 0, 1, 20, 5, 6, 789), -570, 'frac', 12), '2024-01-01T10:35:06.789777777777-09:30');
  const forms = [['min'], ['sec'], ['frac', 1], ['frac', 3], ['frac', 9], ['frac', 15]];
  // Shanghai, UTC, New York, Kathmandu, the Marquesas, Kiribati
  for (const off of [480, 0, -300, 345, -570, 840]) {
    for (const [form, digits] of forms) {
      const w = (ms) => w3cAt(ms, off, form, digits);
      assert.match(w(t), ISO);
      assert.ok(await has(w(t - 120000), w(t + 120000)), `around it: ${w(t - 120000)} to ${w(t + 120000)}`);
      assert.ok(!(await has(w(t + 120000), w(t + 240000))), `after it: ${w(t + 120000)}`);
      assert.ok(!(await has(w(t - 240000), w(t - 120000))), `before it: ${w(t - 240000)} to ${w(t - 120000)}`);
    }
  }
  // both ends are included, to the second
  const at = (ms, off) => w3cAt(ms, off, 'sec');
  assert.ok(await has(r.requested_datetime, r.requested_datetime), 'start_date = end_date = requested_datetime');
  assert.ok(await has(at(t, -300), at(t, 480)), 'the same instant in two zones');
  assert.ok(await has(w3cAt(t, 0, 'frac', 6), w3cAt(t, 0, 'frac', 6)), 'with a fraction');
  assert.ok(!(await has(at(t - 1000, 480), at(t - 1000, 480))), 'a second before');
  assert.ok(!(await has(at(t + 1000, 480), at(t + 1000, 480))), 'a second after');
  // 90 days written in two zones: the span is between instants
  const start = w3cAt(t - 90 * DAY + 120000, 840, 'min');
  const end = w3cAt(t + 60000, -600, 'sec');
  assert.ok(await has(start, end), `${start} to ${end}`);
  await bothFail(o311, 'requests', { start_date: w3cAt(t - 90 * DAY - 60000, 840, 'sec'), end_date: w3cAt(t, -600, 'sec') }, 400);
  // a + sent unescaped in the query string arrives as a space; it is read as the +
  const raw = async (s, e) => {
    const res = await fetch(`${srv.url}/open311/v2/requests.json?service_code=road_lighting&start_date=${s}&end_date=${e}`);
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()).map((x) => x.service_request_id).includes(lit.id);
  };
  assert.ok(await raw(w3cAt(t - 120000, 480, 'sec'), w3cAt(t + 120000, 480, 'sec')));
  assert.ok(!(await raw(w3cAt(t + 120000, 480, 'sec'), w3cAt(t + 240000, 480, 'sec'))));
  // a datetime attribute takes the same forms
  for (const seen of ['2024-05-01T21:30+08:00', '2024-05-01T21:30:15.25-04:00', '2024-05-01T13:30:15Z']) {
    await submit({ service_code: 'hydrant', lat: LAT, long: LONG, description: unique('消防栓'),
      attributes: { hydrant_no: 'H-7', damage: ['cap'], seen_at: seen } });
  }
  for (const seen of ['2024-05-01', '2024-05-01T21:30', 'last night']) {
    const a = await o311.post('requests', 'json', { service_code: 'hydrant', lat: LAT, long: LONG,
      attributes: { hydrant_no: 'H-7', damage: ['cap'], seen_at: seen } });
    isError(a, 400);
    assert.match(a.data[0].description, /attribute\[seen_at\]/);
  }
});

test('enterprises\' problems are not published; residents\' requests are', async () => {
  const p = await officer.call('GET', '/api/v1/cases?kind=problem&limit=200');
  assert.equal(p.status, 200, p.text);
  assert.ok(p.json.items.length > 0, 'the demo has enterprises\' problems');
  const problems = new Set(p.json.items.map((c) => String(c.id)));
  const all = await ids({});
  assert.ok(!all.some((x) => problems.has(x)), 'a problem in GET requests');
  const wide = await ids({ start_date: isoAt(Date.now() - 89 * DAY, 480), end_date: isoAt(Date.now() + DAY, 480) });
  assert.ok(!wide.some((x) => problems.has(x)), 'a problem in GET requests');
  const first = p.json.items[0].id;
  await bothFail(o311, `requests/${first}`, {}, 404);
  assert.deepEqual(await ids({ service_request_id: String(first) }), []);
  // residents' suggestions and complaints from the console are
  const s = await officer.call('GET', '/api/v1/cases?kind=suggestion&limit=5');
  for (const c of s.json.items.filter((x) => !x.merged_into)) {
    const r = await o311.both(`requests/${c.id}`);
    assert.equal(r.status, 200, `suggestion ${c.id}: ${r.text}`);
  }
});

test('a description of 4,000 characters, not bytes, is taken whole', async () => {
  const description = `${unique('长')} ${'张堰镇路灯'.repeat(800)}`.slice(0, 4000);
  assert.equal([...description].length, 4000);
  const { id } = await submit({ service_code: 'road_lighting', lat: LAT, long: LONG, description });
  assert.equal((await getRequest(id)).description, description);
});

test('a case moved through its lifecycle in the console reads open, then closed, with its notes', async () => {
  const lit = await litRequest();
  const call = async (id, what, body) => {
    const r = await officer.call('POST', `/api/v1/cases/${id}/${what}`, body);
    assert.equal(r.status, 200, `${what} ${JSON.stringify(body)}: ${r.status} ${r.text}`);
  };
  const { id } = await submit({ service_code: 'road_lighting', lat: LAT, long: LONG,
    description: unique('荣威路路灯'), attributes: { kind: 'complaint', pole: 'RW-12' } });
  let last = await getRequest(id);
  assert.equal(last.status, 'open');
  assert.equal(typeof last.status_notes, 'string');
  const reply = '已更换灯泡和镇流器，路灯恢复照明。';
  // resolved is the department's report, which the town verifies (a
  // callback to the resident) before it closes the case: the request is
  // finished only when closed.
  const steps = [
    ['accepted', '已受理', 'open'],
    ['assigned', '已派单至市政养护', 'open'],
    ['in_progress', '维修人员已到场', 'open'],
    ['reply', reply, 'open'],
    ['resolved', '维修完成', 'open'],
    ['callback', '回访满意', 'open'],
    ['closed', '回访满意，办结', 'closed'],
  ];
  for (const [to, note, status] of steps) {
    if (to === 'reply') await call(id, 'reply', { reply: note });
    else if (to === 'callback') await call(id, 'callback', { rating: 5, note });
    else await call(id, 'transition', { to, note });
    const r = await getRequest(id);
    assert.equal(r.status, status, `${to} reads ${r.status}`);
    assert.equal(typeof r.status_notes, 'string', `${to}: status_notes ${r.status_notes}`);
    assert.ok(r.status_notes.length > 0, `${to}: status_notes empty`);
    // the department's answer explains the status from the time it is given
    if (['reply', 'resolved', 'closed'].includes(to)) assert.ok(r.status_notes.includes(reply), `${to}: status_notes ${r.status_notes}`);
    isIso(r.updated_datetime, 'updated_datetime');
    assert.ok(Date.parse(r.updated_datetime) >= Date.parse(last.updated_datetime || last.requested_datetime));
    last = r;
  }
  assert.ok((await ids({ status: 'closed', ...recent() })).includes(id));
  assert.ok(!(await ids({ status: 'open', ...recent() })).includes(id));

  // rejected, with its reason
  const rej = await submit({ service_code: 'parking', address_string: '张堰镇 东市街', description: unique('乱停车') });
  await call(rej.id, 'transition', { to: 'rejected', note: '不属本镇管辖，已告知区交警' });
  const r = await getRequest(rej.id);
  assert.equal(r.status, 'closed');
  assert.match(r.status_notes, /不属本镇管辖/);

  // open and closed split the list between them
  const w = recent();
  const all = await ids(w);
  const open = await ids({ ...w, status: 'open' });
  const closed = await ids({ ...w, status: 'closed' });
  assert.deepEqual([...open, ...closed].sort(), [...all].sort());
  assert.ok(open.includes(lit.id) && closed.includes(rej.id) && closed.includes(id));
});

test('a closed request was last updated when it was closed', async () => {
  const { id } = await submit({ service_code: 'road_lighting', lat: LAT, long: LONG,
    description: unique('路灯闪烁'), attributes: { kind: 'complaint' } });
  for (const to of ['accepted', 'assigned', 'in_progress', 'resolved', 'closed']) {
    // the resident could not be reached: the callback given up, the case may close
    for (let i = 0; to === 'closed' && i < 3; i++) {
      const u = await officer.call('POST', `/api/v1/cases/${id}/callback`, { unreached: true });
      assert.equal(u.status, 200, u.text);
    }
    const m = await officer.call('POST', `/api/v1/cases/${id}/transition`, { to, note: `${to} 处理记录` });
    assert.equal(m.status, 200, m.text);
  }
  const kase = async () => { const c = await officer.call('GET', `/api/v1/cases/${id}`); return c.json.case || c.json; };
  const closed = (await kase()).closed_at;
  isIso(closed, 'closed_at');
  let r = await getRequest(id);
  assert.equal(r.status, 'closed');
  assert.equal(Date.parse(r.updated_datetime), Date.parse(closed));
  // a change after the close (the resident's rating, a second later) is no update of the request
  await new Promise((res) => setTimeout(res, 1100));
  const rated = await officer.call('POST', `/api/v1/cases/${id}/rating`, { rating: 5, note: '回访满意' });
  assert.equal(rated.status, 200, rated.text);
  const after = await kase();
  assert.ok(Date.parse(after.updated_at) > Date.parse(closed), `updated_at ${after.updated_at}, closed_at ${closed}`);
  r = await getRequest(id);
  assert.equal(Date.parse(r.updated_datetime), Date.parse(closed), `updated_datetime ${r.updated_datetime}`);
  // so in the list, and for a rejected request too
  const listed = (await o311.both('requests', { service_request_id: id })).data[0];
  assert.equal(listed.updated_datetime, r.updated_datetime);
  const rej = await submit({ service_code: 'parking', address_string: '张堰镇 新华路', description: unique('乱停车') });
  const m = await officer.call('POST', `/api/v1/cases/${rej.id}/transition`, { to: 'rejected', note: '不属本镇管辖' });
  assert.equal(m.status, 200, m.text);
  const rc = await officer.call('GET', `/api/v1/cases/${rej.id}`);
  assert.equal(Date.parse((await getRequest(rej.id)).updated_datetime), Date.parse((rc.json.case || rc.json).closed_at));
});

test('extensions=true: the attributes as elements in XML, as a list in JSON, and the notes', async () => {
  const addressOnly = await addressOnlyRequest();
  const attributes = { hydrant_no: 'H-<08>&1', damage: ['leak', 'blocked'], pressure: '2.5', urgency: 'high',
    seen_at: '2024-05-01T21:30:00+08:00' };
  const { id } = await submit({ service_code: 'hydrant', lat: LAT, long: LONG, description: unique('消防栓'), attributes });
  const r = await getRequest(id, { extensions: 'true' });
  assert.ok(Array.isArray(r.attributes), `attributes ${JSON.stringify(r.attributes)}`);
  // in the order of the service definition, a multivaluelist's values one by one
  assert.deepEqual(r.attributes.map((a) => [a.code, a.value]), [['hydrant_no', 'H-<08>&1'], ['damage', 'leak'],
    ['damage', 'blocked'], ['pressure', 2.5], ['seen_at', '2024-05-01T21:30:00+08:00'], ['urgency', 'high']]);
  assert.ok(r.notes.length >= 1);
  // XML: elements, not JSON text
  const x = await o311.get(`requests/${id}`, 'xml', { extensions: 'true' });
  const req = x.root.children[0];
  const attrs = req.children.find((c) => c.name === 'attributes');
  assert.ok(attrs && attrs.children.length === r.attributes.length, x.text);
  for (const a of attrs.children) {
    assert.equal(a.name, 'attribute');
    assert.deepEqual(a.children.map((c) => c.name), ['code', 'value']);
    for (const c of a.children) assert.equal(c.children.length, 0);
  }
  assert.ok(!/[{}]/.test(attrs.children.map((a) => a.children.map((c) => c.text).join('')).join('')), 'JSON text in <attributes>');
  assert.ok(x.text.includes('<value>H-&lt;08&gt;&amp;1</value>'), x.text);
  // a request without attributes has an empty list; without extensions, neither member
  const plain = await getRequest(addressOnly.id, { extensions: 'true' });
  assert.deepEqual(plain.attributes, []);
  const none = await getRequest(id);
  assert.ok(!('attributes' in none) && !('notes' in none));
  // the list of requests carries them the same way
  const listed = await o311.both('requests', { service_request_id: id, extensions: 'true' });
  assertValid(listed.data, listOf(SCHEMA.extendedRequest));
  assert.deepEqual(listed.data[0].attributes, r.attributes);
});

test('CORS: preflight and headers for an allowed origin, none for a foreign one', async () => {
  const url = (p) => `${srv.url}/open311/v2/${p}`;
  for (const origin of ORIGINS) {
    for (const p of ['requests.json', 'services.xml', 'requests/1.json']) {
      const pre = await fetch(url(p), { method: 'OPTIONS', headers: { Origin: origin,
        'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } });
      assert.equal(pre.status, 204, `${p} from ${origin}`);
      assert.equal(await pre.text(), '');
      assert.equal(pre.headers.get('access-control-allow-origin'), origin);
      const methods = pre.headers.get('access-control-allow-methods').split(/\s*,\s*/);
      assert.ok(methods.includes('GET') && methods.includes('POST'), methods.join());
      assert.match(pre.headers.get('access-control-allow-headers'), /\bcontent-type\b/i);
      assert.match(pre.headers.get('vary') || '', /\bOrigin\b/);
      assert.equal(pre.headers.get('access-control-allow-credentials'), null);
    }
    const g = await fetch(url('services.json'), { headers: { Origin: origin } });
    assert.equal(g.status, 200);
    await g.text();
    assert.equal(g.headers.get('access-control-allow-origin'), origin);
    assert.match(g.headers.get('vary'), /\bOrigin\b/);
    // an error is readable too, and so is the answer to a POST
    const e = await fetch(url('requests/999999999.json'), { headers: { Origin: origin } });
    assert.equal(e.status, 404);
    await e.text();
    assert.equal(e.headers.get('access-control-allow-origin'), origin);
    const post = await fetch(url('requests.json'), { method: 'POST', headers: { Origin: origin,
      'Content-Type': 'application/x-www-form-urlencoded' },
    body: formBody({ api_key: API_KEY, service_code: 'parking', address_string: '张堰镇', description: unique('CORS') }) });
    assert.equal(post.status, 201, await post.clone().text());
    await post.text();
    assert.equal(post.headers.get('access-control-allow-origin'), origin);
  }
  // a foreign origin: the preflight gets no permission, the answers no CORS header
  for (const origin of ['https://evil.example.com', 'https://map.example.org.evil.example', 'http://map.example.org', 'null']) {
    const pre = await fetch(url('requests.json'), { method: 'OPTIONS', headers: { Origin: origin,
      'Access-Control-Request-Method': 'POST' } });
    assert.equal(pre.status, 204);
    await pre.text();
    for (const h of ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers'])
      assert.equal(pre.headers.get(h), null, `${h} for ${origin}`);
    const g = await fetch(url('services.json'), { headers: { Origin: origin } });
    await g.text();
    assert.equal(g.headers.get('access-control-allow-origin'), null, origin);
    assert.match(g.headers.get('vary'), /\bOrigin\b/);
  }
  // without an Origin, none either; the console's API has none at all
  const g = await fetch(url('services.json'));
  await g.text();
  assert.equal(g.headers.get('access-control-allow-origin'), null);
  const api = await fetch(`${srv.url}/api/v1/case-categories`, { headers: { Origin: ORIGINS[0] } });
  await api.text();
  assert.equal(api.headers.get('access-control-allow-origin'), null);
});

test('CORS: none by default, any origin with *', async () => {
  const plain = await start();
  try {
    const pre = await fetch(`${plain.url}/open311/v2/requests.json`, { method: 'OPTIONS', headers: { Origin: ORIGINS[0],
      'Access-Control-Request-Method': 'GET' } });
    assert.equal(pre.status, 204);
    await pre.text();
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
    const g = await fetch(`${plain.url}/open311/v2/services.json`, { headers: { Origin: ORIGINS[0] } });
    await g.text();
    assert.equal(g.headers.get('access-control-allow-origin'), null);
  } finally {
    await plain.stop();
  }
  const any = await start({ env: { QUNYAN_OPEN311_ORIGINS: '*' } });
  try {
    for (const origin of ['https://anywhere.example', ORIGINS[1]]) {
      const g = await fetch(`${any.url}/open311/v2/services.json`, { headers: { Origin: origin } });
      await g.text();
      assert.equal(g.headers.get('access-control-allow-origin'), origin);
    }
  } finally {
    await any.stop();
  }
});

test('the access log names the Open311 route of each request', async () => {
  // the log is written in blocks: enough lines after ours push them out
  for (let i = 0; i < 100; i++) await (await fetch(`${srv.url}/healthz`)).text();
  const text = readFileSync(join(srv.dir, 'access.log'), 'utf8');
  const lines = text.slice(0, text.lastIndexOf('\n')).split('\n').map((l) => JSON.parse(l));
  const routes = new Set(lines.map((l) => l.route));
  for (const r of ['GET /open311/v2/discovery', 'GET /open311/v2/services', 'GET /open311/v2/services/:code',
    'GET /open311/v2/requests', 'GET /open311/v2/requests/:id', 'GET /open311/v2/tokens/:token', 'POST /open311/v2/requests'])
    assert.ok(routes.has(r), `${r} not in the access log: ${[...routes].filter((x) => /open311/.test(x))}`);
});

test('paging (page, page_size): pages cover the list once, in order; bad values are 400', async () => {
  const window = { start_date: isoAt(Date.now() - 80 * 86400000, 480), end_date: isoAt(Date.now() + 3600000, 480) };
  const whole = await ids(window);
  assert.ok(whole.length >= 7, `enough requests to page: ${whole.length}`);
  const paged = [];
  for (let page = 1; page <= whole.length; page++) {
    const one = await ids({ ...window, page, page_size: 3 });
    assert.ok(one.length <= 3);
    if (!one.length) break;
    paged.push(...one);
  }
  assert.deepEqual(paged, whole, 'every request once, in the same order');
  assert.deepEqual(await ids({ ...window, page: 1000, page_size: 3 }), []);
  for (const bad of [{ page: 0 }, { page: 'x' }, { page_size: 0 }, { page_size: 1001 }, { page_size: '2.5' }]) {
    const r = await o311.get('requests', 'json', { ...window, ...bad });
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.match(r.data[0].description, new RegExp(Object.keys(bad)[0]));
  }
});
