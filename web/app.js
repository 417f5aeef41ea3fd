// The console's shell: session, navigation bar, language switch and a
// history-API router that hands each route to a view module, loaded when
// its route is first opened.
import { h, icon, clear } from './dom.js';
import { t, label, toggleLang, onLangChange, getLang } from './i18n.js';
import { api, setCsrf, setUnauthorizedHandler, forgetCache } from './api.js';
import {
  isEnterprise, mayReadDashboard, mayReadChains, mayReadLeads, mayReadGrids, mayReadCases, mayReadPolicies,
  mayReadEvents, mayReadOrgs, mayManageUsers, mayReadAudit,
} from './access.js';
import * as jur from './jur.js';
// The labels of every page, loaded with the bar: it names pages by them,
// and a page may show a label that another page's table holds.
import './audit-i18n.js';
import './bul-i18n.js';
import './card-i18n.js';
import './chainedit-i18n.js';
import './dash-i18n.js';
import './evt-i18n.js';
import './export-i18n.js';
import './gridedit-i18n.js';
import './jur-i18n.js';
import './org-i18n.js';
import './orgform-i18n.js';
import './plan-i18n.js';
import './pol-i18n.js';
import './steps-i18n.js';
import './svc-i18n.js';
import './timeline-i18n.js';

// The pages, each loaded when it is first opened: a resident's phone
// fetches the suggestion form and what it needs, not the whole console.
const page = (name) => () => import(`./views/${name}.js`);

