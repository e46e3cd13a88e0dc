// A record's page: its metadata (units with every quantity), provenance,
// lineage as a graph, revisions, and its access as the viewer sees it. A
// cell test also gets its plots and downloads.
import * as api from './api.js';
import { el, errorBox, kvTable, recordLink, status, valueText } from './dom.js';
import { lineageGraph } from './lineage.js';
import { renderCellTestPlots } from './celltest.js';
import { renderCurves, resultsTable } from './characterization.js';

const OWN_SECTIONS = ['provenance', 'access', 'series', 'summary', 'curves', 'results'];

function section(title, id, ...body) {
  return el('section', { id, 'aria-labelledby': `${id}-h` }, el('h2', { id: `${id}-h` }, title), ...body);
}

async function optional(promise) {
  try { return { value: await promise }; } catch (err) { return { error: err }; }
}

function revisionsTable(revisions, kind) {
  if (!revisions.length) return el('p', { class: 'muted' }, 'none visible');
  return el('table', { id: 'revisions' },
    el('thead', {}, el('tr', {}, ['Revision', 'Time', 'By', 'Content digest'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, revisions.map((r) => {
      const rec = r[kind] || r.record || r;
      const p = rec.provenance || {};
      return el('tr', {}, el('td', {}, rec.revisionId || ''), el('td', {}, rec.updateTime || p.receiveTime || ''),
        el('td', {}, p.submittedBy || ''), el('td', { class: 'mono' }, (p.contentDigest || '').slice(0, 16)));
    })));
}

// What the viewer gets of the record: from the hub's own decision where the
// viewer may ask for it (stewards, admins: CheckAccess), else read off the
// view itself (which tiers of fields came back).
function accessView(decision, record, identity) {
  const rows = [];
  const access = record.access || {};
  const seenTier = record.series ? 'full' : record.summary ? 'summary' : 'metadata';
  if (decision) {
    rows.push(['You see it at tier', (decision.tier || '').replace('TIER_', '').toLowerCase()]);
    rows.push(['Restricted fields', decision.restrictedFields ? 'shown to you' : 'hidden from you']);
    rows.push(['Because of', valueText(decision.routes || [])]);
    if ((decision.hiddenFields || []).length) rows.push(['Fields hidden from you', valueText(decision.hiddenFields)]);
  } else {
    rows.push(['You see it at tier', `${seenTier} (the fields this view holds)`]);
    rows.push(['Because of', record.owner === identity.institution ? 'owner' : 'its visibility or a grant to your institution']);
  }
  if (access.visibility) rows.push(['Visibility', access.visibility.replace('VISIBILITY_', '').toLowerCase()]);
  if (access.release && access.release.time) rows.push(['Released to more partners at', access.release.time]);
  for (const g of access.grants || []) {
    rows.push([`Grant to ${g.institution}`, `${(g.tier || '').replace('TIER_', '').toLowerCase()}${g.startTime ? ` from ${g.startTime}` : ''}`]);
  }
  return el('table', { class: 'kv', id: 'access-view', dataset: { tier: decision ? (decision.tier || '') : seenTier } },
    el('tbody', {}, rows.map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, v)))));
}

// A record asked for before the viewer's identity came back (the page was
// opened at its URL): fetched in parallel, taken once.
let prefetched = null;
export function prefetchRecord(name) {
  prefetched = { name, call: api.get(`/v1/${api.path(name)}`) };
  prefetched.call.catch(() => {});  // its error is read when it is taken
}

export async function renderRecord(main, name, identity) {
  status('loading…');
  const parts = name.split('/');
  const kind = parts[2];
  if (parts.length !== 4 || parts[0] !== 'institutions' || !['samples', 'cellTests', 'characterizations'].includes(kind)) {
    throw new Error(`not a record name: ${name}`);
  }
  let record;
  try {
    const early = prefetched && prefetched.name === name ? prefetched.call : null;
    prefetched = null;
    record = await (early || api.get(`/v1/${api.path(name)}`));
  } catch (err) {
    status('');
    // A record the viewer may not see answers as one that does not exist.
    const absent = err.httpStatus === 403 || err.httpStatus === 404;
    main.replaceChildren(el('h1', {}, name), el('div', { id: 'record-error' },
      absent ? el('p', {}, 'There is no record of this name that you can see.') : null, errorBox(err)));
    return;
  }
  const rest = Object.fromEntries(Object.entries(record).filter(([k]) => !OWN_SECTIONS.includes(k)));
  const pending = () => el('p', { class: 'muted' }, 'loading…');
  const lineageBox = el('div', {}, pending());
  const revisionsBox = el('div', {}, pending());
  const accessBox = el('div', {}, pending());
  main.replaceChildren(...[
    el('h1', { id: 'record-title', dataset: { name } }, record.displayName || name, ' ',
      el('span', { class: 'pill' }, kind)),
    el('p', { class: 'muted mono' }, name),
    record.summary ? section('Summary', 'summary', kvTable(record.summary, 'summary')) : null,
    kind === 'cellTests' ? section('Plots', 'plots', el('div', { id: 'plot-area' })) : null,
    kind === 'characterizations' ? section('Results', 'results', resultsTable(record)) : null,
    kind === 'characterizations' ? section('Curves', 'curves', el('div', { id: 'curve-area' })) : null,
    section('Metadata', 'metadata', kvTable(rest, 'metadata')),
    section('Provenance', 'provenance', kvTable(record.provenance, 'provenance')),
    section('Lineage', 'lineage', lineageBox),
    section('Revisions', 'revisions-section', revisionsBox),
    section('Access as you see it', 'access', accessBox)].filter(Boolean));  // absent sections, not "null"
  // The plots start at once; the other sections fill in as their calls answer.
  const plots = kind === 'cellTests' ? renderCellTestPlots(document.getElementById('plot-area'), record)
    : kind === 'characterizations' ? renderCurves(document.getElementById('curve-area'), record) : null;
  const [up, down, revisions, decision] = await Promise.all([
    optional(api.get(`/v1/${api.path(name)}/lineage?direction=LINEAGE_DIRECTION_UP`)),
    optional(api.get(`/v1/${api.path(name)}/lineage?direction=LINEAGE_DIRECTION_DOWN`)),
    optional(api.get(`/v1/${api.path(name)}:listRevisions?page_size=50`)),
    ['ROLE_STEWARD', 'ROLE_ADMIN'].includes(identity.role)
      ? optional(api.get(`/v1/${api.path(name)}/access:check?institution=${encodeURIComponent(identity.institution)}`))
      : { value: null },
  ]);
  const revisionField = Object.keys(revisions.value || {}).find((k) => Array.isArray(revisions.value[k]));
  lineageBox.replaceChildren(up.error ? errorBox(up.error) : lineageGraph(name, up.value, down.value || { entries: [] }));
  revisionsBox.replaceChildren(revisions.error ? errorBox(revisions.error)
    : revisionsTable(revisions.value[revisionField] || [], kind.replace(/s$/, '')));
  accessBox.replaceChildren(accessView(decision.value, record, identity));
  if (plots) await plots;
  status('');
}
