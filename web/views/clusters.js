// The four industrial clusters and how many enterprises each coordinates.
import { h } from '../dom.js';
import { t, localName, otherName, formatNumber } from '../i18n.js';
import { api, getClusters } from '../api.js';
import { mayReadChains } from './chain.js';

export async function render(ctx) {
  const { root, app } = ctx;
  const state = { clusters: [], leaders: new Map(), error: null };
  app.setTitle(t('clusters.title'));
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));

  try {
    state.clusters = await getClusters();
  } catch (e) {
    state.error = e.message;
  }
  if (!ctx.alive()) return null;

  function draw() {
    app.setTitle(t('clusters.title'));
    const head = h('div', { class: 'page-head' }, h('div', null,
      h('h1', null, t('clusters.title')), h('p', { class: 'muted' }, t('clusters.intro'))));
    if (state.error) {
      root.replaceChildren(head, h('div', { class: 'alert alert-error', role: 'alert' }, state.error));
      return;
    }
    const total = state.clusters.reduce((s, c) => s + (c.enterprises || 0), 0);
    const cards = state.clusters.map((c, i) => {
      const leader = state.leaders.get(c.leading_enterprise_id);
      const share = total ? Math.round((c.enterprises / total) * 1000) / 10 : 0;
      return h('article', { class: `card cluster-card cluster-${(i % 4) + 1}`, 'data-testid': 'cluster', 'data-id': c.id },
        h('div', { class: 'cluster-head' },
          h('h2', { class: 'cluster-name' }, localName(c)),
          otherName(c) ? h('p', { class: 'muted' }, otherName(c)) : null),
        h('p', { class: 'cluster-count' },
          h('span', { class: 'big-number', 'data-testid': 'cluster-count' }, formatNumber(c.enterprises)),
          h('span', { class: 'unit' }, t('clusters.enterprises'))),
        h('meter', { class: 'share', min: 0, max: total || 1, value: c.enterprises, 'aria-label': t('clusters.share', { p: share }) }),
        h('p', { class: 'muted small' }, t('clusters.share', { p: formatNumber(share) })),
        h('dl', { class: 'fields fields-compact' },
          h('div', { class: 'field-row' }, h('dt', null, t('clusters.leading')),
            h('dd', null, c.leading_enterprise_id
              ? h('a', { href: `/enterprises/${c.leading_enterprise_id}` },
                leader ? localName(leader) : `#${c.leading_enterprise_id}`)
              : t('common.none'))),
          h('div', { class: 'field-row' }, h('dt', null, t('clusters.code')),
            h('dd', { class: 'mono' }, c.code || t('common.none')))),
        h('div', { class: 'cluster-actions' },
          h('a', { class: 'btn btn-secondary', href: `/enterprises?cluster=${c.id}` }, t('clusters.view')),
          mayReadChains(app.user)
            ? h('a', { class: 'btn btn-secondary', href: `/clusters/${c.id}/chain`, 'data-testid': 'cluster-chain' }, t('clusters.chain'))
            : null));
    });
    root.replaceChildren(head,
      h('p', { class: 'summary', 'data-testid': 'clusters-total' }, t('clusters.total', { n: formatNumber(total) })),
      h('div', { class: 'cluster-grid' }, cards));
  }

  draw();

  // The leading enterprises' names, for those allowed to read them.
  Promise.all(state.clusters.filter((c) => c.leading_enterprise_id).map((c) =>
    api('GET', `/enterprises/${c.leading_enterprise_id}`, { noAuthRedirect: true })
      .then((r) => state.leaders.set(r.data.id, r.data)).catch(() => null)))
    .then(() => { if (ctx.alive() && state.leaders.size) draw(); });

  return { onLang: draw };
}
