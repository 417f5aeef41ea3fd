// Registering and editing an enterprise: POST of the fields filled in, or
// PATCH with If-Match and only the fields that changed, typed as the API
// wants them. A 422 marks every bad field in place; a 412 offers the newer
// version. An officer may accept a code that fails its check, with the
// reason, which the server audits.
import { h, icon } from '../dom.js';
import { t, label, localName, isZh, addLabels } from '../i18n.js';
import { api, getClusters } from '../api.js';
import { ALL_FIELDS, editableFields, mayOverrideUscc, mayRegister } from '../access.js';
import { handOver } from './enterprise.js';

const STAGES = ['leading', 'upstream', 'midstream', 'downstream', 'service'];
const SIZES = ['micro', 'small', 'medium', 'large'];
const TAG_SPLIT = /[,，;；、\n]+/;

// How each field is edited and how its value is typed for the API.
const KIND = {
  uscc: 'text', name_zh: 'text', name_en: 'text', industry: 'text', address: 'text',
  cluster_id: 'int-select', stage: 'enum', size: 'enum', founded: 'date',
  lon: 'real', lat: 'real', employees: 'int', in_park: 'bool', tags: 'tags', contacts: 'contacts',
};

const GROUPS = [
  ['basic', 'ent.section.basic', ['uscc', 'name_zh', 'name_en', 'industry', 'cluster_id', 'stage', 'size',
    'founded', 'employees', 'in_park']],
  ['location', 'ent.section.location', ['address', 'lon', 'lat']],
  ['tags', 'ent.section.tags', ['tags']],
  ['contacts', 'ent.section.contacts', ['contacts']],
];

const CONTACT_KEYS = ['name', 'role', 'phone', 'email'];

addLabels({
  'new.title': '登记企业',
  'new.save': '登记',
  'new.saved': '已登记。',
  'field.uscc_override_reason': '接受的理由',
  'field.uscc_override_reason.hint': '例如：已核验营业执照原件；代码为 2015 年前颁发。理由记入审计日志。',
}, {
  'new.title': 'Register an enterprise',
  'new.save': 'Register',
  'new.saved': 'Registered.',
  'field.uscc_override_reason': 'Why the code is accepted',
  'field.uscc_override_reason.hint': 'For instance: the business licence was seen; the code was issued before 2015. The reason goes to the audit log.',
});

// A new record: nothing filled in but what every enterprise starts with.
const BLANK = { in_park: true, tags: [], contacts: [] };

// ---- values: the record's, the form's, and the API's ----

function draftOf(e) {
  const d = {};
  for (const [f, kind] of Object.entries(KIND)) {
    const v = e[f];
    if (kind === 'bool') d[f] = v !== false;
    else if (kind === 'tags') d[f] = (v || []).join(isZh() ? '、' : ', ');
    else if (kind === 'contacts') d[f] = (v || []).map((c) => Object.fromEntries(CONTACT_KEYS.map((k) => [k, c[k] ?? ''])));
    else d[f] = v === null || v === undefined ? '' : String(v);
  }
  return d;
}

function text(v) {
  const s = (v ?? '').toString().trim();
  return s === '' ? null : s;
}

// A number input's text as a JSON number; empty means null. A whole
// number is sent as an integer (JSON has one number type; 12 and 12.0
// are the same), a fraction as it is, so the server can name the rule.
function numberOf(v) {
  const s = (v ?? '').toString().trim();
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : s;
}

function contactsOf(list) {
  return (list || []).map((c) => Object.fromEntries(CONTACT_KEYS.map((k) => [k, text(c[k])])))
    .filter((c) => CONTACT_KEYS.some((k) => c[k] !== null));
}

