// The form of an account, for admins: a new one (POST /users) or another
// role for an existing one (PUT /users/{id}/role). The fields the role is
// tied to show with the role that needs them: a secretary's cluster, an
// enterprise contact's enterprise, a handler's department. The server
// checks every rule and its messages are shown at their fields.
import { h } from '../dom.js';
import { t, label, localName, addLabels } from '../i18n.js';
import { api, getClusters } from '../api.js';

addLabels({
  'acct.new': '新建账号',
  'acct.role.change': '更改角色',
  'acct.title.new': '新建账号',
  'acct.title.role': '更改 {name} 的角色',
  'acct.username': '登录名',
  'acct.username.hint': '2–64 个小写字母、数字或 . _ -，用于登录。',
  'acct.display_name': '姓名',
  'acct.password': '初始密码',
  'acct.password.hint': '至少 8 个字符；请本人登录后修改。',
  'acct.role': '角色',
  'acct.cluster': '所在集群',
  'acct.enterprise': '企业编号',
  'acct.enterprise.hint': '企业名录中该企业的编号。',
  'acct.department': '所在部门',
  'acct.jurisdiction': '辖区代码（可选）',
  'acct.jurisdiction.hint': '留空则与您的辖区相同。',
  'acct.role.note': '更改角色后，该用户的所有登录会话立即结束。',
  'acct.save.new': '创建',
  'acct.save.role': '保存',
  'acct.cancel': '取消',
  'acct.made': '已创建账号 {name}。',
  'acct.changed': '{name} 的角色已改为“{role}”。',
}, {
  'acct.new': 'New account',
  'acct.role.change': 'Role',
  'acct.title.new': 'New account',
  'acct.title.role': 'Change the role of {name}',
  'acct.username': 'Username',
  'acct.username.hint': '2–64 lower-case letters, digits or . _ -, for signing in.',
  'acct.display_name': 'Name',
  'acct.password': 'First password',
  'acct.password.hint': 'At least 8 characters; the user changes it after signing in.',
  'acct.role': 'Role',
  'acct.cluster': 'Cluster',
  'acct.enterprise': 'Enterprise number',
  'acct.enterprise.hint': 'The enterprise\'s number in the registry.',
  'acct.department': 'Department',
  'acct.jurisdiction': 'Jurisdiction code (optional)',
  'acct.jurisdiction.hint': 'Empty: the same as yours.',
  'acct.role.note': 'Every session of the user ends when its role changes.',
  'acct.save.new': 'Create',
  'acct.save.role': 'Save',
  'acct.cancel': 'Cancel',
  'acct.made': 'Account {name} created.',
  'acct.changed': 'The role of {name} is now “{role}”.',
});

const ROLES = ['admin', 'officer', 'secretary', 'grid_worker', 'handler', 'enterprise'];
const TIES = { secretary: 'cluster', enterprise: 'enterprise', handler: 'department' };

