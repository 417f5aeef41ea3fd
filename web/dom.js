// Small DOM helpers. Text is always set through text nodes or
// textContent, never parsed as HTML, so data from the server cannot
// inject markup.

// h('a', {href: '/x', class: 'link', onclick: fn}, 'text', child, [more])
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') {
        el.addEventListener(k.slice(2), v);
      } else if (k === 'class') {
        el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
      } else if (k === 'value' && 'value' in el) {
        el.value = v;
      } else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'hidden') {
        el[k] = Boolean(v);
      } else if (v === true) {
        el.setAttribute(k, '');
      } else {
        el.setAttribute(k, String(v));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

// Runs draw(), which builds within's content anew, and gives the focus
// back to the control of the same id that had it, with the caret where it
// was: a page drawn again when an answer arrives leaves the user typing
// where they were.
export function keepFocus(within, draw) {
  const active = document.activeElement;
  const id = active && active.id && within.contains(active) ? active.id : null;
  // Controls without a caret (date, number, a checkbox, a select) have
  // no selectionStart (null or undefined).
  const caret = id && typeof active.selectionStart === 'number' ? [active.selectionStart, active.selectionEnd] : null;
  draw();
  if (!id) return;
  const again = within.querySelector(`#${CSS.escape(id)}`);
  if (!again || again === document.activeElement) return;
  again.focus();
  // The control drawn anew may be of another kind, which refuses a caret.
  if (caret) {
    try { again.setSelectionRange(...caret); } catch { /* no caret */ }
  }
}

// A form's field drawn with, and keeping, draft[key]: a page drawn anew
// draws it as typed (undefined: the field's own default).
export function kept(input, draft, key) {
  const box = input.type === 'checkbox';
  if (draft[key] !== undefined) input[box ? 'checked' : 'value'] = draft[key];
  input.addEventListener(box || input.tagName === 'SELECT' ? 'change' : 'input', () => {
    draft[key] = box ? input.checked : input.value;
  });
  return input;
}

// An SVG icon from the sprite-free set below; paths are constants.
const ICONS = {
  search: 'M10.5 3a7.5 7.5 0 0 1 5.9 12.1l4.3 4.3-1.4 1.4-4.3-4.3A7.5 7.5 0 1 1 10.5 3zm0 2a5.5 5.5 0 1 0 0 11 5.5 5.5 0 0 0 0-11z',
  edit: 'M4 17.2V20h2.8l8.3-8.3-2.8-2.8L4 17.2zm15.7-9.5a1 1 0 0 0 0-1.4l-2-2a1 1 0 0 0-1.4 0l-1.6 1.6 2.8 2.8 2.2-1z',
  back: 'M15.4 5.4 14 4l-8 8 8 8 1.4-1.4L8.8 12z',
  pin: 'M12 2a7 7 0 0 1 7 7c0 5-7 13-7 13S5 14 5 9a7 7 0 0 1 7-7zm0 4.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z',
  user: 'M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5z',
  globe: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm6.9 6h-3a15 15 0 0 0-1.3-4A8 8 0 0 1 18.9 8zM12 4.1c.8 1.1 1.5 2.4 1.9 3.9h-3.8c.4-1.5 1.1-2.8 1.9-3.9zM4.3 14a8 8 0 0 1 0-4h3.4a16 16 0 0 0 0 4H4.3zm.8 2h3a15 15 0 0 0 1.3 4A8 8 0 0 1 5.1 16zm3-8h-3a8 8 0 0 1 4.3-4A15 15 0 0 0 8.1 8zM12 19.9c-.8-1.1-1.5-2.4-1.9-3.9h3.8c-.4 1.5-1.1 2.8-1.9 3.9zM14.3 14H9.7a14 14 0 0 1 0-4h4.6a14 14 0 0 1 0 4zm.3 6c.6-1.2 1-2.6 1.3-4h3a8 8 0 0 1-4.3 4zm1.7-6a16 16 0 0 0 0-4h3.4a8 8 0 0 1 0 4h-3.4z',
  plus: 'M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z',
  close: 'M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z',
  sort: 'M7 4l4 5H3zm0 16-4-5h8z',
  up: 'M7 8l4 6H3z',
  down: 'M7 16l-4-6h8z',
};

export function icon(name, cls = 'icon') {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', name === 'sort' || name === 'up' || name === 'down' ? '0 0 14 24' : '0 0 24 24');
  svg.setAttribute('class', cls);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', ICONS[name] || '');
  svg.appendChild(p);
  return svg;
}

export function debounce(fn, ms) {
  let timer = null;
  const d = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; fn(...args); }, ms);
  };
  d.cancel = () => { clearTimeout(timer); timer = null; };
  d.flush = (...args) => { d.cancel(); fn(...args); };
  return d;
}
