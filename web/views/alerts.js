// Alerts: the enterprises whose figures fell, who did not report or
// who have not been visited, as GET /api/v1/alerts computes them now
// (a grid worker sees only the enterprises of their grids). Also the
// helpers the grid and enterprise pages use to show alerts.
import { h, icon } from '../dom.js';
import { t, label, localName, otherName, otherLang, formatNumber, isZh } from '../i18n.js';
import { api } from '../api.js';
import { mayRecordVisit } from './visit.js';
import { exportButton } from '../export.js';

export const KINDS = ['fall', 'missing_report', 'not_visited'];

function percent(change) {
  const p = Math.abs(Number(change) * 100);
  return new Intl.NumberFormat(isZh() ? 'zh-CN' : 'en', { minimumFractionDigits: 1, maximumFractionDigits: 1 })
    .format(p);
}

// One alert as a sentence in the current language.
export function alertText(a) {
  switch (a.kind) {
    case 'fall': {
      const quarter = /Q/i.test(a.period || '');
      const key = a.compared_with === 'year_ago' ? 'alert.fall.yoy' : quarter ? 'alert.fall.qoq' : 'alert.fall.mom';
      const dir = Number(a.change) > 0 ? 'up' : 'down';
      return t(`${key}.${dir}`, { field: label('indicator', a.field), p: percent(a.change) });
    }
    case 'missing_report':
      return t('alert.missing', { period: a.period || '' });
    case 'not_visited':
      return typeof a.days === 'number' && a.days >= 0
        ? t('alert.notvisited', { days: formatNumber(a.days) })
        : t('alert.nevervisited');
    default:
      return label('alert.kind', a.kind);
  }
}

// A list of alerts (<ul>), each with its kind and period.
export function alertItems(alerts) {
  return h('ul', { class: 'alert-items' }, alerts.map((a) => h('li', {
    class: `alert-item alert-kind-${a.kind}`, 'data-testid': 'alert-text', 'data-kind': a.kind,
  },
  h('span', { class: 'alert-kind' }, label('alert.kind', a.kind)),
  h('span', { class: 'alert-sentence' }, alertText(a)),
  a.kind === 'fall' && a.period ? h('span', { class: 'alert-period mono' }, a.period) : null)));
}

// The enterprises with their alerts, one card each. gridName(id) names
// a grid; the user decides whether a visit can be recorded.
export function alertGroups(items, { gridName, user } = {}) {
  if (!items.length) return h('p', { class: 'muted', 'data-testid': 'alerts-empty' }, t('alerts.empty'));
  return h('ul', { class: 'alert-groups' }, items.map((it) => {
    const e = it.enterprise || {};
    const name = localName(e) || `#${e.id}`;
    return h('li', { class: 'card alert-group', 'data-testid': 'alert-group', 'data-id': e.id },
      h('div', { class: 'alert-group-head' },
        h('div', null,
          h('h3', { class: 'alert-group-name' }, h('a', { href: `/enterprises/${e.id}` }, name)),
          otherName(e) ? h('p', { class: 'muted small', lang: otherLang() }, otherName(e)) : null,
          e.grid_id && gridName ? h('p', { class: 'muted small' },
            h('a', { href: `/grids/${e.grid_id}` }, gridName(e.grid_id))) : null),
        mayRecordVisit(user)
          ? h('a', { class: 'btn btn-secondary btn-small', href: `/enterprises/${e.id}/visit` },
            icon('plus'), h('span', null, t('visit.record')))
          : null),
      alertItems(it.alerts || []));
  }));
}

// ---- the /alerts page ----

