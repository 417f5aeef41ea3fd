// The public suggestion form (/suggest), for a resident's phone and
// without signing in: a suggestion or a complaint, its category, the
// text (with similar open suggestions offered while typing), where, and
// how to reach the resident; POST /api/v1/public/cases answers with the
// tracking code, shown big with the way to the tracking page.
import { h, icon, debounce, keepFocus } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import {
  ENTERPRISE_GROUP, getCategories, categoryOptions, fieldErrors, requestKey, similarItems, kindName, categoryName,
} from '../casekit.js';

const FIELDS = ['kind', 'category', 'text', 'street', 'address', 'lon', 'lat', 'name', 'phone', 'email'];
const SIMILAR_MIN = 6; // characters typed before similar ones are looked up

const blankDraft = () => ({
  kind: 'suggestion', category: '', text: '', street: '', address: '', name: '', phone: '', lon: null, lat: null,
});

export async function render(ctx) {
  const { root, app } = ctx;
  const state = {
    categories: [], streets: [], draft: blankDraft(), similar: [], similarFor: '',
    locating: false, locateError: null, saving: false, general: [], done: null, key: requestKey(),
  };
  const errors = fieldErrors();
  let similarCtl = null;

  app.setTitle(t('suggest.title'));
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  const [cats, points] = await Promise.all([
    getCategories().catch(() => []),
    api('GET', '/collection-points', { noAuthRedirect: true }).then((r) => r.data.items || []).catch(() => []),
  ]);
  if (!ctx.alive()) return null;
  state.categories = cats.filter((c) => c.group !== ENTERPRISE_GROUP);
  state.streets = [...new Set(points.map((p) => p.street).filter(Boolean))];

  // ---- similar suggestions while typing ----

  const lookSimilar = debounce(async () => {
    const text = state.draft.text.trim();
    if (text.length < SIMILAR_MIN) {
      if (state.similar.length) { state.similar = []; state.similarFor = ''; drawSimilar(); }
      return;
    }
    if (similarCtl) similarCtl.abort();
    similarCtl = new AbortController();
    try {
      const r = await api('GET', '/public/similar', {
        signal: similarCtl.signal, noAuthRedirect: true,
        query: { text, lon: state.draft.lon, lat: state.draft.lat },
      });
      if (!ctx.alive()) return;
      state.similar = r.data.similar || [];
      state.similarFor = text;
      drawSimilar();
    } catch { /* the form works without the hint */ }
  }, 350);

  const similarBox = h('div', { class: 'similar-offer', 'aria-live': 'polite' });
  function drawSimilar() {
    if (!state.similar.length) { similarBox.replaceChildren(); similarBox.hidden = true; return; }
    similarBox.hidden = false;
    similarBox.replaceChildren(h('div', { class: 'alert alert-info', 'data-testid': 'similar-offer' },
      h('p', { class: 'similar-title' }, h('strong', null, t('suggest.similar.title'))),
      similarItems(state.similar),
      h('p', { class: 'hint' }, t('suggest.similar.hint'))));
  }

  // ---- the form ----

  function input(key, attrs, label, hint) {
    const id = `f-${key}`;
    const el = h('input', { id, name: key, class: 'input', value: state.draft[key] || '', ...attrs });
    el.addEventListener('input', () => { state.draft[key] = el.value; });
    errors.describe(el, key, id, hint ? `${id}-hint` : null);
    return h('div', { class: 'field', 'data-for': key }, h('label', { for: id }, label), el,
      hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null, errors.show(key, id));
  }

  function kindChoice() {
    return h('fieldset', { class: 'field choice-group', 'data-for': 'kind' },
      h('legend', null, t('suggest.kind')),
      h('div', { class: 'choices' }, ['suggestion', 'complaint'].map((k) => {
        const radio = h('input', { type: 'radio', name: 'kind', value: k, id: `f-kind-${k}`, checked: state.draft.kind === k });
        radio.addEventListener('change', () => { if (radio.checked) state.draft.kind = k; });
        return h('label', { class: 'choice', for: `f-kind-${k}` }, radio, h('span', { class: 'choice-text' }, t(`suggest.kind.${k}`)));
      })),
      errors.show('kind', 'f-kind'));
  }

  // The place found by the phone, or the button that asks for it.  A
  // position arrives seconds later, while the resident may be typing
  // elsewhere in the form: only this box is drawn again, so that no field
  // loses its focus or its caret.
  const locationBox = h('div', { class: 'locate-slot' });
  function drawLocation() {
    const d = state.draft;
    keepFocus(locationBox, () => {
      if (typeof d.lat === 'number') {
        locationBox.replaceChildren(h('div', { class: 'locate-box', 'data-testid': 'located' },
          h('span', null, icon('pin'), ' ', t('suggest.located', { lat: d.lat.toFixed(5), lon: d.lon.toFixed(5) })),
          h('button', {
            type: 'button', class: 'btn btn-link', id: 'locate-clear',
            onclick: () => {
              d.lat = null;
              d.lon = null;
              drawLocation();
              locationBox.querySelector('#locate').focus();
            },
          }, t('suggest.locate.clear')),
          errors.show('lon', 'f-lon'), errors.show('lat', 'f-lat')));
        return;
      }
      locationBox.replaceChildren(h('div', { class: 'locate-box' },
        h('button', {
          type: 'button', class: 'btn btn-secondary btn-touch', id: 'locate', disabled: state.locating, onclick: locate,
        }, icon('pin'), h('span', null, state.locating ? t('suggest.locating') : t('suggest.locate'))),
        state.locateError ? h('p', { class: 'field-error', role: 'alert' }, state.locateError) : null));
    });
  }

  function locate() {
    if (!navigator.geolocation) {
      state.locateError = t('suggest.locate.unsupported');
      drawLocation();
      return;
    }
    state.locating = true;
    state.locateError = null;
    drawLocation();
    navigator.geolocation.getCurrentPosition((pos) => {
      if (!ctx.alive()) return;
      state.locating = false;
      state.draft.lat = pos.coords.latitude;
      state.draft.lon = pos.coords.longitude;
      drawLocation();
      lookSimilar();
    }, (err) => {
      if (!ctx.alive()) return;
      state.locating = false;
      state.locateError = t('suggest.locate.failed', { message: err.message || err.code });
      drawLocation();
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  function draw() {
    app.setTitle(t('suggest.title'));
    if (state.done) { drawDone(); return; }
    const d = state.draft;
    const cat = h('select', { id: 'f-category', name: 'category', class: 'input', required: true },
      h('option', { value: '' }, t('suggest.category.choose')),
      categoryOptions(state.categories, () => true, (c) => c.code));
    cat.value = d.category;
    cat.addEventListener('change', () => { d.category = cat.value; });
    errors.describe(cat, 'category', 'f-category');
    const text = h('textarea', { id: 'f-text', name: 'text', class: 'input textarea', rows: 5, maxlength: 4000, required: true });
    text.value = d.text;
    text.addEventListener('input', () => { d.text = text.value; lookSimilar(); });
    errors.describe(text, 'text', 'f-text', 'f-text-hint');
    const save = h('button', { type: 'submit', class: 'btn btn-primary btn-touch btn-block', id: 'suggest-save', disabled: state.saving },
      state.saving ? t('suggest.saving') : t('suggest.submit'));
    const form = h('form', { id: 'suggest-form', class: 'suggest-form', novalidate: true, 'aria-busy': state.saving ? 'true' : null },
      errors.any() || state.general.length
        ? h('div', { class: 'alert alert-error', role: 'alert', id: 'form-errors', 'data-testid': 'form-errors' },
          errors.any() ? h('p', null, t('suggest.errors')) : null,
          state.general.length ? h('ul', null, state.general.map((m) => h('li', null, m))) : null)
        : null,
      h('div', { class: 'card form-section suggest-section' },
        kindChoice(),
        h('div', { class: 'field', 'data-for': 'category' },
          h('label', { for: 'f-category' }, t('suggest.category')), cat, errors.show('category', 'f-category')),
        h('div', { class: 'field', 'data-for': 'text' },
          h('label', { for: 'f-text' }, t('suggest.text')), text,
          h('p', { class: 'hint', id: 'f-text-hint' }, t('suggest.text.hint')), errors.show('text', 'f-text')),
        similarBox),
      h('div', { class: 'card form-section suggest-section' },
        input('street', { list: 'street-options', autocomplete: 'off', maxlength: 50 }, t('suggest.street')),
        h('datalist', { id: 'street-options' }, state.streets.map((s) => h('option', { value: s }))),
        input('address', { autocomplete: 'street-address', maxlength: 200, placeholder: t('suggest.address.placeholder') }, t('suggest.address')),
        locationBox),
      h('fieldset', { class: 'card form-section suggest-section' },
        h('legend', { class: 'card-title' }, t('suggest.contact')),
        h('div', { class: 'suggest-contact' },
          input('name', { autocomplete: 'name', maxlength: 50 }, t('suggest.name')),
          input('phone', { type: 'tel', inputmode: 'tel', autocomplete: 'tel', maxlength: 30 }, t('suggest.phone'))),
        h('p', { class: 'note', id: 'privacy-note', 'data-testid': 'privacy-note' }, t('suggest.privacy'))),
      h('div', { class: 'suggest-submit' }, save));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); submit(); });
    keepFocus(root, () => root.replaceChildren(h('div', { class: 'public-page suggest-page' },
      h('div', { class: 'page-head' }, h('div', null,
        h('h1', null, t('suggest.title')),
        h('p', { class: 'muted' }, t('suggest.intro')))),
      form,
      h('p', { class: 'public-links' },
        h('a', { href: '/track' }, t('nav.track')), h('a', { href: '/suggestions' }, t('login.suggestions'))))));
    drawLocation();
    drawSimilar();
  }

  function drawDone() {
    const { c, code, similar } = state.done;
    root.replaceChildren(h('div', { class: 'public-page suggest-page' },
      h('div', { class: 'card done-card', 'data-testid': 'suggest-done' },
        h('h1', null, t('suggest.done.title')),
        h('p', { class: 'done-label' }, t('suggest.done.code')),
        h('p', { class: 'tracking-code', 'data-testid': 'tracking-code', id: 'tracking-code' }, code),
        h('p', { class: 'muted' }, t('suggest.done.keep')),
        h('p', { class: 'done-meta' }, t('track.case', { kind: kindName(c.kind), category: categoryName(c.category) })),
        h('div', { class: 'done-actions' },
          h('a', { class: 'btn btn-primary btn-touch', href: `/track/${code}`, id: 'track-link', 'data-testid': 'track-link' },
            t('suggest.done.track')),
          h('button', {
            type: 'button', class: 'btn btn-secondary btn-touch', id: 'suggest-another',
            onclick: () => {
              state.done = null; state.draft = blankDraft(); state.similar = []; state.key = requestKey(); draw();
            },
          }, t('suggest.done.another')))),
      similar.length ? h('section', { class: 'card' },
        h('h2', { class: 'card-title' }, t('suggest.done.similar')), similarItems(similar)) : null));
  }

  function body() {
    const d = state.draft;
    const out = { kind: d.kind, category: d.category, text: d.text };
    for (const k of ['street', 'address', 'name', 'phone']) if (d[k].trim()) out[k] = d[k].trim();
    if (typeof d.lat === 'number') { out.lon = d.lon; out.lat = d.lat; }
    return out;
  }

  async function submit() {
    if (state.saving) return;
    errors.clear();
    state.general = [];
    state.saving = true;
    lookSimilar.cancel();
    draw();
    try {
      const r = await api('POST', '/public/cases', {
        body: body(), headers: { 'Idempotency-Key': state.key }, noAuthRedirect: true,
      });
      if (!ctx.alive()) return;
      state.done = { c: r.data.case, code: r.data.tracking_code, similar: r.data.similar || [] };
    } catch (err) {
      if (!ctx.alive()) return;
      state.general = errors.fromApi(err, FIELDS);
    }
    state.saving = false;
    draw();
    const first = state.done ? root.querySelector('#tracking-code')
      : root.querySelector('[aria-invalid="true"]') || root.querySelector('#form-errors');
    if (first) {
      if (!first.matches('input, select, textarea')) first.setAttribute('tabindex', '-1');
      first.focus();
      first.scrollIntoView({ block: 'center' });
    }
  }

  draw();
  return {
    onLang: draw,
    leave: () => { lookSimilar.cancel(); if (similarCtl) similarCtl.abort(); },
  };
}
