// The park map: every grid polygon projected from longitude/latitude
// into an SVG (no map tiles), Rongwei Road between the West and East
// areas, the enterprises as dots coloured by cluster or by alert, and a
// side panel for the grid or enterprise picked.
import { h, icon } from '../dom.js';
import { t, label, localName, otherName, otherLang, formatNumber, getLang } from '../i18n.js';
import { api, getClusters } from '../api.js';
import { svg } from '../charts.js';
import {
  fitProjection, fittedHeight, pathData, lineData, labelPoint, sharedBoundary, alongLine, bboxOf,
} from '../geo.js';
import { mayEditGrids, gridEditor, loadForEdit, editButtons, drawButton } from '../gridedit.js';
import { mayReadGrids } from '../access.js';

const W = 1000;
const PAD = { top: 64, right: 28, bottom: 28, left: 28 };
const DOT_R = 5.5;

// Roads drawn on the map: the boundary two neighbouring areas share.
const ROADS = [{ id: 'rongwei', between: ['ZY-W', 'ZY-E'], key: 'map.road.rongwei', at: 0.17 }];

// Grids, the map and alerts are for every signed-in role but an
// enterprise's contact (the server's rule).
export { mayReadGrids };

// Every enterprise with a location, following the list's cursor.
export async function loadEnterprises(query = {}) {
  const out = [];
  let cursor;
  for (let i = 0; i < 40; i++) {
    const r = await api('GET', '/enterprises', { query: { ...query, limit: 500, cursor } });
    out.push(...(r.data.items || []));
    cursor = r.data.next;
    if (!cursor) break;
  }
  return out;
}

// The grid hierarchy from the flat list.
export function gridTree(grids) {
  const byId = new Map(grids.map((g) => [g.id, g]));
  const children = new Map();
  for (const g of grids) {
    if (!children.has(g.parent_id)) children.set(g.parent_id, []);
    children.get(g.parent_id).push(g);
  }
  const kids = (id) => children.get(id) || [];
  const descendants = (id) => kids(id).flatMap((c) => [c, ...descendants(c.id)]);
  const ancestors = (g) => {
    const out = [];
    for (let p = byId.get(g.parent_id); p; p = byId.get(p.parent_id)) out.unshift(p);
    return out;
  };
  // Enterprises are placed in the smallest grid: a grid holds its own
  // and those of every grid inside it.
  const total = (g) => (g.enterprises || 0) + descendants(g.id).reduce((s, d) => s + (d.enterprises || 0), 0);
  return { byId, kids, descendants, ancestors, total, roots: kids(null) };
}

// A grid's enterprises and members, with those of the grids inside it.
export async function loadGridContents(tree, id) {
  const ids = [id, ...tree.descendants(id).map((g) => g.id)];
  const parts = await Promise.all(ids.map((gid) => api('GET', `/grids/${gid}`)));
  const own = parts[0].data;
  const enterprises = [];
  const seen = new Set();
  for (const p of parts) {
    for (const e of p.data.enterprises || []) {
      if (!seen.has(e.id)) { seen.add(e.id); enterprises.push(e); }
    }
  }
  return {
    grid: own.grid,
    members: own.members || [],
    team: own.team || [],
    childMembers: parts.slice(1).map((p) => ({ grid: p.data.grid, members: p.data.members || [], team: p.data.team || [] })),
    enterprises,
    etag: parts[0].etag,
  };
}

export function formatKm2(a) {
  if (typeof a !== 'number') return t('common.none');
  return `${new Intl.NumberFormat(getLang(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(a)} km²`;
}

// A team member by name: {id, display_name} from a grid's team, or an id
// alone where only the id is known.
export function memberName(m, user) {
  const id = typeof m === 'object' ? m.id : m;
  const name = typeof m === 'object' && m.display_name ? m.display_name : null;
  if (user && user.id === id) return t('grid.member.me', { name: name || user.display_name || user.username });
  return name || t('grid.member', { id });
}

