// The attraction pipeline as a board: one column per stage of
// GET /api/v1/leads, a button on each open card to move it on (or drop
// it, with a reason) through POST /leads/{id}/stage, and a form for a
// new lead aimed at a chain node.
import { h, icon } from '../dom.js';
import { t, label, localName, formatNumber, formatDate } from '../i18n.js';
import { api, getClusters } from '../api.js';
import { mayReadLeads } from './chain.js';
import { exportButton } from '../export.js';

export const LEAD_STAGES = ['contacted', 'visited', 'negotiating', 'signed', 'settled', 'dropped'];
const NEXT = { contacted: 'visited', visited: 'negotiating', negotiating: 'signed', signed: 'settled' };
const COLLAPSE_OVER = 6; // a column longer than this starts folded
const STAGE_RANK = { upstream: 0, midstream: 1, downstream: 2, service: 3 };

// Who may move a lead or add one for a node: admin, officer and the
// node's cluster's secretary (the server decides).
function mayWrite(user, clusterId) {
  if (!user) return false;
  if (user.role === 'admin' || user.role === 'officer') return true;
  return user.role === 'secretary' && Boolean(user.cluster_id) && user.cluster_id === clusterId;
}

const byDateDesc = (a, b) => String(b.stage_on || '').localeCompare(String(a.stage_on || '')) || b.id - a.id;

