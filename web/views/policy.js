// One measure (/policies/{id}): what it grants and to whom — its summary,
// issuer, period, rule and benefit as written, the documents an
// application needs — and, for the staff who may list them, its eligible
// enterprises of the caller's scope by outcome (qualified, nearly,
// unknown; GET /policies/{id}/eligible) with the workbook of each. An
// officer edits it here; an automatic measure's officer makes a batch of
// its grants (POST /policies/{id}/batches) and goes to it to confirm it.
import { h, icon, append } from '../dom.js';
import { t, localName, formatNumber, formatDateTime } from '../i18n.js';
import { api } from '../api.js';
import { showNext } from '../polfor.js';
import { getTree, within } from '../jur.js';
import {
  OUTCOMES, mayManage, mayListEligible, isEnterprise, title, summary, money, benefitText, periodText,
  categoryBadge, modeBadge, forceBadge, ruleBlock,
} from '../polkit.js';

// Rows shown at first, and added by "more".
const PAGE = 50;

export async function render(ctx) {
  const { root, app, params, query } = ctx;
  const user = app.user;
  const id = Number(params.id);
  const state = {
    p: null, error: null, status: 0,
    outcome: OUTCOMES.includes(query.get('outcome')) ? query.get('outcome') : 'true',
    lists: {}, listError: null, busy: false, batchError: null, shown: PAGE,
  };

  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  try {
    state.p = (await api('GET', `/policies/${id}`)).data;
  } catch (e) {
    state.error = e.message;
    state.status = e.status;
  }
  // An officer changes the measures of its own places only: a town's
  // officer reads its district's, and does not edit them.
  let writable = mayManage(user);
  if (writable && state.p) {
    const tree = await getTree().catch(() => null);
    if (tree && tree.scope !== null) writable = within(tree, state.p.jurisdiction.id, tree.scope);
  }
  if (!ctx.alive()) return null;

  // Every outcome's list at once, so that each tab shows its count.
  async function loadLists() {
    try {
      const all = await Promise.all(OUTCOMES.map((o) => api('GET', `/policies/${id}/eligible`, { query: { outcome: o } })));
      OUTCOMES.forEach((o, i) => { state.lists[o] = all[i].data; });
    } catch (e) {
      state.listError = e.message;
    }
    if (ctx.alive()) drawEligible();
  }

  function setOutcome(o) {
    state.outcome = o;
    state.shown = PAGE;
    const url = `/policies/${id}${o === 'true' ? '' : `?outcome=${o}`}`;
    history.replaceState(null, '', url);
    app.pathChanged();
    drawEligible();
  }

  const el = {};

  function drawEligible() {
    if (!el.eligible) return;
    const list = state.lists[state.outcome];
    const tabs = h('div', { class: 'case-tabs pol-tabs', role: 'group', 'aria-label': t('pol.eligible.outcome') },
      OUTCOMES.map((o) => h('button', {
        type: 'button', class: ['case-tab', state.outcome === o && 'is-active'], 'data-outcome': o,
        'aria-pressed': state.outcome === o ? 'true' : 'false', onclick: () => { if (state.outcome !== o) setOutcome(o); },
      }, t(`pol.eligible.tab.${o}`), ' ',
      h('span', { class: 'pol-tab-count', 'data-testid': `eligible-count-${o}` },
        state.lists[o] ? formatNumber(state.lists[o].count) : '…'))));
    const xlsx = h('a', {
      class: 'btn btn-secondary btn-small', id: 'eligible-xlsx', download: `policy-${id}-${state.outcome}.xlsx`,
      href: `/api/v1/policies/${id}/eligible?outcome=${state.outcome}&format=xlsx`,
    }, t('pol.eligible.xlsx'));
    let body;
    if (state.listError) body = h('div', { class: 'alert alert-error', role: 'alert' }, state.listError);
    else if (!list) body = h('p', { class: 'loading', role: 'status' }, t('common.loading'));
    else if (!list.items.length) body = h('p', { class: 'muted', 'data-testid': 'eligible-empty' }, t(`pol.eligible.none.${state.outcome}`));
    else {
      body = h('div', { class: 'table-card pol-eligible-table' }, h('table', { class: 'data-table', id: 'eligible-table' },
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, t('pol.eligible.name')),
          h('th', { scope: 'col' }, t('field.uscc')),
          h('th', { scope: 'col', class: 'num' }, t('pol.eligible.amount')),
          h('th', { scope: 'col' }, t('pol.eligible.matched')))),
        h('tbody', null, list.items.slice(0, state.shown).map((e) => h('tr', {
          'data-testid': 'eligible-row', 'data-id': e.id,
          onclick: (ev) => { if (!ev.target.closest('a')) app.navigate(`/enterprises/${e.id}`); },
        },
        h('td', { class: 'col-name', 'data-label': t('pol.eligible.name') },
          h('a', { class: 'row-link', href: `/enterprises/${e.id}` }, localName(e))),
        h('td', { 'data-label': t('field.uscc'), class: 'mono' }, e.uscc || t('common.none')),
        h('td', { class: 'num', 'data-label': t('pol.eligible.amount') }, money(e.amount)),
        h('td', { 'data-label': t('pol.eligible.matched') }, formatDateTime(e.matched_at),
          e.rule_version !== list.rule_version ? h('span', { class: 'muted small' }, ' ', t('pol.rule_version', { v: e.rule_version })) : null))))));
    }
    const more = list && list.items.length > state.shown
      ? h('div', { class: 'list-foot' },
        h('p', { class: 'list-status muted' }, t('pol.eligible.shown', { n: formatNumber(state.shown), of: formatNumber(list.count) })),
        h('button', { type: 'button', class: 'btn btn-secondary', id: 'eligible-more',
          onclick: () => { state.shown += PAGE; drawEligible(); } }, t('pol.eligible.more')))
      : h('span');
    el.eligible.replaceChildren(
      h('div', { class: 'pol-eligible-head' }, tabs, xlsx),
      h('p', { class: 'hint muted small' }, t(`pol.eligible.hint.${state.outcome}`)),
      body, more);
  }

  async function makeBatch() {
    if (state.busy) return;
    state.busy = true;
    state.batchError = null;
    draw();
    try {
      const r = await api('POST', `/policies/${id}/batches`);
      app.flash(t('pol.batch.made', { n: r.data.lines.length }), 'ok');
      app.navigate(`/batches/${r.data.id}`);
      return;
    } catch (e) {
      state.batchError = e.message;
    }
    state.busy = false;
    draw();
  }

  function row(key, name, value) {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return null;
    return h('div', { class: 'field-row' }, h('dt', null, name), h('dd', { 'data-field': key }, value));
  }

  function actions(p) {
    const parts = [];
    if (mayManage(user)) {
      if (writable) parts.push(h('a', { class: 'btn btn-primary', href: `/policies/${p.id}/edit`, id: 'policy-edit' }, icon('edit'), ' ', t('pol.edit')));
      if (p.mode === 'apply') {
        parts.push(h('a', { class: 'btn btn-secondary', href: `/applications?policy=${p.id}`, id: 'policy-applications' }, t('pol.applications.of')));
      }
    }
    if (isEnterprise(user)) {
      parts.push(h('a', { class: 'btn btn-secondary', href: `/enterprises/${user.enterprise_id}#policies`, id: 'policy-mine', onclick: showNext },
        t('pol.mine.check')));
    }
    return parts.length ? h('div', { class: 'pol-head-actions' }, parts) : null;
  }

  function draw() {
    if (state.error) {
      app.setTitle(t('pol.title'));
      root.replaceChildren(breadcrumb(null),
        h('h1', null, state.status === 404 ? t('common.notfound.title') : t('pol.title')),
        h('div', { class: 'alert alert-error', role: 'alert' }, state.status === 404 ? t('pol.notfound', { id: params.id }) : state.error),
        h('p', null, h('a', { href: '/policies' }, t('common.back'))));
      return;
    }
    const p = state.p;
    app.setTitle(title(p));
    const head = h('div', { class: 'page-head pol-head' },
      h('div', null,
        h('div', { class: 'badges' }, categoryBadge(p.category.code), modeBadge(p.mode), forceBadge(p),
          h('span', { class: 'badge' }, t(`pol.level.${p.level}`))),
        h('h1', { id: 'policy-title', 'data-testid': 'policy-title' }, title(p)),
        h('p', { class: 'muted' }, [p.issuer, p.doc_number].filter(Boolean).join(' · '))),
      actions(p));
    const about = h('section', { class: 'card', 'aria-labelledby': 'pol-about' },
      h('h2', { class: 'card-title', id: 'pol-about' }, t('pol.section.about')),
      summary(p) ? h('p', { class: 'pol-summary', 'data-testid': 'policy-summary' }, summary(p)) : null,
      h('dl', { class: 'fields' },
        row('issuer', t('pol.field.issuer'), p.issuer),
        row('doc_number', t('pol.field.doc_number'), p.doc_number),
        row('jurisdiction', t('pol.field.jurisdiction'), localName(p.jurisdiction)),
        row('period', t('pol.field.period'), periodText(p)),
        row('mode', t('pol.field.mode'), [modeBadge(p.mode), ' ', h('span', { class: 'muted small' }, t(`pol.mode.${p.mode}.hint`))]),
        row('version', t('pol.field.version'), t('pol.versions', { v: p.version, r: p.rule_version })),
        row('updated_at', t('pol.field.updated'), formatDateTime(p.updated_at))));
    const rule = h('section', { class: 'card', 'aria-labelledby': 'pol-rule-title' },
      h('h2', { class: 'card-title', id: 'pol-rule-title' }, t('pol.section.rule')),
      ruleBlock(p.rule, { 'data-testid': 'policy-rule' }));
    const benefit = h('section', { class: 'card', 'aria-labelledby': 'pol-benefit-title' },
      h('h2', { class: 'card-title', id: 'pol-benefit-title' }, t('pol.section.benefit')),
      h('p', { 'data-testid': 'policy-benefit' }, p.benefit.formula ? ruleBlock(p.benefit.formula) : h('strong', { class: 'pol-amount' }, money(p.benefit.amount))),
      p.benefit.formula ? h('p', { class: 'hint muted small' }, t('pol.benefit.formula.note')) : null);
    const docs = h('section', { class: 'card', 'aria-labelledby': 'pol-docs-title' },
      h('h2', { class: 'card-title', id: 'pol-docs-title' }, t('pol.section.documents')),
      p.documents.length ? h('ul', { class: 'pol-docs', 'data-testid': 'policy-documents' }, p.documents.map((x) => h('li', null, x)))
        : h('p', { class: 'muted' }, p.mode === 'automatic' ? t('pol.documents.automatic') : t('pol.documents.none')));
    let batch = null;
    if (p.mode === 'automatic' && mayManage(user)) {
      batch = h('section', { class: 'card pol-batch-make', 'aria-labelledby': 'pol-batch-title' },
        h('h2', { class: 'card-title', id: 'pol-batch-title' }, t('pol.batch.title')),
        h('p', { class: 'muted' }, t('pol.batch.intro')),
        state.batchError ? h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'batch-error' }, state.batchError) : null,
        h('button', { type: 'button', class: 'btn btn-primary', id: 'batch-make', disabled: state.busy || !p.in_force, onclick: makeBatch },
          state.busy ? t('pol.batch.making') : t('pol.batch.make')));
    }
    el.eligible = mayListEligible(user) ? h('div', { class: 'pol-eligible' }) : null;
    root.replaceChildren();
    append(root, [breadcrumb(title(p)), head,
      h('div', { class: 'detail-grid' },
        h('div', { class: 'detail-main' }, about, rule, benefit),
        h('div', { class: 'detail-side' }, docs, batch)),
      el.eligible ? h('section', { class: 'card', id: 'eligible', 'aria-labelledby': 'pol-eligible-title' },
        h('h2', { class: 'card-title', id: 'pol-eligible-title' }, t('pol.section.eligible')), el.eligible) : null]);
    drawEligible();
  }

  function breadcrumb(name) {
    return h('nav', { class: 'breadcrumb', 'aria-label': t('nav.breadcrumb') },
      h('a', { href: '/policies' }, icon('back'), h('span', null, t('pol.title'))),
      name ? h('span', { class: 'crumb-current', 'aria-current': 'page' }, name) : null);
  }

  draw();
  if (state.p && mayListEligible(user)) loadLists();
  return { onLang: draw };
}
