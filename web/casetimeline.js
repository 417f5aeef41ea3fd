// A case's timeline entry as a sentence in the reader's language: who did
// what, to what. The server gives each entry who acted (actor_name for
// the staff, a word in "by" for everyone) and, for an entry it worded
// itself, its facts in "detail" (a deadline as an instant, a category, a
// department and jurisdictions by name in both languages, a photo's type);
// src/domain/timeline.h lists them. What a person wrote (a reply, a
// reason, a note) is given back as written, apart from the sentence.
import { t, label, isZh, formatDateTime, formatDate } from './i18n.js';
import './timeline-i18n.js';

const BY = ['system', 'submitter', 'client', 'enterprise', 'staff'];

// Who acted: the person's name (staff only get one), else a word for
// who it was; never a login.
export function actorWord(ev, { staff = false } = {}) {
  if (staff && ev.actor_name) return ev.actor_name;
  let by = ev.by;
  if (!BY.includes(by)) {
    if (ev.actor === 'system') by = 'system';
    else if (ev.actor === 'public') by = 'submitter';
    else by = 'staff';
  }
  return t(`tl.by.${by}`);
}

const localName = (o, zh, en) => (o ? (isZh() ? o[zh] || o[en] : o[en] || o[zh]) || '' : '');
const categoryText = (c) => (typeof c === 'string' ? '' : localName(c, 'name_zh', 'name_en'));
const departmentText = (d) => (typeof d === 'string' ? d : localName(d, 'name', 'name_en'));
const placeText = (j) => localName(j, 'name_zh', 'name_en');
const stateText = (s) => label('case.state', s);
const MIME = { 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/webp': 'WebP' };

// "a, b and c" in English, "a，b，c" in Chinese.
function joinParts(parts) {
  if (parts.length < 2) return parts.join('');
  return `${parts.slice(0, -1).join(t('tl.assign.sep'))}${t('tl.assign.last')}${parts[parts.length - 1]}`;
}

// The sentence for one entry; a sentence with {placeholders} only when
// every fact it needs is there, its plain form otherwise.
function sentence(ev, who) {
  const d = ev.detail && typeof ev.detail === 'object' ? ev.detail : null;
  const has = (k) => d && d[k] !== undefined && d[k] !== null && d[k] !== '';
  const pick = (key, vars, ok) => t(ok ? key : `${key}.plain`, { who, ...vars });
  switch (ev.action) {
    case 'intake': {
      const channel = (d && d.channel) || (/^[a-z_0-9]+$/.test(ev.note || '') ? ev.note : '');
      const own = ['submitter', 'enterprise', 'client'].includes(ev.by) || ev.actor === 'public';
      return pick(own ? 'tl.intake.own' : 'tl.intake', { channel: label('case.channel', channel) }, channel);
    }
    case 'transition':
    case 'reopen': {
      if (d && d.cause && ev.to === 'reopened') {
        return t(d.cause === 'callback' ? 'tl.back.callback' : 'tl.back.site_check', { rating: d.rating });
      }
      if (d && d.cause) {
        const department = has('department') ? departmentText(d.department) : '';
        return department ? t('tl.back.assigned', { department }) : t('tl.back.assigned.plain');
      }
      if (ev.action === 'reopen' || ev.to === 'reopened') return t('tl.reopen', { who });
      const key = `tl.to.${ev.to}`;
      if (ev.to && t(key) !== key) return t(key, { who });
      return t('tl.move', { who, from: stateText(ev.from), to: stateText(ev.to) });
    }
    case 'assign': {
      const parts = [];
      if (has('category') && categoryText(d.category)) parts.push(t('tl.assign.category', { category: categoryText(d.category) }));
      if (has('department') && departmentText(d.department)) {
        parts.push(t('tl.assign.department', { department: departmentText(d.department) }));
      }
      if (has('deadline')) parts.push(t('tl.assign.deadline', { time: formatDateTime(d.deadline) }));
      if (has('urgency')) parts.push(t('tl.assign.urgency', { urgency: label('steps.urgency', d.urgency) }));
      return parts.length ? t('tl.assign', { who, parts: joinParts(parts) }) : t('tl.assign.plain', { who });
    }
    case 'photo':
      return pick('tl.photo', { type: d && MIME[d.type] }, d && MIME[d.type]);
    case 'escalate':
    case 'escalate_dispatch':
    case 'escalate_reply':
      return pick(`tl.${ev.action}`, { time: has('deadline') ? formatDateTime(d.deadline) : '' }, has('deadline'));
    case 'request': {
      const kind = d && d.kind;
      if (kind === 'extension' && has('deadline')) return t('tl.request.extension', { who, time: formatDateTime(d.deadline) });
      if (kind === 'park' && has('review_on')) return t('tl.request.park', { who, date: formatDate(d.review_on) });
      if (kind === 'return') return t('tl.request.return', { who });
      return t('tl.request.plain', { who });
    }
    case 'decision': {
      const kind = d && ['extension', 'return', 'park'].includes(d.kind) ? t(`tl.kind.${d.kind}`) : '';
      if (!kind || typeof d.approved !== 'boolean') return t('tl.decision.plain', { who });
      return t(d.approved ? 'tl.decision.approved' : 'tl.decision.refused', { who, kind });
    }
    case 'extension':
      return pick('tl.extension', { time: has('deadline') ? formatDateTime(d.deadline) : '' }, has('deadline'));
    case 'park':
      return pick('tl.park', { date: has('review_on') ? formatDate(d.review_on) : '' }, has('review_on'));
    case 'return': {
      const department = has('department') ? departmentText(d.department) : '';
      return pick('tl.return', { department }, department);
    }
    case 'resume':
      if (has('review_on')) return t('tl.resume.review', { date: formatDate(d.review_on) });
      if (has('state')) return t('tl.resume.moved', { state: stateText(d.state) });
      return t('tl.resume', { who });
    case 'callback':
      if (!d || !d.try) return t('tl.callback.plain', { who });
      return t(d.given_up ? 'tl.callback.given_up' : 'tl.callback', { who, n: d.try, max: d.tries || d.try });
    case 'site_check':
      if (!d || typeof d.passed !== 'boolean') return t('tl.site_check.plain', { who });
      return t(d.passed ? 'tl.site_check.passed' : 'tl.site_check.failed', { who });
    case 'transfer': {
      const from = has('from') ? placeText(d.from) : '';
      const to = has('to') ? placeText(d.to) : '';
      if (from && to) return t('tl.transfer', { who, from, to });
      return to ? t('tl.transfer.to', { who, to }) : t('tl.transfer.plain', { who });
    }
    case 'transfer_return':
    case 'transfer_accept': {
      const to = has('to') ? placeText(d.to) : '';
      return pick(`tl.${ev.action}`, { to }, to);
    }
    case 'merge':
      if (has('into')) return t('tl.merge.into', { who, id: d.into });
      if (has('merged')) return t('tl.merge.merged', { who, id: d.merged });
      return t('tl.merge.plain', { who });
    case 'rate':
      return pick('tl.rate', { rating: d && d.rating }, has('rating'));
    case 'erase':
      return t('tl.erase');
    case 'raised_at_event':
      return pick('tl.raised_at_event', { title: d && d.title }, has('title'));
    case 'milestone':
    case 'note':
    case 'reply':
      return t(`tl.${ev.action}`, { who });
    default: {
      const key = `case.action.${ev.action}`;
      const what = t(key) !== key ? t(key) : (ev.to ? stateText(ev.to) : '');
      return what ? t('tl.other', { who, what }) : t('tl.updated', { who });
    }
  }
}

// What a person wrote on the entry, as written: the facts' own words
// (a reason, a note) when the server worded the entry, else its note;
// nothing for an entry whose note only summarises its facts.
export function entryWords(ev) {
  const d = ev.detail && typeof ev.detail === 'object' ? ev.detail : null;
  if (d) return d.note || d.reason || d.answer || '';
  if (ev.action === 'intake' && /^[a-z_0-9]+$/.test(ev.note || '')) return '';
  return ev.note || '';
}

// The entry as {what, words, internal}: the sentence, what a person
// wrote, and whether those words stay with the staff (an internal entry's,
// or the offices' own words about a transfer on a public one).
export function eventText(ev, { staff = false } = {}) {
  const d = ev.detail && typeof ev.detail === 'object' ? ev.detail : null;
  const words = entryWords(ev);
  const offices = Boolean(d && !d.note && (d.reason || d.answer));
  return { what: sentence(ev, actorWord(ev, { staff })), words, internal: ev.public === false || offices };
}
