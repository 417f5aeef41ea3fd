// What the case screens share: the names of states, kinds and
// channels, badges, the progress line, the timeline, the categories,
// field errors beside their fields, and times in Beijing time.
import { h } from './dom.js';
import { t, label, isZh, localName, formatDateTime } from './i18n.js';
import { api } from './api.js';
import { eventText } from './casetimeline.js';
// The timeline's words for steps, requests and callbacks.
import './steps-i18n.js';
import './plan-i18n.js';

export const KINDS = ['problem', 'suggestion', 'complaint', 'service_request'];
export const STATES = ['submitted', 'accepted', 'rejected', 'assigned', 'in_progress', 'resolved', 'closed',
  'under_review', 'adopted', 'not_adopted', 'implementing', 'implemented', 'reopened'];
// Moves that must say why: the submitter is told the reason.
export const NEEDS_NOTE = ['rejected', 'not_adopted'];
// The categories enterprises raise problems in; residents' are the others.
export const ENTERPRISE_GROUP = '企业诉求';

const HANDLING = ['submitted', 'accepted', 'assigned', 'in_progress', 'resolved', 'closed'];
const ADOPTION = ['submitted', 'accepted', 'under_review', 'adopted', 'implementing', 'implemented', 'closed'];
const ADOPTION_ONLY = new Set(['under_review', 'adopted', 'not_adopted', 'implementing', 'implemented']);

export const stateName = (s) => label('case.state', s);
export const kindName = (k) => label('case.kind', k);
export const channelName = (c) => label('case.channel', c);
export const groupName = (g) => label('case.group', g);

export function categoryName(cat) {
  if (!cat) return t('common.none');
  return localName(cat) || cat.code || t('common.none');
}

export function departmentName(dep) {
  if (!dep || !(dep.name || dep.name_en)) return t('common.none');
  return (isZh() ? dep.name : dep.name_en) || dep.name || dep.name_en;
}

export function stateBadge(state) {
  return h('span', { class: `case-state case-state-${state}`, 'data-testid': 'case-state', 'data-state': state },
    stateName(state));
}

export function kindBadge(kind) {
  return h('span', { class: `badge case-kind case-kind-${kind}` }, kindName(kind));
}

// Overdue and escalated marks of a case, or nothing.
export function lateBadges(c) {
  return [
    c.overdue ? h('span', { class: 'badge badge-alert', 'data-testid': 'overdue' }, t('case.overdue')) : null,
    c.escalated_at ? h('span', { class: 'badge badge-escalated', 'data-testid': 'escalated' }, t('case.escalated')) : null,
  ];
}

function span(ms) {
  const hours = Math.round(Math.abs(ms) / 3600e3);
  return hours >= 48 ? t('case.days', { n: Math.round(hours / 24) }) : t('case.hours', { n: Math.max(hours, 1) });
}

// The deadline in Beijing time, with how long is left or how late it is
// while the case is open.
export function deadlineText(c) {
  if (!c.deadline) return t('common.none');
  const text = formatDateTime(c.deadline);
  if (c.status !== 'open') return text;
  const ms = Date.parse(c.deadline) - Date.now();
  if (Number.isNaN(ms)) return text;
  return t('case.deadline.with', {
    time: text, rel: ms < 0 ? t('case.deadline.late', { d: span(ms) }) : t('case.deadline.left', { d: span(ms) }),
  });
}

// The path a case goes along: the adoption path for a suggestion that
// is on it (or not yet off the common start), the handling path
// otherwise; a refusal or a reopening ends the line where it happened.
export function progressSteps(c, events = []) {
  const reached = new Set(events.map((e) => e.to).filter(Boolean));
  const adoption = c.kind === 'suggestion'
    && (ADOPTION_ONLY.has(c.state) || [...reached].some((s) => ADOPTION_ONLY.has(s))
      || c.state === 'submitted' || c.state === 'accepted' || (c.state === 'closed' && !reached.has('resolved')));
  const path = adoption && !['assigned', 'in_progress', 'resolved'].includes(c.state) ? ADOPTION : HANDLING;
  if (c.state === 'rejected') return { steps: ['submitted', 'rejected'], current: 1 };
  if (c.state === 'not_adopted') return { steps: ['submitted', 'accepted', 'under_review', 'not_adopted'], current: 3 };
  if (c.state === 'reopened') {
    const end = path.indexOf(path === ADOPTION ? 'implemented' : 'resolved');
    return { steps: [...path.slice(0, end + 1), 'reopened'], current: end + 1 };
  }
  const i = path.indexOf(c.state);
  return { steps: path, current: i < 0 ? 0 : i };
}

export function progressLine(c, events) {
  const { steps, current } = progressSteps(c, events);
  const refused = c.state === 'rejected' || c.state === 'not_adopted';
  return h('ol', { class: 'progress-line', 'data-testid': 'progress', 'data-state': c.state },
    steps.map((s, i) => h('li', {
      class: ['progress-step', i < current && 'is-done', i === current && 'is-current',
        i === current && refused && 'is-refused', i > current && 'is-todo'],
      'data-step': s, 'aria-current': i === current ? 'step' : null,
    }, h('span', { class: 'progress-dot', 'aria-hidden': 'true' }), h('span', { class: 'progress-name' }, stateName(s)))));
}

