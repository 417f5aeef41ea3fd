// An enterprise's place in the industrial chain, on its page: what it
// makes (chain node and capacity) and buys (node and annual need), and
// its supply links, read from GET /enterprises/{id}/chain; with add,
// change and remove for those the server lets change the enterprise
// (PUT|DELETE /enterprises/{id}/products|needs/{node}), and "record a
// supply link" (POST /supply-links) for those it lets record one.
// Amounts are typed in 10,000 CNY a year, the API's unit, and shown as
// the chain page shows them.
import { h, icon, debounce, keepFocus } from './dom.js';
import { t, label, localName, formatDate } from './i18n.js';
import { api } from './api.js';
import { mayEdit } from './access.js';
import { amount, mayReadChains } from './views/chain.js';
import { explainAll, nodeLabel } from './chainedit-i18n.js';

const STAGES = ['upstream', 'midstream', 'downstream', 'service'];
const SIDES = {
  product: { path: 'products', list: 'products', key: 'capacity', field: 'capacity' },
  need: { path: 'needs', list: 'needs', key: 'annual_need', field: 'annual_need' },
};

export function maySeeChainPlace(user, e) {
  if (!user || !e) return false;
  if (user.role === 'enterprise') return Boolean(user.enterprise_id) && user.enterprise_id === e.id;
  return mayReadChains(user);
}

// Recording a supply link, as the server's access_link_add: town staff
// and grid workers (links found on a visit), a secretary for an
// enterprise of the cluster, a contact for its own enterprise.
export function mayRecordLink(user, e) {
  if (!user || !e) return false;
  switch (user.role) {
    case 'admin': case 'officer': case 'grid_worker': return true;
    case 'secretary': return Boolean(user.cluster_id) && user.cluster_id === e.cluster_id;
    case 'enterprise': return Boolean(user.enterprise_id) && user.enterprise_id === e.id;
    default: return false;
  }
}

const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

