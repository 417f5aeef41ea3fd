// The service catalogue and resource list (/services), open to everyone
// and made for a phone first: a search box (Chinese substrings and
// English words), the categories as chips, "open now", and the services
// as cards a page at a time (GET /api/v1/services). Signed in, an
// officer also picks a status, adds services and sees the offers waiting
// for approval; an enterprise contact offers its own resources and sees
// its requests (its cases of the kind service_request) and its offers.
import { h, icon, keepFocus } from '../dom.js';
import { t, formatDateTime } from '../i18n.js';
import { api } from '../api.js';
import { stateBadge } from '../casekit.js';
import {
  CATEGORIES, STATUSES, mayManage, isEnterprise, categoryName, serviceName, providerName,
  statusBadge, openBadge, todayText,
} from '../svckit.js';
import { exportButton } from '../export.js';

const PAGE = 20;

export async function render(ctx) {
  const { root, app, query } = ctx;
  const user = app.user;
  const staff = mayManage(user);
  const firm = isEnterprise(user);
  const state = {
    q: query.get('q') || '',
    category: CATEGORIES.includes(query.get('category')) ? query.get('category') : '',
    open: query.get('open_now') === '1',
    status: staff && (STATUSES.includes(query.get('status')) || query.get('status') === 'any')
      ? query.get('status') : 'active',
    items: [], next: null, loading: false, loaded: false, error: null,
    pending: null, requests: null, offers: null,
  };
  const el = {};
  let controller = null;

  app.setTitle(t('svc.title'));

  function syncUrl() {
    const p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    if (state.category) p.set('category', state.category);
    if (state.open) p.set('open_now', '1');
    if (staff && state.status !== 'active') p.set('status', state.status);
    const s = p.toString();
    const url = `/services${s ? `?${s}` : ''}`;
    if (location.pathname + location.search !== url) {
      history.replaceState(null, '', url);
      app.pathChanged();
    }
  }

  async function load({ append = false } = {}) {
    if (controller) controller.abort();
    controller = new AbortController();
    state.loading = true;
    state.error = null;
    drawStatus();
    try {
      const r = await api('GET', '/services', {
        signal: controller.signal, noAuthRedirect: true,
        query: {
          q: state.q, category: state.category, open_now: state.open ? 1 : null,
          status: staff && state.status !== 'active' ? state.status : null,
          limit: PAGE, cursor: append ? state.next : null,
        },
      });
      if (!ctx.alive()) return;
      state.items = append ? state.items.concat(r.data.items) : r.data.items;
      state.next = r.data.next;
      state.loaded = true;
    } catch (e) {
      if (e.name === 'AbortError' || !ctx.alive()) return;
      state.error = e.message;
    }
    state.loading = false;
    drawItems();
    drawStatus();
  }

  // What a signed-in caller has of its own: an officer the offers to
  // approve, an enterprise its requests and offers.
  async function loadOwn() {
    try {
      if (staff) {
        const r = await api('GET', '/services', { query: { status: 'pending', limit: 200 } });
        state.pending = r.data.items.length;
      }
      if (firm) {
        const [cases, offers] = await Promise.all([
          api('GET', '/cases', { query: { kind: 'service_request', limit: 50 } }),
          api('GET', '/services', { query: { status: 'any', offered_by: user.enterprise_id, limit: 50 } }),
        ]);
        state.requests = cases.data.items || [];
        state.offers = offers.data.items || [];
      }
    } catch { /* the catalogue works without them */ }
    if (ctx.alive()) drawOwn();
  }

  // The catalogue as the page narrows it, every page of it.
  function exportSpec() {
    return {
      name: 'services', path: '/services', limit: 200,
      query: {
        q: state.q, category: state.category, open_now: state.open ? 1 : null,
        status: staff && state.status !== 'active' ? state.status : null,
      },
      columns: [
        { head: () => t('xcol.name'), value: (s) => serviceName(s) },
        { head: () => t('svc.field.category'), value: (s) => categoryName(s.category.code) },
        { head: () => t('svc.provider'), value: (s) => providerName(s.provider) },
        { head: () => t('svc.status'), value: (s) => t(`svc.status.${s.status}`) },
        { head: () => t('svc.hours'), value: (s) => todayText(s) },
        { head: () => t('xcol.address'), value: (s) => (s.locations[0] && s.locations[0].address) || '' },
        { head: () => t('svc.field.phone'), value: (s) => s.phone || (s.contacts[0] && s.contacts[0].phone) || (s.provider && s.provider.phone) || '' },
        { head: () => t('svc.field.email'), value: (s) => s.email || '' },
        { head: () => t('svc.field.url'), value: (s) => s.url || '' },
      ],
    };
  }

  function card(s) {
    const loc = s.locations[0];
    const phone = s.phone || (s.contacts[0] && s.contacts[0].phone) || s.provider.phone;
    return h('li', { class: 'svc-card card', 'data-testid': 'service-card', 'data-id': s.id, 'data-category': s.category.code },
      h('div', { class: 'svc-card-head' },
        h('span', { class: 'badge svc-cat' }, categoryName(s.category.code)),
        openBadge(s), statusBadge(s.status),
        s.offered_by ? h('span', { class: 'badge badge-accent' }, t('svc.offered')) : null),
      h('h2', { class: 'svc-card-name' }, h('a', { href: `/services/${s.id}`, 'data-testid': 'service-link' }, serviceName(s))),
      h('p', { class: 'svc-card-provider muted' }, providerName(s.provider)),
      h('p', { class: 'svc-card-today' }, todayText(s)),
      loc && loc.address ? h('p', { class: 'svc-card-where small muted' }, icon('pin'), ' ', loc.address) : null,
      phone ? h('a', { class: 'btn btn-secondary btn-touch svc-call', href: `tel:${phone.replace(/[^\d+]/g, '')}` },
        t('svc.call', { phone })) : null);
  }

  function drawItems() {
    if (!el.list) return;
    if (state.loaded && !state.items.length) {
      el.list.replaceChildren(h('li', { class: 'empty card', 'data-testid': 'services-empty' }, t('svc.none')));
    } else {
      el.list.replaceChildren(...state.items.map(card));
    }
    el.more.hidden = !state.next;
  }

  function drawStatus() {
    if (!el.status) return;
    el.status.textContent = state.error ? state.error
      : state.loading ? t('common.loading') : t('svc.shown', { n: state.items.length });
    el.status.className = state.error ? 'alert alert-error' : 'list-status muted';
  }

  function drawOwn() {
    if (!el.own) return;
    const parts = [];
    if (staff && state.pending) {
      parts.push(h('a', { class: 'btn btn-secondary', href: '/services?status=pending', id: 'pending-offers' },
        t('svc.pending', { n: state.pending })));
    }
    if (firm && state.requests) {
      parts.push(h('section', { class: 'card svc-mine', id: 'my-requests', 'aria-labelledby': 'my-requests-title' },
        h('h2', { class: 'card-title', id: 'my-requests-title' }, t('svc.mine.requests')),
        state.requests.length ? h('ul', { class: 'svc-mine-list' }, state.requests.map((c) => h('li', {
          'data-testid': 'my-request', 'data-id': c.id,
        }, h('a', { href: `/cases/${c.id}` }, c.service ? (c.service.name_zh || c.service.name_en) : c.text),
        ' ', stateBadge(c.state), h('span', { class: 'muted small' }, ' ', formatDateTime(c.created_at)))))
          : h('p', { class: 'muted' }, t('svc.mine.requests.none'))));
    }
    if (firm && state.offers && state.offers.length) {
      parts.push(h('section', { class: 'card svc-mine', id: 'my-offers', 'aria-labelledby': 'my-offers-title' },
        h('h2', { class: 'card-title', id: 'my-offers-title' }, t('svc.mine.offers')),
        h('ul', { class: 'svc-mine-list' }, state.offers.map((s) => h('li', { 'data-testid': 'my-offer', 'data-id': s.id },
          h('a', { href: `/services/${s.id}` }, serviceName(s)), ' ',
          h('span', { class: `badge svc-status svc-status-${s.status}` }, t(`svc.status.${s.status}`)))))));
    }
    el.own.replaceChildren(...parts);
  }

  // A chip narrows the list by its category and by what the search box
  // holds, sent or not: the list then answers what the filters show.
  // Only the chips' states change; the box keeps its text and the chip
  // its focus.
  function chips() {
    const box = h('div', { class: 'svc-chips', role: 'group', 'aria-label': t('svc.categories') });
    const mark = () => {
      for (const b of box.children) {
        const on = state.category === (b.dataset.category === 'all' ? '' : b.dataset.category);
        b.classList.toggle('is-on', on);
        b.setAttribute('aria-pressed', on ? 'true' : 'false');
      }
    };
    const chip = (code, text) => h('button', {
      type: 'button', class: 'svc-chip', 'data-category': code || 'all',
      onclick: () => {
        state.category = code;
        state.q = el.q.value.trim();
        syncUrl();
        mark();
        load();
      },
    }, text);
    box.append(chip('', t('svc.category.all')), ...CATEGORIES.map((c) => chip(c, categoryName(c))));
    mark();
    return box;
  }

  function draw() {
    // What is typed and not yet sent stays in the box when the page is
    // drawn again (in the other language).
    const typed = el.q ? el.q.value : state.q;
    const input = h('input', {
      id: 'svc-q', name: 'q', type: 'search', class: 'input input-search', value: typed,
      placeholder: t('svc.search.placeholder'), autocomplete: 'off', enterkeyhint: 'search',
    });
    el.q = input;
    const search = h('form', { class: 'svc-search', role: 'search', id: 'svc-search' },
      h('label', { for: 'svc-q', class: 'visually-hidden' }, t('svc.search')),
      input,
      h('button', { type: 'submit', class: 'btn btn-primary btn-touch', id: 'svc-search-go', 'aria-label': t('svc.search.go') }, icon('search'),
        h('span', null, t('svc.search.go'))));
    search.addEventListener('submit', (ev) => {
      ev.preventDefault();
      state.q = input.value.trim();
      syncUrl();
      load();
    });
    const open = h('input', { type: 'checkbox', id: 'svc-open', checked: state.open });
    open.addEventListener('change', () => { state.open = open.checked; syncUrl(); load(); });
    let status = null;
    if (staff) {
      const s = h('select', { id: 'svc-status', class: 'input' },
        STATUSES.map((x) => h('option', { value: x }, t(`svc.status.${x}`))),
        h('option', { value: 'any' }, t('svc.status.any')));
      s.value = state.status;
      s.addEventListener('change', () => { state.status = s.value; syncUrl(); load(); });
      status = h('div', { class: 'field field-compact svc-status-field' }, h('label', { for: 'svc-status' }, t('svc.status')), s);
    }
    el.list = h('ul', { class: 'svc-list', id: 'service-list', 'aria-live': 'polite' });
    el.status = h('p', { class: 'list-status muted', role: 'status' });
    el.more = h('button', { type: 'button', class: 'btn btn-secondary btn-touch', id: 'svc-more', hidden: true,
      onclick: () => load({ append: true }) }, t('svc.more'));
    el.own = h('div', { class: 'svc-own' });
    keepFocus(root, () => root.replaceChildren(h('div', { class: 'public-page svc-page' },
      h('div', { class: 'page-head' },
        h('div', null, h('h1', null, t('svc.title')), h('p', { class: 'muted' }, t('svc.subtitle'))),
        h('div', { class: 'page-actions' },
          staff ? h('a', { class: 'btn btn-primary', href: '/services/new', id: 'service-new' }, icon('plus'), ' ', t('svc.new'))
            : firm ? h('a', { class: 'btn btn-primary', href: '/services/new', id: 'service-offer' }, icon('plus'), ' ', t('svc.offer'))
              : null,
          exportButton(exportSpec))),
      el.own,
      h('section', { class: 'card svc-filters', 'aria-label': t('list.filters') },
        search, chips(),
        h('div', { class: 'svc-filter-row' },
          h('label', { class: 'svc-check svc-open-toggle', for: 'svc-open' }, open, ' ', t('svc.open_only')), status)),
      el.status, el.list, h('div', { class: 'list-foot' }, el.more))));
    drawItems();
    drawStatus();
    drawOwn();
  }

  draw();
  await load();
  if (user) loadOwn();
  return { onLang() { draw(); } };
}
