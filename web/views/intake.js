// Staff intake (/cases/new for staff): a case received by the hotline,
// the mailbox, at a collection point or an event, entered with its
// channel and the caller's details, which the server keeps apart from
// the case and shows in full only to the handling department. POST
// /api/v1/cases with an Idempotency-Key; the server's field errors are
// shown beside their fields, and the answer's tracking code is given to
// be read back to the caller.
import { h } from '../dom.js';
import { t, localName } from '../i18n.js';
import { api } from '../api.js';
import {
  KINDS, getCategories, categoryOptions, fieldErrors, requestKey, deadlineText, similarItems, kindName, channelName,
} from '../casekit.js';
import '../plan-i18n.js';

// The channels staff take cases from; web, Open311, the card and the
// grid visit have forms of their own.
export const INTAKE_CHANNELS = ['hotline', 'mailbox', 'street_reception', 'workstation', 'contact_point', 'residential', 'event', 'console'];
// A collection point's channel: salons, roundtables and classes are events.
const POINT_CHANNEL = { salon: 'event', roundtable: 'event', party_class: 'event' };
const pointChannel = (p) => POINT_CHANNEL[p.type] || p.type;
const FIELDS = ['channel', 'point_id', 'kind', 'category', 'text', 'street', 'address', 'name', 'phone', 'email'];

// Who enters cases by hand, as the server allows it (case_may_create):
// enterprises raise their own on their own form.
export function mayEnterCases(user) {
  return Boolean(user) && ['admin', 'officer', 'secretary', 'grid_worker'].includes(user.role);
}

const blankDraft = () => ({
  channel: 'hotline', point_id: '', kind: 'complaint', category: '', text: '', street: '', address: '', name: '', phone: '', email: '',
});

