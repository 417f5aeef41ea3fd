// What every browser test shares: a real qunyan server with the demo
// town, Debian's chromium started the way this machine allows (no
// sandbox as root, no background networking), and pages that fail the
// test on any script error or Content-Security-Policy violation.
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { start } from '../lib/server.mjs';

// Starts the server and the browser before the file's tests and stops
// both after; returns an object whose srv and browser are set by then.
export function useBrowser() {
  const env = { srv: null, browser: null };
  before(async () => {
    env.srv = await start();
    env.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    if (env.browser) await env.browser.close();
    if (env.srv) await env.srv.stop();
  });
  // A page that records script errors and CSP violations; check() fails
  // the test if there were any.
  env.newPage = async (viewport = { width: 1280, height: 800 }) => {
    const context = await env.browser.newContext({ viewport, locale: 'zh-CN' });
    context.setDefaultTimeout(10000);
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content.Security.Policy|Refused to|Uncaught/i.test(m.text())) {
        problems.push(`console: ${m.text()}`);
      }
    });
    const check = () => assert.deepEqual(problems, [], 'the console ran without script errors or CSP violations');
    return { context, page, check };
  };
  return env;
}

// Follows a link of the bar: one inside a group of links (Registry,
// Services …) is shown once its group's button is pressed.
export async function clickNav(page, key) {
  const link = page.locator(`a[data-nav="${key}"]`).first();
  const group = await link.evaluate((a) => (a.closest('[data-nav-group]') || { dataset: {} }).dataset.navGroup || null);
  if (group && !(await link.isVisible())) await page.click(`[data-nav-group-button="${group}"]`);
  await link.click();
}

// Holds back the page's `method` requests to a path matching `path` (a
// RegExp on the URL's path) until release(), and so their answers: what
// a screen does when a slow answer arrives after the user has acted.
// held() resolves once such a request has been made.
export async function holdAnswers(page, method, path) {
  let open;
  let seen;
  const gate = new Promise((r) => { open = r; });
  const asked = new Promise((r) => { seen = r; });
  const matches = (url) => path.test(new URL(url).pathname);
  const handler = async (route) => {
    if (route.request().method() !== method) return route.fallback();
    seen();
    await gate;
    return route.continue();
  };
  await page.route(matches, handler);
  return {
    held: () => asked,
    release: () => open(),
  };
}
