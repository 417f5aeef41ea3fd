// A jurisdiction's roll-up (/rollup/{id}): its figures over a period and
// its children side by side, ranked, as GET
// /api/v1/jurisdictions/{id}/rollup answers; a column's header ranks the
// children by that figure (the server ranks, the page asks again with
// sort=), each child links to its own roll-up. /rollup alone opens the
// node the console is narrowed to, else the caller's scope. Admins and
// officers only: the server answers 403 to others and outside the scope,
// and the page says so.
import { h, icon } from '../dom.js';
import { t, formatNumber } from '../i18n.js';
import { api } from '../api.js';
import { fieldErrors } from '../casekit.js';
import { getTree, focusNode, jurName, levelName, mayRollup, within } from '../jur.js';

// The figures in the order of the page, with how each is shown.
export const FIGURES = [
  ['enterprises', 'count'], ['output', 'amount'], ['localisation', 'rate'],
  ['cases', 'count'], ['closed', 'count'], ['on_time_rate', 'rate'],
  ['satisfaction', 'score'], ['rated', 'count'],
  ['suggestions', 'count'], ['adopted', 'count'], ['adoption_rate', 'rate'],
  ['visits', 'count'],
];
const FIGURE_KEYS = FIGURES.map(([k]) => k);
const KIND = Object.fromEntries(FIGURES);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

// A figure as text: rates as percentages, a missing one as a dash.
export function figureText(key, v) {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return t('common.none');
  if (typeof v !== 'number') return String(v);
  switch (KIND[key]) {
    case 'rate':
      return t('rollup.percent', { p: new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(v * 100) });
    case 'score':
      return t('rollup.score', { s: v.toFixed(2) });
    case 'amount':
      return formatNumber(Math.round(v * 10) / 10);
    default:
      return formatNumber(v);
  }
}

// Today in Beijing time as YYYY-MM-DD, and the presets of the period.
function beijingToday() {
  return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
}
function presets() {
  const today = beijingToday();
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const q = Math.floor((month - 1) / 3) * 3 + 1;
  const days90 = new Date(Date.parse(`${today}T00:00:00Z`) - 89 * 86400e3).toISOString().slice(0, 10);
  return [
    ['year', `${year}-01-01`, today],
    ['quarter', `${year}-${String(q).padStart(2, '0')}-01`, today],
    ['days90', days90, today],
    ['lastyear', `${year - 1}-01-01`, `${year - 1}-12-31`],
  ];
}

