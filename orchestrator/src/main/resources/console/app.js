// The console's frame: routes (#/..., so the server serves one page), polling, sign-in, and the
// confirmation asked before anything changes a saga.

import { SignInNeeded, basic, bearer, signIn, signOut, signedIn } from './api.js';
import * as overview from './overview.js';
import * as sagas from './sagas.js';
import * as saga from './saga.js';
import * as definitions from './definitions.js';

/** How often the page asks the API again. */
const POLL_MILLIS = 3000;

const routes = [
  { pattern: /^#?\/?$/, section: 'overview', view: overview },
  { pattern: /^#\/sagas\/([^/?]+)\/([^/?]+)$/, section: 'sagas', view: saga },
  { pattern: /^#\/sagas(?:\?(.*))?$/, section: 'sagas', view: sagas },
  { pattern: /^#\/definitions(?:\/([^/?]+)(?:\/(\d+))?)?$/, section: 'definitions', view: definitions },
];

const main = document.getElementById('main');
const live = document.getElementById('live');
let current = null;
let timer = null;

function route() {
  const hash = location.hash || '#/';
  for (const { pattern, section, view } of routes) {
    const match = pattern.exec(hash);
    if (match) return { section, view, params: match.slice(1).map((p) => (p === undefined ? p : decodeURIComponent(p))) };
  }
  return null;
}

async function show() {
  clearTimeout(timer);
  const found = route();
  for (const link of document.querySelectorAll('nav a')) {
    if (found && link.dataset.section === found.section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  main.replaceChildren();
  if (!found) {
    const heading = document.createElement('h1');
    heading.textContent = 'No such page';
    main.append(heading);
    return;
  }
  current = found.view.mount(main, found.params, { confirm, refreshSoon });
  document.title = `${main.querySelector('h1')?.textContent ?? 'Console'} · Sagastream`;
  await tick();
}

async function tick() {
  clearTimeout(timer);
  const view = current;
  try {
    await view.refresh();
    if (view !== current) return;
    live.textContent = `live · ${new Date().toLocaleTimeString('en-GB', { hour12: false })}`;
    live.classList.remove('down');
  } catch (error) {
    if (view !== current) return;
    if (error instanceof SignInNeeded) {
      askToSignIn(signedIn() ? 'Those credentials were not accepted.' : '');
      return;
    }
    live.textContent = `not updated: ${error.message}`;
    live.classList.add('down');
  }
  document.getElementById('sign-out').hidden = !signedIn();
  if (view === current) timer = setTimeout(tick, document.hidden ? POLL_MILLIS * 5 : POLL_MILLIS);
}

/** Asks again at once, and once more shortly after: the result of an action shows without a wait. */
function refreshSoon() {
  tick();
  setTimeout(tick, 800);
}

function askToSignIn(problem) {
  const dialog = document.getElementById('sign-in');
  document.getElementById('sign-in-error').textContent = problem;
  live.textContent = 'signed out';
  live.classList.add('down');
  if (!dialog.open) dialog.showModal();
}

document.getElementById('sign-in-form').addEventListener('submit', (event) => {
  const form = event.target;
  const token = form.token.value.trim();
  if (!token && !form.user.value) {
    event.preventDefault();
    document.getElementById('sign-in-error').textContent = 'Give a user and password, or a token.';
    return;
  }
  signIn(token ? bearer(token) : basic(form.user.value, form.password.value));
  form.password.value = '';
  form.token.value = '';
  tick();
});

document.getElementById('sign-in').addEventListener('cancel', (event) => {
  // Without credentials there is nothing to show: the dialog stays until the user signs in.
  event.preventDefault();
});

document.getElementById('sign-out').addEventListener('click', () => {
  signOut();
  askToSignIn('');
});

/**
 * Asks the user to confirm `action` in a modal dialog; resolves true only for an explicit yes.
 * The safe answer has the focus, so Enter or Escape never changes a saga by accident.
 */
function confirm({ title, text, action }) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = action;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && current) tick();
});
window.addEventListener('hashchange', () => {
  show();
  main.focus({ preventScroll: true });
});
document.getElementById('skip').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
show();
