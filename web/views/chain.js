// A cluster's industrial chain: the chain map (GET /clusters/{id}/chain)
// with a side panel for one node (GET /chain/nodes/{id}), the local
// sourcing rate over the years, the ranked gaps and the supply loops.
// The year and the chosen node live in the address bar. Those who may
// keep the template switch to an edit mode (chainedit.js).
import { h, icon, keepFocus } from '../dom.js';
import { t, label, localName, otherName, otherLang, formatNumber, isZh, getLang } from '../i18n.js';
import { api, getClusters } from '../api.js';
import { chainMap, lineChart } from '../chainmap.js';
import { chainEditor, mayEditChain } from '../chainedit.js';
import { mayReadChains, mayReadLeads } from '../access.js';

const FIRST_YEAR = 2016;
const STATES = ['covered', 'outside_only', 'gap'];
const OPEN_STAGES = ['contacted', 'visited', 'negotiating', 'signed'];

// Who may read the chain pages and the leads, mirroring the server.
export { mayReadChains, mayReadLeads };

// An amount in 10,000 CNY a year: 万元 in Chinese, millions of CNY in
// English.
export function amount(v) {
  if (v === null || v === undefined) return t('common.none');
  const n = isZh() ? Math.round(v) : Math.round(v) / 100;
  return t('chain.amount', { v: formatNumber(n) });
}

export function percent(rate) {
  if (rate === null || rate === undefined) return t('common.none');
  return new Intl.NumberFormat(getLang(), { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 })
    .format(rate);
}

function parseYear(v) {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1990 && n <= 2100 ? n : null;
}

