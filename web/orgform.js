// The form of an organisation, new or changed, with the fields of POST
// /organisations and PATCH /organisations/{id}: names, kind, parent,
// cluster, members, secretary, description, website, e-mail, phone, the
// department that answers for its services, its enterprise, the
// enterprises it covers and (when new) its jurisdiction.  A change sends
// only what was changed, with If-Match and the version read; a 412 says
// that someone else changed it meanwhile and offers to reload; the
// server's 422s are shown at the fields they name.
//
// Who sees the buttons mirrors the server (organisations.c): admins and
// officers for an organisation of their jurisdictions, a cluster's
// secretary for its cluster's organisations of the kinds that cover
// enterprises.
import { h, append, debounce } from './dom.js';
import { t, label, localName, formatNumber } from './i18n.js';
import { api } from './api.js';
import { fieldErrors } from './casekit.js';
import { within, subtree, optionText } from './jur.js';
import './org-i18n.js';
import './orgform-i18n.js';

export const TREE_KINDS = ['party_committee', 'party_general_branch', 'party_branch', 'joint_party_branch',
  'trade_union', 'youth_league', 'womens_federation', 'association', 'alliance'];
export const CATALOGUE_KINDS = ['department', 'park', 'service_firm', 'university', 'research_institute', 'bank',
  'guarantee_fund', 'enterprise', 'alliance_member'];
// The kinds that cover enterprises (domain/organisation.c org_kind_covers).
export const COVERING_KINDS = TREE_KINDS.filter((k) => k !== 'alliance');

const FIELDS = ['name_zh', 'name_en', 'kind', 'parent_id', 'cluster_id', 'members', 'secretary', 'description',
  'website', 'email', 'phone', 'department_id', 'enterprise_id', 'covers', 'jurisdiction'];

const townStaff = (user) => Boolean(user) && (user.role === 'admin' || user.role === 'officer');

export function mayCreateOrg(user) {
  return townStaff(user) || (Boolean(user) && user.role === 'secretary' && Boolean(user.cluster_id));
}

// tree: the jurisdictions (jur.getTree()); null while unknown, when an
// admin's or officer's button waits rather than being offered wrongly.
export function mayEditOrg(user, org, tree) {
  if (!user || !org) return false;
  if (townStaff(user)) {
    if (!tree) return false;
    return !org.jurisdiction || within(tree, org.jurisdiction.id, tree.scope);
  }
  return user.role === 'secretary' && Boolean(user.cluster_id) && org.cluster_id === user.cluster_id
    && COVERING_KINDS.includes(org.kind);
}

// The organisations of the tree, flattened in tree order with depth.
function flatTree(items, depth = 0, out = []) {
  for (const n of items || []) {
    out.push({ n, depth });
    flatTree(n.children, depth + 1, out);
  }
  return out;
}

function idsUnder(node, out = new Set()) {
  out.add(node.id);
  for (const c of node.children || []) idsUnder(c, out);
  return out;
}

// An enterprise picker: a search box, its hits, and the enterprises
// picked (one, or many); onChange(list) after each change.
function enterprisePicker({ id, picked, many, onChange }) {
  const st = { q: '', hits: null, picked: [...picked] };
  const box = h('div', { class: 'ent-picker', id: `${id}-picker`, 'data-testid': `${id}-picker` });
  let seq = 0;
  const search = debounce(async () => {
    const mine = ++seq;
    if (!st.q) { st.hits = null; drawHits(); return; }
    try {
      const r = await api('GET', '/enterprises', { query: { q: st.q, status: 'active', located: 'all', limit: 8 } });
      if (mine === seq) st.hits = r.data.items || [];
    } catch { if (mine === seq) st.hits = []; }
    if (mine === seq) drawHits();
  }, 250);
  const input = h('input', {
    id, class: 'input', type: 'search', autocomplete: 'off', placeholder: t('orgf.pick.search'),
    'aria-controls': `${id}-hits`,
  });
  input.addEventListener('input', () => { st.q = input.value.trim(); search(); });
  input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); search.flush(); } });
  const chips = h('ul', { class: 'ent-picked', 'data-testid': `${id}-picked` });
  const hits = h('ul', { class: 'ent-hits', id: `${id}-hits`, 'aria-live': 'polite' });

  function drawPicked() {
    chips.replaceChildren(...(st.picked.length ? st.picked.map((e) => h('li', { class: 'ent-chip', 'data-id': e.id },
      h('span', null, localName(e) || `#${e.id}`),
      h('button', {
        type: 'button', class: 'btn btn-ghost btn-small ent-chip-remove', 'aria-label': t('orgf.pick.remove', { name: localName(e) }),
        onclick: () => { st.picked = st.picked.filter((x) => x.id !== e.id); drawPicked(); onChange(st.picked); },
      }, '×'))) : [h('li', { class: 'muted small' }, many ? t('orgf.covers.none') : t('common.none'))]));
  }
  function drawHits() {
    if (!st.hits) { hits.replaceChildren(); return; }
    hits.replaceChildren(...(st.hits.length ? st.hits.map((e) => h('li', null, h('button', {
      type: 'button', class: 'linklike ent-hit', 'data-id': e.id, disabled: st.picked.some((x) => x.id === e.id),
      onclick: () => {
        st.picked = many ? [...st.picked, e] : [e];
        st.q = '';
        input.value = '';
        st.hits = null;
        drawHits();
        drawPicked();
        onChange(st.picked);
        input.focus();
      },
    }, localName(e), h('span', { class: 'muted small mono' }, ` ${e.uscc || ''}`)))) : [h('li', { class: 'muted small' }, t('orgf.pick.none'))]));
  }
  drawPicked();
  box.append(chips, input, hits);
  return box;
}

