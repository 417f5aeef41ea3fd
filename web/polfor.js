// "Policies for you" on an enterprise's page: the measures in force that
// serve it, as GET /api/v1/enterprises/{id}/policies answers — those it
// qualifies for with the estimated amount, those it nearly qualifies for
// with what is missing ("R&D intensity 3 %, needs ≥ 3.5 %"), those that
// are unknown for lack of data with the facts to collect — each with the
// criteria read and their values. The enterprise's own contact applies
// here to an apply measure it does not fail, naming the documents the
// measure asks for, and sees how its applications stand.
import { h, append, kept } from './dom.js';
import { t, isZh, label } from './i18n.js';
import { api } from './api.js';
import { isEnterprise, title, money, modeBadge, appStateBadge } from './polkit.js';

const GROUPS = ['qualified', 'nearly', 'unknown'];
const OPEN_STATES = ['applied', 'review', 'approved', 'paid'];

// "revenue(2025)" -> "营业收入（2025）" / "revenue (2025)".
export function factName(raw) {
  const m = /^([a-z_]+)(?:\((.*)\))?$/.exec(raw || '');
  if (!m) return raw;
  const k = `pol.fact.${m[1]}`;
  const name = t(k);
  if (name === k) return raw;
  if (m[2] === undefined) return name;
  return isZh() ? `${name}（${m[2]}）` : `${name} (${m[2]})`;
}

// A value read as the console names it elsewhere: 在营 for active,
// 是 for true; numbers and the rest as the server wrote them.
function valueText(name, text) {
  if (text === 'true') return t('common.yes');
  if (text === 'false') return t('common.no');
  const kind = { status: 'status', stage: 'stage', size: 'size', size_derived: 'size' }[name];
  return kind ? label(kind, text) : text;
}

const VALUE_MARK = { true: '✓', false: '✗', unknown: '?', nearly: '≈' };

function criterion(c) {
  const gap = isZh() ? c.gap_zh : c.gap_en;
  return h('li', { class: ['pol-crit', `pol-crit-${c.value}`, !c.top && 'pol-crit-sub'], 'data-testid': 'criterion', 'data-value': c.value },
    h('span', { class: 'pol-crit-mark', 'aria-hidden': 'true' }, VALUE_MARK[c.value] || '·'),
    h('span', { class: 'visually-hidden' }, t(`pol.crit.${c.value}`)),
    h('div', { class: 'pol-crit-body' },
      h('code', { class: 'pol-crit-text' }, c.text),
      gap ? h('span', { class: 'pol-crit-gap' }, gap)
        : c.reads.length ? h('span', { class: 'pol-crit-reads' }, c.reads.map((r, i) => [i ? t('pol.list.sep') : '',
          h('span', { class: ['pol-read', !r.known && 'is-unknown'], 'data-fact': r.name },
            `${factName(r.name)}${t('pol.read.is')}${r.known ? valueText(r.name, r.text) : t('pol.read.unknown')}`)])) : null,
      c.reason ? h('span', { class: 'pol-crit-reason muted small' }, c.reason) : null));
}

// The console's router drops a link's #fragment; a link to the section
// says so here instead.
let scrollNext = false;
export function showNext() { scrollNext = true; }

