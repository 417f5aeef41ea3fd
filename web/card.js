// An enterprise's service contact card in the console (GET
// /api/v1/enterprises/{id}/card): whom it calls, the QR code of its link
// (card.svg), the card to print (card.pdf), the contacts as a vCard, and
// for officers a new link that revokes the old one (POST .../card/token).
// Shown on the enterprise page and on an enterprise contact's home; a
// caller who may not read the card (403, 404) does not see the section at
// all (it stays hidden).
import { h } from './dom.js';
import { t, isZh, formatDateTime } from './i18n.js';
import { api } from './api.js';
import './card-i18n.js';

export function mayReissue(user) {
  return !!user && (user.role === 'admin' || user.role === 'officer');
}

// Who may ask for the card at all; the server decides the rest (a grid
// worker's grids, an officer's jurisdictions).
export function mayReadCard(user, e) {
  if (!user) return false;
  switch (user.role) {
    case 'admin': case 'officer': case 'grid_worker': return true;
    case 'secretary': return !e || e.cluster_id === user.cluster_id;
    case 'enterprise': return !e || e.id === user.enterprise_id;
    default: return false;
  }
}

// Who may print a grid's cards (GET /api/v1/grids/{id}/cards.pdf):
// admins and officers (the server keeps them to their jurisdictions), and
// a grid worker of the grid or of a grid around it; `teams` holds the
// member ids of the grid and of each grid above it.
export function mayPrintGridCards(user, teams) {
  if (!user) return false;
  if (user.role === 'admin' || user.role === 'officer') return true;
  return user.role === 'grid_worker' && teams.some((members) => members.includes(user.id));
}

// The link that opens the grid's cards on A4 sheets, in a tab of its own.
export function gridCardsLink(grid, name) {
  return h('a', { class: 'btn btn-secondary', href: `/api/v1/grids/${grid.id}/cards.pdf`, target: '_blank', rel: 'noopener', id: 'grid-print-cards', 'aria-label': t('card.print.grid.label', { name }) },
    t('card.print.grid'));
}

const pick = (zh, en) => (isZh() ? zh || en : en || zh) || '';