const routes = [
  { pattern: /^\/$/, view: page('home'), auth: false, nav: 'home' },
  { pattern: /^\/login$/, view: page('login'), login: true, auth: false, nav: null },
  { pattern: /^\/enterprises$/, view: page('enterprises'), auth: true, nav: 'enterprises' },
  { pattern: /^\/enterprises\/import$/, view: page('import'), auth: true, nav: 'enterprises' },
  { pattern: /^\/enterprises\/new$/, view: page('edit'), auth: true, nav: 'enterprises' },
  { pattern: /^\/enterprises\/(\d+)$/, view: page('enterprise'), auth: true, nav: 'enterprises', keys: ['id'] },
  { pattern: /^\/enterprises\/(\d+)\/edit$/, view: page('edit'), auth: true, nav: 'enterprises', keys: ['id'] },
  { pattern: /^\/enterprises\/(\d+)\/visit$/, view: page('visit'), auth: true, nav: 'enterprises', keys: ['id'] },
  { pattern: /^\/map$/, view: page('map'), auth: true, nav: 'map' },
  { pattern: /^\/grids\/(\d+)$/, view: page('grid'), auth: true, nav: 'map', keys: ['id'] },
  { pattern: /^\/alerts$/, view: page('alerts'), auth: true, nav: 'alerts' },
  { pattern: /^\/clusters$/, view: page('clusters'), auth: true, nav: 'clusters' },
  { pattern: /^\/clusters\/(\d+)\/chain$/, view: page('chain'), auth: true, nav: 'chain', keys: ['id'] },
  { pattern: /^\/pipeline$/, view: page('pipeline'), auth: true, nav: 'pipeline' },
  { pattern: /^\/bulletin$/, view: page('bulletin'), auth: false, nav: 'bulletin' },
  // The bulletin: a tag's items, one item; the officers' list and editor.
  { pattern: /^\/bulletin\/tags\/([^/]+)$/, view: page('bulletin'), auth: false, nav: 'bulletin', keys: ['tag'] },
  { pattern: /^\/bulletin\/(\d+)$/, view: page('bulletin'), auth: false, nav: 'bulletin', keys: ['id'] },
  { pattern: /^\/bulletin\/(manage)$/, view: page('bulletinedit'), auth: true, nav: 'bulletin', keys: ['manage'] },
  { pattern: /^\/bulletin\/new$/, view: page('bulletinedit'), auth: true, nav: 'bulletin' },
  { pattern: /^\/bulletin\/(\d+)\/edit$/, view: page('bulletinedit'), auth: true, nav: 'bulletin', keys: ['id'] },
  { pattern: /^\/users$/, view: page('users'), auth: true, nav: 'users' },
  { pattern: /^\/audit$/, view: page('audit'), auth: true, nav: 'audit' },
  { pattern: /^\/cases$/, view: page('cases'), auth: true, nav: 'cases' },
  { pattern: /^\/cases\/new$/, view: page('casenew'), auth: true, nav: 'cases' },
  { pattern: /^\/cases\/rankings$/, view: page('caserank'), auth: true, nav: 'cases' },
  { pattern: /^\/cases\/(\d+)$/, view: page('case'), auth: true, nav: 'cases', keys: ['id'] },
  { pattern: /^\/rollup$/, view: page('rollup'), auth: true, nav: 'rollup' },
  { pattern: /^\/rollup\/(\d+)$/, view: page('rollup'), auth: true, nav: 'rollup', keys: ['id'] },
  // The residents' pages: open to everyone, signed in or not.
  { pattern: /^\/suggest$/, view: page('suggest'), auth: false, nav: 'suggest' },
  { pattern: /^\/track$/, view: page('track'), auth: false, nav: 'track' },
  { pattern: /^\/track\/([^/]+)$/, view: page('track'), auth: false, nav: 'track', keys: ['code'] },
  { pattern: /^\/suggestions$/, view: page('suggestions'), auth: false, nav: 'suggestions' },
  { pattern: /^\/suggestions\/(\d+)$/, view: page('suggestion'), auth: false, nav: 'suggestions', keys: ['id'] },
  // The service catalogue: public to read; its forms for officers and
  // enterprise contacts.
  { pattern: /^\/services$/, view: page('services'), auth: false, nav: 'services' },
  { pattern: /^\/services\/new$/, view: page('serviceedit'), auth: true, nav: 'services' },
  { pattern: /^\/services\/(\d+)$/, view: page('service'), auth: false, nav: 'services', keys: ['id'] },
  { pattern: /^\/services\/(\d+)\/edit$/, view: page('serviceedit'), auth: true, nav: 'services', keys: ['id'] },
  // Policy measures: the list, a measure, its form, a batch of its
  // automatic grants, and the applications inbox.
  { pattern: /^\/policies$/, view: page('policies'), auth: true, nav: 'policies' },
  { pattern: /^\/policies\/new$/, view: page('policyedit'), auth: true, nav: 'policies' },
  { pattern: /^\/policies\/(\d+)$/, view: page('policy'), auth: true, nav: 'policies', keys: ['id'] },
  { pattern: /^\/policies\/(\d+)\/edit$/, view: page('policyedit'), auth: true, nav: 'policies', keys: ['id'] },
  { pattern: /^\/batches\/(\d+)$/, view: page('batch'), auth: true, nav: 'policies', keys: ['id'] },
  { pattern: /^\/applications$/, view: page('applications'), auth: true, nav: 'applications' },
  // Events: the calendar and one event with its agenda and minutes.
  { pattern: /^\/events$/, view: page('events'), auth: true, nav: 'events' },
  { pattern: /^\/events\/(\d+)$/, view: page('event'), auth: true, nav: 'events', keys: ['id'] },
  // Organisations as a tree, and what they reach.
  { pattern: /^\/organisations$/, view: page('orgs'), auth: true, nav: 'orgs' },
  { pattern: /^\/coverage$/, view: page('coverage'), auth: true, nav: 'orgs' },
  // A service card's link: the problem form of its enterprise.
  { pattern: /^\/q\/([^/]+)$/, view: page('cardform'), auth: false, nav: null, keys: ['token'] },
  // The town at a glance: officers', secretaries' and grid workers' home.
  { pattern: /^\/dashboard$/, view: page('dashboard'), auth: true, nav: 'dashboard' },
];

