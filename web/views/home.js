// The home page: what each role does first today, each part a figure and
// a short list that link to the whole list behind them.
//   officer, admin   overdue and escalated cases, alerts, the attraction
//                    pipeline, events to come
//   secretary        its cluster: figures, open cases, leads, events
//   grid worker      its round: visits due, other alerts, cards to print,
//                    open cases of its grids
//   handler          its department's inbox by deadline
//   enterprise       its card, open cases, measures it qualifies for,
//                    recommended partners
//   anyone           the residents' portal: suggest, track, what became
//                    of suggestions, services, the bulletin
// Every list is read from the API the list page reads, so the home page
// shows nothing the role could not see there.
import { h } from '../dom.js';
import { t, label, localName, formatNumber, formatDate, formatDateTime, addLabels, streetName } from '../i18n.js';
import { api } from '../api.js';
import { categoryName, stateBadge, lateBadges, deadlineText } from '../casekit.js';
import { cardSection, gridCardsLink } from '../card.js';
import { alertText } from './alerts.js';

addLabels({
  'home.title.officer': '今日工作',
  'home.title.secretary': '集群工作台',
  'home.title.grid_worker': '我的走访',
  'home.title.handler': '待办诉求',
  'home.title.enterprise': '企业服务',
  'home.title.public': '居民服务',
  'home.hello': '{name}，您好。',
  'home.overdue': '超期诉求',
  'home.overdue.none': '没有超期的诉求。',
  'home.overdue.all': '查看全部超期诉求',
  'home.alerts': '企业预警',
  'home.alerts.count': '{n} 家企业有预警',
  'home.alerts.none': '目前没有预警。',
  'home.alerts.all': '查看全部预警',
  'home.pipeline': '招商进展',
  'home.pipeline.count': '在谈项目 {n} 个',
  'home.pipeline.none': '没有在谈的招商项目。',
  'home.pipeline.all': '查看招商进展',
  'home.events': '近期活动',
  'home.events.none': '近期没有安排活动。',
  'home.events.all': '查看全部活动',
  'home.cluster': '本集群',
  'home.cluster.enterprises': '企业 {n} 家',
  'home.cluster.chain': '查看产业链',
  'home.cases.open': '未办结诉求',
  'home.cases.none': '没有未办结的诉求。',
  'home.cases.all': '查看全部诉求',
  'home.round': '待走访企业',
  'home.round.none': '所有企业都已按时走访。',
  'home.round.all': '在地图上查看',
  'home.other.alerts': '其他预警',
  'home.cards': '打印服务联系卡',
  'home.cards.none': '您还没有负责的网格。',
  'home.inbox': '按期限排列',
  'home.inbox.count': '未办结 {n} 件',
  'home.policies': '可享受的政策',
  'home.policies.count': '符合条件 {n} 项，接近条件 {m} 项',
  'home.policies.all': '查看政策',
  'home.partners': '推荐的合作伙伴',
  'home.partners.none': '暂无推荐。',
  'home.partners.all': '查看全部推荐',
  'home.cases.new': '反映问题',
  'home.portal.suggest': '提建议',
  'home.portal.suggest.text': '对社区、街道和园区有想法，随时提出。',
  'home.portal.track': '查进度',
  'home.portal.track.text': '凭查询码查看办理进度和答复。',
  'home.portal.suggestions': '建议去向',
  'home.portal.suggestions.text': '居民建议的采纳和落实情况。',
  'home.portal.services': '办事服务',
  'home.portal.services.text': '政务、企业和社区服务的目录与联系方式。',
  'home.portal.bulletin': '最新公告',
  'home.portal.bulletin.all': '查看全部公告',
  'home.error': '这一部分暂时无法显示：{message}',
}, {
  'home.title.officer': 'Today',
  'home.title.secretary': 'Cluster desk',
  'home.title.grid_worker': 'My round',
  'home.title.handler': 'Inbox',
  'home.title.enterprise': 'Services for the firm',
  'home.title.public': 'Residents\' services',
  'home.hello': 'Hello, {name}.',
  'home.overdue': 'Overdue cases',
  'home.overdue.none': 'No case is overdue.',
  'home.overdue.all': 'All overdue cases',
  'home.alerts': 'Alerts',
  'home.alerts.count': '{n} {n|enterprise|enterprises} with alerts',
  'home.alerts.none': 'No alerts now.',
  'home.alerts.all': 'All alerts',
  'home.pipeline': 'Attraction pipeline',
  'home.pipeline.count': '{n} {n|project|projects} under way',
  'home.pipeline.none': 'No project under way.',
  'home.pipeline.all': 'The pipeline',
  'home.events': 'Events to come',
  'home.events.none': 'No event is planned soon.',
  'home.events.all': 'All events',
  'home.cluster': 'The cluster',
  'home.cluster.enterprises': '{n} {n|enterprise|enterprises}',
  'home.cluster.chain': 'The industrial chain',
  'home.cases.open': 'Open cases',
  'home.cases.none': 'No open case.',
  'home.cases.all': 'All cases',
  'home.round': 'Visits due',
  'home.round.none': 'Every enterprise has been visited in time.',
  'home.round.all': 'On the map',
  'home.other.alerts': 'Other alerts',
  'home.cards': 'Print contact cards',
  'home.cards.none': 'You are on no grid team yet.',
  'home.inbox': 'By deadline',
  'home.inbox.count': '{n} open',
  'home.policies': 'Measures for the firm',
  'home.policies.count': '{n} qualified, {m} nearly',
  'home.policies.all': 'The measures',
  'home.partners': 'Recommended partners',
  'home.partners.none': 'No recommendation yet.',
  'home.partners.all': 'All recommendations',
  'home.cases.new': 'Raise a problem',
  'home.portal.suggest': 'Make a suggestion',
  'home.portal.suggest.text': 'An idea for the community, the street or the park, any time.',
  'home.portal.track': 'Follow a case',
  'home.portal.track.text': 'See progress and the reply with the tracking code.',
  'home.portal.suggestions': 'What became of suggestions',
  'home.portal.suggestions.text': 'Residents\' suggestions, adopted and carried out.',
  'home.portal.services': 'Services',
  'home.portal.services.text': 'Government, business and community services and whom to call.',
  'home.portal.bulletin': 'Latest news',
  'home.portal.bulletin.all': 'All news',
  'home.error': 'This part cannot be shown now: {message}',
});

