// What the screens of policy measures share: categories, modes, outcomes
// and application states with their names, who may do what (mirroring
// the server's rules; the server decides), amounts in yuan as a reader
// of either language writes them, and a measure's badges.
import { h } from './dom.js';
import { t, isZh, getLang } from './i18n.js';
import './pol-i18n.js';
import { isEnterprise } from './access.js';

export const CATEGORIES = ['tax', 'financing', 'talent', 'rd', 'land_premises', 'market', 'chain'];
export const MODES = ['apply', 'automatic'];
export const OUTCOMES = ['true', 'nearly', 'unknown'];
export const APP_STATES = ['applied', 'review', 'approved', 'rejected', 'paid'];

// Officers and admins write measures, check rules, decide applications
// and confirm batches.
export const mayManage = (user) => Boolean(user && (user.role === 'admin' || user.role === 'officer'));
// Staff who may list a measure's enterprises.
export const mayListEligible = (user) => Boolean(user
  && ['admin', 'officer', 'secretary', 'grid_worker'].includes(user.role));
export { isEnterprise };
// The applications inbox: staff who decide, and an enterprise's contact.
export const mayReadApplications = (user) => mayManage(user) || isEnterprise(user);

export const categoryName = (code) => t(`pol.category.${code}`);
export const modeName = (mode) => t(`pol.mode.${mode}`);
export const appStateName = (s) => t(`pol.app.state.${s}`);
export const title = (p) => (p ? (isZh() ? p.title_zh : p.title_en || p.title_zh) || p.title_zh : '');
export const summary = (p) => (isZh() ? p.summary_zh || p.summary_en : p.summary_en || p.summary_zh) || '';

// 2000000 -> "200 万元" in Chinese, "¥2,000,000" in English; null -> "—".
export function money(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return t('common.none');
  const v = Number(n);
  if (isZh()) {
    const fmt = (x) => new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 }).format(x);
    if (Math.abs(v) >= 1e8) return `${fmt(v / 1e8)} 亿元`;
    if (Math.abs(v) >= 1e4) return `${fmt(v / 1e4)} 万元`;
    return `${fmt(v)} 元`;
  }
  return new Intl.NumberFormat(getLang(), { style: 'currency', currency: 'CNY', minimumFractionDigits: 0, maximumFractionDigits: 2 })
    .format(v).replace('CN¥', '¥');
}

// A measure's benefit: its fixed amount, or its formula as written.
export function benefitText(b) {
  if (!b) return t('common.none');
  if (b.formula !== undefined && b.formula !== null) return h('code', { class: 'pol-formula' }, b.formula);
  return money(b.amount);
}

export function periodText(p) {
  return t('pol.period.text', { from: p.effective_from, to: p.effective_to || t('pol.period.open') });
}

export function categoryBadge(code) {
  return h('span', { class: `badge pol-cat pol-cat-${code}`, 'data-testid': 'policy-category' }, categoryName(code));
}

export function modeBadge(mode) {
  return h('span', { class: `badge pol-mode pol-mode-${mode}`, 'data-testid': 'policy-mode', 'data-mode': mode },
    modeName(mode));
}

export function forceBadge(p) {
  return p.in_force ? null : h('span', { class: 'badge badge-muted', 'data-testid': 'not-in-force' }, t('pol.not_in_force'));
}

export function appStateBadge(state) {
  return h('span', { class: `pol-state pol-state-${state}`, 'data-testid': 'application-state', 'data-state': state },
    appStateName(state));
}

export function outcomeBadge(outcome) {
  return h('span', { class: `pol-outcome pol-outcome-${outcome}`, 'data-outcome': outcome }, t(`pol.outcome.${outcome}`));
}

// A rule or a formula as it was written, its lines kept.
export function ruleBlock(text, attrs = {}) {
  return h('pre', { class: 'pol-rule', ...attrs }, text);
}

// The town's date today (UTC+8).
export const townToday = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
