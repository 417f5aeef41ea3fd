// An enterprise contact raises a problem of their enterprise
// (/cases/new): POST /api/v1/cases with kind problem, a category and the
// text; the server's field errors are shown beside the fields, and the
// answer's similar cases after it is in.
import { h, icon } from '../dom.js';
import { t, localName } from '../i18n.js';
import { api } from '../api.js';
import {
  ENTERPRISE_GROUP, getCategories, categoryOptions, fieldErrors, requestKey, deadlineText, similarItems,
} from '../casekit.js';
import { mayRaiseProblem } from './cases.js';
import { mayEnterCases, render as renderIntake } from './intake.js';

const FIELDS = ['category', 'text'];

export async function render(ctx) {
  const { root, app } = ctx;
  const user = app.user;
  const state = {
    categories: [], enterprise: null, draft: { category: '', text: '' },
    saving: false, general: [], done: null, key: requestKey(),
  };
  const errors = fieldErrors();

  // Staff enter cases from every channel on their own form (intake.js).
  if (!mayRaiseProblem(user) && mayEnterCases(user)) return renderIntake(ctx);
  app.setTitle(t('casenew.title'));
  if (!mayRaiseProblem(user)) {
    root.replaceChildren(h('h1', null, t('casenew.title')),
      h('div', { class: 'alert alert-error', role: 'alert' }, t('casenew.forbidden')),
      h('p', null, h('a', { href: '/cases' }, t('common.back'))));
    return null;
  }
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  const [cats, ent] = await Promise.all([
    getCategories().catch(() => []),
    api('GET', `/enterprises/${user.enterprise_id}`).then((r) => r.data).catch(() => null),
  ]);
  if (!ctx.alive()) return null;
  state.categories = cats;
  state.enterprise = ent;

  function crumbs() {
    return h('nav', { class: 'breadcrumb', 'aria-label': t('nav.breadcrumb') },
      h('a', { href: '/cases' }, icon('back'), h('span', null, t('cases.title'))),
      h('span', { class: 'crumb-current', 'aria-current': 'page' }, t('casenew.title')));
  }

  function drawDone() {
    const { c, similar } = state.done;
    root.replaceChildren(h('div', { class: 'case-form-page' }, crumbs(),
      h('h1', null, t('casenew.title')),
      h('div', { class: 'card done-card', 'data-testid': 'case-created', 'data-id': c.id },
        h('p', { class: 'done-line' }, t('casenew.done', { id: c.id, deadline: deadlineText(c) })),
        h('div', { class: 'form-actions-inline' },
          h('a', { class: 'btn btn-primary btn-touch', href: `/cases/${c.id}`, id: 'open-created' }, t('casenew.open')),
          h('button', {
            type: 'button', class: 'btn btn-secondary btn-touch',
            onclick: () => {
              state.done = null; state.draft = { category: '', text: '' }; state.key = requestKey(); draw();
            },
          }, t('casenew.another')))),
      similar.length ? h('section', { class: 'card' },
        h('h2', { class: 'card-title' }, t('case.section.similar')),
        h('p', { class: 'muted' }, t('casenew.similar')),
        similarItems(similar, { link: true })) : null));
  }

  function draw() {
    app.setTitle(t('casenew.title'));
    if (state.done) { drawDone(); return; }
    const name = localName(state.enterprise) || user.display_name || '';
    const cat = h('select', { id: 'f-category', name: 'category', class: 'input', required: true },
      h('option', { value: '' }, t('casenew.category.choose')),
      categoryOptions(state.categories, (c) => c.group === ENTERPRISE_GROUP, (c) => c.code));
    cat.value = state.draft.category;
    cat.addEventListener('change', () => { state.draft.category = cat.value; });
    errors.describe(cat, 'category', 'f-category');
    const text = h('textarea', {
      id: 'f-text', name: 'text', class: 'input textarea', rows: 6, maxlength: 4000, required: true,
    });
    text.value = state.draft.text;
    text.addEventListener('input', () => { state.draft.text = text.value; });
    errors.describe(text, 'text', 'f-text', 'f-text-hint');
    const save = h('button', { type: 'submit', class: 'btn btn-primary btn-touch', id: 'case-save', disabled: state.saving },
      state.saving ? t('casenew.saving') : t('casenew.submit'));
    const form = h('form', { id: 'case-form', class: 'case-form card', novalidate: true, 'aria-busy': state.saving ? 'true' : null },
      errors.any() || state.general.length
        ? h('div', { class: 'alert alert-error', role: 'alert', id: 'form-errors' },
          errors.any() ? h('p', null, t('suggest.errors')) : null,
          state.general.length ? h('ul', null, state.general.map((m) => h('li', null, m))) : null)
        : null,
      h('div', { class: 'field', 'data-for': 'category' },
        h('label', { for: 'f-category' }, t('casenew.category')), cat, errors.show('category', 'f-category')),
      h('div', { class: 'field', 'data-for': 'text' },
        h('label', { for: 'f-text' }, t('casenew.text')), text,
        h('p', { class: 'hint', id: 'f-text-hint' }, t('casenew.text.hint')), errors.show('text', 'f-text')),
      h('div', { class: 'form-actions-inline' }, save,
        h('a', { class: 'btn btn-secondary btn-touch', href: '/cases' }, t('edit.cancel'))));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); submit(); });
    root.replaceChildren(h('div', { class: 'case-form-page' }, crumbs(),
      h('div', { class: 'page-head' }, h('div', null,
        h('h1', null, t('casenew.title')),
        h('p', { class: 'muted' }, t('casenew.intro', { name })))),
      form));
  }

  async function submit() {
    if (state.saving) return;
    errors.clear();
    state.general = [];
    state.saving = true;
    draw();
    try {
      const r = await api('POST', '/cases', {
        body: { kind: 'problem', category: state.draft.category, text: state.draft.text },
        headers: { 'Idempotency-Key': state.key },
      });
      if (!ctx.alive()) return;
      state.done = { c: r.data.case, similar: r.data.similar || [] };
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
