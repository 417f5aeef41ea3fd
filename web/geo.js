// Plane geometry for the park map: an equirectangular projection of
// WGS84 longitude/latitude (x scaled by cos of the middle latitude, so
// a metre east is as long as a metre north at the park's size), fitted
// into an SVG viewBox, and helpers over GeoJSON polygons.

const RAD = Math.PI / 180;

// The outer rings and holes of a Polygon or MultiPolygon, as a list of
// polygons, each a list of rings of [lon, lat].
export function polygonsOf(geometry) {
  if (!geometry || !Array.isArray(geometry.coordinates)) return [];
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  return [];
}

// [minlon, minlat, maxlon, maxlat] of a geometry, or null.
export function bboxOf(geometry) {
  let b = null;
  for (const poly of polygonsOf(geometry)) {
    for (const ring of poly) {
      for (const [x, y] of ring) {
        if (!b) b = [x, y, x, y];
        else {
          if (x < b[0]) b[0] = x;
          if (y < b[1]) b[1] = y;
          if (x > b[2]) b[2] = x;
          if (y > b[3]) b[3] = y;
        }
      }
    }
  }
  return b;
}

// A projection that fits bbox into width x height (SVG units) with
// pad units of margin on every side (or {top, right, bottom, left}),
// keeping the shape. project([lon, lat]) -> [x, y], y pointing down.
export function fitProjection(bbox, width, height, pad = 0) {
  const p = typeof pad === 'number' ? { top: pad, right: pad, bottom: pad, left: pad } : pad;
  const [minLon, minLat, maxLon, maxLat] = bbox;
  const k = Math.cos(((minLat + maxLat) / 2) * RAD);
  const dw = Math.max((maxLon - minLon) * k, 1e-12);
  const dh = Math.max(maxLat - minLat, 1e-12);
  const innerW = width - p.left - p.right;
  const innerH = height - p.top - p.bottom;
  const s = Math.min(innerW / dw, innerH / dh);
  const ox = p.left + (innerW - dw * s) / 2;
  const oy = p.top + (innerH - dh * s) / 2;
  const project = ([lon, lat]) => [ox + (lon - minLon) * k * s, oy + (maxLat - lat) * s];
  const invert = ([x, y]) => [minLon + (x - ox) / (k * s), maxLat - (y - oy) / s];
  return { project, invert, scale: s, k, width, height };
}

// The height of a viewBox of the given width that fits bbox with pads.
export function fittedHeight(bbox, width, pad = { top: 0, right: 0, bottom: 0, left: 0 }) {
  const [minLon, minLat, maxLon, maxLat] = bbox;
  const k = Math.cos(((minLat + maxLat) / 2) * RAD);
  const innerW = width - pad.left - pad.right;
  return Math.round(innerW * ((maxLat - minLat) / ((maxLon - minLon) * k)) + pad.top + pad.bottom);
}

const fmt = (n) => (Math.round(n * 10) / 10).toString();

// An SVG path's d for a geometry (even-odd rings: holes stay open).
export function pathData(geometry, proj) {
  const parts = [];
  for (const poly of polygonsOf(geometry)) {
    for (const ring of poly) {
      if (ring.length < 2) continue;
      const pts = ring.map((c) => proj.project(c));
      parts.push(`M${pts.map(([x, y]) => `${fmt(x)} ${fmt(y)}`).join('L')}Z`);
    }
  }
  return parts.join('');
}

// An SVG path's d for a polyline of [lon, lat].
export function lineData(coords, proj) {
  return `M${coords.map((c) => proj.project(c)).map(([x, y]) => `${fmt(x)} ${fmt(y)}`).join('L')}`;
}

// The area-weighted centroid of a ring of points (lon/lat or x/y).
export function ringCentroid(ring) {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[i + 1];
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  if (Math.abs(a) < 1e-18) {
    const n = ring.length || 1;
    return [ring.reduce((s, p) => s + p[0], 0) / n, ring.reduce((s, p) => s + p[1], 0) / n];
  }
  return [cx / (3 * a), cy / (3 * a)];
}

