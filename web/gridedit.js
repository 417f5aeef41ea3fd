// The grid editor of the park map: drawing a new grid, moving, inserting
// and removing the vertices of one, and cutting one in two along a line.
// It lives in two places the map gives it: a layer of the map's SVG (the
// draft, its handles, and the marker of a refusal at its place) and the
// map's side panel (the grid's fields and the vertices as a list whose
// coordinates can be typed, for the keyboard and for exact values).
//
// The server decides: a polygon it refuses comes back with the rule and,
// where there is one, the place (error.detail {lon, lat}); the editor
// marks the place on the map with the rule in words. Only admins and
// officers are offered the editor, as only they may draw (the server's
// rule).
import { h, icon, debounce } from './dom.js';
import { t, label, localName } from './i18n.js';
import { api } from './api.js';
import { svg } from './charts.js';
import { contains, pathData, polygonsOf } from './geo.js';
import './gridedit-i18n.js';

const LEVELS = ['town', 'area', 'cell'];
// Screen distances, in CSS pixels, turned into the map's units as drawn.
const VERTEX_PX = 9;
const MIDPOINT_PX = 7;
const SNAP_VERTEX_PX = 10;
const SNAP_EDGE_PX = 7;
const NUDGE_PX = 2;

export function mayEditGrids(user) {
  return Boolean(user) && (user.role === 'admin' || user.role === 'officer');
}

// Only a single ring's boundary is edited by dragging: a grid with holes
// or several parts is redrawn or imported instead.
export function mayEditShape(g) {
  return Boolean(g && g.geometry) && g.geometry.type === 'Polygon' && g.geometry.coordinates.length === 1;
}

const round7 = (v) => Math.round(v * 1e7) / 1e7;
const show = (v) => String(round7(v));

function parseCoord(text, max) {
  const s = String(text).trim();
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  const v = Number(s);
  return Math.abs(v) <= max ? v : null;
}

function nearestOnSegment(p, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let k = len2 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2 : 0;
  k = Math.max(0, Math.min(1, k));
  return [a[0] + k * dx, a[1] + k * dy];
}

