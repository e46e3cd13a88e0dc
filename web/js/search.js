// Search one kind of record across the institutions the viewer may see,
// with the hub's filter language, one page at a time.
import * as api from './api.js';
import { el, errorBox, recordLink, status } from './dom.js';

export const KINDS = {
  cellTests: { label: 'Cell tests', field: 'cellTests', example: 'summary.capacity_retention < 0.9' },
  samples: { label: 'Samples', field: 'samples', example: 'kind = SAMPLE_KIND_CELL' },
  characterizations: { label: 'Characterisations', field: 'characterizations', example: 'technique = TECHNIQUE_XRD' },
};
const PAGE_SIZE = 20;

function columns(kind, r) {
  const cells = [el('td', {}, recordLink(r.name)), el('td', {}, r.displayName || ''),
    el('td', {}, (r.owner || '').replace('institutions/', ''))];
  if (kind === 'cellTests') {
    cells.push(el('td', {}, r.summary ? String(r.summary.cycleCount || 0) : ''));
    cells.push(el('td', {}, el('input', { type: 'checkbox', class: 'pick', value: r.name,
      'aria-label': `compare ${r.name}` })));
  } else if (kind === 'characterizations') {
    cells.push(el('td', {}, (r.technique || '').replace('TECHNIQUE_', '')));
  } else {
    cells.push(el('td', {}, (r.kind || '').replace('SAMPLE_KIND_', '').toLowerCase()));
  }
  cells.push(el('td', {}, (r.updateTime || '').replace(/\.\d+Z$/, 'Z')));
  return el('tr', {}, cells);
}

export async function renderSearch(main, kind, params) {
  const spec = KINDS[kind];
  if (!spec) throw new Error(`no such kind: ${kind}`);
  const filter = params.get('filter') || '';
  const input = el('input', { type: 'text', class: 'filter', id: 'filter', value: filter,
    placeholder: spec.example, 'aria-label': 'filter' });
  const form = el('form', { class: 'row', role: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    location.hash = `#/search/${kind}?filter=${encodeURIComponent(input.value)}`;
  } }, input, el('button', { type: 'submit' }, 'Search'));
  const results = el('div', { id: 'results' });
  main.replaceChildren(el('h1', {}, spec.label), form,
    el('p', { class: 'muted' }, 'Filter language: AIP-160, e.g. ', el('code', {}, spec.example)), results);

  const tokens = [''];  // page tokens of the pages seen, for Previous
  const head = ['Name', 'Title', 'Owner', kind === 'cellTests' ? 'Cycles' : kind === 'samples' ? 'Kind' : 'Technique']
    .concat(kind === 'cellTests' ? ['Compare'] : [], ['Updated']);

  async function show(pageIndex) {
    status('searching…');
    let page;
    try {
      page = await api.get(`/v1/institutions/-/${kind}` + api.query({
        filter, page_size: PAGE_SIZE, page_token: tokens[pageIndex] }));
    } catch (err) {
      results.replaceChildren(errorBox(err));
      status('');
      return;
    }
    const items = page[spec.field] || [];
    if (page.nextPageToken) tokens[pageIndex + 1] = page.nextPageToken;
    const prev = el('button', { type: 'button', class: 'plain', disabled: pageIndex === 0,
      onclick: () => show(pageIndex - 1) }, '← Previous');
    const next = el('button', { type: 'button', class: 'plain', disabled: !page.nextPageToken,
      onclick: () => show(pageIndex + 1) }, 'Next →');
    const compare = kind === 'cellTests' ? el('button', { type: 'button', id: 'compare', onclick: () => {
      const picked = [...results.querySelectorAll('input.pick:checked')].map((c) => c.value);
      if (picked.length) location.hash = `#/compare?tests=${picked.map(encodeURIComponent).join(',')}`;
    } }, 'Compare selected') : null;
    results.replaceChildren(
      items.length ? el('table', { id: 'result-table', dataset: { count: items.length } },
        el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, items.map((r) => columns(kind, r))))
        : el('p', { class: 'muted', id: 'no-results' }, 'No records match.'),
      el('div', { class: 'row' }, prev, el('span', { class: 'muted' }, `page ${pageIndex + 1}`), next, compare));
    status('');
  }
  await show(0);
}
