// The rankings of case handling (/cases/rankings): departments,
// categories or the people who handled the cases, over a period, by the
// share answered on time and the share of satisfied callbacks, as GET
// /api/v1/cases/rankings?by=&from=&to= answers (ranked by the server).
// Admins and officers only: the server answers 403 to others, and the
// page says so. The period and the choice stay in the address.
import { h, icon } from '../dom.js';
import { t, formatNumber, isZh } from '../i18n.js';
import { api } from '../api.js';
import { fieldErrors } from '../casekit.js';
import '../steps-i18n.js';

const BYS = ['department', 'category', 'handler'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const townDay = (days = 0) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);

function percent(v) {
  if (v === null || v === undefined) return t('common.none');
  return t('rank.percent', { p: new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(v * 100) });
}

export async function render(ctx) {
  const { root, app } = ctx;
  const q = new URLSearchParams(location.search);
  const state = {
    by: BYS.includes(q.get('by')) ? q.get('by') : 'department',
    from: DATE.test(q.get('from') || '') ? q.get('from') : townDay(-364),
    to: DATE.test(q.get('to') || '') ? q.get('to') : townDay(0),
    data: null, error: null,
  };
  const errors = fieldErrors();

  async function load() {
    errors.clear();
    try {
      state.data = (await api('GET', '/cases/rankings', { query: { by: state.by, from: state.from, to: state.to } })).data;
      state.error = null;
    } catch (e) {
      state.data = null;
      state.error = e;
      errors.fromApi(e, ['from', 'to', 'by']);
    }
  }

  function name(row) {
    return (isZh() ? row.name : row.name_en) || row.name || row.username || t('common.none');
  }

  function cell(label, cls, ...content) {
    return h('td', { class: cls, 'data-label': label }, ...content);
  }

  function table(d) {
    if (!d.items.length) return h('p', { class: 'muted', 'data-testid': 'rank-none' }, t('rank.none'));
    const cols = ['rank', 'name', 'finished', 'on_time', 'satisfaction', 'average'];
    const row = (r, total) => h('tr', { 'data-testid': total ? 'rank-total' : 'rank-row', 'data-id': total ? null : (r.id ?? '') },
      cell(t('rank.col.rank'), 'num', total ? '' : String(r.rank)),
      cell(t('rank.col.name'), 'col-name', total ? t('rank.total') : name(r)),
      cell(t('rank.col.finished'), 'num', formatNumber(r.finished)),
      cell(t('rank.col.on_time'), 'num', h('span', { 'data-testid': 'on-time' }, percent(r.on_time_rate))),
      cell(t('rank.col.satisfaction'), 'num', h('span', { 'data-testid': 'satisfaction' }, percent(r.satisfaction_rate))),
      cell(t('rank.col.average'), 'num', r.average_rating === null ? t('common.none') : r.average_rating.toFixed(2)));
    return h('table', { class: 'data-table rank-table', 'data-testid': 'rankings' },
      h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col', class: c === 'name' ? null : 'num' }, t(`rank.col.${c}`))))),
      h('tbody', null, d.items.map((r) => row(r, false))),
      h('tfoot', null, row(d.total, true)));
  }

  function form() {
    const by = h('select', { id: 'rank-by', name: 'by', class: 'input' },
      BYS.map((b) => h('option', { value: b }, t(`rank.by.${b}`))));
    by.value = state.by;
    const from = h('input', { id: 'rank-from', name: 'from', type: 'date', class: 'input', value: state.from });
    const to = h('input', { id: 'rank-to', name: 'to', type: 'date', class: 'input', value: state.to });
    const box = (key, id, control) => {
      errors.describe(control, key, id);
      return h('div', { class: 'field' }, h('label', { for: id }, t(`rank.${key}`)), control, errors.show(key, id));
    };
    const f = h('form', { class: 'card rank-form', id: 'rank-form', novalidate: true },
      box('by', 'rank-by', by), box('from', 'rank-from', from), box('to', 'rank-to', to),
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'rank-apply' }, icon('search'), h('span', null, t('rank.apply'))));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      state.by = by.value;
      state.from = from.value;
      state.to = to.value;
      history.replaceState(null, '', `/cases/rankings?by=${state.by}&from=${state.from}&to=${state.to}`);
      await load();
      if (ctx.alive()) draw();
    });
    return f;
  }

  function draw() {
    app.setTitle(t('rank.title'));
    let body;
    if (state.error && state.error.status === 403) {
      body = h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'rank-forbidden' }, t('rank.forbidden'));
    } else if (state.error && !errors.any()) {
      body = h('div', { class: 'alert alert-error', role: 'alert' }, state.error.message);
    } else {
      body = state.data ? h('section', { class: 'card table-card' }, table(state.data)) : null;
    }
    root.replaceChildren(
      h('nav', { class: 'breadcrumb', 'aria-label': t('nav.breadcrumb') },
        h('a', { href: '/cases' }, icon('back'), h('span', null, t('cases.title'))),
        h('span', { class: 'crumb-current', 'aria-current': 'page' }, t('rank.title'))),
      h('div', { class: 'page-head' }, h('div', null, h('h1', null, t('rank.title')), h('p', { class: 'muted' }, t('rank.note')))),
      form(), body);
  }

  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  await load();
  if (!ctx.alive()) return null;
  draw();
  return { onLang: draw };
}
