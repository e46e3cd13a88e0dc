// A cell test's plots: voltage and current against time (decimated by the
// hub to one min/max pair per pixel; a drag zooms and fetches that window,
// at full resolution once it is small enough), capacity, coulombic
// efficiency and retention against cycle, dQ/dV of a chosen cycle, and the
// downloads of the series and the raw files.
import * as api from './api.js';
import { el, errorBox, saveBlob, status } from './dom.js';
import { linePlot, mergeLines, plotWidth } from './plots.js';
import { dqdv, parseCsv } from './dqdv.js';

const AXIS = { voltage_volt: 'V', current_ampere: 'A', test_time_second: 's' };

export async function summaries(name) {
  return api.all(`/v1/${api.path(name)}/cycleSummaries`, { page_size: 1000 }, 'cycles');
}

async function voltageCurrent(box, record) {
  const names = new Set((record.series.columns || []).map((c) => c.name));
  const columns = ['voltage_volt', 'current_ampere'].filter((c) => names.has(c));
  const width = plotWidth(box);
  const buckets = Math.min(2000, width);
  const info = el('p', { class: 'muted', id: 'vi-info' });
  const reset = el('button', { type: 'button', class: 'plain', id: 'vi-reset', disabled: true }, 'Whole series');
  const target = el('div', { class: 'plot', id: 'plot-vi' });
  box.append(el('h3', {}, 'Voltage and current'), target, el('div', { class: 'row' }, reset, info));
  let plot = null;

  async function fetchWindow(start, end) {
    const answer = await api.get(`/v1/${api.path(record.name)}/series:plot` + api.query({
      columns, buckets, x_start: start, x_end: end }));
    const lines = answer.lines || [];
    const points = lines.reduce((n, l) => n + (l.x || []).length, 0);
    const data = mergeLines(lines.map((l) => ({ x: l.x || [], y: l.y || [] })));
    Object.assign(target.dataset, { points, buckets, windowRows: answer.windowRows || 0,
      decimated: String(!!answer.decimated), xStart: answer.xStart || 0, xEnd: answer.xEnd || 0 });
    info.textContent = `${Number(answer.windowRows || 0).toLocaleString()} rows in view, ` +
      `${points.toLocaleString()} points drawn` + (answer.decimated ? ' (min/max per pixel; drag to zoom)' : ' (every row)');
    return { data, lines, units: answer.units || {} };
  }

  const first = await fetchWindow();
  if (!first.lines.length) {
    info.textContent = 'This series has no voltage or current.';
    return;
  }
  plot = await linePlot(target, {
    title: 'Voltage and current against test time', xLabel: `test time / ${first.units.test_time_second || 's'}`,
    width, data: first.data, drag: true,
    lines: first.lines.map((l) => ({ label: `${l.column} / ${first.units[l.column] || ''}`, scale: AXIS[l.column] || l.column,
      axisLabel: `${l.column.replace(/_.*/, '')} / ${first.units[l.column] || ''}` })),
    hooks: { setSelect: [async (u) => {
      if (u.select.width < 3) return;
      const start = u.posToVal(u.select.left, 'x');
      const end = u.posToVal(u.select.left + u.select.width, 'x');
      u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
      status('zooming…');
      try {
        const w = await fetchWindow(start, end);
        u.setData(w.data);
        reset.disabled = false;
      } catch (err) { box.append(errorBox(err)); }
      status('');
    }] },
  });
  target.dataset.drawnMs = String(Math.round(performance.now()));
  reset.addEventListener('click', async () => {
    plot.setData((await fetchWindow()).data);
    reset.disabled = true;
  });
}

async function cyclePlots(box, record) {
  const cycles = await summaries(record.name);
  if (!cycles.length) return;
  const x = cycles.map((c) => Number(c.cycle));
  const discharge = cycles.map((c) => c.dischargeCapacityAmpereHour ?? null);
  const charge = cycles.map((c) => c.chargeCapacityAmpereHour ?? null);
  const first = discharge.find((v) => v > 0);
  const retention = discharge.map((v) => (first && v !== null ? (100 * v) / first : null));
  const ce = cycles.map((c) => (c.coulombicEfficiency ? 100 * c.coulombicEfficiency : null));
  const width = Math.min(560, plotWidth(box));
  const grid = el('div', { class: 'plots' });
  box.append(el('h3', {}, 'Per cycle'), grid);
  const one = async (id, title, lines, data) => {
    const t = el('div', { class: 'plot', id, dataset: { lines: lines.length, points: data[0].length } });
    grid.append(t);
    await linePlot(t, { title, xLabel: 'cycle', width, height: 240, data, lines });
  };
  await one('plot-capacity', 'Capacity', [
    { label: 'discharge / Ah', scale: 'Ah', axisLabel: 'capacity / Ah', points: x.length < 80 },
    { label: 'charge / Ah', scale: 'Ah', axisLabel: 'capacity / Ah', points: x.length < 80 }], [x, discharge, charge]);
  await one('plot-ce', 'Coulombic efficiency', [{ label: 'CE / %', scale: '%', axisLabel: 'CE / %' }], [x, ce]);
  await one('plot-retention', 'Capacity retention', [{ label: 'retention / %', scale: '%', axisLabel: 'retention / % of first' }], [x, retention]);
  return x;
}

