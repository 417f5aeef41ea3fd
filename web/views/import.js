// Importing enterprises from a file: a CSV file or an XLSX workbook in the
// layout of the registry's export. The file is first checked by a dry run
// of POST /api/v1/enterprises/import, which lists every bad record by line
// and column; only a file without any is offered for import, which is
// then written all or nothing.
import { h, icon } from '../dom.js';
import { t, formatNumber, addLabels } from '../i18n.js';
import { api } from '../api.js';
import { mayRegister } from '../access.js';

addLabels({
  'import.title': '导入企业',
  'import.intro': '上传 CSV 文件或 Excel 工作簿（XLSX，读取第一个工作表），列与导出的企业名录相同：首行为列名，须有 uscc 和 industry 两列。先检查，全部无误后才能导入；导入要么全部写入，要么一条不写。',
  'import.file': '文件（.csv 或 .xlsx）',
  'import.check': '检查文件',
  'import.checking': '正在检查……',
  'import.run': '导入 {n} 家企业',
  'import.running': '正在导入……',
  'import.ok': '{n} 条记录全部无误，可以导入。',
  'import.bad': '{n} 条记录中有 {b} 条有误，修正后重新检查。未写入任何数据。',
  'import.more': '只列出前 {shown} 个问题（共 {n} 个）。',
  'import.done': '已导入 {n} 家企业。',
  'import.col.line': '行',
  'import.col.column': '列',
  'import.col.problem': '问题',
  'import.record': '整条记录',
  'import.format.csv': 'CSV 文件',
  'import.format.xlsx': 'Excel 工作簿',
  'import.empty': '这个文件没有记录。',
  'import.nofile': '请先选择一个文件。',
  'import.back': '返回企业名录',
  'import.forbidden': '只有镇政府工作人员和管理员可以导入企业。',
}, {
  'import.title': 'Import enterprises',
  'import.intro': 'Upload a CSV file or an Excel workbook (XLSX; its first sheet is read) with the columns of the registry\'s export: the first line names the columns, and uscc and industry are required. The file is checked first and can be imported only when every record is right; an import writes all of it or nothing.',
  'import.file': 'File (.csv or .xlsx)',
  'import.check': 'Check the file',
  'import.checking': 'Checking…',
  'import.run': 'Import {n} {n|enterprise|enterprises}',
  'import.running': 'Importing…',
  'import.ok': '{n|The record is|All {n} records are} right and can be imported.',
  'import.bad': '{b} of {n} {n|record|records} {b|has|have} problems; correct them and check again. Nothing was written.',
  'import.more': 'The first {shown} {shown|problem|problems} of {n} {shown|is|are} listed.',
  'import.done': '{n} {n|enterprise|enterprises} imported.',
  'import.col.line': 'Line',
  'import.col.column': 'Column',
  'import.col.problem': 'Problem',
  'import.record': 'whole record',
  'import.format.csv': 'CSV file',
  'import.format.xlsx': 'Excel workbook',
  'import.empty': 'The file has no records.',
  'import.nofile': 'Choose a file first.',
  'import.back': 'Back to the registry',
  'import.forbidden': 'Only town officers and administrators import enterprises.',
});