// The label point of a geometry: the centroid of its largest shell.
export function labelPoint(geometry) {
  let best = null;
  let bestArea = -1;
  for (const poly of polygonsOf(geometry)) {
    const ring = poly[0];
    if (!ring) continue;
    const b = bboxOf({ type: 'Polygon', coordinates: [ring] });
    const area = (b[2] - b[0]) * (b[3] - b[1]);
    if (area > bestArea) { bestArea = area; best = ring; }
  }
  return best ? ringCentroid(best) : null;
}

function onSegment(p, a, b, eps) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let tt = len2 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2 : 0;
  tt = Math.max(0, Math.min(1, tt));
  const qx = a[0] + tt * dx - p[0];
  const qy = a[1] + tt * dy - p[1];
  return qx * qx + qy * qy <= eps * eps;
}

function segmentsOf(geometry) {
  const out = [];
  for (const poly of polygonsOf(geometry)) {
    for (const ring of poly) {
      for (let i = 0; i + 1 < ring.length; i++) out.push([ring[i], ring[i + 1]]);
    }
  }
  return out;
}

// The boundary two polygons share, as polylines of [lon, lat]: every
// edge of a whose ends both lie on an edge of b (eps in degrees, about
// a metre by default), joined where they meet. The boundary between
// two neighbouring areas, such as the road that splits them.
export function sharedBoundary(a, b, eps = 1e-5) {
  const sb = segmentsOf(b);
  const on = (p) => sb.some(([s0, s1]) => onSegment(p, s0, s1, eps));
  const segs = segmentsOf(a).filter(([p, q]) => on(p) && on(q)
    && (Math.abs(p[0] - q[0]) > eps || Math.abs(p[1] - q[1]) > eps));
  const same = (p, q) => Math.abs(p[0] - q[0]) <= eps && Math.abs(p[1] - q[1]) <= eps;
  const lines = [];
  for (const [p, q] of segs) {
    const head = lines.find((l) => same(l[l.length - 1], p));
    if (head) { head.push(q); continue; }
    const tail = lines.find((l) => same(l[0], q));
    if (tail) { tail.unshift(p); continue; }
    lines.push([p, q]);
  }
  // Join pieces that now meet end to start (a ring's seam).
  for (let i = 0; i < lines.length; i++) {
    for (let j = 0; j < lines.length; j++) {
      if (i !== j && lines[i] && lines[j] && same(lines[i][lines[i].length - 1], lines[j][0])) {
        lines[i] = lines[i].concat(lines[j].slice(1));
        lines[j] = null;
      }
    }
  }
  return lines.filter(Boolean);
}

// The point at a fraction (0..1) of a polyline's length in plane
// coordinates, and the direction there in degrees (for a label).
export function alongLine(points, fraction) {
  const lens = [];
  let total = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const l = Math.hypot(points[i + 1][0] - points[i][0], points[i + 1][1] - points[i][1]);
    lens.push(l);
    total += l;
  }
  let want = total * fraction;
  for (let i = 0; i < lens.length; i++) {
    if (want <= lens[i] || i === lens.length - 1) {
      const f = lens[i] ? Math.min(1, want / lens[i]) : 0;
      const [x0, y0] = points[i];
      const [x1, y1] = points[i + 1];
      return {
        point: [x0 + (x1 - x0) * f, y0 + (y1 - y0) * f],
        angle: (Math.atan2(y1 - y0, x1 - x0) * 180) / Math.PI,
      };
    }
    want -= lens[i];
  }
  return { point: points[0] || [0, 0], angle: 0 };
}

// Whether a point lies inside a geometry (even-odd rule over rings).
export function contains(geometry, [x, y]) {
  let inside = false;
  for (const poly of polygonsOf(geometry)) {
    for (const ring of poly) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}
