// The organisation tree: the town committee, the cluster general
// branches and the branches under them, the unions, leagues and
// federations beside them, each with its members, secretary, the
// enterprises it covers and those it reaches with the ones under it; a
// picked organisation's enterprises in the side panel; and the
// alliances with their members, the resources they offer and their
// events.  Officers and admins (and a cluster's secretary, for its
// cluster's) add and change organisations here (orgform.js); every list
// of organisations exports as CSV.
import { h, icon } from '../dom.js';
import { t, label, localName, otherName, otherLang, formatNumber } from '../i18n.js';
import { api, getClusters } from '../api.js';
import { getTree } from '../jur.js';
import { exportButton } from '../export.js';
import { orgForm, mayCreateOrg, mayEditOrg } from '../orgform.js';
// Those who have no events' pages (grid workers) read an alliance's events
// without a link to a page they may not open.
import { inMenu as eventsInMenu } from './events.js';
import { mayReadOrgs } from '../access.js';

const get = async (path) => (await api('GET', path)).data;
import '../org-i18n.js';

// Organisations and coverage are for every signed-in role but an
// enterprise's contact (the server's rule).
export { mayReadOrgs };

export async function render(ctx) {
  const { root, app } = ctx;
  const state = {
    tree: null, alliances: [], open: new Set(), picked: null, page: null, error: null, ally: new Map(),
    form: null, // the organisation form, new or of the picked one
    message: null, jurTree: null, clusters: [], departments: [],
  };
  app.setTitle(t('org.title'));
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  try {
    const [tree, alliances] = await Promise.all([get('/organisations/tree'), get('/alliances')]);
    state.tree = tree;
    state.alliances = alliances.items;
    // The committee and the general branches open at first.
    for (const n of tree.items) if (n.kind === 'party_committee') state.open.add(n.id);
    for (const a of state.alliances) state.ally.set(a.id, await get(`/alliances/${a.id}`));
  } catch (e) {
    state.error = e.message;
  }
  if (!ctx.alive()) return null;
  // What the forms choose from, and the jurisdictions that say whose
  // organisation the caller may change.
  const user = app.user;
  if (mayCreateOrg(user)) {
    const [jurTree, clusters, departments] = await Promise.all([
      getTree().catch(() => null), getClusters().catch(() => []),
      api('GET', '/departments').then((r) => r.data.items || []).catch(() => [])]);
    Object.assign(state, { jurTree, clusters, departments });
    if (!ctx.alive()) return null;
  }

  async function reloadTree() {
    try {
      state.tree = await get('/organisations/tree');
    } catch (e) {
      state.error = e.message;
    }
  }

  function openForm(org) {
    state.message = null;
    state.form = orgForm({
      user, org, orgTree: state.tree.items, clusters: state.clusters, departments: state.departments,
      jurTree: state.jurTree,
      onCancel: () => { state.form = null; draw(); },
      onReload: async () => {
        state.form = null;
        await pick(org.id, { edit: true });
      },
      onDone: async (saved, created) => {
        state.form = null;
        state.message = t(created ? 'orgf.created' : 'orgf.saved', { name: localName(saved) });
        await reloadTree();
        // Its place in the tree is opened, so that it shows.
        for (let n = saved.parent_id; n; n = parentOf(state.tree.items, n)) state.open.add(n);
        if (ctx.alive()) await pick(saved.id, { keepMessage: true });
      },
    });
    draw();
    const first = root.querySelector('#org-form input, #org-form select');
    if (first) first.focus();
  }

  async function pick(id, { edit = false, keepMessage = false } = {}) {
    state.picked = id;
    state.page = null;
    if (!keepMessage) state.message = null;
    state.form = null;
    draw();
    try {
      const page = await get(`/organisations/${id}`);
      if (state.picked === id) state.page = page;
    } catch (e) {
      state.page = { error: e.message };
    }
    if (!ctx.alive()) return;
    if (edit && state.page && !state.page.error && mayEditOrg(user, state.page, state.jurTree)) openForm(state.page);
    else draw();
  }

  function parentOf(items, id, parent = null) {
    for (const n of items || []) {
      if (n.id === id) return parent;
      const f = parentOf(n.children, id, n.id);
      if (f !== null) return f;
    }
    return null;
  }

  function node(n, depth) {
    const open = state.open.has(n.id);
    const kids = n.children || [];
    const toggle = kids.length
      ? h('button', {
        type: 'button', class: 'btn btn-ghost org-toggle', 'aria-expanded': open ? 'true' : 'false',
        'aria-label': t('org.expand', { name: localName(n) }), 'data-testid': 'org-toggle',
        onclick: () => { if (open) state.open.delete(n.id); else state.open.add(n.id); draw(); },
      }, open ? '▾' : '▸')
      : h('span', { class: 'org-toggle-space', 'aria-hidden': 'true' });
    return h('li', { class: ['org-node', `depth-${Math.min(depth, 3)}`], 'data-testid': 'org-node', 'data-id': n.id, 'data-kind': n.kind },
      h('div', { class: ['org-row', state.picked === n.id && 'picked'] },
        toggle,
        h('button', { type: 'button', class: 'org-name linklike', 'data-testid': 'org-pick', onclick: () => pick(n.id) },
          localName(n)),
        h('span', { class: 'badge' }, label('orgkind', n.kind)),
        h('span', { class: 'muted small' }, t('org.members', { n: formatNumber(n.members) })),
        h('span', { class: 'muted small', 'data-testid': 'org-covers' }, t('org.covers', { n: formatNumber(n.covers) })),
        kids.length ? h('span', { class: 'muted small', 'data-testid': 'org-reach' }, t('org.reach', { n: formatNumber(n.reach) })) : null,
        n.secretary ? h('span', { class: 'muted small' }, t('org.secretary', { name: n.secretary_name || n.secretary })) : null),
      open && kids.length ? h('ul', { class: 'org-children' }, kids.map((k) => node(k, depth + 1))) : null);
  }

  function panel() {
    if (state.form) return h('aside', { class: 'org-panel org-panel-form' }, state.form.el);
    if (!state.picked) return h('aside', { class: 'card org-panel' }, h('p', { class: 'muted' }, t('org.pick')));
    const p = state.page;
    if (!p) return h('aside', { class: 'card org-panel' }, h('p', { class: 'loading' }, t('common.loading')));
    if (p.error) return h('aside', { class: 'card org-panel' }, h('div', { class: 'alert alert-error', role: 'alert' }, p.error));
    return h('aside', { class: 'card org-panel', 'data-testid': 'org-panel' },
      state.message ? h('p', { class: 'action-result is-ok', role: 'status', 'data-testid': 'org-message' }, state.message) : null,
      h('div', { class: 'org-panel-head' }, h('h2', null, localName(p)),
        mayEditOrg(user, p, state.jurTree)
          ? h('button', { type: 'button', class: 'btn btn-secondary btn-small', id: 'org-edit', onclick: () => openForm(p) },
            icon('edit'), h('span', null, t('orgf.edit'))) : null),
      otherName(p) ? h('p', { class: 'muted', lang: otherLang() }, otherName(p)) : null,
      h('p', null, label('orgkind', p.kind), ' · ', t('org.members', { n: formatNumber(p.members) })),
      p.secretary ? h('p', null, t('org.secretary', { name: p.secretary.display_name || p.secretary.username || `${p.secretary.name} ${p.secretary.phone}` })) : null,
      h('h3', null, t('org.enterprises'), ` (${formatNumber(p.enterprises.length)})`),
      p.enterprises.length
        ? h('ul', { class: 'org-enterprises', 'data-testid': 'org-enterprises' }, p.enterprises.map((e) =>
          h('li', null, h('a', { href: `/enterprises/${e.id}` }, localName(e)))))
        : h('p', { class: 'muted' }, t('org.enterprises.none')));
  }

  function alliance(a) {
    const full = state.ally.get(a.id);
    return h('article', { class: 'card org-alliance', 'data-testid': 'alliance', 'data-id': a.id },
      h('h3', null, localName(a)),
      otherName(a) ? h('p', { class: 'muted', lang: otherLang() }, otherName(a)) : null,
      a.description ? h('p', null, a.description) : null,
      h('p', { class: 'muted small' }, t('org.alliance.members', { n: a.members, e: a.enterprises, o: a.organisations, x: a.outside })),
      full ? h('ul', { class: 'org-members' }, full.members.map((m) => h('li', { 'data-testid': 'alliance-member' },
        m.enterprise_id ? h('a', { href: `/enterprises/${m.enterprise_id}` }, localName(m)) : h('strong', null, localName(m)),
        m.role ? ` · ${m.role}` : '',
        m.in_registry ? '' : h('span', { class: 'badge' }, t('org.member.outside')),
        m.resources.length ? h('ul', { class: 'muted small' }, m.resources.map((r) => h('li', null,
          r.service ? h('a', { href: `/services/${r.service.id}` }, t('org.member.service', { name: localName(r.service) })) : null,
          r.service && r.text ? ' · ' : '', r.text || ''))) : null))) : null,
      full ? h('h4', null, t('org.alliance.events')) : null,
      full ? (full.events.length
        ? h('ul', null, full.events.map((e) => h('li', null, eventsInMenu(user)
          ? h('a', { href: `/events/${e.id}` }, `${e.starts_at.slice(0, 10)} ${e.title}`)
          : `${e.starts_at.slice(0, 10)} ${e.title}`)))
        : h('p', { class: 'muted' }, t('org.alliance.events.none'))) : null);
  }

  function draw() {
    app.setTitle(t('org.title'));
    const head = h('div', { class: 'page-head' }, h('div', null,
      h('h1', null, t('org.title')), h('p', { class: 'muted' }, t('org.intro'))),
      h('div', { class: 'org-head-actions' },
        mayCreateOrg(user) && !state.form
          ? h('button', { type: 'button', class: 'btn btn-primary', id: 'org-new', onclick: () => openForm(null) },
            icon('plus'), h('span', null, t('orgf.new'))) : null,
        h('a', { class: 'btn btn-secondary', href: '/coverage', 'data-testid': 'to-coverage' }, t('nav.coverage')),
        exportButton(exportSpec)));
    if (state.error) {
      root.replaceChildren(head, h('div', { class: 'alert alert-error', role: 'alert' }, state.error));
      return;
    }
    root.replaceChildren(...[head,
      h('div', { class: 'org-layout' },
        h('section', { class: 'card org-tree', 'aria-label': t('org.tree') },
          h('p', { class: 'muted small', 'data-testid': 'org-count' }, t('org.count', { n: formatNumber(state.tree.count) })),
          h('ul', { class: 'org-roots', 'data-testid': 'org-tree' }, state.tree.items.map((n) => node(n, 0)))),
        panel()),
      state.alliances.length ? h('section', null, h('h2', null, t('org.alliances')), state.alliances.map(alliance)) : null]
      .filter(Boolean));
  }
  // Every organisation the caller sees (GET /organisations: the tree's
  // kinds and the catalogue's providers), with its parent named.
  function exportSpec() {
    const names = new Map();
    return {
      name: 'organisations', path: '/organisations', limit: null,
      expand: (o) => { names.set(o.id, localName(o)); return [o]; },
      columns: [
        { head: () => t('orgf.name_zh'), value: (o) => o.name_zh },
        { head: () => t('orgf.name_en'), value: (o) => o.name_en },
        { head: () => t('orgf.kind'), value: (o) => label('orgkind', o.kind) },
        { head: () => t('orgf.parent_id'), value: (o) => (o.parent_id ? names.get(o.parent_id) || '' : '') },
        { head: () => t('orgf.cluster_id'), value: (o) => localName(state.clusters.find((c) => c.id === o.cluster_id)) },
        { head: () => t('orgf.members'), value: (o) => o.members },
        { head: () => t('org.covers.col'), value: (o) => o.covers },
        { head: () => t('orgf.secretary'), value: (o) => (o.secretary ? o.secretary.user_id ? o.secretary.display_name || o.secretary.username : `${o.secretary.name} ${o.secretary.phone}` : '') },
        { head: () => t('orgf.phone'), value: (o) => o.phone },
        { head: () => t('orgf.email'), value: (o) => o.email },
        { head: () => t('orgf.website'), value: (o) => o.website },
        { head: () => t('orgf.department_id'), value: (o) => (o.department ? o.department.name : '') },
        { head: () => t('orgf.jurisdiction'), value: (o) => localName(o.jurisdiction) },
      ],
    };
  }

  draw();
  return { onLang() { if (state.form) state.form.redraw(); draw(); } };
}
