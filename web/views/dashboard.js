// The town at a glance (/dashboard?period=2024Q4): GET /api/v1/dashboard
// drawn as figure tiles, SVG bar charts and tables. Every figure is a
// link to the list behind it (the console's address the server gives
// with it); the period is chosen as a month, a quarter or a year. The
// scope is the jurisdiction chosen in the header, else the caller's; a
// secretary sees its cluster, a grid worker its grids (the server cuts).
// The quarterly report downloads from here as XLSX and PDF.
import { h, keepFocus } from '../dom.js';
import { t, formatNumber, getLang, localName } from '../i18n.js';
import { api } from '../api.js';
import { svg } from '../charts.js';
import { getTree, focusNode } from '../jur.js';
import '../dash-i18n.js';
import { mayReadDashboard as inMenu } from '../access.js';

export { inMenu };

const PERIOD = /^(\d{4})(?:Q([1-4])|-(0[1-9]|1[0-2]))?$/;

function todayParts() {
  const d = new Date(Date.now() + 8 * 3600e3).toISOString();
  return { year: Number(d.slice(0, 4)), month: Number(d.slice(5, 7)) };
}

function parsePeriod(s) {
  const m = PERIOD.exec(s || '');
  if (!m) return null;
  if (m[2]) return { kind: 'quarter', year: Number(m[1]), n: Number(m[2]) };
  if (m[3]) return { kind: 'month', year: Number(m[1]), n: Number(m[3]) };
  return { kind: 'year', year: Number(m[1]), n: 0 };
}

function periodText(p) {
  if (p.kind === 'quarter') return `${p.year}Q${p.n}`;
  if (p.kind === 'month') return `${p.year}-${String(p.n).padStart(2, '0')}`;
  return String(p.year);
}

// A figure as text, by its kind.
export function valueText(kind, v) {
  if (v === null || v === undefined || Number.isNaN(v)) return t('dash.none');
  switch (kind) {
    case 'rate': return `${(v * 100).toFixed(1)}%`;
    case 'change': return `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`;
    case 'score': return t('dash.score', { s: v.toFixed(2) });
    case 'quotient': return v.toFixed(2);
    case 'amount': return formatNumber(Math.round(v * 100) / 100);
    default: return formatNumber(v);
  }
}

const pick = (bi) => (bi ? (getLang() === 'en' ? bi.en || bi.zh : bi.zh || bi.en) : '');

// Horizontal bars of one column: each bar a link to its row's list.
function barChart(section, col) {
  const rows = section.rows.filter((r) => typeof r.values[col.key] === 'number').slice(0, 12);
  if (!rows.length) return null;
  const max = Math.max(...rows.map((r) => Math.abs(r.values[col.key]))) || 1;
  const W = 480;
  const rowH = 26;
  const labelW = 150;
  const barMax = W - labelW - 70;
  const H = rows.length * rowH + 8;
  const kindOf = (r) => r.kind && col.key !== 'change' ? r.kind : col.kind;
  const title = t('dash.chart', { title: pick(section.title), column: pick(col.title) });
  const bars = rows.map((r, i) => {
    const v = r.values[col.key];
    const w = Math.max(1, Math.round((Math.abs(v) / max) * barMax));
    const y = 4 + i * rowH;
    const label = pick(r.label) || r.key;
    const short = label.length > 12 ? `${label.slice(0, 11)}…` : label;
    const g = svg('g', { class: 'dash-bar', 'data-key': r.key },
      svg('title', null, `${label}: ${valueText(kindOf(r), v)}`),
      svg('text', { x: labelW - 8, y: y + 16, 'text-anchor': 'end', class: 'dash-bar-label' }, short),
      svg('rect', { x: labelW, y: y + 4, width: w, height: rowH - 10, rx: 2, class: 'dash-bar-rect' }),
      svg('text', { x: labelW + w + 6, y: y + 16, class: 'dash-bar-value' }, valueText(kindOf(r), v)));
    return r.links && r.links.console
      ? svg('a', { href: r.links.console, 'data-testid': 'dash-bar-link', 'aria-label': t('dash.open', { what: label }) }, g)
      : g;
  });
  return h('figure', { class: 'chart-figure dash-chart', 'data-chart': section.id },
    h('figcaption', { class: 'chart-title' }, title),
    svg('svg', {
      viewBox: `0 0 ${W} ${H}`, class: 'chart dash-bars', role: 'img', 'aria-label': title,
      preserveAspectRatio: 'xMinYMin meet',
    }, svg('title', null, title), bars));
}

