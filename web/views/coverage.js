// Coverage: the share of the park's active enterprises an organisation
// reaches, for the town, each cluster and each grid, with the map of the
// grids coloured by their share (the server's fill) and the list of the
// uncovered enterprises of a row or a grid picked.  Party organisations
// by default, or every kind.
import { h } from '../dom.js';
import { t, localName, formatNumber } from '../i18n.js';
import { api } from '../api.js';

const get = async (path, query) => (await api('GET', path, { query })).data;
import { svg } from '../charts.js';
import { fitProjection, fittedHeight, pathData, labelPoint, bboxOf } from '../geo.js';
import '../org-i18n.js';

const W = 720;
const PAD = { top: 16, right: 16, bottom: 16, left: 16 };
const LEGEND = [['#d7301f', '< 50%'], ['#fc8d59', '50–80%'], ['#91cf60', '80–95%'], ['#1a9850', '≥ 95%']];

const pct = (s) => (s === null || s === undefined ? '—' : `${(s * 100).toFixed(1)}%`);

export async function render(ctx) {
  const { root, app, query } = ctx;
  const state = {
    kind: query.get('kind') === 'any' ? 'any' : 'party',
    byCluster: null, byGrid: null, map: null, error: null, list: null, listName: '',
  };
  app.setTitle(t('cov.title'));
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));

  async function load() {
    const kind = state.kind === 'party' ? 'party' : null;
    try {
      [state.byCluster, state.byGrid, state.map] = await Promise.all([
        get('/coverage', { by: 'cluster', kind }), get('/coverage', { by: 'grid', kind }),
        get('/coverage/geojson', { kind })]);
      state.error = null;
    } catch (e) {
      state.error = e.message;
    }
  }

  async function showList(href, name) {
    state.listName = name;
    state.list = { loading: true };
    draw();
    try {
      // The server's link names the path under /api/v1 and its query.
      const u = new URL(href, location.origin);
      state.list = await get(u.pathname.replace(/^\/api\/v1/, ''), Object.fromEntries(u.searchParams));
    } catch (e) {
      state.list = { error: e.message };
    }
    if (ctx.alive()) draw();
  }

  // In a box that scrolls sideways where the window is narrower than the
  // table (a phone, English headings).
  function rowsTable(items, nameOf, testid) {
    return h('div', { class: 'cov-table' }, h('table', { class: 'table', 'data-testid': testid },
      h('thead', null, h('tr', null, ['name', 'enterprises', 'covered', 'share', 'uncovered'].map((c) =>
        h('th', { scope: 'col' }, t(`cov.col.${c}`))))),
      h('tbody', null, items.map((i) => h('tr', { 'data-testid': 'cov-row' },
        h('th', { scope: 'row' }, nameOf(i)),
        h('td', { class: 'num' }, formatNumber(i.enterprises)),
        h('td', { class: 'num' }, formatNumber(i.covered)),
        h('td', null, h('meter', { min: 0, max: 1, low: 0.5, high: 0.8, optimum: 1, value: i.share ?? 0, 'aria-label': pct(i.share) }),
          ' ', h('span', { 'data-testid': 'cov-share' }, pct(i.share))),
        h('td', { class: 'num' }, i.uncovered && i.uncovered_href
          ? h('button', { type: 'button', class: 'linklike', 'data-testid': 'cov-uncovered', onclick: () => showList(i.uncovered_href, nameOf(i)) },
            formatNumber(i.uncovered))
          : formatNumber(i.uncovered)))))));
  }

  function mapView() {
    const feats = state.map.features.filter((f) => f.geometry);
    if (!feats.length) return null;
    const town = feats.find((f) => f.properties.level === 'town') || feats[0];
    const bbox = bboxOf(town.geometry);
    const H = fittedHeight(bbox, W, PAD);
    const proj = fitProjection(bbox, W, H, PAD);
    // Cells over areas over the town, so that the finest share shows.
    const order = { town: 0, area: 1, cell: 2 };
    const drawn = feats.filter((f) => f.properties.level !== 'town' || feats.length === 1)
      .sort((a, b) => order[a.properties.level] - order[b.properties.level]);
    const leaves = drawn.filter((f) => !drawn.some((g) => g !== f && g.properties.level === 'cell' && f.properties.level !== 'cell'
      && contains(f, g)));
    return h('figure', { class: 'card cov-map' },
      h('figcaption', null, h('h2', null, t('cov.map'))),
      svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'cov-svg', role: 'img', 'aria-label': t('cov.map'), 'data-testid': 'cov-map' },
        leaves.map((f) => {
          const p = f.properties;
          const at = labelPoint(f.geometry);
          const [x, y] = at ? proj.project(at) : [0, 0];
          const name = `${localName(p)} ${p.code}`;
          return svg('g', {
            class: 'cov-cell', tabindex: 0, role: 'button', 'data-testid': 'cov-cell', 'data-code': p.code,
            'data-fill': p.fill, 'aria-label': `${name}: ${pct(p.coverage)}`,
            onclick: () => p.uncovered && showList(`/coverage/uncovered?grid_id=${p.grid_id}${state.kind === 'party' ? '&kind=party' : ''}`, name),
            onkeydown: (ev) => { if (ev.key === 'Enter' && p.uncovered) showList(`/coverage/uncovered?grid_id=${p.grid_id}${state.kind === 'party' ? '&kind=party' : ''}`, name); },
          },
          svg('path', { d: pathData(f.geometry, proj), fill: p.fill, 'fill-opacity': p['fill-opacity'], stroke: p.stroke, 'fill-rule': 'evenodd' },
            svg('title', null, `${name}: ${pct(p.coverage)}`)),
          svg('text', { x, y, 'text-anchor': 'middle', class: 'cov-label' }, `${p.code} ${pct(p.coverage)}`));
        })),
      h('p', { class: 'cov-legend small' }, `${t('cov.legend')}: `,
        LEGEND.map(([c, l]) => h('span', { class: 'cov-key' }, swatch(c), ` ${l} `)),
        h('span', { class: 'cov-key' }, swatch('#cccccc'), ` ${t('cov.legend.none')}`)));
  }

  // A colour of the scale, as a presentation attribute (the console's
  // policy allows no inline styles).
  function swatch(c) {
    return svg('svg', { class: 'cov-swatch', viewBox: '0 0 16 12', 'aria-hidden': 'true' },
      svg('rect', { width: 16, height: 12, fill: c, stroke: '#888' }));
  }

  // A grid whose bounding box holds another's: an area holding cells.
  function contains(outer, inner) {
    const a = bboxOf(outer.geometry), b = bboxOf(inner.geometry);
    return a && b && a[0] <= b[0] && a[1] <= b[1] && a[2] >= b[2] && a[3] >= b[3];
  }

  function listView() {
    const l = state.list;
    if (!l) return null;
    if (l.loading) return h('section', { class: 'card' }, h('p', { class: 'loading' }, t('common.loading')));
    if (l.error) return h('section', { class: 'card' }, h('div', { class: 'alert alert-error', role: 'alert' }, l.error));
    return h('section', { class: 'card cov-list', 'data-testid': 'cov-list' },
      h('h2', null, t('cov.uncovered.title', { name: state.listName })),
      l.items.length
        ? h('ul', null, l.items.map((e) => h('li', { 'data-testid': 'cov-list-item' },
          h('a', { href: `/enterprises/${e.id}` }, localName(e)), h('span', { class: 'muted small mono' }, ` ${e.uscc}`))))
        : h('p', { class: 'muted' }, t('cov.uncovered.none')));
  }

  function draw() {
    app.setTitle(t('cov.title'));
    const select = h('select', {
      id: 'cov-kind', 'data-testid': 'cov-kind',
      onchange: async (ev) => {
        state.kind = ev.target.value;
        state.list = null;
        history.replaceState(null, '', `/coverage${state.kind === 'any' ? '?kind=any' : ''}`);
        app.pathChanged();
        await load();
        if (ctx.alive()) draw();
      },
    }, ['party', 'any'].map((k) => h('option', { value: k, selected: state.kind === k ? '' : null }, t(`cov.kind.${k}`))));
    const head = h('div', { class: 'page-head' }, h('div', null,
      h('h1', null, t('cov.title')), h('p', { class: 'muted' }, t('cov.intro'))),
    h('label', { class: 'field-inline' }, t('cov.kind'), ' ', select));
    if (state.error) {
      root.replaceChildren(head, h('div', { class: 'alert alert-error', role: 'alert' }, state.error));
      return;
    }
    const tot = state.byCluster.total;
    root.replaceChildren(...[head,
      h('p', { class: 'summary', 'data-testid': 'cov-total' },
        t('cov.total', { c: formatNumber(tot.covered), n: formatNumber(tot.enterprises), p: pct(tot.share) })),
      h('section', { class: 'card' }, h('h2', null, t('cov.by_cluster')),
        rowsTable(state.byCluster.items, (i) => (i.cluster ? localName(i.cluster) : t('cov.none_cluster')), 'cov-clusters')),
      mapView(),
      listView(),
      h('section', { class: 'card' }, h('h2', null, t('cov.by_grid')),
        rowsTable(state.byGrid.items, (i) => (i.grid ? `${localName(i.grid)} ${i.grid.code}` : t('cov.none_grid')), 'cov-grids'))]
      .filter(Boolean));
  }
  await load();
  if (!ctx.alive()) return null;
  draw();
  return { onLang: draw };
}