// The events, oldest first, each a sentence of who did what in the
// reader's language (casetimeline.js) and what a person wrote on it;
// staff see the person's name and which entries are internal.
export function timeline(events, { staff = false } = {}) {
  if (!events.length) return h('p', { class: 'muted' }, t('case.timeline.none'));
  return h('ol', { class: 'timeline', 'data-testid': 'timeline' }, events.map((ev) => {
    const { what, words, internal } = eventText(ev, { staff });
    return h('li', {
      class: ['timeline-item', `timeline-${ev.action}`, staff && ev.public === false && 'is-internal'],
      'data-testid': 'event', 'data-action': ev.action, 'data-from': ev.from || null, 'data-to': ev.to || null,
      'data-at': ev.at || null,
    },
    h('div', { class: 'timeline-head' },
      h('time', { class: 'timeline-at', datetime: ev.at }, formatDateTime(ev.at)),
      // Every note says who reads it.
      staff && words ? h('span', {
        class: ['badge', internal ? 'badge-internal' : 'badge-public'], 'data-testid': 'event-visibility',
      }, t(internal ? 'case.event.internal' : 'case.event.public')) : null),
    h('p', { class: 'timeline-what' }, what),
    words ? h('p', { class: 'timeline-note' }, words) : null);
  }));
}

// The categories of cases, fetched once.
let categoriesPromise = null;
export function getCategories() {
  if (!categoriesPromise) {
    categoriesPromise = api('GET', '/case-categories', { noAuthRedirect: true })
      .then((r) => (r.data.items || []).filter((c) => c.active !== false))
      .catch((e) => { categoriesPromise = null; throw e; });
  }
  return categoriesPromise;
}

// <option>s of categories under their groups; `keep(cat)` picks which.
export function categoryOptions(cats, keep = () => true, valueOf = (c) => String(c.id)) {
  const groups = new Map();
  for (const c of cats.filter(keep)) {
    const g = c.group || '';
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(c);
  }
  return [...groups].map(([g, list]) => {
    const opts = list.map((c) => h('option', { value: valueOf(c) }, categoryName(c)));
    return g ? h('optgroup', { label: groupName(g) }, opts) : opts;
  });
}

// Field errors: errs is {field: [messages]}; errorsFor(name) gives the
// messages to show under a field, describe() ties them to the input.
export function fieldErrors() {
  const errs = {};
  return {
    errs,
    clear() { for (const k of Object.keys(errs)) delete errs[k]; },
    add(field, message) { (errs[field] ||= []).push(message); },
    any() { return Object.keys(errs).length > 0; },
    // From an ApiError: the fields named go beside their fields, the
    // rest (and a message without fields) come back as general ones.
    fromApi(err, known) {
      const general = [];
      for (const fe of err.errors || []) {
        if (fe.field && known.includes(fe.field)) (errs[fe.field] ||= []).push(fe.message);
        else general.push(fe.message);
      }
      if (!(err.errors || []).length) general.push(err.message);
      return general;
    },
    show(field, id) {
      return (errs[field] || []).map((m, i) => h('p', {
        class: 'field-error', 'data-field': field, id: `${id}-err-${i}`,
      }, m));
    },
    describe(input, field, id, hintId) {
      const ids = hintId ? [hintId] : [];
      (errs[field] || []).forEach((_, i) => ids.push(`${id}-err-${i}`));
      if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
      if (errs[field]) input.setAttribute('aria-invalid', 'true');
    },
  };
}

// A value for <input type=datetime-local> in Beijing time, and back to
// the server's UTC form (YYYY-MM-DDTHH:MM:SSZ). Beijing has no DST.
const SHANGHAI_MS = 8 * 3600e3;
export function toShanghaiLocal(iso) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return new Date(ms + SHANGHAI_MS).toISOString().slice(0, 16);
}
export function fromShanghaiLocal(local) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local || '');
  if (!m) return '';
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) - SHANGHAI_MS;
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

// A key for Idempotency-Key, so that a form sent twice makes one case.
export function requestKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

// Similar cases as a list: each with its state, category code and excerpt.
export function similarItems(items, { link = false, extra } = {}) {
  return h('ul', { class: 'similar-list', 'data-testid': 'similar' }, items.map((s) => h('li', {
    class: 'similar-item', 'data-testid': 'similar-item', 'data-id': s.id,
  },
  h('div', { class: 'similar-head' },
    stateBadge(s.state),
    link ? h('a', { href: `/cases/${s.id}`, class: 'similar-link' }, t('case.id', { id: s.id })) : null,
    typeof s.similarity === 'number'
      ? h('span', { class: 'muted small' }, t('case.similar.score', { p: Math.round(s.similarity * 100) })) : null,
    extra ? extra(s) : null),
  h('p', { class: 'similar-excerpt' }, s.excerpt))));
}
