// The chain editor of a cluster's chain page, for those who may keep the
// template (admins, officers, the cluster's secretary: the server's
// access_chain_edit): a form that adds a node, one that connects two
// nodes (chosen in two lists or picked in the map), and, in the node
// panel, the selected node's own tools: rename, retire or put back,
// delete, and remove its edges. Every change is the server's to accept;
// its refusals are shown at the field they name, and the page redraws
// the map from the server's answer after each change.
import { h, icon } from './dom.js';
import { t, label } from './i18n.js';
import { api } from './api.js';
import { explainAll, nodeLabel } from './chainedit-i18n.js';

const KINDS = ['material', 'component', 'product', 'service'];
const STAGES = ['upstream', 'midstream', 'downstream', 'service'];
const NODE_FIELDS = ['name_zh', 'name_en', 'code', 'kind', 'stage'];

export function mayEditChain(user, clusterId) {
  if (!user) return false;
  if (user.role === 'admin' || user.role === 'officer') return true;
  return user.role === 'secretary' && Boolean(user.cluster_id) && user.cluster_id === clusterId;
}

// A code from an English name: "Fibre coating resin" -> fibre_coating_resin.
function codeOf(name) {
  return String(name || '').toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '').slice(0, 64);
}

// chainEditor({clusterId, chain() -> the map's answer, reload() -> Promise
// (fetches and redraws the page), select(id|null), mark({from, to,
// picking}), alive()}) -> {card(), nodeTools(n), picking(), pick(n),
// stopPicking(), refresh()}
export function chainEditor(opts) {
  const { clusterId } = opts;
  const blankNode = () => ({ code: '', name_zh: '', name_en: '', kind: 'component', stage: 'midstream' });
  const st = {
    status: null, // {kind: 'ok'|'error', text}
    add: { draft: blankNode(), codeTouched: false, errors: {}, general: [], busy: false },
    link: { from: '', to: '', errors: {}, general: [], busy: false, picking: null },
    node: { forId: null, draft: null, errors: {}, general: [], busy: false, view: null },
  };
  const el = { card: null, status: null, add: null, link: null };

  const nodes = () => (opts.chain() ? opts.chain().nodes : []);
  const byId = (id) => nodes().find((n) => n.id === Number(id));
  const nodeName = (code) => nodeLabel(nodes().find((n) => n.code === code)) || code;
  const fieldLabel = (f) => ({
    code: t('ce.field.code'), name_zh: t('ce.field.name_zh'), name_en: t('ce.field.name_en'),
    kind: t('ce.field.kind'), stage: t('ce.field.stage'), from: t('ce.link.from'), to: t('ce.link.to'),
  })[f] || f;

  function say(kind, text) {
    st.status = { kind, text };
    drawStatus();
  }

  // Sorts a refusal into the form's fields and the rest.
  function takeErrors(form, err, known, extra = {}) {
    form.errors = {};
    form.general = [];
    for (const fe of explainAll(err, { fieldLabel, nodeName, ...extra })) {
      if (fe.field && known.includes(fe.field)) (form.errors[fe.field] ||= []).push(fe.message);
      else form.general.push(fe.message);
    }
  }

  // A labelled control with its errors, ids tying them together.
  function field(prefix, key, control, errors, hint) {
    const id = `${prefix}-${key}`;
    control.id = id;
    const errIds = (errors || []).map((_, i) => `${id}-err${i ? `-${i}` : ''}`);
    const described = [hint ? `${id}-hint` : null, ...errIds].filter(Boolean);
    if (described.length) control.setAttribute('aria-describedby', described.join(' '));
    if (errors && errors.length) control.setAttribute('aria-invalid', 'true');
    return h('div', { class: 'field', 'data-for': key },
      h('label', { for: id }, fieldLabel(key)), control,
      hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
      (errors || []).map((m, i) => h('p', { class: 'field-error', 'data-field': key, id: errIds[i] },
        icon('close', 'icon icon-err'), h('span', null, m))));
  }

  function general(list) {
    return list.length ? h('div', { class: 'alert alert-error', role: 'alert' }, list.map((m) => h('p', null, m))) : null;
  }

  function select(name, value, options, onChange) {
    const s = h('select', { name, class: 'input' }, options.map(([v, text]) => h('option', { value: v }, text)));
    s.value = value;
    s.addEventListener('change', () => onChange(s.value));
    return s;
  }

  function textInput(name, value, onInput, attrs = {}) {
    const i = h('input', { name, type: 'text', class: 'input', value, autocomplete: 'off', ...attrs });
    i.addEventListener('input', () => onInput(i.value));
    return i;
  }

  function focusFirstError(box) {
    const bad = box && box.querySelector('[aria-invalid="true"], .alert-error');
    if (!bad) return;
    if (!bad.matches('input, select')) bad.setAttribute('tabindex', '-1');
    bad.focus();
  }

  // ---- the card: status, adding a node, connecting two ----

  function drawStatus() {
    if (!el.status) return;
    const s = st.status;
    el.status.className = s ? `alert alert-${s.kind === 'ok' ? 'info' : 'error'} chain-edit-status` : 'chain-edit-status';
    el.status.replaceChildren(s ? s.text : '');
  }

  function drawAdd() {
    const a = st.add;
    const d = a.draft;
    const nameEn = textInput('name_en', d.name_en, (v) => {
      d.name_en = v;
      if (!a.codeTouched) { d.code = codeOf(v); code.value = d.code; }
    }, { maxlength: 50 });
    const code = textInput('code', d.code, (v) => { d.code = v; a.codeTouched = true; },
      { maxlength: 64, spellcheck: 'false', class: 'input mono' });
    const form = h('form', { class: 'chain-edit-form', id: 'chain-add-form', novalidate: true },
      h('h3', { class: 'panel-sub' }, t('ce.add.title')),
      h('div', { class: 'form-grid' },
        field('ce-add', 'name_zh', textInput('name_zh', d.name_zh, (v) => { d.name_zh = v; }, { maxlength: 50 }), a.errors.name_zh),
        field('ce-add', 'name_en', nameEn, a.errors.name_en),
        field('ce-add', 'code', code, a.errors.code, t('ce.field.code.hint')),
        field('ce-add', 'kind', select('kind', d.kind, KINDS.map((k) => [k, label('kind', k)]), (v) => { d.kind = v; }), a.errors.kind),
        field('ce-add', 'stage', select('stage', d.stage, STAGES.map((s) => [s, label('stage', s)]), (v) => { d.stage = v; }), a.errors.stage)),
      general(a.general),
      h('div', { class: 'form-actions form-actions-inline' },
        h('button', { type: 'submit', class: 'btn btn-primary', id: 'chain-add-submit', disabled: a.busy },
          icon('plus'), h('span', null, a.busy ? t('ce.busy') : t('ce.add.submit')))));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); addNode(); });
    el.add.replaceChildren(form);
  }

  async function addNode() {
    const a = st.add;
    if (a.busy) return;
    a.busy = true;
    drawAdd();
    const body = { ...a.draft };
    for (const k of ['code', 'name_zh', 'name_en']) body[k] = body[k].trim();
    try {
      const r = await api('POST', `/clusters/${clusterId}/chain/nodes`, { body });
      if (!opts.alive()) return;
      a.draft = blankNode();
      a.codeTouched = false;
      a.errors = {};
      a.general = [];
      a.busy = false;
      say('ok', t('ce.add.done', { name: nodeLabel(r.data) }));
      await opts.reload();
      opts.select(r.data.id);
    } catch (err) {
      if (!opts.alive()) return;
      a.busy = false;
      takeErrors(a, err, ['code', 'name_zh', 'name_en', 'kind', 'stage'], { value: body.code });
      drawAdd();
      focusFirstError(el.add);
    }
  }

  function nodeOptions() {
    const live = nodes().filter((n) => !n.retired);
    const order = (n) => STAGES.indexOf(n.stage);
    return [['', t('ce.link.choose')],
      ...live.slice().sort((a, b) => order(a) - order(b) || nodeLabel(a).localeCompare(nodeLabel(b)))
        .map((n) => [String(n.id), `${nodeLabel(n)} · ${label('stage', n.stage)}`])];
  }

  function drawLink() {
    const l = st.link;
    const from = select('from', l.from, nodeOptions(), (v) => { l.from = v; markPicks(); });
    const to = select('to', l.to, nodeOptions(), (v) => { l.to = v; markPicks(); });
    const pickBtn = h('button', {
      type: 'button', class: 'btn btn-secondary', id: 'chain-pick', 'aria-pressed': l.picking ? 'true' : 'false',
      onclick: () => (l.picking ? stopPicking() : startPicking()),
    }, t(l.picking ? 'ce.link.pick.cancel' : 'ce.link.pick'));
    const prompt = l.picking === 'from' ? t('ce.link.pick.from')
      : l.picking === 'to' ? t('ce.link.pick.to', { from: nodeLabel(byId(l.from)) })
        : l.from && l.to && !l.busy ? t('ce.link.pick.ready', { from: nodeLabel(byId(l.from)), to: nodeLabel(byId(l.to)) }) : '';
    const form = h('form', { class: 'chain-edit-form', id: 'chain-link-form', novalidate: true },
      h('h3', { class: 'panel-sub' }, t('ce.link.title')),
      h('div', { class: 'form-grid' }, field('ce-link', 'from', from, l.errors.from), field('ce-link', 'to', to, l.errors.to)),
      h('p', { class: 'hint chain-pick-prompt', id: 'chain-pick-prompt', role: 'status', 'aria-live': 'polite' }, prompt),
      general(l.general),
      h('div', { class: 'form-actions form-actions-inline' },
        h('button', { type: 'submit', class: 'btn btn-primary', id: 'chain-link-submit', disabled: l.busy },
          l.busy ? t('ce.busy') : t('ce.link.submit')),
        pickBtn));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); connect(); });
    el.link.replaceChildren(form);
  }

  async function connect() {
    const l = st.link;
    if (l.busy) return;
    stopPicking(false);
    l.busy = true;
    drawLink();
    const body = { from: l.from ? Number(l.from) : null, to: l.to ? Number(l.to) : null };
    const names = { from: nodeLabel(byId(l.from)), to: nodeLabel(byId(l.to)) };
    try {
      await api('POST', `/clusters/${clusterId}/chain/edges`, { body });
      if (!opts.alive()) return;
      Object.assign(l, { from: '', to: '', errors: {}, general: [], busy: false });
      say('ok', t('ce.link.done', names));
      await opts.reload();
    } catch (err) {
      if (!opts.alive()) return;
      l.busy = false;
      takeErrors(l, err, ['from', 'to']);
      drawLink();
      focusFirstError(el.link);
    }
  }

  // ---- picking the two nodes in the map ----

  function markPicks() {
    opts.mark({ from: Number(st.link.from) || null, to: Number(st.link.to) || null, picking: Boolean(st.link.picking) });
  }

  function startPicking() {
    const l = st.link;
    l.picking = 'from';
    l.from = '';
    l.to = '';
    l.errors = {};
    l.general = [];
    drawLink();
    markPicks();
    el.link.querySelector('#chain-pick-prompt').scrollIntoView({ block: 'nearest' });
  }

  function stopPicking(redraw = true) {
    if (!st.link.picking) return;
    st.link.picking = null;
    if (redraw) drawLink();
    markPicks();
  }

  function pick(n) {
    const l = st.link;
    if (n.retired) return;
    if (l.picking === 'from') {
      l.from = String(n.id);
      l.picking = 'to';
      drawLink();
      markPicks();
      return;
    }
    l.to = String(n.id);
    l.picking = null;
    drawLink();
    markPicks();
    const submit = el.link.querySelector('#chain-link-submit');
    if (submit) { submit.focus(); submit.scrollIntoView({ block: 'nearest' }); }
  }

  function onKey(ev) {
    if (ev.key === 'Escape' && st.link.picking) stopPicking();
  }

  // ---- one node's tools, in the panel ----

  function nodeDraft(n) {
    return Object.fromEntries(NODE_FIELDS.map((k) => [k, n[k] ?? '']));
  }

  function nodeTools(n) {
    const s = st.node;
    if (s.forId !== n.id) Object.assign(s, { forId: n.id, draft: nodeDraft(n), errors: {}, general: [], busy: false });
    const d = s.draft;
    const box = h('section', { class: 'panel-section chain-node-tools', id: 'node-tools', 'data-testid': 'node-tools' });
    const draw = () => {
      const form = h('form', { class: 'chain-edit-form', id: 'node-edit-form', novalidate: true },
        h('div', { class: 'form-grid form-grid-1' },
          field('ce-node', 'name_zh', textInput('name_zh', d.name_zh, (v) => { d.name_zh = v; }, { maxlength: 50 }), s.errors.name_zh),
          field('ce-node', 'name_en', textInput('name_en', d.name_en, (v) => { d.name_en = v; }, { maxlength: 50 }), s.errors.name_en),
          field('ce-node', 'code', textInput('code', d.code, (v) => { d.code = v; }, { maxlength: 64, spellcheck: 'false', class: 'input mono' }), s.errors.code),
          field('ce-node', 'kind', select('kind', d.kind, KINDS.map((k) => [k, label('kind', k)]), (v) => { d.kind = v; }), s.errors.kind),
          field('ce-node', 'stage', select('stage', d.stage, STAGES.map((x) => [x, label('stage', x)]), (v) => { d.stage = v; }), s.errors.stage)),
        general(s.general),
        h('div', { class: 'form-actions form-actions-inline' },
          h('button', { type: 'submit', class: 'btn btn-primary', id: 'node-save', disabled: s.busy }, s.busy ? t('ce.busy') : t('ce.node.save'))));
      form.addEventListener('submit', (ev) => { ev.preventDefault(); saveNode(n); });
      const edges = opts.chain().edges || [];
      const inputs = edges.filter((e) => e.to === n.id);
      const outputs = edges.filter((e) => e.from === n.id);
      box.replaceChildren(
        h('h3', { class: 'panel-sub' }, t('ce.node.title')),
        form,
        h('div', { class: 'chain-node-actions' },
          h('button', {
            type: 'button', class: 'btn btn-secondary btn-small', id: 'node-retire', disabled: s.busy,
            onclick: () => setRetired(n, !n.retired),
          }, t(n.retired ? 'ce.node.reinstate' : 'ce.node.retire')),
          h('button', {
            type: 'button', class: 'btn btn-secondary btn-small btn-danger', id: 'node-delete', disabled: s.busy,
            onclick: () => deleteNode(n),
          }, t('ce.node.delete')),
          n.retired ? null : h('button', {
            type: 'button', class: 'btn btn-link btn-small', id: 'node-connect',
            onclick: () => connectFrom(n),
          }, t('ce.node.connect'))),
        edgeList('inputs', t('ce.node.inputs', { n: inputs.length }), inputs, (e) => byId(e.from)),
        edgeList('outputs', t('ce.node.outputs', { n: outputs.length }), outputs, (e) => byId(e.to)));
    };
    draw();
    // The panel builds these tools anew whenever it is drawn (the node's
    // detail arriving, for one): an answer to a request made from an
    // earlier box is drawn in the one shown now.
    s.view = { box, draw };
    return box;
  }

  // Draws the node's tools as they are shown now, when they are still
  // for node n; returns their box for the focus.
  function redrawNode(n) {
    const s = st.node;
    if (s.forId !== n.id || !s.view) return null;
    s.view.draw();
    return s.view.box;
  }

  function edgeList(key, title, list, other) {
    return h('div', { class: 'chain-edge-list', 'data-list': key },
      h('h4', { class: 'panel-sub panel-sub-small' }, title),
      list.length
        ? h('ul', { class: 'ent-mini-list', 'data-testid': `node-${key}` }, list.map((e) => {
          const names = { from: nodeLabel(byId(e.from)), to: nodeLabel(byId(e.to)) };
          return h('li', { class: 'ent-mini', 'data-testid': 'node-edge', 'data-from': e.from, 'data-to': e.to },
            h('span', null, nodeLabel(other(e))),
            h('button', {
              type: 'button', class: 'btn btn-link btn-danger btn-small edge-remove', 'data-testid': 'edge-remove',
              'aria-label': t('ce.edge.remove.label', names), onclick: () => removeEdge(e, names),
            }, t('ce.edge.remove')));
        }))
        : h('p', { class: 'muted small' }, t('ce.node.noedges')));
  }

  async function saveNode(n) {
    const s = st.node;
    if (s.busy) return;
    const body = {};
    for (const k of NODE_FIELDS) {
      const v = typeof s.draft[k] === 'string' ? s.draft[k].trim() : s.draft[k];
      if (v !== n[k]) body[k] = v;
    }
    if (!Object.keys(body).length) { say('ok', t('ce.node.nochange')); return; }
    s.busy = true;
    redrawNode(n);
    try {
      const r = await api('PUT', `/chain/nodes/${n.id}`, { body });
      if (!opts.alive()) return;
      s.forId = null; // redrawn from the server's record
      say('ok', t('ce.node.saved', { name: nodeLabel(r.data) }));
      await opts.reload();
    } catch (err) {
      // Another node chosen meanwhile has tools of its own.
      if (!opts.alive() || s.forId !== n.id) return;
      s.busy = false;
      takeErrors(s, err, NODE_FIELDS, { value: body.code, subject: nodeLabel(n) });
      focusFirstError(redrawNode(n));
    }
  }

  async function setRetired(n, retired) {
    const name = nodeLabel(n);
    if (retired && !window.confirm(t('ce.node.retire.confirm', { name }))) return;
    const s = st.node;
    s.busy = true;
    redrawNode(n);
    try {
      await api('PUT', `/chain/nodes/${n.id}`, { body: { retired } });
      if (!opts.alive()) return;
      s.forId = null;
      say('ok', t(retired ? 'ce.node.retired' : 'ce.node.reinstated', { name }));
      await opts.reload();
    } catch (err) {
      if (!opts.alive() || s.forId !== n.id) return;
      s.busy = false;
      takeErrors(s, err, [], { subject: name });
      focusFirstError(redrawNode(n));
    }
  }

  async function deleteNode(n) {
    const name = nodeLabel(n);
    if (!window.confirm(t('ce.node.delete.confirm', { name }))) return;
    const s = st.node;
    s.busy = true;
    redrawNode(n);
    try {
      await api('DELETE', `/chain/nodes/${n.id}`);
      if (!opts.alive()) return;
      s.forId = null;
      say('ok', t('ce.node.deleted', { name }));
      opts.select(null);
      await opts.reload();
      if (el.status) { el.status.setAttribute('tabindex', '-1'); el.status.focus(); }
    } catch (err) {
      if (!opts.alive() || s.forId !== n.id) return;
      s.busy = false;
      takeErrors(s, err, [], { subject: name });
      focusFirstError(redrawNode(n));
    }
  }

  async function removeEdge(e, names) {
    if (!window.confirm(t('ce.edge.remove.confirm', names))) return;
    try {
      await api('DELETE', `/clusters/${clusterId}/chain/edges/${e.from}/${e.to}`);
      if (!opts.alive()) return;
      say('ok', t('ce.edge.removed', names));
      await opts.reload();
    } catch (err) {
      if (!opts.alive()) return;
      say('error', explainAll(err, { fieldLabel, nodeName }).map((x) => x.message).join(' '));
    }
  }

  function connectFrom(n) {
    stopPicking(false);
    Object.assign(st.link, { from: String(n.id), to: '', errors: {}, general: [] });
    drawLink();
    markPicks();
    const to = el.link.querySelector('select[name=to]');
    if (to) { to.scrollIntoView({ block: 'center' }); to.focus(); }
  }

  return {
    card() {
      el.status = h('div', { class: 'chain-edit-status', id: 'chain-edit-status', role: 'status', 'aria-live': 'polite' });
      el.add = h('div', { class: 'chain-edit-part' });
      el.link = h('div', { class: 'chain-edit-part' });
      el.card = h('section', { class: 'card chain-editor', id: 'chain-editor', 'aria-labelledby': 'chain-editor-title', onkeydown: onKey },
        h('h2', { class: 'card-title', id: 'chain-editor-title' }, t('ce.title')),
        h('p', { class: 'muted small' }, t('ce.intro')),
        el.status,
        h('div', { class: 'chain-edit-grid' }, el.add, el.link));
      drawStatus();
      drawAdd();
      drawLink();
      return el.card;
    },
    nodeTools,
    picking: () => st.link.picking,
    pick,
    stopPicking,
    // After the chain was read again: lists of nodes, picks that went.
    refresh() {
      const l = st.link;
      if (l.from && !byId(l.from)) l.from = '';
      if (l.to && !byId(l.to)) l.to = '';
      if (el.link) drawLink();
      markPicks();
    },
    // The selected node's tools start again from its record.
    forget() { st.node.forId = null; },
    onKey,
  };
}
