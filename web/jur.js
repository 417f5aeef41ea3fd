// The jurisdictions in the console: the tree (GET /api/v1/jurisdictions,
// fetched once per sign-in), the caller's scope in it, and the header's
// switcher that narrows every list and map to one node of that scope.
// The choice is kept per user in localStorage and handed to api.js, which
// adds jurisdiction=<code> to the lists' requests.
import { h } from './dom.js';
import { t, localName } from './i18n.js';
import { api, setListJurisdiction } from './api.js';
import './jur-i18n.js';

const STORAGE_PREFIX = 'qunyan.jurisdiction.';

let treePromise = null;
let current = { user: null, code: null };

// The tree as the API gives it, with lookups and each node's depth:
// {items, scope (id or null), byId, byCode, depth(id), children(id)}.
function indexTree(data) {
  const items = data.items || [];
  const byId = new Map(items.map((n) => [n.id, n]));
  const byCode = new Map(items.map((n) => [n.code, n]));
  const kids = new Map();
  for (const n of items) {
    if (!kids.has(n.parent_id)) kids.set(n.parent_id, []);
    kids.get(n.parent_id).push(n);
  }
  const depths = new Map();
  const depth = (id) => {
    if (depths.has(id)) return depths.get(id);
    const n = byId.get(id);
    const d = n && n.parent_id && byId.has(n.parent_id) ? depth(n.parent_id) + 1 : 0;
    depths.set(id, d);
    return d;
  };
  return {
    items, scope: data.scope ?? null, byId, byCode, depth,
    children: (id) => kids.get(id) || [],
  };
}

let lastTree = null;
export function getTree() {
  if (!treePromise) {
    treePromise = api('GET', '/jurisdictions').then((r) => { lastTree = indexTree(r.data || {}); return lastTree; })
      .catch((e) => { treePromise = null; throw e; });
  }
  return treePromise;
}

// Whether a record of jurisdiction `ref` lies elsewhere than the caller's
// own node, so that naming its jurisdiction tells something (a town's
// officer needs no "张堰镇" on every row); true until the tree is known.
export function elsewhere(ref) {
  if (!ref) return false;
  return !lastTree || lastTree.scope === null || ref.id !== lastTree.scope;
}

// Whether node `id` lies in the subtree of `top` (itself included).
export function within(tree, id, top) {
  if (top === null || top === undefined) return tree.byId.has(id);
  for (let n = tree.byId.get(id), guard = 0; n && guard < 64; n = tree.byId.get(n.parent_id), guard++) {
    if (n.id === top) return true;
  }
  return false;
}

// The nodes of a subtree in tree order (the API gives a node, then the
// nodes under it), with their depth below its top: the whole tree for
// null.
export function subtree(tree, top) {
  const base = top === null || top === undefined ? 0 : tree.depth(top);
  return tree.items.filter((n) => within(tree, n.id, top))
    .map((n) => ({ node: n, depth: tree.depth(n.id) - base }));
}

// The caller's scope: the nodes the switcher offers.
export const scopeChoices = (tree) => subtree(tree, tree.scope);

// "张堰镇" or "Zhangyan Town"; a reference {id, code, name_zh, name_en}
// is named the same way.
export function jurName(j) {
  if (!j) return t('common.none');
  return localName(j) || j.code || `#${j.id}`;
}

// An <option> text: indented by depth, the name and the code.
export function optionText(n, depth) {
  return `${'\u00a0\u00a0\u00a0'.repeat(Math.max(depth, 0))}${jurName(n)} · ${n.code}`;
}

export function levelName(level) {
  const key = `jur.level.${level}`;
  const s = t(key);
  return s === key ? level || '' : s;
}

// A reference as the API writes it (an object, an id or a code), as the
// tree's node when the tree knows it.
export function resolve(tree, ref) {
  if (ref === null || ref === undefined) return null;
  if (typeof ref === 'object') {
    return (tree && ((ref.id && tree.byId.get(ref.id)) || (ref.code && tree.byCode.get(ref.code)))) || ref;
  }
  if (!tree) return null;
  return tree.byId.get(Number(ref)) || tree.byCode.get(String(ref)) || null;
}

