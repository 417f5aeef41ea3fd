// A rule's textarea checked as it is typed: a moment after the last key
// the text goes to POST /api/v1/policies/check, and the answer is shown
// under it — the error at its line and column, with that line quoted and
// the place marked, or how many enterprises of the caller's scope the
// rule matches now (qualified, nearly, unknown), or for a benefit
// formula for how many of them it gives an amount. Answers that arrive
// after newer text are dropped.
import { h, debounce } from './dom.js';
import { t, formatNumber } from './i18n.js';
import { api } from './api.js';
import './pol-i18n.js';

const WAIT_MS = 350;

// The characters of a line as the rule's columns count them (one per
// Unicode character, as the server does: 万 is one column).
const chars = (s) => [...s];

// { el, textarea, check(), showError(message) }: kind is 'eligibility'
// or 'benefit'; onText(text) follows what is typed.
export function ruleChecker({ id, kind, value, onText, rows = 4, label }) {
  const textarea = h('textarea', {
    id, class: 'input textarea pol-rule-input', rows, spellcheck: 'false', autocomplete: 'off',
    'aria-describedby': `${id}-check`, value: value || '',
  });
  const result = h('div', { class: 'pol-check', id: `${id}-check`, role: 'status', 'aria-live': 'polite', 'data-testid': `${id}-check` });
  let controller = null;
  let seq = 0;
  let lastText = null;

  function jumpTo(line, column) {
    const lines = textarea.value.split('\n');
    let at = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) at += lines[i].length + 1;
    const within = chars(lines[line - 1] || '').slice(0, column - 1).join('').length;
    textarea.focus();
    textarea.setSelectionRange(at + within, at + within);
  }

  // The line quoted with the column marked; a column past the line's
  // end (a rule that stops too soon) marks the place after it.
  function where(text, line, column) {
    const src = chars(text.split('\n')[line - 1] || '');
    const before = src.slice(0, column - 1).join('');
    const at = src[column - 1];
    const after = src.slice(column).join('');
    return h('pre', { class: 'pol-check-where', 'data-testid': 'rule-error-where' },
      h('span', { class: 'pol-check-lineno', 'aria-hidden': 'true' }, `${line} │ `),
      before,
      h('mark', { class: ['pol-check-mark', at === undefined && 'is-end'], 'data-testid': 'rule-error-mark' }, at === undefined ? ' ' : at),
      after);
  }

  function showErrors(text, errors) {
    textarea.setAttribute('aria-invalid', 'true');
    result.className = 'pol-check is-error';
    result.replaceChildren(...errors.map((e) => h('div', {
      class: 'pol-check-error', 'data-testid': 'rule-error', 'data-line': e.line, 'data-column': e.column,
    },
    h('p', { class: 'field-error' },
      h('button', { type: 'button', class: 'btn-link pol-check-at', onclick: () => jumpTo(e.line, e.column) },
        t('pol.check.at', { line: e.line, column: e.column })), ' ', e.expected || e.message),
    where(text, e.line, e.column))));
  }

  function showCounts(r) {
    textarea.removeAttribute('aria-invalid');
    result.className = 'pol-check is-ok';
    if (kind === 'benefit') {
      result.replaceChildren(h('p', { 'data-testid': 'rule-count', 'data-known': r.amount_known, 'data-enterprises': r.enterprises },
        t('pol.check.amounts', { n: formatNumber(r.amount_known), of: formatNumber(r.enterprises) })));
      return;
    }
    const m = r.matches;
    result.replaceChildren(h('p', {
      'data-testid': 'rule-count', 'data-true': m.true, 'data-nearly': m.nearly, 'data-unknown': m.unknown,
      'data-enterprises': r.enterprises,
    },
    h('strong', { class: 'pol-check-n' }, t('pol.check.matches', { n: formatNumber(m.true) })), ' ',
    h('span', { class: 'muted' }, t('pol.check.more', {
      nearly: formatNumber(m.nearly), unknown: formatNumber(m.unknown), of: formatNumber(r.enterprises), as_of: r.as_of,
    }))));
  }

  function showNote(text, cls = '') {
    result.className = `pol-check ${cls}`;
    result.replaceChildren(h('p', { class: 'muted' }, text));
  }

  // Resolves to true when the answer shown is an error of the rule.
  async function check() {
    const text = textarea.value;
    if (text === lastText && !result.classList.contains('is-busy')) return result.classList.contains('is-error');
    lastText = text;
    if (controller) controller.abort();
    const mine = ++seq;
    if (!text.trim()) {
      textarea.removeAttribute('aria-invalid');
      showNote(t(kind === 'benefit' ? 'pol.check.empty.benefit' : 'pol.check.empty'));
      return false;
    }
    controller = new AbortController();
    result.classList.add('is-busy');
    try {
      const r = await api('POST', '/policies/check', { body: { rule: text, kind }, signal: controller.signal });
      if (mine !== seq) return false;
      if (r.data.valid) showCounts(r.data);
      else showErrors(text, r.data.errors || []);
    } catch (e) {
      if (e.name === 'AbortError' || mine !== seq) return false;
      showNote(e.message, 'is-warn');
    }
    result.classList.remove('is-busy');
    return result.classList.contains('is-error');
  }

  const later = debounce(check, WAIT_MS);
  textarea.addEventListener('input', () => {
    if (onText) onText(textarea.value);
    result.classList.add('is-busy');
    later();
  });

  const el = h('div', { class: 'field pol-rule-field', 'data-path': id === 'pol-rule' ? 'rule' : 'benefit.formula' },
    label ? h('label', { for: id }, label) : null, textarea, result);
  return {
    el, textarea, check: () => { later.cancel(); lastText = null; return check(); },
    // A refusal from saving, beside the checker's own answer.
    showError(message) {
      textarea.setAttribute('aria-invalid', 'true');
      result.prepend(h('p', { class: 'field-error', 'data-field': id }, message));
    },
  };
}
