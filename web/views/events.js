// The calendar of events (/events): a year's salons, roundtables,
// classes and alliance meetings the caller reads (GET /api/v1/events),
// month by month; for those who run events, the quarters a cluster held
// none (GET /events/alerts) and the form of a new event; for everyone,
// the address of a calendar feed to subscribe to.
import '../evt-i18n.js';
import { h, icon, keepFocus, kept } from '../dom.js';
import { t, localName } from '../i18n.js';
import { api, getClusters } from '../api.js';
import { exportButton } from '../export.js';
import { mayReadEvents as inMenu } from '../access.js';

// Grid workers read no events; everyone else signed in reads some.
export { inMenu };
export const mayOrganise = (user) => Boolean(user && ['admin', 'officer', 'secretary'].includes(user.role));

export function stateBadge(state) {
  return h('span', { class: `badge evt-state evt-state-${state}`, 'data-state': state }, t(`evt.state.${state}`));
}

export function when(e) {
  const day = e.starts_at.slice(0, 10);
  return `${day} ${e.starts_at.slice(11)}–${e.ends_at.slice(0, 10) === day ? e.ends_at.slice(11) : e.ends_at.replace('T', ' ')}`;
}

export async function render(ctx) {
  const { root, app, query } = ctx;
  const user = app.user;
  const thisYear = Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4));
  const year = Number(query.get('year')) || thisYear;
  // draft: the new event's fields as typed, which the form is drawn
  // from: the page is drawn anew when an answer arrives (a refusal, the
  // feed's address asked for meanwhile).
  const state = { items: [], alerts: null, kinds: [], clusters: [], error: null, form: false, errs: {}, feed: null, draft: {} };

  app.setTitle(t('evt.title'));
  if (!inMenu(user)) {
    root.replaceChildren(h('div', { class: 'alert alert-error', role: 'alert' }, t('common.forbidden')));
    return null;
  }
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  try {
    const [list, kinds] = await Promise.all([
      api('GET', '/events', { query: { from: `${year}-01-01`, to: `${year + 1}-01-01`, limit: 500 } }),
      api('GET', '/event-kinds'),
    ]);
    state.items = list.data.items;
    state.kinds = kinds.data.items.filter((k) => k.active);
    if (mayOrganise(user)) {
      state.alerts = (await api('GET', '/events/alerts', { query: { year } })).data.items;
      state.clusters = await getClusters();
    }
  } catch (e) {
    state.error = e.message;
  }
  if (!ctx.alive()) return null;

  async function create(ev) {
    ev.preventDefault();
    const f = ev.target;
    const body = {
      kind: f.kind.value, title: f.title.value.trim(),
      organiser: { type: 'cluster', id: Number(f.organiser.value) },
      starts_at: f.starts_at.value, ends_at: f.ends_at.value, place: f.place.value.trim(),
    };
    state.errs = {};
    try {
      // The cluster's active enterprises, when asked: a salon of the cluster.
      if (f.invite_all.checked) {
        const r = await api('GET', '/enterprises', { query: { cluster: body.organiser.id, status: 'active', located: 'all', limit: 500 } });
        body.enterprises = r.data.items.map((x) => x.id);
      }
      const r = await api('POST', '/events', { body });
      app.navigate(`/events/${r.data.id}`);
    } catch (e) {
      for (const fe of e.errors.length ? e.errors : [{ field: 'general', message: e.message }]) {
        state.errs[(fe.field || 'general').split('.')[0]] = fe.message;
      }
      draw();
    }
  }

  // The year's events as the calendar shows them.
  function exportSpec() {
    return {
      name: `events-${year}`, path: '/events', query: { from: `${year}-01-01`, to: `${year + 1}-01-01` }, limit: 500,
      columns: [
        { head: () => t('evt.field.title'), value: (e) => e.title },
        { head: () => t('evt.field.kind'), value: (e) => localName(e.kind) },
        { head: () => t('evt.field.organiser'), value: (e) => localName(e.organiser) },
        { head: () => t('xcol.when'), value: (e) => when(e) },
        { head: () => t('evt.field.place'), value: (e) => e.place || '' },
        { head: () => t('xcol.state'), value: (e) => t(`evt.state.${e.state}`) },
      ],
    };
  }

  async function feed() {
    try {
      const r = await api('POST', '/calendars/token');
      state.feed = new URL(r.data.feeds.user, location.origin).href;
    } catch (e) {
      state.feed = e.message;
    }
    draw();
  }

  function field(key, input) {
    return h('div', { class: 'field', 'data-for': key },
      h('label', { for: `evt-${key}` }, t(`evt.field.${key}`)), input,
      state.errs[key] ? h('p', { class: 'field-error', role: 'alert' }, state.errs[key]) : null);
  }

  function form() {
    const own = user.role === 'secretary' ? state.clusters.filter((c) => c.id === user.cluster_id) : state.clusters;
    const d = state.draft;
    return h('form', { class: 'card evt-form', id: 'event-form', onsubmit: create, novalidate: true },
      h('h2', { class: 'card-title' }, t('evt.new.title')),
      h('div', { class: 'evt-form-grid' },
        field('kind', kept(h('select', { id: 'evt-kind', name: 'kind', class: 'input' },
          state.kinds.map((k) => h('option', { value: k.code }, localName(k)))), d, 'kind')),
        field('title', kept(h('input', { id: 'evt-title', name: 'title', class: 'input', maxlength: 100 }), d, 'title')),
        field('organiser', kept(h('select', { id: 'evt-organiser', name: 'organiser', class: 'input' },
          own.map((c) => h('option', { value: c.id }, localName(c)))), d, 'organiser')),
        field('starts_at', kept(h('input', { id: 'evt-starts_at', name: 'starts_at', type: 'datetime-local', class: 'input' }), d, 'starts_at')),
        field('ends_at', kept(h('input', { id: 'evt-ends_at', name: 'ends_at', type: 'datetime-local', class: 'input' }), d, 'ends_at')),
        field('place', kept(h('input', { id: 'evt-place', name: 'place', class: 'input', maxlength: 200 }), d, 'place'))),
      h('label', { class: 'checkbox-label' },
        kept(h('input', { type: 'checkbox', class: 'checkbox', id: 'evt-invite-all', name: 'invite_all', checked: true }), d, 'invite_all'),
        ' ', t('evt.invite_all')),
      state.errs.general || state.errs.organiser
        ? h('p', { class: 'field-error', role: 'alert' }, state.errs.general || state.errs.organiser) : null,
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary', id: 'event-create' }, t('evt.create')),
        h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => { state.form = false; state.draft = {}; draw(); } }, t('evt.cancel'))));
  }

  function alerts() {
    if (!state.alerts) return null;
    return h('section', { class: 'card evt-alerts', 'data-testid': 'event-alerts' },
      h('h2', { class: 'card-title' }, t('evt.alerts')),
      state.alerts.length
        ? h('ul', { class: 'evt-alert-list' }, state.alerts.flatMap((it) => it.alerts.map((a) => h('li', {
          class: `evt-alert evt-alert-${a.level}`, 'data-testid': 'event-alert', 'data-quarter': a.quarter,
        }, t('evt.alert.no_event', { cluster: localName(it.cluster), quarter: a.quarter })))))
        : h('p', { class: 'muted' }, t('evt.alerts.none')));
  }

  function months() {
    if (!state.items.length) return h('p', { class: 'muted', 'data-testid': 'events-empty' }, t('evt.none'));
    const by = new Map();
    for (const e of state.items) {
      const m = e.starts_at.slice(0, 7);
      if (!by.has(m)) by.set(m, []);
      by.get(m).push(e);
    }
    return h('div', { class: 'evt-months' }, [...by].map(([m, list]) => h('section', { class: 'evt-month' },
      h('h2', { class: 'evt-month-title' }, m),
      h('ul', { class: 'evt-list' }, list.map((e) => h('li', { class: 'card evt-card', 'data-testid': 'event-card', 'data-id': e.id },
        h('div', { class: 'evt-card-head' },
          h('a', { href: `/events/${e.id}`, class: 'evt-card-title' }, e.title),
          stateBadge(e.state)),
        h('p', { class: 'muted small' }, `${when(e)} · ${localName(e.kind)} · ${localName(e.organiser)}`),
        e.place ? h('p', { class: 'muted small' }, e.place) : null))))));
  }

  function draw() {
    keepFocus(root, () => root.replaceChildren(
      h('div', { class: 'page-head' },
        h('div', null, h('h1', null, t('evt.title')), h('p', { class: 'muted' }, t('evt.intro'))),
        h('div', { class: 'evt-head-actions' },
          h('nav', { class: 'evt-years', 'aria-label': t('evt.year') },
            h('a', { href: `/events?year=${year - 1}`, class: 'btn btn-ghost btn-small' }, String(year - 1)),
            h('strong', { class: 'evt-year' }, String(year)),
            h('a', { href: `/events?year=${year + 1}`, class: 'btn btn-ghost btn-small' }, String(year + 1))),
          mayOrganise(user) && !state.form
            ? h('button', { type: 'button', class: 'btn btn-primary', id: 'event-new', onclick: () => { state.form = true; draw(); } },
              icon('plus'), t('evt.new')) : null,
          h('button', { type: 'button', class: 'btn btn-secondary', id: 'event-feed', onclick: feed }, t('evt.feed')),
          exportButton(exportSpec))),
      state.feed ? h('p', { class: 'card evt-feed', 'data-testid': 'event-feed' }, t('evt.feed.ready'), ' ',
        h('code', { class: 'mono' }, state.feed)) : null,
      state.error ? h('div', { class: 'alert alert-error', role: 'alert' }, state.error) : null,
      state.form ? form() : null,
      alerts(),
      months()));
  }

  draw();
  return null;
}
