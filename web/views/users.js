// Users, for admins: every account with its role and status, disabling
// and enabling one (its sessions end at once, its keys are refused until
// it is enabled), and its API keys: listed by id and label, made (the key
// is shown once, when it is made) and revoked.  The server decides and
// audits; this page only offers what an admin may do.
import { h, icon, keepFocus } from '../dom.js';
import { t, label, formatNumber, formatDateTime } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { accountForm } from './accountform.js';
import { exportButton } from '../export.js';
import { mayManageUsers } from '../access.js';

export { mayManageUsers };

export async function render(ctx) {
  const { root, app } = ctx;
  const state = {
    users: [], error: null, busy: null, message: null,
    form: null,   // the account form, when open
    open: null,   // the user whose keys are shown
    keys: null, keysError: null, label: '', made: null, confirm: null, keyError: null,
  };
  app.setTitle(t('users.title'));
  if (!mayManageUsers(app.user)) {
    root.replaceChildren(h('h1', null, t('users.title')),
      h('div', { class: 'alert alert-error', role: 'alert' }, t('common.forbidden')));
    return null;
  }
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));

  async function loadUsers() {
    try {
      state.users = (await api('GET', '/users')).data.items || [];
      state.error = null;
    } catch (e) {
      state.error = e.message;
    }
  }
  async function loadKeys() {
    const u = state.open;
    if (!u) return;
    try {
      const items = (await api('GET', `/users/${u.id}/keys`)).data.items || [];
      if (state.open === u) { state.keys = items; state.keysError = null; }
    } catch (e) {
      if (state.open === u) state.keysError = e.message;
    }
  }

  await loadUsers();
  if (!ctx.alive()) return null;

  const userName = (u) => (u.display_name ? `${u.display_name} (${u.username})` : u.username);

  function draw() {
    app.setTitle(t('users.title'));
    const head = h('div', { class: 'page-head' }, h('div', null,
      h('h1', null, t('users.title')), h('p', { class: 'muted' }, t('users.intro'))),
    h('div', { class: 'page-actions' },
      state.form ? null : h('button', { type: 'button', class: 'btn btn-primary', id: 'account-new', onclick: () => openForm(null) }, t('acct.new')),
      exportButton(exportSpec)));
    if (state.error) {
      root.replaceChildren(head, h('div', { class: 'alert alert-error', role: 'alert' }, state.error));
      return;
    }
    // The keys arrive while a new key's label may already be typed.
    keepFocus(root, () => root.replaceChildren(head,
      state.message ? h('div', { class: `alert alert-${state.message.kind}`, role: 'status', 'data-testid': 'users-message' },
        state.message.text) : null,
      h('p', { class: 'summary', 'data-testid': 'users-total' },
        t('users.total', { n: formatNumber(state.users.length),
          d: formatNumber(state.users.filter((u) => u.disabled).length) })),
      state.form || null,
      usersTable(),
      state.open ? keysSection() : null));
  }

  function exportSpec() {
    return {
      name: 'users', path: '/users', limit: null,
      columns: [
        { head: () => t('xcol.display_name'), value: (u) => u.display_name || '' },
        { head: () => t('xcol.username'), value: (u) => u.username },
        { head: () => t('users.col.role'), value: (u) => label('role', u.role) },
        { head: () => t('users.col.status'), value: (u) => t(u.disabled ? 'users.status.disabled' : 'users.status.active') },
        { head: () => t('users.col.sessions'), value: (u) => u.sessions },
        { head: () => t('users.col.keys'), value: (u) => u.keys },
        { head: () => t('xcol.phone'), value: (u) => u.phone || '' },
        { head: () => t('xcol.created'), value: (u) => formatDateTime(u.created_at) },
      ],
    };
  }

  // The account form, above the table: a new account, or another role.
  async function openForm(u) {
    state.form = await accountForm({
      user: u,
      onDone: async (text) => {
        state.form = null;
        state.message = { kind: 'ok', text };
        await loadUsers();
        draw();
      },
      onCancel: () => { state.form = null; draw(); },
    });
    draw();
    const first = root.querySelector('#account-form input, #account-form select');
    if (first) first.focus();
  }

  function usersTable() {
    const rows = state.users.map((u) => {
      const self = app.user && u.id === app.user.id;
      return h('tr', { 'data-testid': 'user-row', 'data-username': u.username, 'data-id': u.id,
        class: state.open && state.open.id === u.id ? 'selected' : null },
      h('td', { class: 'col-name', 'data-label': t('users.col.user') },
        h('span', { class: 'user-cell' }, h('span', null, u.display_name || u.username),
          h('span', { class: 'mono muted small', 'data-login': '' }, u.username))),
      h('td', { 'data-label': t('users.col.role'), 'data-testid': 'user-role' }, label('role', u.role)),
      h('td', { 'data-label': t('users.col.status') },
        h('span', { class: ['status', u.disabled ? 'status-closed' : 'status-active'], 'data-testid': 'user-status' },
          t(u.disabled ? 'users.status.disabled' : 'users.status.active'))),
      h('td', { class: 'num', 'data-label': t('users.col.sessions'), 'data-testid': 'user-sessions' }, formatNumber(u.sessions)),
      h('td', { class: 'num', 'data-label': t('users.col.keys'), 'data-testid': 'user-keys' }, formatNumber(u.keys)),
      h('td', { class: 'col-action users-actions', 'data-label': '' },
        h('button', {
          type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'user-toggle',
          disabled: state.busy === u.id || (self && !u.disabled),
          title: self && !u.disabled ? t('users.self') : null,
          onclick: () => toggle(u),
        }, t(u.disabled ? 'users.enable' : 'users.disable')),
        self ? null : h('button', {
          type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'user-role-open',
          onclick: () => openForm(u),
        }, t('acct.role.change')),
        h('button', {
          type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'user-keys-open',
          'aria-expanded': state.open && state.open.id === u.id ? 'true' : 'false',
          onclick: () => openKeys(u),
        }, t('users.keys'))));
    });
    return h('section', { class: 'card table-card' },
      h('table', { class: 'data-table users-table', id: 'users-table' },
        h('caption', { class: 'visually-hidden' }, t('users.title')),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, t('users.col.user')),
          h('th', { scope: 'col' }, t('users.col.role')),
          h('th', { scope: 'col' }, t('users.col.status')),
          h('th', { scope: 'col', class: 'num' }, t('users.col.sessions')),
          h('th', { scope: 'col', class: 'num' }, t('users.col.keys')),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('users.col.actions'))))),
        h('tbody', null, rows)));
  }

  function keysSection() {
    const u = state.open;
    const body = [];
    if (state.made) {
      body.push(h('div', { class: 'alert alert-warn key-made', role: 'status', 'data-testid': 'key-made' },
        h('p', null, t('users.key.made', { id: state.made.id })),
        h('p', null, h('code', { class: 'key-secret', 'data-testid': 'key-secret' }, state.made.key)),
        h('p', { class: 'small' }, t('users.key.use')),
        h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'key-done',
          onclick: () => { state.made = null; draw(); } }, t('users.key.done'))));
    }
    if (state.keyError) body.push(h('div', { class: 'alert alert-error', role: 'alert' }, state.keyError));
    if (state.keysError) {
      body.push(h('div', { class: 'alert alert-error', role: 'alert' }, state.keysError));
    } else if (!state.keys) {
      body.push(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
    } else if (!state.keys.length) {
      body.push(h('p', { class: 'muted', 'data-testid': 'keys-empty' }, t('users.keys.empty')));
    } else {
      body.push(h('table', { class: 'data-table keys-table', 'data-testid': 'keys-table' },
        h('thead', null, h('tr', null,
          h('th', { scope: 'col', class: 'num' }, t('users.key.id')),
          h('th', { scope: 'col' }, t('users.key.label')),
          h('th', { scope: 'col' }, t('users.key.created')),
          h('th', { scope: 'col' }, t('users.col.status')),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('users.col.actions'))))),
        h('tbody', null, state.keys.map((k) => h('tr', { 'data-testid': 'key-row', 'data-id': k.id },
          h('td', { class: 'num mono', 'data-label': t('users.key.id') }, String(k.id)),
          h('td', { 'data-label': t('users.key.label') }, k.label || t('common.none')),
          h('td', { 'data-label': t('users.key.created') }, formatDateTime(k.created_at)),
          h('td', { 'data-label': t('users.col.status') },
            h('span', { class: ['status', k.revoked_at ? 'status-closed' : 'status-active'], 'data-testid': 'key-status' },
              k.revoked_at ? t('users.key.revoked', { at: formatDateTime(k.revoked_at) }) : t('users.key.active'))),
          h('td', { class: 'col-action', 'data-label': '' }, k.revoked_at ? null : revokeControl(k)))))));
    }
    body.push(h('form', { class: 'key-form', 'data-testid': 'key-form', novalidate: true, onsubmit: makeKey },
      h('div', { class: 'field' },
        h('label', { for: 'key-label' }, t('users.key.newLabel')),
        h('input', {
          id: 'key-label', class: 'input', name: 'label', maxlength: 100, autocomplete: 'off', value: state.label,
          placeholder: t('users.key.newLabel.placeholder'), disabled: u.disabled,
          oninput: (e) => { state.label = e.target.value; },
        })),
      h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'key-create', disabled: u.disabled || state.busy === 'key' },
        icon('plus'), h('span', null, t('users.key.create')))),
    u.disabled ? h('p', { class: 'hint' }, t('users.key.disabledUser')) : null);
    return h('section', { class: 'card keys-card', 'data-testid': 'keys-section', 'aria-labelledby': 'keys-title' },
      h('div', { class: 'keys-head' },
        h('h2', { class: 'card-title', id: 'keys-title' }, t('users.keys.title', { user: userName(u) })),
        h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'aria-label': t('common.close'),
          onclick: () => { state.open = null; state.made = null; draw(); } }, icon('close'))),
      h('p', { class: 'muted small' }, t('users.keys.intro')),
      body);
  }

  // Revoking cannot be undone: asked once more, in place.
  function revokeControl(k) {
    if (state.confirm !== k.id) {
      return h('button', { type: 'button', class: 'btn btn-secondary btn-small btn-danger', 'data-testid': 'key-revoke',
        onclick: () => { state.confirm = k.id; draw(); } }, t('users.key.revoke'));
    }
    return h('span', { class: 'confirm-inline' },
      h('span', { class: 'small' }, t('users.key.revoke.confirm', { id: k.id })),
      h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'key-revoke-confirm',
        disabled: state.busy === 'key', onclick: () => revoke(k) }, t('users.key.revoke')),
      h('button', { type: 'button', class: 'btn btn-secondary btn-small',
        onclick: () => { state.confirm = null; draw(); } }, t('edit.cancel')));
  }

  // ---- actions ----

  const failure = (e) => (e instanceof ApiError ? e.message : t('error.generic', { message: e.message }));

  async function toggle(u) {
    state.busy = u.id;
    state.message = null;
    draw();
    try {
      const r = await api('PATCH', `/users/${u.id}`, { body: { disabled: !u.disabled } });
      state.message = { kind: 'info', text: t(r.data.disabled ? 'users.disabled' : 'users.enabled', { user: userName(u) }) };
      if (state.open && state.open.id === u.id) state.open = r.data;
    } catch (e) {
      state.message = { kind: 'error', text: failure(e) };
    }
    state.busy = null;
    await loadUsers();
    if (ctx.alive()) draw();
  }

  async function openKeys(u) {
    if (state.open && state.open.id === u.id) {
      state.open = null;
      draw();
      return;
    }
    Object.assign(state, { open: u, keys: null, keysError: null, made: null, confirm: null, keyError: null, label: '' });
    draw();
    await loadKeys();
    if (ctx.alive()) draw();
    root.querySelector('#keys-title')?.scrollIntoView({ block: 'nearest' });
  }

  async function makeKey(e) {
    e.preventDefault();
    const u = state.open;
    state.busy = 'key';
    state.keyError = null;
    draw();
    try {
      const r = await api('POST', `/users/${u.id}/keys`, { body: { label: state.label.trim() } });
      state.made = r.data;
      state.label = '';
    } catch (err) {
      state.keyError = failure(err);
    }
    state.busy = null;
    await Promise.all([loadKeys(), loadUsers()]);
    if (ctx.alive()) draw();
  }

  async function revoke(k) {
    state.busy = 'key';
    state.keyError = null;
    draw();
    try {
      await api('DELETE', `/users/${state.open.id}/keys/${k.id}`);
      state.confirm = null;
      if (state.made && state.made.id === k.id) state.made = null;
    } catch (err) {
      state.keyError = failure(err);
    }
    state.busy = null;
    await Promise.all([loadKeys(), loadUsers()]);
    if (ctx.alive()) draw();
  }

  draw();
  return { onLang: draw };
}
