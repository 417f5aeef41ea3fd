// One case (/cases/{id}): what was raised, by whom (masked unless the
// caller's department handles it), the timeline, photos and similar open
// cases, and what the caller may do now, as GET /api/v1/cases/{id}
// answers: the moves of its "allowed" list, dispatch and merging
// (may_dispatch), the department's reply (may_reply), and the
// submitter's rating and reopening (may_rate). The server decides; a
// refusal is shown in its own words.
import { h, icon, keepFocus } from '../dom.js';
import { t, formatDateTime, streetName, localName } from '../i18n.js';
import { api } from '../api.js';
import {
  NEEDS_NOTE, stateName, stateBadge, kindBadge, lateBadges, deadlineText, categoryName, departmentName,
  channelName, timeline, getCategories, categoryOptions, fieldErrors, fromShanghaiLocal, similarItems,
} from '../casekit.js';
import { caseTransfers } from '../transfer.js';
import { visibilityChoice, templatePicker } from '../casenote.js';
import { casePlan } from '../caseplan.js';
import { caseSteps } from '../casesteps.js';

// Rated while the callback is due; a closed case shows its rating, no buttons.
const RATED_STATES = ['resolved', 'implemented'];
const REOPEN_STATES = ['resolved', 'implemented'];
const SECTIONS = ['move', 'dispatch', 'merge', 'reply', 'rate', 'reopen'];

const emptyDrafts = () => ({
  move: { note: '', public: false }, // internal unless chosen public
  dispatch: { category_id: '', department_id: '', deadline: '', note: '' },
  merge: { into: '', note: '' },
  reply: null, // the current reply until edited
  rate: { rating: '', note: '' },
  reopen: { note: '' },
});

