// One event (/events/{id}): what, when and where, with its calendar
// file; what became of the organiser's last problems; the agenda, which
// the organiser drafts from the invited enterprises' open cases,
// reorders, adds to and drops from, with minutes and a decision per
// item; a problem raised at the table made a case in one step; the
// invitations with their replies and attendance. An enterprise's contact
// sees its own items and replies; a handler sees its department's items.
import '../evt-i18n.js';
import { h, icon, keepFocus, kept } from '../dom.js';
import { t, label, localName } from '../i18n.js';
import { api } from '../api.js';
import { stateBadge, when } from './events.js';

export async function render(ctx) {
  const { root, app, params } = ctx;
  const id = Number(params.id);
  const state = {
    e: null, error: null, status: 0, depts: [], msg: null, errs: {},
    // What is typed and not yet saved: the page is drawn anew whenever
    // an answer arrives (another item saved or moved, a refusal), and
    // the forms are drawn from these. drafts: item id -> {minutes,
    // decision}; problem: the problem form's fields once touched;
    // attended: the attendance ticks (e<id>, d<id> -> checked) and
    // picked: the event's state chosen, until saved.
    drafts: new Map(), add: {}, problem: null, attended: {}, picked: {},
  };

  async function load() {
    try {
      state.e = (await api('GET', `/events/${id}`)).data;
      state.error = null;
    } catch (e) {
      state.error = e.status === 404 ? t('evt.notfound', { id }) : e.message;
      state.status = e.status;
    }
  }
  await load();
  if (state.e && state.e.may_run) {
    try { state.depts = (await api('GET', '/departments')).data.items || []; } catch { state.depts = []; }
  }
  if (!ctx.alive()) return null;

  // Runs a change, then shows the event as the answer gives it; ok()
  // runs when it is done.
  async function change(method, path, body, okMsg, form, ok) {
    state.errs = {};
    state.msg = null;
    try {
      const r = await api(method, path, { body });
      if (r.data && r.data.id === id) state.e = r.data;
      else await load();
      state.msg = okMsg || null;
      if (ok) ok();
    } catch (e) {
      state.errs[form || 'general'] = e.message;
    }
    if (ctx.alive()) draw();
  }

  const e = () => state.e;

  function move(item, by) {
    const ids = e().agenda.map((i) => i.id);
    const at = ids.indexOf(item.id);
    const to = at + by;
    if (to < 0 || to >= ids.length) return;
    [ids[at], ids[to]] = [ids[to], ids[at]];
    change('PATCH', `/events/${id}`, { agenda: ids });
  }

  function caseLine(c) {
    return h('li', { class: 'evt-case', 'data-testid': 'item-case', 'data-case': c.id, 'data-state': c.state },
      h('a', { href: `/cases/${c.id}`, class: 'mono' }, c.tracking_code), ' ',
      h('span', { class: 'badge' }, label('case.state', c.state)), ' ',
      c.overdue ? h('span', { class: 'badge badge-warn' }, t('evt.case.overdue')) : null, ' ',
      c.enterprise ? h('span', { class: 'muted small' }, localName(c.enterprise)) : null, ' ',
      h('span', { class: 'small' }, c.excerpt));
  }

  function itemView(item, i, n, run, minutes = true) {
    const reason = item.reason ? t(`evt.reason.${item.reason}`) : t(`evt.source.${item.source}`);
    const typed = state.drafts.get(item.id);
    const mins = h('textarea', { class: 'input textarea', rows: 2, id: `minutes-${item.id}`, 'data-testid': 'item-minutes' });
    mins.value = typed ? typed.minutes : item.minutes || '';
    const dec = h('textarea', { class: 'input textarea', rows: 2, id: `decision-${item.id}`, 'data-testid': 'item-decision' });
    dec.value = typed ? typed.decision : item.decision || '';
    const keep = () => state.drafts.set(item.id, { minutes: mins.value, decision: dec.value });
    mins.addEventListener('input', keep);
    dec.addEventListener('input', keep);
    const save = () => {
      const sent = { minutes: mins.value, decision: dec.value };
      change('PATCH', `/events/${id}/items/${item.id}`, sent, t('evt.saved'), null, () => {
        // Saved: the item shows what it holds, unless more was typed meanwhile.
        const now = state.drafts.get(item.id);
        if (now && now.minutes === sent.minutes && now.decision === sent.decision) state.drafts.delete(item.id);
      });
    };
    return h('li', { class: 'card evt-item', 'data-testid': 'agenda-item', 'data-id': item.id, 'data-source': item.source },
      h('div', { class: 'evt-item-head' },
        h('span', { class: 'evt-item-pos' }, `${i + 1}.`),
        h('strong', { class: 'evt-item-title' }, item.title),
        h('span', { class: `badge evt-reason evt-reason-${item.reason || item.source}` }, reason),
        run && minutes ? h('span', { class: 'evt-item-tools' },
          h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'aria-label': t('evt.item.up'), 'data-testid': 'item-up',
            disabled: i === 0, onclick: () => move(item, -1) }, icon('up')),
          h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'aria-label': t('evt.item.down'), 'data-testid': 'item-down',
            disabled: i === n - 1, onclick: () => move(item, 1) }, icon('down')),
          h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'data-testid': 'item-drop',
            onclick: () => change('DELETE', `/events/${id}/items/${item.id}`) }, icon('close'), t('evt.item.drop'))) : null),
      item.department ? h('p', { class: 'muted small' }, t('evt.item.dept', { dept: localName(item.department, 'name', 'name_en') })) : null,
      item.cases.length ? h('ul', { class: 'evt-cases' }, item.cases.map(caseLine)) : null,
      run && minutes
        ? h('div', { class: 'evt-minutes' },
          h('label', { for: `minutes-${item.id}` }, t('evt.item.minutes')), mins,
          h('label', { for: `decision-${item.id}` }, t('evt.item.decision')), dec,
          h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-testid': 'item-save', onclick: save },
            t('evt.item.save')))
        : (item.minutes || item.decision ? h('dl', { class: 'fields fields-compact' },
          item.minutes ? [h('dt', null, t('evt.item.minutes')), h('dd', { 'data-testid': 'item-minutes-text' }, item.minutes)] : null,
          item.decision ? [h('dt', null, t('evt.item.decision')), h('dd', { 'data-testid': 'item-decision-text' }, item.decision)] : null) : null));
  }

  function deptSelect(idAttr, none) {
    return h('select', { id: idAttr, class: 'input' },
      none ? h('option', { value: '' }, t('evt.add.none')) : null,
      state.depts.map((d) => h('option', { value: d.id }, localName(d, 'name', 'name_en'))));
  }

  function addForm() {
    const title = kept(h('input', { id: 'add-title', class: 'input', maxlength: 100 }), state.add, 'title');
    const dept = kept(deptSelect('add-dept', true), state.add, 'dept');
    return h('form', { class: 'card evt-add', id: 'agenda-add', onsubmit: (ev) => {
      ev.preventDefault();
      const body = { title: title.value.trim() };
      if (dept.value) body.department_id = Number(dept.value);
      change('POST', `/events/${id}/items`, body, null, 'add', () => { state.add = {}; });
    } },
    h('h3', { class: 'card-title' }, t('evt.add')),
    h('div', { class: 'evt-form-grid' },
      h('div', { class: 'field' }, h('label', { for: 'add-title' }, t('evt.add.title')), title),
      h('div', { class: 'field' }, h('label', { for: 'add-dept' }, t('evt.add.dept')), dept)),
    state.errs.add ? h('p', { class: 'field-error', role: 'alert' }, state.errs.add) : null,
    h('button', { type: 'submit', class: 'btn btn-secondary', id: 'agenda-add-go' }, t('evt.add.go')));
  }

  function problemForm() {
    const ents = e().invited.enterprises;
    if (!state.problem) {
      state.problem = { deadline: new Date(Date.now() + (8 + 14 * 24) * 3600e3).toISOString().slice(0, 10) };
    }
    const p = state.problem;
    const ent = kept(h('select', { id: 'problem-enterprise', class: 'input' },
      ents.map((x) => h('option', { value: x.id }, localName(x)))), p, 'enterprise');
    const text = kept(h('textarea', { id: 'problem-text', class: 'input textarea', rows: 3, maxlength: 4000 }), p, 'text');
    const dept = kept(deptSelect('problem-dept', false), p, 'dept');
    const due = kept(h('input', { id: 'problem-deadline', type: 'date', class: 'input' }), p, 'deadline');
    return h('form', { class: 'card evt-problem', id: 'problem-form', onsubmit: async (ev) => {
      ev.preventDefault();
      state.errs = {};
      try {
        const r = await api('POST', `/events/${id}/problems`, { body: {
          enterprise_id: Number(ent.value), text: text.value.trim(), department_id: Number(dept.value), deadline: due.value,
        } });
        await load();
        state.msg = t('evt.problem.done', { code: r.data.case.tracking_code });
        state.problem = null;
      } catch (err) {
        state.errs.problem = err.message;
      }
      if (ctx.alive()) draw();
    } },
    h('h3', { class: 'card-title' }, t('evt.problem')),
    h('div', { class: 'evt-form-grid' },
      h('div', { class: 'field' }, h('label', { for: 'problem-enterprise' }, t('evt.problem.enterprise')), ent),
      h('div', { class: 'field' }, h('label', { for: 'problem-dept' }, t('evt.problem.dept')), dept),
      h('div', { class: 'field' }, h('label', { for: 'problem-deadline' }, t('evt.problem.deadline')), due)),
    h('div', { class: 'field' }, h('label', { for: 'problem-text' }, t('evt.problem.text')), text),
    state.errs.problem ? h('p', { class: 'field-error', role: 'alert' }, state.errs.problem) : null,
    h('button', { type: 'submit', class: 'btn btn-primary', id: 'problem-go' }, t('evt.problem.go')));
  }

  function invited(run) {
    const ev = e();
    const boxes = new Map();
    const rows = ev.invited.enterprises.map((x) => {
      const box = run ? kept(h('input', { type: 'checkbox', class: 'checkbox', checked: x.attended, 'aria-label': t('evt.attended') }),
        state.attended, `e${x.id}`) : null;
      if (box) boxes.set(`e${x.id}`, [x.id, box, 'e']);
      return h('li', { class: 'evt-invitee', 'data-testid': 'invitee', 'data-id': x.id, 'data-reply': x.reply || 'none' },
        box, ' ', localName(x), ' ',
        h('span', { class: `badge evt-reply-${x.reply || 'none'}` }, t(`evt.reply.${x.reply || 'none'}`)),
        x.reply_note ? h('span', { class: 'muted small' }, ` ${x.reply_note}`) : null);
    });
    const drows = ev.invited.departments.map((d) => {
      const key = `d${d.department_id || d.id}`;
      const box = run ? kept(h('input', { type: 'checkbox', class: 'checkbox', checked: d.attended, 'aria-label': t('evt.attended') }),
        state.attended, key) : null;
      if (box) boxes.set(key, [d.id, box, 'd']);
      return h('li', { class: 'evt-invitee', 'data-testid': 'invited-dept', 'data-id': d.id },
        box, ' ', localName(d, 'name', 'name_en'), ' ', h('span', { class: 'muted small' }, t(`evt.why.${d.why}`)));
    });
    const mine = ev.invited.enterprises.find((x) => app.user.role === 'enterprise' && x.id === app.user.enterprise_id);
    return h('section', { class: 'card evt-invited' },
      h('h2', { class: 'card-title' }, t('evt.invited')),
      ev.replies ? h('p', { class: 'muted', 'data-testid': 'replies' },
        t('evt.replies', { coming: ev.replies.coming, not: ev.replies.not_coming, none: ev.replies.none })) : null,
      mine ? h('p', { class: 'evt-my-reply' }, t('evt.reply.mine'), ' ',
        ['coming', 'not_coming'].map((r) => h('button', {
          type: 'button', class: ['btn', 'btn-small', mine.reply === r ? 'btn-primary' : 'btn-secondary'], 'data-testid': `reply-${r}`,
          onclick: () => change('POST', `/events/${id}/reply`, { reply: r }, t('evt.saved')),
        }, t(`evt.reply.${r}`)))) : null,
      h('ul', { class: 'evt-invitees' }, rows),
      drows.length ? h('ul', { class: 'evt-invitees' }, drows) : null,
      run ? h('button', { type: 'button', class: 'btn btn-secondary btn-small', id: 'attendance-save', onclick: () => {
        const att = { enterprises: [], departments: [] };
        for (const [xid, box, kind] of boxes.values()) if (box.checked) att[kind === 'e' ? 'enterprises' : 'departments'].push(xid);
        change('PATCH', `/events/${id}`, { attendance: att }, t('evt.saved'), null, () => { state.attended = {}; });
      } }, t('evt.attendance.save')) : null);
  }

  function followUp() {
    const f = e().follow_up;
    return h('section', { class: 'card evt-followup', 'data-testid': 'follow-up' },
      h('h2', { class: 'card-title' }, t('evt.followup')),
      f ? [h('p', { class: 'muted' }, h('a', { href: `/events/${f.event.id}` }, t('evt.followup.of', { title: f.event.title, date: f.event.starts_at.slice(0, 10) }))),
        h('ol', { class: 'evt-agenda' }, f.items.map((it, i) => itemView(it, i, f.items.length, false, false)))]
        : h('p', { class: 'muted' }, t('evt.followup.none')));
  }

  function draw() {
    keepFocus(root, drawPage);
  }

  function drawPage() {
    if (state.error) {
      root.replaceChildren(h('div', { class: 'alert alert-error', role: 'alert' }, state.error));
      return;
    }
    const ev = e();
    const run = ev.may_run;
    app.setTitle(ev.title);
    const stateSel = kept(h('select', { id: 'event-state', class: 'input input-small' },
      ['planned', 'held', 'cancelled'].map((s) => h('option', { value: s, selected: s === ev.state }, t(`evt.state.${s}`)))),
    state.picked, 'state');
    root.replaceChildren(
      h('nav', { class: 'crumbs' }, h('a', { href: '/events' }, t('evt.title'))),
      h('div', { class: 'page-head' },
        h('div', null,
          h('h1', { id: 'event-title' }, ev.title),
          h('p', { class: 'muted' }, `${when(ev)} · ${localName(ev.kind)} · ${ev.place}`),
          h('p', { class: 'muted small' }, t('evt.organiser', { name: localName(ev.organiser) })),
          h('div', { class: 'badges' }, stateBadge(ev.state), h('span', { class: 'badge' }, ev.quarter))),
        h('div', { class: 'evt-head-actions' },
          h('a', { class: 'btn btn-secondary', href: `/api/v1/events/${ev.id}.ics`, download: `event-${ev.id}.ics`, id: 'event-ics' }, t('evt.ics')),
          run ? h('span', { class: 'evt-state-edit' }, stateSel,
            h('button', { type: 'button', class: 'btn btn-secondary btn-small', id: 'event-state-save',
              onclick: () => change('PATCH', `/events/${id}`, { state: stateSel.value }, t('evt.saved'), null, () => { state.picked = {}; }),
            }, t('evt.save'))) : null)),
      state.msg ? h('div', { class: 'alert alert-ok', role: 'status', 'data-testid': 'event-msg' }, state.msg) : null,
      state.errs.general ? h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'event-error' }, state.errs.general) : null,
      followUp(),
      h('section', { class: 'evt-agenda-section' },
        h('div', { class: 'evt-section-head' },
          h('h2', null, t('evt.agenda')),
          run ? h('button', { type: 'button', class: 'btn btn-primary', id: 'agenda-draft', onclick: async () => {
            await change('POST', `/events/${id}/agenda/draft`);
            state.msg = t('evt.agenda.drafted', { n: e().agenda.length });
            draw();
          } }, t('evt.agenda.draft')) : null),
        ev.agenda.length
          ? h('ol', { class: 'evt-agenda', id: 'agenda' }, ev.agenda.map((it, i) => itemView(it, i, ev.agenda.length, run)))
          : h('p', { class: 'muted', 'data-testid': 'agenda-empty' }, t('evt.agenda.none')),
        run ? addForm() : null,
        run ? problemForm() : null),
      invited(run));
  }

  draw();
  return null;
}
