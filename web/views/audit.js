// The audit log (/audit), for the administrator of the whole tree: each
// entry of GET /api/v1/audit told as a sentence in the reader's language
// ("王敏 修改了企业「上海起帆电缆股份有限公司」") with the person's display
// name, the town's local time and, for a change, what changed from what
// to what; narrowed by kind of record, record number, person, action and
// days; older entries a page at a time (next, sent back as cursor).  The filters live
// in the address bar, so a narrowed log can be bookmarked.
import { h, keepFocus, kept } from '../dom.js';
import { t, label, localName, formatNumber, formatDateTime } from '../i18n.js';
import { api } from '../api.js';
import { exportButton } from '../export.js';
import {
  AUDIT_ENTITIES, AUDIT_ACTIONS, CASE_STATE_ACTIONS, APP_STATE_ACTIONS,
} from '../audit-i18n.js';
import '../pol-i18n.js';
import '../org-i18n.js';
import { mayReadAudit } from '../access.js';

const FILTERS = ['entity', 'entity_id', 'user_id', 'action', 'from', 'to'];
const PAGE = 50;
// Fields of a record that every change touches and that tell nothing.
const QUIET = new Set(['id', 'version', 'created_at', 'updated_at', 'warnings', 'request_id']);
// The labels of enumerated fields, by record and field, then by field.
const ENUMS = {
  'organisation.kind': 'orgkind', 'case.state': 'case.state', 'case.kind': 'case.kind',
  'lead.stage': 'lead.stage', 'policy_application.state': 'pol.app.state',
  stage: 'stage', size: 'size', status: 'status', role: 'role',
};
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

export { mayReadAudit };

const known = (key) => t(key) !== key;

// ---- telling an entry ----

