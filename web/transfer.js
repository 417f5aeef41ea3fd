// Transfers of cases between jurisdictions, in the case page and the
// inbox: the case's jurisdiction, sending it elsewhere (a target from the
// tree and a reason), accepting or returning one sent to the caller's
// scope, and the inbox's list of transfers waiting (the timeline says
// them from the case's own entries). POST /api/v1/cases/{id}/transfer
// {to, reason}, …/transfer/accept {note}, …/transfer/return {reason};
// GET /api/v1/transfers?direction=in|out&status=pending. The server decides;
// what is offered follows the case's may_* flags when it gives them, the
// role and the scope otherwise, and a refusal is shown beside its field.
import { h } from './dom.js';
import { t, formatDateTime } from './i18n.js';
import { api } from './api.js';
import { fieldErrors, stateBadge } from './casekit.js';
import { getTree, jurName, optionText, resolve, subtree, within } from './jur.js';

const SENDERS = ['admin', 'officer', 'handler'];
const ANSWERERS = ['admin', 'officer'];

// The two ends of a transfer as the API may write them: an object, an id
// or a code (from / from_id / from_code).
const endOf = (tree, tr, side) => resolve(tree,
  tr[side] ?? tr[`${side}_jurisdiction`] ?? tr[`${side}_id`] ?? tr[`${side}_code`] ?? null);

function actorText(a) {
  if (a === null || a === undefined || a === '') return '';
  if (typeof a === 'object') return a.display_name || a.username || (a.id ? `#${a.id}` : '');
  return typeof a === 'number' ? `#${a}` : String(a);
}

const sentAt = (tr) => tr.sent_at || tr.at || tr.created_at || '';
const caseIdOf = (tr) => (tr.case && tr.case.id) || tr.case_id || null;
const caseTextOf = (tr) => (tr.case && (tr.case.text || tr.case.excerpt)) || tr.text || tr.excerpt || '';

// The pending transfer of a case answer, or null.
export function pendingTransfer(d) {
  const tr = (d.case && d.case.transfer) ?? d.transfer ?? null;
  if (!tr || (tr.status && tr.status !== 'pending')) return null;
  return tr;
}