// The section, made once per page; .redraw() draws it again (the
// language changed) without asking the server again.
export function policySection(app, id) {
  // drafts: policy id -> the apply form's documents ticked and note
  // typed, which it is drawn from: it is drawn anew while it is sent and
  // when the answer arrives, a refusal included.
  const state = { data: null, error: null, mine: new Map(), applying: null, docs: new Map(), busy: false, note: null, drafts: new Map() };
  const firm = isEnterprise(app.user) && app.user.enterprise_id === id;
  const section = h('section', { class: 'card pol-for', id: 'policies', 'data-section': 'policies', 'aria-labelledby': 'sec-policies', 'data-testid': 'policies-for' });

  async function load() {
    try {
      const [m, apps] = await Promise.all([
        api('GET', `/enterprises/${id}/policies`),
        firm ? api('GET', '/applications', { query: { mine: '1' } }) : null,
      ]);
      state.data = m.data;
      state.mine.clear();
      // The newest application of each measure (the list is newest first).
      if (apps) for (const a of apps.data.items || []) if (!state.mine.has(a.policy.id)) state.mine.set(a.policy.id, a);
      state.error = null;
    } catch (e) {
      if (e.status === 403 || e.status === 404) { section.hidden = true; return; }
      state.error = e.message;
    }
    draw();
    // Come from "does my enterprise qualify?": shown once it is there.
    if (location.hash === '#policies' || scrollNext) section.scrollIntoView({ block: 'start' });
    scrollNext = false;
  }

  async function openForm(p) {
    state.applying = p.id;
    state.note = null;
    if (!state.docs.has(p.id)) {
      try {
        state.docs.set(p.id, (await api('GET', `/policies/${p.id}`)).data.documents);
      } catch (e) {
        state.note = { id: p.id, ok: false, text: e.message };
      }
    }
    draw();
    const first = section.querySelector(`[data-apply-form="${p.id}"] input, [data-apply-form="${p.id}"] textarea`);
    if (first) first.focus();
  }

  async function submit(p, form) {
    if (state.busy) return;
    const documents = [...form.querySelectorAll('input[name=document]:checked')].map((x) => x.value);
    const note = form.querySelector('textarea').value.trim();
    state.busy = true;
    state.note = null;
    draw();
    try {
      const r = await api('POST', `/policies/${p.id}/applications`, { body: { documents, ...(note ? { note } : {}) } });
      state.mine.set(p.id, r.data);
      state.applying = null;
      state.drafts.delete(p.id);
      state.note = { id: p.id, ok: true, text: t('pol.for.applied') };
    } catch (e) {
      state.note = { id: p.id, ok: false, text: e.message };
    }
    state.busy = false;
    draw();
    const n = section.querySelector('[data-testid=apply-note]');
    if (n) n.focus();
  }

  function applyForm(p) {
    const docs = state.docs.get(p.id) || [];
    if (!state.drafts.has(p.id)) state.drafts.set(p.id, {});
    const draft = state.drafts.get(p.id);
    const form = h('form', { class: 'pol-apply', 'data-apply-form': p.id, 'data-testid': 'apply-form', novalidate: true },
      h('fieldset', { class: 'pol-apply-docs' },
        h('legend', null, t('pol.for.documents')),
        docs.length ? docs.map((d, i) => h('label', { class: 'check', for: `apply-${p.id}-doc-${i}` },
          kept(h('input', { type: 'checkbox', class: 'checkbox', name: 'document', id: `apply-${p.id}-doc-${i}`, value: d }), draft, `doc-${i}`), d))
          : h('p', { class: 'muted small' }, t('pol.for.documents.none'))),
      h('div', { class: 'field' }, h('label', { for: `apply-${p.id}-note` }, t('pol.for.note')),
        kept(h('textarea', { id: `apply-${p.id}-note`, class: 'input textarea', rows: 2, maxlength: 200 }), draft, 'note')),
      h('div', { class: 'pol-decide-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary', id: `apply-${p.id}-submit`, disabled: state.busy },
          state.busy ? t('pol.for.applying') : t('pol.for.submit')),
        h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => { state.applying = null; state.drafts.delete(p.id); draw(); } }, t('pol.apps.cancel'))));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); submit(p, form); });
    return form;
  }

  // What the enterprise's contact may do about the measure: follow its
  // application, or apply.
  function applyPart(m) {
    const p = m.policy;
    if (p.mode === 'automatic') return h('p', { class: 'pol-auto muted small' }, t('pol.for.automatic'));
    if (!firm || m.outcome === 'nearly') return null;
    const note = state.note && state.note.id === p.id
      ? h('p', { class: state.note.ok ? 'action-result is-ok' : 'alert alert-error', role: state.note.ok ? 'status' : 'alert', tabindex: '-1', 'data-testid': 'apply-note' }, state.note.text) : null;
    const a = state.mine.get(p.id);
    if (a && OPEN_STATES.includes(a.state)) {
      return [note, h('p', { class: 'pol-mine', 'data-testid': 'my-application' }, t('pol.for.mine'), ' ', appStateBadge(a.state), ' ',
        h('a', { href: '/applications' }, t('pol.for.follow')))];
    }
    if (state.applying === p.id) return [note, applyForm(p)];
    return [note, a ? h('p', { class: 'muted small' }, t('pol.for.rejected', { reason: a.reason || '' })) : null,
      h('button', { type: 'button', class: 'btn btn-primary btn-small', 'data-testid': 'apply', id: `apply-${p.id}`,
        onclick: () => openForm(p) }, t('pol.for.apply'))];
  }

  function item(m, group) {
    const p = m.policy;
    let what = null;
    if (group === 'qualified') {
      what = h('p', { class: 'pol-fit-amount', 'data-testid': 'policy-amount', 'data-amount': m.benefit.amount ?? '' },
        m.benefit.amount !== null ? t('pol.for.amount', { amount: money(m.benefit.amount) })
          : t('pol.for.amount.unknown', { reason: m.benefit.reason || '' }));
    } else if (group === 'nearly' && m.gap) {
      what = h('p', { class: 'pol-fit-gap', 'data-testid': 'policy-gap' }, t('pol.for.gap'), ' ',
        h('strong', null, isZh() ? m.gap.zh : m.gap.en));
    } else if (group === 'unknown') {
      what = h('p', { class: 'pol-fit-missing', 'data-testid': 'policy-missing' }, t('pol.for.missing'), ' ',
        m.missing.map((f, i) => [i ? t('pol.list.sep') : '', h('span', { class: 'pol-fact', 'data-fact': f }, factName(f))]));
    }
    return h('li', { class: ['pol-fit', `pol-fit-${group}`], 'data-testid': 'policy-fit', 'data-outcome': m.outcome, 'data-policy': p.id },
      h('div', { class: 'pol-fit-head' },
        h('a', { class: 'pol-fit-title', href: `/policies/${p.id}` }, title(p)),
        modeBadge(p.mode), h('span', { class: 'muted small' }, p.issuer)),
      what,
      h('details', { class: 'pol-criteria', open: group !== 'qualified' },
        h('summary', null, t('pol.for.criteria', { n: m.criteria.filter((c) => c.top).length })),
        h('ul', { class: 'pol-crit-list' }, m.criteria.map(criterion))),
      applyPart(m));
  }

  function draw() {
    const head = h('h2', { class: 'card-title', id: 'sec-policies' }, t('pol.for.title'));
    if (state.error) {
      section.replaceChildren(head, h('div', { class: 'alert alert-error', role: 'alert' }, state.error));
      return;
    }
    const d = state.data;
    if (!d) {
      section.replaceChildren(head, h('p', { class: 'loading', role: 'status' }, t('common.loading')));
      return;
    }
    const total = GROUPS.reduce((n, g) => n + d[g].length, 0);
    section.replaceChildren();
    append(section, [head,
      h('p', { class: 'muted small' }, t('pol.for.intro', { as_of: d.as_of, n: d.not_qualified })),
      total ? null : h('p', { class: 'muted' }, t('pol.for.none')),
      GROUPS.map((g) => (d[g].length ? h('div', { class: `pol-for-group pol-for-${g}`, 'data-group': g },
        h('h3', { class: 'sub-title' }, t(`pol.for.group.${g}`), ' ', h('span', { class: 'pol-tab-count' }, String(d[g].length))),
        h('ul', { class: 'pol-fit-list' }, d[g].map((m) => item(m, g)))) : null))]);
  }

  section.redraw = draw;
  draw();
  load();
  return section;
}