// The town's date today (UTC+8), YYYY-MM-DD.
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const itemsOf = (d) => (d && d.items) || [];

// A part of the page: a heading with its figure, a body filled once its
// data has arrived, and the link to the whole list.
function panel(id, title) {
  const figure = h('p', { class: 'home-figure', 'data-testid': `${id}-figure` });
  const body = h('div', { class: 'home-body', 'data-testid': `${id}-body` }, h('p', { class: 'muted' }, t('common.loading')));
  const foot = h('div', { class: 'home-foot' });
  const el = h('section', { class: 'card home-panel', id: `home-${id}`, 'data-testid': `home-${id}` },
    h('h2', { class: 'card-title' }, title), figure, body, foot);
  return {
    el,
    fill(fig, content, link) {
      figure.textContent = fig || '';
      figure.hidden = !fig;
      body.replaceChildren(...[].concat(content).filter(Boolean));
      foot.replaceChildren(...(link ? [h('a', { href: link.href, class: 'home-link' }, link.text)] : []));
    },
    failed(e) {
      body.replaceChildren(h('p', { class: 'alert alert-error', role: 'alert' }, t('home.error', { message: e.message })));
    },
  };
}

// Fills a panel from a promise; a part that fails does not stop the
// others.
function fillFrom(p, promise, draw) {
  promise.then((data) => draw(data)).catch((e) => p.failed(e));
  return p.el;
}