export async function render(ctx) {
  const { root, app, params } = ctx;
  const id = Number(params.id);
  const state = {
    data: null, error: null, busy: null,
    categories: [], departments: [],
    drafts: emptyDrafts(),
    msg: {}, // section -> {kind, text, reload}
    opened: {}, // section -> whether its folded part was opened or closed by hand
  };
  const errors = Object.fromEntries(SECTIONS.map((s) => [s, fieldErrors()]));

  app.setTitle(t('case.title', { id }));
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));

  async function fetchCase() {
    try {
      state.data = (await api('GET', `/cases/${id}`)).data;
      state.error = null;
    } catch (e) {
      state.error = e;
    }
  }
  // Its jurisdiction and transfers (transfer.js): drafts kept across draws.
  const transfer = caseTransfers({
    id, app, ctx,
    refresh: async (again) => {
      if (again) await refetch();
      if (ctx.alive()) draw();
    },
  });
  // An adopted suggestion's plan (caseplan.js), kept across draws.
  const plan = casePlan({
    id, ctx,
    refresh: async (again) => {
      if (again) await refetch();
      if (ctx.alive()) draw();
    },
  });
  // Time limits, requests and closing (casesteps.js).
  const steps = caseSteps({
    id,
    refresh: async (again) => {
      if (again) await refetch();
      if (ctx.alive()) draw();
    },
  });
  await Promise.all([fetchCase(), transfer.load(), plan.load()]);
  if (!ctx.alive()) return null;
  // The department's reply templates, for those who reply.
  const templates = state.data && state.data.may_reply ? templatePicker({
    caseId: id, departmentId: state.data.case.department.id,
    fill: (text) => { if (state.drafts.reply) { state.drafts.reply.reply = text; draw(); } },
  }) : null;

  // Reference data for dispatching, only for those who dispatch.
  if (state.data && state.data.may_dispatch) {
    const [cats, deps] = await Promise.all([
      getCategories().catch(() => []),
      api('GET', '/departments').then((r) => r.data.items || []).catch(() => []),
    ]);
    if (!ctx.alive()) return null;
    state.categories = cats;
    state.departments = deps;
  }

  // ---- the parts of the page ----

  function crumbs() {
    return h('nav', { class: 'breadcrumb', 'aria-label': t('nav.breadcrumb') },
      h('a', { href: '/cases' }, icon('back'), h('span', null, t('cases.title'))),
      h('span', { class: 'crumb-current', 'aria-current': 'page' }, t('case.id', { id })));
  }

  function row(key, name, value) {
    return h('div', { class: 'field-row', 'data-field': key }, h('dt', null, name), h('dd', null, value));
  }

  function caseLink(n) {
    return h('a', { href: `/cases/${n}` }, t('case.id', { id: n }));
  }

  function caseSection(d) {
    const c = d.case;
    return h('section', { class: 'card', 'data-section': 'case', 'aria-labelledby': 'sec-case' },
      h('h2', { id: 'sec-case', class: 'card-title' }, t('case.section.case')),
      h('p', { class: 'case-text', 'data-testid': 'case-text' }, c.text),
      h('dl', { class: 'fields' },
        row('category', t('case.field.category'), categoryName(c.category)),
        row('department', t('case.field.department'), h('span', { 'data-testid': 'case-department' }, departmentName(c.department))),
        transfer.jurisdictionRow(d, row),
        row('channel', t('case.field.channel'), channelName(c.channel)),
        c.point ? row('point', t('case.field.point'), c.point.name) : null,
        c.enterprise ? row('enterprise', t('case.field.enterprise'),
          h('a', { href: `/enterprises/${c.enterprise.id}` }, localName(c.enterprise, 'name', 'name_en') || `#${c.enterprise.id}`)) : null,
        c.service ? row('service', t('case.field.service'),
          h('a', { href: `/services/${c.service.id}`, 'data-testid': 'case-service' }, c.service.name_zh || c.service.name_en)) : null,
        c.street ? row('street', t('case.field.street'), streetName(c.street, c.jurisdiction)) : null,
        c.address ? row('address', t('case.field.address'), c.address) : null,
        typeof c.lat === 'number' && typeof c.lon === 'number'
          ? row('location', t('case.field.location'), h('span', { class: 'mono' }, `${c.lat.toFixed(5)}, ${c.lon.toFixed(5)}`)) : null,
        row('created', t('case.field.created'), formatDateTime(c.created_at)),
        row('deadline', t('case.field.deadline'), h('span', { class: 'case-deadline', 'data-testid': 'case-deadline' },
          h('span', null, deadlineText(c)), h('span', { class: 'badges' }, lateBadges(c)))),
        c.tracking_code ? row('tracking', t('case.field.tracking'), h('span', { class: 'mono' }, c.tracking_code)) : null,
        c.merged_into ? row('merged_into', t('case.field.merged_into'), caseLink(c.merged_into)) : null,
        d.merged && d.merged.length ? row('followers', t('case.field.followers'),
          h('span', { class: 'inline-links' }, d.merged.map(caseLink))) : null,
        row('reply', t('case.field.reply'), c.reply
          ? h('span', { class: 'case-reply', 'data-testid': 'case-reply' }, c.reply)
          : h('span', { class: 'muted' }, t('case.reply.none'))),
        row('rating', t('case.field.rating'), c.rating
          ? h('span', { 'data-testid': 'case-rating' }, t('case.rating.value', { n: c.rating }),
            c.rating_note ? h('span', { class: 'muted' }, ` · ${c.rating_note}`) : null)
          : h('span', { class: 'muted' }, t('case.rating.none')))));
  }

  function personSection(c) {
    const p = c.person;
    let body;
    if (!p || !(p.name || p.phone || p.email)) {
      body = h('p', { class: 'muted', 'data-testid': 'person-none' },
        c.erased_at ? t('case.person.erased', { at: formatDateTime(c.erased_at) }) : t('case.person.none'));
    } else {
      body = [
        h('dl', { class: 'fields fields-compact', 'data-testid': 'person', 'data-masked': p.masked ? 'true' : 'false' },
          p.name ? row('name', t('case.field.name'), h('span', { 'data-testid': 'person-name' }, p.name)) : null,
          p.phone ? row('phone', t('case.field.phone'), p.masked
            ? h('span', { class: 'mono', 'data-testid': 'person-phone' }, p.phone)
            : h('a', { class: 'mono', href: `tel:${p.phone.replace(/[^\d+]/g, '')}`, 'data-testid': 'person-phone' }, p.phone)) : null,
          p.email ? row('email', t('case.field.email'), h('span', { 'data-testid': 'person-email' }, p.email)) : null),
        h('p', { class: 'note' }, p.masked ? t('case.person.masked') : t('case.person.clear')),
      ];
    }
    return h('section', { class: 'card', 'data-section': 'person', 'aria-labelledby': 'sec-person' },
      h('h2', { id: 'sec-person', class: 'card-title' }, t('case.section.person')), body);
  }

  function photoSection(photos) {
    if (!photos.length) return null;
    return h('section', { class: 'card', 'data-section': 'photos', 'aria-labelledby': 'sec-photos' },
      h('h2', { id: 'sec-photos', class: 'card-title' }, t('case.section.photos')),
      h('ul', { class: 'photo-list' }, photos.map((p, i) => h('li', null,
        h('a', { href: p.url, target: '_blank', rel: 'noopener' },
          h('img', { src: p.url, alt: t('case.photo.alt', { n: i + 1 }), loading: 'lazy', class: 'photo' }))))));
  }

  function timelineSection(events) {
    return h('section', { class: 'card', 'data-section': 'timeline', 'aria-labelledby': 'sec-timeline' },
      h('h2', { id: 'sec-timeline', class: 'card-title' }, t('case.section.timeline')),
      transfer.timeline(timeline(events, { staff: true })));
  }

  function similarSection(d) {
    const c = d.case;
    const mayMerge = d.may_dispatch && c.status === 'open' && !c.merged_into;
    return h('section', { class: 'card', 'data-section': 'similar', 'aria-labelledby': 'sec-similar' },
      h('h2', { id: 'sec-similar', class: 'card-title' }, t('case.section.similar')),
      (d.similar || []).length
        ? similarItems(d.similar, {
          link: true,
          extra: mayMerge ? (s) => h('button', {
            type: 'button', class: 'btn btn-link btn-small', 'data-testid': 'merge-pick',
            onclick: () => {
              state.drafts.merge.into = String(s.id);
              draw();
              const input = root.querySelector('#merge-into');
              if (input) { input.focus(); input.scrollIntoView({ block: 'center' }); }
            },
          }, t('case.similar.merge')) : null,
        })
        : h('p', { class: 'muted' }, t('case.similar.none')));
  }

  // A section's message after an action: success, or the server's refusal.
  function message(section) {
    const m = state.msg[section];
    if (!m) return null;
    if (m.kind === 'ok') {
      return h('p', { class: 'action-result is-ok', role: 'status', 'data-testid': `${section}-result`, tabindex: '-1' }, m.text);
    }
    return h('div', { class: 'alert alert-error action-error', role: 'alert', 'data-testid': `${section}-error`, tabindex: '-1' },
      h('p', null, m.text),
      m.reload ? h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'reload', onclick: reload },
        t('case.reload')) : null);
  }

  function textArea(section, key, id, { rows = 3, maxlength = 2000, hintId } = {}) {
    const el = h('textarea', { id, name: key, class: 'input textarea', rows, maxlength });
    const draft = state.drafts[section];
    el.value = draft[key] ?? '';
    el.addEventListener('input', () => { draft[key] = el.value; });
    errors[section].describe(el, key, id, hintId);
    return el;
  }

  function fieldBox(section, key, id, text, control, hint) {
    return h('div', { class: 'field', 'data-for': `${section}.${key}` },
      h('label', { for: id }, text), control,
      hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
      errors[section].show(key, id));
  }

  function actionsSection(d) {
    const c = d.case;
    const allowed = d.allowed || [];
    let body;
    if (c.merged_into) {
      body = h('p', { class: 'muted', 'data-testid': 'actions-merged' }, t('case.actions.merged', { id: c.merged_into }));
    } else if (!allowed.length) {
      body = h('p', { class: 'muted', 'data-testid': 'actions-none' }, t('case.actions.none'));
    } else {
      const busy = state.busy === 'move';
      body = [
        fieldBox('move', 'note', 'case-note', t('case.note'),
          textArea('move', 'note', 'case-note', { hintId: 'case-note-hint' }),
          allowed.some((s) => NEEDS_NOTE.includes(s)) ? t('case.note.hint') : null),
        visibilityChoice({ id: 'case-note', draft: state.drafts.move, owed: allowed.some((s) => NEEDS_NOTE.includes(s)) }),
        h('div', { class: 'move-buttons' }, allowed.map((to) => h('button', {
          type: 'button',
          class: ['btn', 'btn-touch', NEEDS_NOTE.includes(to) ? 'btn-secondary btn-danger' : 'btn-primary'],
          'data-testid': 'move', 'data-to': to, disabled: busy,
          onclick: () => move(to),
        }, t(`case.to.${to}`)))),
      ];
    }
    return h('section', { class: 'card case-actions', 'data-section': 'actions', 'aria-labelledby': 'sec-actions' },
      h('h2', { id: 'sec-actions', class: 'card-title' }, t('case.section.actions')),
      h('p', { class: 'case-now' }, stateBadge(c.state), lateBadges(c)),
      message('move'), body);
  }

  function dispatchSection(d) {
    const c = d.case;
    if (!d.may_dispatch || c.status !== 'open' || c.merged_into) return null;
    const dr = state.drafts.dispatch;
    const cat = h('select', { id: 'dispatch-category', name: 'category_id', class: 'input' },
      h('option', { value: '' }, t('case.dispatch.keep', { name: categoryName(c.category) })),
      categoryOptions(state.categories.filter((x) => x.id !== c.category_id)));
    cat.value = dr.category_id;
    cat.addEventListener('change', () => { dr.category_id = cat.value; });
    errors.dispatch.describe(cat, 'category_id', 'dispatch-category');
    const dep = h('select', { id: 'dispatch-department', name: 'department_id', class: 'input' },
      h('option', { value: '' }, t('case.dispatch.keep', { name: departmentName(c.department) })),
      state.departments.filter((x) => x.id !== c.department.id)
        .map((x) => h('option', { value: String(x.id) }, departmentName(x))));
    dep.value = dr.department_id;
    dep.addEventListener('change', () => { dr.department_id = dep.value; });
    errors.dispatch.describe(dep, 'department_id', 'dispatch-department');
    const dl = h('input', { id: 'dispatch-deadline', name: 'deadline', type: 'datetime-local', class: 'input', value: dr.deadline });
    dl.addEventListener('input', () => { dr.deadline = dl.value; });
    errors.dispatch.describe(dl, 'deadline', 'dispatch-deadline');
    const form = h('form', { class: 'case-subform', id: 'dispatch-form', novalidate: true },
      message('dispatch'),
      fieldBox('dispatch', 'category_id', 'dispatch-category', t('case.dispatch.category'), cat),
      fieldBox('dispatch', 'department_id', 'dispatch-department', t('case.dispatch.department'), dep),
      fieldBox('dispatch', 'deadline', 'dispatch-deadline', t('case.dispatch.deadline'), dl, deadlineText(c)),
      fieldBox('dispatch', 'note', 'dispatch-note', t('case.dispatch.note'), textArea('dispatch', 'note', 'dispatch-note', { rows: 2 })),
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'dispatch-save', disabled: state.busy === 'dispatch' },
        t('case.dispatch.submit')));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); dispatch(); });
    return folded('dispatch', t('case.section.dispatch'), form, Boolean(state.msg.dispatch) || errors.dispatch.any());
  }

  // A section folded under its summary, open when it has something to
  // show (a message, a refusal, a draft) or when the user opened it: the
  // page drawn again after an answer leaves it as the user left it.
  function folded(section, summary, form, show) {
    const box = h('details', { class: 'card case-more', 'data-section': section, open: show || Boolean(state.opened[section]) },
      h('summary', { class: 'case-more-summary' }, summary), form);
    box.addEventListener('toggle', () => { state.opened[section] = box.open; });
    return box;
  }

  function mergeSection(d) {
    const c = d.case;
    if (!d.may_dispatch || c.status !== 'open' || c.merged_into) return null;
    const dr = state.drafts.merge;
    const into = h('input', {
      id: 'merge-into', name: 'into', type: 'number', min: 1, step: 1, inputmode: 'numeric', class: 'input', value: dr.into,
    });
    into.addEventListener('input', () => { dr.into = into.value; });
    errors.merge.describe(into, 'into', 'merge-into');
    const form = h('form', { class: 'case-subform', id: 'merge-form', novalidate: true },
      message('merge'),
      fieldBox('merge', 'into', 'merge-into', t('case.merge.into'), into),
      fieldBox('merge', 'note', 'merge-note', t('case.merge.note'), textArea('merge', 'note', 'merge-note', { rows: 2 })),
      h('button', { type: 'submit', class: 'btn btn-secondary', id: 'merge-save', disabled: state.busy === 'merge' },
        t('case.merge.submit')));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); merge(); });
    return folded('merge', t('case.section.merge'), form, Boolean(dr.into) || Boolean(state.msg.merge));
  }

  function replySection(d) {
    // A closed case's reply stands as given (shown with the case).
    if (!d.may_reply || d.case.merged_into || d.case.status === 'closed') return null;
    if (state.drafts.reply === null) state.drafts.reply = { reply: d.case.reply || '', public: true };
    const form = h('form', { class: 'case-subform', id: 'reply-form', novalidate: true },
      message('reply'),
      templates ? templates.el() : null,
      fieldBox('reply', 'reply', 'reply-text', t('case.reply.label'), textArea('reply', 'reply', 'reply-text', { rows: 4 })),
      visibilityChoice({ id: 'reply-text', draft: state.drafts.reply, kind: 'reply' }),
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'reply-save', disabled: state.busy === 'reply' },
        t('case.reply.submit')));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); reply(); });
    return h('section', { class: 'card', 'data-section': 'reply', 'aria-labelledby': 'sec-reply' },
      h('h2', { id: 'sec-reply', class: 'card-title' }, t('case.section.reply')), form);
  }

  function rateSection(d) {
    const c = d.case;
    if (!d.may_rate || c.merged_into || !RATED_STATES.includes(c.state)) return null;
    const dr = state.drafts.rate;
    const stars = h('fieldset', { class: 'rating-choice', 'data-for': 'rate.rating' },
      h('legend', null, t('case.rate.label')),
      h('div', { class: 'rating-options' }, [1, 2, 3, 4, 5].map((n) => {
        const input = h('input', {
          type: 'radio', name: 'rating', value: String(n), id: `rate-${n}`, checked: dr.rating === String(n),
        });
        input.addEventListener('change', () => { if (input.checked) dr.rating = String(n); });
        return h('label', { class: 'rating-option', for: `rate-${n}`, title: t('case.rate.star', { n }) },
          input, h('span', null, String(n)));
      })),
      errors.rate.show('rating', 'rate-rating'));
    const form = h('form', { class: 'case-subform', id: 'rate-form', novalidate: true },
      message('rate'), stars,
      fieldBox('rate', 'note', 'rate-note', t('case.rate.note'), textArea('rate', 'note', 'rate-note', { rows: 2, maxlength: 500 })),
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'rate-save', disabled: state.busy === 'rate' },
        t('case.rate.submit')));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); rate(); });
    return h('section', { class: 'card', 'data-section': 'rate', 'aria-labelledby': 'sec-rate' },
      h('h2', { id: 'sec-rate', class: 'card-title' }, t('case.section.rating')),
      c.rating ? h('p', null, t('case.rating.value', { n: c.rating })) : null, form);
  }

  function reopenSection(d) {
    const c = d.case;
    if (!d.may_rate || c.merged_into || c.reopened || !REOPEN_STATES.includes(c.state)) return null;
    const form = h('form', { class: 'case-subform', id: 'reopen-form', novalidate: true },
      message('reopen'),
      fieldBox('reopen', 'note', 'reopen-note', t('case.reopen.note'),
        textArea('reopen', 'note', 'reopen-note', { rows: 2, hintId: 'reopen-note-hint' }), t('case.reopen.hint')),
      h('button', { type: 'submit', class: 'btn btn-secondary', id: 'reopen-save', disabled: state.busy === 'reopen' },
        t('case.reopen.submit')));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); reopen(); });
    return folded('reopen', t('case.reopen.title'), form, Boolean(state.msg.reopen));
  }

  function draw() {
    if (state.error) {
      const e = state.error;
      app.setTitle(t('case.title', { id }));
      root.replaceChildren(crumbs(), h('h1', null, e.status === 404 ? t('common.notfound.title') : t('case.title', { id })),
        h('div', { class: 'alert alert-error', role: 'alert' },
          e.status === 404 ? t('case.notfound', { id }) : e.status === 403 ? t('common.forbidden') : e.message),
        h('p', null, h('a', { href: '/cases' }, t('common.back'))));
      return;
    }
    const d = state.data;
    const c = d.case;
    app.setTitle(t('case.title', { id }));
    // An answer (a transfer's, a template's, a refetch) draws the page
    // again while the user may be typing in one of its forms.
    keepFocus(root, () => drawCase(d, c));
  }

  function drawCase(d, c) {
    root.replaceChildren(h('div', { class: 'case-page', 'data-testid': 'case-page', 'data-state': c.state },
      crumbs(),
      h('div', { class: 'page-head' }, h('div', null,
        h('h1', { id: 'case-title' }, t('case.title', { id })),
        h('div', { class: 'badges', 'data-testid': 'case-badges' }, kindBadge(c.kind), stateBadge(c.state), lateBadges(c),
          c.merged_into ? h('span', { class: 'badge badge-muted' }, t('case.merged.badge')) : null))),
      h('div', { class: 'detail-grid' },
        h('div', { class: 'detail-main' }, caseSection(d), personSection(c), timelineSection(d.events || []),
          photoSection(d.photos || [])),
        h('div', { class: 'detail-side' }, actionsSection(d), transfer.section(d), replySection(d), rateSection(d), reopenSection(d),
          dispatchSection(d), mergeSection(d), similarSection(d)))));
    // The plan of an adopted suggestion, after the case's facts.
    const facts = root.querySelector('[data-section=case]');
    const planEl = plan.section(d);
    if (facts && planEl) facts.after(planEl);
    steps.place(root, d);
  }

  // ---- acting ----

  // Reads the case again; a reply box still showing the old reply
  // shows the new one, one being written is kept.
  async function refetch() {
    const before = state.data ? state.data.case.reply || '' : '';
    await Promise.all([fetchCase(), transfer.load()]);
    if (state.drafts.reply && state.drafts.reply.reply === before) state.drafts.reply = null;
  }

  async function reload() {
    await refetch();
    if (!ctx.alive()) return;
    state.msg = {};
    for (const s of SECTIONS) errors[s].clear();
    draw();
  }

  // Runs a POST for a section; on success the case is read again (the
  // timeline and what is allowed change) and the section says so.
  async function act(section, path, body, okText, fields, okSection = section) {
    if (state.busy) return;
    errors[section].clear();
    delete state.msg[section];
    state.busy = section;
    draw();
    try {
      await api('POST', `/cases/${id}${path}`, { body });
      if (!ctx.alive()) return;
      state.drafts = { ...state.drafts, [section]: emptyDrafts()[section] };
      await refetch();
      if (!ctx.alive()) return;
      state.msg = { [okSection]: { kind: 'ok', text: okText() } };
    } catch (err) {
      if (!ctx.alive()) return;
      const general = errors[section].fromApi(err, fields);
      if (general.length) {
        state.msg[section] = { kind: 'error', text: general.join(' '), reload: err.status === 409 || err.status === 412 };
      }
    }
    state.busy = null;
    draw();
    const focus = root.querySelector(`[data-testid=${okSection}-result], [data-testid=${section}-error]`)
      || root.querySelector('[aria-invalid="true"]');
    if (focus) focus.focus();
  }

  function localError(section, field, text) {
    errors[section].clear();
    delete state.msg[section];
    if (field) errors[section].add(field, text);
    else state.msg[section] = { kind: 'error', text };
    draw();
    const focus = root.querySelector('[aria-invalid="true"]') || root.querySelector(`[data-testid=${section}-error]`);
    if (focus) focus.focus();
  }

  function move(to) {
    const note = state.drafts.move.note.trim();
    if (NEEDS_NOTE.includes(to) && !note) {
      localError('move', 'note', t('case.note.required', { action: t(`case.to.${to}`) }));
      return;
    }
    // A reason owed to the submitter is public whatever was chosen.
    const pub = NEEDS_NOTE.includes(to) || state.drafts.move.public;
    act('move', '/transition', { to, note, public: pub }, () => t('case.moved', { action: t(`case.to.${to}`), state: stateName(state.data.case.state) }), ['note', 'public']);
  }

  function dispatch() {
    const dr = state.drafts.dispatch;
    const body = { note: dr.note.trim() };
    if (dr.category_id) body.category_id = Number(dr.category_id);
    if (dr.department_id) body.department_id = Number(dr.department_id);
    if (dr.deadline) body.deadline = fromShanghaiLocal(dr.deadline);
    if (!dr.category_id && !dr.department_id && !dr.deadline) {
      localError('dispatch', null, t('case.dispatch.nothing'));
      return;
    }
    act('dispatch', '/assign', body, () => t('case.dispatch.done'), ['category_id', 'department_id', 'deadline', 'note']);
  }

  function merge() {
    const dr = state.drafts.merge;
    if (!/^\d+$/.test(dr.into.trim())) {
      localError('merge', 'into', t('case.merge.bad'));
      return;
    }
    const into = Number(dr.into.trim());
    act('merge', '/merge', { into, note: dr.note.trim() }, () => t('case.merge.done', { id: into }), ['into', 'note']);
  }

  function reply() {
    const pub = state.drafts.reply.public !== false;
    act('reply', '/reply', { reply: state.drafts.reply.reply.trim(), public: pub },
      () => t(pub ? 'case.reply.done' : 'reply.done.internal'), ['reply', 'public']);
  }

  function rate() {
    const dr = state.drafts.rate;
    if (!dr.rating) {
      localError('rate', 'rating', t('case.rate.choose'));
      return;
    }
    const body = { rating: Number(dr.rating) };
    if (dr.note.trim()) body.note = dr.note.trim();
    act('rate', '/rating', body, () => t('case.rate.done'), ['rating', 'note']);
  }

  function reopen() {
    // Reopened, the case leaves the reopening form behind: the actions say so.
    act('reopen', '/reopen', { note: state.drafts.reopen.note.trim() }, () => t('case.reopen.done'), ['note'], 'move');
  }

  draw();
  return { onLang: draw };
}