// ---- the choice ----

function storageKey(user) { return STORAGE_PREFIX + user.username; }

function readChoice(user) {
  try { return localStorage.getItem(storageKey(user)) || null; } catch { return null; }
}

function writeChoice(user, code) {
  try {
    if (code) localStorage.setItem(storageKey(user), code);
    else localStorage.removeItem(storageKey(user));
  } catch { /* storage may be disabled: the choice lasts until reload */ }
}

export function chosenCode() { return current.code; }

// Signed in (or the page loaded signed in): the user's last choice is put
// into effect at once, so that the first list asked for is already
// narrowed; `ready` resolves once the tree has confirmed it (a choice
// that no longer lies in the scope is dropped) and tells whether it
// changed.
export function start(user) {
  treePromise = null;
  lastTree = null;
  current = { user, code: user ? readChoice(user) : null };
  setListJurisdiction(current.code);
  if (!user) return Promise.resolve(false);
  return getTree().then((tree) => {
    if (current.user !== user || !current.code) return false;
    const n = tree.byCode.get(current.code);
    if (n && within(tree, n.id, tree.scope) && n.id !== tree.scope) return false;
    choose(null);
    return true;
  }).catch(() => {
    // Without the tree the header cannot show the choice: the lists are
    // not narrowed in secret (the choice stays stored for the next load).
    if (current.user !== user || !current.code) return false;
    current.code = null;
    setListJurisdiction(null);
    return true;
  });
}

export function stop() {
  treePromise = null;
  lastTree = null;
  current = { user: null, code: null };
  setListJurisdiction(null);
}

export function choose(code) {
  current.code = code || null;
  if (current.user) writeChoice(current.user, current.code);
  setListJurisdiction(current.code);
}

// The node the console is narrowed to, or the scope's node (null for the
// whole tree).
export function focusNode(tree) {
  const n = current.code ? tree.byCode.get(current.code) : null;
  return n || (tree.scope !== null ? tree.byId.get(tree.scope) || null : null);
}

// ---- the header's switcher ----

// The switcher, for a user whose scope has nodes under it: a labelled
// <select> of the scope's nodes, the first "all of my scope". onChange
// runs after the choice is in effect. Null when there is nothing to
// choose or the tree has not arrived.
export function switcher(tree, onChange) {
  if (!tree) return null;
  const choices = scopeChoices(tree).filter((c) => c.node.id !== tree.scope);
  if (!choices.length) return null;
  const top = tree.scope !== null ? tree.byId.get(tree.scope) : null;
  const all = top ? t('jur.switch.all.of', { name: jurName(top) }) : t('jur.switch.all');
  const select = h('select', {
    id: 'jur-switch', class: 'jur-switch-select', name: 'jurisdiction',
    'aria-describedby': 'jur-switch-note',
  },
  h('option', { value: '' }, all),
  choices.map(({ node, depth }) => h('option', { value: node.code, 'data-level': node.level },
    optionText(node, top ? depth - 1 : depth))));
  select.value = current.code || '';
  if (select.value !== (current.code || '')) select.value = '';
  select.addEventListener('change', () => {
    choose(select.value);
    onChange(select.value || null);
  });
  const narrowed = Boolean(current.code);
  return h('div', {
    class: ['jur-switch', narrowed && 'is-narrowed'], 'data-testid': 'jur-switch',
    'data-code': current.code || '',
  },
  h('label', { for: 'jur-switch', class: 'jur-switch-label' }, t('jur.switch.label')),
  select,
  h('span', { id: 'jur-switch-note', class: 'visually-hidden' }, t('jur.switch.note')));
}

// Who may read roll-ups (the server decides per node; this decides
// whether to offer the page).
export function mayRollup(user) {
  return Boolean(user) && (user.role === 'admin' || user.role === 'officer');
}