function caseList(items) {
  return h('ul', { class: 'home-list' }, items.map((c) => h('li', { class: 'home-item', 'data-testid': 'home-case' },
    h('a', { href: `/cases/${c.id}` }, categoryName(c.category)),
    ' ', stateBadge(c.state), ...lateBadges(c),
    h('div', { class: 'muted small' }, [c.enterprise ? localName(c.enterprise, 'name', 'name_en') : streetName(c.street, c.jurisdiction), deadlineText(c)].filter(Boolean).join(' · ')))));
}

// An event's start: the town's wall-clock time (YYYY-MM-DDTHH:MM, UTC+8).
const townTime = (s) => formatDateTime(/T\d\d:\d\d$/.test(s || '') ? `${s}:00+08:00` : s);

function eventList(items) {
  return h('ul', { class: 'home-list' }, items.map((e) => h('li', { class: 'home-item', 'data-testid': 'home-event' },
    h('a', { href: `/events/${e.id}` }, e.title),
    h('div', { class: 'muted small' }, [townTime(e.starts_at), e.place].filter(Boolean).join(' · ')))));
}

function alertList(groups) {
  return h('ul', { class: 'home-list' }, groups.map((g) => h('li', { class: 'home-item', 'data-testid': 'home-alert' },
    h('a', { href: `/enterprises/${g.enterprise.id}` }, localName(g.enterprise)),
    h('div', { class: 'muted small' }, g.alerts.map(alertText).join('；')))));
}

const OPEN_LEAD = ['contacted', 'visited', 'negotiating', 'signed'];
function pipelineBody(leads) {
  const open = leads.filter((l) => OPEN_LEAD.includes(l.stage));
  return {
    count: open.length,
    body: h('ul', { class: 'home-stages' }, OPEN_LEAD.map((s) => h('li', { 'data-stage': s },
      h('span', { class: 'home-stage-n' }, formatNumber(open.filter((l) => l.stage === s).length)),
      h('span', { class: 'muted small' }, label('lead.stage', s))))),
  };
}

function upcomingEvents(query = {}) {
  return api('GET', '/events', { query: { from: today(), limit: 5, ...query } }).then((r) => r.data);
}
function openCases(query = {}) {
  return api('GET', '/cases', { query: { status: 'open', limit: 100, ...query } }).then((r) => itemsOf(r.data));
}
const byDeadline = (a, b) => String(a.deadline || '').localeCompare(String(b.deadline || ''));

function casesPanel(id, title, query = {}) {
  const p = panel(id, title);
  return fillFrom(p, openCases(query), (items) => {
    items.sort(byDeadline);
    p.fill(t('home.inbox.count', { n: formatNumber(items.length) }),
      items.length ? caseList(items.slice(0, 6)) : h('p', { class: 'muted' }, t('home.cases.none')),
      { href: '/cases', text: t('home.cases.all') });
  });
}

function eventsPanel(query) {
  const p = panel('events', t('home.events'));
  return fillFrom(p, upcomingEvents(query), (d) => {
    const items = itemsOf(d);
    p.fill(null, items.length ? eventList(items) : h('p', { class: 'muted' }, t('home.events.none')),
      { href: '/events', text: t('home.events.all') });
  });
}

function officerHome() {
  const overdue = panel('overdue', t('home.overdue'));
  const alerts = panel('alerts', t('home.alerts'));
  const pipe = panel('pipeline', t('home.pipeline'));
  return [
    fillFrom(overdue, openCases({ overdue: 'true' }), (items) => {
      items.sort(byDeadline);
      overdue.fill(formatNumber(items.length),
        items.length ? caseList(items.slice(0, 6)) : h('p', { class: 'muted' }, t('home.overdue.none')),
        { href: '/cases?tab=overdue', text: t('home.overdue.all') });
    }),
    fillFrom(alerts, api('GET', '/alerts').then((r) => itemsOf(r.data)), (groups) => {
      alerts.fill(t('home.alerts.count', { n: formatNumber(groups.length) }),
        groups.length ? alertList(groups.slice(0, 5)) : h('p', { class: 'muted' }, t('home.alerts.none')),
        { href: '/alerts', text: t('home.alerts.all') });
    }),
    fillFrom(pipe, api('GET', '/leads', { query: { open: 'true' } }).then((r) => itemsOf(r.data)), (leads) => {
      const { count, body } = pipelineBody(leads);
      pipe.fill(t('home.pipeline.count', { n: formatNumber(count) }),
        count ? body : h('p', { class: 'muted' }, t('home.pipeline.none')),
        { href: '/pipeline', text: t('home.pipeline.all') });
    }),
    eventsPanel(),
  ];
}

