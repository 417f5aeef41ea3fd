// Service visits ("red inquiry"): the form that records one
// (/enterprises/{id}/visit, made for a phone in a grid worker's hand),
// and the enterprise page's indicators, alerts and visit history.
import { h, icon } from '../dom.js';
import { t, label, localName, formatNumber, getLang, isZh, addLabels } from '../i18n.js';
import { api } from '../api.js';
import { lineChart } from '../charts.js';
import { getCategories, categoryName, ENTERPRISE_GROUP } from '../casekit.js';
import { alertItems } from './alerts.js';

// The questions of the policy measures left unknown for lack of facts
// (GET /enterprises/{id}/questions), asked on the visit form.
addLabels({
  'visitq.title': '本次走访需采集的政策数据（{n}）',
  'visitq.hint': '以下数据缺失，相关政策暂无法判断企业是否符合条件。走访时采集填报，保存后自动重新匹配。',
  'visitq.hint.planned': '走访完成后记录时，可一并填报以下数据。',
  'visitq.kind.registry': '登记信息',
  'visitq.kind.indicator': '经营指标',
  'visitq.kind.chain': '产业链数据',
  'visitq.waiting': '等待此项数据的政策：',
  'visitq.more': '另有 {n} 项政策',
  'visitq.chain': '由企业的供应关系计算，请在产业链页面登记其采购与供应商。',
  'visitq.same': '{period} 已在上方填报。',
  'visitq.period': '{period} {field}（{unit}）',
  'visitq.size.none': '请选择',
  'problem.enterprise_other': '其他企业诉求',
  'visit.problem.choose': '请选择类别（不选为其他）',
}, {
  'visitq.title': 'Data to collect for policy measures ({n})',
  'visitq.hint': 'Without these facts the measures below cannot tell whether the enterprise qualifies. Collect them on the visit; saving matches the enterprise again.',
  'visitq.hint.planned': 'Record these when the visit is done.',
  'visitq.kind.registry': 'Registry',
  'visitq.kind.indicator': 'Figures',
  'visitq.kind.chain': 'Chain',
  'visitq.waiting': 'Measures waiting on it:',
  'visitq.more': '{n} more {n|measure|measures}',
  'visitq.chain': 'Worked out from its supply links: record its purchases and suppliers on the chain page.',
  'visitq.same': '{period} is asked above.',
  'visitq.period': '{period} {field} ({unit})',
  'visitq.size.none': 'Choose',
  'problem.enterprise_other': 'Other enterprise matters',
  'visit.problem.choose': 'Choose a category (none: other)',
});

// A problem's category is one of the case categories enterprises' problems
// are filed under (the server refuses any other): the server's list, or
// these codes of it when the list cannot be read.
export const PROBLEM_CATEGORIES = ['land', 'labour', 'finance', 'logistics', 'utilities', 'policy', 'enterprise_other'];
let problemCats = null;
function loadProblemCats() {
  return getCategories().then((cats) => {
    problemCats = cats.filter((c) => c.group === ENTERPRISE_GROUP);
    return problemCats;
  }, () => null);
}
function problemName(code) {
  const c = (problemCats || []).find((x) => x.code === code);
  return c ? categoryName(c) : label('problem', code || 'enterprise_other');
}
export const FIGURES = ['revenue', 'output', 'tax', 'employees', 'rd', 'energy'];
const CHARTED = ['revenue', 'output', 'tax'];
const MAX_PROBLEMS = 20;

// Who may record a visit; the server decides the scope (a grid worker
// only in their grids) and says so with a 403.
export function mayRecordVisit(user) {
  return Boolean(user) && ['admin', 'officer', 'grid_worker'].includes(user.role);
}

// Today in the town (UTC+8), YYYY-MM-DD.
export function todayInTown() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date());
}

// The last complete quarter, as the form's example period.
function lastQuarter() {
  const [y, m] = todayInTown().split('-').map(Number);
  const q = Math.floor((m - 1) / 3); // the current quarter, 0-based
  return q === 0 ? `${y - 1}-Q4` : `${y}-Q${q}`;
}