async function dqdvPlot(box, record, cycles) {
  const names = new Set((record.series.columns || []).map((c) => c.name));
  if (!names.has('voltage_volt') || !names.has('current_ampere')) return;
  const wanted = ['test_time_second', 'voltage_volt', 'current_ampere', 'charging_capacity_ampere_hour',
    'discharging_capacity_ampere_hour'].filter((c) => names.has(c));
  const input = el('input', { type: 'number', id: 'dqdv-cycle', min: cycles[0], max: cycles[cycles.length - 1],
    value: cycles[Math.min(1, cycles.length - 1)], 'aria-label': 'cycle' });
  const target = el('div', { class: 'plot', id: 'plot-dqdv' });
  const form = el('form', { class: 'row', onsubmit: (ev) => { ev.preventDefault(); draw(); } },
    el('label', { for: 'dqdv-cycle' }, 'Cycle'), input, el('button', { type: 'submit' }, 'Show'));
  box.append(el('h3', {}, 'dQ/dV'), form, target);
  async function draw() {
    const cycle = Number(input.value);
    const csv = await api.text(`/v1/${api.path(record.name)}/series` + api.query({
      alt: 'csv', columns: wanted, start_cycle: cycle, end_cycle: cycle }));
    const c = parseCsv(csv);
    const curve = dqdv({ voltage: c.voltage_volt, current: c.current_ampere, time: c.test_time_second,
      charge: c.charging_capacity_ampere_hour, discharge: c.discharging_capacity_ampere_hour });
    const data = mergeLines([{ x: curve.charge.v, y: curve.charge.y }, { x: curve.discharge.v, y: curve.discharge.y }]);
    target.replaceChildren();
    target.dataset.points = String(curve.charge.v.length + curve.discharge.v.length);
    await linePlot(target, { title: `dQ/dV, cycle ${cycle} (5 mV bins)`, xLabel: 'voltage / V',
      width: Math.min(700, plotWidth(box)), height: 260, data,
      lines: [{ label: 'charge', scale: 'dQdV', axisLabel: 'dQ/dV / Ah V⁻¹' },
        { label: 'discharge', scale: 'dQdV', axisLabel: 'dQ/dV / Ah V⁻¹' }] });
  }
  await draw();
}

function downloads(box, record) {
  const id = record.name.split('/').pop();
  const busy = async (button, url, file) => {
    button.disabled = true;
    status(`downloading ${file}…`);
    try { saveBlob(await api.blob(url), file); } catch (err) { box.append(errorBox(err)); }
    button.disabled = false;
    status('');
  };
  const buttons = [el('button', { type: 'button', id: 'download-bdf', onclick: (ev) =>
    busy(ev.target, `/v1/${api.path(record.name)}/series?alt=bdf`, `${id}.bdf.csv`) }, 'Series (BDF CSV)')];
  for (const s of (record.series.sources || []).filter((x) => x.sha256)) {
    buttons.push(el('button', { type: 'button', class: 'plain download-raw', onclick: (ev) =>
      busy(ev.target, `/v1/${api.path(record.name)}/rawFiles/${s.sha256}`, s.fileName || `${s.sha256}.raw`) },
    `Raw file ${s.fileName || s.sha256.slice(0, 12)}`));
  }
  box.append(el('h3', {}, 'Downloads'), el('div', { class: 'row' }, buttons));
}

export async function renderCellTestPlots(box, record) {
  if (!record.series || !Number(record.series.rowCount)) {
    box.append(el('p', { class: 'muted', id: 'no-series' },
      record.series ? 'No series uploaded yet.' : 'You do not see this test\'s series (it needs the full tier).'));
    return;
  }
  try {
    await voltageCurrent(box, record);
    const cycles = await cyclePlots(box, record);
    if (cycles && cycles.length) await dqdvPlot(box, record, cycles);
    downloads(box, record);
  } catch (err) {
    box.append(errorBox(err));
  }
}