function chartColumn(section) {
  const lq = section.columns.find((c) => c.key === 'lq');
  if (lq && section.rows.some((r) => typeof r.values.lq === 'number')) return lq;
  return section.columns[0];
}

function tiles(section) {
  return h('section', { class: 'dash-tiles', 'aria-label': pick(section.title), 'data-section': section.id },
    section.rows.map((r) => {
      const v = r.values.value;
      const kind = r.kind || 'count';
      const change = r.values.change;
      const body = [
        h('span', { class: 'dash-tile-label' }, pick(r.label)),
        h('span', { class: 'dash-tile-value', 'data-value': v === null ? '' : String(v) }, valueText(kind, v)),
        typeof change === 'number'
          ? h('span', { class: ['dash-tile-change', change < 0 ? 'is-down' : 'is-up'] },
            t('dash.yoy', { c: valueText('change', change) }))
          : null,
      ];
      return r.links && r.links.console
        ? h('a', { class: 'dash-tile', href: r.links.console, 'data-figure': r.key, 'data-testid': 'dash-figure' }, body)
        : h('div', { class: 'dash-tile', 'data-figure': r.key, 'data-testid': 'dash-figure' }, body);
    }));
}

function sectionCard(section) {
  const id = `dash-${section.id}`;
  const col = chartColumn(section);
  const table = h('table', { class: 'data-table dash-table' },
    h('caption', { class: 'visually-hidden' }, t('dash.table', { title: pick(section.title) })),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, t('dash.name')),
      section.columns.map((c) => h('th', { scope: 'col', class: 'num' }, pick(c.title))))),
    h('tbody', null, section.rows.map((r) => h('tr', { 'data-key': r.key },
      h('th', { scope: 'row', class: 'dash-row-name' }, r.links && r.links.console
        ? h('a', { href: r.links.console, 'data-testid': 'dash-row-link' }, pick(r.label) || r.key)
        : (pick(r.label) || r.key)),
      section.columns.map((c) => h('td', {
        class: 'num', 'data-col': c.key,
        'data-value': r.values[c.key] === null ? '' : String(r.values[c.key]),
      }, valueText(r.kind && c.key !== 'change' ? r.kind : c.kind, r.values[c.key])))))));
  return h('section', { class: 'card dash-section', 'aria-labelledby': id, 'data-section': section.id },
    h('h2', { id, class: 'card-title' }, pick(section.title)),
    section.rows.length ? [barChart(section, col), h('div', { class: 'table-scroll' }, table)]
      : h('p', { class: 'muted' }, t('dash.empty')));
}