// The section for enterprise `id`; `title()` gives another heading. The
// element keeps itself up to date (language, re-issue).
export function cardSection(app, id, { title } = {}) {
  const state = { card: null, error: null, loading: true, confirm: false, busy: false, note: null };
  const section = h('section', { class: 'card service-card', 'data-section': 'service-card', 'aria-labelledby': 'sec-service-card', 'data-testid': 'service-card' });

  async function load() {
    state.loading = true;
    draw();
    try {
      state.card = (await api('GET', `/enterprises/${id}/card`)).data;
      state.error = null;
    } catch (e) {
      if (e.status === 403 || e.status === 404) { section.hidden = true; return; }
      state.error = e.message;
    }
    state.loading = false;
    draw();
  }

  async function reissue() {
    state.busy = true;
    state.note = null;
    draw();
    try {
      state.card = (await api('POST', `/enterprises/${id}/card/token`)).data;
      state.note = { kind: 'ok', text: t('card.reissued') };
    } catch (e) {
      state.note = { kind: 'error', text: e.message };
    }
    state.busy = false;
    state.confirm = false;
    draw();
    const n = section.querySelector('[data-testid="card-note"]');
    if (n) n.focus();
  }

  function contactItem(k) {
    const name = k.name_en && !isZh() ? k.name_en : k.name_zh;
    const unit = pick(k.unit_zh, k.unit_en);
    const title = pick(k.title_zh, k.title_en);
    return h('li', { class: 'service-contact', 'data-role': k.role },
      h('div', { class: 'service-contact-head' },
        h('span', { class: 'service-contact-title' }, title === name ? '' : title),
        unit ? h('span', { class: 'muted service-contact-unit' }, unit) : null),
      h('div', { class: 'service-contact-line' },
        h('strong', { class: 'service-contact-name' }, name),
        k.phone
          ? h('a', { class: 'service-contact-phone mono', href: `tel:${k.phone.replace(/[^\d+]/g, '')}`, 'aria-label': `${name} ${t('card.call', { phone: k.phone })}` }, k.phone)
          : h('span', { class: 'muted' }, t('card.nophone'))));
  }

  function draw() {
    const head = h('h2', { id: 'sec-service-card', class: 'card-title' }, title ? title() : t('card.title'));
    if (state.loading && !state.card) {
      section.replaceChildren(head, h('p', { class: 'loading', role: 'status' }, t('card.loading')));
      return;
    }
    if (state.error) {
      section.replaceChildren(head, h('div', { class: 'alert alert-error', role: 'alert' }, t('card.error', { message: state.error })));
      return;
    }
    const c = state.card;
    const name = pick(c.enterprise.name_zh, c.enterprise.name_en);
    // The picture changes with the link: its address names the issue.
    const qrSrc = `${c.qr.svg}?v=${encodeURIComponent(c.issued_at || '')}`;
    const reissueBox = !mayReissue(app.user) ? null
      : state.confirm
        ? h('div', { class: 'confirm-inline', role: 'group', 'aria-label': t('card.reissue') },
          h('p', { class: 'small' }, t('card.reissue.confirm')),
          h('button', { type: 'button', class: 'btn btn-primary btn-small', id: 'card-reissue-confirm', disabled: state.busy, onclick: reissue },
            state.busy ? t('card.reissue.busy') : t('card.reissue.yes')),
          h('button', { type: 'button', class: 'btn btn-secondary btn-small', disabled: state.busy, onclick: () => { state.confirm = false; draw(); } }, t('edit.cancel')))
        : h('button', { type: 'button', class: 'btn btn-secondary', id: 'card-reissue', onclick: () => { state.confirm = true; state.note = null; draw(); } }, t('card.reissue'));
    section.replaceChildren(...[head,
      h('p', { class: 'muted' }, t('card.intro')),
      c.enterprise.active ? null : h('p', { class: 'alert alert-info' }, t('card.inactive')),
      state.note ? h('p', { class: `alert alert-${state.note.kind === 'ok' ? 'ok' : 'error'}`, role: 'status', tabindex: '-1', 'data-testid': 'card-note' }, state.note.text) : null,
      h('div', { class: 'service-card-body' },
        h('div', { class: 'service-card-contacts' },
          h('h3', { class: 'visually-hidden' }, t('card.contacts')),
          h('ul', { class: 'service-contacts', 'data-testid': 'card-contacts' }, c.contacts.map(contactItem))),
        h('figure', { class: 'service-card-qr' },
          h('img', { src: qrSrc, width: 176, height: 176, alt: t('card.qr.alt', { name }), 'data-testid': 'card-qr' }),
          h('figcaption', null,
            h('span', { class: 'small' }, t('card.qr.caption')),
            c.link ? h('a', { class: 'service-card-link mono', href: c.link, 'data-testid': 'card-link', rel: 'noopener', target: '_blank' }, c.link) : null,
            c.issued_at ? h('span', { class: 'small muted' }, t('card.issued', { at: formatDateTime(c.issued_at) })) : null))),
      h('div', { class: 'service-card-actions' },
        // The card to print, 85.6 × 54 mm, both sides; in a tab of its own,
        // where the browser's viewer prints it. An inactive enterprise's
        // card opens no form, so it is not printed to be handed out.
        c.enterprise.active
          ? h('a', { class: 'btn btn-primary', href: `/api/v1/enterprises/${c.enterprise.id}/card.pdf`, target: '_blank', rel: 'noopener', id: 'card-print', 'aria-label': t('card.print.label', { name }) }, t('card.print'))
          : null,
        h('a', { class: 'btn btn-secondary', href: c.vcard, download: `card-${c.enterprise.id}.vcf`, id: 'card-vcard' }, t('card.vcard')),
        reissueBox)].filter(Boolean));
  }

  load();
  section.redraw = draw;
  return section;
}
