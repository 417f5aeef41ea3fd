// Sign-in: POST /api/v1/session, then on to where the user was going.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';

export function render(ctx) {
  const { root, app, query } = ctx;
  const state = { username: '', error: null, busy: false };

  function draw() {
    app.setTitle(t('login.title'));
    const username = h('input', {
      id: 'login-username', name: 'username', type: 'text', class: 'input', autocomplete: 'username',
      autocapitalize: 'none', spellcheck: 'false', required: true, value: state.username,
    });
    const password = h('input', {
      id: 'login-password', name: 'password', type: 'password', class: 'input', autocomplete: 'current-password', required: true,
    });
    const error = h('div', {
      id: 'login-error', class: 'alert alert-error', role: 'alert', hidden: !state.error,
    }, state.error || '');
    const submit = h('button', { id: 'login-submit', type: 'submit', class: 'btn btn-primary btn-block' },
      t('login.submit'));
    const form = h('form', { id: 'login-form', class: 'login-form', novalidate: true },
      error,
      h('div', { class: 'field' }, h('label', { for: 'login-username' }, t('login.username')), username),
      h('div', { class: 'field' }, h('label', { for: 'login-password' }, t('login.password')), password),
      submit);

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (state.busy) return;
      state.username = username.value.trim();
      const showError = (msg) => {
        state.error = msg;
        error.textContent = msg;
        error.hidden = false;
      };
      if (!state.username || !password.value) {
        showError(t('login.required'));
        (state.username ? password : username).focus();
        return;
      }
      state.busy = true;
      submit.disabled = true;
      submit.textContent = t('login.busy');
      form.setAttribute('aria-busy', 'true');
      try {
        const r = await api('POST', '/session', {
          body: { username: state.username, password: password.value }, noAuthRedirect: true,
        });
        state.error = null;
        app.signedIn(r.data);
        app.navigate(app.safeNext(query.get('next')), { replace: true });
      } catch (e) {
        showError(e.message);
        password.value = '';
        password.focus();
      } finally {
        state.busy = false;
        submit.disabled = false;
        submit.textContent = t('login.submit');
        form.removeAttribute('aria-busy');
      }
    });

    root.replaceChildren(h('section', { class: 'login-wrap' },
      h('div', { class: 'card login-card' },
        h('div', { class: 'login-head' },
          h('img', { class: 'login-mark', src: '/logo.svg', alt: '', width: 48, height: 48 }),
          h('div', null,
            h('h1', null, t('login.title')),
            h('p', { class: 'muted' }, t('app.title')))),
        h('p', null, t('login.intro')),
        form),
      h('div', { class: 'login-residents' },
        h('a', { class: 'btn btn-secondary btn-touch', href: '/suggest', id: 'login-suggest' }, t('login.suggest')),
        h('a', { class: 'btn btn-secondary btn-touch', href: '/track', id: 'login-track' }, t('login.track')),
        h('a', { class: 'btn btn-secondary btn-touch', href: '/services', id: 'login-services' }, t('login.services'))),
      h('p', { class: 'login-public' }, t('login.public'), ' ',
        h('a', { href: '/bulletin' }, t('nav.bulletin')), ' · ',
        h('a', { href: '/suggestions' }, t('login.suggestions')))));
    return username;
  }

  const first = draw();
  if (!state.username) first.focus();
  return {
    onLang() {
      const u = root.querySelector('#login-username');
      state.username = u ? u.value : state.username;
      draw();
    },
  };
}
