// What the bulletin's pages share: the item's HTML (made by the server
// from its Markdown) turned into DOM nodes through an allowlist, and the
// small pieces every page draws.
//
// The server's HTML is safe already (raw HTML escaped, links and images
// checked); this is the second wall. The text is parsed by DOMParser into
// a document that runs nothing, and only the elements and attributes
// Markdown makes are copied over, each URL checked again: nothing of the
// text reaches the page through innerHTML.
import { h } from './dom.js';
import { t, getLang } from './i18n.js';

const TAGS = new Set(['P', 'PRE', 'CODE', 'A', 'IMG', 'EM', 'STRONG', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6',
  'UL', 'OL', 'LI', 'BR', 'HR', 'BLOCKQUOTE']);
const ATTRS = { A: ['href', 'title'], IMG: ['src', 'alt', 'title'], OL: ['start'] };

function safeUrl(url, image) {
  const u = url.replace(/[\u0000-\u0020]/g, '').toLowerCase();
  if (image) return u.startsWith('/') && !u.startsWith('//') && !u.startsWith('/\\');
  const m = /^([a-z][a-z0-9+.-]*):/.exec(u);
  return !m || ['http', 'https', 'mailto', 'tel'].includes(m[1]);
}

function copy(node, shift) {
  if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent);
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const kids = [...node.childNodes].map((c) => copy(c, shift)).filter(Boolean);
  if (!TAGS.has(node.tagName)) return kids.length ? h('span', null, kids) : null;
  // The body's headings rank below the page's own (the item's title).
  const level = /^H([1-6])$/.exec(node.tagName);
  const name = level ? `h${Math.min(6, Number(level[1]) + shift)}` : node.tagName.toLowerCase();
  const el = document.createElement(name);
  for (const a of ATTRS[node.tagName] || []) {
    const v = node.getAttribute(a);
    if (v === null) continue;
    if ((a === 'href' || a === 'src') && !safeUrl(v, a === 'src')) continue;
    el.setAttribute(a, v);
  }
  if (node.tagName === 'A' && /^https?:/i.test(el.getAttribute('href') || '')) el.setAttribute('rel', 'noopener noreferrer');
  if (node.tagName === 'IMG') el.setAttribute('loading', 'lazy');
  el.append(...kids);
  return el;
}

// The nodes of the item's HTML, the block elements in order; its
// headings moved down by shift levels (2 under a list's h2 titles).
export function htmlNodes(html, shift = 1) {
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${html || ''}`, 'text/html');
  return [...doc.body.childNodes].map((c) => copy(c, shift)).filter(Boolean);
}

export function formatDay(iso) {
  if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso || '';
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(getLang(), { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

export const tagPath = (tag) => `/bulletin/tags/${encodeURIComponent(tag)}`;

export function tagList(tags) {
  if (!tags || !tags.length) return null;
  return h('ul', { class: 'tag-list', 'aria-label': t('bulletin.tags') },
    tags.map((tg) => h('li', null, h('a', { class: 'tag', href: tagPath(tg) }, tg))));
}

// Officers and admins write the bulletin (the server decides the place).
export function mayWrite(user) {
  return Boolean(user && (user.role === 'officer' || user.role === 'admin'));
}

export function statusBadge(status) {
  return h('span', { class: ['badge', `bul-status-${status}`], 'data-status': status }, t(`bul.status.${status}`));
}