const app = {
  user: null,
  flashMessage: null,
  current: null, // the controller the current view returned
  navigate,
  safeNext,
  // A view that rewrote its own address (filters) tells the router.
  pathChanged() { renderedPath = location.pathname + location.search; },
  flash(message, kind = 'ok') { app.flashMessage = { message, kind }; },
  setTitle(title) { document.title = title ? `${title} · ${t('app.name')}` : t('app.title'); },
  signedIn(session) {
    app.user = session.user || null;
    setCsrf(session.csrf_token);
    forgetCache();
    jurTree = null;
    jur.start(app.user).then(jurisdictionsArrived);
    drawShell();
  },
  async signOut() {
    try { await api('DELETE', '/session', { noAuthRedirect: true }); } catch { /* signed out anyway */ }
    app.user = null;
    setCsrf(null);
    forgetCache();
    jur.stop();
    jurTree = null;
    app.flash(t('login.signedout'), 'info');
    drawShell();
    navigate('/login');
  },
};

// ---- shell ----

const shell = {};

function buildShell() {
  const body = document.body;
  clear(body);
  shell.skip = h('a', { class: 'skip-link', href: '#main' });
  shell.brandName = h('span', { class: 'brand-name' });
  shell.brandSub = h('span', { class: 'brand-sub' });
  shell.brand = h('a', { class: 'brand', href: '/', 'data-testid': 'brand' },
    h('img', { class: 'brand-mark', src: '/logo.svg', alt: '', width: 36, height: 36 }),
    h('span', { class: 'brand-text' }, shell.brandName, shell.brandSub));
  shell.nav = h('nav', { class: 'main-nav', id: 'main-nav' });
  shell.userBox = h('div', { class: 'user-box' });
  shell.jur = h('div', { class: 'jur-box' });
  shell.lang = h('button', { type: 'button', id: 'lang-switch', class: 'btn btn-ghost lang-switch', onclick: toggleLang });
  shell.header = h('header', { class: 'topbar' },
    h('div', { class: 'topbar-inner' }, shell.brand, shell.nav,
      h('div', { class: 'topbar-tools' }, shell.userBox, shell.lang)), shell.jur);
  shell.flash = h('div', { class: 'flash-region', id: 'flash', role: 'status', 'aria-live': 'polite' });
  shell.main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  shell.footer = h('footer', { class: 'footer' });
  body.append(shell.skip, shell.header, h('div', { class: 'page' }, shell.flash, shell.main), shell.footer);
}

function navLink(key, href, active) {
  return h('a', {
    href, class: ['nav-link', active === key && 'active'], 'data-nav': key,
    'aria-current': active === key ? 'page' : null,
  }, t(`nav.${key}`));
}

// The bar's links by what a town office does: the registry of enterprises
// and their chains, the grids, the cases, the services to enterprises, and
// the system's administration. Each group is a disclosure button that shows
// its links; a group with one link (for the roles that have only it) is that
// link. A visitor's few links stand alone.
function menuGroups(user) {
  if (!user) {
    return [['home', '/'], ['suggest', '/suggest'], ['track', '/track'], ['suggestions', '/suggestions'],
      ['services', '/services'], ['bulletin', '/bulletin']].map((link) => [null, [link]]);
  }
  const when = (ok, ...links) => (ok ? links : []);
  return [
    [null, [['home', '/']]],
    [null, when(mayReadDashboard(user), ['dashboard', '/dashboard'])],
    ['registry', [['enterprises', '/enterprises'], ['clusters', '/clusters'],
      ...when(mayReadChains(user), ['chain', `/clusters/${user.cluster_id || 1}/chain`]),
      ...when(mayReadLeads(user), ['pipeline', '/pipeline'])]],
    ['grids', when(mayReadGrids(user), ['map', '/map'], ['alerts', '/alerts'])],
    ['cases', when(mayReadCases(user), ['cases', '/cases'])],
    ['services', [['services', '/services'],
      ...when(mayReadPolicies(user), ['policies', '/policies']),
      ...when(isEnterprise(user), ['applications', '/applications']),
      ...when(mayReadEvents(user), ['events', '/events']),
      ...when(mayReadOrgs(user), ['orgs', '/organisations']),
      ['bulletin', '/bulletin']]],
    ['admin', [...when(mayManageUsers(user), ['users', '/users']),
      ...when(mayReadAudit(user), ['audit', '/audit'])]],
  ];
}

