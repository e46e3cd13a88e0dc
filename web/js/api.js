// The hub's HTTP/JSON API as the page uses it. The token lives in
// sessionStorage (this tab, until it closes) and goes in the Authorization
// header, never in a URL.
const TOKEN_KEY = 'batteryhub.token';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (t) => sessionStorage.setItem(TOKEN_KEY, t),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

// An error answer of the hub: google.rpc.Status as JSON, with its details.
export class HubError extends Error {
  constructor(httpStatus, status) {
    super(status.message || `HTTP ${httpStatus}`);
    this.httpStatus = httpStatus;
    this.code = status.code;
    this.details = status.details || [];
  }
  get violations() {
    return this.details.flatMap((d) => d.fieldViolations || []);
  }
  describe() {
    const lines = [this.message, ...this.violations.map((v) => `${v.field}: ${v.description}`)];
    return lines.join('\n');
  }
}

// Path segments are names like institutions/nrc/cellTests/ct-001: each
// segment is encoded, the slashes kept.
export function path(name) {
  return name.split('/').map(encodeURIComponent).join('/');
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) q.append(k, String(one));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function send(url) {
  const headers = {};
  const t = token.get();
  if (t) headers.Authorization = `Bearer ${t}`;
  const response = await fetch(url, { headers, cache: 'no-store' });
  if (!response.ok) {
    let status = { message: `HTTP ${response.status}` };
    try { status = await response.json(); } catch (_) { /* not JSON */ }
    throw new HubError(response.status, status);
  }
  return response;
}

export async function get(url) {
  return (await send(url)).json();
}

export async function blob(url) {
  return (await send(url)).blob();
}

export async function text(url) {
  return (await send(url)).text();
}

// Every page of a List call, up to `limit` items.
export async function all(url, params, field, limit = 10000) {
  const items = [];
  let pageToken = '';
  do {
    const page = await get(url + query({ ...params, page_token: pageToken }));
    items.push(...(page[field] || []));
    pageToken = page.nextPageToken || '';
  } while (pageToken && items.length < limit);
  return items;
}