// chainSection(ctx) -> {card(e)}: the section, fetched once and drawn
// again on each call (another language, for instance).
export function chainSection(ctx) {
  const { app } = ctx;
  const st = {
    forId: null, data: null, error: null, loading: false,
    open: null, // {kind: 'product'|'need', mode: 'add'|'change', node} | {kind: 'link'}
    draft: {}, errors: {}, general: [], busy: false, status: null,
    search: { q: '', items: null, busy: false }, recommended: null,
  };
  let box = null;
  let ent = null;

  async function load(e, quiet = false) {
    st.forId = e.id;
    if (!quiet) { st.loading = true; st.data = null; }
    st.error = null;
    try {
      const r = await api('GET', `/enterprises/${e.id}/chain`);
      if (!ctx.alive() || st.forId !== e.id) return;
      st.data = r.data;
    } catch (err) {
      if (!ctx.alive() || st.forId !== e.id) return;
      st.error = err.status === 403 ? t('common.forbidden') : err.message;
    }
    st.loading = false;
    fill();
  }

  const fieldLabel = (f) => ({
    node_id: t('ec.field.node'), capacity: t('ec.field.capacity'), annual_need: t('ec.field.annual_need'),
    annual_value: t('ec.field.annual_value'), partner: t('ec.field.partner'), supplier_id: t('ec.field.partner'),
    customer_id: t('ec.field.partner'), since: t('ec.field.since'), until: t('ec.field.until'),
    source: t('ec.field.source'), direction: t('ec.field.direction'),
  })[f] || f;

  function close() {
    st.open = null;
    st.draft = {};
    st.errors = {};
    st.general = [];
    st.busy = false;
  }

  function openForm(open, draft) {
    close();
    st.open = open;
    st.draft = draft;
    st.status = null;
    fill();
    const first = box && box.querySelector('.ent-chain-form select, .ent-chain-form input');
    if (first) first.focus();
  }

  function takeErrors(err, where) {
    st.errors = {};
    st.general = [];
    for (const fe of explainAll(err, { fieldLabel })) {
      const k = fe.field && (where[fe.field] || fe.field);
      if (k && box.querySelector(`.ent-chain-form [data-for="${k}"]`)) (st.errors[k] ||= []).push(fe.message);
      else st.general.push(fe.message);
    }
  }

  function afterError() {
    fill();
    const bad = box && box.querySelector('.ent-chain-form [aria-invalid="true"], .ent-chain-form .alert-error');
    if (bad) {
      if (!bad.matches('input, select')) bad.setAttribute('tabindex', '-1');
      bad.focus();
    }
  }

  // A save's answer closes the form that was sent (saved, st.open when
  // it was sent) and says what was done.  A form the user has opened
  // while the save was on its way stays open, with the focus where the
  // user put it; a refusal of the earlier save is then said in the status
  // line, as its form is gone.
  async function done(message, saved) {
    const moved = st.open !== saved;
    if (!moved) close();
    st.status = message;
    await load(ent, true);
    const s = !moved && box && box.querySelector('#ent-chain-status');
    if (s) s.focus();
  }

  function failed(err, saved, where) {
    if (st.open !== saved) {
      st.status = explainAll(err, { fieldLabel }).map((x) => x.message).join(' ');
      fill();
      return;
    }
    st.busy = false;
    fill();
    takeErrors(err, where);
    afterError();
  }

  // ---- form parts ----

  function field(key, control, hint) {
    const id = `ec-${key}`;
    control.id = id;
    const errs = st.errors[key] || [];
    const ids = [hint ? `${id}-hint` : null, ...errs.map((_, i) => `${id}-err${i}`)].filter(Boolean);
    if (ids.length) control.setAttribute('aria-describedby', ids.join(' '));
    if (errs.length) control.setAttribute('aria-invalid', 'true');
    return h('div', { class: 'field', 'data-for': key },
      h('label', { for: id }, fieldLabel(key)), control, hint || null,
      errs.map((m, i) => h('p', { class: 'field-error', 'data-field': key, id: `${id}-err${i}` },
        icon('close', 'icon icon-err'), h('span', null, m))));
  }

  function amountField(key) {
    const input = h('input', {
      name: key, type: 'number', min: 0, step: 'any', inputmode: 'decimal', class: 'input num',
      value: st.draft[key] ?? '',
    });
    const preview = h('span', { class: 'unit-preview' });
    const show = () => {
      const v = input.value === '' ? null : Number(input.value);
      preview.textContent = v !== null && Number.isFinite(v) && v >= 0 ? t('ec.unit.preview', { v: amount(v) }) : '';
    };
    input.addEventListener('input', () => { st.draft[key] = input.value; show(); });
    show();
    return field(key, input, h('p', { class: 'hint', id: `ec-${key}-hint` }, t('ec.unit.hint'), ' ', preview));
  }

  function nodeSelect(key, nodes, value) {
    const order = (n) => STAGES.indexOf(n.stage);
    const s = h('select', { name: key, class: 'input' },
      h('option', { value: '' }, t('ce.link.choose')),
      nodes.slice().sort((a, b) => order(a) - order(b) || nodeLabel(a).localeCompare(nodeLabel(b)))
        .map((n) => h('option', { value: String(n.id) }, `${nodeLabel(n)} · ${label('stage', n.stage)}`)));
    s.value = value || '';
    s.addEventListener('change', () => { st.draft[key] = s.value; });
    return s;
  }

  function generalErrors() {
    return st.general.length
      ? h('div', { class: 'alert alert-error', role: 'alert' }, st.general.map((m) => h('p', null, m))) : null;
  }

  function actions(submitText, onCancel) {
    return h('div', { class: 'form-actions form-actions-inline' },
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'ec-submit', disabled: st.busy },
        st.busy ? t('ce.busy') : submitText),
      h('button', { type: 'button', class: 'btn btn-ghost', id: 'ec-cancel', onclick: onCancel }, t('ec.cancel')));
  }

  // Number input text as JSON: empty is null (the server names it).
  const numberOf = (v) => (v === undefined || v === null || String(v).trim() === '' ? null
    : Number.isFinite(Number(v)) ? Number(v) : String(v));

  // ---- products and needs ----

  function offerForm(kind) {
    const side = SIDES[kind];
    const o = st.open;
    const made = new Set(st.data[side.list].map((x) => x.node.id));
    const choices = st.data.choices.filter((n) => !made.has(n.id));
    const form = h('form', { class: 'ent-chain-form', id: `ec-${kind}-form`, novalidate: true },
      o.mode === 'add'
        ? (choices.length ? field('node_id', nodeSelect('node_id', choices, st.draft.node_id))
          : h('p', { class: 'muted' }, t('ec.nochoices')))
        : null,
      amountField(side.field),
      generalErrors(),
      actions(t('ec.save'), () => { close(); fill(); }));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); saveOffer(kind, form); });
    return form;
  }

  async function saveOffer(kind, form) {
    const side = SIDES[kind];
    const o = st.open;
    const nodeId = o.mode === 'add' ? Number(st.draft.node_id) || null : o.node;
    st.errors = {};
    st.general = [];
    const input = form.querySelector('input[type=number]');
    if (input && input.validity.badInput) st.errors[side.field] = [t('ce.err.number', { field: fieldLabel(side.field) })];
    if (!nodeId) {
      const msg = t('ce.err.required', { field: fieldLabel('node_id') });
      if (form.querySelector('select[name=node_id]')) st.errors.node_id = [msg]; else st.general = [msg];
    }
    if (Object.keys(st.errors).length || st.general.length) { afterError(); return; }
    const node = st.data.choices.concat(st.data[side.list].map((x) => x.node)).find((n) => n.id === nodeId);
    st.busy = true;
    fill();
    try {
      const body = { [side.key]: numberOf(st.draft[side.field]) };
      const r = await api('PUT', `/enterprises/${ent.id}/${side.path}/${nodeId}`, { body });
      if (!ctx.alive()) return;
      await done(t(`ec.${kind}.saved`, { node: nodeLabel(node), v: amount(r.data[side.key]) }), o);
    } catch (err) {
      if (!ctx.alive()) return;
      failed(err, o, {});
    }
  }

  async function removeOffer(kind, item) {
    const side = SIDES[kind];
    const node = nodeLabel(item.node);
    if (!window.confirm(t(`ec.${kind}.remove.confirm`, { name: localName(ent), node }))) return;
    const o = st.open;
    try {
      await api('DELETE', `/enterprises/${ent.id}/${side.path}/${item.node.id}`);
      if (!ctx.alive()) return;
      await done(t('ec.removed', { node }), o);
    } catch (err) {
      if (!ctx.alive()) return;
      st.status = null;
      st.general = explainAll(err, { fieldLabel }).map((x) => x.message);
      fill();
    }
  }

  function offerList(kind, editable) {
    const side = SIDES[kind];
    const items = st.data[side.list];
    const o = st.open;
    return h('section', { class: 'ent-chain-sub', 'data-list': side.list },
      h('h3', { class: 'panel-sub' }, t(`ec.${side.list}`, { n: items.length })),
      items.length
        ? h('ul', { class: 'ent-chain-list', 'data-testid': `ent-${side.list}` }, items.map((x) => {
          const changing = o && o.kind === kind && o.mode === 'change' && o.node === x.node.id;
          const node = nodeLabel(x.node);
          return h('li', { class: 'ent-chain-item', 'data-testid': `ent-${kind}`, 'data-node': x.node.id },
            h('span', { class: 'ent-chain-name' }, node),
            h('span', { class: 'badge' }, label('stage', x.node.stage)),
            x.node.retired ? h('span', { class: 'badge badge-muted' }, t('ce.retired.badge')) : null,
            h('span', { class: 'ent-chain-amount', 'data-testid': 'ent-amount' },
              t(kind === 'product' ? 'ec.capacity' : 'ec.need', { v: amount(x[side.key]) })),
            editable && !changing ? h('span', { class: 'ent-chain-actions' },
              x.node.retired ? null : h('button', {
                type: 'button', class: 'btn btn-link btn-small', 'data-testid': 'offer-change',
                'aria-label': t('ec.change.label', { node }),
                onclick: () => openForm({ kind, mode: 'change', node: x.node.id }, { [side.field]: String(x[side.key]) }),
              }, t('ec.change')),
              h('button', {
                type: 'button', class: 'btn btn-link btn-danger btn-small', 'data-testid': 'offer-remove',
                'aria-label': t('ec.remove.label', { node }), onclick: () => removeOffer(kind, x),
              }, t('ec.remove'))) : null,
            changing ? offerForm(kind) : null);
        }))
        : h('p', { class: 'muted small' }, t('ec.none')),
      editable && o && o.kind === kind && o.mode === 'add' ? offerForm(kind) : null,
      editable && !(o && o.kind === kind && o.mode === 'add')
        ? h('button', {
          type: 'button', class: 'btn btn-secondary btn-small ent-chain-add', id: `ec-add-${kind}`,
          onclick: () => openForm({ kind, mode: 'add' }, { node_id: '', [side.field]: '' }),
        }, icon('plus'), h('span', null, t(`ec.${kind}.add`)))
        : null);
  }

  // ---- supply links ----

  function linkItem(l) {
    const partner = l.partner && l.partner.id
      ? h('a', { href: `/enterprises/${l.partner.id}` }, localName(l.partner) || `#${l.partner.id}`)
      : h('span', { class: 'muted' }, t('ec.link.elsewhere'));
    return h('li', { class: 'ent-chain-item', 'data-testid': 'ent-link', 'data-direction': l.direction, 'data-id': l.id },
      h('span', { class: 'ent-chain-name' }, t(`ec.link.${l.direction}`), ' ', partner),
      l.partner && l.partner.in_park === false ? h('span', { class: 'badge badge-muted' }, t('ec.partner.outside')) : null,
      h('span', { class: 'badge' }, nodeLabel(l.node)),
      h('span', { class: 'ent-chain-amount' }, t('ec.link.value', { v: amount(l.annual_value) })),
      h('span', { class: 'ent-chain-meta' },
        l.until ? t('ec.link.span', { since: formatDate(l.since), until: formatDate(l.until) })
          : t('ec.link.since', { since: formatDate(l.since) }),
        ' · ', label('ec.source', l.source)));
  }

  async function searchPartners(q) {
    const s = st.search;
    s.q = q;
    if (!q.trim()) { s.items = null; drawResults(); return; }
    s.busy = true;
    drawResults();
    try {
      const r = await api('GET', '/enterprises', { query: { q: q.trim(), located: 'all', limit: 8 } });
      if (!ctx.alive() || s.q !== q) return;
      s.items = (r.data.items || []).filter((x) => x.id !== ent.id);
    } catch {
      if (!ctx.alive() || s.q !== q) return;
      s.items = [];
    }
    s.busy = false;
    drawResults();
  }
  const searchSoon = debounce(searchPartners, 250);

  function drawResults() {
    const list = box && box.querySelector('#ec-partner-results');
    const note = box && box.querySelector('#ec-partner-note');
    if (!list || !note) return;
    const s = st.search;
    note.textContent = s.busy ? t('ec.partner.searching') : s.items && !s.items.length ? t('ec.partner.none') : '';
    list.replaceChildren(...(s.items || []).map((x) => h('li', { 'data-testid': 'partner-result' },
      h('span', null, localName(x) || `#${x.id}`,
        x.in_park === false ? [' ', h('span', { class: 'badge badge-muted' }, t('ec.partner.outside'))] : null),
      h('button', {
        type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'partner-pick',
        'aria-label': `${t('ec.partner.pick')} ${localName(x)}`,
        onclick: () => {
          st.draft.partner = { id: x.id, name_zh: x.name_zh, name_en: x.name_en };
          st.search = { q: '', items: null, busy: false };
          fill();
          const change = box.querySelector('#ec-partner-change');
          if (change) change.focus();
        },
      }, t('ec.partner.pick')))));
  }

  async function loadRecommended() {
    if (st.recommended) return;
    st.recommended = [];
    try {
      const r = await api('GET', `/enterprises/${ent.id}/partners`, { query: { limit: 50 } });
      const seen = new Map();
      for (const p of r.data.items || []) if (!seen.has(p.partner.id)) seen.set(p.partner.id, p.partner);
      for (const l of st.data.links) if (l.partner && l.partner.id && !seen.has(l.partner.id)) seen.set(l.partner.id, l.partner);
      st.recommended = [...seen.values()];
    } catch {
      st.recommended = [];
    }
    if (ctx.alive()) fill();
  }

  function partnerField() {
    const d = st.draft;
    if (d.partner) {
      const chosen = h('div', { class: 'partner-chosen', id: 'ec-partner', tabindex: '-1' },
        h('span', { 'data-testid': 'partner-chosen' }, localName(d.partner) || `#${d.partner.id}`),
        h('button', {
          type: 'button', class: 'btn btn-link btn-small', id: 'ec-partner-change',
          onclick: () => { d.partner = null; fill(); const q = box.querySelector('#ec-partner'); if (q) q.focus(); },
        }, t('ec.partner.change')));
      return field('partner', chosen);
    }
    // An enterprise's contact reads no registry but its own record: it
    // chooses among its recommended partners and those it trades with.
    if (app.user.role === 'enterprise') {
      if (!st.recommended) loadRecommended();
      const list = st.recommended || [];
      const sel = h('select', { name: 'partner', class: 'input' },
        h('option', { value: '' }, list.length ? t('ce.link.choose') : t('ec.partner.norec')),
        list.map((p) => h('option', { value: String(p.id) }, localName(p) || `#${p.id}`)));
      sel.addEventListener('change', () => {
        const p = list.find((x) => String(x.id) === sel.value);
        d.partner = p ? { id: p.id, name_zh: p.name_zh, name_en: p.name_en } : null;
      });
      return field('partner', sel, h('p', { class: 'hint', id: 'ec-partner-hint' }, t('ec.partner.recommended')));
    }
    const q = h('input', {
      name: 'partner', type: 'search', class: 'input', autocomplete: 'off', value: st.search.q,
      placeholder: t('ec.partner.search'), 'aria-controls': 'ec-partner-results',
    });
    q.addEventListener('input', () => { st.search.q = q.value; searchSoon(q.value); });
    q.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); searchSoon.flush(q.value); } });
    const wrap = field('partner', q);
    wrap.append(h('p', { class: 'hint', id: 'ec-partner-note', role: 'status', 'aria-live': 'polite' }),
      h('ul', { class: 'partner-results', id: 'ec-partner-results', 'data-testid': 'partner-results' }));
    return wrap;
  }

  function linkForm() {
    const d = st.draft;
    const sel = (key, options) => {
      const s = h('select', { name: key, class: 'input' }, options.map(([v, text]) => h('option', { value: v }, text)));
      s.value = d[key];
      s.addEventListener('change', () => { d[key] = s.value; });
      return s;
    };
    const date = (key) => {
      const i = h('input', { name: key, type: 'date', class: 'input', min: '1800-01-01', max: '2100-12-31', value: d[key] || '' });
      i.addEventListener('input', () => { d[key] = i.value; });
      i.addEventListener('change', () => { d[key] = i.value; });
      return i;
    };
    const form = h('form', { class: 'ent-chain-form', id: 'ec-link-form', novalidate: true },
      h('h4', { class: 'panel-sub' }, t('ec.link.title')),
      h('div', { class: 'form-grid' },
        field('direction', sel('direction', [['buys', t('ec.direction.buys')], ['sells', t('ec.direction.sells')]])),
        partnerField(),
        st.data.choices.length ? field('node_id', nodeSelect('node_id', st.data.choices, d.node_id))
          : h('p', { class: 'muted' }, t('ec.nochoices')),
        amountField('annual_value'),
        field('since', date('since')),
        field('until', date('until')),
        field('source', sel('source', [['declared', t('ec.source.declared')], ['visit', t('ec.source.visit')]]))),
      generalErrors(),
      actions(t('ec.save'), () => { close(); fill(); }));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); saveLink(form); });
    return form;
  }

  async function saveLink(form) {
    const d = st.draft;
    st.errors = {};
    st.general = [];
    for (const input of form.querySelectorAll('input[type=number], input[type=date]')) {
      if (input.validity.badInput) {
        (st.errors[input.name] ||= []).push(input.type === 'date'
          ? t('ce.err.date', { field: fieldLabel(input.name) }) : t('ce.err.number', { field: fieldLabel(input.name) }));
      }
    }
    if (!d.partner) st.errors.partner = [t('ce.err.required', { field: fieldLabel('partner') })];
    if (!d.node_id) st.errors.node_id = [t('ce.err.required', { field: fieldLabel('node_id') })];
    if (Object.keys(st.errors).length) { afterError(); return; }
    const other = d.partner.id;
    const body = {
      supplier_id: d.direction === 'sells' ? ent.id : other,
      customer_id: d.direction === 'sells' ? other : ent.id,
      node_id: Number(d.node_id),
      annual_value: numberOf(d.annual_value),
      since: d.since || null,
      source: d.source,
    };
    if (d.until) body.until = d.until;
    const o = st.open;
    st.busy = true;
    fill();
    try {
      await api('POST', '/supply-links', { body });
      if (!ctx.alive()) return;
      await done(t('ec.link.saved'), o);
    } catch (err) {
      if (!ctx.alive()) return;
      failed(err, o, { supplier_id: 'partner', customer_id: 'partner' });
    }
  }

  function linkList(recordable) {
    const links = st.data.links;
    const o = st.open;
    return h('section', { class: 'ent-chain-sub', 'data-list': 'links' },
      h('h3', { class: 'panel-sub' }, t('ec.links', { n: links.length })),
      links.length ? h('ul', { class: 'ent-chain-list', 'data-testid': 'ent-links' }, links.map(linkItem))
        : h('p', { class: 'muted small' }, t('ec.none')),
      st.data.links_truncated ? h('p', { class: 'hint' }, t('ec.truncated')) : null,
      recordable && o && o.kind === 'link' ? linkForm() : null,
      recordable && !(o && o.kind === 'link')
        ? h('button', {
          type: 'button', class: 'btn btn-secondary btn-small ent-chain-add', id: 'ec-add-link',
          onclick: () => openForm({ kind: 'link' }, {
            direction: 'buys', partner: null, node_id: '', annual_value: '', since: today(), until: '', source: 'declared',
          }),
        }, icon('plus'), h('span', null, t('ec.link.record')))
        : null);
  }

  // ---- the section ----

  function fill() {
    if (!box) return;
    const title = h('h2', { id: 'sec-chain-place', class: 'card-title' }, t('ec.title'));
    const status = h('p', {
      class: st.status ? 'alert alert-info' : 'visually-hidden', id: 'ent-chain-status', role: 'status', tabindex: '-1',
      'data-testid': 'ent-chain-status',
    }, st.status || '');
    if (st.loading || (!st.data && !st.error)) {
      box.replaceChildren(title, h('p', { class: 'loading', role: 'status' }, t('common.loading')));
      return;
    }
    if (st.error) {
      box.replaceChildren(title, h('div', { class: 'alert alert-error', role: 'alert' }, st.error));
      return;
    }
    const editable = mayEdit(app.user, ent);
    const orphanErrors = !st.open && st.general.length ? generalErrors() : null;
    // An answer (a save's reload, a search's results) draws the section
    // again while a form of it may be being filled.
    keepFocus(box, () => box.replaceChildren(...[title, h('p', { class: 'muted small' }, t('ec.intro')), status, orphanErrors,
      offerList('product', editable), offerList('need', editable), linkList(mayRecordLink(app.user, ent))].filter(Boolean)));
    if (!st.open) st.general = [];
    drawResults();
  }

  return {
    card(e) {
      if (!maySeeChainPlace(app.user, e)) return null;
      ent = e;
      box = h('section', { class: 'card ent-chain-card', 'data-section': 'chain-place', 'aria-labelledby': 'sec-chain-place' });
      if (st.forId !== e.id) load(e);
      fill();
      return box;
    },
  };
}