function navGroup(name, links, active) {
  const menuId = `nav-menu-${name}`;
  const current = links.some(([key]) => key === active);
  const button = h('button', {
    type: 'button', class: ['nav-link', 'nav-group-button', current && 'active'],
    'aria-expanded': 'false', 'aria-controls': menuId, 'data-nav-group-button': name,
    'aria-current': current ? 'true' : null,
  }, t(`nav.group.${name}`));
  const menu = h('div', { class: 'nav-menu', id: menuId, hidden: true },
    links.map(([key, href]) => navLink(key, href, active)));
  const group = h('div', { class: 'nav-group', 'data-nav-group': name }, button, menu);
  button.addEventListener('click', () => openGroup(button.getAttribute('aria-expanded') === 'true' ? null : group));
  group.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape' || button.getAttribute('aria-expanded') !== 'true') return;
    ev.preventDefault();
    openGroup(null);
    button.focus();
  });
  // Tabbing out of an open group closes it, as a click elsewhere does.
  group.addEventListener('focusout', (ev) => {
    if (ev.relatedTarget && !group.contains(ev.relatedTarget)) openGroup(null, group);
  });
  return group;
}

// Opens one group of the bar and closes the others; openGroup(null)
// closes them all, openGroup(null, g) only g.
function openGroup(group, only) {
  for (const g of shell.nav.querySelectorAll('.nav-group')) {
    if (only && g !== only) continue;
    const open = g === group;
    g.querySelector('.nav-group-button').setAttribute('aria-expanded', open ? 'true' : 'false');
    g.querySelector('.nav-menu').hidden = !open;
  }
}

document.addEventListener('click', (ev) => {
  if (shell.nav && !ev.target.closest('.nav-group')) openGroup(null);
});

function drawShell(activeNav) {
  if (activeNav !== undefined) shell.activeNav = activeNav;
  const active = shell.activeNav;
  shell.skip.textContent = t('app.skip');
  shell.brandName.textContent = t('app.name');
  shell.brandSub.textContent = t('app.subtitle');
  shell.nav.setAttribute('aria-label', t('nav.label'));
  const items = [];
  for (const [name, links] of menuGroups(app.user)) {
    if (!links.length) continue;
    items.push(!name || links.length === 1 ? navLink(links[0][0], links[0][1], active) : navGroup(name, links, active));
  }
  shell.nav.replaceChildren(...items);
  drawJurisdiction();
  if (app.user) {
    const u = app.user;
    shell.userBox.replaceChildren(
      h('span', { class: 'user-chip', id: 'current-user', title: t('nav.user') },
        icon('user'),
        h('span', { class: 'user-name' }, u.display_name || u.username),
        h('span', { class: 'user-role', id: 'current-role' }, label('role', u.role))),
      h('button', { type: 'button', class: 'btn btn-ghost', id: 'signout', onclick: () => app.signOut() },
        t('nav.signout')));
  } else {
    shell.userBox.replaceChildren(
      h('a', { href: '/login', class: 'btn btn-ghost', id: 'signin-link' }, t('nav.signin')));
  }
  clear(shell.lang);
  shell.lang.append(icon('globe'), h('span', { class: 'lang-long' }, t('lang.switch')),
    h('span', { class: 'lang-short', 'aria-hidden': 'true' }, t('lang.switch.short')));
  shell.lang.setAttribute('aria-label', t('lang.switch.label'));
  shell.lang.setAttribute('lang', getLang() === 'en' ? 'zh-CN' : 'en');
  shell.footer.textContent = t('app.footer');
}

// The jurisdictions' row under the bar: the roll-up's link and the
// switcher, once the tree has arrived; a choice reloads the current view,
// whose lists then ask for the chosen node's records.
let jurTree = null;
function drawJurisdiction() {
  const sw = app.user ? jur.switcher(jurTree, () => {
    forgetCache();
    drawShell();
    // A roll-up follows the choice: /rollup is the chosen node's.
    if (location.pathname.startsWith('/rollup')) navigate('/rollup', { replace: true });
    else render();
  }) : null;
  // Drawn again (a view, the language), the switcher keeps the focus.
  const focused = document.activeElement && document.activeElement.id === 'jur-switch';
  shell.jur.replaceChildren(
    ...(jur.mayRollup(app.user) ? [navLink('rollup', '/rollup', shell.activeNav)] : []), ...(sw ? [sw] : []));
  if (focused && sw) sw.querySelector('select').focus();
}

