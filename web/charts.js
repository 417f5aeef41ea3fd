// Small SVG line charts, built element by element (no markup parsing,
// no style attributes: the look comes from app.css and grid.css).
import { h } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, String(v));
    }
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Round tick values covering [min, max], about `count` of them.
export function niceTicks(min, max, count = 4) {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    const d = Math.abs(min) || 1;
    min -= d / 2;
    max += d / 2;
  }
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Math.round(v / step) * step);
  return ticks;
}

// lineChart({key, title, unit, points: [{label, value}], marked: Set of
// labels to flag, format: n -> text, describe: text for screen readers,
// width, height: of the viewBox, about the size it is shown at, so the
// labels keep their size}) -> <figure> with the SVG and a caption.
export function lineChart({
  key, title, unit, points, marked = new Set(), format = String, describe, width = 480, height = 220,
}) {
  const W = width;
  const H = height;
  const pad = { top: 16, right: 34, bottom: 34, left: 64 };
  const values = points.map((p) => p.value).filter((v) => typeof v === 'number' && Number.isFinite(v));
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 1;
  // Start at zero unless that would flatten the line.
  const floor = lo >= 0 && lo < hi * 0.5 ? 0 : lo - (hi - lo) * 0.15;
  const ticks = niceTicks(Math.max(lo >= 0 ? 0 : -Infinity, floor), hi, 4);
  const y0 = ticks[0];
  const y1 = ticks[ticks.length - 1];
  const iw = W - pad.left - pad.right;
  const ih = H - pad.top - pad.bottom;
  const n = points.length;
  const xAt = (i) => pad.left + (n <= 1 ? iw / 2 : (iw * i) / (n - 1));
  const yAt = (v) => pad.top + ih - ((v - y0) / (y1 - y0 || 1)) * ih;
  const r1 = (x) => Math.round(x * 10) / 10;

  const grid = ticks.map((v) => svg('g', { class: 'chart-tick' },
    svg('line', { x1: pad.left, x2: W - pad.right, y1: r1(yAt(v)), y2: r1(yAt(v)), class: 'chart-gridline' }),
    svg('text', { x: pad.left - 8, y: r1(yAt(v)) + 4, class: 'chart-ylabel', 'text-anchor': 'end' }, format(v))));

  // Every label when they fit, else every k-th counting back from the
  // last (the latest period is always named).
  const longest = Math.max(1, ...points.map((p) => String(p.label).length));
  const fit = Math.max(1, Math.floor(iw / (longest * 7.5 + 12)) + 1);
  const every = Math.max(1, Math.ceil((n - 1) / Math.max(1, fit - 1)));
  const xlabels = points.map((p, i) => ((n - 1 - i) % every === 0
    ? svg('text', {
      x: r1(xAt(i)), y: H - pad.bottom + 20, class: 'chart-xlabel', 'text-anchor': 'middle',
    }, p.label) : null));

  // The line, broken where a period has no figure.
  let d = '';
  let pen = false;
  points.forEach((p, i) => {
    if (typeof p.value !== 'number' || !Number.isFinite(p.value)) { pen = false; return; }
    d += `${pen ? 'L' : 'M'}${r1(xAt(i))} ${r1(yAt(p.value))}`;
    pen = true;
  });

  const dots = points.map((p, i) => (typeof p.value === 'number' && Number.isFinite(p.value)
    ? svg('circle', {
      cx: r1(xAt(i)), cy: r1(yAt(p.value)), r: marked.has(p.label) ? 5 : 3.5,
      class: ['chart-point', marked.has(p.label) ? 'is-marked' : ''].join(' ').trim(),
      'data-period': p.label,
    }, svg('title', null, `${p.label}: ${format(p.value)}${unit ? ` ${unit}` : ''}`))
    : null));

  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img',
    'aria-label': describe || title, preserveAspectRatio: 'xMidYMid meet',
  },
  svg('title', null, describe || title),
  svg('g', { class: 'chart-axes' }, grid,
    svg('line', { x1: pad.left, x2: W - pad.right, y1: H - pad.bottom, y2: H - pad.bottom, class: 'chart-axis' })),
  svg('g', null, xlabels),
  d ? svg('path', { d, class: 'chart-line', 'data-testid': `chart-line-${key}` }) : null,
  svg('g', null, dots));

  return h('figure', { class: 'chart-figure', 'data-testid': `chart-${key}`, 'data-chart': key },
    h('figcaption', { class: 'chart-title' }, title, unit ? h('span', { class: 'chart-unit' }, ` (${unit})`) : null),
    chart);
}
