// Reads the entries of a ZIP archive (an XLSX) from its central directory,
// written from the format's description (PKWARE APPNOTE 4.3.12, 4.3.16),
// for tests that check what a spreadsheet holds.
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export function unzip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip archive');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = new Map();
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28);
    const xlen = buf.readUInt16LE(p + 30);
    const clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
    const lstart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(lstart, lstart + csize);
    files.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    p += 46 + nlen + xlen + clen;
  }
  return files;
}

// The cells of the first sheet as {ref: {t, v, s}}: type, value, style.
export function sheetCells(files) {
  const xml = files.get('xl/worksheets/sheet1.xml');
  const shared = [...(files.get('xl/sharedStrings.xml') || '').matchAll(/<si>(.*?)<\/si>/gs)]
    .map((m) => [...m[1].matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((t) => t[1]).join(''));
  const cells = {};
  for (const m of xml.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
    const attrs = m[2];
    const t = (/ t="(\w+)"/.exec(attrs) || [])[1] || 'n';
    const s = Number((/ s="(\d+)"/.exec(attrs) || [])[1] || 0);
    let v = (/<v>(.*?)<\/v>/s.exec(m[3] || '') || [])[1];
    if (t === 's') v = shared[Number(v)];
    cells[m[1]] = { t, v, s };
  }
  return { xml, cells };
}

// CRC-32 (ISO 3309, as ZIP uses it), by the table.
const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// A ZIP archive of {name: text or bytes} entries, stored, or deflated
// when { deflate: true }.
export function zip(entries, { deflate = false } = {}) {
  const locals = []; const centrals = []; let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const n = Buffer.from(name, 'utf8'); const raw = Buffer.from(content); const crc = crc32(raw);
    const d = deflate ? deflateRawSync(raw) : raw; const method = deflate ? 8 : 0;
    const l = Buffer.alloc(30);
    l.writeUInt32LE(0x04034b50, 0); l.writeUInt16LE(20, 4); l.writeUInt16LE(0x0800, 6);
    l.writeUInt16LE(method, 8); l.writeUInt32LE(crc, 14); l.writeUInt32LE(d.length, 18);
    l.writeUInt32LE(raw.length, 22); l.writeUInt16LE(n.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(20, 4); c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8); c.writeUInt16LE(method, 10); c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(d.length, 20); c.writeUInt32LE(raw.length, 24); c.writeUInt16LE(n.length, 28);
    c.writeUInt32LE(offset, 42);
    locals.push(l, n, d); centrals.push(c, n);
    offset += 30 + n.length + d.length;
  }
  const cd = Buffer.concat(centrals); const e = Buffer.alloc(22);
  const count = Object.keys(entries).length;
  e.writeUInt32LE(0x06054b50, 0); e.writeUInt16LE(count, 8); e.writeUInt16LE(count, 10);
  e.writeUInt32LE(cd.length, 12); e.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, e]);
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
// A workbook of one sheet from rows of cells: numbers as numbers, the rest
// as inline strings, as some writers store them.
export function xlsxOf(rows) {
  const col = (i) => (i >= 26 ? col(Math.floor(i / 26) - 1) : '') + String.fromCharCode(65 + (i % 26));
  const body = rows.map((cells, r) => `<row r="${r + 1}">${cells.map((v, i) => {
    const ref = `${col(i)}${r + 1}`;
    if (v === '' || v === null || v === undefined) return '';
    return typeof v === 'number' ? `<c r="${ref}"><v>${v}</v></c>`
      : `<c r="${ref}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
  }).join('')}</row>`).join('');
  return workbook(`<worksheet xmlns="${NS}"><sheetData>${body}</sheetData></worksheet>`);
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
// A workbook whose first sheet is the part given (text or bytes), or none
// when sheet is null; deflated when asked.
export function workbook(sheet, opts = {}) {
  const parts = {
    'xl/workbook.xml': `<workbook xmlns="${NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
  };
  if (sheet !== null) parts['xl/worksheets/sheet1.xml'] = sheet;
  return zip(parts, opts);
}
