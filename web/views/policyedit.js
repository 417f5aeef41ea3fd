// A measure's form (/policies/new, /policies/{id}/edit): an officer or
// an admin writes a measure of a jurisdiction of their own (POST
// /api/v1/policies; PUT with If-Match replaces it whole). Its rule and
// its benefit formula are checked as they are typed (rulecheck.js); a
// refusal on saving is shown at its field, a rule's at its line and
// column.
import { h } from '../dom.js';
import { t, localName } from '../i18n.js';
import { api } from '../api.js';
import { getTree, scopeChoices } from '../jur.js';
import { ruleChecker } from '../rulecheck.js';
import { CATEGORIES, MODES, mayManage, categoryName, modeName, title, townToday } from '../polkit.js';

const TEXTS = ['issuer', 'doc_number', 'title_zh', 'title_en', 'summary_zh', 'summary_en'];

// The formula's hint: an example, in the formula's own notation whatever
// the language.
function formulaHint() {
  const [before, after] = t('pol.field.formula.hint').split('{formula}');
  return h('p', { class: 'hint muted small' }, before, h('code', null, 'min(500万, 10% * rd_spend(last_year))'), after);
}

function draftOf(p, home) {
  const b = p ? p.benefit : { amount: null };
  return {
    ...Object.fromEntries(TEXTS.map((k) => [k, p ? p[k] || '' : ''])),
    category: p ? p.category.code : '',
    effective_from: p ? p.effective_from : townToday(),
    effective_to: p && p.effective_to ? p.effective_to : '',
    jurisdiction: p ? p.jurisdiction.code : home || '',
    mode: p ? p.mode : 'apply',
    rule: p ? p.rule : '',
    benefit_kind: b.formula !== undefined && b.formula !== null ? 'formula' : 'amount',
    amount: b.amount !== undefined && b.amount !== null ? String(b.amount) : '',
    formula: b.formula || '',
    documents: p ? p.documents.join('\n') : '',
  };
}

