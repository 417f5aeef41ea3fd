// Public and internal notes on the case page: the choice of who will
// read a note or a reply, said plainly before it is sent (a public one
// is shown on the tracking page and sent to the submitter), and the
// department's reply templates, filled for the case by the server
// (GET /api/v1/departments/{id}/reply-templates?case_id=).
import { h } from './dom.js';
import { t } from './i18n.js';
import { api } from './api.js';
import './plan-i18n.js';

// The choice for a draft: draft.public (true or false) is kept on the
// draft across draws; kind 'note' (a move's note) or 'reply'. owed: the
// moves offered include one whose reason is always public.
export function visibilityChoice({ id, draft, kind = 'note', owed = false }) {
  const warn = h('p', { class: 'note-vis-warn', id: `${id}-warn`, role: 'status', 'aria-live': 'polite', 'data-testid': `${kind}-visibility-warning` });
  function say() {
    warn.textContent = draft.public ? t('note.vis.warn.public') : t('note.vis.warn.internal');
    warn.classList.toggle('is-public', Boolean(draft.public));
    warn.classList.toggle('is-internal', !draft.public);
    warn.dataset.public = draft.public ? 'true' : 'false';
  }
  const option = (value, text) => {
    const input = h('input', {
      type: 'radio', name: `${id}-vis`, id: `${id}-vis-${value}`, value,
      checked: (value === 'public') === Boolean(draft.public), 'aria-describedby': `${id}-warn`,
    });
    input.addEventListener('change', () => { if (input.checked) { draft.public = value === 'public'; say(); } });
    return h('label', { class: 'note-vis-option', for: `${id}-vis-${value}` }, input, h('span', null, text));
  };
  say();
  const prefix = kind === 'reply' ? 'reply.vis' : 'note.vis';
  return h('fieldset', { class: 'note-vis', 'data-testid': `${kind}-visibility` },
    h('legend', null, t(`${prefix}.legend`)),
    option('internal', t(`${prefix}.internal`)),
    option('public', t(`${prefix}.public`)),
    warn,
    owed ? h('p', { class: 'hint' }, t('note.vis.owed')) : null);
}

// The department's templates for this case: a select that puts the
// chosen one's text into the reply (fill(text)). Loaded once per page.
export function templatePicker({ caseId, departmentId, fill }) {
  const state = { list: null };
  const el = h('div', { class: 'field tpl-pick', 'data-testid': 'reply-templates' });
  async function load() {
    try {
      const r = await api('GET', `/departments/${departmentId}/reply-templates`, { query: { case_id: caseId } });
      state.list = r.data.templates || [];
    } catch {
      state.list = [];
    }
    draw();
  }
  function draw() {
    if (!state.list) { el.replaceChildren(); return; }
    if (!state.list.length) {
      el.replaceChildren(h('p', { class: 'muted small' }, t('tpl.none')));
      return;
    }
    const sel = h('select', { id: 'reply-template', class: 'input' },
      h('option', { value: '' }, t('tpl.choose')),
      state.list.map((x) => h('option', { value: String(x.id) }, x.title)));
    sel.addEventListener('change', () => {
      const x = state.list.find((y) => String(y.id) === sel.value);
      if (x && x.text) fill(x.text);
    });
    el.replaceChildren(h('label', { for: 'reply-template' }, t('tpl.use')), sel);
  }
  load();
  return { el: () => { draw(); return el; } };
}
