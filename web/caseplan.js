// The plan of an adopted suggestion, on the case page (staff) and on the
// public pages: its summary, its progress and its milestones. Staff read
// every milestone with its due date; the public reads the reached ones
// only, as GET /api/v1/public/cases/{code} and /public/suggestions/{id}
// give them. The department (and officers) write the plan whole with
// PUT /api/v1/cases/{id}/plan; the server decides and its refusals are
// shown beside their fields.
import { h, icon } from './dom.js';
import { t, formatDate } from './i18n.js';
import { api } from './api.js';
import { fieldErrors } from './casekit.js';
import './plan-i18n.js';

const todayInTown = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

function progressBar(n, testid = 'plan-progress') {
  // The width through the CSSOM: the console's policy allows no style
  // attribute.
  const fill = h('span', { class: 'plan-bar-fill' });
  fill.style.width = `${Math.max(0, Math.min(100, n))}%`;
  return h('div', { class: 'plan-progress', 'data-testid': testid, 'data-progress': String(n) },
    h('div', {
      class: 'plan-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(n),
      'aria-label': t('plan.progress', { n }),
    }, fill),
    h('span', { class: 'plan-bar-text' }, t('plan.progress', { n })));
}

// The public's part of a plan (null: none), for the tracking page and a
// suggestion's page.
export function publicPlan(plan) {
  if (!plan) return null;
  const reached = plan.milestones || [];
  return h('section', { class: 'card plan-public', 'data-testid': 'public-plan' },
    h('h2', { class: 'card-title' }, t('plan.public.title')),
    plan.summary ? h('p', { class: 'plan-summary' }, plan.summary) : null,
    progressBar(plan.progress, 'public-plan-progress'),
    h('p', { class: 'muted small' }, t('plan.public.count', { done: reached.length, total: plan.milestones_total ?? reached.length })),
    reached.length
      ? h('ol', { class: 'milestones', 'data-testid': 'public-milestones' }, reached.map((m) => h('li', {
        class: 'milestone is-reached', 'data-testid': 'public-milestone',
      },
      h('div', { class: 'milestone-head' },
        h('span', { class: 'milestone-mark', 'aria-hidden': 'true' }, '✓'), h('span', { class: 'milestone-title' }, m.title),
        h('time', { class: 'muted small', datetime: m.reached_on }, t('plan.m.reached.on', { date: formatDate(m.reached_on) }))),
      m.text ? h('p', { class: 'milestone-text' }, m.text) : null)))
      : h('p', { class: 'muted' }, t('plan.public.none')));
}

