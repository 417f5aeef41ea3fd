// SVG drawings of the industrial-chain pages: the chain map (nodes in
// stage columns, edges as arrows) and a small line chart of rates.
// Everything is built with createElementNS and attributes; text goes
// in through textContent only, so names from the server stay text.

const NS = 'http://www.w3.org/2000/svg';

export const STAGE_ORDER = ['upstream', 'midstream', 'downstream', 'service'];

// s('rect', {x: 1, class: 'a'}, child, 'text')
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
      else el.setAttribute(k, String(v));
    }
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// The width of a label, roughly: CJK and full-width characters take a
// whole em, the rest a little over half. Good enough to decide whether
// a name needs shortening, without a layout pass.
export function textWidth(text, px) {
  let w = 0;
  for (const ch of String(text)) {
    const c = ch.codePointAt(0);
    if (c >= 0x2e80 || (c >= 0x1100 && c <= 0x11ff)) w += 1;
    else if (/[A-Z0-9]/.test(ch)) w += 0.64;
    else if (/[ilj.,'·|:;!()]/.test(ch)) w += 0.3;
    else w += 0.54;
  }
  return w * px;
}

// The text cut to fit width px, with an ellipsis when cut.
export function fitText(text, px, width) {
  const str = String(text || '');
  if (textWidth(str, px) <= width) return str;
  const chars = [...str];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, px) > width) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

// ---- the chain map ----

const NODE_W = 188;
const NODE_H = 60;
const V_GAP = 9;
const COL_GAP = 60;
const PAD = 12;
const HEAD_H = 34;

// Orders each stage column so that edges cross less: a few sweeps of
// the barycentre heuristic (each node goes to the mean position of its
// neighbours in the columns already placed), the server's order
// breaking ties.
function orderColumns(columns, edges) {
  const preds = new Map();
  const succs = new Map();
  for (const e of edges) {
    if (!preds.has(e.to)) preds.set(e.to, []);
    if (!succs.has(e.from)) succs.set(e.from, []);
    preds.get(e.to).push(e.from);
    succs.get(e.from).push(e.to);
  }
  const pos = new Map();
  const place = () => columns.forEach((col) => col.forEach((n, i) => pos.set(n.id, i - (col.length - 1) / 2)));
  place();
  const sortBy = (col, neighbours) => {
    const key = new Map(col.map((n, i) => {
      const ns = (neighbours.get(n.id) || []).filter((id) => pos.has(id));
      const bary = ns.length ? ns.reduce((a, id) => a + pos.get(id), 0) / ns.length : i - (col.length - 1) / 2;
      return [n.id, bary];
    }));
    col.sort((a, b) => key.get(a.id) - key.get(b.id) || a.id - b.id);
    col.forEach((n, i) => pos.set(n.id, i - (col.length - 1) / 2));
  };
  for (let sweep = 0; sweep < 4; sweep++) {
    for (let c = 1; c < columns.length; c++) sortBy(columns[c], preds);
    for (let c = columns.length - 2; c >= 0; c--) sortBy(columns[c], succs);
  }
  return columns;
}

// chainMap({nodes, edges, selected, name(n), stageLabel(stage, count),
//   lines(n) -> [line2, line3], badge(n) -> {text, kind}|null,
//   leadsLabel(n) -> text|null, nodeLabel(n) -> aria text, title,
//   onSelect(n)}) -> {svg, width, height, select(id)}
export function chainMap(opts) {
  const { nodes, edges } = opts;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const stages = STAGE_ORDER.slice();
  for (const n of nodes) if (!stages.includes(n.stage)) stages.push(n.stage);
  const columns = orderColumns(stages.map((st) => nodes.filter((n) => n.stage === st)), edges);
  const tallest = Math.max(1, ...columns.map((c) => c.length));
  const colH = tallest * NODE_H + (tallest - 1) * V_GAP;
  const width = PAD * 2 + stages.length * NODE_W + (stages.length - 1) * COL_GAP;
  const height = HEAD_H + colH + PAD * 2;

  const at = new Map(); // id -> {x, y}
  columns.forEach((col, c) => {
    const x = PAD + c * (NODE_W + COL_GAP);
    const h = col.length * NODE_H + Math.max(0, col.length - 1) * V_GAP;
    const y0 = HEAD_H + PAD + (colH - h) / 2;
    col.forEach((n, i) => at.set(n.id, { x, y: y0 + i * (NODE_H + V_GAP) }));
  });

  const svg = s('svg', {
    class: 'chain-svg', viewBox: `0 0 ${width} ${height}`, width, height,
    role: 'group', 'aria-label': opts.title || null, 'data-testid': 'chain-map',
  });
  svg.append(s('defs', null,
    marker('chain-arrow', 'chain-arrowhead'),
    marker('chain-arrow-hl', 'chain-arrowhead is-related')));

  // Column bands and their headings.
  stages.forEach((st, c) => {
    const x = PAD + c * (NODE_W + COL_GAP);
    svg.append(
      s('rect', {
        class: `chain-band band-${st}`, x: x - 8, y: 4, width: NODE_W + 16, height: height - 8, rx: 10,
      }),
      s('text', { class: 'chain-col-title', x: x + NODE_W / 2, y: 24, 'text-anchor': 'middle' },
        opts.stageLabel(st, columns[c].length)));
  });

  // Edges under the nodes.
  const edgeLayer = s('g', { class: 'chain-edges' });
  const edgeEls = [];
  for (const e of edges) {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x - 3;
    const y2 = b.y + NODE_H / 2;
    let d;
    if (x2 > x1) {
      const k = Math.min(COL_GAP * 0.9, (x2 - x1) / 2);
      d = `M${x1},${y1} C${x1 + k},${y1} ${x2 - k},${y2} ${x2},${y2}`;
    } else {
      // Same column or backwards (not expected in a template): loop
      // round the right-hand side.
      const bx = Math.max(a.x, b.x) + NODE_W + COL_GAP / 2;
      d = `M${x1},${y1} C${bx},${y1} ${bx},${y2} ${b.x + NODE_W},${y2}`;
    }
    const path = s('path', {
      class: 'chain-edge', d, 'marker-end': 'url(#chain-arrow)', 'data-from': e.from, 'data-to': e.to,
    });
    edgeEls.push(path);
    edgeLayer.append(path);
  }
  svg.append(edgeLayer);

  const nodeEls = new Map();
  const fits = []; // labels to measure once the map is in the page
  const pills = []; // {rect, text, right, pad}: sized to their text then
  const label = (cls, x, y, text, size, max, min) => {
    const t = s('text', { class: cls, x, y, 'font-size': size }, fitText(text, size, max));
    fits.push({ el: t, text, size, max, min });
    return t;
  };
  for (const n of nodes) {
    const p = at.get(n.id);
    if (!p) continue;
    const g = s('g', {
      class: ['chain-node', `state-${n.state}`, n.retired && 'is-retired'], transform: `translate(${p.x},${p.y})`,
      tabindex: 0, role: 'button', 'aria-pressed': 'false', 'aria-label': opts.nodeLabel(n),
      'data-testid': 'chain-node', 'data-id': n.id, 'data-code': n.code, 'data-state': n.state,
      'data-retired': n.retired ? 'true' : null,
    });
    const full = opts.name(n);
    g.append(s('title', null, opts.nodeLabel(n)));
    g.append(s('rect', { class: 'node-box', width: NODE_W, height: NODE_H, rx: 7 }));
    g.append(s('rect', { class: 'node-bar', width: 5, height: NODE_H - 2, x: 1, y: 1, rx: 2 }));
    g.append(label('node-name', 14, 20, full, 14, NODE_W - 20, 10.5));
    const [l2, l3] = opts.lines(n);
    g.append(label('node-line', 14, 37, l2, 11.5, NODE_W - 20, 10));
    const leads = opts.leadsLabel(n);
    const leadsW = leads ? textWidth(leads, 11) + 12 : 0;
    g.append(label('node-line', 14, 53, l3, 11.5, NODE_W - 24 - leadsW, 10));
    if (leads) {
      const rect = s('rect', {
        class: 'node-pill pill-leads', x: NODE_W - 7 - leadsW, y: 42, width: leadsW, height: 15, rx: 7.5,
      });
      const text = s('text', {
        class: 'node-pill-text pill-leads-text', x: NODE_W - 7 - leadsW / 2, y: 53, 'text-anchor': 'middle',
      }, leads);
      pills.push({ rect, text, right: NODE_W - 7, pad: 12 });
      g.append(rect, text);
    }
    const badge = opts.badge(n);
    if (badge) {
      const bw = textWidth(badge.text, 11) + 16;
      const bx = NODE_W - bw - 8;
      const rect = s('rect', { x: bx, y: -9, width: bw, height: 18, rx: 9 });
      const text = s('text', { x: bx + bw / 2, y: 4, 'text-anchor': 'middle' }, badge.text);
      pills.push({ rect, text, right: NODE_W - 8, pad: 16 });
      g.append(s('g', { class: `node-badge badge-${badge.kind}`, 'data-testid': 'node-badge' }, rect, text));
    }
    const choose = () => opts.onSelect(n);
    g.addEventListener('click', choose);
    g.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); choose(); }
    });
    nodeEls.set(n.id, g);
    svg.append(g);
  }

  function select(id) {
    for (const [nid, g] of nodeEls) {
      const on = nid === id;
      g.classList.toggle('is-selected', on);
      g.setAttribute('aria-pressed', on ? 'true' : 'false');
    }
    for (const p of edgeEls) {
      const on = id != null && (Number(p.getAttribute('data-from')) === id || Number(p.getAttribute('data-to')) === id);
      p.classList.toggle('is-related', on);
      p.setAttribute('marker-end', on ? 'url(#chain-arrow-hl)' : 'url(#chain-arrow)');
    }
    // The highlighted edges on top of the others.
    for (const p of edgeEls) if (p.classList.contains('is-related')) edgeLayer.append(p);
  }
  if (opts.selected != null && byId.has(opts.selected)) select(opts.selected);

  // Once in the page, the labels are measured: a name too long for its
  // box is set smaller, down to a minimum, and only then shortened.
  function fit() {
    for (const f of fits) {
      const el = f.el;
      el.textContent = f.text;
      el.setAttribute('font-size', f.size);
      if (!el.getComputedTextLength || el.getComputedTextLength() === 0) {
        el.textContent = fitText(f.text, f.size, f.max);
        continue;
      }
      let size = f.size;
      while (el.getComputedTextLength() > f.max && size > f.min) {
        size = Math.max(f.min, size - 0.5);
        el.setAttribute('font-size', size);
      }
      if (el.getComputedTextLength() > f.max) {
        const chars = [...f.text];
        while (chars.length > 1 && el.getComputedTextLength() > f.max) {
          chars.pop();
          el.textContent = `${chars.join('').trimEnd()}…`;
        }
      }
    }
    for (const p of pills) {
      const w = p.text.getComputedTextLength ? p.text.getComputedTextLength() : 0;
      if (!w) continue;
      const bw = w + p.pad;
      p.rect.setAttribute('x', p.right - bw);
      p.rect.setAttribute('width', bw);
      p.text.setAttribute('x', p.right - bw / 2);
    }
  }

  return { svg, width, height, select, fit, focus: (id) => { const g = nodeEls.get(id); if (g) g.focus(); } };
}

