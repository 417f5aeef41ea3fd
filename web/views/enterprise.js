// One enterprise: every field, its contacts and tags, and an Edit
// button for those who may change it.
import { h, icon } from '../dom.js';
import { t, label, localName, otherName, formatNumber, formatDate, formatDateTime } from '../i18n.js';
import { api, getClusters } from '../api.js';
import { mayEdit } from '../access.js';
import { gridSections } from './visit.js';
import { partnerSection } from './partners.js';
import { cardSection, mayReadCard } from '../card.js';
import { policySection } from '../polfor.js';

// The edit view hands a record it just saved to the page it returns
// to, so the page shows exactly what the server answered.
let handoff = null;
export function handOver(record, etag) { handoff = { record, etag }; }

export async function render(ctx) {
  const { root, app, params } = ctx;
  const id = Number(params.id);
  const state = { e: null, clusters: [], error: null, status: 0 };

  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  app.setTitle(t('ent.title'));

  const clustersP = getClusters().catch(() => []);
  if (handoff && handoff.record.id === id) {
    state.e = handoff.record;
  } else {
    try {
      state.e = (await api('GET', `/enterprises/${id}`)).data;
    } catch (e) {
      state.error = e.message;
      state.status = e.status;
    }
  }
  handoff = null;
  state.clusters = await clustersP;
  if (!ctx.alive()) return null;
  const partners = partnerSection(ctx);
  // The service contact card: made once, kept across redraws.
  const card = state.e && mayReadCard(app.user, state.e) ? cardSection(app, id) : null;
  // "Policies for you": made once, kept across redraws.
  const policies = state.e ? policySection(app, id) : null;

  function draw() {
    if (state.error) {
      app.setTitle(t('ent.title'));
      root.replaceChildren(
        breadcrumb(null),
        h('h1', null, state.status === 404 ? t('common.notfound.title') : t('ent.title')),
        h('div', { class: 'alert alert-error', role: 'alert' },
          state.status === 403 ? t('common.forbidden')
            : state.status === 404 ? t('ent.notfound', { id: params.id }) : state.error),
        h('p', null, h('a', { href: '/enterprises' }, t('common.back'))));
      return;
    }
    const e = state.e;
    const name = localName(e) || `#${e.id}`;
    app.setTitle(name);
    const cluster = state.clusters.find((c) => c.id === e.cluster_id);
    const editable = mayEdit(app.user, e);

    const head = h('div', { class: 'page-head ent-head' },
      h('div', { class: 'ent-title' },
        h('h1', { id: 'enterprise-name', 'data-testid': 'enterprise-name' }, name),
        otherName(e) ? h('p', { class: 'name-other-lg' }, otherName(e)) : null,
        h('div', { class: 'badges' },
          h('span', { class: `status status-${e.status}`, 'data-testid': 'status' }, label('status', e.status)),
          e.stage ? h('span', { class: ['badge', e.stage === 'leading' && 'badge-accent'] }, label('stage', e.stage)) : null,
          e.size ? h('span', { class: 'badge' }, label('size', e.size)) : null,
          e.in_park === false ? h('span', { class: 'badge badge-muted' }, t('ent.in_park.false')) : null)),
      editable
        ? h('a', { class: 'btn btn-primary', id: 'edit-button', href: `/enterprises/${e.id}/edit` },
          icon('edit'), h('span', null, t('ent.edit')))
        : null);

    const basic = section('basic', t('ent.section.basic'), dl([
      ['uscc', t('field.uscc'), h('span', { class: 'mono' }, e.uscc || t('common.none'))],
      ['name_zh', t('field.name_zh'), e.name_zh || t('common.none')],
      ['name_en', t('field.name_en'), e.name_en || t('common.none')],
      ['industry', t('field.industry.short'), e.industry
        ? [h('span', { class: 'code' }, e.industry), ' ', localName(e, 'industry_name_zh', 'industry_name')]
        : t('common.none')],
      ['cluster_id', t('field.cluster_id'), cluster
        ? h('a', { href: `/enterprises?cluster=${cluster.id}` }, localName(cluster))
        : (e.cluster_id ? `#${e.cluster_id}` : t('common.none'))],
      ['stage', t('field.stage'), label('stage', e.stage)],
      ['size', t('field.size'), label('size', e.size)],
      ['founded', t('field.founded'), formatDate(e.founded)],
      ['employees', t('field.employees'), formatNumber(e.employees)],
      ['status', t('field.status'), label('status', e.status)],
      e.status_reason ? ['status_reason', t('ent.status_reason'), e.status_reason] : null,
      typeof e.in_park === 'boolean'
        ? ['in_park', t('field.in_park'), e.in_park ? t('common.yes') : t('common.no')] : null,
    ]));

    const hasCoords = typeof e.lon === 'number' && typeof e.lat === 'number';
    const location = section('location', t('ent.section.location'), dl([
      ['address', t('field.address'), e.address || t('common.none')],
      ['lon', t('field.lon'), hasCoords ? String(e.lon) : t('common.none')],
      ['lat', t('field.lat'), hasCoords ? String(e.lat) : t('common.none')],
    ]));

    const contacts = e.contacts || [];
    const masked = contacts.some((c) => /\*/.test(`${c.phone || ''}${c.email || ''}`));
    const contactList = contacts.length
      ? h('ul', { class: 'contact-list', 'data-testid': 'contacts' }, contacts.map((c) => h('li', { class: 'contact' },
        h('div', { class: 'contact-name' }, icon('user'), h('strong', null, c.name || t('common.none')),
          c.role ? h('span', { class: 'muted' }, c.role) : null),
        h('div', { class: 'contact-lines' },
          c.phone ? contactLine(t('field.contact.phone'), c.phone, /\*/.test(c.phone) ? null : `tel:${c.phone}`) : null,
          c.email ? contactLine(t('field.contact.email'), c.email, /\*/.test(c.email) ? null : `mailto:${c.email}`) : null))))
      : h('p', { class: 'muted' }, t('ent.contacts.none'));
    const contactSection = section('contacts', t('ent.section.contacts'),
      contactList, masked ? h('p', { class: 'note' }, t('ent.contacts.masked')) : null);

    const tagSection = section('tags', t('ent.section.tags'), (e.tags || []).length
      ? h('ul', { class: 'tag-list', 'data-testid': 'tags' }, e.tags.map((tg) =>
        h('li', null, h('a', { class: 'tag', href: `/enterprises?tag=${encodeURIComponent(tg)}` }, tg))))
      : h('p', { class: 'muted' }, t('ent.tags.none')));

    const record = section('record', t('ent.section.record'), dl([
      ['id', t('ent.id'), String(e.id)],
      ['version', t('ent.version'), String(e.version)],
      ['created_at', t('ent.created'), formatDateTime(e.created_at)],
      ['updated_at', t('ent.updated'), formatDateTime(e.updated_at)],
    ]));

    root.replaceChildren(breadcrumb(name), head,
      h('div', { class: 'detail-grid' },
        h('div', { class: 'detail-main' }, basic, location, partners.card(e)),
        h('div', { class: 'detail-side' }, contactSection, tagSection, record)));
    if (card) { card.redraw(); root.append(card); }
    if (policies) { policies.redraw(); root.append(policies); }
    root.append(gridSections(ctx, e));
  }

  function breadcrumb(name) {
    return h('nav', { class: 'breadcrumb', 'aria-label': t('nav.breadcrumb') },
      h('a', { href: '/enterprises' }, icon('back'), h('span', null, t('list.title'))),
      name ? h('span', { class: 'crumb-current', 'aria-current': 'page' }, name) : null);
  }

  draw();
  return { onLang: draw };
}

function section(key, title, ...content) {
  return h('section', { class: 'card', 'data-section': key, 'aria-labelledby': `sec-${key}` },
    h('h2', { id: `sec-${key}`, class: 'card-title' }, title), content);
}

function dl(rows) {
  return h('dl', { class: 'fields' }, rows.filter(Boolean).map(([key, dt, dd]) =>
    h('div', { class: 'field-row' }, h('dt', null, dt), h('dd', { 'data-field': key }, dd))));
}

function contactLine(kind, value, href) {
  return h('div', { class: 'contact-line' },
    h('span', { class: 'contact-kind' }, kind),
    href ? h('a', { href }, value) : h('span', { class: 'mono' }, value));
}