export async function render(ctx) {
  const { root, app, params, query } = ctx;
  const id = Number(params.id);
  const state = {
    year: parseYear(query.get('year')),
    selected: Number(query.get('node')) || null,
    clusters: [], chain: null, error: null, status: 0,
    loc: null, locError: null, gaps: null, gapsError: null, loops: null, loopsError: null,
    detail: null, detailError: null, detailFor: null,
    mapLoading: false, editing: false,
  };
  const el = {};
  let map = null;
  let detailSeq = 0;

  app.setTitle(t('chain.title.short'));
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));

  const yearQuery = () => (state.year ? { year: state.year } : undefined);
  const settle = (p) => p.then((r) => ({ ok: r }), (e) => ({ err: e }));

  const [clusters, chain, loc, gaps, loops] = await Promise.all([
    getClusters().catch(() => []),
    settle(api('GET', `/clusters/${id}/chain`, { query: yearQuery() })),
    settle(api('GET', `/clusters/${id}/localisation`)),
    settle(api('GET', `/clusters/${id}/gaps`)),
    settle(api('GET', `/clusters/${id}/loops`, { query: yearQuery() })),
  ]);
  if (!ctx.alive()) return null;
  state.clusters = clusters;
  if (chain.err) {
    state.error = chain.err.message;
    state.status = chain.err.status;
  } else {
    state.chain = chain.ok.data;
  }
  if (loc.err) state.locError = loc.err.message; else state.loc = loc.ok.data;
  if (gaps.err) state.gapsError = gaps.err.message; else state.gaps = gaps.ok.data.items || [];
  if (loops.err) state.loopsError = loops.err.message; else state.loops = loops.ok.data;

  // The editor, for those who may keep this cluster's template.
  const editor = mayEditChain(app.user, id) ? chainEditor({
    clusterId: id,
    chain: () => state.chain,
    reload: reloadChain,
    select: (nodeId) => select(nodeId),
    mark: markPicks,
    alive: () => ctx.alive(),
  }) : null;

  const nodeById = () => new Map((state.chain ? state.chain.nodes : []).map((n) => [n.id, n]));
  const clusterName = () => {
    const c = state.clusters.find((x) => x.id === id) || (state.chain && state.chain.cluster);
    return c ? localName(c) : `#${id}`;
  };

  function syncUrl() {
    const p = new URLSearchParams();
    if (state.year) p.set('year', String(state.year));
    if (state.selected) p.set('node', String(state.selected));
    const s = p.toString();
    const url = `/clusters/${id}/chain${s ? `?${s}` : ''}`;
    if (location.pathname + location.search !== url) {
      history.replaceState(null, '', url);
      app.pathChanged();
    }
  }

  // ---- the year: the map and the loops depend on it ----

  async function setYear(year) {
    state.year = year;
    syncUrl();
    state.mapLoading = true;
    el.mapCard.setAttribute('aria-busy', 'true');
    const [c, l] = await Promise.all([
      settle(api('GET', `/clusters/${id}/chain`, { query: yearQuery() })),
      settle(api('GET', `/clusters/${id}/loops`, { query: yearQuery() })),
    ]);
    if (!ctx.alive() || state.year !== year) return;
    state.mapLoading = false;
    if (c.err) { state.error = c.err.message; state.status = c.err.status; draw(); return; }
    state.chain = c.ok.data;
    if (l.err) { state.loopsError = l.err.message; state.loops = null; } else { state.loops = l.ok.data; state.loopsError = null; }
    drawMap();
    drawPanel();
    drawLoops();
  }

  // After an edit: the map, the gaps and the chosen node read again.
  async function reloadChain() {
    const [c, g] = await Promise.all([
      settle(api('GET', `/clusters/${id}/chain`, { query: yearQuery() })),
      settle(api('GET', `/clusters/${id}/gaps`)),
    ]);
    if (!ctx.alive()) return;
    if (c.err) { state.error = c.err.message; state.status = c.err.status; draw(); return; }
    state.chain = c.ok.data;
    if (g.err) { state.gapsError = g.err.message; state.gaps = null; } else { state.gaps = g.ok.data.items || []; state.gapsError = null; }
    if (state.selected && !nodeById().has(state.selected)) state.selected = null;
    drawMap();
    if (editor) editor.refresh();
    drawGaps();
    if (state.selected) select(state.selected); else drawPanel();
  }

  // The two nodes chosen for a new edge, marked in the map.
  function markPicks({ from, to, picking }) {
    if (!el.scroll) return;
    const svg = el.scroll.querySelector('svg');
    if (svg) svg.classList.toggle('is-picking', picking);
    for (const g of el.scroll.querySelectorAll('[data-testid=chain-node]')) {
      const nid = Number(g.getAttribute('data-id'));
      g.classList.toggle('is-pick-from', nid === from);
      g.classList.toggle('is-pick-to', nid === to);
    }
  }

  function setEditing(on) {
    state.editing = on;
    if (!on && editor) editor.stopPicking();
    draw();
    const toggle = root.querySelector('#chain-edit-toggle');
    if (toggle) toggle.focus();
  }

  // ---- one node ----

  async function select(nodeId, { scroll = false } = {}) {
    state.selected = nodeId;
    syncUrl();
    if (map) map.select(nodeId);
    if (!nodeId) { state.detail = null; drawPanel(); return; }
    const mySeq = ++detailSeq;
    state.detail = null;
    state.detailError = null;
    state.detailFor = nodeId;
    drawPanel();
    if (scroll) el.mapCard.scrollIntoView({ block: 'start', behavior: 'smooth' });
    try {
      const r = await api('GET', `/chain/nodes/${nodeId}`);
      if (mySeq !== detailSeq || !ctx.alive()) return;
      state.detail = r.data;
    } catch (e) {
      if (mySeq !== detailSeq || !ctx.alive()) return;
      state.detailError = e.message;
    }
    drawPanel();
  }

  // ---- drawing ----

  function stateLabel(st) { return t(`chain.state.${st}`); }

  function yearSelect() {
    const now = new Date().getFullYear();
    const years = [];
    for (let y = Math.max(now, state.year || 0); y >= Math.min(FIRST_YEAR, state.year || FIRST_YEAR); y--) years.push(y);
    const sel = h('select', { id: 'chain-year', name: 'year', class: 'input' },
      h('option', { value: '' }, t('chain.year.all')),
      years.map((y) => h('option', { value: String(y) }, String(y))));
    sel.value = state.year ? String(state.year) : '';
    sel.addEventListener('change', () => setYear(parseYear(sel.value)));
    return sel;
  }

  function clusterSelect() {
    const sel = h('select', { id: 'chain-cluster', name: 'cluster', class: 'input' },
      state.clusters.map((c) => h('option', { value: String(c.id) }, localName(c))));
    if (!state.clusters.some((c) => c.id === id)) sel.append(h('option', { value: String(id) }, clusterName()));
    sel.value = String(id);
    sel.addEventListener('change', () => {
      const q = state.year ? `?year=${state.year}` : '';
      app.navigate(`/clusters/${sel.value}/chain${q}`);
    });
    return sel;
  }

  function breadcrumb() {
    return h('nav', { class: 'breadcrumb', 'aria-label': t('nav.breadcrumb') },
      h('a', { href: '/clusters' }, icon('back'), h('span', null, t('clusters.title'))),
      h('span', { class: 'crumb-current', 'aria-current': 'page' }, clusterName()));
  }

  function draw() {
    app.setTitle(`${clusterName()} · ${t('chain.title.short')}`);
    if (state.error) {
      root.replaceChildren(breadcrumb(),
        h('h1', null, state.status === 404 ? t('common.notfound.title') : t('chain.title.short')),
        h('div', { class: 'alert alert-error', role: 'alert' },
          state.status === 403 ? t('common.forbidden') : state.error),
        h('p', null, h('a', { href: '/clusters' }, t('common.back'))));
      return;
    }
    const head = h('div', { class: 'page-head chain-head' },
      h('div', null,
        h('h1', { id: 'chain-title' }, t('chain.title', { cluster: clusterName() })),
        h('p', { class: 'muted' }, t('chain.intro'))),
      h('div', { class: 'chain-controls' },
        h('div', { class: 'field field-compact' }, h('label', { for: 'chain-cluster' }, t('chain.cluster')), clusterSelect()),
        h('div', { class: 'field field-compact' }, h('label', { for: 'chain-year' }, t('chain.year')), yearSelect()),
        editor ? h('button', {
          type: 'button', class: ['btn', state.editing ? 'btn-primary' : 'btn-secondary', 'chain-edit-toggle'],
          id: 'chain-edit-toggle', 'aria-pressed': state.editing ? 'true' : 'false', 'aria-controls': 'chain-editor',
          onclick: () => setEditing(!state.editing),
        }, icon('edit'), h('span', null, t(state.editing ? 'ce.toggle.done' : 'ce.toggle'))) : null));

    el.legend = h('div', { class: 'chain-legend-wrap' });
    el.scroll = h('div', { class: 'chain-scroll', tabindex: '0', 'aria-label': t('chain.map.scroll') });
    el.note = h('p', { class: 'hint chain-year-note' });
    el.mapCard = h('section', { class: 'card chain-map-card', 'aria-labelledby': 'sec-chain-map' },
      h('h2', { id: 'sec-chain-map', class: 'card-title' }, t('chain.map.title')),
      el.legend, el.scroll, el.note);
    el.panel = h('aside', { class: 'card chain-panel', id: 'node-panel', 'data-testid': 'node-panel', 'aria-live': 'polite' });
    el.loc = h('section', { class: 'card', 'data-section': 'localisation', 'aria-labelledby': 'sec-loc' });
    el.gaps = h('section', { class: 'card', 'data-section': 'gaps', 'aria-labelledby': 'sec-gaps' });
    el.loops = h('section', { class: 'card', 'data-section': 'loops', 'aria-labelledby': 'sec-loops' });

    root.replaceChildren(breadcrumb(), head,
      editor && state.editing ? editor.card() : '',
      h('div', { class: ['chain-layout', state.editing && 'is-editing'] }, el.mapCard, el.panel),
      h('div', { class: 'chain-lower' }, el.loc, el.gaps),
      el.loops);
    drawMap();
    drawPanel();
    drawLocalisation();
    drawGaps();
    drawLoops();
  }

  function drawMap() {
    const c = state.chain;
    el.mapCard.removeAttribute('aria-busy');
    // A retired node keeps its place on the map but is counted apart.
    const live = c.nodes.filter((n) => !n.retired);
    const retired = c.nodes.length - live.length;
    const counts = Object.fromEntries(STATES.map((st) => [st, live.filter((n) => n.state === st).length]));
    el.legend.replaceChildren(
      h('p', { class: 'chain-summary', 'data-testid': 'chain-summary' },
        t('chain.summary', { n: formatNumber(c.nodes.length), gaps: formatNumber(counts.gap) })),
      h('ul', { class: 'chain-legend', 'aria-label': t('chain.legend.title') },
        STATES.map((st) => h('li', { class: `legend-item legend-${st}`, 'data-state': st },
          h('span', { class: `swatch swatch-${st}`, 'aria-hidden': 'true' }),
          h('span', null, t(`chain.legend.${st}`)),
          h('span', { class: 'legend-count' }, formatNumber(counts[st])))),
        h('li', { class: 'legend-item' }, h('span', { class: 'swatch swatch-edge', 'aria-hidden': 'true' }),
          h('span', null, t('chain.legend.edge'))),
        h('li', { class: 'legend-item' }, h('span', { class: 'swatch swatch-leads', 'aria-hidden': 'true' }),
          h('span', null, t('chain.legend.leads'))),
        retired ? h('li', { class: 'legend-item legend-retired', 'data-state': 'retired' },
          h('span', { class: 'swatch swatch-retired', 'aria-hidden': 'true' }),
          h('span', null, t('ce.legend.retired')),
          h('span', { class: 'legend-count' }, formatNumber(retired))) : null));
    el.note.textContent = state.year ? t('chain.year.hint', { year: state.year }) : t('chain.year.hint.all');
    if (!c.nodes.length) {
      map = null;
      el.scroll.replaceChildren(h('p', { class: 'muted' }, t('chain.empty')));
      return;
    }
    map = chainMap({
      nodes: c.nodes,
      edges: c.edges || [],
      selected: state.selected,
      title: t('chain.map.aria', { cluster: clusterName() }),
      name: (n) => localName(n),
      stageLabel: (st, n) => t('chain.stage.count', { stage: label('stage', st), n }),
      lines: (n) => [
        t('chain.node.makers', { p: n.producers_in_park, o: n.producers_outside }),
        t('chain.node.buyers', { c: n.consumers_in_park }),
      ],
      leadsLabel: (n) => (n.open_leads ? t('chain.node.leads', { n: n.open_leads }) : null),
      badge: (n) => (n.retired ? { text: t('ce.retired.badge'), kind: 'retired' }
        : n.state === 'gap' ? { text: t('chain.badge.gap'), kind: 'gap' }
        : n.state === 'outside_only' ? { text: t('chain.badge.outside_only'), kind: 'outside' } : null),
      nodeLabel: (n) => t('chain.node.aria', {
        name: localName(n), stage: label('stage', n.stage),
        state: n.retired ? t('ce.retired.badge') : stateLabel(n.state),
        p: n.producers_in_park, o: n.producers_outside, c: n.consumers_in_park, l: n.open_leads,
      }),
      onSelect: (n) => {
        if (editor && state.editing && editor.picking()) editor.pick(n);
        else select(n.id === state.selected ? null : n.id);
      },
    });
    el.scroll.replaceChildren(map.svg);
    map.fit();
  }

  function drawPanel() {
    const panel = el.panel;
    const n = state.selected ? nodeById().get(state.selected) : null;
    if (!state.selected || !n) {
      panel.classList.remove('is-open');
      panel.replaceChildren(
        h('h2', { class: 'card-title' }, t('chain.panel.title')),
        h('p', { class: 'muted', 'data-testid': 'panel-hint' }, t(state.editing ? 'ce.panel.hint' : 'chain.panel.hint')));
      return;
    }
    panel.classList.add('is-open');
    const d = state.detail && state.detail.node && state.detail.node.id === n.id ? state.detail : null;
    const close = h('button', {
      type: 'button', class: 'btn btn-ghost panel-close', id: 'panel-close', 'aria-label': t('common.close'),
      onclick: () => { const was = state.selected; select(null); if (map) map.focus(was); },
    }, icon('close'));
    const parts = [
      h('div', { class: 'panel-head' },
        h('div', null,
          h('h2', { class: 'panel-title', id: 'panel-title', 'data-testid': 'panel-title' }, localName(n)),
          otherName(n) ? h('p', { class: 'muted small', lang: otherLang() }, otherName(n)) : null),
        close),
      h('div', { class: 'badges' },
        n.retired ? h('span', { class: 'badge badge-muted', 'data-testid': 'retired-badge' }, t('ce.retired.badge')) : null,
        h('span', { class: `badge state-badge state-badge-${n.state}` }, stateLabel(n.state)),
        h('span', { class: 'badge' }, label('stage', n.stage)),
        n.kind ? h('span', { class: 'badge badge-muted' }, label('kind', n.kind)) : null),
      h('dl', { class: 'fields fields-compact panel-figures' },
        figure(t('chain.fig.capacity'), amount(n.capacity_in_park)),
        figure(t('chain.fig.demand'), amount(n.demand_in_park)),
        figure(t('chain.fig.value_in_park'), amount(n.value_in_park)),
        figure(t('chain.fig.value_from_outside'), amount(n.value_from_outside))),
      editor && state.editing ? editor.nodeTools(n) : null,
    ];
    if (state.detailError && state.detailFor === n.id) {
      parts.push(h('div', { class: 'alert alert-error', role: 'alert' }, state.detailError));
    } else if (!d) {
      parts.push(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
    } else {
      // For a gap, or a node made only outside, the leads aimed at it
      // matter most: they come first.
      const leads = mayReadLeads(app.user) ? leadList(d.leads || []) : null;
      const leadsFirst = n.state !== 'covered';
      parts.push(
        leadsFirst ? leads : null,
        entList('producers', t('chain.panel.producers', { n: d.producers.length }), d.producers, 'capacity'),
        entList('consumers', t('chain.panel.consumers', { n: d.consumers.length }), d.consumers, 'need'),
        leadsFirst ? null : leads);
    }
    // The panel is drawn again when the node's detail arrives: a field
    // of the node's tools being typed in keeps the focus.
    keepFocus(panel, () => panel.replaceChildren(...parts.filter(Boolean)));
  }

  function figure(dt, dd) {
    return h('div', { class: 'field-row' }, h('dt', null, dt), h('dd', null, dd));
  }

  function entList(key, title, list, what) {
    // In the park first (the server's order within each group).
    const sorted = list.filter((x) => x.in_park !== false).concat(list.filter((x) => x.in_park === false));
    return h('section', { class: 'panel-section', 'data-list': key },
      h('h3', { class: 'panel-sub' }, title),
      sorted.length
        ? h('ul', { class: 'ent-mini-list', 'data-testid': key }, sorted.map((x) => h('li', {
          class: ['ent-mini', x.in_park === false && 'is-outside'], 'data-in-park': x.in_park === false ? 'false' : 'true',
        },
        h('a', { href: `/enterprises/${x.id}` }, localName(x) || `#${x.id}`),
        x.in_park === false ? h('span', { class: 'badge badge-muted' }, t('chain.panel.outside')) : null,
        typeof x.amount === 'number'
          ? h('span', { class: 'ent-mini-amount' }, t(`chain.panel.${what}`, { v: amount(x.amount) })) : null)))
        : h('p', { class: 'muted small' }, t('chain.panel.none')));
  }

  function leadList(leads) {
    const order = (l) => (OPEN_STAGES.includes(l.stage) ? 0 : l.stage === 'settled' ? 1 : 2);
    const sorted = leads.slice().sort((a, b) => order(a) - order(b));
    return h('section', { class: 'panel-section', 'data-list': 'leads' },
      h('h3', { class: 'panel-sub' }, t('chain.panel.leads', { n: leads.length })),
      sorted.length
        ? h('ul', { class: 'lead-mini-list', 'data-testid': 'node-leads' }, sorted.map((l) => h('li', {
          class: 'lead-mini', 'data-testid': 'node-lead', 'data-stage': l.stage,
        },
        h('div', { class: 'lead-mini-head' },
          h('span', { class: 'lead-mini-name' }, localName(l, 'name', 'name_en')),
          h('span', { class: `lead-stage lead-stage-${l.stage}` }, label('lead.stage', l.stage))),
        h('div', { class: 'muted small' }, t('chain.panel.introduced'), ' ',
          l.introduced_by_enterprise_id
            ? h('a', { href: `/enterprises/${l.introduced_by_enterprise_id}` }, localName(l, 'introduced_by', 'introduced_by_en') || `#${l.introduced_by_enterprise_id}`)
            : (localName(l, 'introduced_by', 'introduced_by_en') || t('common.none'))))))
        : h('p', { class: 'muted small' }, t('chain.panel.noleads')),
      h('p', { class: 'small' }, h('a', { href: `/pipeline?cluster=${id}` }, t('chain.panel.pipeline'))));
  }

  function drawLocalisation() {
    const box = el.loc;
    const title = h('h2', { id: 'sec-loc', class: 'card-title' }, t('chain.loc.title'));
    if (state.locError || !state.loc) {
      box.replaceChildren(title, h('div', { class: 'alert alert-error', role: 'alert' }, state.locError || t('common.none')));
      return;
    }
    const L = state.loc;
    const clusterSeries = L.cluster || [];
    const leadingSeries = L.leading || [];
    const years = [...new Set([...clusterSeries, ...leadingSeries].map((p) => p.year))].sort((a, b) => a - b);
    const valueAt = (series) => years.map((y) => {
      const p = series.find((x) => x.year === y);
      return p && typeof p.rate === 'number' ? p.rate : null;
    });
    const leader = state.leader;
    const leaderName = leader ? localName(leader) : (L.leading_enterprise_id ? `#${L.leading_enterprise_id}` : '');
    const series = [{ key: 'cluster', label: clusterName(), values: valueAt(clusterSeries) }];
    if (L.leading_enterprise_id) series.push({ key: 'leading', label: leaderName, values: valueAt(leadingSeries) });
    if (!years.length) {
      box.replaceChildren(title, h('p', { class: 'muted' }, t('chain.loc.empty')));
      return;
    }
    const last = years.length - 1;
    box.replaceChildren(title,
      h('p', { class: 'muted small' }, t('chain.loc.intro')),
      h('ul', { class: 'chart-legend' },
        h('li', null, h('span', { class: 'swatch swatch-series-1', 'aria-hidden': 'true' }),
          t('chain.loc.cluster', { name: clusterName() }), ' ',
          h('strong', { 'data-testid': 'loc-cluster-latest' }, percent(series[0].values[last]))),
        series[1] ? h('li', null, h('span', { class: 'swatch swatch-series-2', 'aria-hidden': 'true' }),
          t('chain.loc.leading'), ' ',
          h('a', { href: `/enterprises/${L.leading_enterprise_id}` }, leaderName), ' ',
          h('strong', { 'data-testid': 'loc-leading-latest' }, percent(series[1].values[last]))) : null),
      h('div', { class: 'chart-scroll' }, lineChart({
        years, series, format: percent,
        title: t('chain.loc.aria', { cluster: clusterName(), from: years[0], to: years[last] }),
      })));
  }

  function drawGaps() {
    const box = el.gaps;
    const title = h('h2', { id: 'sec-gaps', class: 'card-title' }, t('chain.gaps.title'));
    if (state.gapsError || !state.gaps) {
      box.replaceChildren(title, h('div', { class: 'alert alert-error', role: 'alert' }, state.gapsError || t('common.none')));
      return;
    }
    if (!state.gaps.length) {
      box.replaceChildren(title, h('p', { class: 'muted' }, t('chain.gaps.empty')));
      return;
    }
    box.replaceChildren(title,
      h('p', { class: 'muted small' }, t('chain.gaps.intro')),
      h('ol', { class: 'gap-list', 'data-testid': 'gaps' }, state.gaps.map((g) => {
        const open = (g.leads || []).filter((l) => OPEN_STAGES.includes(l.stage));
        return h('li', { class: `gap-item gap-${g.state}`, 'data-testid': 'gap', 'data-code': g.node.code },
          h('div', { class: 'gap-head' },
            h('button', {
              type: 'button', class: 'btn btn-link gap-name', onclick: () => select(g.node.id, { scroll: true }),
              title: t('chain.gaps.show'),
            }, localName(g.node)),
            h('span', { class: `badge state-badge state-badge-${g.state}` }, stateLabel(g.state))),
          h('p', { class: 'gap-figures small' },
            h('span', null, t('chain.gaps.demand', { v: amount(g.demand_in_park) })),
            h('span', null, t('chain.gaps.consumers', { n: formatNumber(g.consumers_in_park) })),
            g.value_from_outside ? h('span', null, t('chain.gaps.outside', { v: amount(g.value_from_outside) })) : null),
          mayReadLeads(app.user)
            ? h('p', { class: 'gap-leads small' }, open.length
              ? [t('chain.gaps.leads'), ' ', open.map((l, i) => [i ? '、' : '', h('span', { class: 'gap-lead' }, localName(l, 'name', 'name_en')),
                ' ', h('span', { class: `lead-stage lead-stage-${l.stage}` }, label('lead.stage', l.stage))])]
              : h('span', { class: 'muted' }, t('chain.gaps.noleads')))
            : null);
      })));
  }

  function drawLoops() {
    const box = el.loops;
    const title = h('h2', { id: 'sec-loops', class: 'card-title' }, t('chain.loops.title'));
    if (state.loopsError || !state.loops) {
      box.replaceChildren(title, h('div', { class: 'alert alert-error', role: 'alert' }, state.loopsError || t('common.none')));
      return;
    }
    const { items: loops = [], near_loops: near = [] } = state.loops;
    const nodes = nodeById();
    const entLink = (x) => h('a', { href: `/enterprises/${x.id}` }, localName(x) || `#${x.id}`);
    box.replaceChildren(title,
      h('p', { class: 'muted small' }, t('chain.loops.intro')),
      loops.length
        ? h('ol', { class: 'loop-list', 'data-testid': 'loops' }, loops.map((lp, i) => h('li', { class: 'loop', 'data-testid': 'loop' },
          h('h3', { class: 'panel-sub' }, t('chain.loops.loop', { n: i + 1, size: lp.size })),
          h('ul', { class: 'loop-members' }, (lp.members || []).map((m) => h('li', null, entLink(m)))))))
        : h('p', { class: 'muted' }, t('chain.loops.empty')),
      near.length ? h('div', { class: 'near-loops' },
        h('h3', { class: 'panel-sub' }, t('chain.loops.near')),
        h('ul', { class: 'near-list', 'data-testid': 'near-loops' }, near.map((nl) => {
          const node = nodes.get(nl.node_id);
          return h('li', null, entLink(nl.supplier), h('span', { class: 'arrow', 'aria-hidden': 'true' }, ' → '),
            h('span', { class: 'visually-hidden' }, t('chain.loops.to')), entLink(nl.customer),
            h('span', { class: 'muted small' }, ' · ', node ? localName(node) : `#${nl.node_id}`,
              ' · ', t('chain.loops.need', { v: amount(nl.need) })));
        }))) : '');
  }

  draw();
  if (state.selected && state.chain) select(state.selected);

  // The leading enterprise's name for the chart's legend.
  const leadId = state.loc && state.loc.leading_enterprise_id;
  if (leadId && !state.error) {
    api('GET', `/enterprises/${leadId}`, { noAuthRedirect: true })
      .then((r) => { state.leader = r.data; if (ctx.alive() && el.loc) drawLocalisation(); })
      .catch(() => null);
  }

  return {
    onLang: () => {
      draw();
      if (map && state.selected) map.select(state.selected);
    },
  };
}
