// A characterisation's results and curves: the results as a table (with how
// a computed one was found), each group of curves on one plot (scans of a
// map together, a few at most), and the instrument file to download.
import * as api from './api.js';
import { el, errorBox, saveBlob, status } from './dom.js';
import { linePlot, mergeLines, plotWidth } from './plots.js';

const MAX_LINES = 8;  // a reciprocal-space map has hundreds of scans: the first few are drawn

function label(name, unit) {
  return unit && unit !== '1' ? `${name.replace(/_/g, ' ')} / ${unit}` : name.replace(/_/g, ' ');
}

export function resultsTable(record) {
  const results = record.results || [];
  if (!results.length) return el('p', { class: 'muted', id: 'no-results-values' }, 'No scalar results.');
  return el('table', { id: 'results-table' },
    el('thead', {}, el('tr', {}, el('th', {}, 'result'), el('th', {}, 'value'), el('th', {}, 'how'))),
    el('tbody', {}, results.map((r) => el('tr', { dataset: { result: r.name } },
      el('td', {}, r.name),
      el('td', { class: 'mono' }, r.value ? `${Number(r.value.value).toPrecision(6)} ${r.value.unit || ''}` : ''),
      el('td', { class: 'muted' }, r.method || 'reported by the instrument')))));
}

// Curves drawn together share their axes: name, unit, y name.
function groups(curves) {
  const out = new Map();
  for (const c of curves) {
    const key = [c.xName, c.xUnit, c.yName, c.yUnit].join('|');
    if (!out.has(key)) out.set(key, []);
    out.get(key).push(c);
  }
  return [...out.values()];
}

export async function renderCurves(box, record) {
  const curves = (record.curves || []).filter((c) => (c.x || []).length);
  if (!curves.length) {
    box.append(el('p', { class: 'muted', id: 'no-curves' },
      record.curves ? 'No curves.' : 'You do not see this record\'s curves (they need the full tier).'));
    return;
  }
  try {
    for (const group of groups(curves)) {
      const shown = group.slice(0, MAX_LINES);
      const first = shown[0];
      const target = el('div', { class: 'plot curve-plot', dataset: { lines: shown.length, points: shown.reduce((n, c) => n + c.x.length, 0) } });
      box.append(target);
      if (group.length > shown.length) {
        box.append(el('p', { class: 'muted' }, `${shown.length} of ${group.length} curves drawn (${first.yName} against ${first.xName}).`));
      }
      const data = mergeLines(shown.map((c) => ({ x: c.x.map(Number), y: c.y.map(Number) })));
      await linePlot(target, {
        title: `${record.technique ? record.technique.replace('TECHNIQUE_', '') + ': ' : ''}${label(first.yName, first.yUnit)}`,
        xLabel: label(first.xName, first.xUnit),
        lines: shown.map((c) => ({ label: c.name, scale: 'y', axisLabel: label(first.yName, first.yUnit) })),
        data, width: plotWidth(box),
      });
    }
  } catch (err) {
    box.append(errorBox(err));
  }
  const files = (record.attachments || []).filter((a) => a.sha256);
  if (files.length) {
    box.append(el('h3', {}, 'Instrument file'), el('div', { class: 'row' }, files.map((a) =>
      el('button', { type: 'button', class: 'plain download-attachment', onclick: async (ev) => {
        ev.target.disabled = true;
        status(`downloading ${a.fileName}…`);
        try {
          saveBlob(await api.blob(`/v1/${api.path(record.name)}/rawFiles/${a.sha256}`), a.fileName || `${a.sha256}.raw`);
        } catch (err) {
          box.append(errorBox(err));
        }
        ev.target.disabled = false;
        status('');
      } }, a.fileName || a.sha256.slice(0, 12)))));
  }
}
