// A grid's team on the grid page: the people who look after the grid, by
// name and department, and, for admins and officers (the server's rule),
// adding a grid worker chosen by name and department and removing one.
// The people offered are those the server says the team may take
// (GET /grids/{id}/candidates), as the accounts themselves are for admins.
import { h, icon, debounce } from './dom.js';
import { t, localName } from './i18n.js';
import { api } from './api.js';
import { memberName } from './views/map.js';
import { mayEditGrids } from './gridedit.js';
import './gridedit-i18n.js';

const dept = (m) => localName(m, 'department', 'department_en') || t('team.dept.none');

function memberItem(m, user, remove) {
  return h('li', { class: 'member', 'data-testid': 'member', 'data-id': m.id },
    icon('user'),
    h('span', { class: 'member-text' },
      h('span', { class: 'member-name', 'data-testid': 'member-name' }, memberName(m, user)),
      h('span', { class: 'member-dept', 'data-testid': 'member-dept' }, dept(m))),
    remove ? h('button', {
      type: 'button', class: 'member-remove', 'data-testid': 'member-remove',
      'aria-label': t('team.remove.aria', { name: m.display_name }), title: t('team.remove'),
      onclick: () => remove(m),
    }, icon('close')) : null);
}

// teamCard({grid, contents, user}) -> the section; contents is what
// loadGridContents gave (its team and members are kept up to date).
export function teamCard({ grid, contents, user }) {
  const editable = mayEditGrids(user);
  const st = { candidates: null, more: false, busy: false, error: null };
  const el = {
    list: h('div', { class: 'team-list', 'data-testid': 'team-list' }),
    status: h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'data-testid': 'team-status' }),
  };

  function drawList() {
    el.list.replaceChildren(contents.team.length
      ? h('ul', { class: 'member-list team-members' }, contents.team.map((m) => memberItem(m, user, editable ? remove : null)))
      : h('p', { class: 'muted small' }, t('grid.team.none')));
  }

  function drawOptions() {
    const items = st.candidates || [];
    el.choose.replaceChildren(...items.map((c) => h('option', { value: c.id },
      c.department ? t('team.option', { name: c.display_name, dept: dept(c) }) : c.display_name)));
    el.choose.disabled = !items.length || st.busy;
    el.add.disabled = !items.length || st.busy;
    el.none.hidden = !(st.candidates && !items.length);
    el.more.hidden = !st.more;
    el.error.hidden = !st.error;
    el.error.textContent = st.error ? st.error.message : '';
  }

  async function loadCandidates() {
    try {
      const r = await api('GET', `/grids/${grid.id}/candidates`, { query: { q: el.find.value.trim() } });
      st.candidates = r.data.items || [];
      st.more = Boolean(r.data.more);
      st.error = null;
    } catch (e) {
      st.candidates = [];
      st.error = e;
    }
    drawOptions();
  }
  const refind = debounce(loadCandidates, 250);

  function changed(r, message) {
    contents.team = r.data.team || [];
    contents.members = r.data.user_ids || [];
    st.error = null;
    el.status.textContent = message;
    drawList();
  }

  async function add() {
    const id = Number(el.choose.value);
    const who = (st.candidates || []).find((c) => c.id === id);
    if (!who) return;
    st.busy = true;
    drawOptions();
    try {
      changed(await api('POST', `/grids/${grid.id}/members`, { body: { user_id: id } }), t('team.added', { name: who.display_name }));
    } catch (e) {
      st.error = e;
    }
    st.busy = false;
    await loadCandidates();
    el.choose.focus();
  }

  async function remove(m) {
    try {
      changed(await api('DELETE', `/grids/${grid.id}/members/${m.id}`), t('team.removed', { name: m.display_name }));
    } catch (e) {
      st.error = e;
      drawOptions();
      return;
    }
    if (el.find) await loadCandidates();
    const next = el.list.querySelector('[data-testid=member-remove]');
    (next || el.choose || el.list).focus();
  }

  drawList();
  const body = [el.list];
  const kids = contents.childMembers || [];
  if (kids.length) {
    body.push(h('dl', { class: 'fields fields-compact' }, kids.map((cm) => h('div', { class: 'field-row' },
      h('dt', null, h('a', { href: `/grids/${cm.grid.id}` }, `${localName(cm.grid)} ${cm.grid.code}`)),
      h('dd', { 'data-testid': 'child-team', 'data-id': cm.grid.id }, cm.team.length
        ? cm.team.map((m) => `${memberName(m, user)}（${dept(m)}）`).join('、') : t('grid.team.none'))))));
  }
  if (editable) {
    el.find = h('input', { id: 'team-find', class: 'input', type: 'search', autocomplete: 'off', maxlength: 50 });
    el.find.addEventListener('input', () => refind());
    el.choose = h('select', { id: 'team-choose', class: 'input', 'data-testid': 'team-choose' });
    el.add = h('button', { type: 'submit', class: 'btn btn-secondary', id: 'team-add' }, icon('plus'), h('span', null, t('team.add.btn')));
    el.none = h('p', { class: 'muted small', hidden: true }, t('team.none.left'));
    el.more = h('p', { class: 'hint', hidden: true }, t('team.more'));
    el.error = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, 'data-testid': 'team-error' });
    const form = h('form', { class: 'team-add', id: 'team-add-form', novalidate: true },
      h('h3', { class: 'sub-title' }, t('team.add')),
      h('div', { class: 'field' }, h('label', { for: 'team-find' }, t('team.find')), el.find),
      h('div', { class: 'field' }, h('label', { for: 'team-choose' }, t('team.choose')),
        h('div', { class: 'team-choose-row' }, el.choose, el.add)),
      el.more, el.none, el.error);
    form.addEventListener('submit', (ev) => { ev.preventDefault(); add(); });
    body.push(form);
    drawOptions();
    loadCandidates();
  }
  return h('section', { class: 'card', 'data-section': 'team', 'aria-labelledby': 'sec-team' },
    h('h2', { class: 'card-title', id: 'sec-team' }, t('grid.team')), body, el.status,
    h('p', { class: 'note' }, t('grid.team.note')));
}