// The controller of the case page's transfer parts. refresh() reads the
// case again and draws the page; the controller keeps its drafts,
// messages and field errors across draws.
export function caseTransfers({ id, app, ctx, refresh }) {
  const state = {
    tree: null, busy: null, msg: null,
    send: { to: '', reason: '' }, answer: { text: '' },
  };
  const errors = { send: fieldErrors(), answer: fieldErrors() };

  async function load() {
    state.tree = await getTree().catch(() => null);
  }

  const user = () => app.user || {};
  const mayAnswer = (d, tr) => {
    if (typeof d.may_answer_transfer === 'boolean') return d.may_answer_transfer;
    if (!ANSWERERS.includes(user().role) || !state.tree) return false;
    const to = endOf(state.tree, tr, 'to');
    return Boolean(to && to.id && within(state.tree, to.id, state.tree.scope));
  };
  const maySend = (d) => {
    if (typeof d.may_transfer === 'boolean') return d.may_transfer;
    const c = d.case;
    return SENDERS.includes(user().role) && c.status === 'open' && !c.merged_into && !pendingTransfer(d);
  };

  const caseJurisdiction = (d) => resolve(state.tree, d.case.jurisdiction ?? d.jurisdiction ?? null);

  // The row of the case's facts that names its jurisdiction.
  function jurisdictionRow(d, row) {
    const j = caseJurisdiction(d);
    if (!j) return null;
    return row('jurisdiction', t('transfer.field.jurisdiction'),
      h('span', { 'data-testid': 'case-jurisdiction', 'data-code': j.code || '' },
        jurName(j), j.code ? h('span', { class: 'muted mono small' }, ` · ${j.code}`) : null));
  }

  function message() {
    const m = state.msg;
    if (!m) return null;
    if (m.kind === 'ok') {
      return h('p', { class: 'action-result is-ok', role: 'status', 'data-testid': 'transfer-result', tabindex: '-1' }, m.text);
    }
    return h('div', { class: 'alert alert-error action-error', role: 'alert', 'data-testid': 'transfer-error', tabindex: '-1' },
      h('p', null, m.text));
  }

  function fieldBox(form, key, iid, text, control, hint) {
    return h('div', { class: 'field', 'data-for': `transfer.${key}` },
      h('label', { for: iid }, text), control,
      hint ? h('p', { class: 'hint', id: `${iid}-hint` }, hint) : null,
      errors[form].show(key, iid));
  }

  function textArea(form, draft, key, iid, fieldName, hintId) {
    const el = h('textarea', { id: iid, name: fieldName, class: 'input textarea', rows: 2, maxlength: 2000 });
    el.value = draft[key];
    el.addEventListener('input', () => { draft[key] = el.value; });
    errors[form].describe(el, fieldName, iid, hintId);
    return el;
  }

  function pendingBox(d, tr) {
    const from = endOf(state.tree, tr, 'from');
    const to = endOf(state.tree, tr, 'to');
    const who = actorText(tr.sent_by_display_name || tr.sent_by);
    return h('div', { class: 'transfer-pending', 'data-testid': 'transfer-pending', 'data-to': to ? to.code || '' : '' },
      h('p', { class: 'transfer-route' },
        h('span', { class: 'badge badge-transfer' }, t('transfer.pending.badge')), ' ',
        t('transfer.pending.route', { from: jurName(from), to: jurName(to) })),
      h('p', { class: 'transfer-reason' }, h('span', { class: 'muted' }, t('transfer.reason.label')), ' ', tr.reason || ''),
      h('p', { class: 'muted small' },
        [who ? t('transfer.by', { who }) : null, sentAt(tr) ? formatDateTime(sentAt(tr)) : null].filter(Boolean).join(' · ')));
  }

  function answerForm(tr) {
    const busy = Boolean(state.busy);
    const form = h('form', { class: 'case-subform', id: 'transfer-answer-form', novalidate: true },
      fieldBox('answer', 'reason', 'transfer-answer', t('transfer.answer.label'),
        textArea('answer', state.answer, 'text', 'transfer-answer', 'reason', 'transfer-answer-hint'),
        t('transfer.answer.hint')),
      h('div', { class: 'move-buttons' },
        h('button', {
          type: 'button', class: 'btn btn-primary btn-touch', id: 'transfer-accept', disabled: busy,
          onclick: () => answer('accept'),
        }, t('transfer.accept')),
        h('button', {
          type: 'button', class: 'btn btn-secondary btn-danger btn-touch', id: 'transfer-return', disabled: busy,
          onclick: () => answer('return'),
        }, t('transfer.return'))));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); });
    form.dataset.transfer = tr.id ?? '';
    return form;
  }

  function sendForm(d) {
    const here = caseJurisdiction(d);
    const dr = state.send;
    const nodes = state.tree ? subtree(state.tree, null) : [];
    const select = h('select', { id: 'transfer-to', name: 'to', class: 'input' },
      h('option', { value: '' }, t('transfer.to.choose')),
      nodes.map(({ node, depth }) => h('option', {
        value: node.code, disabled: Boolean(here && here.id === node.id),
      }, optionText(node, depth))));
    select.value = dr.to;
    select.addEventListener('change', () => { dr.to = select.value; });
    errors.send.describe(select, 'to', 'transfer-to');
    const form = h('form', { class: 'case-subform', id: 'transfer-form', novalidate: true },
      fieldBox('send', 'to', 'transfer-to', t('transfer.to'), select),
      fieldBox('send', 'reason', 'transfer-reason', t('transfer.reason'),
        textArea('send', dr, 'reason', 'transfer-reason', 'reason', 'transfer-reason-hint'), t('transfer.reason.hint')),
      h('button', { type: 'submit', class: 'btn btn-secondary', id: 'transfer-send', disabled: Boolean(state.busy) },
        t('transfer.send')));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); send(); });
    return form;
  }

  // The side panel: the pending transfer and its answer, or the form to
  // send the case elsewhere; nothing for those who may do neither.
  function section(d) {
    const c = d.case;
    if (c.merged_into) return null;
    const tr = pendingTransfer(d);
    if (tr) {
      const answerable = mayAnswer(d, tr);
      return h('section', {
        class: 'card transfer-card', 'data-section': 'transfer', 'aria-labelledby': 'sec-transfer',
      },
      h('h2', { id: 'sec-transfer', class: 'card-title' }, t('transfer.section.pending')),
      message(), pendingBox(d, tr),
      answerable ? answerForm(tr) : h('p', { class: 'muted small', 'data-testid': 'transfer-waiting' }, t('transfer.waiting')));
    }
    if (!maySend(d)) {
      return state.msg ? h('section', { class: 'card transfer-card', 'data-section': 'transfer' }, message()) : null;
    }
    return h('details', {
      class: 'card case-more transfer-card', 'data-section': 'transfer',
      open: Boolean(state.msg) || errors.send.any() || Boolean(state.send.to),
    },
    h('summary', { class: 'case-more-summary', id: 'transfer-summary' }, t('transfer.section.send')),
    message(), sendForm(d));
  }

  // The transfers on the timeline: the case's own entries say them
  // (both ends and the reason by name, who sent and who answered, and
  // the answer's note, casetimeline.js), so the list stays as it is.
  function timeline(list) {
    return list;
  }

  // ---- acting ----

  async function post(kind, path, body, fields, okText) {
    if (state.busy) return;
    const form = kind === 'send' ? 'send' : 'answer';
    errors[form].clear();
    state.msg = null;
    state.busy = kind;
    await refresh(false);
    try {
      await api('POST', `/cases/${id}${path}`, { body });
      if (!ctx.alive()) return;
      if (form === 'send') state.send = { to: '', reason: '' };
      else state.answer = { text: '' };
      state.busy = null;
      state.msg = { kind: 'ok', text: okText };
      await refresh(true);
    } catch (err) {
      if (!ctx.alive()) return;
      state.busy = null;
      const general = errors[form].fromApi(err, fields);
      // The accepting note is written in the box the returning reason is.
      const fe = errors[form].errs;
      if (fe.note) { fe.reason = (fe.reason || []).concat(fe.note); delete fe.note; }
      if (general.length) {
        state.msg = {
          kind: 'error',
          text: err.status === 403 ? `${t('transfer.forbidden')} ${general.join(' ')}` : general.join(' '),
        };
      }
      await refresh(err.status === 409);
    }
    focusResult();
  }

  function focusResult() {
    const root = ctx.root;
    const f = root.querySelector('[data-section=transfer] [aria-invalid="true"]')
      || root.querySelector('[data-testid=transfer-error], [data-testid=transfer-result]');
    if (f) f.focus();
  }

  function localError(form, field, text) {
    errors[form].clear();
    state.msg = null;
    errors[form].add(field, text);
    refresh(false).then(focusResult);
  }

  function send() {
    const dr = state.send;
    if (!dr.to) { localError('send', 'to', t('transfer.to.required')); return; }
    if (!dr.reason.trim()) { localError('send', 'reason', t('transfer.reason.required')); return; }
    const to = state.tree && state.tree.byCode.get(dr.to);
    post('send', '/transfer', { to: dr.to, reason: dr.reason.trim() }, ['to', 'reason'],
      t('transfer.sent', { to: jurName(to || { code: dr.to }) }));
  }

  function answer(how) {
    const text = state.answer.text.trim();
    if (how === 'return') {
      if (!text) { localError('answer', 'reason', t('transfer.return.required')); return; }
      post('return', '/transfer/return', { reason: text }, ['reason'], t('transfer.returned'));
    } else {
      // The accepting note goes in the same box; the server names it "note".
      post('accept', '/transfer/accept', { note: text }, ['note'], t('transfer.accepted'));
    }
  }

  return { load, jurisdictionRow, section, timeline };
}

