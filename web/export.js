// Exports of the console's lists as CSV: every page of the list the user
// is looking at, with its filters, saved as a file a spreadsheet opens
// as it is (UTF-8 with a byte-order mark, RFC 4180 quoting, CRLF lines),
// its headers in the reader's language and its cells as the page shows
// them (labels, not codes).
//
// Every list answers {"items":[…],"next":…}; next, when not null, is sent
// back as cursor for the following page.
//
// A list longer than the cap is not cut short in secret: nothing is
// saved and the message points to the server's exports, which stream any
// number of rows.
import { h, icon } from './dom.js';
import { t, formatNumber } from './i18n.js';
import { api } from './api.js';
import './export-i18n.js';

export const EXPORT_CAP = 100000;

// One page of an answer: its rows and the cursor of the next, if any.
export function pageOf(data) {
  return { items: (data && data.items) || [], next: (data && data.next) || null };
}

// Every row of a list: pages of `limit` until the last one, or until
// more than `cap` rows came (truncated: true, and the fetching stops).
// onPage(n) tells how many rows have come so far.
export async function fetchAll({
  path, query = {}, limit = 500, cap = EXPORT_CAP, signal, onPage,
}) {
  const items = [];
  let cursor = null;
  const seen = new Set();
  for (;;) {
    const q = { ...query };
    if (limit) q.limit = limit;
    if (cursor) q.cursor = cursor;
    const r = await api('GET', path, { query: q, signal });
    const page = pageOf(r.data);
    items.push(...page.items);
    if (onPage) onPage(items.length);
    if (items.length > cap) return { items: items.slice(0, cap), truncated: true };
    // A cursor given twice would loop for ever: the answer is taken as
    // the last page.
    if (!page.next || !page.items.length || seen.has(String(page.next))) break;
    seen.add(String(page.next));
    cursor = page.next;
  }
  return { items, truncated: false };
}

// A cell as RFC 4180 writes it. A text a spreadsheet would read as a
// formula (one starting with = + - @, a tab or a carriage return) gets a
// leading ' so that it stays text (CSV injection).
export function csvCell(v) {
  // A value a page shows as an element (a badge, a formatted amount) is
  // written as its text.
  let s = v === null || v === undefined ? '' : typeof Node !== 'undefined' && v instanceof Node ? v.textContent : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvText(headers, rows) {
  const lines = [headers.map(csvCell).join(',')];
  for (const r of rows) lines.push(r.map(csvCell).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

// The file's name: the list's and the town's date and time of the export.
export function fileName(base) {
  const d = new Date(Date.now() + 8 * 3600e3).toISOString();
  return `${base}-${d.slice(0, 10).replace(/-/g, '')}-${d.slice(11, 16).replace(':', '')}.csv`;
}

export function saveFile(name, text, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// The rows of a list as the CSV's: columns is [{head: () => text,
// value: (row) => text}]; expand(item) turns one item into several rows
// (an enterprise's alerts), keep(row) drops some (a filter the page
// applies itself).
export function tableOf(items, { columns, expand, keep }) {
  let rows = expand ? items.flatMap(expand) : items;
  if (keep) rows = rows.filter(keep);
  return { headers: columns.map((c) => c.head()), rows: rows.map((r) => columns.map((c) => c.value(r))) };
}

// An "Export CSV" button with the line that reports on it. spec() is
// called at the click, so that the filters are those of that moment; it
// answers {name, path, query, limit, columns, expand?,
// keep?} or, for a list the server exports itself, {href}.
export function exportButton(spec, { id = 'export-csv' } = {}) {
  const note = h('span', { class: 'export-note small', role: 'status', 'aria-live': 'polite', 'data-testid': 'export-note' });
  const button = h('button', { type: 'button', class: 'btn btn-secondary export-button', id, 'data-testid': 'export-csv' },
    icon('down'), h('span', null, t('export.csv')));
  let controller = null;
  button.addEventListener('click', async () => {
    const s = spec();
    if (s.href) {
      // The server's own export: its file, followed as a download.
      const a = h('a', { href: s.href, download: '', hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      note.textContent = t('export.server');
      return;
    }
    if (controller) return;
    controller = new AbortController();
    button.disabled = true;
    note.className = 'export-note small';
    note.textContent = t('export.fetching', { n: formatNumber(0) });
    try {
      const got = await fetchAll({
        ...s, signal: controller.signal,
        onPage: (n) => { note.textContent = t('export.fetching', { n: formatNumber(n) }); },
      });
      if (got.truncated) {
        note.className = 'export-note small export-error';
        note.textContent = t('export.cap', { cap: formatNumber(s.cap || EXPORT_CAP) });
      } else {
        const table = tableOf(got.items, s);
        saveFile(fileName(s.name), csvText(table.headers, table.rows));
        note.textContent = t('export.done', { n: formatNumber(table.rows.length) });
      }
    } catch (e) {
      if (e.name !== 'AbortError') {
        note.className = 'export-note small export-error';
        note.textContent = t('export.failed', { message: e.message });
      }
    }
    controller = null;
    button.disabled = false;
  });
  return h('span', { class: 'export-box' }, button, note);
}
