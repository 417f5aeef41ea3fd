// The public list of suggestions (/suggestions): what became of each
// (accepted, adopted, implemented, with the department's reply), by
// street, category and state, as GET /api/v1/public/suggestions gives
// them, a page at a time. Open to everyone; it shows no person.
import { h, icon, keepFocus } from '../dom.js';
import { t, formatNumber, formatDateTime, streetName } from '../i18n.js';
import { api } from '../api.js';
import {
  STATES, ENTERPRISE_GROUP, stateBadge, categoryName, departmentName, getCategories, categoryOptions,
} from '../casekit.js';
import '../plan-i18n.js';
import { exportButton } from '../export.js';

const FILTERS = ['street', 'category', 'state'];
const PAGE = 30;

export async function render(ctx) {
  const { root, app, query } = ctx;
  const state = {
    filters: Object.fromEntries(FILTERS.map((k) => [k, query.get(k) || ''])),
    items: [], next: null, loading: false, loaded: false, error: null, figures: null,
    categories: [], streets: [],
  };
  if (!STATES.includes(state.filters.state)) state.filters.state = '';
  const el = {};
  let controller = null;
  const staff = Boolean(app.user) && app.user.role !== 'enterprise';

  function exportSpec() {
    return {
      name: 'suggestions', path: '/public/suggestions', query: { ...state.filters }, limit: 200,
      columns: [
        { head: () => t('xcol.date'), value: (c) => formatDateTime(c.created_at) },
        { head: () => t('sugs.category'), value: (c) => categoryName(c.category) },
        { head: () => t('sugs.street'), value: (c) => c.street || '' },
        { head: () => t('sugs.state'), value: (c) => t(`case.state.${c.state}`) },
        { head: () => t('xcol.text'), value: (c) => c.text },
        { head: () => t('xcol.department'), value: (c) => (c.department ? departmentName(c.department) : '') },
        { head: () => t('sugs.reply'), value: (c) => c.reply || '' },
        { head: () => t('xcol.progress'), value: (c) => (typeof c.progress === 'number' ? `${c.progress}%` : '') },
      ],
    };
  }

  function syncUrl() {
    const p = new URLSearchParams();
    for (const k of FILTERS) if (state.filters[k]) p.set(k, state.filters[k]);
    const s = p.toString();
    const url = `/suggestions${s ? `?${s}` : ''}`;
    if (location.pathname + location.search !== url) {
      history.replaceState(null, '', url);
      app.pathChanged();
    }
  }

  async function load({ append = false } = {}) {
    if (controller) controller.abort();
    controller = new AbortController();
    state.loading = true;
    state.error = null;
    drawStatus();
    try {
      const r = await api('GET', '/public/suggestions', {
        signal: controller.signal, noAuthRedirect: true,
        query: { ...state.filters, limit: PAGE, cursor: append ? state.next : null },
      });
      if (!ctx.alive()) return;
      const got = r.data.items || [];
      state.items = append ? state.items.concat(got) : got;
      if (r.data.figures) state.figures = r.data.figures;
      state.next = r.data.next || null;
      state.loaded = true;
    } catch (e) {
      if (e.name === 'AbortError' || !ctx.alive()) return;
      state.error = e.message;
    }
    state.loading = false;
    drawItems();
    drawStatus();
  }

  function select(id, key, options) {
    const s = h('select', { id, name: key, class: 'input' }, h('option', { value: '' }, t('common.any')), options);
    s.value = state.filters[key];
    if (s.value !== state.filters[key]) {
      s.append(h('option', { value: state.filters[key] }, state.filters[key]));
      s.value = state.filters[key];
    }
    s.addEventListener('change', () => { state.filters[key] = s.value; syncUrl(); load(); });
    return h('div', { class: 'field field-compact' }, h('label', { for: id }, t(`sugs.${key}`)), s);
  }

  function toolbar() {
    return h('section', { class: 'card toolbar sugs-toolbar', 'aria-label': t('list.filters') },
      select('sugs-street', 'street', state.streets.map((s) => h('option', { value: s.street }, streetName(s.street, s.jurisdiction)))),
      select('sugs-category', 'category',
        categoryOptions(state.categories, (c) => c.group !== ENTERPRISE_GROUP, (c) => c.code)),
      select('sugs-state', 'state', STATES.map((s) => h('option', { value: s }, t(`case.state.${s}`)))));
  }

  function draw() {
    app.setTitle(t('sugs.title'));
    el.list = h('ul', { class: 'suggestion-list', 'data-testid': 'suggestions' });
    el.status = h('p', { class: 'list-status', role: 'status', 'aria-live': 'polite', 'data-testid': 'sugs-status' });
    el.more = h('button', { type: 'button', class: 'btn btn-secondary btn-touch', id: 'sugs-more' }, t('sugs.more'));
    el.more.addEventListener('click', () => load({ append: true }));
    el.error = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
    keepFocus(root, () => root.replaceChildren(h('div', { class: 'public-page suggestions-page' },
      h('div', { class: 'page-head' },
        h('div', null, h('h1', null, t('sugs.title')), h('p', { class: 'muted' }, t('sugs.intro'))),
        h('div', { class: 'page-actions' },
          h('a', { class: 'btn btn-primary', href: '/suggest' }, icon('plus'), h('span', null, t('sugs.make'))),
          // Staff take the list, as filtered, to a spreadsheet.
          staff ? exportButton(exportSpec) : null)),
      el.toolbar = toolbar(),
      el.figures = h('section', { class: 'card sugs-figures', 'data-testid': 'sugs-figures', 'aria-label': t('sugs.figures') }),
      el.error, el.list,
      h('div', { class: 'list-foot' }, el.status, el.more))));
    drawItems();
    drawStatus();
  }

  // Received, adopted, implemented: of the suggestions the filters keep.
  function drawFigures() {
    if (!el.figures) return;
    const f = state.figures;
    el.figures.hidden = !f;
    if (!f) return;
    el.figures.replaceChildren(h('dl', { class: 'figures' }, ['received', 'adopted', 'implemented'].map((k) => h('div', {
      class: 'figure', 'data-figure': k,
    }, h('dt', null, t(`sugs.fig.${k}`)), h('dd', null, formatNumber(f[k]))))));
  }

  // A merged suggestion says which it joined, and links there when the
  // public may open that one.
  function stateOf(c) {
    if (!c.merged_into) return stateBadge(c.state);
    return c.joined
      ? h('a', { class: 'badge badge-muted sugs-joined', href: `/suggestions/${c.joined.id}`, 'data-testid': 'suggestion-joined' },
        t('sugs.joined', { id: c.joined.id }))
      : h('span', { class: 'badge badge-muted', 'data-testid': 'suggestion-joined' }, t('sugs.joined.other'));
  }

  function drawItems() {
    drawFigures();
    if (!el.list) return;
    const items = state.items.map((c) => h('li', {
      class: 'card suggestion', 'data-testid': 'suggestion', 'data-id': c.id,
      'data-category': c.category.code, 'data-state': c.state, 'data-street': c.street || '',
    },
    h('div', { class: 'suggestion-head' },
      stateOf(c),
      h('span', { class: 'badge' }, categoryName(c.category)),
      c.street ? h('span', { class: 'muted small' }, streetName(c.street, c.jurisdiction)) : null,
      h('time', { class: 'muted small suggestion-date', datetime: c.created_at }, formatDateTime(c.created_at))),
    h('p', { class: 'suggestion-text' }, c.text),
    typeof c.progress === 'number'
      ? h('p', { class: 'suggestion-progress', 'data-testid': 'suggestion-progress' }, t('sugs.progress', { n: c.progress })) : null,
    c.reply ? h('div', { class: 'suggestion-reply', 'data-testid': 'suggestion-reply' },
      h('p', { class: 'reply-who' }, `${t('sugs.reply')} · ${departmentName(c.department)}`),
      h('p', null, c.reply)) : null,
    h('a', { class: 'suggestion-open small', href: `/suggestions/${c.id}` }, t('sugs.open'))));
    if (!items.length && state.loaded && !state.loading && !state.error) {
      items.push(h('li', { class: 'card empty', 'data-testid': 'empty' }, t('sugs.empty')));
    }
    el.list.replaceChildren(...items);
  }

  function drawStatus() {
    if (!el.status) return;
    root.classList.toggle('is-loading', state.loading);
    el.list.setAttribute('aria-busy', state.loading ? 'true' : 'false');
    if (state.loading && !state.items.length) el.status.textContent = t('common.loading');
    else if (state.next) el.status.textContent = t('sugs.shown', { n: formatNumber(state.items.length) });
    else if (state.items.length) el.status.textContent = t('sugs.shown.all', { n: formatNumber(state.items.length) });
    else el.status.textContent = '';
    el.status.dataset.count = String(state.items.length);
    el.status.dataset.loading = state.loading ? 'true' : 'false';
    el.more.hidden = !state.next;
    el.more.disabled = state.loading;
    el.error.hidden = !state.error;
    if (state.error) el.error.textContent = state.error;
  }

  syncUrl();
  draw();
  load();
  Promise.all([
    getCategories().catch(() => []),
    api('GET', '/collection-points', { noAuthRedirect: true }).then((r) => r.data.items || []).catch(() => []),
  ]).then(([cats, points]) => {
    if (!ctx.alive()) return;
    state.categories = cats;
    const streets = new Map();
    for (const p of points) if (p.street && !streets.has(p.street)) streets.set(p.street, { street: p.street, jurisdiction: p.jurisdiction });
    state.streets = [...streets.values()];
    // A filter the user has reached keeps the focus.
    keepFocus(el.toolbar.parentNode, () => {
      const bar = toolbar();
      el.toolbar.replaceWith(bar);
      el.toolbar = bar;
    });
  });

  return {
    onLang: draw,
    leave: () => { if (controller) controller.abort(); },
  };
}
