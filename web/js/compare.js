// Several cell tests on one plot: discharge capacity and retention against
// cycle, one line per test (e.g. the NMC811 cells of two institutes).
import * as api from './api.js';
import { el, errorBox, recordLink, status } from './dom.js';
import { COLORS, linePlot, plotWidth } from './plots.js';
import { summaries } from './celltest.js';

const MAX_TESTS = 12;

export async function renderCompare(main, params) {
  const names = (params.get('tests') || '').split(',').filter(Boolean).slice(0, MAX_TESTS);
  const filter = el('input', { type: 'text', class: 'filter', id: 'compare-filter', value: params.get('filter') || '',
    placeholder: 'cell.chemistry = "NMC811/graphite"', 'aria-label': 'cell tests to compare (filter)' });
  const form = el('form', { class: 'row', onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      const page = await api.get('/v1/institutions/-/cellTests' + api.query({ filter: filter.value, page_size: MAX_TESTS }));
      const picked = (page.cellTests || []).filter((t) => t.summary && t.summary.cycleCount).map((t) => t.name);
      location.hash = `#/compare?tests=${picked.map(encodeURIComponent).join(',')}&filter=${encodeURIComponent(filter.value)}`;
    } catch (err) { main.append(errorBox(err)); }
  } }, filter, el('button', { type: 'submit' }, 'Compare matching tests'));
  main.replaceChildren(el('h1', {}, 'Compare cell tests'), form);
  if (!names.length) {
    main.append(el('p', { class: 'muted' }, 'Pick tests in a cell-test search, or give a filter.'));
    return;
  }
  status('loading…');
  const tests = await Promise.all(names.map(async (name) => {
    try {
      const [record, cycles] = await Promise.all([api.get(`/v1/${api.path(name)}`), summaries(name)]);
      return { name, record, cycles };
    } catch (err) { return { name, error: err }; }
  }));
  const shown = tests.filter((t) => !t.error && t.cycles.length);
  const table = el('table', { id: 'compare-table' },
    el('thead', {}, el('tr', {}, ['Test', 'Owner', 'Chemistry', 'Cycles', 'First discharge', 'Retention'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, tests.map((t) => t.error
      ? el('tr', {}, el('td', {}, t.name), el('td', { colspan: 5, class: 'error' }, t.error.message))
      : el('tr', {}, el('td', {}, recordLink(t.name)), el('td', {}, (t.record.owner || '').replace('institutions/', '')),
        el('td', {}, (t.record.cell || {}).chemistry || ''), el('td', {}, String(t.cycles.length)),
        el('td', {}, t.cycles.length ? `${(t.cycles[0].dischargeCapacityAmpereHour || 0).toFixed(4)} Ah` : ''),
        el('td', {}, t.record.summary && t.record.summary.capacityRetention
          ? `${(100 * t.record.summary.capacityRetention).toFixed(1)} %` : '')))));
  const capacity = el('div', { class: 'plot', id: 'plot-compare', dataset: { lines: shown.length } });
  const retention = el('div', { class: 'plot', id: 'plot-compare-retention', dataset: { lines: shown.length } });
  main.append(table, capacity, retention);
  if (!shown.length) { status(''); return; }
  const x = [...new Set(shown.flatMap((t) => t.cycles.map((c) => Number(c.cycle))))].sort((a, b) => a - b);
  const at = (t, f) => {
    const byCycle = new Map(t.cycles.map((c) => [Number(c.cycle), c.dischargeCapacityAmpereHour ?? null]));
    const first = t.cycles.map((c) => c.dischargeCapacityAmpereHour).find((v) => v > 0);
    return x.map((c) => (byCycle.has(c) && byCycle.get(c) !== null ? f(byCycle.get(c), first) : null));
  };
  const lines = (scale, axisLabel) => shown.map((t, i) => ({ label: t.name.replace('institutions/', ''),
    scale, axisLabel, color: COLORS[i % COLORS.length] }));
  const width = plotWidth(main);
  await linePlot(capacity, { title: 'Discharge capacity', xLabel: 'cycle', width, height: 320,
    data: [x, ...shown.map((t) => at(t, (v) => v))], lines: lines('Ah', 'discharge capacity / Ah') });
  await linePlot(retention, { title: 'Capacity retention', xLabel: 'cycle', width, height: 320,
    data: [x, ...shown.map((t) => at(t, (v, first) => (first ? (100 * v) / first : null)))],
    lines: lines('%', 'retention / % of first cycle') });
  status('');
}