// gridEditor({mode: 'draw'|'edit'|'split', grid, etag, grids, selected,
//   app, onDone(message, gridId), onCancel}) -> {attach(svg, proj, w, h),
//   panel(), destroy()}. grid (with its geometry) and etag are the grid
//   changed or cut; selected the grid picked when drawing began.
export function gridEditor(opts) {
  const { mode, grid, etag, grids, app } = opts;
  const m = {
    points: mode === 'edit' ? grid.geometry.coordinates[0].slice(0, -1).map((p) => [p[0], p[1]]) : [],
    code: mode === 'edit' ? grid.code : '',
    name_zh: mode === 'edit' ? grid.name_zh : '',
    name_en: mode === 'edit' ? grid.name_en || '' : '',
    level: 'town',
    parent_id: null,
    parentTouched: mode === 'edit',
    error: null,
    local: null, // a message of the editor's own (too few vertices)
    busy: false,
  };
  if (mode === 'edit') {
    m.level = grid.level;
    m.parent_id = grid.parent_id;
  } else if (mode === 'draw' && opts.selected) {
    const s = opts.selected;
    m.level = s.level === 'town' ? 'area' : 'cell';
    m.parent_id = s.level === 'cell' ? s.parent_id : s.id;
  }
  const byId = new Map(grids.map((g) => [g.id, g]));
  const el = { svg: null, proj: null, w: 1000, h: 600, layer: null, root: h('div', { class: 'grid-editor', 'data-testid': 'grid-editor', 'data-mode': mode }) };
  let drag = null;
  const isLine = mode === 'split';
  const closed = () => !isLine && m.points.length >= 3;

  // ---- coordinates ----

  const unit = () => {
    const r = el.svg ? el.svg.getBoundingClientRect() : null;
    return r && r.width ? el.w / r.width : 1;
  };
  const toSvg = (ev) => {
    const ctm = el.svg.getScreenCTM();
    const p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(ctm.inverse());
    return [p.x, p.y];
  };
  // The other grids' corners and edges a point snaps to, as drawn.
  function snap(xy) {
    const u = unit();
    let best = null;
    let bestD = SNAP_VERTEX_PX * u;
    const others = grids.filter((g) => g.geometry && !(mode === 'edit' && g.id === grid.id));
    for (const g of others) {
      for (const poly of polygonsOf(g.geometry)) {
        for (const ring of poly) {
          for (const c of ring) {
            const q = el.proj.project(c);
            const d = Math.hypot(q[0] - xy[0], q[1] - xy[1]);
            if (d < bestD) { bestD = d; best = [c[0], c[1]]; }
          }
        }
      }
    }
    if (best) return best;
    bestD = SNAP_EDGE_PX * u;
    let edge = null;
    for (const g of others) {
      for (const poly of polygonsOf(g.geometry)) {
        for (const ring of poly) {
          for (let i = 0; i + 1 < ring.length; i++) {
            const q = nearestOnSegment(xy, el.proj.project(ring[i]), el.proj.project(ring[i + 1]));
            const d = Math.hypot(q[0] - xy[0], q[1] - xy[1]);
            if (d < bestD) { bestD = d; edge = q; }
          }
        }
      }
    }
    return edge ? el.proj.invert(edge).map(round7) : null;
  }
  const place = (xy, free) => (!free && !isLine && snap(xy)) || el.proj.invert(xy).map(round7);

  // ---- the layer on the map ----

  function attach(svgEl, proj, w, hgt) {
    el.svg = svgEl;
    el.proj = proj;
    el.w = w;
    el.h = hgt;
    el.layer = svg('g', { class: `edit-layer edit-${mode}`, 'data-testid': 'edit-layer' });
    svgEl.appendChild(el.layer);
    svgEl.classList.add('is-editing');
    drawLayer();
  }
  // Handles keep their size on the screen when the map is drawn larger
  // or smaller (a phone turned, a window resized).
  const resized = debounce(() => { if (!drag) drawLayer(); }, 150);
  window.addEventListener('resize', resized);

  function drawLayer() {
    if (!el.layer) return;
    const u = unit();
    const capture = svg('rect', {
      x: 0, y: 0, width: el.w, height: el.h, class: 'edit-capture', 'data-testid': 'edit-capture',
      'aria-label': t('ge.canvas'),
    });
    capture.addEventListener('click', (ev) => {
      ev.stopPropagation();
      if (mode === 'edit' || m.busy) return;
      m.points.push(place(toSvg(ev), ev.altKey));
      changed(true);
    });
    const parts = [capture];
    if (isLine && grid.geometry) {
      parts.push(svg('path', { d: pathData(grid.geometry, el.proj), class: 'split-target', 'fill-rule': 'evenodd' }));
    }
    const pts = m.points.map((c) => el.proj.project(c));
    const d = pts.length ? `M${pts.map(([x, y]) => `${x.toFixed(1)} ${y.toFixed(1)}`).join('L')}${closed() ? 'Z' : ''}` : '';
    parts.push(svg('path', {
      d, class: closed() ? 'draft-shape' : 'draft-line', 'data-testid': 'draft', 'stroke-width': 2.5 * u,
    }));
    // Insert handles at the middle of each edge.
    if (!isLine && pts.length >= 2) {
      const n = pts.length;
      const edges = closed() ? n : n - 1;
      for (let i = 0; i < edges; i++) {
        const j = (i + 1) % n;
        const mx = (pts[i][0] + pts[j][0]) / 2;
        const my = (pts[i][1] + pts[j][1]) / 2;
        const label = t('ge.insert', { i: i + 1, j: j + 1 });
        const mid = svg('g', {
          class: 'midpoint', 'data-testid': 'midpoint', 'data-index': i, tabindex: 0, role: 'button',
          'aria-label': label, transform: `translate(${mx.toFixed(1)} ${my.toFixed(1)})`,
        },
        svg('title', null, label),
        svg('circle', { r: MIDPOINT_PX * u, 'stroke-width': 1.5 * u }),
        svg('path', { d: `M${-3.5 * u} 0H${3.5 * u}M0 ${-3.5 * u}V${3.5 * u}`, 'stroke-width': 1.6 * u }));
        const insert = (ev) => {
          ev.stopPropagation();
          ev.preventDefault();
          const a = m.points[i];
          const b = m.points[j];
          m.points.splice(i + 1, 0, [round7((a[0] + b[0]) / 2), round7((a[1] + b[1]) / 2)]);
          changed(true, i + 1);
        };
        mid.addEventListener('click', insert);
        mid.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') insert(ev); });
        parts.push(mid);
      }
    }
    pts.forEach(([x, y], i) => parts.push(vertexHandle(i, x, y, u)));
    const marker = errorMarker(u);
    if (marker) parts.push(marker);
    el.layer.replaceChildren(...parts);
    if (marker) fitCallout(marker, u);
  }

  function vertexHandle(i, x, y, u) {
    const c = m.points[i];
    const aria = t(isLine ? 'ge.point.aria' : 'ge.vertex.aria', { i: i + 1, lon: show(c[0]), lat: show(c[1]) });
    const node = svg('circle', {
      cx: x.toFixed(1), cy: y.toFixed(1), r: VERTEX_PX * u, 'stroke-width': 2 * u,
      class: `vertex${i === 0 && !isLine ? ' is-first' : ''}`, 'data-testid': 'vertex', 'data-index': i,
      'data-lon': c[0], 'data-lat': c[1], tabindex: 0, role: 'button', 'aria-label': aria,
    });
    node.addEventListener('click', (ev) => ev.stopPropagation());
    node.addEventListener('pointerdown', (ev) => {
      if (m.busy || ev.button !== 0) return;
      ev.preventDefault();
      ev.stopPropagation();
      node.focus();
      node.setPointerCapture(ev.pointerId);
      drag = { i, node, moved: false };
    });
    node.addEventListener('pointermove', (ev) => {
      if (!drag || drag.node !== node) return;
      const xy = toSvg(ev);
      m.points[i] = place(xy, ev.altKey);
      drag.moved = true;
      const q = el.proj.project(m.points[i]);
      node.setAttribute('cx', q[0].toFixed(1));
      node.setAttribute('cy', q[1].toFixed(1));
      redrawDraft();
    });
    const end = () => {
      if (!drag || drag.node !== node) return;
      const moved = drag.moved;
      drag = null;
      if (moved) changed(true, i);
    };
    node.addEventListener('pointerup', end);
    node.addEventListener('pointercancel', end);
    node.addEventListener('keydown', (ev) => {
      const step = NUDGE_PX * unit() * (ev.shiftKey ? 10 : 1);
      const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (moves[ev.key]) {
        ev.preventDefault();
        const q = el.proj.project(m.points[i]);
        m.points[i] = el.proj.invert([q[0] + moves[ev.key][0], q[1] + moves[ev.key][1]]).map(round7);
        changed(true, i);
      } else if (ev.key === 'Delete' || ev.key === 'Backspace') {
        ev.preventDefault();
        removePoint(i);
      }
    });
    return node;
  }

  // During a drag only the draft's outline and the insert handles move;
  // the handle dragged keeps its pointer capture.
  function redrawDraft() {
    const pts = m.points.map((c) => el.proj.project(c));
    const draft = el.layer.querySelector('[data-testid=draft]');
    if (draft) draft.setAttribute('d', pts.length ? `M${pts.map(([x, y]) => `${x.toFixed(1)} ${y.toFixed(1)}`).join('L')}${closed() ? 'Z' : ''}` : '');
    for (const mid of el.layer.querySelectorAll('[data-testid=midpoint]')) {
      const i = Number(mid.dataset.index);
      const j = (i + 1) % pts.length;
      mid.setAttribute('transform', `translate(${((pts[i][0] + pts[j][0]) / 2).toFixed(1)} ${((pts[i][1] + pts[j][1]) / 2).toFixed(1)})`);
    }
  }

  // The refusal at its place: a ring around the point and the rule in
  // words beside it.
  function errorMarker(u) {
    const e = m.error;
    if (!e || !e.detail || !Number.isFinite(e.detail.lon) || !Number.isFinite(e.detail.lat)) return null;
    const [x, y] = el.proj.project([e.detail.lon, e.detail.lat]);
    const what = t(`ge.err.${e.code}`) === `ge.err.${e.code}` ? t('ge.err.other') : t(`ge.err.${e.code}`);
    const left = x > el.w * 0.6;
    const fs = 14 * u;
    const text = svg('text', {
      class: 'error-callout-text', x: left ? -16 * u : 16 * u, y: 0, 'font-size': fs,
      'text-anchor': left ? 'end' : 'start', 'dominant-baseline': 'central',
    }, what);
    return svg('g', {
      class: 'error-marker', 'data-testid': 'error-marker', 'data-code': e.code, 'data-lon': e.detail.lon,
      'data-lat': e.detail.lat, transform: `translate(${x.toFixed(1)} ${y.toFixed(1)})`, role: 'img',
      'aria-label': t('ge.err.marker', { what, lon: show(e.detail.lon), lat: show(e.detail.lat) }),
    },
    svg('circle', { class: 'error-ring', r: 12 * u, 'stroke-width': 3 * u }),
    svg('circle', { class: 'error-dot', r: 3.5 * u }),
    svg('rect', { class: 'error-callout', x: 0, y: -12 * u, width: 0, height: 24 * u, rx: 4 * u }),
    text);
  }

  function fitCallout(marker, u) {
    const text = marker.querySelector('text');
    const rect = marker.querySelector('rect');
    let w = 160 * u;
    try { w = text.getComputedTextLength() + 16 * u; } catch { /* not laid out */ }
    const left = text.getAttribute('text-anchor') === 'end';
    rect.setAttribute('width', w.toFixed(1));
    rect.setAttribute('x', (left ? -8 * u - w : 8 * u).toFixed(1));
  }

  // ---- the model changes ----

  function autoParent() {
    if (mode !== 'draw' || m.parentTouched || m.level === 'town' || !m.points.length) return;
    const above = LEVELS[LEVELS.indexOf(m.level) - 1];
    const holding = grids.filter((g) => g.level === above && g.geometry && contains(g.geometry, m.points[0]));
    if (holding.length) m.parent_id = holding[0].id;
  }

  function changed(geometry, focusIndex) {
    if (geometry) { m.error = null; m.local = null; }
    autoParent();
    drawLayer();
    renderPanel();
    if (focusIndex !== undefined && el.layer) {
      const v = el.layer.querySelector(`[data-testid=vertex][data-index="${focusIndex}"]`);
      if (v) v.focus();
    }
  }

  function removePoint(i) {
    m.points.splice(i, 1);
    changed(true, m.points.length ? Math.min(i, m.points.length - 1) : undefined);
  }

  function addPoint() {
    const n = m.points.length;
    let p;
    if (n >= 2) {
      const a = m.points[n - 1];
      const b = isLine ? m.points[n - 2] : m.points[0];
      p = isLine ? [2 * a[0] - b[0], 2 * a[1] - b[1]] : [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    } else if (n === 1) {
      const q = el.proj.project(m.points[0]);
      p = el.proj.invert([q[0] + 40 * unit(), q[1]]);
    } else {
      p = el.proj.invert([el.w / 2, el.h / 2]);
    }
    m.points.push(p.map(round7));
    changed(true, m.points.length - 1);
  }

  // ---- the side panel ----

  const fieldErrors = () => {
    const out = {};
    for (const fe of (m.error && m.error.errors) || []) if (fe.field) out[fe.field] = fe.message;
    return out;
  };

  function textField(key, attrs = {}) {
    const errs = fieldErrors();
    const input = h('input', {
      id: `ge-${key}`, name: key, class: 'input', type: 'text', value: m[key], autocomplete: 'off',
      'aria-invalid': errs[key] ? 'true' : null, ...attrs,
    });
    input.addEventListener('input', () => { m[key] = input.value; });
    return h('div', { class: 'field', 'data-for': key },
      h('label', { for: input.id }, t(`ge.${key}`)), input,
      errs[key] ? h('p', { class: 'field-error', 'data-field': key }, errs[key]) : null);
  }

  function parentOptions() {
    const above = LEVELS[LEVELS.indexOf(m.level) - 1];
    if (!above) return [h('option', { value: '' }, t('ge.parent.none'))];
    return grids.filter((g) => g.level === above && !(mode === 'edit' && g.id === grid.id))
      .map((g) => h('option', { value: g.id, selected: g.id === m.parent_id }, `${localName(g)} · ${g.code}`));
  }

  function levelFields() {
    const errs = fieldErrors();
    const level = h('select', { id: 'ge-level', name: 'level', class: 'input' },
      LEVELS.map((lv) => h('option', { value: lv, selected: lv === m.level }, label('grid.level', lv))));
    const parent = h('select', {
      id: 'ge-parent', name: 'parent_id', class: 'input', disabled: m.level === 'town',
      'aria-invalid': errs.parent_id ? 'true' : null,
    }, parentOptions());
    const sync = () => {
      const v = Number(parent.value);
      m.parent_id = m.level === 'town' || !v ? null : v;
    };
    level.addEventListener('change', () => {
      m.level = level.value;
      m.parentTouched = false;
      autoParent();
      parent.replaceChildren(...parentOptions());
      parent.disabled = m.level === 'town';
      sync();
    });
    parent.addEventListener('change', () => { m.parentTouched = true; sync(); });
    sync();
    return [
      h('div', { class: 'field', 'data-for': 'level' }, h('label', { for: 'ge-level' }, t('ge.level')), level,
        errs.level ? h('p', { class: 'field-error', 'data-field': 'level' }, errs.level) : null),
      h('div', { class: 'field', 'data-for': 'parent_id' }, h('label', { for: 'ge-parent' }, t('ge.parent')), parent,
        errs.parent_id ? h('p', { class: 'field-error', 'data-field': 'parent_id' }, errs.parent_id) : null),
    ];
  }

  function pointList() {
    const rows = m.points.map((c, i) => {
      const coord = (k, max) => {
        const input = h('input', {
          class: 'input num', type: 'text', inputmode: 'decimal', value: show(c[k]), 'data-testid': `vertex-${k ? 'lat' : 'lon'}`,
          'aria-label': `${t(isLine ? 'ge.point' : 'ge.vertex', { i: i + 1 })} ${t(k ? 'ge.lat' : 'ge.lon')}`,
        });
        input.addEventListener('change', () => {
          const v = parseCoord(input.value, max);
          if (v === null) {
            input.setAttribute('aria-invalid', 'true');
            input.title = t('ge.badnum');
            return;
          }
          input.removeAttribute('aria-invalid');
          input.removeAttribute('title');
          m.points[i][k] = v;
          m.error = null;
          m.local = null;
          drawLayer();
        });
        return input;
      };
      return h('li', { class: 'vertex-row', 'data-testid': 'vertex-row', 'data-index': i },
        h('span', { class: 'vertex-no' }, String(i + 1)),
        coord(0, 180), coord(1, 90),
        h('button', {
          type: 'button', class: 'btn btn-ghost btn-small vertex-remove', 'data-testid': 'vertex-remove',
          'aria-label': t(isLine ? 'ge.remove.point' : 'ge.remove.vertex', { i: i + 1 }), onclick: () => removePoint(i),
        }, icon('close')));
    });
    const tools = isLine
      ? [h('button', { type: 'button', class: 'btn btn-secondary btn-small', id: 'ge-add', onclick: addPoint }, icon('plus'), h('span', null, t('ge.add.vertex'))),
        h('button', { type: 'button', class: 'btn btn-secondary btn-small', id: 'ge-undo', disabled: !m.points.length, onclick: () => removePoint(m.points.length - 1) }, t('ge.undo')),
        h('button', { type: 'button', class: 'btn btn-ghost btn-small', id: 'ge-clear', disabled: !m.points.length, onclick: () => { m.points = []; changed(true); } }, t('ge.clear'))]
      : [h('button', { type: 'button', class: 'btn btn-secondary btn-small', id: 'ge-add', onclick: addPoint }, icon('plus'), h('span', null, t('ge.add.vertex')))];
    return h('fieldset', { class: 'vertex-list', 'data-testid': 'vertex-list' },
      h('legend', null, t(isLine ? 'ge.line' : 'ge.vertices', { n: m.points.length })),
      h('div', { class: 'vertex-head', 'aria-hidden': 'true' }, h('span', null, '#'), h('span', null, t('ge.lon')), h('span', null, t('ge.lat'))),
      h('ol', { class: 'vertex-rows' }, rows),
      h('div', { class: 'vertex-tools' }, tools));
  }

  function errorBox() {
    const e = m.error;
    if (m.local) return h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'edit-error' }, m.local);
    if (!e) return null;
    const fields = fieldErrors();
    const shownAtField = (e.errors || []).length && (e.errors || []).every((fe) => ['code', 'name_zh', 'name_en', 'level', 'parent_id'].includes(fe.field));
    if (shownAtField && Object.keys(fields).length) return null;
    const what = t(`ge.err.${e.code}`);
    return h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'edit-error', 'data-code': e.code || '' },
      what !== `ge.err.${e.code}` ? h('p', { class: 'edit-error-what' }, what) : null,
      h('p', { class: 'small' }, what !== `ge.err.${e.code}` ? t('ge.err.server', { message: e.message }) : e.message));
  }

  function renderPanel() {
    const name = grid ? localName(grid) || grid.code : '';
    const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'ge-save', disabled: m.busy },
      m.busy ? t('ge.saving') : t(isLine ? 'ge.save.split' : 'ge.save'));
    const form = h('form', { class: 'edit-form', id: 'grid-edit-form', novalidate: true },
      isLine ? h('h3', { class: 'sub-title' }, t('ge.new.title')) : null,
      h('div', { class: 'edit-fields' },
        textField('code', { maxlength: 64 }), textField('name_zh', { maxlength: 50 }), textField('name_en', { maxlength: 50 }),
        isLine ? null : levelFields()),
      pointList(),
      errorBox(),
      h('div', { class: 'form-actions edit-actions' }, save,
        h('button', { type: 'button', class: 'btn btn-ghost', id: 'ge-cancel', onclick: () => opts.onCancel() }, t('ge.cancel'))));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); submit(); });
    el.root.replaceChildren(
      h('h2', { class: 'panel-title', id: 'panel-title', 'data-testid': 'edit-title' },
        t(`ge.title.${mode}`, { name })),
      h('p', { class: 'hint edit-hint' }, t(`ge.hint.${mode}`)),
      form);
  }

  async function submit() {
    const need = isLine ? 2 : 3;
    if (m.points.length < need) {
      m.local = t(isLine ? 'ge.need2' : 'ge.need3');
      renderPanel();
      return;
    }
    m.busy = true;
    m.error = null;
    m.local = null;
    renderPanel();
    const ring = m.points.map((p) => [round7(p[0]), round7(p[1])]);
    try {
      let message;
      let select;
      if (mode === 'split') {
        const body = { code: m.code.trim(), name_zh: m.name_zh.trim(), line: { type: 'LineString', coordinates: ring } };
        if (m.name_en.trim()) body.name_en = m.name_en.trim();
        const r = await api('POST', `/grids/${grid.id}/split`, { body, headers: { 'If-Match': etag || '*' } });
        message = t('ge.splitdone', { name: localName(r.data.grid), new: `${localName(r.data.new_grid)} ${r.data.new_grid.code}` });
        select = r.data.new_grid.id;
      } else {
        const body = {
          code: m.code.trim(), name_zh: m.name_zh.trim(), name_en: m.name_en.trim(), level: m.level,
          geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]]] },
        };
        if (m.level !== 'town' && m.parent_id) body.parent_id = m.parent_id;
        const r = mode === 'draw'
          ? await api('POST', '/grids', { body })
          : await api('PUT', `/grids/${grid.id}`, { body, headers: { 'If-Match': etag || '*' } });
        message = t(mode === 'draw' ? 'ge.made' : 'ge.saved', { name: `${localName(r.data.grid)} ${r.data.grid.code}` });
        select = r.data.grid.id;
      }
      m.busy = false;
      opts.onDone(message, select);
    } catch (e) {
      m.busy = false;
      m.error = { code: e.code, message: e.message, detail: e.detail, errors: e.errors || [] };
      drawLayer();
      renderPanel();
      const box = el.root.querySelector('[data-testid=edit-error], .field-error');
      if (box && box.scrollIntoView) box.scrollIntoView({ block: 'nearest' });
    }
  }

  return {
    mode,
    grid,
    attach,
    panel() { renderPanel(); return el.root; },
    destroy() {
      window.removeEventListener('resize', resized);
      resized.cancel();
      if (el.layer) el.layer.remove();
      if (el.svg) el.svg.classList.remove('is-editing');
    },
  };
}

// The grid a boundary is edited or cut from, read afresh with its version.
export async function loadForEdit(id) {
  const r = await api('GET', `/grids/${id}`);
  return { grid: r.data.grid, etag: r.etag };
}

// The buttons of the map's side panel and toolbar that open the editor.
// A grid with grids inside it is not split (they would straddle the cut).
export function editButtons(g, start, splittable) {
  return h('div', { class: 'edit-buttons' },
    mayEditShape(g) ? h('button', { type: 'button', class: 'btn btn-secondary', id: 'grid-edit-shape', onclick: () => start('edit', g) },
      icon('edit'), h('span', null, t('ge.edit'))) : null,
    splittable ? h('button', { type: 'button', class: 'btn btn-secondary', id: 'grid-split', onclick: () => start('split', g) },
      h('span', null, t('ge.split'))) : null);
}

export function drawButton(start) {
  return h('button', { type: 'button', class: 'btn btn-primary', id: 'grid-draw', onclick: () => start('draw', null) },
    icon('plus'), h('span', null, t('ge.draw')));
}
