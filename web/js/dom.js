// Small DOM helpers: elements are built with textContent, never innerHTML,
// so nothing a record holds is ever read as markup.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function status(message) {
  document.getElementById('status').textContent = message || '';
}

export function errorBox(err) {
  return el('p', { class: 'error', role: 'alert' }, err.describe ? err.describe() : String(err));
}

export function recordLink(name, label) {
  return el('a', { href: `#/r/${name}` }, label || name);
}

// A value of a record as text: a Quantity as "value unit", times as they
// come (RFC 3339), enums without their prefix, lists joined.
export function valueText(v) {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(valueText).join(', ');
  if (typeof v === 'object') {
    if ('value' in v && 'unit' in v && Object.keys(v).length === 2) return `${v.value} ${v.unit}`;
    if ('unit' in v && Object.keys(v).length === 1) return `0 ${v.unit}`;
    return Object.entries(v).map(([k, x]) => `${k}: ${valueText(x)}`).join('; ');
  }
  return String(v);
}

// Rows of a key/value table for an object, nested objects as dotted keys
// (a Quantity stays one value with its unit).
export function kvRows(obj, prefix = '') {
  const rows = [];
  for (const [k, v] of Object.entries(obj || {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    const quantity = v && typeof v === 'object' && !Array.isArray(v) && 'unit' in v;
    if (v && typeof v === 'object' && !Array.isArray(v) && !quantity) rows.push(...kvRows(v, key));
    else rows.push(el('tr', {}, el('th', { scope: 'row' }, key), el('td', {}, valueCell(v))));
  }
  return rows;
}

const RECORD_NAME = /^institutions\/[^/]+\/(samples|cellTests|characterizations)\/[^/@]+$/;

// A value, with the names of records as links to their pages.
function valueCell(v) {
  const names = Array.isArray(v) ? v : [v];
  if (names.length && names.every((n) => typeof n === 'string' && RECORD_NAME.test(n))) {
    return names.flatMap((n, i) => (i ? [', ', recordLink(n)] : [recordLink(n)]));
  }
  return valueText(v);
}

export function kvTable(obj, label) {
  const rows = kvRows(obj);
  if (!rows.length) return el('p', { class: 'muted' }, 'nothing');
  return el('table', { class: 'kv', 'aria-label': label }, el('tbody', {}, rows));
}

// Saves bytes the page fetched (with the token) as a file.
export function saveBlob(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: fileName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
