// The public tracking page (/track, /track/{code}): a box for the code,
// then GET /api/v1/public/cases/{code}: the state as a progress line,
// the department's reply and the public timeline (of the case it
// follows when it was merged), and the submitter's rating and one
// reopening when the answer allows them.
import { h, icon } from '../dom.js';
import { t, formatDateTime } from '../i18n.js';
import { api } from '../api.js';
import {
  stateBadge, kindName, categoryName, departmentName, progressLine, timeline, fieldErrors,
} from '../casekit.js';
import { publicPlan } from '../caseplan.js';

// As typed: case, spaces and dashes do not matter.
const normal = (code) => (code || '').toUpperCase().replace(/[\s-]+/g, '');

export async function render(ctx) {
  const { root, app, params } = ctx;
  const code = normal(params.code ? decodeURIComponent(params.code) : '');
  const state = {
    data: null, error: null, busy: null, msg: {},
    drafts: { rate: { rating: '', note: '' }, reopen: { note: '' } },
  };
  const errors = { rate: fieldErrors(), reopen: fieldErrors(), box: fieldErrors() };

  async function fetchCase() {
    try {
      state.data = (await api('GET', `/public/cases/${encodeURIComponent(code)}`, { noAuthRedirect: true })).data;
      state.error = null;
    } catch (e) {
      state.data = null;
      state.error = e;
    }
  }

  app.setTitle(t('track.title'));
  if (code) {
    root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
    await fetchCase();
    if (!ctx.alive()) return null;
  }

  function codeBox(value) {
    const input = h('input', {
      id: 'track-code', name: 'code', class: 'input mono track-input', value: value || '', autocomplete: 'off',
      autocapitalize: 'characters', spellcheck: 'false', maxlength: 20, placeholder: t('track.code.placeholder'),
    });
    errors.box.describe(input, 'code', 'track-code');
    const form = h('form', { class: 'track-box', id: 'track-form', novalidate: true, role: 'search' },
      h('label', { for: 'track-code' }, t('track.code')),
      h('div', { class: 'track-row' }, input,
        h('button', { type: 'submit', class: 'btn btn-primary btn-touch', id: 'track-go' }, icon('search'), h('span', null, t('track.go')))),
      errors.box.show('code', 'track-code'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const c = normal(input.value);
      errors.box.clear();
      if (!c) {
        errors.box.add('code', t('track.required'));
        draw();
        root.querySelector('#track-code').focus();
        return;
      }
      app.navigate(`/track/${encodeURIComponent(c)}`);
    });
    return form;
  }

  function message(section) {
    const m = state.msg[section];
    if (!m) return null;
    return h(m.kind === 'ok' ? 'p' : 'div', {
      class: m.kind === 'ok' ? 'action-result is-ok' : 'alert alert-error', role: m.kind === 'ok' ? 'status' : 'alert',
      'data-testid': `${section}-${m.kind === 'ok' ? 'result' : 'error'}`, tabindex: '-1',
    }, m.text);
  }

  // A case and how far it is; one merged into another is followed
  // there, so its own card keeps only what happened to it.
  function caseCard(c, events, title, testid = 'track-case') {
    const merged = Boolean(c.merged_into);
    return h('section', { class: 'card track-case', 'data-testid': testid, 'data-state': c.state },
      title ? h('h2', { class: 'card-title' }, title) : null,
      h('div', { class: 'track-head' },
        h('span', { class: 'muted' }, t('track.case', { kind: kindName(c.kind), category: categoryName(c.category) })),
        merged ? h('span', { class: 'badge badge-muted', 'data-testid': 'merged-badge' }, t('case.merged.badge')) : stateBadge(c.state)),
      h('p', { class: 'case-text' }, c.text),
      h('p', { class: 'muted small' }, t('track.submitted', { at: formatDateTime(c.created_at) }),
        ' · ', departmentName(c.department)),
      merged ? null : trackProgress(c, events),
      h('h3', { class: 'sub-title' }, t('track.timeline')),
      timeline(events));
  }

  function trackProgress(c, events) {
    return [
      h('h3', { class: 'sub-title' }, t('track.progress')),
      progressLine(c, events),
      h('h3', { class: 'sub-title' }, t('track.reply')),
      c.reply ? h('p', { class: 'track-reply', 'data-testid': 'track-reply' }, c.reply)
        : h('p', { class: 'muted' }, t('track.reply.none')),
    ];
  }

  function rateForm(c) {
    const dr = state.drafts.rate;
    const form = h('form', { class: 'case-subform', id: 'rate-form', novalidate: true },
      message('rate'),
      c.rating ? h('p', { 'data-testid': 'track-rating' }, t('track.rated', { n: c.rating })) : null,
      h('fieldset', { class: 'rating-choice' },
        h('legend', null, t('case.rate.label')),
        h('div', { class: 'rating-options' }, [1, 2, 3, 4, 5].map((n) => {
          const input = h('input', { type: 'radio', name: 'rating', value: String(n), id: `rate-${n}`, checked: dr.rating === String(n) });
          input.addEventListener('change', () => { if (input.checked) dr.rating = String(n); });
          return h('label', { class: 'rating-option', for: `rate-${n}`, title: t('case.rate.star', { n }) }, input, h('span', null, String(n)));
        })),
        errors.rate.show('rating', 'rate-rating')),
      noteField('rate', 'rate-note', t('case.rate.note'), 500),
      h('button', { type: 'submit', class: 'btn btn-primary btn-touch', id: 'rate-save', disabled: state.busy === 'rate' }, t('case.rate.submit')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!dr.rating) { localError('rate', 'rating', t('case.rate.choose')); return; }
      const body = { rating: Number(dr.rating) };
      if (dr.note.trim()) body.note = dr.note.trim();
      act('rate', '/rating', body, t('case.rate.done'), ['rating', 'note']);
    });
    return h('section', { class: 'card', 'data-section': 'rate' }, h('h2', { class: 'card-title' }, t('track.rate.title')), form);
  }

  function noteField(section, id, text, max = 2000) {
    const dr = state.drafts[section];
    const el = h('textarea', { id, name: 'note', class: 'input textarea', rows: 2, maxlength: max });
    el.value = dr.note;
    el.addEventListener('input', () => { dr.note = el.value; });
    errors[section].describe(el, 'note', id);
    return h('div', { class: 'field' }, h('label', { for: id }, text), el, errors[section].show('note', id));
  }

  function reopenForm() {
    const form = h('form', { class: 'case-subform', id: 'reopen-form', novalidate: true },
      message('reopen'),
      noteField('reopen', 'reopen-note', t('case.reopen.note')),
      h('p', { class: 'hint' }, t('case.reopen.hint')),
      h('button', { type: 'submit', class: 'btn btn-secondary btn-touch', id: 'reopen-save', disabled: state.busy === 'reopen' },
        t('case.reopen.submit')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      act('reopen', '/reopen', { note: state.drafts.reopen.note.trim() }, t('case.reopen.done'), ['note']);
    });
    return h('section', { class: 'card', 'data-section': 'reopen' }, h('h2', { class: 'card-title' }, t('track.reopen.title')), form);
  }

  function localError(section, field, text) {
    errors[section].clear();
    errors[section].add(field, text);
    delete state.msg[section];
    draw();
    const el = root.querySelector('[aria-invalid="true"], .field-error');
    if (el) el.scrollIntoView({ block: 'center' });
  }

  async function act(section, path, body, okText, fields) {
    if (state.busy) return;
    errors[section].clear();
    delete state.msg[section];
    state.busy = section;
    draw();
    try {
      await api('POST', `/public/cases/${encodeURIComponent(code)}${path}`, { body, noAuthRedirect: true });
      if (!ctx.alive()) return;
      await fetchCase();
      if (!ctx.alive()) return;
      state.drafts[section] = section === 'rate' ? { rating: '', note: '' } : { note: '' };
      state.msg = { [section]: { kind: 'ok', text: okText } };
    } catch (err) {
      if (!ctx.alive()) return;
      const general = errors[section].fromApi(err, fields);
      if (general.length) state.msg[section] = { kind: 'error', text: general.join(' ') };
    }
    state.busy = null;
    draw();
    const el = root.querySelector(`[data-testid=${section}-result], [data-testid=${section}-error]`);
    if (el) el.focus();
  }

  function draw() {
    app.setTitle(code ? `${t('track.title')} · ${code}` : t('track.title'));
    const head = h('div', { class: 'page-head' }, h('div', null,
      h('h1', null, t('track.title')), code ? null : h('p', { class: 'muted' }, t('track.intro'))));
    if (!code) {
      root.replaceChildren(h('div', { class: 'public-page track-page' }, head, h('div', { class: 'card' }, codeBox('')),
        publicLinks()));
      return;
    }
    if (state.error) {
      root.replaceChildren(h('div', { class: 'public-page track-page' }, head,
        h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'track-error' },
          state.error.status === 404 ? t('track.notfound') : state.error.message),
        h('div', { class: 'card' }, codeBox(code)), publicLinks()));
      return;
    }
    const d = state.data;
    const c = d.case;
    root.replaceChildren(h('div', { class: 'public-page track-page', 'data-testid': 'track-page' },
      head,
      h('p', { class: 'track-code-line' }, h('span', { class: 'muted' }, t('track.code')), ' ',
        h('span', { class: 'tracking-code tracking-code-small mono', 'data-testid': 'track-code' }, d.tracking_code)),
      d.follows
        ? [h('div', { class: 'alert alert-info', 'data-testid': 'track-merged' }, t('track.follows')),
          caseCard(d.follows, d.follows_events || [], t('track.follows.title'), 'track-follows'),
          caseCard(c, d.events || [], t('track.mine'))]
        : caseCard(c, d.events || []),
      publicPlan(d.plan),
      d.may_rate ? rateForm(c) : null,
      d.may_reopen ? reopenForm() : message('reopen'),
      h('details', { class: 'card track-another' },
        h('summary', { class: 'case-more-summary' }, t('track.another')), codeBox('')),
      publicLinks()));
  }

  function publicLinks() {
    return h('p', { class: 'public-links' },
      h('a', { href: '/suggest' }, t('nav.suggest')), h('a', { href: '/suggestions' }, t('login.suggestions')));
  }

  draw();
  if (!code) {
    const input = root.querySelector('#track-code');
    if (input) input.focus();
  }
  return { onLang: draw };
}
