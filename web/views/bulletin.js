// The public bulletin (the "Party Building Window"), no sign-in needed:
// the list, newest first, a page at a time (/bulletin), a tag's items
// (/bulletin/tags/{tag}) and one item (/bulletin/{id}), each with its
// Atom feed. Officers and admins find the editor from here.
import { h } from '../dom.js';
import '../bul-i18n.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { htmlNodes, formatDay, tagList, tagPath, mayWrite, statusBadge } from '../bulkit.js';

const PREVIEW_BLOCKS = 2;
const PREVIEW_CHARS = 600;
const PAGE = 10;

export async function render(ctx) {
  const { params } = ctx;
  if (params.id) return renderOne(ctx);
  return renderList(ctx);
}

async function renderList(ctx) {
  const { root, app, params } = ctx;
  const tag = params.tag ? decodeURIComponent(params.tag) : null;
  const state = { items: [], next: null, tags: [], error: null, open: new Set(), busy: false };
  const title = () => (tag ? t('bul.tag.title', { tag }) : t('bulletin.title'));
  app.setTitle(title());
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));

  async function page() {
    const r = await api('GET', '/bulletin', { query: { tag, limit: PAGE, cursor: state.next }, noAuthRedirect: true });
    state.items.push(...(r.data.items || []));
    state.next = r.data.next;
  }
  try {
    await page();
    state.tags = (await api('GET', '/bulletin/tags', { noAuthRedirect: true })).data.items || [];
  } catch (e) {
    state.error = e.message;
  }
  if (!ctx.alive()) return null;

  function draw() {
    app.setTitle(title());
    const feed = tag ? `${tagPath(tag)}.atom` : '/bulletin.atom';
    const tools = h('div', { class: 'bul-tools' },
      h('a', { class: 'btn btn-ghost', href: feed, type: 'application/atom+xml', 'data-testid': 'feed-link' },
        tag ? t('bul.feed.tag') : t('bul.feed')),
      mayWrite(app.user) ? h('a', { class: 'btn btn-ghost', href: '/bulletin/manage', 'data-testid': 'manage-link' }, t('bul.manage')) : null,
      mayWrite(app.user) ? h('a', { class: 'btn btn-primary', href: '/bulletin/new', 'data-testid': 'write-link' }, t('bul.write')) : null);
    const head = h('div', { class: 'page-head bul-head' }, h('div', null,
      h('h1', null, title()), h('p', { class: 'muted' }, tag ? t('bul.tag.intro', { tag }) : t('bulletin.intro'))), tools);
    const chips = state.tags.length ? h('nav', { class: 'bul-tags', 'aria-label': t('bulletin.tags') },
      h('ul', { class: 'tag-list' },
        h('li', null, h('a', { class: ['tag', !tag && 'tag-active'], href: '/bulletin', 'aria-current': tag ? null : 'page' }, t('bul.all'))),
        state.tags.map((x) => h('li', null, h('a', {
          class: ['tag', x.tag === tag && 'tag-active'], href: tagPath(x.tag), 'aria-current': x.tag === tag ? 'page' : null,
        }, x.tag))))) : null;
    if (state.error) {
      root.replaceChildren(h('div', { class: 'narrow' }, head, h('div', { class: 'alert alert-error', role: 'alert' }, state.error)));
      return;
    }
    if (!state.items.length) {
      root.replaceChildren(h('div', { class: 'narrow' }, head, chips, h('p', { class: 'muted', 'data-testid': 'empty' }, t('bulletin.empty'))));
      return;
    }
    let more = null;
    if (state.next) {
      more = h('button', { type: 'button', class: 'btn btn-ghost bul-more', 'data-testid': 'more-items', disabled: state.busy }, t('bul.more.items'));
      more.addEventListener('click', async () => {
        state.busy = true;
        more.disabled = true;
        try { await page(); } catch (e) { state.error = e.message; }
        state.busy = false;
        if (ctx.alive()) draw();
      });
    }
    root.replaceChildren(h('div', { class: 'narrow' }, head, chips,
      h('div', { class: 'bulletin-list' }, state.items.map(item)), more));
  }

  function item(b) {
    const blocks = htmlNodes(b.html, 2);
    const long = blocks.length > PREVIEW_BLOCKS || (b.body || '').length > PREVIEW_CHARS;
    const open = state.open.has(b.id);
    const bodyId = `bulletin-body-${b.id}`;
    let toggle = null;
    if (long) {
      toggle = h('button', {
        type: 'button', class: 'btn btn-link', 'aria-expanded': open ? 'true' : 'false', 'aria-controls': bodyId,
      }, open ? t('bulletin.less') : t('bulletin.more'));
      toggle.addEventListener('click', () => {
        if (open) state.open.delete(b.id); else state.open.add(b.id);
        const fresh = item(b);
        article.replaceWith(fresh);
        fresh.querySelector('button[aria-controls]').focus();
      });
    }
    const article = h('article', { class: 'card bulletin-item', 'data-testid': 'bulletin-item', 'data-id': b.id },
      h('header', { class: 'bulletin-head' },
        h('h2', { class: 'bulletin-title' }, h('a', { href: `/bulletin/${b.id}` }, b.title)),
        h('div', { class: 'bulletin-meta' },
          h('time', { datetime: b.date, title: t('bulletin.published') }, formatDay(b.date)),
          b.status !== 'published' ? statusBadge(b.status) : null,
          tagList(b.tags))),
      h('div', { class: ['bulletin-body', 'bul-html', long && !open && 'is-collapsed'], id: bodyId },
        long && !open ? blocks.slice(0, PREVIEW_BLOCKS) : blocks),
      toggle);
    return article;
  }

  draw();
  return { onLang: draw };
}

async function renderOne(ctx) {
  const { root, app, params } = ctx;
  let b = null;
  let error = null;
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  try {
    b = (await api('GET', `/bulletin/${params.id}`, { noAuthRedirect: true })).data;
  } catch (e) {
    error = e.status === 404 ? t('bul.notfound') : e.message;
  }
  if (!ctx.alive()) return null;

  function draw() {
    const back = h('p', null, h('a', { href: '/bulletin' }, t('bul.back')));
    if (error) {
      app.setTitle(t('bulletin.title'));
      root.replaceChildren(h('div', { class: 'narrow' }, back, h('div', { class: 'alert alert-error', role: 'alert' }, error)));
      return;
    }
    app.setTitle(b.title);
    root.replaceChildren(h('div', { class: 'narrow' }, back,
      h('article', { class: 'card bulletin-item bulletin-one', 'data-testid': 'bulletin-item', 'data-id': b.id },
        h('header', { class: 'bulletin-head' },
          h('h1', { class: 'bulletin-title' }, b.title),
          h('div', { class: 'bulletin-meta' },
            h('time', { datetime: b.date, title: t('bulletin.published') }, formatDay(b.date)),
            h('span', null, b.jurisdiction ? b.jurisdiction.name_zh : ''),
            b.status !== 'published' ? statusBadge(b.status) : null,
            tagList(b.tags))),
        h('div', { class: 'bulletin-body bul-html' }, htmlNodes(b.html)),
        mayWrite(app.user) ? h('p', null, h('a', { class: 'btn btn-ghost', href: `/bulletin/${b.id}/edit`, 'data-testid': 'edit-link' }, t('bul.edit'))) : null)));
  }
  draw();
  return { onLang: draw };
}
