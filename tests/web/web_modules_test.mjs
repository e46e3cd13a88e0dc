// The web view's pure modules under Node (no browser): dQ/dV against the
// analytic value of a linear cell, the merge of lines onto one x, CSV
// columns, tick labels. Run: node tests/web/web_modules_test.mjs WEB_DIR
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const web = process.argv[2];
const load = (f) => import(pathToFileURL(path.join(web, 'js', f)).href);
const { dqdv, parseCsv } = await load('dqdv.js');
const { mergeLines, tickLabels } = await load('plots.js');

// A cell charged at 2 A for 3600 s from 3.0 to 4.0 V linearly: Q = 2 Ah over
// 1 V, so dQ/dV = 2 Ah/V on charge everywhere, -2 on discharge.
{
  const n = 3601, voltage = [], current = [], time = [], charge = [], discharge = [];
  for (let k = 0; k < n; ++k) {
    time.push(k); current.push(2); voltage.push(3 + k / 3600); charge.push((2 * k) / 3600); discharge.push(0);
  }
  for (let k = 0; k < n; ++k) {
    time.push(n + k); current.push(-2); voltage.push(4 - k / 3600); charge.push(2); discharge.push((2 * k) / 3600);
  }
  for (const columns of [{}, { charge, discharge }]) {  // integrated current, then the cycler's columns
    const out = dqdv({ voltage, current, time, ...columns }, 0.01);
    assert.equal(out.charge.v.length, 100);
    const inner = (ys) => ys.slice(1, -1);  // the end bins are partial
    for (const y of inner(out.charge.y)) assert.ok(Math.abs(y - 2) < 0.02, `charge ${y}`);
    for (const y of inner(out.discharge.y)) assert.ok(Math.abs(y + 2) < 0.02, `discharge ${y}`);
    // Every ampere-hour is in some bin.
    const total = out.charge.y.reduce((a, y) => a + y * 0.01, 0);
    assert.ok(Math.abs(total - 2) < 1e-6, `total ${total}`);
  }
  // A capacity counter reset mid-charge (a step change) is not a jump of charge.
  const reset = charge.slice();
  for (let k = 1800; k < n; ++k) reset[k] -= reset[1799];
  const out = dqdv({ voltage, current, time, charge: reset, discharge }, 0.01);
  const total = out.charge.y.reduce((a, y) => a + y * 0.01, 0);
  assert.ok(Math.abs(total - 2) < 1e-3, `total with a reset ${total}`);
  // A rest (no current) and a CV hold (voltage still) add no spike.
  const held = dqdv({ voltage: [3, 3, 3, 3], current: [0, 1, 1, 1], time: [0, 1, 2, 3] }, 0.01);
  assert.equal(held.charge.v.length, 1);
}

// Lines with x of their own on the union of x, null where a line has none.
{
  const data = mergeLines([{ x: [1, 3, 5], y: [10, 30, 50] }, { x: [2, 3], y: [-2, -3] }]);
  assert.deepEqual(Array.from(data[0]), [1, 2, 3, 5]);
  assert.deepEqual(data[1], [10, null, 30, 50]);
  assert.deepEqual(data[2], [null, -2, -3, null]);
  const random = Array.from({ length: 5 }, () => {
    const x = [...new Set(Array.from({ length: 50 }, () => Math.round(Math.random() * 100)))].sort((a, b) => a - b);
    return { x, y: x.map((v) => v * 2) };
  });
  const merged = mergeLines(random);
  random.forEach((line, i) => {
    const back = merged[0].map((x, k) => [x, merged[i + 1][k]]).filter(([, y]) => y !== null);
    assert.deepEqual(back.map(([x]) => x), line.x);
    assert.deepEqual(back.map(([, y]) => y), line.y);
  });
}

// CSV as the hub writes it.
{
  const c = parseCsv('test_time_second,voltage_volt\n0,3.5\n1,\n2,3.7\n');
  assert.deepEqual(Array.from(c.test_time_second), [0, 1, 2]);
  assert.ok(Number.isNaN(c.voltage_volt[1]));
  assert.equal(c.voltage_volt[2], 3.7);
}

// Neighbouring ticks never read alike.
for (const ticks of [[100, 100.002, 100.004], [0.003, 0.0035, 0.004], [0, 25000, 50000], [0.25, 0.5, 0.75]]) {
  const labels = tickLabels(ticks);
  assert.equal(new Set(labels).size, labels.length, labels.join(' '));
  labels.forEach((l, i) => assert.ok(Math.abs(Number(l) - ticks[i]) < 1e-9, l));
}
console.log('web modules: all checks passed');
