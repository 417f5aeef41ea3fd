// The policy measures (/policies): those serving the caller, as GET
// /api/v1/policies gives them, filtered by category and mode, each with
// its issuer and document number, its period, its mode and — for the
// staff who may list a measure's enterprises — how many qualify now
// (the count of GET /policies/{id}/eligible, fetched per measure after
// the list is shown). Officers and admins add measures here and reach
// the applications inbox.
import { h, icon } from '../dom.js';
import { t, localName, formatNumber } from '../i18n.js';
import { api } from '../api.js';
import {
  CATEGORIES, MODES, mayManage, mayListEligible, mayReadApplications, categoryName, modeName, title,
  benefitText, periodText, categoryBadge, modeBadge, forceBadge,
} from '../polkit.js';
import { exportButton } from '../export.js';
import { mayReadPolicies as inMenu } from '../access.js';

// Every signed-in caller reads the measures serving it; the menu offers
// them to staff (an enterprise's contact meets its own on its page).
export { inMenu };

export async function render(ctx) {
  const { root, app, query } = ctx;
  const user = app.user;
  const state = {
    category: CATEGORIES.includes(query.get('category')) ? query.get('category') : '',
    mode: MODES.includes(query.get('mode')) ? query.get('mode') : '',
    items: [], loaded: false, error: null, counts: new Map(),
  };
  const el = {};
  let controller = null;
  let seq = 0;

  app.setTitle(t('pol.title'));

  function syncUrl() {
    const p = new URLSearchParams();
    if (state.category) p.set('category', state.category);
    if (state.mode) p.set('mode', state.mode);
    const s = p.toString();
    const url = `/policies${s ? `?${s}` : ''}`;
    if (location.pathname + location.search !== url) {
      history.replaceState(null, '', url);
      app.pathChanged();
    }
  }

  async function load() {
    if (controller) controller.abort();
    controller = new AbortController();
    const mine = ++seq;
    state.error = null;
    drawStatus(true);
    try {
      const r = await api('GET', '/policies', {
        signal: controller.signal, query: { category: state.category, mode: state.mode },
      });
      if (!ctx.alive() || mine !== seq) return;
      state.items = r.data.items || [];
      state.loaded = true;
    } catch (e) {
      if (e.name === 'AbortError' || !ctx.alive()) return;
      state.error = e.message;
    }
    drawRows();
    drawStatus(false);
    if (mayListEligible(user)) loadCounts(mine);
  }

  // How many enterprises of the caller's scope qualify for each measure,
  // a few requests at a time.
  async function loadCounts(mine) {
    const todo = state.items.filter((p) => !state.counts.has(p.id));
    const next = async () => {
      for (let p = todo.shift(); p; p = todo.shift()) {
        try {
          const r = await api('GET', `/policies/${p.id}/eligible`);
          state.counts.set(p.id, r.data.count);
        } catch { state.counts.set(p.id, null); }
        if (!ctx.alive() || mine !== seq) return;
        const cell = el.rows && el.rows.querySelector(`[data-id="${p.id}"] [data-col=eligible]`);
        if (cell) cell.replaceChildren(countText(p.id));
      }
    };
    await Promise.all([next(), next(), next()]);
  }

  function countText(id) {
    if (!state.counts.has(id)) return h('span', { class: 'muted' }, '…');
    const n = state.counts.get(id);
    return n === null ? t('common.none') : h('a', { href: `/policies/${id}#eligible`, 'data-testid': 'eligible-count' }, formatNumber(n));
  }

  function row(p) {
    const staffCount = mayListEligible(user);
    return h('tr', {
      'data-testid': 'policy-row', 'data-id': p.id, 'data-category': p.category.code, 'data-mode': p.mode,
      onclick: (ev) => { if (!ev.target.closest('a')) app.navigate(`/policies/${p.id}`); },
    },
    h('td', { class: 'col-name', 'data-label': t('pol.col.title') },
      h('div', { class: 'name-cell' },
        h('a', { class: 'row-link', href: `/policies/${p.id}`, 'data-testid': 'policy-link' }, title(p)),
        h('span', { class: 'name-other' }, p.doc_number || ''),
        h('span', { class: 'pol-row-badges' }, categoryBadge(p.category.code), forceBadge(p)))),
    h('td', { 'data-label': t('pol.col.issuer'), 'data-col': 'issuer' }, p.issuer,
      h('div', { class: 'muted small' }, localName(p.jurisdiction), ' · ', t(`pol.level.${p.level}`))),
    h('td', { 'data-label': t('pol.col.period'), 'data-col': 'period', class: 'nowrap' }, periodText(p)),
    h('td', { 'data-label': t('pol.col.mode'), 'data-col': 'mode' }, modeBadge(p.mode)),
    h('td', { 'data-label': t('pol.col.benefit'), 'data-col': 'benefit' }, benefitText(p.benefit)),
    staffCount ? h('td', { class: 'num', 'data-label': t('pol.col.eligible'), 'data-col': 'eligible' }, countText(p.id)) : null);
  }

  function drawRows() {
    if (!el.rows) return;
    const cols = mayListEligible(user) ? 6 : 5;
    el.rows.replaceChildren(...(state.loaded && !state.items.length
      ? [h('tr', { class: 'empty-row' }, h('td', { class: 'empty', colspan: cols, 'data-testid': 'policies-empty' }, t('pol.none')))]
      : state.items.map(row)));
  }

  function drawStatus(loading) {
    if (!el.status) return;
    el.status.textContent = state.error || (loading ? t('common.loading') : t('pol.shown', { n: state.items.length }));
    el.status.className = state.error ? 'alert alert-error' : 'list-status muted';
  }

  // The measures as filtered, with the counts of qualifying enterprises
  // that have arrived.
  function exportSpec() {
    const staffCount = mayListEligible(user);
    return {
      name: 'policies', path: '/policies', query: { category: state.category, mode: state.mode }, limit: null,
      columns: [
        { head: () => t('pol.col.title'), value: (p) => title(p) },
        { head: () => t('xcol.doc_number'), value: (p) => p.doc_number || '' },
        { head: () => t('pol.filter.category'), value: (p) => categoryName(p.category.code) },
        { head: () => t('pol.col.issuer'), value: (p) => p.issuer },
        { head: () => t('xcol.jurisdiction'), value: (p) => `${localName(p.jurisdiction)} · ${t(`pol.level.${p.level}`)}` },
        { head: () => t('pol.col.period'), value: (p) => periodText(p) },
        { head: () => t('pol.col.mode'), value: (p) => modeName(p.mode) },
        { head: () => t('pol.col.benefit'), value: (p) => benefitText(p.benefit) },
        ...(staffCount ? [{ head: () => t('pol.col.eligible'), value: (p) => (state.counts.has(p.id) && state.counts.get(p.id) !== null ? state.counts.get(p.id) : '') }] : []),
      ],
    };
  }

  function select(id, key, values, nameOf, any) {
    const s = h('select', { id, class: 'input', name: key }, h('option', { value: '' }, any),
      values.map((v) => h('option', { value: v }, nameOf(v))));
    s.value = state[key];
    s.addEventListener('change', () => { state[key] = s.value; syncUrl(); load(); });
    return h('div', { class: 'field field-compact' }, h('label', { for: id }, t(`pol.filter.${key}`)), s);
  }

  function draw() {
    const staffCount = mayListEligible(user);
    el.rows = h('tbody', null);
    el.status = h('p', { class: 'list-status muted', role: 'status' });
    root.replaceChildren(h('div', { class: 'pol-page' },
      h('div', { class: 'page-head' },
        h('div', null, h('h1', null, t('pol.title')), h('p', { class: 'muted' }, t('pol.intro'))),
        h('div', { class: 'pol-head-actions' },
          mayReadApplications(user) ? h('a', { class: 'btn btn-secondary', href: '/applications', id: 'applications-link' },
            t('pol.applications')) : null,
          mayManage(user) ? h('a', { class: 'btn btn-primary', href: '/policies/new', id: 'policy-new' },
            icon('plus'), ' ', t('pol.new')) : null,
          exportButton(exportSpec))),
      h('section', { class: 'card toolbar pol-filters', 'aria-label': t('list.filters') },
        select('pol-category', 'category', CATEGORIES, categoryName, t('pol.filter.any')),
        select('pol-mode', 'mode', MODES, modeName, t('pol.filter.any'))),
      h('div', { class: 'card table-card' },
        h('table', { class: 'data-table pol-table', id: 'policy-table' },
          h('thead', null, h('tr', null,
            h('th', { scope: 'col' }, t('pol.col.title')),
            h('th', { scope: 'col' }, t('pol.col.issuer')),
            h('th', { scope: 'col' }, t('pol.col.period')),
            h('th', { scope: 'col' }, t('pol.col.mode')),
            h('th', { scope: 'col' }, t('pol.col.benefit')),
            staffCount ? h('th', { scope: 'col', class: 'num' }, t('pol.col.eligible')) : null)),
          el.rows),
        h('div', { class: 'list-foot' }, el.status))));
    drawRows();
    drawStatus(!state.loaded && !state.error);
  }

  draw();
  await load();
  return { onLang() { draw(); } };
}