// The API value of a field, from the form's draft.
function apiValue(field, draft) {
  const v = draft[field];
  switch (KIND[field]) {
    case 'text': return field === 'uscc' && text(v) ? text(v).replace(/\s+/g, '').toUpperCase() : text(v);
    case 'int': case 'int-select': return numberOf(v);
    case 'real': return numberOf(v);
    case 'enum': case 'date': return text(v);
    case 'bool': return Boolean(v);
    case 'tags': return (v || '').split(TAG_SPLIT).map((s) => s.trim()).filter(Boolean);
    case 'contacts': return contactsOf(v);
    default: return v;
  }
}

// The same field of the record, normalised the same way.
function recordValue(field, e) {
  const v = e[field];
  switch (KIND[field]) {
    case 'text': case 'enum': case 'date': return text(v);
    case 'int': case 'int-select': case 'real': return v === undefined ? null : v;
    case 'bool': return v !== false;
    case 'tags': return (v || []).slice();
    case 'contacts': return contactsOf(v);
    default: return v;
  }
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export async function render(ctx) {
  const { root, app, params } = ctx;
  const creating = !params.id;
  const id = creating ? null : Number(params.id);
  const state = {
    e: null, etag: null, draft: null, clusters: [], fields: [],
    errors: {}, general: [], stale: false, saving: false, loadError: null, note: null,
  };

  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  app.setTitle(t(creating ? 'new.title' : 'edit.title'));

  async function fetchRecord() {
    if (creating) {
      state.e = { ...BLANK };
      state.draft = draftOf(state.e);
      state.fields = mayRegister(app.user) ? ALL_FIELDS.slice() : [];
      return;
    }
    const r = await api('GET', `/enterprises/${id}`);
    state.e = r.data;
    state.etag = r.etag;
    state.draft = draftOf(r.data);
    state.fields = editableFields(app.user, r.data);
  }

  try {
    const [, clusters] = await Promise.all([fetchRecord(), getClusters().catch(() => [])]);
    state.clusters = clusters;
  } catch (e) {
    state.loadError = e;
  }
  if (!ctx.alive()) return null;

  if (state.loadError || !state.fields.length) {
    const msg = state.loadError ? state.loadError.message : t('common.forbidden');
    root.replaceChildren(
      h('h1', null, t('edit.title')),
      h('div', { class: 'alert alert-error', role: 'alert' }, msg),
      h('p', null, h('a', { href: creating ? '/enterprises' : `/enterprises/${id}` }, t('common.back'))));
    return null;
  }

  // What is sent: a new record's fields that are filled in, an old one's
  // that changed.
  const changes = () => {
    const out = {};
    for (const f of state.fields) {
      const v = apiValue(f, state.draft);
      if (creating ? v !== null && !(Array.isArray(v) && !v.length) : !same(v, recordValue(f, state.e))) out[f] = v;
    }
    return out;
  };

  // ---- drawing ----

  function errorsFor(name) {
    const msgs = state.errors[name] || [];
    return msgs.map((m, i) => h('p', {
      class: 'field-error', 'data-field': name, id: `err-${cssId(name)}${i ? `-${i}` : ''}`,
    }, icon('close', 'icon icon-err'), h('span', null, m)));
  }

  function describe(input, name, hintId) {
    const ids = [];
    if (hintId) ids.push(hintId);
    (state.errors[name] || []).forEach((_, i) => ids.push(`err-${cssId(name)}${i ? `-${i}` : ''}`));
    if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
    if (state.errors[name]) input.setAttribute('aria-invalid', 'true');
  }

  function bind(input, name, set) {
    input.addEventListener('input', () => set(input.type === 'checkbox' ? input.checked : input.value));
    input.addEventListener('change', () => set(input.type === 'checkbox' ? input.checked : input.value));
  }

  function control(f) {
    const id = `f-${f}`;
    const v = state.draft[f];
    const set = (x) => { state.draft[f] = x; };
    let input;
    let hint = null;
    switch (KIND[f]) {
      case 'text':
        input = h('input', {
          id, name: f, type: 'text', class: ['input', (f === 'uscc' || f === 'industry') && 'mono'], value: v,
          autocomplete: 'off', inputmode: f === 'industry' ? 'numeric' : null,
          spellcheck: f === 'uscc' || f === 'industry' ? 'false' : null,
        });
        break;
      case 'int':
        input = h('input', { id, name: f, type: 'number', step: '1', inputmode: 'numeric', class: 'input num', value: v });
        hint = t('edit.hint.numbers');
        break;
      case 'real':
        input = h('input', { id, name: f, type: 'number', step: 'any', inputmode: 'decimal', class: 'input num', value: v });
        hint = t('edit.hint.lonlat');
        break;
      case 'date':
        input = h('input', { id, name: f, type: 'date', min: '1800-01-01', max: '2100-12-31', class: 'input', value: v });
        break;
      case 'enum': {
        const opts = f === 'stage' ? STAGES : SIZES;
        input = h('select', { id, name: f, class: 'input' },
          h('option', { value: '' }, t('edit.none')),
          opts.map((o) => h('option', { value: o }, label(f, o))));
        if (v && !opts.includes(v)) input.append(h('option', { value: v }, v));
        input.value = v;
        break;
      }
      case 'int-select':
        input = h('select', { id, name: f, class: 'input' },
          h('option', { value: '' }, t('edit.none')),
          state.clusters.map((c) => h('option', { value: String(c.id) }, localName(c))));
        if (v && !state.clusters.some((c) => String(c.id) === v)) input.append(h('option', { value: v }, `#${v}`));
        input.value = v;
        break;
      case 'bool':
        input = h('input', { id, name: f, type: 'checkbox', class: 'checkbox', checked: v });
        break;
      case 'tags':
        input = h('input', { id, name: f, type: 'text', class: 'input', value: v, autocomplete: 'off' });
        hint = t('edit.hint.tags');
        break;
      default:
        return null;
    }
    bind(input, f, set);
    const hintId = hint ? `hint-${f}` : null;
    describe(input, f, hintId);
    if (KIND[f] === 'bool') {
      return h('div', { class: 'field field-check', 'data-for': f },
        h('label', { class: 'check' }, input, h('span', null, t(`field.${f}`))), errorsFor(f));
    }
    const wrap = h('div', { class: ['field', (f === 'address' || f === 'tags') && 'field-wide'], 'data-for': f },
      h('label', { for: id }, t(`field.${f}`)), input,
      hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
      errorsFor(f));
    if (f === 'uscc' && mayOverrideUscc(app.user)) {
      const ov = h('input', { type: 'checkbox', name: 'uscc_override', id: 'f-uscc_override', class: 'checkbox',
        checked: Boolean(state.override) });
      const reason = h('input', {
        type: 'text', name: 'uscc_override_reason', id: 'f-uscc_override_reason', maxlength: 200,
        value: state.overrideReason || '', 'aria-describedby': 'hint-uscc_override_reason',
      });
      reason.addEventListener('input', () => { state.overrideReason = reason.value; });
      const why = h('div', { class: 'field', 'data-for': 'uscc_override_reason', hidden: !state.override },
        h('label', { for: 'f-uscc_override_reason' }, t('field.uscc_override_reason')), reason,
        h('p', { class: 'hint', id: 'hint-uscc_override_reason' }, t('field.uscc_override_reason.hint')),
        errorsFor('uscc_override_reason'));
      ov.addEventListener('change', () => { state.override = ov.checked; why.hidden = !ov.checked; });
      wrap.append(h('label', { class: 'check check-small' }, ov, h('span', null, t('field.uscc_override'))),
        errorsFor('uscc_override'), why);
    }
    return wrap;
  }

  function contactsEditor() {
    const list = state.draft.contacts;
    const items = list.map((c, i) => {
      const remove = h('button', {
        type: 'button', class: 'btn btn-link btn-danger', 'data-testid': 'remove-contact',
        'aria-label': `${t('edit.contact.remove')} (${i + 1})`,
      }, icon('close'), h('span', null, t('edit.contact.remove')));
      remove.addEventListener('click', () => {
        list.splice(i, 1);
        draw();
      });
      return h('fieldset', { class: 'contact-edit', 'data-testid': 'contact-edit' },
        h('legend', null, t('edit.contact.n', { n: i + 1 })),
        h('div', { class: 'form-grid' }, CONTACT_KEYS.map((k) => {
          const name = `contacts[${i}].${k}`;
          const id = `f-contacts-${i}-${k}`;
          const input = h('input', {
            id, name, class: 'input', value: c[k],
            type: k === 'email' ? 'email' : k === 'phone' ? 'tel' : 'text',
            autocomplete: 'off', required: k === 'name',
          });
          bind(input, name, (x) => { c[k] = x; });
          describe(input, name, null);
          return h('div', { class: 'field', 'data-for': name },
            h('label', { for: id }, t(`field.contact.${k}`)), input, errorsFor(name));
        })),
        errorsFor(`contacts[${i}]`),
        h('div', { class: 'contact-actions' }, remove));
    });
    const add = h('button', { type: 'button', class: 'btn btn-secondary', id: 'add-contact', disabled: list.length >= 8 },
      icon('plus'), h('span', null, t('edit.contact.add')));
    add.addEventListener('click', () => {
      list.push({ name: '', role: '', phone: '', email: '' });
      draw();
      const inputs = root.querySelectorAll('input[name$=".name"]');
      if (inputs.length) inputs[inputs.length - 1].focus();
    });
    return h('div', { class: 'contacts-editor', 'data-for': 'contacts' },
      errorsFor('contacts'),
      items.length ? items : h('p', { class: 'muted' }, t('ent.contacts.none')),
      add);
  }

  function draw() {
    const e = state.e;
    const name = creating ? t('new.title') : localName(e) || `#${e.id}`;
    app.setTitle(creating ? name : `${t('edit.title')} · ${name}`);
    const fields = new Set(state.fields);

    const groups = GROUPS.map(([key, titleKey, list]) => {
      const mine = list.filter((f) => fields.has(f));
      if (!mine.length) return null;
      const body = key === 'contacts' ? contactsEditor()
        : h('div', { class: 'form-grid' }, mine.map(control));
      return h('fieldset', { class: 'card form-section', 'data-section': key },
        h('legend', { class: 'card-title' }, t(titleKey)), body);
    });

    const alerts = [];
    if (state.stale) {
      const reload = h('button', { type: 'button', class: 'btn btn-secondary', id: 'reload-button' }, t('edit.reload'));
      reload.addEventListener('click', async () => {
        reload.disabled = true;
        try {
          await fetchRecord();
          state.stale = false;
          state.errors = {};
          state.general = [];
          state.note = t('edit.reloaded');
        } catch (err) {
          state.general = [err.message];
        }
        draw();
      });
      alerts.push(h('div', { class: 'alert alert-warn', role: 'alert', id: 'stale-alert' },
        h('p', null, t('edit.stale')), reload));
    }
    if (state.note) alerts.push(h('div', { class: 'alert alert-info', role: 'status' }, state.note));
    const fieldErrors = Object.keys(state.errors).length;
    if (fieldErrors || state.general.length) {
      alerts.push(h('div', { class: 'alert alert-error', role: 'alert', id: 'form-errors' },
        fieldErrors ? h('p', null, t('edit.errors')) : null,
        state.general.length ? h('ul', null, state.general.map((m) => h('li', null, m))) : null));
    }

    const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'save-button', disabled: state.saving },
      state.saving ? t('edit.saving') : t(creating ? 'new.save' : 'edit.save'));
    const cancel = h('a', { class: 'btn btn-secondary', id: 'cancel-button', href: creating ? '/enterprises' : `/enterprises/${e.id}` }, t('edit.cancel'));
    cancel.addEventListener('click', (ev) => {
      if (Object.keys(changes()).length && !window.confirm(t('edit.discard'))) ev.preventDefault();
    });

    const form = h('form', { id: 'edit-form', class: 'edit-form', novalidate: true, 'aria-busy': state.saving ? 'true' : null },
      app.user.role === 'enterprise' ? h('p', { class: 'note' }, t('edit.hint.enterprise')) : null,
      groups,
      h('div', { class: 'form-actions' }, save, cancel));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); submit(form); });

    root.replaceChildren(h('div', { class: 'edit-page' },
      h('nav', { class: 'breadcrumb', 'aria-label': t('nav.breadcrumb') },
        h('a', { href: '/enterprises' }, icon('back'), h('span', null, t('list.title'))),
        creating ? null : h('a', { href: `/enterprises/${e.id}` }, name),
        h('span', { class: 'crumb-current', 'aria-current': 'page' }, t(creating ? 'new.title' : 'edit.title'))),
      h('div', { class: 'page-head' }, h('div', null,
        h('h1', null, t(creating ? 'new.title' : 'edit.title')),
        creating ? null : h('p', { class: 'muted', 'data-testid': 'edit-subject' }, name,
          e.uscc ? [' · ', h('span', { class: 'mono' }, e.uscc)] : null))),
      ...alerts,
      form));
  }

  function focusFirstError() {
    const first = root.querySelector('[aria-invalid="true"]') || root.querySelector('#form-errors, #stale-alert');
    if (first) {
      if (!first.matches('input, select, textarea')) first.setAttribute('tabindex', '-1');
      first.focus();
      first.scrollIntoView({ block: 'center' });
    }
  }

  async function submit(form) {
    if (state.saving) return;
    state.errors = {};
    state.general = [];
    state.note = null;

    // Input the browser could not read as a number or a date never
    // reaches the draft (it reads as empty): say so instead of
    // clearing the field.
    for (const input of form.querySelectorAll('input[type=number], input[type=date]')) {
      if (input.validity.badInput) {
        const key = input.type === 'date' ? 'edit.baddate' : 'edit.badnumber';
        (state.errors[input.name] ||= []).push(t(key, { field: input.name }));
      }
    }
    if (Object.keys(state.errors).length) {
      draw();
      focusFirstError();
      return;
    }

    const body = changes();
    if (state.override && 'uscc' in body) {
      body.uscc_override = true;
      body.uscc_override_reason = state.overrideReason || '';
    }
    if (!creating && !Object.keys(body).length) {
      app.flash(t('ent.nochange'), 'info');
      app.navigate(`/enterprises/${id}`, { replace: true });
      return;
    }
    state.saving = true;
    draw();
    try {
      const r = creating ? await api('POST', '/enterprises', { body })
        : await api('PATCH', `/enterprises/${id}`, { body, headers: { 'If-Match': state.etag } });
      if (!ctx.alive()) return;
      handOver(r.data, r.etag);
      app.flash(t(creating ? 'new.saved' : 'ent.saved'), 'ok');
      app.navigate(`/enterprises/${r.data.id}`, { replace: true });
      return;
    } catch (err) {
      if (!ctx.alive()) return;
      state.saving = false;
      if (err.status === 412) {
        state.stale = true;
      } else if (err.status === 422 || err.status === 400 || err.status === 403 || err.status === 409) {
        const onForm = new Set([...form.querySelectorAll('[name]')].map((x) => x.name));
        for (const fe of err.errors) {
          const where = fe.field && (onForm.has(fe.field) || fe.field === 'contacts' || /^contacts\[\d+\]$/.test(fe.field))
            ? fe.field : null;
          if (where) (state.errors[where] ||= []).push(fe.message);
          else state.general.push(fe.message);
        }
        if (!err.errors.length) state.general.push(err.status === 403 ? t('edit.forbidden', { message: err.message }) : err.message);
      } else {
        state.general.push(err.message);
      }
      draw();
      focusFirstError();
    }
  }

  draw();
  const first = root.querySelector('#edit-form input, #edit-form select');
  if (first) first.focus();

  return {
    onLang: () => {
      // The draft survives; only the labels change.
      draw();
    },
  };
}

function cssId(name) {
  return name.replace(/[^a-zA-Z0-9_-]/g, '-');
}