function marker(id, cls) {
  return s('marker', {
    id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
    markerUnits: 'userSpaceOnUse', orient: 'auto',
  }, s('path', { class: cls, d: 'M0,0 L10,5 L0,10 z' }));
}

// ---- a small line chart of rates (0..1) by year ----

// lineChart({years: [2016..], series: [{key, label, values: [rate|null]}],
//   title, format(rate) -> '19.1%'}) -> svg
export function lineChart({ years, series, title, format }) {
  const W = 560;
  const H = 250;
  const L = 44;
  const R = 18;
  const T = 18;
  const B = 30;
  const pw = W - L - R;
  const ph = H - T - B;
  const n = years.length;
  const xOf = (i) => L + (n > 1 ? (i * pw) / (n - 1) : pw / 2);
  const yOf = (v) => T + ph * (1 - v);
  const svg = s('svg', {
    class: 'line-chart', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': title,
    'data-testid': 'localisation-chart',
  });
  svg.append(s('title', null, title));
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(
      s('line', { class: ['chart-grid', v === 0 && 'chart-axis'], x1: L, x2: W - R, y1: yOf(v), y2: yOf(v) }),
      s('text', { class: 'chart-tick', x: L - 6, y: yOf(v) + 4, 'text-anchor': 'end' }, `${v * 100}%`));
  }
  years.forEach((y, i) => {
    if (n > 12 && i % 2) return;
    svg.append(s('text', { class: 'chart-tick', x: xOf(i), y: H - 10, 'text-anchor': 'middle' }, String(y)));
  });

  // The lines, broken where a year has no value.
  series.forEach((sr, k) => {
    let d = '';
    let pen = false;
    sr.values.forEach((v, i) => {
      if (v === null || v === undefined) { pen = false; return; }
      d += `${pen ? 'L' : 'M'}${xOf(i).toFixed(1)},${yOf(v).toFixed(1)} `;
      pen = true;
    });
    svg.append(s('path', { class: `chart-line series-${k + 1}`, d: d.trim(), 'data-series': sr.key }));
  });

  // Points and their percentages: at each year the higher value is
  // labelled above its point and the lower one below, so they do not
  // collide where the lines come close.
  years.forEach((y, i) => {
    const here = series.map((sr, k) => ({ k, sr, v: sr.values[i] })).filter((p) => p.v !== null && p.v !== undefined);
    const top = here.reduce((m, p) => (m === null || p.v > m.v ? p : m), null);
    for (const p of here) {
      const above = here.length < 2 || p === top;
      const cx = xOf(i);
      const cy = yOf(p.v);
      const ly = above ? cy - 8 : cy + 16;
      svg.append(s('circle', { class: `chart-point series-${p.k + 1}`, cx, cy, r: 3.5 },
        s('title', null, `${p.sr.label} · ${y} · ${format(p.v)}`)));
      svg.append(s('text', {
        class: `chart-value series-${p.k + 1}`, x: cx, y: Math.min(H - B - 2, Math.max(T - 4, ly)),
        'text-anchor': i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle',
        'data-series': p.sr.key, 'data-year': y,
      }, format(p.v)));
    }
  });
  return svg;
}
