// The industrial clusters and how many enterprises each coordinates;
// officers create clusters and change their names, code, leading
// enterprise and secretary here, with the API's rules and messages.
import { h } from '../dom.js';
import { t, localName, otherName, otherLang, formatNumber } from '../i18n.js';
import { api, ApiError, getClusters, forgetCache } from '../api.js';
import { mayReadChains } from './chain.js';

export function mayEditClusters(user) {
  return Boolean(user) && (user.role === 'officer' || user.role === 'admin');
}

const FIELDS = ['code', 'name_zh', 'name_en', 'leading_enterprise_id', 'secretary'];

export async function render(ctx) {
  const { root, app } = ctx;
  const state = { clusters: [], leaders: new Map(), error: null, form: null };
  app.setTitle(t('clusters.title'));
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));

  try {
    state.clusters = await getClusters();
  } catch (e) {
    state.error = e.message;
  }
  if (!ctx.alive()) return null;

  function draw() {
    app.setTitle(t('clusters.title'));
    const head = h('div', { class: 'page-head' }, h('div', null,
      h('h1', null, t('clusters.title')), h('p', { class: 'muted' }, t('clusters.intro'))),
      mayEditClusters(app.user) && !state.form
        ? h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'cluster-new', onclick: () => openForm(null) },
          t('clusters.new'))
        : null);
    if (state.error) {
      root.replaceChildren(head, h('div', { class: 'alert alert-error', role: 'alert' }, state.error));
      return;
    }
    const total = state.clusters.reduce((s, c) => s + (c.enterprises || 0), 0);
    const cards = state.clusters.map((c, i) => {
      const leader = state.leaders.get(c.leading_enterprise_id);
      const share = total ? Math.round((c.enterprises / total) * 1000) / 10 : 0;
      return h('article', { class: `card cluster-card cluster-${(i % 4) + 1}`, 'data-testid': 'cluster', 'data-id': c.id },
        h('div', { class: 'cluster-head' },
          h('h2', { class: 'cluster-name' }, localName(c)),
          otherName(c) ? h('p', { class: 'muted', lang: otherLang() }, otherName(c)) : null),
        h('p', { class: 'cluster-count' },
          h('span', { class: 'big-number', 'data-testid': 'cluster-count' }, formatNumber(c.enterprises)),
          h('span', { class: 'unit' }, t('clusters.enterprises'))),
        h('meter', { class: 'share', min: 0, max: total || 1, value: c.enterprises, 'aria-label': t('clusters.share', { p: share }) }),
        h('p', { class: 'muted small' }, t('clusters.share', { p: formatNumber(share) })),
        h('dl', { class: 'fields fields-compact' },
          h('div', { class: 'field-row' }, h('dt', null, t('clusters.leading')),
            h('dd', null, c.leading_enterprise_id
              ? h('a', { href: `/enterprises/${c.leading_enterprise_id}` },
                leader ? localName(leader) : `#${c.leading_enterprise_id}`)
              : t('common.none'))),
          // The code is the key spreadsheets and imports name the cluster
          // by: shown, as typed, to those who keep the clusters.
          mayEditClusters(app.user) && c.code ? h('div', { class: 'field-row' }, h('dt', null, t('clusters.code')),
            h('dd', null, h('code', { class: 'mono' }, c.code))) : null),
        h('div', { class: 'cluster-actions' },
          h('a', { class: 'btn btn-secondary', href: `/enterprises?cluster=${c.id}` }, t('clusters.view')),
          mayReadChains(app.user)
            ? h('a', { class: 'btn btn-secondary', href: `/clusters/${c.id}/chain`, 'data-testid': 'cluster-chain' }, t('clusters.chain'))
            : null,
          mayEditClusters(app.user)
            ? h('button', { type: 'button', class: 'btn btn-secondary', 'data-testid': 'cluster-edit', onclick: () => openForm(c) },
              t('clusters.edit'))
            : null));
    });
    root.replaceChildren(head,
      state.form ? formView() : null,
      h('p', { class: 'summary', 'data-testid': 'clusters-total' },
        t('clusters.total', { k: formatNumber(state.clusters.length), n: formatNumber(total) })),
      h('div', { class: 'cluster-grid' }, cards));
  }

  // ---- the editor ----

  function openForm(c) {
    state.form = {
      id: c ? c.id : null,
      draft: Object.fromEntries(FIELDS.map((f) => [f, c && c[f] ? String(c[f]) : ''])),
      errors: {}, general: null, saving: false,
    };
    draw();
    root.querySelector('#cluster-code')?.focus();
  }

  function formView() {
    const f = state.form;
    const field = (name, attrs = {}) => {
      const msgs = f.errors[name] || [];
      const input = h('input', {
        id: `cluster-${name}`, name, value: f.draft[name], autocomplete: 'off', ...attrs,
        oninput: (e) => { f.draft[name] = e.target.value; },
      });
      if (msgs.length) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', `cluster-err-${name}`);
      }
      return h('div', { class: 'field' },
        h('label', { for: `cluster-${name}` }, t(`clusters.field.${name}`)), input,
        msgs.length ? h('p', { class: 'field-error', id: `cluster-err-${name}`, 'data-field': name }, msgs.join(' ')) : null);
    };
    return h('form', { class: 'card form-section', 'data-testid': 'cluster-form', novalidate: true, onsubmit: save },
      h('h2', { class: 'card-title' }, f.id ? t('clusters.editTitle') : t('clusters.newTitle')),
      f.general ? h('div', { class: 'alert alert-error', role: 'alert' }, f.general) : null,
      h('div', { class: 'form-grid' },
        field('code', { required: true, maxlength: 32, spellcheck: 'false' }),
        field('name_zh', { required: true, maxlength: 100 }),
        field('name_en', { maxlength: 100 }),
        field('leading_enterprise_id', { inputmode: 'numeric' }),
        field('secretary', { spellcheck: 'false' })),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary', disabled: f.saving, 'data-testid': 'cluster-save' },
          t('edit.save')),
        h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => { state.form = null; draw(); } },
          t('edit.cancel'))));
  }

  // Sends what the form holds, typed as the API wants it; a refusal
  // marks each field the API names.
  async function save(e) {
    e.preventDefault();
    const f = state.form;
    const d = f.draft;
    const lead = d.leading_enterprise_id.trim();
    const body = {
      code: d.code.trim(), name_zh: d.name_zh.trim(), name_en: d.name_en.trim(),
      leading_enterprise_id: lead === '' ? null : (/^\d+$/.test(lead) ? Number(lead) : lead),
      secretary: d.secretary.trim() || null,
    };
    f.saving = true;
    f.errors = {};
    f.general = null;
    try {
      await api(f.id ? 'PATCH' : 'POST', f.id ? `/clusters/${f.id}` : '/clusters', { body });
      state.form = null;
      forgetCache();
      state.clusters = await getClusters();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      for (const fe of err.errors || []) {
        if (FIELDS.includes(fe.field)) (f.errors[fe.field] ||= []).push(fe.message);
      }
      if (!Object.keys(f.errors).length) f.general = err.message;
    }
    if (state.form) state.form.saving = false;
    if (ctx.alive()) draw();
  }

  draw();

  // The leading enterprises' names, for those allowed to read them.
  Promise.all(state.clusters.filter((c) => c.leading_enterprise_id).map((c) =>
    api('GET', `/enterprises/${c.leading_enterprise_id}`, { noAuthRedirect: true })
      .then((r) => state.leaders.set(r.data.id, r.data)).catch(() => null)))
    .then(() => { if (ctx.alive() && state.leaders.size) draw(); });

  return { onLang: draw };
}
