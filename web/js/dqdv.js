// Incremental capacity, dQ/dV, of one cycle, by voltage bins: each step
// between two rows of the same branch (charge: current > 0, discharge:
// current < 0) adds its |ΔQ| to the bin of its mid voltage, and dQ/dV is
// the bin's charge over the bin width. Unlike a point-wise ΔQ/ΔV it does
// not blow up where the voltage stands still (a CV step, a rest).
// Q is the cycler's capacity column where there is one, else ∫|I|dt.
export function dqdv({ voltage, current, charge, discharge, time }, binVolts = 0.005) {
  const branches = { charge: new Map(), discharge: new Map() };
  let integrated = 0;
  const q = new Float64Array(voltage.length);
  for (let k = 0; k < voltage.length; ++k) {
    if (k > 0 && time) integrated += Math.abs(current[k]) * (time[k] - time[k - 1]) / 3600;
    q[k] = integrated;
  }
  for (let k = 1; k < voltage.length; ++k) {
    const sign = Math.sign(current[k]);
    if (sign === 0 || Math.sign(current[k - 1]) !== sign) continue;
    const column = sign > 0 ? charge : discharge;
    let dq = q[k] - q[k - 1];
    if (column) {
      // The cycler's own capacity, unless it jumps by more than the current
      // could move in that time (a counter reset at a step change).
      const step = Math.abs(column[k] - column[k - 1]);
      if (!time || step <= 2 * dq + 1e-9) dq = step;
    }
    const mid = (voltage[k] + voltage[k - 1]) / 2;
    if (!Number.isFinite(dq) || !Number.isFinite(mid)) continue;
    const bins = sign > 0 ? branches.charge : branches.discharge;
    const bin = Math.floor(mid / binVolts);
    bins.set(bin, (bins.get(bin) || 0) + dq);
  }
  const out = {};
  for (const [name, bins] of Object.entries(branches)) {
    const keys = [...bins.keys()].sort((a, b) => a - b);
    out[name] = { v: keys.map((b) => (b + 0.5) * binVolts),
      y: keys.map((b) => (name === 'discharge' ? -1 : 1) * bins.get(b) / binVolts) };
  }
  return out;
}

// Columns of a CSV the hub wrote (a header of BDF machine names, numbers).
export function parseCsv(text) {
  const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
  const names = lines[0].split(',');
  const columns = Object.fromEntries(names.map((n) => [n, new Float64Array(lines.length - 1)]));
  for (let r = 1; r < lines.length; ++r) {
    const cells = lines[r].split(',');
    for (let c = 0; c < names.length; ++c) columns[names[c]][r - 1] = cells[c] === '' ? NaN : Number(cells[c]);
  }
  return columns;
}
