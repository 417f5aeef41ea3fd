// One public suggestion (/suggestions/{id}): what was suggested, what
// became of it, the department's reply, the plan's progress and the
// milestones reached, as GET /api/v1/public/suggestions/{id} gives them;
// a merged one links to the suggestion it joined. Open to everyone; it
// shows no person.
import { h, icon } from '../dom.js';
import { t, formatDateTime, streetName } from '../i18n.js';
import { api } from '../api.js';
import { stateBadge, categoryName, departmentName } from '../casekit.js';
import { publicPlan } from '../caseplan.js';
import '../plan-i18n.js';

export async function render(ctx) {
  const { root, app, params } = ctx;
  const id = Number(params.id);
  let data = null;
  let error = null;

  app.setTitle(t('sug.title', { id }));
  root.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('common.loading')));
  try {
    data = (await api('GET', `/public/suggestions/${id}`, { noAuthRedirect: true })).data;
  } catch (e) {
    error = e;
  }
  if (!ctx.alive()) return null;

  function back() {
    return h('nav', { class: 'breadcrumb', 'aria-label': t('nav.breadcrumb') },
      h('a', { href: '/suggestions' }, icon('back'), h('span', null, t('sug.back'))));
  }

  function draw() {
    app.setTitle(t('sug.title', { id }));
    if (error) {
      root.replaceChildren(h('div', { class: 'public-page' }, back(),
        h('h1', null, t('sug.title', { id })),
        h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'suggestion-error' },
          error.status === 404 ? t('sug.notfound') : error.message)));
      return;
    }
    const s = data.suggestion;
    root.replaceChildren(h('div', { class: 'public-page suggestion-page', 'data-testid': 'suggestion-page', 'data-state': s.state },
      back(),
      h('div', { class: 'page-head' }, h('h1', null, t('sug.title', { id }))),
      h('section', { class: 'card' },
        h('div', { class: 'suggestion-head' },
          s.merged_into && s.joined
            ? h('a', { class: 'badge badge-muted', href: `/suggestions/${s.joined.id}`, 'data-testid': 'suggestion-joined' },
              t('sugs.joined', { id: s.joined.id }))
            : s.merged_into ? h('span', { class: 'badge badge-muted' }, t('sugs.joined.other')) : stateBadge(s.state),
          h('span', { class: 'badge' }, categoryName(s.category)),
          s.street ? h('span', { class: 'muted small' }, streetName(s.street, s.jurisdiction)) : null,
          h('time', { class: 'muted small', datetime: s.created_at }, formatDateTime(s.created_at))),
        h('p', { class: 'suggestion-text' }, s.text),
        s.reply ? h('div', { class: 'suggestion-reply', 'data-testid': 'suggestion-reply' },
          h('p', { class: 'reply-who' }, `${t('sugs.reply')} · ${departmentName(s.department)}`),
          h('p', null, s.reply)) : null),
      publicPlan(data.plan)));
  }

  draw();
  return { onLang: draw };
}