export async function render(ctx) {
  const { root, app } = ctx;
  const state = {
    items: [], grids: [], error: null,
    kind: KINDS.includes(ctx.query.get('kind')) ? ctx.query.get('kind') : '',
    grid: /^\d+$/.test(ctx.query.get('grid') || '') ? ctx.query.get('grid') : '',
  };
  app.setTitle(t('alerts.title'));
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));

  async function load() {
    try {
      const [a, g] = await Promise.all([
        api('GET', '/alerts', { query: { grid: state.grid } }),
        state.grids.length ? { data: { items: state.grids } } : api('GET', '/grids').catch(() => ({ data: { items: [] } })),
      ]);
      state.items = a.data.items || [];
      state.grids = g.data.items || [];
      state.error = null;
    } catch (e) {
      state.error = e;
    }
  }
  await load();
  if (!ctx.alive()) return null;

  const gridName = (id) => {
    const g = state.grids.find((x) => x.id === id);
    return g ? `${localName(g)} · ${g.code}` : `#${id}`;
  };

  // One row per alert of the enterprises the page lists (its grid from
  // the server, its kind as the page filters it).
  function exportSpec() {
    return {
      name: 'alerts', path: '/alerts', query: { grid: state.grid }, limit: null,
      expand: (it) => (it.alerts || []).map((a) => ({ e: it.enterprise || {}, a })),
      keep: (r) => !state.kind || r.a.kind === state.kind,
      columns: [
        { head: () => t('xcol.enterprise'), value: (r) => localName(r.e) || `#${r.e.id}` },
        { head: () => t('alerts.grid'), value: (r) => (r.e.grid_id ? gridName(r.e.grid_id) : '') },
        { head: () => t('alerts.kind'), value: (r) => label('alert.kind', r.a.kind) },
        { head: () => t('xcol.alert'), value: (r) => alertText(r.a) },
        { head: () => t('xcol.period'), value: (r) => r.a.period || '' },
      ],
    };
  }

  function syncUrl() {
    const p = new URLSearchParams();
    if (state.grid) p.set('grid', state.grid);
    if (state.kind) p.set('kind', state.kind);
    const s = p.toString();
    const url = `/alerts${s ? `?${s}` : ''}`;
    if (location.pathname + location.search !== url) {
      history.replaceState(null, '', url);
      app.pathChanged();
    }
  }

  function draw() {
    app.setTitle(t('alerts.title'));
    const head = h('div', { class: 'page-head' }, h('div', null,
      h('h1', null, t('alerts.title')),
      h('p', { class: 'muted' }, app.user && app.user.role === 'grid_worker' ? t('alerts.intro.mine') : t('alerts.intro'))),
    state.error ? null : exportButton(exportSpec));
    if (state.error) {
      root.replaceChildren(head, h('div', { class: 'alert alert-error', role: 'alert' },
        state.error.status === 403 ? t('common.forbidden') : state.error.message));
      return;
    }
    const items = state.kind
      ? state.items.map((it) => ({ ...it, alerts: (it.alerts || []).filter((a) => a.kind === state.kind) }))
        .filter((it) => it.alerts.length)
      : state.items;
    const counts = Object.fromEntries(KINDS.map((k) => [k,
      state.items.filter((it) => (it.alerts || []).some((a) => a.kind === k)).length]));

    const kindSel = h('select', { id: 'alert-kind', class: 'input', name: 'kind' },
      h('option', { value: '' }, t('common.any')),
      KINDS.map((k) => h('option', { value: k }, `${label('alert.kind', k)} (${formatNumber(counts[k])})`)));
    kindSel.value = state.kind;
    kindSel.addEventListener('change', () => { state.kind = kindSel.value; syncUrl(); draw(); });

    const cells = state.grids.filter((g) => g.level === 'cell');
    const gridSel = h('select', { id: 'alert-grid', class: 'input', name: 'grid' },
      h('option', { value: '' }, t('alerts.grid.all')),
      cells.map((g) => h('option', { value: String(g.id) }, `${g.code} ${localName(g)}`)));
    gridSel.value = state.grid;
    gridSel.addEventListener('change', async () => {
      state.grid = gridSel.value;
      syncUrl();
      gridSel.disabled = true;
      await load();
      if (ctx.alive()) draw();
    });

    root.replaceChildren(head,
      h('div', { class: 'card toolbar alerts-toolbar' },
        h('div', { class: 'field field-compact' }, h('label', { for: 'alert-grid' }, t('alerts.grid')), gridSel),
        h('div', { class: 'field field-compact' }, h('label', { for: 'alert-kind' }, t('alerts.kind')), kindSel)),
      h('p', { class: 'summary', 'data-testid': 'alerts-count', 'data-count': items.length, role: 'status' },
        t('alerts.count', { n: formatNumber(items.length) })),
      alertGroups(items, { gridName, user: app.user }));
  }

  draw();
  return { onLang: draw };
}