// The words of an entry: who, what, which record, and its changes, as
// text; the page and the CSV share them.
export function teller(people) {
  const who = (a) => a.display_name
    || (a.user_id ? people.get(a.user_id) || t('audit.who.user', { id: a.user_id }) : t('audit.who.system'));
  const entityLabel = (e) => t(known(`audit.entity.${e}`) ? `audit.entity.${e}` : 'audit.entity.other');

  function userName(ref) {
    return people.get(ref.user_id) || ref.display_name || t('audit.who.user', { id: ref.user_id });
  }

  function nameOf(a) {
    const rec = a.after && typeof a.after === 'object' ? a.after : a.before && typeof a.before === 'object' ? a.before : null;
    if (a.entity === 'user') {
      return (rec && rec.display_name) || people.get(a.entity_id) || (a.entity_id ? `#${a.entity_id}` : '');
    }
    if (rec) {
      const n = localName(rec) || localName(rec, 'title_zh', 'title_en') || rec.title || rec.tracking_code
        || rec.label || rec.name || rec.code;
      if (n && typeof n === 'string') return n;
    }
    return a.entity_id ? `#${a.entity_id}` : '';
  }

  function sentence(a) {
    const vars = { who: who(a), entity: entityLabel(a.entity), name: nameOf(a) };
    if (a.entity === 'case' && CASE_STATE_ACTIONS.includes(a.action)) {
      return t('audit.sentence.state', { ...vars, state: t(`case.state.${a.action}`) });
    }
    if (a.entity === 'policy_application' && (APP_STATE_ACTIONS.includes(a.action) || a.action === 'rejected')) {
      return t('audit.sentence.app', { ...vars, state: t(`pol.app.state.${a.action}`) });
    }
    vars.verb = actionLabel(a.action);
    return t(vars.name ? 'audit.sentence' : 'audit.sentence.noname', vars);
  }

  function fieldLabel(k) {
    for (const key of [`audit.field.${k}`, `field.${k}`, `field.contact.${k}`]) if (known(key)) return t(key);
    return String(k).replace(/_/g, ' ');
  }

  function pathLabel(path) {
    return path.map((p) => (typeof p === 'number' ? t('audit.entry.of', { n: p + 1 }) : fieldLabel(p))).join(' · ');
  }

  function valueText(v, entity, key) {
    if (v === null || v === undefined || v === '') return t('audit.none');
    if (typeof v === 'boolean') return t(v ? 'audit.yes' : 'audit.no');
    if (typeof v === 'number') return String(v);
    if (typeof v === 'string') {
      if (ISO_TIME.test(v)) return formatDateTime(v);
      const kind = ENUMS[`${entity}.${key}`] || ENUMS[key];
      return kind ? label(kind, v) : v;
    }
    if (Array.isArray(v)) {
      if (!v.length) return t('audit.none');
      return v.length > 12 ? t('audit.items', { n: formatNumber(v.length) }) : v.map((x) => valueText(x, entity, key)).join('、');
    }
    if (v.user_id) return userName(v);
    const n = localName(v);
    if (n) return n;
    if (v.name) return [v.name, v.phone].filter(Boolean).join(' ');
    return Object.values(v).filter((x) => x !== null && typeof x !== 'object').map((x) => valueText(x, entity)).join(' ');
  }

  // A value that is shown whole rather than field by field: a scalar, a
  // list of scalars, a reference to another record (its id or code with
  // its name: a jurisdiction, a category, a department) or to a person.
  const whole = (v) => v === null || typeof v !== 'object'
    || (Array.isArray(v) ? v.every((x) => x === null || typeof x !== 'object')
      : 'user_id' in v || (('id' in v || 'code' in v) && ('name_zh' in v || 'name_en' in v || 'name' in v)));

  function flatten(v, path, out) {
    if (path.length && whole(v)) { out.set(JSON.stringify(path), { path, v }); return; }
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) { v.forEach((x, i) => flatten(x, [...path, i], out)); return; }
    for (const [k, x] of Object.entries(v)) {
      if (!path.length && QUIET.has(k)) continue;
      flatten(x, [...path, k], out);
    }
  }

  // What changed: [{field, from, to}], for an entry with both sides.
  function changes(a) {
    if (!a.before || !a.after || typeof a.before !== 'object' || typeof a.after !== 'object') return [];
    const was = new Map();
    const now = new Map();
    flatten(a.before, [], was);
    flatten(a.after, [], now);
    const keys = [...new Set([...was.keys(), ...now.keys()])];
    const out = [];
    for (const k of keys) {
      const b = was.get(k);
      const f = now.get(k);
      if (JSON.stringify(b && b.v) === JSON.stringify(f && f.v)) continue;
      const path = (f || b).path;
      const key = [...path].reverse().find((p) => typeof p === 'string');
      out.push({
        field: pathLabel(path),
        from: valueText(b ? b.v : null, a.entity, key),
        to: valueText(f ? f.v : null, a.entity, key),
      });
    }
    return out;
  }

  return { who, entityLabel, nameOf, sentence, changes };
}

export function actionLabel(action) {
  if (CASE_STATE_ACTIONS.includes(action)) return `${t('audit.act.state')} ${t(`case.state.${action}`)}`;
  return t(known(`audit.act.${action}`) ? `audit.act.${action}` : 'audit.act.other').replace(/[：:]$/, '');
}

// ---- the page ----

