// The public bulletin (the "Party Building Window"): no sign-in needed.
import { h } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { api } from '../api.js';

const PREVIEW_PARAGRAPHS = 2;
const PREVIEW_CHARS = 600;

export async function render(ctx) {
  const { root, app } = ctx;
  const state = { items: [], error: null, open: new Set() };
  app.setTitle(t('bulletin.title'));
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  try {
    state.items = (await api('GET', '/bulletin', { noAuthRedirect: true })).data.items || [];
  } catch (e) {
    state.error = e.message;
  }
  if (!ctx.alive()) return null;

  function draw() {
    app.setTitle(t('bulletin.title'));
    const head = h('div', { class: 'page-head' }, h('div', null,
      h('h1', null, t('bulletin.title')), h('p', { class: 'muted' }, t('bulletin.intro'))));
    if (state.error) {
      root.replaceChildren(head, h('div', { class: 'alert alert-error', role: 'alert' }, state.error));
      return;
    }
    if (!state.items.length) {
      root.replaceChildren(head, h('p', { class: 'muted', 'data-testid': 'empty' }, t('bulletin.empty')));
      return;
    }
    root.replaceChildren(h('div', { class: 'narrow' }, head,
      h('div', { class: 'bulletin-list' }, state.items.map(item))));
  }

  function item(b) {
    const tags = (b.tags || '').split(';').map((s) => s.trim()).filter(Boolean);
    const paragraphs = (b.body || '').split(/\n\s*\n|\r\n\s*\r\n/).map((p) => p.trim()).filter(Boolean);
    const long = paragraphs.length > PREVIEW_PARAGRAPHS || (b.body || '').length > PREVIEW_CHARS;
    const open = state.open.has(b.id);
    const bodyId = `bulletin-body-${b.id}`;
    const shown = long && !open ? paragraphs.slice(0, PREVIEW_PARAGRAPHS) : paragraphs;
    let toggle = null;
    if (long) {
      toggle = h('button', {
        type: 'button', class: 'btn btn-link', 'aria-expanded': open ? 'true' : 'false', 'aria-controls': bodyId,
      }, open ? t('bulletin.less') : t('bulletin.more'));
      toggle.addEventListener('click', () => {
        if (open) state.open.delete(b.id); else state.open.add(b.id);
        const fresh = item(b);
        article.replaceWith(fresh);
        fresh.querySelector('button').focus();
      });
    }
    const article = h('article', { class: 'card bulletin-item', 'data-testid': 'bulletin-item', 'data-id': b.id },
      h('header', { class: 'bulletin-head' },
        h('h2', { class: 'bulletin-title' }, b.title),
        h('p', { class: 'bulletin-meta' },
          h('time', { datetime: b.published, title: t('bulletin.published') }, formatDay(b.published)),
          tags.length ? h('ul', { class: 'tag-list', 'aria-label': t('bulletin.tags') },
            tags.map((tg) => h('li', null, h('span', { class: 'tag' }, tg)))) : null)),
      h('div', { class: ['bulletin-body', long && !open && 'is-collapsed'], id: bodyId },
        shown.map((p) => h('p', null, p))),
      toggle);
    return article;
  }

  draw();
  return { onLang: draw };
}

function formatDay(iso) {
  if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso || '';
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(getLang(), { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, d)));
}
