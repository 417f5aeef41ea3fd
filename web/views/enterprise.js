// One enterprise: every field, its contacts and tags, and an Edit
// button for those who may change it.
import { h, icon } from '../dom.js';
import { t, label, localName, otherName, otherLang, formatNumber, formatDate, formatDateTime, addLabels } from '../i18n.js';
import { api, getClusters } from '../api.js';
import { mayEdit, mayRegister } from '../access.js';
import { gridSections } from './visit.js';
import { partnerSection } from './partners.js';
import { cardSection, mayReadCard } from '../card.js';
import { policySection } from '../polfor.js';
import { chainSection } from '../entchain.js';

// The edit view hands a record it just saved to the page it returns
// to, so the page shows exactly what the server answered.
addLabels({
  'retire.open': '迁出或关闭…',
  'reinstate.open': '恢复在营…',
  'retire.title': '企业状态',
  'retire.status': '新的状态',
  'retire.reason': '原因',
  'retire.reason.hint': '例如：迁至松江区九亭镇；吊销营业执照。原因写入企业记录和审计日志。',
  'retire.submit': '确认',
  'retire.cancel': '取消',
  'retire.done': '状态已改为“{status}”。',
}, {
  'retire.open': 'Moved out or closed…',
  'reinstate.open': 'Reinstate…',
  'retire.title': 'Status of the enterprise',
  'retire.status': 'New status',
  'retire.reason': 'Reason',
  'retire.reason.hint': 'For instance: moved to Jiuting Town, Songjiang; licence revoked. The reason goes to the record and the audit log.',
  'retire.submit': 'Confirm',
  'retire.cancel': 'Cancel',
  'retire.done': 'The status is now “{status}”.',
});

let handoff = null;
export function handOver(record, etag) { handoff = { record, etag }; }

export async function render(ctx) {
  const { root, app, params } = ctx;
  const id = Number(params.id);
  const state = { e: null, clusters: [], error: null, status: 0, retiring: false };

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
  // What it makes, buys and whom it trades with: made once, kept across redraws.
  const chainPlace = chainSection(ctx);
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
        otherName(e) ? h('p', { class: 'name-other-lg', lang: otherLang() }, otherName(e)) : null,
        h('div', { class: 'badges' },
          h('span', { class: `status status-${e.status}`, 'data-testid': 'status' }, label('status', e.status)),
          e.stage ? h('span', { class: ['badge', e.stage === 'leading' && 'badge-accent'] }, label('stage', e.stage)) : null,
          e.size ? h('span', { class: 'badge' }, label('size', e.size)) : null,
          e.in_park === false ? h('span', { class: 'badge badge-muted' }, t('ent.in_park.false')) : null)),
      h('div', { class: 'ent-actions' },
        editable
          ? h('a', { class: 'btn btn-primary', id: 'edit-button', href: `/enterprises/${e.id}/edit` },
            icon('edit'), h('span', null, t('ent.edit')))
          : null,
        mayRegister(app.user) && !state.retiring
          ? h('button', { type: 'button', class: 'btn btn-secondary', id: 'retire-button', onclick: () => { state.retiring = true; draw(); } },
            t(e.status === 'active' ? 'retire.open' : 'reinstate.open'))
          : null));

    const basic = section('basic', t('ent.section.basic'), dl([
      ['uscc', t('field.uscc'), h('span', { class: 'mono' }, e.uscc || t('common.none'))],
      ['name_zh', t('field.name_zh'), e.name_zh || t('common.none'), { lang: e.name_zh ? 'zh-CN' : null }],
      ['name_en', t('field.name_en'), e.name_en || t('common.none'), { lang: e.name_en ? 'en' : null }],
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

    root.replaceChildren(breadcrumb(name), head, ...(state.retiring ? [retireForm(e)] : []),
      h('div', { class: 'detail-grid' },
        h('div', { class: 'detail-main' }, basic, location, chainPlace.card(e), partners.card(e)),
        h('div', { class: 'detail-side' }, contactSection, tagSection, record)));
    if (card) { card.redraw(); root.append(card); }
    if (policies) { policies.redraw(); root.append(policies); }
    root.append(gridSections(ctx, e));
  }

  // Moving out, closing or reinstating: POST /retire with the reason,
  // which the record keeps.
  function retireForm(e) {
    const choices = e.status === 'active' ? ['moved_out', 'closed'] : ['active'];
    const status = h('select', { id: 'retire-status', name: 'status' },
      choices.map((c) => h('option', { value: c }, label('status', c))));
    const reason = h('textarea', { id: 'retire-reason', name: 'reason', rows: 2, maxlength: 200, 'aria-describedby': 'retire-hint' });
    const errors = h('div', { class: 'field-error', id: 'retire-error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'retire-submit' }, t('retire.submit'));
    const form = h('form', { class: 'card form-card', id: 'retire-form', novalidate: true },
      h('h2', { class: 'card-title' }, t('retire.title')),
      h('div', { class: 'field' }, h('label', { for: 'retire-status' }, t('retire.status')), status),
      h('div', { class: 'field' }, h('label', { for: 'retire-reason' }, t('retire.reason')), reason,
        h('p', { class: 'hint', id: 'retire-hint' }, t('retire.reason.hint'))),
      errors,
      h('div', { class: 'form-actions' }, submit,
        h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => { state.retiring = false; draw(); } }, t('retire.cancel'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      submit.disabled = true;
      try {
        const r = await api('POST', `/enterprises/${e.id}/retire`, { body: { status: status.value, reason: reason.value } });
        state.e = r.data;
        state.retiring = false;
        app.flash(t('retire.done', { status: label('status', r.data.status) }));
        app.navigate(`/enterprises/${e.id}`, { replace: true });
      } catch (err) {
        errors.textContent = (err.errors.length ? err.errors.map((x) => x.message) : [err.message]).join(' ');
        errors.hidden = false;
        submit.disabled = false;
      }
    });
    return form;
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

// Rows of [key, term, value, attributes of the value (its lang)].
function dl(rows) {
  return h('dl', { class: 'fields' }, rows.filter(Boolean).map(([key, dt, dd, attrs]) =>
    h('div', { class: 'field-row' }, h('dt', null, dt), h('dd', { 'data-field': key, ...attrs }, dd))));
}

function contactLine(kind, value, href) {
  return h('div', { class: 'contact-line' },
    h('span', { class: 'contact-kind' }, kind),
    href ? h('a', { href }, value) : h('span', { class: 'mono' }, value));
}