// accountForm({user, onDone(message), onCancel}) -> the form; user is the
// account whose role changes, or null for a new one.
export async function accountForm({ user = null, onDone, onCancel }) {
  const [clusters, departments] = await Promise.all([
    getClusters().catch(() => []),
    api('GET', '/departments').then((r) => r.data.items || []).catch(() => []),
  ]);
  const id = (k) => `acct-${k}`;
  const errs = {};
  const field = (key, control, hint) => {
    errs[key] = h('p', { class: 'field-error', 'data-field': key, hidden: true });
    return h('div', { class: 'field', 'data-for': key },
      h('label', { for: id(key) }, t(`acct.${key}`)), control,
      hint ? h('p', { class: 'hint' }, t(hint)) : null, errs[key]);
  };
  const input = (key, attrs = {}) => h('input', { id: id(key), name: key, ...attrs });
  const c = {
    username: input('username', { type: 'text', autocomplete: 'off', maxlength: 64 }),
    display_name: input('display_name', { type: 'text', maxlength: 100, value: user ? user.display_name || '' : '' }),
    password: input('password', { type: 'password', autocomplete: 'new-password' }),
    role: h('select', { id: id('role'), name: 'role' }, ROLES.map((r) => h('option', { value: r, selected: user && user.role === r }, label('role', r)))),
    cluster: h('select', { id: id('cluster'), name: 'cluster_id' }, clusters.map((cl) => h('option', { value: cl.id, selected: user && user.cluster_id === cl.id }, localName(cl)))),
    enterprise: input('enterprise', { type: 'number', min: 1, name: 'enterprise_id', value: user && user.enterprise_id ? user.enterprise_id : '' }),
    department: h('select', { id: id('department'), name: 'department' }, departments.map((d) => h('option', { value: d.name, selected: user && user.department === d.name }, localName(d, 'name', 'name_en')))),
    jurisdiction: input('jurisdiction', { type: 'text', inputmode: 'numeric', maxlength: 12 }),
  };
  if (!user) c.role.value = 'officer';
  const tieFields = {
    cluster: field('cluster', c.cluster),
    enterprise: field('enterprise', c.enterprise, 'acct.enterprise.hint'),
    department: field('department', c.department),
  };
  const showTies = () => {
    for (const [k, el] of Object.entries(tieFields)) el.hidden = TIES[c.role.value] !== k;
  };
  c.role.addEventListener('change', showTies);
  showTies();
  const general = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'acct-save' }, t(user ? 'acct.save.role' : 'acct.save.new'));
  const form = h('form', { class: 'card form-card', id: 'account-form', novalidate: true },
    h('h2', { class: 'card-title' }, user ? t('acct.title.role', { name: user.display_name || user.username }) : t('acct.title.new')),
    user ? h('p', { class: 'note' }, t('acct.role.note')) : null,
    h('div', { class: 'form-grid' },
      user ? null : field('username', c.username, 'acct.username.hint'),
      field('display_name', c.display_name),
      user ? null : field('password', c.password, 'acct.password.hint'),
      field('role', c.role), tieFields.cluster, tieFields.enterprise, tieFields.department,
      field('jurisdiction', c.jurisdiction, 'acct.jurisdiction.hint')),
    general,
    h('div', { class: 'form-actions' }, save,
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: onCancel }, t('acct.cancel'))));
  // Server field names to the form's.
  const where = { cluster_id: 'cluster', enterprise_id: 'enterprise' };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const e of Object.values(errs)) e.hidden = true;
    general.hidden = true;
    const role = c.role.value;
    const body = { role };
    if (c.display_name.value.trim()) body.display_name = c.display_name.value.trim();
    if (role === 'secretary') body.cluster_id = Number(c.cluster.value);
    if (role === 'enterprise') body.enterprise_id = c.enterprise.value ? Number(c.enterprise.value) : null;
    if (role === 'handler') body.department = c.department.value;
    if (c.jurisdiction.value.trim()) body.jurisdiction = c.jurisdiction.value.trim();
    if (body.enterprise_id === null) delete body.enterprise_id;
    if (!user) { body.username = c.username.value.trim(); body.password = c.password.value; }
    save.disabled = true;
    try {
      const r = user ? await api('PUT', `/users/${user.id}/role`, { body }) : await api('POST', '/users', { body });
      const name = r.data.display_name || r.data.username;
      onDone(user ? t('acct.changed', { name, role: label('role', r.data.role) }) : t('acct.made', { name }));
    } catch (err) {
      const rest = [];
      for (const fe of err.errors.length ? err.errors : [{ field: err.field, message: err.message }]) {
        const k = where[fe.field] || fe.field;
        if (k && errs[k]) { errs[k].textContent = fe.message; errs[k].hidden = false; } else rest.push(fe.message);
      }
      if (rest.length) { general.textContent = rest.join(' '); general.hidden = false; }
      save.disabled = false;
    }
  });
  return form;
}
