// A service's form (/services/new, /services/{id}/edit): an officer adds
// or changes a service of the catalogue (POST /api/v1/services, PATCH
// with If-Match); an enterprise contact offers a resource of its own,
// which waits for approval. The hours are edited as weekly spans and
// exceptions; every refusal is shown at its field, those of the hours at
// their row ("hours.weekly[1].closes_at").
import { h, icon } from '../dom.js';
import { t, localName } from '../i18n.js';
import { api } from '../api.js';
import { CATEGORIES, DAYS, mayManage, isEnterprise, categoryName, serviceName } from '../svckit.js';

const TEXTS = ['name_zh', 'name_en', 'description_zh', 'description_en', 'eligibility', 'fees', 'phone', 'email', 'url'];
const blankContact = () => ({ name: '', title: '', phone: '', email: '' });

function draftOf(s) {
  const loc = (s && s.locations[0]) || {};
  return {
    ...Object.fromEntries(TEXTS.map((k) => [k, s ? s[k] : ''])),
    category: s ? s.category.code : '',
    provider_id: s ? String(s.provider.id) : '',
    languages: s ? s.languages.join(', ') : 'zh',
    documents: s ? s.documents.join('\n') : '',
    deadline_hours: s ? String(s.deadline_hours) : '120',
    last_verified: s && s.last_verified ? s.last_verified : '',
    status: s ? s.status : 'active',
    location: { name: loc.name || '', address: loc.address || '', lon: loc.lon ?? '', lat: loc.lat ?? '' },
    contacts: s && s.contacts.length ? s.contacts.map((c) => ({ ...c })) : [blankContact()],
    weekly: s ? s.hours.weekly.map((r) => ({ days: r.byday.split(','), opens_at: r.opens_at, closes_at: r.closes_at }))
      : [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], opens_at: '08:30', closes_at: '17:00' }],
    exceptions: s ? s.hours.exceptions.map((x) => ({ ...x, opens_at: x.opens_at || '', closes_at: x.closes_at || '', description: x.description || '' })) : [],
  };
}

