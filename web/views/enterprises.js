// The enterprise registry: search, filters, sorting and cursor
// pagination over GET /api/v1/enterprises. The filters live in the
// address bar, so a filtered list can be bookmarked and comes back
// with the browser's Back button.
import { h, icon, debounce } from '../dom.js';
import { t, label, localName, otherName, otherLang, formatNumber, formatDate, isZh } from '../i18n.js';
import { api, getClusters } from '../api.js';
import { cardSection } from '../card.js';
import { mayRegister } from '../access.js';
import { exportButton } from '../export.js';

const STAGES = ['leading', 'upstream', 'midstream', 'downstream', 'service'];
const SIZES = ['micro', 'small', 'medium', 'large'];
const STATUSES = ['active', 'moved_out', 'closed'];
const LOCATED = ['park', 'outside', 'all'];
const SORTS = ['id', 'name', '-name', 'founded', '-founded', 'employees', '-employees'];
const KNOWN_TAGS = ['规上企业', '高新技术企业', '专精特新', '招商引进'];
const FILTER_KEYS = ['q', 'cluster', 'stage', 'size', 'status', 'tag', 'located', 'sort'];
const PAGE = 50;

function readFilters(query) {
  const f = {};
  for (const k of FILTER_KEYS) f[k] = (query.get(k) || '').trim();
  if (!SORTS.includes(f.sort)) f.sort = '';
  if (!LOCATED.includes(f.located)) f.located = '';
  return f;
}

