// What the catalogue's screens share: its categories, who may do what,
// a service's badges, and its hours in words.
import { h } from './dom.js';
import { t, isZh } from './i18n.js';
import './svc-i18n.js';
import { isEnterprise } from './access.js';

export const CATEGORIES = ['policy_consulting', 'financing', 'talent_hr', 'legal', 'land_premises',
  'permits_approvals', 'training', 'venues', 'testing_technology', 'logistics'];
export const STATUSES = ['active', 'pending', 'inactive', 'retired'];
export const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

export const mayManage = (user) => Boolean(user && (user.role === 'admin' || user.role === 'officer'));
export { isEnterprise };

export const categoryName = (code) => t(`svc.category.${code}`);
export const serviceName = (s) => (isZh() ? s.name_zh : s.name_en || s.name_zh) || s.name_zh;
export const description = (s) => (isZh() ? s.description_zh : s.description_en || s.description_zh);
// A language code by its name where the catalogue knows it (zh, en).
export const languageName = (code) => {
  const k = `svc.lang.${code.split('-')[0]}`;
  const s = t(k);
  return s === k ? code : s;
};
export const providerName = (p) => (p ? (isZh() ? p.name_zh : p.name_en || p.name_zh) : '');

export function statusBadge(status) {
  if (status === 'active') return null;
  return h('span', { class: `badge svc-status svc-status-${status}`, 'data-testid': 'service-status' },
    t(`svc.status.${status}`));
}

// Open now, closed now, or by appointment (no hours).
export function openBadge(s) {
  const key = s.open_now === true ? 'open' : s.open_now === false ? 'closed' : 'unknown';
  return h('span', { class: `badge svc-open svc-open-${key}`, 'data-testid': 'open-now', 'data-open': key },
    t(`svc.${key}`));
}

// "Today 08:30-11:30, 13:30-17:00", or why it is closed today.
export function todayText(s) {
  const d = s.hours_today;
  if (!d) return t('svc.hours.none');
  if (d.closed) return d.exception ? t('svc.today.closed.why', { why: d.exception }) : t('svc.today.closed');
  return t('svc.today', { spans: d.spans.join(t('svc.days.sep')) });
}

// MO,TU,WE,TH,FR -> "周一至周五"; MO,WE,FR -> "周一、周三、周五".
export function daysText(byday) {
  const idx = byday.split(',').map((d) => DAYS.indexOf(d)).filter((i) => i >= 0).sort((a, b) => a - b);
  const runs = [];
  for (const i of idx) {
    const last = runs[runs.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else runs.push([i, i]);
  }
  return runs.map(([a, b]) => (b - a >= 2
    ? t('svc.days.range', { from: t(`svc.day.${DAYS[a]}`), to: t(`svc.day.${DAYS[b]}`) })
    : DAYS.slice(a, b + 1).map((d) => t(`svc.day.${d}`)).join(t('svc.days.sep')))).join(t('svc.days.sep'));
}

// The weekly hours as rows of days and spans, the spans of the same
// days together.
export function weeklyRows(hours) {
  const rows = new Map();
  for (const r of hours.weekly) {
    const key = r.byday;
    if (!rows.has(key)) rows.set(key, []);
    rows.get(key).push(`${r.opens_at}–${r.closes_at}`);
  }
  return [...rows].map(([byday, spans]) => ({ days: daysText(byday), spans: spans.join(t('svc.days.sep')) }));
}

// The exceptions from `today` on (YYYY-MM-DD), at most n.
export function comingExceptions(hours, today, n = 8) {
  return hours.exceptions.filter((x) => x.valid_to >= today)
    .sort((a, b) => a.valid_from.localeCompare(b.valid_from)).slice(0, n);
}

// The town's date today (UTC+8).
export const townToday = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