export async function render(ctx) {
  const { root, app } = ctx;
  const state = { categories: [], points: [], draft: blankDraft(), saving: false, general: [], done: null, key: requestKey() };
  const errors = fieldErrors();

  app.setTitle(t('intake.title'));
  if (!mayEnterCases(app.user)) {
    root.replaceChildren(h('h1', null, t('intake.title')),
      h('div', { class: 'alert alert-error', role: 'alert' }, t('intake.forbidden')),
      h('p', null, h('a', { href: '/cases' }, t('common.back'))));
    return null;
  }
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  const [cats, points] = await Promise.all([
    getCategories().catch(() => []),
    api('GET', '/collection-points').then((r) => r.data.items || []).catch(() => []),
  ]);
  if (!ctx.alive()) return null;
  state.categories = cats;
  state.points = points.filter((p) => p.active !== false);

  function crumbs() {
    return h('nav', { class: 'breadcrumb', 'aria-label': t('nav.breadcrumb') },
      h('a', { href: '/cases' }, h('span', null, t('cases.title'))),
      h('span', { class: 'crumb-current', 'aria-current': 'page' }, t('intake.title')));
  }

  function drawDone() {
    const { c, code, similar } = state.done;
    root.replaceChildren(h('div', { class: 'case-form-page' }, crumbs(),
      h('h1', null, t('intake.title')),
      h('div', { class: 'card done-card', 'data-testid': 'case-created', 'data-id': c.id },
        h('p', { class: 'done-line' }, t('intake.done', { id: c.id, deadline: deadlineText(c) })),
        h('p', { class: 'intake-code', 'data-testid': 'intake-code' }, t('intake.code', { code })),
        h('div', { class: 'form-actions-inline' },
          h('a', { class: 'btn btn-primary btn-touch', href: `/cases/${c.id}`, id: 'open-created' }, t('intake.open')),
          h('button', {
            type: 'button', class: 'btn btn-secondary btn-touch', id: 'intake-another',
            onclick: () => {
              const { channel, point_id: point } = state.draft;
              state.done = null;
              state.draft = { ...blankDraft(), channel, point_id: point };
              state.key = requestKey();
              draw();
            },
          }, t('intake.another')))),
      similar.length ? h('section', { class: 'card' },
        h('h2', { class: 'card-title' }, t('case.section.similar')),
        similarItems(similar, { link: true })) : null));
  }

  function bind(el, key) {
    el.value = state.draft[key] ?? '';
    el.addEventListener(el.tagName === 'SELECT' ? 'change' : 'input', () => { state.draft[key] = el.value; });
    errors.describe(el, key, el.id);
    return el;
  }

  function field(key, label, control, hint) {
    return h('div', { class: 'field', 'data-for': key },
      h('label', { for: control.id }, label), control,
      hint ? h('p', { class: 'hint', id: `${control.id}-hint` }, hint) : null,
      errors.show(key, control.id));
  }

  function draw() {
    app.setTitle(t('intake.title'));
    if (state.done) { drawDone(); return; }
    const d = state.draft;
    const channel = bind(h('select', { id: 'f-channel', name: 'channel', class: 'input' },
      INTAKE_CHANNELS.map((c) => h('option', { value: c }, channelName(c)))), 'channel');
    // Changing the channel offers its points; a point chosen keeps it.
    channel.addEventListener('change', () => {
      const p = state.points.find((x) => String(x.id) === d.point_id);
      if (p && pointChannel(p) !== d.channel) d.point_id = '';
      draw();
      const el = root.querySelector('#f-channel');
      if (el) el.focus();
    });
    const offered = state.points.filter((p) => pointChannel(p) === d.channel);
    const point = offered.length ? bind(h('select', { id: 'f-point', name: 'point_id', class: 'input' },
      h('option', { value: '' }, t('intake.point.none')),
      offered.map((p) => h('option', { value: String(p.id) }, localName(p) || p.name_zh || p.name))), 'point_id') : null;
    const kind = bind(h('select', { id: 'f-kind', name: 'kind', class: 'input' },
      KINDS.filter((k) => k !== 'service_request').map((k) => h('option', { value: k }, kindName(k)))), 'kind');
    const category = bind(h('select', { id: 'f-category', name: 'category', class: 'input', required: true },
      h('option', { value: '' }, t('intake.category.choose')),
      categoryOptions(state.categories, () => true, (c) => c.code)), 'category');
    const text = bind(h('textarea', { id: 'f-text', name: 'text', class: 'input textarea', rows: 5, maxlength: 4000, required: true }), 'text');
    const street = bind(h('input', { id: 'f-street', name: 'street', class: 'input', maxlength: 50 }), 'street');
    const address = bind(h('input', { id: 'f-address', name: 'address', class: 'input', maxlength: 200 }), 'address');
    const name = bind(h('input', { id: 'f-name', name: 'name', class: 'input', maxlength: 50, autocomplete: 'off' }), 'name');
    const phone = bind(h('input', { id: 'f-phone', name: 'phone', class: 'input', type: 'tel', maxlength: 30, autocomplete: 'off', inputmode: 'tel' }), 'phone');
    const email = bind(h('input', { id: 'f-email', name: 'email', class: 'input', type: 'email', maxlength: 200, autocomplete: 'off' }), 'email');
    const save = h('button', { type: 'submit', class: 'btn btn-primary btn-touch', id: 'intake-save', disabled: state.saving },
      state.saving ? t('intake.saving') : t('intake.submit'));
    const form = h('form', { id: 'intake-form', class: 'case-form intake-form card', novalidate: true, 'aria-busy': state.saving ? 'true' : null },
      errors.any() || state.general.length
        ? h('div', { class: 'alert alert-error', role: 'alert', id: 'form-errors' },
          errors.any() ? h('p', null, t('suggest.errors')) : null,
          state.general.length ? h('ul', null, state.general.map((m) => h('li', null, m))) : null)
        : null,
      h('div', { class: 'field-pair' }, field('channel', t('intake.channel'), channel),
        point ? field('point_id', t('intake.point'), point) : null),
      h('div', { class: 'field-pair' }, field('kind', t('intake.kind'), kind), field('category', t('intake.category'), category)),
      field('text', t('intake.text'), text, t('intake.text.hint')),
      h('div', { class: 'field-pair' }, field('street', t('intake.street'), street), field('address', t('intake.address'), address)),
      h('fieldset', { class: 'intake-person' },
        h('legend', null, t('intake.person')),
        h('div', { class: 'field-pair' }, field('name', t('intake.name'), name), field('phone', t('intake.phone'), phone)),
        field('email', t('intake.email'), email)),
      h('div', { class: 'form-actions-inline' }, save,
        h('a', { class: 'btn btn-secondary btn-touch', href: '/cases' }, t('edit.cancel'))));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); submit(); });
    root.replaceChildren(h('div', { class: 'case-form-page' }, crumbs(),
      h('div', { class: 'page-head' }, h('div', null,
        h('h1', null, t('intake.title')),
        h('p', { class: 'muted' }, t('intake.intro')))),
      form));
  }

  async function submit() {
    if (state.saving) return;
    errors.clear();
    state.general = [];
    state.saving = true;
    draw();
    const d = state.draft;
    const body = { kind: d.kind, category: d.category, text: d.text.trim(), channel: d.channel };
    if (d.point_id) body.point_id = Number(d.point_id);
    for (const k of ['street', 'address', 'name', 'phone', 'email']) if (d[k].trim()) body[k] = d[k].trim();
    try {
      const r = await api('POST', '/cases', { body, headers: { 'Idempotency-Key': state.key } });
      if (!ctx.alive()) return;
      state.done = { c: r.data.case, code: r.data.tracking_code, similar: r.data.similar || [] };
    } catch (err) {
      if (!ctx.alive()) return;
      state.general = errors.fromApi(err, FIELDS);
    }
    state.saving = false;
    draw();
    const first = root.querySelector('[aria-invalid="true"]') || root.querySelector('#form-errors');
    if (first) {
      if (!first.matches('input, select, textarea')) first.setAttribute('tabindex', '-1');
      first.focus();
    }
  }

  draw();
  return { onLang: draw };
}