// ---- the inbox ----

// The inbox's transfers: those waiting for the caller's scope to accept
// or return them, and those it sent that wait for an answer. A card that
// stays empty (and hidden) when there are none or the server does not
// answer.
export function transferInbox(ctx) {
  const { app } = ctx;
  const role = app.user ? app.user.role : '';
  const state = { in: [], out: [], loaded: false, error: null, tree: null };
  const el = h('section', {
    class: 'card transfer-inbox', 'data-testid': 'transfer-inbox', 'aria-labelledby': 'transfer-inbox-title', hidden: true,
  });

  async function list(direction) {
    try {
      const r = await api('GET', '/transfers', { query: { direction, status: 'pending' } });
      return r.data.items || [];
    } catch (e) {
      if (e.status !== 404 && e.status !== 403) state.error = e.message;
      return [];
    }
  }

  async function load() {
    if (!SENDERS.includes(role)) return;
    state.error = null;
    const [tree, inn, out] = await Promise.all([
      getTree().catch(() => null),
      ANSWERERS.includes(role) ? list('in') : [],
      list('out'),
    ]);
    if (!ctx.alive()) return;
    Object.assign(state, { tree, in: inn, out, loaded: true });
    draw();
  }

  function rows(items, direction) {
    return h('ul', { class: 'transfer-list', 'data-testid': `transfers-${direction}` }, items.map((tr) => {
      const cid = caseIdOf(tr);
      const other = endOf(state.tree, tr, direction === 'in' ? 'from' : 'to');
      const text = caseTextOf(tr);
      return h('li', { class: 'transfer-item', 'data-testid': 'transfer-item', 'data-case': cid ?? '' },
        h('div', { class: 'transfer-item-head' },
          cid ? h('a', { href: `/cases/${cid}`, class: 'transfer-case', 'data-testid': 'transfer-case' },
            t('case.id', { id: cid })) : null,
          tr.case && tr.case.state ? stateBadge(tr.case.state) : null,
          h('span', { class: 'transfer-other' },
            t(direction === 'in' ? 'transfer.inbox.from' : 'transfer.inbox.to', { name: jurName(other) })),
          sentAt(tr) ? h('time', { class: 'muted small', datetime: sentAt(tr) }, formatDateTime(sentAt(tr))) : null),
        text ? h('p', { class: 'transfer-excerpt' }, text) : null,
        tr.reason ? h('p', { class: 'transfer-reason small' },
          h('span', { class: 'muted' }, t('transfer.reason.label')), ' ', tr.reason) : null);
    }));
  }

  function draw() {
    const parts = [];
    if (state.in.length) {
      parts.push(h('h2', { id: 'transfer-inbox-title', class: 'card-title' },
        t('transfer.inbox.in', { n: state.in.length })), rows(state.in, 'in'));
    }
    if (state.out.length) {
      parts.push(h(state.in.length ? 'h3' : 'h2', {
        id: state.in.length ? 'transfer-inbox-out' : 'transfer-inbox-title',
        class: state.in.length ? 'transfer-subtitle' : 'card-title',
      }, t('transfer.inbox.out', { n: state.out.length })), rows(state.out, 'out'));
    }
    if (state.error) {
      parts.push(h('div', { class: 'alert alert-error', role: 'alert' }, state.error));
    }
    el.replaceChildren(...parts);
    el.hidden = !parts.length;
  }

  load();
  return { el, draw, reload: load };
}
