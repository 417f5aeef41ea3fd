// Partner recommendations on an enterprise's page: suppliers for what
// it buys and customers for what it makes (GET /enterprises/{id}/partners),
// each with the reasons that earned its score, and a button that
// records the town's introduction (POST /enterprises/{id}/partner-contacts).
import { h } from '../dom.js';
import { t, label, localName, formatNumber } from '../i18n.js';
import { api } from '../api.js';
import { mayReadChains } from './chain.js';

const LIMIT = 10;

// Town staff read every enterprise's recommendations; an enterprise's
// contact reads its own.
// Recording an introduction is the town's staff's (the server's rule:
// access_scoped_write); an enterprise contact reads its recommendations.
function mayRecordContact(user) {
  return Boolean(user) && ['admin', 'officer', 'secretary', 'grid_worker'].includes(user.role);
}

export function maySeePartners(user, e) {
  if (!user || !e) return false;
  if (user.role === 'enterprise') return Boolean(user.enterprise_id) && user.enterprise_id === e.id;
  return mayReadChains(user);
}

// partnerSection(ctx) -> {card(e)}: card() returns the section for the
// enterprise (or null when the user may not see it). It fetches once and
// can be called again to redraw, in another language for instance.
export function partnerSection(ctx) {
  const { app } = ctx;
  const state = {
    forId: null, items: null, error: null, loading: false,
    sent: new Map(), // key -> {status: 'busy'|'ok'|'error', message}
  };
  let box = null;
  let current = null;

  async function load(e) {
    state.forId = e.id;
    state.loading = true;
    state.items = null;
    state.error = null;
    try {
      const r = await api('GET', `/enterprises/${e.id}/partners`, { query: { limit: LIMIT } });
      if (!ctx.alive() || state.forId !== e.id) return;
      state.items = r.data.items || [];
    } catch (err) {
      if (!ctx.alive() || state.forId !== e.id) return;
      state.error = err.status === 403 ? t('common.forbidden') : err.message;
    }
    state.loading = false;
    fill();
  }

  const keyOf = (p) => `${p.partner.id}:${p.node.id}:${p.role}`;

  async function record(p) {
    const key = keyOf(p);
    const st = state.sent.get(key);
    if (st && (st.status === 'busy' || st.status === 'ok')) return;
    state.sent.set(key, { status: 'busy' });
    fill();
    try {
      await api('POST', `/enterprises/${state.forId}/partner-contacts`, {
        body: { partner_id: p.partner.id, node_id: p.node.id, role: p.role },
      });
      state.sent.set(key, { status: 'ok' });
    } catch (err) {
      state.sent.set(key, { status: 'error', message: err.message });
    }
    if (!ctx.alive()) return;
    fill();
    const item = box && box.querySelector(`[data-key="${key}"] .partner-result`);
    if (item) item.focus();
  }

  function reasonChip(r) {
    const pts = Math.round(r.points * 100) / 100;
    return h('li', { class: 'reason', 'data-reason': r.reason },
      h('span', { class: 'reason-label' }, label('partners.reason', r.reason)),
      h('span', { class: 'reason-points' }, `+${formatNumber(pts)}`));
  }

  function item(p) {
    const key = keyOf(p);
    const st = state.sent.get(key);
    const partnerName = localName(p.partner) || `#${p.partner.id}`;
    const nodeName = localName(p.node) || `#${p.node.id}`;
    let action;
    if (st && st.status === 'ok') {
      action = h('p', { class: 'partner-result is-ok', role: 'status', tabindex: '-1', 'data-testid': 'contact-recorded' },
        t('partners.recorded', { name: partnerName, role: label('partners.role', p.role), node: nodeName }));
    } else if (!mayRecordContact(app.user)) {
      action = null;
    } else {
      action = [
        h('button', {
          type: 'button', class: 'btn btn-secondary partner-record', 'data-testid': 'record-contact',
          disabled: st && st.status === 'busy', onclick: () => record(p),
        }, st && st.status === 'busy' ? t('partners.recording') : t('partners.record')),
        st && st.status === 'error'
          ? h('p', { class: 'partner-result field-error', role: 'alert', tabindex: '-1' }, st.message) : null,
      ];
    }
    return h('li', { class: 'partner', 'data-testid': 'partner', 'data-key': key, 'data-role': p.role },
      h('div', { class: 'partner-main' },
        h('div', { class: 'partner-head' },
          // A contact reads its own enterprise's page only: the partner by name.
          app.user && app.user.role === 'enterprise'
            ? h('strong', { class: 'partner-name' }, partnerName)
            : h('a', { class: 'partner-name', href: `/enterprises/${p.partner.id}` }, partnerName),
          h('span', { class: `badge role-badge role-${p.role}` }, label('partners.role', p.role)),
          p.partner.in_park === false ? h('span', { class: 'badge badge-muted' }, t('ent.in_park.false')) : null),
        h('p', { class: 'partner-meta small' },
          h('span', null, t('partners.node'), ' ', h('strong', null, nodeName)),
          typeof p.distance_km === 'number'
            ? h('span', null, t('partners.distance', { km: formatNumber(Math.round(p.distance_km * 100) / 100) })) : null),
        h('ul', { class: 'reason-list', 'aria-label': t('partners.reasons') }, (p.reasons || []).map(reasonChip))),
      h('div', { class: 'partner-side' },
        h('p', { class: 'partner-score' },
          h('span', { class: 'score-number', 'data-testid': 'partner-score' }, formatNumber(Math.round(p.score * 10) / 10)),
          h('span', { class: 'score-label' }, t('partners.score'))),
        action));
  }

  function fill() {
    if (!box) return;
    const title = h('h2', { id: 'sec-partners', class: 'card-title' }, t('partners.title'));
    let body;
    if (state.loading) body = h('p', { class: 'loading', role: 'status' }, t('common.loading'));
    else if (state.error) body = h('div', { class: 'alert alert-error', role: 'alert' }, state.error);
    else if (!state.items || !state.items.length) body = h('p', { class: 'muted' }, t('partners.empty'));
    else body = h('ol', { class: 'partner-list', 'data-testid': 'partners' }, state.items.map(item));
    box.replaceChildren(title, h('p', { class: 'muted small' }, t('partners.intro')), body);
  }

  return {
    card(e) {
      if (!maySeePartners(app.user, e)) return null;
      current = e;
      box = h('section', { class: 'card partners-card', 'data-section': 'partners', 'aria-labelledby': 'sec-partners' });
      if (state.forId !== e.id) load(current);
      fill();
      return box;
    },
  };
}