export async function render(ctx) {
  const { root, app, query } = ctx;
  const user = app.user;
  app.setTitle(t('dash.title'));
  if (!inMenu(user)) {
    root.replaceChildren(h('h1', null, t('dash.title')),
      h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'dash-error' }, t('dash.forbidden')));
    return null;
  }
  const now = todayParts();
  const state = {
    period: parsePeriod(query.get('period')) || { kind: 'quarter', year: now.year, n: Math.floor((now.month - 1) / 3) + 1 },
    scope: '',
    data: null,
    error: null,
    // The picker's choices not yet applied: the page is drawn again when
    // the figures arrive, and a choice made meanwhile stays.
    draft: null,
  };
  let controller = null;

  if (user.role === 'admin' || user.role === 'officer') {
    try {
      const tree = await getTree();
      const n = focusNode(tree);
      if (n) state.scope = n.code;
    } catch { /* the caller's own scope, then */ }
    if (!ctx.alive()) return null;
  }
  // The reference region as its import named it; a place of the tree by
  // its name in the reader's language.
  const places = await getTree().catch(() => null);
  if (!ctx.alive()) return null;
  const regionName = (r) => {
    const n = places && places.items.find((x) => x.name_zh === r);
    return n ? localName(n) : r;
  };

  function reportHref(fmt) {
    const p = new URLSearchParams({ period: periodText(state.period) });
    if (state.scope) p.set('scope', state.scope);
    return `/api/v1/dashboard/report.${fmt}?${p}`;
  }

  function picker() {
    const p = state.draft || state.period;
    const kind = h('select', { id: 'dash-kind', name: 'kind', class: 'input' },
      ['month', 'quarter', 'year'].map((k) => h('option', { value: k, selected: p.kind === k }, t(`dash.period.${k}`))));
    const years = [];
    for (let y = now.year; y >= now.year - 6; y--) years.push(y);
    const year = h('select', { id: 'dash-year', name: 'year', class: 'input' },
      years.map((y) => h('option', { value: y, selected: p.year === y }, String(y))));
    const sub = h('select', { id: 'dash-sub', name: 'sub', class: 'input', hidden: p.kind === 'year' });
    const fillSub = (k, n) => {
      const count = k === 'month' ? 12 : 4;
      sub.replaceChildren(...Array.from({ length: count }, (_, i) => h('option', {
        value: i + 1, selected: n === i + 1,
      }, t(k === 'month' ? 'dash.period.m' : 'dash.period.q', { n: i + 1 }))));
      sub.hidden = k === 'year';
      subLabel.hidden = k === 'year';
      subLabel.textContent = t(k === 'month' ? 'dash.period.month.field' : 'dash.period.quarter.field');
    };
    const subLabel = h('label', { for: 'dash-sub' });
    fillSub(p.kind, p.n);
    const chosen = () => ({ kind: kind.value, year: Number(year.value), n: kind.value === 'year' ? 0 : Number(sub.value) });
    kind.addEventListener('change', () => { fillSub(kind.value, 1); state.draft = chosen(); });
    year.addEventListener('change', () => { state.draft = chosen(); });
    sub.addEventListener('change', () => { state.draft = chosen(); });
    const form = h('form', { class: 'dash-period', id: 'dash-period', novalidate: true },
      h('div', { class: 'field field-compact' }, h('label', { for: 'dash-kind' }, t('dash.period.kind')), kind),
      h('div', { class: 'field field-compact' }, h('label', { for: 'dash-year' }, t('dash.period.year.field')), year),
      h('div', { class: 'field field-compact' }, subLabel, sub),
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'dash-apply' }, t('dash.apply')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      state.period = chosen();
      state.draft = null;
      load();
    });
    return h('section', { class: 'card toolbar', 'aria-label': t('dash.period') }, form,
      h('div', { class: 'dash-report', role: 'group', 'aria-label': t('dash.report') },
        h('a', { class: 'btn btn-secondary btn-small', href: reportHref('xlsx'), 'data-testid': 'dash-xlsx', download: '' }, t('dash.report.xlsx')),
        h('a', { class: 'btn btn-secondary btn-small', href: reportHref('pdf'), 'data-testid': 'dash-pdf', download: '' }, t('dash.report.pdf'))));
  }

  function draw() {
    const d = state.data;
    const name = d ? pick(d.scope.name) : '';
    const title = d ? t('dash.title.of', { name }) : t('dash.title');
    app.setTitle(title);
    const body = [];
    if (state.error) {
      body.push(h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'dash-error', 'data-status': state.error.status },
        state.error.status === 403 ? t('dash.forbidden.scope') : state.error.message));
    } else if (d) {
      const ref = d.reference && d.reference.region
        ? t('dash.reference', { region: regionName(d.reference.region), n: formatNumber(d.reference.employees) })
        : t('dash.reference.none');
      body.push(h('p', { class: 'muted small', 'data-testid': 'dash-reference' }, ref));
      for (const s of d.sections) body.push(s.id === 'summary' ? tiles(s) : sectionCard(s));
    } else {
      body.push(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
    }
    keepFocus(root, () => root.replaceChildren(h('div', { class: 'dash-page', 'data-testid': 'dash-page', 'data-period': periodText(state.period) },
      h('div', { class: 'page-head' }, h('div', null,
        h('h1', { id: 'dash-title' }, title),
        h('p', { class: 'muted' }, [d ? d.period.label : periodText(state.period), t('dash.intro')].join(' · ')))),
      picker(), body)));
  }

  async function load() {
    if (controller) controller.abort();
    controller = new AbortController();
    const url = `/dashboard?period=${periodText(state.period)}`;
    if (location.pathname + location.search !== url) {
      history.replaceState(null, '', url);
      app.pathChanged();
    }
    draw();
    try {
      const r = await api('GET', '/dashboard', {
        signal: controller.signal, query: { period: periodText(state.period), scope: state.scope },
      });
      if (!ctx.alive()) return;
      state.data = r.data;
      state.error = null;
    } catch (e) {
      if (e.name === 'AbortError' || !ctx.alive()) return;
      state.error = { status: e.status, message: e.message };
    }
    draw();
  }

  load();
  return {
    onLang: draw,
    leave: () => { if (controller) controller.abort(); },
  };
}