function unitOf(field) {
  return t(field === 'employees' ? 'unit.people' : field === 'energy' ? 'unit.tce' : 'unit.wan');
}

function figure(n) {
  if (n === null || n === undefined) return t('common.none');
  return new Intl.NumberFormat(getLang(), { maximumFractionDigits: Math.abs(n) < 100 ? 2 : 0 }).format(n);
}

function change(c) {
  if (c === null || c === undefined) return '';
  const p = new Intl.NumberFormat(getLang(), { maximumFractionDigits: 1, minimumFractionDigits: 1 })
    .format(Math.abs(c * 100));
  return `${c > 0 ? '+' : c < 0 ? '−' : '±'}${p}%`;
}

// ---- on the enterprise page ----

function visitList(visits) {
  if (!visits.length) return h('p', { class: 'muted', 'data-testid': 'visits-empty' }, t('visit.none'));
  return h('ol', { class: 'visit-list', 'data-testid': 'visits' }, visits.map((v) => {
    const date = v.status === 'done' ? (v.done_on || v.planned_on) : v.planned_on;
    return h('li', { class: `visit visit-${v.status}`, 'data-testid': 'visit', 'data-id': v.id },
      h('div', { class: 'visit-head' },
        h('time', { class: 'visit-date', datetime: date }, date || t('common.none')),
        h('span', { class: `status visit-status-${v.status}` }, label('visit.status', v.status)),
        h('span', { class: 'visit-worker' }, icon('user'),
          h('span', null, v.worker || (v.worker_id ? t('grid.member', { id: v.worker_id }) : t('common.none'))))),
      v.notes ? h('p', { class: 'visit-notes' }, v.notes) : null,
      (v.problems || []).length
        ? h('ul', { class: 'problem-list', 'data-testid': 'visit-problems' }, v.problems.map((p) => h('li', { class: 'problem' },
          h('span', { class: 'badge' }, problemName(p.category)),
          h('span', { class: 'problem-text' }, p.text))))
        : null);
  }));
}

function indicatorTable(items) {
  return h('details', { class: 'indicator-details' },
    h('summary', null, t('ind.table')),
    h('div', { class: 'table-scroll' },
      h('table', { class: 'data-table indicator-table', 'data-testid': 'indicator-table' },
        h('caption', { class: 'visually-hidden' }, t('ind.title')),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('ind.period')),
          FIGURES.map((f) => h('th', { scope: 'col', class: 'num' }, label('indicator', f))))),
        h('tbody', null, items.slice().reverse().map((it) => h('tr', null,
          h('th', { scope: 'row', class: 'mono' }, it.period),
          FIGURES.map((f) => h('td', { class: 'num' }, figure(it[f]),
            it[`${f}_qoq`] !== null && it[`${f}_qoq`] !== undefined
              ? h('span', { class: ['delta', it[`${f}_qoq`] < 0 && 'delta-down', it[`${f}_qoq`] === 0 && 'delta-flat'] },
                ` ${change(it[`${f}_qoq`])}`)
              : null))))))));
}

