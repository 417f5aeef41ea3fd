// The bulletin for the officers who write it: every item of their places,
// drafts too (/bulletin/manage), and the editor (/bulletin/new,
// /bulletin/{id}/edit): title, date, tags and a Markdown body with a
// preview the server renders under the rules of publishing, images
// uploaded into the body, and draft, publish, take down, delete. Every
// refusal is shown at its field.
import { h } from '../dom.js';
import '../bul-i18n.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { htmlNodes, formatDay, mayWrite, statusBadge } from '../bulkit.js';

export async function render(ctx) {
  const { root, app, params } = ctx;
  if (!mayWrite(app.user)) {
    root.replaceChildren(h('div', { class: 'alert alert-error', role: 'alert' }, t('common.forbidden')));
    return null;
  }
  if (params.manage) return renderManage(ctx);
  return renderEditor(ctx);
}

async function renderManage(ctx) {
  const { root, app, query } = ctx;
  const status = query.get('status') || 'all';
  const state = { items: [], next: null, error: null };
  app.setTitle(t('bul.manage.title'));
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  async function page() {
    const r = await api('GET', '/bulletin', { query: { status, limit: 50, cursor: state.next } });
    state.items.push(...r.data.items);
    state.next = r.data.next;
  }
  try { await page(); } catch (e) { state.error = e.message; }
  if (!ctx.alive()) return null;

  function draw() {
    app.setTitle(t('bul.manage.title'));
    const sel = h('select', { id: 'bul-status-filter', class: 'input' },
      ['all', 'draft', 'published', 'unpublished'].map((s) => h('option', { value: s }, s === 'all' ? t('bul.all') : t(`bul.status.${s}`))));
    sel.value = status;
    sel.addEventListener('change', () => app.navigate(`/bulletin/manage?status=${sel.value}`));
    const head = h('div', { class: 'page-head bul-head' },
      h('div', null, h('h1', null, t('bul.manage.title')), h('p', { class: 'muted' }, t('bul.manage.intro'))),
      h('div', { class: 'bul-tools' }, h('a', { class: 'btn btn-primary', href: '/bulletin/new', 'data-testid': 'write-link' }, t('bul.write'))));
    const filter = h('div', { class: 'field bul-filter' }, h('label', { for: 'bul-status-filter' }, t('bul.manage.status')), sel);
    let more = null;
    if (state.next) {
      more = h('button', { type: 'button', class: 'btn btn-ghost bul-more' }, t('bul.more.items'));
      more.addEventListener('click', async () => {
        more.disabled = true;
        try { await page(); } catch (e) { state.error = e.message; }
        if (ctx.alive()) draw();
      });
    }
    const list = state.error ? h('div', { class: 'alert alert-error', role: 'alert' }, state.error)
      : !state.items.length ? h('p', { class: 'muted' }, t('bul.manage.empty'))
        : h('ul', { class: 'bul-manage-list' }, state.items.map((b) => h('li', { class: 'card bul-manage-row', 'data-testid': 'manage-item', 'data-id': b.id },
          h('a', { class: 'bul-manage-title', href: `/bulletin/${b.id}/edit` }, b.title),
          h('div', { class: 'bulletin-meta' }, h('time', { datetime: b.date }, formatDay(b.date)), statusBadge(b.status),
            h('span', { class: 'muted' }, b.jurisdiction ? b.jurisdiction.name_zh : '')))));
    root.replaceChildren(h('div', { class: 'narrow' }, head, filter, list, more));
  }
  draw();
  return { onLang: draw };
}

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const splitTags = (s) => s.split(/[\s,，、]+/).map((x) => x.trim()).filter(Boolean);

