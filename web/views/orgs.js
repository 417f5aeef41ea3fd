// The organisation tree: the town committee, the cluster general
// branches and the branches under them, the unions, leagues and
// federations beside them, each with its members, secretary, the
// enterprises it covers and those it reaches with the ones under it; a
// picked organisation's enterprises in the side panel; and the
// alliances with their members, the resources they offer and their
// events.
import { h } from '../dom.js';
import { t, label, localName, otherName, formatNumber } from '../i18n.js';
import { api } from '../api.js';

const get = async (path) => (await api('GET', path)).data;
import '../org-i18n.js';

// Organisations and coverage are for every signed-in role but an
// enterprise's contact (the server's rule).
export function mayReadOrgs(user) {
  return Boolean(user) && user.role !== 'enterprise';
}

export async function render(ctx) {
  const { root, app } = ctx;
  const state = { tree: null, alliances: [], open: new Set(), picked: null, page: null, error: null, ally: new Map() };
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

  async function pick(id) {
    state.picked = id;
    state.page = null;
    draw();
    try {
      const page = await get(`/organisations/${id}`);
      if (state.picked === id) state.page = page;
    } catch (e) {
      state.page = { error: e.message };
    }
    if (ctx.alive()) draw();
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
        n.secretary ? h('span', { class: 'muted small' }, t('org.secretary', { name: n.secretary })) : null),
      open && kids.length ? h('ul', { class: 'org-children' }, kids.map((k) => node(k, depth + 1))) : null);
  }

  function panel() {
    if (!state.picked) return h('aside', { class: 'card org-panel' }, h('p', { class: 'muted' }, t('org.pick')));
    const p = state.page;
    if (!p) return h('aside', { class: 'card org-panel' }, h('p', { class: 'loading' }, t('common.loading')));
    if (p.error) return h('aside', { class: 'card org-panel' }, h('div', { class: 'alert alert-error', role: 'alert' }, p.error));
    return h('aside', { class: 'card org-panel', 'data-testid': 'org-panel' },
      h('h2', null, localName(p)),
      otherName(p) ? h('p', { class: 'muted' }, otherName(p)) : null,
      h('p', null, label('orgkind', p.kind), ' · ', t('org.members', { n: formatNumber(p.members) })),
      p.secretary ? h('p', null, t('org.secretary', { name: p.secretary.username || `${p.secretary.name} ${p.secretary.phone}` })) : null,
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
      otherName(a) ? h('p', { class: 'muted' }, otherName(a)) : null,
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
        ? h('ul', null, full.events.map((e) => h('li', null, h('a', { href: `/events/${e.id}` }, `${e.starts_at.slice(0, 10)} ${e.title}`))))
        : h('p', { class: 'muted' }, t('org.alliance.events.none'))) : null);
  }

  function draw() {
    app.setTitle(t('org.title'));
    const head = h('div', { class: 'page-head' }, h('div', null,
      h('h1', null, t('org.title')), h('p', { class: 'muted' }, t('org.intro'))),
      h('a', { class: 'btn btn-secondary', href: '/coverage', 'data-testid': 'to-coverage' }, t('nav.coverage')));
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
  draw();
  return { onLang: draw };
}