function secretaryHome(user) {
  const cl = panel('cluster', t('home.cluster'));
  const pipe = panel('pipeline', t('home.pipeline'));
  const id = user.cluster_id;
  return [
    fillFrom(cl, api('GET', `/clusters/${id}`).then((r) => r.data), (c) => {
      cl.fill(t('home.cluster.enterprises', { n: formatNumber(c.enterprises) }),
        h('p', { class: 'home-name', 'data-testid': 'home-cluster-name' }, localName(c)),
        { href: `/clusters/${id}/chain`, text: t('home.cluster.chain') });
    }),
    casesPanel('cases', t('home.cases.open')),
    fillFrom(pipe, api('GET', '/leads', { query: { open: 'true', cluster: id } }).then((r) => itemsOf(r.data)), (leads) => {
      const { count, body } = pipelineBody(leads);
      pipe.fill(t('home.pipeline.count', { n: formatNumber(count) }),
        count ? body : h('p', { class: 'muted' }, t('home.pipeline.none')),
        { href: '/pipeline', text: t('home.pipeline.all') });
    }),
    eventsPanel({ organiser: `cluster:${id}` }),
  ];
}

// The grids whose team the worker is on.
async function myGrids(user) {
  const grids = itemsOf((await api('GET', '/grids')).data);
  const parts = await Promise.all(grids.map((g) => api('GET', `/grids/${g.id}`)));
  return parts.map((p) => p.data).filter((d) => (d.members || []).includes(user.id)).map((d) => d.grid);
}

function gridHome(user) {
  const round = panel('round', t('home.round'));
  const others = panel('other-alerts', t('home.other.alerts'));
  const cards = panel('cards', t('home.cards'));
  const alerts = api('GET', '/alerts').then((r) => itemsOf(r.data));
  const split = (kindWanted, groups) => groups
    .map((g) => ({ ...g, alerts: g.alerts.filter((a) => (a.kind === 'not_visited') === kindWanted) }))
    .filter((g) => g.alerts.length);
  return [
    fillFrom(round, alerts, (groups) => {
      const due = split(true, groups);
      round.fill(formatNumber(due.length),
        due.length ? alertList(due.slice(0, 8)) : h('p', { class: 'muted' }, t('home.round.none')),
        { href: '/map?colour=alerts', text: t('home.round.all') });
    }),
    fillFrom(others, alerts, (groups) => {
      const rest = split(false, groups);
      others.fill(formatNumber(rest.length),
        rest.length ? alertList(rest.slice(0, 5)) : h('p', { class: 'muted' }, t('home.alerts.none')),
        { href: '/alerts', text: t('home.alerts.all') });
    }),
    fillFrom(cards, myGrids(user), (grids) => {
      cards.fill(null, grids.length
        ? h('ul', { class: 'home-list' }, grids.map((g) => h('li', { class: 'home-item', 'data-testid': 'home-grid' },
          h('a', { href: `/grids/${g.id}` }, localName(g)), ' ', gridCardsLink(g, localName(g)))))
        : h('p', { class: 'muted' }, t('home.cards.none')));
    }),
    casesPanel('cases', t('home.cases.open')),
  ];
}

function handlerHome() {
  return [casesPanel('inbox', t('home.inbox'))];
}