export async function render(ctx) {
  const { root, app, params, query } = ctx;
  const user = app.user;
  app.setTitle(t('rollup.title'));

  if (!mayRollup(user)) {
    root.replaceChildren(h('h1', null, t('rollup.title')),
      h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'rollup-error' }, t('rollup.forbidden.role')));
    return null;
  }

  let tree = null;
  try { tree = await getTree(); } catch { /* the page works without names of the path */ }
  if (!ctx.alive()) return null;

  if (!params.id) {
    const n = tree ? focusNode(tree) || tree.items.find((x) => !x.parent_id) : null;
    if (!n) {
      root.replaceChildren(h('h1', null, t('rollup.title')),
        h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'rollup-error' }, t('rollup.notree')));
      return null;
    }
    app.navigate(`/rollup/${n.id}${location.search}`, { replace: true });
    return null;
  }

  const id = Number(params.id);
  const state = {
    since: DATE.test(query.get('since') || '') ? query.get('since') : '',
    until: DATE.test(query.get('until') || '') ? query.get('until') : '',
    sort: FIGURE_KEYS.includes(query.get('sort')) ? query.get('sort') : '',
    data: null, error: null, loading: false,
  };
  const errors = fieldErrors();
  const el = {};
  let controller = null;

  const node = () => (state.data && state.data.jurisdiction) || (tree && tree.byId.get(id)) || { id, code: '' };

  function syncUrl() {
    const p = new URLSearchParams();
    if (state.since) p.set('since', state.since);
    if (state.until) p.set('until', state.until);
    if (state.sort) p.set('sort', state.sort);
    const s = p.toString();
    const url = `/rollup/${id}${s ? `?${s}` : ''}`;
    if (location.pathname + location.search !== url) {
      history.replaceState(null, '', url);
      app.pathChanged();
    }
  }

  async function load() {
    if (controller) controller.abort();
    controller = new AbortController();
    const { signal } = controller;
    const again = focusedControl();
    state.loading = true;
    syncUrl();
    draw();
    try {
      const r = await api('GET', `/jurisdictions/${id}/rollup`, {
        signal, query: { since: state.since, until: state.until, sort: state.sort },
      });
      if (!ctx.alive()) return;
      state.data = r.data;
      state.error = null;
      errors.clear();
    } catch (e) {
      if (e.name === 'AbortError' || !ctx.alive()) return;
      errors.clear();
      const general = errors.fromApi(e, ['since', 'until', 'sort']);
      state.error = { status: e.status, text: general.join(' ') };
      if (e.status === 422 && !general.length) state.error = null;
    }
    state.loading = false;
    draw();
    // The page is drawn anew: the focus goes back to the control that
    // asked (a column's heading, a preset), or to a field in error.
    const focus = root.querySelector('[aria-invalid="true"]') || (again && root.querySelector(again));
    if (focus) focus.focus();
  }

  function focusedControl() {
    const a = document.activeElement;
    if (!a || !root.contains(a)) return null;
    if (a.dataset.sort) return `[data-sort="${a.dataset.sort}"]`;
    if (a.dataset.preset) return `[data-preset="${a.dataset.preset}"]`;
    return a.id ? `#${a.id}` : null;
  }

  // ---- the parts ----

  function crumbs() {
    const parts = [];
    if (tree) {
      const path = [];
      for (let n = tree.byId.get(tree.byId.get(id) ? tree.byId.get(id).parent_id : null), guard = 0;
        n && guard < 32; n = tree.byId.get(n.parent_id), guard++) path.unshift(n);
      for (const n of path) {
        if (tree.scope === null || within(tree, n.id, tree.scope)) {
          parts.push(h('a', { href: `/rollup/${n.id}`, 'data-testid': 'rollup-crumb' }, jurName(n)));
        }
      }
    }
    return h('nav', { class: 'breadcrumb', 'aria-label': t('nav.breadcrumb') },
      h('span', null, t('rollup.title')), parts,
      h('span', { class: 'crumb-current', 'aria-current': 'page' }, jurName(node())));
  }

  function periodForm() {
    const input = (key, text) => {
      const iid = `rollup-${key}`;
      // Empty, the server's default period is shown (its dates).
      const shown = state.data && state.data.period && typeof state.data.period[key] === 'string'
        ? state.data.period[key].slice(0, 10) : '';
      const inp = h('input', {
        id: iid, name: key, type: 'date', class: 'input', value: state[key] || (DATE.test(shown) ? shown : ''),
      });
      inp.addEventListener('change', () => { state[key] = inp.value; });
      errors.describe(inp, key, iid);
      return h('div', { class: 'field field-compact', 'data-for': key },
        h('label', { for: iid }, text), inp, errors.show(key, iid));
    };
    const form = h('form', { class: 'rollup-period', id: 'rollup-period', novalidate: true },
      input('since', t('rollup.since')), input('until', t('rollup.until')),
      h('div', { class: 'rollup-period-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary', id: 'rollup-apply', disabled: state.loading },
          t('rollup.apply')),
        h('div', { class: 'rollup-presets', role: 'group', 'aria-label': t('rollup.presets') },
          presets().map(([key, since, until]) => h('button', {
            type: 'button', class: ['btn', 'btn-secondary', 'btn-small',
              state.since === since && state.until === until && 'is-active'],
            'data-preset': key, 'aria-pressed': state.since === since && state.until === until ? 'true' : 'false',
            onclick: () => { state.since = since; state.until = until; load(); },
          }, t(`rollup.preset.${key}`))),
          state.since || state.until ? h('button', {
            type: 'button', class: 'btn btn-link', 'data-preset': 'default',
            onclick: () => { state.since = ''; state.until = ''; load(); },
          }, t('rollup.preset.default')) : null)));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      state.since = form.elements.since.value;
      state.until = form.elements.until.value;
      load();
    });
    return h('section', { class: 'card toolbar', 'aria-label': t('rollup.period') }, form);
  }

  function periodText(p) {
    if (!p || (!p.since && !p.until)) return null;
    return t('rollup.period.text', { since: p.since || t('common.none'), until: p.until || t('common.none') });
  }

  function figuresSection(d) {
    const f = d.figures || {};
    return h('section', { class: 'card', 'aria-labelledby': 'rollup-figures-title', 'data-section': 'figures' },
      h('h2', { id: 'rollup-figures-title', class: 'card-title' }, t('rollup.figures', { name: jurName(node()) })),
      h('dl', { class: 'rollup-figures', 'data-testid': 'rollup-figures' }, FIGURES.map(([key]) => h('div', {
        class: ['rollup-figure', `rollup-figure-${KIND[key]}`], 'data-figure': key,
        'data-value': f[key] === null || f[key] === undefined ? '' : String(f[key]),
      }, h('dt', null, t(`rollup.fig.${key}`)), h('dd', null, figureText(key, f[key]))))));
  }

  function sortHeader(key) {
    const active = (state.data && state.data.sort) === key;
    const btn = h('button', {
      type: 'button', class: 'sort-button', 'data-sort': key,
      title: t('rollup.sort.by', { figure: t(`rollup.fig.${key}`) }),
      onclick: () => { if (!active) { state.sort = key; load(); } },
    }, h('span', null, t(`rollup.fig.${key}`)),
    h('span', { class: 'sort-indicator' }, icon(active ? 'down' : 'sort', 'icon icon-sort')));
    return h('th', { scope: 'col', class: 'num', 'data-sort-key': key, 'aria-sort': active ? 'descending' : null }, btn);
  }

  // The figure the children are ranked by, named.
  const sortName = (d) => (FIGURE_KEYS.includes(d.sort) ? t(`rollup.fig.${d.sort}`) : t('common.none'));

  // Where the table's headings are hidden (a narrow screen shows the rows
  // as cards), the ranking is chosen here.
  function sortBox(d) {
    const select = h('select', { id: 'rollup-sort', name: 'sort', class: 'input' },
      FIGURES.map(([key]) => h('option', { value: key }, t(`rollup.fig.${key}`))));
    select.value = d.sort || '';
    errors.describe(select, 'sort', 'rollup-sort');
    select.addEventListener('change', () => { state.sort = select.value; load(); });
    return h('div', { class: 'field field-compact rollup-sortbox' },
      h('label', { for: 'rollup-sort' }, t('rollup.sort')), select, errors.show('sort', 'rollup-sort'));
  }

  function childrenSection(d) {
    const kids = (d.children || []).slice().sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9));
    const title = h('h2', { id: 'rollup-children-title', class: 'card-title' }, t('rollup.children'));
    if (!kids.length) {
      return h('section', { class: 'card', 'aria-labelledby': 'rollup-children-title', 'data-section': 'children' },
        title, h('p', { class: 'muted', 'data-testid': 'rollup-nochildren' }, t('rollup.children.none')));
    }
    const table = h('table', {
      class: 'data-table rollup-table', id: 'rollup-table', 'aria-busy': state.loading ? 'true' : 'false',
    },
    h('caption', { class: 'visually-hidden' }, t('rollup.children.caption', {
      name: jurName(node()), figure: sortName(d),
    })),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col', class: 'num' }, t('rollup.rank')),
      h('th', { scope: 'col' }, t('rollup.jurisdiction')),
      FIGURES.map(([key]) => sortHeader(key)))),
    h('tbody', null, kids.map((c) => {
      const j = c.jurisdiction || {};
      const f = c.figures || {};
      return h('tr', { 'data-testid': 'rollup-row', 'data-code': j.code || '', 'data-rank': c.rank ?? '' },
        h('td', { class: 'num col-rank', 'data-label': t('rollup.rank'), 'data-col': 'rank' },
          h('span', { class: 'rollup-rank' }, c.rank ?? t('common.none'))),
        h('td', { class: 'col-name', 'data-label': t('rollup.jurisdiction'), 'data-col': 'name' },
          h('div', { class: 'name-cell' },
            j.id ? h('a', { href: `/rollup/${j.id}`, class: 'row-link', 'data-testid': 'rollup-child' }, jurName(j))
              : h('span', null, jurName(j)),
            h('span', { class: 'name-other mono' }, [j.code, j.level ? levelName(j.level) : null].filter(Boolean).join(' · ')))),
        FIGURES.map(([key]) => h('td', {
          class: ['num', d.sort === key && 'is-sorted'], 'data-label': t(`rollup.fig.${key}`), 'data-col': key,
        }, figureText(key, f[key]))));
    })));
    return h('section', { class: 'card table-card rollup-children', 'aria-labelledby': 'rollup-children-title', 'data-section': 'children' },
      h('div', { class: 'rollup-children-head' }, title,
        h('p', { class: 'muted small', 'data-testid': 'rollup-sorted' },
          t('rollup.sorted', { figure: sortName(d) })),
        sortBox(d)),
      h('div', { class: 'table-scroll' }, table));
  }

  function errorBox(e) {
    const n = node();
    const text = e.status === 403 ? t('rollup.forbidden', { name: jurName(n) })
      : e.status === 404 ? t('rollup.notfound', { id }) : e.text;
    return h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'rollup-error', 'data-status': e.status },
      h('span', null, text),
      e.status === 403 || e.status === 404 ? null : [' ', h('button', {
        type: 'button', class: 'btn btn-link', onclick: () => load(),
      }, t('common.retry'))]);
  }

  function draw() {
    const d = state.data;
    const n = node();
    app.setTitle(t('rollup.title.of', { name: jurName(n) }));
    const head = h('div', { class: 'page-head' }, h('div', null,
      h('h1', { id: 'rollup-title' }, t('rollup.title.of', { name: jurName(n) })),
      h('p', { class: 'muted', 'data-testid': 'rollup-sub' },
        [n.code, n.level ? levelName(n.level) : null, d ? periodText(d.period) : null].filter(Boolean).join(' · '))));
    const body = [];
    if (state.error) body.push(errorBox(state.error));
    if (d && !state.error) body.push(figuresSection(d), childrenSection(d));
    else if (state.loading && !state.error) body.push(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
    root.replaceChildren(h('div', { class: 'rollup-page', 'data-testid': 'rollup-page', 'aria-busy': state.loading ? 'true' : 'false' },
      crumbs(), head, state.error && (state.error.status === 403 || state.error.status === 404) ? null : periodForm(), body));
    el.root = root;
  }

  load();
  return {
    onLang: draw,
    leave: () => { if (controller) controller.abort(); },
  };
}
