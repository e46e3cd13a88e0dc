// The web view: sign-in, then hash routes
//   #/search/{kind}?filter=…      search one kind, in pages
//   #/r/{record name}             a record (a cell test with its plots)
//   #/compare?tests=a,b           capacity fade of several cell tests
import * as api from './api.js';
import { el, errorBox, status } from './dom.js';
import { renderSearch } from './search.js';
import { prefetchRecord, renderRecord } from './record.js';
import { renderCompare } from './compare.js';

const main = document.getElementById('main');
let identity = null;

function parseHash() {
  const hash = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  const [route, q = ''] = hash.split('?');
  return { route, params: new URLSearchParams(q) };
}

function renderSignIn(message) {
  const input = el('input', { type: 'password', id: 'token', autocomplete: 'off', required: true, size: 48 });
  const form = el('form', { class: 'signin', onsubmit: async (ev) => {
    ev.preventDefault();
    api.token.set(input.value.trim());
    await start();
  } },
  el('h1', {}, 'Sign in'),
  el('p', {}, 'Paste the bearer token your institution\'s steward gave you (',
    el('code', {}, 'bhub token create'), '). It is kept in this tab only.'),
  el('label', { for: 'token' }, 'Token '), input, ' ', el('button', { type: 'submit', id: 'signin' }, 'Sign in'),
  message ? errorBox(message) : null);
  main.replaceChildren(form);
  input.focus();
}

async function route() {
  if (!identity) return;
  const { route: r, params } = parseHash();
  status('');
  try {
    if (r.startsWith('r/')) await renderRecord(main, r.slice(2), identity);
    else if (r.startsWith('compare')) await renderCompare(main, params);
    else await renderSearch(main, r.startsWith('search/') ? r.slice(7) : 'cellTests', params);
  } catch (err) {
    main.replaceChildren(errorBox(err));
  }
  main.focus({ preventScroll: true });
}

async function start() {
  if (!api.token.get()) return renderSignIn();
  const identityCall = api.get('/v1/identity');
  const { route: first } = parseHash();
  if (first.startsWith('r/')) prefetchRecord(first.slice(2));
  try {
    identity = await identityCall;
  } catch (err) {
    api.token.clear();
    identity = null;
    return renderSignIn(err);
  }
  document.getElementById('who').textContent =
    `${identity.principal} (${identity.role.replace('ROLE_', '').toLowerCase()})`;
  document.getElementById('signout').hidden = false;
  await route();
}

document.getElementById('signout').addEventListener('click', () => {
  api.token.clear();
  identity = null;
  document.getElementById('who').textContent = '';
  document.getElementById('signout').hidden = true;
  renderSignIn();
});
window.addEventListener('hashchange', route);
start();