function enterpriseHome(app) {
  const id = app.user.enterprise_id;
  const pol = panel('policies', t('home.policies'));
  const partners = panel('partners', t('home.partners'));
  const card = cardSection(app, id, { title: () => t('card.home.title') });
  card.redraw();
  return [
    card,
    casesPanel('cases', t('home.cases.open')),
    fillFrom(pol, api('GET', `/enterprises/${id}/policies`).then((r) => r.data), (d) => {
      const qualified = d.qualified || []; const nearly = d.nearly || [];
      pol.fill(t('home.policies.count', { n: formatNumber(qualified.length), m: formatNumber(nearly.length) }),
        h('ul', { class: 'home-list' }, qualified.slice(0, 5).map((m) => h('li', { class: 'home-item', 'data-testid': 'home-policy' },
          h('a', { href: `/policies/${m.id}` }, localName(m, 'title_zh', 'title_en'))))),
        { href: '/policies', text: t('home.policies.all') });
    }),
    fillFrom(partners, api('GET', `/enterprises/${id}/partners`, { query: { limit: 3 } }).then((r) => itemsOf(r.data)), (items) => {
      partners.fill(null, items.length
        ? h('ul', { class: 'home-list' }, items.map((p) => h('li', { class: 'home-item', 'data-testid': 'home-partner' },
          // A contact reads its own enterprise's page only: the partner by name.
          h('strong', null, localName(p.partner)),
          h('div', { class: 'muted small' }, [label('partners.role', p.role), localName(p.node)].join(' · ')))))
        : h('p', { class: 'muted' }, t('home.partners.none')),
      { href: `/enterprises/${id}`, text: t('home.partners.all') });
    }),
  ];
}

function portal() {
  const tile = (key, href) => h('a', { class: 'card home-tile', href, 'data-testid': `tile-${key}` },
    h('span', { class: 'home-tile-title' }, t(`home.portal.${key}`)),
    h('span', { class: 'muted small' }, t(`home.portal.${key}.text`)));
  const news = panel('bulletin', t('home.portal.bulletin'));
  return [
    h('div', { class: 'home-tiles' }, tile('suggest', '/suggest'), tile('track', '/track'),
      tile('suggestions', '/suggestions'), tile('services', '/services')),
    fillFrom(news, api('GET', '/bulletin', { noAuthRedirect: true }).then((r) => itemsOf(r.data)), (items) => {
      news.fill(null, h('ul', { class: 'home-list' }, items.slice(0, 3).map((b) => h('li', { class: 'home-item', 'data-testid': 'home-news' },
        h('span', null, b.title), h('div', { class: 'muted small' }, formatDate(b.published))))),
      { href: '/bulletin', text: t('home.portal.bulletin.all') });
    }),
  ];
}

export function render(ctx) {
  const { root, app } = ctx;
  const user = app.user;
  const role = user ? user.role : 'public';
  const key = role === 'admin' ? 'officer' : role;
  let parts;
  switch (key) {
    case 'officer': parts = officerHome(); break;
    case 'secretary': parts = user.cluster_id ? secretaryHome(user) : officerHome(); break;
    case 'grid_worker': parts = gridHome(user); break;
    case 'handler': parts = handlerHome(); break;
    case 'enterprise': parts = user.enterprise_id ? enterpriseHome(app) : handlerHome(); break;
    default: parts = portal();
  }
  const title = t(`home.title.${['officer', 'secretary', 'grid_worker', 'handler', 'enterprise'].includes(key) ? key : 'public'}`);
  app.setTitle(title);
  root.replaceChildren(
    h('div', { class: 'page-head' },
      h('div', null, h('h1', { id: 'home-title' }, title),
        user ? h('p', { class: 'muted' }, t('home.hello', { name: user.display_name || user.username })) : null),
      key === 'enterprise' ? h('a', { href: '/cases/new', class: 'btn btn-primary' }, t('home.cases.new')) : null),
    h('div', { class: ['home-grid', `home-${key}`] }, parts));
  return {};
}
