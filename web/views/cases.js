// The case inbox (/cases): each role's cases as GET /api/v1/cases
// scopes them (an officer all, a handler their department's, an
// enterprise its own, a grid worker or secretary theirs), by tab (open,
// overdue, closed, all) and filters, a page at a time.
import { h, icon, keepFocus } from '../dom.js';
import { t, formatNumber, formatDateTime, localName, streetName } from '../i18n.js';
import { api } from '../api.js';
import {
  KINDS, STATES, ENTERPRISE_GROUP, stateBadge, kindBadge, lateBadges, deadlineText, categoryName,
  departmentName, getCategories, categoryOptions,
} from '../casekit.js';
import { transferInbox } from '../transfer.js';
import { jurName, elsewhere, chosenCode } from '../jur.js';
import { exportButton } from '../export.js';
import '../steps-i18n.js';
import { mayEnterCases } from './intake.js';
import { mayReadCases } from '../access.js';

const TABS = ['open', 'overdue', 'closed', 'all'];
const FILTERS = ['kind', 'state', 'category_id', 'department_id'];
const PAGE = 50;

export { mayReadCases };
export function mayRaiseProblem(user) { return Boolean(user) && user.role === 'enterprise' && Boolean(user.enterprise_id); }
const townWide = (user) => user && (user.role === 'admin' || user.role === 'officer');

function tabQuery(tab) {
  if (tab === 'open') return { status: 'open' };
  if (tab === 'closed') return { status: 'closed' };
  if (tab === 'overdue') return { overdue: 'true' };
  return {};
}