export function render(ctx) {
  const { root, app } = ctx;
  const state = {
    filters: readFilters(ctx.query),
    items: [],
    next: null,
    loading: false,
    error: null,
    clusters: [],
    loaded: false,
  };
  const tags = new Set(KNOWN_TAGS);
  // An enterprise contact's home: its own service contact card above its
  // one-row list (made once, kept across redraws).
  const homeCard = app && app.user && app.user.role === 'enterprise' && app.user.enterprise_id
    ? cardSection(app, app.user.enterprise_id, { title: () => t('card.home.title') }) : null;
  let controller = null;
  let seq = 0;
  const el = {};

  const clusterById = () => new Map(state.clusters.map((c) => [c.id, c]));

  function syncUrl() {
    const p = new URLSearchParams();
    for (const k of FILTER_KEYS) if (state.filters[k]) p.set(k, state.filters[k]);
    const s = p.toString();
    const url = `/enterprises${s ? `?${s}` : ''}`;
    if (location.pathname + location.search !== url) {
      history.replaceState(null, '', url);
      ctx.app.pathChanged();
    }
  }

  async function load({ append = false } = {}) {
    if (controller) controller.abort();
    controller = new AbortController();
    const mySeq = ++seq;
    state.loading = true;
    state.error = null;
    if (!append) syncUrl();
    drawStatus();
    const f = state.filters;
    try {
      const r = await api('GET', '/enterprises', {
        signal: controller.signal,
        query: {
          q: f.q, cluster: f.cluster, stage: f.stage, size: f.size, status: f.status, tag: f.tag,
          located: f.located, sort: f.sort, limit: PAGE, cursor: append ? state.next : undefined,
        },
      });
      if (mySeq !== seq) return;
      const items = r.data.items || [];
      state.items = append ? state.items.concat(items) : items;
      state.next = r.data.next || null;
      for (const it of items) for (const tg of it.tags || []) tags.add(tg);
    } catch (e) {
      if (e.name === 'AbortError' || mySeq !== seq) return;
      state.error = e.message;
      if (!append) { state.items = []; state.next = null; }
    }
    state.loading = false;
    state.loaded = true;
    drawRows();
    drawStatus();
  }

  function setFilter(key, value) {
    if (state.filters[key] === value) return;
    state.filters[key] = value;
    drawSortHeaders();
    load();
  }

  // ---- drawing ----

  function select(id, key, options, anyLabel) {
    const s = h('select', { id, name: key, class: 'input' },
      h('option', { value: '' }, anyLabel),
      options.map(([v, text]) => h('option', { value: v }, text)));
    s.value = state.filters[key];
    s.addEventListener('change', () => setFilter(key, s.value));
    return s;
  }

  function filterField(id, text, control) {
    return h('div', { class: 'field field-compact' }, h('label', { for: id }, text), control);
  }

  function draw() {
    app.setTitle(t('list.title'));
    const f = state.filters;

    // Search: debounced, and quiet while an input method is composing
    // a Chinese word (pinyin letters are not what the user means).
    const search = h('input', {
      id: 'search', type: 'search', name: 'q', class: 'input input-search', value: state.searchText ?? f.q,
      placeholder: t('list.search.placeholder'), autocomplete: 'off', enterkeyhint: 'search',
      'aria-label': t('list.search'),
    });
    let composing = false;
    const runSearch = debounce(() => setFilter('q', search.value.trim()), 300);
    search.addEventListener('compositionstart', () => { composing = true; });
    search.addEventListener('compositionend', () => { composing = false; runSearch(); });
    search.addEventListener('input', () => {
      state.searchText = search.value;
      if (!composing) runSearch();
    });
    search.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && !composing) { ev.preventDefault(); runSearch.flush(); }
    });

    const tagInput = h('input', {
      id: 'filter-tag', name: 'tag', class: 'input', list: 'tag-options', value: f.tag,
      placeholder: t('list.filter.tag.placeholder'), autocomplete: 'off',
    });
    const runTag = debounce(() => setFilter('tag', tagInput.value.trim()), 300);
    tagInput.addEventListener('input', runTag);
    tagInput.addEventListener('change', () => runTag.flush());

    el.clusterSelect = select('filter-cluster', 'cluster', [], t('common.any'));
    fillClusters();
    el.sortSelect = select('sort', 'sort', SORTS.slice(1).map((s) => [s, t(`list.sort.${s}`)]), t('list.sort.id'));

    const reset = h('button', { type: 'button', class: 'btn btn-link', id: 'reset-filters' }, t('list.reset'));
    reset.addEventListener('click', () => {
      for (const k of FILTER_KEYS) state.filters[k] = '';
      state.searchText = '';
      draw();
      load();
    });

    el.tbody = h('tbody');
    el.table = h('table', { class: 'data-table', id: 'enterprise-table' },
      h('caption', { class: 'visually-hidden' }, t('list.caption')),
      h('thead', null, h('tr', null,
        sortHeader('name', t('col.name')),
        h('th', { scope: 'col' }, t('col.uscc')),
        h('th', { scope: 'col' }, t('col.industry')),
        h('th', { scope: 'col' }, t('col.cluster')),
        h('th', { scope: 'col' }, t('col.stage')),
        h('th', { scope: 'col' }, t('col.size')),
        sortHeader('founded', t('col.founded')),
        sortHeader('employees', t('col.employees'), 'num'),
        h('th', { scope: 'col' }, t('col.status')))),
      el.tbody);
    el.status = h('p', { class: 'list-status', id: 'list-status', role: 'status', 'aria-live': 'polite' });
    el.more = h('button', { type: 'button', class: 'btn btn-secondary', id: 'more-button' }, t('list.more'));
    el.more.addEventListener('click', () => load({ append: true }));
    el.error = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });

    if (homeCard) homeCard.redraw();
    root.replaceChildren(
      h('div', { class: 'page-head' },
        h('div', null, h('h1', null, t('list.title')), h('p', { class: 'muted' }, t('list.intro'))),
        h('div', { class: 'ent-actions' },
          mayRegister(app && app.user) ? [
            h('a', { href: '/enterprises/new', class: 'btn btn-primary', id: 'new-link' }, icon('plus'), h('span', null, t('list.new'))),
            h('a', { href: '/enterprises/import', class: 'btn btn-secondary', id: 'import-link' }, t('list.import'))] : null,
          exportButton(exportSpec))),
      ...(homeCard ? [homeCard] : []),
      h('section', { class: 'card toolbar', 'aria-label': t('list.filters') },
        h('div', { class: 'search-row' },
          h('label', { class: 'search-box', for: 'search' }, icon('search'), search),
          h('div', { class: 'sort-box' }, h('label', { for: 'sort' }, t('list.sort')), el.sortSelect),
          reset),
        el.filters = h('details', { class: 'filters', open: filtersOpen() },
          h('summary', { class: 'filters-summary' }, t('list.filters'),
            activeCount() ? h('span', { class: 'count-badge' }, String(activeCount())) : null),
          h('div', { class: 'filter-grid' },
          filterField('filter-cluster', t('list.filter.cluster'), el.clusterSelect),
          filterField('filter-stage', t('list.filter.stage'),
            select('filter-stage', 'stage', STAGES.map((s) => [s, label('stage', s)]), t('common.any'))),
          filterField('filter-size', t('list.filter.size'),
            select('filter-size', 'size', SIZES.map((s) => [s, label('size', s)]), t('common.any'))),
          filterField('filter-status', t('list.filter.status'),
            select('filter-status', 'status', STATUSES.map((s) => [s, label('status', s)]), t('common.any'))),
          filterField('filter-tag', t('list.filter.tag'), tagInput),
          filterField('filter-located', t('list.filter.located'),
            select('filter-located', 'located', LOCATED.slice(1).map((s) => [s, t(`list.located.${s}`)]),
              t('list.located.park'))),
          )),
        h('datalist', { id: 'tag-options' }, [...tags].map((tg) => h('option', { value: tg })))),
      el.error,
      h('section', { class: 'card table-card' }, el.table,
        h('div', { class: 'list-foot' }, el.status, el.more)));
    drawSortHeaders();
    drawRows();
    drawStatus();
  }

  // Filters fold away on a phone unless one of them is in use.
  function filtersOpen() {
    if (el.filters) return el.filters.open || wide.matches;
    return wide.matches || activeCount() > 0;
  }

  function activeCount() {
    return ['cluster', 'stage', 'size', 'status', 'tag', 'located'].filter((k) => state.filters[k]).length;
  }

  function sortHeader(key, text, cls) {
    const btn = h('button', { type: 'button', class: 'sort-button', 'data-sort': key },
      h('span', null, text), h('span', { class: 'sort-indicator' }));
    btn.addEventListener('click', () => {
      const cur = state.filters.sort;
      setFilter('sort', cur === key ? `-${key}` : key);
    });
    return h('th', { scope: 'col', class: cls, 'data-sort-key': key }, btn);
  }

  function drawSortHeaders() {
    if (!el.table) return;
    const cur = state.filters.sort;
    for (const th of el.table.querySelectorAll('th[data-sort-key]')) {
      const key = th.dataset.sortKey;
      const dir = cur === key ? 'ascending' : cur === `-${key}` ? 'descending' : null;
      if (dir) th.setAttribute('aria-sort', dir);
      else th.removeAttribute('aria-sort');
      const ind = th.querySelector('.sort-indicator');
      ind.replaceChildren(icon(dir === 'ascending' ? 'up' : dir === 'descending' ? 'down' : 'sort', 'icon icon-sort'));
      const btn = th.querySelector('button');
      btn.setAttribute('title', t('list.sort.by', { column: btn.firstChild.textContent }));
    }
    if (el.sortSelect) el.sortSelect.value = cur;
  }

  function fillClusters() {
    const s = el.clusterSelect;
    s.replaceChildren(h('option', { value: '' }, t('common.any')),
      ...state.clusters.map((c) => h('option', { value: String(c.id) }, localName(c))));
    // A cluster in the address bar that the list does not know yet
    // stays selected until the names arrive.
    if (state.filters.cluster && !state.clusters.some((c) => String(c.id) === state.filters.cluster)) {
      s.append(h('option', { value: state.filters.cluster }, `#${state.filters.cluster}`));
    }
    s.value = state.filters.cluster;
  }

  function cell(col, content, cls) {
    return h('td', { 'data-label': t(`col.${col}`), 'data-col': col, class: cls }, content);
  }

  function drawRows() {
    if (!el.tbody) return;
    const clusters = clusterById();
    const rows = state.items.map((e) => {
      const other = otherName(e);
      const href = `/enterprises/${e.id}`;
      const cluster = clusters.get(e.cluster_id);
      const industry = (localName(e, 'industry_name_zh', 'industry_name')) || '';
      const tr = h('tr', { 'data-testid': 'enterprise-row', 'data-id': e.id },
        cell('name', h('div', { class: 'name-cell' },
          h('a', { href, class: 'row-link', 'data-testid': 'enterprise-link' }, localName(e) || `#${e.id}`),
          other ? h('span', { class: 'name-other', lang: otherLang() }, other) : null), 'col-name'),
        cell('uscc', h('span', { class: 'mono' }, e.uscc || t('common.none'))),
        cell('industry', h('span', { class: 'industry' },
          e.industry ? h('span', { class: 'code' }, e.industry) : null, industry || (e.industry ? '' : t('common.none')))),
        cell('cluster', cluster ? localName(cluster) : (e.cluster_id ? `#${e.cluster_id}` : t('common.none'))),
        cell('stage', label('stage', e.stage), 'nowrap'),
        cell('size', label('size', e.size), 'nowrap'),
        cell('founded', formatDate(e.founded), 'nowrap'),
        cell('employees', formatNumber(e.employees), 'num'),
        cell('status', h('span', { class: `status status-${e.status}` }, label('status', e.status))));
      tr.addEventListener('click', (ev) => {
        if (ev.target.closest('a, button')) return;
        if (window.getSelection && String(window.getSelection())) return; // copying a USCC
        app.navigate(href);
      });
      return tr;
    });
    if (!rows.length && state.loaded && !state.loading && !state.error) {
      rows.push(h('tr', { class: 'empty-row' },
        h('td', { colspan: 9, class: 'empty', 'data-testid': 'empty' }, t('list.empty'))));
    }
    el.tbody.replaceChildren(...rows);
  }

  function drawStatus() {
    if (!el.status) return;
    el.table.setAttribute('aria-busy', state.loading ? 'true' : 'false');
    root.classList.toggle('is-loading', state.loading);
    if (state.loading && !state.items.length) el.status.textContent = t('common.loading');
    else if (state.next) el.status.textContent = t('list.shown', { n: formatNumber(state.items.length) });
    else if (state.items.length) el.status.textContent = t('list.shown.all', { n: formatNumber(state.items.length) });
    else el.status.textContent = '';
    el.more.hidden = !state.next;
    el.more.disabled = state.loading;
    el.error.hidden = !state.error;
    if (state.error) {
      const retry = h('button', { type: 'button', class: 'btn btn-link' }, t('common.retry'));
      retry.addEventListener('click', () => load());
      el.error.replaceChildren(h('span', null, state.error), ' ', retry);
    }
  }

  // The list with its filters and order, every page of it, as the
  // table shows it.
  function exportSpec() {
    const f = state.filters;
    const clusters = clusterById();
    return {
      name: 'enterprises', path: '/enterprises', limit: 500,
      query: {
        q: f.q, cluster: f.cluster, stage: f.stage, size: f.size, status: f.status, tag: f.tag,
        located: f.located, sort: f.sort,
      },
      columns: [
        { head: () => t('col.name'), value: (e) => localName(e) },
        { head: () => t(isZh() ? 'field.name_en' : 'field.name_zh'), value: (e) => otherName(e) },
        { head: () => t('col.uscc'), value: (e) => e.uscc },
        { head: () => t('col.industry'), value: (e) => [e.industry, localName(e, 'industry_name_zh', 'industry_name')].filter(Boolean).join(' ') },
        { head: () => t('col.cluster'), value: (e) => (clusters.get(e.cluster_id) ? localName(clusters.get(e.cluster_id)) : '') },
        { head: () => t('col.stage'), value: (e) => (e.stage ? label('stage', e.stage) : '') },
        { head: () => t('col.size'), value: (e) => (e.size ? label('size', e.size) : '') },
        { head: () => t('col.founded'), value: (e) => e.founded || '' },
        { head: () => t('col.employees'), value: (e) => e.employees ?? '' },
        { head: () => t('col.status'), value: (e) => label('status', e.status) },
        { head: () => t('field.address'), value: (e) => e.address || '' },
        { head: () => t('field.tags'), value: (e) => (e.tags || []).join('、') },
      ],
    };
  }

  const wide = window.matchMedia('(min-width: 761px)');
  const onWide = () => { if (wide.matches && el.filters) el.filters.open = true; };
  wide.addEventListener('change', onWide);

  draw();
  getClusters().then((cs) => {
    state.clusters = cs;
    if (!ctx.alive()) return;
    fillClusters();
    drawRows();
  }).catch(() => { /* the list still works without cluster names */ });
  load();

  return {
    onLang: () => draw(),
    leave: () => {
      if (controller) controller.abort();
      wide.removeEventListener('change', onWide);
    },
  };
}