// The controller of the case page's plan: load() before the first draw,
// section(d) on every draw; refresh(again) reads the case again (its
// timeline gains the milestones reached).
export function casePlan({ id, ctx, refresh }) {
  const state = { data: null, editing: false, draft: null, busy: false, msg: null };
  const errors = fieldErrors();

  async function load() {
    try {
      state.data = (await api('GET', `/cases/${id}/plan`)).data;
    } catch {
      state.data = null;
    }
  }

  function startEdit() {
    const p = state.data.plan;
    state.draft = {
      summary: p ? p.summary : '',
      milestones: p ? p.milestones.map((m) => ({
        id: m.id, title: m.title, due_on: m.due_on, reached_on: m.reached_on || '', text: m.text || '',
        weight: String(m.weight), wasReached: Boolean(m.reached_on),
      })) : [{ title: '', due_on: '', reached_on: '', text: '', weight: '1' }],
    };
    state.editing = true;
    state.msg = null;
    errors.clear();
    refresh(false);
  }

  function knownFields() {
    const f = ['summary', 'milestones'];
    state.draft.milestones.forEach((_, i) => {
      for (const k of ['', '.id', '.title', '.due_on', '.reached_on', '.text', '.weight']) f.push(`milestones[${i}]${k}`);
    });
    return f;
  }

  async function save() {
    if (state.busy) return;
    const body = {
      summary: state.draft.summary.trim(),
      milestones: state.draft.milestones.map((m) => {
        const o = { title: m.title.trim(), due_on: m.due_on };
        if (m.id) o.id = m.id;
        if (m.reached_on) o.reached_on = m.reached_on;
        if (m.text.trim()) o.text = m.text.trim();
        if (m.weight && m.weight !== '1') o.weight = /^\d+$/.test(m.weight) ? Number(m.weight) : m.weight;
        return o;
      }),
    };
    state.busy = true;
    state.msg = null;
    errors.clear();
    refresh(false);
    try {
      await api('PUT', `/cases/${id}/plan`, { body });
      if (!ctx.alive()) return;
      state.editing = false;
      state.draft = null;
      await load();
      state.msg = { kind: 'ok', text: t('plan.saved') };
      state.busy = false;
      await refresh(true);
    } catch (err) {
      if (!ctx.alive()) return;
      const general = errors.fromApi(err, knownFields());
      state.msg = general.length ? { kind: 'error', text: general.join(' ') } : null;
      state.busy = false;
      refresh(false);
    }
    const focus = document.querySelector('[data-testid=plan-result], [data-testid=plan-error], [data-section=plan] [aria-invalid="true"]');
    if (focus) focus.focus();
  }

  function message() {
    const m = state.msg;
    if (!m) return null;
    return m.kind === 'ok'
      ? h('p', { class: 'action-result is-ok', role: 'status', 'data-testid': 'plan-result', tabindex: '-1' }, m.text)
      : h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'plan-error', tabindex: '-1' }, h('p', null, m.text));
  }

  function input(obj, key, iid, field, attrs = {}) {
    const el = h('input', { id: iid, class: 'input', value: obj[key] ?? '', ...attrs });
    el.addEventListener('input', () => { obj[key] = el.value; });
    errors.describe(el, field, iid);
    return el;
  }

  function box(field, iid, text, control) {
    return h('div', { class: 'field', 'data-for': field },
      h('label', { for: iid }, text), control, errors.show(field, iid));
  }

  function editor() {
    const d = state.draft;
    const summary = h('textarea', { id: 'plan-summary', class: 'input textarea', rows: 2, maxlength: 2000 });
    summary.value = d.summary;
    summary.addEventListener('input', () => { d.summary = summary.value; });
    errors.describe(summary, 'summary', 'plan-summary');
    const rows = d.milestones.map((m, i) => {
      const p = `plan-m${i}`;
      const f = (k) => `milestones[${i}].${k}`;
      const text = h('textarea', { id: `${p}-text`, class: 'input textarea', rows: 2, maxlength: 1000 });
      text.value = m.text;
      text.addEventListener('input', () => { m.text = text.value; });
      errors.describe(text, f('text'), `${p}-text`);
      return h('fieldset', { class: 'milestone-edit', 'data-testid': 'milestone-edit' },
        h('legend', null, t('plan.m.n', { n: i + 1 })),
        box(f('title'), `${p}-title`, t('plan.m.title'), input(m, 'title', `${p}-title`, f('title'), { maxlength: 100 })),
        h('div', { class: 'field-pair' },
          box(f('due_on'), `${p}-due`, t('plan.m.due'), input(m, 'due_on', `${p}-due`, f('due_on'), { type: 'date' })),
          box(f('reached_on'), `${p}-reached`, t('plan.m.reached'), input(m, 'reached_on', `${p}-reached`, f('reached_on'), { type: 'date' }))),
        box(f('text'), `${p}-text`, t('plan.m.text'), text),
        box(f('weight'), `${p}-weight`, t('plan.m.weight'),
          input(m, 'weight', `${p}-weight`, f('weight'), { type: 'number', min: 1, max: 100, step: 1, inputmode: 'numeric' })),
        errors.show(`milestones[${i}]`, `${p}-all`),
        h('div', { class: 'milestone-actions' },
          m.reached_on ? null : h('button', {
            type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'milestone-reach',
            onclick: () => { m.reached_on = todayInTown(); refresh(false); },
          }, t('plan.m.reach')),
          m.wasReached ? null : h('button', {
            type: 'button', class: 'btn btn-link btn-danger btn-small', 'data-testid': 'milestone-remove',
            onclick: () => { d.milestones.splice(i, 1); errors.clear(); refresh(false); },
          }, t('plan.m.remove'))));
    });
    const form = h('form', { class: 'case-subform plan-form', id: 'plan-form', novalidate: true },
      message(),
      h('p', { class: 'hint' }, t('plan.hint')),
      box('summary', 'plan-summary', t('plan.summary'), summary),
      h('h3', { class: 'sub-title' }, t('plan.milestones')),
      errors.show('milestones', 'plan-milestones'),
      rows,
      h('button', {
        type: 'button', class: 'btn btn-secondary btn-small', id: 'plan-add', disabled: d.milestones.length >= 20,
        onclick: () => { d.milestones.push({ title: '', due_on: '', reached_on: '', text: '', weight: '1' }); refresh(false); },
      }, icon('plus'), h('span', null, t('plan.m.add'))),
      h('div', { class: 'form-actions-inline' },
        h('button', { type: 'submit', class: 'btn btn-primary', id: 'plan-save', disabled: state.busy }, t('plan.save')),
        h('button', {
          type: 'button', class: 'btn btn-secondary', id: 'plan-cancel',
          onclick: () => { state.editing = false; state.draft = null; errors.clear(); refresh(false); },
        }, t('plan.cancel'))));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); save(); });
    return form;
  }

  function view(p) {
    if (!p) return h('p', { class: 'muted', 'data-testid': 'plan-none' }, t('plan.none'));
    const day = todayInTown();
    return [
      p.summary ? h('p', { class: 'plan-summary' }, p.summary) : null,
      progressBar(p.progress),
      h('ol', { class: 'milestones', 'data-testid': 'milestones' }, p.milestones.map((m) => h('li', {
        class: ['milestone', m.reached_on ? 'is-reached' : 'is-pending'], 'data-testid': 'milestone',
        'data-public': m.public ? 'true' : 'false',
      },
      h('div', { class: 'milestone-head' },
        h('span', { class: 'milestone-title' }, m.title),
        h('span', { class: ['badge', m.public ? 'badge-ok' : 'badge-muted'] }, t(m.public ? 'plan.m.public' : 'plan.m.pending')),
        !m.reached_on && m.due_on < day ? h('span', { class: 'badge badge-alert' }, t('plan.m.late')) : null),
      h('p', { class: 'muted small' },
        m.reached_on ? t('plan.m.reached.on', { date: formatDate(m.reached_on) }) : t('plan.m.due.on', { date: formatDate(m.due_on) })),
      m.text ? h('p', { class: 'milestone-text' }, m.text) : null))),
    ];
  }

  // The section, for a suggestion that has a plan or may get one.
  function section(d) {
    const x = state.data;
    if (!x || d.case.kind !== 'suggestion' || (!x.plan && !x.writable)) return null;
    const mayEdit = x.may_edit && x.writable;
    return h('section', { class: 'card', 'data-section': 'plan', 'aria-labelledby': 'sec-plan' },
      h('h2', { id: 'sec-plan', class: 'card-title' }, t('plan.title')),
      state.editing ? editor() : [
        message(),
        view(x.plan),
        mayEdit ? h('button', { type: 'button', class: 'btn btn-secondary', id: 'plan-edit', onclick: startEdit },
          t(x.plan ? 'plan.edit' : 'plan.start')) : null,
      ]);
  }

  return { load, section };
}