export async function render(ctx) {
  const { root, app, query } = ctx;
  const user = app.user;
  const state = {
    tab: TABS.includes(query.get('tab')) ? query.get('tab') : 'open',
    filters: Object.fromEntries(FILTERS.map((k) => [k, query.get(k) || ''])),
    items: [], next: null, loading: false, loaded: false, error: null,
    categories: [], departments: [],
  };
  if (!KINDS.includes(state.filters.kind)) state.filters.kind = '';
  if (!STATES.includes(state.filters.state)) state.filters.state = '';
  for (const k of ['category_id', 'department_id']) if (!/^\d+$/.test(state.filters[k])) state.filters[k] = '';
  if (!townWide(user)) state.filters.department_id = '';
  const el = {};
  let controller = null;
  const transfers = transferInbox(ctx); // "transfers to us", above the list

  // The server's CSV of the inbox as the page narrows it: the tab, the
  // filters and the jurisdiction chosen in the header.
  function exportHref() {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...tabQuery(state.tab), ...state.filters })) if (v) p.set(k, v);
    if (chosenCode()) p.set('jurisdiction', chosenCode());
    const s = p.toString();
    return `/api/v1/cases/export${s ? `?${s}` : ''}`;
  }

  function syncUrl() {
    const p = new URLSearchParams();
    if (state.tab !== 'open') p.set('tab', state.tab);
    for (const k of FILTERS) if (state.filters[k]) p.set(k, state.filters[k]);
    const s = p.toString();
    const url = `/cases${s ? `?${s}` : ''}`;
    if (location.pathname + location.search !== url) {
      history.replaceState(null, '', url);
      app.pathChanged();
    }
  }

  async function load({ append = false } = {}) {
    if (controller) controller.abort();
    controller = new AbortController();
    const { signal } = controller;
    state.loading = true;
    state.error = null;
    drawStatus();
    try {
      const r = await api('GET', '/cases', {
        signal,
        query: { ...tabQuery(state.tab), ...state.filters, limit: PAGE, cursor: append ? state.next : null },
      });
      if (!ctx.alive()) return;
      state.items = append ? state.items.concat(r.data.items || []) : (r.data.items || []);
      state.next = r.data.next || null;
      state.loaded = true;
    } catch (e) {
      if (e.name === 'AbortError' || !ctx.alive()) return;
      state.error = e.status === 403 ? t('common.forbidden') : e.message;
    }
    state.loading = false;
    drawRows();
    drawStatus();
  }

  function setTab(tab) {
    state.tab = tab;
    syncUrl();
    drawTabs();
    load();
  }

  function setFilter(k, v) {
    state.filters[k] = v;
    syncUrl();
    load();
  }

  function select(id, key, options, any) {
    const s = h('select', { id, class: 'input', name: key }, h('option', { value: '' }, any), options);
    s.value = state.filters[key];
    if (s.value !== state.filters[key]) { // a value the options do not have (yet)
      s.append(h('option', { value: state.filters[key] }, `#${state.filters[key]}`));
      s.value = state.filters[key];
    }
    s.addEventListener('change', () => setFilter(key, s.value));
    return s;
  }

  function field(id, text, control) {
    return h('div', { class: 'field field-compact' }, h('label', { for: id }, text), control);
  }

  function drawTabs() {
    if (!el.tabs) return;
    el.tabs.replaceChildren(...TABS.map((tab) => h('button', {
      type: 'button', class: ['case-tab', state.tab === tab && 'is-active', tab === 'overdue' && 'case-tab-overdue'],
      'data-tab': tab, 'aria-pressed': state.tab === tab ? 'true' : 'false',
      onclick: () => { if (state.tab !== tab) setTab(tab); },
    }, t(`cases.tab.${tab}`))));
  }

  function filtersBox() {
    const officer = townWide(user);
    const staffCategories = (c) => user.role !== 'enterprise' || c.group === ENTERPRISE_GROUP;
    return h('div', { class: 'case-filters' },
      field('filter-kind', t('cases.filter.kind'),
        select('filter-kind', 'kind', KINDS.map((k) => h('option', { value: k }, t(`case.kind.${k}`))), t('common.any'))),
      field('filter-state', t('cases.filter.state'),
        select('filter-state', 'state', STATES.map((s) => h('option', { value: s }, t(`case.state.${s}`))), t('common.any'))),
      field('filter-category', t('cases.filter.category'),
        select('filter-category', 'category_id', categoryOptions(state.categories, staffCategories), t('common.any'))),
      officer ? field('filter-department', t('cases.filter.department'),
        select('filter-department', 'department_id',
          state.departments.map((d) => h('option', { value: String(d.id) }, departmentName(d))), t('common.any'))) : null);
  }

  // A handler's department by its name in the reader's language, once the
  // departments have arrived.
  function introText() {
    const own = state.departments.find((d) => d.name === user.department);
    return t(`cases.intro.${user.role === 'admin' ? 'officer' : user.role}`,
      { dept: own ? departmentName(own) : user.department || '' });
  }

  function draw() {
    app.setTitle(t('cases.title'));
    transfers.draw();
    el.intro = h('p', { class: 'muted' }, introText());
    el.tabs = h('div', { class: 'case-tabs', role: 'group', 'aria-label': t('cases.tabs'), 'data-testid': 'case-tabs' });
    drawTabs();
    el.filters = filtersBox();

    el.tbody = h('tbody');
    el.table = h('table', { class: 'data-table case-table', id: 'case-table' },
      h('caption', { class: 'visually-hidden' }, t('cases.caption')),
      h('thead', null, h('tr', null,
        ['id', 'text', 'state', 'category', 'department', 'deadline', 'created'].map((c) => h('th', {
          scope: 'col', class: c === 'id' ? 'num' : null,
        }, t(`cases.col.${c}`))))),
      el.tbody);
    el.status = h('p', { class: 'list-status', id: 'case-list-status', role: 'status', 'aria-live': 'polite' });
    el.more = h('button', { type: 'button', class: 'btn btn-secondary', id: 'case-more' }, t('cases.more'));
    el.more.addEventListener('click', () => load({ append: true }));
    el.error = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });

    keepFocus(root, () => root.replaceChildren(
      h('div', { class: 'page-head' },
        h('div', null, h('h1', null, t('cases.title')), el.intro),
        h('div', { class: 'page-actions' },
          mayRaiseProblem(user) || mayEnterCases(user)
            ? h('a', { class: 'btn btn-primary', href: '/cases/new', id: 'new-case' }, icon('plus'),
              h('span', null, t(mayRaiseProblem(user) ? 'cases.new' : 'intake.new')))
            : null,
          h('a', { class: 'btn btn-secondary', href: '/suggestions' }, t('cases.public')),
          // The rankings of handling (views/caserank.js), officers'.
          townWide(user)
            ? h('a', { class: 'btn btn-secondary', href: '/cases/rankings', id: 'rankings-link' }, t('rank.link')) : null,
          // The server exports the inbox itself (GET /cases/export).
          exportButton(() => ({ href: exportHref() })))),
      transfers.el,
      h('section', { class: 'card toolbar case-toolbar', 'aria-label': t('list.filters') }, el.tabs, el.filters),
      el.error,
      h('section', { class: 'card table-card' }, el.table,
        h('div', { class: 'list-foot' }, el.status, el.more))));
    drawRows();
    drawStatus();
  }

  function cell(col, content, cls) {
    return h('td', { 'data-label': t(`cases.col.${col}`), 'data-col': col, class: cls }, content);
  }

  function drawRows() {
    if (!el.tbody) return;
    const rows = state.items.map((c) => {
      const href = `/cases/${c.id}`;
      const tr = h('tr', {
        class: [c.escalated_at && 'is-escalated', c.overdue && 'is-overdue'],
        'data-testid': 'case-row', 'data-id': c.id, 'data-state': c.state,
      },
      cell('id', h('span', { class: 'mono' }, String(c.id)), 'num col-id'),
      cell('text', h('div', { class: 'case-text-cell' },
        h('a', { href, class: 'row-link case-link', 'data-testid': 'case-link' }, c.text),
        h('span', { class: 'case-row-meta' }, kindBadge(c.kind),
          c.enterprise ? h('span', { class: 'muted small' }, localName(c.enterprise, 'name', 'name_en')) : null,
          c.street ? h('span', { class: 'muted small' }, streetName(c.street, c.jurisdiction)) : null,
          elsewhere(c.jurisdiction) ? h('span', { class: 'muted small case-jurisdiction', 'data-testid': 'case-row-jurisdiction' },
            jurName(c.jurisdiction)) : null,
          c.transfer ? h('span', { class: 'badge badge-transfer' }, t('transfer.pending.badge')) : null)), 'col-name'),
      cell('state', stateBadge(c.state)),
      cell('category', categoryName(c.category)),
      cell('department', departmentName(c.department)),
      cell('deadline', h('span', { class: 'case-deadline' },
        h('span', null, deadlineText(c)), h('span', { class: 'badges' }, lateBadges(c)))),
      cell('created', formatDateTime(c.created_at), 'nowrap'));
      tr.addEventListener('click', (ev) => {
        if (ev.target.closest('a, button')) return;
        if (window.getSelection && String(window.getSelection())) return;
        app.navigate(href);
      });
      return tr;
    });
    if (!rows.length && state.loaded && !state.loading && !state.error) {
      rows.push(h('tr', { class: 'empty-row' },
        h('td', { colspan: 7, class: 'empty', 'data-testid': 'empty' }, t('cases.empty'))));
    }
    el.tbody.replaceChildren(...rows);
  }

  function drawStatus() {
    if (!el.status) return;
    el.table.setAttribute('aria-busy', state.loading ? 'true' : 'false');
    root.classList.toggle('is-loading', state.loading);
    if (state.loading && !state.items.length) el.status.textContent = t('common.loading');
    else if (state.next) el.status.textContent = t('cases.shown', { n: formatNumber(state.items.length) });
    else if (state.items.length) el.status.textContent = t('cases.shown.all', { n: formatNumber(state.items.length) });
    else el.status.textContent = '';
    el.status.dataset.count = String(state.items.length);
    el.more.hidden = !state.next;
    el.more.disabled = state.loading;
    el.error.hidden = !state.error;
    if (state.error) {
      const retry = h('button', { type: 'button', class: 'btn btn-link' }, t('common.retry'));
      retry.addEventListener('click', () => load());
      el.error.replaceChildren(h('span', null, state.error), ' ', retry);
    }
  }

  syncUrl();
  draw();
  load();
  // Names for the filters arrive after the list; the filters are drawn
  // again when they do.
  Promise.all([
    getCategories().catch(() => []),
    townWide(user) || user.role === 'handler'
      ? api('GET', '/departments').then((r) => r.data.items || []).catch(() => []) : [],
  ]).then(([cats, deps]) => {
    if (!ctx.alive()) return;
    state.categories = cats;
    state.departments = deps;
    if (el.intro) el.intro.textContent = introText();
    // A filter the user has reached keeps the focus.
    keepFocus(el.filters.parentNode, () => {
      const f = filtersBox();
      el.filters.replaceWith(f);
      el.filters = f;
    });
  });

  return {
    onLang: draw,
    leave: () => { if (controller) controller.abort(); },
  };
}