export async function render(ctx) {
  const { root, app, query } = ctx;
  const state = {
    filters: Object.fromEntries(FILTERS.map((k) => [k, (query.get(k) || '').trim()])),
    items: [], next: null, loading: false, loaded: false, error: null, people: new Map(), users: [],
  };
  app.setTitle(t('audit.title'));
  if (!mayReadAudit(app.user)) {
    root.replaceChildren(h('h1', null, t('audit.title')),
      h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'audit-forbidden' }, t('audit.forbidden')));
    return null;
  }
  const el = {};
  let controller = null;
  let tell = teller(state.people);

  function syncUrl() {
    const p = new URLSearchParams();
    for (const k of FILTERS) if (state.filters[k]) p.set(k, state.filters[k]);
    const s = p.toString();
    const url = `/audit${s ? `?${s}` : ''}`;
    if (location.pathname + location.search !== url) {
      history.replaceState(null, '', url);
      app.pathChanged();
    }
  }

  const apiQuery = () => Object.fromEntries(FILTERS.map((k) => [k, state.filters[k] || null]));

  async function load({ append = false } = {}) {
    if (controller) controller.abort();
    controller = new AbortController();
    state.loading = true;
    state.error = null;
    if (!append) syncUrl();
    drawStatus();
    try {
      const r = await api('GET', '/audit', {
        signal: controller.signal,
        query: { ...apiQuery(), limit: PAGE, cursor: append ? state.next : null },
      });
      if (!ctx.alive()) return;
      const got = r.data.items || [];
      state.items = append ? state.items.concat(got) : got;
      state.next = r.data.next || null;
      state.loaded = true;
    } catch (e) {
      if (e.name === 'AbortError' || !ctx.alive()) return;
      state.error = e.code === 'outside_scope' ? t('audit.scoped') : e.status === 403 ? t('audit.forbidden') : e.message;
      if (!append) { state.items = []; state.next = null; }
    }
    state.loading = false;
    drawItems();
    drawStatus();
  }

  function setFilter(key, value) {
    if (state.filters[key] === value) return;
    state.filters[key] = value;
    load();
  }

  // ---- drawing ----

  function field(id, key, control) {
    return h('div', { class: 'field field-compact' }, h('label', { for: id }, t(`audit.filter.${key}`)), control);
  }

  // A select's choices, "any" first; the filter's value stays chosen
  // even when the list does not know it (a value from the address bar).
  function fillSelect(s, key, options) {
    s.replaceChildren(h('option', { value: '' }, t('common.any')), ...options.map(([v, text]) => h('option', { value: v }, text)));
    s.value = state.filters[key];
    if (s.value !== state.filters[key]) {
      s.append(h('option', { value: state.filters[key] }, state.filters[key]));
      s.value = state.filters[key];
    }
    return s;
  }

  function select(id, key, options) {
    const s = fillSelect(h('select', { id, name: key, class: 'input' }), key, options);
    s.addEventListener('change', () => setFilter(key, s.value));
    return s;
  }

  // A field sets its filter when it is left or Enter is pressed; what is
  // typed before that is kept in typed[] so that a page drawn anew (in
  // the other language) shows it still.
  const typed = {};
  function input(id, key, attrs) {
    const i = kept(h('input', { id, name: key, class: 'input', value: state.filters[key], ...attrs }), typed, key);
    i.addEventListener('change', () => {
      delete typed[key];
      setFilter(key, i.value.trim());
    });
    return i;
  }

  const people = () => state.users.map((u) => [String(u.id), u.display_name || `#${u.id}`]);

  function toolbar() {
    const entities = AUDIT_ENTITIES.map((e) => [e, tell.entityLabel(e)]);
    const actions = [...AUDIT_ACTIONS, ...CASE_STATE_ACTIONS].map((a) => [a, actionLabel(a)]);
    const reset = h('button', { type: 'button', class: 'btn btn-link', id: 'audit-reset' }, t('audit.filter.reset'));
    reset.addEventListener('click', () => {
      for (const k of FILTERS) state.filters[k] = '';
      for (const k of Object.keys(typed)) delete typed[k];
      draw();
      load();
    });
    return h('section', { class: 'card toolbar audit-toolbar', 'aria-label': t('audit.filters') },
      h('div', { class: 'filter-grid audit-filters' },
        field('audit-entity', 'entity', select('audit-entity', 'entity', entities)),
        field('audit-entity-id', 'entity_id', input('audit-entity-id', 'entity_id',
          { type: 'number', min: 1, step: 1, inputmode: 'numeric' })),
        field('audit-user', 'user', el.user = select('audit-user', 'user_id', people())),
        field('audit-action', 'action', select('audit-action', 'action', actions)),
        field('audit-from', 'from', input('audit-from', 'from', { type: 'date' })),
        field('audit-to', 'to', input('audit-to', 'to', { type: 'date' }))),
      h('div', { class: 'audit-tools' }, reset, exportButton(exportSpec)));
  }

  function exportSpec() {
    return {
      name: 'audit', path: '/audit', query: apiQuery(), limit: 1000,
      columns: [
        { head: () => t('audit.col.at'), value: (a) => formatDateTime(a.at) },
        { head: () => t('audit.col.who'), value: (a) => tell.who(a) },
        { head: () => t('audit.col.action'), value: (a) => actionLabel(a.action) },
        { head: () => t('audit.col.entity'), value: (a) => tell.entityLabel(a.entity) },
        { head: () => t('audit.col.name'), value: (a) => tell.nameOf(a) },
        { head: () => t('audit.col.sentence'), value: (a) => tell.sentence(a) },
        { head: () => t('audit.col.changes'), value: (a) => tell.changes(a).map((c) => `${c.field}: ${c.from} → ${c.to}`).join('；') },
      ],
    };
  }

  function entry(a) {
    const diff = tell.changes(a);
    return h('li', { class: 'card audit-entry', 'data-testid': 'audit-entry', 'data-id': a.id },
      h('div', { class: 'audit-entry-head' },
        h('p', { class: 'audit-sentence', 'data-testid': 'audit-sentence' }, tell.sentence(a)),
        h('span', { class: 'audit-time muted small', 'data-testid': 'audit-time' }, formatDateTime(a.at))),
      diff.length ? h('ul', { class: 'audit-diff', 'data-testid': 'audit-diff', 'aria-label': t('audit.changes') },
        diff.map((c) => h('li', null,
          h('span', { class: 'audit-field' }, c.field), ' ',
          h('del', { class: 'audit-from' }, c.from), h('span', { 'aria-hidden': 'true' }, ' → '),
          h('ins', { class: 'audit-to' }, c.to)))) : null);
  }

  function draw() {
    app.setTitle(t('audit.title'));
    el.list = h('ul', { class: 'audit-list', 'data-testid': 'audit-list' });
    el.status = h('p', { class: 'list-status', role: 'status', 'aria-live': 'polite', 'data-testid': 'audit-status' });
    el.more = h('button', { type: 'button', class: 'btn btn-secondary', id: 'audit-older' }, t('audit.older'));
    el.more.addEventListener('click', () => load({ append: true }));
    el.error = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, 'data-testid': 'audit-error' });
    keepFocus(root, () => root.replaceChildren(
      h('div', { class: 'page-head' },
        h('div', null, h('h1', null, t('audit.title')), h('p', { class: 'muted' }, t('audit.intro')))),
      toolbar(), el.error, el.list, h('div', { class: 'list-foot' }, el.status, el.more)));
    drawItems();
    drawStatus();
  }

  function drawItems() {
    if (!el.list) return;
    const items = state.items.map(entry);
    if (!items.length && state.loaded && !state.loading && !state.error) {
      items.push(h('li', { class: 'card empty', 'data-testid': 'empty' }, t('audit.empty')));
    }
    el.list.replaceChildren(...items);
  }

  function drawStatus() {
    if (!el.status) return;
    el.list.setAttribute('aria-busy', state.loading ? 'true' : 'false');
    if (state.loading && !state.items.length) el.status.textContent = t('common.loading');
    else if (state.next) el.status.textContent = t('audit.shown', { n: formatNumber(state.items.length) });
    else if (state.items.length) el.status.textContent = t('audit.shown.all', { n: formatNumber(state.items.length) });
    else el.status.textContent = '';
    el.status.dataset.count = String(state.items.length);
    el.status.dataset.loading = state.loading ? 'true' : 'false';
    el.more.hidden = !state.next;
    el.more.disabled = state.loading;
    el.error.hidden = !state.error;
    el.error.textContent = state.error || '';
  }

  draw();
  // The people, for the filter and for users' names in changes.  They
  // may arrive while a filter is being typed: only the person's choices
  // and the entries are drawn again, never the fields.
  api('GET', '/users').then((r) => {
    if (!ctx.alive()) return;
    state.users = r.data.items || [];
    for (const u of state.users) if (u.display_name) state.people.set(u.id, u.display_name);
    tell = teller(state.people);
    fillSelect(el.user, 'user_id', people());
    drawItems();
  }).catch(() => { /* the log reads without them */ });
  await load();

  return {
    onLang: draw,
    leave: () => { if (controller) controller.abort(); },
  };
}
