// A batch of automatic grants (/batches/{id}): the enterprises eligible
// for an automatic measure when the batch was made, each with its
// amount. While it is a draft an officer takes lines out, each with its
// reason, and confirms it (POST /batches/{id}/confirm): the lines kept
// are the grants. A confirmed batch shows what was granted and what was
// taken out, and why.
import { h, icon, append } from '../dom.js';
import { t, formatNumber, formatDateTime, localName } from '../i18n.js';
import { api } from '../api.js';
import { mayManage, title, money } from '../polkit.js';

export async function render(ctx) {
  const { root, app, params } = ctx;
  const id = Number(params.id);
  const state = { b: null, p: null, error: null, status: 0, removing: new Map(), errs: {}, general: null, busy: false };

  if (!mayManage(app.user)) {
    root.replaceChildren(h('div', { class: 'alert alert-error', role: 'alert' }, t('common.forbidden')));
    return null;
  }
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  try {
    state.b = (await api('GET', `/batches/${id}`)).data;
    state.p = (await api('GET', `/policies/${state.b.policy_id}`)).data;
  } catch (e) {
    state.error = e.message;
    state.status = e.status;
  }
  if (!ctx.alive()) return null;

  // What confirming now would grant: the lines not taken out.
  function totals() {
    const kept = state.b.lines.filter((l) => !state.removing.has(l.enterprise_id) && !l.removed_reason);
    return { n: kept.length, total: kept.reduce((s, l) => s + (l.amount || 0), 0) };
  }

  async function confirm() {
    if (state.busy) return;
    state.errs = {};
    state.general = null;
    const remove = [...state.removing].map(([enterprise_id, reason]) => ({ enterprise_id, reason: reason.trim() }));
    // A line taken out says why: asked here before the server would.
    for (const l of remove) if (!l.reason) state.errs[l.enterprise_id] = t('pol.batch.reason.required');
    if (Object.keys(state.errs).length) {
      draw();
      const first = root.querySelector('.field-error');
      if (first) first.scrollIntoView({ block: 'center' });
      return;
    }
    state.busy = true;
    draw();
    try {
      state.b = (await api('POST', `/batches/${id}/confirm`, { body: { remove } })).data;
      state.removing.clear();
      app.flash(t('pol.batch.confirmed', { n: state.b.granted, total: money(state.b.total) }), 'ok');
      state.busy = false;
      app.navigate(`/batches/${id}`, { replace: true });
      return;
    } catch (e) {
      // "remove[2].reason: …": shown at the line it names.
      for (const fe of e.errors.length ? e.errors : [{ field: e.field, message: e.message }]) {
        const m = /^remove\[(\d+)\]/.exec(fe.message || '');
        const line = m && remove[Number(m[1])];
        if (line) state.errs[line.enterprise_id] = fe.message;
        else state.general = fe.message;
      }
      if (!Object.keys(state.errs).length && !state.general) state.general = e.message;
    }
    state.busy = false;
    draw();
    const first = root.querySelector('.field-error, #batch-errors');
    if (first) first.scrollIntoView({ block: 'center' });
  }

  function lineRow(l) {
    const draft = state.b.state === 'draft';
    const out = state.removing.has(l.enterprise_id);
    let action = null;
    if (draft) {
      const box = h('input', { type: 'checkbox', class: 'checkbox', id: `batch-out-${l.enterprise_id}`, checked: out });
      box.addEventListener('change', () => {
        if (box.checked) state.removing.set(l.enterprise_id, '');
        else state.removing.delete(l.enterprise_id);
        delete state.errs[l.enterprise_id];
        draw();
        if (box.checked) {
          const r = root.querySelector(`#batch-reason-${l.enterprise_id}`);
          if (r) r.focus();
        }
      });
      const reason = out ? h('input', {
        id: `batch-reason-${l.enterprise_id}`, class: 'input', maxlength: 200, value: state.removing.get(l.enterprise_id),
        placeholder: t('pol.batch.reason.placeholder'), 'aria-label': t('pol.batch.reason'),
        'aria-invalid': state.errs[l.enterprise_id] ? 'true' : null,
      }) : null;
      if (reason) reason.addEventListener('input', () => { state.removing.set(l.enterprise_id, reason.value); });
      action = h('div', { class: 'pol-batch-out' },
        h('label', { class: 'check check-small', for: `batch-out-${l.enterprise_id}` }, box, t('pol.batch.remove')),
        reason,
        state.errs[l.enterprise_id] ? h('p', { class: 'field-error', 'data-field': 'reason' }, state.errs[l.enterprise_id]) : null);
    } else if (l.removed_reason) {
      action = h('span', { class: 'pol-removed', 'data-testid': 'removed-reason' }, t('pol.batch.removed', { reason: l.removed_reason }));
    } else {
      action = h('span', { class: 'pol-granted' }, t('pol.batch.granted.one'));
    }
    return h('tr', {
      'data-testid': 'batch-line', 'data-id': l.enterprise_id,
      class: [(out || l.removed_reason) && 'is-removed'],
    },
    h('td', { class: 'col-name', 'data-label': t('pol.eligible.name') },
      h('a', { class: 'row-link', href: `/enterprises/${l.enterprise_id}` }, localName(l))),
    h('td', { class: 'num', 'data-label': t('pol.eligible.amount') }, money(l.amount)),
    h('td', { 'data-label': t('pol.batch.line') }, action));
  }

  function draw() {
    if (state.error) {
      app.setTitle(t('pol.batch.title'));
      root.replaceChildren(h('h1', null, state.status === 404 ? t('common.notfound.title') : t('pol.batch.title')),
        h('div', { class: 'alert alert-error', role: 'alert' }, state.error),
        h('p', null, h('a', { href: '/policies' }, t('common.back'))));
      return;
    }
    const b = state.b;
    const draft = b.state === 'draft';
    const sum = draft ? totals() : { n: b.granted, total: b.total };
    app.setTitle(t('pol.batch.heading', { id: b.id }));
    root.replaceChildren();
    append(root, [
      h('nav', { class: 'breadcrumb', 'aria-label': t('nav.breadcrumb') },
        h('a', { href: '/policies' }, icon('back'), h('span', null, t('pol.title'))),
        h('a', { href: `/policies/${state.p.id}` }, title(state.p)),
        h('span', { class: 'crumb-current', 'aria-current': 'page' }, t('pol.batch.heading', { id: b.id }))),
      h('div', { class: 'page-head' }, h('div', null,
        h('div', { class: 'badges' }, h('span', {
          class: `pol-state pol-batch-${b.state}`, 'data-testid': 'batch-state', 'data-state': b.state,
        }, t(`pol.batch.state.${b.state}`))),
        h('h1', null, t('pol.batch.heading', { id: b.id })),
        h('p', { class: 'muted' }, title(state.p)))),
      h('section', { class: 'card' },
        h('dl', { class: 'fields' },
          h('div', { class: 'field-row' }, h('dt', null, t('pol.batch.as_of')), h('dd', null, b.as_of)),
          h('div', { class: 'field-row' }, h('dt', null, t('pol.field.version')), h('dd', null, t('pol.rule_version', { v: b.rule_version }))),
          h('div', { class: 'field-row' }, h('dt', null, t('pol.batch.created')), h('dd', null, formatDateTime(b.created_at))),
          b.confirmed_at ? h('div', { class: 'field-row' }, h('dt', null, t('pol.batch.confirmed_at')), h('dd', null, formatDateTime(b.confirmed_at))) : null,
          h('div', { class: 'field-row' }, h('dt', null, t(draft ? 'pol.batch.to_grant' : 'pol.batch.granted')),
            h('dd', { 'data-testid': 'batch-total', 'data-granted': sum.n, 'data-total': sum.total },
              t('pol.batch.sum', { n: formatNumber(sum.n), of: formatNumber(b.lines.length), total: money(sum.total) }))))),
      draft ? h('p', { class: 'alert alert-info' }, t('pol.batch.draft.hint')) : null,
      state.general ? h('div', { class: 'alert alert-error', role: 'alert', id: 'batch-errors' }, state.general) : null,
      h('div', { class: 'card table-card' },
        h('table', { class: 'data-table pol-batch-table', id: 'batch-table' },
          h('thead', null, h('tr', null,
            h('th', { scope: 'col' }, t('pol.eligible.name')),
            h('th', { scope: 'col', class: 'num' }, t('pol.eligible.amount')),
            h('th', { scope: 'col' }, t('pol.batch.line')))),
          h('tbody', null, b.lines.length ? b.lines.map(lineRow)
            : h('tr', { class: 'empty-row' }, h('td', { class: 'empty', colspan: 3 }, t('pol.batch.empty')))))),
      draft ? h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'btn btn-primary', id: 'batch-confirm', disabled: state.busy, onclick: confirm },
          state.busy ? t('pol.batch.confirming') : t('pol.batch.confirm', { n: formatNumber(sum.n) }))) : null]);
  }

  draw();
  return { onLang: draw };
}
