// One service of the catalogue (/services/{id}), open to everyone:
// what it is, who provides it and which department answers for it, who
// may use it, its fees and documents, where and whom to call, its hours
// with today's and the coming holidays. An enterprise contact requests it
// here (POST .../request: a case routed to that department); an officer
// edits, retires or, for an enterprise's offer, approves it.
import { h, icon, keepFocus, kept } from '../dom.js';
import { t, formatDateTime } from '../i18n.js';
import { api } from '../api.js';
import { requestKey, departmentName } from '../casekit.js';
import {
  mayManage, isEnterprise, categoryName, serviceName, description, providerName, statusBadge, openBadge,
  todayText, weeklyRows, comingExceptions, townToday, languageName,
} from '../svckit.js';

export async function render(ctx) {
  const { root, app, params } = ctx;
  const user = app.user;
  const state = {
    s: null, etag: null, error: null, busy: null, msg: {}, done: null, key: requestKey(), departments: [],
    // What is typed in each form, which it is drawn from: the page is
    // drawn anew as soon as a form is sent and again when the answer
    // arrives, a refusal included.
    draft: { request: {}, approve: {}, retire: {} },
  };

  async function fetchService() {
    try {
      const r = await api('GET', `/services/${params.id}`, { noAuthRedirect: true });
      state.s = r.data;
      state.etag = r.etag;
      state.error = null;
    } catch (e) {
      state.s = null;
      state.error = e;
    }
  }

  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  await fetchService();
  if (mayManage(user) && state.s && state.s.status === 'pending') {
    try {
      state.departments = (await api('GET', '/departments')).data.items || [];
    } catch { /* the approval names the provider's own */ }
  }
  if (!ctx.alive()) return null;

  function row(key, name, value) {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return null;
    return h('div', { class: 'field-row', 'data-field': key }, h('dt', null, name), h('dd', null, value));
  }

  function message(section) {
    const m = state.msg[section];
    if (!m) return null;
    return h(m.ok ? 'p' : 'div', {
      class: m.ok ? 'action-result is-ok' : 'alert alert-error', role: m.ok ? 'status' : 'alert',
      'data-testid': `${section}-${m.ok ? 'result' : 'error'}`,
    }, m.text);
  }

  function hoursSection(s) {
    const rows = weeklyRows(s.hours);
    const coming = comingExceptions(s.hours, townToday());
    return h('section', { class: 'card', 'aria-labelledby': 'svc-hours-title', 'data-section': 'hours' },
      h('h2', { class: 'card-title', id: 'svc-hours-title' }, t('svc.hours'), ' ', openBadge(s)),
      h('p', { 'data-testid': 'hours-today' }, todayText(s)),
      rows.length ? h('dl', { class: 'fields fields-compact svc-week', 'data-testid': 'hours-week' },
        rows.map((r) => h('div', { class: 'field-row' }, h('dt', null, r.days), h('dd', null, r.spans))))
        : h('p', { class: 'muted' }, t('svc.hours.none')),
      coming.length ? [h('h3', { class: 'sub-title' }, t('svc.exceptions')),
        h('ul', { class: 'svc-exceptions', 'data-testid': 'hours-exceptions' }, coming.map((x) => h('li', null,
          h('span', { class: 'mono' }, x.valid_from === x.valid_to ? x.valid_from : `${x.valid_from} – ${x.valid_to}`), ' ',
          x.description || '', ' ',
          h('span', { class: 'muted' }, x.closed ? t('svc.exception.closed') : `${x.opens_at}–${x.closes_at}`))))] : null);
  }

  function requestSection(s) {
    if (s.status !== 'active') return null;
    if (!user) {
      return h('section', { class: 'card svc-request' },
        h('a', { class: 'btn btn-primary btn-touch btn-block', id: 'request-signin',
          href: `/login?next=${encodeURIComponent(`/services/${s.id}`)}` }, t('svc.request.signin')));
    }
    if (!isEnterprise(user)) return null;
    if (state.done) {
      const c = state.done;
      return h('section', { class: 'card svc-request', id: 'request-done', 'data-testid': 'request-done' },
        h('p', { class: 'action-result is-ok', role: 'status' },
          t('svc.request.done', { dept: departmentName(c.department), deadline: formatDateTime(c.deadline) })),
        h('p', null, h('span', { class: 'mono tracking-code-small', 'data-testid': 'request-code' }, c.tracking_code), ' ',
          h('a', { href: `/cases/${c.id}`, id: 'request-case' }, t('svc.request.track'))));
    }
    const text = kept(h('textarea', { id: 'request-text', name: 'text', class: 'input textarea', rows: 3, maxlength: 4000 }),
      state.draft.request, 'text');
    const form = h('form', { class: 'card svc-request', id: 'request-form', novalidate: true },
      h('h2', { class: 'card-title' }, t('svc.request.title')),
      message('request'),
      h('div', { class: 'field' }, h('label', { for: 'request-text' }, t('svc.request.text')), text,
        h('p', { class: 'hint muted small' }, t('svc.request.hint'))),
      h('button', { type: 'submit', class: 'btn btn-primary btn-touch btn-block', id: 'request-submit',
        disabled: state.busy === 'request' }, state.busy === 'request' ? t('svc.request.busy') : t('svc.request.submit')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (state.busy) return;
      state.busy = 'request';
      state.msg.request = null;
      draw();
      try {
        const body = text.value.trim() ? { text: text.value.trim() } : {};
        const r = await api('POST', `/services/${s.id}/request`, { body, headers: { 'Idempotency-Key': state.key } });
        state.done = r.data.case;
      } catch (e) {
        state.msg.request = { ok: false, text: e.message };
      }
      state.busy = null;
      draw();
      const target = root.querySelector('#request-done, #request-form');
      if (target) target.scrollIntoView({ block: 'nearest' });
    });
    return form;
  }

  function staffSection(s) {
    if (!mayManage(user)) return null;
    const parts = [h('a', { class: 'btn btn-secondary', href: `/services/${s.id}/edit`, id: 'service-edit' },
      icon('edit'), ' ', t('svc.edit'))];
    if (s.status === 'pending') {
      const dept = h('select', { id: 'approve-department', class: 'input' },
        state.departments.map((d) => h('option', { value: String(d.id) }, d.name)));
      if (s.department) dept.value = String(s.department.id);
      kept(dept, state.draft.approve, 'department');
      const approve = h('form', { class: 'svc-approve', id: 'approve-form', novalidate: true },
        message('approve'),
        h('div', { class: 'field field-compact' }, h('label', { for: 'approve-department' }, t('svc.approve.department')), dept),
        h('button', { type: 'submit', class: 'btn btn-primary', id: 'approve-submit', disabled: state.busy === 'approve' },
          t('svc.approve')));
      approve.addEventListener('submit', (ev) => {
        ev.preventDefault();
        act('approve', `/services/${s.id}/approve`, dept.value ? { department_id: Number(dept.value) } : {}, t('svc.approve.done'));
      });
      parts.push(approve);
    }
    if (s.status !== 'retired') {
      const reason = kept(h('input', { id: 'retire-reason', class: 'input', maxlength: 200 }), state.draft.retire, 'reason');
      const retire = h('form', { class: 'svc-retire', id: 'retire-form', novalidate: true },
        message('retire'),
        h('div', { class: 'field field-compact' }, h('label', { for: 'retire-reason' }, t('svc.retire.reason')), reason),
        h('button', { type: 'submit', class: 'btn btn-danger', id: 'retire-submit', disabled: state.busy === 'retire' },
          t('svc.retire')));
      retire.addEventListener('submit', (ev) => {
        ev.preventDefault();
        act('retire', `/services/${s.id}/retire`, { reason: reason.value.trim() }, t('svc.retire.done'));
      });
      parts.push(retire);
    }
    return h('section', { class: 'card svc-staff', 'data-section': 'staff' }, parts);
  }

  async function act(section, path, body, done) {
    if (state.busy) return;
    state.busy = section;
    state.msg[section] = null;
    draw();
    try {
      const r = await api('POST', path, { body });
      state.s = r.data;
      state.draft[section] = {};
      state.msg[section] = { ok: true, text: done };
    } catch (e) {
      state.msg[section] = { ok: false, text: e.message };
    }
    state.busy = null;
    draw();
  }

  function draw() {
    keepFocus(root, drawPage);
  }

  function drawPage() {
    if (!state.s) {
      app.setTitle(t('svc.notfound'));
      root.replaceChildren(h('div', { class: 'public-page' },
        h('div', { class: 'alert alert-error', role: 'alert' },
          state.error && state.error.status === 404 ? t('svc.notfound') : state.error ? state.error.message : t('svc.notfound')),
        h('p', null, h('a', { href: '/services' }, t('svc.back')))));
      return;
    }
    const s = state.s;
    app.setTitle(serviceName(s));
    const phone = s.phone || s.provider.phone;
    root.replaceChildren(h('div', { class: 'public-page svc-detail', 'data-id': s.id },
      h('p', { class: 'breadcrumb' }, h('a', { href: '/services' }, t('svc.back'))),
      h('div', { class: 'svc-head' },
        h('div', { class: 'badges' }, h('span', { class: 'badge svc-cat' }, categoryName(s.category.code)),
          statusBadge(s.status), s.offered_by ? h('span', { class: 'badge badge-accent' }, t('svc.offered')) : null),
        h('h1', { id: 'service-name' }, serviceName(s)),
        h('p', { class: 'muted svc-provider' }, providerName(s.provider))),
      message('retire'), message('approve'),
      requestSection(s),
      h('section', { class: 'card', 'data-section': 'about' },
        h('p', { class: 'svc-description', 'data-testid': 'service-description' }, description(s)),
        h('dl', { class: 'fields' },
          row('provider', t('svc.provider'), providerName(s.provider)),
          row('department', t('svc.department'), s.department ? departmentName(s.department) : ''),
          row('eligibility', t('svc.eligibility'), s.eligibility),
          row('fees', t('svc.fees'), s.fees),
          row('documents', t('svc.documents'), s.documents.length ? h('ul', { class: 'svc-docs' }, s.documents.map((d) => h('li', null, d))) : ''),
          row('languages', t('svc.languages'), s.languages.map(languageName).join(t('svc.days.sep'))),
          row('deadline', t('svc.deadline'), t('svc.deadline.hours', { n: s.deadline_hours })),
          row('phone', t('svc.phone'), phone ? h('a', { href: `tel:${phone.replace(/[^\d+]/g, '')}` }, phone) : ''),
          row('email', t('svc.email'), s.email ? h('a', { href: `mailto:${s.email}` }, s.email) : ''),
          row('url', t('svc.url'), s.url ? h('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank' }, s.url) : ''),
          row('verified', t('svc.verified'), s.last_verified || ''))),
      hoursSection(s),
      s.locations.length || s.contacts.length ? h('section', { class: 'card', 'data-section': 'reach' },
        s.locations.length ? [h('h2', { class: 'card-title' }, t('svc.locations')),
          h('ul', { class: 'svc-places' }, s.locations.map((l) => h('li', null, icon('pin'), ' ',
            h('strong', null, l.name), l.name && l.address ? ' · ' : '', l.address)))] : null,
        s.contacts.length ? [h('h2', { class: 'card-title svc-contacts-title' }, t('svc.contacts')),
          h('ul', { class: 'svc-contacts', 'data-testid': 'service-contacts' }, s.contacts.map((c) => h('li', null,
            h('strong', null, c.name), c.title ? h('span', { class: 'muted' }, ` ${c.title}`) : null,
            c.phone ? [' ', h('a', { class: 'svc-tel', href: `tel:${c.phone.replace(/[^\d+]/g, '')}` }, c.phone)] : null,
            c.email ? [' ', h('a', { href: `mailto:${c.email}` }, c.email)] : null)))] : null) : null,
      staffSection(s)));
  }

  draw();
  return { onLang() { draw(); } };
}