const TYPES = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function render(ctx) {
  const { root, app } = ctx;
  app.setTitle(t('import.title'));
  if (!mayRegister(app.user)) {
    root.replaceChildren(h('div', { class: 'alert alert-error', role: 'alert' }, t('import.forbidden')));
    return {};
  }
  const el = {};
  let checked = null; // { file, report } of the last dry run

  el.file = h('input', { type: 'file', id: 'import-file', accept: '.csv,.xlsx,text/csv,' + TYPES.xlsx });
  el.check = h('button', { type: 'submit', class: 'btn btn-primary', id: 'import-check' }, icon('search'), t('import.check'));
  el.run = h('button', { type: 'button', class: 'btn btn-primary', id: 'import-run', hidden: true });
  el.status = h('p', { class: 'list-status', id: 'import-status', role: 'status', 'aria-live': 'polite' });
  el.error = h('div', { class: 'alert alert-error', id: 'import-error', role: 'alert', hidden: true });
  el.problems = h('div', { class: 'import-problems', id: 'import-problems' });

  function fileType(f) {
    return /\.xlsx$/i.test(f.name) ? TYPES.xlsx : TYPES.csv;
  }
  function showError(e) {
    el.error.textContent = e.message;
    el.error.hidden = false;
  }
  async function send(dryRun) {
    const f = el.file.files[0];
    return api('POST', '/enterprises/import', {
      query: dryRun ? { dry_run: 'true' } : {}, raw: await f.arrayBuffer(), contentType: fileType(f),
    });
  }
  function drawReport(r) {
    el.problems.replaceChildren();
    el.run.hidden = true;
    if (!r.records) {
      el.status.textContent = t('import.empty');
      return;
    }
    if (!r.bad) {
      el.status.textContent = t('import.ok', { n: formatNumber(r.records) });
      el.run.textContent = t('import.run', { n: formatNumber(r.records) });
      el.run.hidden = false;
      return;
    }
    el.status.textContent = t('import.bad', { n: formatNumber(r.records), b: formatNumber(r.bad) });
    el.problems.append(h('table', { class: 'data-table', id: 'import-table' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, t('import.col.line')),
        h('th', { scope: 'col' }, t('import.col.column')),
        h('th', { scope: 'col' }, t('import.col.problem')))),
      h('tbody', null, r.items.map((p) => h('tr', { 'data-line': p.line, 'data-column': p.column ?? '' },
        h('td', { class: 'num' }, formatNumber(p.line)),
        h('td', null, p.column ? `${p.column} · ${p.heading}` : t('import.record')),
        h('td', null, p.message))))));
    if (r.problems > r.items.length)
      el.problems.append(h('p', { class: 'muted' }, t('import.more', { shown: formatNumber(r.items.length), n: formatNumber(r.problems) })));
  }

  async function check(ev) {
    ev.preventDefault();
    el.error.hidden = true;
    const f = el.file.files[0];
    if (!f) { el.status.textContent = t('import.nofile'); return; }
    el.check.disabled = true;
    el.status.textContent = t('import.checking');
    try {
      const r = await send(true);
      checked = { file: f, report: r.data };
      drawReport(r.data);
    } catch (e) {
      checked = null;
      el.status.textContent = '';
      el.problems.replaceChildren();
      el.run.hidden = true;
      showError(e);
    } finally {
      el.check.disabled = false;
    }
  }

  el.run.addEventListener('click', async () => {
    if (!checked || checked.file !== el.file.files[0]) return;
    el.run.disabled = true;
    el.status.textContent = t('import.running');
    try {
      const r = await send(false);
      app.flash(t('import.done', { n: formatNumber(r.data.created) }));
      app.navigate('/enterprises');
    } catch (e) {
      el.status.textContent = '';
      showError(e);
    } finally {
      el.run.disabled = false;
    }
  });
  // Another file must be checked before it can be imported.
  el.file.addEventListener('change', () => {
    checked = null;
    el.run.hidden = true;
    el.problems.replaceChildren();
    el.status.textContent = '';
    el.error.hidden = true;
  });

  root.replaceChildren(
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, t('import.title')), h('p', { class: 'muted' }, t('import.intro')))),
    h('form', { class: 'card form-card', id: 'import-form', onsubmit: check },
      h('div', { class: 'field' }, h('label', { for: 'import-file' }, t('import.file')), el.file),
      h('div', { class: 'form-actions' }, el.check, el.run,
        h('a', { href: '/enterprises', class: 'btn btn-ghost' }, t('import.back')))),
    el.error,
    h('section', { class: 'card' }, el.status, el.problems));
  return {};
}
