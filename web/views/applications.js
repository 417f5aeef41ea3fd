// The applications inbox (/applications): officers and admins see the
// applications of their scope's enterprises, filter them by state and
// measure, and move each along the steps the server allows it (review;
// approve with an amount; reject with a reason; paid), sending the
// version they saw (If-Match). An enterprise's contact follows its own
// applications here (?mine).
import { h, icon, kept } from '../dom.js';
import { t, formatDateTime, localName } from '../i18n.js';
import { api } from '../api.js';
import {
  APP_STATES, mayManage, isEnterprise, mayReadApplications, title, money, appStateBadge, appStateName,
} from '../polkit.js';
import { exportButton } from '../export.js';

export async function render(ctx) {
  const { root, app, query } = ctx;
  const user = app.user;
  const staff = mayManage(user);
  const state = {
    state: APP_STATES.includes(query.get('state')) ? query.get('state') : '',
    policy: /^\d+$/.test(query.get('policy') || '') ? query.get('policy') : '',
    items: [], loaded: false, error: null, measures: [],
    // {id, to, draft}: the decision being written, draft its amount or
    // reason as typed (the list is drawn anew while it is sent and when
    // the answer arrives, a refusal included).
    open: null,
    busy: null, msg: new Map(), // id -> {ok, text}
  };
  const el = {};
  let controller = null;

  app.setTitle(t('pol.apps.title'));
  if (!mayReadApplications(user)) {
    root.replaceChildren(h('h1', null, t('pol.apps.title')),
      h('div', { class: 'alert alert-error', role: 'alert' }, t('common.forbidden')));
    return null;
  }

  function syncUrl() {
    const p = new URLSearchParams();
    if (state.state) p.set('state', state.state);
    if (state.policy) p.set('policy', state.policy);
    const s = p.toString();
    const url = `/applications${s ? `?${s}` : ''}`;
    if (location.pathname + location.search !== url) {
      history.replaceState(null, '', url);
      app.pathChanged();
    }
  }

  async function load() {
    if (controller) controller.abort();
    controller = new AbortController();
    state.error = null;
    drawStatus(true);
    try {
      const r = await api('GET', '/applications', {
        signal: controller.signal,
        query: { state: state.state, policy: state.policy, mine: isEnterprise(user) ? '1' : null },
      });
      if (!ctx.alive()) return;
      state.items = r.data.items || [];
      state.loaded = true;
    } catch (e) {
      if (e.name === 'AbortError' || !ctx.alive()) return;
      state.error = e.message;
    }
    drawItems();
    drawStatus(false);
  }

  function exportSpec() {
    return {
      name: 'applications', path: '/applications', limit: null,
      query: { state: state.state, policy: state.policy, mine: isEnterprise(user) ? '1' : null },
      columns: [
        { head: () => t('xcol.number'), value: (a) => `#${a.id}` },
        { head: () => t('pol.col.title'), value: (a) => title(a.policy) },
        { head: () => t('xcol.enterprise'), value: (a) => localName(a.enterprise) },
        { head: () => t('pol.apps.filter.state'), value: (a) => appStateName(a.state) },
        { head: () => t('xcol.applied'), value: (a) => formatDateTime(a.created_at) },
        { head: () => t('pol.apps.updated'), value: (a) => formatDateTime(a.updated_at) },
        { head: () => t('pol.apps.granted'), value: (a) => (a.amount !== null ? money(a.amount) : '') },
        { head: () => t('pol.apps.why'), value: (a) => a.reason || '' },
        { head: () => t('pol.apps.documents'), value: (a) => a.documents.join('、') },
        { head: () => t('pol.apps.note'), value: (a) => a.note || '' },
      ],
    };
  }

  async function step(a, to, extra = {}) {
    if (state.busy) return;
    state.busy = a.id;
    state.msg.delete(a.id);
    drawItems();
    try {
      const r = await api('POST', `/applications/${a.id}/transition`, {
        body: { state: to, ...extra }, headers: { 'If-Match': `"v${a.version}"` },
      });
      const i = state.items.findIndex((x) => x.id === a.id);
      if (i >= 0) state.items[i] = r.data;
      state.open = null;
      state.msg.set(a.id, { ok: true, text: t('pol.apps.moved', { state: appStateName(to) }) });
    } catch (e) {
      state.msg.set(a.id, { ok: false, text: e.status === 412 ? t('pol.apps.stale') : e.message });
    }
    state.busy = null;
    drawItems();
    const card = el.list && el.list.querySelector(`[data-id="${a.id}"]`);
    if (card) {
      const f = card.querySelector('input');
      if (f && state.open) f.focus();
    }
  }

  // The form of a decision that needs more than a click: an approval's
  // amount, a rejection's reason.
  function decision(a) {
    const to = state.open.to;
    const approve = to === 'approved';
    const measure = state.measures.find((p) => p.id === a.policy.id);
    const fixed = measure && measure.benefit && measure.benefit.amount;
    const input = kept(h('input', {
      id: `app-${a.id}-${approve ? 'amount' : 'reason'}`, class: 'input',
      ...(approve ? { type: 'number', min: 0, step: '0.01', inputmode: 'decimal', value: fixed ?? '' } : { maxlength: 200 }),
    }), state.open.draft, 'value');
    const form = h('form', { class: 'pol-decide', 'data-testid': `decide-${to}`, novalidate: true },
      h('div', { class: 'field field-compact' },
        h('label', { for: input.id }, t(approve ? 'pol.apps.amount' : 'pol.apps.reason')), input,
        approve && fixed !== undefined && fixed !== null ? h('p', { class: 'hint' }, t('pol.apps.amount.hint', { amount: money(fixed) })) : null),
      h('div', { class: 'pol-decide-actions' },
        h('button', { type: 'submit', class: ['btn', approve ? 'btn-primary' : 'btn-secondary btn-danger'], id: `app-${a.id}-submit`, disabled: state.busy === a.id },
          t(`pol.apps.do.${to}`)),
        h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => { state.open = null; drawItems(); } }, t('pol.apps.cancel'))));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const v = input.value.trim();
      if (approve) step(a, to, v === '' ? {} : { amount: Number(v) });
      else step(a, to, v ? { reason: v } : {});
    });
    return form;
  }

  function actions(a) {
    if (!staff || !a.allowed.length) return null;
    if (state.open && state.open.id === a.id) return decision(a);
    return h('div', { class: 'pol-app-actions' }, a.allowed.map((to) => h('button', {
      type: 'button', class: ['btn', 'btn-small', to === 'rejected' ? 'btn-secondary btn-danger' : to === 'approved' ? 'btn-primary' : 'btn-secondary'],
      'data-step': to, disabled: state.busy === a.id,
      onclick: () => {
        if (to === 'approved' || to === 'rejected') {
          state.open = { id: a.id, to, draft: {} };
          drawItems();
          const f = el.list.querySelector(`[data-id="${a.id}"] input`);
          if (f) f.focus();
        } else step(a, to);
      },
    }, t(`pol.apps.do.${to}`))));
  }

  function card(a) {
    const m = state.msg.get(a.id);
    return h('li', { class: 'card pol-app', 'data-testid': 'application', 'data-id': a.id, 'data-state': a.state },
      h('div', { class: 'pol-app-head' },
        appStateBadge(a.state),
        h('span', { class: 'muted small mono' }, `#${a.id}`),
        h('span', { class: 'muted small' }, t('pol.apps.applied_at', { at: formatDateTime(a.created_at) }))),
      h('h2', { class: 'pol-app-title' }, h('a', { href: `/policies/${a.policy.id}` }, title(a.policy))),
      h('p', { class: 'pol-app-ent' }, h('a', { href: `/enterprises/${a.enterprise.id}`, 'data-testid': 'application-enterprise' }, localName(a.enterprise))),
      h('dl', { class: 'fields fields-compact' },
        a.documents.length ? h('div', { class: 'field-row' }, h('dt', null, t('pol.apps.documents')), h('dd', null, a.documents.join('、'))) : null,
        a.note ? h('div', { class: 'field-row' }, h('dt', null, t('pol.apps.note')), h('dd', null, a.note)) : null,
        a.amount !== null ? h('div', { class: 'field-row' }, h('dt', null, t('pol.apps.granted')), h('dd', { 'data-testid': 'application-amount' }, money(a.amount))) : null,
        a.reason ? h('div', { class: 'field-row' }, h('dt', null, t('pol.apps.why')), h('dd', { 'data-testid': 'application-reason' }, a.reason)) : null,
        h('div', { class: 'field-row' }, h('dt', null, t('pol.apps.updated')), h('dd', null, formatDateTime(a.updated_at),
          h('span', { class: 'muted small' }, ' · ', t('pol.rule_version', { v: a.rule_version }))))),
      m ? h(m.ok ? 'p' : 'div', { class: m.ok ? 'action-result is-ok' : 'alert alert-error', role: m.ok ? 'status' : 'alert', 'data-testid': m.ok ? 'step-result' : 'step-error' }, m.text) : null,
      actions(a));
  }

  function drawItems() {
    if (!el.list) return;
    el.list.replaceChildren(...(state.loaded && !state.items.length
      ? [h('li', { class: 'empty card', 'data-testid': 'applications-empty' }, t(isEnterprise(user) ? 'pol.apps.none.mine' : 'pol.apps.none'))]
      : state.items.map(card)));
  }

  function drawStatus(loading) {
    if (!el.status) return;
    el.status.textContent = state.error || (loading ? t('common.loading') : t('pol.apps.shown', { n: state.items.length }));
    el.status.className = state.error ? 'alert alert-error' : 'list-status muted';
  }

  function draw() {
    const st = h('select', { id: 'app-state', class: 'input', name: 'state' },
      h('option', { value: '' }, t('pol.filter.any')), APP_STATES.map((s) => h('option', { value: s }, appStateName(s))));
    st.value = state.state;
    st.addEventListener('change', () => { state.state = st.value; syncUrl(); load(); });
    let pol = null;
    if (staff) {
      const s = h('select', { id: 'app-policy', class: 'input', name: 'policy' },
        h('option', { value: '' }, t('pol.filter.any')),
        state.measures.map((p) => h('option', { value: String(p.id) }, title(p))));
      s.value = state.policy;
      if (s.value !== state.policy) {
        s.append(h('option', { value: state.policy }, `#${state.policy}`));
        s.value = state.policy;
      }
      s.addEventListener('change', () => { state.policy = s.value; syncUrl(); load(); });
      pol = h('div', { class: 'field field-compact' }, h('label', { for: 'app-policy' }, t('pol.apps.filter.policy')), s);
    }
    el.list = h('ul', { class: 'pol-app-list', id: 'application-list', 'aria-live': 'polite' });
    el.status = h('p', { class: 'list-status muted', role: 'status' });
    root.replaceChildren(h('div', { class: 'pol-apps' },
      h('nav', { class: 'breadcrumb', 'aria-label': t('nav.breadcrumb') },
        h('a', { href: '/policies' }, icon('back'), h('span', null, t('pol.title')))),
      h('div', { class: 'page-head' }, h('div', null, h('h1', null, t(isEnterprise(user) ? 'pol.apps.title.mine' : 'pol.apps.title')),
        h('p', { class: 'muted' }, t(isEnterprise(user) ? 'pol.apps.intro.mine' : 'pol.apps.intro'))),
      exportButton(exportSpec)),
      h('section', { class: 'card toolbar pol-filters', 'aria-label': t('list.filters') },
        h('div', { class: 'field field-compact' }, h('label', { for: 'app-state' }, t('pol.apps.filter.state')), st), pol),
      el.status, el.list));
    drawItems();
    drawStatus(!state.loaded && !state.error);
  }

  if (staff) {
    try {
      state.measures = (await api('GET', '/policies', { query: { mode: 'apply' } })).data.items || [];
    } catch { /* the filter offers the measure asked for only */ }
    if (!ctx.alive()) return null;
  }
  draw();
  await load();
  return { onLang() { draw(); } };
}