function indicatorSection(state) {
  const body = [];
  if (state.indError) {
    body.push(h('p', { class: 'muted' }, state.indError.status === 403 ? t('common.forbidden') : state.indError.message));
  } else if (!state.ind) {
    body.push(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  } else {
    const { items = [], alerts = [] } = state.ind;
    if (alerts.length) {
      body.push(h('div', { class: 'ent-alerts', 'data-testid': 'enterprise-alerts' },
        h('h3', { class: 'sub-title' }, t('ind.alerts')), alertItems(alerts)));
    }
    if (!items.length) {
      body.push(h('p', { class: 'muted', 'data-testid': 'indicators-empty' }, t('ind.none')));
    } else {
      const fallen = (f) => new Set(alerts.filter((a) => a.kind === 'fall' && a.field === f).map((a) => a.period));
      body.push(h('div', { class: 'chart-grid' }, CHARTED.map((f, i) => lineChart({
        key: f,
        width: i === 0 ? 720 : 360,
        height: i === 0 ? 250 : 210,
        title: label('indicator', f),
        unit: unitOf(f),
        points: items.map((it) => ({ label: it.period, value: it[f] })),
        marked: fallen(f),
        format: figure,
        describe: t('ind.chart.describe', {
          field: label('indicator', f), from: items[0].period, to: items[items.length - 1].period,
          last: `${figure(items[items.length - 1][f])} ${unitOf(f)}`,
        }),
      }))));
      body.push(indicatorTable(items));
    }
  }
  return h('section', { class: 'card', 'data-section': 'indicators', 'aria-labelledby': 'sec-indicators' },
    h('h2', { id: 'sec-indicators', class: 'card-title' }, t('ind.title')), body);
}

function visitSection(state, e, user) {
  let body;
  if (state.visitError) {
    body = h('p', { class: 'muted' }, state.visitError.status === 403 ? t('common.forbidden') : state.visitError.message);
  } else if (!state.visits) {
    body = h('p', { class: 'loading', role: 'status' }, t('common.loading'));
  } else {
    body = visitList(state.visits);
  }
  return h('section', { class: 'card', 'data-section': 'visits', 'aria-labelledby': 'sec-visits' },
    h('div', { class: 'card-head' },
      h('h2', { id: 'sec-visits', class: 'card-title' }, t('visit.history')),
      mayRecordVisit(user)
        ? h('a', { class: 'btn btn-primary', id: 'visit-button', href: `/enterprises/${e.id}/visit` },
          icon('plus'), h('span', null, t('visit.record')))
        : null),
    body);
}

const controllers = new WeakMap();

// The enterprise page's indicators and visits, for enterprise e, as one
// element. Called on every redraw of the page (a language switch): the
// data is fetched once per page and drawn again in the new language.
export function gridSections(ctx, e) {
  let c = controllers.get(ctx);
  if (!c || c.id !== e.id) {
    const state = { ind: null, indError: null, visits: null, visitError: null };
    const el = h('div', { class: 'ent-grid-sections', 'data-testid': 'grid-sections' });
    const draw = () => {
      el.replaceChildren(h('div', { class: 'detail-grid' },
        h('div', { class: 'detail-main' }, indicatorSection(state)),
        h('div', { class: 'detail-side' }, visitSection(state, e, ctx.app.user))));
    };
    c = { id: e.id, el, draw };
    controllers.set(ctx, c);
    api('GET', `/enterprises/${e.id}/indicators`)
      .then((r) => { state.ind = r.data; }, (err) => { state.indError = err; })
      .then(() => { if (ctx.alive()) draw(); });
    Promise.all([api('GET', `/enterprises/${e.id}/visits`), loadProblemCats()])
      .then(([r]) => { state.visits = r.data.items || []; }, (err) => { state.visitError = err; })
      .then(() => { if (ctx.alive()) draw(); });
  }
  c.draw();
  return c.el;
}

// ---- the visit form ----

const text = (v) => {
  const s = (v ?? '').toString().trim();
  return s === '' ? null : s;
};

function numberOf(v) {
  const s = (v ?? '').toString().trim();
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : s;
}

// Where a field the server names is shown on the form.  sent: the
// periods of the figures sent, in order, when they went as an array, and
// the figures section's own period and fields.
function slotOf(field, sent) {
  if (!field) return null;
  const arr = /^indicators\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (arr && sent) {
    const period = sent.periods[Number(arr[1])];
    if (!arr[2] || arr[2] === 'period') return period === sent.figurePeriod ? 'indicators.period' : 'questions';
    if (period === sent.figurePeriod && sent.figureFields.includes(arr[2])) return `indicators.${arr[2]}`;
    return `q.${arr[2]}@${period}`;
  }
  if (field === 'registry') return 'questions';
  if (/^registry\.\w+$/.test(field)) return `q.${field}`;
  if (field === 'planned_on' || field === 'done_on') return 'date';
  if (['status', 'notes', 'problems', 'indicators', 'indicators.period'].includes(field)) return field;
  if (FIGURES.includes(field)) return `indicators.${field}`;
  if (/^indicators\.(\w+)$/.test(field) && FIGURES.includes(field.slice(11))) return field;
  const m = /^problems\[(\d+)\](?:\.(text|category))?$/.exec(field);
  if (m) return m[2] ? `problems[${m[1]}].${m[2]}` : `problems[${m[1]}]`;
  return null;
}

const cssId = (name) => name.replace(/[^a-zA-Z0-9_-]/g, '-');

export async function render(ctx) {
  const { root, app, params } = ctx;
  const id = Number(params.id);
  const state = {
    e: null, loadError: null, saving: false, errors: {}, general: [],
    draft: {
      status: 'done', date: todayInTown(), notes: '', problems: [],
      period: '', figures: Object.fromEntries(FIGURES.map((f) => [f, ''])),
      answers: {},
    },
    showFigures: false,
    questions: null,
    sent: null,
  };
  const pristine = JSON.stringify(state.draft);

  app.setTitle(t('visit.title'));
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  // The questions load beside the record; a caller who may not read
  // them (another grid's worker) gets the form without them.
  const questions = mayRecordVisit(app.user)
    ? api('GET', `/enterprises/${id}/questions`).then((r) => r.data.items || [], () => null)
    : Promise.resolve(null);
  const cats = loadProblemCats();
  try {
    state.e = (await api('GET', `/enterprises/${id}`)).data;
  } catch (err) {
    state.loadError = err;
  }
  state.questions = await questions;
  await cats;
  if (!ctx.alive()) return null;

  if (state.loadError || !mayRecordVisit(app.user)) {
    const msg = state.loadError
      ? (state.loadError.status === 404 ? t('ent.notfound', { id }) : state.loadError.message)
      : t('common.forbidden');
    root.replaceChildren(h('h1', null, t('visit.title')),
      h('div', { class: 'alert alert-error', role: 'alert' }, msg),
      h('p', null, h('a', { href: `/enterprises/${id}` }, t('common.back'))));
    return null;
  }

  // A redraw replaces the form's elements: keep the keyboard's place.
  function refocus(selector) {
    const el = root.querySelector(selector);
    if (el) el.focus();
  }

  function errorsFor(slot) {
    return (state.errors[slot] || []).map((fe, i) => h('p', {
      class: 'field-error', 'data-field': fe.field, id: `err-${cssId(slot)}-${i}`,
    }, icon('close', 'icon icon-err'), h('span', null, fe.message)));
  }

  function describe(input, slot, hintId) {
    const ids = hintId ? [hintId] : [];
    (state.errors[slot] || []).forEach((_, i) => ids.push(`err-${cssId(slot)}-${i}`));
    if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
    if (state.errors[slot]) input.setAttribute('aria-invalid', 'true');
  }

  function bind(input, set) {
    const f = () => set(input.value);
    input.addEventListener('input', f);
    input.addEventListener('change', f);
  }

  function statusChoice() {
    const choices = ['done', 'planned'].map((s) => {
      const input = h('input', {
        type: 'radio', name: 'status', value: s, id: `f-status-${s}`, checked: state.draft.status === s,
      });
      input.addEventListener('change', () => {
        if (input.checked) { state.draft.status = s; draw(); refocus(`#f-status-${s}`); }
      });
      return h('label', { class: 'choice', for: `f-status-${s}` }, input,
        h('span', { class: 'choice-text' }, label('visit.status', s)));
    });
    return h('fieldset', { class: 'field choice-group', 'data-for': 'status' },
      h('legend', null, t('visit.field.status')), h('div', { class: 'choices' }, choices), errorsFor('status'));
  }

  function dateField() {
    const name = state.draft.status === 'done' ? 'done_on' : 'planned_on';
    const input = h('input', {
      id: 'f-date', name, type: 'date', class: 'input', value: state.draft.date, min: '1800-01-01', max: '2100-12-31',
    });
    bind(input, (v) => { state.draft.date = v; });
    describe(input, 'date');
    return h('div', { class: 'field', 'data-for': 'date' },
      h('label', { for: 'f-date' }, t(state.draft.status === 'done' ? 'visit.field.done_on' : 'visit.field.planned_on')),
      input, errorsFor('date'));
  }

  function notesField() {
    const input = h('textarea', { id: 'f-notes', name: 'notes', class: 'input textarea', rows: 4, maxlength: 2000 });
    input.value = state.draft.notes;
    bind(input, (v) => { state.draft.notes = v; });
    describe(input, 'notes');
    return h('div', { class: 'field', 'data-for': 'notes' },
      h('label', { for: 'f-notes' }, t('visit.field.notes')), input, errorsFor('notes'));
  }

  function problemsEditor() {
    const list = state.draft.problems;
    const rows = list.map((p, i) => {
      const catId = `f-problem-${i}-category`;
      const textId = `f-problem-${i}-text`;
      const cat = h('select', { id: catId, name: `problems[${i}].category`, class: 'input' },
        h('option', { value: '' }, t('visit.problem.choose')),
        problemCats && problemCats.length
          ? problemCats.map((c) => h('option', { value: c.code }, categoryName(c)))
          : PROBLEM_CATEGORIES.map((c) => h('option', { value: c }, label('problem', c))));
      cat.value = p.category;
      bind(cat, (v) => { p.category = v; });
      describe(cat, `problems[${i}].category`);
      const txt = h('textarea', {
        id: textId, name: `problems[${i}].text`, class: 'input textarea', rows: 2, maxlength: 2000,
      });
      txt.value = p.text;
      bind(txt, (v) => { p.text = v; });
      describe(txt, `problems[${i}].text`);
      const remove = h('button', {
        type: 'button', class: 'btn btn-link btn-danger', 'data-testid': 'remove-problem',
        'aria-label': `${t('visit.problem.remove')} (${i + 1})`,
      }, icon('close'), h('span', null, t('visit.problem.remove')));
      remove.addEventListener('click', () => { list.splice(i, 1); state.errors = {}; draw(); refocus('#add-problem'); });
      return h('fieldset', { class: 'problem-edit', 'data-testid': 'problem-edit' },
        h('legend', null, t('visit.problem.n', { n: i + 1 })),
        h('div', { class: 'field', 'data-for': `problems[${i}].category` },
          h('label', { for: catId }, t('visit.problem.category')), cat, errorsFor(`problems[${i}].category`)),
        h('div', { class: 'field', 'data-for': `problems[${i}].text` },
          h('label', { for: textId }, t('visit.problem.text')), txt, errorsFor(`problems[${i}].text`)),
        errorsFor(`problems[${i}]`),
        h('div', { class: 'problem-actions' }, remove));
    });
    const add = h('button', {
      type: 'button', class: 'btn btn-secondary btn-touch', id: 'add-problem', disabled: list.length >= MAX_PROBLEMS,
    }, icon('plus'), h('span', null, t('visit.problem.add')));
    add.addEventListener('click', () => {
      list.push({ category: '', text: '' });
      draw();
      const texts = root.querySelectorAll('textarea[name$="].text"]');
      if (texts.length) texts[texts.length - 1].focus();
    });
    return h('fieldset', { class: 'card form-section', 'data-section': 'problems', 'data-for': 'problems' },
      h('legend', { class: 'card-title' }, t('visit.problems')),
      h('div', { class: 'problems-editor' },
        h('p', { class: 'hint' }, t('visit.problems.hint')),
        errorsFor('problems'),
        rows, add));
  }

  function figuresEditor() {
    const toggle = h('input', { type: 'checkbox', id: 'f-with-figures', class: 'checkbox', checked: state.showFigures });
    toggle.addEventListener('change', () => { state.showFigures = toggle.checked; draw(); refocus('#f-with-figures'); });
    const parts = [h('label', { class: 'check check-touch' }, toggle, h('span', null, t('visit.figures.toggle')))];
    if (state.showFigures) {
      const per = h('input', {
        id: 'f-period', name: 'indicators.period', type: 'text', class: 'input mono', value: state.draft.period,
        placeholder: lastQuarter(), autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters',
      });
      bind(per, (v) => { state.draft.period = v; });
      describe(per, 'indicators.period', 'hint-period');
      parts.push(h('div', { class: 'form-grid visit-figures' },
        h('div', { class: 'field field-wide', 'data-for': 'indicators.period' },
          h('label', { for: 'f-period' }, t('visit.field.period')), per,
          h('p', { class: 'hint', id: 'hint-period' }, t('visit.hint.period', { example: lastQuarter() })),
          errorsFor('indicators.period')),
        FIGURES.map((f) => {
          const input = h('input', {
            id: `f-ind-${f}`, name: `indicators.${f}`, type: 'number', min: 0, step: 'any',
            inputmode: f === 'employees' ? 'numeric' : 'decimal', class: 'input num', value: state.draft.figures[f],
          });
          bind(input, (v) => { state.draft.figures[f] = v; });
          describe(input, `indicators.${f}`);
          return h('div', { class: 'field', 'data-for': `indicators.${f}` },
            h('label', { for: `f-ind-${f}` }, t('visit.figure.label', { field: label('indicator', f), unit: unitOf(f) })), input,
            errorsFor(`indicators.${f}`));
        }),
        h('div', { class: 'field-wide' }, errorsFor('indicators'))));
    }
    return h('fieldset', { class: 'card form-section', 'data-section': 'indicators', 'data-for': 'indicators' },
      h('legend', { class: 'card-title' }, t('visit.figures')), parts);
  }

  function questionInput(q, key, labelText, attrs) {
    const idAttr = `f-q-${cssId(key)}`;
    const slot = `q.${key}`;
    const input = attrs.options
      ? h('select', { id: idAttr, name: slot, class: 'input' }, attrs.options)
      : h('input', { id: idAttr, name: slot, class: `input${attrs.type === 'number' ? ' num' : ''}`, ...attrs });
    input.value = state.draft.answers[key] ?? '';
    bind(input, (v) => { state.draft.answers[key] = v; });
    describe(input, slot);
    return h('div', { class: 'field', 'data-for': slot },
      h('label', { for: idAttr }, labelText), input, errorsFor(slot));
  }

  // The inputs of one question; seen holds the figures already asked by
  // an earlier question (revenue(2025) and revenue(2025Q1) share a quarter).
  function questionInputs(q, seen) {
    if (q.kind === 'chain') return [h('p', { class: 'hint question-note' }, t('visitq.chain'))];
    if (q.kind === 'registry') {
      const key = `registry.${q.field}`;
      const name = t(`field.${q.field}`);
      if (q.field === 'size') {
        return [questionInput(q, key, name, {
          options: [h('option', { value: '' }, t('visitq.size.none')),
            ...['micro', 'small', 'medium', 'large'].map((v) => h('option', { value: v }, label('size', v)))],
        })];
      }
      if (q.field === 'founded') return [questionInput(q, key, name, { type: 'date', min: '1800-01-01', max: todayInTown() })];
      return [questionInput(q, key, `${name}（${unitOf('employees')}）`, { type: 'number', min: 0, step: 1, inputmode: 'numeric' })];
    }
    return q.collect.map((period) => {
      const key = `${q.field}@${period}`;
      if (seen.has(key)) return h('p', { class: 'hint' }, t('visitq.same', { period }));
      seen.add(key);
      return questionInput(q, key,
        t('visitq.period', { period, field: label('indicator', q.field), unit: unitOf(q.field) }),
        { type: 'number', min: 0, step: 'any', inputmode: q.field === 'employees' ? 'numeric' : 'decimal' });
    });
  }

  function questionsSection() {
    const qs = state.questions;
    if (!qs || !qs.length) return null;
    const done = state.draft.status === 'done';
    const seen = new Set();
    const items = qs.map((q) => h('li', { class: 'question', 'data-testid': 'question', 'data-fact': q.fact },
      h('div', { class: 'question-head' },
        h('strong', { class: 'question-fact' }, isZh() ? q.label_zh : q.label_en),
        h('span', { class: 'badge' }, t(`visitq.kind.${q.kind}`))),
      h('div', { class: 'question-measures' },
        h('span', { class: 'muted' }, t('visitq.waiting')),
        h('ul', null, q.policies.map((p) => h('li', { 'data-policy': p.id }, localName(p, 'title_zh', 'title_en'))),
          q.more_policies ? h('li', null, t('visitq.more', { n: q.more_policies })) : null)),
      done ? h('div', { class: 'question-inputs' }, questionInputs(q, seen)) : null));
    return h('fieldset', { class: 'card form-section', 'data-section': 'questions', 'data-for': 'questions' },
      h('legend', { class: 'card-title' }, t('visitq.title', { n: qs.length })),
      h('p', { class: 'hint' }, t(done ? 'visitq.hint' : 'visitq.hint.planned')),
      errorsFor('questions'),
      h('ol', { class: 'question-list', 'data-testid': 'questions' }, items));
  }

  function draw() {
    const e = state.e;
    const name = localName(e) || `#${e.id}`;
    app.setTitle(`${t('visit.title')} · ${name}`);
    const alerts = [];
    const fieldErrors = Object.keys(state.errors).length;
    if (fieldErrors || state.general.length) {
      alerts.push(h('div', { class: 'alert alert-error', role: 'alert', id: 'form-errors' },
        fieldErrors ? h('p', null, t('edit.errors')) : null,
        state.general.length ? h('ul', null, state.general.map((m) => h('li', null, m))) : null));
    }
    const save = h('button', { type: 'submit', class: 'btn btn-primary btn-touch', id: 'visit-save', disabled: state.saving },
      state.saving ? t('edit.saving') : t('visit.save'));
    const cancel = h('a', { class: 'btn btn-secondary btn-touch', id: 'visit-cancel', href: `/enterprises/${e.id}` }, t('edit.cancel'));
    cancel.addEventListener('click', (ev) => {
      if (JSON.stringify(state.draft) !== pristine && !window.confirm(t('edit.discard'))) ev.preventDefault();
    });
    const form = h('form', { id: 'visit-form', class: 'visit-form', novalidate: true, 'aria-busy': state.saving ? 'true' : null },
      h('fieldset', { class: 'card form-section', 'data-section': 'visit' },
        h('legend', { class: 'card-title' }, t('visit.section')),
        h('div', { class: 'visit-fields' }, statusChoice(), dateField(), notesField())),
      questionsSection(),
      problemsEditor(),
      figuresEditor(),
      h('div', { class: 'form-actions' }, save, cancel));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); submit(form); });
    root.replaceChildren(h('div', { class: 'visit-page' },
      h('nav', { class: 'breadcrumb', 'aria-label': t('nav.breadcrumb') },
        h('a', { href: `/enterprises/${e.id}` }, icon('back'), h('span', null, name)),
        h('span', { class: 'crumb-current', 'aria-current': 'page' }, t('visit.title'))),
      h('div', { class: 'page-head' }, h('div', null,
        h('h1', null, t('visit.title')),
        h('p', { class: 'muted', 'data-testid': 'visit-subject' }, name))),
      ...alerts, form));
  }

  function body() {
    const d = state.draft;
    const out = { enterprise_id: id, status: d.status };
    const date = text(d.date);
    if (date) out[d.status === 'done' ? 'done_on' : 'planned_on'] = date;
    const notes = text(d.notes);
    if (notes) out.notes = notes;
    if (d.problems.length) {
      // No category chosen is the catch-all, which the server gives.
      out.problems = d.problems.map((p) => (p.category
        ? { category: p.category, text: (p.text || '').trim() } : { text: (p.text || '').trim() }));
    }
    // The figures section's period and the quarters the questions ask
    // for, one object per period; a figure entered in both places is the
    // section's.
    const byPeriod = new Map();
    let figurePeriod = null;
    let figureFields = [];
    if (state.showFigures) {
      const ind = {};
      for (const f of FIGURES) {
        const v = numberOf(d.figures[f]);
        if (v !== null) ind[f] = v;
      }
      const period = text(d.period);
      if (period || Object.keys(ind).length) {
        figurePeriod = period ? period.toUpperCase() : '';
        figureFields = Object.keys(ind);
        byPeriod.set(figurePeriod, { period: figurePeriod, ...ind });
      }
    }
    if (d.status === 'done') {
      const registry = {};
      for (const [key, raw] of Object.entries(d.answers)) {
        if (key.startsWith('registry.')) {
          const field = key.slice(9);
          const v = field === 'employees' ? numberOf(raw) : text(raw);
          if (v !== null) registry[field] = v;
          continue;
        }
        const v = numberOf(raw);
        if (v === null) continue;
        const [field, period] = key.split('@');
        if (!byPeriod.has(period)) byPeriod.set(period, { period });
        const o = byPeriod.get(period);
        if (!(field in o)) o[field] = v;
      }
      if (Object.keys(registry).length) out.registry = registry;
    }
    const list = [...byPeriod.values()];
    state.sent = null;
    if (list.length === 1 && figurePeriod !== null) {
      out.indicators = list[0];
    } else if (list.length) {
      out.indicators = list;
      state.sent = { periods: list.map((o) => o.period), figurePeriod, figureFields };
    }
    return out;
  }

  function focusFirstError() {
    const first = root.querySelector('[aria-invalid="true"]') || root.querySelector('#form-errors');
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
    for (const input of form.querySelectorAll('input[type=number], input[type=date]')) {
      if (input.validity.badInput) {
        const slot = input.name.startsWith('q.') ? input.name
          : slotOf(input.name) || (input.type === 'date' ? 'date' : input.name);
        (state.errors[slot] ||= []).push({
          field: input.name,
          message: t(input.type === 'date' ? 'edit.baddate' : 'edit.badnumber',
            { field: form.querySelector(`label[for="${input.id}"]`)?.textContent || input.name }),
        });
      }
    }
    if (Object.keys(state.errors).length) { draw(); focusFirstError(); return; }
    state.saving = true;
    draw();
    try {
      const payload = body();
      await api('POST', '/visits', { body: payload });
      if (!ctx.alive()) return;
      app.flash(t('visit.saved'), 'ok');
      app.navigate(`/enterprises/${id}`, { replace: true });
    } catch (err) {
      if (!ctx.alive()) return;
      state.saving = false;
      if (err.status === 422 || err.status === 400) {
        for (const fe of err.errors) {
          const slot = slotOf(fe.field, state.sent);
          if (slot) (state.errors[slot] ||= []).push(fe);
          else state.general.push(fe.message);
        }
        if (!err.errors.length) state.general.push(err.message);
      } else if (err.status === 409 && err.errors.length && slotOf(err.errors[0].field, state.sent)) {
        for (const fe of err.errors) (state.errors[slotOf(fe.field, state.sent)] ||= []).push(fe);
      } else if (err.status === 403) {
        state.general.push(t('edit.forbidden', { message: err.message }));
      } else {
        state.general.push(err.message);
      }
      draw();
      focusFirstError();
    }
  }

  draw();
  return { onLang: draw };
}