export async function render(ctx) {
  const { root, app, params } = ctx;
  const editing = Boolean(params.id);
  const state = { p: null, etag: null, places: [], errs: {}, general: [], busy: false, error: null };

  if (!mayManage(app.user)) {
    root.replaceChildren(h('div', { class: 'alert alert-error', role: 'alert' }, t('common.forbidden')));
    return null;
  }
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  let home = '';
  try {
    if (editing) {
      const r = await api('GET', `/policies/${params.id}`);
      state.p = r.data;
      state.etag = r.etag;
    }
    // The jurisdictions a measure may be issued by: the districts and
    // towns of the caller's scope.
    const tree = await getTree().catch(() => null);
    if (tree) {
      state.places = scopeChoices(tree).filter(({ node }) => node.level === 'district' || node.level === 'town');
      const own = tree.scope !== null && tree.byId.get(tree.scope);
      if (own && (own.level === 'district' || own.level === 'town')) home = own.code;
    }
  } catch (e) {
    state.error = e.status === 404 ? t('pol.notfound', { id: params.id }) : e.message;
  }
  if (!ctx.alive()) return null;
  const d = draftOf(state.p, home);
  let rule = null;
  let formula = null;

  function errorsAt(path) {
    return (state.errs[path] || []).map((m) => h('p', { class: 'field-error', 'data-field': path }, m));
  }

  function input(id, key, attrs = {}) {
    const { tag, ...rest } = attrs;
    const el = h(tag || 'input', { id, name: key, class: ['input', tag === 'textarea' && 'textarea'], ...rest, value: d[key] ?? '' });
    el.addEventListener('input', () => { d[key] = el.value; });
    el.addEventListener('change', () => { d[key] = el.value; });
    return el;
  }

  function field(path, labelText, control, hint, wide = false) {
    if ((state.errs[path] || []).length) control.setAttribute('aria-invalid', 'true');
    return h('div', { class: ['field', wide && 'field-wide'], 'data-path': path },
      h('label', { for: control.id }, labelText), control,
      hint ? h('p', { class: 'hint muted small' }, hint) : null, errorsAt(path));
  }

  const textField = (key, attrs = {}, hint = null, wide = false) =>
    field(key, t(`pol.field.${key}`), input(`pol-${key}`, key, attrs), hint, wide);

  function selectOf(id, key, options) {
    const s = h('select', { id, name: key, class: 'input' }, options);
    s.value = d[key];
    s.addEventListener('change', () => { d[key] = s.value; });
    return s;
  }

  function basics() {
    const cat = selectOf('pol-category', 'category', [h('option', { value: '' }, '—'),
      ...CATEGORIES.map((c) => h('option', { value: c }, categoryName(c)))]);
    const places = state.places.map(({ node, depth }) => h('option', { value: node.code },
      `${'\u3000'.repeat(Math.max(depth, 0))}${localName(node)}`));
    if (d.jurisdiction && !state.places.some(({ node }) => node.code === d.jurisdiction)) {
      places.unshift(h('option', { value: d.jurisdiction }, state.p ? localName(state.p.jurisdiction) : d.jurisdiction));
    }
    // Unnamed, the server takes the caller's own place (else the home town).
    if (!d.jurisdiction) places.unshift(h('option', { value: '' }, t('pol.field.jurisdiction.default')));
    const place = selectOf('pol-jurisdiction', 'jurisdiction', places);
    const modes = h('div', { class: 'pol-modes', role: 'radiogroup', 'aria-labelledby': 'pol-mode-label' },
      MODES.map((m) => {
        const r = h('input', { type: 'radio', name: 'mode', id: `pol-mode-${m}`, value: m, checked: d.mode === m });
        r.addEventListener('change', () => { if (r.checked) d.mode = m; });
        return h('label', { class: 'pol-radio', for: `pol-mode-${m}` }, r,
          h('span', null, h('strong', null, modeName(m)), h('span', { class: 'muted small' }, t(`pol.mode.${m}.hint`))));
      }));
    return h('fieldset', { class: 'card form-section' }, h('legend', { class: 'card-title' }, t('pol.form.basics')),
      h('div', { class: 'form-grid' },
        textField('title_zh', { maxlength: 200, required: true }),
        textField('title_en', { maxlength: 200 }),
        textField('issuer', { maxlength: 100, required: true }, t('pol.field.issuer.hint')),
        textField('doc_number', { maxlength: 60 }),
        field('jurisdiction', t('pol.field.jurisdiction'), place, t('pol.field.jurisdiction.hint')),
        field('category', t('pol.field.category'), cat),
        textField('effective_from', { type: 'date', required: true }),
        textField('effective_to', { type: 'date' }, t('pol.field.effective_to.hint')),
        h('div', { class: 'field field-wide', 'data-path': 'mode' },
          h('span', { class: 'field-label', id: 'pol-mode-label' }, t('pol.field.mode')), modes, errorsAt('mode')),
        textField('summary_zh', { tag: 'textarea', rows: 3, maxlength: 2000 }, null, true),
        textField('summary_en', { tag: 'textarea', rows: 3, maxlength: 2000 }, null, true)));
  }

  function eligibility() {
    if (!rule) {
      rule = ruleChecker({ id: 'pol-rule', kind: 'eligibility', value: d.rule, rows: 5, label: t('pol.field.rule'),
        onText: (v) => { d.rule = v; } });
    }
    rule.el.querySelector('label').textContent = t('pol.field.rule'); // the language may have changed
    return h('fieldset', { class: 'card form-section' }, h('legend', { class: 'card-title' }, t('pol.form.rule')),
      rule.el, h('p', { class: 'hint muted small' }, t('pol.field.rule.hint')), errorsAt('rule'));
  }

  function benefit() {
    if (!formula) {
      formula = ruleChecker({ id: 'pol-formula', kind: 'benefit', value: d.formula, rows: 2, label: t('pol.field.formula'),
        onText: (v) => { d.formula = v; } });
    }
    formula.el.querySelector('label').textContent = t('pol.field.formula');
    const kinds = h('div', { class: 'pol-modes', role: 'radiogroup', 'aria-label': t('pol.form.benefit') },
      ['amount', 'formula'].map((k) => {
        const r = h('input', { type: 'radio', name: 'benefit_kind', id: `pol-benefit-${k}`, value: k, checked: d.benefit_kind === k });
        r.addEventListener('change', () => {
          if (!r.checked) return;
          d.benefit_kind = k;
          draw();
          if (k === 'formula') formula.check();
        });
        return h('label', { class: 'pol-radio', for: `pol-benefit-${k}` }, r, h('strong', null, t(`pol.benefit.${k}`)));
      }));
    return h('fieldset', { class: 'card form-section', 'data-path': 'benefit' },
      h('legend', { class: 'card-title' }, t('pol.form.benefit')),
      kinds, errorsAt('benefit'),
      d.benefit_kind === 'amount'
        ? textField('amount', { type: 'number', min: 0, step: '0.01', inputmode: 'decimal' }, t('pol.field.amount.hint'))
        : [formula.el, formulaHint(), errorsAt('benefit.formula')],
      textField('documents', { tag: 'textarea', rows: 3 }, t('pol.field.documents.hint'), true));
  }

  function body() {
    const b = {};
    for (const k of TEXTS) {
      const v = d[k].trim();
      if (v) b[k] = v;
    }
    if (d.category) b.category = d.category;
    b.effective_from = d.effective_from;
    if (d.effective_to) b.effective_to = d.effective_to;
    if (d.jurisdiction) b.jurisdiction = d.jurisdiction;
    b.mode = d.mode;
    b.rule = d.rule;
    if (d.benefit_kind === 'formula') b.benefit = { formula: d.formula };
    else if (String(d.amount).trim() !== '') {
      const n = Number(d.amount);
      b.benefit = { amount: Number.isFinite(n) ? n : d.amount };
    }
    b.documents = d.documents.split('\n').map((x) => x.trim()).filter(Boolean);
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
        ? await api('PUT', `/policies/${params.id}`, { body: body(), headers: { 'If-Match': state.etag || '*' } })
        : await api('POST', '/policies', { body: body() });
      app.flash(t('pol.saved', { n: r.data.eligible ?? 0 }), 'ok');
      app.navigate(`/policies/${r.data.id}`);
      return;
    } catch (e) {
      if (e.status === 412) state.general.push(t('pol.stale'));
      const list = e.errors && e.errors.length ? e.errors : [{ field: e.field, message: e.message }];
      for (const fe of list) {
        const f = fe.field === 'benefit.amount' ? 'amount' : (fe.field || '').replace(/\[\d+\]$/, '');
        if (f === 'rule' || f === 'benefit.formula') continue; // at the rule, below
        if (f && root.querySelector(`[data-path="${CSS.escape(f)}"]`)) (state.errs[f] ||= []).push(fe.message);
        else if (e.status !== 412) state.general.push(fe.message);
      }
      state.busy = false;
      draw();
      // A refused rule: the checker says where, at its line and column
      // (and the server's words, should the check find nothing).
      for (const fe of list) {
        const at = fe.field === 'rule' ? rule : fe.field === 'benefit.formula' && d.benefit_kind === 'formula' ? formula : null;
        if (at && !(await at.check())) at.showError(fe.message);
      }
    }
    state.busy = false;
    const first = root.querySelector('.field-error, #pol-form-errors');
    if (first) first.scrollIntoView({ block: 'center' });
  }

  function draw() {
    const heading = editing ? t('pol.form.edit') : t('pol.form.new');
    app.setTitle(heading);
    if (state.error) {
      root.replaceChildren(h('h1', null, heading), h('div', { class: 'alert alert-error', role: 'alert' }, state.error));
      return;
    }
    const form = h('form', { class: 'pol-form edit-page', id: 'policy-form', novalidate: true },
      state.general.length ? h('div', { class: 'alert alert-error', role: 'alert', id: 'pol-form-errors' },
        state.general.map((m) => h('p', null, m))) : null,
      basics(), eligibility(), benefit(),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary', id: 'policy-save', disabled: state.busy },
          state.busy ? t('pol.saving') : t('pol.save')),
        h('a', { class: 'btn btn-ghost', href: editing ? `/policies/${params.id}` : '/policies' }, t('common.back'))));
    form.addEventListener('submit', save);
    root.replaceChildren(h('div', { class: 'pol-edit' },
      h('nav', { class: 'breadcrumb', 'aria-label': t('nav.breadcrumb') },
        h('a', { href: '/policies' }, t('pol.title')),
        editing ? h('a', { href: `/policies/${params.id}` }, title(state.p)) : null),
      h('div', { class: 'page-head' }, h('div', null, h('h1', null, heading),
        editing ? h('p', { class: 'muted' }, title(state.p)) : h('p', { class: 'muted' }, t('pol.form.intro')))),
      form));
  }

  draw();
  // The rule as saved (or the hint of an empty one), checked at once.
  rule.check();
  if (d.benefit_kind === 'formula') formula.check();
  return { onLang() { draw(); } };
}