export async function render(ctx) {
  const { root, app } = ctx;
  const state = {
    grids: [], tree: null, enterprises: [], clusters: [], alerts: null, alertsError: null, scope: null,
    colour: ctx.query.get('colour') === 'alerts' ? 'alerts' : 'cluster',
    selected: /^\d+$/.test(ctx.query.get('grid') || '') ? Number(ctx.query.get('grid')) : null,
    contents: new Map(), // grid id -> loaded contents or a promise marker
    picked: null, // the enterprise of the dot clicked
    error: null,
    editor: null, // the grid editor, while one is open (gridedit.js)
    editError: null,
  };
  const el = {};

  app.setTitle(t('map.title'));
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  try {
    const [g, ents, clusters] = await Promise.all([
      api('GET', '/grids', { query: { geometry: 1 } }),
      loadEnterprises(),
      getClusters().catch(() => []),
    ]);
    state.grids = g.data.items || [];
    state.enterprises = ents.filter((e) => typeof e.lon === 'number' && typeof e.lat === 'number');
    state.clusters = clusters;
    state.tree = gridTree(state.grids);
  } catch (e) {
    state.error = e;
  }
  if (!ctx.alive()) return null;
  if (state.selected && (!state.tree || !state.tree.byId.has(state.selected))) state.selected = null;

  const clusterIndex = () => new Map(state.clusters.map((c, i) => [c.id, (i % 4) + 1]));
  const alertMap = () => new Map((state.alerts || []).map((it) => [it.enterprise.id, it.alerts || []]));
  // A grid worker is told the alerts of their own grids only: the
  // others are neither with nor without alerts.
  const alertClass = (e, am) => (state.scope && !state.scope.has(e.grid_id) ? 'out-of-scope'
    : am.has(e.id) ? 'has-alert' : 'no-alert');

  function syncUrl() {
    const p = new URLSearchParams();
    if (state.selected) p.set('grid', state.selected);
    if (state.colour === 'alerts') p.set('colour', 'alerts');
    const s = p.toString();
    const url = `/map${s ? `?${s}` : ''}`;
    if (location.pathname + location.search !== url) {
      history.replaceState(null, '', url);
      app.pathChanged();
    }
  }

  // ---- the SVG ----

  function buildMap() {
    const town = state.grids.find((g) => g.level === 'town');
    const bbox = (town && (town.bbox || bboxOf(town.geometry)))
      || state.grids.map((g) => g.bbox || bboxOf(g.geometry)).filter(Boolean)
        .reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);
    const H = fittedHeight(bbox, W, PAD);
    const proj = fitProjection(bbox, W, H, PAD);
    el.proj = proj;
    el.height = H;
    const byLevel = (lv) => state.grids.filter((g) => g.level === lv && g.geometry);
    const areas = byLevel('area');
    const cells = byLevel('cell');

    const gridName = (g) => `${localName(g)} ${g.code}`;
    const selectable = (g, node) => {
      node.setAttribute('tabindex', '0');
      node.setAttribute('role', 'button');
      node.setAttribute('aria-label', t('map.select', { name: gridName(g) }));
      node.addEventListener('click', (ev) => { ev.stopPropagation(); select(g.id); });
      node.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); select(g.id); }
      });
      return node;
    };
    const shape = (g, cls) => svg('path', {
      d: pathData(g.geometry, proj), class: `grid-shape level-${g.level} ${cls || ''}`.trim(),
      'data-testid': 'grid-polygon', 'data-code': g.code, 'data-id': g.id, 'data-level': g.level,
      'fill-rule': 'evenodd',
    }, svg('title', null, `${gridName(g)} · ${formatKm2(g.area_km2)}`));

    const townLayer = svg('g', { class: 'layer-town' },
      state.grids.filter((g) => g.level === 'town' && g.geometry).map((g) => shape(g)));
    const areaLayer = svg('g', { class: 'layer-areas' }, areas.map((g, i) => shape(g, `area-${(i % 2) + 1}`)));
    const cellLayer = svg('g', { class: 'layer-cells' }, cells.map((g) => selectable(g, shape(g))));
    // Grids that hold no cells are picked by their own polygon.
    for (const node of areaLayer.querySelectorAll('path')) {
      const g = state.tree.byId.get(Number(node.dataset.id));
      if (!state.tree.kids(g.id).length) selectable(g, node);
    }

    // Roads: the boundary the two areas share.
    const roads = [];
    const roadLabels = [];
    for (const road of ROADS) {
      const [a, b] = road.between.map((code) => state.grids.find((g) => g.code === code));
      if (!a || !b || !a.geometry || !b.geometry) continue;
      const lines = sharedBoundary(a.geometry, b.geometry);
      if (!lines.length) continue;
      const d = lines.map((l) => lineData(l, proj)).join('');
      roads.push(svg('g', { class: 'road', id: `road-${road.id}`, 'data-testid': 'road', 'data-road': road.id },
        svg('title', null, t(road.key)),
        svg('path', { d, class: 'road-casing' }),
        svg('path', { d, class: 'road-line', 'data-testid': 'road-line' })));
      const longest = lines.reduce((x, y) => (y.length > x.length ? y : x));
      const pts = longest.map((c) => proj.project(c));
      const { point, angle } = alongLine(pts, road.at);
      const upright = angle > 90 || angle < -90 ? angle + 180 : angle;
      roadLabels.push(svg('text', {
        x: Math.round(point[0]), y: Math.round(point[1]), class: 'road-label', 'data-testid': 'road-label',
        'text-anchor': 'middle', 'dominant-baseline': 'central',
        transform: `rotate(${Math.round(upright * 10) / 10} ${Math.round(point[0])} ${Math.round(point[1])})`,
      }, t(road.key)));
    }

    // Labels: each cell at its centre; each area as a button above it.
    const cellLabels = cells.map((g) => {
      const c = labelPoint(g.geometry);
      if (!c) return null;
      const [x, y] = proj.project(c);
      return svg('text', { x: Math.round(x), y: Math.round(y), class: 'cell-label', 'text-anchor': 'middle' },
        svg('tspan', { x: Math.round(x), dy: '-0.2em', class: 'cell-code' }, g.code),
        svg('tspan', { x: Math.round(x), dy: '1.25em', class: 'cell-name' }, localName(g)));
    });
    const areaLabels = areas.map((g) => {
      const b = g.bbox || bboxOf(g.geometry);
      const [x0] = proj.project([b[0], b[3]]);
      const [x1] = proj.project([b[2], b[3]]);
      const x = Math.round((x0 + x1) / 2);
      const y = Math.round(PAD.top - 30);
      const node = svg('g', {
        class: 'area-label', 'data-testid': 'area-label', 'data-code': g.code, 'data-id': g.id,
      },
      svg('rect', { class: 'area-label-bg', x: x - 60, y: y - 17, width: 120, height: 34, rx: 17 }),
      svg('text', { x, y, class: 'area-label-text', 'text-anchor': 'middle', 'dominant-baseline': 'central' },
        `${localName(g)} · ${g.code}`));
      return selectable(g, node);
    });

    // Enterprises.
    const dots = state.enterprises.map((e) => {
      const [x, y] = proj.project([e.lon, e.lat]);
      const dot = svg('circle', {
        cx: Math.round(x * 10) / 10, cy: Math.round(y * 10) / 10, r: DOT_R, class: 'dot',
        'data-testid': 'enterprise-dot', 'data-id': e.id, 'data-grid': e.grid_id,
      }, svg('title', null, localName(e)));
      dot.addEventListener('pointerenter', () => showTip(e, dot));
      dot.addEventListener('pointerleave', () => { if (!state.picked || state.picked.id !== e.id) hideTip(); });
      dot.addEventListener('click', (ev) => { ev.stopPropagation(); pick(e); });
      return dot;
    });

    el.tipBg = svg('rect', { class: 'tip-bg', rx: 6, x: 0, y: 0, width: 10, height: 10 });
    el.tipText = svg('text', { class: 'tip-text', x: 0, y: 0 });
    el.tip = svg('g', { class: 'map-tip is-hidden', 'data-testid': 'map-tip', 'aria-hidden': 'true' }, el.tipBg, el.tipText);
    el.selection = svg('path', { class: 'selection', d: '' });
    el.dots = svg('g', { class: 'layer-dots' }, dots);

    const map = svg('svg', {
      viewBox: `0 0 ${W} ${H}`, class: 'park-map', id: 'park-map', role: 'group',
      'aria-label': t('map.aria', { n: state.enterprises.length }), preserveAspectRatio: 'xMidYMid meet',
    },
    svg('title', null, t('map.title')),
    townLayer, areaLayer, cellLayer, svg('g', { class: 'layer-roads' }, roads),
    el.selection,
    el.dots,
    svg('g', { class: 'layer-labels' }, cellLabels, roadLabels),
    svg('g', { class: 'layer-area-labels' }, areaLabels),
    el.tip);
    map.addEventListener('click', () => { if (state.picked) { state.picked = null; hideTip(); drawPanel(); } });
    el.map = map;
    return map;
  }

  // Area label pills fit their text once it is laid out.
  function fitLabels() {
    for (const g of el.map.querySelectorAll('.area-label')) {
      const text = g.querySelector('text');
      const rect = g.querySelector('rect');
      let w = 120;
      try { w = text.getComputedTextLength() + 32; } catch { /* not laid out */ }
      const x = Number(text.getAttribute('x'));
      rect.setAttribute('x', Math.round(x - w / 2));
      rect.setAttribute('width', Math.round(w));
    }
  }

  function showTip(e, dot) {
    const x = Number(dot.getAttribute('cx'));
    const y = Number(dot.getAttribute('cy'));
    el.tipText.textContent = localName(e);
    let w = 160;
    try { w = el.tipText.getComputedTextLength() + 20; } catch { /* not laid out */ }
    const hgt = 30;
    let tx = x + 10;
    let ty = y - hgt - 8;
    if (tx + w > W - 4) tx = x - w - 10;
    if (ty < 4) ty = y + 10;
    el.tipBg.setAttribute('x', Math.round(tx));
    el.tipBg.setAttribute('y', Math.round(ty));
    el.tipBg.setAttribute('width', Math.round(w));
    el.tipBg.setAttribute('height', hgt);
    el.tipText.setAttribute('x', Math.round(tx + 10));
    el.tipText.setAttribute('y', Math.round(ty + hgt / 2 + 6));
    el.tip.classList.remove('is-hidden');
    el.map.appendChild(el.tip); // on top
  }

  function hideTip() { if (el.tip) el.tip.classList.add('is-hidden'); }

  function colourDots() {
    const ci = clusterIndex();
    const am = alertMap();
    const byId = new Map(state.enterprises.map((e) => [e.id, e]));
    for (const dot of el.dots.children) {
      const id = Number(dot.dataset.id);
      const e = byId.get(id);
      let cls;
      if (state.colour === 'alerts' && state.alerts) {
        cls = alertClass(e, am);
      } else {
        cls = `cl-${ci.get(e.cluster_id) || 0}`;
      }
      dot.setAttribute('class', ['dot', cls, state.picked && state.picked.id === id && 'is-picked'].filter(Boolean).join(' '));
    }
  }

  function markSelection() {
    for (const p of el.map.querySelectorAll('[data-testid=grid-polygon], .area-label')) {
      const on = Number(p.dataset.id) === state.selected;
      p.classList.toggle('is-selected', on);
      if (p.getAttribute('role') === 'button') p.setAttribute('aria-pressed', on ? 'true' : 'false');
    }
    const g = state.selected && state.tree.byId.get(state.selected);
    el.selection.setAttribute('d', g && g.geometry ? pathData(g.geometry, el.proj) : '');
  }

  // ---- legend and toolbar ----

  function legend() {
    const items = [];
    if (state.colour === 'alerts') {
      if (state.alertsError) {
        items.push(h('li', { class: 'legend-error' }, state.alertsError.message));
      } else if (!state.alerts) {
        items.push(h('li', { class: 'muted' }, t('common.loading')));
      } else {
        const am = alertMap();
        const n = { 'has-alert': 0, 'no-alert': 0, 'out-of-scope': 0 };
        for (const e of state.enterprises) n[alertClass(e, am)] += 1;
        items.push(
          h('li', { 'data-legend': 'has-alert' }, h('span', { class: 'swatch dot-swatch has-alert' }),
            t('map.legend.alert', { n: formatNumber(n['has-alert']) })),
          h('li', { 'data-legend': 'no-alert' }, h('span', { class: 'swatch dot-swatch no-alert' }),
            t('map.legend.noalert', { n: formatNumber(n['no-alert']) })),
          n['out-of-scope'] ? h('li', { 'data-legend': 'out-of-scope' }, h('span', { class: 'swatch dot-swatch out-of-scope' }),
            t('map.legend.outofscope', { n: formatNumber(n['out-of-scope']) })) : null,
        );
      }
    } else {
      const ci = clusterIndex();
      for (const c of state.clusters) {
        const n = state.enterprises.filter((e) => e.cluster_id === c.id).length;
        items.push(h('li', { 'data-legend': `cluster-${c.id}` },
          h('span', { class: `swatch dot-swatch cl-${ci.get(c.id)}` }), `${localName(c)} (${formatNumber(n)})`));
      }
      const none = state.enterprises.filter((e) => !ci.has(e.cluster_id)).length;
      if (none) {
        items.push(h('li', null, h('span', { class: 'swatch dot-swatch cl-0' }),
          `${t('map.legend.nocluster')} (${formatNumber(none)})`));
      }
    }
    items.push(
      h('li', null, h('span', { class: 'swatch line-swatch road-swatch' }), t('map.legend.road')),
      h('li', null, h('span', { class: 'swatch line-swatch area-swatch' }), t('map.legend.area')),
      h('li', null, h('span', { class: 'swatch line-swatch cell-swatch' }), t('map.legend.cell')),
    );
    return h('ul', { class: 'map-legend', id: 'map-legend', 'aria-label': t('map.legend') }, items);
  }

  // The grids whose team the user is on, for a grid worker; null for
  // those who see every grid.
  async function myGrids() {
    if (!app.user || app.user.role !== 'grid_worker') return null;
    const parts = await Promise.all(state.grids.map((g) => api('GET', `/grids/${g.id}`)));
    return new Set(parts.filter((p) => (p.data.members || []).includes(app.user.id)).map((p) => p.data.grid.id));
  }

  async function setColour(c) {
    state.colour = c;
    syncUrl();
    if (c === 'alerts' && !state.alerts && !state.alertsError) {
      drawToolbar();
      try {
        const [a, scope] = await Promise.all([api('GET', '/alerts'), myGrids()]);
        state.alerts = a.data.items || [];
        state.scope = scope;
      } catch (e) {
        state.alertsError = e;
      }
      if (!ctx.alive()) return;
    }
    colourDots();
    drawToolbar();
    drawPanel();
  }

  function drawToolbar() {
    const choice = (value) => {
      const input = h('input', {
        type: 'radio', name: 'colour', value, id: `colour-${value}`, checked: state.colour === value,
      });
      input.addEventListener('change', () => { if (input.checked) setColour(value); });
      return h('label', { class: 'seg', for: `colour-${value}` }, input, h('span', null, t(`map.colour.${value}`)));
    };
    el.toolbar.replaceChildren(...[
      mayEditGrids(app.user) && !state.editor ? h('div', { class: 'map-actions' }, drawButton(startEdit)) : null,
      h('fieldset', { class: 'segmented', id: 'map-colour' },
        h('legend', { class: 'seg-legend' }, t('map.colour')), choice('cluster'), choice('alerts')),
      legend()].filter(Boolean));
  }

  // ---- the side panel ----

  async function select(id) {
    state.selected = id;
    syncUrl();
    markSelection();
    drawPanel();
    if (!state.contents.has(id)) {
      state.contents.set(id, null);
      try {
        state.contents.set(id, await loadGridContents(state.tree, id));
      } catch (e) {
        state.contents.set(id, { error: e });
      }
      if (ctx.alive() && state.selected === id) drawPanel();
    }
  }

  function pick(e) {
    state.picked = e;
    const dot = el.dots.querySelector(`[data-id="${e.id}"]`);
    if (dot) showTip(e, dot);
    colourDots();
    drawPanel();
  }

  function gridButton(g, extra) {
    return h('button', {
      type: 'button', class: ['grid-item', state.selected === g.id && 'is-selected'], 'data-testid': 'grid-item',
      'data-code': g.code, 'data-id': g.id, onclick: () => select(g.id),
    },
    h('span', { class: 'grid-item-name' }, localName(g)),
    h('span', { class: 'grid-item-code mono' }, g.code),
    extra || h('span', { class: 'grid-item-count' }, formatNumber(state.tree.total(g))));
  }

  function pickedCard() {
    const e = state.picked;
    if (!e) return null;
    const cluster = state.clusters.find((c) => c.id === e.cluster_id);
    const grid = state.tree.byId.get(e.grid_id);
    const alerts = state.alerts ? alertMap().get(e.id) : null;
    const close = h('button', { type: 'button', class: 'flash-close', 'aria-label': t('common.close') }, icon('close'));
    close.addEventListener('click', () => { state.picked = null; hideTip(); colourDots(); drawPanel(); });
    return h('div', { class: 'picked', 'data-testid': 'picked-enterprise', 'data-id': e.id },
      h('div', { class: 'picked-head' },
        h('a', { class: 'picked-name', href: `/enterprises/${e.id}`, 'data-testid': 'picked-link' }, localName(e)), close),
      otherName(e) ? h('p', { class: 'muted small', lang: otherLang() }, otherName(e)) : null,
      h('p', { class: 'small' },
        cluster ? h('span', { class: `swatch dot-swatch cl-${clusterIndex().get(cluster.id)}` }) : null,
        cluster ? localName(cluster) : t('map.legend.nocluster'),
        grid ? [' · ', h('a', { href: `/grids/${grid.id}` }, `${localName(grid)} ${grid.code}`)] : null),
      alerts && alerts.length ? h('p', { class: 'small alert-count' }, t('map.alerts.n', { n: alerts.length })) : null);
  }

  function gridPanel(g) {
    const c = state.contents.get(g.id);
    const kids = state.tree.kids(g.id);
    const crumbs = state.tree.ancestors(g);
    const parts = [
      h('nav', { class: 'panel-crumbs', 'aria-label': t('nav.breadcrumb') },
        h('button', { type: 'button', class: 'btn-link linklike', onclick: () => { state.selected = null; syncUrl(); markSelection(); drawPanel(); } },
          t('map.all')),
        crumbs.map((a) => h('button', { type: 'button', class: 'btn-link linklike', onclick: () => select(a.id) }, localName(a)))),
      h('h2', { class: 'panel-title', id: 'panel-title', 'data-testid': 'panel-title' }, localName(g),
        h('span', { class: 'badge' }, g.code)),
      otherName(g) ? h('p', { class: 'muted small', lang: otherLang() }, otherName(g)) : null,
      h('dl', { class: 'fields fields-compact panel-facts' },
        h('div', { class: 'field-row' }, h('dt', null, t('grid.level')), h('dd', null, label('grid.level', g.level))),
        h('div', { class: 'field-row' }, h('dt', null, t('grid.enterprises')),
          h('dd', { 'data-testid': 'panel-count' }, c && !c.error ? formatNumber(c.enterprises.length) : formatNumber(state.tree.total(g)))),
        h('div', { class: 'field-row' }, h('dt', null, t('grid.area')), h('dd', { 'data-testid': 'panel-area' }, formatKm2(g.area_km2))),
        c && !c.error && !kids.length ? h('div', { class: 'field-row' }, h('dt', null, t('grid.team')),
          h('dd', { 'data-testid': 'panel-team' }, c.team.length ? c.team.map((m) => memberName(m, app.user)).join('、') : t('grid.team.none'))) : null),
      h('a', { class: 'btn btn-secondary btn-block', href: `/grids/${g.id}`, 'data-testid': 'panel-grid-link' },
        t('map.open.grid')),
      mayEditGrids(app.user) ? editButtons(g, startEdit, !kids.length) : null,
      state.editError ? h('div', { class: 'alert alert-error', role: 'alert' }, state.editError.message) : null,
    ];
    if (kids.length) {
      parts.push(h('h3', { class: 'sub-title' }, t('grid.children')),
        h('div', { class: 'grid-items' }, kids.map((k) => gridButton(k))));
    }
    parts.push(h('h3', { class: 'sub-title' }, t('grid.enterprises')));
    if (!c) {
      parts.push(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
    } else if (c.error) {
      parts.push(h('div', { class: 'alert alert-error', role: 'alert' }, c.error.message));
    } else if (!c.enterprises.length) {
      parts.push(h('p', { class: 'muted' }, t('grid.enterprises.none')));
    } else {
      const ci = clusterIndex();
      const am = state.alerts ? alertMap() : null;
      parts.push(h('ul', { class: 'panel-list', 'data-testid': 'panel-enterprises' }, c.enterprises.map((e) => h('li', {
        'data-testid': 'panel-enterprise', 'data-id': e.id,
      },
      h('span', {
        class: `swatch dot-swatch ${state.colour === 'alerts' && am ? alertClass(e, am) : `cl-${ci.get(e.cluster_id) || 0}`}`,
      }),
      h('a', { href: `/enterprises/${e.id}` }, localName(e) || `#${e.id}`)))));
    }
    return parts;
  }

  function overviewPanel() {
    const roots = state.tree.roots;
    const rows = (g, depth) => [
      h('li', { class: `tree-${depth}` }, gridButton(g)),
      ...state.tree.kids(g.id).flatMap((k) => rows(k, depth + 1)),
    ];
    return [
      h('h2', { class: 'panel-title', id: 'panel-title' }, t('map.panel.title')),
      h('p', { class: 'muted small' }, t('map.panel.hint')),
      h('ul', { class: 'grid-tree' }, roots.flatMap((g) => rows(g, 0))),
    ];
  }

  function drawPanel() {
    if (state.editor) {
      el.panel.replaceChildren(state.editor.panel());
      el.panel.setAttribute('aria-labelledby', 'panel-title');
      return;
    }
    const g = state.selected && state.tree.byId.get(state.selected);
    el.panel.replaceChildren(...[pickedCard(), ...(g ? gridPanel(g) : overviewPanel())].filter(Boolean));
    el.panel.setAttribute('aria-labelledby', 'panel-title');
  }

  // ---- the editor ----

  async function startEdit(mode, g) {
    state.editError = null;
    let loaded = null;
    if (g) {
      try {
        loaded = await loadForEdit(g.id);
      } catch (e) {
        state.editError = e;
        drawPanel();
        return;
      }
      if (!ctx.alive()) return;
    }
    stopEdit();
    state.picked = null;
    hideTip();
    state.editor = gridEditor({
      mode, grid: loaded && loaded.grid, etag: loaded && loaded.etag, grids: state.grids, app,
      selected: state.selected ? state.tree.byId.get(state.selected) : null,
      onDone(message, id) {
        stopEdit();
        app.flash(message);
        app.navigate(`/map?grid=${id}`, { replace: true });
      },
      onCancel() {
        stopEdit();
        syncUrl();
        drawToolbar();
        drawPanel();
        const back = el.panel.querySelector('#grid-edit-shape, #grid-split') || el.toolbar.querySelector('#grid-draw');
        if (back) back.focus();
      },
    });
    state.editor.attach(el.map, el.proj, W, el.height);
    drawToolbar();
    drawPanel();
    const first = el.panel.querySelector('#ge-code');
    if (first) first.focus({ preventScroll: true });
  }

  function stopEdit() {
    if (state.editor) state.editor.destroy();
    state.editor = null;
  }

  // ---- the page ----

  function draw() {
    app.setTitle(t('map.title'));
    const town = state.grids.find((g) => g.level === 'town');
    const head = h('div', { class: 'page-head' }, h('div', null,
      h('h1', null, t('map.title')),
      h('p', { class: 'muted' }, town
        ? t('map.intro', { name: localName(town), area: formatKm2(town.area_km2), n: formatNumber(state.enterprises.length) })
        : t('map.intro.none'))));
    if (state.error) {
      root.replaceChildren(head, h('div', { class: 'alert alert-error', role: 'alert' },
        state.error.status === 403 ? t('common.forbidden') : state.error.message));
      return;
    }
    if (!state.grids.length) {
      root.replaceChildren(head, h('p', { class: 'muted' }, t('map.empty')));
      return;
    }
    el.toolbar = h('div', { class: 'card map-toolbar' });
    el.panel = h('section', { class: 'card map-panel', id: 'map-panel', 'data-testid': 'map-panel', 'aria-live': 'polite' });
    const canvas = h('div', { class: 'card map-canvas' }, buildMap());
    root.replaceChildren(head, h('div', { class: 'map-layout' }, canvas,
      h('aside', { class: 'map-side' }, el.toolbar, el.panel)));
    fitLabels();
    if (state.editor) state.editor.attach(el.map, el.proj, W, el.height);
    drawToolbar();
    colourDots();
    markSelection();
    drawPanel();
  }

  draw();
  if (state.colour === 'alerts') setColour('alerts');
  if (state.selected) select(state.selected);
  // A grid page's "edit" and "split" links open the editor here.
  const ask = ctx.query.get('edit');
  if (mayEditGrids(app.user) && state.tree && !state.error) {
    const g = state.selected && state.tree.byId.get(state.selected);
    if (ask === 'draw') startEdit('draw', null);
    else if (g && (ask === 'shape' || ask === 'split')) startEdit(ask === 'shape' ? 'edit' : 'split', g);
  }
  return { onLang: draw, leave: stopEdit };
}