async function renderEditor(ctx) {
  const { root, app, params } = ctx;
  const state = {
    item: null, etag: null, error: null, errs: {}, general: null, busy: false, preview: null, previewError: null,
    draft: { title: '', date: today(), tags: '', body: '' },
  };
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  async function load(id) {
    const r = await api('GET', `/bulletin/${id}`);
    state.item = r.data;
    state.etag = r.etag;
    state.draft = { title: r.data.title, date: r.data.date, tags: r.data.tags.join(' '), body: r.data.body };
  }
  if (params.id) {
    try { await load(params.id); } catch (e) { state.error = e.message; }
  }
  if (!ctx.alive()) return null;
  const d = () => state.draft;

  // The server's refusal, each field's message at its field.
  function refused(e) {
    state.errs = {};
    state.general = null;
    if (e.status === 412) { state.general = t('bul.stale'); return; }
    const list = e.errors && e.errors.length ? e.errors : [{ field: null, message: e.message }];
    for (const x of list) {
      const f = x.field && x.field.startsWith('tags') ? 'tags' : x.field;
      if (f && ['title', 'date', 'tags', 'body', 'image'].includes(f)) (state.errs[f] ||= []).push(x.message);
      else state.general = x.message;
    }
  }

  async function run(fn, flash) {
    if (state.busy) return;
    state.busy = true;
    draw();
    try {
      await fn();
      state.errs = {};
      state.general = null;
      if (flash) app.flash(flash);
    } catch (e) {
      refused(e);
    }
    state.busy = false;
    if (ctx.alive()) draw();
  }

  function fields() {
    return { title: d().title, date: d().date, tags: splitTags(d().tags), body: d().body };
  }

  async function save() {
    if (state.item) {
      const r = await api('PATCH', `/bulletin/${state.item.id}`, { body: fields(), headers: { 'If-Match': state.etag } });
      state.item = r.data;
      state.etag = r.etag;
    } else {
      const r = await api('POST', '/bulletin', { body: fields() });
      state.item = r.data;
      state.etag = r.etag;
      app.flash(t('bul.saved'));
      app.navigate(`/bulletin/${r.data.id}/edit`, { replace: true });
    }
  }

  async function status(action) {
    // Unsaved edits first, so that what is published is what is shown.
    await save();
    const r = await api('POST', `/bulletin/${state.item.id}/${action}`, { headers: { 'If-Match': state.etag } });
    state.item = r.data;
    state.etag = r.etag;
  }

  async function preview() {
    state.previewError = null;
    try {
      state.preview = (await api('POST', '/bulletin/preview', { body: { body: d().body } })).data.html;
      delete state.errs.body;
    } catch (e) {
      state.preview = null;
      refused(e);
    }
  }

  async function upload(file) {
    const r = await api('POST', `/bulletin/${state.item.id}/images`, { raw: file, contentType: file.type || 'application/octet-stream' });
    insert(r.data.markdown);
    // The list of images again; the draft keeps what is being typed.
    state.item.images = (await api('GET', `/bulletin/${state.item.id}`)).data.images;
  }

  let bodyEl = null;
  function insert(md) {
    const el = bodyEl;
    const text = d().body;
    const at = el && el === document.activeElement ? el.selectionEnd : text.length;
    const sep = at > 0 && !text.slice(0, at).endsWith('\n\n') ? (text.slice(0, at).endsWith('\n') ? '\n' : '\n\n') : '';
    d().body = `${text.slice(0, at)}${sep}${md}\n${text.slice(at)}`;
    if (el) el.value = d().body;
  }

  function errorsAt(f) {
    return (state.errs[f] || []).map((m) => h('p', { class: 'field-error', 'data-field': f, role: 'alert' }, m));
  }
  function field(f, control, hint) {
    if ((state.errs[f] || []).length) control.setAttribute('aria-invalid', 'true');
    return h('div', { class: ['field', f === 'body' && 'field-wide'], 'data-path': f },
      h('label', { for: control.id }, t(`bul.field.${f}`)), control,
      hint ? h('p', { class: 'hint muted small' }, hint) : null, errorsAt(f));
  }
  function input(f, attrs = {}) {
    const el = h(attrs.tag || 'input', { id: `bul-${f}`, class: ['input', attrs.tag === 'textarea' && 'textarea'], ...attrs, tag: null, value: d()[f] });
    el.addEventListener('input', () => { d()[f] = el.value; });
    return el;
  }

  function draw() {
    const it = state.item;
    app.setTitle(it ? t('bul.edit.title') : t('bul.new.title'));
    if (state.error) {
      root.replaceChildren(h('div', { class: 'alert alert-error', role: 'alert' }, state.error));
      return;
    }
    bodyEl = input('body', { tag: 'textarea', rows: 14, spellcheck: 'false' });
    const file = h('input', { id: 'bul-image', type: 'file', class: 'input', accept: 'image/png,image/jpeg,image/webp', disabled: !it || state.busy });
    file.addEventListener('change', () => {
      const f = file.files && file.files[0];
      if (f) run(() => upload(f));
    });
    const images = it && it.images && it.images.length ? h('ul', { class: 'bul-images' }, it.images.map((im) => h('li', null,
      h('img', { src: im.url, alt: '', width: 64, height: Math.max(1, Math.round(64 * im.height / im.width)) }),
      h('button', { type: 'button', class: 'btn btn-link', onclick: () => insert(im.markdown) }, t('bul.image.insert'))))) : null;
    const btn = (key, id, onclick, cls = 'btn-ghost') => h('button', { type: 'button', class: ['btn', cls], id, disabled: state.busy, onclick }, t(key));
    const actions = h('div', { class: 'form-actions bul-actions' },
      btn('bul.preview', 'bul-preview', () => run(preview)),
      btn(it ? 'bul.save.changes' : 'bul.save', 'bul-save', () => run(save, it ? t('bul.saved') : null), 'btn-primary'),
      it && it.status !== 'published' ? btn('bul.publish', 'bul-publish', () => run(() => status('publish'), t('bul.published.flash'))) : null,
      it && it.status === 'published' ? btn('bul.unpublish', 'bul-unpublish', () => run(() => status('unpublish'), t('bul.unpublished.flash'))) : null,
      it && it.status === 'draft' ? btn('bul.delete', 'bul-delete', () => {
        if (!window.confirm(t('bul.delete.confirm'))) return;
        run(async () => {
          await api('DELETE', `/bulletin/${it.id}`);
          app.flash(t('bul.deleted'));
          app.navigate('/bulletin/manage');
        });
      }) : null);
    const previewBox = h('section', { class: 'card bul-preview', 'aria-live': 'polite', 'data-testid': 'preview' },
      h('h2', { class: 'card-title' }, t('bul.preview.title')),
      state.preview === null ? h('p', { class: 'muted' }, t('bul.preview.empty'))
        : h('div', { class: 'bulletin-body bul-html' }, htmlNodes(state.preview, 2)));
    root.replaceChildren(h('div', { class: 'narrow' },
      h('p', null, h('a', { href: '/bulletin/manage' }, t('bul.manage'))),
      h('div', { class: 'page-head' }, h('div', null,
        h('h1', null, it ? t('bul.edit.title') : t('bul.new.title')),
        it ? h('p', { class: 'muted', 'data-testid': 'item-status' }, statusBadge(it.status),
          it.status === 'published' ? [' ', h('a', { href: `/bulletin/${it.id}` }, it.title)] : null) : null)),
      state.general ? h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'form-error' }, state.general) : null,
      h('form', { class: 'card form-section bul-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); run(save); } },
        h('div', { class: 'form-grid' },
          h('div', { class: 'field-wide' }, field('title', input('title', { maxlength: 200, required: true }))),
          field('date', input('date', { type: 'date', required: true })),
          field('tags', input('tags', {}), t('bul.field.tags.hint')),
          h('div', { class: 'field-wide' }, field('body', bodyEl, t('bul.field.body.hint'))),
          h('div', { class: 'field-wide' }, field('image', file, it ? t('bul.field.image.hint') : t('bul.field.image.save')), images)),
        actions),
      previewBox));
  }
  draw();
  return { onLang: draw };
}