function jurisdictionsArrived(dropped) {
  const user = app.user;
  if (!user) return;
  jur.getTree().then((tree) => {
    if (app.user !== user) return;
    jurTree = tree;
    drawJurisdiction();
    if (dropped) { forgetCache(); render(); }
  }).catch(() => { /* no switcher without the tree */ });
}

function showFlash() {
  clear(shell.flash);
  const f = app.flashMessage;
  app.flashMessage = null;
  if (!f) return;
  const box = h('div', { class: `flash flash-${f.kind}`, 'data-testid': 'flash' },
    h('span', null, f.message),
    h('button', {
      type: 'button', class: 'flash-close', 'aria-label': t('common.close'),
      onclick: () => box.remove(),
    }, icon('close')));
  shell.flash.append(box);
}

// ---- routing ----

function match(pathname) {
  for (const r of routes) {
    const m = r.pattern.exec(pathname);
    if (m) {
      const params = {};
      (r.keys || []).forEach((k, i) => { params[k] = m[i + 1]; });
      return { route: r, params };
    }
  }
  return null;
}

let renderSeq = 0;

async function render() {
  const seq = ++renderSeq;
  const { pathname, search } = location;
  renderedPath = pathname + search;
  const query = new URLSearchParams(search);
  const m = match(pathname.replace(/\/+$/, '') || '/');
  if (app.current && app.current.leave) app.current.leave();
  app.current = null;

  if (m && m.route.auth && !app.user) {
    navigate(`/login?next=${encodeURIComponent(pathname + search)}`, { replace: true });
    return;
  }
  if (m && m.route.login && app.user) {
    navigate(safeNext(query.get('next')), { replace: true });
    return;
  }
  drawShell(m ? m.route.nav : null);
  showFlash();
  const root = h('div', { class: 'view' });
  shell.main.replaceChildren(root);
  if (!m) {
    app.setTitle(t('common.notfound.title'));
    root.append(h('h1', null, t('common.notfound.title')), h('p', null, t('common.notfound')),
      h('p', null, h('a', { href: '/' }, t('common.back'))));
    return;
  }
  const ctx = {
    root, params: m.params, query, app,
    alive: () => seq === renderSeq,
  };
  try {
    const view = await m.route.view();
    if (seq !== renderSeq) return;
    app.current = (await view.render(ctx)) || null;
  } catch (e) {
    if (seq !== renderSeq) return;
    console.error(e);
    root.replaceChildren(h('div', { class: 'alert alert-error', role: 'alert' },
      t('error.generic', { message: e.message })));
  }
}

function safeNext(next) {
  // Only paths of this site: "/x" but not "//host".
  if (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login')) return next;
  return '/';
}

function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render().then(() => {
    if (!replace) {
      window.scrollTo(0, 0);
      const h1 = shell.main.querySelector('h1');
      if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus({ preventScroll: true }); }
    }
  });
}

// Links of this site are followed without reloading the page.
document.addEventListener('click', (ev) => {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = ev.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  ev.preventDefault();
  navigate(url.pathname + url.search);
});

// Following a #fragment (the skip link) is not a new page.
let renderedPath = null;
window.addEventListener('popstate', () => {
  if (location.pathname + location.search === renderedPath) return;
  render();
});

onLangChange(() => {
  drawShell();
  if (app.current && app.current.onLang) app.current.onLang();
  else render();
});

setUnauthorizedHandler(() => {
  if (!app.user) return;
  app.user = null;
  setCsrf(null);
  jur.stop();
  jurTree = null;
  app.flash(t('login.expired'), 'info');
  navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
});

async function boot() {
  buildShell();
  drawShell(null);
  try {
    const r = await api('GET', '/session', { noAuthRedirect: true });
    app.user = r.data.user || null;
    setCsrf(r.data.csrf_token);
  } catch {
    app.user = null;
  }
  jur.start(app.user).then(jurisdictionsArrived);
  await render();
  document.body.classList.add('ready');
}

boot();
