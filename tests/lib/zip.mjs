// Reads the entries of a ZIP archive (an XLSX) from its central directory,
// written from the format's description (PKWARE APPNOTE 4.3.12, 4.3.16),
// for tests that check what a spreadsheet holds.
import { inflateRawSync } from 'node:zlib';

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