export async function render(ctx) {
  const { root, app, params } = ctx;
  const user = app.user;
  const editing = Boolean(params.id);
  const staff = mayManage(user);
  const offer = !staff && isEnterprise(user);
  const state = { s: null, etag: null, providers: [], draft: null, errs: {}, general: [], busy: false, error: null };

  if (!staff && !(offer && !editing)) {
    root.replaceChildren(h('div', { class: 'alert alert-error', role: 'alert' }, t('common.forbidden')));
    return null;
  }
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  try {
    if (editing) {
      const r = await api('GET', `/services/${params.id}`);
      state.s = r.data;
      state.etag = r.etag;
    }
    if (staff) state.providers = (await api('GET', '/organisations')).data.items || [];
  } catch (e) {
    state.error = e.message;
  }
  if (!ctx.alive()) return null;
  state.draft = draftOf(state.s);
  const d = state.draft;

  function errorsAt(path) {
    return (state.errs[path] || []).map((m) => h('p', { class: 'field-error', 'data-field': path }, m));
  }

  // An input bound to the draft: obj[key] follows what is typed.
  function input(id, obj, key, attrs = {}) {
    const el = h(attrs.tag || 'input', { id, class: ['input', attrs.tag === 'textarea' && 'textarea'], ...attrs, tag: null, value: obj[key] ?? '' });
    el.addEventListener('input', () => { obj[key] = el.value; });
    el.addEventListener('change', () => { obj[key] = el.value; });
    return el;
  }

  function field(path, labelText, control, hint) {
    if ((state.errs[path] || []).length) control.setAttribute('aria-invalid', 'true');
    return h('div', { class: 'field', 'data-path': path },
      h('label', { for: control.id }, labelText), control,
      hint ? h('p', { class: 'hint muted small' }, hint) : null, errorsAt(path));
  }

  function textField(key, attrs = {}, hint = null) {
    return field(key, t(`svc.field.${key}`), input(`svc-${key}`, d, key, attrs), hint);
  }

  function basics() {
    const cat = h('select', { id: 'svc-category', class: 'input' }, h('option', { value: '' }, '—'),
      CATEGORIES.map((c) => h('option', { value: c }, categoryName(c))));
    cat.value = d.category;
    cat.addEventListener('change', () => { d.category = cat.value; });
    let provider = null;
    if (staff) {
      const sel = h('select', { id: 'svc-provider_id', class: 'input' }, h('option', { value: '' }, '—'),
        state.providers.filter((o) => !/party_branch$/.test(o.kind)).map((o) => h('option', { value: String(o.id) }, localName(o))));
      sel.value = d.provider_id;
      sel.addEventListener('change', () => { d.provider_id = sel.value; });
      provider = field('provider_id', t('svc.field.provider_id'), sel);
    }
    let status = null;
    if (staff && editing && (d.status === 'active' || d.status === 'inactive')) {
      const sel = h('select', { id: 'svc-status', class: 'input' },
        ['active', 'inactive'].map((x) => h('option', { value: x }, t(`svc.status.${x}`))));
      sel.value = d.status;
      sel.addEventListener('change', () => { d.status = sel.value; });
      status = field('status', t('svc.field.status'), sel);
    }
    return h('fieldset', { class: 'card form-section' }, h('legend', { class: 'card-title' }, t('svc.form.basics')),
      h('div', { class: 'form-grid' },
        textField('name_zh', { maxlength: 100, required: true }),
        textField('name_en', { maxlength: 100 }),
        field('category', t('svc.field.category'), cat),
        provider,
        h('div', { class: 'field-wide' }, textField('description_zh', { tag: 'textarea', rows: 3, maxlength: 2000 })),
        h('div', { class: 'field-wide' }, textField('description_en', { tag: 'textarea', rows: 3, maxlength: 2000 })),
        textField('eligibility', { maxlength: 1000 }),
        textField('fees', { maxlength: 500 }),
        textField('languages', {}, t('svc.field.languages.hint')),
        textField('documents', { tag: 'textarea', rows: 3 }, t('svc.field.documents.hint')),
        textField('deadline_hours', { type: 'number', min: 1, max: 8760, inputmode: 'numeric' }),
        staff ? textField('last_verified', { type: 'date' }) : null,
        status));
  }

  function reach() {
    const loc = d.location;
    const contacts = d.contacts.map((c, i) => h('div', { class: 'svc-contact-row form-grid', 'data-testid': 'contact-row' },
      field(`contacts[${i}].name`, t('svc.field.contact_name'), input(`svc-contact-${i}-name`, c, 'name', { maxlength: 50 })),
      field(`contacts[${i}].title`, t('svc.field.contact_title'), input(`svc-contact-${i}-title`, c, 'title', { maxlength: 50 })),
      field(`contacts[${i}].phone`, t('svc.field.contact_phone'), input(`svc-contact-${i}-phone`, c, 'phone', { type: 'tel', maxlength: 30 })),
      field(`contacts[${i}].email`, t('svc.field.contact_email'), input(`svc-contact-${i}-email`, c, 'email', { type: 'email', maxlength: 200 })),
      errorsAt(`contacts[${i}]`),
      h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => { d.contacts.splice(i, 1); draw(); } },
        t('svc.hours.remove'))));
    return h('fieldset', { class: 'card form-section' }, h('legend', { class: 'card-title' }, t('svc.form.reach')),
      h('div', { class: 'form-grid' },
        textField('phone', { type: 'tel', maxlength: 30 }),
        textField('email', { type: 'email', maxlength: 200 }),
        h('div', { class: 'field-wide' }, textField('url', { type: 'url', maxlength: 300 })),
        field('locations[0].name', t('svc.field.location_name'), input('svc-loc-name', loc, 'name', { maxlength: 100 })),
        field('locations[0].address', t('svc.field.location_address'), input('svc-loc-address', loc, 'address', { maxlength: 200 })),
        field('locations[0].lon', t('svc.field.lon'), input('svc-loc-lon', loc, 'lon', { inputmode: 'decimal' })),
        field('locations[0].lat', t('svc.field.lat'), input('svc-loc-lat', loc, 'lat', { inputmode: 'decimal' }))),
      contacts,
      d.contacts.length < 8 ? h('button', { type: 'button', class: 'btn btn-secondary btn-small', id: 'svc-contact-add',
        onclick: () => { d.contacts.push(blankContact()); draw(); } }, icon('plus'), ' ', t('svc.contact.add')) : null);
  }

  function hours() {
    const weekly = d.weekly.map((r, i) => h('div', { class: 'svc-hours-row', 'data-testid': 'weekly-row', 'data-path': `hours.weekly[${i}]` },
      h('div', { class: 'svc-days', role: 'group', 'aria-label': t('svc.hours.weekly'), 'data-path': `hours.weekly[${i}].byday` }, DAYS.map((day) => {
        const id = `svc-w${i}-${day}`;
        const box = h('input', { type: 'checkbox', id, checked: r.days.includes(day) });
        box.addEventListener('change', () => {
          r.days = DAYS.filter((x) => (x === day ? box.checked : r.days.includes(x)));
        });
        return h('label', { class: 'svc-day', for: id }, box, t(`svc.day.${day}`));
      })),
      h('div', { class: 'svc-times' },
        field(`hours.weekly[${i}].opens_at`, t('svc.hours.opens'), input(`svc-w${i}-opens`, r, 'opens_at', { placeholder: '08:30', maxlength: 5, inputmode: 'numeric' })),
        field(`hours.weekly[${i}].closes_at`, t('svc.hours.closes'), input(`svc-w${i}-closes`, r, 'closes_at', { placeholder: '17:00', maxlength: 5, inputmode: 'numeric' })),
        h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => { d.weekly.splice(i, 1); draw(); } }, t('svc.hours.remove'))),
      errorsAt(`hours.weekly[${i}].byday`), errorsAt(`hours.weekly[${i}]`)));
    const exceptions = d.exceptions.map((x, i) => {
      const closed = h('input', { type: 'checkbox', id: `svc-x${i}-closed`, checked: Boolean(x.closed) });
      closed.addEventListener('change', () => { x.closed = closed.checked; draw(); });
      return h('div', { class: 'svc-hours-row', 'data-testid': 'exception-row', 'data-path': `hours.exceptions[${i}]` },
        h('div', { class: 'svc-times' },
          field(`hours.exceptions[${i}].valid_from`, t('svc.hours.from'), input(`svc-x${i}-from`, x, 'valid_from', { type: 'date' })),
          field(`hours.exceptions[${i}].valid_to`, t('svc.hours.to'), input(`svc-x${i}-to`, x, 'valid_to', { type: 'date' })),
          h('label', { class: 'svc-check', for: `svc-x${i}-closed` }, closed, ' ', t('svc.hours.closed'))),
        x.closed ? null : h('div', { class: 'svc-times' },
          field(`hours.exceptions[${i}].opens_at`, t('svc.hours.opens'), input(`svc-x${i}-opens`, x, 'opens_at', { placeholder: '09:00', maxlength: 5 })),
          field(`hours.exceptions[${i}].closes_at`, t('svc.hours.closes'), input(`svc-x${i}-closes`, x, 'closes_at', { placeholder: '12:00', maxlength: 5 }))),
        h('div', { class: 'svc-times' },
          field(`hours.exceptions[${i}].description`, t('svc.hours.description'), input(`svc-x${i}-desc`, x, 'description', { maxlength: 50 })),
          h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => { d.exceptions.splice(i, 1); draw(); } }, t('svc.hours.remove'))),
        errorsAt(`hours.exceptions[${i}]`));
    });
    return h('fieldset', { class: 'card form-section', 'data-path': 'hours' }, h('legend', { class: 'card-title' }, t('svc.form.hours')),
      h('p', { class: 'hint muted small' }, t('svc.hours.hint')), errorsAt('hours'),
      h('h3', { class: 'sub-title' }, t('svc.hours.weekly')), weekly,
      h('button', { type: 'button', class: 'btn btn-secondary btn-small', id: 'svc-weekly-add',
        onclick: () => { d.weekly.push({ days: [], opens_at: '', closes_at: '' }); draw(); } }, icon('plus'), ' ', t('svc.hours.add')),
      h('h3', { class: 'sub-title' }, t('svc.hours.exceptions')), exceptions,
      h('button', { type: 'button', class: 'btn btn-secondary btn-small', id: 'svc-exception-add',
        onclick: () => { d.exceptions.push({ valid_from: '', valid_to: '', closed: true, opens_at: '', closes_at: '', description: '' }); draw(); } },
      icon('plus'), ' ', t('svc.hours.exc.add')));
  }

  // The body as the API reads it: on a change an emptied text is null
  // (cleared), on a new service it is left out.
  function body() {
    const b = {};
    for (const k of TEXTS) {
      const v = (d[k] || '').trim();
      if (v) b[k] = v;
      else if (editing) b[k] = null;
    }
    if (d.category) b.category = d.category;
    if (staff && d.provider_id) b.provider_id = Number(d.provider_id);
    b.languages = d.languages.split(/[,，\s]+/).filter(Boolean);
    b.documents = d.documents.split('\n').map((x) => x.trim()).filter(Boolean);
    if (String(d.deadline_hours).trim()) {
      const n = Number(d.deadline_hours);
      b.deadline_hours = Number.isFinite(n) ? n : d.deadline_hours;
    }
    if (staff) b.last_verified = d.last_verified || null;
    if (staff && editing && (d.status === 'active' || d.status === 'inactive') && d.status !== state.s.status) b.status = d.status;
    const loc = d.location;
    const num = (v) => (String(v).trim() === '' ? undefined : Number(v));
    b.locations = loc.name || loc.address || String(loc.lon).trim() || String(loc.lat).trim()
      ? [{ name: loc.name || undefined, address: loc.address || undefined, lon: num(loc.lon), lat: num(loc.lat) }] : [];
    b.contacts = d.contacts.filter((c) => c.name || c.phone || c.email || c.title)
      .map((c) => ({ name: c.name, title: c.title || undefined, phone: c.phone || undefined, email: c.email || undefined }));
    b.hours = {
      weekly: d.weekly.map((r) => ({ byday: r.days.join(','), opens_at: r.opens_at, closes_at: r.closes_at })),
      exceptions: d.exceptions.map((x) => (x.closed
        ? { valid_from: x.valid_from, valid_to: x.valid_to, closed: true, description: x.description || undefined }
        : { valid_from: x.valid_from, valid_to: x.valid_to, opens_at: x.opens_at, closes_at: x.closes_at, description: x.description || undefined })),
    };
    return b;
  }

  async function save(ev) {
    ev.preventDefault();
    if (state.busy) return;
    state.busy = true;
    state.errs = {};
    state.general = [];
    draw();
    try {
      const r = editing
        ? await api('PATCH', `/services/${params.id}`, { body: body(), headers: { 'If-Match': state.etag || '*' } })
        : await api('POST', '/services', { body: body() });
      app.flash(offer ? t('svc.offer.saved') : t('svc.saved'), 'ok');
      app.navigate(`/services/${r.data.id}`);
      return;
    } catch (e) {
      const list = e.errors && e.errors.length ? e.errors : [{ field: e.field, message: e.message }];
      const shown = (f) => f && root.querySelector(`[data-path="${CSS.escape(f)}"]`);
      for (const fe of list) {
        // "languages[1]" is shown at its list's field.
        const f = fe.field && !shown(fe.field) ? fe.field.replace(/\[\d+\]$/, '') : fe.field;
        const at = shown(f) ? f : null;
        if (at) (state.errs[at] ||= []).push(fe.message);
        else state.general.push(fe.message);
      }
    }
    state.busy = false;
    draw();
    const first = root.querySelector('.field-error, #svc-form-errors');
    if (first) first.scrollIntoView({ block: 'center' });
  }

  function draw() {
    const title = editing ? t('svc.form.edit') : offer ? t('svc.form.offer') : t('svc.form.new');
    app.setTitle(title);
    if (state.error) {
      root.replaceChildren(h('div', { class: 'alert alert-error', role: 'alert' }, state.error));
      return;
    }
    const form = h('form', { class: 'svc-form edit-page', id: 'service-form', novalidate: true },
      state.general.length ? h('div', { class: 'alert alert-error', role: 'alert', id: 'svc-form-errors' },
        state.general.map((m) => h('p', null, m))) : null,
      basics(), reach(), hours(),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary btn-touch', id: 'service-save', disabled: state.busy },
          state.busy ? t('svc.saving') : t('svc.save')),
        h('a', { class: 'btn btn-ghost', href: editing ? `/services/${params.id}` : '/services' }, t('common.back'))));
    form.addEventListener('submit', save);
    root.replaceChildren(h('div', { class: 'svc-edit' },
      h('div', { class: 'page-head' }, h('div', null, h('h1', null, title),
        editing ? h('p', { class: 'muted' }, serviceName(state.s)) : offer ? h('p', { class: 'muted' }, t('svc.form.offer.intro')) : null)),
      form));
  }

  draw();
  return { onLang() { draw(); } };
}