// org: the record of GET /organisations/{id} (with its enterprises), or
// null for a new one. orgTree: GET /organisations/tree's items; clusters,
// departments: the lists to choose from; jurTree: the jurisdictions.
export function orgForm({ user, org, orgTree, clusters, departments, jurTree, onDone, onCancel, onReload }) {
  const creating = !org;
  const secretaryOnly = user.role === 'secretary';
  const errs = fieldErrors();
  const base = creating ? {} : org;
  const sec = base.secretary || null;
  const vals = {
    name_zh: base.name_zh || '', name_en: base.name_en || '',
    kind: base.kind || 'party_branch',
    parent_id: base.parent_id ? String(base.parent_id) : '',
    cluster_id: base.cluster_id ? String(base.cluster_id) : (secretaryOnly ? String(user.cluster_id) : ''),
    members: base.members !== undefined && base.members !== null ? String(base.members) : '0',
    secretary_mode: sec ? (sec.user_id ? 'user' : 'named') : 'none',
    secretary_name: sec && !sec.user_id ? sec.name || '' : '',
    secretary_phone: sec && !sec.user_id ? sec.phone || '' : '',
    description: base.description || '', website: base.website || '', email: base.email || '', phone: base.phone || '',
    department_id: base.department ? String(base.department.id) : '',
    enterprise: base.enterprise_id ? [{ id: base.enterprise_id, name_zh: `#${base.enterprise_id}` }] : [],
    covers: (base.enterprises || []).map((e) => ({ id: e.id, name_zh: e.name_zh, name_en: e.name_en })),
    covers_changed: false,
    jurisdiction: '',
  };
  // An enterprise of its own is named in the list it covers, when there.
  if (base.enterprise_id) {
    const known = (base.enterprises || []).find((e) => e.id === base.enterprise_id);
    if (known) vals.enterprise = [known];
  }
  const start = JSON.stringify(vals);
  const form = h('form', { class: 'card org-form', id: 'org-form', novalidate: true, 'data-testid': 'org-form' });
  let busy = false;
  let stale = false;
  let general = [];

  // The organisations that may be the parent: the tree's, but not this
  // one nor any under it (the server refuses a cycle too).
  const excluded = new Set();
  if (!creating) {
    const me = flatTree(orgTree).find((x) => x.n.id === org.id);
    if (me) for (const id of idsUnder(me.n)) excluded.add(id);
  }

  function field(name, control, { hint, wide } = {}) {
    const id = `org-f-${name}`;
    const err = errs.show(name, id);
    if (control.tagName === 'INPUT' || control.tagName === 'SELECT' || control.tagName === 'TEXTAREA') {
      errs.describe(control, name, id);
    }
    return h('div', { class: ['field', wide && 'org-form-wide'], 'data-field': name },
      h('label', { for: id }, t(`orgf.${name}`)), control,
      hint ? h('p', { class: 'hint small' }, hint) : null, err);
  }

  function text(name, attrs = {}) {
    const i = h(attrs.rows ? 'textarea' : 'input', {
      id: `org-f-${name}`, name, class: 'input', value: vals[name], ...attrs,
    });
    if (attrs.rows) i.value = vals[name];
    i.addEventListener('input', () => { vals[name] = i.value; });
    return i;
  }

  // key: where the value lives, when not under the field's name.
  function select(name, options, { redraw = false, key = name } = {}) {
    const s = h('select', { id: `org-f-${name}`, name, class: 'input' }, options);
    s.value = vals[key];
    s.addEventListener('change', () => { vals[key] = s.value; if (redraw) draw(); });
    return s;
  }

  function kindOptions() {
    const opt = (k) => h('option', { value: k }, label('orgkind', k));
    if (secretaryOnly) return COVERING_KINDS.map(opt);
    return [h('optgroup', { label: t('orgf.kinds.tree') }, TREE_KINDS.map(opt)),
      h('optgroup', { label: t('orgf.kinds.catalogue') }, CATALOGUE_KINDS.map(opt))];
  }

  function draw() {
    const heading = creating ? t('orgf.title.new') : t('orgf.title.edit', { name: localName(org) });
    const parents = flatTree(orgTree).filter((x) => !excluded.has(x.n.id));
    const myClusters = secretaryOnly ? clusters.filter((c) => c.id === user.cluster_id) : clusters;
    const covering = COVERING_KINDS.includes(vals.kind);
    const secretary = [
      field('secretary', select('secretary', [
        h('option', { value: 'none' }, t('orgf.secretary.none')),
        sec && sec.user_id ? h('option', { value: 'user' }, t('orgf.secretary.user', { name: sec.display_name || sec.username || `#${sec.user_id}` })) : null,
        h('option', { value: 'named' }, t('orgf.secretary.named'))], { redraw: true, key: 'secretary_mode' })),
      vals.secretary_mode === 'named' ? h('div', { class: 'org-form-pair' },
        h('div', { class: 'field' }, h('label', { for: 'org-f-secretary_name' }, t('orgf.secretary_name')),
          text('secretary_name', { maxlength: 50, autocomplete: 'off' })),
        h('div', { class: 'field' }, h('label', { for: 'org-f-secretary_phone' }, t('orgf.secretary_phone')),
          text('secretary_phone', { type: 'tel', maxlength: 20, autocomplete: 'off', inputmode: 'tel' }))) : null,
    ];
    let jurField = null;
    if (creating && jurTree && !secretaryOnly) {
      const choices = subtree(jurTree, jurTree.scope);
      jurField = field('jurisdiction', select('jurisdiction', [
        h('option', { value: '' }, t('orgf.jurisdiction.default')),
        ...choices.map(({ node, depth }) => h('option', { value: node.code }, optionText(node, depth)))]));
    }
    // append() leaves out the parts that are null; replaceChildren would
    // write them as text.
    form.replaceChildren();
    append(form, [
      h('h2', { class: 'card-title' }, heading),
      stale ? h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'org-stale' },
        h('span', null, t('orgf.stale')), ' ',
        h('button', { type: 'button', class: 'btn btn-secondary btn-small', id: 'org-reload', onclick: () => onReload() }, t('orgf.reload')))
        : null,
      general.length ? h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'org-form-error' },
        general.map((m) => h('p', null, m))) : null,
      h('div', { class: 'org-form-grid' },
        field('name_zh', text('name_zh', { maxlength: 120, required: true, autocomplete: 'off' })),
        field('name_en', text('name_en', { maxlength: 120, autocomplete: 'off', lang: 'en' })),
        field('kind', select('kind', kindOptions(), { redraw: true })),
        field('parent_id', select('parent_id', [h('option', { value: '' }, t('orgf.parent.none')),
          ...parents.map(({ n, depth }) => h('option', { value: String(n.id) },
            `${'\u00a0\u00a0'.repeat(depth)}${localName(n)}`))])),
        field('cluster_id', select('cluster_id', [secretaryOnly ? null : h('option', { value: '' }, t('orgf.cluster.none')),
          ...myClusters.map((c) => h('option', { value: String(c.id) }, localName(c)))])),
        field('members', text('members', { type: 'number', min: 0, max: 1000000, step: 1, inputmode: 'numeric' })),
        ...secretary,
        field('phone', text('phone', { type: 'tel', maxlength: 20, autocomplete: 'off' })),
        field('email', text('email', { type: 'email', maxlength: 100, autocomplete: 'off' })),
        field('website', text('website', { type: 'url', maxlength: 200, autocomplete: 'off', placeholder: 'https://' })),
        secretaryOnly ? null : field('department_id', select('department_id', [
          h('option', { value: '' }, t('orgf.department.none')),
          ...departments.map((d) => h('option', { value: String(d.id) }, localName(d, 'name', 'name_en')))])),
        jurField,
        field('description', text('description', { rows: 3, maxlength: 1000 }), { wide: true }),
        field('enterprise_id', enterprisePicker({
          id: 'org-f-enterprise_id', picked: vals.enterprise, many: false,
          onChange: (list) => { vals.enterprise = list; },
        }), { wide: true }),
        covering ? field('covers', enterprisePicker({
          id: 'org-f-covers', picked: vals.covers, many: true,
          onChange: (list) => { vals.covers = list; vals.covers_changed = true; },
        }), { wide: true, hint: `${t('orgf.covers.hint')} ${formatNumber(vals.covers.length)}` }) : null),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary', id: 'org-save', disabled: busy },
          busy ? t('orgf.saving') : t(creating ? 'orgf.create' : 'orgf.save')),
        h('button', { type: 'button', class: 'btn btn-secondary', id: 'org-cancel', onclick: () => onCancel() }, t('orgf.cancel')))]);
  }

  // The body: everything given for a new one; for a change, only the
  // fields that differ from the record read.
  function body() {
    const was = JSON.parse(start);
    const changed = (k) => creating || JSON.stringify(vals[k]) !== JSON.stringify(was[k]);
    const b = {};
    const str = (k) => { if (changed(k) && (!creating || vals[k].trim())) b[k] = vals[k].trim(); };
    const id = (k) => { if (changed(k) && (!creating || vals[k])) b[k] = vals[k] ? Number(vals[k]) : null; };
    ['name_zh', 'name_en', 'description', 'website', 'email', 'phone'].forEach(str);
    if (changed('kind')) b.kind = vals.kind;
    ['parent_id', 'cluster_id', 'department_id'].forEach(id);
    if (changed('members')) {
      const n = vals.members.trim();
      b.members = /^\d+$/.test(n) ? Number(n) : n;
    }
    const secChanged = ['secretary_mode', 'secretary_name', 'secretary_phone'].some(changed);
    if (secChanged && !(creating && vals.secretary_mode === 'none')) {
      if (vals.secretary_mode === 'none') b.secretary = null;
      else if (vals.secretary_mode === 'named') b.secretary = { name: vals.secretary_name.trim(), phone: vals.secretary_phone.trim() };
    }
    if (JSON.stringify(vals.enterprise.map((e) => e.id)) !== JSON.stringify(was.enterprise.map((e) => e.id))) {
      b.enterprise_id = vals.enterprise.length ? vals.enterprise[0].id : null;
    }
    // The list replaces the whole coverage: sent only when it was edited,
    // so that enterprises the form could not show are not dropped.
    if (vals.covers_changed && COVERING_KINDS.includes(vals.kind)) b.covers = vals.covers.map((e) => e.id);
    if (creating && vals.jurisdiction) b.jurisdiction = vals.jurisdiction;
    return b;
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (busy) return;
    errs.clear();
    general = [];
    const b = body();
    if (!creating && !Object.keys(b).length) {
      general = [t('orgf.nochange')];
      draw();
      return;
    }
    busy = true;
    draw();
    try {
      const r = creating
        ? await api('POST', '/organisations', { body: b })
        : await api('PATCH', `/organisations/${org.id}`, { body: b, headers: { 'If-Match': `"v${org.version}"` } });
      busy = false;
      onDone(r.data, creating);
      return;
    } catch (e) {
      busy = false;
      if (e.status === 412) {
        stale = true;
      } else {
        // A field inside an object (secretary.name) or a list (covers[3])
        // is shown at the field it belongs to.
        const named = (e.errors || []).map((fe) => ({ ...fe, field: fe.field ? String(fe.field).split(/[.[]/)[0] : fe.field }));
        general = errs.fromApi({ ...e, errors: named, message: e.message }, FIELDS);
        if (errs.any() && !general.length) general = [t('orgf.fix')];
      }
    }
    draw();
    const bad = form.querySelector('[aria-invalid=true]');
    if (bad) bad.focus();
    else form.querySelector('[role=alert] button, [role=alert]')?.scrollIntoView({ block: 'nearest' });
  });

  draw();
  // The name of its own enterprise, when the list it covers does not hold it.
  if (base.enterprise_id && vals.enterprise[0].name_zh === `#${base.enterprise_id}`) {
    api('GET', `/enterprises/${base.enterprise_id}`).then((r) => {
      if (vals.enterprise.length && vals.enterprise[0].id === r.data.id) {
        vals.enterprise = [r.data];
        draw();
      }
    }).catch(() => { /* the number stands for it */ });
  }
  return { el: form, redraw: draw };
}