export async function render(ctx) {
  const { root, app, query } = ctx;
  const state = {
    cluster: Number(query.get('cluster')) || null,
    clusters: [], nodes: new Map(), items: [], error: null, status: 0, loading: false,
    open: new Set(), // columns unfolded by the user
    ui: new Map(), // lead id -> {mode: 'drop'|'settle'|null, busy, error, note, enterprise}
    form: { name: '', node: '', introducer: '', errors: {}, general: null, busy: false },
    announce: '',
  };
  const el = {};
  let leadSeq = 0;

  app.setTitle(t('pipeline.title'));
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));

  if (!mayReadLeads(app.user)) {
    root.replaceChildren(h('h1', null, t('pipeline.title')),
      h('div', { class: 'alert alert-error', role: 'alert' }, t('common.forbidden')));
    return null;
  }

  // The chain nodes of every cluster, for the cards' node names and the
  // new-lead form.
  async function loadNodes() {
    const chains = await Promise.all(state.clusters.map((c) =>
      api('GET', `/clusters/${c.id}/chain`).then((r) => r.data).catch(() => null)));
    for (const ch of chains) {
      if (!ch) continue;
      for (const n of ch.nodes || []) state.nodes.set(n.id, { ...n, cluster_id: n.cluster_id || ch.cluster.id });
    }
  }

  async function loadLeads() {
    const mySeq = ++leadSeq;
    state.loading = true;
    state.error = null;
    try {
      const r = await api('GET', '/leads', { query: { cluster: state.cluster || undefined } });
      if (mySeq !== leadSeq) return false;
      state.items = r.data.items || [];
    } catch (e) {
      if (mySeq !== leadSeq) return false;
      state.error = e.message;
      state.status = e.status;
      state.items = [];
    }
    state.loading = false;
    return true;
  }

  try {
    state.clusters = await getClusters();
  } catch (e) {
    state.error = e.message;
  }
  await Promise.all([loadNodes(), loadLeads()]);
  if (!ctx.alive()) return null;

  function syncUrl() {
    const url = `/pipeline${state.cluster ? `?cluster=${state.cluster}` : ''}`;
    if (location.pathname + location.search !== url) {
      history.replaceState(null, '', url);
      app.pathChanged();
    }
  }

  const nodeName = (id) => {
    const n = state.nodes.get(id);
    return n ? localName(n) : `#${id}`;
  };
  const clusterOfLead = (l) => {
    const n = state.nodes.get(l.node_id);
    return n ? n.cluster_id : null;
  };
  const uiOf = (id) => {
    if (!state.ui.has(id)) state.ui.set(id, { mode: null, busy: false, error: null, note: '', enterprise: '' });
    return state.ui.get(id);
  };

  // ---- moving a lead ----

  async function move(lead, stage, extra = {}) {
    const ui = uiOf(lead.id);
    ui.busy = true;
    ui.error = null;
    drawCard(lead);
    try {
      const r = await api('POST', `/leads/${lead.id}/stage`, { body: { stage, ...extra } });
      if (!ctx.alive()) return;
      replaceLead(r.data);
      ui.mode = null;
      ui.note = '';
      ui.enterprise = '';
      ui.busy = false;
      state.announce = t('pipeline.moved', { name: r.data.name, stage: label('lead.stage', r.data.stage) });
      drawBoard();
      focusCard(r.data.id);
    } catch (e) {
      if (!ctx.alive()) return;
      ui.busy = false;
      ui.error = e.message;
      // A 409: if someone else moved it meanwhile, show where it really
      // is, with the server's message still on the card; otherwise (an
      // enterprise already taken, say) the form stays open.
      if (e.status === 409) {
        try {
          const fresh = (await api('GET', `/leads/${lead.id}`)).data;
          if (fresh.stage !== lead.stage) {
            replaceLead(fresh);
            ui.mode = null;
          }
        } catch { /* keep the card where it was */ }
        if (!ctx.alive()) return;
        drawBoard();
        focusCard(lead.id, true);
      } else {
        drawCard(lead);
        focusCard(lead.id, true);
      }
    }
  }

  function replaceLead(lead) {
    const i = state.items.findIndex((x) => x.id === lead.id);
    if (i >= 0) state.items[i] = lead; else state.items.push(lead);
  }

  function focusCard(id, toError = false) {
    const card = root.querySelector(`[data-testid=lead-card][data-id="${id}"]`);
    if (!card) return;
    const target = (toError && card.querySelector('.lead-error')) || card;
    target.focus();
  }

  // ---- drawing ----

  // The leads of the cluster chosen, as the cards tell them.
  function exportSpec() {
    return {
      name: 'leads', path: '/leads', query: { cluster: state.cluster || undefined }, limit: null,
      columns: [
        { head: () => t('pipeline.new.name'), value: (l) => localName(l, 'name', 'name_en') },
        { head: () => t('pipeline.node'), value: (l) => nodeName(l.node_id) },
        { head: () => t('xcol.stage'), value: (l) => label('lead.stage', l.stage) },
        { head: () => t('pipeline.date'), value: (l) => l.stage_on || '' },
        { head: () => t('pipeline.introduced'), value: (l) => localName(l, 'introduced_by', 'introduced_by_en') },
        { head: () => t('pipeline.became'), value: (l) => (l.stage === 'settled' && l.enterprise_id ? `#${l.enterprise_id}` : '') },
        { head: () => t('pipeline.reason'), value: (l) => (l.stage === 'dropped' ? l.drop_reason || '' : '') },
      ],
    };
  }

  function draw() {
    app.setTitle(t('pipeline.title'));
    const head = h('div', { class: 'page-head' },
      h('div', null, h('h1', null, t('pipeline.title')), h('p', { class: 'muted' }, t('pipeline.intro'))),
      h('div', { class: 'chain-controls' },
        h('div', { class: 'field field-compact' },
          h('label', { for: 'pipeline-cluster' }, t('pipeline.cluster')), clusterSelect()),
        exportButton(exportSpec)));
    if (state.error && state.status === 403) {
      root.replaceChildren(head, h('div', { class: 'alert alert-error', role: 'alert' }, t('common.forbidden')));
      return;
    }
    el.summary = h('p', { class: 'summary', 'data-testid': 'pipeline-total' });
    el.live = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', id: 'pipeline-status' });
    el.board = h('div', { class: 'board', 'data-testid': 'board' });
    el.form = h('details', { class: 'card new-lead', id: 'new-lead', open: state.formOpen || null });
    el.form.addEventListener('toggle', () => { state.formOpen = el.form.open; });
    root.replaceChildren(...[head, el.summary, el.live, mayCreateAny() ? el.form : null, el.board].filter(Boolean));
    drawForm();
    drawBoard();
  }

  function clusterSelect() {
    const sel = h('select', { id: 'pipeline-cluster', name: 'cluster', class: 'input' },
      h('option', { value: '' }, t('pipeline.cluster.all')),
      state.clusters.map((c) => h('option', { value: String(c.id) }, localName(c))));
    sel.value = state.cluster ? String(state.cluster) : '';
    sel.addEventListener('change', async () => {
      state.cluster = Number(sel.value) || null;
      syncUrl();
      el.board.setAttribute('aria-busy', 'true');
      if (await loadLeads()) {
        if (!ctx.alive()) return;
        drawForm();
        drawBoard();
      }
    });
    return sel;
  }

  function drawBoard() {
    el.board.removeAttribute('aria-busy');
    const open = state.items.filter((l) => NEXT[l.stage]).length;
    el.summary.textContent = t('pipeline.total', { n: formatNumber(state.items.length), open: formatNumber(open) });
    el.live.textContent = state.announce;
    if (state.error) {
      el.board.replaceChildren(h('div', { class: 'alert alert-error', role: 'alert' }, state.error));
      return;
    }
    el.board.replaceChildren(...LEAD_STAGES.map(column));
  }

  function column(stage) {
    const leads = state.items.filter((l) => l.stage === stage).sort(byDateDesc);
    const long = leads.length > COLLAPSE_OVER;
    const unfolded = !long || state.open.has(stage);
    const listId = `col-${stage}-list`;
    let fold = null;
    if (long) {
      fold = h('div', { class: 'col-fold' },
        h('p', { class: 'small muted', 'data-testid': 'col-summary' }, introducers(leads)),
        h('button', {
          type: 'button', class: 'btn btn-secondary btn-small', 'aria-expanded': unfolded ? 'true' : 'false',
          'aria-controls': listId, 'data-testid': 'col-toggle',
          onclick: () => {
            if (state.open.has(stage)) state.open.delete(stage); else state.open.add(stage);
            const fresh = column(stage);
            colEl.replaceWith(fresh);
            fresh.querySelector('[data-testid=col-toggle]').focus();
          },
        }, unfolded ? t('pipeline.hide') : t('pipeline.show', { n: formatNumber(leads.length) })));
    }
    const colEl = h('section', {
      class: ['board-col', `col-${stage}`, long && !unfolded && 'is-folded'], 'data-stage': stage,
      'data-testid': 'board-col', 'aria-labelledby': `col-${stage}-title`,
    },
    h('header', { class: 'col-head' },
      h('h2', { class: 'col-title', id: `col-${stage}-title` }, label('lead.stage', stage)),
      h('span', { class: 'col-count', 'data-testid': 'col-count' }, formatNumber(leads.length))),
    fold,
    unfolded
      ? (leads.length
        ? h('ol', { class: 'lead-cards', id: listId }, leads.map(card))
        : h('p', { class: 'muted small col-empty' }, t('pipeline.empty')))
      : null);
    return colEl;
  }

  // "84 introduced by Shanghai Qifan Cable": who brought the column's
  // leads, the two biggest introducers.
  function introducers(leads) {
    const counts = new Map();
    for (const l of leads) {
      const k = localName(l, 'introduced_by', 'introduced_by_en') || t('common.none');
      counts.set(k, (counts.get(k) || 0) + 1);
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2)
      .map(([who, n]) => t('pipeline.introduced.count', { who, n: formatNumber(n) })).join('；');
  }

  function drawCard(lead) {
    const old = root.querySelector(`[data-testid=lead-card][data-id="${lead.id}"]`);
    if (old) old.replaceWith(card(lead));
  }

  function card(lead) {
    const ui = uiOf(lead.id);
    const next = NEXT[lead.stage];
    const writable = next && mayWrite(app.user, clusterOfLead(lead));
    const node = state.nodes.get(lead.node_id);
    const parts = [
      h('h3', { class: 'lead-name' }, localName(lead, 'name', 'name_en')),
      h('dl', { class: 'lead-facts' },
        h('div', null, h('dt', null, t('pipeline.node')),
          h('dd', null, node
            ? h('a', { href: `/clusters/${node.cluster_id}/chain?node=${node.id}` }, localName(node))
            : nodeName(lead.node_id))),
        h('div', null, h('dt', null, t('pipeline.introduced')),
          h('dd', null, lead.introduced_by_enterprise_id
            ? h('a', { href: `/enterprises/${lead.introduced_by_enterprise_id}` }, localName(lead, 'introduced_by', 'introduced_by_en') || `#${lead.introduced_by_enterprise_id}`)
            : (localName(lead, 'introduced_by', 'introduced_by_en') || t('common.none')))),
        h('div', null, h('dt', null, t('pipeline.date')),
          h('dd', null, h('time', { datetime: lead.stage_on || '' }, formatDate(lead.stage_on)))),
        lead.stage === 'settled' && lead.enterprise_id ? h('div', null, h('dt', null, t('pipeline.became')),
          h('dd', null, h('a', { href: `/enterprises/${lead.enterprise_id}` }, `#${lead.enterprise_id}`))) : null,
        lead.stage === 'dropped' && lead.drop_reason ? h('div', null, h('dt', null, t('pipeline.reason')),
          h('dd', null, lead.drop_reason)) : null),
    ];
    if (ui.error) {
      parts.push(h('p', { class: 'field-error lead-error', role: 'alert', tabindex: '-1', 'data-testid': 'lead-error' },
        icon('close', 'icon icon-err'), h('span', null, ui.error)));
    }
    if (writable) parts.push(actions(lead, ui, next));
    return h('li', {
      class: ['lead-card', ui.busy && 'is-busy'], 'data-testid': 'lead-card', 'data-id': lead.id,
      'data-stage': lead.stage, tabindex: '-1', 'aria-busy': ui.busy ? 'true' : null,
    }, parts);
  }

  function actions(lead, ui, next) {
    const redraw = () => { drawCard(lead); };
    if (ui.mode === 'drop') {
      const id = `drop-${lead.id}`;
      const reason = h('textarea', { id, class: 'input', rows: 2, name: 'note', 'data-testid': 'drop-reason' });
      reason.value = ui.note;
      reason.addEventListener('input', () => { ui.note = reason.value; });
      const form = h('form', { class: 'lead-form', novalidate: true },
        h('div', { class: 'field' }, h('label', { for: id }, t('pipeline.drop.reason')), reason),
        h('div', { class: 'lead-actions' },
          h('button', { type: 'submit', class: 'btn btn-primary btn-small btn-danger-solid', disabled: ui.busy, 'data-testid': 'drop-confirm' },
            t('pipeline.drop.confirm')),
          h('button', {
            type: 'button', class: 'btn btn-link', onclick: () => { ui.mode = null; ui.error = null; redraw(); focusCard(lead.id); },
          }, t('edit.cancel'))));
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        const note = ui.note.trim();
        if (!note) { ui.error = t('pipeline.drop.required'); redraw(); focusCard(lead.id, true); return; }
        move(lead, 'dropped', { note });
      });
      setTimeout(() => reason.focus(), 0);
      return form;
    }
    if (ui.mode === 'settle') {
      const id = `settle-${lead.id}`;
      const ent = h('input', {
        id, class: 'input num', type: 'number', min: 1, step: 1, inputmode: 'numeric', name: 'enterprise_id',
        'data-testid': 'settle-enterprise',
      });
      ent.value = ui.enterprise;
      ent.addEventListener('input', () => { ui.enterprise = ent.value; });
      const form = h('form', { class: 'lead-form', novalidate: true },
        h('div', { class: 'field' }, h('label', { for: id }, t('pipeline.settle.enterprise')), ent,
          h('p', { class: 'hint' }, t('pipeline.settle.hint'))),
        h('div', { class: 'lead-actions' },
          h('button', { type: 'submit', class: 'btn btn-primary btn-small', disabled: ui.busy }, t('pipeline.settle.confirm')),
          h('button', {
            type: 'button', class: 'btn btn-link', onclick: () => { ui.mode = null; ui.error = null; redraw(); focusCard(lead.id); },
          }, t('edit.cancel'))));
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        const n = Number(ui.enterprise);
        if (!Number.isInteger(n) || n < 1) { ui.error = t('pipeline.settle.required'); redraw(); focusCard(lead.id, true); return; }
        move(lead, 'settled', { enterprise_id: n });
      });
      setTimeout(() => ent.focus(), 0);
      return form;
    }
    return h('div', { class: 'lead-actions' },
      h('button', {
        type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'lead-next', 'data-next': next, disabled: ui.busy,
        onclick: () => {
          if (next === 'settled') { ui.mode = 'settle'; ui.error = null; redraw(); return; }
          move(lead, next);
        },
      }, t('pipeline.move', { stage: label('lead.stage', next) })),
      h('button', {
        type: 'button', class: 'btn btn-link btn-danger', 'data-testid': 'lead-drop', disabled: ui.busy,
        onclick: () => { ui.mode = 'drop'; ui.error = null; redraw(); },
      }, t('pipeline.drop')));
  }

  // ---- a new lead ----

  function writableNodes() {
    const list = [...state.nodes.values()].filter((n) => mayWrite(app.user, n.cluster_id)
      && (!state.cluster || n.cluster_id === state.cluster));
    return list.sort((a, b) => (a.cluster_id - b.cluster_id)
      || ((STAGE_RANK[a.stage] ?? 9) - (STAGE_RANK[b.stage] ?? 9)) || a.id - b.id);
  }
  function mayCreateAny() {
    return [...state.nodes.values()].some((n) => mayWrite(app.user, n.cluster_id));
  }

  function drawForm() {
    if (!el.form) return;
    const f = state.form;
    const nodes = writableNodes();
    const groups = state.clusters.map((c) => [c, nodes.filter((n) => n.cluster_id === c.id)]).filter(([, ns]) => ns.length);
    const err = (field) => (f.errors[field] || []).map((m) => h('p', { class: 'field-error', 'data-field': field, id: `err-lead-${field}` },
      icon('close', 'icon icon-err'), h('span', null, m)));
    const described = (input, field, hint) => {
      const ids = [hint, f.errors[field] ? `err-lead-${field}` : null].filter(Boolean);
      if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
      if (f.errors[field]) input.setAttribute('aria-invalid', 'true');
      return input;
    };
    const name = described(h('input', {
      id: 'lead-name', name: 'name', type: 'text', class: 'input', value: f.name, autocomplete: 'off', maxlength: 100,
    }), 'name');
    name.addEventListener('input', () => { f.name = name.value; });
    const node = described(h('select', { id: 'lead-node', name: 'node_id', class: 'input' },
      h('option', { value: '' }, t('pipeline.new.node.choose')),
      groups.map(([c, ns]) => h('optgroup', { label: localName(c) }, ns.map((n) => h('option', { value: String(n.id) },
        `${label('stage', n.stage)} · ${localName(n)}${n.state === 'gap' ? ` · ${t('chain.badge.gap')}` : ''}`))))), 'node_id');
    node.value = f.node;
    node.addEventListener('change', () => { f.node = node.value; });
    const introducer = described(h('input', {
      id: 'lead-introducer', name: 'introduced_by_enterprise_id', type: 'number', min: 1, step: 1, inputmode: 'numeric',
      class: 'input num', value: f.introducer,
    }), 'introduced_by_enterprise_id', 'lead-introducer-hint');
    introducer.addEventListener('input', () => { f.introducer = introducer.value; });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'lead-submit', disabled: f.busy },
      icon('plus'), h('span', null, f.busy ? t('pipeline.new.saving') : t('pipeline.new.submit')));
    const form = h('form', { class: 'new-lead-form', novalidate: true },
      f.general ? h('div', { class: `alert ${f.generalOk ? 'alert-info' : 'alert-error'}`, role: f.generalOk ? 'status' : 'alert', id: 'lead-form-message' },
        f.general) : null,
      h('div', { class: 'form-grid form-grid-3' },
        h('div', { class: 'field' }, h('label', { for: 'lead-name' }, t('pipeline.new.name')), name, err('name')),
        h('div', { class: 'field' }, h('label', { for: 'lead-node' }, t('pipeline.new.node')), node, err('node_id')),
        h('div', { class: 'field' }, h('label', { for: 'lead-introducer' }, t('pipeline.new.introducer')), introducer,
          h('p', { class: 'hint', id: 'lead-introducer-hint' }, t('pipeline.new.introducer.hint')),
          err('introduced_by_enterprise_id'))),
      h('div', { class: 'lead-actions' }, submit));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); create(); });
    el.form.replaceChildren(
      h('summary', { class: 'new-lead-summary', id: 'new-lead-toggle' }, icon('plus'), h('span', null, t('pipeline.new'))),
      form);
  }

  async function create() {
    const f = state.form;
    if (f.busy) return;
    f.errors = {};
    f.general = null;
    f.generalOk = false;
    const name = f.name.trim();
    if (!name) f.errors.name = [t('pipeline.new.name.required')];
    if (!f.node) f.errors.node_id = [t('pipeline.new.node.required')];
    const intro = f.introducer.trim();
    if (intro && !(Number.isInteger(Number(intro)) && Number(intro) > 0)) f.errors.introduced_by_enterprise_id = [t('pipeline.new.introducer.bad')];
    if (Object.keys(f.errors).length) { drawForm(); focusInvalid(); return; }
    const body = { name, node_id: Number(f.node) };
    if (intro) body.introduced_by_enterprise_id = Number(intro);
    f.busy = true;
    drawForm();
    try {
      const r = await api('POST', '/leads', { body });
      if (!ctx.alive()) return;
      f.busy = false;
      replaceLead(r.data);
      state.form = { name: '', node: '', introducer: '', errors: {}, general: t('pipeline.new.added', { name: r.data.name }), generalOk: true, busy: false };
      state.announce = state.form.general;
      drawForm();
      drawBoard();
    } catch (e) {
      if (!ctx.alive()) return;
      f.busy = false;
      const known = ['name', 'node_id', 'introduced_by_enterprise_id'];
      for (const x of e.errors || []) {
        if (known.includes(x.field)) (f.errors[x.field] = f.errors[x.field] || []).push(x.message);
      }
      if (!Object.keys(f.errors).length) f.general = e.message;
      drawForm();
      focusInvalid();
    }
  }

  function focusInvalid() {
    const x = el.form.querySelector('[aria-invalid="true"]') || el.form.querySelector('#lead-form-message');
    if (x) x.focus();
  }

  draw();
  return { onLang: draw };
}
