// The problem form a service card's QR code opens (/q/{token}), on a
// phone and without signing in: the server answered the link (a live one
// of an active enterprise, else its own page of whom to call); this page
// reads the card's public side (GET /api/v1/public/cards/{token}: the
// enterprise's name and the hotlines) and sends the problem through the
// public form with the link's token (POST /api/v1/public/cases, "card"),
// so that it is that enterprise's case. The answer is the tracking code.
import { h } from '../dom.js';
import { t, isZh } from '../i18n.js';
import { api } from '../api.js';
import { ENTERPRISE_GROUP, getCategories, categoryOptions, fieldErrors, requestKey } from '../casekit.js';
import '../card-i18n.js';

const FIELDS = ['category', 'text', 'name', 'phone', 'card', 'kind'];
const pick = (zh, en) => (isZh() ? zh || en : en || zh) || '';

export async function render(ctx) {
  const { root, app, params } = ctx;
  const token = params.token;
  const state = {
    card: null, gone: false, error: null, categories: [],
    draft: { category: '', text: '', name: '', phone: '' },
    saving: false, general: [], done: null, key: requestKey(),
  };
  const errors = fieldErrors();

  app.setTitle(t('cardform.title'));
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  try {
    const [card, cats] = await Promise.all([
      api('GET', `/public/cards/${encodeURIComponent(token)}`, { noAuthRedirect: true }).then((r) => r.data),
      getCategories().catch(() => []),
    ]);
    state.card = card;
    state.categories = cats.filter((c) => c.group === ENTERPRISE_GROUP);
  } catch (e) {
    if (e.status === 404) state.gone = true;
    else state.error = e.message;
  }
  if (!ctx.alive()) return null;

  function lines() {
    const ks = (state.card && state.card.contacts) || [];
    if (!ks.length) return null;
    return h('div', { class: 'card form-section' },
      h('p', { class: 'small' }, t('cardform.lines')),
      h('ul', { class: 'cardform-lines', 'data-testid': 'cardform-lines' }, ks.map((k) => h('li', null,
        h('span', null, pick(k.name_zh, k.name_en)), ' ',
        h('a', { class: 'mono', href: `tel:${(k.phone || '').replace(/[^\d+]/g, '')}` }, k.phone)))));
  }

  function input(key, attrs, label) {
    const id = `f-${key}`;
    const el = h('input', { id, name: key, class: 'input', value: state.draft[key] || '', ...attrs });
    el.addEventListener('input', () => { state.draft[key] = el.value; });
    errors.describe(el, key, id);
    return h('div', { class: 'field', 'data-for': key }, h('label', { for: id }, label), el, errors.show(key, id));
  }

  function draw() {
    app.setTitle(t('cardform.title'));
    if (state.gone || state.error) {
      root.replaceChildren(h('div', { class: 'public-page' },
        h('h1', null, t('cardform.gone.title')),
        h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'cardform-gone' },
          state.gone ? t('cardform.gone') : state.error)));
      return;
    }
    if (state.done) { drawDone(); return; }
    const d = state.draft;
    const name = pick(state.card.enterprise.name_zh, state.card.enterprise.name_en);
    const cat = h('select', { id: 'f-category', name: 'category', class: 'input', required: true },
      h('option', { value: '' }, t('cardform.category.choose')),
      categoryOptions(state.categories, () => true, (c) => c.code));
    cat.value = d.category;
    cat.addEventListener('change', () => { d.category = cat.value; });
    errors.describe(cat, 'category', 'f-category');
    const text = h('textarea', { id: 'f-text', name: 'text', class: 'input textarea', rows: 6, maxlength: 4000, required: true });
    text.value = d.text;
    text.addEventListener('input', () => { d.text = text.value; });
    errors.describe(text, 'text', 'f-text', 'f-text-hint');
    const form = h('form', { id: 'cardform', class: 'suggest-form', novalidate: true, 'aria-busy': state.saving ? 'true' : null },
      errors.any() || state.general.length
        ? h('div', { class: 'alert alert-error', role: 'alert', id: 'form-errors', 'data-testid': 'form-errors' },
          errors.any() ? h('p', null, t('cardform.errors')) : null,
          state.general.length ? h('ul', null, state.general.map((m) => h('li', null, m))) : null)
        : null,
      h('div', { class: 'card form-section suggest-section' },
        h('div', { class: 'field', 'data-for': 'category' },
          h('label', { for: 'f-category' }, t('cardform.category')), cat, errors.show('category', 'f-category')),
        h('div', { class: 'field', 'data-for': 'text' },
          h('label', { for: 'f-text' }, t('cardform.text')), text,
          h('p', { class: 'hint', id: 'f-text-hint' }, t('cardform.text.hint')), errors.show('text', 'f-text'))),
      h('fieldset', { class: 'card form-section suggest-section' },
        h('legend', { class: 'card-title' }, t('cardform.contact')),
        h('div', { class: 'suggest-contact' },
          input('name', { autocomplete: 'name', maxlength: 50 }, t('cardform.name')),
          input('phone', { type: 'tel', inputmode: 'tel', autocomplete: 'tel', maxlength: 30 }, t('cardform.phone'))),
        h('p', { class: 'note' }, t('cardform.privacy'))),
      h('div', { class: 'suggest-submit' },
        h('button', { type: 'submit', class: 'btn btn-primary btn-touch btn-block', id: 'cardform-save', disabled: state.saving },
          state.saving ? t('cardform.saving') : t('cardform.submit'))));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); submit(); });
    root.replaceChildren(h('div', { class: 'public-page suggest-page' },
      h('div', { class: 'page-head' }, h('div', null,
        h('h1', null, t('cardform.title')),
        h('p', { class: 'cardform-for', 'data-testid': 'cardform-for' }, t('cardform.for', { name })),
        h('p', { class: 'muted' }, t('cardform.intro')))),
      form, lines()));
  }

  function drawDone() {
    const { code } = state.done;
    root.replaceChildren(h('div', { class: 'public-page suggest-page' },
      h('div', { class: 'card done-card', 'data-testid': 'cardform-done' },
        h('h1', null, t('cardform.done.title')),
        h('p', { class: 'done-label' }, t('cardform.done.code')),
        h('p', { class: 'tracking-code', id: 'tracking-code', 'data-testid': 'tracking-code', tabindex: '-1' }, code),
        h('p', { class: 'muted' }, t('cardform.done.keep')),
        h('div', { class: 'done-actions' },
          h('a', { class: 'btn btn-primary btn-touch', href: `/track/${code}`, id: 'track-link' }, t('cardform.done.track')),
          h('button', {
            type: 'button', class: 'btn btn-secondary btn-touch',
            onclick: () => {
              state.done = null; state.draft = { category: '', text: '', name: '', phone: '' }; state.key = requestKey(); draw();
            },
          }, t('cardform.done.another')))),
      lines()));
  }

  async function submit() {
    if (state.saving) return;
    errors.clear();
    state.general = [];
    state.saving = true;
    draw();
    const d = state.draft;
    const body = { card: token, kind: 'problem', category: d.category, text: d.text };
    if (d.name.trim()) body.name = d.name.trim();
    if (d.phone.trim()) body.phone = d.phone.trim();
    try {
      const r = await api('POST', '/public/cases', {
        body, headers: { 'Idempotency-Key': state.key }, noAuthRedirect: true,
      });
      if (!ctx.alive()) return;
      state.done = { code: r.data.tracking_code };
    } catch (err) {
      if (!ctx.alive()) return;
      if (err.errors.some((x) => x.field === 'card')) state.gone = true;
      else state.general = errors.fromApi(err, FIELDS);
    }
    state.saving = false;
    draw();
    const first = state.done ? root.querySelector('#tracking-code')
      : root.querySelector('[aria-invalid="true"]') || root.querySelector('#form-errors');
    if (first) first.focus();
  }

  draw();
  return { onLang: draw };
}
