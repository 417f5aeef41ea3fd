// Cases by step on the case page: the time limits of each step with
// their deadlines and overdue marks; the department's requests of
// extension, return and parking with the officer's approval; and what
// closing waits for (the callback, a check on site), as GET
// /api/v1/cases/{id} gives them (case.steps, case.parked, case.closing,
// requests, may_request, may_decide, may_resume, may_callback,
// may_site_check). POST …/requests {kind, reason, deadline|review_on},
// …/requests/{rid}/decision {approve, note}, …/resume {note},
// …/callback {unreached: true}, …/site-check {photo_id, passed, note}.
// The server decides; its refusals are shown in its own words, beside
// their fields.
import { h } from './dom.js';
import { t, formatDateTime } from './i18n.js';
import { api } from './api.js';
import { fieldErrors } from './casekit.js';
import './steps-i18n.js';

const STEPS = ['dispatch', 'first_reply', 'resolution'];
const RESOLVED = ['resolved', 'implemented'];

const todayInTown = (days = 0) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);

function limitText(l) {
  return l ? t(`steps.unit.${l.unit}`, { n: l.amount }) : t('steps.limit.none');
}

function badge(cls, testid, text) {
  return h('span', { class: ['badge', cls], 'data-testid': testid }, text);
}

// The controller: section elements for each draw, drafts and messages
// kept across draws; refresh(again) reads the case again and draws.
export function caseSteps({ id, refresh }) {
  const state = {
    busy: null,
    msg: {}, // part -> {kind, text}
    ask: { kind: '', reason: '', deadline: '', review_on: '' },
    decide: { note: '' },
    resume: { note: '' },
    site: { photo_id: '', passed: true, note: '' },
  };
  const errors = { ask: fieldErrors(), decide: fieldErrors(), resume: fieldErrors(), site: fieldErrors(), callback: fieldErrors() };

  function message(part) {
    const m = state.msg[part];
    if (!m) return null;
    return m.kind === 'ok'
      ? h('p', { class: 'action-result is-ok', role: 'status', 'data-testid': `${part}-result` }, m.text)
      : h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': `${part}-error` }, h('p', null, m.text));
  }

  async function act(part, path, body, okText, fields, reset) {
    if (state.busy) return;
    errors[part].clear();
    delete state.msg[part];
    state.busy = part;
    refresh(false);
    try {
      await api('POST', `/cases/${id}${path}`, { body });
      if (reset) reset();
      state.msg = { [part]: { kind: 'ok', text: okText } };
      state.busy = null;
      await refresh(true);
      return;
    } catch (err) {
      const general = errors[part].fromApi(err, fields);
      if (general.length) state.msg[part] = { kind: 'error', text: general.join(' ') };
    }
    state.busy = null;
    refresh(false);
  }

  function field(part, key, fid, text, control) {
    errors[part].describe(control, key, fid);
    return h('div', { class: 'field', 'data-for': `${part}.${key}` },
      h('label', { for: fid }, text), control, errors[part].show(key, fid));
  }

  function textArea(draft, key, fid, rows = 2) {
    const el = h('textarea', { id: fid, name: key, class: 'input textarea', rows, maxlength: 500 });
    el.value = draft[key] || '';
    el.addEventListener('input', () => { draft[key] = el.value; });
    return el;
  }

  // ---- the time limits, after the case's facts ----

  function stepState(c, name) {
    const s = c.steps[name];
    const out = [];
    if (s.done_at) {
      out.push(h('span', null, t(s.due && s.done_at > s.due ? 'steps.done.late' : 'steps.done', { time: formatDateTime(s.done_at) })));
    } else {
      out.push(h('span', null, s.due ? t('steps.due', { time: formatDateTime(s.due) }) : t('steps.waiting')));
    }
    if (s.overdue) out.push(badge('badge-alert', 'step-overdue', t('steps.overdue')));
    if (s.escalated_at) out.push(badge('badge-escalated', 'step-escalated', t('steps.escalated')));
    return out;
  }

  function stepsBlock(d) {
    const c = d.case;
    if (!c.steps) return null;
    return h('section', { class: 'card', 'data-section': 'steps', 'aria-labelledby': 'sec-steps' },
      h('h2', { id: 'sec-steps', class: 'card-title' }, t('steps.title')),
      c.parked ? h('div', { class: 'alert alert-info', role: 'status', 'data-testid': 'parked' },
        t('steps.parked', { since: formatDateTime(c.parked.since), review: c.parked.review_on })) : null,
      h('dl', { class: 'fields', 'data-testid': 'steps' },
        h('div', { class: 'field-row', 'data-field': 'urgency' }, h('dt', null, t('steps.urgency')),
          h('dd', { 'data-testid': 'urgency' }, t(`steps.urgency.${c.urgency}`))),
        STEPS.map((name) => h('div', { class: 'field-row', 'data-field': `step-${name}`, 'data-step': name },
          h('dt', null, t(`steps.step.${name}`), h('br'), h('span', { class: 'muted small' }, limitText(c.steps[name].limit))),
          h('dd', { class: 'step-state', 'data-testid': `step-${name}` }, stepState(c, name))))));
  }

  // ---- requests ----

  function requestItem(d, q) {
    const mayDecide = d.may_decide && q.status === 'pending';
    return h('li', { class: 'request-item', 'data-testid': 'request', 'data-kind': q.kind, 'data-status': q.status },
      h('div', { class: 'request-head' },
        h('strong', null, t(`req.kind.${q.kind}`)), ' ',
        badge(q.status === 'pending' ? 'badge-escalated' : q.status === 'approved' ? '' : 'badge-muted',
          'request-status', t(`req.status.${q.status}`))),
      q.deadline ? h('p', { class: 'small' }, t('req.to', { date: formatDateTime(q.deadline) })) : null,
      q.review_on ? h('p', { class: 'small' }, t('req.review', { date: q.review_on })) : null,
      h('p', { class: 'request-reason' }, q.reason),
      h('p', { class: 'muted small' }, t('req.asked', { who: q.asked_by_name || q.asked_by, at: formatDateTime(q.asked_at) })),
      q.decided_at ? h('p', { class: 'muted small', 'data-testid': 'request-decision' },
        t('req.decided', { who: q.decided_by_name || q.decided_by, at: formatDateTime(q.decided_at), note: q.note })) : null,
      mayDecide ? decideForm(q) : null);
  }

  function decideForm(q) {
    const busy = state.busy === 'decide';
    const go = (approve) => {
      if (!state.decide.note.trim()) {
        errors.decide.clear();
        errors.decide.add('note', t('req.decide.note.required'));
        refresh(false);
        return;
      }
      act('decide', `/requests/${q.id}/decision`, { approve, note: state.decide.note.trim() },
        t(approve ? 'req.decide.done.approved' : 'req.decide.done.refused'), ['note', 'approve'],
        () => { state.decide.note = ''; });
    };
    return h('div', { class: 'case-subform', 'data-testid': 'decide-form' },
      field('decide', 'note', 'decide-note', t('req.decide.note'), textArea(state.decide, 'note', 'decide-note')),
      h('div', { class: 'move-buttons' },
        h('button', { type: 'button', class: 'btn btn-primary btn-touch', 'data-testid': 'decide-approve', disabled: busy, onclick: () => go(true) },
          t('req.decide.approve')),
        h('button', { type: 'button', class: 'btn btn-secondary btn-danger btn-touch', 'data-testid': 'decide-refuse', disabled: busy, onclick: () => go(false) },
          t('req.decide.refuse'))));
  }

  function askForm(d) {
    const kinds = d.may_request || [];
    const a = state.ask;
    if (!kinds.includes(a.kind)) a.kind = kinds[0] || '';
    if (!kinds.length) return null;
    const kind = h('select', { id: 'ask-kind', name: 'kind', class: 'input' },
      kinds.map((k) => h('option', { value: k }, t(`req.kind.${k}`))));
    kind.value = a.kind;
    kind.addEventListener('change', () => { a.kind = kind.value; refresh(false); });
    let dateField = null;
    if (a.kind === 'extension' || a.kind === 'park') {
      const key = a.kind === 'extension' ? 'deadline' : 'review_on';
      const input = h('input', { id: `ask-${key}`, name: key, type: 'date', class: 'input', min: todayInTown(1), value: a[key] });
      input.addEventListener('input', () => { a[key] = input.value; });
      dateField = field('ask', key, `ask-${key}`, t(`req.form.${key}`), input);
    }
    const form = h('form', { class: 'case-subform', id: 'ask-form', novalidate: true },
      h('h3', { class: 'steps-sub' }, t('req.form.title')),
      field('ask', 'kind', 'ask-kind', t('req.form.kind'), kind),
      dateField,
      field('ask', 'reason', 'ask-reason', t('req.form.reason'), textArea(a, 'reason', 'ask-reason', 3)),
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'ask-save', disabled: state.busy === 'ask' }, t('req.form.submit')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!a.reason.trim()) {
        errors.ask.clear();
        errors.ask.add('reason', t('req.reason.required'));
        refresh(false);
        return;
      }
      const body = { kind: a.kind, reason: a.reason.trim() };
      if (a.kind === 'extension') body.deadline = a.deadline;
      if (a.kind === 'park') body.review_on = a.review_on;
      act('ask', '/requests', body, t('req.form.done'), ['kind', 'reason', 'deadline', 'review_on'],
        () => { state.ask = { kind: '', reason: '', deadline: '', review_on: '' }; });
    });
    return form;
  }

  function resumeForm(d) {
    if (!d.may_resume) return null;
    return h('div', { class: 'case-subform', 'data-testid': 'resume-form' },
      field('resume', 'note', 'resume-note', t('req.resume.note'), textArea(state.resume, 'note', 'resume-note')),
      h('button', {
        type: 'button', class: 'btn btn-secondary', id: 'resume-save', disabled: state.busy === 'resume',
        onclick: () => act('resume', '/resume', { note: state.resume.note.trim() }, t('req.resume.done'), ['note'],
          () => { state.resume.note = ''; }),
      }, t('req.resume')));
  }

  function requestsSection(d) {
    const c = d.case;
    const list = d.requests || [];
    if (!list.length && !(d.may_request || []).length && !d.may_resume) return null;
    if (c.merged_into) return null;
    return h('section', { class: 'card', 'data-section': 'requests', 'aria-labelledby': 'sec-requests' },
      h('h2', { id: 'sec-requests', class: 'card-title' }, t('req.title')),
      message('ask'), message('decide'), message('resume'),
      list.length ? h('ol', { class: 'request-list', 'data-testid': 'requests' }, list.map((q) => requestItem(d, q)))
        : h('p', { class: 'muted' }, t('req.none')),
      resumeForm(d), askForm(d));
  }

  // ---- closing ----

  function siteForm(d) {
    const photos = d.photos || [];
    const s = state.site;
    if (!photos.length) return h('p', { class: 'muted', 'data-testid': 'site-no-photo' }, t('closing.site.photo.none'));
    if (!photos.some((p) => String(p.id) === s.photo_id)) s.photo_id = String(photos[photos.length - 1].id);
    const pick = h('select', { id: 'site-photo', name: 'photo_id', class: 'input' },
      photos.map((p, i) => h('option', { value: String(p.id) }, `#${i + 1} (${p.type})`)));
    pick.value = s.photo_id;
    pick.addEventListener('change', () => { s.photo_id = pick.value; });
    const passed = h('input', { type: 'checkbox', id: 'site-passed', name: 'passed', checked: s.passed });
    passed.addEventListener('change', () => { s.passed = passed.checked; });
    const form = h('form', { class: 'case-subform', id: 'site-form', novalidate: true },
      field('site', 'photo_id', 'site-photo', t('closing.site.photo'), pick),
      h('label', { class: 'check', for: 'site-passed' }, passed, h('span', null, t('closing.site.passed.label'))),
      field('site', 'note', 'site-note', t('closing.site.note'), textArea(s, 'note', 'site-note')),
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'site-save', disabled: state.busy === 'site' }, t('closing.site.submit')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      act('site', '/site-check', { photo_id: Number(s.photo_id), passed: s.passed, note: s.note.trim() },
        t('closing.site.done'), ['photo_id', 'passed', 'note'], () => { state.site = { photo_id: '', passed: true, note: '' }; });
    });
    return form;
  }

  function closingSection(d) {
    const c = d.case;
    const k = c.closing;
    if (!k || c.merged_into || !RESOLVED.includes(c.state)) return null;
    const callback = k.callback === 'rated' ? t('closing.callback.rated', { n: c.rating })
      : k.callback === 'unreached' ? t('closing.callback.unreached', { n: k.tries })
        : t('closing.callback.missing', { n: k.tries, max: k.tries_needed });
    return h('section', { class: 'card', 'data-section': 'closing', 'aria-labelledby': 'sec-closing' },
      h('h2', { id: 'sec-closing', class: 'card-title' }, t('closing.title')),
      message('callback'), message('site'),
      h('ul', { class: 'closing-list', 'data-testid': 'closing' },
        h('li', { 'data-testid': 'closing-callback', 'data-state': k.callback }, callback),
        h('li', { 'data-testid': 'closing-site', 'data-state': k.site_check }, t(`closing.site.${k.site_check}`))),
      h('p', { class: k.missing ? 'alert alert-warn' : 'action-result is-ok', 'data-testid': 'closing-missing', 'data-missing': k.missing || '' },
        k.missing ? t(`closing.waits.${k.missing}`) : t('closing.ready')),
      d.may_callback && k.callback === 'missing' ? h('div', { class: 'case-subform' },
        h('p', { class: 'muted small' }, t('closing.rate.hint')),
        h('button', {
          type: 'button', class: 'btn btn-secondary', 'data-testid': 'callback-unreached', disabled: state.busy === 'callback',
          onclick: () => act('callback', '/callback', { unreached: true }, t('closing.unreached.done'), ['unreached']),
        }, t('closing.unreached'))) : null,
      d.may_site_check && k.site_check !== 'not_needed' && k.site_check !== 'passed' ? siteForm(d) : null);
  }

  // Puts the parts in the drawn page: the limits after the case's facts,
  // requests and closing after the actions.
  function place(root, d) {
    const facts = root.querySelector('[data-section=case]');
    const steps = stepsBlock(d);
    if (facts && steps) facts.after(steps);
    const actions = root.querySelector('[data-section=actions]');
    const side = [closingSection(d), requestsSection(d)].filter(Boolean);
    if (actions && side.length) actions.after(...side);
  }

  return { place };
}
