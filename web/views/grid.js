// One grid: where it lies, its team, its enterprises (with those of the
// grids inside it, since an enterprise is placed in the smallest grid)
// with a button to record a visit, and their alerts.
import { h, icon } from '../dom.js';
import { t, label, localName, otherName, otherLang, formatNumber, getLang } from '../i18n.js';
import { api, getClusters } from '../api.js';
import { gridTree, loadGridContents, formatKm2 } from './map.js';
import { teamCard } from '../gridteam.js';
import { mayEditGrids, mayEditShape } from '../gridedit.js';
import { alertGroups } from './alerts.js';
import { mayRecordVisit } from './visit.js';
import { mayPrintGridCards, gridCardsLink } from '../card.js';

export async function render(ctx) {
  const { root, app, params } = ctx;
  const id = Number(params.id);
  const state = { tree: null, grid: null, contents: null, clusters: [], alerts: null, alertsError: null, error: null, teams: [] };

  app.setTitle(t('grid.title'));
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  try {
    const [g, clusters] = await Promise.all([api('GET', '/grids'), getClusters().catch(() => [])]);
    state.tree = gridTree(g.data.items || []);
    state.clusters = clusters;
    state.grid = state.tree.byId.get(id) || null;
    if (state.grid) state.contents = await loadGridContents(state.tree, id);
    if (state.grid) state.teams = await teamsAround(app.user, state.tree, state.grid, state.contents.members);
  } catch (e) {
    state.error = e;
  }
  if (!ctx.alive()) return null;

  // Alerts: a cell's by the API's filter; a larger grid's are those of
  // the grids inside it.
  if (state.grid) {
    const inside = new Set([id, ...state.tree.descendants(id).map((d) => d.id)]);
    const leaf = inside.size === 1;
    api('GET', '/alerts', { query: leaf ? { grid: id } : {} })
      .then((r) => { state.alerts = (r.data.items || []).filter((it) => inside.has(it.enterprise.grid_id)); },
        (e) => { state.alertsError = e; })
      .then(() => { if (ctx.alive()) draw(); });
  }

  const gridName = (gid) => {
    const g = state.tree.byId.get(gid);
    return g ? `${localName(g)} · ${g.code}` : `#${gid}`;
  };

  // The team card keeps what is typed in it while the page redraws (the
  // alerts arriving); a new language makes it anew.
  let team = null;
  function teamSection(g) {
    if (!team || team.lang !== getLang()) {
      team = { lang: getLang(), node: teamCard({ grid: g, contents: state.contents, user: app.user }) };
    }
    return team.node;
  }

  function enterpriseSection(g) {
    const ents = state.contents.enterprises;
    const ci = new Map(state.clusters.map((c) => [c.id, c]));
    const counts = new Map((state.alerts || []).map((it) => [it.enterprise.id, (it.alerts || []).length]));
    const showGrid = state.tree.kids(g.id).length > 0;
    const visit = mayRecordVisit(app.user);
    const rows = ents.map((e) => h('tr', { 'data-testid': 'grid-enterprise', 'data-id': e.id },
      h('td', { class: 'col-name', 'data-label': t('col.name') },
        h('a', { class: 'row-link', href: `/enterprises/${e.id}` }, localName(e) || `#${e.id}`)),
      h('td', { 'data-label': t('col.cluster') }, ci.get(e.cluster_id) ? localName(ci.get(e.cluster_id)) : t('common.none')),
      showGrid ? h('td', { 'data-label': t('grid.cell') }, h('a', { href: `/grids/${e.grid_id}` }, gridName(e.grid_id))) : null,
      h('td', { class: 'num', 'data-label': t('grid.alerts') },
        state.alerts ? (counts.get(e.id)
          ? h('span', { class: 'badge badge-alert' }, formatNumber(counts.get(e.id))) : '0') : t('common.none')),
      visit ? h('td', { class: 'col-action', 'data-label': '' },
        h('a', { class: 'btn btn-secondary btn-small', href: `/enterprises/${e.id}/visit`, 'data-testid': 'grid-visit' },
          icon('plus'), h('span', null, t('visit.record')))) : null));
    return h('section', { class: 'card table-card', 'data-section': 'enterprises', 'aria-labelledby': 'sec-ents' },
      h('h2', { class: 'card-title card-title-pad', id: 'sec-ents' }, t('grid.enterprises'),
        h('span', { class: 'count-badge', 'data-testid': 'grid-enterprise-count' }, formatNumber(ents.length))),
      ents.length
        ? h('table', { class: 'data-table grid-table' },
          h('thead', null, h('tr', null,
            h('th', { scope: 'col' }, t('col.name')), h('th', { scope: 'col' }, t('col.cluster')),
            showGrid ? h('th', { scope: 'col' }, t('grid.cell')) : null,
            h('th', { scope: 'col', class: 'num' }, t('grid.alerts')),
            visit ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('visit.record'))) : null)),
          h('tbody', null, rows))
        : h('p', { class: 'muted card-pad' }, t('grid.enterprises.none')));
  }

  function alertSection() {
    let body;
    if (state.alertsError) body = h('p', { class: 'muted' }, state.alertsError.message);
    else if (!state.alerts) body = h('p', { class: 'loading', role: 'status' }, t('common.loading'));
    else body = alertGroups(state.alerts, { gridName, user: app.user });
    return h('section', { class: 'grid-alerts', 'data-section': 'alerts', 'aria-labelledby': 'sec-alerts' },
      h('h2', { class: 'section-title', id: 'sec-alerts' }, t('grid.alerts.title'),
        state.alerts ? h('span', { class: 'count-badge', 'data-testid': 'grid-alert-count' }, formatNumber(state.alerts.length)) : null),
      body);
  }

  function draw() {
    if (state.error || !state.grid) {
      app.setTitle(t('grid.title'));
      const status = state.error ? state.error.status : 404;
      root.replaceChildren(
        h('h1', null, status === 404 ? t('common.notfound.title') : t('grid.title')),
        h('div', { class: 'alert alert-error', role: 'alert' },
          status === 403 ? t('common.forbidden') : status === 404 ? t('grid.notfound', { id }) : state.error.message),
        h('p', null, h('a', { href: '/map' }, t('common.back'))));
      return;
    }
    const g = state.grid;
    const name = localName(g) || g.code;
    app.setTitle(name);
    const parent = state.tree.byId.get(g.parent_id);
    const kids = state.tree.kids(g.id);
    const facts = h('section', { class: 'card', 'data-section': 'grid', 'aria-labelledby': 'sec-grid' },
      h('h2', { class: 'card-title', id: 'sec-grid' }, t('grid.section.facts')),
      h('dl', { class: 'fields' },
        h('div', { class: 'field-row' }, h('dt', null, t('grid.code')), h('dd', { class: 'mono' }, g.code)),
        h('div', { class: 'field-row' }, h('dt', null, t('grid.level')), h('dd', null, label('grid.level', g.level))),
        h('div', { class: 'field-row' }, h('dt', null, t('grid.area')), h('dd', { 'data-field': 'area_km2' }, formatKm2(g.area_km2))),
        h('div', { class: 'field-row' }, h('dt', null, t('grid.enterprises')),
          h('dd', { 'data-field': 'enterprises' }, formatNumber(state.contents.enterprises.length))),
        parent ? h('div', { class: 'field-row' }, h('dt', null, t('grid.parent')),
          h('dd', null, h('a', { href: `/grids/${parent.id}` }, `${localName(parent)} ${parent.code}`))) : null,
        kids.length ? h('div', { class: 'field-row' }, h('dt', null, t('grid.children')),
          h('dd', null, h('ul', { class: 'inline-list' }, kids.map((k) => h('li', null,
            h('a', { href: `/grids/${k.id}` }, `${localName(k)} ${k.code}`),
            h('span', { class: 'muted' }, ` (${formatNumber(state.tree.total(k))})`)))))) : null));

    root.replaceChildren(
      h('nav', { class: 'breadcrumb', 'aria-label': t('nav.breadcrumb') },
        h('a', { href: `/map?grid=${g.id}` }, icon('back'), h('span', null, t('map.title'))),
        state.tree.ancestors(g).map((a) => h('a', { href: `/grids/${a.id}` }, localName(a))),
        h('span', { class: 'crumb-current', 'aria-current': 'page' }, name)),
      h('div', { class: 'page-head' },
        h('div', null,
          h('h1', { id: 'grid-name', 'data-testid': 'grid-name' }, name),
          otherName(g) ? h('p', { class: 'name-other-lg', lang: otherLang() }, otherName(g)) : null,
          h('div', { class: 'badges' }, h('span', { class: 'badge' }, g.code),
            h('span', { class: 'badge' }, label('grid.level', g.level)))),
        h('div', { class: 'page-actions' },
          mayPrintGridCards(app.user, state.teams) ? gridCardsLink(g, name) : null,
          mayEditGrids(app.user) && mayEditShape(state.contents.grid) ? h('a', { class: 'btn btn-secondary', href: `/map?grid=${g.id}&edit=shape`, id: 'grid-edit-link' },
            icon('edit'), h('span', null, t('ge.edit'))) : null,
          mayEditGrids(app.user) && !kids.length ? h('a', { class: 'btn btn-secondary', href: `/map?grid=${g.id}&edit=split`, id: 'grid-split-link' },
            h('span', null, t('ge.split'))) : null,
          h('a', { class: 'btn btn-secondary', href: `/map?grid=${g.id}`, id: 'grid-map-link' },
            icon('pin'), h('span', null, t('grid.onmap'))))),
      h('div', { class: 'detail-grid' },
        h('div', { class: 'detail-main' }, enterpriseSection(g)),
        h('div', { class: 'detail-side' }, facts, teamSection(g))),
      alertSection());
  }

  draw();
  return { onLang: draw };
}

// The teams of the grid and of the grids above it, which decide whether a
// grid worker prints the grid's cards: read only for a grid worker who is
// not in the grid's own team (a worker of an area prints its cells').
async function teamsAround(user, tree, grid, members) {
  if (!user || user.role !== 'grid_worker' || members.includes(user.id)) return [members];
  const above = await Promise.all(tree.ancestors(grid).map((a) => api('GET', `/grids/${a.id}`)
    .then((r) => r.data.members || [], () => [])));
  return [members, ...above];
}
